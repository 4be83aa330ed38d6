/* Following alerts up (include/vigie/store_followup.h): the alert row keeps
 * the current episode's follow-up (a new episode clears it, alerts.c), the
 * events keep every step for the history and the report's counts, and
 * notes are read back only by their role. */
#include <stdlib.h>
#include <string.h>
#include "store_impl.h"
#include "vigie/store_alerts.h"
#include "vigie/store_followup.h"
#include "vigie/xalloc.h"

/* Appends alert id's follow-up event of kind, by `by`, with outcome o,
 * at now, with the alert's current rule, unit, period and values. */
static int followup_event(struct store *st, int64_t id, const char *kind,
    const char *by, enum outcome o, int64_t now)
{
	sqlite3_stmt *q = db_prepare(st, "INSERT INTO event(at, alert, kind, rule, unit,"
	    " period, severity, value, threshold, since, author, outcome)"
	    " SELECT ?1, id, ?2, rule, unit, period, severity, value, threshold,"
	    " since, ?3, ?4 FROM alert WHERE id = ?5");

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, now);
	db_bind_text(q, 2, kind);
	db_bind_text(q, 3, by);
	db_bind_text(q, 4, outcome_name(o));
	sqlite3_bind_int64(q, 5, id);
	return db_step_done(q);
}

int store_alert_close(struct store *st, int64_t id, const char *by,
    enum outcome o, int64_t now)
{
	struct followup f;
	sqlite3_stmt *q;
	int rc = store_followup_get(st, id, &f);

	if (rc != 0)
		return -1;
	/* Closing takes the alert in charge first, as the history shows it. */
	rc = f.taken_by ? 0 : store_alert_ack(st, id, by, NULL, now);
	followup_free(&f);
	if (rc != 0)
		return -1;
	if (!(q = db_prepare(st, "UPDATE alert SET closed_by = ?1, closed_at = ?2,"
	    " outcome = ?3 WHERE id = ?4")))
		return -1;
	db_bind_text(q, 1, by);
	sqlite3_bind_int64(q, 2, now);
	db_bind_text(q, 3, outcome_name(o));
	sqlite3_bind_int64(q, 4, id);
	if (db_step_done(q) != 0)
		return -1;
	return followup_event(st, id, "closed", by, o, now);
}

int store_alert_correct(struct store *st, int64_t id, const char *by,
    enum outcome o, int64_t now)
{
	sqlite3_stmt *q = db_prepare(st, "UPDATE alert SET outcome = ?1"
	    " WHERE id = ?2 AND closed_by IS NOT NULL AND outcome IS NOT ?1");

	if (!q)
		return -1;
	db_bind_text(q, 1, outcome_name(o));
	sqlite3_bind_int64(q, 2, id);
	if (db_step_done(q) != 0)
		return -1;
	if (sqlite3_changes(st->db) == 0)
		return 1;
	return followup_event(st, id, "corrected", by, o, now);
}

int store_alert_reopen(struct store *st, int64_t id, const char *by, int64_t now)
{
	/* The closing's event stays, and so does what it counts (followup_scan). */
	sqlite3_stmt *q = db_prepare(st, "UPDATE alert SET closed_by = NULL,"
	    " closed_at = NULL, outcome = NULL WHERE id = ? AND closed_by IS NOT NULL");

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	if (db_step_done(q) != 0)
		return -1;
	if (sqlite3_changes(st->db) == 0)
		return 1;
	if (followup_event(st, id, "reopened", by, OUTCOME_NONE, now) != 0)
		return -1;
	return store_alert_ack(st, id, by, NULL, now);
}

int store_event_unmailed(struct store *st, int64_t event)
{
	sqlite3_stmt *q = db_prepare(st, "SELECT " DB_UNMAILED("e") " FROM event e"
	    " WHERE e.id = ?");
	int rc, k = 0;

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, event);
	if ((rc = sqlite3_step(q)) == SQLITE_ROW)
		k = sqlite3_column_int(q, 0) != 0;
	sqlite3_finalize(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? k : -1;
}

