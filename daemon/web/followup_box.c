/* The follow-up part of an alert's page (followup_box.h): who follows it
 * and how it was closed, the forms that take it in charge, take it over
 * from a colleague, close it with its outcome, correct that outcome or
 * reopen it once closed and worse since; and what the page says after one
 * of them (the POST actions are follow.c's). */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "vigie/report.h"
#include "vigie/store_alerts.h"
#include "vigie/store_followup.h"
#include "vigie/typo.h"
#include "vigie/web_html.h"
#include "vigie/wording.h"
#include "followup_box.h"
#include "web_impl.h"

/* Whether the viewer may close the alert: its follow-up belongs to the role
 * that took it in charge, so HR does not close a case a social worker
 * follows, nor the social service one HR follows; anyone of that role may
 * (a colleague, while the taker is away). A taker that is no account (a
 * name given to `vigie ack --by`, an account deleted) binds no role. */
bool may_close(const struct req *r, const struct console_alert *a)
{
	return !a->taken_role || !strcmp(a->taken_role, r->who.role);
}

/* The outcome field of the closing and correcting forms, sel selected. */
static void outcome_select(struct req *r, const char *id, enum outcome sel)
{
	FILE *f = r->out;

	fprintf(f, "<p><label for=\"%s\">%s</label>\n<select id=\"%s\" name=\"outcome\" "
	    "required>\n", id, WORD(r->loc, "Issue", "Outcome"), id);
	if (sel == OUTCOME_NONE)
		fprintf(f, "<option value=\"\">%s</option>\n",
		    WORD(r->loc, "— choisir —", "— choose —"));
	for (enum outcome o = OUTCOME_ACTION_TAKEN; o <= OUTCOME_NO_ACTION_NEEDED; o++)
		fprintf(f, "<option value=\"%s\"%s>%s</option>\n", outcome_name(o),
		    o == sel ? " selected" : "", wording_outcome(o, r->loc));
	fputs("</select></p>\n", f);
}

/* Whether a's follow-up is counted in the works council's report: not
 * that of a rule reserved to the roles bound by secrecy (SPEC 3, 15). */
static bool in_report(struct req *r, const struct console_alert *a)
{
	const struct rule *ru = ruleset_find(r->site->rs, a->rule);

	return ru && report_counts_rule(ru, r->site->cfg);
}

/* A closed alert's outcome, corrected by its role (a misclick counts in
 * the works council's report and on the rules page): folded, as the
 * exception it is. */
static void correct_form(struct req *r, const struct console_alert *a)
{
	FILE *f = r->out;
	const char *counts = in_report(r, a) ? WORD(r->loc, "L'issue compte dans le "
	    "rapport au CSE et sur la page Règles", "The outcome counts in the works "
	    "council's report and on the Rules page") : WORD(r->loc, "L'issue compte sur "
	    "la page Règles (cette règle, réservée au service social, n'entre pas dans le "
	    "rapport au CSE)", "The outcome counts on the Rules page (this rule, reserved "
	    "to the social service, is not in the works council's report)");

	fprintf(f, "<details class=\"correct\"><summary>%s</summary>\n<form method=\"post\" "
	    "action=\"", WORD(r->loc, "Corriger l'issue", "Correct the outcome"));
	alert_link(f, a->rule, a->unit);
	fputs("\">", f);
	csrf_field(r);
	fputs("<input type=\"hidden\" name=\"action\" value=\"correct\">\n", f);
	outcome_select(r, "corrected", a->outcome);
	fprintf(f, "<p><button type=\"submit\" aria-describedby=\"correct-hint\">%s</button></p>\n"
	    "<p class=\"hint\" id=\"correct-hint\">%s%s</p>\n</form></details>\n",
	    WORD(r->loc, "Enregistrer l'issue corrigée", "Save the corrected outcome"),
	    counts, WORD(r->loc, TYPO_NNBSP "; l'historique garde l'issue d'origine et sa "
	    "correction.", "; the history keeps the original outcome and its correction."));
}

/* A follow-up button that posts action. But for "take", it is described by
 * a hint (ACTION-hint) whose opening follows, which the caller writes and
 * closes. */
static void follow_form(struct req *r, const struct console_alert *a,
    const char *action, const char *label)
{
	bool hint = strcmp(action, "take") != 0;

	fputs("<form method=\"post\" action=\"", r->out);
	alert_link(r->out, a->rule, a->unit);
	fputs("\" class=\"inline\">", r->out);
	csrf_field(r);
	fprintf(r->out, "<input type=\"hidden\" name=\"action\" value=\"%s\">"
	    "<button type=\"submit\"", action);
	if (hint)
		fprintf(r->out, " aria-describedby=\"%s-hint\"", action);
	fprintf(r->out, ">%s</button></form>\n", label);
	if (hint)
		fprintf(r->out, "<p class=\"hint\" id=\"%s-hint\">", action);
}

