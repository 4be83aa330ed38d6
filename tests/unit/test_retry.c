/* Retry timing (daemon/notify/retry.c): exponential backoff with full
 * jitter, sampled: every draw stays in [30 s, min(1 h, 30 s * 2^attempts)],
 * the ceiling grows with the attempts until the hour, and the draws spread
 * over the whole range (full jitter, not a fixed or a half jitter). */
#include <criterion/criterion.h>
#include <math.h>
#include "vigie/retry.h"

#define DRAWS 4000

Test(retry, backoff_grows_and_stays_under_an_hour)
{
	long prev_max = 0;

	for (int attempts = 1; attempts <= 12; attempts++) {
		long hi = RETRY_MIN_S << (attempts < 8 ? attempts : 8);
		long lo_seen = RETRY_MAX_S + 1, hi_seen = 0;
		double sum = 0;

		if (hi > RETRY_MAX_S)
			hi = RETRY_MAX_S;
		for (int i = 0; i < DRAWS; i++) {
			long w = retry_backoff(attempts);
			cr_assert(w >= RETRY_MIN_S && w <= hi, "attempt %d: %ld s not in "
			    "[%d, %ld]", attempts, w, RETRY_MIN_S, hi);
			lo_seen = w < lo_seen ? w : lo_seen;
			hi_seen = w > hi_seen ? w : hi_seen;
			sum += (double)w;
		}
		/* Full jitter: draws reach both ends of the range, and average
		 * to its middle. */
		double range = (double)(hi - RETRY_MIN_S), mean = sum / DRAWS;
		cr_expect(lo_seen <= RETRY_MIN_S + 0.05 * range, "attempt %d: the "
		    "smallest of %d draws is %ld s", attempts, DRAWS, lo_seen);
		cr_expect(hi_seen >= hi - 0.05 * range, "attempt %d: the largest of "
		    "%d draws is %ld s, below %ld", attempts, DRAWS, hi_seen, hi);
		cr_expect(fabs(mean - (RETRY_MIN_S + range / 2)) <= 0.1 * range + 1,
		    "attempt %d: mean %.0f s", attempts, mean);
		/* The ceiling doubles until it reaches the hour. */
		if (hi < RETRY_MAX_S || prev_max < RETRY_MAX_S * 0.95)
			cr_expect_gt(hi_seen, prev_max, "attempt %d does not wait longer "
			    "than attempt %d", attempts, attempts - 1);
		prev_max = hi_seen;
	}
	cr_expect_geq(prev_max, RETRY_MAX_S * 0.95);
}

Test(retry, gives_up_48_hours_after_creation)
{
	cr_expect(!retry_gives_up(1000, 1000 + 48 * 3600 - 1));
	cr_expect(retry_gives_up(1000, 1000 + 48 * 3600));
}

/* Retry-After is honoured when longer than the backoff, but never past the
 * moment the message is given up: the last try still happens then. */
Test(retry, retry_after_is_honoured_up_to_the_give_up_time)
{
	int64_t created = 1000000, now = created + 600;
	int64_t last = created + 48 * 3600;

	for (int i = 0; i < 100; i++) {
		int64_t t = retry_next(1, 0, created, now);

		cr_expect(t >= now + RETRY_MIN_S && t <= now + 60, "%lld", (long long)(t - now));
	}
	cr_expect_eq(retry_next(1, 120, created, now), now + 120);
	cr_expect_eq(retry_next(1, 7200, created, now), now + 7200);
	cr_expect_eq(retry_next(1, 30 * 86400L, created, now), last);
	cr_expect_eq(retry_next(12, 3600, created, last - 10), last);
	/* a short Retry-After never shortens the backoff */
	cr_expect_geq(retry_next(30, 1, created, now), now + RETRY_MIN_S);
}
