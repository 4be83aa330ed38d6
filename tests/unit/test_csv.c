/* CSV import files (SPEC 4): every dialect a spreadsheet writes, and every
 * error with its exact FILE:LINE:COL message. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/csv.h"

static struct import_batch B;

static void batch_reset(void)
{
	import_batch_free(&B);
}

/* Parses text (months) and asserts success. */
static void ok(const char *text)
{
	struct diags d = { 0 };
	int rc = csv_parse("t.csv", text, strlen(text), GRAN_MONTH, CSV_ANY_PERIOD, &B, &d);
	char *s = diags_to_string(&d, 0);

	cr_assert_eq(rc, 0, "unexpected errors:\n%s", s);
	free(s);
	diags_free(&d);
}

/* Parses text with granularity g and asserts the exact error output. */
/* The same file read for the console in French (msg.h) gives its errors
 * at the same places, each in French: one left in English, not
 * registered, would be the same message. */
static void same_places_in_french(enum granularity g, const char *text,
    const struct diags *en, bool warnings)
{
	struct diags d = { .fr = true }, w = { .fr = true };
	struct import_batch b = { 0 };

	csv_parse_warn("t.csv", text, strlen(text), g, CSV_ANY_PERIOD, &b, &d, &w);
	const struct diags *fr = warnings ? &w : &d;
	cr_assert_eq(fr->n, en->n);
	cr_assert_eq(fr->more, en->more);
	for (size_t i = 0; i < en->n; i++) {
		cr_assert_eq(fr->v[i].line, en->v[i].line);
		cr_assert_eq(fr->v[i].col, en->v[i].col);
		cr_assert_str_neq(fr->v[i].msg, en->v[i].msg, "not in French: %s",
		    en->v[i].msg);
	}
	diags_free(&d);
	diags_free(&w);
	import_batch_free(&b);
}

static void bad_g(enum granularity g, const char *text, const char *want)
{
	struct diags d = { 0 };
	int rc = csv_parse("t.csv", text, strlen(text), g, CSV_ANY_PERIOD, &B, &d);
	char *s = diags_to_string(&d, 0);

	cr_assert_eq(rc, -1, "parse succeeded on:\n%s", text);
	cr_assert_str_eq(s, want);
	cr_assert_eq(B.nrecs, 0);
	cr_assert_null(B.recs);
	same_places_in_french(g, text, &d, false);
	free(s);
	diags_free(&d);
}

static void bad(const char *text, const char *want)
{
	bad_g(GRAN_MONTH, text, want);
}

/* The value for (unit, indicator, period "YYYY-MM"), or -1 when absent. */
static double val(const char *unit, const char *ind, const char *period)
{
	enum granularity g;
	int32_t p;

	cr_assert_eq(period_parse(period, strlen(period), &g, &p), 0);
	for (size_t i = 0; i < B.nrecs; i++)
		if (!strcmp(B.units[B.recs[i].unit], unit) &&
		    !strcmp(B.inds[B.recs[i].ind], ind) && B.recs[i].period == p)
			return B.recs[i].value;
	return -1;
}

TestSuite(csv, .fini = batch_reset);

Test(csv, reads_wide_form_with_commas)
{
	ok("unit,period,absence_days,headcount\n"
	    "acme/nancy,2025-01,12.5,20\n"
	    "acme/metz,2025-02,3,7\n");
	cr_assert_eq(B.rows, 2);
	cr_assert_eq(B.nrecs, 4);
	cr_assert_eq(B.nunits, 2);
	cr_assert_eq(B.ninds, 2);
	cr_assert_float_eq(val("acme/nancy", "absence_days", "2025-01"), 12.5, 1e-12);
	cr_assert_float_eq(val("acme/metz", "headcount", "2025-02"), 7, 1e-12);
	cr_assert_eq(B.pmin, 2025 * 12);
	cr_assert_eq(B.pmax, 2025 * 12 + 1);
}

Test(csv, empty_wide_cell_means_no_value)
{
	ok("unit,period,a,b\nacme,2025-01,,4\n");
	cr_assert_eq(B.nrecs, 1);
	cr_assert_float_eq(val("acme", "b", "2025-01"), 4, 0);
	cr_assert_eq(val("acme", "a", "2025-01"), -1);
}

Test(csv, reads_long_form)
{
	ok("unit,period,indicator,value\n"
	    "acme/a,2025-01,headcount,20\n"
	    "acme/a,2025-01,absence_days,3.25\n"
	    "acme/b,2025-02,headcount,8\n");
	cr_assert_eq(B.rows, 3);
	cr_assert_eq(B.nrecs, 3);
	cr_assert_eq(B.ninds, 2);
	cr_assert_float_eq(val("acme/a", "absence_days", "2025-01"), 3.25, 0);
	cr_assert_float_eq(val("acme/b", "headcount", "2025-02"), 8, 0);
}

Test(csv, french_export_with_bom_semicolons_crlf_decimal_comma)
{
	ok("\xEF\xBB\xBF" "unit;period;absence_days;headcount\r\n"
	    "\"acme/nancy\";2025-01;12,5;20\r\n"
	    "\"acme/metz\";\"2025-01\";0,75;7\r\n");
	cr_assert_eq(B.nrecs, 4);
	cr_assert_str_eq(B.units[0], "acme/nancy");
	cr_assert_float_eq(val("acme/nancy", "absence_days", "2025-01"), 12.5, 0);
	cr_assert_float_eq(val("acme/metz", "absence_days", "2025-01"), 0.75, 0);
	cr_assert_float_eq(val("acme/metz", "headcount", "2025-01"), 7, 0);
}

Test(csv, tab_delimited_with_decimal_comma)
{
	ok("unit\tperiod\tindicator\tvalue\nacme\t2025-03\tx\t1,5\nacme\t2025-03\ty\t2.5\n");
	cr_assert_float_eq(val("acme", "x", "2025-03"), 1.5, 0);
	cr_assert_float_eq(val("acme", "y", "2025-03"), 2.5, 0);
}

Test(csv, delimiter_is_the_first_one_outside_quotes_in_the_header)
{
	/* The ',' inside the quoted name does not count: ';' is the delimiter,
	 * so the only error is that name. */
	bad("unit;period;\"x,y\"\nacme;2025-01;1\n",
	    "t.csv:1:13: error: bad indicator name \"x,y\": use a-z, 0-9 and _, "
	    "starting with a letter, at most 64 bytes\n");
	batch_reset();
	ok("\"unit\";period;x\nacme;2025-01;2,5\n");
	cr_assert_float_eq(val("acme", "x", "2025-01"), 2.5, 0);
}

