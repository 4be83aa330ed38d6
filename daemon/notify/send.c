/* Sending notices through one channel (daemon/notify/notify_impl.h): an
 * email to one address over SMTP (smtp.c), or a POST to one webhook, in as
 * many parts as its receiver needs, prepared with the transfer policy of
 * util/transport.c, each with its own timeout, to be run side by side
 * (send_loop.c). The parts of one message go in order on one handle, each
 * with its own webhook-id. A finished transfer is sorted into success, a failure worth
 * retrying, a permanent one, or one the configuration must fix, with a
 * one-line reason. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <openssl/evp.h>
#include "notify_impl.h"
#include "vigie/secret.h"
#include "vigie/store.h"	/* sha256_hex */
#include "vigie/text.h"
#include "vigie/webhook.h"
#include "vigie/xalloc.h"

void send_free(struct xfer *x)
{
	if (!x)
		return;
	transport_cleanup(&x->t);
	curl_slist_free_all(x->rcpt);
	curl_slist_free_all(x->headers);
	webhook_parts_free(x->parts, x->nparts);
	if (x->file)
		fclose(x->file);
	free(x->uid);
	free(x->target);
	free(x);
}

void send_fail(struct send_result *r, bool retryable, const char *fmt, ...)
{
	va_list ap;

	r->ok = false;
	r->retryable = retryable;
	va_start(ap, fmt);
	vsnprintf(r->error, sizeof(r->error), fmt, ap);
	va_end(ap);
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
	secret_free(h);	/* it may be the Authorization header */
}

static size_t file_read(char *buf, size_t size, size_t nmemb, void *arg)
{
	size_t k = fread(buf, 1, size * nmemb, arg);

	return k == 0 && ferror((FILE *)arg) ? CURL_READFUNC_ABORT : k;
}

static int file_seek(void *arg, curl_off_t off, int origin)
{
	return fseeko(arg, (off_t)off, origin) == 0 ? CURL_SEEKFUNC_OK : CURL_SEEKFUNC_CANTSEEK;
}

/* The part's body and headers on the handle: from memory, or read from
 * the file from its start. */
static void put_body(struct xfer *x)
{
	if (x->file) {
		rewind(x->file);
		curl_easy_setopt(x->t.h, CURLOPT_READFUNCTION, file_read);
		curl_easy_setopt(x->t.h, CURLOPT_READDATA, x->file);
		curl_easy_setopt(x->t.h, CURLOPT_SEEKFUNCTION, file_seek);
		curl_easy_setopt(x->t.h, CURLOPT_SEEKDATA, x->file);
	} else {
		curl_easy_setopt(x->t.h, CURLOPT_POSTFIELDS, x->payload);
	}
	curl_easy_setopt(x->t.h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)x->len);
	curl_easy_setopt(x->t.h, CURLOPT_HTTPHEADER, x->headers);
}

/* Puts part x->part on the handle: its body, and its headers with a fresh
 * timestamp and signature. The first part's webhook-id is the message's
 * uid, identical on every retry; part k's is uid_k. Returns -1 when the
 * secret cannot sign (checked at load: only a secret changed since). */
static int webhook_part(struct xfer *x)
{
	char id[96];
	int signed_ok;

	if (!x->file) {
		x->payload = x->parts[x->part];
		x->len = strlen(x->payload);
	}
	if (x->part == 0)
		snprintf(id, sizeof(id), "%s", x->uid);
	else
		snprintf(id, sizeof(id), "%s_%zu", x->uid, x->part + 1);
	curl_slist_free_all(x->headers);
	x->headers = NULL;
	add_header(x, "Content-Type: application/json");
	add_header(x, "Expect:");
	if (x->auth)
		add_header(x, "Authorization: %s", x->auth);
	if (x->secret) {
		char sig[128];
		long long ts = (long long)time(NULL);

		signed_ok = x->file ? webhook_sign_file(x->secret, id, ts, x->file, sig, sizeof(sig)) :
		    webhook_sign(x->secret, id, ts, x->payload, x->len, sig, sizeof(sig));
		if (signed_ok == -1) {
			send_fail(&x->res, false, "webhook %s: the secret is not \"whsec_\" "
			    "followed by a base64 key of 16 bytes or more", x->wh->name);
			x->res.config = true;
			return -1;
		}
		if (signed_ok != 0) {
			send_fail(&x->res, true, "webhook %s: cannot sign the message: %s",
			    x->wh->name, strerror(errno));
			return -1;
		}
		add_header(x, "webhook-id: %s", id);
		add_header(x, "webhook-timestamp: %lld", ts);
		add_header(x, "webhook-signature: %s", sig);
	}
	if (x->t.h)
		put_body(x);
	return 0;
}