void followup_box(struct req *r, const struct console_alert *a)
{
	FILE *f = r->out;
	bool closable = !a->closed_by && may_close(r, a);

	fprintf(f, "<section aria-labelledby=\"followup\">\n<h2 id=\"followup\">%s</h2>\n<p>",
	    WORD(r->loc, "Suivi", "Follow-up"));
	put_followup(r, a);
	fputs("</p>\n", f);
	/* A resolved alert is not taken in charge any more, but its outcome
	 * is still worth writing down: what was done counts in the works
	 * council's report (SPEC 15), and « fausse alerte » says how right the
	 * rules are. */
	if (!a->active && closable)
		fprintf(f, "<p class=\"hint\">%s</p>\n", in_report(r, a) ? WORD(r->loc,
		    "L'alerte n'est plus active" TYPO_NNBSP ": clôturez-la pour consigner son "
		    "issue (elle compte dans le rapport au CSE).", "The alert is no longer "
		    "active: close it to record its outcome (it counts in the works council's "
		    "report).") : WORD(r->loc, "L'alerte n'est plus active" TYPO_NNBSP
		    ": clôturez-la pour consigner son issue (elle compte sur la page Règles).",
		    "The alert is no longer active: close it to record its outcome (it counts "
		    "on the Rules page)."));
	if (a->active && !a->taken_by && !a->closed_by)
		follow_form(r, a, "take", WORD(r->loc, "Prendre en charge", "Acknowledge"));
	/* A colleague of the taker's role, the taker away or gone. */
	if (a->active && a->taken_by && !a->closed_by && may_close(r, a) &&
	    strcmp(a->taken_by, r->acct.name)) {
		follow_form(r, a, "takeover", WORD(r->loc, "Reprendre le suivi", "Take over"));
		html_text(f, a->taken_by);
		html_text(f, WORD(r->loc, " suit cette alerte. En son absence, ou après son "
		    "départ, reprenez-en le suivi" TYPO_NNBSP ": l'historique garde qui l'a "
		    "suivie.", " follows this alert. In their absence, or after they have "
		    "left, take it over: the history keeps who followed it."));
		fputs("</p>\n", f);
	}
	/* Closed, then worse: whoever closed it, it is open again. */
	if (worse_since_closed(a) && may_close(r, a)) {
		follow_form(r, a, "reopen", WORD(r->loc, "Reprendre le suivi",
		    "Follow it again"));
		fputs(WORD(r->loc, "Clôturée par ", "Closed by "), f);
		html_text(f, a->closed_by);
		fputs(WORD(r->loc, " avant de s'aggraver" TYPO_NNBSP ": reprenez-en le suivi "
		    "pour la rouvrir. L'historique garde sa clôture, mais elle ne compte "
		    "plus parmi les issues.</p>\n", " before it got worse: follow it again "
		    "to reopen it. The history keeps its closing, but it no longer counts "
		    "among the outcomes.</p>\n"), f);
	}
	if (closable) {
		fputs("<form method=\"post\" action=\"", f);
		alert_link(f, a->rule, a->unit);
		fputs("\" class=\"close\">", f);
		csrf_field(r);
		fputs("<input type=\"hidden\" name=\"action\" value=\"close\">\n", f);
		outcome_select(r, "outcome", OUTCOME_NONE);
		fprintf(f, "<p><button type=\"submit\"%s>%s</button></p>\n",
		    a->active ? " aria-describedby=\"close-hint\"" : "",
		    WORD(r->loc, "Clôturer l'alerte", "Close the alert"));
		/* Reminders only where the rule sends some (repeat_every). */
		const struct rule *ru = ruleset_find(r->site->rs, a->rule);
		if (a->active)
			fprintf(f, "<p class=\"hint\" id=\"close-hint\">%s</p>\n",
			    ru && ru->repeat_every > 0 ? WORD(r->loc, "Clôturer arrête les "
			    "rappels jusqu'à ce que l'alerte se résolve puis se déclenche à "
			    "nouveau.", "Closing stops the reminders until the alert resolves "
			    "and fires again.") : WORD(r->loc, "Clôturer consigne l'issue" TYPO_NNBSP
			    ": si l'alerte s'aggrave ensuite, la liste le dit, et son suivi se "
			    "reprend.", "Closing records the outcome: should the alert get worse "
			    "later, the list says so, and it can be followed again."));
		fputs("</form>\n", f);
	} else if (a->closed_by && may_close(r, a)) {
		correct_form(r, a);
	} else if (!a->closed_by) {
		/* another role took it in charge (may_close) */
		fprintf(f, "<p class=\"hint\">%s", WORD(r->loc, "Seul le rôle qui l'a prise en "
		    "charge (", "Only the role that acknowledged it ("));
		html_text(f, wording_role(a->taken_role, r->loc));
		fprintf(f, ") %s</p>\n", WORD(r->loc, "peut la clôturer.", "may close it."));
	}
	fputs("</section>\n", f);
}

