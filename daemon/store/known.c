/* What imports have stored, read only (include/vigie/store.h): the names of
 * indicators and units, one unit's stored series of an indicator, and a
 * read-only handle for vigie import
 * --dry-run, which must neither create nor migrate the database. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "store_impl.h"
#include "vigie/xalloc.h"

/* Appends the first column of q's rows to *v (*n of them), and finalizes
 * q: 0, or -1. */
static int strings_of(sqlite3_stmt *q, char ***v, size_t *n)
{
	size_t cap = *n;
	int rc;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			*v = xreallocarray(*v, cap, sizeof(**v));
		}
		(*v)[(*n)++] = xstrdup((const char *)sqlite3_column_text(q, 0));
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The same for the rows of sql. */
static int db_strings(sqlite3 *db, const char *sql, char ***v, size_t *n)
{
	sqlite3_stmt *q = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		return -1;
	return strings_of(q, v, n);
}

/* The strings of sql in the database at path, read only. */
static int read_strings(const char *path, const char *sql, char ***v, size_t *n)
{
	sqlite3 *db = NULL;
	int rc = -1;

	*v = NULL;
	*n = 0;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK)
		rc = db_strings(db, sql, v, n) == 0 || *n ? 0 : -1;
	sqlite3_close(db);
	return rc;
}

int store_indicator_names(const char *path, char ***v, size_t *n)
{
	return read_strings(path, "SELECT name FROM indicator ORDER BY id", v, n);
}

int store_unit_names(const char *path, char ***v, size_t *n)
{
	return read_strings(path, "SELECT path FROM unit ORDER BY path", v, n);
}

/* Whether opening path for an import could create it: its folder exists
 * and may be written. */
static int creatable(const char *path, char **err)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	int rc = 0;

	if (slash)
		slash[slash == dir] = '\0';	/* "/x.db": the root */
	if (access(slash ? dir : ".", W_OK | X_OK) != 0) {
		*err = db_msg("cannot create database %s: %s", path, strerror(errno));
		rc = -1;
	}
	free(dir);
	return rc;
}

int store_open_readonly(const char *path, struct store **out, char **err)
{
	struct store *st;
	struct stat sb;
	sqlite3_stmt *q = NULL;

	*out = NULL;
	*err = NULL;
	if (stat(path, &sb) != 0) {
		if (errno != ENOENT) {
			*err = db_msg("cannot open database %s: %s", path, strerror(errno));
			return -1;
		}
		return creatable(path, err) ? -1 : 1;
	}
	if (S_ISDIR(sb.st_mode)) {
		*err = db_msg("cannot open database %s: %s", path, strerror(EISDIR));
		return -1;
	}
	if (S_ISREG(sb.st_mode) && sb.st_size == 0)
		return 1;	/* created, never written: the import fills it */
	st = xcalloc(1, sizeof(*st));
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
	    NULL) != SQLITE_OK || sqlite3_prepare_v2(st->db,
	    "SELECT count(*) FROM sqlite_master", -1, &q, NULL) != SQLITE_OK) {
		*err = db_msg("cannot open database %s: %s", path,
		    st->db ? db_errmsg(st->db) : "out of memory");
		goto none;
	}
	sqlite3_finalize(q);
	q = NULL;
	/* A database of SQLite's that an import has not used yet: the import
	 * would give it Vigie's tables; nothing is known. */
	if (sqlite3_prepare_v2(st->db, "SELECT 1 FROM unit, indicator, series "
	    "LIMIT 1", -1, &q, NULL) != SQLITE_OK)
		goto none;
	sqlite3_finalize(q);
	sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT_MS);
	st->path = xstrdup(path);
	*out = st;
	return 0;
none:
	sqlite3_finalize(q);
	sqlite3_close(st->db);
	free(st);
	return *err ? -1 : 1;
}

int store_names(struct store *st, char ***inds, size_t *ninds, char ***units,
    size_t *nunits)
{
	*inds = *units = NULL;
	*ninds = *nunits = 0;
	if (db_strings(st->db, "SELECT name FROM indicator ORDER BY id", inds,
	    ninds) == 0 && db_strings(st->db, "SELECT path FROM unit ORDER BY path",
	    units, nunits) == 0)
		return 0;
	store_names_free(*inds, *ninds);
	store_names_free(*units, *nunits);
	*inds = *units = NULL;
	*ninds = *nunits = 0;
	return -1;
}

