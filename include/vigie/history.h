/* The rules that cannot judge yet for want of history (rules/history.c),
 * as an evaluation says it: a rule fires on full windows only (SPEC 16),
 * so until a unit has as many periods of data as the rule reads, its
 * value there is undefined and its silence says nothing. The works
 * council report, `vigie status`, the daemon's cycle line and the console
 * all say it from here. Pure. */
#ifndef VIGIE_HISTORY_H
#define VIGIE_HISTORY_H

#include <stddef.h>
#include <stdint.h>
#include "vigie/engine.h"

/* What one row of an evaluation says of its rule at its unit. */
enum {
	RH_APPLIES = 1,		/* the rule applies there (not off by its when
				 * guard); its value may be undefined for
				 * another reason (hidden, no data) */
	RH_SHORT = 2,		/* undefined for want of history: neither hidden
				 * nor for missing data, and the rule reads
				 * back before the unit's first data */
	RH_COMPUTED = 4,	/* its value is defined */
	RH_HIDDEN = 8,		/* undefined because suppressed while the unit
				 * has data (SPEC 3: under the floor, or a cell
				 * it reads is hidden; vigie/hidden.h) */
};
/* RH_* of row (0 when the rule is off there). */
unsigned rule_history_row(const struct ruleset *rs, const struct series *s,
    const struct eval_row *row);
/* Whether flags, those of one rule gathered over some units (ORed), say
 * it could be computed at none of them for want of history. */
static inline bool rule_history_short(unsigned flags)
{
	return (flags & (RH_SHORT | RH_COMPUTED)) == RH_SHORT;
}
/* The periods of data rule r needs at a unit before it can be computed
 * at granularity g: what it reads back when its windows are full
 * (expr_lookback_in), the period itself included. */
int32_t rule_history_needs(const struct rule *r, enum granularity g);
/* What rule_history_ready says of a rule that reads more periods to
 * decide one (rule_periods) than the retention keeps: never. */
#define HISTORY_NEVER INT32_MAX
/* Whether rule r, at granularity g, reads more periods to decide one
 * (rule_periods) than keep, the periods of values retention.data keeps
 * (0: all): it never can once the older ones are deleted. */
bool rule_history_never(const struct rule *r, enum granularity g, int32_t keep);
/* The first period rule r can be computed at unit u of s: the unit's
 * first data plus rule_history_needs - 1; HISTORY_NEVER when
 * rule_history_never with keep. */
int32_t rule_history_ready(const struct rule *r, const struct series *s, uint32_t u,
    int32_t keep);

/* RH_* of every rule at every unit, [rule * s->nunits + unit], from the
 * rows of engine_eval at one period (caller frees). */
uint8_t *rule_history_matrix(const struct ruleset *rs, const struct series *s,
    const struct eval_row *rows, size_t nrows);

/* Over the units and rules keep accepts (NULL: all) of matrix m, with
 * retention keeping keep periods of values (0: all): how many rules apply
 * at one of the units and at how many units one is computed or short of
 * history (not hidden nor without data for all); the rules short
 * of history at one of those units or more, in rule-file order, each with
 * at how many and from when it can be computed at all of them; and the
 * units where one of the rules is short of history. A unit counts however
 * many others can be judged: a site that joins with six months of data
 * beside sites with three years is not judged for two years. */
#define HISTORY_NAMED 3
struct history_short {
	size_t rules;		/* rules that apply at one of the units */
	size_t units;		/* units one of the rules is computed or
				 * short of history at */
	size_t applying;	/* units one of the rules applies to with
				 * data (computed, short or hidden there):
				 * the total history_short_say gives, as
				 * hidden_count's units */
	size_t n;		/* of the rules, short of history somewhere */
	uint32_t *rule;		/* [n]: their indices in the rule set */
	size_t *at;		/* [n]: at how many of the units each is */
	int32_t *ready;		/* [n]: from when each can be computed at all
				 * of them; HISTORY_NEVER when never */
	size_t nunit;		/* units where one of the rules is short */
	int32_t by;		/* the latest of ready that is not never;
				 * INT32_MIN when none is */
	size_t never;		/* of the n rules, those never computed */
	int32_t reads;		/* the most periods one of those reads to
				 * decide one (rule_periods) */
	uint32_t named[HISTORY_NAMED];	/* the first units, in path order,
				 * short with no ancestor short */
	size_t nnamed;
	size_t under;		/* of the nunit - nnamed others, under them */
};
void history_short_find(const struct ruleset *rs, const struct series *s,
    const uint8_t *m, bool (*keep)(uint32_t rule, uint32_t unit, void *arg),
    void *arg, int32_t kept, struct history_short *out);
/* Whether h says every unit it counts lacks history (a new deployment). */
static inline bool history_short_everywhere(const struct history_short *h)
{
	return h->nunit == h->units;
}
/* What `vigie status` and the daemon's cycle line say of h (s its
 * series, kept its retention.data) in buf: "14 of 14 rules cannot judge
 * yet for lack of history (all will by 2026-06 at the latest)" when every
 * unit lacks it, else "10 rules cannot judge 6 of the 25 units the rules
 * apply to yet for lack of history (valdis/toul and 5 under it; by 2028-12 at
 * the latest)", of h's applying units, the total of the hidden line;
 * the rules that never can, "never with this configuration:
 * retention.data 60 < 111". Empty when no rule lacks history. */
void history_short_say(const struct history_short *h, const struct series *s,
    int32_t kept, char *buf, size_t size);
void history_short_free(struct history_short *h);

#endif
