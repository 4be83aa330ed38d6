/* The alert lifecycle (SPEC 5, 8, 9, 10): from what the store remembers of
 * an alert and what the engine says at a period, which event happens —
 * firing, escalated, deescalated, resolved, a reminder, or none — and what
 * the alert becomes; how an acknowledgement and a silence act on its
 * notifications. Pure: the daemon's cycle records these decisions and
 * `vigie backtest` replays them period by period, so both show the same
 * events, reminders included. */
#ifndef VIGIE_LIFECYCLE_H
#define VIGIE_LIFECYCLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vigie/engine.h"
#include "vigie/rules.h"
#include "vigie/series.h"

enum lifecycle_event {
	LC_NONE = 0, LC_FIRING, LC_ESCALATED, LC_DEESCALATED, LC_RESOLVED,
	LC_REMINDER,
};
/* "firing", "escalated", "deescalated", "resolved", "reminder"; NULL for
 * none. Static strings. */
const char *lifecycle_event_name(enum lifecycle_event e);

/* What the store keeps of one alert between evaluations. */
struct alert_state {
	bool active;
	enum severity severity;		/* SEV_NONE when inactive */
	double value, threshold;	/* NAN: hidden (anonymity floor) or none */
	bool absent;			/* value NAN for want of data, not hidden */
	int32_t period;			/* last evaluated period */
	int32_t since;			/* first period of the episode; -1 none */
	int32_t notified;		/* last period notified (firing, change,
					   reminder); -1 none */
	bool acked;			/* acknowledged during this episode */
	bool retired;			/* its rule left the rule set (SPEC 5.4):
					   inactive, but severity, since and the
					   acknowledgement kept for its return */
};

/* The decision for one alert at one evaluation. */
struct lifecycle_step {
	enum lifecycle_event event;
	struct alert_state next;	/* the alert after the evaluation */
	bool changed;		/* next differs from the stored state (or there
				   was none): the alert must be written */
	bool clear_ack;		/* a new episode: the acknowledgement was for
				   the previous one and is forgotten */
	/* What the event records (meaningful when event != LC_NONE). */
	enum severity severity, previous;
	double value, threshold;	/* the resolving value for resolved */
	bool absent;		/* value NAN for want of data, not hidden */
	int32_t since;
	bool missing;		/* resolved because the value stayed undefined
				   for more than carry_over periods */
	double observed, expected;	/* as in struct eval_row; NAN if none */
};

/* The step of the alert of rule r and row->unit at period at. old is the
 * stored state, NULL when the alert has never been active (an inactive row
 * then changes nothing: alerts are stored once they fire). A reminder comes
 * every r->repeat_every periods of an unchanged active alert that nobody
 * acknowledged. A retired alert resumes (its rule came back): compared with
 * what it was when retired, with its acknowledgement, so that only what
 * changed since is an event (a severity change, or resolved; no firing, no
 * reminder at the return). */
void lifecycle_step(const struct rule *r, const struct alert_state *old,
    const struct eval_row *row, int32_t at, struct lifecycle_step *out);
/* An active alert that the evaluation no longer produces (its rule was
 * removed or disabled, the unit left its scope, or its values were
 * deleted) is resolved at at, with no value and no threshold: absent, for
 * nothing was hidden (SPEC 3). */
void lifecycle_orphan(const struct alert_state *old, int32_t at,
    struct lifecycle_step *out);
/* An alert whose rule left the rule set (a file moved aside, an id
 * renamed) retires: no event, no notification; it becomes inactive with
 * retired set and keeps everything else for its return (SPEC 5.4). Whether
 * the alert counts as active when resumed: lifecycle_was_active. */
void lifecycle_retire(const struct alert_state *old, struct lifecycle_step *out);
/* Active, or retired while active: what a resumed alert is compared as. */
bool lifecycle_was_active(const struct alert_state *a);
/* Whether an event goes to its recipients when it is recorded: any event,
 * unless silenced (a silenced alert still changes state and its events are
 * recorded; the cycle routes the latest one of an alert still active once
 * no silence covers it, daemon/release.c). */
bool lifecycle_notifies(enum lifecycle_event e, bool silenced);
/* Whether the alert can be acknowledged: only during an episode (an
 * acknowledgement stops that episode's reminders). */
bool lifecycle_can_ack(const struct alert_state *a);

/* Following an alert up (SPEC 14): open, taken in charge (vigie ack or the
 * console), closed with an outcome. Closing also stops the reminders until
 * the alert resolves and fires again; a new episode starts open. */
enum outcome {
	OUTCOME_NONE = 0, OUTCOME_ACTION_TAKEN, OUTCOME_FALSE_ALARM,
	OUTCOME_NO_ACTION_NEEDED,
};
#define OUTCOME_COUNT 4
/* "action_taken", "false_alarm", "no_action_needed"; NULL for none. */
const char *outcome_name(enum outcome o);
/* Reads an outcome written with '_', '-' or ' ' between its words. 0, or
 * -1 when s names none. */
int outcome_parse(const char *s, enum outcome *o);
/* Whether an event of kind carries an outcome: a closing ("closed") or
 * its correction ("corrected"). */
bool outcome_event(const char *kind);

/* A silence (vigie silence): holds the notifications of matching alerts up
 * to and including period until. */
struct silence {
	int64_t id;
	char *rule;		/* a rule id, or "*" for every rule */
	char *unit_glob;
	int32_t until;
	bool removed;		/* by vigie unsilence */
};
/* The one silence predicate: true when a silence of v[0..n), not removed
 * and lasting until period or later, covers rule@unit. */
bool lifecycle_silenced(const struct silence *v, size_t n, const char *rule,
    const char *unit, int32_t period);
/* "active", "expired" (it ends before period) or "removed". Static. */
const char *lifecycle_silence_state(const struct silence *s, int32_t period);

/* Splits an alert id "RULE@UNIT" at its first '@'. Returns 0 and new
 * strings (caller frees), or -1 when a side is empty or there is no '@'. */
int lifecycle_split_id(const char *id, char **rule, char **unit);

/* One event of a backtest: rule and unit index the rule set and series
 * given to lifecycle_backtest. */
struct lifecycle_record {
	uint32_t rule, unit;
	int32_t period;
	enum lifecycle_event event;
	enum severity from, to;		/* to is SEV_NONE for resolved */
	double value;			/* at period; NAN when hidden */
	double threshold;
	int32_t since;
	bool missing;			/* as in struct lifecycle_step */
	double observed, expected;
};

/* Replays every enabled rule for every unit in its scope period by period
 * from the series' first period to `to`, as the daemon would record it with
 * one evaluation per period and no acknowledgement (cells as for
 * engine_eval), and calls cb for each
 * event in from..to, in period order, then rule order, then unit path
 * order. Returns 0, or -1 on ENOMEM. */
int lifecycle_backtest(const struct ruleset *rs, const struct series *s,
    const struct cells *cells, int min_headcount, int32_t from, int32_t to,
    void (*cb)(const struct lifecycle_record *e, void *arg), void *arg);

#endif
