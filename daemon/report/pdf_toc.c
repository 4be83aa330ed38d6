/* The PDF report's contents and its index of the units with alerts. The
 * contents nest each unit under its parent, indented by its depth and
 * named by its place and its path under its site (runit_short), as the
 * bookmarks do (pdf_unit_page); their first line leads to the index,
 * which lists the units whose alert box is not empty, with that box's
 * totals by severity and the unit's page, so that a works council member
 * finds them without leafing through every page. */
#include <cairo-pdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pdf_impl.h"

/* Deeper than this, the contents indent no more: 16 levels would leave
 * no room for a name. */
#define TOC_MAX_INDENT 6

static void toc_entry(struct pdf *p, double indent, const char *label, int page,
    bool bold)
{
	char num[16], dest[48];
	double x = LEFT + indent, wl, wn;

	pdf_need(p, 17);
	p->y += 17;
	pdf_tag(p, "P");
	pdf_font(p, 10, bold);
	pdf_rgb(p->cr, INK);
	snprintf(num, sizeof(num), "%d", p->final ? page : 0);
	snprintf(dest, sizeof(dest), "page=%d", page > 0 ? page : 1);
	if (p->final)
		cairo_tag_begin(p->cr, CAIRO_TAG_LINK, dest);
	pdf_text(p, x, p->y, label);
	wl = pdf_width(p, label);
	wn = pdf_width(p, num);
	/* dotted leader */
	pdf_rgb(p->cr, PREV);
	for (double d = x + wl + 6; d < RIGHT - wn - 6; d += 4)
		pdf_text(p, d, p->y, ".");
	pdf_rgb(p->cr, INK);
	pdf_text_right(p, RIGHT, p->y, num);
	if (p->final)
		cairo_tag_end(p->cr, CAIRO_TAG_LINK);
	pdf_untag(p);
}

void pdf_contents(struct pdf *p)
{
	const struct rmodel *m = p->m;
	char label[400];

	pdf_new_page(p);
	pdf_heading(p, 18, rw(m->loc, W_CONTENTS));
	p->y += 6;
	if (m->alerts_read)
		toc_entry(p, 0, rw(m->loc, W_INDEX), p->index_page, true);
	for (size_t i = 0; i < m->nunits; i++) {
		const struct runit *u = &m->units[i];
		int d = u->depth < TOC_MAX_INDENT ? u->depth : TOC_MAX_INDENT;

		snprintf(label, sizeof(label), "%s %s", rlevel_name(u->level, m->loc),
		    runit_short(u));
		toc_entry(p, 16.0 * d, label, p->unit_page[i], u->depth == 0);
	}
	p->y += 6;
	toc_entry(p, 0, rw(m->loc, W_VALUES), p->values_page, true);
	toc_entry(p, 0, rw(m->loc, W_METHOD), p->method_page, true);
}

#define COL_W (RIGHT - 130)	/* the right edge of the warnings */
#define COL_C (RIGHT - 60)	/* of the critical ones */

static void cell(struct pdf *p, const char *tag)
{
	if (p->ntags && (!strcmp(p->tags[p->ntags - 1], "TH") ||
	    !strcmp(p->tags[p->ntags - 1], "TD")))
		pdf_untag(p);
	pdf_tag(p, tag);
}

/* One row of the index: a header (bold, shaded) or a unit's. */
static void index_row(struct pdf *p, bool head, const char *unit, const char *w,
    const char *c, const char *page, int dest)
{
	char d[48];

	if (head)
		pdf_shade(p->cr, LEFT, p->y, WIDTH, 14);
	pdf_font(p, 8.5, head);
	pdf_rgb(p->cr, INK);
	pdf_tag(p, "TR");
	cell(p, "TH");
	if (dest && p->final) {
		snprintf(d, sizeof(d), "page=%d", dest);
		cairo_tag_begin(p->cr, CAIRO_TAG_LINK, d);
	}
	pdf_text(p, LEFT + 4, p->y + 10, unit);
	if (dest && p->final)
		cairo_tag_end(p->cr, CAIRO_TAG_LINK);
	cell(p, head ? "TH" : "TD");
	pdf_text_right(p, COL_W, p->y + 10, w);
	cell(p, head ? "TH" : "TD");
	pdf_text_right(p, COL_C, p->y + 10, c);
	cell(p, head ? "TH" : "TD");
	pdf_text_right(p, RIGHT - 4, p->y + 10, page);
	pdf_untag(p);
	pdf_untag(p);
	p->y += head ? 14 : 13;
	pdf_rgb(p->cr, RULE);
	cairo_set_line_width(p->cr, 0.5);
	cairo_move_to(p->cr, LEFT, p->y);
	cairo_line_to(p->cr, RIGHT, p->y);
	cairo_stroke(p->cr);
}

void pdf_index(struct pdf *p)
{
	const struct rmodel *m = p->m;
	char label[400], w[24], c[24], page[16], cont[160];
	const char *pw = rw(m->loc, W_PAGE);
	char pcap[16];
	size_t n = 0;

	if (!m->alerts_read)
		return;
	snprintf(pcap, sizeof(pcap), "%s", pw);
	rcap(pcap);	/* « Page » */
	pdf_new_page(p);
	p->index_page = p->page;
	pdf_outline(p, CAIRO_PDF_OUTLINE_ROOT, rw(m->loc, W_INDEX), false);
	pdf_heading(p, 18, rw(m->loc, W_INDEX));
	snprintf(cont, sizeof(cont), "%s %s", rw(m->loc, W_INDEX), rw(m->loc, W_CONTINUED));
	for (size_t i = 0; i < m->nunits; i++) {
		const struct runit *u = &m->units[i];
		size_t nw = runit_alerts(m, u, false), nc = runit_alerts(m, u, true);

		if (!nw && !nc)
			continue;
		if (!n++) {
			pdf_para(p, LEFT, WIDTH, 9, false, INK, rw(m->loc, W_INDEX_TEXT));
			p->y += 6;
			pdf_need(p, 14 + 13);
			pdf_tag(p, "Table");
			p->cont = cont;
			index_row(p, true, rw(m->loc, W_UNIT), rw(m->loc, W_WARNING),
			    rw(m->loc, W_CRITICAL), pcap, 0);
		}
		if (p->y + 13 > BOTTOM) {	/* a new page: the header again */
			pdf_new_page(p);
			index_row(p, true, rw(m->loc, W_UNIT), rw(m->loc, W_WARNING),
			    rw(m->loc, W_CRITICAL), pcap, 0);
		}
		snprintf(label, sizeof(label), "%s %s", rlevel_name(u->level, m->loc), u->path);
		snprintf(w, sizeof(w), "%zu", nw);
		snprintf(c, sizeof(c), "%zu", nc);
		snprintf(page, sizeof(page), "%d", p->final ? p->unit_page[i] : 0);
		index_row(p, false, label, w, c, page, p->unit_page[i] > 0 ? p->unit_page[i] : 1);
	}
	if (n)
		pdf_untag(p);
	else
		pdf_para(p, LEFT, WIDTH, 9, false, INK, rw(m->loc, W_INDEX_NONE));
	p->cont = NULL;
}
