/* The console's security primitives (daemon/web/sec.c, SPEC 14): session
 * and CSRF tokens, their hashes and their comparison, the login rate
 * limiter's delay, session cookies, and the decoding of form and query
 * fields. Pure but for the kernel's random source. */
#ifndef VIGIE_WEB_SEC_H
#define VIGIE_WEB_SEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A random 256-bit token, base64url without padding: 43 characters. */
#define WEBSEC_TOKEN_LEN 43
/* Fills out (WEBSEC_TOKEN_LEN + 1 bytes) from getrandom(2). 0, or -1 when
 * the kernel gives no randomness (nothing is made up instead). */
int websec_token(char out[WEBSEC_TOKEN_LEN + 1]);
/* The SHA-256 of a token as 64 hex digits: what the store keeps of a
 * session. */
void websec_hash(const char *token, char out[65]);
/* Whether a and b are the same string, in a time that depends on their
 * lengths only (CSRF tokens, session tokens). NULL never matches. */
bool websec_equal(const char *a, const char *b);

/* The login rate limiter: after `threshold` failures within
 * WEBSEC_WINDOW_S, each further attempt waits 2^(failures - threshold + 2)
 * seconds after the latest failure (4, 8, 16... at most WEBSEC_MAX_WAIT_S),
 * so that a guesser gets about a dozen tries per quarter of an hour.
 * Returns the seconds still to wait at now (0: the attempt may go on). */
#define WEBSEC_WINDOW_S (15 * 60)
#define WEBSEC_MAX_WAIT_S (15 * 60)
#define WEBSEC_USER_THRESHOLD 5		/* failures of one account */
#define WEBSEC_ADDR_THRESHOLD 10	/* failures from one address */
long websec_login_wait(int64_t failures, int64_t threshold, int64_t last,
    int64_t now);

/* The session cookie's name: "__Host-vigie" when Secure (the prefix makes
 * browsers refuse it from plain HTTP or another path), "vigie" otherwise. */
const char *websec_cookie_name(bool secure);
/* A Set-Cookie value: NAME=VALUE; Path=/; Max-Age=AGE; HttpOnly;
 * [Secure;] SameSite=Strict. A new string; caller frees. */
char *websec_cookie(const char *name, const char *value, long max_age,
    bool secure);

/* The value of field `key` in an application/x-www-form-urlencoded text
 * (a POST body or a query string) of len bytes, decoded ('+' is a space,
 * %HH a byte); the first occurrence. A new string (caller frees), or NULL
 * when absent, or when the decoded value holds a NUL byte or is not UTF-8. */
char *form_value(const char *body, size_t len, const char *key);

#endif
