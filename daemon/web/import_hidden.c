/* What the import page does with a file's values of hidden cells at
 * periods already stored (import_impl.h, import_hidden): a team under the
 * anonymity floor, one hidden beside it, a value that is one person's
 * (SPEC 3). A stored period is shown before any cycle evaluates it (the
 * works council report, the console). Changed, such a value moves its
 * parent's figures by as much, shown before and after: the console's user
 * who changed it (and removed it, or put it back) would read it by
 * comparing them. The console writes none, and cannot say which ones the
 * file changes: the comparison would tell whether a guessed value is the
 * stored one (a file of one guess, checked a few dozen times, would give
 * a small team's figure; blind.c). So, whatever their values:
 * - a file that brings nothing but such values has nothing else to
 *   import: refused whole, nothing written, with the way on (the
 *   operator, on the server, with `vigie import` or `vigie delete`, whose
 *   user reads the database anyway);
 * - otherwise (an export that sends the months before again with a new
 *   period, corrections of values the user sees or not) the file is
 *   imported without them: they stay as stored, which is said.
 * A cell without a stored value is not hidden (cells.h): the month's new
 * values import as they come. The cells are those of the configuration's
 * floor and dominance, from what is stored; a headcount is no secret (it
 * moves by itself, warned), an X_max counts with its X (never shown, it
 * hides it). The command line and the inbox keep their warnings instead
 * (importcheck.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/cells.h"
#include "vigie/log.h"
#include "vigie/period.h"
#include "vigie/typo.h"
#include "vigie/wording.h"
#include "vigie/xalloc.h"
#include "import_impl.h"
#include "web_impl.h"

/* The stored value of s's unit u and indicator x at p: a value imported
 * for u, not its children's sum (NaN: none). */
static double stored(const struct series *s, uint32_t u, uint32_t x, int32_t p)
{
	bool leaf = s->child_off[u + 1] == s->child_off[u];

	return leaf || series_own(s, u, x, p - s->p0) ? series_get(s, u, x, p) : NAN;
}

/* Whether b's record r writes a cell hidden in c (its X's, for an X_max). */
static bool hidden_rec(const struct cells *c, const struct import_batch *b,
    const struct import_record *r)
{
	const struct series *s = c->s;
	int32_t u = series_unit(s, b->units[r->unit]), x = series_indicator(s, b->inds[r->ind]);

	if (u < 0 || x < 0 || x == c->headcount)
		return false;
	for (uint32_t k = 0; c->is_companion[x] && k < s->nind; k++)
		if (cells_companion(c, k) == x) {
			x = (int32_t)k;
			break;
		}
	return !c->is_companion[x] && cells_hidden(c, (uint32_t)u, (uint32_t)x, r->period);
}

/* Why f is refused, or what was left out of it, in the page's language. */
static char *said(struct req *r, const struct sent *f, const struct import_record *x,
    size_t n, bool refused)
{
	char iso[PERIOD_BUFSZ], when[TYPO_BUFSZ], *cell, *t;

	period_format(f->b.gran, x->period, iso);
	typo_period(when, sizeof(when), iso, false, r->loc);
	cell = xasprintf(WORD(r->loc, "%s de %s en %s", "%s of %s in %s"),
	    f->b.inds[x->ind], f->b.units[x->unit], when);
	if (refused)
		t = xasprintf(WORD(r->loc, "Rien n'a été importé" TYPO_NNBSP ": ce fichier "
		    "ne donne de valeurs qu'à des chiffres masqués de périodes déjà "
		    "enregistrées (%zu valeur%s, la première" TYPO_NNBSP ": %s). Un "
		    "chiffre masqué protège une petite équipe ou une personne (secret "
		    "des petits effectifs)" TYPO_NNBSP "; changé, il ferait bouger "
		    "d'autant les chiffres de son unité parente, affichés avant et "
		    "après, et les livrerait à qui les compare. La console ne les change "
		    "pas, ni ne dit s'ils sont égaux à ceux enregistrés. Une telle "
		    "correction se fait par l'exploitation, sur le serveur, avec vigie "
		    "import (vigie delete pour retirer une valeur).", "Nothing was "
		    "imported: this file gives values only to hidden figures of periods "
		    "already stored (%zu value%s, the first: %s). A hidden figure "
		    "protects a small team or one person (SPEC 3); changed, it would "
		    "move its parent's figures, shown before and after, by as much, and "
		    "give it away to whoever compares them. The console does not change "
		    "them, nor say whether they equal those stored. Such a correction is "
		    "made by the operator, on the server, with vigie import (vigie "
		    "delete to remove a value)."), n, typo_plural((double)n, "", "s",
		    r->loc), cell);
	else {
		const char *pl = typo_plural((double)n, "", "s", r->loc);

		t = xasprintf(WORD(r->loc, "%zu valeur%s de chiffres masqués de périodes "
		    "déjà enregistrées (la première" TYPO_NNBSP ": %s) %s "
		    "laissée%s telle%s qu'enregistrée%s" TYPO_NNBSP ": la console ne "
		    "change pas un chiffre masqué d'une période déjà affichée, ce qui le "
		    "livrerait à qui compare les chiffres de son unité parente avant et "
		    "après (secret des petits effectifs), et ne dit pas s'il est égal à "
		    "celui enregistré" TYPO_NNBSP "; les autres valeurs du fichier sont "
		    "importées. Si l'une d'elles corrige une erreur, l'exploitation "
		    "l'importe sur le serveur avec vigie import.", "%zu value%s of hidden "
		    "figures of periods already stored (the first: %s) %s "
		    "left as stored%.0s%.0s%.0s: the console does not change a hidden "
		    "figure of a period already shown, which would give it away to "
		    "whoever compares its parent's figures before and after (SPEC 3), nor "
		    "say whether it equals the one stored; the file's other values are "
		    "imported. If one of them corrects a mistake, the operator imports it "
		    "on the server with vigie import."), n, pl, cell, n == 1 ?
		    WORD(r->loc, "est", "was") : WORD(r->loc, "sont", "were"), pl, pl, pl);
	}
	free(cell);
	return t;
}

