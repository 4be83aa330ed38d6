/* Pull sources (SPEC 8): CSV documents fetched over HTTP(S) and query
 * results from an external SQLite database, imported like inbox files. */
#ifndef VIGIE_SOURCES_H
#define VIGIE_SOURCES_H

#include <jansson.h>
#include <stdint.h>
#include <time.h>
#include "vigie/config.h"
#include "vigie/progress.h"
#include "vigie/store.h"

/* Runs every source that is due at `now` (at most once per `every`),
 * imports what changed, records each source's state (last success, last
 * error, next run) and logs failures. The HTTP sources are fetched side by
 * side (the pull lasts as long as the slowest, bounded by its timeout);
 * documents larger than max_import_size are refused like those larger than
 * the source's max_size. tick (may be NULL: progress.h) is called every
 * 100 ms while they are fetched, for the watchdog. *imported is set to the
 * number of sources that imported data. Returns 0, or -1 on a database
 * error. */
int sources_pull(struct store *st, const struct config *cfg, time_t now,
    progress_fn *tick, void *tick_arg, int *imported);
/* The number of HTTP sources due at now (those that may keep a cycle
 * waiting on the network), or -1 on a database error. */
int sources_due(struct store *st, const struct config *cfg, time_t now);

/* What `vigie status` shows of one configured source. Times are Unix
 * seconds, 0 when never; last_error is NULL unless the last run failed. */
struct source_status {
	char *name;
	const char *type;	/* "http" or "sqlite" (static) */
	int64_t last_run, last_success, last_error_at, next_run;
	char *last_error;	/* first line of the error */
};

/* One row per source of cfg, in configuration order. Returns 0 and a new
 * array in *out (free with sources_status_free), or -1 on a database error. */
int sources_status(struct store *st, const struct config *cfg,
    struct source_status **out, size_t *n);
void sources_status_free(struct source_status *v, size_t n);
/* The rows as a JSON array of objects with the struct's field names, times
 * as ISO 8601 UTC strings or null: the one encoding of `vigie status
 * --format json` (and of anything else that shows them). Caller releases. */
json_t *sources_status_json(const struct source_status *v, size_t n);

#endif