/* A message to one webhook, from part `skip` on: v[0..n), or the one body
 * already in x->file. Fills x->res and returns -1 when there is nothing to
 * send or it cannot be prepared. */
static int xfer_webhook(struct xfer *x, const struct config *cfg,
    const struct webhook_config *w, const char *secret, const struct notice *v,
    size_t n, size_t skip, progress_fn *tick, void *tick_arg)
{
	struct webhook_render r = webhook_render_of(w, cfg, time(NULL));
	char *url = webhook_post_url(w);

	x->wh = w;
	x->secret = secret;
	if (!url || (strncasecmp(url, "http://", 7) && strncasecmp(url, "https://", 8))) {
		send_fail(&x->res, false, "webhook %s: only http:// and https:// URLs are allowed",
		    w->name);
		x->res.config = true;
		free(url);
		return -1;
	}
	if (x->file) {
		off_t end = fseeko(x->file, 0, SEEK_END) == 0 ? ftello(x->file) : -1;

		if (end < 0) {
			send_fail(&x->res, true, "cannot read the message's body: %s",
			    strerror(errno));
			free(url);
			return -1;
		}
		x->len = (size_t)end;
		x->nparts = 1;
	} else {
		x->parts = webhook_parts(&r, v, n, &x->nparts);
	}
	if (skip >= x->nparts) {
		/* Every part arrived; only the record of it was missing. */
		x->res.ok = true;
		free(url);
		return -1;
	}
	x->part = skip;
	if (webhook_part(x) != 0) {
		free(url);
		return -1;
	}
	/* The answer's head only, for the error message of a refusal. */
	transport_init(&x->t, &(struct transport_opts){ .url = url,
	    .protocols = "http,https", .timeout_ms = w->timeout_ms, .tick = tick,
	    .tick_arg = tick_arg });
	curl_easy_setopt(x->t.h, CURLOPT_PRIVATE, x);
	free(url);
	curl_easy_setopt(x->t.h, CURLOPT_POST, 1L);
	put_body(x);
	return 0;
}

