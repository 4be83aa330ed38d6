/* Private to the PDF writer of daemon/report/ (pdf.c: the document, its
 * passes, cover and method; pdf_toc.c: the contents and the alerts index; pdf_unit.c: a unit's page; pdf_draw.c:
 * text, paragraphs and pages on a cairo context). */
#ifndef VIGIE_PDF_IMPL_H
#define VIGIE_PDF_IMPL_H

#include <cairo.h>
#include <stdbool.h>
#include "report_impl.h"

#define FONT "DejaVu Sans"
#define PAGE_W 595.276	/* A4 in points */
#define PAGE_H 841.89
#define LEFT 51.0
#define RIGHT (PAGE_W - 51.0)
#define TOP 62.0
#define BOTTOM (PAGE_H - 62.0)
#define WIDTH (RIGHT - LEFT)

#define INK 0x1b2733
#define GREY 0x4a5563
#define BLUE 0x1f3a5f
#define LINE 0x1f5f99
#define PREV 0x7b8794	/* the year before, and the axis: 3.7:1 on white (WCAG 1.4.11) */
#define REF 0xc0392b	/* a national reference */
#define LEGAL 0x8a5a00	/* a threshold set by law */
#define RULE 0xdde3ea
#define SHADE 0xeef1f5

struct pdf {
	const struct rmodel *m;
	cairo_surface_t *surf;
	cairo_t *cr;
	bool final;		/* the second pass: page numbers are known */
	int page, npages;
	int *unit_page;		/* per unit: its first page */
	int *outline;		/* per unit: its bookmark's id (final pass) */
	int method_page, values_page, index_page;
	double y;		/* the baseline cursor */
	char span[160];
	const char *cont;	/* what a page that a unit's page goes on to
				 * says first, « Équipe X (suite) », outside
				 * the structure as the footer is; NULL */
	const char *tags[8];	/* the structure elements open (pdf_tag) */
	int ntags;
	char **alt;		/* the final pass's charts' text alternatives */
	size_t nalt;
	FILE *out;		/* where the final pass writes */
	int werr;		/* the errno of its first failed write, or 0 */
};

/* The bytes to append to the PDF pdf (len bytes, as cairo wrote it) so
 * that its catalog says its language (lang: "fr-FR") and, when it holds as
 * many Figure structure elements as nalt, each its text alternative alt[i]
 * (UTF-8), in the order they were drawn: an incremental update
 * (pdf_access.c); *n their length. NULL when pdf does not look like what
 * cairo writes. Caller frees. */
char *pdf_access_update(const char *pdf, size_t len, const char *lang,
    char *const *alt, size_t nalt, size_t *n);

/* Where a wrapped text goes: pdf_cell_line draws each line at (x, y) and
 * moves y down by lh. */
struct cell {
	double x, y, lh;
};

void pdf_rgb(cairo_t *cr, unsigned c);
/* A shaded band (a table's header row), in SHADE. */
void pdf_shade(cairo_t *cr, double x, double y, double w, double h);
void pdf_font(struct pdf *p, double size, bool bold);
double pdf_width(struct pdf *p, const char *s);
void pdf_text(struct pdf *p, double x, double y, const char *s);
void pdf_text_right(struct pdf *p, double x, double y, const char *s);
void pdf_text_center(struct pdf *p, double x, double y, const char *s);
/* Greedy word wrap of s in width w: calls line() for each line (NULL:
 * only counts) and returns the number of lines. Breaks at ASCII spaces
 * only: a narrow no-break space keeps "6,1 %" on one line. */
int pdf_wrap(struct pdf *p, const char *s, double w,
    void (*line)(struct pdf *, const char *, void *), void *arg);
void pdf_cell_line(struct pdf *p, const char *s, void *arg);
/* The footer of the current page (numbers known in the final pass). */
void pdf_footer(struct pdf *p);
/* Ends the current page (with its footer, but for the cover) and starts
 * the next one; makes room for h points below the cursor. */
void pdf_new_page(struct pdf *p);
void pdf_need(struct pdf *p, double h);
/* A paragraph from the cursor, line by line across pages; a heading. */
void pdf_para(struct pdf *p, double x, double w, double size, bool bold,
    unsigned color, const char *s);
/* The same as a structure element tag ("H1", "P"...). */
void pdf_para_tag(struct pdf *p, const char *tag, double x, double w, double size,
    bool bold, unsigned color, const char *s);
/* A heading: size 18 or more a section's (H2), less a part's (H3). */
void pdf_heading(struct pdf *p, double size, const char *s);
/* Tagged PDF: what is drawn from pdf_tag to its pdf_untag is a structure
 * element ("H2", "P", "Table", "TR", "TH", "TD", "Figure"), in the
 * document's one "Document", so that a screen reader finds the headings,
 * paragraphs, tables and figures in reading order. A page break closes
 * the elements open and opens them again on the next page, the footer
 * between them being in none. Static names; at most 8 deep. */
void pdf_tag(struct pdf *p, const char *name);
void pdf_untag(struct pdf *p);
/* A bookmark to the current page under the bookmark parent
 * (CAIRO_PDF_OUTLINE_ROOT: at the top), shown open or closed: its id, to
 * nest others under it (final pass only; 0 in the first). */
int pdf_outline(struct pdf *p, int parent, const char *name, bool open);
/* The contents, and the index of the units with alerts (pdf_toc.c). */
void pdf_contents(struct pdf *p);
void pdf_index(struct pdf *p);
/* The page of unit i (pdf_unit.c). */
void pdf_unit_page(struct pdf *p, size_t i);

#endif
