/* Text helpers (include/vigie/text.h). */
#include <stdbool.h>
#include <stdint.h>
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

char *text_duration(long s, char buf[DURATION_BUFSZ])
{
	static const struct { long n; char c; } u[] = {
		{ 86400, 'd' }, { 3600, 'h' }, { 60, 'm' },
	};

	for (size_t i = 0; i < sizeof(u) / sizeof(u[0]); i++)
		if (s != 0 && s % u[i].n == 0) {
			snprintf(buf, DURATION_BUFSZ, "%ld%c", s / u[i].n, u[i].c);
			return buf;
		}
	snprintf(buf, DURATION_BUFSZ, "%lds", s);
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

/* Length of the valid UTF-8 sequence at s (at most n bytes) and its code
 * point, or 0 when the bytes there are not one. */
static size_t utf8_char(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t k;
	uint32_t c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		k = 2, c = s[0] & 0x1F, min = 0x80;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		k = 3, c = s[0] & 0x0F, min = 0x800;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		k = 4, c = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	if (n < k)
		return 0;
	for (size_t i = 1; i < k; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return k;
}

bool text_utf8_valid(const char *s, size_t len)
{
	uint32_t cp;

	for (size_t i = 0, k; i < len; i += k)
		if (!(k = utf8_char((const unsigned char *)s + i, len - i, &cp)))
			return false;
	return true;
}

/* Characters a terminal or an editor acts on rather than shows. */
static bool unprintable(uint32_t c)
{
	return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) ||
	    c == 0x200E || c == 0x200F || (c >= 0x2028 && c <= 0x202E) ||
	    (c >= 0x2066 && c <= 0x2069);
}

/* Writes the first max bytes of s[0..len) escaped into out (room for
 * 4 * max + 4 bytes), "..." when s is longer; returns the length. */
static size_t escape_into(const char *s, size_t len, size_t max, char *out)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, o = 0, lim = len < max ? len : max;

	while (i < lim) {
		uint32_t c = 0;
		size_t k = utf8_char(u + i, len - i, &c);

		if (k && i + k > lim)
			break;		/* would cut the character */
		if (k && !unprintable(c)) {
			if (c == '\\' || c == '"')
				out[o++] = '\\';
			memcpy(out + o, s + i, k);
			o += k;
			i += k;
			continue;
		}
		for (size_t j = 0; j < (k ? k : 1); j++) {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[u[i + j] >> 4];
			out[o++] = hex[u[i + j] & 15];
		}
		i += k ? k : 1;
	}
	if (i < len) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
	return o;
}

char *text_excerpt(const char *s, size_t len, char buf[TEXT_EXCERPT_BUFSZ])
{
	escape_into(s, len, TEXT_EXCERPT_MAX, buf);
	return buf;
}

char *text_escape(const char *s)
{
	size_t len = strlen(s);
	char *out = xmalloc(4 * len + 4);

	escape_into(s, len, len, out);
	return out;
}

char *text_redact_url(const char *url)
{
	const char *sep = strstr(url, "://");
	const char *auth = sep ? sep + 3 : url;
	size_t alen = strcspn(auth, "/?#");
	const char *at = memrchr(auth, '@', alen);
	const char *host = at ? at + 1 : auth;
	const char *path = auth + alen;
	size_t plen = strcspn(path, "?#");

	return xasprintf("%.*s%s%.*s%.*s%s%s", (int)(auth - url), url,
	    at ? "\xe2\x80\xa6@" : "", (int)(path - host), host, (int)plen, path,
	    path[plen] == '?' ? "?\xe2\x80\xa6" : "",
	    strchr(path + plen, '#') ? "#\xe2\x80\xa6" : "");
}
