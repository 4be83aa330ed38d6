/* The sentences a report adds where its figures need one, made of the
 * model and of words of their own or of words.c: the note on N and Y in the formulas,
 * the rules that lacked history under a unit's alerts, why a unit's table
 * and curves differ when the span is not a year, from when its curves can
 * be drawn, and the units left out for want of data. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "report_impl.h"
#include "vigie/typo.h"
#include "vigie/wording.h"
#include "vigie/xalloc.h"

char *rformula_note(const struct rmodel *m)
{
	char n[16], y[16];
	bool weeks = m->gran == GRAN_WEEK;

	snprintf(n, sizeof(n), "%d", m->n);
	snprintf(y, sizeof(y), "%d", m->y);
	return rtext(m->loc, W_FORMULA_NOTE, weeks ? WORD(m->loc, "semaines", "weeks") :
	    WORD(m->loc, "mois", "months"), n, y);
}

char *rno_history(const struct rmodel *m, const struct runit *u)
{
	char n[24], of[24], at[64];

	if (!u->rules_nohist)
		return NULL;
	snprintf(n, sizeof(n), "%zu", u->rules_nohist);
	snprintf(of, sizeof(of), "%zu", u->rules);
	rperiod_long(at, sizeof(at), m->gran, m->to, m->loc);
	if (u->rules_nohist == 1)
		return xasprintf(WORD(m->loc, "%s règle sur %s n'avait pas encore, en %s, "
		    "l'historique nécessaire pour être calculée" NNBSP ": l'absence d'alerte "
		    "ne veut pas dire l'absence de signal.", "%s rule of %s did not yet have, "
		    "in %s, the history it needs to be computed: no alert does not mean no "
		    "signal."), n, of, at);
	return xasprintf(WORD(m->loc, "%s règles sur %s n'avaient pas encore, en %s, "
	    "l'historique nécessaire pour être calculées" NNBSP ": l'absence d'alerte ne "
	    "veut pas dire l'absence de signal.", "%s rules of %s did not yet have, in %s, "
	    "the history they need to be computed: no alert does not mean no signal."),
	    n, of, at);
}

char *runit_span_note(const struct rmodel *m, const struct runit *u)
{
	char len[48];
	bool differ = false;

	for (size_t d = 0; m->n != m->y && d < m->defs->n && !differ; d++) {
		const struct rfig *f = &u->fig[d];
		differ = isfinite(f->value) && isfinite(f->trend[m->n - 1]) &&
		    f->value != f->trend[m->n - 1];
	}
	if (!differ)
		return NULL;
	snprintf(len, sizeof(len), "%d %s", m->n, m->gran == GRAN_WEEK ?
	    WORD(m->loc, m->n > 1 ? "semaines" : "semaine", m->n > 1 ? "weeks" : "week") :
	    WORD(m->loc, "mois", m->n > 1 ? "months" : "month"));
	return rtext(m->loc, W_SPAN_NOTE, len, NULL, NULL);
}

char *rmissing_text(const struct rmodel *m)
{
	char *list = NULL, at[64], *t;

	for (size_t i = 0; i < m->nmissing; i++) {
		rperiod_long(at, sizeof(at), m->gran, m->missing_at[i], m->loc);
		t = xasprintf("%s%s%s (%s %s)", list ? list : "", list ? ", " : "",
		    m->missing[i], WORD(m->loc, "pas de données pour", "no data for"), at);
		free(list);
		list = t;
	}
	if (!list)
		return NULL;
	t = xasprintf(WORD(m->loc, "Non présentées faute de données, et non pour leur "
	    "taille (l'export des RH n'en contient pas pour une période au moins de celles "
	    "que lit le rapport)" NNBSP ": %s.", "Left out for want of data, not for their "
	    "size (the HR export holds none for at least one of the periods the report "
	    "reads): %s."), list);
	free(list);
	return t;
}

char *runit_history_note(const struct rmodel *m, const struct runit *u)
{
	char from[64], at[64], n[24];
	bool start = u->lacks < u->first, weeks = m->gran == GRAN_WEEK;

	if (u->lacks == INT32_MIN)
		return NULL;
	rperiod_long(from, sizeof(from), m->gran, u->lacks + m->y, m->loc);
	rperiod_long(at, sizeof(at), m->gran, start ? u->first : u->lacks, m->loc);
	snprintf(n, sizeof(n), "%d %s", m->y, weeks ? WORD(m->loc, "semaines", "weeks") :
	    WORD(m->loc, "mois", "months"));
	if (m->loc == LOC_EN)
		return xasprintf("Curves available from %s: a rolling year needs %s of data, "
		    "and %s %s.", from, n, start ? "the data begins in" : "there is none for",
		    at);
	return xasprintf("Courbes disponibles à partir %s%s" NNBSP ": il faut %s de "
	    "données, et %s %s.", weeks ? "de la " : typo_de(from), from, n, start ?
	    "elles commencent en" : "la base n'en a pas pour", at);
}
