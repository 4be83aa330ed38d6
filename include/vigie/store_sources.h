/* The state of each pull source in the store (daemon/store/sources.c): the
 * validators and hash of its last good answer, its last run, success and
 * error, and when it is due again. */
#ifndef VIGIE_STORE_SOURCES_H
#define VIGIE_STORE_SOURCES_H

#include <stdbool.h>
#include <stdint.h>
#include "vigie/store.h"

struct source_state {
	bool found;		/* the source has run before */
	char *etag, *last_modified, *hash;	/* of the last good answer, or NULL */
	int64_t last_run, last_success, last_error_at, next_run;	/* 0: never */
	char *last_error;	/* NULL unless the last run failed */
};

/* Loads the state of source name (found is false when it never ran).
 * 0 or -1; free the strings with store_source_state_clear. */
int store_source_get(struct store *st, const char *name, struct source_state *s);
void store_source_state_clear(struct source_state *s);
/* Records a good run at now: validators and hash replaced, error cleared,
 * due again at next_run. 0 or -1. */
int store_source_ok(struct store *st, const char *name, int64_t now,
    const char *etag, const char *last_modified, const char *hash,
    int64_t next_run);
/* Records a failed run at now: only the error, its time and the next run
 * change, so the next run asks with the validators of the last good
 * answer. 0 or -1. */
int store_source_failed(struct store *st, const char *name, int64_t now,
    const char *error, int64_t next_run);

#endif
