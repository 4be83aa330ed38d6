/* The month's file against the months stored (importcheck_impl.h): the
 * mistakes of a period that a file's own checks cannot see, and that
 * importing the right file afterwards does not undo. A file sent under the
 * next period that repeats the month before (the previous export sent
 * again); a file that leaves the period before it empty for its units (the
 * month's export sent under the next month's name, or a month forgotten).
 * Each reads the values stored for the units themselves (not roll-ups) at
 * a period or two, one indexed query per unit, for UNITS_READ of the
 * file's units at most: a share or an absence decides, not a count. They
 * look at the periods before the file's, so they say the same before and
 * after it is imported (the inbox checks again at the end of its pass). */
#include <stdlib.h>
#include <string.h>
#include "vigie/importcheck.h"
#include "vigie/msg.h"
#include "vigie/xalloc.h"
#include "importcheck_impl.h"

#define UNITS_READ 64

/* A month's file whose values are those stored for the month before: the
 * previous export sent again under the next period, which the rules would
 * read as a month where nothing moved, and which importing the right file
 * later does not undo (it adds the right month after it). Only for a file
 * of one period, new or the latest, against the values stored for the
 * period before it (not roll-ups), zeros aside (a team without conflicts
 * has none two months running); real months repeat a third of them at
 * most (a headcount, a small count; the demo company's 35 months: 16 % to
 * 36 %). The units read are bounded: the share decides, not the count.
 * A stored value the reader may not see (blind) is not compared. */
#define REPEAT_SHARE 0.9	/* of the pairs compared, equal */
#define REPEAT_PAIRS 20		/* compared, at least */
#define REPEAT_INDS 3		/* indicators among the equal pairs, at least */

static size_t check_repeated(struct store *st, const char *file,
    const struct import_batch *b, const struct import_blind *blind,
    struct diags *w)
{
	int32_t p = b->pmax, latest;
	size_t pairs = 0, same = 0, units = 0, nsame_ind = 0;
	bool *same_ind;
	struct batch_place at;
	char per[PERIOD_BUFSZ], prev[PERIOD_BUFSZ];

	if (!st || !b->nrecs || b->pmin != p || (latest = store_latest_period(st)) < p - 1 ||
	    latest > p)
		return 0;
	same_ind = xcalloc(b->ninds ? b->ninds : 1, sizeof(*same_ind));
	for (size_t i = 0, j; i < b->nrecs && units < UNITS_READ; i = j) {
		uint32_t u = b->recs[i].unit;
		char **ind;
		double *v;
		size_t n;

		j = importcheck_unit_end(b, i);
		if (store_values_at(st, b->units[u], p - 1, &ind, &v, &n) != 0)
			break;
		units++;
		for (size_t r = i; r < j && n; r++) {
			const struct import_record *m = &b->recs[r];
			char *const *k = bsearch(&b->inds[m->ind], ind, n, sizeof(*ind),
			    importcheck_cmp_str);

			if (!k || m->value == 0 || v[k - ind] == 0 ||
			    import_blind_hides(blind, b->units[u], b->inds[m->ind], p - 1))
				continue;
			pairs++;
			if (m->value != v[k - ind])
				continue;
			same++;
			nsame_ind += !same_ind[m->ind];
			same_ind[m->ind] = true;
		}
		store_names_free(ind, n);
		free(v);
	}
	free(same_ind);
	if (pairs < REPEAT_PAIRS || nsame_ind < REPEAT_INDS ||
	    (double)same < REPEAT_SHARE * (double)pairs)
		return 0;
	period_format(b->gran, p, per);
	period_format(b->gran, p - 1, prev);
	at = importcheck_place(b->ind_at, 0);
	diags_add_tr(w, file, at.line, at.col, "%zu of the %zu values compared (zeros aside) "
	    "are those stored for %s: the export of %s sent again as %s? The rules "
	    "would read it as a period where nothing changed; if so, remove it "
	    "(vigie delete --period %s, or the console's import page) and import "
	    "the right file", same, pairs, prev, prev, per, per);
	return 1;
}


