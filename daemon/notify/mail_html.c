/* The HTML part of a digest (include/vigie/mail.h): the same blocks and
 * phrases as the text part (mail_impl.h), and for each signal a chart of
 * its last periods that mail clients render without scripts or images: a
 * table whose rows are the periods and whose cells are runs of pixels.
 * Charts tell the truth: the axis starts where the data does (zero in
 * it), negative values go left of a drawn zero line, the threshold is a
 * red line where it is on the same scale as the bars (the rule's value),
 * the expected value a blue mark on each row where the rule states one,
 * the axis is labelled with its ends and what it measures, and a period
 * without a value says why (mail_gap_word: no data, hidden, or not
 * computed). With web.url, each
 * signal links to its console page, where it is taken in charge, instead
 * of the command that acknowledges it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mail_impl.h"
#include "vigie/config.h"
#include "vigie/mail.h"
#include "vigie/mime.h"
#include "vigie/typo.h"
#include "vigie/xalloc.h"

#define NNBSP TYPO_NNBSP
#define CHART_W 150	/* pixels of the bar area: a signal's chart fits a 320 px
			 * phone (WCAG 1.4.10), its figures wrapping under */
#define BAR_H 12

static void put_html(FILE *f, const char *s)
{
	for (const char *p = s ? s : ""; *p; p++) {
		switch (*p) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		case '\n': fputs("<br>", f); break;
		default: fputc(*p, f);
		}
	}
}

/* A phrase (freed here) escaped. */
static void put_phrase(FILE *f, char *s)
{
	put_html(f, s);
	free(s);
}

/* Severity colours, also of text: 4.5:1 at least on white (WCAG 1.4.3),
 * red 6.5, amber 5.0, green 5.1; and the bars 3:1 at least on the
 * chart's #f1f1f1 (1.4.11). */
static const char *rank_color(int rank)
{
	return rank == 2 ? "#b3261e" : rank == 1 ? "#a35f00" : "#2e7d32";
}

static void html_row_open(FILE *f, const char *label)
{
	fprintf(f, "<tr><th style=\"text-align:left;padding:2px 12px 2px 0;"
	    "font-weight:normal;color:#555;vertical-align:top\">%s</th><td>", label);
}

static void html_row(FILE *f, const char *label, char *text)
{
	if (!text)
		return;
	html_row_open(f, label);
	put_phrase(f, text);
	fputs("</td></tr>\n", f);
}

/* The link to an alert's console page (web.url, an alert with a rule and
 * a unit). */
static void html_link(FILE *f, const struct notice *x, enum locale loc, const char *web)
{
	char *url = config_alert_url(web, x->rule, x->unit);

	fputs("<a href=\"", f);
	put_html(f, url);
	fprintf(f, "\">%s</a>", mail_link_label(loc));
	free(url);
}

/* ---- Charts ----------------------------------------------------------- */

enum px { PX_BG, PX_BAR, PX_NEG, PX_ZERO, PX_THRESHOLD, PX_EXPECTED, PX_EDGE };

struct scale {
	double lo, hi;
};

static int to_px(const struct scale *sc, double x)
{
	int p = (int)lround((x - sc->lo) / (sc->hi - sc->lo) * (CHART_W - 1));

	return p < 0 ? 0 : p >= CHART_W ? CHART_W - 1 : p;
}

static const char *px_color(enum px k, const char *bar)
{
	switch (k) {
	case PX_BAR: return bar;
	case PX_NEG: return "#6a8caf";
	case PX_ZERO: return "#222";
	case PX_THRESHOLD: return "#d32f2f";
	case PX_EXPECTED: return "#1565c0";
	case PX_EDGE: return "#fff";
	default: return "#f1f1f1";
	}
}

/* A mark over pixels from..to: where it meets a bar, a white edge on each
 * side sets it apart (the threshold's red on a red bar, the expected blue
 * on any bar: below 3:1, and gone in grey print; WCAG 1.4.11). */
static void put_mark(enum px *row, int from, int to, enum px mark)
{
	for (int k = from - 1; k <= to + 1; k += to - from + 2)
		if (k >= 0 && k < CHART_W && (row[k] == PX_BAR || row[k] == PX_NEG))
			row[k] = PX_EDGE;
	for (int k = from; k <= to; k++)
		row[k] = mark;
}

