/* The console's changes to stored data in two steps (web_impl.h): the
 * removal of a period's values (page_delete.c) and the rename of a unit
 * (page_rename.c). The first POST counts and writes nothing; its answer
 * carries the count in a second form, whose POST changes the data only
 * when the count still holds, so that a count made before someone else's
 * import changes nothing it did not say. Here: the count carried, the
 * sentences both pages say alike, in the words of their action. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/log.h"
#include "vigie/typo.h"
#include "vigie/web_html.h"
#include "vigie/wording.h"
#include "web_impl.h"

bool recount_read(struct req *r, struct recount *c)
{
	char *confirm = field(r, "confirm"), *expect = field(r, "expect"), *end = NULL;
	bool ok = true;

	c->confirm = confirm && !strcmp(confirm, "1");
	c->expect = 0;
	if (c->confirm)
		ok = expect && *expect && (c->expect = strtoul(expect, &end, 10), !*end);
	free(confirm);
	free(expect);
	return ok;
}

void recount_put_fields(struct req *r, size_t n, const char *button)
{
	fprintf(r->out, "<input type=\"hidden\" name=\"expect\" value=\"%zu\">\n"
	    "<input type=\"hidden\" name=\"confirm\" value=\"1\">\n<p><button "
	    "type=\"submit\">", n);
	html_text(r->out, button);
	fputs("</button></p>\n</form>\n", r->out);
}

void recount_put_changed(struct req *r, const char *nothing)
{
	char text[256];

	snprintf(text, sizeof(text), WORD(r->loc, "Les données ont changé depuis le "
	    "décompte" TYPO_NNBSP ": %s. Voici le nouveau décompte.", "The data changed "
	    "since the count: %s. Here is the new count."), nothing);
	fputs("<p class=\"message warn\" role=\"alert\">", r->out);
	html_text(r->out, text);
	fputs("</p>\n", r->out);
}

void recount_db_error(struct req *r, const char *action, const char *nothing)
{
	char text[256];

	log_err("cannot %s for %s: %s", action, r->acct.name, store_errmsg(r->st));
	snprintf(text, sizeof(text), WORD(r->loc, "La base de données n'a pas pu "
	    "répondre" TYPO_NNBSP ": %s. Réessayez dans un moment" TYPO_NNBSP "; si cela "
	    "dure, prévenez l'exploitation.", "The database could not answer: %s. Try "
	    "again in a moment; if it lasts, tell the operators."), nothing);
	page_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, text);
}

void recount_put_back(struct req *r)
{
	fputs("<p><a href=\"/import\">", r->out);
	html_text(r->out, WORD(r->loc, "Retour à l'import", "Back to the import page"));
	fputs("</a></p>\n", r->out);
}
