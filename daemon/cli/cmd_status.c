/* `vigie status` (SPEC 10): the last cycle (every cycle is recorded, an
 * idle one too, so a running daemon always shows a recent time), data
 * coverage (latest period, units, stale units, indicators missing from
 * the latest period, last import, and the daemon's missing-data alert),
 * the rules that cannot judge yet for want of history or because what
 * they read is hidden (as the last evaluation found them), those that
 * cannot judge anywhere because an indicator they need was never
 * imported, the rules written for the other granularity (period:), which
 * are not evaluated, the outbox with the latest delivery failure in
 * the server's own words, and the pull sources, as one JSON object or as
 * labelled lines followed by a table of sources. With --check, also what
 * needs an operator (status_check.c), and exit 1 when anything does: a
 * health check for scripts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli_status.h"
#include "vigie/cli.h"
#include "vigie/sources.h"
#include "vigie/store_alerts.h"
#include "vigie/store_outbox.h"
#include "vigie/text.h"
#include "vigie/xalloc.h"

#define GAP_UNITS 5	/* units named on a line of an indicator missing */

/* "SOURCE TYPE LAST-SUCCESS NEXT-RUN ERROR", one row per source. */
static void print_sources(FILE *out, const struct source_status *v, size_t n)
{
	struct cli_table t = { .ncols = 5 };
	const char *hdr[] = { "SOURCE", "TYPE", "LAST-SUCCESS", "NEXT-RUN", "ERROR" };
	char tb[ISO8601_BUFSZ];

	for (size_t i = 0; i < 5; i++)
		cli_table_add(&t, xstrdup(hdr[i]));
	for (size_t i = 0; i < n; i++) {
		cli_table_add(&t, xstrdup(v[i].name));
		cli_table_add(&t, xstrdup(v[i].type));
		cli_table_add(&t, xstrdup(v[i].last_success ?
		    text_iso8601(v[i].last_success, tb) : "never"));
		cli_table_add(&t, xstrdup(v[i].next_run ? text_iso8601(v[i].next_run, tb) : "now"));
		cli_table_add(&t, xstrdup(v[i].last_error ? v[i].last_error : "-"));
	}
	cli_table_print_free(&t, out);
}

static json_t *strings_json(char *const *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

/* The indicators missing at the latest period from units that had them
 * (store_gap): "[{"indicators": [...], "latest_period", "units": [...]}]". */
static json_t *gaps_json(const struct store_coverage *c, enum granularity g)
{
	json_t *a = json_array();
	char pb[PERIOD_BUFSZ];

	for (size_t i = 0; i < c->ngaps; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "indicators", strings_json(c->gaps[i].indicators,
		    c->gaps[i].nindicators));
		json_object_set_new(o, "latest_period", json_string(
		    period_format(g, c->gaps[i].last, pb)));
		json_object_set_new(o, "units", strings_json(c->gaps[i].units,
		    c->gaps[i].nunits));
		json_array_append_new(a, o);
	}
	return a;
}

/* The same, a line each, naming its first GAP_UNITS units. */
static void print_gaps(const struct store_coverage *c, enum granularity g)
{
	char pb[PERIOD_BUFSZ];

	for (size_t i = 0; i < c->ngaps; i++) {
		const struct store_gap *x = &c->gaps[i];

		printf("missing:      ");
		for (size_t k = 0; k < x->nindicators; k++)
			printf("%s%s", k ? ", " : "", x->indicators[k]);
		printf(" in %zu unit%s (latest %s): ", x->nunits, x->nunits == 1 ? "" : "s",
		    period_format(g, x->last, pb));
		for (size_t k = 0; k < x->nunits && k < GAP_UNITS; k++)
			printf("%s%s", k ? ", " : "", x->units[k]);
		if (x->nunits > GAP_UNITS)
			printf(" and %zu more", x->nunits - GAP_UNITS);
		printf("\n");
	}
}

/* The rules that cannot judge some unit yet for want of history at the
 * last evaluation (the meta "history" the cycle writes, evaluate.c), a
 * line: how many, at how many units, and by when all of them can at the
 * latest, or that some never can with retention.data (each rule's is in
 * the JSON). Nothing when none lacks it. */
static void print_history(json_t *h)
{
	const char *say = json_string_value(json_object_get(h, "text"));

	if (say && *say)
		printf("history:      %s: no alert does not mean no signal\n", say);
}

/* The rules that cannot judge some unit at the last evaluation because a
 * month they read there is hidden (the meta "hidden", evaluate_meta.c), a
 * line: not a fault (SPEC 3 wants it), but their silence there says
 * nothing. Nothing when none is. */
