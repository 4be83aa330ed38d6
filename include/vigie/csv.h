/* CSV indicator files (SPEC 4): wide and long forms, ',' ';' or tab,
 * decimal comma with ';'/tab, BOM, CRLF, RFC 4180 quoting. Parses into a
 * batch (batch.h) that the store imports in one transaction. Pure: no I/O. */
#ifndef VIGIE_CSV_H
#define VIGIE_CSV_H

#include <stddef.h>
#include <stdint.h>
#include "vigie/batch.h"
#include "vigie/diag.h"
#include "vigie/period.h"

#define CSV_MAX_ERRORS 20	/* printed; parsing counts the rest */
#define CSV_KEEP_ERRORS 1000	/* beyond this only counted (diags.more) */

/* Parses buf (the whole file) named `name` in diagnostics. Periods must be
 * of granularity g and not after `latest` (the current period,
 * period_current(); CSV_ANY_PERIOD: no limit). Messages quote at most
 * TEXT_EXCERPT_MAX bytes of a field, escaped (text_excerpt). Indicators
 * without any value (empty columns) are left out of the batch. Returns 0
 * and fills *b, or -1 after adding errors to d (b is then empty). */
#define CSV_ANY_PERIOD INT32_MAX
int csv_parse(const char *name, const char *buf, size_t len,
    enum granularity g, int32_t latest, struct import_batch *b, struct diags *d);
/* The same, and, when the file is accepted and w is not NULL, adds to w (its
 * kind set to "warning") a warning at the X_max cell of every (unit, period)
 * where the file gives both X and its companion X_max (SPEC 3) and X_max is
 * greater than X: impossible, a column mix-up. Warnings do not reject the
 * file; they come in file order, the first 1000 kept and the rest counted
 * in w->more, as errors are. A rejected file gets none. */
int csv_parse_warn(const char *name, const char *buf, size_t len,
    enum granularity g, int32_t latest, struct import_batch *b, struct diags *d,
    struct diags *w);
/* The spreadsheet's row (from 1) of the file's place at line, col (as a
 * diagnostic gives it: lines of the file, characters along the line),
 * with its field's index in *field; the row is the line but for the line
 * breaks inside quoted cells before it. 0 when the place is not in the
 * file. */
int csv_row_at(const char *buf, size_t len, int line, int col, size_t *field);
/* The spreadsheet cell ("T2") of that place: the letters of its field's
 * column and its row. False when the place is not in the file. */
bool csv_cell_name(const char *buf, size_t len, int line, int col, char *out,
    size_t size);
/* The spreadsheet's letters of the field-th column (0: "A", 26: "AA"),
 * written into out and returned. */
const char *csv_col_letters(size_t field, char out[16]);

#endif
