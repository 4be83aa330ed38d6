/* Readers and checks of configuration values (daemon/util/config_impl.h):
 * strings without control characters, paths resolved against the file's
 * folder, durations, lists, one-of choices, email addresses, credential
 * names and the URLs Vigie may talk to. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "config_impl.h"
#include "vigie/secret.h"
#include "vigie/unit.h"
#include "vigie/xalloc.h"

/* ---- Node helpers ---- */

bool cfg_unset(const struct ynode *n)
{
	return !n || (n->type == Y_SCALAR && yscalar_is_null(n));
}

/* Checks that n is a mapping whose keys are all among names; vals[i] gets
 * the value of names[i] (NULL when absent) and keys[i] its key node. `where`
 * names the mapping in messages ("" at the top level). */
bool cfg_map_fields(struct cx *x, const struct ynode *n, const char *where,
    const char *const *names, size_t nnames, const struct ynode **vals,
    const struct ynode **keys)
{
	for (size_t i = 0; i < nnames; i++) {
		vals[i] = NULL;
		if (keys)
			keys[i] = NULL;
	}
	if (n->type != Y_MAP) {
		cfg_err(x, n, "%s must be a mapping, not %s", *where ? where : "the configuration",
		    ynode_type_name(n));
		return false;
	}
	for (size_t k = 0; k < n->n; k++) {
		const struct ynode *key = n->keys[k];
		size_t i;

		if (key->type != Y_SCALAR) {
			cfg_err(x, key, "keys must be strings, not %s", ynode_type_name(key));
			continue;
		}
		for (i = 0; i < nnames; i++)
			if (!strcmp(key->str, names[i]))
				break;
		if (i == nnames) {
			ykey_unknown(x->d, x->file, key, names, nnames, NULL,
			    *where ? where : NULL);
			x->errors++;
			continue;
		}
		if (vals[i])
			continue;	/* a duplicate: the parser said so (yaml.h) */
		vals[i] = n->vals[k];
		if (keys)
			keys[i] = key;
	}
	return true;
}

/* The scalar's text, or NULL after an error saying `what` must be `kind`. */
const char *cfg_scalar(struct cx *x, const struct ynode *n, const char *what,
    const char *kind)
{
	if (n->type != Y_SCALAR) {
		cfg_err(x, n, "%s must be %s, not %s", what, kind, ynode_type_name(n));
		return NULL;
	}
	if (strlen(n->str) != n->len) {
		cfg_err(x, n, "%s must not contain NUL bytes", what);
		return NULL;
	}
	return n->str;
}

bool cfg_has_ctl(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* A non-empty one-line string, copied; NULL when unset or invalid. */
char *cfg_string(struct cx *x, const struct ynode *n, const char *what)
{
	const char *s;

	if (cfg_unset(n))
		return NULL;
	if (!(s = cfg_scalar(x, n, what, "a string")))
		return NULL;
	if (!*s) {
		cfg_err(x, n, "%s must not be empty", what);
		return NULL;
	}
	if (cfg_has_ctl(s)) {
		cfg_err(x, n, "%s must not contain control characters (line breaks, tabs)", what);
		return NULL;
	}
	return xstrdup(s);
}

/* A path, resolved against the configuration file's folder when relative. */
char *cfg_path(struct cx *x, const struct ynode *n, const char *what)
{
	char *s = cfg_string(x, n, what), *r;

	if (!s || s[0] == '/')
		return s;
	r = xasprintf("%s%s%s", x->dir, x->dir[strlen(x->dir) - 1] == '/' ? "" : "/", s);
	free(s);
	return r;
}

/* A secret file (password, webhook secret, bearer token): refused at load
 * when group or others may read it (SPEC 9), so that `vigied --check` says
 * so rather than the first delivery. A file that cannot be looked at (not
 * there yet, or a folder this user may not search) is left to the reader. */
char *cfg_secret_path(struct cx *x, const struct ynode *n, const char *what)
{
	char *p = cfg_path(x, n, what);
	struct stat sb;

	if (p && stat(p, &sb) == 0 && S_ISREG(sb.st_mode) && (sb.st_mode & 077))
		cfg_err(x, n, "%s %s is readable by group or others (mode %04o): "
		    "run chmod 600 on it", what, p, (unsigned)(sb.st_mode & 07777));
	return p;
}

/* Seconds; `dflt` when unset, -1 after an error. min: smallest allowed. */
long cfg_duration(struct cx *x, const struct ynode *n, const char *what,
    long dflt, long min)
{
	long v;

	if (cfg_unset(n))
		return dflt;
	if (n->type != Y_SCALAR || (v = parse_duration(n->str)) < 0) {
		cfg_err(x, n, "%s must be " DURATION_HINT, what);
		return -1;
	}
	if (v < min) {
		cfg_err(x, n, "%s must be at least %lds", what, min);
		return -1;
	}
	return v;
}

long cfg_timeout_ms(struct cx *x, const struct ynode *n, const char *what)
{
	long s = cfg_duration(x, n, what, DEFAULT_TIMEOUT_MS / 1000, 1);

	if (s < 0)
		return DEFAULT_TIMEOUT_MS;
	if (s > LONG_MAX / 1000) {
		cfg_err(x, n, "%s is too long", what);
		return DEFAULT_TIMEOUT_MS;
	}
	return s * 1000;
}

/* Items of a list, or of a single scalar seen as a one-item list when
 * scalar_ok. Returns the count; *items points into the node, or is NULL for
 * the single scalar. */
size_t cfg_list_items(struct cx *x, const struct ynode *n, const char *what,
    bool scalar_ok, const struct ynode *const **items)
{
	if (cfg_unset(n))
		return 0;
	if (n->type == Y_SEQ) {
		*items = (const struct ynode *const *)n->items;
		return n->n;
	}
	if (n->type == Y_SCALAR && scalar_ok) {
		*items = NULL;	/* the caller takes n itself as the item */
		return 1;
	}
	cfg_err(x, n, "%s must be a list%s, not %s", what, scalar_ok ? " or a string" : "",
	    ynode_type_name(n));
	return 0;
}

/* Appends s to a string array. */
void cfg_push_str(char ***v, size_t *n, char *s)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = s;
}

