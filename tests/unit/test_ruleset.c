/* Rule files (SPEC 5): what loads, what defaults apply, and the exact
 * FILE:LINE:COLUMN diagnostics for every kind of mistake. Each test runs in
 * its own temporary folder (Criterion forks per test), so file names in the
 * messages are short and exact. */
#include <criterion/criterion.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "vigie/rules.h"
#include "tmpdir.h"

TMPDIR_SUITE(ruleset, "ruleset");

/* Loads path, which must fail; returns the printed diagnostics. */
static char *load_errors(const char *path)
{
	struct diags d = { 0 };
	struct ruleset *rs = ruleset_load(path, NULL, &d);
	char *s;

	cr_assert_null(rs, "%s loaded but should not have", path);
	cr_assert_gt(d.n, 0);
	s = diags_to_string(&d, 0);
	diags_free(&d);
	return s;
}

static struct ruleset *load_ok(const char *path)
{
	struct diags d = { 0 };
	struct ruleset *rs = ruleset_load(path, NULL, &d);

	if (!rs) {
		char *s = diags_to_string(&d, 0);
		cr_assert_fail("%s did not load:\n%s", path, s);
		free(s);
	}
	diags_free(&d);
	return rs;
}

/* One rule file, exact diagnostics. */
static void expect(const char *yaml, const char *want)
{
	char *got;

	write_file("r.yaml", yaml);
	got = load_errors("r.yaml");
	cr_expect_str_eq(got, want);
	free(got);
}

/* One rule file that loads, with exactly these warnings. */
static void expect_warnings(const char *yaml, const char *want)
{
	struct ruleset *rs;
	char *got;

	write_file("r.yaml", yaml);
	rs = load_ok("r.yaml");
	got = diags_to_string(&rs->warnings, 0);
	cr_expect_str_eq(got, want);
	free(got);
	ruleset_free(rs);
}

#define RULE_HEAD "rules:\n  - id: r1\n    title: T\n    value: x\n"

Test(ruleset, loads_a_rule_and_fills_the_defaults)
{
	write_file("r.yaml", RULE_HEAD "    above: { warning: 6, critical: 9 }\n");
	struct ruleset *rs = load_ok("r.yaml");
	const struct rule *r = &rs->rules[0];

	cr_assert_eq(rs->n, 1);
	cr_assert_eq(rs->nfiles, 1);
	cr_assert_str_eq(rs->files[0], "r.yaml");
	cr_assert_str_eq(r->id, "r1");
	cr_assert_str_eq(r->title, "T");
	cr_assert_not_null(r->value);
	cr_assert_null(r->when);
	cr_assert_null(r->summary);
	cr_assert_null(r->guidance);
	cr_assert(!r->below);
	cr_assert(r->has_warning && r->has_critical);
	cr_assert_float_eq(r->warning, 6, 0);
	cr_assert_float_eq(r->critical, 9, 0);
	cr_assert_float_eq(r->clear, 6, 0);	/* the lowest threshold */
	cr_assert_eq(r->for_n, 1);
	cr_assert_eq(r->decimals, 1);
	cr_assert_eq(r->nscope, 1);
	cr_assert_str_eq(r->scope[0], "**");
	cr_assert(r->enabled);
	cr_assert_eq(r->min_headcount, 0);
	cr_assert_eq(r->repeat_every, 0);
	cr_assert(!r->notify_set);
	cr_assert_eq(r->nlabels, 0);
	cr_assert_str_eq(r->file, "r.yaml");
	cr_assert_eq(r->line, 2);
	cr_assert_eq(r->col, 5);
	ruleset_free(rs);
}

Test(ruleset, loads_every_optional_key)
{
	write_file("r.yaml", RULE_HEAD
	    "    below: { warning: 5, critical: 2, clear: 6 }\n"
	    "    for: 3\n"
	    "    when: headcount > 10\n"
	    "    scope: [\"acme/*\", acme/nancy/**]\n"
	    "    min_headcount: 8\n"
	    "    notify: [social-worker, hr_2]\n"
	    "    summary: \"{{ value }} in {{unit}}\"\n"
	    "    guidance: Talk.\n"
	    "    labels: { team: rps, Sev_1: \"high\" }\n"
	    "    repeat_every: 2\n"
	    "    decimals: 0\n"
	    "    enabled: false\n");
	struct ruleset *rs = load_ok("r.yaml");
	const struct rule *r = &rs->rules[0];

	cr_assert(r->below);
	cr_assert_float_eq(r->clear, 6, 0);
	cr_assert_eq(r->for_n, 3);
	cr_assert_not_null(r->when);
	cr_assert_eq(r->nscope, 2);
	cr_assert_str_eq(r->scope[0], "acme/*");
	cr_assert_str_eq(r->scope[1], "acme/nancy/**");
	cr_assert_eq(r->min_headcount, 8);
	cr_assert(r->notify_set);
	cr_assert_eq(r->nnotify, 2);
	cr_assert_str_eq(r->notify[1], "hr_2");
	cr_assert_str_eq(r->summary, "{{ value }} in {{unit}}");
	cr_assert_str_eq(r->guidance, "Talk.");
	cr_assert_eq(r->nlabels, 2);
	cr_assert_str_eq(r->labels[1].key, "Sev_1");
	cr_assert_str_eq(r->labels[1].value, "high");
	cr_assert_eq(r->repeat_every, 2);
	cr_assert_eq(r->decimals, 0);
	cr_assert(!r->enabled);
	ruleset_free(rs);
}

Test(ruleset, clear_defaults_to_the_lowest_threshold_above_and_highest_below)
{
	write_file("r.yaml", "rules:\n"
	    "  - { id: a, title: t, value: x, above: { critical: 9 } }\n"
	    "  - { id: b, title: t, value: x, below: { warning: 5, critical: 2 } }\n"
	    "  - { id: c, title: t, value: x, below: { critical: 2 } }\n"
	    "  - { id: d, title: t, value: x, above: { warning: 4, clear: 4 } }\n");
	struct ruleset *rs = load_ok("r.yaml");

	cr_assert_eq(rs->n, 4);
	cr_assert(!rs->rules[0].has_warning);
	cr_assert_float_eq(rs->rules[0].clear, 9, 0);
	cr_assert_float_eq(rs->rules[1].clear, 5, 0);
	cr_assert_float_eq(rs->rules[2].clear, 2, 0);
	cr_assert(!rs->rules[3].has_critical);
	cr_assert_float_eq(rs->rules[3].clear, 4, 0);
	ruleset_free(rs);
}

