/* The vertical scale of the report's trend charts, shared by the SVG of
 * the HTML report and the cairo drawing of the PDF so that both show the
 * same axes: from zero (these indicators are rates and counts, and a
 * baseline at zero keeps small changes from looking large) to a round
 * number above the highest point or reference, in 3 to 6 round steps; a
 * chart with nothing but zeros (and no reference) goes from 0 to 1 in one
 * step and says it is zero throughout. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "report_impl.h"
#include "vigie/xalloc.h"

/* The round number (1, 2, 2.5 or 5 times a power of ten) at or above x. */
static double nice_step(double x)
{
	double e = pow(10, floor(log10(x))), f = x / e;

	if (f <= 1)
		return e;
	if (f <= 2)
		return 2 * e;
	if (f <= 2.5)
		return 2.5 * e;
	if (f <= 5)
		return 5 * e;
	return 10 * e;
}

static void extend(double *lo, double *hi, double x)
{
	if (!isfinite(x))
		return;
	if (x < *lo)
		*lo = x;
	if (x > *hi)
		*hi = x;
}

void rscale_fit(struct rscale *sc, const double *a, const double *b, int n,
    double ref)
{
	double lo = INFINITY, hi = -INFINITY;

	for (int i = 0; i < n; i++) {
		extend(&lo, &hi, a[i]);
		extend(&lo, &hi, b[i]);
	}
	sc->empty = lo > hi;
	sc->zero = !sc->empty && lo == 0 && hi == 0;
	extend(&lo, &hi, ref);
	if (lo > hi)
		lo = hi = 0;
	if (lo > 0)
		lo = 0;
	if (hi <= lo) {
		/* Nothing but zeros (or nothing): one step from 0 to 1, not
		 * quarters that no count can take. */
		sc->lo = lo;
		sc->hi = lo + 1;
		sc->step = 1;
		sc->nticks = 2;
		return;
	}
	sc->step = nice_step((hi - lo) / 4);
	sc->lo = floor(lo / sc->step) * sc->step;
	sc->hi = ceil(hi / sc->step) * sc->step;
	sc->nticks = (int)lround((sc->hi - sc->lo) / sc->step) + 1;
}

int rscale_decimals(const struct rscale *sc)
{
	for (int d = 0; d < 6; d++) {
		double x = sc->step * pow(10, d);
		if (fabs(x - round(x)) < 1e-6 * x)
			return d;
	}
	return 6;
}

/* "nov. 2025 4,3 % ; déc. 2025 5,6 % ; …" */
static void points(FILE *f, const struct rmodel *m, const struct rdef *r,
    int dec, const double *v, int32_t from)
{
	char per[64], b[96];

	for (int i = 0; i < m->n; i++)
		fprintf(f, "%s%s %s", i ? m->loc == LOC_EN ? "; " : NNBSP "; " : "",
		    rperiod_axis(per, sizeof(per), m->gran, from + i, m->loc),
		    rfigure(b, sizeof(b), v[i], r, dec, m->loc));
}

char *rchart_text(const struct rmodel *m, const struct runit *u, size_t d)
{
	const struct rdef *r = &m->defs->v[d];
	const struct rfig *g = &u->fig[d];
	const char *colon = m->loc == LOC_EN ? ": " : NNBSP ": ";
	char span[160], b[160], *buf = NULL;
	size_t len = 0;
	bool prev = false;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		xalloc_die();
	for (int i = 0; i < m->n; i++)
		prev |= isfinite(g->trend_prev[i]);
	rspan_short(span, sizeof(span), m->gran, m->from, m->to, m->loc);
	fprintf(f, "%s%s", span, colon);
	points(f, m, r, g->dec, g->trend, m->from);
	fputs(".", f);
	if (prev) {
		rspan_short(span, sizeof(span), m->gran, m->from - m->y, m->to - m->y, m->loc);
		fprintf(f, " %s (%s)%s", rw(m->loc, W_PREV), span, colon);
		points(f, m, r, g->dec, g->trend_prev, m->from - m->y);
		fputs(".", f);
	}
	if (r->has_ref)
		fprintf(f, " %s%s%s.", rw(m->loc, W_NATIONAL), colon, rref(b, sizeof(b), r, m->loc));
	if (fclose(f) != 0)
		xalloc_die();
	return buf;
}
