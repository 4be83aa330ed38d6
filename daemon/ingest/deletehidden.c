/* What a removal gives away of the cells hidden at a period Vigie has
 * already evaluated, or at any period stored for the console, where a
 * stored period is shown before a cycle evaluates it (the works council
 * report, the console) (importcheck.h, delete_check_hidden): the cells of a
 * team under the anonymity floor, of one hidden beside it, of a value
 * that is one person's (dominance, SPEC 3). A unit whose values the
 * removal takes whole, below a unit that keeps one, moves that unit's
 * figures by its own: shown before and after, they give it away. Nothing
 * is given when the unit's figure was shown (a whole site removed, its
 * company keeps the others'), nor when the removal takes every hidden
 * unit under a unit shown (their sum was its figure minus those shown).
 * `vigie delete` says it (the reason named: the floor, dominance, or the
 * team it is hidden beside); the console refuses it.
 *
 * Read only, before the removal: the period's stored values, twice (as
 * they are and as they would be). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/cells.h"
#include "vigie/importcheck.h"
#include "vigie/xalloc.h"
#include "importcheck_impl.h"

/* Why the cell of unit u and indicator x is hidden at p in c. */
static enum hidden_why why_hidden(const struct cells *c, uint32_t u, uint32_t x,
    int32_t p)
{
	const struct series *s = c->s;
	int32_t m = cells_companion(c, x), i = p - s->p0;
	double h = c->headcount < 0 ? NAN : series_get(s, u, (uint32_t)c->headcount, p);

	if (isnan(h) || h < c->floor || series_kept_below(s, u, i))
		return HIDDEN_FLOOR;
	if (m >= 0 && (cells_dominated(series_get(s, u, x, p),
	    series_get(s, u, (uint32_t)m, p), c->dominance) || (s->kept &&
	    s->kept[((size_t)u * s->nind + (size_t)m) * (size_t)s->np + (size_t)i])))
		return HIDDEN_DOMINATED;
	return HIDDEN_BESIDE;
}

/* The value of s1's unit u and indicator x at p in s2, NaN when none. */
static double after(const struct series *s1, const struct series *s2, uint32_t u,
    uint32_t x, int32_t p)
{
	int32_t u2 = series_unit(s2, s1->units[u]), x2 = series_indicator(s2, s1->inds[x]);

	return u2 < 0 || x2 < 0 ? NAN : series_get(s2, (uint32_t)u2, (uint32_t)x2, p);
}

/* The first cell of s1 hidden in c1 with a value that s2 holds no more,
 * under a parent that keeps one: in *g. */
static bool given(const struct series *s1, const struct cells *c1,
    const struct series *s2, int32_t p, struct hidden_given *g)
{
	for (uint32_t x = 0; x < s1->nind; x++) {
		if (c1->is_companion[x] || (int32_t)x == c1->headcount)
			continue;	/* never shown; no secret (SPEC 3) */
		for (uint32_t u = 0; u < s1->nunits; u++) {
			int32_t q = s1->parent[u], by = -1;
			bool whole = true;

			if (q < 0 || isnan(series_get(s1, u, x, p)) || !cells_hidden(c1, u, x, p) ||
			    !isnan(after(s1, s2, u, x, p)) ||
			    isnan(after(s1, s2, (uint32_t)q, x, p)))
				continue;
			/* The hidden siblings that stay: one hidden for itself
			 * first, the team whose figure follows. */
			for (uint32_t k = s1->child_off[q]; k < s1->child_off[q + 1]; k++) {
				uint32_t v = s1->child_idx[k];

				if (v == u || !cells_hidden(c1, v, x, p) ||
				    isnan(series_get(s1, v, x, p)) || isnan(after(s1, s2, v, x, p)))
					continue;
				whole = false;
				if (by < 0 || (why_hidden(c1, (uint32_t)by, x, p) == HIDDEN_BESIDE &&
				    why_hidden(c1, v, x, p) != HIDDEN_BESIDE))
					by = v;
			}
			if (whole && !cells_hidden(c1, (uint32_t)q, x, p))
				continue;	/* the group whole: its sum was known */
			g->unit = xstrdup(s1->units[u]);
			g->indicator = xstrdup(s1->inds[x]);
			g->why = why_hidden(c1, u, x, p);
			if (by >= 0) {
				g->beside = xstrdup(s1->units[by]);
				g->beside_why = why_hidden(c1, (uint32_t)by, x, p);
			}
			return true;
		}
	}
	return false;
}

int delete_check_hidden(struct store *st, int32_t period,
    bool (*keep)(const char *unit, const void *ctx), const void *ctx,
    const char *indicator, int min_headcount, double dominance, bool stored,
    struct hidden_given *g)
{
	struct period_unit *v = NULL;
	struct value_edit *e;
	struct series *s1 = NULL, *s2 = NULL;
	struct cells *c1 = NULL;
	size_t n = 0, ne = 0;
	int rc;

	memset(g, 0, sizeof(*g));
	if (!keep)
		return 0;	/* every unit's values go: no figure moves */
	if (stored)
		rc = store_period_units(st, period, indicator, &v, &n) != 0 ? -1 : 0;
	else
		rc = importcheck_evaluated_units(st, period, indicator, &v, &n);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	e = xcalloc(n ? n : 1, sizeof(*e));
	for (size_t i = 0; i < n; i++)
		if (keep(v[i].path, ctx))
			e[ne++] = (struct value_edit){ v[i].path, indicator, period, NAN };
	rc = 0;
	if (ne && (store_load_series_edited(st, period, period, NULL, 0, &s1) != 0 ||
	    store_load_series_edited(st, period, period, e, ne, &s2) != 0))
		rc = -1;
	else if (ne) {
		if (!(c1 = cells_new(s1, min_headcount, dominance)))
			xalloc_die();
		given(s1, c1, s2, period, g);
	}
	cells_free(c1);
	series_free(s2);
	series_free(s1);
	free(e);
	store_period_units_free(v, n);
	return rc;
}

void hidden_given_free(struct hidden_given *g)
{
	free(g->unit);
	free(g->indicator);
	free(g->beside);
	memset(g, 0, sizeof(*g));
}
