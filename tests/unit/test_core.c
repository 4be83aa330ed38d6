/* Periods, unit paths and globs, diagnostics. */
#include <criterion/criterion.h>
#include <string.h>
#include "vigie/diag.h"
#include "vigie/period.h"
#include "vigie/unit.h"

static int32_t P(const char *s, enum granularity want)
{
	enum granularity g;
	int32_t p;

	cr_assert_eq(period_parse(s, strlen(s), &g, &p), 0, "%s", s);
	cr_assert_eq(g, want, "%s", s);
	return p;
}

static void expect_format(enum granularity g, int32_t p, const char *want)
{
	char buf[PERIOD_BUFSZ];

	cr_assert_str_eq(period_format(g, p, buf), want);
}

Test(period, months_follow_each_other_across_years)
{
	int32_t dec = P("2025-12", GRAN_MONTH);

	cr_assert_eq(P("2026-01", GRAN_MONTH), dec + 1);
	expect_format(GRAN_MONTH, dec + 1, "2026-01");
	expect_format(GRAN_MONTH, dec - 11, "2025-01");
}

Test(period, iso_weeks_follow_each_other_across_years)
{
	/* 2020 has 53 ISO weeks; 2021 has 52. */
	int32_t w53 = P("2020-W53", GRAN_WEEK);

	cr_assert_eq(P("2021-W01", GRAN_WEEK), w53 + 1);
	cr_assert_eq(P("2021-W52", GRAN_WEEK) + 1, P("2022-W01", GRAN_WEEK));
	expect_format(GRAN_WEEK, w53, "2020-W53");
	expect_format(GRAN_WEEK, w53 + 1, "2021-W01");
	expect_format(GRAN_WEEK, P("2026-W10", GRAN_WEEK), "2026-W10");
}

Test(period, rejects_malformed_periods)
{
	const char *bad[] = { "2025-13", "2025-00", "2025-1", "25-01", "2025/01",
	    "2021-W53", "2025-W00", "2025-W1", "2025-01-01", "", "abcd-ef", "2025-W54" };
	enum granularity g;
	int32_t p;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(period_parse(bad[i], strlen(bad[i]), &g, &p), -1, "%s", bad[i]);
}

/* Only a week past its year's last gets its own explanation; any other
 * refusal keeps the format's. */
Test(period, explains_a_week_that_the_year_lacks)
{
	const char *plain[] = { "2020-W53", "2026-W53", "2025-13", "2025-W00",
	    "2025-W5", "0999-W53", "2025-W53x", "" };
	char buf[128];

	cr_assert_str_eq(period_why_not("2021-W53", 8, buf, sizeof(buf), false),
	    "2021 has 52 ISO weeks, its last is 2021-W52 (the days after it are "
	    "in 2022-W01)");
	cr_assert_str_eq(period_why_not("2025-W53", 8, buf, sizeof(buf), false),
	    "2025 has 52 ISO weeks, its last is 2025-W52 (the days after it are "
	    "in 2026-W01)");
	cr_assert_str_eq(period_why_not("2025-W54", 8, buf, sizeof(buf), false),
	    "2025 has 52 ISO weeks, its last is 2025-W52 (the days after it are "
	    "in 2026-W01)");
	/* A year of 53 weeks names its 53rd. */
	cr_assert_str_eq(period_why_not("2026-W54", 8, buf, sizeof(buf), false),
	    "2026 has 53 ISO weeks, its last is 2026-W53 (the days after it are "
	    "in 2027-W01)");
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		cr_assert_null(period_why_not(plain[i], strlen(plain[i]), buf,
		    sizeof(buf), false), "%s", plain[i]);
}

