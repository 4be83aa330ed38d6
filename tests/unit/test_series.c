/* The series builder: ancestors, indices and the roll-up of SPEC 2. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "vigie/series.h"

#define JAN 24300	/* 2025-01 */

static struct series *S;

static void series_reset(void)
{
	series_free(S);
	S = NULL;
}

TestSuite(series, .fini = series_reset);

static uint32_t U(const char *path)
{
	int32_t u = series_unit(S, path);

	cr_assert_geq(u, 0, "unit %s missing", path);
	return (uint32_t)u;
}

static double V(const char *unit, const char *ind, int32_t p)
{
	return series_get(S, U(unit), (uint32_t)series_indicator(S, ind), p);
}

Test(series, ancestors_exist_through_their_descendants)
{
	struct series_builder *b = sb_new(GRAN_MONTH, JAN, JAN);

	int32_t team = sb_unit(b, "acme/nancy/logistics");
	cr_assert_eq(sb_unit(b, "acme/nancy/logistics"), team);
	sb_unit(b, "acme/metz");
	sb_indicator(b, "x");
	S = sb_finish(b);
	cr_assert_eq(S->nunits, 4);
	cr_assert_eq(S->parent[U("acme/nancy/logistics")], (int32_t)U("acme/nancy"));
	cr_assert_eq(S->parent[U("acme/nancy")], (int32_t)U("acme"));
	cr_assert_eq(S->parent[U("acme")], -1);
	cr_assert_eq(S->depth[U("acme/nancy/logistics")], 2);
	cr_assert_eq(S->depth[U("acme")], 0);
	cr_assert_eq(series_unit(S, "acme/lyon"), -1);
	cr_assert_eq(series_indicator(S, "y"), -1);
	/* path order, and children of acme in path order */
	const char *order[] = { "acme", "acme/metz", "acme/nancy", "acme/nancy/logistics" };
	for (int i = 0; i < 4; i++)
		cr_assert_str_eq(S->units[S->sorted[i]], order[i]);
	uint32_t a = U("acme");
	cr_assert_eq(S->child_off[a + 1] - S->child_off[a], 2);
	cr_assert_str_eq(S->units[S->child_idx[S->child_off[a]]], "acme/metz");
	cr_assert_str_eq(S->units[S->child_idx[S->child_off[a] + 1]], "acme/nancy");
}

Test(series, parent_is_the_sum_of_the_children_that_have_a_value)
{
	struct series_builder *b = sb_new(GRAN_MONTH, JAN, JAN + 1);
	int32_t a = sb_unit(b, "acme/a"), c = sb_unit(b, "acme/c");
	int32_t x = sb_indicator(b, "x");

	sb_set(b, a, x, JAN, 3);
	sb_set(b, c, x, JAN, 4.5);
	sb_set(b, a, x, JAN + 1, 2);	/* c has no value in February */
	S = sb_finish(b);
	cr_assert_float_eq(V("acme", "x", JAN), 7.5, 0);
	cr_assert_float_eq(V("acme", "x", JAN + 1), 2, 0);
	cr_assert(isnan(V("acme/c", "x", JAN + 1)));
}

Test(series, grandparents_sum_the_rolled_up_values)
{
	struct series_builder *b = sb_new(GRAN_MONTH, JAN, JAN);
	int32_t t1 = sb_unit(b, "acme/nancy/t1"), t2 = sb_unit(b, "acme/nancy/t2");
	int32_t m = sb_unit(b, "acme/metz");
	int32_t x = sb_indicator(b, "x");

	sb_set(b, t1, x, JAN, 1);
	sb_set(b, t2, x, JAN, 2);
	sb_set(b, m, x, JAN, 10);
	S = sb_finish(b);
	cr_assert_float_eq(V("acme/nancy", "x", JAN), 3, 0);
	cr_assert_float_eq(V("acme", "x", JAN), 13, 0);
}

Test(series, an_imported_parent_value_wins_over_the_children_sum)
{
	struct series_builder *b = sb_new(GRAN_MONTH, JAN, JAN);
	int32_t t1 = sb_unit(b, "acme/nancy/t1"), n = sb_unit(b, "acme/nancy");
	int32_t x = sb_indicator(b, "x");

	sb_set(b, t1, x, JAN, 1);
	sb_set(b, n, x, JAN, 50);	/* headcount of the site, say */
	S = sb_finish(b);
	cr_assert_float_eq(V("acme/nancy", "x", JAN), 50, 0);
	cr_assert_float_eq(V("acme", "x", JAN), 50, 0);
}

Test(series, undefined_everywhere_without_data)
{
	struct series_builder *b = sb_new(GRAN_MONTH, JAN, JAN + 2);
	int32_t a = sb_unit(b, "acme/a");
	sb_indicator(b, "x");
	int32_t y = sb_indicator(b, "y");

	sb_set(b, a, y, JAN + 1, 0);
	S = sb_finish(b);
	for (int32_t p = JAN - 1; p <= JAN + 3; p++) {
		cr_assert(isnan(V("acme/a", "x", p)));
		cr_assert(isnan(V("acme", "x", p)));
	}
	cr_assert_float_eq(V("acme", "y", JAN + 1), 0, 0);	/* zero is a value */
	cr_assert(isnan(V("acme", "y", JAN + 2)));
	cr_assert_eq(S->last[U("acme")], JAN + 1);
	cr_assert_eq(S->last[U("acme/a")], JAN + 1);
}

