/* What a configuration and its rules may still get wrong once they load
 * (include/vigie/cycle.h): the database against the configuration, and
 * the warnings said by vigie check, vigied --check and at each start and
 * reload of the daemon: folders, files, floors, roles, scopes, the rules'
 * own. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vigie/cycle.h"
#include "vigie/fileio.h"
#include "vigie/log.h"
#include "vigie/route.h"
#include "vigie/unit.h"
#include "vigie/wording.h"
#include "vigie/yaml.h"
#include "vigie/xalloc.h"

int cycle_database_damage(const struct config *cfg, struct diags *d)
{
	char *err = NULL;

	if (store_check_damage(cfg->database, &err) == 0)
		return 0;
	diags_add(d, cfg->file, cfg->database_line, cfg->database_col, "%s", err);
	free(err);
	return -1;
}

int cycle_database_check(const struct config *cfg, struct diags *d)
{
	char *err = NULL;
	int rc = 0;

	/* At the `period:` key when there is one, else at `database:`. */
	if (store_check_granularity(cfg->database, cfg->period, &err) != 0) {
		bool p = cfg->period_line > 0;
		diags_add(d, cfg->file, p ? cfg->period_line : cfg->database_line,
		    p ? cfg->period_col : cfg->database_col, "%s",
		    err ? err : "cannot read the database");
		rc = -1;
	}
	free(err);
	if (store_check_path(cfg->database, &err) != 0) {
		diags_add(d, cfg->file, cfg->database_line, cfg->database_col, "%s", err);
		rc = -1;
	} else if (cycle_database_damage(cfg, d) != 0)
		rc = -1;
	free(err);
	err = NULL;
	/* A database's "folder" that is a file can never work. */
	if (store_check_folder(cfg->database, &err) == STORE_ENOTFOLDER) {
		diags_add(d, cfg->file, cfg->database_line, cfg->database_col, "%s", err);
		rc = -1;
	}
	free(err);
	return rc;
}

/* The rule that reads the most periods of values, more than retention.data
 * keeps, added to d: at `retention.data` when it is set, else (the
 * default, 60, short for the weeks of some rules) at the rule. Returns
 * whether there is one. */
static bool retention_short(const struct config *cfg, const struct ruleset *rs,
    struct diags *d)
{
	const struct rule *worst = NULL;
	int32_t need = 0;
	size_t more = 0;
	char others[64] = "";

	for (size_t i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->rules[i];
		int32_t n = rule_periods(r, cfg->period);

		if (!rule_runs_on(r, cfg->period) || n <= cfg->retention.data)
			continue;
		if (worst)
			more++;
		if (n > need) {
			need = n;
			worst = r;
		}
	}
	if (!worst)
		return false;
	if (more)
		snprintf(others, sizeof(others), " (and %zu other rule%s more than %d)",
		    more, more == 1 ? "" : "s", cfg->retention.data);
	if (cfg->retention.data_line > 0)
		diags_add(d, cfg->file, cfg->retention.data_line, cfg->retention.data_col,
		    "retention.data keeps %d period%s of values, but rule \"%s\" "
		    "(%s:%d) reads %d to decide one%s: the next cycle would delete "
		    "the values its alerts stand on, resolve them and tell every "
		    "recipient so; keep at least %d", cfg->retention.data,
		    cfg->retention.data == 1 ? "" : "s", worst->id, worst->file,
		    worst->line, need, others, need);
	else
		diags_add(d, worst->file, worst->line, worst->col, "rule \"%s\" "
		    "reads %d %ss of values to decide one%s, more than retention.data "
		    "keeps (%d, the default): it is never decided once the daemon has "
		    "deleted the older ones; set retention.data to %d or more in %s",
		    worst->id, need, granularity_name(cfg->period), others,
		    cfg->retention.data, need, cfg->file);
	return true;
}

