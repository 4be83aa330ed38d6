/* The store's handle (include/vigie/store.h): opening with mode 0600, WAL
 * and a busy handler that feeds the watchdog while it waits, forward
 * migrations by PRAGMA user_version, the database's granularity in
 * meta('period'), the files opened recorded (dbfile.c notices them deleted
 * or replaced), transactions, and the
 * statement helpers of store_impl.h that every table file of daemon/store/
 * uses. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>
#include "store_impl.h"
#include "vigie/fileio.h"
#include "vigie/progress.h"
#include "vigie/schema.h"
#include "vigie/xalloc.h"

char *db_msg(const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

const char *db_errmsg(sqlite3 *db)
{
	static _Thread_local char buf[512];
	int code = sqlite3_extended_errcode(db) & 0xff, e = sqlite3_system_errno(db);

	if (e == 0 || (code != SQLITE_IOERR && code != SQLITE_CANTOPEN))
		return sqlite3_errmsg(db);
	snprintf(buf, sizeof(buf), "%s (%s)", sqlite3_errmsg(db), strerror(e));
	return buf;
}

void db_keep_error(struct store *st)
{
	if (!st->err)
		st->err = xstrdup(db_errmsg(st->db));
}

int db_exec(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

sqlite3_stmt *db_prepare(struct store *st, const char *sql)
{
	sqlite3_stmt *q = NULL;

	if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) != SQLITE_OK) {
		sqlite3_finalize(q);
		return NULL;
	}
	return q;
}

int db_step_done(sqlite3_stmt *q)
{
	int rc = sqlite3_step(q);

	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : -1;
}

void db_bind_text(sqlite3_stmt *q, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(q, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(q, i);
}

void db_bind_real(sqlite3_stmt *q, int i, double v)
{
	if (isnan(v))
		sqlite3_bind_null(q, i);
	else
		sqlite3_bind_double(q, i, v);
}

void db_bind_period(sqlite3_stmt *q, int i, int32_t p)
{
	if (p < 0)
		sqlite3_bind_null(q, i);
	else
		sqlite3_bind_int(q, i, p);
}

char *db_col_dup(sqlite3_stmt *q, int i)
{
	const unsigned char *t = sqlite3_column_text(q, i);

	return t ? xstrdup((const char *)t) : NULL;
}

double db_col_real(sqlite3_stmt *q, int i)
{
	return sqlite3_column_type(q, i) == SQLITE_NULL ? NAN : sqlite3_column_double(q, i);
}

int32_t db_col_period(sqlite3_stmt *q, int i)
{
	return sqlite3_column_type(q, i) == SQLITE_NULL ? -1 : sqlite3_column_int(q, i);
}

enum outcome db_col_outcome(sqlite3_stmt *q, int i)
{
	enum outcome o;

	return outcome_parse(db_col_text(q, i), &o) == 0 ? o : OUTCOME_NONE;
}

const char *db_col_text(sqlite3_stmt *q, int i)
{
	const unsigned char *t = sqlite3_column_text(q, i);

	return t ? (const char *)t : "";
}

/* One integer from a query without parameters; *found = 0 on NULL/no row. */
int db_collect(sqlite3_stmt *q, size_t size,
    void (*row)(sqlite3_stmt *q, void *elem, void *ctx), void *ctx,
    void **v, size_t *n)
{
	size_t cap = 0;
	int rc;

	*v = NULL;
	*n = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 16;
			*v = xreallocarray(*v, cap, size);
		}
		row(q, (char *)*v + *n * size, ctx);
		(*n)++;
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : -1;
}

int db_query_int(sqlite3 *db, const char *sql, int64_t *out, int *found)
{
	sqlite3_stmt *st;
	int rc;

	*found = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		*out = sqlite3_column_int64(st, 0);
		*found = 1;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int db_meta_get(sqlite3 *db, const char *key, char **value)
{
	sqlite3_stmt *st;
	int rc, ret = -1;

	*value = NULL;
	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?", -1,
	    &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*value = xstrdup((const char *)sqlite3_column_text(st, 0));
		ret = 0;
	} else if (rc == SQLITE_DONE) {
		ret = 1;
	}
	sqlite3_finalize(st);
	return ret;
}