Test(series, last_is_the_last_period_with_own_or_descendant_data)
{
	struct series_builder *b = sb_new(GRAN_MONTH, JAN, JAN + 5);
	int32_t a = sb_unit(b, "acme/a"), c = sb_unit(b, "acme/c");
	sb_unit(b, "other");
	int32_t x = sb_indicator(b, "x");

	sb_set(b, a, x, JAN + 1, 1);
	sb_set(b, c, x, JAN + 4, 1);
	S = sb_finish(b);
	cr_assert_eq(S->last[U("acme/a")], JAN + 1);
	cr_assert_eq(S->last[U("acme/c")], JAN + 4);
	cr_assert_eq(S->last[U("acme")], JAN + 4);
	cr_assert_eq(S->last[U("other")], -1);
}

Test(series, first_is_the_first_period_with_any_value_own_or_rolled_up)
{
	struct series_builder *b = sb_new(GRAN_MONTH, JAN, JAN + 5);
	int32_t a = sb_unit(b, "acme/a"), c = sb_unit(b, "acme/c");
	int32_t d = sb_unit(b, "site");
	sb_unit(b, "other");
	int32_t x = sb_indicator(b, "x"), y = sb_indicator(b, "y");

	sb_set(b, a, x, JAN + 3, 1);
	sb_set(b, c, y, JAN + 2, 0);	/* another indicator, and a zero */
	sb_set(b, c, x, JAN + 4, 1);
	sb_set(b, d, y, JAN + 5, 1);
	S = sb_finish(b);
	cr_assert_eq(S->first[U("acme/a")], JAN + 3);
	cr_assert_eq(S->first[U("acme/c")], JAN + 2);
	cr_assert_eq(S->first[U("acme")], JAN + 2);
	cr_assert_eq(S->first[U("site")], JAN + 5);
	cr_assert_eq(S->first[U("other")], -1);
	cr_assert_eq(series_first(S, U("acme")), JAN + 2);
	cr_assert_eq(series_first(S, U("other")), INT32_MAX, "no data: none");
}

Test(series, builder_refuses_new_names_after_values_and_bad_ids)
{
	struct series_builder *b = sb_new(GRAN_MONTH, JAN, JAN);
	int32_t a = sb_unit(b, "a");
	int32_t x = sb_indicator(b, "x");

	cr_assert_eq(sb_set(b, a, x, JAN, 1), 0);
	cr_assert_eq(sb_set(b, a, x, JAN + 7, 1), 0);	/* outside: ignored */
	cr_assert_eq(sb_set(b, 5, x, JAN, 1), -1);
	cr_assert_eq(sb_set(b, a, 9, JAN, 1), -1);
	cr_assert_eq(sb_unit(b, "b"), -1);
	cr_assert_eq(sb_indicator(b, "y"), -1);
	S = sb_finish(b);
	cr_assert_eq(S->nunits, 1);
	cr_assert_float_eq(V("a", "x", JAN), 1, 0);
}

Test(series, empty_builder_gives_an_empty_series)
{
	S = sb_finish(sb_new(GRAN_WEEK, 0, -1));
	cr_assert_not_null(S);
	cr_assert_eq(S->nunits, 0);
	cr_assert_eq(S->np, 0);
	cr_assert_eq(S->gran, GRAN_WEEK);
	cr_assert_eq(series_unit(S, "a"), -1);
	sb_free(sb_new(GRAN_MONTH, 0, 3));	/* abandoning a builder frees it */
}

Test(series, scales_to_ten_thousand_units)
{
	/* 10,000 teams under 100 sites under 1 company, 12 indicators, 60
	 * months: 7.2M values set, then rolled up. */
	struct series_builder *b = sb_new(GRAN_MONTH, JAN, JAN + 59);
	static int32_t team[10000];
	char path[64];
	int32_t ind[12];

	for (int i = 0; i < 10000; i++) {
		snprintf(path, sizeof(path), "acme/s%03d/t%05d", i % 100, i);
		team[i] = sb_unit(b, path);
	}
	for (int k = 0; k < 12; k++) {
		snprintf(path, sizeof(path), "i%d", k);
		ind[k] = sb_indicator(b, path);
	}
	for (int i = 0; i < 10000; i++)
		for (int k = 0; k < 12; k++)
			for (int p = 0; p < 60; p++)
				sb_set(b, team[i], ind[k], JAN + p, 1);
	S = sb_finish(b);
	cr_assert_eq(S->nunits, 10101);
	cr_assert_float_eq(V("acme", "i11", JAN + 59), 10000, 0);
	cr_assert_float_eq(V("acme/s042", "i0", JAN), 100, 0);
}

Test(series, a_companion_x_max_rolls_up_as_a_maximum)
{
	struct series_builder *b = sb_new(GRAN_MONTH, JAN, JAN);
	int32_t a = sb_unit(b, "acme/a"), c = sb_unit(b, "acme/c");
	int32_t x = sb_indicator(b, "absence_days"), m = sb_indicator(b, "absence_days_max");

	sb_set(b, (uint32_t)a, (uint32_t)x, JAN, 10);
	sb_set(b, (uint32_t)a, (uint32_t)m, JAN, 7);
	sb_set(b, (uint32_t)c, (uint32_t)x, JAN, 30);
	sb_set(b, (uint32_t)c, (uint32_t)m, JAN, 4);
	S = sb_finish(b);
	/* one employee belongs to one team: the largest contribution at the
	 * site is the largest of its teams', not their sum */
	cr_assert_float_eq(V("acme", "absence_days_max", JAN), 7, 1e-12);
	cr_assert_float_eq(V("acme", "absence_days", JAN), 40, 1e-12);
}
