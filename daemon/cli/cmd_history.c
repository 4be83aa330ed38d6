/* `vigie history` (SPEC 10): an alert's events, the notifications that
 * carried them, and the notes of one role, in time order. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/lifecycle.h"
#include "vigie/store_alerts.h"
#include "vigie/store_followup.h"
#include "vigie/text.h"
#include "vigie/xalloc.h"
#include "today.h"
#include "alert_cli.h"

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

static char *history_detail(const struct history_entry *e, enum granularity g,
    const char *role, enum recorded how)
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
	char *thr = cell_real(e->threshold, e->decimals), *counts = xstrdup(""), *d, *held;
	char since[PERIOD_BUFSZ + 16] = "", pb[PERIOD_BUFSZ];

	/* a firing the data showed before the cycle that recorded it (a
	 * history imported at once), as vigie alerts' SINCE */
	if (!strcmp(e->kind, "firing") && e->since >= 0 && e->since != e->period)
		snprintf(since, sizeof(since), "active since %s, ",
		    period_format(g, e->since, pb));

	if (history_counts(e, how)) {
		char *o = cell_figure(e->observed, e->decimals);
		char *x = cell_figure(e->expected, e->decimals);

		free(counts);
		counts = xasprintf("observed %s, expected %s, ", o, x);
		free(o);
		free(x);
	}
	if (e->inhibited_by)
		held = xasprintf(", held by the alert of %s%s", e->inhibited_by,
		    !e->silenced ? " for its recipients" : e->released ?
		    ": notified once it ended" : ": not notified");
	else
		held = xstrdup(!e->silenced ? "" : e->released ?
		    ", silenced: notified once the silence was over" : ", silenced: not notified");
	d = xasprintf("%s%s%s%s%sthreshold %s%s", since, prev ? "from " : "",
	    prev ? prev : "", prev ? ", " : "", counts, thr, held);
	free(held);
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
	json_object_set_new(j, "since", json_period_or_null(e->since, g));
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
	json_object_set_new(j, "inhibited_by", e->inhibited_by ?
	    json_string(e->inhibited_by) : json_null());
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
	if ((ex = recheck(argv[0], cfg, st, a.pos[0], v, n, how, now)))
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
		cli_table_add(&t, history_detail(e, g, role, h));
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
