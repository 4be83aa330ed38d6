alert_cli.o: daemon/cli/alert_cli.c include/vigie/xalloc.h \
 daemon/cli/alert_cli.h include/vigie/cli.h include/vigie/config.h \
 include/vigie/diag.h include/vigie/period.h include/vigie/rules.h \
 include/vigie/expr.h include/vigie/names.h include/vigie/series.h \
 include/vigie/yaml.h include/vigie/fileio.h include/vigie/store.h \
 include/vigie/batch.h include/vigie/store_alerts.h \
 include/vigie/lifecycle.h include/vigie/engine.h include/vigie/cells.h \
 include/vigie/notice.h include/vigie/store_outbox.h
include/vigie/xalloc.h:
daemon/cli/alert_cli.h:
include/vigie/cli.h:
include/vigie/config.h:
include/vigie/diag.h:
include/vigie/period.h:
include/vigie/rules.h:
include/vigie/expr.h:
include/vigie/names.h:
include/vigie/series.h:
include/vigie/yaml.h:
include/vigie/fileio.h:
include/vigie/store.h:
include/vigie/batch.h:
include/vigie/store_alerts.h:
include/vigie/lifecycle.h:
include/vigie/engine.h:
include/vigie/cells.h:
include/vigie/notice.h:
include/vigie/store_outbox.h:
