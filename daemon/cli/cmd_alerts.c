/* The alert commands (SPEC 10): `vigie alerts`, `ack` and `history`. They
 * read and write the same tables as the daemon's cycle, in short
 * transactions (WAL, busy timeout), so they work while vigied runs on the
 * database. An acknowledgement is an event row and a change of the alert
 * row, written with its audit entry; its note is a note of the role the
 * acknowledger writes in (--role, default social-worker): `vigie history`
 * shows it only with that --role, and it is never sent (SPEC 3, 14). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "vigie/cli.h"
#include "vigie/engine.h"
#include "vigie/lifecycle.h"
#include "vigie/rules.h"
#include "vigie/store.h"
#include "vigie/store_alerts.h"
#include "vigie/store_followup.h"
#include "vigie/store_silences.h"
#include "vigie/text.h"
#include "vigie/xalloc.h"
#include "today.h"

static json_t *json_text_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *json_real_or_null(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

static json_t *json_period_or_null(int32_t p, enum granularity g)
{
	char pb[PERIOD_BUFSZ];

	return p < 0 ? json_null() : json_string(period_format(g, p, pb));
}

/* Text cells: a number with the rule's decimals, "-" for none; a value or
 * threshold as cli_number, an observed or expected figure as digests. */
static char *cell_num(double v, int decimals, char *(*fmt)(char *, size_t, double, int))
{
	char buf[64];

	return xstrdup(isnan(v) ? "-" : fmt(buf, sizeof(buf), v, decimals));
}
#define cell_real(v, d) cell_num(v, d, cli_number)
#define cell_figure(v, d) cell_num(v, d, cli_figure)

static char *cell_period(int32_t p, enum granularity g)
{
	char pb[PERIOD_BUFSZ];

	return xstrdup(p < 0 ? "-" : period_format(g, p, pb));
}

static char *cell_text(const char *s)
{
	return xstrdup(s && *s ? s : "-");
}

static char *cell_sev(enum severity s)
{
	return cell_text(severity_name(s));
}

/* ------------------------------------------------------------ alerts */

