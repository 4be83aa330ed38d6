/* The outbox delivery (SPEC 9): what happens to a message row when its
 * endpoint refuses, is not due, is gone from the configuration, or has
 * been failing for 48 h. The real SMTP and
 * HTTP servers are in tests/integration/t_notify_*.sh. */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vigie/config.h"
#include "vigie/deliver.h"
#include "vigie/store.h"
#include "vigie/store_outbox.h"
#include "testdb.h"

static char dir[64];
static struct config *cfg;
static struct store *st;
static const time_t NOW = 1767225600;

static const char *path_in(const char *name)
{
	static char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return p;
}

static void write_file(const char *name, const char *text, mode_t mode)
{
	FILE *f = fopen(path_in(name), "w");

	cr_assert_not_null(f);
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(chmod(path_in(name), mode), 0);
}

static void setup(void)
{
	struct diags d = { 0 };
	char *err = NULL, yaml[1024];

	snprintf(dir, sizeof(dir), "/tmp/vigie-deliver-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	mkdir(path_in("rules.d"), 0700);
	/* Port 1 on loopback: nothing listens there, the connection is
	 * refused at once. */
	snprintf(yaml, sizeof(yaml),
	    "database: %s/vigie.db\nrules: %s/rules.d\n"
	    "webhooks:\n  hook:\n    url: http://127.0.0.1:1/hook\n    timeout: 5s\n"
	    "recipients:\n  hr:\n    - webhook: [hook]\n", dir, dir);
	write_file("vigie.yaml", yaml, 0600);
	cfg = config_load(path_in("vigie.yaml"), &d);
	if (!cfg)
		diags_print(&d, stderr, 0);
	cr_assert_not_null(cfg);
	diags_free(&d);
	cr_assert_eq(store_open(cfg->database, cfg->period, &st, &err), 0, "%s", err ? err : "");
}

static void teardown(void)
{
	char cmd[128];

	store_close(st);
	config_free(cfg);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

static void sql(const char *q)
{
	tdb_exec(cfg->database, q);
}

static long long num(const char *q)
{
	long long v = tdb_int(cfg->database, q);

	cr_assert_neq(v, -1, "%s: no row", q);
	return v;
}

static char *text(const char *q)
{
	return tdb_text(cfg->database, q);
}

/* One event and one message carrying it. */
static void outbox(const char *channel, const char *target, long long created_at,
    long long next_at)
{
	char q[1024];

	sql("INSERT INTO event(id, at, kind, rule, unit, period, severity, value, threshold,"
	    " since, title, summary, history, decimals) VALUES(1, 1767225600, 'firing', 'r',"
	    " 'acme/a', 24313, 'critical', 12.5, 9, 24312, 'Titre', 'Résumé',"
	    " '[[\"2026-01\", 4.2], [\"2026-02\", null]]', 1)");
	snprintf(q, sizeof(q), "INSERT INTO message(id, created_at, cycle, channel, target, role,"
	    " next_at, uid) VALUES(1, %lld, 1, '%s', '%s', 'hr', %lld, 'uid-1');"
	    "INSERT INTO message_item(message, event) VALUES(1, 1)",
	    created_at, channel, target, next_at);
	sql(q);
}

TestSuite(deliver, .init = setup, .fini = teardown, .timeout = 30);

Test(deliver, refused_connection_is_retried_after_30_to_60_seconds)
{
	struct deliver_stats ds;
	char *err;

	outbox("webhook", "hook", NOW, 0);
	cr_assert_eq(deliver_pending(st, cfg, NULL, false, NOW, NULL, NULL, &ds), 0);
	cr_assert_eq(ds.retried, 1);
	cr_assert_eq(ds.sent + ds.failed, 0);
	cr_assert_eq(ds.pending, 1);
	cr_assert_eq(num("SELECT attempts FROM message"), 1);
	cr_assert_geq(num("SELECT next_at FROM message"), NOW + 30);
	cr_assert_leq(num("SELECT next_at FROM message"), NOW + 60 + 5);
	cr_assert_eq(num("SELECT count(*) FROM attempt WHERE message = 1 AND ok = 0"), 1);
	err = text("SELECT last_error FROM message");
	cr_assert_not_null(err);
	free(err);
}

/* A generic webhook's message is written to a file next to the database
 * before it is sent (webhook_file.c); when it cannot be (a full disk, here
 * a directory that is gone), the attempt fails with the reason and is
 * retried, as when the receiver is down; nothing is lost. */
Test(deliver, body_that_cannot_be_written_is_a_failed_attempt_retried_later)
{
	struct deliver_stats ds;
	char *err;

	outbox("webhook", "hook", NOW, 0);
	free(cfg->database);
	cfg->database = strdup("/nonexistent-vigie-dir/vigie.db");
	cr_assert_eq(deliver_pending(st, cfg, NULL, false, NOW, NULL, NULL, &ds), 0);
	free(cfg->database);
	cfg->database = strdup(path_in("vigie.db"));
	cr_assert_eq(ds.retried, 1);
	cr_assert_eq(ds.sent + ds.failed, 0);
	cr_assert_eq(num("SELECT attempts FROM message"), 1);
	cr_assert_geq(num("SELECT next_at FROM message"), NOW + 30);
	err = text("SELECT last_error FROM message");
	cr_assert_str_eq(err, "cannot write the message in /nonexistent-vigie-dir: "
	    "No such file or directory");
	free(err);
}

Test(deliver, message_not_due_waits_unless_forced)
{
	struct deliver_stats ds;

	outbox("webhook", "hook", NOW, NOW + 100);
	cr_assert_eq(deliver_pending(st, cfg, NULL, false, NOW, NULL, NULL, &ds), 0);
	cr_assert_eq(num("SELECT count(*) FROM attempt"), 0);
	cr_assert_eq(ds.pending, 1);
	cr_assert_eq(deliver_pending(st, cfg, NULL, true, NOW, NULL, NULL, &ds), 0);
	cr_assert_eq(num("SELECT count(*) FROM attempt"), 1);
	cr_assert_eq(num("SELECT attempts FROM message"), 1);
}

/* A configuration with the webhook "old-hook" too (refused connection). */
static struct config *with_old_hook(void)
{
	struct diags d = { 0 };
	struct config *c;
	char yaml[1024];

	snprintf(yaml, sizeof(yaml),
	    "database: %s/vigie.db\nrules: %s/rules.d\n"
	    "webhooks:\n  hook:\n    url: http://127.0.0.1:1/hook\n"
	    "  old-hook:\n    url: http://127.0.0.1:1/old\n"
	    "recipients:\n  hr:\n    - webhook: [hook, old-hook]\n", dir, dir);
	write_file("new.yaml", yaml, 0600);
	c = config_load(path_in("new.yaml"), &d);
	cr_assert_not_null(c);
	diags_free(&d);
	return c;
}

Test(deliver, webhook_gone_from_the_configuration_is_held_until_it_comes_back)
{
	struct deliver_stats ds;
	struct config *c2;
	char *err;

	outbox("webhook", "old-hook", NOW, 0);
	cr_assert_eq(deliver_pending(st, cfg, NULL, false, NOW, NULL, NULL, &ds), 0);
	cr_assert_eq(ds.failed, 1);
	err = text("SELECT status || ': ' || last_error FROM message");
	cr_assert_str_eq(err, "failed: webhook \"old-hook\" is no longer in the configuration");
	free(err);
	cr_assert_eq(num("SELECT failed_config IS NOT NULL FROM message"), 1);
	/* Nothing changed: still held, not attempted again. */
	cr_assert_eq(deliver_pending(st, cfg, NULL, true, NOW + 10, NULL, NULL, &ds), 0);
	cr_assert_eq(num("SELECT count(*) FROM attempt"), 1);
	/* The webhook is back: requeued with a fresh 48 h, and attempted. */
	c2 = with_old_hook();
	cr_assert_eq(deliver_pending(st, c2, NULL, false, NOW + 100 * 3600, NULL, NULL, &ds), 0);
	cr_assert_eq(num("SELECT count(*) FROM attempt"), 2);
	cr_assert_eq(num("SELECT requeued_at FROM message"), NOW + 100 * 3600);
	err = text("SELECT status || ' ' || (failed_config IS NULL) FROM message");
	cr_assert_str_eq(err, "pending 1", "a refused connection is retried, not given up");
	free(err);
	config_free(c2);
}

Test(deliver, email_without_smtp_configuration_is_held)
{
	struct deliver_stats ds;
	char *err;

	outbox("email", "marie@example.org", NOW, 0);
	cr_assert_eq(deliver_pending(st, cfg, NULL, false, NOW, NULL, NULL, &ds), 0);
	err = text("SELECT status || ': ' || last_error FROM message");
	cr_assert_str_eq(err, "failed: no smtp: section in the configuration");
	free(err);
	cr_assert_eq(num("SELECT failed_config IS NOT NULL FROM message"), 1);
}

/* vigie retry: held ones come back alone, every failed one with --failed,
 * pending ones become due; --since keeps to the newer ones. */
Test(deliver, retry_requeues_held_then_failed_and_makes_pending_due)
{
	struct outbox_retried r;

	sql("INSERT INTO message(id, created_at, cycle, channel, target, role, status,"
	    " next_at, uid, failed_config) VALUES"
	    " (1, 100, 1, 'email', 'a@x.org', 'hr', 'failed', 0, 'u1', 'fp'),"
	    " (2, 100, 1, 'email', 'b@x.org', 'hr', 'failed', 0, 'u2', NULL),"
	    " (3, 100, 1, 'email', 'c@x.org', 'hr', 'pending', 5000, 'u3', NULL),"
	    " (4, 10, 1, 'email', 'd@x.org', 'hr', 'failed', 0, 'u4', 'fp'),"
	    " (5, 100, 1, 'email', 'e@x.org', 'hr', 'sent', 0, 'u5', NULL)");
	cr_assert_eq(store_begin(st), 0);
	cr_assert_eq(store_outbox_retry(st, false, 50, 1000, &r), 0);
	cr_assert_eq(store_commit(st), 0);
	cr_assert_eq(r.held, 1);
	cr_assert_eq(r.failed, 0);
	cr_assert_eq(r.pending, 1);
	char *got = text("SELECT group_concat(status || ':' || next_at, ' ') FROM"
	    " (SELECT * FROM message ORDER BY id)");
	cr_assert_str_eq(got, "pending:1000 failed:0 pending:1000 failed:0 sent:0");
	free(got);
	cr_assert_eq(store_begin(st), 0);
	cr_assert_eq(store_outbox_retry(st, true, 0, 2000, &r), 0);
	cr_assert_eq(store_commit(st), 0);
	cr_assert_eq(r.held, 1);
	cr_assert_eq(r.failed, 1);
	got = text("SELECT group_concat(status || ':' || COALESCE(requeued_at, '-'), ' ') FROM"
	    " (SELECT * FROM message ORDER BY id)");
	cr_assert_str_eq(got, "pending:1000 pending:2000 pending:- pending:2000 sent:-");
	free(got);
}

Test(deliver, gives_up_48_hours_after_creation)
{
	struct deliver_stats ds;

	outbox("webhook", "hook", NOW - 48 * 3600 - 1, 0);
	cr_assert_eq(deliver_pending(st, cfg, NULL, false, NOW, NULL, NULL, &ds), 0);
	cr_assert_eq(ds.failed, 1);
	cr_assert_eq(ds.pending, 0);
	cr_assert_eq(num("SELECT status = 'failed' FROM message"), 1);
	cr_assert_eq(num("SELECT count(*) FROM attempt"), 1);
}

/* The backoff itself is sampled in test_retry.c; here, that an outbox
 * message with many attempts behind it waits within the hour. */
Test(deliver, a_message_tried_many_times_waits_at_most_an_hour)
{
	struct deliver_stats ds;

	outbox("webhook", "hook", NOW, 0);
	sql("UPDATE message SET attempts = 10");
	cr_assert_eq(deliver_pending(st, cfg, NULL, false, NOW, NULL, NULL, &ds), 0);
	cr_assert_geq(num("SELECT next_at FROM message"), NOW + 30);
	cr_assert_leq(num("SELECT next_at FROM message"), NOW + 3600 + 5);
	cr_assert_eq(num("SELECT attempts FROM message"), 11);
}

static int ticks;
static bool count_tick(void *arg)
{
	(void)arg;
	ticks++;
	return false;
}

Test(deliver, tick_is_called_while_delivering)
{
	struct deliver_stats ds;

	outbox("webhook", "hook", NOW, 0);
	ticks = 0;
	cr_assert_eq(deliver_pending(st, cfg, NULL, false, NOW, count_tick, NULL, &ds), 0);
	cr_assert_geq(ticks, 1);
}
