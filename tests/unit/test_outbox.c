/* The outbox's claims (daemon/store/outbox.c, SPEC 8): two processes
 * (here two handles on one database file) never both get a message; a
 * claim ends with the record of the attempt, or lapses; a daemon that
 * takes the database's lock releases the claims of the dead. A message
 * held for a configuration reason holds what waits for its target, and is
 * tried again an hour later within its 48 hours. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "vigie/store_outbox.h"
#include "testdb.h"

static char dir[64], db[96];
static struct store *a, *b;

static struct store *open_one(void)
{
	struct store *st = NULL;
	char *err = NULL;

	cr_assert_eq(store_open(db, GRAN_MONTH, &st, &err), 0, "%s", err ? err : "");
	return st;
}

static void setup(void)
{
	struct store_cycle c = { .now = 1000 };

	snprintf(dir, sizeof(dir), "/tmp/vigie-outbox.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(db, sizeof(db), "%s/v.db", dir);
	a = open_one();
	b = open_one();
	cr_assert_eq(store_message_new(a, &c, "webhook", "hook", "hr"), 1);
}

static void teardown(void)
{
	char cmd[128];

	store_close(a);
	store_close(b);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(outbox, .init = setup, .fini = teardown);

/* The messages due at now (force: every pending one, as vigied --once). */
static size_t due_at(struct store *st, bool force, int64_t now)
{
	struct outbox_due *v;
	size_t n;

	cr_assert_eq(store_outbox_due(st, force, now, &v, &n), 0);
	store_outbox_due_free(v, n);
	return n;
}

static size_t due(struct store *st, int64_t now)
{
	return due_at(st, true, now);
}

Test(outbox, a_message_is_claimed_by_one_process_only)
{
	cr_expect_eq(due(a, 1000), 1);
	cr_assert_eq(store_outbox_claim(a, 1, 1000, 60), 1);
	cr_expect_eq(store_outbox_claim(b, 1, 1001, 60), 0, "claimed by the other");
	cr_expect_eq(due(b, 1001), 0, "not even listed");
	cr_expect_eq(due(a, 1001), 1, "its own claim does not hide it");
	cr_expect_eq(store_outbox_claim(a, 1, 1002, 60), 1, "claimed again by its owner");
	/* Lapsed: the other may take it (its owner died mid-send). */
	cr_expect_eq(store_outbox_claim(b, 1, 1062, 60), 1);
	cr_expect_eq(store_outbox_claim(a, 1, 1063, 60), 0);
}

Test(outbox, recording_the_attempt_ends_the_claim)
{
	cr_assert_eq(store_outbox_claim(a, 1, 1000, 60), 1);
	cr_assert_eq(store_outbox_record(a, 1, 1000, OUTBOX_RETRY, 503, "busy", 1030), 0);
	cr_expect_eq(tdb_int(db, "SELECT claimed_by IS NULL FROM message"), 1);
	cr_expect_eq(store_outbox_claim(b, 1, 1030, 60), 1);
	cr_assert_eq(store_outbox_record(b, 1, 1030, OUTBOX_SENT, 200, NULL, 0), 0);
	cr_expect_eq(store_outbox_claim(a, 1, 1031, 60), 0, "sent: never again");
	cr_expect_eq(due(a, 5000), 0);
}

Test(outbox, the_lock_holder_releases_the_claims_of_the_dead)
{
	cr_assert_eq(store_outbox_claim(a, 1, 1000, 3600), 1);
	cr_expect_eq(store_outbox_claim(b, 1, 1001, 3600), 0);
	cr_assert_eq(store_outbox_release_claims(b), 0);
	cr_expect_eq(store_outbox_claim(b, 1, 1002, 3600), 1);
}

