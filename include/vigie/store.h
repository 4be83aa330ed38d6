/* The SQLite store: the only code that speaks SQL (daemon/store/). One file,
 * mode 0600, WAL, busy timeout, schema versioned with PRAGMA user_version.
 * This header covers the handle, transactions and the indicator values; the
 * other table groups have their own: store_alerts.h (alerts and their
 * events), store_outbox.h (cycles, messages, attempts), store_silences.h,
 * store_sources.h (pull sources' state), store_query.h (reading another
 * SQLite database). No SQLite type crosses these headers.
 * A function that returns a list through out-parameters (T **v, size_t *n)
 * leaves them NULL and 0 when it fails, having freed what it read. */
#ifndef VIGIE_STORE_H
#define VIGIE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vigie/batch.h"
#include "vigie/diag.h"
#include "vigie/period.h"
#include "vigie/series.h"

#define STORE_BUSY_TIMEOUT_MS 10000	/* VIGIE_BUSY_TIMEOUT_MS overrides it */

struct store;

/* Opens (creating with mode 0600 when missing) and migrates. The database
 * remembers its granularity from the first open; a mismatch is an error.
 * Returns 0, or -1 with a new message in *err (caller frees), or
 * STORE_EMISMATCH (with a message) when the database holds the other
 * granularity: a configuration problem, not an I/O one. */
#define STORE_EMISMATCH (-2)
/* ... or STORE_ERUNNING (with a message naming the versions and the pid)
 * when its schema is older than this program's and a vigied other than
 * this process holds its lock (store_lock_holder): a vigied of an older
 * release, which would write a schema it does not know once migrated. It
 * is left as it is; restarting vigied upgrades it. */
#define STORE_ERUNNING (-7)
/* The same check of the granularity, reading only (vigie import checks it
 * before validating, --dry-run too, and writes nothing when it fails): 0
 * when path holds g, no granularity yet or no database at all, else
 * STORE_EMISMATCH with store_open's message in *err (caller frees). */
int store_check_granularity(const char *path, enum granularity g, char **err);
/* What the daemon refuses in the file at path, read only: a folder, a file
 * with several names (hard links: two daemons could run on it unaware of
 * each other), one that is not a SQLite database, one of a newer schema.
 * 0 (also when there is no file yet), or -1 with a message in *err
 * (caller frees). */
int store_check_path(const char *path, char **err);
/* Whether the database at path is damaged (SQLite's integrity check, read
 * only: every page read, about a second for 600 MB): 0 when it is sound,
 * cannot be opened or is not there (store_check_path and store_open say
 * why), or -1 with a message in *err that says what to do (caller
 * frees). */
int store_check_damage(const char *path, char **err);
/* "database PATH: schema version N, upgraded to M at the next start
 * (back it up first)" in buf, when the database at path has an older
 * schema than this program's, read only (vigied --check); else NULL. */
const char *store_upgrade_due(const char *path, char *buf, size_t size);
/* The indicator names imports have stored in the database at path, read
 * only: 0 with *v (caller frees each and the array) and *n, or -1 when
 * there is no database to read (*v NULL, *n 0). */
int store_indicator_names(const char *path, char ***v, size_t *n);
/* The same for the unit paths, sorted as by strcmp. */
int store_unit_names(const char *path, char ***v, size_t *n);
/* Opens the database at path for reading only, never creating it nor
 * migrating it (vigie import --dry-run reads what is stored): 0; 1 when
 * there is nothing of Vigie's to read there yet, but an import could create
 * or fill it (*out NULL); -1 with *err (caller frees) when an import could
 * not open or create it. Close with store_close. */
int store_open_readonly(const char *path, struct store **out, char **err);
/* The indicator names (in the order stored) and unit paths (sorted as by
 * strcmp) that imports have stored: 0 with new arrays (caller frees each
 * string and the arrays), or -1. */
int store_names(struct store *st, char ***inds, size_t *ninds, char ***units,
    size_t *nunits);
/* Frees n strings of v and v, as store_names and store_indicator_names
 * return them (NULL, 0: nothing). */
void store_names_free(char **v, size_t n);
/* The values imported for (unit, ind), not a roll-up: 1 with *n of them
 * for periods *p0, *p0 + 1, ... in a new array *vals (caller frees; NaN:
 * no value at that period), 0 when there are none, -1 on error. */
int store_series_get(struct store *st, const char *unit, const char *ind,
    int32_t *p0, double **vals, size_t *n);