int cycle_retention_check(const struct config *cfg, const struct ruleset *rs,
    struct diags *d)
{
	return cfg->retention.data_line > 0 && retention_short(cfg, rs, d) ? -1 : 0;
}

/* The metrics file is written beside itself and renamed at each cycle: a
 * folder missing or not writable fails every cycle's write. */
static void metrics_warning(const struct config *cfg, struct diags *w)
{
	const char *p = cfg->metrics_file;
	char *dir;
	struct stat sb;

	if (!p)
		return;
	dir = dir_of(p);
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		diags_add(w, cfg->file, cfg->metrics_file_line, cfg->metrics_file_col,
		    "metrics_file: the folder %s does not exist: every cycle would fail "
		    "to write %s (create it; under systemd, give vigied's unit "
		    "ReadWritePaths= to it, see contrib/node_exporter.md)", dir, p);
	else if (access(dir, W_OK | X_OK) != 0)
		diags_add(w, cfg->file, cfg->metrics_file_line, cfg->metrics_file_col,
		    "metrics_file: the folder %s is not writable by this user (uid %ld): "
		    "every cycle would fail to write %s", dir, (long)geteuid(), p);
	free(dir);
}

/* A folder that is missing or that this user cannot write in, a database
 * this user cannot write (the daemon refuses it at start) or one that
 * others may read (a restored backup), is a warning:
 * systemd creates the state directory when vigied.service starts
 * (StateDirectory=), after the README's vigied --check, and whoever runs
 * the check (root, HR checking rules) need not be the daemon's user. */
static void folder_warning(const struct config *cfg, struct diags *w)
{
	char *err = NULL;
	int f = store_check_folder(cfg->database, &err);

	if (f == STORE_ENOFOLDER || f == STORE_EFOLDERPERM || f == STORE_EFILEPERM)
		diags_add(w, cfg->file, cfg->database_line, cfg->database_col, "%s", err);
	free(err);
	if (store_check_private(cfg->database, &err) != 0)
		diags_add(w, cfg->file, cfg->database_line, cfg->database_col, "%s", err);
	free(err);
}

/* The works council report counts a rule's alerts under its `theme`
 * label; a theme it does not know is a row of its own, under the word as
 * written ("climate"), and no label at all is « Autres »: a typo would
 * put a raw word in front of the works council. */
static void theme_warning(const struct ruleset *rs, struct diags *w)
{
	const char *ids[16], *near;
	size_t n = wording_theme_ids(ids, 16), len = 0;
	char list[256];

	list[0] = '\0';
	for (size_t j = 0; j < n && len < sizeof(list); j++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
		    j ? ", " : "", ids[j]);
	for (size_t i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->rules[i];

		for (size_t k = 0; k < r->nlabels; k++) {
			const char *t = r->labels[k].value;
			size_t j;

			if (strcmp(r->labels[k].key, "theme"))
				continue;
			for (j = 0; j < n && strcmp(ids[j], t); j++)
				;
			if (j < n)
				continue;
			near = closest_word(t, ids, n);
			diags_add(w, r->file, r->line, r->col, "rule \"%s\": the theme label "
			    "\"%s\" is none of the works council report's (%s): its alerts "
			    "would be counted there under that word as written%s%s%s", r->id,
			    t, list, near ? " (did you mean \"" : "", near ? near : "",
			    near ? "\"?)" : "");
		}
	}
}

/* A rule's min_headcount below the floor of `from` changes nothing (SPEC
 * 3: a rule raises the floor, never lowers it); its author, who meant a
 * lower one, is told which applies. */
static void floor_warning(int floor, const char *from, const struct ruleset *rs,
    struct diags *w)
{
	for (size_t i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->rules[i];

		if (r->min_headcount && r->min_headcount < floor)
			diags_add(w, r->file, r->min_headcount_line, r->min_headcount_col,
			    "rule \"%s\": min_headcount %d is below the anonymity floor "
			    "of %s (%d), which applies: a rule can raise the floor, never "
			    "lower it", r->id, r->min_headcount, from, floor);
	}
}

