/* A small fixed-size cache of values by string key (web_impl.h), attached
 * to a snapshot and freed with it: what was computed from an immutable
 * snapshot stays true as long as the snapshot lives, so nothing is ever
 * evicted or invalidated. Open addressing with linear probing; once three
 * quarters full it takes no more entries (the caller then keeps its value
 * and the work is simply not shared). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/xalloc.h"
#include "web_impl.h"

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

void memo_init(struct memo *m, size_t cap, void (*free_val)(void *))
{
	memset(m, 0, sizeof(*m));
	pthread_mutex_init(&m->lock, NULL);
	m->cap = cap;	/* a power of two */
	m->keys = xcalloc(cap, sizeof(*m->keys));
	m->vals = xcalloc(cap, sizeof(*m->vals));
	m->free_val = free_val;
}

void *memo_get(struct memo *m, const char *key)
{
	size_t i = (size_t)hash(key) & (m->cap - 1);
	void *v = NULL;

	pthread_mutex_lock(&m->lock);
	for (; m->keys[i]; i = (i + 1) & (m->cap - 1))
		if (!strcmp(m->keys[i], key)) {
			v = m->vals[i];
			break;
		}
	pthread_mutex_unlock(&m->lock);
	return v;
}

void *memo_put(struct memo *m, const char *key, void *val)
{
	size_t i = (size_t)hash(key) & (m->cap - 1);
	void *v = NULL;

	pthread_mutex_lock(&m->lock);
	for (; m->keys[i]; i = (i + 1) & (m->cap - 1))
		if (!strcmp(m->keys[i], key)) {
			v = m->vals[i];	/* another request was first */
			break;
		}
	if (!v && (m->n + 1) * 4 <= m->cap * 3) {
		m->keys[i] = xstrdup(key);
		m->vals[i] = v = val;
		m->n++;
	}
	pthread_mutex_unlock(&m->lock);
	return v;
}

void memo_free(struct memo *m)
{
	if (!m->keys)
		return;
	for (size_t i = 0; i < m->cap; i++)
		if (m->keys[i]) {
			free(m->keys[i]);
			m->free_val(m->vals[i]);
		}
	free(m->keys);
	free(m->vals);
	pthread_mutex_destroy(&m->lock);
	memset(m, 0, sizeof(*m));
}
