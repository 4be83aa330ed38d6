/* The report as one self-contained HTML file: inline CSS, inline SVG
 * charts, no script and no external resource of any kind (a works council
 * member may open it offline, and nothing leaks to a third party when it
 * is opened), laid out to print on A4 (@page, one unit per page). Every
 * text from the definitions is escaped; unit paths are plain by their
 * syntax but escaped all the same. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/wording.h"
#include "report_impl.h"
#include "vigie/progress.h"

#ifndef VIGIE_VERSION
#define VIGIE_VERSION "0.1.0"
#endif

static void esc(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

void rhtml_esc(FILE *f, const char *s)
{
	esc(f, s);
}

/* A text made by rtext(), escaped and freed. */
static void put_text(FILE *f, char *s)
{
	esc(f, s);
	free(s);
}

/* A text of the definitions, with French typography. */
static void esc_fr(FILE *f, const char *s, enum locale loc)
{
	char *t = rfrench(s, loc);

	esc(f, t);
	free(t);
}

static const char css[] =
"@page{size:A4;margin:16mm 15mm 18mm}\n"
"*{box-sizing:border-box}\n"
"body{font-family:\"DejaVu Sans\",\"Segoe UI\",Arial,sans-serif;color:#1b2733;"
"font-size:10pt;line-height:1.4;max-width:180mm;margin:0 auto;padding:0 4mm}\n"
"h1,h2,h3{color:#1f3a5f;line-height:1.2}\n"
"h1{font-size:22pt;margin:30mm 0 4mm}\n"
"h2{font-size:15pt;margin:0 0 1mm}\n"
"h3{font-size:11pt;margin:6mm 0 2mm}\n"
".sub{font-size:14pt;color:#33475b;margin:0 0 10mm}\n"
".span{color:#4a5563;margin:0 0 4mm}\n"
".level{font-weight:normal;color:#4a5563}\n"
".box{border:1px solid #c9d2dc;background:#f5f7fa;padding:3mm 4mm;margin:10mm 0}\n"
".small{font-size:8.5pt;color:#4a5563}\n"
"section{break-before:page;page-break-before:always;padding-top:2mm}\n"
"table{border-collapse:collapse;width:100%;font-size:9pt;break-inside:avoid}\n"
"th,td{padding:1.2mm 2mm;border-bottom:1px solid #dde3ea;vertical-align:top}\n"
"th{background:#eef1f5;text-align:left;font-weight:bold}\n"
"tbody th{background:none;font-weight:normal}\n"
"tr.total th,tr.total td{background:#eef1f5;font-weight:bold}\n"
".num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}\n"
".charts{display:grid;grid-template-columns:repeat(3,1fr);gap:3mm 4mm}\n"
"figure{margin:0;break-inside:avoid}\n"
"figcaption{font-size:8pt;font-weight:bold;color:#1f3a5f;min-height:2.4em}\n"
"svg{width:100%;height:auto;display:block}\n"
"svg text{font-family:inherit;font-size:8px;fill:#4a5563}\n"
".legend{font-size:8.5pt;color:#4a5563;margin:0 0 2mm}\n"
".legend svg{display:inline;width:26px;height:8px;vertical-align:middle;margin:0 1mm 0 3mm}\n"
".bottom{display:grid;grid-template-columns:1fr 1fr;gap:6mm;margin-top:4mm}\n"
"ol.toc,ol.toc ol{list-style:none;padding:0}\n"
"ol.toc ol{padding-left:5mm}\n"
"ol.toc li{margin:0.5mm 0}\n"
"ol.toc a{color:#1b2733;text-decoration:none}\n"
"dt{font-weight:bold;margin-top:3mm}\n"
"dd{margin:0 0 0 5mm}\n"
"code{font-family:\"DejaVu Sans Mono\",monospace;font-size:8.5pt;background:#f5f7fa}\n"
"@media screen{body{margin:8mm auto}section{border-top:2px solid #c9d2dc;margin-top:10mm}}\n"
/* A phone (WCAG 1.4.10, 320 px): one or two charts a row, the alerts under each
 * other, figures that wrap; the table of figures scrolls by itself if it
 * still does not fit, never the page. */
".wide{overflow-x:auto}\n"
"@media screen and (max-width:40em){body{padding:0 2mm}"
".charts{grid-template-columns:1fr 1fr}.bottom{grid-template-columns:1fr}"
".num{white-space:normal}table{font-size:8pt}th,td{padding:1mm 0.8mm}}\n"
"@media screen and (max-width:30em){.charts{grid-template-columns:1fr}}\n";

