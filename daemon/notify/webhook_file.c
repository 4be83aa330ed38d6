/* A webhook message of a streamed format (generic, Alertmanager) written
 * from the outbox to a file, alert by alert, with for Alertmanager the
 * refresh of its active alerts after it (refresh.c; notify_impl.h). SPEC 9
 * puts every alert of a cycle in one message: on a first cycle at 10,000
 * teams, 175,000 alerts and a body of 160 MB, which held in memory with
 * their notices took the daemon to 570 MiB (1.2 GiB with Alertmanager's
 * refresh). Here one notice at a time is in memory, and the body goes to a
 * file that curl reads as it sends (send.c). The file has no name
 * (O_TMPFILE, mode 0600) and lives in the database's directory, the
 * daemon's own: no other process sees it, it goes with its last
 * descriptor, and it takes disk, not the tmpfs of a PrivateTmp. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "notify_impl.h"
#include "vigie/fileio.h"
#include "vigie/store.h"
#include "vigie/store_alerts.h"
#include "vigie/store_outbox.h"
#include "vigie/xalloc.h"

struct writer {
	const struct webhook_render *r;
	FILE *f;
	bool first;
	size_t n;
	const struct refresh *rf;	/* or NULL */
	size_t hook;
	struct recheck *rc;	/* or NULL: the notices are today's */
	struct said said;	/* what the message says, for the refresh */
};

/* Adds x as today's data allows (w->rc), on a copy that shares x's
 * strings and terms: the store frees them after the callback. */
static void add(struct writer *w, const struct notice *x)
{
	struct notice y = *x;

	if (w->rc && recheck_notice(w->rc, &y))
		y.summary = NULL;
	webhook_stream_add(w->r, &y, &w->first, w->f);
	w->n++;
}

static void from_message(const struct notice *x, void *arg)
{
	struct writer *w = arg;

	add(w, x);
	if (w->rf)
		said_add(&w->said, x);
}

static void from_refresh(const struct notice *x, void *arg)
{
	struct writer *w = arg;

	if (!refresh_wants(w->rf, w->hook, x) || said_has(&w->said, x))
		return;
	add(w, x);
}

FILE *webhook_file(struct store *st, const char *database, const struct webhook_render *r,
    int64_t msg, const struct refresh *rf, ssize_t hook, struct recheck *rc,
    size_t *count, char *err, size_t errsize)
{
	char *dir = dir_of(database);
	struct writer w = { .r = r, .f = unnamed_file(dir), .first = true,
	    .rf = hook >= 0 ? rf : NULL, .hook = hook >= 0 ? (size_t)hook : 0, .rc = rc };

	*count = 0;
	if (!w.f) {
		snprintf(err, errsize, "cannot write the message in %s: %s", dir, strerror(errno));
		free(dir);
		return NULL;
	}
	webhook_stream_open(r, w.f);
	if ((msg > 0 && store_outbox_each(st, msg, from_message, &w) != 0) ||
	    (w.rf && store_active_each(st, from_refresh, &w) != 0)) {
		snprintf(err, errsize, "cannot read the message: %s", store_errmsg(st));
		goto fail;
	}
	webhook_stream_close(r, w.f);
	if (fflush(w.f) != 0 || ferror(w.f)) {
		snprintf(err, errsize, "cannot write the message in %s: %s", dir, strerror(errno));
		goto fail;
	}
	said_free(&w.said);
	free(dir);
	rewind(w.f);
	*count = w.n;
	return w.f;
fail:
	said_free(&w.said);
	fclose(w.f);
	free(dir);
	return NULL;
}
