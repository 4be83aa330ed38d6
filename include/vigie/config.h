/* Configuration (SPEC 7): one YAML file, defaults, durations, relative paths
 * resolved against the file's folder. Parsed aside, swapped on success. */
#ifndef VIGIE_CONFIG_H
#define VIGIE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include "vigie/diag.h"
#include "vigie/period.h"
#include "vigie/rules.h"	/* enum locale */

#define CONFIG_DEFAULT_PATH "/etc/vigie/vigie.yaml"
#define CONFIG_DEFAULT_MIN_HEADCOUNT 5	/* SPEC 3 */
/* The default database, in the state directory that vigied.service has
 * systemd create (StateDirectory=vigie) when it starts. */
#define CONFIG_DEFAULT_DATABASE "/var/lib/vigie/vigie.db"
#define CONFIG_MAX_IMPORT_SIZE (256LL << 20)

enum starttls { STARTTLS_REQUIRED = 0, STARTTLS_NONE = 1 };
enum webhook_format { WH_GENERIC = 0, WH_SLACK, WH_TEAMS, WH_ALERTMANAGER, WH_MATTERMOST };
/* What a webhook carries (SPEC 9): everything, or no figure at all. */
enum webhook_detail { DETAIL_FULL = 0, DETAIL_MINIMAL };
/* How a webhook logs in to its receiver: an Authorization header. */
enum webhook_auth { AUTH_NONE = 0, AUTH_BEARER, AUTH_BASIC };
enum source_type { SRC_HTTP = 0, SRC_SQLITE };

struct smtp_config {
	char *url;		/* smtp://HOST:PORT or smtps://HOST:PORT */
	enum starttls starttls;
	char *username, *password_file, *password_credential, *from, *ca_file;
	char *from_addr;	/* the address of from: the envelope sender */
	char *from_name;	/* its display name, unquoted, or NULL */
	long timeout_ms;	/* default 30 s */
};

struct webhook_config {
	char *name, *url;
	enum webhook_format format;
	char *secret_file, *secret_credential;
	enum webhook_auth auth;	/* token_* (bearer) or basic_auth_* */
	char *auth_file, *auth_credential;	/* where its secret is */
	long timeout_ms;	/* default 30 s */
	enum webhook_detail detail;	/* default: full for generic, else minimal */
	char *instance;		/* alertmanager: the instance label (default the
				   host name); NULL for other formats */
};

struct route_config {
	char **scope;		/* globs; default one entry "**" */
	size_t nscope;
	struct srcpos *scope_at;	/* where each glob is written; NULL for
					 * the default */
	char **email;
	size_t nemail;
	char **webhook;		/* names in webhooks: */
	size_t nwebhook;
};

struct role_config {
	char *name;
	struct route_config *routes;
	size_t nroutes;
};

struct source_config {
	char *name;
	enum source_type type;
	long every_s;		/* 0: every cycle */
	long timeout_ms;	/* default 30 s */
	/* http */
	char *url, *token_file, *token_credential, *ca_file;
	long long max_size;	/* default 64 MiB */
	/* sqlite */
	char *path, *query;
};

/* The web console, vigie-web (SPEC 14). */
struct web_config {
	char *listen;		/* "HOST:PORT", "[V6]:PORT" or an absolute unix
				 * socket path; default 127.0.0.1:8080 */
	char *url;		/* public address for links in emails, or NULL */
	char *tls_cert_file, *tls_key_file;	/* both or neither */
	long session_ttl_s;	/* default 8 h */
	char *trusted_user_header;	/* single sign-on header, or NULL */
	char **import_roles;	/* roles that import data in the console;
				 * default [hr] */
	size_t nimport_roles;
};

/* The works council report (SPEC 15): its indicators, and its scheduled
 * deliveries by email: `report:` is one mapping or a list of them, one
 * report a unit (vigie.yaml(5)). */
enum report_every { REPORT_NEVER = 0, REPORT_QUARTER, REPORT_YEAR };
enum report_format { REPORT_HTML = 0, REPORT_PDF, REPORT_JSON };
struct report_schedule {
	enum report_every every;	/* quarter or year */
	char **to;		/* roles of recipients */
	size_t nto;
	enum report_format format;	/* default pdf */
	char *unit;		/* or NULL: every unit */
};
struct report_config {
	char *indicators;	/* or NULL: the built-in etc/report.yaml */
	struct report_schedule *sched;	/* the scheduled ones (every set),
					 * in the file's order */
	size_t nsched;
};

