/* Private to the cycle (daemon/cycle.c, daemon/evaluate*.c): what one cycle
 * carries from phase to phase. */
#ifndef VIGIE_CYCLE_IMPL_H
#define VIGIE_CYCLE_IMPL_H

#include <time.h>
#include "vigie/cycle.h"
#include "vigie/engine.h"
#include "vigie/lifecycle.h"
#include "vigie/route.h"
#include "vigie/store_alerts.h"
#include "vigie/store_outbox.h"

struct cyc {
	struct store *st;
	const struct config *cfg;
	const struct ruleset *rs;
	const struct cycle_set *set;
	time_t now;
	struct store_cycle row;	/* this cycle's row, inserted on first write */
	struct route *rt;	/* this cycle's outbox messages */
};

/* Forgets what a rolled back transaction of the cycle wrote. */
void cycle_rolled_back(struct cyc *c);

/* Evaluates the rules when the data, the rules or the configuration
 * changed since the last evaluation (or at the first cycle of the process),
 * and records what the lifecycle decides, with the notifications, in one
 * transaction. 0, or -1 (logged, nothing written). (evaluate.c) */
int cycle_evaluate(struct cyc *c, struct cycle_state *cs, struct cycle_report *rep);

/* What `vigie status` reads of an evaluation whose rows gave m
 * (rule_history_matrix), as JSON (caller frees): the meta "history" —
 * {"rules": rules that apply, "units": units one is computed or short of
 * history at, "lacking_units": those one lacks history at, "text": what
 * status and the cycle line say (also in say), "lacking": [{"rule",
 * "units": how many it lacks history at, "by": the period it can judge
 * them all at the latest, null when never with retention.data, "reads":
 * the periods it reads to decide one (rule_periods)}]} — and the meta
 * "hidden" — {"units": units one of the rules applies to with data,
 * "hidden_units": those one cannot judge because what it reads is hidden,
 * "text": status's line, "rules": [{"rule", "units": how many it cannot
 * judge, "of": how many it applies to}]}. (evaluate_meta.c) */
char *cycle_history_meta(const struct cyc *c, const struct series *s,
    const uint8_t *m, char *say, size_t size);
char *cycle_hidden_meta(const struct cyc *c, const struct series *s,
    const uint8_t *m);
/* The meta "unimported": the indicators no import has brought to s (none
 * of its values) that enabled rules need (rule_needs), so that those
 * rules are undefined everywhere and never fire —
 * [{"indicator", "rules": [ids in rule-set order]}], in the rule set's
 * order of names; [] when none, or when s has no indicator at all (no
 * import yet). (evaluate_meta.c) */
char *cycle_unimported_meta(const struct cyc *c, const struct series *s);

/* Routes, in its own transaction, the notifications silences held whose
 * alerts no silence covers any more and that are still active: the latest
 * notifying event of each, once, marked released. 0, or -1 (logged,
 * nothing written). (release.c) */
int cycle_release(struct cyc *c);

/* Sends, in its own transaction, each active alert to the addresses that
 * a route gives it and that were never told of its current episode, once,
 * as already active; looks only when the routing or the silences changed
 * since it last did. 0, or -1 (logged, nothing written). (catchup.c) */
int cycle_catchup(struct cyc *c, struct cycle_state *cs);

/* What an event of rule r (index ri) for unit ui at period at records for
 * the digests, from row (NULL for an alert the evaluation no longer
 * produces) and the lifecycle's step: sets the detail fields of e, whose
 * strings point into d until event_detail_free(d). (evaluate_detail.c) */
struct event_detail {
	char *terms, *points, *guidance_roles;
};
void event_detail_fill(const struct cyc *c, const struct series *s,
    const struct cells *cells, const struct rule *r, uint32_t ri, uint32_t ui, int32_t at,
    const struct eval_row *row, const struct lifecycle_step *st,
    struct event_in *e, struct event_detail *d);
void event_detail_free(struct event_detail *d);
/* The labels of rule r as a JSON object, and the last 12 values of rule
 * ri on unit up to period at as [[period, value|null]...]: new strings.
 * (evaluate_detail.c) */
char *event_labels_json(const struct rule *r);
char *event_history_json(const struct cyc *c, const struct series *s,
    const struct cells *cells, uint32_t rule, uint32_t unit, int32_t at);

/* Which alerts are active once an evaluation is recorded, for the rules
 * that an inhibited_by names (rules/inhibit.c): a row's alert is active
 * exactly when the row is (rules/lifecycle.c), an alert without a row is
 * not. (inhibit.c) */
struct inhibit {
	const struct ruleset *rs;
	size_t nunits;
	bool *active;	/* [rule * nunits + unit]; NULL: no rule inhibits */
};
void inhibit_init(struct inhibit *in, const struct ruleset *rs, size_t nunits,
    const struct eval_row *rows, size_t n);
void inhibit_free(struct inhibit *in);
/* The rules whose alert on unit ui, active after the evaluation, covers
 * the event of kind e of rule r there, into by[0..r->ninhibited_by):
 * their number. A resolution too: held as a silence holds it, it goes,
 * once that alert ends, to the addresses that were told the alert was
 * active, and to none that never knew it (release.c). */
size_t inhibit_of(const struct inhibit *in, const struct rule *r, int32_t ui,
    enum lifecycle_event e, const struct rule **by);

/* Deletes what is older than the configuration's retention (SPEC 3), in
 * its own transaction; logs the counts. 0, or -1 (logged, nothing
 * deleted). (purge.c) */
int cycle_purge(struct cyc *c, struct cycle_state *cs);

/* Queues the scheduled works council report once its span is over and its
 * data is in (report: in the configuration). 0, or -1 (nothing written).
 * (schedule.c) */
int cycle_report_due(struct cyc *c);

#endif
