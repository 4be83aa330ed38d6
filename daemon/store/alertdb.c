/* Queries shared by the cycle and the alert commands
 * (include/vigie/alertdb.h): silences, counts, message ids, alert ids. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include "vigie/alertdb.h"
#include "vigie/xalloc.h"

int alertdb_new_uid(char out[ALERTDB_UID_LEN + 1])
{
	static const char b62[] =
	    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	unsigned char rnd[64];
	size_t n = 0;

	memcpy(out, "msg_", 4);
	while (n < 24) {
		ssize_t r = getrandom(rnd, sizeof(rnd), 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		/* Bytes >= 248 are dropped so that every character is
		 * equally likely (248 = 4 * 62). */
		for (ssize_t i = 0; i < r && n < 24; i++)
			if (rnd[i] < 248)
				out[4 + n++] = b62[rnd[i] % 62];
	}
	out[ALERTDB_UID_LEN] = '\0';
	return 0;
}

int alertdb_silences_load(struct store *st, struct silence_set *out)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *q = NULL;
	int rc;

	out->v = NULL;
	out->n = 0;
	if (sqlite3_prepare_v2(db, "SELECT id, rule, unit_glob, until_period FROM silence"
	    " WHERE removed_at IS NULL ORDER BY id", -1, &q, NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		out->v = xreallocarray(out->v, out->n + 1, sizeof(*out->v));
		out->v[out->n++] = (struct silence){
			.id = sqlite3_column_int64(q, 0),
			.rule = xstrdup((const char *)sqlite3_column_text(q, 1)),
			.unit_glob = xstrdup((const char *)sqlite3_column_text(q, 2)),
			.until = sqlite3_column_int(q, 3),
		};
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE) {
		alertdb_silences_free(out);
		return -1;
	}
	return 0;
}

void alertdb_silences_free(struct silence_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].rule);
		free(s->v[i].unit_glob);
	}
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

int alertdb_counts(struct store *st, struct alertdb_counts *c)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *q = NULL;
	int rc;

	*c = (struct alertdb_counts){ 0 };
	if (sqlite3_prepare_v2(db, "SELECT severity, count(*) FROM alert WHERE active"
	    " GROUP BY severity", -1, &q, NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *sev = (const char *)sqlite3_column_text(q, 0);
		size_t n = (size_t)sqlite3_column_int64(q, 1);
		c->active += n;
		if (sev && !strcmp(sev, "critical"))
			c->critical += n;
		else
			c->warning += n;
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return -1;
	if (sqlite3_prepare_v2(db, "SELECT status, count(*) FROM message"
	    " WHERE status IN ('pending', 'failed') GROUP BY status", -1, &q, NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *status = (const char *)sqlite3_column_text(q, 0);
		size_t n = (size_t)sqlite3_column_int64(q, 1);
		if (!strcmp(status, "pending"))
			c->pending = n;
		else
			c->failed = n;
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : -1;
}
