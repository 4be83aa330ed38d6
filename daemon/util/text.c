/* Text helpers (include/vigie/text.h). */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "vigie/text.h"
#include "vigie/xalloc.h"

char *text_iso8601(int64_t t, char buf[ISO8601_BUFSZ])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || !strftime(buf, ISO8601_BUFSZ, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, ISO8601_BUFSZ, "%lld", (long long)t);
	return buf;
}

char *text_first_line(const char *s, size_t max)
{
	size_t n = strcspn(s, "\r\n");
	char *out;

	if (max && n > max)
		n = max;
	out = xstrndup(s, n);
	for (char *p = out; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return out;
}

int text_parse_date(const char *s, int64_t *t)
{
	struct tm tm = { 0 };
	const char *end;

	/* "2026-11-01" (midnight UTC) or "2026-11-01T10:00[:00]Z": the dates
	 * Vigie prints, read back. */
	if (!(end = strptime(s, "%Y-%m-%d", &tm)))
		return -1;
	if (*end == 'T' || *end == ' ') {
		const char *e2 = strptime(end + 1, "%H:%M:%S", &tm);

		if (!e2)
			e2 = strptime(end + 1, "%H:%M", &tm);
		if (!e2)
			return -1;
		end = e2;
		if (*end == 'Z')
			end++;
	}
	if (*end != '\0' || tm.tm_mon < 0 || tm.tm_mday < 1)
		return -1;
	*t = (int64_t)timegm(&tm);
	return 0;
}
