/* The alert commands (SPEC 10): `vigie alerts` and `ack` (`history`:
 * cmd_history.c). They read and write the same tables as the daemon's
 * cycle, in short transactions (WAL, busy timeout), so they work while
 * vigied runs on the database. An acknowledgement is an event row and a
 * change of the alert row, written with its audit entry; its note is a
 * note of the role the acknowledger writes in (--role, default
 * social-worker): `vigie history` shows it only with that --role, and it
 * is never sent (SPEC 3, 14). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "vigie/lifecycle.h"
#include "vigie/store_alerts.h"
#include "vigie/store_followup.h"
#include "vigie/store_silences.h"
#include "vigie/text.h"
#include "vigie/xalloc.h"
#include "today.h"
#include "alert_cli.h"

/* ------------------------------------------------------------ alerts */

/* The rules whose active alert on unit covers the alert of rule id there
 * (inhibited_by, rules/inhibit.c), into by (freed by the caller): their
 * number; none without a rule set, or when the rule left it. */
static size_t covering(const struct ruleset *rs, struct store *st, const char *id,
    const char *unit, const struct rule ***by)
{
	const struct rule *r = rs ? ruleset_find(rs, id) : NULL;

	*by = NULL;
	if (!r || !r->ninhibited_by)
		return 0;
	*by = xcalloc(r->ninhibited_by, sizeof(**by));
	return rule_inhibitors(rs, r, unit, store_alert_active, st, *by);
}

/* The SILENCED cell: "yes" when a silence holds the alert's notifications
 * (for every recipient: it says more than a cover), else
 * "covered:RULE[,RULE]" when an active alert of its inhibited_by holds
 * them for that alert's recipients, else "no". No space: the columns
 * after it keep their places for a script. */
static char *cell_held(bool silenced, const struct rule *const *by, size_t nby)
{
	char *s, *t;

	if (silenced || !nby)
		return xstrdup(silenced ? "yes" : "no");
	s = xasprintf("covered:%s", by[0]->id);
	for (size_t k = 1; k < nby; k++) {
		t = xasprintf("%s,%s", s, by[k]->id);
		free(s);
		s = t;
	}
	return s;
}

int cmd_alerts(int argc, char **argv)
{
	bool all = false;
	const struct cli_opt opts[] = { { "all", 0, NULL, &all }, { 0 } };
	const struct cli_spec spec = {
		"usage: vigie alerts [-c CONFIG] [--all] [--format text|json]\n"
		"Lists active alerts (with --all, inactive ones too) with their\n"
		"acknowledgement and whether a silence holds their notifications\n"
		"(SILENCED yes), or the active alert of a rule they are inhibited by\n"
		"(covered:RULE).\n",
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
		const struct rule **by;
		size_t nby = covering(td.rs, st, l->rule, l->unit, &by);
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
			json_t *cov = json_array();
			for (size_t k = 0; k < nby; k++)
				json_array_append_new(cov, json_string(by[k]->id));
			json_object_set_new(o, "inhibited_by", cov);
			json_array_append_new(arr, o);
			free(by);
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
		cli_table_add(&t, cell_held(silenced, by, nby));
		free(by);
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

/* --------------------------------------------------------------- ack */

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
