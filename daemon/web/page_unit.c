/* A unit's page: every signal of the unit that the user's role receives —
 * its alert if any, its latest value against its thresholds and a chart of
 * the last 24 periods computed by the engine (hidden periods are gaps) —,
 * the unit's notes for the role, its sub-units in scope and its history.
 * A unit outside the user's scopes is 404, as one that does not exist. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "vigie/log.h"
#include "vigie/store_followup.h"
#include "vigie/typo.h"
#include "vigie/unit.h"
#include "vigie/web_html.h"
#include "vigie/wording.h"
#include "vigie/xalloc.h"
#include "web_impl.h"
#include "masked.h"
#include "notyet.h"
#include "renamed.h"

static bool unit_ok(struct req *r, const char *unit)
{
	size_t pos;

	return !unit_path_check(unit, strlen(unit), &pos) &&
	    viewer_sees_unit(&r->who, unit);
}

static void breadcrumb(struct req *r, const char *unit)
{
	FILE *f = r->out;
	size_t len = strlen(unit);

	fprintf(f, "<nav class=\"crumbs\" aria-label=\"%s\"><ol>",
	    WORD(r->loc, "Unités parentes", "Parent units"));
	for (size_t i = 0; i < len; i++) {
		if (unit[i] != '/')
			continue;
		char *p = xstrndup(unit, i);
		fputs("<li>", f);
		if (viewer_sees_unit(&r->who, p)) {
			fputs("<a href=\"/units/", f);
			html_url(f, p, true);
			fputs("\">", f);
			html_text(f, strrchr(p, '/') ? strrchr(p, '/') + 1 : p);
			fputs("</a>", f);
		} else {
			html_text(f, strrchr(p, '/') ? strrchr(p, '/') + 1 : p);
		}
		fputs("</li>", f);
		free(p);
	}
	fputs("<li aria-current=\"page\">", f);
	html_text(f, strrchr(unit, '/') ? strrchr(unit, '/') + 1 : unit);
	fputs("</li></ol></nav>\n", f);
}

/* qsort_r's order of indicator indices by name. */
static int cmp_name(const void *a, const void *b, void *names)
{
	char *const *n = names;

	return strcmp(n[*(const uint32_t *)a], n[*(const uint32_t *)b]);
}

/* What the unit's latest period lacks, which its signals' « non calculée »
 * alone does not say: any data (a team missing from the month's file), or
 * indicators it had in the year before (period_per_year: what `vigie
 * status` calls missing), each with its latest period. A parent's figure
 * is its children's sum, so it lacks one only when they all do. Names
 * only, never a value. */
static void put_unit_gaps(struct req *r, const struct series *s, uint32_t u)
{
	FILE *f = r->out;
	int32_t latest = s->p0 + s->np - 1, year = period_per_year(s->gran);
	uint32_t *k = xcalloc(s->nind ? s->nind : 1, sizeof(*k));
	int32_t *last = xcalloc(s->nind ? s->nind : 1, sizeof(*last));
	size_t n = 0;

	if (s->last[u] >= 0 && s->last[u] < latest) {
		fprintf(f, "<p class=\"gaps\">%s ", WORD(r->loc, "Cette unité n'a pas de "
		    "données pour", "This unit has no data for"));
		put_period(r, latest);
		fprintf(f, " (%s ", WORD(r->loc, "les dernières" TYPO_NNBSP ":",
		    "the latest:"));
		put_period(r, s->last[u]);
		fprintf(f, ")%s</p>\n", WORD(r->loc, TYPO_NNBSP ": ses signaux n'y sont pas "
		    "calculés.", ": its signals are not evaluated there."));
		goto out;
	}
	for (uint32_t i = 0; i < s->nind; i++) {
		int32_t p = latest - 1;

		if (!isnan(series_get(s, u, i, latest)))
			continue;
		while (p >= latest - year && isnan(series_get(s, u, i, p)))
			p--;
		if (p >= latest - year)
			last[i] = p, k[n++] = i;
	}
	qsort_r(k, n, sizeof(*k), cmp_name, s->inds);
	for (size_t i = 0; i < n; i++) {
		if (i == 0) {
			fprintf(f, "<p class=\"gaps\">%s ", WORD(r->loc, "Il manque à",
			    "Missing from"));
			put_period(r, latest);
			fputs(WORD(r->loc, TYPO_NNBSP ": ", ": "), f);
		} else
			fputs(", ", f);
		fputs("<code>", f);
		html_text(f, s->inds[k[i]]);
		fprintf(f, "</code> (%s ", WORD(r->loc, "dernière valeur" TYPO_NNBSP ":",
		    "latest value:"));
		put_period(r, last[k[i]]);
		fputs(")", f);
	}
	if (n)
		fprintf(f, "%s</p>\n", WORD(r->loc, TYPO_NNBSP "; les signaux qui les lisent "
		    "ne sont pas calculés à cette période, ou le sont sans elle.",
		    "; the signals that read them are not evaluated at this period, or "
		    "are evaluated without it."));
out:
	free(k);
	free(last);
}

