/* The configuration loader (SPEC 7, 8, 9): reads one YAML file through the
 * position-keeping tree of rules/yaml.c, checks every key and value, and
 * builds a struct config with the defaults filled in and relative paths
 * resolved against the file's folder. Like OpenBSD's parse.y it keeps going
 * after an error so that one run reports every problem at its
 * FILE:LINE:COLUMN, and only a configuration without errors is returned, so
 * a reload can parse aside and swap on success. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config_impl.h"
#include "vigie/config.h"
#include "vigie/fileio.h"
#include "vigie/unit.h"
#include "vigie/yaml.h"
#include "vigie/xalloc.h"

#define DEFAULT_RULES "/etc/vigie/rules.d"

void cfg_err(struct cx *x, const struct ynode *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diags_vadd(x->d, x->file, n ? n->line : 0, n ? n->col : 0, fmt, ap);
	va_end(ap);
	x->errors++;
}

void cfg_warn(struct cx *x, const struct ynode *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diags_vadd(x->w, x->file, n ? n->line : 0, n ? n->col : 0, fmt, ap);
	va_end(ap);
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

/* A whole number of periods from 1, for retention.NAME; the default when
 * unset. */
static int retention_periods(struct cx *x, const struct ynode *n,
    const char *name, int dflt)
{
	long long v;

	if (cfg_unset(n))
		return dflt;
	if (n->type != Y_SCALAR || yscalar_int(n, &v) != 0 || v < 1 || v > 100000) {
		cfg_err(x, n, "retention.%s must be a whole number of periods, "
		    "from 1 to 100000", name);
		return dflt;
	}
	return (int)v;
}

/* dominance, confidential_roles and retention (SPEC 3). */
static void load_disclosure(struct cx *x, const struct ynode *dom,
    const struct ynode *conf, const struct ynode *ret, struct config *c)
{
	static const char *const keep[] = { "data", "alerts", "notes", "messages" };
	const struct ynode *v[NELEM(keep)];
	double d;
	long s;

	if (!cfg_unset(dom)) {
		if (dom->type != Y_SCALAR || yscalar_double(dom, &d) != 0 ||
		    d < 0.5 || d > 0.95)
			cfg_err(x, dom, "dominance must be a number from 0.5 to 0.95: "
			    "a value is hidden when one employee accounts for more "
			    "than that share of it");
		else
			c->dominance = d;
	}
	if (conf && !cfg_unset(conf)) {
		for (size_t i = 0; i < c->nconfidential_roles; i++)
			free(c->confidential_roles[i]);
		c->nconfidential_roles = 0;
		cfg_str_list(x, conf, "confidential_roles", false, NULL,
		    &c->confidential_roles, &c->nconfidential_roles);
	}
	if (cfg_unset(ret) || !cfg_map_fields(x, ret, "retention", keep,
	    NELEM(keep), v, NULL))
		return;
	c->retention.data = retention_periods(x, v[0], "data", c->retention.data);
	if (!cfg_unset(v[0])) {
		c->retention.data_line = v[0]->line;
		c->retention.data_col = v[0]->col;
	}
	c->retention.alerts = retention_periods(x, v[1], "alerts",
	    c->retention.alerts);
	c->retention.notes = retention_periods(x, v[2], "notes", c->retention.notes);
	if ((s = cfg_duration(x, v[3], "retention.messages",
	    c->retention.messages_s, 86400)) > 0)
		c->retention.messages_s = s;
}

enum { K_DATABASE, K_RULES, K_INBOX, K_INTERVAL, K_PERIOD, K_MIN_HEADCOUNT,
	K_LOCALE, K_DEFAULT_NOTIFY, K_STALE_AFTER, K_METRICS_FILE, K_SMTP,
	K_WEBHOOKS, K_RECIPIENTS, K_SOURCES, K_CARRY_OVER, K_DOMINANCE,
	K_CONFIDENTIAL_ROLES, K_RETENTION, K_MAX_IMPORT_SIZE, K_WEB, K_REPORT, K_NKEYS };

