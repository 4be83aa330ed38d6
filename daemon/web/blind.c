/* What the console's user may not see of the stored values (blind.h,
 * struct blind): an import's answer on the console (its counts, its
 * warnings) compares the file with no stored value of these cells, or a
 * file of one guessed value would tell whether it is the stored one, and a
 * few dozen dry runs would give a small team's figures to HR (SPEC 3:
 * "every output ... the web console"). The cells are those the unit pages
 * hide, from the same snapshot of the series (state.c, data_ref). */
#include <string.h>
#include "vigie/cells.h"
#include "vigie/rules.h"
#include "blind.h"
#include "web_impl.h"

static bool hides(const void *ctx, const char *unit, const char *indicator,
    int32_t period)
{
	const struct blind *b = ctx;
	int32_t u, k;

	if (!b->trusted && indicator_confidential(indicator))
		return true;
	if (!b->d)
		return true;	/* the series unread: nothing compared */
	if (!b->d->s || (u = series_unit(b->d->s, unit)) < 0 ||
	    (k = series_indicator(b->d->s, indicator)) < 0)
		return false;	/* nothing stored there */
	return cells_hidden(b->d->cells, (uint32_t)u, (uint32_t)k, period);
}

void blind_begin(struct req *r, struct blind *b)
{
	const struct config *cfg = r->site->cfg;

	b->w = r->w;
	b->d = data_ref(r);
	b->trusted = false;
	for (size_t i = 0; i < cfg->nconfidential_roles; i++)
		b->trusted |= !strcmp(cfg->confidential_roles[i], r->acct.role);
	b->bl = (struct import_blind){ hides, b, NULL };
}

void blind_end(struct blind *b)
{
	data_unref(b->w, b->d);
	b->d = NULL;
}
