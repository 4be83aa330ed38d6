/* Private to the webhook renderers (daemon/notify/webhook*.c): the JSON
 * pieces they share and one renderer per receiver. webhook.c splits a
 * message at its receiver's limit and calls the renderer once per part, so
 * every renderer only has to close a complete message for the notices it
 * is given. */
#ifndef VIGIE_WEBHOOK_IMPL_H
#define VIGIE_WEBHOOK_IMPL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "vigie/webhook.h"

/* Part k of n (from 1) of a message; n <= 1: the message is whole. */
struct wh_part {
	size_t k, n;
};

/* A JSON string, NULL as null; invalid UTF-8 cleaned. */
json_t *wh_str(const char *s);
/* A number, or null when there is none (hidden) or it is not finite. */
json_t *wh_num(bool has, double x);
/* A notice that ends something: a resolution, data back. */
bool wh_resolved(const struct notice *x);
/* "12,6 (seuil 9)", "12,6" or "valeur masquée", into buf. */
void wh_value_text(char *buf, size_t size, const struct notice *x, enum locale loc);
/* The name of a system event (no rule), Alertmanager's alertname:
 * vigie-stale-data (missing data, and its end), vigie-rejected-file,
 * vigie-file-warnings, vigie-test. */
const char *wh_system_name(const struct notice *x);
/* "RULE@UNIT"; a system event's name, with ":FILE" for an inbox file's.
 * Caller frees. */
char *wh_alert_id(const struct notice *x);
/* The rule's labels as a new JSON object (empty when none). */
json_t *wh_labels(const struct notice *x);
/* The compact JSON text of j, which it releases. Caller frees. */
char *wh_dump(json_t *j);
/* j's compact text written to f as an element of an array, after a comma
 * unless *first (then cleared); j is released. */
void wh_put(json_t *j, bool *first, FILE *f);
/* The console's page of notice x, or NULL without web_url. Caller frees. */
char *wh_link(const struct webhook_render *r, const struct notice *x);
/* The digest's subject, with " (k/n)" for a part. Caller frees. */
char *wh_subject(const struct webhook_render *r, const struct notice *v, size_t n,
    struct wh_part p);
/* Alertmanager's array written piece by piece (webhook_am.c): notice x as
 * one alert, or two when it ends one severity and starts another, each
 * after a comma unless *first (then cleared). The array's brackets are
 * webhook_stream_open's and webhook_stream_close's. */
void wh_am_add(const struct webhook_render *r, const struct notice *x, bool *first, FILE *f);
/* Text cut to at most max bytes on a character boundary, with "…" when
 * cut. Caller frees. */
char *wh_clip(const char *s, size_t max);

/* The renderers: one complete message for v[0..n). Caller frees. */
char *wh_slack(const struct webhook_render *r, const struct notice *v, size_t n,
    struct wh_part p);
char *wh_mattermost(const struct webhook_render *r, const struct notice *v, size_t n,
    struct wh_part p);
char *wh_teams(const struct webhook_render *r, const struct notice *v, size_t n,
    struct wh_part p);

#endif