int store_followup_get(struct store *st, int64_t id, struct followup *f)
{
	sqlite3_stmt *q = db_prepare(st, "SELECT acked_by, acked_at, closed_by,"
	    " closed_at, outcome FROM alert WHERE id = ?");
	int rc;

	memset(f, 0, sizeof(*f));
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		f->taken_by = db_col_dup(q, 0);
		f->taken_at = sqlite3_column_int64(q, 1);
		f->closed_by = db_col_dup(q, 2);
		f->closed_at = sqlite3_column_int64(q, 3);
		f->outcome = db_col_outcome(q, 4);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

void followup_free(struct followup *f)
{
	free(f->taken_by);
	free(f->closed_by);
	memset(f, 0, sizeof(*f));
}

int64_t store_note_add(struct store *st, const char *role, const char *author,
    int64_t alert, const char *unit, const char *body, int64_t now)
{
	sqlite3_stmt *q = db_prepare(st, "INSERT INTO note(at, role, author, alert,"
	    " unit, body) VALUES(?,?,?,?,?,?)");

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, now);
	db_bind_text(q, 2, role);
	db_bind_text(q, 3, author);
	if (alert > 0)
		sqlite3_bind_int64(q, 4, alert);
	db_bind_text(q, 5, unit);
	db_bind_text(q, 6, body);
	if (db_step_done(q) != 0)
		return -1;
	return sqlite3_last_insert_rowid(st->db);
}

static void note_row(sqlite3_stmt *q, void *elem, void *ctx)
{
	*(struct note *)elem = (struct note){
		.id = sqlite3_column_int64(q, 0),
		.at = sqlite3_column_int64(q, 1),
		.alert = sqlite3_column_int64(q, 2),
		.role = db_col_dup(q, 3),
		.author = db_col_dup(q, 4),
		.unit = db_col_dup(q, 5),
		.body = db_col_dup(q, 6),
		.edited = sqlite3_column_int64(q, 7),
		.rule = sqlite3_column_count(q) > 8 ? db_col_dup(q, 8) : NULL,
	};
}

/* The notes of q (bound; note_row's columns): 0 with them, or -1 and
 * none. */
static int collect_notes(sqlite3_stmt *q, struct note **v, size_t *n)
{
	if (db_collect(q, sizeof(**v), note_row, NULL, (void **)v, n) != 0) {
		store_notes_free(*v, *n);
		*v = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int store_notes_list(struct store *st, const char *role, int64_t alert,
    const char *unit, struct note **v, size_t *n)
{
	sqlite3_stmt *q = db_prepare(st, "SELECT id, at, alert, role, author, unit,"
	    " body, edited_at FROM note WHERE role = ?1 AND (CASE WHEN ?2 > 0 THEN alert = ?2"
	    " ELSE alert IS NULL AND unit = ?3 END) ORDER BY at, id");

	*v = NULL;
	*n = 0;
	if (!q)
		return -1;
	db_bind_text(q, 1, role);
	sqlite3_bind_int64(q, 2, alert);
	db_bind_text(q, 3, unit);
	return collect_notes(q, v, n);
}

int store_notes_on_alerts(struct store *st, const char *role, const char *unit,
    struct note **v, size_t *n)
{
	sqlite3_stmt *q = db_prepare(st, "SELECT n.id, n.at, n.alert, n.role, n.author,"
	    " a.unit, n.body, n.edited_at, a.rule FROM note n JOIN alert a ON a.id = n.alert"
	    " WHERE n.role = ?1 AND a.unit = ?2 ORDER BY n.at, n.id");

	*v = NULL;
	*n = 0;
	if (!q)
		return -1;
	db_bind_text(q, 1, role);
	db_bind_text(q, 2, unit);
	return collect_notes(q, v, n);
}

void store_notes_free(struct note *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].rule);
		free(v[i].role);
		free(v[i].author);
		free(v[i].unit);
		free(v[i].body);
	}
	free(v);
}

/* Runs q (its note id, role, author and since bound as ?1 ?2 ?3 ?6) with the
 * connection's secure_delete on: the bytes of the text it replaces or
 * deletes become zeros in the pages written. */
