/* The inbox (include/vigie/inbox.h). Only regular files are read: a name is
 * looked at with lstat first, so a symbolic link, a FIFO or a device is
 * rejected without being opened (a link to a secret would otherwise be
 * read, and its content quoted in the errors), then opened with O_NOFOLLOW
 * and O_NONBLOCK and checked again with fstat, so that a file swapped in
 * between is refused too. A file larger than max_import_size is refused
 * unread. A file whose content changed during the last 2 seconds may still
 * be being written (a writer copying straight into the inbox): it is
 * watched until its last change is 2 seconds old, then taken if it did not
 * change meanwhile, else left for the next cycle (settling(), settled()); a
 * file that changes while it is read is left too. A file is read whole, validated by the CSV reader and imported in
 * one transaction, then moved. A file whose content is that of the latest
 * import, under its name, with nothing imported or deleted since (a crash
 * between the commit and the move) is only moved, not imported again; so
 * is the very file left in the inbox after its import when processed/
 * cannot be written, so that a correction made since with `vigie import`
 * stays. The same content sent again after other values came (an earlier
 * version, another file, `vigie import`, `vigie delete`) is a correction
 * itself, imported. Moves never overwrite: a
 * second bad.csv becomes bad.csv.1 (a long name is cut: inboxreject.c,
 * which also rejects a file). Names are shown escaped (text_escape):
 * they come from whoever writes to the inbox. The files taken in one pass
 * are one import for the missing-headcount warning, as the files of one
 * `vigie import` are: a team's figures and their headcount dropped in
 * together, in either order, are not warned about (the warnings are told
 * at the end of the pass: inboxwarn.c). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "inbox_impl.h"
#include "vigie/csv.h"
#include "vigie/importcheck.h"
#include "vigie/fileio.h"
#include "vigie/inbox.h"
#include "vigie/log.h"
#include "vigie/osuser.h"
#include "vigie/progress.h"
#include "vigie/text.h"
#include "vigie/xalloc.h"

/* A file younger than this (its last change) may still be being written. */
#define SETTLE_NS 2000000000LL

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* What a file that is not a regular one is. */
static const char *kind_of(mode_t m)
{
	if (S_ISLNK(m))
		return "a symbolic link";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "a device";
	if (S_ISDIR(m))
		return "a folder";
	if (S_ISSOCK(m))
		return "a socket";
	return "not a regular file";
}

static int64_t mtime_ns(const struct stat *sb)
{
	return (int64_t)sb->st_mtim.tv_sec * 1000000000LL + sb->st_mtim.tv_nsec;
}

/* Maybe still being written: its content changed during the last
 * SETTLE_NS and nothing happened to it since. A write sets the
 * modification and the change times to the same instant; a rename (or
 * chmod, or the times that cp -p and mv copy at the end) moves the change
 * time alone, so a file written elsewhere and renamed in is taken at once
 * (SPEC 8: within 2 s), as is one the daemon saw renamed in. */
static bool settling(const struct ctx *c, const char *name, const struct stat *sb)
{
	int64_t age = c->now_ns - mtime_ns(sb);
	int64_t ctime = (int64_t)sb->st_ctim.tv_sec * 1000000000LL + sb->st_ctim.tv_nsec;

	if (!(age < SETTLE_NS && age > -SETTLE_NS) || ctime > mtime_ns(sb))
		return false;
	/* Renamed within the clock's tick of its last write: the times are
	 * equal, but the daemon saw the rename. */
	for (size_t i = 0; i < c->cfg->nrenamed; i++)
		if (!strcmp(c->cfg->renamed[i], name))
			return false;
	return true;
}

/* Watches a file that may still be written until its last change is
 * SETTLE_NS old (at most that long), feeding the watchdog: true when it did
 * not change meanwhile (a copy that just ended: taken now, not a cycle
 * later), false when it did (a writer at work: left for the next cycle). */
