/* Disclosure control through the engine (SPEC 3): cells (rules/cells.c)
 * wired into the evaluation (rules/expr_eval.c, rules/engine.c). The
 * differencing attacks of the issue that asked for it, each on the figures
 * it was found with, now return nothing; a dominated team never fires; and
 * an output-level property on thousands of random companies: a published
 * rule value only ever depends on published cells, and no hidden group
 * below the floor (or dominated) can be isolated by subtracting published
 * values along the roll-up (a parent minus its published children, at any
 * level). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "vigie/cells.h"
#include "vigie/engine.h"
#include "vigie/rules.h"
#include "vigie/series.h"
#include "linsys.h"

#define P0 (2026 * 12)	/* 2026-01 */
#define FLOOR 5

static struct ruleset *RS;
static struct series *S;
static struct cells *C;

static void reset(void)
{
	cells_free(C);
	series_free(S);
	if (RS)
		ruleset_free(RS);
	C = NULL;
	S = NULL;
	RS = NULL;
}

TestSuite(disclosure, .fini = reset);

static struct ruleset *rules(const char *yaml)
{
	char path[] = "/tmp/vigie-disclosure-XXXXXX.yaml";
	int fd = mkstemps(path, 5);
	struct diags d = { 0 };
	struct ruleset *rs;
	const char *files[1] = { path };

	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, yaml, strlen(yaml)), (ssize_t)strlen(yaml));
	close(fd);
	rs = ruleset_load_files(files, 1, NULL, &d);
	if (!rs || d.n) {
		char *m = diags_to_string(&d, 0);
		cr_log_error("%s", m);
		free(m);
	}
	unlink(path);
	cr_assert_not_null(rs);
	diags_free(&d);
	return rs;
}

/* load(np, "unit", "indicator", "3 3 3 5", ..., NULL): values from P0, "_"
 * missing; then the cells with the floor of 5. */
static void load(int np, ...)
{
	struct series_builder *b = sb_new(GRAN_MONTH, P0, P0 + np - 1);
	int32_t ids[64][2];
	const char *u, *ind, *vals;
	va_list ap;
	int n = 0;

	cr_assert_not_null(b);
	va_start(ap, np);
	while ((u = va_arg(ap, const char *))) {
		ind = va_arg(ap, const char *);
		(void)va_arg(ap, const char *);
		cr_assert(n < 64);
		ids[n][0] = sb_unit(b, u);
		ids[n++][1] = sb_indicator(b, ind);
	}
	va_end(ap);
	n = 0;
	va_start(ap, np);
	while ((u = va_arg(ap, const char *))) {
		(void)va_arg(ap, const char *);
		vals = va_arg(ap, const char *);
		char *copy = strdup(vals), *save = NULL;
		int32_t p = P0;
		for (char *t = strtok_r(copy, " ", &save); t;
		    t = strtok_r(NULL, " ", &save), p++)
			if (strcmp(t, "_"))
				cr_assert_eq(sb_set(b, (uint32_t)ids[n][0],
				    (uint32_t)ids[n][1], p, strtod(t, NULL)), 0);
		free(copy);
		n++;
	}
	va_end(ap);
	S = sb_finish(b);
	cr_assert_not_null(S);
	C = cells_new(S, FLOOR, CELLS_DOMINANCE_DEFAULT);
	cr_assert_not_null(C);
}

/* The row of rule id for unit at P0 + i, as vigie eval shows it. */
static struct eval_row row(const char *id, const char *unit, int i)
{
	struct eval_row *rows, r = { 0 };
	size_t n;
	int32_t u = series_unit(S, unit);

	cr_assert(u >= 0, "no unit %s", unit);
	cr_assert_eq(engine_eval(RS, S, C, FLOOR, P0 + i, &rows, &n), 0);
	for (size_t k = 0; k < n; k++)
		if (!strcmp(RS->rules[rows[k].rule].id, id) &&
		    rows[k].unit == (uint32_t)u) {
			r = rows[k];
			free(rows);
			return r;
		}
	free(rows);
	cr_assert_fail("no row for %s@%s", id, unit);
	return r;
}

