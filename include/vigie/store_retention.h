/* Retention (daemon/store/retention.c, SPEC 3): what is kept is bounded,
 * and what is older goes at each cycle, in one short transaction. Nothing
 * still pending (a message not yet delivered) or active (an alert, the
 * events a kept message carries, an alert with a note) is ever deleted. */
#ifndef VIGIE_STORE_RETENTION_H
#define VIGIE_STORE_RETENTION_H

#include <stddef.h>
#include <stdint.h>
#include "vigie/store.h"

/* The limits of one purge; each "before" is exclusive. */
struct purge_limits {
	int32_t values_before;	/* period: values of earlier periods go */
	int32_t alerts_before;	/* period: resolved alerts last evaluated
				 * earlier go with their events, and so do
				 * the events of earlier episodes of the others */
	int64_t events_before;	/* time: system events (rejected files,
				 * missing data) */
	int64_t notes_before;	/* time */
	int64_t messages_before;	/* time: delivered or failed messages
					 * created earlier, their items and
					 * attempts */
};

/* What one purge deleted. */
struct purge_counts {
	size_t values;		/* stored values (not gaps) */
	size_t alerts, events, notes, messages;
};

/* Deletes what the limits name, in its own transaction. 0 (c filled), or
 * -1 with nothing deleted. */
int store_purge(struct store *st, const struct purge_limits *lim,
    struct purge_counts *c);

#endif
