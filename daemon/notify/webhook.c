/* Webhook payloads. One POST carries every notice of a message (one webhook,
 * one cycle). The generic format is the contract of SPEC 9, key by key; the
 * others speak what their receivers expect: Slack/Mattermost `text` plus
 * Block Kit `blocks`, Teams an Adaptive Card 1.4 wrapped in a "message" as
 * Power Automate Workflows webhooks take it, Alertmanager an array of alerts
 * for /api/v2/alerts. Hidden values (anonymity floor) are JSON null. The
 * signature follows the Standard Webhooks specification so that receivers
 * can use its libraries to verify and to dedupe on webhook-id. */
#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include "vigie/text.h"
#include "vigie/webhook.h"
#include "vigie/wording.h"
#include "vigie/xalloc.h"

char *webhook_post_url(const struct webhook_config *w)
{
	static const char suffix[] = "/api/v2/alerts";
	size_t n = strlen(w->url), sl = sizeof(suffix) - 1;
	char *out;

	if (w->format != WH_ALERTMANAGER ||
	    (n >= sl && !strcmp(w->url + n - sl, suffix)))
		return strdup(w->url);
	while (n > 0 && w->url[n - 1] == '/')
		n--;
	if (asprintf(&out, "%.*s%s", (int)n, w->url, suffix) < 0)
		return NULL;
	return out;
}

int webhook_sign(const char *secret, const char *id, long long ts,
    const char *body, size_t len, char *out, size_t size)
{
	unsigned char key[512], mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0;
	size_t slen, pad = 0;
	int klen;
	char prefix[64];
	EVP_MAC *m;
	EVP_MAC_CTX *c;
	OSSL_PARAM params[2];
	size_t outl = 0;
	int ok;

	if (!strncmp(secret, "whsec_", 6))
		secret += 6;
	slen = strlen(secret);
	if (slen == 0 || slen % 4 || slen / 4 * 3 > sizeof(key))
		return -1;
	if (secret[slen - 1] == '=')
		pad = secret[slen - 2] == '=' ? 2 : 1;
	klen = EVP_DecodeBlock(key, (const unsigned char *)secret, (int)slen);
	if (klen < 0 || (size_t)klen < pad)
		return -1;
	klen -= (int)pad;

	/* HMAC over "ID.TIMESTAMP.BODY", fed in pieces. */
	m = EVP_MAC_fetch(NULL, "HMAC", NULL);
	c = m ? EVP_MAC_CTX_new(m) : NULL;
	params[0] = OSSL_PARAM_construct_utf8_string("digest", (char *)"SHA256", 0);
	params[1] = OSSL_PARAM_construct_end();
	snprintf(prefix, sizeof(prefix), ".%lld.", ts);
	ok = c && EVP_MAC_init(c, key, (size_t)klen, params) == 1 &&
	    EVP_MAC_update(c, (const unsigned char *)id, strlen(id)) == 1 &&
	    EVP_MAC_update(c, (const unsigned char *)prefix, strlen(prefix)) == 1 &&
	    EVP_MAC_update(c, (const unsigned char *)body, len) == 1 &&
	    EVP_MAC_final(c, mac, &outl, sizeof(mac)) == 1;
	EVP_MAC_CTX_free(c);
	EVP_MAC_free(m);
	OPENSSL_cleanse(key, sizeof(key));
	if (!ok)
		return -1;
	maclen = (unsigned int)outl;
	if (size < 4 + 4 * ((maclen + 2) / 3) + 1)
		return -1;
	memcpy(out, "v1,", 3);
	EVP_EncodeBlock((unsigned char *)out + 3, mac, (int)maclen);
	return 0;
}

/* ---- shared pieces --------------------------------------------------- */


static json_t *jstr(const char *s)
{
	/* json_string() refuses invalid UTF-8: fall back on a cleaned copy. */
	json_t *j;

	if (!s)
		return json_null();
	j = json_string(s);
	if (!j) {
		char *c = strdup(s);

		for (unsigned char *p = (unsigned char *)c; *p; p++)
			if (*p >= 0x80)
				*p = '?';
		j = json_string(c);
		free(c);
	}
	return j;
}

static json_t *jnum(bool has, double x)
{
	return has && isfinite(x) ? json_real(x) : json_null();
}

static bool is_resolved(const struct notice *x)
{
	return !strcmp(x->kind, "resolved") || !strcmp(x->kind, "fresh");
}

