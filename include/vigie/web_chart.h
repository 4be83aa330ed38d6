/* The console's charts (daemon/web/chart.c): one rule's value over the last
 * periods of a unit as an inline SVG drawn on the server, against its
 * thresholds, with the expected value where the rule states one, a zero
 * line and the unit of measure on the axis. A period without a value
 * (hidden under the anonymity floor, SPEC 3, or missing) is a gap, never a
 * point: the chart draws only what it is given. No script, no style
 * attribute: the console's stylesheet colours it by class. */
#ifndef VIGIE_WEB_CHART_H
#define VIGIE_WEB_CHART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "vigie/rules.h"

struct chart {
	int n;				/* periods, oldest first */
	const char *const *labels;	/* their names ("2026-10") */
	const double *value;		/* n values; NAN: no value */
	const double *expected;		/* n values or NULL; NAN: none */
	bool has_warning, has_critical;
	double warning, critical;
	const char *axis_unit;		/* "%", "jours"...; NULL or "": none */
	int decimals;			/* of the rule's numbers */
	enum locale loc;
	const char *title;		/* the chart's accessible name */
	const char *id;			/* unique in the page: "c1", "c2"... */
};

/* Writes <svg ...>...</svg> with a <title> and a <desc> that say in words
 * what it shows. */
void chart_svg(FILE *f, const struct chart *c);
/* The unit of measure of a rule's values for the axis: its label "unit"
 * when it has one, else the word its summary writes right after {{value}}
 * ("Absentéisme de {{value}} % sur 3 mois" gives "%"), or after
 * {{observed}} for a rule with observed: and expected:, whose chart draws
 * them ("{{observed}} h par salarié" gives "h"); "" when neither says.
 * Written into buf. */
void chart_axis_unit(const struct rule *r, char *buf, size_t size);
/* That unit as it reads after the number shown (as written, "1,5"):
 * its head noun in the singular where the locale wants it, under 2 in
 * French ("1,5 jour", "0 conflit", "1 accident du travail"), for 1 only in
 * English; an abbreviation, "%", "incident(s)" or a word that keeps its
 * -s ("mois") unchanged. Written into buf. */
void chart_unit_for(const char *unit, const char *shown, enum locale loc,
    char *buf, size_t size);

#endif
