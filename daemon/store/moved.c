/* Where renamed units and their alerts are today (vigie rename,
 * rename.c): the path the renames gave an old one, the alert an old name
 * stands for, and an alert's first name; read by the import check of an
 * old path, vigie history and ack, and the console's redirects. */
#include <stdlib.h>
#include <string.h>
#include "store_impl.h"
#include "vigie/store_alerts.h"
#include "vigie/unit.h"
#include "vigie/xalloc.h"

char *store_renamed_path(const struct store_rename *v, size_t n, const char *path,
    bool live, int64_t *at)
{
	char *p = NULL;

	/* Oldest first: v is the latest first. */
	for (size_t i = n; i-- > 0; ) {
		char *q;

		if (p && live && unit_is_under(path, v[i].to)) {
			/* Another unit took the name since (a swap, a rename
			 * back): the path names that one today. A rename onto
			 * a site the team had left brought nothing there. */
			free(p);
			p = NULL;
			continue;
		}
		if (!unit_is_under(p ? p : path, v[i].from))
			continue;
		if (!p)
			*at = v[i].at;
		q = xasprintf("%s%s", v[i].to, (p ? p : path) + strlen(v[i].from));
		free(p);
		p = q;
	}
	return p;
}

int store_alert_first(struct store *st, int64_t alert, char **unit, int64_t *at)
{
	sqlite3_stmt *q = db_prepare(st, "SELECT unit, at FROM event WHERE alert = ?"
	    " ORDER BY id LIMIT 1");
	int rc;

	*unit = NULL;
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, alert);
	if ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		*unit = xstrdup(db_col_text(q, 0));
		*at = sqlite3_column_int64(q, 1);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

/* The alert of rule at the unit the renames gave unit (a name it had
 * between two renames, under which nothing was recorded): 0 with *to, 1
 * none, -1. */
static int moved_by_renames(struct store *st, const char *rule,
    const char *unit, char **to)
{
	sqlite3_stmt *q = db_prepare(st, "SELECT 1 FROM unit WHERE path = ?");
	struct store_rename *v = NULL;
	size_t n = 0;
	int64_t at, id;
	struct alert_state state;
	int live, rc = -1;

	if (!q)
		return -1;
	db_bind_text(q, 1, unit);
	live = sqlite3_step(q);
	sqlite3_finalize(q);
	if ((live != SQLITE_ROW && live != SQLITE_DONE) || store_renames(st, &v, &n) != 0)
		goto out;
	*to = store_renamed_path(v, n, unit, live == SQLITE_ROW, &at);
	rc = *to ? store_alert_find(st, rule, *to, &id, &state) : 1;
	if (rc != 0) {
		free(*to);
		*to = NULL;
	}
out:
	store_renames_free(v, n);
	return rc;
}

int store_alert_moved(struct store *st, const char *rule, const char *unit,
    char **to)
{
	/* Its events keep the name they were recorded under. */
	sqlite3_stmt *q = db_prepare(st, "SELECT a.unit FROM event e JOIN alert a"
	    " ON a.id = e.alert WHERE e.rule = ?1 AND e.unit = ?2 AND a.unit <> ?2"
	    " ORDER BY e.id DESC LIMIT 1");
	int rc;

	*to = NULL;
	if (!q)
		return -1;
	db_bind_text(q, 1, rule);
	db_bind_text(q, 2, unit);
	if ((rc = sqlite3_step(q)) == SQLITE_ROW)
		*to = xstrdup(db_col_text(q, 0));
	sqlite3_finalize(q);
	if (rc == SQLITE_DONE)
		return moved_by_renames(st, rule, unit, to);
	return rc == SQLITE_ROW ? 0 : -1;
}
