/* The month's file against what is stored (importcheck_impl.h,
 * importcheck_gaps): a team the export lost (the file's latest period,
 * when it is the latest stored or the next), a cell emptied in a corrected
 * export and a unit's size ten times what it was (the file's last year of
 * periods: a rolling export sends the months before again). They count as
 * there what another file of the same import brings, and say the same
 * before and after the file is imported (the inbox checks again at the
 * end of its pass). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/msg.h"
#include "vigie/xalloc.h"
#include "importcheck_impl.h"

/* Whether another file of the import brings a value of unit at p. */
static bool brought(const struct other_batch *oth, size_t noth, const char *unit,
    int32_t p)
{
	for (size_t o = 0; o < noth; o++)
		if (importcheck_other_brings(&oth[o], unit, p))
			return true;
	return false;
}

/* Whether v[0..n) (sorted by path) has path, or a unit under it. */
static bool known_at(const struct period_unit *v, size_t n, const char *path)
{
	size_t len = strlen(path), lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(v[mid].path, path) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < n && !strncmp(v[lo].path, path, len); lo++)
		if (v[lo].path[len] == '\0' || v[lo].path[len] == '/')
			return true;
	return false;
}

/* Leaf units that sent the period before the file's latest, p, and have
 * nothing for p, neither in the file, nor in another file of the import,
 * nor stored, though the file brings other units under their parent: a
 * team the export lost, whose parent's totals for p lack it and whose
 * rules cannot evaluate p. Not when a unit the file brings at p sent
 * nothing at p - 1: a file with teams new at p (a reorganisation) has its
 * own warning (importcheck_reorganised). One warning, at the header. */
static size_t check_missing(struct store *st, const char *file,
    const struct import_batch *b, const struct other_batch *oth, size_t noth,
    struct diags *w)
{
	int32_t p = b->pmax, latest = store_latest_period(st);
	struct period_unit *v = NULL;
	char **got = NULL, per[PERIOD_BUFSZ], prev[PERIOD_BUFSZ];
	size_t n = 0, ngot, nmiss = 0, said = 0;
	const char *first = NULL;

	if (latest < p - 1 || latest > p || store_period_units(st, p - 1, NULL, &v, &n) != 0)
		return 0;
	ngot = importcheck_brought_at(b, p, &got);
	for (size_t i = 0; i < ngot && n; i++)
		if (!known_at(v, n, got[i]))
			goto out;	/* new at p: importcheck_reorganised's */
	for (size_t i = 0; i < n; i++) {
		const char *path = v[i].path, *slash = strrchr(path, '/');
		char *parent, **ind;
		double *val;
		size_t k;
		bool beside;

		if (!slash || (i + 1 < n && !strncmp(v[i + 1].path, path, strlen(path)) &&
		    v[i + 1].path[strlen(path)] == '/'))
			continue;	/* the top, or not a leaf */
		if (importcheck_among(got, ngot, path) || brought(oth, noth, path, p))
			continue;
		parent = xstrndup(path, (size_t)(slash - path));
		beside = importcheck_has_descendant(got, ngot, parent);
		free(parent);
		if (!beside || store_values_at(st, path, p, &ind, &val, &k) != 0)
			continue;
		store_names_free(ind, k);
		free(val);
		if (k == 0 && !nmiss++)
			first = path;
	}
	if (nmiss) {
		struct batch_place at = importcheck_place(b->ind_at, 0);

		period_format(b->gran, p, per);
		period_format(b->gran, p - 1, prev);
		if (nmiss == 1)
			diags_add_tr(w, file, at.line, at.col, "%s sent %s and has nothing "
			    "for %s, neither in this file nor stored, though the file brings "
			    "its siblings: left out of the export? Until its figures are "
			    "imported, its parent's totals for %s lack them and its rules "
			    "cannot evaluate %s", first, prev, per, per, per);
		else
			diags_add_tr(w, file, at.line, at.col, "%zu units that sent %s have "
			    "nothing for %s, neither in this file nor stored, though the "
			    "file brings their siblings (the first: %s): left out of the "
			    "export? Until their figures are imported, their parents' "
			    "totals for %s lack them and their rules cannot evaluate %s",
			    nmiss, prev, per, first, per, per);
		said = 1;
	}
out:
	free(got);
	store_period_units_free(v, n);
	return said;
}

/* The periods of unit's records [i, j) within [lo, hi], distinct, sorted,
 * into *v (grown as needed); their number. */
static size_t unit_periods(const struct import_batch *b, size_t i, size_t j,
    int32_t lo, int32_t hi, int32_t **v, size_t *cap)
{
	size_t n = 0;

	if (j - i > *cap) {
		*cap = j - i;
		*v = xreallocarray(*v, *cap, sizeof(**v));
	}
	for (size_t r = i; r < j; r++)
		if (b->recs[r].period >= lo && b->recs[r].period <= hi)
			(*v)[n++] = b->recs[r].period;
	qsort(*v, n, sizeof(**v), importcheck_cmp_period);
	size_t k = 0;
	for (size_t x = 0; x < n; x++)
		if (!k || (*v)[k - 1] != (*v)[x])
			(*v)[k++] = (*v)[x];
	return k;
}

