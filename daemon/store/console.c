/* The web console's reads (include/vigie/store_console.h). The active list
 * is read whole, once per generation, and so are the resolved alerts
 * without an outcome (at most as many as vigie-web keeps): vigie-web
 * filters them by scope and role in memory, which costs less than a query
 * per page at 10,000 teams.
 * A unit's alerts and events go through the alert_unit index. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "store_impl.h"
#include "vigie/store_console.h"
#include "vigie/xalloc.h"

static enum severity sev_of(const char *s)
{
	return !strcmp(s, "critical") ? SEV_CRITICAL : !strcmp(s, "warning") ?
	    SEV_WARNING : SEV_NONE;
}

#define ALERT_COLUMNS "id, rule, unit, active, retired, severity, value," \
	" threshold, period, since, acked_by, acked_at, closed_by, closed_at, outcome," \
	" absent, acked_role, CASE WHEN closed_by IS NOT NULL THEN (SELECT" \
	" max(w.period) FROM event w WHERE w.alert = alert.id AND w.kind = 'escalated'" \
	" AND w.id > (SELECT max(c.id) FROM event c WHERE c.alert = alert.id" \
	" AND c.kind = 'closed')) END"
#define ALERT_NCOLUMNS 18	/* a query's columns after ALERT_COLUMNS: from this one */

static void alert_row(sqlite3_stmt *q, void *elem, void *ctx)
{
	*(struct console_alert *)elem = (struct console_alert){
		.id = sqlite3_column_int64(q, 0),
		.rule = xstrdup(db_col_text(q, 1)),
		.unit = xstrdup(db_col_text(q, 2)),
		.active = sqlite3_column_int(q, 3) != 0,
		.retired = sqlite3_column_int(q, 4) != 0,
		.severity = sev_of(db_col_text(q, 5)),
		.value = db_col_real(q, 6),
		.threshold = db_col_real(q, 7),
		.period = db_col_period(q, 8),
		.since = db_col_period(q, 9),
		.taken_by = db_col_dup(q, 10),
		.taken_at = sqlite3_column_int64(q, 11),
		.closed_by = db_col_dup(q, 12),
		.closed_at = sqlite3_column_int64(q, 13),
		.outcome = db_col_outcome(q, 14),
		.absent = sqlite3_column_int(q, 15) != 0,
		.taken_role = db_col_dup(q, 16),
		.worse = db_col_period(q, 17),
	};
}

void console_alert_clear(struct console_alert *a)
{
	free(a->rule);
	free(a->unit);
	free(a->taken_by);
	free(a->taken_role);
	free(a->closed_by);
	memset(a, 0, sizeof(*a));
}

void console_alerts_free(struct console_alert *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		console_alert_clear(&v[i]);
	free(v);
}

int store_console_alerts(struct store *st, const char *unit,
    struct console_alert **v, size_t *n)
{
	sqlite3_stmt *q = db_prepare(st, unit ?
	    "SELECT " ALERT_COLUMNS " FROM alert WHERE unit = ? ORDER BY rule" :
	    "SELECT " ALERT_COLUMNS " FROM alert WHERE active ORDER BY unit, rule");

