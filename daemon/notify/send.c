/* Sending notices through one channel (daemon/notify/notify_impl.h): an
 * email to one address over SMTP, or a POST to one webhook, prepared with
 * the transfer policy of util/transport.c and run side by side with curl's
 * multi interface, each with its own timeout, so one dead endpoint never
 * delays the others. A finished transfer is sorted into success, a failure
 * worth retrying, or a permanent one, with a one-line reason. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "notify_impl.h"
#include "vigie/mail.h"
#include "vigie/mime.h"
#include "vigie/secret.h"
#include "vigie/text.h"
#include "vigie/webhook.h"
#include "vigie/xalloc.h"

#define MAX_PARALLEL 32

void send_free(struct xfer *x)
{
	if (!x)
		return;
	transport_cleanup(&x->t);
	curl_slist_free_all(x->rcpt);
	curl_slist_free_all(x->headers);
	free(x->payload);
	free(x->target);
	free(x);
}

static size_t read_cb(char *buf, size_t size, size_t nmemb, void *arg)
{
	struct xfer *x = arg;
	size_t n = size * nmemb;

	if (n > x->len - x->off)
		n = x->len - x->off;
	memcpy(buf, x->payload + x->off, n);
	x->off += n;
	return n;
}

static void fail_now(struct send_result *r, bool retryable, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail_now(struct send_result *r, bool retryable, const char *fmt, ...)
{
	va_list ap;

	r->ok = false;
	r->retryable = retryable;
	va_start(ap, fmt);
	vsnprintf(r->error, sizeof(r->error), fmt, ap);
	va_end(ap);
}

/* An email for one address. Fills x->res and returns -1 when it cannot
 * even be prepared. */
