/* The inbox's inotify watch (include/vigie/watch.h). A writer renames a
 * complete file into the inbox (SPEC 8), so the names renamed in are kept
 * for the next cycle, which takes them at once even when their last write
 * was a moment before; a file written in place is seen when it is closed,
 * and the inbox waits for it to settle. The watch follows the folder: one
 * that did not exist at start, or was removed or moved away, is made and
 * watched anew. */
#include <errno.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <unistd.h>
#include "vigie/log.h"
#include "vigie/watch.h"
#include "vigie/xalloc.h"

int inbox_watch_init(struct inbox_watch *w)
{
	w->wd = -1;
	w->fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	return w->fd < 0 ? -1 : 0;
}

void inbox_watch_set(struct inbox_watch *w, const char *inbox)
{
	if (w->wd >= 0) {
		inotify_rm_watch(w->fd, w->wd);
		w->wd = -1;
	}
	if (!inbox || w->fd < 0)
		return;
	for (int tries = 0; tries < 2; tries++) {
		w->wd = inotify_add_watch(w->fd, inbox, IN_MOVED_TO | IN_CLOSE_WRITE |
		    IN_ONLYDIR | IN_DELETE_SELF | IN_MOVE_SELF);
		if (w->wd >= 0 || errno != ENOENT ||
		    (mkdir(inbox, 0750) != 0 && errno != EEXIST))
			break;
		log_info("created the inbox %s", inbox);
	}
	if (w->wd < 0)
		log_err("cannot watch the inbox %s: %s; it is read every interval only",
		    inbox, strerror(errno));
}

long inbox_watch_quiet(struct inbox_watch *w, uint64_t now_us)
{
	uint64_t waited;

	if (!w->first_us)
		w->first_us = now_us;
	waited = (now_us - w->first_us) / 1000;
	if (waited >= INBOX_GROUP_MAX_MS)
		return 0;
	return INBOX_GROUP_MAX_MS - (long)waited < INBOX_QUIET_MS ?
	    INBOX_GROUP_MAX_MS - (long)waited : INBOX_QUIET_MS;
}

bool inbox_watch_read(struct inbox_watch *w, const char *inbox,
    struct cycle_state *cs)
{
	char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool any = false, lost = false;
	ssize_t n;

	if (w->fd < 0)
		return false;
	while ((n = read(w->fd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n;) {
			struct inotify_event *ev = (struct inotify_event *)p;
			size_t len = ev->len ? strlen(ev->name) : 0;
			if (ev->mask & IN_Q_OVERFLOW) {
				any = true;
			} else if (ev->wd == w->wd &&
			    (ev->mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF))) {
				lost = true;	/* the folder went away */
			} else if (len >= 5 && ev->name[0] != '.' &&
			    !strcmp(ev->name + len - 4, ".csv")) {
				any = true;
				if ((ev->mask & IN_MOVED_TO) && cs->nrenamed < CYCLE_RENAMED_MAX) {
					cs->renamed = xreallocarray(cs->renamed,
					    cs->nrenamed + 1, sizeof(*cs->renamed));
					cs->renamed[cs->nrenamed++] = xstrdup(ev->name);
				}
			}
			p += sizeof(*ev) + ev->len;
		}
	}
	if (lost && inbox) {
		log_warnx("the inbox %s was removed or moved; watching it anew", inbox);
		inbox_watch_set(w, inbox);
		any = true;
	}
	return any;
}

void inbox_watch_close(struct inbox_watch *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = w->wd = -1;
}

int periodic_timer(uint64_t usec)
{
	struct timespec t = { (time_t)(usec / 1000000), (long)(usec % 1000000) * 1000 };
	struct itimerspec its = { .it_interval = t, .it_value = t };
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);

	if (fd >= 0 && timerfd_settime(fd, 0, &its, NULL) != 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* The imports of other processes: the data generation (the last import's
 * id) read every DATA_POLL_S, one indexed query, against the one the last
 * cycle left. A new one that stayed for a whole poll runs a cycle, which
 * evaluates it: HR need not wait an interval after an import from the
 * console, nor ops run vigied --once after a `vigie import` by hand, and
 * files imported one after the other (the figures, then the headcounts)
 * are evaluated together, as the inbox takes the files dropped together. */
int data_watch_init(struct data_watch *w)
{
	w->seen = w->polled = -1;
	w->fd = periodic_timer((uint64_t)DATA_POLL_S * 1000000u);
	return w->fd < 0 ? -1 : 0;
}

void data_watch_seen(struct data_watch *w, struct store *st)
{
	w->seen = w->polled = store_data_generation(st);
}

bool data_watch_read(struct data_watch *w, struct store *st)
{
	uint64_t ticks;
	int64_t gen, before = w->polled;

	if (read(w->fd, &ticks, sizeof(ticks)) <= 0 || w->seen < 0)
		return false;
	w->polled = gen = store_data_generation(st);
	if (gen == w->seen || gen != before)
		return false;
	log_info("data imported by another process (vigie import, the console): "
	    "evaluating it");
	return true;
}

void data_watch_close(struct data_watch *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
}
