/* The clock gone back (include/vigie/store_outbox.h): a virtual machine
 * restored from a snapshot, a host whose clock NTP stepped back. The
 * outbox waits in wall-clock times (next_at, claimed_until): after a step
 * back of a day, a message due in 30 s would wait a day and 30 s, and
 * every later one to its target behind it. Each pass records the latest
 * time it has seen; a pass that finds the clock earlier than that moves
 * the waits back by as much, so that none lasts longer than it was meant
 * to (SPEC 9: at most an hour between tries). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include "store_impl.h"
#include "vigie/store_outbox.h"

#define KEY "outbox_clock"
/* A write per pass is not worth it: the time seen is kept to the minute. */
#define SLACK_S 60

int64_t store_outbox_clock(struct store *st, int64_t now)
{
	char *v = NULL, buf[32];
	int64_t seen = 0, back = 0;
	int rc = store_meta_get(st, KEY, &v);

	if (rc < 0)
		return -1;
	if (rc == 0)
		seen = strtoll(v, NULL, 10);
	free(v);
	if (rc == 0 && now >= seen && now < seen + SLACK_S)
		return 0;
	if (rc == 0 && now < seen)
		back = seen - now;
	if (store_begin(st) != 0)
		return -1;
	snprintf(buf, sizeof(buf), "%" PRId64, now);
	if (back) {
		sqlite3_stmt *q = db_prepare(st, "UPDATE message SET next_at = next_at - ?1,"
		    " claimed_until = claimed_until - ?1 WHERE status = 'pending'"
		    " OR failed_config IS NOT NULL");

		if (q)
			sqlite3_bind_int64(q, 1, back);
		if (!q || db_step_done(q) != 0)
			goto fail;
	}
	if (store_meta_set(st, KEY, buf) != 0 || store_commit(st) != 0)
		goto fail;
	return back;
fail:
	store_rollback(st);
	return -1;
}