Test(ruleset, unknown_threshold_words_suggest_above)
{
	expect(RULE_HEAD
	    "    above: { warning: 1 }\n"
	    "    treshold: 3\n"
	    "    seuil: 3\n"
	    "    thresholds: 3\n"
	    "    titel: x\n"
	    "    colour: red\n",
	    "r.yaml:6:5: error: unknown key \"treshold\" (did you mean \"above\"?)\n"
	    "r.yaml:7:5: error: unknown key \"seuil\" (did you mean \"above\"?)\n"
	    "r.yaml:8:5: error: unknown key \"thresholds\" (did you mean \"above\"?)\n"
	    "r.yaml:9:5: error: unknown key \"titel\" (did you mean \"title\"?)\n"
	    "r.yaml:10:5: error: unknown key \"colour\" (known keys: id, title, "
	    "value, above, below, for, when, scope, min_headcount, notify, summary, "
	    "guidance, labels, repeat_every, decimals, enabled, carry_over, "
	    "observed, expected, measure, components, compare, inhibited_by, "
	    "period)\n");
}

/* The French of HR and of the console (« vigilance », « critique »,
 * « seuil de fin »): the English key, not the list of every key. */
Test(ruleset, french_key_words_suggest_the_english_key)
{
	expect("rules:\n  - id: r1\n    titre: T\n    title: T\n    value: x\n"
	    "    above: { vigilance: 2, critique: 3, fin: 1 }\n"
	    "    résumé: x\n"
	    "    pendant: 2\n"
	    "    quand: x > 1\n"
	    "    portée: \"*\"\n"
	    "    periMetre: \"*\"\n"
	    "    conseils: x\n"
	    "    destinataires: [hr]\n"
	    "    Vigilance: 5\n",
	    "r.yaml:3:5: error: unknown key \"titre\" (did you mean \"title\"?)\n"
	    "r.yaml:6:14: error: unknown key \"vigilance\" (did you mean "
	    "\"warning\"?)\n"
	    "r.yaml:6:28: error: unknown key \"critique\" (did you mean "
	    "\"critical\"?)\n"
	    "r.yaml:6:41: error: unknown key \"fin\" (did you mean \"clear\"?)\n"
	    "r.yaml:6:12: error: \"above\" needs \"warning\" or \"critical\"\n"
	    "r.yaml:7:5: error: unknown key \"résumé\" (did you mean "
	    "\"summary\"?)\n"
	    "r.yaml:8:5: error: unknown key \"pendant\" (did you mean \"for\"?)\n"
	    "r.yaml:9:5: error: unknown key \"quand\" (did you mean \"when\"?)\n"
	    "r.yaml:10:5: error: unknown key \"portée\" (did you mean \"scope\"?)\n"
	    "r.yaml:11:5: error: unknown key \"periMetre\" (did you mean "
	    "\"scope\"?)\n"
	    "r.yaml:12:5: error: unknown key \"conseils\" (did you mean "
	    "\"guidance\"?)\n"
	    "r.yaml:13:5: error: unknown key \"destinataires\" (did you mean "
	    "\"notify\"?)\n"
	    "r.yaml:14:5: error: \"Vigilance\" is a threshold, written "
	    "\"warning\": it belongs under \"above:\" or \"below:\", indented "
	    "one level more, as in above: { warning: 5 }\n");
}

/* A threshold written beside "above:", not under it: the advice is to
 * indent it, not to rename it "above". */
Test(ruleset, a_threshold_key_at_the_rule_level_says_to_indent_it)
{
	expect(RULE_HEAD
	    "    above:\n"
	    "      critical: 9\n"
	    "    warning: 5\n"
	    "    Clear: 4\n",
	    "r.yaml:7:5: error: \"warning\" is a threshold: it belongs under "
	    "\"above:\" or \"below:\", indented one level more, as in "
	    "above: { warning: 5 }\n"
	    "r.yaml:8:5: error: \"Clear\" is a threshold: it belongs under "
	    "\"above:\" or \"below:\", indented one level more, as in "
	    "above: { clear: 4 }\n");
}

Test(ruleset, missing_required_keys_are_reported_at_the_rule)
{
	expect("rules:\n"
	    "  - title: T\n"
	    "    above: { warning: 1 }\n"
	    "  - id: two\n"
	    "    value: x\n",
	    "r.yaml:2:5: error: rule is missing the required key \"id\"\n"
	    "r.yaml:2:5: error: rule is missing the required key \"value\"\n"
	    "r.yaml:4:5: error: rule \"two\" is missing the required key \"title\"\n"
	    "r.yaml:4:5: error: rule \"two\" needs thresholds: \"above\" or \"below\" "
	    "with \"warning\" and/or \"critical\"\n");
}

Test(ruleset, bad_id_points_at_the_offending_character)
{
	expect("rules:\n"
	    "  - id: \"abs Rate\"\n"
	    "    title: T\n    value: x\n    above: { warning: 1 }\n"
	    "  - id: -x\n"
	    "    title: T\n    value: x\n    above: { warning: 1 }\n",
	    "r.yaml:2:13: error: invalid rule id \"abs Rate\" (use a-z, 0-9, \"_\" "
	    "and \"-\", starting with a letter or digit)\n"
	    "r.yaml:6:9: error: invalid rule id \"-x\" (use a-z, 0-9, \"_\" "
	    "and \"-\", starting with a letter or digit)\n");
}

Test(ruleset, duplicate_ids_across_files_name_the_first_definition)
{
	cr_assert_eq(mkdir("d", 0700), 0);
	write_file("d/10-a.yaml", RULE_HEAD "    above: { warning: 1 }\n");
	write_file("d/20-b.yaml", "rules:\n"
	    "  - { id: r2, title: t, value: x, above: { warning: 1 } }\n"
	    "  - { id: r1, title: t, value: x, above: { warning: 1 } }\n");
	char *got = load_errors("d");
	cr_assert_str_eq(got, "d/20-b.yaml:3:11: error: duplicate rule id \"r1\" "
	    "(first defined at d/10-a.yaml:2:5)\n");
	free(got);
}

