/* A message waiting in the outbox shows what its events recorded, and the
 * data may have changed since: a corrected headcount puts a team under the
 * floor, a deleted month makes a sibling its complement. What today's data
 * hides no output may show (SPEC 3), a retried message no more than
 * `vigie history`: before a message written by an earlier evaluation goes
 * out, each of its figures that is hidden now is withheld, as the message
 * would have been written today (« valeur masquée »), and a month it
 * recorded without data that today's data hides reads « masquée », not
 * « pas de données ». Today's data is read
 * at the first such message of a delivery run, not at all in the usual
 * run, whose messages the evaluation just wrote. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "notify_impl.h"
#include "vigie/engine.h"
#include "vigie/log.h"
#include "vigie/period.h"

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
