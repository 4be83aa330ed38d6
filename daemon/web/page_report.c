/* The works council report from the console (SPEC 15, vigie-web(8)): HR
 * and social workers get the file `vigie report` writes without a shell.
 * GET /report is the form — the span (the last 12 periods with data by
 * default), the format (PDF by default) and the unit; POST /report, with
 * the session's CSRF token, answers the file itself, the very bytes of
 * `vigie report` for the same arguments and configuration, once its audit
 * entry (the web user as who) is written.
 *
 * A user gets the report of a unit only when their scopes cover it whole,
 * the unit and every unit under it in the data (a report shows its teams);
 * the company's report (no unit, as vigie report without --unit) only when
 * they cover every unit. The form offers that user the company's sites,
 * or, when the data holds several top-level units (a group of companies,
 * each with its own works council), each company and its sites, the
 * empty choice then worded as the whole group. Anything else answers 404,
 * as pages out of scope do. A span the data does not hold and the report's own refusals (a unit
 * hidden over the span, SPEC 3) answer 400 with the form again, saying
 * why in the console's words.
 *
 * One report renders at a time: a company's PDF takes a request thread
 * and, at 10,000 teams, two minutes and most of a gigabyte
 * (tests/bench/REPORT.md).
 * A second one asked meanwhile answers 503 with Retry-After and the form,
 * at once, instead of waiting in another of the console's few threads. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include "vigie/log.h"
#include "vigie/period.h"
#include "vigie/report.h"
#include "vigie/typo.h"
#include "vigie/unit.h"
#include "vigie/web_html.h"
#include "vigie/wording.h"
#include "vigie/xalloc.h"
#include "web_impl.h"

#define REPORT_BUSY_RETRY 60	/* seconds, Retry-After of a report refused
				 * while another renders */

static pthread_mutex_t rendering = PTHREAD_MUTEX_INITIALIZER;

/* What the user may report on, from the data: cov[u] when their scopes
 * cover unit u and every unit under it; company when they cover all, and
 * group when all is several top-level units (companies, each with its own
 * works council). */
struct cover {
	bool *cov;
	bool company;
	bool group;
};

static void cover_init(struct req *r, const struct series *s, struct cover *c)
{
	c->cov = xcalloc(s->nunits + 1, sizeof(*c->cov));
	uint32_t ntop = 0;

	c->company = true;
	for (uint32_t u = 0; u < s->nunits; u++) {
		c->cov[u] = viewer_sees_unit(&r->who, s->units[u]);
		ntop += s->parent[u] < 0;
	}
	/* A unit's descendants follow it in path order: backwards, each
	 * unit is final before its parent is reached. */
	for (uint32_t k = s->nunits; k-- > 0;) {
		uint32_t u = s->sorted[k];

		if (!c->cov[u] && s->parent[u] >= 0)
			c->cov[s->parent[u]] = false;
		if (!c->cov[u])
			c->company = false;
	}
	c->group = c->company && ntop > 1;
}

/* Whether unit u is offered: with the company, its sites; with a group,
 * its companies and their sites; else the top units of the user's scopes
 * (covered, their parent not). */
static bool offered(const struct series *s, const struct cover *c, uint32_t u)
{
	if (c->company)
		return s->depth[u] == 1 || (c->group && s->depth[u] == 0);
	return c->cov[u] && (s->parent[u] < 0 || !c->cov[s->parent[u]]);
}

/* The form's fields as posted (or their defaults). */
struct form {
	int32_t from, to;
	const char *unit;		/* NULL: the company */
	enum report_format format;
	const char *error;		/* why it was refused */
	bool bad_span, bad_unit;	/* which fields the error is about */
};

static void put_periods(struct req *r, const struct series *s, const char *id,
    const char *label, int32_t sel, bool bad)
{
	FILE *f = r->out;
	char iso[PERIOD_BUFSZ], words[TYPO_BUFSZ];

	fprintf(f, "<p><label for=\"%s\">%s</label>\n<select id=\"%s\" name=\"%s\"%s>\n",
	    id, label, id, id, bad ? " aria-invalid=\"true\" aria-describedby=\"report-error\"" : "");
	for (int32_t p = s->p0; p < s->p0 + s->np; p++) {
		period_format(s->gran, p, iso);
		typo_period(words, sizeof(words), iso, false, r->loc);
		fprintf(f, "<option value=\"%s\"%s>", iso, p == sel ? " selected" : "");
		html_text(f, words);
		fputs("</option>\n", f);
	}
	fputs("</select></p>\n", f);
}