static int note_change(struct store *st, sqlite3_stmt *q, int64_t id,
    const char *role, const char *author, int64_t since)
{
	int rc;

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	db_bind_text(q, 2, role);
	db_bind_text(q, 3, author);
	sqlite3_bind_int64(q, 6, since);
	if (db_exec(st->db, "PRAGMA secure_delete = ON") != 0) {
		sqlite3_finalize(q);
		return -1;
	}
	rc = db_step_done(q);
	if (db_exec(st->db, "PRAGMA secure_delete = OFF") != 0 || rc != 0)
		return -1;
	return sqlite3_changes(st->db) ? 0 : 1;
}

int store_note_edit(struct store *st, int64_t id, const char *role,
    const char *author, int64_t since, const char *body, int64_t now)
{
	sqlite3_stmt *q = db_prepare(st, "UPDATE note SET body = ?4, edited_at = ?5"
	    " WHERE id = ?1 AND role = ?2 AND author = ?3 AND at >= ?6");

	if (q) {
		db_bind_text(q, 4, body);
		sqlite3_bind_int64(q, 5, now);
	}
	return note_change(st, q, id, role, author, since);
}

int store_note_delete(struct store *st, int64_t id, const char *role,
    const char *author, int64_t since)
{
	return note_change(st, db_prepare(st, "DELETE FROM note WHERE id = ?1"
	    " AND role = ?2 AND author = ?3 AND at >= ?6"), id, role, author, since);
}

static bool listed(const char *rule, const char *const *rules, size_t nrules)
{
	for (size_t i = 0; rule && i < nrules; i++)
		if (!strcmp(rule, rules[i]))
			return true;
	return false;
}

/* Adds one row of followup_scan (kind, outcome, k) to c. */
static void followup_add(struct followup_counts *c, const char *kind,
    const char *outcome, size_t k)
{
	enum outcome o;

	if (!strcmp(kind, "firing"))
		c->fired += k;
	else if (!strcmp(kind, "before"))
		c->before += k;
	else if (!strcmp(kind, "ack"))
		c->taken += k;
	else if (outcome_parse(outcome, &o) == 0)
		c->closed[o] += k;
}

/* An alert's firing f notified before period ?1 whose episode was still
 * active at ?1: no later firing before ?1, no resolution at ?1 or before
 * (an alert resolved at a period was not active there). */
#define ONGOING_AT(f) "(" f ".period < ?1 AND NOT EXISTS (SELECT 1 FROM event n" \
	" WHERE n.alert = " f ".alert AND n.id > " f ".id AND ((n.kind = 'resolved'" \
	" AND n.period <= ?1) OR (n.kind = 'firing' AND n.period < ?1))))"

/* The follow-up of the alerts that fired for a period of [from, to] (on
 * unit and under it, as the alert is named today: vigie rename moves an
 * alert, its events keep the name they were recorded under; NULL: every
 * unit), and with ongoing those notified before from and still active
 * then, per rule and alert: row(ctx, rule, the alert's unit, kind,
 * outcome, k), kind "before" for the firing of an ongoing one. */
