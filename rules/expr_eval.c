/* Evaluator of compiled expressions (SPEC 6): a switch-dispatched stack
 * machine over the postfix program of expr_impl.h. It allocates nothing: the
 * stack is a fixed array of the caller's frame, and a function that reads
 * its argument at other periods or units runs that argument's body as a
 * sub-program on the same stack (recursion is bounded by the nesting of
 * calls, EXPR_MAX_DEPTH). Values are doubles; NAN means undefined, and every
 * result that is not finite becomes NAN. An evaluation may go through a
 * caller-owned memo (struct expr_memo, the only allocation here) that keeps
 * the values of bodies per period for one unit, so that the engine's walk
 * over consecutive periods evaluates each body once per period. Three rules
 * hold everywhere: a function that reads earlier periods of its unit is
 * undefined when they start before the unit's first data (SPEC 16); a read
 * of another unit goes through read_unit, where the anonymity floor is
 * enforced; and every read of an indicator notes whether its cell is hidden
 * (SPEC 3, struct cells) in the evaluation's context, which the memo keeps
 * per body and period beside the value, so that the engine can suppress a
 * value that would give a hidden cell away whatever the periods and units
 * it reached. Which cells a function reads does not depend on the values
 * it finds (no early exit on an undefined one), so that what suppresses a
 * rule is a matter of where it looks, not of what it sees. The statistics
 * of vigie-rules(5) (Farrington's reference sets, the negative binomial
 * tail, credibility, CUSUM and EWMA) are functions like the others. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/cells.h"
#include "vigie/expr.h"
#include "expr_impl.h"

/* Windows up to this size keep their values for the second pass of stddev,
 * slope and zscore; longer ones evaluate their argument again. */
#define WINDOW_BUF 64

/* Body values of one unit: val[slot * np + i] is the body of that slot at
 * period p0 + i, and hid[] whether computing it read a hidden cell; valid
 * when stamp[] equals gen. */
struct expr_memo {
	uint32_t nslots;
	int32_t np;
	uint32_t u;
	uint32_t gen;		/* 0: no unit yet */
	double *val;
	uint8_t *hid;
	uint32_t *stamp;
	struct peer_sum *peer;	/* sums over siblings (peer_sums), made on first use */
	uint32_t npeer;		/* a power of two */
	struct peer_sum *spare;	/* for a sum the cache does not keep */
};

/* The sums over all the children of a parent at a period of one function
 * reading siblings (its op at pc): each child's peer value is then that
 * sum minus its own part, so that a parent with k children costs k body
 * evaluations per period instead of k^2 (500,000 siblings: seconds, not
 * hours). Sums are compensated (Neumaier), so that taking one part out
 * loses nothing worth a threshold: the results agree with the direct sum
 * to the last bits. The cache is keyed by (pc, parent, period) and kept
 * across units: units are evaluated in path order, so the parents still
 * needed are the ancestors of the unit at hand. Two places per key; an
 * entry of an ancestor is only replaced by one covering more children. */
struct peer_sum {
	uint32_t pc;
	int32_t parent;		/* -1: empty */
	int32_t p;
	uint32_t kids;		/* children of parent: the cost of the entry */
	uint32_t n;		/* values (or pairs) in the sums */
	double hi[2], lo[2];	/* value, or count and exposure */
};

/* One evaluation: what it reads, the memo of the unit it is evaluated for
 * (NULL while evaluating for another unit), and whether it has read a
 * hidden cell so far. */
struct ectx {
	const struct eval_env *env;
	struct expr_memo *m;
	bool hidden;
};

static double run(const struct expr *e, size_t from, size_t to,
    struct ectx *x, uint32_t u, int32_t p, double *st);

static inline size_t cell_at(const struct series *s, uint32_t u, int32_t ind,
    int32_t i)
{
	return ((size_t)u * s->nind + (size_t)ind) * (size_t)s->np + (size_t)i;
}

static inline double indicator(struct ectx *x, int32_t name, uint32_t u,
    int32_t p)
{
	const struct eval_env *env = x->env;
	const struct series *s = env->s;
	int32_t m = env->indmap ? env->indmap[name] : -1, i = p - s->p0;
	size_t k;

	if (m < 0 || i < 0 || i >= s->np)
		return NAN;
	k = cell_at(s, u, m, i);
	if (env->cells)
		x->hidden |= env->cells->hidden[k];
	return s->v[k];
}

static inline double finite_or_nan(double r)
{
	return isfinite(r) ? r : NAN;
}

/* A body [from, to) evaluated for unit u at period p. The common bodies,
 * one indicator or one number, skip the interpreter; the others are read
 * from the memo (the unit's, or none) when it has them, with whether they
 * read a hidden cell. Periods outside the series are not kept: a body such
 * as coalesce(x, 0) is defined there. */
static double __attribute__((noinline)) at_memo(const struct expr *e,
    size_t from, size_t to, struct ectx *x, uint32_t u, int32_t p,
    double *st)
{
	struct expr_memo *m = x->m;
	uint32_t slot = e->code[from - 1].slot;
	int32_t i = p - x->env->s->p0;

	/* past a hidden read the values no longer matter (see run); before
	 * one, the evaluation has read nothing hidden, so the body's own
	 * flag is the evaluation's */
	if (x->hidden)
		return NAN;
	if (m && slot && i >= 0 && i < m->np) {
		size_t k = (size_t)(slot - 1) * (size_t)m->np + (size_t)i;
		if (m->stamp[k] != m->gen) {
			m->val[k] = run(e, from, to, x, u, p, st);
			m->hid[k] = x->hidden;
			m->stamp[k] = m->gen;
		} else {
			x->hidden = m->hid[k];
		}
		return m->val[k];
	}
	return run(e, from, to, x, u, p, st);
}

