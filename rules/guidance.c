/* Guidance written for a role the rule does not notify: HR writes
 * `guidance: { rh: ... }` for a rule that notifies `hr`, and nobody ever
 * reads the text. Roles are configuration, so a rule file is valid
 * whatever they are (ruleset.c); this is a warning, with the closest role
 * the rule does notify. */
#include <stdio.h>
#include <string.h>
#include "vigie/rules.h"
#include "vigie/yaml.h"		/* closest_word */

static bool listed(const char *s, char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s, v[i]))
			return true;
	return false;
}

size_t ruleset_check_guidance(const struct ruleset *rs, char *const *dflt,
    size_t ndflt, char *const *defined, size_t ndefined, struct diags *w)
{
	size_t said = 0;

	for (size_t i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->rules[i];
		size_t nto;
		char *const *to = rule_roles(r, dflt, ndflt, &nto);

		for (size_t g = 0; g < r->nguidance_roles; g++) {
			const struct role_text *t = &r->guidance_roles[g];
			const char *near;
			char hint[256] = "";
			size_t k;

			for (k = 0; k < nto && strcmp(to[k], t->role); k++)
				;
			if (k < nto)
				continue;
			near = closest_word(t->role, (const char *const *)to, nto);
			/* notify: [rh] beside guidance for hr, a role of
			 * recipients: the typo is in notify. */
			if (near && defined && listed(t->role, defined, ndefined) &&
			    !listed(near, defined, ndefined))
				snprintf(hint, sizeof(hint), " (it notifies \"%s\", which "
				    "recipients: does not define: did you mean \"%s\" in "
				    "notify?)", near, t->role);
			else if (near)
				snprintf(hint, sizeof(hint), " (did you mean \"%s\"?)", near);
			diags_add(w, r->file, t->line, t->col, "rule \"%s\" has guidance "
			    "for \"%s\", a role it does not notify%s: no one reads it%s",
			    r->id, t->role, r->notify_set ? "" : " (it has no notify: default_notify)",
			    hint);
			said++;
		}
	}
	return said;
}
