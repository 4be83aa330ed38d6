/* What importcheck.c (the names) and importvalues.c (the values) share.
 * Private to daemon/ingest/. */
#ifndef VIGIE_IMPORTCHECK_IMPL_H
#define VIGIE_IMPORTCHECK_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include "vigie/batch.h"
#include "vigie/store.h"

/* What is stored (st NULL, or unreadable: nothing): the indicator names
 * and the unit paths (sorted), as store_names gives them; 0, or -1. */
int importcheck_stored_names(struct store *st, char ***inds, size_t *ninds,
    char ***units, size_t *nunits);
/* Whether some unit of v[0..n) (sorted) is under path. */
bool importcheck_has_descendant(char *const *v, size_t n, const char *path);
/* qsort's comparison of strings, and of periods (int32_t). */
int importcheck_cmp_str(const void *a, const void *b);
int importcheck_cmp_period(const void *a, const void *b);
/* The end of the records of recs[i]'s unit (a batch's records are grouped
 * by unit): the index of the next unit's first. */
size_t importcheck_unit_end(const struct import_batch *b, size_t i);
/* at[i], or line 1, column 1 for a batch that keeps no places. */
struct batch_place importcheck_place(const struct batch_place *at, size_t i);
/* The latest period a cycle has evaluated, what the outputs have shown
 * (the last cycle's): 0 with it in *period (-1: none yet), or -1.
 * (deletelate.c) */
int importcheck_last_evaluated(struct store *st, int32_t *period);
/* The units with a value stored at period (of indicator, or any), when a
 * cycle has evaluated it (the last cycle's or before): 0 with them in *v
 * (free with store_period_units_free), 1 when nothing was shown of that
 * period yet (*v NULL), or -1. (deletelate.c) */
int importcheck_evaluated_units(struct store *st, int32_t period,
    const char *indicator, struct period_unit **v, size_t *n);
/* The file against the months stored: one that repeats the period before
 * it, one that leaves the period before it empty (importperiod.c). The
 * number of warnings added to w. */
size_t importcheck_periods(struct store *st, const char *file,
    const struct import_batch *b, const struct import_batch *const *with,
    size_t nwith, struct diags *w);
/* A month's file that brings units new to the database (not among the
 * stored units[0..nunits), sorted) while units of the sites it covers that
 * sent the month before send nothing for it (in b nor stored): a
 * reorganisation, which vigie rename would give the new paths the history
 * of. Before b is imported (its new units are new then). The number of
 * warnings added to w (importperiod.c). */
size_t importcheck_reorganised(struct store *st, const char *file,
    const struct import_batch *b, char *const *units, size_t nunits,
    struct diags *w);

#endif
