/* The rules that cannot judge yet for want of history (vigie/history.h):
 * a row of an evaluation whose value is undefined while the unit is
 * neither hidden nor without data, and whose rule reads back before the
 * unit's first data. */
#include <math.h>
#include <stdlib.h>
#include "vigie/expr.h"
#include "vigie/history.h"
#include "vigie/xalloc.h"

int32_t rule_history_needs(const struct rule *r, enum granularity g)
{
	int32_t lb = expr_lookback_in(r->value, g);

	if (r->when && expr_lookback_in(r->when, g) > lb)
		lb = expr_lookback_in(r->when, g);
	return lb + 1;
}

int32_t rule_history_ready(const struct rule *r, const struct series *s, uint32_t u)
{
	int64_t p = (int64_t)series_first(s, u) + rule_history_needs(r, s->gran) - 1;

	return p > INT32_MAX ? INT32_MAX : (int32_t)p;
}

unsigned rule_history_row(const struct ruleset *rs, const struct series *s,
    const struct eval_row *row)
{
	if (row->off)
		return 0;
	if (!isnan(row->value))
		return RH_APPLIES | RH_COMPUTED;
	if (!row->suppressed && !row->nodata &&
	    row->period < rule_history_ready(&rs->rules[row->rule], s, row->unit))
		return RH_APPLIES | RH_SHORT;
	return RH_APPLIES;
}

uint8_t *rule_history_matrix(const struct ruleset *rs, const struct series *s,
    const struct eval_row *rows, size_t nrows)
{
	uint8_t *m = xcalloc(rs->n * s->nunits + 1, 1);

	for (size_t i = 0; i < nrows; i++)
		m[(size_t)rows[i].rule * s->nunits + rows[i].unit] =
		    (uint8_t)rule_history_row(rs, s, &rows[i]);
	return m;
}

void history_short_find(const struct ruleset *rs, const struct series *s,
    const uint8_t *m, bool (*keep)(uint32_t rule, uint32_t unit, void *arg),
    void *arg, struct history_short *out)
{
	*out = (struct history_short){ 0 };
	out->rule = xcalloc(rs->n + 1, sizeof(*out->rule));
	out->ready = xcalloc(rs->n + 1, sizeof(*out->ready));
	for (uint32_t r = 0; r < rs->n; r++) {
		unsigned f = 0;
		int32_t ready = INT32_MAX;

		for (uint32_t u = 0; u < s->nunits; u++) {
			unsigned h = m[(size_t)r * s->nunits + u];

			if (!h || (keep && !keep(r, u, arg)))
				continue;
			f |= h;
			if ((h & RH_SHORT) && rule_history_ready(&rs->rules[r], s, u) < ready)
				ready = rule_history_ready(&rs->rules[r], s, u);
		}
		out->rules += (f & RH_APPLIES) != 0;
		if (rule_history_short(f)) {
			out->rule[out->n] = r;
			out->ready[out->n++] = ready;
		}
	}
}

void history_short_free(struct history_short *h)
{
	free(h->rule);
	free(h->ready);
	*h = (struct history_short){ 0 };
}
