/* The one allocation policy of Vigie, in rules/ and daemon/ alike: memory
 * the program cannot go on without is taken through these wrappers, and
 * running out of it prints "PROGRAM: out of memory" on stderr and aborts.
 * Nothing half-done survives an abort (a transaction not committed is rolled
 * back by SQLite, a daemon is restarted by systemd), so no caller carries an
 * ENOMEM path of its own. None of them returns NULL. */
#ifndef VIGIE_XALLOC_H
#define VIGIE_XALLOC_H

#include <stddef.h>

/* Prints the message and aborts. */
void xalloc_die(void) __attribute__((noreturn));
/* malloc(n) (n = 0 allocates one byte); the caller frees. */
void *xmalloc(size_t n);
/* calloc(n, size), zeroed; the caller frees. */
void *xcalloc(size_t n, size_t size);
/* realloc(p, n * size), checking the multiplication; the caller frees. */
void *xreallocarray(void *p, size_t n, size_t size);
/* realloc(p, n); the caller frees. */
void *xrealloc(void *p, size_t n);
/* New copies of s, and of at most n bytes of s; the caller frees. */
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* A new formatted string; the caller frees. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Appends to buf at *n what printf would, cut at size (no allocation):
 * a sentence built in a caller's buffer. */
void buf_addf(char *buf, size_t size, size_t *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
