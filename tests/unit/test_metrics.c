/* The Prometheus textfile (daemon/metrics.c): its content, its mode under
 * the service's umask, and no temporary file left behind. */
#define _XOPEN_SOURCE 700
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vigie/fileio.h"
#include "vigie/metrics.h"
#include "vigie/version.h"

static char dir[64];

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/vigie-metrics.XXXXXX");
	cr_assert(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

Test(metrics, file_is_prometheus_text, .init = setup, .fini = teardown)
{
	char path[128];
	struct cycle_report rep = { .active = 3, .critical = 2, .pending = 4, .failed = 1,
	    .last_import = 1750000000, .rules = 17, .units = 42, .duration_s = 0.25,
	    .stale = 3, .missing = 5, .ok = false, .succeeded_at = 1749990000 };
	size_t len;

	snprintf(path, sizeof(path), "%s/vigie.prom", dir);
	/* Under the service's UMask=0077 the file must still be readable by
	 * node_exporter, and no temporary file may be left behind. */
	mode_t old = umask(077);
	cr_assert_eq(metrics_write(path, &rep), 0);
	umask(old);
	struct stat sb;
	cr_assert_eq(stat(path, &sb), 0);
	cr_expect_eq(sb.st_mode & 0777, 0644);
	DIR *dh = opendir(dir);
	size_t entries = 0;
	for (struct dirent *de; (de = readdir(dh)); )
		entries += strstr(de->d_name, "vigie.prom") != NULL;
	closedir(dh);
	cr_expect_eq(entries, 1, "a temporary file was left behind");
	char *text = read_file(path, &len);
	cr_assert(text);
	cr_expect(strstr(text, "# TYPE vigie_alerts gauge\n"
	    "vigie_alerts{severity=\"warning\"} 1\n"
	    "vigie_alerts{severity=\"critical\"} 2\n"));
	char info[128];
	snprintf(info, sizeof(info), "# TYPE vigie_build_info gauge\nvigie_build_info"
	    "{version=\"%s\",revision=\"%s\"} 1\n", VIGIE_VERSION,
	    *vigie_revision ? vigie_revision : "unknown");
	cr_expect(strstr(text, info), "no %s in %s", info, text);
	cr_expect(strstr(text, "\nvigie_notifications_pending 4\n"));
	cr_expect(strstr(text, "\nvigie_notifications_failed 1\n"));
	cr_expect(strstr(text, "\nvigie_last_import_timestamp_seconds 1750000000\n"));
	cr_expect(strstr(text, "\nvigie_rules 17\n"));
	cr_expect(strstr(text, "\n# TYPE vigie_units_stale gauge\nvigie_units_stale 3\n"));
	cr_expect(strstr(text, "\n# TYPE vigie_indicators_missing gauge\n"
	    "vigie_indicators_missing 5\n"));
	cr_expect(strstr(text, "\nvigie_units 42\n"));
	cr_expect(strstr(text, "\nvigie_cycle_duration_seconds 0.250000\n"));
	/* A failed cycle (a full disk) still writes the file: said apart. */
	cr_expect(strstr(text, "\n# TYPE vigie_cycle_last_successful gauge\n"
	    "vigie_cycle_last_successful 0\n"));
	cr_expect(strstr(text, "\nvigie_cycle_last_success_timestamp_seconds 1749990000\n"));
	free(text);
}
