/* The filters of the list of alerts (web_impl.h): severity, follow-up
 * (« prises en charge par moi » among them), theme and site, read from the
 * query and written back in the page links; the form that sets them, a
 * plain GET, folded unless a filter is on. */
#include <stdlib.h>
#include <string.h>
#include "vigie/unit.h"
#include "vigie/web_html.h"
#include "vigie/wording.h"
#include "vigie/xalloc.h"
#include "web_impl.h"

bool alerts_state_matches(const struct console_alert *a, enum state_filter s,
    const char *me)
{
	switch (s) {
	case ST_OPEN: return (!a->taken_by && !a->closed_by) || worse_since_closed(a);
	case ST_TAKEN: return a->taken_by && !a->closed_by;
	case ST_MINE: return a->taken_by && !a->closed_by && !strcmp(a->taken_by, me);
	case ST_CLOSED: return a->closed_by != NULL;
	default: return true;	/* ST_UNRECORDED: the rows are those */
	}
}

void alerts_read_filters(struct req *r, struct filters *f)
{
	const char *s = query(r, "severity"), *st = query(r, "state"), *t = query(r, "theme");
	const char *p = query(r, "page");

	const char *u = query(r, "site");

	f->sev = s && !strcmp(s, "critical") ? SEV_CRITICAL : s && !strcmp(s, "warning") ?
	    SEV_WARNING : SEV_NONE;
	f->state = !st ? ST_ALL : !strcmp(st, "open") ? ST_OPEN : !strcmp(st, "taken") ?
	    ST_TAKEN : !strcmp(st, "mine") ? ST_MINE : !strcmp(st, "closed") ? ST_CLOSED :
	    !strcmp(st, "unrecorded") ? ST_UNRECORDED : ST_ALL;
	/* A site of the user's: one of the list's own (site_options). */
	f->site = u && *u && strlen(u) <= UNIT_MAX_BYTES && !strchr(u, '*') &&
	    viewer_sees_unit(&r->who, u) ? xstrdup(u) : NULL;
	f->theme = NULL;
	for (size_t i = 0; t && i < r->site->nthemes; i++)
		if (!strcmp(t, r->site->themes[i]))
			f->theme = r->site->themes[i];
	f->page = p ? strtol(p, NULL, 10) : 1;
	if (f->page < 1 || f->page > 1000000)
		f->page = 1;
}

/* The follow-up states, by enum state_filter: the query's word and the
 * form's. */
static const struct { const char *id, *fr, *en; } states[] = {
	[ST_ALL] = { "", "tous", "all" },
	[ST_OPEN] = { "open", "ouvertes", "open" },
	[ST_TAKEN] = { "taken", "prises en charge", "acknowledged" },
	[ST_MINE] = { "mine", "prises en charge par moi", "acknowledged by me" },
	[ST_CLOSED] = { "closed", "clôturées", "closed" },
	[ST_UNRECORDED] = { "unrecorded", "résolues sans issue", "resolved, no outcome" },
};

void alerts_put_criteria(struct req *r, const struct filters *fl)
{
	FILE *f = r->out;
	const char *sep = "";

	if (fl->sev != SEV_NONE)
		fprintf(f, "%s%s %s", sep, WORD(r->loc, "gravité", "severity"),
		    wording_severity(fl->sev == SEV_CRITICAL ? "critical" : "warning",
		    r->loc)), sep = "; ";
	if (fl->state != ST_ALL)
		fprintf(f, "%s%s %s", sep, WORD(r->loc, "suivi", "follow-up"),
		    WORD(r->loc, states[fl->state].fr, states[fl->state].en)), sep = "; ";
	if (fl->theme) {
		fprintf(f, "%s%s ", sep, WORD(r->loc, "thème", "theme"));
		html_text(f, wording_theme(fl->theme, r->loc));
		sep = "; ";
	}
	if (fl->site) {
		fprintf(f, "%s%s ", sep, WORD(r->loc, "site", "site"));
		html_text(f, fl->site);
	}
}

static void option(FILE *f, const char *value, const char *label, bool selected)
{
	fputs("<option value=\"", f);
	html_attr(f, value);
	fprintf(f, "\"%s>", selected ? " selected" : "");
	html_text(f, label);
	fputs("</option>", f);
}

/* The sites (a unit's first two segments) of the active alerts the user
 * sees, sorted, distinct: the choices of the list's site filter. */
