/* Retention in the store (SPEC 3): the packed series lose their old
 * periods and stay trimmed, old delivered or failed messages go with their
 * items and attempts, resolved alerts go with their events, old notes and
 * system events go, and nothing pending, active, carried by a kept message
 * or holding a note is touched. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "vigie/store.h"
#include "vigie/store_retention.h"
#include "testdb.h"

static char dir[64], db[96];
static struct store *ST;

static void setup(void)
{
	ST = tdb_store_new("retention", dir, db);
}

static void teardown(void)
{
	tdb_store_free(ST, dir);
}

TestSuite(retention, .init = setup, .fini = teardown);

/* Nothing is old: the limits of a purge that deletes nothing. */
static struct purge_limits none(void)
{
	return (struct purge_limits){ INT32_MIN, INT32_MIN, 0, 0, 0 };
}

/* A series row of unit u (id), indicator i (id) from period p0, with
 * values "1 _ 3" (_: a gap), packed as values.c writes them. */
static void series_row(int u, const char *path, int i, const char *ind,
    int p0, const char *vals)
{
	char sql[1024], hex[512] = "", *save = NULL, copy[128];
	size_t at = 0;

	snprintf(copy, sizeof(copy), "%s", vals);
	for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		double x = strcmp(t, "_") ? strtod(t, NULL) : NAN;
		unsigned char b[8];
		memcpy(b, &x, 8);	/* the test hosts are little-endian */
		for (int k = 0; k < 8; k++)
			at += (size_t)snprintf(hex + at, sizeof(hex) - at, "%02x", b[k]);
	}
	snprintf(sql, sizeof(sql), "INSERT OR IGNORE INTO unit(id, path) VALUES(%d, '%s');"
	    "INSERT OR IGNORE INTO indicator(id, name) VALUES(%d, '%s');"
	    "INSERT INTO series(unit, indicator, p0, vals) VALUES(%d, %d, %d, x'%s');",
	    u, path, i, ind, u, i, p0, hex);
	tdb_exec(db, sql);
}

Test(retention, old_periods_leave_the_series_which_stay_trimmed)
{
	struct purge_limits lim = none();
	struct purge_counts c;
	struct series *s;

	series_row(1, "acme/a", 1, "headcount", 24300, "10 _ 12 13");
	series_row(1, "acme/a", 2, "conflicts", 24300, "1 2 _ 4");
	series_row(2, "acme/old", 1, "headcount", 24290, "7 8");
	series_row(2, "acme/old", 3, "grievances", 24290, "1");
	tdb_exec(db, "INSERT INTO meta(key, value) VALUES('pmin', '24290'),"
	    " ('pmax', '24303')");
	lim.values_before = 24302;
	cr_assert_eq(store_purge(ST, &lim, &c), 0);
	/* 10, 1 and 2 of acme/a, all three of acme/old; gaps are not values */
	cr_assert_eq(c.values, 6);
	cr_assert_eq(tdb_int(db, "SELECT p0 FROM series WHERE unit = 1 AND indicator = 1"), 24302);
	cr_assert_eq(tdb_int(db, "SELECT length(vals) FROM series WHERE unit = 1 AND indicator = 1"), 16);
	/* the gap at the cut is trimmed too: the row starts with a value */
	cr_assert_eq(tdb_int(db, "SELECT p0 FROM series WHERE unit = 1 AND indicator = 2"), 24303);
	cr_assert_eq(tdb_int(db, "SELECT length(vals) FROM series WHERE unit = 1 AND indicator = 2"), 8);
	/* a unit and an indicator without values are gone */
	cr_assert_eq(tdb_int(db, "SELECT count(*) FROM unit"), 1);
	cr_assert_eq(tdb_int(db, "SELECT count(*) FROM indicator"), 2);
	cr_assert_eq(store_load_series(ST, &s), 0);
	cr_assert_eq(s->p0, 24302);
	cr_assert_eq(s->np, 2);
	cr_assert_eq(series_unit(s, "acme/old"), -1);
	cr_assert_float_eq(series_get(s, (uint32_t)series_unit(s, "acme/a"),
	    (uint32_t)series_indicator(s, "headcount"), 24302), 12, 1e-12);
	series_free(s);
	/* a second purge with the same limits finds nothing */
	cr_assert_eq(store_purge(ST, &lim, &c), 0);
	cr_assert_eq(c.values + c.alerts + c.events + c.notes + c.messages, 0);
}

