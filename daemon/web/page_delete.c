/* Removing a period's values from the console (web_impl.h): the way out of a
 * file sent as the wrong month (November's figures imported as December),
 * which importing again cannot undo, for HR without a shell. It is
 * `vigie delete --period P [--unit GLOB] [--indicator X]` (SPEC 4) within
 * the user's scopes (a unit is for one misspelt in a file, a team that
 * the import made of a typo): the roles of web.import_roles only, the
 * values of the units the user sees only, recorded in the import log (the
 * daemon evaluates again) and in the audit log (`delete`, via web), in one
 * transaction. Two steps (recount.c), as nothing else in the console
 * destroys data: the count of what would go, then the removal with it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/importcheck.h"
#include "vigie/log.h"
#include "vigie/period.h"
#include "vigie/store.h"
#include "vigie/typo.h"
#include "vigie/unit.h"
#include "vigie/web_html.h"
#include "vigie/web_scope.h"
#include "vigie/wording.h"
#include "vigie/xalloc.h"
#include "web_impl.h"

/* The units a removal may touch: the user's, and of those the unit or
 * glob asked for, if any. */
struct keep {
	const struct viewer *who;
	const char *glob;
};

static bool keeps(const char *unit, const void *ctx)
{
	const struct keep *k = ctx;

	return viewer_sees_unit(k->who, unit) && (!k->glob ||
	    unit_glob_match(k->glob, unit));
}

/* What the database holds, from its catalogue rather than its values
 * (the import page answers an import before anyone loads them): its
 * span of periods and its indicators' names, sorted. */
struct stored {
	int32_t lo, hi;		/* hi < lo: no value */
	char **inds;
	size_t ninds;
};

static int stored_read(struct req *r, struct stored *c)
{
	char **units, *lo = NULL;
	size_t nunits;
	int rc;

	memset(c, 0, sizeof(*c));
	c->hi = -1;
	if (store_names(r->st, &c->inds, &c->ninds, &units, &nunits) != 0)
		return -1;
	store_names_free(units, nunits);
	if (c->ninds)
		qsort(c->inds, c->ninds, sizeof(*c->inds), web_cmp_str);
	c->hi = store_latest_period(r->st);
	if ((rc = store_meta_get(r->st, "pmin", &lo)) < 0)
		return -1;
	c->lo = rc == 0 ? (int32_t)strtol(lo, NULL, 10) : c->hi;	/* never without pmax */
	free(lo);
	return 0;
}

static void stored_free(struct stored *c)
{
	store_names_free(c->inds, c->ninds);
}

/* The form of the import page: a stored period (the latest first) and an
 * indicator, or every one. */
