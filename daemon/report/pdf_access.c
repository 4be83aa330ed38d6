/* What cairo (1.16, Debian 12) leaves out of the PDF report for a reader
 * who listens to it (pdf_impl.h): the document's language (/Lang in the
 * catalog: without it a screen reader reads a French report with the
 * voice of its own default language), that a viewer names the document
 * by its title (/ViewerPreferences << /DisplayDocTitle true >>) and each
 * chart's text alternative (/Alt of its Figure structure element). They are added the way a PDF is
 * meant to be amended (ISO 32000-1, 7.5.6, incremental updates): after
 * cairo's %%EOF, a new revision of the catalog and of each Figure, a
 * cross-reference section holding those objects, and a trailer whose
 * /Prev points at cairo's. Nothing cairo wrote is changed. The parse is of
 * what cairo writes (a cross-reference table, one trailer, dictionaries
 * without strings), not of any PDF; whatever does not look like it is
 * left as it is. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/xalloc.h"
#include "pdf_impl.h"

/* The last occurrence of s in the len bytes at p, or NULL. */
static const char *last(const char *p, size_t len, const char *s)
{
	size_t n = strlen(s);

	for (size_t i = len >= n ? len - n + 1 : 0; i-- > 0; )
		if (!memcmp(p + i, s, n))
			return p + i;
	return NULL;
}

/* The first occurrence of s in [p, end), or NULL. */
static const char *first(const char *p, const char *end, const char *s)
{
	size_t n = strlen(s);

	for (; p + n <= end; p++)
		if (!memcmp(p, s, n))
			return p;
	return NULL;
}

/* The end (just past ">>") of the dictionary that starts at p ("<<"),
 * nested dictionaries included, or NULL. Cairo's catalog, structure
 * elements and trailer hold names, numbers, references, arrays and
 * dictionaries only: one with a string (a /Lang or an /Alt among them) is
 * not cairo's first revision. */
static const char *dict_end(const char *p, const char *end)
{
	int depth = 0;

	for (; p + 1 < end; p++) {
		if (p[0] == '<' && p[1] == '<') {
			depth++;
			p++;
		} else if (p[0] == '>' && p[1] == '>') {
			p++;
			if (--depth == 0)
				return p + 1;
		} else if (p[0] == '(' || p[0] == '<') {
			return NULL;
		}
	}
	return NULL;
}

/* An object's new revision: its number, and its dictionary [od, oe). */
struct rev {
	unsigned long num, gen;
	const char *od, *oe;
	size_t at;		/* its offset in the updated file */
};

/* The object whose dictionary holds the byte at: the line "N G obj" that
 * opens it, at most a few lines before, its dictionary's span. */
static bool object_at(const char *pdf, const char *at, const char *end, struct rev *o)
{
	const char *line = at;
	char head[48];

	for (int k = 0; k < 16 && line > pdf; k++) {
		size_t n = 0;

		while (line > pdf && line[-1] != '\n')
			line--;
		/* sscanf on the report itself would measure all of it (glibc
		 * takes the string's length first): once a Figure, a report
		 * of 10,000 teams took minutes. The line alone, then. */
		for (; n < sizeof(head) - 1 && line + n < at && line[n] != '\n'; n++)
			head[n] = line[n];
		head[n] = '\0';
		if (sscanf(head, "%lu %lu obj", &o->num, &o->gen) == 2) {
			o->od = first(line, at, "<<");
			return o->od && (o->oe = dict_end(o->od, end)) && o->oe > at;
		}
		line--;
	}
	return false;
}

/* One byte of a literal string: the three that would end or escape it,
 * and a carriage return (a reader turns a raw one into a line feed),
 * escaped. */
static void string_byte(FILE *f, unsigned c)
{
	if (c == '(' || c == ')' || c == '\\')
		fprintf(f, "\\%c", c);
	else if (c == '\r')
		fputs("\\r", f);
	else
		fputc((int)c, f);
}

static void utf16(FILE *f, unsigned long c)
{
	string_byte(f, (unsigned)(c >> 8));
	string_byte(f, (unsigned)(c & 0xff));
}

/* s (UTF-8) as a PDF text string: UTF-16BE with its byte order mark
 * (7.9.2.2), in a literal string (two bytes a character, where hexadecimal
 * would take four: a report's charts say a few hundred kilobytes). */
static void text_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputs("(\xfe\xff", f);
	while (*p) {
		unsigned long c = *p++;
		int more = c >= 0xf8 ? -1 : c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 :
		    c >= 0x80 ? -1 : 0;

		if (more > 0)
			c &= 0x3fu >> more;
		for (; more > 0 && (*p & 0xc0) == 0x80; more--)
			c = c << 6 | (*p++ & 0x3f);
		if (more != 0)
			c = 0xfffd;	/* not UTF-8: not ours */
		if (c > 0xffff) {
			c -= 0x10000;
			utf16(f, 0xd800 | c >> 10);
			utf16(f, 0xdc00 | (c & 0x3ff));
		} else {
			utf16(f, c);
		}
	}
	fputc(')', f);
}

