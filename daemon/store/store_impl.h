/* Private to daemon/store/, as expr_impl.h is to the expression files: the
 * store handle and the statement helpers every table file shares. Nothing
 * outside this folder includes it, and nothing outside it calls SQLite
 * (`grep -rn sqlite3_ daemon rules include | grep -v daemon/store/` is
 * empty). */
#ifndef VIGIE_STORE_IMPL_H
#define VIGIE_STORE_IMPL_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "vigie/lifecycle.h"
#include "vigie/notice.h"
#include "vigie/store.h"

struct store {
	sqlite3 *db;
	enum granularity gran;
	char *path;
	char *err;		/* message of a failed import, kept across its rollback */
	long busy_ms;		/* how long a statement waits for a lock */
	int64_t busy_t0;	/* when the current wait began (ms, monotonic) */
	/* The files opened, to notice one deleted or replaced (dbfile.c):
	 * the database, and the write-ahead log and shared memory SQLite
	 * keeps beside it for as long as a connection is open. */
	struct store_file {
		dev_t dev;
		ino_t ino;
		bool known;	/* there at the opening */
	} file[3];
	bool gone;		/* one of them was: closed without a checkpoint */
	char owner[96];		/* claims of this process: "host:pid:random" */
	int migrated_from;	/* schema version before this open migrated it;
				   0: created; -1: already current */
};

/* SQL: whether the episode of event T (a table alias of event) was closed
 * with an outcome when T was recorded: the latest closing, correction or
 * reopening of its alert since the episode's firing has an outcome (a
 * reopening has none). 1, 0, or NULL when nothing closed it. */
#define DB_CLOSED_AT(T) "(SELECT c.outcome IS NOT NULL FROM event c" \
	" WHERE c.alert = " T ".alert AND c.id < " T ".id" \
	" AND c.kind IN ('closed', 'corrected', 'reopened')" \
	" AND c.id > COALESCE((SELECT max(f.id) FROM event f WHERE f.alert = " T ".alert" \
	" AND f.id < " T ".id AND f.kind = 'firing'), 0)" \
	" ORDER BY c.id DESC LIMIT 1)"
/* SQL: the rule whose alert held event T (a table alias of event) for its
 * recipients (inhibited_by), or NULL. A resolution recorded as held
 * because its episode's firing was held by such an alert and never
 * released (evaluate.c: it owes nobody anything) names that alert too, so
 * that the history and the console do not call it a silence. */
#define DB_HELD_BY(T) "ifnull(" T ".inhibited_by, CASE WHEN " T ".kind = 'resolved'" \
	" AND " T ".silenced = 1 AND " T ".released_at IS NULL THEN (SELECT f.inhibited_by" \
	" FROM event f WHERE f.alert = " T ".alert AND f.id < " T ".id AND f.kind = 'firing'" \
	" AND f.silenced = 1 AND f.released_at IS NULL ORDER BY f.id DESC LIMIT 1) END)"
/* SQL: whether event T is an improvement that digests do not carry: a
 * deescalation of an alert closed meanwhile (store_event_unmailed). */
#define DB_UNMAILED(T) "(" T ".kind = 'deescalated' AND ifnull(" DB_CLOSED_AT(T) ", 0))"

/* A new message (caller frees); NULL only if formatting fails. */
char *db_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* SQLite's message for db's last error, with the system's reason when
 * the operating system failed it ("disk I/O error (No space left on
 * device)"): valid until the thread's next call. */
const char *db_errmsg(sqlite3 *db);
/* Keeps SQLite's current error message for store_errmsg across a rollback
 * (cleared by store_begin). */
void db_keep_error(struct store *st);
/* Runs SQL without results; 0 or -1. */
int db_exec(sqlite3 *db, const char *sql);
/* A prepared statement, or NULL (the error is in sqlite3_errmsg). */
sqlite3_stmt *db_prepare(struct store *st, const char *sql);
/* Steps q to completion and finalizes it; 0 when done, -1 otherwise. */
int db_step_done(sqlite3_stmt *q);
/* Binds that store "none" as NULL: a NULL string, a NAN, a period < 0. */
void db_bind_text(sqlite3_stmt *q, int i, const char *s);
void db_bind_real(sqlite3_stmt *q, int i, double v);
void db_bind_period(sqlite3_stmt *q, int i, int32_t p);
/* Column readers that map NULL back: a new string (caller frees) or NULL,
 * NAN, -1. */
