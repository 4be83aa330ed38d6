/* The report: section (SPEC 15): the works council report's indicators
 * and its scheduled deliveries. `report:` is one mapping, or a list of
 * them when a group schedules one report per company or site: each item
 * has its own every, to, format and unit, and is checked as the single
 * mapping is. A unit is scheduled once (its marker of the span sent is
 * the unit's, schedule.c), and the indicators, which every report shares,
 * are set once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config_impl.h"
#include "vigie/unit.h"
#include "vigie/xalloc.h"

static void free_schedule(struct report_schedule *r)
{
	for (size_t i = 0; i < r->nto; i++)
		free(r->to[i]);
	free(r->to);
	free(r->unit);
}

void cfg_free_report(struct report_config *r)
{
	free(r->indicators);
	for (size_t i = 0; i < r->nsched; i++)
		free_schedule(&r->sched[i]);
	free(r->sched);
}

/* One mapping: its indicators into *ind (with where they are, for a
 * second one), its schedule into *r; whether it schedules a report. */
static bool load_one(struct cx *x, const struct ynode *n, struct config *c,
    struct report_schedule *r, const struct ynode **ind)
{
	static const char *const names[] = { "indicators", "every", "to", "format", "unit" };
	static const char *const every[] = { "never", "quarter", "year" };
	static const char *const formats[] = { "html", "pdf", "json" };
	const struct ynode *v[NELEM(names)], *const *items = NULL;
	int iv;
	size_t pos, cnt;
	const char *msg;

	r->format = REPORT_PDF;
	if (!cfg_map_fields(x, n, "report", names, NELEM(names), v, NULL))
		return false;
	if (v[0] && *ind)
		cfg_err(x, v[0], "report.indicators is set already at line %d: every "
		    "report has the same indicators, set them once", (*ind)->line);
	else if (v[0]) {
		*ind = v[0];
		c->report.indicators = cfg_path(x, v[0], "report.indicators");
	}
	iv = (int)r->every;
	if (cfg_one_of(x, v[1], "report.every", every, NELEM(every), &iv))
		r->every = (enum report_every)iv;
	iv = (int)r->format;
	if (cfg_one_of(x, v[3], "report.format", formats, NELEM(formats), &iv))
		r->format = (enum report_format)iv;
	r->unit = cfg_string(x, v[4], "report.unit");
	if (r->unit && (msg = unit_path_check(r->unit, strlen(r->unit), &pos)))
		cfg_err(x, v[4], "report.unit \"%s\" is not a unit path: %s at byte %zu",
		    r->unit, msg, pos + 1);
	if (cfg_unset(v[2])) {
		if (r->every != REPORT_NEVER)
			cfg_err(x, v[1], "report.every needs report.to: the roles that "
			    "receive the report, such as [hr]");
		return false;
	}
	cnt = cfg_list_items(x, v[2], "report.to", true, &items);
	for (size_t i = 0; i < cnt; i++) {
		const struct ynode *it = items ? items[i] : v[2];
		char *s = cfg_string(x, it, "report.to");

		if (!s)
			continue;
		if (!config_role(c, s))
			cfg_err(x, it, "report.to: role \"%s\" is not in recipients", s);
		cfg_push_str(&r->to, &r->nto, s);
	}
	if (r->nto && r->every == REPORT_NEVER)
		cfg_err(x, v[2], "report.to needs report.every: quarter or year");
	return r->every != REPORT_NEVER && r->nto;
}

static const char *unit_or_all(const char *unit)
{
	return unit ? unit : "every unit";
}

void cfg_load_report(struct cx *x, const struct ynode *n, struct config *c)
{
	struct report_config *rc = &c->report;
	const struct ynode *ind = NULL, *const *items = &n, **at;
	size_t cnt = 1;

	if (cfg_unset(n))
		return;
	if (n->type == Y_SEQ) {
		items = (const struct ynode *const *)n->items;
		cnt = n->n;
	} else if (n->type != Y_MAP) {
		cfg_err(x, n, "report must be a mapping, or a list of mappings (one report "
		    "a unit), not %s", ynode_type_name(n));
		return;
	}
	rc->sched = xcalloc(cnt ? cnt : 1, sizeof(*rc->sched));
	at = xcalloc(cnt ? cnt : 1, sizeof(*at));
	for (size_t i = 0; i < cnt; i++) {
		struct report_schedule r = { 0 };
		size_t k;

		if (n->type == Y_SEQ && items[i]->type != Y_MAP) {
			cfg_err(x, items[i], "each report of the list must be a mapping "
			    "(every, to, format, unit), not %s", ynode_type_name(items[i]));
			continue;
		}
		if (!load_one(x, items[i], c, &r, &ind)) {
			free_schedule(&r);
			continue;
		}
		for (k = 0; k < rc->nsched; k++)
			if (r.unit ? rc->sched[k].unit && !strcmp(r.unit, rc->sched[k].unit) :
			    !rc->sched[k].unit)
				break;
		if (k < rc->nsched) {
			cfg_err(x, items[i], "report: a second report of %s (the first at "
			    "line %d): one report a unit; give it every role in its to",
			    unit_or_all(r.unit), at[k]->line);
			free_schedule(&r);
			continue;
		}
		at[rc->nsched] = items[i];
		rc->sched[rc->nsched++] = r;
	}
	free(at);
}
