/* The rules engine: evaluates a rule set over a series and runs the alert
 * state machine of SPEC 5 (level, for, hysteresis, carry-over, anonymity
 * floor, scope, when, enabled). Pure: series in, states out. */
#ifndef VIGIE_ENGINE_H
#define VIGIE_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vigie/cells.h"
#include "vigie/rules.h"
#include "vigie/series.h"

/* Doubles first: a full evaluation holds a row per (rule, unit), a million
 * at 10,000 teams, and padding between fields would be a tenth of them. */
struct eval_row {
	double value;		/* NAN when undefined or suppressed */
	double threshold;	/* threshold of severity (or of level when inactive); NAN if none */
	double observed;	/* the rule's observed (else value); NAN where value is */
	double expected;	/* the rule's expected; NAN when not stated or undefined */
	uint32_t rule;		/* index in the rule set */
	uint32_t unit;		/* index in the series */
	int32_t period;		/* the evaluated period */
	int32_t since;		/* first period of the active episode; -1 when inactive */
	int32_t basis;		/* the period whose value decided the state: the
				 * latest defined one when active (period, or
				 * the one carried over from); when inactive,
				 * the latest inside the clear threshold (for
				 * an alert that was active, the one that
				 * resolved it); -1 when none (resolved for
				 * missing data, or never a value) */
	enum severity level;	/* level(p) */
	enum severity severity;	/* when active */
	bool active;
	bool suppressed;	/* the unit is below the rule's anonymity floor at
				 * period, or the rule's value would read a
				 * hidden cell (SPEC 3) */
	bool missing;		/* inactive because the value has been undefined
				 * for more than carry_over periods since the
				 * alert was last active (SPEC 5) */
	bool nodata;		/* no headcount at period: suppressed for want of
				 * data (the unit sent nothing), not for its size */
	bool off;		/* the rule's when guard is defined and false at
				 * period, without reading a hidden cell: the rule
				 * does not apply to the unit then (a rule for
				 * small units on a big one), value NAN */
};

/* Evaluates every enabled rule for every unit in its scope (ancestors
 * included) at period `at`, rows ordered by rule (file order) then unit path.
 * min_headcount is the configured floor (a rule may raise it). cells are the
 * hidden cells of s computed with that floor (cells_new): a value that
 * would read one is suppressed (SPEC 3). Every caller that shows anything
 * passes them; NULL leaves only the floor, for tests of the state machine.
 * Returns 0 and a new array (caller frees), or -1 on ENOMEM. */
int engine_eval(const struct ruleset *rs, const struct series *s,
    const struct cells *cells, int min_headcount, int32_t at,
    struct eval_row **rows, size_t *nrows);

/* Computes, into cells' chain, the hidden cells at every floor a rule of rs
 * raises above min_headcount (cells_raise), for a caller that evaluates the
 * same data many times (one engine_points per transition): without it, each
 * call computes them again. 0, or -1 on ENOMEM. */
int engine_cells_prepare(const struct ruleset *rs, struct cells *cells,
    int min_headcount);

enum transition_kind { TR_FIRING, TR_ESCALATED, TR_DEESCALATED, TR_RESOLVED };
const char *transition_name(enum transition_kind k);	/* "firing", ... */

struct transition {
	uint32_t rule, unit;
	int32_t period;
	enum transition_kind kind;
	enum severity from, to;	/* to is SEV_NONE for resolved */
	double value;		/* value at period (the resolving value for resolved); NAN if hidden */
	double threshold;
	int32_t since;
	bool missing;		/* resolved because the value was undefined for
				 * more than carry_over periods; value is NAN */
	double observed;	/* as in struct eval_row, at period */
	double expected;
};

/* Replays every rule period by period from the series' first period and
 * calls cb for each state change that happens in from..to (inclusive), in
 * period order, then rule order, then unit path order. */
int engine_backtest(const struct ruleset *rs, const struct series *s,
    const struct cells *cells, int min_headcount, int32_t from, int32_t to,
    void (*cb)(const struct transition *t, void *arg), void *arg);

/* The rule's value, observed and expected for one unit at one period; NAN
 * where undefined or suppressed (as in struct eval_row); hidden: suppressed
 * there (SPEC 3: the unit is below the rule's anonymity floor or has no
 * headcount, or the value would read a hidden cell); nodata: the unit has
 * no headcount there (it sent nothing, or the period is outside the data),
 * so that the value is undefined for want of data whatever hidden says
 * (eval_row's nodata). Charts say « pas de données » where nodata, else
 * « masquée » where hidden, else « non calculée ». */
struct engine_point {
	double value, observed, expected;
	bool hidden, nodata;
};
/* The row engine_eval gives one rule and unit at period at (basis: the
 * period where a change that happened between two evaluations was
 * decided): 0, or -1 when the unit is outside the rule's scope or on
 * ENOMEM. */
int engine_row(const struct ruleset *rs, const struct series *s,
    const struct cells *cells, int min_headcount, uint32_t rule,
    uint32_t unit, int32_t at, struct eval_row *row);
/* The points of one rule and unit at the n periods at-n+1 .. at, oldest
 * first, into out[0..n) (what digests chart against the expected). */
void engine_points(const struct ruleset *rs, const struct series *s,
    const struct cells *cells, int min_headcount, uint32_t rule,
    uint32_t unit, int32_t at, int n, struct engine_point *out);

/* The rule's components and comparisons (struct rule_term) for one unit at
 * period at, into components[r->ncomponents] and compare[r->ncompare] of
 * rule r = rs->rules[rule]; NAN where undefined, and all NAN where the
 * rule's value is (nothing shows where the value does not). Either array
 * may be NULL when its terms are not wanted. */
void engine_terms(const struct ruleset *rs, const struct series *s,
    const struct cells *cells, int min_headcount, uint32_t rule,
    uint32_t unit, int32_t at, double *components, double *compare);

/* The rule's value for one unit at the n periods at-n+1 .. at, oldest first,
 * NAN where undefined or suppressed (what messages show as history). */
void engine_history(const struct ruleset *rs, const struct series *s,
    const struct cells *cells, int min_headcount, uint32_t rule,
    uint32_t unit, int32_t at, int n, double *out);

/* What an alert's event recorded at period (rec: its value, and its
 * observed and expected counts, NAN where it recorded none), against
 * today's data (rules/recorded.c, SPEC 3): RECORDED_SHOWN while the rule
 * still gives each of them there as outputs print them, at its decimals
 * and to 12 significant digits (or the value is NAN, or the rule is gone
 * and no cell of the unit is hidden there); else RECORDED_HIDDEN when the
 * unit is hidden there now, RECORDED_REVISED when the data changed since,
 * with *now today's point (NAN where none). What the event recorded, its
 * summary included, may be shown only when RECORDED_SHOWN. */
enum recorded { RECORDED_SHOWN, RECORDED_HIDDEN, RECORDED_REVISED };
enum recorded engine_recorded(const struct ruleset *rs, const struct series *s,
    const struct cells *cells, int min_headcount, const char *rule,
    const char *unit, int32_t period, const struct engine_point *rec,
    int decimals, struct engine_point *now);

#endif
