/* What every page of the console shares (web_impl.h): the frame (language,
 * title, skip link, navigation, the logout form), error pages, redirects
 * after a POST, and the small renderings every page uses — a time, a value
 * (or the words for a hidden one), a severity, a follow-up state. All text
 * goes through the escaping functions of html.c. */
#include <math.h>
#include <stdarg.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "vigie/store_audit.h"
#include "vigie/typo.h"
#include "vigie/version.h"
#include "vigie/web_chart.h"
#include "vigie/web_html.h"
#include "vigie/web_sec.h"
#include "vigie/wording.h"
#include "vigie/xalloc.h"
#include "web_impl.h"

/* A link of the navigation, marked as the current page on its page. */
static void nav_link(struct req *r, const char *path, const char *label)
{
	fprintf(r->out, "<li><a href=\"%s\"%s>%s</a></li>\n", path,
	    r->status == 0 && !strcmp(r->url, path) ? " aria-current=\"page\"" : "", label);
}

void page_begin(struct req *r, const char *title)
{
	FILE *f = r->out;

	fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	    "<title>", WORD(r->loc, "fr", "en"));
	html_text(f, title);
	/* The stylesheet's URL changes with the build: one a browser cached
	 * for a day (server.c) is not used after an upgrade. */
	fprintf(f, " — Vigie</title>\n<link rel=\"stylesheet\" href=\"/static/vigie.css?v=%s%s%s\">\n"
	    "</head>\n<body>\n<a class=\"skip\" href=\"#main\">%s</a>\n<header class=\"top\">\n"
	    "<p class=\"brand\"><a href=\"/\">Vigie</a></p>\n", VIGIE_VERSION,
	    *vigie_revision ? "-" : "", vigie_revision,
	    WORD(r->loc, "Aller au contenu", "Skip to content"));
	if (r->logged) {
		fprintf(f, "<nav aria-label=\"%s\"><ul>\n", WORD(r->loc, "Navigation principale",
		    "Main navigation"));
		nav_link(r, "/", WORD(r->loc, "Mes alertes", "My alerts"));
		nav_link(r, "/units", WORD(r->loc, "Mes unités", "My units"));
		nav_link(r, "/rules", WORD(r->loc, "Règles", "Rules"));
		nav_link(r, "/report", WORD(r->loc, "Rapport au CSE", "Works council report"));
		if (may_import(r))
			nav_link(r, "/import", WORD(r->loc, "Importer des données",
			    "Import data"));
		nav_link(r, "/help", WORD(r->loc, "Aide", "Help"));
		fputs("</ul></nav>\n<div class=\"who\"><span>", f);
		html_text(f, r->acct.name);
		fputs(" (", f);
		html_text(f, wording_role(r->acct.role, r->loc));
		/* The account page: the password. */
		fprintf(f, ")</span>\n<a href=\"/account\"%s>%s</a>\n"
		    "<form method=\"post\" action=\"/logout\">",
		    r->status == 0 && !strcmp(r->url, "/account") ?
		    " aria-current=\"page\"" : "", WORD(r->loc, "Mon compte", "My account"));
		csrf_field(r);
		fprintf(f, "<button type=\"submit\">%s</button></form></div>\n",
		    WORD(r->loc, "Se déconnecter", "Log out"));
	}
	fputs("</header>\n<main id=\"main\">\n", f);
	if (r->logged && r->status == 0)
		put_freshness(r);
}

void page_end(struct req *r)
{
	fprintf(r->out, "</main>\n<footer><p>Vigie %s — %s</p></footer>\n</body>\n</html>\n",
	    VIGIE_VERSION, WORD(r->loc, "indicateurs agrégés par unité" TYPO_NNBSP ": aucune donnée "
	    "individuelle, aucune valeur d'une équipe sous le seuil d'anonymat.",
	    "indicators aggregated by unit: no individual data, no value of a team "
	    "below the anonymity floor."));
	if (r->status == 0)
		r->status = MHD_HTTP_OK;
}

