/* Console passwords (daemon/util/password.c, SPEC 14): yescrypt hashes with
 * a fresh salt, verified only by the right password, and a policy that says
 * what to change. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/password.h"

Test(password, yescrypt_hash_with_a_fresh_salt_verifies_the_password_only)
{
	char *a = password_hash("correct horse battery staple");
	char *b = password_hash("correct horse battery staple");

	cr_assert_not_null(a);
	cr_assert_not_null(b);
	cr_expect_eq(strncmp(a, "$y$", 3), 0, "yescrypt: %s", a);
	cr_expect_str_neq(a, b, "two hashes of one password differ (salt)");
	cr_expect(password_verify("correct horse battery staple", a));
	cr_expect(password_verify("correct horse battery staple", b));
	cr_expect_not(password_verify("correct horse battery stapl", a));
	cr_expect_not(password_verify("Correct horse battery staple", a));
	cr_expect_not(password_verify("", a));
	free(a);
	free(b);
}

Test(password, malformed_or_foreign_hashes_never_match)
{
	cr_expect_not(password_verify("x", NULL));
	cr_expect_not(password_verify("x", ""));
	cr_expect_not(password_verify("x", "*"));
	cr_expect_not(password_verify("x", "$y$"));
	/* a DES or MD5 hash is not accepted, even right */
	cr_expect_not(password_verify("password", "$1$abcdefgh$G//4keteveJp0qb8z2DxG/"));
	password_verify_dummy("anything");
}

Test(password, policy_says_what_to_change)
{
	char big[PASSWORD_MAX_BYTES + 2];

	cr_expect_null(password_check("correct horse battery staple"));
	cr_expect_null(password_check("éléphantéléphant"), "characters, not bytes");
	cr_expect_str_eq(password_check("short"), "the password is too short: use at least "
	    "12 characters (a sentence of a few words is easy to remember)");
	cr_expect_not_null(password_check("ééééééééééé"), "11 characters in 22 bytes");
	cr_expect_str_eq(password_check("twelve chars\tlong"),
	    "the password must not contain control characters");
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	cr_expect_str_eq(password_check(big), "the password is too long (1024 bytes at most)");
}