int cmd_alerts(int argc, char **argv)
{
	bool all = false;
	const struct cli_opt opts[] = { { "all", 0, NULL, &all }, { 0 } };
	const struct cli_spec spec = {
		"usage: vigie alerts [-c CONFIG] [--all] [--format text|json]\n"
		"Lists active alerts (with --all, inactive ones too) with their\n"
		"acknowledgement and whether a silence holds their notifications.\n",
		opts, true, 0,
	};
	struct cli_args a;
	struct config *cfg;
	struct store *st;
	struct silence *sil = NULL;
	struct alert_listing *v = NULL;
	size_t nsil = 0, n = 0;
	enum granularity g;
	int32_t latest;
	char tb[ISO8601_BUFSZ];
	struct today td = { 0 };
	enum today_show *shows = NULL;
	struct engine_point *now = NULL;
	int ex;

	if ((ex = cli_parse(argc, argv, &spec, &a)) >= 0)
		return ex;
	if ((ex = cli_open_all(&a, &cfg, &st)))
		return ex;
	g = store_granularity(st);
	latest = store_latest_period(st);
	if (store_silences_load(st, &sil, &nsil) != 0 ||
	    store_alerts_list(st, all, &v, &n) != 0) {
		ex = cli_db_error(argv[0], st);
		goto out;
	}
	if ((ex = today_load(argv[0], cfg, st, false, &td)))
		goto out;
	if (!td.rs && n)
		fprintf(stderr, "%s: the rule set is invalid: values are not shown "
		    "(vigie check lists the errors)\n", argv[0]);
	else if (td.nleft && n)
		fprintf(stderr, "%s: %s%s has errors, or gives a rule id another file "
		    "gives: the values of its rules are not shown (vigie check lists the "
		    "errors)\n", argv[0], td.left[0], td.nleft > 1 ? " and other rule "
		    "files" : "");
	/* Today's data, not the last cycle's: a correction, a deletion or
	 * a higher floor since may hide the value or change it (SPEC 3). */
	shows = xcalloc(n ? n : 1, sizeof(*shows));
	now = xcalloc(n ? n : 1, sizeof(*now));
	for (size_t i = 0; i < n; i++) {
		struct alert_listing *l = &v[i];

		shows[i] = today_alert_value(&td, l->rule, l->unit, l->period, l->value,
		    l->decimals, &now[i]);
		l->value = now[i].value;
	}
	json_t *arr = a.format == FMT_JSON ? json_array() : NULL;
	/* OBSERVED and EXPECTED last, so that the columns before keep their
	 * places for the scripts that read them. */
	struct cli_table t = { .ncols = all ? 12 : 11 };
	const char *hdr[] = { "ALERT", "SEVERITY", "SCORE", "THRESHOLD", "SINCE",
	    "PERIOD", "ACKED-BY", "ACKED-AT", "SILENCED", "STATE" };
	if (!arr) {
		for (size_t i = 0; i < t.ncols - 2; i++)
			cli_table_add(&t, xstrdup(hdr[i]));
		cli_table_add(&t, xstrdup("OBSERVED"));
		cli_table_add(&t, xstrdup("EXPECTED"));
	}
	for (size_t i = 0; i < n; i++) {
		const struct alert_listing *l = &v[i];
		bool silenced = lifecycle_silenced(sil, nsil, l->rule, l->unit, latest);
		char *id = xasprintf("%s@%s", l->rule, l->unit);
		if (arr) {
			json_t *o = json_object();
			json_object_set_new(o, "id", json_string(id));
			json_object_set_new(o, "rule", json_string(l->rule));
			json_object_set_new(o, "unit", json_string(l->unit));
			json_object_set_new(o, "severity", json_text_or_null(severity_name(l->severity)));
			json_object_set_new(o, "value", json_real_or_null(l->value));
			json_object_set_new(o, "threshold", json_real_or_null(l->threshold));
			json_object_set_new(o, "since", json_period_or_null(l->since, g));
			json_object_set_new(o, "period", json_period_or_null(l->period, g));
			json_object_set_new(o, "acked_by", json_text_or_null(l->acked_by));
			json_object_set_new(o, "acked_at", l->acked_by ?
			    json_string(text_iso8601(l->acked_at, tb)) : json_null());
			json_object_set_new(o, "silenced", json_boolean(silenced));
			json_array_append_new(arr, o);
			free(id);
			continue;
		}
		cli_table_add(&t, id);
		cli_table_add(&t, cell_sev(l->severity));
		/* An alert without a value: below the anonymity floor, or
		 * data missing; say which rather than show a blank. */
		cli_table_add(&t, shows[i] == TODAY_HIDDEN ? xstrdup("hidden") :
		    shows[i] == TODAY_MISSING ? xstrdup("missing") :
		    cell_real(l->value, l->decimals));
		cli_table_add(&t, today_threshold(&td, l->rule, l->threshold, l->decimals));
		cli_table_add(&t, cell_period(l->since, g));
		cli_table_add(&t, cell_period(l->period, g));
		cli_table_add(&t, cell_text(l->acked_by));
		cli_table_add(&t, xstrdup(l->acked_by ? text_iso8601(l->acked_at, tb) : "-"));
		cli_table_add(&t, xstrdup(silenced ? "yes" : "no"));
		if (all)
			cli_table_add(&t, xstrdup(l->active ? "active" : l->retired ?
			    "retired" : "resolved"));
		/* What a statistical rule saw against what it expected (SPEC
		 * 16): its value is a probability, which says little alone. */
		bool counts = shows[i] == TODAY_VALUE && !isnan(now[i].observed) &&
		    !isnan(now[i].expected);
		cli_table_add(&t, counts ? cell_figure(now[i].observed, l->decimals) : xstrdup("-"));
		cli_table_add(&t, counts ? cell_figure(now[i].expected, l->decimals) : xstrdup("-"));
	}
	if (arr)
		cli_print_json(arr);
	else if (n == 0)
		printf(all ? "no alerts\n" : "no active alerts\n");
	cli_table_print_free(&t, n ? stdout : NULL);
out:
	free(now);
	free(shows);
	today_free(&td);
	store_alerts_list_free(v, n);
	store_silences_free(sil, nsil);
	cli_close_all(cfg, st);
	return ex;
}

/* The one argument of ack and history: an alert's name, RULE@UNIT, or a
 * usage error (exit 64, as unsilence's malformed id). */
