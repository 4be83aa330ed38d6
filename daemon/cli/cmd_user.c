/* `vigie user add|passwd|del|list` (SPEC 10, 14): the web console's
 * accounts. A password is read from the terminal without echo (twice), or
 * with --password-stdin from one line of standard input (scripts,
 * `make demo`), checked (12 characters at least) and stored only as a
 * yescrypt hash (password.h). An account has one role of recipients: and
 * optionally its own scopes; without them it sees the scopes of its role's
 * routes, as the configuration says them at each request. Every change is
 * written to the audit log as the operating-system user who ran the
 * command. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include "vigie/cli.h"
#include "vigie/password.h"
#include "vigie/store_accounts.h"
#include "vigie/store_audit.h"
#include "vigie/text.h"
#include "vigie/unit.h"
#include "vigie/osuser.h"
#include "vigie/xalloc.h"

#define USAGE \
	"usage: vigie user add NAME --role ROLE [--scope GLOB]... [--password-stdin]\n" \
	"       vigie user passwd NAME [--password-stdin]\n" \
	"       vigie user del NAME\n" \
	"       vigie user list [--format text|json]\n" \
	"       (each also takes -c CONFIG)\n" \
	"Manages the accounts of the web console, vigie-web. An account has one\n" \
	"role of recipients: and sees the units of its scopes (--scope, repeatable;\n" \
	"default: the scopes of its role's routes). The password is asked twice on\n" \
	"the terminal, or read from one line of standard input with\n" \
	"--password-stdin; it needs at least 12 characters. passwd and del end the\n" \
	"account's sessions.\n"

static bool name_ok(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= 64 && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789._@-") == n;
}

/* ---- reading a password ---- */

static struct termios saved_tty;
static int tty_fd = -1;

static void restore_tty(int sig)
{
	if (tty_fd >= 0)
		tcsetattr(tty_fd, TCSAFLUSH, &saved_tty);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* One line from fd (without its line end), at most PASSWORD_MAX_BYTES + 1
 * bytes kept. A new string, or NULL at end of input. */
static char *read_line(int fd)
{
	char *buf = xmalloc(PASSWORD_MAX_BYTES + 2), c;
	size_t n = 0;
	ssize_t k;

	while ((k = read(fd, &c, 1)) == 1 && c != '\n')
		if (n < PASSWORD_MAX_BYTES + 1)
			buf[n++] = c;
	if (k < 0 || (k == 0 && n == 0)) {
		free(buf);
		return NULL;
	}
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	return buf;
}

static char *ask(int fd, const char *prompt)
{
	struct termios t;
	char *line;

	tcgetattr(fd, &saved_tty);
	t = saved_tty;
	t.c_lflag &= ~(tcflag_t)ECHO;
	tty_fd = fd;
	signal(SIGINT, restore_tty);
	signal(SIGTERM, restore_tty);
	signal(SIGTSTP, restore_tty);
	/* Echo off (and what was typed before dropped) first, then the
	 * prompt: an answer typed right after the prompt is never lost. */
	tcsetattr(fd, TCSAFLUSH, &t);
	dprintf(fd, "%s", prompt);
	line = read_line(fd);
	tcsetattr(fd, TCSAFLUSH, &saved_tty);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGTSTP, SIG_DFL);
	tty_fd = -1;
	dprintf(fd, "\n");
	return line;
}

static void wipe(char *s)
{
	if (s) {
		memset(s, 0, strlen(s));
		free(s);
	}
}

/* The new password of an account, checked. NULL after printing why, with
 * *ex set. */
