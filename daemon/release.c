/* What a silence held, released (daemon/cycle_impl.h). A silence holds an
 * alert's notifications, it does not drop them (SPEC 9): the evaluation
 * records a silenced alert's events without routing them, and once no
 * silence covers the alert any more (the silence's period passed, or
 * `vigie unsilence` removed it) while the alert is still active, the latest
 * notifying event of its episode goes out at this cycle, in its digests.
 * Routing the event and marking it released are one transaction, so it
 * goes out once: not again at the next cycle, not after a crash. An alert
 * that fired and resolved within its silence owes nothing; one whose
 * firing went out before the silence owes its resolution, or its
 * recipients would believe it active still. An event recorded after the
 * silence ended was routed when it was recorded: only the latest
 * notifying event counts. This runs at every cycle, the evaluation's or
 * not: removing a silence changes no input of the evaluation. An
 * inhibition (inhibited_by) holds the same way, until no alert of the
 * rules it names is active on the unit, but for the recipients that the
 * inhibiting alert reaches only (the others had the event when it was
 * recorded): the alert then goes to those that do not have the event yet,
 * as it stands, already active (a catch-up item: its figures of now,
 * « déjà en cours »), not as the change of months ago that was held; so
 * an address that had the alert before its cover began learns that it
 * escalated meanwhile. A resolution held so goes to each address that
 * was told the episode was active (a message not set aside carries one
 * of its events there), and to no address that never knew it: a
 * silence's rule, asked of each address. */
#include <stdlib.h>
#include <string.h>
#include "cycle_impl.h"
#include "vigie/log.h"
#include "vigie/store_alerts.h"
#include "vigie/store_silences.h"
#include "vigie/xalloc.h"

/* Whether an alert of a rule r->inhibited_by names is active on unit. */
static bool inhibited(struct cyc *c, const struct rule *r, const char *unit)
{
	const struct rule **by;
	size_t k;

	if (!r->ninhibited_by)
		return false;
	by = xcalloc(r->ninhibited_by, sizeof(*by));
	k = rule_inhibitors(c->rs, r, unit, store_alert_active, c->st, by);
	free(by);
	return k > 0;
}

/* The events held for alerts that no silence covers any more, in v[0..n)
 * with due[i] set for them. Their number, or -1. */
static ssize_t held_load(struct cyc *c, struct silenced_event **v, size_t *n,
    bool **due)
{
	struct silence *sil = NULL;
	size_t nsil = 0;
	ssize_t k = 0;

	*due = NULL;
	if (store_silenced_events(c->st, v, n) != 0)
		return -1;
	if (*n > 0 && store_silences_load(c->st, &sil, &nsil) != 0)
		return -1;
	*due = xcalloc(*n ? *n : 1, sizeof(**due));
	for (size_t i = 0; i < *n; i++) {
		/* Without its rule the alert is retired, not active: its
		 * recipients are the rule's to say. */
		const struct rule *r = ruleset_find(c->rs, (*v)[i].rule);

		(*due)[i] = r && !inhibited(c, r, (*v)[i].unit) &&
		    !lifecycle_silenced(sil, nsil, (*v)[i].rule, (*v)[i].unit, (*v)[i].period);
		k += (*due)[i];
	}
	store_silences_free(sil, nsil);
	return k;
}

int cycle_release(struct cyc *c)
{
	struct silenced_event *v = NULL;
	size_t n = 0;
	bool *due = NULL;
	ssize_t k;
	enum granularity g = store_granularity(c->st);
	int rc = -1;

	/* Most cycles have nothing to release: they look without taking the
	 * write lock, and write nothing. */
	k = held_load(c, &v, &n, &due);
	store_silenced_events_free(v, n);
	free(due);
	v = NULL;
	n = 0;
	due = NULL;
	if (k <= 0) {
		if (k < 0)
			log_err("cannot read the notifications silences held: %s",
			    store_errmsg(c->st));
		return (int)k;
	}
	if (store_begin(c->st) != 0 || (k = held_load(c, &v, &n, &due)) < 0)
		goto rollback;
	for (size_t i = 0; i < n; i++) {
		bool as_is = v[i].inhibited_by && strcmp(v[i].kind, "resolved");
		int rr;

		if (!due[i])
			continue;
		route_as_catchup(c->rt, as_is);
		if (v[i].inhibited_by)
			route_release(c->rt, true, as_is ? 0 : v[i].alert, v[i].episode);
		rr = route_alert_event(c->rt, v[i].event, ruleset_find(c->rs, v[i].rule),
		    v[i].unit);
		route_release(c->rt, false, 0, 0);
		route_as_catchup(c->rt, false);
		if (rr != 0 || store_event_release(c->st, &c->row, v[i].event) != 0)
			goto rollback;
	}
	if (k == 0) {
		store_rollback(c->st);	/* read only: nothing to undo */
		rc = 0;
		goto out;
	}
	if (store_commit(c->st) != 0)
		goto rollback;
	for (size_t i = 0; i < n; i++) {
		char pb[PERIOD_BUFSZ];

		if (due[i])
			log_alert(LOG_NOTICE, v[i].rule, v[i].unit, NULL,
			    "%s@%s %s at %s: no %s holds it any more, notified now%s",
			    v[i].rule, v[i].unit, v[i].kind,
			    period_format(g, v[i].event_period, pb), v[i].inhibited_by ?
			    "active alert of the rules it is inhibited by" : "silence",
			    !v[i].inhibited_by ? "" : strcmp(v[i].kind, "resolved") ?
			    " to the recipients it held it for" :
			    " to the recipients it held it for that were told it was active");
	}
	rc = 0;
	goto out;
rollback:
	log_err("cannot release the notifications silences held: %s",
	    store_errmsg(c->st));
	store_rollback(c->st);
	cycle_rolled_back(c);
out:
	free(due);
	store_silenced_events_free(v, n);
	return rc;
}