static int alert_arg(const char *cmd, const struct cli_args *a)
{
	char *rule, *unit;

	if (a->npos != 1)
		return cli_usage_error(cmd, "which alert? give RULE@UNIT");
	if (lifecycle_split_id(a->pos[0], &rule, &unit) != 0)
		return cli_usage_error(cmd, "%s is not an alert: give RULE@UNIT, as "
		    "vigie alerts --all lists them", a->pos[0]);
	free(rule);
	free(unit);
	return 0;
}

/* Finds the alert id: 0 (aid and state set), -1, or 1 absent, said on
 * stderr for cmd, with its name of today when vigie rename moved it. */
static int find_alert(const char *cmd, struct store *st, const char *id,
    int64_t *aid, struct alert_state *state)
{
	char *rule = NULL, *unit = NULL, *to = NULL;
	int r = lifecycle_split_id(id, &rule, &unit) != 0 ? 1 :
	    store_alert_find(st, rule, unit, aid, state);

	if (r == 1 && rule && store_alert_moved(st, rule, unit, &to) == 0)
		fprintf(stderr, "%s: %s: no such alert: its unit was renamed, it is %s@%s "
		    "now\n", cmd, id, rule, to);
	else if (r == 1)
		fprintf(stderr, "%s: %s: no such alert (see vigie alerts --all)\n", cmd, id);
	free(rule);
	free(unit);
	free(to);
	return r;
}

/* --------------------------------------------------------------- ack */

/* The role notes are written in when --role is not given: vigie ack is
 * the social workers' command (README, "Following alerts"). */
#define CLI_NOTE_ROLE "social-worker"

/* A role name must be one of recipients when the configuration has any. */
static int check_role(const char *cmd, const struct config *cfg,
    const char *role)
{
	if (!*role)
		return cli_usage_error(cmd, "--role must name a role");
	if (cfg->nroles && !config_role(cfg, role) &&
	    strcmp(role, CLI_NOTE_ROLE) != 0)
		return cli_usage_error(cmd, "no role '%s' in recipients of %s",
		    role, cfg->file);
	return 0;
}

int cmd_ack(int argc, char **argv)
{
	const char *by = NULL, *note = NULL, *role = NULL;
	const struct cli_opt opts[] = {
		{ "by", 0, &by, NULL }, { "note", 0, &note, NULL },
		{ "role", 0, &role, NULL }, { 0 },
	};
	const struct cli_spec spec = {
		"usage: vigie ack [-c CONFIG] ALERT --by NAME [--note TEXT] [--role ROLE]\n"
		"Acknowledges the active alert ALERT (RULE@UNIT): no more reminders\n"
		"for this episode. The note is kept as a note of ROLE (default\n"
		"social-worker), shown by vigie history --role ROLE only; it is never\n"
		"sent. The audit log records the operating-system user; NAME is the\n"
		"name shown.\n",
		opts, false, 1,
	};
	struct cli_args a;
	struct config *cfg;
	struct store *st;
	struct alert_state state = { 0 };
	int64_t aid = 0;
	int ex, r;

	if ((ex = cli_parse(argc, argv, &spec, &a)) >= 0)
		return ex;
	if (a.npos != 1)
		return cli_usage_error(argv[0], "which alert? give RULE@UNIT");
	if (!by || !*by)
		return cli_usage_error(argv[0], "say who acknowledges with --by NAME");
	if (note && !*note)
		return cli_usage_error(argv[0], "--note is empty");
	if ((ex = alert_arg(argv[0], &a)))
		return ex;
	if ((ex = cli_open_all(&a, &cfg, &st)))
		return ex;
	if (!role)
		role = CLI_NOTE_ROLE;
	if ((ex = check_role(argv[0], cfg, role)))
		goto out;
	if (store_begin(st) != 0) {
		ex = cli_db_error(argv[0], st);
		goto out;
	}
	r = find_alert("vigie ack", st, a.pos[0], &aid, &state);
	if (r != 0 || !lifecycle_can_ack(&state)) {
		store_rollback(st);
		if (r < 0)
			ex = cli_db_error(argv[0], st);
		else {
			if (!r)
				fprintf(stderr, "vigie ack: %s: not active, nothing to "
				    "acknowledge (see vigie alerts)\n", a.pos[0]);
			ex = EX_DATAERR;
		}
		goto out;
	}
	char *detail = xasprintf("as %s", by), *nd = xasprintf("role %s", role);
	int64_t now = time(NULL);
	if (store_alert_ack(st, aid, by, NULL, now) != 0 ||
	    (note && store_note_add(st, role, by, aid, NULL, note, now) < 0)) {
		ex = cli_db_error(argv[0], st);
	} else if (!(ex = cli_audit(argv[0], st, "ack", a.pos[0], detail)) &&
	    (!note || !(ex = cli_audit(argv[0], st, "note", a.pos[0], nd))) &&
	    store_commit(st) != 0) {
		ex = cli_db_error(argv[0], st);
	}
	free(detail);
	free(nd);
	if (ex) {
		store_rollback(st);
		goto out;
	}
	printf("acknowledged %s by %s\n", a.pos[0], by);
out:
	cli_close_all(cfg, st);
	return ex;
}

