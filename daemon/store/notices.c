/* What delivery reads back from the outbox (include/vigie/store_outbox.h,
 * notice.h): the events of a message as notices, with their periods
 * formatted, the guidance for the message's role, the other roles the
 * events went to, and what the evaluation recorded for digests (observed,
 * expected, clear, hysteresis, the last periods with their expected
 * values, components and comparisons). alerts.c reads the notices of an
 * alert through the same row reader. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store_impl.h"
#include "vigie/store_outbox.h"
#include "vigie/xalloc.h"

void notice_clear(struct notice *x)
{
	free(x->kind);
	free(x->rule);
	free(x->unit);
	free(x->period);
	free(x->since);
	free(x->severity);
	free(x->prev_severity);
	free(x->told_severity);
	free(x->untold);
	free(x->taken_by);
	free(x->reopened);
	free(x->title);
	free(x->summary);
	free(x->guidance);
	free(x->labels);
	free(x->role);
	free(x->also);
	free(x->measure);
	free(x->file);
	free(x->covered_by);
	free(x->held_by);
	for (size_t i = 0; i < x->ncomponents; i++)
		free(x->components[i].label);
	free(x->components);
	for (size_t i = 0; i < x->ncompare; i++)
		free(x->compare[i].label);
	free(x->compare);
}

void notices_free(struct notice *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		notice_clear(&v[i]);
	free(v);
}

static char *period_dup(sqlite3_stmt *s, int i, enum granularity g)
{
	char buf[PERIOD_BUFSZ];

	if (sqlite3_column_type(s, i) == SQLITE_NULL)
		return NULL;
	return xstrdup(period_format(g, (int32_t)sqlite3_column_int64(s, i), buf));
}

/* history: JSON [["2026-01", 4.2], ["2026-02", null], ...]; keeps the
 * last NOTICE_HISTORY_MAX entries. */
static void parse_history(struct notice *x, const char *text)
{
	json_t *h = text ? json_loads(text, 0, NULL) : NULL;
	size_t n = json_array_size(h), from = n > NOTICE_HISTORY_MAX ? n - NOTICE_HISTORY_MAX : 0;

	for (size_t i = from; i < n; i++) {
		json_t *e = json_array_get(h, i), *p = json_array_get(e, 0), *v = json_array_get(e, 1);
		struct notice_point *pt = &x->history[x->nhistory];

		if (!json_is_string(p))
			continue;
		snprintf(pt->period, sizeof(pt->period), "%s", json_string_value(p));
		pt->defined = json_is_number(v);
		pt->value = pt->defined ? json_number_value(v) : 0;
		x->nhistory++;
	}
	json_decref(h);
}

/* points: JSON [["2026-01", value, observed, expected, hidden, nodata],
 * ...]; they replace the history (the same periods, with more in them).
 * Rows recorded before nodata have five elements: a month without data is
 * then only hidden, as the engine suppresses it. */
static void parse_points(struct notice *x, const char *text)
{
	json_t *h = text ? json_loads(text, 0, NULL) : NULL;
	size_t n = json_array_size(h), from = n > NOTICE_HISTORY_MAX ? n - NOTICE_HISTORY_MAX : 0;

	if (!n) {
		json_decref(h);
		return;
	}
	x->nhistory = 0;
	x->has_points = true;
	for (size_t i = from; i < n; i++) {
		json_t *e = json_array_get(h, i), *p = json_array_get(e, 0);
		struct notice_point *pt = &x->history[x->nhistory];

		if (!json_is_string(p))
			continue;
		memset(pt, 0, sizeof(*pt));
		snprintf(pt->period, sizeof(pt->period), "%s", json_string_value(p));
		pt->defined = json_is_number(json_array_get(e, 1));
		pt->value = json_number_value(json_array_get(e, 1));
		pt->has_observed = json_is_number(json_array_get(e, 2));
		pt->observed = json_number_value(json_array_get(e, 2));
		pt->has_expected = json_is_number(json_array_get(e, 3));
		pt->expected = json_number_value(json_array_get(e, 3));
		pt->hidden = json_is_true(json_array_get(e, 4)) ||
		    json_integer_value(json_array_get(e, 4)) != 0;
		pt->nodata = json_integer_value(json_array_get(e, 5)) != 0;
		x->nhistory++;
	}
	json_decref(h);
}

