/* The text part of a digest email (mail.c): a block per unit, a signal per
 * rule with its value, what moved, the other roles it goes to, the parents
 * folded into it (SPEC 16), the summary, the last periods as a sparkline
 * and figures, the guidance and how to act on it (its console page with
 * web.url, else the command that acknowledges it); a folded parent shows
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

/* The text part is wrapped, hard, at this many characters a line: a mail
 * client shows the decoded text as it is (quoted-printable's soft breaks
 * only keep the wire lines short). Not format=flowed (RFC 3676): its
 * reflow would lose the hanging indents that tie a field's continuation
 * lines to its label, and the sparkline and the ack command must not be
 * reflowed at all. */
#define TEXT_WIDTH 72

/* Characters, not bytes, of s[0..n): what a column counts (the narrow
 * no-break space and the sparkline's blocks are one each). */
static size_t chars(const char *s, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += ((unsigned char)s[i] & 0xC0) != 0x80;
	return k;
}

/* A line being filled: words go on it while it stays within TEXT_WIDTH,
 * else on a new line indented by hang. A word is never broken: one longer
 * than the room (a URL, a unit path, the ack command) has a line of its
 * own, whole. */
struct wrap {
	FILE *f;
	const char *hang;
	size_t col;
	bool content;	/* a word (or a head) is on the line */
	bool space;	/* a space is due before the next word on this line */
};

static void wrap_begin(struct wrap *w, FILE *f, const char *head, const char *hang)
{
	size_t n = strlen(head), k = n;
	bool words = strspn(head, " ") < n;

	/* A head with words writes its trailing space only before a word on
	 * its line; one of spaces alone is an indent. */
	while (words && k > 0 && head[k - 1] == ' ')
		k--;
	fwrite(head, 1, k, f);
	*w = (struct wrap){ f, hang, chars(head, k), words, k < n };
}

static void wrap_newline(struct wrap *w)
{
	fputc('\n', w->f);
	fputs(w->hang, w->f);
	w->col = chars(w->hang, strlen(w->hang));
	w->content = w->space = false;
}

static void wrap_word(struct wrap *w, const char *s, size_t n)
{
	size_t k = chars(s, n);

	if (w->content && w->col + w->space + k > TEXT_WIDTH)
		wrap_newline(w);
	if (w->space)
		fputc(' ', w->f);
	fwrite(s, 1, n, w->f);
	w->col += w->space + k;
	w->content = true;
	w->space = true;
}

/* The words of s[0..n), split at spaces. */
static void wrap_words(struct wrap *w, const char *s, size_t n)
{
	for (size_t i = 0; i < n; ) {
		size_t j = i;

		while (j < n && s[j] != ' ')
			j++;
		if (j > i)
			wrap_word(w, s + i, j - i);
		i = j + 1;
	}
}

/* head, then text wrapped with continuation lines indented by hang, no
 * line end. text's own lines (multiline prose: a guidance) start new lines
 * under hang; one its author indented or quoted ("> ") is kept as it is,
 * and an empty one stays empty. */
static void wrapped(FILE *f, const char *head, const char *hang, const char *text)
{
	struct wrap w;
	bool first = true;

	wrap_begin(&w, f, head, hang);
	for (const char *l = text; l; first = false) {
		const char *nl = strchr(l, '\n');
		size_t n = nl ? (size_t)(nl - l) : strlen(l);

		if (!first && !n) {
			if (nl)	/* not a last, empty line: the text's end */
				fputc('\n', f);
		} else if (!first && (l[0] == ' ' || l[0] == '\t' || l[0] == '>')) {
			wrap_newline(&w);
			fwrite(l, 1, n, f);
			w.content = true;
			w.col += chars(l, n);
			w.space = true;
		} else {
			if (!first)
				wrap_newline(&w);
			wrap_words(&w, l, n);
		}
		l = nl ? nl + 1 : NULL;
	}
}

/* The same and a line end. */
static void put_wrapped(FILE *f, const char *head, const char *hang, const char *text)
{
	wrapped(f, head, hang, text);
	fputc('\n', f);
}

/* The same with a string head: pad, label and colon. */
static void put_wrapped3(FILE *f, const char *a, const char *b, const char *c,
    const char *hang, const char *text)
{
	char *head = xasprintf("%s%s%s", a, b, c);

	put_wrapped(f, head, hang, text);
	free(head);
}

/* "  " deeper than pad: where a field's continuation lines go. */
static void hang_of(char *buf, size_t size, const char *pad)
{
	snprintf(buf, size, "%s  ", pad);
}