static void print_hidden(json_t *h)
{
	const char *say = json_string_value(json_object_get(h, "text"));

	if (say && *say)
		printf("hidden:       %s\n", say);
}

/* The ids of the enabled rules of the configured rule set written for the
 * other granularity than g, the database's (period:, rule_period.c): not
 * evaluated. An empty array when there are none or the rules do not load
 * (vigie check tells why). */
static json_t *other_period_rules(const struct config *cfg, enum granularity g,
    size_t *nrules)
{
	struct diags d = { 0 };
	struct rule_policy texts = config_rule_texts(cfg);
	struct ruleset *rs = ruleset_load(cfg->rules, &texts, &d);
	json_t *ids = json_array();

	diags_free(&d);
	*nrules = 0;
	for (size_t i = 0; rs && i < rs->n; i++) {
		const struct rule *r = &rs->rules[i];

		*nrules += r->enabled;
		if (r->enabled && rule_other_period(r, g))
			json_array_append_new(ids, json_string(r->id));
	}
	ruleset_free(rs);
	return ids;
}

/* "rules:" when some are written for the other granularity than g. */
static void print_other_period(json_t *ids, size_t nrules, enum granularity g)
{
	size_t n = json_array_size(ids);
	bool week = g == GRAN_WEEK;

	if (n)
		printf("rules:        %zu of %zu written for %s (period: %s): not "
		    "evaluated on this %s database; vigie check says which and "
		    "what to do\n", n, nrules, week ? "months" : "weeks",
		    week ? "month" : "week", week ? "weekly" : "monthly");
}

/* The indicators no import has brought that rules need (the meta
 * "unimported", evaluate_meta.c), a line each: those rules are undefined
 * everywhere and never fire, a silence that is not the data's. */
static void print_unimported(json_t *u)
{
	for (size_t i = 0; i < json_array_size(u); i++) {
		json_t *x = json_array_get(u, i), *r = json_object_get(x, "rules");
		size_t n = json_array_size(r);

		printf("unimported:   %s, which no import has brought, is read by %zu "
		    "rule%s (", json_string_value(json_object_get(x, "indicator")), n,
		    n == 1 ? "" : "s");
		for (size_t k = 0; k < n; k++)
			printf("%s%s", k ? ", " : "", json_string_value(json_array_get(r, k)));
		printf("): %s undefined everywhere and never fire%s (import the column, "
		    "or disable %s)\n", n == 1 ? "it is" : "they are", n == 1 ? "s" : "",
		    n == 1 ? "it" : "them");
	}
}

