/* Pull sources' state (include/vigie/store_sources.h). */
#include <stdlib.h>
#include <string.h>
#include "store_impl.h"
#include "vigie/store_sources.h"

int store_source_get(struct store *st, const char *name, struct source_state *s)
{
	sqlite3_stmt *q = db_prepare(st, "SELECT etag, last_modified, hash, last_run,"
	    " last_success, last_error_at, next_run, last_error FROM source_state"
	    " WHERE name = ?");
	int rc;

	memset(s, 0, sizeof(*s));
	if (!q)
		return -1;
	db_bind_text(q, 1, name);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*s = (struct source_state){
			.found = true,
			.etag = db_col_dup(q, 0),
			.last_modified = db_col_dup(q, 1),
			.hash = db_col_dup(q, 2),
			.last_run = sqlite3_column_int64(q, 3),
			.last_success = sqlite3_column_int64(q, 4),
			.last_error_at = sqlite3_column_int64(q, 5),
			.next_run = sqlite3_column_int64(q, 6),
			.last_error = db_col_dup(q, 7),
		};
	sqlite3_finalize(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

void store_source_state_clear(struct source_state *s)
{
	free(s->etag);
	free(s->last_modified);
	free(s->hash);
	free(s->last_error);
	memset(s, 0, sizeof(*s));
}

int store_source_ok(struct store *st, const char *name, int64_t now,
    const char *etag, const char *last_modified, const char *hash,
    int64_t next_run)
{
	sqlite3_stmt *q = db_prepare(st,
	    "INSERT INTO source_state(name, etag, last_modified, hash, last_run,"
	    " last_success, last_error, last_error_at, next_run)"
	    " VALUES(?1, ?2, ?3, ?4, ?5, ?5, NULL, NULL, ?6)"
	    " ON CONFLICT(name) DO UPDATE SET etag = ?2, last_modified = ?3,"
	    " hash = ?4, last_run = ?5, last_success = ?5, last_error = NULL,"
	    " last_error_at = NULL, next_run = ?6");

	if (!q)
		return -1;
	db_bind_text(q, 1, name);
	db_bind_text(q, 2, etag);
	db_bind_text(q, 3, last_modified);
	db_bind_text(q, 4, hash);
	sqlite3_bind_int64(q, 5, now);
	sqlite3_bind_int64(q, 6, next_run);
	return db_step_done(q);
}

int store_source_failed(struct store *st, const char *name, int64_t now,
    const char *error, int64_t next_run)
{
	sqlite3_stmt *q = db_prepare(st,
	    "INSERT INTO source_state(name, last_run, last_error, last_error_at, next_run)"
	    " VALUES(?1, ?2, ?3, ?2, ?4)"
	    " ON CONFLICT(name) DO UPDATE SET last_run = ?2, last_error = ?3,"
	    " last_error_at = ?2, next_run = ?4");

	if (!q)
		return -1;
	db_bind_text(q, 1, name);
	sqlite3_bind_int64(q, 2, now);
	db_bind_text(q, 3, error);
	sqlite3_bind_int64(q, 4, next_run);
	return db_step_done(q);
}