Test(ruleset, above_and_below_together_or_neither_are_errors)
{
	expect(RULE_HEAD
	    "    above: { warning: 1 }\n"
	    "    below: { warning: 1 }\n",
	    "r.yaml:6:5: error: a rule takes \"above\" or \"below\", not both "
	    "(the other is at line 5, column 5)\n");
	expect(RULE_HEAD,
	    "r.yaml:2:5: error: rule \"r1\" needs thresholds: \"above\" or "
	    "\"below\" with \"warning\" and/or \"critical\"\n");
}

Test(ruleset, threshold_mapping_keys_and_types)
{
	expect(RULE_HEAD "    above: { warn: 1, critical: high }\n",
	    "r.yaml:5:14: error: unknown key \"warn\" (did you mean \"warning\"?)\n"
	    "r.yaml:5:33: error: \"critical\" must be a number, found \"high\"\n");
	expect(RULE_HEAD "    above: { clear: 1 }\n",
	    "r.yaml:5:12: error: \"above\" needs \"warning\" or \"critical\"\n");
	expect(RULE_HEAD "    below: 3\n",
	    "r.yaml:5:12: error: \"below\" must be a mapping of \"warning\", "
	    "\"critical\" and \"clear\", found \"3\"\n");
	/* A quoted number is a string: thresholds are numbers. */
	expect(RULE_HEAD "    above: { warning: \"3\" }\n",
	    "r.yaml:5:23: error: \"warning\" must be a number: \"3\" is quoted "
	    "text; write 3 without quotes\n");
	expect(RULE_HEAD "    above:\n      warning: '2.5'\n",
	    "r.yaml:6:16: error: \"warning\" must be a number: \"2.5\" is quoted "
	    "text; write 2.5 without quotes\n");
	/* A spreadsheet's percentage: two readings, the writer knows which. */
	expect(RULE_HEAD "    above: { warning: 150%, critical: \"200 %\" }\n",
	    "r.yaml:5:23: error: \"warning\" must be a number, found \"150%\": "
	    "write it on the scale of the rule's value, without %: 1.5 for a "
	    "ratio, 150 if the value is already a percentage\n"
	    "r.yaml:5:39: error: \"critical\" must be a number, found \"200 %\": "
	    "write it on the scale of the rule's value, without %: 2 for a "
	    "ratio, 200 if the value is already a percentage\n");
	expect(RULE_HEAD "    above: { warning: \"\", critical: \"%\" }\n",
	    "r.yaml:5:23: error: \"warning\" must be a number, found \"\"\n"
	    "r.yaml:5:37: error: \"critical\" must be a number, found \"%\"\n");
}

Test(ruleset, threshold_order_above)
{
	expect(RULE_HEAD "    above: { warning: 6, critical: 6 }\n",
	    "r.yaml:5:36: error: with \"above\", \"critical\" (6) must be greater "
	    "than \"warning\" (6)\n");
	expect(RULE_HEAD "    above: { warning: 6, critical: 9, clear: 6.5 }\n",
	    "r.yaml:5:46: error: with \"above\", \"clear\" (6.5) must not exceed "
	    "the lowest threshold (6)\n");
	expect(RULE_HEAD "    above: { critical: 9, clear: 10 }\n",
	    "r.yaml:5:34: error: with \"above\", \"clear\" (10) must not exceed "
	    "the lowest threshold (9)\n");
}

Test(ruleset, threshold_order_below)
{
	expect(RULE_HEAD "    below: { warning: 2, critical: 5 }\n",
	    "r.yaml:5:36: error: with \"below\", \"critical\" (5) must be less "
	    "than \"warning\" (2)\n");
	expect(RULE_HEAD "    below: { warning: 5, critical: 2, clear: 4 }\n",
	    "r.yaml:5:46: error: with \"below\", \"clear\" (4) must not be below "
	    "the highest threshold (5)\n");
	write_file("ok.yaml", RULE_HEAD "    below: { warning: 5, critical: 2, clear: 5 }\n");
	ruleset_free(load_ok("ok.yaml"));
}

Test(ruleset, integer_and_boolean_keys_say_what_they_take)
{
	expect(RULE_HEAD "    above: { warning: 1 }\n"
	    "    for: 0\n"
	    "    min_headcount: 2\n"
	    "    repeat_every: -1\n"
	    "    decimals: 11\n"
	    "    enabled: yes\n",
	    "r.yaml:6:10: error: \"for\" must be an integer of at least 1, found \"0\"\n"
	    "r.yaml:7:20: error: \"min_headcount\" must be an integer of at least 3, "
	    "found \"2\"\n"
	    "r.yaml:8:19: error: \"repeat_every\" must be an integer of at least 0, "
	    "found \"-1\"\n"
	    "r.yaml:9:15: error: \"decimals\" must be an integer from 0 to 10, "
	    "found \"11\"\n"
	    "r.yaml:10:14: error: \"enabled\" must be true or false, found \"yes\"\n");
	expect(RULE_HEAD "    above: { warning: 1 }\n    for: 1.5\n",
	    "r.yaml:6:10: error: \"for\" must be an integer of at least 1, found \"1.5\"\n");
}

Test(ruleset, carry_over_observed_and_expected_load)
{
	write_file("r.yaml", RULE_HEAD "    above: { warning: 1 }\n"
	    "    carry_over: 0\n"
	    "    observed: sum(conflicts, 3)\n"
	    "    expected: seasonal_expected(sum(conflicts, 3), sum(headcount, 3), 2)\n"
	    "    summary: \"{{observed}} conflits, {{expected}} attendus "
	    "({{ratio}} fois)\"\n"
	    "  - id: r2\n    title: T\n    value: x\n    above: { warning: 1 }\n");
	struct ruleset *rs = load_ok("r.yaml");

	cr_assert_eq(rs->carry_over, 6, "SPEC 5: 6 unless the caller sets it");
	cr_assert_eq(rs->rules[0].carry_over, 0);
	cr_assert_not_null(rs->rules[0].observed);
	cr_assert_not_null(rs->rules[0].expected);
	cr_assert_eq(rs->rules[1].carry_over, -1, "not set: the rule set's");
	cr_assert_null(rs->rules[1].observed);
	cr_assert_null(rs->rules[1].expected);
	ruleset_free(rs);
}

