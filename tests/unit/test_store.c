/* The SQLite store: creation mode, migrations, granularity, imports that
 * count what they change, and loading the series back. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "vigie/schema.h"
#include "vigie/csv.h"
#include "vigie/series.h"
#include "vigie/store.h"
#include "vigie/store_audit.h"
#include "testdb.h"

static char dir[64];
static char db[96];

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/vigie-store.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(db, sizeof(db), "%s/v.db", dir);
}

/* A second connection to the file, as the sqlite3 shell would open it. */
static sqlite3 *side;

static sqlite3 *side_db(void)
{
	if (!side)
		side = tdb_open(db);
	return side;
}

static void teardown(void)
{
	char cmd[128];

	if (side)
		sqlite3_close(side);
	side = NULL;
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

	cr_assert_eq(csv_parse("t.csv", text, strlen(text), GRAN_MONTH, CSV_ANY_PERIOD, b, &d), 0);
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
	cr_assert_eq(sqlite3_prepare_v2(side_db(), "PRAGMA user_version", -1, &q, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(q), SQLITE_ROW);
	cr_assert_eq(sqlite3_column_int(q, 0), schema_version);
	sqlite3_finalize(q);
	cr_assert_eq(sqlite3_prepare_v2(side_db(), "PRAGMA journal_mode", -1, &q, NULL), SQLITE_OK);
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
	cr_assert_eq(store_open(db, GRAN_WEEK, &st, &err), STORE_EMISMATCH);
	cr_assert_null(st);
	char want[256];
	snprintf(want, sizeof(want), "database %s holds months but the configuration "
	    "says period: week (use a separate database for each granularity)", db);
	cr_assert_str_eq(err, want);
	free(err);
}

static int64_t side_count(const char *sql)
{
	sqlite3_stmt *q;
	int64_t n;

	cr_assert_eq(sqlite3_prepare_v2(side_db(), sql, -1, &q, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(q), SQLITE_ROW);
	n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return n;
}

/* SPEC 2: units exist because data names them. A wide row whose cells are
 * all empty, or a column left empty, names no value: no unit, no
 * indicator; those stored so before are dropped by the migration. */
Test(store, a_row_without_a_value_creates_no_unit)
{
	struct store *st = open_ok(GRAN_MONTH);
	struct import_batch b = { 0 };
	char sql[64];

	parse("unit,period,x,y\nacme/a,2025-01,1,\nacme/ghost,2025-01,,\n", &b);
	cr_assert_eq(store_import(st, "a.csv", NULL, "aaaa", &b, NULL), 0);
	import_batch_free(&b);
	cr_expect_eq(side_count("SELECT count(*) FROM unit WHERE path = 'acme/ghost'"), 0);
	cr_expect_eq(side_count("SELECT count(*) FROM unit"), 1);
	cr_expect_eq(side_count("SELECT count(*) FROM indicator WHERE name = 'y'"), 0);
	store_close(st);
	/* A ghost stored by a version before migration 11, and the
	 * migrations from there (12, 14, 15, 16, 17, 18, 19, 20, 21 and 22
	 * undone first: they add columns, a table and indexes). */
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", 10);
	cr_assert_eq(sqlite3_exec(side_db(), "INSERT INTO unit(path) VALUES('acme/old');"
	    "INSERT INTO indicator(name) VALUES('z');"
	    "ALTER TABLE note DROP COLUMN edited_at;"
	    "ALTER TABLE import_log DROP COLUMN actor;"
	    "ALTER TABLE import_log DROP COLUMN via;"
	    "ALTER TABLE import_log DROP COLUMN warnings;"
	    "ALTER TABLE import_log DROP COLUMN warning_text;"
	    "ALTER TABLE import_log DROP COLUMN untold;"
	    "ALTER TABLE alert DROP COLUMN acked_role;"
	    "ALTER TABLE message_item DROP COLUMN catchup;"
	    "DROP INDEX message_target;" "DROP INDEX event_inhibit_held;"
	    "ALTER TABLE event DROP COLUMN file;"
	    "ALTER TABLE event DROP COLUMN inhibited_by;"
	    "DROP TABLE kept_hidden", NULL, NULL, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(side_db(), sql, NULL, NULL, NULL), SQLITE_OK);
	st = open_ok(GRAN_MONTH);
	cr_expect_eq(side_count("SELECT count(*) FROM unit"), 1);
	cr_expect_eq(side_count("SELECT count(*) FROM indicator"), 1);
	store_close(st);
}

Test(store, refuses_a_database_newer_than_this_binary)
{
	struct store *st = open_ok(GRAN_MONTH);
	char *err = NULL, sql[64];

	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", schema_version + 1);
	cr_assert_eq(sqlite3_exec(side_db(), sql, NULL, NULL, NULL), SQLITE_OK);
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
	cr_assert_eq(store_import(st, "one.csv", NULL, sha, &b, &s), 0);
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
	cr_assert_eq(store_import(st, "fix.csv", NULL, sha, &b, &s), 0);
	import_batch_free(&b);
	cr_assert_eq(s.added, 1);
	cr_assert_eq(s.replaced, 1);
	cr_assert_eq(s.unchanged, 1);
	cr_assert_eq(store_data_generation(st), 2);

	sqlite3_stmt *q;
	cr_assert_eq(sqlite3_prepare_v2(side_db(), "SELECT source, rows, vals, added, "
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
	cr_assert_eq(store_import(st, "t.csv", NULL, "00", &b, &s), 0);
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

/* The stored bytes of one series row; p0 in *p0, length in *len. */
static void *series_row(struct store *st, const char *unit, const char *ind,
    int *p0, int *len)
{
	sqlite3_stmt *q;
	void *copy = NULL;

	cr_assert_eq(sqlite3_prepare_v2(side_db(), "SELECT s.p0, s.vals FROM series s "
	    "JOIN unit u ON u.id = s.unit JOIN indicator i ON i.id = s.indicator "
	    "WHERE u.path = ? AND i.name = ?", -1, &q, NULL), SQLITE_OK);
	sqlite3_bind_text(q, 1, unit, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, ind, -1, SQLITE_STATIC);
	cr_assert_eq(sqlite3_step(q), SQLITE_ROW, "no series %s/%s", unit, ind);
	*p0 = sqlite3_column_int(q, 0);
	*len = sqlite3_column_bytes(q, 1);
	copy = malloc((size_t)*len + 1);
	memcpy(copy, sqlite3_column_blob(q, 1), (size_t)*len);
	cr_assert_eq(sqlite3_step(q), SQLITE_DONE);
	sqlite3_finalize(q);
	return copy;
}

static void import_ok(struct store *st, const char *text, struct import_stats *s)
{
	struct import_batch b;

	parse(text, &b);
	cr_assert_eq(store_import(st, "t.csv", NULL, "00", &b, s), 0, "%s", store_errmsg(st));
	import_batch_free(&b);
}

/* Little-endian bytes of 1.0, a quiet NaN and 4.0 etc. */
#define LE_1   "\x00\x00\x00\x00\x00\x00\xf0\x3f"
#define LE_4   "\x00\x00\x00\x00\x00\x00\x10\x40"
#define LE_0_5 "\x00\x00\x00\x00\x00\x00\xe0\x3f"
#define LE_2_5 "\x00\x00\x00\x00\x00\x00\x04\x40"
#define LE_NAN "\x00\x00\x00\x00\x00\x00\xf8\x7f"

Test(store, packs_each_unit_and_indicator_into_one_row_with_nan_holes)
{
	struct store *st = open_ok(GRAN_MONTH);
	struct import_stats s;
	int p0, len;
	void *v;

	import_ok(st, "unit,period,x\na/t1,2025-01,1\na/t1,2025-04,4\n", &s);
	cr_assert_eq(s.added, 2);
	v = series_row(st, "a/t1", "x", &p0, &len);
	cr_assert_eq(p0, 2025 * 12);
	cr_assert_eq(len, 32);
	cr_assert_eq(memcmp(v, LE_1 LE_NAN LE_NAN LE_4, 32), 0);
	free(v);

	/* Widened on both sides, a hole filled, one value replaced. */
	import_ok(st, "unit,period,x\na/t1,2024-12,0.5\na/t1,2025-02,2.5\n"
	    "a/t1,2025-04,1\na/t1,2025-01,1\n", &s);
	cr_assert_eq(s.added, 2);
	cr_assert_eq(s.replaced, 1);
	cr_assert_eq(s.unchanged, 1);
	v = series_row(st, "a/t1", "x", &p0, &len);
	cr_assert_eq(p0, 2024 * 12 + 11);
	cr_assert_eq(len, 40);
	cr_assert_eq(memcmp(v, LE_0_5 LE_1 LE_2_5 LE_NAN LE_1, 40), 0);
	free(v);
	cr_assert_eq(store_count_values(st), 4);
	cr_assert_eq(store_latest_period(st), 2025 * 12 + 3);

	struct series *sr = NULL;
	cr_assert_eq(store_load_series(st, &sr), 0);
	cr_assert_eq(sr->p0, 2024 * 12 + 11);
	cr_assert_eq(sr->np, 5);
	int32_t t1 = series_unit(sr, "a/t1"), x = series_indicator(sr, "x");
	cr_assert_float_eq(series_get(sr, t1, x, 2024 * 12 + 11), 0.5, 0);
	cr_assert_float_eq(series_get(sr, t1, x, 2025 * 12 + 1), 2.5, 0);
	cr_assert(isnan(series_get(sr, t1, x, 2025 * 12 + 2)));
	cr_assert_float_eq(series_get(sr, t1, x, 2025 * 12 + 3), 1, 0);
	cr_assert_eq(sr->last[t1], 2025 * 12 + 3);
	series_free(sr);
	store_close(st);
}

Test(store, reimporting_the_same_values_writes_only_the_log)
{
	struct store *st = open_ok(GRAN_MONTH);
	struct import_stats s;
	const char *csv = "unit,period,x,y\na/t1,2025-01,1,2\na/t1,2025-02,3,4\n"
	    "a/t2,2025-01,5,6\n";

	import_ok(st, csv, &s);
	cr_assert_eq(s.added, 6);
	int64_t before = store_changes(st);
	import_ok(st, csv, &s);
	cr_assert_eq(s.unchanged, 6);
	cr_assert_eq(s.added + s.replaced, 0);
	/* One row: the import_log entry; no series row, no meta range. */
	cr_assert_eq(store_changes(st) - before, 1);
	store_close(st);
}

Test(store, finds_the_period_range_from_the_rows_when_meta_lacks_it)
{
	struct store *st = open_ok(GRAN_WEEK);
	struct import_stats s;
	struct import_batch b;
	struct diags d = { 0 };
	const char *csv = "unit,period,x\na,2025-W02,1\na,2025-W05,2\nb,2025-W03,7\n";

	cr_assert_eq(csv_parse("w.csv", csv, strlen(csv), GRAN_WEEK, CSV_ANY_PERIOD, &b, &d), 0);
	diags_free(&d);
	cr_assert_eq(store_import(st, "w.csv", NULL, "00", &b, &s), 0);
	int32_t w2 = b.pmin, w5 = b.pmax;
	import_batch_free(&b);
	cr_assert_eq(w5 - w2, 3);
	cr_assert_eq(sqlite3_exec(side_db(), "DELETE FROM meta WHERE key IN "
	    "('pmin', 'pmax')", NULL, NULL, NULL), SQLITE_OK);
	cr_assert_eq(store_latest_period(st), w5);
	struct series *sr = NULL;
	cr_assert_eq(store_load_series(st, &sr), 0);
	cr_assert_eq(sr->p0, w2);
	cr_assert_eq(sr->np, 4);
	int32_t x = series_indicator(sr, "x");
	cr_assert_float_eq(series_get(sr, series_unit(sr, "a"), x, w5), 2, 0);
	cr_assert_float_eq(series_get(sr, series_unit(sr, "b"), x, w2 + 1), 7, 0);
	cr_assert(isnan(series_get(sr, series_unit(sr, "a"), x, w2 + 1)));
	series_free(sr);
	store_close(st);
}

Test(store, refuses_a_batch_with_one_value_twice_and_writes_nothing)
{
	struct store *st = open_ok(GRAN_MONTH);
	char *units[] = { "a" }, *inds[] = { "x" };
	struct import_record recs[] = {
		{ 0, 0, 2025 * 12, 1 }, { 0, 0, 2025 * 12 + 1, 2 }, { 0, 0, 2025 * 12 + 1, 3 },
	};
	struct import_batch b = { .gran = GRAN_MONTH, .units = units, .nunits = 1,
		.inds = inds, .ninds = 1, .recs = recs, .nrecs = 3, .rows = 3,
		.pmin = 2025 * 12, .pmax = 2025 * 12 + 1 };
	struct import_stats s;

	cr_assert_eq(store_import(st, "t.csv", NULL, "00", &b, &s), -1);
	cr_assert_str_eq(store_errmsg(st), "duplicate value for unit a, period 2025-02, indicator x");
	cr_assert_eq(store_count_values(st), 0);
	cr_assert_eq(store_data_generation(st), 0);
	cr_assert_eq(store_latest_period(st), -1);
	store_close(st);
}

Test(store, one_lock_per_database_and_the_holder_named)
{
	char *err = NULL;
	char lock[128];
	struct stat sb;
	int fd = store_lock(db, 0, &err), fd2;

	cr_assert(fd >= 0, "%s", err ? err : "");
	snprintf(lock, sizeof(lock), "%s.lock", db);
	cr_assert_eq(stat(lock, &sb), 0);
	cr_expect_eq(sb.st_mode & 0777, 0600);
	/* flock locks are per open file: a second one is refused even in this
	 * process, as another process would be, after waiting when asked. */
	fd2 = store_lock(db, 250, &err);
	cr_expect_eq(fd2, STORE_LOCK_BUSY);
	cr_expect(err && strstr(err, "another vigied (pid"), "%s", err ? err : "");
	free(err);
	close(fd);
	fd2 = store_lock(db, 0, &err);
	cr_expect(fd2 >= 0, "free again once closed");
	close(fd2);
}

Test(store, notices_a_database_deleted_or_replaced)
{
	struct store *st = open_ok(GRAN_MONTH);
	char *err = NULL, other[128];

	cr_assert_eq(store_check_file(st, &err), 0);
	snprintf(other, sizeof(other), "%s/other.db", dir);
	cr_assert_eq(link(db, other), 0);
	cr_assert_eq(unlink(db), 0);
	cr_expect_eq(store_check_file(st, &err), -1);
	cr_expect(err && strstr(err, "was deleted"), "%s", err ? err : "");
	free(err);
	/* Put back (the same file): fine; a copy in its place: replaced. */
	cr_assert_eq(link(other, db), 0);
	cr_expect_eq(store_check_file(st, &err), 0);
	cr_assert_eq(unlink(db), 0);
	cr_assert_eq(system("true"), 0);
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", other, db);
	cr_assert_eq(system(cmd), 0);
	cr_expect_eq(store_check_file(st, &err), -1);
	cr_expect(err && strstr(err, "was replaced"), "%s", err ? err : "");
	free(err);
	store_close(st);
}

Test(store, an_import_is_recognised_only_while_nothing_came_since)
{
	struct store *st = open_ok(GRAN_MONTH);
	struct import_batch b = { 0 };
	size_t n;

	parse("unit,period,x\nacme,2025-01,1\n", &b);
	cr_assert_eq(store_import(st, "a.csv", NULL, "aaaa", &b, NULL), 0);
	cr_expect_eq(store_import_seen(st, "a.csv", "aaaa"), 1, "the latest import");
	cr_expect_eq(store_import_seen(st, "a.csv", "ffff"), 0, "other content");
	cr_expect_eq(store_import_seen(st, "b.csv", "aaaa"), 0, "other name");
	/* Another file changed values since: a.csv again is a correction. */
	cr_assert_eq(store_import(st, "fix.csv", NULL, "ffff", &b, NULL), 0);
	cr_expect_eq(store_import_seen(st, "a.csv", "aaaa"), 0, "imported under another name since");
	/* Another version of a.csv, then the first again: a correction. */
	cr_assert_eq(store_import(st, "a.csv", NULL, "bbbb", &b, NULL), 0);
	cr_expect_eq(store_import_seen(st, "a.csv", "aaaa"), 0, "an earlier version");
	cr_expect_eq(store_import_seen(st, "a.csv", "bbbb"), 1);
	/* After a deletion, the same file brings its values back. */
	cr_assert_eq(store_delete_values(st, period_of_date(GRAN_MONTH, 2025, 1, 1), NULL, NULL,
	    "delete", NULL, false, &n), 0);
	cr_assert_eq(n, 1);
	cr_expect_eq(store_import_seen(st, "a.csv", "bbbb"), 0, "deleted since");
	import_batch_free(&b);
	store_close(st);
}

/* The import log says who wrote each row, newest first; rows written
 * before it did (NULL) stay readable. */
Test(store, the_import_log_keeps_who_imported_and_who_deleted)
{
	struct store *st = open_ok(GRAN_MONTH);
	struct import_batch b = { 0 };
	struct store_import_row *v;
	size_t n;

	parse("unit,period,x\nacme,2025-01,1\n", &b);
	cr_assert_eq(store_import(st, "oct.csv", &(struct import_origin){ "rh", "web", NULL },
	    "aaaa", &b, NULL), 0);
	cr_assert_eq(store_delete_values(st, 2025 * 12, NULL, NULL, "vigie delete --period "
	    "2025-01", &(struct import_origin){ "alice", "cli", NULL }, false, &n), 0);
	cr_assert_eq(store_import(st, "paie", &(struct import_origin){ NULL, "source", NULL },
	    "bbbb", &b, NULL), 0);
	cr_assert_eq(store_import(st, "old.csv", NULL, "cccc", &b, NULL), 0);
	cr_assert_eq(store_import_rows(st, 10, &v, &n), 0);
	cr_assert_eq(n, 4);
	cr_expect_str_eq(v[0].source, "old.csv");
	cr_expect_null(v[0].actor);
	cr_expect_null(v[0].via);
	cr_expect_str_eq(v[1].source, "paie");
	cr_expect_null(v[1].actor);
	cr_expect_str_eq(v[1].via, "source");
	cr_expect(v[2].deletion);
	cr_expect_str_eq(v[2].actor, "alice");
	cr_expect_str_eq(v[2].via, "cli");
	cr_expect_str_eq(v[3].source, "oct.csv");
	cr_expect_str_eq(v[3].actor, "rh");
	cr_expect_str_eq(v[3].via, "web");
	store_import_rows_free(v, n);
	import_batch_free(&b);
	store_close(st);
}

/* An import's warnings, added once it is in (the inbox's last ones come
 * at the end of its pass): their number and the first STORE_WARNINGS_KEPT,
 * places and messages as given (a message's colons its own). */
Test(store, the_import_log_keeps_an_imports_warnings)
{
	struct store *st = open_ok(GRAN_MONTH);
	struct import_batch b = { 0 };
	struct import_stats s1, s2;
	struct diags w = { .kind = "warning" };
	struct store_import_row *v;
	size_t n;

	parse("unit,period,x\nacme,2025-01,1\n", &b);
	cr_assert_eq(store_import(st, "oct.csv", NULL, "aaaa", &b, &s1), 0);
	cr_assert_eq(store_import(st, "nov.csv", NULL, "bbbb", &b, &s2), 0);
	cr_assert_neq(s1.log_id, s2.log_id);
	diags_add(&w, "oct.csv", 1, 13, "an indicator: %s", "x");
	diags_add(&w, "oct.csv", 0, 0, "without a place");
	for (int i = 0; i < STORE_WARNINGS_KEPT; i++)
		diags_add(&w, "oct.csv", 2 + i, 1, "unit %d", i);
	w.more = 5;
	cr_assert_eq(store_import_warned(st, s1.log_id, &w), 0);
	diags_free(&w);
	cr_assert_eq(store_import_warned(st, s2.log_id, &w), 0, "nothing to say");
	cr_assert_eq(store_import_rows(st, 10, &v, &n), 0);
	cr_assert_eq(n, 2);
	cr_expect_eq(v[0].nwarnings, 0);
	cr_expect_eq(v[0].warnings.n + v[0].warnings.more, 0);
	cr_expect_eq(v[1].nwarnings, STORE_WARNINGS_KEPT + 2 + 5);
	cr_assert_eq(v[1].warnings.n, STORE_WARNINGS_KEPT);
	cr_expect_eq(v[1].warnings.more, 7);
	cr_expect_eq(v[1].warnings.v[0].line, 1);
	cr_expect_eq(v[1].warnings.v[0].col, 13);
	cr_expect_str_eq(v[1].warnings.v[0].msg, "an indicator: x");
	cr_expect_eq(v[1].warnings.v[1].line, 0);
	cr_expect_str_eq(v[1].warnings.v[1].msg, "without a place");
	cr_expect_eq(v[1].warnings.v[19].line, 19);
	cr_expect_str_eq(v[1].warnings.v[19].msg, "unit 17");
	store_import_rows_free(v, n);
	import_batch_free(&b);
	store_close(st);
}

/* A unit renamed with the units under it: into a path the data already
 * has (its values merged), or a new one; alerts and unit notes follow by
 * path, but an alert of a rule the new path has already; a value at both
 * paths refuses everything. */
Test(store, rename_moves_values_alerts_and_notes_or_nothing)
{
	struct store *st = open_ok(GRAN_MONTH);
	struct import_batch b = { 0 };
	struct rename_stats s;

	parse("unit,period,x,y\na/t1,2025-01,1,2\na/t1,2025-02,3,\na/t2,2025-01,5,6\n"
	    "b/t1,2025-03,7,\n", &b);
	cr_assert_eq(store_import(st, "one.csv", NULL, "aaaa", &b, NULL), 0);
	import_batch_free(&b);
	cr_assert_eq(sqlite3_exec(side_db(), "INSERT INTO alert(rule, unit, active, updated_at)"
	    " VALUES('r', 'a', 1, 0), ('r', 'a/t1', 1, 0), ('q', 'a/t1', 1, 0),"
	    " ('r', 'b/t1', 0, 0);"
	    "INSERT INTO note(at, role, author, unit, body) VALUES(0, 'hr', 'rh', 'a/t2', 'n'),"
	    " (0, 'hr', 'rh', 'ab', 'not under a')", NULL, NULL, NULL), SQLITE_OK);
	/* No data arriving: the last import stays the file's. */
	cr_assert_eq(sqlite3_exec(side_db(), "UPDATE import_log SET at = 1000", NULL, NULL,
	    NULL), SQLITE_OK);
	/* The dry run counts what the rename does. */
	cr_assert_eq(store_rename_units(st, "a", "b", NULL, RENAME_DRY_RUN, &s), 0);
	cr_expect_eq(s.units, 2);
	cr_expect_eq(s.values, 5);
	cr_expect_eq(s.alerts, 2, "r@a and q@a/t1; r@a/t1 meets r@b/t1");
	cr_expect_eq(s.notes, 1);
	cr_expect_eq(side_count("SELECT count(*) FROM unit WHERE path LIKE 'a/%'"), 2);
	cr_assert_eq(store_rename_units(st, "a", "b", NULL, 0, &s), 0);
	cr_expect_eq(s.values, 5);
	cr_expect_eq(side_count("SELECT count(*) FROM unit WHERE path LIKE 'a/%'"), 0);
	cr_expect_eq(side_count("SELECT count(*) FROM unit WHERE path LIKE 'b/%'"), 2);
	/* b/t1: a/t1's January and February, and its own March. */
	cr_expect_eq(side_count("SELECT p0 FROM series s JOIN unit u ON u.id = s.unit"
	    " JOIN indicator i ON i.id = s.indicator WHERE u.path = 'b/t1' AND i.name = 'x'"),
	    2025 * 12);
	cr_expect_eq(side_count("SELECT length(vals) / 8 FROM series s JOIN unit u ON"
	    " u.id = s.unit JOIN indicator i ON i.id = s.indicator WHERE u.path = 'b/t1'"
	    " AND i.name = 'x'"), 3);
	cr_expect_eq(side_count("SELECT count(*) FROM alert WHERE unit = 'b' AND rule = 'r'"), 1);
	cr_expect_eq(side_count("SELECT count(*) FROM alert WHERE unit = 'b/t1'"), 2);
	cr_expect_eq(side_count("SELECT count(*) FROM alert WHERE unit = 'a/t1' AND rule = 'r'"),
	    1, "kept: b/t1 has its own");
	cr_expect_eq(side_count("SELECT count(*) FROM note WHERE unit = 'b/t2'"), 1);
	cr_expect_eq(side_count("SELECT count(*) FROM note WHERE unit = 'ab'"), 1);
	cr_expect_eq(side_count("SELECT count(*) FROM import_log WHERE sha256 = '='"), 1);
	cr_expect_eq(store_last_import_time(st), 1000);
	/* A clash: nothing moves. */
	parse("unit,period,x\nc/t1,2025-03,1\n", &b);
	cr_assert_eq(store_import(st, "two.csv", NULL, "bbbb", &b, NULL), 0);
	import_batch_free(&b);
	cr_assert_eq(store_rename_units(st, "c", "b", NULL, 0, &s), 1);
	cr_expect_str_eq(s.conflict, "c/t1 and b/t1 both have a value of x for 2025-03");
	cr_expect_str_eq(s.clash_indicator, "x");
	cr_expect_eq(s.clash_period, 2025 * 12 + 2);
	rename_stats_free(&s);
	cr_expect_eq(side_count("SELECT count(*) FROM unit WHERE path = 'c/t1'"), 1);
	cr_expect_eq(side_count("SELECT count(*) FROM import_log WHERE sha256 = '='"), 1);
	/* Onto a unit whose children have values at its periods. */
	cr_assert_eq(store_rename_units(st, "c/t1", "b", NULL, 0, &s), 1);
	cr_expect_eq(s.why, RENAME_PARENT);
	rename_stats_free(&s);
	/* Nothing at the old path; a path within the other. */
	cr_assert_eq(store_rename_units(st, "z", "b", NULL, 0, &s), 0);
	cr_expect_eq(s.units, 0);
	cr_assert_eq(store_rename_units(st, "b", "b/x", NULL, 0, &s), 1);
	rename_stats_free(&s);
	/* Two teams merged: their values of the same period added up. */
	cr_assert_eq(store_rename_units(st, "c/t1", "b/t1", NULL, RENAME_SUM, &s), 0);
	cr_expect_eq(s.values, 1);
	cr_expect_eq(s.summed, 1);
	cr_expect_eq(side_count("SELECT count(*) FROM unit WHERE path = 'c/t1'"), 0);
	{
		int32_t p0;
		double *vals;
		size_t n;
		cr_assert_eq(store_series_get(st, "b/t1", "x", &p0, &vals, &n), 1);
		cr_assert_eq(p0, 2025 * 12);
		cr_assert_eq(n, 3);
		cr_expect_float_eq(vals[2], 8.0, 1e-9, "b/t1's 7 and c/t1's 1 in March");
		free(vals);
	}
	store_close(st);
}

/* Which indicators of a unit stop at a period: their last value there,
 * an empty cell after it not counted as a value. */
Test(store, indicators_ending_at_a_period)
{
	struct store *st = open_ok(GRAN_MONTH);
	struct import_batch b = { 0 };
	char **v;
	size_t n;

	parse("unit,period,x,y,z\nacme/a,2025-01,1,1,1\nacme/a,2025-02,2,,2\n"
	    "acme/a,2025-03,,,3\nacme/b,2025-02,1,1,1\n", &b);
	cr_assert_eq(store_import(st, "a.csv", NULL, "aaaa", &b, NULL), 0);
	cr_assert_eq(store_indicators_ending(st, "acme/a", 2025 * 12 + 1, &v, &n), 0);
	cr_assert_eq(n, 1);
	cr_expect_str_eq(v[0], "x");
	store_names_free(v, n);
	cr_assert_eq(store_indicators_ending(st, "acme/a", 2025 * 12, &v, &n), 0);
	cr_assert_eq(n, 1);
	cr_expect_str_eq(v[0], "y");
	store_names_free(v, n);
	cr_assert_eq(store_indicators_ending(st, "acme/none", 2025 * 12, &v, &n), 0);
	cr_expect_eq(n, 0);
	store_names_free(v, n);
	import_batch_free(&b);
	store_close(st);
}

Test(store, delete_values_of_a_period_trims_and_moves_the_range)
{
	struct store *st = open_ok(GRAN_MONTH);
	struct import_batch b = { 0 };
	size_t n = 0;
	int64_t gen;

	parse("unit,period,x,y\nacme/a,2025-01,1,2\nacme/a,2025-02,3,\n"
	    "acme/b,2025-02,5,6\nacme/b,2025-03,7,8\n", &b);
	cr_assert_eq(store_import(st, "t.csv", NULL, "s", &b, NULL), 0);
	import_batch_free(&b);
	cr_assert_eq(store_latest_period(st), 2025 * 12 + 2);
	gen = store_data_generation(st);
	/* A dry run and a miss write nothing. */
	cr_assert_eq(store_delete_values(st, 2025 * 12 + 2, NULL, NULL, "d", NULL, true, &n), 0);
	cr_expect_eq(n, 2);
	cr_assert_eq(store_delete_values(st, 2025 * 12 + 2, "other/**", NULL, "d", NULL, false, &n), 0);
	cr_expect_eq(n, 0);
	cr_expect_eq(store_data_generation(st), gen);
	/* The last period of acme/b: the range ends at 2025-02 again. */
	cr_assert_eq(store_delete_values(st, 2025 * 12 + 2, "acme/*", NULL, "d", NULL, false, &n), 0);
	cr_expect_eq(n, 2);
	cr_expect_eq(store_latest_period(st), 2025 * 12 + 1);
	cr_expect(store_data_generation(st) > gen);
	/* One indicator of one period, in the middle of nothing: acme/a's x at
	 * 2025-02 goes, y stays (it had none there). */
	cr_assert_eq(store_delete_values(st, 2025 * 12 + 1, "acme/a", "x", "d", NULL, false, &n), 0);
	cr_expect_eq(n, 1);
	cr_expect_eq(store_count_values(st), 4);
	/* Everything: the series rows go, and with them the range. */
	cr_assert_eq(store_delete_values(st, 2025 * 12, NULL, NULL, "d", NULL, false, &n), 0);
	cr_assert_eq(store_delete_values(st, 2025 * 12 + 1, NULL, NULL, "d", NULL, false, &n), 0);
	cr_expect_eq(tdb_int(db, "SELECT count(*) FROM series"), 0);
	/* Units exist because data names them (SPEC 2): none is left. */
	cr_expect_eq(tdb_int(db, "SELECT count(*) FROM unit"), 0);
	cr_expect_eq(tdb_int(db, "SELECT count(*) FROM indicator"), 0);
	cr_expect_eq(store_latest_period(st), -1);
	cr_expect_eq(tdb_int(db, "SELECT count(*) FROM import_log WHERE source = 'd'"), 4);
	store_close(st);
}

/* vigie status counts the units the daemon evaluates: those of the data
 * and their ancestors; an ancestor lags only when its whole subtree does. */
Test(store, coverage_counts_ancestors_and_lags_by_roll_up)
{
	struct store *st = open_ok(GRAN_MONTH);
	struct import_batch b = { 0 };
	struct store_coverage c;
	struct series *s = NULL;

	parse("unit,period,x\nacme/a,2025-02,1\nacme/d/x,2025-01,2\n"
	    "acme/e/x,2025-01,3\nacme/e/y,2025-02,4\nbeta,2025-01,5\n"
	    "beta/z,2025-02,6\n", &b);
	cr_assert_eq(store_import(st, "t.csv", NULL, "s", &b, NULL), 0);
	import_batch_free(&b);
	cr_assert_eq(store_coverage(st, 2025 * 12 + 1, &c), 0);
	cr_assert_eq(store_load_series(st, &s), 0);
	/* acme, acme/a, acme/d, acme/d/x, acme/e, acme/e/x, acme/e/y, beta,
	 * beta/z */
	cr_expect_eq(c.units, 9);
	cr_expect_eq(c.units, (int64_t)s->nunits, "status and the daemon's series");
	cr_assert_eq(c.nlagging, 3);
	cr_expect_str_eq(c.lagging[0].unit, "acme/d");
	cr_expect_str_eq(c.lagging[1].unit, "acme/d/x");
	cr_expect_str_eq(c.lagging[2].unit, "acme/e/x");
	for (size_t i = 0; i < c.nlagging; i++)
		cr_expect_eq(c.lagging[i].latest, 2025 * 12);
	series_free(s);
	store_coverage_free(&c);
	store_close(st);
}

/* A restore done under a running program (the file copied over in place,
 * its -wal and -shm deleted): the check names the log, and closing the
 * connection does not write what it wrote since into the restored file. */
Test(store, a_deleted_write_ahead_log_is_noticed_and_never_checkpointed)
{
	struct store *st = open_ok(GRAN_MONTH);
	char *err = NULL, path[128], want[256], *v = NULL;

	cr_assert_eq(store_meta_set(st, "k", "before"), 0);
	cr_assert_eq(store_check_file(st, &err), 0);
	cr_assert_null(err);
	for (const char *s = "-wal"; s; s = strcmp(s, "-wal") ? NULL : "-shm") {
		snprintf(path, sizeof(path), "%s%s", db, s);
		cr_assert_eq(unlink(path), 0);
	}
	cr_assert_eq(store_meta_set(st, "k", "after"), 0);	/* into the ghost */
	cr_assert_eq(store_check_file(st, &err), -1);
	snprintf(want, sizeof(want), "the write-ahead log %s-wal was deleted while in use", db);
	cr_assert_str_eq(err, want);
	free(err);
	store_close(st);
	st = open_ok(GRAN_MONTH);
	cr_assert_eq(store_meta_get(st, "k", &v), 1, "%s", v ? v : "");
	free(v);
	store_close(st);
}