void page_error(struct req *r, unsigned status, const char *message)
{
	const char *title;

	switch (status) {
	case MHD_HTTP_NOT_FOUND:
		title = WORD(r->loc, "Page introuvable", "Page not found");
		if (!message)
			message = WORD(r->loc, "Cette page n'existe pas, ou elle ne fait pas "
			    "partie de votre périmètre.", "This page does not exist, or it is "
			    "not in your scope.");
		break;
	case MHD_HTTP_FORBIDDEN:
		title = WORD(r->loc, "Action refusée", "Action refused");
		break;
	case MHD_HTTP_TOO_MANY_REQUESTS:
		title = WORD(r->loc, "Trop de tentatives", "Too many attempts");
		break;
	case MHD_HTTP_CONFLICT:
		title = WORD(r->loc, "Action impossible", "Action not possible");
		break;
	case MHD_HTTP_BAD_REQUEST:
		title = WORD(r->loc, "Demande incorrecte", "Bad request");
		break;
	default:
		title = WORD(r->loc, "Erreur", "Error");
	}
	/* Whatever was written before the error is dropped. */
	fclose(r->out);
	free(r->page);
	r->page = NULL;
	r->pagelen = 0;
	if (!(r->out = open_memstream(&r->page, &r->pagelen)))
		xalloc_die();
	__fsetlocking(r->out, FSETLOCKING_BYCALLER);
	r->status = status;
	page_begin(r, title);
	fputs("<h1>", r->out);
	html_text(r->out, title);
	/* The answer to a form says why it was refused as it loads. */
	fprintf(r->out, "</h1>\n<p%s>", r->post ? " role=\"alert\"" : "");
	html_text(r->out, message ? message : WORD(r->loc, "Une erreur interne est survenue" TYPO_NNBSP "; "
	    "elle est consignée dans le journal du service.", "An internal error occurred; "
	    "it is recorded in the service's log."));
	fputs("</p>\n", r->out);
	/* A note kept from a form whose session ended that its page cannot
	 * take back (gone, or now out of scope): there to copy, not lost. */
	if (r->kept) {
		fprintf(r->out, "<p><label for=\"body\">%s</label>\n<textarea id=\"body\" "
		    "rows=\"6\" readonly>", WORD(r->loc, "Votre note, qui n'est pas enregistrée"
		    TYPO_NNBSP ": copiez-la pour la garder.", "Your note, which is not saved: copy it "
		    "to keep it."));
		html_text(r->out, r->kept);
		fputs("</textarea></p>\n", r->out);
	}
	/* A refused form: back to the page it is on (forms post to their
	 * page's own address) to fill it again, where that page exists (not a
	 * 404; never "//", which would name another host). */
	if (r->post && status != MHD_HTTP_NOT_FOUND && r->url && r->url[0] == '/' &&
	    r->url[1] != '/') {
		fputs("<p><a href=\"", r->out);
		html_url(r->out, r->url, true);
		fprintf(r->out, "\">%s</a></p>\n", WORD(r->loc, "Revenir au formulaire",
		    "Back to the form"));
	}
	fprintf(r->out, "<p><a href=\"/\">%s</a></p>\n",
	    WORD(r->loc, "Retour à mes alertes", "Back to my alerts"));
	page_end(r);
}

void redirect(struct req *r, const char *fmt, ...)
{
	va_list ap;

	free(r->location);
	va_start(ap, fmt);
	if (vasprintf(&r->location, fmt, ap) < 0)
		xalloc_die();
	va_end(ap);
	r->status = MHD_HTTP_SEE_OTHER;
}

void csrf_field(struct req *r)
{
	fputs("<input type=\"hidden\" name=\"csrf\" value=\"", r->out);
	html_attr(r->out, r->logged ? r->sess.csrf : "");
	fputs("\">", r->out);
}

char *fmt_time(char *buf, size_t size, int64_t t, enum locale loc)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!localtime_r(&tt, &tm) || !strftime(buf, size, loc == LOC_EN ?
	    "%Y-%m-%d %H:%M" : "%d/%m/%Y %H:%M", &tm))
		snprintf(buf, size, "%lld", (long long)t);
	return buf;
}

void last_year(const struct series *s, int32_t *from, int32_t *to)
{
	*to = s->p0 + s->np - 1;
	*from = *to - (WEB_YEAR - 1) > s->p0 ? *to - (WEB_YEAR - 1) : s->p0;
}

/* put_period's, after « de » in French: elided before a vowel. */
static void period_after(struct req *r, int32_t p, bool de)
{
	char iso[PERIOD_BUFSZ], words[TYPO_BUFSZ];

	period_format(r->site->cfg->period, p, iso);
	typo_period(words, sizeof(words), iso, false, r->loc);
	if (de)
		fprintf(r->out, " %s", r->loc != LOC_FR ? "" : typo_de(words));
	fprintf(r->out, "<time datetime=\"%s\">", iso);
	html_text(r->out, words);
	fputs("</time>", r->out);
}

void put_done(struct req *r, const char *msg)
{
	if (msg)
		fprintf(r->out, "<p class=\"message ok\" role=\"status\">%s</p>\n", msg);
}

