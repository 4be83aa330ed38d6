/* Alerts and their history (include/vigie/store_alerts.h): the alert rows
 * the cycle compares and writes, the events it appends, acknowledgements,
 * and the queries of `vigie alerts`, `vigie history` and the Alertmanager
 * refresh. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "store_impl.h"
#include "vigie/store_alerts.h"
#include "vigie/xalloc.h"

static enum severity sev_parse(const char *s)
{
	if (!strcmp(s, "critical"))
		return SEV_CRITICAL;
	if (!strcmp(s, "warning"))
		return SEV_WARNING;
	return SEV_NONE;
}

static int cmp_alert(const void *a, const void *b)
{
	const struct stored_alert *x = a, *y = b;
	int r = strcmp(x->rule, y->rule);

	return r ? r : strcmp(x->unit, y->unit);
}

/* The columns of an alert_state, from column `at` on. */
#define STATE_COLUMNS "active, severity, value, threshold, period, since," \
	" notified_period, acked_by, retired, absent"

static struct alert_state state_of(sqlite3_stmt *q, int at)
{
	return (struct alert_state){
		.active = sqlite3_column_int(q, at) != 0,
		.severity = sev_parse(db_col_text(q, at + 1)),
		.value = db_col_real(q, at + 2),
		.threshold = db_col_real(q, at + 3),
		.period = db_col_period(q, at + 4),
		.since = db_col_period(q, at + 5),
		.notified = db_col_period(q, at + 6),
		.acked = sqlite3_column_type(q, at + 7) != SQLITE_NULL,
		.retired = sqlite3_column_int(q, at + 8) != 0,
		.absent = sqlite3_column_int(q, at + 9) != 0,
	};
}

static void alert_row(sqlite3_stmt *q, void *elem, void *ctx)
{
	*(struct stored_alert *)elem = (struct stored_alert){
		.id = sqlite3_column_int64(q, 0),
		.rule = xstrdup(db_col_text(q, 1)),
		.unit = xstrdup(db_col_text(q, 2)),
		.state = state_of(q, 3),
	};
}

int store_alerts_load(struct store *st, struct stored_alert **v, size_t *n)
{
	sqlite3_stmt *q = db_prepare(st, "SELECT id, rule, unit, " STATE_COLUMNS
	    " FROM alert");

	*v = NULL;
	*n = 0;
	if (!q || db_collect(q, sizeof(**v), alert_row, NULL, (void **)v, n) != 0) {
		store_alerts_free(*v, *n);
		*v = NULL;
		*n = 0;
		return -1;
	}
	/* strcmp order: what the evaluation's binary search needs. */
	if (*n > 1)
		qsort(*v, *n, sizeof(**v), cmp_alert);
	return 0;
}

void store_alerts_free(struct stored_alert *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].rule);
		free(v[i].unit);
	}
	free(v);
}

