/* An inbox file rejected (inbox_impl.h): moved to rejected/ with
 * NAME.errors.txt beside it, and told to the caller, which queues the
 * notice to ops; once, even when the daemon is killed in between (SPEC 13).
 * The steps: the name it gets in rejected/ is chosen (the first free of
 * NAME, NAME.1...), its errors are written there, the rejection is
 * recorded (meta "inbox_rejecting": the file's device and inode, its
 * names, what the notice says), the file is moved, and the notice is
 * queued in the transaction that clears the record. A daemon killed
 * before the move finds the file still in the inbox and rejects it again,
 * under the same name (still free); one killed after the move finds the
 * record at its next pass, the file in rejected/ under that name, and
 * tells it then. Only this daemon writes to rejected/.
 *
 * A name is kept whole up to KEPT_MAX bytes: a longer one is cut, ending
 * in "~.csv", so that NAME.errors.txt (and the temporary file it is
 * written to, write_file_atomic) and NAME.1 stay within NAME_MAX; two
 * names cut alike are told apart as any two equal names are. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "inbox_impl.h"
#include "vigie/inbox.h"
#include "vigie/log.h"
#include "vigie/text.h"
#include "vigie/xalloc.h"

#define KEPT_MAX 200
#define CUT_END "~.csv"
#define KEY "inbox_rejecting"

/* The name a file named name gets in a folder as its i-th choice: name,
 * name.1, name.2..., cut to KEPT_MAX bytes (at a character's start). */
static char *kept_name(const char *name, int i)
{
	char sfx[16] = "";
	size_t n = strlen(name), room, keep;

	if (i)
		snprintf(sfx, sizeof(sfx), ".%d", i);
	room = KEPT_MAX - strlen(sfx);
	if (n <= room)
		return xasprintf("%s%s", name, sfx);
	keep = room - strlen(CUT_END);
	while (keep > 0 && ((unsigned char)name[keep] & 0xC0) == 0x80)
		keep--;
	return xasprintf("%.*s" CUT_END "%s", (int)keep, name, sfx);
}

/* rename(src, dst) unless dst exists (errno EEXIST). */
static int rename_noreplace(const char *src, const char *dst)
{
	int rc = renameat2(AT_FDCWD, src, AT_FDCWD, dst, RENAME_NOREPLACE);

	if (rc != 0 && (errno == EINVAL || errno == ENOSYS)) {
		/* A file system without RENAME_NOREPLACE: check, then rename
		 * (only this daemon writes there). */
		if (access(dst, F_OK) == 0) {
			errno = EEXIST;
			return -1;
		}
		rc = rename(src, dst);
	}
	return rc;
}

