/* Rendering of digest emails (SPEC 9, 16). A digest is one message to one
 * address with all its new transitions, shaped by digest.c: what changed
 * at the top, then one block per unit, most severe first, one signal per
 * rule, the guidance once per rule. This file writes the phrases both
 * parts share (mail_impl.h), the text part and the whole RFC 5322 message,
 * multipart/alternative with a text and an HTML part (mail_html.c),
 * encoded by mime.c. Only what the event rows carry is shown: aggregated
 * values (or « valeur masquée » under the anonymity floor), never names
 * and never acknowledgement notes; with web.url, a link to each alert's
 * console page (a GET: following it changes nothing). */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mail_impl.h"
#include "vigie/config.h"
#include "vigie/mail.h"
#include "vigie/mime.h"
#include "vigie/typo.h"
#include "vigie/wording.h"
#include "vigie/xalloc.h"

#define NNBSP TYPO_NNBSP

const char *mail_colon(enum locale loc)
{
	return WORD(loc, NNBSP ": ", ": ");
}

const char *mail_footer(enum locale loc)
{
	return WORD(loc, "Message envoyé automatiquement par Vigie. Il ne contient que des "
	    "indicateurs agrégés" NNBSP ": aucun nom, aucune absence individuelle.",
	    "Sent automatically by Vigie. It carries aggregated indicators only: "
	    "no names, no individual absences.");
}

const char *mail_parent_label(enum locale loc)
{
	return WORD(loc, "Aussi en alerte au niveau supérieur", "Also active at the level above");
}

const char *mail_held_label(enum locale loc)
{
	return WORD(loc, "Maintenue par hystérésis", "Held by hysteresis");
}

const char *mail_link_label(enum locale loc)
{
	return WORD(loc, "Suivre dans la console", "Follow up in the console");
}

void mail_number(char *buf, size_t size, double x, int decimals, enum locale loc)
{
	typo_number_sig(buf, size, x, decimals < 0 ? 1 : decimals, loc);
}

char *mail_prose(const char *s, enum locale loc, bool multiline)
{
	char *c = mime_clean(s, multiline), *t = typo_prose(c, loc);

	free(c);
	return t;
}

bool mail_plots_observed(const struct notice *x)
{
	return x->has_points && (x->has_observed || x->has_expected);
}

/* Closes an open_memstream() stream and returns its buffer (read after
 * the close: only then is it final). */
static char *closed(FILE *f, char **buf)
{
	if (fclose(f) != 0)
		xalloc_die();
	return *buf;
}

/* The same for a list of k items: NULL when it has none. */
static char *closed_list(FILE *f, char **buf, size_t k)
{
	closed(f, buf);
	if (k)
		return *buf;
	free(*buf);
	return NULL;
}

#define MEMSTREAM(f, buf, len) \
	char *buf = NULL; size_t len = 0; FILE *f = open_memstream(&buf, &len); \
	if (!f) xalloc_die()