/* Collects the strings of a list (or one string when scalar_ok); check, when
 * not NULL, returns an error message for an invalid item and sets *pos to
 * the offending byte, which the error then points at. */
void cfg_str_list(struct cx *x, const struct ynode *n, const char *what,
    bool scalar_ok, const char *(*check)(const char *s, size_t *pos),
    char ***out, size_t *nout)
{
	const struct ynode *const *items = NULL;
	size_t cnt = cfg_list_items(x, n, what, scalar_ok, &items);

	for (size_t i = 0; i < cnt; i++) {
		const struct ynode *it = items ? items[i] : n;
		char *s = cfg_string(x, it, what);
		const char *msg;
		size_t pos = 0;

		if (!s) {
			if (cfg_unset(it))
				cfg_err(x, it, "%s must not be empty", what);
			continue;
		}
		if (check && (msg = check(s, &pos))) {
			struct srcpos *sp = xcalloc(it->len + 1, sizeof(*sp));
			struct ynode at = *it;

			ydoc_scalar_positions(x->doc, it, sp);
			if (pos <= it->len) {
				at.line = sp[pos].line;
				at.col = sp[pos].col;
			}
			free(sp);
			cfg_err(x, &at, "%s \"%s\": %s", what, s, msg);
			free(s);
			continue;
		}
		cfg_push_str(out, nout, s);
	}
}

bool cfg_one_of(struct cx *x, const struct ynode *n, const char *what,
    const char *const *names, size_t nnames, int *out)
{
	if (cfg_unset(n))
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
	cfg_err(x, n, "%s must be %s", what, list);
	return false;
}

/* ---- Checks on values ---- */

const char *cfg_check_email(const char *s, size_t *pos)
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


const char *cfg_check_credential(const char *s)
{
	if (strchr(s, '/') || !strcmp(s, ".") || !strcmp(s, ".."))
		return "must be a credential name (a file name under $CREDENTIALS_DIRECTORY, no '/')";
	return NULL;
}

