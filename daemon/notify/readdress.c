/* Readdressing (include/vigie/retry.h): when `vigie retry` finds a
 * notification whose recipient is no longer in the configuration (an
 * address corrected, a person gone), its alerts go to the recipients that
 * today's routing gives them and that do not have them yet, in new
 * messages of the same cycle, and the old one is set aside instead of
 * being sent again to an address nobody reads, or somebody who left. The
 * daemon does the same for what is pending before each delivery. Each
 * event is routed on its own (a digest carries the events of every role
 * its address serves), through the rule's roles of today and the alert's
 * unit of today (vigie rename moves a team, perhaps to another site's
 * route); a system
 * notice (a file rejected or to check, missing data) through its role's
 * (route_system_role), as the cycle routed it. A message that carries
 * anything else (an alert of a rule gone, a report) keeps its target. */
#include <stdlib.h>
#include <string.h>
#include "vigie/lifecycle.h"
#include "vigie/log.h"
#include "vigie/retry.h"
#include "vigie/route.h"
#include "vigie/store_outbox.h"

/* Whether kind names a lifecycle event (what route_alert_event routes). */
static bool alert_kind(const char *kind)
{
	for (int e = LC_FIRING; e <= LC_REMINDER; e++)
		if (!strcmp(kind, lifecycle_event_name((enum lifecycle_event)e)))
			return true;
	return false;
}

/* The rule of item x when it is an alert event of a rule of today's set,
 * else NULL. */
static const struct rule *rule_of(const struct ruleset *rs,
    const struct outbox_item *x)
{
	return x->alert && alert_kind(x->kind) ? ruleset_find(rs, x->rule) : NULL;
}

/* Whether message (channel, target) with items v goes elsewhere today:
 * every item an alert of a rule of today's set or a system notice of a
 * role of today, none of them routed to that target any more. */
static bool moved(const struct config *cfg, const struct ruleset *rs,
    const struct outbox_cand *m, const struct outbox_item *v, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		const struct rule *r = rule_of(rs, &v[i]);
		const char *role = v[i].alert ? NULL : route_system_role(cfg, v[i].kind);

		if (r ? route_reaches(cfg, r, v[i].unit, m->channel, m->target) :
		    !role || route_system_reaches(cfg, role, m->channel, m->target))
			return false;
	}
	return true;
}

int retry_readdress(struct store *st, const struct config *cfg,
    const struct ruleset *rs, bool failed, int64_t since, int64_t now,
    struct readdressed *out)
{
	struct outbox_cand *m = NULL;
	struct outbox_item *v = NULL;
	struct route *rt = NULL;
	struct store_cycle c = { 0 };
	size_t nm = 0, n = 0;
	int rc = -1;

	*out = (struct readdressed){ 0 };
	if (store_outbox_retry_candidates(st, failed, since, now, &m, &nm) != 0)
		return -1;
	for (size_t k = 0; k < nm; k++) {
		/* Its first event tells most messages apart (still going
		 * to their target): the others are read only then. */
		if (store_message_items(st, m[k].id, 1, &v, &n) != 0)
			goto out;
		if (moved(cfg, rs, &m[k], v, n)) {
			store_message_items_free(v, n);
			v = NULL;
			n = 0;
			if (store_message_items(st, m[k].id, 0, &v, &n) != 0)
				goto out;
		}
		if (moved(cfg, rs, &m[k], v, n)) {
			/* One router per cycle: the events of one cycle that
			 * go to one new target share its message. */
			if (!rt || c.id != m[k].cycle) {
				if (rt)
					out->created += route_created(rt);
				route_free(rt);
				c = (struct store_cycle){ .id = m[k].cycle, .now = now };
				rt = route_new(st, cfg, &c);
				route_only_new_targets(rt);
			}
			for (size_t i = 0; i < n; i++) {
				const struct rule *r = rule_of(rs, &v[i]);

				route_as_catchup(rt, v[i].catchup);
				if ((r ? route_alert_event(rt, v[i].event, r, v[i].unit) :
				    route_system_event(rt, v[i].event,
				    route_system_role(cfg, v[i].kind))) != 0)
					goto out;
			}
			if (store_outbox_set_aside(st, m[k].id, now) != 0)
				goto out;
			out->set_aside++;
		}
		store_message_items_free(v, n);
		v = NULL;
		n = 0;
	}
	if (rt)
		out->created += route_created(rt);
	rc = 0;
out:
	route_free(rt);
	store_message_items_free(v, n);
	store_outbox_cand_free(m, nm);
	return rc;
}

int retry_readdress_pending(struct store *st, const struct config *cfg,
    const struct ruleset *rs, int64_t now)
{
	struct readdressed m;
	struct outbox_cand *v = NULL;
	size_t n = 0;

	/* Most deliveries have nothing pending: they look without taking
	 * the write lock. */
	if (!rs)
		return 0;
	if (store_outbox_retry_candidates(st, false, 0, now, &v, &n) == 0) {
		store_outbox_cand_free(v, n);
		if (n == 0)
			return 0;
	}
	if (store_begin(st) != 0 || retry_readdress(st, cfg, rs, false, 0, now, &m) != 0 ||
	    store_commit(st) != 0) {
		log_err("cannot readdress the notifications whose recipient left the "
		    "configuration: %s", store_errmsg(st));
		store_rollback(st);
		return -1;
	}
	if (m.set_aside)
		log_info("%zu notification%s whose recipient is no longer in the configuration "
		    "readdressed: %zu new notification%s to today's recipients", m.set_aside,
		    m.set_aside > 1 ? "s" : "", m.created, m.created > 1 ? "s" : "");
	return 0;
}