Test(csv, quoted_fields_with_delimiters_newlines_and_doubled_quotes)
{
	ok("unit,\"period\",\"x\"\n"
	    "\"acme\",\"2025-01\",\"1\"\n");
	cr_assert_float_eq(val("acme", "x", "2025-01"), 1, 0);
	batch_reset();
	/* A quoted unit with a newline or a quote is read whole, then refused
	 * as a unit at the exact character. */
	bad("unit,period,x\n\"ac\"\"me\",2025-01,1\n\"ab\ncd\",2025-01,2\nz,2025-01,3\n",
	    "t.csv:2:4: error: bad unit \"ac\\\"me\": invalid character in unit path "
	    "(allowed: A-Z a-z 0-9 . _ - and / between segments)\n"
	    "t.csv:3:4: error: bad unit \"ab\\x0acd\": invalid character in unit path "
	    "(allowed: A-Z a-z 0-9 . _ - and / between segments)\n");
}

Test(csv, embedded_newline_in_quotes_keeps_line_numbers_right)
{
	/* The header's quoted name spans two lines: the next row is line 3. */
	bad("unit,period,\"x\ny\"\nacme,2025-01,-1\n",
	    "t.csv:1:13: error: bad indicator name \"x\\x0ay\": use a-z, 0-9 and _, "
	    "starting with a letter, at most 64 bytes\n");
	batch_reset();
	bad("unit,period,indicator,value\n\"acme\",\"2025-01\",\"x\",\"1\n\"\nacme,2025-01,y,-2\n",
	    "t.csv:2:22: error: bad value \"1\\x0a\": expected a non-negative number such as 12 or 12.5\n"
	    "t.csv:4:16: error: negative value -2: indicator values are counts or amounts, never negative\n");
}

Test(csv, decimal_comma_is_refused_with_comma_delimiter)
{
	bad("unit,period,x\nacme,2025-01,\"1,5\"\n",
	    "t.csv:2:14: error: bad value \"1,5\" in column \"x\": a decimal comma is only accepted "
	    "when the delimiter is ';' or tab; use a decimal point\n");
}

/* A spreadsheet's thousands separators (a space, a no-break space, a
 * narrow one) between digits: said, with the number to write. A space
 * elsewhere is not one. */
Test(csv, thousands_separators_are_named)
{
	bad("unit;period;x;y;z\nacme;2025-01;\"3\xc2\xa0" "791,75\";1 200;2\xe2\x80\xaf" "000\n",
	    "t.csv:2:14: error: bad value \"3\xc2\xa0" "791,75\" in column \"x\": thousands separators are "
	    "not read; write 3791,75 (in the spreadsheet, a number format without "
	    "separators)\n"
	    "t.csv:2:25: error: bad value \"1 200\" in column \"y\": thousands separators are not read; "
	    "write 1200 (in the spreadsheet, a number format without separators)\n"
	    "t.csv:2:31: error: bad value \"2\xe2\x80\xaf" "000\" in column \"z\": thousands separators are "
	    "not read; write 2000 (in the spreadsheet, a number format without "
	    "separators)\n");
	batch_reset();
	bad("unit;period;x\nacme;2025-01;12 h\n",
	    "t.csv:2:14: error: bad value \"12 h\" in column \"x\": expected a non-negative number "
	    "such as 12 or 12,5\n");
}

/* Where the messages may reach the journal (the inbox, a source), a bad
 * value is a figure of a unit, perhaps of a hidden cell (SPEC 3): its place
 * and column are named, the value is written "…". Other messages are
 * unchanged. */
Test(csv, values_are_not_quoted_where_no_figure_may_appear)
{
	const char *text = "unit;period;x;y;z;w\n"
	    "acme;2025-01;-3;1 234;4,5 h;7\n"
	    "acme;2025-02;nan;2;3;4\n";
	struct diags d = { .no_values = true };
	int rc = csv_parse("t.csv", text, strlen(text), GRAN_MONTH, CSV_ANY_PERIOD, &B, &d);
	char *s = diags_to_string(&d, 0);

	cr_assert_eq(rc, -1);
	cr_assert_str_eq(s,
	    "t.csv:2:14: error: negative value \xe2\x80\xa6 in column \"x\": indicator values are "
	    "counts or amounts, never negative\n"
	    "t.csv:2:17: error: bad value \"\xe2\x80\xa6\" in column \"y\": thousands separators are "
	    "not read; write \xe2\x80\xa6 (in the spreadsheet, a number format without "
	    "separators)\n"
	    "t.csv:2:23: error: bad value \"\xe2\x80\xa6\" in column \"z\": expected a non-negative "
	    "number such as 12 or 12,5\n"
	    "t.csv:3:14: error: value \"\xe2\x80\xa6\" in column \"x\" is not a finite number\n");
	for (const char *v = "-3\0" "1 234\0" "1234\0" "4,5\0" "nan\0"; *v; v += strlen(v) + 1)
		cr_assert_null(strstr(s, v), "%s quoted in:\n%s", v, s);
	free(s);
	diags_free(&d);
}

Test(csv, numbers_accept_exponents_and_reject_everything_else)
{
	ok("unit;period;a;b;c;d;e\nacme;2025-01;1e3;0,5;.5;007;12345678901234567890\n");
	cr_assert_float_eq(val("acme", "a", "2025-01"), 1000, 0);
	cr_assert_float_eq(val("acme", "b", "2025-01"), 0.5, 0);
	cr_assert_float_eq(val("acme", "c", "2025-01"), 0.5, 0);
	cr_assert_float_eq(val("acme", "d", "2025-01"), 7, 0);
	cr_assert_float_eq(val("acme", "e", "2025-01"), 12345678901234567890.0, 1e4);
	batch_reset();
	bad("unit,period,a,b,c,d,e,f\nacme,2025-01,+1,0x10,1 ,1e,abc,1.2.3\n",
	    "t.csv:2:14: error: bad value \"+1\" in column \"a\": expected a non-negative number such as 12 or 12.5\n"
	    "t.csv:2:17: error: bad value \"0x10\" in column \"b\": expected a non-negative number such as 12 or 12.5\n"
	    "t.csv:2:22: error: bad value \"1 \" in column \"c\": expected a non-negative number such as 12 or 12.5\n"
	    "t.csv:2:25: error: bad value \"1e\" in column \"d\": expected a non-negative number such as 12 or 12.5\n"
	    "t.csv:2:28: error: bad value \"abc\" in column \"e\": expected a non-negative number such as 12 or 12.5\n"
	    "t.csv:2:32: error: bad value \"1.2.3\" in column \"f\": expected a non-negative number such as 12 or 12.5\n");
}

/* COLUMN counts characters, which an HR user cannot map to a spreadsheet
 * column: an error about a value cell of the wide form names its column's
 * header, quoted or not, wherever it is. The long form's value column is
 * "value", as its messages say already. */
