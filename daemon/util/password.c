/* Password hashing (include/vigie/password.h): yescrypt at libxcrypt's
 * default cost (about 100 ms and 32 MiB a hash on a 2020 server core), a
 * salt from the kernel's random source through crypt_gensalt_rn, and a
 * constant-time comparison of the resulting strings. The crypt_data buffer
 * (32 KiB) is taken from the heap: vigie-web verifies in several threads. */
#include <crypt.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/password.h"
#include "vigie/xalloc.h"

enum password_problem password_problem(const char *pw)
{
	size_t chars = 0;

	if (strlen(pw) > PASSWORD_MAX_BYTES)
		return PASSWORD_TOO_LONG;
	for (const unsigned char *p = (const unsigned char *)pw; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return PASSWORD_CONTROL;
		if ((*p & 0xc0) != 0x80)
			chars++;
	}
	return chars < PASSWORD_MIN_CHARS ? PASSWORD_TOO_SHORT : PASSWORD_OK;
}

const char *password_check(const char *pw)
{
	switch (password_problem(pw)) {
	case PASSWORD_TOO_LONG:
		return "the password is too long (1024 bytes at most)";
	case PASSWORD_CONTROL:
		return "the password must not contain control characters";
	case PASSWORD_TOO_SHORT:
		return "the password is too short: use at least 12 characters "
		    "(a sentence of a few words is easy to remember)";
	case PASSWORD_OK:
		break;
	}
	return NULL;
}

/* crypt_rn into a zeroed heap buffer; the result is copied out and the
 * buffer, which held the password, wiped. NULL on failure. */
static char *run_crypt(const char *pw, const char *setting)
{
	struct crypt_data *d = xcalloc(1, sizeof(*d));
	char *out = crypt_rn(pw, setting, d, sizeof(*d));
	char *r = out && out[0] != '*' ? xstrdup(out) : NULL;

	OPENSSL_cleanse(d, sizeof(*d));
	free(d);
	return r;
}

char *password_hash(const char *pw)
{
	char salt[CRYPT_GENSALT_OUTPUT_SIZE];

	/* count 0: the algorithm's default cost; rbytes NULL: libxcrypt reads
	 * the kernel's random source itself. */
	if (!crypt_gensalt_rn("$y$", 0, NULL, 0, salt, sizeof(salt)))
		return NULL;
	return run_crypt(pw, salt);
}

bool password_verify(const char *pw, const char *hash)
{
	char *h;
	bool ok;

	if (!hash || strncmp(hash, "$y$", 3) != 0)
		return false;
	if (!(h = run_crypt(pw, hash)))
		return false;
	/* The lengths of two yescrypt strings of one setting are equal; only
	 * the bytes are secret. */
	ok = strlen(h) == strlen(hash) && CRYPTO_memcmp(h, hash, strlen(h)) == 0;
	free(h);
	return ok;
}

void password_verify_dummy(const char *pw)
{
	/* A fixed setting at the default cost: the same work as a real
	 * verification, against a hash no password is known to match. */
	(void)password_verify(pw, "$y$j9T$F5Jx5fExrKuPp53xLKQ..1$"
	    "X3DX6M94c7o7TfHmGeh6AVl2qP/V/r2Yl6q46Wq8UX7");
}
