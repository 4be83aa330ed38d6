/* The import page's form (import_impl.h): the files sent, one or several
 * (a history exported month by month, selected together), imported as
 * `vigie import FILE...` imports them. Every file is read, checked and
 * kept within the user's scopes first: one refused refuses them all,
 * nothing written. Then each is checked against what is stored (files
 * before it imported, the headcount of the others counted as there) and
 * imported in its own transaction, in the order sent, each recorded in the
 * import and audit logs; vigied evaluates them together, once none came
 * for a few seconds (watch.h), so that a history is notified once, as the
 * alerts still open, not month by month. The file that brings the
 * upload's latest period is warned when it moves the latest stored, once
 * evaluated, to one long ended (importcheck.h, import_check_backfill).
 * « Vérifier sans importer » (dry) writes nothing, audited as
 * `import-check`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "vigie/csv.h"
#include "vigie/importcheck.h"
#include "vigie/log.h"
#include "vigie/period.h"
#include "vigie/typo.h"
#include "vigie/wording.h"
#include "vigie/xalloc.h"
#include "blind.h"
#include "import_impl.h"
#include "web_impl.h"

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

/* Reads o, and says why it is refused (o->refused), its status in
 * r->status. */
static void read_one(struct req *r, struct sent *o, char *why, size_t size)
{
	const struct config *cfg = r->site->cfg;
	const char *has_errors = WORD(r->loc, "Le fichier a des erreurs" TYPO_NNBSP
	    ": rien n'a été importé. Corrigez-les et envoyez-le à nouveau.",
	    "The file has errors: nothing was imported. Correct them and send it "
	    "again.");

	if (!o->len) {
		o->refused = WORD(r->loc, "Choisissez un fichier, non vide.",
		    "Choose a file, not an empty one.");
	} else if ((long long)o->len > cfg->max_import_size) {
		r->status = MHD_HTTP_CONTENT_TOO_LARGE;
		o->refused = import_too_large_why(r, why, size);
	} else if (csv_parse_warn(o->name, o->buf, o->len, cfg->period,
	    period_current(cfg->period, (int64_t)time(NULL)), &o->b, &o->errors,
	    &o->warnings) != 0) {
		o->refused = has_errors;
	} else if (check_scope(r, &o->b, o), o->scope.n) {
		if (r->status != MHD_HTTP_CONTENT_TOO_LARGE)
			r->status = MHD_HTTP_FORBIDDEN;
		o->refused = WORD(r->loc, "Le fichier nomme des unités hors de votre "
		    "périmètre" TYPO_NNBSP ": rien n'a été importé.", "The file names units "
		    "outside your scope: nothing was imported.");
	} else if (import_check_renamed(r->st, o->name, &o->b, &o->errors) > 0) {
		/* An old path at a period its new one covers (vigie(1)). */
		o->refused = has_errors;
	}
}

/* The database's refusal, for one file or the k-th of several. */
static void db_failed(struct req *r, struct upload_outcome *o, size_t k)
{
	r->status = MHD_HTTP_SERVICE_UNAVAILABLE;
	if (o->n == 1) {
		o->refused = WORD(r->loc, "La base de données n'a pas pu enregistrer le "
		    "fichier" TYPO_NNBSP ": rien n'a été importé. Réessayez dans un moment"
		    TYPO_NNBSP "; si cela dure, prévenez l'exploitation.", "The database "
		    "could not take the file: nothing was imported. Try again in a "
		    "moment; if it lasts, tell the operators.");
		return;
	}
	o->refused = o->refused_buf = xasprintf(WORD(r->loc, "La base de données n'a "
	    "pas pu enregistrer %s" TYPO_NNBSP ": ni lui ni les suivants n'ont été "
	    "importés (les %zu d'avant l'ont été). Réessayez dans un moment avec "
	    "ceux-là" TYPO_NNBSP "; si cela dure, prévenez l'exploitation.", "The "
	    "database could not take %s: neither it nor the files after it were "
	    "imported (the %zu before it were). Try again in a moment with those; "
	    "if it lasts, tell the operators."), o->v[k].name, k);
}