Test(csv, value_errors_name_their_column_header)
{
	bad("unit;period;headcount;\"absence_days\";short_absences\n"
	    "acme/paie;2025-01;12;3,5;-1\n"
	    "acme/rh;2025-01;1 200;12 j;\n",
	    "t.csv:2:26: error: negative value -1 in column \"short_absences\": "
	    "indicator values are counts or amounts, never negative\n"
	    "t.csv:3:17: error: bad value \"1 200\" in column \"headcount\": thousands "
	    "separators are not read; write 1200 (in the spreadsheet, a number format "
	    "without separators)\n"
	    "t.csv:3:23: error: bad value \"12 j\" in column \"absence_days\": expected "
	    "a non-negative number such as 12 or 12,5\n");
	batch_reset();
	bad("unit,period,indicator,value\nacme,2025-01,absence_days,x\n",
	    "t.csv:2:27: error: bad value \"x\": expected a non-negative number "
	    "such as 12 or 12.5\n");
}

Test(csv, decimal_values_are_read_exactly)
{
	ok("unit,period,a,b,c\nacme,2025-01,0.1,123456.789,2.675\n");
	cr_assert_eq(val("acme", "a", "2025-01"), 0.1);
	cr_assert_eq(val("acme", "b", "2025-01"), 123456.789);
	cr_assert_eq(val("acme", "c", "2025-01"), 2.675);
}

Test(csv, rejects_negative_values_and_says_where)
{
	bad("unit,period,x\nacme,2025-01,-3\n",
	    "t.csv:2:14: error: negative value -3 in column \"x\": indicator values are counts or amounts, never negative\n");
	batch_reset();
	ok("unit,period,x\nacme,2025-01,-0\n");
	cr_assert_eq(val("acme", "x", "2025-01"), 0);
	cr_assert(!signbit(B.recs[0].value));
}

Test(csv, rejects_non_finite_values)
{
	bad("unit;period;a;b;c\nacme;2025-01;inf;NaN;1e999\n",
	    "t.csv:2:14: error: value \"inf\" in column \"a\" is not a finite number\n"
	    "t.csv:2:18: error: value \"NaN\" in column \"b\" is not a finite number\n"
	    "t.csv:2:22: error: value \"1e999\" in column \"c\" is not a finite number\n");
}

/* A spreadsheet's marks of no value and its formulas' errors: SPEC 4 reads
 * only an empty cell (or, in the long form, a missing row) as no value. */
Test(csv, marks_of_no_value_say_how_to_write_none)
{
	bad("unit;period;a;b;c;d;e\nacme;2025-01;-;n/a;ND;#DIV/0!;\xe2\x80\x93\n",
	    "t.csv:2:14: error: bad value \"-\" in column \"a\": for no value, "
	    "leave the cell empty; for zero, write 0\n"
	    "t.csv:2:16: error: bad value \"n/a\" in column \"b\": for no value, "
	    "leave the cell empty\n"
	    "t.csv:2:20: error: bad value \"ND\" in column \"c\": for no value, "
	    "leave the cell empty\n"
	    "t.csv:2:23: error: bad value \"#DIV/0!\" in column \"d\": a "
	    "spreadsheet's error: correct the formula, or leave the cell empty "
	    "for no value\n"
	    "t.csv:2:31: error: bad value \"\xe2\x80\x93\" in column \"e\": for no "
	    "value, leave the cell empty; for zero, write 0\n");
	batch_reset();
	bad("unit,period,indicator,value\nacme,2025-01,x,#N/A\nacme,2025-01,y,NA\n"
	    "acme,2025-01,z,nada\n",
	    "t.csv:2:16: error: bad value \"#N/A\": a spreadsheet's error: correct "
	    "the formula, or leave the row out for no value\n"
	    "t.csv:3:16: error: bad value \"NA\": for no value, leave the row out\n"
	    "t.csv:4:16: error: bad value \"nada\": expected a non-negative number "
	    "such as 12 or 12.5\n");
}

Test(csv, rejects_empty_value_in_long_form)
{
	bad("unit,period,indicator,value\nacme,2025-01,x,\n",
	    "t.csv:2:16: error: empty value (leave the row out when there is no value)\n");
}

Test(csv, rejects_bad_units_at_the_offending_character)
{
	bad("unit,period,x\nacme//a,2025-01,1\n,2025-01,1\nacme/-a,2025-01,1\n\"acme/é\",2025-01,1\n",
	    "t.csv:2:6: error: bad unit \"acme//a\": empty segment in unit path\n"
	    "t.csv:3:1: error: empty unit\n"
	    "t.csv:4:6: error: bad unit \"acme/-a\": unit path segment must start with a letter or digit\n"
	    "t.csv:5:7: error: bad unit \"acme/é\": accented or non-ASCII character in unit path (allowed: A-Z a-z 0-9 . _ - and / between segments); did you mean \"acme/e\"?\n");
}

Test(csv, columns_count_characters_after_the_bom)
{
	/* "é" is two bytes but one column; the BOM is not a column (but a
	 * second one, in a cell, is a character). */
	bad("\xEF\xBB\xBF" "unit,period,x\n"
	    "\xEF\xBB\xBF" "a,2025-01,1\n",
	    "t.csv:2:1: error: bad unit \"\xEF\xBB\xBF" "a\": accented or non-ASCII "
	    "character in unit path (allowed: A-Z a-z 0-9 . _ - and / between "
	    "segments)\n");
	batch_reset();
	bad("unit;period;indicator;value\n\"é\";2025-01;x;1\n\"é\";2025-01;x;-1\n",
	    "t.csv:2:2: error: bad unit \"é\": accented or non-ASCII character in unit path (allowed: A-Z a-z 0-9 . _ - and / between segments); did you mean \"e\"?\n"
	    "t.csv:3:2: error: bad unit \"é\": accented or non-ASCII character in unit path (allowed: A-Z a-z 0-9 . _ - and / between segments); did you mean \"e\"?\n"
	    "t.csv:3:15: error: negative value -1: indicator values are counts or amounts, never negative\n");
}

Test(csv, rejects_bad_periods)
{
	bad("unit,period,x\nacme,2025-13,1\nacme,2025-1,1\n",
	    "t.csv:2:6: error: bad period \"2025-13\": expected a month YYYY-MM (2025-01)\n"
	    "t.csv:3:6: error: bad period \"2025-1\": expected a month YYYY-MM (2025-01); "
	    "did you mean 2025-01?\n");
}

Test(csv, rejects_periods_of_the_other_granularity)
{
	bad("unit,period,x\nacme,2025-W03,1\n",
	    "t.csv:2:6: error: period 2025-W03 is a week but this database holds months\n");
	batch_reset();
	bad_g(GRAN_WEEK, "unit,period,x\nacme,2025-03,1\nacme,2025-W54,1\n",
	    "t.csv:2:6: error: period 2025-03 is a month but this database holds weeks\n"
	    "t.csv:3:6: error: bad period \"2025-W54\": 2025 has 52 ISO weeks, its "
	    "last is 2025-W52 (the days after it are in 2026-W01)\n");
}

