/* The first page of the console: the user's active alerts, grouped by
 * unit, units with a critical alert first (then by path), inside a unit the
 * most severe first; filters by severity, follow-up state and rule theme
 * (a plain GET form, no script); 25 units a page, fewer when they hold
 * more than about 100 alerts. Only units of the user's scopes and rules
 * that notify their role are taken from the alert snapshot; values are the
 * ones the evaluation recorded (hidden below the anonymity floor).
 * The follow-up filter « résolues sans issue » lists instead the resolved
 * alerts whose outcome nobody recorded (they count in the works council's
 * report once closed), by the severity their episode reached, inside a
 * unit the latest resolution first; the unfiltered list links to it in one
 * line when the user has any. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/lifecycle.h"
#include "vigie/log.h"
#include "vigie/store_silences.h"
#include "vigie/typo.h"
#include "vigie/unit.h"
#include "vigie/web_html.h"
#include "vigie/wording.h"
#include "vigie/xalloc.h"
#include "web_impl.h"
#include "masked.h"
#include "notyet.h"

struct group {
	size_t from, to;		/* in the matched index */
	enum severity max;
};

static void alert_row(struct req *r, const struct dataset *d,
    const struct console_alert *a, uint32_t ri, const struct silence *sv, size_t ns)
{
	const struct rule *ru = &r->site->rs->rules[ri];
	struct console_alert now;
	struct engine_point pt = alert_seen(r, d, a, ri, &now);
	FILE *f = r->out;

	fprintf(f, "<tr><td data-label=\"%s\">", WORD(r->loc, "Gravité", "Severity"));
	put_severity(r, a->severity);
	fprintf(f, "</td><td data-label=\"%s\"><a href=\"", WORD(r->loc, "Signal", "Signal"));
	alert_link(f, a->rule, a->unit);
	fputs("\">", f);
	html_text(f, ru->title);
	/* The cell's label (a phone writes it before the cell) says which
	 * of the column's two it holds. */
	fprintf(f, "</a></td><td data-label=\"%s\">", ru->observed && ru->expected ?
	    WORD(r->loc, "Observé", "Observed") : WORD(r->loc, "Valeur", "Value"));
	/* Observed against expected, never an opaque score (SPEC 16). */
	if (!isnan(pt.observed) && !isnan(pt.expected)) {
		put_value(r, pt.observed, figure_decimals(pt.observed, ru->decimals), NULL);
		fputs(WORD(r->loc, " <span class=\"thr\">(attendu ",
		    " <span class=\"thr\">(expected "), f);
		put_value(r, pt.expected, figure_decimals(pt.expected, ru->decimals), NULL);
		fputs(")</span>", f);
	} else {
		put_alert_value(r, &now, ru->decimals, r->site->axis[ri]);
	}
	/* A rule that states observed and expected has its thresholds on a
	 * score the page does not show: none beside its hidden value. */
	if (isnan(pt.observed) && !isnan(a->threshold) && !(ru->observed && ru->expected)) {
		fputs(WORD(r->loc, " <span class=\"thr\">(seuil ", " <span class=\"thr\">(threshold "), f);
		put_value(r, a->threshold, ru->decimals, NULL);
		fputs(")</span>", f);
	}
	/* Fading, not current: the list says so as the alert's page does. */
	if (alert_held(ru, a, pt.value))
		fprintf(f, "<br><span class=\"thr\">%s</span>", WORD(r->loc,
		    "maintenue, en baisse", "still active, easing"));
	fprintf(f, "</td><td data-label=\"%s\">", WORD(r->loc, "Depuis", "Since"));
	if (a->since >= 0)
		put_period(r, a->since);
	else
		fputs("-", f);
	/* What is new with the latest data, at a glance (a digest is sent
	 * only when something changed). */
	if (d && d->s && a->since >= 0 && a->since == d->s->p0 + d->s->np - 1)
		fprintf(f, "<br><span class=\"thr\">%s</span>", WORD(r->loc,
		    "nouvelle", "new"));
	fprintf(f, "</td><td data-label=\"%s\">", WORD(r->loc, "Suivi", "Follow-up"));
	put_followup(r, a);
	/* Why no email came: a silence holds it (its page says until when). */
	if (d && d->s && lifecycle_silenced(sv, ns, a->rule, a->unit,
	    d->s->p0 + d->s->np - 1))
		fprintf(f, "<br><span class=\"thr\">%s</span>", WORD(r->loc,
		    "notifications suspendues", "notifications held"));
	/* Or an alert that covers it: its emails come inside that one's. */
	put_covered_by(r, ru, a->unit, true);
	fputs("</td></tr>\n", f);
}

