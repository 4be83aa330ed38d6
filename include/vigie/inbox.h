/* The inbox (SPEC 8): CSV files dropped in a folder, imported in name order,
 * each all or nothing; a file imported moves to processed/, a rejected one
 * to rejected/ with NAME.errors.txt beside it. Dot-files are being written
 * and are left alone. */
#ifndef VIGIE_INBOX_H
#define VIGIE_INBOX_H

#include "vigie/store.h"

struct inbox_report {
	int imported, rejected;
};

/* Called for each rejected file with its name and the errors (at most
 * CSV_MAX_ERRORS of them, one per line), once the file has been moved. */
typedef void inbox_rejected_fn(void *arg, const char *name, const char *errors);

/* Imports the inbox folder's files into st. Returns 0, or -1 on a database
 * error (the file then stays in the inbox for the next cycle). */
int inbox_ingest(struct store *st, const char *inbox, inbox_rejected_fn *rejected,
    void *arg, struct inbox_report *rep);

#endif