char *mail_event_phrase(const struct notice *x, enum locale loc)
{
	char pb[TYPO_BUFSZ], sb[TYPO_BUFSZ];
	MEMSTREAM(f, buf, len);

	typo_period(pb, sizeof(pb), x->period, false, loc);
	typo_period(sb, sizeof(sb), x->since, false, loc);
	switch (digest_change_of(x)) {
	case DG_NEW:
		fprintf(f, WORD(loc, "Nouvelle alerte en %s", "New alert in %s"), pb);
		break;
	case DG_SINCE:
		fprintf(f, WORD(loc, "En alerte depuis %s, signalée pour la première fois "
		    "(dernière période" NNBSP ": %s)", "Active since %s, sent for the first "
		    "time (last period: %s)"), sb, pb);
		break;
	case DG_WORSE:
	case DG_BETTER:
		fprintf(f, "%s (%s → %s) %s %s", digest_change_of(x) == DG_WORSE ?
		    WORD(loc, "Aggravation", "Worse") : WORD(loc, "Amélioration", "Better"),
		    wording_severity(x->prev_severity, loc), wording_severity(x->severity, loc),
		    WORD(loc, "en", "in"), pb);
		if (x->since && x->period && strcmp(x->since, x->period))
			fprintf(f, WORD(loc, ", en alerte depuis %s", ", active since %s"), sb);
		break;
	case DG_RESOLVED:
		fprintf(f, WORD(loc, "Résolue en %s", "Resolved in %s"), pb);
		if (x->since && x->period && strcmp(x->since, x->period))
			fprintf(f, WORD(loc, " (en alerte depuis %s)", " (active since %s)"), sb);
		break;
	case DG_REMINDER:
		fprintf(f, WORD(loc, "Rappel" NNBSP ": toujours en alerte en %s, depuis %s",
		    "Reminder: still active in %s, since %s"), pb, sb);
		break;
	default:
		fputs(wording_event(x->kind, loc), f);
		if (x->period)
			fprintf(f, " (%s)", pb);
		break;
	}
	return closed(f, &buf);
}

char *mail_value_phrase(const struct notice *x, enum locale loc, const char **label)
{
	char vb[TYPO_BUFSZ], eb[TYPO_BUFSZ], tb[TYPO_BUFSZ];
	bool resolved = !strcmp(x->kind, "resolved");
	MEMSTREAM(f, buf, len);

	*label = WORD(loc, "Valeur", "Value");
	if (x->missing) {
		fputs(WORD(loc, "aucune (données manquantes trop longtemps" NNBSP ": l'alerte "
		    "prend fin faute de données)", "none (data missing for too long: the "
		    "alert ends for lack of data)"), f);
	} else if (!x->has_value && x->absent) {
		fputs(WORD(loc, "manquante (pas de données pour cette période" NNBSP ": "
		    "l'alerte est maintenue)", "missing (no data for this period: the alert "
		    "holds)"), f);
	} else if (!x->has_value || (x->hidden && !x->has_observed)) {
		fputs(WORD(loc, "valeur masquée (effectif sous le seuil d'anonymat)",
		    "hidden value (headcount below the anonymity floor)"), f);
	} else if (x->has_observed) {
		*label = WORD(loc, "Observé", "Observed");
		mail_number(vb, sizeof(vb), x->observed, 1, loc);
		fputs(vb, f);
		if (x->measure) {
			char *m = mail_prose(x->measure, loc, false);

			fprintf(f, " (%s)", m);
			free(m);
		}
		if (x->has_expected) {
			mail_number(eb, sizeof(eb), x->expected, 1, loc);
			fprintf(f, WORD(loc, ", attendu" NNBSP ": %s", ", expected: %s"), eb);
		}
		if (resolved)
			fputs(WORD(loc, " (valeurs à la résolution)", " (when it resolved)"), f);
	} else {
		typo_number(vb, sizeof(vb), x->value, x->decimals < 0 ? 1 : x->decimals, loc);
		fputs(vb, f);
		if (x->has_expected) {
			mail_number(eb, sizeof(eb), x->expected, 1, loc);
			fprintf(f, WORD(loc, ", attendu" NNBSP ": %s", ", expected: %s"), eb);
		}
		if (resolved) {
			fputs(WORD(loc, " (valeur qui l'a résolue", " (the value that resolved it"), f);
			if (x->has_threshold) {
				mail_number(tb, sizeof(tb), x->threshold, x->decimals, loc);
				fprintf(f, WORD(loc, NNBSP "; seuil %s", "; threshold %s"), tb);
			}
			fputs(")", f);
		} else if (x->has_threshold) {
			mail_number(tb, sizeof(tb), x->threshold, x->decimals, loc);
			fprintf(f, WORD(loc, " (seuil %s" NNBSP ": %s)", " (%s threshold: %s)"),
			    wording_severity(x->severity, loc), tb);
		}
	}
	return closed(f, &buf);
}