int db_meta_set(sqlite3 *db, const char *key, const char *value)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, "INSERT INTO meta(key, value) VALUES(?, ?) "
	    "ON CONFLICT(key) DO UPDATE SET value = excluded.value", -1, &st,
	    NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Creates a missing database file as 0600 before SQLite opens it: SQLite
 * then gives its -wal and -shm files the same mode. A file that exists but
 * is still empty (created by someone else's open) is tightened too. */
static int create_private(const char *path, char **err)
{
	struct stat sb;
	int fd;

	/* A database in use is never opened here: closing any descriptor of
	 * the file drops every POSIX lock this process holds on it, those of
	 * its other connections too (vigie-web keeps several), and another
	 * process could then take itself for the last one and delete the WAL
	 * under them. */
	if (stat(path, &sb) == 0 && sb.st_size > 0)
		return 0;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0) {
		*err = db_msg("cannot create database %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) == 0 && sb.st_size == 0 && (sb.st_mode & 077))
		(void)fchmod(fd, 0600);
	close(fd);
	return 0;
}

/* Brings the schema to schema_version in one transaction and records the
 * granularity on first use. Not under a vigied that runs on a database
 * older than this program's (SPEC 8: one daemon per database): that daemon
 * is of an older release, since vigied migrates at its start, and would go
 * on writing a schema it does not know (STORE_ERUNNING). A vigied that
 * has just taken the lock and is about to migrate is waited for: its
 * migration's transaction by BEGIN IMMEDIATE's busy handler, the few
 * milliseconds before it by a second's retries. */
static int migrate(struct store *st, char **err)
{
	sqlite3 *db = st->db;
	int64_t uv = 0;
	long holder = 0;
	int found;

	if (db_query_int(db, "PRAGMA user_version", &uv, &found) != 0)
		goto sqlerr;
	if (uv > schema_version) {
		*err = db_msg("database %s has schema version %lld, newer than this "
		    "vigie understands (%d): upgrade vigie", st->path, (long long)uv,
		    schema_version);
		return -1;
	}
	if (uv == schema_version)
		return 0;
	for (int tries = 0; ; tries++) {
		if (db_exec(db, "BEGIN IMMEDIATE") != 0)
			goto sqlerr;
		/* Another process may have migrated while we waited for the lock. */
		if (db_query_int(db, "PRAGMA user_version", &uv, &found) != 0)
			goto sqlerr_rb;
		if (uv == 0 || uv >= schema_version || !(holder = db_lock_other(st->path)))
			break;
		db_exec(db, "ROLLBACK");
		if (tries == 10) {
			*err = db_msg("database %s has schema version %lld, older than this "
			    "vigie's (%d), and the vigied running on it (pid %ld) has not "
			    "upgraded it", st->path, (long long)uv, schema_version, holder);
			return STORE_ERUNNING;
		}
		progress_tick();
		usleep(100 * 1000);
	}
	if (uv < schema_version)
		st->migrated_from = (int)uv;
	for (int64_t i = uv; i < schema_version; i++)
		if (db_exec(db, schema_migrations[i]) != 0)
			goto sqlerr_rb;
	if (uv < schema_version) {
		char sql[64];
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", schema_version);
		if (db_exec(db, sql) != 0)
			goto sqlerr_rb;
	}
	if (uv == 0 && db_meta_set(db, "period", granularity_name(st->gran)) != 0)
		goto sqlerr_rb;
	if (db_exec(db, "COMMIT") != 0)
		goto sqlerr_rb;
	return 0;
sqlerr_rb:
	st->migrated_from = -1;
	*err = db_msg("cannot set up database %s: %s", st->path, db_errmsg(db));
	db_exec(db, "ROLLBACK");
	return -1;
sqlerr:
	*err = db_msg("cannot set up database %s: %s", st->path, db_errmsg(db));
	return -1;
}

static char *mismatch_msg(const char *path, const char *held, enum granularity g)
{
	return db_msg("database %s holds %ss but the configuration says "
	    "period: %s (use a separate database for each granularity)",
	    path, held, granularity_name(g));
}

int store_check_granularity(const char *path, enum granularity g, char **err)
{
	sqlite3 *db = NULL;
	char *v = NULL;
	int rc = 0;

	*err = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    db_meta_get(db, "period", &v) == 0 && strcmp(v, granularity_name(g)) != 0) {
		*err = mismatch_msg(path, v, g);
		rc = STORE_EMISMATCH;
	}
	free(v);
	sqlite3_close(db);
	return rc;
}

static int check_granularity(struct store *st, char **err)
{
	char *v = NULL;
	int rc = db_meta_get(st->db, "period", &v);

	if (rc < 0) {
		*err = db_msg("cannot read database %s: %s", st->path, db_errmsg(st->db));
		return -1;
	}
	if (rc == 1) {
		/* A database created before the period was recorded: claim it. */
		if (db_meta_set(st->db, "period", granularity_name(st->gran)) != 0) {
			*err = db_msg("cannot write database %s: %s", st->path,
			    db_errmsg(st->db));
			return -1;
		}
		return 0;
	}
	if (strcmp(v, granularity_name(st->gran)) != 0) {
		*err = mismatch_msg(st->path, v, st->gran);
		free(v);
		return STORE_EMISMATCH;
	}
	free(v);
	return 0;
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* SQLite's busy handler: waits for another connection's lock up to the
 * busy timeout, in short sleeps (1, 2, 4... up to 50 ms), feeding the
 * watchdog between them. */
static int on_busy(void *arg, int n)
{
	struct store *st = arg;
	int64_t now = mono_ms(), left;
	long d = n < 5 ? 1L << n : 50;

	if (n == 0)
		st->busy_t0 = now;
	left = st->busy_ms - (now - st->busy_t0);
	if (left <= 0)
		return 0;
	progress_tick();
	if (d > left)
		d = (long)left;
	usleep((useconds_t)d * 1000);
	return 1;
}

/* The busy timeout: STORE_BUSY_TIMEOUT_MS, or VIGIE_BUSY_TIMEOUT_MS from
 * the environment (vigied(8): tests and slow disks). */
static long busy_timeout(void)
{
	const char *e = getenv("VIGIE_BUSY_TIMEOUT_MS");
	long v = e && *e ? strtol(e, NULL, 10) : 0;

	return v > 0 ? v : STORE_BUSY_TIMEOUT_MS;
}

/* Switching a new database to WAL needs a lock that SQLite does not wait
 * for with the busy handler (two processes opening a new file at once), so
 * wait here, as long as the busy timeout. */
static int set_wal(struct store *st)
{
	for (long waited = 0; ; waited += 20) {
		if (db_exec(st->db, "PRAGMA journal_mode = WAL") == 0)
			return 0;
		if ((sqlite3_errcode(st->db) & 0xff) != SQLITE_BUSY ||
		    waited >= st->busy_ms)
			return -1;
		progress_tick();
		usleep(20 * 1000);
	}
}

/* "host:pid:random": who holds a claim on a notification (outbox.c). */
static void make_owner(struct store *st)
{
	char host[64] = "";
	unsigned int r = 0;

	if (gethostname(host, sizeof(host) - 1) != 0)
		snprintf(host, sizeof(host), "?");
	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r))
		r = (unsigned int)time(NULL);
	snprintf(st->owner, sizeof(st->owner), "%s:%ld:%08x", host, (long)getpid(), r);
}

