/* What inbox.c (reading the inbox's files), inboxreject.c (rejecting one)
 * and inboxwarn.c (telling an imported file's warnings at the end of the
 * pass) share. Private to
 * daemon/ingest/. */
#ifndef VIGIE_INBOX_IMPL_H
#define VIGIE_INBOX_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include "vigie/csv.h"
#include "vigie/inbox.h"

/* A file of the pass imported with warnings, told at the end of the pass:
 * one that leaves a leaf unit without headcount, or the month without an
 * indicator, is checked again then, as a later file of the pass may bring
 * it (files dropped together are one import). */
struct pending {
	char *shown;		/* its name, escaped */
	char *final;		/* its name in processed/; NULL: not moved */
	struct import_batch b;	/* checked again at the end (import_check_values
				 * warned: a later file may bring what lacks) */
	char *text;		/* the warnings so far, as printed */
	size_t n;		/* their number */
	int line, col;		/* the first's place */
	struct diags logged;	/* the same in the console's language */
	int64_t log_id;		/* its import's row of the import log */
	size_t backfill;	/* of n, the history's warning (0 or 1) */
};

struct ctx {
	struct store *st;
	const struct inbox_config *cfg;
	struct inbox_report *rep;
	int64_t now_ns;		/* CLOCK_REALTIME, as file times are */
	struct pending *pend;
	size_t npend;
	/* The file of the pass that brings its latest period, told at the end
	 * of the pass when that is a history imported month by month
	 * (importcheck.h, import_check_backfill): the latest period a cycle
	 * evaluated before the pass (-1: no warning), the file's entry in pend
	 * (npend: none yet), its latest period and the place said. */
	int32_t backfill_from;
	size_t top;
	int32_t top_period;
	struct batch_place top_at;
};

/* The file being looked at. */
struct file {
	const char *name;	/* as in the folder */
	char *shown;		/* escaped, for messages */
	char *path;
};

/* Moves src into folder dir under name, or name.1, name.2... when taken,
 * cut when long (inboxreject.c): never overwrites. *final (caller frees)
 * is the name used. 0, or -1 with errno. */
int inbox_move_noreplace(const char *src, const char *dir, const char *name,
    char **final);
/* Rejects f: moves it to rejected/ with its errors beside it, logs them,
 * and tells the caller (cfg->rejected) without quoting the file, once even
 * when the daemon is killed meanwhile. why: the file was not read (what it
 * is), else the errors are in d. */
void inbox_reject(struct ctx *c, const struct file *f, const char *why,
    const struct diags *d);
/* At the start of a pass: tells the rejection a daemon killed after moving
 * the file, before telling it, left untold. */
void inbox_reject_recover(struct ctx *c);

/* a/b, or a/b/c when c is not NULL; caller frees. */
char *inbox_path(const char *a, const char *b, const char *c);
/* Writes text into dir/NAME.SUFFIX (NAME: the file's name there), for
 * NAME.errors.txt and NAME.warnings.txt: 0, or -1 said in the log. */
int inbox_write_beside(const char *dir, const char *name, const char *suffix,
    const char *text);
/* Adds d's warnings to p. */
void inbox_pending_add(struct pending *p, const struct diags *d);
/* At the end of the pass: tells the warnings of the pass's files, and
 * those a daemon killed before the end of its pass left untold
 * (store_import_untold); frees c->pend. */
void inbox_tell(struct ctx *c);

#endif
