/* The string interner (include/vigie/names.h). The table is kept at most
 * half full and rebuilt at twice the size when it would not be; names are
 * compared by length first, so a probe rarely reads a string. */
#include <stdlib.h>
#include <string.h>
#include "vigie/names.h"
#include "vigie/progress.h"
#include "vigie/xalloc.h"

static uint32_t hash_bytes(const char *s, size_t len)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

/* The slot where s belongs: its own, or the empty one that ends its probe. */
static size_t probe(const struct names *nm, const char *s, size_t len)
{
	size_t h = hash_bytes(s, len) & (nm->nslot - 1);

	while (nm->slot[h]) {
		size_t i = nm->slot[h] - 1;
		if (nm->len[i] == len && memcmp(nm->v[i], s, len) == 0)
			break;
		h = (h + 1) & (nm->nslot - 1);
	}
	return h;
}

int32_t names_find(const struct names *nm, const char *s, size_t len)
{
	if (!nm->nslot)
		return -1;
	size_t h = probe(nm, s, len);
	return nm->slot[h] ? (int32_t)(nm->slot[h] - 1) : -1;
}

static void grow_table(struct names *nm)
{
	size_t nslot = nm->nslot ? nm->nslot * 2 : 64;

	free(nm->slot);
	nm->slot = xcalloc(nslot, sizeof(*nm->slot));
	nm->nslot = nslot;
	for (size_t i = 0; i < nm->n; i++) {
		if ((i & 0xFFFF) == 0xFFFF)
			progress_tick();	/* a header of a million names */
		nm->slot[probe(nm, nm->v[i], nm->len[i])] = (uint32_t)i + 1;
	}
}

uint32_t names_intern(struct names *nm, const char *s, size_t len)
{
	if ((nm->n + 1) * 2 > nm->nslot)
		grow_table(nm);
	size_t h = probe(nm, s, len);
	if (nm->slot[h])
		return nm->slot[h] - 1;
	if (nm->n >= UINT32_MAX - 1)
		xalloc_die();
	if (nm->n == nm->cap) {
		nm->cap = nm->cap ? nm->cap * 2 : 16;
		nm->v = xreallocarray(nm->v, nm->cap, sizeof(*nm->v));
		nm->len = xreallocarray(nm->len, nm->cap, sizeof(*nm->len));
	}
	/* memcpy, not strndup: the length is the key, NUL bytes included. */
	nm->v[nm->n] = xmalloc(len + 1);
	memcpy(nm->v[nm->n], s, len);
	nm->v[nm->n][len] = '\0';
	nm->len[nm->n] = len;
	nm->slot[h] = (uint32_t)nm->n + 1;
	return (uint32_t)nm->n++;
}

void names_take(struct names *nm, char ***v, size_t *n)
{
	*v = nm->v;
	*n = nm->n;
	nm->v = NULL;
	nm->n = 0;
	names_free(nm);
}

void names_free(struct names *nm)
{
	for (size_t i = 0; i < nm->n; i++)
		free(nm->v[i]);
	free(nm->v);
	free(nm->len);
	free(nm->slot);
	memset(nm, 0, sizeof(*nm));
}
