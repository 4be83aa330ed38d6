/* Internet message encodings (include/vigie/mime.h): every header that may
 * carry user text is cleaned of control characters and encoded per RFC 2047,
 * so no header injection is possible; bodies are quoted-printable so every
 * line stays within 76 characters and CRLF-terminated, and a leading dot
 * never ends an SMTP DATA early. */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "vigie/mime.h"
#include "vigie/progress.h"
#include "vigie/xalloc.h"

/* Length of the valid UTF-8 sequence at s (1..4), 0 if invalid. */
static size_t utf8_seq(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (s[0] >= 0xe0 && s[0] <= 0xef) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if (s[0] == 0xe0 && s[1] < 0xa0)
			return 0;
		if (s[0] == 0xed && s[1] >= 0xa0)
			return 0;	/* surrogates */
		return 3;
	}
	if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80)
			return 0;
		if ((s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))
			return 0;
		return 4;
	}
	return 0;
}

/* A copy of s with control characters as spaces (keeping "\n" and tabs
 * when multiline) and invalid UTF-8 as U+FFFD. */
char *mime_clean(const char *s, bool multiline)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p);
	char *out = xmalloc(n * 3 + 1), *o = out;

	while (*p) {
		size_t k = utf8_seq(p);

		if (k == 0) {
			memcpy(o, "\xef\xbf\xbd", 3);
			o += 3;
			p++;
		} else if (k == 1) {
			unsigned char c = *p++;

			if (c == '\r' && multiline)
				continue;
			if ((c < 0x20 || c == 0x7f) && !(multiline && (c == '\n' || c == '\t')))
				c = ' ';
			*o++ = (char)c;
		} else if (k == 2 && p[0] == 0xc2 && p[1] < 0xa0) {
			*o++ = ' ';	/* C1 controls */
			p += 2;
		} else {
			memcpy(o, p, k);
			o += k;
			p += k;
		}
	}
	*o = '\0';
	return out;
}

static bool q_plain(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || strchr("!*+-/", c) != NULL;
}

char *mime_header_encoded(const char *name, const char *value)
{
	static const char hex[] = "0123456789ABCDEF";
	char *c = mime_clean(value, false), *buf = NULL;
	size_t len = 0, col, wlen = 0;
	const unsigned char *p = (const unsigned char *)c;
	FILE *f = open_memstream(&buf, &len);
	/* "=?UTF-8?Q?" + payload + "?=" is at most 75 chars; the whole line,
	 * "Name: " or the folding space included, at most 76. */
	const size_t wrap = 12;
	char word[80];

	if (!f)
		xalloc_die();
	fprintf(f, "%s: ", name);
	col = strlen(name) + 2;
	while (*p) {
		size_t k = utf8_seq(p), need;
		char enc[16];
		size_t el = 0;

		if (k == 0)
			k = 1;	/* cannot happen after clean() */
		for (size_t i = 0; i < k; i++) {
			if (k == 1 && p[i] == ' ')
				enc[el++] = '_';
			else if (k == 1 && q_plain(p[i]))
				enc[el++] = (char)p[i];
			else {
				enc[el++] = '=';
				enc[el++] = hex[p[i] >> 4];
				enc[el++] = hex[p[i] & 15];
			}
		}
		need = wrap + wlen + el;
		if (wlen && (col + need > 76 || need > 75)) {
			fprintf(f, "=?UTF-8?Q?%.*s?=\r\n ", (int)wlen, word);
			col = 1;
			wlen = 0;
		}
		memcpy(word + wlen, enc, el);
		wlen += el;
		p += k;
	}
	fprintf(f, "=?UTF-8?Q?%.*s?=\r\n", (int)wlen, word);
	free(c);
	if (fclose(f) != 0)
		xalloc_die();
	return buf;
}

/* The token for byte c at column col: itself, or "=XX". A leading dot is
 * encoded too, for relays that would take a lone "." for the end of DATA;
 * so is a space or tab that would end a line. */
static size_t qp_token(unsigned char c, size_t col, bool eol_next, char tok[3])
{
	static const char hex[] = "0123456789ABCDEF";

	if ((c >= 33 && c <= 126 && c != '=' && !(c == '.' && col == 0)) ||
	    ((c == ' ' || c == '\t') && !eol_next)) {
		tok[0] = (char)c;
		return 1;
	}
	tok[0] = '=';
	tok[1] = hex[c >> 4];
	tok[2] = hex[c & 15];
	return 3;
}

char *mime_qp(const char *text, size_t len, size_t *outlen)
{
	char *buf = NULL;
	size_t blen = 0, col = 0;
	FILE *f = open_memstream(&buf, &blen);

	if (!f)
		xalloc_die();
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		char tok[3];
		size_t tl;
		bool eol_next;

		if (c == '\r' && i + 1 < len && text[i + 1] == '\n')
			continue;
		if (c == '\n') {
			fputs("\r\n", f);
			col = 0;
			continue;
		}
		eol_next = i + 1 >= len || text[i + 1] == '\n' ||
		    (text[i + 1] == '\r' && i + 2 < len && text[i + 2] == '\n');
		tl = qp_token(c, col, eol_next, tok);
		/* A soft break "=" must fit within 76 columns too, unless the
		 * token ends the line anyway. */
		if (col + tl > (eol_next ? 76 : 75)) {
			fputs("=\r\n", f);
			col = 0;
			tl = qp_token(c, col, eol_next, tok);
		}
		fwrite(tok, 1, tl, f);
		col += tl;
	}
	if (fclose(f) != 0)
		xalloc_die();
	*outlen = blen;
	return buf;
}

