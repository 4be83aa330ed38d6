/* Webhook payloads (SPEC 9): generic JSON, Slack, Mattermost, Microsoft
 * Teams (Adaptive Card via a Workflows webhook) and Alertmanager's
 * /api/v2/alerts, in full or minimal detail, split in order at each
 * receiver's limit; plus Standard Webhooks signatures. */
#ifndef VIGIE_WEBHOOK_H
#define VIGIE_WEBHOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>
#include "vigie/config.h"
#include "vigie/notice.h"
#include "vigie/rules.h"	/* enum locale */

/* How one message is rendered. */
struct webhook_render {
	enum webhook_format format;
	enum webhook_detail detail;	/* minimal: no value, history, summary,
					   guidance, only what names the alert */
	const char *instance;	/* Alertmanager's instance label, or NULL */
	enum locale loc;
	time_t now;		/* sent_at; Alertmanager's startsAt and endsAt */
	long am_ttl_s;		/* Alertmanager: an active alert's endsAt is
				   now + am_ttl_s (3 h when <= 0) */
	const char *web_url;	/* the web console, for links; NULL: none */
};
/* The render settings of webhook w in configuration cfg at now. */
struct webhook_render webhook_render_of(const struct webhook_config *w,
    const struct config *cfg, time_t now);

/* What a receiver accepts in one message: bytes of body and notices (0: no
 * limit). Teams: 28,000 bytes; Slack: 49 notices (50 blocks with the
 * header); Mattermost: 16,000 bytes; generic and Alertmanager: none. */
struct webhook_limit {
	size_t max_bytes, max_items;
};
struct webhook_limit webhook_limit_of(enum webhook_format f);

/* The JSON body of one POST carrying notices v[0..n), whatever its size.
 * Caller frees. */
char *webhook_payload(const struct webhook_render *r, const struct notice *v, size_t n);
/* The bodies of one message: v[0..n) split in order into as few parts as
 * the receiver's limit allows, each a complete message (with " (k/n)" in
 * its title when there are several); the split depends on v and r only,
 * so a retry gives the same parts. Returns *nparts (>= 1) new strings;
 * free with webhook_parts_free. */
char **webhook_parts(const struct webhook_render *r, const struct notice *v, size_t n,
    size_t *nparts);
void webhook_parts_free(char **parts, size_t n);

/* Whether format f is one body however many notices (generic,
 * Alertmanager), which can then be written to f piece by piece, for a
 * message too large to hold in memory: its opening, each notice (*first
 * true before the first one), its closing. The bytes are
 * webhook_payload's. */
bool webhook_streamed(enum webhook_format f);
void webhook_stream_open(const struct webhook_render *r, FILE *f);
void webhook_stream_add(const struct webhook_render *r, const struct notice *x,
    bool *first, FILE *f);
void webhook_stream_close(const struct webhook_render *r, FILE *f);

/* The URL to POST to: the configured one, with "/api/v2/alerts" appended
 * for Alertmanager unless already there. Caller frees. */
char *webhook_post_url(const struct webhook_config *w);
/* Standard Webhooks: "v1," + base64(HMAC-SHA256(key, "ID.TS.BODY")), where
 * the key is decoded by secret_webhook_key (secret.h). Writes into out (at
 * least 64 bytes). Returns 0, -1 when the secret is not a valid key, or -2
 * (errno set) when the signature cannot be computed: the body cannot be
 * read, or the crypto library fails. */
int webhook_sign(const char *secret, const char *id, long long ts,
    const char *body, size_t len, char *out, size_t size);
/* The same, the body read from file f (from its start). */
int webhook_sign_file(const char *secret, const char *id, long long ts, FILE *body,
    char *out, size_t size);

#endif