/* A file whose units have values stored for the period two before its
 * first and none for the one before it: the month's export under the next
 * month's name (November's figures as December's, November never
 * imported), or a month forgotten; the rules would read the file's period
 * with a hole before it. Unless another file of the same import brings
 * that period. At least SKIP_UNITS units with the period two before, and
 * none with the one before: a team away for a month is not a skip. */
#define SKIP_UNITS 3

static size_t check_skipped(struct store *st, const char *file,
    const struct import_batch *b, const struct import_batch *const *with,
    size_t nwith, struct diags *w)
{
	int32_t p = b->pmin;
	size_t before = 0, units = 0;
	bool hole = true;
	struct batch_place at;
	char per[PERIOD_BUFSZ], gap[PERIOD_BUFSZ], prev[PERIOD_BUFSZ];

	if (!st || !b->nrecs)
		return 0;
	for (size_t i = 0; i < nwith; i++)
		if (with[i] != b && with[i]->nrecs && with[i]->pmin <= p - 1 &&
		    with[i]->pmax >= p - 1)
			return 0;
	for (size_t i = 0, j; i < b->nrecs && units < UNITS_READ && hole; i = j) {
		uint32_t u = b->recs[i].unit;
		char **ind;
		double *v;
		size_t n;

		j = importcheck_unit_end(b, i);
		units++;
		if (store_values_at(st, b->units[u], p - 1, &ind, &v, &n) != 0)
			return 0;
		store_names_free(ind, n);
		free(v);
		if (n) {
			hole = false;
			break;
		}
		if (store_values_at(st, b->units[u], p - 2, &ind, &v, &n) != 0)
			return 0;
		before += n > 0;
		store_names_free(ind, n);
		free(v);
	}
	if (!hole || before < SKIP_UNITS)
		return 0;
	period_format(b->gran, p, per);
	period_format(b->gran, p - 1, gap);
	period_format(b->gran, p - 2, prev);
	at = importcheck_place(b->ind_at, 0);
	diags_add_tr(w, file, at.line, at.col, "the file begins at %s, and none of "
	    "its units compared has a value stored for %s (%zu had some for %s): "
	    "the export of %s sent as %s? If so, remove it (vigie delete --period "
	    "%s, or the console's import page) and import it as %s; if not, import "
	    "%s too, or the rules read %s without it", per, gap, before, prev, gap,
	    per, per, gap, gap, per);
	return 1;
}

size_t importcheck_brought_at(const struct import_batch *b, int32_t p, char ***out)
{
	char **v = xcalloc(b->nunits + 1, sizeof(*v));
	size_t n = 0;

	for (size_t r = 0, e; r < b->nrecs; r = e) {
		size_t q = r;

		e = importcheck_unit_end(b, r);
		while (q < e && b->recs[q].period != p)
			q++;
		if (q < e)
			v[n++] = b->units[b->recs[r].unit];
	}
	if (n)
		qsort(v, n, sizeof(*v), importcheck_cmp_str);
	*out = v;
	return n;
}

bool importcheck_among(char *const *v, size_t n, const char *s)
{
	return n && bsearch(&s, v, n, sizeof(*v), importcheck_cmp_str);
}

/* The length of path's site: its first two segments ("acme/nancy" of
 * "acme/nancy/qualite"), or the whole path. */
static size_t site_len(const char *path)
{
	const char *s = strchr(path, '/');

	s = s ? strchr(s + 1, '/') : NULL;
	return s ? (size_t)(s - path) : strlen(path);
}

/* Whether some path of v[0..n) is in the site of path. */
static bool site_covered(char *const *v, size_t n, const char *path)
{
	size_t len = site_len(path);

	for (size_t i = 0; i < n; i++)
		if (site_len(v[i]) == len && !strncmp(v[i], path, len))
			return true;
	return false;
}

