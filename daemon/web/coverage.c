/* « Données reçues » under the import form (page_import.c, web_impl.h
 * put_coverage): whether every unit of the user's scopes has the latest
 * period, and the indicators they had that it lacks. Names only, never a
 * value. */
#include <stdio.h>
#include "vigie/store.h"
#include "vigie/typo.h"
#include "vigie/web_html.h"
#include "vigie/wording.h"
#include "web_impl.h"

#define LAGGING 20	/* units without the latest period listed, and
			 * indicators missing from it */
#define GAP_UNITS 5	/* units named for indicators missing */

/* A plural's s, as typo_plural agrees words. */
static const char *s_(const struct req *r, size_t n)
{
	return typo_plural((double)n, "", "s", r->loc);
}

/* A list of « Données reçues », LAGGING items at most: *n items so far.
 * Whether the next item is shown; the first opens the list under its
 * introduction, those past the limit are counted for list_end. */
struct list {
	size_t n, more;
};

static bool list_item(struct req *r, struct list *l, const char *cls, const char *intro)
{
	if (l->n == LAGGING) {
		l->more++;
		return false;
	}
	if (!l->n++)
		fprintf(r->out, "<p>%s</p>\n<ul class=\"%s\">\n", intro, cls);
	fputs("<li>", r->out);
	return true;
}

static void list_end(struct req *r, const struct list *l)
{
	if (l->n)
		fputs("</ul>\n", r->out);
	if (l->more)
		fprintf(r->out, WORD(r->loc, "<p>… et %zu autre%s.</p>\n",
		    "<p>… and %zu more.</p>\n"), l->more, s_(r, l->more));
}

/* The indicators that units of the user's scopes had and the latest
 * period lacks (store_gap): the rules that read them are undefined for
 * those units at that period (or, over a window, read it without that
 * period), a parent's sum leaves them out (SPEC 2's roll-up: the children
 * that have a value), and an import warns of it only once. */
static void put_gaps(struct req *r, const struct store_coverage *c)
{
	FILE *f = r->out;
	struct list l = { 0 };

	for (size_t i = 0; i < c->ngaps; i++) {
		const struct store_gap *g = &c->gaps[i];
		size_t seen = 0, named = 0;

		for (size_t u = 0; u < g->nunits; u++)
			seen += viewer_sees_unit(&r->who, g->units[u]);
		if (!seen || !list_item(r, &l, "gaps", WORD(r->loc,
		    "Indicateurs que des unités de votre périmètre avaient et qui "
		    "manquent à cette période (une colonne ou des cellules absentes "
		    "du fichier)" TYPO_NNBSP ": les signaux qui les lisent ne sont pas "
		    "calculés pour ces unités, ou le sont sans cette période, et les "
		    "totaux des unités qui les contiennent les omettent.",
		    "Indicators that units of your scope had and that this period "
		    "lacks (a column or cells missing from the file): the signals "
		    "that read them are not evaluated for these units, or are "
		    "evaluated without this period, and the totals of the units "
		    "above them leave them out.")))
			continue;
		for (size_t k = 0; k < g->nindicators; k++) {
			fputs(k ? ", <code>" : "<code>", f);
			html_text(f, g->indicators[k]);
			fputs("</code>", f);
		}
		fputs(WORD(r->loc, " (dernière valeur" TYPO_NNBSP ": ", " (latest value: "), f);
		put_period(r, g->last);
		fprintf(f, WORD(r->loc, ") pour %zu unité%s" TYPO_NNBSP ": ", ") for %zu unit%s: "),
		    seen, s_(r, seen));
		for (size_t u = 0; u < g->nunits && named < GAP_UNITS; u++) {
			if (!viewer_sees_unit(&r->who, g->units[u]))
				continue;
			if (named++)
				fputs(", ", f);
			html_text(f, g->units[u]);
		}
		if (seen > named)
			fprintf(f, WORD(r->loc, " et %zu autre%s", " and %zu more"),
			    seen - named, s_(r, seen - named));
		fputs("</li>\n", f);
	}
	list_end(r, &l);
}

/* Whether every unit of the user's scopes has the latest period: the
 * units without it (a row missing from the export, or a team that is no
 * more), as `vigie status` lists them, those of the scopes only. */
void put_coverage(struct req *r)
{
	FILE *f = r->out;
	int32_t latest = store_latest_period(r->st);
	struct store_coverage c;
	struct list l = { 0 };

	if (latest < 0 || store_coverage(r->st, latest, &c) != 0)
		return;
	fprintf(f, "<h2>%s</h2>\n<p>%s ", WORD(r->loc, "Données reçues", "Data received"),
	    WORD(r->loc, "Dernière période" TYPO_NNBSP ":", "Latest period:"));
	put_period(r, latest);
	fputs(".</p>\n", f);
	for (size_t i = 0; i < c.nlagging; i++) {
		if (!viewer_sees_unit(&r->who, c.lagging[i].unit) ||
		    !list_item(r, &l, "lagging", WORD(r->loc, "Unités de votre périmètre "
		    "sans cette période (une ligne manque au fichier, ou l'équipe n'existe "
		    "plus)" TYPO_NNBSP ":", "Units of your scope without this period (a "
		    "row missing from the file, or a team that is no more):")))
			continue;
		html_text(f, c.lagging[i].unit);
		fputs(WORD(r->loc, ", dernière période" TYPO_NNBSP ": ", ", latest period: "), f);
		put_period(r, c.lagging[i].latest);
		fputs("</li>\n", f);
	}
	list_end(r, &l);
	if (!l.n)
		fprintf(f, "<p>%s</p>\n", WORD(r->loc, "Toutes les unités de votre "
		    "périmètre ont cette période.", "Every unit of your scope has this period."));
	put_gaps(r, &c);
	store_coverage_free(&c);
}
