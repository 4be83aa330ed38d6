/* Removing stored values (include/vigie/store.h, SPEC 4: `vigie delete`).
 * The values of one period are taken out of each matching packed series
 * row (values.c's format), which is trimmed again or removed when nothing
 * is left; the period range in meta('pmin', 'pmax') is recomputed, so that
 * a mistyped 2062-10 stops being "the latest period"; units and indicators
 * left without values go, as retention drops them; and the removal is
 * recorded in the import log, which moves the data generation on, so the
 * daemon evaluates again. All of it in the caller's transaction or one of
 * its own. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "store_impl.h"
#include "vigie/unit.h"
#include "vigie/xalloc.h"

/* One series row losing a value: its key and its new values. */
struct cut {
	int64_t unit, ind;
	int32_t p0;
	double *v;
	size_t n;
};

/* Rewrites or removes row c (trimmed of undefined ends). */
static int apply_cut(sqlite3_stmt *put, sqlite3_stmt *del, struct cut *c)
{
	size_t lo = 0, hi = c->n;
	unsigned char *bytes;
	int rc;

	while (lo < hi && isnan(c->v[lo]))
		lo++;
	while (hi > lo && isnan(c->v[hi - 1]))
		hi--;
	if (lo == hi) {
		sqlite3_bind_int64(del, 1, c->unit);
		sqlite3_bind_int64(del, 2, c->ind);
		rc = sqlite3_step(del);
		sqlite3_reset(del);
		return rc == SQLITE_DONE ? 0 : -1;
	}
	bytes = xmalloc((hi - lo) * sizeof(double));
	db_vals_encode(c->v + lo, hi - lo, bytes);
	sqlite3_bind_int(put, 1, c->p0 + (int32_t)lo);
	sqlite3_bind_blob(put, 2, bytes, (int)((hi - lo) * sizeof(double)), SQLITE_STATIC);
	sqlite3_bind_int64(put, 3, c->unit);
	sqlite3_bind_int64(put, 4, c->ind);
	rc = sqlite3_step(put);
	sqlite3_reset(put);
	free(bytes);
	return rc == SQLITE_DONE ? 0 : -1;
}

int db_drop_unnamed(sqlite3 *db)
{
	return db_exec(db, "DELETE FROM unit WHERE id NOT IN (SELECT unit FROM series);"
	    "DELETE FROM indicator WHERE id NOT IN (SELECT indicator FROM series)");
}

/* meta('pmin', 'pmax') from what the series hold now. */
static int recompute_range(sqlite3 *db)
{
	int64_t lo = 0, hi = 0;
	int flo, fhi;
	char buf[32];

	if (db_query_int(db, "SELECT min(p0) FROM series", &lo, &flo) != 0 ||
	    db_query_int(db, "SELECT max(p0 + length(vals) / 8 - 1) FROM series",
	    &hi, &fhi) != 0)
		return -1;
	if (!flo || !fhi)
		return db_exec(db, "DELETE FROM meta WHERE key IN ('pmin', 'pmax')");
	snprintf(buf, sizeof(buf), "%lld", (long long)lo);
	if (db_meta_set(db, "pmin", buf) != 0)
		return -1;
	snprintf(buf, sizeof(buf), "%lld", (long long)hi);
	return db_meta_set(db, "pmax", buf);
}