static void put_form(struct req *r, const struct series *s, const struct cover *c,
    const struct form *fm)
{
	static const enum report_format formats[] = { REPORT_PDF, REPORT_HTML, REPORT_JSON };
	FILE *f = r->out;

	fputs("<form class=\"report\" method=\"post\" action=\"/report\">\n", f);
	csrf_field(r);
	fputs("\n", f);
	put_periods(r, s, "from", WORD(r->loc, "Première période", "First period"),
	    fm->from, fm->bad_span);
	put_periods(r, s, "to", WORD(r->loc, "Dernière période", "Last period"),
	    fm->to, fm->bad_span);
	fprintf(f, "<p><label for=\"unit\">%s</label>\n<select id=\"unit\" name=\"unit\"%s>\n",
	    WORD(r->loc, "Unité", "Unit"), fm->bad_unit ?
	    " aria-invalid=\"true\" aria-describedby=\"report-error\"" : "");
	if (c->company)
		fprintf(f, "<option value=\"\"%s>%s</option>\n", fm->unit ? "" : " selected",
		    c->group ? WORD(r->loc, "Tout le groupe", "The whole group") :
		    WORD(r->loc, "Toute l'entreprise", "The whole company"));
	for (uint32_t k = 0; k < s->nunits; k++) {
		uint32_t u = s->sorted[k];

		/* and the unit of a refused form, which it keeps */
		if (!offered(s, c, u) && !(fm->unit && !strcmp(fm->unit, s->units[u])))
			continue;
		fputs("<option value=\"", f);
		html_attr(f, s->units[u]);
		fprintf(f, "\"%s>", fm->unit && !strcmp(fm->unit, s->units[u]) ? " selected" : "");
		html_text(f, s->units[u]);
		fputs("</option>\n", f);
	}
	fprintf(f, "</select></p>\n<p><label for=\"format\">%s</label>\n"
	    "<select id=\"format\" name=\"format\">\n", WORD(r->loc, "Format", "Format"));
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		fprintf(f, "<option value=\"%s\"%s>%s</option>\n", report_format_name(formats[i]),
		    formats[i] == fm->format ? " selected" : "",
		    formats[i] == REPORT_PDF ? WORD(r->loc, "PDF, à imprimer", "PDF, to print") :
		    formats[i] == REPORT_HTML ? WORD(r->loc, "HTML, une page web",
		    "HTML, a web page") : WORD(r->loc, "JSON, pour les scripts",
		    "JSON, for scripts"));
	fprintf(f, "</select></p>\n<p><button type=\"submit\">%s</button></p>\n</form>\n",
	    WORD(r->loc, "Télécharger le rapport", "Download the report"));
}

/* The page: the form, or why there is none; fm->error on a refused form
 * (then its status is already set: 400, or 503 while another renders). */
static void report_page(struct req *r, const struct series *s, const struct cover *c,
    const struct form *fm)
{
	const char *title = WORD(r->loc, "Rapport au CSE", "Works council report");
	char *t = xasprintf("%s%s", fm->error ? WORD(r->loc, "Erreur" TYPO_NNBSP ": ",
	    "Error: ") : "", title);
	FILE *f = r->out;
	bool any = false;
	char num[32];

	page_begin(r, t);
	free(t);
	fputs("<h1>", f);
	html_text(f, title);
	snprintf(num, sizeof(num), "%d", r->site->cfg->min_headcount);
	fprintf(f, "</h1>\n<p class=\"hint\">%s%s%s</p>\n", WORD(r->loc, "Le rapport annuel au "
	    "comité social et économique" TYPO_NNBSP ": pour l'entreprise ou l'unité choisie et "
	    "chacune de ses unités visibles sur toute la période, chaque indicateur du rapport, comparé à la même "
	    "période un an plus tôt, à l'entreprise et à une référence nationale, avec ses "
	    "courbes" TYPO_NNBSP "; les alertes par thème et gravité, et leur suivi. Il ne nomme "
	    "personne, ne montre aucune note, et aucune unité de moins de ",
	    "The yearly report to the works council: for the company or the unit chosen and "
	    "each of its units visible over the whole span, every report indicator against the same span a "
	    "year earlier, the company and a national reference, with its trend chart; the "
	    "alerts by theme and severity, and their follow-up. It names no one, shows no "
	    "note, and no unit of fewer than "), num, WORD(r->loc, " personnes à une période "
	    "n'y figure. Les alertes des règles réservées aux rôles tenus au secret (le "
	    "service social" TYPO_NNBSP ": secret professionnel et médical) n'y sont pas "
	    "comptées, ni leur suivi" TYPO_NNBSP ": la page Règles compte leur suivi. "
	    "Chaque téléchargement est consigné dans le journal d'audit.",
	    " people at any period appears in it. The alerts of the rules kept to the "
	    "roles bound by secrecy (the social service: professional and medical "
	    "secrecy) are not counted in it, nor their follow-up: the rules page counts "
	    "their follow-up. Every download is recorded in the audit log."));
	if (fm->error) {
		fputs("<p class=\"message error\" id=\"report-error\" role=\"alert\">", f);
		html_text(f, fm->error);
		fputs("</p>\n", f);
	}
	for (uint32_t u = 0; s && u < s->nunits && !any; u++)
		any = c->cov[u];
	if (!s)
		fprintf(f, "<p>%s</p>\n", WORD(r->loc, "La base ne contient encore aucune donnée"
		    TYPO_NNBSP ": il n'y a pas de rapport à faire.", "The database holds no data "
		    "yet: there is no report to make."));
	else if (!any)
		fprintf(f, "<p>%s</p>\n", WORD(r->loc, "Votre périmètre ne couvre entièrement "
		    "aucune unité des données (une unité et toutes celles qui la composent)"
		    TYPO_NNBSP ": vous ne pouvez pas obtenir de rapport.", "Your scope covers no "
		    "unit of the data whole (a unit and every unit under it): you cannot get a "
		    "report."));
	else
		put_form(r, s, c, fm);
	page_end(r);
}

