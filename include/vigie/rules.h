/* Rule sets: loading and validating rule files (SPEC 5), summary templates
 * and number formatting. Pure apart from reading the rule files. */
#ifndef VIGIE_RULES_H
#define VIGIE_RULES_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vigie/diag.h"
#include "vigie/expr.h"
#include "vigie/yaml.h"	/* struct srcpos */

enum severity { SEV_NONE = 0, SEV_WARNING = 1, SEV_CRITICAL = 2 };
enum locale { LOC_FR = 0, LOC_EN = 1 };

const char *severity_name(enum severity s);	/* "warning", "critical", NULL for none */

struct label { char *key, *value; };
struct role_text { char *role, *text; int line, col; };	/* guidance for one role, where its key is */
/* A labelled expression of a rule: one of its components (the probability
 * of what the unit saw on one indicator) or a comparison (the same measure
 * for its peers, the company). */
struct rule_term { char *label; struct expr *e; };

/* A component's indicator moved when its expression is defined and not
 * zero at the period (SPEC 16; undefined is NAN). */
static inline bool rule_term_moved(double v) { return !isnan(v) && v != 0; }

/* The texts readers see (title, summary, guidance, measure, the terms'
 * labels) are those of the locale the rule set was loaded for
 * (rule_policy): a rule file writes each as a string, or as
 * { fr: ..., en: ... } where a language left out reads the other's. */
struct rule {
	char *id, *title;
	char *summary;		/* template or NULL */
	char *guidance;		/* the text for every role: the string form, or
				 * the mapping's "default"; NULL when none */
	struct role_text *guidance_roles;	/* the mapping's other entries, */
	size_t nguidance_roles;			/* in file order */
	struct expr *value;
	struct expr *when;	/* or NULL */
	struct expr *observed;	/* what messages call observed; NULL: the value */
	struct expr *expected;	/* what the value is compared with, or NULL */
	char *measure;		/* what observed measures, in words: the axis of
				 * charts; NULL */
	struct rule_term *components;	/* a combined rule's indicators, each */
	size_t ncomponents;		/* a tail probability; messages name
					 * those that moved */
	struct rule_term *compare;	/* the observed measure elsewhere */
	size_t ncompare;		/* (peers, company), shown beside it */
	bool below;		/* false: above */
	bool has_warning, has_critical;
	double warning, critical;
	double clear;		/* defaults to the lowest configured threshold */
	int for_n;		/* >= 1 */
	char **scope;		/* globs; default one entry "**" */
	size_t nscope;
	struct srcpos *scope_at;	/* where each glob is written; NULL for
					 * the default */
	int min_headcount;	/* 0 when not set */
	int min_headcount_line, min_headcount_col;	/* where, when set */
	char **notify;		/* roles; NULL/0 when not set (use default_notify) */
	size_t nnotify;
	bool notify_set;
	int notify_line, notify_col;	/* where notify is written, when set */
	/* Rules whose active alert on a unit holds this rule's notifications
	 * there (rules/inhibit.c); where each id is written. */
	char **inhibited_by;
	struct srcpos *inhibited_by_at;
	size_t ninhibited_by;
	struct label *labels;
	size_t nlabels;
	int repeat_every;	/* periods; 0 never */
	int decimals;		/* default 1 */
	bool enabled;
	int carry_over;		/* undefined periods an active alert survives;
				 * -1 when not set (the rule set's carry_over) */
	/* period: the granularity its windows and texts are written for
	 * (vigie-rules(5)); on a database of the other it is not evaluated
	 * (rule_runs_on). Unset: any. */
	bool period_set;
	enum granularity period;
	int period_line, period_col;	/* where its value is written */
	char *file;		/* where the rule was defined */
	int line, col;
};

/* Where an indicator name is first read (an index into ruleset.files). */
struct name_use { size_t file; int line, col; };