/* A unit whose figures are hidden at the latest period (SPEC 3: under the
 * floor, or beside a smaller team) is not watched: no rule can fire on it,
 * and its signals read « Pas d'alerte active » as a quiet team's would.
 * Said at the top, since when, without a figure. */
static void put_unit_hidden(struct req *r, const struct dataset *d, uint32_t u)
{
	const struct series *s = d->s;
	int32_t hc = series_indicator(s, "headcount"), latest = s->p0 + s->np - 1, p;
	FILE *f = r->out;

	if (hc < 0 || isnan(series_get(s, u, (uint32_t)hc, latest)) ||
	    !cells_hidden(d->cells, u, (uint32_t)hc, latest))
		return;
	for (p = latest; p > s->p0 && cells_hidden(d->cells, u, (uint32_t)hc, p - 1) &&
	    !isnan(series_get(s, u, (uint32_t)hc, p - 1)); p--)
		;
	fprintf(f, "<p class=\"gaps\">%s ", WORD(r->loc, "Cette unité n'est pas "
	    "surveillée depuis", "This unit is not watched since"));
	put_period(r, p);
	fprintf(f, "%s</p>\n", WORD(r->loc, TYPO_NNBSP ": ses chiffres sont masqués (trop "
	    "peu de personnes, ou une équipe voisine trop petite, dont ils "
	    "trahiraient les chiffres), et aucune règle ne peut s'y déclencher tant "
	    "qu'ils le sont. Ils comptent dans ceux de l'unité au-dessus.", ": its "
	    "figures are hidden (too few people, or a neighbouring team too small, "
	    "whose figures they would give away), and no rule can fire on it while "
	    "they are. They count in those of the unit above."));
}

/* Rules to show, the active alerts first (critical, then warning), then
 * the others in rule-file order. */
struct signal {
	uint32_t rule;
	const struct console_alert *alert;	/* or NULL */
	int rank;
};

static int cmp_signal(const void *a, const void *b)
{
	const struct signal *x = a, *y = b;

	if (x->rank != y->rank)
		return y->rank - x->rank;
	return x->rule < y->rule ? -1 : x->rule > y->rule;
}

/* "Seuils : vigilance > 6, critique > 9." of rule ru (in French, a narrow
 * no-break space before the colon, typo.h). */
static void put_thresholds(struct req *r, const struct rule *ru)
{
	FILE *f = r->out;
	char nb[64];

	if (ru->has_warning) {
		format_number(nb, sizeof(nb), ru->warning, ru->decimals, r->loc);
		fprintf(f, WORD(r->loc, "Seuils" TYPO_NNBSP ": vigilance %s %s", "Thresholds: warning %s %s"),
		    ru->below ? "&lt;" : "&gt;", nb);
	}
	if (ru->has_critical) {
		format_number(nb, sizeof(nb), ru->critical, ru->decimals, r->loc);
		fprintf(f, WORD(r->loc, "%scritique %s %s", "%scritical %s %s"),
		    ru->has_warning ? ", " : WORD(r->loc, "Seuil" TYPO_NNBSP ": ", "Threshold: "),
		    ru->below ? "&lt;" : "&gt;", nb);
	}
	fputc('.', f);
}