char *mail_held_phrase(const struct notice *x, enum locale loc)
{
	char vb[TYPO_BUFSZ], tb[TYPO_BUFSZ], cb[TYPO_BUFSZ];

	if (!x->held || !x->has_value || !x->has_clear || strcmp(x->kind, "resolved") == 0)
		return NULL;
	mail_number(vb, sizeof(vb), x->value, x->decimals, loc);
	mail_number(cb, sizeof(cb), x->clear, x->decimals, loc);
	if (x->has_threshold)
		mail_number(tb, sizeof(tb), x->threshold, x->decimals, loc);
	else
		snprintf(tb, sizeof(tb), "-");
	if (x->below)
		return xasprintf(WORD(loc, "la valeur de la règle (%s) n'est plus sous le seuil "
		    "de %s (%s)" NNBSP "; l'alerte prend fin quand elle remonte à %s ou plus "
		    "(seuil de fin)", "the rule's value (%s) is no longer below the %s "
		    "threshold (%s); the alert ends when it rises to %s or more (clear "
		    "level)"), vb, wording_severity(x->severity, loc), tb, cb);
	return xasprintf(WORD(loc, "la valeur de la règle (%s) n'atteint plus le seuil de "
	    "%s (%s)" NNBSP "; l'alerte prend fin quand elle redescend à %s ou moins "
	    "(seuil de fin)", "the rule's value (%s) no longer reaches the %s threshold "
	    "(%s); the alert ends when it falls to %s or less (clear level)"), vb,
	    wording_severity(x->severity, loc), tb, cb);
}

char *mail_moved_phrase(const struct notice *x, enum locale loc)
{
	MEMSTREAM(f, buf, len);
	size_t k = 0;

	for (size_t i = 0; i < x->ncomponents; i++) {
		char *l;

		if (!x->components[i].defined || !rule_term_moved(x->components[i].value))
			continue;
		l = mail_prose(x->components[i].label, loc, false);
		fprintf(f, "%s%s", k++ ? ", " : "", l);
		free(l);
	}
	return closed_list(f, &buf, k);
}

char *mail_compare_phrase(const struct notice *x, enum locale loc)
{
	MEMSTREAM(f, buf, len);
	size_t k = 0;

	for (size_t i = 0; i < x->ncompare; i++) {
		char *l, nb[TYPO_BUFSZ];

		if (!x->compare[i].defined)
			continue;
		l = mail_prose(x->compare[i].label, loc, false);
		mail_number(nb, sizeof(nb), x->compare[i].value, 1, loc);
		fprintf(f, "%s%s %s", k++ ? WORD(loc, NNBSP "; ", "; ") : "", l, nb);
		free(l);
	}
	return closed_list(f, &buf, k);
}

char *mail_parent_phrase(const struct notice *p, enum locale loc)
{
	const char *label;
	char *v = mail_value_phrase(p, loc, &label), *u = mime_clean(p->unit, false);
	char *s = xasprintf(WORD(loc, "%s [%s]" NNBSP ": %s%s", "%s [%s]: %s%s"), u,
	    wording_severity(p->severity, loc), p->has_observed ? WORD(loc, "observé ",
	    "observed ") : "", v);

	free(v);
	free(u);
	return s;
}

char *mail_also_phrase(const struct digest *d, enum locale loc)
{
	MEMSTREAM(f, buf, len);

	if (!d->nalso) {
		closed(f, &buf);
		free(buf);
		return NULL;
	}
	fprintf(f, "%s%s", d->nalso > 1 ? WORD(loc, "Ces alertes sont aussi envoyées aux "
	    "rôles", "These alerts also go to the roles") : WORD(loc, "Ces alertes sont "
	    "aussi envoyées au rôle", "These alerts also go to the role"), mail_colon(loc));
	for (size_t i = 0; i < d->nalso; i++) {
		char *r = mime_clean(d->also[i], false);

		fprintf(f, "%s%s", i ? ", " : "", r);
		free(r);
	}
	return closed(f, &buf);
}

