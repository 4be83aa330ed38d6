/* Who is asking (web_impl.h): sessions, the login form and its rate
 * limiter, logout, single sign-on, and the CSRF check of every POST.
 *
 * A session is a random 256-bit token in an HttpOnly, SameSite=Strict
 * cookie (Secure unless the console is plain loopback), known to the store
 * by its SHA-256 only, valid web.session_ttl from the login. Each session
 * has its own CSRF token, which every form carries; the login form, before
 * any session, uses a token of its own cookie (double submit). A failed
 * login is recorded (as a failure before the password is checked, forgotten
 * when it is right, so that attempts checked at once count each other);
 * past 5 failures of an account or 10 from an address within 15 minutes,
 * attempts are refused without checking the password for 4, 8, 16...
 * seconds after the latest failure (web_sec.h). Single sign-on
 * trusts web.trusted_user_header only from a unix socket or loopback peer:
 * a unix socket of the proxy's group leaves it to the proxy alone (on
 * loopback TCP, any local process could set it: vigie-web warns); a client
 * without cookies goes on in the account's latest session from its address.
 * A login form
 * may carry a note's text kept from a form whose session ended (kept.c):
 * the page it was written on answers the login, the text in its field,
 * not saved. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "vigie/log.h"
#include "vigie/password.h"
#include "vigie/secret.h"
#include "vigie/store_audit.h"
#include "vigie/typo.h"
#include "vigie/web_html.h"
#include "vigie/web_sec.h"
#include "vigie/wording.h"
#include "vigie/xalloc.h"
#include "web_impl.h"

#define USER_MAX 64

static const char *login_cookie_name(bool secure)
{
	return secure ? "__Host-vigie_login" : "vigie_login";
}

static void add_cookie(struct req *r, char *c)
{
	if (r->ncookies < 2)
		r->cookies[r->ncookies++] = c;
	else
		free(c);
}

/* Logs the account in: a new session, its cookie, the audit entry. In one
 * transaction; 0 or -1. */
static int session_open(struct req *r, struct account *a, const char *how)
{
	const struct web_config *wc = r->site->cfg->web;
	long ttl = wc ? wc->session_ttl_s : 8 * 3600;
	int64_t now = time(NULL);
	char token[WEBSEC_TOKEN_LEN + 1], csrf[WEBSEC_TOKEN_LEN + 1], hash[65];
	struct session s = { .token_hash = hash, .account = a->name, .csrf = csrf,
	    .addr = r->addr, .created_at = now, .expires_at = now + ttl };

	if (websec_token(token) != 0 || websec_token(csrf) != 0) {
		log_err("no randomness from the kernel for a session token");
		return -1;
	}
	websec_hash(token, hash);
	if (store_begin(r->st) != 0)
		return -1;
	if (store_sessions_purge(r->st, now) != 0 || store_session_add(r->st, &s) != 0 ||
	    store_account_logged_in(r->st, a->name, now) != 0 ||
	    store_audit_add(r->st, a->name, "web", "login", NULL, how, now) != 0 ||
	    store_commit(r->st) != 0) {
		log_err("cannot record a login: %s", store_errmsg(r->st));
		store_rollback(r->st);
		return -1;
	}
	add_cookie(r, websec_cookie(websec_cookie_name(r->w->secure), token, ttl,
	    r->w->secure));
	/* The request goes on as this user. */
	session_clear(&r->sess);
	r->sess = (struct session){ .token_hash = xstrdup(hash),
	    .account = xstrdup(a->name), .csrf = xstrdup(csrf),
	    .addr = xstrdup(r->addr), .created_at = now, .expires_at = now + ttl };
	account_clear(&r->acct);
	r->acct = *a;
	memset(a, 0, sizeof(*a));
	viewer_clear(&r->who);
	viewer_init(&r->who, r->site->cfg, &r->acct);
	r->logged = true;
	log_info("%s logged in to the console (%s, from %s)", r->acct.name, how, r->addr);
	return 0;
}

static bool user_name_ok(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= USER_MAX && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789._@-") == n;
}

/* Single sign-on: the proxy's header names an existing account. */
static void auth_sso(struct req *r, const char *name)
{
	struct account a;

	if (!user_name_ok(name) || store_account_get(r->st, name, &a) != 0)
		return;
	if (viewer_init(&r->who, r->site->cfg, &a) != 0) {
		viewer_clear(&r->who);
		account_clear(&a);
		return;
	}
	viewer_clear(&r->who);
	/* A client that keeps no cookie (a script, a monitor through the
	 * proxy) would otherwise open a session, and write a login into the
	 * audit log, at every request: it goes on in the account's latest
	 * session from its address. */
	if (store_session_latest(r->st, name, r->addr, time(NULL), &r->sess) == 0) {
		account_clear(&r->acct);
		r->acct = a;
		if (viewer_init(&r->who, r->site->cfg, &r->acct) == 0) {
			r->logged = true;
			return;
		}
		viewer_clear(&r->who);
		session_clear(&r->sess);
		account_clear(&r->acct);
		return;
	}
	session_clear(&r->sess);
	if (session_open(r, &a, "single sign-on") != 0)
		account_clear(&a);
}

