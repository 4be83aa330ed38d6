/* Silences (include/vigie/store_silences.h). */
#include <stdlib.h>
#include <string.h>
#include "store_impl.h"
#include "vigie/store_silences.h"
#include "vigie/xalloc.h"

#define SILENCE_COLUMNS "id, rule, unit_glob, until_period, removed_at IS NOT NULL"

static struct silence silence_of(sqlite3_stmt *q)
{
	return (struct silence){
		.id = sqlite3_column_int64(q, 0),
		.rule = xstrdup(db_col_text(q, 1)),
		.unit_glob = xstrdup(db_col_text(q, 2)),
		.until = sqlite3_column_int(q, 3),
		.removed = sqlite3_column_int(q, 4) != 0,
	};
}

static void silence_row(sqlite3_stmt *q, void *elem, void *ctx)
{
	*(struct silence *)elem = silence_of(q);
}

int store_silences_load(struct store *st, struct silence **v, size_t *n)
{
	sqlite3_stmt *q = db_prepare(st, "SELECT " SILENCE_COLUMNS " FROM silence"
	    " WHERE removed_at IS NULL ORDER BY id");

	*v = NULL;
	*n = 0;
	if (!q || db_collect(q, sizeof(**v), silence_row, NULL, (void **)v, n) != 0) {
		store_silences_free(*v, *n);
		*v = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void store_silences_free(struct silence *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].rule);
		free(v[i].unit_glob);
	}
	free(v);
}

static void listing_row(sqlite3_stmt *q, void *elem, void *ctx)
{
	*(struct silence_row *)elem = (struct silence_row){
		.s = silence_of(q),
		.reason = xstrdup(db_col_text(q, 5)),
		.author = db_col_dup(q, 6),
		.created_at = sqlite3_column_int64(q, 7),
		.removed_at = sqlite3_column_int64(q, 8),
	};
}

int store_silences_list(struct store *st, struct silence_row **v, size_t *n)
{
	sqlite3_stmt *q = db_prepare(st, "SELECT " SILENCE_COLUMNS ", reason, author,"
	    " created_at, removed_at FROM silence ORDER BY id");

	*v = NULL;
	*n = 0;
	if (!q || db_collect(q, sizeof(**v), listing_row, NULL, (void **)v, n) != 0) {
		store_silences_list_free(*v, *n);
		*v = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void store_silences_list_free(struct silence_row *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].s.rule);
		free(v[i].s.unit_glob);
		free(v[i].reason);
		free(v[i].author);
	}
	free(v);
}

int store_silence_add(struct store *st, const char *rule, const char *unit_glob,
    int32_t until, const char *reason, const char *author, int64_t now,
    int64_t *id)
{
	sqlite3_stmt *q = db_prepare(st, "INSERT INTO silence(rule, unit_glob,"
	    " until_period, reason, author, created_at) VALUES(?, ?, ?, ?, ?, ?)");

	if (!q)
		return -1;
	db_bind_text(q, 1, rule);
	db_bind_text(q, 2, unit_glob);
	sqlite3_bind_int(q, 3, until);
	db_bind_text(q, 4, reason);
	db_bind_text(q, 5, author);
	sqlite3_bind_int64(q, 6, now);
	if (db_step_done(q) != 0)
		return -1;
	*id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int store_silence_remove(struct store *st, int64_t id, int64_t now)
{
	sqlite3_stmt *q = db_prepare(st, "UPDATE silence SET removed_at = ?"
	    " WHERE id = ? AND removed_at IS NULL");

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, now);
	sqlite3_bind_int64(q, 2, id);
	if (db_step_done(q) != 0)
		return -1;
	return sqlite3_changes(st->db) > 0;
}