void put_delete_form(struct req *r)
{
	FILE *f = r->out;
	struct stored c;
	char iso[PERIOD_BUFSZ], words[TYPO_BUFSZ];

	if (stored_read(r, &c) != 0 || c.hi < c.lo) {
		stored_free(&c);
		return;
	}
	fputs("<section aria-labelledby=\"delete\">\n<h2 id=\"delete\">", f);
	html_text(f, WORD(r->loc, "Retirer les valeurs d'une période",
	    "Remove a period's values"));
	fputs("</h2>\n<p class=\"hint\">", f);
	html_text(f, WORD(r->loc, "Pour un fichier importé sous la "
	    "mauvaise période (les chiffres de novembre envoyés comme décembre)"
	    TYPO_NNBSP ": les valeurs de la période choisie sont retirées pour les unités "
	    "de votre périmètre, puis Vigie évalue à nouveau les règles. Un fichier aux "
	    "chiffres faux se corrige en important le bon, dont les valeurs remplacent "
	    "les anciennes.", "For a file imported under the wrong period (November's "
	    "figures sent as December's): the values of the period chosen are removed "
	    "for the units of your scope, then Vigie evaluates the rules again. A file "
	    "with wrong figures is corrected by importing the right one, whose values "
	    "replace the old ones."));
	fputs("</p>\n", f);
	fprintf(f, "<form method=\"post\" action=\"/import/delete\" class=\"paths\">\n");
	csrf_field(r);
	fprintf(f, "\n<p><label for=\"delete-period\">%s</label>\n<select id=\"delete-period\" "
	    "name=\"period\">\n", WORD(r->loc, "Période", "Period"));
	for (int32_t p = c.hi; p >= c.lo; p--) {
		period_format(r->site->cfg->period, p, iso);
		typo_period(words, sizeof(words), iso, false, r->loc);
		fprintf(f, "<option value=\"%s\">", iso);
		html_text(f, words);
		fputs("</option>\n", f);
	}
	fprintf(f, "</select></p>\n<p><label for=\"delete-indicator\">%s</label>\n<select "
	    "id=\"delete-indicator\" name=\"indicator\">\n<option value=\"\">%s</option>\n",
	    WORD(r->loc, "Indicateur", "Indicator"), WORD(r->loc, "Tous les indicateurs",
	    "Every indicator"));
	for (size_t i = 0; i < c.ninds; i++) {
		fputs("<option>", f);
		html_text(f, c.inds[i]);
		fputs("</option>\n", f);
	}
	fprintf(f, "</select></p>\n<p><label for=\"delete-unit\">%s</label>\n"
	    "<input id=\"delete-unit\" name=\"unit\" maxlength=\"%d\" autocomplete=\"off\" "
	    "spellcheck=\"false\" aria-describedby=\"delete-unit-hint\"></p>\n"
	    "<p class=\"hint\" id=\"delete-unit-hint\">", WORD(r->loc,
	    "Unité (facultatif)", "Unit (optional)"), UNIT_MAX_BYTES);
	html_text(f, WORD(r->loc, "Une unité, pour celle qu'un fichier a mal nommée "
	    "(valdis/nancy/qualte au lieu de valdis/nancy/qualite), ou ses unités "
	    "rattachées (valdis/nancy/**)" TYPO_NNBSP "; vide" TYPO_NNBSP ": toutes celles de "
	    "votre périmètre.", "A unit, for one that a file misspelt "
	    "(valdis/nancy/qualte for valdis/nancy/qualite), or its sub-units "
	    "(valdis/nancy/**); empty: all those of your scope."));
	fprintf(f, "</p>\n<p><button type=\"submit\" class=\"secondary\">%s</button>"
	    "</p>\n</form>\n</section>\n", WORD(r->loc, "Compter les valeurs à retirer",
	    "Count the values to remove"));
	stored_free(&c);
}

/* What the user asked: a period of the database's granularity, an
 * indicator of the data or none, and for the second step the count shown. */
struct ask {
	char *period, *indicator, *unit;
	char iso[PERIOD_BUFSZ];		/* the period as it is written back */
	int32_t p;
	struct recount step;
	bool bad_unit;			/* unit is no unit path nor glob */
};

static bool read_ask(struct req *r, const struct stored *s, struct ask *a)
{
	enum granularity g;
	bool ok = false;

	a->period = field(r, "period");
	a->indicator = field(r, "indicator");
	a->unit = field(r, "unit");
	if (!recount_read(r, &a->step))
		return false;
	if (a->indicator && !*a->indicator) {
		free(a->indicator);
		a->indicator = NULL;
	}
	if (a->unit && !*(a->unit + strspn(a->unit, " "))) {
		free(a->unit);
		a->unit = NULL;
	}
	if (a->unit && unit_glob_check(a->unit, &(size_t){ 0 })) {
		a->bad_unit = true;
		return false;
	}
	if (!a->period || period_parse(a->period, strlen(a->period), &g, &a->p) != 0 ||
	    g != r->site->cfg->period)
		return false;
	period_format(g, a->p, a->iso);
	if (!a->indicator)
		return true;
	for (size_t i = 0; i < s->ninds && !ok; i++)
		ok = !strcmp(s->inds[i], a->indicator);
	return ok;
}

/* "vigie delete --period P [--indicator X] --unit SCOPE…": the import
 * log's and the audit log's words for it, as `vigie delete` records them,
 * with the scopes that bounded it; with a unit asked, "--unit GLOB (within
 * SCOPE, …)". */