/* Checks each file against what is stored, then counts what it would
 * change (dry) or imports it. */
static void import_all(struct req *r, struct upload_outcome *o, struct blind *bl)
{
	const struct config *cfg = r->site->cfg;
	const struct import_batch **all = xcalloc(o->n, sizeof(*all));
	size_t top;
	int32_t now = period_current(cfg->period, (int64_t)time(NULL)),
	    before = import_backfill_from(r->st);
	char sha[65], detail[160];

	for (size_t i = 0; i < o->n; i++)
		all[i] = &o->v[i].b;
	top = import_backfill_file(all, o->n);
	r->status = MHD_HTTP_OK;
	for (size_t i = 0; i < o->n; i++) {
		struct sent *f = &o->v[i];
		const struct import_blind *blind = import_hidden_blind(f, &bl->bl);

		/* import_check's, the other files of the upload counted as
		 * there for the headcount, as `vigie import` does. */
		import_check_names(r->st, f->name, &f->b, &f->warnings);
		import_check_late(r->st, f->name, &f->b, cfg->min_headcount, blind,
		    &f->warnings);
		import_check_dominated(r->st, f->name, &f->b, cfg->min_headcount,
		    cfg->dominance, blind, &f->warnings);
		import_check_uncover(r->st, f->name, &f->b, cfg->min_headcount,
		    cfg->dominance, &f->warnings);
		import_check_values(r->st, f->name, &f->b, all, o->n, blind,
		    &f->warnings);
		import_check_retention(r->st, f->name, &f->b, all, o->n,
		    cfg->retention.data, &f->warnings);
		if (i == top)
			import_check_backfill(f->name, &f->b, before, now, &f->warnings);
		if (o->dry) {
			/* What `vigie import --dry-run` says: nothing written;
			 * audited, as a read of what is stored. */
			snprintf(detail, sizeof(detail), "%zu values, not imported", f->b.nrecs);
			if (audit(r, "import-check", f->name, detail) != 0)
				log_err("cannot record the check of %s by %s in the audit "
				    "log: %s", f->name, r->acct.name, store_errmsg(r->st));
			if (store_import_count(r->st, &f->b, blind, &f->s) != 0) {
				log_err("cannot read what %s would change: %s", f->name,
				    store_errmsg(r->st));
				r->status = MHD_HTTP_SERVICE_UNAVAILABLE;
				o->refused = WORD(r->loc, "La base de données n'a pas pu être "
				    "lue" TYPO_NNBSP ": réessayez dans un moment.", "The database "
				    "could not be read: try again in a moment.");
				break;
			}
			continue;
		}
		sha256_hex(f->buf, f->len, sha);
		snprintf(detail, sizeof(detail), "%zu values", f->b.nrecs);
		if (store_import(r->st, f->name, &(struct import_origin){ r->acct.name,
		    "web", blind }, sha, &f->b, &f->s) != 0) {
			/* A full disk, a lock held too long: said on the page,
			 * which keeps its form. */
			log_err("cannot import %s for %s: %s", f->name, r->acct.name,
			    store_errmsg(r->st));
			db_failed(r, o, i);
			break;
		}
		/* Imported: the page says so, whatever the logs could take. */
		if (store_import_warned(r->st, f->s.log_id, &f->warnings) != 0)
			log_err("cannot record the warnings of %s in the import log: %s",
			    f->name, store_errmsg(r->st));
		if (audit(r, "import", f->name, detail) != 0)
			log_err("cannot record the import of %s by %s in the audit log: %s",
			    f->name, r->acct.name, store_errmsg(r->st));
		char left[48] = "";

		if (f->s.left)
			snprintf(left, sizeof(left), ", %zu left as stored", f->s.left);
		log_msg(LOG_INFO, "%s imported %s: %zu values (%zu added, %zu replaced, "
		    "%zu unchanged%s)", r->acct.name, f->name, f->s.values, f->s.added,
		    f->s.replaced, f->s.unchanged, left);
	}
	free(all);
}

