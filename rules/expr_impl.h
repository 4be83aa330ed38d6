/* The compiled form of an expression, shared by the compiler (expr_parse.c)
 * and the evaluator (expr_eval.c) and by nothing else. An expression is a
 * flat postfix program for a stack machine. Functions that evaluate an
 * argument somewhere else (other periods, other units) carry that argument
 * as a body: the ops right after their header, len of them, which the
 * evaluator runs as a sub-program on the same stack. A function with two
 * such arguments (a count and its exposure) has a body made of two OP_ARG
 * ops, each followed by its own ops. */
#ifndef VIGIE_EXPR_IMPL_H
#define VIGIE_EXPR_IMPL_H

#include <stdbool.h>
#include <stdint.h>

/* Window sizes and offsets are capped so that one evaluation stays bounded
 * (10000 periods is two centuries of weeks). */
#define EXPR_MAX_PERIODS 10000
/* Stack slots of one evaluation; the compiler refuses anything needing more
 * (impossible in practice within EXPR_MAX_BYTES and EXPR_MAX_DEPTH). */
#define EXPR_STACK 1024

/* The order is meaning: the compiler, the evaluator and the interval pass
 * test `code >= OP_SUM` for "has a body", and the evaluator's switches
 * fall to the last group of each kind (a binary op missing from its
 * switch would run as poisson_tail). A new op goes into its group, and
 * into every switch of expr_parse.c, expr_eval.c and expr_range.c. */
enum opcode {
	/* leaves: push one value */
	OP_CONST,	/* c */
	OP_IND,		/* n: index in struct names */
	/* unary: replace the top */
	OP_NEG, OP_NOT, OP_ABS, OP_SQRT, OP_NORMAL,
	/* binary: pop two, push one */
	OP_ADD, OP_SUB, OP_MUL, OP_DIV,
	OP_LT, OP_LE, OP_GT, OP_GE, OP_EQ, OP_NE,
	OP_AND, OP_OR, OP_COALESCE, OP_LEAST, OP_GREATEST, OP_POISSON,
	/* three and four operands: pop them, push one */
	OP_NBINOM, OP_CREDIBLE,
	/* with a body of len ops: push one value */
	OP_SUM, OP_AVG, OP_MIN, OP_MAX, OP_COUNT, OP_STDDEV, OP_SLOPE, /* n, k */
	OP_CUSUM, OP_EWMA,	/* n, c (reference value, smoothing weight) */
	OP_LAG,		/* k */
	OP_DELTA, OP_PCT_CHANGE, OP_ZSCORE, OP_RISES,	/* n */
	/* with two bodies, each an OP_ARG and its ops: count and exposure */
	OP_DISPERSION,	/* n, k */
	OP_SEAS_EXPECTED, OP_SEAS_DISPERSION,	/* n years, k half-width
						 * (-1: the granularity's) */
	/* bodies evaluated for other units */
	OP_PARENT, OP_PEER_AVG, OP_TOP,
	OP_PEER_EXPECTED,	/* two bodies */
	/* one body of a function with two: len ops follow; pushes nothing of
	 * its own (the function reads it) */
	OP_ARG,
};

struct op {
	uint8_t code;		/* enum opcode */
	uint16_t slot;		/* ops with a body (and OP_ARG): memo slot of the
				 * body + 1, 0
				 * when the body is one indicator or number;
				 * identical bodies share a slot */
	uint32_t len;		/* body length (ops with a body) */
	int32_t n, k;		/* integer arguments; n is the name for OP_IND */
	double c;		/* OP_CONST; OP_CUSUM, OP_EWMA: their literal */
};

struct expr {
	struct op *code;
	uint32_t ncode;
	uint32_t maxstack;	/* slots needed, <= EXPR_STACK */
	int32_t lookback;
	uint32_t nslots;	/* memo slots (struct expr_memo) */
	bool hier;		/* uses parent() or peer_avg() */
};

#endif
