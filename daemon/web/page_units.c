/* The list of the units a user may see, to reach one that has no alert
 * (its history, a note): the units of the data under the user's scopes,
 * and those of the active alerts the user sees, as links to their pages,
 * in one section per site (a path's first two segments, the report's
 * level), nested as the hierarchy goes. It shows no figure at all, not
 * even a count (SPEC 3): a unit below the anonymity floor is listed by its
 * name, as its page and its parent's sub-units list it. A unit with an
 * active alert says so, with its worst severity, filtered as the alerts
 * page filters (the unit in scope, the rule notifying the user's role: the
 * social service's rules are not HR's). */
#include <stdlib.h>
#include <string.h>
#include "vigie/typo.h"
#include "vigie/unit.h"
#include "vigie/web_html.h"
#include "vigie/wording.h"
#include "vigie/xalloc.h"
#include "web_impl.h"

struct listed {
	const char *path;
	enum severity sev;	/* of an active alert the user sees, or SEV_NONE */
};

/* Paths in the hierarchy's order: '/' before any character of a segment,
 * so that "a/b/c" comes before "a/b-c" and a unit's descendants follow it. */
static int cmp_listed(const void *a, const void *b)
{
	const unsigned char *x = (const void *)((const struct listed *)a)->path;
	const unsigned char *y = (const void *)((const struct listed *)b)->path;

	for (; *x && *x == *y; x++, y++)
		;
	return (*x == '/' ? 1 : *x) - (*y == '/' ? 1 : *y);
}

/* The length of the path of the site of unit p: its first two segments. */
static size_t site_len(const char *p)
{
	const char *s = strchr(p, '/');

	s = s ? strchr(s + 1, '/') : NULL;
	return s ? (size_t)(s - p) : strlen(p);
}

static bool is_ancestor(const char *a, const char *p)
{
	size_t n = strlen(a);

	return !strncmp(a, p, n) && p[n] == '/';
}

static void item(struct req *r, const struct listed *u)
{
	FILE *f = r->out;

	fputs("<li><a href=\"/units/", f);
	html_url(f, u->path, true);
	fputs("\">", f);
	html_text(f, u->path);
	fputs("</a>", f);
	if (u->sev != SEV_NONE) {
		fputs(WORD(r->loc, " — alerte active" TYPO_NNBSP ": ", " — active alert: "), f);
		put_severity(r, u->sev);
	}
}

/* The units of v[0..n), of one site, as nested lists. */
static void site_list(struct req *r, const struct listed *v, size_t n)
{
	const char *open[UNIT_MAX_SEGMENTS];
	bool nested[UNIT_MAX_SEGMENTS];
	size_t depth = 0;
	FILE *f = r->out;

	fputs("<ul class=\"units\">\n", f);
	/* Each unit opened is a descendant of the one below it, and a path
	 * has 16 segments at most: the bound only guards the arrays. */
	for (size_t i = 0; i < n; i++) {
		while (depth && (!is_ancestor(open[depth - 1], v[i].path) ||
		    depth == UNIT_MAX_SEGMENTS))
			fputs(nested[--depth] ? "</ul></li>\n" : "</li>\n", f);
		if (depth && !nested[depth - 1]) {
			fputs("\n<ul>\n", f);
			nested[depth - 1] = true;
		}
		item(r, &v[i]);
		open[depth] = v[i].path;
		nested[depth++] = false;
	}
	while (depth)
		fputs(nested[--depth] ? "</ul></li>\n" : "</li>\n", f);
	fputs("</ul>\n", f);
}

void page_units(struct req *r)
{
	struct alertset *as = alerts_ref(r);
	struct dataset *d = as ? data_ref(r) : NULL;
	struct listed *v;
	size_t n = 0, m = 0, k = 0;
	FILE *f = r->out;

	if (!d) {
		page_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL);
		alerts_unref(r->w, as);
		return;
	}
	v = xcalloc((d->s ? d->s->nunits : 0) + as->n + 1, sizeof(*v));
	for (uint32_t u = 0; d->s && u < d->s->nunits; u++)
		if (viewer_sees_unit(&r->who, d->s->units[u]))
			v[n++] = (struct listed){ d->s->units[u], SEV_NONE };
	for (size_t i = 0; i < as->n; i++)
		if (sees_alert(r, as->v[i].rule, as->v[i].unit))
			v[n++] = (struct listed){ as->v[i].unit, as->v[i].severity };
	qsort(v, n, sizeof(*v), cmp_listed);
	/* One entry a unit, with the worst severity of its alerts. */
	for (size_t i = 0; i < n; i++) {
		if (m && !strcmp(v[m - 1].path, v[i].path)) {
			if (v[i].sev > v[m - 1].sev)
				v[m - 1].sev = v[i].sev;
		} else {
			v[m++] = v[i];
		}
	}

	page_begin(r, WORD(r->loc, "Mes unités", "My units"));
	fprintf(f, "<h1>%s</h1>\n<p class=\"summary\">%s</p>\n", WORD(r->loc, "Mes unités",
	    "My units"), m ? WORD(r->loc, "Les unités de votre périmètre, par site, avec ou "
	    "sans alerte active. La page d'une unité donne ses signaux, son historique et ses "
	    "notes.", "The units of your scope, by site, with or without an active alert. A "
	    "unit's page gives its signals, its history and its notes.") :
	    WORD(r->loc, "Aucune unité dans votre périmètre.", "No unit in your scope."));
	for (size_t i = 0, j; i < m; i = j, k++) {
		size_t len = site_len(v[i].path);
		char *site = xstrndup(v[i].path, len);

		for (j = i; j < m && site_len(v[j].path) == len &&
		    !strncmp(v[j].path, site, len); j++)
			;
		fprintf(f, "<section aria-labelledby=\"site%zu\">\n<h2 id=\"site%zu\">", k, k);
		html_text(f, site);
		fputs("</h2>\n", f);
		site_list(r, v + i, j - i);
		fputs("</section>\n", f);
		free(site);
	}
	page_end(r);
	free(v);
	data_unref(r->w, d);
	alerts_unref(r->w, as);
}