/* Why SQLite may fail to open a database that is there: it creates its
 * write-ahead log and shared memory (PATH-wal, PATH-shm) beside it, which
 * a read-only file system or a full disk refuses, and its last system
 * error then names one of those ("No such file or directory"), not the
 * database. "" when neither is the case. */
static const char *open_hint(const char *path, char *buf, size_t size)
{
	char *dir = dir_of(path);
	struct statvfs fs;
	const char *what = NULL, *todo = NULL;

	if (access(path, F_OK) != 0) {
		what = NULL;
	} else if (access(dir, W_OK) != 0 && errno == EROFS) {
		what = "is on a read-only file system";
		todo = "copy the database to a writable folder to read it";
	} else if (statvfs(dir, &fs) == 0 && fs.f_bavail == 0) {
		what = "is on a full disk";
		todo = "free some space";
	}
	if (what)
		snprintf(buf, size, "; the folder %s %s, where SQLite cannot create %s-wal "
		    "and %s-shm beside the database: %s", dir, what, path, path, todo);
	free(dir);
	return what ? buf : "";
}

int store_open(const char *path, enum granularity g, struct store **out, char **err)
{
	char hint[2 * PATH_MAX + 256];
	struct store *st = calloc(1, sizeof(*st));
	int rc;

	*out = NULL;
	*err = NULL;
	if (!st || !(st->path = strdup(path))) {
		free(st);
		*err = db_msg("out of memory");
		return -1;
	}
	st->gran = g;
	st->migrated_from = -1;
	if (create_private(path, err) != 0)
		goto fail;
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
	    NULL) != SQLITE_OK) {
		*err = db_msg("cannot open database %s: %s%s", path,
		    st->db ? db_errmsg(st->db) : "out of memory",
		    open_hint(path, hint, sizeof(hint)));
		goto fail;
	}
	st->busy_ms = busy_timeout();
	sqlite3_busy_handler(st->db, on_busy, st);
	sqlite3_extended_result_codes(st->db, 1);
	make_owner(st);
	/* A page cache of 32 MiB: at 10,000 teams a first cycle peaked at 264
	 * MiB with 64, 228 with 32, in the same time (and at 30,000, 35.6 s
	 * and 600 MiB against 33.2 s and 567), the import alike: the series
	 * are read once, in order, and the cache only held pages it wrote. */
	if (set_wal(st) != 0 ||
	    db_exec(st->db, "PRAGMA synchronous = NORMAL") != 0 ||
	    db_exec(st->db, "PRAGMA foreign_keys = ON") != 0 ||
	    db_exec(st->db, "PRAGMA cache_size = -32768") != 0) {
		*err = db_msg("cannot open database %s: %s%s", path, db_errmsg(st->db),
		    open_hint(path, hint, sizeof(hint)));
		goto fail;
	}
	if ((rc = migrate(st, err)) != 0) {
		store_close(st);
		return rc < 0 ? rc : -1;
	}
	if (db_file_record(st) != 0) {
		*err = db_msg("cannot open database %s: %s", path, strerror(errno));
		goto fail;
	}
	if ((rc = check_granularity(st, err)) != 0) {
		store_close(st);
		return rc;
	}
	*out = st;
	return 0;
