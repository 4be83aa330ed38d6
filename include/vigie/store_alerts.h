/* Alerts and their history in the store (daemon/store/alerts.c): one row
 * per rule and unit that has ever been active (its lifecycle state), and the
 * append-only events — transitions, acknowledgements, system events — with
 * the notifications that carried them. */
#ifndef VIGIE_STORE_ALERTS_H
#define VIGIE_STORE_ALERTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vigie/lifecycle.h"
#include "vigie/notice.h"
#include "vigie/store.h"
#include "vigie/store_outbox.h"

/* One stored alert. */
struct stored_alert {
	int64_t id;
	char *rule, *unit;
	struct alert_state state;
};

/* Every alert, ordered by rule then unit (strcmp). 0 and a new array (free
 * with store_alerts_free), or -1. */
int store_alerts_load(struct store *st, struct stored_alert **v, size_t *n);
void store_alerts_free(struct stored_alert *v, size_t n);
/* Writes alert *id (0: a new one, whose id is then set) of rule and unit
 * with state a at the cycle's time; clear_ack forgets its acknowledgement.
 * 0 or -1. */
int store_alert_write(struct store *st, struct store_cycle *c, const char *rule,
    const char *unit, int64_t *id, const struct alert_state *a, bool clear_ack);
/* The unit an alert recorded as rule@unit has today, vigie rename having
 * moved it (through its events, else, for a name it had between two
 * renames, the renames: store_renamed_path): 0 with a new string in *to,
 * 1 none, -1. */
int store_alert_moved(struct store *st, const char *rule, const char *unit,
    char **to);
/* Finds the alert of rule and unit: 0 (id and state set), 1 absent, -1. */
int store_alert_find(struct store *st, const char *rule, const char *unit,
    int64_t *id, struct alert_state *state);
/* Records an acknowledgement of alert id by `by` (note may be NULL) at now:
 * the alert row and an "ack" event. Run it in a transaction. 0 or -1. */
int store_alert_ack(struct store *st, int64_t id, const char *by,
    const char *note, int64_t now);

/* An event to record. Strings may be NULL except kind. */
struct event_in {
	int64_t alert;		/* 0: a system event */
	const char *kind, *rule, *unit;
	int32_t period, since;	/* -1: none */
	enum severity sev, prev;
	double value, threshold;	/* NAN: none */
	bool absent;		/* value NAN for want of data, not hidden */
	const char *title, *summary, *guidance, *labels, *history;
	int decimals;		/* -1: none */
	bool silenced;		/* held for all its recipients */
	const char *inhibited_by;	/* the rule whose alert held it (for
					   all, or for those it reaches) */
	/* What digests show (schema 4), recorded only with detail (an event
	 * of the evaluation); NAN / false / NULL: none. */
	bool detail;
	double observed, expected, clear;
	bool held, missing, hidden, below;
	const char *measure, *terms, *points, *guidance_roles;	/* JSON but measure */
	const char *file;	/* a rejected or warned inbox file: its name */
};
/* Inserts an event at the cycle's time; returns its id, or -1. */
int64_t store_event_insert(struct store *st, struct store_cycle *c,
    const struct event_in *e);

/* A notification a silence held (SPEC 9): the latest notifying event
 * (firing, escalated, deescalated, reminder) of an active alert, or the
 * resolution of an alert whose episode was notified before (sent, or
 * released), recorded silenced and not released since; or that an
 * inhibition held, for all its recipients (silenced) or some of them
 * (inhibited_by, silenced 0), and not released since. */
struct silenced_event {
	int64_t event;
	char *rule, *unit;
	int32_t period;		/* the alert's last evaluated period */
	char *kind;		/* the event's */
	int32_t event_period;
	char *inhibited_by;	/* held by that rule's alert (inhibited_by),
				   or NULL: by a silence */
	int64_t alert;		/* the event's alert */
	int64_t episode;	/* the firing that began its episode (0: none) */
};
/* Every such event, by rule then unit. 0 and a new array (free with
 * store_silenced_events_free), or -1. */
