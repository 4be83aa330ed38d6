/* The import page (web_impl.h): HR sends the month's file from the
 * browser instead of a shell, or a history's files selected together. It
 * is `vigie import FILE...` (import_post.c): the same reader and errors
 * (SPEC 4), every file read before any is written, each imported all or
 * nothing, the same warnings against the database, recorded in the
 * imports and the audit log (`import`, via web), in the page's language
 * (msg.h). Two limits of the console's own: the roles of web.import_roles
 * (default hr) see the page, everyone else a 404; and a file whose rows
 * name a unit outside the user's scopes is refused whole, as a figure of
 * another site would be written by someone who cannot see it. vigied
 * evaluates the import within seconds (watch.h), as after `vigie import`,
 * the files of one upload together. « Vérifier sans importer » is
 * --dry-run, audited as `import-check`. What either tells the user
 * compares the file with no stored value the user may not see (blind.c): a
 * value written over one is counted replaced, equal or not. This file says
 * what became of the files (one file as before, several a line each), and
 * shows the form and, under it, the import log's latest rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "vigie/csv.h"
#include "vigie/importcheck.h"
#include "vigie/log.h"
#include "vigie/period.h"
#include "vigie/store.h"
#include "vigie/typo.h"
#include "vigie/web_html.h"
#include "vigie/wording.h"
#include "vigie/xalloc.h"
#include "import_impl.h"
#include "web_impl.h"

#define SHOWN 20	/* errors or warnings listed, as `vigie import` prints */
#define RECENT 10	/* imports listed */

bool may_import(const struct req *r)
{
	return config_may_import(r->site->cfg, r->acct.role);
}

/* A plural's s, as typo_plural agrees words. */
static const char *s_(const struct req *r, size_t n)
{
	return typo_plural((double)n, "", "s", r->loc);
}

/* The diagnostics of a file, each at its place: the spreadsheet's cell
 * when the file is at hand (HR opens it in a spreadsheet, where "column
 * 82" would be another column than the 82nd character), else its line
 * and character. */
static void put_diags(struct req *r, const struct diags *d, const char *file,
    size_t len)
{
	FILE *f = r->out;
	size_t shown = d->n < SHOWN ? d->n : SHOWN, more = d->n - shown + d->more;
	bool warn = d->kind && !strcmp(d->kind, "warning");
	char cell[32];
	size_t field;
	int row;

	if (!d->n && !d->more)
		return;
	fputs("<ul class=\"diags\">\n", f);
	for (size_t i = 0; i < shown; i++) {
		fputs("<li>", f);
		/* A warning about the file or a column is placed at its header,
		 * one about a unit at its row's first cell (importcheck.h): said
		 * as that, not as a cell to look at. */
		if (warn && d->v[i].line == 1 && file)
			fputs(WORD(r->loc, "en-tête" TYPO_NNBSP ": ", "header: "), f);
		else if (warn && d->v[i].line > 1 && d->v[i].col == 1 && file &&
		    (row = csv_row_at(file, len, d->v[i].line, 1, &field)))
			fprintf(f, WORD(r->loc, "ligne %d" TYPO_NNBSP ": ", "line %d: "), row);
		else if (d->v[i].line > 0 && file && csv_cell_name(file, len, d->v[i].line,
		    d->v[i].col, cell, sizeof(cell)))
			fprintf(f, WORD(r->loc, "cellule %s" TYPO_NNBSP ": ", "cell %s: "), cell);
		else if (d->v[i].line > 0)
			fprintf(f, WORD(r->loc, "ligne %d, caractère %d" TYPO_NNBSP ": ",
			    "line %d, character %d: "), d->v[i].line, d->v[i].col);
		html_text(f, d->v[i].msg);
		fputs("</li>\n", f);
	}
	fputs("</ul>\n", f);
	if (more)
		fprintf(f, WORD(r->loc, "<p>… et %zu autre%s.</p>\n",
		    "<p>… and %zu more.</p>\n"), more, s_(r, more));
}

/* « , 8 laissées telles qu'enregistrées »: the values of hidden figures
 * the import left as stored (import_hidden.c), counted apart so that the
 * counts add up to the file's values; nothing when none. */
static void put_left(struct req *r, size_t n)
{
	const char *pl = s_(r, n);

	if (n)
		fprintf(r->out, WORD(r->loc, ", %zu laissée%s telle%s qu&#39;enregistrée%s",
		    ", %zu left as stored%.0s%.0s%.0s"), n, pl, pl, pl);
}

