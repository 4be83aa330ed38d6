/* What the database knows about its data as a whole
 * (include/vigie/store.h): the data generation, the latest period, the last
 * import, whether a file's content was imported before, and the coverage
 * that `vigie status` shows. */
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

static void import_row(sqlite3_stmt *q, void *elem, void *ctx)
{
	(void)ctx;
	*(struct store_import_row *)elem = (struct store_import_row){
		sqlite3_column_int64(q, 0), xstrdup(db_col_text(q, 1)),
		db_col_dup(q, 8), db_col_dup(q, 9),
		!strcmp(db_col_text(q, 2), "-"), sqlite3_column_int64(q, 3),
		sqlite3_column_int64(q, 4), sqlite3_column_int64(q, 5),
		sqlite3_column_int64(q, 6), sqlite3_column_int64(q, 7) };
}

int store_import_rows(struct store *st, size_t max, struct store_import_row **v,
    size_t *n)
{
	sqlite3_stmt *q = db_prepare(st, "SELECT at, source, sha256, rows, vals, added,"
	    " replaced, unchanged, actor, via FROM import_log ORDER BY id DESC LIMIT ?");

	*v = NULL;
	*n = 0;
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, (int64_t)max);
	return db_collect(q, sizeof(**v), import_row, NULL, (void **)v, n);
}

void store_import_rows_free(struct store_import_row *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].source);
		free(v[i].actor);
		free(v[i].via);
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
	    &c->nlagging) != 0) {
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
	memset(c, 0, sizeof(*c));
}