/* The indicators imported for unit whose last value is at period, sorted:
 * 0 with a new array (free with store_names_free), or -1. */
int store_indicators_ending(struct store *st, const char *unit, int32_t period,
    char ***v, size_t *n);
/* The values imported for unit (not roll-ups) at period, one per
 * indicator that has one, sorted by name: 0 with new arrays (free inds
 * with store_names_free, vals with free), or -1. */
int store_values_at(struct store *st, const char *unit, int32_t period,
    char ***inds, double **vals, size_t *n);
/* A unit's stored values at one period, as store_period_units reads them. */
struct period_unit {
	char *path;
	double headcount;	/* NaN: none stored */
	bool valued;		/* a value other than its headcount (of the
				 * indicator asked for, if one was) */
};
/* Every unit with a value imported at period (of indicator, or any; a
 * headcount alone counts too), sorted by path: 0 with a new array (free
 * with store_period_units_free), or -1. (known.c) */
int store_period_units(struct store *st, int32_t period, const char *indicator,
    struct period_unit **v, size_t *n);
void store_period_units_free(struct period_unit *v, size_t n);
/* Whether the folder of the database path exists and this user may create
 * files in it: vigied creates the database there, its lock (PATH.lock) and
 * SQLite's journal files. 0, or with a message in *err (caller frees)
 * STORE_ENOFOLDER (missing), STORE_ENOTFOLDER (not a folder),
 * STORE_EFOLDERPERM (not writable by this user), STORE_EFILEPERM (the
 * database exists and this user cannot read and write it) or -1 (cannot
 * tell). */
#define STORE_ENOFOLDER (-3)
#define STORE_ENOTFOLDER (-4)
#define STORE_EFOLDERPERM (-5)
#define STORE_EFILEPERM (-6)
int store_check_folder(const char *path, char **err);
int store_open(const char *path, enum granularity g, struct store **out,
    char **err);
/* Whether the database opened can be written (SQLite opens a file this
 * user cannot write, or one on a read-only file system, read-only without
 * a word): 0, or -1 with a new message in *err (caller frees). */
int store_check_writable(struct store *st, char **err);
/* Whether the database at path, if there is one, is private to its owner
 * (SPEC 13: created 0600): 0, or -1 with a new message in *err (caller
 * frees) when group or others may read or write it. */
int store_check_private(const char *path, char **err);
void store_close(struct store *st);
/* The schema version the database had before store_open migrated it (0:
 * it created the database), or -1 when it was already current. */
int store_migrated_from(const struct store *st);
/* "database PATH upgraded from schema version N to M", or "database PATH
 * created", in buf: what each program that opened it first says; NULL
 * when store_open neither created nor upgraded it. */
const char *store_upgraded(const struct store *st, char *buf, size_t size);
enum granularity store_granularity(const struct store *st);
/* Whether the path opened still names the file open, and PATH-wal and
 * PATH-shm the write-ahead log and shared memory opened with it (SPEC 8:
 * a database deleted or replaced under vigied or vigie-web stops it;
 * removing the log of an open database, as a restore over a running
 * program does, leaves it writing into a file nobody reads): 0 (a stat
 * of each), or -1 with a new message in *err (caller frees) naming the
 * file. Nothing more should then be written through st: a write-ahead
 * log still ours beside a database replaced or deleted has been emptied
 * into the file it belongs to (the message says so when it could not),
 * and store_close leaves the files as they are. */
int store_check_file(struct store *st, char **err);

/* One daemon per database (SPEC 8): an exclusive flock(2) on PATH.lock
 * beside the database (created 0600, holding the holder's pid). Waits up
 * to wait_ms (0: not at all). Returns the lock's descriptor (close it to
 * release; the lock also ends with the process), STORE_LOCK_BUSY when
 * another process holds it (with a message naming its pid in *err),
 * STORE_LOCK_STOPPED when the process was asked to stop while it waited
 * (progress.h), or -1 with a message in *err (caller frees). (lock.c) */
#define STORE_LOCK_BUSY (-2)
#define STORE_LOCK_STOPPED (-3)
int store_lock(const char *db_path, long wait_ms, char **err);
/* The pid of the vigied that holds the lock of the database at db_path
 * (read from the kernel's table of locks, without trying the lock; where
 * /proc/locks is hidden, as under the shipped units, the pid written in
 * the lock file when a vigied of that pid runs), 0 when none does, -1
 * when that cannot be known. (lock.c) */
long store_lock_holder(const char *db_path);

