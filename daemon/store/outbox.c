/* The outbox (include/vigie/store_outbox.h): cycle rows, messages and their
 * items written in the cycle's transaction (notices.c reads them back for
 * delivery), the claim a process takes on a message before attempting it,
 * and the record of every attempt. A message's uid is random (getrandom): a
 * receiver tells a retry from a new message. A success is recorded whatever
 * it takes: once the server has it, giving up would send it again. */
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>
#include "store_impl.h"
#include "vigie/log.h"
#include "vigie/progress.h"
#include "vigie/store_outbox.h"
#include "vigie/xalloc.h"

#define UID_LEN 28	/* "msg_" + 24 base62 characters */

int store_cycle_ensure(struct store *st, struct store_cycle *c)
{
	sqlite3_stmt *q;

	if (c->id)
		return 0;
	if (!(q = db_prepare(st, "INSERT INTO cycle(started_at, finished_at, period)"
	    " VALUES(?, ?, ?)")))
		return -1;
	sqlite3_bind_int64(q, 1, c->now);
	sqlite3_bind_int64(q, 2, c->now);
	db_bind_period(q, 3, store_latest_period(st));
	if (db_step_done(q) != 0)
		return -1;
	c->id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int store_cycle_evaluated(struct store *st, struct store_cycle *c, int32_t period,
    int transitions, int64_t finished_at)
{
	sqlite3_stmt *q;

	if (store_cycle_ensure(st, c) != 0 ||
	    !(q = db_prepare(st, "UPDATE cycle SET period = ?, evaluated = 1,"
	    " transitions = transitions + ?, finished_at = ? WHERE id = ?")))
		return -1;
	db_bind_period(q, 1, period);
	sqlite3_bind_int(q, 2, transitions);
	sqlite3_bind_int64(q, 3, finished_at);
	sqlite3_bind_int64(q, 4, c->id);
	return db_step_done(q);
}

int store_cycle_duration(struct store *st, const struct store_cycle *c, int64_t ms)
{
	sqlite3_stmt *q;

	if (c->id) {
		if (!(q = db_prepare(st, "UPDATE cycle SET duration_ms = ? WHERE id = ?")))
			return -1;
		sqlite3_bind_int64(q, 1, ms);
		sqlite3_bind_int64(q, 2, c->id);
		return db_step_done(q);
	}
	/* A cycle that wrote nothing: the idle row, when it is the newest,
	 * takes its time; otherwise a new idle row starts after the last
	 * busy one. One row per quiet stretch, not one per cycle. */
	if (!(q = db_prepare(st, "UPDATE cycle SET started_at = ?1, finished_at = ?1,"
	    " duration_ms = ?2, period = ?3 WHERE idle = 1 AND id = (SELECT max(id) FROM cycle)")))
		return -1;
	sqlite3_bind_int64(q, 1, c->now);
	sqlite3_bind_int64(q, 2, ms);
	db_bind_period(q, 3, store_latest_period(st));
	if (db_step_done(q) != 0)
		return -1;
	if (sqlite3_changes(st->db) > 0)
		return 0;
	if (!(q = db_prepare(st, "INSERT INTO cycle(started_at, finished_at, period,"
	    " duration_ms, idle) VALUES(?1, ?1, ?2, ?3, 1)")))
		return -1;
	sqlite3_bind_int64(q, 1, c->now);
	db_bind_period(q, 2, store_latest_period(st));
	sqlite3_bind_int64(q, 3, ms);
	return db_step_done(q);
}

int store_evaluated_through(struct store *st, int32_t *period)
{
	sqlite3_stmt *q = db_prepare(st, "SELECT max(period) FROM cycle");
	int rc;

	*period = -1;
	if (!q)
		return -1;
	if ((rc = sqlite3_step(q)) == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL)
		*period = db_col_period(q, 0);
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 0 : -1;
}

int store_last_cycle(struct store *st, struct cycle_row *r)
{
	sqlite3_stmt *q = db_prepare(st, "SELECT started_at, duration_ms, period,"
	    " transitions, idle FROM cycle ORDER BY id DESC LIMIT 1");
	int rc;

	if (!q)
		return -1;
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*r = (struct cycle_row){
			.started_at = sqlite3_column_int64(q, 0),
			.duration_ms = sqlite3_column_type(q, 1) == SQLITE_NULL ? -1 :
			    sqlite3_column_int64(q, 1),
			.period = db_col_period(q, 2),
			.transitions = sqlite3_column_int(q, 3),
			.idle = sqlite3_column_int(q, 4) != 0,
		};
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

static int new_uid(char out[UID_LEN + 1])
{
	static const char b62[] =
	    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	unsigned char rnd[64];
	size_t n = 0;

	memcpy(out, "msg_", 4);
	while (n < 24) {
		ssize_t r = getrandom(rnd, sizeof(rnd), 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		/* Bytes >= 248 are dropped so that every character is
		 * equally likely (248 = 4 * 62). */
		for (ssize_t i = 0; i < r && n < 24; i++)
			if (rnd[i] < 248)
				out[4 + n++] = b62[rnd[i] % 62];
	}
	out[UID_LEN] = '\0';
	return 0;
}

int64_t store_message_new(struct store *st, struct store_cycle *c,
    const char *channel, const char *target, const char *role)
{
	char uid[UID_LEN + 1];
	sqlite3_stmt *q;

	if (store_cycle_ensure(st, c) != 0 || new_uid(uid) != 0 ||
	    !(q = db_prepare(st, "INSERT INTO message(created_at, cycle, channel,"
	    " target, role, status, next_at, uid) VALUES(?, ?, ?, ?, ?, 'pending', ?, ?)")))
		return -1;
	sqlite3_bind_int64(q, 1, c->now);
	sqlite3_bind_int64(q, 2, c->id);
	db_bind_text(q, 3, channel);
	db_bind_text(q, 4, target);
	db_bind_text(q, 5, role);
	sqlite3_bind_int64(q, 6, c->now);
	db_bind_text(q, 7, uid);
	if (db_step_done(q) != 0)
		return -1;
	return sqlite3_last_insert_rowid(st->db);
}

int store_message_add(struct store *st, int64_t msg, int64_t event, bool catchup)
{
	sqlite3_stmt *q = db_prepare(st, "INSERT OR IGNORE INTO message_item(message,"
	    " event, catchup) VALUES(?, ?, ?)");

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, msg);
	sqlite3_bind_int64(q, 2, event);
	sqlite3_bind_int(q, 3, catchup);
	if (db_step_done(q) != 0)
		return -1;
	return sqlite3_changes(st->db) > 0;
}

int store_message_delete(struct store *st, int64_t msg)
{
	sqlite3_stmt *q = db_prepare(st, "DELETE FROM message WHERE id = ?");

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, msg);
	return db_step_done(q);
}

static void due_row(sqlite3_stmt *q, void *elem, void *ctx)
{
	*(struct outbox_due *)elem = (struct outbox_due){ sqlite3_column_int64(q, 0),
	    xstrdup(db_col_text(q, 1)), xstrdup(db_col_text(q, 2)),
	    xstrdup(db_col_text(q, 3)), sqlite3_column_int(q, 4),
	    sqlite3_column_int64(q, 5), sqlite3_column_int(q, 6),
	    sqlite3_column_int64(q, 7) };
}

int64_t store_evaluated_cycle(struct store *st)
{
	char *gen = NULL, now[32];
	int64_t cycle = 0;
	int found, r;

	snprintf(now, sizeof(now), "%lld", (long long)store_data_generation(st));
	if ((r = db_meta_get(st->db, "last_eval_gen", &gen)) < 0)
		return -1;
	if (r == 0 && !strcmp(gen, now) && db_query_int(st->db, "SELECT max(id) FROM cycle"
	    " WHERE evaluated = 1", &cycle, &found) != 0)
		cycle = -1;
	free(gen);
	return cycle;
}

int store_outbox_due(struct store *st, bool force, int64_t now,
    struct outbox_due **v, size_t *n)
{
	/* A message waits behind an older pending one to the same target that
	 * is not due itself (in its backoff, or being sent elsewhere): one
	 * target gets its messages in order (deliver.c). */
	sqlite3_stmt *q = db_prepare(st, "SELECT id, channel, target, uid, attempts,"
	    " COALESCE(requeued_at, created_at), parts_sent, cycle FROM message m"
	    " WHERE status = 'pending' AND (?1 OR next_at <= ?2)"
	    " AND (claimed_by IS NULL OR claimed_by = ?3 OR claimed_until <= ?4)"
	    " AND NOT EXISTS (SELECT 1 FROM message o WHERE o.status = 'pending'"
	    "  AND o.id < m.id AND o.channel = m.channel AND o.target = m.target"
	    "  AND (NOT (?1 OR o.next_at <= ?2) OR (o.claimed_by IS NOT NULL"
	    "  AND o.claimed_by != ?3 AND o.claimed_until > ?4)))"
	    " ORDER BY id");

	*v = NULL;
	*n = 0;
	if (q) {
		sqlite3_bind_int(q, 1, force);
		sqlite3_bind_int64(q, 2, now);
		db_bind_text(q, 3, st->owner);
		sqlite3_bind_int64(q, 4, now);
	}
	if (!q || db_collect(q, sizeof(**v), due_row, NULL, (void **)v, n) != 0) {
		store_outbox_due_free(*v, *n);
		*v = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void store_outbox_due_free(struct outbox_due *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].channel);
		free(v[i].target);
		free(v[i].uid);
	}
	free(v);
}

