/* Rendering of digest emails. A digest is one message to one address with
 * all its new transitions, grouped by unit, most severe first (wording.c
 * orders them and names them, French by default, English with locale: en).
 * Only what the event rows carry is shown: aggregated values (or "valeur
 * masquée" under the anonymity floor), never names and never
 * acknowledgement notes; with web.url, a link to each alert's console page
 * (a GET: following it changes nothing). The output is a complete RFC 5322 message,
 * multipart/alternative with a text and an HTML part, encoded by mime.c. */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/config.h"
#include "vigie/mail.h"
#include "vigie/mime.h"
#include "vigie/wording.h"
#include "vigie/xalloc.h"

static void put_html(FILE *f, const char *s)
{
	char *c = mime_clean(s, true);

	for (const char *p = c; *p; p++) {
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
	free(c);
}

/* Titles and units are one line wherever they appear. */
static void put_line(FILE *f, const char *s)
{
	char *c = mime_clean(s, false);

	fputs(c, f);
	free(c);
}

static void put_text(FILE *f, const char *s)
{
	char *c = mime_clean(s, true);

	fputs(c, f);
	free(c);
}

/* Closes an open_memstream() stream and returns its buffer. */
static void num(char *buf, size_t size, double x, int decimals, enum locale loc)
{
	format_number(buf, size, x, decimals < 0 ? 1 : decimals, loc);
}

static void history_range(const struct notice *x, double *lo, double *hi, size_t *ndef)
{
	*lo = INFINITY;
	*hi = -INFINITY;
	*ndef = 0;
	for (size_t i = 0; i < x->nhistory; i++) {
		if (!x->history[i].defined)
			continue;
		(*ndef)++;
		if (x->history[i].value < *lo)
			*lo = x->history[i].value;
		if (x->history[i].value > *hi)
			*hi = x->history[i].value;
	}
}

/* One block per defined period (▁ lowest … █ highest), "·" for a period
 * without a value. */
static void sparkline(FILE *f, const struct notice *x)
{
	static const char *const bars[8] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
	double lo, hi;
	size_t nd;

	history_range(x, &lo, &hi, &nd);
	for (size_t i = 0; i < x->nhistory; i++) {
		int k = 3;

		if (!x->history[i].defined) {
			fputs("·", f);
			continue;
		}
		if (hi > lo)
			k = (int)lround((x->history[i].value - lo) / (hi - lo) * 7);
		fputs(bars[k < 0 ? 0 : k > 7 ? 7 : k], f);
	}
}

static void value_line(FILE *f, const struct notice *x, enum locale loc, bool html)
{
	char vb[64], tb[64];
	bool resolved = !strcmp(x->kind, "resolved");

	if (!x->has_value) {
		fputs(WORD(loc, "valeur masquée (effectif sous le seuil d'anonymat)",
		    "hidden value (headcount below the anonymity floor)"), f);
		return;
	}
	num(vb, sizeof(vb), x->value, x->decimals, loc);
	if (html)
		fprintf(f, "<b>%s</b>", vb);
	else
		fputs(vb, f);
	if (resolved) {
		fputs(WORD(loc, " (valeur qui l'a résolue", " (the value that resolved it"), f);
		if (x->has_threshold) {
			num(tb, sizeof(tb), x->threshold, x->decimals, loc);
			fprintf(f, WORD(loc, " ; seuil %s", "; threshold %s"), tb);
		}
		fputs(")", f);
	} else if (x->has_threshold) {
		num(tb, sizeof(tb), x->threshold, x->decimals, loc);
		fprintf(f, WORD(loc, " (seuil %s : %s)", " (%s threshold: %s)"),
		    wording_severity(x->severity, loc), tb);
	}
}

static void history_text(FILE *f, const struct notice *x, enum locale loc)
{
	char vb[64];

	for (size_t i = 0; i < x->nhistory; i++) {
		if (x->history[i].defined)
			num(vb, sizeof(vb), x->history[i].value, x->decimals, loc);
		else
			snprintf(vb, sizeof(vb), "%s", WORD(loc, "—", "—"));
		fprintf(f, "%s%s %s", i % 4 ? "   " : "\n      ", x->history[i].period, vb);
	}
}

static void text_notice(FILE *f, const struct notice *x, enum locale loc,
    const char *web)
{
	const char *colon = WORD(loc, " : ", ": ");

	fputs("\n* ", f);
	if (x->rule && strcmp(x->kind, "resolved"))
		fprintf(f, "[%s] ", wording_severity(x->severity, loc));
	put_line(f, x->title ? x->title : wording_event(x->kind, loc));
	fputs("\n", f);
	fprintf(f, "  %s%s%s", WORD(loc, "Évènement", "Event"), colon, wording_event(x->kind, loc));
	if (x->prev_severity && (!strcmp(x->kind, "escalated") || !strcmp(x->kind, "deescalated")))
		fprintf(f, " (%s → %s)", wording_severity(x->prev_severity, loc), wording_severity(x->severity, loc));
	fputs("\n", f);
	if (x->unit) {
		fprintf(f, "  %s%s", WORD(loc, "Unité", "Unit"), colon);
		put_line(f, x->unit);
		fputs("\n", f);
	}
	if (x->period) {
		fprintf(f, "  %s%s%s", WORD(loc, "Période", "Period"), colon, x->period);
		if (x->since && strcmp(x->since, x->period))
			fprintf(f, WORD(loc, " (en alerte depuis %s)", " (active since %s)"), x->since);
		fputs("\n", f);
	}
	if (x->rule) {
		fprintf(f, "  %s%s", WORD(loc, "Valeur", "Value"), colon);
		value_line(f, x, loc, false);
		fputs("\n", f);
		if (strcmp(x->kind, "resolved"))
			fprintf(f, "  %s%s%s\n", WORD(loc, "Gravité", "Severity"), colon,
			    wording_severity(x->severity, loc));
	}
	if (x->summary) {
		fprintf(f, "  %s%s", WORD(loc, "Résumé", "Summary"), colon);
		put_text(f, x->summary);
		fputs("\n", f);
	}
	if (x->nhistory) {
		fprintf(f, "  %s%s", WORD(loc, "Dernières périodes", "Last periods"), colon);
		sparkline(f, x);
		history_text(f, x, loc);
		fputs("\n", f);
	}
	if (x->guidance) {
		fprintf(f, "  %s%s", WORD(loc, "Conseil", "Guidance"), colon);
		put_text(f, x->guidance);
		fputs("\n", f);
	}
	if (x->rule && x->unit && strcmp(x->kind, "resolved"))
		fprintf(f, "  %s%svigie ack %s@%s --by %s\n",
		    WORD(loc, "Pour en accuser réception", "To acknowledge"), colon,
		    x->rule, x->unit, WORD(loc, "NOM", "NAME"));
	if (web && x->rule && x->unit) {
		char *url = config_alert_url(web, x->rule, x->unit);
		fprintf(f, "  %s%s%s\n", WORD(loc, "Suivre dans la console", "Follow up in the "
		    "console"), colon, url);
		free(url);
	}
}

static char *text_body(const struct notice *v, size_t n, enum locale loc,
    const char *web)
{
	char *buf = NULL, *subject = wording_subject(v, n, loc);
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct notice_order *o = wording_order(v, n);
	const char *unit = NULL;

	if (!f)
		xalloc_die();
	put_line(f, subject);
	fputs("\n", f);
	free(subject);
	for (size_t i = 0; i < n; i++) {
		const char *u = o[i].v->unit;

		if (u && (!unit || strcmp(u, unit))) {
			fputs("\n== ", f);
			put_line(f, u);
			fputs(" ==\n", f);
			unit = u;
		}
		text_notice(f, o[i].v, loc, web);
	}
	fputs(WORD(loc, "\n-- \nMessage envoyé automatiquement par Vigie. Il ne contient que des\n"
	    "indicateurs agrégés : aucun nom, aucune absence individuelle.\n",
	    "\n-- \nSent automatically by Vigie. It carries aggregated indicators only:\n"
	    "no names, no individual absences.\n"), f);
	free(o);
	if (fclose(f) != 0)
		xalloc_die();
	return buf;
}

static const char *sev_color(const struct notice *x)
{
	switch (wording_rank(x)) {
	case 2: return "#b3261e";
	case 1: return "#b26a00";
	default: return "#2e7d32";
	}
}

static void history_html(FILE *f, const struct notice *x, enum locale loc)
{
	double lo, hi;
	size_t nd;
	char vb[64];

	history_range(x, &lo, &hi, &nd);
	fprintf(f, "<table role=\"presentation\" cellpadding=\"0\" cellspacing=\"0\" "
	    "style=\"border-collapse:collapse;font-size:12px;margin:6px 0\">\n"
	    "<caption style=\"text-align:left;color:#555\">%s</caption>\n",
	    WORD(loc, "Dernières périodes", "Last periods"));
	for (size_t i = 0; i < x->nhistory; i++) {
		int w = 0;

		if (x->history[i].defined) {
			num(vb, sizeof(vb), x->history[i].value, x->decimals, loc);
			w = hi > 0 ? (int)lround(x->history[i].value / hi * 160) : 0;
			if (w < 2)
				w = 2;
		} else {
			snprintf(vb, sizeof(vb), "%s", WORD(loc, "masquée ou absente", "hidden or missing"));
		}
		fprintf(f, "<tr><td style=\"padding:1px 8px 1px 0;color:#555\">%s</td>"
		    "<td style=\"padding:1px 0\"><div style=\"background:%s;height:10px;"
		    "width:%dpx\"></div></td><td style=\"padding:1px 0 1px 8px\">%s</td></tr>\n",
		    x->history[i].period, x->history[i].defined ? sev_color(x) : "#ccc",
		    w, vb);
	}
	fputs("</table>\n", f);
}

static void html_row(FILE *f, const char *label, const char *text)
{
	fprintf(f, "<tr><th style=\"text-align:left;padding:2px 12px 2px 0;"
	    "font-weight:normal;color:#555;vertical-align:top\">%s</th><td>", label);
	put_html(f, text);
	fputs("</td></tr>\n", f);
}

static void html_notice(FILE *f, const struct notice *x, enum locale loc,
    const char *web)
{
	char ev[256];

	fprintf(f, "<div style=\"border-left:4px solid %s;padding:4px 12px;margin:12px 0\">\n"
	    "<h3 style=\"margin:4px 0\">", sev_color(x));
	if (x->rule && strcmp(x->kind, "resolved"))
		fprintf(f, "<span style=\"color:%s\">[%s]</span> ", sev_color(x),
		    wording_severity(x->severity, loc));
	put_html(f, x->title ? x->title : wording_event(x->kind, loc));
	fputs("</h3>\n<table role=\"presentation\" style=\"font-size:14px\">\n", f);
	if (x->prev_severity && (!strcmp(x->kind, "escalated") || !strcmp(x->kind, "deescalated")))
		snprintf(ev, sizeof(ev), "%s (%s → %s)", wording_event(x->kind, loc),
		    wording_severity(x->prev_severity, loc), wording_severity(x->severity, loc));
	else
		snprintf(ev, sizeof(ev), "%s", wording_event(x->kind, loc));
	html_row(f, WORD(loc, "Évènement", "Event"), ev);
	if (x->unit)
		html_row(f, WORD(loc, "Unité", "Unit"), x->unit);
	if (x->period) {
		char pb[96];

		if (x->since && strcmp(x->since, x->period))
			snprintf(pb, sizeof(pb), WORD(loc, "%s (en alerte depuis %s)",
			    "%s (active since %s)"), x->period, x->since);
		else
			snprintf(pb, sizeof(pb), "%s", x->period);
		html_row(f, WORD(loc, "Période", "Period"), pb);
	}
	if (x->rule) {
		fprintf(f, "<tr><th style=\"text-align:left;padding:2px 12px 2px 0;"
		    "font-weight:normal;color:#555\">%s</th><td>", WORD(loc, "Valeur", "Value"));
		value_line(f, x, loc, true);
		fputs("</td></tr>\n", f);
		if (strcmp(x->kind, "resolved"))
			html_row(f, WORD(loc, "Gravité", "Severity"), wording_severity(x->severity, loc));
	}
	if (x->summary)
		html_row(f, WORD(loc, "Résumé", "Summary"), x->summary);
	if (x->guidance)
		html_row(f, WORD(loc, "Conseil", "Guidance"), x->guidance);
	fputs("</table>\n", f);
	if (x->nhistory)
		history_html(f, x, loc);
	if (x->rule && x->unit && strcmp(x->kind, "resolved")) {
		fprintf(f, "<p style=\"font-size:13px;color:#555\">%s<br><code>vigie ack ",
		    WORD(loc, "Pour en accuser réception :", "To acknowledge:"));
		put_html(f, x->rule);
		fputs("@", f);
		put_html(f, x->unit);
		fprintf(f, " --by %s</code></p>\n", WORD(loc, "NOM", "NAME"));
	}
	if (web && x->rule && x->unit) {
		char *url = config_alert_url(web, x->rule, x->unit);
		fputs("<p style=\"font-size:13px\"><a href=\"", f);
		put_html(f, url);
		fprintf(f, "\">%s</a></p>\n", WORD(loc, "Suivre dans la console",
		    "Follow up in the console"));
		free(url);
	}
	fputs("</div>\n", f);
}

static char *html_body(const struct notice *v, size_t n, enum locale loc,
    const char *web)
{
	char *buf = NULL, *subject = wording_subject(v, n, loc);
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct notice_order *o = wording_order(v, n);
	const char *unit = NULL;

	if (!f)
		xalloc_die();
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"UTF-8\">\n"
	    "<title>", WORD(loc, "fr", "en"));
	put_html(f, subject);
	fputs("</title>\n</head>\n<body style=\"font-family:sans-serif;color:#222;"
	    "max-width:720px\">\n<h2 style=\"font-size:18px\">", f);
	put_html(f, subject);
	fputs("</h2>\n", f);
	free(subject);
	for (size_t i = 0; i < n; i++) {
		const char *u = o[i].v->unit;

		if (u && (!unit || strcmp(u, unit))) {
			fputs("<h2 style=\"font-size:16px;border-bottom:1px solid #ddd\">", f);
			put_html(f, u);
			fputs("</h2>\n", f);
			unit = u;
		}
		html_notice(f, o[i].v, loc, web);
	}
	fprintf(f, "<p style=\"font-size:12px;color:#777\">%s</p>\n</body>\n</html>\n",
	    WORD(loc, "Message envoyé automatiquement par Vigie. Il ne contient que des "
	    "indicateurs agrégés : aucun nom, aucune absence individuelle.",
	    "Sent automatically by Vigie. It carries aggregated indicators only: "
	    "no names, no individual absences."));
	free(o);
	if (fclose(f) != 0)
		xalloc_die();
	return buf;
}