static char *new_password(const char *cmd, const char *name, bool from_stdin, int *ex)
{
	char *pw, *again, prompt[128];
	const char *msg;
	int fd;

	*ex = EX_DATAERR;
	if (from_stdin) {
		if (!(pw = read_line(STDIN_FILENO))) {
			fprintf(stderr, "vigie user %s: no password on standard input\n", cmd);
			return NULL;
		}
	} else {
		if ((fd = open("/dev/tty", O_RDWR | O_CLOEXEC)) < 0) {
			fprintf(stderr, "vigie user %s: no terminal to ask the password on; "
			    "give it on standard input with --password-stdin\n", cmd);
			*ex = EX_USAGE;
			return NULL;
		}
		snprintf(prompt, sizeof(prompt), "Password for %s: ", name);
		pw = ask(fd, prompt);
		again = pw ? ask(fd, "Again: ") : NULL;
		close(fd);
		if (!pw || !again || strcmp(pw, again)) {
			fprintf(stderr, "vigie user %s: %s\n", cmd, pw && again ?
			    "the two passwords differ; nothing changed" : "no password given");
			wipe(pw);
			wipe(again);
			return NULL;
		}
		wipe(again);
	}
	if ((msg = password_check(pw))) {
		fprintf(stderr, "vigie user %s: %s\n", cmd, msg);
		wipe(pw);
		return NULL;
	}
	return pw;
}

/* ---- the subcommands ---- */

/* The scopes given with --scope. */
struct scope_list {
	const char **v;
	size_t n;
};

/* A scope that matches none of the units imported (nor their ancestors)
 * shows the account nothing: said, with the closest glob that would. A
 * site not imported yet is a reason, so the account is added all the same. */
static void warn_unmatched(struct store *st, const char *name,
    const struct scope_list *scopes)
{
	char **inds, **stored, **units, hint[300];
	size_t ninds, nstored, n;

	if (store_names(st, &inds, &ninds, &stored, &nstored) != 0)
		return;
	n = unit_closure(stored, nstored, &units);
	for (size_t i = 0; n && i < scopes->n; i++) {
		if (unit_glob_reaches(scopes->v[i], units, n, hint, sizeof(hint)))
			continue;
		fprintf(stderr, "vigie user add: warning: --scope '%s' matches none "
		    "of the %zu units in the database", scopes->v[i], n);
		if (*hint)
			fprintf(stderr, " (did you mean '%s'?)", hint);
		fprintf(stderr, ": %s sees nothing through it\n", name);
	}
	store_names_free(inds, ninds);
	store_names_free(stored, nstored);
	store_names_free(units, n);
}

static int user_add(struct config *cfg, struct store *st, const char *name,
    const char *role, const struct scope_list *scopes, bool from_stdin)
{
	struct account a = { .name = (char *)name, .role = (char *)role,
	    .scopes = (char **)scopes->v, .nscopes = scopes->n };
	char *pw, *actor, *detail;
	size_t pos;
	int ex, rc;

	if (!config_role(cfg, role)) {
		fprintf(stderr, "vigie user add: role '%s' is not a role of recipients: in %s "
		    "(the roles:", role, cfg->file);
		for (size_t i = 0; i < cfg->nroles; i++)
			fprintf(stderr, " %s", cfg->roles[i].name);
		fprintf(stderr, "%s)\n", cfg->nroles ? "" : " none");
		return EX_USAGE;
	}
	for (size_t i = 0; i < scopes->n; i++) {
		const char *msg = unit_glob_check(scopes->v[i], &pos);
		if (msg)
			return cli_usage_error("user", "--scope '%s': %s at byte %zu",
			    scopes->v[i], msg, pos + 1);
	}
	if (!(pw = new_password("add", name, from_stdin, &ex)))
		return ex;
	a.hash = password_hash(pw);
	wipe(pw);
	if (!a.hash) {
		fprintf(stderr, "vigie user add: crypt(3) cannot hash with yescrypt here\n");
		return EX_SOFTWARE;
	}
	actor = osuser_name();
	detail = xasprintf("role %s, %s", role, scopes->n ? "own scopes" : "role's scopes");
	ex = 0;
	if (store_begin(st) != 0)
		ex = cli_db_error("user", st);
	else if ((rc = store_account_add(st, &a, time(NULL))) != 0) {
		store_rollback(st);
		if (rc < 0)
			ex = cli_db_error("user", st);
		else {
			fprintf(stderr, "vigie user add: an account named '%s' exists already "
			    "(vigie user passwd %s changes its password)\n", name, name);
			ex = EX_DATAERR;
		}
	} else if (store_audit_add(st, actor, "cli", "user-add", name, detail,
	    time(NULL)) != 0 || store_commit(st) != 0) {
		ex = cli_db_error("user", st);
		store_rollback(st);
	} else {
		printf("added %s (%s)\n", name, role);
		warn_unmatched(st, name, scopes);
	}
	free(a.hash);
	free(actor);
	free(detail);
	return ex;
}

