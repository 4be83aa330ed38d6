/* How fresh the alerts of a page are (web_impl.h). The console shows what
 * the daemon last evaluated from the data last imported: a calm list means
 * nothing when vigied has stopped, or when no data has come in for months.
 * Every page of a logged-in user says so, first: when no cycle (an idle
 * one counts) has run for twice the interval, 15 minutes at least, since
 * when, or that none has run yet; and while the daemon's missing-data
 * alert holds (SPEC 8: no import for stale_after), the period the alerts
 * stop at and the time of the last import; and when no email has gone out
 * for an hour, the digests failing (a server down, a password changed),
 * since when. */
#include <stdlib.h>
#include <time.h>
#include "vigie/period.h"
#include "vigie/store.h"
#include "vigie/store_alerts.h"
#include "vigie/store_outbox.h"
#include "vigie/typo.h"
#include "vigie/web_html.h"
#include "vigie/wording.h"
#include "vigie/xalloc.h"
#include "web_impl.h"

static void warn(struct req *r, char *msg)
{
	fputs("<p class=\"message warn\">", r->out);
	html_text(r->out, msg);
	fputs("</p>\n", r->out);
	free(msg);
}

/* The daemon: late, or not started yet. */
static void put_cycle(struct req *r)
{
	struct cycle_row c;
	int64_t late = 2 * (int64_t)r->site->cfg->interval_s;
	char tb[32];
	int rc = store_last_cycle(r->st, &c);

	if (late < WEB_LATE_MIN)
		late = WEB_LATE_MIN;
	if (rc < 0 || (rc == 0 && (int64_t)time(NULL) - c.started_at <= late))
		return;
	if (rc == 1)
		warn(r, xstrdup(WORD(r->loc, "Vigie n'a encore évalué aucune alerte" TYPO_NNBSP
		    ": elles apparaîtront ici après le premier cycle du service vigied. Si "
		    "cela dure, prévenez l'exploitation.", "Vigie has not evaluated any alert "
		    "yet: they will show here after the first cycle of the vigied service. If "
		    "this lasts, tell your operations team.")));
	else
		warn(r, xasprintf(WORD(r->loc, "Les alertes ne sont peut-être plus à jour"
		    TYPO_NNBSP ": Vigie ne les a pas évaluées depuis le %s. Prévenez "
		    "l'exploitation (le service vigied).", "The alerts may be out of date: "
		    "Vigie has not evaluated them since %s. Tell your operations team (the "
		    "vigied service)."), fmt_time(tb, sizeof(tb), c.started_at, r->loc)));
}

/* The data: nothing imported for stale_after, as the daemon found. */
static void put_data(struct req *r)
{
	char iso[PERIOD_BUFSZ], words[TYPO_BUFSZ], tb[32];
	int64_t raised, last;
	int32_t latest;

	if (store_missing_data(r->st, &raised) != 1 ||
	    (latest = store_latest_period(r->st)) < 0 ||
	    (last = store_last_import_time(r->st)) <= 0)
		return;
	period_format(r->site->cfg->period, latest, iso);
	typo_period(words, sizeof(words), iso, false, r->loc);
	warn(r, xasprintf(WORD(r->loc, "Les alertes s'arrêtent à %s, la dernière période "
	    "importée" TYPO_NNBSP ": aucune donnée n'est arrivée depuis le %s.", "The alerts "
	    "go no further than %s, the latest period imported: no data has come in since %s."),
	    words, fmt_time(tb, sizeof(tb), last, r->loc)));
}

/* The emails: none of the last tried cycle's went, for WEB_MAIL_GRACE. */
static void put_mail(struct req *r)
{
	char tb[32];
	int64_t since;

	if (!r->site->cfg->smtp || store_outbox_mail_failing(r->st, &since) != 1 ||
	    (int64_t)time(NULL) - since <= WEB_MAIL_GRACE)
		return;
	warn(r, xasprintf(WORD(r->loc, "Les courriels de Vigie ne partent plus depuis le %s"
	    TYPO_NNBSP ": vous n'avez peut-être pas reçu toutes les alertes. Prévenez "
	    "l'exploitation.", "Vigie's emails have not been going out since %s: you may "
	    "not have received every alert. Tell your operations team."),
	    fmt_time(tb, sizeof(tb), since, r->loc)));
}

void put_freshness(struct req *r)
{
	put_cycle(r);
	put_data(r);
	put_mail(r);
}