/* One row of pixels as runs of table cells. */
static void put_runs(FILE *f, const enum px *row, const char *bar)
{
	fputs("<td style=\"padding:0\"><table role=\"presentation\" cellpadding=\"0\" "
	    "cellspacing=\"0\" style=\"border-collapse:collapse\"><tr>", f);
	for (int i = 0; i < CHART_W;) {
		int j = i;

		while (j < CHART_W && row[j] == row[i])
			j++;
		fprintf(f, "<td width=\"%d\" style=\"width:%dpx;height:%dpx;padding:0;"
		    "background:%s\"></td>", j - i, j - i, BAR_H, px_color(row[i], bar));
		i = j;
	}
	fputs("</tr></table></td>", f);
}

static void chart(FILE *f, const struct notice *x, enum locale loc, const char *bar)
{
	/* Bars: the observed measure, or the rule's value (a rule without
	 * observed); the threshold is drawn on the rule's value only. */
	bool obs = mail_plots_observed(x), thr = !x->has_observed && x->has_threshold;
	struct scale sc = { 0, 0 };
	enum px row[CHART_W];
	char lb[TYPO_BUFSZ], hb[TYPO_BUFSZ], vb[TYPO_BUFSZ], eb[TYPO_BUFSZ];
	int dec = obs ? 1 : x->decimals;
	bool any = false;

	for (size_t i = 0; i < x->nhistory; i++) {
		const struct notice_point *p = &x->history[i];
		double v = obs ? p->observed : p->value;
		bool d = obs ? p->has_observed && !p->hidden : p->defined;

		if (d) {
			sc.lo = fmin(sc.lo, v);
			sc.hi = fmax(sc.hi, v);
			any = true;
		}
		if (obs && p->has_expected && !p->hidden) {
			sc.lo = fmin(sc.lo, p->expected);
			sc.hi = fmax(sc.hi, p->expected);
		}
	}
	if (thr) {
		sc.lo = fmin(sc.lo, x->threshold);
		sc.hi = fmax(sc.hi, x->threshold);
	}
	if (!any)
		return;
	if (sc.hi <= sc.lo)
		sc.hi = sc.lo + 1;
	fprintf(f, "<table role=\"presentation\" class=\"chart\" cellpadding=\"0\" "
	    "cellspacing=\"0\" style=\"border-collapse:collapse;font-size:12px;"
	    "margin:6px 0\">\n<caption style=\"text-align:left;color:#555;"
	    "padding-bottom:2px\">");
	/* what each row's figures are, in words: not by the blue of the
	 * expected one alone (the text part says it the same way) */
	if (obs && x->has_observed)
		put_html(f, WORD(loc, "Dernières périodes" NNBSP ": observé (barres), et attendu "
		    "entre parenthèses (trait bleu)", "Last periods: observed (bars), and "
		    "expected in brackets (blue mark)"));
	else if (obs)
		put_html(f, WORD(loc, "Dernières périodes" NNBSP ": valeur de la règle (barres), "
		    "attendu entre parenthèses (trait bleu) et seuil (trait rouge)", "Last periods: "
		    "the rule's value (bars), expected in brackets (blue mark) and threshold (red "
		    "line)"));
	else
		put_html(f, thr ? WORD(loc, "Dernières périodes" NNBSP ": valeur de la règle (barres) "
		    "et seuil (trait rouge)", "Last periods: the rule's value (bars) and "
		    "threshold (red line)") : WORD(loc, "Dernières périodes",
		    "Last periods"));
	fputs("</caption>\n", f);
	for (size_t i = 0; i < x->nhistory; i++) {
		const struct notice_point *p = &x->history[i];
		double v = obs ? p->observed : p->value;
		bool d = obs ? p->has_observed && !p->hidden : p->defined;
		int z = to_px(&sc, 0);
		char per[TYPO_BUFSZ];

		for (int k = 0; k < CHART_W; k++)
			row[k] = PX_BG;
		if (d) {
			int a = to_px(&sc, v), lo = a < z ? a : z, hi = a < z ? z : a;

			for (int k = lo; k <= hi; k++)
				row[k] = v < 0 ? PX_NEG : PX_BAR;
		}
		row[z] = PX_ZERO;
		if (thr) {
			int t = to_px(&sc, x->threshold);

			put_mark(row, t + 1 < CHART_W ? t : t - 1, t + 1 < CHART_W ? t + 1 : t,
			    PX_THRESHOLD);
		}
		if (obs && d && p->has_expected) {
			int e = to_px(&sc, p->expected), lo = e > 0 ? e - 1 : 0;

			if (lo + 2 >= CHART_W)
				lo = CHART_W - 3;
			put_mark(row, lo, lo + 2, PX_EXPECTED);
		}
		typo_period(per, sizeof(per), p->period, true, loc);
		fprintf(f, "<tr><td style=\"padding:0 8px 0 0;color:#555;white-space:nowrap\">%s"
		    "</td>", per);
		put_runs(f, row, bar);
		if (d) {
			if (obs)
				mail_figure(vb, sizeof(vb), v, x, loc);
			else
				mail_number(vb, sizeof(vb), v, dec, loc);
			if (obs && p->has_expected) {
				mail_figure(eb, sizeof(eb), p->expected, x, loc);
				fprintf(f, "<td style=\"padding:0 0 0 8px\">%s "
				    "<span style=\"color:#1565c0;white-space:nowrap\">(%s)</span></td>"
				    "</tr>\n", vb, eb);
			} else {
				fprintf(f, "<td style=\"padding:0 0 0 8px;white-space:nowrap\">%s"
				    "</td></tr>\n", vb);
			}
		} else {
			fprintf(f, "<td style=\"padding:0 0 0 8px;color:#666\">%s</td></tr>\n",
			    mail_gap_word(p, loc));
		}
	}
	/* The axis: its two ends under the bar area, and what it measures. */
	mail_number(lb, sizeof(lb), sc.lo, dec, loc);
	mail_number(hb, sizeof(hb), sc.hi, dec, loc);
	fprintf(f, "<tr class=\"axis\"><td></td><td style=\"padding:2px 0 0 0\"><table "
	    "role=\"presentation\" cellpadding=\"0\" cellspacing=\"0\" width=\"%d\" "
	    "style=\"width:%dpx;font-size:11px;color:#555;border-top:1px solid #999\"><tr>"
	    "<td style=\"text-align:left\">%s</td><td style=\"text-align:right\">%s</td>"
	    "</tr></table></td><td></td></tr>\n", CHART_W, CHART_W, lb, hb);
	fputs("<tr><td></td><td colspan=\"2\" style=\"font-size:11px;color:#555\">", f);
	if (x->measure) {
		put_phrase(f, mail_prose(x->measure, loc, false));
	} else if (obs && x->has_observed) {
		put_html(f, WORD(loc, "axe" NNBSP ": la mesure observée par la règle",
		    "axis: the measure the rule observes"));
	} else {
		put_html(f, WORD(loc, "axe" NNBSP ": valeur de la règle", "axis: the rule's value"));
	}
	if (thr) {
		const char *sev = wording_severity(x->severity, loc);

		mail_number(vb, sizeof(vb), x->threshold, x->decimals, loc);
		if (strcmp(sev, "-"))
			fprintf(f, WORD(loc, NNBSP "; seuil de %s" NNBSP ": %s",
			    "; %s threshold: %s"), sev, vb);
		else	/* a resolution's: the level it went back under */
			fprintf(f, WORD(loc, NNBSP "; seuil" NNBSP ": %s",
			    "; threshold: %s"), vb);
	}
	fputs("</td></tr>\n</table>\n", f);
}

