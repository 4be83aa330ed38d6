/* Delivery of the outbox (message rows written by the cycle in the same
 * transaction as the transitions): email over SMTP and webhooks, with
 * retries, backoff and the record of every attempt. */
#ifndef VIGIE_DELIVER_H
#define VIGIE_DELIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include "vigie/config.h"
#include "vigie/notice.h"
#include "vigie/progress.h"
#include "vigie/rules.h"
#include "vigie/store.h"

struct deliver_stats {
	int sent, retried, failed, pending;
};

/* Attempts every pending message whose next attempt is due at `now` (every
 * pending one when force is true, as `vigied --once` does). An email's
 * digest also gets, as context notices, the unchanged alerts of
 * descendants its parents' alerts fold into (SPEC 16), routed by the rules
 * of rs (NULL: no context). Records each
 * attempt and its outcome; a success is committed before anything else may
 * resend it. tick (may be NULL; progress.h) is called regularly while
 * waiting on the network, for the watchdog; once it answers true (the
 * process is asked to stop), no new transfer starts and those in flight
 * are abandoned: their claims are released and nothing is recorded, so
 * they are attempted again at the next run as if this one had not
 * started them. Returns 0, or -1 on a database error. */
int deliver_pending(struct store *st, const struct config *cfg,
    const struct ruleset *rs, bool force, time_t now, progress_fn *tick,
    void *tick_arg, struct deliver_stats *stats);

/* The outcome of one attempt. */
struct send_result {
	bool ok;
	bool retryable;		/* meaningful when !ok */
	bool config;		/* !ok for a configuration reason (a secret, the
				   sender, authentication, an unknown webhook):
				   held until that configuration changes */
	long status;		/* HTTP or SMTP code, 0 if none */
	long retry_after;	/* seconds asked by the server, 0 if none */
	bool abandoned;		/* !ok: stopped before an answer, because the
				   process is asked to stop (not an attempt) */
	char error[512];	/* when !ok: what went wrong, one line */
};

/* Sends notices synchronously through one channel ("email": target is an
 * address; "webhook": target is a webhook name) with the same transport as
 * deliver_pending, for `vigie notify-test`. uid: Message-ID / webhook-id.
 * Returns 0 when sent, -1 with *res describing the failure. */
int deliver_send_now(const struct config *cfg, const char *channel,
    const char *target, const char *uid, const struct notice *v, size_t n,
    struct send_result *res);

#endif
