/* The language of the PDF report (pdf_impl.h). Cairo (1.16, Debian 12)
 * writes no /Lang in the document catalog, and a screen reader then reads
 * a French report with the voice of its own default language. This adds
 * it the way a PDF is meant to be amended (ISO 32000-1, 7.5.6, incremental
 * updates): after cairo's %%EOF, a new revision of the catalog object with
 * /Lang, a cross-reference section holding that one object, and a trailer
 * whose /Prev points at cairo's. Nothing cairo wrote is changed. The parse
 * is of what cairo writes (a cross-reference table, one trailer), not of
 * any PDF; whatever does not look like it is left without a language. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/xalloc.h"
#include "pdf_impl.h"

/* The last occurrence of the n bytes of s in the len bytes at p, or NULL. */
static const char *last(const char *p, size_t len, const char *s)
{
	size_t n = strlen(s);

	for (size_t i = len >= n ? len - n + 1 : 0; i-- > 0; )
		if (!memcmp(p + i, s, n))
			return p + i;
	return NULL;
}

/* The end (just past ">>") of the dictionary that starts at p ("<<"),
 * nested dictionaries included, or NULL. Cairo's catalog and trailer hold
 * names, numbers, references and dictionaries only: no string or stream
 * that could hold an unbalanced "<<". One with a string (a /Lang among
 * them: it is a text string) is not cairo's 1.16 first revision. */
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
		} else if (p[0] == '(' || (p[0] == '<' && p[1] != '<')) {
			return NULL;	/* a string: not cairo's */
		}
	}
	return NULL;
}

static bool has_key(const char *p, const char *end, const char *key)
{
	return last(p, (size_t)(end - p), key) != NULL;
}

char *pdf_lang_update(const char *pdf, size_t len, const char *lang, size_t *n)
{
	const char *sx, *tr, *te, *root, *obj, *od, *oe;
	char head[48];
	unsigned long prev, num, gen;
	int k;

	*n = 0;
	/* startxref, its offset, and the trailer before it */
	if (!(sx = last(pdf, len, "startxref")) ||
	    sscanf(sx + 9, " %lu", &prev) != 1 || prev >= len ||
	    strncmp(pdf + prev, "xref", 4) != 0 ||
	    !(tr = last(pdf, (size_t)(sx - pdf), "trailer")) ||
	    !(tr = strstr(tr, "<<")) || tr > sx || !(te = dict_end(tr, sx)) ||
	    has_key(tr, te, "/Prev") || has_key(tr, te, "/Encrypt"))
		return NULL;
	/* /Root N G R, and that object's dictionary, the last one written
	 * before the cross-reference table */
	if (!(root = last(tr, (size_t)(te - tr), "/Root")) ||
	    sscanf(root + 5, " %lu %lu R", &num, &gen) != 2)
		return NULL;
	k = snprintf(head, sizeof(head), "\n%lu %lu obj", num, gen);
	if (k < 0 || (size_t)k >= sizeof(head) ||
	    !(obj = last(pdf, prev, head)) || !(od = strstr(obj + k, "<<")) ||
	    od >= pdf + prev || !(oe = dict_end(od, pdf + prev)))
		return NULL;
	/* The new catalog: the old one's keys, then /Lang (a text string of
	 * ASCII letters and hyphens: written as it is). The cross-reference
	 * entry is exactly 20 bytes, as the standard wants. */
	size_t at = len + (pdf[len - 1] == '\n' ? 0 : 1);
	FILE *f;
	char *buf = NULL;
	size_t size = 0;

	if (!(f = open_memstream(&buf, &size)))
		xalloc_die();
	if (pdf[len - 1] != '\n')
		fputc('\n', f);
	fprintf(f, "%lu %lu obj\n%.*s /Lang (%s) >>\nendobj\n", num, gen,
	    (int)(oe - od - 2), od, lang);
	fflush(f);
	fprintf(f, "xref\n%lu 1\n%010zu %05lu n \ntrailer\n%.*s /Prev %lu >>\n"
	    "startxref\n%zu\n%%%%EOF\n", num, at, gen, (int)(te - tr - 2), tr, prev, len + size);
	if (fclose(f) != 0)
		xalloc_die();
	*n = size;
	return buf;
}
