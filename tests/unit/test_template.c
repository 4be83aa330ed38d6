/* Number formatting and summary templates (SPEC 5): what a social worker
 * reads in an email or a chat message. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/cli.h"
#include "vigie/rules.h"

static void expect_number(double x, int decimals, enum locale loc, const char *want)
{
	char buf[64];

	cr_expect_str_eq(format_number(buf, sizeof(buf), x, decimals, loc), want,
	    "format_number(%.17g, %d, %s)", x, decimals, loc == LOC_FR ? "fr" : "en");
}

/* The command line's tables: the rule's decimals unless they would be more
 * than 5 % off, then two significant digits (a probability of 0.05 at one
 * decimal reads 0.05, not 0.1 against a threshold of 0.006). */
Test(template, table_numbers_keep_two_significant_digits_when_decimals_lose_them)
{
	char buf[64];

	cr_expect_str_eq(cli_number(buf, sizeof(buf), 0.0500178, 1), "0.05");
	cr_expect_str_eq(cli_number(buf, sizeof(buf), 4.1e-10, 1), "4.1e-10");
	cr_expect_str_eq(cli_number(buf, sizeof(buf), 0.036, 1), "0.036");
	cr_expect_str_eq(cli_number(buf, sizeof(buf), 12.583333, 1), "12.6");
	cr_expect_str_eq(cli_number(buf, sizeof(buf), 0.5, 1), "0.5");
	cr_expect_str_eq(cli_number(buf, sizeof(buf), 0.96, 1), "1");
	cr_expect_str_eq(cli_number(buf, sizeof(buf), 0, 1), "0");
	cr_expect_str_eq(cli_number(buf, sizeof(buf), -0.05, 1), "-0.05");
}

Test(template, numbers_drop_trailing_zeros_and_use_a_french_comma)
{
	expect_number(12.583333, 1, LOC_FR, "12,6");
	expect_number(12.583333, 1, LOC_EN, "12.6");
	expect_number(9, 1, LOC_FR, "9");
	expect_number(9.0, 2, LOC_EN, "9");
	expect_number(9.04, 1, LOC_EN, "9");
	expect_number(9.5, 3, LOC_FR, "9,5");
	expect_number(1234567.891, 2, LOC_EN, "1234567.89");
	expect_number(100, 0, LOC_EN, "100");
	expect_number(0, 1, LOC_FR, "0");
}

Test(template, numbers_round_as_printf_does)
{
	char want[64];

	snprintf(want, sizeof(want), "%.2f", 0.005);
	expect_number(0.005, 2, LOC_EN, want);
	expect_number(0.005, 2, LOC_EN, "0.01");
	/* 0.125 is exact in binary: printf rounds the tie to even. */
	expect_number(0.125, 2, LOC_EN, "0.12");
	expect_number(2.5, 0, LOC_EN, "2");
	expect_number(0.96, 1, LOC_EN, "1");
}

Test(template, negative_numbers_keep_their_sign_as_printf_writes_it)
{
	expect_number(-3.25, 1, LOC_FR, "-3,2");
	expect_number(-3.26, 1, LOC_EN, "-3.3");
	/* SPEC 5: as printf("%.*f") writes it, trailing zeros dropped:
	 * "-0.0" becomes "-0". */
	expect_number(-0.04, 1, LOC_EN, "-0");
	expect_number(-0.0, 2, LOC_FR, "-0");
}

Test(template, numbers_fit_a_small_buffer)
{
	char buf[4];

	cr_assert_str_eq(format_number(buf, sizeof(buf), 12345.5, 1, LOC_EN), "123");
}

static struct rule make_rule(const char *summary, int decimals)
{
	struct rule r;

	memset(&r, 0, sizeof(r));
	r.id = (char *)"absenteeism-rate";
	r.title = (char *)"Taux d'absentéisme élevé";
	r.summary = (char *)summary;
	r.decimals = decimals;
	return r;
}

static void expect_render(const struct rule *r, const struct template_vars *tv,
    enum locale loc, const char *want)
{
	char *got = rule_render_summary(r, tv, loc);

	cr_expect_str_eq(got, want);
	free(got);
}

Test(template, every_placeholder_is_replaced)
{
	struct rule r = make_rule("{{rule}}|{{title}}|{{unit}}|{{period}}|"
	    "{{severity}}|{{value}}|{{threshold}}|{{since}}|{{ value }}", 1);
	struct template_vars tv = {
		.unit = "acme/a", .period = "2025-06", .since = "2025-05",
		.severity = SEV_CRITICAL, .value = 12.583333, .threshold = 9,
	};

	expect_render(&r, &tv, LOC_FR, "absenteeism-rate|Taux d'absentéisme élevé|"
	    "acme/a|2025-06|critical|12,6|9|2025-05|12,6");
	expect_render(&r, &tv, LOC_EN, "absenteeism-rate|Taux d'absentéisme élevé|"
	    "acme/a|2025-06|critical|12.6|9|2025-05|12.6");
}

