/* Rendering of digest emails. A digest is one message to one address with
 * all its new transitions, grouped by unit, most severe first. The wording
 * is French by default (severities: « vigilance » for warning, « critique »
 * for critical), English with locale: en. Only what the event rows carry is
 * shown: aggregated values (or "valeur masquée" under the anonymity floor),
 * never names and never acknowledgement notes. The output is a complete
 * RFC 5322 message: every header that may carry user text is encoded per
 * RFC 2047 after control characters are stripped, so no header injection is
 * possible; both parts are quoted-printable so every line stays short and
 * CRLF-terminated whatever the content. */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/mail.h"

/* ---- strings --------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s (1..4), 0 if invalid. */
static size_t utf8_seq(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (s[0] >= 0xe0 && s[0] <= 0xef) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if (s[0] == 0xe0 && s[1] < 0xa0)
			return 0;
		if (s[0] == 0xed && s[1] >= 0xa0)
			return 0;	/* surrogates */
		return 3;
	}
	if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80)
			return 0;
		if ((s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))
			return 0;
		return 4;
	}
	return 0;
}

/* A copy of s with control characters as spaces (keeping "\n" and tabs
 * when multiline) and invalid UTF-8 as U+FFFD. */
static char *clean(const char *s, bool multiline)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p);
	char *out = malloc(n * 3 + 1), *o = out;

	if (!out)
		abort();
	while (*p) {
		size_t k = utf8_seq(p);

		if (k == 0) {
			memcpy(o, "\xef\xbf\xbd", 3);
			o += 3;
			p++;
		} else if (k == 1) {
			unsigned char c = *p++;

			if (c == '\r' && multiline)
				continue;
			if ((c < 0x20 || c == 0x7f) && !(multiline && (c == '\n' || c == '\t')))
				c = ' ';
			*o++ = (char)c;
		} else if (k == 2 && p[0] == 0xc2 && p[1] < 0xa0) {
			*o++ = ' ';	/* C1 controls */
			p += 2;
		} else {
			memcpy(o, p, k);
			o += k;
			p += k;
		}
	}
	*o = '\0';
	return out;
}

static void put_html(FILE *f, const char *s)
{
	char *c = clean(s, true);

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
	char *c = clean(s, false);

	fputs(c, f);
	free(c);
}

static void put_text(FILE *f, const char *s)
{
	char *c = clean(s, true);

	fputs(c, f);
	free(c);
}

/* Closes an open_memstream() stream and returns its buffer. */
static char *stream_done(FILE *f, char **buf, size_t *len)
{
	if (fclose(f) != 0)
		abort();
	(void)len;
	return *buf;
}

/* ---- wording --------------------------------------------------------- */

static int sev_rank(const char *sev)
{
	if (sev && !strcmp(sev, "critical"))
		return 2;
	if (sev && !strcmp(sev, "warning"))
		return 1;
	return 0;
}

/* The severity a notice stands for: none once resolved. */
static int notice_rank(const struct notice *v)
{
	if (!strcmp(v->kind, "resolved") || !strcmp(v->kind, "fresh"))
		return 0;
	if (!v->rule)
		return !strcmp(v->kind, "test") ? 0 : 1;
	return sev_rank(v->severity);
}

const char *mail_severity_word(const char *sev, enum locale loc)
{
	int r = sev_rank(sev);

	if (loc == LOC_EN)
		return r == 2 ? "critical" : r == 1 ? "warning" : "-";
	return r == 2 ? "critique" : r == 1 ? "vigilance" : "-";
}

const char *mail_event_word(const char *kind, enum locale loc)
{
	static const char *const w[][3] = {
		{ "firing", "nouvelle alerte", "new alert" },
		{ "escalated", "aggravation", "escalated" },
		{ "deescalated", "amélioration", "improved" },
		{ "resolved", "résolue", "resolved" },
		{ "reminder", "rappel", "reminder" },
		{ "stale", "données manquantes", "missing data" },
		{ "fresh", "données de retour", "data is back" },
		{ "rejected", "fichier rejeté", "file rejected" },
		{ "test", "message de test", "test message" },
	};

	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		if (!strcmp(kind, w[i][0]))
			return w[i][loc == LOC_EN ? 2 : 1];
	return kind;
}

