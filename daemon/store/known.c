/* What imports have stored, read only (include/vigie/store.h): the names of
 * indicators and units, and a read-only handle for vigie import
 * --dry-run, which must neither create nor migrate the database. */
#include <stdlib.h>
#include <string.h>
#include "store_impl.h"
#include "vigie/xalloc.h"

/* Appends the text of the first column of each row of sql to *v. */
static int db_strings(sqlite3 *db, const char *sql, char ***v, size_t *n)
{
	sqlite3_stmt *q = NULL;
	size_t cap = *n;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		return -1;
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

int store_indicator_names(const char *path, char ***v, size_t *n)
{
	sqlite3 *db = NULL;
	int rc = -1;

	*v = NULL;
	*n = 0;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK)
		rc = db_strings(db, "SELECT name FROM indicator ORDER BY id", v, n) == 0 ||
		    *n ? 0 : -1;
	sqlite3_close(db);
	return rc;
}

int store_open_readonly(const char *path, struct store **out)
{
	struct store *st = xcalloc(1, sizeof(*st));
	sqlite3_stmt *q = NULL;

	*out = NULL;
	/* A database not created yet, or not one of Vigie's: nothing known. */
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
	    NULL) != SQLITE_OK || sqlite3_prepare_v2(st->db,
	    "SELECT 1 FROM unit, indicator, series LIMIT 1", -1, &q, NULL) != SQLITE_OK) {
		sqlite3_finalize(q);
		sqlite3_close(st->db);
		free(st);
		return -1;
	}
	sqlite3_finalize(q);
	sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT_MS);
	st->path = xstrdup(path);
	*out = st;
	return 0;
}

int store_names(struct store *st, char ***inds, size_t *ninds, char ***units,
    size_t *nunits)
{
	*inds = *units = NULL;
	*ninds = *nunits = 0;
	return db_strings(st->db, "SELECT name FROM indicator ORDER BY id", inds,
	    ninds) != 0 || db_strings(st->db, "SELECT path FROM unit ORDER BY path",
	    units, nunits) != 0 ? -1 : 0;
}