/* A resolved alert without an outcome: the severity its episode reached,
 * its page, since when and when it resolved, and whether someone took it
 * in charge (closing it, on its page, records the outcome). */
static void unrecorded_row(struct req *r, const struct console_alert *a, uint32_t ri)
{
	FILE *f = r->out;

	fprintf(f, "<tr><td data-label=\"%s\">", WORD(r->loc, "Gravité atteinte",
	    "Severity reached"));
	if (a->severity != SEV_NONE)
		put_severity(r, a->severity);
	else
		fputs("-", f);
	fprintf(f, "</td><td data-label=\"%s\"><a href=\"", WORD(r->loc, "Signal", "Signal"));
	alert_link(f, a->rule, a->unit);
	fputs("\">", f);
	html_text(f, r->site->rs->rules[ri].title);
	fprintf(f, "</a></td><td data-label=\"%s\">", WORD(r->loc, "Depuis", "Since"));
	if (a->since >= 0)
		put_period(r, a->since);
	else
		fputs("-", f);
	fprintf(f, "</td><td data-label=\"%s\">", WORD(r->loc, "Résolue en", "Resolved in"));
	if (a->period >= 0)
		put_period(r, a->period);
	else
		fputs("-", f);
	fprintf(f, "</td><td data-label=\"%s\">", WORD(r->loc, "Suivi", "Follow-up"));
	if (a->taken_by)
		put_followup(r, a);
	else
		fprintf(f, "<span class=\"fu fu-open\">%s</span>", WORD(r->loc, "ouverte", "open"));
	fputs("</td></tr>\n", f);
}

/* What a page of alerts shows for one selection (scopes, role, filters):
 * computed once per alert snapshot and kept in its memo, since at 10,000
 * teams walking every alert for every request would cost more than the
 * page itself. */
struct alert_view {
	const struct console_alert *rows;	/* the snapshot's active alerts,
					 * or its resolved ones without an
					 * outcome (ST_UNRECORDED) */
	size_t *idx;		/* matched rows, group after group */
	uint32_t *ri;		/* their rules' indices */
	struct group *groups;	/* units with a critical alert, then the others */
	size_t n, ngroups, ncrit;
	size_t *pages;		/* first group of each page, and ngroups */
	size_t npages;
	size_t unrecorded;	/* unfiltered: the user's resolved alerts
				 * without an outcome, to link to */
};

void alert_view_free(void *p)
{
	struct alert_view *v = p;

	free(v->idx);
	free(v->ri);
	free(v->groups);
	free(v->pages);
	free(v);
}

