/* Following alerts up in the store (SPEC 14) and the audit log (SPEC 3):
 * closing takes an alert in charge first, a new episode starts open, notes
 * come back only to the role that wrote them and only their author
 * corrects or deletes them, a closing's outcome corrected, and the counts
 * the works council report shows. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/store.h"
#include "vigie/store_alerts.h"
#include "vigie/store_audit.h"
#include "vigie/store_followup.h"
#include "vigie/store_outbox.h"
#include "testdb.h"

static char dir[64], db[96];
static struct store *ST;

static void setup(void)
{
	ST = tdb_store_new("followup", dir, db);
}

static void teardown(void)
{
	tdb_store_free(ST, dir);
}

TestSuite(followup, .init = setup, .fini = teardown);

/* Alert id of rule r on unit u (0: a new one) firing for period p, written
 * by a cycle at `now`: a new episode, its follow-up forgotten. */
static int64_t fire_episode(const char *r, const char *u, int64_t id, int64_t now,
    int32_t p)
{
	struct store_cycle c = { .now = now };
	struct alert_state a = { .active = true, .severity = SEV_WARNING,
	    .value = 7, .threshold = 6, .period = p, .since = p, .notified = p };

	cr_assert_eq(store_begin(ST), 0);
	cr_assert_eq(store_alert_write(ST, &c, r, u, &id, &a, true), 0);
	struct event_in e = { .alert = id, .kind = "firing", .rule = r, .unit = u,
	    .period = p, .since = p, .sev = SEV_WARNING, .value = 7,
	    .threshold = 6, .decimals = 1 };
	cr_assert_gt(store_event_insert(ST, &c, &e), 0);
	cr_assert_eq(store_commit(ST), 0);
	return id;
}

/* A new active alert of rule r on unit u that fired for period p, written
 * by a cycle at `now`. */
static int64_t fire_for(const char *r, const char *u, int64_t now, int32_t p)
{
	return fire_episode(r, u, 0, now, p);
}

static int64_t fire(const char *r, const char *u, int64_t now)
{
	return fire_for(r, u, now, 24310);
}

Test(followup, closing_takes_the_alert_in_charge_and_stops_its_reminders)
{
	int64_t id = fire("conflicts", "acme/a", 1000);
	struct followup f;
	struct alert_state s;

	cr_assert_eq(store_alert_close(ST, id, "M. Martin", OUTCOME_FALSE_ALARM, 2000), 0);
	cr_assert_eq(store_followup_get(ST, id, &f), 0);
	cr_assert_str_eq(f.taken_by, "M. Martin");
	cr_assert_eq(f.taken_at, 2000);
	cr_assert_str_eq(f.closed_by, "M. Martin");
	cr_assert_eq(f.outcome, OUTCOME_FALSE_ALARM);
	followup_free(&f);
	cr_assert_eq(store_alert_find(ST, "conflicts", "acme/a", &id, &s), 0);
	cr_assert(s.acked, "a closed alert is reminded no more");
	cr_assert_eq(tdb_int(db, "SELECT count(*) FROM event WHERE kind = 'ack'"), 1);
	cr_assert_eq(tdb_int(db, "SELECT count(*) FROM event WHERE kind = 'closed'"
	    " AND outcome = 'false_alarm' AND author = 'M. Martin'"), 1);
	cr_assert_eq(store_followup_get(ST, 999, &f), 1);
}

Test(followup, a_new_episode_starts_open)
{
	int64_t id = fire("conflicts", "acme/a", 1000);
	struct store_cycle c = { .now = 3000 };
	struct alert_state a = { .active = true, .severity = SEV_CRITICAL,
	    .value = 9, .threshold = 8, .period = 24312, .since = 24312,
	    .notified = 24312 };
	struct followup f;

	cr_assert_eq(store_alert_close(ST, id, "RH", OUTCOME_ACTION_TAKEN, 2000), 0);
	cr_assert_eq(store_begin(ST), 0);
	cr_assert_eq(store_alert_write(ST, &c, "conflicts", "acme/a", &id, &a, true), 0);
	cr_assert_eq(store_commit(ST), 0);
	cr_assert_eq(store_followup_get(ST, id, &f), 0);
	cr_assert_null(f.taken_by);
	cr_assert_null(f.closed_by);
	cr_assert_eq(f.outcome, OUTCOME_NONE);
	followup_free(&f);
}

