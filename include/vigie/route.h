/* Routing (SPEC 9): which outbox messages an event goes into. For each role
 * of the rule (or the default roles), the first route whose scope matches
 * the unit gives the email addresses and webhooks; a system event (stale,
 * fresh, rejected) takes the role's route that covers every unit. A cycle
 * writes one message per target (a digest of all its events, SPEC 9); a
 * webhook whose receiver takes less is split when it is sent (webhook.h).
 * The one bound: an email carries at most ROUTE_MAIL_MAX_ITEMS events, past
 * which the cycle starts another email to that address. Its HTML part takes
 * about 10 KB per alert, so this keeps a digest under the 10 MB that
 * Postfix accepts by default (message_size_limit), the smallest limit in
 * common use: a server refuses a larger message whole, and the digest
 * would never arrive. */
#ifndef VIGIE_ROUTE_H
#define VIGIE_ROUTE_H

#include <stdbool.h>
#include <stdint.h>
#include "vigie/config.h"
#include "vigie/rules.h"
#include "vigie/store.h"
#include "vigie/store_outbox.h"

/* This cycle's open messages. */
struct route;

#define ROUTE_MAIL_MAX_ITEMS 800

/* A new router writing into cycle c of st (caller frees with route_free). */
struct route *route_new(struct store *st, const struct config *cfg,
    struct store_cycle *c);
void route_free(struct route *rt);
/* Forgets the messages opened so far: the transaction that wrote them was
 * rolled back. */
void route_reset(struct route *rt);
/* From now on, an event goes only to the targets that no message carries
 * it to yet (vigie retry readdressing; readdress.c). */
void route_only_new_targets(struct route *rt);
/* From now on, the events routed go as alerts already active first sent
 * to their targets (route_catchup), or, with false, as the changes they
 * are: a readdressed catch-up stays one (readdress.c). */
void route_as_catchup(struct route *rt, bool catchup);
/* With release, from now on (until route_release(rt, false, 0, 0)), an
 * event goes only to the targets that no message carries it to yet: what
 * an inhibition held, released for the recipients it was held for
 * (daemon/release.c); and with alert (a resolution), only to those that a
 * message not set aside carries an event of that alert's episode to, the
 * one that began with event `episode` (store_owed_told): who never knew
 * the alert active is not told it ended. */
void route_release(struct route *rt, bool release, int64_t alert, int64_t episode);
/* From now on, route_alert_event skips the targets that the alerts of
 * rules by[0..n) on the event's unit reach: an inhibition (inhibited_by),
 * whose recipients hear of the event's alert inside those alerts'
 * messages. by is borrowed until route_except(rt, NULL, 0) ends it. */
void route_except(struct route *rt, const struct rule *const *by, size_t n);
/* Whether every target that rule r's events on unit go to is one that the
 * alerts of by[0..n) on unit reach: the inhibition holds them for all. */
bool route_covered(const struct config *cfg, const struct rule *r, const char *unit,
    const struct rule *const *by, size_t n);
/* How many messages this router has written. */
size_t route_created(const struct route *rt);
/* Adds event (of rule r for unit) to the messages of its recipients; to
 * their webhooks only when it is an improvement of an alert closed with
 * an outcome (store_event_unmailed: no email says it). 0 or -1 (database
 * error). */
int route_alert_event(struct route *rt, int64_t event, const struct rule *r,
    const char *unit);
/* Adds event, of an alert already active, to the message of (channel,
 * target) as sent to that target for the first time (daemon/catchup.c):
 * the digest shows the alert as it stands, not as that event's change.
 * Nothing when the message already carries the event. 0 or -1. */
int route_catchup(struct route *rt, int64_t event, const char *role,
    const char *channel, const char *target);
/* The route that gives role's recipients for unit: the first whose scope
 * matches (SPEC 9), as route_alert_event takes it; NULL when none does or
 * the role is not configured. */
const struct route_config *route_of_role(const struct config *cfg, const char *role,
    const char *unit);
/* Whether the events of rule r for unit go to target of channel ("email":
 * an address, "webhook": a webhook's name): the routing of
 * route_alert_event, asked of one target. */
bool route_reaches(const struct config *cfg, const struct rule *r,
    const char *unit, const char *channel, const char *target);
/* Adds a system event to the messages of role (nothing when the role is not
 * configured). 0 or -1. */
int route_system_event(struct route *rt, int64_t event, const char *role);
/* Whether the system events of role go to target of channel: the routing
 * of route_system_event, asked of one target. */
bool route_system_reaches(const struct config *cfg, const char *role,
    const char *channel, const char *target);
/* The role that hears of missing data (stale, fresh): ops when configured,
 * else hr. Not freed. */
const char *route_missing_data_role(const struct config *cfg);
/* The role a system event of kind goes to under cfg: a file rejected or
 * imported with warnings (rejected, warned) to ops when configured, missing
 * data (stale, fresh) to route_missing_data_role; NULL for the others (a
 * report goes to its own recipients) and when there is none. Not freed. */
const char *route_system_role(const struct config *cfg, const char *kind);
/* Adds to w one warning per role that a rule notifies (its notify, else
 * default_notify) and that recipients: does not define, at the first such
 * rule: those alerts reach no one in that role; none when recipients:
 * defines no role at all. A rule file is valid
 * whatever roles a deployment defines; a deployment is told. Returns the
 * number of warnings. */
size_t route_undefined_roles(const struct config *cfg, const struct ruleset *rs,
    struct diags *w);
/* Adds to w one warning per route of recipients: that takes no alert: one
 * after a route with the scope "**" (the first route whose scope matches
 * wins), and, once imports have stored units (units: the n paths stored
 * and their ancestors, unit_closure), one that is first for none of the
 * units it matches, and each scope glob that matches none of them, with
 * the closest glob that would. Returns the number of warnings. */
size_t route_check_scopes(const struct config *cfg, char *const *units,
    size_t n, struct diags *w);

#endif
