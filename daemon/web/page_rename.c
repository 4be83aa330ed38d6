/* Renaming a unit from the console (web_impl.h): after a reorganisation,
 * HR without a shell gives a team's history its new path, as `vigie rename
 * FROM TO` does (store_rename_units): the roles of web.import_roles only,
 * a unit whose every stored unit, at the old path and the new, is within
 * the user's scopes; recorded in the import log (the daemon evaluates
 * again) and the audit log (`rename`, via web).
 *
 * Two steps, as the removal of a period (recount.c): the first counts
 * the units and values that would move and writes nothing; the second
 * carries the count, and renames only when it still holds. The count says
 * that alerts and notes follow, not how many: a social worker's alerts
 * and notes are not HR's to count (SPEC 14). A box asks for a merge (two
 * teams into one, their values added up, RENAME_SUM); a rename that would
 * let a hidden figure be worked out is refused (SPEC 3, vigie/moves.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/log.h"
#include "vigie/renamecheck.h"
#include "vigie/store.h"
#include "vigie/typo.h"
#include "vigie/unit.h"
#include "vigie/web_html.h"
#include "vigie/web_scope.h"
#include "vigie/wording.h"
#include "vigie/xalloc.h"
#include "web_impl.h"

/* The import page's form. */
void put_rename_form(struct req *r)
{
	FILE *f = r->out;

	fputs("<section aria-labelledby=\"rename\">\n<h2 id=\"rename\">", f);
	html_text(f, WORD(r->loc, "Renommer ou déplacer une unité", "Rename or move a unit"));
	fputs("</h2>\n<p class=\"hint\">", f);
	html_text(f, WORD(r->loc, "Après une réorganisation, quand l'export nomme une "
	    "équipe autrement (valdis/nancy/qualite devenue valdis/nancy/qualite-methodes)"
	    TYPO_NNBSP ": son historique passe au nouveau nom, avec ses unités rattachées, "
	    "ses alertes, ses notes et ses suspensions. Sans cela, les règles, qui lisent 27 mois d'une "
	    "unité, ne verraient la nouvelle que dans deux ans.", "After a "
	    "reorganisation, when the export names a team differently "
	    "(valdis/nancy/qualite renamed valdis/nancy/qualite-methodes): its history "
	    "goes to the new name, with its sub-units, its alerts, its notes and its "
	    "silences. "
	    "Without it the rules, which read 27 months of a unit, would see the new "
	    "one only after two years."));
	fputs("</p>\n<form method=\"post\" action=\"/import/rename\" class=\"paths\">\n", f);
	csrf_field(r);
	fprintf(f, "\n<p><label for=\"rename-from\">%s</label>\n<input id=\"rename-from\" "
	    "name=\"from\" required maxlength=\"%d\" autocomplete=\"off\" "
	    "spellcheck=\"false\"></p>\n<p><label for=\"rename-to\">%s</label>\n"
	    "<input id=\"rename-to\" name=\"to\" required maxlength=\"%d\" "
	    "autocomplete=\"off\" spellcheck=\"false\"></p>\n<p class=\"check\"><input "
	    "type=\"checkbox\" id=\"rename-merge\" name=\"merge\" value=\"1\"> <label "
	    "for=\"rename-merge\">%s</label></p>\n<p><button type=\"submit\" "
	    "class=\"secondary\">%s</button></p>\n</form>\n</section>\n",
	    WORD(r->loc, "Ancien chemin", "Old path"), UNIT_MAX_BYTES,
	    WORD(r->loc, "Nouveau chemin", "New path"), UNIT_MAX_BYTES,
	    WORD(r->loc, "Deux équipes fusionnées en une" TYPO_NNBSP ": additionner leurs "
	    "valeurs des mêmes mois", "Two teams merged into one: add up their values "
	    "of the same months"),
	    WORD(r->loc, "Compter ce qui serait déplacé", "Count what would move"));
}

/* What the user asked. */
struct move {
	char *from, *to;
	bool merge;		/* two teams merged: values summed (RENAME_SUM) */
	struct recount step;
};

/* Why from and to cannot be renamed by this user, in a sentence; NULL
 * when they can: unit paths, neither within the other, and every stored
 * unit at from and under it, with its new path, within the user's
 * scopes. A from outside them is not looked at: the page then says that
 * no unit is stored there, as for one that does not exist (SPEC 14: a
 * unit outside the scope is not even confirmed). */
