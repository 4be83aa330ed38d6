/* Loading the stored values into a series (include/vigie/store.h): every
 * one, for the engine, or some periods with edits not written yet, for the
 * warnings of an import or a removal that would give a hidden figure away
 * (daemon/ingest/uncover.c). One sequential read of the series table. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include "store_impl.h"
#include "vigie/progress.h"
#include "vigie/xalloc.h"

/* Period range for the loader: meta keys when present, else a scan. */
static int load_range(sqlite3 *db, int32_t *pmin, int32_t *pmax)
{
	char *a = NULL, *b = NULL;
	int64_t x, y;
	int fx, fy;

	if (db_meta_get(db, "pmin", &a) == 0 && db_meta_get(db, "pmax", &b) == 0) {
		*pmin = atoi(a);
		*pmax = atoi(b);
		free(a);
		free(b);
		return 0;
	}
	free(a);
	free(b);
	if (db_query_int(db, "SELECT min(p0) FROM series", &x, &fx) != 0 ||
	    db_query_int(db, "SELECT max(p0 + length(vals) / 8 - 1) FROM series",
	    &y, &fy) != 0)
		return -1;
	*pmin = fx ? (int32_t)x : 0;
	*pmax = fy ? (int32_t)y : -1;
	return 0;
}

/* Reads table(id, name) and declares each name; map[id] = builder index. */
static int load_names(sqlite3 *db, const char *sql, struct series_builder *sb,
    int is_unit, int32_t **map, int64_t *nmap)
{
	sqlite3_stmt *st;
	int rc;

	*map = NULL;
	*nmap = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1);
		if (id < 0 || id > INT32_MAX || !name)
			continue;
		if (id >= *nmap) {
			int64_t n = *nmap ? *nmap : 64;
			while (n <= id)
				n *= 2;
			int32_t *m = realloc(*map, (size_t)n * sizeof(*m));
			if (!m) {
				rc = SQLITE_NOMEM;
				break;
			}
			for (int64_t i = *nmap; i < n; i++)
				m[i] = -1;
			*map = m;
			*nmap = n;
		}
		(*map)[id] = is_unit ? sb_unit(sb, name) : sb_indicator(sb, name);
		if ((*map)[id] < 0) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Declares the units and indicators of e[0..n) in sb; with ind, the
 * builder index of each edit's indicator (-1: every one). */
static int declare_edits(struct series_builder *sb, const struct value_edit *e,
    size_t n, int32_t *unit, int32_t *ind)
{
	for (size_t i = 0; i < n; i++) {
		unit[i] = sb_unit(sb, e[i].unit);
		ind[i] = e[i].ind ? sb_indicator(sb, e[i].ind) : -1;
		if (unit[i] < 0 || (e[i].ind && ind[i] < 0))
			return -1;
	}
	return 0;
}

/* The stored values of periods from .. to (the data's range when whole),
 * then the edits e[0..ne), as a series. */
static int load_series(struct store *st, bool whole, int32_t from, int32_t to,
    const struct value_edit *e, size_t ne, struct series **out)
{
	sqlite3 *db = st->db;
	sqlite3_stmt *q = NULL;
	struct series_builder *sb = NULL;
	int32_t *umap = NULL, *imap = NULL, *eu = NULL, *ei = NULL, pmin, pmax;
	int64_t nu = 0, ni = 0;
	double *buf = NULL;
	size_t cap = 0, nrows = 0;
	int rc = SQLITE_ERROR, own = sqlite3_get_autocommit(db);

	*out = NULL;
	/* One read transaction: the range, names and values agree. */
	if (own && db_exec(db, "BEGIN") != 0)
		return -1;
	if (whole && load_range(db, &pmin, &pmax) != 0)
		goto out;
	if (!whole) {
		pmin = from;
		pmax = to;
	}
	eu = xcalloc(ne + 1, sizeof(*eu));
	ei = xcalloc(ne + 1, sizeof(*ei));
	if (!(sb = sb_new(st->gran, pmin, pmax)))
		goto out;
	if (load_names(db, "SELECT id, path FROM unit", sb, 1, &umap, &nu) != 0 ||
	    load_names(db, "SELECT id, name FROM indicator", sb, 0, &imap, &ni) != 0 ||
	    declare_edits(sb, e, ne, eu, ei) != 0)
		goto out;
	if (sqlite3_prepare_v2(db, "SELECT unit, indicator, p0, vals FROM series",
	    -1, &q, NULL) != SQLITE_OK)
		goto out;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t u = sqlite3_column_int64(q, 0), i = sqlite3_column_int64(q, 1);
		if ((++nrows & 0xFFF) == 0)
			progress_tick();
		const unsigned char *blob = sqlite3_column_blob(q, 3);
		size_t n = (size_t)sqlite3_column_bytes(q, 3) / sizeof(double);
		if (u < 0 || u >= nu || i < 0 || i >= ni || umap[u] < 0 || imap[i] < 0 || !n)
			continue;
		/* The blob need not be aligned for doubles: decode into a copy. */
		if (db_reserve(&buf, &cap, n, sizeof(*buf)) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
		db_vals_decode(blob, n, buf);
		if (sb_set_range(sb, (uint32_t)umap[u], (uint32_t)imap[i],
		    sqlite3_column_int(q, 2), buf, n) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	for (size_t k = 0; k < ne && rc == SQLITE_DONE; k++) {
		/* A removal of every indicator: each one stored or edited. */
		for (int64_t i = 0; ei[k] < 0 && i < ni; i++)
			if (imap[i] >= 0 && sb_set(sb, (uint32_t)eu[k], (uint32_t)imap[i],
			    e[k].period, NAN) != 0)
				rc = SQLITE_NOMEM;
		if (ei[k] >= 0 && sb_set(sb, (uint32_t)eu[k], (uint32_t)ei[k], e[k].period,
		    e[k].value) != 0)
			rc = SQLITE_NOMEM;
	}
	if (rc != SQLITE_DONE)
		goto out;
	*out = sb_finish(sb);
	sb = NULL;
	if (!*out)
		rc = SQLITE_NOMEM;
	else if (db_load_kept(db, *out) != 0) {
		series_free(*out);
		*out = NULL;
	}
out:
	sqlite3_finalize(q);
	if (own)
		db_exec(db, "COMMIT");
	sb_free(sb);
	free(buf);
	free(umap);
	free(imap);
	free(eu);
	free(ei);
	return *out ? 0 : -1;
}

int store_load_series(struct store *st, struct series **out)
{
	return load_series(st, true, 0, 0, NULL, 0, out);
}

int store_load_series_edited(struct store *st, int32_t from, int32_t to,
    const struct value_edit *e, size_t ne, struct series **out)
{
	return load_series(st, false, from, to, e, ne, out);
}

int64_t store_count_values(struct store *st)
{
	sqlite3_stmt *q;
	double *buf = NULL;
	size_t cap = 0;
	int64_t count = 0;
	int rc;

	if (sqlite3_prepare_v2(st->db, "SELECT vals FROM series", -1, &q, NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		size_t n = (size_t)sqlite3_column_bytes(q, 0) / sizeof(double);
		if (db_reserve(&buf, &cap, n, sizeof(*buf)) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
		db_vals_decode(sqlite3_column_blob(q, 0), n, buf);
		for (size_t i = 0; i < n; i++)
			count += !isnan(buf[i]);
	}
	sqlite3_finalize(q);
	free(buf);
	return rc == SQLITE_DONE ? count : -1;
}
