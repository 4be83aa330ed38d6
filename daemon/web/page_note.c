/* A note's page (SPEC 14): the note, for the users of the role that wrote
 * it only (another role, or a unit or alert out of scope, is 404 as a note
 * that does not exist); and for its author, a form correcting its text and
 * one deleting it, behind a confirmation box (no JavaScript). Each POST is
 * one transaction with its audit entry, which names the note and the alert
 * or unit it is on, never its text, old or new. The text replaced or
 * deleted is not kept anywhere: a note that named someone really goes
 * (store_note_edit: zeroed pages, then the write-ahead log emptied). */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "vigie/log.h"
#include "vigie/store_audit.h"
#include "vigie/store_followup.h"
#include "vigie/typo.h"
#include "vigie/web_html.h"
#include "vigie/wording.h"
#include "vigie/xalloc.h"
#include "web_impl.h"

/* Note ID of the user's role on a unit and, for a note on an alert, an
 * alert the user sees: 0 (n filled, *rule the alert's rule or NULL), 1
 * not found (answered 404), -1 store error (answered 500). */
static int find_note(struct req *r, const char *id, struct note *n, char **rule)
{
	char *end;
	long long nid = strtoll(id, &end, 10);
	int rc;

	*rule = NULL;
	memset(n, 0, sizeof(*n));
	if (*id < '1' || *id > '9' || *end || nid <= 0)
		rc = 1;
	else if ((rc = store_console_note(r->st, nid, r->who.role, n, rule)) == 0 &&
	    (!n->unit || !viewer_sees_unit(&r->who, n->unit) ||
	    (*rule && !sees_alert(r, *rule, n->unit)))) {
		console_note_clear(n);
		free(*rule);
		*rule = NULL;
		rc = 1;
	}
	if (rc < 0)
		log_err("cannot read note %lld: %s", nid, store_errmsg(r->st));
	if (rc != 0)
		page_error(r, rc > 0 ? MHD_HTTP_NOT_FOUND : MHD_HTTP_INTERNAL_SERVER_ERROR,
		    NULL);
	return rc;
}

/* The page the note is on: its alert's, or its unit's. */
static void parent_link(struct req *r, const struct note *n, const char *rule)
{
	if (rule) {
		alert_link(r->out, rule, n->unit);
	} else {
		fputs("/units/", r->out);
		html_url(r->out, n->unit, true);
	}
}

/* The author's forms: correct, then delete behind a box to tick. */
static void note_forms(struct req *r, const struct note *n)
{
	FILE *f = r->out;

	fprintf(f, "<section aria-labelledby=\"edit\">\n<h2 id=\"edit\">%s</h2>\n"
	    "<form method=\"post\" action=\"/notes/%lld\">\n", WORD(r->loc,
	    "Corriger la note", "Correct the note"), (long long)n->id);
	csrf_field(r);
	fprintf(f, "<input type=\"hidden\" name=\"action\" value=\"edit\">\n"
	    "<p><label for=\"body\">%s (%d %s)</label>\n", WORD(r->loc, "Texte de la note",
	    "Text of the note"), WEB_NOTE_MAX, WORD(r->loc, "caractères au plus",
	    "characters at most"));
	note_field(r, 6, "edit-hint", n->body);
	fprintf(f, "</p>\n<p class=\"hint\" id=\"edit-hint\">%s</p>\n<p><button type=\"submit\">"
	    "%s</button></p>\n</form>\n</section>\n", WORD(r->loc, "Le nouveau texte remplace "
	    "l'ancien, qui n'est pas conservé. La note indiquera la date de la correction.",
	    "The new text replaces the old one, which is not kept. The note will show "
	    "when it was corrected."), WORD(r->loc, "Enregistrer la correction",
	    "Save the correction"));
	fprintf(f, "<section aria-labelledby=\"delete\">\n<h2 id=\"delete\">%s</h2>\n"
	    "<form method=\"post\" action=\"/notes/%lld\">\n", WORD(r->loc,
	    "Supprimer la note", "Delete the note"), (long long)n->id);
	csrf_field(r);
	fprintf(f, "<input type=\"hidden\" name=\"action\" value=\"delete\">\n"
	    "<p><input type=\"checkbox\" id=\"confirm\" name=\"confirm\" value=\"yes\" required>\n"
	    "<label for=\"confirm\">%s</label></p>\n<p><button type=\"submit\">%s</button></p>\n"
	    "</form>\n</section>\n", WORD(r->loc, "Je supprime cette note définitivement"
	    TYPO_NNBSP "; son texte ne sera conservé nulle part.", "I delete this note for "
	    "good; its text will be kept nowhere."), WORD(r->loc, "Supprimer la note",
	    "Delete the note"));
}

