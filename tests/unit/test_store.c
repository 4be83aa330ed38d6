/* The SQLite store: creation mode, migrations, granularity, imports that
 * count what they change, and loading the series back. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vigie/schema.h"
#include "vigie/store.h"

static char dir[64];
static char db[96];

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/vigie-store.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(db, sizeof(db), "%s/v.db", dir);
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(store, .init = setup, .fini = teardown);

static struct store *open_ok(enum granularity g)
{
	struct store *st = NULL;
	char *err = NULL;

	cr_assert_eq(store_open(db, g, &st, &err), 0, "%s", err ? err : "");
	return st;
}

static void parse(const char *text, struct import_batch *b)
{
	struct diags d = { 0 };

	cr_assert_eq(csv_parse("t.csv", text, strlen(text), GRAN_MONTH, b, &d), 0);
	diags_free(&d);
}

Test(store, creates_the_database_with_mode_0600)
{
	mode_t old = umask(022);
	struct store *st = open_ok(GRAN_MONTH);
	struct stat sb;

	umask(old);
	cr_assert_eq(stat(db, &sb), 0);
	cr_assert_eq(sb.st_mode & 0777, 0600);
	sqlite3_stmt *q;
	cr_assert_eq(sqlite3_prepare_v2(store_db(st), "PRAGMA user_version", -1, &q, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(q), SQLITE_ROW);
	cr_assert_eq(sqlite3_column_int(q, 0), schema_version);
	sqlite3_finalize(q);
	cr_assert_eq(sqlite3_prepare_v2(store_db(st), "PRAGMA journal_mode", -1, &q, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(q), SQLITE_ROW);
	cr_assert_str_eq((const char *)sqlite3_column_text(q, 0), "wal");
	sqlite3_finalize(q);
	/* The WAL file, once there, is private too. */
	cr_assert_eq(store_meta_set(st, "k", "v"), 0);
	char wal[128];
	snprintf(wal, sizeof(wal), "%s-wal", db);
	cr_assert_eq(stat(wal, &sb), 0);
	cr_assert_eq(sb.st_mode & 0777, 0600);
	store_close(st);
}

Test(store, reopening_keeps_data_and_refuses_the_other_granularity)
{
	struct store *st = open_ok(GRAN_MONTH);
	char *err = NULL, *v = NULL;

	cr_assert_eq(store_meta_set(st, "last_eval_gen", "7"), 0);
	store_close(st);
	st = open_ok(GRAN_MONTH);
	cr_assert_eq(store_meta_get(st, "last_eval_gen", &v), 0);
	cr_assert_str_eq(v, "7");
	free(v);
	cr_assert_eq(store_meta_get(st, "nothing", &v), 1);
	cr_assert_eq(store_granularity(st), GRAN_MONTH);
	store_close(st);

	st = NULL;
	cr_assert_eq(store_open(db, GRAN_WEEK, &st, &err), -1);
	cr_assert_null(st);
	char want[256];
	snprintf(want, sizeof(want), "database %s holds months but the configuration "
	    "says period: week (use a separate database for each granularity)", db);
	cr_assert_str_eq(err, want);
	free(err);
}

Test(store, refuses_a_database_newer_than_this_binary)
{
	struct store *st = open_ok(GRAN_MONTH);
	char *err = NULL, sql[64];

	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", schema_version + 1);
	cr_assert_eq(sqlite3_exec(store_db(st), sql, NULL, NULL, NULL), SQLITE_OK);
	store_close(st);
	cr_assert_eq(store_open(db, GRAN_MONTH, &st, &err), -1);
	char want[256];
	snprintf(want, sizeof(want), "database %s has schema version %d, newer than "
	    "this vigie understands (%d): upgrade vigie", db, schema_version + 1,
	    schema_version);
	cr_assert_str_eq(err, want);
	free(err);
}

Test(store, reports_an_unwritable_place)
{
	struct store *st = NULL;
	char *err = NULL;

	cr_assert_eq(store_open("/nonexistent-dir/v.db", GRAN_MONTH, &st, &err), -1);
	cr_assert_str_eq(err, "cannot create database /nonexistent-dir/v.db: No such file or directory");
	free(err);
}

