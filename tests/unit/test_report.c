/* The works council report (daemon/report/): French and English number,
 * period and date typography; the indicator definitions and their errors
 * at FILE:LINE:COL; the model on small companies built by hand (figures
 * equal to the engine's, a unit hidden at one period of the span appears
 * nowhere, neither does the team withheld with it, a year-earlier figure
 * only when the unit was visible the whole year); alert counts by theme
 * and severity from a real store; the chart scale; the attachment part of
 * the scheduled email. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include "../../daemon/report/report_impl.h"
#include "vigie/cells.h"
#include "vigie/engine.h"
#include "vigie/fileio.h"
#include "vigie/mime.h"
#include "vigie/store_alerts.h"
#include "vigie/store_followup.h"

#define NB NNBSP
#define P0 24300	/* 2025-01 */

/* ---- numbers, periods, dates ---- */

Test(report, numbers_take_french_typography)
{
	char b[64];

	cr_assert_str_eq(rnum(b, sizeof(b), 1234.5, 1, LOC_FR), "1" NB "234,5");
	cr_assert_str_eq(rnum(b, sizeof(b), 999, 0, LOC_FR), "999");
	cr_assert_str_eq(rnum(b, sizeof(b), 1000, 0, LOC_FR), "1" NB "000");
	cr_assert_str_eq(rnum(b, sizeof(b), -1234567.891, 2, LOC_FR),
	    "\u2212" "1" NB "234" NB "567,89");
	cr_assert_str_eq(rnum(b, sizeof(b), 6.11, 1, LOC_FR), "6,1");
	cr_assert_str_eq(rnum(b, sizeof(b), 0.25, 2, LOC_FR), "0,25");
	/* a zero that rounding made negative has no sign */
	cr_assert_str_eq(rnum(b, sizeof(b), -0.04, 1, LOC_FR), "0,0");
	cr_assert_str_eq(rnum(b, sizeof(b), NAN, 1, LOC_FR), "—");
}

Test(report, numbers_in_english_group_with_commas)
{
	char b[64];

	cr_assert_str_eq(rnum(b, sizeof(b), 1234567.891, 2, LOC_EN), "1,234,567.89");
	cr_assert_str_eq(rnum(b, sizeof(b), -42, 0, LOC_EN), "\u2212" "42");
	cr_assert_str_eq(rnum(b, sizeof(b), 16.04, 1, LOC_EN), "16.0");
}

Test(report, a_percentage_keeps_its_sign_on_the_line)
{
	struct rdef pct = { .unit = (char *)"%", .decimals = 1 }, none = { .decimals = 0 };
	char b[64];

	cr_assert_str_eq(rvalue(b, sizeof(b), 4.66, &pct, LOC_FR), "4,7" NB "%");
	cr_assert_str_eq(rvalue(b, sizeof(b), 4.66, &pct, LOC_EN), "4.7%");
	cr_assert_str_eq(rvalue(b, sizeof(b), 562.4, &none, LOC_FR), "562");
	cr_assert_str_eq(rvalue(b, sizeof(b), NAN, &pct, LOC_FR), "—");
}

Test(report, spans_and_dates_read_as_sentences)
{
	char b[128];
	enum granularity g;
	int32_t w;

	cr_assert_str_eq(rspan(b, sizeof(b), GRAN_MONTH, 2025 * 12 + 10, 2026 * 12 + 9, LOC_FR),
	    "de novembre 2025 à octobre 2026");
	cr_assert_str_eq(rspan(b, sizeof(b), GRAN_MONTH, 2026 * 12 + 3, 2026 * 12 + 5, LOC_FR),
	    "d'avril 2026 à juin 2026");
	cr_assert_str_eq(rspan(b, sizeof(b), GRAN_MONTH, 2026 * 12 + 7, 2026 * 12 + 7, LOC_FR),
	    "août 2026");
	cr_assert_str_eq(rspan(b, sizeof(b), GRAN_MONTH, 2025 * 12 + 10, 2026 * 12 + 9, LOC_EN),
	    "November 2025 to October 2026");
	cr_assert_eq(period_parse("2026-W01", 8, &g, &w), 0);
	cr_assert_str_eq(rperiod_long(b, sizeof(b), GRAN_WEEK, w, LOC_FR), "semaine 1 de 2026");
	cr_assert_str_eq(rperiod_short(b, sizeof(b), GRAN_WEEK, w, LOC_EN), "W1");
	cr_assert_str_eq(rperiod_short(b, sizeof(b), GRAN_MONTH, 2026 * 12 + 1, LOC_FR), "févr.");
	cr_assert_str_eq(rdate(b, sizeof(b), 1796083200, LOC_FR), "1er décembre 2026");
	cr_assert_str_eq(rdate(b, sizeof(b), 1796083200 + 86400, LOC_FR), "2 décembre 2026");
	cr_assert_str_eq(rdate(b, sizeof(b), 1796083200, LOC_EN), "1 December 2026");
}

Test(report, french_punctuation_gets_its_narrow_space)
{
	char *s = rfrench("Source : DARES ; « Entreprise » 6 %", LOC_FR);

	cr_assert_str_eq(s, "Source" NB ": DARES" NB "; «" NB "Entreprise" NB "» 6" NB "%");
	free(s);
	s = rfrench("Source : x", LOC_EN);
	cr_assert_str_eq(s, "Source : x");
	free(s);
	s = rtext(LOC_FR, W_FOLLOWUP_NOTE, "a", "b", NULL);
	cr_assert_str_eq(s, "jusqu'au b");
	free(s);
}

Test(report, periods_map_to_days_and_back)
{
	enum granularity g;
	int32_t p;

	/* 2026-01-01 is day 20454; its ISO week is 2026-W01 (Monday 2025-12-29). */
	cr_assert_eq(period_first_day(GRAN_MONTH, 2026 * 12), 20454);
	cr_assert_eq(period_of_day(GRAN_MONTH, 20454), 2026 * 12);
	cr_assert_eq(period_of_day(GRAN_MONTH, 20453), 2025 * 12 + 11);
	cr_assert_eq(period_parse("2026-W01", 8, &g, &p), 0);
	cr_assert_eq(period_first_day(GRAN_WEEK, p), 20451);
	cr_assert_eq(period_of_day(GRAN_WEEK, 20454), p);
	cr_assert_eq(period_of_day(GRAN_WEEK, 20450), p - 1);
}

/* ---- definitions ---- */

Test(report, the_shipped_indicators_load)
{
	struct rdefs defs;
	struct diags d = { 0 };

	cr_assert_eq(rdefs_load(NULL, &defs, &d), 0, "%s", diags_to_string(&d, 0));
	cr_assert_geq(defs.n, 6);
	cr_assert_str_eq(defs.v[1].id, "absenteeism");
	cr_assert(defs.v[1].has_ref);
	cr_assert_eq(defs.v[1].ref_year, 2023);
	rdefs_free(&defs);
}

Test(report, N_and_Y_stand_for_the_span_and_the_year)
{
	char *s = rdef_expand("100 * sum(x_y, N) / avg(h, N) * Y / N # N", 3, 12);

	cr_assert_str_eq(s, "100 * sum(x_y, 3) / avg(h, 3) * 12 / 3 # 3");
	free(s);
}

static char *parse_errors(const char *yaml)
{
	struct rdefs defs;
	struct diags d = { 0 };
	char *s;

	cr_assert_neq(rdefs_parse("r.yaml", yaml, strlen(yaml), &defs, &d), 0);
	s = diags_to_string(&d, 0);
	diags_free(&d);
	return s;
}

Test(report, definition_errors_name_their_place)
{
	char *s;

	s = parse_errors("indicators:\n  - id: a\n    title: A\n    valeu: sum(x, N)\n");
	cr_assert(strstr(s, "r.yaml:4:5: error: unknown key \"valeu\"") != NULL, "%s", s);
	cr_assert(strstr(s, "did you mean \"value\"") != NULL, "%s", s);
	cr_assert(strstr(s, "r.yaml:2:5: error: indicator a needs a value") != NULL, "%s", s);
	free(s);
	s = parse_errors("indicators:\n  - id: a\n    title: A\n    value: sum(x, M)\n");
	cr_assert(strstr(s, "r.yaml:4:19: error: only N") != NULL, "%s", s);
	free(s);
	s = parse_errors("indicators:\n  - id: a\n    title: A\n    value: sum(x, N) +\n");
	cr_assert(strstr(s, "r.yaml:4:") != NULL, "%s", s);
	free(s);
	s = parse_errors("indicators:\n  - id: a\n    title: A\n    value: parent(x)\n");
	cr_assert(strstr(s, "parent() and peer_avg() are not allowed") != NULL, "%s", s);
	free(s);
	s = parse_errors("indicators:\n  - id: a\n    title: A\n"
	    "    value: sum(medical_visits_on_request, N)\n");
	cr_assert(strstr(s, "r.yaml:4:12: error: a report indicator may not read "
	    "medical_visits_on_request") != NULL, "%s", s);
	free(s);
	s = parse_errors("indicators:\n  - id: a\n    title: A\n    value: x\n"
	    "    reference: { value: 3 }\n");
	cr_assert(strstr(s, "r.yaml:5:16: error: reference needs a source") != NULL, "%s", s);
	free(s);
}

