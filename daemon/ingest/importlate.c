/* The import warning about a small team's late values (importcheck.h,
 * import_check_late): the anonymity floor hides a team below it, and its
 * figures still count in its parent's (SPEC 3). A value that arrives, or
 * changes, after Vigie has evaluated its period moves the parent's figures
 * of that period by as much between two digests, two visits of the
 * console: whoever compares them reads the team's figure. The floor cannot
 * hide a change; the warning says so while there is still time not to
 * import it (--dry-run, the console's « Vérifier sans importer »).
 *
 * Read only, before the batch is imported. Nothing to read before a first
 * cycle, nor for a file that brings only periods after the last cycle's
 * (the month's export); otherwise one read of the headcount per unit of
 * the file with a parent and a value at an evaluated period, and one of
 * the unit's stored values at a period only where it is under the floor
 * (rare: a read per such unit and period, until one changes), and then
 * of the units with a value there, to know whether its parent had any. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/csv.h"		/* CSV_KEEP_ERRORS */
#include "vigie/importcheck.h"
#include "vigie/msg.h"
#include "vigie/series.h"
#include "vigie/unit.h"
#include "vigie/xalloc.h"
#include "importcheck_impl.h"

/* The stored headcount of unit at period p, from its series read once
 * into *hv (NaN: none). */
static double stored_headcount(struct store *st, const char *unit, int32_t p,
    int32_t *p0, double **hv, size_t *n, bool *read)
{
	int64_t off;

	if (!*read) {
		*read = true;
		if (store_series_get(st, unit, "headcount", p0, hv, n) < 0)
			*n = 0;
	}
	off = (int64_t)p - *p0;
	return off >= 0 && (uint64_t)off < *n ? (*hv)[off] : NAN;
}

/* The headcount that b's records [hs, he) (one unit's headcount, in
 * period order: csv.h's key order) give at period p, or NaN. */
static double file_headcount(const struct import_batch *b, size_t hs, size_t he,
    int32_t p)
{
	while (hs < he) {
		size_t mid = hs + (he - hs) / 2;

		if (b->recs[mid].period == p)
			return b->recs[mid].value;
		if (b->recs[mid].period < p)
			hs = mid + 1;
		else
			he = mid;
	}
	return NAN;
}

/* Whether b's records [i, j) (one unit's) change, at period p, a value
 * stored for it (add one, or replace it with another), headcount aside;
 * any value of a cell the reader may not see (blind) does, equal or not:
 * whether the warning comes must not tell that value. */
static bool changes_at(struct store *st, const struct import_batch *b,
    size_t i, size_t j, int64_t hc, int32_t p, const struct import_blind *blind)
{
	char **inds = NULL;
	double *vals = NULL;
	size_t n = 0;
	bool changed = false;

	if (store_values_at(st, b->units[b->recs[i].unit], p, &inds, &vals, &n) != 0)
		return false;
	for (size_t r = i; r < j && !changed; r++) {
		const struct import_record *x = &b->recs[r];
		size_t k = 0;

		if (x->period != p || (int64_t)x->ind == hc)
			continue;
		while (k < n && strcmp(inds[k], b->inds[x->ind]))
			k++;
		changed = k == n || vals[k] != x->value ||
		    import_blind_hides(blind, b->units[x->unit], b->inds[x->ind], p);
	}
	store_names_free(inds, n);
	free(vals);
	return changed;
}

/* Whether unit's parent had figures at period p before b: a value stored
 * there for the parent, or for a unit under it other than unit. Without
 * them (a site's file that comes after another site's, its month first
 * evaluated without it) there is no figure before to compare with, and
 * nothing is given away. */
static bool parent_shown(struct store *st, const char *unit, int32_t p)
{
	size_t plen = unit_parent_len(unit, strlen(unit)), n = 0;
	struct period_unit *v = NULL;
	bool yes = false;

	if (store_period_units(st, p, NULL, &v, &n) != 0)
		return true;	/* said, rather than missed */
	for (size_t i = 0; i < n && !yes; i++)
		yes = !strncmp(v[i].path, unit, plen) && (v[i].path[plen] == '\0' ||
		    (v[i].path[plen] == '/' && strcmp(v[i].path, unit) &&
		    !unit_is_under(v[i].path, unit)));
	store_period_units_free(v, n);
	return yes;
}

