/* A unit's page of the PDF report: its title, the table of its figures
 * against the year before, the company and the national reference, a
 * chart per indicator (the span, the same periods a year earlier, the
 * reference), and its alerts and follow-up side by side. */
#include <cairo-pdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/wording.h"
#include "vigie/xalloc.h"
#include "pdf_impl.h"

static void table_rule(struct pdf *p, double y)
{
	pdf_rgb(p->cr, RULE);
	cairo_set_line_width(p->cr, 0.5);
	cairo_move_to(p->cr, LEFT, y);
	cairo_line_to(p->cr, RIGHT, y);
	cairo_stroke(p->cr);
}

/* Ends the table cell open, if any, and opens a new one (a row holds
 * TH and TD elements, pdf_tag). */
static void cell(struct pdf *p, const char *tag)
{
	if (p->ntags && (!strcmp(p->tags[p->ntags - 1], "TH") ||
	    !strcmp(p->tags[p->ntags - 1], "TD")))
		pdf_untag(p);
	pdf_tag(p, tag);
}

static void figures(struct pdf *p, const struct runit *u)
{
	const struct rmodel *m = p->m;
	bool comp = u->level != RL_COMPANY;
	const char *head[5] = { rw(m->loc, W_INDICATOR), rw(m->loc, W_SPAN),
	    rw(m->loc, W_PREV), rw(m->loc, W_COMPANY), rw(m->loc, W_NATIONAL) };
	/* the indicator's title as wide as the figures leave it: one line
	 * each where it can, so that the unit's alerts stay on its page */
	double colr[5] = { 0, comp ? 258 : 290, comp ? 322 : 370, 380, RIGHT };
	double w0 = comp ? 216 : 230;
	char b[96], *note;

	pdf_need(p, 40);
	pdf_tag(p, "Table");
	pdf_shade(p->cr, LEFT, p->y, WIDTH, 16);
	pdf_font(p, 8, true);
	pdf_rgb(p->cr, INK);
	pdf_tag(p, "TR");
	cell(p, "TH");
	pdf_text(p, LEFT + 4, p->y + 11, head[0]);
	for (int c = 1; c < 5; c++)
		if (comp || c != 3) {
			cell(p, "TH");
			pdf_text_right(p, c == 4 ? RIGHT - 4 : LEFT + colr[c], p->y + 11, head[c]);
		}
	pdf_untag(p);
	pdf_untag(p);
	p->y += 16;
	for (size_t d = 0; d < m->defs->n; d++) {
		const struct rdef *r = &m->defs->v[d];
		const struct rfig *g = &u->fig[d];
		char *title = rfrench(rdef_text(r->title, m->loc), m->loc);
		int lines;
		double h;
		struct cell c;

		pdf_font(p, 8.5, false);
		lines = pdf_wrap(p, title, w0, NULL, NULL);
		h = lines * 11 + 6;
		pdf_need(p, h);
		c = (struct cell){ LEFT + 4, p->y + 11, 11 };
		pdf_rgb(p->cr, INK);
		pdf_tag(p, "TR");
		cell(p, "TH");
		pdf_wrap(p, title, w0, pdf_cell_line, &c);
		free(title);
		pdf_font(p, 8.5, true);
		cell(p, "TD");
		pdf_text_right(p, LEFT + colr[1], p->y + 11, rfigure(b, sizeof(b), g->value, r,
		    g->dec, m->loc));
		pdf_font(p, 8.5, false);
		cell(p, "TD");
		pdf_text_right(p, LEFT + colr[2], p->y + 11, rfigure(b, sizeof(b), g->prev, r,
		    g->dec, m->loc));
		if (comp) {
			cell(p, "TD");
			pdf_text_right(p, LEFT + colr[3], p->y + 11,
			    rfigure(b, sizeof(b), g->company, r, g->company_dec, m->loc));
		}
		cell(p, "TD");
		pdf_text_right(p, RIGHT - 4, p->y + 11, rref(b, sizeof(b), r, m->loc));
		pdf_untag(p);
		pdf_untag(p);
		p->y += h;
		table_rule(p, p->y);
	}
	pdf_untag(p);
	p->y += 4;
	if ((note = runit_span_note(m, u))) {
		pdf_para(p, LEFT, WIDTH, 7, false, INK, note);
		free(note);
	}
	pdf_para(p, LEFT, WIDTH, 7, false, GREY, rw(m->loc, W_DASH_NOTE));
	pdf_para(p, LEFT, WIDTH, 7, false, GREY, rw(m->loc, W_REF_NOTE));
}