Test(template, the_spec_example_renders_exactly)
{
	struct rule r = make_rule("Absentéisme de {{value}} % sur 3 mois "
	    "({{unit}}, seuil {{threshold}} %)", 1);
	struct template_vars tv = {
		.unit = "acme/a", .period = "2025-06", .since = "2025-05",
		.severity = SEV_CRITICAL, .value = 12.583333, .threshold = 9,
	};

	expect_render(&r, &tv, LOC_FR,
	    "Absentéisme de 12,6 % sur 3 mois (acme/a, seuil 9 %)");
}

Test(template, hidden_values_say_so_in_each_language)
{
	struct rule r = make_rule("{{value}} / {{threshold}}", 1);
	struct template_vars tv = {
		.unit = "acme/a", .period = "2025-06", .since = "2025-05",
		.severity = SEV_WARNING, .value = NAN, .threshold = 6,
	};

	expect_render(&r, &tv, LOC_FR, "valeur masquée / 6");
	expect_render(&r, &tv, LOC_EN, "hidden value / 6");
	tv.threshold = NAN;
	expect_render(&r, &tv, LOC_EN, "hidden value / hidden value");
}

Test(template, observed_against_expected)
{
	struct rule r = make_rule("{{observed}} conflits en 3 mois, environ "
	    "{{expected}} attendus ({{ratio}} fois plus)", 1);
	struct template_vars tv = {
		.unit = "acme/a", .period = "2026-10", .since = "2026-09",
		.severity = SEV_WARNING, .value = 0.0004, .threshold = 0.001,
		.has_expected = true, .observed = 7, .expected = 0.912,
	};

	expect_render(&r, &tv, LOC_FR, "7 conflits en 3 mois, environ 0,9 "
	    "attendus (7,7 fois plus)");
	expect_render(&r, &tv, LOC_EN, "7 conflits en 3 mois, environ 0.9 "
	    "attendus (7.7 fois plus)");
	/* a baseline without enough history: not available */
	tv.expected = NAN;
	expect_render(&r, &tv, LOC_FR, "7 conflits en 3 mois, environ n.d. "
	    "attendus (n.d. fois plus)");
	tv.expected = 0;
	expect_render(&r, &tv, LOC_EN, "7 conflits en 3 mois, environ 0 "
	    "attendus (n/a fois plus)");
	/* the value hidden: everything is */
	tv.value = tv.observed = tv.expected = NAN;
	expect_render(&r, &tv, LOC_FR, "valeur masquée conflits en 3 mois, "
	    "environ valeur masquée attendus (valeur masquée fois plus)");
	/* resolved for missing data (carry_over) */
	tv.missing = true;
	expect_render(&r, &tv, LOC_EN, "missing data conflits en 3 mois, "
	    "environ missing data attendus (missing data fois plus)");
}

/* An expected figure the rule's decimals would round to 0 though it is not
 * gets one significant digit (up to 3 decimals): « attendu : 0 » reads as
 * impossible (a probe read « Observé : 1, attendu : 0 » for 0.017). */
Test(template, a_small_expected_figure_is_never_shown_as_zero)
{
	struct rule r = make_rule("{{observed}} signalement, {{expected}} attendu", 0);
	struct template_vars tv = {
		.unit = "acme/a", .period = "2026-10", .since = "2026-10",
		.severity = SEV_CRITICAL, .value = 0.017, .threshold = 0.001,
		.has_expected = true, .observed = 1, .expected = 0.01711618,
	};

	expect_render(&r, &tv, LOC_FR, "1 signalement, 0,02 attendu");
	tv.expected = 0.4;
	expect_render(&r, &tv, LOC_FR, "1 signalement, 0,4 attendu");
	tv.expected = 0.6;
	expect_render(&r, &tv, LOC_FR, "1 signalement, 1 attendu");
	tv.expected = 0;
	expect_render(&r, &tv, LOC_FR, "1 signalement, 0 attendu");
	cr_expect_eq(figure_decimals(0.017, 0), 2);
	cr_expect_eq(figure_decimals(0.017, 1), 2);
	cr_expect_eq(figure_decimals(0.25, 1), 1);
	cr_expect_eq(figure_decimals(2.5, 0), 0);
	cr_expect_eq(figure_decimals(-0.003, 0), 3);
	cr_expect_eq(figure_decimals(1e-9, 1), FIGURE_DECIMALS_MAX);
	cr_expect_eq(figure_decimals(NAN, 1), 1);
	cr_expect_eq(figure_decimals(0.02, -1), 2);

	/* and the command line's OBSERVED and EXPECTED columns */
	char buf[64];

	cr_expect_str_eq(cli_figure(buf, sizeof(buf), 0.01711618, 0), "0.02");
	cr_expect_str_eq(cli_figure(buf, sizeof(buf), 7, 0), "7");
}