static bool settled(struct ctx *c, const struct file *f, const struct stat *sb)
{
	for (;;) {
		struct timespec ts;
		struct stat now;
		int64_t left;

		clock_gettime(CLOCK_REALTIME, &ts);
		c->now_ns = (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
		left = mtime_ns(sb) + SETTLE_NS - c->now_ns;
		if (left <= 0 || left > SETTLE_NS)
			return true;
		progress_tick();
		usleep((useconds_t)((left < 100000000LL ? left : 100000000LL) / 1000));
		if (lstat(f->path, &now) != 0 || now.st_ino != sb->st_ino ||
		    now.st_dev != sb->st_dev || now.st_size != sb->st_size ||
		    mtime_ns(&now) != mtime_ns(sb))
			return false;
	}
}

/* Opens f as a regular file without following a link or blocking on a
 * FIFO: the descriptor, or -1 with *why set when the file must be
 * rejected unread, or -1 with *why NULL when it is gone or left for later
 * (*later set) or cannot be opened (logged). */
static int open_regular(struct ctx *c, const struct file *f, struct stat *sb,
    char **why, bool *later)
{
	struct stat fsb;
	int fd;

	*why = NULL;
	*later = false;
	if (lstat(f->path, sb) != 0) {
		if (errno != ENOENT)
			log_err("cannot look at %s in the inbox: %s", f->shown,
			    strerror(errno));
		return -1;
	}
	if (!S_ISREG(sb->st_mode)) {
		*why = xasprintf("%s, not a regular file: only regular files are read "
		    "from the inbox (write the file there, or rename it in)",
		    kind_of(sb->st_mode));
		return -1;
	}
	if (settling(c, f->name, sb) && !settled(c, f, sb)) {
		*later = true;
		return -1;
	}
	if (sb->st_size > c->cfg->max_size) {
		*why = xasprintf("%lld bytes, larger than max_import_size (%lld bytes): "
		    "split the file or raise max_import_size", (long long)sb->st_size,
		    c->cfg->max_size);
		return -1;
	}
	fd = open(f->path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ELOOP) {
			*why = xstrdup("a symbolic link, not a regular file: only regular "
			    "files are read from the inbox");
		} else if (errno == EACCES || errno == EPERM) {
			/* Written by another user (an SFTP or rsync job): it
			 * would stay there, tried every cycle, said nowhere. */
			const char *err = strerror(errno);
			char *me = osuser_uid_name(geteuid()), *owner = osuser_uid_name(sb->st_uid);

			*why = xasprintf("cannot be read by %s, the user vigied runs as (%s; "
			    "the file is %s's, mode %04o): make it readable by that user "
			    "(its group, mode 0640) and drop it in again", me, err, owner,
			    (unsigned)(sb->st_mode & 07777));
			free(me);
			free(owner);
		} else if (errno != ENOENT)
			log_err("cannot open %s in the inbox: %s", f->shown, strerror(errno));
		return -1;
	}
	if (fstat(fd, &fsb) != 0 || !S_ISREG(fsb.st_mode) ||
	    fsb.st_dev != sb->st_dev || fsb.st_ino != sb->st_ino) {
		/* Swapped between lstat and open: look again next time. */
		close(fd);
		*later = true;
		return -1;
	}
	return fd;
}

/* A file imported but left in the inbox (processed/ could not be used)
 * is found there again at the next cycles: the very same file, whose
 * identity (device, inode, change time, content) is kept in meta
 * "inbox_left/NAME" until it is moved. A rename or a write gives another
 * change time: a file sent again is not that file. */
static char *file_identity(const struct stat *sb, const char *sha)
{
	return xasprintf("%llu:%llu:%lld:%s", (unsigned long long)sb->st_dev,
	    (unsigned long long)sb->st_ino, (long long)sb->st_ctim.tv_sec *
	    1000000000LL + sb->st_ctim.tv_nsec, sha);
}

/* Copies src's messages and count to the end of dst. */
static void diags_append(struct diags *dst, const struct diags *src)
{
	for (size_t i = 0; i < src->n; i++)
		diags_add(dst, src->v[i].file, src->v[i].line, src->v[i].col, "%s",
		    src->v[i].msg);
	dst->more += src->more;
}

/* Imports b and records with it, in its transaction, the warnings it has
 * so far (logged, in the console's language; warned: there are some),
 * those of the month's headcounts and indicators too (*again: some, which
 * a later file of the pass may bring), marked untold: told at the end of
 * the pass (inboxwarn.c), or at the next one if the daemon is killed
 * before. 0, or -1 said in the log (the file stays in the inbox). */
static int import_file(struct ctx *c, const struct file *f, const char *sha,
    const char *owner, const struct import_batch *b, const struct diags *logged,
    bool warned, struct import_stats *stats, bool *again)
{
	struct diags hcl = { .fr = c->cfg->fr }, hc = { .also = &hcl },
	    all = { 0 };
	char *err;

	if (store_begin(c->st) != 0 || store_import(c->st, f->name,
	    &(struct import_origin){ owner, "inbox", NULL }, sha, b, stats) != 0)
		goto fail;
	*again = import_check_values(c->st, f->shown, b, NULL, 0, NULL, &hc) > 0;
	diags_append(&all, logged);
	diags_append(&all, &hcl);
	if (((warned || *again) && store_import_untold(c->st, stats->log_id,
	    &all) != 0) || store_commit(c->st) != 0)
		goto fail;
	diags_free(&hc);
	diags_free(&hcl);
	diags_free(&all);
	return 0;
fail:
	err = xstrdup(store_errmsg(c->st));
	store_rollback(c->st);
	log_err("cannot import %s: %s; it stays in the inbox and is retried at "
	    "the next cycle", f->shown, err);
	free(err);
	diags_free(&hc);
	diags_free(&hcl);
	diags_free(&all);
	return -1;
}

