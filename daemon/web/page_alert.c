/* An alert's page and its follow-up (SPEC 14): what fired, where and when,
 * the value against its threshold (hidden below the anonymity floor), the
 * rule's guidance, the chart, who took it in charge and how it was closed
 * (followup_box.c), the role's notes and every event; and the POST actions — take in
 * charge (the record `vigie ack` writes), close with an outcome, correct
 * that outcome, add a note —, each in one transaction with its audit
 * entry, answered by a
 * redirect to the page (a reload never posts twice). A note has its own
 * page (page_note.c). Anything outside the user's scope is 404; an old
 * name, after vigie rename, leads to today's page (renamed.c). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "vigie/engine.h"
#include "vigie/log.h"
#include "vigie/report.h"
#include "vigie/store_alerts.h"
#include "vigie/store_followup.h"
#include "vigie/typo.h"
#include "vigie/web_html.h"
#include "vigie/wording.h"
#include "vigie/xalloc.h"
#include "followup_box.h"
#include "renamed.h"
#include "web_impl.h"

/* The alert named RULE@UNIT if the user may see it: 0 (a filled, *ri the
 * rule's index), 1 not found or not in scope, -1 store error. */
static int find_alert(struct req *r, const char *id, struct console_alert *a,
    uint32_t *ri)
{
	char *rule, *unit;
	int rc = 1;

	memset(a, 0, sizeof(*a));
	if (lifecycle_split_id(id, &rule, &unit) != 0)
		return 1;
	if (sees_alert(r, rule, unit) && site_rule(r->site, rule, ri) &&
	    (rc = store_console_alert(r->st, rule, unit, a)) < 0)
		log_err("cannot read an alert: %s", store_errmsg(r->st));
	free(rule);
	free(unit);
	return rc;
}

void alert_link(FILE *f, const char *rule, const char *unit)
{
	fputs("/alerts/", f);
	html_url(f, rule, true);
	fputc('@', f);
	html_url(f, unit, true);
}

/* The components of a combined rule at the alert's period (NAN where
 * undefined), and in *nmoved how many moved, as the digest counts them
 * (SPEC 16): defined and not zero; none said of a resolved alert, as the
 * digest of its resolution says none. NULL when there is none to say. */
static double *moved_terms(struct req *r, const struct dataset *d,
    const struct console_alert *a, uint32_t ri, size_t *nmoved)
{
	const struct rule *ru = &r->site->rs->rules[ri];
	double *comp;
	int32_t ui;

	*nmoved = 0;
	if (!a->active || !ru->ncomponents || !d || !d->s || a->period < 0 ||
	    (ui = series_unit(d->s, a->unit)) < 0)
		return NULL;
	comp = xcalloc(ru->ncomponents, sizeof(double));
	engine_terms(r->site->rs, d->s, d->cells, r->site->cfg->min_headcount, ri,
	    (uint32_t)ui, a->period, comp, NULL);
	for (size_t i = 0; i < ru->ncomponents; i++)
		*nmoved += rule_term_moved(comp[i]);
	return comp;
}

/* The indicators that moved, named as the digest names them. */
static void put_moved(struct req *r, const struct rule *ru, const double *comp,
    size_t nmoved)
{
	size_t k = 0;

	if (!nmoved)
		return;
	fprintf(r->out, "<dt>%s</dt><dd>", WORD(r->loc, "Indicateurs qui ont bougé",
	    "Indicators that moved"));
	for (size_t i = 0; i < ru->ncomponents; i++) {
		if (!rule_term_moved(comp[i]))
			continue;
		if (k++)
			fputs(", ", r->out);
		html_text(r->out, ru->components[i].label);
	}
	fputs("</dd>\n", r->out);
}

/* An episode older than its first event, which the history begins with:
 * the data showed it from its start, the first cycle that read them (a
 * history imported at once, late rows) only later. Said as the digests
 * say it. ev: newest first. */
static void put_first_seen(struct req *r, const struct console_alert *a,
    const struct console_event *ev, size_t nev)
{
	for (size_t i = 0; i < nev; i++) {
		if (strcmp(ev[i].kind, "firing"))
			continue;
		if (ev[i].period > a->since) {
			fputs(WORD(r->loc, " d'après les données, signalée pour la première "
			    "fois en ", " according to the data, first reported in "), r->out);
			put_period(r, ev[i].period);
		}
		return;		/* the latest firing: this episode's */
	}
}

