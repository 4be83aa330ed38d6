/* The texts of a rule in two languages (SPEC 5, vigie-rules(5)): every text
 * a reader sees is a string, the same in both, or { fr: ..., en: ... },
 * and the loader keeps the configured locale's (rule_policy), the other's
 * when it is not written. Both texts are checked whatever the locale. */
#include <criterion/criterion.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vigie/rules.h"
#include "tmpdir.h"

TMPDIR_SUITE(ruletexts, "texts");

/* yaml loaded for loc, which must succeed. */
static struct ruleset *load_in(const char *yaml, enum locale loc)
{
	struct rule_policy p = { .locale = loc };
	struct diags d = { 0 };
	struct ruleset *rs;

	write_file("r.yaml", yaml);
	rs = ruleset_load("r.yaml", &p, &d);
	if (!rs) {
		char *s = diags_to_string(&d, 0);
		cr_assert_fail("r.yaml did not load:\n%s", s);
		free(s);
	}
	diags_free(&d);
	return rs;
}

/* yaml loaded for loc, which must fail with exactly want. */
static void expect_in(const char *yaml, enum locale loc, const char *want)
{
	struct rule_policy p = { .locale = loc };
	struct diags d = { 0 };
	struct ruleset *rs;
	char *got;

	write_file("r.yaml", yaml);
	rs = ruleset_load("r.yaml", &p, &d);
	cr_assert_null(rs, "r.yaml loaded but should not have");
	got = diags_to_string(&d, 0);
	cr_expect_str_eq(got, want);
	free(got);
	diags_free(&d);
}

#define HEAD "rules:\n  - id: r1\n    value: x\n    expected: x\n" \
    "    above: { warning: 1 }\n"

#define BOTH HEAD \
    "    title: { fr: Conflits en hausse, en: Conflicts rising }\n" \
    "    summary:\n" \
    "      fr: \"Conflits : {{observed}} ({{unit}})\"\n" \
    "      en: \"Conflicts: {{observed}} ({{unit}})\"\n" \
    "    measure: { fr: conflits sur 6 mois, en: conflicts over 6 months }\n" \
    "    components:\n" \
    "      conflits:\n" \
    "        en: conflicts\n" \
    "        value: x\n" \
    "      démissions: x\n" \
    "    compare:\n" \
    "      entreprise: { fr: l'entreprise, en: the company, value: x }\n" \
    "    guidance:\n" \
    "      hr: { fr: Revoir la charge., en: Review the workload. }\n" \
    "      social-worker: Rencontrer l'équipe.\n" \
    "      default: { en: Ask the social service. }\n"

Test(ruletexts, a_string_is_the_text_of_both_languages)
{
	static const char yaml[] = HEAD "    title: Conflits\n"
	    "    summary: \"{{observed}} conflits\"\n"
	    "    measure: conflits\n    guidance: Voir.\n"
	    "    components: { conflits: x }\n";

	for (int loc = LOC_FR; loc <= LOC_EN; loc++) {
		struct ruleset *rs = load_in(yaml, (enum locale)loc);
		const struct rule *r = &rs->rules[0];

		cr_expect_str_eq(r->title, "Conflits");
		cr_expect_str_eq(r->summary, "{{observed}} conflits");
		cr_expect_str_eq(r->measure, "conflits");
		cr_expect_str_eq(r->guidance, "Voir.");
		cr_expect_str_eq(r->components[0].label, "conflits");
		ruleset_free(rs);
	}
}

Test(ruletexts, a_map_gives_each_locale_its_own_text)
{
	struct ruleset *rs = load_in(BOTH, LOC_EN);
	const struct rule *r = &rs->rules[0];

	cr_expect_str_eq(r->title, "Conflicts rising");
	cr_expect_str_eq(r->summary, "Conflicts: {{observed}} ({{unit}})");
	cr_expect_str_eq(r->measure, "conflicts over 6 months");
	cr_expect_str_eq(r->components[0].label, "conflicts");
	cr_expect_str_eq(r->components[1].label, "démissions");
	cr_expect_str_eq(r->compare[0].label, "the company");
	cr_expect_str_eq(rule_guidance(r, "hr"), "Review the workload.");
	cr_expect_str_eq(rule_guidance(r, "social-worker"), "Rencontrer l'équipe.");
	cr_expect_str_eq(rule_guidance(r, "ops"), "Ask the social service.");
	ruleset_free(rs);

	rs = load_in(BOTH, LOC_FR);
	r = &rs->rules[0];
	cr_expect_str_eq(r->title, "Conflits en hausse");
	cr_expect_str_eq(r->summary, "Conflits : {{observed}} ({{unit}})");
	cr_expect_str_eq(r->measure, "conflits sur 6 mois");
	cr_expect_str_eq(r->components[0].label, "conflits");
	cr_expect_str_eq(r->compare[0].label, "l'entreprise");
	cr_expect_str_eq(rule_guidance(r, "hr"), "Revoir la charge.");
	/* Only en is written: fr reads it. */
	cr_expect_str_eq(rule_guidance(r, "ops"), "Ask the social service.");
	ruleset_free(rs);
}