Test(ruleset, carry_over_observed_and_expected_errors)
{
	expect(RULE_HEAD "    above: { warning: 1 }\n"
	    "    carry_over: -1\n"
	    "    observed: sum(x)\n"
	    "    expected: seasonal_expected(x, headcount, 0)\n",
	    "r.yaml:6:17: error: \"carry_over\" must be an integer of at least 0, "
	    "found \"-1\"\n"
	    "r.yaml:7:15: error: sum() takes 2 or 3 arguments, got 1\n"
	    "r.yaml:8:47: error: the number of years of seasonal_expected() must be "
	    "an integer literal from 1 to 10\n");
	/* {{expected}} or {{ratio}} without an expected could only say "n/a" */
	expect(RULE_HEAD "    above: { warning: 1 }\n"
	    "    summary: \"{{observed}} vu, {{expected}} attendu\"\n",
	    "r.yaml:6:32: error: the summary of rule \"r1\" uses {{expected}} but "
	    "the rule has no \"expected\"\n");
	expect(RULE_HEAD "    above: { warning: 1 }\n"
	    "    summary: \"{{ ratio }} fois\"\n",
	    "r.yaml:6:15: error: the summary of rule \"r1\" uses {{ratio}} but "
	    "the rule has no \"expected\"\n");
}

Test(ruleset, scope_globs_are_checked_at_the_offending_character)
{
	expect(RULE_HEAD "    above: { warning: 1 }\n"
	    "    scope: [\"acme/**\", acme/*x, \"a b\"]\n",
	    "r.yaml:6:29: error: invalid scope \"acme/*x\": '*' must be a whole "
	    "segment ('*' or '**')\n"
	    "r.yaml:6:35: error: invalid scope \"a b\": invalid character in unit "
	    "glob\n");
	expect(RULE_HEAD "    above: { warning: 1 }\n"
	    "    scope: [\"acme/épinal/**\", \"acme/x×y\"]\n",
	    "r.yaml:6:19: error: invalid scope \"acme/épinal/**\": accented or "
	    "non-ASCII character in unit glob; did you mean \"acme/epinal/**\"?\n"
	    "r.yaml:6:38: error: invalid scope \"acme/x×y\": accented or "
	    "non-ASCII character in unit glob\n");
	expect(RULE_HEAD "    above: { warning: 1 }\n    scope: []\n",
	    "r.yaml:6:12: error: \"scope\" must not be an empty list\n");
	expect(RULE_HEAD "    above: { warning: 1 }\n    scope: { a: b }\n",
	    "r.yaml:6:12: error: \"scope\" must be a unit glob or a list of them, "
	    "found a mapping\n");
}

Test(ruleset, notify_takes_a_list_of_role_names)
{
	expect(RULE_HEAD "    above: { warning: 1 }\n    notify: hr\n",
	    "r.yaml:6:13: error: \"notify\" must be a list of roles such as "
	    "[social-worker, hr], found \"hr\"\n");
	expect(RULE_HEAD "    above: { warning: 1 }\n    notify: [hr, Social]\n",
	    "r.yaml:6:18: error: invalid role name \"Social\" (use a-z, 0-9, \"_\" "
	    "and \"-\", starting with a letter or digit)\n");
}

Test(ruleset, labels_are_a_mapping_of_names_to_strings)
{
	expect(RULE_HEAD "    above: { warning: 1 }\n"
	    "    labels: { 1a: x, ok: [1] }\n",
	    "r.yaml:6:15: error: invalid label name \"1a\" (use letters, digits and "
	    "\"_\", not starting with a digit)\n"
	    "r.yaml:6:26: error: label \"ok\" must be a string, found a list\n");
	expect(RULE_HEAD "    above: { warning: 1 }\n    labels: [a]\n",
	    "r.yaml:6:13: error: \"labels\" must be a mapping of names to strings, "
	    "found a list\n");
}

Test(ruleset, summary_placeholders_are_checked_where_they_are_written)
{
	expect(RULE_HEAD "    above: { warning: 1 }\n"
	    "    summary: \"x {{valeur}} {{ unit }} {{nope_at_all}} {{rule\"\n",
	    "r.yaml:6:17: error: unknown placeholder \"{{valeur}}\" in \"summary\" "
	    "(did you mean \"{{value}}\"?)\n"
	    "r.yaml:6:39: error: unknown placeholder \"{{nope_at_all}}\" in "
	    "\"summary\" (known: {{rule}}, {{title}}, {{unit}}, {{period}}, "
	    "{{severity}}, {{value}}, {{threshold}}, {{since}}, {{observed}}, "
	    "{{expected}}, {{ratio}})\n"
	    "r.yaml:6:55: error: unterminated placeholder in \"summary\": \"{{\" "
	    "without \"}}\"\n");
	/* In a folded block the position follows the text onto its line. */
	expect(RULE_HEAD "    above: { warning: 1 }\n"
	    "    summary: >\n"
	    "      Value {{value}}\n"
	    "      in {{ unti }}.\n",
	    "r.yaml:8:10: error: unknown placeholder \"{{unti}}\" in \"summary\" "
	    "(did you mean \"{{unit}}\"?)\n");
}

/* Only the summary is a template: elsewhere a placeholder would reach
 * readers as written. A warning, so that a file that loaded still does. */
Test(ruleset, placeholders_outside_the_summary_are_a_warning)
{
	expect_warnings("rules:\n  - id: r1\n"
	    "    title: \"Absences de {{ unit }} en hausse\"\n"
	    "    value: x\n    above: { warning: 1 }\n"
	    "    guidance:\n      hr: Voir {{unit}}.\n      default: Rien.\n"
	    "  - id: r2\n    title: T\n    value: x\n    above: { warning: 1 }\n"
	    "    guidance: >\n      En hausse de\n      {{value}}.\n",
	    "r.yaml:3:25: warning: {{ unit }} in \"title\" is shown as written: "
	    "placeholders are replaced only in \"summary\"\n"
	    "r.yaml:7:16: warning: {{unit}} in \"guidance\" is shown as written: "
	    "placeholders are replaced only in \"summary\"\n"
	    "r.yaml:15:7: warning: {{value}} in \"guidance\" is shown as written: "
	    "placeholders are replaced only in \"summary\"\n");
}

