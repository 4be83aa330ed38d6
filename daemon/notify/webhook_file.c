/* A generic webhook message written from the outbox to a file, alert by
 * alert (notify_impl.h). SPEC 9 puts every alert of a cycle in one
 * message: on a first cycle at 10,000 teams that is 175,000 alerts and a
 * body of 160 MB, which held in memory with its notices took more than
 * twice the evaluation's peak. Here one notice at a time is in memory, and
 * the body goes to a file that curl reads as it sends (send.c). The file
 * has no name (O_TMPFILE, mode 0600) and lives in the database's
 * directory, the daemon's own: no other process sees it, it goes with its
 * last descriptor, and it takes disk, not the tmpfs of a PrivateTmp. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "notify_impl.h"
#include "vigie/store.h"
#include "vigie/store_outbox.h"
#include "vigie/xalloc.h"

/* An unnamed file in dir, read-write; where the file system has no
 * O_TMPFILE, one named, then unlinked at once. NULL with errno set. */
static FILE *unnamed_file(const char *dir)
{
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	FILE *f;

	if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
		char *path = xasprintf("%s/.vigie-body.XXXXXX", dir);

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

struct writer {
	const struct webhook_render *r;
	FILE *f;
	bool first;
};

static void write_notice(const struct notice *x, void *arg)
{
	struct writer *w = arg;

	webhook_generic_add(w->r, x, w->first, w->f);
	w->first = false;
}

FILE *webhook_file(struct store *st, const char *database,
    const struct webhook_render *r, int64_t msg, char *err, size_t errsize)
{
	const char *slash = strrchr(database, '/');
	char *dir = slash ? xstrndup(database, (size_t)(slash - database) + (slash == database))
	    : xstrdup(".");
	struct writer w = { .r = r, .f = unnamed_file(dir), .first = true };

	if (!w.f) {
		snprintf(err, errsize, "cannot write the message in %s: %s", dir, strerror(errno));
		free(dir);
		return NULL;
	}
	webhook_generic_open(r, w.f);
	if (store_outbox_each(st, msg, write_notice, &w) != 0) {
		snprintf(err, errsize, "cannot read the message: %s", store_errmsg(st));
		goto fail;
	}
	webhook_generic_close(w.f);
	if (fflush(w.f) != 0 || ferror(w.f)) {
		snprintf(err, errsize, "cannot write the message in %s: %s", dir, strerror(errno));
		goto fail;
	}
	free(dir);
	rewind(w.f);
	return w.f;
fail:
	fclose(w.f);
	free(dir);
	return NULL;
}
