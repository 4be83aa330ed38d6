/* Server-rendered SVG charts (include/vigie/web_chart.h). The y range
 * always holds zero, every value, every threshold and every expected value,
 * with round tick steps (1, 2, 2.5 or 5 times a power of ten); periods
 * without a value are drawn as grey bands and break the line, so a reader
 * sees that something is not shown rather than a made-up point. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/typo.h"
#include "vigie/web_chart.h"
#include "vigie/web_html.h"
#include "vigie/wording.h"

#define W 640.0
#define H 220.0
#define X0 84.0		/* plot area */
#define X1 624.0
#define Y0 28.0
#define Y1 182.0

static double nice_step(double range)
{
	double raw = range / 4, mag = pow(10, floor(log10(raw))), f = raw / mag;

	return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * mag;
}

/* Digits after the decimal point that write every multiple of step. */
static int step_decimals(double step)
{
	for (int d = 0; d < 6; d++) {
		double s = step * pow(10, d);
		if (fabs(s - round(s)) < 1e-6 * s)
			return d;
	}
	return 6;
}

static void widen(double x, double *lo, double *hi)
{
	if (isfinite(x)) {
		if (x < *lo)
			*lo = x;
		if (x > *hi)
			*hi = x;
	}
}

struct frame {
	double lo, hi;
	int n;
};

static double px(const struct frame *fr, int i)
{
	return fr->n <= 1 ? (X0 + X1) / 2 : X0 + (X1 - X0) * i / (fr->n - 1);
}

static double py(const struct frame *fr, double v)
{
	return Y1 - (Y1 - Y0) * (v - fr->lo) / (fr->hi - fr->lo);
}

/* A polyline per run of defined values; an isolated value is a point only. */
static void series_path(FILE *f, const struct frame *fr, const double *v,
    const char *cls)
{
	for (int i = 0; i < fr->n; ) {
		int j = i;

		while (j < fr->n && isfinite(v[j]))
			j++;
		if (j - i >= 2) {
			fprintf(f, "<polyline class=\"%s\" points=\"", cls);
			for (int k = i; k < j; k++)
				fprintf(f, "%s%.1f,%.1f", k > i ? " " : "", px(fr, k), py(fr, v[k]));
			fputs("\"/>\n", f);
		}
		i = j > i ? j : i + 1;
	}
}

/* A threshold's line, and its label on the line's right end at baseline
 * ly, inside the frame, with a halo (the stylesheet's paint-order) over
 * whatever it covers. */
static void threshold_line(FILE *f, const struct frame *fr, double t, double ly,
    const char *cls, const char *name, const struct chart *c)
{
	char nb[64];

	format_number(nb, sizeof(nb), t, c->decimals, c->loc);
	fprintf(f, "<line class=\"%s\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>\n"
	    "<text class=\"thr-label %s\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">"
	    "%s %s</text>\n", cls, X0, X1, py(fr, t), py(fr, t), cls, X1 - 4, ly, name, nb);
}

/* The baselines of the two thresholds' labels, each just above its line,
 * or, where the lines are closer than a label's height on a phone (vigie.css
 * writes them at 24px there), the upper one raised above the lower one's,
 * or where there is no room for that under the top, the lower one pushed
 * down below it: never one over the other. */
#define LABEL_GAP 26.0
static void threshold_labels(const struct frame *fr, const struct chart *c,
    double *lw, double *lc)
{
	double *up = lw, *down = lc;

	*lw = py(fr, c->warning) - 5;
	*lc = py(fr, c->critical) - 5;
	if (!c->has_warning || !c->has_critical)
		return;
	if (*lc < *lw) {
		up = lc;
		down = lw;
	}
	if (*down - *up >= LABEL_GAP)
		return;
	if (*down - LABEL_GAP >= Y0 - 10)
		*up = *down - LABEL_GAP;
	else
		*down = *up + LABEL_GAP;
}

/* The unit after a number of the desc, agreed with it ("1 conflit"); a
 * percent sign follows the number in English ("4.8%", as the report
 * writes it), after a space in French (« 4,8 % »). */