int store_alert_write(struct store *st, struct store_cycle *c, const char *rule,
    const char *unit, int64_t *id, const struct alert_state *a, bool clear_ack)
{
	sqlite3_stmt *q;

	if (store_cycle_ensure(st, c) != 0)
		return -1;
	if (*id == 0)
		q = db_prepare(st, "INSERT INTO alert(active, severity, value,"
		    " threshold, period, since, notified_period, updated_at, rule, unit,"
		    " retired, absent) VALUES(?,?,?,?,?,?,?,?,?,?,?11,?12)");
	else
		q = db_prepare(st, "UPDATE alert SET active = ?, severity = ?,"
		    " value = ?, threshold = ?, period = ?, since = ?, notified_period = ?,"
		    " updated_at = ?, retired = ?11, absent = ?12,"
		    " acked_by = CASE WHEN ?9 THEN NULL ELSE acked_by END,"
		    " acked_at = CASE WHEN ?9 THEN NULL ELSE acked_at END,"
		    " acked_role = CASE WHEN ?9 THEN NULL ELSE acked_role END,"
		    " ack_note = CASE WHEN ?9 THEN NULL ELSE ack_note END,"
		    " closed_by = CASE WHEN ?9 THEN NULL ELSE closed_by END,"
		    " closed_at = CASE WHEN ?9 THEN NULL ELSE closed_at END,"
		    " outcome = CASE WHEN ?9 THEN NULL ELSE outcome END WHERE id = ?10");
	if (!q)
		return -1;
	sqlite3_bind_int(q, 1, a->active);
	db_bind_text(q, 2, severity_name(a->severity));
	db_bind_real(q, 3, a->value);
	db_bind_real(q, 4, a->threshold);
	db_bind_period(q, 5, a->period);
	db_bind_period(q, 6, a->since);
	db_bind_period(q, 7, a->notified);
	sqlite3_bind_int64(q, 8, c->now);
	if (*id == 0) {
		db_bind_text(q, 9, rule);
		db_bind_text(q, 10, unit);
	} else {
		sqlite3_bind_int(q, 9, clear_ack);
		sqlite3_bind_int64(q, 10, *id);
	}
	sqlite3_bind_int(q, 11, a->retired);
	sqlite3_bind_int(q, 12, a->absent);
	if (db_step_done(q) != 0)
		return -1;
	if (*id == 0)
		*id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int store_alert_find(struct store *st, const char *rule, const char *unit,
    int64_t *id, struct alert_state *state)
{
	sqlite3_stmt *q = db_prepare(st, "SELECT id, " STATE_COLUMNS " FROM alert"
	    " WHERE rule = ? AND unit = ?");
	int rc;

	if (!q)
		return -1;
	db_bind_text(q, 1, rule);
	db_bind_text(q, 2, unit);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(q, 0);
		*state = state_of(q, 1);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

int store_alert_ack(struct store *st, int64_t id, const char *by,
    const char *note, int64_t now)
{
	/* The taker's role as it is now, which its cases keep (schema 16). */
	sqlite3_stmt *q = db_prepare(st, "UPDATE alert SET acked_by = ?1, acked_at = ?2,"
	    " ack_note = ?3, acked_role = (SELECT role FROM account WHERE name = ?1)"
	    " WHERE id = ?4");

	if (!q)
		return -1;
	db_bind_text(q, 1, by);
	sqlite3_bind_int64(q, 2, now);
	db_bind_text(q, 3, note);
	sqlite3_bind_int64(q, 4, id);
	if (db_step_done(q) != 0)
		return -1;
	if (!(q = db_prepare(st, "INSERT INTO event(at, alert, kind, rule, unit,"
	    " period, severity, value, threshold, since, author, note)"
	    " SELECT ?, id, 'ack', rule, unit, period, severity, value, threshold, since,"
	    " ?, ? FROM alert WHERE id = ?")))
		return -1;
	sqlite3_bind_int64(q, 1, now);
	db_bind_text(q, 2, by);
	db_bind_text(q, 3, note);
	sqlite3_bind_int64(q, 4, id);
	return db_step_done(q);
}

int64_t store_event_insert(struct store *st, struct store_cycle *c,
    const struct event_in *e)
{
	sqlite3_stmt *q;

	if (store_cycle_ensure(st, c) != 0)
		return -1;
	if (!(q = db_prepare(st, "INSERT INTO event(at, alert, kind, rule, unit,"
	    " period, severity, prev_severity, value, threshold, since, title, summary,"
	    " guidance, labels, history, decimals, silenced, observed, expected, clear,"
	    " held, missing, hidden, below, measure, terms, points, guidance_roles,"
	    " absent, file, inhibited_by) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
	    "?,?,?,?,?,?,?,?,?)")))
		return -1;
	sqlite3_bind_int64(q, 1, c->now);
	if (e->alert)
		sqlite3_bind_int64(q, 2, e->alert);
	else
		sqlite3_bind_null(q, 2);
	db_bind_text(q, 3, e->kind);
	db_bind_text(q, 4, e->rule);
	db_bind_text(q, 5, e->unit);
	db_bind_period(q, 6, e->period);
	db_bind_text(q, 7, severity_name(e->sev));
	db_bind_text(q, 8, severity_name(e->prev));
	db_bind_real(q, 9, e->value);
	db_bind_real(q, 10, e->threshold);
	db_bind_period(q, 11, e->since);
	db_bind_text(q, 12, e->title);
	db_bind_text(q, 13, e->summary);
	db_bind_text(q, 14, e->guidance);
	db_bind_text(q, 15, e->labels);
	db_bind_text(q, 16, e->history);
	if (e->decimals >= 0)
		sqlite3_bind_int(q, 17, e->decimals);
	else
		sqlite3_bind_null(q, 17);
	sqlite3_bind_int(q, 18, e->silenced);
	db_bind_real(q, 19, e->detail ? e->observed : NAN);
	db_bind_real(q, 20, e->detail ? e->expected : NAN);
	db_bind_real(q, 21, e->detail ? e->clear : NAN);
	sqlite3_bind_int(q, 22, e->detail && e->held);
	sqlite3_bind_int(q, 23, e->detail && e->missing);
	sqlite3_bind_int(q, 24, e->detail && e->hidden);
	sqlite3_bind_int(q, 25, e->detail && e->below);
	db_bind_text(q, 26, e->detail ? e->measure : NULL);
	db_bind_text(q, 27, e->detail ? e->terms : NULL);
	db_bind_text(q, 28, e->detail ? e->points : NULL);
	db_bind_text(q, 29, e->detail ? e->guidance_roles : NULL);
	sqlite3_bind_int(q, 30, e->absent);
	db_bind_text(q, 31, e->file);
	db_bind_text(q, 32, e->inhibited_by);
	if (db_step_done(q) != 0)
		return -1;
	return sqlite3_last_insert_rowid(st->db);
}

int store_alert_counts(struct store *st, struct alert_counts *c)
{
	sqlite3_stmt *q;
	int rc;

	*c = (struct alert_counts){ 0 };
	if (!(q = db_prepare(st, "SELECT severity, count(*) FROM alert WHERE active"
	    " GROUP BY severity")))
		return -1;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		size_t n = (size_t)sqlite3_column_int64(q, 1);
		c->active += n;
		if (!strcmp(db_col_text(q, 0), "critical"))
			c->critical += n;
		else
			c->warning += n;
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return -1;
	if (!(q = db_prepare(st, "SELECT status, failed_config IS NOT NULL, count(*)"
	    " FROM message WHERE status IN ('pending', 'failed') GROUP BY 1, 2")))
		return -1;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		size_t n = (size_t)sqlite3_column_int64(q, 2);
		if (!strcmp(db_col_text(q, 0), "pending"))
			c->pending += n;
		else
			c->failed += n;
		if (sqlite3_column_int(q, 1))
			c->held += n;
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : -1;
}

static void listing_row(sqlite3_stmt *q, void *elem, void *ctx)
{
	*(struct alert_listing *)elem = (struct alert_listing){
		.rule = xstrdup(db_col_text(q, 0)),
		.unit = xstrdup(db_col_text(q, 1)),
		.active = sqlite3_column_int(q, 2) != 0,
		.severity = sev_parse(db_col_text(q, 3)),
		.value = db_col_real(q, 4),
		.threshold = db_col_real(q, 5),
		.since = db_col_period(q, 6),
		.period = db_col_period(q, 7),
		.acked_by = db_col_dup(q, 8),
		.acked_at = sqlite3_column_int64(q, 9),
		.decimals = sqlite3_column_type(q, 10) == SQLITE_NULL ? 1 :
		    sqlite3_column_int(q, 10),
		.retired = sqlite3_column_int(q, 11) != 0,
		.absent = sqlite3_column_int(q, 12) != 0,
	};
}

int store_alerts_list(struct store *st, bool all, struct alert_listing **v,
    size_t *n)
{
	sqlite3_stmt *q = db_prepare(st, "SELECT a.rule, a.unit, a.active, a.severity,"
	    " a.value, a.threshold, a.since, a.period, a.acked_by, a.acked_at,"
	    " (SELECT e.decimals FROM event e WHERE e.alert = a.id AND e.decimals"
	    " IS NOT NULL ORDER BY e.id DESC LIMIT 1), a.retired, a.absent"
	    " FROM alert a WHERE a.active OR ? ORDER BY a.rule, a.unit");

	*v = NULL;
	*n = 0;
	if (q)
		sqlite3_bind_int(q, 1, all);
	if (!q || db_collect(q, sizeof(**v), listing_row, NULL, (void **)v, n) != 0) {
		store_alerts_list_free(*v, *n);
		*v = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void store_alerts_list_free(struct alert_listing *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].rule);
		free(v[i].unit);
		free(v[i].acked_by);
	}
	free(v);
}

/* History entries sort by time, then event id, a notification right after
 * the event it carries. */
struct hist {
	struct history_entry e;
	int64_t seq;
};

static int cmp_hist(const void *a, const void *b)
{
	const struct hist *x = a, *y = b;

	if (x->e.at != y->e.at)
		return x->e.at < y->e.at ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int history_notifications(struct store *st, int64_t ev, const char *kind,
    struct hist **v, size_t *n)
{
	sqlite3_stmt *q = db_prepare(st, "SELECT m.channel, m.target, m.role, m.status,"
	    " m.attempts, m.last_error, COALESCE(m.sent_at,"
	    " (SELECT max(a.at) FROM attempt a WHERE a.message = m.id), m.created_at)"
	    " FROM message_item i JOIN message m ON m.id = i.message"
	    " WHERE i.event = ? ORDER BY m.id");
	int rc;

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, ev);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		*v = xreallocarray(*v, *n + 1, sizeof(**v));
		(*v)[(*n)++] = (struct hist){ .seq = ev * 2 + 1, .e = {
			.at = sqlite3_column_int64(q, 6), .notification = true,
			.kind = xstrdup(kind), .period = -1, .since = -1,
			.value = NAN, .threshold = NAN,
			.channel = xstrdup(db_col_text(q, 0)),
			.target = xstrdup(db_col_text(q, 1)),
			.role = xstrdup(db_col_text(q, 2)),
			.status = xstrdup(db_col_text(q, 3)),
			.attempts = sqlite3_column_int(q, 4),
			.error = db_col_dup(q, 5),
		} };
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : -1;
}

int store_alert_history(struct store *st, int64_t alert,
    struct history_entry **out, size_t *nout)
{
	sqlite3_stmt *q = db_prepare(st, "SELECT id, at, kind, period, severity,"
	    " prev_severity, value, threshold, author, note, silenced, decimals,"
	    " outcome, absent, released_at, observed, expected, since, " DB_HELD_BY("e")
	    " FROM event e WHERE alert = ? ORDER BY at, id");
	struct hist *v = NULL;
	size_t n = 0;
	int rc;

	*out = NULL;
	*nout = 0;
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, alert);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t ev = sqlite3_column_int64(q, 0);
		v = xreallocarray(v, n + 1, sizeof(*v));
		v[n++] = (struct hist){ .seq = ev * 2, .e = {
			.at = sqlite3_column_int64(q, 1),
			.kind = xstrdup(db_col_text(q, 2)),
			.period = db_col_period(q, 3),
			.severity = sev_parse(db_col_text(q, 4)),
			.previous = sev_parse(db_col_text(q, 5)),
			.value = db_col_real(q, 6),
			.threshold = db_col_real(q, 7),
			.author = db_col_dup(q, 8),
			.note = db_col_dup(q, 9),
			.silenced = sqlite3_column_int(q, 10) != 0,
			.decimals = sqlite3_column_type(q, 11) == SQLITE_NULL ? 1 :
			    sqlite3_column_int(q, 11),
			.outcome = db_col_outcome(q, 12),
			.absent = sqlite3_column_int(q, 13) != 0,
			.released = sqlite3_column_int64(q, 14),
			.observed = db_col_real(q, 15),
			.expected = db_col_real(q, 16),
			.since = db_col_period(q, 17),
			.inhibited_by = db_col_dup(q, 18),
		} };
		if (history_notifications(st, ev, v[n - 1].e.kind, &v, &n) != 0) {
			rc = SQLITE_ERROR;
			break;
		}
	}
	sqlite3_finalize(q);
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_hist);
	struct history_entry *e = xcalloc(n, sizeof(*e));
	for (size_t i = 0; i < n; i++)
		e[i] = v[i].e;
	free(v);
	if (rc != SQLITE_DONE) {
		store_alert_history_free(e, n);
		return -1;
	}
	*out = e;
	*nout = n;
	return 0;
}

