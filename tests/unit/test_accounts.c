/* Console accounts, sessions and failed logins in the store
 * (daemon/store/accounts.c, sessions.c; SPEC 14): names are unique, scopes
 * come back as given, a password change or a removal ends the sessions,
 * sessions expire, and failures count per account (until its next login)
 * and per address. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/store.h"
#include "vigie/store_accounts.h"
#include "testdb.h"

static char dir[64], db[96];
static struct store *ST;

static void setup(void)
{
	ST = tdb_store_new("accounts", dir, db);
}

static void teardown(void)
{
	tdb_store_free(ST, dir);
}

TestSuite(accounts, .init = setup, .fini = teardown);

static void add(const char *name, const char *role, char **scopes, size_t n)
{
	struct account a = { .name = (char *)name, .role = (char *)role, .scopes = scopes,
	    .nscopes = n, .hash = "$y$j9T$salt$hash" };

	cr_assert_eq(store_account_add(ST, &a, 1000), 0);
}

static void session(const char *hash, const char *account, int64_t expires)
{
	struct session s = { .token_hash = (char *)hash, .account = (char *)account,
	    .csrf = "csrf-token", .addr = "127.0.0.1", .created_at = 1000,
	    .expires_at = expires };

	cr_assert_eq(store_session_add(ST, &s), 0);
}

Test(accounts, added_accounts_come_back_with_their_scopes)
{
	char *scopes[] = { "acme/nancy", "acme/nancy/**" };
	struct account a, *v;
	size_t n;

	add("marie", "social-worker", scopes, 2);
	add("drh", "hr", NULL, 0);
	cr_assert_eq(store_account_get(ST, "marie", &a), 0);
	cr_expect_str_eq(a.role, "social-worker");
	cr_assert_eq(a.nscopes, 2);
	cr_expect_str_eq(a.scopes[0], "acme/nancy");
	cr_expect_str_eq(a.scopes[1], "acme/nancy/**");
	cr_expect_str_eq(a.hash, "$y$j9T$salt$hash");
	cr_expect_eq(a.created_at, 1000);
	cr_expect_eq(a.last_login, 0);
	account_clear(&a);
	cr_assert_eq(store_accounts_list(ST, &v, &n), 0);
	cr_assert_eq(n, 2);
	cr_expect_str_eq(v[0].name, "drh", "by name");
	cr_expect_eq(v[0].nscopes, 0, "no scopes of its own");
	accounts_free(v, n);
	cr_expect_eq(store_account_get(ST, "nobody", &a), 1);
}

Test(accounts, a_taken_name_is_refused_and_nothing_changes)
{
	struct account a = { .name = "marie", .role = "hr", .hash = "other" };

	add("marie", "social-worker", NULL, 0);
	cr_expect_eq(store_account_add(ST, &a, 2000), 1);
	cr_assert_eq(store_account_get(ST, "marie", &a), 0);
	cr_expect_str_eq(a.role, "social-worker");
	cr_expect_str_eq(a.hash, "$y$j9T$salt$hash");
	account_clear(&a);
}

Test(accounts, a_new_password_or_a_removal_ends_the_sessions)
{
	struct session s;

	add("marie", "social-worker", NULL, 0);
	add("paul", "hr", NULL, 0);
	session("h1", "marie", 5000);
	session("h2", "marie", 5000);
	session("h3", "paul", 5000);
	cr_assert_eq(store_session_get(ST, "h1", 2000, &s), 0);
	cr_expect_str_eq(s.account, "marie");
	cr_expect_str_eq(s.csrf, "csrf-token");
	session_clear(&s);
	cr_assert_eq(store_account_set_hash(ST, "marie", "$y$new", 2000), 0);
	cr_expect_eq(store_session_get(ST, "h1", 2000, &s), 1);
	cr_expect_eq(store_session_get(ST, "h2", 2000, &s), 1);
	cr_expect_eq(store_session_get(ST, "h3", 2000, &s), 0, "another account's stays");
	session_clear(&s);
	cr_expect_eq(store_account_set_hash(ST, "nobody", "$y$x", 2000), 1);
	cr_assert_eq(store_account_del(ST, "paul"), 0);
	cr_expect_eq(store_session_get(ST, "h3", 2000, &s), 1);
	cr_expect_eq(store_account_del(ST, "paul"), 1);
	cr_expect_eq(tdb_int(db, "SELECT count(*) FROM session"), 0);
}

Test(accounts, sessions_expire_and_are_purged)
{
	struct session s;

	add("marie", "social-worker", NULL, 0);
	session("h1", "marie", 5000);
	session("h2", "marie", 9000);
	cr_expect_eq(store_session_get(ST, "h1", 4999, &s), 0);
	session_clear(&s);
	cr_expect_eq(store_session_get(ST, "h1", 5000, &s), 1, "expired at its time");
	cr_assert_eq(store_sessions_purge(ST, 5000), 0);
	cr_expect_eq(tdb_int(db, "SELECT count(*) FROM session"), 1);
	cr_assert_eq(store_session_del(ST, "h2"), 0);
	cr_expect_eq(store_session_get(ST, "h2", 6000, &s), 1, "logged out");
}

Test(accounts, failures_count_per_account_until_its_login_and_per_address)
{
	struct login_failures f;

	add("marie", "social-worker", NULL, 0);
	for (int i = 0; i < 3; i++)
		cr_assert_eq(store_login_failure_add(ST, "marie", "10.0.0.1", 100000 + i), 0);
	cr_assert_eq(store_login_failure_add(ST, "ghost", "10.0.0.1", 100010), 0);
	cr_assert_eq(store_login_failures(ST, "marie", "10.0.0.1", 99000, &f), 0);
	cr_expect_eq(f.account, 3);
	cr_expect_eq(f.account_last, 100002);
	cr_expect_eq(f.addr, 4, "the unknown name counts for the address");
	cr_expect_eq(f.addr_last, 100010);
	cr_assert_eq(store_login_failures(ST, "ghost", "10.0.0.2", 99000, &f), 0);
	cr_expect_eq(f.account, 1, "an unknown name is limited too");
	cr_expect_eq(f.addr, 0);
	/* The window. */
	cr_assert_eq(store_login_failures(ST, "marie", "10.0.0.1", 100002, &f), 0);
	cr_expect_eq(f.account, 1);
	/* A login forgives the account's failures, not the address's. */
	cr_assert_eq(store_account_logged_in(ST, "marie", 100005), 0);
	cr_assert_eq(store_login_failures(ST, "marie", "10.0.0.1", 99000, &f), 0);
	cr_expect_eq(f.account, 0);
	cr_expect_eq(f.addr, 4);
	/* Rows older than a day go. */
	cr_assert_eq(store_login_failure_add(ST, "marie", "10.0.0.1", 100001 + 86400), 0);
	cr_expect_eq(tdb_int(db, "SELECT count(*) FROM login_failure"), 4,
	    "the one of 100000 went, those of 100001 and after stay");
	/* An attempt whose password proved right: one row of it goes. */
	cr_assert_eq(store_login_failure_add(ST, "marie", "10.0.0.3", 100001 + 86400), 0);
	cr_assert_eq(store_login_failure_forget(ST, "marie", "10.0.0.3", 100001 + 86400), 0);
	cr_expect_eq(tdb_int(db, "SELECT count(*) FROM login_failure"), 4);
	cr_assert_eq(store_login_failure_forget(ST, "marie", "10.0.0.1", 100001 + 86400), 0);
	cr_expect_eq(tdb_int(db, "SELECT count(*) FROM login_failure"), 3,
	    "one row only, of that account, address and time");
}
