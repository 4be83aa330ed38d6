/* The expression language (SPEC 6): tokenizer, parser and a compiled form
 * evaluated per unit and period over a struct series. Pure: no I/O. */
#ifndef VIGIE_EXPR_H
#define VIGIE_EXPR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vigie/diag.h"
#include "vigie/names.h"
#include "vigie/series.h"
#include "vigie/yaml.h"		/* struct srcpos */

#define EXPR_MAX_BYTES 4096	/* longer expressions are refused */
#define EXPR_MAX_DEPTH 64	/* nesting of parentheses and calls */
#define EXPR_MAX_COST 200000	/* ops one evaluation may run (nested windows multiply) */

/* Indicator names shared by every expression of a rule set are interned
 * in a struct names (vigie/names.h). */

struct expr;

/* Compiles src[0..len). pos (len+1 entries, may be NULL) gives the file
 * position of each byte for diagnostics (NULL: line 1, column offset+1).
 * Indicator names are interned into nm. Returns a new expression or NULL
 * after adding errors ("FILE:LINE:COL: error: ...") to d. What is valid
 * but cannot mean what it says (a standard deviation over one period) adds
 * warnings to w, when not NULL. */
struct expr *expr_compile(const char *src, size_t len, const char *file,
    const struct srcpos *pos, struct names *nm, struct diags *d,
    struct diags *w);
void expr_free(struct expr *e);

/* Bounds of every value e can take whatever the data (*lo may be
 * -INFINITY, *hi INFINITY): a probability is between 0 and 1, a comparison
 * 0 or 1; indicators are any number (expr_range.c). */
void expr_range(const struct expr *e, double *lo, double *hi);
/* True when the expression uses parent() or peer_avg(). */
bool expr_uses_hierarchy(const struct expr *e);
/* Largest number of periods before p that evaluating at p may read
 * (windows, offsets, lags, nested): values at p - lookback .. p. */
int32_t expr_lookback(const struct expr *e);
/* The same at granularity g: what an evaluation at p reads when every
 * window is full (a seasonal function's years are 12 months or 52 weeks),
 * no more than expr_lookback. */
int32_t expr_lookback_in(const struct expr *e, enum granularity g);
/* True when e reads the indicator numbered name (in the struct names it
 * was compiled with) anywhere; false for a NULL e. */
bool expr_reads(const struct expr *e, int32_t name);
/* True when e is undefined at every unit and period where the indicator
 * numbered name has no value at all (none was ever imported): e adds it to
 * something, or takes a window, a tail or another unit's value of it, and
 * no coalesce(), count(), and or or makes up for it. False when e may
 * still be defined, or for a NULL e. (expr_needs.c) */
bool expr_needs(const struct expr *e, int32_t name);

struct cells;

/* What an evaluation sees. */
struct eval_env {
	const struct series *s;
	const int32_t *indmap;	/* names index -> series indicator, -1 if absent */
	int32_t headcount;	/* series index of "headcount", -1 if absent */
	double floor;		/* anonymity floor of the rule (min_headcount) */
	const struct cells *cells;	/* the hidden cells of s (SPEC 3), or
					 * NULL: only the floor applies */
};

/* True when unit u is suppressed at p: headcount undefined or below floor. */
bool eval_suppressed(const struct eval_env *env, uint32_t u, int32_t p);

/* Value of e for unit u at period p; NAN when undefined. Does not check
 * suppression of u itself (the engine does); parent()/peer_avg() do check
 * the units they read. With env->cells, *hidden (when not NULL) is set to
 * whether the evaluation read a hidden cell (SPEC 3): an indicator of a
 * hidden cell at any period, a window of X dominated by its X_max, or
 * parent()/top() of a unit below the floor; the caller must then treat the
 * value as suppressed (it is NAN then: the evaluation stops at the first
 * hidden read). peer_avg() and peer_expected() leave out the siblings
 * whose value would read a hidden cell instead. */
double expr_eval(const struct expr *e, const struct eval_env *env,
    uint32_t u, int32_t p, bool *hidden);

/* Memo of window and point-function bodies for one unit of one series.
 * Walking periods backwards for one unit evaluates e.g. the body of
 * avg(short_absences / headcount, 12, 3) at the same periods again and
 * again; a memo keeps each body's value per period, so the next period costs
 * one new body evaluation instead of twelve. It holds values of one unit
 * only: expr_memo_reset starts a new unit (and forgets them), bodies read
 * for other units (inside parent() and peer_avg()) bypass it, and an
 * evaluation for a unit other than the memo's does not use it at all. It
 * also keeps, across units, the sums over all the children of a parent
 * that peer_avg() and peer_expected() need, so that each child costs one
 * subtraction instead of a pass over its siblings (linear in the number of
 * siblings, not quadratic). It is tied to the series it was made for (np
 * periods) and to one eval_env, and is not shared between threads. Results
 * are bit-identical to expr_eval, but for peer_avg() and peer_expected(),
 * whose compensated sums agree with the direct ones to the last bits
 * (within 1e-12 relative). */
struct expr_memo;
/* NULL only on ENOMEM; np is the series' number of periods. */
struct expr_memo *expr_memo_new(const struct expr *e, int32_t np);
void expr_memo_reset(struct expr_memo *m, uint32_t u);
void expr_memo_free(struct expr_memo *m);
/* expr_eval through the memo m (NULL: plain expr_eval); the memo keeps
 * whether each body read a hidden cell with its value. */
double expr_eval_memo(const struct expr *e, const struct eval_env *env,
    struct expr_memo *m, uint32_t u, int32_t p, bool *hidden);

/* poisson_tail(k, m) (SPEC 6), nbinom_tail(k, m, d) and
 * credible_rate(c, x, prior, k) (vigie-rules(5)), exposed for tests; NAN
 * where the function is undefined. */
double poisson_tail(double k, double m);
double nbinom_tail(double k, double m, double d);
double credible_rate(double c, double x, double prior, double k);

#endif
