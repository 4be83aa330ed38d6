/* Today's view of what alerts recorded (SPEC 3, engine_recorded), shared by
 * `vigie alerts` and `vigie history` (daemon/cli/today.c). */
#ifndef VIGIE_CLI_TODAY_H
#define VIGIE_CLI_TODAY_H

#include <stdbool.h>
#include "vigie/config.h"
#include "vigie/engine.h"
#include "vigie/store.h"

struct today {
	struct ruleset *rs;
	struct series *s;	/* NULL: the database holds no data */
	struct cells *cells;
	int floor;
	char **left;		/* not strict: rule files left out for their
				 * errors, their rules' values not shown */
	size_t nleft;
};

/* Loads the rules and the data as vigie eval does. 0, or an exit code
 * (the error said on stderr for cmd, the subcommand's name: "history").
 * Not strict: the rule files with errors are left out (left), quietly, and
 * the values of their rules (of every rule when no file loads: rs NULL)
 * are judged as a retired rule's are, by the unit's cells. */
int today_load(const char *cmd, const struct config *cfg, struct store *st,
    bool strict, struct today *t);
void today_free(struct today *t);
/* How what an event of RULE@UNIT recorded at period (rec) shows today,
 * with *now today's point (engine_recorded). */
enum recorded today_recorded(const struct today *t, const char *rule,
    const char *unit, int32_t period, const struct engine_point *rec,
    int decimals, struct engine_point *now);

/* What `vigie alerts` shows of RULE@UNIT at period: today's point of its
 * rule there (*now: its value, and what it observed against what it
 * expected where the rule says, NAN elsewhere), or why there is none. A retired alert's rule
 * cannot be evaluated: its stored value, while no cell of the unit is
 * hidden there and the period still has data. Without a valid rule set
 * (not strict) nothing can be checked: TODAY_UNCHECKED. */
enum today_show { TODAY_VALUE, TODAY_HIDDEN, TODAY_MISSING, TODAY_UNCHECKED };
enum today_show today_alert_value(const struct today *t, const char *rule,
    const char *unit, int32_t period, double stored, int decimals,
    struct engine_point *now);

/* The THRESHOLD cell of `vigie alerts`: the threshold with the rule's
 * direction, "<0.006" (fires below) or ">18" (above), as an alert
 * expression reads; the number alone for a rule no longer loaded, "-" for
 * none. */
char *today_threshold(const struct today *t, const char *rule, double thr,
    int decimals);

#endif