static int followup_scan(struct store *st, const char *unit, int32_t from,
    int32_t to, int64_t until, bool ongoing, void (*row)(void *ctx,
    const char *rule, const char *unit, const char *kind, const char *outcome,
    size_t k), void *ctx)
{
	/* The alerts that fired for a period of [from, to], each with the
	 * time of that firing: what was done about them since, up to until
	 * (an ongoing alert's, since its firing before the span: taken in
	 * charge before the span, it is followed in it). An alert
	 * acknowledged twice was taken in charge once. */
	/* A closing counts with its outcome as last corrected before until
	 * (a correction applies to the closing before it), unless the alert
	 * was reopened after it (worse since: the outcome then was not the
	 * last word; closed again, its new outcome counts). */
	sqlite3_stmt *q = db_prepare(st, "SELECT a.rule, a.unit,"
	    " CASE WHEN e.kind = 'firing' AND e.period < ?1 THEN 'before' ELSE e.kind END,"
	    " CASE e.kind WHEN 'closed' THEN ifnull((SELECT c.outcome FROM event c"
	    "  WHERE c.alert = e.alert AND c.kind = 'corrected' AND c.id > e.id"
	    "  AND c.at < ?4 AND NOT EXISTS (SELECT 1 FROM event n WHERE n.alert = e.alert"
	    "   AND n.kind = 'closed' AND n.id > e.id AND n.id < c.id)"
	    "  ORDER BY c.id DESC LIMIT 1), e.outcome) END AS outcome,"
	    " CASE e.kind WHEN 'firing' THEN count(*) ELSE count(DISTINCT e.alert) END"
	    " FROM event e JOIN (SELECT f.alert, min(f.at) AS at0 FROM event f"
	    "  JOIN alert u ON u.id = f.alert"
	    "  WHERE f.kind = 'firing' AND (f.period BETWEEN ?1 AND ?2"
	    "  OR (?5 AND " ONGOING_AT("f") ")) AND (?3 IS NULL"
	    "  OR u.unit = ?3 OR substr(u.unit, 1, length(?3) + 1) = ?3 || '/')"
	    "  GROUP BY f.alert) f ON f.alert = e.alert JOIN alert a ON a.id = e.alert"
	    " WHERE (e.kind = 'firing' AND (e.period BETWEEN ?1 AND ?2"
	    "  OR (?5 AND " ONGOING_AT("e") ")))"
	    " OR (e.kind IN ('ack', 'closed') AND e.at >= f.at0 AND e.at < ?4"
	    "  AND NOT (e.kind = 'closed' AND EXISTS (SELECT 1 FROM event r"
	    "  WHERE r.alert = e.alert AND r.kind = 'reopened' AND r.id > e.id"
	    "  AND r.at < ?4)))"
	    " GROUP BY a.rule, a.unit, 3, 4 ORDER BY a.rule, a.unit");
	int rc;

	if (!q)
		return -1;
	sqlite3_bind_int(q, 1, from);
	sqlite3_bind_int(q, 2, to);
	db_bind_text(q, 3, unit);
	sqlite3_bind_int64(q, 4, until);
	sqlite3_bind_int(q, 5, ongoing);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		row(ctx, db_col_text(q, 0), db_col_text(q, 1), db_col_text(q, 2),
		    db_col_text(q, 3), (size_t)sqlite3_column_int64(q, 4));
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : -1;
}

struct sum {
	const char *const *rules;
	size_t nrules;
	struct followup_counts *c;
};

static void sum_row(void *ctx, const char *rule, const char *unit,
    const char *kind, const char *outcome, size_t k)
{
	struct sum *s = ctx;

	(void)unit;
	if (!s->rules || listed(rule, s->rules, s->nrules))
		followup_add(s->c, kind, outcome, k);
}

int store_followup_counts(struct store *st, const char *unit, int32_t from,
    int32_t to, int64_t until, const char *const *rules, size_t nrules,
    struct followup_counts *c)
{
	memset(c, 0, sizeof(*c));
	return followup_scan(st, unit, from, to, until, true, sum_row,
	    &(struct sum){ rules, nrules, c });
}

struct rows {
	struct followup_row *v;
	size_t n, cap;
};

static void collect_row(void *ctx, const char *rule, const char *unit,
    const char *kind, const char *outcome, size_t k)
{
	struct rows *r = ctx;
	struct followup_row *last = r->n ? &r->v[r->n - 1] : NULL;

	if (!last || strcmp(last->rule, rule) || strcmp(last->unit, unit)) {
		if (r->n == r->cap) {
			r->cap = r->cap ? 2 * r->cap : 64;
			r->v = xreallocarray(r->v, r->cap, sizeof(*r->v));
		}
		last = &r->v[r->n++];
		*last = (struct followup_row){ xstrdup(rule), xstrdup(unit), { 0 } };
	}
	followup_add(&last->c, kind, outcome, k);
}

int store_followup_rows(struct store *st, int32_t from, int32_t to,
    int64_t until, struct followup_row **v, size_t *n)
{
	struct rows r = { NULL, 0, 0 };
	int rc = followup_scan(st, NULL, from, to, until, false, collect_row, &r);

	if (rc != 0) {
		followup_rows_free(r.v, r.n);
		r = (struct rows){ NULL, 0, 0 };
	}
	*v = r.v;
	*n = r.n;
	return rc;
}

void followup_rows_free(struct followup_row *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].rule);
		free(v[i].unit);
	}
	free(v);
}
