/* Security primitives of the console (include/vigie/web_sec.h). Tokens come
 * from getrandom(2) and are compared with OpenSSL's CRYPTO_memcmp; the
 * store sees only their SHA-256 (sha256_hex, the one copy in the store). */
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include "vigie/store.h"
#include "vigie/text.h"
#include "vigie/web_sec.h"
#include "vigie/xalloc.h"

int websec_token(char out[WEBSEC_TOKEN_LEN + 1])
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_";
	unsigned char r[33];
	size_t got = 0, o = 0;

	while (got < 32) {
		ssize_t k = getrandom(r + got, 32 - got, 0);
		if (k <= 0)
			return -1;
		got += (size_t)k;
	}
	r[32] = 0;
	/* 32 bytes: ten groups of three, then two bytes (three characters). */
	for (size_t i = 0; i < 33; i += 3) {
		uint32_t v = (uint32_t)r[i] << 16 | (uint32_t)r[i + 1] << 8 |
		    (i + 2 < 33 ? r[i + 2] : 0);
		out[o++] = b64[(v >> 18) & 63];
		out[o++] = b64[(v >> 12) & 63];
		if (o < WEBSEC_TOKEN_LEN)
			out[o++] = b64[(v >> 6) & 63];
		if (o < WEBSEC_TOKEN_LEN)
			out[o++] = b64[v & 63];
	}
	out[WEBSEC_TOKEN_LEN] = '\0';
	OPENSSL_cleanse(r, sizeof(r));
	return 0;
}

void websec_hash(const char *token, char out[65])
{
	sha256_hex(token, strlen(token), out);
}

bool websec_equal(const char *a, const char *b)
{
	size_t n;

	if (!a || !b || (n = strlen(a)) != strlen(b))
		return false;
	return CRYPTO_memcmp(a, b, n) == 0;
}

long websec_login_wait(int64_t failures, int64_t threshold, int64_t last,
    int64_t now)
{
	int64_t k = failures - threshold + 2, wait;

	if (failures < threshold)
		return 0;
	wait = k >= 10 ? WEBSEC_MAX_WAIT_S : (int64_t)1 << k;
	if (wait > WEBSEC_MAX_WAIT_S)
		wait = WEBSEC_MAX_WAIT_S;
	return last + wait > now ? (long)(last + wait - now) : 0;
}

const char *websec_cookie_name(bool secure)
{
	return secure ? "__Host-vigie" : "vigie";
}

char *websec_cookie(const char *name, const char *value, long max_age,
    bool secure)
{
	return xasprintf("%s=%s; Path=/; Max-Age=%ld; HttpOnly;%s SameSite=Strict",
	    name, value, max_age, secure ? " Secure;" : "");
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *form_value(const char *body, size_t len, const char *key)
{
	size_t klen = strlen(key);
	const char *p = body, *end = body + len;

	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *fend = amp ? amp : end;
		const char *eq = memchr(p, '=', (size_t)(fend - p));
		const char *kend = eq ? eq : fend;

		if ((size_t)(kend - p) == klen && !memcmp(p, key, klen)) {
			const char *v = eq ? eq + 1 : fend;
			char *out = xmalloc((size_t)(fend - v) + 1), *o = out;

			for (; v < fend; v++) {
				if (*v == '+') {
					*o++ = ' ';
				} else if (*v == '%' && fend - v >= 3 &&
				    hexval(v[1]) >= 0 && hexval(v[2]) >= 0) {
					*o++ = (char)(hexval(v[1]) << 4 | hexval(v[2]));
					v += 2;
				} else {
					*o++ = *v;
				}
			}
			*o = '\0';
			if (memchr(out, '\0', (size_t)(o - out)) ||
			    !text_utf8_valid(out, (size_t)(o - out))) {
				free(out);
				return NULL;
			}
			return out;
		}
		p = fend + 1;
	}
	return NULL;
}
