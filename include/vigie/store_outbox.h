/* The outbox in the store (daemon/store/outbox.c; its health in
 * outbox_health.c): the cycle rows, the messages a cycle writes in the same
 * transaction as its transitions (one per channel target), the events each
 * carries, and every delivery attempt with its outcome. */
#ifndef VIGIE_STORE_OUTBOX_H
#define VIGIE_STORE_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vigie/notice.h"
#include "vigie/store.h"

/* The row of one cycle, inserted at the first write that needs it. */
struct store_cycle {
	int64_t id;		/* 0 until inserted (and again after a rollback) */
	int64_t now;		/* the cycle's time: every row it writes */
};
/* Inserts the row unless it exists (period: the latest with data). 0 or -1. */
int store_cycle_ensure(struct store *st, struct store_cycle *c);
/* Marks it evaluated at period with n more transitions, finished at
 * finished_at. 0 or -1. */
int store_cycle_evaluated(struct store *st, struct store_cycle *c, int32_t period,
    int transitions, int64_t finished_at);
/* Records how long ingestion and evaluation took. A cycle that wrote
 * nothing (c->id 0) updates the idle row instead (one row for a stretch of
 * idle cycles, inserted after the last busy one), so that the time of
 * every cycle is known. 0 or -1. */
int store_cycle_duration(struct store *st, const struct store_cycle *c, int64_t ms);
/* The latest cycle, busy or idle, for `vigie status`. */
struct cycle_row {
	int64_t started_at;
	int64_t duration_ms;	/* -1: not recorded */
	int32_t period;		/* -1: none */
	int transitions;
	bool idle;		/* a cycle that wrote nothing */
};
int store_last_cycle(struct store *st, struct cycle_row *r);	/* 0 found, 1 none, -1 */
/* The latest period any cycle evaluated (its figures were shown, notified,
 * reported), -1 when none: a later cycle at an earlier period (a month
 * deleted since) does not take it back. 0, or -1 on error. */
int store_evaluated_through(struct store *st, int32_t *period);

/* A new pending message of the cycle for one target, with a fresh random
 * uid ("msg_" + 24 base62 characters: the Message-ID / webhook-id). Returns
 * its id, or -1. */
int64_t store_message_new(struct store *st, struct store_cycle *c,
    const char *channel, const char *target, const char *role);
/* Adds event to message msg, with catchup as an alert already active sent
 * for the first time to its target (daemon/catchup.c): 1 added, 0 already
 * there, -1 error. */
int store_message_add(struct store *st, int64_t msg, int64_t event, bool catchup);
int store_message_delete(struct store *st, int64_t msg);	/* 0 or -1 */

/* A message due for an attempt. */
struct outbox_due {
	int64_t id;
	char *channel, *target, *uid;
	int attempts;
	int64_t created_at;	/* or when it was requeued: its 48 h start there */
	int parts_sent;		/* parts the receiver already has */
	int64_t cycle;		/* the cycle that wrote it */
};
/* The cycle whose evaluation saw the data as they are now: a message
 * written by an earlier one may show what today's data hides (SPEC 3).
 * 0 when none did (the data changed since the last evaluation, or none
 * ran); -1 on error. */
int64_t store_evaluated_cycle(struct store *st);
/* The pending messages whose next attempt is due at now (all of them when
 * force), in id order, but those another process has claimed (and whose
 * claim has not lapsed). 0 or -1. */
int store_outbox_due(struct store *st, bool force, int64_t now,
    struct outbox_due **v, size_t *n);
void store_outbox_due_free(struct outbox_due *v, size_t n);
/* The events message msg carries, as notices in event order. 0 or -1. */
int store_outbox_notices(struct store *st, int64_t msg, struct notice **v,
    size_t *n);
/* The same notices one at a time: fn sees each, which is freed after it
 * returns; nothing of the message is held in memory but the one being
 * read. 0 or -1. */
int store_outbox_each(struct store *st, int64_t msg,
    void (*fn)(const struct notice *x, void *arg), void *arg);
/* The active alerts of rule on the strict descendants of unit, deepest
 * first then by unit, each as its latest notifying event, read as
 * store_outbox_notices reads message msg's (the guidance for its role),
 * marked context (notice.h); an alert whose latest notifying event a
 * silence still holds (not released) is left out. 0 or -1. */
int store_context_notices(struct store *st, int64_t msg, const char *rule,
    const char *unit, struct notice **v, size_t *n);