struct ruleset {
	struct rule *rules;
	size_t n;
	struct names names;	/* indicator names used by the expressions */
	struct name_use *name_use;	/* per name, where it is first read */
	char **files;		/* files read, in order */
	size_t nfiles;
	struct diags warnings;	/* what loads but cannot mean what it says
				 * (an empty notify, a standard deviation
				 * over one period): said by vigie check and
				 * logged by the daemon (cycle_rules_warnings) */
	int carry_over;		/* for rules without their own: 6 after loading;
				 * callers with a configuration set its
				 * carry_over (SPEC 5, 7) */
};

/* What the configuration tells the loader. Who may be told what (SPEC 3,
 * 7): the configuration's confidential_roles and default_notify; with
 * check_roles the loader checks the rules against them
 * (ruleset_check_confidential) with their own errors, so that one round of
 * fixes is enough. And the configuration's locale: a text of a rule
 * written in both languages ({ fr: ..., en: ... }) keeps the locale's
 * text, so that struct rule holds one string per text. NULL: French, and
 * nothing checked of the roles. */
struct rule_policy {
	char *const *confidential_roles;
	size_t nconfidential_roles;
	char *const *default_notify;
	size_t ndefault_notify;
	bool check_roles;	/* false: the roles above are not known */
	enum locale locale;
};

/* Whether rule r is evaluated on data of granularity g: enabled, and
 * written for g when it states a period (rules/rule_period.c). The engine
 * asks it with its series' granularity; so do the daemon's readers of the
 * rules with the configuration's period. */
static inline bool rule_runs_on(const struct rule *r, enum granularity g)
{
	return r->enabled && (!r->period_set || r->period == g);
}
/* Whether r states a period other than g: not evaluated on g's data. */
static inline bool rule_other_period(const struct rule *r, enum granularity g)
{
	return r->period_set && r->period != g;
}
/* A warning, at its period:, for every enabled rule written for the other
 * granularity than g (the database's): it is not evaluated, and how to
 * make it one that is. Returns the number of such rules. */
size_t ruleset_check_period(const struct ruleset *rs, enum granularity g,
    struct diags *w);
/* The number of enabled rules of rs written for the other granularity. */
size_t ruleset_count_other_period(const struct ruleset *rs, enum granularity g);

/* How far back rule r reads from the period it is evaluated at: the
 * windows, offsets and lags of its value and its guard (expr_lookback);
 * what it compares with is read only where the value is defined. */
int32_t rule_lookback(const struct rule *r);
/* The periods of values r reads to decide one period at granularity g,
 * that period included, when its windows are full (expr_lookback_in):
 * its value's and its guard's reach, and the for_n - 1 periods before
 * whose values must be in breach too. */
int32_t rule_periods(const struct rule *r, enum granularity g);

/* The roles rule r notifies: its own notify, else dflt (the configuration's
 * default_notify); *n set. */
char *const *rule_roles(const struct rule *r, char *const *dflt, size_t ndflt,
    size_t *n);

/* Loads every "*.yaml" of a folder in name order, or one file. All errors
 * are added to d; returns NULL when there is any. Caller frees. */
struct ruleset *ruleset_load(const char *path, const struct rule_policy *policy,
    struct diags *d);
/* ruleset_load, and when some files have errors (added to d), the rules of
 * the others: what a reader of the alerts can still show (the console, vigie
 * alerts), where the daemon refuses the whole set. *left gets the files
 * left out (caller frees each and the array), *nleft their number. NULL
 * when no file loads. */
struct ruleset *ruleset_load_valid(const char *path, const struct rule_policy *policy,
    struct diags *d, char ***left, size_t *nleft);
/* A warning for every file of the folder path that looks like a rule file
 * but is not read (*.yml, *.YAML, *.yaml.txt): its rules would silently
 * not exist.
 * None when path is a file. Returns the number of warnings. */
size_t ruleset_check_folder(const char *path, struct diags *w);
/* Same for an explicit list of files. */
struct ruleset *ruleset_load_files(const char *const *files, size_t n,
    const struct rule_policy *policy, struct diags *d);
/* Same for a list where each entry is a folder or a file (vigie check). */
struct ruleset *ruleset_load_paths(const char *const *paths, size_t n,
    const struct rule_policy *policy, struct diags *d);
