/* The SHA-256 of a file's content (include/vigie/store.h): what the import
 * log keeps to know a file sent again. OpenSSL's libcrypto, fed in chunks
 * so that hashing a file of hundreds of megabytes feeds the watchdog. */
#include <openssl/evp.h>
#include "store_impl.h"
#include "vigie/progress.h"

void sha256_hex(const void *buf, size_t len, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	static const char hex[] = "0123456789abcdef";
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	const size_t chunk = 16u << 20;

	/* In chunks, so that hashing a file of hundreds of megabytes feeds
	 * the watchdog. */
	if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1)
		n = 0;
	else {
		size_t off = 0;
		int ok = 1;
		do {
			size_t k = len - off < chunk ? len - off : chunk;
			ok = EVP_DigestUpdate(ctx, (const char *)buf + off, k) == 1;
			off += k;
			progress_tick();
		} while (ok && off < len);
		if (!ok || EVP_DigestFinal_ex(ctx, md, &n) != 1)
			n = 0;
	}
	EVP_MD_CTX_free(ctx);
	for (unsigned int i = 0; i < n && i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[2 * (n < 32 ? n : 32)] = '\0';
}