static void cover(const struct rmodel *m, FILE *f)
{
	char span[160], date[64], num[32];
	size_t ncomp = 0;

	rspan(span, sizeof(span), m->gran, m->from, m->to, m->loc);
	rdate(date, sizeof(date), m->now, m->loc);
	fprintf(f, "<header>\n<h1>%s</h1>\n<p class=\"sub\">%s</p>\n", rw(m->loc, W_TITLE),
	    rw(m->loc, W_SUBTITLE));
	fputs("<p class=\"sub\">", f);
	esc(f, rcap(span));
	fputs("</p>\n<p>", f);
	for (size_t i = 0; i < m->nunits; i++)
		if (rmodel_top(m, i)) {
			fputs(ncomp++ ? ", " : "", f);
			fputs("<strong>", f);
			esc(f, m->units[i].path);
			fputs("</strong>", f);
		}
	fputs("</p>\n<div class=\"box\">", f);
	snprintf(num, sizeof(num), "%d", m->floor);
	put_text(f, rtext(m->loc, W_PRIVACY, num, NULL, NULL));
	fputs("</div>\n<p class=\"small\">", f);
	put_text(f, rtext(m->loc, W_GENERATED, date, VIGIE_VERSION, NULL));
	fputs("</p>\n</header>\n", f);
}

static void figures(const struct rmodel *m, const struct runit *u, FILE *f)
{
	bool comp = u->level != RL_COMPANY;
	char b[96], *note;

	/* headers with their scope, each row headed by its indicator: a
	 * screen reader says which figure it reads (WCAG 1.3.1) */
	fprintf(f, "<div class=\"wide\"><table>\n<thead><tr><th scope=\"col\">%s</th>"
	    "<th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th>",
	    rw(m->loc, W_INDICATOR), rw(m->loc, W_SPAN), rw(m->loc, W_PREV));
	if (comp)
		fprintf(f, "<th scope=\"col\" class=\"num\">%s</th>", rw(m->loc, W_COMPANY));
	fprintf(f, "<th scope=\"col\" class=\"num\">%s</th></tr></thead>\n<tbody>\n",
	    rw(m->loc, W_NATIONAL));
	for (size_t d = 0; d < m->defs->n; d++) {
		const struct rdef *r = &m->defs->v[d];
		const struct rfig *g = &u->fig[d];

		fputs("<tr><th scope=\"row\">", f);
		esc_fr(f, rdef_text(r->title, m->loc), m->loc);
		fprintf(f, "</th><td class=\"num\"><strong>%s</strong></td>",
		    rfigure(b, sizeof(b), g->value, r, g->dec, m->loc));
		fprintf(f, "<td class=\"num\">%s</td>",
		    rfigure(b, sizeof(b), g->prev, r, g->dec, m->loc));
		if (comp)
			fprintf(f, "<td class=\"num\">%s</td>",
			    rfigure(b, sizeof(b), g->company, r, g->company_dec,
			    m->loc));
		fputs("<td class=\"num\">", f);
		esc(f, rref(b, sizeof(b), r, m->loc));
		fputs("</td></tr>\n", f);
	}
	fputs("</tbody>\n</table></div>\n<p class=\"small\">", f);
	if ((note = runit_span_note(m, u))) {
		put_text(f, note);
		fputs("<br>", f);
	}
	fprintf(f, "%s<br>%s</p>\n", rw(m->loc, W_DASH_NOTE), rw(m->loc, W_REF_NOTE));
}

/* Polylines through the defined points; an isolated point is a dot. */
static void series_svg(FILE *f, const double *v, int n, double x0, double x1,
    double (*y)(const struct rscale *, double), const struct rscale *sc,
    const char *style)
{
	int i = 0;

	while (i < n) {
		int j = i;

		if (!isfinite(v[i])) {
			i++;
			continue;
		}
		while (j + 1 < n && isfinite(v[j + 1]))
			j++;
		if (j == i) {
			double x = n > 1 ? x0 + (x1 - x0) * i / (n - 1) : (x0 + x1) / 2;
			fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"1.6\" %s/>", x, y(sc, v[i]),
			    style);
		} else {
			fputs("<polyline fill=\"none\" points=\"", f);
			for (int k = i; k <= j; k++)
				fprintf(f, "%s%.1f,%.1f", k > i ? " " : "",
				    x0 + (x1 - x0) * k / (n - 1), y(sc, v[k]));
			fprintf(f, "\" %s/>", style);
		}
		i = j + 1;
	}
}

