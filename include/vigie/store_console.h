/* What the web console reads from the store (daemon/store/console.c, SPEC
 * 14): alerts with their follow-up, the events of an alert or of a unit,
 * one note by its id for its role, and a generation that changes whenever
 * an alert may have changed, so that vigie-web can keep the list of active
 * alerts in memory between requests. Values are the ones the evaluation
 * recorded (the engine's, NAN where hidden). */
#ifndef VIGIE_STORE_CONSOLE_H
#define VIGIE_STORE_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vigie/lifecycle.h"
#include "vigie/store.h"
#include "vigie/store_followup.h"

struct console_alert {
	int64_t id;
	char *rule, *unit;
	bool active, retired;
	enum severity severity;
	double value, threshold;	/* NAN: hidden or none */
	bool absent;			/* value NAN for want of data, not hidden */
	int32_t period, since;		/* -1: none */
	char *taken_by, *closed_by;	/* NULL when not */
	char *taken_role;		/* the role of taken_by's account when
					 * it took the alert in charge; NULL
					 * when taken_by was no account */
	int64_t taken_at, closed_at;	/* 0 when not */
	enum outcome outcome;
	int32_t worse;			/* closed, then escalated: the period of
					 * its latest escalation since; -1 */
};
void console_alerts_free(struct console_alert *v, size_t n);

/* The active alerts (unit NULL), by unit then rule; or every alert of one
 * unit (unit set), by rule. 0 and a new array, or -1. */
int store_console_alerts(struct store *st, const char *unit,
    struct console_alert **v, size_t *n);
/* The alerts no longer active whose unit no value names (a parent, or a
 * unit whose values were deleted), by unit then rule. 0 and a new array,
 * or -1. */
int store_console_resolved(struct store *st, struct console_alert **v,
    size_t *n);
/* The resolved alerts whose outcome nobody recorded (not active, not
 * retired, not closed), at most max of them, the latest resolutions first
 * (*more set when the store holds others), then sorted by unit, period of
 * resolution (newest first), severity and rule; severity is the highest
 * the episode reached, as its events say (SEV_NONE when they are gone).
 * 0 and a new array, or -1. */
int store_console_unrecorded(struct store *st, size_t max,
    struct console_alert **v, size_t *n, bool *more);
/* Whether an event after event (an id) concerns an alert that is not
 * active (someone closed or acknowledged a resolved alert): 1 yes, 0 no,
 * -1 error. */
int store_console_resolved_followed(struct store *st, int64_t event);
/* The alert of rule and unit, whatever its state: 0 (a filled; free with
 * console_alert_clear), 1 none, -1. */
int store_console_alert(struct store *st, const char *rule, const char *unit,
    struct console_alert *a);
void console_alert_clear(struct console_alert *a);

/* An event as the console shows it (no notification, no note: an ack's
 * note from the CLI belongs to no role and stays out). */
struct console_event {
	int64_t at;
	char *rule, *kind;
	int32_t period;			/* -1: none */
	enum severity severity, previous;
	double value, threshold;	/* NAN: hidden or none */
	double observed, expected;	/* as recorded for messages; NAN: none */
	char *author;			/* ack and closed */
	enum outcome outcome;		/* closed */
	char *summary;			/* as rendered when recorded, or NULL */
	int decimals;
	bool silenced;
	bool released;		/* silenced, then notified once the silence was over */
	bool inhibited;		/* held by an alert that covered it (inhibited_by),
				 * not a silence: for all (silenced) or some */
	int32_t since;		/* first period of its episode; -1: none */
	bool reopened;		/* a firing of an alert announced resolved at a
				 * period its episode now covers (the data were
				 * corrected since) */
};
void console_events_free(struct console_event *v, size_t n);
/* The latest `limit` events of alert id (id > 0) or of every alert of unit
 * whose rule is in rules (",id,id,", NULL: every rule), newest first. 0
 * and a new array, or -1. */
int store_console_events(struct store *st, int64_t alert, const char *unit,
    const char *rules, size_t limit, struct console_event **v, size_t *n);

/* Note id if it was written in role: 0 (note filled, its unit set also for
 * a note on an alert, and *rule the alert's rule or NULL; free with
 * console_note_clear and free), 1 no such note for that role (also when
 * one exists for another: a role never learns of another's notes), -1. */
int store_console_note(struct store *st, int64_t id, const char *role,
    struct note *note, char **rule);
void console_note_clear(struct note *note);

/* Changes whenever alerts may have changed: a cycle wrote (cycles are
 * numbered), or someone took in charge or closed (events are). 0 or -1. */
struct console_generation {
	int64_t cycle, event;
};
int store_console_generation(struct store *st, struct console_generation *g);

#endif