int store_delete_values(struct store *st, int32_t period, const char *unit_glob,
    const char *indicator, const char *what, const struct import_origin *by,
    bool dry, size_t *deleted)
{
	return store_delete_matching(st, period, unit_glob ? unit_glob_keeps : NULL,
	    unit_glob, indicator, what, by, dry, deleted, NULL);
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* The number of units among the n cuts. */
static size_t units_of(const struct cut *c, size_t n)
{
	int64_t *id = xcalloc(n ? n : 1, sizeof(*id));
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		id[i] = c[i].unit;
	qsort(id, n, sizeof(*id), cmp_id);
	for (size_t i = 0; i < n; i++)
		k += i == 0 || id[i] != id[i - 1];
	free(id);
	return k;
}

int store_delete_matching(struct store *st, int32_t period,
    bool (*keep)(const char *unit, const void *ctx), const void *ctx,
    const char *indicator, const char *what, const struct import_origin *by,
    bool dry, size_t *deleted, size_t *units)
{
	sqlite3 *db = st->db;
	sqlite3_stmt *sel = NULL, *put = NULL, *del = NULL, *log = NULL;
	struct cut *cuts = NULL;
	size_t ncuts = 0;
	int own = sqlite3_get_autocommit(db), rc;
	int ret = -1;

	*deleted = 0;
	if (units)
		*units = 0;
	free(st->err);
	st->err = NULL;
	if (own && store_begin(st) != 0)
		return -1;
	sel = db_prepare(st, "SELECT s.unit, s.indicator, s.p0, s.vals, u.path"
	    " FROM series s JOIN unit u ON u.id = s.unit"
	    " JOIN indicator i ON i.id = s.indicator"
	    " WHERE (?1 IS NULL OR i.name = ?1) AND s.p0 <= ?2"
	    " AND s.p0 + length(s.vals) / 8 > ?2");
	if (!sel)
		goto out;
	db_bind_text(sel, 1, indicator);
	sqlite3_bind_int(sel, 2, period);
	/* Read every row first: the writes then do not disturb the cursor. */
	while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
		size_t n = (size_t)sqlite3_column_bytes(sel, 3) / sizeof(double);
		int32_t p0 = sqlite3_column_int(sel, 2);
		struct cut c;

		if (keep && !keep(db_col_text(sel, 4), ctx))
			continue;
		c = (struct cut){ sqlite3_column_int64(sel, 0), sqlite3_column_int64(sel, 1),
		    p0, xcalloc(n ? n : 1, sizeof(double)), n };
		db_vals_decode(sqlite3_column_blob(sel, 3), n, c.v);
		if (isnan(c.v[period - p0])) {
			free(c.v);
			continue;
		}
		c.v[period - p0] = db_vals_undef();
		cuts = xreallocarray(cuts, ncuts + 1, sizeof(*cuts));
		cuts[ncuts++] = c;
	}
	if (rc != SQLITE_DONE)
		goto out;
	*deleted = ncuts;
	if (units)
		*units = units_of(cuts, ncuts);
	if (dry || ncuts == 0) {
		ret = 0;
		goto out;
	}
	put = db_prepare(st, "UPDATE series SET p0 = ?1, vals = ?2 WHERE unit = ?3"
	    " AND indicator = ?4");
	del = db_prepare(st, "DELETE FROM series WHERE unit = ?1 AND indicator = ?2");
	log = db_prepare(st, "INSERT INTO import_log(at, source, sha256, rows, vals,"
	    " added, replaced, unchanged, actor, via) VALUES(?, ?, '-', 0, ?, 0, 0,"
	    " 0, ?, ?)");
	if (!put || !del || !log)
		goto out;
	for (size_t i = 0; i < ncuts; i++)
		if (apply_cut(put, del, &cuts[i]) != 0)
			goto out;
	if (recompute_range(db) != 0 || db_drop_unnamed(db) != 0)
		goto out;
	sqlite3_bind_int64(log, 1, (int64_t)time(NULL));
	db_bind_text(log, 2, what);
	sqlite3_bind_int64(log, 3, (int64_t)ncuts);
	db_bind_text(log, 4, by ? by->actor : NULL);
	db_bind_text(log, 5, by ? by->via : NULL);
	if (sqlite3_step(log) != SQLITE_DONE)
		goto out;
	ret = 0;
out:
	if (ret != 0)
		db_keep_error(st);
	sqlite3_finalize(sel);
	sqlite3_finalize(put);
	sqlite3_finalize(del);
	sqlite3_finalize(log);
	for (size_t i = 0; i < ncuts; i++)
		free(cuts[i].v);
	free(cuts);
	if (own) {
		if (ret == 0 && !dry && *deleted && store_commit(st) != 0) {
			db_keep_error(st);
			ret = -1;
		}
		if (ret != 0 || dry || !*deleted)
			store_rollback(st);
	}
	return ret;
}
