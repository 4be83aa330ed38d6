/* The one granularity a database holds (SPEC 2), in meta('period'): the
 * granularity of its values once it holds some, so that opening it with
 * the other is a configuration error (STORE_EMISMATCH, exit 78); before
 * that, or once every value is deleted, whatever the configuration that
 * opens it says. An import checks it again in its transaction: another
 * process may have relabelled a database without values since this handle
 * opened it. */
#include <stdlib.h>
#include <string.h>
#include "store_impl.h"

static char *mismatch_msg(const char *path, const char *held, enum granularity g)
{
	return db_msg("database %s holds %ss but the configuration says "
	    "period: %s (use a separate database for each granularity)",
	    path, held, granularity_name(g));
}

/* Whether the database holds a value (a series row holds one: rows are
 * trimmed): 1, 0, or -1. A database without values has no granularity to
 * keep (SPEC 2): nothing was imported yet, or everything was deleted. */
static int holds_values(sqlite3 *db)
{
	int64_t v = 0;
	int found;

	if (db_query_int(db, "SELECT EXISTS (SELECT 1 FROM series)", &v, &found) != 0)
		return -1;
	return v != 0;
}

int store_check_granularity(const char *path, enum granularity g, char **err)
{
	sqlite3 *db = NULL;
	char *v = NULL;
	int rc = 0;

	*err = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    db_meta_get(db, "period", &v) == 0 && strcmp(v, granularity_name(g)) != 0 &&
	    holds_values(db) != 0) {
		*err = mismatch_msg(path, v, g);
		rc = STORE_EMISMATCH;
	}
	free(v);
	sqlite3_close(db);
	return rc;
}

/* A database without values takes the configuration's granularity: looked
 * at again and written in one transaction, so that no import of the other
 * granularity comes between. 0, STORE_EMISMATCH, or -1. */
static int take_granularity(struct store *st, char **err)
{
	char *v = NULL;
	int r;

	if (db_exec(st->db, "BEGIN IMMEDIATE") != 0) {
		*err = db_msg("cannot write database %s: %s", st->path,
		    sqlite3_errmsg(st->db));
		return -1;
	}
	if (db_meta_get(st->db, "period", &v) < 0 || (r = holds_values(st->db)) < 0 ||
	    (!r && db_meta_set(st->db, "period", granularity_name(st->gran)) != 0) ||
	    (!r && db_exec(st->db, "COMMIT") != 0)) {
		*err = db_msg("cannot write database %s: %s", st->path,
		    sqlite3_errmsg(st->db));
		db_exec(st->db, "ROLLBACK");
		free(v);
		return -1;
	}
	if (r) {
		db_exec(st->db, "ROLLBACK");
		*err = mismatch_msg(st->path, v ? v : "?", st->gran);
		free(v);
		return STORE_EMISMATCH;
	}
	free(v);
	return 0;
}

int db_check_held_granularity(struct store *st)
{
	char *v = NULL;
	int rc = db_meta_get(st->db, "period", &v);

	if (rc == 0 && strcmp(v, granularity_name(st->gran)) != 0) {
		free(st->err);
		st->err = mismatch_msg(st->path, v, st->gran);
		rc = -1;
	}
	free(v);
	return rc < 0 ? -1 : 0;
}

int db_check_granularity(struct store *st, char **err)
{
	char *v = NULL;
	int rc = db_meta_get(st->db, "period", &v);

	if (rc < 0) {
		*err = db_msg("cannot read database %s: %s", st->path, sqlite3_errmsg(st->db));
		return -1;
	}
	if (rc == 1) {
		/* A database created before the period was recorded: claim it. */
		if (db_meta_set(st->db, "period", granularity_name(st->gran)) != 0) {
			*err = db_msg("cannot write database %s: %s", st->path,
			    sqlite3_errmsg(st->db));
			return -1;
		}
		return 0;
	}
	if (strcmp(v, granularity_name(st->gran)) != 0 && holds_values(st->db) != 0) {
		*err = mismatch_msg(st->path, v, st->gran);
		free(v);
		return STORE_EMISMATCH;
	}
	if (strcmp(v, granularity_name(st->gran)) != 0) {
		free(v);
		return take_granularity(st, err);
	}
	free(v);
	return 0;
}
