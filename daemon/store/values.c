/* Indicator values (include/vigie/store.h, batch.h): all-or-nothing imports
 * that merge each (unit, indicator) group of a file into its packed series
 * row and count what they added, replaced or left alone, and the import
 * log; load.c reads those rows back into a series. The packed format
 * (schema.c, table series) is encoded and decoded here only. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "store_impl.h"
#include "vigie/progress.h"

/* Maps each name to its id in table (unit or indicator), adding new ones. */
/* The ids of names, inserted when new; only of those some record uses
 * (used[i]): units and indicators exist because values name them (SPEC 2),
 * and a wide row whose cells are all empty names none. The others get 0. */
static int upsert_names(sqlite3 *db, const char *table, const char *col,
    char *const *names, size_t n, const unsigned char *used, int64_t *ids)
{
	sqlite3_stmt *sel = NULL, *ins = NULL;
	char q1[96], q2[96];
	int ret = -1;

	snprintf(q1, sizeof(q1), "SELECT id FROM %s WHERE %s = ?", table, col);
	snprintf(q2, sizeof(q2), "INSERT INTO %s(%s) VALUES(?)", table, col);
	if (sqlite3_prepare_v2(db, q1, -1, &sel, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, q2, -1, &ins, NULL) != SQLITE_OK)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if ((i & 0xFFF) == 0xFFF)
			progress_tick();
		ids[i] = 0;
		if (!used[i])
			continue;
		sqlite3_bind_text(sel, 1, names[i], -1, SQLITE_STATIC);
		int rc = sqlite3_step(sel);
		if (rc == SQLITE_ROW) {
			ids[i] = sqlite3_column_int64(sel, 0);
		} else if (rc == SQLITE_DONE) {
			sqlite3_bind_text(ins, 1, names[i], -1, SQLITE_STATIC);
			if (sqlite3_step(ins) != SQLITE_DONE)
				goto out;
			ids[i] = sqlite3_last_insert_rowid(db);
			sqlite3_reset(ins);
		} else {
			goto out;
		}
		sqlite3_reset(sel);
	}
	ret = 0;
out:
	sqlite3_finalize(sel);
	sqlite3_finalize(ins);
	return ret;
}

struct sort_ctx {
	const struct import_record *r;
	const int64_t *uid, *iid;
};

static int cmp_by_id(const void *a, const void *b, void *ctx)
{
	const struct sort_ctx *c = ctx;
	const struct import_record *x = &c->r[*(const uint32_t *)a], *y = &c->r[*(const uint32_t *)b];

	if (c->uid[x->unit] != c->uid[y->unit])
		return c->uid[x->unit] < c->uid[y->unit] ? -1 : 1;
	if (c->iid[x->ind] != c->iid[y->ind])
		return c->iid[x->ind] < c->iid[y->ind] ? -1 : 1;
	return (x->period > y->period) - (x->period < y->period);
}

/* The order to merge records in: the series table's key order (unit id,
 * indicator id), then period, which groups each series' records and keeps
 * B-tree writes sequential. The CSV parser leaves records sorted by batch
 * indices, which matches whenever the ids grow with them (always for a new
 * database): then no sort is needed. */
static uint32_t *insert_order(const struct import_batch *b, const int64_t *uid,
    const int64_t *iid)
{
	struct sort_ctx c = { b->recs, uid, iid };
	uint32_t *perm = malloc((b->nrecs ? b->nrecs : 1) * sizeof(*perm));
	int sorted = 1;

	if (!perm)
		return NULL;
	for (size_t i = 0; i < b->nrecs; i++) {
		perm[i] = (uint32_t)i;
		if (i && sorted && cmp_by_id(&perm[i - 1], &perm[i], &c) > 0)
			sorted = 0;
	}
	if (!sorted)
		qsort_r(perm, b->nrecs, sizeof(*perm), cmp_by_id, &c);
	return perm;
}