void post_import(struct req *r)
{
	struct upload_outcome o = { 0 };
	struct blind bl = { 0 };
	char *dry, why[320];
	size_t bad = 0, hidden = 0;

	if (!may_import(r)) {
		page_error(r, MHD_HTTP_NOT_FOUND, NULL);
		return;
	}
	blind_begin(r, &bl);
	o.dry = (dry = field(r, "dry")) && !strcmp(dry, "1");
	/* No file chosen: a browser sends one empty part, curl none. */
	o.n = r->nuploads ? r->nuploads : 1;
	o.v = xcalloc(o.n, sizeof(*o.v));
	for (size_t i = 0; i < o.n; i++) {
		struct sent *f = &o.v[i];
		const struct upload *u = r->nuploads ? &r->uploads[i] : NULL;

		f->name = upload_file_name(u ? u->name : NULL);
		f->buf = u ? u->data : "";
		f->len = u ? u->len : 0;
		f->dry = o.dry;
		f->warnings.kind = "warning";
		f->errors.fr = f->warnings.fr = r->loc == LOC_FR;
	}
	r->status = MHD_HTTP_BAD_REQUEST;
	if (r->uploads_over) {
		o.refused = o.refused_buf = xasprintf(WORD(r->loc, "Envoyez au plus %d "
		    "fichiers à la fois" TYPO_NNBSP ": rien n'a été importé.", "Send %d "
		    "files at most at once: nothing was imported."), WEB_IMPORT_FILES);
	} else {
		for (size_t i = 0; i < o.n; i++) {
			read_one(r, &o.v[i], why, sizeof(why));
			bad += o.v[i].refused != NULL;
		}
		/* Read, then the hidden figures of months stored, before any
		 * file is written: one refused refuses them all. */
		for (size_t i = 0; !bad && i < o.n && !o.refused; i++)
			if (import_hidden(r, &o.v[i]) != 0) {
				log_err("cannot read what %s would change: %s", o.v[i].name,
				    store_errmsg(r->st));
				r->status = MHD_HTTP_SERVICE_UNAVAILABLE;
				o.refused = WORD(r->loc, "La base de données n'a pas pu être "
				    "lue" TYPO_NNBSP ": rien n'a été importé. Réessayez dans un "
				    "moment.", "The database could not be read: nothing was "
				    "imported. Try again in a moment.");
			}
		for (size_t i = 0; !bad && !o.refused && i < o.n; i++)
			hidden += o.v[i].refused_buf != NULL;
		if (hidden)
			r->status = MHD_HTTP_CONFLICT;
		bad += hidden;
		if (o.refused)
			bad = 0;	/* the database's refusal */
		else if (bad && o.n == 1)
			o.refused = o.v[0].refused;
		else if (bad)
			o.refused = o.refused_buf = xasprintf(WORD(r->loc, "%zu fichier%s "
			    "sur %zu refusé%s ci-dessous" TYPO_NNBSP ": rien n'a été importé. "
			    "Corrigez et envoyez à nouveau tous les fichiers.", "%zu file%.0s "
			    "of %zu refused%.0s below: nothing was imported. Correct and send "
			    "all the files again."), bad, typo_plural((double)bad, "", "s",
			    r->loc), o.n, typo_plural((double)bad, "", "s", r->loc));
		else
			import_all(r, &o, &bl);
	}
	if (o.n == 1)	/* one file: its refusal is the upload's */
		o.v[0].refused = o.refused;
	import_page(r, &o);
	blind_end(&bl);
	for (size_t i = 0; i < o.n; i++) {
		import_batch_free(&o.v[i].b);
		diags_free(&o.v[i].errors);
		diags_free(&o.v[i].scope);
		diags_free(&o.v[i].warnings);
		free(o.v[i].refused_buf);
		free(o.v[i].left);
		free(o.v[i].name);
	}
	free(o.v);
	free(o.refused_buf);
	free(dry);
}