static const char *refused(struct req *r, const struct move *m)
{
	char **inds, **units;
	size_t ninds, nunits, pos;
	const char *why = NULL;

	if (!m->from || !m->to || unit_path_check(m->from, strlen(m->from), &pos) ||
	    unit_path_check(m->to, strlen(m->to), &pos))
		return WORD(r->loc, "Écrivez les deux chemins comme dans les fichiers "
		    "(valdis/nancy/qualite)" TYPO_NNBSP ": rien n'a été déplacé.", "Write "
		    "both paths as in the files (valdis/nancy/qualite): nothing was moved.");
	if (unit_is_under(m->to, m->from) || unit_is_under(m->from, m->to))
		return WORD(r->loc, "L'un des chemins est dans l'autre" TYPO_NNBSP ": une "
		    "unité se déplace à côté d'une autre ou sous une autre, pas dans son "
		    "propre chemin. Rien n'a été déplacé.", "One path is within the other: "
		    "a unit moves beside or under another, not into its own path. Nothing "
		    "was moved.");
	if (!viewer_sees_unit(&r->who, m->from) ||
	    store_names(r->st, &inds, &ninds, &units, &nunits) != 0)
		return NULL;	/* the rename says it */
	for (size_t i = 0; i < nunits && !why; i++) {
		const char *u = units[i];
		char *moved;

		if (!unit_is_under(u, m->from))
			continue;
		moved = xasprintf("%s%s", m->to, u + strlen(m->from));
		if (!viewer_sees_unit(&r->who, u) || !viewer_sees_unit(&r->who, moved))
			why = WORD(r->loc, "Ces unités ne sont pas toutes de votre périmètre, "
			    "à l'ancien chemin ou au nouveau" TYPO_NNBSP ": rien n'a été "
			    "déplacé.", "These units are not all within your scope, at the "
			    "old path or the new: nothing was moved.");
		free(moved);
	}
	store_names_free(inds, ninds);
	store_names_free(units, nunits);
	return why;
}

/* « 1 unité et 540 valeurs », « … (dont 120 additionnées à celles du
 * nouveau chemin) » */
static void put_counts(struct req *r, const struct rename_stats *s)
{
	fprintf(r->out, WORD(r->loc, "%zu unité%s et %zu valeur%s", "%zu unit%s and %zu "
	    "value%s"), s->units, typo_plural((double)s->units, "", "s", r->loc),
	    s->values, typo_plural((double)s->values, "", "s", r->loc));
	if (s->summed)
		fprintf(r->out, WORD(r->loc, " (dont %zu additionnée%s à celles du nouveau "
		    "chemin)", " (%zu of them added to the new path's)"), s->summed,
		    typo_plural((double)s->summed, "", "s", r->loc));
}

static void put_paths(struct req *r, const struct move *m)
{
	fputs("<code>", r->out);
	html_text(r->out, m->from);
	fprintf(r->out, "</code> %s <code>", WORD(r->loc, "devient", "becomes"));
	html_text(r->out, m->to);
	fputs("</code>", r->out);
}

static void put_confirm(struct req *r, const struct move *m,
    const struct rename_stats *s, bool changed)
{
	FILE *f = r->out;

	if (changed)
		recount_put_changed(r, WORD(r->loc, "rien n'a été déplacé", "nothing was moved"));
	fputs("<p>", f);
	put_paths(r, m);
	fputs(WORD(r->loc, TYPO_NNBSP ": ", ": "), f);
	put_counts(r, s);
	html_text(f, WORD(r->loc, " passeront au nouveau chemin, avec les alertes et "
	    "les notes de ces unités (une alerte d'une règle que le nouveau chemin a "
	    "déjà reste à l'ancien et s'y résout) et les suspensions posées sur "
	    "elles. Une suspension posée par un motif qui ne tient pas le nouveau "
	    "chemin (valdis/*/qualite) reste telle quelle" TYPO_NNBSP ": posez-en une "
	    "pour le nouveau. Le changement est consigné dans les imports et le "
	    "journal d'audit.", " will go to the new path, with the alerts and notes "
	    "of these units (an alert of a rule the new path has already stays at the "
	    "old one, and resolves there) and the silences set on them. A silence set "
	    "by a pattern that does not hold the new path (valdis/*/qualite) stays as "
	    "it is: set one for the new path. The change is recorded among the "
	    "imports and in the audit log."));
	fputs("</p>\n<form method=\"post\" action=\"/import/rename\">\n", f);
	csrf_field(r);
	fputs("\n<input type=\"hidden\" name=\"from\" value=\"", f);
	html_attr(f, m->from);
	fputs("\">\n<input type=\"hidden\" name=\"to\" value=\"", f);
	html_attr(f, m->to);
	fputs(m->merge ? "\">\n<input type=\"hidden\" name=\"merge\" value=\"1\">\n" :
	    "\">\n", f);
	recount_put_fields(r, s->values, WORD(r->loc, "Déplacer", "Move"));
}

