/* How fresh the alerts of a page are (web_impl.h). The console shows what
 * the daemon last evaluated from the data last imported: a calm list means
 * nothing when vigied has stopped, or when no data has come in for months.
 * Every page of a logged-in user says so, first: when no cycle (an idle
 * one counts) has run for twice the interval, 15 minutes at least, since
 * when, or that none has run yet; and while the daemon's missing-data
 * alert holds (SPEC 8: no import for stale_after), the period the alerts
 * stop at and the time of the last import; and when no email has gone out
 * for an hour, the digests failing (a server down, a password changed),
 * since when. What the store says of all that is read at most once a
 * second, for every request of that second: five reads per page would
 * cost the cheapest pages a third of their speed. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
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

/* What the store says, each as its store_ function returns it. */
struct facts {
	int cycle;			/* store_last_cycle: 0, 1 none, -1 */
	int64_t cycle_at;
	int missing;			/* store_missing_data: 1 holds */
	int32_t latest;			/* with it, the latest period and */
	int64_t last_import;		/* the last import's time */
	int mail;			/* store_outbox_mail_failing: 1 failing */
	int64_t mail_since;
};

static void facts_read(struct store *st, struct facts *f)
{
	struct cycle_row c;
	int64_t raised;

	f->cycle = store_last_cycle(st, &c);
	f->cycle_at = f->cycle == 0 ? c.started_at : 0;
	f->missing = store_missing_data(st, &raised);
	f->latest = f->missing == 1 ? store_latest_period(st) : -1;
	f->last_import = f->missing == 1 ? store_last_import_time(st) : 0;
	f->mail = store_outbox_mail_failing(st, &f->mail_since);
}

/* The facts of this second: read by the first request, shared by the
 * others (a request that finds them older reads them again). */
static void facts_get(struct req *r, struct facts *f, int64_t now)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static struct facts last;
	static int64_t last_at = -1;

	pthread_mutex_lock(&lock);
	if (last_at == now) {
		*f = last;
		pthread_mutex_unlock(&lock);
		return;
	}
	pthread_mutex_unlock(&lock);
	facts_read(r->st, f);
	pthread_mutex_lock(&lock);
	last = *f;
	last_at = now;
	pthread_mutex_unlock(&lock);
}

static void warn(struct req *r, char *msg)
{
	fputs("<p class=\"message warn\">", r->out);
	html_text(r->out, msg);
	fputs("</p>\n", r->out);
	free(msg);
}

/* The daemon: late, or not started yet. */
static void put_cycle(struct req *r, const struct facts *f, int64_t now)
{
	int64_t late = 2 * (int64_t)r->site->cfg->interval_s;
	char tb[32];

	if (late < WEB_LATE_MIN)
		late = WEB_LATE_MIN;
	if (f->cycle < 0 || (f->cycle == 0 && now - f->cycle_at <= late))
		return;
	if (f->cycle == 1)
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
		    "vigied service)."), fmt_time(tb, sizeof(tb), f->cycle_at, r->loc)));
}

/* The data: nothing imported for stale_after, as the daemon found. */
static void put_data(struct req *r, const struct facts *f)
{
	char iso[PERIOD_BUFSZ], words[TYPO_BUFSZ], tb[32];

	if (f->missing != 1 || f->latest < 0 || f->last_import <= 0)
		return;
	period_format(r->site->cfg->period, f->latest, iso);
	typo_period(words, sizeof(words), iso, false, r->loc);
	warn(r, xasprintf(WORD(r->loc, "Les alertes s'arrêtent à %s, la dernière période "
	    "importée" TYPO_NNBSP ": aucune donnée n'est arrivée depuis le %s.", "The alerts "
	    "go no further than %s, the latest period imported: no data has come in since %s."),
	    words, fmt_time(tb, sizeof(tb), f->last_import, r->loc)));
}

/* The emails: none of the last tried cycle's went, for WEB_MAIL_GRACE. */
static void put_mail(struct req *r, const struct facts *f, int64_t now)
{
	char tb[32];

	if (!r->site->cfg->smtp || f->mail != 1 || now - f->mail_since <= WEB_MAIL_GRACE)
		return;
	warn(r, xasprintf(WORD(r->loc, "Les courriels de Vigie ne partent plus depuis le %s"
	    TYPO_NNBSP ": vous n'avez peut-être pas reçu toutes les alertes. Prévenez "
	    "l'exploitation.", "Vigie's emails have not been going out since %s: you may "
	    "not have received every alert. Tell your operations team."),
	    fmt_time(tb, sizeof(tb), f->mail_since, r->loc)));
}

/* The rule files the console left out at start (site_load): the alerts of
 * their rules are not shown, which the list must not hide. */
static void put_rules_left(struct req *r)
{
	const struct site *s = r->site;
	const char *name;

	if (!s->nrules_left)
		return;
	name = strrchr(s->rules_left[0], '/');
	name = name ? name + 1 : s->rules_left[0];
	warn(r, xasprintf(WORD(r->loc, "Des règles manquent à la console" TYPO_NNBSP ": "
	    "le fichier de règles %s%s a des erreurs (ou reprend l'identifiant d'une "
	    "règle d'un autre fichier), et les alertes de ses règles ne sont pas "
	    "affichées ici. Prévenez l'exploitation.", "Some rules are missing from the "
	    "console: the rule file %s%s has errors (or gives a rule the id of another "
	    "file's), and the alerts of its rules are not shown here. Tell your "
	    "operations team."), name,
	    s->nrules_left > 1 ? WORD(r->loc, " (et d'autres)", " (and others)") : ""));
}

void put_freshness(struct req *r)
{
	int64_t now = time(NULL);
	struct facts f;

	put_rules_left(r);
	facts_get(r, &f, now);
	put_cycle(r, &f, now);
	put_data(r, &f);
	put_mail(r, &f, now);
}
