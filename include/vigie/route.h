/* Routing (SPEC 9): which outbox messages an event goes into. For each role
 * of the rule (or the default roles), the first route whose scope matches
 * the unit gives the email addresses and webhooks; a system event (stale,
 * fresh, rejected) takes the role's route that covers every unit. A cycle
 * writes one message per target (a digest), split every
 * ROUTE_MESSAGE_MAX_ITEMS events so that no message grows without bound. */
#ifndef VIGIE_ROUTE_H
#define VIGIE_ROUTE_H

#include <stdint.h>
#include "vigie/config.h"
#include "vigie/rules.h"
#include "vigie/store.h"
#include "vigie/store_outbox.h"

#define ROUTE_MESSAGE_MAX_ITEMS 500

/* This cycle's open messages. */
struct route;

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
/* Adds a system event to the messages of role (nothing when the role is not
 * configured). 0 or -1. */
int route_system_event(struct route *rt, int64_t event, const char *role);

#endif