static double ypos(const struct rscale *sc, double y0, double y1, double v)
{
	return y1 - (y1 - y0) * (v - sc->lo) / (sc->hi - sc->lo);
}

static void curve(struct pdf *p, const double *v, int n, double x0, double x1,
    const struct rscale *sc, double y0, double y1)
{
	for (int i = 0; i < n; i++) {
		double x = n > 1 ? x0 + (x1 - x0) * i / (n - 1) : (x0 + x1) / 2;
		bool prev = i > 0 && isfinite(v[i - 1]), next = i + 1 < n && isfinite(v[i + 1]);

		if (!isfinite(v[i]))
			continue;
		if (!prev && !next) {
			cairo_new_sub_path(p->cr);
			cairo_arc(p->cr, x, ypos(sc, y0, y1, v[i]), 1.3, 0, 2 * M_PI);
			cairo_fill(p->cr);
			continue;
		}
		if (prev)
			cairo_line_to(p->cr, x, ypos(sc, y0, y1, v[i]));
		else
			cairo_move_to(p->cr, x, ypos(sc, y0, y1, v[i]));
		if (!next)
			cairo_stroke(p->cr);
	}
}

#define CHART_H 92.0
#define CHART_GAP 14.0

/* One chart in the box at (x, y) of width w. */
static void chart(struct pdf *p, double x, double y, double w, const struct runit *u,
    size_t d)
{
	const struct rmodel *m = p->m;
	const struct rdef *r = &m->defs->v[d];
	const struct rfig *g = &u->fig[d];
	struct rscale sc;
	struct cell c = { x, y + 8, 8.5 };
	char *title = rfrench(rdef_text(r->title, m->loc), m->loc), b[64];
	double px0 = x + 26, px1 = x + w - 4, py0 = y + 26, py1 = y + CHART_H - 14;
	int dec, nt, ticks[3] = { 0, m->n / 2, m->n - 1 };

	pdf_font(p, 7, true);
	pdf_rgb(p->cr, BLUE);
	pdf_tag(p, "P");
	pdf_wrap(p, title, w, pdf_cell_line, &c);
	pdf_untag(p);
	/* the figures it shows, in words: its text alternative (as the HTML
	 * report's), and the chart values' pages */
	if (p->final) {
		char *t = rchart_text(m, u, d);
		p->alt = xreallocarray(p->alt, p->nalt + 1, sizeof(*p->alt));
		p->alt[p->nalt++] = xasprintf("%s, %s", title, t);
		free(t);
	}
	free(title);
	pdf_tag(p, "Figure");
	rscale_fit(&sc, g->trend, g->trend_prev, m->n, r->has_ref ? r->ref : NAN);
	dec = rscale_decimals(&sc);
	pdf_font(p, 6, false);
	for (int t = 0; t < sc.nticks; t++) {
		double v = sc.lo + sc.step * t, yy = ypos(&sc, py0, py1, v);
		pdf_rgb(p->cr, t ? 0xe3e7ec : PREV);
		cairo_set_line_width(p->cr, 0.5);
		cairo_move_to(p->cr, px0, yy);
		cairo_line_to(p->cr, px1, yy);
		cairo_stroke(p->cr);
		pdf_rgb(p->cr, GREY);
		pdf_text_right(p, px0 - 3, yy + 2, rnum(b, sizeof(b), v, dec, m->loc));
	}
	if (sc.empty || sc.zero) {
		pdf_rgb(p->cr, GREY);
		pdf_text_center(p, (px0 + px1) / 2, (py0 + py1) / 2,
		    rw(m->loc, sc.empty ? W_NO_DATA : W_ALL_ZERO));
	}
	if (!sc.empty) {
		if (r->has_ref) {
			double dash[] = { 1, 2 }, ldash[] = { 5, 2, 1, 2 };
			double yy = ypos(&sc, py0, py1, r->ref);
			pdf_rgb(p->cr, r->ref_legal ? LEGAL : REF);
			cairo_set_line_width(p->cr, 0.9);
			if (r->ref_legal)
				cairo_set_dash(p->cr, ldash, 4, 0);
			else
				cairo_set_dash(p->cr, dash, 2, 0);
			cairo_move_to(p->cr, px0, yy);
			cairo_line_to(p->cr, px1, yy);
			cairo_stroke(p->cr);
		}
		double dash[] = { 3.5, 1.8 };
		pdf_rgb(p->cr, PREV);
		cairo_set_line_width(p->cr, 1);
		cairo_set_dash(p->cr, dash, 2, 0);
		curve(p, g->trend_prev, m->n, px0, px1, &sc, py0, py1);
		cairo_set_dash(p->cr, NULL, 0, 0);
		pdf_rgb(p->cr, LINE);
		cairo_set_line_width(p->cr, 1.5);
		curve(p, g->trend, m->n, px0, px1, &sc, py0, py1);
	}
	cairo_set_dash(p->cr, NULL, 0, 0);
	nt = m->n >= 5 ? 3 : m->n > 1 ? 2 : 1;
	if (nt == 2)
		ticks[1] = m->n - 1;
	pdf_font(p, 6, false);
	pdf_rgb(p->cr, GREY);
	for (int i = 0; i < nt; i++) {
		double xx = m->n > 1 ? px0 + (px1 - px0) * ticks[i] / (m->n - 1) : (px0 + px1) / 2;
		rperiod_axis(b, sizeof(b), m->gran, m->from + ticks[i], m->loc);
		if (nt > 1 && i == 0)
			pdf_text(p, xx, py1 + 10, b);
		else if (nt > 1 && i == nt - 1)
			pdf_text_right(p, xx, py1 + 10, b);
		else
			pdf_text_center(p, xx, py1 + 10, b);
	}
	pdf_untag(p);
}