static int exec_bind(struct store *st, const char *sql, const char *types, ...)
{
	sqlite3_stmt *s = db_prepare(st, sql);
	va_list ap;
	int i = 1;

	if (!s)
		return -1;
	va_start(ap, types);
	for (const char *t = types; *t; t++, i++) {
		if (*t == 'i')
			sqlite3_bind_int64(s, i, va_arg(ap, int64_t));
		else
			db_bind_text(s, i, va_arg(ap, const char *));
	}
	va_end(ap);
	return db_step_done(s);
}

int store_outbox_claim(struct store *st, int64_t msg, int64_t now, long lease_s)
{
	sqlite3_stmt *q = db_prepare(st, "UPDATE message SET claimed_by = ?1,"
	    " claimed_until = ?2 WHERE id = ?3 AND status = 'pending' AND"
	    " (claimed_by IS NULL OR claimed_by = ?1 OR claimed_until <= ?4)");

	if (!q)
		return -1;
	db_bind_text(q, 1, st->owner);
	sqlite3_bind_int64(q, 2, now + lease_s);
	sqlite3_bind_int64(q, 3, msg);
	sqlite3_bind_int64(q, 4, now);
	if (db_step_done(q) != 0)
		return -1;
	return sqlite3_changes(st->db) > 0;
}

