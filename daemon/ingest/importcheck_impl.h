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
 * (any cycle's: a month deleted and sent again was shown all the same): 0
 * with it in *period (-1: none yet), or -1. (deletelate.c) */
int importcheck_last_evaluated(struct store *st, int32_t *period);
/* The batch's values at the periods a cycle has evaluated, as edits of
 * the stored ones (units and indicators b's), from b->pmin to *to: their
 * number, with them in *e (free it; not its strings), or 0 when the batch
 * touches no evaluated period (*e NULL). (deletelate.c) */
size_t importcheck_evaluated_edits(struct store *st,
    const struct import_batch *b, struct value_edit **e, int32_t *to);
/* The units with a value stored at period (of indicator, or any), when a
 * cycle has evaluated it (the last cycle's or before): 0 with them in *v
 * (free with store_period_units_free), 1 when nothing was shown of that
 * period yet (*v NULL), or -1. (deletelate.c) */
int importcheck_evaluated_units(struct store *st, int32_t period,
    const char *indicator, struct period_unit **v, size_t *n);
/* The units that b brings a value of at period p, sorted (not copied: b's
 * strings); the array is new. (importperiod.c) */
size_t importcheck_brought_at(const struct import_batch *b, int32_t p, char ***out);
/* Whether s is among the sorted strings v[0..n) (v NULL when n is 0). */
bool importcheck_among(char *const *v, size_t n, const char *s);
/* The file against the months stored: one that repeats the period before
 * it, one that leaves the period before it empty (importperiod.c). The
 * number of warnings added to w. */
size_t importcheck_periods(struct store *st, const char *file,
    const struct import_batch *b, const struct import_batch *const *with,
    size_t nwith, const struct import_blind *blind, struct diags *w);
/* A month's file that brings units new to the database (not among the
 * stored units[0..nunits), sorted) while units of the sites it covers that
 * sent the month before send nothing for it (in b nor stored): a
 * reorganisation, which vigie rename would give the new paths the history
 * of. Before b is imported (its new units are new then). The number of
 * warnings added to w (importperiod.c). */
size_t importcheck_reorganised(struct store *st, const char *file,
    const struct import_batch *b, char *const *units, size_t nunits,
    struct diags *w);

/* import_check_backfill of the facts alone, for the inbox, which tells it
 * at the end of its pass (the batch is gone): the file's latest period,
 * its place, the latest stored before the pass. (importbackfill.c) */
size_t importcheck_backfill_at(const char *file, enum granularity g,
    int32_t latest, struct batch_place at, int32_t before, int32_t now,
    struct diags *w);

/* Another batch of the same import (import_check_values's `with`): its
 * unit indices by name, to look a unit up and to find units under it. */
struct other_batch {
	const struct import_batch *b;
	uint32_t *order;	/* unit indices sorted by path */
};
/* Whether b has a value of unit u and indicator ind (indices; ind -1:
 * none) at period. (importvalues.c) */
bool importcheck_batch_has(const struct import_batch *b, uint32_t u, int64_t ind,
    int32_t period);
/* b's index of the indicator name, or -1. */
int64_t importcheck_batch_ind(const struct import_batch *b, const char *name);
/* Whether o brings a value of ind (a name) for unit at period; any value. */
bool importcheck_other_has(const struct other_batch *o, const char *unit,
    const char *ind, int32_t period);
bool importcheck_other_brings(const struct other_batch *o, const char *unit,
    int32_t period);
/* The file's latest period against what is stored there and the period
 * before (importgaps.c): a unit that sent the period before and nothing
 * for it, though the file brings its siblings (a team the export lost);
 * a value stored for it that the file's column leaves empty (an empty
 * cell keeps it); a headcount, workable days or hours worked ten times
 * those of the period before, or a tenth (not compared with a stored
 * value blind hides). Counting as there what oth[0..noth) bring. The
 * number of warnings added to w. */
size_t importcheck_gaps(struct store *st, const char *file,
    const struct import_batch *b, const struct other_batch *oth, size_t noth,
    const struct import_blind *blind, struct diags *w);

#endif
