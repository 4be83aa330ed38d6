/* Delivery of the outbox. The cycle writes `message` rows (one email to one
 * address, or one POST to one webhook, per cycle) in the same transaction as
 * the transitions; this file sends the due ones concurrently with curl's
 * multi interface and records every attempt. Success is committed as soon as
 * a transfer completes, before anything else runs, so a delivered message
 * is never sent again unless the process dies between the server's answer
 * and that commit. Retryable failures back off exponentially with full
 * jitter; after 48 h a message is marked failed and logged as an error.
 * Transfers run side by side, each with its own timeout, so one dead
 * endpoint never delays the others. */
#include <curl/curl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "vigie/deliver.h"
#include "vigie/lifecycle.h"
#include "vigie/log.h"
#include "vigie/mail.h"
#include "vigie/period.h"
#include "vigie/route.h"
#include "vigie/secret.h"
#include "vigie/store_alerts.h"
#include "vigie/store_silences.h"
#include "vigie/text.h"
#include "vigie/webhook.h"

#define GIVE_UP_AFTER_S (48 * 3600)
#define BACKOFF_MIN_S 30
#define BACKOFF_MAX_S 3600
#define MAX_PARALLEL 32
#define RESPONSE_KEEP 512

#if LIBCURL_VERSION_NUM >= 0x075500
#define HAVE_PROTOCOLS_STR 1
#endif

/* ---- transfers ------------------------------------------------------- */

struct xfer {
	CURL *h;
	struct curl_slist *rcpt, *headers;
	char *payload, *url;
	size_t len, off;
	char response[RESPONSE_KEEP];
	size_t rlen;
	bool is_mail;
	char errbuf[CURL_ERROR_SIZE];
	struct send_result res;
	/* outbox bookkeeping; id 0 for the Alertmanager refresh */
	int64_t msg_id;
	int attempts;
	time_t created_at;
	char *target;
	const char *channel;
};