void send_classify_http(struct xfer *x, CURLcode rc)
{
	struct send_result *r = &x->res;
	long code = 0;
	curl_off_t ra = 0;
	char *line;

	curl_easy_getinfo(x->t.h, CURLINFO_RESPONSE_CODE, &code);
	r->status = code;
	if (rc != CURLE_OK) {
		send_fail(r, true, "%s", transport_error(&x->t, rc));
		return;
	}
	if (code >= 200 && code < 300) {
		r->ok = true;
		return;
	}
	if (curl_easy_getinfo(x->t.h, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra > 0)
		r->retry_after = (long)ra;
	line = text_first_line(x->t.body, 199);
	/* A redirect is not followed (the body would go where the URL does
	 * not say): the address to write instead is the one it names. */
	if (code >= 300 && code < 400)
		send_fail(r, false, "HTTP %ld: a redirect, which Vigie does not follow; "
		    "write the address it names in the webhook's url", code);
	else
		send_fail(r, code == 408 || code == 429 || (code >= 500 && code < 600),
		    "HTTP %ld%s%s", code, *line ? ": " : "", line);
	free(line);
	/* Refused credentials, or an address that is no more (a deleted Teams
	 * workflow, a revoked Slack URL): the configuration must change. */
	r->config = code == 401 || code == 403 || code == 404 || code == 410;
}

bool send_next_part(struct xfer *x)
{
	if (x->is_mail || x->part + 1 >= x->nparts)
		return false;
	x->part++;
	if (x->on_part)
		x->on_part(x, x->on_part_arg);
	x->res = (struct send_result){ 0 };
	x->t.len = 0;
	x->t.body[0] = '\0';
	x->t.errbuf[0] = '\0';
	return webhook_part(x) == 0;
}

/* Reads the secret of file or credential once per run, checked for kind
 * when kind is not SECRET_PASSWORD (smtp.c checks the password itself). */
static const char *read_once(struct secret_once *o, const char *file,
    const char *credential, enum secret_kind kind, char **err)
{
	const char *why;

	if (!o->done) {
		o->done = true;
		if ((file || credential) && secret_read(file, credential, &o->val, &o->err) == 0 &&
		    kind != SECRET_PASSWORD && (why = secret_check(kind, o->val))) {
			o->err = xstrdup(why);
			secret_free(o->val);
			o->val = NULL;
		}
	}
	*err = o->err;
	return o->val;
}

/* The key that names the webhook's credential, for messages. */
static const char *auth_key(const struct webhook_config *w)
{
	if (w->auth == AUTH_BEARER)
		return w->auth_file ? "token_file" : "token_credential";
	return w->auth_file ? "basic_auth_file" : "basic_auth_credential";
}

/* The value of webhook w's Authorization header, or NULL without one:
 * "Bearer TOKEN", or "Basic " and the base64 of user:password (RFC 7617).
 * Read once per run, as the other secrets; the value replaces the raw
 * secret where the run keeps it. */
static const char *webhook_auth(struct secrets *s, const struct config *cfg,
    const struct webhook_config *w, char **err)
{
	struct secret_once *o = &s->auth[w - cfg->webhooks];
	bool first = !o->done;
	size_t n;
	char *v;

	*err = NULL;
	if (w->auth == AUTH_NONE)
		return NULL;
	if (!read_once(o, w->auth_file, w->auth_credential,
	    w->auth == AUTH_BEARER ? SECRET_TOKEN : SECRET_BASIC, err) || !first)
		return o->val;
	n = strlen(o->val);
	v = xmalloc(7 + 4 * ((n + 2) / 3) + 1);
	if (w->auth == AUTH_BEARER) {
		memcpy(v, "Bearer ", 7);
		memcpy(v + 7, o->val, n + 1);
	} else {
		memcpy(v, "Basic ", 6);
		EVP_EncodeBlock((unsigned char *)v + 6, (const unsigned char *)o->val, (int)n);
	}
	secret_free(o->val);
	return o->val = v;
}

void secrets_init(struct secrets *s, const struct config *cfg)
{
	memset(s, 0, sizeof(*s));
	s->wh = xcalloc(cfg->nwebhooks + 1, sizeof(*s->wh));
	s->auth = xcalloc(cfg->nwebhooks + 1, sizeof(*s->auth));
}

void secrets_free(struct secrets *s, const struct config *cfg)
{
	secret_free(s->smtp.val);
	free(s->smtp.err);
	for (size_t i = 0; i < cfg->nwebhooks; i++) {
		secret_free(s->wh[i].val);
		free(s->wh[i].err);
		secret_free(s->auth[i].val);
		free(s->auth[i].err);
	}
	free(s->wh);
	free(s->auth);
}

/* Fields separated by a byte no configuration string holds. */
static void fp_put(FILE *f, const char *s)
{
	fputs(s ? s : "-", f);
	fputc('\x1f', f);
}

static void fp_secret(FILE *f, const char *file, const char *credential)
{
	const char *dir = getenv("CREDENTIALS_DIRECTORY");
	char path[4096];
	struct stat sb;

	if (file)
		snprintf(path, sizeof(path), "%s", file);
	else if (credential)
		snprintf(path, sizeof(path), "%s/%s", dir ? dir : "", credential);
	else
		return;
	fp_put(f, path);
	if (stat(path, &sb) != 0)
		fprintf(f, "absent %d\x1f", errno);
	else
		fprintf(f, "%llu %llu %lld %o %lld.%09ld %lld.%09ld\x1f",
		    (unsigned long long)sb.st_dev, (unsigned long long)sb.st_ino,
		    (long long)sb.st_size, (unsigned)sb.st_mode,
		    (long long)sb.st_mtim.tv_sec, sb.st_mtim.tv_nsec,
		    (long long)sb.st_ctim.tv_sec, sb.st_ctim.tv_nsec);
}

void send_fingerprint(const struct config *cfg, const char *channel,
    const char *target, char out[65])
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		xalloc_die();
	fp_put(f, channel);
	if (!strcmp(channel, "email")) {
		const struct smtp_config *s = cfg->smtp;

		if (s) {
			fp_put(f, s->url);
			fprintf(f, "%d %ld\x1f", (int)s->starttls, s->timeout_ms);
			fp_put(f, s->username);
			fp_put(f, s->from);
			fp_put(f, s->ca_file);
			fp_secret(f, s->password_file, s->password_credential);
		} else {
			fp_put(f, "no smtp");
		}
	} else {
		const struct webhook_config *w = config_webhook(cfg, target);

		fp_put(f, target);
		if (w) {
			fp_put(f, w->url);
			fprintf(f, "%d %d %ld\x1f", (int)w->format, (int)w->detail, w->timeout_ms);
			fp_put(f, w->instance);
			fp_secret(f, w->secret_file, w->secret_credential);
			if (w->auth != AUTH_NONE) {
				fprintf(f, "auth %d\x1f", (int)w->auth);
				fp_secret(f, w->auth_file, w->auth_credential);
			}
		} else {
			fp_put(f, "no such webhook");
		}
	}
	if (fclose(f) != 0)
		xalloc_die();
	sha256_hex(buf, len, out);
	free(buf);
}

