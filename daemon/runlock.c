/* The database's lock for a run of vigied (include/vigie/cycle.h). */
#include <stdlib.h>
#include <sysexits.h>
#include "vigie/cycle.h"
#include "vigie/log.h"

int cycle_take_lock(const struct config *cfg, bool once, int *ex)
{
	char *err = NULL;
	int fd = store_lock(cfg->database, 0, &err);

	if (fd == STORE_LOCK_BUSY && once) {
		long wait_s = cfg->interval_s > 0 && cfg->interval_s < 3600 ?
		    cfg->interval_s : 3600;
		log_info("%s; waiting up to %ld s for it to finish", err, wait_s);
		free(err);
		err = NULL;
		fd = store_lock(cfg->database, wait_s * 1000, &err);
	}
	if (fd >= 0)
		return fd;
	if (fd == STORE_LOCK_STOPPED) {
		/* SIGTERM or SIGINT: nothing was done, nothing is owed. */
		log_info("%s; nothing done", err);
		*ex = 0;
	} else if (fd == STORE_LOCK_BUSY) {
		log_err("%s: %s", err, once ? "gave up waiting; the next run will do "
		    "this one's work" : "one daemon per database; stop it first, or "
		    "give this one another database");
		*ex = EX_TEMPFAIL;
	} else {
		log_err("%s", err ? err : "cannot lock the database");
		*ex = once ? 1 : EX_IOERR;	/* SPEC 8: --once could not run */
	}
	free(err);
	return -1;
}
