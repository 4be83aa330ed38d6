/* Silences in the store (daemon/store/silences.c): what `vigie silence`
 * records and `vigie unsilence` removes; which alerts they hold is
 * lifecycle_silenced's to say. */
#ifndef VIGIE_STORE_SILENCES_H
#define VIGIE_STORE_SILENCES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vigie/lifecycle.h"
#include "vigie/store.h"

/* The silences not removed, for lifecycle_silenced. 0 and a new array (free
 * with store_silences_free), or -1. */
int store_silences_load(struct store *st, struct silence **v, size_t *n);
void store_silences_free(struct silence *v, size_t n);

/* A silence as `vigie silences` shows it. */
struct silence_row {
	struct silence s;
	char *reason, *author;	/* author may be NULL */
	int64_t created_at, removed_at;	/* removed_at 0 when not removed */
};
/* Every silence, removed and expired ones too, by id. 0 or -1. */
int store_silences_list(struct store *st, struct silence_row **v, size_t *n);
void store_silences_list_free(struct silence_row *v, size_t n);
/* Records a silence; *id is its id. author may be NULL. 0 or -1. */
int store_silence_add(struct store *st, const char *rule, const char *unit_glob,
    int32_t until, const char *reason, const char *author, int64_t now,
    int64_t *id);
/* Removes silence id at now: 1 removed, 0 no such silence in force, -1. */
int store_silence_remove(struct store *st, int64_t id, int64_t now);

#endif