bool cfg_is_loopback(const char *host)
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
const char *cfg_url_host(const char *url, const char *const *schemes,
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
	if (cfg_has_ctl(url) || strchr(url, ' '))
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

void cfg_check_clear(struct cx *x, const struct ynode *n, const char *what,
    const char *url)
{
	static const char *const plain[] = { "http://" };
	char host[256];

	if (!cfg_url_host(url, plain, NELEM(plain), host, sizeof(host)) &&
	    !cfg_is_loopback(host))
		cfg_err(x, n, "%s: plain http:// to \"%s\" would send it in clear: use "
		    "an https:// url (plain http:// is only allowed for a loopback host: "
		    "127.0.0.0/8, ::1, localhost)", what, host);
}

bool cfg_http_url(struct cx *x, const struct ynode *n, const char *what,
    const char *url)
{
	static const char *const schemes[] = { "http://", "https://" };
	char host[256];
	const char *msg = cfg_url_host(url, schemes, NELEM(schemes), host, sizeof(host));

	if (!msg)
		return true;
	if (!strcmp(msg, "unsupported scheme"))
		cfg_err(x, n, "%s must be an http:// or https:// URL", what);
	else
		cfg_err(x, n, "%s %s", what, msg);
	return false;
}

/* RFC 5322 atext, and the obsolete "." of a phrase; bytes of UTF-8
 * characters are allowed too (RFC 6532), libyaml having checked them. */
static bool phrase_char(unsigned char c)
{
	return c >= 0x80 || isalnum(c) || c == ' ' || c == '.' ||
	    strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL;
}

const char *cfg_check_mailbox(const char *s, char **name, char **addr, size_t *pos)
{
	const char *lt = strrchr(s, '<'), *msg;
	size_t n = strlen(s), b = 0, e;
	char *a, *nm;

	*name = *addr = NULL;
	*pos = 0;
	if (!lt) {
		if ((msg = cfg_check_email(s, pos)))
			return msg;
		*addr = xstrdup(s);
		return NULL;
	}
	while (n > 0 && s[n - 1] == ' ')
		n--;
	if (n == 0 || s[n - 1] != '>' || strchr(lt, '>') != s + n - 1) {
		*pos = n ? n - 1 : 0;
		return "not a mailbox like vigie@example.org or Vigie RPS <vigie@example.org>";
	}
	a = xstrndup(lt + 1, (size_t)(s + n - 1 - (lt + 1)));
	if ((msg = cfg_check_email(a, pos))) {
		*pos += (size_t)(lt + 1 - s);
		free(a);
		return msg;
	}
	/* The display name: before "<", without surrounding spaces. */
	e = (size_t)(lt - s);
	while (b < e && s[b] == ' ')
		b++;
	while (e > b && s[e - 1] == ' ')
		e--;
	if (b == e) {
		*addr = a;
		return NULL;
	}
	nm = xmalloc(e - b + 1);
	if (s[b] == '"') {
		size_t k = 0, i;

		for (i = b + 1; i < e && s[i] != '"'; i++) {
			if (s[i] == '\\' && i + 1 < e)
				i++;
			nm[k++] = s[i];
		}
		if (i != e - 1 || e - b < 2) {
			*pos = i < e ? i : b;
			free(nm);
			free(a);
			return "the quoted display name must end with its closing quote "
			    "just before <address>";
		}
		nm[k] = '\0';
		if (k == 0) {
			free(nm);
			*addr = a;
			return NULL;
		}
	} else {
		for (size_t i = b; i < e; i++)
			if (!phrase_char((unsigned char)s[i])) {
				*pos = i;
				free(nm);
				free(a);
				return "a display name with , ; : @ ( ) [ ] \\ or \" must be quoted, "
				    "as in \"Vigie, RPS\" <vigie@example.org>";
			}
		memcpy(nm, s + b, e - b);
		nm[e - b] = '\0';
	}
	*name = nm;
	*addr = a;
	return NULL;
}

static bool strict_secrets;

void config_strict_secrets(bool on)
{
	strict_secrets = on;
}

void cfg_check_secret(struct cx *x, const struct ynode *n, const char *what,
    const char *file, const char *credential, int kind)
{
	struct stat sb;
	char *err = NULL;

	if (!file && !credential)
		return;
	/* A file open to others was reported by cfg_secret_path already. */
	if (file && stat(file, &sb) == 0 && S_ISREG(sb.st_mode) && (sb.st_mode & 077))
		return;
	switch (secret_validate(file, credential, (enum secret_kind)kind, &err)) {
	case -1:
		cfg_err(x, n, "%s: %s", what, err ? err : "invalid secret");
		break;
	case 1:
		if (strict_secrets)
			cfg_err(x, n, "%s: %s: the daemon could not use it (make it "
			    "readable by the user it runs as, then start or reload)", what,
			    err ? err : "cannot be read by this user");
		else
			cfg_warn(x, n, "%s: %s; not checked: the daemon checks it when "
			    "it uses it", what, err ? err : "cannot be read by this user");
		break;
	}
	free(err);
}
