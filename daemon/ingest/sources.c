/* Pull sources (SPEC 8). Each due source is fetched outside any database
 * transaction (the HTTP documents through util/transport.c, all at once
 * with curl's multi interface so that hung servers cost one timeout and
 * the watchdog is fed while they wait; or the result of a query on a
 * read-only SQLite database, which store/query.c renders as a long-form
 * CSV in memory), then
 * parsed by csv_parse exactly like an inbox file, so the validation is the
 * same, and imported all or nothing together with the source's new state
 * in one transaction. Validators (ETag, Last-Modified) and the SHA-256 of
 * the last imported bytes make an unchanged source import nothing. A
 * failure is recorded in source_state, logged, and retried at the next
 * cycle; only a database error stops the pull. URLs are shown without
 * their query string or user information (text_redact_url): a token in
 * ?api_key= must not reach the logs, `vigie status` or the database. */
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
#include "vigie/importcheck.h"
#include "vigie/log.h"
#include "vigie/progress.h"
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

/* One source of this run: what it had, its transfer, what it gave. */
struct job {
	const struct source_config *s;
	struct source_state old;
	bool due;
	bool running;		/* its HTTP transfer is in flight (http_run) */
	char *shown;		/* the URL without its secrets (text_redact_url) */
	long long max_size;	/* the source's max_size, within max_import_size */
	bool fr;		/* the console's language (the import log's warnings) */
	int min_headcount;	/* the anonymity floor and the dominance ratio */
	double dominance;	/* (import_check) */
	struct http_ctx h;
	struct curl_slist *hdrs;
	struct transport t;	/* t.h set while the transfer runs */
	struct pull p;
};

/* Prepares the HTTP transfer of j; on a failure to even start it, p.err is
 * set and t.h stays NULL. */