/* [["label", number | null], ...] */
static void parse_terms(json_t *a, struct notice_term **out, size_t *n)
{
	size_t k = json_array_size(a);

	if (!k)
		return;
	*out = xcalloc(k, sizeof(**out));
	for (size_t i = 0; i < k; i++) {
		json_t *e = json_array_get(a, i), *l = json_array_get(e, 0), *v = json_array_get(e, 1);

		if (!json_is_string(l))
			continue;
		(*out)[*n] = (struct notice_term){ xstrdup(json_string_value(l)),
		    json_is_number(v), json_number_value(v) };
		(*n)++;
	}
}

static int col_bool(sqlite3_stmt *s, int i)
{
	return sqlite3_column_int(s, i) != 0;
}

/* A nullable REAL column: its value, and in *has whether it has one. */
static double col_num(sqlite3_stmt *s, int i, bool *has)
{
	*has = sqlite3_column_type(s, i) != SQLITE_NULL;
	return sqlite3_column_double(s, i);
}

/* Columns 16 on, when the query has them (store_outbox_notices): the
 * message's role, the other roles, and what the evaluation saw. */
static void notice_detail(sqlite3_stmt *s, struct notice *x)
{
	json_t *terms;

	x->role = db_col_dup(s, 16);
	x->also = db_col_dup(s, 17);
	x->observed = col_num(s, 18, &x->has_observed);
	x->expected = col_num(s, 19, &x->has_expected);
	x->clear = col_num(s, 20, &x->has_clear);
	x->held = col_bool(s, 21);
	x->missing = col_bool(s, 22);
	x->hidden = col_bool(s, 23);
	x->below = col_bool(s, 24);
	x->measure = db_col_dup(s, 25);
	terms = sqlite3_column_type(s, 26) == SQLITE_NULL ? NULL :
	    json_loads((const char *)sqlite3_column_text(s, 26), 0, NULL);
	parse_terms(json_object_get(terms, "components"), &x->components, &x->ncomponents);
	parse_terms(json_object_get(terms, "compare"), &x->compare, &x->ncompare);
	json_decref(terms);
	parse_points(x, (const char *)sqlite3_column_text(s, 27));
}