/* The alert of rule on unit, when active, as store_context_notices reads
 * one, with covered_by set to `by` (notice.h): an alert that the alert of
 * rule `by` of the message covers (inhibited_by). Not one whose latest
 * notifying event a silence holds. 0 (none or one in *v) or -1. */
int store_covered_notices(struct store *st, int64_t msg, const char *rule,
    const char *unit, const char *by, struct notice **v, size_t *n);
/* The active alerts that no one has taken in charge (neither acknowledged
 * nor closed), whose rule is in the rule set and whose last evaluated
 * period comes more than `periods` after the first of their episode, the
 * oldest first, then by unit and rule, one at a time (store_outbox_each):
 * each as the alert (rule, unit, severity, period, since) with its latest
 * notifying event's title and time, and no figure. An alert whose latest
 * notifying event a silence still holds (not released) is left out, and
 * so is one that message msg's address was first sent, in its episode,
 * at a cycle of a period `periods` or fewer before the alert's. 0 or -1. */
int store_unowned_each(struct store *st, int64_t msg, int32_t periods,
    void (*fn)(const struct notice *x, void *arg), void *arg);
/* Whether an email before message msg to its address, delivered (sent),
 * and not a scheduled report, was written by a cycle of the same latest
 * data period as msg: it ended with the closing list of that period, and
 * msg does not repeat it. 1, 0, or -1. */
int store_unowned_told(struct store *st, int64_t msg);
/* Claims message msg for this process (this store handle) until now +
 * lease_s, in its own short transaction, before it is attempted (SPEC 8:
 * two processes never send the same one): 1 claimed, 0 not (already sent
 * or failed, or claimed by another process whose claim has not lapsed),
 * -1 on a database error. Recording the attempt releases the claim. */
#define OUTBOX_CLAIM_LEASE_S 3600
int store_outbox_claim(struct store *st, int64_t msg, int64_t now, long lease_s);
/* Releases this process's claim on message msg without recording an
 * attempt: its transfer was abandoned because the process is asked to
 * stop. 0 or -1. */
int store_outbox_release(struct store *st, int64_t msg);
/* Releases every claim: for a daemon that has just taken the database's
 * lock (store_lock), when no other vigied can be sending; claims left by a
 * process that died are then attempted again at once. 0 or -1. */
int store_outbox_release_claims(struct store *st);
/* Records one attempt of message msg at `at` and its outcome, in its own
 * transaction: sent; or retry at next_at; or failed (for good). status is
 * the HTTP or SMTP code (0 if none), error NULL when sent. A success is
 * retried until it is written (a busy or full database), feeding the
 * watchdog, unless the process is asked to stop (progress.h). 0 or -1. */
enum outbox_outcome { OUTBOX_SENT, OUTBOX_RETRY, OUTBOX_FAILED };
int store_outbox_record(struct store *st, int64_t msg, int64_t at,
    enum outbox_outcome outcome, long status, const char *error, int64_t next_at);
/* Pending messages, or -1. */
int64_t store_outbox_pending(struct store *st);
/* Records now as the latest time a delivery pass has seen; when the clock
 * is earlier than the one recorded (it went back), moves every pending or
 * held message's next try and claim back by the difference, so that no
 * wait outlasts the one computed. Returns that difference in seconds (0:
 * none), or -1. (clockback.c) */
int64_t store_outbox_clock(struct store *st, int64_t now);
/* When the earliest pending message is due (its next_at), or the next
 * probe of held messages (store_outbox_probe_held, the same window), or
 * -1 when there is neither (or on error). */
int64_t store_outbox_next_due(struct store *st, int64_t now, int64_t window);

/* A failure for a configuration reason (a secret, the sender, an unknown
 * webhook, authentication): recorded like OUTBOX_FAILED, with the
 * fingerprint of the channel's configuration it failed with, so that it is
 * requeued once that configuration changes, and with probe_at, when
 * store_outbox_probe_held may try it again. The other pending messages of
 * its target (not claimed) are held with it, unattempted. 0 or -1. */
int store_outbox_record_config(struct store *st, int64_t msg, int64_t at,
    long status, const char *error, const char *fingerprint, int64_t probe_at);
/* Records that the receiver has the first parts_sent parts of msg. 0 or -1. */
int store_outbox_progress(struct store *st, int64_t msg, int parts_sent);
/* The distinct (channel, target, fingerprint) of the messages held for a
 * configuration reason. 0 and a new array (free with store_outbox_held_free),
 * or -1. */