/* {unit} is plain text; {x} or a lone brace is no placeholder at all. */
Test(ruleset, a_known_placeholder_in_single_braces_is_a_warning)
{
	expect_warnings(RULE_HEAD "    above: { warning: 1 }\n"
	    "    summary: \"{ value } en {unit} ({x}, {{period}} {y {since})\"\n",
	    "r.yaml:6:15: warning: placeholders take double braces: write "
	    "{{value}}, not {value}\n"
	    "r.yaml:6:28: warning: placeholders take double braces: write "
	    "{{unit}}, not {unit}\n"
	    "r.yaml:6:55: warning: placeholders take double braces: write "
	    "{{since}}, not {since}\n");
	expect_warnings(RULE_HEAD "    above: { warning: 1 }\n"
	    "    summary: \"{{value}} en {{ unit }}\"\n", "");
}

Test(ruleset, string_keys_refuse_lists_and_empty_values)
{
	expect("rules:\n  - id: r1\n    title: [a]\n    value: x\n"
	    "    above: { warning: 1 }\n    guidance:\n",
	    "r.yaml:3:12: error: \"title\" must be a string, or its text in each "
	    "language as in { fr: \"...\", en: \"...\" }, found a list\n"
	    "r.yaml:6:14: error: \"guidance\" must not be empty\n");
}

Test(ruleset, guidance_may_be_one_text_per_role)
{
	write_file("r.yaml", RULE_HEAD "    above: { warning: 1 }\n"
	    "    guidance:\n"
	    "      social-worker: Rencontrer l'équipe.\n"
	    "      hr: Revoir la charge.\n"
	    "      default: Voir le service social.\n"
	    "  - id: r2\n    title: T\n    value: x\n    above: { warning: 1 }\n"
	    "    guidance: { cse-cssct: Inscrire à l'ordre du jour., hr: Former. }\n"
	    "  - id: r3\n    title: T\n    value: x\n    above: { warning: 1 }\n"
	    "    guidance: Pour tous.\n"
	    "  - id: r4\n    title: T\n    value: x\n    above: { warning: 1 }\n");
	struct ruleset *rs = load_ok("r.yaml");
	const struct rule *r1 = &rs->rules[0], *r2 = &rs->rules[1];
	const struct rule *r3 = &rs->rules[2], *r4 = &rs->rules[3];

	cr_assert_str_eq(rule_guidance(r1, "social-worker"), "Rencontrer l'équipe.");
	cr_assert_str_eq(rule_guidance(r1, "hr"), "Revoir la charge.");
	/* a role without its own text, or no role, reads the default */
	cr_assert_str_eq(rule_guidance(r1, "ops"), "Voir le service social.");
	cr_assert_str_eq(rule_guidance(r1, NULL), "Voir le service social.");
	/* the field callers already read keeps meaning "for every role" */
	cr_assert_str_eq(r1->guidance, "Voir le service social.");
	cr_assert_eq(r1->nguidance_roles, 2);
	/* roles are configuration: any well-formed name is accepted */
	cr_assert_str_eq(rule_guidance(r2, "cse-cssct"), "Inscrire à l'ordre du jour.");
	cr_assert_str_eq(rule_guidance(r2, "hr"), "Former.");
	cr_assert_null(rule_guidance(r2, "social-worker"));
	cr_assert_null(rule_guidance(r2, NULL));
	cr_assert_null(r2->guidance);
	cr_assert_str_eq(rule_guidance(r3, "hr"), "Pour tous.");
	cr_assert_str_eq(rule_guidance(r3, NULL), "Pour tous.");
	cr_assert_eq(r3->nguidance_roles, 0);
	cr_assert_null(rule_guidance(r4, "hr"));
	ruleset_free(rs);
}

Test(ruleset, guidance_mapping_errors_name_the_role_and_the_place)
{
	expect(RULE_HEAD "    above: { warning: 1 }\n"
	    "    guidance: {}\n",
	    "r.yaml:6:15: error: \"guidance\" must not be an empty mapping: give a "
	    "text for at least one role, or a string for every role\n");
	expect(RULE_HEAD "    above: { warning: 1 }\n"
	    "    guidance:\n"
	    "      hr: [a, b]\n"
	    "      social-worker: { text: x }\n"
	    "      default:\n"
	    "      Social Worker: x\n"
	    "      ops: \"\"\n",
	    "r.yaml:7:11: error: the guidance for role \"hr\" must be a string, "
	    "found a list\n"
	    "r.yaml:8:24: error: unknown key \"text\" in the guidance for role "
	    "\"social-worker\" (known keys: fr, en)\n"
	    "r.yaml:9:15: error: the guidance for role \"default\" must not be "
	    "empty\n"
	    "r.yaml:10:7: error: invalid role name \"Social Worker\" in "
	    "\"guidance\" (use a-z, 0-9, \"_\" and \"-\", starting with a letter "
	    "or digit)\n"
	    "r.yaml:11:12: error: the guidance for role \"ops\" must not be "
	    "empty\n");
	expect(RULE_HEAD "    above: { warning: 1 }\n"
	    "    guidance: [a, b]\n",
	    "r.yaml:6:15: error: \"guidance\" must be a string or a mapping of role "
	    "names to texts such as { social-worker: \"...\", hr: \"...\" }, found "
	    "a list\n");
}

/* Expression errors come from expr_compile; what this module owes is the
 * position, which must be the character inside the scalar however it is
 * quoted or folded. */
static void expect_one_error_at(const char *yaml, const char *prefix)
{
	char *got;

	write_file("r.yaml", yaml);
	got = load_errors("r.yaml");
	cr_expect(!strncmp(got, prefix, strlen(prefix)), "want %s..., got %s",
	    prefix, got);
	cr_expect_eq(strchr(got, '\n') - got + 1, (long)strlen(got),
	    "one error expected: %s", got);
	free(got);
}