static void load_top(struct cx *x, const struct ynode *root, struct config *c)
{
	static const char *const names[K_NKEYS] = { "database", "rules", "inbox",
	    "interval", "period", "min_headcount", "locale", "default_notify",
	    "stale_after", "metrics_file", "smtp", "webhooks", "recipients", "sources",
	    "carry_over", "dominance", "confidential_roles", "retention",
	    "max_import_size", "web", "report" };
	static const char *const periods[] = { "month", "week" };
	static const char *const locales[] = { "fr", "en" };
	const struct ynode *v[K_NKEYS];
	int iv;
	long d;
	long long hc;

	if (!cfg_map_fields(x, root, "", names, K_NKEYS, v, NULL))
		return;
	if (!cfg_unset(v[K_DATABASE])) {
		free(c->database);
		c->database = cfg_path(x, v[K_DATABASE], "database");
		c->database_line = v[K_DATABASE]->line;
		c->database_col = v[K_DATABASE]->col;
	}
	if (!cfg_unset(v[K_RULES])) {
		free(c->rules);
		c->rules = cfg_path(x, v[K_RULES], "rules");
	}
	c->inbox = cfg_path(x, v[K_INBOX], "inbox");
	if ((d = cfg_duration(x, v[K_INTERVAL], "interval", c->interval_s, 1)) > 0)
		c->interval_s = d;
	iv = (int)c->period;
	if (cfg_one_of(x, v[K_PERIOD], "period", periods, NELEM(periods), &iv)) {
		c->period = (enum granularity)iv;
		if (!cfg_unset(v[K_PERIOD])) {
			c->period_line = v[K_PERIOD]->line;
			c->period_col = v[K_PERIOD]->col;
		}
	}
	if (!cfg_unset(v[K_MIN_HEADCOUNT])) {
		const struct ynode *m = v[K_MIN_HEADCOUNT];
		if (m->type != Y_SCALAR || yscalar_int(m, &hc) != 0)
			cfg_err(x, m, "min_headcount must be a whole number, at least 3");
		else if (hc < 3)
			cfg_err(x, m, "min_headcount must be at least 3: the anonymity floor cannot go lower");
		else if (hc > 1000000)
			cfg_err(x, m, "min_headcount must be at most 1000000");
		else
			c->min_headcount = (int)hc;
	}
	if (!cfg_unset(v[K_CARRY_OVER])) {
		const struct ynode *m = v[K_CARRY_OVER];
		if (m->type != Y_SCALAR || yscalar_int(m, &hc) != 0 || hc < 0 ||
		    hc > 1000000)
			cfg_err(x, m, "carry_over must be a whole number of periods, "
			    "from 0 to 1000000");
		else
			c->carry_over = (int)hc;
	}
	if (!cfg_unset(v[K_MAX_IMPORT_SIZE])) {
		const struct ynode *m = v[K_MAX_IMPORT_SIZE];
		long long sz = m->type == Y_SCALAR ? parse_size(m->str) : -1;
		if (sz <= 0)
			cfg_err(x, m, "max_import_size must be a size like 512K, 256M or 1G");
		else
			c->max_import_size = sz;
	}
	iv = (int)c->locale;
	if (cfg_one_of(x, v[K_LOCALE], "locale", locales, NELEM(locales), &iv))
		c->locale = (enum locale)iv;
	if (v[K_DEFAULT_NOTIFY] && !cfg_unset(v[K_DEFAULT_NOTIFY])) {
		for (size_t i = 0; i < c->ndefault_notify; i++)
			free(c->default_notify[i]);
		c->ndefault_notify = 0;
		cfg_str_list(x, v[K_DEFAULT_NOTIFY], "default_notify", false, NULL,
		    &c->default_notify, &c->ndefault_notify);
		if (v[K_DEFAULT_NOTIFY]->type == Y_SEQ && v[K_DEFAULT_NOTIFY]->n == 0)
			cfg_warn(x, v[K_DEFAULT_NOTIFY], "default_notify names no "
			    "role: the alerts of rules without their own notify "
			    "reach no one (no email or webhook, no console user, "
			    "not the works council's report) and only vigie alerts "
			    "lists them");
	}
	if ((d = cfg_duration(x, v[K_STALE_AFTER], "stale_after", c->stale_after_s, 1)) > 0)
		c->stale_after_s = d;
	c->metrics_file = cfg_path(x, v[K_METRICS_FILE], "metrics_file");
	if (c->metrics_file) {
		c->metrics_file_line = v[K_METRICS_FILE]->line;
		c->metrics_file_col = v[K_METRICS_FILE]->col;
	}
	x->no_smtp = cfg_unset(v[K_SMTP]);
	if (!x->no_smtp)
		cfg_load_smtp(x, v[K_SMTP], c);
	cfg_load_webhooks(x, v[K_WEBHOOKS], c);
	cfg_load_recipients(x, v[K_RECIPIENTS], c);
	cfg_load_sources(x, v[K_SOURCES], c);
	load_disclosure(x, v[K_DOMINANCE], v[K_CONFIDENTIAL_ROLES],
	    v[K_RETENTION], c);
	if (!cfg_unset(v[K_WEB]))
		cfg_load_web(x, v[K_WEB], c);
	cfg_load_report(x, v[K_REPORT], c);
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
	bool valid;
	struct config *c = config_load_anyway(path, d, &valid);

	if (c && !valid) {
		config_free(c);
		return NULL;
	}
	return c;
}

