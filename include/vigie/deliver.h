/* Delivery of the outbox (message rows written by the cycle in the same
 * transaction as the transitions): email over SMTP and webhooks, with
 * retries, backoff and the record of every attempt. */
#ifndef VIGIE_DELIVER_H
#define VIGIE_DELIVER_H

#include <stdbool.h>
#include <time.h>
#include "vigie/config.h"
#include "vigie/store.h"

struct deliver_stats {
	int sent, retried, failed, pending;
};

/* Attempts every pending message whose next attempt is due at `now` (every
 * pending one when force is true, as `vigied --once` does). Records each
 * attempt and its outcome; a success is committed before anything else may
 * resend it. tick (may be NULL) is called regularly while waiting on the
 * network, for the watchdog. Returns 0, or -1 on a database error. */
int deliver_pending(struct store *st, const struct config *cfg, bool force,
    time_t now, void (*tick)(void *), void *tick_arg, struct deliver_stats *stats);

#endif
