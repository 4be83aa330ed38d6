/* What the daemon refuses in the database's own file, read only (store.h,
 * store_check_path): vigied --check says it at the database key rather
 * than the daemon failing at start. */
#include <stdint.h>
#include <sys/stat.h>
#include "store_impl.h"
#include "vigie/schema.h"

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
