/* The evaluation phase of a cycle (daemon/cycle_impl.h). The rules are
 * evaluated at the latest period outside any transaction (pure, and it may
 * take a while); then one write transaction compares each row with its
 * stored alert through the lifecycle (rules/lifecycle.c), writes the alerts
 * that changed, records each event with everything delivery will need
 * (summary rendered in the configured language, labels, the last 12
 * values), routes it to the outbox unless a silence holds it, and stores
 * the fingerprints of the inputs. An alert whose rule left the rule set
 * (or is disabled) is retired, silently; it resumes when its rule comes
 * back (SPEC 5.4). A crash leaves either all of it or none, and an evaluation that changes
 * nothing writes nothing. The events are logged once the transaction is
 * committed, never before: a failed commit logs nothing that did not
 * happen. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include "cycle_impl.h"
#include "vigie/engine.h"
#include "vigie/history.h"
#include "vigie/lifecycle.h"
#include "vigie/log.h"
#include "vigie/progress.h"
#include "vigie/store_alerts.h"
#include "vigie/store_silences.h"
#include "vigie/text.h"
#include "vigie/xalloc.h"

/* An event's log line, written once the transaction is committed. */
struct logline {
	int prio;
	char *rule, *unit, *text;
	const char *kind;	/* static */
};

/* What one evaluation compares against. */
struct eval {
	const struct series *s;
	const struct cells *cells;	/* of s: what no output may show (SPEC 3) */
	int32_t at;
	struct stored_alert *old;	/* by rule then unit */
	bool *seen;			/* per old alert: the evaluation produced it */
	size_t nold;
	struct silence *sil;
	size_t nsil;
	struct inhibit inh;	/* which alerts are active after it */
	int events, retired;
	bool wrote;
	struct logline *logs;
	size_t nlogs;
};

static void logs_flush(struct eval *ev, bool committed)
{
	for (size_t i = 0; i < ev->nlogs; i++) {
		struct logline *l = &ev->logs[i];
		if (committed)
			log_alert(l->prio, l->rule, l->unit, l->kind, "%s", l->text);
		free(l->rule);
		free(l->unit);
		free(l->text);
	}
	free(ev->logs);
	ev->logs = NULL;
	ev->nlogs = 0;
}

/* Records the event at period `at` of one step of alert `id` of rule r
 * (NULL when the rule left the rule set; ri indexes r then) and unit ui of
 * the series (-1: the unit left it, its values deleted), and routes it
 * unless silenced at period `now` (the evaluation's, which a change
 * decided before it is notified at), or unless it resolves an alert whose
 * notifications a silence held all along. An inhibition (inhibited_by)
 * holds it as a silence does when the inhibiting alerts reach every
 * recipient of the event, else only for those they reach (route_except). */