void page_note(struct req *r, const char *id)
{
	struct note n;
	char *rule, *title, tb[64];
	const char *done = query(r, "done");
	FILE *f = r->out;

	if (find_note(r, id, &n, &rule) != 0)
		return;
	bool edited = done && !strcmp(done, "edit") && n.edited && note_mine(r, &n);

	if (edited)
		title_said(r, WORD(r->loc, "Note corrigée.", "Note corrected."));
	/* Each note's page has a title of its own, its date and what it is
	 * on, as alert pages name their unit (WCAG 2.4.2). */
	title = rule ? xasprintf(WORD(r->loc, "%sNote du %s — %s — %s", "%sNote of %s — %s — %s"),
	    title_prefix(r), fmt_time(tb, sizeof(tb), n.at, r->loc),
	    site_rule(r->site, rule, NULL)->title, n.unit) :
	    xasprintf(WORD(r->loc, "%sNote du %s — %s", "%sNote of %s — %s"), title_prefix(r),
	    fmt_time(tb, sizeof(tb), n.at, r->loc), n.unit);
	page_begin(r, title);
	free(title);
	fprintf(f, "<h1>%s</h1>\n", WORD(r->loc, "Note", "Note"));
	if (edited)
		put_done(r, WORD(r->loc, "Note corrigée.", "Note corrected."));
	fprintf(f, "<p class=\"meta\">%s", fmt_time(tb, sizeof(tb), n.at, r->loc));
	fputs(" — ", f);
	html_text(f, n.author);
	if (n.edited)
		fprintf(f, WORD(r->loc, " — modifiée le %s", " — edited on %s"),
		    fmt_time(tb, sizeof(tb), n.edited, r->loc));
	fputs(WORD(r->loc, ", sur ", ", on "), f);
	fputs("<a href=\"", f);
	parent_link(r, &n, rule);
	fputs("\">", f);
	if (rule) {
		html_text(f, site_rule(r->site, rule, NULL)->title);
		fputs(" — ", f);
	}
	html_text(f, n.unit);
	fputs("</a></p>\n<div class=\"note-body\">", f);
	html_text(f, n.body);
	fputs("</div>\n", f);
	if (note_mine(r, &n))
		note_forms(r, &n);
	page_end(r);
	console_note_clear(&n);
	free(rule);
}

/* Corrects (body set) or deletes note n with its audit entry, in one
 * transaction; then empties the write-ahead log of the old text. 0, 1
 * when the note is no longer there or not the user's, or -1. */
