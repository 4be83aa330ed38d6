/* The rules that cannot judge a unit because what they read there is
 * hidden (masked.h). A rule reading 27 months is suppressed on a team for
 * as long as one of them is hidden, a month where one person makes most
 * of its absences included (SPEC 3, dominance): under such a rule, « Pas
 * d'alerte active » would read as "absences are fine" where Vigie has not
 * looked. The evaluation is notyet.c's (its RH_HIDDEN); why and until when
 * are rules/hidden.c's. Which cause hid the month is never said: "beside
 * a smaller team" would, with its site's figures, tell a band of the
 * smaller team's size, and "one person" a fact about that person. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/hidden.h"
#include "vigie/history.h"
#include "vigie/typo.h"
#include "vigie/web_html.h"
#include "vigie/wording.h"
#include "masked.h"
#include "notyet.h"
#include "web_impl.h"

/* « Absences inhabituelles pour la saison » sur 45 unités, « … » sur 42 et
 * 11 autres sur 4 au plus: the rules of h that cannot judge the most
 * units, by title, HIDDEN_NAMED of them. */
static void put_rules(struct req *r, const struct hidden_count *h)
{
	bool en = r->loc == LOC_EN;
	size_t k = h->n < HIDDEN_NAMED ? h->n : HIDDEN_NAMED;
	FILE *f = r->out;

	for (size_t i = 0; i < k; i++) {
		if (i)
			fputs(i + 1 < k || h->n > k ? ", " : en ? " and " : " et ", f);
		fputs(en ? "\u201c" : "«" TYPO_NNBSP, f);
		html_text(f, r->site->rs->rules[h->rule[i]].title);
		fprintf(f, en ? "\u201d on %zu%s" : TYPO_NNBSP "» sur %zu%s", h->at[i],
		    i ? "" : en ? h->at[i] > 1 ? " units" : " unit" : h->at[i] > 1 ?
		    TYPO_NBSP "unités" : TYPO_NBSP "unité");
	}
	if (h->n > k)
		fprintf(f, en ? " and %zu more on %zu at most" : " et %zu autres sur %zu "
		    "au plus", h->n - k, h->at[k]);
}

void put_hidden_short(struct req *r, struct dataset *d)
{
	struct hidden_count h;
	struct notyet_seen v;
	bool owned;
	const uint8_t *m = notyet_matrix(r, d, &owned);
	FILE *f = r->out;

	if (!m)
		return;
	notyet_seen_init(r, d->s, &v);
	hidden_count_find(r->site->rs, d->s, m, notyet_seen, &v, &h);
	if (h.n && r->loc == LOC_EN)
		fprintf(f, "<p class=\"gaps\">%zu rule%s cannot judge %zu of your %zu "
		    "units, as a month %s read%s there is hidden (too few people, a "
		    "neighbouring team too small, or one person making most of the "
		    "figure, such as a long leave): ", h.n, h.n > 1 ? "s" : "", h.nunit,
		    h.units, h.n > 1 ? "they" : "it", h.n > 1 ? "" : "s");
	else if (h.n)
		fprintf(f, "<p class=\"gaps\">%zu règle%s ne peu%s pas se prononcer sur "
		    "%zu de vos %zu unités, car un mois qu'elle%s y est masqué (trop "
		    "peu de personnes, une équipe voisine trop petite, ou une seule "
		    "personne qui fait l'essentiel du chiffre, comme un long arrêt)"
		    TYPO_NNBSP ": ", h.n, h.n > 1 ? "s" : "", h.n > 1 ? "vent" : "t",
		    h.nunit, h.units, h.n > 1 ? "s lisent" : " lit");
	if (h.n) {
		put_rules(r, &h);
		fputs(WORD(r->loc, ". L'absence d'alerte n'y veut pas dire l'absence de "
		    "signal" TYPO_NNBSP "; la page de chaque unité dit pourquoi et jusqu'à "
		    "quand.</p>\n", ". No alert there does not mean no signal; each "
		    "unit's page says why and until when.</p>\n"), f);
	}
	hidden_count_free(&h);
	notyet_seen_free(&v);
	if (owned)
		free((void *)m);
}

/* « un des 27 mois qu'elle lit est masqué », « 3 des 27 mois qu'elle lit
 * sont masqués », « le mois qu'elle lit est masqué »; weeks are feminine. */