static inline __attribute__((always_inline)) double at(const struct expr *e,
    size_t from, size_t to, struct ectx *x, uint32_t u, int32_t p,
    double *st)
{
	const struct op *o = &e->code[from];

	if (to - from == 1) {
		if (o->code == OP_IND)
			return indicator(x, o->n, u, p);
		if (o->code == OP_CONST)
			return o->c;
	}
	return at_memo(e, from, to, x, u, p, st);
}

/* The body's values at the n <= WINDOW_BUF periods q0 .. q0+n-1 into buf,
 * as at() gives them one by one; a body that is one indicator is a slice
 * of the unit's row of the series (and of its hidden cells), read without
 * the per-value lookups. */
static void window(const struct expr *e, size_t from, size_t to,
    struct ectx *x, uint32_t u, int32_t q0, int32_t n, double *st,
    double *buf)
{
	const struct op *o = &e->code[from];
	const struct eval_env *env = x->env;
	const struct series *s = env->s;

	if (to - from == 1 && o->code == OP_IND) {
		int32_t ind = env->indmap ? env->indmap[o->n] : -1, i0 = q0 - s->p0;
		int32_t j0 = i0 > 0 ? i0 : 0, j1 = i0 + n < s->np ? i0 + n : s->np;
		const double *row;
		size_t k;

		if (ind < 0 || j0 >= j1) {
			for (int32_t i = 0; i < n; i++)
				buf[i] = NAN;
			return;
		}
		/* the periods outside the series, then those inside */
		for (int32_t i = 0; i < j0 - i0; i++)
			buf[i] = NAN;
		for (int32_t i = j1 - i0; i < n; i++)
			buf[i] = NAN;
		k = cell_at(s, u, ind, 0);
		row = s->v + k;
		for (int32_t j = j0; j < j1; j++)
			buf[j - i0] = row[j];
		if (env->cells && env->cells->row[(size_t)u * s->nind + (size_t)ind]) {
			const uint8_t *h = env->cells->hidden + k;
			uint8_t hid = 0;
			for (int32_t j = j0; j < j1; j++)
				hid |= h[j];
			x->hidden |= hid;
		}
		return;
	}
	/* past a hidden read the values no longer matter (see run) */
	for (int32_t i = 0; i < n; i++)
		buf[i] = x->hidden ? NAN : at(e, from, to, x, u, q0 + i, st);
}

/* Dominance of a window (SPEC 3): a window function whose argument is an
 * indicator X with a companion X_max reads a hidden value when the sum of
 * X_max over the window's periods exceeds dominance times the sum of X:
 * the window describes one person, even when no single period does. */
static void __attribute__((noinline)) dominance_of(const struct expr *e,
    size_t from, size_t to, struct ectx *x, uint32_t u, int32_t q0, int32_t n)
{
	const struct op *o = &e->code[from];
	const struct eval_env *env = x->env;
	const struct series *s = env->s;
	double sx = 0, sm = 0;
	bool anyx = false, anym = false;
	int32_t ind, cx;

	if (to - from != 1 || o->code != OP_IND || !env->indmap)
		return;
	ind = env->indmap[o->n];
	if (ind < 0 || (cx = cells_companion(env->cells, (uint32_t)ind)) < 0)
		return;
	for (int32_t q = q0; q < q0 + n; q++) {
		double a = series_get(s, u, (uint32_t)ind, q);
		double b = series_get(s, u, (uint32_t)cx, q);
		if (!isnan(a)) {
			sx += a;
			anyx = true;
		}
		if (!isnan(b)) {
			sm += b;
			anym = true;
		}
	}
	if (anyx && anym && cells_dominated(sx, sm, env->cells->dominance))
		x->hidden = true;
}

/* Most series have no companion at all: one test then. */
static inline void window_dominance(const struct expr *e, size_t from,
    size_t to, struct ectx *x, uint32_t u, int32_t q0, int32_t n)
{
	if (x->env->cells && x->env->cells->companions)
		dominance_of(e, from, to, x, u, q0, n);
}

bool eval_suppressed(const struct eval_env *env, uint32_t u, int32_t p)
{
	double h;

	if (env->headcount < 0)
		return true;
	h = series_get(env->s, u, (uint32_t)env->headcount, p);
	/* kept under the floor since its figures were hidden (series.h) */
	if (p >= env->s->p0 && p < env->s->p0 + env->s->np &&
	    series_kept_below(env->s, u, p - env->s->p0))
		return true;
	return isnan(h) || h < env->floor;
}

/* Mean and spread of the defined values of a body at the n periods q0 ..
 * q0+n-1, two passes as the formulas read: returns the number of defined
 * values, and sets *mean, *sd (population standard deviation) and *slope
 * (least squares, x = position in the window) when there are two or more. */