static void signal_block(struct req *r, struct dataset *d, int32_t ui,
    const struct signal *sg, int n)
{
	const struct rule *ru = &r->site->rs->rules[sg->rule];
	const struct console_alert *a = sg->alert;
	FILE *f = r->out;

	fprintf(f, "<article class=\"signal\" aria-labelledby=\"s%d\">\n<h3 id=\"s%d\">", n, n);
	if (a) {
		fputs("<a href=\"", f);
		alert_link(f, a->rule, a->unit);
		fputs("\">", f);
		html_text(f, ru->title);
		fputs("</a>", f);
	} else {
		html_text(f, ru->title);
	}
	fputs("</h3>\n<p class=\"state\">", f);
	if (a && a->active) {
		fputs(WORD(r->loc, "Alerte active" TYPO_NNBSP ": ", "Active alert: "), f);
		put_severity(r, a->severity);
		fputs(" — ", f);
		put_followup(r, a);
	} else {
		if (!put_history_unit(r, d, sg->rule, ui) &&
		    !put_hidden_unit(r, d, sg->rule, ui))
			fputs(WORD(r->loc, "Pas d'alerte active.", "No active alert."), f);
		/* The last one, resolved: how it was followed up, or that its
		 * outcome is still to be written down (it counts in the works
		 * council's report). */
		if (a && !a->retired && a->closed_by) {
			fputs(WORD(r->loc, " La dernière alerte" TYPO_NNBSP ": ", " The last alert: "), f);
			put_followup(r, a);
			fputc('.', f);
		} else if (a && !a->retired) {
			fputs(WORD(r->loc, " La dernière alerte, résolue, n'a pas d'issue consignée"
			    TYPO_NNBSP ": <a href=\"", " The last alert, resolved, has no outcome "
			    "recorded: <a href=\""), f);
			alert_link(f, a->rule, a->unit);
			/* Another role's case: its follow-up, not a form. */
			fprintf(f, "#followup\">%s</a>.", may_close(r, a) ?
			    WORD(r->loc, "la clôturer", "close it") :
			    WORD(r->loc, "son suivi", "its follow-up"));
		}
	}
	fputs("</p>\n<p class=\"thresholds\">", f);
	if (ru->observed && ru->expected) {
		/* Its thresholds are on a score the page does not show. */
		fputs(WORD(r->loc, "Le graphique montre l'observé et l'attendu" TYPO_NNBSP "; l'alerte "
		    "se déclenche quand l'écart est trop grand pour être dû au hasard.",
		    "The chart shows what was observed and what was expected; the alert "
		    "fires when the gap is too large to be chance."), f);
	} else {
		put_thresholds(r, ru);
	}
	fputs("</p>\n", f);
	if (d->s && ui >= 0)
		put_chart(r, d, sg->rule, (uint32_t)ui);
	fputs("</article>\n", f);
}

/* ",id,id," of the rules the viewer sees: the history lists their events
 * only, WEB_EVENTS of them, not WEB_EVENTS of every rule's. */
static char *seen_rules(const struct req *r)
{
	const struct ruleset *rs = r->site->rs;
	size_t size = 2, n = 1;
	char *s;

	for (size_t i = 0; i < rs->n; i++)
		size += strlen(rs->rules[i].id) + 1;
	s = xmalloc(size);
	s[0] = ',';
	for (size_t i = 0; i < rs->n; i++)
		if (viewer_sees_rule(&r->who, r->site->cfg, &rs->rules[i])) {
			size_t k = strlen(rs->rules[i].id);

			memcpy(s + n, rs->rules[i].id, k);
			s[n + k] = ',';
			n += k + 1;
		}
	s[n] = '\0';
	return s;
}

/* Whether one of the alerts is of a rule in seen (seen_rules' list): a
 * unit without values answers for the alerts its reader may know of only,
 * else a page that exists would tell of another role's alert. */