static char *object_text(const struct req *r, const struct ask *a)
{
	char *o = xasprintf("--period %s%s%s%s%s", a->iso, a->unit ? " --unit " : "",
	    a->unit ? a->unit : "", a->indicator ? " --indicator " : "",
	    a->indicator ? a->indicator : "");

	for (size_t i = 0; i < r->who.nscopes; i++) {
		char *t = a->unit ? xasprintf("%s%s%s", o, i ? ", " : " (within ",
		    r->who.scopes[i]) : xasprintf("%s --unit %s", o, r->who.scopes[i]);
		free(o);
		o = t;
	}
	if (a->unit && r->who.nscopes) {
		char *t = xasprintf("%s)", o);
		free(o);
		o = t;
	}
	return o;
}

/* « novembre 2026 (absence_days) pour valdis/nancy/qualte », or « de
 * novembre 2026 (…) » (put_de_period). */
static void put_asked(struct req *r, const struct ask *a, bool de)
{
	if (de)
		put_de_period(r, a->p);
	else
		put_period(r, a->p);
	if (a->indicator) {
		fputs(" (", r->out);
		html_text(r->out, a->indicator);
		fputs(")", r->out);
	}
	if (a->unit) {
		fprintf(r->out, " %s <code>", WORD(r->loc, "pour", "for"));
		html_text(r->out, a->unit);
		fputs("</code>", r->out);
	}
}

/* « 412 valeurs de novembre 2026 (absence_days) » */
static void put_what(struct req *r, const struct ask *a, size_t n)
{
	fprintf(r->out, WORD(r->loc, "%zu valeur%s", "%zu value%s of"), n,
	    typo_plural((double)n, "", "s", r->loc));
	put_asked(r, a, true);
}

/* delete_check_late's units, before the removal: the floor cannot hide
 * a change, the user may still remove less (SPEC 3). */
static void put_small(struct req *r, const struct ask *a, char **small, size_t n)
{
	FILE *f = r->out;
	size_t shown = n < 10 ? n : 10;

	if (n == 0)
		return;
	fprintf(f, "<p class=\"message warn\" role=\"alert\">%s" TYPO_NNBSP ": ",
	    WORD(r->loc, "Attention", "Beware"));
	for (size_t i = 0; i < shown; i++) {
		fputs(i == 0 ? "" : i + 1 < shown || n > shown ? ", " :
		    WORD(r->loc, " et ", " and "), f);
		fputs("<code>", f);
		html_text(f, small[i]);
		fputs("</code>", f);
	}
	if (n > shown)
		fprintf(f, WORD(r->loc, " et %zu autres unités", " and %zu more units"),
		    n - shown);
	html_text(f, n == 1 ? WORD(r->loc, " est sous le seuil d'anonymat en ",
	    " is under the anonymity floor in ") : WORD(r->loc, " sont sous le seuil "
	    "d'anonymat en ", " are under the anonymity floor in "));
	put_period(r, a->p);
	html_text(f, WORD(r->loc, ", période que Vigie a déjà évaluée, et le retrait "
	    "laisse des valeurs aux unités qui ", ", a period Vigie has already evaluated, "
	    "and the removal leaves values to the units that hold "));
	html_text(f, n == 1 ? WORD(r->loc, "la", "it") : WORD(r->loc, "les", "them"));
	html_text(f, WORD(r->loc, " contiennent" TYPO_NNBSP ": leurs chiffres de cette "
	    "période bougeront d'autant, ce qui livre ceux de ", ": their figures of that "
	    "period will move by as much, which gives "));
	html_text(f, n == 1 ? WORD(r->loc, "l'équipe", "the team's") :
	    WORD(r->loc, "ces équipes", "the teams'"));
	html_text(f, WORD(r->loc, " à qui les compare avant et après.", " away to whoever "
	    "compares them before and after."));
	html_text(f, WORD(r->loc, " Ne retirez les valeurs d'une petite équipe que si "
	    "elles sont fausses.", " Remove a small team's values only when they are "
	    "wrong."));
	fputs("</p>\n", f);
}

/* A unit hidden beside a small team whose figures the removal would show
 * or move its parent's by (delete_check_uncover), before the removal. */