struct config *config_load_anyway(const char *path, struct diags *d, bool *valid)
{
	struct cx x = { .d = d, .file = path };
	struct config *c;
	struct ydoc *doc;
	size_t start = d->n;

	*valid = false;
	doc = ydoc_load(path, d);
	if (!doc)
		return NULL;
	x.dir = dir_of(path);
	c = xcalloc(1, sizeof(*c));
	c->file = xstrdup(path);
	c->database = xstrdup(CONFIG_DEFAULT_DATABASE);
	c->rules = xstrdup(DEFAULT_RULES);
	c->interval_s = 3600;
	c->period = GRAN_MONTH;
	c->min_headcount = CONFIG_DEFAULT_MIN_HEADCOUNT;
	c->carry_over = 6;
	c->max_import_size = CONFIG_MAX_IMPORT_SIZE;
	c->locale = LOC_FR;
	cfg_push_str(&c->default_notify, &c->ndefault_notify, xstrdup("social-worker"));
	cfg_push_str(&c->default_notify, &c->ndefault_notify, xstrdup("hr"));
	c->stale_after_s = 45L * 86400;
	c->dominance = 0.85;
	cfg_push_str(&c->confidential_roles, &c->nconfidential_roles,
	    xstrdup("social-worker"));
	c->retention = (struct retention){ 60, 36, 24, 90L * 86400, 0, 0 };
	c->warnings.kind = "warning";
	x.w = &c->warnings;
	x.doc = doc;
	if (doc->root && !cfg_unset(doc->root))
		load_top(&x, doc->root, c);
	ydoc_free(doc);
	free(x.dir);
	sort_diags(d, start);
	*valid = x.errors == 0 && d->n == start;	/* a duplicate key too */
	return c;
}

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

char *config_reload_refused(const struct config *cur, const struct config *next)
{
	if (strcmp(cur->database, next->database))
		return xasprintf("database: changed from %s to %s; restart to change "
		    "the database (vigied and vigie-web, which keep the one they "
		    "opened)", cur->database, next->database);
	if (cur->period != next->period)
		return xasprintf("period: changed from %s to %s; restart to change "
		    "the period (vigied and vigie-web, whose database holds one)",
		    granularity_name(cur->period), granularity_name(next->period));
	return NULL;
}

/* Appends key to the list keys when its values x and y differ. */
static void changed(char *keys, size_t size, const char *key, const char *x,
    const char *y)
{
	size_t len = strlen(keys);

	if ((x == NULL) != (y == NULL) || (x && strcmp(x, y)))
		snprintf(keys + len, size - len, "%s%s", len ? ", " : "", key);
}

char *config_web_restart_keys(const struct config *cur, const struct config *next)
{
	static const struct web_config none;
	const struct web_config *a = cur->web ? cur->web : &none;
	const struct web_config *b = next->web ? next->web : &none;
	char keys[128] = "";

	changed(keys, sizeof(keys), "web.listen", a->listen, b->listen);
	changed(keys, sizeof(keys), "web.tls_cert_file", a->tls_cert_file, b->tls_cert_file);
	changed(keys, sizeof(keys), "web.tls_key_file", a->tls_key_file, b->tls_key_file);
	changed(keys, sizeof(keys), "web.url", a->url, b->url);
	return *keys ? xstrdup(keys) : NULL;
}

