/* The import warnings about values (importcheck.h, import_check_values):
 * a leaf unit without a headcount, and the month's file without an
 * indicator of the month before (and, in importperiod.c, the month's file
 * against the months stored). They look at the whole import: a value that
 * another file of the same import brings (`vigie import a.csv hc.csv`, in
 * either order) counts as there, so that only what the whole import
 * leaves missing is said. The headcount check reads one stored series per leaf
 * unit that the file leaves without a headcount at some period, and none
 * for the others; the month's check, one indexed query per unit of the
 * file at its latest period, and none when that period is not the latest,
 * or the one after it, of what is stored. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/csv.h"		/* CSV_KEEP_ERRORS */
#include "vigie/importcheck.h"
#include "vigie/msg.h"
#include "vigie/xalloc.h"
#include "importcheck_impl.h"

static int cmp_unit_idx(const void *x, const void *y, void *ctx)
{
	char *const *units = ctx;

	return strcmp(units[*(const uint32_t *)x], units[*(const uint32_t *)y]);
}

/* The first of o's units, in path order, not before key. */
static size_t other_lower(const struct other_batch *o, const char *key)
{
	size_t lo = 0, hi = o->b->nunits;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(o->b->units[o->order[mid]], key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool other_has_descendant(const struct other_batch *o, const char *path)
{
	char *key = xasprintf("%s/", path);
	size_t i = other_lower(o, key);
	bool yes = i < o->b->nunits &&
	    !strncmp(o->b->units[o->order[i]], key, strlen(key));

	free(key);
	return yes;
}

/* Whether b has a value of unit u and indicator ind (indices, ind -1:
 * none) at period. A CSV batch's records are in key order (unit,
 * indicator, period: csv.c), so one binary search finds it. */
bool importcheck_batch_has(const struct import_batch *b, uint32_t u, int64_t ind,
    int32_t period)
{
	const struct import_record *r = b->recs;
	size_t lo = 0, hi = b->nrecs;

	if (ind < 0)
		return false;
	uint32_t k = (uint32_t)ind;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r[mid].unit < u || (r[mid].unit == u && (r[mid].ind < k ||
		    (r[mid].ind == k && r[mid].period < period))))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < b->nrecs && r[lo].unit == u && r[lo].ind == k &&
	    r[lo].period == period;
}

/* b's index of the indicator name, or -1. */
int64_t importcheck_batch_ind(const struct import_batch *b, const char *name)
{
	for (size_t k = 0; k < b->ninds; k++)
		if (!strcmp(b->inds[k], name))
			return (int64_t)k;
	return -1;
}

/* Whether o brings a value of ind (a name) for unit at period. */
bool importcheck_other_has(const struct other_batch *o, const char *unit, const char *ind,
    int32_t period)
{
	size_t i = other_lower(o, unit);

	return i < o->b->nunits && !strcmp(o->b->units[o->order[i]], unit) &&
	    importcheck_batch_has(o->b, o->order[i], importcheck_batch_ind(o->b, ind), period);
}


bool importcheck_other_brings(const struct other_batch *o, const char *unit,
    int32_t period)
{
	size_t i = other_lower(o, unit), lo = 0, hi = o->b->nrecs;
	uint32_t u;

	if (i == o->b->nunits || strcmp(o->b->units[o->order[i]], unit))
		return false;
	u = o->order[i];
	while (lo < hi) {	/* the unit's first record */
		size_t mid = lo + (hi - lo) / 2;
		if (o->b->recs[mid].unit < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < o->b->nrecs && o->b->recs[lo].unit == u; lo++)
		if (o->b->recs[lo].period == period)
			return true;
	return false;
}

static struct other_batch *others_new(const struct import_batch *b,
    const struct import_batch *const *with, size_t nwith, size_t *n)
{
	struct other_batch *o = xcalloc(nwith ? nwith : 1, sizeof(*o));

	*n = 0;
	for (size_t i = 0; i < nwith; i++) {
		const struct import_batch *x = with[i];
		struct other_batch *t = &o[*n];
		if (x == b || !x->nrecs)
			continue;
		t->b = x;
		t->order = xcalloc(x->nunits ? x->nunits : 1, sizeof(*t->order));
		for (size_t k = 0; k < x->nunits; k++)
			t->order[k] = (uint32_t)k;
		qsort_r(t->order, x->nunits, sizeof(*t->order), cmp_unit_idx, x->units);
		(*n)++;
	}
	return o;
}

static void others_free(struct other_batch *o, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(o[i].order);
	free(o);
}

/* A leaf unit of the file with values at a period and no headcount there,
 * neither in the file, nor in the other files of the same import, nor
 * stored: hidden at that period (SPEC 3), and maybe a sibling with it. The
 * file's records are grouped by unit (csv.h). */
static size_t check_headcount(struct store *st, const char *file,
    const struct import_batch *b, char *const *stored, size_t nstored,
    const struct other_batch *oth, size_t noth, struct diags *w)
{
	int64_t hc = importcheck_batch_ind(b, "headcount");
	char **mine = xcalloc(b->nunits ? b->nunits : 1, sizeof(*mine));
	int32_t *vp = NULL, *hp = NULL;
	size_t cap = 0, said = 0;

	memcpy(mine, b->units, b->nunits * sizeof(*mine));
	qsort(mine, b->nunits, sizeof(*mine), importcheck_cmp_str);
	for (size_t i = 0, j; i < b->nrecs; i = j) {
		uint32_t u = b->recs[i].unit;
		const char *unit = b->units[u];
		size_t nv = 0, nh = 0;
		bool parent = false;

		j = importcheck_unit_end(b, i);
		/* A parent's headcount is its children's sum (SPEC 2). */
		parent = importcheck_has_descendant(mine, b->nunits, unit) ||
		    importcheck_has_descendant(stored, nstored, unit);
		for (size_t o = 0; o < noth && !parent; o++)
			parent = other_has_descendant(&oth[o], unit);
		if (parent)
			continue;
		if (j - i > cap) {
			cap = j - i;
			vp = xreallocarray(vp, cap, sizeof(*vp));
			hp = xreallocarray(hp, cap, sizeof(*hp));
		}
		for (size_t r = i; r < j; r++)
			if ((int64_t)b->recs[r].ind == hc)
				hp[nh++] = b->recs[r].period;
			else
				vp[nv++] = b->recs[r].period;
		qsort(vp, nv, sizeof(*vp), importcheck_cmp_period);
		qsort(hp, nh, sizeof(*hp), importcheck_cmp_period);
		/* The stored headcount, read once for the unit when needed. */
		int32_t p0 = 0;
		double *hv = NULL;
		size_t nhv = 0;
		bool read = false;
		for (size_t k = 0; k < nv; k++) {
			struct batch_place at = importcheck_place(b->unit_at, u);
			char per[PERIOD_BUFSZ];
			int64_t off;
			bool there = false;

			if ((k && vp[k] == vp[k - 1]) ||
			    bsearch(&vp[k], hp, nh, sizeof(*hp), importcheck_cmp_period))
				continue;
			for (size_t o = 0; o < noth && !there; o++)
				there = importcheck_other_has(&oth[o], unit, "headcount", vp[k]);
			if (there)
				continue;
			if (st && !read) {
				read = true;
				if (store_series_get(st, unit, "headcount", &p0, &hv, &nhv) < 0)
					nhv = 0;
			}
			off = (int64_t)vp[k] - p0;
			if (off >= 0 && (uint64_t)off < nhv && !isnan(hv[off]))
				continue;
			said++;
			if (w->n >= CSV_KEEP_ERRORS) {
				diags_more(w, 1);
				continue;
			}
			period_format(b->gran, vp[k], per);
			if (b->gran == GRAN_WEEK)
				diags_add_tr(w, file, at.line, at.col, "%s has no headcount "
				    "for %s, neither in this file nor stored: its figures "
				    "for that week are hidden (SPEC 3), and may hide a "
				    "sibling with them, until one is imported", unit, per);
			else
				diags_add_tr(w, file, at.line, at.col, "%s has no headcount "
				    "for %s, neither in this file nor stored: its figures "
				    "for that month are hidden (SPEC 3), and may hide a "
				    "sibling with them, until one is imported", unit, per);
		}
		free(hv);
	}
	free(vp);
	free(hp);
	free(mine);
	return said;
}

/* Indicators that units of the file had at the period before the file's
 * latest, and have at none there, neither in the file, nor in the other
 * files of the same import, nor stored: the rules that read them cannot
 * evaluate the month (an alert they hold resolves after carry_over, SPEC
 * 5). Only when the file brings the latest period (a correction of the
 * past is not the month's export); the headcount has its own check. A
 * column of the file that lacks some of its units (an extract that lost
 * teams) is said an indicator at a time, at its first unit; the columns
 * the file does not have (an export that lost one, or the month split in
 * two files imported apart) in one warning, at its header. */
struct lost {
	char *ind;
	size_t units;
	uint32_t first;
};

static void lost_add(struct lost **v, size_t *n, const char *ind, uint32_t u)
{
	size_t x = 0;

	while (x < *n && strcmp((*v)[x].ind, ind))
		x++;
	if (x == *n) {
		*v = xreallocarray(*v, *n + 1, sizeof(**v));
		(*v)[(*n)++] = (struct lost){ xstrdup(ind), 0, u };
	}
	(*v)[x].units++;
}

static size_t check_dropped(struct store *st, const char *file,
    const struct import_batch *b, const struct other_batch *oth, size_t noth,
    struct diags *w)
{
	struct lost *gap = NULL, *absent = NULL;	/* columns of the file, others */
	size_t ngap = 0, nabsent = 0, aunits = 0, said = 0;
	int32_t p = b->pmax, latest;
	char per[PERIOD_BUFSZ], prev[PERIOD_BUFSZ];

	/* Nothing stored ends at p - 1 when the latest stored is before it;
	 * after p, the file corrects the past. */
	if (!st || !b->nrecs || (latest = store_latest_period(st)) < p - 1 || latest > p)
		return 0;
	for (size_t i = 0, j; i < b->nrecs; i = j) {
		uint32_t u = b->recs[i].unit;
		bool at_p = false, counted = false;
		char **ind;
		size_t nind;

		for (j = i; j < b->nrecs && b->recs[j].unit == u; j++)
			at_p |= b->recs[j].period == p;
		if (!at_p || store_indicators_ending(st, b->units[u], p - 1, &ind, &nind) != 0)
			continue;
		for (size_t k = 0; k < nind; k++) {
			int64_t col = importcheck_batch_ind(b, ind[k]);
			bool there = !strcmp(ind[k], "headcount") || importcheck_batch_has(b, u, col, p);

			for (size_t o = 0; o < noth && !there; o++)
				there = importcheck_other_has(&oth[o], b->units[u], ind[k], p);
			if (there)
				continue;
			if (col >= 0) {
				lost_add(&gap, &ngap, ind[k], u);
				continue;
			}
			aunits += !counted;
			counted = true;
			lost_add(&absent, &nabsent, ind[k], u);
		}
		store_names_free(ind, nind);
	}
	period_format(b->gran, p, per);
	period_format(b->gran, p - 1, prev);
	for (size_t x = 0; x < ngap; x++) {
		struct batch_place at = importcheck_place(b->unit_at, gap[x].first);
		const char *unit = b->units[gap[x].first];

		if (gap[x].units == 1)
			diags_add_tr(w, file, at.line, at.col, "%s has no %s for %s, "
			    "neither in this file nor stored, and had it for %s: the "
			    "rules that read it cannot evaluate %s there until it is "
			    "imported", unit, gap[x].ind, per, prev, per);
		else
			diags_add_tr(w, file, at.line, at.col, "%zu units of the file "
			    "(the first: %s) have no %s for %s, neither in this file nor "
			    "stored, and had it for %s: the rules that read it cannot "
			    "evaluate %s for them until it is imported", gap[x].units,
			    unit, gap[x].ind, per, prev, per);
		free(gap[x].ind);
		said++;
	}
	free(gap);
	if (nabsent) {
		struct batch_place at = importcheck_place(b->ind_at, 0);
		char *names = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&names, &len);

		if (!f)
			xalloc_die();
		for (size_t x = 0; x < nabsent; x++) {
			fprintf(f, "%s%s", x ? ", " : "", absent[x].ind);
			free(absent[x].ind);
		}
		if (fclose(f) != 0)
			xalloc_die();
		if (nabsent == 1)
			diags_add_tr(w, file, at.line, at.col, "this file has no %s for "
			    "%s, and none is stored (units of the file that had it for "
			    "%s: %zu): if another file brings it, import that file too; "
			    "otherwise the rules that read it cannot evaluate %s",
			    names, per, prev, aunits, per);
		else
			diags_add_tr(w, file, at.line, at.col, "this file has none of %s "
			    "for %s, and none is stored (units of the file that had them "
			    "for %s: %zu): if another file brings them, import that file "
			    "too; otherwise the rules that read them cannot evaluate %s",
			    names, per, prev, aunits, per);
		free(names);
		said++;
	}
	free(absent);
	return said;
}

size_t import_check_values(struct store *st, const char *file,
    const struct import_batch *b, const struct import_batch *const *with,
    size_t nwith, const struct import_blind *blind, struct diags *w)
{
	char **inds, **units;
	size_t ninds, nunits, noth, said;
	struct other_batch *oth;

	w->kind = "warning";
	if (importcheck_stored_names(st, &inds, &ninds, &units, &nunits) != 0)
		return 0;
	oth = others_new(b, with, nwith, &noth);
	said = check_headcount(st, file, b, units, nunits, oth, noth, w);
	said += check_dropped(st, file, b, oth, noth, w);
	said += importcheck_gaps(st, file, b, oth, noth, blind, w);
	said += importcheck_periods(st, file, b, with, nwith, blind, w);
	others_free(oth, noth);
	store_names_free(inds, ninds);
	store_names_free(units, nunits);
	return said;
}