#define PX0 34.0
#define PX1 232.0
#define PY0 8.0
#define PY1 102.0

/* The reference lines: a national figure, dotted red; a threshold set
 * by law, dash-dot ochre, so that no chart passes one for the other. */
#define REF_STYLE "stroke=\"#c0392b\" stroke-width=\"1\" stroke-dasharray=\"1 2\""
#define LEGAL_STYLE "stroke=\"#8a5a00\" stroke-width=\"1\" stroke-dasharray=\"5 2 1 2\""

static double ypos(const struct rscale *sc, double v)
{
	return PY1 - (PY1 - PY0) * (v - sc->lo) / (sc->hi - sc->lo);
}

static void chart(const struct rmodel *m, const struct runit *u, size_t d, FILE *f)
{
	const struct rdef *r = &m->defs->v[d];
	const struct rfig *g = &u->fig[d];
	struct rscale sc;
	char b[64];
	int dec;

	rscale_fit(&sc, g->trend, g->trend_prev, m->n, r->has_ref ? r->ref : NAN);
	dec = rscale_decimals(&sc);
	fputs("<figure><figcaption>", f);
	esc_fr(f, rdef_text(r->title, m->loc), m->loc);
	if (r->unit) {
		fputs(" (", f);
		esc(f, r->unit);
		fputs(")", f);
	}
	/* the text alternative says the figures the curves show (WCAG 1.1.1),
	 * the caption being the chart's name */
	fputs("</figcaption>\n<svg viewBox=\"0 0 240 120\" role=\"img\" aria-label=\"", f);
	esc_fr(f, rdef_text(r->title, m->loc), m->loc);
	fputs(", ", f);
	put_text(f, rchart_text(m, u, d));
	fputs("\">", f);
	for (int t = 0; t < sc.nticks; t++) {
		double v = sc.lo + sc.step * t, yy = ypos(&sc, v);
		fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
		    "stroke-width=\"0.6\"/>", PX0, PX1, yy, yy, t ? "#e3e7ec" : "#7b8794");
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>", PX0 - 3,
		    yy + 3, rnum(b, sizeof(b), v, dec, m->loc));
	}
	if (sc.empty || sc.zero)
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>",
		    (PX0 + PX1) / 2, (PY0 + PY1) / 2, rw(m->loc, sc.empty ? W_NO_DATA :
		    W_ALL_ZERO));
	if (!sc.empty) {
		if (r->has_ref)
			fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" %s/>",
			    PX0, PX1, ypos(&sc, r->ref), ypos(&sc, r->ref),
			    r->ref_legal ? LEGAL_STYLE : REF_STYLE);
		series_svg(f, g->trend_prev, m->n, PX0, PX1, ypos, &sc,
		    "stroke=\"#7b8794\" stroke-width=\"1.2\" stroke-dasharray=\"4 2\" fill=\"#7b8794\"");
		series_svg(f, g->trend, m->n, PX0, PX1, ypos, &sc,
		    "stroke=\"#1f5f99\" stroke-width=\"1.8\" fill=\"#1f5f99\"");
	}
	/* first, middle and last periods */
	int ticks[3] = { 0, m->n / 2, m->n - 1 }, nt = m->n >= 5 ? 3 : m->n > 1 ? 2 : 1;
	if (nt == 2)
		ticks[1] = m->n - 1;
	for (int i = 0; i < nt; i++) {
		int k = ticks[i];
		double x = m->n > 1 ? PX0 + (PX1 - PX0) * k / (m->n - 1) : (PX0 + PX1) / 2;
		const char *anchor = nt > 1 && i == 0 ? "start" : i == nt - 1 && nt > 1 ? "end" :
		    "middle";
		fprintf(f, "<text x=\"%.1f\" y=\"115\" text-anchor=\"%s\">%s</text>", x, anchor,
		    rperiod_axis(b, sizeof(b), m->gran, m->from + k, m->loc));
	}
	fputs("</svg></figure>\n", f);
}

