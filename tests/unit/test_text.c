/* Quoting untrusted bytes and URLs in messages (daemon/util/text.c): what
 * a terminal, an editor or a log reader is shown of a hostile file, and
 * what is left of a URL that carries a secret. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/text.h"

static void ex(const char *in, size_t len, const char *want)
{
	char buf[TEXT_EXCERPT_BUFSZ];

	cr_expect_str_eq(text_excerpt(in, len, buf), want);
}

Test(text, excerpts_escape_what_a_terminal_would_act_on)
{
	ex("abc", 3, "abc");
	ex("\x1b[2J", 4, "\\x1b[2J");
	ex("a\nb\rc\td\x7f", 8, "a\\x0ab\\x0dc\\x09d\\x7f");
	ex("a\0b", 3, "a\\x00b");
	ex("\"q\" \\", 5, "\\\"q\\\" \\\\");
	ex("\xff\xfe", 2, "\\xff\\xfe");		/* not UTF-8 */
	ex("\xc3\xa9t\xc3\xa9", 5, "\xc3\xa9t\xc3\xa9");	/* été stays */
	ex("\xc2\x9b" "31m", 5, "\\xc2\\x9b31m");	/* C1 CSI */
	ex("\xe2\x80\xae" "abc", 6, "\\xe2\\x80\\xaeabc");	/* right-to-left override */
	ex("\xc0\xaf", 2, "\\xc0\\xaf");		/* overlong */
	ex("\xed\xa0\x80", 3, "\\xed\\xa0\\x80");	/* surrogate */
}

Test(text, excerpts_quote_at_most_40_bytes_and_never_half_a_character)
{
	char in[100];

	memset(in, 'x', sizeof(in));
	ex(in, 40, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	ex(in, 41, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...");
	/* 39 x and an é (2 bytes) would end at byte 41: the é is left out. */
	memcpy(in + 39, "\xc3\xa9", 2);
	ex(in, 41, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...");
	/* Forty control bytes: 160 characters, still within the buffer. */
	memset(in, 1, sizeof(in));
	char buf[TEXT_EXCERPT_BUFSZ];
	cr_expect_eq(strlen(text_excerpt(in, sizeof(in), buf)), 4 * 40 + 3);
	char *all = text_escape("a\x1b" "b");
	cr_expect_str_eq(all, "a\\x1bb");
	free(all);
}

static void url(const char *in, const char *want)
{
	char *got = text_redact_url(in);

	cr_expect_str_eq(got, want);
	free(got);
}

Test(text, urls_lose_their_query_and_user_information)
{
	url("https://h/p?api_key=K", "https://h/p?\xe2\x80\xa6");
	url("https://h/p", "https://h/p");
	url("https://h:8443/a/b.csv?x=1#frag", "https://h:8443/a/b.csv?\xe2\x80\xa6#\xe2\x80\xa6");
	url("https://user:pa@ss@h/p", "https://\xe2\x80\xa6@h/p");
	url("https://h#k", "https://h#\xe2\x80\xa6");
	url("https://h?k", "https://h?\xe2\x80\xa6");
	url("h/p?k", "h/p?\xe2\x80\xa6");
}

/* A duration as the configuration writes it: the logs quote stale_after. */
Test(text, durations_are_written_in_their_largest_exact_unit)
{
	char b[DURATION_BUFSZ];

	cr_assert_str_eq(text_duration(45 * 86400, b), "45d");
	cr_assert_str_eq(text_duration(7200, b), "2h");
	cr_assert_str_eq(text_duration(5400, b), "90m");
	cr_assert_str_eq(text_duration(90, b), "90s");
	cr_assert_str_eq(text_duration(0, b), "0s");
}
