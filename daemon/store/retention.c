/* Retention (include/vigie/store_retention.h): one transaction that trims
 * the packed series (a row keeps its values from the first kept period on,
 * starting with a value, as values.c writes them; units and indicators left
 * without values go), then deletes old delivered or failed messages, then
 * resolved alerts and old events that no kept message carries, then old
 * notes. Counting a series' values looks at the bytes of each slot (a NaN
 * is a gap), so the blobs are trimmed without being decoded. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store_impl.h"
#include "vigie/store_retention.h"

/* Slot i of a packed series (little-endian doubles) holds a value, not the
 * NaN of a gap. */
static bool slot_value(const unsigned char *b, size_t i)
{
	uint64_t x = 0;

	for (int k = 7; k >= 0; k--)
		x = x << 8 | b[8 * i + (size_t)k];
	return ((x >> 52) & 0x7ff) != 0x7ff || (x & ((1ULL << 52) - 1)) == 0;
}

struct row {
	int64_t unit, ind;
	int32_t p0;
	unsigned char *vals;
	size_t n;
};

static void row_read(sqlite3_stmt *q, void *elem, void *ctx)
{
	struct row *r = elem;
	size_t bytes = (size_t)sqlite3_column_bytes(q, 3);

	r->unit = sqlite3_column_int64(q, 0);
	r->ind = sqlite3_column_int64(q, 1);
	r->p0 = sqlite3_column_int(q, 2);
	r->n = bytes / 8;
	r->vals = malloc(bytes ? bytes : 1);
	if (r->vals)
		memcpy(r->vals, sqlite3_column_blob(q, 3), bytes);
	else
		r->n = 0;
}

static int purge_values(struct store *st, int32_t cut, size_t *count)
{
	sqlite3_stmt *q = db_prepare(st, "SELECT unit, indicator, p0, vals FROM"
	    " series WHERE p0 < ?");
	struct row *v = NULL;
	size_t n = 0;
	int rc = -1;
	char buf[16];

	if (!q)
		return -1;
	sqlite3_bind_int(q, 1, cut);
	if (db_collect(q, sizeof(*v), row_read, NULL, (void **)&v, &n) != 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		struct row *r = &v[i];
		size_t k0 = (size_t)(cut - r->p0), f;
		sqlite3_stmt *w;

		for (size_t k = 0; k < k0 && k < r->n; k++)
			*count += slot_value(r->vals, k);
		for (f = k0; f < r->n && !slot_value(r->vals, f); f++)
			;
		if (f >= r->n) {
			w = db_prepare(st, "DELETE FROM series WHERE unit = ? AND"
			    " indicator = ?");
		} else {
			w = db_prepare(st, "UPDATE series SET p0 = ?3, vals = ?4"
			    " WHERE unit = ?1 AND indicator = ?2");
			if (w) {
				sqlite3_bind_int(w, 3, r->p0 + (int32_t)f);
				sqlite3_bind_blob(w, 4, r->vals + 8 * f,
				    (int)(8 * (r->n - f)), SQLITE_STATIC);
			}
		}
		if (!w)
			goto out;
		sqlite3_bind_int64(w, 1, r->unit);
		sqlite3_bind_int64(w, 2, r->ind);
		if (db_step_done(w) != 0)
			goto out;
	}
	if (n && db_drop_unnamed(st->db) != 0)
		goto out;
	/* The cells kept hidden go with their periods' values. */
	sqlite3_stmt *k = db_prepare(st, "DELETE FROM kept_hidden WHERE period < ?");
	if (!k)
		goto out;
	sqlite3_bind_int(k, 1, cut);
	if (db_step_done(k) != 0)
		goto out;
	/* The loader starts at meta('pmin'), which imports only lower. */
	snprintf(buf, sizeof(buf), "%d", (int)cut);
	if (n && db_meta_set(st->db, "pmin", buf) != 0)
		goto out;
	rc = 0;
out:
	for (size_t i = 0; i < n; i++)
		free(v[i].vals);
	free(v);
	return rc;
}

/* Runs one statement binding ?1 to x; adds the rows it changed to *count
 * (when not NULL). */
static int run1(struct store *st, const char *sql, int64_t x, size_t *count)
{
	sqlite3_stmt *q = db_prepare(st, sql);

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, x);
	if (db_step_done(q) != 0)
		return -1;
	if (count)
		*count += (size_t)sqlite3_changes(st->db);
	return 0;
}

/* A message that told an address of an active alert's current episode
 * stays while the alert is active: the catch-up (daemon/catchup.c) reads
 * from it that the address was told, and would tell it again. */
#define OLD_MESSAGES "SELECT id FROM message WHERE status IN ('sent', 'failed', 'readdressed')" \
	" AND created_at < ?1 AND id NOT IN (SELECT i.message FROM alert a" \
	" JOIN event e ON e.alert = a.id JOIN message_item i ON i.event = e.id" \
	" WHERE a.active = 1 AND e.id >= (SELECT max(f.id) FROM event f" \
	" WHERE f.alert = a.id AND f.kind = 'firing'))"
/* Events that a kept message carries stay with their alert. */
#define CARRIED "SELECT event FROM message_item"
#define OLD_ALERTS "SELECT id FROM alert WHERE active = 0 AND period < ?1" \
	" AND id NOT IN (SELECT alert FROM note WHERE alert IS NOT NULL)" \
	" AND id NOT IN (SELECT alert FROM event WHERE alert IS NOT NULL" \
	" AND id IN (" CARRIED "))"

int store_purge(struct store *st, const struct purge_limits *lim,
    struct purge_counts *c)
{
	memset(c, 0, sizeof(*c));
	if (store_begin(st) != 0)
		return -1;
	if (purge_values(st, lim->values_before, &c->values) != 0 ||
	    run1(st, "DELETE FROM attempt WHERE message IN (" OLD_MESSAGES ")",
	    lim->messages_before, NULL) != 0 ||
	    run1(st, "DELETE FROM message_item WHERE message IN (" OLD_MESSAGES ")",
	    lim->messages_before, NULL) != 0 ||
	    run1(st, "DELETE FROM message WHERE id IN (" OLD_MESSAGES ")",
	    lim->messages_before, &c->messages) != 0 ||
	    run1(st, "DELETE FROM event WHERE alert IN (" OLD_ALERTS ")",
	    lim->alerts_before, &c->events) != 0 ||
	    run1(st, "DELETE FROM alert WHERE id IN (" OLD_ALERTS ")",
	    lim->alerts_before, &c->alerts) != 0 ||
	    /* earlier episodes of the alerts kept */
	    run1(st, "DELETE FROM event WHERE alert IS NOT NULL AND period < ?1"
	    " AND period < (SELECT since FROM alert WHERE alert.id = event.alert)"
	    " AND id NOT IN (" CARRIED ")", lim->alerts_before, &c->events) != 0 ||
	    run1(st, "DELETE FROM event WHERE alert IS NULL AND at < ?1"
	    " AND id NOT IN (" CARRIED ")", lim->events_before, &c->events) != 0 ||
	    run1(st, "DELETE FROM note WHERE at < ?1", lim->notes_before,
	    &c->notes) != 0 ||
	    store_commit(st) != 0) {
		db_keep_error(st);
		store_rollback(st);
		memset(c, 0, sizeof(*c));
		return -1;
	}
	return 0;
}
