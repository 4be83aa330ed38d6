/* Following alerts up in the store (daemon/store/followup.c, SPEC 14):
 * closing an alert with an outcome, notes kept for the role that wrote
 * them, and the counts the works council report shows. Taking an alert in
 * charge is store_alert_ack (store_alerts.h): the CLI and the console write
 * the same record. */
#ifndef VIGIE_STORE_FOLLOWUP_H
#define VIGIE_STORE_FOLLOWUP_H

#include <stddef.h>
#include <stdint.h>
#include "vigie/lifecycle.h"
#include "vigie/store.h"

/* Closes alert id with outcome o, by `by`, at now: taken in charge too when
 * it was not (its reminders stop), and a "closed" event. Run it in a
 * transaction. 0 or -1. */
int store_alert_close(struct store *st, int64_t id, const char *by,
    enum outcome o, int64_t now);

/* Corrects the outcome of closed alert id to o, by `by`, at now (a
 * misclick: the works council report and the rules page count the
 * outcome): a "corrected" event with the new outcome; the closing keeps
 * its author and time. Run it in a transaction. 0, 1 when the alert is
 * not closed (a new episode began) or already has outcome o (nothing
 * written), or -1. */
int store_alert_correct(struct store *st, int64_t id, const char *by,
    enum outcome o, int64_t now);

/* Reopens closed alert id, by `by`, at now (closed, then worse: someone
 * follows it again): no longer closed, a "reopened" event, then taken in
 * charge by `by` (an "ack" event). The closing's event stays in the history
 * but no longer counts (store_followup_counts: the alert's next closing
 * will, once, as a correction would). Run it in a transaction. 0,
 * 1 when the alert is not closed (nothing written), or -1. */
int store_alert_reopen(struct store *st, int64_t id, const char *by, int64_t now);

/* Whether event (an id) is an improvement of an alert its readers closed
 * (a deescalation while its episode is closed with an outcome): news of
 * nothing to do, which no email carries; an aggravation, a resolution or
 * a new episode does. 1 yes, 0 no, -1 error. */
int store_event_unmailed(struct store *st, int64_t event);

/* The follow-up of one alert: who took it in charge and closed it. */
struct followup {
	char *taken_by, *closed_by;	/* NULL when not */
	int64_t taken_at, closed_at;	/* 0 when not */
	enum outcome outcome;
};
/* 0 (f filled; free with followup_free), 1 no such alert, -1. */
int store_followup_get(struct store *st, int64_t id, struct followup *f);
void followup_free(struct followup *f);

/* A note on an alert (alert > 0) or on a unit (alert 0, unit set). */
struct note {
	int64_t id, at, alert;
	int64_t edited;		/* when its author last corrected it, or 0 */
	char *role, *author, *unit, *body;
	char *rule;		/* store_notes_on_alerts: its alert's rule */
};
/* Adds a note written by author in role. Returns its id, or -1. */
int64_t store_note_add(struct store *st, const char *role, const char *author,
    int64_t alert, const char *unit, const char *body, int64_t now);
/* The notes of `role` only on alert (alert > 0) or on unit, oldest first.
 * 0 and a new array (free with store_notes_free), or -1. */
int store_notes_list(struct store *st, const char *role, int64_t alert,
    const char *unit, struct note **v, size_t *n);
/* The notes of `role` on the alerts of unit (every rule's), oldest first,
 * each with its alert's rule. 0 and a new array, or -1. */
int store_notes_on_alerts(struct store *st, const char *role, const char *unit,
    struct note **v, size_t *n);
void store_notes_free(struct note *v, size_t n);
/* Its author corrects note id of role: body replaces the text, edited set
 * to now. Deletes note id of role by its author. Only a note written at
 * or after since, when the author's account was created: an account
 * created again under a name that signs older notes (vigie user del, then
 * add) is not their author. The text replaced or
 * deleted is not kept: its bytes in the database are overwritten with
 * zeros (secure_delete; a note may have named someone), and store_scrub
 * after the commit clears them from the write-ahead log. 0, 1 no such
 * note of that role and author (nothing written), or -1. */
int store_note_edit(struct store *st, int64_t id, const char *role,
    const char *author, int64_t since, const char *body, int64_t now);
int store_note_delete(struct store *st, int64_t id, const char *role,
    const char *author, int64_t since);

/* Follow-up of the alerts that fired for a period of [from, to], and of
 * those notified before from whose episode was still active at from (not
 * resolved at from or before: the ongoing alerts of a report), on unit
 * and its descendants as they are named today (a team renamed since the
 * firing counts under its new path; unit NULL: every unit), whose rule is one of rules
 * (rules NULL: every rule): their firings (fired; before: the ongoing
 * ones), and how many of them all were taken
 * in charge, and closed by outcome (closed[OUTCOME_...]), from that firing
 * up to the time until (exclusive), each closing with its outcome as
 * last corrected before until; an alert acknowledged twice counts
 * once. */
struct followup_counts {
	size_t fired, before, taken, closed[OUTCOME_COUNT];
};
int store_followup_counts(struct store *st, const char *unit, int32_t from,
    int32_t to, int64_t until, const char *const *rules, size_t nrules,
    struct followup_counts *c);	/* 0 or -1 */
/* The same per rule and alert, for every unit, of the alerts that fired
 * for a period of [from, to] only (before stays 0): one row per alert, under
 * its unit of today (a team renamed since its firing is under its new
 * path), sorted by rule then unit. 0 (free *v with followup_rows_free) or
 * -1. */
struct followup_row {
	char *rule, *unit;
	struct followup_counts c;
};
int store_followup_rows(struct store *st, int32_t from, int32_t to,
    int64_t until, struct followup_row **v, size_t *n);
void followup_rows_free(struct followup_row *v, size_t n);

#endif