static void expect_hidden(const char *id, const char *unit, int i)
{
	struct eval_row r = row(id, unit, i);

	cr_assert(r.suppressed && isnan(r.value) && r.level == SEV_NONE,
	    "%s@%s at P0+%d: %g shown (suppressed %d)", id, unit, i, r.value,
	    r.suppressed);
}

static void expect_value(const char *id, const char *unit, int i, double v)
{
	struct eval_row r = row(id, unit, i);

	cr_assert(!r.suppressed, "%s@%s at P0+%d is suppressed", id, unit, i);
	cr_assert_float_eq(r.value, v, 1e-9, "%s@%s at P0+%d: %g, expected %g",
	    id, unit, i, r.value, v);
}

/* (b) A site of 3 + 20 people shows 29 absence days and its team of 20
 * shows 12: the team of 3 had 17. Now the team of 20 is hidden too (it is
 * the only sibling), in eval and in the 12 periods a digest shows. */
Test(disclosure, a_site_minus_its_visible_team_no_longer_gives_the_small_team_away)
{
	double h[12];

	RS = rules("rules:\n"
	    "  - {id: days, title: t, value: absence_days, above: {warning: 10}}\n");
	load(1,
	    "acme/site/small", "headcount", "3",
	    "acme/site/small", "absence_days", "17",
	    "acme/site/big", "headcount", "20",
	    "acme/site/big", "absence_days", "12", NULL);
	expect_value("days", "acme/site", 0, 29);
	expect_hidden("days", "acme/site/small", 0);
	expect_hidden("days", "acme/site/big", 0);
	engine_history(RS, S, C, FLOOR, 0, (uint32_t)series_unit(S,
	    "acme/site/big"), P0, 12, h);
	for (int i = 0; i < 12; i++)
		cr_assert(isnan(h[i]), "the history shows %g", h[i]);
	/* without the cells, the old subtraction was there to make */
	struct eval_row *rows;
	size_t n;
	cr_assert_eq(engine_eval(RS, S, NULL, FLOOR, P0, &rows, &n), 0);
	bool shown = false;
	for (size_t k = 0; k < n; k++)
		shown |= !strcmp(S->units[rows[k].unit], "acme/site/big") &&
		    rows[k].value == 12;
	free(rows);
	cr_assert(shown, "the test would not catch the attack");
}

/* A rule's own min_headcount is its anonymity floor (SPEC 5), against
 * subtraction too (SPEC 3): with a floor of 25, the team of 22 is hidden
 * and so is the smallest of its siblings, or the site minus the three
 * others would give it away. The rule at the configuration's floor shows
 * them all, and the history the console draws hides what eval hides. */
Test(disclosure, a_rules_own_floor_holds_against_subtraction)
{
	double h[1];

	RS = rules("rules:\n"
	    "  - {id: x25, title: t, value: x, above: {warning: 0}, min_headcount: 25}\n"
	    "  - {id: x, title: t, value: x, above: {warning: 0}}\n");
	load(1,
	    "s/a", "headcount", "30", "s/a", "x", "1",
	    "s/b", "headcount", "30", "s/b", "x", "2",
	    "s/c", "headcount", "22", "s/c", "x", "9",
	    "s/d", "headcount", "40", "s/d", "x", "5", NULL);
	expect_value("x25", "s", 0, 17);
	expect_hidden("x25", "s/c", 0);
	expect_hidden("x25", "s/a", 0);
	expect_value("x25", "s/b", 0, 2);
	expect_value("x25", "s/d", 0, 5);
	expect_value("x", "s/a", 0, 1);
	expect_value("x", "s/c", 0, 9);
	engine_history(RS, S, C, FLOOR, 0, (uint32_t)series_unit(S, "s/a"), P0, 1, h);
	cr_assert(isnan(h[0]), "the history shows %g", h[0]);

	/* The same with the floor's cells computed once beforehand (the
	 * daemon's cycle, the console), not at each call. */
	cr_assert_eq(engine_cells_prepare(RS, C, FLOOR), 0);
	cr_assert_not_null(cells_at(C, 25));
	expect_hidden("x25", "s/c", 0);
	expect_hidden("x25", "s/a", 0);
	expect_value("x25", "s/b", 0, 2);
	expect_value("x", "s/a", 0, 1);
	engine_history(RS, S, C, FLOOR, 0, (uint32_t)series_unit(S, "s/a"), P0, 1, h);
	cr_assert(isnan(h[0]), "the history shows %g", h[0]);
}