void auth_request(struct req *r)
{
	const struct web_config *wc = r->site->cfg->web;
	const char *cookie = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND,
	    websec_cookie_name(r->w->secure));
	const char *sso = wc && wc->trusted_user_header && r->local ?
	    MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
	    wc->trusted_user_header) : NULL;
	char hash[65];

	r->logged = false;
	if (cookie && strlen(cookie) == WEBSEC_TOKEN_LEN) {
		websec_hash(cookie, hash);
		if (store_session_get(r->st, hash, time(NULL), &r->sess) == 0 &&
		    (!sso || !strcmp(sso, r->sess.account)) &&
		    store_account_get(r->st, r->sess.account, &r->acct) == 0 &&
		    viewer_init(&r->who, r->site->cfg, &r->acct) == 0) {
			r->logged = true;
			return;
		}
		session_clear(&r->sess);
		account_clear(&r->acct);
		viewer_clear(&r->who);
		r->stale = true;
	}
	if (sso && *sso)
		auth_sso(r, sso);
}

bool auth_may_have_session(struct web *w, struct MHD_Connection *c)
{
	const char *cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND,
	    websec_cookie_name(w->secure));
	struct site *site = site_ref(w);
	const struct web_config *wc = site->cfg->web;
	bool yes = wc && wc->trusted_user_header &&
	    MHD_lookup_connection_value(c, MHD_HEADER_KIND, wc->trusted_user_header);

	site_unref(w, site);
	if (!yes && cookie && strlen(cookie) == WEBSEC_TOKEN_LEN) {
		struct store *st = pool_get(w);
		struct session sess = { 0 };
		char hash[65];

		websec_hash(cookie, hash);
		yes = store_session_get(st, hash, time(NULL), &sess) == 0;
		session_clear(&sess);
		pool_put(w, st);
	}
	return yes;
}

bool auth_csrf_ok(struct req *r)
{
	char *got = field(r, "csrf");
	bool ok;

	if (!strcmp(r->url, "/login"))
		ok = r->logged || websec_equal(got, MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND,
		    login_cookie_name(r->w->secure)));
	else
		ok = r->logged && websec_equal(got, r->sess.csrf);
	free(got);
	return ok;
}

/* Only a path of this site: "/..." but not "//host" nor "/\host", and
 * nothing a browser drops or reads as a slash (tabs, line breaks, other
 * controls, backslashes: "/\t/host" is "//host" to a URL parser). */
static const char *safe_next(const char *next)
{
	if (!next || next[0] != '/' || next[1] == '/')
		return "/";
	for (const unsigned char *p = (const unsigned char *)next; *p; p++)
		if (*p <= ' ' || *p == 0x7f || *p == '\\')
			return "/";
	return next;
}

