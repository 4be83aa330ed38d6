/* The alert lifecycle (include/vigie/lifecycle.h). The engine says whether
 * an alert is active at a period and how severe; this file turns the
 * difference with what was stored into an event and the alert's next
 * state: a first active period fires, a severity change escalates or
 * deescalates, an inactive period after an active one resolves with the
 * value that resolved it, and an unchanged active alert that nobody
 * acknowledged is reminded every repeat_every periods after it was last
 * notified. A new episode forgets the acknowledgement of the previous one.
 * An alert whose rule leaves the rule set retires without a word, keeping
 * its state, and resumes from that state when the rule comes back.
 * The backtest replays the engine's forward transitions through the same
 * steps, one evaluation per period, which is where reminders come from. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/lifecycle.h"
#include "vigie/unit.h"
#include "vigie/xalloc.h"

const char *lifecycle_event_name(enum lifecycle_event e)
{
	switch (e) {
	case LC_FIRING: return "firing";
	case LC_ESCALATED: return "escalated";
	case LC_DEESCALATED: return "deescalated";
	case LC_RESOLVED: return "resolved";
	case LC_REMINDER: return "reminder";
	case LC_NONE: break;
	}
	return NULL;
}

static bool same_real(double a, double b)
{
	return (isnan(a) && isnan(b)) || a == b;
}

static bool differs(const struct alert_state *o, const struct alert_state *a)
{
	return o->active != a->active || o->severity != a->severity ||
	    !same_real(o->value, a->value) || !same_real(o->threshold, a->threshold) ||
	    o->absent != a->absent ||
	    o->period != a->period || o->since != a->since ||
	    o->notified != a->notified || o->acked != a->acked ||
	    o->retired != a->retired;
}

bool lifecycle_was_active(const struct alert_state *a)
{
	return a->active || (a->retired && a->severity != SEV_NONE);
}

void lifecycle_step(const struct rule *r, const struct alert_state *old,
    const struct eval_row *row, int32_t at, struct lifecycle_step *out)
{
	bool was = old && lifecycle_was_active(old);
	bool resuming = old && old->retired;
	/* Undefined, and not because a cell is hidden: data is missing (the
	 * unit sent nothing at all is suppressed, and missing too). */
	bool absent = isnan(row->value) && (!row->suppressed || row->nodata);
	enum severity prev = was ? old->severity : SEV_NONE;

	memset(out, 0, sizeof(*out));
	out->event = LC_NONE;
	if (!row->active && !was) {
		if (old) {
			out->next = *old;
			out->next.retired = false;
			out->changed = resuming;
		}
		return;		/* inactive alerts are only stored once they fired */
	}
	if (row->active) {
		out->next = (struct alert_state){
			.active = true, .severity = row->severity, .value = row->value,
			.absent = absent,
			.threshold = row->threshold, .period = at, .since = row->since,
			.notified = was ? old->notified : at,
			.acked = old && old->acked,
		};
		if (!was) {
			out->event = LC_FIRING;
			out->clear_ack = old && old->acked;
			out->next.acked = false;
		} else if (row->severity > prev) {
			out->event = LC_ESCALATED;
		} else if (row->severity < prev) {
			out->event = LC_DEESCALATED;
		} else if (r->repeat_every > 0 && !old->acked && !resuming &&
		    (old->notified < 0 || at - old->notified >= r->repeat_every)) {
			out->event = LC_REMINDER;
		}
		if (out->event != LC_NONE)
			out->next.notified = at;
		out->threshold = row->threshold;
		out->since = row->since;
	} else {
		out->event = LC_RESOLVED;
		out->next = (struct alert_state){
			.active = false, .severity = SEV_NONE, .value = row->value,
			.absent = absent,
			.threshold = r->clear, .period = at, .since = old->since,
			.notified = old->notified, .acked = old->acked,
		};
		out->threshold = r->clear;
		out->since = old->since;
	}
	out->severity = row->active ? row->severity : SEV_NONE;
	out->previous = prev;
	out->value = row->value;
	out->absent = absent;
	out->missing = !row->active && row->missing;
	out->observed = row->observed;
	out->expected = row->expected;
	out->changed = !old || out->clear_ack || differs(old, &out->next);
}

void lifecycle_retire(const struct alert_state *old, struct lifecycle_step *out)
{
	memset(out, 0, sizeof(*out));
	out->event = LC_NONE;
	out->next = *old;
	out->next.active = false;
	out->next.retired = true;
	out->changed = differs(old, &out->next);
	out->severity = out->previous = old->severity;
	out->value = out->threshold = out->observed = out->expected = NAN;
	out->since = old->since;
}