static void put_uncovered(struct req *r, const struct ask *a, const char *unit,
    const char *beside, bool removed)
{
	FILE *f = r->out;

	if (!unit)
		return;
	fprintf(f, "<p class=\"message warn\" role=\"alert\">%s" TYPO_NNBSP ": <code>",
	    WORD(r->loc, "Attention", "Beware"));
	html_text(f, unit);
	fputs("</code>", f);
	html_text(f, WORD(r->loc, " est masquée en ", " is hidden in "));
	put_period(r, a->p);
	html_text(f, WORD(r->loc, " avec une équipe sous le seuil d'anonymat, et le "
	    "retrait ", " beside a team under the anonymity floor, and the removal "));
	html_text(f, removed ? WORD(r->loc, "fera bouger les chiffres de son unité "
	    "parente d'autant que les siens", "will move its parent's figures by its "
	    "own") : WORD(r->loc, "fera masquer une autre unité à sa place et afficher "
	    "ses chiffres", "will hide another unit in its place and show its figures"));
	html_text(f, WORD(r->loc, TYPO_NNBSP ": à côté de ceux affichés avant, cela livre "
	    "les chiffres de ", ": beside those shown before, that gives the figures "
	    "of "));
	fputs("<code>", f);
	html_text(f, beside);
	fputs("</code>", f);
	html_text(f, WORD(r->loc, " à qui les compare. Ne retirez des valeurs d'une "
	    "période déjà évaluée que si elles sont fausses.", " away to whoever "
	    "compares them. Remove values of a period already evaluated only when "
	    "they are wrong."));
	fputs("</p>\n", f);
}

/* A hidden figure of a stored period, evaluated or not, the removal would
 * give away (delete_check_hidden): refused, nothing removed, with the way
 * on; the attempt recorded in the audit log.
 * Why it is hidden is not said: « one person's » tells of someone. */
static void put_refused(struct req *r, const struct ask *a, const struct hidden_given *g)
{
	FILE *f = r->out;
	char *object = object_text(r, a), detail[200];

	snprintf(detail, sizeof(detail), "hidden value of a stored period (%s %s)",
	    g->unit, g->indicator);
	if (audit(r, "delete-refused", object, detail) != 0)
		log_err("cannot record the refused removal by %s in the audit log: %s",
		    r->acct.name, store_errmsg(r->st));
	free(object);
	fprintf(f, "<p class=\"message error\" role=\"alert\">%s" TYPO_NNBSP ": ",
	    WORD(r->loc, "Rien n'a été retiré", "Nothing was removed"));
	html_text(f, WORD(r->loc, "le retrait ôterait ", "the removal would take "));
	html_text(f, g->indicator);
	html_text(f, WORD(r->loc, " de ", " of "));
	fputs("<code>", f);
	html_text(f, g->unit);
	fputs("</code> ", f);
	html_text(f, WORD(r->loc, "en ", "in "));
	put_period(r, a->p);
	html_text(f, WORD(r->loc, ", un chiffre masqué d'une période déjà "
	    "enregistrée. Un chiffre masqué protège une petite équipe ou une personne "
	    "(secret des petits effectifs)" TYPO_NNBSP "; retiré, il ferait bouger "
	    "d'autant les chiffres de son unité parente, affichés avant et après, et "
	    "le livrerait à qui les compare. Un tel retrait se fait par l'exploitation, "
	    "sur le serveur, avec vigie delete (vigie import pour corriger une "
	    "valeur).", ", a hidden figure of a period already stored. A "
	    "hidden figure protects a small team or one person (SPEC 3); removed, it "
	    "would move its parent's figures, shown before and after, by as much, and "
	    "give it away to whoever compares them. Such a removal is made by the "
	    "operator, on the server, with vigie delete (vigie import to correct a "
	    "value)."));
	fputs("</p>\n", f);
}

/* What a removal would give away (put_small, put_uncovered). */
struct given {
	char **small;
	size_t nsmall;
	char *uncovered, *beside;
	bool removed;
};

