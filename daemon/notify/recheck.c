/* A message waiting in the outbox shows what its events recorded, and the
 * data may have changed since: a corrected headcount puts a team under the
 * floor, a deleted month makes a sibling its complement. What today's data
 * hides no output may show (SPEC 3), a retried message no more than
 * `vigie history`: before a message written by an earlier evaluation goes
 * out, each of its figures that is hidden now is withheld, as the message
 * would have been written today (« valeur masquée »), and a month it
 * recorded without data that today's data hides reads « masquée », not
 * « pas de données ». An alert shown as it stands whose latest event is
 * of an older period gets the figures of its current period from today's
 * data (recheck_restate). Today's data is read at the first message of a
 * delivery run that needs it, not at all in the usual run, whose messages
 * the evaluation just wrote. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "notify_impl.h"
#include "vigie/engine.h"
#include "vigie/log.h"
#include "vigie/period.h"
#include "vigie/rules.h"
#include "vigie/xalloc.h"

void recheck_init(struct recheck *rc, struct store *st, const struct config *cfg,
    const struct ruleset *rs)
{
	*rc = (struct recheck){ .st = st, .cfg = cfg, .rs = rs };
}

void recheck_free(struct recheck *rc)
{
	cells_free(rc->cells);
	series_free(rc->s);
	rc->cells = NULL;
	rc->s = NULL;
}

/* Today's data, once per run; false when it cannot be read (then nothing
 * of a stale message is shown but what hides nothing: see recheck_notice). */
static bool load(struct recheck *rc)
{
	if (rc->loaded)
		return rc->s != NULL;
	rc->loaded = true;
	if (!rc->rs)
		return false;
	if (store_load_series(rc->st, &rc->s) != 0) {
		log_err("cannot read the data to check a waiting message against: %s",
		    store_errmsg(rc->st));
		rc->s = NULL;
		return false;
	}
	if (!(rc->cells = cells_new(rc->s, rc->cfg->min_headcount, rc->cfg->dominance)) ||
	    engine_cells_prepare(rc->rs, rc->cells, rc->cfg->min_headcount) != 0) {
		log_err("cannot check a waiting message against today's data: out of memory");
		recheck_free(rc);
		return false;
	}
	return true;
}

/* Whether today's data hides the unit's figure at period where the event
 * recorded rec (engine_recorded: a retired rule's too). */
static bool hidden_now(struct recheck *rc, const struct notice *x, int32_t period,
    const struct engine_point *rec)
{
	struct engine_point now;

	return engine_recorded(rc->rs, rc->s, rc->cells, rc->cfg->min_headcount, x->rule,
	    x->unit, period, rec, x->decimals, &now) == RECORDED_HIDDEN;
}

/* Whether a period the event recorded without data (nodata) is hidden by
 * today's data: a late import of a team under the floor. It then reads
 * « masquée », not « pas de données », as the message would be written
 * today. */
static bool hidden_since_nodata(struct recheck *rc, const struct notice *x, int32_t period)
{
	const struct rule *r = ruleset_find(rc->rs, x->rule);
	int32_t u = series_unit(rc->s, x->unit);
	struct engine_point now;

	if (!r || u < 0)
		return false;
	engine_points(rc->rs, rc->s, rc->cells, rc->cfg->min_headcount,
	    (uint32_t)(r - rc->rs->rules), (uint32_t)u, period, 1, &now);
	return now.hidden && !now.nodata;
}

static double or_nan(bool has, double v)
{
	return has ? v : NAN;
}

bool recheck_notice(struct recheck *rc, struct notice *x)
{
	struct engine_point rec = { or_nan(x->has_value, x->value),
	    or_nan(x->has_observed, x->observed), or_nan(x->has_expected, x->expected), false,
	    false };
	bool whole;

	if (!x->rule || !x->unit || x->pindex < 0)
		return false;	/* a system event: no unit's figure */
	/* Unreadable data: withhold everything rather than guess. */
	whole = !load(rc) || (x->has_value && hidden_now(rc, x, x->pindex, &rec));
	for (size_t i = 0; i < x->nhistory; i++) {
		struct notice_point *p = &x->history[i];
		struct engine_point prec = { or_nan(p->defined, p->value),
		    or_nan(p->has_observed, p->observed), or_nan(p->has_expected, p->expected),
		    false, false };
		enum granularity g;
		int32_t at;
		bool parsed = period_parse(p->period, strlen(p->period), &g, &at) == 0;

		if (!whole && !p->defined && p->nodata && parsed &&
		    hidden_since_nodata(rc, x, at)) {
			p->nodata = false;
			p->hidden = true;
			continue;
		}
		if (!whole && (!p->defined || !parsed || !hidden_now(rc, x, at, &prec)))
			continue;
		p->defined = p->has_observed = p->has_expected = false;
		p->value = p->observed = p->expected = 0;
		p->hidden = true;
	}
	if (!whole)
		return false;
	x->has_value = x->has_observed = x->has_expected = false;
	x->absent = false;
	x->hidden = true;
	for (size_t i = 0; i < x->ncomponents; i++)
		x->components[i].defined = false;
	for (size_t i = 0; i < x->ncompare; i++)
		x->compare[i].defined = false;
	return true;
}

