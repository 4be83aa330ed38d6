/* The report as a PDF drawn with cairo: A4 pages, DejaVu Sans embedded
 * (cairo's PDF surface embeds the subset of glyphs used), charts as
 * vector paths, a cover, a table of contents with page numbers (and
 * links, and the same entries as bookmarks, nested alike), the index of
 * the units with alerts (pdf_toc.c), a page per unit and the method. Page numbers need the number of pages before the first page is
 * drawn, so the document is laid out twice: a first pass into a PDF
 * surface that writes nowhere, with everything clipped away, measures
 * where each section starts and how many pages there are, the second
 * draws the same thing with them. The layout flows: whatever does not fit
 * at the bottom of a page starts the next one. */
#include <cairo-ft.h>
#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include "pdf_impl.h"
#include "vigie/fileio.h"
#include "vigie/progress.h"
#include "vigie/text.h"
#include "vigie/xalloc.h"

#ifndef VIGIE_VERSION
#define VIGIE_VERSION "0.1.0"
#endif

/* ---------------------------------------------------------- cover, contents */

static void cover(struct pdf *p)
{
	const struct rmodel *m = p->m;
	char b[512], date[64], span[160], num[32], *t;
	size_t n = 0;
	double y0;

	pdf_new_page(p);
	p->y = 200;
	pdf_para_tag(p, "H1", LEFT, WIDTH, 26, true, BLUE, rw(m->loc, W_TITLE));
	p->y += 8;
	pdf_para(p, LEFT, WIDTH, 16, false, 0x33475b, rw(m->loc, W_SUBTITLE));
	p->y += 20;
	rspan(span, sizeof(span), m->gran, m->from, m->to, m->loc);
	pdf_para(p, LEFT, WIDTH, 14, false, INK, rcap(span));
	b[0] = '\0';
	for (size_t i = 0; i < m->nunits; i++)
		if (rmodel_top(m, i))
			snprintf(b + strlen(b), sizeof(b) - strlen(b), "%s%s", n++ ? ", " : "",
			    m->units[i].path);
	p->y += 6;
	pdf_para(p, LEFT, WIDTH, 14, true, INK, b);
	p->y += 40;
	y0 = p->y;
	snprintf(num, sizeof(num), "%d", m->floor);
	t = rtext(m->loc, W_PRIVACY, num, NULL, NULL);
	p->y += 10;
	pdf_para(p, LEFT + 14, WIDTH - 28, 10.5, false, INK, t);
	free(t);
	p->y += 10;
	cairo_rectangle(p->cr, LEFT, y0, WIDTH, p->y - y0);
	pdf_rgb(p->cr, 0xc9d2dc);
	cairo_set_line_width(p->cr, 0.8);
	cairo_stroke(p->cr);
	rdate(date, sizeof(date), m->now, m->loc);
	t = rtext(m->loc, W_GENERATED, date, VIGIE_VERSION, NULL);
	p->y = BOTTOM - 20;
	pdf_para(p, LEFT, WIDTH, 9, false, GREY, t);
	free(t);
}

/* ---------------------------------------------------------- chart values */

/* What each chart shows, in words (rchart_text): the figures of the
 * curves for a reader who cannot see them, with a screen reader, or in
 * text copied from the PDF; by unit, in the order of the pages. */
static void values(struct pdf *p)
{
	const struct rmodel *m = p->m;
	char head[400];

	pdf_new_page(p);
	p->values_page = p->page;
	pdf_outline(p, CAIRO_PDF_OUTLINE_ROOT, rw(m->loc, W_VALUES), false);
	pdf_heading(p, 18, rw(m->loc, W_VALUES));
	pdf_para(p, LEFT, WIDTH, 9, false, INK, rw(m->loc, W_VALUES_TEXT));
	for (size_t i = 0; i < m->nunits; i++) {
		const struct runit *u = &m->units[i];

		snprintf(head, sizeof(head), "%s %s", rlevel_name(u->level, m->loc), u->path);
		pdf_heading(p, 12, head);
		for (size_t d = 0; d < m->defs->n; d++) {
			char *title = rfrench(rdef_text(m->defs->v[d].title, m->loc), m->loc);
			char *text = rchart_text(m, u, d);

			pdf_need(p, 30);
			p->y += 3;
			pdf_para_tag(p, "H4", LEFT, WIDTH, 8.5, true, INK, title);
			pdf_para(p, LEFT + 10, WIDTH - 10, 8, false, INK, text);
			free(title);
			free(text);
		}
	}
}