static void http_prepare(struct job *j)
{
	const struct source_config *s = j->s;
	char *token = NULL, *msg = NULL, *line = NULL;

	if (s->token_file || s->token_credential) {
		if (secret_read(s->token_file, s->token_credential, &token, &msg) != 0) {
			pull_fail(&j->p, "%s", msg ? msg : "cannot read the token");
			free(msg);
			return;
		}
		for (const char *c = token; *c; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f) {
				pull_fail(&j->p, "the token in %s contains a control character "
				    "or a line break", s->token_file ? s->token_file
				    : s->token_credential);
				secret_free(token);
				return;
			}
		line = xasprintf("Authorization: Bearer %s", token);
		secret_free(token);
		j->hdrs = curl_slist_append(j->hdrs, line);
		secret_free(line);
	}
	if (j->old.etag) {
		line = xasprintf("If-None-Match: %s", j->old.etag);
		j->hdrs = curl_slist_append(j->hdrs, line);
		free(line);
	}
	if (j->old.last_modified) {
		line = xasprintf("If-Modified-Since: %s", j->old.last_modified);
		j->hdrs = curl_slist_append(j->hdrs, line);
		free(line);
	}
	j->hdrs = curl_slist_append(j->hdrs, "Accept: text/csv, text/plain;q=0.9, */*;q=0.5");
	/* No progress callback: the loop of http_run feeds the watchdog. */
	transport_init(&j->t, &(struct transport_opts){ .url = s->url,
	    .protocols = "http,https", .timeout_ms = s->timeout_ms, .ca_file = s->ca_file,
	    .max_size = j->max_size });
	curl_easy_setopt(j->t.h, CURLOPT_PRIVATE, j);
	curl_easy_setopt(j->t.h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(j->t.h, CURLOPT_HTTPHEADER, j->hdrs);
	curl_easy_setopt(j->t.h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(j->t.h, CURLOPT_HEADERDATA, &j->h);
}

/* Sorts a finished transfer into a document, "not modified" or an error. */
static void http_finish(struct job *j, CURLcode rc)
{
	struct pull *p = &j->p;
	long status = 0;

	curl_easy_getinfo(j->t.h, CURLINFO_RESPONSE_CODE, &status);
	if (j->t.too_big || rc == CURLE_FILESIZE_EXCEEDED) {
		pull_fail(p, "%s: the document is larger than max_size (%lld bytes); "
		    "raise max_size (and max_import_size) or make the export smaller",
		    j->shown, j->max_size);
	} else if (rc != CURLE_OK) {
		pull_fail(p, "%s: %s", j->shown, transport_error(&j->t, rc));
	} else if (status == 304) {
		p->unchanged = true;
	} else if (status >= 300 && status < 400) {
		char *loc = NULL, *lshown;
		curl_easy_getinfo(j->t.h, CURLINFO_REDIRECT_URL, &loc);
		lshown = loc ? text_redact_url(loc) : NULL;
		pull_fail(p, "%s: HTTP %ld redirect%s%s not followed; set url to the "
		    "final address", j->shown, status, lshown ? " to " : "",
		    lshown ? lshown : "");
		free(lshown);
	} else if (status != 200) {
		pull_fail(p, "%s: HTTP status %ld%s", j->shown, status,
		    status == 401 || status == 403 ? " (check the token)" : "");
	} else {
		p->etag = j->h.etag;
		p->last_modified = j->h.last_modified;
		j->h.etag = j->h.last_modified = NULL;
		p->buf = j->t.body;
		p->len = j->t.len;
		j->t.body = NULL;
	}
}

/* Runs the prepared HTTP transfers side by side, each with its own
 * timeout, so that n hung servers cost one timeout, not n, and the
 * watchdog is fed every 100 ms while they wait (SPEC 8). Once tick answers
 * that the process is asked to stop, the transfers in flight are abandoned
 * and their sources are no longer due: nothing is recorded for them, the
 * next run pulls them. Returns true then. */
static bool http_run(struct job *v, size_t n, progress_fn *tick, void *tick_arg)
{
	CURLM *m = curl_multi_init();
	int active = 0;
	bool stop = false;

	if (!m)
		xalloc_die();
	for (size_t i = 0; i < n; i++)
		if (v[i].t.h && curl_multi_add_handle(m, v[i].t.h) == CURLM_OK) {
			v[i].running = true;
			active++;
		}
	while (active > 0) {
		CURLMsg *msg;
		int still, left;

		curl_multi_perform(m, &still);
		while ((msg = curl_multi_info_read(m, &left)) != NULL) {
			struct job *j = NULL;
			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&j);
			curl_multi_remove_handle(m, j->t.h);
			j->running = false;
			active--;
			if (j->t.stopped) {	/* aborted as the process stops */
				j->due = false;
				stop = true;
				continue;
			}
			http_finish(j, msg->data.result);
		}
		if (tick ? tick(tick_arg) : progress_tick()) {
			stop = stop || active > 0;
			for (size_t i = 0; i < n; i++)
				if (v[i].running) {
					curl_multi_remove_handle(m, v[i].t.h);
					v[i].running = v[i].due = false;
				}
			break;
		}
		if (active > 0) {
			progress_idle();	/* the daemon's inbox, meanwhile */
			curl_multi_poll(m, NULL, 0, 100, NULL);
		}
	}
	curl_multi_cleanup(m);
	return stop;
}

static void fetch_sqlite(const struct job *j, struct pull *p)
{
	char *err = NULL;

	if (store_query_csv(j->s->path, j->s->query, j->s->timeout_ms, j->max_size,
	    &p->buf, &p->len, &err) != 0)
		pull_fail(p, "%s", err ? err : "cannot run the query");
	free(err);
}

/* ---------------------------------------------------------------- pull */

/* Imports what source j produced, or records why it did not. Returns 1
 * when it imported data, 0 otherwise (success or recorded failure), -1 on
 * a database error. */
static int pull_record(struct store *st, struct job *j, time_t now)
{
	const struct source_config *s = j->s;
	struct pull *pp = &j->p;
	struct import_batch b = { 0 };
	struct import_stats stats = { 0 };
	struct diags logged = { .fr = j->fr }, d = { .no_values = true },
	    w = { .also = &logged }, known = { .also = &logged };
	char sha[65] = "", *err = NULL;
	int rc = 0;
	int64_t next = (int64_t)now + s->every_s;

	if (pp->err) {
		err = text_first_line(pp->err, 0);
		log_err("source %s: %s; retried at the next cycle", s->name, pp->err);
		goto record;
	}
	if (pp->unchanged) {
		log_debug("source %s: not modified", s->name);
		rc = store_source_ok(st, s->name, now, j->old.etag, j->old.last_modified,
		    j->old.hash, next) ? -1 : 0;
		goto out;
	}
	sha256_hex(pp->buf, pp->len, sha);
	if (j->old.hash && !strcmp(j->old.hash, sha)) {
		log_debug("source %s: unchanged", s->name);
		rc = store_source_ok(st, s->name, now, pp->etag, pp->last_modified, sha,
		    next) ? -1 : 0;
		goto out;
	}
	if (csv_parse_warn(s->name, pp->buf, pp->len, store_granularity(st),
	    period_current(store_granularity(st), (int64_t)time(NULL)), &b, &d,
	    &w) != 0 || import_check_renamed(st, s->name, &b, &d) > 0) {
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
	/* before it is stored */
	import_check(st, s->name, &b, j->min_headcount, j->dominance, NULL, &known);
	/* The data and the state that says we have it go in together. */
	if (store_begin(st) != 0) {
		rc = -1;
		goto out;
	}
	if (store_import(st, s->name, &(struct import_origin){ NULL, "source", NULL }, sha,
	    &b, &stats) != 0 ||
	    store_source_ok(st, s->name, now, pp->etag, pp->last_modified, sha, next) != 0) {
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
	/* Imported all the same. The journal says how many, not what: a
	 * warning names a unit and what is odd in its figures, which is HR's
	 * to read on the console's import page (SPEC 3: logs). */
	size_t nw = w.n + w.more + known.n + known.more;
	if (nw) {
		const struct diags *first = w.n ? &w : &known;
		log_warnx("source %s: imported with %zu warning%s, the first at line %d, "
		    "column %d; they are on the console's import page", s->name, nw,
		    nw == 1 ? "" : "s", first->n ? first->v[0].line : 0,
		    first->n ? first->v[0].col : 0);
	}
	if (store_import_warned(st, stats.log_id, &logged) != 0)
		log_err("source %s: cannot record its warnings in the import log: %s",
		    s->name, store_errmsg(st));
	rc = 1;
	goto out;
record:
	/* a failed source is due again at the next cycle */
	if (store_source_failed(st, s->name, now, err, now) != 0)
		rc = -1;
out:
	free(err);
	diags_free(&d);
	diags_free(&w);
	diags_free(&known);
	diags_free(&logged);
	import_batch_free(&b);
	return rc;
}

static void job_clear(struct job *j)
{
	free(j->h.etag);
	free(j->h.last_modified);
	for (struct curl_slist *l = j->hdrs; l; l = l->next)
		explicit_bzero(l->data, strlen(l->data));	/* curl's copy of the token */
	curl_slist_free_all(j->hdrs);
	transport_cleanup(&j->t);
	pull_clear(&j->p);
	store_source_state_clear(&j->old);
	free(j->shown);
}

int sources_due(struct store *st, const struct config *cfg, time_t now)
{
	int n = 0;

	for (size_t i = 0; i < cfg->nsources; i++) {
		const struct source_config *s = &cfg->sources[i];
		struct source_state old;

		if (s->type != SRC_HTTP)
			continue;
		if (store_source_get(st, s->name, &old) != 0)
			return -1;
		n += !(old.found && s->every_s > 0 && old.next_run > (int64_t)now &&
		    old.next_run - (int64_t)now <= s->every_s);
		store_source_state_clear(&old);
	}
	return n;
}

int sources_pull(struct store *st, const struct config *cfg, time_t now,
    progress_fn *tick, void *tick_arg, int *imported)
{
	struct job *v = xcalloc(cfg->nsources ? cfg->nsources : 1, sizeof(*v));
	int rc = 0;
	bool stop;

	*imported = 0;
	for (size_t i = 0; i < cfg->nsources; i++) {
		struct job *j = &v[i];
		const struct source_config *s = &cfg->sources[i];

		j->s = s;
		if (store_source_get(st, s->name, &j->old) != 0) {
			rc = -1;
			goto out;
		}
		/* Not due yet; a next run further away than `every` was planned
		 * under a longer `every` that the configuration has since
		 * shortened. */
		j->due = !(j->old.found && s->every_s > 0 && j->old.next_run > (int64_t)now &&
		    j->old.next_run - (int64_t)now <= s->every_s);
		j->max_size = s->max_size < cfg->max_import_size ? s->max_size :
		    cfg->max_import_size;
		j->shown = s->url ? text_redact_url(s->url) : NULL;
		j->fr = cfg->locale == LOC_FR;
		j->min_headcount = cfg->min_headcount;
		j->dominance = cfg->dominance;
		if (j->due && s->type == SRC_HTTP)
			http_prepare(j);
	}
	stop = http_run(v, cfg->nsources, tick, tick_arg);
	if (stop)
		log_info("pull of sources abandoned: stopping; they are pulled at the "
		    "next run");
	for (size_t i = 0; i < cfg->nsources && rc == 0; i++) {
		struct job *j = &v[i];
		int r;

		/* (Asked to stop: a query is not started either.) */
		if (!j->due || (stop && j->s->type == SRC_SQLITE))
			continue;
		if (j->s->type == SRC_SQLITE)
			fetch_sqlite(j, &j->p);
		progress_tick();
		r = pull_record(st, j, now);
		if (r < 0)
			rc = -1;
		else
			*imported += r;
	}
out:
	for (size_t i = 0; i < cfg->nsources; i++)
		job_clear(&v[i]);
	free(v);
	return rc;
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