/* « : 2 lignes, 4 valeurs importées (4 ajoutées, 0 remplacée, 0
 * inchangée). » */
static void put_imported(struct req *r, const struct sent *o)
{
	fprintf(r->out, WORD(r->loc, TYPO_NNBSP ": %zu ligne%s, %zu valeur%s importée%s "
	    "(%zu ajoutée%s, %zu remplacée%s, %zu inchangée%s",
	    ": %zu row%s, %zu value%s imported%.0s (%zu added%.0s, %zu replaced%.0s, "
	    "%zu unchanged%.0s"), o->s.rows, s_(r, o->s.rows), o->s.values, s_(r, o->s.values),
	    s_(r, o->s.values), o->s.added, s_(r, o->s.added), o->s.replaced,
	    s_(r, o->s.replaced), o->s.unchanged, s_(r, o->s.unchanged));
	put_left(r, o->s.left);
	fputs(").", r->out);
}

/* « l'import en ajouterait 6, en remplacerait 0, 0 inchangée. » */
static void put_would(struct req *r, const struct import_stats *s)
{
	fprintf(r->out, WORD(r->loc, "l'import en ajouterait %zu, en remplacerait %zu, "
	    "%zu inchangée%s", "the import would add %zu, replace %zu, leave %zu%s "
	    "unchanged"), s->added, s->replaced, s->unchanged,
	    r->loc == LOC_FR ? s_(r, s->unchanged) : "");
	put_left(r, s->left);
	fputs(".", r->out);
}

static void put_outcome(struct req *r, const struct sent *o)
{
	FILE *f = r->out;

	if (o->refused) {
		fputs("<div class=\"message error\" id=\"file-error\" role=\"alert\"><p>", f);
		html_text(f, o->refused);
		fputs("</p>\n", f);
		put_diags(r, &o->scope, o->buf, o->len);
		put_diags(r, &o->errors, o->buf, o->len);
		fputs("</div>\n", f);
		return;
	}
	fputs("<div class=\"message ok\" role=\"status\"><p>", f);
	html_text(f, o->name);
	if (o->dry) {
		/* What the import would change, as the import says it; and how
		 * many warnings follow, as the title says. */
		size_t w = o->warnings.n + o->warnings.more;
		char *warn = w ? xasprintf(WORD(r->loc, ", %zu point%s à vérifier "
		    "ci-dessous", ", %zu point%s to check below"), w, s_(r, w)) :
		    xstrdup("");

		fprintf(f, WORD(r->loc, TYPO_NNBSP ": %zu ligne%s, %zu valeur%s, sans "
		    "erreur%s" TYPO_NNBSP "; ", ": %zu row%s, %zu value%s, no error%s; "),
		    o->s.rows, s_(r, o->s.rows), o->s.values, s_(r, o->s.values), warn);
		put_would(r, &o->s);
		fputs(WORD(r->loc, " Rien n'a été importé" TYPO_NNBSP ": choisissez-le à "
		    "nouveau et cliquez sur «" TYPO_NNBSP "Importer" TYPO_NNBSP "» quand il "
		    "est prêt.</p>\n", " Nothing was imported: choose it again and click "
		    "\u201cImport\u201d when it is ready.</p>\n"), f);
		free(warn);
		goto warnings;
	}
	put_imported(r, o);
	/* vigied sees an import within DATA_POLL_S (watch.h). */
	fprintf(f, "</p>\n<p>%s</p>\n", WORD(r->loc, "Vigie évalue les règles sur "
	    "ces données dans les secondes qui suivent" TYPO_NNBSP ": les alertes "
	    "qu'elles déclenchent apparaissent alors dans <a href=\"/\">Mes alertes</a>.",
	    "Vigie evaluates the rules on these figures within seconds: the "
	    "alerts they raise then appear in <a href=\"/\">My alerts</a>."));
warnings:
	fputs("</div>\n", f);
	if (o->warnings.n || o->warnings.more) {
		fprintf(f, "<div class=\"message warn\" id=\"file-warn\"><p>%s</p>\n", o->dry ?
		    WORD(r->loc, "À vérifier avant d'importer" TYPO_NNBSP ":",
		    "To check before importing:") : WORD(r->loc, "À vérifier (le "
		    "fichier est importé)" TYPO_NNBSP ":", "To check (the file is imported):"));
		put_diags(r, &o->warnings, o->buf, o->len);
		fputs("</div>\n", f);
	}
}

