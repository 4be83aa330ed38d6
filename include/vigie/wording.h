/* The words of notifications (daemon/notify/wording.c), in the configured
 * locale: severities (« vigilance », « critique »), events (« nouvelle
 * alerte », « résolue »…), the order and the subject of a digest, and the
 * texts of the system events; one place for what emails and webhooks say. */
#ifndef VIGIE_WORDING_H
#define VIGIE_WORDING_H

#include <stdbool.h>
#include <stddef.h>
#include "vigie/lifecycle.h"	/* enum outcome */
#include "vigie/notice.h"
#include "vigie/rules.h"	/* enum locale */

/* The French or the English of a literal, kept a literal so that format
 * strings stay checked by the compiler. */
#define WORD(loc, fr, en) ((loc) == LOC_EN ? (en) : (fr))

/* "critique"/"vigilance" (fr) or "critical"/"warning" (en), "-" otherwise;
 * the event's name ("nouvelle alerte", "résolue"...; the kind itself when
 * unknown). Static strings. */
const char *wording_severity(const char *sev, enum locale loc);
const char *wording_event(const char *kind, enum locale loc);
/* An alert held by hysteresis (SPEC 16): its value no longer crosses the
 * threshold of its severity sev, and it ends at its clear level. The label
 * (static), and the line (new string): for a rule that compares observed
 * with expected (score), whose thresholds are on a score no message shows,
 * words only; otherwise with value, threshold and clear as the caller
 * wrote them. Digests and the console's alert page say the same. */
const char *wording_held_label(enum locale loc);
/* Why a period of a chart has no value, as digests and the console say it
 * (static): « pas de données » where the unit has no headcount (it sent
 * nothing, or the period is before its data), « masquée » where the
 * anonymity floor hides it (SPEC 3), « non calculée » where the rule gives
 * none otherwise (its guard fails, a window reaches before the data), and
 * « masquée ou non calculée » for an observed measure undefined beside a
 * value of the rule (beside_value): it may have read a hidden cell. */
const char *wording_gap(bool nodata, bool hidden, bool beside_value, enum locale loc);
/* What the closer of an alert chose, as the console offers it and the
 * works council's report counts it (« action menée », « fausse alerte »,
 * « aucune action nécessaire »); "-" for none. Static. */
const char *wording_outcome(enum outcome o, enum locale loc);
/* What a message may quote of x's summary: an alert's summary quotes its
 * value, so none beside a hidden or missing one (« valeur masquée
 * conflits » is no sentence); a system event's always (a rejected file's
 * errors). Emails and webhooks alike. */
const char *wording_summary(const struct notice *x);
char *wording_held(enum locale loc, const char *sev, bool below, bool score,
    const char *value, const char *threshold, const char *clear);
/* What digests and the console's alert page say beside an alert's
 * figures (SPEC 16), one wording for both. wording_resolved_values: what
 * a resolution's figures are, « valeurs à la résolution » for a rule that
 * states observed and expected (score), « valeur qui l'a résolue » for a
 * value. wording_figures_note: the sentence that follows « Observé : N,
 * attendu : M » (NaN: none), or NULL: on a resolution with the observed
 * still more than twice the expected, that the rule ends the alert all
 * the same; on a live alert of a rule that names the indicators that
 * moved (nmoved of them) with its observed not above its expected, that
 * the alert comes from those. wording_moved_first: that last case, where
 * the indicators that moved are said before the figures, being what
 * fired the alert. Static strings. */
const char *wording_resolved_values(bool score, enum locale loc);
const char *wording_figures_note(bool resolved, size_t nmoved, double observed,
    double expected, enum locale loc);
bool wording_moved_first(bool resolved, size_t nmoved, double observed, double expected);
/* The severity a notice stands for: 2 critical, 1 warning, 0 none (resolved,
 * data back, a test). */
int wording_rank(const struct notice *v);
/* Two notices of the same unit in display order: most severe first, then
 * rule, then their order in the array (a qsort comparator's tail). */
int wording_cmp_in_unit(const struct notice *a, const struct notice *b);
/* A digest in display order: units by their most severe notice, then name;
 * inside a unit, most severe first, then rule. Caller frees the array. */