static int update_range(sqlite3 *db, const struct import_batch *b)
{
	char *v = NULL, buf[32];
	int rc;

	if (!b->nrecs)
		return 0;
	rc = db_meta_get(db, "pmin", &v);
	if (rc < 0)
		return -1;
	if (rc == 1 || b->pmin < atoi(v)) {
		snprintf(buf, sizeof(buf), "%d", (int)b->pmin);
		if (db_meta_set(db, "pmin", buf) != 0) {
			free(v);
			return -1;
		}
	}
	free(v);
	rc = db_meta_get(db, "pmax", &v);
	if (rc < 0)
		return -1;
	if (rc == 1 || b->pmax > atoi(v)) {
		snprintf(buf, sizeof(buf), "%d", (int)b->pmax);
		if (db_meta_set(db, "pmax", buf) != 0) {
			free(v);
			return -1;
		}
	}
	free(v);
	return 0;
}

/* Packed values (schema.c, table series): little-endian IEEE-754 doubles,
 * a quiet NaN where a period has no value. */
double db_vals_undef(void)
{
	uint64_t bits = 0x7ff8000000000000ULL;	/* the one NaN ever written */
	double d;

	memcpy(&d, &bits, sizeof(d));
	return d;
}

void db_vals_decode(const unsigned char *blob, size_t n, double *out)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(out, blob, n * sizeof(double));
#else
	for (size_t i = 0; i < n; i++) {
		uint64_t x = 0;
		for (int k = 7; k >= 0; k--)
			x = x << 8 | blob[8 * i + (size_t)k];
		memcpy(&out[i], &x, sizeof(x));
	}
#endif
}

void db_vals_encode(const double *v, size_t n, unsigned char *out)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(out, v, n * sizeof(double));
#else
	for (size_t i = 0; i < n; i++) {
		uint64_t x;
		memcpy(&x, &v[i], sizeof(x));
		for (int k = 0; k < 8; k++, x >>= 8)
			out[8 * i + (size_t)k] = (unsigned char)x;
	}
#endif
}

int db_reserve(void *pbuf, size_t *cap, size_t n, size_t sz)
{
	void **buf = pbuf;

	if (n <= *cap)
		return 0;
	size_t c = *cap ? *cap : 256;
	while (c < n)
		c *= 2;
	void *nb = realloc(*buf, c * sz);
	if (!nb)
		return -1;
	*buf = nb;
	*cap = c;
	return 0;
}

/* One stored series of the unit being merged; its values are in the pool. */
struct stored {
	int64_t ind;
	int32_t p0;
	size_t off, n;
};

struct unit_rows {
	struct stored *v;
	size_t n, cap;
	double *pool;
	size_t npool, poolcap;
};

/* Reads every series the database holds for one unit, in indicator order,
 * decoded, so the writes that follow do not disturb an open cursor. */
static int read_unit(sqlite3_stmt *sel, int64_t unit, struct unit_rows *r)
{
	int rc;

	r->n = r->npool = 0;
	sqlite3_bind_int64(sel, 1, unit);
	while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
		const unsigned char *blob = sqlite3_column_blob(sel, 2);
		size_t n = (size_t)sqlite3_column_bytes(sel, 2) / sizeof(double);
		if (db_reserve(&r->v, &r->cap, r->n + 1, sizeof(*r->v)) != 0 ||
		    db_reserve(&r->pool, &r->poolcap, r->npool + n, sizeof(*r->pool)) != 0) {
			sqlite3_reset(sel);
			return -1;
		}
		if (n)
			db_vals_decode(blob, n, r->pool + r->npool);
		r->v[r->n++] = (struct stored){ sqlite3_column_int64(sel, 0),
			sqlite3_column_int(sel, 1), r->npool, n };
		r->npool += n;
	}
	sqlite3_reset(sel);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Merges the records in key order, one (unit, indicator) group at a time:
 * the group's stored series (read with the rest of its unit in one range
 * scan) is widened to cover the records, each record is counted as added,
 * replaced or unchanged (replaced, when equal, in a cell blind hides; left
 * and not written, whatever its value, in one blind leaves), and
 * the row is written only when something
 * changed, so re-importing a file that did not change only reads. Records
 * are finite, so the merged series starts and ends with values (trimmed). */