/* ---------------------------------------------------------- method */

/* The words of the alert boxes: the severities, the themes and the rules
 * each groups, the follow-up and its outcomes. */
static void glossary(struct pdf *p)
{
	const struct rmodel *m = p->m;

	pdf_heading(p, 12, rw(m->loc, W_GLOSSARY_TITLE));
	pdf_para(p, LEFT, WIDTH, 9, false, INK, rw(m->loc, W_GLOSSARY_SEVERITY));
	p->y += 4;
	pdf_para(p, LEFT, WIDTH, 9, false, INK, rw(m->loc, W_GLOSSARY_THEMES));
	for (size_t t = 0; t < m->nthemes; t++)
		if (m->theme_rules && m->theme_rules[t]) {
			char *b = xasprintf("• %s%s %s.", rtheme_title(m->themes[t], m->loc),
			    m->loc == LOC_EN ? ":" : " :", m->theme_rules[t]);
			char *s = rfrench(b, m->loc);

			p->y += 3;
			pdf_para(p, LEFT + 6, WIDTH - 6, 8.5, false, INK, s);
			free(s);
			free(b);
		}
	p->y += 4;
	pdf_para(p, LEFT, WIDTH, 9, false, INK, rw(m->loc, W_GLOSSARY_FOLLOWUP));
}

static void method(struct pdf *p)
{
	const struct rmodel *m = p->m;
	char b[2048], v[96], d0[64], d1[64], num[32], *window, *t;

	pdf_new_page(p);
	p->method_page = p->page;
	pdf_outline(p, CAIRO_PDF_OUTLINE_ROOT, rw(m->loc, W_METHOD), false);
	pdf_heading(p, 18, rw(m->loc, W_METHOD));
	pdf_heading(p, 12, rw(m->loc, W_DEFS_TITLE));
	t = rformula_note(m);
	pdf_para(p, LEFT, WIDTH, 9, false, INK, t);
	free(t);
	if (m->renamed) {
		snprintf(num, sizeof(num), "%zu", m->renamed);
		t = rtext(m->loc, W_RENAMED, num, NULL, NULL);
		pdf_para(p, LEFT, WIDTH, 9, false, INK, t);
		free(t);
	}
	for (size_t d = 0; d < m->defs->n; d++) {
		const struct rdef *r = &m->defs->v[d];
		char *title = rfrench(rdef_text(r->title, m->loc), m->loc);
		char *mean = rfrench(rdef_text(r->meaning, m->loc), m->loc);

		pdf_need(p, 40);
		p->y += 4;
		pdf_para(p, LEFT, WIDTH, 9, true, INK, title);
		pdf_para(p, LEFT + 10, WIDTH - 10, 8.5, false, INK, mean);
		snprintf(b, sizeof(b), "%s%s: %s", rw(m->loc, W_FORMULA),
		    m->loc == LOC_EN ? "" : NNBSP, m->defs->v[d].value);
		pdf_para(p, LEFT + 10, WIDTH - 10, 7.5, false, GREY, b);
		free(title);
		free(mean);
	}
	pdf_heading(p, 12, rw(m->loc, W_FLOOR_TITLE));
	snprintf(num, sizeof(num), "%d", m->floor);
	t = rtext(m->loc, W_FLOOR_TEXT, num, NULL, NULL);
	pdf_para(p, LEFT, WIDTH, 9, false, INK, t);
	free(t);
	p->y += 4;
	snprintf(num, sizeof(num), "%zu", m->hidden - m->nmissing);
	t = rtext(m->loc, W_HIDDEN_COUNT, num, NULL, NULL);
	pdf_para(p, LEFT, WIDTH, 9, false, INK, t);
	free(t);
	if ((t = rmissing_text(m))) {
		p->y += 4;
		pdf_para(p, LEFT, WIDTH, 9, false, INK, t);
		free(t);
	}
	pdf_heading(p, 12, rw(m->loc, W_ROUNDING_TITLE));
	snprintf(num, sizeof(num), "%d", SMALL_UNIT);
	t = rtext(m->loc, W_ROUNDING_TEXT, num, NULL, NULL);
	pdf_para(p, LEFT, WIDTH, 9, false, INK, t);
	free(t);
	pdf_heading(p, 12, rw(m->loc, W_REFS_TITLE));
	pdf_para(p, LEFT, WIDTH, 9, false, INK, rw(m->loc, W_REFS_TEXT));
	for (size_t d = 0; d < m->defs->n; d++) {
		const struct rdef *r = &m->defs->v[d];
		char *s;
		int n;

		if (!r->has_ref)
			continue;
		rvalue(v, sizeof(v), r->ref, r, m->loc);
		n = snprintf(b, sizeof(b), "• %s%s %s", rdef_text(r->title, m->loc),
		    m->loc == LOC_EN ? ":" : " :", v);
		if (r->ref_year && n > 0 && (size_t)n < sizeof(b))
			n += snprintf(b + n, sizeof(b) - (size_t)n, " (%d)", r->ref_year);
		if (r->ref_legal && n > 0 && (size_t)n < sizeof(b))
			n += snprintf(b + n, sizeof(b) - (size_t)n, ", %s%s",
			    rw(m->loc, W_LEGAL_NOTE), m->loc == LOC_EN ? ";" : " ;");
		if (n > 0 && (size_t)n < sizeof(b))
			snprintf(b + n, sizeof(b) - (size_t)n, "%s%s.", r->ref_legal ? " " : ", ",
			    rdef_text(r->source, m->loc));
		s = rfrench(b, m->loc);
		p->y += 3;
		pdf_para(p, LEFT + 6, WIDTH - 6, 8.5, false, INK, s);
		free(s);
	}
	if (m->alerts_read) {
		pdf_heading(p, 12, rw(m->loc, W_ALERTS_TITLE));
		rdate(d0, sizeof(d0), m->t0, m->loc);
		rdate(d1, sizeof(d1), m->t1 - 1, m->loc);
		window = rtext(m->loc, W_FOLLOWUP_NOTE, d0, d1, NULL);
		t = rtext(m->loc, W_ALERTS_TEXT, window, NULL, NULL);
		pdf_para(p, LEFT, WIDTH, 9, false, INK, t);
		free(t);
		free(window);
		glossary(p);
	}
}