/* A week typed otherwise: the week it stands for, at the cell's place. */
Test(csv, suggests_the_week_a_typo_stands_for)
{
	bad_g(GRAN_WEEK, "unit,period,x\nacme,2026-W5,1\nacme,2026w48,1\n"
	    "acme,2026-S48,1\nacme,S48 2026,1\nacme,2026-W54,1\n",
	    "t.csv:2:6: error: bad period \"2026-W5\": expected an ISO week "
	    "YYYY-Www (2025-W03); did you mean 2026-W05?\n"
	    "t.csv:3:6: error: bad period \"2026w48\": expected an ISO week "
	    "YYYY-Www (2025-W03); did you mean 2026-W48?\n"
	    "t.csv:4:6: error: bad period \"2026-S48\": expected an ISO week "
	    "YYYY-Www (2025-W03); did you mean 2026-W48?\n"
	    "t.csv:5:6: error: bad period \"S48 2026\": expected an ISO week "
	    "YYYY-Www (2025-W03); did you mean 2026-W48?\n"
	    "t.csv:6:6: error: bad period \"2026-W54\": 2026 has 53 ISO weeks, its "
	    "last is 2026-W53 (the days after it are in 2027-W01)\n");
}

/* A suggestion after the current period says so: taken, it would be the
 * next error. */
Test(csv, says_a_suggested_week_is_in_the_future)
{
	struct diags d = { 0 };
	const char *t = "unit,period,x\nacme,2026-12-31,1\nacme,2026-w5,1\n";
	enum granularity g;
	int32_t now;
	char *s;

	cr_assert_eq(period_parse("2026-W50", 8, &g, &now), 0);
	cr_assert_eq(csv_parse("t.csv", t, strlen(t), GRAN_WEEK, now, &B, &d), -1);
	s = diags_to_string(&d, 0);
	cr_assert_str_eq(s, "t.csv:2:6: error: bad period \"2026-12-31\": "
	    "expected an ISO week YYYY-Www (2025-W03); did you mean 2026-W53 "
	    "(after the current period 2026-W50)? (a spreadsheet writes periods "
	    "as dates unless the column is formatted as text)\n"
	    "t.csv:3:6: error: bad period \"2026-w5\": expected an ISO week "
	    "YYYY-Www (2025-W03); did you mean 2026-W05?\n");
	free(s);
	diags_free(&d);
	batch_reset();
}

/* A week 53 in a year of 52: well formed, so the message says why. */
Test(csv, rejects_a_week_53_its_year_does_not_have)
{
	bad_g(GRAN_WEEK, "unit,period,x\nacme,2025-W53,1\nacme,2020-W53,1\n",
	    "t.csv:2:6: error: bad period \"2025-W53\": 2025 has 52 ISO weeks, its "
	    "last is 2025-W52 (the days after it are in 2026-W01)\n");
}

Test(csv, reads_weeks_in_a_weekly_database)
{
	struct diags d = { 0 };
	const char *t = "unit,period,x\nacme,2025-W03,1\n";

	cr_assert_eq(csv_parse("t.csv", t, strlen(t), GRAN_WEEK, CSV_ANY_PERIOD, &B, &d), 0);
	cr_assert_eq(B.nrecs, 1);
	cr_assert_eq(B.gran, GRAN_WEEK);
	diags_free(&d);
}

Test(csv, rejects_duplicates_and_says_where_the_first_was)
{
	bad("unit,period,indicator,value\n"
	    "acme,2025-01,x,1\n"
	    "acme,2025-02,x,1\n"
	    "acme,2025-01,x,2\n"
	    "acme,2025-01,x,3\n",
	    "t.csv:4:1: error: duplicate value for unit acme, period 2025-01, indicator x "
	    "(first given at line 2, column 1)\n"
	    "t.csv:5:1: error: duplicate value for unit acme, period 2025-01, indicator x "
	    "(first given at line 2, column 1)\n");
	batch_reset();
	bad("unit,period,x,y\nacme,2025-01,1,\nacme,2025-01,,2\nacme,2025-01,,3\n",
	    "t.csv:4:15: error: duplicate value for unit acme, period 2025-01, indicator y "
	    "(first given at line 3, column 15)\n");
}

/* A row of the wide form pasted twice is one error naming the line where
 * its unit and period first came, not one per indicator: the 20 errors
 * printed are not all one mistake. A row that repeats only some of its
 * values keeps an error per repeated cell. */
Test(csv, a_row_given_again_is_one_error_naming_the_first_line)
{
	bad("unit;period;headcount;absence_days;short_absences;conflicts\n"
	    "acme/paie;2025-01;12;30,5;4;1\n"
	    "acme/rh;2025-01;9;12;0;0\n"
	    "acme/paie;2025-01;12;30,5;4;1\n"
	    "acme/rh;2025-01;9;13;;\n"
	    "acme/rh;2025-02;9;;;\n"
	    "acme/rh;2025-02;9;2;;\n",
	    "t.csv:4:1: error: duplicate row for unit acme/paie, period 2025-01 "
	    "(first given at line 2): keep one row per unit and period\n"
	    "t.csv:5:1: error: duplicate row for unit acme/rh, period 2025-01 "
	    "(first given at line 3), with other values: keep the right one of "
	    "the two\n"
	    "t.csv:7:17: error: duplicate value for unit acme/rh, period 2025-02, "
	    "indicator headcount (first given at line 6, column 17)\n");
	batch_reset();
	/* Its values spread over two rows before: the first of them. */
	bad("unit,period,x,y,z\nacme,2025-01,1,,\nacme,2025-01,,2,3\nacme,2025-01,1,2,\n",
	    "t.csv:4:1: error: duplicate row for unit acme, period 2025-01 "
	    "(first given at line 2): keep one row per unit and period\n");
	batch_reset();
	/* A whole export pasted under itself: one error a row, the first 20
	 * printed, then a count. */
	char *text = NULL, *want = NULL;
	size_t tl = 0, wl = 0;
	FILE *t = open_memstream(&text, &tl), *w = open_memstream(&want, &wl);
	fputs("unit,period", t);
	for (int k = 0; k < 30; k++)
		fprintf(t, ",i%d", k);
	fputc('\n', t);
	for (int copy = 0; copy < 2; copy++)
		for (int u = 0; u < 25; u++) {
			fprintf(t, "acme/t%02d,2025-01", u);
			for (int k = 0; k < 30; k++)
				fprintf(t, ",%d", k);
			fputc('\n', t);
		}
	for (int u = 0; u < 20; u++)
		fprintf(w, "t.csv:%d:1: error: duplicate row for unit acme/t%02d, period "
		    "2025-01 (first given at line %d): keep one row per unit and period\n",
		    27 + u, u, 2 + u);
	fputs("t.csv: 5 more errors not shown\n", w);
	fclose(t);
	fclose(w);
	struct diags d = { 0 };
	cr_assert_eq(csv_parse("t.csv", text, tl, GRAN_MONTH, CSV_ANY_PERIOD, &B, &d), -1);
	cr_assert_eq(d.n, 25, "%zu errors for 25 rows given again", d.n);
	char *s = diags_to_string(&d, CSV_MAX_ERRORS);
	cr_assert_str_eq(s, want);
	free(s);
	diags_free(&d);
	free(text);
	free(want);
}