static bool any_seen(const struct console_alert *al, size_t n, const char *seen)
{
	for (size_t i = 0; i < n; i++) {
		size_t k = strlen(al[i].rule);

		for (const char *p = seen; (p = strstr(p, al[i].rule)); p++)
			if (p[-1] == ',' && p[k] == ',')
				return true;
	}
	return false;
}

/* Whether unit, read as its reader may know of it, has a page: values in
 * d, or an alert of a rule the reader's role receives (al, the unit's
 * alerts; seen, seen_rules'), or a note of the role (nnotes). page_unit
 * answers 404 otherwise, and post_unit takes no note there: a form
 * answered 303 or 400 where the page is 404 would tell of another role's
 * alert on a team whose values went. */
static bool unit_known(const struct dataset *d, const char *unit,
    const struct console_alert *al, size_t nal, const char *seen, size_t nnotes)
{
	return (d->s && series_unit(d->s, unit) >= 0) || any_seen(al, nal, seen) ||
	    nnotes > 0;
}

/* Whether the user sees a unit under the unit ui. */
static bool sees_children(struct req *r, const struct series *s, int32_t ui)
{
	for (uint32_t k = s->child_off[ui]; k < s->child_off[ui + 1]; k++)
		if (viewer_sees_unit(&r->who, s->units[s->child_idx[k]]))
			return true;
	return false;
}

/* The page's sections, linked: on a phone, what a social worker comes for
 * between two appointments (the notifications held, the notes, the
 * history) is many screens down, below a chart per signal. */
static void put_contents(struct req *r, const struct dataset *d, int32_t ui)
{
	FILE *f = r->out;
	bool data = d->s && ui >= 0;

	fprintf(f, "<nav class=\"contents\" aria-label=\"%s\"><ul>\n"
	    "<li><a href=\"#signals\">%s</a></li>\n", WORD(r->loc, "Sur cette page",
	    "On this page"), WORD(r->loc, "Signaux", "Signals"));
	if (data && sees_children(r, d->s, ui))
		fprintf(f, "<li><a href=\"#children\">%s</a></li>\n", WORD(r->loc,
		    "Unités rattachées", "Sub-units"));
	if (data)
		fprintf(f, "<li><a href=\"#silences\">%s</a></li>\n", WORD(r->loc,
		    "Notifications suspendues", "Held notifications"));
	fprintf(f, "<li><a href=\"#notes\">%s</a></li>\n<li><a href=\"#history\">"
	    "%s</a></li>\n</ul></nav>\n", WORD(r->loc, "Notes", "Notes"),
	    WORD(r->loc, "Historique", "History"));
}

/* A unit's page that could not be read: 500, and why in the log (the
 * dataset's failure, d NULL, is logged where it is read). */
static void unit_read_failed(struct req *r, const struct dataset *d)
{
	if (d)
		log_err("cannot read the alerts and notes of a unit: %s",
		    store_errmsg(r->st));
	page_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL);
}