/* The order of f's left cells (qsort_r's): unit, indicator, period. */
static int cmp_left(const void *a, const void *b, void *ctx)
{
	const struct import_record *x = a, *y = b;
	const struct import_batch *bt = ctx;
	int c = strcmp(bt->units[x->unit], bt->units[y->unit]);

	if (!c)
		c = strcmp(bt->inds[x->ind], bt->inds[y->ind]);
	return c ? c : (x->period > y->period) - (x->period < y->period);
}

/* The records of b marked in drop given their stored values back (the
 * file's are not compared: equal or not, they are left), recorded in f's
 * left for the answer to count them apart (left_leaves); one without a
 * stored value is left out of b. */
static void leave_stored(struct sent *f, const struct series *s, const bool *drop)
{
	struct import_batch *b = &f->b;
	size_t k = 0;

	f->left = xcalloc(b->nrecs, sizeof(*f->left));
	for (size_t i = 0; i < b->nrecs; i++) {
		struct import_record x = b->recs[i];
		int32_t u = series_unit(s, b->units[x.unit]), ind = series_indicator(s, b->inds[x.ind]);

		if (drop[i] && isnan(x.value = stored(s, (uint32_t)u, (uint32_t)ind, x.period)))
			continue;
		if (drop[i])
			f->left[f->nleft++] = x;
		b->recs[k++] = x;
	}
	b->nrecs = k;
	qsort_r(f->left, f->nleft, sizeof(*f->left), cmp_left, b);
	for (size_t i = 0; i < b->nrecs; i++) {
		if (i == 0 || b->recs[i].period < b->pmin)
			b->pmin = b->recs[i].period;
		if (i == 0 || b->recs[i].period > b->pmax)
			b->pmax = b->recs[i].period;
	}
}

/* Whether the cell is one of f's left as stored. */
static bool is_left(const struct sent *f, const char *unit, const char *indicator,
    int32_t period)
{
	size_t lo = 0, hi = f->nleft;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct import_record *x = &f->left[mid];
		int c = strcmp(f->b.units[x->unit], unit);

		if (!c)
			c = strcmp(f->b.inds[x->ind], indicator);
		if (!c)
			c = (x->period > period) - (x->period < period);
		if (!c)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* The blind of an answer about f: the cells left as stored are seen (the
 * file's value is the stored one, whatever it was), and counted left
 * (left_leaves), the others as bl. */
static bool left_hides(const void *ctx, const char *unit, const char *indicator,
    int32_t period)
{
	const struct sent *f = ctx;

	return !is_left(f, unit, indicator, period) &&
	    import_blind_hides(f->blind, unit, indicator, period);
}

/* Counted apart, neither replaced nor unchanged: how many they are
 * depends on what is stored, never on the file's values (vigie-web(8)). */
static bool left_leaves(const void *ctx, const char *unit, const char *indicator,
    int32_t period)
{
	return is_left(ctx, unit, indicator, period);
}

const struct import_blind *import_hidden_blind(struct sent *f,
    const struct import_blind *bl)
{
	if (!f->nleft)
		return bl;
	f->blind = bl;
	f->left_blind = (struct import_blind){ left_hides, f, left_leaves };
	return &f->left_blind;
}

int import_hidden(struct req *r, struct sent *f)
{
	const struct config *cfg = r->site->cfg;
	struct import_batch *b = &f->b;
	struct series *s = NULL;
	struct cells *c = NULL;
	bool *drop = NULL;
	size_t n = 0, first = 0;
	int rc = -1;

	if (b->nrecs == 0)
		return 0;
	if (store_load_series_edited(r->st, b->pmin, b->pmax, NULL, 0, &s) != 0)
		return -1;
	if (!(c = cells_new(s, cfg->min_headcount, cfg->dominance)))
		xalloc_die();
	drop = xcalloc(b->nrecs, sizeof(*drop));
	for (size_t i = 0; i < b->nrecs; i++)
		if ((drop[i] = hidden_rec(c, b, &b->recs[i])))
			first = n++ ? first : i;
	rc = 0;
	if (n == 0)
		goto out;
	if (n == b->nrecs) {
		const struct import_record *x = &b->recs[first];
		char iso[PERIOD_BUFSZ], *detail;

		f->refused = f->refused_buf = said(r, f, x, n, true);
		/* An attempt on what the console hides, recorded for whoever
		 * reads the audit log (the DPO), checked or not. */
		period_format(b->gran, x->period, iso);
		detail = xasprintf("%s%zu hidden values of stored periods (%s %s %s)",
		    f->dry ? "checked: " : "", n, b->units[x->unit], b->inds[x->ind], iso);
		if (audit(r, "import-refused", f->name, detail) != 0)
			log_err("cannot record the refusal of %s for %s in the audit log: %s",
			    f->name, r->acct.name, store_errmsg(r->st));
		free(detail);
		goto out;
	}
	struct batch_place at = b->unit_at ? b->unit_at[b->recs[first].unit] :
	    (struct batch_place){ 1, 1 };
	char *t = said(r, f, &b->recs[first], n, false);

	diags_add(&f->warnings, f->name, at.line, 1, "%s", t);
	free(t);
	leave_stored(f, s, drop);
out:
	free(drop);
	cells_free(c);
	series_free(s);
	return rc;
}