/* What became of several files: a sentence for them all, then each
 * file's, and the warnings of each under its name. */
static void put_outcomes(struct req *r, const struct upload_outcome *o)
{
	FILE *f = r->out;
	const char *colon = WORD(r->loc, TYPO_NNBSP ": ", ": ");
	size_t w = 0;

	fprintf(f, "<div class=\"message %s><p>", o->refused ?
	    "error\" id=\"file-error\" role=\"alert\"" : "ok\" role=\"status\"");
	if (o->refused) {
		html_text(f, o->refused);
		fputs("</p>\n", f);
		for (size_t i = 0; i < o->n; i++) {
			const struct sent *s = &o->v[i];

			if (!s->refused)
				continue;
			/* Its errors, each at its place; or why, when it has
			 * none (empty, too large). */
			fputs("<p>", f);
			html_text(f, s->name);
			if (s->errors.n || s->errors.more || s->scope.n)
				fputs(WORD(r->loc, TYPO_NNBSP ":", ":"), f);
			else
				html_text(f, colon), html_text(f, s->refused);
			fputs("</p>\n", f);
			put_diags(r, &s->scope, s->buf, s->len);
			put_diags(r, &s->errors, s->buf, s->len);
		}
		fputs("</div>\n", f);
		return;
	}
	fprintf(f, o->dry ? WORD(r->loc, "%zu fichiers vérifiés, sans erreur" TYPO_NNBSP
	    ": rien n'a été importé. Choisissez-les à nouveau et cliquez sur «"
	    TYPO_NNBSP "Importer" TYPO_NNBSP "» quand ils sont prêts.", "%zu files "
	    "checked, no error: nothing was imported. Choose them again and click "
	    "\u201cImport\u201d when they are ready.") : WORD(r->loc, "%zu fichiers "
	    "importés. Vigie évalue les règles sur ces données dans les secondes qui "
	    "suivent, tous les fichiers ensemble" TYPO_NNBSP ": les alertes qu'elles "
	    "déclenchent apparaissent alors dans <a href=\"/\">Mes alertes</a>.",
	    "%zu files imported. Vigie evaluates the rules on these figures within "
	    "seconds, all the files together: the alerts they raise then appear in "
	    "<a href=\"/\">My alerts</a>."), o->n);
	fputs("</p>\n<ul class=\"files\">\n", f);
	for (size_t i = 0; i < o->n; i++) {
		const struct sent *s = &o->v[i];

		fputs("<li>", f);
		html_text(f, s->name);
		if (o->dry) {
			fprintf(f, WORD(r->loc, TYPO_NNBSP ": %zu ligne%s, %zu valeur%s"
			    TYPO_NNBSP "; ", ": %zu row%s, %zu value%s; "), s->s.rows,
			    s_(r, s->s.rows), s->s.values, s_(r, s->s.values));
			put_would(r, &s->s);
		} else
			put_imported(r, s);
		fputs("</li>\n", f);
		w += s->warnings.n + s->warnings.more;
	}
	fputs("</ul>\n</div>\n", f);
	if (!w)
		return;
	fprintf(f, "<div class=\"message warn\" id=\"file-warn\"><p>%s</p>\n", o->dry ?
	    WORD(r->loc, "À vérifier avant d'importer" TYPO_NNBSP ":",
	    "To check before importing:") : WORD(r->loc, "À vérifier (les "
	    "fichiers sont importés)" TYPO_NNBSP ":", "To check (the files are "
	    "imported):"));
	for (size_t i = 0; i < o->n; i++) {
		const struct sent *s = &o->v[i];

		if (!s->warnings.n && !s->warnings.more)
			continue;
		fputs("<p>", f);
		html_text(f, s->name);
		fprintf(f, "%s</p>\n", WORD(r->loc, TYPO_NNBSP ":", ":"));
		put_diags(r, &s->warnings, s->buf, s->len);
	}
	fputs("</div>\n", f);
}

/* The largest file the console imports: its own limit, or the
 * configuration's max_import_size when smaller. */
long long import_max(const struct config *cfg)
{
	return cfg->max_import_size < WEB_IMPORT_MAX ? cfg->max_import_size :
	    WEB_IMPORT_MAX;
}

