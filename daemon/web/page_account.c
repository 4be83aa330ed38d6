/* The account page (web_impl.h): the user's name and role, and the form
 * that changes one's own password, so that a password an administrator
 * typed with `vigie user add` does not stay the user's. An account of
 * single sign-on only (no password) is said to be one. The current
 * password is checked as a login's is, through the same rate limiter
 * (auth_attempt): the form is no second door for guessing it. The new one
 * follows password_check, typed twice. A change ends every session of the
 * account, this one included, as `vigie user passwd` does (whoever knew the
 * old password is logged out), is audited, and the login page says it is
 * done. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "vigie/log.h"
#include "vigie/password.h"
#include "vigie/secret.h"
#include "vigie/store_accounts.h"
#include "vigie/typo.h"
#include "vigie/web_html.h"
#include "vigie/web_sec.h"
#include "vigie/wording.h"
#include "web_impl.h"

/* The field a refused change is about. */
enum bad { BAD_NONE, BAD_CURRENT, BAD_NEW, BAD_CONFIRM };

static void password_input(struct req *r, const char *id, const char *label,
    const char *autocomplete, bool bad, const char *hint)
{
	FILE *f = r->out;

	fprintf(f, "<p><label for=\"%s\">%s</label>\n<input id=\"%s\" name=\"%s\" "
	    "type=\"password\" autocomplete=\"%s\" required maxlength=\"%d\"%s", id,
	    label, id, id, autocomplete, PASSWORD_MAX_BYTES,
	    bad ? " aria-invalid=\"true\"" : "");
	if (bad || hint)
		fprintf(f, " aria-describedby=\"%s%s%s\"", bad ? "account-error" : "",
		    bad && hint ? " " : "", hint ? hint : "");
	fputs("></p>\n", f);
}

static void account_page(struct req *r, const char *message, enum bad bad)
{
	FILE *f = r->out;

	/* A refused change says so in its title, the first thing a screen
	 * reader reads of the page that answers the form (WCAG 2.4.2, 3.3.1). */
	page_begin(r, message ? WORD(r->loc, "Erreur" TYPO_NNBSP ": mon compte",
	    "Error: my account") : WORD(r->loc, "Mon compte", "My account"));
	fprintf(f, "<h1>%s</h1>\n<dl class=\"facts\">\n<dt>%s</dt><dd>",
	    WORD(r->loc, "Mon compte", "My account"),
	    WORD(r->loc, "Nom d'utilisateur", "User name"));
	html_text(f, r->acct.name);
	fprintf(f, "</dd>\n<dt>%s</dt><dd>", WORD(r->loc, "Rôle", "Role"));
	html_text(f, wording_role(r->acct.role, r->loc));
	fprintf(f, "</dd>\n</dl>\n<h2>%s</h2>\n", WORD(r->loc, "Changer de mot de passe",
	    "Change password"));
	if (!r->acct.hash || !r->acct.hash[0]) {
		fprintf(f, "<p>%s</p>\n", WORD(r->loc, "Ce compte se connecte par "
		    "l'authentification unique de l'entreprise" TYPO_NNBSP ": il n'a pas de "
		    "mot de passe dans Vigie.", "This account logs in through the "
		    "company's single sign-on: it has no password in Vigie."));
		page_end(r);
		return;
	}
	if (message) {
		fputs("<p class=\"message error\" id=\"account-error\" role=\"alert\">", f);
		html_text(f, message);
		fputs("</p>\n", f);
	}
	fputs("<form class=\"login\" method=\"post\" action=\"/account\">\n", f);
	csrf_field(r);
	password_input(r, "current", WORD(r->loc, "Mot de passe actuel",
	    "Current password"), "current-password", bad == BAD_CURRENT, NULL);
	password_input(r, "new", WORD(r->loc, "Nouveau mot de passe", "New password"),
	    "new-password", bad == BAD_NEW, "new-hint");
	fprintf(f, "<p class=\"hint\" id=\"new-hint\">%s</p>\n", WORD(r->loc,
	    "12 caractères au moins (une phrase de quelques mots se retient bien). "
	    "Le changement ferme toutes les sessions de ce compte, celle-ci "
	    "comprise" TYPO_NNBSP ": vous vous reconnecterez avec le nouveau mot de passe.",
	    "At least 12 characters (a sentence of a few words is easy to "
	    "remember). The change ends every session of this account, this one "
	    "included: you will log in again with the new password."));
	password_input(r, "confirm", WORD(r->loc, "Nouveau mot de passe, à nouveau",
	    "New password, again"), "new-password", bad == BAD_CONFIRM, NULL);
	fprintf(f, "<p><button type=\"submit\">%s</button></p>\n</form>\n",
	    WORD(r->loc, "Changer le mot de passe", "Change password"));
	page_end(r);
}