/* A macro rather than a function so that format strings stay literals
 * that the compiler checks. */
#define T(loc, fr, en) ((loc) == LOC_EN ? (en) : (fr))

static void num(char *buf, size_t size, double x, int decimals, enum locale loc)
{
	format_number(buf, size, x, decimals < 0 ? 1 : decimals, loc);
}

/* Display order: units by their most severe notice, then name; inside a
 * unit, most severe first, then rule. */
struct ordered {
	const struct notice *v;
	int unit_rank;
};

static int cmp_ordered(const void *a, const void *b)
{
	const struct ordered *x = a, *y = b;
	const char *ux = x->v->unit ? x->v->unit : "", *uy = y->v->unit ? y->v->unit : "";
	int c;

	if (x->unit_rank != y->unit_rank)
		return y->unit_rank - x->unit_rank;
	if ((c = strcmp(ux, uy)) != 0)
		return c;
	if (notice_rank(x->v) != notice_rank(y->v))
		return notice_rank(y->v) - notice_rank(x->v);
	c = strcmp(x->v->rule ? x->v->rule : "", y->v->rule ? y->v->rule : "");
	if (c)
		return c;
	return x->v < y->v ? -1 : x->v > y->v;
}

static struct ordered *order(const struct notice *v, size_t n)
{
	struct ordered *o = calloc(n ? n : 1, sizeof(*o));

	if (!o)
		abort();
	for (size_t i = 0; i < n; i++) {
		o[i].v = &v[i];
		for (size_t j = 0; j < n; j++) {
			const char *a = v[i].unit ? v[i].unit : "", *b = v[j].unit ? v[j].unit : "";

			if (!strcmp(a, b) && notice_rank(&v[j]) > o[i].unit_rank)
				o[i].unit_rank = notice_rank(&v[j]);
		}
	}
	qsort(o, n, sizeof(*o), cmp_ordered);
	return o;
}

char *mail_subject(const struct notice *v, size_t n, enum locale loc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct ordered *o;
	int top = 0;

	if (!f)
		abort();
	fputs("[Vigie] ", f);
	if (n == 0) {
		fputs(T(loc, "aucune alerte", "no alert"), f);
		return stream_done(f, &buf, &len);
	}
	o = order(v, n);
	if (n == 1 && !strcmp(v[0].kind, "test")) {
		fprintf(f, "TEST — %s", v[0].title ? v[0].title : "");
	} else if (n == 1) {
		const struct notice *x = &v[0];
		const char *what = (!strcmp(x->kind, "resolved") || !x->rule)
		    ? mail_event_word(x->kind, loc) : mail_severity_word(x->severity, loc);

		fprintf(f, "%s%s %s", what, T(loc, " :", ":"),
		    x->title ? x->title : x->kind);
		if (x->unit)
			fprintf(f, " — %s", x->unit);
	} else {
		size_t shown = 0;
		bool more = false;

		for (size_t i = 0; i < n; i++)
			if (notice_rank(&v[i]) > top)
				top = notice_rank(&v[i]);
		fprintf(f, "%zu %s", n, T(loc, "notifications", "notifications"));
		if (top)
			fprintf(f, "%s %s", T(loc, " :", ":"),
			    mail_severity_word(top == 2 ? "critical" : "warning", loc));
		/* The distinct units, most severe first, at most three. */
		for (size_t i = 0; i < n; i++) {
			bool seen = false;

			if (!o[i].v->unit)
				continue;
			for (size_t j = 0; j < i; j++)
				if (o[j].v->unit && !strcmp(o[j].v->unit, o[i].v->unit))
					seen = true;
			if (seen)
				continue;
			if (shown == 3) {
				more = true;
				break;
			}
			fprintf(f, "%s%s", shown ? ", " : " — ", o[i].v->unit);
			shown++;
		}
		if (more)
			fputs(", …", f);
	}
	free(o);
	return stream_done(f, &buf, &len);
}

