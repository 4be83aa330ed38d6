/* What `vigie retry` needs to readdress a notification whose recipient left
 * the configuration (include/vigie/store_outbox.h; notify/readdress.c
 * decides): the messages it would requeue, the events one carries, whether
 * a target already has an event, and the mark of a message set aside. */
#include <stdlib.h>
#include <string.h>
#include "store_impl.h"
#include "vigie/store_outbox.h"
#include "vigie/xalloc.h"

static void cand_row(sqlite3_stmt *q, void *elem, void *ctx)
{
	*(struct outbox_cand *)elem = (struct outbox_cand){ sqlite3_column_int64(q, 0),
	    sqlite3_column_int64(q, 1), xstrdup(db_col_text(q, 2)),
	    xstrdup(db_col_text(q, 3)) };
}

int store_outbox_retry_candidates(struct store *st, bool failed, int64_t since,
    int64_t now, struct outbox_cand **v, size_t *n)
{
	/* What store_outbox_retry requeues or makes due, but a message whose
	 * receiver has some of its parts, or that a process is sending. */
	sqlite3_stmt *q = db_prepare(st, "SELECT id, cycle, channel, target FROM message"
	    " WHERE created_at >= ?1 AND parts_sent = 0"
	    " AND (status = 'pending' OR (status = 'failed' AND (?2 OR failed_config IS NOT NULL)))"
	    " AND (claimed_by IS NULL OR claimed_until <= ?3) ORDER BY cycle, id");

	*v = NULL;
	*n = 0;
	if (q) {
		sqlite3_bind_int64(q, 1, since);
		sqlite3_bind_int(q, 2, failed);
		sqlite3_bind_int64(q, 3, now);
	}
	if (!q || db_collect(q, sizeof(**v), cand_row, NULL, (void **)v, n) != 0) {
		store_outbox_cand_free(*v, *n);
		*v = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void store_outbox_cand_free(struct outbox_cand *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].channel);
		free(v[i].target);
	}
	free(v);
}

static void item_row(sqlite3_stmt *q, void *elem, void *ctx)
{
	*(struct outbox_item *)elem = (struct outbox_item){ sqlite3_column_int64(q, 0),
	    sqlite3_column_int(q, 1) != 0, xstrdup(db_col_text(q, 2)),
	    xstrdup(db_col_text(q, 3)), xstrdup(db_col_text(q, 4)),
	    sqlite3_column_int(q, 5) != 0 };
}

int store_message_items(struct store *st, int64_t msg, size_t limit,
    struct outbox_item **v, size_t *n)
{
	/* An alert's event is routed by the alert's unit of today: a
	 * rename (vigie rename) moves the alert, its events keep their name. */
	sqlite3_stmt *q = db_prepare(st, "SELECT e.id, e.alert IS NOT NULL, e.kind,"
	    " e.rule, COALESCE(a.unit, e.unit), mi.catchup FROM message_item mi"
	    " JOIN event e ON e.id = mi.event LEFT JOIN alert a ON a.id = e.alert"
	    " WHERE mi.message = ? ORDER BY e.id LIMIT ?");

	*v = NULL;
	*n = 0;
	if (q) {
		sqlite3_bind_int64(q, 1, msg);
		sqlite3_bind_int64(q, 2, limit ? (int64_t)limit : -1);
	}
	if (!q || db_collect(q, sizeof(**v), item_row, NULL, (void **)v, n) != 0) {
		store_message_items_free(*v, *n);
		*v = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void store_message_items_free(struct outbox_item *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].kind);
		free(v[i].rule);
		free(v[i].unit);
	}
	free(v);
}

int store_message_carries(struct store *st, const char *channel, const char *target,
    int64_t event)
{
	sqlite3_stmt *q = db_prepare(st, "SELECT 1 FROM message_item mi JOIN message m"
	    " ON m.id = mi.message WHERE mi.event = ? AND m.channel = ? AND m.target = ?");
	int rc;

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, event);
	db_bind_text(q, 2, channel);
	db_bind_text(q, 3, target);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int store_outbox_set_aside(struct store *st, int64_t msg, int64_t now)
{
	sqlite3_stmt *q = db_prepare(st, "UPDATE message SET status = 'readdressed',"
	    " failed_config = NULL, requeued_at = ?2 WHERE id = ?1");

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, msg);
	sqlite3_bind_int64(q, 2, now);
	return db_step_done(q);
}