/* Imports one inbox file. Returns -1 only on a database error (the file
 * then stays in the inbox for the next cycle). */
static int ingest_one(struct ctx *c, const char *name)
{
	struct file f = { .name = name, .shown = text_escape(name),
	    .path = inbox_path(c->cfg->dir, name, NULL) };
	char *procdir = inbox_path(c->cfg->dir, "processed", NULL);
	char *buf = NULL, *final = NULL, *why = NULL, sha[65], *id = NULL,
	    *left = NULL, *key = xasprintf("inbox_left/%s", name), *owner = NULL;
	size_t len = 0;
	struct import_batch b = { 0 };
	struct diags logged = { .fr = c->cfg->fr }, d = { .no_values = true },
	    w = { .also = &logged }, known = { .also = &logged };
	struct import_stats stats = { 0 };
	struct stat sb, after;
	struct pending *mine = NULL;
	bool later, was_left, again = false, top;
	int rc = 0, seen, fd, r;

	fd = open_regular(c, &f, &sb, &why, &later);
	if (fd < 0) {
		if (why)
			inbox_reject(c, &f, why, NULL);
		else if (later)
			c->rep->deferred++;
		goto out;
	}
	buf = read_fd(fd, (size_t)c->cfg->max_size, &len);
	if (!buf) {
		if (errno == EFBIG)
			why = xasprintf("larger than max_import_size (%lld bytes): split "
			    "the file or raise max_import_size", c->cfg->max_size);
		else
			log_err("cannot read %s in the inbox: %s", f.shown, strerror(errno));
		close(fd);
		if (why)
			inbox_reject(c, &f, why, NULL);
		goto out;
	}
	/* Written to while we read: the next cycle reads it whole. */
	if (fstat(fd, &after) != 0 || after.st_size != sb.st_size ||
	    mtime_ns(&after) != mtime_ns(&sb) || (size_t)after.st_size != len) {
		close(fd);
		c->rep->deferred++;
		goto out;
	}
	close(fd);
	sha256_hex(buf, len, sha);
	id = file_identity(&sb, sha);
	seen = store_import_seen(c->st, name, sha);
	if (seen < 0 || (r = store_meta_get(c->st, key, &left)) < 0) {
		rc = -1;
		goto out;
	}
	was_left = r == 0 && *left;
	if (was_left && !strcmp(left, id))
		seen = 1;
	if (!seen) {
		if (csv_parse_warn(f.shown, buf, len, store_granularity(c->st),
		    period_current(store_granularity(c->st), c->now_ns / 1000000000LL),
		    &b, &d, &w) != 0 ||
		    import_check_renamed(c->st, f.shown, &b, &d) > 0) {
			inbox_reject(c, &f, NULL, &d);
			goto out;
		}
		/* Against what is stored before this file (importcheck.h). */
		import_check_names(c->st, f.shown, &b, &known);
		import_check_late(c->st, f.shown, &b, c->cfg->min_headcount, NULL, &known);
		import_check_dominated(c->st, f.shown, &b, c->cfg->min_headcount,
		    c->cfg->dominance, NULL, &known);
		import_check_uncover(c->st, f.shown, &b, c->cfg->min_headcount,
		    c->cfg->dominance, &known);
		import_check_retention(c->st, f.shown, &b, NULL, 0,
		    c->cfg->retention_data, &known);
		owner = osuser_uid_name(sb.st_uid);
		if (import_file(c, &f, sha, owner, &b, &logged, w.n || w.more ||
		    known.n || known.more, &stats, &again) != 0) {
			rc = -1;
			goto out;
		}
		log_info("imported %s: %zu rows, %zu values (%zu new, %zu replaced, "
		    "%zu unchanged)", f.shown, stats.rows, stats.values, stats.added,
		    stats.replaced, stats.unchanged);
		/* Imported all the same: warnings are no errors of SPEC 4, but
		 * HR must hear of them, beside the file (inboxwarn.c). */
		c->rep->imported++;
		/* The pass's latest period so far: its file may be warned of
		 * at the end of the pass (inbox_tell). */
		top = c->backfill_from >= 0 && b.nrecs && b.pmax > c->top_period;
		if (top || again || w.n || w.more || known.n || known.more) {
			c->pend = xreallocarray(c->pend, c->npend + 1, sizeof(*c->pend));
			mine = &c->pend[c->npend++];
			*mine = (struct pending){ .shown = xstrdup(f.shown),
			    .logged = logged, .log_id = stats.log_id };
			logged = (struct diags){ 0 };
			inbox_pending_add(mine, &w);
			inbox_pending_add(mine, &known);
			if (top) {
				c->top = c->npend - 1;
				c->top_period = b.pmax;
				c->top_at = b.ind_at ? b.ind_at[0] :
				    (struct batch_place){ 1, 1 };
			}
			if (again) {
				mine->b = b;
				memset(&b, 0, sizeof(b));
			}
		}
	}
	if (inbox_move_noreplace(f.path, procdir, name, &final) != 0) {
		if (seen)
			log_err("%s: this content was already imported under this name; "
			    "not imported again, but cannot move it to %s: %s; it stays in "
			    "the inbox", f.shown, procdir, strerror(errno));
		else
			log_err("imported %s but cannot move it to %s: %s; it stays in the "
			    "inbox and is not imported again", f.shown, procdir,
			    strerror(errno));
		if (!(was_left && !strcmp(left, id)) &&
		    store_meta_set(c->st, key, id) != 0)
			rc = -1;
	} else {
		if (seen)	/* said once it is so */
			log_info("%s: this content was already imported under this "
			    "name; not imported again, moved to %s", f.shown, procdir);
		if (mine)
			mine->final = xstrdup(final);
		/* Where its warnings go, if a daemon killed before the end
		 * of the pass (this one or an earlier one) has to tell them. */
		if ((mine || seen) && store_import_moved(c->st, name, final) != 0)
			log_err("%s: cannot record its name in %s in the import log: "
			    "%s", f.shown, procdir, store_errmsg(c->st));
		if (was_left && store_meta_set(c->st, key, "") != 0)
			rc = -1;
	}
out:
	import_batch_free(&b);
	diags_free(&d);
	diags_free(&w);
	diags_free(&known);
	diags_free(&logged);
	free(why);
	free(final);
	free(buf);
	free(id);
	free(left);
	free(key);
	free(owner);
	free(procdir);
	free(f.path);
	free(f.shown);
	return rc;
}