static void login_form_notice(struct req *r, const char *message,
    const char *notice, const char *user, const char *next)
{
	const char *c = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND,
	    login_cookie_name(r->w->secure));
	char token[WEBSEC_TOKEN_LEN + 1];
	FILE *f = r->out;
	/* Set before: 401 wrong name or password, 429 too many tries, 403 a
	 * role gone; a session that expired is no error of the form's. */
	bool refused = r->status >= 400, wrong = r->status == MHD_HTTP_UNAUTHORIZED;
	const char *described;

	/* One token per browser, kept while it has one: two tabs both work. */
	if (c && strlen(c) == WEBSEC_TOKEN_LEN && strspn(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-_") == WEBSEC_TOKEN_LEN) {
		memcpy(token, c, sizeof(token));
	} else if (websec_token(token) != 0) {
		page_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL);
		return;
	} else {
		add_cookie(r, websec_cookie(login_cookie_name(r->w->secure), token, 3600,
		    r->w->secure));
	}
	/* A refused login says so in its title, the first thing a screen
	 * reader reads of the page that answers the form (WCAG 2.4.2, 3.3.1),
	 * and so does a session that ended (the only message of a form not
	 * refused): what was being sent is not saved yet. */
	page_begin(r, refused ? WORD(r->loc, "Erreur" TYPO_NNBSP ": connexion", "Error: log in") :
	    message ? WORD(r->loc, "Session expirée" TYPO_NNBSP ": connexion",
	    "Session expired: log in") : WORD(r->loc, "Connexion", "Log in"));
	fprintf(f, "<h1>%s</h1>\n", WORD(r->loc, "Connexion à Vigie", "Log in to Vigie"));
	if (notice) {
		fputs("<p class=\"message ok\" role=\"status\">", f);
		html_text(f, notice);
		fputs("</p>\n", f);
	}
	if (message) {
		fputs("<p class=\"message error\" id=\"login-message\" role=\"alert\">", f);
		html_text(f, message);
		fputs("</p>\n", f);
	}
	/* The message is tied to the fields it is about (WCAG 1.3.1, 3.3.1):
	 * read with each of them, and both marked wrong when they were (which
	 * one is not said, on purpose). */
	described = !message ? "" : wrong ? " aria-invalid=\"true\" aria-describedby=\"login-message\"" :
	    " aria-describedby=\"login-message\"";
	/* A note kept from a form whose session ended goes with the login,
	 * in a hidden field (in the body, never in a URL), and comes back in
	 * its field, which the page opens at (#body). */
	if (r->kept)
		fprintf(f, "<p class=\"hint\" id=\"login-kept\">%s</p>\n", WORD(r->loc,
		    "Votre note n'est pas perdue" TYPO_NNBSP ": après la connexion, vous la "
		    "retrouverez dans son champ, pas encore enregistrée.", "Your note is not "
		    "lost: after logging in you will find it in its field, not saved yet."));
	fprintf(f, "<form class=\"login\" method=\"post\" action=\"/login%s\">\n"
	    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n", r->kept ? "#body" : "",
	    token);
	if (r->kept) {
		fputs("<input type=\"hidden\" name=\"body\" value=\"", f);
		html_attr(f, r->kept);
		fputs("\">\n", f);
	}
	fputs("<input type=\"hidden\" name=\"next\" value=\"", f);
	html_attr(f, safe_next(next));
	fprintf(f, "\">\n<p><label for=\"user\">%s</label>\n"
	    "<input id=\"user\" name=\"user\" autocomplete=\"username\" required "
	    "maxlength=\"%d\"%s value=\"", WORD(r->loc, "Nom d'utilisateur", "User name"),
	    USER_MAX, described);
	html_attr(f, user ? user : "");
	fprintf(f, "\"></p>\n<p><label for=\"password\">%s</label>\n"
	    "<input id=\"password\" name=\"password\" type=\"password\" "
	    "autocomplete=\"current-password\" required%s></p>\n"
	    "<p><button type=\"submit\">%s</button></p>\n</form>\n"
	    "<p class=\"hint\">%s</p>\n",
	    WORD(r->loc, "Mot de passe", "Password"), described,
	    WORD(r->loc, "Se connecter", "Log in"),
	    WORD(r->loc, "Mot de passe oublié" TYPO_NNBSP "? Demandez-en un nouveau "
	    "au service informatique qui a créé votre compte, puis changez-le dans "
	    "«" TYPO_NNBSP "Mon compte" TYPO_NNBSP "».", "Forgot your password? Ask "
	    "the IT team that created your account for a new one, then change it in "
	    "\u201cMy account\u201d."));
	page_end(r);
}

static void login_form(struct req *r, const char *message, const char *user,
    const char *next)
{
	login_form_notice(r, message, NULL, user, next);
}

void page_login(struct req *r, const char *message)
{
	if (r->logged) {
		redirect(r, "%s", safe_next(query(r, "next")));
		return;
	}
	/* Set by the redirect of a request whose session had ended. */
	if (!message && query(r, "expired"))
		message = WORD(r->loc, "Votre session a expiré" TYPO_NNBSP ": reconnectez-vous.",
		    "Your session has expired: log in again.");
	/* Set by the redirect of a password change, which ended the
	 * account's sessions. */
	login_form_notice(r, message, query(r, "changed") ? WORD(r->loc, "Votre mot "
	    "de passe est changé" TYPO_NNBSP ": connectez-vous avec le nouveau.",
	    "Your password is changed: log in with the new one.") : query(r, "bye") ?
	    WORD(r->loc, "Déconnexion effectuée.", "You are logged out.") : NULL, NULL,
	    query(r, "next"));
}

void page_login_kept(struct req *r, const char *next)
{
	login_form(r, WORD(r->loc, "Votre session a expiré" TYPO_NNBSP ": reconnectez-vous.",
	    "Your session has expired: log in again."), NULL, next);
}