void page_report(struct req *r)
{
	struct dataset *d = data_ref(r);
	struct cover c = { 0 };
	struct form fm = { .format = REPORT_PDF };
	const struct series *s;

	if (!d) {
		page_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL);
		return;
	}
	s = d->s;
	if (s) {
		cover_init(r, s, &c);
		last_year(s, &fm.from, &fm.to);
		/* Without the company, the first unit offered. */
		for (uint32_t k = 0; !c.company && k < s->nunits && !fm.unit; k++)
			if (offered(s, &c, s->sorted[k]))
				fm.unit = s->units[s->sorted[k]];
	}
	report_page(r, s, &c, &fm);
	free(c.cov);
	data_unref(r->w, d);
}

/* A posted period of the configured granularity, or -1 (*p unset). */
static int posted_period(struct req *r, const char *key, int32_t *p)
{
	char *v = field(r, key);
	enum granularity g;
	int rc = v && period_parse(v, strlen(v), &g, p) == 0 &&
	    g == r->site->cfg->period ? 0 : -1;

	free(v);
	return rc;
}

static char *words_of(struct req *r, int32_t p, char *buf, size_t size)
{
	char iso[PERIOD_BUFSZ];

	return typo_period(buf, size, period_format(r->site->cfg->period, p, iso), false,
	    r->loc);
}

/* The span's refusal in the console's words, or NULL when it fits the
 * data (as the report checks it). Caller frees. */
static char *span_error(struct req *r, const struct series *s, const struct form *fm)
{
	char a[TYPO_BUFSZ], b[TYPO_BUFSZ];

	if (fm->to < fm->from)
		return xasprintf(WORD(r->loc, "La période se termine (%s) avant de commencer (%s).",
		    "The span ends (%s) before it starts (%s)."), words_of(r, fm->to, a, sizeof(a)),
		    words_of(r, fm->from, b, sizeof(b)));
	if (fm->to - fm->from + 1 > REPORT_MAX_PERIODS)
		return xasprintf(WORD(r->loc, "Un rapport couvre au plus %d périodes.",
		    "A report spans at most %d periods."), REPORT_MAX_PERIODS);
	if (fm->from < s->p0 || fm->to > s->p0 + s->np - 1) {
		words_of(r, s->p0, a, sizeof(a));
		words_of(r, s->p0 + s->np - 1, b, sizeof(b));
		if (r->loc == LOC_EN)
			return xasprintf("The database holds data from %s to %s: the span "
			    "must lie within it.", a, b);
		return xasprintf("La base contient des données %s%s à %s" TYPO_NNBSP
		    ": la période du rapport doit s'y trouver.", typo_de(a), a, b);
	}
	return NULL;
}

/* The report's refusal of a unit hidden over the span (EX_DATAERR), or of
 * a span where no unit is visible, in the console's words. */