void page_unit(struct req *r, const char *unit)
{
	struct dataset *d = NULL;
	struct console_alert *al = NULL;
	struct console_event *ev = NULL;
	struct note *notes = NULL, *anotes = NULL;
	struct signal *sg = NULL;
	char *seen = NULL, *title;
	size_t nal = 0, nev = 0, nnotes = 0, nanotes = 0, nsg = 0;
	const struct ruleset *rs = r->site->rs;
	const char *done = query(r, "done");
	FILE *f = r->out;
	int32_t ui = -1;
	bool mine = false;

	if (!unit_ok(r, unit)) {
		if (!renamed_unit(r, unit))
			page_error(r, MHD_HTTP_NOT_FOUND, NULL);
		return;
	}
	seen = seen_rules(r);
	if (!(d = data_ref(r)) || store_console_alerts(r->st, unit, &al, &nal) != 0 ||
	    store_notes_list(r->st, r->who.role, 0, unit, &notes, &nnotes) != 0 ||
	    store_notes_on_alerts(r->st, r->who.role, unit, &anotes, &nanotes) != 0 ||
	    store_console_events(r->st, 0, unit, seen, WEB_EVENTS, &ev, &nev) != 0) {
		unit_read_failed(r, d);
		goto out;
	}
	if (d->s)
		ui = series_unit(d->s, unit);
	if (!unit_known(d, unit, al, nal, seen, nnotes)) {
		if (!renamed_unit(r, unit))
			page_error(r, MHD_HTTP_NOT_FOUND, NULL);
		goto out;
	}
	sg = xcalloc(rs->n + 1, sizeof(*sg));
	for (size_t i = 0; i < rs->n; i++) {
		const struct rule *ru = &rs->rules[i];
		const struct console_alert *a = NULL;

		if (!ru->enabled || !rule_in_scope(ru, unit) ||
		    !viewer_sees_rule(&r->who, r->site->cfg, ru))
			continue;
		for (size_t k = 0; k < nal; k++)
			if (!strcmp(al[k].rule, ru->id))
				a = &al[k];
		sg[nsg++] = (struct signal){ .rule = (uint32_t)i, .alert = a,
		    .rank = a && a->active ? (int)a->severity : 0 };
	}
	qsort(sg, nsg, sizeof(*sg), cmp_signal);

	/* Said when the notes hold one of the user's, not on the URL's word. */
	for (size_t i = 0; i < nnotes && !mine; i++)
		mine = !strcmp(notes[i].author, r->acct.name);
	/* Said in the section the redirect lands on (#notes, #silences). */
	if (done && !strcmp(done, "note") && mine)
		r->notes_done = WORD(r->loc, "Note enregistrée.", "Note saved.");
	else if (done && !strcmp(done, "note-deleted") && note_gone(r, NULL, unit, notes,
	    nnotes))
		r->notes_done = WORD(r->loc, "Note supprimée.", "Note deleted.");
	else if (done && (!strcmp(done, "silence") || !strcmp(done, "unsilence")) &&
	    d->s && ui >= 0)
		r->silences_done = silence_done(r, unit, d->s->p0 + d->s->np - 1,
		    !strcmp(done, "unsilence"));
	if (r->notes_done || r->silences_done)	/* and first in the title */
		title_said(r, r->notes_done ? r->notes_done : r->silences_done);
	title = xasprintf("%s%s", title_prefix(r), unit);
	page_begin(r, title);
	free(title);
	breadcrumb(r, unit);
	fputs("<h1>", f);
	html_text(f, unit);
	fputs("</h1>\n", f);
	put_contents(r, d, ui);
	if (d->s && ui >= 0) {
		fprintf(f, "<p class=\"summary\">%s ", WORD(r->loc, "Données jusqu'à",
		    "Data up to"));
		put_period(r, d->s->p0 + d->s->np - 1);
		fprintf(f, ". %s</p>\n", WORD(r->loc, "Une période sans valeur est "
		    "masquée (un mois que la règle y lit l'est" TYPO_NNBSP ": trop peu de "
		    "personnes, une équipe voisine trop petite, ou une seule personne qui "
		    "fait l'essentiel du chiffre, comme un long arrêt) ou non calculée "
		    "(données absentes, ou historique plus court que ce que la règle lit).",
		    "A period without a value is hidden (a month the rule reads there is: "
		    "too few people, a neighbouring team too small, or one person making "
		    "most of the figure, such as a long leave) or not computed (missing "
		    "data, or less history than the rule reads)."));
		put_unit_gaps(r, d->s, (uint32_t)ui);
		put_unit_hidden(r, d, (uint32_t)ui);
	}
	fprintf(f, "<section aria-labelledby=\"signals\">\n<h2 id=\"signals\">%s</h2>\n",
	    WORD(r->loc, "Signaux", "Signals"));
	if (nsg == 0)
		fprintf(f, "<p>%s</p>\n", WORD(r->loc, "Aucune règle de votre rôle ne porte "
		    "sur cette unité.", "No rule of your role covers this unit."));
	for (size_t i = 0; i < nsg; i++)
		signal_block(r, d, ui, &sg[i], (int)i + 1);
	fputs("</section>\n", f);
	if (d->s && ui >= 0) {
		const struct series *s = d->s;
		bool any = false;
		for (uint32_t k = s->child_off[ui]; k < s->child_off[ui + 1]; k++) {
			const char *c = s->units[s->child_idx[k]];
			if (!viewer_sees_unit(&r->who, c))
				continue;
			if (!any)
				fprintf(f, "<section aria-labelledby=\"children\">\n<h2 id=\"children\">"
				    "%s</h2>\n<ul class=\"children\">\n", WORD(r->loc,
				    "Unités rattachées", "Sub-units"));
			any = true;
			fputs("<li><a href=\"/units/", f);
			html_url(f, c, true);
			fputs("\">", f);
			html_text(f, c);
			fputs("</a></li>\n", f);
		}
		if (any)
			fputs("</ul>\n</section>\n", f);
	}
	if (d->s && ui >= 0)
		put_silences(r, unit, d->s->p0 + d->s->np - 1,
		    d->s->child_off[ui + 1] > d->s->child_off[ui]);
	put_notes(r, notes, nnotes, anotes, nanotes, "units", unit);
	fprintf(f, "<section aria-labelledby=\"history\">\n<h2 id=\"history\">%s</h2>\n",
	    WORD(r->loc, "Historique", "History"));
	put_events(r, d, unit, ev, nev, true);
	fputs("</section>\n", f);
	page_end(r);
out:
	free(sg);
	free(seen);
	console_alerts_free(al, nal);
	console_events_free(ev, nev);
	store_notes_free(notes, nnotes);
	store_notes_free(anotes, nanotes);
	data_unref(r->w, d);
}

