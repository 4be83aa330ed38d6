/* Email over SMTP (daemon/notify/notify_impl.h): one message to one address
 * with libcurl, STARTTLS required unless the configuration allows none for
 * a loopback host, the envelope sender being the bare address of smtp.from.
 * What the server says is followed through curl's debug callback: the
 * command sent (CURLINFO_HEADER_OUT, of which only the verb is kept: AUTH
 * carries credentials) and each reply line (CURLINFO_HEADER_IN), so that a
 * refusal is reported with the server's own words (`554 5.1.1 <x@y>:
 * Recipient address rejected: mailbox unavailable`) and sorted by the
 * command it answered: a refused sender, session or authentication is the
 * configuration's fault (held until it changes), a refused recipient or
 * message (a message larger than the server takes, refused at MAIL FROM
 * for its declared SIZE, among them) is that message's, a 4xx passes
 * later. A reply to AUTH is kept as its codes only (`535 5.7.8`): a
 * server may quote back what it was sent, and what AUTH sends is the
 * password. */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "notify_impl.h"
#include "vigie/log.h"
#include "vigie/mail.h"
#include "vigie/mime.h"
#include "vigie/xalloc.h"

/* A report's email larger than the smallest limit in common use is said
 * before it goes, with the cure: a server may refuse it whole (then it
 * fails for good), or accept it and a mailbox refuse it later. */