/* (c) When only the small team exports an indicator, the site's value is
 * the team's: the site's cell is hidden, and so is the company's. */
Test(disclosure, a_site_whose_value_is_one_small_teams_shows_nothing)
{
	RS = rules("rules:\n"
	    "  - {id: c, title: t, value: conflicts, above: {warning: 1}}\n"
	    "  - {id: hc, title: t, value: headcount, above: {warning: 1000}}\n");
	load(1,
	    "acme/site/small", "headcount", "3",
	    "acme/site/small", "conflicts", "2",
	    "acme/site/big", "headcount", "20", NULL);
	expect_hidden("c", "acme/site/small", 0);
	expect_hidden("c", "acme/site", 0);
	expect_hidden("c", "acme", 0);
	/* headcount: both teams export it; the big one joins the small one */
	expect_hidden("hc", "acme/site/big", 0);
	expect_value("hc", "acme/site", 0, 23);
}

/* (d) A team of 3 from January to March, 5 in April: lag() in April would
 * read March's hidden figure, and the harassment rule of the library would
 * fire in April on a report filed in March, while the team had 4. */
Test(disclosure, reading_back_to_a_month_below_the_floor_is_suppressed)
{
	RS = rules("rules:\n"
	    "  - {id: lagged, title: t, value: \"lag(absence_days, 1)\", "
	    "above: {warning: 1}}\n"
	    "  - {id: now, title: t, value: absence_days, above: {warning: 100}}\n"
	    "  - {id: harassment, title: t, value: \"sum(harassment_reports, 3)\", "
	    "above: {critical: 0}}\n");
	load(4,
	    "acme/site/t", "headcount", "3 3 4 5",
	    "acme/site/t", "absence_days", "2 9 14 1",
	    "acme/site/t", "harassment_reports", "0 0 1 0",
	    "acme/site/big", "headcount", "30 30 30 30",
	    "acme/site/big", "absence_days", "20 20 20 20",
	    "acme/site/big", "harassment_reports", "0 0 0 0", NULL);
	expect_value("now", "acme/site/t", 3, 1);
	expect_hidden("lagged", "acme/site/t", 3);
	expect_hidden("harassment", "acme/site/t", 3);
	cr_assert_not(row("harassment", "acme/site/t", 3).active);
	/* the big team hid with it until March, so its window is hidden too */
	expect_hidden("harassment", "acme/site/big", 3);
	expect_value("now", "acme/site/big", 3, 20);
	/* the site counts 34 people in March: its own figure is shown */
	expect_value("harassment", "acme/site", 3, 1);
}

/* (e) Rules as a query language: parent(x) - x - 3 peer_avg(x), scoped to
 * a sibling of the hidden team, gave the hidden team's headcount and
 * absence days. The sibling that joins the hidden group now shows nothing,
 * and no sibling's result is the hidden team's figure. */