int cmd_status(int argc, char **argv)
{
	bool check = false;
	const struct cli_opt opts[] = { { "check", 0, NULL, &check }, { 0 } };
	const struct cli_spec spec = {
		"usage: vigie status [-c CONFIG] [--check] [--format text|json]\n"
		"The last cycle, data coverage (latest period, units, stale units,\n"
		"indicators missing from the latest period, last import, missing\n"
		"data), the outbox and the pull sources.\n\n"
		"  --check  a health check: also list what needs an operator (no\n"
		"           cycle for twice the interval, a failed cycle or reload,\n"
		"           failed notifications, missing data, files stuck in the\n"
		"           inbox), and exit 1 when anything does; a database that\n"
		"           is not there is one, and is not created\n",
		opts, true, 0,
	};
	struct status_problems probs = { 0 };
	struct cli_args a;
	struct config *cfg;
	struct store *st;
	struct alert_counts cnt;
	struct store_coverage cov = { 0 };
	struct cycle_row cr;
	struct outbox_error oe = { 0 };
	struct source_status *src = NULL;
	size_t nsrc = 0;
	enum granularity g;
	int32_t latest;
	int64_t last_import, missing_at;
	char pb[PERIOD_BUFSZ], tb[ISO8601_BUFSZ];
	int ex, lc, le = 1, missing;
	char *rf = NULL, *hm = NULL, *hd = NULL, *um = NULL;
	json_t *hist = NULL, *hid = NULL, *other = NULL, *unimp = NULL;
	size_t nrules = 0;
	int64_t reload_failed = 0;
	long holder;

	if ((ex = cli_parse(argc, argv, &spec, &a)) >= 0)
		return ex;
	if (check) {
		char *damage = NULL;

		/* A health check creates nothing: no database is a problem. */
		if (!(cfg = cli_load_config(a.config, &ex)))
			return ex;
		if (access(cfg->database, F_OK) != 0) {
			printf("problem:      no database at %s: is this the configuration "
			    "vigied runs with?\n", cfg->database);
			config_free(cfg);
			return 1;
		}
		/* A damaged database fails every cycle, and the failure cannot
		 * be recorded in it: the health check reads it all. */
		if (store_check_damage(cfg->database, &damage) != 0) {
			printf("problem:      %s\n", damage);
			free(damage);
			config_free(cfg);
			return 1;
		}
		config_free(cfg);
	}
	if ((ex = cli_open_all(&a, &cfg, &st)))
		return ex;
	g = store_granularity(st);
	latest = store_latest_period(st);
	last_import = store_last_import_time(st);
	if (store_alert_counts(st, &cnt) != 0 ||
	    (lc = store_last_cycle(st, &cr)) < 0 ||
	    (le = store_outbox_last_error(st, &oe)) < 0 ||
	    store_coverage(st, latest, &cov) != 0 ||
	    (missing = store_missing_data(st, &missing_at)) < 0 ||
	    (cfg->nsources && sources_status(st, cfg, &src, &nsrc) != 0) ||
	    store_meta_get(st, "reload_failed_at", &rf) < 0 ||
	    store_meta_get(st, "history", &hm) < 0 ||
	    store_meta_get(st, "hidden", &hd) < 0 ||
	    store_meta_get(st, "unimported", &um) < 0) {
		ex = cli_db_error(argv[0], st);
		goto out;
	}
	if (rf)		/* vigied's last reload (vigied.c, reload_record) */
		reload_failed = strtoll(rf, NULL, 10);
	if (hm)		/* the last evaluation's (evaluate.c, history_meta) */
		hist = json_loads(hm, 0, NULL);
	if (hd)		/* and evaluate_meta.c's "hidden" */
		hid = json_loads(hd, 0, NULL);
	if (um)		/* and "unimported" */
		unimp = json_loads(um, 0, NULL);
	holder = store_lock_holder(cfg->database);
	other = other_period_rules(cfg, g, &nrules);
	status_problems_find(cfg, &(struct status_facts){ holder, lc, cr, reload_failed,
	    &cnt, missing, hist, unimp, other, nrules, g }, (int64_t)time(NULL), &probs);
	if (check && probs.n)
		ex = 1;

	if (a.format == FMT_JSON) {
		json_t *j = json_object(), *jc = json_null(), *stale = json_array();
		if (lc == 0) {
			jc = json_object();
			json_object_set_new(jc, "at", json_string(text_iso8601(cr.started_at, tb)));
			json_object_set_new(jc, "duration_ms", cr.duration_ms < 0 ?
			    json_null() : json_integer(cr.duration_ms));
			json_object_set_new(jc, "period", cr.period < 0 ? json_null() :
			    json_string(period_format(g, cr.period, pb)));
			json_object_set_new(jc, "transitions", json_integer(cr.transitions));
			json_object_set_new(jc, "idle", json_boolean(cr.idle));
		}
		json_t *jr = json_object();
		json_object_set_new(jr, "running", holder < 0 ? json_null() :
		    json_boolean(holder > 0));
		json_object_set_new(jr, "pid", holder > 0 ? json_integer(holder) : json_null());
		json_object_set_new(j, "daemon", jr);
		json_object_set_new(j, "last_cycle", jc);
		json_object_set_new(j, "reload_failed_at", reload_failed > 0 ?
		    json_string(text_iso8601(reload_failed, tb)) : json_null());
		for (size_t i = 0; i < cov.nlagging; i++) {
			json_t *s = json_object();
			json_object_set_new(s, "unit", json_string(cov.lagging[i].unit));
			json_object_set_new(s, "latest_period", json_string(
			    period_format(g, cov.lagging[i].latest, pb)));
			json_array_append_new(stale, s);
		}
		json_t *jd = json_object();
		json_object_set_new(jd, "latest_period", latest >= 0 ?
		    json_string(period_format(g, latest, pb)) : json_null());
		json_object_set_new(jd, "units", json_integer(cov.units));
		json_object_set_new(jd, "stale_units", stale);
		json_object_set_new(jd, "missing_indicators", gaps_json(&cov, g));
		json_object_set_new(jd, "last_import", last_import ?
		    json_string(text_iso8601(last_import, tb)) : json_null());
		json_t *jm = json_null();
		if (missing) {
			jm = json_object();
			json_object_set_new(jm, "since", json_string(text_iso8601(missing_at, tb)));
		}
		json_object_set_new(jd, "missing_data", jm);
		json_object_set_new(j, "data", jd);
		json_t *ja = json_object();
		json_object_set_new(ja, "active", json_integer((json_int_t)cnt.active));
		json_object_set_new(ja, "warning", json_integer((json_int_t)cnt.warning));
		json_object_set_new(ja, "critical", json_integer((json_int_t)cnt.critical));
		json_object_set_new(j, "alerts", ja);
		json_object_set_new(j, "history", hist ? json_incref(hist) : json_null());
		json_object_set_new(j, "hidden", hid ? json_incref(hid) : json_null());
		json_object_set_new(j, "other_period_rules", json_incref(other));
		json_object_set_new(j, "unimported", unimp ? json_incref(unimp) : json_null());
		json_t *jo = json_object();
		json_object_set_new(jo, "pending", json_integer((json_int_t)cnt.pending));
		json_object_set_new(jo, "failed", json_integer((json_int_t)cnt.failed));
		json_object_set_new(jo, "held", json_integer((json_int_t)cnt.held));
		if (le == 0) {
			json_t *je = json_object();

			json_object_set_new(je, "at", json_string(text_iso8601(oe.at, tb)));
			json_object_set_new(je, "channel", json_string(oe.channel));
			json_object_set_new(je, "target", json_string(oe.target));
			json_object_set_new(je, "status", json_string(oe.status));
			json_object_set_new(je, "held", json_boolean(oe.held));
			json_object_set_new(je, "error", json_string(oe.error));
			json_object_set_new(jo, "last_error", je);
		} else {
			json_object_set_new(jo, "last_error", json_null());
		}
		json_object_set_new(j, "outbox", jo);
		json_object_set_new(j, "sources", sources_status_json(src, nsrc));
		json_object_set_new(j, "problems", strings_json(probs.v, probs.n));
		cli_print_json(j);
		goto out;
	}
	/* Text: one labelled line per topic. */
	if (holder > 0)
		printf("daemon:       running (pid %ld)\n", holder);
	else if (holder == 0)
		printf("daemon:       not running: no vigied holds %s.lock (alerts are "
		    "evaluated and sent while it runs, or at a timer's vigied --once)\n",
		    cfg->database);
	if (lc == 0) {
		printf("last cycle:   %s", text_iso8601(cr.started_at, tb));
		if (cr.duration_ms >= 0)
			printf(", %.2f s to import and evaluate",
			    (double)cr.duration_ms / 1000.0);
		if (cr.period >= 0)
			printf(", period %s", period_format(g, cr.period, pb));
		if (cr.idle)
			printf(", nothing changed\n");
		else
			printf(", %d transitions\n", cr.transitions);
	} else {
		printf("last cycle:   none recorded\n");
	}
	if (reload_failed > 0)
		printf("reload:       failed at %s: vigied runs the configuration and rules "
		    "it had before (its log says why); fix them and reload again\n",
		    text_iso8601(reload_failed, tb));
	printf("data:         latest period %s, %lld units with data, %zu stale, last import %s\n",
	    latest >= 0 ? period_format(g, latest, pb) : "none", (long long)cov.units,
	    cov.nlagging, last_import ? text_iso8601(last_import, tb) : "never");
	for (size_t i = 0; i < cov.nlagging; i++)
		printf("stale unit:   %s (latest %s)\n", cov.lagging[i].unit,
		    period_format(g, cov.lagging[i].latest, pb));
	print_gaps(&cov, g);
	if (missing)
		printf("missing data: no import for longer than stale_after (alert since %s)\n",
		    text_iso8601(missing_at, tb));
	printf("alerts:       %zu active (%zu critical, %zu warning)\n", cnt.active,
	    cnt.critical, cnt.warning);
	print_history(hist);
	print_hidden(hid);
	print_other_period(other, nrules, g);
	print_unimported(unimp);
	printf("outbox:       %zu pending, %zu failed", cnt.pending, cnt.failed);
	if (cnt.held)
		printf(" (%zu held until the configuration changes, or vigie retry)", cnt.held);
	printf("\n");
	if (le == 0)
		printf("last failure: %s, %s to %s (%s): %s\n", text_iso8601(oe.at, tb),
		    oe.channel, oe.target, oe.held ? "held" : oe.status, oe.error);
	for (size_t i = 0; check && i < probs.n; i++)
		printf("problem:      %s\n", probs.v[i]);
	if (nsrc) {
		printf("\n");
		print_sources(stdout, src, nsrc);
	}
out:
	status_problems_free(&probs);
	free(rf);
	free(hm);
	free(hd);
	free(um);
	json_decref(hist);
	json_decref(hid);
	json_decref(other);
	json_decref(unimp);
	store_outbox_error_free(&oe);
	store_coverage_free(&cov);
	sources_status_free(src, nsrc);
	cli_close_all(cfg, st);
	return ex;
}
