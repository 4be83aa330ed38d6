/* Diagnostics: errors that carry a place (FILE:LINE:COLUMN), collected by
 * every parser (CSV, YAML, expressions, configuration) and printed at the end. */
#ifndef VIGIE_DIAG_H
#define VIGIE_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct diag {
	char *file;	/* owned */
	int line, col;	/* 1-based; 0 when unknown (then omitted when printed) */
	char *msg;	/* owned */
};

struct diags {
	struct diag *v;
	size_t n, cap;
	size_t more;	/* errors counted but not kept (a CSV file past
			 * CSV_KEEP_ERRORS): printed in the count */
	const char *kind;	/* printed as "FILE:LINE:COL: KIND: MSG":
				 * "error" when NULL, or "warning" */
	bool fr;	/* the import reader's messages in French (msg.h):
			 * the console's, under locale fr */
	bool no_values;	/* the messages go where no figure of a unit may
			 * appear (the journal, `vigie status`: SPEC 3):
			 * the CSV reader names a bad value's place and
			 * column, and writes "…" for the value itself */
	struct diags *also;	/* when set, every diags_add_tr message and
				 * count of diags_more goes there too, in its
				 * own language (also->fr): the import log
				 * keeps a file's warnings in the console's
				 * language while a command prints them in
				 * English; not owned */
};

/* Appends one error; copies file and the formatted message. */
void diags_add(struct diags *d, const char *file, int line, int col,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* The same, for a caller with its own variable arguments. */
void diags_vadd(struct diags *d, const char *file, int line, int col,
    const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));
/* diags_add_tr's (msg.h): en, in d's language, into d and d->also. */
void diags_add_msg(struct diags *d, const char *file, int line, int col,
    const char *en, ...) __attribute__((format(printf, 5, 6)));
/* Counts k more not kept, in d and d->also. */
void diags_more(struct diags *d, size_t k);
/* Puts d->v[from..] in (line, column) order, those at one place in the
 * order they were added: one file's errors as a reader meets them,
 * whichever pass found them. */
void diags_sort(struct diags *d, size_t from);
/* Prints "FILE:LINE:COL: error: MSG" lines (d->kind for "error"), at most max (0: all), then
 * "FILE: N more errors not shown" when some were left out, those counted
 * but not kept included. */
void diags_print(const struct diags *d, FILE *out, size_t max);
/* Writes the same text into a new string; caller frees. */
char *diags_to_string(const struct diags *d, size_t max);
void diags_free(struct diags *d);	/* frees the contents; d is reusable */

#endif