struct xfer *send_prepare(const struct config *cfg, struct secrets *sec,
    const char *channel, const char *target, const char *uid,
    const struct notice *v, size_t n, FILE *body, size_t skip, progress_fn *tick,
    void *tick_arg)
{
	struct xfer *x = xcalloc(1, sizeof(*x));
	char *err = NULL;

	x->file = body;

	x->target = xstrdup(target);
	x->uid = xstrdup(uid);
	x->channel = !strcmp(channel, "email") ? "email" : "webhook";
	if (!strcmp(channel, "email")) {
		const char *pw = !cfg->smtp ? NULL : read_once(&sec->smtp,
		    cfg->smtp->password_file, cfg->smtp->password_credential,
		    SECRET_PASSWORD, &err);

		if (cfg->smtp && err) {
			send_fail(&x->res, false, "SMTP password: %s", err);
			x->res.config = true;
			goto failed;
		}
		if (smtp_prepare(x, cfg, pw, target, uid, v, n, tick, tick_arg) != 0)
			goto failed;
	} else if (!strcmp(channel, "webhook")) {
		const struct webhook_config *w = config_webhook(cfg, target);
		const char *secret, *auth;

		if (!w) {
			send_fail(&x->res, false, "webhook \"%s\" is no longer in the configuration",
			    target);
			x->res.config = true;
			goto failed;
		}
		secret = read_once(&sec->wh[w - cfg->webhooks], w->secret_file,
		    w->secret_credential, SECRET_WEBHOOK, &err);
		if (err) {
			send_fail(&x->res, false, "webhook %s secret: %s", w->name, err);
			x->res.config = true;
			goto failed;
		}
		auth = webhook_auth(sec, cfg, w, &err);
		if (err) {
			send_fail(&x->res, false, "webhook %s %s: %s", w->name, auth_key(w), err);
			x->res.config = true;
			goto failed;
		}
		x->auth = auth;
		if (xfer_webhook(x, cfg, w, secret, v, n, skip, tick, tick_arg) != 0)
			goto failed;
	} else {
		send_fail(&x->res, false, "unknown channel \"%s\"", channel);
		goto failed;
	}
	return x;
failed:
	transport_cleanup(&x->t);
	return x;
}
