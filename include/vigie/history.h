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
/* The first period rule r can be computed at unit u of s: the unit's
 * first data plus rule_history_needs - 1. */
int32_t rule_history_ready(const struct rule *r, const struct series *s, uint32_t u);

/* RH_* of every rule at every unit, [rule * s->nunits + unit], from the
 * rows of engine_eval at one period (caller frees). */
uint8_t *rule_history_matrix(const struct ruleset *rs, const struct series *s,
    const struct eval_row *rows, size_t nrows);

/* Over the units and rules keep accepts (NULL: all) of matrix m: how many
 * rules apply at one of them, and those of them that could be computed at
 * none for want of history, in rule-file order, each with the first
 * period it can be computed at one of the units it lacks history at. */
struct history_short {
	size_t rules;		/* rules that apply at one of the units */
	size_t n;		/* of them, short of history everywhere */
	uint32_t *rule;		/* [n]: their indices in the rule set */
	int32_t *ready;		/* [n]: from when each can be computed */
};
void history_short_find(const struct ruleset *rs, const struct series *s,
    const uint8_t *m, bool (*keep)(uint32_t rule, uint32_t unit, void *arg),
    void *arg, struct history_short *out);
void history_short_free(struct history_short *h);

#endif
