/* The text part of a digest email (mail.c): a block per unit, a signal per
 * rule with its value, what moved, the other roles it goes to, the parents
 * folded into it (SPEC 16), the summary, the last periods as a sparkline
 * and figures, the guidance and how to acknowledge; a folded parent shows
 * all that it would show in a signal of its own but the summary, indented
 * under its line. */
#include <math.h>
#include <stdbool.h>
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

/* The last periods, four a line under the sparkline, indented by ind. */
static void history_text(FILE *f, const char *ind, const struct notice *x,
    enum locale loc, bool obs)
{
	char vb[TYPO_BUFSZ], eb[TYPO_BUFSZ];

	for (size_t i = 0; i < x->nhistory; i++) {
		const struct notice_point *p = &x->history[i];
		bool d;
		double v = plotted(x, i, obs, &d);

		if (d)
			obs ? mail_figure(vb, sizeof(vb), v, x, loc) :
			    typo_number(vb, sizeof(vb), v, x->decimals < 0 ? 1 : x->decimals, loc);
		else
			snprintf(vb, sizeof(vb), "—");
		if (d && obs && p->has_expected) {
			mail_figure(eb, sizeof(eb), p->expected, x, loc);
			fprintf(f, "%s%s%s %s (%s)", i % 4 ? "   " : "\n", i % 4 ? "" : ind,
			    p->period, vb, eb);
		} else {
			fprintf(f, "%s%s%s %s", i % 4 ? "   " : "\n", i % 4 ? "" : ind, p->period, vb);
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

	text_field(f, pad, wording_held_label(loc), s, loc);
	free(s);
}

static void text_also(FILE *f, const char *pad, const struct notice *x, enum locale loc)
{
	char *s = mail_also_phrase(x);

	text_field(f, pad, mail_also_label(loc), s, loc);
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

/* The last 12 periods, the guidance and how to acknowledge, which every
 * alert shows (SPEC 9), a folded parent too. */
static void text_history(FILE *f, const char *pad, const struct notice *x, enum locale loc)
{
	bool obs = mail_plots_observed(x);
	char ind[16];

	if (!x->nhistory)
		return;
	fprintf(f, "%s%s%s%s", pad, WORD(loc, "Dernières périodes", "Last periods"),
	    !obs ? "" : !x->has_expected ? WORD(loc, " (observé)", " (observed)") :
	    x->has_observed ? WORD(loc, " (observé, et attendu entre parenthèses)",
	    " (observed, expected in brackets)") : WORD(loc, " (valeur, et attendu entre "
	    "parenthèses)", " (value, expected in brackets)"), mail_colon(loc));
	sparkline(f, x, obs);
	snprintf(ind, sizeof(ind), "%s    ", pad);
	history_text(f, ind, x, loc, obs);
	fputs("\n", f);
}

static void text_guidance(FILE *f, const char *pad, const struct notice *x, enum locale loc)
{
	if (!x->guidance)
		return;
	fprintf(f, "%s%s%s", pad, WORD(loc, "Conseil", "Guidance"), mail_colon(loc));
	put_prose(f, x->guidance, loc);
	fputs("\n", f);
}

static void text_ack(FILE *f, const char *pad, const struct notice *x, enum locale loc)
{
	if (!x->rule || !x->unit || !strcmp(x->kind, "resolved"))
		return;
	fprintf(f, "%s%s%svigie ack ", pad, WORD(loc, "Pour en accuser réception",
	    "To acknowledge"), mail_colon(loc));
	put_line(f, x->rule);
	fputs("@", f);
	put_line(f, x->unit);
	fprintf(f, " --by %s\n", WORD(loc, "NOM", "NAME"));
}

/* A parent's alert inside the signal of the descendant it is folded into:
 * its unit, severity and value on one line, then, indented under it, what
 * its own signal would say. */
static void text_parent(FILE *f, const struct notice *p, enum locale loc, const char *web)
{
	char *s = mail_parent_phrase(p, loc);

	text_field(f, "  ", mail_parent_label(loc), s, loc);
	free(s);
	text_event(f, "    ", p, loc);
	text_held(f, "    ", p, loc);
	text_also(f, "    ", p, loc);
	text_history(f, "    ", p, loc);
	text_guidance(f, "    ", p, loc);
	text_ack(f, "    ", p, loc);
	text_link(f, "    ", p, loc, web);
}

static void text_item(FILE *f, const struct digest_item *it, enum locale loc,
    const char *web)
{
	const struct notice *x = it->v;
	const char *label;
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
		text_also(f, "  ", x, loc);
	}
	for (size_t i = 0; i < it->nparents; i++)
		text_parent(f, it->parents[i], loc, web);
	if (wording_summary(x)) {
		fprintf(f, "  %s%s", WORD(loc, "Résumé", "Summary"), mail_colon(loc));
		put_prose(f, wording_summary(x), loc);
		fputs("\n", f);
	}
	text_history(f, "  ", x, loc);
	text_guidance(f, "  ", x, loc);
	text_ack(f, "  ", x, loc);
	text_link(f, "  ", x, loc, web);
}

char *mail_text_body(const struct notice *v, size_t n, enum locale loc,
    const char *web)
{
	char *subject = wording_subject(v, n, loc), *s, *buf = NULL;
	size_t len = 0;
	struct digest d;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		xalloc_die();
	digest_build(&d, v, n);
	put_line(f, subject);
	fputs("\n", f);
	free(subject);
	if (d.nblocks && (d.nblocks > 1 || d.blocks[0].nitems > 1)) {
		fprintf(f, "\n%s%s\n", WORD(loc, "Depuis le dernier envoi", "Since the last digest"),
		    WORD(loc, NNBSP ":", ":"));
		for (size_t k = 0; k < d.nblocks; k++) {
			const struct digest_block *b = &d.blocks[k];

			if ((s = digest_changes_line(b->changes, loc))) {
				fputs("  - ", f);
				put_line(f, b->unit ? b->unit : WORD(loc, "Vigie", "Vigie"));
				fprintf(f, "%s%s\n", mail_colon(loc), s);
				free(s);
			}
			for (size_t i = 0; i < b->nhosted; i++) {
				char *h = mail_hosted_phrase(b->unit, loc);

				s = digest_changes_line(b->hosted[i].changes, loc);
				fputs("  - ", f);
				put_line(f, b->hosted[i].unit);
				fprintf(f, "%s%s%s\n", mail_colon(loc), s, h);
				free(s);
				free(h);
			}
		}
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
	if (fclose(f) != 0)
		xalloc_die();
	return buf;
}

char *mail_text(const struct notice *v, size_t n, enum locale loc)
{
	return mail_text_body(v, n, loc, NULL);
}
