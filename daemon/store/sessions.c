/* Console sessions (include/vigie/store_accounts.h): a row per session,
 * keyed by the SHA-256 of its cookie token, with its CSRF token and its
 * absolute expiry. Lookups ignore expired rows, which are deleted at each
 * login. */
#include <stdlib.h>
#include <string.h>
#include "store_impl.h"
#include "vigie/store_accounts.h"

void session_clear(struct session *s)
{
	free(s->token_hash);
	free(s->account);
	free(s->csrf);
	free(s->addr);
	memset(s, 0, sizeof(*s));
}

int store_session_add(struct store *st, const struct session *s)
{
	sqlite3_stmt *q = db_prepare(st, "INSERT INTO session(token, account, csrf,"
	    " created_at, expires_at, addr) VALUES(?,?,?,?,?,?)");

	if (!q)
		return -1;
	db_bind_text(q, 1, s->token_hash);
	db_bind_text(q, 2, s->account);
	db_bind_text(q, 3, s->csrf);
	sqlite3_bind_int64(q, 4, s->created_at);
	sqlite3_bind_int64(q, 5, s->expires_at);
	db_bind_text(q, 6, s->addr);
	return db_step_done(q);
}

#define SESSION_COLUMNS "SELECT token, account, csrf, created_at, expires_at," \
	" addr FROM session"

/* The first row of q (SESSION_COLUMNS) into s: 0, 1 none, -1. */
static int session_row(sqlite3_stmt *q, struct session *s)
{
	int rc = sqlite3_step(q);

	if (rc == SQLITE_ROW) {
		s->token_hash = db_col_dup(q, 0);
		s->account = db_col_dup(q, 1);
		s->csrf = db_col_dup(q, 2);
		s->created_at = sqlite3_column_int64(q, 3);
		s->expires_at = sqlite3_column_int64(q, 4);
		s->addr = db_col_dup(q, 5);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

int store_session_get(struct store *st, const char *token_hash, int64_t now,
    struct session *s)
{
	sqlite3_stmt *q = db_prepare(st, SESSION_COLUMNS " WHERE token = ? AND"
	    " expires_at > ?");

	memset(s, 0, sizeof(*s));
	if (!q)
		return -1;
	db_bind_text(q, 1, token_hash);
	sqlite3_bind_int64(q, 2, now);
	return session_row(q, s);
}

int store_session_latest(struct store *st, const char *account,
    const char *addr, int64_t now, struct session *s)
{
	sqlite3_stmt *q = db_prepare(st, SESSION_COLUMNS " WHERE account = ? AND"
	    " addr IS ? AND expires_at > ? ORDER BY created_at DESC LIMIT 1");

	memset(s, 0, sizeof(*s));
	if (!q)
		return -1;
	db_bind_text(q, 1, account);
	db_bind_text(q, 2, addr);
	sqlite3_bind_int64(q, 3, now);
	return session_row(q, s);
}

int store_session_del(struct store *st, const char *token_hash)
{
	sqlite3_stmt *q = db_prepare(st, "DELETE FROM session WHERE token = ?");

	if (!q)
		return -1;
	db_bind_text(q, 1, token_hash);
	return db_step_done(q);
}

int store_sessions_purge(struct store *st, int64_t now)
{
	sqlite3_stmt *q = db_prepare(st, "DELETE FROM session WHERE expires_at <= ?");

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, now);
	return db_step_done(q);
}