fail:
	store_close(st);
	return -1;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	/* The last connection to a database checkpoints its write-ahead log
	 * into the file when it closes: not into a file that is no longer
	 * the one opened, or that was copied over in place (dbfile.c). */
	if (st->db && db_file_changed(st))
		sqlite3_db_config(st->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
	sqlite3_close_v2(st->db);
	free(st->path);
	free(st->err);
	free(st);
}

int store_migrated_from(const struct store *st)
{
	return st->migrated_from;
}

const char *store_upgraded(const struct store *st, char *buf, size_t size)
{
	if (st->migrated_from < 0)
		return NULL;
	if (st->migrated_from == 0)
		snprintf(buf, size, "database %s created", st->path);
	else
		snprintf(buf, size, "database %s upgraded from schema version %d to %d",
		    st->path, st->migrated_from, schema_version);
	return buf;
}

enum granularity store_granularity(const struct store *st)
{
	return st->gran;
}

int store_begin(struct store *st)
{
	free(st->err);
	st->err = NULL;
	return db_exec(st->db, "BEGIN IMMEDIATE");
}

int store_scrub(struct store *st)
{
	int rc = sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_TRUNCATE,
	    NULL, NULL);

	return rc == SQLITE_OK ? 0 : -1;
}

int store_commit(struct store *st)
{
	return db_exec(st->db, "COMMIT");
}

void store_rollback(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		db_exec(st->db, "ROLLBACK");
}

const char *store_errmsg(struct store *st)
{
	return st->err ? st->err : db_errmsg(st->db);
}

int64_t store_changes(struct store *st)
{
	return sqlite3_total_changes64(st->db);
}

int store_meta_get(struct store *st, const char *key, char **value)
{
	return db_meta_get(st->db, key, value);
}

int store_meta_set(struct store *st, const char *key, const char *value)
{
	return db_meta_set(st->db, key, value);
}