Test(csv, rejects_ragged_rows)
{
	bad("unit,period,x\nacme,2025-01,1,2\nacme,2025-02\r\nacme,2025-03,3\n",
	    "t.csv:2:16: error: row has 4 fields but the header has 3: a decimal "
	    "comma in a file separated by commas makes two values of one (write "
	    "12.5, or quote \"12,5\", or save the file with ; as the separator)\n"
	    "t.csv:3:13: error: row has 2 fields but the header has 3\n");
}

Test(csv, rejects_unterminated_quotes)
{
	bad("unit,period,x\nacme,2025-01,1\n\"acme,2025-02,2\nacme,2025-03,3\n",
	    "t.csv:3:1: error: unterminated quoted field: the closing '\"' is missing\n");
}

Test(csv, rejects_bad_headers)
{
	bad("unit,when,x\nacme,2025-01,1\n",
	    "t.csv:1:1: error: the header has no \"period\" column: expected "
	    "unit,period,INDICATOR... (wide form) or unit,period,indicator,value (long form)\n");
	batch_reset();
	bad("period,x\n",
	    "t.csv:1:1: error: the header has no \"unit\" column: expected "
	    "unit,period,INDICATOR... (wide form) or unit,period,indicator,value (long form)\n");
	batch_reset();
	bad("unit,period,x,,x,Absences\n",
	    "t.csv:1:15: error: empty column name: name the column after its "
	    "indicator, or delete it\n"
	    "t.csv:1:16: error: duplicate column \"x\" (first in column C)\n"
	    "t.csv:1:18: error: bad name \"Absences\": names are lower case "
	    "(\"absences\")\n");
	batch_reset();
	/* Some exports end every line with the separator. */
	bad("unit;period;x;\nacme;2025-01;1;\n",
	    "t.csv:1:15: error: empty column name: the header ends with a "
	    "separator; remove it, and the one at the end of every row\n");
	batch_reset();
	/* SPEC 4: the wide form's header is unit,period,IND1,IND2,...: other
	 * orders and a header without indicators are no known form. */
	bad("period,unit,x\n2025-01,acme,1\n",
	    "t.csv:1:1: error: the header must start with unit,period, not "
	    "period,unit (move those two columns first, or delete the columns "
	    "before them): expected "
	    "unit,period,INDICATOR... (wide form) or unit,period,indicator,value (long form)\n");
	batch_reset();
	bad("x,unit,period\n1,acme,2025-01\n",
	    "t.csv:1:1: error: the header must start with unit,period, not "
	    "x,unit (move those two columns first, or delete the columns "
	    "before them): expected "
	    "unit,period,INDICATOR... (wide form) or unit,period,indicator,value (long form)\n");
	batch_reset();
	bad("unit,period\nacme,2025-01\n",
	    "t.csv:1:1: error: the header has no indicator column: expected "
	    "unit,period,INDICATOR... (wide form) or unit,period,indicator,value (long form)\n");
	batch_reset();
	bad("unit,period,value,indicator\n",
	    "t.csv:1:1: error: a long form header is exactly unit,period,indicator,value\n");
	batch_reset();
	bad("", "t.csv:1:1: error: empty file: expected a header line such as "
	    "unit,period,absence_days or unit,period,indicator,value\n");
	batch_reset();
	/* A title above the header (a report's layout): one error. */
	bad("Export SIRH du 01/12/2026;;;\nunit;period;x;y\nacme;2025-01;1;2\n",
	    "t.csv:1:1: error: the first line is a title (Export SIRH du 01/12/2026), "
	    "not the header: delete the lines above the header line, which starts "
	    "with unit,period\n");
	batch_reset();
	/* An export without its header: one error, not one per bad name. */
	bad("acme/a;2025-01;4;5\nacme/b;2025-01;6;7\n",
	    "t.csv:1:1: error: the first line is a row of data (its second column "
	    "is a period, 2025-01), not the header: add a first line that names "
	    "the columns, such as unit,period,headcount,absence_days (wide form) "
	    "or unit,period,indicator,value (long form)\n");
	batch_reset();
	/* Excel for Mac's "CSV (Macintosh)": lines ended by CR alone. A CR
	 * at the very end of a one-line file is not taken for it. */
	bad("unit,period,x\racme,2025-01,1\racme/b,2025-01,2\r",
	    "t.csv:1:1: error: the lines of the file end with a carriage return "
	    "alone (CR), as Excel for Mac's \"CSV (Macintosh)\" saves them, not "
	    "with LF or CRLF: save it as \"CSV UTF-8\"\n");
	batch_reset();
}

/* A decimal comma unquoted in a file separated by commas: the row's extra
 * field is said with its likely cause; a row too long otherwise is not. */
Test(csv, a_decimal_comma_in_a_comma_file_is_named)
{
	bad("unit,period,a,b\nacme,2025-01,12,5,3\n",
	    "t.csv:2:19: error: row has 5 fields but the header has 4: a decimal "
	    "comma in a file separated by commas makes two values of one (write "
	    "12.5, or quote \"12,5\", or save the file with ; as the separator)\n");
	batch_reset();
	bad("unit,period,a,b\nacme,2025-01,12,x,3\n",
	    "t.csv:2:19: error: row has 5 fields but the header has 4\n");
	batch_reset();
}

/* A header and no row (or rows of separators only): imported, nothing in
 * it, and a warning, as an extraction that failed most likely is. */
Test(csv, header_alone_is_warned)
{
	const char *texts[] = { "unit,period,x\n", "unit;period;x\r\n;;\r\n",
		"unit,period,x\r" };

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct diags d = { 0 }, w = { 0 };
		char *s;

		cr_assert_eq(csv_parse_warn("t.csv", texts[i], strlen(texts[i]),
		    GRAN_MONTH, CSV_ANY_PERIOD, &B, &d, &w), 0, "case %zu", i);
		cr_assert_eq(B.nrecs, 0);
		s = diags_to_string(&w, 0);
		cr_assert_str_eq(s, "t.csv:1:1: warning: the file has a header and no "
		    "row of data: nothing to import (an extraction that failed?)\n",
		    "case %zu", i);
		free(s);
		diags_free(&w);
		diags_free(&d);
		batch_reset();
	}
}

/* What Excel's "Unicode Text" and a capitalised header give: an error that
 * says what to do, not a list of bad names. */
