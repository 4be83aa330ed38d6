/* One daemon cycle (SPEC 8): ingest the inbox, pull sources, evaluate the
 * rules when data, rules or configuration changed, record the transitions
 * and their notifications in one transaction, then deliver. Also the
 * "set" the daemon runs with (a configuration and its rule set, loaded and
 * swapped together). */
#ifndef VIGIE_CYCLE_H
#define VIGIE_CYCLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "vigie/config.h"
#include "vigie/diag.h"
#include "vigie/progress.h"
#include "vigie/rules.h"
#include "vigie/store.h"

/* A configuration with its rule set and the hashes of their source bytes
 * (what "the rules or the configuration changed" compares). */
struct cycle_set {
	struct config *cfg;
	struct ruleset *rs;
	char cfg_hash[65], rules_hash[65];
};

/* Loads the configuration at path and the rules it names. Returns a new set
 * (caller frees), or NULL after adding every error to d. */
struct cycle_set *cycle_set_load(const char *path, struct diags *d);
void cycle_set_free(struct cycle_set *set);
/* For --check: a database that holds the other granularity, which the
 * daemon would refuse to open (SPEC 2; read only, nothing created), and a
 * database folder that is missing or that this user cannot write in (but
 * the default database's state directory, which systemd creates at the
 * unit's start), and a damaged database (cycle_database_damage). 0, or
 * -1 with the errors in d, at `database:`. */
int cycle_database_check(const struct config *cfg, struct diags *d);
/* At --check (above) and at the daemon's start: a damaged database
 * (store_check_damage), which every cycle would fail on. 0, or -1 with
 * the error in d, at `database:`. */
int cycle_database_damage(const struct config *cfg, struct diags *d);
/* retention.data against the rules (SPEC 3): set to fewer periods than a
 * rule reads to decide one (rule_periods), it would delete, at the next
 * cycle, the values the rule's alerts stand on, resolve them and tell
 * every recipient so: an error, at `retention.data` (0, or -1 with it in
 * d). The default that is short for a rule (weeks) is only a warning of
 * cycle_warnings: the rule was never decided. */
int cycle_retention_check(const struct config *cfg, const struct ruleset *rs,
    struct diags *d);
/* What a valid configuration and rule set may still get wrong, said
 * without refusing them: a secret this user cannot read (checked by the
 * daemon when it uses it), roles that rules notify and no recipient
 * receives. Printed to out (the checks), else logged (start, reload). */
void cycle_warnings(const struct config *cfg, const struct ruleset *rs, FILE *out);
/* Adds to w what a valid rule set read from paths[0..npaths) may still get
 * wrong: a rule's min_headcount below cfg's floor, guidance for a role its
 * rule does not notify (policy's default roles for rules without notify:),
 * files in those folders that are not read, indicators that neither
 * SPEC 1's vocabulary nor cfg's database knows, and rules that need one
 * of the vocabulary that the database, when it has data, has never
 * stored. cfg NULL: the defaults' floor, no database. */
void cycle_rules_warnings(const struct ruleset *rs, const char *const *paths,
    size_t npaths, const struct rule_policy *policy, const struct config *cfg,
    struct diags *w);

/* Takes the database's lock for a run of vigied: at once for the daemon
 * (exit 75 when another holds it), waiting up to an interval (at most an
 * hour) for --once, whose timer will run it again anyway, unless it is
 * asked to stop meanwhile (exit 0). Returns the descriptor, or -1 with *ex
 * set, logged. (runlock.c) */
int cycle_take_lock(const struct config *cfg, bool once, int *ex);

/* What persists between the cycles of one process. Zero-initialise. */
#define CYCLE_RENAMED_MAX 4096
struct cycle_state {
	bool evaluated;		/* an evaluation ran in this process */
	size_t units;		/* units of the last evaluated series */
	size_t stale, missing;	/* its coverage (struct cycle_report's) */
	char history[400];	/* struct cycle_report's */
	int32_t period;		/* last evaluated period, valid when evaluated */
	/* inbox file names renamed into the inbox since the last cycle
	 * (inotify): complete, taken at once; the cycle frees them */
	char **renamed;
	size_t nrenamed;
	/* the last retention pass (daemon/purge.c): when, and what it
	 * depended on but the time (its limits but for messages', the last
	 * import); the next pass waits for them to move, or for an hour */
	int64_t purged_at;
	int64_t purged_key[6];
	int64_t reload_failed_at;	/* when the last reload failed, the
					 * previous configuration kept (0: it
					 * loaded, or none was asked) */
	int64_t succeeded_at;	/* when the last cycle without an error
				 * began (0: not known yet) */
	char caught_up[65];	/* the fingerprint the catch-up last
				 * looked at (daemon/catchup.c) */
};
/* Frees the renamed names (the rest of the state needs no freeing). */
void cycle_state_forget_renamed(struct cycle_state *cs);

struct cycle_report {
	int32_t period;		/* latest period with data, -1 when none */
	bool evaluated;		/* rules were evaluated in this cycle */
	bool wrote;		/* the evaluation wrote anything */
	int imported, rejected;	/* inbox files (plus sources that imported) */
	int deferred;		/* inbox files left for later: being written */
	int transitions;	/* events recorded (transitions and reminders) */
	size_t units, rules, active, critical, pending, failed;
	size_t stale;		/* units whose latest period lags the data's */
	size_t missing;		/* indicators missing at the latest period from
				 * units that had them, per unit (store_gap) */
	char history[400];	/* what the rules that cannot judge some
				 * unit yet for want of history say at the
				 * latest period (history_short_say), or "" */
	int64_t last_import;	/* unix time, 0 if none */
	double duration_s;
	bool stopped;		/* asked to stop: the rest was left for later */
	int64_t reload_failed_at;	/* struct cycle_state's */
	bool ok;		/* this cycle ran without an error */
	int64_t succeeded_at;	/* struct cycle_state's, after this cycle */
};

/* Runs one cycle at `now`. force: attempt every pending notification (as
 * `vigied --once`). tick (may be NULL; progress.h) is called while delivery
 * and pulls wait, for the watchdog (the other long steps call
 * progress_tick), and between the steps: once it answers true (SIGTERM),
 * the transfers in flight are abandoned, the step under way ends with its
 * transaction and the rest waits for the next run (rep->stopped). When HTTP
 * sources are due, the pending notifications are delivered before they
 * are pulled, and this cycle's after. Returns 0, or -1 when the cycle
 * could not run (database error; logged, nothing half-written). */
int cycle_run(struct store *st, const struct cycle_set *set,
    struct cycle_state *cs, bool force, time_t now,
    progress_fn *tick, void *tick_arg, struct cycle_report *rep);

/* Ingests the inbox alone at `now`, as a cycle of its own that evaluates
 * nothing (the next cycle does): the daemon calls it while a delivery or a
 * pull waits on a slow server (progress_idle). Fills rep's imported,
 * rejected and deferred. Returns 0, or -1 (database error; logged). */
int cycle_ingest(struct store *st, const struct cycle_set *set,
    struct cycle_state *cs, time_t now, struct cycle_report *rep);

/* The one-line systemd STATUS= text:
 * "2026-06: 42 units, 17 rules, 3 active (1 critical), 0 pending", then
 * ", 11 rules without enough history yet" while some lack it. */
void cycle_status_line(const struct cycle_report *r, enum granularity g,
    char *buf, size_t size);

#endif