/* Transactions (BEGIN IMMEDIATE / COMMIT / ROLLBACK); 0 or -1. Every store
 * function runs inside the caller's transaction when one is open. */
int store_begin(struct store *st);
int store_commit(struct store *st);
void store_rollback(struct store *st);
const char *store_errmsg(struct store *st);	/* the last error, static */
/* Copies the write-ahead log into the database and empties it, so that
 * content overwritten since (a deleted note) is left in no file. Run it
 * outside a transaction; 0, or -1 when a reader kept part of the log (the
 * next checkpoint writes it). */
int store_scrub(struct store *st);
/* Copies what the write-ahead log holds into the database file as far as
 * no reader's snapshot holds it back, waiting for nobody (a passive
 * checkpoint): after a cycle that wrote, so that a file-level copy of the
 * database alone is not far behind. 0 or -1. */
int store_checkpoint(struct store *st);
/* Rows written through this handle since it was opened (what "an unchanged
 * cycle writes nothing" is checked against). */
int64_t store_changes(struct store *st);

struct import_stats {
	size_t rows, values, added, replaced, unchanged;
	/* Of values, those left as stored (import_blind's leaves), counted
	 * apart: values = added + replaced + unchanged + left. The import
	 * log keeps them as the values neither added, replaced nor
	 * unchanged. */
	size_t left;
	int64_t log_id;		/* its row of the import log */
};

/* Who wrote a row of the import log, as the audit log names them: via
 * "cli", "web", "inbox" or "source"; actor the operating-system user of a
 * command, the console's account, the owner of an inbox file, NULL for a
 * source. */
struct import_origin {
	const char *actor, *via;
	/* What the importer may not see: a value it writes over a stored one
	 * of these cells is counted replaced, equal or not, in the stats and
	 * the log (SPEC 3), a stored one it gives back counted left; NULL:
	 * none */
	const struct import_blind *blind;
};

/* Imports a parsed batch all or nothing, and logs it (time, source name,
 * who, SHA-256 hex of the source bytes, counts). Runs its own transaction
 * unless one is open. Returns 0, or -1 (nothing written). */
int store_import(struct store *st, const char *source,
    const struct import_origin *by, const char *sha256_hex,
    const struct import_batch *b, struct import_stats *stats);
/* What store_import would count for b, read only: its rows and values,
 * and of these the added, replaced, unchanged and left (the import log's
 * id 0), a value over a stored one that blind hides counted replaced, one
 * it leaves counted left (NULL: none). 0, or -1 (store_errmsg). */
int store_import_count(struct store *st, const struct import_batch *b,
    const struct import_blind *blind, struct import_stats *stats);
/* 1 when the latest row of the import log is an import of these bytes
 * under this source name (a file imported before a stop and not yet moved
 * away): nothing was imported or deleted since; 0 when not, -1 on error. */
int store_import_seen(struct store *st, const char *source,
    const char *sha256_hex);

/* Removes the stored values of period for the units matching unit_glob
 * (NULL: every unit) and the indicator named (NULL: every indicator), all
 * or nothing (SPEC 4, `vigie delete`); the removal is recorded in the
 * import log under the source name `what`, by `by`, and moves the data
 * generation on. dry: counts only. Runs its own transaction unless one is open.
 * Returns 0 with the number of values removed in *deleted, or -1 (nothing
 * written). (prune.c) */
int store_delete_values(struct store *st, int32_t period, const char *unit_glob,
    const char *indicator, const char *what, const struct import_origin *by,
    bool dry, size_t *deleted);
/* What store_rename_units moved, or would move. */
struct rename_stats {
	size_t units;		/* stored units renamed (0: none at from) */
	size_t values, alerts, notes;
	size_t summed;		/* with RENAME_SUM: values added to one the
				 * new path had for the same indicator and
				 * period (among values) */
	size_t silences;	/* moved: their pattern began with from */
	size_t silences_left;	/* in force, holding from by another pattern
				 * ("acme/ * /night") and not to */
	size_t accounts;	/* console accounts whose scopes moved with it
				 * (store_accounts_rescope) */
	enum {
		RENAME_DONE,
		RENAME_CLASH,	/* a value at both paths (clash_*) */
		RENAME_PARENT,	/* clash_to would be a parent with values
				 * of its own where its children have theirs */
		RENAME_TOO_LONG,	/* a new path too long or too deep */
		RENAME_WITHIN,	/* from and to, one within the other */
	} why;			/* why it refused */
	char *conflict;		/* the same, in English */
	char *clash_from, *clash_to, *clash_indicator;	/* when for a value
				 * at both paths: where */
	int32_t clash_period;
};
void rename_stats_free(struct rename_stats *s);
/* "24 values", "24 values, 12 added to the new path's": the audit log's
 * detail of a rename, and what `vigie rename` prints. */
