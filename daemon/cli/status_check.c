/* What `vigie status --check` calls a problem (cli_status.h): what an
 * operator's health check (a Nagios plugin, a systemd timer's script, a
 * node_exporter textfile) must page about, from what status already
 * reads, plus the two things the database cannot say: the metrics file's
 * word on the last cycle (a cycle that failed, on a full disk, recorded
 * nothing) and the files waiting in the inbox. */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cli_status.h"
#include "vigie/text.h"
#include "vigie/xalloc.h"

static void add(struct status_problems *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void add(struct status_problems *p, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		xalloc_die();
	va_end(ap);
	p->v = xreallocarray(p->v, p->n + 1, sizeof(*p->v));
	p->v[p->n++] = s;
}

/* Whether the metrics file says the last cycle failed (its line
 * "vigie_cycle_last_successful 0"). */
static bool metrics_say_failed(const char *path)
{
	FILE *f = path ? fopen(path, "r") : NULL;
	char line[256];
	bool failed = false;

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "vigie_cycle_last_successful ", 28)) {
			failed = atoi(line + 28) == 0;
			break;
		}
	fclose(f);
	return failed;
}

/* The files of the inbox (not its dot files, nor its folders) older than
 * before: what a cycle would have taken, had it been able to. */
static size_t inbox_waiting(const char *dir, int64_t before)
{
	DIR *d = dir ? opendir(dir) : NULL;
	struct dirent *e;
	struct stat sb;
	size_t n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && fstatat(dirfd(d), e->d_name, &sb, 0) == 0 &&
		    S_ISREG(sb.st_mode) && sb.st_mtime < before)
			n++;
	closedir(d);
	return n;
}

void status_problems_find(const struct config *cfg, const struct status_facts *f,
    int64_t now, struct status_problems *p)
{
	long late = 2 * cfg->interval_s;
	char tb[ISO8601_BUFSZ];
	size_t waiting, never = 0, k;
	json_t *lack = json_object_get(f->history, "lacking");
	json_int_t reads = 0;

	if (f->lc != 0)
		add(p, "no cycle has run on this database%s", f->holder == 0 ?
		    ", and no vigied holds its lock: start it (systemctl start vigied)" : "");
	else if (now - f->cr.started_at > late)
		add(p, "the last cycle ran at %s, more than twice the interval (%lds) "
		    "ago%s", text_iso8601(f->cr.started_at, tb), cfg->interval_s,
		    f->holder == 0 ? ", and no vigied holds its lock: start it "
		    "(systemctl start vigied)" : ": its log says why");
	if (metrics_say_failed(cfg->metrics_file))
		add(p, "the last cycle failed (%s: vigie_cycle_last_successful 0): "
		    "vigied's log says why", cfg->metrics_file);
	if (f->reload_failed > 0)
		add(p, "the reload of %s failed: vigied runs the configuration it had "
		    "before", text_iso8601(f->reload_failed, tb));
	if (f->cnt->failed)
		add(p, "%zu notification%s failed%s: vigie retry --failed once the cause "
		    "is fixed (last failure above)", f->cnt->failed,
		    f->cnt->failed == 1 ? "" : "s", f->cnt->held ? ", some held" : "");
	if (f->missing)
		add(p, "no import for longer than stale_after");
	for (size_t i = 0; i < json_array_size(lack); i++) {
		json_t *x = json_array_get(lack, i);

		if (json_is_null(json_object_get(x, "by"))) {
			never++;
			if (json_integer_value(json_object_get(x, "reads")) > reads)
				reads = json_integer_value(json_object_get(x, "reads"));
		}
	}
	if (never)
		add(p, "%zu rule%s can never judge with this configuration: retention.data "
		    "keeps %d periods of values, %s up to %lld; set retention.data "
		    "to %lld or more in %s", never, never == 1 ? "" : "s",
		    cfg->retention.data, never == 1 ? "it reads" : "they read", (long long)reads,
		    (long long)reads, cfg->file);
	/* What the rules cannot watch at all, whatever the data says: a
	 * check that is green while they are silent would hide it. */
	if ((k = json_array_size(f->other_period)) > 0)
		add(p, "%zu of %zu rules are written for %s (period: %s) and not evaluated "
		    "on this %s database: vigie check says which and what to do", k,
		    f->nrules, f->g == GRAN_WEEK ? "months" : "weeks",
		    f->g == GRAN_WEEK ? "month" : "week", f->g == GRAN_WEEK ? "weekly" :
		    "monthly");
	for (size_t i = 0; i < json_array_size(f->unimported); i++) {
		json_t *x = json_array_get(f->unimported, i);

		k = json_array_size(json_object_get(x, "rules"));
		add(p, "%zu rule%s never fire%s: %s was never imported (vigie status "
		    "names %s; import the column, or disable %s)", k, k == 1 ? "" : "s",
		    k == 1 ? "s" : "", json_string_value(json_object_get(x, "indicator")),
		    k == 1 ? "it" : "them", k == 1 ? "it" : "them");
	}
	if ((waiting = inbox_waiting(cfg->inbox, now - late)) > 0)
		add(p, "%zu file%s waiting in %s for more than twice the interval: "
		    "vigied's log says why %s not imported", waiting,
		    waiting == 1 ? "" : "s", cfg->inbox, waiting == 1 ? "it is" : "they are");
}

void status_problems_free(struct status_problems *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
	*p = (struct status_problems){ 0 };
}
