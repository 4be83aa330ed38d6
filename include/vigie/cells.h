/* Disclosure control on cells (SPEC 3): which values of a series no output
 * may show or let a rule read. A cell is the value of one indicator for one
 * unit and one period. Primary suppression hides every cell of a unit below
 * the anonymity floor and every dominated cell (X_max > dominance * X);
 * complementary suppression then hides, per period and indicator and from
 * the deepest parents up, enough siblings (smallest headcount first, ties
 * in name order) that the hidden children of a parent never add up to a
 * group below the floor or dominated, or else hides the parent itself.
 * Companion indicators (X_max) are always hidden: they describe one person.
 * Pure: computed once from a series. */
#ifndef VIGIE_CELLS_H
#define VIGIE_CELLS_H

#include <stdbool.h>
#include <stdint.h>
#include "vigie/series.h"

#define CELLS_DOMINANCE_DEFAULT 0.85

struct cells {
	const struct series *s;	/* not owned; must outlive the cells */
	int floor;
	double dominance;
	int32_t headcount;	/* series index of headcount, -1 if absent */
	int32_t *companion;	/* per indicator X: index of X_max, or -1 */
	bool *is_companion;	/* per indicator: it is some X's X_max */
	bool companions;	/* some indicator has its X_max */
	uint8_t *hidden;	/* nunits * nind * np, as series->v */
	uint8_t *row;		/* nunits * nind: some period of the row is
				 * hidden (most rows have none: their reads
				 * need no look at hidden[]) */
	struct cells *raised;	/* the same series at a higher floor
				 * (cells_raise), owned; a chain */
};

/* Computes the hidden cells of s with the anonymity floor and the
 * dominance ratio (0 < dominance <= 1). Returns a new struct (caller frees
 * with cells_free), NULL on ENOMEM. */
struct cells *cells_new(const struct series *s, int floor, double dominance);
void cells_free(struct cells *c);

/* Adds to c's chain the cells of the same series at a higher floor, once
 * (a rule's own min_headcount, SPEC 3): computed here, read by every later
 * evaluation with cells_at. 0, or -1 on ENOMEM. */
int cells_raise(struct cells *c, int floor);
/* The cells of c's chain at that floor: c itself for a floor at or below
 * c's, NULL when cells_raise did not compute it. */
const struct cells *cells_at(const struct cells *c, int floor);

/* True when the cell (u, ind, p) is hidden; periods outside the series are
 * not hidden (they hold no value). */
static inline bool cells_hidden(const struct cells *c, uint32_t u,
    uint32_t ind, int32_t p)
{
	const struct series *s = c->s;
	int32_t i = p - s->p0;

	if (i < 0 || i >= s->np)
		return false;
	return c->hidden[((size_t)u * s->nind + ind) * (size_t)s->np + (size_t)i];
}

/* The companion X_max of indicator ind, -1 when there is none. */
static inline int32_t cells_companion(const struct cells *c, uint32_t ind)
{
	return c->companion[ind];
}

/* True when a value x with largest single contribution xmax is dominated:
 * xmax > dominance * x (undefined xmax never dominates). */
bool cells_dominated(double x, double xmax, double dominance);

#endif