Test(followup, notes_come_back_only_to_their_role)
{
	int64_t id = fire("harassment", "acme/a", 1000);
	struct note *v;
	size_t n;

	cr_assert_gt(store_note_add(ST, "social-worker", "M. Martin", id, NULL,
	    "Entretien prévu", 1100), 0);
	cr_assert_gt(store_note_add(ST, "hr", "DRH", id, NULL, "Point manager", 1200), 0);
	cr_assert_gt(store_note_add(ST, "social-worker", "M. Martin", 0, "acme/a",
	    "Équipe suivie depuis mars", 1300), 0);
	cr_assert_eq(store_notes_list(ST, "hr", id, NULL, &v, &n), 0);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(v[0].body, "Point manager");
	store_notes_free(v, n);
	cr_assert_eq(store_notes_list(ST, "social-worker", id, NULL, &v, &n), 0);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(v[0].body, "Entretien prévu");
	store_notes_free(v, n);
	cr_assert_eq(store_notes_list(ST, "hr", 0, "acme/a", &v, &n), 0);
	cr_assert_eq(n, 0, "a social worker's note on a unit is not HR's");
	store_notes_free(v, n);
	cr_assert_eq(store_notes_list(ST, "social-worker", 0, "acme/a", &v, &n), 0);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(v[0].body, "Équipe suivie depuis mars");
	store_notes_free(v, n);
}

Test(followup, only_its_author_in_its_role_corrects_or_deletes_a_note)
{
	int64_t id = fire("harassment", "acme/a", 1000);
	int64_t nid = store_note_add(ST, "social-worker", "marie", id, NULL,
	    "Entretien avec M. Dupont", 1100);
	struct note *v;
	size_t n;

	cr_assert_gt(nid, 0);
	cr_assert_eq(store_note_edit(ST, nid, "social-worker", "claire", 0, "x", 1200), 1,
	    "another user of the role");
	cr_assert_eq(store_note_edit(ST, nid, "hr", "marie", 0, "x", 1200), 1,
	    "the author's name in another role");
	cr_assert_eq(store_note_delete(ST, nid, "social-worker", "claire", 0), 1);
	cr_assert_eq(store_note_edit(ST, nid, "social-worker", "marie", 1101, "x", 1200), 1,
	    "a marie whose account was created after the note");
	cr_assert_eq(store_note_delete(ST, nid, "social-worker", "marie", 1101), 1);
	cr_assert_eq(store_note_edit(ST, nid, "social-worker", "marie", 1100,
	    "Entretien avec la responsable", 1300), 0);
	cr_assert_eq(store_notes_list(ST, "social-worker", id, NULL, &v, &n), 0);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(v[0].body, "Entretien avec la responsable");
	cr_assert_eq(v[0].at, 1100, "written when it was written");
	cr_assert_eq(v[0].edited, 1300, "corrected when it was corrected");
	store_notes_free(v, n);
	cr_assert_eq(store_note_delete(ST, nid, "social-worker", "marie", 1100), 0);
	cr_assert_eq(store_note_delete(ST, nid, "social-worker", "marie", 1100), 1, "once");
	cr_assert_eq(store_notes_list(ST, "social-worker", id, NULL, &v, &n), 0);
	cr_assert_eq(n, 0);
	store_notes_free(v, n);
	/* The audit log names a deleted note by its number: never given again. */
	cr_assert_gt(store_note_add(ST, "social-worker", "marie", id, NULL, "Suite", 1400), nid);
}

