/* Evaluator of compiled expressions (SPEC 6): a switch-dispatched stack
 * machine over the postfix program of expr_impl.h. It allocates nothing: the
 * stack is a fixed array of the caller's frame, and a function that reads
 * its argument at other periods or units runs that argument's body as a
 * sub-program on the same stack (recursion is bounded by the nesting of
 * calls, EXPR_MAX_DEPTH). Values are doubles; NAN means undefined, and every
 * result that is not finite becomes NAN. */
#include <float.h>
#include <math.h>
#include "vigie/expr.h"
#include "expr_impl.h"

/* Windows up to this size keep their values for the second pass of stddev,
 * slope and zscore; longer ones evaluate their argument again. */
#define WINDOW_BUF 64

static double run(const struct expr *e, size_t from, size_t to,
    const struct eval_env *env, uint32_t u, int32_t p, double *st);

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
 * one indicator or one number, skip the interpreter. */
static inline double at(const struct expr *e, size_t from, size_t to,
    const struct eval_env *env, uint32_t u, int32_t p, double *st)
{
	const struct op *o = &e->code[from];

	if (to - from == 1) {
		if (o->code == OP_IND)
			return indicator(env, o->n, u, p);
		if (o->code == OP_CONST)
			return o->c;
	}
	return run(e, from, to, env, u, p, st);
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
    double *st, double *mean, double *sd, double *slope)
{
	double buf[WINDOW_BUF], sum = 0, sx = 0, xm, ss = 0, sxy = 0, sxx = 0;
	bool keep = n <= WINDOW_BUF;
	int32_t cnt = 0;

	for (int32_t i = 0; i < n; i++) {
		double v = at(e, from, to, env, u, q0 + i, st);
		if (keep)
			buf[i] = v;
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
		double v = keep ? buf[i] : at(e, from, to, env, u, q0 + i, st);
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
    size_t to, const struct eval_env *env, uint32_t u, int32_t p, double *st)
{
	const struct series *s = env->s;
	int32_t q0 = p - o->k - o->n + 1, q1 = p - o->k, cnt = 0;
	double sum = 0, r = NAN, a, b, mean, sd, slope;

	switch (o->code) {
	case OP_SUM: case OP_AVG: case OP_COUNT:
		for (int32_t q = q0; q <= q1; q++) {
			double v = at(e, from, to, env, u, q, st);
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
		for (int32_t q = q0; q <= q1; q++) {
			double v = at(e, from, to, env, u, q, st);
			if (isnan(v))
				continue;
			if (isnan(r) || (o->code == OP_MIN ? v < r : v > r))
				r = v;
		}
		return r;
	case OP_STDDEV: case OP_SLOPE:
		if (spread(e, from, to, env, u, q0, o->n, st, &mean, &sd, &slope) < 2)
			return NAN;
		return finite_or_nan(o->code == OP_STDDEV ? sd : slope);
	case OP_ZSCORE:
		if (spread(e, from, to, env, u, p - o->n, o->n, st, &mean, &sd,
		    &slope) < 2 || sd == 0)
			return NAN;
		a = at(e, from, to, env, u, p, st);
		return finite_or_nan((a - mean) / sd);
	case OP_LAG:
		return at(e, from, to, env, u, p - o->k, st);
	case OP_DELTA:
		a = at(e, from, to, env, u, p, st);
		b = at(e, from, to, env, u, p - o->n, st);
		return finite_or_nan(a - b);
	case OP_PCT_CHANGE:
		a = at(e, from, to, env, u, p, st);
		b = at(e, from, to, env, u, p - o->n, st);
		if (b == 0)
			return NAN;
		return finite_or_nan(100 * (a - b) / b);
	case OP_RISES:
		/* every one of the n+1 values must be defined, so no early 0 */
		r = 1;
		b = NAN;
		for (int32_t q = p - o->n; q <= p; q++) {
			a = at(e, from, to, env, u, q, st);
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
		return at(e, from, to, env, (uint32_t)pu, p, st);
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
			v = at(e, from, to, env, c, p, st);
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
    const struct eval_env *env, uint32_t u, int32_t p, double *st)
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
			    st + sp);
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

	return run(e, 0, e->ncode, env, u, p, st);
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
