/* The HTTP side of vigie-web (web_impl.h): libmicrohttpd calls
 * web_access for each request; a request's body is gathered (64 KiB at
 * most, 4 more for a login), then it is routed once, with its site snapshot, a store
 * connection and its user, and answered with the console's security
 * headers. GET and HEAD never change anything; every POST is checked for
 * the CSRF token of its session (and refused when the browser says it
 * comes from another site) before its handler runs; one without a session
 * changes nothing and leads to the login page, which keeps a note's text
 * for the page it was written on. */
#include <arpa/inet.h>
#include <signal.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "vigie/log.h"
#include "vigie/typo.h"
#include "vigie/web_html.h"
#include "vigie/wording.h"
#include "vigie/xalloc.h"
#include "import_impl.h"
#include "web_impl.h"
#include "renamed.h"

#define CSP "default-src 'none'; style-src 'self'; img-src 'self' data:; " \
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

/* The peer: its address for the rate limiter, and whether it is local (a
 * unix socket or loopback, where a reverse proxy may speak for the client
 * with X-Forwarded-For and the single sign-on header). */
static void peer(struct req *r)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(r->conn,
	    MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;
	const char *xff;

	snprintf(r->addr, sizeof(r->addr), "unix");
	r->local = true;
	if (sa && sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)sa;
		inet_ntop(AF_INET, &in->sin_addr, r->addr, sizeof(r->addr));
		r->local = (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	} else if (sa && sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sa;
		inet_ntop(AF_INET6, &in6->sin6_addr, r->addr, sizeof(r->addr));
		r->local = IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
	}
	if (!r->local)
		return;
	/* The last entry is the one the proxy in front of us added. */
	xff = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-Forwarded-For");
	if (xff) {
		const char *last = strrchr(xff, ',');
		last = last ? last + 1 : xff;
		while (*last == ' ')
			last++;
		size_t n = strspn(last, "0123456789abcdefABCDEF.:");
		if (n > 0 && n < sizeof(r->addr) && last[n] == '\0')
			snprintf(r->addr, sizeof(r->addr), "%s", last);
	}
}

/* A string's URL encoding (a path keeps its '/' and '@'). Caller frees. */
char *url_encode(const char *s, bool path)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		xalloc_die();
	html_url(f, s, path);
	if (fclose(f) != 0)
		xalloc_die();
	return buf;
}

/* One argument of the query, encoded again, after those before it. */
static enum MHD_Result put_arg(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	FILE *f = cls;

	fputc(ftell(f) ? '&' : '?', f);
	html_url(f, key, false);
	if (value) {
		fputc('=', f);
		html_url(f, value, false);
	}
	return MHD_YES;
}

char *request_query(struct req *r)
{
	char *q = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&q, &len);

	if (!f)
		xalloc_die();
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, put_arg, f);
	if (fclose(f) != 0)
		xalloc_die();
	return q;
}

char *here(struct req *r)
{
	char *q = request_query(r), *page, *next;

	page = xasprintf("%s%s", r->url, q);
	next = url_encode(page, true);
	free(page);
	free(q);
	return next;
}

void to_login(struct req *r, bool expired)
{
	char *next = here(r);

	redirect(r, "/login?next=%s%s", next, expired ? "&expired=1" : "");
	free(next);
}

static void route(struct req *r)
{
	const char *u = r->url;

	if (r->post) {
		const char *site = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
		    "Sec-Fetch-Site");
		if (site && !strcmp(site, "cross-site")) {
			page_error(r, MHD_HTTP_FORBIDDEN, WORD(r->loc, "Ce formulaire vient "
			    "d'un autre site.", "This form comes from another site."));
			return;
		}
		if (r->too_big && r->logged && !strcmp(u, "/import")) {
			import_too_large(r);
			return;
		}
		if (r->too_big) {
			page_error(r, MHD_HTTP_CONTENT_TOO_LARGE, WORD(r->loc, "Le formulaire "
			    "est trop long.", "The form is too long."));
			return;
		}
		if (r->unreadable) {
			page_error(r, MHD_HTTP_BAD_REQUEST, WORD(r->loc, "Le formulaire "
			    "est illisible" TYPO_NNBSP ": rechargez la page et recommencez.",
			    "The form cannot be read: reload the page and try again."));
			return;
		}
		/* The form of a session that has ended changes nothing: after
		 * logging in the user is back on its page (with a note's text,
		 * expired_form), and logging out is done already. */
		if (!r->logged && strcmp(u, "/login")) {
			if (!strcmp(u, "/logout"))
				post_logout(r);
			else
				expired_form(r);
			return;
		}
		if (!auth_csrf_ok(r)) {
			if (stale_form(r))
				return;
			page_error(r, MHD_HTTP_FORBIDDEN, WORD(r->loc, "Le formulaire a expiré "
			    "ou ne vient pas de Vigie" TYPO_NNBSP ": rechargez la page et recommencez.",
			    "The form has expired or does not come from Vigie: reload the "
			    "page and try again."));
			return;
		}
	}
	if (!strcmp(u, "/login")) {
		if (r->post)
			post_login(r);
		else
			page_login(r, NULL);
		return;
	}
	if (!strcmp(u, "/logout")) {
		if (r->post)
			post_logout(r);
		else
			redirect(r, "/");
		return;
	}
	if (!r->logged) {
		to_login(r, r->stale);
		return;
	}
	if (!strcmp(u, "/") && !r->post)
		page_alerts(r);
	else if (!strcmp(u, "/takeover") && r->post)
		post_takeover(r);
	else if (!strcmp(u, "/units") && !r->post)
		page_units(r);
	else if (!strcmp(u, "/rules") && !r->post)
		page_rules(r);
	else if (!strcmp(u, "/help") && !r->post)
		page_help(r);
	else if (!strncmp(u, "/units/", 7))
		(r->post ? post_unit : page_unit)(r, u + 7);
	else if (!strncmp(u, "/alerts/", 8))
		(r->post ? post_alert : page_alert)(r, u + 8);
	else if (!strncmp(u, "/notes/", 7))
		(r->post ? post_note : page_note)(r, u + 7);
	else if (!strcmp(u, "/report"))
		(r->post ? post_report : page_report)(r);
	else if (!strcmp(u, "/account"))
		(r->post ? post_account : page_account)(r);
	else if (!strcmp(u, "/import"))
		(r->post ? post_import : page_import)(r);
	else if (!strcmp(u, "/import/delete") && r->post)
		post_import_delete(r);
	else if (!strcmp(u, "/import/rename") && r->post)
		post_import_rename(r);
	else
		page_error(r, MHD_HTTP_NOT_FOUND, NULL);
}