Test(disclosure, parent_minus_x_minus_peers_scoped_to_a_sibling_returns_nothing)
{
	RS = rules("rules:\n"
	    "  - id: who\n    title: t\n    scope: \"acme/site/b\"\n"
	    "    value: parent(headcount) - headcount - 3 * peer_avg(headcount)\n"
	    "    above: {warning: 0}\n"
	    "  - id: what\n    title: t\n    scope: \"acme/site/b\"\n"
	    "    value: parent(absence_days) - absence_days - 3 * peer_avg(absence_days)\n"
	    "    above: {warning: 0}\n"
	    "  - id: who-c\n    title: t\n    scope: \"acme/site/c\"\n"
	    "    value: parent(headcount) - headcount - 3 * peer_avg(headcount)\n"
	    "    above: {warning: 0}\n");
	load(1,
	    "acme/site/hidden", "headcount", "3",
	    "acme/site/hidden", "absence_days", "11",
	    "acme/site/b", "headcount", "6",
	    "acme/site/b", "absence_days", "2",
	    "acme/site/c", "headcount", "20",
	    "acme/site/c", "absence_days", "5",
	    "acme/site/d", "headcount", "25",
	    "acme/site/d", "absence_days", "4",
	    "acme/site/e", "headcount", "30",
	    "acme/site/e", "absence_days", "7", NULL);
	/* without the cells, the attack worked */
	struct eval_row *rows;
	size_t n;
	cr_assert_eq(engine_eval(RS, S, NULL, FLOOR, P0, &rows, &n), 0);
	cr_assert_eq(n, 3);
	cr_assert_float_eq(rows[0].value, 3, 1e-9);
	cr_assert_float_eq(rows[1].value, 11, 1e-9);
	free(rows);
	/* b, the smallest sibling, hides with the team of 3 */
	expect_hidden("who", "acme/site/b", 0);
	expect_hidden("what", "acme/site/b", 0);
	/* c leaves b and the hidden team out of its peers: 84 - 20 - 3 x
	 * (25 + 30) / 2 mixes the group of 9 with the others */
	expect_value("who-c", "acme/site/c", 0, 84 - 20 - 1.5 * 55);
}

/* Dominance: a team of 8 whose most absent employee has 90 % of the
 * absence days describes that employee: the cell is hidden, the rule never
 * fires, and every output says suppressed. */
Test(disclosure, a_dominated_team_never_fires)
{
	RS = rules("rules:\n"
	    "  - id: absenteeism-rate\n    title: t\n"
	    "    value: 100 * sum(absence_days, 3) / sum(workable_days, 3)\n"
	    "    above: {warning: 6, critical: 9}\n");
	load(3,
	    "acme/site/eight", "headcount", "8 8 8",
	    "acme/site/eight", "workable_days", "168 168 168",
	    "acme/site/eight", "absence_days", "30 30 30",
	    "acme/site/eight", "absence_days_max", "27 27 27",
	    "acme/site/other", "headcount", "40 40 40",
	    "acme/site/other", "workable_days", "840 840 840",
	    "acme/site/other", "absence_days", "20 20 20",
	    "acme/site/other", "absence_days_max", "5 5 5", NULL);
	struct eval_row r = row("absenteeism-rate", "acme/site/eight", 2);
	cr_assert(r.suppressed && isnan(r.value) && !r.active);
	/* the other team hides with it: the site minus it would be it */
	expect_hidden("absenteeism-rate", "acme/site/other", 2);
	/* at the site, 27 of 50 days is no one's figure */
	expect_value("absenteeism-rate", "acme/site", 2, 100.0 * 150 / 3024);
	/* without the cells it fired: 90 / 504 days is 17.9 % */
	struct eval_row *rows;
	size_t n;
	cr_assert_eq(engine_eval(RS, S, NULL, FLOOR, P0 + 2, &rows, &n), 0);
	bool fired = false;
	for (size_t k = 0; k < n; k++)
		fired |= rows[k].active && !strcmp(S->units[rows[k].unit],
		    "acme/site/eight");
	free(rows);
	cr_assert(fired, "the test would not catch a dominated alert");
}