#define REORG_NAMED 5	/* units named of each list, then "..." */

/* Appends path to the list of at most REORG_NAMED names in *list, the
 * n-th of its kind (from 1): "a, b, c, d, e, ..." */
static void name_some(char **list, size_t n, const char *path)
{
	char *l;

	if (n > REORG_NAMED + 1)
		return;
	l = n == 1 ? xstrdup(path) : xasprintf("%s, %s", *list,
	    n > REORG_NAMED ? "..." : path);
	free(*list);
	*list = l;
}

/* A month's file (its latest period at or after the data's) that brings
 * units new to the database while units of the sites it covers that sent
 * the month before send nothing for it: a reorganisation that renamed,
 * moved or merged teams, which start again from nothing under their new
 * paths, the rules blind for two years, unless vigie rename gives them
 * their history. A site's file of its own (another site's to come) is no
 * sign of it. */
size_t importcheck_reorganised(struct store *st, const char *file,
    const struct import_batch *b, char *const *units, size_t nunits,
    struct diags *w)
{
	int32_t p = b->pmax;
	struct period_unit *v = NULL;
	char **got = NULL, **old = NULL, per[PERIOD_BUFSZ], prev[PERIOD_BUFSZ];
	char *news = NULL, *gone = NULL;
	size_t n = 0, ngot, nold = 0, nnew = 0, ngone = 0, first = 0, said = 0;

	if (!st || !b->nrecs || p < store_latest_period(st))
		return 0;
	for (size_t u = 0; u < b->nunits; u++)
		if (!importcheck_among(units, nunits, b->units[u]) &&
		    !importcheck_has_descendant(units, nunits, b->units[u])) {
			if (!nnew)
				first = u;
			name_some(&news, ++nnew, b->units[u]);
		}
	ngot = nnew ? importcheck_brought_at(b, p, &got) : 0;
	/* The sites the file covers are those of the units it brings that
	 * were there before: a new team's file alone covers none. */
	old = xcalloc(ngot + 1, sizeof(*old));
	for (size_t i = 0; i < ngot; i++)
		if (importcheck_among(units, nunits, got[i]))
			old[nold++] = got[i];
	if (nnew && nold && store_period_units(st, p - 1, NULL, &v, &n) == 0)
		for (size_t i = 0; i < n; i++) {
			char **ind;
			double *val;
			size_t k;

			if (importcheck_among(got, ngot, v[i].path) ||
			    importcheck_has_descendant(got, ngot, v[i].path) ||
			    !site_covered(old, nold, v[i].path) ||
			    store_values_at(st, v[i].path, p, &ind, &val, &k) != 0)
				continue;
			store_names_free(ind, k);
			free(val);
			if (k == 0)
				name_some(&gone, ++ngone, v[i].path);
		}
	if (nnew && ngone) {
		struct batch_place at = importcheck_place(b->unit_at, first);

		period_format(b->gran, p, per);
		period_format(b->gran, p - 1, prev);
		diags_add_tr(w, file, at.line, at.col, "new units in the file (%zu: %s), "
		    "and units of its sites that sent %s without a value for %s "
		    "(%zu: %s): if teams were renamed, moved or merged, vigie rename "
		    "OLD NEW (--merge for teams merged) gives them their history, which "
		    "the rules read two years of (a move to another parent is refused "
		    "when a month of the team was hidden, which its parents' figures "
		    "would give away); under a new path they start from nothing",
		    nnew, news, prev, per, ngone, gone);
		said = 1;
	}
	free(news);
	free(gone);
	free(got);
	free(old);
	store_period_units_free(v, n);
	return said;
}

size_t importcheck_periods(struct store *st, const char *file,
    const struct import_batch *b, const struct import_batch *const *with,
    size_t nwith, const struct import_blind *blind, struct diags *w)
{
	return check_repeated(st, file, b, blind, w) +
	    check_skipped(st, file, b, with, nwith, w);
}