/* The rename checked (rename_checked, with d the data before it), its
 * audit record and its commit; or, for the first step, its count, rolled
 * back; or nothing (*changed: the count no longer held). 0, 1 refused
 * (s->conflict), 2 refused for a hidden figure (*rv), -1. */
static int rename_units(struct req *r, const struct move *m, const struct dataset *d,
    size_t expect, struct rename_stats *s, struct reveal *rv, bool *changed)
{
	char *object = xasprintf("%s %s", m->from, m->to), detail[96];
	int rc = -1;

	*changed = false;
	if (store_begin(r->st) != 0)
		goto out;
	rc = rename_checked(r->st, r->site->cfg, r->site->rs, d ? d->s : NULL,
	    d ? d->cells : NULL, m->from, m->to, &(struct import_origin){ r->acct.name,
	    "web", NULL }, m->merge ? RENAME_SUM : 0, s, rv);
	if (rc != 0 || !s->units || !m->step.confirm)
		goto out;	/* refused, or counted: rolled back */
	rc = -1;
	if (s->values != expect) {
		*changed = true;
		rc = 0;
		goto out;
	}
	rename_stats_detail(s, detail, sizeof(detail));
	if (audit(r, "rename", object, detail) != 0 || store_commit(r->st) != 0)
		goto out;
	log_msg(LOG_INFO, "%s renamed %s: %zu units, %zu values", r->acct.name, object,
	    s->units, s->values);
	rc = 0;
out:
	store_rollback(r->st);	/* after a commit, a no-op */
	free(object);
	return rc;
}

/* « Rien n'a été déplacé : valdis/b a une valeur masquée … » (SPEC 3,
 * vigie/moves.h): the unit is within the user's scopes (refused()). */
static void put_reveal(struct req *r, const struct reveal *rv)
{
	FILE *f = r->out;

	html_text(f, WORD(r->loc, "Rien n'a été déplacé" TYPO_NNBSP ": ",
	    "Nothing was moved: "));
	fputs("<code>", f);
	html_text(f, rv->unit);
	fputs("</code> ", f);
	html_text(f, WORD(r->loc, "a une valeur masquée (sous le seuil d'anonymat, ou "
	    "avec une équipe plus petite) de", "has a hidden value (under the anonymity "
	    "floor, or beside a smaller team) of"));
	fputs(" <code>", f);
	html_text(f, rv->indicator);
	fprintf(f, "</code> %s ", WORD(r->loc, "pour", "for"));
	put_period(r, rv->period);
	html_text(f, rv->how == REVEAL_MERGED ? WORD(r->loc, TYPO_NNBSP "; additionnée "
	    "à celles du nouveau chemin, elle se déduirait des chiffres déjà montrés.",
	    "; added to the new path's, it could be worked out from the figures "
	    "already shown.") : rv->how == REVEAL_MOVED ? WORD(r->loc, TYPO_NNBSP
	    "; déplacée sous une autre unité, elle changerait d'autant les chiffres "
	    "déjà montrés de l'ancienne et de la nouvelle, et qui les compare avant et "
	    "après la connaîtrait.", "; moved under another unit, it would change the "
	    "figures already shown of the old one and the new one by its value, which "
	    "whoever compares them before and after would learn.") : WORD(r->loc,
	    TYPO_NNBSP "; les unités masquées avec elle pour en protéger une plus "
	    "petite changeraient, et elle serait montrée.", "; the units hidden with "
	    "it to protect a smaller one would change, and it would be shown."));
	html_text(f, WORD(r->loc, " Les données importées sous le nouveau chemin y "
	    "commencent un historique à elles" TYPO_NNBSP "; le passé reste sous "
	    "l'ancien, masqué comme avant.", " Data imported under the new path start "
	    "a history of their own there; the past stays under the old one, hidden "
	    "as before."));
}

