/* Pull sources (SPEC 8): CSV documents fetched over HTTP(S) and query
 * results from an external SQLite database, imported like inbox files. */
#ifndef VIGIE_SOURCES_H
#define VIGIE_SOURCES_H

#include <time.h>
#include "vigie/config.h"
#include "vigie/store.h"

/* Runs every source that is due at `now` (at most once per `every`),
 * imports what changed, records each source's state (last success, last
 * error, next run) and logs failures. *imported is set to the number of
 * sources that imported data. Returns 0, or -1 on a database error. */
int sources_pull(struct store *st, const struct config *cfg, time_t now,
    int *imported);

#endif