/* A window is dominated when the X_max of its periods add up to more than
 * the dominance share of its X, even when no single period is: here the
 * only companion is that of a month without a value. */
Test(disclosure, a_dominated_window_suppresses_the_rule)
{
	RS = rules("rules:\n"
	    "  - {id: w, title: t, value: \"sum(absence_days, 3)\", above: {warning: 100}}\n"
	    "  - {id: one, title: t, value: absence_days, above: {warning: 100}}\n");
	load(3,
	    "acme/a", "headcount", "10 10 10",
	    "acme/a", "absence_days", "1 1 _",
	    "acme/a", "absence_days_max", "_ _ 2",
	    "acme/b", "headcount", "10 10 10",
	    "acme/b", "absence_days", "1 1 1", NULL);
	expect_value("one", "acme/a", 1, 1);
	struct eval_row r = row("one", "acme/a", 2);
	cr_assert(!r.suppressed && isnan(r.value));
	expect_hidden("w", "acme/a", 2);
	expect_value("w", "acme/b", 2, 3);
}

/* What a rule observed and expected is not shown where it would read a
 * hidden cell, even when the value itself is shown. */
Test(disclosure, expected_reading_a_hidden_cell_is_undefined)
{
	RS = rules("rules:\n"
	    "  - {id: r, title: t, value: conflicts, above: {warning: 100},\n"
	    "     expected: \"lag(conflicts, 1)\"}\n");
	load(2,
	    "acme/a", "headcount", "3 10",
	    "acme/a", "conflicts", "4 2",
	    "acme/b", "headcount", "10 10",
	    "acme/b", "conflicts", "1 1",
	    "acme/c", "headcount", "10 10",
	    "acme/c", "conflicts", "1 1", NULL);
	struct eval_row r = row("r", "acme/a", 1);
	cr_assert(!r.suppressed);
	cr_assert_float_eq(r.value, 2, 1e-9);
	cr_assert(isnan(r.expected), "expected %g shown", r.expected);
	r = row("r", "acme/c", 1);
	cr_assert_float_eq(r.expected, 1, 1e-9);
}

/* A guard that reads a hidden cell suppresses the rule; one that fails on
 * visible cells only leaves the value undefined, not suppressed. */
Test(disclosure, a_guard_reading_a_hidden_cell_suppresses)
{
	RS = rules("rules:\n"
	    "  - {id: r, title: t, value: conflicts, above: {warning: 100},\n"
	    "     when: \"lag(headcount, 1) >= 5\"}\n"
	    "  - {id: big, title: t, value: conflicts, above: {warning: 100},\n"
	    "     when: \"headcount >= 11\"}\n");
	load(2,
	    "acme/a", "headcount", "3 10",
	    "acme/a", "conflicts", "4 2",
	    "acme/b", "headcount", "10 10",
	    "acme/b", "conflicts", "1 1",
	    "acme/c", "headcount", "4 10",
	    "acme/c", "conflicts", "1 1", NULL);
	expect_hidden("r", "acme/a", 1);
	struct eval_row r = row("r", "acme", 1);
	cr_assert_not(r.suppressed);
	cr_assert_float_eq(r.value, 4, 1e-9);
	r = row("big", "acme/b", 1);
	cr_assert(!r.suppressed && isnan(r.value));
}

/* ---- the property, on the published outputs ---- */

static uint64_t rng = 0x2545f4914f6cdd1dULL;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

#define NPER 4
#define MAXU 96
#define NRULE 9

/* The rules: one per indicator, then rules that read back in time and
 * across the hierarchy. Their index is what published[] is indexed by. */