Test(retention, old_messages_go_unless_pending)
{
	struct purge_limits lim = none();
	struct purge_counts c;

	tdb_exec(db,
	    "INSERT INTO event(id, at, kind) VALUES(1, 100, 'stale');"
	    "INSERT INTO message(id, created_at, cycle, channel, target, role, status, uid) VALUES"
	    " (1, 100, 1, 'email', 'a@x.org', 'hr', 'sent', 'u1'),"
	    " (2, 100, 1, 'email', 'b@x.org', 'hr', 'failed', 'u2'),"
	    " (3, 100, 1, 'email', 'c@x.org', 'hr', 'pending', 'u3'),"
	    " (4, 900, 1, 'email', 'd@x.org', 'hr', 'sent', 'u4'),"
	    " (5, 100, 1, 'email', 'e@x.org', 'hr', 'readdressed', 'u5');"
	    "INSERT INTO message_item(message, event) VALUES(1, 1), (2, 1), (3, 1), (4, 1), (5, 1);"
	    "INSERT INTO attempt(message, at, ok) VALUES(1, 100, 1), (2, 100, 0), (3, 100, 0),"
	    " (5, 100, 0);");
	lim.messages_before = 500;
	cr_assert_eq(store_purge(ST, &lim, &c), 0);
	cr_assert_eq(c.messages, 3);
	char *ids = tdb_text(db, "SELECT group_concat(id, ',') FROM (SELECT id FROM message ORDER BY id)");
	cr_assert_str_eq(ids, "3,4");
	free(ids);
	cr_assert_eq(tdb_int(db, "SELECT count(*) FROM message_item"), 2);
	cr_assert_eq(tdb_int(db, "SELECT count(*) FROM attempt"), 1);
}

/* The messages that told an address of an active alert's current episode
 * stay while it is active (the catch-up reads from them who was told,
 * daemon/catchup.c); those of its earlier episode, or of an alert
 * resolved, go. Alert 1 active (episode from event 3), alert 2 resolved. */
Test(retention, old_messages_of_an_active_episode_stay)
{
	struct purge_limits lim = none();
	struct purge_counts c;

	tdb_exec(db,
	    "INSERT INTO alert(id, rule, unit, active, period, since, updated_at) VALUES"
	    " (1, 'r', 'acme/a', 1, 10, 8, 100), (2, 'r', 'acme/b', 0, 10, 8, 100);"
	    "INSERT INTO event(id, at, alert, kind, period) VALUES(1, 100, 1, 'firing', 2),"
	    " (2, 100, 1, 'resolved', 3), (3, 100, 1, 'firing', 8), (4, 100, 1, 'escalated', 9),"
	    " (5, 100, 2, 'firing', 8);"
	    "INSERT INTO message(id, created_at, cycle, channel, target, role, status, uid) VALUES"
	    " (1, 100, 1, 'email', 'a@x.org', 'hr', 'sent', 'u1'),"
	    " (2, 100, 1, 'email', 'a@x.org', 'hr', 'sent', 'u2'),"
	    " (3, 100, 1, 'email', 'b@x.org', 'hr', 'failed', 'u3'),"
	    " (4, 100, 1, 'email', 'a@x.org', 'hr', 'sent', 'u4');"
	    "INSERT INTO message_item(message, event) VALUES(1, 1), (1, 2), (2, 4), (3, 3), (4, 5);");
	lim.messages_before = 500;
	cr_assert_eq(store_purge(ST, &lim, &c), 0);
	cr_assert_eq(c.messages, 2);
	char *ids = tdb_text(db, "SELECT group_concat(id, ',') FROM (SELECT id FROM message ORDER BY id)");
	cr_assert_str_eq(ids, "2,3");
	free(ids);
}

