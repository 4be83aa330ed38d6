/* The sections of the configuration (SPEC 7, 8, 9): smtp, webhooks,
 * recipients (roles and their routes) and pull sources, each checked key by
 * key with config_values.c's readers. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "config_impl.h"
#include "vigie/secret.h"
#include "vigie/unit.h"
#include "vigie/xalloc.h"

/* ---- Sections ---- */

void cfg_load_smtp(struct cx *x, const struct ynode *n, struct config *c)
{
	static const char *const names[] = { "url", "starttls", "username",
	    "password_file", "password_credential", "from", "ca_file", "timeout" };
	static const char *const tls[] = { "required", "none" };
	static const char *const schemes[] = { "smtp://", "smtps://" };
	const struct ynode *v[NELEM(names)];
	struct smtp_config *s;
	char host[256] = "";
	int starttls = STARTTLS_REQUIRED;
	const char *msg;
	size_t pos;

	if (!cfg_map_fields(x, n, "smtp", names, NELEM(names), v, NULL))
		return;
	s = c->smtp = xcalloc(1, sizeof(*s));
	s->url = cfg_string(x, v[0], "smtp.url");
	if (!s->url) {
		if (cfg_unset(v[0]))
			cfg_err(x, n, "smtp.url is required (smtp://HOST:PORT or smtps://HOST:PORT)");
	} else if ((msg = cfg_url_host(s->url, schemes, NELEM(schemes), host, sizeof(host)))) {
		if (!strcmp(msg, "unsupported scheme"))
			cfg_err(x, v[0], "smtp.url must start with smtp:// or smtps://");
		else
			cfg_err(x, v[0], "smtp.url %s", msg);
		host[0] = '\0';
	}
	if (cfg_one_of(x, v[1], "smtp.starttls", tls, NELEM(tls), &starttls))
		s->starttls = (enum starttls)starttls;
	if (s->starttls == STARTTLS_NONE && host[0] && !cfg_is_loopback(host))
		cfg_err(x, v[1], "starttls: none is only allowed for a loopback host "
		    "(127.0.0.0/8, ::1, localhost), not \"%s\": use starttls: required", host);
	s->username = cfg_string(x, v[2], "smtp.username");
	s->password_file = cfg_secret_path(x, v[3], "smtp.password_file");
	s->password_credential = cfg_string(x, v[4], "smtp.password_credential");
	size_t before = x->errors;

	if (s->password_credential && (msg = cfg_check_credential(s->password_credential)))
		cfg_err(x, v[4], "smtp.password_credential %s", msg);
	else if (s->password_file && s->password_credential)
		cfg_err(x, v[4], "set smtp.password_file or smtp.password_credential, not both");
	else if (s->password_file)
		cfg_check_secret(x, v[3], "smtp.password_file", s->password_file, NULL,
		    SECRET_PASSWORD);
	else if (s->password_credential)
		cfg_check_secret(x, v[4], "smtp.password_credential", NULL,
		    s->password_credential, SECRET_PASSWORD);
	/* Half a login: libcurl would send no AUTH, and a relay that wants
	 * one refuses every message. (After the password's own errors.) */
	if (x->errors > before)
		;
	else if (s->username && !s->password_file && !s->password_credential)
		cfg_err(x, v[2], "smtp.username needs smtp.password_file or "
		    "smtp.password_credential: without a password no login is made");
	else if (!s->username && (s->password_file || s->password_credential))
		cfg_err(x, v[s->password_file ? 3 : 4], "smtp.%s needs smtp.username: "
		    "without it no login is made", s->password_file ? "password_file" :
		    "password_credential");
	s->from = cfg_string(x, v[5], "smtp.from");
	if (!s->from) {
		if (cfg_unset(v[5]))
			cfg_err(x, n, "smtp.from is required: the sender address of alert emails");
	} else if ((msg = cfg_check_mailbox(s->from, &s->from_name, &s->from_addr, &pos))) {
		struct srcpos *sp = xcalloc(v[5]->len + 1, sizeof(*sp));
		struct ynode at = *v[5];

		/* The error points at the offending character. */
		ydoc_scalar_positions(x->doc, v[5], sp);
		if (pos <= v[5]->len) {
			at.line = sp[pos].line;
			at.col = sp[pos].col;
		}
		free(sp);
		cfg_err(x, &at, "smtp.from \"%s\": %s", s->from, msg);
	}
	s->ca_file = cfg_path(x, v[6], "smtp.ca_file");
	s->timeout_ms = cfg_timeout_ms(x, v[7], "smtp.timeout");
}