static int32_t spread(const struct expr *e, size_t from, size_t to,
    struct ectx *x, uint32_t u, int32_t q0, int32_t n, double *st,
    double *mean, double *sd, double *slope)
{
	double buf[WINDOW_BUF], sum = 0, sx = 0, xm, ss = 0, sxy = 0, sxx = 0;
	bool keep = n <= WINDOW_BUF;
	int32_t cnt = 0;

	if (keep)
		window(e, from, to, x, u, q0, n, st, buf);
	for (int32_t i = 0; i < n; i++) {
		double v = keep ? buf[i] : at(e, from, to, x, u, q0 + i, st);
		if (!isnan(v)) {
			sum += v;
			sx += i;
			cnt++;
		}
	}
	if (cnt < 2)
		return cnt;
	*mean = sum / cnt;
	xm = sx / cnt;
	for (int32_t i = 0; i < n; i++) {
		double v = keep ? buf[i] : at(e, from, to, x, u, q0 + i, st);
		if (!isnan(v)) {
			double dy = v - *mean, dx = i - xm;
			ss += dy * dy;
			sxy += dx * dy;
			sxx += dx * dx;
		}
	}
	*sd = sqrt(ss / cnt);
	*slope = sxy / sxx;
	return cnt;
}

/* Every read of another unit's values goes through here, so that the
 * anonymity floor (SPEC 3) is enforced in one place: a unit suppressed at p
 * reads as undefined, and as a hidden read when cells are known (its cells
 * are hidden, or hidden to this rule). *hidden tells whether the value
 * would give a hidden cell away; the caller decides what that means (the
 * evaluation is suppressed, or the sibling left out). Other units' bodies
 * bypass the memo, which holds the values of one unit only. */
static double read_unit(const struct expr *e, size_t from, size_t to,
    const struct ectx *x, uint32_t v, int32_t p, double *st, bool *hidden)
{
	struct ectx y = { x->env, NULL, false };
	double r;

	if (eval_suppressed(x->env, v, p)) {
		*hidden = x->env->cells != NULL;
		return NAN;
	}
	r = at(e, from, to, &y, v, p, st);
	*hidden = y.hidden;
	return r;
}

/* The largest number of periods a Farrington reference set may hold:
 * 10 years of 2 x 5 + 1 periods (the compiler's limits). */
#define SEASONAL_MAX 110

/* Pooled rate and dispersion of (count, exposure) pairs, the quasi-Poisson
 * model of Farrington et al. (1996) without trend: the pairs used are those
 * where both are defined and the exposure is positive; the rate is their
 * sum of counts over their sum of exposures (pool_rate), and the dispersion
 * Pearson's statistic sum((c - x rate)^2 / (x rate)) over (pairs - 1), at
 * least 1, and 1 when the rate is not positive (pool_disp, after pool_dev
 * on every pair). */
struct pool {
	double sc, sx, ss;
	int32_t n;
};

static inline void pool_add(struct pool *pl, double c, double x)
{
	if (isnan(c) || isnan(x) || !(x > 0))
		return;
	pl->sc += c;
	pl->sx += x;
	pl->n++;
}

static inline void pool_dev(struct pool *pl, double rate, double c, double x)
{
	double mu;

	if (isnan(c) || isnan(x) || !(x > 0))
		return;
	mu = x * rate;
	pl->ss += (c - mu) * (c - mu) / mu;
}

/* NAN without pairs, or when a sum overflows. */
static double pool_rate(const struct pool *pl)
{
	if (pl->n == 0 || !isfinite(pl->sc) || !isfinite(pl->sx))
		return NAN;
	return finite_or_nan(pl->sc / pl->sx);
}

static double pool_disp(const struct pool *pl, double rate)
{
	double d;

	if (pl->n < 2 || isnan(rate))
		return NAN;
	if (!(rate > 0))
		return 1;
	d = pl->ss / (pl->n - 1);
	return d < 1 ? 1 : finite_or_nan(d);
}

/* The two bodies of a function with two arguments evaluated elsewhere: the
 * OP_ARG at from, then the first body, the second OP_ARG and its body. */
struct two {
	size_t c0, c1, x0, x1;
};

static struct two two_bodies(const struct expr *e, size_t from)
{
	struct two t;

	t.c0 = from + 1;
	t.c1 = t.c0 + e->code[from].len;
	t.x0 = t.c1 + 1;
	t.x1 = t.x0 + e->code[t.c1].len;
	return t;
}

/* The periods p - y Y + j, y = 1 .. years, j = -w .. w (Farrington's
 * reference set; Y is 12 months or 52 weeks, w defaults to 1 month or 3
 * weeks); returns their number, or 0 when the earliest is before the unit's
 * first data. */
static int32_t seasonal_periods(const struct op *o, const struct eval_env *env,
    uint32_t u, int32_t p, int32_t *q)
{
	bool weeks = env->s->gran == GRAN_WEEK;
	int32_t Y = weeks ? 52 : 12, w = o->k >= 0 ? o->k : weeks ? 3 : 1, n = 0;

	if ((int64_t)p - (int64_t)o->n * Y - w < series_first(env->s, u))
		return 0;
	for (int32_t y = 1; y <= o->n; y++)
		for (int32_t j = -w; j <= w; j++)
			q[n++] = p - y * Y + j;
	return n;
}

static void ksum(double *hi, double *lo, double v)
{
	double t = *hi + v;

	if (fabs(*hi) >= fabs(v))
		*lo += (*hi - t) + v;
	else
		*lo += (v - t) + *hi;
	*hi = t;
}

/* hi + lo - v, compensated. */
static double kminus(double hi, double lo, double v)
{
	ksum(&hi, &lo, -v);
	return hi + lo;
}

static bool is_ancestor(const struct series *s, int32_t a, uint32_t u)
{
	for (int32_t x = s->parent[u]; x >= 0; x = s->parent[x])
		if (x == a)
			return true;
	return false;
}

