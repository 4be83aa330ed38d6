/* The warning of a history imported a period at a time (importcheck.h,
 * import_check_backfill): only when the import moves the latest period,
 * once evaluated, to one that ended more than a quarter before the
 * current one; weeks as months. */
#include <criterion/criterion.h>
#include <string.h>
#include "vigie/importcheck.h"
#include "vigie/period.h"

/* A batch whose latest period is s, of granularity g. */
static struct import_batch batch(const char *s)
{
	struct import_batch b = { .nrecs = 1 };

	cr_assert_eq(period_parse(s, strlen(s), &b.gran, &b.pmax), 0);
	b.pmin = b.pmax;
	return b;
}

static int32_t per(const char *s)
{
	enum granularity g;
	int32_t p;

	cr_assert_eq(period_parse(s, strlen(s), &g, &p), 0);
	return p;
}

Test(importbackfill, a_month_that_ended_more_than_three_months_ago)
{
	struct import_batch b = batch("2026-08");
	struct diags w = { 0 };

	cr_assert_eq(import_check_backfill("aug.csv", &b, per("2026-07"),
	    per("2026-12"), &w), 1);
	cr_assert_str_eq(w.kind, "warning");
	cr_assert_eq(w.v[0].line, 1);
	cr_assert_eq(w.v[0].col, 1);
	cr_assert(!strncmp(w.v[0].msg, "2026-08 ended 3 months ago: a history "
	    "imported a month at a time is notified a month at a time", 83),
	    "%s", w.v[0].msg);
	diags_free(&w);
	b = batch("2026-09");
	cr_assert_eq(import_check_backfill("sep.csv", &b, per("2026-08"),
	    per("2026-12"), &w), 0, "a late month's export");
	cr_assert_eq(w.n, 0);
}

Test(importbackfill, not_a_correction_nor_after_an_import_not_evaluated)
{
	struct import_batch b = batch("2024-05");
	struct diags w = { 0 };

	cr_assert_eq(import_check_backfill("fix.csv", &b, per("2024-05"),
	    per("2026-12"), &w), 0, "the latest period stays");
	cr_assert_eq(import_check_backfill("fix.csv", &b, per("2024-06"),
	    per("2026-12"), &w), 0, "an older period");
	cr_assert_eq(import_check_backfill("may.csv", &b, -1, per("2026-12"),
	    &w), 0, "nothing evaluated");
	cr_assert_eq(w.n, 0);
}

Test(importbackfill, weeks_after_thirteen)
{
	struct import_batch b = batch("2026-W36");
	struct diags w = { 0 };

	cr_assert_eq(b.gran, GRAN_WEEK);
	cr_assert_eq(import_check_backfill("w36.csv", &b, per("2026-W30"),
	    per("2026-W49"), &w), 0, "13 weeks before");
	b = batch("2026-W35");
	cr_assert_eq(import_check_backfill("w35.csv", &b, per("2026-W30"),
	    per("2026-W49"), &w), 1);
	cr_assert(!strncmp(w.v[0].msg, "2026-W35 ended 13 weeks ago: a history "
	    "imported a week at a time", 64), "%s", w.v[0].msg);
	diags_free(&w);
}

Test(importbackfill, the_file_with_the_latest_period)
{
	struct import_batch a = batch("2024-05"), b = batch("2024-07"),
	    c = batch("2024-07"), e = { 0 };
	const struct import_batch *with[] = { &a, &e, &b, &c };

	cr_assert_eq(import_backfill_file(with, 4), 2);
	cr_assert_eq(import_backfill_file(with + 1, 1), 1, "none with a value");
}
