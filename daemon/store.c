/* The SQLite store (include/vigie/store.h): opening with mode 0600, WAL and
 * a busy timeout, forward migrations by PRAGMA user_version, the database's
 * granularity in meta('period'), all-or-nothing imports that insert values
 * in primary key order and count what they added, replaced or left alone,
 * and the one sequential read that loads every value into a series. */
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "vigie/schema.h"
#include "vigie/store.h"

struct store {
	sqlite3 *db;
	enum granularity gran;
	char *path;
	char *err;		/* message of a failed import, kept across its rollback */
};

static char *msg_new(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *msg_new(const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

static int exec(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/* One integer from a query without parameters; *found = 0 on NULL/no row. */
static int query_int(sqlite3 *db, const char *sql, int64_t *out, int *found)
{
	sqlite3_stmt *st;
	int rc;

	*found = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		*out = sqlite3_column_int64(st, 0);
		*found = 1;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

static int meta_get(sqlite3 *db, const char *key, char **value)
{
	sqlite3_stmt *st;
	int rc, ret = -1;

	*value = NULL;
	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?", -1,
	    &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*value = strdup((const char *)sqlite3_column_text(st, 0));
		ret = *value ? 0 : -1;
	} else if (rc == SQLITE_DONE) {
		ret = 1;
	}
	sqlite3_finalize(st);
	return ret;
}

static int meta_set(sqlite3 *db, const char *key, const char *value)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, "INSERT INTO meta(key, value) VALUES(?, ?) "
	    "ON CONFLICT(key) DO UPDATE SET value = excluded.value", -1, &st,
	    NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Creates a missing database file as 0600 before SQLite opens it: SQLite
 * then gives its -wal and -shm files the same mode. A file that exists but
 * is still empty (created by someone else's open) is tightened too. */
static int create_private(const char *path, char **err)
{
	struct stat sb;
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0) {
		*err = msg_new("cannot create database %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) == 0 && sb.st_size == 0 && (sb.st_mode & 077))
		(void)fchmod(fd, 0600);
	close(fd);
	return 0;
}

/* Brings the schema to schema_version in one transaction and records the
 * granularity on first use. */
static int migrate(struct store *st, char **err)
{
	sqlite3 *db = st->db;
	int64_t uv = 0;
	int found;

	if (query_int(db, "PRAGMA user_version", &uv, &found) != 0)
		goto sqlerr;
	if (uv > schema_version) {
		*err = msg_new("database %s has schema version %lld, newer than this "
		    "vigie understands (%d): upgrade vigie", st->path, (long long)uv,
		    schema_version);
		return -1;
	}
	if (uv == schema_version)
		return 0;
	if (exec(db, "BEGIN IMMEDIATE") != 0)
		goto sqlerr;
	/* Another process may have migrated while we waited for the lock. */
	if (query_int(db, "PRAGMA user_version", &uv, &found) != 0)
		goto sqlerr_rb;
	for (int64_t i = uv; i < schema_version; i++)
		if (exec(db, schema_migrations[i]) != 0)
			goto sqlerr_rb;
	if (uv < schema_version) {
		char sql[64];
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", schema_version);
		if (exec(db, sql) != 0)
			goto sqlerr_rb;
	}
	if (uv == 0 && meta_set(db, "period", granularity_name(st->gran)) != 0)
		goto sqlerr_rb;
	if (exec(db, "COMMIT") != 0)
		goto sqlerr_rb;
	return 0;
sqlerr_rb:
	*err = msg_new("cannot set up database %s: %s", st->path, sqlite3_errmsg(db));
	exec(db, "ROLLBACK");
	return -1;
sqlerr:
	*err = msg_new("cannot set up database %s: %s", st->path, sqlite3_errmsg(db));
	return -1;
}

static int check_granularity(struct store *st, char **err)
{
	char *v = NULL;
	int rc = meta_get(st->db, "period", &v);

	if (rc < 0) {
		*err = msg_new("cannot read database %s: %s", st->path, sqlite3_errmsg(st->db));
		return -1;
	}
	if (rc == 1) {
		/* A database created before the period was recorded: claim it. */
		if (meta_set(st->db, "period", granularity_name(st->gran)) != 0) {
			*err = msg_new("cannot write database %s: %s", st->path,
			    sqlite3_errmsg(st->db));
			return -1;
		}
		return 0;
	}
	if (strcmp(v, granularity_name(st->gran)) != 0) {
		*err = msg_new("database %s holds %ss but the configuration says "
		    "period: %s (use a separate database for each granularity)",
		    st->path, v, granularity_name(st->gran));
		free(v);
		return -1;
	}
	free(v);
	return 0;
}

/* Switching a new database to WAL needs a lock that SQLite does not wait
 * for with the busy handler (two processes opening a new file at once), so
 * wait here, as long as the busy timeout. */
static int set_wal(sqlite3 *db)
{
	for (int waited = 0; ; waited += 20) {
		if (exec(db, "PRAGMA journal_mode = WAL") == 0)
			return 0;
		if ((sqlite3_errcode(db) & 0xff) != SQLITE_BUSY ||
		    waited >= STORE_BUSY_TIMEOUT_MS)
			return -1;
		usleep(20 * 1000);
	}
}

int store_open(const char *path, enum granularity g, struct store **out, char **err)
{
	struct store *st = calloc(1, sizeof(*st));

	*out = NULL;
	*err = NULL;
	if (!st || !(st->path = strdup(path))) {
		free(st);
		*err = msg_new("out of memory");
		return -1;
	}
	st->gran = g;
	if (create_private(path, err) != 0)
		goto fail;
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
	    NULL) != SQLITE_OK) {
		*err = msg_new("cannot open database %s: %s", path,
		    st->db ? sqlite3_errmsg(st->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(st->db, 1);
	if (set_wal(st->db) != 0 ||
	    exec(st->db, "PRAGMA synchronous = NORMAL") != 0 ||
	    exec(st->db, "PRAGMA foreign_keys = ON") != 0 ||
	    exec(st->db, "PRAGMA cache_size = -65536") != 0) {
		*err = msg_new("cannot open database %s: %s", path, sqlite3_errmsg(st->db));
		goto fail;
	}
	if (migrate(st, err) != 0 || check_granularity(st, err) != 0)
		goto fail;
	*out = st;
	return 0;
fail:
	store_close(st);
	return -1;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	sqlite3_close_v2(st->db);
	free(st->path);
	free(st->err);
	free(st);
}

sqlite3 *store_db(struct store *st)
{
	return st->db;
}

enum granularity store_granularity(const struct store *st)
{
	return st->gran;
}

int store_begin(struct store *st)
{
	free(st->err);
	st->err = NULL;
	return exec(st->db, "BEGIN IMMEDIATE");
}

int store_commit(struct store *st)
{
	return exec(st->db, "COMMIT");
}

void store_rollback(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		exec(st->db, "ROLLBACK");
}

const char *store_errmsg(struct store *st)
{
	return st->err ? st->err : sqlite3_errmsg(st->db);
}

/* Maps each name to its id in table (unit or indicator), adding new ones. */
static int upsert_names(sqlite3 *db, const char *table, const char *col,
    char *const *names, size_t n, int64_t *ids)
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

/* The order to insert records in: the value table's key order (unit id,
 * indicator id, period), which keeps B-tree inserts sequential. The CSV
 * parser leaves records sorted by batch indices, which matches whenever the
 * ids grow with them (always for a new database): then no sort is needed. */
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
	rc = meta_get(db, "pmin", &v);
	if (rc < 0)
		return -1;
	if (rc == 1 || b->pmin < atoi(v)) {
		snprintf(buf, sizeof(buf), "%d", (int)b->pmin);
		if (meta_set(db, "pmin", buf) != 0) {
			free(v);
			return -1;
		}
	}
	free(v);
	rc = meta_get(db, "pmax", &v);
	if (rc < 0)
		return -1;
	if (rc == 1 || b->pmax > atoi(v)) {
		snprintf(buf, sizeof(buf), "%d", (int)b->pmax);
		if (meta_set(db, "pmax", buf) != 0) {
			free(v);
			return -1;
		}
	}
	free(v);
	return 0;
}

struct stored {
	int64_t ind;
	int32_t period;
	double value;
};

/* Reads what the database holds for one unit, in key order. */
static int read_unit(sqlite3_stmt *sel, int64_t unit, struct stored **v,
    size_t *n, size_t *cap)
{
	int rc;

	*n = 0;
	sqlite3_bind_int64(sel, 1, unit);
	while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
		if (*n == *cap) {
			size_t c = *cap ? *cap * 2 : 1024;
			struct stored *nv = realloc(*v, c * sizeof(*nv));
			if (!nv) {
				sqlite3_reset(sel);
				return -1;
			}
			*v = nv;
			*cap = c;
		}
		(*v)[(*n)++] = (struct stored){ sqlite3_column_int64(sel, 0),
			sqlite3_column_int(sel, 1), sqlite3_column_double(sel, 2) };
	}
	sqlite3_reset(sel);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Writes the records in key order. For each unit, what is stored is read
 * first (one range scan) and merged with the records, so each record costs
 * one INSERT when new, one UPDATE when different, and no write when equal:
 * re-importing a file that did not change only reads. */
static int insert_values(sqlite3 *db, const struct import_batch *b,
    const uint32_t *perm, const int64_t *uid, const int64_t *iid,
    struct import_stats *stats)
{
	sqlite3_stmt *sel = NULL, *ins = NULL, *upd = NULL;
	struct stored *have = NULL;
	size_t nhave = 0, cap = 0;
	int ret = -1;

	if (sqlite3_prepare_v2(db, "SELECT indicator, period, value FROM value "
	    "WHERE unit = ?1 ORDER BY indicator, period", -1, &sel, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO value(unit, indicator, period, value) "
	    "VALUES(?1, ?2, ?3, ?4)", -1, &ins, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "UPDATE value SET value = ?4 WHERE unit = ?1 AND "
	    "indicator = ?2 AND period = ?3", -1, &upd, NULL) != SQLITE_OK)
		goto out;
	for (size_t k = 0, h = 0; k < b->nrecs; k++) {
		const struct import_record *r = &b->recs[perm[k]];
		int64_t u = uid[r->unit], ind = iid[r->ind];
		sqlite3_stmt *w;

		if (k == 0 || uid[b->recs[perm[k - 1]].unit] != u) {
			if (read_unit(sel, u, &have, &nhave, &cap) != 0)
				goto out;
			h = 0;
		}
		while (h < nhave && (have[h].ind < ind ||
		    (have[h].ind == ind && have[h].period < r->period)))
			h++;
		if (h < nhave && have[h].ind == ind && have[h].period == r->period) {
			if (have[h].value == r->value) {
				stats->unchanged++;
				continue;
			}
			w = upd;
			stats->replaced++;
		} else {
			w = ins;
			stats->added++;
		}
		sqlite3_bind_int64(w, 1, u);
		sqlite3_bind_int64(w, 2, ind);
		sqlite3_bind_int(w, 3, r->period);
		sqlite3_bind_double(w, 4, r->value);
		if (sqlite3_step(w) != SQLITE_DONE)
			goto out;
		sqlite3_reset(w);
	}
	ret = 0;
out:
	free(have);
	sqlite3_finalize(sel);
	sqlite3_finalize(ins);
	sqlite3_finalize(upd);
	return ret;
}

static int log_import(sqlite3 *db, const char *source, const char *sha,
    const struct import_stats *s)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, "INSERT INTO import_log(at, source, sha256, rows, "
	    "vals, added, replaced, unchanged) VALUES(?, ?, ?, ?, ?, ?, ?, ?)", -1,
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
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int store_import(struct store *st, const char *source, const char *sha256,
    const struct import_batch *b, struct import_stats *stats)
{
	sqlite3 *db = st->db;
	int own = sqlite3_get_autocommit(db);
	int64_t *uid = malloc((b->nunits ? b->nunits : 1) * sizeof(*uid));
	int64_t *iid = malloc((b->ninds ? b->ninds : 1) * sizeof(*iid));
	uint32_t *perm = NULL;
	struct import_stats s = { .rows = b->rows, .values = b->nrecs };
	int ret = -1;

	free(st->err);
	st->err = NULL;
	if (!uid || !iid)
		goto out;
	if (own) {
		if (store_begin(st) != 0)
			goto out;
	} else if (exec(db, "SAVEPOINT import") != 0) {
		goto out;
	}
	if (upsert_names(db, "unit", "path", b->units, b->nunits, uid) != 0 ||
	    upsert_names(db, "indicator", "name", b->inds, b->ninds, iid) != 0)
		goto fail;
	if (!(perm = insert_order(b, uid, iid)))
		goto fail;
	if (insert_values(db, b, perm, uid, iid, &s) != 0 ||
	    update_range(db, b) != 0 || log_import(db, source, sha256, &s) != 0)
		goto fail;
	if (own ? store_commit(st) != 0 : exec(db, "RELEASE import") != 0)
		goto fail;
	if (stats)
		*stats = s;
	ret = 0;
	goto out;
fail:
	/* Keep the failing statement's message across the rollback. */
	free(st->err);
	st->err = strdup(sqlite3_errmsg(db));
	if (own) {
		store_rollback(st);
	} else {
		exec(db, "ROLLBACK TO import");
		exec(db, "RELEASE import");
	}
out:
	free(perm);
	free(uid);
	free(iid);
	return ret;
}

int64_t store_data_generation(struct store *st)
{
	int64_t v = 0;
	int found;

	if (query_int(st->db, "SELECT max(id) FROM import_log", &v, &found) != 0 || !found)
		return 0;
	return v;
}

int32_t store_latest_period(struct store *st)
{
	char *v = NULL;
	int64_t p = -1;
	int found;

	/* meta('pmax') is kept by imports; values are never deleted. */
	if (meta_get(st->db, "pmax", &v) == 0) {
		p = atoi(v);
		free(v);
		return (int32_t)p;
	}
	if (query_int(st->db, "SELECT max(period) FROM value", &p, &found) != 0 || !found)
		return -1;
	return (int32_t)p;
}

int64_t store_last_import_time(struct store *st)
{
	int64_t v = 0;
	int found;

	if (query_int(st->db, "SELECT max(at) FROM import_log", &v, &found) != 0 || !found)
		return 0;
	return v;
}

/* Period range for the loader: meta keys when present, else a scan. */
static int load_range(sqlite3 *db, int32_t *pmin, int32_t *pmax)
{
	char *a = NULL, *b = NULL;
	int64_t x, y;
	int fx, fy;

	if (meta_get(db, "pmin", &a) == 0 && meta_get(db, "pmax", &b) == 0) {
		*pmin = atoi(a);
		*pmax = atoi(b);
		free(a);
		free(b);
		return 0;
	}
	free(a);
	free(b);
	if (query_int(db, "SELECT min(period) FROM value", &x, &fx) != 0 ||
	    query_int(db, "SELECT max(period) FROM value", &y, &fy) != 0)
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

int store_load_series(struct store *st, struct series **out)
{
	sqlite3 *db = st->db;
	sqlite3_stmt *q = NULL;
	struct series_builder *sb = NULL;
	int32_t *umap = NULL, *imap = NULL, pmin, pmax;
	int64_t nu = 0, ni = 0;
	int rc = SQLITE_ERROR, own = sqlite3_get_autocommit(db);

	*out = NULL;
	/* One read transaction: the range, names and values agree. */
	if (own && exec(db, "BEGIN") != 0)
		return -1;
	if (load_range(db, &pmin, &pmax) != 0)
		goto out;
	if (!(sb = sb_new(st->gran, pmin, pmax)))
		goto out;
	if (load_names(db, "SELECT id, path FROM unit", sb, 1, &umap, &nu) != 0 ||
	    load_names(db, "SELECT id, name FROM indicator", sb, 0, &imap, &ni) != 0)
		goto out;
	if (sqlite3_prepare_v2(db, "SELECT unit, indicator, period, value FROM value",
	    -1, &q, NULL) != SQLITE_OK)
		goto out;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t u = sqlite3_column_int64(q, 0), i = sqlite3_column_int64(q, 1);
		if (u < 0 || u >= nu || i < 0 || i >= ni || umap[u] < 0 || imap[i] < 0)
			continue;
		sb_set(sb, (uint32_t)umap[u], (uint32_t)imap[i],
		    sqlite3_column_int(q, 2), sqlite3_column_double(q, 3));
	}
	if (rc != SQLITE_DONE)
		goto out;
	*out = sb_finish(sb);
	sb = NULL;
	if (!*out)
		rc = SQLITE_NOMEM;
out:
	sqlite3_finalize(q);
	if (own)
		exec(db, "COMMIT");
	sb_free(sb);
	free(umap);
	free(imap);
	return *out ? 0 : -1;
}

int store_meta_get(struct store *st, const char *key, char **value)
{
	return meta_get(st->db, key, value);
}

int store_meta_set(struct store *st, const char *key, const char *value)
{
	return meta_set(st->db, key, value);
}

void sha256_hex(const void *buf, size_t len, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	static const char hex[] = "0123456789abcdef";

	if (EVP_Digest(buf, len, md, &n, EVP_sha256(), NULL) != 1)
		n = 0;
	for (unsigned int i = 0; i < n && i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[2 * (n < 32 ? n : 32)] = '\0';
}