void store_alert_history_free(struct history_entry *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].kind);
		free(v[i].author);
		free(v[i].note);
		free(v[i].inhibited_by);
		free(v[i].channel);
		free(v[i].target);
		free(v[i].role);
		free(v[i].status);
		free(v[i].error);
	}
	free(v);
}

static void silenced_row(sqlite3_stmt *q, void *elem, void *ctx)
{
	*(struct silenced_event *)elem = (struct silenced_event){
		.event = sqlite3_column_int64(q, 0),
		.rule = xstrdup(db_col_text(q, 1)),
		.unit = xstrdup(db_col_text(q, 2)),
		.period = db_col_period(q, 3),
		.kind = xstrdup(db_col_text(q, 4)),
		.event_period = db_col_period(q, 5),
		.inhibited_by = db_col_dup(q, 6),
		.alert = sqlite3_column_int64(q, 7),
		.episode = sqlite3_column_int64(q, 8),
	};
}

int store_silenced_events(struct store *st, struct silenced_event **v, size_t *n)
{
	/* The latest notifying event of an active alert belongs to its
	 * current episode: a new episode starts with a firing. The held
	 * events come first (indexes event_held, and event_inhibit_held for
	 * those an inhibition held for some of their recipients only,
	 * silenced 0; CROSS JOIN keeps them the outer loop, which ORDER BY
	 * would otherwise give to every alert), then their alerts. */
	/* And the resolution of an alert whose episode was notified: its
	 * recipients would believe it active still. */
	sqlite3_stmt *q = db_prepare(st, "SELECT e.id, a.rule, a.unit, a.period,"
	    " e.kind, e.period, e.inhibited_by, a.id, ifnull((SELECT max(id) FROM event"
	    "  WHERE alert = a.id AND kind = 'firing' AND id <= e.id), 0)"
	    " FROM (SELECT id FROM event INDEXED BY event_held"
	    "  WHERE silenced = 1 AND released_at IS NULL"
	    "  UNION SELECT id FROM event INDEXED BY event_inhibit_held"
	    "  WHERE inhibited_by IS NOT NULL AND released_at IS NULL) h"
	    " CROSS JOIN event e ON e.id = h.id CROSS JOIN alert a ON a.id = e.alert"
	    " WHERE ((a.active = 1"
	    " AND e.id = (SELECT max(id) FROM event WHERE alert = a.id"
	    "  AND kind IN ('firing', 'escalated', 'deescalated', 'reminder')))"
	    " OR (a.active = 0 AND a.retired = 0 AND e.kind = 'resolved'"
	    " AND e.id = (SELECT max(id) FROM event WHERE alert = a.id"
	    "  AND kind IN ('firing', 'escalated', 'deescalated', 'reminder', 'resolved'))"
	    " AND EXISTS (SELECT 1 FROM event p WHERE p.alert = a.id AND p.id < e.id"
	    "  AND p.id >= (SELECT max(id) FROM event WHERE alert = a.id AND kind = 'firing')"
	    "  AND p.kind IN ('firing', 'escalated', 'deescalated', 'reminder')"
	    "  AND (p.silenced = 0 OR p.released_at IS NOT NULL))))"
	    " ORDER BY a.rule, a.unit");

	*v = NULL;
	*n = 0;
	if (!q || db_collect(q, sizeof(**v), silenced_row, NULL, (void **)v, n) != 0) {
		store_silenced_events_free(*v, *n);
		*v = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void store_silenced_events_free(struct silenced_event *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].rule);
		free(v[i].unit);
		free(v[i].kind);
		free(v[i].inhibited_by);
	}
	free(v);
}

