/* The console's SVG charts (daemon/web/chart.c, SPEC 3 and 14): a period
 * without a value is a gap — no point, no line through it —, the
 * thresholds, the zero line and the unit of measure are drawn, and every
 * text is escaped. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/web_chart.h"

static const char *labels[6] = { "2026-05", "2026-06", "2026-07", "2026-08", "2026-09",
    "2026-10" };

__attribute__((noinline)) static char *render(const struct chart *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	chart_svg(f, c);
	fclose(f);
	return buf;
}

static size_t count(const char *s, const char *what)
{
	size_t n = 0;

	for (const char *p = s; (p = strstr(p, what)); p++)
		n++;
	return n;
}

/* The x of every vertex of every polyline of class cls. */
static size_t vertices(const char *svg, const char *cls, double *xs, size_t max)
{
	char open[64];
	size_t n = 0;

	snprintf(open, sizeof(open), "<polyline class=\"%s\" points=\"", cls);
	for (const char *p = svg; (p = strstr(p, open)); ) {
		p += strlen(open);
		while (*p != '"' && n < max) {
			char *end;
			xs[n++] = strtod(p, &end);
			p = strchr(end, ' ') && strchr(end, ' ') < strchr(end, '"') ?
			    strchr(end, ' ') + 1 : strchr(end, '"');
		}
	}
	return n;
}

/* The x of each <circle class="point">. */
static size_t points(const char *svg, double *xs, size_t max)
{
	size_t n = 0;

	for (const char *p = svg; (p = strstr(p, "<circle class=\"point\" cx=\"")) && n < max; p++)
		xs[n++] = strtod(p + strlen("<circle class=\"point\" cx=\""), NULL);
	return n;
}

Test(chart, hidden_periods_are_gaps_never_points)
{
	double v[6] = { 4.2, NAN, 6.1, 7.5, NAN, 9.8 }, xs[32], ps[32];
	struct chart c = { .n = 6, .labels = labels, .value = v, .has_warning = true,
	    .warning = 6, .has_critical = true, .critical = 9, .axis_unit = "%",
	    .decimals = 1, .loc = LOC_FR, .title = "Absentéisme", .id = "c1" };
	char *svg = render(&c);
	size_t nv = vertices(svg, "value", xs, 32), np = points(svg, ps, 32);
	double step = (ps[np - 1] - ps[0]) / 5;

	cr_assert_eq(np, 4, "one point per value shown:\n%s", svg);
	cr_expect_eq(count(svg, "<rect class=\"gap\""), 2, "one band per hidden period");
	/* Hatched with a line dark enough to see (WCAG 1.4.11), once per chart. */
	cr_expect_eq(count(svg, "<pattern id=\"c1-hatch\""), 1, "%s", svg);
	cr_expect_eq(count(svg, "fill=\"url(#c1-hatch)\""), 2, "%s", svg);
	cr_expect_not_null(strstr(svg, "<line class=\"hatch\""), "%s", svg);
	/* Only 6.1-7.5 is a run of two: the line never spans a gap. */
	cr_assert_eq(nv, 2, "%s", svg);
	cr_expect_float_eq(xs[0], ps[0] + 2 * step, 0.11);
	cr_expect_float_eq(xs[1], ps[0] + 3 * step, 0.11);
	for (size_t i = 0; i < np; i++) {
		cr_expect(fabs(ps[i] - (ps[0] + step)) > 1, "no point at the first gap");
		cr_expect(fabs(ps[i] - (ps[0] + 4 * step)) > 1, "no point at the second gap");
	}
	cr_expect_not_null(strstr(svg, "2 périodes sans valeur affichable (masquée ou non calculée)"));
	cr_expect_not_null(strstr(svg, "Dernière valeur affichable\xe2\x80\xaf: 9,8 % (2026-10)"));
	cr_expect_null(strstr(svg, "attendue"), "no expected value where there is none");
	free(svg);
	/* In English the percent sign follows the number, as the report
	 * writes it. */
	c.loc = LOC_EN;
	svg = render(&c);
	cr_expect_not_null(strstr(svg, "Latest value shown: 9.8% (2026-10)"), "%s", svg);
	free(svg);
}

