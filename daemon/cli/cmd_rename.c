/* `vigie rename FROM TO`: a team renamed or moved by a reorganisation keeps
 * its history (store_rename_units, store.h). Without it, the export's new
 * path is a new team, which the rules, reading 27 months of a unit, watch
 * only two years later, and the old one lingers among the units without
 * the latest period. All or nothing, in one transaction with its record in
 * the import log (the daemon evaluates again) and in the audit log.
 * --merge adds two merged teams' values up; --dry-run counts and writes
 * nothing. A rename that would let a hidden figure be worked out from the
 * figures already shown is refused (SPEC 3, vigie/moves.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include "vigie/cli.h"
#include "vigie/osuser.h"
#include "vigie/renamecheck.h"
#include "vigie/store_audit.h"
#include "vigie/unit.h"
#include "vigie/xalloc.h"
#include "today.h"

static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

/* The usage error for a FROM or TO that is no unit path, or one within
 * the other; NULL when they are fine. */
static int check_paths(const char *cmd, const char *from, const char *to)
{
	const char *names[2] = { from, to }, *msg;
	size_t pos;

	for (int i = 0; i < 2; i++)
		if ((msg = unit_path_check(names[i], strlen(names[i]), &pos)))
			return cli_usage_error(cmd, "'%s' is not a unit path: %s at byte %zu",
			    names[i], msg, pos + 1);
	if (!strcmp(from, to))
		return cli_usage_error(cmd, "'%s' is already its name", from);
	if (unit_is_under(to, from) || unit_is_under(from, to))
		return cli_usage_error(cmd, "'%s' and '%s': one is within the other; "
		    "a unit moves beside or under another, not into its own path", from, to);
	return 0;
}

/* Says why a rename would give a hidden figure away (SPEC 3). */
static void say_reveal(const struct reveal *rv, enum granularity g)
{
	char per[PERIOD_BUFSZ];

	period_format(g, rv->period, per);
	fprintf(stderr, "vigie rename: %s's %s for %s is hidden (under the anonymity "
	    "floor, or beside a smaller team): %s: nothing renamed (data imported "
	    "under the new path start a history of their own there; the past stays "
	    "under the old one, hidden as before)\n", rv->unit, rv->indicator, per,
	    rv->how == REVEAL_MERGED ? "the merged sum, beside the figures already "
	    "shown, would give it away" : rv->how == REVEAL_MOVED ? "moved to another "
	    "parent, it would change its old and new parents' figures by its value, "
	    "which whoever compares them before and after would learn" : "the units "
	    "hidden beside it to protect a smaller one would change, and it would be "
	    "shown");
}

/* A route of the configuration whose scope holds from and not to: its
 * alerts go to another route now (a file the command does not write). */
static void routes_left(const struct config *cfg, const char *from, const char *to)
{
	for (size_t i = 0; i < cfg->nroles; i++)
		for (size_t j = 0; j < cfg->roles[i].nroutes; j++) {
			const struct route_config *rc = &cfg->roles[i].routes[j];

			for (size_t g = 0; g < rc->nscope; g++)
				if (unit_glob_match(rc->scope[g], from) &&
				    !unit_glob_match(rc->scope[g], to))
					fprintf(stderr, "vigie rename: warning: %s:%d:%d: "
					    "recipients: %s: the scope \"%s\" held %s, not %s: "
					    "write the new path there, then reload vigied\n",
					    cfg->file, rc->scope_at ? rc->scope_at[g].line : 0,
					    rc->scope_at ? rc->scope_at[g].col : 0,
					    cfg->roles[i].name, rc->scope[g], from, to);
		}
}

