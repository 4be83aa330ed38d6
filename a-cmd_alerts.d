cmd_alerts.o: daemon/cli/cmd_alerts.c include/vigie/store_followup.h \
 include/vigie/lifecycle.h include/vigie/engine.h include/vigie/cells.h \
 include/vigie/series.h include/vigie/period.h include/vigie/rules.h \
 include/vigie/diag.h include/vigie/expr.h include/vigie/names.h \
 include/vigie/yaml.h include/vigie/store.h include/vigie/batch.h \
 include/vigie/store_silences.h include/vigie/text.h \
 include/vigie/xalloc.h daemon/cli/today.h include/vigie/config.h \
 daemon/cli/alert_cli.h include/vigie/cli.h include/vigie/fileio.h \
 include/vigie/store_alerts.h include/vigie/notice.h \
 include/vigie/store_outbox.h
include/vigie/store_followup.h:
include/vigie/lifecycle.h:
include/vigie/engine.h:
include/vigie/cells.h:
include/vigie/series.h:
include/vigie/period.h:
include/vigie/rules.h:
include/vigie/diag.h:
include/vigie/expr.h:
include/vigie/names.h:
include/vigie/yaml.h:
include/vigie/store.h:
include/vigie/batch.h:
include/vigie/store_silences.h:
include/vigie/text.h:
include/vigie/xalloc.h:
daemon/cli/today.h:
include/vigie/config.h:
daemon/cli/alert_cli.h:
include/vigie/cli.h:
include/vigie/fileio.h:
include/vigie/store_alerts.h:
include/vigie/notice.h:
include/vigie/store_outbox.h:
