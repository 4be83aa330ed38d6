/* `vigie check [-c CONFIG] [RULEFILE...]` (SPEC 10): validates the rule files
 * named on the command line, or the configuration and the rules it names.
 * Every error is printed, not just the first, so one run shows everything
 * to fix; exit 1 when there is any, 0 with a one-line summary otherwise.
 * The rules are checked against the configuration too (confidential
 * indicators, SPEC 3): named files against the configuration that -c or
 * $VIGIE_CONFIG names, else against the documented defaults (a user who
 * checks a file may not be able to read the installed configuration). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "vigie/cli.h"
#include "vigie/cycle.h"
#include "vigie/report.h"
#include "vigie/rules.h"
#include "vigie/xalloc.h"

static void print_ok(const struct ruleset *rs, const char *const *paths,
    size_t n, size_t warnings)
{
	printf("ok: %zu rule%s in %zu file%s", rs->n, rs->n == 1 ? "" : "s",
	    rs->nfiles, rs->nfiles == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++)
		printf("%s%s", i ? ", " : " (", paths[i]);
	printf("%s", n ? ")" : "");
	if (warnings)
		printf(", with %zu warning%s on standard error", warnings,
		    warnings == 1 ? "" : "s");
	printf("\n");
}

/* Prints d's errors, then what a reader of a long list wants last: how
 * many, in which files, and that warnings wait for them (a rule set that
 * does not load is not checked further). Returns 1, check's status. */
static int print_failed(const struct diags *d)
{
	size_t nfiles = 0, errors = d->n + d->more;

	diags_print(d, stderr, 0);
	fprintf(stderr, "vigie check: %zu error%s", errors, errors == 1 ? "" : "s");
	for (size_t i = 0; i < d->n; i++) {
		size_t j = 0;

		while (j < i && strcmp(d->v[j].file, d->v[i].file))
			j++;
		if (j == i)
			fprintf(stderr, "%s%s", nfiles++ ? ", " : " in ", d->v[i].file);
	}
	fprintf(stderr, "; fix %s, then run vigie check again: warnings are "
	    "looked for in a rule set that loads\n", errors == 1 ? "it" : "them");
	return 1;
}

/* The confidential indicators of SPEC 3 are checked against cfg's roles,
 * or the defaults without a configuration. */
static struct rule_policy policy_of(const struct config *cfg)
{
	static char *const roles[] = { "social-worker" };
	static char *const dflt[] = { "social-worker", "hr" };

	if (cfg)
		return config_rule_policy(cfg);
	return (struct rule_policy){ roles, 1, dflt, 2, true, LOC_FR };
}

int cmd_check(int argc, char **argv)
{
	const struct cli_spec spec = {
		"usage: vigie check [-c CONFIG] [RULEFILE...]\n\n"
		"Validates rule files (each a file or a folder of *.yaml files) when\n"
		"some are named, else the configuration and the rules it names.\n"
		"Prints every error as FILE:LINE:COLUMN: error: MESSAGE.\n\n"
		"  -c, --config CONFIG  configuration file (default $VIGIE_CONFIG or "
		CONFIG_DEFAULT_PATH ")\n"
		"  -h, --help           this help\n\n"
		"Exit status: 0 valid, 1 errors found, 64 usage error.\n",
		NULL, false, -1,
	};
	struct cli_args a;
	struct ruleset *rs;
	struct diags d = { 0 };
	int ex;

	if ((ex = cli_parse(argc, argv, &spec, &a)) >= 0)
		return ex;
	if (a.npos > 0) {
		/* Rule files alone: no configuration is needed to check them,
		 * but the one named is used. */
		const char *const *paths = (const char *const *)a.pos;
		const char *env = getenv("VIGIE_CONFIG");
		struct config *cfg = NULL;
		if ((a.config || (env && *env)) &&
		    !(cfg = cli_load_config(a.config, &ex)))
			return 1;
		struct rule_policy policy = policy_of(cfg);

		rs = ruleset_load_paths(paths, (size_t)a.npos, &policy, &d);
		if (!rs) {
			config_free(cfg);
			print_failed(&d);
			diags_free(&d);
			return 1;
		}
		struct diags w = { .kind = "warning" };
		cycle_rules_warnings(rs, paths, (size_t)a.npos, &policy, cfg, &w);
		diags_print(&w, stderr, 0);
		config_free(cfg);
		print_ok(rs, paths, (size_t)a.npos, w.n + w.more);
		diags_free(&w);
		ruleset_free(rs);
		return 0;
	}

	/* SPEC 10 promises 0 or 1: a missing or invalid configuration is one of
	 * the problems check reports, not a different exit status. */
	bool valid = true;
	struct config *cfg = NULL;
	const char *cpath = config_path(a.config);
	struct stat sb;

	if (stat(cpath, &sb) != 0) {
		/* cli_load_config's words for a missing file */
		cfg = cli_load_config(a.config, &ex);
		config_free(cfg);
		return 1;
	}
	cfg = config_load_anyway(cpath, &d, &valid);
	if (!cfg) {
		print_failed(&d);
		diags_free(&d);
		return 1;
	}
	/* What the configuration names is checked with it: the report's
	 * indicators file, and a database of the other granularity. */
	if (report_indicators_check(cfg, &d) != 0)
		valid = false;
	if (cycle_database_check(cfg, &d) != 0)
		valid = false;
	struct rule_policy policy = policy_of(cfg);
	struct rule_policy texts = config_rule_texts(cfg);

	/* An invalid configuration's roles are not to be trusted. */
	rs = ruleset_load(cfg->rules, valid ? &policy : &texts, &d);
	if (rs && (!valid || cycle_retention_check(cfg, rs, &d) != 0)) {
		ruleset_free(rs);	/* its errors are d's: reported below */
		rs = NULL;
	}
	if (!rs) {
		print_failed(&d);
		diags_free(&d);
		config_free(cfg);
		return 1;
	}
	/* Counted for the summary line, printed as they come. */
	char *wbuf = NULL;
	size_t wlen = 0, nw = 0;
	FILE *wf = open_memstream(&wbuf, &wlen);

	if (!wf)
		xalloc_die();
	report_warnings(cfg, rs, wf);
	fclose(wf);
	fputs(wbuf, stderr);
	for (const char *p = wbuf; (p = strstr(p, ": warning: ")); p++)
		nw++;
	free(wbuf);
	const char *rp = cfg->rules;
	print_ok(rs, &rp, 1, nw);
	ruleset_free(rs);
	config_free(cfg);
	return 0;
}
