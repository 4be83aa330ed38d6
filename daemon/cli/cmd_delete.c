/* `vigie delete --period P [--unit GLOB] [--indicator X]` (SPEC 4, 10):
 * removes stored values, the way out of a mistyped period (a 2062-10 that
 * became "the latest period" and silenced every rule) or a wrong export.
 * All or nothing, in one transaction with its record in the import log
 * (the daemon evaluates again) and in the audit log (who, from the process
 * credentials). --dry-run counts and writes nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "vigie/cli.h"
#include "vigie/importcheck.h"
#include "vigie/osuser.h"
#include "vigie/store_audit.h"
#include "vigie/unit.h"
#include "vigie/xalloc.h"

static bool valid_indicator(const char *s)
{
	if (!(*s >= 'a' && *s <= 'z') || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

/* delete_check_late's units on stderr, the first 20 of them by name. */
static void warn_small(const char *cmd, const char *period, char **units, size_t n)
{
	for (size_t i = 0; i < n && i < 20; i++)
		fprintf(stderr, "vigie %s: warning: %s is under the anonymity floor at %s, a "
		    "period Vigie has already evaluated, and the removal leaves values to "
		    "the units that hold it: their figures of that period move by as much, "
		    "which gives the team's away to whoever compares them before and after "
		    "(SPEC 3); remove a small team's values only when they are wrong\n",
		    cmd, units[i], period);
	if (n > 20)
		fprintf(stderr, "vigie %s: warning: and %zu more units under the floor\n",
		    cmd, n - 20);
}

/* delete_check_uncover's unit shown on stderr (one whose values the
 * removal takes is warn_hidden's). */
static void warn_uncovered(const char *cmd, const char *period, const char *unit,
    const char *beside, bool removed)
{
	if (unit && !removed)
		fprintf(stderr, "vigie %s: warning: %s is hidden at %s beside a team under "
		    "the anonymity floor, and the removal hides another unit in its place "
		    "and shows its figures: beside the figures shown before, that gives "
		    "%s's away to whoever compares them (SPEC 3); remove values of a "
		    "period already evaluated only when they are wrong\n", cmd, unit,
		    period, beside);
}

/* delete_check_hidden's cell on stderr, with why it is hidden, unless
 * warn_small said it (a team under the floor). */
static void warn_hidden(const char *cmd, const char *period,
    const struct hidden_given *g, char **small, size_t nsmall, double dominance)
{
	const char *who = !g->beside ? NULL : g->beside_why == HIDDEN_FLOOR ?
	    "a team under the anonymity floor" : g->beside_why == HIDDEN_DOMINATED ?
	    "hidden as one person's" : "both hidden so that a smaller figure is not "
	    "told by subtraction";

	if (!g->unit)
		return;
	for (size_t i = 0; g->why == HIDDEN_FLOOR && i < nsmall; i++)
		if (!strcmp(small[i], g->unit))
			return;
	fprintf(stderr, "vigie %s: warning: %s's %s is hidden at %s", cmd, g->unit,
	    g->indicator, period);
	if (g->why == HIDDEN_FLOOR)
		fputs(", under the anonymity floor", stderr);
	else if (g->why == HIDDEN_DOMINATED)
		fprintf(stderr, " as one person's (its %s_max over %g times it)",
		    g->indicator, dominance);
	else if (g->beside)
		fprintf(stderr, " beside %s, %s", g->beside, who);
	fputs(", and the removal moves its parent's figures by its own: that gives "
	    "it away to whoever compares them before and after", stderr);
	if (g->beside)
		fprintf(stderr, ", and beside the figures shown before, %s's too", g->beside);
	fputs(" (SPEC 3); remove values of a period already evaluated only when "
	    "they are wrong\n", stderr);
}