/* Where to keep a new sum of kids children for unit u: a free place, else
 * one no longer needed (its parent is not an ancestor of u), else the
 * cheaper one if cheaper than the new; NULL: keep neither. */
static struct peer_sum *peer_victim(const struct series *s, struct peer_sum *a,
    struct peer_sum *b, uint32_t kids, uint32_t u)
{
	struct peer_sum *c;

	if (a->parent < 0 || !is_ancestor(s, a->parent, u))
		return a;
	if (b->parent < 0 || !is_ancestor(s, b->parent, u))
		return b;
	c = a->kids <= b->kids ? a : b;
	return c->kids <= kids ? c : NULL;
}

/* The sums of op o (at pc, one body or two) over every child of parent pu
 * at p, through m's cache; NULL when there is no cache (no memo, or no
 * memory), or when a sum is not finite (the caller then sums directly). */
static const struct peer_sum *peer_sums(const struct expr *e, const struct op *o,
    size_t from, struct ectx *cx, uint32_t u, int32_t pu, int32_t p, double *st)
{
	const struct series *s = cx->env->s;
	struct expr_memo *m = cx->m;
	bool hh, h2;
	uint32_t pc = (uint32_t)(o - e->code), k0 = s->child_off[pu],
	    k1 = s->child_off[pu + 1], h;
	struct peer_sum x = { .pc = pc, .parent = pu, .p = p, .kids = k1 - k0 };
	struct peer_sum *a, *b, *slot;

	if (!m)
		return NULL;
	if (!m->peer) {
		uint32_t n = 256;
		while (n < 8u * (uint32_t)(m->np > 0 ? m->np : 1) && n < (1u << 20))
			n *= 2;
		if (!(m->peer = malloc((n + 1) * sizeof(*m->peer))))
			return NULL;
		for (uint32_t i = 0; i < n; i++)
			m->peer[i].parent = -1;
		m->npeer = n;
		m->spare = &m->peer[n];
	}
	h = (pc * 0x9E3779B1u) ^ ((uint32_t)pu * 0x85EBCA77u) ^ ((uint32_t)p * 0xC2B2AE3Du);
	h ^= h >> 15;
	a = &m->peer[h & (m->npeer - 1)];
	b = &m->peer[(h + 1) & (m->npeer - 1)];
	if (a->parent == pu && a->p == p && a->pc == pc)
		return a;
	if (b->parent == pu && b->p == p && b->pc == pc)
		return b;
	if (o->code == OP_PEER_AVG) {
		for (uint32_t i = k0; i < k1; i++) {
			double v = read_unit(e, from, from + o->len, cx, s->child_idx[i], p, st, &hh);
			if (!hh && !isnan(v)) {
				ksum(&x.hi[0], &x.lo[0], v);
				x.n++;
			}
		}
	} else {
		struct two t = two_bodies(e, from);
		for (uint32_t i = k0; i < k1; i++) {
			uint32_t c = s->child_idx[i];
			double cv = read_unit(e, t.c0, t.c1, cx, c, p, st, &hh);
			double xv = read_unit(e, t.x0, t.x1, cx, c, p, st, &h2);
			if (hh || h2 || isnan(cv) || isnan(xv) || !(xv > 0))
				continue;	/* as pool_add; hidden siblings left out */
			ksum(&x.hi[0], &x.lo[0], cv);
			ksum(&x.hi[1], &x.lo[1], xv);
			x.n++;
		}
	}
	if (!isfinite(x.hi[0]) || !isfinite(x.hi[1]) || !isfinite(x.lo[0]) ||
	    !isfinite(x.lo[1]))
		return NULL;
	if (!(slot = peer_victim(s, a, b, x.kids, u)))
		slot = m->spare;
	*slot = x;
	return slot;
}

/* Functions with a body: windows, point functions, hierarchy. A function
 * that reads its unit's earlier periods is undefined when the earliest one
 * is before the unit's first data (SPEC 5, 16), count() excepted. */
