/* The console's escaping functions (include/vigie/web_html.h). Each walks
 * its string as UTF-8: a valid multi-byte sequence is kept whole (or, for a
 * URL, percent-encoded byte by byte), an invalid byte becomes U+FFFD, so a
 * browser never has to guess an encoding. */
#include <stdint.h>
#include <string.h>
#include "vigie/web_html.h"

#define REPLACEMENT "\xef\xbf\xbd"

/* The length of the valid UTF-8 sequence at s (1 to 4), or 0 when the
 * bytes there are not one (overlong forms and surrogates included). */
static int utf8_len(const unsigned char *s)
{
	uint32_t c;
	int n;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, c = s[0] & 0x07;
	else
		return 0;
	for (int i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) ||
	    (n == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0;
	return n;
}

static bool is_ctl(unsigned char c)
{
	return (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f;
}

/* Whether c can be written as it is in element content. */
static bool text_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '&' && c != '<' && c != '>' && c != '"' &&
	    c != '\'';
}

void html_text(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	while (*p) {
		int n;

		/* Runs of plain ASCII go out in one write. */
		if (text_plain(*p)) {
			const unsigned char *q = p;
			while (text_plain(*q))
				q++;
			fwrite(p, 1, (size_t)(q - p), f);
			p = q;
			continue;
		}
		n = utf8_len(p);

		if (n == 0) {
			fputs(REPLACEMENT, f);
			p++;
			continue;
		}
		if (n > 1) {
			fwrite(p, 1, (size_t)n, f);
			p += n;
			continue;
		}
		switch (*p) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default:
			if (!is_ctl(*p))
				fputc(*p, f);
		}
		p++;
	}
}

void html_attr(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	while (*p) {
		int n = utf8_len(p);

		if (n == 0) {
			fputs(REPLACEMENT, f);
			p++;
		} else if (n > 1) {
			fwrite(p, 1, (size_t)n, f);
			p += n;
		} else {
			unsigned char c = *p++;
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.')
				fputc(c, f);
			else if (!is_ctl(c))
				fprintf(f, "&#x%02X;", c);
		}
	}
}

void html_url(FILE *f, const char *s, bool path)
{
	html_url_n(f, s ? s : "", s ? strlen(s) : 0, path);
}

void html_url_n(FILE *f, const char *s, size_t n, bool path)
{
	for (const unsigned char *p = (const unsigned char *)s; p < (const unsigned char *)s + n; p++) {
		unsigned char c = *p;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
		    c == '~' || (path && (c == '/' || c == '@')))
			fputc(c, f);
		else
			fprintf(f, "%%%02X", c);
	}
}