static int user_passwd(struct store *st, const char *name, bool from_stdin)
{
	struct account a;
	char *pw, *hash, *actor;
	int ex, rc = store_account_get(st, name, &a);

	if (rc != 0) {
		if (rc < 0)
			return cli_db_error("user", st);
		fprintf(stderr, "vigie user passwd: no account named '%s' (see vigie user list)\n",
		    name);
		return EX_DATAERR;
	}
	account_clear(&a);
	if (!(pw = new_password("passwd", name, from_stdin, &ex)))
		return ex;
	hash = password_hash(pw);
	wipe(pw);
	if (!hash) {
		fprintf(stderr, "vigie user passwd: crypt(3) cannot hash with yescrypt here\n");
		return EX_SOFTWARE;
	}
	actor = osuser_name();
	ex = 0;
	if (store_begin(st) != 0 || (rc = store_account_set_hash(st, name, hash,
	    time(NULL))) < 0 || store_audit_add(st, actor, "cli", "user-passwd", name, NULL,
	    time(NULL)) != 0 || store_commit(st) != 0) {
		ex = cli_db_error("user", st);
		store_rollback(st);
	} else {
		printf("changed the password of %s; its sessions are closed\n", name);
	}
	free(hash);
	free(actor);
	return ex;
}

static int user_del(struct store *st, const char *name)
{
	char *actor = osuser_name();
	int ex = 0, rc = -1;

	if (store_begin(st) != 0 || (rc = store_account_del(st, name)) != 0) {
		store_rollback(st);
		if (rc < 0)
			ex = cli_db_error("user", st);
		else {
			fprintf(stderr, "vigie user del: no account named '%s' (see vigie user "
			    "list)\n", name);
			ex = EX_DATAERR;
		}
	} else if (store_audit_add(st, actor, "cli", "user-del", name, NULL,
	    time(NULL)) != 0 || store_commit(st) != 0) {
		ex = cli_db_error("user", st);
		store_rollback(st);
	} else {
		printf("removed %s; its notes stay, signed with its name\n", name);
	}
	free(actor);
	return ex;
}

static int user_list(struct config *cfg, struct store *st, int format)
{
	struct account *v = NULL;
	size_t n = 0;
	char tb[ISO8601_BUFSZ];

	if (store_accounts_list(st, &v, &n) != 0)
		return cli_db_error("user", st);
	json_t *arr = format == FMT_JSON ? json_array() : NULL;
	struct cli_table t = { .ncols = 5 };
	const char *hdr[] = { "NAME", "ROLE", "SCOPES", "CREATED", "LAST-LOGIN" };
	if (!arr)
		for (size_t i = 0; i < t.ncols; i++)
			cli_table_add(&t, xstrdup(hdr[i]));
	for (size_t i = 0; i < n; i++) {
		const struct account *a = &v[i];
		const struct role_config *r = config_role(cfg, a->role);
		size_t ns = a->nscopes;
		const char **sc = ns ? (const char **)a->scopes : config_role_scopes(r, &ns);
		if (arr) {
			json_t *o = json_object(), *s = json_array();
			for (size_t k = 0; k < ns; k++)
				json_array_append_new(s, json_string(sc[k]));
			json_object_set_new(o, "name", json_string(a->name));
			json_object_set_new(o, "role", json_string(a->role));
			json_object_set_new(o, "role_configured", json_boolean(r != NULL));
			json_object_set_new(o, "scopes", s);
			json_object_set_new(o, "own_scopes", json_boolean(a->nscopes > 0));
			json_object_set_new(o, "created_at",
			    json_string(text_iso8601(a->created_at, tb)));
			json_object_set_new(o, "last_login", a->last_login ?
			    json_string(text_iso8601(a->last_login, tb)) : json_null());
			json_array_append_new(arr, o);
		} else {
			char *joined = xstrdup(a->nscopes ? "" : r ? "(role) " : "(role not configured)");
			for (size_t k = 0; k < ns; k++) {
				char *j = xasprintf("%s%s%s", joined, k ? "," : "", sc[k]);
				free(joined);
				joined = j;
			}
			cli_table_add(&t, xstrdup(a->name));
			cli_table_add(&t, xstrdup(a->role));
			cli_table_add(&t, joined);
			cli_table_add(&t, xstrdup(text_iso8601(a->created_at, tb)));
			cli_table_add(&t, xstrdup(a->last_login ?
			    text_iso8601(a->last_login, tb) : "-"));
		}
		if (!a->nscopes)
			free(sc);
	}
	if (arr)
		cli_print_json(arr);
	else if (n == 0)
		printf("no accounts (vigie user add NAME --role ROLE)\n");
	cli_table_print_free(&t, n ? stdout : NULL);
	accounts_free(v, n);
	return 0;
}