static const char *const prop_rules =
    "rules:\n"
    "  - {id: a, title: t, value: absence_days, above: {warning: 1e9}}\n"
    "  - {id: h, title: t, value: headcount, above: {warning: 1e9}}\n"
    "  - {id: c, title: t, value: conflicts, above: {warning: 1e9}}\n"
    "  - {id: sum3, title: t, value: \"sum(absence_days, 3)\", above: {warning: 1e9}}\n"
    "  - {id: lag1, title: t, value: \"lag(absence_days, 1)\", above: {warning: 1e9}}\n"
    "  - {id: up, title: t, value: \"parent(absence_days) - absence_days\", above: {warning: 1e9}}\n"
    "  - {id: peers, title: t, value: \"absence_days - peer_avg(absence_days)\", above: {warning: 1e9}}\n"
    "  - {id: dc, title: t, value: \"delta(conflicts, 1)\", above: {warning: 1e9}}\n"
    "  - {id: top, title: t, value: \"top(headcount) - headcount\", above: {warning: 1e9}}\n";

/* A random company over NPER months: 1-4 sites, 0-3 departments, 1-5 teams
 * each; headcounts skewed small (a third below the floor) and moving from
 * month to month, some values missing, the most absent employee's days. */
static void random_company(void)
{
	struct series_builder *b = sb_new(GRAN_MONTH, P0, P0 + NPER - 1);
	int32_t hc = sb_indicator(b, "headcount"), ab = sb_indicator(b, "absence_days");
	int32_t mx = sb_indicator(b, "absence_days_max"), cf = sb_indicator(b, "conflicts");
	char path[64];
	int32_t team[MAXU];
	uint32_t nteam = 0, sites = 1 + rnd(4);

	for (uint32_t s = 0; s < sites; s++) {
		uint32_t depts = rnd(4);
		for (uint32_t d = 0; d <= depts; d++) {
			uint32_t teams = 1 + rnd(5);
			for (uint32_t t = 0; t < teams && nteam < MAXU / 2; t++) {
				if (d == depts)
					snprintf(path, sizeof(path), "co/s%u/t%u", s, t);
				else
					snprintf(path, sizeof(path), "co/s%u/d%u/t%u", s, d, t);
				team[nteam++] = sb_unit(b, path);
			}
		}
	}
	for (uint32_t k = 0; k < nteam; k++) {
		uint32_t base = rnd(3) == 0 ? 1 + rnd(6) : 5 + rnd(40);
		for (int32_t p = P0; p < P0 + NPER; p++) {
			uint32_t h = base + rnd(3) - (base > 1 ? 1 : 0);
			uint32_t x = rnd(30), xm = x ? rnd(x + 1) : 0;
			if (rnd(20))
				sb_set(b, (uint32_t)team[k], (uint32_t)hc, p, h);
			if (rnd(8)) {
				sb_set(b, (uint32_t)team[k], (uint32_t)ab, p, x);
				if (rnd(4))
					sb_set(b, (uint32_t)team[k], (uint32_t)mx, p, xm);
			}
			if (rnd(6))
				sb_set(b, (uint32_t)team[k], (uint32_t)cf, p, rnd(3));
		}
	}
	S = sb_finish(b);
	cr_assert_not_null(S);
	cr_assert_leq(S->nunits, MAXU);
	C = cells_new(S, FLOOR, CELLS_DOMINANCE_DEFAULT);
	cr_assert_not_null(C);
}

/* pub[rule][unit][period]: the published value, NAN when not published
 * (suppressed or undefined). */
static double pub[NRULE][MAXU][NPER];

static void publish(void)
{
	for (int i = 0; i < NPER; i++) {
		struct eval_row *rows;
		size_t n;
		for (int r = 0; r < NRULE; r++)
			for (uint32_t u = 0; u < S->nunits; u++)
				pub[r][u][i] = NAN;
		cr_assert_eq(engine_eval(RS, S, C, FLOOR, P0 + i, &rows, &n), 0);
		for (size_t k = 0; k < n; k++)
			if (!rows[k].suppressed)
				pub[rows[k].rule][rows[k].unit][i] = rows[k].value;
		free(rows);
	}
}