/* ---------------------------------------------------------- the document */

/* A failed write is recorded, not told to cairo: cairo 1.16 can abort on
 * a write error (an assertion in cairo-array.c, when the file system fills
 * up early in the document), and the console would go with it. The rest of
 * the document goes nowhere, and the pass fails when cairo is done. */
static cairo_status_t to_file(void *arg, const unsigned char *data, unsigned int len)
{
	struct pdf *p = arg;

	if (!p->werr && fwrite(data, 1, len, p->out) != len)
		p->werr = errno ? errno : EIO;
	progress_yield();	/* cairo_surface_finish writes for seconds */
	return CAIRO_STATUS_SUCCESS;
}

static cairo_status_t to_nowhere(void *arg, const unsigned char *data, unsigned int len)
{
	(void)arg;
	(void)data;
	(void)len;
	progress_yield();
	return CAIRO_STATUS_SUCCESS;
}

/* The font cairo finds for FONT must be it: a fallback would draw other
 * glyphs, and the PDF would not look like the one that was tested. */
static bool font_found(cairo_t *cr)
{
	cairo_scaled_font_t *sf;
	FT_Face face;
	bool ok = false;

	cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
	sf = cairo_get_scaled_font(cr);
	if (cairo_scaled_font_get_type(sf) != CAIRO_FONT_TYPE_FT)
		return false;
	face = cairo_ft_scaled_font_lock_face(sf);
	if (face) {
		ok = face->family_name && !strcmp(face->family_name, FONT);
		cairo_ft_scaled_font_unlock_face(sf);
	}
	return ok;
}