/* "12,6 (seuil 9)" or "valeur masquée". */
static void value_text(char *buf, size_t size, const struct notice *x, enum locale loc)
{
	char v[64], t[64];
	int d = x->decimals < 0 ? 1 : x->decimals;

	if (!x->has_value) {
		snprintf(buf, size, "%s", WORD(loc, "valeur masquée", "hidden value"));
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

static char *alert_id(const struct notice *x)
{
	char *s = xasprintf("%s%s%s", x->rule ? x->rule : x->kind, x->unit ? "@" : "",
	    x->unit ? x->unit : "");
	return s;
}

static json_t *labels_object(const struct notice *x)
{
	json_t *l = x->labels ? json_loads(x->labels, 0, NULL) : NULL;

	if (!json_is_object(l)) {
		json_decref(l);
		l = json_object();
	}
	return l;
}

static char *dump(json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(15));

	json_decref(j);
	if (!s)
		xalloc_die();
	return s;
}

/* ---- generic --------------------------------------------------------- */

static char *generic(const struct notice *v, size_t n, time_t now)
{
	json_t *root = json_object(), *alerts = json_array();
	char ts[32];

	json_object_set_new(root, "version", json_integer(1));
	json_object_set_new(root, "source", json_string("vigie"));
	json_object_set_new(root, "sent_at", json_string(text_iso8601(now, ts)));
	for (size_t i = 0; i < n; i++) {
		const struct notice *x = &v[i];
		json_t *a = json_object(), *h = json_array();
		char *id = alert_id(x);

		json_object_set_new(a, "id", json_string(id));
		free(id);
		json_object_set_new(a, "event", jstr(x->kind));
		json_object_set_new(a, "rule", jstr(x->rule));
		json_object_set_new(a, "title", jstr(x->title));
		json_object_set_new(a, "unit", jstr(x->unit));
		json_object_set_new(a, "period", jstr(x->period));
		json_object_set_new(a, "severity", jstr(x->severity));
		json_object_set_new(a, "value", jnum(x->has_value, x->value));
		json_object_set_new(a, "threshold", jnum(x->has_threshold, x->threshold));
		json_object_set_new(a, "since", jstr(x->since));
		json_object_set_new(a, "summary", jstr(x->summary));
		json_object_set_new(a, "guidance", jstr(x->guidance));
		json_object_set_new(a, "labels", labels_object(x));
		for (size_t k = 0; k < x->nhistory; k++)
			json_array_append_new(h, json_pack("{s:s, s:o}", "period",
			    x->history[k].period, "value",
			    jnum(x->history[k].defined, x->history[k].value)));
		json_object_set_new(a, "history", h);
		json_array_append_new(alerts, a);
	}
	json_object_set_new(root, "alerts", alerts);
	return dump(root);
}

/* ---- Slack / Mattermost ---------------------------------------------- */

/* Slack's mrkdwn gives &, < and > a meaning: escape them. */
static void mrkdwn(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		default: fputc(*s, f);
		}
	}
}

static char *slack(const struct notice *v, size_t n, enum locale loc)
{
	json_t *root = json_object(), *blocks = json_array();
	char *subject = wording_subject(v, n, loc), hdr[151];
	/* Slack allows 50 blocks: a header, then one per notice. */
	size_t shown = n > 45 ? 45 : n;

	json_object_set_new(root, "text", jstr(subject));
	snprintf(hdr, sizeof(hdr), "%s", subject);
	json_array_append_new(blocks, json_pack("{s:s, s:{s:s, s:o}}", "type", "header",
	    "text", "type", "plain_text", "text", jstr(hdr)));
	free(subject);
	for (size_t i = 0; i < shown; i++) {
		const struct notice *x = &v[i];
		char *buf = NULL, val[160];
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		if (!f)
			xalloc_die();
		fputs("*", f);
		if (x->rule && !is_resolved(x))
			fprintf(f, "[%s] ", wording_severity(x->severity, loc));
		mrkdwn(f, x->title ? x->title : wording_event(x->kind, loc));
		fprintf(f, "* — %s", wording_event(x->kind, loc));
		if (x->unit) {
			fputs("\n", f);
			fprintf(f, "%s `", WORD(loc, "Unité :", "Unit:"));
			mrkdwn(f, x->unit);
			fputs("`", f);
		}
		if (x->period)
			fprintf(f, " · %s %s", WORD(loc, "Période :", "Period:"), x->period);
		if (x->rule) {
			value_text(val, sizeof(val), x, loc);
			fprintf(f, "\n%s %s", WORD(loc, "Valeur :", "Value:"), val);
		}
		if (x->summary) {
			fputs("\n>", f);
			mrkdwn(f, x->summary);
		}
		if (x->guidance) {
			fputs("\n_", f);
			mrkdwn(f, x->guidance);
			fputs("_", f);
		}
		if (x->rule && x->unit && !is_resolved(x)) {
			fprintf(f, "\n%s `vigie ack ", WORD(loc, "Accuser réception :", "Acknowledge:"));
			mrkdwn(f, x->rule);
			fputs("@", f);
			mrkdwn(f, x->unit);
			fprintf(f, " --by %s`", WORD(loc, "NOM", "NAME"));
		}
		if (fclose(f) != 0)
			xalloc_die();
		if (len > 2900) {
			/* Slack caps a section at 3000 chars; cut on a
			 * character boundary. */
			size_t k = 2896;

			while (k > 0 && ((unsigned char)buf[k] & 0xc0) == 0x80)
				k--;
			memcpy(buf + k, "…", sizeof("…"));
		}
		json_array_append_new(blocks, json_pack("{s:s, s:{s:s, s:o}}", "type", "section",
		    "text", "type", "mrkdwn", "text", jstr(buf)));
		free(buf);
	}
	if (shown < n) {
		char more[96];

		snprintf(more, sizeof(more), WORD(loc, "… et %zu autres", "… and %zu more"), n - shown);
		json_array_append_new(blocks, json_pack("{s:s, s:{s:s, s:s}}", "type", "section",
		    "text", "type", "mrkdwn", "text", more));
	}
	json_object_set_new(root, "blocks", blocks);
	return dump(root);
}