enum { W_URL, W_FORMAT, W_SECRET_FILE, W_SECRET_CRED, W_TOKEN_FILE, W_TOKEN_CRED,
	W_BASIC_FILE, W_BASIC_CRED, W_TIMEOUT, W_DETAIL, W_INSTANCE, W_NKEYS };

/* How webhook w logs in to its receiver: one of token_file,
 * token_credential, basic_auth_file and basic_auth_credential, or none;
 * checked as the other secrets are, and never sent in clear. */
static void load_webhook_auth(struct cx *x, const struct ynode *const *v,
    const char *const *names, struct webhook_config *w)
{
	int k = -1;
	const char *msg;
	char *what;

	for (int i = W_TOKEN_FILE; i <= W_BASIC_CRED; i++) {
		if (cfg_unset(v[i]))
			continue;
		if (k >= 0) {
			cfg_err(x, v[i], "set %s or %s, not both", names[k], names[i]);
			return;
		}
		k = i;
	}
	if (k < 0)
		return;
	w->auth = k < W_BASIC_FILE ? AUTH_BEARER : AUTH_BASIC;
	if (k == W_TOKEN_FILE || k == W_BASIC_FILE) {
		w->auth_file = cfg_secret_path(x, v[k], names[k]);
	} else {
		w->auth_credential = cfg_string(x, v[k], names[k]);
		if (w->auth_credential && (msg = cfg_check_credential(w->auth_credential))) {
			cfg_err(x, v[k], "%s %s", names[k], msg);
			return;
		}
	}
	what = xasprintf("webhook \"%s\" %s", w->name, names[k]);
	cfg_check_secret(x, v[k], what, w->auth_file, w->auth_credential,
	    w->auth == AUTH_BEARER ? SECRET_TOKEN : SECRET_BASIC);
	if (w->url)
		cfg_check_clear(x, v[W_URL], what, w->url);
	free(what);
}