struct outbox_held {
	char *channel, *target, *fingerprint;
};
int store_outbox_held(struct store *st, struct outbox_held **v, size_t *n);
void store_outbox_held_free(struct outbox_held *v, size_t n);
/* Puts back in the queue, due at now, the messages held for a configuration
 * reason within their `window` seconds of retries (from their creation, or
 * from when they were last requeued) of each target whose latest probe_at
 * has come, or that has a pending message due: the fix may have been made
 * elsewhere (a relay that now accepts the sender, a password reset on the
 * server). Their window is not restarted. Returns how many, or -1. */
int store_outbox_probe_held(struct store *st, int64_t now, int64_t window);
/* Puts back in the queue, due at now, the messages of (channel, target)
 * held with a fingerprint other than the current one. Returns how many,
 * or -1. */
int store_outbox_requeue_held(struct store *st, const char *channel,
    const char *target, const char *fingerprint, int64_t now);
/* `vigie retry` (run it in a transaction): the messages created at or
 * after since that are held for a configuration reason (and with failed,
 * every failed one) go back in the queue with a fresh 48 h, due at now;
 * pending ones waiting for a later try become due at now. 0 with the
 * counts, or -1. */
struct outbox_retried {
	size_t held, failed, pending;
};
int store_outbox_retry(struct store *st, bool failed, int64_t since, int64_t now,
    struct outbox_retried *r);
/* The newest failed attempt of a message not delivered since, for `vigie
 * status`: 0 (strings new, free with store_outbox_error_free), 1 none, -1. */
struct outbox_error {
	char *channel, *target, *status, *error;
	int64_t at;
	bool held;		/* held for a configuration reason */
};
int store_outbox_last_error(struct store *st, struct outbox_error *e);
void store_outbox_error_free(struct outbox_error *e);
/* Whether email has stopped going out: 1 when none of the emails of the
 * last cycle whose emails were tried went, with *since the time of the
 * first email written after the last one that went; 0 when one went (one
 * bad address among good ones is not email failing) or none was tried;
 * -1. */
int store_outbox_mail_failing(struct store *st, int64_t *since);

/* `vigie retry`'s readdressing (notify/readdress.c). The messages that
 * store_outbox_retry would requeue or make due (created at or after since;
 * with failed, every failed one), but those whose receiver has some of
 * their parts or that a process is sending, by cycle then id. 0 or -1. */
struct outbox_cand {
	int64_t id, cycle;
	char *channel, *target;
};
int store_outbox_retry_candidates(struct store *st, bool failed, int64_t since,
    int64_t now, struct outbox_cand **v, size_t *n);
void store_outbox_cand_free(struct outbox_cand *v, size_t n);
/* The events message msg carries, in event order (the first limit of
 * them, or all when limit is 0): alert events (rule and unit set) and
 * system ones. 0 or -1. */
struct outbox_item {
	int64_t event;
	bool alert;
	char *kind, *rule, *unit;
	bool catchup;		/* an alert already active, first sent to
				   the target (store_message_add's catchup) */
};
int store_message_items(struct store *st, int64_t msg, size_t limit,
    struct outbox_item **v, size_t *n);
void store_message_items_free(struct outbox_item *v, size_t n);
/* Whether a message to (channel, target), of any status, carries event:
 * 1, 0, or -1. */
int store_message_carries(struct store *st, const char *channel, const char *target,
    int64_t event);
/* Sets message msg aside: status "readdressed", never attempted or
 * requeued again, its events gone to the recipients of today's
 * configuration. 0 or -1. */
int store_outbox_set_aside(struct store *st, int64_t msg, int64_t now);

/* The catch-up (daemon/catchup.c; daemon/store/owed.c): an address that a
 * route gives an active alert and that was never given its current
 * episode gets it once. One active alert: its latest notifying event
 * (firing, escalated, deescalated, reminder), whether a silence holds that
 * event still, and the episode's first event (its latest firing). The
 * strings are borrowed for the call. */
struct owed_alert {
	int64_t alert, event, episode;
	const char *rule, *unit;
	int32_t period;
	bool held;
};
/* Calls fn with each active alert, by id, until it returns non-zero
 * (then -1). 0 or -1. */
int store_owed_each(struct store *st, int (*fn)(const struct owed_alert *a, void *arg),
    void *arg);
/* Whether a message to (channel, target) that was not set aside carries an
 * event of a's current episode: 1, 0, or -1. */
int store_owed_told(struct store *st, const struct owed_alert *a, const char *channel,
    const char *target);
/* The silences that hold at the latest period, as "ID,ID..." (*key NULL:
 * none): when it changes, one began or ended. 0 or -1. */
int store_silences_in_force(struct store *st, char **key);

#endif