Test(followup, counts_cover_a_unit_and_its_descendants_in_a_time_span)
{
	int64_t a = fire("conflicts", "acme/nancy/a", 1000);
	int64_t b = fire("conflicts", "acme/nancy/b", 1000);
	int64_t c = fire("conflicts", "acme/metz/c", 1000);
	int64_t d = fire("conflicts", "acme/nancyville", 1000);
	struct followup_counts k;

	cr_assert_eq(store_alert_ack(ST, a, "AS", NULL, 1500), 0);
	cr_assert_eq(store_alert_close(ST, a, "AS", OUTCOME_ACTION_TAKEN, 1600), 0);
	cr_assert_eq(store_alert_close(ST, b, "AS", OUTCOME_NO_ACTION_NEEDED, 1700), 0);
	cr_assert_eq(store_alert_close(ST, c, "AS", OUTCOME_FALSE_ALARM, 1700), 0);
	cr_assert_eq(store_alert_ack(ST, d, "AS", NULL, 5000), 0);
	cr_assert_eq(store_followup_counts(ST, "acme/nancy", 24300, 24311, 4000, NULL, 0, &k), 0);
	cr_assert_eq(k.fired, 2, "acme/nancyville is not under acme/nancy");
	cr_assert_eq(k.taken, 2);
	cr_assert_eq(k.closed[OUTCOME_ACTION_TAKEN], 1);
	cr_assert_eq(k.closed[OUTCOME_NO_ACTION_NEEDED], 1);
	cr_assert_eq(k.closed[OUTCOME_FALSE_ALARM], 0);
	cr_assert_eq(store_followup_counts(ST, NULL, 24300, 24311, 4000, NULL, 0, &k), 0);
	cr_assert_eq(k.fired, 4);
	cr_assert_eq(k.taken, 3, "the ack at 5000 is after the time given");
	cr_assert_eq(k.closed[OUTCOME_FALSE_ALARM], 1);
}

/* vigie rename moves an alert to the unit's new path, its events keep the
 * name they were recorded under: the counts are the alert's unit's of
 * today, as the report's alert counts are. */
Test(followup, counts_follow_an_alert_to_its_unit_renamed)
{
	int64_t a = fire("conflicts", "acme/metz/restauration", 1000);
	struct followup_counts k;

	tdb_exec(db, "UPDATE alert SET unit = 'acme/nancy/cuisine'"
	    " WHERE unit = 'acme/metz/restauration'");
	cr_assert_eq(store_alert_ack(ST, a, "AS", NULL, 1500), 0);
	cr_assert_eq(store_followup_counts(ST, "acme/nancy/cuisine", 24300, 24311, 4000,
	    NULL, 0, &k), 0);
	cr_assert_eq(k.fired, 1);
	cr_assert_eq(k.taken, 1, "the renamed team's alert was taken in charge");
	cr_assert_eq(store_followup_counts(ST, "acme/nancy", 24300, 24311, 4000, NULL, 0,
	    &k), 0);
	cr_assert_eq(k.taken, 1, "its new site counts it");
	cr_assert_eq(store_followup_counts(ST, "acme/metz", 24300, 24311, 4000, NULL, 0,
	    &k), 0);
	cr_assert_eq(k.fired + k.taken, 0, "its old site does not");
}

/* Alert id (rule r, unit u) resolved for period p by a cycle at now. */
static void resolve_for(int64_t id, const char *r, const char *u, int64_t now,
    int32_t p)
{
	struct store_cycle c = { .now = now };
	struct event_in e = { .alert = id, .kind = "resolved", .rule = r, .unit = u,
	    .period = p, .since = p, .sev = SEV_NONE, .value = 1, .threshold = 6,
	    .decimals = 1 };

	cr_assert_eq(store_begin(ST), 0);
	cr_assert_gt(store_event_insert(ST, &c, &e), 0);
	cr_assert_eq(store_commit(ST), 0);
}

