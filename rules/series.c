/* The series builder: interns unit paths (adding their ancestors) and
 * indicator names, takes imported values into a dense array in O(1) each,
 * and at sb_finish computes the roll-up of SPEC 2 once, deepest units
 * first, plus the indices the engine walks (parent, children, path order,
 * depth, first and last period with data). Pure: no I/O. */
#include <stdlib.h>
#include <string.h>
#include "vigie/names.h"
#include "vigie/progress.h"
#include "vigie/series.h"
#include "vigie/unit.h"

struct series_builder {
	enum granularity gran;
	int32_t p0, np;
	struct names units, inds;
	int32_t *parent;	/* by unit index */
	uint32_t parent_cap;
	double *v;		/* allocated at the first sb_set (or at finish) */
	int frozen;		/* units and indicators can no longer change */
	int oom;
};

struct series_builder *sb_new(enum granularity g, int32_t p_first, int32_t p_last)
{
	struct series_builder *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	b->gran = g;
	b->p0 = p_first;
	b->np = p_last >= p_first ? p_last - p_first + 1 : 0;
	if (b->np == 0)
		b->p0 = 0;
	return b;
}

/* Interns one path (valid per unit_path_check), its parent first; the
 * parent's index is recorded. */
static int32_t unit_intern(struct series_builder *b, const char *path, size_t len)
{
	int32_t i = names_find(&b->units, path, len);

	if (i >= 0)
		return i;
	size_t plen = unit_parent_len(path, len);
	int32_t parent = -1;
	if (plen > 0) {
		parent = unit_intern(b, path, plen);	/* at most 15 levels */
		if (parent < 0)
			return -1;
	}
	i = (int32_t)names_intern(&b->units, path, len);
	if ((uint32_t)i >= b->parent_cap) {
		int32_t *p = realloc(b->parent, (size_t)b->units.cap * sizeof(*p));
		if (!p)
			return -1;
		b->parent = p;
		b->parent_cap = b->units.cap;
	}
	b->parent[i] = parent;
	return i;
}

int32_t sb_unit(struct series_builder *b, const char *path)
{
	if (b->frozen || b->oom)
		return -1;
	int32_t i = unit_intern(b, path, strlen(path));
	if (i < 0)
		b->oom = 1;
	return i;
}

int32_t sb_indicator(struct series_builder *b, const char *name)
{
	if (b->frozen || b->oom)
		return -1;
	return (int32_t)names_intern(&b->inds, name, strlen(name));
}

static size_t value_count(const struct series_builder *b)
{
	return (size_t)b->units.n * b->inds.n * (size_t)b->np;
}