static void legend(const struct rmodel *m, const struct runit *u, FILE *f)
{
	char a[160], b[160];

	rspan_short(a, sizeof(a), m->gran, m->from, m->to, m->loc);
	rspan_short(b, sizeof(b), m->gran, m->from - m->y, m->to - m->y, m->loc);
	fputs("<p class=\"legend\"><svg viewBox=\"0 0 26 8\" aria-hidden=\"true\">"
	    "<line x1=\"0\" x2=\"26\" y1=\"4\" y2=\"4\" stroke=\"#1f5f99\" stroke-width=\"2\"/>"
	    "</svg>", f);
	esc(f, a);
	if (runit_has_prev(m, u)) {
		fputs("<svg viewBox=\"0 0 26 8\" aria-hidden=\"true\"><line x1=\"0\" x2=\"26\" "
		    "y1=\"4\" y2=\"4\" stroke=\"#7b8794\" stroke-width=\"1.5\" "
		    "stroke-dasharray=\"4 2\"/></svg>", f);
		esc(f, b);
	}
	if (rdefs_has_ref(m->defs, false))
		fprintf(f, "<svg viewBox=\"0 0 26 8\" aria-hidden=\"true\"><line x1=\"0\" "
		    "x2=\"26\" y1=\"4\" y2=\"4\" %s/></svg>%s", REF_STYLE,
		    rw(m->loc, W_LEGEND_REF));
	if (rdefs_has_ref(m->defs, true))
		fprintf(f, "<svg viewBox=\"0 0 26 8\" aria-hidden=\"true\"><line x1=\"0\" "
		    "x2=\"26\" y1=\"4\" y2=\"4\" %s/></svg>%s", LEGAL_STYLE, rw(m->loc, W_LEGAL));
	fputs("</p>\n", f);
}

/* Under the alerts, and closing their box: the rules that could not be
 * computed for want of history, if any. */
static void no_history(const struct rmodel *m, const struct runit *u, FILE *f)
{
	char *t = rno_history(m, u);

	if (t) {
		fputs("<p class=\"small\">", f);
		put_text(f, t);
		fputs("</p>", f);
	}
	fputs("</div>\n", f);
}

static void alerts(const struct rmodel *m, const struct runit *u, FILE *f)
{
	size_t w = 0, c = 0, ow = 0, oc = 0;

	fprintf(f, "<div><h3>%s</h3>\n", rw(m->loc, W_ALERTS));
	for (size_t t = 0; t < m->nthemes; t++) {
		w += u->alerts[2 * t];
		c += u->alerts[2 * t + 1];
		ow += u->ongoing[2 * t];
		oc += u->ongoing[2 * t + 1];
	}
	if (!w && !c && !ow && !oc) {
		fprintf(f, "<p>%s</p>\n", rw(m->loc, W_NO_ALERT));
		no_history(m, u, f);
		return;
	}
	fprintf(f, "<table>\n<thead><tr><th scope=\"col\">%s</th><th scope=\"col\" "
	    "class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th></tr></thead>\n"
	    "<tbody>\n", rw(m->loc, W_THEME),
	    rw(m->loc, W_WARNING), rw(m->loc, W_CRITICAL));
	/* those that fired before the span and were active in it count in
	 * their theme; the last line says how many of the total they are */
	for (size_t t = 0; t < m->nthemes; t++) {
		size_t tw = u->alerts[2 * t] + u->ongoing[2 * t],
		    tc = u->alerts[2 * t + 1] + u->ongoing[2 * t + 1];
		if (!tw && !tc)
			continue;
		fputs("<tr><th scope=\"row\">", f);
		esc(f, rtheme_title(m->themes[t], m->loc));
		fprintf(f, "</th><td class=\"num\">%zu</td><td class=\"num\">%zu</td></tr>\n",
		    tw, tc);
	}
	fprintf(f, "<tr class=\"total\"><th scope=\"row\">%s</th><td class=\"num\">%zu</td>"
	    "<td class=\"num\">%zu</td></tr>\n", rw(m->loc, W_TOTAL), w + ow, c + oc);
	if (ow || oc)
		fprintf(f, "<tr><th scope=\"row\">&nbsp;&nbsp;%s</th><td class=\"num\">%zu</td>"
		    "<td class=\"num\">%zu</td></tr>\n", rw(m->loc, W_ONGOING), ow, oc);
	fputs("</tbody>\n</table>\n", f);
	no_history(m, u, f);
}

