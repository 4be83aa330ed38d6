/* The YAML tree: positions, scalar position mapping, alias budget. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "vigie/yaml.h"

static struct ydoc *parse(const char *text, struct diags *d)
{
	return ydoc_parse("t.yaml", text, strlen(text), d);
}

Test(yaml, nodes_carry_line_and_column)
{
	struct diags d = { 0 };
	struct ydoc *doc = parse("rules:\n  - id: a\n    value: x + 1\n", &d);

	cr_assert_not_null(doc);
	cr_assert_eq(doc->root->type, Y_MAP);
	struct ynode *list = doc->root->vals[0];
	cr_assert_eq(list->type, Y_SEQ);
	struct ynode *rule = list->items[0];
	cr_assert_eq(rule->line, 2);
	cr_assert_eq(rule->col, 5);
	cr_assert_str_eq(rule->keys[1]->str, "value");
	cr_assert_eq(rule->vals[1]->line, 3);
	cr_assert_eq(rule->vals[1]->col, 12);
	ydoc_free(doc);
	diags_free(&d);
}

static void expect_pos(const char *text, const char *needle_in_value,
    int line, int col)
{
	struct diags d = { 0 };
	struct ydoc *doc = parse(text, &d);

	cr_assert_not_null(doc, "%s", text);
	struct ynode *v = doc->root->vals[0];
	const char *at = strstr(v->str, needle_in_value);
	cr_assert_not_null(at, "'%s' not in '%s'", needle_in_value, v->str);
	struct srcpos pos[v->len + 1];
	ydoc_scalar_positions(doc, v, pos);
	size_t i = (size_t)(at - v->str);
	cr_assert_eq(pos[i].line, line, "%s: line %d, want %d", text, pos[i].line, line);
	cr_assert_eq(pos[i].col, col, "%s: col %d, want %d", text, pos[i].col, col);
	ydoc_free(doc);
	diags_free(&d);
}

Test(yaml, scalar_positions_follow_plain_quoted_and_folded_text)
{
	expect_pos("value: sum(x, 3) $ 2\n", "$", 1, 18);
	expect_pos("value: \"sum(x, 3) $ 2\"\n", "$", 1, 19);
	expect_pos("value: 'it''s $'\n", "$", 1, 15);
	expect_pos("value: \"a \\\" $\"\n", "$", 1, 14);
	expect_pos("value: >\n  100 * sum(a, 3)\n  / sum(b, 3) $\n", "$", 3, 15);
	expect_pos("value: |\n  100 * sum(a, 3)\n    / $\n", "$", 3, 7);
	expect_pos("value: sum(x,\n   3) $\n", "$", 2, 7);
	expect_pos("value: \"é $\"\n", "$", 1, 11);
}

Test(yaml, duplicate_keys_and_syntax_errors_are_reported_where_they_are)
{
	struct diags d = { 0 };

	/* A duplicate key is an error, and the document is still there so
	 * that the rest of the file is checked too, without the duplicate. */
	struct ydoc *doc = parse("a: 1\nb: 2\na: 3\n", &d);
	cr_assert_not_null(doc);
	cr_assert_eq(d.n, 1);
	cr_assert_eq(d.v[0].line, 3);
	cr_assert_eq(d.v[0].col, 1);
	cr_assert_str_eq(d.v[0].msg, "duplicate key \"a\" (first at line 1)");
	cr_assert_eq(doc->root->n, 2);
	cr_assert_str_eq(doc->root->keys[0]->str, "a");
	cr_assert_str_eq(doc->root->vals[0]->str, "1");
	cr_assert_str_eq(doc->root->keys[1]->str, "b");
	ydoc_free(doc);
	diags_free(&d);
	cr_assert_null(parse("a: [1, 2\nb: 3\n", &d));
	cr_assert_eq(d.n, 1);
	cr_assert_eq(d.v[0].line, 2);
	diags_free(&d);
}