Test(store, import_counts_added_replaced_unchanged_and_logs)
{
	struct store *st = open_ok(GRAN_MONTH);
	struct import_batch b;
	struct import_stats s;
	char sha[65];

	cr_assert_eq(store_data_generation(st), 0);
	cr_assert_eq(store_latest_period(st), -1);
	cr_assert_eq(store_last_import_time(st), 0);
	parse("unit,period,x,y\na/t1,2025-01,1,2\na/t2,2025-02,3,\n", &b);
	sha256_hex("abc", 3, sha);
	cr_assert_str_eq(sha, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	cr_assert_eq(store_import(st, "one.csv", sha, &b, &s), 0);
	import_batch_free(&b);
	cr_assert_eq(s.rows, 2);
	cr_assert_eq(s.values, 3);
	cr_assert_eq(s.added, 3);
	cr_assert_eq(s.replaced + s.unchanged, 0);
	cr_assert_eq(store_data_generation(st), 1);
	cr_assert_eq(store_latest_period(st), 2025 * 12 + 1);
	cr_assert_gt(store_last_import_time(st), 0);

	/* A correction: one changed, one the same, one new (earlier period). */
	parse("unit,period,indicator,value\na/t1,2025-01,x,1.5\na/t1,2025-01,y,2\n"
	    "b,2024-12,x,9\n", &b);
	cr_assert_eq(store_import(st, "fix.csv", sha, &b, &s), 0);
	import_batch_free(&b);
	cr_assert_eq(s.added, 1);
	cr_assert_eq(s.replaced, 1);
	cr_assert_eq(s.unchanged, 1);
	cr_assert_eq(store_data_generation(st), 2);

	sqlite3_stmt *q;
	cr_assert_eq(sqlite3_prepare_v2(store_db(st), "SELECT source, rows, vals, added, "
	    "replaced, unchanged FROM import_log ORDER BY id", -1, &q, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(q), SQLITE_ROW);
	cr_assert_str_eq((const char *)sqlite3_column_text(q, 0), "one.csv");
	cr_assert_eq(sqlite3_step(q), SQLITE_ROW);
	cr_assert_str_eq((const char *)sqlite3_column_text(q, 0), "fix.csv");
	cr_assert_eq(sqlite3_column_int(q, 1), 3);
	cr_assert_eq(sqlite3_column_int(q, 2), 3);
	cr_assert_eq(sqlite3_column_int(q, 3), 1);
	cr_assert_eq(sqlite3_column_int(q, 4), 1);
	cr_assert_eq(sqlite3_column_int(q, 5), 1);
	sqlite3_finalize(q);

	struct series *sr = NULL;
	cr_assert_eq(store_load_series(st, &sr), 0);
	cr_assert_eq(sr->p0, 2024 * 12 + 11);
	cr_assert_eq(sr->np, 3);
	int32_t x = series_indicator(sr, "x"), y = series_indicator(sr, "y");
	int32_t a = series_unit(sr, "a"), t1 = series_unit(sr, "a/t1");
	cr_assert(a >= 0 && t1 >= 0 && x >= 0 && y >= 0);
	cr_assert_float_eq(series_get(sr, t1, x, 2025 * 12), 1.5, 0);
	cr_assert_float_eq(series_get(sr, a, x, 2025 * 12), 1.5, 0);
	cr_assert_float_eq(series_get(sr, a, x, 2025 * 12 + 1), 3, 0);
	cr_assert_float_eq(series_get(sr, series_unit(sr, "b"), x, 2024 * 12 + 11), 9, 0);
	cr_assert(isnan(series_get(sr, a, y, 2025 * 12 + 1)));
	series_free(sr);
	store_close(st);
}

Test(store, import_inside_an_open_transaction_is_undone_by_its_rollback)
{
	struct store *st = open_ok(GRAN_MONTH);
	struct import_batch b;
	struct import_stats s;

	parse("unit,period,x\na,2025-01,1\n", &b);
	cr_assert_eq(store_begin(st), 0);
	cr_assert_eq(store_import(st, "t.csv", "00", &b, &s), 0);
	store_rollback(st);
	import_batch_free(&b);
	cr_assert_eq(store_data_generation(st), 0);
	cr_assert_eq(store_latest_period(st), -1);
	store_close(st);
}

Test(store, loads_an_empty_database)
{
	struct store *st = open_ok(GRAN_WEEK);
	struct series *sr = NULL;

	cr_assert_eq(store_load_series(st, &sr), 0);
	cr_assert_eq(sr->nunits, 0);
	cr_assert_eq(sr->np, 0);
	cr_assert_eq(sr->gran, GRAN_WEEK);
	series_free(sr);
	store_close(st);
}