/* ---- Blocks ----------------------------------------------------------- */

/* How to acknowledge an alert without a console: the command, in a
 * <code>. */
static void html_ack(FILE *f, const struct notice *x, enum locale loc)
{
	char *r = mime_clean(x->rule, false), *u = mime_clean(x->unit, false);

	fputs("<code>vigie ack ", f);
	put_html(f, r);
	fputs("@", f);
	put_html(f, u);
	fprintf(f, " --by %s</code>", WORD(loc, "NOM", "NAME"));
	free(r);
	free(u);
}

/* The last periods of a folded parent on one line, "period value" as its
 * chart would label them, without the chart: the block is the
 * descendant's. */
static void html_periods(FILE *f, const struct notice *x, enum locale loc)
{
	bool obs = mail_plots_observed(x);
	char per[TYPO_BUFSZ], vb[TYPO_BUFSZ], eb[TYPO_BUFSZ];

	fprintf(f, "<br>%s%s%s", WORD(loc, "Dernières périodes", "Last periods"), !obs ? "" :
	    x->has_observed ? WORD(loc, " (observé, attendu entre parenthèses)",
	    " (observed, expected in brackets)") : WORD(loc, " (valeur, attendu entre "
	    "parenthèses)", " (value, expected in brackets)"), mail_colon(loc));
	for (size_t i = 0; i < x->nhistory; i++) {
		const struct notice_point *p = &x->history[i];
		bool d = obs ? p->has_observed && !p->hidden : p->defined;

		typo_period(per, sizeof(per), p->period, true, loc);
		if (d && obs)
			mail_figure(vb, sizeof(vb), p->observed, x, loc);
		else if (d)
			mail_number(vb, sizeof(vb), p->value, x->decimals, loc);
		fprintf(f, "%s%s %s", i ? " · " : "", per, d ? vb : mail_gap_word(p, loc));
		if (d && obs && p->has_expected) {
			mail_figure(eb, sizeof(eb), p->expected, x, loc);
			fprintf(f, " (%s)", eb);
		}
	}
}