static void put_unit(FILE *f, const struct chart *c, const char *nb)
{
	char u[128];

	if (!c->axis_unit || !*c->axis_unit)
		return;
	chart_unit_for(c->axis_unit, nb, c->loc, u, sizeof(u));
	if (!(c->loc == LOC_EN && !strcmp(u, "%")))
		fputc(' ', f);
	html_text(f, u);
}

void chart_svg(FILE *f, const struct chart *c)
{
	struct frame fr = { .lo = 0, .hi = 0, .n = c->n };
	double last = NAN, step, lw, lc;
	int gaps = 0, lastp = -1;
	char nb[64];
	int tick_dec;

	for (int i = 0; i < c->n; i++) {
		widen(c->value[i], &fr.lo, &fr.hi);
		if (c->expected)
			widen(c->expected[i], &fr.lo, &fr.hi);
		if (isfinite(c->value[i])) {
			last = c->value[i];
			lastp = i;
		} else {
			gaps++;
		}
	}
	if (c->has_warning)
		widen(c->warning, &fr.lo, &fr.hi);
	if (c->has_critical)
		widen(c->critical, &fr.lo, &fr.hi);
	if (fr.hi <= fr.lo)
		fr.hi = fr.lo + 1;
	step = nice_step(fr.hi - fr.lo);
	fr.lo = floor(fr.lo / step) * step;
	fr.hi = ceil(fr.hi * 1.05 / step) * step;
	tick_dec = step_decimals(step);

	fprintf(f, "<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
	    "aria-labelledby=\"%s-t %s-d\" focusable=\"false\">\n<title id=\"%s-t\">",
	    W, H, c->id, c->id, c->id);
	html_text(f, c->title);
	fprintf(f, "</title>\n<desc id=\"%s-d\">", c->id);
	if (c->n) {
		fprintf(f, WORD(c->loc, "%d dernières périodes, de ", "Last %d periods, "), c->n);
		html_text(f, c->labels[0]);
		fputs(WORD(c->loc, " à ", " to "), f);
		html_text(f, c->labels[c->n - 1]);
		fputs(". ", f);
	}
	if (lastp >= 0) {
		format_number(nb, sizeof(nb), last, c->decimals, c->loc);
		fprintf(f, WORD(c->loc, "Dernière valeur affichable" TYPO_NNBSP ": %s", "Latest value shown: %s"), nb);
		put_unit(f, c, nb);
		fputs(" (", f);
		html_text(f, c->labels[lastp]);
		fputs("). ", f);
		/* What it is read against, as the dashed line shows it to the
		 * eye (SPEC 16): a text alternative without it would leave out
		 * the comparison the chart exists for (WCAG 1.1.1). */
		if (c->expected && isfinite(c->expected[lastp])) {
			format_number(nb, sizeof(nb), c->expected[lastp],
			    figure_decimals(c->expected[lastp], c->decimals), c->loc);
			fprintf(f, WORD(c->loc, "Valeur attendue alors" TYPO_NNBSP ": %s", "Expected then: %s"),
			    nb);
			put_unit(f, c, nb);
			fputs(". ", f);
		}
	}
	if (c->has_warning) {
		format_number(nb, sizeof(nb), c->warning, c->decimals, c->loc);
		fprintf(f, WORD(c->loc, "Seuil de vigilance %s. ", "Warning threshold %s. "), nb);
	}
	if (c->has_critical) {
		format_number(nb, sizeof(nb), c->critical, c->decimals, c->loc);
		fprintf(f, WORD(c->loc, "Seuil critique %s. ", "Critical threshold %s. "), nb);
	}
	if (gaps)
		fprintf(f, WORD(c->loc, "%d période%s sans valeur affichable (masquée ou non "
		    "calculée).", "%d period%s without a value that can be shown (hidden "
		    "or not computed)."), gaps, gaps > 1 ? "s" : "");
	fputs("</desc>\n", f);

	/* Periods without a value: a hatched band, never a point. The hatch
	 * (#767676, 4.5:1 on white) tells the band from the plot area for
	 * eyes that a pale grey alone would not reach (WCAG 1.4.11). */
	if (gaps)
		fprintf(f, "<defs><pattern id=\"%s-hatch\" width=\"6\" height=\"6\" "
		    "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
		    "<rect class=\"gap-ground\" width=\"6\" height=\"6\"/>"
		    "<line class=\"hatch\" x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\"/>"
		    "</pattern></defs>\n", c->id);
	for (int i = 0; i < c->n; i++) {
		double half = c->n > 1 ? (X1 - X0) / (c->n - 1) / 2 : 10;
		double x0 = fmax(px(&fr, i) - half, X0), x1 = fmin(px(&fr, i) + half, X1);
		if (!isfinite(c->value[i]))
			fprintf(f, "<rect class=\"gap\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
			    "height=\"%.1f\" fill=\"url(#%s-hatch)\"/>\n", x0, Y0, x1 - x0,
			    Y1 - Y0, c->id);
	}
	/* Grid and y axis labels. */
	for (double t = fr.lo; t <= fr.hi + step / 2; t += step) {
		double y = py(&fr, t);
		format_number(nb, sizeof(nb), fabs(t) < step / 1e6 ? 0 : t, tick_dec, c->loc);
		fprintf(f, "<line class=\"%s\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>\n"
		    "<text class=\"axis\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
		    fabs(t) < step / 1e6 ? "zero" : "grid", X0, X1, y, y, X0 - 6, y + 4, nb);
	}
	/* Above the plot area, right of the tick labels: on a phone, where
	 * the texts grow (vigie.css), it would run into the top one. */
	if (c->axis_unit && *c->axis_unit) {
		fprintf(f, "<text class=\"axis unit\" x=\"%.1f\" y=\"%.1f\">", X0, Y0 - 4);
		html_text(f, c->axis_unit);
		fputs("</text>\n", f);
	}
	/* x labels: four or so, the last one included; every other one,
	 * counted from the last, is x-odd, which a phone's narrow screen
	 * leaves out (vigie.css): its larger texts would overlap. */
	for (int i = 0, k = c->n > 4 ? (c->n + 3) / 4 : 1; i < c->n; i++)
		if ((c->n - 1 - i) % k == 0)
		{
			fprintf(f, "<text class=\"axis%s\" x=\"%.1f\" y=\"%.1f\" "
			    "text-anchor=\"%s\">", (c->n - 1 - i) / k % 2 ? " x-odd" : "",
			    px(&fr, i), Y1 + 22,
			    i == c->n - 1 && c->n > 1 ? "end" : "middle");
			html_text(f, c->labels[i]);
			fputs("</text>\n", f);
		}
	threshold_labels(&fr, c, &lw, &lc);
	if (c->has_warning)
		threshold_line(f, &fr, c->warning, lw, "thr-warning",
		    WORD(c->loc, "vigilance", "warning"), c);
	if (c->has_critical)
		threshold_line(f, &fr, c->critical, lc, "thr-critical",
		    WORD(c->loc, "critique", "critical"), c);
	if (c->expected)
		series_path(f, &fr, c->expected, "expected");
	series_path(f, &fr, c->value, "value");
	for (int i = 0; i < c->n; i++) {
		if (!isfinite(c->value[i]))
			continue;
		format_number(nb, sizeof(nb), c->value[i], c->decimals, c->loc);
		fprintf(f, "<circle class=\"point\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\">"
		    "<title>", px(&fr, i), py(&fr, c->value[i]));
		html_text(f, c->labels[i]);
		fprintf(f, "%s%s</title></circle>\n", WORD(c->loc, TYPO_NNBSP ": ", ": "), nb);
	}
	fputs("</svg>\n", f);
}

