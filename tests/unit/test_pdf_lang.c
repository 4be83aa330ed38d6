/* The PDF report's language (daemon/report/pdf_lang.c): on a PDF shaped as
 * cairo writes it, the incremental update to append, byte for byte (the new
 * catalog with /Lang, a 20-byte cross-reference entry at its offset, a
 * trailer whose /Prev is cairo's startxref and whose startxref is the new
 * table's offset); nothing for a PDF that has its language already, was
 * updated before, or does not look like cairo's. The whole file, read back
 * by qpdf, is tests/integration/t_report_pdf_lang.sh. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../daemon/report/pdf_impl.h"

/* Objects 1 (pages) and 2 (catalog), a table, a trailer. */
static char *cairo_like(const char *catalog, const char *trailer)
{
	char *s = NULL, *t;
	size_t o1, o2, x;

	t = strdup("%PDF-1.7\n%\xb5\xed\xae\xfb\n");
	o1 = strlen(t);
	cr_assert(asprintf(&s, "%s1 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n", t) > 0);
	free(t);
	o2 = strlen(s);
	t = s;
	cr_assert(asprintf(&s, "%s2 0 obj\n%s\nendobj\n", t, catalog) > 0);
	free(t);
	x = strlen(s);
	t = s;
	cr_assert(asprintf(&s, "%sxref\n0 3\n0000000000 65535 f \n%010zu 00000 n \n"
	    "%010zu 00000 n \ntrailer\n%s\nstartxref\n%zu\n%%%%EOF\n", t, o1, o2, trailer,
	    x) > 0);
	free(t);
	return s;
}

static const char CATALOG[] = "<< /Type /Catalog\n   /Pages 1 0 R\n"
    "   /MarkInfo << /Marked true >>\n>>";
static const char TRAILER[] = "<< /Size 3\n   /Root 2 0 R\n>>";

Test(pdf_lang, the_catalog_gets_its_language_in_an_update)
{
	char *pdf = cairo_like(CATALOG, TRAILER), *want = NULL;
	size_t len = strlen(pdf), n, x = strstr(pdf, "xref\n") - pdf;
	char *u = pdf_lang_update(pdf, len, "fr-FR", &n);
	const char *obj = "2 0 obj\n<< /Type /Catalog\n   /Pages 1 0 R\n"
	    "   /MarkInfo << /Marked true >>\n /Lang (fr-FR) >>\nendobj\n";

	cr_assert(asprintf(&want, "%sxref\n2 1\n%010zu 00000 n \ntrailer\n"
	    "<< /Size 3\n   /Root 2 0 R\n /Prev %zu >>\nstartxref\n%zu\n%%%%EOF\n",
	    obj, len, x, len + strlen(obj)) > 0);
	cr_assert_not_null(u);
	cr_expect_eq(n, strlen(want));
	cr_expect(n == strlen(want) && !memcmp(u, want, n), "%.*s", (int)n, u);
	free(u);
	free(want);
	free(pdf);
}

Test(pdf_lang, a_file_without_its_last_newline_still_gets_offsets_right)
{
	char *pdf = cairo_like(CATALOG, TRAILER);
	size_t len = strlen(pdf) - 1, n;	/* "%%EOF" without "\n" */
	char *u = pdf_lang_update(pdf, len, "en", &n), *x;

	cr_assert_not_null(u);
	cr_expect(u[0] == '\n' && !strncmp(u + 1, "2 0 obj\n", 8), "%s", u);
	x = strstr(u, "xref\n2 1\n");
	cr_assert_not_null(x);
	/* the object begins one byte after the old end, the table where it is */
	cr_expect_eq(strtoul(x + 9, NULL, 10), len + 1);
	cr_expect_eq(strtoul(strstr(u, "startxref\n") + 10, NULL, 10), len + (size_t)(x - u));
	cr_expect_not_null(strstr(u, " /Lang (en) >>"));
	free(u);
	free(pdf);
}

Test(pdf_lang, nothing_when_it_is_not_cairo_s_first_revision)
{
	const char *bad[][2] = {
		{ "<< /Type /Catalog /Pages 1 0 R /Lang (de) >>", TRAILER },
		{ CATALOG, "<< /Size 3 /Root 2 0 R /Prev 9 >>" },
		{ CATALOG, "<< /Size 3 /Root 7 0 R >>" },
		{ CATALOG, "<< /Size 3 >>" },
		{ "<< /Type /Catalog /Title (a << b) >>", TRAILER },
		{ "<< /Type /Catalog /Pages 1 0 R", TRAILER },
	};
	size_t n = 99;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *pdf = cairo_like(bad[i][0], bad[i][1]);
		cr_expect_null(pdf_lang_update(pdf, strlen(pdf), "fr-FR", &n), "case %zu", i);
		cr_expect_eq(n, 0);
		free(pdf);
	}
	cr_expect_null(pdf_lang_update("%PDF-1.7\n", 9, "fr-FR", &n));
	cr_expect_null(pdf_lang_update("startxref\n999999\n%%EOF\n", 22, "fr-FR", &n));
}
