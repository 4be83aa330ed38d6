/* What `vigie status` and the console read of the outbox's health
 * (include/vigie/store_outbox.h): the newest failure not made good since,
 * and whether email as a whole has stopped going out. */
#include <stdlib.h>
#include <string.h>
#include "store_impl.h"
#include "vigie/store_outbox.h"
#include "vigie/xalloc.h"

int store_outbox_last_error(struct store *st, struct outbox_error *e)
{
	/* The newest failed attempt of a message not delivered since. */
	sqlite3_stmt *q = db_prepare(st, "SELECT m.channel, m.target, m.status,"
	    " COALESCE(m.last_error, a.error), a.at, m.failed_config IS NOT NULL"
	    " FROM attempt a JOIN message m ON m.id = a.message"
	    " WHERE a.ok = 0 AND m.status IN ('pending', 'failed') ORDER BY a.id DESC LIMIT 1");
	int rc;

	memset(e, 0, sizeof(*e));
	if (!q)
		return -1;
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		e->channel = xstrdup(db_col_text(q, 0));
		e->target = xstrdup(db_col_text(q, 1));
		e->status = xstrdup(db_col_text(q, 2));
		e->error = xstrdup(db_col_text(q, 3));
		e->at = sqlite3_column_int64(q, 4);
		e->held = sqlite3_column_int(q, 5) != 0;
	}
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

/* COL of the newest email that was tried (COND "attempts > 0") or went
 * ("+status = 'sent'"): read from the newest row back, and found near it
 * (the + keeps SQLite from reading every sent message by its index). */
#define LAST_EMAIL(col, cond) "(SELECT " col " FROM message WHERE channel = 'email'" \
	" AND " cond " ORDER BY id DESC LIMIT 1)"

int store_outbox_mail_failing(struct store *st, int64_t *since)
{
	/* A cycle's messages are written together, with increasing ids: an
	 * email of the last tried cycle went iff the last one that went is of
	 * that cycle. */
	sqlite3_stmt *q = db_prepare(st, "SELECT " LAST_EMAIL("cycle", "attempts > 0") ", "
	    LAST_EMAIL("cycle", "+status = 'sent'") ", (SELECT min(created_at) FROM message"
	    " WHERE channel = 'email' AND id > coalesce("
	    LAST_EMAIL("id", "+status = 'sent'") ", 0))");
	int rc, failing = 0;

	*since = 0;
	if (!q)
		return -1;
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL &&
	    (sqlite3_column_type(q, 1) == SQLITE_NULL ||
	    sqlite3_column_int64(q, 1) != sqlite3_column_int64(q, 0))) {
		failing = 1;
		*since = sqlite3_column_int64(q, 2);
	}
	sqlite3_finalize(q);
	return rc != SQLITE_ROW ? -1 : failing;
}

void store_outbox_error_free(struct outbox_error *e)
{
	free(e->channel);
	free(e->target);
	free(e->status);
	free(e->error);
	memset(e, 0, sizeof(*e));
}