/* An active alert whose value no longer crosses the threshold of its
 * severity is held by hysteresis: the page says so as the digest does
 * (SPEC 16), with the level at which it ends. */
static void put_held(struct req *r, const struct rule *ru, const struct console_alert *a,
    double v)
{
	bool crit = a->severity == SEV_CRITICAL;
	double t = crit ? ru->critical : ru->warning;
	char vb[64], tb[64], cb[64], *s;

	if (!alert_held(ru, a, v))
		return;
	format_number(vb, sizeof(vb), v, ru->decimals, r->loc);
	format_number(tb, sizeof(tb), t, ru->decimals, r->loc);
	format_number(cb, sizeof(cb), ru->clear, ru->decimals, r->loc);
	s = wording_held(r->loc, severity_name(a->severity), ru->below,
	    ru->observed && ru->expected, vb, tb, cb);
	fprintf(r->out, "</dd>\n<dt>%s</dt><dd>", wording_held_label(r->loc));
	html_text(r->out, s);
	free(s);
}

void page_alert(struct req *r, const char *id)
{
	struct console_alert a;
	struct console_event *ev = NULL;
	struct note *notes = NULL;
	struct dataset *d = NULL;
	size_t nev = 0, nnotes = 0;
	const char *done = query(r, "done"), *summary = NULL, *guidance, *said, *note;
	const struct rule *ru;
	FILE *f = r->out;
	char *aid, *title;
	struct engine_point pt;
	struct console_alert seen;
	double *comp;
	size_t nmoved;
	bool score, first;
	uint32_t ri = 0;
	int32_t summary_at = -1;
	int rc = find_alert(r, id, &a, &ri);

	if (rc > 0 && renamed_alert(r, id))
		return;
	if (rc != 0) {
		page_error(r, rc > 0 ? MHD_HTTP_NOT_FOUND : MHD_HTTP_INTERNAL_SERVER_ERROR, NULL);
		return;
	}
	ru = &r->site->rs->rules[ri];
	aid = xasprintf("%s@%s", a.rule, a.unit);
	if (store_console_events(r->st, a.id, NULL, NULL, WEB_EVENTS, &ev, &nev) != 0 ||
	    store_notes_list(r->st, r->who.role, a.id, NULL, &notes, &nnotes) != 0) {
		log_err("cannot read the history and notes of %s: %s", aid, store_errmsg(r->st));
		page_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL);
		goto out;
	}
	if (!(d = data_ref(r))) {	/* said where the dataset is read */
		page_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL);
		goto out;
	}
	/* The latest summary whose value today's data still gives (SPEC 3:
	 * a corrected period may now be hidden; put_events says the same). */
	for (size_t i = 0; i < nev && !summary; i++) {
		struct engine_point now;

		if (ev[i].summary && event_recorded(r, d, a.unit, &ev[i], &now) ==
		    RECORDED_SHOWN) {
			summary = ev[i].summary;
			summary_at = ev[i].period;
		}
	}
	/* Two alerts of one rule differ by their unit (WCAG 2.4.2); what a
	 * form did comes first, as an error does, since the page loads with
	 * it (a screen reader reads the title, not a status already there). */
	if (done && (said = done_text(r, &a, done, notes, nnotes))) {
		title_said(r, said);
		if (!r->notes_done)	/* said under #notes */
			r->done = said;
	}
	title = xasprintf("%s%s — %s", title_prefix(r), ru->title, a.unit);
	page_begin(r, title);
	free(title);
	fputs("<p class=\"crumbs\"><a href=\"/units/", f);
	html_url(f, a.unit, true);
	fputs("\">", f);
	html_text(f, a.unit);
	fputs("</a></p>\n<h1>", f);
	html_text(f, ru->title);
	fputs("</h1>\n", f);
	put_done(r, r->done);
	if (done)
		done_already(r, &a, done);
	fprintf(f, "<dl class=\"facts\">\n<dt>%s</dt><dd>", WORD(r->loc, "Unité", "Unit"));
	html_text(f, a.unit);
	fprintf(f, "</dd>\n<dt>%s</dt><dd>", WORD(r->loc, "État", "State"));
	if (a.active) {
		put_severity(r, a.severity);
		if (a.since >= 0) {
			fputs(WORD(r->loc, ", active depuis ", ", active since "), f);
			put_period(r, a.since);
			put_first_seen(r, &a, ev, nev);
		}
	} else {
		fputs(WORD(r->loc, "résolue", "resolved"), f);
	}
	pt = alert_seen(r, d, &a, ri, &seen);
	score = !isnan(pt.observed) && !isnan(pt.expected);
	comp = moved_terms(r, d, &a, ri, &nmoved);
	fputs("</dd>\n", f);
	/* What fired it first, when its figures did not (the digest's
	 * order, wording_moved_first). */
	first = wording_moved_first(!a.active, nmoved, pt.observed, pt.expected);
	if (first)
		put_moved(r, ru, comp, nmoved);
	/* « Observé » for what the rule counted, as the email and vigie
	 * alerts' OBSERVED say: « Valeur » is the rule's value (a
	 * probability, a score) everywhere else. */
	fprintf(f, "<dt>%s</dt><dd>", score ? WORD(r->loc, "Observé", "Observed") :
	    WORD(r->loc, "Valeur", "Value"));
	if (score) {
		put_value(r, pt.observed, figure_decimals(pt.observed, ru->decimals), NULL);
		fputs(WORD(r->loc, ", attendu ", ", expected "), f);
		put_value(r, pt.expected, figure_decimals(pt.expected, ru->decimals), NULL);
	} else {
		put_alert_value(r, &seen, ru->decimals, r->site->axis[ri]);
	}
	/* A resolved alert's figures are those of its resolution, said in
	 * the words of its digest. */
	if (a.period >= 0) {
		fputs(" (", f);
		put_period(r, a.period);
		if (!a.active)
			fprintf(f, ", %s", wording_resolved_values(score, r->loc));
		fputc(')', f);
	}
	if ((note = wording_figures_note(!a.active, nmoved, pt.observed, pt.expected,
	    r->loc))) {
		html_text(f, WORD(r->loc, TYPO_NNBSP "; ", "; "));
		html_text(f, note);
	}
	/* Not for a rule with observed and expected: its thresholds are on
	 * a score the page does not show. */
	if (isnan(pt.observed) && !isnan(a.threshold) && !(ru->observed && ru->expected)) {
		fputs(WORD(r->loc, ", seuil ", ", threshold "), f);
		put_value(r, a.threshold, ru->decimals, r->site->axis[ri]);
	}
	put_held(r, ru, &a, pt.value);
	fputs("</dd>\n", f);
	if (!first)
		put_moved(r, ru, comp, nmoved);
	free(comp);
	if (a.active)
		put_covered_by(r, ru, a.unit, false);
	if (a.active && d->s)
		put_alert_silence(r, a.rule, a.unit, d->s->p0 + d->s->np - 1);
	/* As it was sent: the month it speaks of, which the value above may
	 * have left behind. */
	if (summary) {
		fprintf(f, "<dt>%s</dt><dd>", WORD(r->loc, "Résumé", "Summary"));
		if (summary_at >= 0) {
			html_text(f, WORD(r->loc, "en ", "in "));
			put_period(r, summary_at);
			html_text(f, WORD(r->loc, TYPO_NNBSP ": ", ": "));
		}
		put_prose(r, summary);
		fputs("</dd>\n", f);
	}
	/* The reader's role's, as the digests give it: none for a resolved
	 * alert, as none in the digest of its resolution (mail_guidance). */
	if (a.active && (guidance = rule_guidance(ru, r->who.role))) {
		fprintf(f, "<dt>%s</dt><dd>", WORD(r->loc, "Conseil", "Guidance"));
		put_prose(r, guidance);
		fputs("</dd>\n", f);
	}
	fputs("</dl>\n", f);
	followup_box(r, &a);
	if (d->s) {
		int32_t ui = series_unit(d->s, a.unit);
		if (ui >= 0) {
			fprintf(f, "<section aria-labelledby=\"chart\">\n<h2 id=\"chart\">%s</h2>\n",
			    WORD(r->loc, "Évolution", "Trend"));
			put_chart(r, d, ri, (uint32_t)ui);
			fputs("</section>\n", f);
		}
	}
	put_notes(r, notes, nnotes, NULL, 0, "alerts", aid);
	fprintf(f, "<section aria-labelledby=\"history\">\n<h2 id=\"history\">%s</h2>\n",
	    WORD(r->loc, "Historique", "History"));
	put_alert_renames(r, &a);
	put_events(r, d, a.unit, ev, nev, false);
	fputs("</section>\n", f);
	page_end(r);
