/* The rules that cannot judge because what they read is hidden
 * (rules/hidden.c, SPEC 3): a rule is suppressed at a unit as long as one
 * month it reads there is hidden — the team under the anonymity floor or
 * beside a smaller one, or a month where one person accounts for most of
 * an indicator (dominance) —, and a rule reading 27 months is then silent
 * on that team for two years. A silence that says nothing must be said:
 * `vigie status` counts the units (hidden_count_*), the console says why
 * under each such rule (rule_hidden_why). Pure. */
#ifndef VIGIE_HIDDEN_H
#define VIGIE_HIDDEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vigie/cells.h"
#include "vigie/engine.h"

/* Why rule r cannot judge a unit at period at: which of the months it
 * reads there (at - lookback .. at) are hidden, of the unit's own cells
 * only (a rule that reads another unit's, with parent() or top(), may find
 * none). Not why each is: the causes are said together (too few people,
 * beside a smaller team, one person's month), never which one. */
struct hidden_why {
	int months;		/* how many of the months it reads are hidden */
	int32_t month;		/* the latest of them; -1 when none */
	bool now;		/* the unit's headcount is hidden at at
				 * itself: nothing says when it will not be */
	int32_t until;		/* the first period the rule reads none of
				 * those months (the latest one plus what it
				 * reads), or later when the unit lacks
				 * history until then: when it can judge
				 * again at the earliest, if no later month
				 * is hidden; -1 when now or none found */
};
/* Of rule rule at unit unit, whose evaluation at period at is suppressed
 * (cells: those the engine read, with the rule's raised floors). */
void rule_hidden_why(const struct ruleset *rs, const struct series *s,
    const struct cells *cells, int min_headcount, uint32_t rule, uint32_t unit,
    int32_t at, struct hidden_why *out);

/* Over the units and rules keep accepts (NULL: all) of m, a matrix of
 * rule_history_matrix: the units one of the rules judges or could but for
 * what is hidden or for history, the units where one cannot judge because
 * what it reads is hidden (RH_HIDDEN), and those rules, the most such
 * units first (then in rule-file order), each with its count and the
 * units it applies to with data. */
struct hidden_count {
	size_t units;		/* units one of the rules applies to, with data */
	size_t nunit;		/* of them, those one of the rules cannot judge */
	size_t n;		/* rules that cannot judge some unit */
	uint32_t *rule;		/* [n]: their indices in the rule set */
	size_t *at;		/* [n]: at how many units each cannot */
	size_t *of;		/* [n]: of how many it applies to with data */
};
void hidden_count_find(const struct ruleset *rs, const struct series *s,
    const uint8_t *m, bool (*keep)(uint32_t rule, uint32_t unit, void *arg),
    void *arg, struct hidden_count *out);
/* What `vigie status` says of h in buf: "2 rules cannot judge 45 of the 49
 * units the rules apply to (absences-unusual 45 of 49, absenteeism-level
 * 42 of 49): a month they read is hidden (under the floor, beside a
 * smaller team, or one person's)", the first HIDDEN_NAMED rules named,
 * then "and N more"; empty when no rule is hidden anywhere. The total is
 * h's units, as the history line's (history_short_say). */
#define HIDDEN_NAMED 3
void hidden_count_say(const struct hidden_count *h, const struct ruleset *rs,
    char *buf, size_t size);
void hidden_count_free(struct hidden_count *h);

#endif
