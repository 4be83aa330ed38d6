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
	struct diags errors;		/* the reader's */
	struct diags scope;		/* units outside the user's scopes */
	struct diags warnings;
	struct import_stats s;
	struct import_batch b;
	bool dry;			/* checked only, as --dry-run */
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

/* The page, with what became of an upload (NULL: none). */
void import_page(struct req *r, const struct upload_outcome *o);
/* The largest file the console imports. */
long long import_max(const struct config *cfg);
/* Why a file over import_max is refused, into buf. */
const char *import_too_large_why(struct req *r, char *buf, size_t size);

#endif
