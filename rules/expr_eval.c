/* Evaluator of compiled expressions (SPEC 6): a switch-dispatched stack
 * machine over the postfix program of expr_impl.h. It allocates nothing: the
 * stack is a fixed array of the caller's frame, and a function that reads
 * its argument at other periods or units runs that argument's body as a
 * sub-program on the same stack (recursion is bounded by the nesting of
 * calls, EXPR_MAX_DEPTH). Values are doubles; NAN means undefined, and every
 * result that is not finite becomes NAN. An evaluation may go through a
 * caller-owned memo (struct expr_memo, the only allocation here) that keeps
 * the values of bodies per period for one unit, so that the engine's walk
 * over consecutive periods evaluates each body once per period. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/expr.h"
#include "expr_impl.h"

/* Windows up to this size keep their values for the second pass of stddev,
 * slope and zscore; longer ones evaluate their argument again. */
#define WINDOW_BUF 64

/* Body values of one unit: val[slot * np + i] is the body of that slot at
 * period p0 + i, valid when stamp[] equals gen. */
struct expr_memo {
	uint32_t nslots;
	int32_t np;
	uint32_t u;
	uint32_t gen;		/* 0: no unit yet */
	double *val;
	uint32_t *stamp;
};

static double run(const struct expr *e, size_t from, size_t to,
    const struct eval_env *env, uint32_t u, int32_t p, double *st,
    struct expr_memo *m);

static inline double indicator(const struct eval_env *env, int32_t name,
    uint32_t u, int32_t p)
{
	int32_t m = env->indmap ? env->indmap[name] : -1;

	if (m < 0)
		return NAN;
	return series_get(env->s, u, (uint32_t)m, p);
}

static inline double finite_or_nan(double r)
{
	return isfinite(r) ? r : NAN;
}

/* A body [from, to) evaluated for unit u at period p. The common bodies,
 * one indicator or one number, skip the interpreter; the others are read
 * from the memo m (the unit's, or NULL) when it has them. Periods outside
 * the series are not kept: a body such as coalesce(x, 0) is defined there. */
static double __attribute__((noinline)) at_memo(const struct expr *e,
    size_t from, size_t to, const struct eval_env *env, uint32_t u,
    int32_t p, double *st, struct expr_memo *m)
{
	uint32_t slot = e->code[from - 1].slot;
	int32_t i = p - env->s->p0;

	if (m && slot && i >= 0 && i < m->np) {
		size_t k = (size_t)(slot - 1) * (size_t)m->np + (size_t)i;
		if (m->stamp[k] != m->gen) {
			m->val[k] = run(e, from, to, env, u, p, st, m);
			m->stamp[k] = m->gen;
		}
		return m->val[k];
	}
	return run(e, from, to, env, u, p, st, m);
}

static inline __attribute__((always_inline)) double at(const struct expr *e,
    size_t from, size_t to, const struct eval_env *env, uint32_t u,
    int32_t p, double *st, struct expr_memo *m)
{
	const struct op *o = &e->code[from];

	if (to - from == 1) {
		if (o->code == OP_IND)
			return indicator(env, o->n, u, p);
		if (o->code == OP_CONST)
			return o->c;
	}
	return at_memo(e, from, to, env, u, p, st, m);
}

/* The body's values at the n <= WINDOW_BUF periods q0 .. q0+n-1 into buf,
 * as at() gives them one by one; a body that is one indicator is a slice
 * of the unit's row of the series, read without the per-value lookups. */
static void window(const struct expr *e, size_t from, size_t to,
    const struct eval_env *env, uint32_t u, int32_t q0, int32_t n,
    double *st, struct expr_memo *m, double *buf)
{
	const struct op *o = &e->code[from];
	const struct series *s = env->s;

	if (to - from == 1 && o->code == OP_IND) {
		int32_t ind = env->indmap ? env->indmap[o->n] : -1, i0 = q0 - s->p0;
		const double *row;

		if (ind < 0 || s->np <= 0) {
			for (int32_t i = 0; i < n; i++)
				buf[i] = NAN;
			return;
		}
		row = s->v + ((size_t)u * s->nind + (size_t)ind) * (size_t)s->np;
		for (int32_t i = 0; i < n; i++) {
			int32_t j = i0 + i;
			buf[i] = j >= 0 && j < s->np ? row[j] : NAN;
		}
		return;
	}
	for (int32_t i = 0; i < n; i++)
		buf[i] = at(e, from, to, env, u, q0 + i, st, m);
}

bool eval_suppressed(const struct eval_env *env, uint32_t u, int32_t p)
{
	double h;

	if (env->headcount < 0)
		return true;
	h = series_get(env->s, u, (uint32_t)env->headcount, p);
	return isnan(h) || h < env->floor;
}

/* Mean and spread of the defined values of a body at the n periods q0 ..
 * q0+n-1, two passes as the formulas read: returns the number of defined
 * values, and sets *mean, *sd (population standard deviation) and *slope
 * (least squares, x = position in the window) when there are two or more. */