/* Prints warnings to out, else logs them, one line each. */
static void say_warnings(const struct diags *w, FILE *out)
{
	if (!w->n)
		return;
	if (out)
		diags_print(w, out, 0);
	else
		log_diag_lines(LOG_WARNING, w, 0);
}

/* The units imported in the database at path (NULL: none) and their
 * ancestors (unit_closure): what scopes are checked against. Free with
 * store_names_free. */
static size_t known_units(const char *database, char ***units)
{
	char **stored = NULL;
	size_t n = 0, k;

	if (database)
		store_unit_names(database, &stored, &n);
	k = unit_closure(stored, n, units);
	store_names_free(stored, n);
	return k;
}

/* cycle_rules_warnings, with the known units read once by the caller;
 * cfg NULL: the default configuration (no role defined). */
static void rules_warnings(const struct ruleset *rs, const char *const *paths,
    size_t npaths, const struct rule_policy *policy, const struct config *cfg,
    char *const *units, size_t nunits, struct diags *w)
{
	const char *database = cfg ? cfg->database : NULL;
	char **stored = NULL, **roles = NULL;
	size_t n = 0, nroles = cfg ? cfg->nroles : 0;

	for (size_t i = 0; i < rs->warnings.n; i++) {
		const struct diag *g = &rs->warnings.v[i];
		diags_add(w, g->file, g->line, g->col, "%s", g->msg);
	}
	if (cfg)	/* without one, the database's granularity is not known */
		ruleset_check_period(rs, cfg->period, w);
	if (nroles) {
		roles = xcalloc(nroles, sizeof(*roles));
		for (size_t i = 0; i < nroles; i++)
			roles[i] = cfg->roles[i].name;
	}
	ruleset_check_guidance(rs, policy->default_notify,
	    policy->ndefault_notify, roles, nroles, w);
	free(roles);
	theme_warning(rs, w);
	for (size_t i = 0; i < npaths; i++)
		ruleset_check_folder(paths[i], w);
	if (database)
		store_indicator_names(database, &stored, &n);
	ruleset_check_indicators(rs, stored, n, w);
	ruleset_check_unimported(rs, stored, n, w);
	store_names_free(stored, n);
	ruleset_check_scopes(rs, units, nunits, w);
}

void cycle_rules_warnings(const struct ruleset *rs, const char *const *paths,
    size_t npaths, const struct rule_policy *policy, const struct config *cfg,
    struct diags *w)
{
	const char *database = cfg ? cfg->database : NULL;
	char **units;
	size_t n = known_units(database, &units);

	floor_warning(cfg ? cfg->min_headcount : CONFIG_DEFAULT_MIN_HEADCOUNT,
	    cfg ? cfg->file : "the default configuration", rs, w);
	/* The files named are checked against the configuration's roles
	 * too, as the rules folder is. */
	if (cfg)
		route_undefined_roles(cfg, rs, w);
	rules_warnings(rs, paths, npaths, policy, cfg, units, n, w);
	store_names_free(units, n);
}

void cycle_warnings(const struct config *cfg, const struct ruleset *rs, FILE *out)
{
	struct diags w = { .kind = "warning" };
	char **units;
	size_t n = known_units(cfg->database, &units);

	say_warnings(&cfg->warnings, out);
	folder_warning(cfg, &w);
	metrics_warning(cfg, &w);
	route_undefined_roles(cfg, rs, &w);
	route_check_scopes(cfg, units, n, &w);
	floor_warning(cfg->min_headcount, cfg->file, rs, &w);
	if (cfg->retention.data_line == 0)	/* else an error */
		retention_short(cfg, rs, &w);
	struct rule_policy policy = config_rule_policy(cfg);
	const char *paths[] = { cfg->rules };
	rules_warnings(rs, paths, 1, &policy, cfg, units, n, &w);
	store_names_free(units, n);
	say_warnings(&w, out);
	diags_free(&w);
}
