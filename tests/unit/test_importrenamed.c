/* A file that writes a renamed unit's old path (importcheck.h,
 * import_check_renamed): the path renames give it today, and the error
 * when the file would bring it back at a period the new path covers. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "vigie/csv.h"
#include "vigie/importcheck.h"
#include "vigie/store.h"
#include "../../daemon/ingest/importcheck_impl.h"
#include "tmpdir.h"

TMPDIR_SUITE(renamed, "renamed");

/* What store_renamed_path gives path ("-": nothing), and *at; live: a
 * unit of that path is there today. */
static char *to(const struct store_rename *rn, size_t n, const char *path,
    bool live, int64_t *at)
{
	char *p = store_renamed_path(rn, n, path, live, at);

	return p ? p : strdup("-");
}

static void expect_live(const struct store_rename *rn, size_t n, const char *path,
    bool live, const char *want, int64_t want_at)
{
	int64_t at = -1;
	char *got = to(rn, n, path, live, &at);

	cr_expect_str_eq(got, want, "%s", path);
	if (strcmp(want, "-"))
		cr_expect_eq(at, want_at, "%s: the rename that moved it", path);
	free(got);
}

/* A path no unit has today. */
static void expect_to(const struct store_rename *rn, size_t n, const char *path,
    const char *want, int64_t want_at)
{
	expect_live(rn, n, path, false, want, want_at);
}

/* Latest first, as store_renames reads them. */
Test(renamed, follows_renames_from_the_first_that_moved_the_path)
{
	const struct store_rename chain[] = {
		{ "s/bb", "t/bb", 30 },		/* then to another site */
		{ "s/b", "s/bb", 20 },
		{ "acme", "valdis", 10 },	/* a whole company first */
	};
	expect_to(chain, 3, "acme/s/b", "valdis/s/b", 10);
	expect_to(chain, 3, "s/b", "t/bb", 20);
	expect_to(chain, 3, "s/bb", "t/bb", 30);
	expect_to(chain, 3, "s/b/x", "t/bb/x", 20);
	expect_to(chain, 3, "s/bbb", "-", 0);
	expect_to(chain, 3, "acme-b/x", "-", 0);
	expect_to(NULL, 0, "s/b", "-", 0);
}

/* A name another unit took since names that one: two teams that swapped
 * names, a rename undone. */
Test(renamed, a_name_taken_again_names_the_unit_that_took_it)
{
	const struct store_rename swap[] = {
		{ "u/tmp", "u/p", 3 },
		{ "u/q", "u/p-old", 2 },	/* unrelated */
		{ "u/r", "u/tmp", 2 },
		{ "u/p", "u/q", 1 },
	};
	const struct store_rename back[] = {
		{ "u/b", "u/a", 2 },
		{ "u/a", "u/b", 1 },
	};
	expect_live(swap, 4, "u/p", true, "-", 0);
	expect_to(swap, 4, "u/r", "u/p", 2);
	expect_to(swap, 4, "u/q", "u/p-old", 2);
	expect_live(back, 2, "u/a", true, "-", 0);
	expect_to(back, 2, "u/b", "u/a", 2);
}

/* A site renamed and back, or another merged into it, brings nothing at
 * the path of a team that had left it: that path still leads to the team
 * (reorg2.md, finding 2). */
Test(renamed, a_site_renamed_back_keeps_the_teams_that_left_it)
{
	const struct store_rename back[] = {
		{ "v/metz-t", "v/metz", 3 },
		{ "v/metz", "v/metz-t", 2 },
		{ "v/metz/resto", "v/nancy/resto", 1 },
	};
	const struct store_rename merged[] = {
		{ "v/thion", "v/metz", 2 },
		{ "v/metz/resto", "v/nancy/resto", 1 },
	};
	expect_to(back, 3, "v/metz/resto", "v/nancy/resto", 1);
	expect_to(merged, 2, "v/metz/resto", "v/nancy/resto", 1);
	expect_live(back, 3, "v/metz/a", true, "-", 0);
}

static void parse(const char *text, struct import_batch *b)
{
	struct diags d = { 0 };

	cr_assert_eq(csv_parse("t.csv", text, strlen(text), GRAN_MONTH, CSV_ANY_PERIOD,
	    b, &d), 0);
	diags_free(&d);
}

static void import(struct store *st, const char *text)
{
	struct import_batch b = { 0 };

	parse(text, &b);
	cr_assert_eq(store_import(st, "t.csv", NULL, "aaaa", &b, NULL), 0);
	import_batch_free(&b);
}

/* The errors import_check_renamed gives text, one line each, in a new
 * string; their count in *n. */
static char *check(struct store *st, const char *text, size_t *n)
{
	struct import_batch b = { 0 };
	struct diags e = { 0 };
	char *s;

	parse(text, &b);
	*n = import_check_renamed(st, "t.csv", &b, &e);
	cr_expect_eq(*n, e.n);
	s = diags_to_string(&e, 0);
	diags_free(&e);
	import_batch_free(&b);
	return s;
}

Test(renamed, an_old_path_is_an_error_whatever_its_periods)
{
	struct store *st = NULL;
	struct rename_stats rs;
	char *err = NULL, *s, day[16];
	size_t n;
	time_t now = time(NULL);
	struct tm tm;

	cr_assert_eq(store_open("v.db", GRAN_MONTH, &st, &err), 0, "%s", err ? err : "");
	cr_assert_str_eq((s = check(st, "unit,period,n\ns/a,2025-01,1\n", &n)), "");
	free(s);
	import(st, "unit,period,n\ns/a,2025-01,10\ns/a,2025-02,11\ns/b,2025-01,5\n"
	    "s/b,2025-02,6\ns/c,2025-01,7\n");
	cr_assert_eq(store_rename_units(st, "s/b", "s/a", NULL, RENAME_SUM, &rs), 0);
	rename_stats_free(&rs);
	cr_assert_eq(store_rename_units(st, "s/a", "t/a", NULL, 0, &rs), 0);
	rename_stats_free(&rs);
	strftime(day, sizeof(day), "%Y-%m-%d", gmtime_r(&now, &tm));

	/* Merged into s/a, which moved to t/a: at its first cell. */
	s = check(st, "unit,period,n\ns/c,2025-01,7\ns/b,2025-01,5\ns/b,2025-02,6\n"
	    "s/b,2025-03,6\n", &n);
	cr_expect_eq(n, 1);
	char *want = NULL;
	cr_assert_gt(asprintf(&want, "t.csv:3:1: error: \"s/b\" was renamed \"t/a\" "
	    "(vigie rename, %s): write the new path in the export (under its old "
	    "path the team would be a unit of its own again, without its history, "
	    "and counted twice in the figures of the units above it for any month "
	    "both have; teams merged: one row, with their sums)\n", day), 0);
	cr_expect_str_eq(s, want);
	free(want);
	free(s);
	/* A month t/a has nothing of yet: its export under the new path
	 * would come next, and count the team twice. */
	s = check(st, "unit,period,n\ns/b,2025-03,6\ns/a,2025-03,12\n", &n);
	cr_expect_eq(n, 2, "%s", s);
	free(s);
	/* The new path, and a unit never renamed: nothing to say. */
	cr_expect_str_eq((s = check(st, "unit,period,n\nt/a,2025-03,12\ns/c,2025-03,7\n",
	    &n)), "");
	free(s);
	/* No database yet. */
	cr_expect_str_eq((s = check(NULL, "unit,period,n\ns/a,2025-02,12\n", &n)), "");
	free(s);
	store_close(st);
}