/* ------------------------------------------------------------ history */

/* The text of an acknowledgement's note written before notes had a role
 * (the event's own note), shown as a note of CLI_NOTE_ROLE. */
static const char *legacy_note(const struct history_entry *e, const char *role)
{
	return e->note && role && !strcmp(role, CLI_NOTE_ROLE) ? e->note : NULL;
}

/* What the event's messages compared (SPEC 16), while today's data still
 * gives it (SPEC 3). */
static bool history_counts(const struct history_entry *e, enum recorded how)
{
	return how == RECORDED_SHOWN && !isnan(e->observed) && !isnan(e->expected);
}

static char *history_detail(const struct history_entry *e, const char *role,
    enum recorded how)
{
	if (e->notification) {
		bool failed_err = e->error && strcmp(e->status, "sent");
		return xasprintf("%s %s (%s, %s): %s%s%.0d%s%s%s", e->channel, e->target,
		    e->role, e->kind, e->status, e->attempts ? " after " : "", e->attempts,
		    e->attempts ? (e->attempts > 1 ? " attempts" : " attempt") : "",
		    failed_err ? ", last error: " : "", failed_err ? e->error : "");
	}
	if (!strcmp(e->kind, "ack") || !strcmp(e->kind, "reopened")) {
		const char *note = legacy_note(e, role);
		return xasprintf("by %s%s%s", e->author ? e->author : "?",
		    note ? ": " : "", note ? note : "");
	}
	if (outcome_event(e->kind)) {
		const char *o = outcome_name(e->outcome);
		return xasprintf("by %s, outcome %s", e->author ? e->author : "?",
		    o ? o : "?");
	}
	const char *prev = severity_name(e->previous);
	char *thr = cell_real(e->threshold, e->decimals), *counts = xstrdup(""), *d;

	if (history_counts(e, how)) {
		char *o = cell_figure(e->observed, e->decimals);
		char *x = cell_figure(e->expected, e->decimals);

		free(counts);
		counts = xasprintf("observed %s, expected %s, ", o, x);
		free(o);
		free(x);
	}
	d = xasprintf("%s%s%s%sthreshold %s%s", prev ? "from " : "", prev ? prev : "",
	    prev ? ", " : "", counts, thr, !e->silenced ? "" : e->released ?
	    ", silenced: notified once the silence was over" : ", silenced: not notified");
	free(thr);
	free(counts);
	return d;
}

/* Today's view of each event's recorded value (today.h): how[i] for v[i],
 * and now[i] today's value. 0 or an exit code. */
static int recheck(const char *cmd, struct config *cfg, struct store *st,
    const char *id, const struct history_entry *v, size_t n, enum recorded *how,
    double *now)
{
	struct today td;
	char *rule = NULL, *unit = NULL;
	int ex = today_load(cmd, cfg, st, true, &td);

	if (ex)
		return ex;
	if (lifecycle_split_id(id, &rule, &unit) == 0)
		for (size_t i = 0; i < n; i++) {
			const struct history_entry *e = &v[i];
			struct engine_point rec = { e->value, e->observed,
			    e->expected, false, false }, pt = { NAN, NAN, NAN, false, false };

			how[i] = RECORDED_SHOWN;
			if (!e->notification)
				how[i] = today_recorded(&td, rule, unit, e->period,
				    &rec, e->decimals, &pt);
			now[i] = pt.value;
		}
	free(rule);
	free(unit);
	today_free(&td);
	return ex;
}

