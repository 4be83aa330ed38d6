/* The audit log (include/vigie/store_audit.h). */
#include <stdlib.h>
#include "store_impl.h"
#include "vigie/store_audit.h"

int store_audit_add(struct store *st, const char *actor, const char *via,
    const char *action, const char *object, const char *detail, int64_t now)
{
	sqlite3_stmt *q = db_prepare(st, "INSERT INTO audit(at, actor, via, action,"
	    " object, detail) VALUES(?,?,?,?,?,?)");

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, now);
	db_bind_text(q, 2, actor);
	db_bind_text(q, 3, via);
	db_bind_text(q, 4, action);
	db_bind_text(q, 5, object);
	db_bind_text(q, 6, detail);
	return db_step_done(q);
}

static void audit_row(sqlite3_stmt *q, void *elem, void *ctx)
{
	*(struct audit_entry *)elem = (struct audit_entry){
		.id = sqlite3_column_int64(q, 0),
		.at = sqlite3_column_int64(q, 1),
		.actor = db_col_dup(q, 2),
		.via = db_col_dup(q, 3),
		.action = db_col_dup(q, 4),
		.object = db_col_dup(q, 5),
		.detail = db_col_dup(q, 6),
	};
}

int store_audit_list(struct store *st, int64_t since, struct audit_entry **v,
    size_t *n)
{
	sqlite3_stmt *q = db_prepare(st, "SELECT id, at, actor, via, action, object,"
	    " detail FROM audit WHERE at >= ? ORDER BY at, id");

	*v = NULL;
	*n = 0;
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, since);
	if (db_collect(q, sizeof(**v), audit_row, NULL, (void **)v, n) != 0) {
		store_audit_free(*v, *n);
		*v = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int store_audit_has(struct store *st, const char *actor, const char *via,
    const char *action, const char *object, const char *detail, int64_t since)
{
	sqlite3_stmt *q = db_prepare(st, "SELECT 1 FROM audit WHERE at >= ? AND"
	    " actor = ? AND via = ? AND action = ? AND object IS ? AND detail IS ?"
	    " LIMIT 1");
	int rc;

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, since);
	db_bind_text(q, 2, actor);
	db_bind_text(q, 3, via);
	db_bind_text(q, 4, action);
	db_bind_text(q, 5, object);
	db_bind_text(q, 6, detail);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

void store_audit_free(struct audit_entry *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].actor);
		free(v[i].via);
		free(v[i].action);
		free(v[i].object);
		free(v[i].detail);
	}
	free(v);
}