struct notice_order {
	const struct notice *v;
	int unit_rank;
};
struct notice_order *wording_order(const struct notice *v, size_t n);
/* A digest as people read it (SPEC 16; daemon/notify/digest.c): one block
 * per unit, most severe first, each listing its signals most severe first.
 * An active alert of a unit whose rule is also active on one of its
 * descendants in the same digest, with a value the anonymity floor does
 * not hide there, is not a signal of its own: it is a
 * `parents` entry of the descendant's signal (the first such descendant in
 * display order). A context notice (notice.h) is not a signal of its own:
 * it is one only to host a parent that no signal of the digest can host
 * (its deepest context descendant), is dropped otherwise, and is counted
 * nowhere (changes, rank). A block counts what changed among its own
 * signals: new alerts (born at the digest's period), alerts active since
 * an earlier period sent for the first time, worse, better, resolved,
 * reminders; its rank is its own signals' too. The parents it hosts are
 * counted apart, per unit (`hosted`), and rank a block only when it has
 * no signal of its own (a context notice's). Notices without a unit
 * (missing data, a rejected file, a test) make a block of their own with
 * unit NULL, last. The notices are v's; nothing is copied. */
struct digest_item {
	const struct notice *v;
	const struct notice **parents;	/* shown inside this item */
	size_t nparents;
	const struct notice **covered;	/* the alerts it covers (notice.h
					   covered_by): one line each */
	size_t ncovered;
	const struct notice **pcovered;	/* those its parents cover: one line
					   under the parent of their unit and
					   covered_by */
	size_t npcovered;
};
enum digest_change {
	DG_NEW, DG_SINCE,
	DG_HELD,	/* a catch-up of an alert a cover (inhibited_by) held */
	DG_AGAIN, DG_WORSE, DG_BETTER, DG_RESOLVED, DG_REMINDER, DG_OTHER,
	DG_NCHANGES
};
/* The parents of one unit that a block hosts. */
struct digest_hosted {
	const char *unit;
	int rank;
	int changes[DG_NCHANGES];
};
struct digest_block {
	const char *unit;	/* NULL: the notices without a unit */
	int rank;		/* 2 critical, 1 warning, 0 none */
	struct digest_item *items;
	size_t nitems;
	int changes[DG_NCHANGES];	/* its own signals' */
	struct digest_hosted *hosted;	/* in the order they are shown */
	size_t nhosted;
};
struct digest {
	struct digest_block *blocks;
	size_t nblocks;
	bool first;		/* its address never had a digest (notice.h
				   first_to): what changed is not « since the
				   last digest » */
};
void digest_build(struct digest *d, const struct notice *v, size_t n);
/* Whether x is an active alert of active p's rule on a strict descendant
 * of p's unit, with a value the anonymity floor does not hide: a signal p
 * may be folded into. */
bool digest_can_host(const struct notice *x, const struct notice *p);
/* Whether x is the alert that covered alert c names (covered_by, unit). */
bool digest_covers(const struct notice *x, const struct notice *c);
void digest_free(struct digest *d);
/* What a notice changed (how a block counts it). */
enum digest_change digest_change_of(const struct notice *x);
/* "1 nouvelle alerte, 2 résolues" for changes (a block's, or a hosted
 * unit's), in the locale (French typography); NULL when there is none.
 * Caller frees. */
char *digest_changes_line(const int changes[DG_NCHANGES], enum locale loc);

/* The subject of a digest, in plain UTF-8 (before encoding), context
 * notices left out. Caller frees. */
char *wording_subject(const struct notice *v, size_t n, enum locale loc);

/* What a reader calls a theme (a rule's `theme` label: "charge" ->
 * « Charge de travail », "" -> « Autres ») and a role ("social-worker" ->
 * « service social », "hr" -> « RH »): the shipped ones from a fixed table,
 * any other as it is written. Ids stay ids in URLs, forms and data; these
 * are for text. Static strings, or id itself. */
const char *wording_theme(const char *id, enum locale loc);
const char *wording_role(const char *id, enum locale loc);
/* The ids of the themes that have a title (at most max into ids): the
 * works council report's rows. Returns their number. */
size_t wording_theme_ids(const char **ids, size_t max);

/* The title of the "rejected" event of an inbox file. */
void wording_rejected(enum locale loc, const char *name, char *title, size_t size);
void wording_warned(enum locale loc, const char *name, char *title, size_t size);
/* Title and summary of the "stale" (stale true) or "fresh" event: since is
 * the last import's time, after_s the configured stale_after; import_url,
 * when not NULL, the console's import page, where the stale event's role
 * imports the missing month. */
void wording_stale(enum locale loc, bool stale, const char *since, long after_s,
    const char *import_url, char *title, size_t tsize, char *summary, size_t ssize);
/* Title and summary (static) of `vigie notify-test`'s message for role. */
void wording_test(enum locale loc, const char *role, char *title, size_t size,
    const char **summary);

#endif
