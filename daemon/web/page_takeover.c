/* Taking over a colleague's alerts at once (web_impl.h): while a social
 * worker is on leave, or once she has left, a colleague of her role takes
 * over every active alert she follows, and every one she closed that got
 * worse since (reopened), from the list of alerts, rather than from each
 * alert's page. Each is taken over as on its page (alert_follow: its own
 * transaction, its audit entry « taken over » or reopen, its history
 * keeping who followed it before); the list then shows the user's own, and
 * says how many were taken over. */
#include <stdlib.h>
#include <string.h>
#include "vigie/log.h"
#include "vigie/typo.h"
#include "vigie/web_html.h"
#include "vigie/wording.h"
#include "vigie/xalloc.h"
#include "web_impl.h"

/* Who follows a, to take it over from: its taker while it is not closed,
 * whoever closed it once it got worse since; NULL when nobody. */
static const char *follower(const struct console_alert *a)
{
	return worse_since_closed(a) ? a->closed_by : a->active && !a->closed_by ?
	    a->taken_by : NULL;
}

/* Whether the user may take a over from its follower: active, seen,
 * followed by someone else of the user's role. */
static bool takeable(struct req *r, const struct console_alert *a)
{
	return follower(a) && strcmp(follower(a), r->acct.name) && may_close(r, a) &&
	    sees_alert(r, a->rule, a->unit);
}

const char *takeover_done(struct req *r, const struct alertset *as)
{
	const char *done = query(r, "done"), *from = query(r, "from");

	if (!done || strcmp(done, "takeover") || !from || !strcmp(from, r->acct.name))
		return NULL;
	/* From the record, not the URL alone: none of from's left to take,
	 * and some the user follows. */
	bool mine = false;
	for (size_t i = 0; i < as->n; i++) {
		const struct console_alert *a = &as->v[i];
		if (takeable(r, a) && !strcmp(follower(a), from))
			return NULL;
		mine |= a->taken_by && !a->closed_by && !strcmp(a->taken_by, r->acct.name);
	}
	if (!mine)
		return NULL;
	return WORD(r->loc, "Vous suivez désormais les alertes de votre collègue.",
	    "You follow your colleague's alerts from now on.");
}

void put_takeover_form(struct req *r, const struct alertset *as)
{
	const char **who = xcalloc(as->n + 1, sizeof(*who));
	size_t n = 0;
	FILE *f = r->out;

	for (size_t i = 0; i < as->n; i++) {
		const struct console_alert *a = &as->v[i];
		bool seen = false;

		if (!takeable(r, a))
			continue;
		for (size_t k = 0; k < n && !seen; k++)
			seen = !strcmp(who[k], follower(a));
		if (!seen)
			who[n++] = follower(a);
	}
	if (n) {
		qsort(who, n, sizeof(*who), web_cmp_str);
		fprintf(f, "<form method=\"post\" action=\"/takeover\" class=\"takeover\">\n");
		csrf_field(r);
		fprintf(f, "<p><label for=\"takeover-from\">%s</label>\n<select "
		    "id=\"takeover-from\" name=\"from\" aria-describedby=\"takeover-all-hint\">",
		    WORD(r->loc, "Reprendre le suivi de toutes les alertes de",
		    "Take over every alert followed by"));
		for (size_t k = 0; k < n; k++) {
			fputs("<option value=\"", f);
			html_attr(f, who[k]);
			fputs("\">", f);
			html_text(f, who[k]);
			fputs("</option>", f);
		}
		fprintf(f, "</select>\n<button type=\"submit\">%s</button></p>\n<p class=\"hint\" "
		    "id=\"takeover-all-hint\">%s</p>\n</form>\n", WORD(r->loc, "Reprendre "
		    "leur suivi", "Take them over"), WORD(r->loc, "Pendant l'absence d'un "
		    "collègue, ou après son départ" TYPO_NNBSP ": vous suivez ses alertes "
		    "actives de votre périmètre (celles qu'il a clôturées et qui se sont "
		    "aggravées depuis aussi, rouvertes), et l'historique de chacune garde "
		    "qui l'a suivie.", "While a colleague is away, or once gone: you "
		    "follow their active alerts of your scope (those they closed that got "
		    "worse since too, reopened), and each one's history keeps who "
		    "followed it."));
	}
	free(who);
}

void post_takeover(struct req *r)
{
	struct alertset *as = alerts_ref(r);
	char *from = field(r, "from");
	size_t taken = 0;
	int failed = 0;


	if (!as) {
		page_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL);
		free(from);
		return;
	}
	if (!from || !*from || !strcmp(from, r->acct.name)) {
		page_error(r, MHD_HTTP_BAD_REQUEST, WORD(r->loc, "Choisissez le collègue "
		    "dont vous reprenez le suivi.", "Choose the colleague whose alerts you "
		    "take over."));
		goto out;
	}
	for (size_t i = 0; i < as->n; i++) {
		const struct console_alert *a = &as->v[i];
		char *aid;
		int rc;

		if (!takeable(r, a) || strcmp(follower(a), from))
			continue;
		aid = xasprintf("%s@%s", a->rule, a->unit);
		rc = alert_follow(r, a, aid, worse_since_closed(a) ? FOLLOW_REOPEN :
		    FOLLOW_TAKEOVER, OUTCOME_NONE);
		taken += rc == 0;
		failed |= rc < 0;
		free(aid);
	}
	if (failed) {
		page_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL);
		goto out;
	}
	log_info("%s took over %zu alerts of %s", r->acct.name, taken, from);
	char *enc = url_encode(from, false);
	redirect(r, "/?state=mine&done=takeover&from=%s", enc);
	free(enc);
out:
	free(from);
	alerts_unref(r->w, as);
}