static void warn_large(const struct notice *v, size_t len)
{
	json_t *j;
	const char *unit;

	if (len <= MAIL_SIZE_COMMON_LIMIT)
		return;
	j = v->labels ? json_loads(v->labels, 0, NULL) : NULL;
	unit = json_string_value(json_object_get(j, "unit"));
	log_warnx("works council %s%s%s: the email is %.1f MB, more than the 10 MB many "
	    "mail servers refuse (Postfix's default message_size_limit); schedule one "
	    "report a company or site (report: as a list, one unit each, vigie.yaml(5)), "
	    "or download it from the console", v->title ? v->title : "report",
	    unit ? " of " : " of every unit", unit ? unit : "", (double)len / 1e6);
	json_decref(j);
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

static void append(struct smtp_talk *s, const char *p, size_t n)
{
	for (size_t i = 0; i < n && s->cur_len + 1 < sizeof(s->cur); i++) {
		unsigned char c = (unsigned char)p[i];

		/* A reply reaches logs and terminals: printable ASCII only. */
		s->cur[s->cur_len++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	s->cur[s->cur_len] = '\0';
}

/* Cuts "535 5.7.8 text" to "535 5.7.8": the reply code and the enhanced
 * status code (RFC 3463), when there is one. */
static void codes_only(char *reply)
{
	size_t n = 3;

	if (reply[3] == ' ') {
		size_t k = strspn(reply + 4, "0123456789.");

		if (k > 0 && (reply[4 + k] == ' ' || reply[4 + k] == '\0'))
			n = 4 + k;
	}
	reply[n] = '\0';
}

/* One reply line, "NNN text" or "NNN-text" (more lines follow). */
static void reply_line(struct smtp_talk *s, const char *p, size_t n)
{
	int code;

	while (n > 0 && (p[n - 1] == '\n' || p[n - 1] == '\r'))
		n--;
	if (n < 3 || !isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]) ||
	    !isdigit((unsigned char)p[2]))
		return;
	code = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
	if (!s->open) {
		s->cur_len = 0;
		append(s, p, 3);
	}
	if (n > 4) {
		append(s, " ", 1);
		append(s, p + 4, n - 4);
	}
	s->open = n > 3 && p[3] == '-';
	if (!s->open && code >= 400 && !s->code) {
		s->code = code;
		memcpy(s->reply, s->cur, s->cur_len + 1);
		memcpy(s->at, s->cmd, sizeof(s->at));
		if (!strcmp(s->at, "AUTH"))
			codes_only(s->reply);
	}
}

static int on_debug(CURL *h, curl_infotype type, char *data, size_t size, void *arg)
{
	static const char *const verbs[] = { "EHLO", "HELO", "STARTTLS", "AUTH", "MAIL",
	    "RCPT", "DATA", "QUIT", "RSET" };
	struct smtp_talk *s = &((struct xfer *)arg)->smtp;

	(void)h;
	if (type == CURLINFO_HEADER_OUT) {
		size_t k = 0;

		/* The verb only; an AUTH exchange's base64 lines match none. */
		while (k < size && k < 10 && isalpha((unsigned char)data[k]))
			k++;
		for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
			if (strlen(verbs[i]) == k && !strncasecmp(data, verbs[i], k)) {
				memcpy(s->cmd, verbs[i], k + 1);
				break;
			}
	} else if (type == CURLINFO_HEADER_IN) {
		for (size_t i = 0; i < size; ) {
			const char *nl = memchr(data + i, '\n', size - i);
			size_t len = nl ? (size_t)(nl - (data + i)) + 1 : size - i;

			reply_line(s, data + i, len);
			i += len;
		}
	}
	return 0;
}

int smtp_prepare(struct xfer *x, const struct config *cfg, const char *password,
    const char *to, const char *uid, const struct notice *v, size_t n,
    progress_fn *tick, void *tick_arg)
{
	const struct smtp_config *sc = cfg->smtp;
	struct mail_envelope env;
	char addr[320], *line;

	x->is_mail = true;
	if (!sc || !sc->url) {
		send_fail(&x->res, false, "no smtp: section in the configuration");
		x->res.config = true;
		return -1;
	}
	if (strncasecmp(sc->url, "smtp://", 7) && strncasecmp(sc->url, "smtps://", 8)) {
		send_fail(&x->res, false, "smtp.url %s is neither smtp:// nor smtps://", sc->url);
		x->res.config = true;
		return -1;
	}
	mime_addr_spec(to, addr, sizeof(addr));
	if (!*addr || strpbrk(addr, " <>\r\n")) {
		send_fail(&x->res, false, "invalid address \"%s\"", addr);
		return -1;
	}
	env = (struct mail_envelope){ .from_name = sc->from_name,
	    .from_addr = sc->from_addr ? sc->from_addr : "vigie@localhost",
	    .to = addr, .uid = uid, .date = time(NULL),
	    .web_url = config_web_url(cfg) };
	x->parts = xcalloc(1, sizeof(*x->parts));
	/* A scheduled report is rendered now, from the data as it is. */
	if (n == 1 && !strcmp(v[0].kind, "report")) {
		char why[sizeof(x->res.error)];

		x->parts[0] = mail_render_report(cfg, &v[0], &env, &x->len, why,
		    sizeof(why));
		if (!x->parts[0]) {
			send_fail(&x->res, true, "%s", why);
			return -1;
		}
		warn_large(&v[0], x->len);
	} else {
		x->parts[0] = mail_render(v, n, cfg->locale, &env, &x->len);
	}
	x->nparts = 1;
	x->payload = x->parts[0];
	transport_init(&x->t, &(struct transport_opts){ .url = sc->url,
	    .protocols = "smtp,smtps", .timeout_ms = sc->timeout_ms,
	    .ca_file = sc->ca_file, .tick = tick, .tick_arg = tick_arg });
	curl_easy_setopt(x->t.h, CURLOPT_PRIVATE, x);
	/* The dialogue, for the server's words when it refuses. */
	curl_easy_setopt(x->t.h, CURLOPT_DEBUGFUNCTION, on_debug);
	curl_easy_setopt(x->t.h, CURLOPT_DEBUGDATA, x);
	curl_easy_setopt(x->t.h, CURLOPT_VERBOSE, 1L);
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
	line = xasprintf("<%s>", env.from_addr);
	curl_easy_setopt(x->t.h, CURLOPT_MAIL_FROM, line);
	free(line);
	curl_easy_setopt(x->t.h, CURLOPT_MAIL_RCPT, x->rcpt);
	curl_easy_setopt(x->t.h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(x->t.h, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(x->t.h, CURLOPT_READDATA, x);
	curl_easy_setopt(x->t.h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)x->len);
	return 0;
}

/* A refusal of the message's size: 552 at MAIL FROM (RFC 1870: the SIZE
 * declared exceeds the server's fixed maximum), or the enhanced code 5.3.4
 * (RFC 3463: message too big for system). */
static bool too_large(const struct smtp_talk *s)
{
	return s->code == 552 || strstr(s->reply, " 5.3.4") != NULL;
}

void smtp_classify(struct xfer *x, CURLcode rc)
{
	struct send_result *r = &x->res;
	const struct smtp_talk *s = &x->smtp;
	long code = 0;

	if (rc == CURLE_OK) {
		r->ok = true;
		return;
	}
	curl_easy_getinfo(x->t.h, CURLINFO_RESPONSE_CODE, &code);
	r->status = s->code ? s->code : code;
	if (!s->code) {
		/* No refusal heard: connection, TLS, timeout, or a reply that
		 * made no sense. It may pass later. */
		if (rc == CURLE_LOGIN_DENIED) {
			send_fail(r, false, "SMTP authentication refused (check smtp.username "
			    "and the password): %s", transport_error(&x->t, rc));
			r->config = true;
		} else {
			send_fail(r, true, "SMTP: %s", transport_error(&x->t, rc));
		}
		return;
	}
	if (s->code < 500) {
		send_fail(r, true, "SMTP %s%sdeferred: %s", s->at, *s->at ? " " : "", s->reply);
		return;
	}
	/* 5xx (or an authentication refusal): whose fault is it? */
	if (!strcmp(s->at, "AUTH") || rc == CURLE_LOGIN_DENIED) {
		send_fail(r, false, "SMTP AUTH refused (check smtp.username and the password): %s",
		    s->reply);
		r->config = true;
	} else if (!strcmp(s->at, "MAIL") && too_large(s)) {
		/* The SIZE the message declared (RFC 1870): this message's
		 * fault, not the sender's; it will not pass later either. */
		send_fail(r, false, "SMTP message refused as too large (%zu bytes): %s", x->len,
		    s->reply);
	} else if (!strcmp(s->at, "MAIL")) {
		send_fail(r, false, "SMTP MAIL FROM refused (check smtp.from): %s", s->reply);
		r->config = true;
	} else if (!strcmp(s->at, "RCPT")) {
		send_fail(r, false, "SMTP RCPT TO refused: %s", s->reply);
	} else if (!strcmp(s->at, "DATA")) {
		send_fail(r, false, "SMTP message refused after DATA: %s", s->reply);
	} else {
		/* The greeting, EHLO/HELO, STARTTLS: this client is not welcome
		 * (curl says "Weird server reply" for a refused greeting). */
		send_fail(r, false, "SMTP session refused%s%s (check smtp.url and the "
		    "server's policy for this host): %s", *s->at ? " at " : " at the greeting",
		    s->at, s->reply);
		r->config = true;
	}
}