static size_t site_options(struct req *r, const struct alertset *as, char ***out)
{
	char **v = xcalloc(as->n + 1, sizeof(*v));
	size_t n = 0;

	for (size_t i = 0; i < as->n; i++) {
		const char *u = as->v[i].unit, *s = strchr(u, '/');
		size_t len = s && (s = strchr(s + 1, '/')) ? (size_t)(s - u) : strlen(u);
		if (!strchr(u, '/') || !viewer_sees_unit(&r->who, u) ||
		    (n && strlen(v[n - 1]) == len && !strncmp(v[n - 1], u, len)))
			continue;
		v[n++] = xstrndup(u, len);
	}
	qsort(v, n, sizeof(*v), web_cmp_str);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (k && !strcmp(v[k - 1], v[i])) {
			free(v[i]);
			continue;
		}
		v[k++] = v[i];
	}
	*out = v;
	return k;
}

void alerts_filter_form(struct req *r, const struct alertset *as, const struct filters *fl)
{
	FILE *f = r->out;
	char **sites;
	size_t nsites = site_options(r, as, &sites);

	/* Folded unless a filter is on: on a phone the form, stacked, would
	 * fill the first screen, where the most severe alert belongs. */
	bool on = fl->sev != SEV_NONE || fl->state != ST_ALL || fl->theme || fl->site;
	fprintf(f, "<details class=\"filters\"%s><summary>%s</summary>\n"
	    "<form method=\"get\" action=\"/\">\n<fieldset>\n"
	    "<legend>%s</legend>\n<p><label for=\"f-sev\">%s</label>\n"
	    "<select id=\"f-sev\" name=\"severity\">", on ? " open" : "",
	    WORD(r->loc, "Filtrer les alertes", "Filter the alerts"),
	    WORD(r->loc, "Critères", "Criteria"), WORD(r->loc, "Gravité", "Severity"));
	option(f, "", WORD(r->loc, "toutes", "all"), fl->sev == SEV_NONE);
	option(f, "critical", wording_severity("critical", r->loc), fl->sev == SEV_CRITICAL);
	option(f, "warning", wording_severity("warning", r->loc), fl->sev == SEV_WARNING);
	fprintf(f, "</select></p>\n<p><label for=\"f-state\">%s</label>\n"
	    "<select id=\"f-state\" name=\"state\">", WORD(r->loc, "Suivi", "Follow-up"));
	option(f, "", WORD(r->loc, "tous", "all"), fl->state == ST_ALL);
	for (size_t k = 1; k < sizeof(states) / sizeof(*states); k++)
		option(f, states[k].id, WORD(r->loc, states[k].fr, states[k].en),
		    fl->state == (enum state_filter)k);
	fprintf(f, "</select></p>\n<p><label for=\"f-theme\">%s</label>\n"
	    "<select id=\"f-theme\" name=\"theme\">", WORD(r->loc, "Thème", "Theme"));
	option(f, "", WORD(r->loc, "tous", "all"), !fl->theme);
	for (size_t i = 0; i < r->site->nthemes; i++)
		option(f, r->site->themes[i], wording_theme(r->site->themes[i], r->loc),
		    fl->theme == r->site->themes[i]);
	fputs("</select></p>\n", f);
	/* A site, when the user's alerts are on several. */
	if (nsites > 1 || fl->site) {
		fprintf(f, "<p><label for=\"f-site\">%s</label>\n<select id=\"f-site\" "
		    "name=\"site\">", WORD(r->loc, "Site", "Site"));
		option(f, "", WORD(r->loc, "tous", "all"), !fl->site);
		for (size_t i = 0; i < nsites; i++)
			option(f, sites[i], sites[i], fl->site && !strcmp(fl->site, sites[i]));
		if (fl->site && !bsearch(&fl->site, sites, nsites, sizeof(*sites), web_cmp_str))
			option(f, fl->site, fl->site, true);
		fputs("</select></p>\n", f);
	}
	for (size_t i = 0; i < nsites; i++)
		free(sites[i]);
	free(sites);
	fprintf(f, "<p><button type=\"submit\">%s</button></p>\n"
	    "</fieldset>\n</form>\n</details>\n", WORD(r->loc, "Filtrer", "Filter"));
}

/* The query of this page with another page number. */
void alerts_page_link(struct req *r, const struct filters *fl, long page,
    const char *label, const char *rel)
{
	FILE *f = r->out;

	fprintf(f, "<a rel=\"%s\" href=\"/?page=%ld", rel, page);
	if (fl->sev != SEV_NONE)
		fprintf(f, "&amp;severity=%s", severity_name(fl->sev));
	if (fl->state != ST_ALL)
		fprintf(f, "&amp;state=%s", states[fl->state].id);
	if (fl->theme) {
		fputs("&amp;theme=", f);
		html_url(f, fl->theme, false);
	}
	if (fl->site) {
		fputs("&amp;site=", f);
		html_url(f, fl->site, false);
	}
	fputs("\">", f);
	html_text(f, label);
	fputs("</a>", f);
}