/* b's headcount records [hs, he) of unit u that put it over the floor at
 * an evaluated period where it is kept under it (series.h, below: it was
 * when a cycle showed that period): its figures of then stay hidden, which
 * the user correcting a headcount is told, at the first such period. 1
 * when said, else 0. */
static size_t kept_below(struct store *st, const char *file,
    const struct import_batch *b, uint32_t u, size_t hs, size_t he,
    int32_t last, int min_headcount, struct diags *w)
{
	const char *unit = b->units[u];
	size_t r = hs;
	char per[PERIOD_BUFSZ];

	while (r < he && (b->recs[r].period > last || b->recs[r].value < min_headcount ||
	    store_kept_below(st, unit, b->recs[r].period) != 1))
		r++;
	if (r == he)
		return 0;
	if (w->n >= CSV_KEEP_ERRORS) {
		diags_more(w, 1);
		return 1;
	}
	struct batch_place at = importcheck_place(b->unit_at, u);

	period_format(b->gran, b->recs[r].period, per);
	diags_add_tr(w, file, at.line, at.col, "%s was under the anonymity floor at "
	    "%s, a period Vigie has already evaluated: its figures there stay "
	    "hidden whatever headcount it is given now, since shown they would "
	    "give away what the floor hid (SPEC 3); the headcount is imported, and "
	    "the periods not evaluated yet follow it", unit, per);
	return 1;
}

size_t import_check_late(struct store *st, const char *file,
    const struct import_batch *b, int min_headcount,
    const struct import_blind *blind, struct diags *w)
{
	int32_t last;
	int64_t hc = -1;
	int32_t *ps = NULL;
	size_t said = 0, cap = 0;

	if (!st || b->nrecs == 0 || importcheck_last_evaluated(st, &last) != 0 ||
	    last < 0 || b->pmin > last)
		return 0;
	for (size_t k = 0; k < b->ninds; k++)
		if (!strcmp(b->inds[k], "headcount"))
			hc = (int64_t)k;
	for (size_t i = 0, j; i < b->nrecs; i = j) {
		uint32_t u = b->recs[i].unit;
		const char *unit = b->units[u];
		int32_t p0 = 0, first = -1;
		double *hv = NULL;
		size_t nhv = 0, np = 0, hs = 0, he = 0;
		bool read = false;

		j = importcheck_unit_end(b, i);
		if (!strchr(unit, '/'))
			continue;	/* a company: no parent to give it away */
		/* The unit's evaluated periods with a value, oldest first. */
		if (j - i > cap) {
			cap = j - i;
			ps = xreallocarray(ps, cap, sizeof(*ps));
		}
		for (size_t r = i; r < j; r++)
			if ((int64_t)b->recs[r].ind == hc) {
				if (he == 0)
					hs = r;
				he = r + 1;	/* contiguous: csv.h's key order */
			} else if (b->recs[r].period <= last)
				ps[np++] = b->recs[r].period;
		qsort(ps, np, sizeof(*ps), importcheck_cmp_period);
		for (size_t k = 0; k < np && first < 0; k++) {
			double h;

			if (k && ps[k] == ps[k - 1])
				continue;
			if (isnan(h = file_headcount(b, hs, he, ps[k])))
				h = stored_headcount(st, unit, ps[k], &p0, &hv, &nhv, &read);
			else if (h >= min_headcount &&
			    store_kept_below(st, unit, ps[k]) == 1)
				h = 0;	/* lifted by b, kept under (kept_below) */
			if (!isnan(h) && h < min_headcount && changes_at(st, b, i, j, hc, ps[k], blind) &&
			    parent_shown(st, unit, ps[k]))
				first = ps[k];
		}
		said += kept_below(st, file, b, u, hs, he, last, min_headcount, w);
		free(hv);
		if (first < 0)
			continue;
		said++;
		if (w->n >= CSV_KEEP_ERRORS) {
			diags_more(w, 1);
			continue;
		}
		struct batch_place at = importcheck_place(b->unit_at, u);
		char per[PERIOD_BUFSZ];

		period_format(b->gran, first, per);
		diags_add_tr(w, file, at.line, at.col, "%s is under the anonymity floor "
		    "at %s, a period Vigie has already evaluated, and this file changes "
		    "its values there: its parent's figures of that period move by as "
		    "much, which gives them away to whoever compares them before and "
		    "after (SPEC 3); import each month whole, and correct a small "
		    "team's past only when it matters", unit, per);
	}
	free(ps);
	return said;
}
