/* The console's reads of the store (daemon/store/console.c, SPEC 14): the
 * active alerts with their follow-up, one alert whatever its state, events
 * newest first, a note only for its role, and a generation that moves with
 * every cycle and follow-up. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "vigie/store.h"
#include "vigie/store_alerts.h"
#include "vigie/store_console.h"
#include "vigie/store_followup.h"
#include "testdb.h"

static char dir[64], db[96];
static struct store *ST;

static void setup(void)
{
	ST = tdb_store_new("console", dir, db);
}

static void teardown(void)
{
	tdb_store_free(ST, dir);
}

TestSuite(console, .init = setup, .fini = teardown);

static int64_t fire(const char *r, const char *u, enum severity sev, double value,
    bool active, int64_t now)
{
	struct store_cycle c = { .now = now };
	struct alert_state a = { .active = active, .severity = active ? sev : SEV_NONE,
	    .value = value, .threshold = 6, .period = 24310, .since = 24308,
	    .notified = 24310 };
	int64_t id = 0;

	cr_assert_eq(store_begin(ST), 0);
	cr_assert_eq(store_alert_write(ST, &c, r, u, &id, &a, false), 0);
	struct event_in e = { .alert = id, .kind = "firing", .rule = r, .unit = u,
	    .period = 24310, .since = 24308, .sev = sev, .value = value, .threshold = 6,
	    .summary = "résumé", .decimals = 1 };
	cr_assert_gt(store_event_insert(ST, &c, &e), 0);
	cr_assert_eq(store_commit(ST), 0);
	return id;
}

Test(console, active_alerts_by_unit_with_their_follow_up)
{
	struct console_alert *v;
	size_t n;
	int64_t b = fire("conflicts", "acme/b", SEV_CRITICAL, NAN, true, 1000);

	fire("absences", "acme/b", SEV_WARNING, 7, true, 1000);
	fire("absences", "acme/a", SEV_WARNING, 7, true, 1000);
	fire("absences", "acme/c", SEV_WARNING, 7, false, 1000);
	cr_assert_eq(store_alert_ack(ST, b, "marie", NULL, 2000), 0);
	cr_assert_eq(store_console_alerts(ST, NULL, &v, &n), 0);
	cr_assert_eq(n, 3, "inactive alerts are not listed");
	cr_expect_str_eq(v[0].unit, "acme/a");
	cr_expect_str_eq(v[1].rule, "absences");
	cr_expect_str_eq(v[2].rule, "conflicts");
	cr_expect(isnan(v[2].value), "a hidden value stays hidden");
	cr_expect_str_eq(v[2].taken_by, "marie");
	cr_expect_eq(v[2].taken_at, 2000);
	cr_expect_null(v[1].taken_by);
	cr_expect_eq(v[2].since, 24308);
	console_alerts_free(v, n);
	cr_assert_eq(store_console_alerts(ST, "acme/c", &v, &n), 0);
	cr_assert_eq(n, 1, "a unit's alerts whatever their state");
	cr_expect_not(v[0].active);
	console_alerts_free(v, n);
}

Test(console, one_alert_and_its_events_newest_first)
{
	struct console_alert a;
	struct console_event *ev;
	size_t n;
	int64_t id = fire("conflicts", "acme/b", SEV_WARNING, 7, true, 1000);

	cr_assert_eq(store_alert_close(ST, id, "marie", OUTCOME_FALSE_ALARM, 3000), 0);
	cr_assert_eq(store_console_alert(ST, "conflicts", "acme/b", &a), 0);
	cr_expect_str_eq(a.closed_by, "marie");
	cr_expect_eq(a.outcome, OUTCOME_FALSE_ALARM);
	cr_expect_str_eq(a.taken_by, "marie", "closing takes in charge too");
	console_alert_clear(&a);
	cr_expect_eq(store_console_alert(ST, "conflicts", "acme/x", &a), 1);
	cr_assert_eq(store_console_events(ST, id, NULL, NULL, 10, &ev, &n), 0);
	cr_assert_eq(n, 3);
	cr_expect_str_eq(ev[0].kind, "closed");
	cr_expect_eq(ev[0].outcome, OUTCOME_FALSE_ALARM);
	cr_expect_str_eq(ev[0].author, "marie");
	cr_expect_str_eq(ev[1].kind, "ack");
	cr_expect_str_eq(ev[2].kind, "firing");
	cr_expect_str_eq(ev[2].summary, "résumé");
	cr_expect_str_eq(ev[2].rule, "conflicts");
	console_events_free(ev, n);
	cr_assert_eq(store_console_events(ST, 0, "acme/b", NULL, 2, &ev, &n), 0);
	cr_expect_eq(n, 2, "at most the limit");
	console_events_free(ev, n);
	/* The limit counts the events of the rules asked for: a unit's newer
	 * events of other rules (the social service's, on HR's page) do not
	 * push them out. */
	fire("burnout", "acme/b", SEV_WARNING, 7, true, 4000);
	fire("burnout-bis", "acme/b", SEV_WARNING, 7, true, 5000);
	cr_assert_eq(store_console_events(ST, 0, "acme/b", ",conflicts,", 2, &ev, &n), 0);
	cr_assert_eq(n, 2);
	cr_expect_str_eq(ev[0].rule, "conflicts");
	cr_expect_str_eq(ev[1].rule, "conflicts");
	console_events_free(ev, n);
	cr_assert_eq(store_console_events(ST, 0, "acme/b", ",burnout,", 10, &ev, &n), 0);
	cr_expect_eq(n, 1, "burnout, not burnout-bis");
	console_events_free(ev, n);
}