void lifecycle_orphan(const struct alert_state *old, int32_t at,
    struct lifecycle_step *out)
{
	memset(out, 0, sizeof(*out));
	out->event = LC_RESOLVED;
	out->next = (struct alert_state){
		.active = false, .severity = SEV_NONE, .value = NAN, .threshold = NAN,
		.period = at, .since = old->since, .notified = old->notified,
		.acked = old->acked,
	};
	out->changed = true;
	out->severity = SEV_NONE;
	out->previous = old->severity;
	out->value = out->threshold = NAN;
	out->absent = out->next.absent = true;	/* no value, none hidden */
	out->observed = out->expected = NAN;
	out->since = old->since;
}

bool lifecycle_notifies(enum lifecycle_event e, bool silenced)
{
	return e != LC_NONE && !silenced;
}

bool lifecycle_can_ack(const struct alert_state *a)
{
	return a->active;
}

const char *outcome_name(enum outcome o)
{
	switch (o) {
	case OUTCOME_ACTION_TAKEN: return "action_taken";
	case OUTCOME_FALSE_ALARM: return "false_alarm";
	case OUTCOME_NO_ACTION_NEEDED: return "no_action_needed";
	case OUTCOME_NONE: break;
	}
	return NULL;
}

bool outcome_event(const char *kind)
{
	return !strcmp(kind, "closed") || !strcmp(kind, "corrected");
}

int outcome_parse(const char *s, enum outcome *o)
{
	for (int k = 1; k < OUTCOME_COUNT; k++) {
		const char *n = outcome_name((enum outcome)k), *a = s;
		while (*n && *a && (*n == *a || (*n == '_' && (*a == '-' || *a == ' ')))) {
			n++;
			a++;
		}
		if (!*n && !*a) {
			*o = (enum outcome)k;
			return 0;
		}
	}
	return -1;
}

bool lifecycle_silenced(const struct silence *v, size_t n, const char *rule,
    const char *unit, int32_t period)
{
	for (size_t i = 0; i < n; i++)
		if (!v[i].removed && v[i].until >= period &&
		    (!strcmp(v[i].rule, "*") || !strcmp(v[i].rule, rule)) &&
		    unit_glob_match(v[i].unit_glob, unit))
			return true;
	return false;
}

const char *lifecycle_silence_state(const struct silence *s, int32_t period)
{
	if (s->removed)
		return "removed";
	return s->until < period ? "expired" : "active";
}

int lifecycle_split_id(const char *id, char **rule, char **unit)
{
	const char *at = strchr(id, '@');

	*rule = *unit = NULL;
	if (!at || at == id || !at[1])
		return -1;
	*rule = xstrndup(id, (size_t)(at - id));
	*unit = xstrdup(at + 1);
	return 0;
}

/* ---- backtest ---- */

struct bt {
	struct transition *v;
	size_t n, cap;
	struct lifecycle_record *out;
	size_t nout, capout;
	const uint32_t *rank;	/* unit index -> position in path order */
};

static void bt_collect(const struct transition *t, void *arg)
{
	struct bt *b = arg;

	if (b->n == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 256;
		b->v = xreallocarray(b->v, b->cap, sizeof(*b->v));
	}
	b->v[b->n++] = *t;
}

static void bt_emit(struct bt *b, const struct transition *t, int32_t p,
    const struct lifecycle_step *st)
{
	if (b->nout == b->capout) {
		b->capout = b->capout ? 2 * b->capout : 256;
		b->out = xreallocarray(b->out, b->capout, sizeof(*b->out));
	}
	b->out[b->nout++] = (struct lifecycle_record){
		.rule = t->rule, .unit = t->unit, .period = p, .event = st->event,
		.from = st->previous, .to = st->severity, .value = st->value,
		.threshold = st->threshold, .since = st->since,
		.missing = st->missing, .observed = st->observed,
		.expected = st->expected,
	};
}

/* qsort has no context argument; backtests do not run concurrently within
 * one process, and the rank table is only read while sorting. */
static const uint32_t *sort_rank;

static int cmp_key(uint32_t ra, uint32_t ua, int32_t pa, uint32_t rb,
    uint32_t ub, int32_t pb, bool period_first)
{
	if (period_first && pa != pb)
		return pa < pb ? -1 : 1;
	if (ra != rb)
		return ra < rb ? -1 : 1;
	if (sort_rank[ua] != sort_rank[ub])
		return sort_rank[ua] < sort_rank[ub] ? -1 : 1;
	if (pa != pb)
		return pa < pb ? -1 : 1;
	return 0;
}