Test(period, a_spreadsheets_period_gives_the_one_it_stands_for)
{
	static const struct { const char *in; enum granularity g; const char *hint;
	    bool sheet; } cases[] = {
		{ "01/10/2026", GRAN_MONTH, "2026-10", true },	/* French Excel */
		{ "10/1/2026", GRAN_MONTH, "2026-10", true },	/* English Excel */
		{ "1.10.2026", GRAN_MONTH, "2026-10", true },
		{ "25/12/2026", GRAN_MONTH, "2026-12", true },
		{ "12/25/2026", GRAN_MONTH, "2026-12", true },
		{ "03/10/2026", GRAN_MONTH, NULL, false },	/* 3 Oct or 10 Mar */
		{ "05/01/2026", GRAN_MONTH, NULL, false },	/* 5 Jan or 1 May */
		{ "12/01/2026", GRAN_MONTH, NULL, false },
		{ "01/01/2026", GRAN_MONTH, "2026-01", true },
		{ "2026-10-01", GRAN_MONTH, "2026-10", true },
		{ "20261001", GRAN_MONTH, "2026-10", true },
		{ "oct-26", GRAN_MONTH, "2026-10", true },
		{ "Oct-26", GRAN_MONTH, "2026-10", true },
		{ "juil.-26", GRAN_MONTH, "2026-07", true },
		{ "févr. 2026", GRAN_MONTH, "2026-02", true },
		{ "août 2026", GRAN_MONTH, "2026-08", true },
		{ "Septembre 2026", GRAN_MONTH, "2026-09", true },
		{ "1-déc.-26", GRAN_MONTH, "2026-12", true },
		{ "jui-26", GRAN_MONTH, NULL, false },		/* juin or juillet */
		{ "ju-26", GRAN_MONTH, NULL, false },
		{ "10/2026", GRAN_MONTH, "2026-10", false },
		{ "2026/10", GRAN_MONTH, "2026-10", false },
		{ "2026-1", GRAN_MONTH, "2026-01", false },
		{ "202610", GRAN_MONTH, "2026-10", false },
		{ "2026-13", GRAN_MONTH, NULL, false },
		{ "31/02/2026", GRAN_MONTH, NULL, false },
		{ "29/02/2028", GRAN_MONTH, "2028-02", true },
		{ "2026-10-05", GRAN_WEEK, "2026-W41", true },	/* a date: its ISO week */
		{ "01/01/2027", GRAN_WEEK, "2026-W53", true },
		{ "oct-26", GRAN_WEEK, NULL, false },		/* a month is not a week */
		/* a week typed otherwise: its zero, its case, its dash, the
		 * French « S » (semaine), the year after it */
		{ "2026-W5", GRAN_WEEK, "2026-W05", false },
		{ "2026W48", GRAN_WEEK, "2026-W48", false },
		{ "2026w48", GRAN_WEEK, "2026-W48", false },
		{ "2026-w48", GRAN_WEEK, "2026-W48", false },
		{ "2026-S48", GRAN_WEEK, "2026-W48", false },
		{ "2026-s48", GRAN_WEEK, "2026-W48", false },
		{ "S48 2026", GRAN_WEEK, "2026-W48", false },
		{ "S48-2026", GRAN_WEEK, "2026-W48", false },
		{ "W48/2026", GRAN_WEEK, "2026-W48", false },
		{ "2026 S 48", GRAN_WEEK, "2026-W48", false },
		{ "2026-W053", GRAN_WEEK, "2026-W53", false },
		{ "2025-S53", GRAN_WEEK, NULL, false },		/* 2025 has 52 */
		{ "2026-S0", GRAN_WEEK, NULL, false },
		{ "2026-X48", GRAN_WEEK, NULL, false },
		{ "2026-W48", GRAN_MONTH, NULL, false },	/* a week is not a month */
		{ "2026-S5", GRAN_MONTH, NULL, false },
		{ "10/2026", GRAN_WEEK, NULL, false },
		{ "", GRAN_MONTH, NULL, false },
		{ "2026-10-01-02", GRAN_MONTH, NULL, false },
		{ "octobre", GRAN_MONTH, NULL, false },
		{ "2026 10 01 x", GRAN_MONTH, NULL, false },
		{ "99999999999/1/2026", GRAN_MONTH, NULL, false },
	};
	char buf[PERIOD_BUFSZ];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool sheet = false;
		const char *h = period_hint(cases[i].in, strlen(cases[i].in),
		    cases[i].g, buf, &sheet);
		if (!cases[i].hint) {
			cr_assert_null(h, "%s gave %s", cases[i].in, h);
			continue;
		}
		cr_assert_str_eq(h ? h : "(null)", cases[i].hint, "%s", cases[i].in);
		cr_assert_eq(sheet, cases[i].sheet, "%s", cases[i].in);
	}
}

static const char *check(const char *s, size_t *pos)
{
	return unit_path_check(s, strlen(s), pos);
}

Test(unit, accepts_valid_paths_and_finds_the_parent)
{
	size_t pos;

	cr_assert_null(check("acme", &pos));
	cr_assert_null(check("acme/nancy/logistics", &pos));
	cr_assert_null(check("A1/b.c_d-e", &pos));
	cr_assert_eq(unit_parent_len("acme/nancy/logistics", 20), 10);
	cr_assert_eq(unit_parent_len("acme", 4), 0);
}