static int merge_values(struct store *st, const struct import_batch *b,
    const uint32_t *perm, const int64_t *uid, const int64_t *iid,
    const struct import_blind *blind, struct import_stats *stats)
{
	sqlite3 *db = st->db;
	sqlite3_stmt *sel = NULL, *put = NULL;
	struct unit_rows have = { 0 };
	double *buf = NULL;
	unsigned char *bytes = NULL;
	size_t bufcap = 0, bytecap = 0, h = 0, groups = 0;
	const double undef = db_vals_undef();
	int ret = -1;

	if (sqlite3_prepare_v2(db, "SELECT indicator, p0, vals FROM series "
	    "WHERE unit = ?1 ORDER BY indicator", -1, &sel, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO series(unit, indicator, p0, vals) "
	    "VALUES(?1, ?2, ?3, ?4) ON CONFLICT(unit, indicator) DO UPDATE SET "
	    "p0 = excluded.p0, vals = excluded.vals", -1, &put, NULL) != SQLITE_OK)
		goto out;
	for (size_t k0 = 0, k1; k0 < b->nrecs; k0 = k1) {
		const struct import_record *r0 = &b->recs[perm[k0]];
		int64_t u = uid[r0->unit], ind = iid[r0->ind];
		int32_t lo = r0->period, hi = r0->period;

		if ((++groups & 0xFFF) == 0)
			progress_tick();

		/* The group: records k0..k1 (by period). */
		for (k1 = k0 + 1; k1 < b->nrecs; k1++) {
			const struct import_record *r = &b->recs[perm[k1]];
			if (uid[r->unit] != u || iid[r->ind] != ind)
				break;
			if (r->period == hi) {
				/* csv_parse refuses these; a batch made otherwise
				 * is refused here, as a primary key would. */
				char pb[PERIOD_BUFSZ];
				free(st->err);
				st->err = db_msg("duplicate value for unit %s, period %s, "
				    "indicator %s", b->units[r->unit],
				    period_format(st->gran, r->period, pb), b->inds[r->ind]);
				goto out;
			}
			hi = r->period;
		}
		if (k0 == 0 || uid[b->recs[perm[k0 - 1]].unit] != u) {
			if (read_unit(sel, u, &have) != 0)
				goto out;
			h = 0;
		}
		while (h < have.n && have.v[h].ind < ind)
			h++;
		const struct stored *old = h < have.n && have.v[h].ind == ind &&
		    have.v[h].n ? &have.v[h] : NULL;
		if (old) {
			if (old->p0 < lo)
				lo = old->p0;
			if (old->p0 + (int32_t)old->n - 1 > hi)
				hi = old->p0 + (int32_t)old->n - 1;
		}
		size_t n = (size_t)((int64_t)hi - lo + 1);
		if (db_reserve(&buf, &bufcap, n, sizeof(*buf)) != 0)
			goto out;
		for (size_t i = 0; i < n; i++)
			buf[i] = undef;
		if (old)
			memcpy(buf + (old->p0 - lo), have.pool + old->off,
			    old->n * sizeof(*buf));
		size_t changed = 0;
		for (size_t k = k0; k < k1; k++) {
			const struct import_record *r = &b->recs[perm[k]];
			double *x = &buf[r->period - lo];
			if (isnan(*x)) {
				stats->added++;
				changed++;
			} else if (import_blind_leaves(blind, b->units[r->unit],
			    b->inds[r->ind], r->period)) {
				stats->left++;	/* the stored value, given back */
				continue;
			} else if (*x == r->value) {
				if (import_blind_hides(blind, b->units[r->unit],
				    b->inds[r->ind], r->period))
					stats->replaced++;
				else
					stats->unchanged++;
			} else {
				stats->replaced++;
				changed++;
			}
			*x = r->value;
		}
		if (!changed)
			continue;
		if (db_reserve(&bytes, &bytecap, n * sizeof(double), 1) != 0)
			goto out;
		db_vals_encode(buf, n, bytes);
		sqlite3_bind_int64(put, 1, u);
		sqlite3_bind_int64(put, 2, ind);
		sqlite3_bind_int(put, 3, lo);
		sqlite3_bind_blob(put, 4, bytes, (int)(n * sizeof(double)), SQLITE_STATIC);
		if (sqlite3_step(put) != SQLITE_DONE)
			goto out;
		sqlite3_reset(put);
	}
	ret = 0;
out:
	free(have.v);
	free(have.pool);
	free(buf);
	free(bytes);
	sqlite3_finalize(sel);
	sqlite3_finalize(put);
	return ret;
}

