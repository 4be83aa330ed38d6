/* Unit paths and globs; see include/vigie/unit.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/msg.h"
#include "vigie/unit.h"
#include "vigie/xalloc.h"
#include "vigie/yaml.h"	/* closest_word */

#define NON_ASCII "accented or non-ASCII character"

static int seg_first(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static int seg_char(char c)
{
	return seg_first(c) || c == '.' || c == '_' || c == '-';
}

const char *unit_path_check(const char *s, size_t len, size_t *errpos)
{
	size_t segs = 1;

	*errpos = 0;
	if (len == 0)
		return MSG_N("empty unit path");
	if (len > UNIT_MAX_BYTES) {
		*errpos = UNIT_MAX_BYTES;
		return MSG_N("unit path longer than 255 bytes");
	}
	for (size_t i = 0; i < len; i++) {
		int start = i == 0 || s[i - 1] == '/';
		if (s[i] == '/') {
			if (start || i + 1 == len) {
				*errpos = i;
				return MSG_N("empty segment in unit path");
			}
			if (++segs > UNIT_MAX_SEGMENTS) {
				*errpos = i;
				return MSG_N("unit path has more than 16 segments");
			}
		} else if ((unsigned char)s[i] == 0xc2 && i + 1 < len &&
		    (unsigned char)s[i + 1] == 0xa0) {
			*errpos = i;
			return MSG_N("no-break space (U+00A0, which a spreadsheet's "
			    "TRIM keeps) in unit path (allowed: A-Z a-z 0-9 . _ - and / "
			    "between segments)");
		} else if ((unsigned char)s[i] >= 0x80) {
			*errpos = i;
			return MSG_N(NON_ASCII " in unit path (allowed: A-Z a-z 0-9 "
			    ". _ - and / between segments)");
		} else if (start ? !seg_first(s[i]) : !seg_char(s[i])) {
			*errpos = i;
			return start ? MSG_N("unit path segment must start with a "
			    "letter or digit") : MSG_N("invalid character in unit path "
			    "(allowed: A-Z a-z 0-9 . _ - and / between segments)");
		}
	}
	return NULL;
}

/* The ASCII letters of U+00C0 to U+00FF, "" where there are none (x, /,
 * thorn). */
static const char *const latin1[64] = {
	"A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I",
	"D", "N", "O", "O", "O", "O", "O", "", "O", "U", "U", "U", "U", "Y", "", "ss",
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "", "y",
};

/* s (len bytes) as an export meant it, in a new string: a no-break space
 * (U+00A0, which a spreadsheet's TRIM keeps) read as a space, a backslash
 * as a slash, without the spaces around the path and around its slashes
 * nor a slash at its end. */
static char *unspaced(const char *s, size_t *len)
{
	char *t = xmalloc(*len + 1);
	size_t n = 0;

	for (size_t i = 0; i < *len; i++) {
		char c = s[i];
		if ((unsigned char)c == 0xc2 && i + 1 < *len && (unsigned char)s[i + 1] == 0xa0)
			c = ' ', i++;
		else if (c == '\\')
			c = '/';
		if ((c == ' ' || c == '\t') && (n == 0 || t[n - 1] == '/'))
			continue;	/* at the start of the path or of a segment */
		if (c == '/')
			while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == '\t'))
				n--;
		t[n++] = c;
	}
	while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == '\t' || t[n - 1] == '/'))
		n--;
	t[n] = '\0';
	*len = n;
	return t;
}

char *unit_hint(const char *s0, size_t len, bool glob)
{
	char *out = xmalloc(len + 1);	/* no letter grows: 2 bytes give 1 or 2 */
	char *s = unspaced(s0, &len);
	size_t n = 0, pos;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i], d = i + 1 < len
		    ? (unsigned char)s[i + 1] : 0;
		const char *t = NULL;

		if (c < 0x80) {
			out[n++] = (char)c;
			continue;
		}
		if (c == 0xc3 && d >= 0x80 && d <= 0xbf)
			t = latin1[d - 0x80];		/* U+00C0 to U+00FF */
		else if (c == 0xc5 && (d == 0x92 || d == 0x93))
			t = d == 0x92 ? "OE" : "oe";	/* the French ligature */
		if (!t || !*t) {
			free(out);
			free(s);
			return NULL;
		}
		memcpy(out + n, t, strlen(t));
		n += strlen(t);
		i++;
	}
	out[n] = '\0';
	free(s);
	if (glob ? unit_glob_check(out, &pos) != NULL : unit_path_check(out, n, &pos) != NULL) {
		free(out);
		return NULL;
	}
	return out;
}

size_t unit_parent_len(const char *path, size_t len)
{
	while (len > 0 && path[len - 1] != '/')
		len--;
	return len ? len - 1 : 0;
}