/* ---- The text part ---------------------------------------------------- */

static void put_line(FILE *f, const char *s)
{
	char *c = mime_clean(s, false);

	fputs(c, f);
	free(c);
}

static void put_prose(FILE *f, const char *s, enum locale loc)
{
	char *c = mail_prose(s, loc, true);

	fputs(c, f);
	free(c);
}

static double plotted(const struct notice *x, size_t i, bool obs, bool *def)
{
	const struct notice_point *p = &x->history[i];

	*def = obs ? p->has_observed && !p->hidden : p->defined;
	return obs ? p->observed : p->value;
}

/* One block per defined period (▁ lowest … █ highest), "·" for a period
 * without a value. */
static void sparkline(FILE *f, const struct notice *x, bool obs)
{
	static const char *const bars[8] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
	double lo = INFINITY, hi = -INFINITY;
	bool d;

	for (size_t i = 0; i < x->nhistory; i++) {
		double v = plotted(x, i, obs, &d);

		if (d) {
			lo = v < lo ? v : lo;
			hi = v > hi ? v : hi;
		}
	}
	for (size_t i = 0; i < x->nhistory; i++) {
		double v = plotted(x, i, obs, &d);
		int k = 3;

		if (!d) {
			fputs("·", f);
			continue;
		}
		if (hi > lo)
			k = (int)lround((v - lo) / (hi - lo) * 7);
		fputs(bars[k < 0 ? 0 : k > 7 ? 7 : k], f);
	}
}

static void history_text(FILE *f, const struct notice *x, enum locale loc, bool obs)
{
	char vb[TYPO_BUFSZ], eb[TYPO_BUFSZ];

	for (size_t i = 0; i < x->nhistory; i++) {
		const struct notice_point *p = &x->history[i];
		bool d;
		double v = plotted(x, i, obs, &d);

		if (d)
			obs ? mail_number(vb, sizeof(vb), v, 1, loc) :
			    typo_number(vb, sizeof(vb), v, x->decimals < 0 ? 1 : x->decimals, loc);
		else
			snprintf(vb, sizeof(vb), "—");
		if (d && obs && p->has_expected) {
			mail_number(eb, sizeof(eb), p->expected, 1, loc);
			fprintf(f, "%s%s %s (%s)", i % 4 ? "   " : "\n      ", p->period, vb, eb);
		} else {
			fprintf(f, "%s%s %s", i % 4 ? "   " : "\n      ", p->period, vb);
		}
	}
}

/* A labelled line of a signal ("  Label: text"), or of a parent folded
 * into it when pad is deeper; nothing when text is NULL. */
static void text_field(FILE *f, const char *pad, const char *label, const char *text,
    enum locale loc)
{
	if (!text)
		return;
	fprintf(f, "%s%s%s%s\n", pad, label, mail_colon(loc), text);
}

/* The lines a signal and a parent folded into it both have. */
static void text_event(FILE *f, const char *pad, const struct notice *x, enum locale loc)
{
	char *s = mail_event_phrase(x, loc);

	fprintf(f, "%s%s\n", pad, s);
	free(s);
}

static void text_held(FILE *f, const char *pad, const struct notice *x, enum locale loc)
{
	char *s = mail_held_phrase(x, loc);

	text_field(f, pad, mail_held_label(loc), s, loc);
	free(s);
}

static void text_link(FILE *f, const char *pad, const struct notice *x, enum locale loc,
    const char *web)
{
	char *url;

	if (!web || !x->rule || !x->unit)
		return;
	url = config_alert_url(web, x->rule, x->unit);
	text_field(f, pad, mail_link_label(loc), url, loc);
	free(url);
}

/* A parent's alert inside the signal of the descendant it is folded into:
 * its unit, severity and value on one line, then, indented under it, what
 * happened, the hysteresis and its link, as its own signal would say. */
