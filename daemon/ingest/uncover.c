/* The warnings about a change that would give a small team away through
 * the units hidden beside it (importcheck.h: import_check_uncover,
 * delete_check_uncover). A team under the anonymity floor is hidden with
 * the smallest other team of its parent, so that the parent minus its
 * shown teams is no figure of its own (SPEC 3). That companion is picked
 * from each period's data: a late file (a new team, a corrected
 * headcount) may pick another, and the one hidden until then is shown; a
 * removal of the companion's values moves its parent's figures by them.
 * Either way, beside the figures shown before, the small team's follow by
 * subtraction. Figures shown are not taken back: an import keeps the cells
 * it would show hidden (store_keep_hidden, with its values) and says so;
 * a removal cannot keep its parent's figure from moving, and warns before
 * the change, while the user may still leave that period as it is.
 *
 * Read only, before the change: nothing to read before a first cycle, nor
 * for a change at periods after the last cycle's (the month's export);
 * otherwise the stored values of the periods evaluated that the change
 * touches, twice (as they are and as they would be). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include "vigie/cells.h"
#include "vigie/csv.h"		/* CSV_KEEP_ERRORS */
#include "vigie/importcheck.h"
#include "vigie/moves.h"
#include "vigie/msg.h"
#include "vigie/unit.h"
#include "vigie/xalloc.h"
#include "importcheck_impl.h"

/* The stored values of from .. to and the same after the edits e[0..n),
 * compared (change_uncovers_all): the number of cells the change would
 * give a hidden figure away by, in *r (their unit and indicator copied:
 * reveals_free), or -1. */
static ssize_t uncovers(struct store *st, int32_t from, int32_t to,
    const struct value_edit *e, size_t n, const struct import_batch *b,
    int floor, double dominance, struct reveal **r)
{
	struct series *s1 = NULL, *s2 = NULL;
	struct cells *c1 = NULL, *c2 = NULL;
	ssize_t rc = -1;

	*r = NULL;
	if (store_load_series_edited(st, from, to, NULL, 0, &s1) != 0 ||
	    store_load_series_edited(st, from, to, e, n, &s2) != 0)
		goto out;
	/* The cells b keeps besides (import_check_dominated's), as the
	 * import writes them with its values. */
	for (size_t i = 0; b && i < b->nkeep; i++) {
		int32_t u = series_unit(s2, b->keep[i].unit),
		    x = series_indicator(s2, b->keep[i].indicator);

		if (u >= 0 && x >= 0 && series_keep(s2, (uint32_t)u, (uint32_t)x,
		    b->keep[i].period - s2->p0) != 0)
			xalloc_die();
	}
	if (!(c1 = cells_new(s1, floor, dominance)) || !(c2 = cells_new(s2, floor, dominance)))
		xalloc_die();
	rc = (ssize_t)change_uncovers_all(s1, c1, s2, c2, from, to, r);
	for (ssize_t i = 0; i < rc; i++) {
		(*r)[i].unit = xstrdup((*r)[i].unit);
		(*r)[i].indicator = xstrdup((*r)[i].indicator);
		(*r)[i].beside = xstrdup((*r)[i].beside);
	}
out:
	cells_free(c2);
	cells_free(c1);
	series_free(s2);
	series_free(s1);
	return rc;
}

static void reveals_free(struct reveal *r, ssize_t n)
{
	for (ssize_t i = 0; i < n; i++) {
		free((char *)r[i].unit);
		free((char *)r[i].indicator);
		free((char *)r[i].beside);
	}
	free(r);
}

size_t import_check_uncover(struct store *st, const char *file,
    struct import_batch *b, int min_headcount, double dominance,
    struct diags *w)
{
	int32_t to;
	struct value_edit *e;
	struct reveal *r = NULL;
	ssize_t nr;
	size_t n = 0, at = 0;
	char per[PERIOD_BUFSZ], *parent;

	if (!(n = importcheck_evaluated_edits(st, b, &e, &to)))
		return 0;
	nr = uncovers(st, b->pmin, to, e, n, b, min_headcount, dominance, &r);
	free(e);
	if (nr <= 0)
		return 0;
	/* Stored with the values: those cells stay hidden. An import only
	 * adds or replaces values, so every one is shown anew (REVEAL_SHOWN),
	 * none removed. */
	b->keep = xreallocarray(b->keep, b->nkeep + (size_t)nr, sizeof(*b->keep));
	for (ssize_t i = 0; i < nr; i++)
		b->keep[b->nkeep++] = (struct kept_cell){ xstrdup(r[i].unit),
		    xstrdup(r[i].indicator), r[i].period };
	/* At the file's first cell of that period under the unit's parent:
	 * what picks another companion there. */
	parent = xstrdup(r[0].unit);
	*strrchr(parent, '/') = '\0';
	for (size_t i = 0; i < b->nrecs; i++)
		if (b->recs[i].period == r[0].period &&
		    unit_is_under(b->units[b->recs[i].unit], parent)) {
			at = b->recs[i].unit;
			break;
		}
	struct batch_place place = importcheck_place(b->unit_at, at);

	period_format(b->gran, r[0].period, per);
	if (w->n >= CSV_KEEP_ERRORS)
		diags_more(w, 1);
	else
		diags_add_tr(w, file, place.line, place.col, "this file changes which "
		    "units are hidden at %s, a period Vigie has already evaluated: %s, "
		    "hidden until now beside a team under the anonymity floor, stays "
		    "hidden there, since its figures, beside those shown before, would "
		    "give that team's away (SPEC 3); the other values are imported",
		    per, r[0].unit);
	free(parent);
	reveals_free(r, nr);
	return 1;
}

int delete_check_uncover(struct store *st, int32_t period,
    bool (*keep)(const char *unit, const void *ctx), const void *ctx,
    const char *indicator, int min_headcount, double dominance, char **unit,
    char **beside, bool *removed)
{
	struct period_unit *v = NULL;
	struct value_edit *e;
	struct reveal *r = NULL;
	size_t n = 0, ne = 0;
	ssize_t nr;
	int rc;

	*unit = *beside = NULL;
	*removed = false;
	if (!keep)
		return 0;	/* every unit's values go: no figure moves */
	if ((rc = importcheck_evaluated_units(st, period, indicator, &v, &n)) != 0)
		return rc < 0 ? -1 : 0;
	e = xcalloc(n ? n : 1, sizeof(*e));
	for (size_t i = 0; i < n; i++)
		if (keep(v[i].path, ctx))
			e[ne++] = (struct value_edit){ v[i].path, indicator, period, NAN };
	nr = ne ? uncovers(st, period, period, e, ne, NULL, min_headcount, dominance,
	    &r) : 0;
	rc = nr < 0 ? -1 : 0;
	if (nr > 0) {
		*unit = xstrdup(r[0].unit);
		*beside = xstrdup(r[0].beside);
		*removed = r[0].how == REVEAL_REMOVED;
	}
	reveals_free(r, nr);
	free(e);
	store_period_units_free(v, n);
	return rc;
}
