/* The report's word wrap (daemon/report/pdf_draw.c), against cairo's own
 * measure of each whole line: greedy (every line as wide as it can be
 * within the width, the next word would not fit), every line within the
 * width unless it is one word too wide for any, the words in order with
 * nothing lost, and the space of each break kept at the end of its line
 * (a screen reader reads the tagged text). The wrap measures each word
 * once and adds the widths; these tests hold it to the line's measure. */
#include <cairo-pdf.h>
#include <cairo.h>
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "../../daemon/report/pdf_impl.h"

static cairo_status_t nowhere(void *arg, const unsigned char *data, unsigned int len)
{
	(void)arg;
	(void)data;
	(void)len;
	return CAIRO_STATUS_SUCCESS;
}

struct lines {
	char *v[256];
	size_t n;
};

static void keep(struct pdf *p, const char *s, void *arg)
{
	struct lines *l = arg;

	(void)p;
	cr_assert_lt(l->n, 256);
	l->v[l->n++] = strdup(s);
}

/* s wrapped in width w in size 9 (bold or not), each line checked; the
 * lines joined again are s with its runs of spaces made one. */
static void check(const char *s, double w, bool bold)
{
	cairo_surface_t *surf = cairo_pdf_surface_create_for_stream(nowhere, NULL, PAGE_W, PAGE_H);
	struct pdf p = { .cr = cairo_create(surf) };
	struct lines l = { .n = 0 };
	char *joined = calloc(1, strlen(s) + 1), *want = calloc(1, strlen(s) + 1);
	size_t j = 0, k = 0;

	pdf_font(&p, 9, bold);
	int n = pdf_wrap(&p, s, w, keep, &l);
	cr_assert_eq((size_t)n, l.n);
	cr_assert_eq(pdf_wrap(&p, s, w, NULL, NULL), n, "counting gives as many lines");
	for (size_t i = 0; i < l.n; i++) {
		char *line = l.v[i];
		size_t len = strlen(line);
		bool last = i + 1 == l.n;

		cr_assert_gt(len, 0);
		cr_assert_eq(line[len - 1] == ' ', !last,
		    "line %zu \"%s\": a break's space ends every line but the last", i, line);
		if (!last)
			line[--len] = '\0';
		cr_assert_neq(line[0], ' ');
		if (strchr(line, ' '))
			cr_assert_leq(pdf_width(&p, line), w, "line %zu \"%s\" is %g wide, more than %g",
			    i, line, pdf_width(&p, line), w);
		if (!last) {
			/* greedy: with the next line's first word, too wide */
			const char *next = l.v[i + 1];
			size_t first = strcspn(next, " ");
			char *more = malloc(len + first + 2);

			memcpy(more, line, len);
			more[len] = ' ';
			memcpy(more + len + 1, next, first);
			more[len + first + 1] = '\0';
			cr_assert_gt(pdf_width(&p, more), w, "\"%s\" would have fit in %g", more, w);
			free(more);
		}
		if (i)
			joined[j++] = ' ';
		memcpy(joined + j, line, len);
		j += len;
		free(line);
	}
	for (const char *c = s; *c; c++)
		if (*c != ' ' || (k && want[k - 1] != ' ' && c[1] && c[1] != ' '))
			want[k++] = *c;
	cr_assert_str_eq(joined, want);
	free(joined);
	free(want);
	cairo_destroy(p.cr);
	cairo_surface_destroy(surf);
}

static const char TEXT[] =
    "Absentéisme de l'équipe valdis/nancy/expedition\xe2\x80\xaf: 6,1\xe2\x80\xaf% en "
    "octobre 2026 contre 4,8\xe2\x80\xaf% un an plus tôt, 5,2\xe2\x80\xaf% pour l'entreprise "
    "et 5,1\xe2\x80\xaf% en référence nationale (baromètre Ayming 2024). WWWWW iiiii "
    "MMMMMMMM lllll, janvier 7,2 février 6,9 mars 6,4 avril 5,8 mai 5,5 juin 5,1 "
    "juillet 4,9 août 4,2 septembre 5,6 octobre 6,1.";

Test(pdf_wrap, each_line_is_as_full_as_the_width_allows_and_no_fuller)
{
	for (double w = 60; w <= 500; w += 7.25) {
		check(TEXT, w, false);
		check(TEXT, w, true);
	}
}

Test(pdf_wrap, a_word_too_wide_for_any_line_has_one_to_itself)
{
	check("un mot-beaucoup-trop-long-pour-la-largeur-donnée puis la suite", 40, false);
	check("court", 1, false);
}

Test(pdf_wrap, runs_of_spaces_are_one_and_nothing_is_empty)
{
	check("  deux   espaces   et   plus  ", 50, false);
	check("", 100, false);
	check("   ", 100, false);
}
