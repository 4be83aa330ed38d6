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
#include "vigie/web_html.h"
#include "vigie/wording.h"
#include "vigie/xalloc.h"
#include "notyet.h"
#include "web_impl.h"

const uint8_t *notyet_matrix(struct req *r, struct dataset *d, bool *owned)
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

bool notyet_seen(uint32_t rule, uint32_t unit, void *arg)
{
	const struct notyet_seen *v = arg;

	return v->rule[rule] && v->unit[unit];
}

void notyet_seen_init(struct req *r, const struct series *s, struct notyet_seen *v)
{
	const struct ruleset *rs = r->site->rs;

	v->rule = xcalloc(rs->n + 1, sizeof(*v->rule));
	v->unit = xcalloc(s->nunits + 1, sizeof(*v->unit));
	for (size_t i = 0; i < rs->n; i++)
		v->rule[i] = viewer_sees_rule(&r->who, r->site->cfg, &rs->rules[i]);
	for (size_t i = 0; i < s->nunits; i++)
		v->unit[i] = viewer_sees_unit(&r->who, s->units[i]);
}

void notyet_seen_free(struct notyet_seen *v)
{
	free(v->rule);
	free(v->unit);
}

/* The units h names, linked to their pages, in parentheses: « (valdis/toul
 * et 5 en dessous) », « (a, b, c et 12 autres) ». */
static void put_named(struct req *r, const struct series *s,
    const struct history_short *h)
{
	size_t rest = h->nunit - h->nnamed;
	bool en = r->loc == LOC_EN;
	FILE *f = r->out;

	fputc('(', f);
	for (size_t i = 0; i < h->nnamed; i++) {
		if (i)
			fputs(i + 1 < h->nnamed || rest ? ", " : en ? " and " : " et ", f);
		fputs("<a href=\"/units/", f);
		html_url(f, s->units[h->named[i]], true);
		fputs("\">", f);
		html_text(f, s->units[h->named[i]]);
		fputs("</a>", f);
	}
	if (rest)
		fprintf(f, "%s%zu %s", en ? " and " : " et ", rest, h->under < rest ?
		    WORD(r->loc, "autres", "more") : !en ? "en dessous" :
		    h->nnamed == 1 ? "under it" : "under them");
	fputc(')', f);
}

/* When the rules of h can judge all the units it counts: « Toutes le
 * pourront au plus tard en juin 2026. », or never with retention.data. */
static void put_when(struct req *r, const struct history_short *h, int32_t kept)
{
	size_t dated = h->n - h->never;
	bool en = r->loc == LOC_EN, one = h->n == 1;
	FILE *f = r->out;

	if (dated && h->never)
		fprintf(f, en ? "%zu will by " : "%zu le pourr%s au plus tard en ", dated,
		    dated == 1 ? "a" : "ont");
	else if (dated)
		fputs(en ? (one ? "It will by " : "All of them will by ") :
		    one ? "Elle le pourra au plus tard en " : "Toutes le pourront au plus "
		    "tard en ", f);
	if (dated)
		put_period(r, h->by);
	if (dated && en)
		fputs(" at the latest", f);
	if (dated && h->never)
		fprintf(f, en ? "; %zu never will" : TYPO_NNBSP "; %zu jamais", h->never);
	else if (h->never)
		fputs(en ? (one ? "It never will" : "They never will") : one ?
		    "Elle ne le pourra jamais" : "Elles ne le pourront jamais", f);
	if (h->never)
		fprintf(f, en ? " with this configuration (retention.data %d &lt; %d)" :
		    " avec cette configuration (retention.data %d &lt; %d)", kept, h->reads);
	fputs(".", f);
}

