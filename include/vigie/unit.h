/* Unit paths ("acme/nancy/logistics") and unit globs ("acme/ * /x", "acme/ **"). */
#ifndef VIGIE_UNIT_H
#define VIGIE_UNIT_H

#include <stdbool.h>
#include <stddef.h>

#define UNIT_MAX_BYTES 255
#define UNIT_MAX_SEGMENTS 16

/* Checks a unit path (SPEC 2). Returns NULL when valid, else a static
 * message and, in *errpos, the byte offset of the offending character. */
const char *unit_path_check(const char *s, size_t len, size_t *errpos);
/* A valid unit path (or glob) for one that only its accented Latin letters,
 * the spaces (or no-break spaces) around it or around its slashes, a slash
 * at its end or backslashes for slashes make invalid ("valdis/épinal "
 * and "valdis\\epinal /" give "valdis/epinal"): a new string the caller
 * frees, or NULL. */
char *unit_hint(const char *s, size_t len, bool glob);
/* Length of the parent's path (0 for a top-level unit). */
size_t unit_parent_len(const char *path, size_t len);
/* Checks a glob: segments as in paths, or "*" or "**". Same return as above. */
const char *unit_glob_check(const char *glob, size_t *errpos);
/* "*" matches exactly one segment, "**" one or more. */
bool unit_glob_match(const char *glob, const char *path);
/* unit_glob_match(glob, unit) as the keep predicate of a removal
 * (store_delete_matching, delete_check_late): glob is its ctx. */
bool unit_glob_keeps(const char *unit, const void *glob);
/* Whether path is anc or a unit under it ("acme/a" is under "acme", not
 * "acme-b"). */
bool unit_is_under(const char *path, const char *anc);
/* The n unit paths and all their ancestors, each once, in a new sorted
 * array *out (caller frees each string and the array); returns how many. */
size_t unit_closure(char *const *units, size_t n, char ***out);
/* True when glob matches one of the n unit paths (their ancestors among
 * them: a unit_closure). When it matches none, hint gets the glob with its
 * literal segments (those before the first wildcard) replaced by the
 * closest unit of that depth, or "" when none is close. */
bool unit_glob_reaches(const char *glob, char *const *units, size_t n,
    char *hint, size_t size);

#endif
