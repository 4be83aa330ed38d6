/* Whether an expression needs an indicator (vigie/expr.h): whether it is
 * undefined at every unit and period where the indicator has no value at
 * all, as when no import ever brought it. A pass over the postfix program
 * of expr_impl.h, as expr_range.c's, whose values are "undefined for
 * sure" or "may be defined", following expr_eval.c: arithmetic, the
 * comparisons, least(), greatest() and the tails are undefined when an
 * operand is; and, or and coalesce() only when both are (0 and undefined
 * is 0); the windows, point functions and other units' values when a body
 * is (count() excepted: it counts 0). Sound the other way round: what is
 * not worked out here may be defined, so that a warning built on it is
 * never wrong. */
#include <stdlib.h>
#include "vigie/expr.h"
#include "vigie/xalloc.h"
#include "expr_impl.h"

/* Runs code[from..to) on st (*sp entries used), true for "undefined
 * wherever name has no value"; pushes what the ops push. */
static void run(const struct op *code, uint32_t from, uint32_t to,
    int32_t name, bool *st, size_t *sp)
{
	for (uint32_t i = from; i < to; i++) {
		const struct op *o = &code[i];
		bool a, b;

		if (o->code == OP_ARG) {	/* one body of two: pushes its value */
			run(code, i + 1, i + 1 + o->len, name, st, sp);
			i += o->len;
			continue;
		}
		if (o->code >= OP_SUM) {
			size_t at = *sp;
			bool any = false;

			run(code, i + 1, i + 1 + o->len, name, st, sp);
			for (size_t k = at; k < *sp; k++)
				any |= st[k];
			*sp = at;
			st[(*sp)++] = o->code != OP_COUNT && any;
			i += o->len;
			continue;
		}
		switch (o->code) {
		case OP_CONST:
			st[(*sp)++] = false;
			continue;
		case OP_IND:
			st[(*sp)++] = o->n == name;
			continue;
		case OP_NEG: case OP_NOT: case OP_ABS: case OP_SQRT: case OP_NORMAL:
			continue;
		case OP_NBINOM: case OP_CREDIBLE:
			for (int k = o->code == OP_NBINOM ? 2 : 3; k > 0; k--) {
				b = st[--*sp];
				st[*sp - 1] |= b;
			}
			continue;
		default:
			break;
		}
		b = st[--*sp];
		a = st[*sp - 1];
		if (o->code == OP_AND || o->code == OP_OR || o->code == OP_COALESCE)
			st[*sp - 1] = a && b;
		else
			st[*sp - 1] = a || b;
	}
}

bool expr_needs(const struct expr *e, int32_t name)
{
	bool *st;
	size_t sp = 0;
	bool r;

	if (!e || !expr_reads(e, name))
		return false;
	/* A function with two bodies keeps the first's value while the
	 * second runs, a slot more than the evaluator per such nesting. */
	st = xcalloc(e->maxstack + EXPR_MAX_DEPTH + 1, sizeof(*st));
	run(e->code, 0, e->ncode, name, st, &sp);
	r = sp == 1 && st[0];
	free(st);
	return r;
}
