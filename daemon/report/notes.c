/* The sentences a report adds where its figures need one, made of the
 * words of words.c and of the model: the note on N and Y in the formulas,
 * the rules that lacked history under a unit's alerts, why a unit's table
 * and curves differ when the span is not a year, and the units left out
 * for want of data. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "report_impl.h"
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
	return rtext(m->loc, u->rules_nohist == 1 ? W_NO_HISTORY_ONE : W_NO_HISTORY, n,
	    of, at);
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
	t = rtext(m->loc, W_MISSING, list, NULL, NULL);
	free(list);
	return t;
}