static int32_t spread(const struct expr *e, size_t from, size_t to,
    const struct eval_env *env, uint32_t u, int32_t q0, int32_t n,
    double *st, struct expr_memo *m, double *mean, double *sd, double *slope)
{
	double buf[WINDOW_BUF], sum = 0, sx = 0, xm, ss = 0, sxy = 0, sxx = 0;
	bool keep = n <= WINDOW_BUF;
	int32_t cnt = 0;

	if (keep)
		window(e, from, to, env, u, q0, n, st, m, buf);
	for (int32_t i = 0; i < n; i++) {
		double v = keep ? buf[i] : at(e, from, to, env, u, q0 + i, st, m);
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
		double v = keep ? buf[i] : at(e, from, to, env, u, q0 + i, st, m);
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

/* Functions with a body: windows, point functions, hierarchy. */
static double with_body(const struct expr *e, const struct op *o, size_t from,
    size_t to, const struct eval_env *env, uint32_t u, int32_t p, double *st,
    struct expr_memo *m)
{
	const struct series *s = env->s;
	int32_t q0 = p - o->k - o->n + 1, cnt = 0;
	double sum = 0, r = NAN, a, b, mean, sd, slope, buf[WINDOW_BUF];
	bool small = o->n <= WINDOW_BUF;

	switch (o->code) {
	case OP_SUM: case OP_AVG: case OP_COUNT:
		if (small)
			window(e, from, to, env, u, q0, o->n, st, m, buf);
		for (int32_t i = 0; i < o->n; i++) {
			double v = small ? buf[i] :
			    at(e, from, to, env, u, q0 + i, st, m);
			if (!isnan(v)) {
				sum += v;
				cnt++;
			}
		}
		if (o->code == OP_COUNT)
			return cnt;
		if (cnt == 0)
			return NAN;
		return finite_or_nan(o->code == OP_SUM ? sum : sum / cnt);
	case OP_MIN: case OP_MAX:
		if (small)
			window(e, from, to, env, u, q0, o->n, st, m, buf);
		for (int32_t i = 0; i < o->n; i++) {
			double v = small ? buf[i] :
			    at(e, from, to, env, u, q0 + i, st, m);
			if (isnan(v))
				continue;
			if (isnan(r) || (o->code == OP_MIN ? v < r : v > r))
				r = v;
		}
		return r;
	case OP_STDDEV: case OP_SLOPE:
		if (spread(e, from, to, env, u, q0, o->n, st, m, &mean, &sd, &slope) < 2)
			return NAN;
		return finite_or_nan(o->code == OP_STDDEV ? sd : slope);
	case OP_ZSCORE:
		if (spread(e, from, to, env, u, p - o->n, o->n, st, m, &mean,
		    &sd, &slope) < 2 || sd == 0)
			return NAN;
		a = at(e, from, to, env, u, p, st, m);
		return finite_or_nan((a - mean) / sd);
	case OP_LAG:
		return at(e, from, to, env, u, p - o->k, st, m);
	case OP_DELTA:
		a = at(e, from, to, env, u, p, st, m);
		b = at(e, from, to, env, u, p - o->n, st, m);
		return finite_or_nan(a - b);
	case OP_PCT_CHANGE:
		a = at(e, from, to, env, u, p, st, m);
		b = at(e, from, to, env, u, p - o->n, st, m);
		if (b == 0)
			return NAN;
		return finite_or_nan(100 * (a - b) / b);
	case OP_RISES:
		/* every one of the n+1 values must be defined, so no early 0 */
		r = 1;
		b = NAN;
		for (int32_t q = p - o->n; q <= p; q++) {
			a = at(e, from, to, env, u, q, st, m);
			if (isnan(a))
				return NAN;
			if (q > p - o->n && !(a > b))
				r = 0;
			b = a;
		}
		return r;
	case OP_PARENT: {
		int32_t pu = s->parent[u];
		if (pu < 0 || eval_suppressed(env, (uint32_t)pu, p))
			return NAN;
		/* another unit: not the memo's */
		return at(e, from, to, env, (uint32_t)pu, p, st, NULL);
	}
	case OP_PEER_AVG: {
		int32_t pu = s->parent[u];
		if (pu < 0)
			return NAN;
		for (uint32_t i = s->child_off[pu]; i < s->child_off[pu + 1]; i++) {
			uint32_t c = s->child_idx[i];
			double v;
			if (c == u || eval_suppressed(env, c, p))
				continue;
			v = at(e, from, to, env, c, p, st, NULL);
			if (!isnan(v)) {
				sum += v;
				cnt++;
			}
		}
		return cnt ? finite_or_nan(sum / cnt) : NAN;
	}
	default:
		return NAN;
	}
}

static double run(const struct expr *e, size_t from, size_t to,
    const struct eval_env *env, uint32_t u, int32_t p, double *st,
    struct expr_memo *m)
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
			st[sp++] = indicator(env, o->n, u, p);
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
		case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV:
		case OP_LT: case OP_LE: case OP_GT: case OP_GE: case OP_EQ: case OP_NE:
		case OP_AND: case OP_OR: case OP_COALESCE: case OP_POISSON:
			break;
		default:
			st[sp] = with_body(e, o, pc + 1, pc + 1 + o->len, env, u, p,
			    st + sp, m);
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
		default: r = poisson_tail(a, b); break;
		}
		st[sp - 1] = finite_or_nan(r);
	}
	return st[0];
}

double expr_eval(const struct expr *e, const struct eval_env *env,
    uint32_t u, int32_t p)
{
	double st[EXPR_STACK];

	return run(e, 0, e->ncode, env, u, p, st, NULL);
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
		m->stamp = calloc(n, sizeof(*m->stamp));
		if (!m->val || !m->stamp) {
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
	free(m->val);
	free(m->stamp);
	free(m);
}

double expr_eval_memo(const struct expr *e, const struct eval_env *env,
    struct expr_memo *m, uint32_t u, int32_t p)
{
	double st[EXPR_STACK];

	if (m && (m->gen == 0 || m->u != u || m->nslots != e->nslots))
		m = NULL;
	return run(e, 0, e->ncode, env, u, p, st, m);
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