Test(yaml, aliases_share_nodes_and_a_billion_laughs_is_refused_fast)
{
	struct diags d = { 0 };
	struct ydoc *doc = parse("a: &x {k: 1}\nb: *x\n", &d);
	struct timespec t0, t1;

	cr_assert_not_null(doc);
	cr_assert_eq(doc->root->vals[0], doc->root->vals[1]);
	ydoc_free(doc);

	char bomb[4096];
	size_t n = (size_t)snprintf(bomb, sizeof(bomb), "a: &a [x, x, x, x, x, x, x, x, x, x]\n");
	for (char c = 'b'; c <= 'k'; c++)
		n += (size_t)snprintf(bomb + n, sizeof(bomb) - n,
		    "%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n",
		    c, c, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cr_assert_null(parse(bomb, &d));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	cr_assert_eq(d.n, 1);
	cr_assert(strstr(d.v[0].msg, "alias bomb") != NULL, "%s", d.v[0].msg);
	cr_assert_lt((t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9, 0.5);
	diags_free(&d);
}

Test(yaml, scalar_helpers_accept_only_plain_numbers_and_booleans)
{
	struct diags d = { 0 };
	struct ydoc *doc = parse("[12.5, '12', true, nope, 1e999, 0x10, ~, -3]", &d);
	double x;
	bool b;
	long long i;

	cr_assert_not_null(doc);
	struct ynode **it = doc->root->items;
	cr_assert_eq(yscalar_double(it[0], &x), 0);
	cr_assert_float_eq(x, 12.5, 1e-12);
	cr_assert_eq(yscalar_double(it[1], &x), -1);
	cr_assert_eq(yscalar_bool(it[2], &b), 0);
	cr_assert(b);
	cr_assert_eq(yscalar_bool(it[3], &b), -1);
	cr_assert_eq(yscalar_double(it[4], &x), -1);
	cr_assert_eq(yscalar_double(it[5], &x), -1);
	cr_assert(yscalar_is_null(it[6]));
	cr_assert_eq(yscalar_int(it[7], &i), 0);
	cr_assert_eq(i, -3);
	cr_assert_eq(yscalar_int(it[0], &i), -1);
	ydoc_free(doc);
	diags_free(&d);
}

Test(yaml, closest_word_suggests_near_misses_only)
{
	const char *const keys[] = { "database", "rules", "interval", "inbox" };

	cr_assert_str_eq(closest_word("databse", keys, 4), "database");
	cr_assert_str_eq(closest_word("rule", keys, 4), "rules");
	cr_assert_null(closest_word("smtp", keys, 4));
}

/* The one error of text, as "LINE:COL: MESSAGE". */
static char *yaml_error(const char *text)
{
	struct diags d = { 0 };
	char *s;

	cr_assert_null(parse(text, &d), "%s", text);
	cr_assert_eq(d.n, 1, "%s", text);
	cr_assert_geq(asprintf(&s, "%s:%d:%d: %s", d.v[0].file, d.v[0].line, d.v[0].col,
	    d.v[0].msg), 0);
	diags_free(&d);
	return s;
}

static void expect_error(const char *text, const char *want)
{
	char *got = yaml_error(text);

	cr_expect_str_eq(got, want, "%s", text);
	free(got);
}

/* A glob written bare, as in a shell: to YAML, a leading "*" is an alias. */
#define BARE_STAR "invalid YAML: did not find expected alphabetic or numeric " \
	"character while scanning an alias (a value that starts with \"*\" " \
	"must be quoted: write "
Test(yaml, a_bare_star_says_to_quote_the_value)
{
	expect_error("scope: */*/*\n", "t.yaml:1:9: " BARE_STAR "\"*/*/*\"; "
	    "unquoted, \"*\" starts a YAML alias)");
	expect_error("scope: **\n", "t.yaml:1:9: " BARE_STAR "\"**\"; "
	    "unquoted, \"*\" starts a YAML alias)");
	expect_error("scope: [acme/*, */*/*]\n", "t.yaml:1:18: " BARE_STAR
	    "\"*/*/*\"; unquoted, \"*\" starts a YAML alias)");
}

/* A summary that begins with a placeholder, unquoted: "{" opens a flow
 * mapping, and {{value}} is a mapping as a key. */
Test(yaml, a_text_that_starts_with_a_brace_says_to_quote_it)
{
	expect_error("summary: {{value}}\n", "t.yaml:1:10: a text that starts with "
	    "\"{\" must be quoted: write \"{{value}}\"; unquoted, \"{\" starts a "
	    "YAML mapping");
}

/* French typography's space before a colon: ": " inside a plain text. */
Test(yaml, a_colon_inside_a_text_says_to_put_it_in_double_quotes)
{
	expect_error("rules:\n  - id: a\n    title: Absences courtes : doublement\n",
	    "t.yaml:3:29: invalid YAML: mapping values are not allowed in this "
	    "context (a text with \": \" in it must be put in double quotes: "
	    "title: \"Absences courtes : doublement\")");
	expect_error("- title: Taux : \"x\" # note\n", "t.yaml:1:15: invalid YAML: "
	    "mapping values are not allowed in this context (a text with \": \" "
	    "in it must be put in double quotes, as in title: \"Absences courtes "
	    ": doublement\")");
	/* A key indented under a plain value: the indentation is wrong. */
	expect_error("a: x\n  b: 1\n", "t.yaml:2:4: invalid YAML: mapping values "
	    "are not allowed in this context (check the indentation here: keys "
	    "of the same level start in the same column, and each item of a "
	    "list starts with \"- \" in the same column)");
}

/* A double quote missing or one too many: the place to fix is where the
 * quote opened, which libyaml's error, lines below, does not say. */
Test(yaml, a_quote_left_open_names_where_it_opened)
{
	expect_error("rules:\n  - id: a\n    title: \"Les absences courtes ont "
	    "doublé\n    value: x\n    summary: \"En {{unit}}\"\n",
	    "t.yaml:5:15: invalid YAML: did not find expected key while parsing "
	    "a block mapping (the double quote at line 3, column 12 is not "
	    "closed on its line, so the text runs on to the quote at line 5, "
	    "column 14: close it on line 3; for a quote inside the text, write "
	    "\\\" or use « », which need no backslash)");
	expect_error("title: \"Les absences courtes ont doublé\nvalue: x\n",
	    "t.yaml:3:1: invalid YAML: found unexpected end of stream while "
	    "scanning a quoted scalar (the double quote at line 1, column 8 is "
	    "never closed: close it at the end of its text; for a quote inside "
	    "the text, write \\\" or use « », which need no backslash)");
	expect_error("summary: \"Des absences, soit \"deux fois\" plus\"\n",
	    "t.yaml:1:31: invalid YAML: did not find expected key while parsing "
	    "a block mapping (the text in double quotes at line 1, column 10 "
	    "ends at the quote at column 30: for a quote inside the text, write "
	    "\\\" or use « », which need no backslash)");
	expect_error("- { title: \"T \"x\" y\" }\n", "t.yaml:1:16: invalid YAML: did "
	    "not find expected ',' or '}' while parsing a flow mapping (the text "
	    "in double quotes at line 1, column 12 ends at the quote at column "
	    "15: for a quote inside the text, write \\\" or use « », which "
	    "need no backslash)");
}

/* French texts have apostrophes: in single quotes, the first one ends the
 * text, and libyaml blames what follows on the structure. */
Test(yaml, an_apostrophe_in_single_quotes_says_to_double_it)
{
	expect_error("rules:\n  - id: a\n    title: 'Absences de l'équipe'\n",
	    "t.yaml:3:27: invalid YAML: did not find expected key while parsing "
	    "a block mapping (the text in single quotes at line 3, column 12 "
	    "ends at the apostrophe at column 26: inside single quotes, write an "
	    "apostrophe twice (l''équipe), or put the text in double quotes)");
	expect_error("- { guidance: 'Voir d'abord', id: a }\n", "t.yaml:1:23: "
	    "invalid YAML: did not find expected ',' or '}' while parsing a flow "
	    "mapping (the text in single quotes at line 1, column 15 ends at the "
	    "apostrophe at column 22: inside single quotes, write an apostrophe "
	    "twice (d''abord), or put the text in double quotes)");
	expect_error("title: 'Absences élevées\nvalue: x\n",
	    "t.yaml:3:1: invalid YAML: found unexpected end of stream while "
	    "scanning a quoted scalar (the single quote at line 1, column 8 is "
	    "never closed: close it at the end of its text; inside single "
	    "quotes, write an apostrophe twice (l''équipe), or put the text in "
	    "double quotes)");
	expect_error("title: 'Absences\nvalue: l'x'\n", "t.yaml:2:10: invalid "
	    "YAML: did not find expected key while parsing a block mapping (the "
	    "single quote at line 1, column 8 is not closed on its line, so the "
	    "text runs on to the apostrophe at line 2, column 9: close it on "
	    "line 1; inside single quotes, write an apostrophe twice (l''x), or "
	    "put the text in double quotes)");
}

/* A file saved as Windows-1252 or Latin-1 ("ANSI"): an accent is a byte
 * that is not UTF-8; the position is the letter's. */
Test(yaml, a_file_not_in_utf8_says_to_save_it_again_as_utf8)
{
#define NOT_UTF8 " (the file is not UTF-8: it was saved in another " \
	"encoding, as Windows' \"ANSI\"; save it again as UTF-8, in Notepad " \
	"with File > Save As > Encoding: UTF-8)"
	expect_error("rules:\n  - id: a\n    title: \"Absences \xe9lev\xe9" "es\"\n",
	    "t.yaml:3:22: invalid YAML: invalid trailing UTF-8 octet" NOT_UTF8);
	expect_error("title: \"l\x92\xe9quipe\"\n", "t.yaml:1:10: invalid YAML: "
	    "invalid leading UTF-8 octet" NOT_UTF8);
#undef NOT_UTF8
}