/* A size as people read it: « 8 Mo », « 1 ko », « 300 octets ». */
static char *size_text(char *buf, size_t size, long long n, enum locale loc)
{
	if (n >= 1024 * 1024 && n % (1024 * 1024) == 0)
		snprintf(buf, size, "%lld" TYPO_NBSP "%s", n / (1024 * 1024), WORD(loc, "Mo", "MB"));
	else if (n >= 1024 && n % 1024 == 0)
		snprintf(buf, size, "%lld" TYPO_NBSP "%s", n / 1024, WORD(loc, "ko", "kB"));
	else
		snprintf(buf, size, "%lld" TYPO_NBSP "%s", n, WORD(loc, "octets", "bytes"));
	return buf;
}

const char *import_too_large_why(struct req *r, char *buf, size_t size)
{
	char n[32];

	/* The way on, without a shell: a file per period or per site is a
	 * few kilobytes; ops take a file of any size in the inbox. */
	snprintf(buf, size, WORD(r->loc, "Le fichier dépasse %s" TYPO_NNBSP ": rien n'a "
	    "été importé. Envoyez-le en plusieurs fichiers (un par mois, ou par "
	    "site), ou demandez à l'exploitation de le déposer dans le dossier "
	    "d'import de Vigie.", "The file is larger than %s: nothing was "
	    "imported. Send it as several files (one per month, or per site), or "
	    "ask ops to drop it in Vigie's inbox."),
	    size_text(n, sizeof(n), import_max(r->site->cfg), r->loc));
	return buf;
}

/* Where a row of the import log came from: « console, rh », « commande,
 * alice », « dépôt, alice » (the inbox file's owner), « source »; « – »
 * for the rows written before Vigie recorded it. */
static void put_origin(struct req *r, const struct store_import_row *x)
{
	static const struct { const char *via, *fr, *en; } words[] = {
		{ "web", "console", "console" }, { "cli", "commande", "command" },
		{ "inbox", "dépôt", "inbox" }, { "source", "source", "source" },
	};
	const char *w = x->via;

	for (size_t i = 0; x->via && i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(x->via, words[i].via))
			w = WORD(r->loc, words[i].fr, words[i].en);
	if (!w) {
		fputs("–", r->out);
		return;
	}
	html_text(r->out, w);
	if (x->actor) {
		fputs(", ", r->out);
		html_text(r->out, x->actor);
	}
}

/* Whether the user sees every unit stored: an import's warnings name
 * units (and their scopes are checked by unit), which an HR user of one
 * site does not see of another. */
static bool sees_every_unit(struct req *r)
{
	char **inds, **units;
	size_t ninds, nunits;
	bool all = true;

	if (store_names(r->st, &inds, &ninds, &units, &nunits) != 0)
		return false;
	for (size_t i = 0; all && i < nunits; i++)
		all = viewer_sees_unit(&r->who, units[i]);
	store_names_free(inds, ninds);
	store_names_free(units, nunits);
	return all;
}

/* What an import was warned of, whoever imported: a file dropped in the
 * inbox, whose warnings only ops would read otherwise, shows them here to
 * HR, folded under their number; their text to a user who sees every unit,
 * or who sent the file from the console (within their scopes), the number
 * alone to the others. */
static void put_warned(struct req *r, const struct store_import_row *x,
    bool sees_all)
{
	size_t n = (size_t)x->nwarnings;
	bool mine = x->via && x->actor && !strcmp(x->via, "web") &&
	    !strcmp(x->actor, r->acct.name);

	if (!n) {
		fputs("–", r->out);
		return;
	}
	if (!sees_all && !mine) {
		fprintf(r->out, WORD(r->loc, "%zu avertissement%s, détaillé%s aux comptes "
		    "qui voient toute l'entreprise", "%zu warning%s, detailed%.0s to the "
		    "accounts that see the whole company"), n, s_(r, n), s_(r, n));
		return;
	}
	fprintf(r->out, WORD(r->loc, "<details><summary>%zu avertissement%s</summary>\n",
	    "<details><summary>%zu warning%s</summary>\n"), n, s_(r, n));
	put_diags(r, &x->warnings, NULL, 0);
	fputs("</details>", r->out);
}

/* The import log's latest rows, whoever imported (the inbox, a source,
 * `vigie import`, the console), deleted or renamed: whether October is in, and
 * whose file it was. */