static int change(struct req *r, const struct note *n, const char *rule,
    const char *body)
{
	char *object = rule ? xasprintf("%s@%s", rule, n->unit) : xstrdup(n->unit);
	char detail[64];
	int rc;

	/* The audit log says which note changed, not what it said. */
	snprintf(detail, sizeof(detail), "note %lld", (long long)n->id);
	if (store_begin(r->st) != 0)
		rc = -1;
	else
		rc = body ? store_note_edit(r->st, n->id, r->who.role, r->acct.name,
		    r->acct.created_at, body, (int64_t)time(NULL)) :
		    store_note_delete(r->st, n->id, r->who.role, r->acct.name,
		    r->acct.created_at);
	if (rc == 0 && (audit(r, body ? "note-edit" : "note-delete", object, detail) != 0 ||
	    store_commit(r->st) != 0))
		rc = -1;
	if (rc < 0)
		log_err("cannot %s note %lld: %s", body ? "correct" : "delete",
		    (long long)n->id, store_errmsg(r->st));
	if (rc != 0)
		store_rollback(r->st);
	else if (store_scrub(r->st) != 0)
		log_warnx("note %lld: the write-ahead log is still read: its old text "
		    "goes at the next checkpoint", (long long)n->id);
	free(object);
	return rc;
}

void post_note(struct req *r, const char *id)
{
	struct note n;
	char *rule, *action = NULL, *body = NULL, *confirm = NULL;
	bool del;
	int rc;

	if (find_note(r, id, &n, &rule) != 0)
		return;
	action = field(r, "action");
	del = action && !strcmp(action, "delete");
	if (!note_mine(r, &n)) {
		page_error(r, MHD_HTTP_FORBIDDEN, WORD(r->loc, "Seul l'auteur d'une note "
		    "peut la corriger ou la supprimer.", "Only the author of a note may "
		    "correct or delete it."));
	} else if (!action || (!del && strcmp(action, "edit"))) {
		page_error(r, MHD_HTTP_BAD_REQUEST, NULL);
	} else if (del && (!(confirm = field(r, "confirm")) || strcmp(confirm, "yes"))) {
		page_error(r, MHD_HTTP_BAD_REQUEST, WORD(r->loc, "Cochez la case pour "
		    "confirmer la suppression.", "Tick the box to confirm the deletion."));
	} else if (!del && !(body = note_body(r))) {
		/* The page again, its field saying why (note_field). */
		note_refused(r);
		page_note(r, id);
	} else if ((rc = change(r, &n, rule, body)) < 0 && !del) {
		note_unsaved(r);	/* the page again, the text in its field */
		page_note(r, id);
	} else if (rc < 0) {
		page_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL);
	} else if (rc > 0) {
		page_error(r, MHD_HTTP_NOT_FOUND, NULL);
	} else if (!del) {
		redirect(r, "/notes/%lld?done=edit", (long long)n.id);
	} else {
		char *enc = rule ? xasprintf("%s@%s", rule, n.unit) : xstrdup(n.unit);
		char *path = url_encode(enc, true);

		redirect(r, "/%s/%s?done=note-deleted&note=%lld#notes", rule ? "alerts" :
		    "units", path, (long long)n.id);
		free(path);
		free(enc);
	}
	console_note_clear(&n);
	free(rule);
	free(action);
	free(body);
	free(confirm);
}

bool note_mine(const struct req *r, const struct note *n)
{
	/* A name is not a person: an account created again under the name
	 * of a deleted one (vigie user del, then add) signs the notes written
	 * since, not its predecessor's. */
	return !strcmp(n->author, r->acct.name) && n->at >= r->acct.created_at;
}

bool note_gone(struct req *r, const char *rule, const char *unit,
    const struct note *v, size_t n)
{
	const char *id = query(r, "note");
	char *end, *object, detail[64];
	long long nid = id ? strtoll(id, &end, 10) : 0;
	int rc;

	if (!id || *end || nid <= 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (v[i].id == nid)
			return false;
	/* A link with any number in it is no deletion: the audit entry of
	 * change() is, by this user since this session began. */
	object = rule ? xasprintf("%s@%s", rule, unit) : xstrdup(unit);
	snprintf(detail, sizeof(detail), "note %lld", nid);
	rc = store_audit_has(r->st, r->acct.name, "web", "note-delete", object, detail,
	    r->sess.created_at);
	free(object);
	return rc == 1;
}