/* ---- bodies ---------------------------------------------------------- */

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
		fputs(T(loc, "valeur masquée (effectif sous le seuil d'anonymat)",
		    "hidden value (headcount below the anonymity floor)"), f);
		return;
	}
	num(vb, sizeof(vb), x->value, x->decimals, loc);
	if (html)
		fprintf(f, "<b>%s</b>", vb);
	else
		fputs(vb, f);
	if (resolved) {
		fputs(T(loc, " (valeur qui l'a résolue", " (the value that resolved it"), f);
		if (x->has_threshold) {
			num(tb, sizeof(tb), x->threshold, x->decimals, loc);
			fprintf(f, T(loc, " ; seuil %s", "; threshold %s"), tb);
		}
		fputs(")", f);
	} else if (x->has_threshold) {
		num(tb, sizeof(tb), x->threshold, x->decimals, loc);
		fprintf(f, T(loc, " (seuil %s : %s)", " (%s threshold: %s)"),
		    mail_severity_word(x->severity, loc), tb);
	}
}

static void history_text(FILE *f, const struct notice *x, enum locale loc)
{
	char vb[64];

	for (size_t i = 0; i < x->nhistory; i++) {
		if (x->history[i].defined)
			num(vb, sizeof(vb), x->history[i].value, x->decimals, loc);
		else
			snprintf(vb, sizeof(vb), "%s", T(loc, "—", "—"));
		fprintf(f, "%s%s %s", i % 4 ? "   " : "\n      ", x->history[i].period, vb);
	}
}

static void text_notice(FILE *f, const struct notice *x, enum locale loc)
{
	const char *colon = T(loc, " : ", ": ");

	fputs("\n* ", f);
	if (x->rule && strcmp(x->kind, "resolved"))
		fprintf(f, "[%s] ", mail_severity_word(x->severity, loc));
	put_line(f, x->title ? x->title : mail_event_word(x->kind, loc));
	fputs("\n", f);
	fprintf(f, "  %s%s%s", T(loc, "Évènement", "Event"), colon, mail_event_word(x->kind, loc));
	if (x->prev_severity && (!strcmp(x->kind, "escalated") || !strcmp(x->kind, "deescalated")))
		fprintf(f, " (%s → %s)", mail_severity_word(x->prev_severity, loc), mail_severity_word(x->severity, loc));
	fputs("\n", f);
	if (x->unit) {
		fprintf(f, "  %s%s", T(loc, "Unité", "Unit"), colon);
		put_line(f, x->unit);
		fputs("\n", f);
	}
	if (x->period) {
		fprintf(f, "  %s%s%s", T(loc, "Période", "Period"), colon, x->period);
		if (x->since && strcmp(x->since, x->period))
			fprintf(f, T(loc, " (en alerte depuis %s)", " (active since %s)"), x->since);
		fputs("\n", f);
	}
	if (x->rule) {
		fprintf(f, "  %s%s", T(loc, "Valeur", "Value"), colon);
		value_line(f, x, loc, false);
		fputs("\n", f);
		if (strcmp(x->kind, "resolved"))
			fprintf(f, "  %s%s%s\n", T(loc, "Gravité", "Severity"), colon,
			    mail_severity_word(x->severity, loc));
	}
	if (x->summary) {
		fprintf(f, "  %s%s", T(loc, "Résumé", "Summary"), colon);
		put_text(f, x->summary);
		fputs("\n", f);
	}
	if (x->nhistory) {
		fprintf(f, "  %s%s", T(loc, "Dernières périodes", "Last periods"), colon);
		sparkline(f, x);
		history_text(f, x, loc);
		fputs("\n", f);
	}
	if (x->guidance) {
		fprintf(f, "  %s%s", T(loc, "Conseil", "Guidance"), colon);
		put_text(f, x->guidance);
		fputs("\n", f);
	}
	if (x->rule && x->unit && strcmp(x->kind, "resolved"))
		fprintf(f, "  %s%svigie ack %s@%s --by %s\n",
		    T(loc, "Pour en accuser réception", "To acknowledge"), colon,
		    x->rule, x->unit, T(loc, "NOM", "NAME"));
}

