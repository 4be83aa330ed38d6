/* Queries on the alert, event, silence and message tables shared by the
 * daemon's cycle and the alert commands (alerts, ack, silence, history,
 * status), so that both read the rows the same way. */
#ifndef VIGIE_ALERTDB_H
#define VIGIE_ALERTDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "vigie/lifecycle.h"
#include "vigie/store.h"

#define ALERTDB_UID_LEN 28	/* "msg_" + 24 base62 characters */

/* A fresh random message id ("msg_" + 24 base62 chars from getrandom)
 * into out (ALERTDB_UID_LEN + 1 bytes). Returns 0, or -1 with errno set. */
int alertdb_new_uid(char out[ALERTDB_UID_LEN + 1]);


struct silence_set {
	struct silence *v;
	size_t n;
};

/* Loads the silences not removed (lifecycle_silenced tells which hold at a
 * period). Returns 0 or -1 (database error). */
int alertdb_silences_load(struct store *st, struct silence_set *out);
void alertdb_silences_free(struct silence_set *s);

struct alertdb_counts {
	size_t active, warning, critical, pending, failed;
};
/* Active alerts by severity and outbox messages by status. 0 or -1. */
int alertdb_counts(struct store *st, struct alertdb_counts *c);

#endif