/* ---- Teams ----------------------------------------------------------- */

static json_t *text_block(const char *text, const char *extra_key, const char *extra_val)
{
	json_t *b = json_pack("{s:s, s:o, s:b}", "type", "TextBlock", "text", jstr(text),
	    "wrap", 1);

	if (extra_key)
		json_object_set_new(b, extra_key, json_string(extra_val));
	return b;
}

static void fact(json_t *facts, const char *title, const char *value)
{
	json_array_append_new(facts, json_pack("{s:s, s:o}", "title", title, "value", jstr(value)));
}

static char *teams(const struct notice *v, size_t n, enum locale loc)
{
	json_t *body = json_array(), *card, *root;
	char *subject = wording_subject(v, n, loc);

	{
		json_t *t = text_block(subject, "size", "Medium");

		json_object_set_new(t, "weight", json_string("Bolder"));
		json_array_append_new(body, t);
	}
	free(subject);
	for (size_t i = 0; i < n; i++) {
		const struct notice *x = &v[i];
		json_t *items = json_array(), *facts = json_array(), *t;
		char title[512], val[160];

		snprintf(title, sizeof(title), "%s%s%s%s",
		    x->rule && !is_resolved(x) ? "[" : "",
		    x->rule && !is_resolved(x) ? wording_severity(x->severity, loc) : "",
		    x->rule && !is_resolved(x) ? "] " : "",
		    x->title ? x->title : wording_event(x->kind, loc));
		t = text_block(title, "weight", "Bolder");
		json_object_set_new(t, "color", json_string(is_resolved(x) ? "Good" :
		    x->severity && !strcmp(x->severity, "critical") ? "Attention" : "Warning"));
		json_array_append_new(items, t);
		fact(facts, WORD(loc, "Évènement", "Event"), wording_event(x->kind, loc));
		if (x->unit)
			fact(facts, WORD(loc, "Unité", "Unit"), x->unit);
		if (x->period)
			fact(facts, WORD(loc, "Période", "Period"), x->period);
		if (x->since)
			fact(facts, WORD(loc, "Depuis", "Since"), x->since);
		if (x->rule) {
			value_text(val, sizeof(val), x, loc);
			fact(facts, WORD(loc, "Valeur", "Value"), val);
		}
		json_array_append_new(items, json_pack("{s:s, s:o}", "type", "FactSet", "facts", facts));
		if (x->summary)
			json_array_append_new(items, text_block(x->summary, NULL, NULL));
		if (x->guidance) {
			t = text_block(x->guidance, NULL, NULL);
			json_object_set_new(t, "isSubtle", json_true());
			json_array_append_new(items, t);
		}
		if (x->rule && x->unit && !is_resolved(x)) {
			char *ack = xasprintf("vigie ack %s@%s --by %s", x->rule, x->unit,
			    WORD(loc, "NOM", "NAME"));
			json_array_append_new(items, text_block(ack, "fontType", "Monospace"));
			free(ack);
		}
		json_array_append_new(body, json_pack("{s:s, s:o, s:s, s:b}", "type", "Container",
		    "items", items, "style", is_resolved(x) ? "good" :
		    x->severity && !strcmp(x->severity, "critical") ? "attention" : "warning",
		    "separator", 1));
	}
	card = json_pack("{s:s, s:s, s:s, s:o}",
	    "$schema", "http://adaptivecards.io/schemas/adaptive-card.json",
	    "type", "AdaptiveCard", "version", "1.4", "body", body);
	root = json_pack("{s:s, s:[{s:s, s:n, s:o}]}", "type", "message", "attachments",
	    "contentType", "application/vnd.microsoft.card.adaptive", "contentUrl",
	    "content", card);
	return dump(root);
}