/* The periods the gap checks read: the file's last year, up to the latest
 * stored (a rolling export sends the months before again, corrected). */
#define GAP_PERIODS 12

/* Values stored at a period of the file (its last GAP_PERIODS), of its
 * units and of the indicators it has columns of, whose cells the file
 * leaves empty: an empty cell means no value (SPEC 4), so the stored one is
 * kept, where a corrected export that emptied it meant to take it back.
 * One warning, at the first such unit's first cell. */
static size_t check_emptied(struct store *st, const char *file,
    const struct import_batch *b, const struct other_batch *oth, size_t noth,
    struct diags *w)
{
	int32_t latest = store_latest_period(st), *ps = NULL, fp = 0;
	int32_t lo = b->pmax - (GAP_PERIODS - 1), hi = b->pmax < latest ? b->pmax : latest;
	size_t kept = 0, cap = 0;
	uint32_t fu = 0;
	char *find = NULL, per[PERIOD_BUFSZ];

	for (size_t i = 0, j; i < b->nrecs && lo <= hi; i = j) {
		uint32_t u = b->recs[i].unit;
		size_t np;

		j = importcheck_unit_end(b, i);
		np = unit_periods(b, i, j, lo, hi, &ps, &cap);
		for (size_t x = 0; x < np; x++) {
			int32_t p = ps[x];
			char **ind;
			double *val;
			size_t n;

			if (store_values_at(st, b->units[u], p, &ind, &val, &n) != 0)
				continue;
			for (size_t k = 0; k < n; k++) {
				int64_t col = importcheck_batch_ind(b, ind[k]);
				bool there = col < 0 || importcheck_batch_has(b, u, col, p);

				for (size_t o = 0; o < noth && !there; o++)
					there = importcheck_other_has(&oth[o], b->units[u], ind[k], p);
				if (there || kept++)
					continue;
				fu = u;
				fp = p;
				find = xstrdup(ind[k]);
			}
			store_names_free(ind, n);
			free(val);
		}
	}
	free(ps);
	if (!kept)
		return 0;
	struct batch_place at = importcheck_place(b->unit_at, fu);
	period_format(b->gran, fp, per);
	if (kept == 1)
		diags_add_tr(w, file, at.line, at.col, "%s of %s for %s is stored and "
		    "its cell in this file is empty: an empty cell keeps the stored "
		    "value; if it was wrong, remove it (vigie delete --period %s "
		    "--unit %s --indicator %s)", find, b->units[fu], per, per,
		    b->units[fu], find);
	else
		diags_add_tr(w, file, at.line, at.col, "%zu values stored have an empty "
		    "cell in this file and are kept (the first: %s of %s for %s): an "
		    "empty cell keeps the stored value; to remove one, vigie delete "
		    "--period PERIOD --unit UNIT --indicator NAME", kept, find,
		    b->units[fu], per);
	free(find);
	return 1;
}

/* The indicators that measure a unit's size, which move little from one
 * period to the next: a value ten times that of the period before, or a
 * tenth of it, is a typo or columns shifted, which the rules would read
 * (a headcount ten times too large makes every rate a tenth). */
static const char *const sizes[] = { "headcount", "workable_days", "hours_worked" };
#define JUMP 10.0

/* A size at a period of the file (its last GAP_PERIODS) JUMP times that of
 * the unit the period before (in the file, else stored) or less than its
 * JUMPth (0 included: a unit dropped from every rule). One warning per
 * unit and indicator, at the unit's first cell, naming the first such
 * period, up to JUMP_SHOWN units an indicator; past them, one for all (a
 * column shifted, a decimal separator lost: one cause). A unit whose
 * every value of a period is 0 (a team closed, its row exported as
 * zeros) is said once, as that. Without the values (the log shows no
 * figure of a unit: the place finds them in the file), and not against a
 * stored value the reader may not see (blind): whether the warning comes
 * would tell it. */
#define JUMP_SHOWN 3
struct jump {
	uint32_t unit;
	size_t k;		/* in sizes[]; NSIZES: all zeros */
	int32_t period;
	bool up;
};

/* The value of b's records [i, j) (one unit's) of indicator ind at p. */
static double file_value(const struct import_batch *b, size_t i, size_t j,
    int64_t ind, int32_t p)
{
	for (size_t r = i; r < j; r++)
		if ((int64_t)b->recs[r].ind == ind && b->recs[r].period == p)
			return b->recs[r].value;
	return NAN;
}

