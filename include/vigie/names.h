/* The string interner shared by rules/ and daemon/: each distinct name is
 * kept once and numbered in order of first appearance, so that expressions,
 * the series builder and the CSV reader handle indices instead of strings.
 * Open addressing on an FNV-1a hash: a lookup costs one hash and usually one
 * comparison, also with tens of thousands of unit paths. Pure; allocation
 * through xalloc.h. Zero-initialise a struct names before use. */
#ifndef VIGIE_NAMES_H
#define VIGIE_NAMES_H

#include <stddef.h>
#include <stdint.h>

struct names {
	char **v;		/* the names by index, NUL-terminated, owned */
	size_t n, cap;
	size_t *len;		/* their lengths */
	uint32_t *slot;		/* hash table: index + 1, 0 when empty */
	size_t nslot;		/* a power of two, or 0 */
};

/* Index of s[0..len), or -1 when it is not there. */
int32_t names_find(const struct names *nm, const char *s, size_t len);
/* Index of s[0..len), added (copied) when new. */
uint32_t names_intern(struct names *nm, const char *s, size_t len);
/* Hands the strings over: *v (the caller frees each string and the array)
 * and *n; nm is left empty and reusable. */
void names_take(struct names *nm, char ***v, size_t *n);
/* Frees the strings and the table; nm is left empty and reusable. */
void names_free(struct names *nm);

#endif
