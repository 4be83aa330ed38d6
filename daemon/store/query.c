/* Reading another SQLite database (include/vigie/store_query.h). The result
 * is rendered as a long-form CSV in memory, fields quoted per RFC 4180 when
 * they need it and reals written with 17 significant digits, so that the
 * CSV reader sees exactly the stored values. A progress handler enforces
 * the timeout on a long query. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "store_impl.h"
#include "vigie/progress.h"
#include "vigie/store_query.h"
#include "vigie/xalloc.h"

struct membuf {
	char *buf;
	size_t len, cap;
};

static void mb_put(struct membuf *m, const char *s, size_t n)
{
	if (m->len + n + 1 > m->cap) {
		size_t cap = m->cap ? m->cap : 4096;
		while (m->len + n + 1 > cap)
			cap *= 2;
		m->buf = xrealloc(m->buf, cap);
		m->cap = cap;
	}
	memcpy(m->buf + m->len, s, n);
	m->len += n;
	m->buf[m->len] = '\0';
}

/* One CSV field, quoted per RFC 4180 when it needs to be. */
static void mb_field(struct membuf *m, const char *s, size_t n)
{
	if (!memchr(s, ',', n) && !memchr(s, '"', n) && !memchr(s, '\n', n) &&
	    !memchr(s, '\r', n)) {
		mb_put(m, s, n);
		return;
	}
	mb_put(m, "\"", 1);
	for (size_t i = 0; i < n; i++)
		mb_put(m, s[i] == '"' ? "\"\"" : &s[i], s[i] == '"' ? 2 : 1);
	mb_put(m, "\"", 1);
}

static int on_progress(void *arg)
{
	const struct timespec *deadline = arg;
	struct timespec now;

	progress_tick();
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > deadline->tv_sec ||
	    (now.tv_sec == deadline->tv_sec && now.tv_nsec >= deadline->tv_nsec);
}

int store_query_csv(const char *path, const char *query, long timeout_ms,
    long long max_size, char **csv, size_t *len, char **err)
{
	struct membuf m = { 0 };
	struct timespec deadline;
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;
	const char *tail;
	int rc, ncol;

	*csv = NULL;
	*len = 0;
	*err = NULL;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout_ms / 1000;
	deadline.tv_nsec += (timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		*err = db_msg("%s: cannot open: %s", path, db ? db_errmsg(db)
		    : "out of memory");
		goto out;
	}
	/* A writer holding the database waits at most the timeout; so does a
	 * long query, through the progress handler. */
	sqlite3_busy_timeout(db, (int)(timeout_ms > 2000000000L ? 2000000000L
	    : timeout_ms));
	sqlite3_progress_handler(db, 1000, on_progress, &deadline);
	if (sqlite3_prepare_v2(db, query, -1, &q, &tail) != SQLITE_OK) {
		*err = db_msg("%s: query: %s", path, db_errmsg(db));
		goto out;
	}
	if (!q) {
		*err = db_msg("%s: the query is empty", path);
		goto out;
	}
	while (*tail && (isspace((unsigned char)*tail) || *tail == ';'))
		tail++;
	if (*tail) {
		*err = db_msg("%s: the query must be a single statement", path);
		goto out;
	}
	if ((ncol = sqlite3_column_count(q)) != 4) {
		*err = db_msg("%s: the query returns %d column%s; it must return 4: unit, "
		    "period, indicator, value", path, ncol, ncol == 1 ? "" : "s");
		goto out;
	}
	mb_put(&m, "unit,period,indicator,value\n", 28);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		for (int i = 0; i < 4; i++) {
			char num[64];
			const char *t = num;
			size_t n;

			switch (sqlite3_column_type(q, i)) {
			case SQLITE_FLOAT:
				n = (size_t)snprintf(num, sizeof(num), "%.17g",
				    sqlite3_column_double(q, i));
				break;
			case SQLITE_NULL:
				n = 0;
				break;
			default:
				t = (const char *)sqlite3_column_text(q, i);
				n = (size_t)sqlite3_column_bytes(q, i);
				if (!t)
					t = "", n = 0;
				break;
			}
			if (i)
				mb_put(&m, ",", 1);
			mb_field(&m, t, n);
		}
		mb_put(&m, "\n", 1);
		if ((long long)m.len > max_size) {
			*err = db_msg("%s: the query's result is larger than max_size "
			    "(%lld bytes)", path, max_size);
			goto out;
		}
	}
	if (rc == SQLITE_INTERRUPT) {
		*err = db_msg("%s: the query took longer than its timeout (%ld ms)",
		    path, timeout_ms);
		goto out;
	}
	if (rc != SQLITE_DONE) {
		*err = db_msg("%s: query: %s", path, db_errmsg(db));
		goto out;
	}
	*csv = m.buf;
	*len = m.len;
	m.buf = NULL;
out:
	free(m.buf);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return *csv ? 0 : -1;
}
