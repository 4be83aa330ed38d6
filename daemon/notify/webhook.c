/* Webhook payloads (include/vigie/webhook.h). A message (one webhook, one
 * cycle) carries every notice of its digest; when its receiver cannot take
 * that much in one POST, it is split here, in order, into parts that each
 * renderer closes as a complete message (webhook_chat.c for Slack,
 * Mattermost and Teams, webhook_am.c for Alertmanager). The generic format
 * is the contract of SPEC 9, key by key, and lives here with the pieces
 * every renderer shares. Hidden values (anonymity floor) are JSON null;
 * minimal detail carries no figure at all. The signature follows the
 * Standard Webhooks specification so that receivers can use its libraries
 * to verify and to dedupe on webhook-id. */
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include "webhook_impl.h"
#include "vigie/secret.h"
#include "vigie/text.h"
#include "vigie/webhook.h"
#include "vigie/wording.h"
#include "vigie/xalloc.h"

char *webhook_post_url(const struct webhook_config *w)
{
	static const char suffix[] = "/api/v2/alerts";
	size_t n = strlen(w->url), sl = sizeof(suffix) - 1;
	char *out;

	if (w->format != WH_ALERTMANAGER)
		return strdup(w->url);
	/* The base, or the path itself (with or without a final slash). */
	while (n > 0 && w->url[n - 1] == '/')
		n--;
	if (n >= sl && !strncmp(w->url + n - sl, suffix, sl))
		n -= sl;
	if (asprintf(&out, "%.*s%s", (int)n, w->url, suffix) < 0)
		return NULL;
	return out;
}

/* HMAC-SHA256 over "ID.TIMESTAMP.BODY", the body from body[0..len) or,
 * when f is not NULL, read from f's start to its end. */
static int sign(const char *secret, const char *id, long long ts,
    const char *body, size_t len, FILE *f, char *out, size_t size)
{
	unsigned char key[SECRET_KEY_MAX], mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0;
	size_t klen;
	char prefix[64], buf[16384];
	EVP_MAC *m;
	EVP_MAC_CTX *c;
	OSSL_PARAM params[2];
	size_t outl = 0, k;
	int ok, err = 0;

	if (secret_webhook_key(secret, key, sizeof(key), &klen) != NULL) {
		OPENSSL_cleanse(key, sizeof(key));
		return -1;
	}
	m = EVP_MAC_fetch(NULL, "HMAC", NULL);
	c = m ? EVP_MAC_CTX_new(m) : NULL;
	params[0] = OSSL_PARAM_construct_utf8_string("digest", (char *)"SHA256", 0);
	params[1] = OSSL_PARAM_construct_end();
	snprintf(prefix, sizeof(prefix), ".%lld.", ts);
	ok = c && EVP_MAC_init(c, key, klen, params) == 1 &&
	    EVP_MAC_update(c, (const unsigned char *)id, strlen(id)) == 1 &&
	    EVP_MAC_update(c, (const unsigned char *)prefix, strlen(prefix)) == 1;
	if (ok && f) {
		rewind(f);
		while (ok && (k = fread(buf, 1, sizeof(buf), f)) > 0)
			ok = EVP_MAC_update(c, (unsigned char *)buf, k) == 1;
		if (ferror(f)) {
			err = errno ? errno : EIO;
			ok = 0;
		}
	} else if (ok) {
		ok = EVP_MAC_update(c, (const unsigned char *)body, len) == 1;
	}
	ok = ok && EVP_MAC_final(c, mac, &outl, sizeof(mac)) == 1;
	EVP_MAC_CTX_free(c);
	EVP_MAC_free(m);
	OPENSSL_cleanse(key, sizeof(key));
	if (!ok) {
		errno = err ? err : EIO;
		return -2;
	}
	maclen = (unsigned int)outl;
	if (size < 4 + 4 * ((maclen + 2) / 3) + 1) {
		errno = ERANGE;
		return -2;
	}
	memcpy(out, "v1,", 3);
	EVP_EncodeBlock((unsigned char *)out + 3, mac, (int)maclen);
	return 0;
}

int webhook_sign(const char *secret, const char *id, long long ts,
    const char *body, size_t len, char *out, size_t size)
{
	return sign(secret, id, ts, body, len, NULL, out, size);
}

int webhook_sign_file(const char *secret, const char *id, long long ts, FILE *body,
    char *out, size_t size)
{
	return sign(secret, id, ts, NULL, 0, body, out, size);
}

/* ---- shared pieces --------------------------------------------------- */

