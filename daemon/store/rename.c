/* Renaming a unit (include/vigie/store.h, `vigie rename`): a team renamed
 * or moved by a reorganisation keeps its history. The rules read 27 months
 * of a unit (etc/rules.d/10-absences.yaml); a team whose export changes
 * its path starts again from nothing under the new one, blind for two
 * years, just when a reorganisation makes it worth watching. Here the
 * stored units at the old path and under it take the new path; a unit
 * that the new path's data already made takes the old one's values into
 * its own series, unless both hold a value for the same indicator and
 * period. Alerts, unit notes and the silences whose pattern begins with
 * the old path follow by path (a parent's alert exists through its
 * children, not in the unit table); events keep the names they were
 * recorded under. Recorded in the import log, so that the daemon
 * evaluates again, under a source name that store_renames reads back for
 * the import check of an old path (importcheck.c) and the console's
 * redirect of one (daemon/web/renamed.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "store_impl.h"
#include "vigie/store_accounts.h"
#include "vigie/period.h"
#include "vigie/unit.h"
#include "vigie/xalloc.h"

/* Paths equal to ?1 or under it, in SQL. */
#define UNDER(col) "(" col " = ?1 OR substr(" col ", 1, length(?1) + 1) = ?1 || '/')"
/* The same path under ?2. */
#define MOVED(col) "?2 || substr(" col ", length(?1) + 1)"

struct src {
	int64_t id;
	char *path, *target;
};

static void srcs_free(struct src *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].path);
		free(v[i].target);
	}
	free(v);
}

static void src_row(sqlite3_stmt *q, void *elem, void *ctx)
{
	const char *to = ctx, *path = db_col_text(q, 1);
	size_t from_len = (size_t)sqlite3_column_int64(q, 2);

	*(struct src *)elem = (struct src){ sqlite3_column_int64(q, 0), xstrdup(path),
	    xasprintf("%s%s", to, path + from_len) };
}

/* Steps q, which is kept for the next row: 0 when done, or -1. */
static int step_reset(sqlite3_stmt *q)
{
	int rc = sqlite3_step(q);

	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : -1;
}

static size_t defined(const double *v, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += !isnan(v[i]);
	return k;
}

/* A series row's values. */
struct vals {
	int32_t p0;
	double *v;
	size_t n;
};

static void vals_read(sqlite3_stmt *q, int col, struct vals *x)
{
	size_t bytes = (size_t)sqlite3_column_bytes(q, col + 1);

	x->p0 = (int32_t)sqlite3_column_int(q, col);
	x->n = bytes / sizeof(double);
	x->v = xcalloc(x->n ? x->n : 1, sizeof(double));
	db_vals_decode(sqlite3_column_blob(q, col + 1), x->n, x->v);
}

/* a and b on one span, b's values into a's: -1 and *clash the first period
 * where both have one; with sum, their sum there (*summed counts them), as
 * the roll-up adds two sibling units (SPEC 2). */
static int vals_merge(struct vals *a, const struct vals *b, bool sum,
    int32_t *clash, size_t *summed)
{
	int32_t lo = a->p0 < b->p0 ? a->p0 : b->p0;
	int32_t hi = a->p0 + (int32_t)a->n > b->p0 + (int32_t)b->n ?
	    a->p0 + (int32_t)a->n : b->p0 + (int32_t)b->n;
	double *v = xcalloc((size_t)(hi - lo), sizeof(double));

	for (int32_t p = lo; p < hi; p++)
		v[p - lo] = db_vals_undef();
	for (size_t i = 0; i < a->n; i++)
		v[a->p0 - lo + (int32_t)i] = a->v[i];
	for (size_t i = 0; i < b->n; i++) {
		double *at = &v[b->p0 - lo + (int32_t)i];
		if (isnan(b->v[i]))
			continue;
		if (!isnan(*at) && sum) {
			*at += b->v[i];
			++*summed;
			continue;
		}
		if (!isnan(*at)) {
			*clash = b->p0 + (int32_t)i;
			free(v);
			return -1;
		}
		*at = b->v[i];
	}
	free(a->v);
	a->v = v;
	a->p0 = lo;
	a->n = (size_t)(hi - lo);
	return 0;
}

