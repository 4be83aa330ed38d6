/* What the import page (page_import.c: the page, what it says of an
 * upload) and its form (import_post.c: reading, checking and importing the
 * files sent) share. Private to daemon/web/. */
#ifndef VIGIE_WEB_IMPORT_IMPL_H
#define VIGIE_WEB_IMPORT_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include "vigie/batch.h"
#include "vigie/diag.h"
#include "vigie/store.h"

struct req;
struct config;

/* A file of a multipart form (upload.c): its content, NUL-terminated,
 * and its name as the browser gives it. The import page takes several at
 * once (a history sent month by month: one import, one evaluation). */
struct upload {
	char *name;
	char *data;
	size_t len;
};
#define WEB_IMPORT_FILES 400		/* files of one upload, at most */

/* What became of a file sent: its name, the import's figures or why it
 * was refused. */
struct sent {
	char *name;			/* as recorded (upload_file_name) */
	const char *buf;		/* the file as sent, for its cells' names */
	size_t len;
	const char *refused;		/* why, in a sentence; or NULL */
	char *refused_buf;		/* owned, when refused is built */
	struct diags errors;		/* the reader's */
	struct diags scope;		/* units outside the user's scopes */
	struct diags warnings;
	struct import_stats s;
	struct import_batch b;
	bool dry;			/* checked only, as --dry-run */
	/* b's values of hidden cells of periods evaluated, given their
	 * stored ones back (import_hidden); owned */
	struct import_record *left;
	size_t nleft;
	const struct import_blind *blind;	/* import_hidden_blind's */
	struct import_blind left_blind;
};

/* What became of an upload of one file or several: all imported, or none
 * (a file refused refuses them all, as `vigie import` of several files). */
struct upload_outcome {
	struct sent *v;
	size_t n;
	bool dry;
	const char *refused;		/* why nothing (more) was imported, or
					 * NULL; for one file, its refusal */
	char *refused_buf;		/* owned, when refused is built */
};

/* Before f is imported or checked, its values of cells hidden at periods
 * already stored, evaluated or not (import_hidden.c): f refused
 * (refused_buf) when it brings nothing else; else those given their stored
 * values back in f->b (f->left), said in its warnings. Never compares them
 * with the stored ones. 0, or -1 when the database cannot be read. */
int import_hidden(struct req *r, struct sent *f);
/* What the answer about f may compare: bl, but for f's values left as
 * stored (their value is the stored one, whatever the file's was), which
 * it counts left, neither replaced nor unchanged. */
const struct import_blind *import_hidden_blind(struct sent *f,
    const struct import_blind *bl);
/* The page, with what became of an upload (NULL: none). */
void import_page(struct req *r, const struct upload_outcome *o);
/* The largest file the console imports. */
long long import_max(const struct config *cfg);
/* Why a file over import_max is refused, into buf. */
const char *import_too_large_why(struct req *r, char *buf, size_t size);

#endif