json_t *wh_str(const char *s)
{
	/* json_string() refuses invalid UTF-8: fall back on a cleaned copy. */
	json_t *j;

	if (!s)
		return json_null();
	j = json_string(s);
	if (!j) {
		char *c = xstrdup(s);

		for (unsigned char *p = (unsigned char *)c; *p; p++)
			if (*p >= 0x80)
				*p = '?';
		j = json_string(c);
		free(c);
	}
	return j;
}

json_t *wh_num(bool has, double x)
{
	return has && isfinite(x) ? json_real(x) : json_null();
}

bool wh_resolved(const struct notice *x)
{
	return !strcmp(x->kind, "resolved") || !strcmp(x->kind, "fresh");
}

void wh_value_text(char *buf, size_t size, const struct notice *x, enum locale loc)
{
	char v[64], t[64];
	int d = x->decimals < 0 ? 1 : x->decimals;

	if (!x->has_value) {
		snprintf(buf, size, "%s", x->absent ? WORD(loc, "données manquantes",
		    "missing data") : WORD(loc, "valeur masquée", "hidden value"));
		return;
	}
	/* Observed against expected, never an opaque score (SPEC 16), as
	 * the email says it. */
	if (x->has_observed) {
		format_number(v, sizeof(v), x->observed, figure_decimals(x->observed, 1), loc);
		if (x->has_expected) {
			format_number(t, sizeof(t), x->expected, figure_decimals(x->expected, 1),
			    loc);
			snprintf(buf, size, WORD(loc, "observé %s, attendu %s",
			    "observed %s, expected %s"), v, t);
		} else {
			snprintf(buf, size, WORD(loc, "observé %s", "observed %s"), v);
		}
		return;
	}
	format_number(v, sizeof(v), x->value, d, loc);
	if (x->has_threshold) {
		format_number(t, sizeof(t), x->threshold, d, loc);
		snprintf(buf, size, WORD(loc, "%s (seuil %s)", "%s (threshold %s)"), v, t);
	} else {
		snprintf(buf, size, "%s", v);
	}
}

const char *wh_system_name(const struct notice *x)
{
	if (!strcmp(x->kind, "stale") || !strcmp(x->kind, "fresh"))
		return "vigie-stale-data";
	if (!strcmp(x->kind, "rejected"))
		return "vigie-rejected-file";
	if (!strcmp(x->kind, "warned"))
		return "vigie-file-warnings";
	return "vigie-test";
}

char *wh_alert_id(const struct notice *x)
{
	if (!x->rule)
		return xasprintf("%s%s%s", wh_system_name(x), x->file ? ":" : "",
		    x->file ? x->file : "");
	return xasprintf("%s%s%s", x->rule, x->unit ? "@" : "", x->unit ? x->unit : "");
}

json_t *wh_labels(const struct notice *x)
{
	json_t *l = x->labels ? json_loads(x->labels, 0, NULL) : NULL;

	if (!json_is_object(l)) {
		json_decref(l);
		l = json_object();
	}
	return l;
}

char *wh_dump(json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | TEXT_JSON_REALS);

	json_decref(j);
	if (!s)
		xalloc_die();
	return s;
}

void wh_put(json_t *j, bool *first, FILE *f)
{
	char *s = wh_dump(j);

	if (!*first)
		fputc(',', f);
	*first = false;
	fputs(s, f);
	free(s);
}

/* An alert's page: URL/alerts/RULE@UNIT, the id percent-encoded but for
 * its slashes and "@"; the console's front page for a system event. */
char *wh_link(const struct webhook_render *r, const struct notice *x)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n;
	char *id, *buf = NULL;
	size_t len = 0;
	FILE *f;

	if (!r->web_url || !*r->web_url)
		return NULL;
	n = strlen(r->web_url);
	while (n > 0 && r->web_url[n - 1] == '/')
		n--;
	if (!x->rule || !x->unit)
		return xasprintf("%.*s/", (int)n, r->web_url);
	if (!(f = open_memstream(&buf, &len)))
		xalloc_die();
	fprintf(f, "%.*s/alerts/", (int)n, r->web_url);
	id = wh_alert_id(x);
	for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
		if (isalnum(*p) || strchr("-._~/@", *p))
			fputc(*p, f);
		else
			fprintf(f, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
	}
	free(id);
	if (fclose(f) != 0)
		xalloc_die();
	return buf;
}

char *wh_subject(const struct webhook_render *r, const struct notice *v, size_t n,
    struct wh_part p)
{
	char *s = wording_subject(v, n, r->loc), *c, *t;

