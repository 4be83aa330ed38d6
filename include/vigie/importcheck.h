/* Warnings on an accepted import file that need the database (SPEC 1, 2,
 * 3): what the pure CSV reader cannot tell. They never reject the file
 * nor change an exit status (SPEC 4 lists the errors). (daemon/ingest/) */
#ifndef VIGIE_IMPORTCHECK_H
#define VIGIE_IMPORTCHECK_H

#include "vigie/batch.h"
#include "vigie/diag.h"
#include "vigie/store.h"

/* Adds to w (its kind set to "warning"), at the places the batch b read
 * from `file` keeps, the warnings about b against what st has stored
 * before b is imported (st NULL: no database yet):
 *   an indicator new to the database, not in the recommended vocabulary
 *   and close to a known name (a misspelt header);
 *   a unit new to the database whose path is a small edit away from a
 *   stored unit's under the same parent (a misspelt unit);
 *   a leaf unit of the file with values at a period and no headcount
 *   there, neither in the file nor stored (hidden, SPEC 3), the first
 *   CSV_KEEP_ERRORS kept and the rest counted in w->more.
 * Returns the number of warnings added. */
size_t import_check(struct store *st, const char *file,
    const struct import_batch *b, struct diags *w);

#endif