/* ---- the model ---- */

static const char defs_yaml[] =
	"indicators:\n"
	"  - id: absenteeism\n"
	"    title: { fr: \"Taux d'absentéisme\", en: Absenteeism }\n"
	"    value: 100 * sum(absence_days, N) / sum(workable_days, N)\n"
	"    unit: \"%\"\n"
	"    reference: { value: 6.11, year: 2023, source: Ayming }\n"
	"  - id: headcount\n"
	"    title: Effectif\n"
	"    value: avg(headcount, N)\n"
	"    decimals: 0\n"
	"  - id: per-employee\n"
	"    title: Absences par salarié\n"
	"    value: 100 * sum(absence_days, N) / avg(headcount, N) * Y / N / 7\n"
	"    per_employee: true\n";

struct team {
	const char *path;
	double headcount, absence;	/* every month */
	int small_at;			/* a month index with 3 people, or -1 */
};

/* The first team's absence days at month index spike_at, plus spike. */
static int spike_at = -1;
static double spike;

/* Team i sent nothing at month index gap[i] - 1 (0: it sent every month). */
static int gap[16];

/* 24 months from 2025-01 of the teams (workable days: 20 a person). */
static struct series *company(const struct team *t, size_t n)
{
	struct series_builder *b = sb_new(GRAN_MONTH, P0, P0 + 23);
	int32_t u[16], h = sb_indicator(b, "headcount"), w = sb_indicator(b, "workable_days"),
	    a = sb_indicator(b, "absence_days");

	for (size_t i = 0; i < n; i++)
		u[i] = sb_unit(b, t[i].path);
	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < 24; k++) {
			double hc = k == t[i].small_at ? 3 : t[i].headcount;
			if (k == gap[i] - 1)
				continue;
			sb_set(b, (uint32_t)u[i], (uint32_t)h, P0 + k, hc);
			sb_set(b, (uint32_t)u[i], (uint32_t)w, P0 + k, 20 * hc);
			sb_set(b, (uint32_t)u[i], (uint32_t)a, P0 + k, t[i].absence +
			    (i == 0 && k == spike_at ? spike : 0));
		}
	return sb_finish(b);
}

struct built {
	struct rdefs defs;
	struct series *s;
	struct rmodel m;
	int rc;
	char *err;
};

/* The span built: 2026, or from span_from to its end. */
static int32_t span_from = P0 + 12;

/* Where build says why it refused a unit, or NULL. */
static struct report_why *build_why;

static void build(struct built *x, const struct team *t, size_t n, const char *unit)
{
	struct diags d = { 0 };
	struct rparams p = { .gran = GRAN_MONTH, .from = span_from, .to = P0 + 23,
	    .unit = unit, .loc = LOC_FR, .floor = 5, .dominance = 0.85, .now = 1796083200,
	    .why = build_why };

	memset(x, 0, sizeof(*x));
	cr_assert_eq(rdefs_parse("t.yaml", defs_yaml, strlen(defs_yaml), &x->defs, &d), 0,
	    "%s", diags_to_string(&d, 0));
	x->s = company(t, n);
	x->rc = rmodel_build(&x->m, x->s, &x->defs, &p, &x->err);
}

static void built_free(struct built *x)
{
	rmodel_free(&x->m);
	series_free(x->s);
	rdefs_free(&x->defs);
	free(x->err);
}

static const struct runit *find(const struct rmodel *m, const char *path)
{
	for (size_t i = 0; i < m->nunits; i++)
		if (!strcmp(m->units[i].path, path))
			return &m->units[i];
	return NULL;
}

Test(report, figures_are_the_engines_over_the_span)
{
	static const struct team t[] = {
		{ "acme/a/t1", 20, 20, -1 }, { "acme/a/t2", 30, 60, -1 }, { "acme/b/t3", 10, 5, -1 },
	};
	struct built x;

	build(&x, t, 3, NULL);
	cr_assert_eq(x.rc, 0, "%s", x.err);
	cr_assert_eq(x.m.nunits, 6);
	cr_assert_str_eq(x.m.units[0].path, "acme");
	cr_assert_eq(x.m.units[0].level, RL_COMPANY);
	cr_assert_eq(find(&x.m, "acme/a")->level, RL_SITE);
	cr_assert_eq(find(&x.m, "acme/a/t1")->level, RL_TEAM);
	/* 100 * 12 * 20 / (12 * 400) = 5 exactly; the site 100 * 80 / 1000 */
	cr_assert_eq(find(&x.m, "acme/a/t1")->fig[0].value, 5.0);
	cr_assert_eq(find(&x.m, "acme/a")->fig[0].value, 100.0 * (12 * 80) / (12 * 1000));
	cr_assert_eq(find(&x.m, "acme/a/t1")->fig[0].company, find(&x.m, "acme")->fig[0].value);
	cr_assert_eq(find(&x.m, "acme/a/t1")->fig[0].prev, 5.0);
	cr_assert_eq(find(&x.m, "acme/b/t3")->fig[1].value, 10.0);
	for (int i = 0; i < 12; i++)
		cr_assert_eq(find(&x.m, "acme/a/t1")->fig[0].trend[i], 5.0);
	cr_assert_str_eq(x.m.expr[0], "100 * sum(absence_days, 12) / sum(workable_days, 12)");
	cr_assert_str_eq(x.m.trend_expr[1], "avg(headcount, 12)");
	cr_assert_eq(x.m.hidden, 0);

	/* The same value as engine_eval gives a rule of that expression,
	 * rounded as the writers show it (absenteeism: one decimal). */
	struct ruleset *rs = rdefs_ruleset(&x.defs, 12, 12, &(struct diags){ 0 });
	struct ruleset span = *rs;
	struct eval_row *rows;
	size_t nrows;
	struct cells *cells = cells_new(x.s, 5, 0.85);
	span.n = 1;
	cr_assert(cells);
	cr_assert_eq(engine_eval(&span, x.s, cells, 5, P0 + 23, &rows, &nrows), 0);
	for (size_t i = 0; i < nrows; i++) {
		char b[64];

		snprintf(b, sizeof(b), "%.1f", rows[i].value);
		cr_assert_eq(find(&x.m, x.s->units[rows[i].unit])->fig[0].value,
		    strtod(b, NULL), "%s", x.s->units[rows[i].unit]);
	}
	free(rows);
	cells_free(cells);
	rdefs_ruleset_free(rs);
	built_free(&x);
}

Test(report, a_team_small_at_one_period_appears_nowhere_nor_does_its_shield)
{
	/* t2 has 3 people in 2026-05: it is hidden, and t1, the smallest of
	 * its siblings, is withheld with it (else acme/a minus t1 and t4
	 * would give t2); t4 and the site stay. */
	static const struct team t[] = {
		{ "acme/a/t1", 20, 20, -1 }, { "acme/a/t2", 8, 10, 16 },
		{ "acme/a/t4", 30, 30, -1 }, { "acme/b/t3", 10, 5, -1 },
	};
	struct built x;

	build(&x, t, 4, NULL);
	cr_assert_eq(x.rc, 0, "%s", x.err);
	cr_assert_null(find(&x.m, "acme/a/t2"));
	cr_assert_null(find(&x.m, "acme/a/t1"));
	cr_assert_not_null(find(&x.m, "acme/a/t4"));
	cr_assert_not_null(find(&x.m, "acme/a"));
	cr_assert_eq(x.m.hidden, 2);
	built_free(&x);

	/* Asked for by name, it is refused: the period, not why. */
	static const char head[] = "no report for acme/a/t2: it is hidden in 2026-05, "
	    "the span's first period where it is (SPEC 3";
	build(&x, t, 4, "acme/a/t2");
	cr_assert_eq(x.rc, EX_DATAERR);
	cr_assert(!strncmp(x.err, head, sizeof(head) - 1), "%s", x.err);
	char *small = strdup(x.err);
	built_free(&x);
	/* Its shield is told the same, not that it reaches the floor: with
	 * the pair's total, that would give t2's size away. */
	build(&x, t, 4, "acme/a/t1");
	cr_assert_eq(x.rc, EX_DATAERR);
	small[strlen("no report for acme/a/t")] = '1';
	cr_assert_str_eq(x.err, small);
	free(small);
	built_free(&x);
	build(&x, t, 4, "acme/a/t4");
	cr_assert_eq(x.rc, 0);
	cr_assert_eq(x.m.nunits, 1);
	built_free(&x);
	build(&x, t, 4, "acme/zz");
	cr_assert_eq(x.rc, EX_USAGE);
	built_free(&x);
}

/* A chart's point is the indicator over the rolling year that ends at its
 * period: one month's long leave weighs a twelfth of it, and the span's
 * last point is the table's figure. */
