/* The import warnings about dominated cells (importcheck.h,
 * import_check_dominated), dominance's half of importlate.c's: a value of
 * X whose X_max is over dominance times it describes one person, and is
 * hidden (SPEC 3), while it still counts in its parent's figures. A file
 * that changes it at a period Vigie has already evaluated, or changes a
 * value shown then so that it becomes one person's, moves the parent's
 * figures of that period by as much: whoever compares them before and
 * after reads it. And a corrected X_max (or X) that would no longer
 * dominate a cell hidden as one person's would show it: it stays hidden
 * (its X_max's cell kept, series.h, as the cycle that showed the period
 * records it), and the user is told.
 *
 * Read only, before the batch is imported: nothing before a first cycle,
 * nor for a file of periods after the last cycle's (the month's export);
 * otherwise the stored values of the periods evaluated that the file
 * touches, twice (as they are and as they would be). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/cells.h"
#include "vigie/csv.h"		/* CSV_KEEP_ERRORS */
#include "vigie/importcheck.h"
#include "vigie/msg.h"
#include "vigie/unit.h"
#include "vigie/xalloc.h"
#include "importcheck_impl.h"

/* The value of (unit, indicator) at p in s, NaN when s has none. */
static double value_of(const struct series *s, const char *unit,
    const char *ind, int32_t p)
{
	int32_t u = series_unit(s, unit), x = series_indicator(s, ind);

	return u < 0 || x < 0 ? NAN : series_get(s, (uint32_t)u, (uint32_t)x, p);
}

/* Whether two values differ, none (NaN) being one. */
static bool differs(double a, double b)
{
	return isnan(a) != isnan(b) || (!isnan(a) && a != b);
}

/* Whether the cell of (unit, ind) at p was dominated in s: its X_max over
 * dominance times it, or its X_max's cell kept (cells.h). */
static bool dominated_in(const struct series *s, const char *unit,
    const char *ind, const char *max, int32_t p, double dominance)
{
	int32_t u = series_unit(s, unit), m = series_indicator(s, max);
	double x = value_of(s, unit, ind, p);

	if (u < 0 || m < 0 || isnan(x) || p < s->p0 || p >= s->p0 + s->np)
		return false;
	return cells_dominated(x, series_get(s, (uint32_t)u, (uint32_t)m, p), dominance) ||
	    (s->kept && s->kept[((size_t)u * s->nind + (size_t)m) * (size_t)s->np +
	    (size_t)(p - s->p0)]);
}

/* Whether unit is under the floor at p in s (its own warning says it:
 * importlate.c). */
static bool under_floor(const struct series *s, const char *unit, int32_t p,
    int floor)
{
	int32_t u = series_unit(s, unit);
	double h = value_of(s, unit, "headcount", p);

	return isnan(h) || h < floor ||
	    (u >= 0 && series_kept_below(s, (uint32_t)u, p - s->p0));
}

/* b's value of (unit u, indicator named ind) at p, NaN when none: among
 * the unit's records [i, j). */
static double file_value(const struct import_batch *b, size_t i, size_t j,
    const char *ind, int32_t p)
{
	for (size_t r = i; r < j; r++)
		if (b->recs[r].period == p && !strcmp(b->inds[b->recs[r].ind], ind))
			return b->recs[r].value;
	return NAN;
}

/* A cell of b that changes a value at a period evaluated, hidden as one
 * person's before or after: one warning per unit, at its first cell, the
 * earliest such period (F1 of the reader's guide: import_check_late's
 * words). 1 when said, else 0. */
static size_t changes_dominated(const struct series *s1, const struct series *s2,
    const char *file, const struct import_batch *b, size_t i, size_t j,
    int32_t to, int floor, double dominance, const struct import_blind *blind,
    struct diags *w)
{
	const char *unit = b->units[b->recs[i].unit], *ind = NULL;
	char *parent = xstrdup(unit), max[80], per[PERIOD_BUFSZ];
	int32_t first = INT32_MAX;
	bool before = false;

	*strrchr(parent, '/') = '\0';
	for (size_t r = i; r < j; r++) {
		const struct import_record *x = &b->recs[r];
		const char *name = b->inds[x->ind];
		double old = value_of(s1, unit, name, x->period), m;
		bool was;

		if (x->period > to || x->period >= first || !strcmp(name, "headcount") ||
		    (strlen(name) > 4 && !strcmp(name + strlen(name) - 4, "_max")) ||
		    snprintf(max, sizeof(max), "%s_max", name) >= (int)sizeof(max) ||
		    (old == x->value && !import_blind_hides(blind, unit, name, x->period)) ||
		    isnan(value_of(s1, parent, name, x->period)) ||
		    under_floor(s2, unit, x->period, floor))
			continue;
		/* The console's reader does not see X_max: only the file's
		 * tells (blind.h), as no warning may depend on a stored one. */
		was = !blind && dominated_in(s1, unit, name, max, x->period, dominance);
		m = file_value(b, i, j, max, x->period);
		if (isnan(m) && !blind)
			m = value_of(s2, unit, max, x->period);
		if (!was && !cells_dominated(x->value, m, dominance))
			continue;
		first = x->period;
		ind = name;
		before = was;
	}
	free(parent);
	if (!ind)
		return 0;
	if (w->n >= CSV_KEEP_ERRORS) {
		diags_more(w, 1);
		return 1;
	}
	struct batch_place at = importcheck_place(b->unit_at, b->recs[i].unit);

