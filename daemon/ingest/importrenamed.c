/* A file that writes the old path of a unit that `vigie rename` moved
 * (importcheck.h): refused. Imported, the old path would be a unit again
 * beside the new one, and whichever month both have (the file's, a
 * correction's, the same month sent again with the new path, in any
 * order, in one file or one import) would count the team twice in the
 * units above it. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "vigie/importcheck.h"
#include "vigie/msg.h"
#include "vigie/unit.h"
#include "vigie/xalloc.h"
#include "importcheck_impl.h"

size_t import_check_renamed(struct store *st, const char *file,
    const struct import_batch *b, struct diags *e)
{
	struct store_rename *rn = NULL;
	size_t nrn = 0, said = 0, ninds = 0, nunits = 0;
	char **inds = NULL, **units = NULL;

	if (!st || store_renames(st, &rn, &nrn) != 0)
		return 0;	/* the import will say what is wrong */
	/* A unit today under an old path is one a later rename brought
	 * there (store_renamed_path's live): a name of today. */
	bool ok = nrn && importcheck_stored_names(st, &inds, &ninds, &units, &nunits) == 0;

	for (size_t u = 0; ok && u < b->nunits; u++) {
		const char *path = b->units[u];
		int64_t when = 0;
		char *to = store_renamed_path(rn, nrn, path,
		    importcheck_among(units, nunits, path), &when), day[16];
		time_t t = (time_t)when;
		struct tm tm;

		if (!to)
			continue;
		struct batch_place at = importcheck_place(b->unit_at, u);
		strftime(day, sizeof(day), "%Y-%m-%d", gmtime_r(&t, &tm));
		diags_add_tr(e, file, at.line, at.col, "\"%s\" was renamed \"%s\" "
		    "(vigie rename, %s): write the new path in the export (under its "
		    "old path the team would be a unit of its own again, without its "
		    "history, and counted twice in the figures of the units above it "
		    "for any month both have; teams merged: one row, with their "
		    "sums)", path, to, day);
		said++;
		free(to);
	}
	store_names_free(inds, ninds);
	store_names_free(units, nunits);
	store_renames_free(rn, nrn);
	return said;
}