/* Moves the series of unit s into unit tid (which exists): each
 * indicator's row re-keyed, or merged into tid's row of it. 1 and
 * *conflict on a clash; 0; -1. */
static int merge_into(struct store *st, const struct src *s, int64_t tid,
    unsigned how, struct rename_stats *rs)
{
	bool dry = how & RENAME_DRY_RUN;
	sqlite3_stmt *q = db_prepare(st, "SELECT s.indicator, i.name, s.p0, s.vals,"
	    " t.p0, t.vals FROM series s JOIN indicator i ON i.id = s.indicator"
	    " LEFT JOIN series t ON t.unit = ?2 AND t.indicator = s.indicator"
	    " WHERE s.unit = ?1");
	sqlite3_stmt *mv = db_prepare(st, "UPDATE series SET unit = ?2 WHERE unit = ?1"
	    " AND indicator = ?3");
	sqlite3_stmt *put = db_prepare(st, "UPDATE series SET p0 = ?3, vals = ?4"
	    " WHERE unit = ?1 AND indicator = ?2");
	sqlite3_stmt *del = db_prepare(st, "DELETE FROM series WHERE unit = ?1 AND"
	    " indicator = ?2");
	int rc = -1, step;

	if (!q || !mv || !put || !del)
		goto out;
	sqlite3_bind_int64(q, 1, s->id);
	sqlite3_bind_int64(q, 2, tid);
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t ind = sqlite3_column_int64(q, 0);
		struct vals a = { 0 }, b = { 0 };
		unsigned char *bytes;
		int32_t clash;
		int ok;


		vals_read(q, 2, &b);
		rs->values += defined(b.v, b.n);
		if (sqlite3_column_type(q, 4) == SQLITE_NULL) {
			free(b.v);
			if (dry)
				continue;
			sqlite3_bind_int64(mv, 1, s->id);
			sqlite3_bind_int64(mv, 2, tid);
			sqlite3_bind_int64(mv, 3, ind);
			if (step_reset(mv) != 0)
				goto out;
			continue;
		}
		vals_read(q, 4, &a);
		if (vals_merge(&a, &b, how & RENAME_SUM, &clash, &rs->summed) != 0) {
			char per[PERIOD_BUFSZ];

			period_format(store_granularity(st), clash, per);
			rs->conflict = xasprintf("%s and %s both have a value of %s for %s",
			    s->path, s->target, db_col_text(q, 1), per);
			rs->clash_from = xstrdup(s->path);
			rs->clash_to = xstrdup(s->target);
			rs->clash_indicator = xstrdup(db_col_text(q, 1));
			rs->clash_period = clash;
			rs->why = RENAME_CLASH;
			free(a.v);
			free(b.v);
			rc = 1;
			goto out;
		}
		free(b.v);
		if (dry) {
			free(a.v);
			continue;
		}
		bytes = xmalloc(a.n * sizeof(double));
		db_vals_encode(a.v, a.n, bytes);
		free(a.v);
		sqlite3_bind_int64(put, 1, tid);
		sqlite3_bind_int64(put, 2, ind);
		sqlite3_bind_int(put, 3, a.p0);
		sqlite3_bind_blob(put, 4, bytes, (int)(a.n * sizeof(double)), SQLITE_TRANSIENT);
		ok = step_reset(put);
		free(bytes);
		sqlite3_bind_int64(del, 1, s->id);
		sqlite3_bind_int64(del, 2, ind);
		if (ok != 0 || step_reset(del) != 0)
			goto out;
	}
	rc = step == SQLITE_DONE ? 0 : -1;
out:
	sqlite3_finalize(q);
	sqlite3_finalize(mv);
	sqlite3_finalize(put);
	sqlite3_finalize(del);
	return rc;
}

