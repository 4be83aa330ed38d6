/* The inbox's inotify watch (daemon/watch.c), for vigied: a file renamed
 * into the inbox is ingested within 2 s (SPEC 8). */
#ifndef VIGIE_WATCH_H
#define VIGIE_WATCH_H

#include <stdbool.h>
#include "vigie/cycle.h"

struct inbox_watch {
	int fd;		/* the inotify descriptor, -1 before inbox_watch_init */
	int wd;		/* the watch on the inbox, -1 when none */
};

/* Opens the (non-blocking) inotify descriptor. 0, or -1 with errno. */
int inbox_watch_init(struct inbox_watch *w);
/* (Re)places the watch on inbox (NULL: none), making a missing inbox
 * folder first (mode 0750; its parent must exist). Logs a failure: the
 * inbox is then read every interval only. */
void inbox_watch_set(struct inbox_watch *w, const char *inbox);
/* Reads the pending events; true when one names a file the inbox takes
 * (or the queue overflowed, or the folder went away and is watched anew).
 * The names renamed in are added to cs for the next cycle. */
bool inbox_watch_read(struct inbox_watch *w, const char *inbox,
    struct cycle_state *cs);
void inbox_watch_close(struct inbox_watch *w);

#endif