/* Allocates the value array once units and indicators are known. */
static int freeze(struct series_builder *b)
{
	if (b->frozen)
		return b->oom ? -1 : 0;
	b->frozen = 1;
	size_t n = value_count(b);
	b->v = malloc((n ? n : 1) * sizeof(*b->v));
	if (!b->v) {
		b->oom = 1;
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		b->v[i] = SERIES_UNDEF;
	return 0;
}

int sb_set(struct series_builder *b, uint32_t unit, uint32_t ind, int32_t p, double v)
{
	if (!b->frozen && freeze(b) != 0)
		return -1;
	if (b->oom || unit >= b->units.n || ind >= b->inds.n)
		return -1;
	int32_t i = p - b->p0;
	if (i < 0 || i >= b->np)
		return 0;	/* outside the declared range: ignored */
	b->v[((size_t)unit * b->inds.n + ind) * (size_t)b->np + (size_t)i] = v;
	return 0;
}

int sb_set_range(struct series_builder *b, uint32_t unit, uint32_t ind,
    int32_t p0, const double *v, size_t n)
{
	if (!b->frozen && freeze(b) != 0)
		return -1;
	if (b->oom || unit >= b->units.n || ind >= b->inds.n)
		return -1;
	/* Clip [p0, p0 + n) to the builder's [b->p0, b->p0 + np) in 64 bits. */
	int64_t lo = (int64_t)p0, hi = (int64_t)p0 + (int64_t)n;
	if (lo < b->p0)
		lo = b->p0;
	if (hi > (int64_t)b->p0 + b->np)
		hi = (int64_t)b->p0 + b->np;
	double *row = b->v + ((size_t)unit * b->inds.n + ind) * (size_t)b->np;
	for (int64_t p = lo; p < hi; p++) {
		double x = v[p - p0];
		if (!isnan(x))
			row[p - b->p0] = x;
	}
	return 0;
}

static int cmp_path(const void *a, const void *b, void *ctx)
{
	char *const *units = ctx;

	return strcmp(units[*(const uint32_t *)a], units[*(const uint32_t *)b]);
}

/* True for X_max indicators: the largest contribution of one employee
 * (SPEC 3, dominance), which rolls up as a maximum, not a sum. */
static int is_max_name(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && strcmp(name + n - 4, "_max") == 0;
}

/* Roll-up: a unit without an imported value takes the sum of its
 * children's defined values (their maximum for X_max). Children are
 * deeper, so visiting units from the deepest level up sees every child
 * final before its parent. The values a unit with children has of its own
 * are marked in own. -1 when out of memory. */
static int rollup(struct series *s, const uint32_t *bydepth)
{
	size_t row = (size_t)s->nind * (size_t)s->np;
	char ismax[s->nind ? s->nind : 1];

	for (uint32_t i = 0; i < s->nind; i++)
		ismax[i] = (char)is_max_name(s->inds[i]);

	for (uint32_t k = s->nunits; k-- > 0; ) {
		uint32_t u = bydepth[k];
		uint32_t c0 = s->child_off[u], c1 = s->child_off[u + 1];
		double *mine = s->v + (size_t)u * row;
		int32_t last = -1, first = -1;

		for (size_t j = 0; j < row && c0 < c1; j++) {
			if (!isnan(mine[j])) {
				if (!s->own)
					s->own = calloc((size_t)s->nunits * row, 1);
				if (!s->own)
					return -1;
				s->own[(size_t)u * row + j] = 1;
				continue;
			}
			double sum = 0;
			int any = 0, max = ismax[j / (size_t)s->np];
			for (uint32_t c = c0; c < c1; c++) {
				double x = s->v[(size_t)s->child_idx[c] * row + j];
				if (!isnan(x)) {
					sum = max ? (any && sum > x ? sum : x) : sum + x;
					any = 1;
				}
			}
			if (any)
				mine[j] = sum;
		}
		/* Defined after roll-up means imported here or below. */
		for (int32_t p = s->np; p-- > 0 && last < 0; )
			for (uint32_t i = 0; i < s->nind; i++)
				if (!isnan(mine[(size_t)i * s->np + (size_t)p])) {
					last = s->p0 + p;
					break;
				}
		for (int32_t p = 0; p < s->np && first < 0; p++)
			for (uint32_t i = 0; i < s->nind; i++)
				if (!isnan(mine[(size_t)i * s->np + (size_t)p])) {
					first = s->p0 + p;
					break;
				}
		s->last[u] = last;
		s->first[u] = first;
	}
	return 0;
}

struct series *sb_finish(struct series_builder *b)
{
	struct series *s = NULL;
	uint32_t *bydepth = NULL, *fill = NULL;

	if (freeze(b) != 0 || b->oom)
		goto fail;
	s = calloc(1, sizeof(*s));
	if (!s)
		goto fail;
	s->gran = b->gran;
	s->p0 = b->p0;
	s->np = b->np;
	s->nunits = b->units.n;
	s->nind = b->inds.n;
	size_t nu = s->nunits ? s->nunits : 1;
	s->parent = malloc(nu * sizeof(*s->parent));
	s->child_off = calloc(nu + 1, sizeof(*s->child_off));
	s->child_idx = malloc(nu * sizeof(*s->child_idx));
	s->sorted = malloc(nu * sizeof(*s->sorted));
	s->depth = malloc(nu * sizeof(*s->depth));
	s->last = malloc(nu * sizeof(*s->last));
	s->first = malloc(nu * sizeof(*s->first));
	bydepth = malloc(nu * sizeof(*bydepth));
	fill = malloc(nu * sizeof(*fill));
	if (!s->parent || !s->child_off || !s->child_idx || !s->sorted ||
	    !s->depth || !s->last || !s->first || !bydepth || !fill)
		goto fail;
	/* The strings and values move to the series. */
	s->units = b->units.v;
	s->inds = b->inds.v;
	s->v = b->v;
	b->units.v = NULL;
	b->inds.v = NULL;
	b->v = NULL;
	b->units.n = b->inds.n = 0;

	uint32_t count[UNIT_MAX_SEGMENTS + 1] = { 0 };
	for (uint32_t u = 0; u < s->nunits; u++) {
		uint16_t d = 0;
		for (const char *c = s->units[u]; *c; c++)
			d += *c == '/';
		s->depth[u] = d < UNIT_MAX_SEGMENTS ? d : UNIT_MAX_SEGMENTS;
		count[s->depth[u]]++;
		s->parent[u] = b->parent[u];
		s->sorted[u] = u;
		if (s->parent[u] >= 0)
			s->child_off[s->parent[u] + 1]++;
	}
	qsort_r(s->sorted, s->nunits, sizeof(*s->sorted), cmp_path, s->units);
	for (uint32_t u = 0; u < s->nunits; u++)
		s->child_off[u + 1] += s->child_off[u];
	memcpy(fill, s->child_off, s->nunits * sizeof(*fill));
	/* Children in path order; units grouped by depth, shallow first. */
	uint32_t start[UNIT_MAX_SEGMENTS + 1], acc = 0;
	for (int d = 0; d <= UNIT_MAX_SEGMENTS; d++) {
		start[d] = acc;
		acc += count[d];
	}
	for (uint32_t k = 0; k < s->nunits; k++) {
		uint32_t u = s->sorted[k];
		if (s->parent[u] >= 0)
			s->child_idx[fill[s->parent[u]]++] = u;
		bydepth[start[s->depth[u]]++] = u;
	}
	progress_tick();
	if (rollup(s, bydepth) != 0)
		goto fail;
	progress_tick();
	free(bydepth);
	free(fill);
	sb_free(b);
	return s;
fail:
	free(bydepth);
	free(fill);
	series_free(s);
	sb_free(b);
	return NULL;
}

void sb_free(struct series_builder *b)
{
	if (!b)
		return;
	names_free(&b->units);
	names_free(&b->inds);
	free(b->parent);
	free(b->v);
	free(b);
}

int32_t series_unit(const struct series *s, const char *path)
{
	size_t lo = 0, hi = s->nunits;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(s->units[s->sorted[mid]], path);
		if (c == 0)
			return (int32_t)s->sorted[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

int32_t series_indicator(const struct series *s, const char *name)
{
	/* A handful of indicators: a linear scan beats any index. */
	for (uint32_t i = 0; i < s->nind; i++)
		if (strcmp(s->inds[i], name) == 0)
			return (int32_t)i;
	return -1;
}

int series_keep(struct series *s, uint32_t u, uint32_t ind, int32_t i)
{
	size_t n = (size_t)s->nunits * s->nind * (size_t)s->np;

	if (u >= s->nunits || ind >= s->nind || i < 0 || i >= s->np)
		return 0;
	if (!s->kept && !(s->kept = calloc(n, 1)))
		return -1;
	s->kept[((size_t)u * s->nind + ind) * (size_t)s->np + (size_t)i] = 1;
	return 0;
}

int series_keep_below(struct series *s, uint32_t u, int32_t i)
{
	if (u >= s->nunits || i < 0 || i >= s->np)
		return 0;
	if (!s->below && !(s->below = calloc((size_t)s->nunits * (size_t)s->np, 1)))
		return -1;
	s->below[(size_t)u * (size_t)s->np + (size_t)i] = 1;
	return 0;
}

void series_free(struct series *s)
{
	if (!s)
		return;
	if (s->units)
		for (uint32_t u = 0; u < s->nunits; u++)
			free(s->units[u]);
	if (s->inds)
		for (uint32_t i = 0; i < s->nind; i++)
			free(s->inds[i]);
	free(s->units);
	free(s->inds);
	free(s->parent);
	free(s->child_off);
	free(s->child_idx);
	free(s->sorted);
	free(s->depth);
	free(s->v);
	free(s->last);
	free(s->first);
	free(s->own);
	free(s->kept);
	free(s->below);
	free(s);
}