static int pass(struct pdf *p, FILE *f)
{
	const struct rmodel *m = p->m;
	char date[ISO8601_BUFSZ], title[512], span[160];
	size_t n;
	cairo_status_t st;

	p->out = f;
	p->surf = cairo_pdf_surface_create_for_stream(f ? to_file : to_nowhere, p, PAGE_W,
	    PAGE_H);
	p->cr = cairo_create(p->surf);
	/* The first pass only measures: with everything clipped away, cairo
	 * measures the text as the second pass will (the same surface, the
	 * same font options) and draws nothing, which was nearly half of the
	 * time a report took. */
	if (!f) {
		cairo_rectangle(p->cr, 0, 0, 0, 0);
		cairo_clip(p->cr);
	}
	p->page = 0;
	if (!font_found(p->cr)) {
		cairo_destroy(p->cr);
		cairo_surface_destroy(p->surf);
		return EX_NOINPUT;
	}
	/* "Rapport au CSE, valdis/nancy, de novembre 2025 à octobre 2026" */
	n = (size_t)snprintf(title, sizeof(title), "%s, ", rw(m->loc, W_TITLE));
	for (size_t i = 0; i < m->nunits && n < sizeof(title); i++)
		if (rmodel_top(m, i))
			n += (size_t)snprintf(title + n, sizeof(title) - n, "%s, ",
			    m->units[i].path);
	rspan(span, sizeof(span), m->gran, m->from, m->to, m->loc);
	if (n < sizeof(title))
		snprintf(title + n, sizeof(title) - n, "%s", span);
	cairo_pdf_surface_set_metadata(p->surf, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(p->surf, CAIRO_PDF_METADATA_SUBJECT,
	    rw(m->loc, W_SUBTITLE));
	cairo_pdf_surface_set_metadata(p->surf, CAIRO_PDF_METADATA_CREATOR,
	    "Vigie " VIGIE_VERSION);
	cairo_pdf_surface_set_metadata(p->surf, CAIRO_PDF_METADATA_CREATE_DATE,
	    text_iso8601(m->now, date));
	/* a tagged PDF: one Document of headings, paragraphs, tables and
	 * figures (pdf_tag) */
	cairo_tag_begin(p->cr, "Document", "");
	cover(p);
	pdf_contents(p);
	pdf_index(p);
	for (size_t i = 0; i < m->nunits; i++) {
		pdf_unit_page(p, i);
		progress_yield();	/* the watchdog and the inbox */
	}
	values(p);
	method(p);
	pdf_footer(p);
	cairo_tag_end(p->cr, "Document");
	cairo_show_page(p->cr);
	p->npages = p->page;
	cairo_destroy(p->cr);
	cairo_surface_finish(p->surf);
	st = cairo_surface_status(p->surf);
	cairo_surface_destroy(p->surf);
	return st == CAIRO_STATUS_SUCCESS && !p->werr ? 0 : EX_IOERR;
}

/* The second pass, into out, with the catalog's language and the charts'
 * text alternatives after it (pdf_access_update, which reads what cairo
 * wrote back from the file). */
static int final_pass(struct pdf *p, FILE *out)
{
	const char *pdf;
	char *upd = NULL;
	size_t len = 0, n = 0;
	int rc = pass(p, out);

	if (rc == 0 && !(pdf = file_map(out, &len))) {
		p->werr = errno;
		rc = EX_IOERR;
	}
	if (rc == 0) {
		upd = pdf_access_update(pdf, len, p->m->loc == LOC_EN ? "en" : "fr-FR",
		    p->alt, p->nalt, &n);
		file_unmap(pdf, len);
		if ((n && fwrite(upd, 1, n, out) != n) || fflush(out) != 0) {
			p->werr = errno;
			rc = EX_IOERR;
		}
	}
	free(upd);
	for (size_t i = 0; i < p->nalt; i++)
		free(p->alt[i]);
	free(p->alt);
	p->alt = NULL;
	p->nalt = 0;
	return rc;
}

int rpdf_render(const struct rmodel *m, FILE *out, char **err)
{
	struct pdf p = { .m = m };
	int rc;

	p.unit_page = xcalloc(m->nunits + 1, sizeof(*p.unit_page));
	p.outline = xcalloc(m->nunits + 1, sizeof(*p.outline));
	rspan(p.span, sizeof(p.span), m->gran, m->from, m->to, m->loc);
	rcap(p.span);
	rc = pass(&p, NULL);
	if (rc == 0) {
		p.final = true;
		rc = final_pass(&p, out);
	}
	free(p.unit_page);
	free(p.outline);
	if (rc == EX_NOINPUT)
		*err = xstrdup("the PDF report is set in " FONT ", which fontconfig does not "
		    "find: install it (apt-get install fonts-dejavu-core)");
	else if (rc)
		*err = xasprintf("cannot write the PDF: %s", strerror(p.werr ? p.werr : EIO));
	return rc;
}