Test(console, a_note_only_for_its_role)
{
	struct note note;
	char *rule;
	int64_t id = fire("conflicts", "acme/b", SEV_WARNING, 7, true, 1000);
	int64_t n1 = store_note_add(ST, "social-worker", "marie", id, "acme/b", "RDV", 2000);
	int64_t n2 = store_note_add(ST, "social-worker", "marie", 0, "acme/a", "équipe", 2000);

	cr_assert_eq(store_console_note(ST, n1, "social-worker", &note, &rule), 0);
	cr_expect_str_eq(note.body, "RDV");
	cr_expect_str_eq(note.unit, "acme/b");
	cr_expect_str_eq(rule, "conflicts");
	console_note_clear(&note);
	free(rule);
	cr_assert_eq(store_console_note(ST, n2, "social-worker", &note, &rule), 0);
	cr_expect_null(rule, "a note on a unit");
	cr_expect_eq(note.alert, 0);
	console_note_clear(&note);
	cr_expect_eq(store_console_note(ST, n1, "hr", &note, &rule), 1,
	    "another role gets nothing, as for a note that does not exist");
	cr_expect_eq(store_console_note(ST, 999, "social-worker", &note, &rule), 1);
}

Test(console, the_generation_moves_with_cycles_and_follow_ups)
{
	struct console_generation g0, g1, g2;
	int64_t id;

	cr_assert_eq(store_console_generation(ST, &g0), 0);
	id = fire("conflicts", "acme/b", SEV_WARNING, 7, true, 1000);
	cr_assert_eq(store_console_generation(ST, &g1), 0);
	cr_expect(g1.cycle > g0.cycle && g1.event > g0.event);
	cr_assert_eq(store_alert_ack(ST, id, "marie", NULL, 2000), 0);
	cr_assert_eq(store_console_generation(ST, &g2), 0);
	cr_expect(g2.cycle == g1.cycle && g2.event > g1.event);
	cr_assert_eq(store_note_add(ST, "hr", "paul", id, "acme/b", "x", 3000) > 0, 1);
	cr_assert_eq(store_console_generation(ST, &g0), 0);
	cr_expect(g0.cycle == g2.cycle && g0.event == g2.event, "a note changes no alert");
}

/* vigie-web keeps several connections to one database: opening the second
 * must not drop the first one's locks, or a sqlite3 shell (or vigied)
 * closing after a read takes itself for the last connection and deletes the
 * WAL, and the console's next writes are lost. */
Test(console, a_second_connection_keeps_the_first_ones_locks)
{
	struct store *st2;
	char *err = NULL, cmd[256];

	cr_assert_eq(store_meta_set(ST, "k", "1"), 0);
	cr_assert_eq(store_open(db, GRAN_MONTH, &st2, &err), 0, "%s", err ? err : "");
	snprintf(cmd, sizeof(cmd), "sqlite3 '%s' 'SELECT count(*) FROM meta' >/dev/null", db);
	cr_assert_eq(system(cmd), 0);
	cr_assert_eq(store_meta_set(ST, "k", "2"), 0);
	snprintf(cmd, sizeof(cmd), "test \"$(sqlite3 '%s' \"SELECT value FROM meta WHERE "
	    "key = 'k'\")\" = 2", db);
	cr_expect_eq(system(cmd), 0, "a write after another process's read is seen");
	store_close(st2);
}
