/* The database's own file: what the daemon refuses in it, read only
 * (store.h, store_check_path: vigied --check says it at the database key
 * rather than the daemon failing at start), a damaged file
 * (store_check_damage), its write-ahead log copied into it after a cycle
 * (store_checkpoint), the upgrade its next start
 * makes (store_upgrade_due), and whether the files a
 * connection opened are still those at their paths (store_check_file). */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "store_impl.h"
#include "vigie/schema.h"
#include "vigie/xalloc.h"

/* SQLite keeps the write-ahead log and the shared memory beside the
 * database for as long as a connection is open (the last one to close
 * removes them): either missing, or another file, while ours is open
 * means someone removed it (a restore done with the programs running),
 * and this connection goes on writing where nobody will read. */
static const char *const file_suffix[3] = { "", "-wal", "-shm" };
static const char *const file_what[3] = { "database file", "write-ahead log",
    "shared memory file" };

/* Whether file i of st is still at its path: 1, or 0 with errno (0 for
 * another file there). */
static int file_ours(const struct store *st, int i)
{
	const struct store_file *f = &st->file[i];
	char path[PATH_MAX + 8];
	struct stat sb;

	snprintf(path, sizeof(path), "%s%s", st->path, file_suffix[i]);
	if (stat(path, &sb) != 0)
		return 0;
	errno = 0;
	return sb.st_dev == f->dev && sb.st_ino == f->ino;
}

int db_file_record(struct store *st)
{
	for (int i = 0; i < 3; i++) {
		char path[PATH_MAX + 8];
		struct stat sb;

		snprintf(path, sizeof(path), "%s%s", st->path, file_suffix[i]);
		if (stat(path, &sb) != 0) {
			if (i == 0)
				return -1;
			continue;	/* not kept by this SQLite: not checked */
		}
		st->file[i] = (struct store_file){ sb.st_dev, sb.st_ino, true };
	}
	return 0;
}

bool db_file_changed(struct store *st)
{
	for (int i = 0; i < 3 && !st->gone; i++)
		st->gone = st->file[i].known && !file_ours(st, i);
	return st->gone;
}

int store_check_file(struct store *st, char **err)
{
	int i = 0, e;

	*err = NULL;
	while (i < 3 && (!st->file[i].known || file_ours(st, i)))
		i++;
	if (i == 3)
		return 0;
	e = errno;
	st->gone = true;
	*err = e == 0 || e == ENOENT ? db_msg("the %s %s%s was %s while in use",
	    file_what[i], st->path, file_suffix[i], e ? "deleted" :
	    "replaced by another file") : db_msg("the %s %s%s cannot be checked "
	    "while in use: %s", file_what[i], st->path, file_suffix[i],
	    strerror(e));
	/* The database replaced or deleted beside a write-ahead log still
	 * ours: the log is emptied into the file it belongs to, or SQLite
	 * would apply it to the new file when it is next opened, and corrupt
	 * it. Not a log that is gone: its pages would go into the file at
	 * the path (a backup copied over in place is the same file), and
	 * undo the restore. */
	if (i == 0 && st->file[1].known && file_ours(st, 1) && store_scrub(st) != 0) {
		char *m = db_msg("%s; its write-ahead log could not be emptied: "
		    "remove %s-wal and %s-shm before starting vigied or vigie-web "
		    "again", *err ? *err : "", st->path, st->path);
		free(*err);
		*err = m;
	}
	return -1;
}

int store_check_path(const char *path, char **err)
{
	struct stat sb;
	sqlite3 *db = NULL;
	int64_t uv = 0;
	int found = 0, rc = 0;

	*err = NULL;
	if (stat(path, &sb) != 0)
		return 0;	/* created at the first start */
	if (S_ISDIR(sb.st_mode)) {
		*err = db_msg("the database %s is a folder: database: names its file "
		    "(%s/vigie.db, say)", path, path);
		return -1;
	}
	/* SQLite keeps a write-ahead log per name: a daemon started on the
	 * other name of a hard link would neither see this one's writes nor
	 * its lock, and send everything again. */
	if (S_ISREG(sb.st_mode) && sb.st_nlink > 1) {
		*err = db_msg("the database %s has %ju names (hard links): a vigied "
		    "started on another name would not see this one, and would import "
		    "and notify everything again; keep one name (a symbolic link is "
		    "safe)", path, (uintmax_t)sb.st_nlink);
		return -1;
	}
	if (!S_ISREG(sb.st_mode) || sb.st_size == 0 ||
	    sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return 0;	/* what store_open says of it is enough */
	}
	if (db_query_int(db, "PRAGMA user_version", &uv, &found) != 0) {
		if (sqlite3_errcode(db) == SQLITE_NOTADB) {
			*err = db_msg("%s is not a SQLite database (a file copied in its "
			    "place?): restore the database there, or name another file",
			    path);
			rc = -1;
		}
	} else if (uv > schema_version) {
		*err = db_msg("database %s has schema version %lld, newer than this "
		    "vigie understands (%d): upgrade vigie", path, (long long)uv,
		    schema_version);
		rc = -1;
	}
	sqlite3_close(db);
	return rc;
}

int store_checkpoint(struct store *st)
{
	int rc = sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_PASSIVE,
	    NULL, NULL);

	return rc == SQLITE_OK ? 0 : -1;
}

int store_check_damage(const char *path, char **err)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;
	char *first = NULL, *line;
	struct stat sb;

	*err = NULL;
	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size == 0 ||
	    sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return 0;	/* store_check_path and store_open say the rest */
	}
	sqlite3_busy_timeout(db, STORE_BUSY_TIMEOUT_MS);
	/* integrity_check, not quick_check: only it compares each index with
	 * its table, which a stale write-ahead log merged into a restored
	 * backup leaves apart; both read every page, at about the same cost
	 * (about a second for 600 MB). "ok", or the first problem. */
	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check(1)", -1, &q, NULL) ==
	    SQLITE_OK && sqlite3_step(q) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(q, 0);

		if (t && strcmp(t, "ok"))
			first = xstrdup(t);
	} else if ((sqlite3_errcode(db) & 0xff) == SQLITE_CORRUPT)
		first = xstrdup(sqlite3_errmsg(db));
	sqlite3_finalize(q);
	sqlite3_close(db);
	if (!first)
		return 0;
	/* SQLite's report starts with "*** in database main ***\n". */
	line = strstr(first, "***\n") ? strstr(first, "***\n") + 4 : first;
	line[strcspn(line, "\n")] = '\0';
	*err = db_msg("the database %s is damaged (SQLite's integrity check: %s): "
	    "stop vigied and vigie-web and restore the last backup made with "
	    "sqlite3 .backup, without the -wal and -shm files beside the damaged "
	    "one (README, \"Backups\")", path, line);
	free(first);
	return -1;
}

const char *store_upgrade_due(const char *path, char *buf, size_t size)
{
	sqlite3 *db = NULL;
	int64_t uv = 0;
	int found = 0;
	struct stat sb;

	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size == 0 ||
	    sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    db_query_int(db, "PRAGMA user_version", &uv, &found) != 0)
		uv = 0;
	sqlite3_close(db);
	if (uv <= 0 || uv >= schema_version)
		return NULL;
	snprintf(buf, size, "database %s: schema version %lld, upgraded to %d at "
	    "the next start (back it up first)", path, (long long)uv, schema_version);
	return buf;
}