static void put_line(FILE *f, const char *s)
{
	char *c = mime_clean(s, false);

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

/* The last periods under the sparkline, each with its figure or why it has
 * none (mail_gap_word), indented by ind: four a line, or as many as fit in
 * TEXT_WIDTH. */
static void history_text(FILE *f, const char *ind, const struct notice *x,
    enum locale loc, bool obs)
{
	char vb[TYPO_BUFSZ], eb[TYPO_BUFSZ], cell[2 * TYPO_BUFSZ + 64];
	size_t col = 0, k = 0;

	for (size_t i = 0; i < x->nhistory; i++) {
		const struct notice_point *p = &x->history[i];
		bool d;
		double v = plotted(x, i, obs, &d);

		if (d)
			obs ? mail_figure(vb, sizeof(vb), v, x, loc) :
			    typo_number(vb, sizeof(vb), v, x->decimals < 0 ? 1 : x->decimals, loc);
		else
			snprintf(vb, sizeof(vb), "%s", mail_gap_word(p, loc));
		if (d && obs && p->has_expected) {
			mail_figure(eb, sizeof(eb), p->expected, x, loc);
			snprintf(cell, sizeof(cell), "%s %s (%s)", p->period, vb, eb);
		} else {
			snprintf(cell, sizeof(cell), "%s %s", p->period, vb);
		}
		size_t n = chars(cell, strlen(cell));

		if (k == 4 || (k && col + 3 + n > TEXT_WIDTH))
			k = 0;
		if (k) {
			fprintf(f, "   %s", cell);
			col += 3 + n;
		} else {
			fprintf(f, "\n%s%s", ind, cell);
			col = chars(ind, strlen(ind)) + n;
		}
		k++;
	}
}

/* A labelled line of a signal ("  Label: text"), or of a parent folded
 * into it when pad is deeper; nothing when text is NULL. */
static void text_field(FILE *f, const char *pad, const char *label, const char *text,
    enum locale loc)
{
	char hang[32];

	if (!text)
		return;
	hang_of(hang, sizeof(hang), pad);
	put_wrapped3(f, pad, label, mail_colon(loc), hang, text);
}

/* The lines a signal and a parent folded into it both have. */
static void text_event(FILE *f, const char *pad, const struct notice *x, enum locale loc)
{
	char *s = mail_event_phrase(x, loc), hang[32];

	hang_of(hang, sizeof(hang), pad);
	put_wrapped(f, pad, hang, s);
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
	char *s = mail_also_phrase(x, loc);

	text_field(f, pad, mail_also_label(loc), s, loc);
	free(s);
}

/* The last 12 periods, the guidance and how to acknowledge, which every
 * alert shows (SPEC 9), a folded parent too. */
static void text_history(FILE *f, const char *pad, const struct notice *x, enum locale loc)
{
	bool obs = mail_plots_observed(x);
	char ind[16], hang[32], *label, *spark = NULL;
	size_t len = 0;
	FILE *g;

	if (!x->nhistory)
		return;
	label = xasprintf("%s%s%s%s", pad, WORD(loc, "Dernières périodes", "Last periods"),
	    !obs ? "" : !x->has_expected ? WORD(loc, " (observé)", " (observed)") :
	    x->has_observed ? WORD(loc, " (observé, et attendu entre parenthèses)",
	    " (observed, expected in brackets)") : WORD(loc, " (valeur, et attendu entre "
	    "parenthèses)", " (value, expected in brackets)"), mail_colon(loc));
	if (!(g = open_memstream(&spark, &len)))
		xalloc_die();
	sparkline(g, x, obs);
	if (fclose(g) != 0)
		xalloc_die();
	/* The sparkline is one word: on the label's line when it fits. */
	hang_of(hang, sizeof(hang), pad);
	wrapped(f, label, hang, spark);	/* the periods follow on the next lines */
	free(spark);
	free(label);
	snprintf(ind, sizeof(ind), "%s    ", pad);
	history_text(f, ind, x, loc, obs);
	fputs("\n", f);
}

static void text_guidance(FILE *f, const char *pad, const struct notice *x, enum locale loc)
{
	char hang[32], *g;

	if (!mail_guidance(x))
		return;
	hang_of(hang, sizeof(hang), pad);
	g = mail_prose(x->guidance, loc, true);
	put_wrapped3(f, pad, WORD(loc, "Conseil", "Guidance"), mail_colon(loc), hang, g);
	free(g);
}

/* How to act on an alert: with web.url, its console page, where it is taken
 * in charge and closed (a resolved one too, to be closed); without, the
 * command that acknowledges it. A social worker is never sent to a shell
 * when she has a console. */
static void text_act(FILE *f, const char *pad, const struct notice *x, enum locale loc,
    const char *web)
{
	char hang[32], *head, *r, *u, *cmd;
	struct wrap w;

	if (!x->rule || !x->unit)
		return;
	if (web) {
		cmd = config_alert_url(web, x->rule, x->unit);
		text_field(f, pad, mail_link_label(loc), cmd, loc);
		free(cmd);
		return;
	}
	if (!strcmp(x->kind, "resolved"))
		return;
	r = mime_clean(x->rule, false);
	u = mime_clean(x->unit, false);
	/* One word: a command is copied whole, never split over lines. */
	cmd = xasprintf("vigie ack %s@%s --by %s", r, u, WORD(loc, "NOM", "NAME"));
	head = xasprintf("%s%s%s", pad, WORD(loc, "Pour en accuser réception",
	    "To acknowledge"), mail_colon(loc));
	hang_of(hang, sizeof(hang), pad);
	wrap_begin(&w, f, head, hang);
	wrap_word(&w, cmd, strlen(cmd));
	fputc('\n', f);
	free(head);
	free(cmd);
	free(u);
	free(r);
}

/* A parent's alert inside the signal of the descendant it is folded into:
 * its unit, severity and value on one line, then, indented under it, what
 * its own signal would say. */
static void text_parent(FILE *f, const struct notice *p, const struct digest_item *it,
    enum locale loc, const char *web)
{
	char *s = mail_parent_phrase(p, loc);
	const char *same = mail_parent_guidance(p, it->v, loc);

	text_field(f, "  ", mail_parent_label(loc), s, loc);
	free(s);
	text_event(f, "    ", p, loc);
	text_held(f, "    ", p, loc);
	text_also(f, "    ", p, loc);
	for (size_t i = 0; i < it->npcovered; i++)
		if (digest_covers(p, it->pcovered[i])) {
			char *c = mail_covered_phrase(it->pcovered[i], loc);

			text_field(f, "    ", mail_covered_label(loc), c, loc);
			free(c);
		}
	text_history(f, "    ", p, loc);
	if (same)
		text_field(f, "    ", WORD(loc, "Conseil", "Guidance"), same, loc);
	else
		text_guidance(f, "    ", p, loc);
	text_act(f, "    ", p, loc, web);
}

static void text_moved(FILE *f, const struct notice *x, enum locale loc)
{
	char *s = mail_moved_phrase(x, loc);

	text_field(f, "  ", WORD(loc, "Indicateurs qui ont bougé", "Indicators that moved"),
	    s, loc);
	free(s);
}

static void text_item(FILE *f, const struct digest_item *it, enum locale loc,
    const char *web)
{
	const struct notice *x = it->v;
	const char *label;
	char *s;

	fputs("\n", f);
	char *head = x->rule && strcmp(x->kind, "resolved") ?
	    xasprintf("* [%s] ", wording_severity(x->severity, loc)) : xstrdup("* ");
	s = mail_prose(x->title ? x->title : wording_event(x->kind, loc), loc, false);
	put_wrapped(f, head, "  ", s);
	free(head);
	free(s);
	text_event(f, "  ", x, loc);
	if ((s = mail_taken_phrase(x, loc))) {
		put_wrapped(f, "  ", "  ", s);
		free(s);
	}
	if (x->rule) {
		/* What fired it first, the figures after (mail_moved_first). */
		bool first = mail_moved_first(x);

		if (first)
			text_moved(f, x, loc);
		s = mail_value_phrase(x, loc, &label);
		text_field(f, "  ", label, s, loc);
		free(s);
		s = mail_level_phrase(x, loc);
		text_field(f, "  ", mail_level_label(loc), s, loc);
		free(s);
		text_held(f, "  ", x, loc);
		if (!first)
			text_moved(f, x, loc);
		s = mail_compare_phrase(x, loc);
		text_field(f, "  ", WORD(loc, "Comparaison", "Compared with"), s, loc);
		free(s);
		text_also(f, "  ", x, loc);
	}
	for (size_t i = 0; i < it->ncovered; i++) {
		s = mail_covered_phrase(it->covered[i], loc);
		text_field(f, "  ", mail_covered_label(loc), s, loc);
		free(s);
	}
	for (size_t i = 0; i < it->nparents; i++)
		text_parent(f, it->parents[i], it, loc, web);
	if (wording_summary(x)) {
		s = mail_prose(wording_summary(x), loc, true);
		put_wrapped3(f, "  ", WORD(loc, "Résumé", "Summary"), mail_colon(loc), "    ", s);
		free(s);
	}
	text_history(f, "  ", x, loc);
	text_guidance(f, "  ", x, loc);
	text_act(f, "  ", x, loc, web);
}

/* The closing list: the alerts open for long that no one has taken in
 * charge, one line each after its unit (a site's with its teams'), with its
 * console link. */
static void text_unowned(FILE *f, const struct notice *u, size_t nu, enum locale loc,
    const char *web)
{
	struct unowned_line *l;
	size_t nl, i, left = nu;
	char *h, *s;

	if (!nu)
		return;
	h = mail_unowned_heading(u, nu, loc);
	s = xasprintf("%s%s", h, WORD(loc, NNBSP ":", ":"));
	fputs("\n", f);
	put_wrapped(f, "", "", s);
	free(s);
	free(h);
	nl = mail_unowned_lines(u, nu, loc, &l);
	for (i = 0; i < nl && i < NOTICE_UNOWNED_SHOWN; i++) {
		char *ut = xasprintf("%s%s", l[i].units, mail_rank_tag(l[i].rank, loc));

		s = mail_unowned_line(&u[l[i].first], loc);
		put_wrapped3(f, "  - ", ut, mail_colon(loc), "    ", s);
		free(s);
		free(ut);
		left -= l[i].alerts;
		if ((s = config_alert_url(web, u[l[i].link].rule, u[l[i].link].unit))) {
			put_wrapped(f, "    ", "    ", s);
			free(s);
		}
	}
	if (i < nl) {
		char *url = mail_open_url(web);

		s = mail_unowned_more(left, loc);
		if (url)
			put_wrapped3(f, "  ", s, mail_colon(loc), "    ", url);
		else
			put_wrapped(f, "  ", "    ", s);
		free(s);
		free(url);
	}
	mail_unowned_lines_free(l, nl);
	put_wrapped(f, "", "", mail_unowned_hint(loc, web));
}

char *mail_text_body(const struct notice *v, size_t n, enum locale loc,
    const char *web)
{
	size_t own = mail_events(v, n);
	char *subject = wording_subject(v, own, loc), *s, *buf = NULL, *help;
	size_t len = 0;
	struct digest d;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		xalloc_die();
	digest_build(&d, v, own);
	{
		char *c = mime_clean(subject, false);

		put_wrapped(f, "", "", c);
		free(c);
	}
	free(subject);
	if (d.nblocks && (d.nblocks > 1 || d.blocks[0].nitems > 1)) {
		/* Said relative to a last digest only to an address that had
		 * one. */
		fprintf(f, "\n%s%s\n", d.first ? WORD(loc, "Dans cet envoi", "In this digest") :
		    WORD(loc, "Depuis le dernier envoi", "Since the last digest"),
		    WORD(loc, NNBSP ":", ":"));
		for (size_t k = 0; k < d.nblocks; k++) {
			const struct digest_block *b = &d.blocks[k];

			if ((s = digest_changes_line(b->changes, loc))) {
				char *u = mime_clean(b->unit ? b->unit : "Vigie", false);
				char *ut = xasprintf("%s%s", u, mail_rank_tag(b->rank, loc));

				put_wrapped3(f, "  - ", ut, mail_colon(loc), "    ", s);
				free(ut);
				free(u);
				free(s);
			}
			for (size_t i = 0; i < b->nhosted; i++) {
				char *h = mail_hosted_phrase(b->unit, loc);
				char *c = mime_clean(b->hosted[i].unit, false), *t;
				char *u = xasprintf("%s%s", c, mail_rank_tag(b->hosted[i].rank, loc));

				free(c);
				s = digest_changes_line(b->hosted[i].changes, loc);
				t = xasprintf("%s%s", s, h);
				put_wrapped3(f, "  - ", u, mail_colon(loc), "    ", t);
				free(t);
				free(u);
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
	text_unowned(f, v + own, n - own, loc, web);
	fputs("\n-- \n", f);
	put_wrapped(f, "", "", mail_footer(loc));
	help = config_help_url(web);
	text_field(f, "", mail_help_label(loc), help, loc);
	free(help);
	digest_free(&d);
	if (fclose(f) != 0)
		xalloc_die();
	return buf;
}

char *mail_text(const struct notice *v, size_t n, enum locale loc)
{
	return mail_text_body(v, n, loc, NULL);
}