static double with_body(const struct expr *e, const struct op *o, size_t from,
    size_t to, struct ectx *x, uint32_t u, int32_t p, double *st)
{
	const struct series *s = x->env->s;
	int32_t q0 = p - o->k - o->n + 1, cnt = 0, first = series_first(s, u);
	double sum = 0, r = NAN, a, b, mean, sd, slope, buf[WINDOW_BUF];
	bool small = o->n <= WINDOW_BUF, h, undef;

	switch (o->code) {
	case OP_SUM: case OP_AVG: case OP_COUNT:
		if (o->code != OP_COUNT && q0 < first)
			return NAN;
		if (small)
			window(e, from, to, x, u, q0, o->n, st, buf);
		for (int32_t i = 0; i < o->n; i++) {
			double v = small ? buf[i] :
			    at(e, from, to, x, u, q0 + i, st);
			if (!isnan(v)) {
				sum += v;
				cnt++;
			}
		}
		if (o->code == OP_COUNT)
			return cnt;
		window_dominance(e, from, to, x, u, q0, o->n);
		if (cnt == 0)
			return NAN;
		return finite_or_nan(o->code == OP_SUM ? sum : sum / cnt);
	case OP_MIN: case OP_MAX:
		if (q0 < first)
			return NAN;
		if (small)
			window(e, from, to, x, u, q0, o->n, st, buf);
		for (int32_t i = 0; i < o->n; i++) {
			double v = small ? buf[i] :
			    at(e, from, to, x, u, q0 + i, st);
			if (isnan(v))
				continue;
			if (isnan(r) || (o->code == OP_MIN ? v < r : v > r))
				r = v;
		}
		window_dominance(e, from, to, x, u, q0, o->n);
		return r;
	case OP_STDDEV: case OP_SLOPE:
		if (q0 < first)
			return NAN;
		cnt = spread(e, from, to, x, u, q0, o->n, st, &mean, &sd, &slope);
		window_dominance(e, from, to, x, u, q0, o->n);
		if (cnt < 2)
			return NAN;
		return finite_or_nan(o->code == OP_STDDEV ? sd : slope);
	case OP_CUSUM: case OP_EWMA:
		/* Page (1954): S = max(0, S + e - k); Roberts (1959):
		 * Z = l e + (1 - l) Z; both start at 0 before the window and
		 * step over undefined values. */
		q0 = p - o->n + 1;
		if (q0 < first)
			return NAN;
		if (small)
			window(e, from, to, x, u, q0, o->n, st, buf);
		for (int32_t i = 0; i < o->n; i++) {
			double v = small ? buf[i] :
			    at(e, from, to, x, u, q0 + i, st);
			if (isnan(v))
				continue;
			if (o->code == OP_CUSUM) {
				sum = sum + v - o->c;
				if (sum < 0)
					sum = 0;
			} else {
				sum = o->c * v + (1 - o->c) * sum;
			}
			cnt++;
		}
		window_dominance(e, from, to, x, u, q0, o->n);
		return cnt ? finite_or_nan(sum) : NAN;
	case OP_ZSCORE:
		if (p - o->n < first)
			return NAN;
		cnt = spread(e, from, to, x, u, p - o->n, o->n, st, &mean, &sd,
		    &slope);
		a = at(e, from, to, x, u, p, st);
		if (cnt < 2 || sd == 0)
			return NAN;
		return finite_or_nan((a - mean) / sd);
	case OP_LAG:
		if (p - o->k < first)
			return NAN;
		return at(e, from, to, x, u, p - o->k, st);
	case OP_DELTA:
		if (p - o->n < first)
			return NAN;
		a = at(e, from, to, x, u, p, st);
		b = at(e, from, to, x, u, p - o->n, st);
		return finite_or_nan(a - b);
	case OP_PCT_CHANGE:
		if (p - o->n < first)
			return NAN;
		a = at(e, from, to, x, u, p, st);
		b = at(e, from, to, x, u, p - o->n, st);
		if (b == 0)
			return NAN;
		return finite_or_nan(100 * (a - b) / b);
	case OP_RISES:
		if (p - o->n < first)
			return NAN;
		/* every one of the n+1 values must be defined, so no early 0;
		 * and every one is read, so no early exit either */
		r = 1;
		b = NAN;
		undef = false;
		for (int32_t q = p - o->n; q <= p; q++) {
			a = at(e, from, to, x, u, q, st);
			if (isnan(a))
				undef = true;
			else if (q > p - o->n && !(a > b))
				r = 0;
			b = a;
		}
		return undef ? NAN : r;
	case OP_DISPERSION: {
		struct two t = two_bodies(e, from);
		struct pool pl = { 0, 0, 0, 0 };
		double bx[WINDOW_BUF];

		if (q0 < first)
			return NAN;
		/* Two passes, as the formula reads; windows longer than the
		 * buffers evaluate the bodies again (the memo has them). */
		if (small) {
			window(e, t.c0, t.c1, x, u, q0, o->n, st, buf);
			window(e, t.x0, t.x1, x, u, q0, o->n, st, bx);
		}
		for (int32_t i = 0; i < o->n; i++)
			pool_add(&pl, small ? buf[i] : at(e, t.c0, t.c1, x, u,
			    q0 + i, st), small ? bx[i] : at(e, t.x0, t.x1, x, u,
			    q0 + i, st));
		if (pl.n < 2 || isnan(r = pool_rate(&pl)))
			return NAN;
		for (int32_t i = 0; i < o->n && r > 0; i++)
			pool_dev(&pl, r, small ? buf[i] : at(e, t.c0, t.c1, x, u,
			    q0 + i, st), small ? bx[i] : at(e, t.x0, t.x1, x, u,
			    q0 + i, st));
		return pool_disp(&pl, r);
	}
	case OP_SEAS_EXPECTED: case OP_SEAS_DISPERSION: {
		struct two t = two_bodies(e, from);
		struct pool pl = { 0, 0, 0, 0 };
		int32_t q[SEASONAL_MAX], nq = seasonal_periods(o, x->env, u, p, q);
		double c[SEASONAL_MAX], xs[SEASONAL_MAX];

		if (nq == 0)
			return NAN;
		for (int32_t i = 0; i < nq; i++) {
			c[i] = at(e, t.c0, t.c1, x, u, q[i], st);
			xs[i] = at(e, t.x0, t.x1, x, u, q[i], st);
			pool_add(&pl, c[i], xs[i]);
		}
		r = pool_rate(&pl);
		if (o->code == OP_SEAS_EXPECTED) {
			a = at(e, t.x0, t.x1, x, u, p, st);
			return isnan(r) ? NAN : finite_or_nan(a * r);
		}
		if (isnan(r))
			return NAN;
		for (int32_t i = 0; i < nq && r > 0; i++)
			pool_dev(&pl, r, c[i], xs[i]);
		return pool_disp(&pl, r);
	}
	case OP_PARENT: {
		int32_t pu = s->parent[u];
		if (pu < 0)
			return NAN;
		r = read_unit(e, from, to, x, (uint32_t)pu, p, st, &h);
		x->hidden |= h;
		return r;
	}
	case OP_TOP: {
		uint32_t v = u;
		while (s->parent[v] >= 0)
			v = (uint32_t)s->parent[v];
		r = read_unit(e, from, to, x, v, p, st, &h);
		x->hidden |= h;
		return r;
	}
	case OP_PEER_AVG: {
		int32_t pu = s->parent[u];
		const struct peer_sum *ps;
		if (pu < 0)
			return NAN;
		if ((ps = peer_sums(e, o, from, x, u, pu, p, st)) != NULL) {
			/* the siblings: all the children but u (when the sums
			 * hold u: its value is defined and not hidden) */
			double v = read_unit(e, from, to, x, u, p, st, &h);
			bool own = !h && !isnan(v);
			uint32_t n = ps->n - own;
			if (n == 0)
				return NAN;
			return finite_or_nan((own ? kminus(ps->hi[0], ps->lo[0], v) :
			    ps->hi[0] + ps->lo[0]) / n);
		}
		for (uint32_t i = s->child_off[pu]; i < s->child_off[pu + 1]; i++) {
			uint32_t c = s->child_idx[i];
			double v;
			if (c == u)
				continue;
			v = read_unit(e, from, to, x, c, p, st, &h);
			if (!h && !isnan(v)) {
				sum += v;
				cnt++;
			}
		}
		return cnt ? finite_or_nan(sum / cnt) : NAN;
	}
	case OP_PEER_EXPECTED: {
		struct two t = two_bodies(e, from);
		struct pool pl = { 0, 0, 0, 0 };
		int32_t pu = s->parent[u];
		const struct peer_sum *ps;
		bool h2;
		if (pu < 0)
			return NAN;
		if ((ps = peer_sums(e, o, from, x, u, pu, p, st)) != NULL) {
			double cv = read_unit(e, t.c0, t.c1, x, u, p, st, &h);
			double xv = read_unit(e, t.x0, t.x1, x, u, p, st, &h2);
			bool own = !h && !h2 && !isnan(cv) && !isnan(xv) && xv > 0;
			pl.n = (int32_t)ps->n - own;
			pl.sc = own ? kminus(ps->hi[0], ps->lo[0], cv) : ps->hi[0] + ps->lo[0];
			pl.sx = own ? kminus(ps->hi[1], ps->lo[1], xv) : ps->hi[1] + ps->lo[1];
			r = pool_rate(&pl);
			a = at(e, t.x0, t.x1, x, u, p, st);
			return isnan(r) ? NAN : finite_or_nan(a * r);
		}
		for (uint32_t i = s->child_off[pu]; i < s->child_off[pu + 1]; i++) {
			uint32_t c = s->child_idx[i];
			if (c == u)
				continue;
			a = read_unit(e, t.c0, t.c1, x, c, p, st, &h);
			b = read_unit(e, t.x0, t.x1, x, c, p, st, &h2);
			if (!h && !h2)
				pool_add(&pl, a, b);
		}
		r = pool_rate(&pl);
		a = at(e, t.x0, t.x1, x, u, p, st);
		return isnan(r) ? NAN : finite_or_nan(a * r);
	}
	default:
		return NAN;
	}
}