char *mail_text(const struct notice *v, size_t n, enum locale loc)
{
	char *buf = NULL, *subject = mail_subject(v, n, loc);
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct ordered *o = order(v, n);
	const char *unit = NULL;

	if (!f)
		abort();
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
		text_notice(f, o[i].v, loc);
	}
	fputs(T(loc, "\n-- \nMessage envoyé automatiquement par Vigie. Il ne contient que des\n"
	    "indicateurs agrégés : aucun nom, aucune absence individuelle.\n",
	    "\n-- \nSent automatically by Vigie. It carries aggregated indicators only:\n"
	    "no names, no individual absences.\n"), f);
	free(o);
	return stream_done(f, &buf, &len);
}

static const char *sev_color(const struct notice *x)
{
	switch (notice_rank(x)) {
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
	    T(loc, "Dernières périodes", "Last periods"));
	for (size_t i = 0; i < x->nhistory; i++) {
		int w = 0;

		if (x->history[i].defined) {
			num(vb, sizeof(vb), x->history[i].value, x->decimals, loc);
			w = hi > 0 ? (int)lround(x->history[i].value / hi * 160) : 0;
			if (w < 2)
				w = 2;
		} else {
			snprintf(vb, sizeof(vb), "%s", T(loc, "masquée ou absente", "hidden or missing"));
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

static void html_notice(FILE *f, const struct notice *x, enum locale loc)
{
	char ev[256];

	fprintf(f, "<div style=\"border-left:4px solid %s;padding:4px 12px;margin:12px 0\">\n"
	    "<h3 style=\"margin:4px 0\">", sev_color(x));
	if (x->rule && strcmp(x->kind, "resolved"))
		fprintf(f, "<span style=\"color:%s\">[%s]</span> ", sev_color(x),
		    mail_severity_word(x->severity, loc));
	put_html(f, x->title ? x->title : mail_event_word(x->kind, loc));
	fputs("</h3>\n<table role=\"presentation\" style=\"font-size:14px\">\n", f);
	if (x->prev_severity && (!strcmp(x->kind, "escalated") || !strcmp(x->kind, "deescalated")))
		snprintf(ev, sizeof(ev), "%s (%s → %s)", mail_event_word(x->kind, loc),
		    mail_severity_word(x->prev_severity, loc), mail_severity_word(x->severity, loc));
	else
		snprintf(ev, sizeof(ev), "%s", mail_event_word(x->kind, loc));
	html_row(f, T(loc, "Évènement", "Event"), ev);
	if (x->unit)
		html_row(f, T(loc, "Unité", "Unit"), x->unit);
	if (x->period) {
		char pb[96];

		if (x->since && strcmp(x->since, x->period))
			snprintf(pb, sizeof(pb), T(loc, "%s (en alerte depuis %s)",
			    "%s (active since %s)"), x->period, x->since);
		else
			snprintf(pb, sizeof(pb), "%s", x->period);
		html_row(f, T(loc, "Période", "Period"), pb);
	}
	if (x->rule) {
		fprintf(f, "<tr><th style=\"text-align:left;padding:2px 12px 2px 0;"
		    "font-weight:normal;color:#555\">%s</th><td>", T(loc, "Valeur", "Value"));
		value_line(f, x, loc, true);
		fputs("</td></tr>\n", f);
		if (strcmp(x->kind, "resolved"))
			html_row(f, T(loc, "Gravité", "Severity"), mail_severity_word(x->severity, loc));
	}
	if (x->summary)
		html_row(f, T(loc, "Résumé", "Summary"), x->summary);
	if (x->guidance)
		html_row(f, T(loc, "Conseil", "Guidance"), x->guidance);
	fputs("</table>\n", f);
	if (x->nhistory)
		history_html(f, x, loc);
	if (x->rule && x->unit && strcmp(x->kind, "resolved")) {
		fprintf(f, "<p style=\"font-size:13px;color:#555\">%s<br><code>vigie ack ",
		    T(loc, "Pour en accuser réception :", "To acknowledge:"));
		put_html(f, x->rule);
		fputs("@", f);
		put_html(f, x->unit);
		fprintf(f, " --by %s</code></p>\n", T(loc, "NOM", "NAME"));
	}
	fputs("</div>\n", f);
}

char *mail_html(const struct notice *v, size_t n, enum locale loc)
{
	char *buf = NULL, *subject = mail_subject(v, n, loc);
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct ordered *o = order(v, n);
	const char *unit = NULL;

	if (!f)
		abort();
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"UTF-8\">\n"
	    "<title>", T(loc, "fr", "en"));
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
		html_notice(f, o[i].v, loc);
	}
	fprintf(f, "<p style=\"font-size:12px;color:#777\">%s</p>\n</body>\n</html>\n",
	    T(loc, "Message envoyé automatiquement par Vigie. Il ne contient que des "
	    "indicateurs agrégés : aucun nom, aucune absence individuelle.",
	    "Sent automatically by Vigie. It carries aggregated indicators only: "
	    "no names, no individual absences."));
	free(o);
	return stream_done(f, &buf, &len);
}

/* ---- encodings ------------------------------------------------------- */

static bool q_plain(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || strchr("!*+-/", c) != NULL;
}

char *mail_header_encoded(const char *name, const char *value)
{
	static const char hex[] = "0123456789ABCDEF";
	char *c = clean(value, false), *buf = NULL;
	size_t len = 0, col, wlen = 0;
	const unsigned char *p = (const unsigned char *)c;
	FILE *f = open_memstream(&buf, &len);
	/* "=?UTF-8?Q?" + payload + "?=" is at most 75 chars; the whole line,
	 * "Name: " or the folding space included, at most 76. */
	const size_t wrap = 12;
	char word[80];

	if (!f)
		abort();
	fprintf(f, "%s: ", name);
	col = strlen(name) + 2;
	while (*p) {
		size_t k = utf8_seq(p), need;
		char enc[16];
		size_t el = 0;

		if (k == 0)
			k = 1;	/* cannot happen after clean() */
		for (size_t i = 0; i < k; i++) {
			if (k == 1 && p[i] == ' ')
				enc[el++] = '_';
			else if (k == 1 && q_plain(p[i]))
				enc[el++] = (char)p[i];
			else {
				enc[el++] = '=';
				enc[el++] = hex[p[i] >> 4];
				enc[el++] = hex[p[i] & 15];
			}
		}
		need = wrap + wlen + el;
		if (wlen && (col + need > 76 || need > 75)) {
			fprintf(f, "=?UTF-8?Q?%.*s?=\r\n ", (int)wlen, word);
			col = 1;
			wlen = 0;
		}
		memcpy(word + wlen, enc, el);
		wlen += el;
		p += k;
	}
	fprintf(f, "=?UTF-8?Q?%.*s?=\r\n", (int)wlen, word);
	free(c);
	return stream_done(f, &buf, &len);
}

/* The token for byte c at column col: itself, or "=XX". A leading dot is
 * encoded too, for relays that would take a lone "." for the end of DATA;
 * so is a space or tab that would end a line. */
static size_t qp_token(unsigned char c, size_t col, bool eol_next, char tok[3])
{
	static const char hex[] = "0123456789ABCDEF";

	if ((c >= 33 && c <= 126 && c != '=' && !(c == '.' && col == 0)) ||
	    ((c == ' ' || c == '\t') && !eol_next)) {
		tok[0] = (char)c;
		return 1;
	}
	tok[0] = '=';
	tok[1] = hex[c >> 4];
	tok[2] = hex[c & 15];
	return 3;
}

char *mail_qp(const char *text, size_t len, size_t *outlen)
{
	char *buf = NULL;
	size_t blen = 0, col = 0;
	FILE *f = open_memstream(&buf, &blen);

	if (!f)
		abort();
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		char tok[3];
		size_t tl;
		bool eol_next;

		if (c == '\r' && i + 1 < len && text[i + 1] == '\n')
			continue;
		if (c == '\n') {
			fputs("\r\n", f);
			col = 0;
			continue;
		}
		eol_next = i + 1 >= len || text[i + 1] == '\n' ||
		    (text[i + 1] == '\r' && i + 2 < len && text[i + 2] == '\n');
		tl = qp_token(c, col, eol_next, tok);
		/* A soft break "=" must fit within 76 columns too, unless the
		 * token ends the line anyway. */
		if (col + tl > (eol_next ? 76 : 75)) {
			fputs("=\r\n", f);
			col = 0;
			tl = qp_token(c, col, eol_next, tok);
		}
		fwrite(tok, 1, tl, f);
		col += tl;
	}
	if (fclose(f) != 0)
		abort();
	*outlen = blen;
	return buf;
}