int store_outbox_release(struct store *st, int64_t msg)
{
	return exec_bind(st, "UPDATE message SET claimed_by = NULL, claimed_until = NULL"
	    " WHERE id = ? AND claimed_by = ?", "is", msg, st->owner);
}

int store_outbox_release_claims(struct store *st)
{
	return db_exec(st->db, "UPDATE message SET claimed_by = NULL,"
	    " claimed_until = NULL WHERE claimed_by IS NOT NULL");
}

static int record_once(struct store *st, int64_t msg, int64_t at,
    enum outbox_outcome outcome, long status, const char *error, int64_t next_at)
{
	bool tx = sqlite3_get_autocommit(st->db);
	int bad = 0;

	if (tx && store_begin(st) != 0) {
		db_keep_error(st);
		return -1;
	}

	bad |= exec_bind(st, "INSERT INTO attempt(message, at, ok, status, error)"
	    " VALUES(?, ?, ?, ?, ?)", "iiiis", msg, at, (int64_t)(outcome == OUTBOX_SENT),
	    (int64_t)status, outcome == OUTBOX_SENT ? NULL : error);
	if (outcome == OUTBOX_SENT)
		bad |= exec_bind(st, "UPDATE message SET status = 'sent', sent_at = ?,"
		    " attempts = attempts + 1, last_error = NULL, claimed_by = NULL,"
		    " claimed_until = NULL WHERE id = ?", "ii", at, msg);
	else if (outcome == OUTBOX_RETRY)
		bad |= exec_bind(st, "UPDATE message SET attempts = attempts + 1, next_at = ?,"
		    " last_error = ?, claimed_by = NULL, claimed_until = NULL WHERE id = ?",
		    "isi", next_at, error, msg);
	else
		bad |= exec_bind(st, "UPDATE message SET status = 'failed', attempts = attempts + 1,"
		    " last_error = ?, claimed_by = NULL, claimed_until = NULL WHERE id = ?",
		    "si", error, msg);
	if (bad || (tx && store_commit(st) != 0)) {
		db_keep_error(st);
		if (tx)
			store_rollback(st);
		return -1;
	}
	return 0;
}