Test(ruletexts, a_language_left_out_reads_the_other)
{
	static const char yaml[] = HEAD "    title: { fr: Conflits }\n"
	    "    summary: { en: \"{{observed}} conflicts\" }\n"
	    "    guidance: { fr: Voir le service social., en: See the social service. }\n";
	struct ruleset *rs = load_in(yaml, LOC_EN);
	const struct rule *r = &rs->rules[0];

	cr_expect_str_eq(r->title, "Conflits");
	cr_expect_str_eq(r->summary, "{{observed}} conflicts");
	/* The every-role form: a mapping of languages only. */
	cr_expect_str_eq(rule_guidance(r, "hr"), "See the social service.");
	cr_expect_eq(r->nguidance_roles, 0);
	ruleset_free(rs);
	rs = load_in(yaml, LOC_FR);
	r = &rs->rules[0];
	cr_expect_str_eq(r->summary, "{{observed}} conflicts");
	cr_expect_str_eq(rule_guidance(r, "hr"), "Voir le service social.");
	ruleset_free(rs);
}

Test(ruletexts, a_key_that_is_no_language_is_an_error_at_its_place)
{
	expect_in(HEAD "    title: { fr: Conflits, de: Konflikte }\n"
	    "    measure: { fr: conflits, eng: conflicts }\n"
	    "    summary: { english: \"{{observed}}\" }\n"
	    "    guidance:\n      hr: { fr: Voir., En: See. }\n"
	    "    components:\n      conflits: { en: conflicts, valeur: x }\n"
	    "    compare:\n      entreprise: { en: company }\n", LOC_FR,
	    "r.yaml:6:28: error: unknown key \"de\" in \"title\" (known keys: "
	    "fr, en)\n"
	    "r.yaml:7:30: error: unknown key \"eng\" in \"measure\" (did you "
	    "mean \"en\"?)\n"
	    "r.yaml:8:16: error: unknown key \"english\" in \"summary\" (did "
	    "you mean \"en\"?)\n"
	    "r.yaml:10:24: error: unknown key \"En\" in the guidance for role "
	    "\"hr\" (did you mean \"en\"?)\n"
	    "r.yaml:12:34: error: unknown key \"valeur\" in components: "
	    "conflits (did you mean \"value\"?)\n"
	    "r.yaml:14:19: error: compare: entreprise: write its expression "
	    "under \"value\", beside its label in each language (fr, en)\n");
	expect_in(HEAD "    title: {}\n    guidance: { hr: {} }\n", LOC_FR,
	    "r.yaml:6:12: error: \"title\" must not be an empty mapping: write "
	    "its text in fr, en or both, as in { fr: \"...\", en: \"...\" }\n"
	    "r.yaml:7:21: error: the guidance for role \"hr\" must not be an "
	    "empty mapping: write its text in fr, en or both, as in { fr: "
	    "\"...\", en: \"...\" }\n");
}

/* Under either locale, the text of the other language is checked too: a
 * mistake there would only show where the other locale is configured. */
Test(ruletexts, both_texts_are_checked_whatever_the_locale)
{
	static const char bad[] = "rules:\n  - id: r1\n    value: x\n"
	    "    above: { warning: 1 }\n"
	    "    title: { fr: Conflits, en: \"\" }\n"
	    "    measure: { fr: conflits, en: \"conflicts\\nover 6 months\" }\n"
	    "    summary:\n"
	    "      fr: \"{{observed}} conflits, {{expected}} attendus\"\n"
	    "      en: \"{{observd}} conflicts\"\n"
	    "    guidance: { hr: { fr: Voir., en: [a] } }\n";
	static const char want[] =
	    "r.yaml:5:32: error: \"title\" must not be empty\n"
	    "r.yaml:6:34: error: \"measure\" must be one line of text\n"
	    "r.yaml:9:12: error: unknown placeholder \"{{observd}}\" in "
	    "\"summary\" (did you mean \"{{observed}}\"?)\n"
	    "r.yaml:10:38: error: the guidance for role \"hr\" must be a string, "
	    "found a list\n"
	    "r.yaml:8:35: error: the summary of rule \"r1\" uses {{expected}} "
	    "but the rule has no \"expected\"\n";

	expect_in(bad, LOC_FR, want);
	expect_in(bad, LOC_EN, want);
}

/* A placeholder in the English title is shown as written: warned of under
 * the French locale too. */
Test(ruletexts, placeholder_warnings_cover_both_texts)
{
	struct ruleset *rs = load_in(HEAD
	    "    title: { fr: Conflits, en: \"Conflicts at {{unit}}\" }\n"
	    "    guidance: { hr: { en: \"See {{unit}}\" } }\n"
	    "    summary: { en: \"{unit}: {{observed}}\" }\n", LOC_FR);
	char *got = diags_to_string(&rs->warnings, 0);

	cr_expect_str_eq(got,
	    "r.yaml:6:46: warning: {{unit}} in \"title\" is shown as written: "
	    "placeholders are replaced only in \"summary\"\n"
	    "r.yaml:7:21: warning: the guidance for role \"hr\" has no \"fr\" "
	    "text: under locale fr (vigie.yaml) readers see its \"en\" text\n"
	    "r.yaml:7:32: warning: {{unit}} in \"guidance\" is shown as "
	    "written: placeholders are replaced only in \"summary\"\n"
	    "r.yaml:8:14: warning: \"summary\" has no \"fr\" text: under "
	    "locale fr (vigie.yaml) readers see its \"en\" text\n"
	    "r.yaml:8:21: warning: placeholders take double braces: write "
	    "{{unit}}, not {unit}\n");
	free(got);
	ruleset_free(rs);
}
