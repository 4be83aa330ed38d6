/* The expression language (SPEC 6): values of every operator and function,
 * undefined cases, the hierarchy functions under the anonymity floor, and
 * every compile error with its exact FILE:LINE:COL. The series is filled by
 * hand: five units (acme with three children, and a lone top-level unit),
 * periods 100..107. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/cells.h"
#include "vigie/diag.h"
#include "vigie/expr.h"
#include "vigie/series.h"

#define U_ACME 0
#define U_A 1
#define U_B 2
#define U_C 3
#define U_OTHER 4
#define NU 5
#define NI 4
#define P0 100
#define NP 8
#define _ NAN

static const char *unit_names[NU] = { "acme", "acme/a", "acme/b", "acme/c", "other" };
static const int32_t unit_parent[NU] = { -1, U_ACME, U_ACME, U_ACME, -1 };
static const char *ind_names[NI] = { "headcount", "x", "y", "z" };

/* values[unit][indicator][period - P0] */
static const double values[NU][NI][NP] = {
	[U_ACME] = {
		{ 30, 30, 30, 30, 30, 30, 30, 3 },	/* suppressed at 107 */
		{ 10, 20, 30, 40, 50, 60, 70, 80 },
		{ _, _, _, _, _, _, _, _ },
		{ _, _, _, _, _, _, _, _ },
	},
	[U_A] = {
		{ 10, 10, 10, 10, 10, 10, 10, 10 },
		{ 1, 2, _, 4, 5, 7, 6, 10 },
		{ 3, 0, 0, 8, _, 2, 2, 2 },
		{ 1, 1, 1, 1, 1, 1, 1, 1 },
	},
	[U_B] = {
		{ 4, 4, 4, 4, 4, 4, 4, 4 },		/* always below 5 */
		{ 100, 100, 100, 100, 100, 100, 100, 100 },
		{ _, _, _, _, _, _, _, _ },
		{ 7, 7, 7, 7, 7, 7, 7, 7 },
	},
	[U_C] = {
		{ 6, 6, 6, 6, 6, 6, _, 6 },		/* suppressed at 106 */
		{ 3, 3, 3, 3, 3, 3, 50, 9 },
		{ _, _, _, _, _, _, _, _ },
		{ _, _, _, _, _, _, _, _ },
	},
	[U_OTHER] = {
		{ 20, 20, 20, 20, 20, 20, 20, 20 },
		{ 1, 2, 3, 4, 5, 6, 7, 8 },
		{ _, _, _, _, _, _, _, _ },
		{ _, _, _, _, _, _, _, _ },
	},
};

static struct series S;

static void setup(void)
{
	uint32_t k = 0;

	S.gran = GRAN_MONTH;
	S.p0 = P0;
	S.np = NP;
	S.nunits = NU;
	S.units = (char **)unit_names;
	S.parent = (int32_t *)unit_parent;
	S.nind = NI;
	S.inds = (char **)ind_names;
	S.child_off = calloc(NU + 1, sizeof(*S.child_off));
	S.child_idx = calloc(NU, sizeof(*S.child_idx));
	S.v = malloc(sizeof(values));
	cr_assert(S.child_off && S.child_idx && S.v);
	memcpy(S.v, values, sizeof(values));
	for (uint32_t u = 0; u < NU; u++) {
		S.child_off[u] = k;
		for (uint32_t c = 0; c < NU; c++)
			if (unit_parent[c] == (int32_t)u)
				S.child_idx[k++] = c;
	}
	S.child_off[NU] = k;
}

static void teardown(void)
{
	free(S.child_off);
	free(S.child_idx);
	free(S.v);
}

TestSuite(expr, .init = setup, .fini = teardown);

static struct expr *compile_ok(const char *src, struct names *nm)
{
	struct diags d = { 0 };
	struct expr *e = expr_compile(src, strlen(src), "r.yaml", NULL, nm, &d, NULL);
	char *msg = diags_to_string(&d, 0);

	cr_assert(e, "%s: did not compile:\n%s", src, msg);
	cr_assert_eq(d.n, 0);
	free(msg);
	diags_free(&d);
	return e;
}

static double ev_env(const char *src, uint32_t u, int32_t p, double floor,
    int32_t headcount)
{
	struct names nm = { 0 };
	struct expr *e = compile_ok(src, &nm);
	int32_t *indmap = calloc(nm.n + 1, sizeof(*indmap));
	struct eval_env env = { .s = &S, .indmap = indmap,
	    .headcount = headcount, .floor = floor };
	double v;

	cr_assert(indmap);
	for (size_t i = 0; i < nm.n; i++) {
		indmap[i] = -1;
		for (uint32_t j = 0; j < NI; j++)
			if (!strcmp(nm.v[i], ind_names[j]))
				indmap[i] = (int32_t)j;
	}
	v = expr_eval(e, &env, u, p, NULL);
	expr_free(e);
	free(indmap);
	names_free(&nm);
	return v;
}

static double ev(const char *src, uint32_t u, int32_t p)
{
	return ev_env(src, u, p, 5, 0);
}

/* Exact value (NAN: undefined). */
static void is(const char *src, uint32_t u, int32_t p, double want)
{
	double got = ev(src, u, p);

	if (isnan(want))
		cr_assert(isnan(got), "%s at %u/%d: got %.17g, want undefined",
		    src, u, p, got);
	else
		cr_assert(got == want, "%s at %u/%d: got %.17g, want %.17g",
		    src, u, p, got, want);
}

#define val(src, want) is(src, U_A, 107, want)

static void near(const char *src, uint32_t u, int32_t p, double want)
{
	double got = ev(src, u, p);

	cr_assert(fabs(got - want) <= 1e-12 * fabs(want), "%s at %u/%d: got "
	    "%.17g, want %.17g", src, u, p, got, want);
}

/* ---- literals, arithmetic, precedence ---- */

Test(expr, number_literals)
{
	val("12", 12);
	val("1.5", 1.5);
	val("1e3", 1000);
	val("2.5e-3", 2.5e-3);
	val("2E+2", 200);
	val("0", 0);
}

Test(expr, precedence_and_associativity)
{
	val("1 + 2 * 3", 7);
	val("(1 + 2) * 3", 9);
	val("-2 * 3", -6);
	val("2 * -3", -6);
	val("- - 2", 2);
	val("10 - 4 - 3", 3);
	val("12 / 4 / 3", 1);
	val("2 + 6 / 3 - 1", 3);
	val("not 1 < 0", 1);
	val("not 1 == 1", 0);
	val("1 < 2 and 3 > 4 or 1", 1);
	val("1 or 0 and 0", 1);
	val("not 0 and 0", 0);
	val("not not 7", 1);
	val("1 + 2 < 4", 1);
	val("-x", -10);
}

Test(expr, comments_and_newlines_are_ignored)
{
	val("1 +  # one\n\t2 # two\r\n * 3\n# end", 7);
	val("sum(x,\n 3)  # windows span lines", 23);
}

Test(expr, arithmetic_with_undefined_is_undefined)
{
	val("nosuch", _);
	val("nosuch + 1", _);
	val("1 - nosuch", _);
	val("nosuch * 0", _);
	val("0 / nosuch", _);
	val("-nosuch", _);
	is("x + 1", U_A, 102, _);
}

Test(expr, division_by_zero_and_overflow_are_undefined)
{
	val("1 / 0", _);
	val("0 / 0", _);
	val("x / (x - x)", _);
	val("1e308 * 10", _);
	val("-1e308 * 10", _);
	val("1e308 + 1e308", _);
	val("1e308 / 1e-308", _);
	val("(1e308 * 10) * 0", _);
	val("1e308 * 10 > 1", _);
}

Test(expr, indicators_outside_the_series_are_undefined)
{
	is("x", U_A, 100, 1);
	is("x", U_A, 99, _);
	is("x", U_A, 108, _);
	is("x", U_OTHER, 104, 5);
}

Test(expr, comparisons)
{
	val("1 < 2", 1);
	val("2 < 2", 0);
	val("2 <= 2", 1);
	val("3 <= 2", 0);
	val("3 > 2", 1);
	val("2 > 2", 0);
	val("2 >= 2", 1);
	val("1 >= 2", 0);
	val("2 == 2", 1);
	val("2 == 3", 0);
	val("2 != 3", 1);
	val("2 != 2", 0);
	const char *ops[] = { "<", "<=", ">", ">=", "==", "!=" };
	for (size_t i = 0; i < 6; i++) {
		char buf[64];
		snprintf(buf, sizeof(buf), "nosuch %s 1", ops[i]);
		val(buf, _);
		snprintf(buf, sizeof(buf), "1 %s nosuch", ops[i]);
		val(buf, _);
	}
}