#define RULESET_MAX_RULES 10000	/* larger rule sets are refused */
void ruleset_free(struct ruleset *rs);
const struct rule *ruleset_find(const struct ruleset *rs, const char *id);
/* A warning for every scope glob of the rules that matches none of the n
 * units (the paths imports have stored and their ancestors, unit_closure),
 * with the closest glob that would: no unit is watched through it.
 * Nothing when n is 0 (no import yet). Returns the number of warnings. */
size_t ruleset_check_scopes(const struct ruleset *rs, char *const *units,
    size_t n, struct diags *w);
/* True when the unit is in the rule's scope. */
bool rule_in_scope(const struct rule *r, const char *unit);
/* The guidance a reader in role (NULL: no particular role) sees: the role's
 * own text, else the text for every role, else NULL. Borrowed from r. */
const char *rule_guidance(const struct rule *r, const char *role);

/* Whether name is a confidential indicator (SPEC 3): social_worker_contacts
 * or medical_visits_on_request. (rules/confidential.c) */
bool indicator_confidential(const char *name);

/* Confidential indicators (SPEC 3): adds an error, at its notify (or at
 * the rule when it has none), for every rule whose value, when, observed,
 * expected, components or compare read social_worker_contacts or
 * medical_visits_on_request and
 * that notifies a role outside roles[0..nroles) (its notify, else dflt, the
 * configuration's default_notify). Returns the number of errors.
 * (rules/confidential.c) */
size_t ruleset_check_confidential(const struct ruleset *rs,
    char *const *roles, size_t nroles, char *const *dflt, size_t ndflt,
    struct diags *d);

/* Indicators no one sends (SPEC 1): adds a warning, where it is first
 * read, for every indicator the rules read that is neither in SPEC 1's
 * recommended vocabulary nor among stored[0..nstored) (the names imports
 * have stored; NULL/0 when there is no database yet), with the closest
 * known name as a suggestion: a misspelt indicator leaves its rule
 * undefined forever, and silently. Returns the number of warnings.
 * (rules/vocabulary.c) */
size_t ruleset_check_indicators(const struct ruleset *rs,
    char *const *stored, size_t nstored, struct diags *w);
/* Whether rule r can never be defined while the indicator numbered name
 * (in rs->names) has no value at all: its value or its guard needs it
 * (expr_needs). (rules/vocabulary.c) */
bool rule_needs(const struct rule *r, int32_t name);
/* Indicators no import has brought: adds a warning, at the rule, for
 * every enabled rule that needs (rule_needs) an indicator of the
 * recommended vocabulary that is not among stored[0..nstored): "rule
 * "conflicts" reads grievances, which no import has brought: it is
 * undefined everywhere and never fires (...)". An HR export without
 * grievances silences every rule that adds them to conflicts. Names
 * outside the vocabulary are ruleset_check_indicators'; nothing when
 * nstored is 0 (no import yet). Returns the number of warnings. */
size_t ruleset_check_unimported(const struct ruleset *rs,
    char *const *stored, size_t nstored, struct diags *w);
/* Where name (nlen bytes) is first read in the expression src[0..len):
 * its first occurrence as a whole word outside a comment (0 if none).
 * (rules/ruleset.c) */
size_t expr_first_use(const char *src, size_t len, const char *name, size_t nlen);
/* The same warning for one name read at file:line:col, when it is not
 * among known[0..nknown) (vocabulary_known): for the other files that read
 * indicators (the report's). Returns whether it warned. */
bool vocabulary_check_name(const char *name, const char *const *known,
    size_t nknown, const char *file, int line, int col, struct diags *w);
/* SPEC 1's recommended vocabulary followed by stored[0..nstored): *n
 * names, borrowed; the caller frees the array. (rules/vocabulary.c) */
const char **vocabulary_known(char *const *stored, size_t nstored, size_t *n);
/* The vocabulary's name for what a French HR export calls name
 * ("effectif": "headcount"), or NULL. (rules/vocabulary.c) */
const char *vocabulary_french(const char *name);

