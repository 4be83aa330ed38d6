/* A note's text that a form refused for its session holds (web_impl.h):
 * kept for its user rather than lost (WCAG 2.2.1: a social worker who spent
 * ten minutes on a follow-up note must not write it again), never saved
 * without the user's own post of a form of a live session. A form posted
 * after its session ended is answered by the login page, which carries the
 * text in a hidden field; the login is answered by the note's page with
 * the text in its field. The text goes in bodies only, never in a URL (a
 * proxy's log), a header or the service's log, and nothing of it stays in
 * the server between two requests. */
#include <stdlib.h>
#include <string.h>
#include "vigie/xalloc.h"
#include "web_impl.h"

bool from_console(struct req *r)
{
	const char *site = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
	    "Sec-Fetch-Site");

	return !site || !strcmp(site, "same-origin");
}

/* The text of the note a refused form of a page holds (a new note, a
 * correction), in r->kept: kept for the user, not saved. */
static void keep_note(struct req *r)
{
	if (from_console(r) && (!strncmp(r->url, "/alerts/", 8) ||
	    !strncmp(r->url, "/units/", 7) || !strncmp(r->url, "/notes/", 7)))
		r->kept = note_text(r);
}

/* Whether the form closes an alert, its outcome chosen. */
static bool closing(struct req *r)
{
	char *action = field(r, "action"), *outcome = field(r, "outcome");
	bool yes = !strncmp(r->url, "/alerts/", 8) && action && !strcmp(action, "close") &&
	    outcome && *outcome;

	free(action);
	free(outcome);
	return yes;
}

/* A form of a session that has ended: it changes nothing. A note's text
 * is not lost: the login page answers the form itself, the text in its
 * body (never in a URL: proxies log those), and gives it back after the
 * login (page_resume). Other fields (an outcome, a deletion's
 * confirmation) are chosen again: the page is back, and an alert's says
 * that its closing was not recorded (done=unclosed). */
void expired_form(struct req *r)
{
	char *next;

	keep_note(r);
	if (!r->kept && closing(r)) {
		char *page = xasprintf("%s?done=unclosed", r->url);
		next = url_encode(page, true);
		redirect(r, "/login?next=%s&expired=1", next);
		free(page);
		free(next);
		return;
	}
	if (!r->kept) {
		to_login(r, true);
		return;
	}
	next = here(r);
	page_login_kept(r, next);
	free(next);
}

/* The page of path (decoded) that a kept note goes back to; false when
 * path takes no note. */
static bool resume_path(struct req *r, const char *path)
{
	if (!strncmp(path, "/alerts/", 8))
		page_alert(r, path + 8);
	else if (!strncmp(path, "/units/", 7))
		page_unit(r, path + 7);
	else if (!strncmp(path, "/notes/", 7))
		page_note(r, path + 7);
	else
		return false;
	return true;
}

void page_resume(struct req *r, const char *next)
{
	char *path = xstrdup(next), *q = strchr(path, '?');

	/* The page alone: a query of a form's page says nothing to it. */
	if (q)
		*q = '\0';
	MHD_http_unescape(path);
	if (!resume_path(r, path))
		redirect(r, "%s", next);
	free(path);
}

/* A form refused for its CSRF token that holds a note's text: a form of a
 * session that ended while another began (a login in another tab), or a
 * login form that outlived its cookie (an hour). Nothing is saved, and
 * the text is not lost: the page again, the text in its field (403), or
 * the login form again. False when there is no text to keep, or no token
 * at all. */
bool stale_form(struct req *r)
{
	char *tok = field(r, "csrf"), *next;
	bool token = tok && *tok;

	/* A form without a token is no form of a session. */
	free(tok);
	if (!token)
		return false;
	if (strcmp(r->url, "/login")) {
		keep_note(r);
		if (!r->kept)
			return false;
		r->status = MHD_HTTP_FORBIDDEN;
		resume_path(r, r->url);
		return true;
	}
	if (from_console(r))
		r->kept = note_text(r);
	if (!r->kept)
		return false;
	next = field(r, "next");
	page_login_kept(r, next);
	free(next);
	return true;
}
