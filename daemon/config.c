/* The configuration loader (SPEC 7, 8, 9): reads one YAML file through the
 * position-keeping tree of rules/yaml.c, checks every key and value, and
 * builds a struct config with the defaults filled in and relative paths
 * resolved against the file's folder. Like OpenBSD's parse.y it keeps going
 * after an error so that one run reports every problem at its
 * FILE:LINE:COLUMN, and only a configuration without errors is returned, so
 * a reload can parse aside and swap on success. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "vigie/config.h"
#include "vigie/unit.h"
#include "vigie/yaml.h"

#define DEFAULT_DATABASE "/var/lib/vigie/vigie.db"
#define DEFAULT_RULES "/etc/vigie/rules.d"
#define DEFAULT_TIMEOUT_MS 30000L
#define DEFAULT_MAX_SIZE (64LL << 20)
#define DURATION_HINT "a duration like 30s, 15m, 1h or 2d"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The state of one load: where errors go and where relative paths start. */
struct cx {
	struct diags *d;
	const char *file;	/* as given, for diagnostics */
	char *dir;		/* absolute folder of the file */
	const struct ydoc *doc;
	size_t errors;
};

static void *xmalloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);

	if (!p)
		abort();
	return p;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

static char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		abort();
	return p;
}

static void err(struct cx *x, const struct ynode *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void err(struct cx *x, const struct ynode *n, const char *fmt, ...)
{
	va_list ap;
	char *msg = NULL;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		abort();
	va_end(ap);
	diags_add(x->d, x->file, n ? n->line : 0, n ? n->col : 0, "%s", msg);
	free(msg);
	x->errors++;
}

/* ---- Durations and sizes ---- */

long parse_duration(const char *s)
{
	long v = 0, mult;
	const char *p = s;

	if (!s || !isdigit((unsigned char)*p))
		return -1;
	while (isdigit((unsigned char)*p)) {
		if (v > (LONG_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*p++ - '0');
	}
	switch (*p) {
	case 's': mult = 1; break;
	case 'm': mult = 60; break;
	case 'h': mult = 3600; break;
	case 'd': mult = 86400; break;
	default: return -1;
	}
	if (p[1] != '\0' || v > LONG_MAX / mult)
		return -1;
	return v * mult;
}

long long parse_size(const char *s)
{
	long long v = 0, mult = 1;
	const char *p = s;

	if (!s || !isdigit((unsigned char)*p))
		return -1;
	while (isdigit((unsigned char)*p)) {
		if (v > (LLONG_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*p++ - '0');
	}
	switch (*p) {
	case '\0': break;
	case 'K': case 'k': mult = 1LL << 10; p++; break;
	case 'M': mult = 1LL << 20; p++; break;
	case 'G': mult = 1LL << 30; p++; break;
	default: return -1;
	}
	/* "64MB" and "64MiB" are what people write after "64M". */
	if (mult > 1 && (!strcmp(p, "B") || !strcmp(p, "iB")))
		p += strlen(p);
	if (*p != '\0' || v > LLONG_MAX / mult)
		return -1;
	return v * mult;
}

/* ---- Node helpers ---- */

static bool unset(const struct ynode *n)
{
	return !n || (n->type == Y_SCALAR && yscalar_is_null(n));
}

/* Checks that n is a mapping whose keys are all among names; vals[i] gets
 * the value of names[i] (NULL when absent) and keys[i] its key node. `where`
 * names the mapping in messages ("" at the top level). */
static bool map_fields(struct cx *x, const struct ynode *n, const char *where,
    const char *const *names, size_t nnames, const struct ynode **vals,
    const struct ynode **keys)
{
	for (size_t i = 0; i < nnames; i++) {
		vals[i] = NULL;
		if (keys)
			keys[i] = NULL;
	}
	if (n->type != Y_MAP) {
		err(x, n, "%s must be a mapping, not %s", *where ? where : "the configuration",
		    ynode_type_name(n));
		return false;
	}
	for (size_t k = 0; k < n->n; k++) {
		const struct ynode *key = n->keys[k];
		size_t i;

		if (key->type != Y_SCALAR) {
			err(x, key, "keys must be strings, not %s", ynode_type_name(key));
			continue;
		}
		for (i = 0; i < nnames; i++)
			if (!strcmp(key->str, names[i]))
				break;
		if (i == nnames) {
			const char *near = closest_word(key->str, names, nnames);
			char sugg[128] = "";

			if (near)
				snprintf(sugg, sizeof(sugg), " (did you mean \"%s\"?)", near);
			err(x, key, "unknown key \"%s\"%s%s%s", key->str,
			    *where ? " in " : "", where, sugg);
			continue;
		}
		if (vals[i]) {
			err(x, key, "duplicate key \"%s\" (first at line %d)", key->str,
			    keys && keys[i] ? keys[i]->line : vals[i]->line);
			continue;
		}
		vals[i] = n->vals[k];
		if (keys)
			keys[i] = key;
	}
	return true;
}

/* The scalar's text, or NULL after an error saying `what` must be `kind`. */
static const char *scalar(struct cx *x, const struct ynode *n, const char *what,
    const char *kind)
{
	if (n->type != Y_SCALAR) {
		err(x, n, "%s must be %s, not %s", what, kind, ynode_type_name(n));
		return NULL;
	}
	if (strlen(n->str) != n->len) {
		err(x, n, "%s must not contain NUL bytes", what);
		return NULL;
	}
	return n->str;
}

static bool has_ctl(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* A non-empty one-line string, copied; NULL when unset or invalid. */
static char *get_string(struct cx *x, const struct ynode *n, const char *what)
{
	const char *s;

	if (unset(n))
		return NULL;
	if (!(s = scalar(x, n, what, "a string")))
		return NULL;
	if (!*s) {
		err(x, n, "%s must not be empty", what);
		return NULL;
	}
	if (has_ctl(s)) {
		err(x, n, "%s must not contain control characters (line breaks, tabs)", what);
		return NULL;
	}
	return xstrdup(s);
}

/* A path, resolved against the configuration file's folder when relative. */
static char *get_path(struct cx *x, const struct ynode *n, const char *what)
{
	char *s = get_string(x, n, what), *r;

	if (!s || s[0] == '/')
		return s;
	if (asprintf(&r, "%s%s%s", x->dir, x->dir[strlen(x->dir) - 1] == '/' ? "" : "/",
	    s) < 0)
		abort();
	free(s);
	return r;
}

/* A secret file (password, webhook secret, bearer token): refused at load
 * when group or others may read it (SPEC 9), so that `vigied --check` says
 * so rather than the first delivery. A file that cannot be looked at (not
 * there yet, or a folder this user may not search) is left to the reader. */
static char *get_secret_path(struct cx *x, const struct ynode *n, const char *what)
{
	char *p = get_path(x, n, what);
	struct stat sb;

	if (p && stat(p, &sb) == 0 && (sb.st_mode & 077))
		err(x, n, "%s %s is readable by group or others (mode %04o): "
		    "run chmod 600 on it", what, p, (unsigned)(sb.st_mode & 07777));
	return p;
}

/* Seconds; `dflt` when unset, -1 after an error. min: smallest allowed. */
static long get_duration(struct cx *x, const struct ynode *n, const char *what,
    long dflt, long min)
{
	long v;

	if (unset(n))
		return dflt;
	if (n->type != Y_SCALAR || (v = parse_duration(n->str)) < 0) {
		err(x, n, "%s must be " DURATION_HINT, what);
		return -1;
	}
	if (v < min) {
		err(x, n, "%s must be at least %lds", what, min);
		return -1;
	}
	return v;
}

static long get_timeout_ms(struct cx *x, const struct ynode *n, const char *what)
{
	long s = get_duration(x, n, what, DEFAULT_TIMEOUT_MS / 1000, 1);

	if (s < 0)
		return DEFAULT_TIMEOUT_MS;
	if (s > LONG_MAX / 1000) {
		err(x, n, "%s is too long", what);
		return DEFAULT_TIMEOUT_MS;
	}
	return s * 1000;
}

/* Items of a list, or of a single scalar seen as a one-item list when
 * scalar_ok. Returns the count; *items points into the node, or is NULL for
 * the single scalar. */
static size_t list_items(struct cx *x, const struct ynode *n, const char *what,
    bool scalar_ok, const struct ynode *const **items)
{
	if (unset(n))
		return 0;
	if (n->type == Y_SEQ) {
		*items = (const struct ynode *const *)n->items;
		return n->n;
	}
	if (n->type == Y_SCALAR && scalar_ok) {
		*items = NULL;	/* the caller takes n itself as the item */
		return 1;
	}
	err(x, n, "%s must be a list%s, not %s", what, scalar_ok ? " or a string" : "",
	    ynode_type_name(n));
	return 0;
}

/* Appends s to a string array. */
static void push_str(char ***v, size_t *n, char *s)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = s;
}

/* Collects the strings of a list (or one string when scalar_ok); check, when
 * not NULL, returns an error message for an invalid item and sets *pos to
 * the offending byte, which the error then points at. */
static void get_str_list(struct cx *x, const struct ynode *n, const char *what,
    bool scalar_ok, const char *(*check)(const char *s, size_t *pos),
    char ***out, size_t *nout)
{
	const struct ynode *const *items = NULL;
	size_t cnt = list_items(x, n, what, scalar_ok, &items);

	for (size_t i = 0; i < cnt; i++) {
		const struct ynode *it = items ? items[i] : n;
		char *s = get_string(x, it, what);
		const char *msg;
		size_t pos = 0;

		if (!s) {
			if (unset(it))
				err(x, it, "%s must not be empty", what);
			continue;
		}
		if (check && (msg = check(s, &pos))) {
			struct srcpos *sp = xmalloc((it->len + 1) * sizeof(*sp));
			struct ynode at = *it;

			ydoc_scalar_positions(x->doc, it, sp);
			if (pos <= it->len) {
				at.line = sp[pos].line;
				at.col = sp[pos].col;
			}
			free(sp);
			err(x, &at, "%s \"%s\": %s", what, s, msg);
			free(s);
			continue;
		}
		push_str(out, nout, s);
	}
}

static bool one_of(struct cx *x, const struct ynode *n, const char *what,
    const char *const *names, size_t nnames, int *out)
{
	if (unset(n))
		return true;
	if (n->type == Y_SCALAR)
		for (size_t i = 0; i < nnames; i++)
			if (!strcmp(n->str, names[i])) {
				*out = (int)i;
				return true;
			}
	char list[256] = "";
	size_t len = 0;

	for (size_t i = 0; i < nnames; i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
		    i == 0 ? "" : i + 1 == nnames ? " or " : ", ", names[i]);
	err(x, n, "%s must be %s", what, list);
	return false;
}

/* ---- Checks on values ---- */

static const char *check_email(const char *s, size_t *pos)
{
	const char *at = strchr(s, '@');

	for (size_t i = 0; s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == ',' ||
		    c == '"' || c == '(' || c == ')' || c == ';' || c == '\\') {
			*pos = i;
			return "not an email address like name@example.org "
			    "(no spaces, quotes, <>, commas or line breaks)";
		}
	}
	*pos = 0;
	if (!at || at == s || !at[1] || strchr(at + 1, '@') || !strchr(at + 1, '.') ||
	    at[1] == '.' || s[strlen(s) - 1] == '.')
		return "not an email address like name@example.org";
	return NULL;
}


static const char *check_credential(const char *s)
{
	if (strchr(s, '/') || !strcmp(s, ".") || !strcmp(s, ".."))
		return "must be a credential name (a file name under $CREDENTIALS_DIRECTORY, no '/')";
	return NULL;
}

static bool is_loopback(const char *host)
{
	struct in_addr a4;
	struct in6_addr a6;

	if (!strcasecmp(host, "localhost") || !strcasecmp(host, "localhost."))
		return true;
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, host, &a6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&a6);
	return false;
}

/* Splits "scheme://[user@]host[:port][/...]": returns NULL and the host in
 * host[] or an error message. */
static const char *url_host(const char *url, const char *const *schemes,
    size_t nschemes, char *host, size_t hostsz)
{
	const char *p = NULL, *end, *h, *hend;
	size_t i;

	for (i = 0; i < nschemes && !p; i++) {
		size_t l = strlen(schemes[i]);
		if (!strncasecmp(url, schemes[i], l))
			p = url + l;
	}
	if (!p)
		return "unsupported scheme";
	if (has_ctl(url) || strchr(url, ' '))
		return "must not contain spaces or control characters";
	end = p + strcspn(p, "/?#");
	if (memchr(p, '@', (size_t)(end - p)))
		return "must not contain a user name or password";
	h = p;
	if (*h == '[') {
		hend = memchr(h, ']', (size_t)(end - h));
		if (!hend)
			return "has an unterminated [IPv6] address";
		h++;
	} else {
		hend = memchr(h, ':', (size_t)(end - h));
		if (!hend)
			hend = end;
	}
	if (hend == h)
		return "has no host";
	if ((size_t)(hend - h) >= hostsz)
		return "has a host name that is too long";
	memcpy(host, h, (size_t)(hend - h));
	host[hend - h] = '\0';
	if (*hend == ']')
		hend++;
	if (hend < end) {
		char *e;
		long port;
		if (*hend != ':')
			return "has garbage after the host";
		errno = 0;
		port = strtol(hend + 1, &e, 10);
		if (e != end || e == hend + 1 || port < 1 || port > 65535)
			return "has an invalid port";
	}
	return NULL;
}

static bool check_http_url(struct cx *x, const struct ynode *n, const char *what,
    const char *url)
{
	static const char *const schemes[] = { "http://", "https://" };
	char host[256];
	const char *msg = url_host(url, schemes, NELEM(schemes), host, sizeof(host));

	if (!msg)
		return true;
	if (!strcmp(msg, "unsupported scheme"))
		err(x, n, "%s must be an http:// or https:// URL", what);
	else
		err(x, n, "%s %s", what, msg);
	return false;
}

/* ---- Sections ---- */

static void load_smtp(struct cx *x, const struct ynode *n, struct config *c)
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

	if (!map_fields(x, n, "smtp", names, NELEM(names), v, NULL))
		return;
	s = c->smtp = xmalloc(sizeof(*s));
	s->url = get_string(x, v[0], "smtp.url");
	if (!s->url) {
		if (unset(v[0]))
			err(x, n, "smtp.url is required (smtp://HOST:PORT or smtps://HOST:PORT)");
	} else if ((msg = url_host(s->url, schemes, NELEM(schemes), host, sizeof(host)))) {
		if (!strcmp(msg, "unsupported scheme"))
			err(x, v[0], "smtp.url must start with smtp:// or smtps://");
		else
			err(x, v[0], "smtp.url %s", msg);
		host[0] = '\0';
	}
	if (one_of(x, v[1], "smtp.starttls", tls, NELEM(tls), &starttls))
		s->starttls = (enum starttls)starttls;
	if (s->starttls == STARTTLS_NONE && host[0] && !is_loopback(host))
		err(x, v[1], "starttls: none is only allowed for a loopback host "
		    "(127.0.0.0/8, ::1, localhost), not \"%s\": use starttls: required", host);
	s->username = get_string(x, v[2], "smtp.username");
	s->password_file = get_secret_path(x, v[3], "smtp.password_file");
	s->password_credential = get_string(x, v[4], "smtp.password_credential");
	if (s->password_credential && (msg = check_credential(s->password_credential)))
		err(x, v[4], "smtp.password_credential %s", msg);
	if (s->password_file && s->password_credential)
		err(x, v[4], "set smtp.password_file or smtp.password_credential, not both");
	s->from = get_string(x, v[5], "smtp.from");
	if (!s->from) {
		if (unset(v[5]))
			err(x, n, "smtp.from is required: the sender address of alert emails");
	} else if ((msg = check_email(s->from, &pos))) {
		err(x, v[5], "smtp.from \"%s\": %s", s->from, msg);
	}
	s->ca_file = get_path(x, v[6], "smtp.ca_file");
	s->timeout_ms = get_timeout_ms(x, v[7], "smtp.timeout");
}

