/* Retry timing (include/vigie/retry.h). Full jitter (AWS's "exponential
 * backoff and jitter"): the wait is drawn uniformly below the exponential
 * ceiling, so messages that failed together do not come back together. */
#include <stdlib.h>
#include "vigie/retry.h"

long retry_backoff(int attempts)
{
	long hi = RETRY_MIN_S;

	for (int i = 0; i < attempts && hi < RETRY_MAX_S; i++)
		hi *= 2;
	if (hi > RETRY_MAX_S)
		hi = RETRY_MAX_S;
	return RETRY_MIN_S + (long)arc4random_uniform((uint32_t)(hi - RETRY_MIN_S + 1));
}

bool retry_gives_up(int64_t created_at, int64_t now)
{
	return now >= created_at + RETRY_GIVE_UP_S;
}

int64_t retry_next(int attempts, long retry_after, int64_t created_at,
    int64_t now)
{
	long wait = retry_backoff(attempts);
	int64_t last = created_at + RETRY_GIVE_UP_S;

	if (retry_after > wait)
		wait = retry_after;
	return now + wait < last ? now + wait : last;
}