	period_format(b->gran, first, per);
	if (before)
		diags_add_tr(w, file, at.line, at.col, "%s's %s is hidden at %s as one "
		    "person's (dominance), a period Vigie has already evaluated, and "
		    "this file changes it there: its parent's figures of that period "
		    "move by as much, which gives it away to whoever compares them "
		    "before and after (SPEC 3); correct a team's past only when it "
		    "matters", unit, ind, per);
	else
		diags_add_tr(w, file, at.line, at.col, "%s's %s at %s, a period Vigie "
		    "has already evaluated, becomes one person's with this file (its "
		    "X_max over dominance times it) and is hidden from now on, while "
		    "its parent's figures of that period move by the change, which "
		    "gives it away to whoever compares them before and after (SPEC 3); "
		    "correct a team's past only when it matters", unit, ind, per);
	return 1;
}

/* The cells hidden as one person's in s1 that s2 would no longer hide
 * so: added to b's keep (their X_max's cell), which store_import writes
 * with the values; the first one that b changes is said (not to the
 * console's reader, who sees none of these values: blind.h). */
static size_t stays_dominated(const struct series *s1, const struct series *s2,
    const struct cells *c2, const char *file, struct import_batch *b,
    int32_t from, int32_t to, int floor, double dominance,
    const struct import_blind *blind, struct diags *w)
{
	const char *unit = NULL, *ind = NULL, *max = NULL;
	int32_t first = 0;
	char per[PERIOD_BUFSZ];

	for (uint32_t u = 0; u < s2->nunits; u++)
		for (uint32_t x = 0; x < s2->nind; x++) {
			int32_t m = cells_companion(c2, x);

			for (int32_t p = from; m >= 0 && !c2->is_companion[x] && p <= to; p++) {
				double v = series_get(s2, u, x, p),
				    vm = series_get(s2, u, (uint32_t)m, p);
				const char *path = s2->units[u], *name = s2->inds[x],
				    *mname = s2->inds[m];

				if (isnan(v) || cells_dominated(v, vm, dominance) ||
				    under_floor(s1, path, p, floor) ||
				    !dominated_in(s1, path, name, mname, p, dominance))
					continue;
				b->keep = xreallocarray(b->keep, b->nkeep + 1, sizeof(*b->keep));
				b->keep[b->nkeep++] = (struct kept_cell){ xstrdup(path),
				    xstrdup(mname), p };
				if (!unit && (differs(value_of(s1, path, name, p), v) ||
				    differs(value_of(s1, path, mname, p), vm))) {
					unit = path;
					ind = name;
					max = mname;
					first = p;
				}
			}
		}
	if (!unit || blind)
		return 0;
	if (w->n >= CSV_KEEP_ERRORS) {
		diags_more(w, 1);
		return 1;
	}
	size_t at = 0;

	for (size_t k = 0; k < b->nunits; k++)
		if (!strcmp(b->units[k], unit) || unit_is_under(b->units[k], unit)) {
			at = k;
			break;
		}
	struct batch_place place = importcheck_place(b->unit_at, at);

	period_format(b->gran, first, per);
	diags_add_tr(w, file, place.line, place.col, "%s's %s was hidden at %s as "
	    "one person's, a period Vigie has already evaluated: it stays hidden "
	    "there whatever %s and %s it is given now, since shown it would give "
	    "away what dominance hid (SPEC 3); the values are imported, and the "
	    "periods not evaluated yet follow them", unit, ind, per, ind, max);
	return 1;
}

size_t import_check_dominated(struct store *st, const char *file,
    struct import_batch *b, int min_headcount, double dominance,
    const struct import_blind *blind, struct diags *w)
{
	int32_t to;
	struct value_edit *e;
	struct series *s1 = NULL, *s2 = NULL;
	struct cells *c2 = NULL;
	size_t n = 0, said = 0;

	if (!(n = importcheck_evaluated_edits(st, b, &e, &to)))
		return 0;
	if (store_load_series_edited(st, b->pmin, to, NULL, 0, &s1) != 0 ||
	    store_load_series_edited(st, b->pmin, to, e, n, &s2) != 0)
		goto out;
	if (!(c2 = cells_new(s2, min_headcount, dominance)))
		xalloc_die();
	for (size_t i = 0, j; i < b->nrecs; i = j) {
		j = importcheck_unit_end(b, i);
		if (strchr(b->units[b->recs[i].unit], '/'))
			said += changes_dominated(s1, s2, file, b, i, j, to, min_headcount,
			    dominance, blind, w);
	}
	said += stays_dominated(s1, s2, c2, file, b, b->pmin, to, min_headcount,
	    dominance, blind, w);
out:
	cells_free(c2);
	series_free(s2);
	series_free(s1);
	free(e);
	return said;
}
