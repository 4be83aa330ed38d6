/* Cell suppression of SPEC 3, computed once per series. Primary
 * suppression first (units below the floor, dominated cells, companions),
 * then for each indicator and period the parents from the deepest level
 * up, each making sure its hidden children cannot be told apart by
 * subtracting its visible children from its own value: while the hidden
 * group is below the floor or dominated, the smallest visible sibling (and
 * its whole subtree, whose sum would give it away) joins the group; when no
 * sibling is left the parent's own cell is hidden, and its own parent deals
 * with it one level up. A parent with a value of its own beside its
 * children's (a site's total with its teams') has people in no child, its
 * own staff, whom subtraction gives away like a hidden child: they are in
 * the hidden group. A cell dominated when its period's figures were shown
 * stays dominated (its companion's cell kept, series.h). A cell kept
 * hidden from an earlier state of the data (series.h, kept: shown, it
 * would give a small team away beside the figures shown before) is hidden
 * with its subtree before the groups are looked at, while a sibling is
 * hidden for itself. Deeper parents are final before shallower ones read
 * their hidden flags. Periods are independent of each other; the loops
 * run over them innermost, along the series' rows. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/cells.h"
#include "vigie/unit.h"

bool cells_dominated(double x, double xmax, double dominance)
{
	return !isnan(x) && !isnan(xmax) && xmax > dominance * x;
}

static size_t at(const struct series *s, uint32_t u, uint32_t ind, int32_t i)
{
	return ((size_t)u * s->nind + ind) * (size_t)s->np + (size_t)i;
}

/* The headcount of unit u at period index i, as the floor reads it: NaN
 * (under the floor, no one to count) when there is none, or when u is
 * kept under the floor there (series.h, below) and its headcount would
 * lift it (corrected since its period's figures were shown: it does not
 * show them, nor count as more people than a small team's). */
static inline double heads(const struct cells *c, uint32_t u, int32_t i)
{
	const struct series *s = c->s;
	double h;

	if (c->headcount < 0)
		return NAN;
	h = s->v[at(s, u, (uint32_t)c->headcount, i)];
	return h >= c->floor && series_kept_below(s, u, i) ? NAN : h;
}

/* The people behind the value of x at unit u and period index i: its
 * headcount for a unit without children that have a value of x, else the
 * sum over those children (a site whose only exporting team has 3 people
 * shows the figure of 3 people, not of the whole site). Undefined counts as
 * 0 (SPEC 3). Computed when a group needs it, which is rare: the
 * recursion visits the subtree once (at most 16 levels deep). */
static inline double people_of(const struct cells *c, uint32_t u,
    uint32_t x, int32_t i);

static double people(const struct cells *c, uint32_t u, uint32_t x, int32_t i)
{
	const struct series *s = c->s;
	double sum = 0, h;
	bool any = false;

	/* A value of its own counts everyone of the unit, its own staff too. */
	if (series_own(s, u, x, i) && !isnan(h = heads(c, u, i)))
		return h;

	for (uint32_t k = s->child_off[u]; k < s->child_off[u + 1]; k++) {
		uint32_t ch = s->child_idx[k];
		if (isnan(s->v[at(s, ch, x, i)]))
			continue;
		any = true;
		sum += people_of(c, ch, x, i);
	}
	if (any)
		return sum;
	h = heads(c, u, i);
	return isnan(h) ? 0 : h;
}

/* people() of a child: most are teams, whose headcount needs no call. */
static inline double people_of(const struct cells *c, uint32_t u, uint32_t x,
    int32_t i)
{
	const struct series *s = c->s;
	double h;

	if (s->child_off[u + 1] > s->child_off[u])
		return people(c, u, x, i);
	h = heads(c, u, i);
	return isnan(h) ? 0 : h;
}

/* Hides the X cell of u and of all its descendants at period index i.
 * stack has room for every unit. */
static void hide_subtree(struct cells *c, uint32_t u, uint32_t x, int32_t i,
    uint32_t *stack)
{
	const struct series *s = c->s;
	size_t n = 0;

	stack[n++] = u;
	while (n > 0) {
		uint32_t v = stack[--n];
		c->hidden[at(s, v, x, i)] = 1;
		for (uint32_t k = s->child_off[v]; k < s->child_off[v + 1]; k++)
			stack[n++] = s->child_idx[k];
	}
}

