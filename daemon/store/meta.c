/* What the database knows about its data as a whole
 * (include/vigie/store.h): the data generation, the latest period, the last
 * import, whether a file's content was imported before, and the coverage
 * that `vigie status` and the console's import page show. */
#include <stdlib.h>
#include <string.h>
#include "store_impl.h"
#include "vigie/xalloc.h"

int64_t store_data_generation(struct store *st)
{
	int64_t v = 0;
	int found;

	if (db_query_int(st->db, "SELECT max(id) FROM import_log", &v, &found) != 0 || !found)
		return 0;
	return v;
}

int32_t store_latest_period(struct store *st)
{
	char *v = NULL;
	int64_t p = -1;
	int found;

	/* meta('pmax') is kept by imports and by store_delete_values. */
	if (db_meta_get(st->db, "pmax", &v) == 0) {
		p = atoi(v);
		free(v);
		return (int32_t)p;
	}
	if (db_query_int(st->db, "SELECT max(p0 + length(vals) / 8 - 1) FROM series",
	    &p, &found) != 0 || !found)
		return -1;
	return (int32_t)p;
}

int64_t store_last_import_time(struct store *st)
{
	int64_t v = 0;
	int found;

	if (db_query_int(st->db, "SELECT max(at) FROM import_log WHERE "
	    DB_IMPORT_BROUGHT_VALUES, &v, &found) != 0 || !found)
		return 0;
	return v;
}


