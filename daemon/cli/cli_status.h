/* `vigie status --check` (status_check.c): what needs an operator. */
#ifndef VIGIE_CLI_STATUS_H
#define VIGIE_CLI_STATUS_H

#include <stdint.h>
#include <jansson.h>
#include "vigie/config.h"
#include "vigie/store_alerts.h"
#include "vigie/store_outbox.h"

/* What status read from the database and the lock. */
struct status_facts {
	long holder;		/* store_lock_holder: pid, 0 none, -1 unknown */
	int lc;			/* store_last_cycle: 0 found, 1 none */
	struct cycle_row cr;
	int64_t reload_failed;	/* the failed reload's time, or 0 */
	const struct alert_counts *cnt;
	int missing;		/* the missing-data alert is active */
	json_t *history;	/* the meta "history" (evaluate.c), or NULL */
	json_t *unimported;	/* the meta "unimported" (evaluate_meta.c), or NULL */
	json_t *other_period;	/* ids of the rules of the other granularity */
	size_t nrules;		/* enabled rules */
	enum granularity g;	/* the database's */
};

struct status_problems {
	char **v;		/* one sentence each */
	size_t n;
};

/* Appends to p, at time now, the problems f and cfg show: no cycle, or
 * none for twice the interval (with whether a daemon holds the lock); a
 * last cycle that failed (the metrics file); a failed reload; failed
 * notifications; missing data; files waiting in the inbox for twice the
 * interval. */
void status_problems_find(const struct config *cfg, const struct status_facts *f,
    int64_t now, struct status_problems *p);
void status_problems_free(struct status_problems *p);

#endif
