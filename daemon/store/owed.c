/* What the catch-up reads and writes (include/vigie/store_outbox.h;
 * daemon/catchup.c decides): the active alerts with their latest notifying
 * event, whether an address was ever given an event of an alert's current
 * episode, the item that sends it one now, and the silences in force; and
 * whether an alert is active, which an inhibition asks (rules/inhibit.c). */
#include <stdlib.h>
#include "store_impl.h"
#include "vigie/store_alerts.h"
#include "vigie/store_outbox.h"

int store_owed_each(struct store *st, int (*fn)(const struct owed_alert *a, void *arg),
    void *arg)
{
	/* The episode starts at the alert's latest firing; its latest
	 * notifying event is what a digest shows of it (store_context_notices
	 * makes the same choice). Held: a silence held that event and did not
	 * release it (release.c will, to today's recipients). */
	sqlite3_stmt *q = db_prepare(st, "SELECT a.id, a.rule, a.unit, a.period, e.id,"
	    " e.silenced = 1 AND e.released_at IS NULL,"
	    " (SELECT max(id) FROM event WHERE alert = a.id AND kind = 'firing')"
	    " FROM alert a JOIN event e ON e.id = (SELECT max(id) FROM event"
	    "  WHERE alert = a.id AND kind IN ('firing', 'escalated', 'deescalated', 'reminder'))"
	    " WHERE a.active = 1 ORDER BY a.id");
	int rc;

	if (!q)
		return -1;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct owed_alert a = {
			.alert = sqlite3_column_int64(q, 0),
			.rule = db_col_text(q, 1), .unit = db_col_text(q, 2),
			.period = db_col_period(q, 3), .event = sqlite3_column_int64(q, 4),
			.held = sqlite3_column_int(q, 5) != 0,
			.episode = sqlite3_column_int64(q, 6),
		};

		if (fn(&a, arg) != 0) {
			sqlite3_finalize(q);
			return -1;
		}
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : -1;
}

int store_owed_told(struct store *st, const struct owed_alert *a, const char *channel,
    const char *target)
{
	/* Told: a message to the target carries an event of the episode,
	 * whatever its status (pending: it will go; sent; failed: it was
	 * tried for 48 hours, and failing is logged), but one set aside
	 * (readdressed: never sent there). Retention keeps these messages
	 * while the alert is active (retention.c). An address is one
	 * mailbox whatever its capitals (Claire@ and claire@). */
	sqlite3_stmt *q = db_prepare(st, "SELECT 1 FROM event e"
	    " JOIN message_item i ON i.event = e.id JOIN message m ON m.id = i.message"
	    " WHERE e.alert = ?1 AND e.id >= ?2 AND m.channel = ?4"
	    " AND (m.target = ?3 OR (?4 = 'email' AND m.target = ?3 COLLATE NOCASE))"
	    " AND m.status <> 'readdressed' LIMIT 1");
	int rc;

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, a->alert);
	sqlite3_bind_int64(q, 2, a->episode);
	db_bind_text(q, 3, target);
	db_bind_text(q, 4, channel);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int store_silences_in_force(struct store *st, char **key)
{
	sqlite3_stmt *q = db_prepare(st, "SELECT group_concat(id) FROM (SELECT id"
	    " FROM silence WHERE removed_at IS NULL AND until_period >= ?1 ORDER BY id)");
	int rc;

	*key = NULL;
	if (!q)
		return -1;
	db_bind_period(q, 1, store_latest_period(st));
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*key = db_col_dup(q, 0);
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 0 : -1;
}

bool store_alert_active(const char *rule, const char *unit, void *arg)
{
	struct store *st = arg;
	sqlite3_stmt *q = db_prepare(st, "SELECT 1 FROM alert"
	    " WHERE rule = ?1 AND unit = ?2 AND active = 1");
	bool yes;

	if (!q)
		return false;
	db_bind_text(q, 1, rule);
	db_bind_text(q, 2, unit);
	yes = sqlite3_step(q) == SQLITE_ROW;
	sqlite3_finalize(q);
	return yes;
}