void chart_axis_unit(const struct rule *r, char *buf, size_t size)
{
	const char *p;
	size_t n;

	buf[0] = '\0';
	for (size_t i = 0; i < r->nlabels; i++)
		if (!strcmp(r->labels[i].key, "unit")) {
			snprintf(buf, size, "%s", r->labels[i].value);
			return;
		}
	/* A rule that states what it observed is drawn by it (parts.c). */
	const char *key = r->observed && r->expected ? "{{observed}}" : "{{value}}";
	if (!r->summary || !(p = strstr(r->summary, key)))
		return;
	p += strlen(key);
	while (*p == ' ')
		p++;
	/* A word: "%", or letters (UTF-8 bytes count as letters) up to a
	 * space or punctuation. */
	if (*p == '%') {
		n = 1;
	} else {
		n = 0;
		while (p[n] && ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' &&
		    p[n] <= 'Z') || (unsigned char)p[n] >= 0x80 || p[n] == '(' ||
		    p[n] == ')'))
			n++;
	}
	/* A word that joins, not a unit (« {{observed}} sur 3 mois »). */
	static const char *const joins[] = { "sur", "contre", "par", "pour", "de",
		"du", "des", "en", "et", "ou", "à", "au", "aux", "over", "against",
		"per", "of", "in", "on", "for", "and", "or" };
	for (size_t k = 0; k < sizeof(joins) / sizeof(*joins); k++)
		if (n == strlen(joins[k]) && !strncmp(p, joins[k], n))
			return;
	if (n && n < size && (*p == '%' || (*p != '(' && *p != ')'))) {
		memcpy(buf, p, n);
		buf[n] = '\0';
	}
}