Test(report, a_trend_point_is_the_rolling_year)
{
	/* 20 days a month over 400 workable days, 5 %; 120 more in April
	 * 2026 (35 % that month alone). */
	static const struct team t[] = { { "acme/t1", 20, 20, -1 }, { "acme/t2", 30, 30, -1 } };
	struct built x;
	const struct runit *u;

	spike_at = 15;
	spike = 120;
	build(&x, t, 2, NULL);
	cr_assert_eq(x.rc, 0, "%s", x.err);
	u = find(&x.m, "acme/t1");
	cr_assert_not_null(u);
	for (int i = 0; i < 3; i++)
		cr_assert_eq(u->fig[0].trend[i], 5.0, "point %d", i);
	for (int i = 3; i < 12; i++)
		cr_assert_float_eq(u->fig[0].trend[i], 7.5, 1e-9, "point %d: %g", i,
		    u->fig[0].trend[i]);
	cr_assert_eq(u->fig[0].trend[11], u->fig[0].value);
	/* The year before reaches back before the data: no point. */
	cr_assert(isnan(u->fig[0].trend_prev[0]));
	built_free(&x);
}

/* An indicator's when: where it fails, the figure is not given, nor the
 * curve's point (the days lost of one or two accidents are those people's
 * days off): not hidden, not given. Where it holds, the value as usual. */
Test(report, a_figure_whose_guard_fails_is_not_given)
{
	static const char guarded[] =
	    "indicators:\n"
	    "  - id: days\n"
	    "    title: Jours\n"
	    "    value: sum(absence_days, N)\n"
	    "    when: sum(absence_days, N) >= 300\n";
	static const struct team t[] = { { "acme/t1", 20, 20, -1 }, { "acme/t2", 30, 30, -1 } };
	struct diags d = { 0 };
	struct rparams p = { .gran = GRAN_MONTH, .from = P0 + 12, .to = P0 + 23,
	    .loc = LOC_FR, .floor = 5, .dominance = 0.85, .now = 1796083200 };
	struct built x = { 0 };
	const struct runit *u;

	cr_assert_eq(rdefs_parse("g.yaml", guarded, strlen(guarded), &x.defs, &d), 0,
	    "%s", diags_to_string(&d, 0));
	x.s = company(t, 2);
	x.rc = rmodel_build(&x.m, x.s, &x.defs, &p, &x.err);
	cr_assert_eq(x.rc, 0, "%s", x.err);
	u = find(&x.m, "acme/t1");
	cr_assert(isnan(u->fig[0].value), "240 days: %g", u->fig[0].value);
	for (int i = 0; i < 12; i++)
		cr_assert(isnan(u->fig[0].trend[i]), "point %d", i);
	u = find(&x.m, "acme/t2");
	cr_assert_eq(u->fig[0].value, 360.0);
	cr_assert_eq(u->fig[0].trend[11], 360.0);
	cr_assert_eq(find(&x.m, "acme")->fig[0].value, 600.0);
	built_free(&x);
	/* A guard that does not compile is said at its place. */
	const char bad[] = "indicators:\n  - id: d\n    title: D\n    value: sum(x, N)\n"
	    "    when: sum(x, N) >=\n";
	struct rdefs defs;
	cr_assert_neq(rdefs_parse("b.yaml", bad, strlen(bad), &defs, &d), 0);
	char *said = diags_to_string(&d, 0);
	cr_assert(strstr(said, "b.yaml:5:"), "%s", said);
	free(said);
	rdefs_free(&defs);
	diags_free(&d);
}