static json_t *history_json(const struct history_entry *e, enum granularity g,
    const char *role, enum recorded how)
{
	json_t *j = json_object();
	char tb[ISO8601_BUFSZ];

	json_object_set_new(j, "at", json_string(text_iso8601(e->at, tb)));
	if (e->notification) {
		json_object_set_new(j, "kind", json_string("notification"));
		json_object_set_new(j, "event", json_string(e->kind));
		json_object_set_new(j, "channel", json_string(e->channel));
		json_object_set_new(j, "target", json_string(e->target));
		json_object_set_new(j, "role", json_string(e->role));
		json_object_set_new(j, "status", json_string(e->status));
		json_object_set_new(j, "attempts", json_integer(e->attempts));
		json_object_set_new(j, "error", json_text_or_null(e->error));
		return j;
	}
	json_object_set_new(j, "kind", json_string(e->kind));
	json_object_set_new(j, "period", json_period_or_null(e->period, g));
	json_object_set_new(j, "severity", json_text_or_null(severity_name(e->severity)));
	json_object_set_new(j, "prev_severity", json_text_or_null(severity_name(e->previous)));
	json_object_set_new(j, "value", json_real_or_null(how == RECORDED_SHOWN ?
	    e->value : NAN));
	json_object_set_new(j, "revised", json_boolean(how != RECORDED_SHOWN));
	json_object_set_new(j, "observed", json_real_or_null(history_counts(e, how) ?
	    e->observed : NAN));
	json_object_set_new(j, "expected", json_real_or_null(history_counts(e, how) ?
	    e->expected : NAN));
	json_object_set_new(j, "threshold", json_real_or_null(e->threshold));
	json_object_set_new(j, "silenced", json_boolean(e->silenced));
	json_object_set_new(j, "released", e->released ?
	    json_string(text_iso8601(e->released, tb)) : json_null());
	if (!strcmp(e->kind, "ack") || !strcmp(e->kind, "reopened")) {
		json_object_set_new(j, "by", json_text_or_null(e->author));
		json_object_set_new(j, "note", json_text_or_null(legacy_note(e, role)));
	} else if (outcome_event(e->kind)) {
		json_object_set_new(j, "by", json_text_or_null(e->author));
		json_object_set_new(j, "outcome", json_text_or_null(outcome_name(e->outcome)));
	}
	return j;
}

/* An event's SCORE cell: as recorded, or why it is not shown any more. */
static char *history_value(const struct history_entry *e, enum recorded how, double now)
{
	if (how == RECORDED_HIDDEN)
		return xstrdup("hidden");
	if (how == RECORDED_REVISED) {
		char *x = cell_real(now, e->decimals), *c;

		c = isnan(now) ? xstrdup("revised") : xasprintf("revised, now %s", x);
		free(x);
		return c;
	}
	if (strcmp(e->kind, "ack") && strcmp(e->kind, "reopened") &&
	    !outcome_event(e->kind) && isnan(e->value))
		return xstrdup(e->absent ? "missing" : "hidden");
	return cell_real(e->value, e->decimals);
}

static json_t *note_json(const struct note *n)
{
	json_t *j = json_object();
	char tb[ISO8601_BUFSZ];

	json_object_set_new(j, "at", json_string(text_iso8601(n->at, tb)));
	json_object_set_new(j, "kind", json_string("note"));
	json_object_set_new(j, "role", json_string(n->role));
	json_object_set_new(j, "by", json_string(n->author));
	json_object_set_new(j, "note", json_string(n->body));
	/* when its author corrected it in the console (its old text is gone) */
	json_object_set_new(j, "edited", n->edited ?
	    json_string(text_iso8601(n->edited, tb)) : json_null());
	return j;
}