static struct alert_view *view_compute(struct req *r, const struct alertset *as,
    const struct filters *fl)
{
	const struct ruleset *rs = r->site->rs;
	struct alert_view *v = xcalloc(1, sizeof(*v));
	struct group *warn;
	bool *rule_ok = xcalloc(rs->n + 1, sizeof(*rule_ok));
	bool unrec = fl->state == ST_UNRECORDED;
	const struct console_alert *rowv = unrec ? as->u->v : as->v;
	size_t nrows = unrec ? as->u->n : as->n, nwarn = 0, rows;

	for (size_t i = 0; i < rs->n; i++)
		rule_ok[i] = viewer_sees_rule(&r->who, r->site->cfg, &rs->rules[i]) &&
		    (!fl->theme || (r->site->theme[i] && !strcmp(r->site->theme[i], fl->theme)));
	warn = xcalloc(nrows + 1, sizeof(*warn));
	v->rows = rowv;
	v->idx = xcalloc(nrows + 1, sizeof(*v->idx));
	v->ri = xcalloc(nrows + 1, sizeof(*v->ri));
	v->groups = xcalloc(nrows + 1, sizeof(*v->groups));
	for (size_t i = 0, j; i < nrows; i = j) {
		struct group g = { .from = v->n };

		for (j = i; j < nrows && !strcmp(rowv[j].unit, rowv[i].unit); j++)
			;
		if (!viewer_sees_unit(&r->who, rowv[i].unit))
			continue;
		/* Critical first inside the unit: two passes; resolved ones
		 * in one, the latest resolution first (their order). */
		for (int pass = 0; pass < (unrec ? 1 : 2); pass++)
			for (size_t k = i; k < j; k++) {
				const struct console_alert *a = &rowv[k];
				uint32_t x;
				if (!unrec && (a->severity == SEV_CRITICAL) != (pass == 0))
					continue;
				if (!site_rule(r->site, a->rule, &x) || !rule_ok[x] ||
				    (fl->sev != SEV_NONE && a->severity != fl->sev) ||
				    !alerts_state_matches(a, fl->state, r->acct.name) ||
				    (fl->site && !unit_is_under(a->unit, fl->site)) ||
				    (unrec && !may_close(r, a)))
					continue;
				if (a->severity > g.max)
					g.max = a->severity;
				v->ncrit += a->severity == SEV_CRITICAL;
				v->ri[v->n] = x;
				v->idx[v->n++] = k;
			}
		g.to = v->n;
		if (g.to > g.from) {
			if (g.max == SEV_CRITICAL)
				v->groups[v->ngroups++] = g;
			else
				warn[nwarn++] = g;
		}
	}
	memcpy(v->groups + v->ngroups, warn, nwarn * sizeof(*warn));
	v->ngroups += nwarn;
	/* Kept in the memo: no bigger than what matched. */
	v->idx = xreallocarray(v->idx, v->n + 1, sizeof(*v->idx));
	v->ri = xreallocarray(v->ri, v->n + 1, sizeof(*v->ri));
	v->groups = xreallocarray(v->groups, v->ngroups + 1, sizeof(*v->groups));
	/* Pages of WEB_UNITS_PER_PAGE units, or fewer when they hold more
	 * than WEB_ROWS_PER_PAGE alerts (one unit at least). */
	v->pages = xcalloc(v->ngroups + 2, sizeof(*v->pages));
	rows = 0;
	for (size_t g = 0, units = 0; g < v->ngroups; g++) {
		size_t len = v->groups[g].to - v->groups[g].from;
		if (units && (units == WEB_UNITS_PER_PAGE || rows + len > WEB_ROWS_PER_PAGE)) {
			v->pages[v->npages++] = g;
			units = rows = 0;
		}
		if (units == 0 && v->npages == 0)
			v->pages[v->npages++] = 0;
		units++;
		rows += len;
	}
	v->pages[v->npages] = v->ngroups;
	/* The unfiltered list says how many resolved alerts wait for
	 * their outcome (rule_ok is then every rule of the role). */
	for (size_t i = 0, j; fl->state == ST_ALL && fl->sev == SEV_NONE && !fl->theme &&
	    !fl->site &&
	    i < as->u->n; i = j) {
		const struct console_alert *u = as->u->v;
		bool seen = viewer_sees_unit(&r->who, u[i].unit);
		for (j = i; j < as->u->n && !strcmp(u[j].unit, u[i].unit); j++) {
			uint32_t x;
			if (seen && site_rule(r->site, u[j].rule, &x) && rule_ok[x] &&
			    may_close(r, &u[j]))
				v->unrecorded++;
		}
	}
	free(warn);
	free(rule_ok);
	return v;
}

/* The selection for this request: from the snapshot's memo, or computed
 * (and kept when there is room). *owned is set when the caller frees it. */
static struct alert_view *view_get(struct req *r, struct alertset *as,
    const struct filters *fl, bool *owned)
{
	char *key, *scopes = xstrdup(""), *t;
	struct alert_view *v, *got;

	for (size_t i = 0; i < r->who.nscopes; i++) {
		t = xasprintf("%s%s\n", scopes, r->who.scopes[i]);
		free(scopes);
		scopes = t;
	}
	key = xasprintf("%u|%s|%s|%d|%d|%s|%s|%s", r->site->serial, r->who.role, scopes,
	    (int)fl->sev, (int)fl->state, fl->theme ? fl->theme : "",
	    fl->state == ST_MINE ? r->acct.name : "", fl->site ? fl->site : "");
	free(scopes);
	*owned = false;
	if (!(v = memo_get(&as->views, key))) {
		v = view_compute(r, as, fl);
		got = memo_put(&as->views, key, v);
		if (got != v) {
			if (got) {
				alert_view_free(v);
				v = got;
			} else {
				*owned = true;
			}
		}
	}
	free(key);
	return v;
}

