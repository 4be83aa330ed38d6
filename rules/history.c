/* The rules that cannot judge yet for want of history (vigie/history.h):
 * a row of an evaluation whose value is undefined while the unit is
 * neither hidden nor without data, and whose rule reads back before the
 * unit's first data. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "vigie/expr.h"
#include "vigie/history.h"
#include "vigie/period.h"
#include "vigie/xalloc.h"

int32_t rule_history_needs(const struct rule *r, enum granularity g)
{
	int32_t lb = expr_lookback_in(r->value, g);

	if (r->when && expr_lookback_in(r->when, g) > lb)
		lb = expr_lookback_in(r->when, g);
	return lb + 1;
}

bool rule_history_never(const struct rule *r, enum granularity g, int32_t keep)
{
	return keep > 0 && rule_periods(r, g) > keep;
}

int32_t rule_history_ready(const struct rule *r, const struct series *s, uint32_t u,
    int32_t keep)
{
	int64_t p = (int64_t)series_first(s, u) + rule_history_needs(r, s->gran) - 1;

	if (rule_history_never(r, s->gran, keep))
		return HISTORY_NEVER;
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
	    row->period < rule_history_ready(&rs->rules[row->rule], s, row->unit, 0))
		return RH_APPLIES | RH_SHORT;
	if (row->suppressed && !row->nodata)
		return RH_APPLIES | RH_HIDDEN;
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

/* Whether one of u's ancestors is flagged in f. */
static bool under_flagged(const struct series *s, const uint8_t *f, uint32_t u)
{
	for (int32_t a = s->parent[u]; a >= 0; a = s->parent[a])
		if (f[a])
			return true;
	return false;
}

/* Whether one of u's ancestors is among those h names. */
static bool under_named(const struct series *s, const struct history_short *h,
    uint32_t u)
{
	for (int32_t a = s->parent[u]; a >= 0; a = s->parent[a])
		for (size_t k = 0; k < h->nnamed; k++)
			if ((uint32_t)a == h->named[k])
				return true;
	return false;
}

void history_short_find(const struct ruleset *rs, const struct series *s,
    const uint8_t *m, bool (*keep)(uint32_t rule, uint32_t unit, void *arg),
    void *arg, int32_t kept, struct history_short *out)
{
	uint8_t *applies = xcalloc(s->nunits + 1, 1), *lacks = xcalloc(s->nunits + 1, 1),
	    *with = xcalloc(s->nunits + 1, 1);

	*out = (struct history_short){ .by = INT32_MIN };
	out->rule = xcalloc(rs->n + 1, sizeof(*out->rule));
	out->at = xcalloc(rs->n + 1, sizeof(*out->at));
	out->ready = xcalloc(rs->n + 1, sizeof(*out->ready));
	for (uint32_t r = 0; r < rs->n; r++) {
		const struct rule *ru = &rs->rules[r];
		unsigned f = 0;
		size_t at = 0;
		int32_t ready = INT32_MIN;

		for (uint32_t u = 0; u < s->nunits; u++) {
			unsigned h = m[(size_t)r * s->nunits + u];

			if (!h || (keep && !keep(r, u, arg)))
				continue;
			f |= h;
			applies[u] |= (h & (RH_SHORT | RH_COMPUTED)) != 0;
			with[u] |= (h & (RH_SHORT | RH_COMPUTED | RH_HIDDEN)) != 0;
			if (!(h & RH_SHORT))
				continue;
			lacks[u] = 1;
			at++;
			if (rule_history_ready(ru, s, u, kept) > ready)
				ready = rule_history_ready(ru, s, u, kept);
		}
		out->rules += (f & RH_APPLIES) != 0;
		if (!at)
			continue;
		out->rule[out->n] = r;
		out->at[out->n] = at;
		out->ready[out->n++] = ready;
		if (ready == HISTORY_NEVER) {
			out->never++;
			if (rule_periods(ru, s->gran) > out->reads)
				out->reads = rule_periods(ru, s->gran);
		} else if (ready > out->by) {
			out->by = ready;
		}
	}
	for (uint32_t i = 0; i < s->nunits; i++) {
		uint32_t u = s->sorted[i];

		out->units += applies[u];
		out->applying += with[u];
		if (!lacks[u])
			continue;
		out->nunit++;
		if (!under_flagged(s, lacks, u)) {
			if (out->nnamed < HISTORY_NAMED)
				out->named[out->nnamed++] = u;
			continue;
		}
		out->under += under_named(s, out, u);
	}
	free(applies);
	free(lacks);
	free(with);
}

void history_short_say(const struct history_short *h, const struct series *s,
    int32_t kept, char *buf, size_t size)
{
	size_t n = 0, rest = h->nunit - h->nnamed, dated = h->n - h->never;
	char pb[PERIOD_BUFSZ];
	bool all = history_short_everywhere(h);

	if (size)
		*buf = '\0';
	if (!h->n)
		return;
	if (all)
		buf_addf(buf, size, &n, "%zu of %zu rule%s cannot judge yet for lack of history (",
		    h->n, h->rules, h->rules == 1 ? "" : "s");
	else
		buf_addf(buf, size, &n, "%zu rule%s cannot judge %zu of the %zu unit%s the "
		    "rules apply to yet for lack of history (", h->n, h->n == 1 ? "" : "s",
		    h->nunit, h->applying, h->applying == 1 ? "" : "s");
	for (size_t i = 0; !all && i < h->nnamed; i++)
		buf_addf(buf, size, &n, "%s%s", i == 0 ? "" : i + 1 < h->nnamed || rest ?
		    ", " : " and ", s->units[h->named[i]]);
	if (!all && rest)
		buf_addf(buf, size, &n, " and %zu %s", rest, h->under < rest ? "more" :
		    h->nnamed == 1 ? "under it" : "under them");
	if (!all)
		buf_addf(buf, size, &n, "; ");
	if (dated && h->never)
		buf_addf(buf, size, &n, "%zu will by %s at the latest, %zu ", dated,
		    period_format(s->gran, h->by, pb), h->never);
	else if (dated)
		buf_addf(buf, size, &n, "%sby %s at the latest", !all ? "" : h->n == 1 ?
		    "it will " : "all will ", period_format(s->gran, h->by, pb));
	if (h->never)
		buf_addf(buf, size, &n, "never with this configuration: retention.data %d < %d",
		    kept, h->reads);
	buf_addf(buf, size, &n, ")");
}

void history_short_free(struct history_short *h)
{
	free(h->rule);
	free(h->at);
	free(h->ready);
	*h = (struct history_short){ 0 };
}
