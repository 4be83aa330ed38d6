/* Whether this user can run the daemon on a database (include/vigie/store.h):
 * its folder, where vigied creates the database, its lock and SQLite's
 * journal files, and the database itself, which SQLite opens read-only
 * without a word when this user cannot write it, and its mode: a copy
 * restored from a backup may have lost the 0600 it was created with. Read
 * by vigied --check and vigie check (warnings), by vigied at start
 * (refusal of a read-only database, warnings logged). */
#include <errno.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "store_impl.h"
#include "vigie/schema.h"
#include "vigie/store.h"
#include "vigie/xalloc.h"

int store_check_folder(const char *path, char **err)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) :
	    xstrdup(".");
	struct stat sb;
	int rc = 0;

	*err = NULL;
	if (stat(dir, &sb) != 0) {
		rc = errno == ENOENT ? STORE_ENOFOLDER : -1;
		*err = db_msg("the database's folder %s %s: vigied cannot start until "
		    "it exists (systemd's StateDirectory= creates it when the service "
		    "starts)", dir, errno == ENOENT ? "does not exist" : strerror(errno));
	} else if (!S_ISDIR(sb.st_mode)) {
		rc = STORE_ENOTFOLDER;
		*err = db_msg("the database's folder %s is not a folder", dir);
	} else if (access(dir, W_OK | X_OK) != 0) {
		rc = STORE_EFOLDERPERM;
		*err = db_msg("the database's folder %s is not writable by this user (uid "
		    "%ld): %s; vigied creates the database, its lock and journal files "
		    "there, so it must run as a user who can", dir, (long)geteuid(),
		    strerror(errno));
	} else if (access(path, F_OK) == 0 && access(path, R_OK | W_OK) != 0) {
		/* A restored backup owned by root, a copy made read-only: SQLite
		 * would open it read-only without a word. */
		rc = STORE_EFILEPERM;
		*err = db_msg("the database %s is not writable by this user (uid %ld): "
		    "%s; vigied records every cycle, alert and delivery in it, so it "
		    "must run as a user who can (chown the file to that user, chmod "
		    "600)", path, (long)geteuid(), strerror(errno));
	}
	free(dir);
	return rc;
}

int store_check_writable(struct store *st, char **err)
{
	char sql[64];
	bool ro = sqlite3_db_readonly(st->db, "main") == 1;

	*err = NULL;
	if (!ro) {
		/* The file may be writable and its -shm not (left read-only by a
		 * reader of a read-only copy): only a write tells. Rolled back. */
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", schema_version);
		if (db_exec(st->db, "BEGIN IMMEDIATE") != 0 || db_exec(st->db, sql) != 0)
			ro = (sqlite3_extended_errcode(st->db) & 0xff) == SQLITE_READONLY;
		if (sqlite3_get_autocommit(st->db) == 0)
			db_exec(st->db, "ROLLBACK");
	}
	if (!ro)
		return 0;
	*err = db_msg("the database %s is read-only for this user (uid %ld): vigied "
	    "records every cycle, alert and delivery in it; give the user it runs as "
	    "write access to the file, its -wal and -shm files and its folder "
	    "(chown, chmod 600), on a file system mounted read-write", st->path,
	    (long)geteuid());
	return -1;
}

int store_check_private(const char *path, char **err)
{
	struct stat sb;

	*err = NULL;
	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) || !(sb.st_mode & 077))
		return 0;
	*err = db_msg("the database %s is readable by group or others (mode %04o): "
	    "it holds every team's figures and the alerts' notes; run chmod 600 on "
	    "it (a backup restored with cp keeps the backup's mode)", path,
	    (unsigned)(sb.st_mode & 07777));
	return -1;
}