static int record(struct cyc *c, struct eval *ev, const struct rule *r,
    uint32_t ri, int32_t ui, int32_t at, int32_t now, const char *rule,
    const char *unit, int64_t id, const struct eval_row *row,
    const struct lifecycle_step *step)
{
	struct event_detail detail = { 0 };
	char pb[PERIOD_BUFSZ], sb[PERIOD_BUFSZ];
	char *summary = NULL, *labels = NULL, *history = NULL;
	bool silenced = lifecycle_silenced(ev->sil, ev->nsil, rule, unit, now);
	bool unowed = false;	/* a resolution of an episode never notified */
	struct lifecycle_step shown = *step;
	const struct lifecycle_step *st = &shown;
	const struct rule **by = r && r->ninhibited_by ?
	    xcalloc(r->ninhibited_by, sizeof(*by)) : NULL;
	size_t nby = by ? inhibit_of(&ev->inh, r, ui, step->event, by) : 0;
	int64_t eid;
	int rc = 0;

	if (nby && route_covered(c->cfg, r, unit, by, nby))
		silenced = true;

	/* An episode whose firing a silence held and never released: its
	 * resolution owes its recipients nothing (held with it), and any
	 * other change is the first they hear of it, a new alert to them
	 * (a change recorded the cycle the silence ended is routed, and the
	 * held firing is then not released, release.c). */
	if (!silenced && id > 0 && st->event != LC_FIRING) {
		int k = store_episode_notified(c->st, id);

		if (k < 0) {
			free(by);
			return -1;
		}
		if (k == 0 && st->event == LC_RESOLVED) {
			silenced = unowed = true;
		} else if (k == 0) {
			shown.event = LC_FIRING;
			shown.previous = SEV_NONE;
		}
	}
	const char *kind = lifecycle_event_name(st->event);
	period_format(ev->s->gran, at, pb);
	if (r) {
		struct template_vars tv = {
			.unit = unit,
			.period = pb,
			.since = st->since >= 0 ? period_format(ev->s->gran, st->since, sb) : pb,
			/* resolved: the severity it had, as Alertmanager
			 * keeps a resolved alert's labels */
			.severity = st->event == LC_RESOLVED ? st->previous : st->severity,
			.value = st->value,
			.threshold = st->threshold,
			.missing = st->missing,
			.absent = st->absent,
			.has_expected = r->expected != NULL,
			.observed = st->observed,
			.expected = st->expected,
		};
		summary = rule_render_summary(r, &tv, c->cfg->locale);
		labels = event_labels_json(r);
		if (ui >= 0)
			history = event_history_json(c, ev->s, ev->cells, ri, (uint32_t)ui, at);
	}
	struct event_in e = {
		.alert = id, .kind = kind, .rule = rule, .unit = unit,
		.period = at, .since = st->since, .sev = st->severity,
		.prev = st->previous, .value = st->value, .threshold = st->threshold,
		.absent = st->absent, .title = r ? r->title : NULL, .summary = summary,
		.guidance = r ? r->guidance : NULL, .labels = labels,
		.history = history, .decimals = r ? r->decimals : -1,
		.silenced = silenced, .inhibited_by = nby ? by[0]->id : NULL,
	};
	if (r && ui >= 0)
		event_detail_fill(c, ev->s, ev->cells, r, ri, (uint32_t)ui, at, row, st, &e, &detail);
	eid = store_event_insert(c->st, &c->row, &e);
	if (eid < 0)
		rc = -1;
	else if (lifecycle_notifies(st->event, silenced) && r) {
		route_except(c->rt, by, nby);
		rc = route_alert_event(c->rt, eid, r, unit);
		route_except(c->rt, NULL, 0);
	}
	if (rc == 0) {
		const char *sev = severity_name(st->severity);
		char since[PERIOD_BUFSZ + 24] = "";

		/* A firing the data showed before this cycle (a history
		 * imported at once) says since when, as vigie alerts does. */
		if (st->event == LC_FIRING && st->since >= 0 && st->since != at)
			snprintf(since, sizeof(since), " (active since %s)",
			    period_format(ev->s->gran, st->since, sb));
		ev->logs = xreallocarray(ev->logs, ev->nlogs + 1, sizeof(*ev->logs));
		ev->logs[ev->nlogs++] = (struct logline){
			.prio = st->event == LC_RESOLVED ? LOG_NOTICE : LOG_WARNING,
			.rule = xstrdup(rule), .unit = xstrdup(unit), .kind = kind,
			.text = xasprintf("%s@%s %s%s%s at %s%s%s%s%s", rule, unit, kind,
			    sev ? " " : "", sev ? sev : "", pb, since,
			    nby ? (silenced ? " (held by the alert of " :
			    " (held for the recipients of the alert of ") :
			    unowed ? " (not notified: its firing was not)" :
			    silenced ? " (silenced)" : "", nby ? by[0]->id : "",
			    nby ? ")" : ""),
		};
		ev->events++;
		ev->wrote = true;
	}
	free(summary);
	free(labels);
	free(history);
	free(by);
	event_detail_free(&detail);
	return rc;
}

