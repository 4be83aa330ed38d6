/* An import of periods that retention.data deletes at the next cycle
 * (importcheck.h, import_check_retention). retention.data counts periods
 * back from the latest with data (SPEC 3, daemon/purge.c): 60 is five
 * years of months but fourteen months of weeks, and a weekly history of
 * two years, imported whole, lost its oldest 40 weeks at the daemon's
 * first cycle with nothing said but a line of the journal. The import says
 * it instead, while the values are still there to keep: which of the
 * file's periods go and what to raise. The latest period is the one the
 * import leaves (stored, or brought by one of its files), as the cycle
 * will count it. */
#include <stdlib.h>
#include "vigie/importcheck.h"
#include "vigie/msg.h"
#include "vigie/xalloc.h"
#include "importcheck_impl.h"

size_t import_check_retention(struct store *st, const char *file,
    const struct import_batch *b, const struct import_batch *const *with,
    size_t nwith, int keep, struct diags *w)
{
	int32_t latest = st ? store_latest_period(st) : -1, before, *old;
	size_t n = 0, distinct = 0;
	char first[PERIOD_BUFSZ], last[PERIOD_BUFSZ];
	struct batch_place at = importcheck_place(b->ind_at, 0);

	if (!b->nrecs || keep <= 0)
		return 0;
	if (b->pmax > latest)
		latest = b->pmax;
	for (size_t i = 0; i < nwith; i++)
		if (with[i]->nrecs && with[i]->pmax > latest)
			latest = with[i]->pmax;
	before = latest - keep + 1;	/* purge.c's values_before */
	if (b->pmin >= before)
		return 0;
	old = xcalloc(b->nrecs, sizeof(*old));
	for (size_t i = 0; i < b->nrecs; i++)
		if (b->recs[i].period < before)
			old[n++] = b->recs[i].period;
	qsort(old, n, sizeof(*old), importcheck_cmp_period);
	for (size_t i = 0; i < n; i++)
		if (i == 0 || old[i] != old[i - 1])
			distinct++;
	period_format(b->gran, old[0], first);
	period_format(b->gran, old[n - 1], last);
	free(old);
	w->kind = "warning";
	/* One message each, so that the import log's French agrees too. */
	if (distinct == 1 && b->gran == GRAN_WEEK)
		diags_add_tr(w, file, at.line, at.col, "1 period of this file (%s) is "
		    "older than retention.data keeps (%d weeks): the next cycle "
		    "deletes it — raise retention.data (vigie.yaml(5)) first", first,
		    keep);
	else if (distinct == 1)
		diags_add_tr(w, file, at.line, at.col, "1 period of this file (%s) is "
		    "older than retention.data keeps (%d months): the next cycle "
		    "deletes it — raise retention.data (vigie.yaml(5)) first", first,
		    keep);
	else if (b->gran == GRAN_WEEK)
		diags_add_tr(w, file, at.line, at.col, "%zu periods of this file (%s "
		    "to %s) are older than retention.data keeps (%d weeks): the next "
		    "cycle deletes them — raise retention.data (vigie.yaml(5)) first",
		    distinct, first, last, keep);
	else
		diags_add_tr(w, file, at.line, at.col, "%zu periods of this file (%s "
		    "to %s) are older than retention.data keeps (%d months): the next "
		    "cycle deletes them — raise retention.data (vigie.yaml(5)) first",
		    distinct, first, last, keep);
	return 1;
}