/* A parent's alert inside the signal of the descendant it is folded into:
 * its unit, severity and value, then in smaller type what its own signal
 * would say (mail_text.c's text_parent), its last periods in figures. */
static void html_parent(FILE *f, const struct notice *p, const struct digest_item *it,
    enum locale loc, const char *web)
{
	const char *same = mail_parent_guidance(p, it->v, loc);
	char *s;

	html_row_open(f, mail_parent_label(loc));
	put_phrase(f, mail_parent_phrase(p, loc));
	fputs("<br><span style=\"font-size:13px;color:#555\">", f);
	put_phrase(f, mail_event_phrase(p, loc));
	if ((s = mail_held_phrase(p, loc))) {
		fprintf(f, "<br>%s%s", wording_held_label(loc), mail_colon(loc));
		put_phrase(f, s);
	}
	if ((s = mail_also_phrase(p, loc))) {
		fprintf(f, "<br>%s%s", mail_also_label(loc), mail_colon(loc));
		put_phrase(f, s);
	}
	for (size_t i = 0; i < it->npcovered; i++)
		if (digest_covers(p, it->pcovered[i])) {
			fprintf(f, "<br>%s%s", mail_covered_label(loc), mail_colon(loc));
			put_phrase(f, mail_covered_phrase(it->pcovered[i], loc));
		}
	if (p->nhistory)
		html_periods(f, p, loc);
	if (mail_guidance(p)) {
		fprintf(f, "<br>%s%s", WORD(loc, "Conseil", "Guidance"), mail_colon(loc));
		put_phrase(f, same ? xstrdup(same) : mail_prose(p->guidance, loc, true));
	}
	if (web && p->rule && p->unit) {
		fputs("<br>", f);
		html_link(f, p, loc, web);
	} else if (p->rule && p->unit && strcmp(p->kind, "resolved")) {
		fprintf(f, "<br>%s%s", WORD(loc, "Pour en accuser réception", "To acknowledge"),
		    mail_colon(loc));
		html_ack(f, p, loc);
	}
	fputs("</span></td></tr>\n", f);
}