static double run(const struct expr *e, size_t from, size_t to,
    struct ectx *x, uint32_t u, int32_t p, double *st)
{
	const struct op *code = e->code;
	size_t sp = 0;

	for (size_t pc = from; pc < to; pc++) {
		const struct op *o = &code[pc];
		double a, b, r;

		switch (o->code) {
		case OP_CONST:
			st[sp++] = o->c;
			continue;
		case OP_IND:
			st[sp++] = indicator(x, o->n, u, p);
			continue;
		case OP_NEG:
			st[sp - 1] = -st[sp - 1];
			continue;
		case OP_NOT:
			a = st[sp - 1];
			st[sp - 1] = isnan(a) ? NAN : a == 0;
			continue;
		case OP_ABS:
			st[sp - 1] = fabs(st[sp - 1]);
			continue;
		case OP_SQRT:
			a = st[sp - 1];
			st[sp - 1] = a >= 0 ? sqrt(a) : NAN;
			continue;
		case OP_NORMAL:
			/* P(Z >= z) for a standard normal Z; erfc keeps the
			 * far tail exact where 1 - Phi(z) would round to 0. */
			a = st[sp - 1];
			st[sp - 1] = isnan(a) ? NAN : 0.5 * erfc(a / M_SQRT2);
			continue;
		case OP_NBINOM:
			sp -= 2;
			st[sp - 1] = finite_or_nan(nbinom_tail(st[sp - 1], st[sp],
			    st[sp + 1]));
			continue;
		case OP_CREDIBLE:
			sp -= 3;
			st[sp - 1] = finite_or_nan(credible_rate(st[sp - 1], st[sp],
			    st[sp + 1], st[sp + 2]));
			continue;
		case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV:
		case OP_LT: case OP_LE: case OP_GT: case OP_GE: case OP_EQ: case OP_NE:
		case OP_AND: case OP_OR: case OP_COALESCE: case OP_POISSON:
		case OP_LEAST: case OP_GREATEST:
			break;
		default:
			st[sp] = with_body(e, o, pc + 1, pc + 1 + o->len, x, u, p,
			    st + sp);
			/* a hidden read settles the evaluation: it will be
			 * suppressed, so the rest need not be computed */
			if (x->hidden)
				return NAN;
			sp++;
			pc += o->len;
			continue;
		}
		b = st[--sp];
		a = st[sp - 1];
		switch (o->code) {
		case OP_ADD: r = a + b; break;
		case OP_SUB: r = a - b; break;
		case OP_MUL: r = a * b; break;
		case OP_DIV: r = b == 0 ? NAN : a / b; break;
		case OP_LT: r = isnan(a) || isnan(b) ? NAN : a < b; break;
		case OP_LE: r = isnan(a) || isnan(b) ? NAN : a <= b; break;
		case OP_GT: r = isnan(a) || isnan(b) ? NAN : a > b; break;
		case OP_GE: r = isnan(a) || isnan(b) ? NAN : a >= b; break;
		case OP_EQ: r = isnan(a) || isnan(b) ? NAN : a == b; break;
		case OP_NE: r = isnan(a) || isnan(b) ? NAN : a != b; break;
		case OP_AND:
			if (a == 0 || b == 0)	/* false whatever the other */
				r = 0;
			else
				r = isnan(a) || isnan(b) ? NAN : 1;
			break;
		case OP_OR:
			if ((!isnan(a) && a != 0) || (!isnan(b) && b != 0))
				r = 1;
			else
				r = isnan(a) || isnan(b) ? NAN : 0;
			break;
		case OP_COALESCE: r = isnan(a) ? b : a; break;
		/* undefined in, undefined out, as arithmetic (fmin would
		 * return the defined one) */
		case OP_LEAST: r = isnan(a) || isnan(b) ? NAN : a < b ? a : b; break;
		case OP_GREATEST: r = isnan(a) || isnan(b) ? NAN : a > b ? a : b; break;
		default: r = poisson_tail(a, b); break;
		}
		st[sp - 1] = finite_or_nan(r);
	}
	return st[0];
}