const char *mail_addr_spec(const char *from, char *buf, size_t size)
{
	const char *lt = strrchr(from, '<'), *gt;
	size_t n;

	if (lt && (gt = strchr(lt, '>')) != NULL) {
		n = (size_t)(gt - lt - 1);
		from = lt + 1;
	} else {
		while (*from == ' ')
			from++;
		n = strlen(from);
		while (n && from[n - 1] == ' ')
			n--;
	}
	if (n >= size)
		n = size - 1;
	memcpy(buf, from, n);
	buf[n] = '\0';
	/* No control characters in an address that goes into a header or
	 * an SMTP command. */
	for (char *p = buf; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return buf;
}

/* ---- the message ----------------------------------------------------- */

static void put_date(FILE *f, time_t t)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;

	gmtime_r(&t, &tm);
	fprintf(f, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n", days[tm.tm_wday],
	    tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
	    tm.tm_sec);
}

static bool ascii_printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

/* From: with a display name encoded when it is not plain ASCII. */
static void put_from(FILE *f, const char *from)
{
	char addr[320];
	const char *lt = strrchr(from, '<');

	mail_addr_spec(from, addr, sizeof(addr));
	if (lt && lt > from) {
		size_t n = (size_t)(lt - from);
		char *name = strndup(from, n);

		if (!name)
			abort();
		while (n && name[n - 1] == ' ')
			name[--n] = '\0';
		if (ascii_printable(name) && !strpbrk(name, "\"\\")) {
			fprintf(f, "From: \"%s\" <%s>\r\n", name, addr);
		} else {
			char *h = mail_header_encoded("From", name);

			/* drop the CRLF to append the address */
			h[strlen(h) - 2] = '\0';
			fprintf(f, "%s\r\n <%s>\r\n", h, addr);
			free(h);
		}
		free(name);
	} else {
		fprintf(f, "From: %s\r\n", addr);
	}
}