/* What the redirect after a POST says, from the record, not from the URL
 * alone: a success only for what the record holds as this user's (a
 * note's in r->notes_done, said under the notes), or NULL. */
const char *done_text(struct req *r, const struct console_alert *a,
    const char *done, const struct note *notes, size_t nnotes)
{
	const char *me = r->acct.name, *m = NULL;
	bool mine = false;

	for (size_t i = 0; i < nnotes && !mine; i++)
		mine = !strcmp(notes[i].author, me);
	if (!strcmp(done, "take") && a->taken_by && !strcmp(a->taken_by, me))
		m = WORD(r->loc, "Alerte prise en charge.", "Alert acknowledged.");
	else if (!strcmp(done, "takeover") && a->taken_by && !strcmp(a->taken_by, me))
		m = WORD(r->loc, "Vous suivez désormais cette alerte.",
		    "You follow this alert from now on.");
	else if (!strcmp(done, "reopen") && !a->closed_by && a->taken_by &&
	    !strcmp(a->taken_by, me))
		m = WORD(r->loc, "Alerte rouverte" TYPO_NNBSP ": vous la suivez.",
		    "Alert reopened: you follow it.");
	else if (!strcmp(done, "close") && a->closed_by && !strcmp(a->closed_by, me))
		m = WORD(r->loc, "Alerte clôturée.", "Alert closed.");
	else if (!strcmp(done, "correct") && a->closed_by)
		m = WORD(r->loc, "Issue corrigée.", "Outcome corrected.");
	else if (!strcmp(done, "unchanged") && a->closed_by)
		m = WORD(r->loc, "L'alerte avait déjà cette issue" TYPO_NNBSP ": rien n'a "
		    "changé.", "The alert had that outcome already: nothing changed.");
	else if (!strcmp(done, "note") && mine)	/* said under #notes */
		r->notes_done = WORD(r->loc, "Note enregistrée.", "Note saved.");
	else if (!strcmp(done, "note-deleted") && note_gone(r, a->rule, a->unit, notes,
	    nnotes))
		r->notes_done = WORD(r->loc, "Note supprimée.", "Note deleted.");
	return r->notes_done ? r->notes_done : m;
}

/* An action that wrote nothing (done=already: someone did it first, a
 * second tab): who did it first. A closing posted once the session had
 * ended (done=unclosed, through the login): that it was not recorded. */
void done_already(struct req *r, const struct console_alert *a, const char *done)
{
	FILE *f = r->out;
	char tb[64];
	bool unclosed = !strcmp(done, "unclosed");

	if (unclosed && !a->closed_by) {
		fprintf(f, "<p class=\"message warn\" role=\"alert\">%s</p>\n", WORD(r->loc,
		    "Votre clôture n'a pas été enregistrée" TYPO_NNBSP ": choisissez à "
		    "nouveau l'issue.", "Your closing was not recorded: choose the outcome "
		    "again."));
		return;
	}
	if ((strcmp(done, "already") && !unclosed) || (!a->closed_by && !a->taken_by))
		return;
	fprintf(f, "<p class=\"message error\" role=\"alert\">%s", a->closed_by ?
	    WORD(r->loc, "Déjà clôturée par ", "Already closed by ") :
	    WORD(r->loc, "Déjà prise en charge par ", "Already acknowledged by "));
	html_text(f, a->closed_by ? a->closed_by : a->taken_by);
	fprintf(f, WORD(r->loc, " le %s" TYPO_NNBSP ": votre choix n'a pas été enregistré.</p>\n",
	    " on %s: your choice was not recorded.</p>\n"), fmt_time(tb, sizeof(tb),
	    a->closed_by ? a->closed_at : a->taken_at, r->loc));
}