Test(followup, counts_what_was_done_about_the_alerts_of_the_periods_given)
{
	/* Period 24311's alert is acknowledged at 9000, after the span's
	 * last day: it still counts (the data of a month comes after it). An
	 * alert of 24290 resolved at 24295, acknowledged at 2000, during the
	 * span: not one of its alerts. */
	int64_t a = fire_for("conflicts", "acme/a", 1000, 24311);
	int64_t b = fire_for("conflicts", "acme/b", 500, 24290);
	struct followup_counts k;

	resolve_for(b, "conflicts", "acme/b", 600, 24295);
	cr_assert_eq(store_alert_ack(ST, a, "AS", NULL, 9000), 0);
	cr_assert_eq(store_alert_ack(ST, b, "AS", NULL, 2000), 0);
	cr_assert_eq(store_followup_counts(ST, "acme", 24300, 24311, 10000, NULL, 0, &k), 0);
	cr_assert_eq(k.fired, 1);
	cr_assert_eq(k.before, 0, "b's episode ended before the span");
	cr_assert_eq(k.taken, 1, "a's ack counts, b's does not");
	cr_assert_eq(store_followup_counts(ST, "acme", 24300, 24311, 9000, NULL, 0, &k), 0);
	cr_assert_eq(k.taken, 0, "nothing was done about a before 9000");
}

/* An alert notified before the span and still active at its first period
 * is one of the report's ongoing alerts: its follow-up counts, taken in
 * charge or closed before the span too (HR took it in June, the quarter
 * begins in August), in a base of its own. One resolved at the span's
 * first period, or before, is not ongoing; the console's rows (alerts
 * that fired in the span) leave them all out. */
Test(followup, counts_the_ongoing_alerts_notified_before_the_span)
{
	int64_t a = fire_for("conflicts", "acme/a", 500, 24290);
	int64_t b = fire_for("conflicts", "acme/b", 500, 24290);
	int64_t c = fire_for("conflicts", "acme/c", 500, 24290);
	int64_t d = fire_for("conflicts", "acme/d", 500, 24290);
	struct followup_counts k;
	struct followup_row *v;
	size_t n;

	cr_assert_eq(store_alert_ack(ST, a, "RH", NULL, 600), 0);
	cr_assert_eq(store_alert_close(ST, b, "RH", OUTCOME_ACTION_TAKEN, 700), 0);
	resolve_for(b, "conflicts", "acme/b", 1500, 24305);
	resolve_for(c, "conflicts", "acme/c", 1000, 24300);
	cr_assert_eq(store_alert_ack(ST, c, "RH", NULL, 1100), 0);
	resolve_for(d, "conflicts", "acme/d", 800, 24296);
	cr_assert_eq(fire_episode("conflicts", "acme/d", d, 900, 24298), d);
	cr_assert_eq(store_followup_counts(ST, "acme", 24300, 24311, 4000, NULL, 0, &k), 0);
	cr_assert_eq(k.fired, 0);
	cr_assert_eq(k.before, 3, "a, b (resolved in the span) and d's second episode");
	cr_assert_eq(k.taken, 2, "a's, before the span, and b's closing");
	cr_assert_eq(k.closed[OUTCOME_ACTION_TAKEN], 1);
	cr_assert_eq(store_followup_counts(ST, "acme/c", 24300, 24311, 4000, NULL, 0, &k), 0);
	cr_assert_eq(k.before + k.fired + k.taken, 0, "resolved at the span's first period");
	cr_assert_eq(store_followup_counts(ST, "acme/d", 24300, 24311, 4000, NULL, 0, &k), 0);
	cr_assert_eq(k.before, 1, "its episode of 24298, once");
	cr_assert_eq(store_followup_rows(ST, 24300, 24311, 4000, &v, &n), 0);
	cr_assert_eq(n, 0, "the console's rows: alerts that fired in the span");
	followup_rows_free(v, n);
}