static int cmp_alert(const void *a, const void *b)
{
	const struct stored_alert *x = a, *y = b;
	int r = strcmp(x->rule, y->rule);

	return r ? r : strcmp(x->unit, y->unit);
}

/* A change at the latest period, whose value there is undefined for want
 * of data: the state was decided at an earlier period that this alert's
 * last evaluation (`seen`, -1: none) did not see, imported with the latest
 * between two cycles (November and December in one go, December without
 * the value), and carried over. The event is of that period, with its
 * figures: the alert resolved in November shows the value that resolved it
 * (SPEC 9), not "the rule no longer applies to this unit", and one that
 * fired there shows what it saw, not "missing". Not when the latest value
 * is hidden: the digest must know it (SPEC 3: a hidden team hosts no
 * parent's figure). An active alert's state stays the latest period's; a
 * resolved one's is of the period that resolved it. 0 and *b,
 * the row at that period, with st's figures taken from it; -1 when the
 * latest period decided. */
static int decided_before(struct cyc *c, const struct eval *ev, int32_t seen,
    const struct eval_row *row, struct lifecycle_step *st, struct eval_row *b)
{
	if (st->event == LC_NONE || st->event == LC_REMINDER || !isnan(row->value) ||
	    (row->suppressed && !row->nodata) || row->basis <= seen ||
	    row->basis >= row->period ||
	    engine_row(c->rs, ev->s, ev->cells, c->cfg->min_headcount, row->rule,
	    row->unit, row->basis, b) != 0)
		return -1;
	st->value = b->value;
	st->observed = b->observed;
	st->expected = b->expected;
	st->absent = false;	/* defined there */
	if (st->event == LC_RESOLVED) {
		/* a resolved alert keeps the period that resolved it, and
		 * its value there (lifecycle.h) */
		st->next.period = b->period;
		st->next.value = b->value;
		st->next.absent = false;
	}
	return 0;
}

/* One evaluation row against its stored alert. */
static int step_row(struct cyc *c, struct eval *ev, const struct eval_row *row)
{
	const struct rule *r = &c->rs->rules[row->rule];
	const char *unit = ev->s->units[row->unit];
	struct stored_alert key = { .rule = r->id, .unit = (char *)unit };
	struct stored_alert *o = ev->nold ? bsearch(&key, ev->old, ev->nold,
	    sizeof(*ev->old), cmp_alert) : NULL;
	struct lifecycle_step st;
	struct eval_row basis;
	int64_t id = o ? o->id : 0;

	int32_t at = ev->at, now = ev->at, ui = (int32_t)row->unit;
	uint32_t row_rule = row->rule;

	if (o)
		ev->seen[o - ev->old] = true;
	if (o && !row->active && lifecycle_was_active(&o->state) && o->state.since > at) {
		/* The latest period went back before the episode began (its
		 * periods were deleted): resolved at its own period, for want
		 * of data, not "resolved in January, active since February". */
		at = now = o->state.period;
		lifecycle_orphan(&o->state, at, &st);
		st.threshold = st.next.threshold = r->clear;
		row = NULL;
	} else {
		lifecycle_step(r, o ? &o->state : NULL, row, at, &st);
		if (decided_before(c, ev, o ? o->state.period : -1, row, &st, &basis) == 0) {
			at = basis.period;
			row = &basis;
		}
	}
	if (st.changed) {
		if (store_alert_write(c->st, &c->row, r->id, unit, &id, &st.next,
		    st.clear_ack) != 0)
			return -1;
		ev->wrote = true;
	}
	if (st.event == LC_NONE)
		return 0;
	return record(c, ev, r, row_rule, ui, at, now, r->id, unit, id, row, &st);
}

/* Records the cells hidden at the periods this cycle's outputs show (up to
 * at) for a unit at or above the floor (hidden beside a small team, or
 * dominated) that are not kept yet: they stay hidden while a sibling is
 * hidden for itself, whatever later data says (SPEC 3 against time: a
 * month deleted and sent again, a late file, would otherwise pick another
 * companion and show this one beside the figures shown before); a
 * dominated one stays dominated (its X_max's cell kept: a corrected X_max
 * would show what was one person's). And the
 * units under the floor with a value there: they stay under it (a
 * headcount corrected over the floor would show their figures of then).
 * In the cycle's transaction. The number of rows recorded, or -1. */
