/* The removal's warning about a small team's values (importcheck.h,
 * delete_check_late), the other half of importlate.c's: a team under the
 * anonymity floor is hidden, and its figures still count in its parent's
 * (SPEC 3). Removing values at a period Vigie has already evaluated
 * (`vigie delete --unit`, the console's « Retirer des valeurs ») moves
 * the figures of every unit above them that keeps a value there, by the
 * sum removed below it: whoever compares them before and after reads that
 * sum. It gives nothing away when the units it comes from make a group at
 * the floor or above (SPEC 3's hidden group, undefined headcounts counted
 * as 0), nor when nothing above them keeps a value (a whole period, a
 * whole company's branch).
 *
 * Read only, before the removal: one read of the period's units. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/importcheck.h"
#include "vigie/store_outbox.h"	/* store_last_cycle */
#include "vigie/unit.h"
#include "vigie/xalloc.h"
#include "importcheck_impl.h"

/* A unit the removal takes, and the nearest unit above it that keeps a
 * value (its figures move by the removed group's sum). */
struct taken {
	const char *path;
	char *above;
	double headcount;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_taken(const void *a, const void *b)
{
	const struct taken *x = a, *y = b;

	return strcmp(x->above, y->above);
}

/* Whether a, or a unit under it, is among the sorted paths kept[0..n). */
static bool keeps_value(char *const *kept, size_t n, const char *a)
{
	size_t len = strlen(a), lo = 0, hi = n;

	while (lo < hi) {	/* the first path not before a */
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(kept[mid], a) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* a itself, or after it and any path beginning "a" then a byte
	 * before '/' ("a-b", "a.b"), one under a. */
	for (; lo < n && !strncmp(kept[lo], a, len); lo++)
		if (unit_is_under(kept[lo], a))
			return true;
	return false;
}

/* The nearest unit above path that keeps a value, as a new string, or
 * NULL: none (the removal takes its company's). */
static char *kept_above(char *const *kept, size_t n, const char *path)
{
	char *a = xstrdup(path), *slash;

	while ((slash = strrchr(a, '/'))) {
		*slash = '\0';
		if (keeps_value(kept, n, a))
			return a;
	}
	free(a);
	return NULL;
}

int importcheck_last_evaluated(struct store *st, int32_t *period)
{
	/* Every cycle's, not the last one's: a month deleted and sent again
	 * had its figures shown all the same. */
	*period = -1;
	return st ? store_evaluated_through(st, period) : 0;
}

size_t importcheck_evaluated_edits(struct store *st,
    const struct import_batch *b, struct value_edit **e, int32_t *to)
{
	int32_t last;
	size_t n = 0;

	*e = NULL;
	if (!st || b->nrecs == 0 || importcheck_last_evaluated(st, &last) != 0 ||
	    last < 0 || b->pmin > last)
		return 0;
	*to = b->pmax < last ? b->pmax : last;
	*e = xcalloc(b->nrecs, sizeof(**e));
	for (size_t i = 0; i < b->nrecs; i++)
		if (b->recs[i].period <= *to)
			(*e)[n++] = (struct value_edit){ b->units[b->recs[i].unit],
			    b->inds[b->recs[i].ind], b->recs[i].period, b->recs[i].value };
	return n;
}

int importcheck_evaluated_units(struct store *st, int32_t period,
    const char *indicator, struct period_unit **v, size_t *n)
{
	int32_t last;

	*v = NULL;
	*n = 0;
	if (importcheck_last_evaluated(st, &last) != 0)
		return -1;
	if (last < 0 || period > last)
		return 1;	/* nothing shown yet of that period */
	return store_period_units(st, period, indicator, v, n) != 0 ? -1 : 0;
}

int delete_check_late(struct store *st, int32_t period,
    bool (*keep)(const char *unit, const void *ctx), const void *ctx,
    const char *indicator, int min_headcount, char ***units, size_t *nunits)
{
	struct period_unit *v = NULL;
	struct taken *t = NULL;
	char **kept = NULL, **out = NULL;
	size_t n = 0, nt = 0, nk = 0, no = 0;
	int rc;

	*units = NULL;
	*nunits = 0;
	if (!keep || (indicator && !strcmp(indicator, "headcount")))
		return 0;	/* every unit's values go; a headcount is no secret */
	if ((rc = importcheck_evaluated_units(st, period, indicator, &v, &n)) != 0)
		return rc < 0 ? -1 : 0;
	t = xcalloc(n ? n : 1, sizeof(*t));
	kept = xcalloc(n ? n : 1, sizeof(*kept));
	for (size_t i = 0; i < n; i++)
		if (v[i].valued && !keep(v[i].path, ctx))
			kept[nk++] = v[i].path;		/* in path order */
	for (size_t i = 0; i < n; i++) {
		char *above;

		if (v[i].valued && keep(v[i].path, ctx) &&
		    (above = kept_above(kept, nk, v[i].path)))
			t[nt++] = (struct taken){ v[i].path, above, v[i].headcount };
	}
	/* Grouped by the unit above; a group under the floor is given away. */
	qsort(t, nt, sizeof(*t), cmp_taken);
	for (size_t g = 0, h; g < nt; g = h) {
		double sum = 0;

		for (h = g; h < nt && !strcmp(t[h].above, t[g].above); h++)
			sum += isnan(t[h].headcount) ? 0 : t[h].headcount;
		if (sum >= min_headcount)
			continue;
		out = xreallocarray(out, no + (h - g), sizeof(*out));
		for (size_t k = g; k < h; k++)
			out[no++] = xstrdup(t[k].path);
	}
	for (size_t i = 0; i < nt; i++)
		free(t[i].above);
	free(t);
	free(kept);
	store_period_units_free(v, n);
	if (no)
		qsort(out, no, sizeof(*out), cmp_str);
	*units = out;
	*nunits = no;
	return 0;
}