static char *render(const struct rmodel *m, int (*w)(const struct rmodel *, FILE *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_eq(w(m, f), 0);
	fclose(f);
	return buf;
}

/* The model decides how precisely each figure is shown, and rounds it
 * there: a rate per employee of a unit under 100 employees is a whole
 * number for every writer, the JSON included (its decimal would help find
 * the count of people); the same rate of a bigger unit, and a figure that
 * is no rate per employee, keep their decimals. */
Test(report, a_small_units_rate_per_employee_is_whole_in_every_format)
{
	static const struct team t[] = {
		{ "acme/a/t1", 20, 20, -1 }, { "acme/b/t9", 150, 31, -1 },
	};
	struct built x;
	const struct runit *small, *big;
	char b[64], *json, *html;

	build(&x, t, 2, NULL);
	cr_assert_eq(x.rc, 0, "%s", x.err);
	small = find(&x.m, "acme/a/t1");
	big = find(&x.m, "acme/b/t9");
	/* 100 * 240 / 20 / 7 = 171.43; 100 * 372 / 150 / 7 = 35.43 */
	cr_assert_eq(small->fig[2].dec, 0);
	cr_assert_eq(small->fig[2].value, 171.0);
	cr_assert_eq(small->fig[2].prev, 171.0);
	for (int i = 0; i < 12; i++)
		cr_assert_eq(small->fig[2].trend[i], 171.0, "point %d", i);
	cr_assert_eq(big->fig[2].dec, 1);
	cr_assert_eq(big->fig[2].value, 35.4);
	/* the company column: the company's size, 170 */
	cr_assert_eq(small->fig[2].company_dec, 1);
	cr_assert_eq(small->fig[2].company, find(&x.m, "acme")->fig[2].value);
	/* absenteeism is no rate per employee: its decimal stays */
	cr_assert_eq(small->fig[0].dec, 1);
	cr_assert_str_eq(rfigure(b, sizeof(b), small->fig[2].value, &x.defs.v[2],
	    small->fig[2].dec, LOC_FR), "171");
	json = render(&x.m, rjson_write);
	html = render(&x.m, rhtml_write);
	cr_assert_null(strstr(json, "171.4"), "the JSON gives the decimal the HTML keeps");
	cr_assert_not_null(strstr(json, "\"decimals\": 0,\n          \"value\": 171.0,"),
	    "%s", json);
	cr_assert_not_null(strstr(json, "\"value\": 35.4,"));
	cr_assert_not_null(strstr(html, "<strong>171</strong>"));
	cr_assert_not_null(strstr(html, "<strong>35,4</strong>"));
	/* a reference as the tables give it: 6.11 with one decimal */
	cr_assert_not_null(strstr(json, "\"value\": 6.1,"), "%s", json);
	free(json);
	free(html);
	built_free(&x);
}

Test(report, a_span_shorter_than_a_year_says_its_table_is_not_its_curves)
{
	/* the last quarter of 2026, the spike in April: the table gives the
	 * quarter's 5 %, the curve's last point the rolling year's 7.5 %, and
	 * the page says why they differ; t2 has no spike, nothing to say */
	static const struct team t[] = { { "acme/t1", 20, 20, -1 }, { "acme/t2", 30, 30, -1 } };
	struct built x;
	char *note;

	spike_at = 15;
	spike = 120;
	span_from = P0 + 21;
	build(&x, t, 2, NULL);
	cr_assert_eq(x.rc, 0, "%s", x.err);
	const struct runit *u = find(&x.m, "acme/t1");
	cr_assert_eq(u->fig[0].value, 5.0);
	cr_assert_float_eq(u->fig[0].trend[2], 7.5, 1e-9);
	note = runit_span_note(&x.m, u);
	cr_assert_str_eq(note, "Les chiffres du tableau portent sur la période (3 mois), "
	    "ramenés à une année quand l'indicateur est annuel" NNBSP "; ceux des courbes, "
	    "sur l'année qui finit à chaque point (année glissante)" NNBSP ": à la fin de "
	    "la période, les deux ne donnent pas le même chiffre.");
	free(note);
	cr_assert_null(runit_span_note(&x.m, find(&x.m, "acme/t2")));
	char *html = render(&x.m, rhtml_write);
	cr_assert_not_null(strstr(html, "<p class=\"small\">Les chiffres du tableau"));
	free(html);
	built_free(&x);
	/* a year: the curve's last point is the table's figure */
	span_from = P0 + 12;
	build(&x, t, 2, NULL);
	cr_assert_null(runit_span_note(&x.m, find(&x.m, "acme/t1")));
	built_free(&x);
}

Test(report, a_team_left_out_for_missing_data_is_named_not_one_under_the_floor)
{
	/* t2 (30) sent nothing for April 2026: named with that month; t3 sent
	 * nothing then either, and had 3 people in July: only counted, as is
	 * t4, withheld with it */
	static const struct team t[] = {
		{ "acme/a/t1", 20, 20, -1 }, { "acme/a/t2", 30, 30, -1 },
		{ "acme/b/t3", 20, 20, 18 }, { "acme/b/t4", 40, 20, -1 },
	};
	struct built x;
	char *text;

	gap[1] = gap[2] = 16;
	build(&x, t, 4, NULL);
	cr_assert_eq(x.rc, 0, "%s", x.err);
	cr_assert_null(find(&x.m, "acme/a/t2"));
	cr_assert_null(find(&x.m, "acme/b/t3"));
	cr_assert_null(find(&x.m, "acme/b/t4"));
	cr_assert_eq(x.m.hidden, 3);
	cr_assert_eq(x.m.nmissing, 1);
	cr_assert_str_eq(x.m.missing[0], "acme/a/t2");
	cr_assert_eq(x.m.missing_at[0], P0 + 15);
	text = rmissing_text(&x.m);
	cr_assert_str_eq(text, "Non présentées faute de données, et non pour leur taille "
	    "(l'export des RH n'en contient pas pour une période au moins de celles que lit "
	    "le rapport)" NNBSP ": acme/a/t2 (pas de données pour avril 2026).");
	free(text);
	char *html = render(&x.m, rhtml_write);
	cr_assert_not_null(strstr(html, "pour ces raisons" NNBSP ": 2."));
	cr_assert_null(strstr(html, "acme/b/t3"), "a team under the floor is never named");
	cr_assert_null(strstr(html, "acme/b/t4"));
	free(html);
	html = render(&x.m, rjson_write);
	cr_assert_not_null(strstr(html, "\"missing_data_units\": [\n    {\n      \"unit\": "
	    "\"acme/a/t2\",\n      \"first_missing\": \"2026-04\""), "%s", html);
	free(html);
	built_free(&x);
	/* asked for alone, each gets the reason the report on its site gives:
	 * t2 its missing month; t3, under the floor in July, and t4, withheld
	 * with it, a hidden period and never which reason, even where t3 had
	 * no data (April comes first) */
	struct report_why why;
	build_why = &why;
	build(&x, t, 4, "acme/a/t2");
	cr_assert_eq(x.rc, EX_DATAERR);
	cr_assert_str_eq(x.err, "no report for acme/a/t2: it has no data for 2026-04, the "
	    "span's first period without any (vigie import its file), and a unit without "
	    "data at a period of the span appears in no report");
	cr_assert(why.hidden);
	cr_assert_eq(why.nodata, P0 + 15);
	built_free(&x);
	static const char *const hidden[] = { "acme/b/t3", "acme/b/t4" };
	for (size_t i = 0; i < 2; i++) {
		build(&x, t, 4, hidden[i]);
		cr_assert_eq(x.rc, EX_DATAERR);
		cr_assert(strstr(x.err, "it is hidden in 2026-"), "%s", x.err);
		cr_assert_null(strstr(x.err, "no data"), "%s", x.err);
		cr_assert_eq(why.nodata, INT32_MIN);
		built_free(&x);
	}
	build_why = NULL;
	/* every team without data that month: no report, and why */
	gap[0] = gap[3] = 16;
	build(&x, t, 4, NULL);
	cr_assert_eq(x.rc, EX_DATAERR);
	cr_assert_str_eq(x.err, "no unit is visible over the whole span: the database holds "
	    "no data for 2026-04, the span's first period without any (vigie import its file)");
	built_free(&x);
}


/* A month missing for everyone (April 2026), a report on the months after
 * it: every rolling year of its curves reaches the hole, and the page says
 * so under them, from when they can be drawn and why; the first year of
 * data says when the data begins. A curve empty because the team was
 * hidden before the span says nothing: that would tell a hidden cell. */
Test(report, curves_short_of_a_year_of_data_say_from_when_they_are_drawn)
{
	static const struct team t[] = { { "acme/a/t1", 20, 20, -1 }, { "acme/a/t2", 30, 30, -1 } };
	struct built x;
	char *note;

	gap[0] = gap[1] = 16;
	span_from = P0 + 16;
	build(&x, t, 2, NULL);
	cr_assert_eq(x.rc, 0, "%s", x.err);
	const struct runit *u = find(&x.m, "acme/a/t1");
	cr_assert(isnan(u->fig[0].trend[0]) && isnan(u->fig[0].trend[7]));
	note = runit_history_note(&x.m, u);
	cr_assert_str_eq(note, "Courbes disponibles à partir d'avril 2027" NNBSP ": il faut "
	    "12 mois de données, et la base n'en a pas pour avril 2026.");
	free(note);
	char *html = render(&x.m, rhtml_write);
	const char *charts = strstr(html, "<div class=\"charts\">"),
	    *said = strstr(html, "<p class=\"small\">Courbes disponibles à partir d'avril 2027");
	cr_assert(charts && said && said > charts, "under the charts");
	free(html);
	built_free(&x);
	/* the first year of data */
	gap[0] = gap[1] = 0;
	span_from = P0;
	build(&x, t, 2, NULL);
	cr_assert_eq(x.rc, 0, "%s", x.err);
	note = runit_history_note(&x.m, find(&x.m, "acme"));
	cr_assert_str_eq(note, "Courbes disponibles à partir de décembre 2025" NNBSP ": il faut "
	    "12 mois de données, et elles commencent en janvier 2025.");
	free(note);
	built_free(&x);
	/* t1 had 3 people in March 2026, t2 withheld with it: their curves
	 * are empty up to February 2027 too, and nothing says why */
	static const struct team h[] = { { "acme/a/t1", 20, 20, 14 }, { "acme/a/t2", 30, 30, -1 } };
	span_from = P0 + 16;
	build(&x, h, 2, NULL);
	cr_assert_eq(x.rc, 0, "%s", x.err);
	static const char *const shield[] = { "acme/a/t1", "acme/a/t2" };
	for (size_t i = 0; i < 2; i++) {
		u = find(&x.m, shield[i]);
		cr_assert_not_null(u, "%s", shield[i]);
		cr_assert(isnan(u->fig[0].trend[0]), "%s", shield[i]);
		cr_assert_null(runit_history_note(&x.m, u), "%s", shield[i]);
	}
	built_free(&x);
}
Test(report, a_figure_of_the_year_before_needs_the_whole_year_visible)
{
	/* t1 had 3 people in 2025-04: its 2025 figure and curve are withheld,
	 * its 2026 ones shown; its 2025 trend stays empty too. */
	static const struct team t[] = {
		{ "acme/t1", 20, 20, 3 }, { "acme/t2", 30, 30, -1 }, { "acme/t3", 25, 30, -1 },
	};
	struct built x;
	const struct runit *u;

	build(&x, t, 3, NULL);
	cr_assert_eq(x.rc, 0, "%s", x.err);
	u = find(&x.m, "acme/t1");
	cr_assert_not_null(u);
	cr_assert_eq(u->fig[0].value, 5.0);
	cr_assert(isnan(u->fig[0].prev));
	for (int i = 0; i < 12; i++)
		cr_assert(isnan(u->fig[0].trend_prev[i]), "point %d", i);
	/* the sibling withheld with it in 2025-04 */
	u = find(&x.m, "acme/t3");
	cr_assert(isnan(u->fig[0].prev));
	cr_assert(!isnan(find(&x.m, "acme/t2")->fig[0].prev));
	built_free(&x);
}

Test(report, a_span_outside_the_data_is_refused)
{
	static const struct team t[] = { { "acme/t1", 20, 20, -1 } };
	struct built x;
	struct diags d = { 0 };
	struct rparams p = { .gran = GRAN_MONTH, .from = P0 + 20, .to = P0 + 30, .loc = LOC_FR,
	    .floor = 5, .dominance = 0.85 };

	build(&x, t, 1, NULL);
	rmodel_free(&x.m);
	free(x.err);
	x.err = NULL;
	cr_assert_eq(rmodel_build(&x.m, x.s, &x.defs, &p, &x.err), EX_USAGE);
	cr_assert(strstr(x.err, "from 2025-01 to 2026-12") != NULL, "%s", x.err);
	diags_free(&d);
	built_free(&x);
}

/* ---- writers: what a hidden team leaves behind ---- */


Test(report, html_and_json_show_no_hidden_team_no_script_no_resource)
{
	static const struct team t[] = {
		{ "acme/a/t1", 20, 20, -1 }, { "acme/a/zq5", 8, 10, 16 },
		{ "acme/a/t4", 30, 30, -1 }, { "acme/b/t3", 10, 5, -1 },
	};
	struct built x;
	char *html, *json;

	build(&x, t, 4, NULL);
	cr_assert_eq(x.rc, 0, "%s", x.err);
	html = render(&x.m, rhtml_write);
	json = render(&x.m, rjson_write);
	cr_assert(strstr(html, "acme/a/t4") && strstr(json, "acme/a/t4"));
	cr_assert_null(strstr(html, "zq5"));
	cr_assert_null(strstr(json, "zq5"));
	cr_assert_null(strstr(html, "acme/a/t1"));
	cr_assert_null(strstr(html, "<script"));
	cr_assert_null(strstr(html, "http"));
	cr_assert(strstr(html, "@page") != NULL);
	char want[64];
	rvalue(want, sizeof(want), find(&x.m, "acme")->fig[0].value, &x.defs.v[0], LOC_FR);
	cr_assert(strstr(want, "," ) && strstr(want, NB "%"), "%s", want);
	cr_assert(strstr(html, want) != NULL, "the company's absenteeism, typeset: %s", want);
	free(html);
	free(json);
	built_free(&x);
}

/* ---- a company of 4 levels ---- */

/* Company, sites, departments, teams: the units come in tree order (a
 * site « a-b » after every unit of « a », where strcmp would put it
 * between « a » and its departments), a unit with units under it below a
 * site is a department, each is named under its site by its path there
 * (two « t1 » in two departments read apart), and the HTML's contents
 * nest each under its parent. */
Test(report, a_four_level_company_nests_by_path_and_names_departments)
{
	static const struct team t[] = {
		{ "acme/a/d1/t1", 20, 20, -1 }, { "acme/a/d1/t2", 30, 30, -1 },
		{ "acme/a/d2/t1", 25, 20, -1 }, { "acme/a-b/t9", 12, 5, -1 },
	};
	static const char *const order[] = {
		"acme", "acme/a", "acme/a/d1", "acme/a/d1/t1", "acme/a/d1/t2", "acme/a/d2",
		"acme/a/d2/t1", "acme/a-b", "acme/a-b/t9",
	};
	static const int depth[] = { 0, 1, 2, 3, 3, 2, 3, 1, 2 };
	static const char *const label[] = {
		"acme", "a", "d1", "d1/t1", "d1/t2", "d2", "d2/t1", "a-b", "t9",
	};
	static const enum rlevel level[] = {
		RL_COMPANY, RL_SITE, RL_DEPT, RL_TEAM, RL_TEAM, RL_DEPT, RL_TEAM, RL_SITE, RL_TEAM,
	};
	struct built x;
	char *html, *toc;

	build(&x, t, 4, NULL);
	cr_assert_eq(x.rc, 0, "%s", x.err);
	cr_assert_eq(x.m.nunits, 9);
	for (size_t i = 0; i < 9; i++) {
		const struct runit *u = &x.m.units[i];

		cr_assert_str_eq(u->path, order[i]);
		cr_assert_eq(u->depth, depth[i], "%s", u->path);
		cr_assert_eq(u->level, level[i], "%s", u->path);
		cr_assert_str_eq(runit_short(u), label[i]);
		cr_assert(u->up == RUNIT_TOP ? i == 0 :
		    !strncmp(u->path, x.m.units[u->up].path, strlen(x.m.units[u->up].path)),
		    "%s", u->path);
	}
	cr_assert_eq(x.m.units[6].up, 5);
	cr_assert_str_eq(rlevel_name(RL_DEPT, LOC_FR), "Service");
	html = render(&x.m, rhtml_write);
	toc = strstr(html, "<ol class=\"toc\">");
	cr_assert_not_null(toc);
	cr_assert_not_null(strstr(toc,
	    "<li class=\"site\"><a href=\"#u1\">Site a</a>\n<ol>\n"
	    "<li class=\"department\"><a href=\"#u2\">Service d1</a>\n<ol>\n"
	    "<li class=\"team\"><a href=\"#u3\">Équipe d1/t1</a></li>\n"
	    "<li class=\"team\"><a href=\"#u4\">Équipe d1/t2</a></li>\n"
	    "</ol></li>\n"
	    "<li class=\"department\"><a href=\"#u5\">Service d2</a>\n<ol>\n"
	    "<li class=\"team\"><a href=\"#u6\">Équipe d2/t1</a></li>\n"
	    "</ol></li>\n</ol></li>\n"
	    "<li class=\"site\"><a href=\"#u7\">Site a-b</a>\n<ol>\n"
	    "<li class=\"team\"><a href=\"#u8\">Équipe t9</a></li>\n"
	    "</ol></li>\n</ol></li>\n<li><a href=\"#method\">"), "%s", toc);
	cr_assert_not_null(strstr(html, "<section id=\"u2\">\n<h2><span class=\"level\">"
	    "Service</span> acme/a/d1</h2>"));
	free(html);
	html = render(&x.m, rjson_write);
	cr_assert_not_null(strstr(html, "\"level\": \"department\""));
	free(html);
	built_free(&x);

	/* a department's report: it is the top, its teams one level down,
	 * named as in the company's */
	build(&x, t, 4, "acme/a/d1");
	cr_assert_eq(x.rc, 0, "%s", x.err);
	cr_assert_eq(x.m.nunits, 3);
	cr_assert_eq(x.m.units[0].up, RUNIT_TOP);
	cr_assert_eq(x.m.units[0].depth, 0);
	cr_assert_eq(x.m.units[2].depth, 1);
	cr_assert_str_eq(runit_short(&x.m.units[2]), "d1/t2");
	built_free(&x);
}

/* ---- chart scale ---- */

Test(report, chart_scales_start_at_zero_and_end_on_a_round_step)
{
	double a[3] = { 4.1, NAN, 4.7 }, b[3] = { NAN, 3.9, 4.2 };
	struct rscale sc;

	rscale_fit(&sc, a, b, 3, 6.11);
	cr_assert(!sc.empty);
	cr_assert_eq(sc.lo, 0);
	cr_assert_eq(sc.step, 2);
	cr_assert_eq(sc.hi, 8);
	cr_assert_eq(sc.nticks, 5);
	cr_assert_eq(rscale_decimals(&sc), 0);
	double n[2] = { NAN, NAN };
	rscale_fit(&sc, n, n, 2, NAN);
	cr_assert(sc.empty);
	double c[2] = { 0.16, 0.46 };
	rscale_fit(&sc, c, n, 2, 1.37);
	cr_assert_eq(sc.hi, 1.5);
	cr_assert_eq(rscale_decimals(&sc), 1);
}

/* A team with no conflict all year: an axis 0, 1 with whole labels, not
 * 0,00 0,25 0,50 0,75 1,00, and a chart that says it is zero throughout;
 * with no point at all, the same axis and "no data". */
Test(report, an_all_zero_chart_has_an_axis_from_0_to_1_in_whole_numbers)
{
	double z[3] = { 0, -0.0, 0 }, n[3] = { NAN, NAN, NAN };
	struct rscale sc;

	rscale_fit(&sc, z, n, 3, NAN);
	cr_assert(!sc.empty);
	cr_assert(sc.zero);
	cr_assert_eq(sc.lo, 0);
	cr_assert_eq(sc.hi, 1);
	cr_assert_eq(sc.step, 1);
	cr_assert_eq(sc.nticks, 2);
	cr_assert_eq(rscale_decimals(&sc), 0);
	rscale_fit(&sc, n, n, 3, NAN);
	cr_assert(sc.empty);
	cr_assert(!sc.zero);
	cr_assert_eq(sc.hi, 1);
	cr_assert_eq(sc.nticks, 2);
	/* zeros under a reference: the reference's scale */
	rscale_fit(&sc, z, z, 3, 30.1);
	cr_assert(sc.zero);
	cr_assert_eq(sc.hi, 40);
}

/* ---- alerts and follow-up from a store ---- */

/* 24 months from 2025-01 of two teams of 20 whose absence days are given
 * month by month. */
static struct series *two_teams(const double *t1, const double *t4)
{
	struct series_builder *b = sb_new(GRAN_MONTH, P0, P0 + 23);
	int32_t h = sb_indicator(b, "headcount"), w = sb_indicator(b, "workable_days"),
	    a = sb_indicator(b, "absence_days");
	int32_t u[2] = { sb_unit(b, "acme/a/t1"), sb_unit(b, "acme/a/t4") };
	const double *v[2] = { t1, t4 };

	for (int i = 0; i < 2; i++)
		for (int k = 0; k < 24; k++) {
			sb_set(b, (uint32_t)u[i], (uint32_t)h, P0 + k, 20);
			sb_set(b, (uint32_t)u[i], (uint32_t)w, P0 + k, 400);
			sb_set(b, (uint32_t)u[i], (uint32_t)a, P0 + k, v[i][k]);
		}
	return sb_finish(b);
}

/* The alerts of the span are those a backtest of the data finds (SPEC 5:
 * the state is a function of the data), whenever the daemon ran: here it
 * never did, and the store holds only a closure. The span is 2026. */
/* The firing event a cycle records with an alert. */
static void fired(struct store *st, struct store_cycle *c, int64_t id, const char *rule,
    const char *unit, int32_t period)
{
	struct event_in e = { .alert = id, .kind = "firing", .rule = rule, .unit = unit,
	    .period = period, .since = period, .sev = SEV_WARNING, .value = 1,
	    .threshold = 1, .decimals = 1 };

	cr_assert_gt(store_event_insert(st, c, &e), 0);
}

Test(report, alerts_count_by_theme_and_highest_severity_without_secret_rules)
{
	char dir[] = "/tmp/vigie-report.XXXXXX", db[96], rules[96], *err = NULL;
	static const char rules_yaml[] =
	    "rules:\n"
	    "  - id: abs\n    title: A\n    value: absence_days\n"
	    "    above: { warning: 1, critical: 10 }\n"
	    "    labels: { theme: absences }\n"
	    "  - id: long\n    title: L\n    value: sum(absence_days, 36)\n"
	    "    above: { warning: 1e9 }\n    labels: { theme: absences }\n"
	    "  - id: secret\n    title: S\n    value: absence_days\n    above: { warning: 1 }\n"
	    "    notify: [social-worker]\n    labels: { theme: sante }\n";
	/* t1 fires in the span (2026-09, 2 days) and escalates (2026-10, 12);
	 * t4 fires before it (2025-06) and stays active, so do acme/a and
	 * acme, which escalate in the span with t1: counted apart, as
	 * ongoing, at the highest severity they had in the span. */
	double t1[24] = { 0 }, t4[24] = { 0 };
	for (int k = 20; k < 24; k++)
		t1[k] = k == 20 ? 2 : 12;
	for (int k = 5; k < 24; k++)
		t4[k] = 1.5;
	struct store *st;
	struct rmodel m = { 0 };
	struct rdefs defs;
	struct rparams p = { .gran = GRAN_MONTH, .from = P0 + 12, .to = P0 + 23,
	    .loc = LOC_FR, .floor = 5, .dominance = 0.85, .now = 1796083200 };
	struct series *s = two_teams(t1, t4);
	struct diags d = { 0 };
	struct ruleset *rs;
	struct config cfg = { .min_headcount = 5, .dominance = 0.85, .carry_over = 6 };
	char *roles[] = { (char *)"social-worker", (char *)"hr" };
	struct store_cycle c = { .now = 1780000000 };
	struct alert_state a = { .active = true, .severity = SEV_WARNING, .value = 1,
	    .threshold = 1, .period = P0 + 20, .since = P0 + 20, .notified = P0 + 20 };
	int64_t id = 0;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(db, sizeof(db), "%s/v.db", dir);
	snprintf(rules, sizeof(rules), "%s/r.yaml", dir);
	cr_assert_eq(write_file_atomic(rules, rules_yaml, strlen(rules_yaml), 0600), 0);
	cr_assert_not_null(rs = ruleset_load(rules, NULL, &d), "%s", diags_to_string(&d, 0));
	rs->carry_over = 6;
	cr_assert_eq(store_open(db, GRAN_MONTH, &st, &err), 0);
	/* The follow-up counts come from the store: t1's alert was closed. */
	cr_assert_eq(store_begin(st), 0);
	cr_assert_eq(store_alert_write(st, &c, "abs", "acme/a/t1", &id, &a, false), 0);
	fired(st, &c, id, "abs", "acme/a/t1", P0 + 20);
	cr_assert_eq(store_commit(st), 0);
	cr_assert_eq(store_begin(st), 0);
	cr_assert_eq(store_alert_close(st, id, "M. Martin", OUTCOME_ACTION_TAKEN,
	    1780000100), 0);
	cr_assert_eq(store_commit(st), 0);
	/* The social service's own alert on t1, acknowledged twice and
	 * closed: its follow-up is as secret as the alert (SPEC 3). */
	id = 0;
	cr_assert_eq(store_begin(st), 0);
	cr_assert_eq(store_alert_write(st, &c, "secret", "acme/a/t1", &id, &a, false), 0);
	fired(st, &c, id, "secret", "acme/a/t1", P0 + 20);
	cr_assert_eq(store_commit(st), 0);
	cr_assert_eq(store_alert_ack(st, id, "M. Martin", NULL, 1780000200), 0);
	cr_assert_eq(store_alert_ack(st, id, "Mme Durand", NULL, 1780000300), 0);
	cr_assert_eq(store_alert_close(st, id, "M. Martin", OUTCOME_FALSE_ALARM,
	    1780000400), 0);

	cr_assert_eq(rdefs_parse("t.yaml", defs_yaml, strlen(defs_yaml), &defs, &d), 0,
	    "%s", diags_to_string(&d, 0));
	cr_assert_eq(rmodel_build(&m, s, &defs, &p, &err), 0, "%s", err);
	cfg.default_notify = roles;
	cfg.ndefault_notify = 2;
	cfg.confidential_roles = roles;
	cfg.nconfidential_roles = 1;
	cr_assert_eq(rmodel_alerts(&m, st, s, rs, &cfg), 0);
	cr_assert_str_eq(m.themes[0], "absences");
	cr_assert_str_eq(m.themes[1], "sante");
	/* the glossary's themes: the titles of the rules counted in each */
	cr_assert_str_eq(m.theme_rules[0], "A, L");
	cr_assert_null(m.theme_rules[1], "the social service's rule is not listed");
	char *html = render(&m, rhtml_write);
	cr_assert_not_null(strstr(html, "<h3>Le vocabulaire des alertes</h3>"));
	cr_assert_not_null(strstr(html, "<li>Absences" NNBSP ": A, L.</li>"));
	cr_assert_not_null(strstr(html, "Vigilance, critique" NNBSP ": la gravité"));
	cr_assert_not_null(strstr(html, "«" NNBSP "fausse alerte" NNBSP "» (le signal"));
	cr_assert_null(strstr(html, ">S<"), "nor anywhere else");
	free(html);
	const struct runit *u = find(&m, "acme/a/t1"), *site = find(&m, "acme/a"),
	    *top = find(&m, "acme"), *t4u = find(&m, "acme/a/t4");
	cr_assert_eq(u->alerts[0], 0);
	cr_assert_eq(u->alerts[1], 1, "counted once, at its highest severity");
	cr_assert_eq(site->alerts[1], 1, "a site's alerts include its teams'");
	cr_assert_eq(site->alerts[0], 0, "an alert that fired before the span");
	cr_assert_eq(top->alerts[1], 1);
	cr_assert_eq(top->alerts[0], 0);
	for (size_t k = 0; k < 2 * m.nthemes; k++)
		cr_assert_eq(t4u->alerts[k], 0, "fired before the span");
	/* ... but active in it: on a line of its own, never « Aucune alerte »
	 * beside the follow-up of an alert still going on */
	cr_assert_eq(t4u->ongoing[0], 1, "active in the span, fired before it");
	cr_assert_eq(t4u->ongoing[1], 0);
	cr_assert_eq(u->ongoing[0] + u->ongoing[1], 0, "t1's alert fired in the span");
	cr_assert_eq(site->ongoing[0], 1, "t4's, under its site");
	cr_assert_eq(site->ongoing[1], 1, "the site's own, escalated in the span");
	cr_assert_eq(top->ongoing[1], 2, "the company's own and its site's");
	cr_assert_eq(u->ongoing[2] + u->ongoing[3] + t4u->ongoing[2] + t4u->ongoing[3], 0,
	    "a rule of the social service only");
	/* the follow-up's base: the alerts notified for the span's periods */
	cr_assert_eq(u->notified, 1, "the social service's alert is not counted");
	cr_assert_eq(top->notified, 1);
	cr_assert_eq(t4u->notified, 0);
	/* 24 months of data: the rule of a 36-month window could not be
	 * computed at the span's end, which the alert box says */
	cr_assert_eq(u->rules, 2, "abs and long; not the social service's");
	cr_assert_eq(u->rules_nohist, 1);
	cr_assert_eq(top->rules_nohist, 1);
	char *why = rno_history(&m, u);
	cr_assert_str_eq(why, "1 règle sur 2 n'avait pas encore, en décembre 2026, "
	    "l'historique nécessaire pour être calculée" NNBSP ": l'absence d'alerte ne "
	    "veut pas dire l'absence de signal.");
	free(why);
	cr_assert_eq(u->alerts[2] + u->alerts[3], 0, "a rule of the social service only");
	cr_assert_eq(u->taken, 1, "the social service's alert is not counted");
	cr_assert_eq(u->closed[OUTCOME_ACTION_TAKEN], 1);
	cr_assert_eq(u->closed[OUTCOME_FALSE_ALARM], 0, "nor how it was closed");
	cr_assert_eq(top->taken, 1);
	cr_assert_eq(top->closed[OUTCOME_ACTION_TAKEN], 1);
	cr_assert_eq(top->closed[OUTCOME_FALSE_ALARM], 0);
	cr_assert_eq(t4u->taken, 0);

	rmodel_free(&m);
	rdefs_free(&defs);
	series_free(s);
	ruleset_free(rs);
	store_close(st);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

/* The model of the two teams of two_teams with rule set rules_yaml over
 * the span [from, to], and an empty store for the follow-up: what a test
 * of the alert counts reads. Free with alerts_done. */
/* The alert tests' rule: absence days, vigilance at 1, critical at 10. */
#define ABS_RULE "  - id: abs\n    title: A\n    value: absence_days\n" \
	"    above: { warning: 1, critical: 10 }\n    labels: { theme: absences }\n"

struct alerts_fixture {
	char dir[32];
	struct store *st;
	struct rmodel m;
	struct rdefs defs;
	struct series *s;
	struct ruleset *rs;
};

static void alerts_model(struct alerts_fixture *x, const char *rules_yaml,
    const double *t1, const double *t4, int32_t from, int32_t to,
    void (*fill)(struct store *st))
{
	char db[96], rules[96], *err = NULL;
	struct rparams p = { .gran = GRAN_MONTH, .from = from, .to = to,
	    .loc = LOC_FR, .floor = 5, .dominance = 0.85, .now = 1796083200 };
	struct diags d = { 0 };
	char *roles[] = { (char *)"hr" };
	struct config cfg = { .min_headcount = 5, .dominance = 0.85, .carry_over = 6,
	    .default_notify = roles, .ndefault_notify = 1 };

	memset(x, 0, sizeof(*x));
	strcpy(x->dir, "/tmp/vigie-report.XXXXXX");
	cr_assert_not_null(mkdtemp(x->dir));
	snprintf(db, sizeof(db), "%s/v.db", x->dir);
	snprintf(rules, sizeof(rules), "%s/r.yaml", x->dir);
	cr_assert_eq(write_file_atomic(rules, rules_yaml, strlen(rules_yaml), 0600), 0);
	cr_assert_not_null(x->rs = ruleset_load(rules, NULL, &d), "%s",
	    diags_to_string(&d, 0));
	x->rs->carry_over = 6;
	cr_assert_eq(store_open(db, GRAN_MONTH, &x->st, &err), 0);
	if (fill)
		fill(x->st);
	x->s = two_teams(t1, t4);
	cr_assert_eq(rdefs_parse("t.yaml", defs_yaml, strlen(defs_yaml), &x->defs, &d), 0,
	    "%s", diags_to_string(&d, 0));
	cr_assert_eq(rmodel_build(&x->m, x->s, &x->defs, &p, &err), 0, "%s", err);
	cr_assert_eq(rmodel_alerts(&x->m, x->st, x->s, x->rs, &cfg), 0);
}

static void alerts_done(struct alerts_fixture *x)
{
	char cmd[128];

	rmodel_free(&x->m);
	rdefs_free(&x->defs);
	series_free(x->s);
	ruleset_free(x->rs);
	store_close(x->st);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", x->dir);
	cr_assert_eq(system(cmd), 0);
}

/* An alert whose data falls back under its threshold at a period is no
 * longer active at that period (the console no longer lists it): one
 * resolved at the span's first period was active at none of the span's,
 * and is not among its ongoing alerts; one that falls from critical to
 * vigilance there had only vigilance in the span. A month's report then
 * agrees with the console for that month, and a quarter that begins a
 * month earlier counts both, at the severity they had in it. */
Test(report, an_alert_resolved_at_the_spans_first_period_is_not_ongoing)
{
	static const char rules_yaml[] = "rules:\n" ABS_RULE;
	/* both fire in 2025-06; t1 resolves in 2026-01, t4 is critical up to
	 * 2025-12 and vigilance from 2026-01 on */
	double t1[24] = { 0 }, t4[24] = { 0 };
	for (int k = 5; k < 12; k++)
		t1[k] = 1.5;
	for (int k = 5; k < 24; k++)
		t4[k] = k < 12 ? 12 : 1.5;
	struct alerts_fixture x;
	const struct runit *a, *b, *top;

	/* January 2026 */
	alerts_model(&x, rules_yaml, t1, t4, P0 + 12, P0 + 12, NULL);
	a = find(&x.m, "acme/a/t1");
	b = find(&x.m, "acme/a/t4");
	top = find(&x.m, "acme");
	cr_assert_eq(a->ongoing[0] + a->ongoing[1], 0, "resolved in January: not active then");
	cr_assert_eq(b->ongoing[0], 1, "vigilance in January");
	cr_assert_eq(b->ongoing[1], 0, "critical only before January");
	/* the site's and the company's own (the sums of both teams) fell
	 * to vigilance in January too */
	cr_assert_eq(top->ongoing[0], 3, "t4's, the site's and the company's own");
	cr_assert_eq(top->ongoing[1], 0, "none was critical in January");
	cr_assert_eq(top->alerts[0] + top->alerts[1], 0);
	alerts_done(&x);
	/* December 2025 to February 2026: both were active in December */
	alerts_model(&x, rules_yaml, t1, t4, P0 + 11, P0 + 13, NULL);
	a = find(&x.m, "acme/a/t1");
	b = find(&x.m, "acme/a/t4");
	cr_assert_eq(a->ongoing[0], 1, "active in December");
	cr_assert_eq(b->ongoing[1], 1, "critical in December");
	cr_assert_eq(b->ongoing[0], 0);
	alerts_done(&x);
	/* February 2026: t1's alert is long gone */
	alerts_model(&x, rules_yaml, t1, t4, P0 + 13, P0 + 13, NULL);
	a = find(&x.m, "acme/a/t1");
	cr_assert_eq(a->ongoing[0] + a->ongoing[1], 0);
	alerts_done(&x);
}

/* What a daemon run every month recorded: t4's alert notified for
 * 2025-06 and taken in charge then, still active. */
static void notified_in_june(struct store *st)
{
	struct store_cycle c = { .now = 1750000000 };
	struct alert_state a = { .active = true, .severity = SEV_WARNING, .value = 1.5,
	    .threshold = 1, .period = P0 + 5, .since = P0 + 5, .notified = P0 + 5 };
	int64_t id = 0;

	cr_assert_eq(store_begin(st), 0);
	cr_assert_eq(store_alert_write(st, &c, "abs", "acme/a/t4", &id, &a, false), 0);
	fired(st, &c, id, "abs", "acme/a/t4", P0 + 5);
	cr_assert_eq(store_commit(st), 0);
	cr_assert_eq(store_alert_ack(st, id, "RH", NULL, 1750000100), 0);
}

/* A daemon run every month notified t4's alert in June 2025 and HR took
 * it in charge then: in a report on 2026 it is among the ongoing alerts,
 * and its follow-up box counts it (a base of its own) with its taking in
 * charge, never « en cours, critique 1 » beside « Prises en charge 0 ». */
Test(report, an_ongoing_alert_taken_in_charge_before_the_span_counts_in_its_follow_up)
{
	static const char rules_yaml[] = "rules:\n" ABS_RULE;
	double t1[24] = { 0 }, t4[24] = { 0 };
	for (int k = 5; k < 24; k++)
		t4[k] = 1.5;
	struct alerts_fixture x;

	alerts_model(&x, rules_yaml, t1, t4, P0 + 12, P0 + 23, notified_in_june);
	const struct runit *u = find(&x.m, "acme/a/t4"), *top = find(&x.m, "acme");
	cr_assert_eq(u->ongoing[0], 1);
	cr_assert_eq(u->notified, 0, "notified before the span");
	cr_assert_eq(u->notified_before, 1);
	cr_assert_eq(u->taken, 1, "taken in charge before the span");
	cr_assert_eq(top->notified_before, 1);
	cr_assert_eq(top->taken, 1);
	char *html = render(&x.m, rhtml_write);
	cr_assert_not_null(strstr(html, "<tr><th scope=\"row\">Notifiées avant, encore "
	    "actives</th><td class=\"num\">1</td></tr>"), "%s", html);
	free(html);
	alerts_done(&x);
}

/* The alerts that fired before the span and were active at its first
 * period are « Déjà actives au début », not « En cours »: one may have
 * ended during the span, and a works council reads « en cours » as still
 * going on now. The table and the method page use the same words. */
Test(report, the_alerts_active_when_the_span_began_are_named_so_not_ongoing)
{
	static const char rules_yaml[] = "rules:\n" ABS_RULE;
	/* t4's alert fires in 2025-06 and ends in 2026-03 */
	double t1[24] = { 0 }, t4[24] = { 0 };
	for (int k = 5; k < 14; k++)
		t4[k] = 1.5;
	struct alerts_fixture x;

	alerts_model(&x, rules_yaml, t1, t4, P0 + 12, P0 + 23, NULL);
	cr_assert_eq(find(&x.m, "acme/a/t4")->ongoing[0], 1);
	char *html = render(&x.m, rhtml_write);
	cr_assert_not_null(strstr(html, "<tr><th scope=\"row\">&nbsp;&nbsp;dont déjà actives "
	    "au début</th>"), "%s", html);
	cr_assert_not_null(strstr(html, "même si elle a pris fin depuis, avec la gravité la "
	    "plus haute qu'elle a eue pendant la période" NNBSP "; la ligne «" NNBSP "dont "
	    "déjà actives au début" NNBSP "»"), "the method page names the line");
	cr_assert_null(strstr(html, "En cours"));
	cr_assert_null(strstr(html, "en cours"));
	free(html);
	alerts_done(&x);
}

/* The alerts active when the span began count in their theme's row,
 * and in the total, a last line saying how many of the total they are:
 * « Signaux faibles 1 2 » above « 0 4 » of other themes no longer reads
 * as four more weak signals, and the table has no row more than a
 * theme's. */
Test(report, the_alerts_active_when_the_span_began_count_in_their_theme)
{
	static const char rules_yaml[] = "rules:\n" ABS_RULE
	    "  - id: big\n    title: B\n    value: absence_days\n"
	    "    above: { warning: 11 }\n"
	    "    labels: { theme: charge }\n";
	/* t4: critical « absences » from 2025-06 on, so also « charge »,
	 * both active when 2026 begins; t1: « absences » fires in 2026-09 */
	double t1[24] = { 0 }, t4[24] = { 0 };
	for (int k = 20; k < 24; k++)
		t1[k] = 2;
	for (int k = 5; k < 24; k++)
		t4[k] = 12;
	struct alerts_fixture x;

	alerts_model(&x, rules_yaml, t1, t4, P0 + 12, P0 + 23, NULL);
	const struct runit *u = find(&x.m, "acme/a/t4");
	cr_assert_eq(u->ongoing[1], 1);
	cr_assert_eq(u->ongoing[2], 1);
	char *html = render(&x.m, rhtml_write);
	const char *p4 = strstr(html, "acme/a/t4</h2>"), *p1 = strstr(html, "acme/a/t1</h2>");
	cr_assert(p4 && p1 && p1 < p4, "%s", html);
	const char *rows[] = {
		"<tr><th scope=\"row\">Absences</th><td class=\"num\">0</td>"
		    "<td class=\"num\">1</td></tr>",
		"<tr><th scope=\"row\">Charge de travail</th><td class=\"num\">1</td>"
		    "<td class=\"num\">0</td></tr>",
		"<tr class=\"total\"><th scope=\"row\">Total</th><td class=\"num\">1</td>"
		    "<td class=\"num\">1</td></tr>",
		"<tr><th scope=\"row\">&nbsp;&nbsp;dont déjà actives au début</th>"
		    "<td class=\"num\">1</td><td class=\"num\">1</td></tr>",
	};
	const char *at = p4;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *r = strstr(at, rows[i]);
		cr_assert_not_null(r, "t4: %s in\n%s", rows[i], p4);
		at = r;
	}
	/* t1's alert fired in the span: no line of those active before */
	const char *box = strstr(p1, "<h3>Alertes de la période</h3>"),
	    *end = box ? strstr(box, "</table>") : NULL;
	cr_assert(box && end);
	cr_assert_not_null(strstr(box, "<tr><th scope=\"row\">Absences</th><td class=\"num\">1"));
	const char *dont = strstr(box, "dont déjà");
	cr_assert(!dont || dont > end, "t1 has none active before");
	free(html);
	alerts_done(&x);
}

/* A site's alerts are its own rules' (computed on the whole site) and its
 * teams': here the site fires and neither of its teams, both shown. The
 * method page says so, and never that hidden small teams make up the
 * difference: it would point at one where there is none (and must not
 * tell where there is one). */
Test(report, the_method_page_says_a_sites_alerts_are_its_own_and_its_teams)
{
	static const char rules_yaml[] =
	    "rules:\n"
	    "  - id: abs\n    title: A\n    value: absence_days\n"
	    "    above: { warning: 2 }\n"
	    "    labels: { theme: absences }\n";
	double t1[24] = { 0 }, t4[24] = { 0 };
	for (int k = 20; k < 24; k++)
		t1[k] = t4[k] = 1.5;
	struct alerts_fixture x;

	alerts_model(&x, rules_yaml, t1, t4, P0 + 12, P0 + 23, NULL);
	cr_assert_eq(find(&x.m, "acme/a")->alerts[0], 1, "the site's own");
	cr_assert_eq(find(&x.m, "acme/a/t1")->alerts[0], 0);
	cr_assert_eq(find(&x.m, "acme/a/t4")->alerts[0], 0);
	char *html = render(&x.m, rhtml_write);
	cr_assert_not_null(strstr(html, "Les alertes d'un site sont celles des règles "
	    "calculées sur le site entier (un signal mesuré sur l'ensemble de ses salariés) "
	    "et celles de ses équipes, qu'elles figurent ou non dans ce rapport" NNBSP "; de "
	    "même pour l'entreprise. Elles peuvent donc dépasser la somme de celles des "
	    "équipes présentées, même quand toutes le sont."), "%s", html);
	cr_assert_null(strstr(html, "trop petites pour figurer"));
	free(html);
	alerts_done(&x);
}

/* A rule turned off by its when guard (one for small units, on teams of
 * 20) does not apply to the unit: it is neither among the rules counted
 * nor among those short of history, whatever window it reads; a rule
 * that does apply and reads 36 months of 24 is. */
Test(report, a_rule_its_guard_turns_off_is_not_short_of_history)
{
	static const char rules_yaml[] =
	    "rules:\n"
	    "  - id: abs\n    title: A\n    value: absence_days\n"
	    "    above: { warning: 1 }\n    labels: { theme: absences }\n"
	    "  - id: long\n    title: L\n    value: sum(absence_days, 36)\n"
	    "    above: { warning: 1e9 }\n    labels: { theme: absences }\n"
	    "  - id: small\n    title: S\n    value: sum(absence_days, 36)\n"
	    "    when: headcount <= 10\n"
	    "    above: { warning: 1e9 }\n    labels: { theme: absences }\n";
	double t1[24] = { 0 }, t4[24] = { 0 };
	struct alerts_fixture x;

	alerts_model(&x, rules_yaml, t1, t4, P0 + 12, P0 + 23, NULL);
	const struct runit *u = find(&x.m, "acme/a/t1");
	cr_assert_eq(u->rules, 2, "abs and long; small does not apply to 20 people");
	cr_assert_eq(u->rules_nohist, 1, "long only");
	char *why = rno_history(&x.m, u);
	cr_assert_str_eq(why, "1 règle sur 2 n'avait pas encore, en décembre 2026, "
	    "l'historique nécessaire pour être calculée" NNBSP ": l'absence d'alerte ne "
	    "veut pas dire l'absence de signal.");
	free(why);
	/* the engine says so */
	struct eval_row *rows = NULL;
	size_t n = 0, off = 0;
	cr_assert_eq(engine_eval(x.rs, x.s, NULL, 5, P0 + 23, &rows, &n), 0);
	for (size_t i = 0; i < n; i++)
		off += rows[i].off;
	cr_assert_eq(off, 4, "small, on both teams, their site and the company");
	free(rows);
	alerts_done(&x);
}

/* The shipped rules are scoped to the units under a company: none applies
 * to the company itself, whose alert box is the sum of its units'. Its
 * page, the first the works council reads, says as theirs do that rules
 * lacked history: the rules that apply to one of its units, and those
 * computed at none. */
Test(report, the_company_says_which_rules_of_its_units_lacked_history)
{
	static const char rules_yaml[] =
	    "rules:\n"
	    "  - id: abs\n    title: A\n    value: absence_days\n    scope: \"*/**\"\n"
	    "    above: { warning: 1 }\n    labels: { theme: absences }\n"
	    "  - id: long\n    title: L\n    value: sum(absence_days, 36)\n"
	    "    scope: \"*/**\"\n"
	    "    above: { warning: 1e9 }\n    labels: { theme: absences }\n";
	double t1[24] = { 0 }, t4[24] = { 0 };
	struct alerts_fixture x;

	alerts_model(&x, rules_yaml, t1, t4, P0 + 12, P0 + 23, NULL);
	const struct runit *top = find(&x.m, "acme"), *site = find(&x.m, "acme/a");
	cr_assert_eq(top->rules, 2, "its units' rules");
	cr_assert_eq(top->rules_nohist, 1);
	cr_assert_eq(site->rules, 2);
	cr_assert_eq(site->rules_nohist, 1);
	char *why = rno_history(&x.m, top);
	cr_assert_not_null(why, "the company's page says it");
	free(why);
	char *html = render(&x.m, rhtml_write);
	const char *company = strstr(html, "acme</h2>"), *next = strstr(html, "acme/a</h2>");
	cr_assert(company && next, "%s", html);
	const char *say = strstr(company, "1 règle sur 2 n'avait pas encore");
	cr_assert(say && say < next, "under the company's alerts");
	free(html);
	alerts_done(&x);
}

/* ---- the scheduled email's attachment ---- */

Test(report, an_attachment_is_base64_in_lines_of_76)
{
	unsigned char data[200];
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	for (int i = 0; i < 200; i++)
		data[i] = (unsigned char)(i * 7);
	mime_put_attachment(f, "B", "application/pdf", "rapport-cse-2026-07-2026-09.pdf",
	    data, sizeof(data));
	mime_put_attachment(f, "B", "application/pdf", "rapport été.pdf", "ab", 2);
	fclose(f);
	cr_assert(strstr(buf, "--B\r\nContent-Type: application/pdf\r\n"
	    "Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; "
	    "filename=\"rapport-cse-2026-07-2026-09.pdf\"\r\n\r\nAAcOFRwjKjE4P0ZNVFtiaXB3") != NULL,
	    "%s", buf);
	/* 200 bytes: 268 characters, three full lines of 76 and one of 40 */
	cr_assert(strstr(buf, "\r\n\r\n") != NULL);
	char *body = strstr(buf, "\r\n\r\n") + 4;
	for (int l = 0; l < 3; l++) {
		char *eol = strstr(body, "\r\n");
		cr_assert_eq(eol - body, 76);
		body = eol + 2;
	}
	cr_assert_eq(strstr(body, "\r\n") - body, 40);
	cr_assert(strstr(buf, "filename*=UTF-8''rapport%20%C3%A9t%C3%A9.pdf\r\n\r\nYWI=\r\n") != NULL,
	    "%s", buf);
	free(buf);
}
