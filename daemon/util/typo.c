/* Typography (include/vigie/typo.h). Numbers start from format_number (SPEC
 * 5, the digits rule summaries use) and only gain what a reader expects
 * around those digits: a decimal comma, groups of thousands, a minus sign.
 * Prose is changed only at a space next to punctuation, a number or a
 * guillemet, so that anything the text names (a unit path, an URL, an
 * identifier, a command) keeps its bytes. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/typo.h"
#include "vigie/xalloc.h"

/* Groups of three from this many digits on: « 2026 » stays a year, a
 * four-digit quantity may go either way in both languages. */
#define GROUP_FROM 5

/* Writes digits d[0..n) grouped by three with sep when n >= GROUP_FROM. */
static void put_digits(FILE *f, const char *d, size_t n, const char *sep)
{
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && n >= GROUP_FROM && (n - i) % 3 == 0)
			fputs(sep, f);
		fputc(d[i], f);
	}
}

static const char *group_sep(enum locale loc)
{
	return loc == LOC_EN ? "," : TYPO_NNBSP;
}

char *typo_number(char *buf, size_t size, double x, int decimals, enum locale loc)
{
	char raw[TYPO_BUFSZ * 2], *out = NULL;
	const char *p = raw, *dot;
	size_t len = 0, n;
	FILE *f;

	if (!size)
		return buf;
	format_number(raw, sizeof(raw), x, decimals, LOC_EN);
	if (!isfinite(x)) {
		snprintf(buf, size, "%s", raw);
		return buf;
	}
	if (!(f = open_memstream(&out, &len)))
		xalloc_die();
	if (*p == '-') {
		fputs(TYPO_MINUS, f);
		p++;
	}
	dot = strchr(p, '.');
	n = dot ? (size_t)(dot - p) : strlen(p);
	put_digits(f, p, n, group_sep(loc));
	if (dot)
		fprintf(f, "%c%s", loc == LOC_EN ? '.' : ',', dot + 1);
	if (fclose(f) != 0)
		xalloc_die();
	snprintf(buf, size, "%s", out);
	free(out);
	return buf;
}

char *typo_number_sig(char *buf, size_t size, double x, int decimals, enum locale loc)
{
	if (x != 0 && isfinite(x)) {
		int need = (int)ceil(-log10(fabs(x))) + 1;

		if (need > decimals)
			decimals = need > 20 ? 20 : need;
	}
	return typo_number(buf, size, x, decimals, loc);
}

const char *typo_plural(double n, const char *one, const char *many, enum locale loc)
{
	if (loc == LOC_EN)
		return n == 1 ? one : many;
	return fabs(n) < 2 ? one : many;
}

char *typo_count(char *buf, size_t size, long n, const char *one, const char *many,
    enum locale loc)
{
	char num[TYPO_BUFSZ];

	typo_number(num, sizeof(num), (double)n, 0, loc);
	snprintf(buf, size, "%s" TYPO_NBSP "%s", num,
	    typo_plural((double)n, one, many, loc));
	return buf;
}

char *typo_period(char *buf, size_t size, const char *period, bool abbreviated,
    enum locale loc)
{
	/* French, French abbreviated, English, English abbreviated. */
	static const char *const months[4][12] = {
		{ "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
		  "septembre", "octobre", "novembre", "décembre" },
		{ "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.",
		  "oct.", "nov.", "déc." },
		{ "January", "February", "March", "April", "May", "June", "July", "August",
		  "September", "October", "November", "December" },
		{ "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
		  "Dec" },
	};
	int y, m, w, k = 0;