int store_silenced_events(struct store *st, struct silenced_event **v, size_t *n);
void store_silenced_events_free(struct silenced_event *v, size_t n);
/* Marks a silenced event released at the cycle's time: its silence is over
 * and the cycle routed it. Run it in the transaction that routes it. 0 or
 * -1. */
int store_event_release(struct store *st, struct store_cycle *c, int64_t event);

/* Whether the alert of rule on unit is active in store arg (a struct
 * store): the rule_active_fn that inhibitions ask (rules.h); false also
 * when the store cannot say. (daemon/store/owed.c) */
bool store_alert_active(const char *rule, const char *unit, void *arg);

/* Whether alert `alert`'s current episode was notified: one of its
 * notifying events since its latest firing was routed (not silenced, or
 * released since). 1, 0 (every one was held by a silence), or -1. An alert
 * without a firing event counts as notified. */
int store_episode_notified(struct store *st, int64_t alert);

/* Alert and outbox counts, for metrics and status. */
struct alert_counts {
	size_t active, warning, critical, pending, failed;
	size_t held;		/* of the failed: held for a configuration reason */
};
int store_alert_counts(struct store *st, struct alert_counts *c);	/* 0 or -1 */

/* `vigie alerts`: one row per alert, active ones only unless all. */
struct alert_listing {
	char *rule, *unit;
	bool active;
	enum severity severity;
	double value, threshold;	/* NAN: hidden or none */
	int32_t since, period;		/* -1: none */
	char *acked_by;			/* or NULL */
	int64_t acked_at;		/* 0 when not acknowledged */
	int decimals;			/* of its latest event, 1 if none */
	bool retired;			/* its rule left the rule set (inactive) */
	bool absent;			/* value NAN for want of data, not hidden */
};
int store_alerts_list(struct store *st, bool all, struct alert_listing **v,
    size_t *n);	/* by rule then unit; 0 or -1 */
void store_alerts_list_free(struct alert_listing *v, size_t n);

/* `vigie history`: the events of one alert and the notifications that
 * carried them, in time order (a notification right after its event). */
struct history_entry {
	int64_t at;
	bool notification;
	char *kind;		/* the event's kind (of the event carried, for a
				   notification) */
	/* an event */
	int32_t period;
	int32_t since;			/* first period of its episode; -1 none */
	enum severity severity, previous;
	double value, threshold;	/* NAN: none */
	double observed, expected;	/* as recorded for messages; NAN: none */
	bool absent;			/* value NAN for want of data, not hidden */
	char *author, *note;		/* an "ack" or "closed" (note: an "ack") */
	enum outcome outcome;		/* a "closed" */
	bool silenced;
	int64_t released;		/* silenced, and routed once its silence
					   was over: when; 0 otherwise */
	char *inhibited_by;		/* held by that rule's alert on the
					   unit (silenced: for every recipient,
					   else for those it reaches), or NULL */
	int decimals;
	/* a notification */
	char *channel, *target, *role, *status, *error;
	int attempts;
};
int store_alert_history(struct store *st, int64_t alert,
    struct history_entry **v, size_t *n);	/* 0 or -1 */
void store_alert_history_free(struct history_entry *v, size_t n);

/* Every active alert as its latest notifying event described it, with the
 * alert's current value and period (kind "firing"), ordered by rule then
 * unit, then the missing-data alert (kind "stale", from its event) while
 * data is missing: what Alertmanager is refreshed with. fn sees each one,
 * freed after it returns: none is held in memory. 0 or -1. */
int store_active_each(struct store *st, void (*fn)(const struct notice *x, void *arg),
    void *arg);

/* The missing-data alert as the daemon raised it (SPEC 8: no import for
 * stale_after): 1 and *raised_at, the time of its "stale" event, while it
 * is active and nothing was imported since; 0 when not; -1 on error. */
int store_missing_data(struct store *st, int64_t *raised_at);

#endif
