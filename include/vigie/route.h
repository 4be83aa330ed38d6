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
/* Adds event (of rule r for unit) to the messages of its recipients.
 * 0 or -1 (database error). */
int route_alert_event(struct route *rt, int64_t event, const struct rule *r,
    const char *unit);
/* Whether the events of rule r for unit go to email address: the routing
 * of route_alert_event, asked of one address. */
bool route_reaches_email(const struct config *cfg, const struct rule *r,
    const char *unit, const char *address);
/* Adds a system event to the messages of role (nothing when the role is not
 * configured). 0 or -1. */
int route_system_event(struct route *rt, int64_t event, const char *role);

#endif
