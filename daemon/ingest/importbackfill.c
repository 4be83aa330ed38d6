/* A history imported a period at a time (importcheck.h,
 * import_check_backfill). vigied evaluates what an import brings, then
 * notifies what changed at the latest period: a history whose months come
 * one import after the other (an HRIS that exports a file per month, sent
 * one by one into the inbox or the console) is notified month by month, a
 * year of « Nouvelle alerte » and « résolue » in a few minutes, while the
 * same months in one import give one digest of the alerts still open
 * (vigied(8), THE CYCLE). Each import of such a history moves the latest
 * period forward to one that ended long ago, which a month's export never
 * does: that is what is told, while the months that remain can still come
 * at once. A month's export comes within weeks of its end, a late one
 * within two months or so (a payroll closed late, a holiday): a period
 * that ended more than BACKFILL_PERIODS (3 months, 13 weeks) before the
 * current one is history. A correction of an older month does not move
 * the latest period and is not told. Nor is an import that follows
 * another no cycle has evaluated yet (the first of a new database, a
 * command after a command): the next cycle evaluates them as one. */
#include "vigie/importcheck.h"
#include "vigie/msg.h"
#include "importcheck_impl.h"

/* A quarter: 3 months, 13 weeks. */
static int32_t backfill_periods(enum granularity g)
{
	return period_per_year(g) / 4;
}

size_t importcheck_backfill_at(const char *file, enum granularity g,
    int32_t latest, struct batch_place at, int32_t before, int32_t now,
    struct diags *w)
{
	char per[PERIOD_BUFSZ];
	int ago = (int)(now - latest - 1);	/* whole periods since it ended */

	if (before < 0 || latest <= before || now - latest <= backfill_periods(g))
		return 0;
	w->kind = "warning";
	period_format(g, latest, per);
	if (g == GRAN_WEEK)
		diags_add_tr(w, file, at.line, at.col, "%s ended %d weeks ago: a "
		    "history imported a week at a time is notified a week at a time, "
		    "each week's alerts as new; import the weeks that remain in one go "
		    "(vigie import FILE..., one mv into the inbox, or all the files in "
		    "one upload of the console)", per, ago);
	else
		diags_add_tr(w, file, at.line, at.col, "%s ended %d months ago: a "
		    "history imported a month at a time is notified a month at a time, "
		    "each month's alerts as new; import the months that remain in one "
		    "go (vigie import FILE..., one mv into the inbox, or all the files "
		    "in one upload of the console)", per, ago);
	return 1;
}

int32_t import_backfill_from(struct store *st)
{
	int32_t latest = st ? store_latest_period(st) : -1, evaluated;

	if (latest < 0 || importcheck_last_evaluated(st, &evaluated) != 0)
		return -1;
	return evaluated >= latest ? latest : -1;
}

size_t import_backfill_file(const struct import_batch *const *with, size_t n)
{
	size_t top = n;

	for (size_t i = 0; i < n; i++)
		if (with[i]->nrecs && (top == n || with[i]->pmax > with[top]->pmax))
			top = i;
	return top;
}

size_t import_check_backfill(const char *file, const struct import_batch *b,
    int32_t before, int32_t now, struct diags *w)
{
	if (!b->nrecs)
		return 0;
	return importcheck_backfill_at(file, b->gran, b->pmax,
	    importcheck_place(b->ind_at, 0), before, now, w);
}