void put_period(struct req *r, int32_t p)
{
	period_after(r, p, false);
}

void put_de_period(struct req *r, int32_t p)
{
	period_after(r, p, true);
}

void put_prose(struct req *r, const char *s)
{
	char *t = typo_prose(s, r->loc);

	html_text(r->out, t);
	free(t);
}

void put_alert_value(struct req *r, const struct console_alert *a, int decimals,
    const char *unit)
{
	if (isnan(a->value) && a->absent)
		fprintf(r->out, "<span class=\"hidden-value\">%s</span>",
		    WORD(r->loc, "données manquantes", "missing data"));
	else
		put_value(r, a->value, decimals, unit);
}

void put_value(struct req *r, double v, int decimals, const char *unit)
{
	char nb[64];

	if (isnan(v)) {
		fprintf(r->out, "<span class=\"hidden-value\">%s</span>",
		    WORD(r->loc, "valeur masquée", "hidden value"));
		return;
	}
	format_number(nb, sizeof(nb), v, decimals, r->loc);
	fputs(nb, r->out);
	if (unit && *unit) {
		char u[128];

		chart_unit_for(unit, nb, r->loc, u, sizeof(u));
		fputs("\xc2\xa0", r->out);
		html_text(r->out, u);
	}
}

void put_severity(struct req *r, enum severity s)
{
	fprintf(r->out, "<span class=\"sev sev-%s\">%s</span>",
	    s == SEV_CRITICAL ? "critical" : s == SEV_WARNING ? "warning" : "none",
	    s == SEV_NONE ? WORD(r->loc, "aucune", "none") :
	    wording_severity(severity_name(s), r->loc));
}

void put_followup(struct req *r, const struct console_alert *a)
{
	char tb[64];

	if (a->closed_by) {
		fprintf(r->out, "<span class=\"fu fu-closed\">%s</span> ",
		    WORD(r->loc, "clôturée", "closed"));
		fprintf(r->out, WORD(r->loc, "(%s) par ", "(%s) by "),
		    wording_outcome(a->outcome, r->loc));
		html_text(r->out, a->closed_by);
		fprintf(r->out, WORD(r->loc, " le %s", " on %s"),
		    fmt_time(tb, sizeof(tb), a->closed_at, r->loc));
		/* Its digest said it; the list must not read "done". */
		if (a->worse >= 0) {
			fprintf(r->out, ", <strong>%s</strong> ", WORD(r->loc,
			    "aggravée depuis", "worse since"));
			html_text(r->out, WORD(r->loc, "en ", "in "));
			put_period(r, a->worse);
		}
	} else if (a->taken_by) {
		fprintf(r->out, "<span class=\"fu fu-taken\">%s</span> ",
		    WORD(r->loc, "prise en charge", "acknowledged"));
		fputs(WORD(r->loc, "par ", "by "), r->out);
		html_text(r->out, a->taken_by);
		fprintf(r->out, WORD(r->loc, " le %s", " on %s"),
		    fmt_time(tb, sizeof(tb), a->taken_at, r->loc));
	} else if (a->active) {
		fprintf(r->out, "<span class=\"fu fu-open\">%s</span>",
		    WORD(r->loc, "ouverte", "open"));
	} else {
		fprintf(r->out, "<span class=\"fu fu-resolved\">%s</span>",
		    WORD(r->loc, "résolue", "resolved"));
	}
}

const char *query(struct req *r, const char *key)
{
	const char *v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);

	return v && *v ? v : NULL;
}

char *field(struct req *r, const char *key)
{
	return r->body ? form_value(r->body, r->len, key) : NULL;
}

bool sees_alert(struct req *r, const char *rule, const char *unit)
{
	const struct rule *ru = site_rule(r->site, rule, NULL);

	return ru && viewer_sees_unit(&r->who, unit) &&
	    viewer_sees_rule(&r->who, r->site->cfg, ru);
}

int audit(struct req *r, const char *action, const char *object,
    const char *detail)
{
	return store_audit_add(r->st, r->acct.name, "web", action, object, detail,
	    (int64_t)time(NULL));
}

const char *title_prefix(const struct req *r)
{
	if (r->note_refused || r->note_unsaved || r->silence_msg)
		return WORD(r->loc, "Erreur" TYPO_NNBSP ": ", "Error: ");
	return r->kept ? WORD(r->loc, "Note non enregistrée" TYPO_NNBSP ": ",
	    "Note not saved: ") : r->said;
}

void title_said(struct req *r, const char *msg)
{
	snprintf(r->said, sizeof(r->said), "%s ", msg);
}