static void html_item(FILE *f, const struct digest_item *it, enum locale loc,
    const char *web)
{
	const struct notice *x = it->v;
	const char *color = rank_color(wording_rank(x)), *label;
	char *s;

	fprintf(f, "<div class=\"signal\" style=\"border-left:4px solid %s;padding:4px 12px;"
	    "margin:12px 0\">\n<h3 style=\"margin:4px 0;font-size:15px\">", color);
	if (x->rule && strcmp(x->kind, "resolved"))
		fprintf(f, "<span style=\"color:%s\">[%s]</span> ", color,
		    wording_severity(x->severity, loc));
	/* The title leads to the alert's page, as a notification's does in
	 * any mail client: on a phone, the link under the chart is screens
	 * away. */
	if (web && x->rule && x->unit) {
		char *url = config_alert_url(web, x->rule, x->unit);
		fputs("<a style=\"color:inherit\" href=\"", f);
		put_html(f, url);
		fputs("\">", f);
		free(url);
	}
	put_phrase(f, mail_prose(x->title ? x->title : wording_event(x->kind, loc), loc, false));
	if (web && x->rule && x->unit)
		fputs("</a>", f);
	fputs("</h3>\n<p style=\"margin:2px 0;font-size:14px\">", f);
	put_phrase(f, mail_event_phrase(x, loc));
	if ((s = mail_taken_phrase(x, loc))) {
		fputs("<br>", f);
		put_phrase(f, s);
	}
	fputs("</p>\n<table role=\"presentation\" style=\"font-size:14px\">\n", f);
	if (x->rule) {
		/* What fired it first, the figures after (mail_moved_first). */
		bool first = mail_moved_first(x);
		const char *moved = WORD(loc, "Indicateurs qui ont bougé",
		    "Indicators that moved");

		if (first)
			html_row(f, moved, mail_moved_phrase(x, loc));
		s = mail_value_phrase(x, loc, &label);
		html_row(f, label, s);
		html_row(f, mail_level_label(loc), mail_level_phrase(x, loc));
		html_row(f, wording_held_label(loc), mail_held_phrase(x, loc));
		if (!first)
			html_row(f, moved, mail_moved_phrase(x, loc));
		html_row(f, WORD(loc, "Comparaison", "Compared with"),
		    mail_compare_phrase(x, loc));
		html_row(f, mail_also_label(loc), mail_also_phrase(x, loc));
	}
	for (size_t i = 0; i < it->ncovered; i++)
		html_row(f, mail_covered_label(loc), mail_covered_phrase(it->covered[i], loc));
	for (size_t i = 0; i < it->nparents; i++)
		html_parent(f, it->parents[i], it, loc, web);
	if (wording_summary(x))
		html_row(f, WORD(loc, "Résumé", "Summary"),
		    mail_prose(wording_summary(x), loc, true));
	if (mail_guidance(x))
		html_row(f, WORD(loc, "Conseil", "Guidance"), mail_prose(x->guidance, loc, true));
	fputs("</table>\n", f);
	if (x->nhistory)
		chart(f, x, loc, color);
	if (web && x->rule && x->unit) {
		fputs("<p style=\"font-size:13px\">", f);
		html_link(f, x, loc, web);
		fputs("</p>\n", f);
	} else if (x->rule && x->unit && strcmp(x->kind, "resolved")) {
		fprintf(f, "<p style=\"font-size:13px;color:#555\">%s%s<br>",
		    WORD(loc, "Pour en accuser réception", "To acknowledge"), mail_colon(loc));
		html_ack(f, x, loc);
		fputs("</p>\n", f);
	}
	fputs("</div>\n", f);
}

/* A line of what changed: the unit's changes (freed here; none, no line),
 * and for hosted parents the block they are in (freed here, or NULL). */
static void html_change(FILE *f, int rank, const char *unit, char *changes, char *host,
    enum locale loc)
{
	char *c;

	if (changes) {
		fprintf(f, "<li><span style=\"color:%s\">●</span> ", rank_color(rank));
		c = mime_clean(unit, false);
		put_html(f, c);
		free(c);
		/* the bullet's colour, in words too (WCAG 1.4.1) */
		put_html(f, mail_rank_tag(rank, loc));
		fputs(mail_colon(loc), f);
		put_phrase(f, changes);
		if (host)
			put_html(f, host);
		fputs("</li>\n", f);
	}
	free(host);
}

/* The closing list (mail_text.c's text_unowned), each line a link to its
 * alert's console page (a site's with its teams': the site's), the
 * severity of its bullet in words too. */