static void put_confirm(struct req *r, const struct ask *a, size_t n, size_t units,
    bool changed, const struct given *g)
{
	FILE *f = r->out;

	char button[64];

	if (changed)
		recount_put_changed(r, WORD(r->loc, "rien n'a été retiré", "nothing was removed"));
	if (n == 0) {
		fprintf(f, "<p>%s ", WORD(r->loc, "Aucune valeur enregistrée pour les unités "
		    "de votre périmètre ne correspond à", "No value stored for the units of "
		    "your scope matches"));
		put_asked(r, a, false);
		html_text(f, WORD(r->loc, TYPO_NNBSP ": il n'y a rien à retirer.",
		    ": there is nothing to remove."));
		fputs("</p>\n", f);
		return;
	}
	fputs("<p>", f);
	put_what(r, a, n);
	fprintf(f, " %s", typo_plural((double)n, WORD(r->loc, "sera retirée",
	    "will be removed"), WORD(r->loc, "seront retirées", "will be removed"), r->loc));
	fprintf(f, WORD(r->loc, ", pour %zu unité%s de votre périmètre", ", for %zu "
	    "unit%s of your scope"), units, typo_plural((double)units, "", "s", r->loc));
	html_text(f, n == 1 ? WORD(r->loc, ". Les règles qui la lisent seront évaluées à "
	    "nouveau sans elle (une alerte qu'elle faisait naître peut se résoudre)",
	    ". The rules that read it will be evaluated again without it (an alert it "
	    "raised may resolve)") : WORD(r->loc, ". Les règles qui les lisent seront "
	    "évaluées à nouveau sans elles (une alerte qu'elles faisaient naître peut se "
	    "résoudre)", ". The rules that read them will be evaluated again without "
	    "them (an alert they raised may resolve)"));
	html_text(f, WORD(r->loc, TYPO_NNBSP "; le retrait est consigné dans les imports et "
	    "le journal d'audit. Il ne se défait qu'en important à nouveau le fichier.",
	    "; the removal is recorded among the imports and in the audit log. Only "
	    "importing the file again undoes it."));
	fputs("</p>\n", f);
	put_small(r, a, g->small, g->nsmall);
	put_uncovered(r, a, g->uncovered, g->beside, g->removed);
	fputs("<form method=\"post\" action=\"/import/delete\">\n", f);
	csrf_field(r);
	fprintf(f, "\n<input type=\"hidden\" name=\"period\" value=\"%s\">\n", a->iso);
	if (a->indicator) {
		fputs("<input type=\"hidden\" name=\"indicator\" value=\"", f);
		html_attr(f, a->indicator);
		fputs("\">\n", f);
	}
	if (a->unit) {
		fputs("<input type=\"hidden\" name=\"unit\" value=\"", f);
		html_attr(f, a->unit);
		fputs("\">\n", f);
	}
	if (n == 1)
		snprintf(button, sizeof(button), "%s", WORD(r->loc, "Retirer cette valeur",
		    "Remove this value"));
	else
		snprintf(button, sizeof(button), WORD(r->loc, "Retirer ces %zu valeurs",
		    "Remove these %zu values"), n);
	recount_put_fields(r, n, button);
}

/* The removal, its audit record and its commit, or nothing; *n is what
 * was (or, when it differs from expect, would have been) removed. */
static int remove_values(struct req *r, const struct ask *a, size_t expect,
    size_t *n, size_t *units, bool *changed)
{
	char *object = object_text(r, a), *what = xasprintf("vigie delete %s", object);
	char detail[64];
	int ret = -1;

	*changed = false;
	if (store_begin(r->st) != 0)
		goto out;
	if (store_delete_matching(r->st, a->p, keeps, &(struct keep){ &r->who, a->unit },
	    a->indicator, what,
	    &(struct import_origin){ r->acct.name, "web", NULL }, false, n, units) != 0)
		goto out;
	if (*n != expect) {
		*changed = true;
		ret = 0;
		goto out;
	}
	snprintf(detail, sizeof(detail), "%zu values", *n);
	if (*n && (audit(r, "delete", object, detail) != 0 || store_commit(r->st) != 0))
		goto out;
	if (*n)
		log_msg(LOG_INFO, "%s deleted %zu values: %s", r->acct.name, *n, object);
	ret = 0;
out:
	store_rollback(r->st);	/* after a commit, a no-op */
	free(what);
	free(object);
	return ret;
}

