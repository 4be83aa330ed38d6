/* What a digest says of an alert beside its change (mail_impl.h), in both
 * parts: why its severity moved when its observed figure did not move that
 * way, and who took it in charge. Only what the event and the alert's follow-up
 * record: the last periods' observed, expected and values, the indicators
 * that moved, the taking in charge (never its note). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "mail_impl.h"
#include "vigie/mime.h"
#include "vigie/typo.h"
#include "vigie/xalloc.h"

#define NNBSP TYPO_NNBSP

char *mail_taken_phrase(const struct notice *x, enum locale loc)
{
	char mb[32], pb[TYPO_BUFSZ];
	time_t t = x->taken_at;
	struct tm tm;
	char *who, *s;

	if (!x->taken_by || !*x->taken_by || x->context || x->unowned ||
	    !localtime_r(&t, &tm))
		return NULL;
	/* « 8 juillet 2026 », "8 July 2026": the month as periods say it. */
	snprintf(mb, sizeof(mb), "%04d-%02d", tm.tm_year + 1900, tm.tm_mon + 1);
	typo_period(pb, sizeof(pb), mb, false, loc);
	who = mime_clean(x->taken_by, false);
	s = xasprintf(WORD(loc, "Prise en charge par %s le %d" TYPO_NBSP "%s",
	    "Taken in charge by %s on %d" TYPO_NBSP "%s"), who, tm.tm_mday, pb);
	free(who);
	return s;
}

const char *mail_level_label(enum locale loc)
{
	return WORD(loc, "Pourquoi ce niveau", "Why this level");
}

/* The point of x's last periods before its own, when the last one is its
 * period: NULL when its history has no such pair. */
static const struct notice_point *before(const struct notice *x)
{
	const struct notice_point *p = x->nhistory > 1 ? &x->history[x->nhistory - 1] : NULL;

	return x->has_points && p && x->period && !strcmp(p->period, x->period) ? p - 1 : NULL;
}

char *mail_level_phrase(const struct notice *x, enum locale loc)
{
	enum digest_change c = digest_change_of(x);
	const struct notice_point *p = before(x);
	char ob[TYPO_BUFSZ], oc[TYPO_BUFSZ], eb[TYPO_BUFSZ], ec[TYPO_BUFSZ];
	bool worse = c == DG_WORSE, same;
	char *moved, *buf = NULL;
	size_t len = 0;
	FILE *f;

	if ((c != DG_WORSE && c != DG_BETTER) || !p || !x->has_observed || x->hidden ||
	    !p->has_observed || p->hidden)
		return NULL;
	mail_figure(ob, sizeof(ob), p->observed, x, loc);
	mail_figure(oc, sizeof(oc), x->observed, x, loc);
	same = !strcmp(ob, oc);
	/* The observed went the way of the severity: it says why itself. */
	if (!same && (worse ? x->observed > p->observed : x->observed < p->observed))
		return NULL;
	if (!(f = open_memstream(&buf, &len)))
		xalloc_die();
	if (same)
		fprintf(f, WORD(loc, "l'observé est resté à %s", "the observed stayed at %s"), oc);
	else
		fprintf(f, WORD(loc, "l'observé est passé de %s à %s",
		    "the observed went from %s to %s"), ob, oc);
	if (p->has_expected && x->has_expected) {
		mail_figure(eb, sizeof(eb), p->expected, x, loc);
		mail_figure(ec, sizeof(ec), x->expected, x, loc);
	}
	if (x->ncomponents > 0) {
		/* A rule that combines indicators: its level is all of them. */
		fputs(WORD(loc, ", mais le niveau suit tous les indicateurs que la règle combine",
		    ", but the level follows all the indicators the rule combines"), f);
		if ((moved = mail_moved_phrase(x, loc)))
			fprintf(f, WORD(loc, " (ont bougé" NNBSP ": %s)", " (moved: %s)"), moved);
		free(moved);
	} else if (p->has_expected && x->has_expected && strcmp(eb, ec) &&
	    (worse ? x->expected < p->expected : x->expected > p->expected)) {
		fprintf(f, WORD(loc, ", mais l'attendu est passé de %s à %s",
		    ", but the expected went from %s to %s"), eb, ec);
	} else if (p->defined && x->has_value) {
		char vb[TYPO_BUFSZ], vc[TYPO_BUFSZ], tb[TYPO_BUFSZ];

		mail_number(vb, sizeof(vb), p->value, x->decimals, loc);
		mail_number(vc, sizeof(vc), x->value, x->decimals, loc);
		fprintf(f, WORD(loc, ", mais le niveau suit la valeur de la règle, passée de %s "
		    "à %s", ", but the level follows the rule's value, which went from %s to %s"),
		    vb, vc);
		if (x->has_threshold) {
			mail_number(tb, sizeof(tb), x->threshold, x->decimals, loc);
			fprintf(f, WORD(loc, " (seuil %s" NNBSP ": %s)", " (%s threshold: %s)"),
			    wording_severity(x->severity, loc), tb);
		}
	} else {
		fputs(WORD(loc, ", mais le niveau suit la valeur de la règle, pas l'observé seul",
		    ", but the level follows the rule's value, not the observed alone"), f);
	}
	if (fclose(f) != 0)
		xalloc_die();
	return buf;
}