static void headers(struct MHD_Response *resp, bool tls)
{
	MHD_add_response_header(resp, "Content-Security-Policy", CSP);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
	MHD_add_response_header(resp, "Cross-Origin-Resource-Policy", "same-origin");
	if (tls)
		MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
}

/* The largest body of a POST to url. */
static size_t body_max(const char *url)
{
	return WEB_MAX_BODY + (!strcmp(url, "/login") ? WEB_LOGIN_EXTRA :
	    !strcmp(url, "/import") ? WEB_IMPORT_MAX : 0);
}

/* The largest body read for url: past body_max, it is read unkept. */
static size_t body_drained(const char *url)
{
	return !strcmp(url, "/import") ? WEB_MAX_BODY + WEB_IMPORT_DRAIN : body_max(url);
}

static enum MHD_Result send_css(struct web *w, struct MHD_Connection *c)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(web_css_len,
	    (void *)web_css, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result rc;

	headers(resp, w->tls);
	MHD_add_response_header(resp, "Content-Type", "text/css; charset=utf-8");
	/* The page links it with ?v=VERSION: a new release is a new URL. */
	MHD_add_response_header(resp, "Cache-Control", "public, max-age=86400");
	rc = MHD_queue_response(c, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return rc;
}

static enum MHD_Result respond(struct req *r)
{
	struct MHD_Response *resp;
	enum MHD_Result rc;
	char ra[32];

	fclose(r->out);
	r->out = NULL;
	if (r->file) {
		/* MHD closes the descriptor it is given, and sends the file
		 * with sendfile(2) where it can: nothing of it in memory. */
		struct stat sb;
		int fd = dup(fileno(r->file));

		resp = fd >= 0 && fstat(fd, &sb) == 0 ?
		    MHD_create_response_from_fd((uint64_t)sb.st_size, fd) : NULL;
		if (!resp && fd >= 0)
			close(fd);
		fclose(r->file);
		r->file = NULL;
		if (!resp) {
			log_msg(LOG_ERR, "cannot send a download: %m");
			return MHD_NO;
		}
	} else {
		resp = MHD_create_response_from_buffer(r->pagelen, r->page, MHD_RESPMEM_MUST_FREE);
		r->page = NULL;
	}
	headers(resp, r->w->tls);
	MHD_add_response_header(resp, "Content-Type", r->type ? r->type :
	    "text/html; charset=utf-8");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	if (r->disposition)
		MHD_add_response_header(resp, "Content-Disposition", r->disposition);
	if (r->location)
		MHD_add_response_header(resp, "Location", r->location);
	for (int i = 0; i < r->ncookies; i++)
		MHD_add_response_header(resp, "Set-Cookie", r->cookies[i]);
	if (r->retry_after > 0) {
		snprintf(ra, sizeof(ra), "%ld", r->retry_after);
		MHD_add_response_header(resp, "Retry-After", ra);
	}
	rc = MHD_queue_response(r->conn, r->status ? r->status : MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return rc;
}

static enum MHD_Result simple(struct MHD_Connection *c, bool tls, unsigned status,
    const char *text, const char *allow)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(strlen(text),
	    (void *)text, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result rc;

	headers(resp, tls);
	MHD_add_response_header(resp, "Content-Type", "text/plain; charset=utf-8");
	if (allow)
		MHD_add_response_header(resp, "Allow", allow);
	rc = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	return rc;
}

enum MHD_Result web_access(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **ctx)
{
	struct web *w = cls;
	struct req *r = *ctx;

	if (!r) {
		bool get = !strcmp(method, MHD_HTTP_METHOD_GET) ||
		    !strcmp(method, MHD_HTTP_METHOD_HEAD);
		bool post = !strcmp(method, MHD_HTTP_METHOD_POST);
		const char *cl;

		if (!get && !post)
			return simple(c, w->tls, MHD_HTTP_METHOD_NOT_ALLOWED,
			    "method not allowed\n", "GET, HEAD, POST");
		if (get && !strcmp(url, "/static/vigie.css"))
			return send_css(w, c);
		/* For a load balancer's or a blackbox probe's check, as
		 * Prometheus's /-/healthy: no session, no cookie, nothing read. */
		if (get && !strcmp(url, "/-/healthy"))
			return simple(c, w->tls, MHD_HTTP_OK, "vigie-web is healthy\n", NULL);
		cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
		    MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (post && cl && strtoull(cl, NULL, 10) > body_drained(url))
			return simple(c, w->tls, MHD_HTTP_CONTENT_TOO_LARGE,
			    "request body too large\n", NULL);
		/* An import's body is read before its form is checked: a few
		 * at once, or any client could make us hold 8 MB for each of
		 * its connections; and only for a session, or a client without
		 * one would hold those few, and HR's imports wait. Without
		 * one, the body is read and dropped, and the answer is that
		 * of a form whose session has ended. */
		bool import = post && !strcmp(url, "/import"), anon = import &&
		    !auth_may_have_session(w, c);
		if (import && !anon && atomic_fetch_add(&w->uploads, 1) >= WEB_UPLOADS) {
			atomic_fetch_sub(&w->uploads, 1);
			return simple(c, w->tls, MHD_HTTP_SERVICE_UNAVAILABLE,
			    "too many imports at once: try again in a moment\n", NULL);
		}
		r = xcalloc(1, sizeof(*r));
		r->upload_slot = import && !anon;
		r->dropped = anon;
		r->w = w;
		r->conn = c;
		r->method = method;
		r->url = url;
		r->post = post;
		*ctx = r;
		return MHD_YES;
	}
	if (*upload_size) {
		if (r->dropped) {
			*upload_size = 0;
			return MHD_YES;
		}
		if (!r->too_big && r->len + *upload_size <= body_max(r->url)) {
			r->body = xrealloc(r->body, r->len + *upload_size + 1);
			memcpy(r->body + r->len, upload, *upload_size);
			r->len += *upload_size;
			r->body[r->len] = '\0';
		} else {
			r->too_big = true;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (!(r->out = open_memstream(&r->page, &r->pagelen)))
		xalloc_die();
	/* The page's stream belongs to this request's thread alone. */
	__fsetlocking(r->out, FSETLOCKING_BYCALLER);
	r->site = site_ref(w);
	r->loc = r->site->cfg->locale;
	r->st = pool_get(w);
	peer(r);
	r->unreadable = !r->too_big && !r->dropped && !upload_split(r);
	/* Nothing is shown nor taken from a database that is no longer the
	 * one at its path (a restore done with the console running). */
	if (!pool_still_ours(w, r->st)) {
		page_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, WORD(r->loc, "La console "
		    "s'arrête" TYPO_NNBSP ": sa base de données a été remplacée ou "
		    "supprimée. Rien n'a été enregistré" TYPO_NNBSP "; réessayez "
		    "quand elle aura redémarré.", "The console is stopping: its "
		    "database was replaced or deleted. Nothing was saved; try again "
		    "once it has restarted."));
	} else {
		auth_request(r);
		route(r);
	}
	/* A transaction a handler left open is rolled back, not kept. */
	store_rollback(r->st);
	pool_put(w, r->st);
	r->st = NULL;
	return respond(r);
}

void web_completed(void *cls, struct MHD_Connection *c, void **ctx,
    enum MHD_RequestTerminationCode toe)
{
	struct req *r = *ctx;
	struct web *w = cls;

	if (!r)
		return;
	if (r->upload_slot)
		atomic_fetch_sub(&w->uploads, 1);
	if (r->out)
		fclose(r->out);
	free(r->page);
	free(r->body);
	for (size_t i = 0; i < r->nuploads; i++) {
		free(r->uploads[i].name);
		free(r->uploads[i].data);
	}
	free(r->uploads);
	free(r->kept);
	free(r->location);
	free(r->disposition);
	if (r->file)
		fclose(r->file);
	for (int i = 0; i < r->ncookies; i++)
		free(r->cookies[i]);
	if (r->st)
		pool_put(w, r->st);
	viewer_clear(&r->who);
	account_clear(&r->acct);
	session_clear(&r->sess);
	site_unref(w, r->site);
	free(r);
	*ctx = NULL;
	/* The database was replaced (pool_still_ours): this request was
	 * answered 503, the console now stops. */
	if (atomic_load(&w->fatal))
		kill(getpid(), SIGTERM);
}
