/* What an event of the evaluation records for the digests (cycle_impl.h):
 * observed against expected, the level that clears the alert, whether
 * hysteresis holds it, whether its value is hidden, the rule's components
 * and comparisons, the last 12 periods with their observed and expected
 * values, and the guidance for each role the rule writes for. All of it is
 * computed here, from the same series as the transition, so that a message
 * sent later shows what the evaluation saw and nothing is recomputed at
 * send time. And what every event of a rule records: its labels, and the
 * last 12 values. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include "cycle_impl.h"
#include "vigie/engine.h"
#include "vigie/period.h"
#include "vigie/text.h"
#include "vigie/xalloc.h"

#define POINTS 12

static json_t *num_or_null(double x)
{
	return isfinite(x) ? json_real(x) : json_null();
}

static char *dump(json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | TEXT_JSON_REALS);

	json_decref(j);
	if (!s)
		xalloc_die();
	return s;
}

static json_t *terms_json(const struct rule_term *t, const double *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("[s, o]", t[i].label, num_or_null(v[i])));
	return a;
}

/* [["2026-01", value, observed, expected, hidden, nodata], ...]: the
 * sixth is newer than the others (notices.c reads rows without it). */
static char *points_json(const struct cyc *c, const struct series *s,
    const struct cells *cells, uint32_t ri,
    uint32_t ui, int32_t at)
{
	struct engine_point pt[POINTS];
	json_t *a = json_array();
	char pb[PERIOD_BUFSZ];

	engine_points(c->rs, s, cells, c->cfg->min_headcount, ri, ui, at, POINTS, pt);
	for (int i = 0; i < POINTS; i++)
		json_array_append_new(a, json_pack("[s, o, o, o, i, i]",
		    period_format(s->gran, at - POINTS + 1 + i, pb), num_or_null(pt[i].value),
		    num_or_null(pt[i].observed), num_or_null(pt[i].expected),
		    pt[i].hidden ? 1 : 0, pt[i].nodata ? 1 : 0));
	return dump(a);
}

void event_detail_fill(const struct cyc *c, const struct series *s,
    const struct cells *cells, const struct rule *r, uint32_t ri, uint32_t ui, int32_t at,
    const struct eval_row *row, const struct lifecycle_step *st,
    struct event_in *e, struct event_detail *d)
{
	*d = (struct event_detail){ 0 };
	e->detail = true;
	/* Observed only where the rule says what it observes: elsewhere the
	 * value is what it saw, and is shown against its threshold. */
	e->observed = r->observed ? st->observed : NAN;
	e->expected = st->expected;
	e->clear = r->clear;
	e->missing = st->missing;
	e->below = r->below;
	e->measure = r->measure;
	/* Still active with a value short of every threshold: the band
	 * between the threshold and clear keeps it (SPEC 5, 16). */
	e->held = row && st->event != LC_RESOLVED && row->active &&
	    row->level == SEV_NONE && !isnan(row->value);
	e->hidden = row && row->suppressed;
	if (r->ncomponents || r->ncompare) {
		double *comp = xcalloc(r->ncomponents + 1, sizeof(double));
		double *cmp = xcalloc(r->ncompare + 1, sizeof(double));
		json_t *o = json_object();

		engine_terms(c->rs, s, cells, c->cfg->min_headcount, ri, ui, at, comp, cmp);
		json_object_set_new(o, "components", terms_json(r->components, comp,
		    r->ncomponents));
		json_object_set_new(o, "compare", terms_json(r->compare, cmp, r->ncompare));
		d->terms = dump(o);
		free(comp);
		free(cmp);
	}
	d->points = points_json(c, s, cells, ri, ui, at);
	if (r->nguidance_roles) {
		json_t *o = json_object();

		for (size_t i = 0; i < r->nguidance_roles; i++) {
			const char *role = r->guidance_roles[i].role;
			const char *text = rule_guidance(r, role);

			if (text)
				json_object_set_new(o, role, json_string(text));
		}
		d->guidance_roles = dump(o);
	}
	e->terms = d->terms;
	e->points = d->points;
	e->guidance_roles = d->guidance_roles;
}

void event_detail_free(struct event_detail *d)
{
	free(d->terms);
	free(d->points);
	free(d->guidance_roles);
}

#define HISTORY_PERIODS 12

char *event_labels_json(const struct rule *r)
{
	json_t *o = json_object();
	char *s;

	for (size_t i = 0; i < r->nlabels; i++)
		json_object_set_new(o, r->labels[i].key, json_string(r->labels[i].value));
	s = json_dumps(o, JSON_PRESERVE_ORDER | JSON_COMPACT);
	json_decref(o);
	return s;
}

char *event_history_json(const struct cyc *c, const struct series *s,
    const struct cells *cells, uint32_t rule, uint32_t unit, int32_t at)
{
	double h[HISTORY_PERIODS];
	json_t *a = json_array();
	char pb[PERIOD_BUFSZ], *out;

	engine_history(c->rs, s, cells, c->cfg->min_headcount, rule, unit, at,
	    HISTORY_PERIODS, h);
	for (int i = 0; i < HISTORY_PERIODS; i++) {
		json_t *pair = json_array();
		json_array_append_new(pair, json_string(period_format(s->gran,
		    at - HISTORY_PERIODS + 1 + i, pb)));
		json_array_append_new(pair, isnan(h[i]) ? json_null() : json_real(h[i]));
		json_array_append_new(a, pair);
	}
	out = json_dumps(a, TEXT_JSON_REALS);
	json_decref(a);
	return out;
}