int cmd_user(int argc, char **argv)
{
	const char *role = NULL;
	bool from_stdin = false;
	struct scope_list scopes = { 0 };
	const struct cli_opt opts[] = {
		{ "role", 0, &role, NULL },
		{ "scope", 0, NULL, NULL },	/* repeatable: a.list */
		{ "password-stdin", 0, NULL, &from_stdin },
		{ 0 },
	};
	const struct cli_spec spec = { USAGE, opts, true, 2 };
	struct cli_args a = { 0 };
	struct config *cfg = NULL;
	struct store *st = NULL;
	const char *sub, *name;
	int ex;

	ex = cli_parse(argc, argv, &spec, &a);
	scopes = (struct scope_list){ a.list, a.nlist };
	if (ex >= 0)
		goto out;
	if (a.npos < 1) {
		ex = cli_usage_error(argv[0], "say what to do: add, passwd, del or list");
		goto out;
	}
	sub = a.pos[0];
	name = a.npos > 1 ? a.pos[1] : NULL;
	if (strcmp(sub, "add") && strcmp(sub, "passwd") && strcmp(sub, "del") &&
	    strcmp(sub, "list")) {
		ex = cli_usage_error(argv[0], "unknown action '%s': use add, passwd, del or "
		    "list", sub);
		goto out;
	}
	if (!strcmp(sub, "list") ? name != NULL : !name) {
		ex = cli_usage_error(argv[0], name ? "list takes no name" : "%s needs the "
		    "account's NAME", sub);
		goto out;
	}
	if (name && !name_ok(name)) {
		ex = cli_usage_error(argv[0], "'%s' is not a valid account name: 1 to 64 "
		    "letters, digits, '.', '_', '@' or '-'", name);
		goto out;
	}
	if (strcmp(sub, "add") && (role || scopes.n)) {
		ex = cli_usage_error(argv[0], "--role and --scope go with add only");
		goto out;
	}
	if ((!strcmp(sub, "del") || !strcmp(sub, "list")) && from_stdin) {
		ex = cli_usage_error(argv[0], "--password-stdin goes with add and passwd only");
		goto out;
	}
	if (!strcmp(sub, "add") && !role) {
		ex = cli_usage_error(argv[0], "add needs --role ROLE (a role of recipients:)");
		goto out;
	}
	if ((ex = cli_open_all(&a, &cfg, &st)))
		goto out;
	if (!strcmp(sub, "add"))
		ex = user_add(cfg, st, name, role, &scopes, from_stdin);
	else if (!strcmp(sub, "passwd"))
		ex = user_passwd(st, name, from_stdin);
	else if (!strcmp(sub, "del"))
		ex = user_del(st, name);
	else
		ex = user_list(cfg, st, a.format);
out:
	free(scopes.v);
	cli_close_all(cfg, st);
	return ex;
}
