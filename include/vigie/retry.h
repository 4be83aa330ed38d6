/* When a failed notification is tried again (SPEC 9): exponential backoff
 * with full jitter from 30 s up to 1 h between tries, for 48 h after the
 * message was created (daemon/notify/retry.c). */
#ifndef VIGIE_RETRY_H
#define VIGIE_RETRY_H

#include <stdbool.h>
#include <stdint.h>

#define RETRY_MIN_S 30
#define RETRY_MAX_S 3600
#define RETRY_GIVE_UP_S (48 * 3600)

/* Seconds to wait before attempt number `attempts` + 1 (attempts >= 1 made
 * so far): uniform in [30, min(3600, 30 * 2^attempts)]. */
long retry_backoff(int attempts);
/* True when a message created at created_at is given up at now. */
bool retry_gives_up(int64_t created_at, int64_t now);

#endif