int store_outbox_record(struct store *st, int64_t msg, int64_t at,
    enum outbox_outcome outcome, long status, const char *error, int64_t next_at)
{
	useconds_t wait = 100 * 1000;

	for (int tries = 0; ; tries++) {
		if (record_once(st, msg, at, outcome, status, error, next_at) == 0) {
			if (tries)
				log_info("the delivery of notification %lld is recorded",
				    (long long)msg);
			return 0;
		}
		/* A failure can be retried at the next run; a success must be
		 * recorded, or the message would go out again: keep trying
		 * (another writer holds the database, the disk is full...),
		 * feeding the watchdog, until the process is asked to stop. */
		if (outcome != OUTBOX_SENT)
			return -1;
		if (tries == 0)
			log_warnx("notification %lld was delivered but cannot be recorded "
			    "yet: %s; trying again until it is", (long long)msg,
			    store_errmsg(st));
		if (progress_tick()) {
			log_err("stopping before the delivery of notification %lld could be "
			    "recorded: it may be sent again", (long long)msg);
			return -1;
		}
		/* The other transfers of the run go on meanwhile. */
		progress_wait((long)(wait / 1000));
		if (wait < 1000 * 1000)
			wait *= 2;
	}
}

int64_t store_outbox_pending(struct store *st)
{
	int64_t n = 0;
	int found;

	if (db_query_int(st->db, "SELECT count(*) FROM message WHERE status = 'pending'",
	    &n, &found) != 0)
		return -1;
	return n;
}

/* The held messages of a target that store_outbox_probe_held tries again
 * (?1 now, ?2 the window): those within their window, once the latest
 * failure among them is an hour old (their next_at). */
#define HELD_IN_WINDOW "status = 'failed' AND failed_config IS NOT NULL" \
	" AND COALESCE(requeued_at, created_at) > ?1 - ?2"

int64_t store_outbox_next_due(struct store *st, int64_t now, int64_t window)
{
	/* The first of each target's queue: the others wait behind it. And
	 * the next probe of a target whose messages are held. */
	sqlite3_stmt *q = db_prepare(st, "SELECT min(t) FROM ("
	    "SELECT min(next_at) AS t FROM message m WHERE status = 'pending'"
	    " AND NOT EXISTS (SELECT 1 FROM message o WHERE o.status = 'pending'"
	    " AND o.id < m.id AND o.channel = m.channel AND o.target = m.target)"
	    " UNION ALL SELECT max(next_at) FROM message WHERE " HELD_IN_WINDOW
	    " GROUP BY channel, target)");
	int64_t t = -1;

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, now);
	sqlite3_bind_int64(q, 2, window);
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL)
		t = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return t;
}

int store_outbox_record_config(struct store *st, int64_t msg, int64_t at,
    long status, const char *error, const char *fingerprint, int64_t probe_at)
{
	bool tx = store_begin(st) == 0;
	int bad = 0;

	bad |= exec_bind(st, "INSERT INTO attempt(message, at, ok, status, error)"
	    " VALUES(?, ?, 0, ?, ?)", "iiis", msg, at, (int64_t)status, error);
	bad |= exec_bind(st, "UPDATE message SET status = 'failed', attempts = attempts + 1,"
	    " last_error = ?, failed_config = ?, next_at = ?, claimed_by = NULL,"
	    " claimed_until = NULL WHERE id = ?", "ssii", error, fingerprint, probe_at, msg);
	/* What waits for the same target would fail the same way: held with
	 * it, not attempted one by one (those another process is sending
	 * excepted). */
	bad |= exec_bind(st, "UPDATE message SET status = 'failed', failed_config = ?1,"
	    " next_at = ?2, last_error = COALESCE(last_error, ?3) WHERE status = 'pending'"
	    " AND id <> ?4 AND claimed_by IS NULL AND (channel, target) ="
	    " (SELECT channel, target FROM message WHERE id = ?4)", "sisi", fingerprint,
	    probe_at, error, msg);
	if (bad || (tx && store_commit(st) != 0)) {
		db_keep_error(st);
		if (tx)
			store_rollback(st);
		return -1;
	}
	return 0;
}

int store_outbox_progress(struct store *st, int64_t msg, int parts_sent)
{
	return exec_bind(st, "UPDATE message SET parts_sent = ? WHERE id = ?", "ii",
	    (int64_t)parts_sent, msg);
}

