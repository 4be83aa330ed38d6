/* Reading secrets for SMTP, webhooks and sources. A secret lives in a file
 * that only the service may read, or in a systemd credential
 * (LoadCredential=), whose folder systemd exposes as $CREDENTIALS_DIRECTORY.
 * A file readable by group or others is refused rather than used: a leaked
 * password is worse than a missed email, and the error says how to fix the
 * mode. The same checks of the content (a webhook key that decodes, a token
 * or a user:password on one line) run when the configuration loads and when
 * a secret is used, and no message ever quotes a secret. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vigie/secret.h"

static int fail(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(char **err, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		va_start(ap, fmt);
		if (vasprintf(err, fmt, ap) < 0)
			*err = NULL;
		va_end(ap);
	}
	return -1;
}

void secret_free(char *s)
{
	if (!s)
		return;
	explicit_bzero(s, strlen(s));
	free(s);
}

/* Reads the secret; *unreadable tells a secret that this process cannot
 * get at (missing, a permission, no credentials folder) from a bad one. */
static int read_secret(const char *file, const char *credential, char **out,
    char **err, bool *unreadable)
{
	char path[4096];
	struct stat sb;
	char *buf;
	ssize_t r;
	size_t n = 0;
	int fd;

	*out = NULL;
	*unreadable = false;
	if (err)
		*err = NULL;
	if (file) {
		if (snprintf(path, sizeof(path), "%s", file) >= (int)sizeof(path))
			return fail(err, "secret file path too long");
	} else if (credential) {
		const char *dir = getenv("CREDENTIALS_DIRECTORY");

		if (!dir || !*dir) {
			*unreadable = true;
			return fail(err, "credential \"%s\": CREDENTIALS_DIRECTORY is not "
			    "set (run under systemd with LoadCredential=%s:FILE, or use a "
			    "*_file setting)", credential, credential);
		}
		if (strchr(credential, '/'))
			return fail(err, "credential \"%s\": a name may not contain '/'",
			    credential);
		if (snprintf(path, sizeof(path), "%s/%s", dir, credential) >= (int)sizeof(path))
			return fail(err, "credential path too long");
	} else {
		return fail(err, "no secret file or credential configured");
	}

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		*unreadable = errno == ENOENT || errno == EACCES || errno == EPERM;
		return fail(err, "cannot read secret %s: %s", path, strerror(errno));
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return fail(err, "secret %s is not a regular file", path);
	}
	/* systemd credentials are mode 0400 owned by the service: the check
	 * holds there too. */
	if (sb.st_mode & 077) {
		close(fd);
		return fail(err, "secret %s is readable by group or others (mode %04o); "
		    "run chmod 600 %s", path, (unsigned)(sb.st_mode & 07777), path);
	}
	if (sb.st_size > SECRET_MAX_BYTES) {
		close(fd);
		return fail(err, "secret %s is larger than %d bytes", path, SECRET_MAX_BYTES);
	}
	buf = malloc((size_t)sb.st_size + 1);
	if (!buf) {
		close(fd);
		return fail(err, "out of memory");
	}
	while (n < (size_t)sb.st_size) {
		r = read(fd, buf + n, (size_t)sb.st_size - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	if (strlen(buf) != n) {
		secret_free(buf);
		return fail(err, "secret %s contains a NUL byte", path);
	}
	if (n > 0 && buf[n - 1] == '\n') {
		buf[--n] = '\0';
		if (n > 0 && buf[n - 1] == '\r')
			buf[--n] = '\0';
	}
	if (n == 0) {
		free(buf);
		return fail(err, "secret %s is empty", path);
	}
	*out = buf;
	return 0;
}

int secret_read(const char *file, const char *credential, char **out,
    char **err)
{
	bool unreadable;

	return read_secret(file, credential, out, err, &unreadable);
}

static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

const char *secret_webhook_key(const char *secret, unsigned char *key, size_t size,
    size_t *len)
{
	static const char not_b64[] = "the secret is not \"whsec_\" followed by base64 "
	    "(Standard Webhooks)";
	size_t n, pad = 0, out = 0;
	uint32_t acc = 0;
	int bits = 0;

	*len = 0;
	/* SPEC 9: the prefix says what the file holds. Without it, a bare
	 * base64 key (which a receiver would decode the same) or a word that
	 * happens to decode to a few bytes is refused for what it lacks. */
	if (strncmp(secret, "whsec_", 6) != 0)
		return "the secret does not start with \"whsec_\": write whsec_ then the key "
		    "in base64 (make one with: printf 'whsec_%s' \"$(head -c 32 /dev/urandom "
		    "| base64)\")";
	secret += 6;
	n = strlen(secret);
	/* Padding is optional, as the reference libraries decode it: "=" or
	 * "==" at the end of a multiple of four, or nothing. */
	while (n > 0 && secret[n - 1] == '=' && pad < 2) {
		n--;
		pad++;
	}
	if (n == 0 || (pad && (n + pad) % 4) || n % 4 == 1)
		return not_b64;
	for (size_t i = 0; i < n; i++) {
		int v = b64_value((unsigned char)secret[i]);

		if (v < 0)
			return not_b64;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (out == size)
				return "the key is longer than 512 bytes";
			key[out++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	*len = out;
	if (out < SECRET_KEY_MIN) {
		explicit_bzero(key, out);
		*len = 0;
		return "the key is shorter than 16 bytes (make one with: printf 'whsec_%s' "
		    "\"$(head -c 32 /dev/urandom | base64)\")";
	}
	return NULL;
}

const char *secret_check(enum secret_kind kind, const char *s)
{
	unsigned char key[SECRET_KEY_MAX];
	const char *why = NULL;
	size_t len;

	switch (kind) {
	case SECRET_WEBHOOK:
		why = secret_webhook_key(s, key, sizeof(key), &len);
		explicit_bzero(key, sizeof(key));
		return why;
	case SECRET_TOKEN:
		/* It goes into an Authorization: header. */
		for (const char *p = s; *p; p++)
			if ((unsigned char)*p <= ' ' || *p == 0x7f)
				return "the token contains a space, a control character or a "
				    "line break (the file must hold the token alone)";
		return NULL;
	case SECRET_BASIC:
		/* RFC 7617: no control character; the user name ends at the
		 * first colon, and the password may hold more. */
		for (const char *p = s; *p; p++)
			if ((unsigned char)*p < ' ' || *p == 0x7f)
				return "the file must hold user:password alone, on one line (it "
				    "holds a line break or a control character)";
		if (!strchr(s, ':'))
			return "the file must hold user:password (there is no colon)";
		if (*s == ':')
			return "the file must hold user:password (the user name before the "
			    "colon is empty)";
		return NULL;
	case SECRET_PASSWORD:
	default:
		for (const char *p = s; *p; p++)
			if (*p == '\n' || *p == '\r')
				return "the password spans several lines (the file must hold "
				    "the password alone, on one line)";
		return NULL;
	}
}

int secret_validate(const char *file, const char *credential,
    enum secret_kind kind, char **err)
{
	char *s = NULL, *msg = NULL;
	const char *why;
	bool unreadable;

	if (err)
		*err = NULL;
	if (read_secret(file, credential, &s, &msg, &unreadable) != 0) {
		if (unreadable) {
			if (err)
				*err = msg;
			else
				free(msg);
			return 1;
		}
		if (err)
			*err = msg;
		else
			free(msg);
		return -1;
	}
	why = secret_check(kind, s);
	secret_free(s);
	if (why)
		return fail(err, "%s", why);
	return 0;
}