/* Whether name is what write_file_atomic leaves of NAME.warnings.txt or
 * NAME.errors.txt when killed before its rename: "….txt.tmpPID". */
static bool left_tmp(const char *name)
{
	const char *t = strstr(name, ".txt.tmp");
	bool warnings, errors;
	size_t digits;

	if (!t)
		return false;
	warnings = t - name >= 9 && !strncmp(t - 9, ".warnings", 9);
	errors = t - name >= 7 && !strncmp(t - 7, ".errors", 7);
	if (!warnings && !errors)
		return false;
	t += strlen(".txt.tmp");
	digits = strspn(t, "0123456789");
	return digits > 0 && t[digits] == '\0';
}

/* The daemon's first pass (the lock held: no other writer) removes what a
 * daemon killed while writing a file's warnings or errors left beside
 * them; the file's own were written again or told then. */
static void sweep_left(const char *top)
{
	static bool swept;

	if (swept)
		return;
	swept = true;
	for (int i = 0; i < 2; i++) {
		char *sub = inbox_path(top, i ? "rejected" : "processed", NULL);
		DIR *dir = opendir(sub);
		struct dirent *de;

		while (dir && (de = readdir(dir)))
			if (left_tmp(de->d_name) && unlinkat(dirfd(dir), de->d_name, 0) == 0)
				log_info("removed %s/%s, left by a daemon stopped while "
				    "writing it", sub, de->d_name);
		if (dir)
			closedir(dir);
		free(sub);
	}
}

int inbox_ingest(struct store *st, const struct inbox_config *cfg,
    struct inbox_report *rep)
{
	struct ctx c = { .st = st, .cfg = cfg, .rep = rep, .top = SIZE_MAX,
	    .top_period = -1, .backfill_from = import_backfill_from(st) };
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	DIR *dir;
	int rc = 0;

	/* A missing inbox is made, as the daemon's watch does (watch.c):
	 * a vigied --once run by a timer has no watch. */
	if (mkdir(cfg->dir, 0750) == 0)
		log_info("created the inbox %s", cfg->dir);
	for (int i = 0; i < 2; i++) {
		char *sub = inbox_path(cfg->dir, i ? "rejected" : "processed", NULL);
		if (mkdir(sub, 0750) != 0 && errno != EEXIST)
			log_err("cannot create %s: %s", sub, strerror(errno));
		free(sub);
	}
	sweep_left(cfg->dir);
	/* A rejection a killed daemon recorded but did not tell. */
	inbox_reject_recover(&c);
	dir = opendir(cfg->dir);
	if (!dir) {
		log_err("cannot read the inbox %s: %s", cfg->dir, strerror(errno));
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
		struct timespec ts;

		progress_tick();
		clock_gettime(CLOCK_REALTIME, &ts);
		c.now_ns = (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
		if (rc == 0 && ingest_one(&c, names[i]) != 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	/* The files of the pass are in: a headcount or an indicator one of
	 * them left missing may have come with a later one. */
	inbox_tell(&c);
	return rc;
}
