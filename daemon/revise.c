/* Events that today's data revised (daemon/cycle_impl.h, SPEC 3). An
 * active alert's latest notification is re-sent as it was recorded:
 * Alertmanager's refresh at every run, a digest's context when a parent's
 * alert folds into it. When the data of its period, or of the last periods
 * it shows, changed since (a corrected headcount, a deleted month, a higher
 * floor), what it says may be hidden today, or give away by subtraction
 * what the revision took out. Each evaluation, with the data in hand,
 * compares those events with what the rule gives today and marks revised
 * those that differ: they are not re-sent as they were (their summary is
 * dropped from the refresh, and no digest hosts a parent in them). */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "cycle_impl.h"
#include "vigie/engine.h"
#include "vigie/store_alerts.h"

/* Whether the recorded history of e (its last HISTORY_PERIODS values up to
 * its period) still holds: every value it showed is today's, at the rule's
 * decimals. */
static bool history_holds(const struct cyc *c, const struct series *s,
    const struct cells *cells, uint32_t ri, uint32_t ui, const struct notified_event *e)
{
	double now[HISTORY_PERIODS];
	json_t *h = e->history ? json_loads(e->history, 0, NULL) : NULL;
	bool holds = true;

	if (!h)
		return true;
	engine_history(c->rs, s, cells, c->cfg->min_headcount, ri, ui, e->period,
	    HISTORY_PERIODS, now);
	if (json_array_size(h) != HISTORY_PERIODS)
		holds = false;
	for (size_t i = 0; holds && i < HISTORY_PERIODS; i++) {
		json_t *v = json_array_get(json_array_get(h, i), 1);
		char a[64], b[64];
		int d = e->decimals >= 0 && e->decimals <= 15 ? e->decimals : 15;

		if (!json_is_number(v))
			continue;	/* nothing was shown there */
		if (isnan(now[i]))
			holds = false;
		else {
			snprintf(a, sizeof(a), "%.*f", d, json_number_value(v));
			snprintf(b, sizeof(b), "%.*f", d, now[i]);
			holds = !strcmp(a, b);
		}
	}
	json_decref(h);
	return holds;
}

int cycle_revise(struct cyc *c, const struct series *s, const struct cells *cells,
    bool *wrote)
{
	struct notified_event *v = NULL;
	size_t n = 0;
	int rc = 0;

	if (store_notified_events(c->st, &v, &n) != 0)
		return -1;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct notified_event *e = &v[i];
		const struct rule *r = ruleset_find(c->rs, e->rule);
		int32_t ui = series_unit(s, e->unit);
		double now;
		bool revised;

		if (!r)
			continue;	/* retired: not re-sent */
		revised = ui < 0 || engine_recorded(c->rs, s, cells, c->cfg->min_headcount,
		    e->rule, e->unit, e->period, e->value, e->decimals, &now) != RECORDED_SHOWN ||
		    !history_holds(c, s, cells, (uint32_t)(r - c->rs->rules), (uint32_t)ui, e);
		if (revised) {
			rc = store_event_revise(c->st, e->event);
			*wrote = true;
		}
	}
	store_notified_events_free(v, n);
	return rc;
}
