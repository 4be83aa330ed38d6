/* A rename checked against SPEC 3 (include/vigie/renamecheck.h). Figures
 * already shown are not taken back: before the rename, a unit that leaves
 * its parent with a hidden value, or a merge that adds a hidden value to
 * another, is refused (move_reveals); after it, in the same transaction,
 * the data is read again and a cell hidden before that would now be shown
 * refuses it too (move_unhides): complementary suppression picks the
 * units it hides anew when units move. */
#include "vigie/engine.h"
#include "vigie/renamecheck.h"

int rename_checked(struct store *st, const struct config *cfg,
    const struct ruleset *rs, const struct series *s1, const struct cells *c1,
    const char *from, const char *to, const struct import_origin *by,
    unsigned how, struct rename_stats *s, struct reveal *rv)
{
	const struct cells *before = s1 ? moves_cells(c1, rs) : NULL;
	struct series *s2 = NULL;
	struct cells *c2 = NULL;
	int rc;

	if (s1 && move_reveals(s1, before, from, to, how & RENAME_SUM, rv))
		return 2;
	rc = store_rename_units(st, from, to, by, how & ~(unsigned)RENAME_DRY_RUN, s);
	if (rc != 0 || !s->units || !s1)
		return rc;
	if (store_load_series(st, &s2) != 0)
		return -1;
	if (s2 && (!(c2 = cells_new(s2, cfg->min_headcount, cfg->dominance)) ||
	    (rs && engine_cells_prepare(rs, c2, cfg->min_headcount) != 0)))
		rc = -1;
	else if (s2 && move_unhides(s1, before, s2, moves_cells(c2, rs), from, to, rv))
		rc = 2;
	cells_free(c2);
	series_free(s2);
	return rc;
}