Test(ruleset, expression_errors_point_inside_a_plain_scalar)
{
	expect_one_error_at("rules:\n  - id: r1\n    title: T\n"
	    "    value: 100 * absence_days $ 2\n    above: { warning: 1 }\n",
	    "r.yaml:4:31: error: ");
}

Test(ruleset, expression_errors_point_inside_a_double_quoted_scalar)
{
	expect_one_error_at("rules:\n  - id: r1\n    title: T\n"
	    "    value: \"sum(a, 3) \\t $ 2\"\n    above: { warning: 1 }\n",
	    "r.yaml:4:26: error: ");
}

Test(ruleset, expression_errors_point_inside_a_folded_scalar)
{
	expect_one_error_at("rules:\n  - id: r1\n    title: T\n"
	    "    value: >\n      100 * sum(absence_days, 3)\n"
	    "        / sum(workable_days $ 3)\n"
	    "    above: { warning: 1 }\n",
	    "r.yaml:6:29: error: ");
}

/* An anchor or a tag before the scalar is not part of it (SPEC 6: the
 * position of the offending character). */
Test(ruleset, expression_errors_point_inside_an_anchored_or_tagged_scalar)
{
	expect_one_error_at("rules:\n  - id: r1\n    title: T\n"
	    "    value: &v \"1 + * 2\"\n    above: { warning: 1 }\n",
	    "r.yaml:4:20: error: ");
	expect_one_error_at("rules:\n  - id: r1\n    title: T\n"
	    "    value: !!str 1 + * 2\n    above: { warning: 1 }\n",
	    "r.yaml:4:22: error: ");
	expect_one_error_at("rules:\n  - id: r1\n    title: T\n"
	    "    value: &w !!str 'x $ 2'\n    above: { warning: 1 }\n",
	    "r.yaml:4:24: error: ");
}

Test(ruleset, expression_errors_in_when_too)
{
	expect_one_error_at(RULE_HEAD "    above: { warning: 1 }\n"
	    "    when: 'headcount >> 3'\n",
	    "r.yaml:6:23: error: ");
}

Test(ruleset, file_shape_errors)
{
	expect("- a\n", "r.yaml:1:1: error: a rule file must be a mapping with "
	    "the key \"rules\", found a list\n");
	expect("rule: []\n", "r.yaml:1:1: error: unknown key \"rule\" (did you "
	    "mean \"rules\"?)\nr.yaml:1:1: error: missing key \"rules\" (a list of "
	    "rules)\n");
	expect("rules: {}\n", "r.yaml:1:8: error: \"rules\" must be a list of "
	    "rules, found a mapping\n");
	expect("", "r.yaml:1:1: error: empty rule file: expected \"rules:\" "
	    "followed by a list of rules\n");
	expect("rules:\n  - 3\n", "r.yaml:2:5: error: a rule must be a mapping "
	    "(id:, title:, value:, ...), found \"3\"\n");
}

Test(ruleset, a_missing_file_is_an_error)
{
	char *got = load_errors("nope.yaml");

	cr_assert_str_eq(got, "nope.yaml: error: cannot open: No such file or directory\n");
	free(got);
}

Test(ruleset, an_empty_folder_is_a_valid_empty_set)
{
	cr_assert_eq(mkdir("d", 0700), 0);
	write_file("d/.hidden.yaml", "not: valid\n");
	write_file("d/notes.txt", "ignored\n");
	struct ruleset *rs = load_ok("d");
	cr_assert_eq(rs->n, 0);
	cr_assert_eq(rs->nfiles, 0);
	ruleset_free(rs);
	write_file("e.yaml", "rules: []\n");
	rs = load_ok("e.yaml");
	cr_assert_eq(rs->n, 0);
	ruleset_free(rs);
}

/* A file that looks like a rule file but is not read: its rules would not
 * exist, without a word. Notepad's r.yaml.txt shows as r.yaml in Windows'
 * Explorer, which hides the .txt. */
Test(ruleset, a_folder_file_not_named_yaml_is_a_warning)
{
#define NOT_READ "not read: only the files named *.yaml of a rules folder " \
	"are rule files"
	static const char *const want[][2] = {
		{ "d/b.yml", NOT_READ " (rename it to end in .yaml)" },
		{ "d/c.YAML", NOT_READ " (rename it to end in .yaml)" },
		{ "d/60-maison.yaml.txt", NOT_READ ", and this name ends in .txt, "
		  "which Windows hides (rename it to 60-maison.yaml)" },
		{ "d/e.yml.TXT", NOT_READ ", and this name ends in .TXT, which "
		  "Windows hides (rename it to e.yaml)" },
	};
#undef NOT_READ
	struct diags w = { 0 };

	cr_assert_eq(mkdir("d", 0700), 0);
	write_file("d/a.yaml", "rules: []\n");
	write_file("d/notes.txt", "x\n");
	write_file("d/.f.yaml.txt", "x\n");
	for (size_t i = 0; i < 4; i++)
		write_file(want[i][0], "rules: []\n");
	cr_assert_eq(ruleset_check_folder("d", &w), 4);
	cr_assert_eq(w.n, 4);
	for (size_t i = 0; i < 4; i++) {
		size_t j = 0;

		while (j < w.n && strcmp(w.v[j].file, want[i][0]))
			j++;
		cr_assert_lt(j, w.n, "no warning for %s", want[i][0]);
		cr_expect_str_eq(w.v[j].msg, want[i][1]);
		cr_expect_eq(w.v[j].line, 0);
	}
	diags_free(&w);
}