static void legend_item(struct pdf *p, double *x, unsigned color, double lw,
    const double *dash, int ndash, const char *label)
{
	pdf_rgb(p->cr, color);
	cairo_set_line_width(p->cr, lw);
	cairo_set_dash(p->cr, dash, ndash, 0);
	cairo_move_to(p->cr, *x, p->y - 3);
	cairo_line_to(p->cr, *x + 20, p->y - 3);
	cairo_stroke(p->cr);
	cairo_set_dash(p->cr, NULL, 0, 0);
	pdf_rgb(p->cr, GREY);
	pdf_text(p, *x + 24, p->y, label);
	*x += 24 + pdf_width(p, label) + 14;
}

static void trends(struct pdf *p, const struct runit *u)
{
	const struct rmodel *m = p->m;
	double w = (WIDTH - 2 * CHART_GAP) / 3, x = LEFT;
	double d1[] = { 3.5, 1.8 }, d2[] = { 1, 2 }, d3[] = { 5, 2, 1, 2 };
	char a[80], b[80];

	pdf_need(p, 40 + CHART_H);
	p->y += 8;
	pdf_para_tag(p, "H3", LEFT, WIDTH, 10, true, BLUE, rw(m->loc, W_TRENDS));
	p->y += 12;
	pdf_font(p, 7, false);
	rspan_short(a, sizeof(a), m->gran, m->from, m->to, m->loc);
	rspan_short(b, sizeof(b), m->gran, m->from - m->y, m->to - m->y, m->loc);
	pdf_tag(p, "P");
	legend_item(p, &x, LINE, 1.5, NULL, 0, a);
	if (runit_has_prev(m, u))
		legend_item(p, &x, PREV, 1, d1, 2, b);
	if (rdefs_has_ref(m->defs, false))
		legend_item(p, &x, REF, 0.9, d2, 2, rw(m->loc, W_LEGEND_REF));
	if (rdefs_has_ref(m->defs, true))
		legend_item(p, &x, LEGAL, 0.9, d3, 4, rw(m->loc, W_LEGAL));
	pdf_untag(p);
	p->y += 6;
	for (size_t d = 0; d < m->defs->n; d += 3) {
		pdf_need(p, CHART_H);
		for (size_t k = d; k < d + 3 && k < m->defs->n; k++)
			chart(p, LEFT + (double)(k - d) * (w + CHART_GAP), p->y, w, u, k);
		p->y += CHART_H + 4;
	}
}

/* The alerts and their follow-up side by side, with extra points below
 * them on the same page. Returns their bottom. */