static double cell(const char *ind, uint32_t u, int i)
{
	int32_t x = series_indicator(S, ind);

	return x < 0 ? NAN : series_get(S, u, (uint32_t)x, P0 + i);
}

/* The published value of indicator rule r (0 a, 1 h, 2 c) at u, i, with a
 * failed assertion when rule `by` needed it and it is not published. */
static double known(int r, const char *ind, uint32_t u, int i, int by,
    uint32_t at)
{
	double v = cell(ind, u, i);

	if (i < 0 || isnan(v))
		return NAN;
	cr_assert(!isnan(pub[r][u][i]), "rule %s at %s, P0+%d, was published "
	    "but reads %s of %s at P0+%d, which is not", RS->rules[by].id,
	    S->units[at], i, ind, S->units[u], i);
	return v;
}

/* Every published value of a rule that reads several cells is computed
 * from published cells only. */
static void check_dependencies(void)
{
	for (int i = 0; i < NPER; i++)
		for (uint32_t u = 0; u < S->nunits; u++) {
			int32_t pu = S->parent[u];
			double v;
			if (!isnan(v = pub[3][u][i])) {
				double sum = 0;
				for (int j = i - 2; j <= i; j++) {
					double y = known(0, "absence_days", u, j, 3, u);
					if (!isnan(y))
						sum += y;
				}
				cr_assert_float_eq(v, sum, 1e-9);
			}
			if (!isnan(v = pub[4][u][i]))
				cr_assert_float_eq(v, known(0, "absence_days", u, i - 1,
				    4, u), 1e-9);
			if (!isnan(v = pub[5][u][i]))
				cr_assert_float_eq(v, known(0, "absence_days",
				    (uint32_t)pu, i, 5, u) - known(0, "absence_days",
				    u, i, 5, u), 1e-9);
			if (!isnan(v = pub[6][u][i])) {
				double sum = 0;
				int cnt = 0;
				/* the peers are the published siblings */
				for (uint32_t k = S->child_off[pu]; k < S->child_off[pu + 1]; k++) {
					uint32_t c = S->child_idx[k];
					if (c != u && !isnan(pub[0][c][i])) {
						sum += pub[0][c][i];
						cnt++;
					}
				}
				cr_assert(cnt > 0);
				cr_assert_float_eq(v, known(0, "absence_days", u, i, 6,
				    u) - sum / cnt, 1e-9);
			}
			if (!isnan(v = pub[7][u][i]))
				cr_assert_float_eq(v, known(2, "conflicts", u, i, 7, u) -
				    known(2, "conflicts", u, i - 1, 7, u), 1e-9);
			if (!isnan(v = pub[8][u][i])) {
				uint32_t t = u;
				while (S->parent[t] >= 0)
					t = (uint32_t)S->parent[t];
				cr_assert_float_eq(v, known(1, "headcount", t, i, 8, u) -
				    known(1, "headcount", u, i, 8, u), 1e-9);
			}
		}
}

static bool related(uint32_t a, uint32_t b)
{
	for (int32_t u = S->parent[b]; u >= 0; u = S->parent[u])
		if ((uint32_t)u == a)
			return true;
	for (int32_t u = S->parent[a]; u >= 0; u = S->parent[u])
		if ((uint32_t)u == b)
			return true;
	return false;
}

