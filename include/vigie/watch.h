/* What starts a cycle of vigied besides its interval and SIGHUP
 * (daemon/watch.c): the inbox's inotify watch (a file renamed into the
 * inbox is ingested within 2 s, SPEC 8), and the imports of other
 * processes (`vigie import`, the console's), evaluated once no other
 * came for DATA_POLL_S, within twice that. */
#ifndef VIGIE_WATCH_H
#define VIGIE_WATCH_H

#include <stdbool.h>
#include <stdint.h>
#include "vigie/cycle.h"
#include "vigie/store.h"

#define DATA_POLL_S 5

struct inbox_watch {
	int fd;		/* the inotify descriptor, -1 before inbox_watch_init */
	int wd;		/* the watch on the inbox, -1 when none */
	uint64_t first_us;	/* when the first file not yet ingested came
				 * (CLOCK_MONOTONIC), 0 when none */
};

/* Files moved into the inbox one after the other (a backlog of months, a
 * script's loop) come milliseconds apart: one cycle ingests and evaluates
 * them together, so that their months are not notified step by step
 * (vigied(8)). After inbox_watch_read said a file came (now_us: the
 * monotonic clock): how many ms to wait for more, 0 when the cycle is due
 * now; within SPEC 8's 2 s of the first. The caller sets first_us to 0
 * when a cycle ingests the inbox. */
#define INBOX_QUIET_MS 400
#define INBOX_GROUP_MAX_MS 1200
long inbox_watch_quiet(struct inbox_watch *w, uint64_t now_us);
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

/* A periodic, non-blocking timerfd of that period. fd, or -1 with errno. */
int periodic_timer(uint64_t usec);

struct data_watch {
	int fd;		/* a timerfd of DATA_POLL_S, -1 before data_watch_init */
	int64_t seen;	/* the store's data generation after the last cycle */
	int64_t polled;	/* and at the last poll */
};
int data_watch_init(struct data_watch *w);
/* After a cycle: what it evaluated, its own imports included. */
void data_watch_seen(struct data_watch *w, struct store *st);
/* On the timer: reads it, and says whether another process imported
 * since the last cycle and nothing since the last poll (logged). */
bool data_watch_read(struct data_watch *w, struct store *st);
void data_watch_close(struct data_watch *w);

#endif