char *mail_text(const struct notice *v, size_t n, enum locale loc)
{
	return text_body(v, n, loc, NULL);
}

char *mail_html(const struct notice *v, size_t n, enum locale loc)
{
	return html_body(v, n, loc, NULL);
}

char *mail_render(const struct notice *v, size_t n, enum locale loc,
    const struct mail_envelope *env, size_t *len)
{
	char *buf = NULL, *subject, *hdr, *text, *html, to[320], from[320];
	char boundary[64];
	const char *dom;
	unsigned char rnd[8];
	FILE *f = open_memstream(&buf, len);

	if (!f)
		xalloc_die();
	/* "=_" never occurs in quoted-printable text, so this boundary cannot
	 * collide with a part's content. */
	arc4random_buf(rnd, sizeof(rnd));
	snprintf(boundary, sizeof(boundary), "=_vigie_%02x%02x%02x%02x%02x%02x%02x%02x",
	    rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
	mime_addr_spec(env->from_addr ? env->from_addr : "vigie@localhost", from, sizeof(from));
	dom = strrchr(from, '@');
	dom = dom && dom[1] ? dom + 1 : "vigie";

	mime_put_from(f, env->from_name, env->from_addr);
	fprintf(f, "To: %s\r\n", mime_addr_spec(env->to, to, sizeof(to)));
	subject = wording_subject(v, n, loc);
	hdr = mime_header_encoded("Subject", subject);
	fputs(hdr, f);
	free(hdr);
	free(subject);
	mime_put_date(f, env->date);
	{
		char *uid = mime_clean(env->uid, false);

		for (char *p = uid; *p; p++)
			if (*p == ' ' || *p == '<' || *p == '>' || *p == '@')
				*p = '_';
		fprintf(f, "Message-ID: <%s@%s>\r\n", uid, dom);
		free(uid);
	}
	fputs("MIME-Version: 1.0\r\nAuto-Submitted: auto-generated\r\n"
	    "X-Auto-Response-Suppress: All\r\n", f);
	fprintf(f, "Content-Type: multipart/alternative;\r\n boundary=\"%s\"\r\n\r\n",
	    boundary);
	fputs("This is a multi-part message in MIME format.\r\n", f);
	text = text_body(v, n, loc, env->web_url);
	html = html_body(v, n, loc, env->web_url);
	mime_put_part(f, boundary, "text/plain", text);
	mime_put_part(f, boundary, "text/html", html);
	fprintf(f, "--%s--\r\n", boundary);
	free(text);
	free(html);
	if (fclose(f) != 0)
		xalloc_die();
	return buf;
}

/* ---- Scheduled reports (SPEC 15): rendered above this room ---- */

static mail_report_fn report_renderer;

void mail_set_report_renderer(mail_report_fn fn)
{
	report_renderer = fn;
}

char *mail_render_report(const struct config *cfg, const struct notice *x,
    const struct mail_envelope *env, size_t *len, char *err, size_t errsize)
{
	if (!report_renderer) {
		snprintf(err, errsize, "this program cannot render reports (vigied does)");
		return NULL;
	}
	return report_renderer(cfg, x, env, len, err, errsize);
}