static void put_imports(struct req *r)
{
	FILE *f = r->out;
	struct store_import_row *v;
	size_t n;
	char when[64];
	bool sees_all = false;

	if (store_import_rows(r->st, RECENT, &v, &n) != 0 || !n) {
		store_import_rows_free(v, n);
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (v[i].nwarnings) {
			sees_all = sees_every_unit(r);
			break;
		}
	fprintf(f, "<h2>%s</h2>\n<table class=\"events imports\">\n<thead><tr>"
	    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
	    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
	    "</tr></thead>\n<tbody>\n",
	    WORD(r->loc, "Derniers imports", "Latest imports"), WORD(r->loc, "Date", "Date"),
	    WORD(r->loc, "Fichier", "File"), WORD(r->loc, "Origine", "From"),
	    WORD(r->loc, "Lignes", "Rows"),
	    WORD(r->loc, "Valeurs", "Values"), WORD(r->loc, "À vérifier", "To check"));
	for (size_t i = 0; i < n; i++) {
		const struct store_import_row *x = &v[i];

		fprintf(f, "<tr><td data-label=\"%s\">%s</td><td data-label=\"%s\">",
		    WORD(r->loc, "Date", "Date"), fmt_time(when, sizeof(when), x->at, r->loc),
		    WORD(r->loc, "Fichier", "File"));
		html_text(f, x->source);
		fprintf(f, "</td><td data-label=\"%s\">", WORD(r->loc, "Origine", "From"));
		put_origin(r, x);
		fprintf(f, "</td><td data-label=\"%s\">", WORD(r->loc, "Lignes", "Rows"));
		if (x->deletion || x->renaming)
			fputs("–", f);
		else
			fprintf(f, "%lld", (long long)x->rows);
		fprintf(f, "</td><td data-label=\"%s\">", WORD(r->loc, "Valeurs", "Values"));
		if (x->deletion)
			fprintf(f, WORD(r->loc, "%lld supprimée%s", "%lld deleted%.0s"),
			    (long long)x->vals, s_(r, (size_t)x->vals));
		else if (x->renaming)
			fprintf(f, WORD(r->loc, "%lld déplacée%s", "%lld moved%.0s"),
			    (long long)x->vals, s_(r, (size_t)x->vals));
		else {
			/* The values neither added, replaced nor unchanged: those
			 * the console left as stored (import_stats). */
			int64_t left = x->vals - x->added - x->replaced - x->unchanged;

			fprintf(f, WORD(r->loc, "%lld (%lld ajoutée%s, %lld remplacée%s, "
			    "%lld inchangée%s", "%lld (%lld added%.0s, %lld replaced%.0s, "
			    "%lld unchanged%.0s"), (long long)x->vals, (long long)x->added,
			    s_(r, (size_t)x->added), (long long)x->replaced,
			    s_(r, (size_t)x->replaced), (long long)x->unchanged,
			    s_(r, (size_t)x->unchanged));
			put_left(r, left > 0 ? (size_t)left : 0);
			fputs(")", f);
		}
		fprintf(f, "</td><td data-label=\"%s\">", WORD(r->loc, "À vérifier",
		    "To check"));
		put_warned(r, x, sees_all);
		fputs("</td></tr>\n", f);
	}
	fputs("</tbody>\n</table>\n", f);
	store_import_rows_free(v, n);
}

/* The page's title, the first thing a screen reader says of the page
 * that answers the form (WCAG 2.4.2, 4.1.3): what became of the file, and
 * how many warnings to read, before the page's name. */
static char *import_title(const struct req *r, const struct upload_outcome *o)
{
	const char *page = WORD(r->loc, "Importer des données", "Import data");
	size_t w = 0;
	char *t, *warn, *what;

	if (!o)
		return xstrdup(page);
	if (o->refused)
		return xstrdup(WORD(r->loc, "Erreur" TYPO_NNBSP ": importer des données",
		    "Error: import data"));
	for (size_t i = 0; i < o->n; i++)
		w += o->v[i].warnings.n + o->v[i].warnings.more;
	warn = w ? xasprintf(WORD(r->loc, ", %zu point%s à vérifier",
	    ", %zu point%s to check"), w, s_(r, w)) : xstrdup("");
	what = o->n == 1 ? xstrdup(o->v[0].name) : xasprintf(WORD(r->loc,
	    "%zu fichiers", "%zu files"), o->n);
	t = xasprintf(WORD(r->loc, "%s" TYPO_NNBSP ": %s%s. %s", "%s: %s%s. %s"),
	    o->dry ? WORD(r->loc, "Vérifié sans importer", "Checked, not imported") :
	    WORD(r->loc, "Importé", "Imported"), what, warn, page);
	free(what);
	free(warn);
	return t;
}

void import_page(struct req *r, const struct upload_outcome *o)
{
	FILE *f = r->out;
	bool bad = o && o->refused, warned = false;
	char n[32], *title = import_title(r, o);

	for (size_t i = 0; o && !bad && i < o->n; i++)
		warned |= o->v[i].warnings.n || o->v[i].warnings.more;

	page_begin(r, title);
	free(title);
	fprintf(f, "<h1>%s</h1>\n", WORD(r->loc, "Importer des données", "Import data"));
	if (o && o->n == 1)
		put_outcome(r, &o->v[0]);
	else if (o)
		put_outcomes(r, o);
	fputs("<form method=\"post\" action=\"/import\" enctype=\"multipart/form-data\">\n", f);
	csrf_field(r);
	fprintf(f, "<p><label for=\"file\">%s</label>\n<input id=\"file\" name=\"file\" "
	    "type=\"file\" accept=\".csv,.txt,text/csv\" multiple required%s "
	    "aria-describedby=\"%sfile-hint\"></p>\n", WORD(r->loc, "Fichiers CSV des "
	    "indicateurs (un ou plusieurs)", "CSV files of indicators (one or more)"), bad ? " aria-invalid=\"true\"" : "",
	    bad ? "file-error " : warned ? "file-warn " : "");
	fprintf(f, "<p class=\"hint\" id=\"file-hint\">%s ", WORD(r->loc,
	    "Une ligne par unité et par période" TYPO_NNBSP ": les colonnes unit, period, "
	    "puis une par indicateur (séparées par des virgules, des points-virgules "
	    "ou des tabulations),", "One row per unit and period: the columns unit, "
	    "period, then one per indicator (separated by commas, semicolons or tabs),"));
	fprintf(f, "%s %s</p>\n", size_text(n, sizeof(n), import_max(r->site->cfg),
	    r->loc), WORD(r->loc, "au plus par fichier. Un historique exporté "
	    "mois par mois s'importe en une fois" TYPO_NNBSP ": choisissez tous ses "
	    "fichiers ensemble. Vigie les évalue alors ensemble et signale les "
	    "alertes encore ouvertes, au lieu de rejouer chaque mois comme "
	    "nouveau. Les fichiers sont importés en entier ou pas du tout, et aucun "
	    "quand l'un d'eux est refusé" TYPO_NNBSP "; une valeur déjà enregistrée "
	    "pour la même unité, période et indicateur est remplacée (comptée "
	    "remplacée, même égale, quand vous ne pouvez pas la voir" TYPO_NNBSP
	    ": celle d'une équipe masquée, ou d'un indicateur confidentiel). Ils ne "
	    "peuvent nommer que les unités de votre périmètre.", "at most per file. "
	    "A history exported month by month is imported at once: choose all its "
	    "files together. Vigie then evaluates them together and tells the "
	    "alerts still open, instead of replaying each month as new. Files are "
	    "imported whole or not at all, and none when one of them is refused; a "
	    "value already stored for the same unit, period and indicator is "
	    "replaced (counted replaced, even when equal, where you may not see it: "
	    "a hidden team's, or a confidential indicator's). They may name only "
	    "the units of your scope."));
	fprintf(f, "<p><button type=\"submit\">%s</button>\n<button type=\"submit\" "
	    "name=\"dry\" value=\"1\" class=\"secondary\">%s</button></p>\n</form>\n",
	    WORD(r->loc, "Importer", "Import"), WORD(r->loc, "Vérifier sans importer",
	    "Check without importing"));
	put_coverage(r);
	put_imports(r);
	put_delete_form(r);
	put_rename_form(r);
	page_end(r);
}

void page_import(struct req *r)
{
	if (!may_import(r)) {
		page_error(r, MHD_HTTP_NOT_FOUND, NULL);
		return;
	}
	import_page(r, NULL);
}

void import_too_large(struct req *r)
{
	struct sent s = { .name = "" };
	struct upload_outcome o = { .v = &s, .n = 1 };
	char why[320];

	if (!may_import(r)) {
		page_error(r, MHD_HTTP_NOT_FOUND, NULL);
		return;
	}
	o.refused = s.refused = import_too_large_why(r, why, sizeof(why));
	r->status = MHD_HTTP_CONTENT_TOO_LARGE;
	import_page(r, &o);
}