Test(ruleset, folder_files_load_in_name_order)
{
	cr_assert_eq(mkdir("d", 0700), 0);
	write_file("d/b.yaml", "rules:\n  - { id: b, title: t, value: x, above: { warning: 1 } }\n");
	write_file("d/a.yaml", "rules:\n  - { id: a, title: t, value: x, above: { warning: 1 } }\n");
	write_file("d/B.yaml", "rules:\n  - { id: c, title: t, value: x, above: { warning: 1 } }\n");
	struct ruleset *rs = load_ok("d");
	cr_assert_eq(rs->nfiles, 3);
	cr_assert_str_eq(rs->files[0], "d/B.yaml");
	cr_assert_str_eq(rs->files[1], "d/a.yaml");
	cr_assert_str_eq(rs->files[2], "d/b.yaml");
	cr_assert_str_eq(rs->rules[0].id, "c");
	cr_assert_str_eq(rs->rules[2].id, "b");
	cr_assert_eq(ruleset_find(rs, "a"), &rs->rules[1]);
	cr_assert_null(ruleset_find(rs, "zz"));
	ruleset_free(rs);
}

Test(ruleset, scope_matches_any_of_its_globs)
{
	write_file("r.yaml", RULE_HEAD "    above: { warning: 1 }\n"
	    "    scope: [acme/nancy/**, acme/*/logistics]\n");
	struct ruleset *rs = load_ok("r.yaml");
	const struct rule *r = &rs->rules[0];

	cr_assert(rule_in_scope(r, "acme/nancy/a"));
	cr_assert(rule_in_scope(r, "acme/metz/logistics"));
	cr_assert(!rule_in_scope(r, "acme/nancy"));
	cr_assert(!rule_in_scope(r, "acme/metz/sales"));
	ruleset_free(rs);
}

Test(ruleset, refuses_a_file_larger_than_the_limit)
{
	FILE *f = fopen("big.yaml", "w");

	cr_assert_not_null(f);
	fputs("rules: []\n", f);
	for (size_t n = 10; n <= YAML_MAX_BYTES; n += 10)
		fputs("#........\n", f);
	fclose(f);
	char *got = load_errors("big.yaml");
	cr_assert_str_eq(got, "big.yaml: error: file is larger than 4194304 bytes; refusing it\n");
	free(got);
}

Test(ruleset, refuses_more_than_ten_thousand_rules)
{
	FILE *f = fopen("many.yaml", "w");

	cr_assert_not_null(f);
	fputs("rules:\n", f);
	for (int i = 0; i <= RULESET_MAX_RULES; i++)
		fprintf(f, "- {id: r%d, title: t, value: x, above: {warning: 1}}\n", i);
	fclose(f);
	char *got = load_errors("many.yaml");
	cr_assert_str_eq(got, "many.yaml:10002:3: error: too many rules: a rule set "
	    "holds at most 10000\n");
	free(got);
}

Test(ruleset, refuses_an_alias_bomb_quickly)
{
	struct timespec t0, t1;

	write_file("bomb.yaml",
	    "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
	    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
	    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
	    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
	    "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
	    "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
	    "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
	    "i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]\n"
	    "rules: [*i]\n");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	char *got = load_errors("bomb.yaml");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	cr_assert(strstr(got, "alias bomb"), "%s", got);
	cr_assert_lt(secs, 1.0);
	free(got);
}

Test(ruleset, a_file_named_twice_is_read_once)
{
	const char *paths[] = { "d/r.yaml", "d", "./d/r.yaml" };
	struct diags d = { 0 };

	cr_assert_eq(mkdir("d", 0700), 0);
	write_file("d/r.yaml", RULE_HEAD "    above: { warning: 1 }\n");
	struct ruleset *rs = ruleset_load_paths(paths, 3, NULL, &d);
	cr_assert_not_null(rs);
	cr_assert_eq(rs->n, 1);
	cr_assert_eq(rs->nfiles, 1);
	cr_assert_str_eq(rs->files[0], "d/r.yaml");
	ruleset_free(rs);
	diags_free(&d);
}

/* measure, components, compare (what digests show, SPEC 16). */
Test(ruleset, measure_components_and_compare)
{
	struct ruleset *rs;

	write_file("ok.yaml", RULE_HEAD "    above: { warning: 1 }\n"
	    "    measure: conflits sur 3 mois\n"
	    "    components: { absences: x > 1, démissions: x > 2 }\n"
	    "    compare: { entreprise: x * 2 }\n");
	rs = load_ok("ok.yaml");
	cr_assert_str_eq(rs->rules[0].measure, "conflits sur 3 mois");
	cr_assert_eq(rs->rules[0].ncomponents, 2);
	cr_assert_str_eq(rs->rules[0].components[1].label, "démissions");
	cr_assert_eq(rs->rules[0].ncompare, 1);
	ruleset_free(rs);
	expect(RULE_HEAD "    above: { warning: 1 }\n    components: [x]\n",
	    "r.yaml:6:17: error: \"components\" must be a mapping of labels to expressions, "
	    "such as { \"conflits et réclamations\": nbinom_tail(...) }, found a list\n");
	expect(RULE_HEAD "    above: { warning: 1 }\n    compare: { a: x + }\n",
	    "r.yaml:6:22: error: expected an expression after \"+\"\n");
	expect(RULE_HEAD "    above: { warning: 1 }\n    measure: \"a\\nb\"\n",
	    "r.yaml:6:14: error: \"measure\" must be one line of text\n");
}

/* A reader of the alerts (the console at start, vigie alerts) loads the
 * files without errors: a broken file is left out, and both files of an
 * id given twice (which of them the daemon runs is not known: a draft's
 * burnout must not be shown in place of the library's), the others'
 * rules kept; the errors are all in d. */