/* The values of unit id. */
static int count_values(struct store *st, int64_t id, size_t *values)
{
	sqlite3_stmt *q = db_prepare(st, "SELECT p0, vals FROM series WHERE unit = ?");
	int step;

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		struct vals x;
		vals_read(q, 0, &x);
		*values += defined(x.v, x.n);
		free(x.v);
	}
	sqlite3_finalize(q);
	return step == SQLITE_DONE ? 0 : -1;
}

/* Runs sql (UNDER/MOVED of ?1 from, ?2 to); *n: the rows it changed, or
 * with dry, the rows counted by count_sql. */
static int by_path(struct store *st, const char *sql, const char *count_sql,
    const char *from, const char *to, bool dry, size_t *n)
{
	sqlite3_stmt *q = db_prepare(st, dry ? count_sql : sql);
	int rc;

	if (!q)
		return -1;
	db_bind_text(q, 1, from);
	db_bind_text(q, 2, to);
	rc = sqlite3_step(q);
	if (dry && rc == SQLITE_ROW)
		*n = (size_t)sqlite3_column_int64(q, 0);
	else if (!dry && rc == SQLITE_DONE)
		*n = (size_t)sqlite3_changes(st->db);
	sqlite3_finalize(q);
	return rc == (dry ? SQLITE_ROW : SQLITE_DONE) ? 0 : -1;
}

/* 1 when unit s, at its new path, would have values of its own at periods
 * where stored units under that path have theirs: the new path's figures
 * there would be s's, not their sum (SPEC 2: a unit's own value comes
 * before its children's), a team renamed onto its department's path. */
static int shadows_children(struct store *st, const struct src *s)
{
	sqlite3_stmt *q = db_prepare(st, "SELECT (SELECT min(p0) FROM series WHERE"
	    " unit = ?1), (SELECT max(p0 + length(vals) / 8 - 1) FROM series WHERE"
	    " unit = ?1), min(c.p0), max(c.p0 + length(c.vals) / 8 - 1) FROM series c"
	    " JOIN unit u ON u.id = c.unit WHERE substr(u.path, 1, length(?2) + 1) ="
	    " ?2 || '/'");
	int rc = -1;

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, s->id);
	db_bind_text(q, 2, s->target);
	if (sqlite3_step(q) == SQLITE_ROW)
		rc = sqlite3_column_type(q, 2) != SQLITE_NULL &&
		    sqlite3_column_type(q, 0) != SQLITE_NULL &&
		    sqlite3_column_int(q, 0) <= sqlite3_column_int(q, 3) &&
		    sqlite3_column_int(q, 2) <= sqlite3_column_int(q, 1);
	sqlite3_finalize(q);
	return rc;
}

/* *left: the silences in force that hold from, or one of the n units
 * renamed, by a pattern that does not begin with from ("acme/ * /night")
 * and do not hold its new path: they do not follow, and the user is told
 * to look at them. Those that begin with from follow (rename_all). */
static int silences_left(struct store *st, const struct src *v, size_t n,
    const char *from, const char *to, size_t *left)
{
	sqlite3_stmt *q = db_prepare(st, "SELECT unit_glob FROM silence WHERE"
	    " removed_at IS NULL AND NOT " UNDER("unit_glob"));
	int step;

	if (!q)
		return -1;
	db_bind_text(q, 1, from);
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		const char *glob = db_col_text(q, 0);
		if (unit_glob_match(glob, from) && !unit_glob_match(glob, to)) {
			++*left;
			continue;
		}
		for (size_t i = 0; i < n; i++)
			if (unit_glob_match(glob, v[i].path) &&
			    !unit_glob_match(glob, v[i].target)) {
				++*left;
				break;
			}
	}
	sqlite3_finalize(q);
	return step == SQLITE_DONE ? 0 : -1;
}