void page_account(struct req *r)
{
	account_page(r, NULL, BAD_NONE);
}

static const char *problem_words(struct req *r, enum password_problem p)
{
	switch (p) {
	case PASSWORD_TOO_SHORT:
		return WORD(r->loc, "Le nouveau mot de passe est trop court" TYPO_NNBSP ": "
		    "12 caractères au moins.", "The new password is too short: at "
		    "least 12 characters.");
	case PASSWORD_TOO_LONG:
		return WORD(r->loc, "Le nouveau mot de passe est trop long" TYPO_NNBSP ": "
		    "1024 octets au plus.", "The new password is too long: 1024 bytes "
		    "at most.");
	case PASSWORD_CONTROL:
		return WORD(r->loc, "Le nouveau mot de passe contient un caractère de "
		    "contrôle (une tabulation, un retour à la ligne).", "The new password "
		    "contains a control character (a tab, a line break).");
	case PASSWORD_OK:
		break;
	}
	return NULL;
}

void post_account(struct req *r)
{
	char *cur = field(r, "current"), *pw = field(r, "new"), *again = field(r, "confirm");
	char msg[256], *hash = NULL;
	int64_t now = time(NULL);
	enum password_problem p;
	long wait;

	if (!r->acct.hash || !r->acct.hash[0]) {
		r->status = MHD_HTTP_FORBIDDEN;
		account_page(r, NULL, BAD_NONE);
		goto out;
	}
	if (!cur || !pw || !again) {
		r->status = MHD_HTTP_BAD_REQUEST;
		account_page(r, WORD(r->loc, "Remplissez les trois champs.",
		    "Fill in the three fields."), !cur ? BAD_CURRENT : !pw ? BAD_NEW
		    : BAD_CONFIRM);
		goto out;
	}
	if ((wait = auth_attempt(r, r->acct.name, now)) < 0) {
		page_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL);
		goto out;
	}
	if (wait > 0) {
		r->status = MHD_HTTP_TOO_MANY_REQUESTS;
		account_page(r, auth_wait_message(r, msg, sizeof(msg)), BAD_CURRENT);
		goto out;
	}
	if (!password_verify(cur, r->acct.hash)) {
		log_warnx("wrong current password in a password change for %s from %s",
		    r->acct.name, r->addr);
		r->status = MHD_HTTP_FORBIDDEN;
		account_page(r, WORD(r->loc, "Le mot de passe actuel est incorrect.",
		    "The current password is wrong."), BAD_CURRENT);
		goto out;
	}
	auth_attempt_forget(r, r->acct.name, now);
	if ((p = password_problem(pw)) != PASSWORD_OK) {
		r->status = MHD_HTTP_BAD_REQUEST;
		account_page(r, problem_words(r, p), BAD_NEW);
		goto out;
	}
	if (strcmp(pw, again) != 0) {
		r->status = MHD_HTTP_BAD_REQUEST;
		account_page(r, WORD(r->loc, "Les deux saisies du nouveau mot de passe "
		    "diffèrent.", "The two entries of the new password differ."),
		    BAD_CONFIRM);
		goto out;
	}
	if (!(hash = password_hash(pw))) {
		log_err("cannot hash a new password for %s", r->acct.name);
		page_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL);
		goto out;
	}
	if (store_begin(r->st) != 0 ||
	    store_account_set_hash(r->st, r->acct.name, hash, now) != 0 ||
	    audit(r, "user-passwd", r->acct.name, NULL) != 0 ||
	    store_commit(r->st) != 0) {
		log_err("cannot record a password change for %s: %s", r->acct.name,
		    store_errmsg(r->st));
		store_rollback(r->st);
		page_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL);
		goto out;
	}
	log_info("%s changed their console password (from %s)", r->acct.name, r->addr);
	auth_cookie_clear(r);
	redirect(r, "/login?changed=1");
out:
	secret_free(cur);
	secret_free(pw);
	secret_free(again);
	secret_free(hash);
}