int cmd_rename(int argc, char **argv)
{
	bool dry = false, merge = false;
	const struct cli_opt opts[] = { { "dry-run", 'n', NULL, &dry },
		{ "merge", 0, NULL, &merge }, { 0 } };
	const struct cli_spec spec = {
		"usage: vigie rename [-c CONFIG] FROM TO [--merge] [--dry-run] [--format text|json]\n"
		"Gives the stored unit FROM, and every unit under it, the path TO (with\n"
		"the same suffix): their values, alerts and notes, and the silences whose\n"
		"pattern begins with FROM. A unit already stored at TO takes FROM's\n"
		"values, unless both have one for the same indicator and period. Recorded\n"
		"in the import log (the daemon evaluates again) and in the audit log.\n"
		"\n"
		"      --merge        two teams merged into one: where both have a value,\n"
		"                     TO gets their sum (as their parent had it)\n"
		"  -n, --dry-run      count what would move, write nothing\n"
		"JSON: {from, to, units, values, summed, alerts, notes, silences,\n"
		"silences_left, dry_run}.\n"
		"\n"
		"Exit status: 0 done, 64 usage, 65 no unit FROM, or a value at both\n"
		"paths, 74 database error, 78 bad configuration.\n",
		opts, true, 2,
	};
	struct cli_args a;
	struct config *cfg;
	struct store *st;
	struct rename_stats s = { 0 };
	struct today td = { 0 };
	struct reveal rv;
	char *object = NULL, *actor = NULL, detail[96];
	const char *from, *to;
	int ex, rc;

	if ((ex = cli_parse(argc, argv, &spec, &a)) >= 0)
		return ex;
	if (a.npos != 2)
		return cli_usage_error(argv[0], "FROM and TO are required");
	from = a.pos[0];
	to = a.pos[1];
	if ((ex = check_paths(argv[0], from, to)))
		return ex;
	if ((ex = cli_open_all(&a, &cfg, &st)))
		return ex;
	if ((ex = today_load(argv[0], cfg, st, false, &td)))
		goto out;
	object = xasprintf("%s %s", from, to);
	actor = osuser_name();
	if (store_begin(st) != 0 || (rc = rename_checked(st, cfg, td.rs, td.s, td.cells,
	    from, to, &(struct import_origin){ actor, "cli", NULL }, merge ? RENAME_SUM : 0,
	    &s, &rv)) < 0)
		goto dberr;
	if (rc >= 1 || !s.units) {
		if (rc == 2)
			say_reveal(&rv, td.s->gran);
		else if (rc == 1)
			fprintf(stderr, "vigie rename: %s: nothing renamed%s\n", s.conflict,
			    s.why == RENAME_CLASH ? " (two teams merged into one: --merge "
			    "adds their values)" : "");
		else
			fprintf(stderr, "vigie rename: no unit %s is stored (vigie status "
			    "lists them)\n", from);
		store_rollback(st);
		ex = EX_DATAERR;
		goto out;
	}
	rename_stats_detail(&s, detail, sizeof(detail));
	if (!dry && (store_audit_add(st, actor, "cli", "rename", object, detail,
	    (int64_t)time(NULL)) != 0 || store_commit(st) != 0))
		goto dberr;
	store_rollback(st);	/* a dry run: nothing to keep */
	if (a.format == FMT_JSON)
		cli_print_json(json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:b}",
		    "from", from, "to", to, "units", (json_int_t)s.units,
		    "values", (json_int_t)s.values, "summed", (json_int_t)s.summed,
		    "alerts", (json_int_t)s.alerts,
		    "notes", (json_int_t)s.notes, "silences", (json_int_t)s.silences,
		    "silences_left", (json_int_t)s.silences_left,
		    "accounts", (json_int_t)s.accounts, "dry_run", dry));
	else
		printf("%s %s to %s: %zu unit%s, %s, %zu alert%s, %zu note%s,"
		    " %zu silence%s%s%.0zu%s\n", dry ? "would rename" : "renamed", from,
		    to, s.units, plural(s.units), detail, s.alerts, plural(s.alerts),
		    s.notes, plural(s.notes), s.silences, plural(s.silences),
		    s.accounts ? ", " : "", s.accounts, !s.accounts ? "" :
		    s.accounts == 1 ? " account" : " accounts");
	routes_left(cfg, from, to);
	/* A pattern such as acme/ * /night held the old path and not the new:
	 * renaming it is the user's choice, not a guess of ours. */
	if (s.silences_left)
		fprintf(stderr, "vigie rename: warning: %zu silence%s held %s by a "
		    "pattern that does not hold %s: vigie silences lists them\n",
		    s.silences_left, plural(s.silences_left), from, to);
	goto out;
dberr:
	ex = cli_db_error(argv[0], st);
	store_rollback(st);
out:
	today_free(&td);
	rename_stats_free(&s);
	free(object);
	free(actor);
	cli_close_all(cfg, st);
	return ex;
}