void store_names_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int store_series_get(struct store *st, const char *unit, const char *ind,
    int32_t *p0, double **vals, size_t *n)
{
	sqlite3_stmt *q = NULL;
	int rc = -1;

	*vals = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(st->db, "SELECT s.p0, s.vals FROM series s"
	    " JOIN unit u ON u.id = s.unit JOIN indicator i ON i.id = s.indicator"
	    " WHERE u.path = ?1 AND i.name = ?2", -1, &q, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(q, 1, unit, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, ind, -1, SQLITE_STATIC);
	switch (sqlite3_step(q)) {
	case SQLITE_ROW:
		*p0 = (int32_t)sqlite3_column_int64(q, 0);
		*n = (size_t)sqlite3_column_bytes(q, 1) / sizeof(double);
		*vals = xcalloc(*n ? *n : 1, sizeof(double));
		if (*n)
			db_vals_decode(sqlite3_column_blob(q, 1), *n, *vals);
		rc = 1;
		break;
	case SQLITE_DONE:
		rc = 0;
		break;
	}
	sqlite3_finalize(q);
	return rc;
}

int store_indicators_ending(struct store *st, const char *unit, int32_t period,
    char ***v, size_t *n)
{
	sqlite3_stmt *q = NULL;

	*v = NULL;
	*n = 0;
	/* A series is trimmed (schema.c): its last entry is its last value. */
	if (sqlite3_prepare_v2(st->db, "SELECT i.name FROM series s JOIN indicator i"
	    " ON i.id = s.indicator WHERE s.unit = (SELECT id FROM unit WHERE path = ?1)"
	    " AND s.p0 + length(s.vals) / 8 - 1 = ?2 ORDER BY i.name", -1, &q,
	    NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(q, 1, unit, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, period);
	if (strings_of(q, v, n) == 0)
		return 0;
	store_names_free(*v, *n);
	*v = NULL;
	*n = 0;
	return -1;
}

/* The value column col of q's row holds, "substr(s.vals, (P - s.p0) * 8
 * + 1, 8)": one value of a series' blob, not the blob. False when none
 * (NaN, or no 8 bytes). */
static bool blob_value(sqlite3_stmt *q, int col, double *x)
{
	if (sqlite3_column_bytes(q, col) != 8)
		return false;
	db_vals_decode(sqlite3_column_blob(q, col), 1, x);
	return !isnan(*x);
}

int store_values_at(struct store *st, const char *unit, int32_t period,
    char ***inds, double **vals, size_t *n)
{
	sqlite3_stmt *q = NULL;
	size_t cap = 0;
	int rc;

	*inds = NULL;
	*vals = NULL;
	*n = 0;
	/* The one value of the blob, not the blob. */
	if (sqlite3_prepare_v2(st->db, "SELECT i.name, substr(s.vals, (?2 - s.p0) * 8"
	    " + 1, 8) FROM series s JOIN indicator i ON i.id = s.indicator"
	    " WHERE s.unit = (SELECT id FROM unit WHERE path = ?1) AND s.p0 <= ?2"
	    " AND s.p0 + length(s.vals) / 8 > ?2 ORDER BY i.name", -1, &q,
	    NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(q, 1, unit, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, period);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		double v;

		if (!blob_value(q, 1, &v))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*inds = xreallocarray(*inds, cap, sizeof(**inds));
			*vals = xreallocarray(*vals, cap, sizeof(**vals));
		}
		(*inds)[*n] = xstrdup((const char *)sqlite3_column_text(q, 0));
		(*vals)[(*n)++] = v;
	}
	sqlite3_finalize(q);
	if (rc == SQLITE_DONE)
		return 0;
	store_names_free(*inds, *n);
	free(*vals);
	*inds = NULL;
	*vals = NULL;
	*n = 0;
	return -1;
}

int store_period_units(struct store *st, int32_t period, const char *indicator,
    struct period_unit **v, size_t *n)
{
	sqlite3_stmt *q = NULL;
	size_t cap = 0;
	int rc;

	*v = NULL;
	*n = 0;
	/* Rows in path order: one unit's rows follow each other. */
	if (sqlite3_prepare_v2(st->db, "SELECT u.path, i.name = 'headcount',"
	    " substr(s.vals, (?1 - s.p0) * 8 + 1, 8) FROM series s"
	    " JOIN unit u ON u.id = s.unit JOIN indicator i ON i.id = s.indicator"
	    " WHERE s.p0 <= ?1 AND s.p0 + length(s.vals) / 8 > ?1"
	    " AND (?2 IS NULL OR i.name IN (?2, 'headcount')) ORDER BY u.path",
	    -1, &q, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int(q, 1, period);
	if (indicator)
		sqlite3_bind_text(q, 2, indicator, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *path = (const char *)sqlite3_column_text(q, 0);
		struct period_unit *u;
		double x;

		if (!blob_value(q, 2, &x))
			continue;
		if (*n == 0 || strcmp((*v)[*n - 1].path, path)) {
			if (*n == cap) {
				cap = cap ? cap * 2 : 64;
				*v = xreallocarray(*v, cap, sizeof(**v));
			}
			(*v)[(*n)++] = (struct period_unit){ xstrdup(path), NAN, false };
		}
		u = &(*v)[*n - 1];
		if (sqlite3_column_int(q, 1))
			u->headcount = x;
		else
			u->valued = true;
	}
	sqlite3_finalize(q);
	if (rc == SQLITE_DONE)
		return 0;
	store_period_units_free(*v, *n);
	*v = NULL;
	*n = 0;
	return -1;
}

void store_period_units_free(struct period_unit *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].path);
	free(v);
}
