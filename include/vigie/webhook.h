/* Webhook payloads (SPEC 9): generic JSON, Slack/Mattermost, Microsoft
 * Teams (Adaptive Card via a Workflows webhook) and Alertmanager's
 * /api/v2/alerts, plus Standard Webhooks signatures. */
#ifndef VIGIE_WEBHOOK_H
#define VIGIE_WEBHOOK_H

#include <stddef.h>
#include <time.h>
#include "vigie/config.h"
#include "vigie/notice.h"
#include "vigie/rules.h"	/* enum locale */

/* The JSON body of one POST carrying notices v[0..n). now: the sent_at
 * time; am_ttl_s: for Alertmanager, how long an active alert stays active
 * without being sent again (endsAt = now + am_ttl_s). Caller frees. */
char *webhook_payload(enum webhook_format fmt, const struct notice *v, size_t n,
    enum locale loc, time_t now, long am_ttl_s);
/* The URL to POST to: the configured one, with "/api/v2/alerts" appended
 * for Alertmanager unless already there. Caller frees. */
char *webhook_post_url(const struct webhook_config *w);
/* Standard Webhooks: "v1," + base64(HMAC-SHA256(key, "ID.TS.BODY")), where
 * the key is the base64 after "whsec_" in secret. Writes into out (at least
 * 64 bytes). Returns 0, or -1 when the secret is not valid base64. */
int webhook_sign(const char *secret, const char *id, long long ts,
    const char *body, size_t len, char *out, size_t size);

#endif