void config_free(struct config *c)
{
	if (!c)
		return;
	diags_free(&c->warnings);
	free(c->file);
	free(c->database);
	free(c->rules);
	free(c->inbox);
	free_strv(c->default_notify, c->ndefault_notify);
	free_strv(c->confidential_roles, c->nconfidential_roles);
	free(c->metrics_file);
	if (c->smtp) {
		struct smtp_config *s = c->smtp;
		free(s->url);
		free(s->username);
		free(s->password_file);
		free(s->password_credential);
		free(s->from);
		free(s->from_addr);
		free(s->from_name);
		free(s->ca_file);
		free(s);
	}
	for (size_t i = 0; i < c->nwebhooks; i++) {
		struct webhook_config *w = &c->webhooks[i];
		free(w->name);
		free(w->url);
		free(w->secret_file);
		free(w->secret_credential);
		free(w->auth_file);
		free(w->auth_credential);
		free(w->instance);
	}
	free(c->webhooks);
	for (size_t i = 0; i < c->nroles; i++) {
		struct role_config *r = &c->roles[i];
		for (size_t j = 0; j < r->nroutes; j++) {
			free_strv(r->routes[j].scope, r->routes[j].nscope);
			free(r->routes[j].scope_at);
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
	if (c->web) {
		free(c->web->listen);
		free(c->web->url);
		free(c->web->tls_cert_file);
		free(c->web->tls_key_file);
		free(c->web->trusted_user_header);
		free_strv(c->web->import_roles, c->web->nimport_roles);
		free(c->web);
	}
	cfg_free_report(&c->report);
	free(c);
}

const struct role_config *config_role(const struct config *c, const char *name)
{
	for (size_t i = 0; i < c->nroles; i++)
		if (!strcmp(c->roles[i].name, name))
			return &c->roles[i];
	return NULL;
}

bool config_may_import(const struct config *c, const char *role)
{
	if (!role)
		return false;
	if (!c->web)	/* vigie-web runs without a web: section too */
		return !strcmp(role, "hr");	/* web.import_roles' default */
	for (size_t i = 0; i < c->web->nimport_roles; i++)
		if (!strcmp(c->web->import_roles[i], role))
			return true;
	return false;
}

struct rule_policy config_rule_policy(const struct config *c)
{
	return (struct rule_policy){ c->confidential_roles, c->nconfidential_roles,
	    c->default_notify, c->ndefault_notify, true, c->locale };
}

struct rule_policy config_rule_texts(const struct config *c)
{
	return (struct rule_policy){ .locale = c->locale };
}

char *const *config_rule_roles(const struct config *c, const struct rule *r,
    size_t *n)
{
	return rule_roles(r, c->default_notify, c->ndefault_notify, n);
}

bool config_rule_notifies(const struct config *c, const struct rule *r,
    const char *role)
{
	size_t n;
	char *const *roles = config_rule_roles(c, r, &n);

	for (size_t i = 0; i < n; i++)
		if (!strcmp(roles[i], role))
			return true;
	return false;
}

const struct webhook_config *config_webhook(const struct config *c, const char *name)
{
	for (size_t i = 0; i < c->nwebhooks; i++)
		if (!strcmp(c->webhooks[i].name, name))
			return &c->webhooks[i];
	return NULL;
}

const char *config_web_url(const struct config *c)
{
	return c->web ? c->web->url : NULL;
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

int config_listen_split(const char *listen, char *host, size_t hostsz,
    unsigned *port)
{
	const char *h = listen, *hend, *p;
	char *e;
	unsigned long v;

	if (*h == '[') {
		if (!(hend = strchr(++h, ']')) || hend[1] != ':')
			return -1;
		p = hend + 2;
	} else {
		if (!(hend = strrchr(h, ':')) || memchr(h, ':', (size_t)(hend - h)))
			return -1;
		p = hend + 1;
	}
	if (hend == h || (size_t)(hend - h) >= hostsz || !isdigit((unsigned char)*p))
		return -1;
	errno = 0;
	v = strtoul(p, &e, 10);
	if (*e || errno || v < 1 || v > 65535)
		return -1;
	memcpy(host, h, (size_t)(hend - h));
	host[hend - h] = '\0';
	*port = (unsigned)v;
	return 0;
}

/* Rule ids ([a-z0-9_-]) and unit paths ([A-Za-z0-9._-] segments and '/')
 * are made of characters a URL path carries as they are, and '@' is allowed
 * in a path segment (RFC 3986, pchar): the link needs no escaping. */
char *config_alert_url(const char *web_url, const char *rule, const char *unit)
{
	return web_url ? xasprintf("%s/alerts/%s@%s", web_url, rule, unit) : NULL;
}

char *config_help_url(const char *web_url)
{
	return web_url ? xasprintf("%s/help", web_url) : NULL;
}

const char **config_role_scopes(const struct role_config *r, size_t *n)
{
	const char **v = xcalloc(1, sizeof(*v));

	*n = 0;
	for (size_t i = 0; r && i < r->nroutes; i++) {
		const struct route_config *rt = &r->routes[i];
		for (size_t j = 0; j < (rt->nscope ? rt->nscope : 1); j++) {
			const char *g = rt->nscope ? rt->scope[j] : "**";
			size_t k = 0;
			while (k < *n && strcmp(v[k], g))
				k++;
			if (k < *n)
				continue;
			v = xreallocarray(v, *n + 1, sizeof(*v));
			v[(*n)++] = g;
		}
	}
	return v;
}
