/* Private to daemon/notify/: one transfer (an email to one address or a
 * POST to one webhook) and the secrets its preparation reads, shared by the
 * outbox delivery (deliver.c) and the transfers themselves (send.c). */
#ifndef VIGIE_NOTIFY_IMPL_H
#define VIGIE_NOTIFY_IMPL_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include "vigie/config.h"
#include "vigie/deliver.h"
#include "vigie/notice.h"
#include "vigie/transport.h"

struct xfer {
	struct transport t;	/* t.h is NULL when it could not be prepared */
	struct curl_slist *rcpt, *headers;
	char *payload;
	size_t len, off;
	bool is_mail;
	struct send_result res;
	/* outbox bookkeeping; msg_id 0 for the Alertmanager refresh */
	int64_t msg_id;
	int attempts;
	time_t created_at;
	char *target;
	const char *channel;	/* "email" or "webhook" (static) */
};

/* Secrets, read once per delivery run: an unreadable one is the reason of
 * failure of every message that needs it. */
struct secrets {
	char *smtp;
	char *smtp_err;
	bool smtp_done;
	char **wh, **wh_err;
	bool *wh_done;
};
void secrets_init(struct secrets *s, const struct config *cfg);
void secrets_free(struct secrets *s, const struct config *cfg);

/* The transfer of notices v[0..n) through channel ("email": target is an
 * address; "webhook": a webhook name), uid the Message-ID / webhook-id.
 * Never NULL; when it cannot even be prepared, x->t.h is NULL and x->res
 * says why. Caller frees with send_free (send_run does it). */
struct xfer *send_prepare(const struct config *cfg, struct secrets *sec,
    const char *channel, const char *target, const char *uid,
    const struct notice *v, size_t n, void (*tick)(void *), void *tick_arg);
void send_free(struct xfer *x);
/* Runs transfers side by side, at most 32 at once: next() gives the next
 * prepared transfer (NULL when there is none left), so that a message is
 * rendered only when it is about to go; done() sees each one finished,
 * with x->res filled, just before it is freed; tick() is called at least
 * every second. */
void send_run(struct xfer *(*next)(void *), void *next_arg,
    void (*tick)(void *), void *tick_arg,
    void (*done)(struct xfer *, void *), void *arg);

#endif