static char *hidden_error(struct req *r, const struct form *fm, const struct report_why *w)
{
	char a[TYPO_BUFSZ], why[320];
	int floor = r->site->cfg->min_headcount;

	if (!w->hidden && w->nodata != INT32_MIN) {
		words_of(r, w->nodata, a, sizeof(a));
		return xasprintf(WORD(r->loc, "Aucune unité n'est visible sur toute la période"
		    TYPO_NNBSP ": la base ne contient aucune donnée pour %s, la première période "
		    "du rapport sans données (importez son fichier).", "No unit is visible over "
		    "the whole span: the database holds no data for %s, the span's first period "
		    "without any (import its file)."), a);
	}
	if (!w->hidden)
		return xstrdup(WORD(r->loc, "Aucune unité n'est visible sur toute la période"
		    TYPO_NNBSP ": à une de ses périodes, chacune manque de données ou est sous le "
		    "seuil d'anonymat.", "No unit is visible over the whole span: every unit "
		    "lacks data or is below the anonymity floor at some period of it."));
	if (w->nodata != INT32_MIN) {	/* only for want of data: nothing to hide */
		words_of(r, w->nodata, a, sizeof(a));
		return xasprintf(WORD(r->loc, "Pas de rapport pour l'unité %s" TYPO_NNBSP ": elle "
		    "n'a pas de données pour %s, la première période du rapport sans données "
		    "(importez son fichier), et une unité sans données à une période du rapport "
		    "ne figure dans aucun rapport.", "No report for unit %s: it has no data for "
		    "%s, the span's first period without any (import its file), and a unit "
		    "without data at a period of the span appears in no report."), fm->unit, a);
	}
	/* Why, without saying which reason: that would tell a team's size
	 * (hidden_why in daemon/report/model.c). */
	snprintf(why, sizeof(why), WORD(r->loc, "un effectif inconnu ou sous le seuil de %d, "
	    "des chiffres retenus avec ceux d'une équipe plus petite, ou un chiffre qui est "
	    "surtout celui d'une personne" TYPO_NNBSP "; lequel n'est pas dit, car cela dirait "
	    "la taille d'une équipe", "a headcount unknown or under the floor of %d, figures "
	    "withheld with a smaller team's, or a figure mostly one person's; which is not "
	    "said, as it would tell a team's size"), floor);
	if (w->at == INT32_MIN)
		return xasprintf(WORD(r->loc, "Pas de rapport pour l'unité %s" TYPO_NNBSP
		    ": certains de ses chiffres sur la période sont masqués (%s), et une unité "
		    "masquée à une période du rapport ne figure dans aucun rapport.",
		    "No report for unit %s: some of its figures over the span are hidden (%s), "
		    "and a unit hidden at any period of the span appears in no report."),
		    fm->unit, why);
	words_of(r, w->at, a, sizeof(a));
	return xasprintf(WORD(r->loc, "Pas de rapport pour l'unité %s" TYPO_NNBSP ": elle est "
	    "masquée en %s, la première période du rapport où elle l'est (%s), et une unité "
	    "masquée à une période du rapport ne figure dans aucun rapport" TYPO_NNBSP ": un "
	    "rapport qui ne couvre pas %s peut la montrer.", "No report for unit %s: it is "
	    "hidden in %s, the span's first period where it is (%s), and a unit hidden at any "
	    "period of the span appears in no report: a span without %s may show it."),
	    fm->unit, a, why, a);
}

/* The file, with its audit entry first (none leaves without one); doc is
 * the response's from then on, or closed. */
static void send_report(struct req *r, const struct form *fm, FILE *doc)
{
	enum granularity g = r->site->cfg->period;
	char pa[PERIOD_BUFSZ], pb[PERIOD_BUFSZ], *object, *detail;
	int rc;

	object = xasprintf("report %s..%s", period_format(g, fm->from, pa),
	    period_format(g, fm->to, pb));
	detail = xasprintf("%s, %s%s, to the console", report_format_name(fm->format),
	    fm->unit ? "unit " : "every unit", fm->unit ? fm->unit : "");
	rc = audit(r, "export", object, detail);
	free(object);
	free(detail);
	if (rc != 0) {
		log_msg(LOG_ERR, "cannot record the export of a report: %s", store_errmsg(r->st));
		fclose(doc);
		page_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL);
		return;
	}
	r->file = doc;
	r->type = fm->format == REPORT_PDF ? "application/pdf" : fm->format == REPORT_JSON ?
	    "application/json" : "text/html; charset=utf-8";
	object = report_file_name(r->loc, g, fm->unit, fm->from, fm->to, fm->format);
	r->disposition = xasprintf("attachment; filename=\"%s\"", object);
	free(object);
	r->status = MHD_HTTP_OK;
}