Test(expr, three_valued_and_or_not)
{
	/* U stands for undefined */
	struct { const char *src; double want; } t[] = {
		{ "0 and 0", 0 }, { "0 and 1", 0 }, { "0 and nosuch", 0 },
		{ "1 and 0", 0 }, { "1 and 1", 1 }, { "1 and nosuch", _ },
		{ "nosuch and 0", 0 }, { "nosuch and 1", _ }, { "nosuch and nosuch", _ },
		{ "0 or 0", 0 }, { "0 or 1", 1 }, { "0 or nosuch", _ },
		{ "1 or 0", 1 }, { "1 or 1", 1 }, { "1 or nosuch", 1 },
		{ "nosuch or 0", _ }, { "nosuch or 1", 1 }, { "nosuch or nosuch", _ },
		{ "not 0", 1 }, { "not 1", 0 }, { "not nosuch", _ },
		{ "not -2.5", 0 }, { "2 and -3", 1 }, { "0.5 or 0", 1 },
		{ "7 and 7", 1 },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		val(t[i].src, t[i].want);
}

/* ---- windows ---- */

Test(expr, sum_avg_count_skip_undefined_values)
{
	is("sum(x, 3)", U_A, 107, 23);
	is("sum(x, 3)", U_A, 103, 6);
	is("avg(x, 3)", U_A, 103, 3);
	is("avg(x, 3)", U_A, 107, 23.0 / 3);
	is("count(x, 3)", U_A, 103, 2);
	is("count(x, 8)", U_A, 107, 7);
	is("sum(x, 1)", U_A, 102, _);
	is("avg(x, 1)", U_A, 102, _);
	is("count(x, 1)", U_A, 102, 0);
	is("count(nosuch, 3)", U_A, 107, 0);
}

/* SPEC 16: a window that reaches before the unit's first data is
 * undefined, count() excepted; here every unit's data starts at 100. */
Test(expr, windows_reaching_before_the_first_data_are_undefined)
{
	is("sum(x, 3)", U_A, 102, 3);	/* 1 2 _ */
	is("sum(x, 3)", U_A, 101, _);
	is("avg(x, 3)", U_A, 101, _);
	is("max(x, 3)", U_A, 101, _);
	is("stddev(x, 3)", U_A, 101, _);
	is("slope(1, 3)", U_A, 101, _);
	is("sum(1, 3)", U_A, 102, 3);
	is("count(x, 3)", U_A, 100, 1);
	is("sum(x, 2)", U_A, 99, _);
	is("min(x, 2)", U_A, 99, _);
	is("count(x, 2)", U_A, 99, 0);
	is("sum(x, 3, 5)", U_A, 107, 3);
	is("sum(x, 3, 7)", U_A, 107, _);
	is("sum(x, 2, 8)", U_A, 107, _);
	is("count(x, 2, 8)", U_A, 107, 0);
	is("count(x, 3, 7)", U_A, 107, 1);
	/* nested: each window checks its own reach; the inner sum at 100
	 * is undefined and the outer one skips it */
	is("sum(sum(x, 2), 2)", U_A, 102, (1 + 2) + 2);
	is("sum(sum(x, 2), 3)", U_A, 102, (1 + 2) + 2);
	is("sum(sum(x, 2), 3)", U_A, 101, _);
	/* functions that read one earlier period */
	is("lag(x, 2)", U_A, 101, _);
	is("lag(7, 1)", U_A, 100, _);
	is("lag(7, 1)", U_A, 101, 7);
	is("delta(x, 1)", U_A, 101, 1);
	is("delta(x, 2)", U_A, 101, _);
	is("pct_change(headcount, 1)", U_A, 100, _);
	is("pct_change(headcount, 1)", U_A, 101, 0);
	is("rises(headcount + 0, 1)", U_A, 100, _);
	is("zscore(x, 2)", U_A, 101, _);
	/* the first data of the unit evaluated, inside parent() too */
	is("parent(sum(x, 2))", U_A, 101, 30);
	is("parent(sum(x, 2))", U_A, 100, _);
}

Test(expr, window_offsets)
{
	is("sum(x, 3, 2)", U_A, 107, 16);
	is("sum(x, 3, 0)", U_A, 107, 23);
	is("avg(x, 2, 1)", U_A, 107, 6.5);
	is("max(x, 3, 3)", U_A, 107, 5);
	is("count(x, 4, 4)", U_A, 107, 3);
}

Test(expr, min_max)
{
	is("min(x, 3)", U_A, 107, 6);
	is("max(x, 3)", U_A, 107, 10);
	is("min(x, 3)", U_A, 103, 2);
	is("max(x, 3)", U_A, 103, 4);
	is("min(x, 1)", U_A, 102, _);
	is("max(x, 1)", U_A, 102, _);
	is("min(-x, 8)", U_A, 107, -10);
}

Test(expr, stddev_is_the_population_one)
{
	is("stddev(x, 3)", U_A, 103, 1);	/* 2, _, 4 */
	near("stddev(x, 3)", U_A, 107, sqrt(26.0 / 9));	/* 7, 6, 10 */
	is("stddev(x, 2)", U_A, 102, _);	/* one defined value */
	is("stddev(x, 1)", U_A, 107, _);
	is("stddev(x, 3)", U_A, 99, _);
	is("stddev(2, 4)", U_A, 107, 0);
}

Test(expr, slope_per_period)
{
	is("slope(x, 3)", U_A, 103, 1);		/* 2 at 0, 4 at 2 */
	is("slope(x, 4)", U_A, 107, 1.4);	/* 5 7 6 10 */
	is("slope(x, 2)", U_A, 102, _);
	is("slope(x, 1)", U_A, 107, _);
	is("slope(3, 5)", U_A, 107, 0);
	is("slope(x, 2, 1)", U_A, 107, -1);	/* 7 then 6 */
}

/* A unit whose data covers periods 0 .. np-1: x = 2 i + (i % 3), with a
 * hole at every 10th period. */
static struct series *long_series(int np)
{
	struct series_builder *b = sb_new(GRAN_MONTH, 0, np - 1);
	int32_t u = sb_unit(b, "long"), ix = sb_indicator(b, "x");
	int32_t ih = sb_indicator(b, "headcount");

	cr_assert(u >= 0 && ix >= 0 && ih >= 0);
	for (int i = 0; i < np; i++) {
		if (i % 10 != 9)
			sb_set(b, (uint32_t)u, (uint32_t)ix, i, 2.0 * i + i % 3);
		sb_set(b, (uint32_t)u, (uint32_t)ih, i, 10 + i % 4);
	}
	struct series *s = sb_finish(b);
	cr_assert_not_null(s);
	return s;
}

static double ev_series(const struct series *s, const char *src, uint32_t u,
    int32_t p)
{
	struct names nm = { 0 };
	struct expr *e = compile_ok(src, &nm);
	int32_t indmap[8];
	struct eval_env env = { .s = s, .indmap = indmap,
	    .headcount = series_indicator(s, "headcount"), .floor = 5 };
	double v;

	for (size_t i = 0; i < nm.n; i++)
		indmap[i] = series_indicator(s, nm.v[i]);
	v = expr_eval(e, &env, u, p, NULL);
	expr_free(e);
	names_free(&nm);
	return v;
}

Test(expr, long_windows_give_the_same_results)
{
	/* windows above the evaluator's buffer (64) read their body twice
	 * instead of keeping it: the results are those of the formulas */
	struct series *s = long_series(250);
	double sum = 0, ss = 0, sxy = 0, sxx = 0, xm = 0, sc = 0, sx = 0;
	double cs = 0, ew = 0;
	int n = 0;

	for (int i = 40; i < 240; i++)
		if (i % 10 != 9) {
			sum += 2.0 * i + i % 3;
			xm += i - 40;
			n++;
		}
	double mean = sum / n;
	xm /= n;
	for (int i = 40; i < 240; i++)
		if (i % 10 != 9) {
			double y = 2.0 * i + i % 3, x = 10 + i % 4;
			ss += (y - mean) * (y - mean);
			sxy += (i - 40 - xm) * (y - mean);
			sxx += (i - 40 - xm) * (i - 40 - xm);
			sc += y;
			sx += x;
			cs = fmax(0, cs + (y - 240) / 100 - 0.5);
			ew = 0.1 * y + 0.9 * ew;
		}
	double rate = sc / sx, chi = 0;
	for (int i = 40; i < 240; i++)
		if (i % 10 != 9) {
			double y = 2.0 * i + i % 3, mu = (10 + i % 4) * rate;
			chi += (y - mu) * (y - mu) / mu;
		}
	cr_assert_eq(ev_series(s, "count(x, 200)", 0, 239), n);
	cr_assert_float_eq(ev_series(s, "stddev(x, 200)", 0, 239), sqrt(ss / n),
	    1e-9);
	cr_assert_float_eq(ev_series(s, "slope(x, 200)", 0, 239), sxy / sxx, 1e-12);
	cr_assert_float_eq(ev_series(s, "sum(x, 200)", 0, 239), sum, 1e-9);
	cr_assert_float_eq(ev_series(s, "cusum((x - 240) / 100, 200, 0.5)", 0, 239),
	    cs, 1e-9);
	cr_assert_float_eq(ev_series(s, "ewma(x, 200, 0.1)", 0, 239), ew, 1e-9);
	cr_assert_float_eq(ev_series(s, "dispersion(x, headcount, 200)", 0, 239),
	    chi / (n - 1), 1e-9);
	/* and reaching before the first data, undefined all the same */
	cr_assert(isnan(ev_series(s, "sum(x, 200)", 0, 198)));
	cr_assert(isnan(ev_series(s, "dispersion(x, headcount, 200)", 0, 198)));
	cr_assert_eq(ev_series(s, "count(x, 200)", 0, 198), 180);
	series_free(s);
}

Test(expr, nested_windows_add_up)
{
	/* sum over 105..107 of avg of the two periods before and at each */
	is("sum(avg(x, 2), 3)", U_A, 107, 6 + 6.5 + 8);
	is("max(delta(x, 1), 4)", U_A, 107, 4);
	is("avg(lag(x, 1), 2)", U_A, 107, 6.5);
}

/* ---- point functions ---- */

Test(expr, lag)
{
	is("lag(x, 2)", U_A, 107, 7);
	is("lag(x, 0)", U_A, 107, 10);
	is("lag(x, 1)", U_A, 103, _);
	is("lag(x, 1)", U_A, 100, _);
	is("lag(x + 1, 3)", U_A, 107, 6);
}

Test(expr, delta)
{
	is("delta(x, 1)", U_A, 107, 4);
	is("delta(x, 2)", U_A, 107, 3);
	is("delta(x, 1)", U_A, 103, _);
	is("delta(x, 1)", U_A, 102, _);
	is("delta(x, 1)", U_A, 100, _);
}

Test(expr, pct_change)
{
	near("pct_change(x, 1)", U_A, 107, 100.0 * 4 / 6);
	is("pct_change(x, 4)", U_A, 107, 150);
	is("pct_change(y, 1)", U_A, 102, _);	/* from 0 */
	is("pct_change(y, 1)", U_A, 103, _);	/* from 0 to 8 */
	is("pct_change(y, 1)", U_A, 101, -100);
	is("pct_change(y, 1)", U_A, 104, _);
	is("pct_change(x, 1)", U_A, 100, _);
}

Test(expr, zscore)
{
	/* previous values 5 7 6: mean 6, sd sqrt(2/3) */
	near("zscore(x, 3)", U_A, 107, 4 / sqrt(2.0 / 3));
	is("zscore(x, 3)", U_A, 104, 2);	/* 2 _ 4 then 5 */
	is("zscore(y, 3)", U_A, 107, _);	/* _ 2 2: sd 0 */
	is("zscore(x, 1)", U_A, 107, _);	/* one value: no sd */
	is("zscore(x, 3)", U_A, 102, _);	/* x(102) undefined */
	is("zscore(x, 3)", U_A, 101, _);	/* one previous value */
}

Test(expr, rises)
{
	is("rises(x, 2)", U_A, 105, 1);		/* 4 5 7 */
	is("rises(x, 2)", U_A, 107, 0);		/* 7 6 10 */
	is("rises(x, 1)", U_A, 107, 1);
	is("rises(x, 1)", U_A, 106, 0);
	is("rises(x, 3)", U_A, 104, _);		/* _ at 102 */
	is("rises(x, 1)", U_A, 100, _);		/* before the first period */
	/* 0 0 8 _: a failed step does not hide an undefined value */
	is("rises(y, 3)", U_A, 104, _);
	is("rises(y, 2)", U_A, 103, 0);		/* 0 0 8 */
	is("rises(2, 3)", U_A, 107, 0);		/* equal is not a rise */
}

Test(expr, abs_and_coalesce)
{
	val("abs(-3)", 3);
	val("abs(3)", 3);
	val("abs(nosuch)", _);
	val("coalesce(nosuch, 4)", 4);
	val("coalesce(2, 4)", 2);
	val("coalesce(0, 4)", 0);
	val("coalesce(nosuch, nosuch)", _);
	val("coalesce(nosuch, x * 2)", 20);
	is("coalesce(x, lag(x, 1))", U_A, 102, 2);
}

Test(expr, least_and_greatest)
{
	val("least(3, 2)", 2);
	val("least(2, 3)", 2);
	val("greatest(3, 2)", 3);
	val("greatest(-1, -4)", -1);
	val("least(x, 100)", 10);
	val("least(poisson_tail(0, 1), 0.25)", 0.25);
	val("greatest(poisson_tail(0, 1), 0.25)", 1);
	val("least(nosuch, 4)", _);
	val("greatest(4, nosuch)", _);
}

/* normal_tail(z) = P(Z >= z): known quantiles of the standard normal, the
 * far tail (where 1 - Phi would round to 0) and undefined in, undefined out. */
Test(expr, normal_tail_known_values)
{
	const double z[] = { 0, 1.6448536269514722, 1.959963984540054,
			     3.090232306167813, -1.959963984540054, 8 };
	const double want[] = { 0.5, 0.05, 0.025, 0.001, 0.975,
				6.220960574271785e-16 };
	char src[64];

	for (size_t i = 0; i < sizeof z / sizeof z[0]; i++) {
		snprintf(src, sizeof src, "normal_tail(%.17g)", z[i]);
		double got = ev(src, U_A, 107);
		cr_assert(fabs(got - want[i]) <= 1e-12 * want[i],
			  "%s = %.17g, want %.17g", src, got, want[i]);
	}
	val("normal_tail(nosuch)", _);
}

/* ---- hierarchy ---- */

Test(expr, parent_reads_the_parent_unit)
{
	is("parent(x)", U_A, 105, 60);
	is("parent(x) / x", U_A, 105, 60.0 / 7);
	is("parent(sum(x, 3))", U_A, 105, 150);
	is("avg(parent(x), 3)", U_A, 107, 65);	/* 60 70 and suppressed */
	is("parent(x)", U_ACME, 105, _);		/* top level */
	is("parent(x)", U_OTHER, 105, _);
	is("parent(x)", U_A, 107, _);		/* parent below the floor */
	is("parent(parent(x))", U_A, 105, _);
}

Test(expr, peer_avg_skips_suppressed_and_undefined_siblings)
{
	is("peer_avg(x)", U_A, 105, 3);		/* b suppressed, c = 3 */
	is("peer_avg(x)", U_A, 106, _);		/* c's headcount undefined */
	is("peer_avg(x)", U_C, 107, 10);		/* a; b suppressed */
	is("peer_avg(x)", U_B, 105, 5);		/* a 7, c 3 */
	is("peer_avg(z)", U_A, 105, _);		/* c has no z, b suppressed */
	is("peer_avg(x / headcount)", U_B, 105, (7.0 / 10 + 3.0 / 6) / 2);
	is("peer_avg(x)", U_ACME, 105, _);	/* top level */
	is("peer_avg(x)", U_OTHER, 105, _);
	is("x / peer_avg(x)", U_C, 107, 0.9);
	is("peer_avg(sum(x, 2))", U_A, 105, 6);
	is("parent(peer_avg(x))", U_A, 105, _);
}

Test(expr, hierarchy_follows_the_floor)
{
	cr_assert_eq(ev_env("peer_avg(x)", U_A, 105, 3, 0), 51.5);	/* b counts */
	cr_assert_eq(ev_env("parent(x)", U_A, 107, 3, 0), 80);
	cr_assert(isnan(ev_env("parent(x)", U_A, 105, 31, 0)));
	cr_assert(isnan(ev_env("parent(x)", U_A, 105, 5, -1)));
	cr_assert(isnan(ev_env("peer_avg(x)", U_A, 105, 5, -1)));
}

Test(expr, eval_suppressed_follows_headcount_and_floor)
{
	struct eval_env env = { .s = &S, .headcount = 0, .floor = 5 };

	cr_assert(!eval_suppressed(&env, U_A, 105));
	cr_assert(eval_suppressed(&env, U_B, 105));		/* 4 < 5 */
	cr_assert(eval_suppressed(&env, U_C, 106));		/* undefined */
	cr_assert(eval_suppressed(&env, U_A, 99));		/* no data */
	env.floor = 4;
	cr_assert(!eval_suppressed(&env, U_B, 105));		/* equal is fine */
	env.headcount = -1;
	cr_assert(eval_suppressed(&env, U_A, 105));
}

/* ---- poisson_tail ---- */

static void tail_near(double k, double m, double want)
{
	double got = poisson_tail(k, m);

	cr_assert(fabs(got - want) <= 1e-10 * want, "poisson_tail(%g, %g) = "
	    "%.17g, want %.17g", k, m, got, want);
}

Test(expr, poisson_tail_known_values)
{
	/* references computed with 80-digit decimal sums */
	tail_near(3, 1, 0.080301397071394193);
	tail_near(2.5, 1, 0.080301397071394193);	/* rounds to 3 */
	tail_near(2.4, 1, 0.26424111765711533);	/* rounds to 2 */
	tail_near(2, 1, 0.26424111765711533);
	tail_near(0.5, 1, 1 - exp(-1));
	tail_near(1100, 1000, 0.00096263040586655718);
	tail_near(900, 1000, 0.99937740221572491);
	tail_near(10000, 10000, 0.50132980833995522);
	tail_near(10200, 10000, 0.023290932037298883);
	tail_near(9800, 10000, 0.97778886829490352);
	tail_near(1, 1e-3, 0.00099950016662500845);
	tail_near(50, 3, 1.2485354871541929e-42);
	cr_assert_eq(poisson_tail(0, 5), 1);
	cr_assert_eq(poisson_tail(0.49, 5), 1);
	cr_assert_eq(poisson_tail(-0.5, 5), 1);	/* rounds to -1 */
	cr_assert_eq(poisson_tail(-3, 5), 1);
	cr_assert(isnan(poisson_tail(1, 0)));
	cr_assert(isnan(poisson_tail(1, -1)));
	cr_assert(isnan(poisson_tail(NAN, 1)));
	cr_assert(isnan(poisson_tail(1, NAN)));
	cr_assert(isnan(poisson_tail(0, 0)));	/* m first */
}

Test(expr, poisson_tail_in_expressions)
{
	near("poisson_tail(3, 1)", U_A, 107, 0.080301397071394193);
	val("poisson_tail(nosuch, 1)", _);
	val("poisson_tail(1, nosuch)", _);
	val("poisson_tail(1, 0)", _);
	val("poisson_tail(0, 5)", 1);
	near("poisson_tail(x / 5, 1)", U_A, 107, 0.26424111765711533);
}

/* ---- statistics for outbreak detection (vigie-rules(5)) ---- */

static void fails(const char *src, const char *want);

static void nb_near(double k, double m, double d, double want)
{
	double got = nbinom_tail(k, m, d);

	cr_assert(fabs(got - want) <= 1e-9 * want, "nbinom_tail(%g, %g, %g): "
	    "got %.17g, want %.17g", k, m, d, got, want);
}

Test(expr, nbinom_tail_matches_r)
{
	/* R: pnbinom(K - 1, size = m / (d - 1), mu = m, lower.tail = FALSE) */
	nb_near(7, 0.9, 1.5, 0.0019467338436743836);	/* K 7, size 1.8 */
	nb_near(6.5, 0.9, 1.5, 0.0019467338436743836);	/* rounds to 7 */
	nb_near(7, 0.9, 3, 0.016403947328179905);
	nb_near(3, 2, 1.5, 0.31961591220850477);
	nb_near(30, 10, 2, 0.00053250981727615064);
	nb_near(5, 5, 100, 0.12281946165673994);
	nb_near(100, 5, 100, 0.011640477881536236);
	nb_near(400, 500, 1.0001, 0.99999835103925871);
	nb_near(1000, 500, 1.0001, 3.381756378263463e-86);
	nb_near(1000000, 1000000, 1.5, 0.50005428917075379);
	/* a tiny size, where the lower part is close to 1 */
	nb_near(1, 1e-6, 5, 4.0235939716196127e-07);
	nb_near(2, 1e-3, 1000, 5.9146529573019594e-06);
	nb_near(2, 1, 1e6, 1.281544275500023e-05);
	/* a dispersion just above 1: an enormous size, close to Poisson */
	nb_near(3, 2, 1.000000001, 0.3233235838169396);
	/* at most 1 is Poisson (Farrington: the dispersion is at least 1) */
	cr_assert_eq(nbinom_tail(3, 1, 1), poisson_tail(3, 1));
	cr_assert_eq(nbinom_tail(3, 1, 0.2), poisson_tail(3, 1));
	cr_assert_eq(nbinom_tail(0, 5, 3), 1);
	cr_assert_eq(nbinom_tail(-2, 5, 3), 1);
	cr_assert(isnan(nbinom_tail(1, 0, 3)));
	cr_assert(isnan(nbinom_tail(1, -1, 3)));
	cr_assert(isnan(nbinom_tail(1, 2, 1.5e6)));	/* beyond a million */
	cr_assert(isnan(nbinom_tail(NAN, 2, 3)));
	cr_assert(isnan(nbinom_tail(1, NAN, 3)));
	cr_assert(isnan(nbinom_tail(1, 2, NAN)));
}

Test(expr, nbinom_tail_is_at_least_the_poisson_tail_above_the_mean)
{
	/* over-dispersion fattens the upper tail: once in N gets honest */
	for (double k = 4; k < 40; k += 3)
		cr_assert_gt(nbinom_tail(k, 2, 2.5), poisson_tail(k, 2), "%g", k);
}

Test(expr, credible_rate_is_buhlmann_straub)
{
	/* (c + k prior) / (x + k): a team of 6 with one long sick leave
	 * (90 days out of 378) shrunk toward 5 % with k = 2000 days */
	cr_assert_float_eq(credible_rate(90, 378, 0.05, 2000), 190.0 / 2378, 1e-15);
	cr_assert_eq(credible_rate(90, 378, 0.05, 0), 90.0 / 378);
	cr_assert_eq(credible_rate(0, 0, 0.05, 2000), 0.05);
	cr_assert(isnan(credible_rate(1, 0, 0.05, 0)));
	cr_assert(isnan(credible_rate(1, -1, 0.05, 10)));
	cr_assert(isnan(credible_rate(1, 10, 0.05, -1)));
	cr_assert(isnan(credible_rate(NAN, 10, 0.05, 1)));
	cr_assert(isnan(credible_rate(1, 10, NAN, 1)));
	/* the team's 7 per 10 shrunk toward its site's 60 per 30 */
	near("credible_rate(x, headcount, parent(x / headcount), 30)", U_A, 105,
	    (7 + 30 * (60.0 / 30)) / 40);
	/* the site is below the floor at 107: no prior */
	val("credible_rate(x, headcount, parent(x / headcount), 30)", _);
	is("credible_rate(x, headcount, parent(x / headcount), 30)", U_A, 106,
	    (6 + 30 * (70.0 / 30)) / 40);
}

Test(expr, cusum_and_ewma_over_the_last_periods)
{
	/* x - 3 at 104..107 is 2 4 3 7: S = 1.5, 5, 7.5, 14. R:
	 * Reduce(function(s, z) max(0, s + z - 0.5), c(2, 4, 3, 7), 0,
	 *     accumulate = TRUE) */
	is("cusum(x - 3, 4, 0.5)", U_A, 107, 14);
	/* -1 _ 1 2: an undefined value leaves S as it was */
	is("cusum(x - 3, 4, 0.5)", U_A, 104, 2);
	is("cusum(x, 1, 100)", U_A, 107, 0);
	is("cusum(x, 3, 0.5)", U_A, 101, _);	/* before the first data */
	is("cusum(nosuch, 3, 0.5)", U_A, 107, _);
	/* 7 6 10 with weight 0.5 from 0: 3.5, 4.75, 7.375 */
	is("ewma(x, 3, 0.5)", U_A, 107, 7.375);
	is("ewma(x, 3, 1)", U_A, 107, 10);
	is("ewma(x, 3, 0.5)", U_A, 103, 2.5);	/* 2 _ 4 */
	is("ewma(x, 3, 0.5)", U_A, 101, _);
}

Test(expr, dispersion_is_pearsons_at_least_one)
{
	/* y 3 0 0 8 _ 2 2 2 over headcount 10: 17/70 a head, Pearson's
	 * statistic / 6 = 3. R: y <- c(3,0,0,8,2,2,2); h <- rep(10, 7);
	 * summary(glm(y ~ 1 + offset(log(h)), family = quasipoisson))$dispersion
	 * gives 3.00003 (to its convergence tolerance) */
	near("dispersion(y, headcount, 8)", U_A, 107, 3);
	is("dispersion(y, headcount, 2)", U_A, 107, 1);	/* 2 2: 0, so 1 */
	is("dispersion(0 * y, headcount, 3)", U_A, 107, 1);	/* rate 0 */
	is("dispersion(y, headcount, 1)", U_A, 107, _);	/* one pair */
	is("dispersion(y, headcount, 8, 1)", U_A, 107, _);	/* before 100 */
	is("dispersion(y, 0 * headcount, 3)", U_A, 107, _);	/* no exposure */
}

/* One unit "team" with counts c and exposures x from p0 on. */
static struct series *count_series(enum granularity g, int32_t p0,
    const double *c, const double *x, int n)
{
	struct series_builder *b = sb_new(g, p0, p0 + n - 1);
	int32_t u = sb_unit(b, "team"), ic = sb_indicator(b, "c");
	int32_t ix = sb_indicator(b, "x"), ih = sb_indicator(b, "headcount");

	cr_assert(u >= 0 && ic >= 0 && ix >= 0 && ih >= 0);
	for (int i = 0; i < n; i++) {
		sb_set(b, (uint32_t)u, (uint32_t)ic, p0 + i, c[i]);
		sb_set(b, (uint32_t)u, (uint32_t)ix, p0 + i, x[i]);
		sb_set(b, (uint32_t)u, (uint32_t)ih, p0 + i, 20);
	}
	struct series *s = sb_finish(b);
	cr_assert_not_null(s);
	return s;
}

static void stat_near(const struct series *s, const char *src, int32_t p,
    double want)
{
	double got = ev_series(s, src, 0, p);

	cr_assert(fabs(got - want) <= 1e-12 * fabs(want), "%s at %d: got %.17g, "
	    "want %.17g", src, p, got, want);
}

/* 40 months from 2022-01 with a winter peak and over-dispersion (a
 * gamma-Poisson draw), as tests/reference would make them. */
static const double mc[40] = { 5, 14, 14, 3, 1, 1, 10, 13, 3, 1, 3, 9, 12, 9,
	0, 3, 2, 7, 9, 15, 0, 17, 6, 3, 3, 12, 2, 16, 8, 2, 1, 1, 6, 2, 2, 9, 7,
	3, 0, 0 };
static const double mx[40] = { 420, 420, 420, 420, 420, 420, 420, 420, 420,
	420, 441, 441, 441, 441, 441, 441, 441, 441, 441, 441, 462, 462, 462, 462,
	462, 462, 462, 462, 462, 462, 483, 483, 483, 483, 483, 483, 483, 483, 483,
	483 };

/* References: R with c and x as above, Y = 12 and
 *   ref <- function(p, b, w) unlist(lapply(1:b, function(y)
 *       (p - 12 * y - w):(p - 12 * y + w))) + 1
 *   pe <- function(i, p) sum(c[i]) / sum(x[i]) * x[p + 1]
 *   pd <- function(i) { mu <- x[i] * sum(c[i]) / sum(x[i])
 *       sum((c[i] - mu)^2 / mu) / (length(i) - 1) }
 * which glm(c[i] ~ 1 + offset(log(x[i])), family = quasipoisson) confirms
 * (its fitted mean and summary()$dispersion, to 1e-9 with epsilon 1e-16). */
Test(expr, seasonal_expected_and_dispersion_as_farrington)
{
	int32_t p0 = 2022 * 12;
	struct series *s = count_series(GRAN_MONTH, p0, mc, mx, 40);

	/* pe(ref(39, 3, 1), 39): months 3-5 of 2022, 2023, 2024 */
	stat_near(s, "seasonal_expected(c, x, 3)", p0 + 39, 5.9629629629629628);
	stat_near(s, "seasonal_expected(c, x, 3, 1)", p0 + 39, 5.9629629629629628);
	/* pd(ref(39, 3, 1)) */
	stat_near(s, "seasonal_dispersion(c, x, 3)", p0 + 39, 6.2401901669758821);
	/* pe(ref(39, 2, 0), 39): April 2023 and 2024 only */
	stat_near(s, "seasonal_expected(c, x, 2, 0)", p0 + 39, 10.162790697674419);
	/* pe(ref(37, 3, 1), 37): the earliest period is the first data */
	stat_near(s, "seasonal_expected(c, x, 3)", p0 + 37, 8.6402116402116427);
	cr_assert(isnan(ev_series(s, "seasonal_expected(c, x, 3)", 0, p0 + 36)));
	cr_assert(isnan(ev_series(s, "seasonal_dispersion(c, x, 3)", 0, p0 + 36)));
	/* the trailing dispersion: pd((13:36) + 1) */
	stat_near(s, "dispersion(c, x, 24, 3)", p0 + 39, 4.508723418012802);
	/* all together: 12 counts where 5.96 are expected with dispersion
	 * 6.24. R: pnbinom(11, size = m / (d - 1), mu = m, lower.tail = FALSE)
	 * with m and d above */
	cr_assert_float_eq(ev_series(s, "nbinom_tail(12, seasonal_expected(c, x, 3), "
	    "seasonal_dispersion(c, x, 3))", 0, p0 + 39), 0.15089391647531628,
	    1e-9 * 0.15);
	series_free(s);
}

Test(expr, seasonal_years_are_52_weeks_with_3_either_side)
{
	/* 120 weeks; R as above with Y = 52 and w = 3:
	 * pe(ref(119, 2, 3), 119) and pd(ref(119, 2, 3)) */
	static const double wc[120] = { 5, 5, 5, 4, 3, 5, 5, 5, 7, 4, 7, 4, 7, 8,
	    5, 5, 7, 4, 7, 7, 6, 7, 6, 5, 3, 4, 6, 3, 2, 5, 5, 1, 4, 2, 1, 2, 1,
	    2, 4, 1, 4, 3, 4, 1, 3, 2, 4, 4, 3, 5, 3, 5, 6, 3, 6, 6, 4, 5, 7, 5,
	    4, 4, 4, 7, 7, 8, 5, 7, 4, 7, 7, 7, 4, 4, 3, 6, 4, 4, 3, 2, 5, 3, 5,
	    4, 1, 4, 1, 2, 3, 4, 2, 2, 2, 1, 2, 1, 3, 2, 4, 2, 5, 2, 3, 2, 6, 3,
	    3, 3, 6, 5, 5, 4, 4, 7, 5, 7, 6, 6, 7, 5 };
	double wx[120];
	int32_t p0 = 5000;

	for (int i = 0; i < 120; i++)
		wx[i] = 100 + i % 7;
	struct series *s = count_series(GRAN_WEEK, p0, wc, wx, 120);
	stat_near(s, "seasonal_expected(c, x, 2)", p0 + 119, 6.102635228848821);
	/* under-dispersed: 0.297, so 1 */
	cr_assert_eq(ev_series(s, "seasonal_dispersion(c, x, 2)", 0, p0 + 119), 1);
	stat_near(s, "seasonal_expected(c, x, 2)", p0 + 107, 4.880721220527052);
	cr_assert(isnan(ev_series(s, "seasonal_expected(c, x, 2)", 0, p0 + 106)));
	series_free(s);
}

Test(expr, expected_from_peers_and_the_top_unit)
{
	/* acme/b (headcount 4) is below the floor: left out of the peers */
	is("peer_expected(x, headcount)", U_A, 105, 3.0 / 6 * 10);
	is("peer_expected(x, headcount)", U_C, 105, 7.0 / 10 * 6);
	is("peer_expected(x, headcount)", U_B, 105, 10.0 / 16 * 4);
	/* acme/c has no headcount at 106: no peer left */
	is("peer_expected(x, headcount)", U_A, 106, _);
	is("peer_expected(x, headcount)", U_ACME, 105, _);	/* top level */
	is("peer_expected(x, headcount)", U_OTHER, 105, _);
	/* with a floor of 3, acme/b counts */
	cr_assert_eq(ev_env("peer_expected(x, headcount)", U_A, 105, 3, 0),
	    103.0 / 10 * 10);
	is("top(x)", U_A, 105, 60);
	is("top(x)", U_ACME, 105, 60);
	is("top(x)", U_OTHER, 105, 6);
	is("top(x)", U_A, 107, _);	/* acme below the floor at 107 */
	is("top(sum(x, 2))", U_A, 100, _);	/* acme's own first data */
	/* the rate of the whole company applied to the team */
	is("headcount * top(x) / top(headcount)", U_A, 105, 10 * 60.0 / 30);
}

Test(expr, sqrt)
{
	near("sqrt(x)", U_A, 107, sqrt(10));
	val("sqrt(0)", 0);
	val("sqrt(0 - 1)", _);
	val("sqrt(nosuch)", _);
	/* a Pearson residual */
	near("(x - 4) / sqrt(2 * 4)", U_A, 107, 6 / sqrt(8));
}

Test(expr, statistics_compile_errors)
{
	fails("cusum(x, 3)", "r.yaml:4:12: error: cusum() takes 3 arguments, got 2");
	fails("cusum(x, 3, -1)", "r.yaml:4:24: error: the reference value of "
	    "cusum() must be a number literal >= 0");
	fails("cusum(x, 3, k)", "r.yaml:4:24: error: the reference value of "
	    "cusum() must be a number literal >= 0");
	fails("cusum(x, 0.5, 1)", "r.yaml:4:21: error: the window size of cusum() "
	    "must be an integer literal >= 1");
	fails("ewma(x, 3, 0)", "r.yaml:4:23: error: the weight of ewma() must be a "
	    "number literal above 0 and at most 1");
	fails("ewma(x, 3, 1.5)", "r.yaml:4:23: error: the weight of ewma() must be "
	    "a number literal above 0 and at most 1");
	fails("seasonal_expected(c, x)", "r.yaml:4:12: error: seasonal_expected() "
	    "takes 3 or 4 arguments, got 2");
	fails("seasonal_expected(c, x, 0)", "r.yaml:4:36: error: the number of "
	    "years of seasonal_expected() must be an integer literal from 1 to 10");
	fails("seasonal_dispersion(c, x, 11)", "r.yaml:4:38: error: the number of "
	    "years of seasonal_dispersion() must be an integer literal from 1 to 10");
	fails("seasonal_expected(c, x, 3, 6)", "r.yaml:4:39: error: the half-width "
	    "of seasonal_expected() must be an integer literal from 0 to 5");
	fails("seasonal_expected(c, x, 2 + 1)", "r.yaml:4:36: error: the number of "
	    "years of seasonal_expected() must be an integer literal from 1 to 10");
	fails("dispersion(c, x, 0)", "r.yaml:4:29: error: the window size of "
	    "dispersion() must be an integer literal >= 1");
	fails("dispersion(c, x, 10001)", "r.yaml:4:29: error: the window size of "
	    "dispersion() must be at most 10000");
	fails("peer_expected(x)", "r.yaml:4:12: error: peer_expected() takes 2 "
	    "arguments, got 1");
	fails("top(x, y)", "r.yaml:4:12: error: top() takes 1 argument, got 2");
	fails("nbinom_tail(1, 2)", "r.yaml:4:12: error: nbinom_tail() takes 3 "
	    "arguments, got 2");
	fails("credible_rate(1, 2, 3)", "r.yaml:4:12: error: credible_rate() takes "
	    "4 arguments, got 3");
	fails("sqrt()", "r.yaml:4:12: error: sqrt() takes 1 argument, got 0");
	fails("nbinom_tial(1, 2, 3)", "r.yaml:4:12: error: unknown function "
	    "\"nbinom_tial\" (did you mean \"nbinom_tail\"?)");
	/* nested seasonal windows read more than the cost allows */
	fails("seasonal_expected(seasonal_expected(sum(x, 1000), x, 10, 5), x, 10, 5)",
	    "r.yaml:4:12: error: nested windows read too many periods (more than "
	    "200000 values per evaluation): use smaller windows or fewer levels "
	    "of nesting");
}

/* ---- compile-time properties ---- */

static void lookback_is(const char *src, int32_t want, bool hier)
{
	struct names nm = { 0 };
	struct expr *e = compile_ok(src, &nm);

	cr_assert_eq(expr_lookback(e), want, "%s: lookback %d, want %d", src,
	    expr_lookback(e), want);
	cr_assert_eq(expr_uses_hierarchy(e), hier, "%s", src);
	/* Weeks: the bound itself (a year of 52, 3 either side). */
	cr_assert_eq(expr_lookback_in(e, GRAN_WEEK), want, "%s: over weeks %d, "
	    "want %d", src, expr_lookback_in(e, GRAN_WEEK), want);
	expr_free(e);
	names_free(&nm);
}

/* Over months, what the evaluation reads (seasonal_periods: 12 a year, 1
 * either side by default). */
static void months_is(const char *src, int32_t want)
{
	struct names nm = { 0 };
	struct expr *e = compile_ok(src, &nm);

	cr_assert_eq(expr_lookback_in(e, GRAN_MONTH), want, "%s: over months "
	    "%d, want %d", src, expr_lookback_in(e, GRAN_MONTH), want);
	expr_free(e);
	names_free(&nm);
}

Test(expr, lookback_and_hierarchy)
{
	lookback_is("x", 0, false);
	lookback_is("sum(x, 3)", 2, false);
	lookback_is("sum(x, 3, 2)", 4, false);
	lookback_is("lag(sum(x, 3), 2)", 4, false);
	lookback_is("zscore(x, 12)", 12, false);
	lookback_is("avg(x, 3) / avg(x, 12, 3)", 14, false);
	lookback_is("delta(avg(x, 2), 1)", 2, false);
	lookback_is("pct_change(x, 12) + rises(x, 3)", 12, false);
	lookback_is("rises(x, 3)", 3, false);
	lookback_is("parent(sum(x, 3))", 2, true);
	lookback_is("1 + avg(peer_avg(x), 6)", 5, true);
	lookback_is("coalesce(lag(x, 7), poisson_tail(x, sum(x, 4)))", 7, false);
	lookback_is("cusum(x, 6, 0.5)", 5, false);
	lookback_is("ewma(lag(x, 2), 6, 0.3)", 7, false);
	lookback_is("dispersion(x, sum(y, 3), 12, 3)", 16, false);
	/* a bound for months and weeks: 52 periods a year, 3 either side */
	lookback_is("seasonal_expected(x, y, 2)", 107, false);
	lookback_is("seasonal_dispersion(x, sum(y, 3), 2, 1)", 107, false);
	lookback_is("nbinom_tail(x, lag(x, 4), credible_rate(x, y, 1, 2))", 4, false);
	lookback_is("top(x) + sqrt(x)", 0, true);
	lookback_is("peer_expected(sum(x, 3), y)", 2, true);
	months_is("seasonal_expected(x, y, 2)", 25);
	months_is("seasonal_dispersion(x, sum(y, 3), 2, 1)", 27);
	months_is("seasonal_expected(sum(x, 3), y, 1, 0) + lag(x, 20)", 20);
	months_is("top(seasonal_expected(x, y, 2)) / avg(x, 24, 3)", 26);
	months_is("cusum((x - avg(x, 24, 3)) / stddev(x, 24, 3), 6, 1)", 31);
	months_is("sum(x, 12)", 11);
}

Test(expr, names_are_interned_once)
{
	struct names nm = { 0 };
	struct expr *a = compile_ok("x + y * x", &nm);
	struct expr *b = compile_ok("y + headcount", &nm);

	cr_assert_eq(nm.n, 3);
	cr_assert_str_eq(nm.v[0], "x");
	cr_assert_str_eq(nm.v[1], "y");
	cr_assert_str_eq(nm.v[2], "headcount");
	cr_assert_eq(names_intern(&nm, "yy", 1), 1);
	expr_free(a);
	expr_free(b);
	names_free(&nm);
	cr_assert_eq(nm.n, 0);
	expr_free(NULL);
}

/* ---- errors ---- */

/* Positions as the rules loader gives them for a block scalar starting at
 * line 4, column 12, continuation lines indented to column 7. */
static struct srcpos *positions(const char *src, size_t len)
{
	struct srcpos *pos = malloc((len + 1) * sizeof(*pos));
	int line = 4, col = 12;

	cr_assert(pos);
	for (size_t i = 0; i <= len; i++) {
		pos[i].line = line;
		pos[i].col = col++;
		if (i < len && src[i] == '\n') {
			line++;
			col = 7;
		}
	}
	return pos;
}

static void fails_len(const char *src, size_t len, const char *want)
{
	struct names nm = { 0 };
	struct diags d = { 0 };
	struct srcpos *pos = positions(src, len);
	struct expr *e = expr_compile(src, len, "r.yaml", pos, &nm, &d, NULL);
	char *got = diags_to_string(&d, 0);
	char full[512];

	snprintf(full, sizeof(full), "%s\n", want);
	cr_assert_null(e, "%s: compiled", src);
	cr_assert_str_eq(got, full, "for %s:\n got: %s want: %s", src, got, full);
	cr_assert_eq(d.n, 1);
	free(got);
	free(pos);
	diags_free(&d);
	names_free(&nm);
}

static void fails(const char *src, const char *want)
{
	fails_len(src, strlen(src), want);
}

Test(expr, syntax_errors_name_the_offending_character)
{
	fails("1 + 2)", "r.yaml:4:17: error: unexpected \")\"");
	fails("2 *", "r.yaml:4:15: error: expected an expression after \"*\"");
	fails("2 * )", "r.yaml:4:16: error: expected an expression after \"*\"");
	fails("()", "r.yaml:4:13: error: expected an expression after \"(\"");
	fails("", "r.yaml:4:12: error: expected an expression");
	fails("  # nothing but a comment", "r.yaml:4:37: error: expected an expression");
	fails("not", "r.yaml:4:15: error: expected an expression after \"not\"");
	fails("1 $ 2", "r.yaml:4:14: error: unknown character \"$\"");
	fails("x + é", "r.yaml:4:16: error: unknown character \"é\"");
	fails_len("x\0", 2, "r.yaml:4:13: error: unknown character \"\\x00\"");
	fails("(1 + 2", "r.yaml:4:18: error: missing \")\"");
	fails("(1 2)", "r.yaml:4:15: error: unexpected \"2\" (expected \")\")");
	fails("1 2", "r.yaml:4:14: error: unexpected \"2\"");
	fails("x not y", "r.yaml:4:14: error: unexpected \"not\"");
	fails("1 + not 0", "r.yaml:4:16: error: \"not\" must be put in parentheses "
	    "here: write \"(not ...)\"");
	fails("+1", "r.yaml:4:12: error: expected an expression");
	fails("a < b < c", "r.yaml:4:18: error: comparisons cannot be chained: "
	    "combine them with \"and\" (a < b and b < c)");
	fails("a == b != c", "r.yaml:4:19: error: comparisons cannot be chained: "
	    "combine them with \"and\" (a < b and b < c)");
}

Test(expr, errors_on_later_lines)
{
	fails("sum(x, 3)\n  # comment )\n  / )", "r.yaml:6:11: error: expected "
	    "an expression after \"/\"");
	fails("1 +\n\n  $", "r.yaml:6:9: error: unknown character \"$\"");
}

Test(expr, the_first_error_is_the_one_reported)
{
	fails("1 + ) $", "r.yaml:4:16: error: expected an expression after \"+\"");
	fails("1 $ + )", "r.yaml:4:14: error: unknown character \"$\"");
	fails("sume(x, 3) + $", "r.yaml:4:12: error: unknown function \"sume\" "
	    "(did you mean \"sum\"?)");
}

Test(expr, operators_from_other_languages)
{
	fails("x = 2", "r.yaml:4:14: error: unknown operator \"=\" (write \"==\" "
	    "to compare)");
	fails("!x", "r.yaml:4:12: error: unknown operator \"!\" (write \"not\", or "
	    "\"!=\" to compare)");
	fails("x && y", "r.yaml:4:14: error: unknown operator \"&&\" (write \"and\")");
	fails("x || y", "r.yaml:4:14: error: unknown operator \"||\" (write \"or\")");
	fails("x AND y", "r.yaml:4:14: error: operators are lower case: write "
	    "\"and\" instead of \"AND\"");
}

/* French words and a French spreadsheet's signs, where the grammar stops:
 * the hint says what to write, at the word or the sign. */
Test(expr, french_operators_signs_and_decimal_commas_say_what_to_write)
{
	fails("x > 2 et y > 1", "r.yaml:4:18: error: unexpected \"et\" (write "
	    "\"and\")");
	fails("(x > 2 ou y > 1)", "r.yaml:4:19: error: unexpected \"ou\" (write "
	    "\"or\")");
	fails("x > 2 ET y > 1", "r.yaml:4:18: error: unknown operator \"ET\" "
	    "(write \"and\")");
	fails("avg(x, 3) <> 2", "r.yaml:4:22: error: unknown operator \"<>\" "
	    "(write \"!=\" for \"not equal\")");
	fails("x ≥ 2", "r.yaml:4:14: error: unknown character \"≥\" (write "
	    "\">=\")");
	fails("x ≤ 2", "r.yaml:4:14: error: unknown character \"≤\" (write "
	    "\"<=\")");
	fails("x * 1,5", "r.yaml:4:17: error: unexpected \",\" (a decimal comma? "
	    "write 1.5)");
	fails("x / (1,25 * y)", "r.yaml:4:18: error: unexpected \",\" (a decimal "
	    "comma? write 1.25)");
	/* Spaced: two numbers, not one cut in two. */
	fails("x * 1, 5", "r.yaml:4:17: error: unexpected \",\"");
	/* "et" alone is a name: an indicator, maybe. */
	fails("et et", "r.yaml:4:15: error: unexpected \"et\" (write \"and\")");
}

/* What a spreadsheet's formulas taught: said in the expression's words. */
Test(expr, spreadsheet_habits_say_what_to_write)
{
	fails("sum(short_absences; 3)", "r.yaml:4:30: error: unknown character "
	    "\";\" (arguments are separated by \",\": write sum(short_absences, 3))");
	fails("100 * sum(a, 3) / sum(b; 3; 1)", "r.yaml:4:35: error: unknown "
	    "character \";\" (arguments are separated by \",\": write "
	    "sum(b, 3, 1))");
	fails("least(avg(x; 3), 1)", "r.yaml:4:23: error: unknown character "
	    "\";\" (arguments are separated by \",\": write avg(x, 3))");
	fails("x; y", "r.yaml:4:13: error: unknown character \";\" (arguments "
	    "are separated by \",\", as in sum(x, 3))");
	fails("pct_change(x, 1) > 15%", "r.yaml:4:33: error: unknown character "
	    "\"%\" (write numbers without %: 15 against a percentage such as "
	    "100 * a / b or pct_change(), 0.15 against a ratio a / b)");
	fails("x / y > 2.5 %", "r.yaml:4:24: error: unknown character \"%\" "
	    "(write numbers without %: 2.5 against a percentage such as 100 * a "
	    "/ b or pct_change(), 0.025 against a ratio a / b)");
	fails("x % 2", "r.yaml:4:14: error: unknown character \"%\" (for a "
	    "percentage, write 100 * a / b; or compare the ratio a / b with a "
	    "fraction: 0.15 for 15%)");
	fails("moyenne(x, 3)", "r.yaml:4:12: error: unknown function "
	    "\"moyenne\" (did you mean \"avg\"?)");
	fails("1 + average(x, 3)", "r.yaml:4:16: error: unknown function "
	    "\"average\" (did you mean \"avg\"?)");
	fails("avrage(x, 3)", "r.yaml:4:12: error: unknown function \"avrage\" "
	    "(did you mean \"avg\"?)");
	fails("somme(x, 3)", "r.yaml:4:12: error: unknown function \"somme\" "
	    "(did you mean \"sum\"?)");
	fails("SOMME(x, 3)", "r.yaml:4:12: error: unknown function \"SOMME\" "
	    "(did you mean \"sum\"?)");
	fails("si(x > 3, 1, 0)", "r.yaml:4:12: error: unknown function \"si\" "
	    "(there is no if(): a rule's condition goes under \"when:\")");
	fails("IF(x > 3, 1, 0)", "r.yaml:4:12: error: unknown function \"IF\" "
	    "(there is no if(): a rule's condition goes under \"when:\")");
	fails("least(avg(x, 3), 0,5)", "r.yaml:4:12: error: least() takes 2 "
	    "arguments, got 3 (a decimal comma? \"0,5\" reads as two arguments; "
	    "write 0.5)");
	fails("1 + coalesce(sqrt(2,25), 1)", "r.yaml:4:25: error: sqrt() takes 1 "
	    "argument, got 2 (a decimal comma? \"2,25\" reads as two arguments; "
	    "write 2.25)");
	/* Spaced, or in a nested call: not a number cut in two. */
	fails("least(x, 0, 5)", "r.yaml:4:12: error: least() takes 2 arguments, "
	    "got 3");
	fails("abs(sum(x, 3,1), y)", "r.yaml:4:12: error: abs() takes 1 argument, "
	    "got 2");
	fails("max(x, y)", "r.yaml:4:19: error: the window size of max() must be "
	    "an integer literal >= 1 (for the greater of two values, write "
	    "greatest(a, b))");
	fails("min(x, 0.5)", "r.yaml:4:19: error: the window size of min() must "
	    "be an integer literal >= 1 (for the lesser of two values, write "
	    "least(a, b))");
}

Test(expr, malformed_numbers)
{
	fails("1. + x", "r.yaml:4:12: error: malformed number \"1.\"");
	fails("3x", "r.yaml:4:12: error: malformed number \"3x\"");
	fails("1.2.3", "r.yaml:4:12: error: malformed number \"1.2.3\"");
	fails("x * .5", "r.yaml:4:16: error: malformed number \".5\" (write a "
	    "digit before the point: \"0.5\")");
	fails("1e999", "r.yaml:4:12: error: number \"1e999\" is too large");
	fails("1e", "r.yaml:4:12: error: malformed number \"1e\"");
}

Test(expr, names_must_be_lower_case)
{
	fails("Headcount / 2", "r.yaml:4:12: error: indicator names are lower "
	    "case: write \"headcount\" instead of \"Headcount\"");
	fails("2 * absenceDays", "r.yaml:4:16: error: indicator names are lower "
	    "case: write \"absencedays\" instead of \"absenceDays\"");
	fails("Sum (x, 3)", "r.yaml:4:12: error: function names are lower case: "
	    "write \"sum\" instead of \"Sum\"");
	fails("_x", "r.yaml:4:12: error: indicator names start with a lower-case "
	    "letter: \"_x\"");
	fails("a23456789012345678901234567890123456789012345678901234567890123456",
	    "r.yaml:4:12: error: indicator names are at most 64 bytes");
}

#define KNOWN_FUNCTIONS "sum, avg, min, max, count, stddev, slope, cusum, " \
	"ewma, lag, delta, pct_change, zscore, rises, dispersion, " \
	"seasonal_expected, seasonal_dispersion, abs, sqrt, normal_tail, " \
	"coalesce, least, greatest, parent, peer_avg, top, peer_expected, " \
	"poisson_tail, nbinom_tail, credible_rate"

Test(expr, unknown_functions_and_arity)
{
	fails("sume(x, 3)", "r.yaml:4:12: error: unknown function \"sume\" (did you "
	    "mean \"sum\"?)");
	fails("1 + frobnicate(x, 3)", "r.yaml:4:16: error: unknown function "
	    "\"frobnicate\" (known functions: " KNOWN_FUNCTIONS ")");
	/* The first word of one function's name: that function; of two, none. */
	fails("poisson(x, 1)", "r.yaml:4:12: error: unknown function \"poisson\" "
	    "(did you mean \"poisson_tail\"?)");
	fails("seasonal(x, 1, 2)", "r.yaml:4:12: error: unknown function "
	    "\"seasonal\" (known functions: " KNOWN_FUNCTIONS ")");
	fails("sum(x)", "r.yaml:4:12: error: sum() takes 2 or 3 arguments, got 1");
	fails("sum()", "r.yaml:4:12: error: sum() takes 2 or 3 arguments, got 0");
	fails("1 + sum(x, 3, 1, 2)", "r.yaml:4:16: error: sum() takes 2 or 3 "
	    "arguments, got 4");
	fails("abs(x, 1)", "r.yaml:4:12: error: abs() takes 1 argument, got 2");
	fails("lag(x)", "r.yaml:4:12: error: lag() takes 2 arguments, got 1");
	fails("lag(x, 1, 2)", "r.yaml:4:12: error: lag() takes 2 arguments, got 3");
	fails("coalesce(x)", "r.yaml:4:12: error: coalesce() takes 2 arguments, "
	    "got 1");
	fails("least(x)", "r.yaml:4:12: error: least() takes 2 arguments, got 1");
	fails("parent()", "r.yaml:4:12: error: parent() takes 1 argument, got 0");
	fails("poisson_tail(x, 1, 2)", "r.yaml:4:12: error: poisson_tail() takes 2 "
	    "arguments, got 3");
	fails("sum(x 3)", "r.yaml:4:18: error: unexpected \"3\" (expected \",\" "
	    "or \")\")");
	fails("sum(x, 3", "r.yaml:4:20: error: missing \")\"");
	fails("sum(x, 3 x)", "r.yaml:4:21: error: unexpected \"x\" (expected "
	    "\",\" or \")\")");
	fails("sum(, 3)", "r.yaml:4:16: error: expected an expression after \"(\"");
	fails("coalesce(x,)", "r.yaml:4:23: error: expected an expression after "
	    "\",\"");
}

Test(expr, integer_arguments_must_be_literals)
{
	fails("sum(x, 0)", "r.yaml:4:19: error: the window size of sum() must be "
	    "an integer literal >= 1");
	fails("avg(x, n)", "r.yaml:4:19: error: the window size of avg() must be "
	    "an integer literal >= 1");
	fails("max(x, 1.5)", "r.yaml:4:19: error: the window size of max() must be "
	    "an integer literal >= 1 (for the greater of two values, write "
	    "greatest(a, b))");
	fails("min(x, 3.0)", "r.yaml:4:19: error: the window size of min() must be "
	    "an integer literal >= 1 (for the lesser of two values, write "
	    "least(a, b))");
	fails("count(x, -1)", "r.yaml:4:21: error: the window size of count() must "
	    "be an integer literal >= 1");
	fails("stddev(x, 2 + 1)", "r.yaml:4:22: error: the window size of stddev() "
	    "must be an integer literal >= 1");
	fails("avg(x, 3, y)", "r.yaml:4:22: error: the offset of avg() must be an "
	    "integer literal >= 0");
	fails("avg(x, 3, -1)", "r.yaml:4:22: error: the offset of avg() must be an "
	    "integer literal >= 0");
	fails("slope(x, 3,)", "r.yaml:4:23: error: expected the offset of slope() "
	    "after \",\" (or no \",\")");
	fails("lag(x, x)", "r.yaml:4:19: error: the offset of lag() must be an "
	    "integer literal >= 0");
	fails("delta(x, 0)", "r.yaml:4:21: error: the offset of delta() must be an "
	    "integer literal >= 1");
	fails("pct_change(x, 0)", "r.yaml:4:26: error: the offset of pct_change() "
	    "must be an integer literal >= 1");
	fails("zscore(x, 0)", "r.yaml:4:22: error: the window size of zscore() "
	    "must be an integer literal >= 1");
	fails("rises(x, 0)", "r.yaml:4:21: error: the number of periods of rises() "
	    "must be an integer literal >= 1");
	fails("sum(x, 10001)", "r.yaml:4:19: error: the window size of sum() must "
	    "be at most 10000");
	fails("lag(x, 99999999999999999999)", "r.yaml:4:19: error: the offset of "
	    "lag() must be at most 10000");
}

static void append(char *s, size_t *len, const char *t)
{
	size_t n = strlen(t);

	memcpy(s + *len, t, n + 1);
	*len += n;
}

Test(expr, size_and_nesting_limits)
{
	size_t n = 100000, len;
	char *s = malloc(2 * n + 2);
	char want[200];

	cr_assert(s);
	/* far too long: refused before parsing */
	memset(s, '(', n);
	s[n] = '1';
	memset(s + n + 1, ')', n);
	s[2 * n + 1] = 0;
	snprintf(want, sizeof(want), "r.yaml:4:12: error: the expression is too "
	    "long (%zu bytes, at most 4096)", 2 * n + 1);
	fails(s, want);
	/* the limit itself is fine */
	memset(s, ' ', 4096);
	s[0] = '1';
	s[4096] = 0;
	val(s, 1);
	s[4096] = ' ';
	s[4097] = 0;
	fails(s, "r.yaml:4:12: error: the expression is too long (4097 bytes, at "
	    "most 4096)");
	/* 64 levels are fine, 65 are not */
	memset(s, '(', 64);
	s[64] = '1';
	memset(s + 65, ')', 64);
	s[129] = 0;
	val(s, 1);
	memset(s, '(', 65);
	s[65] = '1';
	memset(s + 66, ')', 65);
	s[131] = 0;
	fails(s, "r.yaml:4:76: error: the expression nests too deeply (at most 64 "
	    "levels of parentheses and function calls)");
	/* the same with calls, and a long flat chain needs no nesting */
	len = 0;
	for (int i = 0; i < 65; i++)
		append(s, &len, "abs(");
	append(s, &len, "x");
	for (int i = 0; i < 65; i++)
		append(s, &len, ")");
	fails(s, "r.yaml:4:268: error: the expression nests too deeply (at most "
	    "64 levels of parentheses and function calls)");
	len = 0;
	for (int i = 0; i < 1000; i++)
		append(s, &len, "-x+");
	append(s, &len, "1");
	val(s, -9999);
	/* long prefix chains are loops, not recursion */
	len = 0;
	for (int i = 0; i < 2000; i++)
		append(s, &len, "-");
	append(s, &len, "1");
	val(s, 1);
	len = 0;
	for (int i = 0; i < 1001; i++)
		append(s, &len, "not ");
	append(s, &len, "0");
	val(s, 1);
	free(s);
}

Test(expr, errors_without_positions_use_line_1)
{
	struct names nm = { 0 };
	struct diags d = { 0 };
	char *got;

	cr_assert_null(expr_compile("1 + 2)", 6, "f.yaml", NULL, &nm, &d, NULL));
	got = diags_to_string(&d, 0);
	cr_assert_str_eq(got, "f.yaml:1:6: error: unexpected \")\"\n");
	free(got);
	diags_free(&d);
	names_free(&nm);
}

/* Valid, and undefined at every period: a warning at the window's size,
 * none for a window of 2, for avg() over 1 (one value has a mean) or for
 * an offset of 1. */
Test(expr, spread_over_one_period_warns)
{
	const char *src = "stddev(x, 1) + avg(x, 1) + zscore(x, 2) + slope(x, 2, 1)";
	struct names nm = { 0 };
	struct diags d = { 0 }, w = { .kind = "warning" };
	struct expr *e = expr_compile(src, strlen(src), "f.yaml", NULL, &nm, &d, &w);
	char *got;

	cr_assert_not_null(e);
	cr_assert_eq(d.n, 0);
	got = diags_to_string(&w, 0);
	cr_assert_str_eq(got, "f.yaml:1:11: warning: stddev() over a window of 1 "
	    "period is undefined at every period (it needs 2 values or more); use "
	    "a window of 2 periods or more\n");
	free(got);
	expr_free(e);
	diags_free(&w);
	diags_free(&d);
	names_free(&nm);
}

/* --- memo property test: expr_eval_memo == expr_eval, bit for bit ----- */

static unsigned memo_rnd_state = 2024;

static unsigned memo_rnd(unsigned n)
{
	memo_rnd_state = memo_rnd_state * 1103515245u + 12345u;
	return (memo_rnd_state >> 16) % n;
}

/* A random expression of the whole language; windows and point functions
 * get compound bodies often, and the same body twice now and then (they
 * share a memo slot). */
static void gen_expr(char *b, size_t size, size_t *len, int depth)
{
	static const char *const leaves[] = { "x", "y", "z", "headcount",
	    "x", "y", "0", "2.5" };
	static const char *const bin[] = { "+", "-", "*", "/", "<", "<=", ">",
	    ">=", "==", "!=", "and", "or" };
	static const char *const win[] = { "sum", "avg", "min", "max", "count",
	    "stddev", "slope" };
	static const char *const pt[] = { "delta", "pct_change", "zscore",
	    "rises" };
	static const char *const two[] = { "dispersion", "seasonal_expected",
	    "seasonal_dispersion", "peer_expected" };
	unsigned k = depth <= 0 ? 0 : memo_rnd(13);

#define OUT(...) (*len += (size_t)snprintf(b + *len, size - *len, __VA_ARGS__))
	cr_assert(*len < size - 64);
	switch (k) {
	case 0: case 1:
		OUT("%s", leaves[memo_rnd(8)]);
		break;
	case 2: case 3:
		OUT("(");
		gen_expr(b, size, len, depth - 1);
		OUT(" %s ", bin[memo_rnd(12)]);
		gen_expr(b, size, len, depth - 1);
		OUT(")");
		break;
	case 4: case 5: {
		size_t at = *len;
		OUT("(%s(", win[memo_rnd(7)]);
		gen_expr(b, size, len, depth - 1);
		OUT(", %u, %u)", 1 + memo_rnd(5), memo_rnd(3));
		if (memo_rnd(3) == 0) {
			/* the same body in a second window */
			size_t bl = *len - at;
			char *copy = strndup(b + at + 1, bl - 1);
			char *comma = strrchr(copy, ',');
			cr_assert(copy && comma);
			comma = (char *)memrchr(copy, ',', (size_t)(comma - copy));
			cr_assert(comma);
			*comma = '\0';
			OUT(" - %s, %u)", copy, 1 + memo_rnd(6));
			free(copy);
		}
		OUT(")");
		break;
	}
	case 6:
		OUT("%s(", pt[memo_rnd(4)]);
		gen_expr(b, size, len, depth - 1);
		OUT(", %u)", 1 + memo_rnd(3));
		break;
	case 7:
		OUT("lag(");
		gen_expr(b, size, len, depth - 1);
		OUT(", %u)", memo_rnd(3));
		break;
	case 8:
		OUT("%s(", memo_rnd(2) ? "parent" : "peer_avg");
		gen_expr(b, size, len, depth - 1);
		OUT(")");
		break;
	case 10:
		OUT("%s(", memo_rnd(2) ? "cusum" : "ewma");
		gen_expr(b, size, len, depth - 1);
		OUT(", %u, %s)", 1 + memo_rnd(5), memo_rnd(2) ? "0.5" : "1");
		break;
	case 11: {
		/* a count and an exposure, now and then the same body twice */
		unsigned f = memo_rnd(4);
		size_t at;
		OUT("%s(", two[f]);
		at = *len;
		gen_expr(b, size, len, depth - 1);
		if (memo_rnd(3) == 0) {
			char *copy = strndup(b + at, *len - at);
			cr_assert(copy);
			OUT(", %s", copy);
			free(copy);
		} else {
			OUT(", ");
			gen_expr(b, size, len, depth - 1);
		}
		if (f == 0)
			OUT(", %u, %u)", 2 + memo_rnd(4), memo_rnd(2));
		else if (f < 3)
			OUT(", 1%s)", memo_rnd(2) ? "" : ", 0");
		else
			OUT(")");
		break;
	}
	case 12:
		switch (memo_rnd(4)) {
		case 0:
			OUT("nbinom_tail(");
			gen_expr(b, size, len, depth - 1);
			OUT(", 1 + ");
			gen_expr(b, size, len, depth - 1);
			OUT(", ");
			gen_expr(b, size, len, depth - 1);
			OUT(")");
			break;
		case 1:
			OUT("credible_rate(");
			gen_expr(b, size, len, depth - 1);
			OUT(", ");
			gen_expr(b, size, len, depth - 1);
			OUT(", 0.5, ");
			gen_expr(b, size, len, depth - 1);
			OUT(")");
			break;
		default:
			OUT("%s(", memo_rnd(2) ? "top" : "sqrt");
			gen_expr(b, size, len, depth - 1);
			OUT(")");
			break;
		}
		break;
	default:
		OUT("%s(", memo_rnd(2) ? "coalesce" : "poisson_tail");
		gen_expr(b, size, len, depth - 1);
		OUT(", ");
		gen_expr(b, size, len, depth - 1);
		OUT(")");
		break;
	}
#undef OUT
}

static bool same_bits(double a, double b)
{
	return memcmp(&a, &b, sizeof(a)) == 0;
}

/* The memo's contract: bit-identical, but for the sums over siblings of
 * peer_avg() and peer_expected(), compensated and taken once per parent,
 * which agree with the direct sum to the last bits. */
static bool memo_agrees(const char *src, double a, double b)
{
	if (same_bits(a, b))
		return true;
	return strstr(src, "peer_") && !isnan(a) && !isnan(b) &&
	    fabs(a - b) <= 1e-12 * fmax(fabs(a), fabs(b));
}

/* Whether a is within [lo, hi], give or take the rounding of a sum taken
 * value by value where the bound multiplies. */
static bool within(double a, double lo, double hi)
{
	double tol = 1e-9 * fmax(1, fabs(a));

	return a >= lo - tol && a <= hi + tol;
}

/* The memo gives what a plain evaluation gives, and every defined value
 * lies within expr_range() (which the threshold checks trust). */
Test(expr, memoized_evaluation_is_bit_identical_on_random_expressions)
{
	enum { RU = 9, RI = 4, RP0 = 40, RNP = 14 };
	static const int32_t rparent[RU] = { -1, 0, 0, 0, 1, 1, -1, 6, 6 };
	struct series rs = { .gran = GRAN_MONTH, .p0 = RP0, .np = RNP,
	    .nunits = RU, .nind = RI };
	uint32_t off[RU + 1], idx[RU], k = 0;
	double *v = malloc(sizeof(double) * RU * RI * RNP);
	int32_t indmap[RI], first[RU], companion[RI] = { -1, -1, -1, -1 };
	size_t memo_slots = 0, hidden_reads = 0, bounded = 0, in_bounded = 0;
	/* hidden cells drawn at random: the memo must keep whether a body
	 * read one as exactly as its value */
	uint8_t *hid = calloc((size_t)RU * RI * RNP, 1), row[RU * RI];
	struct cells cells = { .s = &rs, .floor = 5, .dominance = 0.85,
	    .headcount = 0, .companion = companion, .hidden = hid, .row = row };

	/* units whose data starts later than the series, and one without */
	for (uint32_t u = 0; u < RU; u++)
		first[u] = u == 7 ? -1 : RP0 + (int32_t)(u % 3);
	rs.first = first;

	cr_assert(v);
	for (uint32_t u = 0; u < RU; u++) {
		off[u] = k;
		for (uint32_t c = 0; c < RU; c++)
			if (rparent[c] == (int32_t)u)
				idx[k++] = c;
	}
	off[RU] = k;
	rs.parent = (int32_t *)rparent;
	rs.child_off = off;
	rs.child_idx = idx;
	rs.v = v;
	for (int round = 0; round < 400; round++) {
		char src[4096];
		size_t len = 0;
		struct names nm = { 0 };

		/* a fresh random series every 20 expressions */
		if (round % 20 == 0)
			for (size_t i = 0; i < (size_t)RU * RI * RNP; i++) {
				static const double pick[] = { 0, 1, 2, 3, 5, 8, 13,
				    0.5, 1e-3, 7.25 };
				bool hc = (i / RNP) % RI == 0;
				v[i] = memo_rnd(6) == 0 ? NAN : hc ?
				    (double)(2 + memo_rnd(14)) : pick[memo_rnd(10)];
				hid[i] = memo_rnd(12) == 0;
			}
		/* which rows have a hidden period, as cells_new says */
		for (size_t r = 0; round % 20 == 0 && r < (size_t)RU * RI; r++) {
			row[r] = 0;
			for (size_t i = 0; i < RNP; i++)
				row[r] |= hid[r * RNP + i];
		}
		gen_expr(src, sizeof(src), &len, 1 + (int)memo_rnd(5));
		struct expr *e = compile_ok(src, &nm);
		for (size_t i = 0; i < nm.n; i++) {
			indmap[i] = -1;
			for (uint32_t j = 0; j < RI; j++)
				if (!strcmp(nm.v[i], ind_names[j]))
					indmap[i] = (int32_t)j;
		}
		struct eval_env env = { .s = &rs, .indmap = indmap, .headcount = 0,
		    .floor = 5, .cells = round % 2 ? &cells : NULL };
		struct expr_memo *m = expr_memo_new(e, RNP);
		bool ha, hb;
		double lo, hi;
		cr_assert(m);
		expr_range(e, &lo, &hi);
		bounded += !isinf(lo) || !isinf(hi);
		for (uint32_t u = 0; u < RU; u++) {
			expr_memo_reset(m, u);
			/* backwards as the engine walks, then forwards and
			 * around the edges of the series as a replay reads */
			for (int32_t p = RP0 + RNP + 1; p >= RP0 - 2; p--) {
				double a = expr_eval(e, &env, u, p, &ha);
				double b = expr_eval_memo(e, &env, m, u, p, &hb);
				cr_assert(memo_agrees(src, a, b), "%s at unit %u, period %d: "
				    "%.17g memoized, %.17g plain", src, u, p, b, a);
				cr_assert_eq(ha, hb, "%s at unit %u, period %d: "
				    "hidden %d memoized, %d plain", src, u, p, hb, ha);
				cr_assert(isnan(a) || within(a, lo, hi), "%s at unit %u, "
				    "period %d: %.17g, outside [%g, %g]", src, u, p, a, lo, hi);
				hidden_reads += ha;
				in_bounded += !isnan(a) && (!isinf(lo) || !isinf(hi));
			}
			for (int32_t p = RP0 - 2; p <= RP0 + RNP + 1; p++) {
				double a = expr_eval(e, &env, u, p, &ha);
				double b = expr_eval_memo(e, &env, m, u, p, &hb);
				cr_assert(memo_agrees(src, a, b), "%s at unit %u, period %d",
				    src, u, p);
				cr_assert_eq(ha, hb, "%s at unit %u, period %d: "
				    "hidden", src, u, p);
			}
			/* a memo of another unit is not used */
			double a = expr_eval(e, &env, (u + 1) % RU, RP0 + RNP - 1, &ha);
			double b = expr_eval_memo(e, &env, m, (u + 1) % RU,
			    RP0 + RNP - 1, &hb);
			cr_assert(same_bits(a, b), "%s: another unit", src);
			cr_assert_eq(ha, hb, "%s: another unit, hidden", src);
		}
		memo_slots += strstr(src, "((") != NULL;
		expr_memo_free(m);
		expr_free(e);
		names_free(&nm);
	}
	cr_assert(memo_slots > 0);
	cr_assert(hidden_reads > 0);
	cr_assert(bounded > 40 && in_bounded > 1000, "%zu bounded, %zu values",
	    bounded, in_bounded);
	free(v);
	free(hid);
}

/* The bounds of a few expressions: sound, and as tight as the checks need
 * (a probability, a comparison, a count). */
Test(expr, range_of_an_expression)
{
	static const struct { const char *src; double lo, hi; } cases[] = {
		{ "poisson_tail(x, 2)", 0, 1 },
		{ "x > 3 and y < 2", 0, 1 },
		{ "least(1, 20 * nbinom_tail(x, 1, 0.5))", 0, 1 },
		{ "count(x, 6)", 0, 6 },
		{ "sum(x > 1, 3)", 0, 3 },
		{ "-poisson_tail(x, 2)", -1, 0 },
		{ "sqrt(4 * poisson_tail(x, 2))", 0, 2 },
		{ "abs(poisson_tail(x, 2) - 1)", 0, 1 },
		{ "max(poisson_tail(x, 2), 3) + 1", 1, 2 },
		{ "ewma(x > 1, 6, 0.3)", 0, 1 },
		{ "cusum(x, 6, 1)", 0, INFINITY },
		{ "coalesce(poisson_tail(x, 2), 5)", 0, 5 },
		{ "parent(x < 2)", 0, 1 },
		{ "delta(x < 2, 1)", -1, 1 },
		{ "poisson_tail(x, 2) / 2", 0, INFINITY },
		{ "x", -INFINITY, INFINITY },
		{ "100 * sum(x, 3) / y", -INFINITY, INFINITY },
		{ "dispersion(x, y, 4) * 0 + 1", 1, 1 },
		{ "credible_rate(x, y, 1, 2)", -INFINITY, INFINITY },
		{ "normal_tail(x) + (not x)", 0, 2 },
		{ "greatest(poisson_tail(x, 2), 0.5)", 0.5, 1 },
		{ "rises(x, 2) - lag(x > 1, 1)", -1, 1 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct names nm = { 0 };
		struct expr *e = compile_ok(cases[i].src, &nm);
		double lo, hi;

		expr_range(e, &lo, &hi);
		cr_expect(lo == cases[i].lo && hi == cases[i].hi, "%s: [%g, %g], "
		    "expected [%g, %g]", cases[i].src, lo, hi, cases[i].lo,
		    cases[i].hi);
		expr_free(e);
		names_free(&nm);
	}
}

Test(expr, identical_window_bodies_share_one_memo)
{
	struct names nm = { 0 };
	struct expr *e = compile_ok("avg(x / headcount, 3) / "
	    "avg(x / headcount, 12, 3) + sum(x, 2) + lag(x + 1, 1)", &nm);
	struct expr_memo *m = expr_memo_new(e, NP);
	int32_t indmap[2] = { 1, 0 };	/* x, headcount */
	struct eval_env env = { .s = &S, .indmap = indmap, .headcount = 0,
	    .floor = 5 };
	double plain = expr_eval(e, &env, U_A, 107, NULL), memo;

	cr_assert(m);
	expr_memo_reset(m, U_A);
	memo = expr_eval_memo(e, &env, m, U_A, 107, NULL);
	cr_assert(same_bits(plain, memo));
	/* expr_memo_new(NULL memo) path: evaluation without a memo */
	cr_assert(same_bits(expr_eval_memo(e, &env, NULL, U_A, 107, NULL), plain));
	expr_memo_free(m);
	expr_memo_free(NULL);
	expr_free(e);
	names_free(&nm);
}

/* The same body inside and outside parent() shares a memo slot, but the
 * one inside is the parent's value: it must not come from the child's memo
 * nor land in it. */
Test(expr, bodies_read_for_another_unit_bypass_the_memo)
{
	static const char *const srcs[] = {
		"sum(x + z, 2) - parent(sum(x + z, 2))",
		"parent(sum(x + z, 2)) - sum(x + z, 2)",
		"avg(x * 2, 3) - peer_avg(avg(x * 2, 3))",
	};
	int32_t indmap[2] = { 1, 3 };	/* x, z */

	for (size_t i = 0; i < sizeof(srcs) / sizeof(srcs[0]); i++) {
		struct names nm = { 0 };
		struct expr *e = compile_ok(srcs[i], &nm);
		struct expr_memo *m = expr_memo_new(e, NP);
		struct eval_env env = { .s = &S, .indmap = indmap,
		    .headcount = 0, .floor = 5 };

		cr_assert(m);
		expr_memo_reset(m, U_A);
		for (int32_t p = P0 + NP - 1; p >= P0; p--) {
			double a = expr_eval(e, &env, U_A, p, NULL);
			double b = expr_eval_memo(e, &env, m, U_A, p, NULL);
			cr_assert(memo_agrees(srcs[i], a, b), "%s at %d: %.17g memoized, "
			    "%.17g plain", srcs[i], p, b, a);
		}
		expr_memo_free(m);
		expr_free(e);
		names_free(&nm);
	}
}

/* Found by fuzz_expr (a 7 s timeout): nested windows multiply, so one
 * evaluation could read 486 x 486 periods per unit, or far more. */
Test(expr, nested_windows_that_read_too_many_periods_are_refused)
{
	fails("avg(absenc-------u-c----avg(absenc-------u-c------nt, 486)--nt, 486)",
	    "r.yaml:4:12: error: nested windows read too many periods (more than 200000 "
	    "values per evaluation): use smaller windows or fewer levels of nesting");
	fails("sum(sum(sum(x, 100), 100), 100)",
	    "r.yaml:4:12: error: nested windows read too many periods (more than 200000 "
	    "values per evaluation): use smaller windows or fewer levels of nesting");
	struct names nm = { 0 };
	expr_free(compile_ok("sum(sum(x, 400), 400) + zscore(avg(x, 12), 24)", &nm));
	expr_free(compile_ok("sum(x, 10000)", &nm));
	names_free(&nm);
}

/* peer_avg() and peer_expected() over one parent's many children: each
 * child's value through the memo (the siblings summed once per parent and
 * period, then its own part taken out) agrees with the direct sum, with
 * values that binary fractions do not hold exactly, undefined ones, and
 * suppressed siblings. With 200,000 siblings the direct way costs 4e10
 * evaluations a period (hours); the timeout is far above what one pass
 * takes, also under the sanitizers. */
static void many_siblings(uint32_t nkids, uint32_t check_every)
{
	const int32_t np = 3, p0 = 10;
	uint32_t nu = nkids + 1;
	struct series s = { .gran = GRAN_MONTH, .p0 = p0, .np = np, .nunits = nu,
	    .nind = 3 };
	int32_t *parent = malloc(nu * sizeof(*parent)), indmap[3] = { 1, 0, 2 };
	uint32_t *idx = malloc(nkids * sizeof(*idx));
	uint32_t *off_all = calloc(nu + 1, sizeof(*off_all));
	double *v = malloc(sizeof(double) * nu * 3 * (size_t)np);
	static const char *const srcs[] = { "peer_avg(x / headcount)",
	    "peer_expected(x, y)" };
	uint64_t seed = 12345;

	cr_assert(parent && idx && off_all && v);
	parent[0] = -1;
	for (uint32_t u = 1; u < nu; u++) {
		parent[u] = 0;
		idx[u - 1] = u;
	}
	for (uint32_t u = 1; u <= nu; u++)
		off_all[u] = nkids;	/* only unit 0 has children */
	for (size_t i = 0; i < (size_t)nu * 3 * (size_t)np; i++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		uint32_t r = (uint32_t)(seed >> 33);
		size_t ind = (i / (size_t)np) % 3;
		v[i] = ind == 0 ? (r % 10 == 0 ? 3 : 5 + r % 40)	/* headcount */
		    : r % 13 == 0 ? NAN : (double)(r % 1000) / 7.0;
	}
	s.parent = parent;
	s.child_off = off_all;
	s.child_idx = idx;
	s.v = v;
	for (size_t k = 0; k < sizeof(srcs) / sizeof(srcs[0]); k++) {
		struct names nm = { 0 };
		struct expr *e = compile_ok(srcs[k], &nm);
		int32_t map[3];
		for (size_t i = 0; i < nm.n; i++)
			map[i] = !strcmp(nm.v[i], "x") ? indmap[0] :
			    !strcmp(nm.v[i], "headcount") ? indmap[1] : indmap[2];
		struct eval_env env = { .s = &s, .indmap = map, .headcount = 0,
		    .floor = 5 };
		struct expr_memo *m = expr_memo_new(e, np);
		size_t defined = 0;

		cr_assert(m);
		for (uint32_t u = 1; u < nu; u++) {
			expr_memo_reset(m, u);
			for (int32_t p = p0 + np - 1; p >= p0; p--) {
				bool ha, hb;
				double b = expr_eval_memo(e, &env, m, u, p, &hb);
				defined += !isnan(b);
				if (u % check_every)
					continue;
				double a = expr_eval(e, &env, u, p, &ha);
				cr_assert(memo_agrees(srcs[k], a, b) || (isnan(a) && isnan(b)),
				    "%s at unit %u, period %d: %.17g memoized, %.17g direct",
				    srcs[k], u, p, b, a);
				cr_assert_eq(ha, hb, "%s at unit %u, period %d: hidden",
				    srcs[k], u, p);
			}
		}
		cr_expect(defined > (size_t)nkids, "%s: few defined values", srcs[k]);
		expr_memo_free(m);
		expr_free(e);
		names_free(&nm);
	}
	free(parent);
	free(idx);
	free(off_all);
	free(v);
}

Test(expr, peer_functions_agree_with_the_direct_sum)
{
	many_siblings(300, 1);
}

Test(expr, peer_functions_over_200000_siblings_take_one_pass, .timeout = 60)
{
	many_siblings(200000, 20000);
}

/* expr_needs: an indicator never imported leaves undefined, at every
 * period, what adds it to another, windows and tails of it and other
 * units' values of it; not what coalesce(), count(), and or or make up
 * for. */
Test(expr, needs_what_cannot_be_defined_without_it)
{
	static const struct { const char *src; bool needs; } cases[] = {
		{ "sum(conflicts + grievances, 6) / sum(headcount, 6)", true },
		{ "poisson_tail(sum(conflicts + grievances, 6), parent(sum(grievances, 24, 6)) + 0.5)", true },
		{ "dispersion(grievances, headcount, 24, 3) + 1", true },
		{ "seasonal_expected(conflicts, grievances, 2)", true },
		{ "peer_expected(grievances, headcount)", true },
		{ "nbinom_tail(conflicts, headcount, grievances)", true },
		{ "greatest(-grievances, 1)", true },
		{ "sum(conflicts + coalesce(grievances, 0), 6)", false },
		{ "count(grievances, 6) + conflicts", false },
		{ "conflicts > 2 or grievances > 0", false },
		{ "conflicts > 2 and grievances > 0", false },
		{ "sum(conflicts, 6)", false },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct names nm = { 0 };
		struct expr *e = compile_ok(cases[i].src, &nm);
		int32_t g = names_find(&nm, "grievances", 10);

		cr_expect_eq(expr_needs(e, g), cases[i].needs, "%s", cases[i].src);
		expr_free(e);
		names_free(&nm);
	}
}
