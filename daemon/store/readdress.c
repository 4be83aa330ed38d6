/* Messages whose recipient left the configuration (store_outbox.h): what
 * the cycle's readdress phase reads and marks (daemon/readdress.c). */
#include <stdlib.h>
#include "store_impl.h"
#include "vigie/store_outbox.h"
#include "vigie/xalloc.h"

static void undelivered_row(sqlite3_stmt *q, void *elem, void *ctx)
{
	(void)ctx;
	*(struct outbox_undelivered *)elem = (struct outbox_undelivered){
		sqlite3_column_int64(q, 0), xstrdup(db_col_text(q, 1)),
		xstrdup(db_col_text(q, 2)), xstrdup(db_col_text(q, 3)) };
}

int store_outbox_undelivered(struct store *st, struct outbox_undelivered **v,
    size_t *n)
{
	/* Not one a process is sending, nor one a receiver has parts of. */
	sqlite3_stmt *q = db_prepare(st, "SELECT id, channel, target, role FROM message"
	    " WHERE status = 'pending' AND claimed_by IS NULL AND parts_sent = 0"
	    " ORDER BY id");

	*v = NULL;
	*n = 0;
	if (!q || db_collect(q, sizeof(**v), undelivered_row, NULL, (void **)v, n) != 0) {
		store_outbox_undelivered_free(*v, *n);
		*v = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void store_outbox_undelivered_free(struct outbox_undelivered *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].channel);
		free(v[i].target);
		free(v[i].role);
	}
	free(v);
}

static void item_row(sqlite3_stmt *q, void *elem, void *ctx)
{
	const char *rule = db_col_text(q, 1), *unit = db_col_text(q, 2);

	(void)ctx;
	*(struct message_event *)elem = (struct message_event){
		sqlite3_column_int64(q, 0), sqlite3_column_type(q, 3) == SQLITE_NULL,
		rule ? xstrdup(rule) : NULL, unit ? xstrdup(unit) : NULL };
}

int store_message_events(struct store *st, int64_t msg, struct message_event **v,
    size_t *n)
{
	sqlite3_stmt *q = db_prepare(st, "SELECT e.id, e.rule, e.unit, e.alert"
	    " FROM message_item i JOIN event e ON e.id = i.event"
	    " WHERE i.message = ? ORDER BY e.id");

	*v = NULL;
	*n = 0;
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, msg);
	if (db_collect(q, sizeof(**v), item_row, NULL, (void **)v, n) != 0) {
		store_message_events_free(*v, *n);
		*v = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void store_message_events_free(struct message_event *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].rule);
		free(v[i].unit);
	}
	free(v);
}

int store_message_readdressed(struct store *st, int64_t msg, const char *why)
{
	sqlite3_stmt *q = db_prepare(st, "UPDATE message SET status = 'readdressed',"
	    " last_error = ? WHERE id = ?");

	if (!q)
		return -1;
	db_bind_text(q, 1, why);
	sqlite3_bind_int64(q, 2, msg);
	return db_step_done(q);
}