void cfg_load_webhooks(struct cx *x, const struct ynode *n, struct config *c)
{
	static const char *const names[W_NKEYS] = { "url", "format", "secret_file",
	    "secret_credential", "token_file", "token_credential", "basic_auth_file",
	    "basic_auth_credential", "timeout", "detail", "instance" };
	static const char *const formats[] = { "generic", "slack", "teams", "alertmanager",
	    "mattermost" };
	static const char *const details[] = { "full", "minimal" };
	char host[256];

	if (gethostname(host, sizeof(host)) != 0 || !*host)
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';

	if (cfg_unset(n))
		return;
	if (n->type != Y_MAP) {
		cfg_err(x, n, "webhooks must be a mapping of names to webhooks, not %s",
		    ynode_type_name(n));
		return;
	}
	c->webhooks = xcalloc(n->n, sizeof(*c->webhooks));
	for (size_t i = 0; i < n->n; i++) {
		const struct ynode *k = n->keys[i], *v[W_NKEYS];
		struct webhook_config *w;
		const char *name = cfg_scalar(x, k, "a webhook name", "a string"), *msg;
		int fmt = WH_GENERIC;

		if (!name)
			continue;
		if (!*name || cfg_has_ctl(name)) {
			cfg_err(x, k, "a webhook name must be a non-empty one-line string");
			continue;
		}
		if (config_webhook(c, name)) {
			cfg_err(x, k, "duplicate webhook \"%s\"", name);
			continue;
		}
		w = &c->webhooks[c->nwebhooks++];
		w->name = xstrdup(name);
		w->timeout_ms = DEFAULT_TIMEOUT_MS;
		if (!cfg_map_fields(x, n->vals[i], "webhook", names, W_NKEYS, v, NULL))
			continue;
		w->url = cfg_string(x, v[W_URL], "url");
		if (!w->url) {
			if (cfg_unset(v[W_URL]))
				cfg_err(x, k, "webhook \"%s\" needs a url", name);
		} else {
			cfg_http_url(x, v[W_URL], "url", w->url);
		}
		if (cfg_one_of(x, v[W_FORMAT], "format", formats, NELEM(formats), &fmt))
			w->format = (enum webhook_format)fmt;
		w->secret_file = cfg_secret_path(x, v[W_SECRET_FILE], "secret_file");
		w->secret_credential = cfg_string(x, v[W_SECRET_CRED], "secret_credential");
		if (w->secret_credential && (msg = cfg_check_credential(w->secret_credential)))
			cfg_err(x, v[W_SECRET_CRED], "secret_credential %s", msg);
		else if (w->secret_file && w->secret_credential)
			cfg_err(x, v[W_SECRET_CRED], "set secret_file or secret_credential, not both");
		else if (w->secret_file || w->secret_credential) {
			char *what = xasprintf("webhook \"%s\" %s", name,
			    w->secret_file ? "secret_file" : "secret_credential");

			cfg_check_secret(x, w->secret_file ? v[W_SECRET_FILE] : v[W_SECRET_CRED],
			    what, w->secret_file, w->secret_credential, SECRET_WEBHOOK);
			free(what);
		}
		load_webhook_auth(x, v, names, w);
		w->timeout_ms = cfg_timeout_ms(x, v[W_TIMEOUT], "timeout");
		/* Chat tools and Alertmanager are read by many: no figure
		 * unless asked (SPEC 9). */
		w->detail = w->format == WH_GENERIC ? DETAIL_FULL : DETAIL_MINIMAL;
		fmt = (int)w->detail;
		if (cfg_one_of(x, v[W_DETAIL], "detail", details, NELEM(details), &fmt))
			w->detail = (enum webhook_detail)fmt;
		if (w->format == WH_ALERTMANAGER) {
			w->instance = cfg_string(x, v[W_INSTANCE], "instance");
			if (!w->instance)
				w->instance = xstrdup(host);
		} else if (!cfg_unset(v[W_INSTANCE])) {
			cfg_err(x, v[W_INSTANCE], "instance is a label of format: alertmanager only");
		}
	}
}

static void load_route(struct cx *x, const struct ynode *n, struct config *c,
    struct route_config *r)
{
	static const char *const names[] = { "scope", "email", "webhook" };
	const struct ynode *v[NELEM(names)], *k[NELEM(names)];

	if (!cfg_map_fields(x, n, "route", names, NELEM(names), v, k))
		return;
	cfg_str_list(x, v[0], "scope", true, unit_glob_check, &r->scope, &r->nscope);
	if (r->nscope && (v[0]->type != Y_SEQ || v[0]->n == r->nscope)) {
		r->scope_at = xcalloc(r->nscope, sizeof(*r->scope_at));
		for (size_t i = 0; i < r->nscope; i++) {
			const struct ynode *g = v[0]->type == Y_SEQ ? v[0]->items[i] : v[0];
			r->scope_at[i] = (struct srcpos){ g->line, g->col };
		}
	}
	cfg_str_list(x, v[1], "email", true, cfg_check_email, &r->email, &r->nemail);
	/* Every notification of the route would be held at delivery: say it
	 * now, where the address is (an invalid smtp: section says so
	 * itself). */
	if (r->nemail && x->no_smtp)
		cfg_err(x, k[1] ? k[1] : v[1], "email needs an smtp: section to send with: "
		    "add one with url: and from: (see vigie.yaml(5)), or route this role "
		    "elsewhere");
	cfg_str_list(x, v[2], "webhook", true, NULL, &r->webhook, &r->nwebhook);
	for (size_t i = 0; i < r->nwebhook; i++) {
		if (config_webhook(c, r->webhook[i]))
			continue;
		/* find the item's node again, for its position */
		const struct ynode *at = v[2];
		if (v[2]->type == Y_SEQ)
			for (size_t j = 0; j < v[2]->n; j++)
				if (v[2]->items[j]->type == Y_SCALAR &&
				    !strcmp(v[2]->items[j]->str, r->webhook[i]))
					at = v[2]->items[j];
		const char **cands = xcalloc(c->nwebhooks + 1, sizeof(*cands));
		for (size_t j = 0; j < c->nwebhooks; j++)
			cands[j] = c->webhooks[j].name;
		const char *near = closest_word(r->webhook[i], cands, c->nwebhooks);
		if (near)
			cfg_err(x, at, "unknown webhook \"%s\" (did you mean \"%s\"?)",
			    r->webhook[i], near);
		else
			cfg_err(x, at, "unknown webhook \"%s\": define it under webhooks:",
			    r->webhook[i]);
		free(cands);
	}
	if (!r->nscope)
		cfg_push_str(&r->scope, &r->nscope, xstrdup("**"));
}

