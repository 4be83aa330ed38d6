/* Pull sources (SPEC 8). Each due source is fetched outside any database
 * transaction (an HTTP document with libcurl, or the result of a query on
 * a read-only SQLite database rendered as a long-form CSV in memory), then
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
#include "vigie/cli.h"
#include "vigie/csv.h"
#include "vigie/log.h"
#include "vigie/secret.h"
#include "vigie/sources.h"
#include "vigie/text.h"

#ifndef VIGIE_VERSION
#define VIGIE_VERSION "0.1.0"
#endif

/* What a source produced in one run. */
struct pull {
	char *buf;		/* the CSV document */
	size_t len;
	bool unchanged;		/* 304, or the same bytes as last time */
	char *etag, *last_modified;	/* validators of a 200 answer */
	char *err;		/* why it failed; NULL on success */
};

/* The stored state of one source. */
struct state {
	char *etag, *last_modified, *hash;
	int64_t next_run;
	bool found;
};

static void pull_fail(struct pull *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void pull_fail(struct pull *p, const char *fmt, ...)
{
	va_list ap;

	free(p->err);
	va_start(ap, fmt);
	if (vasprintf(&p->err, fmt, ap) < 0)
		p->err = NULL;
	va_end(ap);
	if (!p->err)
		abort();
}

static void pull_clear(struct pull *p)
{
	free(p->buf);
	free(p->etag);
	free(p->last_modified);
	free(p->err);
	memset(p, 0, sizeof(*p));
}

static void state_clear(struct state *s)
{
	free(s->etag);
	free(s->last_modified);
	free(s->hash);
	memset(s, 0, sizeof(*s));
}

static char *col_dup(sqlite3_stmt *q, int i)
{
	const unsigned char *t = sqlite3_column_text(q, i);
	char *s;

	if (!t)
		return NULL;
	if (!(s = strdup((const char *)t)))
		abort();
	return s;
}

static int state_load(sqlite3 *db, const char *name, struct state *s)
{
	sqlite3_stmt *q;
	int rc;

	memset(s, 0, sizeof(*s));
	if (sqlite3_prepare_v2(db, "SELECT etag, last_modified, hash, next_run"
	    " FROM source_state WHERE name = ?", -1, &q, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		s->found = true;
		s->etag = col_dup(q, 0);
		s->last_modified = col_dup(q, 1);
		s->hash = col_dup(q, 2);
		s->next_run = sqlite3_column_int64(q, 3);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* Records a run. On success the validators and hash are replaced (a 304
 * keeps the old ones: pass them back) and the error cleared; on failure
 * only the error, its time and the next run change, so the next cycle
 * retries with the validators of the last good answer. */
static int state_save(sqlite3 *db, const char *name, time_t now, const char *err,
    const char *etag, const char *last_modified, const char *hash, int64_t next_run)
{
	static const char ok_sql[] =
	    "INSERT INTO source_state(name, etag, last_modified, hash, last_run,"
	    " last_success, last_error, last_error_at, next_run)"
	    " VALUES(?1, ?2, ?3, ?4, ?5, ?5, NULL, NULL, ?6)"
	    " ON CONFLICT(name) DO UPDATE SET etag = ?2, last_modified = ?3,"
	    " hash = ?4, last_run = ?5, last_success = ?5, last_error = NULL,"
	    " last_error_at = NULL, next_run = ?6";
	static const char err_sql[] =
	    "INSERT INTO source_state(name, last_run, last_error, last_error_at, next_run)"
	    " VALUES(?1, ?5, ?7, ?5, ?6)"
	    " ON CONFLICT(name) DO UPDATE SET last_run = ?5, last_error = ?7,"
	    " last_error_at = ?5, next_run = ?6";
	sqlite3_stmt *q;
	int rc;

	if (sqlite3_prepare_v2(db, err ? err_sql : ok_sql, -1, &q, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	if (!err) {
		sqlite3_bind_text(q, 2, etag, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 3, last_modified, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 4, hash, -1, SQLITE_STATIC);
	}
	sqlite3_bind_int64(q, 5, (sqlite3_int64)now);
	sqlite3_bind_int64(q, 6, next_run);
	if (err)
		sqlite3_bind_text(q, 7, err, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* ---------------------------------------------------------------- http */

struct http_ctx {
	struct pull *p;
	long long max;
	bool too_big;
	char *etag, *last_modified;
};

static size_t on_body(char *data, size_t size, size_t nmemb, void *arg)
{
	struct http_ctx *h = arg;
	size_t n = size * nmemb;
	char *nb;

	if ((long long)(h->p->len + n) > h->max) {
		h->too_big = true;
		return 0;	/* aborts the transfer */
	}
	nb = realloc(h->p->buf, h->p->len + n + 1);
	if (!nb)
		return 0;
	memcpy(nb + h->p->len, data, n);
	h->p->buf = nb;
	h->p->len += n;
	nb[h->p->len] = '\0';
	return n;
}

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

static void fetch_http(const struct source_config *s, const struct state *old,
    struct pull *p)
{
	struct http_ctx h = { .p = p, .max = s->max_size };
	struct curl_slist *hdrs = NULL;
	char errbuf[CURL_ERROR_SIZE] = "", *token = NULL, *msg = NULL, *line = NULL;
	CURL *curl;
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
		if (asprintf(&line, "Authorization: Bearer %s", token) < 0)
			abort();
		secret_free(token);
		hdrs = curl_slist_append(hdrs, line);
		secret_free(line);
	}
	if (old->etag) {
		if (asprintf(&line, "If-None-Match: %s", old->etag) < 0)
			abort();
		hdrs = curl_slist_append(hdrs, line);
		free(line);
	}
	if (old->last_modified) {
		if (asprintf(&line, "If-Modified-Since: %s", old->last_modified) < 0)
			abort();
		hdrs = curl_slist_append(hdrs, line);
		free(line);
	}
	hdrs = curl_slist_append(hdrs, "Accept: text/csv, text/plain;q=0.9, */*;q=0.5");
	if (!(curl = curl_easy_init()))
		abort();
	curl_easy_setopt(curl, CURLOPT_URL, s->url);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, s->timeout_ms);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, s->timeout_ms);
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
	if (s->ca_file)
		curl_easy_setopt(curl, CURLOPT_CAINFO, s->ca_file);
	curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)s->max_size);
	curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "vigie/" VIGIE_VERSION);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &h);
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(curl, CURLOPT_HEADERDATA, &h);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
	rc = curl_easy_perform(curl);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	if (h.too_big || rc == CURLE_FILESIZE_EXCEEDED) {
		pull_fail(p, "%s: the document is larger than max_size (%lld bytes); "
		    "raise max_size or make the export smaller", s->url, s->max_size);
	} else if (rc != CURLE_OK) {
		pull_fail(p, "%s: %s", s->url, errbuf[0] ? errbuf : curl_easy_strerror(rc));
	} else if (status == 304) {
		p->unchanged = true;
	} else if (status >= 300 && status < 400) {
		char *loc = NULL;
		curl_easy_getinfo(curl, CURLINFO_REDIRECT_URL, &loc);
		pull_fail(p, "%s: HTTP %ld redirect%s%s not followed; set url to the "
		    "final address", s->url, status, loc ? " to " : "", loc ? loc : "");
	} else if (status != 200) {
		pull_fail(p, "%s: HTTP status %ld%s", s->url, status,
		    status == 401 || status == 403 ? " (check the token)" : "");
	} else {
		p->etag = h.etag;
		p->last_modified = h.last_modified;
		h.etag = h.last_modified = NULL;
		if (!p->buf && !(p->buf = strdup("")))
			abort();
	}
	if (p->err) {
		free(p->buf);
		p->buf = NULL;
		p->len = 0;
	}
	free(h.etag);
	free(h.last_modified);
	for (struct curl_slist *l = hdrs; l; l = l->next)
		explicit_bzero(l->data, strlen(l->data));	/* curl's copy of the token */
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(curl);
}

/* -------------------------------------------------------------- sqlite */

struct membuf {
	char *buf;
	size_t len, cap;
};

static void mb_put(struct membuf *m, const char *s, size_t n)
{
	if (m->len + n + 1 > m->cap) {
		size_t cap = m->cap ? m->cap : 4096;
		while (m->len + n + 1 > cap)
			cap *= 2;
		if (!(m->buf = realloc(m->buf, cap)))
			abort();
		m->cap = cap;
	}
	memcpy(m->buf + m->len, s, n);
	m->len += n;
	m->buf[m->len] = '\0';
}

/* One CSV field, quoted per RFC 4180 when it needs to be. */
static void mb_field(struct membuf *m, const char *s, size_t n)
{
	if (!memchr(s, ',', n) && !memchr(s, '"', n) && !memchr(s, '\n', n) &&
	    !memchr(s, '\r', n)) {
		mb_put(m, s, n);
		return;
	}
	mb_put(m, "\"", 1);
	for (size_t i = 0; i < n; i++)
		mb_put(m, s[i] == '"' ? "\"\"" : &s[i], s[i] == '"' ? 2 : 1);
	mb_put(m, "\"", 1);
}

static int on_progress(void *arg)
{
	const struct timespec *deadline = arg;
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > deadline->tv_sec ||
	    (now.tv_sec == deadline->tv_sec && now.tv_nsec >= deadline->tv_nsec);
}

static void fetch_sqlite(const struct source_config *s, struct pull *p)
{
	struct membuf m = { 0 };
	struct timespec deadline;
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;
	const char *tail;
	int rc, ncol;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += s->timeout_ms / 1000;
	deadline.tv_nsec += (s->timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	if (sqlite3_open_v2(s->path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		pull_fail(p, "%s: cannot open: %s", s->path, db ? sqlite3_errmsg(db)
		    : "out of memory");
		goto out;
	}
	/* A writer holding the database waits at most the timeout; so does a
	 * long query, through the progress handler. */
	sqlite3_busy_timeout(db, (int)(s->timeout_ms > 2000000000L ? 2000000000L
	    : s->timeout_ms));
	sqlite3_progress_handler(db, 1000, on_progress, &deadline);
	if (sqlite3_prepare_v2(db, s->query, -1, &q, &tail) != SQLITE_OK) {
		pull_fail(p, "%s: query: %s", s->path, sqlite3_errmsg(db));
		goto out;
	}
	if (!q) {
		pull_fail(p, "%s: the query is empty", s->path);
		goto out;
	}
	while (*tail && (isspace((unsigned char)*tail) || *tail == ';'))
		tail++;
	if (*tail) {
		pull_fail(p, "%s: the query must be a single statement", s->path);
		goto out;
	}
	if ((ncol = sqlite3_column_count(q)) != 4) {
		pull_fail(p, "%s: the query returns %d column%s; it must return 4: unit, "
		    "period, indicator, value", s->path, ncol, ncol == 1 ? "" : "s");
		goto out;
	}
	mb_put(&m, "unit,period,indicator,value\n", 28);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		for (int i = 0; i < 4; i++) {
			char num[64];
			const char *t = num;
			size_t n;

			switch (sqlite3_column_type(q, i)) {
			case SQLITE_FLOAT:
				n = (size_t)snprintf(num, sizeof(num), "%.17g",
				    sqlite3_column_double(q, i));
				break;
			case SQLITE_NULL:
				n = 0;
				break;
			default:
				t = (const char *)sqlite3_column_text(q, i);
				n = (size_t)sqlite3_column_bytes(q, i);
				if (!t)
					t = "", n = 0;
				break;
			}
			if (i)
				mb_put(&m, ",", 1);
			mb_field(&m, t, n);
		}
		mb_put(&m, "\n", 1);
		if ((long long)m.len > s->max_size) {
			pull_fail(p, "%s: the query's result is larger than max_size "
			    "(%lld bytes)", s->path, s->max_size);
			goto out;
		}
	}
	if (rc == SQLITE_INTERRUPT) {
		pull_fail(p, "%s: the query took longer than its timeout (%ld ms)",
		    s->path, s->timeout_ms);
		goto out;
	}
	if (rc != SQLITE_DONE) {
		pull_fail(p, "%s: query: %s", s->path, sqlite3_errmsg(db));
		goto out;
	}
	p->buf = m.buf;
	p->len = m.len;
	m.buf = NULL;
out:
	free(m.buf);
	sqlite3_finalize(q);
	sqlite3_close(db);
}

/* ---------------------------------------------------------------- pull */

/* Runs one source. Returns 1 when it imported data, 0 otherwise (success
 * or recorded failure), -1 on a database error. */
static int pull_one(struct store *st, const struct source_config *s, time_t now)
{
	sqlite3 *db = store_db(st);
	struct state old;
	struct pull p = { 0 };
	struct import_batch b = { 0 };
	struct import_stats stats = { 0 };
	struct diags d = { 0 };
	char sha[65] = "", *err = NULL;
	int rc = 0;
	int64_t next = (int64_t)now + s->every_s;

	if (state_load(db, s->name, &old) != 0)
		return -1;
	/* Not due yet; a next run further away than `every` was planned under
	 * a longer `every` that the configuration has since shortened. */
	if (old.found && s->every_s > 0 && old.next_run > (int64_t)now &&
	    old.next_run - (int64_t)now <= s->every_s) {
		state_clear(&old);
		return 0;
	}
	if (s->type == SRC_HTTP)
		fetch_http(s, &old, &p);
	else
		fetch_sqlite(s, &p);
	if (p.err) {
		err = text_first_line(p.err, 0);
		log_err("source %s: %s; retried at the next cycle", s->name, p.err);
		goto record;
	}
	if (p.unchanged) {
		log_debug("source %s: not modified", s->name);
		rc = state_save(db, s->name, now, NULL, old.etag, old.last_modified,
		    old.hash, next) ? -1 : 0;
		goto out;
	}
	sha256_hex(p.buf, p.len, sha);
	if (old.hash && !strcmp(old.hash, sha)) {
		log_debug("source %s: unchanged", s->name);
		rc = state_save(db, s->name, now, NULL, p.etag, p.last_modified, sha,
		    next) ? -1 : 0;
		goto out;
	}
	if (csv_parse(s->name, p.buf, p.len, store_granularity(st), &b, &d) != 0) {
		char *text = diags_to_string(&d, CSV_MAX_ERRORS);
		log_err("source %s rejected, nothing imported:\n%s", s->name,
		    text ? text : "");
		if (d.n == 1 || !text)
			err = text ? text_first_line(text, 0) : strdup("invalid CSV");
		else if (asprintf(&err, "%zu errors, first: %.*s", d.n,
		    (int)strcspn(text, "\n"), text) < 0)
			abort();
		free(text);
		goto record;
	}
	/* The data and the state that says we have it go in together. */
	if (store_begin(st) != 0) {
		rc = -1;
		goto out;
	}
	if (store_import(st, s->name, sha, &b, &stats) != 0 ||
	    state_save(db, s->name, now, NULL, p.etag, p.last_modified, sha, next) != 0) {
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
	if (state_save(db, s->name, now, err, NULL, NULL, NULL, (int64_t)now) != 0)
		rc = -1;
out:
	free(err);
	diags_free(&d);
	import_batch_free(&b);
	pull_clear(&p);
	state_clear(&old);
	return rc;
}

int sources_pull(struct store *st, const struct config *cfg, time_t now,
    int *imported)
{
	*imported = 0;
	for (size_t i = 0; i < cfg->nsources; i++) {
		int r = pull_one(st, &cfg->sources[i], now);
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
	struct source_status *v = calloc(cfg->nsources ? cfg->nsources : 1, sizeof(*v));
	sqlite3_stmt *q;

	*out = NULL;
	*n = 0;
	if (!v)
		abort();
	if (sqlite3_prepare_v2(store_db(st), "SELECT last_run, last_success,"
	    " last_error_at, next_run, last_error FROM source_state WHERE name = ?",
	    -1, &q, NULL) != SQLITE_OK) {
		free(v);
		return -1;
	}
	for (size_t i = 0; i < cfg->nsources; i++) {
		const struct source_config *s = &cfg->sources[i];
		int rc;

		if (!(v[i].name = strdup(s->name)))
			abort();
		v[i].type = s->type == SRC_HTTP ? "http" : "sqlite";
		sqlite3_reset(q);
		sqlite3_bind_text(q, 1, s->name, -1, SQLITE_STATIC);
		rc = sqlite3_step(q);
		if (rc == SQLITE_ROW) {
			v[i].last_run = sqlite3_column_int64(q, 0);
			v[i].last_success = sqlite3_column_int64(q, 1);
			v[i].last_error_at = sqlite3_column_int64(q, 2);
			v[i].next_run = sqlite3_column_int64(q, 3);
			v[i].last_error = col_dup(q, 4);
		} else if (rc != SQLITE_DONE) {
			sqlite3_finalize(q);
			sources_status_free(v, i + 1);
			return -1;
		}
	}
	sqlite3_finalize(q);
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

static void fmt_time(int64_t t, char *buf, size_t sz, const char *none)
{
	if (t)
		text_iso8601(t, buf);
	else
		snprintf(buf, sz, "%s", none);
}

void sources_status_print(FILE *out, const struct source_status *v, size_t n,
    int json)
{
	char t[4][32];

	if (json) {
		json_t *a = json_array();
		for (size_t i = 0; i < n; i++) {
			int64_t times[4] = { v[i].last_run, v[i].last_success,
			    v[i].last_error_at, v[i].next_run };
			static const char *const keys[4] = { "last_run", "last_success",
			    "last_error_at", "next_run" };
			json_t *o = json_object();
			json_object_set_new(o, "name", json_string(v[i].name));
			json_object_set_new(o, "type", json_string(v[i].type));
			for (int k = 0; k < 4; k++) {
				fmt_time(times[k], t[k], sizeof(t[k]), "");
				json_object_set_new(o, keys[k], times[k] ? json_string(t[k])
				    : json_null());
			}
			json_object_set_new(o, "last_error", v[i].last_error ?
			    json_string(v[i].last_error) : json_null());
			json_array_append_new(a, o);
		}
		json_dumpf(a, out, JSON_INDENT(2));
		fputc('\n', out);
		json_decref(a);
		return;
	}
	const char **cells = calloc((n + 1) * 5, sizeof(*cells));
	char (*times)[2][32] = calloc(n ? n : 1, sizeof(*times));

	if (!cells || !times)
		abort();
	cells[0] = "SOURCE";
	cells[1] = "TYPE";
	cells[2] = "LAST-SUCCESS";
	cells[3] = "NEXT-RUN";
	cells[4] = "ERROR";
	for (size_t i = 0; i < n; i++) {
		const char **row = cells + (i + 1) * 5;
		fmt_time(v[i].last_success, times[i][0], sizeof(times[i][0]), "never");
		fmt_time(v[i].next_run, times[i][1], sizeof(times[i][1]), "now");
		row[0] = v[i].name;
		row[1] = v[i].type;
		row[2] = times[i][0];
		row[3] = times[i][1];
		row[4] = v[i].last_error ? v[i].last_error : "-";
	}
	print_table(out, cells, n + 1, 5);
	free(cells);
	free(times);
}