int store_import_seen(struct store *st, const char *source,
    const char *sha256_hex)
{
	/* The latest row of the import log, not the latest import under that
	 * name: a file sent again after another version of it, after `vigie
	 * delete` (logged there too) or after any other import that may have
	 * changed its values is a correction (SPEC 4). */
	sqlite3_stmt *q = db_prepare(st, "SELECT 1 FROM import_log WHERE id ="
	    " (SELECT max(id) FROM import_log) AND source = ?2 AND sha256 = ?1");
	int rc;

	if (!q)
		return -1;
	db_bind_text(q, 1, sha256_hex);
	db_bind_text(q, 2, source);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* Records w as the warnings of row id (w NULL: leaves them; empty: none),
 * and its mark untold: "" (to tell), NULL (told), or left as it is
 * (keep). */
static int set_warnings(struct store *st, int64_t id, const struct diags *w,
    const char *untold, bool keep)
{
	char *text = NULL;
	size_t len = 0;
	sqlite3_stmt *q;
	int rc;

	if (w && w->n) {
		size_t n = w->n < STORE_WARNINGS_KEPT ? w->n : STORE_WARNINGS_KEPT;
		FILE *f = open_memstream(&text, &len);

		if (!f)
			return -1;
		for (size_t i = 0; i < n; i++)
			fprintf(f, "%d:%d:%s\n", w->v[i].line, w->v[i].col, w->v[i].msg);
		fclose(f);
	}
	q = db_prepare(st, "UPDATE import_log SET"
	    " warnings = CASE WHEN ?4 THEN ?1 ELSE warnings END,"
	    " warning_text = CASE WHEN ?4 THEN ?2 ELSE warning_text END,"
	    " untold = CASE WHEN ?5 THEN untold ELSE ?6 END WHERE id = ?3");
	if (!q) {
		free(text);
		return -1;
	}
	sqlite3_bind_int64(q, 1, w ? (int64_t)(w->n + w->more) : 0);
	if (text)
		sqlite3_bind_text(q, 2, text, (int)len, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, 2);
	sqlite3_bind_int64(q, 3, id);
	sqlite3_bind_int(q, 4, w != NULL);
	sqlite3_bind_int(q, 5, keep);
	db_bind_text(q, 6, untold);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	free(text);
	return rc == SQLITE_DONE ? 0 : -1;
}

int store_import_warned(struct store *st, int64_t id, const struct diags *w)
{
	if (!w->n && !w->more)
		return 0;
	return set_warnings(st, id, w, NULL, true);
}

int store_import_untold(struct store *st, int64_t id, const struct diags *w)
{
	return set_warnings(st, id, w, "", false);
}

int store_import_told(struct store *st, int64_t id, const struct diags *w)
{
	return set_warnings(st, id, w, NULL, false);
}

int store_import_moved(struct store *st, const char *source, const char *final)
{
	sqlite3_stmt *q = db_prepare(st, "UPDATE import_log SET untold = ?2"
	    " WHERE id = (SELECT max(id) FROM import_log WHERE source = ?1)"
	    " AND untold = ''");
	int rc;

	if (!q)
		return -1;
	db_bind_text(q, 1, source);
	db_bind_text(q, 2, final);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* warning_text's lines back into diags (a line cut short: its message is
 * what follows). */
static void read_warnings(struct diags *d, const char *text)
{
	while (text && *text) {
		size_t len = strcspn(text, "\n");
		char *end;
		long line = strtol(text, &end, 10), col = 0;

		if (*end == ':')
			col = strtol(end + 1, &end, 10);
		if (*end == ':')
			end++;
		diags_add(d, NULL, (int)line, (int)col, "%.*s",
		    (int)(len - (size_t)(end - text)), end);
		text += len + (text[len] == '\n');
	}
}

#define IMPORT_COLS "at, source, sha256, rows, vals, added, replaced," \
	" unchanged, actor, via, warnings, warning_text, id, untold"

static void import_row(sqlite3_stmt *q, void *elem, void *ctx)
{
	struct store_import_row *x = elem;

	(void)ctx;
	*x = (struct store_import_row){ sqlite3_column_int64(q, 12),
		sqlite3_column_int64(q, 0), xstrdup(db_col_text(q, 1)),
		db_col_dup(q, 8), db_col_dup(q, 9),
		!strcmp(db_col_text(q, 2), "-"), !strcmp(db_col_text(q, 2), "="),
		sqlite3_column_int64(q, 3),
		sqlite3_column_int64(q, 4), sqlite3_column_int64(q, 5),
		sqlite3_column_int64(q, 6), sqlite3_column_int64(q, 7),
		sqlite3_column_int64(q, 10), { .kind = "warning" },
		db_col_dup(q, 13) };
	read_warnings(&x->warnings, (const char *)sqlite3_column_text(q, 11));
	if ((size_t)x->nwarnings > x->warnings.n)
		x->warnings.more = (size_t)x->nwarnings - x->warnings.n;
}

/* The rows of q (IMPORT_COLS): 0, or -1 and none. */
static int import_rows_collect(sqlite3_stmt *q, struct store_import_row **v,
    size_t *n)
{
	if (db_collect(q, sizeof(**v), import_row, NULL, (void **)v, n) != 0) {
		store_import_rows_free(*v, *n);
		*v = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int store_import_rows(struct store *st, size_t max, struct store_import_row **v,
    size_t *n)
{
	sqlite3_stmt *q = db_prepare(st, "SELECT " IMPORT_COLS " FROM import_log"
	    " ORDER BY id DESC LIMIT ?");

	*v = NULL;
	*n = 0;
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, (int64_t)max);
	return import_rows_collect(q, v, n);
}

int store_import_untold_rows(struct store *st, struct store_import_row **v,
    size_t *n)
{
	sqlite3_stmt *q = db_prepare(st, "SELECT " IMPORT_COLS " FROM import_log"
	    " WHERE untold IS NOT NULL ORDER BY id");

	*v = NULL;
	*n = 0;
	if (!q)
		return -1;
	return import_rows_collect(q, v, n);
}

void store_import_rows_free(struct store_import_row *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].source);
		free(v[i].actor);
		free(v[i].via);
		diags_free(&v[i].warnings);
		free(v[i].untold);
	}
	free(v);
}

static void lagging_row(sqlite3_stmt *q, void *elem, void *ctx)
{
	(void)ctx;
	*(struct store_lagging *)elem = (struct store_lagging){
		xstrdup(db_col_text(q, 0)), sqlite3_column_int(q, 1) };
}

/* Every unit with its latest period, ancestors included (SPEC 2: they exist
 * through their descendants, and the daemon's series holds them): a unit's
 * own latest period is the end of its longest series (trimmed), and by
 * roll-up an ancestor has a value wherever one of its descendants has, so
 * its latest period is the latest of its subtree. The parent of a path is
 * the path cut at its last '/': rtrim drops the last segment (made of
 * characters other than '/'), then the '/'. */
#define UNIT_LATEST \
	"WITH RECURSIVE own(path, last) AS (SELECT u.path," \
	" max(s.p0 + length(s.vals) / 8 - 1) FROM series s" \
	" JOIN unit u ON u.id = s.unit GROUP BY s.unit)," \
	" up(path, last) AS (SELECT path, last FROM own UNION" \
	" SELECT rtrim(rtrim(path, replace(path, '/', '')), '/'), last FROM up" \
	" WHERE instr(path, '/') > 0)" \
	" SELECT path, max(last) AS last FROM up GROUP BY path"

struct gap_row {
	char *indicator, *unit;
	int32_t last;
};