static double bottom_tables(struct pdf *p, const struct runit *u, double extra)
{
	const struct rmodel *m = p->m;
	double half = (WIDTH - 24) / 2, xl = LEFT, xr = LEFT + half + 24, yl, yr, y0;
	size_t w = 0, c = 0, ow = 0, oc = 0, closed = 0;
	char b[32];

	for (size_t t = 0; t < m->nthemes; t++) {
		w += u->alerts[2 * t];
		c += u->alerts[2 * t + 1];
		ow += u->ongoing[2 * t];
		oc += u->ongoing[2 * t + 1];
	}
	size_t nrows = ow || oc;
	for (size_t t = 0; t < m->nthemes; t++)
		nrows += u->alerts[2 * t] || u->alerts[2 * t + 1] || u->ongoing[2 * t] ||
		    u->ongoing[2 * t + 1];
	for (int k = 1; k < OUTCOME_COUNT; k++)
		closed += u->closed[k];
	/* the taller of the two tables: themes, a total and the ongoing, or 6
	 * rows */
	pdf_need(p, 30 + 13.0 * (double)(nrows + 2 > 6 ? nrows + 2 : 6) + extra);
	y0 = p->y + 8;
	/* alerts, left */
	pdf_font(p, 10, true);
	pdf_rgb(p->cr, BLUE);
	pdf_tag(p, "H3");
	pdf_text(p, xl, y0 + 10, rw(m->loc, W_ALERTS));
	pdf_untag(p);
	yl = y0 + 18;
	pdf_font(p, 8, false);
	if (!w && !c && !ow && !oc) {
		pdf_rgb(p->cr, INK);
		pdf_tag(p, "P");
		pdf_text(p, xl, yl + 10, rw(m->loc, W_NO_ALERT));
		pdf_untag(p);
		yl += 14;
	} else {
		pdf_shade(p->cr, xl, yl, half, 14);
		pdf_font(p, 8, true);
		pdf_rgb(p->cr, INK);
		pdf_tag(p, "Table");
		pdf_tag(p, "TR");
		cell(p, "TH");
		pdf_text(p, xl + 4, yl + 10, rw(m->loc, W_THEME));
		cell(p, "TH");
		pdf_text_right(p, xl + half - 60, yl + 10, rw(m->loc, W_WARNING));
		cell(p, "TH");
		pdf_text_right(p, xl + half - 4, yl + 10, rw(m->loc, W_CRITICAL));
		pdf_untag(p);
		pdf_untag(p);
		yl += 14;
		/* the themes and the total, the alerts that fired before the
		 * span and were active in it counted in their theme, then how
		 * many of the total these are */
		for (size_t t = 0; t <= m->nthemes + 1; t++) {
			bool total = t == m->nthemes, ongoing = t > m->nthemes;
			size_t tw = total ? w + ow : ongoing ? ow :
			    u->alerts[2 * t] + u->ongoing[2 * t];
			size_t tc = total ? c + oc : ongoing ? oc :
			    u->alerts[2 * t + 1] + u->ongoing[2 * t + 1];
			if (!total && !tw && !tc)
				continue;
			pdf_font(p, 8, total);
			pdf_tag(p, "TR");
			cell(p, "TH");
			pdf_text(p, xl + 4 + (ongoing ? 10 : 0), yl + 10, total ?
			    rw(m->loc, W_TOTAL) : ongoing ? rw(m->loc, W_ONGOING) :
			    rtheme_title(m->themes[t], m->loc));
			snprintf(b, sizeof(b), "%zu", tw);
			cell(p, "TD");
			pdf_text_right(p, xl + half - 60, yl + 10, b);
			snprintf(b, sizeof(b), "%zu", tc);
			cell(p, "TD");
			pdf_text_right(p, xl + half - 4, yl + 10, b);
			pdf_untag(p);
			pdf_untag(p);
			yl += 13;
			pdf_rgb(p->cr, RULE);
			cairo_set_line_width(p->cr, 0.5);
			cairo_move_to(p->cr, xl, yl);
			cairo_line_to(p->cr, xl + half, yl);
			cairo_stroke(p->cr);
			pdf_rgb(p->cr, INK);
		}
		pdf_untag(p);
	}
	/* follow-up, right */
	pdf_font(p, 10, true);
	pdf_rgb(p->cr, BLUE);
	pdf_tag(p, "H3");
	pdf_text(p, xr, y0 + 10, rw(m->loc, W_FOLLOWUP));
	pdf_untag(p);
	yr = y0 + 18;
	pdf_tag(p, "Table");
	const struct { const char *w; size_t n; double indent; } rows[] = {
		{ rw(m->loc, W_NOTIFIED), u->notified, 0 },	/* the base */
		{ rw(m->loc, W_NOTIFIED_BEFORE), u->notified_before, 0 },
		{ rw(m->loc, W_TAKEN), u->taken, 0 }, { rw(m->loc, W_CLOSED), closed, 0 },
		{ wording_outcome(OUTCOME_ACTION_TAKEN, m->loc),
		    u->closed[OUTCOME_ACTION_TAKEN], 10 },
		{ wording_outcome(OUTCOME_FALSE_ALARM, m->loc),
		    u->closed[OUTCOME_FALSE_ALARM], 10 },
		{ wording_outcome(OUTCOME_NO_ACTION_NEEDED, m->loc),
		    u->closed[OUTCOME_NO_ACTION_NEEDED], 10 },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (i == 1 && !u->notified_before)
			continue;	/* no ongoing alert notified before */
		pdf_font(p, 8, false);
		pdf_rgb(p->cr, INK);
		pdf_tag(p, "TR");
		cell(p, "TH");
		pdf_text(p, xr + 4 + rows[i].indent, yr + 10, rows[i].w);
		snprintf(b, sizeof(b), "%zu", rows[i].n);
		cell(p, "TD");
		pdf_text_right(p, xr + half - 4, yr + 10, b);
		pdf_untag(p);
		pdf_untag(p);
		yr += 13;
		pdf_rgb(p->cr, RULE);
		cairo_set_line_width(p->cr, 0.5);
		cairo_move_to(p->cr, xr, yr);
		cairo_line_to(p->cr, xr + half, yr);
		cairo_stroke(p->cr);
	}
	pdf_untag(p);
	return yl > yr ? yl : yr;
}


