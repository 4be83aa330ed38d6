/* The checks of a CSV file (SPEC 4) made once every row is read, on the
 * records sorted by key: duplicates (one error per repeated cell, or per
 * row of the wide form given again whole), a companion X_max above its X or
 * a part above its whole (absence days above workable days: a warning),
 * and the indicators no record uses (dropped). Their places are
 * found in one pass over the file for all of them. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/msg.h"
#include "vigie/text.h"
#include "vigie/xalloc.h"
#include "csv_impl.h"

struct place {
	size_t off;
	int line, col;
	uint32_t rec, other;	/* companion warnings: X_max's record, X's */
};

static int cmp_place(const void *a, const void *b)
{
	size_t x = ((const struct place *)a)->off, y = ((const struct place *)b)->off;

	return x < y ? -1 : x > y;
}

static size_t find_place(const struct place *pl, size_t n, size_t off)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (pl[mid].off < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Fills the line and column of n places sorted by offset, in one pass over
 * the file. */
static void place_all(struct parser *ps, struct place *pl, size_t n)
{
	const char *c = ps->body, *ls = ps->body;
	int line = 1;

	for (size_t i = 0; i < n; i++) {
		const char *at = ps->buf + pl[i].off, *nl;
		while ((nl = memchr(c, '\n', (size_t)(at - c))) != NULL) {
			line++;
			c = ls = nl + 1;
		}
		c = at;
		pl[i].line = line;
		pl[i].col = csv_col_at(ps, ls, at);
	}
}

#define NONE UINT32_MAX

/* A duplicate to report: a record given again (a cell), or a row of the
 * wide form every value of which is given again (rec: its first record). */
struct dupe {
	uint32_t rec;
	uint32_t first;		/* a cell: the record it repeats; a row: the
				 * first record with its unit and period */
	size_t row;		/* a row: its index in ps->rows, else NONE */
	bool differs;		/* a row: some value not the first's */
};

static int cmp_key_up(const void *a, const void *b, void *ctx)
{
	const struct import_record *r = ctx;
	const struct import_record *x = &r[*(const uint32_t *)a], *y = &r[*(const uint32_t *)b];

	if (x->unit != y->unit)
		return x->unit < y->unit ? -1 : 1;
	return (x->period > y->period) - (x->period < y->period);
}

/* The first of key[0..nk) (sorted by cmp_key_up) with the unit and period
 * of record probe, or NULL. */
static uint32_t *key_find(uint32_t *key, size_t nk, struct import_record *r,
    uint32_t probe)
{
	size_t lo = 0, hi = nk;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cmp_key_up(&key[mid], &probe, r) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < nk && cmp_key_up(&key[lo], &probe, r) == 0 ? &key[lo] : NULL;
}

/* For the row items of v[0..n): the first record of the file with their
 * unit and period, in one pass over the records (the rows' keys sorted,
 * each record looked up). */
static void first_of_rows(const struct import_batch *b, struct dupe *v, size_t n)
{
	uint32_t *key = xcalloc(n ? n : 1, sizeof(*key)), *firstk;
	size_t nk = 0;

	for (size_t i = 0; i < n; i++)
		if (v[i].row != NONE)
			key[nk++] = v[i].rec;
	if (!nk) {
		free(key);
		return;
	}
	qsort_r(key, nk, sizeof(*key), cmp_key_up, b->recs);
	firstk = xcalloc(nk, sizeof(*firstk));
	for (size_t k = 0; k < nk; k++)
		firstk[k] = NONE;
	for (size_t i = 0; i < b->nrecs; i++) {
		uint32_t *hit = key_find(key, nk, b->recs, (uint32_t)i);
		if (hit && firstk[hit - key] == NONE)
			firstk[hit - key] = (uint32_t)i;
	}
	for (size_t i = 0; i < n; i++) {
		if (v[i].row == NONE)
			continue;
		uint32_t *hit = key_find(key, nk, b->recs, v[i].rec);
		v[i].first = firstk[hit - key];
	}
	free(firstk);
	free(key);
}

/* The row of ps->rows holding record rec. */
static size_t row_of(const struct parser *ps, size_t rec)
{
	size_t lo = 0, hi = ps->nrows;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (ps->rows[mid].rec <= rec)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* Reports duplicates (records with the same key as a perm neighbour) with
 * the place of the first occurrence, in file order; lines are found in one
 * pass over the file. A row of the wide form whose values (two or more)
 * all repeat keys given before (a row pasted twice) is one error naming the
 * line where its unit and period first came, not one per indicator, which
 * would fill the 20 errors printed with one mistake; a row repeating only
 * some of them keeps an error per repeated cell. */
bool csv_report_duplicates(struct parser *ps, const uint32_t *perm)
{
	const struct import_batch *b = ps->b;
	uint32_t *firstof = NULL;	/* per record: the record it repeats */
	struct dupe *v = NULL;
	size_t n = 0, cap = 0;

	for (size_t k = 1; k < b->nrecs; k++) {
		const struct import_record *x = &b->recs[perm[k - 1]], *y = &b->recs[perm[k]];
		if (x->unit != y->unit || x->ind != y->ind || x->period != y->period)
			continue;
		if (!firstof) {
			firstof = xcalloc(b->nrecs, sizeof(*firstof));
			for (size_t i = 0; i < b->nrecs; i++)
				firstof[i] = NONE;
		}
		/* Equal keys are in file order: blame against the first. */
		firstof[perm[k]] = firstof[perm[k - 1]] != NONE ? firstof[perm[k - 1]] :
		    perm[k - 1];
	}
	if (!firstof)
		return false;
	size_t nunits = ps->longform ? b->nrecs : ps->nrows;
	for (size_t r = 0; r < nunits; r++) {
		size_t lo = ps->longform ? r : ps->rows[r].rec;
		size_t hi = ps->longform ? r + 1 : r + 1 < ps->nrows ?
		    ps->rows[r + 1].rec : b->nrecs;
		/* One value given again is one error either way, and its
		 * own names the cell it repeats. */
		bool whole = !ps->longform && hi - lo >= 2;

		bool differs = false;
		for (size_t i = lo; i < hi && whole; i++) {
			whole = firstof[i] != NONE;
			differs |= whole && b->recs[i].value != b->recs[firstof[i]].value;
		}
		for (size_t i = lo; i < hi; i++) {
			if (firstof[i] == NONE && !whole)
				continue;
			if (ps->nerr + n >= CSV_KEEP_ERRORS) {
				ps->d->more++;	/* counted, not placed */
			} else {
				if (n == cap) {
					cap = cap ? cap * 2 : 16;
					v = xreallocarray(v, cap, sizeof(*v));
				}
				v[n++] = (struct dupe){ (uint32_t)i, firstof[i],
					whole ? r : NONE, differs };
			}
			if (whole)
				break;
		}
	}
	free(firstof);
	first_of_rows(b, v, n);
	struct place *pl = xcalloc(n ? 2 * n : 1, sizeof(*pl));
	for (size_t i = 0; i < n; i++) {
		if (v[i].row != NONE) {
			pl[2 * i].off = ps->rows[row_of(ps, v[i].first)].off;
			pl[2 * i + 1].off = ps->rows[v[i].row].off;
		} else {
			pl[2 * i].off = ps->roff[v[i].first];
			pl[2 * i + 1].off = ps->roff[v[i].rec];
		}
	}
	/* The offsets by item, before they are sorted for place_all. */
	size_t *off = xcalloc(n ? 2 * n : 1, sizeof(*off));
	for (size_t i = 0; i < 2 * n; i++)
		off[i] = pl[i].off;
	qsort(pl, 2 * n, sizeof(*pl), cmp_place);
	place_all(ps, pl, 2 * n);
	for (size_t i = 0; i < n; i++) {
		const struct import_record *r = &b->recs[v[i].rec];
		const struct place *first = &pl[find_place(pl, 2 * n, off[2 * i])];
		const struct place *again = &pl[find_place(pl, 2 * n, off[2 * i + 1])];
		char per[PERIOD_BUFSZ], ex[TEXT_EXCERPT_BUFSZ];
		text_excerpt(b->units[r->unit], strlen(b->units[r->unit]), ex);
		period_format(ps->gran, r->period, per);
		if (v[i].row != NONE && v[i].differs)
			diags_add_tr(ps->d, ps->name, again->line, again->col,
			    "duplicate row for unit %s, period %s (first given at line "
			    "%d), with other values: keep the right one of the two",
			    ex, per, first->line);
		else if (v[i].row != NONE)
			diags_add_tr(ps->d, ps->name, again->line, again->col,
			    "duplicate row for unit %s, period %s (first given at line "
			    "%d): keep one row per unit and period", ex, per, first->line);
		else
			diags_add_tr(ps->d, ps->name, again->line, again->col,
			    "duplicate value for unit %s, period %s, indicator %s "
			    "(first given at line %d, column %d)", ex, per,
			    b->inds[r->ind], first->line, first->col);
		ps->nerr++;
	}
	free(off);
	free(pl);
	free(v);
	return true;
}

/* ---- companions ---- */

/* The recommended indicators that count part of another (README,
 * "Exporting the data"): a value above its whole's, for the same unit and
 * period, is a typo or columns swapped, which the rules would read as a
 * rate above 100 %. */
static const struct { const char *part, *whole; } parts[] = {
	{ "absence_days", "workable_days" },
	{ "short_absences", "absence_episodes" },
	{ "resignations", "departures" },
	/* A spell that starts in the month has a day of absence in it: more
	 * spells than days is the two columns swapped. */
	{ "absence_episodes", "absence_days" },
};

/* Per indicator named so far: the index of the whole it counts part of
 * when that is named too (X of X_max, SPEC 3: X_max is X's largest single
 * contribution; or parts[]), else -1. */
int32_t *csv_companion_bases(const struct names *inds)
{
	int32_t *base = xcalloc(inds->n ? inds->n : 1, sizeof(*base));

	for (size_t k = 0; k < inds->n; k++) {
		size_t n = inds->len[k];
		base[k] = -1;
		if (n > 4 && memcmp(inds->v[k] + n - 4, "_max", 4) == 0)
			base[k] = names_find(inds, inds->v[k], n - 4);
		for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
			if (n == strlen(parts[i].part) && !memcmp(inds->v[k], parts[i].part, n))
				base[k] = names_find(inds, parts[i].whole, strlen(parts[i].whole));
	}
	return base;
}

/* The first of perm[lo, hi) at or after (ind, period) in key order. */
static size_t key_bound(const struct import_record *r, const uint32_t *perm,
    size_t lo, size_t hi, uint32_t ind, int32_t period)
{
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct import_record *m = &r[perm[mid]];
		if (m->ind < ind || (m->ind == ind && m->period < period))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Adds to w, in file order, a warning at every X_max cell whose value
 * exceeds that of X for the same unit and period in this file: one
 * person's share cannot exceed the total, so the export mixed columns up
 * and dominance control (SPEC 3) would hide or show cells wrongly; and
 * the same for a part above its whole (parts[]), which a rule would read
 * as a rate above 100 %. It is
 * not an error, which SPEC 4 lists (scripts rely on its exit codes): the
 * file is imported as it is. In the long form X and X_max may be on
 * different rows; the pair is found by (unit, period) all the same. A file
 * that brings only one of them is not compared with the other's stored
 * value: the reader is pure, and a stored value has no place in this file
 * to point at. perm: the records in key order, without duplicates. */
void csv_warn_companions(struct parser *ps, const uint32_t *perm,
    const int32_t *base, struct diags *w)
{
	const struct import_batch *b = ps->b;
	const struct import_record *r = b->recs;
	struct place *pl = NULL;
	size_t n = 0, cap = 0;

	for (size_t lo = 0, hi; lo < b->nrecs; lo = hi) {
		for (hi = lo + 1; hi < b->nrecs && r[perm[hi]].unit == r[perm[lo]].unit; hi++)
			;
		for (size_t k = lo; k < hi; k++) {
			const struct import_record *m = &r[perm[k]];
			int32_t x = base[m->ind];
			size_t j;

			if (x < 0)
				continue;
			j = key_bound(r, perm, lo, hi, (uint32_t)x, m->period);
			if (j == hi || r[perm[j]].ind != (uint32_t)x ||
			    r[perm[j]].period != m->period || !(m->value > r[perm[j]].value))
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				pl = xreallocarray(pl, cap, sizeof(*pl));
			}
			pl[n++] = (struct place){ .rec = perm[k], .other = perm[j],
				.off = ps->longform ? ps->coff[perm[k]] : ps->roff[perm[k]] };
		}
	}
	if (!n)
		return;
	/* A whole file of swapped columns keeps its first warnings in file
	 * order and counts the rest, as errors are. */
	qsort(pl, n, sizeof(*pl), cmp_place);
	if (n > CSV_KEEP_ERRORS) {
		diags_more(w, n - CSV_KEEP_ERRORS);
		n = CSV_KEEP_ERRORS;
	}
	place_all(ps, pl, n);
	for (size_t i = 0; i < n; i++) {
		const struct import_record *m = &r[pl[i].rec], *x = &r[pl[i].other];
		char per[PERIOD_BUFSZ], ex[TEXT_EXCERPT_BUFSZ];
		/* Not the values: the warning goes to the journal and the
		 * import log, which show no figure of a unit (SPEC 3); the
		 * place finds them in the file. */
		size_t len = strlen(b->inds[m->ind]);

		text_excerpt(b->units[m->unit], strlen(b->units[m->unit]), ex);
		period_format(ps->gran, m->period, per);
		if (len > 4 && !strcmp(b->inds[m->ind] + len - 4, "_max"))
			diags_add_tr(w, ps->name, pl[i].line, pl[i].col,
			    "%s is greater than %s for unit %s, period %s: the "
			    "largest single contribution cannot exceed the total (columns "
			    "swapped in the export?); imported as given, but dominance "
			    "control will be wrong for this cell until it is corrected",
			    b->inds[m->ind], b->inds[x->ind], ex, per);
		else
			diags_add_tr(w, ps->name, pl[i].line, pl[i].col,
			    "%s is greater than %s for unit %s, period %s, of which it "
			    "counts a part (a typo, or columns swapped in the export?); "
			    "imported as given, and the rules read it as it is until it "
			    "is corrected", b->inds[m->ind], b->inds[x->ind], ex, per);
	}
	free(pl);
}

/* Drops the indicators that no record uses (the empty columns of a wide
 * file): a header of a million names with three values brings three
 * indicators, not a million, to the store and to every later evaluation.
 * The renumbering keeps the order, so the records stay sorted. */
void csv_drop_unused_indicators(struct import_batch *b)
{
	uint32_t *map = xcalloc(b->ninds ? b->ninds : 1, sizeof(*map));
	size_t n = 0;

	for (size_t i = 0; i < b->nrecs; i++)
		map[b->recs[i].ind] = 1;
	for (size_t k = 0; k < b->ninds; k++) {
		if (!map[k]) {
			free(b->inds[k]);
			continue;
		}
		map[k] = (uint32_t)n;
		if (b->ind_at)
			b->ind_at[n] = b->ind_at[k];
		b->inds[n++] = b->inds[k];
	}
	for (size_t i = 0; i < b->nrecs; i++)
		b->recs[i].ind = map[b->recs[i].ind];
	b->ninds = n;
	free(map);
}
