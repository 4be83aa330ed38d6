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
