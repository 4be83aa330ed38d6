/* The SQLite store: indicator values, the import log, alert states and
 * history, silences, the notification outbox and source state. One file,
 * mode 0600, WAL, busy timeout, schema versioned with PRAGMA user_version. */
#ifndef VIGIE_STORE_H
#define VIGIE_STORE_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include "vigie/csv.h"
#include "vigie/period.h"
#include "vigie/series.h"

#define STORE_BUSY_TIMEOUT_MS 10000

struct store;

/* Opens (creating with mode 0600 when missing) and migrates. The database
 * remembers its granularity from the first open; a mismatch is an error.
 * Returns 0, or -1 with a new message in *err (caller frees), or
 * STORE_EMISMATCH (with a message) when the database holds the other
 * granularity: a configuration problem, not an I/O one. */
#define STORE_EMISMATCH (-2)
int store_open(const char *path, enum granularity g, struct store **out,
    char **err);
void store_close(struct store *st);
sqlite3 *store_db(struct store *st);
enum granularity store_granularity(const struct store *st);

/* Transactions (BEGIN IMMEDIATE / COMMIT / ROLLBACK); 0 or -1. */
int store_begin(struct store *st);
int store_commit(struct store *st);
void store_rollback(struct store *st);
const char *store_errmsg(struct store *st);	/* last SQLite error */

struct import_stats {
	size_t rows, values, added, replaced, unchanged;
};

/* Imports a parsed batch all or nothing, and logs it (time, source name,
 * SHA-256 hex of the source bytes, counts). Runs its own transaction unless
 * one is open. Returns 0, or -1 (nothing written). */
int store_import(struct store *st, const char *source, const char *sha256_hex,
    const struct import_batch *b, struct import_stats *stats);

/* Data generation: changes whenever an import writes (max import log id). */
int64_t store_data_generation(struct store *st);
/* Latest period with data, -1 when empty; unix time of last import, 0 if none. */
int32_t store_latest_period(struct store *st);
int64_t store_last_import_time(struct store *st);

/* Loads every value as a series with roll-up (one sequential read). Returns
 * 0 and a new series (caller frees), or -1. */
int store_load_series(struct store *st, struct series **out);
/* Number of values stored (defined entries of every packed series), or -1. */
int64_t store_count_values(struct store *st);

/* Small key/value table for daemon state ("last_eval_gen", ...). */
int store_meta_get(struct store *st, const char *key, char **value);	/* 0 found, 1 absent, -1 error; caller frees */
int store_meta_set(struct store *st, const char *key, const char *value);

/* SHA-256 of buf as 64 hex digits + NUL. */
void sha256_hex(const void *buf, size_t len, char out[65]);

#endif
