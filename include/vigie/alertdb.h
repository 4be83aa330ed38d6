/* Queries on the alert, event, silence and message tables shared by the
 * daemon's cycle and the alert commands (alerts, ack, silence, history,
 * status), so that both read the rows the same way. */
#ifndef VIGIE_ALERTDB_H
#define VIGIE_ALERTDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "vigie/store.h"

#define ALERTDB_UID_LEN 28	/* "msg_" + 24 base62 characters */

/* A fresh random message id ("msg_" + 24 base62 chars from getrandom)
 * into out (ALERTDB_UID_LEN + 1 bytes). Returns 0, or -1 with errno set. */
int alertdb_new_uid(char out[ALERTDB_UID_LEN + 1]);

/* Splits "RULE@UNIT" at the first '@'. Returns 0 and new strings (caller
 * frees), or -1 when id has no '@' or an empty side. */
int alertdb_split_id(const char *id, char **rule, char **unit);


struct silence_rule {
	int64_t id;
	char *rule;		/* rule id or "*" (every rule) */
	char *unit_glob;
	int32_t until_period;
};

struct silence_set {
	struct silence_rule *v;
	size_t n;
};

/* Loads the silences not removed whose until_period >= period. Returns 0
 * or -1 (database error). */
int alertdb_silences_load(struct store *st, int32_t period, struct silence_set *out);
/* True when a silence of the set covers rule@unit. */
bool alertdb_silenced(const struct silence_set *s, const char *rule, const char *unit);
void alertdb_silences_free(struct silence_set *s);

struct alertdb_counts {
	size_t active, warning, critical, pending, failed;
};
/* Active alerts by severity and outbox messages by status. 0 or -1. */
int alertdb_counts(struct store *st, struct alertdb_counts *c);

#endif
