/* Console accounts and failed logins (include/vigie/store_accounts.h). The
 * scopes of an account are stored as one newline-separated text (globs
 * hold no newline); an empty text means "the scopes of the role's routes",
 * resolved by vigie-web with the configuration of the day. */
#include <stdlib.h>
#include <string.h>
#include "store_impl.h"
#include "vigie/store_accounts.h"
#include "vigie/xalloc.h"

void account_clear(struct account *a)
{
	free(a->name);
	free(a->role);
	for (size_t i = 0; i < a->nscopes; i++)
		free(a->scopes[i]);
	free(a->scopes);
	free(a->hash);
	memset(a, 0, sizeof(*a));
}

void accounts_free(struct account *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		account_clear(&v[i]);
	free(v);
}

static char *scopes_join(const struct account *a)
{
	size_t len = 1;
	char *s, *p;

	for (size_t i = 0; i < a->nscopes; i++)
		len += strlen(a->scopes[i]) + 1;
	p = s = xmalloc(len);
	for (size_t i = 0; i < a->nscopes; i++) {
		size_t l = strlen(a->scopes[i]);
		memcpy(p, a->scopes[i], l);
		p += l;
		*p++ = '\n';
	}
	if (p > s)
		p--;
	*p = '\0';
	return s;
}

static void scopes_split(const char *s, struct account *a)
{
	while (*s) {
		size_t l = strcspn(s, "\n");
		if (l) {
			a->scopes = xreallocarray(a->scopes, a->nscopes + 1, sizeof(*a->scopes));
			a->scopes[a->nscopes++] = xstrndup(s, l);
		}
		s += l + (s[l] == '\n');
	}
}

#define ACCOUNT_COLUMNS "name, role, scopes, hash, created_at, updated_at, last_login"

static void account_row(sqlite3_stmt *q, void *elem, void *ctx)
{
	struct account *a = elem;

	memset(a, 0, sizeof(*a));
	a->name = xstrdup(db_col_text(q, 0));
	a->role = xstrdup(db_col_text(q, 1));
	scopes_split(db_col_text(q, 2), a);
	a->hash = xstrdup(db_col_text(q, 3));
	a->created_at = sqlite3_column_int64(q, 4);
	a->updated_at = sqlite3_column_int64(q, 5);
	a->last_login = sqlite3_column_int64(q, 6);
}

int store_account_add(struct store *st, const struct account *a, int64_t now)
{
	sqlite3_stmt *q = db_prepare(st, "INSERT INTO account(name, role, scopes, hash,"
	    " created_at, updated_at) VALUES(?,?,?,?,?,?) ON CONFLICT(name) DO NOTHING");
	char *scopes;

	if (!q)
		return -1;
	scopes = scopes_join(a);
	db_bind_text(q, 1, a->name);
	db_bind_text(q, 2, a->role);
	db_bind_text(q, 3, scopes);
	db_bind_text(q, 4, a->hash ? a->hash : "");
	sqlite3_bind_int64(q, 5, now);
	sqlite3_bind_int64(q, 6, now);
	free(scopes);
	if (db_step_done(q) != 0)
		return -1;
	return sqlite3_changes(st->db) ? 0 : 1;
}