/* The rule's terms at the alert's current period, labelled as the
 * evaluation labels them (evaluate_detail.c). */
static void restate_terms(const struct rule_term *t, const double *v, size_t n,
    struct notice_term **out, size_t *nout)
{
	for (size_t i = 0; i < *nout; i++)
		free((*out)[i].label);
	free(*out);
	*out = NULL;
	*nout = 0;
	if (!n)
		return;
	*out = xcalloc(n, sizeof(**out));
	for (size_t i = 0; i < n; i++)
		(*out)[i] = (struct notice_term){ xstrdup(t[i].label), !isnan(v[i]),
		    isnan(v[i]) ? 0 : v[i] };
	*nout = n;
}

#define RESTATE_POINTS 12	/* as the evaluation records (evaluate_detail.c) */

void recheck_restate(struct recheck *rc, struct notice *x)
{
	struct engine_point rec, now, pt[RESTATE_POINTS];
	const struct rule *r;
	int32_t u;
	uint32_t ri;

	if (!x->restate || !x->has_value || !x->rule || !x->unit || x->pindex < 0 ||
	    !load(rc) || !(r = ruleset_find(rc->rs, x->rule)) ||
	    (u = series_unit(rc->s, x->unit)) < 0)
		return;
	/* Only when today's data still gives the alert's value there: else
	 * the figures would not be those of the value the message shows. */
	rec = (struct engine_point){ x->value, NAN, NAN, false, false };
	if (engine_recorded(rc->rs, rc->s, rc->cells, rc->cfg->min_headcount, x->rule,
	    x->unit, x->pindex, &rec, x->decimals, &now) != RECORDED_SHOWN)
		return;
	ri = (uint32_t)(r - rc->rs->rules);
	/* Observed only where the rule says what it observes (as
	 * evaluate_detail.c records it). */
	x->has_observed = r->observed && !isnan(now.observed);
	x->observed = x->has_observed ? now.observed : 0;
	x->has_expected = !isnan(now.expected);
	x->expected = x->has_expected ? now.expected : 0;
	engine_points(rc->rs, rc->s, rc->cells, rc->cfg->min_headcount, ri, (uint32_t)u,
	    x->pindex, RESTATE_POINTS, pt);
	x->nhistory = 0;
	x->has_points = true;
	for (int i = 0; i < RESTATE_POINTS; i++) {
		struct notice_point *p = &x->history[x->nhistory++];
		char pb[PERIOD_BUFSZ];

		*p = (struct notice_point){ .defined = !isnan(pt[i].value),
		    .value = isnan(pt[i].value) ? 0 : pt[i].value,
		    .has_observed = !isnan(pt[i].observed),
		    .observed = isnan(pt[i].observed) ? 0 : pt[i].observed,
		    .has_expected = !isnan(pt[i].expected),
		    .expected = isnan(pt[i].expected) ? 0 : pt[i].expected,
		    .hidden = pt[i].hidden, .nodata = pt[i].nodata };
		snprintf(p->period, sizeof(p->period), "%s", period_format(rc->s->gran,
		    x->pindex - RESTATE_POINTS + 1 + i, pb));
	}
	if (r->ncomponents || r->ncompare) {
		double *comp = xcalloc(r->ncomponents + 1, sizeof(double));
		double *cmp = xcalloc(r->ncompare + 1, sizeof(double));

		engine_terms(rc->rs, rc->s, rc->cells, rc->cfg->min_headcount, ri, (uint32_t)u,
		    x->pindex, comp, cmp);
		restate_terms(r->components, comp, r->ncomponents, &x->components,
		    &x->ncomponents);
		restate_terms(r->compare, cmp, r->ncompare, &x->compare, &x->ncompare);
		free(comp);
		free(cmp);
	}
	struct template_vars tv = {
		.unit = x->unit, .period = x->period, .since = x->since ? x->since : x->period,
		.severity = x->severity && !strcmp(x->severity, "critical") ? SEV_CRITICAL :
		    SEV_WARNING,
		.value = x->value, .threshold = x->has_threshold ? x->threshold : NAN,
		.has_expected = r->expected != NULL,
		.observed = now.observed, .expected = now.expected,
	};
	free(x->summary);
	x->summary = rule_render_summary(r, &tv, rc->cfg->locale);
}
