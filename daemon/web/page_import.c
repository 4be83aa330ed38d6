/* The import page (web_impl.h): HR sends the month's file from the
 * browser instead of a shell. It is `vigie import` of one file: the same
 * reader and errors (SPEC 4), all or nothing in one transaction, the same
 * warnings against the database, recorded in the imports and the audit log
 * (`import`, via web), in the page's language (msg.h). Two limits of the console's own: the roles of
 * web.import_roles (default hr) see the page, everyone else a 404; and a
 * file whose rows name a unit outside the user's scopes is refused whole,
 * as a figure of another site would be written by someone who cannot see
 * it. vigied evaluates the import within seconds (watch.h), as after
 * `vigie import`. « Vérifier sans importer » is --dry-run, audited as
 * `import-check`. What either tells the user compares the file with no
 * stored value the user may not see (blind.c): a value written over one is
 * counted replaced, equal or not. Under the form, the import log's latest
 * rows. */
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
#include "blind.h"
#include "web_impl.h"

#define SHOWN 20	/* errors or warnings listed, as `vigie import` prints */
#define RECENT 10	/* imports listed */

bool may_import(const struct req *r)
{
	return config_may_import(r->site->cfg, r->acct.role);
}

/* What became of a file sent: its name, the import's figures or why it
 * was refused. */
struct sent {
	const char *name;
	const char *refused;		/* why, in a sentence; or NULL */
	struct diags errors;		/* the reader's */
	struct diags scope;		/* units outside the user's scopes */
	struct diags warnings;
	struct import_stats s;
	bool dry;			/* checked only, as --dry-run */
};

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

static void put_outcome(struct req *r, const struct sent *o)
{
	FILE *f = r->out;

	if (o->refused) {
		fputs("<div class=\"message error\" id=\"file-error\" role=\"alert\"><p>", f);
		html_text(f, o->refused);
		fputs("</p>\n", f);
		put_diags(r, &o->scope, r->upload, r->upload_len);
		put_diags(r, &o->errors, r->upload, r->upload_len);
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
		    "erreur%s" TYPO_NNBSP "; l'import en ajouterait %zu, en remplacerait %zu, "
		    "%zu inchangée%s. Rien n'a été importé" TYPO_NNBSP ": choisissez-le à "
		    "nouveau et cliquez sur «" TYPO_NNBSP "Importer" TYPO_NNBSP "» quand il "
		    "est prêt.</p>\n", ": %zu row%s, %zu value%s, no error%s; the import "
		    "would add %zu, replace %zu, leave %zu%s unchanged. Nothing was "
		    "imported: choose it again and click \u201cImport\u201d when it is "
		    "ready.</p>\n"), o->s.rows, s_(r, o->s.rows), o->s.values,
		    s_(r, o->s.values), warn, o->s.added, o->s.replaced, o->s.unchanged,
		    r->loc == LOC_FR ? s_(r, o->s.unchanged) : "");
		free(warn);
		goto warnings;
	}
	fprintf(f, WORD(r->loc, TYPO_NNBSP ": %zu ligne%s, %zu valeur%s importée%s "
	    "(%zu ajoutée%s, %zu remplacée%s, %zu inchangée%s).",
	    ": %zu row%s, %zu value%s imported%.0s (%zu added%.0s, %zu replaced%.0s, "
	    "%zu unchanged%.0s)."), o->s.rows, s_(r, o->s.rows), o->s.values, s_(r, o->s.values),
	    s_(r, o->s.values), o->s.added, s_(r, o->s.added), o->s.replaced,
	    s_(r, o->s.replaced), o->s.unchanged, s_(r, o->s.unchanged));
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
		put_diags(r, &o->warnings, r->upload, r->upload_len);
		fputs("</div>\n", f);
	}
}

/* The largest file the console imports: its own limit, or the
 * configuration's max_import_size when smaller. */
static long long import_max(const struct config *cfg)
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

/* Why a file over import_max is refused, into buf. */
static const char *too_large(struct req *r, char *buf, size_t size)
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
		else
			fprintf(f, WORD(r->loc, "%lld (%lld ajoutée%s, %lld remplacée%s, "
			    "%lld inchangée%s)", "%lld (%lld added%.0s, %lld replaced%.0s, "
			    "%lld unchanged%.0s)"), (long long)x->vals, (long long)x->added,
			    s_(r, (size_t)x->added), (long long)x->replaced,
			    s_(r, (size_t)x->replaced), (long long)x->unchanged,
			    s_(r, (size_t)x->unchanged));
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
static char *import_title(const struct req *r, const struct sent *o)
{
	const char *page = WORD(r->loc, "Importer des données", "Import data");
	size_t w = o ? o->warnings.n + o->warnings.more : 0;
	char *t, *warn = w ? xasprintf(WORD(r->loc, ", %zu point%s à vérifier",
	    ", %zu point%s to check"), w, s_(r, w)) : xstrdup("");

	if (!o)
		t = xstrdup(page);
	else if (o->refused)
		t = xstrdup(WORD(r->loc, "Erreur" TYPO_NNBSP ": importer des données",
		    "Error: import data"));
	else
		t = xasprintf(WORD(r->loc, "%s" TYPO_NNBSP ": %s%s. %s", "%s: %s%s. %s"),
		    o->dry ? WORD(r->loc, "Vérifié sans importer", "Checked, not imported") :
		    WORD(r->loc, "Importé", "Imported"), o->name, warn, page);
	free(warn);
	return t;
}

