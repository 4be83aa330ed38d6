/* STUB: pull sources; to be implemented. */
#include "vigie/sources.h"

int sources_pull(struct store *st, const struct config *cfg, time_t now,
    int *imported)
{
	(void)st; (void)cfg; (void)now;
	*imported = 0;
	return 0;
}