static void html_unowned(FILE *f, const struct notice *u, size_t nu, enum locale loc,
    const char *web)
{
	struct unowned_line *l;
	size_t nl, left = nu;
	char *url;

	if (!nu)
		return;
	fputs("<div class=\"unowned\"><h2 style=\"font-size:16px;margin-top:20px\">", f);
	put_phrase(f, mail_unowned_heading(u, nu, loc));
	fputs("</h2>\n<ul style=\"margin:0;padding-left:20px;font-size:14px\">\n", f);
	nl = mail_unowned_lines(u, nu, loc, &l);
	for (size_t i = 0; i < nl; i++) {
		bool more = i == NOTICE_UNOWNED_SHOWN;
		const struct notice *x = &u[l[i].link];

		url = more ? mail_open_url(web) : config_alert_url(web, x->rule, x->unit);
		fputs("<li>", f);
		if (!more) {
			fprintf(f, "<span style=\"color:%s\">●</span> ", rank_color(l[i].rank));
			put_html(f, l[i].units);
			put_html(f, mail_rank_tag(l[i].rank, loc));
			fputs(mail_colon(loc), f);
		}
		if (url) {
			fputs("<a href=\"", f);
			put_html(f, url);
			fputs("\">", f);
		}
		put_phrase(f, more ? mail_unowned_more(left, loc) :
		    mail_unowned_line(&u[l[i].first], loc));
		fputs(url ? "</a></li>\n" : "</li>\n", f);
		free(url);
		left -= l[i].alerts;
		if (more)
			break;
	}
	mail_unowned_lines_free(l, nl);
	fputs("</ul>\n<p style=\"margin:4px 0;font-size:14px\">", f);
	put_html(f, mail_unowned_hint(loc, web));
	fputs("</p></div>\n", f);
}

char *mail_html_body(const struct notice *v, size_t n, enum locale loc, const char *web)
{
	size_t own = mail_events(v, n);
	char *buf = NULL, *subject = wording_subject(v, own, loc), *c, *help;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct digest d;

	if (!f)
		xalloc_die();
	digest_build(&d, v, own);
	c = mime_clean(subject, false);
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"UTF-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	    "<title>", WORD(loc, "fr", "en"));
	put_html(f, c);
	fputs("</title>\n</head>\n<body style=\"font-family:sans-serif;color:#222;"
	    "max-width:720px;margin:8px\">\n<main>\n<h1 style=\"font-size:18px\">", f);
	put_html(f, c);
	fputs("</h1>\n", f);
	free(c);
	free(subject);
	if (d.nblocks && (d.nblocks > 1 || d.blocks[0].nitems > 1)) {
		fprintf(f, "<div class=\"changes\"><p style=\"margin:4px 0\"><b>%s</b></p>\n"
		    "<ul style=\"margin:0;padding-left:20px\">\n", d.first ?
		    WORD(loc, "Dans cet envoi", "In this digest") : WORD(loc,
		    "Depuis le dernier envoi", "Since the last digest"));
		for (size_t k = 0; k < d.nblocks; k++) {
			const struct digest_block *b = &d.blocks[k];

			html_change(f, b->rank, b->unit ? b->unit : "Vigie",
			    digest_changes_line(b->changes, loc), NULL, loc);
			for (size_t i = 0; i < b->nhosted; i++)
				html_change(f, b->hosted[i].rank, b->hosted[i].unit,
				    digest_changes_line(b->hosted[i].changes, loc),
				    mail_hosted_phrase(b->unit, loc), loc);
		}
		fputs("</ul></div>\n", f);
	}
	for (size_t k = 0; k < d.nblocks; k++) {
		fputs("<div class=\"block\">\n", f);
		if (d.blocks[k].unit) {
			fprintf(f, "<h2 style=\"font-size:16px;border-bottom:2px solid %s;"
			    "margin-top:20px;overflow-wrap:anywhere\">",
			    rank_color(d.blocks[k].rank));
			c = mime_clean(d.blocks[k].unit, false);
			put_html(f, c);
			free(c);
			fputs("</h2>\n", f);
		}
		for (size_t i = 0; i < d.blocks[k].nitems; i++)
			html_item(f, &d.blocks[k].items[i], loc, web);
		fputs("</div>\n", f);
	}
	html_unowned(f, v + own, n - own, loc, web);
	/* Landmarks: the digest in <main>, the footer in <footer>, so that
	 * a screen reader's user skips to the alerts (WCAG 1.3.1). */
	fputs("</main>\n<footer><p style=\"font-size:12px;color:#666\">", f);
	put_html(f, mail_footer(loc));
	if ((help = config_help_url(web))) {
		fputs("<br><a href=\"", f);
		put_html(f, help);
		fprintf(f, "\">%s</a>", mail_help_label(loc));
		free(help);
	}
	fputs("</p></footer>\n</body>\n</html>\n", f);
	digest_free(&d);
	if (fclose(f) != 0)
		xalloc_die();
	return buf;
}

char *mail_html(const struct notice *v, size_t n, enum locale loc)
{
	return mail_html_body(v, n, loc, NULL);
}
