/* Unit paths and globs; see include/vigie/unit.h. */
#include <string.h>
#include "vigie/unit.h"

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
		return "empty unit path";
	if (len > UNIT_MAX_BYTES) {
		*errpos = UNIT_MAX_BYTES;
		return "unit path longer than 255 bytes";
	}
	for (size_t i = 0; i < len; i++) {
		int start = i == 0 || s[i - 1] == '/';
		if (s[i] == '/') {
			if (start || i + 1 == len) {
				*errpos = i;
				return "empty segment in unit path";
			}
			if (++segs > UNIT_MAX_SEGMENTS) {
				*errpos = i;
				return "unit path has more than 16 segments";
			}
		} else if (start ? !seg_first(s[i]) : !seg_char(s[i])) {
			*errpos = i;
			return start ? "unit path segment must start with a letter or digit"
			    : "invalid character in unit path (allowed: A-Z a-z 0-9 . _ - and / between segments)";
		}
	}
	return NULL;
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