Test(csv, utf16_and_capitals_are_named)
{
	static const char le[] = "\xFF\xFEu\0n\0i\0t\0,\0", no_bom[] = "u\0n\0i\0t\0";
	static const char be[] = "\xFE\xFF\0u\0n\0i\0t";
	/* A workbook sent as it is: the zip of .xlsx and .ods, the OLE file
	 * of .xls, named by their first bytes whatever the file's name. */
	static const char xlsx[] = "PK\x03\x04\x14\0\x06\0\x08\0\0\0!\0",
	    xls[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0";
	const char *u16 = "t.csv:1:1: error: the file is UTF-16 (as Excel's "
	    "\"Unicode Text\" saves it), not UTF-8: save it as \"CSV UTF-8\"\n";
	struct { const char *text; size_t len; const char *want; } v[] = {
		{ le, sizeof(le) - 1, u16 }, { be, sizeof(be) - 1, u16 },
		{ no_bom, sizeof(no_bom) - 1, u16 },
		{ xlsx, sizeof(xlsx) - 1, "t.csv:1:1: error: the file is a spreadsheet "
		    "workbook (.xlsx or .ods), not CSV text: save the sheet as \"CSV "
		    "UTF-8\" (Excel: File > Save As; LibreOffice: File > Save As > Text "
		    "CSV)\n" },
		{ xls, sizeof(xls) - 1, "t.csv:1:1: error: the file is an Excel 97-2003 "
		    "workbook (.xls), not CSV text: save the sheet as \"CSV UTF-8\" "
		    "(File > Save As)\n" },
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct diags d = { 0 };
		char *s;

		cr_assert_eq(csv_parse("t.csv", v[i].text, v[i].len, GRAN_MONTH,
		    CSV_ANY_PERIOD, &B, &d), -1);
		s = diags_to_string(&d, 0);
		cr_assert_str_eq(s, v[i].want, "case %zu", i);
		free(s);
		diags_free(&d);
		batch_reset();
	}
	/* French Excel's "CSV (séparateur : point-virgule)" is Windows-1252:
	 * an accent is a byte that is not UTF-8. Accented UTF-8 is another
	 * error: the characters a path allows. */
	bad("unit;period;headcount\nacme/si\xe8ge;2026-01;10\n",
	    "t.csv:2:8: error: bad unit \"acme/si\\xe8ge\": the file is not UTF-8 "
	    "(Excel's \"CSV (séparateur : point-virgule)\" writes Windows-1252): "
	    "save it as \"CSV UTF-8\"\n");
	batch_reset();
	/* Its thousands separator too: a no-break space, 0xA0. */
	bad("unit;period;absence_days\nacme;2026-01;1\xa0" "234,5\n",
	    "t.csv:2:14: error: bad value \"1\\xa0234,5\" in column \"absence_days\": "
	    "the file is not UTF-8 (Excel's \"CSV (séparateur : point-virgule)\" "
	    "writes Windows-1252): save it as \"CSV UTF-8\"\n");
	batch_reset();
	bad("unit;period;headcount\nacme/si\xc3\xa8ge;2026-01;10\n",
	    "t.csv:2:8: error: bad unit \"acme/si\xc3\xa8ge\": accented or non-ASCII "
	    "character in unit path (allowed: A-Z a-z 0-9 . _ - and / between "
	    "segments); did you mean \"acme/siege\"?\n");
	batch_reset();
	/* A French header: the columns' English names, and which one is the
	 * missing column. */
	bad("Unit\xc3\xa9;P\xc3\xa9riode;effectif\nacme;2025-01;1\n",
	    "t.csv:1:1: error: bad name \"Unit\xc3\xa9\": columns are named in "
	    "English: write unit\n"
	    "t.csv:1:7: error: bad name \"P\xc3\xa9riode\": columns are named in "
	    "English: write period\n"
	    "t.csv:1:1: error: the header has no \"unit\" column (is \"Unit\xc3\xa9\" "
	    "that column? write unit): expected unit,period,INDICATOR... (wide "
	    "form) or unit,period,indicator,value (long form)\n");
	batch_reset();
	bad("unit,mois,headcount\nacme,2025-01,1\n",
	    "t.csv:1:1: error: the header has no \"period\" column (is \"mois\" "
	    "that column? write period): expected unit,period,INDICATOR... (wide "
	    "form) or unit,period,indicator,value (long form)\n");
	batch_reset();
	bad("unit; period; headcount\nacme;2025-01;1\n",
	    "t.csv:1:6: error: bad name \" period\": a space around the name; write \"period\"\n"
	    "t.csv:1:14: error: bad name \" headcount\": a space around the name; write "
	    "\"headcount\"\n"
	    "t.csv:1:1: error: the header has no \"period\" column (is \" period\" that "
	    "column? write period): expected unit,period,INDICATOR... (wide form) or "
	    "unit,period,indicator,value (long form)\n");
	batch_reset();
	bad("Unit,period,Absence_Days\nacme,2025-01,1\n",
	    "t.csv:1:1: error: bad name \"Unit\": names are lower case (\"unit\")\n"
	    "t.csv:1:13: error: bad name \"Absence_Days\": names are lower case "
	    "(\"absence_days\")\n"
	    "t.csv:1:1: error: the header has no \"unit\" column: expected "
	    "unit,period,INDICATOR... (wide form) or unit,period,indicator,value (long form)\n");
}

Test(csv, rejects_bad_indicator_names_in_long_form)
{
	char text[256];

	snprintf(text, sizeof(text), "unit,period,indicator,value\nacme,2025-01,%s,1\n"
	    "acme,2025-01,,1\n", "a2345678901234567890123456789012345678901234567890123456789012345");
	/* At most 40 bytes of the file are quoted. */
	bad(text, "t.csv:2:14: error: bad indicator name "
	    "\"a234567890123456789012345678901234567890...\": "
	    "use a-z, 0-9 and _, starting with a letter, at most 64 bytes\n"
	    "t.csv:3:14: error: empty indicator name\n");
}

Test(csv, file_with_only_a_header_has_no_values)
{
	ok("unit,period,indicator,value\r\n");
	cr_assert_eq(B.rows, 0);
	cr_assert_eq(B.nrecs, 0);
}

Test(csv, blank_lines_and_rows_of_empty_cells_are_ignored)
{
	ok("unit;period;x\n\nacme;2025-01;1\n;;\n\r\n\n");
	cr_assert_eq(B.rows, 1);
	cr_assert_eq(B.nrecs, 1);
}

Test(csv, last_line_without_newline)
{
	ok("unit,period,x\r\nacme,2025-01,4\r");
	cr_assert_float_eq(val("acme", "x", "2025-01"), 4, 0);
}

Test(csv, records_come_out_in_key_order)
{
	ok("unit,period,indicator,value\n"
	    "b,2025-02,y,1\nb,2025-01,y,2\na,2025-01,y,3\nb,2025-01,x,4\n");
	for (size_t i = 1; i < B.nrecs; i++) {
		const struct import_record *p = &B.recs[i - 1], *q = &B.recs[i];
		cr_assert(p->unit < q->unit || (p->unit == q->unit && (p->ind < q->ind ||
		    (p->ind == q->ind && p->period < q->period))));
	}
}

Test(csv, keeps_going_and_caps_what_it_keeps)
{
	/* 3000 bad rows: the first 1000 errors are kept, the others
	 * counted, and the count printed is exact (SPEC 4). */
	size_t n = 3000, len = 0;
	char *t = malloc(32 * n + 64);
	struct diags d = { 0 };

	len += (size_t)snprintf(t, 64, "unit,period,x\n");
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(t + len, 32, "acme,2025-01,-%zu\n", i + 1);
	cr_assert_eq(csv_parse("t.csv", t, len, GRAN_MONTH, CSV_ANY_PERIOD, &B, &d), -1);
	cr_assert_eq(d.n, 1000);
	cr_assert_eq(d.more, 2000);
	char *s = diags_to_string(&d, CSV_MAX_ERRORS);
	cr_assert(strstr(s, "t.csv: 2980 more errors not shown\n"), "%s", s);
	free(s);
	free(t);
	diags_free(&d);
}

Test(csv, a_period_after_the_current_one_is_an_error)
{
	const char *text = "unit,period,x\nacme,2026-12,1\nacme,2062-10,2\nacme,2027-01,3\n";
	struct diags d = { 0 };
	int32_t now;
	enum granularity g;
	char *s;

	cr_assert_eq(period_parse("2026-12", 7, &g, &now), 0);
	cr_assert_eq(csv_parse("t.csv", text, strlen(text), GRAN_MONTH, now, &B, &d), -1);
	s = diags_to_string(&d, 0);
	cr_assert_str_eq(s, "t.csv:3:6: error: period 2062-10 is after the current period "
	    "2026-12: data cannot come from the future (a mistyped year, or this machine's clock behind?)\n"
	    "t.csv:4:6: error: period 2027-01 is after the current period "
	    "2026-12: data cannot come from the future (a mistyped year, or this machine's clock behind?)\n");
	cr_assert_eq(B.nrecs, 0);
	free(s);
	diags_free(&d);
	/* The current period by the clock: the later of UTC and local time. */
	cr_expect_eq(period_current(GRAN_MONTH, 1796169600 /* 2026-12-01T00:00Z */),
	    2026 * 12 + 11);
	cr_expect_eq(period_of_date(GRAN_WEEK, 2026, 12, 1), period_of_date(GRAN_WEEK, 2026, 11, 30),
	    "Monday and Tuesday of one ISO week");
}

Test(csv, duplicate_and_bad_column_names_each_reported_once)
{
	bad("unit,period,x,Bad,unit,x,Bad,period\nacme,2025-01,1,2,3,4,5,2025-01\n",
	    "t.csv:1:15: error: bad name \"Bad\": names are lower case (\"bad\")\n"
	    "t.csv:1:19: error: duplicate column \"unit\" (first in column A)\n"
	    "t.csv:1:24: error: duplicate column \"x\" (first in column C)\n"
	    "t.csv:1:26: error: duplicate column \"Bad\" (first in column D)\n"
	    "t.csv:1:30: error: duplicate column \"period\" (first in column B)\n");
}

/* unit,period,c0..c{n-1} (and c7 again when dup), then one row with two
 * values. A new string. */
static char *wide(size_t n, bool dup, size_t *len)
{
	size_t cap = 16 * n + 64, k = 0, w = n + 2 + dup;
	char *t = malloc(cap);

	cr_assert(t);
	k += (size_t)snprintf(t + k, cap - k, "unit,period");
	for (size_t i = 0; i < n; i++)
		k += (size_t)snprintf(t + k, cap - k, ",c%zu", i);
	k += (size_t)snprintf(t + k, cap - k, "%s\nacme,2025-01,1,2", dup ? ",c7" : "");
	for (size_t i = 4; i < w; i++)
		t[k++] = ',';
	t[k++] = '\n';
	t[k] = '\0';
	*len = k;
	return t;
}

/* A header of 300,000 columns (the old pairwise check: 45 billion
 * comparisons, minutes; one pass: a fraction of a second). The timeout is
 * a hundred times what it takes, also under the sanitizers. */
Test(csv, a_header_of_300000_columns_is_checked_in_one_pass, .timeout = 30)
{
	struct diags d = { 0 };
	size_t len;
	char *t = wide(300000, true, &len);

	cr_assert_eq(csv_parse("t.csv", t, len, GRAN_MONTH, CSV_ANY_PERIOD, &B, &d), -1);
	cr_assert_eq(d.n, 1);
	cr_expect_str_eq(d.v[0].msg, "duplicate column \"c7\" (first in column J)");
	diags_free(&d);
	free(t);
	/* Without the duplicate: two values, and two indicators, not 300,000
	 * (empty columns bring none). */
	t = wide(300000, false, &len);
	cr_assert_eq(csv_parse("t.csv", t, len, GRAN_MONTH, CSV_ANY_PERIOD, &B, &d), 0);
	cr_expect_eq(B.nrecs, 2);
	cr_expect_eq(B.ninds, 2);
	cr_expect_str_eq(B.inds[0], "c0");
	cr_expect_str_eq(B.inds[1], "c1");
	diags_free(&d);
	free(t);
	batch_reset();
}

/* Parses text (months), asserts success, and returns its warnings as
 * printed (a new string, "" for none). */
static char *warned(const char *text)
{
	struct diags d = { 0 }, w = { 0 };
	int rc = csv_parse_warn("t.csv", text, strlen(text), GRAN_MONTH,
	    CSV_ANY_PERIOD, &B, &d, &w);
	char *e = diags_to_string(&d, 0), *s = diags_to_string(&w, 0);

	cr_assert_eq(rc, 0, "unexpected errors:\n%s", e);
	same_places_in_french(GRAN_MONTH, text, &w, true);
	free(e);
	diags_free(&d);
	diags_free(&w);
	return s;
}

#define MIXUP(ind, unit, per) ind "_max is greater than " ind \
	" for unit " unit ", period " per ": the largest single contribution " \
	"cannot exceed the total (columns swapped in the export?); imported as " \
	"given, but dominance control will be wrong for this cell until it is corrected\n"

Test(csv, x_max_above_x_warns_at_the_x_max_cell_and_imports_the_row)
{
	char *s = warned("unit,period,headcount,absence_days,absence_days_max\n"
	    "acme/a,2025-01,10,12,40\n"
	    "acme/b,2025-01,10,40,12\n"
	    "acme/c,2025-01,10,7,7\n");

	cr_assert_str_eq(s, "t.csv:2:22: warning: "
	    MIXUP("absence_days", "acme/a", "2025-01"));
	free(s);
	cr_assert_eq(B.nrecs, 9, "the values are imported as given");
	cr_expect_float_eq(val("acme/a", "absence_days_max", "2025-01"), 40, 0);
	cr_expect_float_eq(val("acme/a", "absence_days", "2025-01"), 12, 0);
}

Test(csv, x_max_above_x_on_other_rows_of_the_long_form_warns_at_its_value)
{
	/* A French export, the X_max value cell quoted: the warning is at
	 * that cell, and says no value (SPEC 3: it goes to the journal).
	 * X comes after X_max. */
	char *s = warned("unit;period;indicator;value\n"
	    "acme/a;2025-01;absence_days_max;\"40,5\"\n"
	    "acme/b;2025-01;absence_days;3\n"
	    "acme/a;2025-02;absence_days;1\n"
	    "acme/a;2025-01;absence_days;12,25\n"
	    "acme/b;2025-01;absence_days_max;3\n"
	    "acme/a;2025-02;absence_days_max;0,5\n");

	cr_assert_str_eq(s, "t.csv:2:33: warning: "
	    MIXUP("absence_days", "acme/a", "2025-01"));
	free(s);
	cr_assert_eq(B.nrecs, 6);
}

Test(csv, x_max_without_its_x_in_the_file_is_not_compared)
{
	/* Only one of the pair: nothing to compare within the file (the
	 * stored value is not read); another period's X does not count. */
	char *s = warned("unit,period,indicator,value\n"
	    "acme/a,2025-01,absence_days_max,40\n"
	    "acme/a,2025-02,absence_days,1\n"
	    "acme/b,2025-01,absence_days,1\n"
	    "acme/a,2025-01,conflicts_max,9\n");

	cr_assert_str_eq(s, "");
	free(s);
	s = warned("unit,period,absence_days_max\nacme/a,2025-01,40\n");
	cr_assert_str_eq(s, "");
	free(s);
}

Test(csv, a_rejected_file_has_errors_and_no_warnings)
{
	const char *t = "unit,period,x,x_max\nacme,2025-01,1,5\nacme,2025-02,-1,5\n";
	struct diags d = { 0 }, w = { 0 };

	cr_assert_eq(csv_parse_warn("t.csv", t, strlen(t), GRAN_MONTH,
	    CSV_ANY_PERIOD, &B, &d, &w), -1);
	cr_assert_eq(d.n, 1);
	cr_assert_eq(w.n, 0);
	cr_assert_eq(w.more, 0);
	diags_free(&d);
	diags_free(&w);
}

Test(csv, a_file_of_swapped_columns_keeps_its_first_warnings_in_file_order)
{
	size_t n = 1500, len = 0;
	char *t = malloc(40 * n + 64);
	struct diags d = { 0 }, w = { 0 };

	len += (size_t)snprintf(t, 64, "unit,period,x,x_max\n");
	/* Units in reverse name order: the key order is not the file's. */
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(t + len, 40, "u%04zu,2025-01,1,2\n", n - i);
	cr_assert_eq(csv_parse_warn("t.csv", t, len, GRAN_MONTH, CSV_ANY_PERIOD,
	    &B, &d, &w), 0);
	cr_assert_eq(w.n, 1000);
	cr_assert_eq(w.more, 500);
	cr_expect_eq(w.v[0].line, 2);
	cr_expect_eq(w.v[0].col, 17);
	cr_expect_eq(w.v[999].line, 1001);
	char *s = diags_to_string(&w, CSV_MAX_ERRORS);
	cr_assert(strstr(s, "t.csv: 1480 more warnings not shown\n"), "%s", s);
	free(s);
	free(t);
	diags_free(&d);
	diags_free(&w);
}

/* The import warnings that need the database (importcheck.h) point at the
 * first cell of a unit and at an indicator's header cell: the batch keeps
 * them, an empty column dropped with its place. */
Test(csv, keeps_where_each_unit_and_indicator_first_appears)
{
	ok("unit,period,gone,absence_days,headcount\n"
	    "acme/a,2025-01,,1,5\n"
	    "\"acme/b\",2025-01,,2,6\n"
	    "acme/a,2025-02,,3,5\n");
	cr_assert_eq(B.ninds, 2);
	cr_assert_str_eq(B.inds[0], "absence_days");
	cr_assert_eq(B.ind_at[0].line, 1);
	cr_assert_eq(B.ind_at[0].col, 18);
	cr_assert_eq(B.ind_at[1].col, 31);
	cr_assert_str_eq(B.units[1], "acme/b");
	cr_assert_eq(B.unit_at[0].line, 2);
	cr_assert_eq(B.unit_at[1].line, 3);
	cr_assert_eq(B.unit_at[1].col, 1);
	ok("unit;period;indicator;value\n"
	    "acme/a;2025-01;headcount;5\n"
	    "acme/a;2025-01;overtime_hour;2\n");
	cr_assert_str_eq(B.inds[1], "overtime_hour");
	cr_assert_eq(B.ind_at[1].line, 3);
	cr_assert_eq(B.ind_at[1].col, 16);
}

/* The console names a place as the spreadsheet's cell: the column of the
 * field that holds the character, with the file's separator and quotes,
 * accents counted as one character each. */
Test(csv, a_place_is_named_as_a_spreadsheet_cell)
{
	const char *f = "\xEF\xBB\xBFunit;period;x;\"a;b\";y\r\nsi\xc3\xa8ge;2025-01;1;2;3\n";
	char cell[16];
	struct { int line, col; const char *want; } v[] = {
		{ 1, 1, "A1" }, { 1, 6, "B1" }, { 1, 13, "C1" }, { 1, 15, "D1" },
		{ 1, 18, "D1" },	/* the quoted ';' is no separator */
		{ 1, 21, "E1" }, { 2, 1, "A2" }, { 2, 7, "B2" },	/* è: one character */
		{ 2, 15, "C2" },
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		cr_assert(csv_cell_name(f, strlen(f), v[i].line, v[i].col, cell,
		    sizeof(cell)), "case %zu", i);
		cr_assert_str_eq(cell, v[i].want, "case %zu", i);
	}
	cr_assert_not(csv_cell_name(f, strlen(f), 4, 1, cell, sizeof(cell)));
	cr_assert_not(csv_cell_name(f, strlen(f), 2, 40, cell, sizeof(cell)));
	/* Past Z: AA, then AZ, BA. */
	char wide[400] = "", *p = wide;
	for (int i = 0; i < 53; i++)
		p += sprintf(p, "c%d,", i);
	cr_assert(csv_cell_name(wide, strlen(wide), 1, (int)(strstr(wide, "c26,") - wide) + 1,
	    cell, sizeof(cell)));
	cr_assert_str_eq(cell, "AA1");
	cr_assert(csv_cell_name(wide, strlen(wide), 1, (int)(strstr(wide, "c52,") - wide) + 1,
	    cell, sizeof(cell)));
	cr_assert_str_eq(cell, "BA1");
	/* A line break inside a quoted cell is no new row: what follows it
	 * is still in that cell's row, and the next rows are one up. */
	const char *ml = "unit,period,x\n\"a\nb\",2025-01,1\nc,2025-01,2\n";
	struct { int line, col; const char *want; } w[] = {
		{ 2, 1, "A2" }, { 3, 1, "A2" }, { 3, 4, "B2" }, { 3, 12, "C2" },
		{ 4, 1, "A3" }, { 4, 11, "C3" },
	};
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		cr_assert(csv_cell_name(ml, strlen(ml), w[i].line, w[i].col, cell,
		    sizeof(cell)), "case %zu", i);
		cr_assert_str_eq(cell, w[i].want, "case %zu", i);
	}
	size_t field;
	cr_assert_eq(csv_row_at(ml, strlen(ml), 4, 1, &field), 3);
	cr_assert_eq(field, 0);
}