int store_account_get(struct store *st, const char *name, struct account *a)
{
	sqlite3_stmt *q = db_prepare(st, "SELECT " ACCOUNT_COLUMNS
	    " FROM account WHERE name = ?");
	int rc;

	memset(a, 0, sizeof(*a));
	if (!q)
		return -1;
	db_bind_text(q, 1, name);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		account_row(q, a, NULL);
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

int store_accounts_list(struct store *st, struct account **v, size_t *n)
{
	sqlite3_stmt *q = db_prepare(st, "SELECT " ACCOUNT_COLUMNS
	    " FROM account ORDER BY name");

	*v = NULL;
	*n = 0;
	if (!q || db_collect(q, sizeof(**v), account_row, NULL, (void **)v, n) != 0) {
		accounts_free(*v, *n);
		*v = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

/* Deletes the sessions of an account. 0 or -1. */
static int sessions_of_del(struct store *st, const char *name)
{
	sqlite3_stmt *q = db_prepare(st, "DELETE FROM session WHERE account = ?");

	if (!q)
		return -1;
	db_bind_text(q, 1, name);
	return db_step_done(q);
}

int store_account_set_hash(struct store *st, const char *name,
    const char *hash, int64_t now)
{
	sqlite3_stmt *q = db_prepare(st, "UPDATE account SET hash = ?, updated_at = ?"
	    " WHERE name = ?");

	if (!q)
		return -1;
	db_bind_text(q, 1, hash);
	sqlite3_bind_int64(q, 2, now);
	db_bind_text(q, 3, name);
	if (db_step_done(q) != 0)
		return -1;
	if (!sqlite3_changes(st->db))
		return 1;
	return sessions_of_del(st, name);
}

int store_account_del(struct store *st, const char *name)
{
	sqlite3_stmt *q = db_prepare(st, "DELETE FROM account WHERE name = ?");

	if (!q)
		return -1;
	db_bind_text(q, 1, name);
	if (db_step_done(q) != 0)
		return -1;
	if (!sqlite3_changes(st->db))
		return 1;
	return sessions_of_del(st, name);
}

int store_account_logged_in(struct store *st, const char *name, int64_t now)
{
	sqlite3_stmt *q = db_prepare(st, "UPDATE account SET last_login = ?"
	    " WHERE name = ?");

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, now);
	db_bind_text(q, 2, name);
	return db_step_done(q);
}

int store_login_failure_add(struct store *st, const char *account,
    const char *addr, int64_t now)
{
	sqlite3_stmt *q = db_prepare(st, "DELETE FROM login_failure WHERE at < ?");

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, now - 86400);
	if (db_step_done(q) != 0)
		return -1;
	if (!(q = db_prepare(st, "INSERT INTO login_failure(at, account, addr)"
	    " VALUES(?,?,?)")))
		return -1;
	sqlite3_bind_int64(q, 1, now);
	db_bind_text(q, 2, account);
	db_bind_text(q, 3, addr);
	return db_step_done(q);
}

int store_login_failure_forget(struct store *st, const char *account,
    const char *addr, int64_t at)
{
	sqlite3_stmt *q = db_prepare(st, "DELETE FROM login_failure WHERE id ="
	    " (SELECT max(id) FROM login_failure WHERE account IS ? AND addr IS ?"
	    " AND at = ?)");

	if (!q)
		return -1;
	db_bind_text(q, 1, account);
	db_bind_text(q, 2, addr);
	sqlite3_bind_int64(q, 3, at);
	return db_step_done(q);
}

int store_login_failures(struct store *st, const char *account,
    const char *addr, int64_t since, struct login_failures *f)
{
	sqlite3_stmt *q = db_prepare(st,
	    "SELECT (SELECT count(*) FROM login_failure WHERE account = ?1 AND at >="
	    "   max(?3, coalesce((SELECT last_login + 1 FROM account WHERE name = ?1), 0))),"
	    " (SELECT max(at) FROM login_failure WHERE account = ?1 AND at >="
	    "   max(?3, coalesce((SELECT last_login + 1 FROM account WHERE name = ?1), 0))),"
	    " (SELECT count(*) FROM login_failure WHERE addr = ?2 AND at >= ?3),"
	    " (SELECT max(at) FROM login_failure WHERE addr = ?2 AND at >= ?3)");
	int rc;

	memset(f, 0, sizeof(*f));
	if (!q)
		return -1;
	db_bind_text(q, 1, account);
	db_bind_text(q, 2, addr);
	sqlite3_bind_int64(q, 3, since);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		f->account = sqlite3_column_int64(q, 0);
		f->account_last = sqlite3_column_int64(q, 1);
		f->addr = sqlite3_column_int64(q, 2);
		f->addr_last = sqlite3_column_int64(q, 3);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 0 : -1;
}

int store_accounts_rescope(struct store *st, const char *from, const char *to,
    bool dry, size_t *n)
{
	struct account *v = NULL;
	size_t nv = 0, flen = strlen(from);
	int rc = 0;

	*n = 0;
	if (store_accounts_list(st, &v, &nv) != 0)
		return -1;
	for (size_t i = 0; i < nv && rc == 0; i++) {
		bool moved = false;

		for (size_t k = 0; k < v[i].nscopes; k++) {
			char *g = v[i].scopes[k], *ng;

			if (strncmp(g, from, flen) || (g[flen] && g[flen] != '/'))
				continue;
			ng = xasprintf("%s%s", to, g + flen);
			free(g);
			v[i].scopes[k] = ng;
			moved = true;
		}
		if (!moved)
			continue;
		(*n)++;
		if (dry)
			continue;
		sqlite3_stmt *q = db_prepare(st, "UPDATE account SET scopes = ?"
		    " WHERE name = ?");
		char *s = scopes_join(&v[i]);

		if (!q) {
			rc = -1;
		} else {
			db_bind_text(q, 1, s);
			db_bind_text(q, 2, v[i].name);
			rc = db_step_done(q);
		}
		free(s);
	}
	accounts_free(v, nv);
	return rc;
}