static void followup(const struct rmodel *m, const struct runit *u, FILE *f)
{
	size_t closed = 0;

	for (int k = 1; k < OUTCOME_COUNT; k++)
		closed += u->closed[k];
	fprintf(f, "<div><h3>%s</h3>\n<table><tbody>\n", rw(m->loc, W_FOLLOWUP));
	/* its base first: what the counts below are counted among */
	fprintf(f, "<tr><th scope=\"row\">%s</th><td class=\"num\">%zu</td></tr>\n",
	    rw(m->loc, W_NOTIFIED), u->notified);
	if (u->notified_before)
		fprintf(f, "<tr><th scope=\"row\">%s</th><td class=\"num\">%zu</td></tr>\n",
		    rw(m->loc, W_NOTIFIED_BEFORE), u->notified_before);
	fprintf(f, "<tr><th scope=\"row\">%s</th><td class=\"num\">%zu</td></tr>\n",
	    rw(m->loc, W_TAKEN), u->taken);
	fprintf(f, "<tr><th scope=\"row\">%s</th><td class=\"num\">%zu</td></tr>\n",
	    rw(m->loc, W_CLOSED), closed);
	fprintf(f, "<tr><th scope=\"row\">&nbsp;&nbsp;%s</th><td class=\"num\">%zu</td></tr>\n",
	    wording_outcome(OUTCOME_ACTION_TAKEN, m->loc), u->closed[OUTCOME_ACTION_TAKEN]);
	fprintf(f, "<tr><th scope=\"row\">&nbsp;&nbsp;%s</th><td class=\"num\">%zu</td></tr>\n",
	    wording_outcome(OUTCOME_FALSE_ALARM, m->loc), u->closed[OUTCOME_FALSE_ALARM]);
	fprintf(f, "<tr><th scope=\"row\">&nbsp;&nbsp;%s</th><td class=\"num\">%zu</td></tr>\n",
	    wording_outcome(OUTCOME_NO_ACTION_NEEDED, m->loc), u->closed[OUTCOME_NO_ACTION_NEEDED]);
	fputs("</tbody></table></div>\n", f);
}

static void unit_section(const struct rmodel *m, size_t i, FILE *f)
{
	const struct runit *u = &m->units[i];
	char span[160];

	rspan(span, sizeof(span), m->gran, m->from, m->to, m->loc);
	fprintf(f, "<section id=\"u%zu\">\n<h2><span class=\"level\">%s</span> ", i,
	    rlevel_name(u->level, m->loc));
	esc(f, u->path);
	fputs("</h2>\n<p class=\"span\">", f);
	esc(f, rcap(span));
	fputs("</p>\n", f);
	figures(m, u, f);
	fprintf(f, "<h3>%s</h3>\n", rw(m->loc, W_TRENDS));
	legend(m, u, f);
	fputs("<div class=\"charts\">\n", f);
	for (size_t d = 0; d < m->defs->n; d++)
		chart(m, u, d, f);
	fputs("</div>\n", f);
	char *h = runit_history_note(m, u);
	if (h) {	/* why the curves start late, under them */
		fputs("<p class=\"small\">", f);
		put_text(f, h);
		fputs("</p>\n", f);
	}
	if (m->alerts_read) {
		fputs("<div class=\"bottom\">\n", f);
		alerts(m, u, f);
		followup(m, u, f);
		fputs("</div>\n", f);
	}
	fputs("</section>\n", f);
}

/* The words of the alert boxes: the severities, the themes and the rules
 * each groups, the follow-up and its outcomes. */
static void glossary(const struct rmodel *m, FILE *f)
{
	fprintf(f, "<h3>%s</h3>\n<p>%s</p>\n<p>%s</p>\n<ul>\n", rw(m->loc,
	    W_GLOSSARY_TITLE), rw(m->loc, W_GLOSSARY_SEVERITY), rw(m->loc,
	    W_GLOSSARY_THEMES));
	for (size_t t = 0; t < m->nthemes; t++)
		if (m->theme_rules && m->theme_rules[t]) {
			fputs("<li>", f);
			esc(f, rtheme_title(m->themes[t], m->loc));
			fputs(m->loc == LOC_EN ? ": " : NNBSP ": ", f);
			esc_fr(f, m->theme_rules[t], m->loc);
			fputs(".</li>\n", f);
		}
	fprintf(f, "</ul>\n<p>%s</p>\n", rw(m->loc, W_GLOSSARY_FOLLOWUP));
}