void cfg_load_recipients(struct cx *x, const struct ynode *n, struct config *c)
{
	if (cfg_unset(n))
		return;
	if (n->type != Y_MAP) {
		cfg_err(x, n, "recipients must be a mapping of roles to lists of routes, not %s",
		    ynode_type_name(n));
		return;
	}
	c->roles = xcalloc(n->n, sizeof(*c->roles));
	for (size_t i = 0; i < n->n; i++) {
		const struct ynode *k = n->keys[i], *l = n->vals[i];
		const char *name = cfg_scalar(x, k, "a role name", "a string");
		struct role_config *r;

		if (!name)
			continue;
		if (!*name || cfg_has_ctl(name)) {
			cfg_err(x, k, "a role name must be a non-empty one-line string");
			continue;
		}
		if (config_role(c, name)) {
			cfg_err(x, k, "duplicate role \"%s\"", name);
			continue;
		}
		r = &c->roles[c->nroles++];
		r->name = xstrdup(name);
		if (cfg_unset(l))
			continue;
		if (l->type != Y_SEQ) {
			cfg_err(x, l, "role \"%s\" must be a list of routes (- scope: ..., email: [...], "
			    "webhook: [...]), not %s", name, ynode_type_name(l));
			continue;
		}
		r->routes = xcalloc(l->n, sizeof(*r->routes));
		for (size_t j = 0; j < l->n; j++)
			load_route(x, l->items[j], c, &r->routes[r->nroutes++]);
	}
}

static bool source_name_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
			return false;
	return true;
}

enum { S_NAME, S_TYPE, S_EVERY, S_TIMEOUT, S_URL, S_TOKEN_FILE, S_TOKEN_CRED,
	S_CA_FILE, S_MAX_SIZE, S_PATH, S_QUERY, S_NKEYS };

