/* A rule's period: (vigie-rules(5)): the rules written for the other
 * granularity than the database's, which are not evaluated, and the
 * warning that says so. Pure: the granularity is given. */
#include "vigie/rules.h"

/* "months" / "weeks", as the warning names them. */
static const char *plural(enum granularity g)
{
	return g == GRAN_WEEK ? "weeks" : "months";
}

size_t ruleset_count_other_period(const struct ruleset *rs, enum granularity g)
{
	size_t n = 0;

	for (size_t i = 0; i < rs->n; i++)
		n += rs->rules[i].enabled && rule_other_period(&rs->rules[i], g);
	return n;
}

size_t ruleset_check_period(const struct ruleset *rs, enum granularity g,
    struct diags *w)
{
	size_t n = 0;

	for (size_t i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->rules[i];

		if (!r->enabled || !rule_other_period(r, g))
			continue;
		n++;
		diags_add(w, r->file, r->period_line, r->period_col,
		    "rule \"%s\" is written for %s (period: %s): on this %s "
		    "database its windows would count %s and its texts say "
		    "%s; it is not evaluated — copy it, rewrite its windows "
		    "and texts for %s, and set period: %s", r->id,
		    plural(r->period), granularity_name(r->period),
		    g == GRAN_WEEK ? "weekly" : "monthly", plural(g),
		    plural(r->period), plural(g), granularity_name(g));
	}
	return n;
}
