/* A validated import batch: what ingestion (the CSV reader, pull sources)
 * hands to the store, which writes it in one transaction. Units and
 * indicators are interned; records index them. */
#ifndef VIGIE_BATCH_H
#define VIGIE_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vigie/period.h"

struct import_record {
	uint32_t unit;		/* index into batch->units */
	uint32_t ind;		/* index into batch->inds */
	int32_t period;
	double value;
};

/* Where a name first appears in the file a batch was read from. */
struct batch_place {
	int line, col;
};

/* A cell that stays hidden whatever later data says (SPEC 3 against time,
 * store.h store_keep_hidden): unit's value of indicator at period. */
struct kept_cell {
	char *unit, *indicator;
	int32_t period;
};

struct import_batch {
	enum granularity gran;
	char **units;		/* distinct unit paths named by the file */
	size_t nunits;
	char **inds;		/* distinct indicator names */
	size_t ninds;
	struct import_record *recs;
	size_t nrecs;
	size_t rows;		/* data rows read */
	int32_t pmin, pmax;	/* period range of recs (when nrecs > 0) */
	/* CSV files: per unit its first cell, per indicator its header
	 * cell (the long form: its first cell); NULL from other sources */
	struct batch_place *unit_at, *ind_at;
	/* The cells that storing b must keep hidden (importcheck.h,
	 * import_check_uncover), written in the same transaction; owned */
	struct kept_cell *keep;
	size_t nkeep;
};

/* The stored cells whose values the reader of an import's answer may not
 * see: the console's user (SPEC 3: cells hidden by disclosure control,
 * confidential indicators outside confidential_roles). What an import
 * tells that reader (its counts, its warnings) never compares a value of
 * the file with one of them: the answer would give it away. NULL: the
 * reader sees every value (the command line, whose user can read the
 * database file). */
struct import_blind {
	bool (*hides)(const void *ctx, const char *unit, const char *indicator,
	    int32_t period);
	const void *ctx;
	/* The cells whose record is their stored value given back, the
	 * file's left aside (the console's hidden figures of stored periods,
	 * daemon/web/import_hidden.c): counted left, neither replaced nor
	 * unchanged, whatever the file gave them. NULL: none. */
	bool (*leaves)(const void *ctx, const char *unit, const char *indicator,
	    int32_t period);
};

static inline bool import_blind_hides(const struct import_blind *bl,
    const char *unit, const char *indicator, int32_t period)
{
	return bl && bl->hides(bl->ctx, unit, indicator, period);
}

static inline bool import_blind_leaves(const struct import_blind *bl,
    const char *unit, const char *indicator, int32_t period)
{
	return bl && bl->leaves && bl->leaves(bl->ctx, unit, indicator, period);
}

/* Frees the contents; b is left empty. (daemon/store/values.c) */
void import_batch_free(struct import_batch *b);

#endif