static int log_import(sqlite3 *db, const char *source,
    const struct import_origin *by, const char *sha, struct import_stats *s)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, "INSERT INTO import_log(at, source, sha256, rows, "
	    "vals, added, replaced, unchanged, actor, via) VALUES(?, ?, ?, ?, ?, ?, ?,"
	    " ?, ?, ?)", -1,
	    &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, (int64_t)time(NULL));
	sqlite3_bind_text(st, 2, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, sha, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (int64_t)s->rows);
	sqlite3_bind_int64(st, 5, (int64_t)s->values);
	sqlite3_bind_int64(st, 6, (int64_t)s->added);
	sqlite3_bind_int64(st, 7, (int64_t)s->replaced);
	sqlite3_bind_int64(st, 8, (int64_t)s->unchanged);
	db_bind_text(st, 9, by ? by->actor : NULL);
	db_bind_text(st, 10, by ? by->via : NULL);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	s->log_id = sqlite3_last_insert_rowid(db);
	return rc == SQLITE_DONE ? 0 : -1;
}

int store_import(struct store *st, const char *source,
    const struct import_origin *by, const char *sha256,
    const struct import_batch *b, struct import_stats *stats)
{
	sqlite3 *db = st->db;
	int own = sqlite3_get_autocommit(db);
	int64_t *uid = malloc((b->nunits ? b->nunits : 1) * sizeof(*uid));
	int64_t *iid = malloc((b->ninds ? b->ninds : 1) * sizeof(*iid));
	unsigned char *uused = calloc(b->nunits ? b->nunits : 1, 1);
	unsigned char *iused = calloc(b->ninds ? b->ninds : 1, 1);
	uint32_t *perm = NULL;
	struct import_stats s = { .rows = b->rows, .values = b->nrecs };
	int ret = -1;

	free(st->err);
	st->err = NULL;
	if (!uid || !iid || !uused || !iused)
		goto out;
	for (size_t k = 0; k < b->nrecs; k++) {
		uused[b->recs[k].unit] = 1;
		iused[b->recs[k].ind] = 1;
	}
	if (own) {
		if (store_begin(st) != 0)
			goto out;
	} else if (db_exec(db, "SAVEPOINT import") != 0) {
		goto out;
	}
	if (store_keep_hidden(st, b->keep, b->nkeep) != 0 ||
	    upsert_names(db, "unit", "path", b->units, b->nunits, uused, uid) != 0 ||
	    upsert_names(db, "indicator", "name", b->inds, b->ninds, iused, iid) != 0)
		goto fail;
	if (!(perm = insert_order(b, uid, iid)))
		goto fail;
	if (merge_values(st, b, perm, uid, iid, by ? by->blind : NULL, &s) != 0 ||
	    update_range(db, b) != 0 || log_import(db, source, by, sha256, &s) != 0)
		goto fail;
	if (own ? store_commit(st) != 0 : db_exec(db, "RELEASE import") != 0)
		goto fail;
	if (stats)
		*stats = s;
	ret = 0;
	goto out;
fail:
	/* Keep the failing statement's message across the rollback. */
	if (!st->err)
		st->err = strdup(db_errmsg(db));
	if (own) {
		store_rollback(st);
	} else {
		db_exec(db, "ROLLBACK TO import");
		db_exec(db, "RELEASE import");
	}
out:
	free(perm);
	free(uid);
	free(iid);
	free(uused);
	free(iused);
	return ret;
}