static void load_source(struct cx *x, const struct ynode *n, struct config *c,
    const struct ynode **namenodes)
{
	static const char *const names[S_NKEYS] = { "name", "type", "every", "timeout",
	    "url", "token_file", "token_credential", "ca_file", "max_size", "path", "query" };
	static const char *const types[] = { "http", "sqlite" };
	static const bool http_only[S_NKEYS] = { [S_URL] = 1, [S_TOKEN_FILE] = 1,
	    [S_TOKEN_CRED] = 1, [S_CA_FILE] = 1, [S_MAX_SIZE] = 1 };
	static const bool sqlite_only[S_NKEYS] = { [S_PATH] = 1, [S_QUERY] = 1 };
	const struct ynode *v[S_NKEYS], *k[S_NKEYS];
	struct source_config *s = &c->sources[c->nsources];
	int type = -1;
	const char *msg;
	long every;

	if (!cfg_map_fields(x, n, "source", names, S_NKEYS, v, k))
		return;
	c->nsources++;
	s->timeout_ms = DEFAULT_TIMEOUT_MS;
	s->max_size = DEFAULT_MAX_SIZE;
	s->name = cfg_string(x, v[S_NAME], "source name");
	if (!s->name) {
		if (cfg_unset(v[S_NAME]))
			cfg_err(x, n, "a source needs a name ([a-z0-9_-]+)");
	} else if (!source_name_ok(s->name)) {
		cfg_err(x, v[S_NAME], "source name \"%s\" must match [a-z0-9_-]+", s->name);
	} else {
		for (size_t i = 0; i + 1 < c->nsources; i++)
			if (c->sources[i].name && !strcmp(c->sources[i].name, s->name)) {
				cfg_err(x, v[S_NAME], "duplicate source name \"%s\" (first at line %d)",
				    s->name, namenodes[i] ? namenodes[i]->line : 0);
				break;
			}
	}
	namenodes[c->nsources - 1] = v[S_NAME];
	if (cfg_unset(v[S_TYPE]))
		cfg_err(x, n, "source \"%s\" needs a type: http or sqlite", s->name ? s->name : "");
	else if (cfg_one_of(x, v[S_TYPE], "source type", types, NELEM(types), &type))
		s->type = (enum source_type)type;
	every = cfg_duration(x, v[S_EVERY], "every", 0, 0);
	s->every_s = every < 0 ? 0 : every;
	s->timeout_ms = cfg_timeout_ms(x, v[S_TIMEOUT], "timeout");
	for (int i = 0; i < S_NKEYS && type >= 0; i++) {
		if (!k[i])
			continue;
		if ((type == SRC_SQLITE && http_only[i]) || (type == SRC_HTTP && sqlite_only[i]))
			cfg_err(x, k[i], "key \"%s\" is for %s sources, this one is type %s",
			    names[i], http_only[i] ? "http" : "sqlite", types[type]);
	}
	if (type == SRC_HTTP) {
		s->url = cfg_string(x, v[S_URL], "url");
		if (!s->url) {
			if (cfg_unset(v[S_URL]))
				cfg_err(x, n, "an http source needs a url");
		} else {
			cfg_http_url(x, v[S_URL], "url", s->url);
		}
		s->token_file = cfg_secret_path(x, v[S_TOKEN_FILE], "token_file");
		s->token_credential = cfg_string(x, v[S_TOKEN_CRED], "token_credential");
		if (s->token_credential && (msg = cfg_check_credential(s->token_credential)))
			cfg_err(x, v[S_TOKEN_CRED], "token_credential %s", msg);
		else if (s->token_file && s->token_credential)
			cfg_err(x, v[S_TOKEN_CRED], "set token_file or token_credential, not both");
		else if (s->token_file || s->token_credential) {
			const char *what = s->token_file ? "token_file" : "token_credential";

			cfg_check_secret(x, s->token_file ? v[S_TOKEN_FILE] : v[S_TOKEN_CRED],
			    what, s->token_file, s->token_credential, SECRET_TOKEN);
			if (s->url)
				cfg_check_clear(x, v[S_URL], what, s->url);
		}
		s->ca_file = cfg_path(x, v[S_CA_FILE], "ca_file");
		if (!cfg_unset(v[S_MAX_SIZE])) {
			long long sz = v[S_MAX_SIZE]->type == Y_SCALAR ?
			    parse_size(v[S_MAX_SIZE]->str) : -1;
			if (sz <= 0)
				cfg_err(x, v[S_MAX_SIZE], "max_size must be a size like 512K, 64M or 1G");
			else
				s->max_size = sz;
		}
	} else if (type == SRC_SQLITE) {
		s->path = cfg_path(x, v[S_PATH], "path");
		if (!s->path && cfg_unset(v[S_PATH]))
			cfg_err(x, n, "an sqlite source needs a path");
		if (!cfg_unset(v[S_QUERY])) {
			const char *q = cfg_scalar(x, v[S_QUERY], "query", "a string");
			if (q && !*q)
				cfg_err(x, v[S_QUERY], "query must not be empty");
			else if (q)
				s->query = xstrdup(q);	/* may span lines */
		} else {
			cfg_err(x, n, "an sqlite source needs a query "
			    "(SELECT unit, period, indicator, value FROM ...)");
		}
	}
}

void cfg_load_sources(struct cx *x, const struct ynode *n, struct config *c)
{
	const struct ynode **namenodes;

	if (cfg_unset(n))
		return;
	if (n->type != Y_SEQ) {
		cfg_err(x, n, "sources must be a list, not %s", ynode_type_name(n));
		return;
	}
	c->sources = xcalloc(n->n, sizeof(*c->sources));
	namenodes = xcalloc(n->n, sizeof(*namenodes));
	for (size_t i = 0; i < n->n; i++)
		load_source(x, n->items[i], c, namenodes);
	free(namenodes);
}

