/* The Prometheus textfile (SPEC 8, metrics_file): written after each cycle
 * for node_exporter's textfile collector, which may read it at any moment;
 * hence a temporary file in the same folder, fsync, then rename, so that a
 * reader sees the old file or the new one, never half of one. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "vigie/metrics.h"
#include "vigie/fileio.h"
#include "vigie/version.h"

int metrics_write(const char *path, const struct cycle_report *r)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int rc, e;

	f = open_memstream(&text, &len);
	if (!f)
		return -1;
	/* The version a dashboard sees change at an upgrade, and the build,
	 * as prometheus_build_info's revision. */
	fprintf(f, "# HELP vigie_build_info The version of vigied that wrote this "
	    "file, and the git revision it was built from.\n# TYPE vigie_build_info "
	    "gauge\nvigie_build_info{version=\"%s\",revision=\"%s\"} 1\n",
	    VIGIE_VERSION, *vigie_revision ? vigie_revision : "unknown");
	fprintf(f,
	    "# HELP vigie_cycle_duration_seconds Duration of the last cycle, delivery "
	    "included.\n"
	    "# TYPE vigie_cycle_duration_seconds gauge\n"
	    "vigie_cycle_duration_seconds %.6f\n"
	    "# HELP vigie_alerts Active alerts by severity.\n"
	    "# TYPE vigie_alerts gauge\n"
	    "vigie_alerts{severity=\"warning\"} %zu\n"
	    "vigie_alerts{severity=\"critical\"} %zu\n"
	    "# HELP vigie_notifications_pending Notifications waiting for delivery.\n"
	    "# TYPE vigie_notifications_pending gauge\n"
	    "vigie_notifications_pending %zu\n"
	    "# HELP vigie_notifications_failed Notifications given up after retries, "
	    "refused for good, or held for a configuration reason.\n"
	    "# TYPE vigie_notifications_failed gauge\n"
	    "vigie_notifications_failed %zu\n"
	    "# HELP vigie_last_import_timestamp_seconds Unix time of the last data import (0: never).\n"
	    "# TYPE vigie_last_import_timestamp_seconds gauge\n"
	    "vigie_last_import_timestamp_seconds %lld\n"
	    "# HELP vigie_rules Enabled rules.\n"
	    "# TYPE vigie_rules gauge\n"
	    "vigie_rules %zu\n"
	    "# HELP vigie_units Units known from the data, ancestors included.\n"
	    "# TYPE vigie_units gauge\n"
	    "vigie_units %zu\n"
	    "# HELP vigie_units_stale Units whose latest period lags the data's latest period.\n"
	    "# TYPE vigie_units_stale gauge\n"
	    "vigie_units_stale %zu\n"
	    "# HELP vigie_indicators_missing Indicators missing at the latest period from "
	    "units that had them in the year before, one per unit and indicator.\n"
	    "# TYPE vigie_indicators_missing gauge\n"
	    "vigie_indicators_missing %zu\n"
	    "# HELP vigie_config_last_reload_successful Whether the last reload of the "
	    "configuration and rules succeeded (0: it failed, the daemon runs the "
	    "previous ones).\n"
	    "# TYPE vigie_config_last_reload_successful gauge\n"
	    "vigie_config_last_reload_successful %d\n"
	    "# HELP vigie_cycle_last_successful Whether the last cycle ran without an "
	    "error (database, disk).\n"
	    "# TYPE vigie_cycle_last_successful gauge\n"
	    "vigie_cycle_last_successful %d\n"
	    "# HELP vigie_cycle_last_success_timestamp_seconds Unix time of the last "
	    "cycle without an error (0: none known).\n"
	    "# TYPE vigie_cycle_last_success_timestamp_seconds gauge\n"
	    "vigie_cycle_last_success_timestamp_seconds %lld\n",
	    r->duration_s, r->active - r->critical, r->critical, r->pending,
	    r->failed, (long long)r->last_import, r->rules, r->units, r->stale,
	    r->missing, r->reload_failed_at ? 0 : 1, r->ok ? 1 : 0,
	    (long long)r->succeeded_at);
	if (fclose(f) != 0) {
		free(text);
		return -1;
	}
	/* World-readable: node_exporter usually runs as another user, and
	 * the file holds counts only. */
	rc = write_file_atomic(path, text, len, 0644);
	e = errno;
	free(text);
	errno = e;
	return rc;
}
