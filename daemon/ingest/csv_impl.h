/* What csv.c and csv_checks.c share: the parser's state, which the checks
 * made once every row is read (duplicates, companions) go through, and the
 * column counting both use for the places they report. Private to
 * daemon/ingest/, as SQLite keeps vdbeInt.h beside its sources. */
#ifndef VIGIE_CSV_IMPL_H
#define VIGIE_CSV_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vigie/csv.h"
#include "vigie/names.h"
#include "vigie/unit.h"

#define IND_MAX_BYTES 64
#define NUM_MAX_BYTES 128

struct field {
	const char *s;		/* content, decoded */
	size_t len;
	const char *raw;	/* first character in the file */
	const char *rend;	/* just after the field in the file */
	const char *line_start;	/* of the line where the field starts */
	int line;
	bool quoted;
	size_t soff;		/* offset in scratch when decoded, else SIZE_MAX */
};

struct row_recs {
	size_t rec;		/* its first record */
	size_t off;		/* its unit cell */
};

struct parser {
	const char *name;
	const char *buf, *body, *end, *p;
	int line;
	const char *line_start;
	char delim;
	enum granularity gran;
	int32_t latest;		/* periods after it are refused */
	struct diags *d;
	size_t nerr;
	bool stop;
	/* col_at's place: errors along one long line cost one pass over it */
	const char *col_ls, *col_p;
	int col_n;
	/* the current record */
	struct field *f;
	size_t nf, fcap;
	char *scratch;
	size_t slen, scap;
	/* output */
	struct import_batch *b;
	size_t reccap;
	size_t *roff;		/* per record: offset of the place to blame */
	size_t *coff;		/* long form: per record, offset of its value
				 * cell (the wide form's is roff) */
	bool longform;
	/* wide form: per row that gave records, its first record and the
	 * offset of its unit cell, so that a row repeated whole is one error */
	struct row_recs *rows;
	size_t nrows, rowcap;
	struct names units, inds;	/* moved into the batch after the rows */
	struct batch_place *uat, *iat;	/* their first places, likewise */
	size_t uatcap, iatcap;
	/* caches of the previous row, as rows often repeat them */
	char last_unit[UNIT_MAX_BYTES + 1];
	size_t last_unit_len;
	int32_t last_unit_idx;	/* -1: none */
	char last_period[PERIOD_BUFSZ];
	size_t last_period_len;
	int32_t last_period_val;
	bool last_period_ok;
	char last_ind[IND_MAX_BYTES + 1];
	size_t last_ind_len;
	int32_t last_ind_idx;
};

/* The column of p on the line starting at line_start (csv.c). */
int csv_col_at(struct parser *ps, const char *line_start, const char *p);

/* csv_checks.c, once every row is read; perm: the records sorted by key. */
/* Reports the duplicates; true when there was any. */
bool csv_report_duplicates(struct parser *ps, const uint32_t *perm);
/* Per indicator named: the index of the whole it counts part of when that
 * is named too (X of X_max, workable_days of absence_days...), else -1;
 * the caller frees. */
int32_t *csv_companion_bases(const struct names *inds);
/* Warns, in w, of an X_max above its X, a part above its whole (perm
 * without duplicates). */
void csv_warn_companions(struct parser *ps, const uint32_t *perm,
    const int32_t *base, struct diags *w);
/* Drops the indicators that no record uses, keeping the records' order. */
void csv_drop_unused_indicators(struct import_batch *b);

#endif