/* web: (SPEC 14). A listener without TLS must be loopback or a unix socket:
 * anything else would carry passwords and session cookies in clear. */
void cfg_load_web(struct cx *x, const struct ynode *n, struct config *c)
{
	static const char *const names[] = { "listen", "url", "tls_cert_file",
	    "tls_key_file", "session_ttl", "trusted_user_header", "import_roles" };
	const struct ynode *v[NELEM(names)];
	struct web_config *w;
	char host[256];
	unsigned port;
	long ttl;

	if (!cfg_map_fields(x, n, "web", names, NELEM(names), v, NULL))
		return;
	w = c->web = xcalloc(1, sizeof(*w));
	w->session_ttl_s = 8 * 3600;
	w->listen = cfg_string(x, v[0], "web.listen");
	if (!w->listen && cfg_unset(v[0]))
		w->listen = xstrdup("127.0.0.1:8080");
	w->url = cfg_string(x, v[1], "web.url");
	if (w->url && cfg_http_url(x, v[1], "web.url", w->url)) {
		size_t len = strlen(w->url);
		while (len > 0 && w->url[len - 1] == '/')
			w->url[--len] = '\0';
	}
	w->tls_cert_file = cfg_path(x, v[2], "web.tls_cert_file");
	w->tls_key_file = cfg_secret_path(x, v[3], "web.tls_key_file");
	if (!w->tls_cert_file != !w->tls_key_file)
		cfg_err(x, w->tls_cert_file ? v[2] : v[3], "set both web.tls_cert_file "
		    "and web.tls_key_file, or neither");
	if (w->listen && w->listen[0] == '/') {
		if (strlen(w->listen) >= 108)
			cfg_err(x, v[0], "web.listen: a unix socket path must be shorter "
			    "than 108 bytes");
	} else if (w->listen && config_listen_split(w->listen, host, sizeof(host),
	    &port) != 0) {
		cfg_err(x, v[0], "web.listen \"%s\" must be HOST:PORT (127.0.0.1:8080, "
		    "[::1]:8080) or the absolute path of a unix socket", w->listen);
	} else if (w->listen && !w->tls_cert_file && !cfg_is_loopback(host)) {
		cfg_err(x, v[0], "web.listen %s is not a loopback address: without TLS "
		    "passwords and session cookies would cross the network in clear; set "
		    "web.tls_cert_file and web.tls_key_file, or listen on 127.0.0.1 or a "
		    "unix socket behind a reverse proxy", w->listen);
	}
	ttl = cfg_duration(x, v[4], "web.session_ttl", w->session_ttl_s, 60);
	if (ttl > 30L * 86400)
		cfg_err(x, v[4], "web.session_ttl must be at most 30d");
	else if (ttl > 0)
		w->session_ttl_s = ttl;
	w->trusted_user_header = cfg_string(x, v[5], "web.trusted_user_header");
	if (w->trusted_user_header &&
	    strspn(w->trusted_user_header, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(w->trusted_user_header))
		cfg_err(x, v[5], "web.trusted_user_header \"%s\" must be a header name "
		    "(letters, digits and '-', like X-Remote-User)", w->trusted_user_header);
	/* Who imports HR's files from the console (vigie-web(8)); [] nobody. */
	if (cfg_unset(v[6]))
		cfg_push_str(&w->import_roles, &w->nimport_roles, xstrdup("hr"));
	else
		cfg_str_list(x, v[6], "web.import_roles", false, NULL,
		    &w->import_roles, &w->nimport_roles);
	for (size_t i = 0; v[6] && v[6]->type == Y_SEQ && i < w->nimport_roles; i++)
		if (!config_role(c, w->import_roles[i]))
			cfg_warn(x, v[6]->items[i], "web.import_roles: \"%s\" is not a "
			    "role of recipients, so no account has it", w->import_roles[i]);
}