/* French words whose singular ends in -s too: "1 mois", never "1 moi". */
static const char *const fr_same[] = { "mois", "fois", "cas", "temps", "avis",
	"repas", "poids", "corps", "pays", "bras", "fils", "jus", "dos", "pas",
	"procès", "accès", "succès", "excès", "recours", "discours", "secours",
	"concours", "parcours", "cours", NULL };
static const char *const en_same[] = { "series", "species", "news", "bus", "gas",
	"yes", "means", "analysis", "basis", "crisis", NULL };

void chart_unit_for(const char *unit, const char *shown, enum locale loc,
    char *buf, size_t size)
{
	char num[64], *end;
	double v;
	size_t n, head;
	const char *const *same = loc == LOC_EN ? en_same : fr_same;

	snprintf(buf, size, "%s", unit ? unit : "");
	snprintf(num, sizeof(num), "%s", shown ? shown : "");
	for (char *p = num; *p; p++)
		if (*p == ',')
			*p = '.';
	v = strtod(num, &end);
	/* A number grouped by thousands (« 1 234 567 ») stops strtod at its
	 * first group: it is plural in both languages. */
	if (end == num || *end || !isfinite(v))
		return;
	v = fabs(v);
	/* French puts the singular under 2 ("0 conflit", "1,5 jour"),
	 * English only for one ("1 day", "0 days", "1.5 days"). */
	if (loc == LOC_EN ? v != 1 : v >= 2)
		return;
	/* The head noun only ("accidents du travail": "accident du
	 * travail"), a word of lowercase letters ending in a single -s;
	 * "h", "%", "incident(s)", "travaux" are left as they are. */
	head = strcspn(buf, " ");
	if (head < 3 || buf[head - 1] != 's' || buf[head - 2] == 's')
		return;
	for (n = 0; n < head; n++)
		if (!((buf[n] >= 'a' && buf[n] <= 'z') || (unsigned char)buf[n] >= 0x80 ||
		    buf[n] == '-'))
			return;
	for (size_t i = 0; same[i]; i++)
		if (strlen(same[i]) == head && !memcmp(buf, same[i], head))
			return;
	if (loc == LOC_EN && head >= 4 && !memcmp(buf + head - 3, "ies", 3)) {
		buf[head - 3] = 'y';
		memmove(buf + head - 2, buf + head, strlen(buf + head) + 1);
		return;
	}
	if (loc == LOC_EN && head >= 5 && buf[head - 2] == 'e' && (buf[head - 3] == 'x' ||
	    (buf[head - 3] == 's' && buf[head - 4] == 's') || (buf[head - 3] == 'h' &&
	    (buf[head - 4] == 'c' || buf[head - 4] == 's')))) {
		memmove(buf + head - 2, buf + head, strlen(buf + head) + 1);
		return;
	}
	memmove(buf + head - 1, buf + head, strlen(buf + head) + 1);
}