Test(chart, thresholds_zero_line_and_unit_are_drawn)
{
	double v[6] = { 1, 2, 3, 2, 1, 2 }, e[6] = { 1.5, 1.5, 1.5, 1.5, 1.5, 1.5 };
	struct chart c = { .n = 6, .labels = labels, .value = v, .expected = e,
	    .has_warning = true, .warning = 6, .has_critical = true, .critical = 9,
	    .axis_unit = "jours", .decimals = 1, .loc = LOC_FR, .title = "t", .id = "c2" };
	char *svg = render(&c);

	/* Thresholds far above the values are still inside the frame. */
	cr_expect_not_null(strstr(svg, "<line class=\"thr-warning\""));
	cr_expect_not_null(strstr(svg, ">vigilance 6</text>"));
	cr_expect_not_null(strstr(svg, "<line class=\"thr-critical\""));
	cr_expect_not_null(strstr(svg, ">critique 9</text>"));
	cr_expect_eq(count(svg, "<line class=\"zero\""), 1);
	cr_expect_not_null(strstr(svg, "<text class=\"axis unit\""));
	cr_expect_not_null(strstr(svg, ">jours</text>"));
	cr_expect_eq(count(svg, "<polyline class=\"expected\""), 1);
	cr_expect_not_null(strstr(svg, "role=\"img\" aria-labelledby=\"c2-t c2-d\""));
	/* Its text alternative gives what the latest value is read against. */
	cr_expect_not_null(strstr(svg, "Dernière valeur affichable\xe2\x80\xaf: 2 jours (2026-10). "
	    "Valeur attendue alors\xe2\x80\xaf: 1,5 jour. "), "%s", svg);
	cr_expect_null(strstr(svg, "style="), "no style attribute: the CSP forbids them");
	free(svg);
}

/* The baseline of the label that follows tag ("<text class=\"thr-label thr-warning\"). */
static double label_y(const char *svg, const char *cls)
{
	char tag[96];
	const char *t;

	snprintf(tag, sizeof(tag), "<text class=\"thr-label %s\"", cls);
	t = strstr(svg, tag);
	cr_assert_not_null(t, "%s", cls);
	return strtod(strstr(t, " y=\"") + 4, NULL);
}

/* Two thresholds close together: their labels are a phone's line apart,
 * not one over the other; far apart, each sits just above its line. */
Test(chart, close_thresholds_labels_do_not_overlap)
{
	double v[6] = { 1, 2, 3, 2, 1, 2 };
	struct chart c = { .n = 6, .labels = labels, .value = v, .has_warning = true,
	    .has_critical = true, .decimals = 1, .loc = LOC_FR, .title = "t", .id = "c5" };
	char *svg;
	double w, k;

	/* Rules above (critical over warning) and below, the pair anywhere
	 * from the top of the frame to the values, one to four tenths of the
	 * range apart: the labels never closer than a phone's line, and
	 * inside the frame. */
	for (int below = 0; below < 2; below++)
		for (double top = 3; top <= 12; top += 0.5)
			for (double d = 0; d <= 0.4 * top; d += 0.1 * top) {
				c.critical = below ? top - d : top;
				c.warning = below ? top : top - d;
				svg = render(&c);
				w = label_y(svg, "thr-warning");
				k = label_y(svg, "thr-critical");
				cr_expect_geq(fabs(w - k), 25.9, "critical %g warning %g: %g %g",
				    c.critical, c.warning, k, w);
				cr_expect_geq(fmin(w, k), 17.9, "critical %g warning %g: %g %g",
				    c.critical, c.warning, k, w);
				free(svg);
			}
	/* Far apart, each sits just above its line. */
	c.warning = 2;
	c.critical = 9;
	svg = render(&c);
	cr_expect_eq(label_y(svg, "thr-warning"), strtod(strstr(strstr(svg,
	    "<line class=\"thr-warning\""), "y1=\"") + 4, NULL) - 5);
	cr_expect_eq(label_y(svg, "thr-critical"), strtod(strstr(strstr(svg,
	    "<line class=\"thr-critical\""), "y1=\"") + 4, NULL) - 5);
	free(svg);
}

Test(chart, negative_values_put_the_zero_line_inside)
{
	double v[6] = { -2, -1, 0, 1, 2, 3 };
	struct chart c = { .n = 6, .labels = labels, .value = v, .decimals = 1,
	    .loc = LOC_EN, .title = "slope", .id = "c3" };
	char *svg = render(&c);
	const char *z, *tick;
	double yz, ybottom = 0;

	z = strstr(svg, "<line class=\"zero\"");
	cr_assert_not_null(z);
	yz = strtod(strstr(z, "y1=\"") + 4, NULL);
	/* The lowest grid line (the last "grid" before the labels) is below it. */
	for (tick = svg; (tick = strstr(tick, "<line class=\"grid\"")); tick++) {
		double y = strtod(strstr(tick, "y1=\"") + 4, NULL);
		if (y > ybottom)
			ybottom = y;
	}
	cr_expect_gt(ybottom, yz, "zero is inside the frame");
	cr_expect_not_null(strstr(svg, "Latest value shown: 3 (2026-10)"));
	free(svg);
}