Test(followup, counts_alerts_of_the_rules_given_once_each)
{
	int64_t a = fire("conflicts", "acme/a", 1000);
	int64_t b = fire("burnout", "acme/a", 1000);
	const char *counted[] = { "conflicts", "absences" };
	struct followup_counts k;

	cr_assert_eq(store_alert_ack(ST, a, "AS", NULL, 1500), 0);
	cr_assert_eq(store_alert_ack(ST, a, "DRH", NULL, 1600), 0);
	cr_assert_eq(store_alert_ack(ST, b, "AS", NULL, 1500), 0);
	cr_assert_eq(store_alert_close(ST, b, "AS", OUTCOME_FALSE_ALARM, 1700), 0);
	cr_assert_eq(store_followup_counts(ST, "acme", 24300, 24311, 4000, counted, 2, &k), 0);
	cr_assert_eq(k.fired, 1, "burnout is not among the rules given");
	cr_assert_eq(k.taken, 1, "an alert acknowledged twice was taken in charge once");
	cr_assert_eq(k.closed[OUTCOME_FALSE_ALARM], 0);
	cr_assert_eq(store_followup_counts(ST, "acme", 24300, 24311, 4000, NULL, 0, &k), 0);
	cr_assert_eq(k.taken, 2);
	cr_assert_eq(k.closed[OUTCOME_FALSE_ALARM], 1);
}

Test(followup, rows_give_each_rule_and_alert_its_own_counts)
{
	int64_t a = fire("conflicts", "acme/a", 1000);
	int64_t b = fire("burnout", "acme/a", 1000);
	int64_t c = fire("conflicts", "acme/b", 1000);
	struct followup_row *v;
	size_t n;

	cr_assert_eq(store_alert_ack(ST, a, "AS", NULL, 1500), 0);
	cr_assert_eq(store_alert_ack(ST, a, "DRH", NULL, 1600), 0);
	cr_assert_eq(store_alert_close(ST, b, "AS", OUTCOME_FALSE_ALARM, 1700), 0);
	cr_assert_eq(store_alert_close(ST, c, "AS", OUTCOME_ACTION_TAKEN, 5000), 0);
	cr_assert_eq(store_followup_rows(ST, 24300, 24311, 4000, &v, &n), 0);
	cr_assert_eq(n, 3, "one row per alert");
	cr_assert_str_eq(v[0].rule, "burnout");
	cr_assert_str_eq(v[0].unit, "acme/a");
	cr_assert_eq(v[0].c.fired, 1);
	cr_assert_eq(v[0].c.closed[OUTCOME_FALSE_ALARM], 1);
	cr_assert_str_eq(v[1].rule, "conflicts");
	cr_assert_str_eq(v[1].unit, "acme/a");
	cr_assert_eq(v[1].c.taken, 1, "acknowledged twice, taken in charge once");
	cr_assert_eq(v[1].c.closed[OUTCOME_FALSE_ALARM], 0);
	cr_assert_str_eq(v[2].unit, "acme/b");
	cr_assert_eq(v[2].c.fired, 1);
	cr_assert_eq(v[2].c.closed[OUTCOME_ACTION_TAKEN], 0, "closed after the time given");
	followup_rows_free(v, n);
}

