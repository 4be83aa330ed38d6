/* When a failed notification is tried again (SPEC 9): exponential backoff
 * with full jitter from 30 s up to 1 h between tries, for 48 h after the
 * message was created (daemon/notify/retry.c); and where `vigie retry`
 * sends one whose recipient left the configuration (readdress.c). */
#ifndef VIGIE_RETRY_H
#define VIGIE_RETRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vigie/config.h"
#include "vigie/rules.h"
#include "vigie/store.h"

#define RETRY_MIN_S 30
#define RETRY_MAX_S 3600
#define RETRY_GIVE_UP_S (48 * 3600)

/* Seconds to wait before attempt number `attempts` + 1 (attempts >= 1 made
 * so far): uniform in [30, min(3600, 30 * 2^attempts)]. */
long retry_backoff(int attempts);
/* True when a message created at created_at is given up at now. */
bool retry_gives_up(int64_t created_at, int64_t now);
/* When to try again a message created at created_at whose attempt number
 * `attempts` failed at now: after retry_backoff(attempts), or after the
 * receiver's Retry-After (seconds, 0: none) when longer, but never past
 * the moment it is given up, so that a receiver asking for days still gets
 * the last try that SPEC 9's 48 hours promise, then a failure. */
int64_t retry_next(int attempts, long retry_after, int64_t created_at,
    int64_t now);

/* Before `vigie retry` requeues (run both in one transaction): each
 * message it would requeue or make due (store_outbox_retry_candidates)
 * whose target today's routing no longer gives any of its alerts is set
 * aside, and its alerts go, in new messages of its cycle, to the targets
 * that routing gives them and that do not have them yet. A message with
 * anything but alerts of rules of rs keeps its target. 0 with the counts,
 * or -1 (database error). */
struct readdressed {
	size_t set_aside;	/* messages set aside */
	size_t created;		/* new messages */
};
int retry_readdress(struct store *st, const struct config *cfg,
    const struct ruleset *rs, bool failed, int64_t since, int64_t now,
    struct readdressed *out);
/* The daemon's, before each delivery: retry_readdress of the pending
 * messages (and those held for a configuration reason), in its own
 * transaction, logged; nothing without a rule set. 0 or -1 (logged). */
int retry_readdress_pending(struct store *st, const struct config *cfg,
    const struct ruleset *rs, int64_t now);

#endif