static int cmp_by_alert(const void *a, const void *b)
{
	const struct transition *x = a, *y = b;

	return cmp_key(x->rule, x->unit, x->period, y->rule, y->unit, y->period, false);
}

static int cmp_by_period(const void *a, const void *b)
{
	const struct lifecycle_record *x = a, *y = b;

	return cmp_key(x->rule, x->unit, x->period, y->rule, y->unit, y->period, true);
}

/* The engine's row between two transitions: the alert stays as the last
 * transition left it. Its value matters only for a reminder's record. */
static struct eval_row steady_row(const struct transition *t, int32_t p)
{
	return (struct eval_row){
		.rule = t->rule, .unit = t->unit, .period = p, .value = NAN,
		.observed = NAN, .expected = NAN,
		.level = SEV_NONE, .active = true, .severity = t->to,
		.threshold = t->threshold, .since = t->since,
	};
}

/* Steps one alert through the periods after its transition t up to end
 * (exclusive), while it is active: where a reminder falls. */
static void bt_steady(struct bt *b, const struct ruleset *rs, const struct series *s,
    const struct cells *cells, int min_headcount, const struct transition *t,
    struct alert_state *st, int32_t end)
{
	const struct rule *r = &rs->rules[t->rule];
	struct lifecycle_step step;

	if (!st->active || r->repeat_every <= 0)
		return;		/* nothing can happen but a transition */
	for (int32_t p = t->period + 1; p < end; p++) {
		struct eval_row row = steady_row(t, p);
		lifecycle_step(r, st, &row, p, &step);
		*st = step.next;
		if (step.event == LC_NONE)
			continue;
		struct engine_point pt;
		engine_points(rs, s, cells, min_headcount, t->rule, t->unit, p, 1,
		    &pt);
		step.value = pt.value;
		step.observed = pt.observed;
		step.expected = pt.expected;
		bt_emit(b, t, p, &step);
	}
}

int lifecycle_backtest(const struct ruleset *rs, const struct series *s,
    const struct cells *cells, int min_headcount, int32_t from, int32_t to,
    void (*cb)(const struct lifecycle_record *e, void *arg), void *arg)
{
	struct bt b = { 0 };
	uint32_t *rank;
	int32_t end = s->np > 0 ? s->p0 + s->np - 1 : -1;

	if (s->np <= 0 || s->nunits == 0)
		return 0;
	if (to < end)
		end = to;
	/* Every transition from the start: an alert that fired before `from`
	 * is reminded inside it. */
	if (engine_backtest(rs, s, cells, min_headcount, s->p0, to, bt_collect,
	    &b) != 0) {
		free(b.v);
		return -1;
	}
	rank = xcalloc(s->nunits, sizeof(*rank));
	for (uint32_t k = 0; k < s->nunits; k++)
		rank[s->sorted[k]] = k;
	sort_rank = rank;
	if (b.n)
		qsort(b.v, b.n, sizeof(*b.v), cmp_by_alert);
	for (size_t i = 0; i < b.n; ) {
		struct alert_state st = { .since = -1, .notified = -1, .period = -1 };
		bool stored = false;
		size_t j = i;

		/* One alert's transitions, in period order. */
		for (; j < b.n && b.v[j].rule == b.v[i].rule && b.v[j].unit == b.v[i].unit; j++) {
			const struct transition *t = &b.v[j];
			const struct rule *r = &rs->rules[t->rule];
			struct eval_row row = {
				.rule = t->rule, .unit = t->unit, .period = t->period,
				.value = t->value, .active = t->kind != TR_RESOLVED,
				.missing = t->missing, .observed = t->observed,
				.expected = t->expected,
				.severity = t->to, .threshold = t->threshold,
				.since = t->kind != TR_RESOLVED ? t->since : -1,
			};
			struct lifecycle_step step;

			lifecycle_step(r, stored ? &st : NULL, &row, t->period, &step);
			st = step.next;
			stored = true;
			if (step.event != LC_NONE)
				bt_emit(&b, t, t->period, &step);
			bt_steady(&b, rs, s, cells, min_headcount, t, &st,
			    j + 1 < b.n && b.v[j + 1].rule == t->rule &&
			    b.v[j + 1].unit == t->unit ? b.v[j + 1].period : end + 1);
		}
		i = j;
	}
	if (b.nout)
		qsort(b.out, b.nout, sizeof(*b.out), cmp_by_period);
	sort_rank = NULL;
	for (size_t i = 0; i < b.nout; i++)
		if (b.out[i].period >= from)
			cb(&b.out[i], arg);
	free(b.out);
	free(b.v);
	free(rank);
	return 0;
}