Test(followup, a_corrected_outcome_counts_instead_of_the_first_once)
{
	/* Closed as a false alarm by a misclick, corrected to action taken:
	 * the report counts the alert once, with the outcome as corrected
	 * by the report's time; the history keeps both. */
	int64_t a = fire("conflicts", "acme/a", 1000);
	int64_t b = fire("conflicts", "acme/b", 1000);
	struct followup_counts k;
	struct followup f;

	cr_assert_eq(store_alert_correct(ST, a, "AS", OUTCOME_ACTION_TAKEN, 1500), 1,
	    "an open alert has no outcome to correct");
	cr_assert_eq(store_alert_close(ST, a, "AS", OUTCOME_FALSE_ALARM, 1600), 0);
	cr_assert_eq(store_alert_close(ST, b, "AS", OUTCOME_FALSE_ALARM, 1600), 0);
	cr_assert_eq(store_alert_correct(ST, a, "AS2", OUTCOME_FALSE_ALARM, 1650), 1,
	    "the same outcome is no correction");
	cr_assert_eq(store_alert_correct(ST, a, "AS2", OUTCOME_NO_ACTION_NEEDED, 1700), 0);
	cr_assert_eq(store_alert_correct(ST, a, "AS2", OUTCOME_ACTION_TAKEN, 1800), 0);
	cr_assert_eq(store_followup_get(ST, a, &f), 0);
	cr_assert_str_eq(f.closed_by, "AS", "the closing keeps its author");
	cr_assert_eq(f.closed_at, 1600);
	cr_assert_eq(f.outcome, OUTCOME_ACTION_TAKEN);
	followup_free(&f);
	cr_assert_eq(tdb_int(db, "SELECT count(*) FROM event WHERE kind = 'corrected'"
	    " AND author = 'AS2'"), 2);
	cr_assert_eq(store_followup_counts(ST, NULL, 24300, 24311, 4000, NULL, 0, &k), 0);
	cr_assert_eq(k.closed[OUTCOME_ACTION_TAKEN], 1);
	cr_assert_eq(k.closed[OUTCOME_FALSE_ALARM], 1, "b only");
	cr_assert_eq(k.closed[OUTCOME_NO_ACTION_NEEDED], 0);
	cr_assert_eq(store_followup_counts(ST, NULL, 24300, 24311, 1750, NULL, 0, &k), 0);
	cr_assert_eq(k.closed[OUTCOME_NO_ACTION_NEEDED], 1, "as corrected by 1750");
	cr_assert_eq(k.closed[OUTCOME_ACTION_TAKEN], 0);
	cr_assert_eq(store_followup_counts(ST, NULL, 24300, 24311, 1650, NULL, 0, &k), 0);
	cr_assert_eq(k.closed[OUTCOME_FALSE_ALARM], 2, "before any correction");
}

Test(followup, a_correction_applies_to_its_episode_only)
{
	int64_t id = fire("conflicts", "acme/a", 1000);
	struct followup_row *v;
	size_t n;

	cr_assert_eq(store_alert_close(ST, id, "AS", OUTCOME_FALSE_ALARM, 2000), 0);
	cr_assert_eq(store_alert_correct(ST, id, "AS", OUTCOME_ACTION_TAKEN, 2100), 0);
	cr_assert_eq(fire_episode("conflicts", "acme/a", id, 3000, 24305), id);
	cr_assert_eq(store_alert_correct(ST, id, "AS", OUTCOME_NO_ACTION_NEEDED, 3100), 1,
	    "the new episode is not closed");
	cr_assert_eq(store_alert_close(ST, id, "AS", OUTCOME_FALSE_ALARM, 3200), 0);
	cr_assert_eq(store_alert_correct(ST, id, "AS", OUTCOME_NO_ACTION_NEEDED, 3300), 0);
	cr_assert_eq(store_followup_rows(ST, 24300, 24311, 4000, &v, &n), 0);
	cr_assert_eq(n, 1);
	cr_assert_eq(v[0].c.fired, 2);
	cr_assert_eq(v[0].c.closed[OUTCOME_ACTION_TAKEN], 1, "the first closing, corrected");
	cr_assert_eq(v[0].c.closed[OUTCOME_NO_ACTION_NEEDED], 1, "the second, corrected");
	cr_assert_eq(v[0].c.closed[OUTCOME_FALSE_ALARM], 0);
	followup_rows_free(v, n);
}

