/* The month's file against what is stored there and the month before
 * (importcheck_impl.h, importcheck_gaps): a team the export lost, a cell
 * emptied in a corrected export, a unit's size ten times what it was.
 * They read the file's latest period only, when it is
 * the latest stored or the next: the month being sent, or sent again
 * corrected. They count as there what another file of the same import
 * brings, and say the same before and after the file is imported (the
 * inbox checks again at the end of its pass). */
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
 * rules cannot evaluate p. Not when every unit the file brings at p sent
 * p - 1 too: a file with teams new at p (a reorganisation) has its own
 * warning (importcheck_reorganised). One warning, at the header. */
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

/* Values stored for the file's latest period, p, of its units and of the
 * indicators it has columns of, whose cells the file leaves empty: an
 * empty cell means no value (SPEC 4), so the stored one is kept, where a
 * corrected export that emptied it meant to take it back. One warning, at
 * the first such unit's first cell. */
static size_t check_emptied(struct store *st, const char *file,
    const struct import_batch *b, const struct other_batch *oth, size_t noth,
    struct diags *w)
{
	int32_t p = b->pmax;
	size_t kept = 0;
	uint32_t fu = 0;
	char *find = NULL, per[PERIOD_BUFSZ];

	if (store_latest_period(st) < p)
		return 0;	/* nothing stored at p */
	for (size_t i = 0, j; i < b->nrecs; i = j) {
		uint32_t u = b->recs[i].unit;
		bool at_p = false;
		char **ind;
		double *val;
		size_t n;

		j = importcheck_unit_end(b, i);
		for (size_t r = i; r < j; r++)
			at_p |= b->recs[r].period == p;
		if (!at_p || store_values_at(st, b->units[u], p, &ind, &val, &n) != 0)
			continue;
		for (size_t k = 0; k < n; k++) {
			int64_t col = importcheck_batch_ind(b, ind[k]);
			bool there = col < 0 || importcheck_batch_has(b, u, col, p);

			for (size_t o = 0; o < noth && !there; o++)
				there = importcheck_other_has(&oth[o], b->units[u], ind[k], p);
			if (there || kept++)
				continue;
			fu = u;
			find = xstrdup(ind[k]);
		}
		store_names_free(ind, n);
		free(val);
	}
	if (!kept)
		return 0;
	struct batch_place at = importcheck_place(b->unit_at, fu);
	period_format(b->gran, p, per);
	if (kept == 1)
		diags_add_tr(w, file, at.line, at.col, "%s of %s for %s is stored and "
		    "its cell in this file is empty: an empty cell keeps the stored "
		    "value; if it was wrong, remove it (vigie delete --period %s "
		    "--unit %s --indicator %s)", find, b->units[fu], per, per,
		    b->units[fu], find);
	else
		diags_add_tr(w, file, at.line, at.col, "%zu values stored for %s have "
		    "an empty cell in this file and are kept (the first: %s of %s): an "
		    "empty cell keeps the stored value; to remove one, vigie delete "
		    "--period %s --unit UNIT --indicator NAME", kept, per, find,
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

/* A size of the file's latest period, p, JUMP times that stored for the
 * unit at p - 1 or less than its JUMPth (0 included: a team dropped from
 * every rule). One warning per unit and indicator, at the unit's first
 * cell, up to JUMP_SHOWN units an indicator; past them, one for all (a
 * column shifted, a decimal separator lost: one cause). Without the values
 * (the log shows no figure of a unit: the place finds them in the file). */
#define JUMP_SHOWN 3
struct jump {
	uint32_t unit;
	size_t k;		/* in sizes[] */
	bool up;
};

static size_t check_jumps(struct store *st, const char *file,
    const struct import_batch *b, struct diags *w)
{
	enum { NSIZES = sizeof(sizes) / sizeof(sizes[0]) };
	int32_t p = b->pmax, latest = store_latest_period(st);
	int64_t col[NSIZES];
	char per[PERIOD_BUFSZ], prev[PERIOD_BUFSZ];
	size_t ncol = 0, n = 0, count[NSIZES] = { 0 }, said = 0;
	struct jump *v = NULL;

	if (latest < p - 1)
		return 0;	/* nothing stored at p - 1 */
	for (size_t k = 0; k < NSIZES; k++)
		ncol += (col[k] = importcheck_batch_ind(b, sizes[k])) >= 0;
	if (!ncol)
		return 0;
	for (size_t i = 0, j; i < b->nrecs; i = j) {
		uint32_t u = b->recs[i].unit;
		char **ind = NULL;
		double *val = NULL;
		size_t nv = 0;
		bool read = false;

		j = importcheck_unit_end(b, i);
		for (size_t r = i; r < j; r++) {
			const struct import_record *m = &b->recs[r];
			size_t k = 0;
			char *const *at;
			double was;

			while (k < NSIZES && col[k] != (int64_t)m->ind)
				k++;
			if (m->period != p || k == NSIZES)
				continue;
			if (!read && (read = true) &&
			    store_values_at(st, b->units[u], p - 1, &ind, &val, &nv) != 0)
				nv = 0;
			at = nv ? bsearch(&sizes[k], ind, nv, sizeof(*ind), importcheck_cmp_str) : NULL;
			if (!at || !((was = val[at - ind]) > 0) ||
			    (m->value < JUMP * was && m->value * JUMP > was))
				continue;
			v = xreallocarray(v, n + 1, sizeof(*v));
			v[n++] = (struct jump){ u, k, m->value > was };
			count[k]++;
		}
		store_names_free(ind, nv);
		free(val);
	}
	period_format(b->gran, p, per);
	period_format(b->gran, p - 1, prev);
	for (size_t i = 0; i < n; i++) {
		const struct jump *x = &v[i];
		struct batch_place pl = importcheck_place(b->unit_at, x->unit);

		if (count[x->k] > JUMP_SHOWN) {
			if (count[x->k] == SIZE_MAX)
				continue;	/* said */
			diags_add_tr(w, file, pl.line, pl.col, "%s of %zu units of the "
			    "file (the first: %s) for %s is at least 10 times that stored "
			    "for %s, or at most a tenth of it: a column shifted, or a "
			    "decimal separator lost, in the export? Imported as given, and "
			    "the rules read them as they are until they are corrected",
			    sizes[x->k], count[x->k], b->units[x->unit], per, prev);
			count[x->k] = SIZE_MAX;
		} else if (x->up) {
			diags_add_tr(w, file, pl.line, pl.col, "%s of %s for %s is at least "
			    "10 times that stored for %s (a typo, or columns shifted in the "
			    "export?); imported as given, and the rules read it as it is "
			    "until it is corrected", sizes[x->k], b->units[x->unit], per, prev);
		} else {
			diags_add_tr(w, file, pl.line, pl.col, "%s of %s for %s is at most a "
			    "tenth of that stored for %s (a typo, or columns shifted in the "
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
    struct diags *w)
{
	if (!st || !b->nrecs)
		return 0;
	return check_missing(st, file, b, oth, noth, w) +
	    check_emptied(st, file, b, oth, noth, w) + check_jumps(st, file, b, w);
}
