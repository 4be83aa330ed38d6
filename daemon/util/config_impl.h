/* Private to the configuration loader (daemon/util/config*.c): the state of
 * one load and the readers of YAML values every part of it shares. Each
 * reader adds an error at the value's place and keeps going. */
#ifndef VIGIE_CONFIG_IMPL_H
#define VIGIE_CONFIG_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include "vigie/config.h"
#include "vigie/yaml.h"

#define DEFAULT_TIMEOUT_MS 30000L
#define DEFAULT_MAX_SIZE (64LL << 20)
#define DURATION_HINT "a duration like 30s, 15m, 1h or 2d"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The state of one load: where errors go and where relative paths start. */
struct cx {
	struct diags *d;
	struct diags *w;	/* warnings: the configuration's own */
	const char *file;	/* as given, for diagnostics */
	char *dir;		/* absolute folder of the file */
	const struct ydoc *doc;
	size_t errors;
	bool no_smtp;		/* no smtp: section at all: email routes are
				   errors (SPEC 7: what a feature uses is
				   required) */
};

/* Adds an error at node n (NULL: no position) and counts it. */
void cfg_err(struct cx *x, const struct ynode *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Adds a warning at node n: said, not refused. */
void cfg_warn(struct cx *x, const struct ynode *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Readers of values (config_values.c): each returns the value, or NULL, -1
 * or false after an error naming `what` at the node. */
bool cfg_unset(const struct ynode *n);
bool cfg_map_fields(struct cx *x, const struct ynode *n, const char *where,
    const char *const *names, size_t nnames, const struct ynode **vals,
    const struct ynode **keys);
const char *cfg_scalar(struct cx *x, const struct ynode *n, const char *what,
    const char *kind);
bool cfg_has_ctl(const char *s);
char *cfg_string(struct cx *x, const struct ynode *n, const char *what);
char *cfg_path(struct cx *x, const struct ynode *n, const char *what);
char *cfg_secret_path(struct cx *x, const struct ynode *n, const char *what);
long cfg_duration(struct cx *x, const struct ynode *n, const char *what,
    long dflt, long min);
long cfg_timeout_ms(struct cx *x, const struct ynode *n, const char *what);
size_t cfg_list_items(struct cx *x, const struct ynode *n, const char *what,
    bool scalar_ok, const struct ynode *const **items);
void cfg_push_str(char ***v, size_t *n, char *s);
void cfg_str_list(struct cx *x, const struct ynode *n, const char *what,
    bool scalar_ok, const char *(*check)(const char *s, size_t *pos),
    char ***out, size_t *nout);
bool cfg_one_of(struct cx *x, const struct ynode *n, const char *what,
    const char *const *names, size_t nnames, int *out);
/* Checks returning NULL when valid, else a static message (and for an
 * address the offending byte's offset in *pos). */
const char *cfg_check_email(const char *s, size_t *pos);
const char *cfg_check_credential(const char *s);
/* An RFC 5322 mailbox: "addr", "Name <addr>" or "\"Quoted, Name\" <addr>".
 * NULL when valid, with the address and the unquoted display name (NULL
 * when none) as new strings; else a static message and the offending
 * byte's offset in *pos. */
const char *cfg_check_mailbox(const char *s, char **name, char **addr, size_t *pos);
/* Reads and checks the secret of file or credential for kind (secret.h),
 * adding an error at n that names `what` (never the secret) when it is
 * invalid; one this process cannot read is left to the one that uses it. */
void cfg_check_secret(struct cx *x, const struct ynode *n, const char *what,
    const char *file, const char *credential, int kind);
bool cfg_is_loopback(const char *host);
/* A credential (what) sent to url: an error at n when url is plain
 * http:// to a host that is not loopback, where it would cross the
 * network in clear. */
void cfg_check_clear(struct cx *x, const struct ynode *n, const char *what,
    const char *url);
const char *cfg_url_host(const char *url, const char *const *schemes,
    size_t nschemes, char *host, size_t hostsz);
bool cfg_http_url(struct cx *x, const struct ynode *n, const char *what,
    const char *url);
/* The sections (config_sections.c), each filling its part of c. */
void cfg_load_smtp(struct cx *x, const struct ynode *n, struct config *c);
void cfg_load_webhooks(struct cx *x, const struct ynode *n, struct config *c);
void cfg_load_recipients(struct cx *x, const struct ynode *n, struct config *c);
void cfg_load_sources(struct cx *x, const struct ynode *n, struct config *c);
void cfg_load_web(struct cx *x, const struct ynode *n, struct config *c);
void cfg_load_report(struct cx *x, const struct ynode *n, struct config *c);
void cfg_free_report(struct report_config *r);

#endif