Test(chart, texts_are_escaped)
{
	double v[6] = { 1, 2, 3, 4, 5, 6 };
	struct chart c = { .n = 6, .labels = labels, .value = v, .decimals = 0,
	    .axis_unit = "<b>", .loc = LOC_FR, .title = "<script>alert(1)</script>",
	    .id = "c4" };
	char *svg = render(&c);

	cr_expect_null(strstr(svg, "<script>"));
	cr_expect_not_null(strstr(svg, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	cr_expect_null(strstr(svg, "<b>"));
	free(svg);
}

Test(chart, all_hidden_draws_no_point)
{
	double v[6] = { NAN, NAN, NAN, NAN, NAN, NAN };
	struct chart c = { .n = 6, .labels = labels, .value = v, .has_warning = true,
	    .warning = 6, .decimals = 1, .loc = LOC_FR, .title = "t", .id = "c5" };
	char *svg = render(&c);

	cr_expect_eq(count(svg, "<circle"), 0);
	cr_expect_eq(count(svg, "<polyline"), 0);
	cr_expect_null(strstr(svg, "Dernière valeur"));
	cr_expect_eq(count(svg, "<rect class=\"gap\""), 6);
	free(svg);
}

Test(chart, axis_unit_from_the_label_or_the_summary)
{
	struct label lab = { "unit", "jours" };
	struct rule r = { .summary = "Absentéisme de {{value}} % sur 3 mois" };
	char b[32];

	chart_axis_unit(&r, b, sizeof(b));
	cr_expect_str_eq(b, "%");
	r.summary = "Durée moyenne de {{value}} jours sur 3 mois";
	chart_axis_unit(&r, b, sizeof(b));
	cr_expect_str_eq(b, "jours");
	r.summary = "{{value}} incident(s) de violence";
	chart_axis_unit(&r, b, sizeof(b));
	cr_expect_str_eq(b, "incident(s)");
	r.summary = "un tel nombre n'arrive qu'une fois sur {{value}} (seuil)";
	chart_axis_unit(&r, b, sizeof(b));
	cr_expect_str_eq(b, "");
	/* A rule that states what it observed is drawn by it: the word after
	 * {{observed}}, not after {{value}} (a probability here). */
	static char any;
	r.summary = "{{observed}} h par salarié, contre {{expected}} h ({{value}})";
	r.observed = r.expected = (struct expr *)(void *)&any;
	chart_axis_unit(&r, b, sizeof(b));
	cr_expect_str_eq(b, "h");
	/* A word that joins is no unit. */
	r.summary = "{{observed}} sur 3 mois, contre {{expected}} d'habitude";
	chart_axis_unit(&r, b, sizeof(b));
	cr_expect_str_eq(b, "");
	r.summary = "{{observed}} h par salarié, contre {{expected}} h ({{value}})";
	r.observed = r.expected = NULL;
	chart_axis_unit(&r, b, sizeof(b));
	cr_expect_str_eq(b, "");
	r.summary = NULL;
	chart_axis_unit(&r, b, sizeof(b));
	cr_expect_str_eq(b, "");
	r.labels = &lab;
	r.nlabels = 1;
	chart_axis_unit(&r, b, sizeof(b));
	cr_expect_str_eq(b, "jours", "the label wins");
}

static const char *unit_for(const char *unit, const char *nb, enum locale loc)
{
	static char b[64];

	chart_unit_for(unit, nb, loc, b, sizeof(b));
	return b;
}

Test(chart, unit_agrees_with_the_number)
{
	cr_expect_str_eq(unit_for("conflits", "1", LOC_FR), "conflit");
	cr_expect_str_eq(unit_for("conflits", "0", LOC_FR), "conflit");
	cr_expect_str_eq(unit_for("jours", "1,5", LOC_FR), "jour");
	cr_expect_str_eq(unit_for("jours", "-1,9", LOC_FR), "jour");
	cr_expect_str_eq(unit_for("jours", "2", LOC_FR), "jours");
	cr_expect_str_eq(unit_for("jours", "12,5", LOC_FR), "jours");
	cr_expect_str_eq(unit_for("accidents du travail", "1", LOC_FR),
	    "accident du travail");
	cr_expect_str_eq(unit_for("mois", "1", LOC_FR), "mois");
	cr_expect_str_eq(unit_for("travaux", "1", LOC_FR), "travaux");
	cr_expect_str_eq(unit_for("incident(s)", "1", LOC_FR), "incident(s)");
	cr_expect_str_eq(unit_for("%", "1", LOC_FR), "%");
	cr_expect_str_eq(unit_for("h", "1", LOC_FR), "h");
	cr_expect_str_eq(unit_for("days", "1", LOC_EN), "day");
	cr_expect_str_eq(unit_for("days", "0", LOC_EN), "days");
	cr_expect_str_eq(unit_for("days", "1.5", LOC_EN), "days");
	cr_expect_str_eq(unit_for("injuries", "1", LOC_EN), "injury");
	cr_expect_str_eq(unit_for("boxes", "1", LOC_EN), "box");
	cr_expect_str_eq(unit_for("cases", "1", LOC_EN), "case");
	cr_expect_str_eq(unit_for("series", "1", LOC_EN), "series");
	cr_expect_str_eq(unit_for("jours", "valeur", LOC_FR), "jours");
	/* grouped by thousands: plural, not read as its first group */
	cr_expect_str_eq(unit_for("jours", "1\xe2\x80\xaf" "234\xe2\x80\xaf" "567", LOC_FR),
	    "jours");
}
