/* The retention phase of a cycle (daemon/cycle_impl.h, SPEC 3): turns the
 * configuration's retention into limits (the data and the resolved alerts
 * counted in periods back from the latest period with data, the notes and
 * system events in periods back from the period of now, the messages in
 * time) and has the store delete what is older, in its own short
 * transaction, logging what went. Its statements visit every event: a
 * cycle less than an hour after the last pass, with no import since and
 * the same limits in periods, has nothing to delete but messages that grew
 * old meanwhile, and leaves them for the next pass (a second saved at
 * 175,000 alerts, at each SIGHUP). */
#include <string.h>
#include "cycle_impl.h"
#include "vigie/log.h"
#include "vigie/store_retention.h"

#define PURGE_EVERY_S 3600

int cycle_purge(struct cyc *c, struct cycle_state *cs)
{
	const struct retention *r = &c->cfg->retention;
	enum granularity g = c->cfg->period;
	int32_t latest = store_latest_period(c->st), now = period_of_time(g, c->now);
	struct purge_limits lim = {
		/* without data, nothing is old yet */
		.values_before = latest >= 0 ? latest - r->data + 1 : INT32_MIN,
		.alerts_before = latest >= 0 ? latest - r->alerts + 1 : INT32_MIN,
		.events_before = period_start(g, now - r->alerts + 1),
		.notes_before = period_start(g, now - r->notes + 1),
		.messages_before = (int64_t)c->now - r->messages_s,
	};
	struct purge_counts n;
	int64_t key[6] = { lim.values_before, lim.alerts_before,
	    lim.events_before, lim.notes_before, r->messages_s,
	    store_last_import_time(c->st) };

	if (cs->purged_at && c->now >= cs->purged_at &&
	    c->now - cs->purged_at < PURGE_EVERY_S &&
	    !memcmp(key, cs->purged_key, sizeof(key)))
		return 0;
	if (store_purge(c->st, &lim, &n) != 0) {
		log_err("retention: cannot delete old rows: %s", store_errmsg(c->st));
		return -1;
	}
	cs->purged_at = c->now;
	memcpy(cs->purged_key, key, sizeof(key));
	if (n.values || n.alerts || n.events || n.notes || n.messages)
		log_info("retention: deleted %zu values, %zu resolved alerts, %zu "
		    "events, %zu notes, %zu messages", n.values, n.alerts,
		    n.events, n.notes, n.messages);
	return 0;
}