Test(ruleset, the_files_without_errors_load_for_a_reader)
{
	struct diags d = { 0 };
	char **left = NULL;
	size_t nleft = 0;
	struct ruleset *rs;

	cr_assert_eq(mkdir("rules.d", 0700), 0);
	write_file("rules.d/a.yaml", "rules:\n  - id: a\n    title: A\n    value: x\n"
	    "    above: { warning: 1 }\n  - id: a2\n    title: A2\n    value: x\n"
	    "    above: { warning: 2 }\n");
	write_file("rules.d/b.yaml", "rules:\n  - id: b\n    title: B\n    value: x\n"
	    "    above: { warning: 1,5 }\n");
	write_file("rules.d/c.yaml", "rules:\n  - id: a\n    title: A again\n"
	    "    value: x\n    above: { warning: 1 }\n");
	write_file("rules.d/d.yaml", "rules:\n  - id: d\n    title: D\n    value: x\n"
	    "    above: { warning: 1 }\n");
	rs = ruleset_load_valid("rules.d", NULL, &d, &left, &nleft);
	cr_assert_not_null(rs);
	cr_assert_eq(rs->n, 1);
	cr_assert_str_eq(rs->rules[0].id, "d");
	cr_assert_eq(nleft, 3);
	cr_assert_str_eq(left[0], "rules.d/a.yaml");
	cr_assert_str_eq(left[1], "rules.d/b.yaml");
	cr_assert_str_eq(left[2], "rules.d/c.yaml");
	cr_assert_geq(d.n, 2, "every error said");
	for (size_t i = 0; i < nleft; i++)
		free(left[i]);
	free(left);
	ruleset_free(rs);
	diags_free(&d);
	/* The draft's clash gone, the library's file loads again. */
	cr_assert_eq(remove("rules.d/c.yaml"), 0);
	rs = ruleset_load_valid("rules.d", NULL, &d, &left, &nleft);
	cr_assert_eq(rs->n, 3);
	cr_assert_eq(nleft, 1);
	free(left[0]);
	free(left);
	ruleset_free(rs);
	diags_free(&d);
	write_file("rules.d/c.yaml", "rules:\n  - id: c\n    title: C\n    value: x\n"
	    "    above: { warning: 1 }\n");
	/* Nothing to leave out: the same as ruleset_load. */
	cr_assert_eq(remove("rules.d/b.yaml"), 0);
	rs = ruleset_load_valid("rules.d", NULL, &d, &left, &nleft);
	cr_assert_not_null(rs);
	cr_assert_eq(rs->n, 4);
	cr_assert_eq(nleft, 0);
	cr_assert_null(left);
	ruleset_free(rs);
	diags_free(&d);
}

/* period: the granularity a rule is written for (vigie-rules(5)). */
Test(ruleset, period_is_month_or_week)
{
	write_file("r.yaml", RULE_HEAD "    above: { warning: 1 }\n"
	    "    period: week\n"
	    "  - id: r2\n    title: T\n    value: x\n    above: { warning: 1 }\n"
	    "    period: month\n"
	    "  - id: r3\n    title: T\n    value: x\n    above: { warning: 1 }\n");
	struct ruleset *rs = load_ok("r.yaml");

	cr_assert(rs->rules[0].period_set);
	cr_assert_eq(rs->rules[0].period, GRAN_WEEK);
	cr_assert_eq(rs->rules[0].period_line, 6);
	cr_assert_eq(rs->rules[0].period_col, 13);
	cr_assert(rs->rules[1].period_set);
	cr_assert_eq(rs->rules[1].period, GRAN_MONTH);
	cr_assert_not(rs->rules[2].period_set, "not set: any granularity");
	cr_assert(rule_runs_on(&rs->rules[0], GRAN_WEEK));
	cr_assert_not(rule_runs_on(&rs->rules[0], GRAN_MONTH));
	cr_assert_not(rule_runs_on(&rs->rules[1], GRAN_WEEK));
	cr_assert(rule_runs_on(&rs->rules[2], GRAN_WEEK));
	cr_assert(rule_runs_on(&rs->rules[2], GRAN_MONTH));
	cr_assert_eq(ruleset_count_other_period(rs, GRAN_WEEK), 1);
	cr_assert_eq(ruleset_count_other_period(rs, GRAN_MONTH), 1);
	ruleset_free(rs);
}

Test(ruleset, period_bad_values)
{
	expect(RULE_HEAD "    above: { warning: 1 }\n    period: quarter\n"
	    "  - id: r2\n    title: T\n    value: x\n    above: { warning: 1 }\n"
	    "    period: mois\n"
	    "  - id: r3\n    title: T\n    value: x\n    above: { warning: 1 }\n"
	    "    period: [week]\n"
	    "  - id: r4\n    title: T\n    value: x\n    above: { warning: 1 }\n"
	    "    période: week\n",
	    "r.yaml:6:13: error: \"period\" must be month or week (the "
	    "granularity the rule's windows and texts are written for), found "
	    "\"quarter\"\n"
	    "r.yaml:11:13: error: \"period\" must be month or week, found "
	    "\"mois\"; did you mean \"month\"?\n"
	    "r.yaml:16:13: error: \"period\" must be month or week (the "
	    "granularity the rule's windows and texts are written for), found "
	    "a list\n"
	    "r.yaml:21:5: error: unknown key \"période\" (did you mean "
	    "\"period\"?)\n");
}

/* What vigie check and the daemon say of a rule written for the other
 * granularity: at its period:, and a disabled rule says nothing. */
Test(ruleset, period_other_than_the_database_is_a_warning)
{
	write_file("r.yaml", RULE_HEAD "    above: { warning: 1 }\n"
	    "    period: month\n"
	    "  - id: r2\n    title: T\n    value: x\n    above: { warning: 1 }\n"
	    "    period: month\n    enabled: false\n"
	    "  - id: r3\n    title: T\n    value: x\n    above: { warning: 1 }\n"
	    "    period: week\n");
	struct ruleset *rs = load_ok("r.yaml");
	struct diags w = { .kind = "warning" };
	char *got;

	cr_assert_eq(ruleset_check_period(rs, GRAN_WEEK, &w), 1);
	got = diags_to_string(&w, 0);
	cr_expect_str_eq(got, "r.yaml:6:13: warning: rule \"r1\" is written for "
	    "months (period: month): on this weekly database its windows would "
	    "count weeks and its texts say months; it is not evaluated — copy "
	    "it, rewrite its windows and texts for weeks, and set period: week\n");
	free(got);
	diags_free(&w);
	w = (struct diags){ .kind = "warning" };
	cr_assert_eq(ruleset_check_period(rs, GRAN_MONTH, &w), 1);
	got = diags_to_string(&w, 0);
	cr_expect_str_eq(got, "r.yaml:17:13: warning: rule \"r3\" is written for "
	    "weeks (period: week): on this monthly database its windows would "
	    "count months and its texts say weeks; it is not evaluated — copy "
	    "it, rewrite its windows and texts for months, and set period: month\n");
	free(got);
	diags_free(&w);
	ruleset_free(rs);
}