static void *release_later(void *arg)
{
	usleep(600 * 1000);
	cr_assert_eq(sqlite3_exec(arg, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	return NULL;
}

Test(outbox, a_success_is_recorded_once_the_database_is_free_again, .timeout = 20)
{
	sqlite3 *w = tdb_open(db);
	pthread_t t;

	/* A 100 ms busy timeout; another writer holds the database six times
	 * as long while the success is recorded: it is, once it can be. */
	setenv("VIGIE_BUSY_TIMEOUT_MS", "100", 1);
	store_close(b);
	b = open_one();
	unsetenv("VIGIE_BUSY_TIMEOUT_MS");
	cr_assert_eq(store_outbox_claim(b, 1, 1000, 60), 1);
	cr_assert_eq(sqlite3_exec(w, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	cr_assert_eq(pthread_create(&t, NULL, release_later, w), 0);
	cr_expect_eq(store_outbox_record(b, 1, 1000, OUTBOX_SENT, 200, NULL, 0), 0);
	pthread_join(t, NULL);
	sqlite3_close(w);
	cr_expect_eq(tdb_int(db, "SELECT status = 'sent' FROM message"), 1);
	/* A failure is not retried that way: it is attempted again later. */
	w = tdb_open(db);
	cr_assert_eq(sqlite3_exec(w, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	cr_expect_eq(store_outbox_record(b, 1, 1000, OUTBOX_RETRY, 503, "x", 1030), -1);
	sqlite3_exec(w, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(w);
}

/* Held for a configuration reason (deliver.c): tried again an hour after
 * it failed, within its 48 hours, the daemon waking for it. */
#define W (48 * 3600)

Test(outbox, a_held_message_is_probed_an_hour_after_it_failed)
{
	cr_assert_eq(store_outbox_record_config(a, 1, 1010, 401, "HTTP 401", "fp", 4610), 0);
	cr_expect_eq(due(a, 4000), 0, "held: not due");
	cr_expect_eq(store_outbox_next_due(a, 1020, W), 4610, "the daemon wakes for the probe");
	cr_expect_eq(store_outbox_probe_held(a, 4609, W), 0, "not before the hour");
	cr_expect_eq(store_outbox_probe_held(a, 4610, W), 1);
	cr_expect_eq(tdb_int(db, "SELECT status = 'pending' AND failed_config IS NULL"
	    " AND requeued_at IS NULL FROM message"), 1, "requeued, its 48 hours kept");
	cr_expect_eq(due(a, 4610), 1);
	/* Failing again near the end of its 48 hours: no more probes, and
	 * nothing to wake for. */
	cr_assert_eq(store_outbox_record_config(a, 1, 1000 + W - 100, 401, "HTTP 401", "fp",
	    1000 + W + 3500), 0);
	cr_expect_eq(store_outbox_next_due(a, 1000 + W + 3500, W), -1);
	cr_expect_eq(store_outbox_probe_held(a, 1000 + W + 3500, W), 0);
	cr_expect_eq(tdb_int(db, "SELECT status = 'failed' AND failed_config = 'fp'"
	    " FROM message"), 1, "still held for a configuration change or vigie retry");
}

Test(outbox, a_configuration_failure_holds_what_waits_for_its_target)
{
	struct store_cycle c2 = { .now = 1100 }, c3 = { .now = 1200 };
	struct outbox_due *v;
	size_t n;

	cr_assert_eq(store_message_new(a, &c2, "webhook", "hook", "hr"), 2);
	cr_assert_eq(store_message_new(a, &c2, "webhook", "other", "hr"), 3);
	cr_assert_eq(store_outbox_record_config(a, 1, 1150, 401, "HTTP 401", "fp", 4750), 0);
	cr_expect_eq(tdb_int(db, "SELECT count(*) FROM message WHERE status = 'failed'"
	    " AND failed_config = 'fp' AND next_at = 4750"), 2,
	    "the next one to hook held with it");
	cr_expect_eq(tdb_int(db, "SELECT attempts FROM message WHERE id = 2"), 0, "unattempted");
	cr_expect_eq(due(a, 1200), 1, "another target's goes on");
	/* A new message to hook: its held ones go first, in order. */
	cr_assert_eq(store_message_new(a, &c3, "webhook", "hook", "hr"), 4);
	cr_expect_eq(store_outbox_probe_held(a, 1200, W), 2);
	cr_assert_eq(store_outbox_due(a, false, 1200, &v, &n), 0);
	cr_assert_eq(n, 4);
	cr_expect_eq(v[0].id, 1);
	cr_expect_eq(v[1].id, 2);
	cr_expect_eq(v[3].id, 4);
	store_outbox_due_free(v, n);
}

/* The console says email has stopped going out (vigie-web(8)) when none of
 * the last tried cycle's emails went; one bad address among good ones is
 * not that, nor is a webhook failing. */
Test(outbox, email_failing_is_every_email_of_the_last_cycle_failing)
{
	struct store_cycle c1 = { .now = 2000 }, c2 = { .now = 3000 }, c3 = { .now = 4000 };
	int64_t since;

	cr_assert_eq(store_outbox_record(a, 1, 1000, OUTBOX_FAILED, 503, "busy", 0), 0);
	cr_expect_eq(store_outbox_mail_failing(a, &since), 0, "a webhook is not email");
	cr_assert_eq(store_message_new(a, &c1, "email", "bad@example.org", "hr"), 2);
	cr_assert_eq(store_message_new(a, &c1, "email", "good@example.org", "hr"), 3);
	cr_expect_eq(store_outbox_mail_failing(a, &since), 0, "nothing tried yet");
	cr_assert_eq(store_outbox_record(a, 2, 2001, OUTBOX_RETRY, 550, "no such user", 2100), 0);
	cr_expect_eq(store_outbox_mail_failing(a, &since), 1, "the only email tried failed");
	cr_expect_eq(since, 2000);
	cr_assert_eq(store_outbox_record(a, 3, 2002, OUTBOX_SENT, 250, NULL, 0), 0);
	cr_expect_eq(store_outbox_mail_failing(a, &since), 0, "one bad address among good");
	cr_assert_eq(store_outbox_record(a, 2, 2100, OUTBOX_FAILED, 550, "no such user", 0), 0);
	cr_expect_eq(store_outbox_mail_failing(a, &since), 0, "its retries neither");
	/* The server goes down: the next cycles' emails all fail, since the
	 * first of them. */
	cr_assert_eq(store_message_new(a, &c2, "email", "good@example.org", "hr"), 4);
	cr_assert_eq(store_outbox_record(a, 4, 3001, OUTBOX_RETRY, 0, "refused", 3100), 0);
	cr_assert_eq(store_message_new(a, &c3, "email", "good@example.org", "hr"), 5);
	cr_expect_eq(store_outbox_mail_failing(a, &since), 1, "down");
	cr_expect_eq(since, 3000);
	cr_assert_eq(store_outbox_record(a, 5, 4001, OUTBOX_RETRY, 0, "refused", 4100), 0);
	cr_expect_eq(store_outbox_mail_failing(a, &since), 1, "still down");
	cr_expect_eq(since, 3000);
	/* Back: the last cycle's email goes. */
	cr_assert_eq(store_outbox_record(a, 5, 4100, OUTBOX_SENT, 250, NULL, 0), 0);
	cr_expect_eq(store_outbox_mail_failing(a, &since), 0, "back");
}

/* The clock steps back a day (a virtual machine restored, NTP): a message
 * waiting 50 s from its last try is due about 50 s after it still, not a
 * day later (the time seen is kept to the minute: less than a minute
 * more). */
Test(outbox, a_clock_gone_back_moves_the_waits_back)
{
	const int64_t day = 86400, t = 100000;

	cr_assert_eq(store_outbox_clock(a, t), 0, "the first pass records the time");
	cr_assert_eq(store_outbox_record(a, 1, t, OUTBOX_RETRY, 0, "down", t + 50), 0);
	cr_expect_eq(due_at(a, false, t + 10), 0, "in its wait");
	cr_assert_eq(store_outbox_clock(a, t + 30), 0, "within the minute: nothing written");
	/* A day back, 40 s after the time recorded: without the move, due
	 * only at t + 50, a day away. */
	cr_assert_eq(store_outbox_clock(a, t + 40 - day), day - 40);
	cr_expect_eq(due_at(a, false, t + 89 - day), 0, "in its wait");
	cr_expect_eq(due_at(a, false, t + 90 - day), 1, "due 50 s after the pass that saw it");
	cr_expect_eq(store_outbox_clock(a, t + 90 - day), 0, "moved once");
	cr_expect_eq(tdb_int(db, "SELECT next_at FROM message"), t + 90 - day);
}