/* Whether a sibling of u has its x cell hidden at period index i (before
 * complementary suppression: hidden for itself). */
static bool sibling_hidden(const struct cells *c, uint32_t u, uint32_t x, int32_t i)
{
	const struct series *s = c->s;
	int32_t q = s->parent[u];

	for (uint32_t k = q < 0 ? 0 : s->child_off[q]; q >= 0 && k < s->child_off[q + 1]; k++)
		if (s->child_idx[k] != u && c->hidden[at(s, s->child_idx[k], x, i)])
			return true;
	return false;
}

struct cand {
	double people;
	uint32_t pos;		/* position in child_idx */
};

static int cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->people != y->people)
		return x->people < y->people ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Complementary suppression of indicator x under parent u at period i.
 * stack and cand have room for every unit. */
static void protect_group(struct cells *c, uint32_t u, uint32_t x, int32_t i,
    uint32_t *stack, struct cand *cand)
{
	const struct series *s = c->s;
	int32_t cx = c->companion[x];
	uint32_t c0 = s->child_off[u], c1 = s->child_off[u + 1];
	double hc = 0, sum = 0, mx = NAN;
	bool any = false;

	for (uint32_t k = c0; k < c1; k++) {
		uint32_t ch = s->child_idx[k];
		size_t j = at(s, ch, x, i);
		if (isnan(s->v[j]) || !c->hidden[j])
			continue;
		any = true;
		hc += people_of(c, ch, x, i);
		sum += s->v[j];
		if (cx >= 0) {
			double m = s->v[at(s, ch, (uint32_t)cx, i)];
			/* Kept dominated (primary): as one person's whole
			 * figure, whatever X_max says now. */
			if (s->kept && s->kept[at(s, ch, (uint32_t)cx, i)])
				m = isnan(m) || m < s->v[j] ? s->v[j] : m;
			if (!isnan(m) && (isnan(mx) || m > mx))
				mx = m;
		}
	}
	/* u's own value beside its children's (a site's total imported with
	 * its teams'): u minus its children gives the people no child holds,
	 * its own staff, as a hidden child would be given. They are in the
	 * group, with u's headcount minus the children's people (undefined
	 * counts as 0), unless there is no one there and nothing to give. */
	if (series_own(s, u, x, i)) {
		double h = heads(c, u, i);
		double kids = 0, kidsum = 0;
		bool anykid = false;
		for (uint32_t k = c0; k < c1; k++) {
			uint32_t ch = s->child_idx[k];
			double v = s->v[at(s, ch, x, i)];
			if (isnan(v))
				continue;
			anykid = true;
			kids += people_of(c, ch, x, i);
			kidsum += v;
		}
		double rest = (isnan(h) ? 0 : h) - kids;
		double diff = s->v[at(s, u, x, i)] - kidsum;
		if (anykid && (rest >= 0.5 ||
		    fabs(diff) > 1e-9 * fmax(1, fabs(kidsum)))) {
			any = true;
			hc += rest > 0 ? rest : 0;
			sum += diff;
			/* u's own X_max is its most concerned employee's, who
			 * may be one of its own staff: it bounds theirs, as
			 * their figure does (a site's 90 days of its own
			 * staff, beside a most absent employee of 90 days, are
			 * one person's; 0 days are no one's). */
			if (cx >= 0 && series_own(s, u, (uint32_t)cx, i)) {
				double m = fmin(s->v[at(s, u, (uint32_t)cx, i)], fmax(diff, 0));
				if (!isnan(m) && (isnan(mx) || m > mx))
					mx = m;
			}
		}
	}
	if (!any)
		return;
	if (hc >= c->floor && !cells_dominated(sum, mx, c->dominance))
		return;
	/* Candidates by headcount, then path order (children are in path
	 * order and the order is made total by that position). One or two
	 * usually suffice: the first few are picked by a linear scan, and
	 * past those the rest is sorted once, which keeps a parent of many
	 * small children linear-logarithmic. */
	size_t n = 0;
	for (uint32_t k = c0; k < c1; k++) {
		uint32_t ch = s->child_idx[k];
		size_t j = at(s, ch, x, i);
		if (!isnan(s->v[j]) && !c->hidden[j]) {
			cand[n].people = people_of(c, ch, x, i);
			cand[n++].pos = k;
		}
	}
	for (size_t k = 0; k < n; k++) {
		if (k < 4) {
			size_t m = k;
			for (size_t j = k + 1; j < n; j++)
				if (cand_cmp(&cand[j], &cand[m]) < 0)
					m = j;
			struct cand t = cand[k];
			cand[k] = cand[m];
			cand[m] = t;
		} else if (k == 4) {
			qsort(cand + k, n - k, sizeof(*cand), cand_cmp);
		}
		uint32_t best = s->child_idx[cand[k].pos];
		hide_subtree(c, best, x, i, stack);
		hc += cand[k].people;
		sum += s->v[at(s, best, x, i)];
		if (cx >= 0) {
			double m = s->v[at(s, best, (uint32_t)cx, i)];
			if (!isnan(m) && (isnan(mx) || m > mx))
				mx = m;
		}
		if (hc >= c->floor && !cells_dominated(sum, mx, c->dominance))
			return;
	}
	c->hidden[at(s, u, x, i)] = 1;
}

