/* Confidential indicators (SPEC 3): social_worker_contacts is covered by
 * the social service's professional secrecy and medical_visits_on_request
 * by medical secrecy, so a rule that reads either may notify only the
 * roles the configuration trusts with them (confidential_roles). Checked
 * after the rules and the configuration are both loaded, by `vigie check`,
 * `vigied --check` and every reload, which then refuse the rule set as they
 * refuse any other error. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "vigie/rules.h"

static const struct {
	const char *name, *why;
} confidential[] = {
	{ "social_worker_contacts", "the social service's professional secrecy" },
	{ "medical_visits_on_request", "medical secrecy" },
};

bool indicator_confidential(const char *name)
{
	for (size_t c = 0; c < sizeof(confidential) / sizeof(confidential[0]); c++)
		if (!strcmp(name, confidential[c].name))
			return true;
	return false;
}

static bool member(const char *role, char *const *roles, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(roles[i], role))
			return true;
	return false;
}

/* roles as "a, b", or "none" for an empty list. */
static void list(char *buf, size_t size, char *const *roles, size_t n)
{
	size_t at = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && at < size; i++) {
		int k = snprintf(buf + at, size - at, "%s%s", i ? ", " : "", roles[i]);
		if (k < 0)
			break;
		at += (size_t)k;
	}
	if (n == 0)
		snprintf(buf, size, "none");
}

static bool terms_read(const struct rule_term *t, size_t n, int32_t name)
{
	for (size_t i = 0; i < n; i++)
		if (expr_reads(t[i].e, name))
			return true;
	return false;
}

/* The first confidential indicator the rule reads, or -1: in any of its
 * expressions, since messages show components and comparisons too. */
static int reads_confidential(const struct ruleset *rs, const struct rule *r)
{
	for (size_t c = 0; c < sizeof(confidential) / sizeof(confidential[0]); c++) {
		int32_t name = names_find(&rs->names, confidential[c].name,
		    strlen(confidential[c].name));
		if (name >= 0 && (expr_reads(r->value, name) ||
		    expr_reads(r->when, name) || expr_reads(r->observed, name) ||
		    expr_reads(r->expected, name) ||
		    terms_read(r->components, r->ncomponents, name) ||
		    terms_read(r->compare, r->ncompare, name)))
			return (int)c;
	}
	return -1;
}

size_t ruleset_check_confidential(const struct ruleset *rs,
    char *const *roles, size_t nroles, char *const *dflt, size_t ndflt,
    struct diags *d)
{
	size_t errors = 0;

	for (size_t i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->rules[i];
		size_t nto;
		char *const *to = rule_roles(r, dflt, ndflt, &nto);
		int c = reads_confidential(rs, r);
		const char *out = NULL;
		char allowed[256];

		if (c < 0 || !r->id)	/* no id: that is its error */
			continue;
		for (size_t k = 0; k < nto && !out; k++)
			if (!member(to[k], roles, nroles))
				out = to[k];
		if (!out)
			continue;
		list(allowed, sizeof(allowed), roles, nroles);
		diags_add(d, r->file, r->notify_set ? r->notify_line : r->line,
		    r->notify_set ? r->notify_col : r->col,
		    "rule \"%s\" reads %s, covered by %s, and notifies \"%s\"%s, "
		    "which is not in confidential_roles (%s): notify only those "
		    "roles, or split the rule in two, one reading %s for them and "
		    "one without it for the others", r->id, confidential[c].name,
		    confidential[c].why, out, r->notify_set ? "" :
		    " (default_notify: the rule has no notify)", allowed,
		    confidential[c].name);
		errors++;
	}
	return errors;
}
