/* The inbox (include/vigie/inbox.h). A file is read whole, validated by the
 * CSV reader and imported in one transaction, then moved: a crash between
 * the commit and the move is noticed at the next cycle (the newest import
 * is this very file) and the file is only moved. Moves never overwrite: a
 * second bad.csv becomes bad.csv.1. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vigie/csv.h"
#include "vigie/fileio.h"
#include "vigie/inbox.h"
#include "vigie/log.h"
#include "vigie/xalloc.h"

static char *path_join3(const char *a, const char *b, const char *c)
{
	return c ? xasprintf("%s/%s/%s", a, b, c) : xasprintf("%s/%s", a, b);
}

/* Moves src into folder dir under name, or name.1, name.2... when taken:
 * never overwrites. *final (caller frees) is the name used. */
static int move_noreplace(const char *src, const char *dir, const char *name,
    char **final)
{
	*final = NULL;
	for (int i = 0; i < 1000; i++) {
		char *fname = i ? xasprintf("%s.%d", name, i) : xstrdup(name);
		char *dst = path_join3(dir, fname, NULL);
		int rc = renameat2(AT_FDCWD, src, AT_FDCWD, dst, RENAME_NOREPLACE);
		if (rc != 0 && (errno == EINVAL || errno == ENOSYS)) {
			/* A file system without RENAME_NOREPLACE: check, then
			 * rename (only this daemon writes there). */
			if (access(dst, F_OK) == 0) {
				errno = EEXIST;
			} else {
				rc = rename(src, dst);
			}
		}
		free(dst);
		if (rc == 0) {
			*final = fname;
			return 0;
		}
		free(fname);
		if (errno != EEXIST)
			return -1;
	}
	errno = EEXIST;
	return -1;
}

struct ctx {
	struct store *st;
	const char *inbox;
	inbox_rejected_fn *rejected;
	void *arg;
	struct inbox_report *rep;
};

static void reject_file(struct ctx *c, const char *path, const char *name,
    const struct diags *d)
{
	char *rejdir = path_join3(c->inbox, "rejected", NULL);
	char *final = NULL, *errname = NULL, *errpath = NULL, *text;

	text = d->n ? diags_to_string(d, CSV_MAX_ERRORS) : xstrdup("unknown error\n");
	c->rep->rejected++;
	if (!rejdir || move_noreplace(path, rejdir, name, &final) != 0) {
		log_err("%s: rejected, but cannot move it to %s: %s", path,
		    rejdir ? rejdir : "rejected/", strerror(errno));
	} else {
		errname = xasprintf("%s.errors.txt", final);
		errpath = path_join3(rejdir, errname, NULL);
		if (!errpath || write_file_atomic(errpath, text ? text : "", text ? strlen(text) : 0, 0640) != 0)
			log_err("cannot write %s: %s", errpath ? errpath : "errors file",
			    strerror(errno));
		log_err("%s rejected, nothing imported; moved to %s/%s with the errors "
		    "in %s:\n%s", name, rejdir, final, errname ? errname : "?",
		    text ? text : "");
	}
	if (c->rejected)
		c->rejected(c->arg, name, text ? text : "");
	free(text);
	free(errpath);
	free(errname);
	free(final);
	free(rejdir);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Imports one inbox file. Returns -1 only on a database error (the file
 * then stays in the inbox for the next cycle). */
static int ingest_one(struct ctx *c, const char *name)
{
	char *path = path_join3(c->inbox, name, NULL);
	char *procdir = path_join3(c->inbox, "processed", NULL);
	char *buf = NULL, *final = NULL, sha[65];
	size_t len = 0;
	struct import_batch b = { 0 };
	struct diags d = { 0 };
	struct import_stats stats = { 0 };
	struct stat sb;
	int rc = 0, dup;

	if (!path || !procdir || stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
		goto out;
	buf = read_file(path, &len);
	if (!buf) {
		if (errno != ENOENT)
			log_err("cannot read %s: %s", path, strerror(errno));
		goto out;
	}
	sha256_hex(buf, len, sha);
	dup = store_import_is_last(c->st, name, sha);
	if (dup < 0) {
		rc = -1;
		goto out;
	}
	if (!dup) {
		if (csv_parse(name, buf, len, store_granularity(c->st), &b, &d) != 0) {
			reject_file(c, path, name, &d);
			goto out;
		}
		if (store_import(c->st, name, sha, &b, &stats) != 0) {
			log_err("cannot import %s: %s; it stays in the inbox and is "
			    "retried at the next cycle", path, store_errmsg(c->st));
			rc = -1;
			goto out;
		}
		log_info("imported %s: %zu rows, %zu values (%zu new, %zu replaced, "
		    "%zu unchanged)", name, stats.rows, stats.values, stats.added,
		    stats.replaced, stats.unchanged);
		c->rep->imported++;
	}
	if (move_noreplace(path, procdir, name, &final) != 0)
		log_err("imported %s but cannot move it to %s: %s", path, procdir,
		    strerror(errno));
out:
	import_batch_free(&b);
	diags_free(&d);
	free(final);
	free(buf);
	free(procdir);
	free(path);
	return rc;
}

int inbox_ingest(struct store *st, const char *inbox, inbox_rejected_fn *rejected,
    void *arg, struct inbox_report *rep)
{
	struct ctx c = { st, inbox, rejected, arg, rep };
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	DIR *dir;
	int rc = 0;

	for (int i = 0; i < 2; i++) {
		char *sub = path_join3(inbox, i ? "rejected" : "processed", NULL);
		if (sub && mkdir(sub, 0750) != 0 && errno != EEXIST)
			log_err("cannot create %s: %s", sub, strerror(errno));
		free(sub);
	}
	dir = opendir(inbox);
	if (!dir) {
		log_err("cannot read the inbox %s: %s", inbox, strerror(errno));
		return 0;
	}
	while ((de = readdir(dir))) {
		size_t len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len < 5 || strcmp(de->d_name + len - 4, ".csv"))
			continue;
		names = xreallocarray(names, n + 1, sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	closedir(dir);
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n; i++) {
		if (rc == 0 && ingest_one(&c, names[i]) != 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}
