/* The rules that cannot judge because what they read is hidden
 * (vigie/hidden.h): why, from the unit's own cells over the months the
 * rule reads, and how many units, from the evaluation's rows. A rule's
 * windows read every month of their span, so the latest hidden month says
 * when it can judge again at the earliest; a rule that reads scattered
 * months (delta, lag) may judge sooner. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "vigie/expr.h"
#include "vigie/hidden.h"
#include "vigie/history.h"
#include "vigie/xalloc.h"

/* Whether one of the indicators rule reads (series indices, n of them) is
 * hidden at unit u in month p. Which cause hid it is not kept: that the
 * team is beside a smaller one would tell that one's size, and that one
 * person made most of its month is a fact about that person. */
static bool month_hidden(const struct cells *c, uint32_t u, int32_t p,
    const int32_t *reads, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (cells_hidden(c, u, (uint32_t)reads[i], p))
			return true;
	return false;
}

void rule_hidden_why(const struct ruleset *rs, const struct series *s,
    const struct cells *cells, int min_headcount, uint32_t rule, uint32_t unit,
    int32_t at, struct hidden_why *out)
{
	const struct rule *r = &rs->rules[rule];
	int floor = r->min_headcount > min_headcount ? r->min_headcount : min_headcount;
	const struct cells *c = cells ? cells_at(cells, floor) : NULL;
	int32_t back = rule_history_needs(r, s->gran) - 1, *reads;
	size_t n = 0;

	*out = (struct hidden_why){ .month = -1, .until = -1 };
	if (!c)
		c = cells;	/* not raised (engine_cells_prepare): the floor's */
	if (!c)
		return;
	reads = xcalloc(rs->names.n + 1, sizeof(*reads));
	for (size_t i = 0; i < rs->names.n; i++) {
		int32_t x = series_indicator(s, rs->names.v[i]);

		if (x >= 0 && (expr_reads(r->value, (int32_t)i) ||
		    expr_reads(r->when, (int32_t)i)))
			reads[n++] = x;
	}
	for (int32_t p = at; p >= at - back && p >= s->p0; p--) {
		if (!month_hidden(c, unit, p, reads, n))
			continue;
		if (out->month < 0)
			out->month = p;
		out->months++;
	}
	free(reads);
	/* The team hidden now: until it is not, which nothing says. */
	out->now = c->headcount >= 0 && cells_hidden(c, unit, (uint32_t)c->headcount, at);
	if (!out->now && out->month >= 0) {
		int32_t ready = rule_history_ready(r, s, unit, 0);

		out->until = out->month + back + 1;
		if (ready > out->until)
			out->until = ready;
	}
}

/* The rules' order in hidden_count: the most units first, then file order. */
struct ranked {
	size_t at;
	uint32_t rule;
};

static int cmp_ranked(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? 1 : -1;
	return x->rule < y->rule ? -1 : x->rule > y->rule;
}

void hidden_count_find(const struct ruleset *rs, const struct series *s,
    const uint8_t *m, bool (*keep)(uint32_t rule, uint32_t unit, void *arg),
    void *arg, struct hidden_count *out)
{
	uint8_t *applies = xcalloc(s->nunits + 1, 1), *hid = xcalloc(s->nunits + 1, 1);
	struct ranked *rk = xcalloc(rs->n + 1, sizeof(*rk));
	size_t *of = xcalloc(rs->n + 1, sizeof(*of));

	*out = (struct hidden_count){ 0 };
	for (uint32_t r = 0; r < rs->n; r++) {
		size_t at = 0;

		for (uint32_t u = 0; u < s->nunits; u++) {
			unsigned h = m[(size_t)r * s->nunits + u];

			if (!(h & (RH_SHORT | RH_COMPUTED | RH_HIDDEN)) ||
			    (keep && !keep(r, u, arg)))
				continue;
			applies[u] = 1;
			of[r]++;
			if (h & RH_HIDDEN)
				at++, hid[u] = 1;
		}
		if (at)
			rk[out->n++] = (struct ranked){ at, r };
	}
	for (uint32_t u = 0; u < s->nunits; u++) {
		out->units += applies[u];
		out->nunit += hid[u];
	}
	qsort(rk, out->n, sizeof(*rk), cmp_ranked);
	out->rule = xcalloc(out->n + 1, sizeof(*out->rule));
	out->at = xcalloc(out->n + 1, sizeof(*out->at));
	out->of = xcalloc(out->n + 1, sizeof(*out->of));
	for (size_t i = 0; i < out->n; i++) {
		out->rule[i] = rk[i].rule;
		out->at[i] = rk[i].at;
		out->of[i] = of[rk[i].rule];
	}
	free(applies);
	free(hid);
	free(rk);
	free(of);
}

void hidden_count_say(const struct hidden_count *h, const struct ruleset *rs,
    char *buf, size_t size)
{
	size_t n = 0;

	if (size)
		*buf = '\0';
	if (!h->n)
		return;
	buf_addf(buf, size, &n, "%zu rule%s cannot judge %zu of the %zu unit%s the rules "
	    "apply to (", h->n, h->n == 1 ? "" : "s", h->nunit, h->units,
	    h->units == 1 ? "" : "s");
	for (size_t i = 0; i < h->n && i < HIDDEN_NAMED; i++)
		buf_addf(buf, size, &n, "%s%s %zu of %zu", i ? ", " : "",
		    rs->rules[h->rule[i]].id, h->at[i], h->of[i]);
	if (h->n > HIDDEN_NAMED)
		buf_addf(buf, size, &n, " and %zu more", h->n - HIDDEN_NAMED);
	buf_addf(buf, size, &n, "): a month %s read%s is hidden (under the floor, beside "
	    "a smaller team, or one person's)", h->n == 1 ? "it" : "they",
	    h->n == 1 ? "s" : "");
}

void hidden_count_free(struct hidden_count *h)
{
	free(h->rule);
	free(h->at);
	free(h->of);
	*h = (struct hidden_count){ 0 };
}