static void check_isolation(int r, const char *ind, int i, int company)
{
	static struct linsys sys;

	memset(&sys, 0, sizeof(sys));
	for (uint32_t u = 0; u < S->nunits; u++) {
		sys.unk[u] = -1;
		if (!isnan(cell(ind, u, i)) && isnan(pub[r][u][i])) {
			sys.unit_of[sys.nunk] = (int)u;
			sys.unk[u] = sys.nunk++;
		}
	}
	for (uint32_t u = 0; u < S->nunits; u++) {
		if (S->child_off[u + 1] == S->child_off[u] || isnan(cell(ind, u, i)))
			continue;
		double v[MAXU] = { 0 };
		if (sys.unk[u] >= 0)
			v[sys.unk[u]] = 1;
		for (uint32_t k = S->child_off[u]; k < S->child_off[u + 1]; k++) {
			uint32_t c = S->child_idx[k];
			if (sys.unk[c] >= 0)
				v[sys.unk[c]] -= 1;
		}
		linsys_add_row(&sys, v);
	}
	for (int a = 0; a < sys.nunk; a++)
		for (int b = a; b < sys.nunk; b++) {
			uint32_t ua = (uint32_t)sys.unit_of[a], ub = (uint32_t)sys.unit_of[b];
			int set[2] = { a, b }, n = a == b ? 1 : 2;
			if (n == 2 && related(ua, ub))
				continue;
			if (!linsys_derivable(&sys, set, n))
				continue;
			double h = 0, sum = 0, mx = NAN;
			for (int k = 0; k < n; k++) {
				uint32_t u = (uint32_t)sys.unit_of[set[k]];
				double hv = cell("headcount", u, i), m = cell("absence_days_max", u, i);
				h += isnan(hv) ? 0 : hv;
				sum += cell(ind, u, i);
				if (r == 0 && !isnan(m) && (isnan(mx) || m > mx))
					mx = m;
			}
			cr_assert_geq(h, FLOOR, "company %d, %s at P0+%d: {%s, %s} "
			    "(%g people) can be derived from what is published",
			    company, ind, i, S->units[ua], S->units[ub], h);
			cr_assert_not(cells_dominated(sum, mx, CELLS_DOMINANCE_DEFAULT),
			    "company %d, %s at P0+%d: a dominated {%s, %s} can be "
			    "derived", company, ind, i, S->units[ua], S->units[ub]);
		}
}

Test(disclosure, no_hidden_group_can_be_isolated_from_the_published_values,
    .timeout = 120)
{
	static const char *const inds[3] = { "absence_days", "headcount", "conflicts" };
	size_t published = 0, hidden = 0;

	RS = rules(prop_rules);
	cr_assert_eq(RS->n, NRULE);
	for (int company = 0; company < 2000; company++) {
		random_company();
		publish();
		check_dependencies();
		for (int i = 0; i < NPER; i++)
			for (int r = 0; r < 3; r++) {
				check_isolation(r, inds[r], i, company);
				for (uint32_t u = 0; u < S->nunits; u++) {
					bool has = !isnan(cell(inds[r], u, i));
					published += has && !isnan(pub[r][u][i]);
					hidden += has && isnan(pub[r][u][i]);
				}
			}
		cells_free(C);
		series_free(S);
		C = NULL;
		S = NULL;
	}
	/* both sides are well represented */
	cr_assert_gt(hidden, published / 10);
	cr_assert_gt(published, hidden);
}

/* A cell without a value gives nothing away: a window that reaches before
 * a team's first data reads gaps, not hidden cells. count() is defined
 * there (SPEC 6: never undefined) and the row is not suppressed; sum() is
 * undefined (SPEC 16: the window reaches before the first data), not
 * hidden. */
Test(disclosure, a_window_before_the_first_data_reads_no_hidden_cell)
{
	RS = rules("rules:\n"
	    "  - {id: n, title: t, value: \"count(x, 3)\", above: {warning: 100}}\n"
	    "  - {id: s, title: t, value: \"sum(x, 3)\", above: {warning: 100}}\n");
	load(5,
	    "acme/b", "headcount", "20 20 20 20 20", "acme/b", "x", "1 1 1 1 1",
	    "acme/a", "headcount", "_ _ _ 20 20", "acme/a", "x", "_ _ _ 1 1", NULL);
	expect_value("n", "acme/a", 4, 2);
	struct eval_row r = row("s", "acme/a", 4);
	cr_assert(!r.suppressed && isnan(r.value), "sum: %g, suppressed %d", r.value,
	    r.suppressed);
	expect_value("s", "acme/b", 4, 3);
}
