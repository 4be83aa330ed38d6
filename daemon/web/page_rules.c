/* The rules page (GET /rules, vigie-web(8)): the rules that notify the
 * user's role, each with what became of its alerts of the last 12 periods
 * with data in the user's scopes: how many fired, how many were taken in
 * charge, and how they were closed. It is the field's answer to the
 * detection benchmark (SPEC 16): a rule whose alerts are closed as false
 * alarms again and again is one to retune with whoever writes the rule
 * files, before the social worker stops reading the digests.
 *
 * The counts are those of alerts the user sees one by one on their own
 * pages (the unit in scope, the rule notifying the role: the social
 * service's rules are not HR's): nothing here is new to the user, and no
 * figure of a unit is shown (SPEC 3). */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "vigie/store_followup.h"
#include "vigie/typo.h"
#include "vigie/web_html.h"
#include "vigie/wording.h"
#include "vigie/xalloc.h"
#include "web_impl.h"

static const enum outcome shown[] = { OUTCOME_ACTION_TAKEN, OUTCOME_FALSE_ALARM,
	OUTCOME_NO_ACTION_NEEDED };

/* label (and outcome): the pages' own words, nothing to escape. */
static void put_count(FILE *f, const char *label, const char *outcome, size_t n)
{
	fprintf(f, "<td class=\"num\" data-label=\"%s%s%s\">%zu</td>", label,
	    outcome ? outcome : "", outcome ? ")" : "", n);
}

static void put_counts(struct req *r, const struct followup_counts *c)
{
	FILE *f = r->out;

	put_count(f, WORD(r->loc, "Alertes", "Alerts"), NULL, c->fired);
	put_count(f, WORD(r->loc, "Prises en charge", "Acknowledged"), NULL, c->taken);
	for (size_t k = 0; k < sizeof(shown) / sizeof(*shown); k++)
		put_count(f, WORD(r->loc, "Clôturées (", "Closed ("),
		    wording_outcome(shown[k], r->loc), c->closed[shown[k]]);
}

static void add(struct followup_counts *to, const struct followup_counts *c)
{
	to->fired += c->fired;
	to->taken += c->taken;
	for (size_t k = 0; k < OUTCOME_COUNT; k++)
		to->closed[k] += c->closed[k];
}

static void put_table(struct req *r, const struct followup_counts *per,
    const bool *listed, int32_t from, int32_t to)
{
	const struct ruleset *rs = r->site->rs;
	struct followup_counts all = { 0 };
	FILE *f = r->out;

	fputs("<table class=\"rules\">\n<caption>", f);
	html_text(f, WORD(r->loc, "Alertes notifiées", "Alerts notified from"));
	put_de_period(r, from);
	html_text(f, WORD(r->loc, " à ", " to "));
	put_period(r, to);
	html_text(f, WORD(r->loc, " dans votre périmètre, et leurs suites",
	    " in your scope, and what became of them"));
	fprintf(f, "</caption>\n<thead><tr><th scope=\"col\">%s</th>"
	    "<th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th>",
	    WORD(r->loc, "Règle", "Rule"), WORD(r->loc, "Alertes", "Alerts"),
	    WORD(r->loc, "Prises en charge", "Acknowledged"));
	for (size_t k = 0; k < sizeof(shown) / sizeof(*shown); k++) {
		fputs("<th scope=\"col\" class=\"num\">", f);
		html_text(f, WORD(r->loc, "Clôturées (", "Closed ("));
		html_text(f, wording_outcome(shown[k], r->loc));
		fputs(")</th>", f);
	}
	fputs("</tr></thead>\n<tbody>\n", f);
	for (size_t i = 0; i < rs->n; i++) {
		if (!listed[i])
			continue;
		fputs("<tr><th scope=\"row\">", f);
		html_text(f, rs->rules[i].title);
		/* The id, for whoever types it (vigie silence), under the
		 * title the others read. */
		fprintf(f, "<br><span class=\"meta\">%s <code>", WORD(r->loc,
		    "identifiant" TYPO_NNBSP ":", "id:"));
		html_text(f, rs->rules[i].id);
		fputs("</code></span></th>", f);
		put_counts(r, &per[i]);
		fputs("</tr>\n", f);
		add(&all, &per[i]);
	}
	fprintf(f, "</tbody>\n<tfoot><tr><th scope=\"row\">%s</th>",
	    WORD(r->loc, "Toutes ces règles", "All these rules"));
	put_counts(r, &all);
	fputs("</tr></tfoot>\n</table>\n", f);
}

