/* The inbox (SPEC 8): CSV files dropped in a folder, imported in name order,
 * each all or nothing; a file imported moves to processed/, a rejected one
 * to rejected/ with NAME.errors.txt beside it. Dot-files are being written
 * and are left alone, as is a file changed during the last 2 seconds; only
 * regular files are read, at most max_import_size bytes. */
#ifndef VIGIE_INBOX_H
#define VIGIE_INBOX_H

#include <stddef.h>
#include <stdint.h>
#include "vigie/store.h"

struct inbox_report {
	int imported, rejected;
	int deferred;		/* left for the next cycle: still being written */
};

/* A rejected file, as the ops role may be told of it: nothing in it comes
 * from the file's content. */
struct inbox_rejection {
	const char *name;	/* the file's name, escaped (text_escape) */
	const char *final;	/* its name in rejected/, escaped: name, or
				 * name.1... when taken, cut when long (NAME.1
				 * for the second NAME: its own notice) */
	const char *dir;	/* the folder it was moved to; NULL if it could not be */
	bool errors;		/* final.errors.txt was written there */
	const char *why;	/* not read: what it is ("a symbolic link, ..."); else NULL */
	size_t nerrors;		/* read: the number of errors */
	int line, col;		/* read: the place of the first (0: none) */
};
/* Called for each rejected file, once it has been moved (or could not be),
 * or at the next pass when the daemon was killed in between: it must call
 * inbox_rejection_told in the transaction that records its notice, so
 * that the notice is queued once (SPEC 13). 0, or -1 (rolled back: told
 * at the next pass). */
typedef int inbox_rejected_fn(void *arg, const struct inbox_rejection *r);
/* Records the rejection being told as told. 0 or -1. */
int inbox_rejection_told(struct store *st);
/* A file imported with warnings (an indicator missing, a misspelt name:
 * importcheck.h), as the ops role may be told of it: nothing quoted. */
struct inbox_warned {
	const char *name;	/* the file's name, escaped (text_escape) */
	const char *path;	/* processed/NAME.warnings.txt (NAME.1... when
				 * NAME was taken), escaped; NULL when the
				 * file could not be moved there */
	size_t nwarnings;
	int line, col;		/* the place of the first (0: none) */
	int64_t log_id;		/* its import's row of the import log */
	const struct diags *logged;	/* the warnings, in the console's
					 * language, for inbox_told */
};
/* Called for each such file at the end of the pass (a warning about a
 * value may be silenced by a later file of the pass), or at the next pass
 * when the daemon was killed before the end of its pass: it must call
 * inbox_told in the transaction that records its notice, so that the
 * notice is queued once (SPEC 13). 0, or -1 (rolled back: the warnings
 * are told again at the next pass). */
typedef int inbox_warned_fn(void *arg, const struct inbox_warned *w);
/* Records w's warnings in the import log as told. 0 or -1. */
int inbox_told(struct store *st, const struct inbox_warned *w);

struct inbox_config {
	const char *dir;		/* the inbox folder */
	long long max_size;		/* max_import_size */
	char *const *renamed;		/* names known to have been renamed in
					   (complete: not left to settle) */
	size_t nrenamed;
	bool fr;			/* the console's language, for the
					   import log's warnings (store.h) */
	int min_headcount;		/* the anonymity floor */
	double dominance;		/* and dominance ratio
					   (import_check_late, _uncover) */
	int retention_data;		/* retention.data, in periods
					   (import_check_retention) */
	inbox_rejected_fn *rejected;	/* may be NULL */
	inbox_warned_fn *warned;	/* may be NULL */
	void *arg;
};

/* Imports the inbox folder's files into st. Returns 0, or -1 on a database
 * error (the file then stays in the inbox for the next cycle). */
int inbox_ingest(struct store *st, const struct inbox_config *cfg,
    struct inbox_report *rep);

#endif
