/* A notice: one event as a message carries it, read back from the store
 * (daemon/store/outbox.c) with its periods formatted, ready for the mail and
 * webhook renderers of daemon/notify/. */
#ifndef VIGIE_NOTICE_H
#define VIGIE_NOTICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "vigie/lifecycle.h"	/* enum outcome */

#define NOTICE_HISTORY_MAX 24
/* An alert active for more than this many periods that no one has taken
 * in charge is recalled at the end of each digest to its addresses
 * (notice.unowned), at most NOTICE_UNOWNED_SHOWN of them by name. */
#define NOTICE_UNOWNED_PERIODS 2
#define NOTICE_UNOWNED_SHOWN 10

struct notice_point {
	char period[16];
	bool defined;
	double value;
	bool hidden;		/* below the anonymity floor: « masquée » */
	bool nodata;		/* no headcount (no data) there: « pas de
				 * données », hidden or not */
	bool has_observed, has_expected;
	double observed, expected;
};

/* A labelled number of a rule (struct rule_term): a component's
 * probability, or the observed measure of a comparison. */
struct notice_term {
	char *label;
	bool defined;
	double value;
};

/* Strings may be NULL except kind. */
struct notice {
	char *kind;		/* firing escalated deescalated resolved reminder
				   stale fresh rejected test */
	char *rule, *unit, *period, *since;	/* periods already formatted */
	int32_t pindex;		/* period as an index (period.h), -1 if none */
	char *severity, *prev_severity;		/* "warning" | "critical" */
	bool has_value, has_threshold;	/* no value: hidden (anonymity floor),
					   or missing with absent */
	bool absent;		/* no value for want of data, not hidden */
	double value, threshold;
	char *title, *summary, *guidance;
	char *labels;		/* JSON object text or NULL */
	struct notice_point history[NOTICE_HISTORY_MAX];
	size_t nhistory;
	int decimals;
	time_t at;		/* when the event was recorded */
	/* Read from a message: its role, and the other roles that received
	 * the event (sorted, comma-separated; NULL: none). */
	char *role, *also;
	/* What the evaluation saw (events recorded since schema 4). */
	bool has_observed, has_expected, has_clear;
	double observed, expected, clear;
	bool held;		/* active though short of every threshold */
	bool missing;		/* resolved: no value past carry_over */
	bool hidden;		/* no value: below the anonymity floor */
	bool below;		/* the rule fires below its thresholds */
	bool has_points;	/* history[] has observed, expected, hidden */
	char *measure;		/* what observed measures, or NULL */
	struct notice_term *components, *compare;
	size_t ncomponents, ncompare;
	/* Not an event of the message: an alert of a descendant, active and
	 * unchanged, already reported to this address, added to an email so
	 * that a parent's alert of its rule folds into it (SPEC 16); shown
	 * only to host such a parent, and counted nowhere. */
	bool context;
	/* Not an event of the message either: an active alert that no one
	 * has taken in charge (neither acknowledged nor closed) for more
	 * than NOTICE_UNOWNED_PERIODS periods, that the address would be
	 * sent, recalled in a closing list of the digest (context.c,
	 * mail.c); appended after every other notice of the message, and
	 * counted nowhere. Carries no figure: its rule, unit, title,
	 * severity, since and period. */
	bool unowned;
	bool released;		/* a silence held it until this message */
	enum outcome last_outcome;	/* a firing: how the alert's last
					 * episode was closed; a resolution:
					 * how the episode it ends was
					 * (OUTCOME_NONE: not closed, or none);
					 * a change: how its episode was */
	/* A change (escalated, deescalated): the severity its readers were
	 * last told of the episode, and when the severity they were not
	 * told (prev_severity, a silence held it) began; NULL when they
	 * were told of prev_severity. */
	char *told_severity, *untold;
	bool untold_closed;	/* untold not for a silence: the change
				 * before this one improved an alert closed
				 * (no email says that, route.h) */
	/* Who took the alert in charge and when, while its episode is not
	 * closed (store_outbox_notices); NULL: no one. Never the note. */
	char *taken_by;
	time_t taken_at;
	/* A firing whose readers were told that the alert resolved at a
	 * period the episode now covers (the data or the rules changed
	 * since): that period, and whether an import replaced values since
	 * that resolution. */
	char *reopened;
	bool corrected;
	/* An alert already active that a route now gives this address,
	 * which never had its current episode (daemon/catchup.c): shown as
	 * it stands, « signalée pour la première fois à cette adresse »;
	 * last_outcome is then how this episode was closed. */
	bool catchup;
	/* An alert shown as it stands (a catch-up item, a context notice)
	 * whose latest notifying event is of an older period: what only the
	 * event knew is not of its current period, and delivery reads it
	 * from today's data (recheck_restate). */
	bool restate;
	/* Of the message: no message to its address was delivered before
	 * (that the outbox keeps): its digest has no « dernier envoi ». */
	bool first_to;
	/* A rejected or warned inbox file: its name in the inbox. */
	char *file;
	/* Not an event of the message: an active alert whose notifications
	 * an alert of the message covers (inhibited_by, daemon/notify/
	 * covered.c), shown as one line in that alert's signal and counted
	 * nowhere: that alert's rule. */
	char *covered_by;
	/* An alert shown as it stands once the alert that covered it ended
	 * (inhibited_by): the title of that alert. */
	char *held_by;
};

/* Frees the strings of x (not x). */
void notice_clear(struct notice *x);
/* Frees v[0..n) and v. */
void notices_free(struct notice *v, size_t n);

#endif
