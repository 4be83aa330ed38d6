/* Small text helpers every room shares: the one ISO 8601 formatter (logs,
 * status, webhooks, the history all show times the same way), the one
 * precision of the JSON numbers, the one way
 * to cut a message down to its first line for a table or a column, the one
 * way to quote untrusted bytes in a message (CSV errors: SPEC 8) and the
 * one way to show a URL without the secrets it may carry. */
#ifndef VIGIE_TEXT_H
#define VIGIE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ISO8601_BUFSZ 32

/* The flag of every json_dump* that writes values (vigie alerts, history,
 * backtest, report, the webhook payloads, the events' details kept for the
 * digests): 17 significant digits, which read back to the very double, so
 * that a value reads the same everywhere (70/3: 23.333333333333332, as
 * vigie eval writes its rows by hand, cmd_eval.c). The caller includes
 * <jansson.h>. */
#define TEXT_JSON_REALS JSON_REAL_PRECISION(17)

/* Unix time t as "2026-06-03T10:00:00Z" (UTC) in buf, or the number itself
 * when it is out of the calendar's range. Returns buf. */
char *text_iso8601(int64_t t, char buf[ISO8601_BUFSZ]);
/* A duration of s seconds as the configuration writes it, in the largest
 * unit that divides it ("45d", "2h", "90m", "30s"). Returns buf. */
#define DURATION_BUFSZ 32
char *text_duration(long s, char buf[DURATION_BUFSZ]);
/* Reads "YYYY-MM-DD" (00:00 UTC) or "YYYY-MM-DDTHH:MM[:SS][Z]" (UTC), as
 * the --since of the commands takes it, into *t. 0, or -1 if malformed. */
int text_parse_date(const char *s, int64_t *t);
/* A new string (caller frees): s up to its first CR or LF, at most max
 * bytes (0: no limit), other control characters turned into spaces. */
char *text_first_line(const char *s, size_t max);

/* At most TEXT_EXCERPT_MAX bytes of s[0..len), for quoting input in an
 * error message: printable UTF-8 is kept, every other byte (control
 * characters, DEL, invalid UTF-8, and the C1, bidirectional and line
 * separator characters that terminals or editors act on) is written \xNN,
 * a backslash \\ and a double quote \", and "..." follows when s is longer.
 * A character is never cut in two. Returns buf. */
#define TEXT_EXCERPT_MAX 40
#define TEXT_EXCERPT_BUFSZ (4 * TEXT_EXCERPT_MAX + 4)
char *text_excerpt(const char *s, size_t len, char buf[TEXT_EXCERPT_BUFSZ]);
/* Whether s[0..len) is well-formed UTF-8. */
bool text_utf8_valid(const char *s, size_t len);
/* A new string (caller frees): all of s escaped as text_excerpt does, for
 * names that come from outside (the file names of the inbox). */
char *text_escape(const char *s);
/* A new string (caller frees): url without what may be a secret, for logs,
 * `vigie status` and the database: the user information becomes "…@", the
 * query "?…" and the fragment "#…" (https://h/p?… for
 * https://h/p?api_key=K). */
char *text_redact_url(const char *url);

#endif