/* An alert moves unless the new path has one of its rule already. */
#define ALERT_FREE "NOT EXISTS (SELECT 1 FROM alert b WHERE b.rule = alert.rule" \
	" AND b.unit = " MOVED("alert.unit") ")"

static int rename_all(struct store *st, struct src *v, size_t n, const char *from,
    const char *to, unsigned how, struct rename_stats *s)
{
	bool dry = how & RENAME_DRY_RUN;
	size_t kept;
	sqlite3_stmt *find = db_prepare(st, "SELECT id FROM unit WHERE path = ?");
	sqlite3_stmt *re = db_prepare(st, "UPDATE unit SET path = ?2 WHERE id = ?1");
	int rc = -1, step;

	if (!find || !re)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const char *why;
		size_t pos;

		if ((why = unit_path_check(v[i].target, strlen(v[i].target), &pos))) {
			s->conflict = xasprintf("%s would become %s: %s", v[i].path,
			    v[i].target, why);
			s->why = RENAME_TOO_LONG;
			rc = 1;
			goto out;
		}
		if ((rc = shadows_children(st, &v[i])) != 0) {
			if (rc == 1) {
				s->conflict = xasprintf("%s has units under it with values "
				    "for periods of %s's: its figures there would be %s's, "
				    "not their sum", v[i].target, v[i].path, v[i].path);
				s->clash_from = xstrdup(v[i].path);
				s->clash_to = xstrdup(v[i].target);
				s->why = RENAME_PARENT;
			}
			goto out;
		}
		rc = -1;
		db_bind_text(find, 1, v[i].target);
		step = sqlite3_step(find);
		if (step == SQLITE_ROW) {
			int64_t tid = sqlite3_column_int64(find, 0);
			sqlite3_reset(find);
			if ((rc = merge_into(st, &v[i], tid, how, s)) != 0)
				goto out;
			rc = -1;
			continue;
		}
		sqlite3_reset(find);
		if (step != SQLITE_DONE || count_values(st, v[i].id, &s->values) != 0)
			goto out;
		if (dry)
			continue;
		sqlite3_bind_int64(re, 1, v[i].id);
		db_bind_text(re, 2, v[i].target);
		if (step_reset(re) != 0)
			goto out;
	}
	if (by_path(st, "UPDATE alert SET unit = " MOVED("unit") " WHERE " UNDER("unit")
	    " AND " ALERT_FREE, "SELECT count(*) FROM alert WHERE " UNDER("unit") " AND "
	    ALERT_FREE, from, to, dry, &s->alerts) != 0 ||
	    by_path(st, "UPDATE note SET unit = " MOVED("unit") " WHERE " UNDER("unit"),
	    "SELECT count(*) FROM note WHERE " UNDER("unit"), from, to, dry,
	    &s->notes) != 0 || silences_left(st, v, n, from, to, &s->silences_left) != 0 ||
	    by_path(st, "UPDATE silence SET unit_glob = " MOVED("unit_glob") " WHERE"
	    " removed_at IS NULL AND " UNDER("unit_glob"), "SELECT count(*) FROM"
	    " silence WHERE removed_at IS NULL AND " UNDER("unit_glob"), from, to,
	    dry, &s->silences) != 0 ||
	    store_accounts_rescope(st, from, to, dry, &s->accounts) != 0 ||
	    by_path(st, "UPDATE OR IGNORE kept_hidden SET unit = " MOVED("unit")
	    " WHERE " UNDER("unit"), "SELECT 0", from, to, dry, &kept) != 0 ||
	    /* what a merge found kept at the new path already */
	    by_path(st, "DELETE FROM kept_hidden WHERE " UNDER("unit") " AND ?2 = ?2",
	    "SELECT 0", from, to, dry, &kept) != 0)
		goto out;
	rc = dry ? 0 : db_drop_unnamed(st->db);
out:
	sqlite3_finalize(find);
	sqlite3_finalize(re);
	return rc;
}