static void put_part(FILE *f, const char *boundary, const char *type, const char *body)
{
	size_t qlen;
	char *qp = mail_qp(body, strlen(body), &qlen);

	fprintf(f, "--%s\r\nContent-Type: %s; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n", boundary, type);
	fwrite(qp, 1, qlen, f);
	if (qlen < 2 || memcmp(qp + qlen - 2, "\r\n", 2))
		fputs("\r\n", f);
	free(qp);
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
		abort();
	/* "=_" never occurs in quoted-printable text, so this boundary cannot
	 * collide with a part's content. */
	arc4random_buf(rnd, sizeof(rnd));
	snprintf(boundary, sizeof(boundary), "=_vigie_%02x%02x%02x%02x%02x%02x%02x%02x",
	    rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
	mail_addr_spec(env->from ? env->from : "vigie@localhost", from, sizeof(from));
	dom = strrchr(from, '@');
	dom = dom && dom[1] ? dom + 1 : "vigie";

	put_from(f, env->from ? env->from : "vigie@localhost");
	fprintf(f, "To: %s\r\n", mail_addr_spec(env->to, to, sizeof(to)));
	subject = mail_subject(v, n, loc);
	hdr = mail_header_encoded("Subject", subject);
	fputs(hdr, f);
	free(hdr);
	free(subject);
	put_date(f, env->date);
	{
		char *uid = clean(env->uid, false);

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
	text = mail_text(v, n, loc);
	html = mail_html(v, n, loc);
	put_part(f, boundary, "text/plain", text);
	put_part(f, boundary, "text/html", html);
	fprintf(f, "--%s--\r\n", boundary);
	free(text);
	free(html);
	if (fclose(f) != 0)
		abort();
	return buf;
}
