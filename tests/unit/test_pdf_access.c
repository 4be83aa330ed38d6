/* What the PDF report gets after cairo's output (daemon/report/
 * pdf_access.c): on a PDF shaped as cairo writes it, the incremental update
 * to append, byte for byte — the catalog again with /Lang, each Figure
 * structure element again with its /Alt as a UTF-16BE hex string, one
 * 20-byte cross-reference entry per object at its offset, in the order of
 * their numbers, a trailer whose /Prev is cairo's startxref and whose
 * startxref is the new table's offset; the figures left as they are when
 * their count is not the alternatives'; nothing for a PDF updated before or
 * not shaped as cairo's. The whole report read back by qpdf is
 * tests/integration/t_report_pdf_access.sh. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../daemon/report/pdf_impl.h"

static const char CATALOG[] = "<< /Type /Catalog\n   /Pages 1 0 R\n"
    "   /MarkInfo << /Marked true >>\n>>";
static const char FIGURE[] = "<< /Type /StructElem\n   /S /Figure\n   /P 2 0 R\n   /K 0\n>>";
static const char TRAILER[] = "<< /Size 4\n   /Root 3 0 R\n>>";

/* Objects 1 (pages), 2 (a figure, or a paragraph) and 3 (the catalog),
 * a table, a trailer. */
static char *cairo_like(const char *figure, const char *catalog, const char *trailer)
{
	char *s = NULL;
	const char *obj[3] = { "<< /Type /Pages /Kids [] /Count 0 >>", figure, catalog };
	size_t off[3];
	FILE *f = open_memstream(&s, &off[0]);

	fputs("%PDF-1.7\n%\xb5\xed\xae\xfb\n", f);
	for (int i = 0; i < 3; i++) {
		fflush(f);
		off[i] = (size_t)ftell(f);
		fprintf(f, "%d 0 obj\n%s\nendobj\n", i + 1, obj[i]);
	}
	fflush(f);
	long x = ftell(f);
	fputs("xref\n0 4\n0000000000 65535 f \n", f);
	for (int i = 0; i < 3; i++)
		fprintf(f, "%010zu 00000 n \n", off[i]);
	fprintf(f, "trailer\n%s\nstartxref\n%ld\n%%%%EOF\n", trailer, x);
	fclose(f);
	return s;
}

Test(pdf_access, the_catalog_and_the_figures_get_their_words_in_an_update)
{
	char *pdf = cairo_like(FIGURE, CATALOG, TRAILER), *want = NULL;
	char *alt[] = { "A(b)\\\r, é 😀" };
	size_t len = strlen(pdf), n, x = (size_t)(strstr(pdf, "xref\n") - pdf), wn;
	char *u = pdf_access_update(pdf, len, "fr-FR", alt, 1, &n);
	const char *cat = "3 0 obj\n<< /Type /Catalog\n   /Pages 1 0 R\n"
	    "   /MarkInfo << /Marked true >>\n /Lang (fr-FR)"
	    " /ViewerPreferences << /DisplayDocTitle true >> >>\nendobj\n";
	/* UTF-16BE with its mark, "(", ")", "\\" and CR escaped, U+1F600 as a
	 * surrogate pair */
	static const char fig[] = "2 0 obj\n<< /Type /StructElem\n   /S /Figure\n"
	    "   /P 2 0 R\n   /K 0\n /Alt (\xfe\xff\0A\0\\(\0b\0\\)\0\\\\\0\\r\0,\0 "
	    "\0\xe9\0 \xd8=\xde\0) >>\nendobj\n";
	size_t fn = sizeof(fig) - 1;
	FILE *f = open_memstream(&want, &wn);

	fprintf(f, "%s", cat);
	fwrite(fig, 1, fn, f);
	fprintf(f, "xref\n2 1\n%010zu 00000 n \n3 1\n%010zu 00000 n \n"
	    "trailer\n<< /Size 4\n   /Root 3 0 R\n /Prev %zu >>\nstartxref\n%zu\n%%%%EOF\n",
	    len + strlen(cat), len, x, len + strlen(cat) + fn);
	fclose(f);
	cr_assert_not_null(u);
	cr_expect(n == wn && !memcmp(u, want, n), "got %zu bytes, want %zu", n, wn);
	free(u);
	free(want);
	free(pdf);
}