Test(unit, rejects_bad_paths_at_the_offending_character)
{
	size_t pos;
	char big[300];

	cr_assert_not_null(check("acme//x", &pos));
	cr_assert_eq(pos, 5);
	cr_assert_not_null(check("acme/", &pos));
	cr_assert_not_null(check("/acme", &pos));
	cr_assert_eq(pos, 0);
	cr_assert_not_null(check("acme/-x", &pos));
	cr_assert_eq(pos, 5);
	cr_assert_not_null(check("acme/n ancy", &pos));
	cr_assert_eq(pos, 6);
	cr_assert_not_null(check("", &pos));
	cr_assert_not_null(check("a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q", &pos));
	cr_assert_null(check("a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p", &pos));
	memset(big, 'a', sizeof(big));
	cr_assert_not_null(unit_path_check(big, 256, &pos));
	cr_assert_null(unit_path_check(big, 255, &pos));
}

Test(unit, accented_letters_are_said_with_their_ascii_name)
{
	static const struct { const char *in, *hint; } cases[] = {
		{ "valdis/épinal", "valdis/epinal" },
		{ "École/Cœur-Ça", "Ecole/Coeur-Ca" },
		{ "Œuvres/straße", "OEuvres/strasse" },
		{ "ÀÂÄÆÇÈÉÊËÎÏÔÖÙÛÜŸàâäæçèéêëîïôöùûüÿ", NULL },	/* Ÿ: not Latin-1 */
		{ "àâäæçèéêëîïôöùûüÿ", "aaaaeceeeeiioouuuy" },
		{ "saint dié", NULL },		/* the space stays invalid */
		{ "x×y", NULL },			/* no letter */
		{ "é//x", NULL },			/* an empty segment */
		{ "é/", "e" },				/* a slash at the end */
		{ "\xc3", NULL },			/* cut in the middle */
		{ "acme", "acme" },
		{ " acme/nancy\t ", "acme/nancy" },	/* a spreadsheet's spaces */
		{ "acme /nancy", "acme/nancy" },	/* around a slash */
		{ "acme/ nancy", "acme/nancy" },
		{ "acme/nancy\xc2\xa0", "acme/nancy" },	/* a no-break space */
		{ "acme\xc2\xa0/nancy", "acme/nancy" },
		{ "acme\\nancy\\paie", "acme/nancy/paie" },	/* backslashes */
		{ "  ", NULL },
	};
	size_t pos;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *h = unit_hint(cases[i].in, strlen(cases[i].in), false);
		if (cases[i].hint)
			cr_assert_str_eq(h ? h : "(null)", cases[i].hint, "%s", cases[i].in);
		else
			cr_assert_null(h, "%s gave %s", cases[i].in, h);
		free(h);
	}
	cr_assert_str_eq(check("acme/nancy\xc2\xa0", &pos), "no-break space (U+00A0, "
	    "which a spreadsheet's TRIM keeps) in unit path (allowed: A-Z a-z 0-9 . "
	    "_ - and / between segments)");
	cr_assert_eq(pos, 10);
	cr_assert_str_eq(check("acme/épinal", &pos), "accented or non-ASCII character "
	    "in unit path (allowed: A-Z a-z 0-9 . _ - and / between segments)");
	cr_assert_eq(pos, 5);
	cr_assert_str_eq(unit_glob_check("é/**", &pos), "accented or non-ASCII "
	    "character in unit glob");
	cr_assert_eq(pos, 0);
	{
		char *h = unit_hint("acme/é*/x", 10, true);
		cr_assert_null(h, "a glob's wildcard stays a whole segment: %s", h);
		h = unit_hint("acme/é/**", 10, true);
		cr_assert_str_eq(h ? h : "(null)", "acme/e/**");
		free(h);
	}
}

Test(unit, globs_match_one_or_more_segments)
{
	cr_assert(unit_glob_match("**", "acme"));
	cr_assert(unit_glob_match("**", "acme/nancy/x"));
	cr_assert(unit_glob_match("acme/**", "acme/nancy"));
	cr_assert(unit_glob_match("acme/**", "acme/nancy/x"));
	cr_assert_not(unit_glob_match("acme/**", "acme"));
	cr_assert(unit_glob_match("acme/*", "acme/nancy"));
	cr_assert_not(unit_glob_match("acme/*", "acme/nancy/x"));
	cr_assert(unit_glob_match("*/nancy/*", "acme/nancy/x"));
	cr_assert(unit_glob_match("acme/**/kitchen", "acme/lyon/site2/kitchen"));
	cr_assert_not(unit_glob_match("acme/**/kitchen", "acme/kitchen"));
	cr_assert(unit_glob_match("acme", "acme"));
	cr_assert_not(unit_glob_match("acme", "acme2"));
	cr_assert_not(unit_glob_match("acme/nancy", "acme/nancy/x"));
}