struct config {
	char *file;		/* the file loaded (absolute or as given) */
	char *database;
	char *rules;
	char *inbox;		/* or NULL */
	long interval_s;	/* default 3600 */
	enum granularity period;
	int period_line, period_col;	/* where `period:` is set, 0 if not */
	int database_line, database_col;	/* where `database:` is set, 0 if not */
	int min_headcount;	/* default 5, >= 3 */
	int carry_over;		/* default 6, >= 0: periods an alert survives
				 * without a value (SPEC 5) */
	long long max_import_size;	/* bytes of an inbox file or a pulled
				 * document (SPEC 8); default 256 MiB */
	enum locale locale;
	char **default_notify;	/* default [social-worker, hr] */
	size_t ndefault_notify;
	long stale_after_s;	/* default 45 d */
	char *metrics_file;	/* or NULL */
	int metrics_file_line, metrics_file_col;	/* where it is set */
	struct smtp_config *smtp;	/* or NULL */
	struct webhook_config *webhooks;
	size_t nwebhooks;
	struct role_config *roles;
	size_t nroles;
	struct source_config *sources;
	size_t nsources;
	/* disclosure control (SPEC 3) */
	double dominance;	/* default 0.85 (CELLS_DOMINANCE_DEFAULT) */
	char **confidential_roles;	/* default [social-worker] */
	size_t nconfidential_roles;
	struct retention {
		int data, alerts, notes;	/* periods: default 60, 36, 24 */
		long messages_s;		/* default 90 d */
		int data_line, data_col;	/* where `data:` is set, 0 if not */
	} retention;
	struct web_config *web;	/* NULL without a web: section */
	struct report_config report;
	/* What a check says without refusing it (kind "warning"): a secret
	 * this user cannot read, checked by the daemon when it uses it. */
	struct diags warnings;
};

/* The path to use: the -c argument when not NULL, else $VIGIE_CONFIG, else
 * CONFIG_DEFAULT_PATH. */
const char *config_path(const char *arg);
/* Whether a secret this process cannot read is an error (the daemon at
 * its start and reload: it is the user that matters) rather than a
 * warning (a check, run by root or HR, by another user than the
 * daemon's). Off by default. */
void config_strict_secrets(bool on);
/* Loads and validates; NULL after adding every error to d. Caller frees. */
struct config *config_load(const char *path, struct diags *d);
/* The same, but a configuration with errors is returned too, with *valid
 * false, so that its rules can be checked in the same run (every error at
 * once, SPEC 5, 8); NULL only when the file cannot be read or parsed. */
struct config *config_load_anyway(const char *path, struct diags *d, bool *valid);
void config_free(struct config *c);
/* Why a reload from cur to next is refused (vigied and vigie-web alike:
 * each keeps running with cur): a key that moves the state, database or
 * period, changed. A new message naming the key and both values (caller
 * frees), or NULL when next may replace cur. */
char *config_reload_refused(const struct config *cur, const struct config *next);
/* The keys of next's web: section that differ from cur's and that
 * vigie-web reads at its start only ("web.listen, web.url"), as a new
 * string, or NULL when none does. */
char *config_web_restart_keys(const struct config *cur, const struct config *next);
/* Parses "30s", "15m", "1h", "2d" into seconds; -1 if malformed. */
long parse_duration(const char *s);
/* Parses "64M", "512K", "1G", "1000" into bytes; -1 if malformed. */
long long parse_size(const char *s);
const struct role_config *config_role(const struct config *c, const char *name);
/* Whether users of role import data from the console: a role of
 * web.import_roles (without a web: section, its default: hr). */
bool config_may_import(const struct config *c, const char *role);
/* Who the configuration lets the rules tell what, and the locale whose
 * texts they keep (rules.h), borrowed from c. */
struct rule_policy config_rule_policy(const struct config *c);
/* The locale alone, the roles not checked: for an invalid configuration's
 * rules, and for the readers of a rule set that was checked when loaded. */
struct rule_policy config_rule_texts(const struct config *c);
/* The roles rule r notifies: its own notify, else default_notify (*n set). */
char *const *config_rule_roles(const struct config *c, const struct rule *r,
    size_t *n);
/* True when rule r notifies role. */
bool config_rule_notifies(const struct config *c, const struct rule *r,
    const char *role);
const struct webhook_config *config_webhook(const struct config *c, const char *name);
/* The web console's public address (web.url, SPEC 14) for links in
 * notifications, or NULL when none is configured. */
const char *config_web_url(const struct config *c);
/* The first route of the role whose scope matches unit, or NULL. */
const struct route_config *config_route(const struct role_config *r, const char *unit);

/* web.listen "HOST:PORT" or "[V6]:PORT" split into host (without brackets)
 * and port: 0, or -1 when it is not of that form (a unix socket path is an
 * absolute path instead). */
int config_listen_split(const char *listen, char *host, size_t hostsz,
    unsigned *port);
/* The scopes of a role's routes, each once, in order (a route without a
 * scope gives "**"): the default scopes of its console users (SPEC 14). A
 * new array of pointers into r (caller frees the array), *n its length. */
const char **config_role_scopes(const struct role_config *r, size_t *n);
/* The console page of alert RULE@UNIT under web_url (web.url), or NULL
 * when web_url is NULL. A new string; caller frees. */
char *config_alert_url(const char *web_url, const char *rule, const char *unit);
/* The console's help page under web_url, or NULL when web_url is NULL. A
 * new string; caller frees. */
char *config_help_url(const char *web_url);

#endif