static void xfer_free(struct xfer *x)
{
	if (!x)
		return;
	if (x->h)
		curl_easy_cleanup(x->h);
	curl_slist_free_all(x->rcpt);
	curl_slist_free_all(x->headers);
	free(x->payload);
	free(x->url);
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

/* Keeps the beginning of an HTTP answer for the error message. */
static size_t write_cb(char *buf, size_t size, size_t nmemb, void *arg)
{
	struct xfer *x = arg;
	size_t n = size * nmemb, room = sizeof(x->response) - 1 - x->rlen;

	if (room) {
		size_t k = n < room ? n : room;

		memcpy(x->response + x->rlen, buf, k);
		x->rlen += k;
		x->response[x->rlen] = '\0';
	}
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

static struct xfer *xfer_new(void)
{
	struct xfer *x = calloc(1, sizeof(*x));

	if (!x)
		abort();
	x->h = curl_easy_init();
	if (!x->h)
		abort();
	curl_easy_setopt(x->h, CURLOPT_PRIVATE, x);
	curl_easy_setopt(x->h, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(x->h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(x->h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(x->h, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(x->h, CURLOPT_USERAGENT, "vigie/" VIGIE_VERSION);
	return x;
}

/* An email for one address. Fills x->res and returns -1 when it cannot
 * even be prepared. */
static int xfer_mail(struct xfer *x, const struct config *cfg, const char *password,
    const char *to, const char *uid, const struct notice *v, size_t n)
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
	mail_addr_spec(to, addr, sizeof(addr));
	mail_addr_spec(sc->from ? sc->from : "vigie@localhost", from, sizeof(from));
	if (!*addr || strpbrk(addr, " <>\r\n")) {
		fail_now(&x->res, false, "invalid address \"%s\"", addr);
		return -1;
	}
	env = (struct mail_envelope){ .from = sc->from ? sc->from : "vigie@localhost",
	    .to = addr, .uid = uid, .date = time(NULL) };
	x->payload = mail_render(v, n, cfg->locale, &env, &x->len);
	x->url = strdup(sc->url);
	if (asprintf(&line, "<%s>", addr) < 0)
		abort();
	x->rcpt = curl_slist_append(NULL, line);
	free(line);
	curl_easy_setopt(x->h, CURLOPT_URL, x->url);
#ifdef HAVE_PROTOCOLS_STR
	curl_easy_setopt(x->h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
#endif
	/* STARTTLS is required unless explicitly disabled, which the
	 * configuration loader allows only for a loopback host. */
	curl_easy_setopt(x->h, CURLOPT_USE_SSL, sc->starttls == STARTTLS_NONE &&
	    !strncasecmp(sc->url, "smtp://", 7) ? (long)CURLUSESSL_NONE : (long)CURLUSESSL_ALL);
	if (sc->ca_file)
		curl_easy_setopt(x->h, CURLOPT_CAINFO, sc->ca_file);
	if (sc->username) {
		curl_easy_setopt(x->h, CURLOPT_USERNAME, sc->username);
		if (password)
			curl_easy_setopt(x->h, CURLOPT_PASSWORD, password);
	}
	if (asprintf(&line, "<%s>", from) < 0)
		abort();
	curl_easy_setopt(x->h, CURLOPT_MAIL_FROM, line);
	free(line);
	curl_easy_setopt(x->h, CURLOPT_MAIL_RCPT, x->rcpt);
	curl_easy_setopt(x->h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(x->h, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(x->h, CURLOPT_READDATA, x);
	curl_easy_setopt(x->h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)x->len);
	curl_easy_setopt(x->h, CURLOPT_TIMEOUT_MS, sc->timeout_ms > 0 ? sc->timeout_ms : 30000L);
	return 0;
}

static void add_header(struct xfer *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add_header(struct xfer *x, const char *fmt, ...)
{
	va_list ap;
	char *h;

	va_start(ap, fmt);
	if (vasprintf(&h, fmt, ap) < 0)
		abort();
	va_end(ap);
	x->headers = curl_slist_append(x->headers, h);
	free(h);
}

/* A POST to one webhook; payload already built by the caller. */
static int xfer_webhook(struct xfer *x, const struct webhook_config *w,
    const char *secret, const char *uid, char *payload)
{
	x->payload = payload;
	x->len = strlen(payload);
	x->url = webhook_post_url(w);
	if (!x->url || (strncasecmp(x->url, "http://", 7) && strncasecmp(x->url, "https://", 8))) {
		fail_now(&x->res, false, "webhook %s: only http:// and https:// URLs are allowed",
		    w->name);
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
	curl_easy_setopt(x->h, CURLOPT_URL, x->url);
#ifdef HAVE_PROTOCOLS_STR
	curl_easy_setopt(x->h, CURLOPT_PROTOCOLS_STR, "http,https");
#endif
	curl_easy_setopt(x->h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(x->h, CURLOPT_POST, 1L);
	curl_easy_setopt(x->h, CURLOPT_POSTFIELDS, x->payload);
	curl_easy_setopt(x->h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)x->len);
	curl_easy_setopt(x->h, CURLOPT_HTTPHEADER, x->headers);
	curl_easy_setopt(x->h, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(x->h, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(x->h, CURLOPT_TIMEOUT_MS, w->timeout_ms > 0 ? w->timeout_ms : 30000L);
	return 0;
}

/* Sorts a finished transfer into success, retryable or permanent. */
static void classify(struct xfer *x, CURLcode rc)
{
	struct send_result *r = &x->res;
	long code = 0;
	curl_off_t ra = 0;
	const char *what = *x->errbuf ? x->errbuf : curl_easy_strerror(rc);

	curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &code);
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
	if (curl_easy_getinfo(x->h, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra > 0)
		r->retry_after = (long)ra;
	{
		char *line = text_first_line(x->response, 199);

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

/* Runs transfers side by side, at most MAX_PARALLEL at once: next() gives
 * the next transfer (NULL when there is none left), so that a message is
 * rendered only when it is about to go and freed as soon as done() has
 * seen it; tick() is called at least every second. */
static void run_all(struct xfer *(*next)(void *), void *next_arg,
    void (*tick)(void *), void *tick_arg,
    void (*done)(struct xfer *, void *), void *arg)
{
	CURLM *m = curl_multi_init();
	size_t active = 0;
	bool more = true;
	long last_tick = now_ms();

	if (!m)
		abort();
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
			curl_multi_add_handle(m, x->h);
			active++;
		}
		curl_multi_perform(m, &still);
		while ((msg = curl_multi_info_read(m, &left)) != NULL) {
			struct xfer *x = NULL;

			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
			classify(x, msg->data.result);
			curl_multi_remove_handle(m, x->h);
			active--;
			done(x, arg);
			xfer_free(x);
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

/* ---- the outbox ------------------------------------------------------ */

struct run {
	struct store *st;
	const struct config *cfg;
	struct deliver_stats *stats;
	time_t now, t0;
	int rc;
};

/* Full jitter: uniform in [30, min(3600, 30 * 2^attempts)] seconds. */
static long backoff(int attempts)
{
	long hi = BACKOFF_MIN_S;

	for (int i = 0; i < attempts && hi < BACKOFF_MAX_S; i++)
		hi *= 2;
	if (hi > BACKOFF_MAX_S)
		hi = BACKOFF_MAX_S;
	return BACKOFF_MIN_S + (long)arc4random_uniform((uint32_t)(hi - BACKOFF_MIN_S + 1));
}

/* Records one attempt and its outcome, in its own transaction. */
static void record(struct run *r, struct xfer *x)
{
	time_t cur = r->now + (time(NULL) - r->t0);
	const struct send_result *res = &x->res;
	int bad;

	if (res->ok) {
		bad = store_outbox_record(r->st, x->msg_id, cur, OUTBOX_SENT, res->status,
		    NULL, 0);
		r->stats->sent++;
		log_info("notification %lld sent by %s to %s", (long long)x->msg_id,
		    x->channel, x->target);
	} else if (res->retryable && cur < x->created_at + GIVE_UP_AFTER_S) {
		long wait = backoff(x->attempts + 1);

		if (res->retry_after > wait)
			wait = res->retry_after;
		bad = store_outbox_record(r->st, x->msg_id, cur, OUTBOX_RETRY, res->status,
		    res->error, cur + wait);
		r->stats->retried++;
		log_warnx("notification %lld by %s to %s not delivered, retry in %ld s: %s",
		    (long long)x->msg_id, x->channel, x->target, wait, res->error);
	} else {
		bad = store_outbox_record(r->st, x->msg_id, cur, OUTBOX_FAILED, res->status,
		    res->error, 0);
		r->stats->failed++;
		if (res->retryable)
			log_err("notification %lld by %s to %s failed: still undelivered 48 h "
			    "after it was created, giving up: %s", (long long)x->msg_id,
			    x->channel, x->target, res->error);
		else
			log_err("notification %lld by %s to %s failed: %s", (long long)x->msg_id,
			    x->channel, x->target, res->error);
	}
	if (bad) {
		log_err("cannot record delivery of notification %lld: %s",
		    (long long)x->msg_id, store_errmsg(r->st));
		r->rc = -1;
	}
}

static void on_done(struct xfer *x, void *arg)
{
	struct run *r = arg;

	if (x->msg_id)
		record(r, x);
	else if (!x->res.ok)
		log_warnx("alertmanager refresh of %s failed: %s", x->target, x->res.error);
}

/* Secrets, read once per call: an unreadable one is a reason for every
 * message that needs it. */
struct secrets {
	char *smtp;
	char *smtp_err;
	bool smtp_done;
	char **wh, **wh_err;
	bool *wh_done;
};

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

static void secrets_init(struct secrets *s, const struct config *cfg)
{
	memset(s, 0, sizeof(*s));
	s->wh = calloc(cfg->nwebhooks + 1, sizeof(char *));
	s->wh_err = calloc(cfg->nwebhooks + 1, sizeof(char *));
	s->wh_done = calloc(cfg->nwebhooks + 1, sizeof(bool));
	if (!s->wh || !s->wh_err || !s->wh_done)
		abort();
}

static void secrets_free(struct secrets *s, const struct config *cfg)
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

/* Prepares the transfer for one message; on a preparation failure the
 * transfer carries the error in x->res and no curl handle. */
static struct xfer *prepare(const struct config *cfg, struct secrets *sec,
    const char *channel, const char *target, const char *uid,
    const struct notice *v, size_t n)
{
	struct xfer *x = xfer_new();
	char *err = NULL;

	x->target = strdup(target);
	x->channel = !strcmp(channel, "email") ? "email" : "webhook";
	if (!strcmp(channel, "email")) {
		const char *pw = cfg->smtp ? smtp_password(sec, cfg, &err) : NULL;

		if (cfg->smtp && err) {
			fail_now(&x->res, true, "SMTP password: %s", err);
			goto failed;
		}
		if (xfer_mail(x, cfg, pw, target, uid, v, n) != 0)
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
		    cfg->locale, time(NULL), 3 * cfg->interval_s)) != 0)
			goto failed;
	} else {
		fail_now(&x->res, false, "unknown channel \"%s\"", channel);
		goto failed;
	}
	return x;
failed:
	curl_easy_cleanup(x->h);
	x->h = NULL;
	return x;
}

/* Alertmanager forgets an alert that is not sent again before its endsAt,
 * and the outbox sends an alert only when it changes. So every call also
 * posts each active alert to each Alertmanager webhook, with endsAt three
 * intervals ahead: a missed cycle or two does not resolve anything, and an
 * alert that Vigie resolved while Alertmanager was down ends by itself. This
 * is state synchronisation, idempotent, outside the outbox: a failure is only
 * logged and the next cycle repairs it. */
static void refresh_alertmanagers(struct run *r, struct secrets *sec,
    struct xfer ***xs, size_t *nx)
{
	struct notice *v = NULL;
	struct silence *sil = NULL;
	size_t n = 0, nsil = 0;
	bool any = false;

	for (size_t i = 0; i < r->cfg->nwebhooks; i++)
		any |= r->cfg->webhooks[i].format == WH_ALERTMANAGER;
	if (!any)
		return;
	if (store_active_notices(r->st, &v, &n) != 0 ||
	    store_silences_load(r->st, &sil, &nsil) != 0) {
		log_err("cannot read active alerts: %s", store_errmsg(r->st));
		notices_free(v, n);
		return;
	}
	/* A silence holds every notification of the alerts it covers, this
	 * one too (SPEC 9): they stay out of Alertmanager. */
	size_t keep = 0;
	for (size_t i = 0; i < n; i++) {
		if (lifecycle_silenced(sil, nsil, v[i].rule, v[i].unit, v[i].pindex))
			notice_clear(&v[i]);
		else
			v[keep++] = v[i];
	}
	n = keep;
	store_silences_free(sil, nsil);
	if (n == 0) {
		free(v);
		return;
	}
	/* In batches, as the outbox splits its digests: a body per batch. */
	for (size_t i = 0; i < r->cfg->nwebhooks; i++) {
		const struct webhook_config *w = &r->cfg->webhooks[i];

		if (w->format != WH_ALERTMANAGER)
			continue;
		for (size_t b = 0; b < n; b += ROUTE_MESSAGE_MAX_ITEMS) {
			size_t len = n - b < ROUTE_MESSAGE_MAX_ITEMS ? n - b : ROUTE_MESSAGE_MAX_ITEMS;
			struct xfer *x, **nxs;
			char uid[96];

			snprintf(uid, sizeof(uid), "refresh-%lld-%zu-%zu", (long long)r->now, i, b);
			x = prepare(r->cfg, sec, "webhook", w->name, uid, v + b, len);
			if (!x->h) {
				log_warnx("alertmanager refresh of %s failed: %s", w->name,
				    x->res.error);
				xfer_free(x);
				continue;
			}
			nxs = realloc(*xs, (*nx + 1) * sizeof(**xs));
			if (!nxs)
				abort();
			*xs = nxs;
			(*xs)[(*nx)++] = x;
		}
	}
	notices_free(v, n);
}

struct feed {
	struct run *r;
	struct secrets *sec;
	struct outbox_due *due;
	size_t ndue, next;
	struct xfer **extra;	/* Alertmanager refreshes, sent first */
	size_t nextra, next_extra;
};

static struct xfer *feed_next(void *arg)
{
	struct feed *f = arg;

	if (f->next_extra < f->nextra)
		return f->extra[f->next_extra++];
	while (f->next < f->ndue) {
		const struct outbox_due *d = &f->due[f->next++];
		struct notice *v = NULL;
		size_t n = 0;
		struct xfer *x;

		if (store_outbox_notices(f->r->st, d->id, &v, &n) != 0) {
			log_err("cannot read notification %lld: %s", (long long)d->id,
			    store_errmsg(f->r->st));
			f->r->rc = -1;
			continue;
		}
		x = prepare(f->r->cfg, f->sec, d->channel, d->target, d->uid, v, n);
		notices_free(v, n);
		x->msg_id = d->id;
		x->attempts = d->attempts;
		x->created_at = (time_t)d->created_at;
		if (x->h)
			return x;
		/* Cannot even be prepared: recorded now, the others go on. */
		record(f->r, x);
		xfer_free(x);
	}
	return NULL;
}

int deliver_pending(struct store *st, const struct config *cfg, bool force,
    time_t now, void (*tick)(void *), void *tick_arg, struct deliver_stats *stats)
{
	struct run r = { .st = st, .cfg = cfg, .stats = stats, .now = now,
	    .t0 = time(NULL), .rc = 0 };
	struct feed f = { .r = &r };
	struct secrets sec;
	int64_t pending;

	*stats = (struct deliver_stats){ 0 };
	curl_global_init(CURL_GLOBAL_DEFAULT);
	secrets_init(&sec, cfg);
	f.sec = &sec;
	if (store_outbox_due(st, force, now, &f.due, &f.ndue) != 0) {
		log_err("cannot read the outbox: %s", store_errmsg(st));
		r.rc = -1;
		goto out;
	}
	refresh_alertmanagers(&r, &sec, &f.extra, &f.nextra);
	run_all(feed_next, &f, tick, tick_arg, on_done, &r);
	free(f.extra);
	store_outbox_due_free(f.due, f.ndue);
	if ((pending = store_outbox_pending(st)) >= 0)
		stats->pending = (int)pending;
out:
	secrets_free(&sec, cfg);
	curl_global_cleanup();
	return r.rc;
}

static struct xfer *one_next(void *arg)
{
	struct xfer **x = arg, *r = *x;

	*x = NULL;
	return r;
}

static void on_done_now(struct xfer *x, void *arg)
{
	*(struct send_result *)arg = x->res;
}

int deliver_send_now(const struct config *cfg, const char *channel,
    const char *target, const char *uid, const struct notice *v, size_t n,
    struct send_result *res)
{
	struct secrets sec;
	struct xfer *x;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	secrets_init(&sec, cfg);
	x = prepare(cfg, &sec, channel, target, uid, v, n);
	if (x->h)
		run_all(one_next, &x, NULL, NULL, on_done_now, res);
	else {
		*res = x->res;
		xfer_free(x);
	}
	secrets_free(&sec, cfg);
	curl_global_cleanup();
	return res->ok ? 0 : -1;
}