static int xfer_mail(struct xfer *x, const struct config *cfg, const char *password,
    const char *to, const char *uid, const struct notice *v, size_t n,
    void (*tick)(void *), void *tick_arg)
{
	const struct smtp_config *sc = cfg->smtp;
	struct mail_envelope env;
	char addr[320], from[320], *line;

	x->is_mail = true;
	if (!sc || !sc->url) {
		fail_now(&x->res, false, "no smtp: section in the configuration");
		return -1;
	}
	if (strncasecmp(sc->url, "smtp://", 7) && strncasecmp(sc->url, "smtps://", 8)) {
		fail_now(&x->res, false, "smtp.url %s is neither smtp:// nor smtps://", sc->url);
		return -1;
	}
	mime_addr_spec(to, addr, sizeof(addr));
	mime_addr_spec(sc->from ? sc->from : "vigie@localhost", from, sizeof(from));
	if (!*addr || strpbrk(addr, " <>\r\n")) {
		fail_now(&x->res, false, "invalid address \"%s\"", addr);
		return -1;
	}
	env = (struct mail_envelope){ .from = sc->from ? sc->from : "vigie@localhost",
	    .to = addr, .uid = uid, .date = time(NULL) };
	/* A scheduled report is rendered now, from the data as it is. */
	if (n == 1 && !strcmp(v[0].kind, "report")) {
		char why[sizeof(x->res.error)];

		x->payload = mail_render_report(cfg, &v[0], &env, &x->len, why, sizeof(why));
		if (!x->payload) {
			fail_now(&x->res, true, "%s", why);
			return -1;
		}
	} else {
		x->payload = mail_render(v, n, cfg->locale, &env, &x->len);
	}
	transport_init(&x->t, &(struct transport_opts){ .url = sc->url,
	    .protocols = "smtp,smtps", .timeout_ms = sc->timeout_ms,
	    .ca_file = sc->ca_file, .tick = tick, .tick_arg = tick_arg });
	curl_easy_setopt(x->t.h, CURLOPT_PRIVATE, x);
	line = xasprintf("<%s>", addr);
	x->rcpt = curl_slist_append(NULL, line);
	free(line);
	/* STARTTLS is required unless explicitly disabled, which the
	 * configuration loader allows only for a loopback host. */
	curl_easy_setopt(x->t.h, CURLOPT_USE_SSL, sc->starttls == STARTTLS_NONE &&
	    !strncasecmp(sc->url, "smtp://", 7) ? (long)CURLUSESSL_NONE : (long)CURLUSESSL_ALL);
	if (sc->username) {
		curl_easy_setopt(x->t.h, CURLOPT_USERNAME, sc->username);
		if (password)
			curl_easy_setopt(x->t.h, CURLOPT_PASSWORD, password);
	}
	line = xasprintf("<%s>", from);
	curl_easy_setopt(x->t.h, CURLOPT_MAIL_FROM, line);
	free(line);
	curl_easy_setopt(x->t.h, CURLOPT_MAIL_RCPT, x->rcpt);
	curl_easy_setopt(x->t.h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(x->t.h, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(x->t.h, CURLOPT_READDATA, x);
	curl_easy_setopt(x->t.h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)x->len);
	return 0;
}

static void add_header(struct xfer *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add_header(struct xfer *x, const char *fmt, ...)
{
	va_list ap;
	char *h;

	va_start(ap, fmt);
	if (vasprintf(&h, fmt, ap) < 0)
		xalloc_die();
	va_end(ap);
	x->headers = curl_slist_append(x->headers, h);
	free(h);
}

/* A POST to one webhook; payload already built by the caller. */
static int xfer_webhook(struct xfer *x, const struct webhook_config *w,
    const char *secret, const char *uid, char *payload,
    void (*tick)(void *), void *tick_arg)
{
	char *url = webhook_post_url(w);

	x->payload = payload;
	x->len = strlen(payload);
	if (!url || (strncasecmp(url, "http://", 7) && strncasecmp(url, "https://", 8))) {
		fail_now(&x->res, false, "webhook %s: only http:// and https:// URLs are allowed",
		    w->name);
		free(url);
		return -1;
	}
	add_header(x, "Content-Type: application/json");
	add_header(x, "Expect:");
	if (secret) {
		char sig[128];
		long long ts = (long long)time(NULL);

		/* Fresh timestamp and signature per attempt; the id is the
		 * message's, identical on retries, for receivers to dedupe. */
		if (webhook_sign(secret, uid, ts, x->payload, x->len, sig, sizeof(sig)) != 0) {
			fail_now(&x->res, false, "webhook %s: the secret is not \"whsec_\" "
			    "followed by base64", w->name);
			return -1;
		}
		add_header(x, "webhook-id: %s", uid);
		add_header(x, "webhook-timestamp: %lld", ts);
		add_header(x, "webhook-signature: %s", sig);
	}
	/* The answer's head only, for the error message of a refusal. */
	transport_init(&x->t, &(struct transport_opts){ .url = url,
	    .protocols = "http,https", .timeout_ms = w->timeout_ms, .tick = tick,
	    .tick_arg = tick_arg });
	curl_easy_setopt(x->t.h, CURLOPT_PRIVATE, x);
	free(url);
	curl_easy_setopt(x->t.h, CURLOPT_POST, 1L);
	curl_easy_setopt(x->t.h, CURLOPT_POSTFIELDS, x->payload);
	curl_easy_setopt(x->t.h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)x->len);
	curl_easy_setopt(x->t.h, CURLOPT_HTTPHEADER, x->headers);
	return 0;
}

/* Sorts a finished transfer into success, retryable or permanent. */
static void classify(struct xfer *x, CURLcode rc)
{
	struct send_result *r = &x->res;
	long code = 0;
	curl_off_t ra = 0;
	const char *what = transport_error(&x->t, rc);

	curl_easy_getinfo(x->t.h, CURLINFO_RESPONSE_CODE, &code);
	r->status = code;
	if (x->is_mail) {
		if (rc == CURLE_OK) {
			r->ok = true;
			return;
		}
		/* SMTP 5xx is a permanent refusal; anything else (4xx,
		 * connection, TLS, timeout) may pass later. Authentication
		 * failures (530, 534, 535) are our configuration, not the
		 * recipient: retry them so that fixing the password delivers
		 * what is pending instead of losing it. */
		if (rc == CURLE_LOGIN_DENIED || code == 530 || code == 534 || code == 535)
			fail_now(r, true, "SMTP %ld: authentication refused (check "
			    "smtp.username and the password): %s", code, what);
		else if (code >= 500 && code < 600)
			fail_now(r, false, "SMTP %ld: %s", code, what);
		else if (code >= 400 && code < 500)
			fail_now(r, true, "SMTP %ld: %s", code, what);
		else
			fail_now(r, true, "%s", what);
		return;
	}
	if (rc != CURLE_OK) {
		fail_now(r, true, "%s", what);
		return;
	}
	if (code >= 200 && code < 300) {
		r->ok = true;
		return;
	}
	if (curl_easy_getinfo(x->t.h, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra > 0)
		r->retry_after = (long)ra;
	{
		char *line = text_first_line(x->t.body, 199);

		fail_now(r, code == 408 || code == 429 || (code >= 500 && code < 600),
		    "HTTP %ld%s%s", code, *line ? ": " : "", line);
		free(line);
	}
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)(ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

void send_run(struct xfer *(*next)(void *), void *next_arg,
    void (*tick)(void *), void *tick_arg,
    void (*done)(struct xfer *, void *), void *arg)
{
	CURLM *m = curl_multi_init();
	size_t active = 0;
	bool more = true;
	long last_tick = now_ms();

	if (!m)
		xalloc_die();
	if (tick)
		tick(tick_arg);
	while (more || active > 0) {
		CURLMsg *msg;
		int still, left;

		while (more && active < MAX_PARALLEL) {
			struct xfer *x = next(next_arg);
			if (!x) {
				more = false;
				break;
			}
			curl_multi_add_handle(m, x->t.h);
			active++;
		}
		curl_multi_perform(m, &still);
		while ((msg = curl_multi_info_read(m, &left)) != NULL) {
			struct xfer *x = NULL;

			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
			classify(x, msg->data.result);
			curl_multi_remove_handle(m, x->t.h);
			active--;
			done(x, arg);
			send_free(x);
		}
		if (tick && now_ms() - last_tick >= 500) {
			tick(tick_arg);
			last_tick = now_ms();
		}
		if (active)
			curl_multi_poll(m, NULL, 0, 500, NULL);
	}
	curl_multi_cleanup(m);
}

static const char *smtp_password(struct secrets *s, const struct config *cfg, char **err)
{
	if (!s->smtp_done) {
		s->smtp_done = true;
		if (cfg->smtp && (cfg->smtp->password_file || cfg->smtp->password_credential))
			secret_read(cfg->smtp->password_file, cfg->smtp->password_credential,
			    &s->smtp, &s->smtp_err);
	}
	*err = s->smtp_err;
	return s->smtp;
}

static const char *webhook_secret(struct secrets *s, const struct config *cfg,
    const struct webhook_config *w, char **err)
{
	size_t i = (size_t)(w - cfg->webhooks);

	if (!s->wh_done[i]) {
		s->wh_done[i] = true;
		if (w->secret_file || w->secret_credential)
			secret_read(w->secret_file, w->secret_credential, &s->wh[i], &s->wh_err[i]);
	}
	*err = s->wh_err[i];
	return s->wh[i];
}

void secrets_init(struct secrets *s, const struct config *cfg)
{
	memset(s, 0, sizeof(*s));
	s->wh = xcalloc(cfg->nwebhooks + 1, sizeof(char *));
	s->wh_err = xcalloc(cfg->nwebhooks + 1, sizeof(char *));
	s->wh_done = xcalloc(cfg->nwebhooks + 1, sizeof(bool));
}

void secrets_free(struct secrets *s, const struct config *cfg)
{
	secret_free(s->smtp);
	free(s->smtp_err);
	for (size_t i = 0; i < cfg->nwebhooks; i++) {
		secret_free(s->wh[i]);
		free(s->wh_err[i]);
	}
	free(s->wh);
	free(s->wh_err);
	free(s->wh_done);
}

struct xfer *send_prepare(const struct config *cfg, struct secrets *sec,
    const char *channel, const char *target, const char *uid,
    const struct notice *v, size_t n, void (*tick)(void *), void *tick_arg)
{
	struct xfer *x = xcalloc(1, sizeof(*x));
	char *err = NULL;

	x->target = xstrdup(target);
	x->channel = !strcmp(channel, "email") ? "email" : "webhook";
	if (!strcmp(channel, "email")) {
		const char *pw = cfg->smtp ? smtp_password(sec, cfg, &err) : NULL;

		if (cfg->smtp && err) {
			fail_now(&x->res, true, "SMTP password: %s", err);
			goto failed;
		}
		if (xfer_mail(x, cfg, pw, target, uid, v, n, tick, tick_arg) != 0)
			goto failed;
	} else if (!strcmp(channel, "webhook")) {
		const struct webhook_config *w = config_webhook(cfg, target);
		const char *secret;

		if (!w) {
			fail_now(&x->res, false, "webhook \"%s\" is no longer in the configuration",
			    target);
			goto failed;
		}
		secret = webhook_secret(sec, cfg, w, &err);
		if (err) {
			fail_now(&x->res, true, "webhook %s secret: %s", w->name, err);
			goto failed;
		}
		if (xfer_webhook(x, w, secret, uid, webhook_payload(w->format, v, n,
		    cfg->locale, time(NULL), 3 * cfg->interval_s), tick, tick_arg) != 0)
			goto failed;
	} else {
		fail_now(&x->res, false, "unknown channel \"%s\"", channel);
		goto failed;
	}
	return x;
failed:
	transport_cleanup(&x->t);
	return x;
}