static void gap_row(sqlite3_stmt *q, void *elem, void *ctx)
{
	(void)ctx;
	*(struct gap_row *)elem = (struct gap_row){ xstrdup(db_col_text(q, 0)),
	    xstrdup(db_col_text(q, 2)), sqlite3_column_int(q, 1) };
}

static bool same_units(const struct store_gap *a, const struct store_gap *b)
{
	if (a->last != b->last || a->nunits != b->nunits)
		return false;
	for (size_t i = 0; i < a->nunits; i++)
		if (strcmp(a->units[i], b->units[i]))
			return false;
	return true;
}

/* Appends gap g (one indicator) to c, or its indicator to the gap of the
 * same units and last period. */
static void add_gap(struct store_coverage *c, struct store_gap *g)
{
	for (size_t i = 0; i < c->ngaps; i++) {
		struct store_gap *h = &c->gaps[i];

		if (same_units(h, g)) {
			h->indicators = xreallocarray(h->indicators, h->nindicators + 1,
			    sizeof(*h->indicators));
			h->indicators[h->nindicators++] = g->indicators[0];
			free(g->indicators);
			store_names_free(g->units, g->nunits);
			return;
		}
	}
	c->gaps = xreallocarray(c->gaps, c->ngaps + 1, sizeof(*c->gaps));
	c->gaps[c->ngaps++] = *g;
}

/* The series that end in the year before `latest` (a series is trimmed:
 * its last entry is its last value) of the units that have a value at
 * `latest`: an indicator the month's file left out for them. Further back
 * it is one the export no longer has, not a gap of the month. */
static int coverage_gaps(struct store *st, int32_t latest, struct store_coverage *c)
{
	sqlite3_stmt *q = db_prepare(st, "WITH ends AS (SELECT unit, indicator,"
	    " p0 + length(vals) / 8 - 1 AS last FROM series)"
	    " SELECT i.name, e.last, u.path FROM ends e JOIN unit u ON u.id = e.unit"
	    " JOIN indicator i ON i.id = e.indicator WHERE e.last BETWEEN ?2 AND ?1 - 1"
	    " AND e.unit IN (SELECT unit FROM ends WHERE last = ?1)"
	    " ORDER BY i.name, e.last DESC, u.path");
	struct gap_row *v = NULL;
	size_t n = 0;

	if (!q)
		return -1;
	sqlite3_bind_int(q, 1, latest);
	sqlite3_bind_int(q, 2, latest - period_per_year(store_granularity(st)));
	if (db_collect(q, sizeof(*v), gap_row, NULL, (void **)&v, &n) != 0) {
		for (size_t i = 0; i < n; i++) {
			free(v[i].indicator);
			free(v[i].unit);
		}
		free(v);
		return -1;
	}
	for (size_t i = 0, j; i < n; i = j) {
		struct store_gap g = { xmalloc(sizeof(char *)), 1, v[i].last, NULL, 0 };

		g.indicators[0] = v[i].indicator;
		for (j = i; j < n && v[j].last == v[i].last &&
		    !strcmp(v[j].indicator, v[i].indicator); j++) {
			g.units = xreallocarray(g.units, g.nunits + 1, sizeof(*g.units));
			g.units[g.nunits++] = v[j].unit;
			if (j > i)
				free(v[j].indicator);
		}
		add_gap(c, &g);
	}
	free(v);
	return 0;
}

int store_coverage(struct store *st, int32_t latest, struct store_coverage *c)
{
	sqlite3_stmt *q;
	int found;

	memset(c, 0, sizeof(*c));
	if (db_query_int(st->db, "SELECT count(*) FROM (" UNIT_LATEST ")", &c->units,
	    &found) != 0)
		return -1;
	if (!(q = db_prepare(st, UNIT_LATEST " HAVING last < ? ORDER BY path")))
		return -1;
	sqlite3_bind_int(q, 1, latest);
	if (db_collect(q, sizeof(*c->lagging), lagging_row, NULL, (void **)&c->lagging,
	    &c->nlagging) != 0 || coverage_gaps(st, latest, c) != 0) {
		store_coverage_free(c);
		return -1;
	}
	return 0;
}

void store_coverage_free(struct store_coverage *c)
{
	for (size_t i = 0; i < c->nlagging; i++)
		free(c->lagging[i].unit);
	free(c->lagging);
	for (size_t i = 0; i < c->ngaps; i++) {
		store_names_free(c->gaps[i].indicators, c->gaps[i].nindicators);
		store_names_free(c->gaps[i].units, c->gaps[i].nunits);
	}
	free(c->gaps);
	memset(c, 0, sizeof(*c));
}