const char *mime_addr_spec(const char *from, char *buf, size_t size)
{
	const char *lt = strrchr(from, '<'), *gt;
	size_t n;

	if (lt && (gt = strchr(lt, '>')) != NULL) {
		n = (size_t)(gt - lt - 1);
		from = lt + 1;
	} else {
		while (*from == ' ')
			from++;
		n = strlen(from);
		while (n && from[n - 1] == ' ')
			n--;
	}
	if (n >= size)
		n = size - 1;
	memcpy(buf, from, n);
	buf[n] = '\0';
	/* No control characters in an address that goes into a header or
	 * an SMTP command. */
	for (char *p = buf; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return buf;
}

void mime_put_date(FILE *f, time_t t)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;

	gmtime_r(&t, &tm);
	fprintf(f, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n", days[tm.tm_wday],
	    tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
	    tm.tm_sec);
}

/* RFC 5322 atext and the space: a display name made of these goes as it is. */
static bool atom_phrase(const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (!(c == ' ' || (c < 0x80 && isalnum(c)) ||
		    (c >= 0x21 && c < 0x7f && strchr("!#$%&'*+-/=?^_`{|}~", c))))
			return false;
	}
	return true;
}

static bool ascii_printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

/* From: with the display name as atoms, a quoted string, or RFC 2047
 * encoded-words when it is not ASCII; the address on the same line when
 * it fits in 76 characters, else on a folded one. */
void mime_put_from(FILE *f, const char *name, const char *addr)
{
	char a[320], *c = NULL, *h = NULL, *buf = NULL;
	const char *last;
	size_t len = 0;
	FILE *m;

	mime_addr_spec(addr ? addr : "vigie@localhost", a, sizeof(a));
	c = name ? mime_clean(name, false) : NULL;
	if (!c || !*c) {
		fprintf(f, "From: %s\r\n", a);
		free(c);
		return;
	}
	if (!(m = open_memstream(&buf, &len)))
		xalloc_die();
	if (atom_phrase(c) && c[0] != ' ') {
		fprintf(m, "From: %s", c);
	} else if (ascii_printable(c)) {
		fputs("From: \"", m);
		for (const char *p = c; *p; p++) {
			if (*p == '"' || *p == '\\')
				fputc('\\', m);
			fputc(*p, m);
		}
		fputc('"', m);
	} else {
		h = mime_header_encoded("From", c);
		h[strlen(h) - 2] = '\0';	/* the address follows */
		fputs(h, m);
		free(h);
	}
	if (fclose(m) != 0)
		xalloc_die();
	last = strrchr(buf, '\n');
	last = last ? last + 1 : buf;
	fprintf(f, "%s%s<%s>\r\n", buf, strlen(last) + 3 + strlen(a) <= 76 ? " " : "\r\n ", a);
	free(buf);
	free(c);
}

void mime_put_part(FILE *f, const char *boundary, const char *type, const char *body)
{
	size_t qlen;
	char *qp = mime_qp(body, strlen(body), &qlen);

	fprintf(f, "--%s\r\nContent-Type: %s; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n", boundary, type);
	fwrite(qp, 1, qlen, f);
	if (qlen < 2 || memcmp(qp + qlen - 2, "\r\n", 2))
		fputs("\r\n", f);
	free(qp);
}

/* ---- Attachments (a scheduled report, SPEC 15) ---- */

void mime_put_attachment(FILE *f, const char *boundary, const char *type,
    const char *filename, const void *data, size_t len)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = data;
	char *name = mime_clean(filename, false);
	bool plain = true;
	size_t col = 0;

	for (const char *c = name; *c; c++)
		plain &= (unsigned char)*c > ' ' && (unsigned char)*c < 0x7f &&
		    !strchr("\"\\;", *c);
	fprintf(f, "--%s\r\nContent-Type: %s\r\nContent-Transfer-Encoding: base64\r\n",
	    boundary, type);
	if (plain) {
		fprintf(f, "Content-Disposition: attachment; filename=\"%s\"\r\n\r\n", name);
	} else {
		/* RFC 2231: filename*=UTF-8''percent-encoded */
		fputs("Content-Disposition: attachment;\r\n filename*=UTF-8''", f);
		for (const unsigned char *c = (const unsigned char *)name; *c; c++)
			if ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
			    (*c >= '0' && *c <= '9') || strchr("-._~", *c))
				fputc(*c, f);
			else
				fprintf(f, "%%%02X", *c);
		fputs("\r\n\r\n", f);
	}
	free(name);
	for (size_t i = 0; i < len; i += 3) {
		unsigned v = (unsigned)p[i] << 16;
		size_t k = len - i;

		if (k > 1)
			v |= (unsigned)p[i + 1] << 8;
		if (k > 2)
			v |= p[i + 2];
		fputc(b64[v >> 18 & 63], f);
		fputc(b64[v >> 12 & 63], f);
		fputc(k > 1 ? b64[v >> 6 & 63] : '=', f);
		fputc(k > 2 ? b64[v & 63] : '=', f);
		if ((col += 4) == 76) {
			fputs("\r\n", f);
			col = 0;
		}
		if (i % (3 << 16) == 0)
			progress_yield();	/* a report of some megabytes */
	}
	if (col)
		fputs("\r\n", f);
}

void mime_put_message_id(FILE *f, const char *uid, const char *from)
{
	char addr[320], *u = mime_clean(uid, false);
	const char *dom;

	mime_addr_spec(from ? from : "vigie@localhost", addr, sizeof(addr));
	dom = strrchr(addr, '@');
	dom = dom && dom[1] ? dom + 1 : "vigie";
	for (char *c = u; *c; c++)
		if (*c == ' ' || *c == '<' || *c == '>' || *c == '@')
			*c = '_';
	fprintf(f, "Message-ID: <%s@%s>\r\n", u, dom);
	free(u);
}