/* When the console keeps only the latest resolved alerts: says so. */
static void more_note(struct req *r, const struct alertset *as)
{
	_Static_assert(WEB_UNRECORDED_MAX == 20000, "the words say 20 000");
	if (as->u->more)
		fputs(WORD(r->loc, " Seules les 20" TYPO_NNBSP "000 alertes résolues les plus récentes "
		    "de l'entreprise sont examinées.", " Only the company's 20,000 latest resolved "
		    "alerts are looked at."), r->out);
}

/* Under the unfiltered list's summary: the user's resolved alerts that
 * wait for their outcome, as a link to them. */
static void unrecorded_line(struct req *r, size_t n, bool more)
{
	FILE *f = r->out;

	fputs("<p class=\"unrecorded\"><a href=\"/?state=unrecorded\">", f);
	if (more)
		fputs(WORD(r->loc, "Au moins ", "At least "), f);
	if (r->loc == LOC_EN)
		fprintf(f, "%zu resolved alert%s", n, n > 1 ? "s await their" : " awaits its");
	else
		fprintf(f, "%zu alerte%s", n, n > 1 ? "s résolues attendent leur" :
		    " résolue attend son");
	fprintf(f, " %s</a></p>\n", WORD(r->loc, "issue", "outcome"));
}

void page_alerts(struct req *r)
{
	struct alertset *as = alerts_ref(r);
	struct dataset *d = as ? data_ref(r) : NULL;
	struct alert_view *v;
	struct filters fl;
	struct silence *sv = NULL;
	size_t ns = 0;
	FILE *f = r->out;
	bool owned, unrec;
	long page;

	if (!as) {
		page_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL);
		return;
	}
	alerts_read_filters(r, &fl);
	unrec = fl.state == ST_UNRECORDED;
	if (!unrec && store_silences_load(r->st, &sv, &ns) != 0) {
		log_err("cannot read the silences: %s", store_errmsg(r->st));
		sv = NULL;
		ns = 0;
	}
	v = view_get(r, as, &fl, &owned);
	page = fl.page <= (long)v->npages ? fl.page : (long)(v->npages ? v->npages : 1);

	/* Each page of a long list is a page of its own to the browser's
	 * tabs and history (WCAG 2.4.2). */
	/* A filtered list says so where it is read first: its title; so does
	 * a taking over, before it. */
	bool filtered = fl.sev != SEV_NONE || fl.state != ST_ALL || fl.theme || fl.site;
	const char *took = takeover_done(r, as);
	if (took)
		title_said(r, took);
	const char *name = filtered ? WORD(r->loc, "Mes alertes (filtrées)",
	    "My alerts (filtered)") : WORD(r->loc, "Mes alertes", "My alerts");
	if (v->npages > 1) {
		char *title = xasprintf(WORD(r->loc, "%s%s — page %ld sur %zu",
		    "%s%s — page %ld of %zu"), title_prefix(r), name, page, v->npages);
		page_begin(r, title);
		free(title);
	} else {
		char *title = xasprintf("%s%s", title_prefix(r), name);
		page_begin(r, title);
		free(title);
	}
	fprintf(f, "<h1>%s</h1>\n", WORD(r->loc, "Mes alertes", "My alerts"));
	put_done(r, took);
	alerts_filter_form(r, as, &fl);
	if (filtered) {
		fprintf(f, "<p class=\"hint\">%s", WORD(r->loc, "Liste filtrée (",
		    "A filtered list ("));
		alerts_put_criteria(r, &fl);
		fprintf(f, ")%s <a href=\"/\">%s</a></p>\n", WORD(r->loc, TYPO_NNBSP "; voir",
		    "; see"), WORD(r->loc, "toutes vos alertes", "all your alerts"));
	}
	if (v->ngroups == 0 && unrec) {
		fprintf(f, "<p class=\"summary\">%s", WORD(r->loc, "Aucune alerte résolue sans "
		    "issue ne correspond dans votre périmètre.", "No alert resolved with no outcome "
		    "matches in your scope."));
		more_note(r, as);
		fputs("</p>\n", f);
	} else if (v->ngroups == 0) {
		/* « ne correspond » only under a filter: without one, it would
		 * suggest a filter hides them. */
		fprintf(f, "<p class=\"summary\">%s</p>\n", filtered ? WORD(r->loc,
		    "Aucune alerte active ne correspond dans votre périmètre.",
		    "No active alert matches in your scope.") : WORD(r->loc, "Aucune alerte "
		    "active dans votre périmètre.", "No active alert in your scope."));
	} else {
		const char *pa = v->n > 1 ? "s" : "", *pu = v->ngroups > 1 ? "s" : "";

		/* Words that agree with their numbers (French: 1 is singular). */
		if (r->loc == LOC_EN)
			fprintf(f, "<p class=\"summary\">%zu %salert%s%s in %zu unit%s",
			    v->n, unrec ? "" : "active ", pa, unrec ? " resolved with no outcome" :
			    "", v->ngroups, pu);
		else
			fprintf(f, "<p class=\"summary\">%zu alerte%s %s%s%s dans %zu unité%s",
			    v->n, pa, unrec ? "résolue" : "active", pa, unrec ? " sans issue" : "",
			    v->ngroups, pu);
		if (v->ncrit == 0)
			fputs(WORD(r->loc, ", aucune critique.", ", none critical."), f);
		else if (r->loc == LOC_EN)
			fprintf(f, ", %zu of them critical.", v->ncrit);
		else
			fprintf(f, ", dont %zu critique%s.", v->ncrit, v->ncrit > 1 ? "s" : "");
		if (v->npages > 1)
			fprintf(f, WORD(r->loc, " Page %ld sur %zu.", " Page %ld of %zu."), page,
			    v->npages);
		if (unrec)
			more_note(r, as);
		fputs("</p>\n", f);
	}
	if (v->unrecorded > 0)
		unrecorded_line(r, v->unrecorded, as->u->more);
	if (!unrec) {
		put_history_short(r, d);
		put_hidden_short(r, d);
	}
	for (size_t k = v->npages ? v->pages[page - 1] : 0;
	    v->npages && k < v->pages[page]; k++) {
		const struct group *g = &v->groups[k];
		const char *unit = v->rows[v->idx[g->from]].unit;

		fprintf(f, "<section class=\"unit\" aria-labelledby=\"u%zu\">\n"
		    "<h2 id=\"u%zu\"><a href=\"/units/", k, k);
		html_url(f, unit, true);
		fputs("\">", f);
		html_text(f, unit);
		fprintf(f, "</a></h2>\n<table class=\"alerts\">\n<caption class=\"visually-hidden\">%s ",
		    WORD(r->loc, "Alertes de", "Alerts for"));
		html_text(f, unit);
		fprintf(f, "</caption>\n<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "</tr></thead>\n<tbody>\n", unrec ? WORD(r->loc, "Gravité atteinte",
		    "Severity reached") : WORD(r->loc, "Gravité", "Severity"),
		    WORD(r->loc, "Signal", "Signal"), unrec ? WORD(r->loc, "Depuis", "Since") :
		    WORD(r->loc, "Observé ou valeur", "Observed or value"), unrec ? WORD(r->loc, "Résolue en",
		    "Resolved in") : WORD(r->loc, "Depuis", "Since"), WORD(r->loc, "Suivi",
		    "Follow-up"));
		for (size_t m = g->from; m < g->to; m++)
			if (unrec)
				unrecorded_row(r, &v->rows[v->idx[m]], v->ri[m]);
			else
				alert_row(r, d, &v->rows[v->idx[m]], v->ri[m], sv, ns);
		fputs("</tbody>\n</table>\n</section>\n", f);
	}
	if (v->npages > 1) {
		fprintf(f, "<nav class=\"pages\" aria-label=\"%s\">", WORD(r->loc, "Pages", "Pages"));
		if (page > 1)
			alerts_page_link(r, &fl, page - 1, WORD(r->loc, "Unités précédentes",
			    "Previous units"), "prev");
		if (page < (long)v->npages)
			alerts_page_link(r, &fl, page + 1, WORD(r->loc, "Unités suivantes",
			    "Next units"), "next");
		fputs("</nav>\n", f);
	}
	if (!unrec)
		put_takeover_form(r, as);
	page_end(r);
	if (owned)
		alert_view_free(v);
	store_silences_free(sv, ns);
	data_unref(r->w, d);
	alerts_unref(r->w, as);
	free(fl.site);
}