void put_history_short(struct req *r, struct dataset *d)
{
	const struct ruleset *rs = r->site->rs;
	int32_t kept = r->site->cfg->retention.data;
	struct history_short h;
	struct notyet_seen v;
	bool owned, all;
	const uint8_t *m = notyet_matrix(r, d, &owned);
	FILE *f = r->out;

	if (!m)
		return;
	notyet_seen_init(r, d->s, &v);
	history_short_find(rs, d->s, m, notyet_seen, &v, kept, &h);
	all = history_short_everywhere(&h);
	if (h.n && all && r->loc == LOC_EN)
		fprintf(f, "<p class=\"gaps\">%zu rule%s of %zu cannot judge your units yet "
		    "for lack of history: no alert does not mean no signal. ", h.n,
		    h.n > 1 ? "s" : "", h.rules);
	else if (h.n && all)
		fprintf(f, "<p class=\"gaps\">%zu règle%s sur %zu ne peu%s pas encore se "
		    "prononcer sur vos unités faute d'historique" TYPO_NNBSP ": l'absence "
		    "d'alerte ne veut pas dire l'absence de signal. ", h.n, h.n > 1 ? "s" : "",
		    h.rules, h.n > 1 ? "vent" : "t");
	else if (h.n && r->loc == LOC_EN)
		fprintf(f, "<p class=\"gaps\">%zu rule%s cannot judge %zu of your %zu units "
		    "yet for lack of history ", h.n, h.n > 1 ? "s" : "", h.nunit, h.units);
	else if (h.n)
		fprintf(f, "<p class=\"gaps\">%zu règle%s ne peu%s pas encore se prononcer "
		    "sur %zu de vos %zu unités ", h.n, h.n > 1 ? "s" : "", h.n > 1 ? "vent" :
		    "t", h.nunit, h.units);
	if (h.n && !all) {
		put_named(r, d->s, &h);
		fputs(WORD(r->loc, " faute d'historique" TYPO_NNBSP ": l'absence d'alerte "
		    "n'y veut pas dire l'absence de signal. ", ": no alert there does not "
		    "mean no signal. "), f);
	}
	if (h.n) {
		put_when(r, &h, kept);
		fputs("</p>\n", f);
	}
	history_short_free(&h);
	notyet_seen_free(&v);
	if (owned)
		free((void *)m);
}

bool put_history_unit(struct req *r, struct dataset *d, uint32_t ri, int32_t ui)
{
	const struct rule *ru = &r->site->rs->rules[ri];
	int32_t kept = r->site->cfg->retention.data, n;
	bool owned, weeks, yes;
	const uint8_t *m = ui >= 0 ? notyet_matrix(r, d, &owned) : NULL;
	FILE *f = r->out;

	if (!m)
		return false;
	yes = rule_history_short(m[(size_t)ri * d->s->nunits + (uint32_t)ui]);
	if (owned)
		free((void *)m);
	if (!yes)
		return false;
	weeks = d->s->gran == GRAN_WEEK;
	if (rule_history_never(ru, d->s->gran, kept)) {
		n = rule_periods(ru, d->s->gran);
		if (r->loc == LOC_EN)
			fprintf(f, "Not computable yet: the rule reads %d %s of values to "
			    "decide one, retention.data keeps %d: it never will be with this "
			    "configuration.", n, weeks ? "weeks" : "months", kept);
		else
			fprintf(f, "Pas encore calculable" TYPO_NNBSP ": la règle lit %d %s "
			    "de valeurs pour décider, retention.data n'en garde que %d"
			    TYPO_NNBSP ": elle ne le sera jamais avec cette configuration.", n,
			    weeks ? "semaines" : "mois", kept);
		return true;
	}
	n = rule_history_needs(ru, d->s->gran);
	if (r->loc == LOC_EN)
		fprintf(f, "Not computable yet: the rule reads up to %d %s of history; it "
		    "will be by ", n, weeks ? "weeks" : "months");
	else
		fprintf(f, "Pas encore calculable" TYPO_NNBSP ": la règle lit jusqu'à %d %s "
		    "d'historique" TYPO_NNBSP "; elle le sera au plus tard en ", n,
		    weeks ? "semaines" : "mois");
	put_period(r, rule_history_ready(ru, d->s, (uint32_t)ui, kept));
	fputs(WORD(r->loc, ".", " at the latest."), f);
	return true;
}