int cmd_delete(int argc, char **argv)
{
	const char *parg = NULL, *unit = NULL, *ind = NULL;
	bool dry = false;
	const struct cli_opt opts[] = {
		{ "period", 0, &parg, NULL }, { "unit", 0, &unit, NULL },
		{ "indicator", 0, &ind, NULL }, { "dry-run", 'n', NULL, &dry }, { 0 },
	};
	const struct cli_spec spec = {
		"usage: vigie delete [-c CONFIG] --period PERIOD [--unit GLOB] "
		"[--indicator NAME] [--dry-run] [--format text|json]\n"
		"Removes the stored values of PERIOD (of the units matching GLOB, of\n"
		"indicator NAME; default: all), all or nothing. Recorded in the import\n"
		"log (the daemon evaluates again) and in the audit log. At a period\n"
		"already evaluated, warns about the hidden figures the removal would\n"
		"give away: of a team under the anonymity floor, of one person's\n"
		"(dominance), of a unit hidden beside them.\n"
		"\n"
		"  -n, --dry-run      count what would be removed, write nothing\n"
		"JSON: {period, unit, indicator, values, dry_run}.\n"
		"\n"
		"Exit status: 0 done (also when nothing matched), 64 usage, 74 database\n"
		"error, 78 bad configuration.\n",
		opts, true, 0,
	};
	struct cli_args a;
	struct config *cfg;
	struct store *st;
	enum granularity g;
	int32_t p;
	size_t errpos, n = 0;
	const char *msg;
	char *what = NULL, *object = NULL, *actor = NULL, **small = NULL, *uncovered = NULL, *beside = NULL;
	size_t nsmall = 0;
	bool removed = false;
	struct hidden_given hid = { 0 };
	int ex;

	if ((ex = cli_parse(argc, argv, &spec, &a)) >= 0)
		return ex;
	if (!parg)
		return cli_usage_error(argv[0], "--period is required");
	if ((ex = cli_period(argv[0], "--period", parg, &g, &p)))
		return ex;
	if (unit && (msg = unit_glob_check(unit, &errpos)))
		return cli_usage_error(argv[0], "--unit '%s': %s at byte %zu", unit,
		    msg, errpos + 1);
	if (ind && !valid_indicator(ind))
		return cli_usage_error(argv[0], "--indicator '%s' is not an indicator "
		    "name (a-z, 0-9 and _, starting with a letter)", ind);
	if ((ex = cli_open_all(&a, &cfg, &st)))
		return ex;
	if (g != store_granularity(st)) {
		ex = cli_usage_error(argv[0], "--period '%s' is a %s, but this database "
		    "holds %ss", parg, granularity_name(g),
		    granularity_name(store_granularity(st)));
		goto out;
	}
	if (delete_check_late(st, p, unit ? unit_glob_keeps : NULL, unit, ind,
	    cfg->min_headcount, &small, &nsmall) != 0 ||
	    delete_check_uncover(st, p, unit ? unit_glob_keeps : NULL, unit, ind,
	    cfg->min_headcount, cfg->dominance, &uncovered, &beside, &removed) != 0 ||
	    delete_check_hidden(st, p, unit ? unit_glob_keeps : NULL, unit, ind,
	    cfg->min_headcount, cfg->dominance, false, &hid) != 0)
		goto dberr;
	object = xasprintf("--period %s%s%s%s%s", parg, unit ? " --unit " : "",
	    unit ? unit : "", ind ? " --indicator " : "", ind ? ind : "");
	what = xasprintf("vigie delete %s", object);
	actor = osuser_name();
	if (store_begin(st) != 0 ||
	    store_delete_values(st, p, unit, ind, what,
	    &(struct import_origin){ actor, "cli", NULL }, dry, &n) != 0)
		goto dberr;
	if (!dry && n) {
		if (store_audit_add(st, actor, "cli", "delete", object, NULL,
		    (int64_t)time(NULL)) != 0 || store_commit(st) != 0)
			goto dberr;
	}
	store_rollback(st);	/* a dry run, or nothing matched: nothing to keep */
	warn_small(argv[0], parg, small, nsmall);
	warn_hidden(argv[0], parg, &hid, small, nsmall, cfg->dominance);
	warn_uncovered(argv[0], parg, uncovered, beside, removed);
	if (a.format == FMT_JSON)
		cli_print_json(json_pack("{s:s, s:o, s:o, s:I, s:b}", "period", parg,
		    "unit", unit ? json_string(unit) : json_null(),
		    "indicator", ind ? json_string(ind) : json_null(),
		    "values", (json_int_t)n, "dry_run", dry));
	else if (n == 0)
		printf("nothing to delete: no stored value of %s matches\n", parg);
	else
		printf("%s %zu value%s of %s%s%s%s%s\n", dry ? "would delete" : "deleted",
		    n, n == 1 ? "" : "s", parg, unit ? " for units " : "", unit ? unit : "",
		    ind ? ", indicator " : "", ind ? ind : "");
	goto out;
dberr:
	ex = cli_db_error(argv[0], st);
	store_rollback(st);
out:
	store_names_free(small, nsmall);
	hidden_given_free(&hid);
	free(uncovered);
	free(beside);
	free(object);
	free(what);
	free(actor);
	cli_close_all(cfg, st);
	return ex;
}