void page_rules(struct req *r)
{
	const struct ruleset *rs = r->site->rs;
	struct dataset *d = data_ref(r);
	struct followup_counts *per = xcalloc(rs->n + 1, sizeof(*per));
	bool *listed = xcalloc(rs->n + 1, sizeof(*listed));
	struct followup_row *v = NULL;
	size_t n = 0, nlisted = 0;
	int32_t from = 0, to = -1;
	FILE *f = r->out;

	if (d && d->s) {
		last_year(d->s, &from, &to);
		/* Up to now, this second's follow-up included. */
		if (store_followup_rows(r->st, from, to, time(NULL) + 1, &v, &n) != 0) {
			page_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL);
			goto out;
		}
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t ri;
		if (site_rule(r->site, v[i].rule, &ri) && sees_alert(r, v[i].rule, v[i].unit))
			add(&per[ri], &v[i].c);
	}
	/* The rules of the role, and a rule disabled since whose alerts the
	 * span still counts. */
	for (size_t i = 0; i < rs->n; i++) {
		listed[i] = viewer_sees_rule(&r->who, r->site->cfg, &rs->rules[i]) &&
		    (rs->rules[i].enabled || per[i].fired);
		nlisted += listed[i];
	}

	page_begin(r, WORD(r->loc, "Règles", "Rules"));
	fprintf(f, "<h1>%s</h1>\n<p class=\"summary\">", WORD(r->loc, "Règles", "Rules"));
	html_text(f, !nlisted ? WORD(r->loc, "Aucune règle n'alerte votre rôle.",
	    "No rule notifies your role.") : WORD(r->loc, "Les règles qui vous "
	    "alertent, et ce que sont devenues leurs alertes" TYPO_NNBSP ": une règle "
	    "dont les alertes sont souvent closes comme fausses alertes est à revoir "
	    "(son seuil, son périmètre) avec la personne qui écrit les fichiers de "
	    "règles, avant que ses alertes ne cachent les autres.", "The rules that "
	    "notify you, and what became of their alerts: a rule whose alerts are "
	    "often closed as false alarms is one to revisit (its threshold, its "
	    "scope) with whoever writes the rule files, before its alerts hide the "
	    "others."));
	fputs("</p>\n", f);
	if (nlisted && to < 0)
		fprintf(f, "<p>%s</p>\n", WORD(r->loc, "Aucune donnée n'est encore "
		    "importée" TYPO_NNBSP ": aucune alerte à compter.", "No data is "
		    "imported yet: no alert to count."));
	else if (nlisted) {
		put_table(r, per, listed, from, to);
		fputs("<p class=\"hint\">", f);
		html_text(f, WORD(r->loc, "Une alerte compte "
		    "une fois par déclenchement au cours de ces périodes, et dans ses "
		    "suites quelle que soit leur date. Une alerte close l'a été par qui "
		    "l'a prise en charge" TYPO_NNBSP ": elle compte aussi parmi les prises "
		    "en charge.", "An alert counts once per firing within these periods, "
		    "and in what became of it whenever that was. An alert closed was "
		    "acknowledged by whoever closed it: it counts among those "
		    "acknowledged too."));
		/* The works council report counts otherwise: a reader who
		 * compares the two must not see a contradiction. */
		html_text(f, WORD(r->loc, " Ce sont les alertes que Vigie a "
		    "enregistrées et notifiées au fil de ses cycles. Le rapport au CSE "
		    "rejoue les règles sur les données de la période" TYPO_NNBSP ": ses "
		    "«" TYPO_NNBSP "Alertes de la période" TYPO_NNBSP "» comptent aussi celles "
		    "retrouvées dans des données importées après coup, notifiées à "
		    "personne" TYPO_NNBSP "; sa ligne «" TYPO_NNBSP "Alertes notifiées pour la "
		    "période" TYPO_NNBSP "» compte, comme ce tableau, celles que Vigie a "
		    "notifiées.", " These are the "
		    "alerts Vigie recorded and notified, cycle after cycle. The works "
		    "council report replays the rules over the span's data: its \"Alerts "
		    "over the span\" also count those found in data imported afterwards, "
		    "notified to no one; its line \"Alerts notified for the span\" counts, "
		    "as this table does, those Vigie notified."));
		fputs("</p>\n", f);
	}
	page_end(r);
out:
	followup_rows_free(v, n);
	free(listed);
	free(per);
	if (d)
		data_unref(r->w, d);
}