/* The import log's source of a rename; store_renames reads it back. */
#define RENAMED "vigie rename "

int store_rename_units(struct store *st, const char *from, const char *to,
    const struct import_origin *by, unsigned how, struct rename_stats *s)
{
	bool dry = how & RENAME_DRY_RUN;
	sqlite3 *db = st->db;
	int own = sqlite3_get_autocommit(db);
	sqlite3_stmt *q, *log = NULL;
	struct src *v = NULL;
	size_t n = 0;
	char *what = NULL;
	int rc = -1;

	memset(s, 0, sizeof(*s));
	if (unit_is_under(to, from) || unit_is_under(from, to)) {
		s->conflict = xasprintf("%s and %s: one is within the other", from, to);
		s->why = RENAME_WITHIN;
		return 1;
	}
	if (own && store_begin(st) != 0)
		return -1;
	/* Paths are ASCII (unit_path_check): length() counts bytes. */
	q = db_prepare(st, "SELECT id, path, length(?1) FROM unit WHERE " UNDER("path")
	    " ORDER BY path");
	if (!q)
		goto out;
	db_bind_text(q, 1, from);
	if (db_collect(q, sizeof(*v), src_row, (void *)to, (void **)&v, &n) != 0)
		goto out;
	s->units = n;
	if (!n) {
		rc = 0;
		goto out;
	}
	if ((rc = rename_all(st, v, n, from, to, how, s)) != 0 || dry)
		goto out;
	rc = -1;
	log = db_prepare(st, "INSERT INTO import_log(at, source, sha256, rows, vals,"
	    " added, replaced, unchanged, actor, via) VALUES(?, ?, '=', 0, ?, 0, 0,"
	    " 0, ?, ?)");
	if (!log)
		goto out;
	what = xasprintf(RENAMED "%s %s", from, to);
	sqlite3_bind_int64(log, 1, (int64_t)time(NULL));
	db_bind_text(log, 2, what);
	sqlite3_bind_int64(log, 3, (int64_t)s->values);
	db_bind_text(log, 4, by ? by->actor : NULL);
	db_bind_text(log, 5, by ? by->via : NULL);
	if (step_reset(log) != 0)
		goto out;
	rc = own ? store_commit(st) : 0;
out:
	if (rc < 0)
		db_keep_error(st);
	sqlite3_finalize(log);
	if (own && (rc != 0 || dry || !n))	/* nothing to keep */
		store_rollback(st);
	srcs_free(v, n);
	free(what);
	return rc;
}

/* A row of store_renames: RENAMED "FROM TO" (unit paths have no space). */
static void rename_row(sqlite3_stmt *q, void *elem, void *ctx)
{
	const char *src = db_col_text(q, 0) + strlen(RENAMED);
	size_t len = strcspn(src, " ");

	(void)ctx;
	*(struct store_rename *)elem = (struct store_rename){ xstrndup(src, len),
	    xstrdup(src[len] ? src + len + 1 : ""), sqlite3_column_int64(q, 1) };
}

int store_renames(struct store *st, struct store_rename **v, size_t *n)
{
	sqlite3_stmt *q = db_prepare(st, "SELECT source, at FROM import_log WHERE"
	    " sha256 = '=' AND source LIKE '" RENAMED "% %' ORDER BY id DESC");

	*v = NULL;
	*n = 0;
	if (!q || db_collect(q, sizeof(**v), rename_row, NULL, (void **)v, n) != 0) {
		store_renames_free(*v, *n);
		*v = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void store_renames_free(struct store_rename *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].from);
		free(v[i].to);
	}
	free(v);
}

void rename_stats_detail(const struct rename_stats *s, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%zu value%s", s->values, s->values == 1 ? "" : "s");

	if (s->summed && n >= 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, ", %zu added to the new path's",
		    s->summed);
}

void rename_stats_free(struct rename_stats *s)
{
	free(s->conflict);
	free(s->clash_from);
	free(s->clash_to);
	free(s->clash_indicator);
}