static void load_webhooks(struct cx *x, const struct ynode *n, struct config *c)
{
	static const char *const names[] = { "url", "format", "secret_file",
	    "secret_credential", "timeout" };
	static const char *const formats[] = { "generic", "slack", "teams", "alertmanager" };

	if (unset(n))
		return;
	if (n->type != Y_MAP) {
		err(x, n, "webhooks must be a mapping of names to webhooks, not %s",
		    ynode_type_name(n));
		return;
	}
	c->webhooks = xmalloc(n->n * sizeof(*c->webhooks));
	for (size_t i = 0; i < n->n; i++) {
		const struct ynode *k = n->keys[i], *v[NELEM(names)];
		struct webhook_config *w;
		const char *name = scalar(x, k, "a webhook name", "a string"), *msg;
		int fmt = WH_GENERIC;

		if (!name)
			continue;
		if (!*name || has_ctl(name)) {
			err(x, k, "a webhook name must be a non-empty one-line string");
			continue;
		}
		if (config_webhook(c, name)) {
			err(x, k, "duplicate webhook \"%s\"", name);
			continue;
		}
		w = &c->webhooks[c->nwebhooks++];
		w->name = xstrdup(name);
		w->timeout_ms = DEFAULT_TIMEOUT_MS;
		if (!map_fields(x, n->vals[i], "webhook", names, NELEM(names), v, NULL))
			continue;
		w->url = get_string(x, v[0], "url");
		if (!w->url) {
			if (unset(v[0]))
				err(x, k, "webhook \"%s\" needs a url", name);
		} else {
			check_http_url(x, v[0], "url", w->url);
		}
		if (one_of(x, v[1], "format", formats, NELEM(formats), &fmt))
			w->format = (enum webhook_format)fmt;
		w->secret_file = get_secret_path(x, v[2], "secret_file");
		w->secret_credential = get_string(x, v[3], "secret_credential");
		if (w->secret_credential && (msg = check_credential(w->secret_credential)))
			err(x, v[3], "secret_credential %s", msg);
		if (w->secret_file && w->secret_credential)
			err(x, v[3], "set secret_file or secret_credential, not both");
		w->timeout_ms = get_timeout_ms(x, v[4], "timeout");
	}
}