void rename_stats_detail(const struct rename_stats *s, char *buf, size_t size);
/* Renames the stored unit `from` and every unit under it to `to` with the
 * same suffix (`vigie rename`: a team renamed or moved keeps its history),
 * their values, their alerts (but one of a rule that the new path has an
 * alert of already, which resolves), their unit notes and the silences in
 * force whose pattern begins with `from`. A unit already
 * stored at the new path takes the old one's values, unless both have one
 * for the same indicator and period (with RENAME_SUM, two teams merged into
 * one: their sum, as their parent's roll-up had it), or the new path would
 * be the parent of stored units with values of its own at their periods.
 * Recorded in the import log as "vigie rename FROM TO", by `by` (the data
 * generation moves on). RENAME_DRY_RUN: counts only. In its own
 * transaction, or the caller's, left to roll back on anything but 0.
 * Returns 0 (s->units 0: no unit at from), 1 refused (s->why,
 * s->conflict), -1. Free s with rename_stats_free. (rename.c) */
enum { RENAME_DRY_RUN = 1, RENAME_SUM = 2 };
int store_rename_units(struct store *st, const char *from, const char *to,
    const struct import_origin *by, unsigned how, struct rename_stats *s);
/* The same for the units for which keep(path, ctx) is true (NULL: every
 * unit): the console's deletion, within the user's scopes; with the
 * number of units that lose values in *units (when not NULL). */
int store_delete_matching(struct store *st, int32_t period,
    bool (*keep)(const char *unit, const void *ctx), const void *ctx,
    const char *indicator, const char *what, const struct import_origin *by,
    bool dry, size_t *deleted, size_t *units);

/* Data generation: changes whenever an import writes (max import log id). */
int64_t store_data_generation(struct store *st);
/* Latest period with data, -1 when empty; unix time of the last import
 * that brought values (a deletion is none), 0 if none. */
int32_t store_latest_period(struct store *st);
int64_t store_last_import_time(struct store *st);

/* Loads every value as a series with roll-up (one sequential read). Returns
 * 0 and a new series (caller frees), or -1. */
int store_load_series(struct store *st, struct series **out);
/* A change of stored values not written yet: unit's value of ind at
 * period set to value (NaN: removed); ind NULL: every value of the unit at
 * period removed. */
struct value_edit {
	const char *unit, *ind;
	int32_t period;
	double value;
};
/* The stored values of periods from .. to (inclusive), then the edits
 * e[0..ne) (the units and indicators they name declared too), as a series
 * with roll-up: what an import or a removal would leave, before it is
 * written. 0 and a new series (caller frees), or -1. */
int store_load_series_edited(struct store *st, int32_t from, int32_t to,
    const struct value_edit *e, size_t ne, struct series **out);
/* Records that the cells v[0..n) of stored units and indicators stay
 * hidden from now on, whatever later data says (SPEC 3 against time: they
 * were hidden beside a small team when their period's figures were shown,
 * and a change that would show them is about to be written); every series
 * loaded since marks them (series.h, kept). store_import writes a batch's
 * (batch.h, keep) with its values. In a transaction of its own, or the
 * caller's. 0, or -1 (store_errmsg). */
int store_keep_hidden(struct store *st, const struct kept_cell *v, size_t n);
/* Whether unit is kept under the floor at period (series.h, below): 1 or
 * 0, or -1 (store_errmsg). */
int store_kept_below(struct store *st, const char *unit, int32_t period);
/* Number of values stored (defined entries of every packed series), or -1. */
int64_t store_count_values(struct store *st);

/* Data coverage for `vigie status` and the console's import page: the
 * units with values and their ancestors (the units the daemon evaluates,
 * SPEC 2), those whose latest period (by roll-up: their own or a
 * descendant's) is before `latest`, in path order, and the indicators
 * missing at `latest` from units that have it (struct store_gap). */
struct store_lagging {
	char *unit;
	int32_t latest;
};
/* Indicators that units with values at `latest` no longer have (a column
 * or cells missing from the month's file): their last period, within the
 * year before `latest`, and those units, in path order. One gap per set of
 * units and last period: a column lost is one gap of one indicator, a file
 * of a few teams one gap of every indicator it left out. */
