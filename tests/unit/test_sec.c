/* The console's security primitives (daemon/web/sec.c, SPEC 14): session
 * and CSRF tokens are 256 random bits, stored hashed, compared in constant
 * time; the login rate limiter's schedule; session cookies' attributes;
 * form fields decoded and refused when they hold a NUL or bad UTF-8. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/web_sec.h"

Test(sec, tokens_are_43_base64url_characters_and_never_repeat)
{
	char seen[64][WEBSEC_TOKEN_LEN + 1];
	int counts[256] = { 0 };

	for (int i = 0; i < 64; i++) {
		cr_assert_eq(websec_token(seen[i]), 0);
		cr_assert_eq(strlen(seen[i]), WEBSEC_TOKEN_LEN);
		cr_assert_eq(strspn(seen[i], "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789-_"), WEBSEC_TOKEN_LEN, "%s", seen[i]);
		for (int j = 0; j < i; j++)
			cr_assert_str_neq(seen[i], seen[j]);
		for (int k = 0; k < WEBSEC_TOKEN_LEN - 1; k++)
			counts[(unsigned char)seen[i][k]]++;
	}
	/* 64 x 42 characters over 64 symbols: each about 42 times; a broken
	 * generator (zeros, one byte repeated) puts hundreds on a few. */
	for (int c = 0; c < 256; c++)
		cr_expect_lt(counts[c], 100, "character %c appears %d times", c, counts[c]);
}

Test(sec, the_store_sees_the_sha256_of_a_token_only)
{
	char h[65];

	websec_hash("abc", h);
	cr_expect_str_eq(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

Test(sec, equal_compares_whole_strings)
{
	cr_expect(websec_equal("abc", "abc"));
	cr_expect_not(websec_equal("abc", "abd"));
	cr_expect_not(websec_equal("abc", "abcd"));
	cr_expect_not(websec_equal("", "a"));
	cr_expect_not(websec_equal(NULL, "a"));
	cr_expect_not(websec_equal("a", NULL));
	cr_expect_not(websec_equal(NULL, NULL));
}

Test(sec, login_waits_grow_exponentially_after_the_threshold)
{
	/* Four failures: no wait. The fifth: 4 s, then 8, 16... */
	cr_expect_eq(websec_login_wait(4, 5, 1000, 1000), 0);
	cr_expect_eq(websec_login_wait(5, 5, 1000, 1000), 4);
	cr_expect_eq(websec_login_wait(5, 5, 1000, 1003), 1);
	cr_expect_eq(websec_login_wait(5, 5, 1000, 1004), 0);
	cr_expect_eq(websec_login_wait(6, 5, 1000, 1000), 8);
	cr_expect_eq(websec_login_wait(7, 5, 1000, 1000), 16);
	cr_expect_eq(websec_login_wait(10, 5, 1000, 1000), 128);
	cr_expect_eq(websec_login_wait(13, 5, 1000, 1000), WEBSEC_MAX_WAIT_S);
	cr_expect_eq(websec_login_wait(1000, 5, 1000, 1000), WEBSEC_MAX_WAIT_S);
	cr_expect_eq(websec_login_wait(10, 10, 1000, 1001), 3, "the address threshold");
}

Test(sec, cookies_are_httponly_samesite_strict_and_secure_when_asked)
{
	char *c = websec_cookie(websec_cookie_name(true), "TOKEN", 28800, true);

	cr_expect_str_eq(c, "__Host-vigie=TOKEN; Path=/; Max-Age=28800; HttpOnly; Secure; "
	    "SameSite=Strict");
	free(c);
	c = websec_cookie(websec_cookie_name(false), "", 0, false);
	cr_expect_str_eq(c, "vigie=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
	free(c);
}

static void expect_field(const char *body, const char *key, const char *want)
{
	char *got = form_value(body, strlen(body), key);

	if (!want)
		cr_expect_null(got, "%s in [%s]: %s", key, body, got);
	else
		cr_expect_str_eq(got ? got : "(null)", want, "%s in [%s]", key, body);
	free(got);
}

Test(sec, form_fields_decode_plus_and_percent)
{
	expect_field("csrf=abc&body=RDV+le+12%2F11+%C3%A0+10h%0Asuite&action=note", "body",
	    "RDV le 12/11 à 10h\nsuite");
	expect_field("csrf=abc&body=x", "csrf", "abc");
	expect_field("a=1&a=2", "a", "1");
	expect_field("ab=1&a=2", "a", "2");
	expect_field("flag&x=1", "flag", "");
	expect_field("a=", "a", "");
	expect_field("a=1", "b", NULL);
	expect_field("a=%4", "a", "%4");
	expect_field("a=%zz", "a", "%zz");
}

Test(sec, form_fields_with_nul_or_bad_utf8_are_refused)
{
	expect_field("user=admin%00x", "user", NULL);
	expect_field("body=%FF", "body", NULL);
	expect_field("body=%C3", "body", NULL);
	expect_field("body=%ED%A0%80", "body", NULL);
}
