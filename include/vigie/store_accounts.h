/* The console's accounts, sessions and failed logins in the store
 * (daemon/store/accounts.c and sessions.c, SPEC 14). An account has one
 * role and its scopes (unit globs; none: the role's routes decide); its
 * password is kept only as a yescrypt hash (password.h). A session is known
 * by the SHA-256 of its cookie token, never the token itself, so a copy of
 * the database opens no session. */
#ifndef VIGIE_STORE_ACCOUNTS_H
#define VIGIE_STORE_ACCOUNTS_H

#include <stddef.h>
#include <stdint.h>
#include "vigie/store.h"

struct account {
	char *name, *role;
	char **scopes;		/* globs; nscopes 0: the role's routes' scopes */
	size_t nscopes;
	char *hash;		/* the password hash; "" for single sign-on only */
	int64_t created_at, updated_at, last_login;	/* 0: never */
};
void account_clear(struct account *a);	/* frees the strings of a, not a */
void accounts_free(struct account *v, size_t n);

/* Adds an account. 0, 1 when the name is taken (nothing written), -1. */
int store_account_add(struct store *st, const struct account *a, int64_t now);
/* 0 (a filled; free with account_clear), 1 no such account, -1. */
int store_account_get(struct store *st, const char *name, struct account *a);
/* Every account, by name. 0 and a new array (free with accounts_free), or
 * -1. */
int store_accounts_list(struct store *st, struct account **v, size_t *n);
/* vigie rename: every account scope that is from or under it (a glob
 * beginning with "from/") follows the unit to to, as silences do; *n the
 * accounts changed (or, dry, that would be). 0 or -1. (accounts.c) */
int store_accounts_rescope(struct store *st, const char *from, const char *to,
    bool dry, size_t *n);
/* Replaces the password hash and ends the account's sessions (someone who
 * knew the old password is logged out). 0, 1 no such account, -1. */
int store_account_set_hash(struct store *st, const char *name,
    const char *hash, int64_t now);
/* Removes the account and its sessions (its notes and acknowledgements keep
 * the name as written). 0, 1 no such account, -1. */
int store_account_del(struct store *st, const char *name);
/* Records a successful login: failures before it stop counting for the
 * account (not for the address). 0 or -1. */
int store_account_logged_in(struct store *st, const char *name, int64_t now);

/* Failed logins (the rate limiter's memory). account may name no account:
 * unknown names are limited the same way. Rows older than a day are
 * deleted on the way. 0 or -1. */
int store_login_failure_add(struct store *st, const char *account,
    const char *addr, int64_t now);
/* Forgets one failure of account from addr at `at`: the one the console
 * records before it checks a password (so that attempts checked at once
 * count each other), once the password proves right. 0 or -1. */
int store_login_failure_forget(struct store *st, const char *account,
    const char *addr, int64_t at);
/* Failures since `since`: of the account after its last successful login,
 * and from the address, with the time of the latest of each (0: none). */
struct login_failures {
	int64_t account, addr;
	int64_t account_last, addr_last;
};
int store_login_failures(struct store *st, const char *account,
    const char *addr, int64_t since, struct login_failures *f);	/* 0 or -1 */

/* A session: its token's hash (64 hex digits), account, CSRF token. */
struct session {
	char *token_hash, *account, *csrf, *addr;
	int64_t created_at, expires_at;
};
void session_clear(struct session *s);
/* Stores a new session. 0 or -1. */
int store_session_add(struct store *st, const struct session *s);
/* The session of token_hash if it has not expired at now: 0 (s filled;
 * free with session_clear), 1 none or expired, -1. */
int store_session_get(struct store *st, const char *token_hash, int64_t now,
    struct session *s);
/* The newest session of account opened from addr that has not expired at
 * now (single sign-on reuses it for a client that keeps no cookie): 0 (s
 * filled), 1 none, -1. */
int store_session_latest(struct store *st, const char *account,
    const char *addr, int64_t now, struct session *s);
/* Ends one session (logout). 0 or -1. */
int store_session_del(struct store *st, const char *token_hash);
/* Deletes the sessions expired at now. 0 or -1. */
int store_sessions_purge(struct store *st, int64_t now);

#endif
