/* What an alert's event recorded, against today's data (include/vigie/
 * engine.h, SPEC 3). An event keeps the value its rule had when it was
 * recorded, but the data of its period may have changed since: HR
 * corrects a headcount, deletes a team's month, the floor is raised. No
 * output may then show a value of a unit for a period where it is hidden
 * now, and the old value beside today's figures would give away by
 * subtraction what the revision took out (a site's conflicts with a hidden
 * team, then without it). So a recorded value is shown only while the
 * rule, on today's data, still gives it as every output prints it, and so
 * are the observed and expected counts the event recorded: a rule whose
 * value is a probability prints 0.0 at one decimal before and after a
 * revision, while its summary's counts ("6 conflicts, against 1.2") and
 * the JSON value changed. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "vigie/engine.h"

/* Equal as outputs print them: at the rule's decimals (text, messages,
 * the console) and to 12 significant digits (JSON prints the double; the
 * engine gives the same bits for the same data, so only a change of data
 * or rule moves them). */
static bool same_shown(double a, double b, int decimals)
{
	char x[64], y[64];

	if (isnan(a) || isnan(b))
		return isnan(a) && isnan(b);
	if (decimals < 0 || decimals > 15)
		decimals = 15;
	snprintf(x, sizeof(x), "%.*f", decimals, a);
	snprintf(y, sizeof(y), "%.*f", decimals, b);
	if (strcmp(x, y))
		return false;
	snprintf(x, sizeof(x), "%.12g", a);
	snprintf(y, sizeof(y), "%.12g", b);
	return !strcmp(x, y);
}

/* Whether a cell of unit v with a value is hidden at a period up to p (at
 * p itself, any cell). */
static bool unit_hidden_until(const struct series *s, const struct cells *cells,
    uint32_t v, int32_t p)
{
	for (uint32_t i = 0; i < s->nind; i++) {
		/* most rows have no hidden period: no look at each */
		if (!cells->row[(size_t)v * s->nind + i])
			continue;
		for (int32_t q = s->p0; q <= p && q < s->p0 + s->np; q++)
			if (cells_hidden(cells, v, i, q) &&
			    (q == p || !isnan(series_get(s, v, i, q))))
				return true;
	}
	return false;
}

/* Whether a cell that a retired rule may have read at unit u and period p
 * is hidden today: any indicator; any period up to p, its windows and lags
 * reaching back in time (SPEC 3); u's ancestors (parent(), top()) and the
 * siblings of u and of each ancestor (peer_avg(), also under parent()).
 * Its recorded window sum, or mean of the siblings, beside today's other
 * figures would give away a cell that a late import or a correction hid
 * since. */
static bool retired_read_hidden(const struct series *s, const struct cells *cells,
    uint32_t u, int32_t p)
{
	for (int32_t v = (int32_t)u; v >= 0; v = s->parent[v]) {
		int32_t pu = s->parent[v];

		if (unit_hidden_until(s, cells, (uint32_t)v, p))
			return true;
		for (uint32_t k = pu < 0 ? 0 : s->child_off[pu];
		    pu >= 0 && k < s->child_off[pu + 1]; k++)
			if (s->child_idx[k] != (uint32_t)v &&
			    unit_hidden_until(s, cells, s->child_idx[k], p))
				return true;
	}
	return false;
}

enum recorded engine_recorded(const struct ruleset *rs, const struct series *s,
    const struct cells *cells, int min_headcount, const char *rule,
    const char *unit, int32_t period, const struct engine_point *rec,
    int decimals, struct engine_point *now)
{
	const struct rule *r = rs ? ruleset_find(rs, rule) : NULL;
	int32_t u;

	*now = (struct engine_point){ NAN, NAN, NAN, false, false };
	if (isnan(rec->value))
		return RECORDED_SHOWN;	/* nothing was shown */
	u = s ? series_unit(s, unit) : -1;
	if (u < 0)
		return RECORDED_REVISED;
	/* A rule that left the rule set cannot be evaluated today, nor say
	 * what it read: its value stays while no cell it may have read is
	 * hidden. */
	if (!r) {
		if (cells && retired_read_hidden(s, cells, (uint32_t)u, period))
			return RECORDED_HIDDEN;
		/* No value left there: deleted since. */
		return series_has_data(s, (uint32_t)u, period) ? RECORDED_SHOWN :
		    RECORDED_REVISED;
	}
	engine_points(rs, s, cells, min_headcount, (uint32_t)(r - rs->rules),
	    (uint32_t)u, period, 1, now);
	if (now->hidden) {
		*now = (struct engine_point){ NAN, NAN, NAN, true, now->nodata };
		return RECORDED_HIDDEN;
	}
	if (!isnan(now->value) && same_shown(now->value, rec->value, decimals) &&
	    (isnan(rec->observed) || same_shown(now->observed, rec->observed, decimals)) &&
	    (isnan(rec->expected) || same_shown(now->expected, rec->expected, decimals)))
		return RECORDED_SHOWN;
	return RECORDED_REVISED;
}