const char *unit_glob_check(const char *glob, size_t *errpos)
{
	size_t len = strlen(glob), segs = 0;

	*errpos = 0;
	if (len == 0)
		return "empty unit glob";
	for (size_t i = 0; i <= len; ) {
		size_t j = i;
		while (j < len && glob[j] != '/')
			j++;
		segs++;
		if (j == i) {
			*errpos = i;
			return "empty segment in unit glob";
		}
		if (!(j - i == 1 && glob[i] == '*') && !(j - i == 2 && glob[i] == '*' && glob[i + 1] == '*')) {
			for (size_t k = i; k < j; k++) {
				if (k == i ? !seg_first(glob[k]) : !seg_char(glob[k])) {
					*errpos = k;
					return glob[k] == '*' ? "'*' must be a whole segment ('*' or '**')"
					    : (unsigned char)glob[k] >= 0x80 ? NON_ASCII " in unit glob"
					    : "invalid character in unit glob";
				}
			}
		}
		if (segs > UNIT_MAX_SEGMENTS) {
			*errpos = i;
			return "unit glob has more than 16 segments";
		}
		i = j + 1;
	}
	return NULL;
}

/* Matches glob segments against path segments. */
static int match(const char *g, const char *p)
{
	const char *ge = strchr(g, '/'), *pe;
	size_t gl = ge ? (size_t)(ge - g) : strlen(g);

	if (gl == 2 && g[0] == '*' && g[1] == '*') {
		/* One or more segments: try every split. */
		for (;;) {
			pe = strchr(p, '/');
			if (!ge) {
				return 1;	/* "**" last: the rest (at least one segment) */
			}
			if (!pe)
				return 0;
			p = pe + 1;
			if (match(ge + 1, p))
				return 1;
		}
	}
	pe = strchr(p, '/');
	size_t pl = pe ? (size_t)(pe - p) : strlen(p);
	if (!(gl == 1 && g[0] == '*') && (gl != pl || memcmp(g, p, gl) != 0))
		return 0;
	if (!ge && !pe)
		return 1;
	if (!ge || !pe)
		return 0;
	return match(ge + 1, pe + 1);
}

bool unit_glob_match(const char *glob, const char *path)
{
	if (!*glob || !*path)
		return false;
	return match(glob, path);
}

/* Length of the literal segments of glob, those before its first "*" or
 * "**" segment (the whole glob when it has none); *depth gets their number. */
static size_t literal_part(const char *glob, size_t *depth)
{
	size_t lit = 0;

	*depth = 0;
	for (const char *p = glob; *p; ) {
		const char *e = strchr(p, '/');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (p[0] == '*')
			break;
		lit = (size_t)(p - glob) + len;
		++*depth;
		if (!e)
			break;
		p = e + 1;
	}
	return lit;
}

/* The number of segments of a path. */
static size_t segments(const char *path)
{
	size_t d = 1;

	for (; *path; path++)
		d += *path == '/';
	return d;
}

bool unit_glob_reaches(const char *glob, char *const *units, size_t n,
    char *hint, size_t size)
{
	size_t depth, lit = literal_part(glob, &depth), k = 0;
	const char **cands;
	const char *near;

	if (size)
		*hint = '\0';
	for (size_t i = 0; i < n; i++)
		if (unit_glob_match(glob, units[i]))
			return true;
	if (!lit || !n)
		return false;
	/* the units as deep as the literal part: with their ancestors among
	 * them, every prefix of that depth is one */
	cands = xcalloc(n, sizeof(*cands));
	for (size_t i = 0; i < n; i++)
		if (segments(units[i]) == depth)
			cands[k++] = units[i];
	char *prefix = xstrndup(glob, lit);
	near = closest_word(prefix, cands, k);
	if (near && strcmp(near, prefix) && size)
		snprintf(hint, size, "%s%s", near, glob + lit);
	free(prefix);
	free(cands);
	return false;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t unit_closure(char *const *units, size_t n, char ***out)
{
	size_t cap = n * 2 + 1, k = 0, m = 0;
	char **v = xcalloc(cap, sizeof(*v));

	for (size_t i = 0; i < n; i++)
		for (const char *q = units[i]; ; q++) {
			if (*q != '/' && *q)
				continue;
			if (k == cap) {
				cap *= 2;
				v = xreallocarray(v, cap, sizeof(*v));
			}
			v[k++] = xstrndup(units[i], (size_t)(q - units[i]));
			if (!*q)
				break;
		}
	qsort(v, k, sizeof(*v), cmp_str);
	for (size_t i = 0; i < k; i++) {
		if (m && !strcmp(v[m - 1], v[i]))
			free(v[i]);
		else
			v[m++] = v[i];
	}
	*out = v;
	return m;
}

bool unit_glob_keeps(const char *unit, const void *glob)
{
	return unit_glob_match(glob, unit);
}

bool unit_is_under(const char *path, const char *anc)
{
	size_t n = strlen(anc);

	return !strncmp(path, anc, n) && (path[n] == '\0' || path[n] == '/');
}