static void text_parent(FILE *f, const struct notice *p, enum locale loc, const char *web)
{
	char *s = mail_parent_phrase(p, loc);

	text_field(f, "  ", mail_parent_label(loc), s, loc);
	free(s);
	text_event(f, "    ", p, loc);
	text_held(f, "    ", p, loc);
	text_link(f, "    ", p, loc, web);
}

static void text_item(FILE *f, const struct digest_item *it, enum locale loc,
    const char *web)
{
	const struct notice *x = it->v;
	const char *colon = mail_colon(loc), *label;
	char *s;

	fputs("\n* ", f);
	if (x->rule && strcmp(x->kind, "resolved"))
		fprintf(f, "[%s] ", wording_severity(x->severity, loc));
	s = mail_prose(x->title ? x->title : wording_event(x->kind, loc), loc, false);
	fprintf(f, "%s\n", s);
	free(s);
	text_event(f, "  ", x, loc);
	if (x->rule) {
		s = mail_value_phrase(x, loc, &label);
		text_field(f, "  ", label, s, loc);
		free(s);
		text_held(f, "  ", x, loc);
		s = mail_moved_phrase(x, loc);
		text_field(f, "  ", WORD(loc, "Indicateurs qui ont bougé", "Indicators that moved"),
		    s, loc);
		free(s);
		s = mail_compare_phrase(x, loc);
		text_field(f, "  ", WORD(loc, "Comparaison", "Compared with"), s, loc);
		free(s);
	}
	for (size_t i = 0; i < it->nparents; i++)
		text_parent(f, it->parents[i], loc, web);
	if (x->summary) {
		fprintf(f, "  %s%s", WORD(loc, "Résumé", "Summary"), colon);
		put_prose(f, x->summary, loc);
		fputs("\n", f);
	}
	if (x->nhistory) {
		bool obs = mail_plots_observed(x);

		fprintf(f, "  %s%s%s", WORD(loc, "Dernières périodes", "Last periods"),
		    !obs ? "" : !x->has_expected ? WORD(loc, " (observé)", " (observed)") :
		    x->has_observed ? WORD(loc, " (observé, et attendu entre parenthèses)",
		    " (observed, expected in brackets)") : WORD(loc, " (valeur, et attendu entre "
		    "parenthèses)", " (value, expected in brackets)"), colon);
		sparkline(f, x, obs);
		history_text(f, x, loc, obs);
		fputs("\n", f);
	}
	if (x->guidance && it->guidance) {
		fprintf(f, "  %s%s", WORD(loc, "Conseil", "Guidance"), colon);
		put_prose(f, x->guidance, loc);
		fputs("\n", f);
	}
	if (x->rule && x->unit && strcmp(x->kind, "resolved")) {
		fprintf(f, "  %s%svigie ack ", WORD(loc, "Pour en accuser réception",
		    "To acknowledge"), colon);
		put_line(f, x->rule);
		fputs("@", f);
		put_line(f, x->unit);
		fprintf(f, " --by %s\n", WORD(loc, "NOM", "NAME"));
	}
	text_link(f, "  ", x, loc, web);
}

