/* Pull sources (SPEC 8). Each due source is fetched outside any database
 * transaction (an HTTP document through util/transport.c, or the result of
 * a query on a read-only SQLite database, which store/query.c renders as a
 * long-form CSV in memory), then
 * parsed by csv_parse exactly like an inbox file, so the validation is the
 * same, and imported all or nothing together with the source's new state
 * in one transaction. Validators (ETag, Last-Modified) and the SHA-256 of
 * the last imported bytes make an unchanged source import nothing. A
 * failure is recorded in source_state, logged, and retried at the next
 * cycle; only a database error stops the pull. */
#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "vigie/csv.h"
#include "vigie/log.h"
#include "vigie/secret.h"
#include "vigie/sources.h"
#include "vigie/store_query.h"
#include "vigie/store_sources.h"
#include "vigie/text.h"
#include "vigie/transport.h"
#include "vigie/xalloc.h"

/* What a source produced in one run. */
struct pull {
	char *buf;		/* the CSV document */
	size_t len;
	bool unchanged;		/* 304, or the same bytes as last time */
	char *etag, *last_modified;	/* validators of a 200 answer */
	char *err;		/* why it failed; NULL on success */
};

static void pull_fail(struct pull *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void pull_fail(struct pull *p, const char *fmt, ...)
{
	va_list ap;

	free(p->err);
	va_start(ap, fmt);
	if (vasprintf(&p->err, fmt, ap) < 0)
		xalloc_die();
	va_end(ap);
}

static void pull_clear(struct pull *p)
{
	free(p->buf);
	free(p->etag);
	free(p->last_modified);
	free(p->err);
	memset(p, 0, sizeof(*p));
}

/* ---------------------------------------------------------------- http */

/* The validators of the answer being received. */
struct http_ctx {
	char *etag, *last_modified;
};

/* The value of header `name` in line[0..n) when it is that header. */
static char *header_value(const char *line, size_t n, const char *name)
{
	size_t l = strlen(name);
	char *v;

	if (n <= l || strncasecmp(line, name, l) || line[l] != ':')
		return NULL;
	line += l + 1;
	n -= l + 1;
	while (n && (*line == ' ' || *line == '\t'))
		line++, n--;
	while (n && isspace((unsigned char)line[n - 1]))
		n--;
	if (!n || !(v = strndup(line, n)))
		return NULL;
	for (char *c = v; *c; c++)
		if ((unsigned char)*c < 0x20)
			*c = ' ';	/* the value goes back into a header */
	return v;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *arg)
{
	struct http_ctx *h = arg;
	size_t n = size * nmemb;
	char *v;

	if (n >= 5 && !strncmp(data, "HTTP/", 5)) {
		/* a new response (after 100 Continue): forget the last one's */
		free(h->etag);
		free(h->last_modified);
		h->etag = h->last_modified = NULL;
	} else if ((v = header_value(data, n, "ETag"))) {
		free(h->etag);
		h->etag = v;
	} else if ((v = header_value(data, n, "Last-Modified"))) {
		free(h->last_modified);
		h->last_modified = v;
	}
	return n;
}

static void fetch_http(const struct source_config *s, const struct source_state *old,
    struct pull *p, void (*tick)(void *), void *tick_arg)
{
	struct http_ctx h = { 0 };
	struct curl_slist *hdrs = NULL;
	struct transport t;
	char *token = NULL, *msg = NULL, *line = NULL;
	CURLcode rc;
	long status = 0;

	if (s->token_file || s->token_credential) {
		if (secret_read(s->token_file, s->token_credential, &token, &msg) != 0) {
			pull_fail(p, "%s", msg ? msg : "cannot read the token");
			free(msg);
			return;
		}
		for (const char *c = token; *c; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f) {
				pull_fail(p, "the token in %s contains a control character "
				    "or a line break", s->token_file ? s->token_file
				    : s->token_credential);
				secret_free(token);
				return;
			}
		line = xasprintf("Authorization: Bearer %s", token);
		secret_free(token);
		hdrs = curl_slist_append(hdrs, line);
		secret_free(line);
	}
	if (old->etag) {
		line = xasprintf("If-None-Match: %s", old->etag);
		hdrs = curl_slist_append(hdrs, line);
		free(line);
	}
	if (old->last_modified) {
		line = xasprintf("If-Modified-Since: %s", old->last_modified);
		hdrs = curl_slist_append(hdrs, line);
		free(line);
	}
	hdrs = curl_slist_append(hdrs, "Accept: text/csv, text/plain;q=0.9, */*;q=0.5");
	transport_init(&t, &(struct transport_opts){ .url = s->url,
	    .protocols = "http,https", .timeout_ms = s->timeout_ms, .ca_file = s->ca_file,
	    .max_size = s->max_size, .tick = tick, .tick_arg = tick_arg });
	curl_easy_setopt(t.h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(t.h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(t.h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(t.h, CURLOPT_HEADERDATA, &h);
	rc = curl_easy_perform(t.h);
	curl_easy_getinfo(t.h, CURLINFO_RESPONSE_CODE, &status);
	if (t.too_big || rc == CURLE_FILESIZE_EXCEEDED) {
		pull_fail(p, "%s: the document is larger than max_size (%lld bytes); "
		    "raise max_size or make the export smaller", s->url, s->max_size);
	} else if (rc != CURLE_OK) {
		pull_fail(p, "%s: %s", s->url, transport_error(&t, rc));
	} else if (status == 304) {
		p->unchanged = true;
	} else if (status >= 300 && status < 400) {
		char *loc = NULL;
		curl_easy_getinfo(t.h, CURLINFO_REDIRECT_URL, &loc);
		pull_fail(p, "%s: HTTP %ld redirect%s%s not followed; set url to the "
		    "final address", s->url, status, loc ? " to " : "", loc ? loc : "");
	} else if (status != 200) {
		pull_fail(p, "%s: HTTP status %ld%s", s->url, status,
		    status == 401 || status == 403 ? " (check the token)" : "");
	} else {
		p->etag = h.etag;
		p->last_modified = h.last_modified;
		h.etag = h.last_modified = NULL;
		p->buf = t.body;
		p->len = t.len;
		t.body = NULL;
	}
	free(h.etag);
	free(h.last_modified);
	for (struct curl_slist *l = hdrs; l; l = l->next)
		explicit_bzero(l->data, strlen(l->data));	/* curl's copy of the token */
	curl_slist_free_all(hdrs);
	transport_cleanup(&t);
}

static void fetch_sqlite(const struct source_config *s, struct pull *p)
{
	char *err = NULL;

	if (store_query_csv(s->path, s->query, s->timeout_ms, s->max_size, &p->buf,
	    &p->len, &err) != 0)
		pull_fail(p, "%s", err ? err : "cannot run the query");
	free(err);
}

/* ---------------------------------------------------------------- pull */

/* Runs one source. Returns 1 when it imported data, 0 otherwise (success
 * or recorded failure), -1 on a database error. */
static int pull_one(struct store *st, const struct source_config *s, time_t now,
    void (*tick)(void *), void *tick_arg)
{
	struct source_state old;
	struct pull p = { 0 };
	struct import_batch b = { 0 };
	struct import_stats stats = { 0 };
	struct diags d = { 0 };
	char sha[65] = "", *err = NULL;
	int rc = 0;
	int64_t next = (int64_t)now + s->every_s;

	if (store_source_get(st, s->name, &old) != 0)
		return -1;
	/* Not due yet; a next run further away than `every` was planned under
	 * a longer `every` that the configuration has since shortened. */
	if (old.found && s->every_s > 0 && old.next_run > (int64_t)now &&
	    old.next_run - (int64_t)now <= s->every_s) {
		store_source_state_clear(&old);
		return 0;
	}
	if (s->type == SRC_HTTP)
		fetch_http(s, &old, &p, tick, tick_arg);
	else
		fetch_sqlite(s, &p);
	if (p.err) {
		err = text_first_line(p.err, 0);
		log_err("source %s: %s; retried at the next cycle", s->name, p.err);
		goto record;
	}
	if (p.unchanged) {
		log_debug("source %s: not modified", s->name);
		rc = store_source_ok(st, s->name, now, old.etag, old.last_modified,
		    old.hash, next) ? -1 : 0;
		goto out;
	}
	sha256_hex(p.buf, p.len, sha);
	if (old.hash && !strcmp(old.hash, sha)) {
		log_debug("source %s: unchanged", s->name);
		rc = store_source_ok(st, s->name, now, p.etag, p.last_modified, sha,
		    next) ? -1 : 0;
		goto out;
	}
	if (csv_parse(s->name, p.buf, p.len, store_granularity(st), &b, &d) != 0) {
		char *text = diags_to_string(&d, CSV_MAX_ERRORS);
		log_err("source %s rejected, nothing imported:\n%s", s->name,
		    text ? text : "");
		if (d.n == 1 || !text)
			err = text ? text_first_line(text, 0) : xstrdup("invalid CSV");
		else
			err = xasprintf("%zu errors, first: %.*s", d.n,
			    (int)strcspn(text, "\n"), text);
		free(text);
		goto record;
	}
	/* The data and the state that says we have it go in together. */
	if (store_begin(st) != 0) {
		rc = -1;
		goto out;
	}
	if (store_import(st, s->name, sha, &b, &stats) != 0 ||
	    store_source_ok(st, s->name, now, p.etag, p.last_modified, sha, next) != 0) {
		store_rollback(st);
		rc = -1;
		goto out;
	}
	if (store_commit(st) != 0) {
		store_rollback(st);
		rc = -1;
		goto out;
	}
	log_info("source %s: imported %zu rows, %zu values (%zu new, %zu replaced, "
	    "%zu unchanged)", s->name, stats.rows, stats.values, stats.added,
	    stats.replaced, stats.unchanged);
	rc = 1;
	goto out;
record:
	/* a failed source is due again at the next cycle */
	if (store_source_failed(st, s->name, now, err, now) != 0)
		rc = -1;
out:
	free(err);
	diags_free(&d);
	import_batch_free(&b);
	pull_clear(&p);
	store_source_state_clear(&old);
	return rc;
}

int sources_pull(struct store *st, const struct config *cfg, time_t now,
    void (*tick)(void *), void *tick_arg, int *imported)
{
	*imported = 0;
	for (size_t i = 0; i < cfg->nsources; i++) {
		int r;

		if (tick)
			tick(tick_arg);
		r = pull_one(st, &cfg->sources[i], now, tick, tick_arg);
		if (r < 0)
			return -1;
		*imported += r;
	}
	return 0;
}

/* -------------------------------------------------------------- status */

int sources_status(struct store *st, const struct config *cfg,
    struct source_status **out, size_t *n)
{
	struct source_status *v = xcalloc(cfg->nsources, sizeof(*v));

	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < cfg->nsources; i++) {
		const struct source_config *s = &cfg->sources[i];
		struct source_state ss;

		v[i].name = xstrdup(s->name);
		v[i].type = s->type == SRC_HTTP ? "http" : "sqlite";
		if (store_source_get(st, s->name, &ss) != 0) {
			sources_status_free(v, i + 1);
			return -1;
		}
		v[i].last_run = ss.last_run;
		v[i].last_success = ss.last_success;
		v[i].last_error_at = ss.last_error_at;
		v[i].next_run = ss.next_run;
		v[i].last_error = ss.last_error;
		ss.last_error = NULL;
		store_source_state_clear(&ss);
	}
	*out = v;
	*n = cfg->nsources;
	return 0;
}

void sources_status_free(struct source_status *v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].last_error);
	}
	free(v);
}

json_t *sources_status_json(const struct source_status *v, size_t n)
{
	json_t *a = json_array();
	char tb[ISO8601_BUFSZ];

	for (size_t i = 0; i < n; i++) {
		const int64_t times[4] = { v[i].last_run, v[i].last_success,
		    v[i].last_error_at, v[i].next_run };
		static const char *const keys[4] = { "last_run", "last_success",
		    "last_error_at", "next_run" };
		json_t *o = json_object();

		json_object_set_new(o, "name", json_string(v[i].name));
		json_object_set_new(o, "type", json_string(v[i].type));
		for (int k = 0; k < 4; k++) {
			json_object_set_new(o, keys[k], times[k] ?
			    json_string(text_iso8601(times[k], tb)) : json_null());
			if (k == 1)
				json_object_set_new(o, "last_error", v[i].last_error ?
				    json_string(v[i].last_error) : json_null());
		}
		json_array_append_new(a, o);
	}
	return a;
}