/* The id of name in table (unit or indicator), 0 when there is none. */
static int64_t name_id(sqlite3_stmt *q, const char *name)
{
	int64_t id = 0;

	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW)
		id = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	return id;
}

int store_import_count(struct store *st, const struct import_batch *b,
    const struct import_blind *blind, struct import_stats *stats)
{
	sqlite3 *db = st->db;
	sqlite3_stmt *uq = NULL, *iq = NULL, *sel = NULL;
	struct unit_rows have = { 0 };
	struct import_stats s = { .rows = b->rows, .values = b->nrecs };
	int64_t *iid = calloc(b->ninds ? b->ninds : 1, sizeof(*iid));
	int ret = -1;

	if (!iid || sqlite3_prepare_v2(db, "SELECT id FROM unit WHERE path = ?1", -1,
	    &uq, NULL) != SQLITE_OK || sqlite3_prepare_v2(db, "SELECT id FROM "
	    "indicator WHERE name = ?1", -1, &iq, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT indicator, p0, vals FROM series WHERE "
	    "unit = ?1 ORDER BY indicator", -1, &sel, NULL) != SQLITE_OK)
		goto out;
	for (size_t k = 0; k < b->ninds; k++)
		iid[k] = name_id(iq, b->inds[k]);
	/* A batch's records are grouped by unit (csv.h). */
	for (size_t i = 0, j; i < b->nrecs; i = j) {
		uint32_t u = b->recs[i].unit;
		int64_t id = name_id(uq, b->units[u]);

		for (j = i; j < b->nrecs && b->recs[j].unit == u; j++)
			;
		if (!id) {
			s.added += j - i;
			continue;
		}
		if (read_unit(sel, id, &have) != 0)
			goto out;
		for (size_t k = i; k < j; k++) {
			const struct import_record *r = &b->recs[k];
			const struct stored *old = NULL;
			double x = NAN;

			for (size_t h = 0; h < have.n && !old; h++)
				if (have.v[h].ind == iid[r->ind])
					old = &have.v[h];
			if (old && r->period >= old->p0 &&
			    (size_t)(r->period - old->p0) < old->n)
				x = have.pool[old->off + (size_t)(r->period - old->p0)];
			if (isnan(x))
				s.added++;
			else if (import_blind_leaves(blind, b->units[u],
			    b->inds[r->ind], r->period))
				s.left++;
			else if (x == r->value && !import_blind_hides(blind,
			    b->units[u], b->inds[r->ind], r->period))
				s.unchanged++;
			else
				s.replaced++;
		}
	}
	*stats = s;
	ret = 0;
out:
	if (ret) {
		free(st->err);
		st->err = strdup(db_errmsg(db));
	}
	sqlite3_finalize(uq);
	sqlite3_finalize(iq);
	sqlite3_finalize(sel);
	free(have.v);
	free(have.pool);
	free(iid);
	return ret;
}

void import_batch_free(struct import_batch *b)
{
	for (size_t i = 0; i < b->nunits; i++)
		free(b->units[i]);
	for (size_t i = 0; i < b->ninds; i++)
		free(b->inds[i]);
	free(b->units);
	free(b->inds);
	free(b->recs);
	free(b->unit_at);
	free(b->ind_at);
	for (size_t i = 0; i < b->nkeep; i++) {
		free(b->keep[i].unit);
		free(b->keep[i].indicator);
	}
	free(b->keep);
	memset(b, 0, sizeof(*b));
}
