/* STUB: outbox delivery; to be implemented. */
#include "vigie/deliver.h"

int deliver_pending(struct store *st, const struct config *cfg, bool force,
    time_t now, void (*tick)(void *), void *tick_arg, struct deliver_stats *stats)
{
	(void)st; (void)cfg; (void)force; (void)now; (void)tick; (void)tick_arg;
	*stats = (struct deliver_stats){ 0 };
	return 0;
}