char *db_col_dup(sqlite3_stmt *q, int i);
double db_col_real(sqlite3_stmt *q, int i);
int32_t db_col_period(sqlite3_stmt *q, int i);
/* An outcome column ('action_taken', ...): OUTCOME_NONE for NULL or an
 * unknown name. */
enum outcome db_col_outcome(sqlite3_stmt *q, int i);
/* The column's text, "" for NULL; valid until the next step. */
const char *db_col_text(sqlite3_stmt *q, int i);
/* Steps q to its end and finalizes it, filling one element of size bytes
 * per row with row(q, elem, ctx) into a growing array: *v and *n (caller
 * frees the array, and the elements' contents with its own free function,
 * also after a failure). 0, or -1 when a step failed. A store_* list
 * function built on it frees what it collected on a failure and leaves its
 * out-parameters NULL and 0: its caller frees only after a success, and a
 * free after the failure is harmless (a damaged database fails a query
 * halfway through its rows). */
int db_collect(sqlite3_stmt *q, size_t size,
    void (*row)(sqlite3_stmt *q, void *elem, void *ctx), void *ctx,
    void **v, size_t *n);
/* One integer from a query without parameters; *found = 0 on NULL/no row.
 * 0 or -1. */
int db_query_int(sqlite3 *db, const char *sql, int64_t *out, int *found);
/* meta(key, value): 0 found (new string in *value), 1 absent, -1 error. */
int db_meta_get(sqlite3 *db, const char *key, char **value);
int db_meta_set(sqlite3 *db, const char *key, const char *value);

/* Records the files store_open opened (store.h, store_check_file): 0,
 * or -1 with errno when the database itself cannot be looked at. */
int db_file_record(struct store *st);
/* Whether one of them is no longer at its path (or was not, once). */
bool db_file_changed(struct store *st);
/* The pid of a vigied other than this process that holds the lock of the
 * database at db_path (store_lock_holder), else 0: none, or it cannot be
 * known. (lock.c) */
long db_lock_other(const char *db_path);

/* The packed values of table series (values.c): little-endian doubles, a
 * quiet NaN (db_vals_undef) where a period has no value. */
double db_vals_undef(void);
void db_vals_decode(const unsigned char *blob, size_t n, double *out);
/* Grows the buffer *pbuf of *cap elements of size sz to hold at least n:
 * 0, or -1 (out of memory, the buffer unchanged). (values.c) */
int db_reserve(void *pbuf, size_t *cap, size_t n, size_t sz);
void db_vals_encode(const double *v, size_t n, unsigned char *out);
/* The rows of import_log that are data arriving (SPEC 8): an import that
 * brought values. `vigie delete` and `vigie rename` write a row too
 * (sha256 '-' and '='), so that the data generation moves on, but
 * removing or moving values is no import. */
#define DB_IMPORT_BROUGHT_VALUES "(sha256 NOT IN ('-', '=') AND vals > 0)"

/* Deletes the units and indicators left without a series row (prune.c):
 * units exist because data names them (SPEC 2), and the daemon's series
 * is loaded from table unit. 0 or -1. */
int db_drop_unnamed(sqlite3 *db);
/* Marks in s the cells of kept_hidden (kept.c) within its periods. 0, or
 * -1. */
int db_load_kept(sqlite3 *db, struct series *s);

/* Runs a query selecting, in this order, kind, rule, unit, period,
 * severity, prev_severity, value, threshold, since, title, summary,
 * guidance, labels, history, decimals, at (its one parameter, if any, bound
 * to arg) and returns the rows as notices. 0 or -1. (outbox.c) */
int db_read_notices(struct store *st, const char *sql, int64_t arg,
    struct notice **out, size_t *nout);
/* The same rows one at a time: fn sees each notice, freed after it
 * returns. 0 or -1. */
int db_each_notice(struct store *st, const char *sql, int64_t arg,
    void (*fn)(const struct notice *x, void *arg), void *fn_arg);

#endif