/* Alerts: 1 resolved long ago, 2 resolved long ago with a note, 3 active
 * since long ago, 4 resolved long ago whose resolution a kept message
 * carries, 5 resolved recently, 6 active again after an old episode. */
Test(retention, resolved_alerts_go_with_their_events_and_nothing_else)
{
	struct purge_limits lim = none();
	struct purge_counts c;

	tdb_exec(db,
	    "INSERT INTO alert(id, rule, unit, active, period, since, updated_at) VALUES"
	    " (1, 'r', 'a', 0, 24200, 24190, 0), (2, 'r', 'b', 0, 24200, 24190, 0),"
	    " (3, 'r', 'c', 1, 24310, 24100, 0), (4, 'r', 'd', 0, 24200, 24190, 0),"
	    " (5, 'r', 'e', 0, 24305, 24300, 0), (6, 'r', 'f', 1, 24310, 24300, 0);"
	    "INSERT INTO event(id, at, alert, kind, period) VALUES"
	    " (1, 10, 1, 'firing', 24190), (2, 20, 1, 'resolved', 24200),"
	    " (3, 10, 2, 'firing', 24190), (4, 10, 3, 'firing', 24100),"
	    " (5, 10, 4, 'firing', 24190), (6, 20, 4, 'resolved', 24200),"
	    " (7, 30, 5, 'firing', 24300), (8, 40, 5, 'resolved', 24305),"
	    " (9, 10, 6, 'firing', 24150), (10, 20, 6, 'resolved', 24160),"
	    " (11, 30, 6, 'firing', 24300), (12, 50, NULL, 'stale', NULL),"
	    " (13, 5000, NULL, 'fresh', NULL);"
	    "INSERT INTO note(at, role, author, alert, body) VALUES(3000, 'social-worker', 'm', 2, 'x');"
	    "INSERT INTO message(id, created_at, cycle, channel, target, role, status, uid)"
	    " VALUES (1, 4000, 1, 'email', 'a@x.org', 'hr', 'sent', 'u1');"
	    "INSERT INTO message_item(message, event) VALUES(1, 6);");
	lim.alerts_before = 24250;
	lim.events_before = 1000;
	lim.messages_before = 100;
	cr_assert_eq(store_purge(ST, &lim, &c), 0);
	cr_assert_eq(c.alerts, 1);
	/* 1's two events, 6's old episode, the old system event */
	cr_assert_eq(c.events, 5);
	char *ids = tdb_text(db, "SELECT group_concat(id, ',') FROM (SELECT id FROM alert ORDER BY id)");
	cr_assert_str_eq(ids, "2,3,4,5,6");
	free(ids);
	ids = tdb_text(db, "SELECT group_concat(id, ',') FROM (SELECT id FROM event ORDER BY id)");
	cr_assert_str_eq(ids, "3,4,5,6,7,8,11,13");
	free(ids);
	cr_assert_eq(c.notes, 0);
}

Test(retention, old_notes_go)
{
	struct purge_limits lim = none();
	struct purge_counts c;

	tdb_exec(db, "INSERT INTO note(at, role, author, unit, body) VALUES"
	    " (100, 'social-worker', 'm', 'acme', 'old'),"
	    " (900, 'social-worker', 'm', 'acme', 'new');");
	lim.notes_before = 500;
	cr_assert_eq(store_purge(ST, &lim, &c), 0);
	cr_assert_eq(c.notes, 1);
	char *b = tdb_text(db, "SELECT group_concat(body) FROM note");
	cr_assert_str_eq(b, "new");
	free(b);
}