static void put_months(struct req *r, const struct hidden_why *w, int32_t n,
    bool weeks)
{
	const char *fr = weeks ? "semaines" : "mois", *en = weeks ? "weeks" : "months";
	FILE *f = r->out;

	if (r->loc == LOC_EN && n == 1)
		fprintf(f, "the %s it reads is hidden", weeks ? "week" : "month");
	else if (r->loc == LOC_EN && w->months == 1)
		fprintf(f, "one of the %d %s it reads is hidden", n, en);
	else if (r->loc == LOC_EN)
		fprintf(f, "%d of the %d %s it reads are hidden", w->months, n, en);
	else if (n == 1)
		fputs(weeks ? "la semaine qu'elle lit est masquée" : "le mois qu'elle lit "
		    "est masqué", f);
	else if (w->months == 1)
		fprintf(f, "un%s des %d %s qu'elle lit est masqué%s", weeks ? "e" : "", n,
		    fr, weeks ? "e" : "");
	else
		fprintf(f, "%d des %d %s qu'elle lit sont masqué%ss", w->months, n, fr,
		    weeks ? "e" : "");
}

bool put_hidden_unit(struct req *r, struct dataset *d, uint32_t ri, int32_t ui)
{
	const struct rule *ru = &r->site->rs->rules[ri];
	bool owned, hidden, en = r->loc == LOC_EN, weeks;
	const uint8_t *m = ui >= 0 ? notyet_matrix(r, d, &owned) : NULL;
	struct hidden_why w;
	int32_t n;
	FILE *f = r->out;

	if (!m)
		return false;
	hidden = m[(size_t)ri * d->s->nunits + (uint32_t)ui] & RH_HIDDEN;
	if (owned)
		free((void *)m);
	if (!hidden)
		return false;
	rule_hidden_why(r->site->rs, d->s, d->cells, r->site->cfg->min_headcount, ri,
	    (uint32_t)ui, d->s->p0 + d->s->np - 1, &w);
	fputs(WORD(r->loc, "Non calculable" TYPO_NNBSP ": ", "Not computable: "), f);
	if (w.now) {
		fputs(WORD(r->loc, "les chiffres de l'équipe sont masqués (trop peu de "
		    "personnes, ou une équipe voisine trop petite), et la règle ne peut pas "
		    "s'y prononcer tant qu'ils le sont.", "the team's figures are hidden "
		    "(too few people, or a neighbouring team too small), and the rule "
		    "cannot judge it while they are."), f);
		return true;
	}
	if (!w.months) {
		fputs(WORD(r->loc, "un chiffre qu'elle lit est masqué (trop peu de "
		    "personnes, une équipe voisine trop petite, ou un chiffre qui est "
		    "surtout celui d'une personne).", "a figure it reads is hidden (too "
		    "few people, a neighbouring team too small, or a figure mostly one "
		    "person's)."), f);
		return true;
	}
	weeks = d->s->gran == GRAN_WEEK;
	n = rule_history_needs(ru, d->s->gran);
	put_months(r, &w, n, weeks);
	/* Which of the causes is not said: that one person made most of a
	 * team's month is a fact about that person's health. */
	fputs(WORD(r->loc, " (trop peu de personnes, une équipe voisine trop "
	    "petite, ou une seule personne qui fait l'essentiel du chiffre, comme un "
	    "long arrêt)", " (too few people, a neighbouring team too small, or one "
	    "person making most of the figure, such as a long leave)"), f);
	fputs(WORD(r->loc, ". Elle le sera au plus tôt en ", ". It will be by "), f);
	put_period(r, w.until);
	if (en)
		fputs(" at the earliest", f);
	/* Later when the unit lacks history until then: that is all. */
	if (w.until == w.month + n && en)
		fprintf(f, ", when that %s leaves what it reads, if no later one is "
		    "hidden", w.months > 1 ? "last hidden one" : weeks ? "week" : "month");
	else if (w.until == w.month + n)
		fprintf(f, ", quand %s sortira de ce qu'elle lit, si aucun%s autre ne "
		    "l'est d'ici là", w.months > 1 ? (weeks ? "la dernière d'entre elles" :
		    "le dernier d'entre eux") : weeks ? "cette semaine" : "ce mois",
		    weeks ? "e" : "");
	fputc('.', f);
	return true;
}