static void import_page(struct req *r, const struct sent *o)
{
	FILE *f = r->out;
	bool bad = o && o->refused;
	bool warned = o && !bad && (o->warnings.n || o->warnings.more);
	char n[32], *title = import_title(r, o);

	page_begin(r, title);
	free(title);
	fprintf(f, "<h1>%s</h1>\n", WORD(r->loc, "Importer des données", "Import data"));
	if (o)
		put_outcome(r, o);
	fputs("<form method=\"post\" action=\"/import\" enctype=\"multipart/form-data\">\n", f);
	csrf_field(r);
	fprintf(f, "<p><label for=\"file\">%s</label>\n<input id=\"file\" name=\"file\" "
	    "type=\"file\" accept=\".csv,.txt,text/csv\" required%s aria-describedby=\"%s"
	    "file-hint\"></p>\n", WORD(r->loc, "Fichier CSV des indicateurs",
	    "CSV file of indicators"), bad ? " aria-invalid=\"true\"" : "",
	    bad ? "file-error " : warned ? "file-warn " : "");
	fprintf(f, "<p class=\"hint\" id=\"file-hint\">%s ", WORD(r->loc,
	    "Une ligne par unité et par période" TYPO_NNBSP ": les colonnes unit, period, "
	    "puis une par indicateur (séparées par des virgules, des points-virgules "
	    "ou des tabulations),", "One row per unit and period: the columns unit, "
	    "period, then one per indicator (separated by commas, semicolons or tabs),"));
	fprintf(f, "%s %s</p>\n", size_text(n, sizeof(n), import_max(r->site->cfg),
	    r->loc), WORD(r->loc, "au plus. Le fichier est importé en "
	    "entier ou pas du tout" TYPO_NNBSP "; une valeur déjà enregistrée pour la même "
	    "unité, période et indicateur est remplacée (comptée remplacée, même "
	    "égale, quand vous ne pouvez pas la voir" TYPO_NNBSP ": celle d'une équipe "
	    "masquée, ou d'un indicateur confidentiel). Il ne peut nommer que les "
	    "unités de votre périmètre.", "at most. The file is imported whole or not "
	    "at all; a value already stored for the same unit, period and indicator "
	    "is replaced (counted replaced, even when equal, where you may not see "
	    "it: a hidden team's, or a confidential indicator's). It may name only "
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

/* Every unit of b must be one the user sees: the others, each at its
 * first cell, to o->scope. */
static void check_scope(struct req *r, const struct import_batch *b,
    struct sent *o)
{
	for (size_t i = 0; i < b->nunits; i++)
		if (!viewer_sees_unit(&r->who, b->units[i]))
			diags_add(&o->scope, o->name, b->unit_at[i].line, b->unit_at[i].col,
			    WORD(r->loc, "l'unité «" TYPO_NNBSP "%s" TYPO_NNBSP "» n'est pas de votre périmètre",
			    "unit \"%s\" is outside your scope"), b->units[i]);
}

/* What the page says of a file refused for its errors, listed below. */
static const char *has_errors(const struct req *r)
{
	return WORD(r->loc, "Le fichier a des erreurs" TYPO_NNBSP ": rien n'a été "
	    "importé. Corrigez-les et envoyez-le à nouveau.", "The file has errors: "
	    "nothing was imported. Correct them and send it again.");
}

void post_import(struct req *r)
{
	const struct config *cfg = r->site->cfg;
	struct sent o = { 0 };
	struct import_batch b = { 0 };
	struct blind bl = { 0 };
	char *name = NULL, *dry, sha[65], detail[160], why[320];

	if (!may_import(r)) {
		page_error(r, MHD_HTTP_NOT_FOUND, NULL);
		return;
	}
	blind_begin(r, &bl);
	o.name = name = upload_file_name(r->upload_name);
	o.dry = (dry = field(r, "dry")) && !strcmp(dry, "1");
	o.warnings.kind = "warning";
	o.errors.fr = o.warnings.fr = r->loc == LOC_FR;
	r->status = MHD_HTTP_BAD_REQUEST;
	if (!r->upload_name || !r->upload_len) {
		o.refused = WORD(r->loc, "Choisissez un fichier, non vide.",
		    "Choose a file, not an empty one.");
	} else if ((long long)r->upload_len > cfg->max_import_size) {
		r->status = MHD_HTTP_CONTENT_TOO_LARGE;
		o.refused = too_large(r, why, sizeof(why));
	} else if (csv_parse_warn(name, r->upload, r->upload_len, cfg->period,
	    period_current(cfg->period, (int64_t)time(NULL)), &b, &o.errors,
	    &o.warnings) != 0) {
		o.refused = has_errors(r);
	} else if (check_scope(r, &b, &o), o.scope.n) {
		r->status = MHD_HTTP_FORBIDDEN;
		o.refused = WORD(r->loc, "Le fichier nomme des unités hors de votre "
		    "périmètre" TYPO_NNBSP ": rien n'a été importé.", "The file names units "
		    "outside your scope: nothing was imported.");
	} else if (import_check_renamed(r->st, name, &b, &o.errors) > 0) {
		/* An old path at a period its new one covers (vigie(1)). */
		o.refused = has_errors(r);
	} else if (import_check(r->st, name, &b, r->site->cfg->min_headcount,
	    r->site->cfg->dominance, &bl.bl, &o.warnings), o.dry) {
		/* What `vigie import --dry-run` says: nothing written; audited,
		 * as a read of what is stored. */
		snprintf(detail, sizeof(detail), "%zu values, not imported", b.nrecs);
		if (audit(r, "import-check", name, detail) != 0)
			log_err("cannot record the check of %s by %s in the audit log: %s",
			    name, r->acct.name, store_errmsg(r->st));
		if (store_import_count(r->st, &b, &bl.bl, &o.s) != 0) {
			log_err("cannot read what %s would change: %s", name,
			    store_errmsg(r->st));
			r->status = MHD_HTTP_SERVICE_UNAVAILABLE;
			o.refused = WORD(r->loc, "La base de données n'a pas pu être lue"
			    TYPO_NNBSP ": réessayez dans un moment.", "The database could "
			    "not be read: try again in a moment.");
		} else {
			r->status = MHD_HTTP_OK;
		}
	} else {
		sha256_hex(r->upload, r->upload_len, sha);
		snprintf(detail, sizeof(detail), "%zu values", b.nrecs);
		if (store_import(r->st, name, &(struct import_origin){ r->acct.name,
		    "web", &bl.bl }, sha, &b, &o.s) != 0) {
			/* A full disk, a lock held too long: said on the page,
			 * which keeps its form. */
			log_err("cannot import %s for %s: %s", name, r->acct.name,
			    store_errmsg(r->st));
			r->status = MHD_HTTP_SERVICE_UNAVAILABLE;
			o.refused = WORD(r->loc, "La base de données n'a pas pu enregistrer le "
			    "fichier" TYPO_NNBSP ": rien n'a été importé. Réessayez dans un moment"
			    TYPO_NNBSP "; si cela dure, prévenez l'exploitation.", "The database "
			    "could not take the file: nothing was imported. Try again in a "
			    "moment; if it lasts, tell the operators.");
			import_page(r, &o);
			goto out;
		}
		/* Imported: the page says so, whatever the logs could take. */
		if (store_import_warned(r->st, o.s.log_id, &o.warnings) != 0)
			log_err("cannot record the warnings of %s in the import log: %s",
			    name, store_errmsg(r->st));
		if (audit(r, "import", name, detail) != 0)
			log_err("cannot record the import of %s by %s in the audit log: %s",
			    name, r->acct.name, store_errmsg(r->st));
		log_msg(LOG_INFO, "%s imported %s: %zu values (%zu added, %zu replaced, "
		    "%zu unchanged)", r->acct.name, name, o.s.values, o.s.added,
		    o.s.replaced, o.s.unchanged);
		r->status = MHD_HTTP_OK;
	}
	import_page(r, &o);
out:
	blind_end(&bl);
	import_batch_free(&b);
	diags_free(&o.errors);
	diags_free(&o.scope);
	diags_free(&o.warnings);
	free(name);
	free(dry);
}

void import_too_large(struct req *r)
{
	struct sent o = { .name = "" };
	char why[320];

	if (!may_import(r)) {
		page_error(r, MHD_HTTP_NOT_FOUND, NULL);
		return;
	}
	o.refused = too_large(r, why, sizeof(why));
	r->status = MHD_HTTP_CONTENT_TOO_LARGE;
	import_page(r, &o);
}
