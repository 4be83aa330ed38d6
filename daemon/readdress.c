/* Messages whose recipient left the configuration (daemon/cycle_impl.h).
 * A message is written for one address or webhook of one role; when a
 * reload (or a fix before `vigie retry --failed`) removes that target from
 * every route of its role before it was delivered, sending it there would
 * tell a person who is no longer concerned and leave the new one in the
 * dark. Its events go instead to the recipients the role's routing gives
 * them today (SPEC 9: the first route whose scope matches the unit), in
 * this cycle's messages, and the old message is marked readdressed, in one
 * transaction. An event whose rule no longer notifies the role, or left
 * the rule set, goes nowhere: the role is no longer told of it. */
#include <stdio.h>
#include <stdlib.h>
#include "cycle_impl.h"
#include "vigie/log.h"
#include "vigie/route.h"
#include "vigie/xalloc.h"

static int readdress_one(struct cyc *c, const struct outbox_undelivered *m)
{
	struct message_event *ev = NULL;
	size_t n = 0;
	char why[512];
	int rc = 0;

	if (store_message_events(c->st, m->id, &ev, &n) != 0)
		return -1;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct rule *r;

		if (ev[i].system)
			rc = route_system_event(c->rt, ev[i].event, m->role);
		else if (ev[i].rule && ev[i].unit && (r = ruleset_find(c->rs, ev[i].rule)))
			rc = route_alert_event_role(c->rt, ev[i].event, r, ev[i].unit, m->role);
	}
	store_message_events_free(ev, n);
	snprintf(why, sizeof(why), "readdressed: %s is no longer a recipient of %s",
	    m->target, m->role);
	return rc == 0 ? store_message_readdressed(c->st, m->id, why) : -1;
}

int cycle_readdress(struct cyc *c)
{
	struct outbox_undelivered *v = NULL;
	size_t n = 0, k = 0;
	bool *gone;
	int rc = -1;

	/* Most cycles find every target still configured: they look
	 * without taking the write lock. */
	if (store_outbox_undelivered(c->st, &v, &n) != 0) {
		log_err("cannot read the pending notifications: %s", store_errmsg(c->st));
		return -1;
	}
	gone = xcalloc(n ? n : 1, sizeof(*gone));
	for (size_t i = 0; i < n; i++)
		k += gone[i] = !route_role_has(c->cfg, v[i].role, v[i].channel, v[i].target);
	if (k == 0) {
		rc = 0;
		goto out;
	}
	if (store_begin(c->st) != 0)
		goto fail;
	for (size_t i = 0; i < n; i++)
		if (gone[i] && readdress_one(c, &v[i]) != 0) {
			store_rollback(c->st);
			cycle_rolled_back(c);
			goto fail;
		}
	if (store_commit(c->st) != 0) {
		store_rollback(c->st);
		cycle_rolled_back(c);
		goto fail;
	}
	for (size_t i = 0; i < n; i++)
		if (gone[i])
			log_info("notification %lld by %s to %s readdressed: no longer a "
			    "recipient of %s", (long long)v[i].id, v[i].channel, v[i].target,
			    v[i].role);
	rc = 0;
	goto out;
fail:
	log_err("cannot readdress the notifications whose recipient left the "
	    "configuration: %s", store_errmsg(c->st));
out:
	free(gone);
	store_outbox_undelivered_free(v, n);
	return rc;
}