void post_unit(struct req *r, const char *unit)
{
	char *action = field(r, "action"), *body = NULL, *enc, *seen = NULL;
	struct console_alert *al = NULL;
	struct note *notes = NULL;
	struct dataset *d = NULL;
	size_t nal = 0, nnotes = 0;

	if (!unit_ok(r, unit)) {
		page_error(r, MHD_HTTP_NOT_FOUND, NULL);
		goto out;
	}
	seen = seen_rules(r);
	if (!(d = data_ref(r)) || store_console_alerts(r->st, unit, &al, &nal) != 0 ||
	    store_notes_list(r->st, r->who.role, 0, unit, &notes, &nnotes) != 0) {
		unit_read_failed(r, d);
		goto out;
	}
	/* A unit that page_unit would not show takes no note. */
	if (!unit_known(d, unit, al, nal, seen, nnotes)) {
		page_error(r, MHD_HTTP_NOT_FOUND, NULL);
		goto out;
	}
	if (action && (!strcmp(action, "silence") || !strcmp(action, "unsilence")) &&
	    d->s && series_unit(d->s, unit) >= 0) {
		int32_t latest = d->s->p0 + d->s->np - 1;
		bool lift = !strcmp(action, "unsilence");
		int rc = post_silence(r, unit, latest, lift);

		if (rc < 0) {
			page_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL);
		} else if (rc > 0) {
			page_unit(r, unit);
		} else {
			enc = url_encode(unit, true);
			redirect(r, "/units/%s?done=%s#silences", enc, lift ? "unsilence" : "silence");
			free(enc);
		}
		goto out;
	}
	if (!action || strcmp(action, "note")) {
		page_error(r, MHD_HTTP_BAD_REQUEST, NULL);
		goto out;
	}
	if (!(body = note_body(r))) {
		/* The page again, its field saying why (note_field). */
		note_refused(r);
		page_unit(r, unit);
		goto out;
	}
	if (note_save(r, 0, unit, unit, body) != 0) {
		note_unsaved(r);
		page_unit(r, unit);
		goto out;
	}
	enc = url_encode(unit, true);
	redirect(r, "/units/%s?done=note#notes", enc);
	free(enc);
out:
	console_alerts_free(al, nal);
	store_notes_free(notes, nnotes);
	data_unref(r->w, d);
	free(seen);
	free(action);
	free(body);
}