int cmd_history(int argc, char **argv)
{
	const char *role = NULL;
	const struct cli_opt opts[] = { { "role", 0, &role, NULL }, { 0 } };
	const struct cli_spec spec = {
		"usage: vigie history [-c CONFIG] ALERT [--role ROLE] [--format text|json]\n"
		"Every transition, acknowledgement and notification (with its\n"
		"outcome) of the alert ALERT (RULE@UNIT), in time order; with --role,\n"
		"the notes written in ROLE too (without it, no note is shown: a\n"
		"role's notes are never shown to another).\n",
		opts, true, 1,
	};
	struct cli_args a;
	struct config *cfg;
	struct store *st;
	struct history_entry *v = NULL;
	struct note *notes = NULL;
	struct alert_state state;
	enum recorded *how = NULL;
	double *now = NULL;
	size_t n = 0, nn = 0;
	int64_t aid = 0;
	enum granularity g;
	int ex, rc;

	if ((ex = cli_parse(argc, argv, &spec, &a)) >= 0)
		return ex;
	if ((ex = alert_arg(argv[0], &a)))
		return ex;
	if ((ex = cli_open_all(&a, &cfg, &st)))
		return ex;
	if (role && (ex = check_role(argv[0], cfg, role)))
		goto out;
	g = store_granularity(st);
	rc = find_alert("vigie history", st, a.pos[0], &aid, &state);
	if (rc != 0) {
		ex = rc < 0 ? cli_db_error(argv[0], st) : EX_DATAERR;
		goto out;
	}
	if (store_alert_history(st, aid, &v, &n) != 0 ||
	    (role && store_notes_list(st, role, aid, NULL, &notes, &nn) != 0)) {
		ex = cli_db_error(argv[0], st);
		goto out;
	}
	how = xcalloc(n ? n : 1, sizeof(*how));
	now = xcalloc(n ? n : 1, sizeof(*now));
	if ((ex = recheck("vigie history", cfg, st, a.pos[0], v, n, how, now)))
		goto out;
	/* The history and the role's notes, merged in time order. */
	if (a.format == FMT_JSON) {
		json_t *arr = json_array();
		for (size_t i = 0, k = 0; i < n || k < nn; )
			if (k < nn && (i == n || notes[k].at < v[i].at))
				json_array_append_new(arr, note_json(&notes[k++]));
			else {
				json_array_append_new(arr, history_json(&v[i], g, role, how[i]));
				i++;
			}
		cli_print_json(arr);
		goto out;
	}
	struct cli_table t = { .ncols = 6 };
	const char *hdr[] = { "TIME", "EVENT", "PERIOD", "SEVERITY", "SCORE", "DETAIL" };
	char tb[ISO8601_BUFSZ];
	for (size_t i = 0; i < 6; i++)
		cli_table_add(&t, xstrdup(hdr[i]));
	for (size_t i = 0, k = 0; i < n || k < nn; ) {
		if (k < nn && (i == n || notes[k].at < v[i].at)) {
			const struct note *o = &notes[k++];
			cli_table_add(&t, xstrdup(text_iso8601(o->at, tb)));
			cli_table_add(&t, xstrdup("note"));
			for (int c = 0; c < 3; c++)
				cli_table_add(&t, xstrdup("-"));
			char eb[ISO8601_BUFSZ];
			cli_table_add(&t, xasprintf("by %s (%s)%s%s: %s", o->author,
			    o->role, o->edited ? ", edited " : "",
			    o->edited ? text_iso8601(o->edited, eb) : "", o->body));
			continue;
		}
		const struct history_entry *e = &v[i];
		enum recorded h = how[i];
		double nw = now[i++];
		cli_table_add(&t, xstrdup(text_iso8601(e->at, tb)));
		if (e->notification) {
			cli_table_add(&t, xstrdup("notification"));
			for (int c = 0; c < 3; c++)
				cli_table_add(&t, xstrdup("-"));
		} else {
			cli_table_add(&t, xstrdup(e->kind));
			cli_table_add(&t, cell_period(e->period, g));
			cli_table_add(&t, cell_sev(e->severity));
			cli_table_add(&t, history_value(e, h, nw));
		}
		cli_table_add(&t, history_detail(e, role, h));
	}
	cli_table_print_free(&t, stdout);
out:
	free(how);
	free(now);
	store_notes_free(notes, nn);
	store_alert_history_free(v, n);
	cli_close_all(cfg, st);
	return ex;
}