static void method(const struct rmodel *m, FILE *f)
{
	char b[96], d0[64], d1[64], num[32], *window;

	char *note = rformula_note(m);

	fprintf(f, "<section id=\"method\">\n<h2>%s</h2>\n<h3>%s</h3>\n<p>",
	    rw(m->loc, W_METHOD), rw(m->loc, W_DEFS_TITLE));
	put_text(f, note);	/* frees it */
	if (m->renamed) {
		snprintf(num, sizeof(num), "%zu", m->renamed);
		fputs("</p>\n<p>", f);
		put_text(f, rtext(m->loc, W_RENAMED, num, NULL, NULL));
	}
	fputs("</p>\n<dl>\n", f);
	for (size_t d = 0; d < m->defs->n; d++) {
		const struct rdef *r = &m->defs->v[d];

		fputs("<dt>", f);
		esc_fr(f, rdef_text(r->title, m->loc), m->loc);
		fputs("</dt>\n<dd>", f);
		esc_fr(f, rdef_text(r->meaning, m->loc), m->loc);
		fprintf(f, "<br><span class=\"small\">%s%s: <code>", rw(m->loc, W_FORMULA),
		    m->loc == LOC_EN ? "" : NNBSP);
		esc(f, r->value);
		fputs("</code></span></dd>\n", f);
	}
	fprintf(f, "</dl>\n<h3>%s</h3>\n<p>", rw(m->loc, W_FLOOR_TITLE));
	snprintf(num, sizeof(num), "%d", m->floor);
	put_text(f, rtext(m->loc, W_FLOOR_TEXT, num, NULL, NULL));
	fputs(" ", f);
	snprintf(num, sizeof(num), "%zu", m->hidden - m->nmissing);
	put_text(f, rtext(m->loc, W_HIDDEN_COUNT, num, NULL, NULL));
	if ((window = rmissing_text(m))) {
		fputs("</p>\n<p>", f);
		put_text(f, window);
	}
	fprintf(f, "</p>\n<h3>%s</h3>\n<p>", rw(m->loc, W_ROUNDING_TITLE));
	snprintf(num, sizeof(num), "%d", SMALL_UNIT);
	put_text(f, rtext(m->loc, W_ROUNDING_TEXT, num, NULL, NULL));
	fprintf(f, "</p>\n<h3>%s</h3>\n<p>%s</p>\n<ul>\n", rw(m->loc, W_REFS_TITLE),
	    rw(m->loc, W_REFS_TEXT));
	for (size_t d = 0; d < m->defs->n; d++) {
		const struct rdef *r = &m->defs->v[d];

		if (!r->has_ref)
			continue;
		fputs("<li>", f);
		esc_fr(f, rdef_text(r->title, m->loc), m->loc);
		fprintf(f, "%s: %s", m->loc == LOC_EN ? "" : NNBSP,
		    rvalue(b, sizeof(b), r->ref, r, m->loc));
		if (r->ref_year)
			fprintf(f, " (%d)", r->ref_year);
		if (r->ref_legal)
			fprintf(f, ", %s%s", rw(m->loc, W_LEGAL_NOTE), m->loc == LOC_EN ? ";" :
			    NNBSP ";");
		fputs(r->ref_legal ? " " : ", ", f);
		esc_fr(f, rdef_text(r->source, m->loc), m->loc);
		fputs(".</li>\n", f);
	}
	fputs("</ul>\n", f);
	if (m->alerts_read) {
		rdate(d0, sizeof(d0), m->t0, m->loc);
		rdate(d1, sizeof(d1), m->t1 - 1, m->loc);
		window = rtext(m->loc, W_FOLLOWUP_NOTE, d0, d1, NULL);
		fprintf(f, "<h3>%s</h3>\n<p>", rw(m->loc, W_ALERTS_TITLE));
		put_text(f, rtext(m->loc, W_ALERTS_TEXT, window, NULL, NULL));
		free(window);
		fputs("</p>\n", f);
		glossary(m, f);
	}
	fputs("</section>\n", f);
}

int rhtml_write(const struct rmodel *m, FILE *f)
{
	char span[160];

	rspan(span, sizeof(span), m->gran, m->from, m->to, m->loc);
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	    "<title>%s, ", m->loc == LOC_EN ? "en" : "fr", rw(m->loc, W_TITLE));
	for (size_t i = 0; i < m->nunits; i++)
		if (rmodel_top(m, i)) {
			esc(f, m->units[i].path);
			fputs(", ", f);
		}
	esc(f, span);
	fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", css);
	cover(m, f);
	/* the landmark a screen reader jumps to, after the cover's <header> */
	fputs("<main>\n", f);
	rhtml_toc(m, f);
	rhtml_index(m, f);
	for (size_t i = 0; i < m->nunits; i++) {
		unit_section(m, i, f);
		progress_yield();	/* the watchdog and the inbox */
	}
	method(m, f);
	fputs("</main>\n</body>\n</html>\n", f);
	return ferror(f) ? -1 : 0;
}