void post_report(struct req *r)
{
	struct dataset *d = data_ref(r);
	struct cover c = { 0 };
	struct form fm = { .format = REPORT_PDF };
	struct report_why why;
	struct report_request rq;
	const struct series *s;
	char *unit = field(r, "unit"), *format = field(r, "format"), *msg = NULL,
	    *err = NULL;
	FILE *doc = NULL;
	size_t pos;
	int32_t u = -1;
	int ex, status = MHD_HTTP_BAD_REQUEST;

	if (!d) {
		page_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL);
		goto out;
	}
	s = d->s;
	/* Out of scope, or not a unit of the data: not even confirmed. */
	if (unit && *unit && (unit_path_check(unit, strlen(unit), &pos) || !s ||
	    (u = series_unit(s, unit)) < 0)) {
		page_error(r, MHD_HTTP_NOT_FOUND, NULL);
		goto out;
	}
	if (s)
		cover_init(r, s, &c);
	if (s && (u >= 0 ? !c.cov[u] : !c.company)) {
		page_error(r, MHD_HTTP_NOT_FOUND, NULL);
		goto out;
	}
	if (!s) {
		page_error(r, MHD_HTTP_BAD_REQUEST, WORD(r->loc, "La base ne contient encore "
		    "aucune donnée" TYPO_NNBSP ": il n'y a pas de rapport à faire.", "The database "
		    "holds no data yet: there is no report to make."));
		goto out;
	}
	fm.unit = u >= 0 ? s->units[u] : NULL;
	if (format && report_format_parse(format, &fm.format) != 0) {
		page_error(r, MHD_HTTP_BAD_REQUEST, WORD(r->loc, "Ce format n'existe pas"
		    TYPO_NNBSP ": choisissez PDF, HTML ou JSON.", "No such format: choose PDF, "
		    "HTML or JSON."));
		goto out;
	}
	fm.to = s->p0 + s->np - 1;
	fm.from = s->p0;
	if (posted_period(r, "from", &fm.from) != 0 || posted_period(r, "to", &fm.to) != 0) {
		fm.error = msg = xstrdup(WORD(r->loc, "Choisissez la première et la dernière "
		    "période parmi celles proposées.", "Choose the first and the last period "
		    "among those offered."));
		fm.bad_span = true;
	} else if ((msg = span_error(r, s, &fm))) {
		fm.error = msg;
		fm.bad_span = true;
	}
	if (!fm.error && pthread_mutex_trylock(&rendering) != 0) {
		fm.error = msg = xstrdup(WORD(r->loc, "Un autre rapport est en préparation"
		    TYPO_NNBSP ": réessayez dans une minute.", "Another report is being "
		    "prepared: try again in a minute."));
		status = MHD_HTTP_SERVICE_UNAVAILABLE;
		r->retry_after = REPORT_BUSY_RETRY;
	} else if (!fm.error) {
		rq = (struct report_request){ .from = fm.from, .to = fm.to, .unit = fm.unit,
		    .format = fm.format, .loc = r->site->cfg->locale, .now = time(NULL),
		    .why = &why, .series = s };
		/* into an unnamed file of the database's folder: a report
		 * of 10,000 teams is some 300 MB, not to be held in memory */
		doc = report_file(r->site->cfg, &err);
		ex = doc ? report_render(r->site->cfg, r->st, r->site->rs, &rq, doc, &err) :
		    EX_IOERR;
		pthread_mutex_unlock(&rendering);
		if (ex == 0) {
			send_report(r, &fm, doc);
			doc = NULL;
			goto out;
		}
		if (ex == EX_DATAERR) {
			fm.error = msg = hidden_error(r, &fm, &why);
			fm.bad_unit = why.hidden;
			fm.bad_span = !why.hidden;
		} else if (ex == EX_USAGE) {
			/* What span_error let through (not expected: the
			 * report reads the same values): its own words. */
			fm.error = err;
			fm.bad_span = true;
		} else {
			log_msg(LOG_ERR, "the works council report failed: %s", err ? err : "?");
			page_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL);
			goto out;
		}
	}
	r->status = status;
	report_page(r, s, &c, &fm);
out:
	free(c.cov);
	if (doc)
		fclose(doc);
	free(err);
	free(msg);
	free(unit);
	free(format);
	if (d)
		data_unref(r->w, d);
}