/* ---- Alertmanager ---------------------------------------------------- */

/* Alertmanager refuses label names outside [a-zA-Z_][a-zA-Z0-9_]*. */
static char *label_name(const char *k)
{
	char *s = strdup(k);

	for (char *p = s; *p; p++)
		if (!(isalnum((unsigned char)*p) || *p == '_') || (p == s && isdigit((unsigned char)*p)))
			*p = '_';
	return s;
}

static json_t *am_alert(const struct notice *x, const char *severity, time_t now,
    time_t ends_at)
{
	json_t *labels = json_object(), *ann = json_object(), *rl = labels_object(x), *a;
	const char *k;
	json_t *val;
	char ts[32];
	const char *name;

	/* System events get names of their own; "fresh" resolves "stale". */
	if (x->rule)
		name = x->rule;
	else if (!strcmp(x->kind, "stale") || !strcmp(x->kind, "fresh"))
		name = "vigie-stale-data";
	else if (!strcmp(x->kind, "rejected"))
		name = "vigie-rejected-file";
	else
		name = "vigie-test";
	json_object_foreach(rl, k, val) {
		char *ln;

		if (!json_is_string(val))
			continue;
		ln = label_name(k);
		json_object_set(labels, ln, val);
		free(ln);
	}
	json_decref(rl);
	json_object_set_new(labels, "alertname", json_string(name));
	if (x->unit)
		json_object_set_new(labels, "unit", jstr(x->unit));
	if (x->rule && severity)
		json_object_set_new(labels, "severity", jstr(severity));
	json_object_set_new(labels, "source", json_string("vigie"));
	if (x->summary)
		json_object_set_new(ann, "summary", jstr(x->summary));
	if (x->guidance)
		json_object_set_new(ann, "guidance", jstr(x->guidance));
	if (x->title)
		json_object_set_new(ann, "title", jstr(x->title));
	if (x->period)
		json_object_set_new(ann, "period", jstr(x->period));
	if (x->rule) {
		char vb[64];

		if (x->has_value)
			format_number(vb, sizeof(vb), x->value, x->decimals < 0 ? 1 : x->decimals, LOC_EN);
		json_object_set_new(ann, "value", json_string(x->has_value ? vb : "hidden"));
	}
	a = json_pack("{s:o, s:o}", "labels", labels, "annotations", ann);
	if (x->at > 0 && x->at <= now)
		json_object_set_new(a, "startsAt", json_string(text_iso8601(x->at, ts)));
	json_object_set_new(a, "endsAt", json_string(text_iso8601(ends_at, ts)));
	return a;
}

static char *alertmanager(const struct notice *v, size_t n, time_t now, long ttl)
{
	json_t *arr = json_array();
	time_t until = now + (ttl > 0 ? ttl : 3 * 3600);

	for (size_t i = 0; i < n; i++) {
		const struct notice *x = &v[i];

		if (!is_resolved(x)) {
			/* The severity is a label, so a changed severity is
			 * another Alertmanager alert: end the previous one. */
			if (x->rule && x->prev_severity && x->severity &&
			    strcmp(x->prev_severity, x->severity))
				json_array_append_new(arr, am_alert(x, x->prev_severity, now, now));
			/* A test shows for five minutes, then ends. */
			json_array_append_new(arr, am_alert(x, x->severity, now,
			    !strcmp(x->kind, "test") ? now + 300 : until));
			continue;
		}
		/* Resolved: end whichever severity was sent last. */
		if (x->prev_severity)
			json_array_append_new(arr, am_alert(x, x->prev_severity, now, now));
		if (!x->prev_severity || (x->severity && strcmp(x->severity, x->prev_severity)))
			json_array_append_new(arr, am_alert(x, x->severity, now, now));
	}
	return dump(arr);
}

char *webhook_payload(enum webhook_format fmt, const struct notice *v, size_t n,
    enum locale loc, time_t now, long am_ttl_s)
{
	switch (fmt) {
	case WH_SLACK:
		return slack(v, n, loc);
	case WH_TEAMS:
		return teams(v, n, loc);
	case WH_ALERTMANAGER:
		return alertmanager(v, n, now, am_ttl_s);
	case WH_GENERIC:
	default:
		return generic(v, n, now);
	}
}
