/* The rules that cannot judge yet for want of history, as the console
 * says them (notyet.h): a deployment with little data has most rules
 * undefined everywhere for two years, and its calm list of alerts is not
 * a quiet company. The rules are evaluated once per snapshot of the data
 * and rule set (the dataset's history memo), and rules/history.c says
 * which rows lack history, as for `vigie status` and the report. */
#include <stdio.h>
#include <stdlib.h>
#include "vigie/history.h"
#include "vigie/log.h"
#include "vigie/typo.h"
#include "vigie/wording.h"
#include "vigie/xalloc.h"
#include "notyet.h"
#include "web_impl.h"

/* RH_* of every rule of the site at every unit of d at its latest period
 * (rule_history_matrix), or NULL when d holds no value or on ENOMEM;
 * *owned when the caller frees it (the memo was full). */
static const uint8_t *matrix(struct req *r, struct dataset *d, bool *owned)
{
	const struct ruleset *rs = r->site->rs;
	struct eval_row *rows = NULL;
	size_t n = 0;
	char key[24];
	uint8_t *m, *kept;

	*owned = false;
	if (!d || !d->s || !d->s->np)
		return NULL;
	snprintf(key, sizeof(key), "%u", r->site->serial);
	if ((m = memo_get(&d->history, key)))
		return m;
	if (engine_eval(rs, d->s, d->cells, r->site->cfg->min_headcount,
	    d->s->p0 + d->s->np - 1, &rows, &n) != 0) {
		log_err("cannot evaluate the rules: out of memory");
		return NULL;
	}
	m = rule_history_matrix(rs, d->s, rows, n);
	free(rows);
	if ((kept = memo_put(&d->history, key, m)) == m)
		return m;
	if (kept) {
		free(m);
		return kept;
	}
	*owned = true;
	return m;
}

/* What the viewer sees: its role's rules and the units of its scope. */
struct seen {
	bool *rule, *unit;
};

static bool seen(uint32_t rule, uint32_t unit, void *arg)
{
	const struct seen *v = arg;

	return v->rule[rule] && v->unit[unit];
}

void put_history_short(struct req *r, struct dataset *d)
{
	const struct ruleset *rs = r->site->rs;
	struct history_short h;
	struct seen v;
	bool owned;
	const uint8_t *m = matrix(r, d, &owned);
	int32_t by = INT32_MIN;
	FILE *f = r->out;

	if (!m)
		return;
	v.rule = xcalloc(rs->n + 1, sizeof(*v.rule));
	v.unit = xcalloc(d->s->nunits + 1, sizeof(*v.unit));
	for (size_t i = 0; i < rs->n; i++)
		v.rule[i] = viewer_sees_rule(&r->who, r->site->cfg, &rs->rules[i]);
	for (size_t i = 0; i < d->s->nunits; i++)
		v.unit[i] = viewer_sees_unit(&r->who, d->s->units[i]);
	history_short_find(rs, d->s, m, seen, &v, &h);
	for (size_t i = 0; i < h.n; i++)
		by = h.ready[i] > by ? h.ready[i] : by;
	if (h.n && r->loc == LOC_EN)
		fprintf(f, "<p class=\"gaps\">%zu rule%s of %zu cannot judge your units yet "
		    "for lack of history: no alert does not mean no signal. %s by ", h.n,
		    h.n > 1 ? "s" : "", h.rules, h.n > 1 ? "All of them will" : "It will");
	else if (h.n)
		fprintf(f, "<p class=\"gaps\">%zu règle%s sur %zu ne peu%s pas encore se "
		    "prononcer sur vos unités faute d'historique" TYPO_NNBSP ": l'absence "
		    "d'alerte ne veut pas dire l'absence de signal. %s au plus tard en ",
		    h.n, h.n > 1 ? "s" : "", h.rules, h.n > 1 ? "vent" : "t",
		    h.n > 1 ? "Toutes le pourront" : "Elle le pourra");
	if (h.n) {
		put_period(r, by);
		fprintf(f, "%s</p>\n", WORD(r->loc, ".", " at the latest."));
	}
	history_short_free(&h);
	free(v.rule);
	free(v.unit);
	if (owned)
		free((void *)m);
}

bool put_history_unit(struct req *r, struct dataset *d, uint32_t ri, int32_t ui)
{
	const struct rule *ru = &r->site->rs->rules[ri];
	bool owned, weeks, yes;
	const uint8_t *m = ui >= 0 ? matrix(r, d, &owned) : NULL;
	int32_t n;
	FILE *f = r->out;

	if (!m)
		return false;
	yes = rule_history_short(m[(size_t)ri * d->s->nunits + (uint32_t)ui]);
	if (owned)
		free((void *)m);
	if (!yes)
		return false;
	n = rule_history_needs(ru, d->s->gran);
	weeks = d->s->gran == GRAN_WEEK;
	if (r->loc == LOC_EN)
		fprintf(f, "Not computable yet: the rule reads up to %d %s of history; it "
		    "will be by ", n, weeks ? "weeks" : "months");
	else
		fprintf(f, "Pas encore calculable" TYPO_NNBSP ": la règle lit jusqu'à %d %s "
		    "d'historique" TYPO_NNBSP "; elle le sera au plus tard en ", n,
		    weeks ? "semaines" : "mois");
	put_period(r, rule_history_ready(ru, d->s, (uint32_t)ui));
	fputs(WORD(r->loc, ".", " at the latest."), f);
	return true;
}