static void load_route(struct cx *x, const struct ynode *n, struct config *c,
    struct route_config *r)
{
	static const char *const names[] = { "scope", "email", "webhook" };
	const struct ynode *v[NELEM(names)];

	if (!map_fields(x, n, "route", names, NELEM(names), v, NULL))
		return;
	get_str_list(x, v[0], "scope", true, unit_glob_check, &r->scope, &r->nscope);
	get_str_list(x, v[1], "email", true, check_email, &r->email, &r->nemail);
	get_str_list(x, v[2], "webhook", true, NULL, &r->webhook, &r->nwebhook);
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
		const char **cands = xmalloc((c->nwebhooks + 1) * sizeof(*cands));
		for (size_t j = 0; j < c->nwebhooks; j++)
			cands[j] = c->webhooks[j].name;
		const char *near = closest_word(r->webhook[i], cands, c->nwebhooks);
		if (near)
			err(x, at, "unknown webhook \"%s\" (did you mean \"%s\"?)",
			    r->webhook[i], near);
		else
			err(x, at, "unknown webhook \"%s\": define it under webhooks:",
			    r->webhook[i]);
		free(cands);
	}
	if (!r->nscope)
		push_str(&r->scope, &r->nscope, xstrdup("**"));
}

static void load_recipients(struct cx *x, const struct ynode *n, struct config *c)
{
	if (unset(n))
		return;
	if (n->type != Y_MAP) {
		err(x, n, "recipients must be a mapping of roles to lists of routes, not %s",
		    ynode_type_name(n));
		return;
	}
	c->roles = xmalloc(n->n * sizeof(*c->roles));
	for (size_t i = 0; i < n->n; i++) {
		const struct ynode *k = n->keys[i], *l = n->vals[i];
		const char *name = scalar(x, k, "a role name", "a string");
		struct role_config *r;

		if (!name)
			continue;
		if (!*name || has_ctl(name)) {
			err(x, k, "a role name must be a non-empty one-line string");
			continue;
		}
		if (config_role(c, name)) {
			err(x, k, "duplicate role \"%s\"", name);
			continue;
		}
		r = &c->roles[c->nroles++];
		r->name = xstrdup(name);
		if (unset(l))
			continue;
		if (l->type != Y_SEQ) {
			err(x, l, "role \"%s\" must be a list of routes (- scope: ..., email: [...], "
			    "webhook: [...]), not %s", name, ynode_type_name(l));
			continue;
		}
		r->routes = xmalloc(l->n * sizeof(*r->routes));
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

	if (!map_fields(x, n, "source", names, S_NKEYS, v, k))
		return;
	c->nsources++;
	s->timeout_ms = DEFAULT_TIMEOUT_MS;
	s->max_size = DEFAULT_MAX_SIZE;
	s->name = get_string(x, v[S_NAME], "source name");
	if (!s->name) {
		if (unset(v[S_NAME]))
			err(x, n, "a source needs a name ([a-z0-9_-]+)");
	} else if (!source_name_ok(s->name)) {
		err(x, v[S_NAME], "source name \"%s\" must match [a-z0-9_-]+", s->name);
	} else {
		for (size_t i = 0; i + 1 < c->nsources; i++)
			if (c->sources[i].name && !strcmp(c->sources[i].name, s->name)) {
				err(x, v[S_NAME], "duplicate source name \"%s\" (first at line %d)",
				    s->name, namenodes[i] ? namenodes[i]->line : 0);
				break;
			}
	}
	namenodes[c->nsources - 1] = v[S_NAME];
	if (unset(v[S_TYPE]))
		err(x, n, "source \"%s\" needs a type: http or sqlite", s->name ? s->name : "");
	else if (one_of(x, v[S_TYPE], "source type", types, NELEM(types), &type))
		s->type = (enum source_type)type;
	every = get_duration(x, v[S_EVERY], "every", 0, 0);
	s->every_s = every < 0 ? 0 : every;
	s->timeout_ms = get_timeout_ms(x, v[S_TIMEOUT], "timeout");
	for (int i = 0; i < S_NKEYS && type >= 0; i++) {
		if (!k[i])
			continue;
		if ((type == SRC_SQLITE && http_only[i]) || (type == SRC_HTTP && sqlite_only[i]))
			err(x, k[i], "key \"%s\" is for %s sources, this one is type %s",
			    names[i], http_only[i] ? "http" : "sqlite", types[type]);
	}
	if (type == SRC_HTTP) {
		s->url = get_string(x, v[S_URL], "url");
		if (!s->url) {
			if (unset(v[S_URL]))
				err(x, n, "an http source needs a url");
		} else {
			check_http_url(x, v[S_URL], "url", s->url);
		}
		s->token_file = get_secret_path(x, v[S_TOKEN_FILE], "token_file");
		s->token_credential = get_string(x, v[S_TOKEN_CRED], "token_credential");
		if (s->token_credential && (msg = check_credential(s->token_credential)))
			err(x, v[S_TOKEN_CRED], "token_credential %s", msg);
		if (s->token_file && s->token_credential)
			err(x, v[S_TOKEN_CRED], "set token_file or token_credential, not both");
		s->ca_file = get_path(x, v[S_CA_FILE], "ca_file");
		if (!unset(v[S_MAX_SIZE])) {
			long long sz = v[S_MAX_SIZE]->type == Y_SCALAR ?
			    parse_size(v[S_MAX_SIZE]->str) : -1;
			if (sz <= 0)
				err(x, v[S_MAX_SIZE], "max_size must be a size like 512K, 64M or 1G");
			else
				s->max_size = sz;
		}
	} else if (type == SRC_SQLITE) {
		s->path = get_path(x, v[S_PATH], "path");
		if (!s->path && unset(v[S_PATH]))
			err(x, n, "an sqlite source needs a path");
		if (!unset(v[S_QUERY])) {
			const char *q = scalar(x, v[S_QUERY], "query", "a string");
			if (q && !*q)
				err(x, v[S_QUERY], "query must not be empty");
			else if (q)
				s->query = xstrdup(q);	/* may span lines */
		} else {
			err(x, n, "an sqlite source needs a query "
			    "(SELECT unit, period, indicator, value FROM ...)");
		}
	}
}

static void load_sources(struct cx *x, const struct ynode *n, struct config *c)
{
	const struct ynode **namenodes;

	if (unset(n))
		return;
	if (n->type != Y_SEQ) {
		err(x, n, "sources must be a list, not %s", ynode_type_name(n));
		return;
	}
	c->sources = xmalloc(n->n * sizeof(*c->sources));
	namenodes = xmalloc(n->n * sizeof(*namenodes));
	for (size_t i = 0; i < n->n; i++)
		load_source(x, n->items[i], c, namenodes);
	free(namenodes);
}

enum { K_DATABASE, K_RULES, K_INBOX, K_INTERVAL, K_PERIOD, K_MIN_HEADCOUNT,
	K_LOCALE, K_DEFAULT_NOTIFY, K_STALE_AFTER, K_METRICS_FILE, K_SMTP,
	K_WEBHOOKS, K_RECIPIENTS, K_SOURCES, K_CARRY_OVER, K_NKEYS };

static void load_top(struct cx *x, const struct ynode *root, struct config *c)
{
	static const char *const names[K_NKEYS] = { "database", "rules", "inbox",
	    "interval", "period", "min_headcount", "locale", "default_notify",
	    "stale_after", "metrics_file", "smtp", "webhooks", "recipients", "sources",
	    "carry_over" };
	static const char *const periods[] = { "month", "week" };
	static const char *const locales[] = { "fr", "en" };
	const struct ynode *v[K_NKEYS];
	int iv;
	long d;
	long long hc;

	if (!map_fields(x, root, "", names, K_NKEYS, v, NULL))
		return;
	if (!unset(v[K_DATABASE])) {
		free(c->database);
		c->database = get_path(x, v[K_DATABASE], "database");
	}
	if (!unset(v[K_RULES])) {
		free(c->rules);
		c->rules = get_path(x, v[K_RULES], "rules");
	}
	c->inbox = get_path(x, v[K_INBOX], "inbox");
	if ((d = get_duration(x, v[K_INTERVAL], "interval", c->interval_s, 1)) > 0)
		c->interval_s = d;
	iv = (int)c->period;
	if (one_of(x, v[K_PERIOD], "period", periods, NELEM(periods), &iv))
		c->period = (enum granularity)iv;
	if (!unset(v[K_MIN_HEADCOUNT])) {
		const struct ynode *m = v[K_MIN_HEADCOUNT];
		if (m->type != Y_SCALAR || yscalar_int(m, &hc) != 0)
			err(x, m, "min_headcount must be a whole number, at least 3");
		else if (hc < 3)
			err(x, m, "min_headcount must be at least 3: the anonymity floor cannot go lower");
		else if (hc > 1000000)
			err(x, m, "min_headcount must be at most 1000000");
		else
			c->min_headcount = (int)hc;
	}
	if (!unset(v[K_CARRY_OVER])) {
		const struct ynode *m = v[K_CARRY_OVER];
		if (m->type != Y_SCALAR || yscalar_int(m, &hc) != 0 || hc < 0 ||
		    hc > 1000000)
			err(x, m, "carry_over must be a whole number of periods, "
			    "from 0 to 1000000");
		else
			c->carry_over = (int)hc;
	}
	iv = (int)c->locale;
	if (one_of(x, v[K_LOCALE], "locale", locales, NELEM(locales), &iv))
		c->locale = (enum locale)iv;
	if (v[K_DEFAULT_NOTIFY] && !unset(v[K_DEFAULT_NOTIFY])) {
		for (size_t i = 0; i < c->ndefault_notify; i++)
			free(c->default_notify[i]);
		c->ndefault_notify = 0;
		get_str_list(x, v[K_DEFAULT_NOTIFY], "default_notify", false, NULL,
		    &c->default_notify, &c->ndefault_notify);
	}
	if ((d = get_duration(x, v[K_STALE_AFTER], "stale_after", c->stale_after_s, 1)) > 0)
		c->stale_after_s = d;
	c->metrics_file = get_path(x, v[K_METRICS_FILE], "metrics_file");
	if (!unset(v[K_SMTP]))
		load_smtp(x, v[K_SMTP], c);
	load_webhooks(x, v[K_WEBHOOKS], c);
	load_recipients(x, v[K_RECIPIENTS], c);
	load_sources(x, v[K_SOURCES], c);
}

/* ---- Public ---- */

const char *config_path(const char *arg)
{
	const char *env;

	if (arg && *arg)
		return arg;
	env = getenv("VIGIE_CONFIG");
	if (env && *env)
		return env;
	return CONFIG_DEFAULT_PATH;
}

/* The absolute folder of path, so that resolved paths stay right whatever
 * the daemon's working folder becomes; as written if it cannot be resolved. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir, *abs;

	if (!slash)
		dir = xstrdup(".");
	else if (slash == path)
		dir = xstrdup("/");
	else if (!(dir = strndup(path, (size_t)(slash - path))))
		abort();
	abs = realpath(dir, NULL);
	if (!abs)
		return dir;
	free(dir);
	return abs;
}

/* Sections are checked in dependency order (webhooks before the routes
 * naming them), so errors are sorted back into reading order; the sort is
 * stable and the lists are short. */
static void sort_diags(struct diags *d, size_t start)
{
	for (size_t i = start + 1; i < d->n; i++) {
		struct diag t = d->v[i];
		size_t j = i;

		while (j > start && (d->v[j - 1].line > t.line ||
		    (d->v[j - 1].line == t.line && d->v[j - 1].col > t.col))) {
			d->v[j] = d->v[j - 1];
			j--;
		}
		d->v[j] = t;
	}
}

struct config *config_load(const char *path, struct diags *d)
{
	struct cx x = { .d = d, .file = path };
	struct config *c;
	struct ydoc *doc;
	size_t start = d->n;

	doc = ydoc_load(path, d);
	if (!doc)
		return NULL;
	x.dir = dir_of(path);
	c = xmalloc(sizeof(*c));
	c->file = xstrdup(path);
	c->database = xstrdup(DEFAULT_DATABASE);
	c->rules = xstrdup(DEFAULT_RULES);
	c->interval_s = 3600;
	c->period = GRAN_MONTH;
	c->min_headcount = 5;
	c->carry_over = 6;
	c->locale = LOC_FR;
	push_str(&c->default_notify, &c->ndefault_notify, xstrdup("social-worker"));
	push_str(&c->default_notify, &c->ndefault_notify, xstrdup("hr"));
	c->stale_after_s = 45L * 86400;
	x.doc = doc;
	if (doc->root && !unset(doc->root))
		load_top(&x, doc->root, c);
	ydoc_free(doc);
	free(x.dir);
	sort_diags(d, start);
	if (x.errors) {
		config_free(c);
		return NULL;
	}
	return c;
}

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void config_free(struct config *c)
{
	if (!c)
		return;
	free(c->file);
	free(c->database);
	free(c->rules);
	free(c->inbox);
	free_strv(c->default_notify, c->ndefault_notify);
	free(c->metrics_file);
	if (c->smtp) {
		struct smtp_config *s = c->smtp;
		free(s->url);
		free(s->username);
		free(s->password_file);
		free(s->password_credential);
		free(s->from);
		free(s->ca_file);
		free(s);
	}
	for (size_t i = 0; i < c->nwebhooks; i++) {
		struct webhook_config *w = &c->webhooks[i];
		free(w->name);
		free(w->url);
		free(w->secret_file);
		free(w->secret_credential);
	}
	free(c->webhooks);
	for (size_t i = 0; i < c->nroles; i++) {
		struct role_config *r = &c->roles[i];
		for (size_t j = 0; j < r->nroutes; j++) {
			free_strv(r->routes[j].scope, r->routes[j].nscope);
			free_strv(r->routes[j].email, r->routes[j].nemail);
			free_strv(r->routes[j].webhook, r->routes[j].nwebhook);
		}
		free(r->routes);
		free(r->name);
	}
	free(c->roles);
	for (size_t i = 0; i < c->nsources; i++) {
		struct source_config *s = &c->sources[i];
		free(s->name);
		free(s->url);
		free(s->token_file);
		free(s->token_credential);
		free(s->ca_file);
		free(s->path);
		free(s->query);
	}
	free(c->sources);
	free(c);
}

const struct role_config *config_role(const struct config *c, const char *name)
{
	for (size_t i = 0; i < c->nroles; i++)
		if (!strcmp(c->roles[i].name, name))
			return &c->roles[i];
	return NULL;
}

const struct webhook_config *config_webhook(const struct config *c, const char *name)
{
	for (size_t i = 0; i < c->nwebhooks; i++)
		if (!strcmp(c->webhooks[i].name, name))
			return &c->webhooks[i];
	return NULL;
}

const struct route_config *config_route(const struct role_config *r, const char *unit)
{
	if (!r)
		return NULL;
	for (size_t i = 0; i < r->nroutes; i++) {
		const struct route_config *rt = &r->routes[i];
		if (!rt->nscope)
			return rt;
		for (size_t j = 0; j < rt->nscope; j++)
			if (unit_glob_match(rt->scope[j], unit))
				return rt;
	}
	return NULL;
}
