/* Private to the mail renderers (daemon/notify/mail.c, mail_text.c,
 * mail_html.c): the phrases both parts of a digest say, so that the text and the HTML part
 * never disagree. Every phrase is plain UTF-8 with the locale's
 * typography (typo.h), one line, a new string the caller frees, or NULL
 * when there is nothing to say. */
#ifndef VIGIE_MAIL_IMPL_H
#define VIGIE_MAIL_IMPL_H

#include "vigie/notice.h"
#include "vigie/rules.h"
#include "vigie/wording.h"

/* " : " with a narrow no-break space in French, ": " in English. */
const char *mail_colon(enum locale loc);
/* What happened and since when, in prose: « Nouvelle alerte en octobre
 * 2026 », « En alerte depuis juillet 2026, signalée pour la première
 * fois »... */
char *mail_event_phrase(const struct notice *x, enum locale loc);
/* The value line and its label (« Valeur », « Observé »): observed against
 * expected where the rule states them, else the value against its
 * threshold; a hidden or missing value says so. */
char *mail_value_phrase(const struct notice *x, enum locale loc, const char **label);
/* The rule's summary of x, or NULL when x has no value: a summary quotes
 * it, and « valeur masquée conflits signalés en mars » (or « données
 * manquantes … ») says no more than the value line, and not in French.
 * x's string, not a copy. */
/* Hysteresis: the alert is active below its threshold, and ends at clear. */
char *mail_held_phrase(const struct notice *x, enum locale loc);
/* Beside the change (mail_change.c). Who took it in charge and when (« Prise en
 * charge par marie le 8 juillet 2026 »), or NULL. Why its severity moved
 * when its observed figure stayed or went the other way since the period
 * before (« l'observé est passé de 4 à 2, mais l'attendu est passé de
 * 0,4 à 0,1 »; a rule that combines indicators: that its level follows
 * them all, and those that moved), or NULL; the label of that line. */
char *mail_taken_phrase(const struct notice *x, enum locale loc);
char *mail_level_phrase(const struct notice *x, enum locale loc);
const char *mail_level_label(enum locale loc);
/* The components that moved (« absences, démissions »; none for a
 * resolution); the comparisons
 * (« entreprise 6,1 ; pairs 5 »). */
char *mail_moved_phrase(const struct notice *x, enum locale loc);
/* Whether the indicators that moved come before the value line: they
 * fired the alert, its observed not above its expected
 * (wording_moved_first). */
bool mail_moved_first(const struct notice *x);
char *mail_compare_phrase(const struct notice *x, enum locale loc);
/* A parent's alert shown inside a descendant's signal: « valdis/epinal
 * [critique] : observé : 14, attendu : 2 ». Under it both parts give the
 * same facts as for a signal, compactly: the event phrase, the hysteresis,
 * the other roles it goes to and the console link. */
char *mail_parent_phrase(const struct notice *p, enum locale loc);
/* An alert that the signal's alert covers (inhibited_by), on one line:
 * « Heures supplémentaires en hausse durable [vigilance] (observé 3,8,
 * attendu 1) »; its label, « Aussi en alerte » (static). */
char *mail_covered_phrase(const struct notice *c, enum locale loc);
const char *mail_covered_label(enum locale loc);
/* What follows the changes of the parents of a unit that host's block
 * shows, at the top of a digest: « (dans le bloc de acme/site/a) ». */
char *mail_hosted_phrase(const char *host, enum locale loc);
/* The labels both parts give these lines. Static. */
const char *mail_parent_label(enum locale loc);
const char *mail_parent_guidance(const struct notice *p, const struct notice *x,
    enum locale loc);
const char *mail_link_label(enum locale loc);
/* The guidance a digest prints for x: none for a resolution. */
const char *mail_guidance(const struct notice *x);
const char *mail_also_label(enum locale loc);
/* The other roles that received this alert, in words (« RH, direction »), or NULL:
 * said of each alert, never of the digest, whose other alerts may go to
 * this role alone (a social worker's, under professional secrecy). */
char *mail_also_phrase(const struct notice *x, enum locale loc);
/* Prose of a rule (summary, guidance, title) with the locale's typography,
 * cleaned for a mail body. */
char *mail_prose(const char *s, enum locale loc, bool multiline);
/* A number as digests write it: two significant digits at least. */
void mail_number(char *buf, size_t size, double x, int decimals, enum locale loc);
/* An observed or expected figure of alert n as its summary writes it, with
 * the rule's decimals (« 7, attendu : 1 » beside « 7, contre 1 »). */
void mail_figure(char *buf, size_t size, double x, const struct notice *n, enum locale loc);
/* Whether a chart or history shows observed values (else the rule's). */
bool mail_plots_observed(const struct notice *x);
/* What a chart or history says of a period without a figure (wording_gap). */
const char *mail_gap_word(const struct notice_point *p, enum locale loc);
/* The closing list of a digest (notice.h): the alerts open for long that
 * no one has taken in charge. mail_events: how many notices of v[0..n)
 * come before the unowned ones, which come last. The heading of the list
 * of u[0..nu) (« 3 alertes ouvertes sans prise en charge depuis plus de 2
 * mois »), the line of one after its unit (« Vague de départs, depuis juin
 * 2026 »), what stands for the k past NOTICE_UNOWNED_SHOWN (« … et 3
 * autres »), the line under it that says how to take an alert off it,
 * in the console under web or with vigie ack, and the console's list of
 * open alerts under web (NULL: no web). */
size_t mail_events(const struct notice *v, size_t n);
char *mail_unowned_heading(const struct notice *u, size_t nu, enum locale loc);
char *mail_unowned_line(const struct notice *x, enum locale loc);
char *mail_unowned_more(size_t k, enum locale loc);
const char *mail_unowned_hint(enum locale loc, const char *web);
/* The lines of the list of u[0..nu) (mail_unowned.c), in list order: the
 * alerts of one rule at a unit and below it on one line, where the first of
 * them comes, their units in list order, the highest last (« valdis/epinal/
 * logistique, valdis/epinal/atelier et le site valdis/epinal »): first,
 * the index of its first alert (its title and since when), link, the
 * highest's (its console link), rank, the highest severity of its alerts
 * (wording_rank), alerts, how many. Freed with mail_unowned_lines_free. */
struct unowned_line {
	size_t first, link, alerts;
	char *units;
	int rank;
};
size_t mail_unowned_lines(const struct notice *u, size_t nu, enum locale loc,
    struct unowned_line **out);
void mail_unowned_lines_free(struct unowned_line *l, size_t n);
char *mail_open_url(const char *web);
/* The text part (mail_text.c); web: web.url, each alert links to its
 * console page, or NULL. Caller frees. */
char *mail_text_body(const struct notice *v, size_t n, enum locale loc, const char *web);
/* The HTML part (mail_html.c); web: web.url, each alert links to its
 * console page, or NULL. Caller frees. */
char *mail_html_body(const struct notice *v, size_t n, enum locale loc, const char *web);
/* The severity of a line of what changed, as its coloured bullet shows it
 * (wording_rank): " [critique]", " [vigilance]", or "" for an alert that
 * ended. Said in words in both parts, so that colour is never its only
 * sign. Static. */
const char *mail_rank_tag(int rank, enum locale loc);
/* The footer sentence. Static. */
const char *mail_footer(enum locale loc);
/* The label of the link to the console's help page (config_help_url),
 * which explains the digest's words (« alerte maintenue », « non
 * calculée »…). Static. */
const char *mail_help_label(enum locale loc);

#endif