Test(unit, closure_adds_every_ancestor_once)
{
	char *stored[] = { "acme/nancy/b", "acme/metz/x", "acme/nancy/a" };
	char **v;
	size_t n = unit_closure(stored, 3, &v);
	const char *want[] = { "acme", "acme/metz", "acme/metz/x", "acme/nancy",
	    "acme/nancy/a", "acme/nancy/b" };

	cr_assert_eq(n, 6);
	for (size_t i = 0; i < n; i++) {
		cr_expect_str_eq(v[i], want[i]);
		free(v[i]);
	}
	free(v);
}

/* A glob that matches no unit, and the glob that would: its literal
 * segments replaced by the closest the units have. */
Test(unit, a_path_is_under_itself_and_its_ancestors_only)
{
	cr_expect(unit_is_under("acme/a/x", "acme/a"));
	cr_expect(unit_is_under("acme/a", "acme/a"));
	cr_expect(unit_is_under("acme/a", "acme"));
	cr_expect_not(unit_is_under("acme/a-b", "acme/a"));
	cr_expect_not(unit_is_under("acme", "acme/a"));
	cr_expect_not(unit_is_under("acmex/a", "acme"));
}

Test(unit, a_glob_that_reaches_no_unit_gets_the_closest)
{
	char *u[] = { "acme", "acme/metz", "acme/metz/x", "acme/nancy",
	    "acme/nancy/a" };
	char hint[64];

	cr_assert(unit_glob_reaches("acme/*", u, 5, hint, sizeof(hint)));
	cr_assert(unit_glob_reaches("*/nancy/**", u, 5, hint, sizeof(hint)));
	cr_assert_not(unit_glob_reaches("acme/nanci/**", u, 5, hint, sizeof(hint)));
	cr_assert_str_eq(hint, "acme/nancy/**");
	cr_assert_not(unit_glob_reaches("acme/metz/y", u, 5, hint, sizeof(hint)));
	cr_assert_str_eq(hint, "acme/metz/x");
	/* the literal part exists; what is deeper does not */
	cr_assert_not(unit_glob_reaches("acme/nancy/*/*", u, 5, hint, sizeof(hint)));
	cr_assert_str_eq(hint, "");
	cr_assert_not(unit_glob_reaches("other/**", u, 5, hint, sizeof(hint)));
	cr_assert_str_eq(hint, "");
	cr_assert_not(unit_glob_reaches("*/*/*/*", u, 5, hint, sizeof(hint)));
	cr_assert_str_eq(hint, "");
	cr_assert_not(unit_glob_reaches("acme", u, 0, hint, sizeof(hint)));
}

Test(unit, rejects_bad_globs)
{
	size_t pos;

	cr_assert_null(unit_glob_check("acme/**", &pos));
	cr_assert_null(unit_glob_check("*/x/**", &pos));
	cr_assert_not_null(unit_glob_check("acme/n*", &pos));
	cr_assert_eq(pos, 6);
	cr_assert_not_null(unit_glob_check("acme//x", &pos));
	cr_assert_not_null(unit_glob_check("", &pos));
}

Test(diag, prints_file_line_column_and_caps_the_count)
{
	struct diags d = { 0 };
	char *s;

	diags_add(&d, "a.csv", 3, 7, "bad number '%s'", "x");
	diags_add(&d, "a.csv", 4, 1, "second");
	diags_add(&d, "a.csv", 5, 1, "third");
	s = diags_to_string(&d, 2);
	cr_assert_str_eq(s, "a.csv:3:7: error: bad number 'x'\n"
	    "a.csv:4:1: error: second\n"
	    "a.csv: 1 more error not shown\n");
	free(s);
	diags_free(&d);
}