int store_event_release(struct store *st, struct store_cycle *c, int64_t event)
{
	sqlite3_stmt *q;

	if (store_cycle_ensure(st, c) != 0 ||
	    !(q = db_prepare(st, "UPDATE event SET released_at = ? WHERE id = ?")))
		return -1;
	sqlite3_bind_int64(q, 1, c->now);
	sqlite3_bind_int64(q, 2, event);
	return db_step_done(q);
}

int store_episode_notified(struct store *st, int64_t alert)
{
	sqlite3_stmt *q = db_prepare(st, "SELECT NOT EXISTS (SELECT 1 FROM event"
	    " WHERE alert = ?1 AND kind = 'firing') OR EXISTS (SELECT 1 FROM event"
	    " WHERE alert = ?1 AND id >= (SELECT max(id) FROM event"
	    "  WHERE alert = ?1 AND kind = 'firing')"
	    " AND kind IN ('firing', 'escalated', 'deescalated', 'reminder')"
	    " AND (silenced = 0 OR released_at IS NOT NULL))");
	int rc;

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, alert);
	rc = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int(q, 0) != 0 : -1;
	sqlite3_finalize(q);
	return rc;
}

int store_active_each(struct store *st, void (*fn)(const struct notice *x, void *arg),
    void *arg)
{
	/* The alert as it is now; its latest notification's summary only
	 * while that notification's period and value are still the alert's:
	 * after a correction, the old figures beside the new value would give
	 * away by subtraction what it took out (SPEC 3). Then the missing-data
	 * alert while data is missing: its latest "stale" event, as long as
	 * no "fresh" one came after it. */
	return db_each_notice(st,
	    "SELECT * FROM (SELECT 'firing', a.rule, a.unit, a.period, a.severity, NULL,"
	    " a.value, a.threshold, a.since, e.title,"
	    " CASE WHEN e.period = a.period AND e.value IS a.value THEN e.summary END,"
	    " e.guidance, e.labels, NULL,"
	    " e.decimals, e.at, a.absent AS absent"
	    " FROM alert a LEFT JOIN event e ON e.id = (SELECT max(id) FROM event"
	    "  WHERE alert = a.id AND kind IN ('firing', 'escalated', 'deescalated', 'reminder'))"
	    " WHERE a.active = 1 ORDER BY a.rule, a.unit)"
	    " UNION ALL"
	    " SELECT 'stale', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, s.title,"
	    " s.summary, NULL, NULL, NULL, NULL, s.at, 0 FROM event s"
	    " WHERE s.id = (SELECT max(id) FROM event WHERE alert IS NULL"
	    "  AND kind IN ('stale', 'fresh')) AND s.kind = 'stale'"
	    " AND (SELECT value FROM meta WHERE key = 'stale') = '1'", 0, fn, arg);
}

int store_missing_data(struct store *st, int64_t *raised_at)
{
	sqlite3_stmt *q = db_prepare(st, "SELECT s.at FROM event s"
	    " WHERE s.id = (SELECT max(id) FROM event WHERE alert IS NULL"
	    "  AND kind IN ('stale', 'fresh')) AND s.kind = 'stale'"
	    " AND (SELECT value FROM meta WHERE key = 'stale') = '1'"
	    " AND coalesce((SELECT max(at) FROM import_log WHERE "
	    DB_IMPORT_BROUGHT_VALUES "), 0) <= s.at");
	int rc;

	*raised_at = 0;
	if (!q)
		return -1;
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*raised_at = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}