	if (p.n <= 1)
		return s;
	/* The part's number survives a receiver that cuts a long title
	 * (Slack's header: 150 characters). */
	c = wh_clip(s, 120);
	t = xasprintf("%s (%zu/%zu)", c, p.k, p.n);
	free(c);
	free(s);
	return t;
}

char *wh_clip(const char *s, size_t max)
{
	size_t n = strlen(s), k;
	char *out;

	if (n <= max)
		return xstrdup(s);
	k = max >= 3 ? max - 3 : 0;
	while (k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
		k--;
	out = xmalloc(k + 4);
	memcpy(out, s, k);
	memcpy(out + k, "…", 4);
	return out;
}

/* ---- generic --------------------------------------------------------- */

/* A system event told as an alert's event, so that a receiver that keeps
 * one ticket per id and closes it on "resolved" does right: missing data
 * fires, and resolves when data is back; an inbox file fires, for a person
 * to close; a test is "test", not an alert. */
static const char *generic_event(const struct notice *x)
{
	if (x->rule)
		return x->kind;
	if (!strcmp(x->kind, "fresh"))
		return "resolved";
	if (!strcmp(x->kind, "test"))
		return "test";
	return "firing";
}

static json_t *generic_alert(const struct webhook_render *r, const struct notice *x)
{
	json_t *a = json_object(), *h;
	bool full = r->detail == DETAIL_FULL;
	char *id = wh_alert_id(x), *link = wh_link(r, x);

	json_object_set_new(a, "id", json_string(id));
	free(id);
	json_object_set_new(a, "event", wh_str(generic_event(x)));
	json_object_set_new(a, "rule", wh_str(x->rule));
	json_object_set_new(a, "title", wh_str(x->title));
	json_object_set_new(a, "unit", wh_str(x->unit));
	json_object_set_new(a, "period", wh_str(x->period));
	json_object_set_new(a, "severity", wh_str(x->severity));
	if (full) {
		json_object_set_new(a, "value", wh_num(x->has_value, x->value));
		json_object_set_new(a, "threshold", wh_num(x->has_threshold, x->threshold));
		json_object_set_new(a, "since", wh_str(x->since));
		json_object_set_new(a, "summary", wh_str(wording_summary(x)));
		json_object_set_new(a, "guidance", wh_str(x->guidance));
	}
	json_object_set_new(a, "labels", wh_labels(x));
	if (full) {
		h = json_array();
		for (size_t k = 0; k < x->nhistory; k++)
			json_array_append_new(h, json_pack("{s:s, s:o}", "period",
			    x->history[k].period, "value",
			    wh_num(x->history[k].defined, x->history[k].value)));
		json_object_set_new(a, "history", h);
	}
	if (link)
		json_object_set_new(a, "url", json_string(link));
	free(link);
	return a;
}

/* ---- streamed formats ------------------------------------------------ */

/* The generic body and Alertmanager's array are written alert by alert,
 * each dumped from a tree of its own: one message carries every alert of a
 * cycle (SPEC 9), and a tree of them all took fourteen times the body's
 * size (2 GiB for the 175,000 alerts of the daemon benchmark's first cycle
 * at 10,000 teams). The bytes are those of one compact dump of the whole.
 * The outbox writes such a message to a file, straight from the store
 * (webhook_file.c); webhook_payload writes it to memory. */
bool webhook_streamed(enum webhook_format f)
{
	return f == WH_GENERIC || f == WH_ALERTMANAGER;
}

void webhook_stream_open(const struct webhook_render *r, FILE *f)
{
	json_t *head;
	char ts[32], *h;

	if (r->format == WH_ALERTMANAGER) {
		fputc('[', f);
		return;
	}
	head = json_object();
	json_object_set_new(head, "version", json_integer(1));
	json_object_set_new(head, "source", json_string("vigie"));
	json_object_set_new(head, "sent_at", json_string(text_iso8601(r->now, ts)));
	h = wh_dump(head);
	/* Without its closing brace, which the alerts' array comes before. */
	fprintf(f, "%.*s,\"alerts\":[", (int)strlen(h) - 1, h);
	free(h);
}

void webhook_stream_add(const struct webhook_render *r, const struct notice *x,
    bool *first, FILE *f)
{
	if (r->format == WH_ALERTMANAGER)
		wh_am_add(r, x, first, f);
	else
		wh_put(generic_alert(r, x), first, f);
}

void webhook_stream_close(const struct webhook_render *r, FILE *f)
{
	fputs(r->format == WH_ALERTMANAGER ? "]" : "]}", f);
}

/* A streamed format's whole body, in memory. */
static char *streamed(const struct webhook_render *r, const struct notice *v, size_t n)
{
	char *body = NULL;
	size_t len = 0;
	bool first = true;
	FILE *f = open_memstream(&body, &len);

	if (!f)
		xalloc_die();
	webhook_stream_open(r, f);
	for (size_t i = 0; i < n; i++)
		webhook_stream_add(r, &v[i], &first, f);
	webhook_stream_close(r, f);
	if (fclose(f) != 0)
		xalloc_die();
	return body;
}

/* ---- messages and parts ---------------------------------------------- */

struct webhook_render webhook_render_of(const struct webhook_config *w,
    const struct config *cfg, time_t now)
{
	return (struct webhook_render){ .format = w->format, .detail = w->detail,
	    .instance = w->instance, .loc = cfg->locale, .now = now,
	    .am_ttl_s = 3 * cfg->interval_s, .web_url = config_web_url(cfg) };
}

struct webhook_limit webhook_limit_of(enum webhook_format f)
{
	switch (f) {
	case WH_TEAMS:
		/* Teams refuses a message over 28 KB (RequestEntityTooLarge). */
		return (struct webhook_limit){ .max_bytes = 28000 };
	case WH_SLACK:
		/* 50 blocks: the header and one section per notice. */
		return (struct webhook_limit){ .max_items = 49 };
	case WH_MATTERMOST:
		/* A post holds 16,383 characters; stay within it whole. */
		return (struct webhook_limit){ .max_bytes = 16000 };
	default:
		return (struct webhook_limit){ 0 };
	}
}

static char *render_part(const struct webhook_render *r, const struct notice *v, size_t n,
    struct wh_part p)
{
	switch (r->format) {
	case WH_SLACK:
		return wh_slack(r, v, n, p);
	case WH_MATTERMOST:
		return wh_mattermost(r, v, n, p);
	case WH_TEAMS:
		return wh_teams(r, v, n, p);
	case WH_ALERTMANAGER:
	case WH_GENERIC:
	default:
		return streamed(r, v, n);
	}
}

char *webhook_payload(const struct webhook_render *r, const struct notice *v, size_t n)
{
	return render_part(r, v, n, (struct wh_part){ 1, 1 });
}

/* Room kept for the " (k/n)" a part's title gets once the count is known. */
#define PART_LABEL_ROOM 64

/* Whether the first k notices of v make a body of at most max bytes. */
static bool fits_in(const struct webhook_render *r, const struct notice *v, size_t k,
    size_t max)
{
	char *body = render_part(r, v, k, (struct wh_part){ 1, 1 });
	bool fits = strlen(body) <= max;

	free(body);
	return fits;
}

char **webhook_parts(const struct webhook_render *r, const struct notice *v, size_t n,
    size_t *nparts)
{
	struct webhook_limit lim = webhook_limit_of(r->format);
	size_t max = lim.max_bytes > PART_LABEL_ROOM ? lim.max_bytes - PART_LABEL_ROOM : 0;
	size_t *len = NULL, np = 0;
	char **out;

	/* Greedy, in order: each part takes as many notices as fit, the
	 * size growing with the count: doubling from 1 until one does not fit,
	 * then a binary search, so that a part of k notices costs renders of
	 * O(k) notices, O(log k) times, however many are left. */
	for (size_t start = 0; start < n || (n == 0 && np == 0); ) {
		size_t hi = n - start;

		if (lim.max_items && hi > lim.max_items)
			hi = lim.max_items;
		if (max && hi > 1) {
			/* lo fits (a part has one notice at least), bad
			 * does not (hi + 1: none known). */
			size_t lo = 1, k = 1, bad = hi + 1;

			while (k < hi) {
				k = k * 2 < hi ? k * 2 : hi;
				if (!fits_in(r, v + start, k, max)) {
					bad = k;
					break;
				}
				lo = k;
			}
			for (size_t top = bad - 1; lo < top; ) {
				size_t mid = lo + (top - lo + 1) / 2;

				if (fits_in(r, v + start, mid, max))
					lo = mid;
				else
					top = mid - 1;
			}
			hi = lo;
		}
		len = xreallocarray(len, np + 1, sizeof(*len));
		len[np++] = hi;
		start += hi;
		if (n == 0)
			break;
	}
	out = xcalloc(np, sizeof(*out));
	for (size_t i = 0, start = 0; i < np; start += len[i], i++)
		out[i] = render_part(r, v + start, len[i], (struct wh_part){ i + 1, np });
	free(len);
	*nparts = np;
	return out;
}

void webhook_parts_free(char **parts, size_t n)
{
	for (size_t i = 0; parts && i < n; i++)
		free(parts[i]);
	free(parts);
}
