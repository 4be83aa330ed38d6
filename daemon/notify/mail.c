/* Rendering of digest emails (SPEC 9, 16). A digest is one message to one
 * address with all its new transitions, shaped by digest.c: what changed
 * at the top, then one block per unit, most severe first, one signal per
 * rule, each alert with its guidance, last periods and how to acknowledge
 * it. This file writes the phrases both parts share (mail_impl.h) and the
 * whole RFC 5322 message, multipart/alternative with a text part
 * (mail_text.c) and an HTML part (mail_html.c), encoded by mime.c. Only what the event rows carry is shown: aggregated
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
#include "vigie/period.h"
#include "vigie/typo.h"
#include "vigie/wording.h"
#include "vigie/xalloc.h"

#define NNBSP TYPO_NNBSP
#define NBSP TYPO_NBSP

const char *mail_colon(enum locale loc)
{
	return WORD(loc, NNBSP ": ", ": ");
}

const char *mail_rank_tag(int rank, enum locale loc)
{
	return rank == 2 ? WORD(loc, " [critique]", " [critical]") : rank == 1 ?
	    WORD(loc, " [vigilance]", " [warning]") : "";
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

const char *mail_covered_label(enum locale loc)
{
	return WORD(loc, "Aussi en alerte", "Also active");
}

const char *mail_guidance(const struct notice *x)
{
	/* A resolution: advice meant for a live alert would read as a new
	 * one (what is left to do, closing it, its link says). */
	if (!strcmp(x->kind, "resolved"))
		return NULL;
	return x->guidance;
}

/* A folded parent's alert is of its descendant's rule, so its guidance is
 * the paragraph the descendant's signal prints just below: said once. NULL
 * when the parent's own guidance is to be printed (none, or a rule file
 * changed between the two events). */
const char *mail_parent_guidance(const struct notice *p, const struct notice *x,
    enum locale loc)
{
	if (!mail_guidance(p) || !mail_guidance(x) || strcmp(p->guidance, x->guidance))
		return NULL;
	return WORD(loc, "le même que ci-dessous", "the same as below");
}

const char *mail_also_label(enum locale loc)
{
	return WORD(loc, "Aussi envoyée à", "Also sent to");
}

char *mail_hosted_phrase(const char *host, enum locale loc)
{
	char *h = mime_clean(host, false);
	char *s = xasprintf(WORD(loc, " (dans le bloc de %s)", " (in the block of %s)"), h);

	free(h);
	return s;
}

const char *mail_help_label(enum locale loc)
{
	return WORD(loc, "Les mots de ce message expliqués",
	    "What the words of this message mean");
}

const char *mail_link_label(enum locale loc)
{
	return WORD(loc, "Suivre dans la console", "Follow up in the console");
}

void mail_number(char *buf, size_t size, double x, int decimals, enum locale loc)
{
	typo_number_sig(buf, size, x, decimals < 0 ? 1 : decimals, loc);
}

