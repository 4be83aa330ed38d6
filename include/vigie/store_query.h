/* Reading another SQLite database (daemon/store/query.c): the `sqlite` pull
 * source runs its query there, read-only, and gets the rows back as a
 * long-form CSV document that ingestion validates like any file. */
#ifndef VIGIE_STORE_QUERY_H
#define VIGIE_STORE_QUERY_H

#include <stddef.h>

/* Opens path read-only and runs query, which must be one statement
 * returning four columns (unit, period, indicator, value), waiting at most
 * timeout_ms for a writer and for the query itself; the result may not
 * exceed max_size bytes. Returns 0 and a new document in *csv (*len bytes,
 * NUL-terminated; caller frees), or -1 and a new message in *err that
 * starts with path (caller frees). */
int store_query_csv(const char *path, const char *query, long timeout_ms,
    long long max_size, char **csv, size_t *len, char **err);

#endif