static int by_num(const void *a, const void *b)
{
	const struct rev *x = a, *y = b;

	return x->num < y->num ? -1 : x->num > y->num;
}

/* The Figure structure elements before the cross-reference table at xref,
 * in the order cairo wrote them (the order they were drawn): as many as
 * nalt, or none. */
static size_t figures(const char *pdf, size_t xref, struct rev *v, size_t nalt)
{
	const char *p = pdf, *end = pdf + xref, *s;
	size_t n = 0;

	while ((s = first(p, end, "/S /Figure"))) {
		struct rev o;

		p = s + 10;
		if (!strchr(" \t\r\n/>", *p))
			continue;	/* another name: /FigureX */
		if (!object_at(pdf, s, end, &o) || !first(o.od, o.oe, "/Type /StructElem") ||
		    n == nalt)
			return 0;
		v[n++] = o;
		p = o.oe;
	}
	return n == nalt ? n : 0;
}

char *pdf_access_update(const char *pdf, size_t len, const char *lang,
    char *const *alt, size_t nalt, size_t *n)
{
	const char *sx, *tr, *te, *root, *obj;
	char head[48], *buf = NULL;
	unsigned long prev, num, gen;
	struct rev *v;
	size_t nv, nfig, size = 0;
	FILE *f;
	int k;

	*n = 0;
	/* startxref, its offset, and the trailer before it */
	if (len == 0 || !(sx = last(pdf, len, "startxref")) ||
	    sscanf(sx + 9, " %lu", &prev) != 1 || prev >= len ||
	    strncmp(pdf + prev, "xref", 4) != 0 ||
	    !(tr = last(pdf, (size_t)(sx - pdf), "trailer")) ||
	    !(tr = first(tr, sx, "<<")) || !(te = dict_end(tr, sx)) ||
	    first(tr, te, "/Prev") || first(tr, te, "/Encrypt"))
		return NULL;
	/* /Root N G R, and that object's dictionary, the last one written
	 * before the cross-reference table */
	if (!(root = first(tr, te, "/Root")) || sscanf(root + 5, " %lu %lu R", &num, &gen) != 2)
		return NULL;
	k = snprintf(head, sizeof(head), "\n%lu %lu obj", num, gen);
	v = xcalloc(nalt + 1, sizeof(*v));
	v[0] = (struct rev){ .num = num, .gen = gen };
	if (k < 0 || (size_t)k >= sizeof(head) || !(obj = last(pdf, prev, head)) ||
	    !(v[0].od = first(obj + k, pdf + prev, "<<")) ||
	    !(v[0].oe = dict_end(v[0].od, pdf + prev))) {
		free(v);
		return NULL;
	}
	nfig = figures(pdf, prev, v + 1, nalt);
	nv = 1 + nfig;
	if (!(f = open_memstream(&buf, &size)))
		xalloc_die();
	if (pdf[len - 1] != '\n')
		fputc('\n', f);
	/* each object again, its old keys then the new one */
	for (size_t i = 0; i < nv; i++) {
		fflush(f);
		v[i].at = len + size;
		fprintf(f, "%lu %lu obj\n%.*s", v[i].num, v[i].gen,
		    (int)(v[i].oe - v[i].od - 2), v[i].od);
		if (i == 0) {
			fprintf(f, " /Lang (%s)", lang);
			/* a viewer's title bar names the document by its title,
			 * not by its file's name (PDF/UA-1, 7.1): cairo 1.16
			 * has no call for it */
			if (!first(v[0].od, v[0].oe, "/ViewerPreferences"))
				fputs(" /ViewerPreferences << /DisplayDocTitle true >>", f);
		} else {
			fputs(" /Alt ", f);
			text_string(f, alt[i - 1]);
		}
		fputs(" >>\nendobj\n", f);
	}
	/* one subsection per object, in the order of their numbers; each
	 * entry exactly 20 bytes, as the standard wants */
	fflush(f);
	size_t xref = len + size;
	qsort(v, nv, sizeof(*v), by_num);
	fputs("xref\n", f);
	for (size_t i = 0; i < nv; i++)
		fprintf(f, "%lu 1\n%010zu %05lu n \n", v[i].num, v[i].at, v[i].gen);
	fprintf(f, "trailer\n%.*s /Prev %lu >>\nstartxref\n%zu\n%%%%EOF\n",
	    (int)(te - tr - 2), tr, prev, xref);
	if (fclose(f) != 0)
		xalloc_die();
	free(v);
	*n = size;
	return buf;
}