static char *text_body(const struct notice *v, size_t n, enum locale loc,
    const char *web)
{
	char *subject = wording_subject(v, n, loc), *s;
	struct digest d;
	bool top = false;
	MEMSTREAM(f, buf, len);

	digest_build(&d, v, n);
	put_line(f, subject);
	fputs("\n", f);
	free(subject);
	if (d.nblocks && (d.nblocks > 1 || d.blocks[0].nitems > 1)) {
		top = true;
		fprintf(f, "\n%s%s\n", WORD(loc, "Depuis le dernier envoi", "Since the last digest"),
		    WORD(loc, NNBSP ":", ":"));
		for (size_t k = 0; k < d.nblocks; k++) {
			s = digest_changes_line(&d.blocks[k], loc);
			fputs("  - ", f);
			put_line(f, d.blocks[k].unit ? d.blocks[k].unit :
			    WORD(loc, "Vigie", "Vigie"));
			fprintf(f, "%s%s\n", mail_colon(loc), s);
			free(s);
		}
	}
	if ((s = mail_also_phrase(&d, loc))) {
		fprintf(f, "%s%s\n", top ? "" : "\n", s);
		free(s);
	}
	for (size_t k = 0; k < d.nblocks; k++) {
		if (d.blocks[k].unit) {
			fputs("\n== ", f);
			put_line(f, d.blocks[k].unit);
			fputs(" ==\n", f);
		}
		for (size_t i = 0; i < d.blocks[k].nitems; i++)
			text_item(f, &d.blocks[k].items[i], loc, web);
	}
	fprintf(f, "\n-- \n%s\n", mail_footer(loc));
	digest_free(&d);
	return closed(f, &buf);
}

char *mail_text(const struct notice *v, size_t n, enum locale loc)
{
	return text_body(v, n, loc, NULL);
}

char *mail_render(const struct notice *v, size_t n, enum locale loc,
    const struct mail_envelope *env, size_t *len)
{
	char *buf = NULL, *subject, *hdr, *text, *html, to[320], from[320];
	char boundary[64];
	const char *dom;
	unsigned char rnd[8];
	FILE *f = open_memstream(&buf, len);

	if (!f)
		xalloc_die();
	/* "=_" never occurs in quoted-printable text, so this boundary cannot
	 * collide with a part's content. */
	arc4random_buf(rnd, sizeof(rnd));
	snprintf(boundary, sizeof(boundary), "=_vigie_%02x%02x%02x%02x%02x%02x%02x%02x",
	    rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
	mime_addr_spec(env->from_addr ? env->from_addr : "vigie@localhost", from, sizeof(from));
	dom = strrchr(from, '@');
	dom = dom && dom[1] ? dom + 1 : "vigie";

	mime_put_from(f, env->from_name, env->from_addr);
	fprintf(f, "To: %s\r\n", mime_addr_spec(env->to, to, sizeof(to)));
	subject = wording_subject(v, n, loc);
	hdr = mime_header_encoded("Subject", subject);
	fputs(hdr, f);
	free(hdr);
	free(subject);
	mime_put_date(f, env->date);
	{
		char *uid = mime_clean(env->uid, false);

		for (char *p = uid; *p; p++)
			if (*p == ' ' || *p == '<' || *p == '>' || *p == '@')
				*p = '_';
		fprintf(f, "Message-ID: <%s@%s>\r\n", uid, dom);
		free(uid);
	}
	fputs("MIME-Version: 1.0\r\nAuto-Submitted: auto-generated\r\n"
	    "X-Auto-Response-Suppress: All\r\n", f);
	fprintf(f, "Content-Type: multipart/alternative;\r\n boundary=\"%s\"\r\n\r\n",
	    boundary);
	fputs("This is a multi-part message in MIME format.\r\n", f);
	text = text_body(v, n, loc, env->web_url);
	html = mail_html_body(v, n, loc, env->web_url);
	mime_put_part(f, boundary, "text/plain", text);
	mime_put_part(f, boundary, "text/html", html);
	fprintf(f, "--%s--\r\n", boundary);
	free(text);
	free(html);
	if (fclose(f) != 0)
		xalloc_die();
	return buf;
}

/* ---- Scheduled reports (SPEC 15): rendered above this room ---- */

static mail_report_fn report_renderer;

void mail_set_report_renderer(mail_report_fn fn)
{
	report_renderer = fn;
}

char *mail_render_report(const struct config *cfg, const struct notice *x,
    const struct mail_envelope *env, size_t *len, char *err, size_t errsize)
{
	if (!report_renderer) {
		snprintf(err, errsize, "this program cannot render reports (vigied does)");
		return NULL;
	}
	return report_renderer(cfg, x, env, len, err, errsize);
}