static void notice_row(sqlite3_stmt *s, void *elem, void *ctx)
{
	const struct store *st = ctx;
	struct notice *x = elem;

	memset(x, 0, sizeof(*x));
	x->kind = db_col_dup(s, 0);
	if (!x->kind)
		x->kind = xstrdup("firing");
	x->rule = db_col_dup(s, 1);
	x->unit = db_col_dup(s, 2);
	x->period = period_dup(s, 3, st->gran);
	x->pindex = db_col_period(s, 3);
	x->severity = db_col_dup(s, 4);
	x->prev_severity = db_col_dup(s, 5);
	x->value = col_num(s, 6, &x->has_value);
	x->threshold = col_num(s, 7, &x->has_threshold);
	x->since = period_dup(s, 8, st->gran);
	x->title = db_col_dup(s, 9);
	x->summary = db_col_dup(s, 10);
	x->guidance = db_col_dup(s, 11);
	x->labels = db_col_dup(s, 12);
	parse_history(x, (const char *)sqlite3_column_text(s, 13));
	x->decimals = sqlite3_column_type(s, 14) == SQLITE_NULL ? 1 : sqlite3_column_int(s, 14);
	x->at = (time_t)sqlite3_column_int64(s, 15);
	int nc = sqlite3_column_count(s);
	if (nc >= 28)
		notice_detail(s, x);
	/* The columns past those, each when the query names it so. */
	for (int i = 16; i < nc; i++) {
		const char *name = sqlite3_column_name(s, i);
		bool null = sqlite3_column_type(s, i) == SQLITE_NULL;

		/* The value is undefined for want of data, not hidden. */
		if (!strcmp(name, "absent"))
			x->absent = col_bool(s, i);
		/* A silence held the event, or the news it brings (the
		 * episode it reports), until this message. */
		else if (!strcmp(name, "released"))
			x->released = col_bool(s, i);
		/* How the alert's last episode was closed, for a firing (the
		 * reader judged it once; a « fausse alerte » then is worth
		 * recalling), or how the episode a change or a resolution
		 * belongs to was. */
		else if (!strcmp(name, "last_outcome") && !null &&
		    outcome_parse((const char *)sqlite3_column_text(s, i),
		    &x->last_outcome) != 0)
			x->last_outcome = OUTCOME_NONE;
		/* The severity its readers were last told, and when the one
		 * they were not told began. */
		else if (!strcmp(name, "told"))
			x->told_severity = db_col_dup(s, i);
		else if (!strcmp(name, "untold"))
			x->untold = period_dup(s, i, st->gran);
		else if (!strcmp(name, "untold_closed"))
			x->untold_closed = col_bool(s, i);
		/* Who took the alert in charge, and when (not closed). */
		else if (!strcmp(name, "taken_by"))
			x->taken_by = db_col_dup(s, i);
		else if (!strcmp(name, "taken_at"))
			x->taken_at = (time_t)sqlite3_column_int64(s, i);
		/* A firing: the period its readers were told it resolved,
		 * a resolution that no longer holds; and whether values were
		 * replaced by an import since. */
		else if (!strcmp(name, "reopened"))
			x->reopened = period_dup(s, i, st->gran);
		else if (!strcmp(name, "corrected"))
			x->corrected = col_bool(s, i);
		/* An alert already active sent to this address for the
		 * first time, and a message to an address that never had
		 * one. */
		else if (!strcmp(name, "catchup"))
			x->catchup = col_bool(s, i);
		else if (!strcmp(name, "first_to"))
			x->first_to = col_bool(s, i);
		else if (!strcmp(name, "restate"))
			x->restate = col_bool(s, i);
		/* The inbox file of a system event. */
		else if (!strcmp(name, "file"))
			x->file = db_col_dup(s, i);
		/* The title of the alert whose inhibition held it (inhibited_by),
		 * shown as it stands now that that alert is over. */
		else if (!strcmp(name, "held_by"))
			x->held_by = db_col_dup(s, i);
	}
}

int db_read_notices(struct store *st, const char *sql, int64_t arg,
    struct notice **v, size_t *n)
{
	sqlite3_stmt *q = db_prepare(st, sql);

