/* Drawing on the report's PDF pages (pdf_impl.h): colours, the one font,
 * text measured and placed, greedy word wrap, pages with their footer
 * ("page 3 / 21" once the first pass has counted them), and a paragraph
 * that flows onto the next page when the current one is full. */
#include <cairo-pdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pdf_impl.h"
#include "vigie/xalloc.h"

void pdf_rgb(cairo_t *cr, unsigned c)
{
	cairo_set_source_rgb(cr, (c >> 16 & 255) / 255.0, (c >> 8 & 255) / 255.0,
	    (c & 255) / 255.0);
}

void pdf_shade(cairo_t *cr, double x, double y, double w, double h)
{
	cairo_rectangle(cr, x, y, w, h);
	pdf_rgb(cr, SHADE);
	cairo_fill(cr);
}


void pdf_font(struct pdf *p, double size, bool bold)
{
	cairo_select_font_face(p->cr, FONT, CAIRO_FONT_SLANT_NORMAL,
	    bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(p->cr, size);
}

double pdf_width(struct pdf *p, const char *s)
{
	cairo_text_extents_t e;

	cairo_text_extents(p->cr, s, &e);
	return e.x_advance;
}

void pdf_text(struct pdf *p, double x, double y, const char *s)
{
	cairo_move_to(p->cr, x, y);
	cairo_show_text(p->cr, s);
}

void pdf_text_right(struct pdf *p, double x, double y, const char *s)
{
	pdf_text(p, x - pdf_width(p, s), y, s);
}

void pdf_text_center(struct pdf *p, double x, double y, const char *s)
{
	pdf_text(p, x - pdf_width(p, s) / 2, y, s);
}

/* Greedy word wrap of s in width w: calls line() for each line (its text
 * in a scratch buffer) and returns the number of lines. Breaks at ASCII
 * spaces only: a narrow no-break space keeps "6,1 %" on one line. Each
 * word is measured once: cairo's text has no kerning, so a line is as wide
 * as its words and spaces (measuring each candidate line again made the
 * wrap most of a large report's time). */
int pdf_wrap(struct pdf *p, const char *s, double w,
    void (*line)(struct pdf *, const char *, void *), void *arg)
{
	size_t n = strlen(s);
	char *buf = xmalloc(n + 2), *word = xmalloc(n + 1);
	size_t bl = 0, i = 0;
	double bw = 0, space = pdf_width(p, " ");
	int lines = 0;

	buf[0] = '\0';
	while (i < n) {
		size_t j = i;
		while (j < n && s[j] != ' ')
			j++;
		memcpy(word, s + i, j - i);
		word[j - i] = '\0';
		double ww = pdf_width(p, word);
		if (bl && bw + space + ww > w) {
			/* the space of the break ends the line, unseen: in the
			 * tagged text a screen reader reads, words stay apart */
			buf[bl] = ' ';
			buf[bl + 1] = '\0';
			if (line)
				line(p, buf, arg);
			lines++;
			bl = 0;
		}
		if (bl) {
			buf[bl++] = ' ';
			bw += space + ww;
		} else {
			bw = ww;
		}
		memcpy(buf + bl, word, j - i);
		bl += j - i;
		buf[bl] = '\0';
		i = j;
		while (i < n && s[i] == ' ')
			i++;
	}
	if (bl) {
		if (line)
			line(p, buf, arg);
		lines++;
	}
	free(buf);
	free(word);
	return lines;
}

/* ---------------------------------------------------------- pages */

void pdf_footer(struct pdf *p)
{
	char b[64];

	/* A paragraph that flows onto the next page goes on in its own font
	 * and colour, not the footer's. */
	cairo_save(p->cr);
	pdf_font(p, 7.5, false);
	cairo_set_line_width(p->cr, 0.5);
	pdf_rgb(p->cr, RULE);
	cairo_move_to(p->cr, LEFT, PAGE_H - 45);
	cairo_line_to(p->cr, RIGHT, PAGE_H - 45);
	cairo_stroke(p->cr);
	pdf_rgb(p->cr, GREY);
	pdf_text(p, LEFT, PAGE_H - 34, rw(p->m->loc, W_TITLE));
	if (p->final)
		snprintf(b, sizeof(b), "%s %d / %d", rw(p->m->loc, W_PAGE), p->page, p->npages);
	else
		snprintf(b, sizeof(b), "%s %d", rw(p->m->loc, W_PAGE), p->page);
	pdf_text_right(p, RIGHT, PAGE_H - 34, b);
	pdf_text_center(p, PAGE_W / 2, PAGE_H - 34, p->span);
	cairo_restore(p->cr);
}

/* Ends the current page (with its footer, but for the cover) and starts
 * the next one. */
void pdf_new_page(struct pdf *p)
{
	if (p->page > 0) {
		for (int i = p->ntags; i-- > 0;)
			cairo_tag_end(p->cr, p->tags[i]);
		if (p->page > 1)
			pdf_footer(p);
		cairo_show_page(p->cr);
	}
	p->page++;
	p->y = TOP;
	if (p->cont) {
		pdf_font(p, 11, true);
		pdf_rgb(p->cr, BLUE);
		pdf_text(p, LEFT, p->y + 12, p->cont);
		p->y += 26;
	}
	for (int i = 0; i < p->ntags; i++)
		cairo_tag_begin(p->cr, p->tags[i], "");
}

void pdf_tag(struct pdf *p, const char *name)
{
	if (p->ntags < (int)(sizeof(p->tags) / sizeof(p->tags[0]))) {
		p->tags[p->ntags++] = name;
		cairo_tag_begin(p->cr, name, "");
	}
}

void pdf_untag(struct pdf *p)
{
	if (p->ntags > 0)
		cairo_tag_end(p->cr, p->tags[--p->ntags]);
}

/* Makes room for h points below the cursor. */
void pdf_need(struct pdf *p, double h)
{
	if (p->y + h > BOTTOM)
		pdf_new_page(p);
}

struct para {
	double x, lh;
};

static void para_line(struct pdf *p, const char *s, void *arg)
{
	struct para *a = arg;

	pdf_need(p, a->lh);
	p->y += a->lh;
	pdf_text(p, a->x, p->y - a->lh * 0.25, s);
}

/* A paragraph from the cursor, line by line across pages. */
void pdf_para_tag(struct pdf *p, const char *tag, double x, double w, double size,
    bool bold, unsigned color, const char *s)
{
	struct para a = { x, size * 1.45 };

	pdf_font(p, size, bold);
	pdf_rgb(p->cr, color);
	pdf_tag(p, tag);
	pdf_wrap(p, s, w, para_line, &a);
	pdf_untag(p);
}

void pdf_para(struct pdf *p, double x, double w, double size, bool bold,
    unsigned color, const char *s)
{
	pdf_para_tag(p, "P", x, w, size, bold, color, s);
}

void pdf_heading(struct pdf *p, double size, const char *s)
{
	pdf_need(p, size * 3);
	p->y += size * 0.6;
	pdf_para_tag(p, size >= 18 ? "H2" : "H3", LEFT, WIDTH, size, true, BLUE, s);
	p->y += size * 0.3;
}

void pdf_cell_line(struct pdf *p, const char *s, void *arg)
{
	struct cell *c = arg;

	pdf_text(p, c->x, c->y, s);
	c->y += c->lh;
}

int pdf_outline(struct pdf *p, int parent, const char *name, bool open)
{
	char dest[32];

	if (!p->final)
		return 0;
	snprintf(dest, sizeof(dest), "page=%d", p->page);
	return cairo_pdf_surface_add_outline(p->surf, parent, name, dest,
	    open ? CAIRO_PDF_OUTLINE_FLAG_OPEN : 0);
}