/* X_max is the companion of X when both are indicators of the series. */
static void find_companions(struct cells *c)
{
	const struct series *s = c->s;

	for (uint32_t x = 0; x < s->nind; x++) {
		size_t n = strlen(s->inds[x]);
		if (n > 4 && strcmp(s->inds[x] + n - 4, "_max") == 0) {
			char base[128];
			if (n - 4 >= sizeof(base))
				continue;
			memcpy(base, s->inds[x], n - 4);
			base[n - 4] = '\0';
			c->is_companion[x] = series_indicator(s, base) >= 0;
		}
	}
	for (uint32_t x = 0; x < s->nind; x++) {
		char name[128];
		size_t n = strlen(s->inds[x]);
		if (n + 5 > sizeof(name))
			continue;
		memcpy(name, s->inds[x], n);
		memcpy(name + n, "_max", 5);
		c->companion[x] = series_indicator(s, name);
		c->companions |= c->companion[x] >= 0;
	}
}

/* Primary suppression of unit u at every period: below the floor, a
 * companion, or dominated. below has room for np. */
static void primary(struct cells *c, uint32_t u, uint8_t *below)
{
	const struct series *s = c->s;
	int32_t np = s->np;

	for (int32_t i = 0; i < np; i++) {
		double h = heads(c, u, i);

		below[i] = isnan(h) || h < c->floor;
	}
	for (uint32_t x = 0; x < s->nind; x++) {
		uint8_t *hid = c->hidden + at(s, u, x, 0);
		const double *v = s->v + at(s, u, x, 0);
		const double *m = c->companion[x] < 0 ? NULL :
		    s->v + at(s, u, (uint32_t)c->companion[x], 0);
		if (c->is_companion[x]) {
			memset(hid, 1, (size_t)np);
			continue;
		}
		/* A cell without a value gives nothing away: not hidden, so
		 * that a window reaching before a unit's first data reads
		 * gaps, not hidden cells (count() is defined there, SPEC 6). */
		for (int32_t i = 0; i < np; i++)
			hid[i] = below[i] && !isnan(v[i]);
		/* Its companion's cell kept (series.h): dominated when its
		 * period's figures were shown, it stays so whatever X_max
		 * says now, as a unit kept under the floor. */
		const uint8_t *mk = !m || !s->kept ? NULL :
		    s->kept + at(s, u, (uint32_t)c->companion[x], 0);
		for (int32_t i = 0; m && i < np; i++)
			hid[i] |= cells_dominated(v[i], m[i], c->dominance) ||
			    (mk && mk[i] && !isnan(v[i]));
	}
}

struct cells *cells_new(const struct series *s, int floor, double dominance)
{
	struct cells *c = calloc(1, sizeof(*c));
	uint32_t *order = NULL, *stack = NULL;
	uint8_t *any = NULL;
	struct cand *cand = NULL;
	size_t nu = s->nunits ? s->nunits : 1, ni = s->nind ? s->nind : 1;
	size_t np = s->np > 0 ? (size_t)s->np : 1;