void post_import_delete(struct req *r)
{
	struct stored c = { 0 };
	struct ask a = { 0 };
	struct given g = { 0 };
	struct hidden_given hid = { 0 };
	size_t n = 0, units = 0;
	bool changed = false;
	const char *title = WORD(r->loc, "Retirer des valeurs", "Remove values");
	FILE *f = r->out;

	if (!may_import(r)) {
		page_error(r, MHD_HTTP_NOT_FOUND, NULL);
		return;
	}
	if (stored_read(r, &c) != 0) {
		stored_free(&c);
		page_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL);
		return;
	}
	if (!read_ask(r, &c, &a)) {
		page_error(r, MHD_HTTP_BAD_REQUEST, a.bad_unit ? WORD(r->loc, "L'unité "
		    "s'écrit comme dans les fichiers (valdis/nancy/qualite), ou avec * ou ** "
		    "pour un segment entier (valdis/nancy/**)" TYPO_NNBSP ": rien n'a été "
		    "retiré.", "Write the unit as in the files (valdis/nancy/qualite), or "
		    "with * or ** for a whole segment (valdis/nancy/**): nothing was "
		    "removed.") : WORD(r->loc, "Choisissez une période et un indicateur de "
		    "la liste.", "Choose a period and an indicator from the list."));
		goto out;
	}
	/* Before the count and before the removal: the data may have
	 * changed in between. */
	if (delete_check_hidden(r->st, a.p, keeps, &(struct keep){ &r->who, a.unit },
	    a.indicator, r->site->cfg->min_headcount, r->site->cfg->dominance, true,
	    &hid) != 0) {
		recount_db_error(r, "delete values", WORD(r->loc, "rien n'a été retiré",
		    "nothing was removed"));
		goto out;
	}
	if (hid.unit) {
		r->status = MHD_HTTP_CONFLICT;
		page_begin(r, WORD(r->loc, "Erreur" TYPO_NNBSP ": retirer des valeurs",
		    "Error: remove values"));
		fprintf(f, "<h1>%s</h1>\n", title);
		put_refused(r, &a, &hid);
		recount_put_back(r);
		page_end(r);
		goto out;
	}
	if (a.step.confirm ? remove_values(r, &a, a.step.expect, &n, &units, &changed) :
	    store_delete_matching(r->st, a.p, keeps, &(struct keep){ &r->who, a.unit },
	    a.indicator, NULL, NULL, true, &n, &units)) {
		recount_db_error(r, "delete values", WORD(r->loc, "rien n'a été retiré",
		    "nothing was removed"));
		goto out;
	}
	if ((!a.step.confirm || changed) && n && (delete_check_late(r->st, a.p, keeps,
	    &(struct keep){ &r->who, a.unit }, a.indicator, r->site->cfg->min_headcount,
	    &g.small, &g.nsmall) != 0 || delete_check_uncover(r->st, a.p, keeps,
	    &(struct keep){ &r->who, a.unit }, a.indicator, r->site->cfg->min_headcount,
	    r->site->cfg->dominance, &g.uncovered, &g.beside, &g.removed) != 0)) {
		recount_db_error(r, "delete values", WORD(r->loc, "rien n'a été retiré",
		    "nothing was removed"));
		goto out;
	}
	r->status = MHD_HTTP_OK;
	page_begin(r, title);
	fprintf(f, "<h1>%s</h1>\n", title);
	if (a.step.confirm && !changed) {
		fputs("<p class=\"message ok\" role=\"status\">", f);
		if (n) {
			put_what(r, &a, n);
			fprintf(f, " %s%s", typo_plural((double)n, WORD(r->loc, "retirée",
			    "removed"), WORD(r->loc, "retirées", "removed"), r->loc),
			    WORD(r->loc, ". Vigie évalue à nouveau les règles dans quelques "
			    "secondes.", ". Vigie evaluates the rules again within seconds."));
		} else
			html_text(f, WORD(r->loc, "Rien n'a été retiré.", "Nothing was removed."));
		fputs("</p>\n", f);
	} else
		put_confirm(r, &a, n, units, changed, &g);
	recount_put_back(r);
	page_end(r);
out:
	hidden_given_free(&hid);
	store_names_free(g.small, g.nsmall);
	free(g.uncovered);
	free(g.beside);
	free(a.period);
	free(a.indicator);
	free(a.unit);
	stored_free(&c);
}