Test(followup, outcomes_are_read_with_any_separator)
{
	enum outcome o;

	cr_assert_eq(outcome_parse("false alarm", &o), 0);
	cr_assert_eq(o, OUTCOME_FALSE_ALARM);
	cr_assert_eq(outcome_parse("no-action-needed", &o), 0);
	cr_assert_eq(o, OUTCOME_NO_ACTION_NEEDED);
	cr_assert_eq(outcome_parse("action_taken", &o), 0);
	cr_assert_eq(o, OUTCOME_ACTION_TAKEN);
	cr_assert_eq(outcome_parse("action", &o), -1);
	cr_assert_eq(outcome_parse("", &o), -1);
}

Test(followup, the_audit_log_keeps_who_did_what_in_order)
{
	struct audit_entry *v;
	size_t n;

	cr_assert_eq(store_audit_add(ST, "alice", "cli", "export", "eval", NULL, 100), 0);
	cr_assert_eq(store_audit_add(ST, "marie", "web", "login", NULL, "127.0.0.1", 200), 0);
	cr_assert_eq(store_audit_list(ST, 150, &v, &n), 0);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(v[0].actor, "marie");
	cr_assert_str_eq(v[0].via, "web");
	cr_assert_str_eq(v[0].action, "login");
	cr_assert_null(v[0].object);
	store_audit_free(v, n);
	cr_assert_eq(store_audit_list(ST, 0, &v, &n), 0);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(v[0].actor, "alice");
	store_audit_free(v, n);
	cr_assert_eq(store_audit_has(ST, "marie", "web", "login", NULL, "127.0.0.1", 200), 1);
	cr_assert_eq(store_audit_has(ST, "marie", "web", "login", NULL, "127.0.0.1", 201), 0,
	    "not since then");
	cr_assert_eq(store_audit_has(ST, "claire", "web", "login", NULL, "127.0.0.1", 0), 0);
	cr_assert_eq(store_audit_has(ST, "alice", "cli", "export", "eval", NULL, 0), 1);
	cr_assert_eq(store_audit_has(ST, "alice", "cli", "export", "report", NULL, 0), 0);
}

/* Alert id of rule r on unit u at period p, severity sev, its episode
 * and follow-up kept; with an "escalated" event when kind says so. */
static void step(int64_t id, const char *r, const char *u, int32_t p,
    enum severity sev, const char *kind)
{
	struct store_cycle c = { .now = 4000 };
	struct alert_state a = { .active = true, .severity = sev, .value = 9,
	    .threshold = 6, .period = p, .since = 24310, .notified = p };

	cr_assert_eq(store_begin(ST), 0);
	cr_assert_eq(store_alert_write(ST, &c, r, u, &id, &a, false), 0);
	if (kind) {
		struct event_in e = { .alert = id, .kind = kind, .rule = r, .unit = u,
		    .period = p, .since = 24310, .sev = sev, .value = 9,
		    .threshold = 6, .decimals = 1 };
		cr_assert_gt(store_event_insert(ST, &c, &e), 0);
	}
	cr_assert_eq(store_commit(ST), 0);
}

static void collect_unit(const struct notice *x, void *arg)
{
	strcat((char *)arg, x->unit);
	strcat((char *)arg, " ");
}

/* The digests' closing list (store_unowned_each, daemon/notify/context.c):
 * the alerts open for more than 2 periods that no one follows. One closed,
 * then worse since, is open again, as the console's « ouvertes » say; one
 * closed and no worse, or taken in charge, is not; nor one too recent;
 * nor one the address was first sent 2 periods ago or less (acme/f: a
 * route gave it to marie at 24312; her address's case does not matter). */