void mail_figure(char *buf, size_t size, double x, const struct notice *n, enum locale loc)
{
	typo_number(buf, size, x, figure_decimals(x, n->decimals < 0 ? 1 : n->decimals), loc);
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

const char *mail_gap_word(const struct notice_point *p, enum locale loc)
{
	return wording_gap(p->nodata, p->hidden, p->defined, loc);
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
	if (x->context) {
		fprintf(f, WORD(loc, "Toujours active depuis %s, déjà signalée",
		    "Still active since %s, already reported"), x->since ? sb : pb);
		return closed(f, &buf);
	}
	switch (digest_change_of(x)) {
	case DG_NEW:
		fprintf(f, WORD(loc, "Nouvelle alerte en %s", "New alert in %s"), pb);
		/* Its reader judged the last episode: say how. */
		if (x->last_outcome != OUTCOME_NONE)
			fprintf(f, WORD(loc, ", après un épisode précédent clôturé «" NNBSP "%s"
			    NNBSP "»", ", after a previous episode closed \"%s\""),
			    wording_outcome(x->last_outcome, loc));
		break;
	case DG_SINCE:
	case DG_HELD:
		if (!x->catchup) {
			fprintf(f, WORD(loc, "En alerte depuis %s, signalée pour la première fois "
			    "(dernière période" NNBSP ": %s)", "Active since %s, sent for the first "
			    "time (last period: %s)"), sb, pb);
			break;
		}
		/* Already active when a route gave it this address (its
		 * readers may have followed it under another): as it
		 * stands, and closed if it was. Or held until now by the
		 * alert that covered it (inhibited_by), which ended. */
		if (x->held_by) {
			char *h = mail_prose(x->held_by, loc, false);

			fprintf(f, WORD(loc, "En alerte depuis %s, déjà en cours, signalée seule "
			    "maintenant que l'alerte «" NNBSP "%s" NNBSP "» de la même unité ne "
			    "la couvre plus (dernière période" NNBSP ": %s)", "Active since %s, "
			    "already active, reported on its own now that the alert \"%s\" of "
			    "the same unit no longer covers it (last period: %s)"),
			    x->since ? sb : pb, h, pb);
			free(h);
		} else if (x->since && x->period && strcmp(x->since, x->period))
			fprintf(f, WORD(loc, "En alerte depuis %s, déjà en cours, signalée pour la "
			    "première fois à cette adresse (dernière période" NNBSP ": %s)",
			    "Active since %s, already active, sent for the first time to this "
			    "address (last period: %s)"), sb, pb);
		else
			fprintf(f, WORD(loc, "En alerte en %s, déjà en cours, signalée pour la "
			    "première fois à cette adresse", "Active in %s, already active, sent "
			    "for the first time to this address"), pb);
		if (x->last_outcome != OUTCOME_NONE)
			fprintf(f, WORD(loc, ", déjà clôturée «" NNBSP "%s" NNBSP "»",
			    ", already closed \"%s\""), wording_outcome(x->last_outcome, loc));
		break;
	case DG_AGAIN: {
		/* Its readers were told it resolved: say why it no longer
		 * has, never "for the first time". */
		char rb[TYPO_BUFSZ];

		typo_period(rb, sizeof(rb), x->reopened, false, loc);
		if (x->since && x->period && strcmp(x->since, x->period))
			fprintf(f, WORD(loc, "De nouveau en alerte depuis %s (dernière période"
			    NNBSP ": %s)", "Active again since %s (last period: %s)"), sb, pb);
		else
			fprintf(f, WORD(loc, "De nouveau en alerte en %s", "Active again in %s"), pb);
		fprintf(f, WORD(loc, NNBSP ": annoncée résolue en %s, elle ne l'est plus %s",
		    ": reported resolved in %s, it no longer is %s"), rb, x->corrected ?
		    WORD(loc, "après une correction de données passées",
		    "after a correction of past data") :
		    WORD(loc, "d'après les données et les règles d'aujourd'hui",
		    "by today's data and rules"));
		break;
	}
	case DG_WORSE:
	case DG_BETTER: {
		const char *word = digest_change_of(x) == DG_WORSE ?
		    WORD(loc, "Aggravation", "Escalated") : WORD(loc, "Amélioration", "Improved");

		if (x->told_severity && x->untold &&
		    !strcmp(x->told_severity, x->severity ? x->severity : "")) {
			/* Back to the severity its readers were last told: the
			 * one in between, a silence held; say it, never a
			 * change from a severity they never heard of. */
			char ub[TYPO_BUFSZ];

			typo_period(ub, sizeof(ub), x->untold, false, loc);
			fprintf(f, WORD(loc, "%s en %s" NNBSP ": de nouveau en %s, après un "
			    "passage en %s en %s%s", "%s in %s: back to %s, after a spell "
			    "at %s in %s%s"), word, pb, wording_severity(x->severity, loc),
			    wording_severity(x->prev_severity, loc), ub, x->untold_closed ?
			    WORD(loc, ", non signalé (alerte clôturée)",
			    ", not reported (alert closed)") :
			    WORD(loc, " pendant une suspension des notifications",
			    " during a silence"));
		} else {
			fprintf(f, "%s (%s → %s) %s %s", word,
			    wording_severity(x->prev_severity, loc),
			    wording_severity(x->severity, loc), WORD(loc, "en", "in"), pb);
		}
		if (x->since && x->period && strcmp(x->since, x->period))
			fprintf(f, WORD(loc, ", en alerte depuis %s", ", active since %s"), sb);
		/* Its reader closed it: a worse one asks them to look again. */
		if (x->last_outcome != OUTCOME_NONE)
			fprintf(f, WORD(loc, ", %s «" NNBSP "%s" NNBSP "»", ", %s \"%s\""),
			    digest_change_of(x) == DG_WORSE ? WORD(loc, "après sa clôture",
			    "after it was closed") : WORD(loc, "déjà clôturée", "already closed"),
			    wording_outcome(x->last_outcome, loc));
		break;
	}
	case DG_RESOLVED:
		fprintf(f, WORD(loc, "Résolue en %s", "Resolved in %s"), pb);
		if (x->since && x->period && strcmp(x->since, x->period))
			fprintf(f, WORD(loc, " (en alerte depuis %s)", " (active since %s)"), sb);
		/* Closed already: its follow-up is done, as its reader said. */
		if (x->last_outcome != OUTCOME_NONE)
			fprintf(f, WORD(loc, ", déjà clôturée «" NNBSP "%s" NNBSP "»",
			    ", already closed \"%s\""), wording_outcome(x->last_outcome, loc));
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
	/* Sent late: its reader would think it came in late, or that the
	 * digest before missed it. */
	if (x->released && x->held_by) {
		char *h = mail_prose(x->held_by, loc, false);

		fprintf(f, WORD(loc, ", retenue jusqu'ici par l'alerte «" NNBSP "%s" NNBSP
		    "» de la même unité", ", held until now by the alert \"%s\" of the same "
		    "unit"), h);
		free(h);
	} else if (x->released) {
		fputs(WORD(loc, ", retenue jusqu'ici par une suspension des notifications",
		    ", held until now by a silence"), f);
	}
	return closed(f, &buf);
}

/* The components of x that moved: none said of a resolution (moved to
 * fire it, or back to resolve it? Neither says anything it needs). */
static bool moved(const struct notice *x, size_t i)
{
	return strcmp(x->kind, "resolved") && x->components[i].defined &&
	    rule_term_moved(x->components[i].value);
}

static size_t moved_count(const struct notice *x)
{
	size_t k = 0;

	for (size_t i = 0; i < x->ncomponents; i++)
		k += moved(x, i);
	return k;
}

bool mail_moved_first(const struct notice *x)
{
	return x->has_observed && x->has_expected && wording_moved_first(
	    !strcmp(x->kind, "resolved"), moved_count(x), x->observed, x->expected);
}

char *mail_value_phrase(const struct notice *x, enum locale loc, const char **label)
{
	char vb[TYPO_BUFSZ], eb[TYPO_BUFSZ], tb[TYPO_BUFSZ];
	bool resolved = !strcmp(x->kind, "resolved");
	const char *note;
	MEMSTREAM(f, buf, len);

	*label = WORD(loc, "Valeur", "Value");
	if (x->missing) {
		fputs(WORD(loc, "aucune (données manquantes trop longtemps" NNBSP ": l'alerte "
		    "prend fin faute de données)", "none (data missing for too long: the "
		    "alert ends for lack of data)"), f);
	} else if (!x->has_value && x->absent && resolved) {
		/* Not data missing past carry_over (above): the rule no
		 * longer gives this unit a value at all. */
		fputs(WORD(loc, "aucune (la règle ne s'applique plus à cette unité, ou ses "
		    "données ont été supprimées)", "none (the rule no longer applies to "
		    "this unit, or its data was deleted)"), f);
	} else if (!x->has_value && x->absent) {
		fputs(WORD(loc, "manquante (pas de données pour cette période" NNBSP ": "
		    "l'alerte est maintenue)", "missing (no data for this period: the alert "
		    "holds)"), f);
	} else if (!x->has_value || (x->hidden && !x->has_observed)) {
		fputs(WORD(loc, "valeur masquée (effectif sous le seuil d'anonymat)",
		    "hidden value (headcount below the anonymity floor)"), f);
	} else if (x->has_observed) {
		*label = WORD(loc, "Observé", "Observed");
		mail_figure(vb, sizeof(vb), x->observed, x, loc);
		fputs(vb, f);
		if (x->measure) {
			char *m = mail_prose(x->measure, loc, false);

			fprintf(f, " (%s)", m);
			free(m);
		}
		if (x->has_expected) {
			mail_figure(eb, sizeof(eb), x->expected, x, loc);
			fprintf(f, WORD(loc, ", attendu" NNBSP ": %s", ", expected: %s"), eb);
		}
		if (resolved)
			fprintf(f, " (%s)", wording_resolved_values(true, loc));
		if ((note = wording_figures_note(resolved, moved_count(x), x->observed,
		    x->has_expected ? x->expected : NAN, loc)))
			fprintf(f, WORD(loc, NNBSP "; %s", "; %s"), note);
	} else {
		typo_number(vb, sizeof(vb), x->value, x->decimals < 0 ? 1 : x->decimals, loc);
		fputs(vb, f);
		if (x->has_expected) {
			mail_figure(eb, sizeof(eb), x->expected, x, loc);
			fprintf(f, WORD(loc, ", attendu" NNBSP ": %s", ", expected: %s"), eb);
		}
		if (resolved) {
			fprintf(f, " (%s", wording_resolved_values(false, loc));
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
	return wording_held(loc, x->severity, x->below, x->has_observed && x->has_expected,
	    vb, tb, cb);
}

char *mail_moved_phrase(const struct notice *x, enum locale loc)
{
	MEMSTREAM(f, buf, len);
	size_t k = 0;

	for (size_t i = 0; i < x->ncomponents; i++) {
		char *l;

		if (!moved(x, i))
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
	char *s = xasprintf(WORD(loc, "%s [%s]" NNBSP ": %s%s%s", "%s [%s]: %s%s%s"), u,
	    wording_severity(p->severity, loc), p->has_observed ? WORD(loc, "observé",
	    "observed") : "", p->has_observed ? mail_colon(loc) : "", v);

	free(v);
	free(u);
	return s;
}

char *mail_covered_phrase(const struct notice *c, enum locale loc)
{
	char ob[TYPO_BUFSZ], eb[TYPO_BUFSZ], *t = mail_prose(c->title ? c->title : c->rule,
	    loc, false), *s, *v;
	const char *sev = wording_severity(c->severity, loc), *label;

	/* The figures its own signal would lead with, in a few words. */
	if (c->has_observed && c->has_expected) {
		mail_figure(ob, sizeof(ob), c->observed, c, loc);
		mail_figure(eb, sizeof(eb), c->expected, c, loc);
		s = xasprintf(WORD(loc, "%s [%s] (observé %s, attendu %s)",
		    "%s [%s] (observed %s, expected %s)"), t, sev, ob, eb);
	} else if (c->has_value && c->has_threshold) {
		mail_figure(ob, sizeof(ob), c->value, c, loc);
		mail_figure(eb, sizeof(eb), c->threshold, c, loc);
		s = xasprintf(WORD(loc, "%s [%s] (valeur %s, seuil %s)",
		    "%s [%s] (value %s, threshold %s)"), t, sev, ob, eb);
	} else {
		v = mail_value_phrase(c, loc, &label);	/* hidden, or missing */
		s = xasprintf("%s [%s] (%s)", t, sev, v);
		free(v);
	}
	free(t);
	return s;
}

char *mail_also_phrase(const struct notice *x, enum locale loc)
{
	MEMSTREAM(f, buf, len);
	size_t k = 0;

	/* A context notice's roles got another message, not this one. */
	for (const char *a = x->context ? NULL : x->also; a && *a; ) {
		size_t n = strcspn(a, ",");
		char *r = xstrndup(a, n), *c = mime_clean(wording_role(r, loc), false);

		if (n)
			fprintf(f, "%s%s", k++ ? ", " : "", c);
		free(c);
		free(r);
		a += n + (a[n] == ',');
	}
	return closed_list(f, &buf, k);
}

size_t mail_events(const struct notice *v, size_t n)
{
	while (n > 0 && v[n - 1].unowned)
		n--;
	return n;
}

char *mail_open_url(const char *web)
{
	return web ? xasprintf("%s/?state=open", web) : NULL;
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
	subject = wording_subject(v, mail_events(v, n), loc);
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
	/* Content-Language (RFC 3282): a mail client that would guess the
	 * language from a few words offers no translation. */
	fprintf(f, "MIME-Version: 1.0\r\nAuto-Submitted: auto-generated\r\n"
	    "X-Auto-Response-Suppress: All\r\nContent-Language: %s\r\n",
	    WORD(loc, "fr", "en"));
	fprintf(f, "Content-Type: multipart/alternative;\r\n boundary=\"%s\"\r\n\r\n",
	    boundary);
	fputs("This is a multi-part message in MIME format.\r\n", f);
	text = mail_text_body(v, n, loc, env->web_url);
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