	*v = NULL;
	*n = 0;
	if (q && sqlite3_bind_parameter_count(q) > 0)
		sqlite3_bind_int64(q, 1, arg);
	if (!q || db_collect(q, sizeof(**v), notice_row, st, (void **)v, n) != 0) {
		notices_free(*v, *n);
		*v = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

/* The guidance for the message's role (the rule's text for it, else the
 * text for every role), and the other roles the event went to. An item
 * of the catch-up (i.catchup; daemon/catchup.c) is the alert as it stands,
 * a firing since its episode began, shown as the digest's context notices
 * are (store_context_notices): the alert's period, severity, value and
 * threshold, held when its value no longer reaches the threshold, and what
 * only the event knows (summary, last periods, observed and expected,
 * terms) only while the event's period and value are the alert's (NOW),
 * else delivery reads them from today's data (restate: recheck_restate);
 * as its follow-up, how its episode was closed, if it was; none of the
 * event's change. */
#define CU "i.catchup"
/* alert k's taking in charge is of e's episode (no firing after e began
 * another) and it is not closed */
#define TAKEN "k.closed_by IS NULL AND NOT EXISTS (SELECT 1 FROM event f" \
	" WHERE f.alert = e.alert AND f.id > e.id AND f.kind = 'firing')"
#define NOW "(e.period = a.period AND e.value IS a.value)"
#define AS_NOW(col) " CASE WHEN " CU " AND NOT " NOW " THEN NULL ELSE " col " END"
#define OR_ALERT(ecol, acol) " CASE WHEN " CU " THEN " acol " ELSE " ecol " END"
static const char outbox_notices_sql[] = "SELECT" OR_ALERT("e.kind", "'firing'") ","
    " e.rule," OR_ALERT("e.unit", "a.unit") "," OR_ALERT("e.period", "a.period") ","
    OR_ALERT("e.severity", "a.severity") "," OR_ALERT("e.prev_severity", "NULL") ","
    OR_ALERT("e.value", "a.value") "," OR_ALERT("e.threshold", "a.threshold") ","
    OR_ALERT("e.since", "a.since") ", e.title," AS_NOW("e.summary") ","
    " COALESCE(json_extract(e.guidance_roles, '$.\"' || m.role || '\"'), e.guidance),"
    " e.labels," AS_NOW("e.history") ", e.decimals, e.at, m.role,"
    " (SELECT group_concat(role, ',') FROM (SELECT DISTINCT m2.role AS role"
    "  FROM message_item i2 JOIN message m2 ON m2.id = i2.message"
    "  WHERE i2.event = e.id AND m2.role <> m.role ORDER BY m2.role)),"
    AS_NOW("e.observed") "," AS_NOW("e.expected") ", e.clear,"
    " CASE WHEN " CU " AND NOT " NOW " THEN a.value IS NOT NULL AND a.threshold IS NOT NULL"
    "  AND CASE WHEN e.below THEN a.value > a.threshold ELSE a.value < a.threshold END"
    "  ELSE e.held END,"
    OR_ALERT("e.missing", "0") "," OR_ALERT("e.hidden", "a.value IS NULL AND NOT a.absent") ","
    " e.below, e.measure," AS_NOW("e.terms") "," AS_NOW("e.points") ","
    " CASE WHEN " CU " THEN a.outcome"
    /* the latest closing's outcome as corrected; none once reopened */
    " WHEN e.kind = 'firing' THEN (SELECT c.outcome FROM event c"
    "  WHERE c.alert = e.alert AND c.id < e.id"
    "  AND c.kind IN ('closed', 'corrected', 'reopened')"
    "  ORDER BY c.id DESC LIMIT 1)"
    " WHEN e.kind IN ('resolved', 'escalated', 'deescalated') THEN (SELECT c.outcome FROM event c"
    "  WHERE c.alert = e.alert AND c.id < e.id"
    "  AND c.kind IN ('closed', 'corrected', 'reopened')"
    "  AND c.id > COALESCE((SELECT max(f.id) FROM event f WHERE f.alert = e.alert"
    "  AND f.id < e.id AND f.kind = 'firing'), 0)"
    "  ORDER BY c.id DESC LIMIT 1) END AS last_outcome,"
    /* a change: the severity of the episode's latest event that went
     * out, and when the one before this change began (read when the
     * two differ: a silence held that) */
    " CASE WHEN NOT " CU " AND e.kind IN ('escalated', 'deescalated') THEN (SELECT t.severity"
    "  FROM event t WHERE t.alert = e.alert AND t.id < e.id"
    "  AND t.id >= (SELECT max(f.id) FROM event f WHERE f.alert = e.alert"
    "  AND f.id < e.id AND f.kind = 'firing')"
    "  AND t.kind IN ('firing', 'escalated', 'deescalated', 'reminder')"
    "  AND (t.silenced = 0 OR t.released_at IS NOT NULL)"
    "  AND NOT (m.channel = 'email' AND " DB_UNMAILED("t") ")"
    "  ORDER BY t.id DESC LIMIT 1) END AS told,"
    " CASE WHEN NOT " CU " AND e.kind IN ('escalated', 'deescalated') THEN (SELECT h.period"
    "  FROM event h WHERE h.alert = e.alert AND h.id < e.id"
    "  AND h.kind IN ('firing', 'escalated', 'deescalated')"
    "  ORDER BY h.id DESC LIMIT 1) END AS untold,"
    /* and whether that one went untold for its alert was closed, not
     * for a silence */
    " CASE WHEN NOT " CU " AND e.kind IN ('escalated', 'deescalated') THEN (SELECT"
    "  h.silenced = 0 AND m.channel = 'email' AND " DB_UNMAILED("h")
    "  FROM event h WHERE h.alert = e.alert AND h.id < e.id"
    "  AND h.kind IN ('firing', 'escalated', 'deescalated')"
    "  ORDER BY h.id DESC LIMIT 1) END AS untold_closed,"
    /* who follows it: the alert's taking in charge, of this episode and
     * not closed (never its note) */
    " (SELECT k.acked_by FROM alert k WHERE k.id = e.alert AND " TAKEN ") AS taken_by,"
    " (SELECT k.acked_at FROM alert k WHERE k.id = e.alert AND " TAKEN ") AS taken_at,"
    /* a firing: the latest resolution of the alert, when it went out
     * and the episode now reaches back to its period */
    " CASE WHEN NOT " CU " AND e.kind = 'firing' THEN (SELECT CASE WHEN r.period >= e.since"
    "  AND (r.silenced = 0 OR r.released_at IS NOT NULL) THEN r.period END"
    "  FROM event r WHERE r.alert = e.alert AND r.id < e.id AND r.kind = 'resolved'"
    "  ORDER BY r.id DESC LIMIT 1) END AS reopened,"
    " NOT " CU " AND e.kind = 'firing' AND EXISTS (SELECT 1 FROM import_log l"
    "  WHERE l.replaced > 0"
    "  AND l.at >= (SELECT max(r.at) FROM event r WHERE r.alert = e.alert"
    "  AND r.id < e.id AND r.kind = 'resolved') AND l.at <= e.at) AS corrected,"
    /* held: the event itself; or a firing that stands for a change of an
     * episode whose every event a silence held (evaluate.c): the latest
     * event before it was held, and no resolution */
    " NOT " CU " AND (e.released_at IS NOT NULL OR (e.kind = 'firing' AND ifnull((SELECT"
    "  p.kind <> 'resolved' AND p.silenced = 1 AND p.released_at IS NULL"
    "  FROM event p WHERE p.alert = e.alert AND p.id < e.id AND p.kind IN ('firing',"
    "  'escalated', 'deescalated', 'reminder', 'resolved') ORDER BY p.id DESC LIMIT 1), 0)))"
    "  AS released," OR_ALERT("e.absent", "a.absent") " AS absent, " CU " AS catchup,"
    " " CU " AND NOT " NOW " AS restate,"
    /* no digest went to this address before this one */
    " m.channel = 'email' AND NOT EXISTS (SELECT 1 FROM message p WHERE p.target = m.target"
    "  AND p.channel = m.channel AND p.id < m.id AND (p.status = 'sent' OR p.parts_sent > 0))"
    "  AS first_to, e.file AS file,"
    /* held by an inhibition, and shown once its inhibitor's alert ended:
     * released from a hold, or told as it stands (catch-up) */
    " CASE WHEN e.inhibited_by IS NOT NULL AND (e.released_at IS NOT NULL OR " CU ")"
    "  AND NOT EXISTS (SELECT 1 FROM alert x WHERE x.rule = e.inhibited_by"
    "  AND x.unit = e.unit AND x.active = 1) THEN (SELECT t.title FROM alert x"
    "  JOIN event t ON t.alert = x.id WHERE x.rule = e.inhibited_by AND x.unit = e.unit"
    "  AND t.title IS NOT NULL ORDER BY t.id DESC LIMIT 1) END AS held_by"
    " FROM message m JOIN message_item i ON i.message = m.id"
    " JOIN event e ON e.id = i.event LEFT JOIN alert a ON " CU " AND a.id = e.alert"
    " WHERE m.id = ?"
    " ORDER BY e.id";
#undef CU
#undef TAKEN
#undef NOW
#undef AS_NOW
#undef OR_ALERT

int db_each_notice(struct store *st, const char *sql, int64_t arg,
    void (*fn)(const struct notice *x, void *arg), void *fn_arg)
{
	sqlite3_stmt *q = db_prepare(st, sql);
	struct notice x;
	int rc;

	if (!q)
		return -1;
	if (sqlite3_bind_parameter_count(q) > 0)
		sqlite3_bind_int64(q, 1, arg);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		notice_row(q, &x, st);
		fn(&x, fn_arg);
		notice_clear(&x);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : -1;
}

int store_outbox_notices(struct store *st, int64_t msg, struct notice **v,
    size_t *n)
{
	return db_read_notices(st, outbox_notices_sql, msg, v, n);
}

int store_outbox_each(struct store *st, int64_t msg,
    void (*fn)(const struct notice *x, void *arg), void *arg)
{
	return db_each_notice(st, outbox_notices_sql, msg, fn, arg);
}

/* The active alerts that filter (SQL over the alert a, ?2 the rule, ?3 the
 * unit; its latest notifying event e) keeps, shown as they are now. */
static int alert_notices(struct store *st, int64_t msg, const char *filter,
    const char *rule, const char *unit, struct notice **v, size_t *n)
{
	/* The columns of store_outbox_notices, from the alert's latest
	 * notifying event (store_active_each's choice); none for "also":
	 * the event is not this message's. The alert is shown as it is now
	 * (SPEC 16): its period, severity, value and threshold are the alert's,
	 * held when its value no longer reaches its threshold; what only the
	 * event knows (summary, last periods, observed and expected, terms)
	 * goes with it only when the event is of the alert's current period,
	 * not as figures of an older one: delivery then reads those of the
	 * current period from today's data (restate). */
	char *sql = xasprintf("SELECT 'firing', a.rule, a.unit, a.period,"
	    " a.severity, NULL, a.value, a.threshold, a.since, e.title,"
	    " CASE WHEN now THEN e.summary END,"
	    " COALESCE(json_extract(e.guidance_roles, '$.\"' || m.role || '\"'), e.guidance),"
	    " e.labels, CASE WHEN now THEN e.history END, e.decimals, e.at, m.role, NULL,"
	    " CASE WHEN now THEN e.observed END, CASE WHEN now THEN e.expected END, e.clear,"
	    " CASE WHEN now THEN e.held ELSE a.value IS NOT NULL AND a.threshold IS NOT NULL"
	    "  AND CASE WHEN e.below THEN a.value > a.threshold ELSE a.value < a.threshold END END,"
	    " 0, a.value IS NULL AND NOT a.absent, e.below,"
	    " e.measure, CASE WHEN now THEN e.terms END, CASE WHEN now THEN e.points END,"
	    " a.absent AS absent, NOT now AS restate"
	    " FROM message m, (SELECT a.*, e.id AS eid, e.period = a.period AS now FROM alert a"
	    "  JOIN event e ON e.id = (SELECT max(id) FROM event"
	    "  WHERE alert = a.id AND kind IN ('firing', 'escalated', 'deescalated', 'reminder'))"
	    "  WHERE a.active = 1 AND a.rule = ?2 AND %s) a"
	    " JOIN event e ON e.id = a.eid"
	    " WHERE m.id = ?1"
	    " ORDER BY length(a.unit) - length(replace(a.unit, '/', '')) DESC, a.unit", filter);
	sqlite3_stmt *q = db_prepare(st, sql);

	free(sql);
	*v = NULL;
	*n = 0;
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, msg);
	db_bind_text(q, 2, rule);
	db_bind_text(q, 3, unit);
	if (db_collect(q, sizeof(**v), notice_row, st, (void **)v, n) != 0) {
		notices_free(*v, *n);
		*v = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int store_context_notices(struct store *st, int64_t msg, const char *rule,
    const char *unit, struct notice **v, size_t *n)
{
	/* The descendants of unit are the units from "unit/" to "unit0"
	 * ('0' follows '/'): a range of the alert's (rule, unit) index, not
	 * a scan of the rule's alerts. Not one a silence holds. */
	int rc = alert_notices(st, msg, "a.unit > ?3 || '/' AND a.unit < ?3 || '0'"
	    " AND NOT (e.silenced = 1 AND e.released_at IS NULL)", rule, unit, v, n);

	for (size_t i = 0; rc == 0 && i < *n; i++)
		(*v)[i].context = true;
	return rc;
}

int store_covered_notices(struct store *st, int64_t msg, const char *rule,
    const char *unit, const char *by, struct notice **v, size_t *n)
{
	/* Held by an inhibition or not (it was notified before its
	 * inhibitor fired), but not by a silence. */
	int rc = alert_notices(st, msg, "a.unit = ?3"
	    " AND NOT (e.silenced = 1 AND e.released_at IS NULL AND e.inhibited_by IS NULL)",
	    rule, unit, v, n);

	for (size_t i = 0; rc == 0 && i < *n; i++)
		(*v)[i].covered_by = xstrdup(by);
	return rc;
}

int store_unowned_each(struct store *st, int64_t msg, int32_t periods,
    void (*fn)(const struct notice *x, void *arg), void *arg)
{
	/* Open as the console's follow-up filter says it: neither taken in
	 * charge nor closed, or closed and worse since (an escalation after
	 * its latest closing: worse_since_closed). No figure: the list names
	 * alerts, and a value read now would have to be checked against
	 * today's data (SPEC 3). Told to msg's address first at a cycle of
	 * a period more than `periods` before the alert's: an alert it
	 * heard of in its first digest (a history imported at once, a route
	 * newly given) has not waited on it for months. */
	char *sql = xasprintf("SELECT 'firing', a.rule, a.unit, a.period,"
	    " a.severity, NULL, NULL, NULL, a.since, e.title, NULL, NULL, NULL, NULL,"
	    " NULL, e.at"
	    " FROM alert a JOIN event e ON e.id = (SELECT max(id) FROM event"
	    "  WHERE alert = a.id AND kind IN ('firing', 'escalated', 'deescalated', 'reminder'))"
	    " WHERE a.active = 1 AND a.retired = 0 AND ((a.acked_by IS NULL"
	    " AND a.closed_by IS NULL) OR (a.closed_by IS NOT NULL AND EXISTS"
	    " (SELECT 1 FROM event w WHERE w.alert = a.id AND w.kind = 'escalated'"
	    "  AND w.id > (SELECT max(c.id) FROM event c WHERE c.alert = a.id"
	    "  AND c.kind = 'closed')))) AND a.period - a.since > %d"
	    " AND NOT (e.silenced = 1 AND e.released_at IS NULL)"
	    " AND a.period - (SELECT min(c.period) FROM message me, event t"
	    "  JOIN message_item i ON i.event = t.id JOIN message m ON m.id = i.message"
	    "  AND m.status = 'sent' AND m.channel = me.channel"
	    "  AND m.target = me.target COLLATE NOCASE JOIN cycle c ON c.id = m.cycle"
	    "  WHERE me.id = ?1 AND t.alert = a.id AND t.id >= (SELECT max(f.id)"
	    "  FROM event f WHERE f.alert = a.id AND f.kind = 'firing')) > %d"
	    " ORDER BY a.since, a.unit, a.rule", (int)periods, (int)periods);
	int rc = db_each_notice(st, sql, msg, fn, arg);

	free(sql);
	return rc;
}

int store_unowned_told(struct store *st, int64_t msg)
{
	sqlite3_stmt *q = db_prepare(st, "SELECT 1 FROM message m"
	    " JOIN cycle mc ON mc.id = m.cycle JOIN message p ON p.target = m.target"
	    "  AND p.channel = m.channel AND p.id < m.id AND p.status = 'sent'"
	    " JOIN cycle pc ON pc.id = p.cycle AND pc.period = mc.period"
	    " WHERE m.id = ?1 AND m.channel = 'email' AND EXISTS (SELECT 1 FROM message_item i"
	    "  JOIN event e ON e.id = i.event WHERE i.message = p.id AND e.kind <> 'report')"
	    " LIMIT 1");
	int rc;

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, msg);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}
