/* A file that writes the old path of a unit that `vigie rename` moved
 * (importcheck.h): the error when the file would bring the old path back
 * at a period the new one already covers. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "vigie/importcheck.h"
#include "vigie/msg.h"
#include "vigie/unit.h"
#include "vigie/xalloc.h"
#include "importcheck_impl.h"

/* Whether unit has a value imported at period (not a roll-up); an
 * unreadable database counts as none. */
static bool valued(struct store *st, const char *unit, int32_t period)
{
	char **inds;
	double *vals;
	size_t n;

	if (store_values_at(st, unit, period, &inds, &vals, &n) != 0)
		return false;
	store_names_free(inds, n);
	free(vals);
	return n > 0;
}

size_t import_check_renamed(struct store *st, const char *file,
    const struct import_batch *b, struct diags *e)
{
	struct store_rename *rn = NULL;
	size_t nrn = 0, said = 0, ninds = 0, nunits = 0;
	char **inds = NULL, **units = NULL;
	int32_t *per = NULL;

	if (!st || store_renames(st, &rn, &nrn) != 0)
		return 0;	/* the import will say what is wrong */
	/* A unit today under an old path is one a later rename brought
	 * there, or one imported there since (store_renamed_path's live). */
	bool ok = nrn && importcheck_stored_names(st, &inds, &ninds, &units, &nunits) == 0;

	if (ok)
		per = xcalloc(b->nrecs ? b->nrecs : 1, sizeof(*per));
	for (size_t u = 0; ok && u < b->nunits; u++) {
		const char *path = b->units[u];
		int64_t when = 0;
		char *to = store_renamed_path(rn, nrn, path,
		    importcheck_among(units, nunits, path), &when), day[16];
		char first[PERIOD_BUFSZ], last[PERIOD_BUFSZ];
		size_t np = 0, covered = 0;
		time_t t = (time_t)when;
		struct tm tm;

		if (!to)
			continue;
		for (size_t i = 0; i < b->nrecs; i++)
			if (b->recs[i].unit == u)
				per[np++] = b->recs[i].period;
		qsort(per, np, sizeof(*per), importcheck_cmp_period);
		/* A period where the old path has values already (imported
		 * since, warned about) brings nothing new: the file is that
		 * export again. */
		for (size_t i = 0; i < np; i++) {
			if ((i && per[i] == per[i - 1]) || !valued(st, to, per[i]) ||
			    valued(st, path, per[i]))
				continue;
			period_format(b->gran, per[i], covered++ ? last : first);
		}
		if (!covered) {
			free(to);
			continue;
		}
		struct batch_place at = importcheck_place(b->unit_at, u);
		strftime(day, sizeof(day), "%Y-%m-%d", gmtime_r(&t, &tm));
		if (covered == 1)
			diags_add_tr(e, file, at.line, at.col, "\"%s\" was renamed \"%s\" "
			    "(vigie rename, %s), which has values for %s: imported under "
			    "its old path too, the team would be counted twice in the "
			    "figures of the units above it; write the new path in the "
			    "export (teams merged: one row, with their sums)", path, to,
			    day, first);
		else
			diags_add_tr(e, file, at.line, at.col, "\"%s\" was renamed \"%s\" "
			    "(vigie rename, %s), which has values for %zu of the file's "
			    "periods (%s to %s): imported under its old path too, the team "
			    "would be counted twice in the figures of the units above it; "
			    "write the new path in the export (teams merged: one row, with "
			    "their sums)", path, to, day, covered, first, last);
		said++;
		free(to);
	}
	free(per);
	store_names_free(inds, ninds);
	store_names_free(units, nunits);
	store_renames_free(rn, nrn);
	return said;
}
