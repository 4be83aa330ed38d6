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
/* Length of the parent's path (0 for a top-level unit). */
size_t unit_parent_len(const char *path, size_t len);
/* Checks a glob: segments as in paths, or "*" or "**". Same return as above. */
const char *unit_glob_check(const char *glob, size_t *errpos);
/* "*" matches exactly one segment, "**" one or more. */
bool unit_glob_match(const char *glob, const char *path);

#endif
