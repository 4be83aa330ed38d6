/* Small text helpers every room shares: the one ISO 8601 formatter (logs,
 * status, webhooks, the history all show times the same way) and the one
 * way to cut a message down to its first line for a table or a column. */
#ifndef VIGIE_TEXT_H
#define VIGIE_TEXT_H

#include <stddef.h>
#include <stdint.h>

#define ISO8601_BUFSZ 32

/* Unix time t as "2026-06-03T10:00:00Z" (UTC) in buf, or the number itself
 * when it is out of the calendar's range. Returns buf. */
char *text_iso8601(int64_t t, char buf[ISO8601_BUFSZ]);
/* Reads "YYYY-MM-DD" (00:00 UTC) or "YYYY-MM-DDTHH:MM[:SS][Z]" (UTC), as
 * the --since of the commands takes it, into *t. 0, or -1 if malformed. */
int text_parse_date(const char *s, int64_t *t);
/* A new string (caller frees): s up to its first CR or LF, at most max
 * bytes (0: no limit), other control characters turned into spaces. */
char *text_first_line(const char *s, size_t max);

#endif