struct store_gap {
	char **indicators;	/* sorted */
	size_t nindicators;
	int32_t last;
	char **units;
	size_t nunits;
};
struct store_coverage {
	int64_t units;
	struct store_lagging *lagging;
	size_t nlagging;
	struct store_gap *gaps;	/* by first indicator, then latest last first */
	size_t ngaps;
};
/* 0 and *c filled (free with store_coverage_free), or -1. */
int store_coverage(struct store *st, int32_t latest, struct store_coverage *c);
void store_coverage_free(struct store_coverage *c);

/* The import log's latest rows, newest first: imports (of a file, the
 * inbox, a source, the console) and deletions (`vigie delete`). */
struct store_import_row {
	int64_t id;
	int64_t at;
	char *source;		/* the file's or source's name; for a deletion
				 * the command ("vigie delete ...") */
	char *actor, *via;	/* struct import_origin's; NULL in rows
				 * written before Vigie recorded them */
	bool deletion;		/* vals is then the values removed */
	bool renaming;		/* vigie rename: vals the values moved */
	int64_t rows, vals, added, replaced, unchanged;
	int64_t nwarnings;	/* what store_import_warned recorded */
	struct diags warnings;	/* the first STORE_WARNINGS_KEPT of them,
				 * the others in its more */
	char *untold;		/* an inbox file's warnings not told yet
				 * (store_import_untold): the file's name in
				 * processed/, "" when not moved; else NULL */
};
/* Records w (its messages and their number, w->more included) as the
 * warnings of the import log's row id, replacing what it had; nothing when
 * w is empty. The import page shows them to HR, whoever imported the
 * file: w is in the console's language. 0 or -1. */
#define STORE_WARNINGS_KEPT 20
int store_import_warned(struct store *st, int64_t id, const struct diags *w);
/* An inbox file's warnings are told (NAME.warnings.txt, the notice to ops)
 * at the end of the pass, when a later file of the pass may have brought
 * what one of them says is missing; they are recorded in the import's own
 * transaction with a mark that they are still to tell, so that a daemon
 * killed in between tells them at its next pass (SPEC 13: no notification
 * lost). store_import_untold records w (as store_import_warned) and the
 * mark; store_import_moved sets the name the latest import of source
 * still untold got in processed/; store_import_told records w (NULL:
 * leaves what was recorded; empty: none) and clears the mark, in the
 * transaction that queues the notice; store_import_untold_rows lists the
 * rows still marked, oldest first (free with store_import_rows_free).
 * 0 or -1. */
int store_import_untold(struct store *st, int64_t id, const struct diags *w);
int store_import_moved(struct store *st, const char *source, const char *final);
int store_import_told(struct store *st, int64_t id, const struct diags *w);
int store_import_untold_rows(struct store *st, struct store_import_row **v,
    size_t *n);
/* The renames of the import log (store_rename_units), the latest first:
 * into *v (free with store_renames_free). 0 or -1. (rename.c) */
struct store_rename {
	char *from, *to;
	int64_t at;
};
int store_renames(struct store *st, struct store_rename **v, size_t *n);
void store_renames_free(struct store_rename *v, size_t n);
/* The path that the renames v[0..n) (store_renames', the latest first)
 * gave path, followed from the first that moved it through the later ones
 * (A to B, then B to C: C), in a new string, with the time of that first
 * in *at; NULL when none did, or when path is a unit today (live) that a
 * later rename brought there (two teams that swapped names, a rename
 * undone: it names that one). */
char *store_renamed_path(const struct store_rename *v, size_t n, const char *path,
    bool live, int64_t *at);
/* The unit and time of alert id's first event (events keep the name their
 * alert had then: its name before any rename since): 0 (*unit a new
 * string), 1 none, -1. (moved.c) */
int store_alert_first(struct store *st, int64_t alert, char **unit, int64_t *at);
/* At most max rows into *v (free with store_import_rows_free); 0 or -1. */
int store_import_rows(struct store *st, size_t max, struct store_import_row **v,
    size_t *n);
void store_import_rows_free(struct store_import_row *v, size_t n);

/* Small key/value table for daemon state ("last_eval_gen", ...). */
int store_meta_get(struct store *st, const char *key, char **value);	/* 0 found, 1 absent, -1 error; caller frees */
int store_meta_set(struct store *st, const char *key, const char *value);

/* SHA-256 of buf as 64 hex digits + NUL (feeding the watchdog, progress.h,
 * on large buffers). */
void sha256_hex(const void *buf, size_t len, char out[65]);

#endif
