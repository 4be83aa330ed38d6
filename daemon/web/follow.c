/* Following an alert up (web_impl.h, alert_follow): taking it in charge,
 * taking it over from a colleague of the taker's role (away, or gone; the
 * history keeps both), closing it with its outcome, correcting that
 * outcome, reopening it once closed and worse since; each in one
 * transaction with its audit entry, for an alert's page and for the list's
 * « Reprendre le suivi » of a colleague's alerts. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "vigie/log.h"
#include "vigie/store_alerts.h"
#include "vigie/store_followup.h"
#include "vigie/xalloc.h"
#include "web_impl.h"

int alert_follow(struct req *r, const struct console_alert *a, const char *aid,
    enum follow how, enum outcome o)
{
	static const char *const action[] = { "ack", "close", "correct", "ack",
	    "reopen" };
	static const char *const done_words[] = { "acknowledged", "closed",
	    "corrected", "taken over", "reopened" };
	int64_t now = time(NULL);
	struct console_alert cur;
	char *undone = NULL;	/* a reopening: the closing it sets aside */
	int rc, done;

	if (store_begin(r->st) != 0 ||
	    store_console_alert(r->st, a->rule, a->unit, &cur) != 0)
		goto fail;
	if (how == FOLLOW_CORRECT)
		done = !cur.closed_by ? 3 : !may_close(r, &cur) ? 2 : cur.outcome == o;
	else if (how == FOLLOW_REOPEN)
		done = !worse_since_closed(&cur) ? 1 : !may_close(r, &cur) ? 2 : 0;
	else if (how == FOLLOW_TAKEOVER)
		done = cur.closed_by || !cur.taken_by ||
		    !strcmp(cur.taken_by, r->acct.name) ? 1 : !may_close(r, &cur) ? 2 : 0;
	else
		done = cur.closed_by || (how == FOLLOW_TAKE && cur.taken_by) ? 1 :
		    how == FOLLOW_CLOSE && !may_close(r, &cur) ? 2 : 0;
	if (how == FOLLOW_REOPEN && !done)
		undone = xasprintf("closed by %s, %s", cur.closed_by,
		    outcome_name(cur.outcome) ? outcome_name(cur.outcome) : "-");
	console_alert_clear(&cur);
	if (done) {
		store_rollback(r->st);
		return done;
	}
	rc = how == FOLLOW_REOPEN ? store_alert_reopen(r->st, a->id, r->acct.name, now) :
	    how == FOLLOW_TAKE || how == FOLLOW_TAKEOVER ?
	    store_alert_ack(r->st, a->id, r->acct.name, NULL, now) :
	    how == FOLLOW_CLOSE ? store_alert_close(r->st, a->id, r->acct.name, o, now) :
	    store_alert_correct(r->st, a->id, r->acct.name, o, now);
	if (rc != 0 || audit(r, action[how], aid, how == FOLLOW_TAKE ? NULL :
	    how == FOLLOW_REOPEN ? undone :
	    how == FOLLOW_TAKEOVER ? "taken over" : outcome_name(o)) != 0 ||
	    store_commit(r->st) != 0)
		goto fail;
	free(undone);
	return 0;
fail:
	free(undone);
	log_err("cannot record that %s is %s: %s", aid, done_words[how],
	    store_errmsg(r->st));
	store_rollback(r->st);
	return -1;
}

bool worse_since_closed(const struct console_alert *a)
{
	return a->active && a->closed_by && a->worse >= 0;
}