Test(diag, sorts_by_line_and_column_keeping_ties_and_the_head_in_order)
{
	struct diags d = { 0 };
	char *s;

	diags_add(&d, "r.yaml", 9, 1, "kept first");
	diags_add(&d, "t.yaml", 16, 48, "bad value");
	diags_add(&d, "t.yaml", 2, 16, "bad floor");
	diags_add(&d, "t.yaml", 10, 16, "no rule, first found");
	diags_add(&d, "t.yaml", 10, 3, "earlier column");
	diags_add(&d, "t.yaml", 10, 16, "no rule, second found");
	diags_sort(&d, 1);
	s = diags_to_string(&d, 0);
	cr_assert_str_eq(s, "r.yaml:9:1: error: kept first\n"
	    "t.yaml:2:16: error: bad floor\n"
	    "t.yaml:10:3: error: earlier column\n"
	    "t.yaml:10:16: error: no rule, first found\n"
	    "t.yaml:10:16: error: no rule, second found\n"
	    "t.yaml:16:48: error: bad value\n");
	free(s);
	diags_sort(&d, d.n);	/* nothing to sort */
	diags_free(&d);
	diags_sort(&d, 0);
}

Test(period, start_and_period_of_a_time_agree)
{
	enum granularity g;
	int32_t p;
	char b[PERIOD_BUFSZ];

	cr_assert_eq(period_parse("1970-01", 7, &g, &p), 0);
	cr_assert_eq(period_start(GRAN_MONTH, p), 0);
	cr_assert_eq(period_parse("2026-12", 7, &g, &p), 0);
	cr_assert_eq(period_start(GRAN_MONTH, p), 1796083200);	/* 2026-12-01 */
	cr_assert_eq(period_of_time(GRAN_MONTH, 1796083200), p);
	cr_assert_str_eq(period_format(GRAN_MONTH, period_of_time(GRAN_MONTH,
	    1796083199), b), "2026-11");
	cr_assert_eq(period_parse("2026-W49", 8, &g, &p), 0);
	cr_assert_eq(period_start(GRAN_WEEK, p), 1795996800);	/* Monday 11-30 */
	cr_assert_eq(period_of_time(GRAN_WEEK, 1795996800 + 6 * 86400 + 86399), p);
	cr_assert_eq(period_of_time(GRAN_WEEK, 1795996799), p - 1);
	/* every month of two centuries starts where the next one ends */
	for (int32_t m = 1900 * 12; m < 2100 * 12; m++) {
		cr_assert_eq(period_of_time(GRAN_MONTH, period_start(GRAN_MONTH, m)), m);
		cr_assert_eq(period_of_time(GRAN_MONTH, period_start(GRAN_MONTH, m + 1) - 1), m);
	}
}

/* vigie report's --from/--to: a month, a quarter or a year, as the ISO
 * weeks whose Thursday falls in it on weekly data (report: every:). */
Test(period, a_month_quarter_or_year_spans_the_weeks_of_its_thursdays)
{
	static const struct { const char *in, *from, *to; } cases[] = {
		{ "2026-Q1", "2026-W01", "2026-W13" },	/* Thu 1 Jan 2026 */
		{ "2026-q4", "2026-W40", "2026-W53" },
		{ "2026-03", "2026-W10", "2026-W13" },	/* Thu 26 Feb: February's */
		{ "2026-04", "2026-W14", "2026-W18" },	/* Thu 30 Apr: April's */
		{ "2025", "2025-W01", "2025-W52" },
		{ "2027", "2027-W01", "2027-W52" },	/* Thu 31 Dec 2026: W53 is 2026's */
	};
	const char *bad[] = { "2026-Q0", "2026-Q5", "2026-13", "0999", "26",
	    "2026-W10", "2026Q1", "" };
	char a[PERIOD_BUFSZ], b[PERIOD_BUFSZ];
	int32_t m0, m1, from, to;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cr_assert_eq(period_span_parse(cases[i].in, strlen(cases[i].in),
		    &m0, &m1), 0, "%s", cases[i].in);
		period_months_span(GRAN_WEEK, m0, m1, &from, &to);
		cr_assert_str_eq(period_format(GRAN_WEEK, from, a), cases[i].from,
		    "%s", cases[i].in);
		cr_assert_str_eq(period_format(GRAN_WEEK, to, b), cases[i].to,
		    "%s", cases[i].in);
	}
	cr_assert_eq(period_span_parse("2026-Q3", 7, &m0, &m1), 0);
	period_months_span(GRAN_MONTH, m0, m1, &from, &to);
	cr_assert_str_eq(period_format(GRAN_MONTH, from, a), "2026-07");
	cr_assert_str_eq(period_format(GRAN_MONTH, to, b), "2026-09");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(period_span_parse(bad[i], strlen(bad[i]), &m0, &m1), -1,
		    "%s", bad[i]);
}
