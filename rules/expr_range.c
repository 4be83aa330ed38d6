/* The values an expression can take whatever the data: interval arithmetic
 * over the postfix program of expr_impl.h, for the load-time checks that
 * tell a rule's author a threshold it can never cross, or always crosses
 * (ruleset.c). The interval is sound, never tight: every defined value of
 * the expression lies in it, and what is not worked out here is the whole
 * line. Indicators count as any number, so what is bounded is what the
 * functions bound: probabilities (the tails), comparisons and logic (0 or
 * 1), and what is built from them by sums, products, least() and the
 * windows that keep their body's range. */
#include <math.h>
#include <stdlib.h>
#include "vigie/expr.h"
#include "vigie/xalloc.h"
#include "expr_impl.h"

struct iv { double lo, hi; };

static const struct iv ANY = { -INFINITY, INFINITY }, UNIT = { 0, 1 };

/* A product of two bounds: an unbounded side times 0 is 0, since every
 * value is finite. */
static double mul(double a, double b)
{
	double r = a * b;

	return isnan(r) ? 0 : r;
}

static struct iv times(struct iv a, struct iv b)
{
	double p[4] = { mul(a.lo, b.lo), mul(a.lo, b.hi), mul(a.hi, b.lo),
	    mul(a.hi, b.hi) };
	struct iv r = { p[0], p[0] };

	for (int i = 1; i < 4; i++) {
		r.lo = fmin(r.lo, p[i]);
		r.hi = fmax(r.hi, p[i]);
	}
	return r;
}

static struct iv divide(struct iv a, struct iv b)
{
	if (b.lo >= 0 && a.lo >= 0)
		return (struct iv){ 0, INFINITY };
	if (b.lo >= 0 && a.hi <= 0)
		return (struct iv){ -INFINITY, 0 };
	return ANY;
}

static struct iv absolute(struct iv a)
{
	if (a.lo >= 0)
		return a;
	if (a.hi <= 0)
		return (struct iv){ -a.hi, -a.lo };
	return (struct iv){ 0, fmax(-a.lo, a.hi) };
}

static struct iv hull(struct iv a, struct iv b)
{
	return (struct iv){ fmin(a.lo, b.lo), fmax(a.hi, b.hi) };
}

/* What a function with one body makes of the body's range b. */
static struct iv of_body(const struct op *o, struct iv b)
{
	double n = o->n;

	switch (o->code) {
	case OP_SUM:	/* of 1 to n defined values */
		return (struct iv){ fmin(b.lo, mul(n, b.lo)), fmax(b.hi, mul(n, b.hi)) };
	case OP_AVG: case OP_MIN: case OP_MAX: case OP_LAG:
	case OP_PARENT: case OP_PEER_AVG: case OP_TOP:
		return b;
	case OP_COUNT:
		return (struct iv){ 0, n };
	case OP_STDDEV:
		return (struct iv){ 0, INFINITY };
	case OP_CUSUM:
		return (struct iv){ 0, INFINITY };
	case OP_EWMA:	/* weighted means of the values and its start, 0 */
		return hull(b, (struct iv){ 0, 0 });
	case OP_DELTA:
		return (struct iv){ b.lo - b.hi, b.hi - b.lo };
	case OP_RISES:
		return UNIT;
	default:
		return ANY;
	}
}

static bool has_body(const struct op *o)
{
	return o->code >= OP_SUM && o->code != OP_ARG;
}

static bool two_bodies(const struct op *o)
{
	return o->code == OP_DISPERSION || o->code == OP_SEAS_EXPECTED ||
	    o->code == OP_SEAS_DISPERSION || o->code == OP_PEER_EXPECTED;
}

/* Runs code[from..to) on the stack st (sp entries used); pushes what the
 * ops push. */
static void run(const struct op *code, uint32_t from, uint32_t to,
    struct iv *st, size_t *sp)
{
	for (uint32_t i = from; i < to; i++) {
		const struct op *o = &code[i];
		struct iv a, b, c = ANY;

		if (has_body(o)) {
			if (two_bodies(o)) {
				st[(*sp)++] = ANY;
			} else {
				run(code, i + 1, i + 1 + o->len, st, sp);
				st[*sp - 1] = of_body(o, st[*sp - 1]);
			}
			i += o->len;
			continue;
		}
		switch (o->code) {
		case OP_CONST:
			st[(*sp)++] = (struct iv){ o->c, o->c };
			continue;
		case OP_IND:
			st[(*sp)++] = ANY;
			continue;
		case OP_NEG:
			a = st[*sp - 1];
			st[*sp - 1] = (struct iv){ -a.hi, -a.lo };
			continue;
		case OP_NOT: case OP_NORMAL:
			st[*sp - 1] = UNIT;
			continue;
		case OP_ABS:
			st[*sp - 1] = absolute(st[*sp - 1]);
			continue;
		case OP_SQRT:
			a = st[*sp - 1];
			st[*sp - 1] = (struct iv){ sqrt(fmax(a.lo, 0)),
			    a.hi < 0 ? 0 : sqrt(a.hi) };
			continue;
		case OP_NBINOM: case OP_CREDIBLE:
			*sp -= o->code == OP_NBINOM ? 2 : 3;
			st[*sp - 1] = o->code == OP_NBINOM ? UNIT : ANY;
			continue;
		default:
			break;
		}
		/* binary */
		b = st[--*sp];
		a = st[*sp - 1];
		switch (o->code) {
		case OP_ADD: c = (struct iv){ a.lo + b.lo, a.hi + b.hi }; break;
		case OP_SUB: c = (struct iv){ a.lo - b.hi, a.hi - b.lo }; break;
		case OP_MUL: c = times(a, b); break;
		case OP_DIV: c = divide(a, b); break;
		case OP_COALESCE: c = hull(a, b); break;
		case OP_LEAST: c = (struct iv){ fmin(a.lo, b.lo), fmin(a.hi, b.hi) }; break;
		case OP_GREATEST: c = (struct iv){ fmax(a.lo, b.lo), fmax(a.hi, b.hi) }; break;
		case OP_LT: case OP_LE: case OP_GT: case OP_GE: case OP_EQ:
		case OP_NE: case OP_AND: case OP_OR: case OP_POISSON:
			c = UNIT;
			break;
		default:
			break;
		}
		st[*sp - 1] = c;
	}
}

void expr_range(const struct expr *e, double *lo, double *hi)
{
	struct iv *st = malloc((e->maxstack + 1) * sizeof(*st));
	size_t sp = 0;

	if (!st)
		xalloc_die();
	run(e->code, 0, e->ncode, st, &sp);
	*lo = sp == 1 ? st[0].lo : -INFINITY;
	*hi = sp == 1 ? st[0].hi : INFINITY;
	free(st);
}
