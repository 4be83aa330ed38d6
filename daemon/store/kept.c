/* The cells kept hidden across changes of the data (store.h,
 * store_keep_hidden; SPEC 3 against time). Complementary suppression
 * picks a small team's companion from each period's data, so a late file
 * for a period whose figures were shown may pick another: the one hidden
 * until then would be shown, and beside the figures shown before it gives
 * the small team away. Its cell stays hidden instead, recorded here before
 * the change is written, and every series loaded marks it. So does a
 * small team's own: a headcount corrected later, over the floor, would
 * show its figures of a period when they were hidden; its unit is kept
 * under the floor there (a row of indicator KEPT_BELOW, series.h). */
#include <stdlib.h>
#include <string.h>
#include "store_impl.h"
#include "vigie/series.h"

int store_keep_hidden(struct store *st, const struct kept_cell *v, size_t n)
{
	sqlite3_stmt *q;
	int own = sqlite3_get_autocommit(st->db), rc = 0;

	if (n == 0)
		return 0;
	if (!(q = db_prepare(st, "INSERT OR IGNORE INTO kept_hidden(unit, indicator,"
	    " period) VALUES(?1, ?2, ?3)")))
		return -1;
	if (own && store_begin(st) != 0) {
		sqlite3_finalize(q);
		return -1;
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		db_bind_text(q, 1, v[i].unit);
		db_bind_text(q, 2, v[i].indicator);
		sqlite3_bind_int(q, 3, v[i].period);
		rc = sqlite3_step(q) == SQLITE_DONE ? 0 : -1;
		sqlite3_reset(q);
	}
	sqlite3_finalize(q);
	if (own && (rc != 0 || store_commit(st) != 0)) {
		store_rollback(st);
		return -1;
	}
	return rc;
}

int db_load_kept(sqlite3 *db, struct series *s)
{
	sqlite3_stmt *q;
	int rc;

	if (s->np <= 0 || sqlite3_prepare_v2(db, "SELECT unit, indicator, period FROM"
	    " kept_hidden WHERE period BETWEEN ?1 AND ?2", -1, &q, NULL) != SQLITE_OK)
		return s->np <= 0 ? 0 : -1;
	sqlite3_bind_int(q, 1, s->p0);
	sqlite3_bind_int(q, 2, s->p0 + s->np - 1);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int32_t u = series_unit(s, (const char *)sqlite3_column_text(q, 0));
		const char *ind = (const char *)sqlite3_column_text(q, 1);
		int32_t x = series_indicator(s, ind), i = sqlite3_column_int(q, 2) - s->p0;

		if (u >= 0 && (!strcmp(ind, KEPT_BELOW) ?
		    series_keep_below(s, (uint32_t)u, i) :
		    x >= 0 ? series_keep(s, (uint32_t)u, (uint32_t)x, i) : 0) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : -1;
}

int store_kept_below(struct store *st, const char *unit, int32_t period)
{
	sqlite3_stmt *q = db_prepare(st, "SELECT 1 FROM kept_hidden WHERE unit = ?1"
	    " AND indicator = '" KEPT_BELOW "' AND period = ?2");
	int rc;

	if (!q)
		return -1;
	db_bind_text(q, 1, unit);
	sqlite3_bind_int(q, 2, period);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}
