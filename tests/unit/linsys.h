/* Gaussian elimination for the disclosure tests: an adversary who knows
 * the published values and the roll-up equations ("parent - sum of
 * children = 0") solves for the hidden ones. The rows are kept fully
 * reduced over the unknowns; a set of unknowns is derivable when the sum
 * of their indicator vector lies in the span of the rows (then its total
 * can be computed from what is published). */
#ifndef VIGIE_LINSYS_H
#define VIGIE_LINSYS_H

#include <math.h>
#include <stdbool.h>
#include <string.h>

#define LINSYS_MAX 128
struct linsys {
	double row[LINSYS_MAX][LINSYS_MAX];	/* reduced rows over unknowns */
	int pivot[LINSYS_MAX];
	int nrows, nunk;
	int unk[LINSYS_MAX];		/* unit -> unknown, -1 when published */
	int unit_of[LINSYS_MAX];	/* unknown -> unit */
};

static inline void linsys_reduce(const struct linsys *sys, double *v)
{
	for (int r = 0; r < sys->nrows; r++) {
		double f = v[sys->pivot[r]];
		if (fabs(f) > 1e-9)
			for (int k = 0; k < sys->nunk; k++)
				v[k] -= f * sys->row[r][k];
	}
}

/* Adds the equation v (over the unknowns; v is consumed). */
static inline void linsys_add_row(struct linsys *sys, double *v)
{
	int p = -1;

	linsys_reduce(sys, v);
	for (int k = 0; k < sys->nunk && p < 0; k++)
		if (fabs(v[k]) > 1e-9)
			p = k;
	if (p < 0)
		return;
	double f = v[p];
	for (int k = 0; k < sys->nunk; k++)
		v[k] /= f;
	/* keep the rows fully reduced */
	for (int r = 0; r < sys->nrows; r++) {
		double g = sys->row[r][p];
		if (fabs(g) > 1e-9)
			for (int k = 0; k < sys->nunk; k++)
				sys->row[r][k] -= g * v[k];
	}
	memcpy(sys->row[sys->nrows], v, sizeof(double) * (size_t)sys->nunk);
	sys->pivot[sys->nrows++] = p;
}

/* Whether the total of the n unknowns in set follows from the rows. */
static inline bool linsys_derivable(const struct linsys *sys, const int *set, int n)
{
	double v[LINSYS_MAX] = { 0 };

	for (int i = 0; i < n; i++)
		v[set[i]] = 1;
	linsys_reduce(sys, v);
	for (int k = 0; k < sys->nunk; k++)
		if (fabs(v[k]) > 1e-9)
			return false;
	return true;
}

#endif