Test(followup, the_digests_list_of_open_alerts_counts_one_closed_then_worse)
{
	int64_t a = fire_for("conflicts", "acme/a", 1000, 24310);
	int64_t b = fire_for("conflicts", "acme/b", 1000, 24310);
	int64_t c = fire_for("conflicts", "acme/c", 1000, 24310);
	int64_t d = fire_for("conflicts", "acme/d", 1000, 24310);
	int64_t f = fire_for("conflicts", "acme/f", 1000, 24310);
	char seen[256] = "";

	tdb_exec(db, "INSERT INTO cycle(id, started_at, period) VALUES"
	    " (101, 1000, 24310), (102, 1100, 24312), (103, 3000, 24313);"
	    "INSERT INTO message(id, created_at, cycle, channel, target, role,"
	    " status, uid) VALUES"
	    " (1, 1000, 101, 'email', 'marie@example.org', 'social-worker', 'sent', 'u1'),"
	    " (2, 1100, 102, 'email', 'Marie@example.org', 'social-worker', 'sent', 'u2'),"
	    " (3, 3000, 103, 'email', 'marie@example.org', 'social-worker', 'pending', 'u3');"
	    "INSERT INTO message_item(message, event) SELECT 1, id FROM event"
	    " WHERE kind = 'firing' AND unit <> 'acme/f';"
	    "INSERT INTO message_item(message, event) SELECT 2, id FROM event"
	    " WHERE unit = 'acme/f';");
	step(f, "conflicts", "acme/f", 24313, SEV_WARNING, NULL);

	cr_assert_eq(store_alert_close(ST, a, "marie", OUTCOME_FALSE_ALARM, 2000), 0);
	cr_assert_eq(store_alert_close(ST, b, "marie", OUTCOME_FALSE_ALARM, 2000), 0);
	cr_assert_eq(store_alert_ack(ST, d, "claire", NULL, 2000), 0);
	step(a, "conflicts", "acme/a", 24313, SEV_CRITICAL, "escalated");
	step(b, "conflicts", "acme/b", 24313, SEV_WARNING, NULL);
	step(c, "conflicts", "acme/c", 24313, SEV_WARNING, NULL);
	step(d, "conflicts", "acme/d", 24313, SEV_WARNING, NULL);
	fire_for("conflicts", "acme/e", 1000, 24312);
	cr_assert_eq(store_unowned_each(ST, 3, 2, collect_unit, seen), 0);
	cr_assert_str_eq(seen, "acme/a acme/c ");
}

/* Closed as a false alarm, then worse, reopened by a colleague: that
 * closing no longer counts (it was not the last word, and a false alarm
 * reopened would count against a rule that was right); closed again, the
 * alert counts once, under its new outcome, as a correction would. A
 * report made before the reopening counts the closing it saw. */
Test(followup, a_reopened_closing_no_longer_counts)
{
	int64_t a = fire("conflicts", "acme/a", 1000);
	struct followup_counts k;

	cr_assert_eq(store_alert_close(ST, a, "marie", OUTCOME_FALSE_ALARM, 1600), 0);
	cr_assert_eq(store_begin(ST), 0);
	cr_assert_eq(store_alert_reopen(ST, a, "claire", 1700), 0);
	cr_assert_eq(store_commit(ST), 0);
	cr_assert_eq(store_followup_counts(ST, NULL, 24300, 24311, 1750, NULL, 0, &k), 0);
	cr_assert_eq(k.closed[OUTCOME_FALSE_ALARM], 0, "reopened: not a false alarm");
	cr_assert_eq(k.taken, 1);
	cr_assert_eq(store_alert_close(ST, a, "claire", OUTCOME_ACTION_TAKEN, 1800), 0);
	cr_assert_eq(store_followup_counts(ST, NULL, 24300, 24311, 4000, NULL, 0, &k), 0);
	cr_assert_eq(k.closed[OUTCOME_FALSE_ALARM], 0);
	cr_assert_eq(k.closed[OUTCOME_ACTION_TAKEN], 1, "its last outcome, once");
	cr_assert_eq(store_followup_counts(ST, NULL, 24300, 24311, 1650, NULL, 0, &k), 0);
	cr_assert_eq(k.closed[OUTCOME_FALSE_ALARM], 1, "as it stood before the reopening");
}