void post_import_rename(struct req *r)
{
	struct move m = { 0 };
	struct rename_stats s = { 0 };
	const char *title = WORD(r->loc, "Renommer une unité", "Rename a unit"), *why;
	char *merge;
	struct dataset *d = NULL;
	struct reveal rv;
	bool changed = false, counted;
	int rc;
	FILE *f = r->out;

	if (!may_import(r)) {
		page_error(r, MHD_HTTP_NOT_FOUND, NULL);
		return;
	}
	m.from = field(r, "from");
	m.to = field(r, "to");
	merge = field(r, "merge");
	m.merge = merge && !strcmp(merge, "1");
	free(merge);
	counted = recount_read(r, &m.step);
	if ((why = refused(r, &m)) || !counted) {
		page_error(r, MHD_HTTP_BAD_REQUEST, why ? why : WORD(r->loc, "Le formulaire "
		    "est incomplet" TYPO_NNBSP ": rien n'a été déplacé.", "The form is "
		    "incomplete: nothing was moved."));
		goto out;
	}
	d = data_ref(r);
	rc = !viewer_sees_unit(&r->who, m.from) ? 0 :	/* s.units 0: none stored there */
	    rename_units(r, &m, d, m.step.expect, &s, &rv, &changed);
	if (rc < 0) {
		recount_db_error(r, "rename units", WORD(r->loc, "rien n'a été déplacé",
		    "nothing was moved"));
		goto out;
	}
	r->status = rc >= 1 || !s.units ? MHD_HTTP_CONFLICT : MHD_HTTP_OK;
	page_begin(r, title);
	fprintf(f, "<h1>%s</h1>\n", title);
	if (rc >= 1 || !s.units) {
		/* The conflict's words name units and an indicator, within
		 * the user's scopes (refused() checked them). */
		fputs("<p class=\"message error\" role=\"alert\">", f);
		if (rc == 2) {
			put_reveal(r, &rv);
		} else if (rc == 1 && s.why == RENAME_CLASH) {
			html_text(f, WORD(r->loc, "Rien n'a été déplacé" TYPO_NNBSP ": ",
			    "Nothing was moved: "));
			fputs("<code>", f);
			html_text(f, s.clash_from);
			fprintf(f, "</code> %s <code>", WORD(r->loc, "et", "and"));
			html_text(f, s.clash_to);
			fprintf(f, "</code> %s <code>", WORD(r->loc, "ont chacune une valeur de",
			    "both have a value of"));
			html_text(f, s.clash_indicator);
			fprintf(f, "</code> %s ", WORD(r->loc, "pour", "for"));
			put_period(r, s.clash_period);
			html_text(f, WORD(r->loc, ". Si les deux équipes ont été fusionnées "
			    "en une, cochez «" TYPO_NNBSP "Deux équipes fusionnées en une"
			    TYPO_NNBSP "» pour additionner leurs valeurs" TYPO_NNBSP "; sinon "
			    "retirez l'une des deux («" TYPO_NNBSP "Retirer les valeurs d'une "
			    "période" TYPO_NNBSP "»), puis recommencez.", ". If the two teams "
			    "were merged into one, tick “Two teams merged into one” to add up "
			    "their values; otherwise remove one of them (“Remove a period's "
			    "values”), then start again."));
		} else if (rc == 1 && s.why == RENAME_PARENT) {
			html_text(f, WORD(r->loc, "Rien n'a été déplacé" TYPO_NNBSP ": ",
			    "Nothing was moved: "));
			fputs("<code>", f);
			html_text(f, s.clash_to);
			fprintf(f, "</code> %s <code>", WORD(r->loc, "a des unités rattachées "
			    "qui ont des valeurs aux mêmes périodes que", "has sub-units with "
			    "values for the same periods as"));
			html_text(f, s.clash_from);
			fputs("</code>", f);
			html_text(f, WORD(r->loc, TYPO_NNBSP ": ses chiffres y seraient "
			    "ceux de l'unité déplacée, et non plus leur somme. Choisissez un "
			    "autre chemin.", ": its figures there would be those of the unit "
			    "moved, no longer their sum. Choose another path."));
		} else if (rc == 1) {
			html_text(f, WORD(r->loc, "Rien n'a été déplacé" TYPO_NNBSP ": un "
			    "nouveau chemin serait trop long.", "Nothing was moved: a new path "
			    "would be too long."));
		} else {
			html_text(f, WORD(r->loc, "Aucune unité n'est enregistrée à ce chemin"
			    TYPO_NNBSP ": ", "No unit is stored at that path: "));
			fputs("<code>", f);
			html_text(f, m.from);
			fputs("</code>.", f);
		}
		fputs("</p>\n", f);
	} else if (m.step.confirm && !changed) {
		fputs("<p class=\"message ok\" role=\"status\">", f);
		put_paths(r, &m);
		fputs(WORD(r->loc, TYPO_NNBSP ": ", ": "), f);
		put_counts(r, &s);
		fprintf(f, " %s</p>\n", WORD(r->loc, "déplacées. Vigie évalue à nouveau "
		    "les règles dans quelques secondes.", "moved. Vigie evaluates the rules "
		    "again within seconds."));
	} else
		put_confirm(r, &m, &s, changed);
	recount_put_back(r);
	page_end(r);
out:
	if (d)
		data_unref(r->w, d);
	rename_stats_free(&s);
	free(m.from);
	free(m.to);
}
