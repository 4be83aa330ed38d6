/* A second connection to a store's database file, as an administrator's
 * sqlite3 shell would open it: the unit tests prepare and inspect rows
 * through it, never through the store's handle (whose API hands out no
 * SQLite type). WAL lets it read while the store holds the file. */
#ifndef VIGIE_TESTDB_H
#define VIGIE_TESTDB_H

#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include "vigie/store.h"

static inline sqlite3 *tdb_open(const char *path)
{
	sqlite3 *db = NULL;

	cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK,
	    "%s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
	sqlite3_busy_timeout(db, 10000);
	return db;
}

/* Runs sql (one or more statements). */
static inline void tdb_exec(const char *path, const char *sql)
{
	sqlite3 *db = tdb_open(path);
	char *err = NULL;

	cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, &err), SQLITE_OK, "%s: %s", sql,
	    err ? err : "");
	sqlite3_close(db);
}

/* The first column of the first row as an integer, -1 when there is none. */
static inline long long tdb_int(const char *path, const char *sql)
{
	sqlite3 *db = tdb_open(path);
	sqlite3_stmt *q;
	long long v = -1;

	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK, "%s: %s", sql,
	    sqlite3_errmsg(db));
	if (sqlite3_step(q) == SQLITE_ROW)
		v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return v;
}

/* The first column of the first row as a new string, NULL when there is
 * none or it is NULL. */
static inline char *tdb_text(const char *path, const char *sql)
{
	sqlite3 *db = tdb_open(path);
	sqlite3_stmt *q;
	char *v = NULL;

	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK, "%s: %s", sql,
	    sqlite3_errmsg(db));
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
		v = strdup((const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	sqlite3_close(db);
	return v;
}

/* A new store in a fresh directory /tmp/vigie-TAG.XXXXXX (dir: 64 bytes,
 * db: 96, its database file): the fixture of the suites that test one
 * table group. tdb_store_free closes it and removes the directory. */
static inline struct store *tdb_store_new(const char *tag, char *dir, char *db)
{
	struct store *st = NULL;
	char *err = NULL;

	snprintf(dir, 64, "/tmp/vigie-%s.XXXXXX", tag);
	cr_assert_not_null(mkdtemp(dir));
	snprintf(db, 96, "%s/v.db", dir);
	cr_assert_eq(store_open(db, GRAN_MONTH, &st, &err), 0, "%s", err ? err : "");
	return st;
}

static inline void tdb_store_free(struct store *st, const char *dir)
{
	char cmd[128];

	store_close(st);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

#endif