double expr_eval(const struct expr *e, const struct eval_env *env,
    uint32_t u, int32_t p, bool *hidden)
{
	return expr_eval_memo(e, env, NULL, u, p, hidden);
}

struct expr_memo *expr_memo_new(const struct expr *e, int32_t np)
{
	struct expr_memo *m = calloc(1, sizeof(*m));
	size_t n;

	if (!m)
		return NULL;
	m->nslots = e->nslots;
	m->np = np > 0 ? np : 0;
	n = (size_t)m->nslots * (size_t)m->np;
	if (n) {
		m->val = malloc(n * sizeof(*m->val));
		m->hid = malloc(n * sizeof(*m->hid));
		m->stamp = calloc(n, sizeof(*m->stamp));
		if (!m->val || !m->hid || !m->stamp) {
			expr_memo_free(m);
			return NULL;
		}
	}
	return m;
}

/* Forgetting is one increment: entries are valid only with the current
 * generation, so no array is cleared but once in 2^32 resets. */
void expr_memo_reset(struct expr_memo *m, uint32_t u)
{
	m->u = u;
	if (++m->gen == 0) {
		if (m->stamp)
			memset(m->stamp, 0, (size_t)m->nslots * (size_t)m->np *
			    sizeof(*m->stamp));
		m->gen = 1;
	}
}

void expr_memo_free(struct expr_memo *m)
{
	if (!m)
		return;
	free(m->peer);
	free(m->val);
	free(m->hid);
	free(m->stamp);
	free(m);
}

double expr_eval_memo(const struct expr *e, const struct eval_env *env,
    struct expr_memo *m, uint32_t u, int32_t p, bool *hidden)
{
	double st[EXPR_STACK], r;
	struct ectx x = { env, m, false };

	if (m && (m->gen == 0 || m->u != u || m->nslots != e->nslots))
		x.m = NULL;
	r = run(e, 0, e->ncode, &x, u, p, st);
	if (hidden)
		*hidden = x.hidden;
	return x.hidden ? NAN : r;
}

/* Regularized lower incomplete gamma P(a, x) for a >= 1, x > 0: the series
 * below a+1, Lentz's continued fraction for Q = 1 - P above (Numerical
 * Recipes 6.2). The prefactor is taken in logarithms, so a and x near 1e4
 * lose only about 1e-11 relative. */
static double gamma_p(double a, double x)
{
	const int maxit = 1000000;
	const double tiny = DBL_MIN / DBL_EPSILON;
	int sign;
	double lpre = a * log(x) - x - lgamma_r(a, &sign);

	/* astronomically large a (beyond 1e300): the tail is settled */
	if (!isfinite(lpre))
		return x < a ? 0 : 1;
	if (x < a + 1) {
		double ap = a, del = 1 / a, sum = del;
		for (int i = 0; i < maxit; i++) {
			ap += 1;
			del *= x / ap;
			sum += del;
			if (del < sum * DBL_EPSILON)
				break;
		}
		return sum * exp(lpre);
	}
	double b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
	for (int i = 1; i <= maxit; i++) {
		double an = -i * (i - a), del;
		b += 2;
		d = an * d + b;
		if (fabs(d) < tiny)
			d = tiny;
		c = b + an / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1 / d;
		del = d * c;
		h *= del;
		if (fabs(del - 1) < DBL_EPSILON)
			break;
	}
	return 1 - exp(lpre) * h;
}

/* P(X >= round(k)) for X ~ Poisson(m) is P(round(k), m): the probability of
 * at most K-1 events is the upper regularized gamma Q(K, m). */