static ssize_t keep_shown(struct store *st, const struct series *s,
    const struct cells *c, int32_t at)
{
	struct kept_cell *v = NULL;
	size_t n = 0;
	int rc;

	if (c->headcount < 0)
		return 0;
	for (uint32_t u = 0; u < s->nunits; u++)
		for (int32_t i = 0; i < s->np && s->p0 + i <= at; i++) {
			double h = series_get(s, u, (uint32_t)c->headcount, s->p0 + i);
			bool valued = false;

			if (series_kept_below(s, u, i) || (!isnan(h) && h >= c->floor))
				continue;
			for (uint32_t x = 0; x < s->nind && !valued; x++)
				valued = !c->is_companion[x] && !isnan(series_get(s, u, x, s->p0 + i));
			if (!valued)
				continue;
			v = xreallocarray(v, n + 1, sizeof(*v));
			v[n++] = (struct kept_cell){ s->units[u], KEPT_BELOW, s->p0 + i };
		}
	for (uint32_t u = 0; u < s->nunits; u++)
		for (uint32_t x = 0; x < s->nind; x++) {
			if (!c->row[(size_t)u * s->nind + x] || c->is_companion[x])
				continue;
			for (int32_t i = 0; i < s->np && s->p0 + i <= at; i++) {
				size_t j = ((size_t)u * s->nind + x) * (size_t)s->np + (size_t)i;
				double h = series_get(s, u, (uint32_t)c->headcount, s->p0 + i);
				int32_t cx = c->companion[x];
				size_t jm = cx < 0 ? j : ((size_t)u * s->nind + (size_t)cx) *
				    (size_t)s->np + (size_t)i;

				if (!c->hidden[j] || isnan(s->v[j]) || isnan(h) || h < c->floor)
					continue;
				if (!s->kept || !s->kept[j]) {
					v = xreallocarray(v, n + 1, sizeof(*v));
					v[n++] = (struct kept_cell){ s->units[u], s->inds[x], s->p0 + i };
				}
				if (cx >= 0 && (!s->kept || !s->kept[jm]) &&
				    cells_dominated(s->v[j], s->v[jm], c->dominance)) {
					v = xreallocarray(v, n + 1, sizeof(*v));
					v[n++] = (struct kept_cell){ s->units[u], s->inds[cx],
					    s->p0 + i };
				}
			}
		}
	rc = store_keep_hidden(st, v, n);
	free(v);
	return rc != 0 ? -1 : (ssize_t)n;
}

/* An alert that the evaluation no longer produces: retired when its rule
 * left the rule set or is disabled (enabled: false, the other way to stop
 * a rule: it did not get better) or written for the other granularity
 * (period:, not evaluated), resolved when it was active (or
 * retired while active) and its rule is there (the unit left its scope,
 * or its values were deleted: resolved for want of data, at the latest
 * period, or at its own when the database holds none any more). */
static int step_orphan(struct cyc *c, struct eval *ev, struct stored_alert *o)
{
	const struct rule *r = ruleset_find(c->rs, o->rule);
	int32_t ui = series_unit(ev->s, o->unit);
	/* The latest period, unless none is left or it went back before
	 * the episode began (its periods deleted): then its own. */
	int32_t at = ev->at >= 0 && ev->at >= o->state.since ? ev->at : o->state.period;
	struct lifecycle_step st;
	int64_t id = o->id;

	if (!r || !rule_runs_on(r, c->cfg->period)) {
		if (!o->state.active)
			return 0;	/* retired already, or resolved */
		lifecycle_retire(&o->state, &st);
		if (store_alert_write(c->st, &c->row, o->rule, o->unit, &id, &st.next,
		    false) != 0)
			return -1;
		ev->retired++;
		ev->wrote = true;
		return 0;
	}
	if (!lifecycle_was_active(&o->state))
		return 0;
	lifecycle_orphan(&o->state, at, &st);
	st.threshold = st.next.threshold = r->clear;	/* as any resolution */
	if (store_alert_write(c->st, &c->row, o->rule, o->unit, &id, &st.next, false) != 0)
		return -1;
	ev->wrote = true;
	return record(c, ev, r, (uint32_t)(r - c->rs->rules), ui, at, at, o->rule,
	    o->unit, id, NULL, &st);
}

