/* CSV indicator files (SPEC 4): wide and long forms, ',' ';' or tab,
 * decimal comma with ';'/tab, BOM, CRLF, RFC 4180 quoting. Parses into a
 * batch that the store imports in one transaction. Pure: no I/O. */
#ifndef VIGIE_CSV_H
#define VIGIE_CSV_H

#include <stddef.h>
#include <stdint.h>
#include "vigie/diag.h"
#include "vigie/period.h"

#define CSV_MAX_ERRORS 20	/* printed; parsing counts the rest */

struct import_record {
	uint32_t unit;		/* index into batch->units */
	uint32_t ind;		/* index into batch->inds */
	int32_t period;
	double value;
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
};

/* Parses buf (the whole file) named `name` in diagnostics. Periods must be
 * of granularity g. Returns 0 and fills *b, or -1 after adding errors to d
 * (b is then empty). */
int csv_parse(const char *name, const char *buf, size_t len,
    enum granularity g, struct import_batch *b, struct diags *d);
void import_batch_free(struct import_batch *b);

#endif