Test(template, callers_that_do_not_know_expected_never_show_a_zero)
{
	struct rule r = make_rule("{{value}} / {{observed}} / {{expected}}", 1);
	struct template_vars tv = {
		.unit = "u", .period = "p", .since = "s", .severity = SEV_WARNING,
		.value = 3.5, .threshold = 1,
	};

	/* observed is the value when the rule has no observed of its own */
	expect_render(&r, &tv, LOC_FR, "3,5 / 3,5 / n.d.");
	r.observed = (struct expr *)&r;	/* any non-NULL: the rule has one */
	expect_render(&r, &tv, LOC_EN, "3.5 / n/a / n/a");
}

Test(template, a_rule_without_summary_gets_the_default_one)
{
	struct rule r = make_rule(NULL, 2);
	struct template_vars tv = {
		.unit = "acme/nancy", .period = "2025-06", .since = "2025-06",
		.severity = SEV_WARNING, .value = 6.456, .threshold = 6,
	};

	expect_render(&r, &tv, LOC_FR, "Taux d'absentéisme élevé : 6,46 (seuil 6) "
	    "— acme/nancy, 2025-06");
	expect_render(&r, &tv, LOC_EN, "Taux d'absentéisme élevé: 6.46 (threshold 6) "
	    "— acme/nancy, 2025-06");
}

/* A rule that states what it observes and expects is summed up in those
 * terms, never by its score (SPEC 16). */
Test(template, a_rule_with_observed_and_expected_gets_them_by_default)
{
	struct rule r = make_rule(NULL, 1);
	struct template_vars tv = {
		.unit = "acme/nancy", .period = "2025-06", .since = "2025-06",
		.severity = SEV_WARNING, .value = 0.0003, .threshold = 0.001,
		.has_expected = true, .observed = 7, .expected = 0.94,
	};

	r.observed = (struct expr *)&r;	/* any non-NULL: the rule has them */
	r.expected = (struct expr *)&r;
	expect_render(&r, &tv, LOC_FR, "Taux d'absentéisme élevé : 7 observé, 0,9 attendu "
	    "— acme/nancy, 2025-06");
	expect_render(&r, &tv, LOC_EN, "Taux d'absentéisme élevé: 7 observed, 0.9 expected "
	    "— acme/nancy, 2025-06");
	r.expected = NULL;
	tv.observed = 3;
	tv.expected = NAN;
	expect_render(&r, &tv, LOC_EN, "Taux d'absentéisme élevé: 3 observed "
	    "— acme/nancy, 2025-06");
}

Test(template, severity_names_are_the_same_in_both_locales)
{
	struct rule r = make_rule("[{{severity}}]", 1);
	struct template_vars tv = {
		.unit = "u", .period = "p", .since = "s",
		.severity = SEV_WARNING, .value = 1, .threshold = 1,
	};

	expect_render(&r, &tv, LOC_FR, "[warning]");
	tv.severity = SEV_NONE;
	expect_render(&r, &tv, LOC_FR, "[]");
	cr_assert_str_eq(severity_name(SEV_CRITICAL), "critical");
	cr_assert_null(severity_name(SEV_NONE));
}

Test(template, braces_that_are_not_placeholders_stay_as_written)
{
	struct rule r = make_rule("{x} { {value}} {{value}}}", 0);
	struct template_vars tv = {
		.unit = "u", .period = "p", .since = "s",
		.severity = SEV_WARNING, .value = 7.4, .threshold = 1,
	};

	expect_render(&r, &tv, LOC_EN, "{x} { {value}} 7}");
}

static char *check(const char *tpl)
{
	struct diags d = { 0 };
	char *s;

	template_check(tpl, strlen(tpl), "f.yaml", NULL, &d);
	s = diags_to_string(&d, 0);
	diags_free(&d);
	return s;
}

Test(template, check_names_each_bad_placeholder_and_where)
{
	char *s = check("{{value}} {{ vlaue }} {{}} {{since");

	cr_assert_str_eq(s,
	    "f.yaml:1:11: error: unknown placeholder \"{{vlaue}}\" in \"summary\" "
	    "(did you mean \"{{value}}\"?)\n"
	    "f.yaml:1:23: error: unknown placeholder \"{{}}\" in \"summary\" (known: "
	    "{{rule}}, {{title}}, {{unit}}, {{period}}, {{severity}}, {{value}}, "
	    "{{threshold}}, {{since}}, {{observed}}, {{expected}}, {{ratio}})\n"
	    "f.yaml:1:28: error: unterminated placeholder in \"summary\": \"{{\" "
	    "without \"}}\"\n");
	free(s);
	s = check("plain text, {{ rule }} and {{title}}");
	cr_assert_str_eq(s, "");
	free(s);
}