/* The data's coverage at the latest period, as `vigie status` counts it,
 * for the metrics file: the units that lag it, and the indicators missing
 * from it, one per unit and indicator. Counted once per evaluation (an
 * idle cycle keeps them); 0 when it cannot be read (logged). */
static void coverage_counts(struct store *st, int32_t at, struct cycle_state *cs)
{
	struct store_coverage cov;

	cs->stale = cs->missing = 0;
	if (at < 0)
		return;
	if (store_coverage(st, at, &cov) != 0) {
		log_warnx("cannot read the data's coverage: %s", store_errmsg(st));
		return;
	}
	cs->stale = cov.nlagging;
	for (size_t i = 0; i < cov.ngaps; i++)
		cs->missing += cov.gaps[i].nunits * cov.gaps[i].nindicators;
	store_coverage_free(&cov);
}

static int meta_differs(struct store *st, const char *key, const char *want)
{
	char *v = NULL;
	int r = store_meta_get(st, key, &v);
	int differs;

	if (r < 0)
		return -1;
	differs = r == 1 || strcmp(v, want) != 0;
	free(v);
	return differs;
}

int cycle_evaluate(struct cyc *c, struct cycle_state *cs, struct cycle_report *rep)
{
	char gen[32], *hist = NULL, *hid = NULL, *unimp = NULL;
	uint8_t *m = NULL;
	int dg, dr, dc, dh, dd, du;
	char say[sizeof(rep->history)] = "";
	struct series *s = NULL;
	struct cells *cells = NULL;
	struct eval_row *rows = NULL;
	size_t nrows = 0;
	struct eval ev = { 0 };
	int rc = -1;

	snprintf(gen, sizeof(gen), "%lld", (long long)store_data_generation(c->st));
	dg = meta_differs(c->st, "last_eval_gen", gen);
	dr = meta_differs(c->st, "last_eval_rules", c->set->rules_hash);
	dc = meta_differs(c->st, "last_eval_config", c->set->cfg_hash);
	if (dg < 0 || dr < 0 || dc < 0)
		return -1;
	if (cs->evaluated && !dg && !dr && !dc) {
		rep->units = cs->units;
		rep->stale = cs->stale;
		rep->missing = cs->missing;
		memcpy(rep->history, cs->history, sizeof(rep->history));
		return 0;	/* nothing changed: a no-op that writes nothing */
	}

	/* The evaluation is pure and may take a while: it runs before the
	 * write transaction, which then only compares and records. */
	if (store_load_series(c->st, &s) != 0) {
		log_err("cannot load the indicator series: %s", store_errmsg(c->st));
		return -1;
	}
	ev.s = s;
	ev.at = s->np > 0 ? s->p0 + s->np - 1 : -1;
	cells = cells_new(s, c->cfg->min_headcount, c->cfg->dominance);
	ev.cells = cells;
	/* Each transition's points (evaluate_detail.c) evaluate again: the
	 * floors rules raise are computed once, here. */
	if (!cells || engine_cells_prepare(c->rs, cells, c->cfg->min_headcount) != 0 ||
	    (ev.at >= 0 && engine_eval(c->rs, s, cells,
	    c->cfg->min_headcount, ev.at, &rows, &nrows) != 0)) {
		log_err("evaluation failed: out of memory");
		cells_free(cells);
		series_free(s);
		return -1;
	}
	rep->evaluated = true;
	rep->units = s->nunits;
	m = rule_history_matrix(c->rs, s, rows, nrows);
	hist = cycle_history_meta(c, s, m, say, sizeof(say));
	hid = cycle_hidden_meta(c, s, m);
	unimp = cycle_unimported_meta(c, s);
	if ((dh = meta_differs(c->st, "history", hist)) < 0 ||
	    (dd = meta_differs(c->st, "hidden", hid)) < 0 ||
	    (du = meta_differs(c->st, "unimported", unimp)) < 0)
		goto out;

	if (store_begin(c->st) != 0)
		goto out;
	if (store_alerts_load(c->st, &ev.old, &ev.nold) != 0 ||
	    store_silences_load(c->st, &ev.sil, &ev.nsil) != 0)
		goto rollback;
	ev.seen = xcalloc(ev.nold, sizeof(*ev.seen));
	inhibit_init(&ev.inh, c->rs, s->nunits, rows, nrows);
	for (size_t i = 0; i < nrows; i++) {
		if ((i & 0xF) == 0xF)
			progress_tick();	/* an event costs its history */
		if (step_row(c, &ev, &rows[i]) != 0)
			goto rollback;
	}
	for (size_t i = 0; i < ev.nold; i++)
		if (!ev.seen[i] && step_orphan(c, &ev, &ev.old[i]) != 0)
			goto rollback;
	if (ev.at >= 0) {
		ssize_t kept = keep_shown(c->st, s, cells, ev.at);
		if (kept < 0)
			goto rollback;
		ev.wrote |= kept > 0;
	}
	if (dg && store_meta_set(c->st, "last_eval_gen", gen) != 0)
		goto rollback;
	if (dr && store_meta_set(c->st, "last_eval_rules", c->set->rules_hash) != 0)
		goto rollback;
	if (dc && store_meta_set(c->st, "last_eval_config", c->set->cfg_hash) != 0)
		goto rollback;
	if (dh && store_meta_set(c->st, "history", hist) != 0)
		goto rollback;
	if (dd && store_meta_set(c->st, "hidden", hid) != 0)
		goto rollback;
	if (du && store_meta_set(c->st, "unimported", unimp) != 0)
		goto rollback;
	if (!ev.wrote && !dg && !dr && !dc && !dh && !dd && !du) {
		/* Same inputs, same states: leave the database untouched. */
		store_rollback(c->st);
		rc = 0;
		goto out;
	}
	if (store_cycle_evaluated(c->st, &c->row, ev.at, ev.events, time(NULL)) != 0 ||
	    store_commit(c->st) != 0)
		goto rollback;
	rep->wrote = true;
	rep->transitions = ev.events;
	logs_flush(&ev, true);
	if (ev.retired)
		log_warnx("%d alert%s retired: %s rule left the rule set or is disabled "
		    "(kept with acknowledgements and notes; they resume if it comes back)",
		    ev.retired, ev.retired == 1 ? "" : "s", ev.retired == 1 ? "its" : "their");
	rc = 0;
	goto out;
rollback:
	log_err("cannot record the evaluation: %s", store_errmsg(c->st));
	store_rollback(c->st);
	cycle_rolled_back(c);
out:
	logs_flush(&ev, false);
	if (rc == 0) {
		cs->evaluated = true;
		cs->units = s->nunits;
		cs->period = ev.at;
		coverage_counts(c->st, ev.at, cs);
		rep->stale = cs->stale;
		rep->missing = cs->missing;
		memcpy(rep->history, say, sizeof(rep->history));
		memcpy(cs->history, say, sizeof(cs->history));
	}
	free(hist);
	free(hid);
	free(unimp);
	free(m);
	store_silences_free(ev.sil, ev.nsil);
	inhibit_free(&ev.inh);
	store_alerts_free(ev.old, ev.nold);
	free(ev.seen);
	free(rows);
	cells_free(cells);
	series_free(s);
	return rc;
}