double poisson_tail(double k, double m)
{
	double kk;

	if (isnan(k) || isnan(m) || !(m > 0) || !isfinite(m))
		return NAN;
	kk = round(k);
	if (kk <= 0)
		return 1;
	if (!isfinite(kk))
		return 0;
	return gamma_p(kk, m);
}

/* lgamma(x) minus Stirling's approximation (x - 1/2) log x - x + log
 * sqrt(2 pi), for x >= 10: the asymptotic series to the x^-13 term, whose
 * next term is below 1e-16 there. */
static double lgamma_cor(double x)
{
	double y = 1 / (x * x);

	return (1.0 / 12 + y * (-1.0 / 360 + y * (1.0 / 1260 + y * (-1.0 / 1680 +
	    y * (1.0 / 1188 + y * (-691.0 / 360360 + y / 156)))))) / x;
}

/* log B(a, b). The plain lgamma(a) + lgamma(b) - lgamma(a + b) cancels
 * catastrophically when b is huge (a dispersion just above 1 makes the
 * negative binomial's size enormous), so large arguments go through the
 * correction terms, as R's lbeta (nmath/lbeta.c) does. */
static double log_beta(double a, double b)
{
	const double ln_sqrt_2pi = 0.918938533204672741780329736406;
	double p = a < b ? a : b, q = a < b ? b : a;
	int sign;

	if (p >= 10)
		return -0.5 * log(q) + ln_sqrt_2pi + lgamma_cor(p) + lgamma_cor(q) -
		    lgamma_cor(p + q) + (p - 0.5) * log(p / (p + q)) +
		    q * log1p(-p / (p + q));
	if (q >= 10)
		return lgamma_r(p, &sign) + lgamma_cor(q) - lgamma_cor(p + q) + p -
		    p * log(p + q) + (q - 0.5) * log1p(-p / (p + q));
	return lgamma_r(p, &sign) + lgamma_r(q, &sign) - lgamma_r(p + q, &sign);
}

/* The continued fraction of I_x(a, b), modified Lentz (Numerical Recipes
 * 6.4, betacf); y = 1 - x, given separately so that it keeps its digits. */
static double beta_cf(double a, double b, double x)
{
	const int maxit = 1000000;
	const double tiny = DBL_MIN / DBL_EPSILON;
	double qab = a + b, qap = a + 1, qam = a - 1, c = 1, d, h, aa, del;

	d = 1 - qab * x / qap;
	if (fabs(d) < tiny)
		d = tiny;
	d = 1 / d;
	h = d;
	for (int i = 1; i <= maxit; i++) {
		double m2 = 2.0 * i;
		aa = i * (b - i) * x / ((qam + m2) * (a + m2));
		d = 1 + aa * d;
		if (fabs(d) < tiny)
			d = tiny;
		c = 1 + aa / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1 / d;
		h *= d * c;
		aa = -(a + i) * (qab + i) * x / ((a + m2) * (qap + m2));
		d = 1 + aa * d;
		if (fabs(d) < tiny)
			d = tiny;
		c = 1 + aa / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1 / d;
		del = d * c;
		h *= del;
		if (fabs(del - 1) < DBL_EPSILON)
			break;
	}
	return h;
}

/* Regularized incomplete beta I_x(a, b), 0 < x < 1, y = 1 - x and
 * ly = log(y) (given, as they keep digits that 1 - x and log(y) lose when y
 * is near 1): the continued fraction where it converges fast, by symmetry
 * elsewhere. */
static double beta_inc(double a, double b, double x, double y, double ly)
{
	double pre = exp(a * log(x) + b * ly - log_beta(a, b)), r;
	bool direct = x < (a + 1) / (a + b + 2);

	/* A prefactor that underflows settles the result without the
	 * fraction, which converges slowly exactly there. */
	if (pre == 0)
		return direct ? 0 : 1;
	if (direct)
		r = pre * beta_cf(a, b, x) / a;
	else
		r = 1 - pre * beta_cf(b, a, y) / b;
	/* A small result of the difference has lost digits: the direct
	 * fraction still converges there, only more slowly. */
	if (r < 0.1 && !direct)
		r = pre * beta_cf(a, b, x) / a;
	return r < 0 ? 0 : r > 1 ? 1 : r;
}

/* P(X >= K) for X negative binomial of mean m and variance d m (size
 * r = m / (d - 1), success probability 1 / d): the number of failures before
 * the r-th success is at least K with probability I_{1 - 1/d}(K, r). Above
 * a dispersion of a million the distribution says nothing about counts and
 * the fraction would converge slowly: undefined. */
double nbinom_tail(double k, double m, double d)
{
	double kk;

	if (isnan(k) || isnan(m) || isnan(d) || !(m > 0) || !isfinite(m) ||
	    d > 1e6)
		return NAN;
	if (d <= 1)
		return poisson_tail(k, m);
	kk = round(k);
	if (kk <= 0)
		return 1;
	if (!isfinite(kk))
		return 0;
	/* a size beyond the doubles is the Poisson limit */
	if (!isfinite(m / (d - 1)))
		return poisson_tail(k, m);
	return beta_inc(kk, m / (d - 1), (d - 1) / d, 1 / d, -log1p(d - 1));
}

double credible_rate(double c, double x, double prior, double k)
{
	if (isnan(c) || isnan(x) || isnan(prior) || isnan(k) || x < 0 || k < 0 ||
	    x + k == 0)
		return NAN;
	return (c + k * prior) / (x + k);
}