static size_t check_jumps(struct store *st, const char *file,
    const struct import_batch *b, const struct import_blind *blind,
    struct diags *w)
{
	enum { NSIZES = sizeof(sizes) / sizeof(sizes[0]) };
	int32_t lo = b->pmax - (GAP_PERIODS - 1), *ps = NULL;
	int64_t col[NSIZES];
	char per[PERIOD_BUFSZ], prev[PERIOD_BUFSZ];
	size_t ncol = 0, n = 0, count[NSIZES] = { 0 }, said = 0, cap = 0;
	struct jump *v = NULL;

	for (size_t k = 0; k < NSIZES; k++)
		ncol += (col[k] = importcheck_batch_ind(b, sizes[k])) >= 0;
	for (size_t i = 0, j; ncol && i < b->nrecs; i = j) {
		uint32_t u = b->recs[i].unit;
		bool said_k[NSIZES] = { false }, zeros = false;
		size_t np;

		j = importcheck_unit_end(b, i);
		np = unit_periods(b, i, j, lo, b->pmax, &ps, &cap);
		for (size_t x = 0; x < np; x++) {
			int32_t p = ps[x];
			char **ind = NULL;
			double *val = NULL;
			size_t nv = 0;
			bool read = false, all0 = true;

			for (size_t r = i; r < j && all0; r++)
				all0 = b->recs[r].period != p || b->recs[r].value == 0;
			if (all0) {
				if (!zeros) {
					v = xreallocarray(v, n + 1, sizeof(*v));
					v[n++] = (struct jump){ u, NSIZES, p, false };
				}
				zeros = true;
				continue;
			}
			for (size_t k = 0; k < NSIZES; k++) {
				double now = file_value(b, i, j, col[k], p), was;
				char *const *at;

				if (col[k] < 0 || said_k[k] || isnan(now))
					continue;
				was = file_value(b, i, j, col[k], p - 1);
				if (isnan(was)) {
					if (!read && (read = true) && store_values_at(st,
					    b->units[u], p - 1, &ind, &val, &nv) != 0)
						nv = 0;
					at = nv ? bsearch(&sizes[k], ind, nv, sizeof(*ind),
					    importcheck_cmp_str) : NULL;
					was = at && !import_blind_hides(blind,
					    b->units[u], sizes[k], p - 1) ? val[at - ind] : NAN;
				}
				if (!(was > 0) || (now < JUMP * was && now * JUMP > was))
					continue;
				v = xreallocarray(v, n + 1, sizeof(*v));
				v[n++] = (struct jump){ u, k, p, now > was };
				count[k]++;
				said_k[k] = true;
			}
			store_names_free(ind, nv);
			free(val);
		}
	}
	free(ps);
	for (size_t i = 0; i < n; i++) {
		const struct jump *x = &v[i];
		struct batch_place pl = importcheck_place(b->unit_at, x->unit);

		period_format(b->gran, x->period, per);
		period_format(b->gran, x->period - 1, prev);
		if (x->k == NSIZES) {
			diags_add_tr(w, file, pl.line, pl.col, "every value of %s for %s is "
			    "0: a team closed, its row exported as zeros? With a headcount "
			    "of 0 its rules cannot read it; leave the row out", b->units[x->unit],
			    per);
		} else if (count[x->k] > JUMP_SHOWN) {
			if (count[x->k] == SIZE_MAX)
				continue;	/* said */
			diags_add_tr(w, file, pl.line, pl.col, "%s of %zu units of the "
			    "file (the first: %s) for %s is at least 10 times that of %s, "
			    "or at most a tenth of it: a column shifted, or a decimal "
			    "separator lost, in the export? Imported as given, and the "
			    "rules read them as they are until they are corrected",
			    sizes[x->k], count[x->k], b->units[x->unit], per, prev);
			count[x->k] = SIZE_MAX;
		} else if (x->up) {
			diags_add_tr(w, file, pl.line, pl.col, "%s of %s for %s is at least "
			    "10 times that of %s (a typo, or columns shifted in the "
			    "export?); imported as given, and the rules read it as it is "
			    "until it is corrected", sizes[x->k], b->units[x->unit], per, prev);
		} else {
			diags_add_tr(w, file, pl.line, pl.col, "%s of %s for %s is at most a "
			    "tenth of that of %s (a typo, or columns shifted in the "
			    "export?); imported as given, and the rules read it as it is "
			    "until it is corrected", sizes[x->k], b->units[x->unit], per, prev);
		}
		said++;
	}
	free(v);
	return said;
}

size_t importcheck_gaps(struct store *st, const char *file,
    const struct import_batch *b, const struct other_batch *oth, size_t noth,
    const struct import_blind *blind, struct diags *w)
{
	if (!st || !b->nrecs)
		return 0;
	return check_missing(st, file, b, oth, noth, w) +
	    check_emptied(st, file, b, oth, noth, w) +
	    check_jumps(st, file, b, blind, w);
}
