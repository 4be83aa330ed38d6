/* Reading secrets for SMTP and webhooks. A secret lives in a file that only
 * the service may read, or in a systemd credential (LoadCredential=), whose
 * folder systemd exposes as $CREDENTIALS_DIRECTORY. A file readable by group
 * or others is refused rather than used: a leaked password is worse than a
 * missed email, and the error says how to fix the mode. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
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

int secret_read(const char *file, const char *credential, char **out,
    char **err)
{
	char path[4096];
	struct stat sb;
	char *buf;
	ssize_t r;
	size_t n = 0;
	int fd;

	*out = NULL;
	if (err)
		*err = NULL;
	if (file) {
		if (snprintf(path, sizeof(path), "%s", file) >= (int)sizeof(path))
			return fail(err, "secret file path too long");
	} else if (credential) {
		const char *dir = getenv("CREDENTIALS_DIRECTORY");

		if (!dir || !*dir)
			return fail(err, "credential \"%s\": CREDENTIALS_DIRECTORY is not "
			    "set (run under systemd with LoadCredential=%s:FILE, or use a "
			    "*_file setting)", credential, credential);
		if (strchr(credential, '/'))
			return fail(err, "credential \"%s\": a name may not contain '/'",
			    credential);
		if (snprintf(path, sizeof(path), "%s/%s", dir, credential) >= (int)sizeof(path))
			return fail(err, "credential path too long");
	} else {
		return fail(err, "no secret file or credential configured");
	}

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return fail(err, "cannot read secret %s: %s", path, strerror(errno));
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