	if (!period) {
		snprintf(buf, size, "%s", "");
		return buf;
	}
	if (strlen(period) == 7 && sscanf(period, "%4d-%2d%n", &y, &m, &k) == 2 && k == 7 &&
	    m >= 1 && m <= 12) {
		const char *name = months[(loc == LOC_EN ? 2 : 0) + (abbreviated ? 1 : 0)][m - 1];

		snprintf(buf, size, "%s" TYPO_NBSP "%d", name, y);
	} else if (strlen(period) == 8 && sscanf(period, "%4d-W%2d%n", &y, &w, &k) == 2 &&
	    k == 8) {
		if (loc == LOC_EN)
			snprintf(buf, size, abbreviated ? "wk" TYPO_NBSP "%d %d" :
			    "week" TYPO_NBSP "%d of %d", w, y);
		else
			snprintf(buf, size, abbreviated ? "sem." TYPO_NBSP "%d %d" :
			    "semaine" TYPO_NBSP "%d de %d", w, y);
	} else {
		snprintf(buf, size, "%s", period);
	}
	return buf;
}

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* A letter: ASCII, or the first byte of a multibyte character (accented
 * letters; punctuation that matters here is tested before). */
static bool is_letter(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0xc3;
}

/* A byte next to a digit run that makes it part of a word, a path or a
 * decimal fraction rather than a number of its own. */
static bool glued(unsigned char c)
{
	return is_letter(c) || is_digit(c) || c == '_' || c == '/' || c == '.' ||
	    c == ',' || c == '@' || c == '#';
}

/* Whether the digit run at p starts a number of its own: at the start, after
 * a space or a bracket, or after a hyphen that is a minus sign. */
static bool run_alone(const unsigned char *p, const unsigned char *start)
{
	if (p == start)
		return true;
	if (p[-1] == '-')
		return p - 1 == start || p[-2] == ' ' || p[-2] == '(' || p[-2] == 0xa0;
	return !glued(p[-1]);
}

/* The length of a space at s (" ", U+00A0 or U+202F), 0 if none. */
static size_t space_at(const unsigned char *s)
{
	if (s[0] == ' ')
		return 1;
	if (s[0] == 0xc2 && s[1] == 0xa0)
		return 2;
	if (s[0] == 0xe2 && s[1] == 0x80 && s[2] == 0xaf)
		return 3;
	return 0;
}

/* French: ; : ! ? % and » take a narrow no-break space before them. */
static bool wants_space_before(const unsigned char *s)
{
	return (s[0] && strchr(";:!?%", s[0])) || (s[0] == 0xc2 && s[1] == 0xbb);
}

char *typo_prose(const char *s, enum locale loc)
{
	const unsigned char *p = (const unsigned char *)(s ? s : ""), *start = p;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		xalloc_die();
	while (*p) {
		size_t sp = space_at(p);

		if (sp && loc != LOC_EN) {
			const unsigned char *next = p + sp;
			bool after_guillemet = p >= start + 2 && p[-2] == 0xc2 && p[-1] == 0xab;

			if (wants_space_before(next) || after_guillemet) {
				fputs(TYPO_NNBSP, f);
				p = next;
				continue;
			}
			if (sp == 1 && p > start && is_digit(p[-1]) && is_letter(*next)) {
				fputs(TYPO_NBSP, f);
				p = next;
				continue;
			}
		}
		if (*p == '-' && is_digit(p[1]) &&
		    (p == start || p[-1] == ' ' || p[-1] == '(' || p[-1] == 0xa0)) {
			fputs(TYPO_MINUS, f);
			p++;
			continue;
		}
		if (is_digit(*p) && run_alone(p, start)) {
			size_t n = 0;

			while (is_digit(p[n]))
				n++;
			/* "35711" alone, or before a decimal mark; not "2026-10",
			 * "site12345", "v2_1". */
			if (n >= GROUP_FROM && !is_letter(p[n]) && p[n] != '_' &&
			    p[n] != '/' && !(p[n] == '-' && is_digit(p[n + 1]))) {
				put_digits(f, (const char *)p, n, group_sep(loc));
			} else {
				fwrite(p, 1, n, f);
			}
			p += n;
			continue;
		}
		fputc(*p++, f);
	}
	if (fclose(f) != 0)
		xalloc_die();
	return buf;
}

const char *typo_de(const char *words)
{
	unsigned char c = (unsigned char)words[0];

	/* a, e, i, o, u, y, and the accented letters of UTF-8's Latin-1
	 * page (é, â…: U+00C0 to U+00FF begin with 0xC3) */
	return (c && strchr("aeiouyAEIOUY", c)) || c == 0xc3 ? "d'" : "de ";
}