Test(pdf_access, figures_that_do_not_match_the_alternatives_keep_none)
{
	char *pdf = cairo_like(FIGURE, CATALOG, TRAILER), *u;
	char *alt[] = { "a", "b" };
	size_t n;

	/* two alternatives for one figure: which is whose is not known */
	u = pdf_access_update(pdf, strlen(pdf), "fr-FR", alt, 2, &n);
	cr_assert_not_null(u);
	cr_expect_null(strstr(u, "/Alt"), "%s", u);
	cr_expect_not_null(strstr(u, "/Lang (fr-FR)"));
	free(u);
	/* and none for a figure */
	u = pdf_access_update(pdf, strlen(pdf), "en", NULL, 0, &n);
	cr_assert_not_null(u);
	cr_expect_null(strstr(u, "/Alt"), "%s", u);
	cr_expect_not_null(strstr(u, "xref\n3 1\n"));
	free(u);
	free(pdf);
}

Test(pdf_access, another_name_is_no_figure_and_bad_utf8_is_replaced)
{
	char *pdf = cairo_like("<< /Type /StructElem /S /FigureX >>", CATALOG, TRAILER), *u;
	char *alt[] = { "a\xff\xc3" };
	size_t n;

	/* no Figure: one alternative matches none */
	u = pdf_access_update(pdf, strlen(pdf), "fr-FR", alt, 1, &n);
	cr_assert_not_null(u);
	cr_expect_null(strstr(u, "/Alt"), "%s", u);
	free(u);
	free(pdf);
	pdf = cairo_like(FIGURE, CATALOG, TRAILER);
	u = pdf_access_update(pdf, strlen(pdf), "fr-FR", alt, 1, &n);
	cr_assert_not_null(u);
	static const char bad[] = " /Alt (\xfe\xff\0a\xff\xfd\xff\xfd) >>";
	cr_expect_not_null(memmem(u, n, bad, sizeof(bad) - 1), "%s", u);
	free(u);
	free(pdf);
}

Test(pdf_access, a_file_without_its_last_newline_still_gets_offsets_right)
{
	char *pdf = cairo_like("<< /Type /StructElem /S /P >>", CATALOG, TRAILER);
	size_t len = strlen(pdf) - 1, n;	/* "%%EOF" without "\n" */
	char *u = pdf_access_update(pdf, len, "en", NULL, 0, &n), *x;

	cr_assert_not_null(u);
	cr_expect(u[0] == '\n' && !strncmp(u + 1, "3 0 obj\n", 8), "%s", u);
	x = strstr(u, "xref\n3 1\n");
	cr_assert_not_null(x);
	cr_expect_eq(strtoul(x + 9, NULL, 10), len + 1);
	cr_expect_eq(strtoul(strstr(u, "startxref\n") + 10, NULL, 10), len + (size_t)(x - u));
	cr_expect_not_null(strstr(u, " /Lang (en) /ViewerPreferences << /DisplayDocTitle true >> >>"));
	free(u);
	free(pdf);
}

Test(pdf_access, nothing_when_it_is_not_cairo_s_first_revision)
{
	const char *bad[][2] = {
		{ "<< /Type /Catalog /Pages 1 0 R /Lang (de) >>", TRAILER },
		{ CATALOG, "<< /Size 4 /Root 3 0 R /Prev 9 >>" },
		{ CATALOG, "<< /Size 4 /Root 7 0 R >>" },
		{ CATALOG, "<< /Size 4 >>" },
		{ "<< /Type /Catalog /Title (a << b) >>", TRAILER },
		{ "<< /Type /Catalog /Pages 1 0 R", TRAILER },
	};
	size_t n = 99;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *pdf = cairo_like(FIGURE, bad[i][0], bad[i][1]);
		cr_expect_null(pdf_access_update(pdf, strlen(pdf), "fr-FR", NULL, 0, &n),
		    "case %zu", i);
		cr_expect_eq(n, 0);
		free(pdf);
	}
	cr_expect_null(pdf_access_update("%PDF-1.7\n", 9, "fr-FR", NULL, 0, &n));
	cr_expect_null(pdf_access_update("startxref\n999999\n%%EOF\n", 22, "fr-FR", NULL, 0, &n));
}