static void held_row(sqlite3_stmt *q, void *elem, void *ctx)
{
	*(struct outbox_held *)elem = (struct outbox_held){ xstrdup(db_col_text(q, 0)),
	    xstrdup(db_col_text(q, 1)), xstrdup(db_col_text(q, 2)) };
}

int store_outbox_held(struct store *st, struct outbox_held **v, size_t *n)
{
	sqlite3_stmt *q = db_prepare(st, "SELECT DISTINCT channel, target, failed_config"
	    " FROM message WHERE status = 'failed' AND failed_config IS NOT NULL"
	    " ORDER BY channel, target");

	*v = NULL;
	*n = 0;
	if (!q || db_collect(q, sizeof(**v), held_row, NULL, (void **)v, n) != 0) {
		store_outbox_held_free(*v, *n);
		*v = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void store_outbox_held_free(struct outbox_held *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].channel);
		free(v[i].target);
		free(v[i].fingerprint);
	}
	free(v);
}

int store_outbox_probe_held(struct store *st, int64_t now, int64_t window)
{
	/* Every held message of such a target, oldest first (deliver.c sends
	 * one at a time): the first to fail holds the others again
	 * (store_outbox_record_config). A target with a message due now is
	 * tried too, its held messages first, so that they keep their order. */
	sqlite3_stmt *q = db_prepare(st, "UPDATE message SET status = 'pending',"
	    " next_at = ?1, failed_config = NULL WHERE " HELD_IN_WINDOW
	    " AND (channel, target) IN (SELECT channel, target FROM message WHERE "
	    HELD_IN_WINDOW " GROUP BY channel, target HAVING max(next_at) <= ?1"
	    " UNION SELECT channel, target FROM message WHERE status = 'pending'"
	    " AND next_at <= ?1)");

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, now);
	sqlite3_bind_int64(q, 2, window);
	if (db_step_done(q) != 0)
		return -1;
	return sqlite3_changes(st->db);
}

int store_outbox_requeue_held(struct store *st, const char *channel,
    const char *target, const char *fingerprint, int64_t now)
{
	sqlite3_stmt *q = db_prepare(st, "UPDATE message SET status = 'pending',"
	    " next_at = ?1, requeued_at = ?1, failed_config = NULL"
	    " WHERE status = 'failed' AND channel = ?2 AND target = ?3"
	    " AND failed_config IS NOT NULL AND failed_config <> ?4");

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, now);
	db_bind_text(q, 2, channel);
	db_bind_text(q, 3, target);
	db_bind_text(q, 4, fingerprint);
	if (db_step_done(q) != 0)
		return -1;
	return sqlite3_changes(st->db);
}

int store_outbox_retry(struct store *st, bool failed, int64_t since, int64_t now,
    struct outbox_retried *r)
{
	sqlite3_stmt *q;

	*r = (struct outbox_retried){ 0 };
	/* Those held for a configuration reason, then (--failed) every other
	 * failed one, then the pending ones waiting for a later try. */
	if (!(q = db_prepare(st, "UPDATE message SET status = 'pending', next_at = ?1,"
	    " requeued_at = ?1, failed_config = NULL WHERE status = 'failed'"
	    " AND created_at >= ?2 AND failed_config IS NOT NULL")))
		return -1;
	sqlite3_bind_int64(q, 1, now);
	sqlite3_bind_int64(q, 2, since);
	if (db_step_done(q) != 0)
		return -1;
	r->held = (size_t)sqlite3_changes(st->db);
	if (failed) {
		if (!(q = db_prepare(st, "UPDATE message SET status = 'pending', next_at = ?1,"
		    " requeued_at = ?1 WHERE status = 'failed' AND created_at >= ?2")))
			return -1;
		sqlite3_bind_int64(q, 1, now);
		sqlite3_bind_int64(q, 2, since);
		if (db_step_done(q) != 0)
			return -1;
		r->failed = (size_t)sqlite3_changes(st->db);
	}
	if (!(q = db_prepare(st, "UPDATE message SET next_at = ?1 WHERE status = 'pending'"
	    " AND next_at > ?1 AND created_at >= ?2")))
		return -1;
	sqlite3_bind_int64(q, 1, now);
	sqlite3_bind_int64(q, 2, since);
	if (db_step_done(q) != 0)
		return -1;
	r->pending = (size_t)sqlite3_changes(st->db);
	return 0;
}