long auth_attempt(struct req *r, const char *user, int64_t now)
{
	struct login_failures lf;
	long wait, w2;

	/* Counted and recorded in one write transaction, before the password
	 * is checked: attempts checked at once (one per worker thread) count
	 * each other instead of all passing on the same count. */
	if (store_begin(r->st) != 0 || store_login_failures(r->st, user, r->addr,
	    now - WEBSEC_WINDOW_S, &lf) != 0) {
		log_err("cannot count the failed logins: %s", store_errmsg(r->st));
		store_rollback(r->st);
		return -1;
	}
	wait = websec_login_wait(lf.account, WEBSEC_USER_THRESHOLD, lf.account_last, now);
	w2 = websec_login_wait(lf.addr, WEBSEC_ADDR_THRESHOLD, lf.addr_last, now);
	if (w2 > wait)
		wait = w2;
	if (wait > 0) {
		store_rollback(r->st);
		r->retry_after = wait;
		return wait;
	}
	/* A failure until the password proves right (then forgotten). */
	if (store_login_failure_add(r->st, user, r->addr, now) != 0 ||
	    store_commit(r->st) != 0) {
		log_err("cannot record a login attempt: %s", store_errmsg(r->st));
		store_rollback(r->st);
		return -1;
	}
	return 0;
}

void auth_attempt_forget(struct req *r, const char *user, int64_t now)
{
	if (store_login_failure_forget(r->st, user, r->addr, now) != 0)
		log_err("cannot forget a right password's attempt: %s",
		    store_errmsg(r->st));
}

const char *auth_wait_message(struct req *r, char *buf, size_t size)
{
	snprintf(buf, size, WORD(r->loc, "Trop de tentatives de connexion "
	    "échouées" TYPO_NNBSP ": réessayez dans %ld secondes.", "Too many failed login "
	    "attempts: try again in %ld seconds."), r->retry_after);
	return buf;
}

void post_login(struct req *r)
{
	char *user = field(r, "user"), *pw = field(r, "password"), *next = field(r, "next");
	int64_t now = time(NULL);
	struct account a = { 0 };
	long wait;
	bool found = false, ok = false;

	/* A note's text kept from a form whose session ended, if any: given
	 * back on its page after the login, kept by the form until then. */
	r->kept = from_console(r) ? note_text(r) : NULL;
	/* The form of a second tab, posted after the first logged in. */
	if (r->logged) {
		if (r->kept)
			page_resume(r, safe_next(next));
		else
			redirect(r, "%s", safe_next(next));
		goto out;
	}
	if (!user || !pw || !user_name_ok(user)) {
		r->status = MHD_HTTP_UNAUTHORIZED;
		login_form(r, WORD(r->loc, "Nom d'utilisateur ou mot de passe incorrect.",
		    "Wrong user name or password."), NULL, next);
		goto out;
	}
	if ((wait = auth_attempt(r, user, now)) < 0) {
		page_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL);
		goto out;
	}
	if (wait > 0) {
		char msg[256];
		r->status = MHD_HTTP_TOO_MANY_REQUESTS;
		login_form(r, auth_wait_message(r, msg, sizeof(msg)), user, next);
		goto out;
	}
	found = store_account_get(r->st, user, &a) == 0;
	if (found && a.hash[0])
		ok = password_verify(pw, a.hash);
	else
		password_verify_dummy(pw);
	if (ok) {
		struct viewer v;
		int role_ok = viewer_init(&v, r->site->cfg, &a);
		viewer_clear(&v);
		auth_attempt_forget(r, user, now);
		if (role_ok != 0) {
			r->status = MHD_HTTP_FORBIDDEN;
			login_form(r, WORD(r->loc, "Votre rôle n'est plus configuré dans Vigie" TYPO_NNBSP ": "
			    "adressez-vous à l'administrateur.", "Your role is no longer "
			    "configured in Vigie: ask the administrator."), user, next);
		} else if (session_open(r, &a, "password") != 0) {
			page_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL);
		} else {
			/* The pre-session token has done its job. */
			add_cookie(r, websec_cookie(login_cookie_name(r->w->secure), "", 0,
			    r->w->secure));
			/* A redirect would lose a kept note: its page answers. */
			if (r->kept)
				page_resume(r, safe_next(next));
			else
				redirect(r, "%s", safe_next(next));
		}
		goto out;
	}
	log_warnx("failed console login for %s from %s", found ? user : "an unknown account",
	    r->addr);
	r->status = MHD_HTTP_UNAUTHORIZED;
	login_form(r, WORD(r->loc, "Nom d'utilisateur ou mot de passe incorrect.",
	    "Wrong user name or password."), user, next);
out:
	account_clear(&a);
	secret_free(pw);
	free(user);
	free(next);
}

void post_logout(struct req *r)
{
	if (r->logged) {
		if (store_begin(r->st) != 0 ||
		    store_session_del(r->st, r->sess.token_hash) != 0 ||
		    audit(r, "logout", NULL, NULL) != 0 || store_commit(r->st) != 0) {
			log_err("cannot record a logout: %s", store_errmsg(r->st));
			store_rollback(r->st);
			page_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL);
			return;
		}
	}
	auth_cookie_clear(r);
	redirect(r, "/login?bye=1");
}

void auth_cookie_clear(struct req *r)
{
	add_cookie(r, websec_cookie(websec_cookie_name(r->w->secure), "", 0,
	    r->w->secure));
}