/* Guidance for a role the rule does not notify (its notify, else
 * dflt[0..ndflt), the configuration's default_notify): a warning at the
 * guidance's key, which no one would read, with the closest notified
 * role; when the guidance's role is one of defined[0..ndefined) (the
 * roles of recipients:; NULL: not known) and that closest one is not, the
 * typo is in notify, and the warning says so. Returns the number of
 * warnings. (rules/guidance.c) */
size_t ruleset_check_guidance(const struct ruleset *rs, char *const *dflt,
    size_t ndflt, char *const *defined, size_t ndefined, struct diags *w);

/* Inhibition (inhibited_by): while an alert of one of r->inhibited_by is
 * active on a unit, r's alert on that unit is recorded as usual but its
 * notifications are held for whoever receives that alert, in whose
 * message it is shown as a line. (rules/inhibit.c) */
/* Whether the alert of rule on unit is active, as the caller knows it. */
typedef bool rule_active_fn(const char *rule, const char *unit, void *arg);
/* The rules of r->inhibited_by, in rs, whose alert on unit is active, in
 * the order written, into out[0..r->ninhibited_by); returns how many. A
 * rule of the list that rs lacks (a file left out) inhibits nothing. */
size_t rule_inhibitors(const struct ruleset *rs, const struct rule *r,
    const char *unit, rule_active_fn *active, void *arg, const struct rule **out);
/* Whether rule `by` is in r->inhibited_by. */
bool rule_inhibited_by(const struct rule *r, const char *by);
/* Adds an error at its place for each id of an inhibited_by that names no
 * rule of rs (with the closest id), names its own rule, or closes a cycle
 * (a inhibited by b, b by a: each would hold the other's notifications
 * for as long as both are active). Returns the number of errors. */
size_t ruleset_check_inhibit(const struct ruleset *rs, struct diags *d);

/* Number formatting of SPEC 5: printf("%.*f") then trailing zeros and point
 * dropped; a decimal comma with LOC_FR. Writes into buf; returns buf. */
char *format_number(char *buf, size_t size, double x, int decimals,
    enum locale loc);

/* The decimals that show figure x (an observed or expected value) with
 * its rule's decimals: those, or more for a figure they would round to 0
 * though it is not (one significant digit, at most FIGURE_DECIMALS_MAX):
 * an expected 0.017 is « 0,02 », never « 0 », which reads as impossible. */
#define FIGURE_DECIMALS_MAX 3
int figure_decimals(double x, int decimals);

/* Values for a summary template; NAN value/threshold render as the locale's
 * "hidden value" text, or its "missing data" text with missing or absent. observed,
 * expected are read only with has_expected (a caller that does not know them
 * leaves it false: they render as unknown, never as 0). */
struct template_vars {
	const char *unit, *period, *since;
	enum severity severity;
	double value, threshold;
	bool missing;		/* resolved because data was missing (carry_over) */
	bool absent;		/* value NAN for want of data, not hidden */
	bool has_expected;
	double observed, expected;	/* NAN when undefined */
};
/* Renders the rule's summary (or a default one when it has none). Returns a
 * new string; caller frees. */
char *rule_render_summary(const struct rule *r, const struct template_vars *tv,
    enum locale loc);
/* Checks a summary template s[0..len): every placeholder known and closed.
 * pos (len+1 entries, may be NULL) gives file positions as for
 * expr_compile. Adds one error per problem to d; returns their number. */
int template_check(const char *s, size_t len, const char *file,
    const struct srcpos *pos, struct diags *d);
/* The first {{...}} of s[0..len), its bytes in [*start, *end); false when
 * there is none. Only a summary is a template: in a title or a guidance
 * the placeholder would be shown as written. */
bool template_first_placeholder(const char *s, size_t len, size_t *start,
    size_t *end);
/* The next known placeholder name written in single braces ({unit}, shown
 * as written) in s[0..len) at or after *off, with *off set to its "{";
 * NULL when there is none. */
const char *template_single_brace(const char *s, size_t len, size_t *off);
/* The first placeholder of a checked template s[0..len) that needs the
 * rule's expected ("expected", "ratio"), with its byte offset in *off; NULL
 * when there is none. */
const char *template_needs_expected(const char *s, size_t len, size_t *off);

#endif