void pdf_unit_page(struct pdf *p, size_t i)
{
	const struct rmodel *m = p->m;
	const struct runit *u = &m->units[i];
	char title[400], span[160], cont[420];
	double x;

	pdf_new_page(p);
	p->unit_page[i] = p->page;
	/* the bookmark nested as the contents, named alike; open down to the
	 * sites, so that a site's units show and a group's do not flood */
	snprintf(title, sizeof(title), "%s %s", rlevel_name(u->level, m->loc),
	    runit_short(u));
	p->outline[i] = pdf_outline(p, u->up == RUNIT_TOP ? CAIRO_PDF_OUTLINE_ROOT :
	    p->outline[u->up], title, u->depth < 2);
	p->y += 16;
	pdf_tag(p, "H2");
	pdf_font(p, 11, false);
	pdf_rgb(p->cr, GREY);
	x = LEFT + pdf_width(p, rlevel_name(u->level, m->loc)) + 6;
	/* with its space, unseen: the heading's text is « Site valdis/metz » */
	snprintf(title, sizeof(title), "%s ", rlevel_name(u->level, m->loc));
	pdf_text(p, LEFT, p->y, title);
	pdf_font(p, 16, true);
	pdf_rgb(p->cr, BLUE);
	pdf_text(p, x, p->y, u->path);
	pdf_untag(p);
	p->y += 4;
	rspan(span, sizeof(span), m->gran, m->from, m->to, m->loc);
	pdf_para(p, LEFT, WIDTH, 9, false, GREY, rcap(span));
	p->y += 8;
	/* a page the unit's goes on to names it: a printed page of charts
	 * or alerts must say whose they are */
	snprintf(cont, sizeof(cont), "%s %s %s", rlevel_name(u->level, m->loc), u->path,
	    rw(m->loc, W_CONTINUED));
	p->cont = cont;
	figures(p, u);
	trends(p, u);
	char *h = runit_history_note(m, u);
	if (h) {	/* why the curves start late, under them */
		pdf_para(p, LEFT, WIDTH, 7, false, INK, h);
		free(h);
	}
	if (m->alerts_read) {
		char *t = rno_history(m, u);

		p->y = bottom_tables(p, u, t ? 32 : 0);
		/* under both boxes, the rules that could not be computed */
		if (t) {
			p->y += 6;
			pdf_para(p, LEFT, WIDTH, 8, false, INK, t);
			free(t);
		}
	}
	p->cont = NULL;
}
