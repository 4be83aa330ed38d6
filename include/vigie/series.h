/* In-memory indicator series: a dense array value[unit][indicator][period]
 * with roll-up (SPEC 2) applied, built once per load. The store's loader and
 * `vigie test` both build it through the same builder. Pure: no I/O. */
#ifndef VIGIE_SERIES_H
#define VIGIE_SERIES_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vigie/period.h"

#define SERIES_UNDEF NAN	/* undefined value; imported values are finite */

struct series {
	enum granularity gran;
	int32_t p0;		/* first period (index) */
	int32_t np;		/* number of periods; 0 when there is no data */
	uint32_t nunits;
	char **units;		/* paths; ancestors included */
	int32_t *parent;	/* parent unit index, -1 at top level */
	uint32_t *child_off;	/* children of u: child_idx[child_off[u] .. child_off[u+1]) */
	uint32_t *child_idx;
	uint32_t *sorted;	/* unit indices in path order (strcmp) */
	uint16_t *depth;	/* number of segments - 1 */
	uint32_t nind;
	char **inds;		/* indicator names */
	double *v;		/* nunits * nind * np values, SERIES_UNDEF when undefined */
	int32_t *last;		/* per unit: last period index with an imported value
				 * (own or descendants'), -1 if none */
	int32_t *first;		/* per unit: first period index where any
				 * indicator has a value, own or rolled up (the
				 * unit's first data, SPEC 5 and 16), -1 if none;
				 * NULL in a series built by hand: p0 for all */
	uint8_t *own;		/* laid out as v: 1 where a unit with children
				 * has a value imported for itself, not rolled up
				 * (a site's total beside its teams', SPEC 3);
				 * NULL when no such unit has one */
	uint8_t *kept;		/* laid out as v: 1 where a cell stays hidden
				 * because it was when its period's figures were
				 * shown (SPEC 3 against time: the store's
				 * kept_hidden, series_keep); on a companion's
				 * cell (X_max), its X cell stays dominated:
				 * it was then (cells.h); NULL when none */
	uint8_t *below;		/* nunits * np: 1 where a unit counts as under
				 * the anonymity floor whatever its headcount:
				 * it was when its period's figures were shown
				 * (SPEC 3 against time: a headcount corrected
				 * later would show its figures of then;
				 * series_keep_below); NULL when none */
};
/* The indicator name of a kept_hidden row that marks its unit as under the
 * floor at its period (below), not one of its cells: no indicator has it. */
#define KEPT_BELOW ""
/* Marks unit u's cell of ind at period index i as kept hidden (kept). 0,
 * or -1 on ENOMEM. */
int series_keep(struct series *s, uint32_t u, uint32_t ind, int32_t i);
/* Marks unit u as under the floor at period index i (below). 0, or -1 on
 * ENOMEM. */
int series_keep_below(struct series *s, uint32_t u, int32_t i);
/* Whether unit u counts as under the floor at period index i whatever its
 * headcount (below). */
static inline bool series_kept_below(const struct series *s, uint32_t u,
    int32_t i)
{
	return s->below && s->below[(size_t)u * (size_t)s->np + (size_t)i];
}
/* Whether unit u's value of ind at period index i was imported for u
 * itself while u has children (see own). */
static inline bool series_own(const struct series *s, uint32_t u,
    uint32_t ind, int32_t i)
{
	return s->own &&
	    s->own[((size_t)u * s->nind + ind) * (size_t)s->np + (size_t)i];
}

static inline double series_get(const struct series *s, uint32_t u,
    uint32_t ind, int32_t p)
{
	int32_t i = p - s->p0;

	if (i < 0 || i >= s->np)
		return SERIES_UNDEF;
	return s->v[((size_t)u * s->nind + ind) * (size_t)s->np + (size_t)i];
}

/* Whether unit u has any value at period p (own or rolled up): a unit that
 * sent nothing there is missing, not hidden. */
static inline bool series_has_data(const struct series *s, uint32_t u, int32_t p)
{
	for (uint32_t i = 0; i < s->nind; i++)
		if (!isnan(series_get(s, u, i, p)))
			return true;
	return false;
}

/* The unit's first period with data (first above); INT32_MAX when it has
 * none, so that every window reaching back from any period starts before
 * it. */
static inline int32_t series_first(const struct series *s, uint32_t u)
{
	if (!s->first)
		return s->p0;
	return s->first[u] >= 0 ? s->first[u] : INT32_MAX;
}

/* Index lookups (binary search / hash); -1 when absent. */
int32_t series_unit(const struct series *s, const char *path);
int32_t series_indicator(const struct series *s, const char *name);
void series_free(struct series *s);

/* Builder. Declare units and indicators first, then set values, then finish.
 * p_first..p_last is the period range (inclusive); values outside are ignored. */
struct series_builder;
struct series_builder *sb_new(enum granularity g, int32_t p_first, int32_t p_last);
/* Returns the unit's index, adding it and its ancestors when new; -1 on a
 * call after the first sb_set. */
int32_t sb_unit(struct series_builder *b, const char *path);
int32_t sb_indicator(struct series_builder *b, const char *name);
/* Sets an imported value (last write wins). Returns 0, or -1 on bad ids. */
int sb_set(struct series_builder *b, uint32_t unit, uint32_t ind, int32_t p, double v);
/* Sets v[0..n) as the values of periods p0, p0+1, ...; NaN entries are
 * skipped (no value) and periods outside the range ignored. Returns 0, or
 * -1 on bad ids. */
int sb_set_range(struct series_builder *b, uint32_t unit, uint32_t ind,
    int32_t p0, const double *v, size_t n);
/* Computes roll-up and indices; consumes the builder. NULL only on ENOMEM. */
struct series *sb_finish(struct series_builder *b);
void sb_free(struct series_builder *b);	/* abandon a builder */

#endif