int inbox_move_noreplace(const char *src, const char *dir, const char *name,
    char **final)
{
	*final = NULL;
	for (int i = 0; i < 1000; i++) {
		char *fname = kept_name(name, i), *dst = inbox_path(dir, fname, NULL);
		int rc = rename_noreplace(src, dst);

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

/* The first name free in dir for a file named name (caller frees); NULL
 * when there is none (errno EEXIST). */
static char *free_name(const char *dir, const char *name)
{
	for (int i = 0; i < 1000; i++) {
		char *fname = kept_name(name, i), *path = inbox_path(dir, fname, NULL);
		struct stat sb;
		bool taken = lstat(path, &sb) == 0 || errno != ENOENT;

		free(path);
		if (!taken)
			return fname;
		free(fname);
	}
	errno = EEXIST;
	return NULL;
}

/* A rejection, as recorded before its file is moved. */
struct rejecting {
	unsigned long long dev, ino;	/* the file's, kept by the move */
	const char *name;	/* in the inbox */
	const char *final;	/* in rejected/; NULL: none free */
	const char *why;	/* not read: what it is; else NULL */
	size_t nerrors;
	int line, col;
	bool errors;		/* final.errors.txt written */
};

/* Records x, before its file is moved. 0 or -1. Names hold no '/'. */
static int record(struct ctx *c, const struct rejecting *x)
{
	char *v = xasprintf("%llu %llu %zu %d %d %d/%s/%s/%s", x->dev, x->ino,
	    x->nerrors, x->line, x->col, (int)x->errors, x->name, x->final,
	    x->why ? x->why : "");
	int rc = store_meta_set(c->st, KEY, v);

	free(v);
	return rc;
}

/* Reads what record wrote (v is cut in pieces). */
static bool parse(char *v, struct rejecting *x)
{
	char *name = strchr(v, '/'), *final, *why;
	int errors;

	if (!name || sscanf(v, "%llu %llu %zu %d %d %d", &x->dev, &x->ino,
	    &x->nerrors, &x->line, &x->col, &errors) != 6)
		return false;
	*name++ = '\0';
	if (!(final = strchr(name, '/')))
		return false;
	*final++ = '\0';
	if (!(why = strchr(final, '/')))
		return false;
	*why++ = '\0';
	x->name = name;
	x->final = final;
	x->why = *why ? why : NULL;
	x->errors = errors != 0;
	return *name && *final;
}

int inbox_rejection_told(struct store *st)
{
	return store_meta_set(st, KEY, "");
}

/* Tells the caller of x, its file in dir (NULL: not moved). */
static void tell(struct ctx *c, const struct rejecting *x, const char *dir)
{
	char *shown = text_escape(x->name),
	    *final = text_escape(x->final ? x->final : x->name);
	struct inbox_rejection r = { .name = shown, .final = final, .dir = dir,
	    .errors = x->errors, .why = x->why, .nerrors = x->nerrors,
	    .line = x->line, .col = x->col };

	if (c->cfg->rejected && c->cfg->rejected(c->cfg->arg, &r) != 0)
		log_err("%s: its rejection is told at the next cycle", shown);
	free(final);
	free(shown);
}

void inbox_reject(struct ctx *c, const struct file *f, const char *why,
    const struct diags *d)
{
	char *rejdir = inbox_path(c->cfg->dir, "rejected", NULL), *final, *text,
	    *dst = NULL;
	struct rejecting x = { .name = f->name, .why = why };
	struct stat sb;

	if (why)
		text = xasprintf("%s: error: %s\n", f->shown, why);
	else
		text = d->n ? diags_to_string(d, CSV_MAX_ERRORS) : xstrdup("unknown error\n");
	if (!why && d->n) {
		x.nerrors = d->n;
		x.line = d->v[0].line;
		x.col = d->v[0].col;
	}
	c->rep->rejected++;
	if (lstat(f->path, &sb) == 0) {
		x.dev = (unsigned long long)sb.st_dev;
		x.ino = (unsigned long long)sb.st_ino;
	}
	x.final = final = free_name(rejdir, f->name);
	if (final) {
		x.errors = inbox_write_beside(rejdir, final, "errors.txt", text) == 0;
		if (c->cfg->rejected && record(c, &x) != 0) {
			log_err("%s: rejected, but cannot record it: %s; it stays in the "
			    "inbox and is rejected again at the next cycle", f->shown,
			    store_errmsg(c->st));
			goto out;
		}
		dst = inbox_path(rejdir, final, NULL);
	}
	if (!final || rename_noreplace(f->path, dst) != 0) {
		log_err("%s: rejected, but cannot move it to %s: %s", f->shown, rejdir,
		    strerror(errno));
		tell(c, &x, NULL);
	} else {
		char *shown_final = text_escape(final);

		if (x.errors)
			log_err("%s rejected, nothing imported; moved to %s/%s with the "
			    "errors in %s.errors.txt:\n%s", f->shown, rejdir, shown_final,
			    shown_final, text);
		else
			log_err("%s rejected, nothing imported; moved to %s/%s (its "
			    "errors could not be written beside it):\n%s", f->shown,
			    rejdir, shown_final, text);
		free(shown_final);
		tell(c, &x, rejdir);
	}
out:
	free(dst);
	free(final);
	free(text);
	free(rejdir);
}

void inbox_reject_recover(struct ctx *c)
{
	struct rejecting x = { 0 };
	char *v = NULL, *rejdir = NULL, *dst = NULL, *shown, *shown_final;
	struct stat sb;
	int r = store_meta_get(c->st, KEY, &v);

	if (r < 0)
		log_err("cannot read the database: %s", store_errmsg(c->st));
	if (r != 0 || !*v)
		goto out;
	if (!parse(v, &x)) {
		log_err("a rejection recorded before the daemon stopped cannot be "
		    "read; forgotten");
		inbox_rejection_told(c->st);
		goto out;
	}
	rejdir = inbox_path(c->cfg->dir, "rejected", NULL);
	dst = inbox_path(rejdir, x.final, NULL);
	if (lstat(dst, &sb) != 0 || (unsigned long long)sb.st_dev != x.dev ||
	    (unsigned long long)sb.st_ino != x.ino) {
		/* Not moved: it is in the inbox still, rejected again by this
		 * pass, or was removed. */
		if (inbox_rejection_told(c->st) != 0)
			log_err("cannot write to the database: %s", store_errmsg(c->st));
		goto out;
	}
	shown = text_escape(x.name);
	shown_final = text_escape(x.final);
	log_info("%s: rejected and moved to %s/%s before the daemon stopped, "
	    "not told: told now", shown, rejdir, shown_final);
	free(shown_final);
	free(shown);
	c->rep->rejected++;
	tell(c, &x, rejdir);
out:
	free(dst);
	free(rejdir);
	free(v);
}
