/* Whole-file reads and atomic writes; see include/vigie/fileio.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vigie/fileio.h"
#include "vigie/progress.h"
#include "vigie/xalloc.h"

char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;

	if (!f)
		return NULL;
	for (;;) {
		if (cap - n < 65536) {
			cap = cap ? cap * 2 : 65536;
			char *nb = realloc(buf, cap + 1);
			if (!nb) {
				free(buf);
				fclose(f);
				errno = ENOMEM;
				return NULL;
			}
			buf = nb;
		}
		size_t r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
	}
	if (ferror(f)) {
		int e = errno;
		free(buf);
		fclose(f);
		errno = e ? e : EIO;
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

char *read_fd(int fd, size_t max, size_t *len)
{
	char *buf = NULL;
	size_t n = 0, cap = 0;

	for (;;) {
		ssize_t r;

		if (cap - n < 65536) {
			char *nb;
			cap = cap ? cap * 2 : 65536;
			if (!(nb = realloc(buf, cap + 1))) {
				free(buf);
				errno = ENOMEM;
				return NULL;
			}
			buf = nb;
		}
		/* never more than max + 1 bytes: one too many says "too big" */
		size_t want = cap - n;
		if (max && want > max + 1 - n)
			want = max + 1 - n;
		r = read(fd, buf + n, want);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			free(buf);
			errno = e;
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (max && n > max) {
			free(buf);
			errno = EFBIG;
			return NULL;
		}
		if ((n & ((1u << 24) - 1)) < (size_t)r)
			progress_tick();	/* every 16 MiB */
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

char *read_file_max(const char *path, size_t max, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	char *buf;
	int e;

	if (fd < 0)
		return NULL;
	buf = read_fd(fd, max, len);
	e = errno;
	close(fd);
	errno = e;
	return buf;
}

char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir, *abs;

	if (!slash)
		dir = xstrdup(".");
	else if (slash == path)
		dir = xstrdup("/");
	else
		dir = xstrndup(path, (size_t)(slash - path));
	abs = realpath(dir, NULL);
	if (!abs)
		return dir;
	free(dir);
	return abs;
}

int write_file_atomic(const char *path, const char *text, size_t len, mode_t mode)
{
	char *tmp = NULL;
	int fd, rc = -1, e;
	size_t off = 0;

	if (asprintf(&tmp, "%s.tmp%ld", path, (long)getpid()) < 0)
		return -1;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0) {
		free(tmp);
		return -1;
	}
	/* open() applies the umask; the caller's mode is the intent. */
	(void)fchmod(fd, mode);
	while (off < len) {
		ssize_t w = write(fd, text + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	if (off == len && fsync(fd) == 0)
		rc = 0;
	if (close(fd) != 0)
		rc = -1;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -1;
	e = errno;
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	errno = e;
	return rc;
}

FILE *unnamed_file(const char *dir)
{
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	FILE *f;

	if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
		/* a file system without O_TMPFILE: a name, removed at once */
		char *path = xasprintf("%s/.vigie-tmp.XXXXXX", dir);

		if ((fd = mkostemp(path, O_CLOEXEC)) >= 0)
			unlink(path);
		free(path);
	}
	if (fd < 0)
		return NULL;
	if (!(f = fdopen(fd, "w+"))) {
		int e = errno;

		close(fd);
		errno = e;
	}
	return f;
}

const char *file_map(FILE *f, size_t *len)
{
	struct stat sb;
	void *p;

	*len = 0;
	if (fflush(f) != 0 || fstat(fileno(f), &sb) != 0)
		return NULL;
	if (sb.st_size == 0)
		return "";
	if ((uintmax_t)sb.st_size > SIZE_MAX) {
		errno = EFBIG;
		return NULL;
	}
	p = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fileno(f), 0);
	if (p == MAP_FAILED)
		return NULL;
	*len = (size_t)sb.st_size;
	return p;
}

void file_unmap(const char *p, size_t len)
{
	if (p && len)
		munmap((void *)(uintptr_t)p, len);
}