	if (!c)
		return NULL;
	c->s = s;
	c->floor = floor;
	c->dominance = dominance;
	c->headcount = series_indicator(s, "headcount");
	c->companion = malloc(ni * sizeof(*c->companion));
	c->is_companion = calloc(ni, sizeof(*c->is_companion));
	c->hidden = calloc((size_t)s->nunits * s->nind * (size_t)s->np + 1, 1);
	c->row = calloc((size_t)s->nunits * s->nind + 1, 1);
	order = malloc(nu * sizeof(*order));
	stack = malloc(nu * sizeof(*stack));
	any = malloc(np);
	cand = malloc(nu * sizeof(*cand));
	if (!c->companion || !c->is_companion || !c->hidden || !c->row || !order ||
	    !stack ||
	    !any || !cand)
		goto fail;
	find_companions(c);

	/* Units deepest first (counting sort on depth). */
	uint32_t count[UNIT_MAX_SEGMENTS + 1] = { 0 }, start[UNIT_MAX_SEGMENTS + 1];
	uint32_t acc = 0;
	for (uint32_t u = 0; u < s->nunits; u++)
		count[s->depth[u]]++;
	for (int d = UNIT_MAX_SEGMENTS; d >= 0; d--) {
		start[d] = acc;
		acc += count[d];
	}
	for (uint32_t u = 0; u < s->nunits; u++)
		order[start[s->depth[u]]++] = u;

	if (s->np > 0)
		for (uint32_t u = 0; u < s->nunits; u++)
			primary(c, u, any);
	/* A cell kept hidden from an earlier state of the data (a late file
	 * would have picked another companion): hidden with its subtree, as
	 * when it joined its group, whose parent then protects it again;
	 * only while a sibling is hidden for itself (its reason: once no
	 * small team is left beside it, nothing is given away). */
	for (size_t j = 0; s->kept && j < (size_t)s->nunits * s->nind * (size_t)s->np; j++) {
		uint32_t u = (uint32_t)(j / ((size_t)s->nind * (size_t)s->np));
		uint32_t x = (uint32_t)(j / (size_t)s->np % s->nind);
		int32_t i = (int32_t)(j % (size_t)s->np);

		if (s->kept[j] && !isnan(s->v[j]) && !c->is_companion[x] &&
		    sibling_hidden(c, u, x, i))
			hide_subtree(c, u, x, i, stack);
	}
	/* Complementary suppression, per indicator and parent, deepest
	 * first; the periods are independent, and only those where some
	 * child is hidden need a look at the values (protect_group). */
	for (uint32_t x = 0; x < s->nind && s->np > 0; x++) {
		if (c->is_companion[x])
			continue;
		for (uint32_t k = 0; k < s->nunits; k++) {
			uint32_t u = order[k];
			uint8_t some = 0;
			if (s->child_off[u + 1] == s->child_off[u])
				continue;
			memset(any, 0, np);
			for (uint32_t j = s->child_off[u]; j < s->child_off[u + 1]; j++) {
				const uint8_t *ch_h = c->hidden +
				    at(s, s->child_idx[j], x, 0);
				for (size_t i = 0; i < np; i++)
					any[i] |= ch_h[i];
			}
			/* and where u has a value of its own (protect_group) */
			for (size_t i = 0; s->own && i < np; i++)
				any[i] |= s->own[at(s, u, x, (int32_t)i)];
			for (size_t i = 0; i < np; i++)
				some |= any[i];
			for (size_t i = 0; some && i < np; i++)
				if (any[i])
					protect_group(c, u, x, (int32_t)i, stack, cand);
		}
	}
	for (size_t r = 0; s->np > 0 && r < (size_t)s->nunits * s->nind; r++)
		c->row[r] = memchr(c->hidden + r * (size_t)s->np, 1,
		    (size_t)s->np) != NULL;
	free(order);
	free(stack);
	free(any);
	free(cand);
	return c;
fail:
	free(order);
	free(stack);
	free(any);
	free(cand);
	cells_free(c);
	return NULL;
}

int cells_raise(struct cells *c, int floor)
{
	struct cells **tail = &c->raised;

	if (cells_at(c, floor))
		return 0;
	while (*tail)
		tail = &(*tail)->raised;
	return (*tail = cells_new(c->s, floor, c->dominance)) ? 0 : -1;
}

const struct cells *cells_at(const struct cells *c, int floor)
{
	if (floor <= c->floor)
		return c;
	for (c = c->raised; c; c = c->raised)
		if (c->floor == floor)
			return c;
	return NULL;
}

void cells_free(struct cells *c)
{
	if (!c)
		return;
	cells_free(c->raised);
	free(c->companion);
	free(c->is_companion);
	free(c->hidden);
	free(c->row);
	free(c);
}