	*v = NULL;
	*n = 0;
	if (q && unit)
		db_bind_text(q, 1, unit);
	if (!q || db_collect(q, sizeof(**v), alert_row, NULL, (void **)v, n) != 0) {
		console_alerts_free(*v, *n);
		*v = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int store_console_resolved(struct store *st, struct console_alert **v, size_t *n)
{
	/* The unit table holds the units that values name: an alert's unit
	 * missing from it is a parent or a unit whose values went. */
	sqlite3_stmt *q = db_prepare(st, "SELECT " ALERT_COLUMNS " FROM alert"
	    " WHERE NOT active AND unit NOT IN (SELECT path FROM unit)"
	    " ORDER BY unit, rule");

	*v = NULL;
	*n = 0;
	if (!q || db_collect(q, sizeof(**v), alert_row, NULL, (void **)v, n) != 0) {
		console_alerts_free(*v, *n);
		*v = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

/* An alert row, then its episode's highest severity (column 17). */
static void unrecorded_row(sqlite3_stmt *q, void *elem, void *ctx)
{
	struct console_alert *a = elem;
	int sev = sqlite3_column_int(q, ALERT_NCOLUMNS);

	alert_row(q, elem, ctx);
	a->severity = sev == 2 ? SEV_CRITICAL : sev == 1 ? SEV_WARNING : SEV_NONE;
}

static int cmp_unrecorded(const void *x, const void *y)
{
	const struct console_alert *a = x, *b = y;
	int c = strcmp(a->unit, b->unit);

	if (c)
		return c;
	if (a->period != b->period)
		return a->period > b->period ? -1 : 1;
	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	return strcmp(a->rule, b->rule);
}

int store_console_unrecorded(struct store *st, size_t max,
    struct console_alert **v, size_t *n, bool *more)
{
	/* The episode's events: its firing and escalations, from its first
	 * period on (earlier episodes' events are older). */
	sqlite3_stmt *q = db_prepare(st, "SELECT " ALERT_COLUMNS ","
	    " (SELECT max(CASE e.severity WHEN 'critical' THEN 2 WHEN 'warning' THEN 1"
	    "  ELSE 0 END) FROM event e WHERE e.alert = alert.id"
	    "  AND e.kind IN ('firing', 'escalated')"
	    "  AND e.period >= ifnull(alert.since, e.period))"
	    " FROM alert WHERE NOT active AND NOT retired AND closed_by IS NULL"
	    " ORDER BY period DESC, id DESC LIMIT ?");

	*v = NULL;
	*n = 0;
	*more = false;
	if (q)
		sqlite3_bind_int64(q, 1, (sqlite3_int64)max + 1);
	if (!q || db_collect(q, sizeof(**v), unrecorded_row, NULL, (void **)v, n) != 0) {
		console_alerts_free(*v, *n);
		*v = NULL;
		*n = 0;
		return -1;
	}
	if (*n > max) {
		*more = true;
		while (*n > max)
			console_alert_clear(&(*v)[--*n]);
	}
	if (*n > 1)
		qsort(*v, *n, sizeof(**v), cmp_unrecorded);
	return 0;
}

int store_console_resolved_followed(struct store *st, int64_t event)
{
	sqlite3_stmt *q = db_prepare(st, "SELECT EXISTS (SELECT 1 FROM event e"
	    " JOIN alert a ON a.id = e.alert WHERE e.id > ? AND NOT a.active)");
	int rc, yes = 0;

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, event);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		yes = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? yes : -1;
}

int store_console_alert(struct store *st, const char *rule, const char *unit,
    struct console_alert *a)
{
	sqlite3_stmt *q = db_prepare(st, "SELECT " ALERT_COLUMNS " FROM alert"
	    " WHERE rule = ? AND unit = ?");
	int rc;

	memset(a, 0, sizeof(*a));
	if (!q)
		return -1;
	db_bind_text(q, 1, rule);
	db_bind_text(q, 2, unit);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		alert_row(q, a, NULL);
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

static void event_row(sqlite3_stmt *q, void *elem, void *ctx)
{
	*(struct console_event *)elem = (struct console_event){
		.at = sqlite3_column_int64(q, 0),
		.rule = xstrdup(db_col_text(q, 1)),
		.kind = xstrdup(db_col_text(q, 2)),
		.period = db_col_period(q, 3),
		.severity = sev_of(db_col_text(q, 4)),
		.previous = sev_of(db_col_text(q, 5)),
		.value = db_col_real(q, 6),
		.threshold = db_col_real(q, 7),
		.author = db_col_dup(q, 8),
		.outcome = db_col_outcome(q, 9),
		.summary = db_col_dup(q, 10),
		.decimals = sqlite3_column_type(q, 11) == SQLITE_NULL ? -1 :
		    sqlite3_column_int(q, 11),
		.silenced = sqlite3_column_int(q, 12) != 0,
		.released = sqlite3_column_type(q, 13) != SQLITE_NULL,
		.observed = db_col_real(q, 14),
		.expected = db_col_real(q, 15),
		.since = db_col_period(q, 16),
		.reopened = sqlite3_column_int(q, 17) != 0,
		.inhibited = sqlite3_column_int(q, 18) != 0,
	};
}

void console_events_free(struct console_event *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].rule);
		free(v[i].kind);
		free(v[i].author);
		free(v[i].summary);
	}
	free(v);
}

int store_console_events(struct store *st, int64_t alert, const char *unit,
    const char *rules, size_t limit, struct console_event **v, size_t *n)
{
#define EVENT_COLUMNS "e.at, a.rule, e.kind, e.period, e.severity," \
	" e.prev_severity, e.value, e.threshold, e.author, e.outcome, e.summary," \
	" e.decimals, e.silenced, e.released_at, e.observed, e.expected, e.since," \
	/* a firing whose readers were told of a resolution at a period its \
	 * episode now covers (as digests say, notices.c) */ \
	" e.kind = 'firing' AND ifnull((SELECT r.period >= e.since" \
	"  AND (r.silenced = 0 OR r.released_at IS NOT NULL) FROM event r" \
	"  WHERE r.alert = e.alert AND r.id < e.id AND r.kind = 'resolved'" \
	"  ORDER BY r.id DESC LIMIT 1), 0), " DB_HELD_BY("e") " IS NOT NULL"
	sqlite3_stmt *q = db_prepare(st, alert > 0 ?
	    "SELECT " EVENT_COLUMNS " FROM event e JOIN alert a ON a.id = e.alert"
	    " WHERE e.alert = ?1 ORDER BY e.at DESC, e.id DESC LIMIT ?2" :
	    "SELECT " EVENT_COLUMNS " FROM alert a JOIN event e ON e.alert = a.id"
	    " WHERE a.unit = ?1 AND (?3 IS NULL OR instr(?3, ',' || a.rule || ',') > 0)"
	    " ORDER BY e.at DESC, e.id DESC LIMIT ?2");
#undef EVENT_COLUMNS

	*v = NULL;
	*n = 0;
	if (!q)
		return -1;
	if (alert > 0)
		sqlite3_bind_int64(q, 1, alert);
	else
		db_bind_text(q, 1, unit);
	sqlite3_bind_int64(q, 2, (sqlite3_int64)limit);
	if (alert <= 0)
		db_bind_text(q, 3, rules);
	if (db_collect(q, sizeof(**v), event_row, NULL, (void **)v, n) != 0) {
		console_events_free(*v, *n);
		*v = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void console_note_clear(struct note *note)
{
	free(note->role);
	free(note->author);
	free(note->unit);
	free(note->body);
	memset(note, 0, sizeof(*note));
}

int store_console_note(struct store *st, int64_t id, const char *role,
    struct note *note, char **rule)
{
	sqlite3_stmt *q = db_prepare(st, "SELECT n.id, n.at, n.alert, n.role, n.author,"
	    " coalesce(n.unit, a.unit), n.body, a.rule, n.edited_at FROM note n LEFT JOIN alert a"
	    " ON a.id = n.alert WHERE n.id = ? AND n.role = ?");
	int rc;

	memset(note, 0, sizeof(*note));
	*rule = NULL;
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	db_bind_text(q, 2, role);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*note = (struct note){
			.id = sqlite3_column_int64(q, 0),
			.at = sqlite3_column_int64(q, 1),
			.alert = sqlite3_column_int64(q, 2),
			.role = db_col_dup(q, 3),
			.author = db_col_dup(q, 4),
			.unit = db_col_dup(q, 5),
			.body = db_col_dup(q, 6),
			.edited = sqlite3_column_int64(q, 8),
		};
	if (rc == SQLITE_ROW)
		*rule = db_col_dup(q, 7);
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

int store_console_generation(struct store *st, struct console_generation *g)
{
	int found;

	g->cycle = g->event = 0;
	if (db_query_int(st->db, "SELECT max(id) FROM cycle", &g->cycle, &found) != 0 ||
	    db_query_int(st->db, "SELECT max(id) FROM event", &g->event, &found) != 0)
		return -1;
	return 0;
}
