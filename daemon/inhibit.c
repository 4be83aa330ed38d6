/* Inhibition in the evaluation (daemon/cycle_impl.h): which alerts of the
 * rules an inhibited_by names are active once the evaluation is recorded,
 * read from its rows before the write transaction, so that an event is
 * held or not by the states of this evaluation whatever the order the
 * rows are recorded in. What holding means is evaluate.c's (a silence's
 * path) and route.c's (the targets the inhibiting alert reaches). */
#include <stdlib.h>
#include <string.h>
#include "cycle_impl.h"
#include "vigie/xalloc.h"

void inhibit_init(struct inhibit *in, const struct ruleset *rs, size_t nunits,
    const struct eval_row *rows, size_t n)
{
	bool any = false;

	*in = (struct inhibit){ .rs = rs, .nunits = nunits };
	for (size_t i = 0; i < rs->n && !any; i++)
		any = rs->rules[i].ninhibited_by > 0;
	if (!any || nunits == 0)
		return;
	in->active = xcalloc(rs->n * nunits, sizeof(*in->active));
	for (size_t i = 0; i < n; i++)
		if (rows[i].active)
			in->active[(size_t)rows[i].rule * nunits + rows[i].unit] = true;
}

void inhibit_free(struct inhibit *in)
{
	free(in->active);
	in->active = NULL;
}

struct at_unit {
	const struct inhibit *in;
	uint32_t unit;
};

static bool active_at(const char *rule, const char *unit, void *arg)
{
	const struct at_unit *a = arg;
	const struct rule *r = ruleset_find(a->in->rs, rule);

	(void)unit;	/* the unit of index a->unit */
	return r && a->in->active[(size_t)(r - a->in->rs->rules) * a->in->nunits + a->unit];
}

size_t inhibit_of(const struct inhibit *in, const struct rule *r, int32_t ui,
    enum lifecycle_event e, const struct rule **by)
{
	struct at_unit a = { in, (uint32_t)ui };

	if (!in->active || ui < 0 || (size_t)ui >= in->nunits || e == LC_NONE)
		return 0;
	return rule_inhibitors(in->rs, r, "", active_at, &a, by);
}
