/* Delivery of the outbox (message rows written by the cycle in the same
 * transaction as the transitions): email over SMTP and webhooks, with
 * retries, backoff and the record of every attempt. */
#ifndef VIGIE_DELIVER_H
#define VIGIE_DELIVER_H

#include <stdbool.h>
#include <stddef.h>
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

/* One event as a message carries it (an `event` row, ready to render by
 * mail.c and webhook.c). Strings may be NULL except kind. */
#define NOTICE_HISTORY_MAX 24
struct notice_point {
	char period[16];
	bool defined;
	double value;
};
struct notice {
	char *kind;		/* firing escalated deescalated resolved reminder
				   stale fresh rejected test */
	char *rule, *unit, *period, *since;	/* periods already formatted */
	int32_t pindex;		/* period as an index (period.h), -1 if none */
	char *severity, *prev_severity;		/* "warning" | "critical" */
	bool has_value, has_threshold;	/* no value: hidden (anonymity floor) */
	double value, threshold;
	char *title, *summary, *guidance;
	char *labels;		/* JSON object text or NULL */
	struct notice_point history[NOTICE_HISTORY_MAX];
	size_t nhistory;
	int decimals;
	time_t at;		/* when the event was recorded */
};

/* The outcome of one attempt. */
struct send_result {
	bool ok;
	bool retryable;		/* meaningful when !ok */
	long status;		/* HTTP or SMTP code, 0 if none */
	long retry_after;	/* seconds asked by the server, 0 if none */
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