out:
	free(aid);
	console_alert_clear(&a);
	console_events_free(ev, nev);
	store_notes_free(notes, nnotes);
	data_unref(r->w, d);
}

void post_alert(struct req *r, const char *id)
{
	struct console_alert a;
	char *action = field(r, "action"), *aid = NULL, *enc = NULL, *body = NULL, *oc = NULL;
	const char *done = NULL;
	enum outcome o = OUTCOME_NONE;
	uint32_t ri;
	int rc = find_alert(r, id, &a, &ri);

	if (rc != 0) {
		page_error(r, rc > 0 ? MHD_HTTP_NOT_FOUND : MHD_HTTP_INTERNAL_SERVER_ERROR, NULL);
		goto out;
	}
	aid = xasprintf("%s@%s", a.rule, a.unit);
	if (!action) {
		page_error(r, MHD_HTTP_BAD_REQUEST, NULL);
	} else if (!strcmp(action, "note")) {
		if (!(body = note_body(r))) {
			/* The page again, its field saying why (note_field). */
			note_refused(r);
			page_alert(r, id);
		}
		else if (note_save(r, a.id, a.unit, aid, body) != 0) {
			/* The page again, the text in its field (note_field). */
			note_unsaved(r);
			page_alert(r, id);
		}
	} else if (!strcmp(action, "take") || !strcmp(action, "close") ||
	    !strcmp(action, "correct") || !strcmp(action, "takeover") ||
	    !strcmp(action, "reopen")) {
		enum follow how = !strcmp(action, "take") ? FOLLOW_TAKE :
		    !strcmp(action, "close") ? FOLLOW_CLOSE :
		    !strcmp(action, "takeover") ? FOLLOW_TAKEOVER :
		    !strcmp(action, "reopen") ? FOLLOW_REOPEN : FOLLOW_CORRECT;
		bool taking = how != FOLLOW_CLOSE && how != FOLLOW_CORRECT;

		oc = !taking ? field(r, "outcome") : NULL;
		if (!a.active && taking)
			page_error(r, MHD_HTTP_CONFLICT, WORD(r->loc, "Cette alerte n'est plus "
			    "active.", "This alert is no longer active."));
		else if (!taking && (!oc || outcome_parse(oc, &o) != 0 ||
		    o == OUTCOME_NONE))
			page_error(r, MHD_HTTP_BAD_REQUEST, how == FOLLOW_CLOSE ?
			    WORD(r->loc, "Choisissez l'issue de l'alerte pour la clôturer.",
			    "Choose the alert's outcome to close it.") :
			    WORD(r->loc, "Choisissez l'issue corrigée.",
			    "Choose the corrected outcome."));
		else if ((rc = alert_follow(r, &a, aid, how, o)) < 0)
			page_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL);
		else if (rc == 2)
			page_error(r, MHD_HTTP_FORBIDDEN, how == FOLLOW_CLOSE ?
			    WORD(r->loc, "Cette alerte est prise en charge par un autre rôle"
			    TYPO_NNBSP ": lui seul peut la clôturer.", "This alert is taken in "
			    "charge by another role: only that role may close it.") :
			    how == FOLLOW_TAKEOVER || how == FOLLOW_REOPEN ?
			    WORD(r->loc, "Cette alerte est suivie par un autre rôle" TYPO_NNBSP
			    ": lui seul peut en reprendre le suivi.", "This alert is followed by "
			    "another role: only that role may take it over.") :
			    WORD(r->loc, "Cette alerte est suivie par un autre rôle" TYPO_NNBSP
			    ": lui seul peut corriger son issue.", "This alert is followed by "
			    "another role: only that role may correct its outcome."));
		else if (rc == 3)
			page_error(r, MHD_HTTP_CONFLICT, WORD(r->loc, "Cette alerte n'est pas "
			    "clôturée (ou s'est déclenchée à nouveau depuis)" TYPO_NNBSP ": elle n'a "
			    "pas d'issue à corriger.", "This alert is not closed (or fired again "
			    "since): it has no outcome to correct."));
		else if (rc == 1 && how == FOLLOW_CORRECT)
			done = "unchanged";	/* the outcome it has */
		else if (rc == 1)
			done = "already";	/* by someone, or a second tab */
	} else {
		page_error(r, MHD_HTTP_BAD_REQUEST, NULL);
	}
	if (r->status == 0) {
		enc = url_encode(aid, true);
		redirect(r, "/alerts/%s?done=%s%s", enc, done ? done : action,
		    !strcmp(action, "note") ? "#notes" : "");
	}
out:
	console_alert_clear(&a);
	free(action);
	free(aid);
	free(enc);
	free(body);
	free(oc);
}
