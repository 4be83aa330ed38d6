/* `vigie import [-c CONFIG] [--dry-run] FILE...` (SPEC 4). Every file is
 * read and validated before anything is written: a missing file exits 66
 * and a bad one 65, and in both cases the database is untouched. Then each
 * file is imported in its own transaction, all or nothing, and gets one
 * summary line. A database of the other granularity exits 78 before the
 * files are validated, read-only. A file that writes a renamed unit's old
 * path at a period its new path covers is bad too (importcheck.h,
 * import_check_renamed): checked against the database before any write.
 * --dry-run stops after validation and never writes to the database nor
 * creates it. An X_max above its X is
 * a warning printed as FILE:LINE:COLUMN, with --dry-run too; it changes
 * neither the import nor the exit status. So are the mistakes that need
 * the database (importcheck.h), checked against what is stored before each
 * file, read only with --dry-run; a headcount that another file of the
 * command brings, before or after it, counts as there. The file that
 * brings the command's latest period is warned when that moves the stored
 * latest period to one that ended long ago: a history imported a month at
 * a time is notified a month at a time (importcheck.h,
 * import_check_backfill). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "vigie/cli.h"
#include "vigie/csv.h"
#include "vigie/importcheck.h"
#include "vigie/osuser.h"
#include "vigie/store.h"
#include "vigie/xalloc.h"

static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

struct input {
	const char *path;
	char *buf;
	size_t len;
	char sha[65];
	struct import_batch batch;
	struct diags logged;	/* its warnings in the console's language,
				 * for the import log */
};

static void inputs_free(struct input *in, int n)
{
	for (int i = 0; i < n; i++) {
		diags_free(&in[i].logged);
		free(in[i].buf);
		import_batch_free(&in[i].batch);
	}
	free(in);
}

/* The warnings that need the database (importcheck.h) about in, against
 * what st has stored (NULL: nothing) and the other files of the command:
 * a headcount that one of them brings is not missing. */
static void check_known(struct store *st, struct input *in,
    const struct import_batch *const *all, int nin, const struct config *cfg,
    struct diags *known)
{
	import_check_names(st, in->path, &in->batch, known);
	import_check_late(st, in->path, &in->batch, cfg->min_headcount, NULL, known);
	import_check_dominated(st, in->path, &in->batch, cfg->min_headcount,
	    cfg->dominance, NULL, known);
	import_check_uncover(st, in->path, &in->batch, cfg->min_headcount, cfg->dominance,
	    known);
	import_check_values(st, in->path, &in->batch, all, (size_t)nin, NULL, known);
	import_check_retention(st, in->path, &in->batch, all, (size_t)nin,
	    cfg->retention.data, known);
}

/* What importing b would do to what is stored (st NULL: nothing is yet,
 * every value would be added): 0, or -1 when it cannot be read (the line
 * then says the counts of the file only). */
static int dry_count(struct store *st, const struct import_batch *b,
    struct import_stats *c)
{
	if (!st) {
		*c = (struct import_stats){ .rows = b->rows, .values = b->nrecs,
			.added = b->nrecs };
		return 0;
	}
	return store_import_count(st, b, NULL, c);
}

int cmd_import(int argc, char **argv)
{
	bool dry = false;
	const struct cli_opt opts[] = { { "dry-run", 'n', NULL, &dry }, { 0 } };
	const struct cli_spec spec = {
		"usage: vigie import [-c CONFIG] [--dry-run] [--format text|json] FILE...\n"
		"\n"
		"Imports CSV files of indicators (wide form unit,period,IND1,IND2,...\n"
		"or long form unit,period,indicator,value; ',' ';' or tab delimited).\n"
		"Each file is imported all or nothing; a value already stored for the\n"
		"same unit, period and indicator is replaced.\n"
		"\n"
		"  -c, --config FILE  configuration (default $VIGIE_CONFIG or "
		CONFIG_DEFAULT_PATH ")\n"
		"  -n, --dry-run      validate and count, write nothing\n"
		"      --format json  an array of {file, rows, values, added, replaced,\n"
		"                     unchanged}, or {file, rows, values, dry_run}\n"
		"  -h, --help         show this help\n"
		"\n"
		"A period after the current one (by the system clock) is an error;\n"
		"so is a unit's old path (vigie rename) at a period its new path has\n"
		"values for: the team would be counted twice.\n"
		"A companion X_max (largest single contribution to X) greater than\n"
		"X for the same unit and period in the file is a warning on stderr\n"
		"(FILE:LINE:COLUMN of the X_max cell); the file is imported anyway.\n"
		"So are, against the database, a new indicator close to a known name\n"
		"and a new unit a small edit away from a stored sibling, a leaf\n"
		"unit with values but no headcount at a period, in the files named\n"
		"or stored, a unit under the anonymity floor whose values of a\n"
		"period already evaluated the file changes, and a file that changes\n"
		"which unit is hidden beside such a one at such a period, and an\n"
		"import that moves the latest period, once evaluated, to one that\n"
		"ended more than 3 months ago (a history sent a month at a time\n"
		"is notified a month at a time: import it at once).\n"
		"\n"
		"Exit status: 0 imported, 65 a file has errors or is larger than\n"
		"max_import_size (nothing written),\n"
		"66 a file is missing or unreadable (nothing written), 74 database error,\n"
		"78 bad configuration.\n",
		opts, true, -1,
	};
	struct cli_args a;
	int ex = 0, nin;
	struct config *cfg;
	struct input *in;
	struct store *st = NULL;
	json_t *done = NULL;	/* --format json: the files' objects */
	const struct import_batch **all = NULL;
	char *actor = NULL;
	size_t top;		/* the file that brings the latest period */
	int32_t now, before;	/* the current period; the latest evaluated */

	if ((ex = cli_parse(argc, argv, &spec, &a)) >= 0)
		return ex;
	ex = 0;
	nin = a.npos;
	if (nin <= 0)
		return cli_usage_error(argv[0], "no file to import");
	if (!(cfg = cli_load_config(a.config, &ex)))
		return ex;
	in = xcalloc((size_t)nin, sizeof(*in));

	/* Read everything first: a missing file stops before any write. */
	for (int i = 0; i < nin; i++) {
		in[i].path = a.pos[i];
		in[i].buf = read_file_max(in[i].path, (size_t)cfg->max_import_size,
		    &in[i].len);
		if (!in[i].buf && errno == EFBIG) {
			fprintf(stderr, "vigie import: %s is larger than max_import_size "
			    "(%lld bytes): split it or raise max_import_size in %s\n",
			    in[i].path, cfg->max_import_size, cfg->file);
			if (!ex)
				ex = EX_DATAERR;
		} else if (!in[i].buf) {
			fprintf(stderr, "vigie import: cannot read %s: %s\n", in[i].path,
			    strerror(errno));
			ex = EX_NOINPUT;
		}
	}
	if (ex)
		goto out;
	/* A database of the other granularity is the configuration's
	 * problem, not the files' (whose periods it would all reject). */
	{
		char *err = NULL;

		if (store_check_granularity(cfg->database, cfg->period, &err) != 0) {
			fprintf(stderr, "vigie: %s\n", err);
			free(err);
			ex = EX_CONFIG;
			goto out;
		}
	}

	/* Validate every file; print each one's errors (at most 20 each). */
	for (int i = 0; i < nin; i++) {
		struct diags d = { 0 }, w = { .also = &in[i].logged };

		in[i].logged.fr = cfg->locale == LOC_FR;
		if (csv_parse_warn(in[i].path, in[i].buf, in[i].len, cfg->period,
		    period_current(cfg->period, (int64_t)time(NULL)), &in[i].batch,
		    &d, &w) != 0) {
			diags_print(&d, stderr, CSV_MAX_ERRORS);
			ex = EX_DATAERR;
		}
		/* An X_max above its X: said, and imported all the same
		 * (SPEC 4 does not make it an error). */
		diags_print(&w, stderr, CSV_MAX_ERRORS);
		diags_free(&w);
		diags_free(&d);
		sha256_hex(in[i].buf, in[i].len, in[i].sha);
		free(in[i].buf);	/* the batch holds all we need */
		in[i].buf = NULL;
	}
	if (ex) {
		fprintf(stderr, "vigie import: nothing was imported\n");
		goto out;
	}

	/* Validated against what is stored too, every file before any is
	 * written: an old path at a period its new one covers (exit 65). */
	if (dry) {
		/* What is stored, read only: nothing is created nor written. */
		char *err;

		if (store_open_readonly(cfg->database, &st, &err) < 0) {
			/* The import would stop there: so does its rehearsal. */
			fprintf(stderr, "vigie: %s\n", err);
			free(err);
			ex = EX_IOERR;
			goto out;
		}
	} else if ((ex = cli_open_store(NULL, cfg, &st)) != 0) {
		goto out;
	}
	for (int i = 0; i < nin; i++) {
		struct diags d = { 0 };

		if (import_check_renamed(st, in[i].path, &in[i].batch, &d)) {
			diags_print(&d, stderr, CSV_MAX_ERRORS);
			ex = EX_DATAERR;
		}
		diags_free(&d);
	}
	if (ex) {
		fprintf(stderr, "vigie import: nothing was imported\n");
		goto out;
	}

	/* Kept until the end: a file's headcount check looks at them all. */
	all = xcalloc((size_t)nin, sizeof(*all));
	for (int i = 0; i < nin; i++)
		all[i] = &in[i].batch;
	top = import_backfill_file(all, (size_t)nin);
	now = period_current(cfg->period, (int64_t)time(NULL));
	if (a.format == FMT_JSON)
		done = json_array();
	if (dry) {
		for (int i = 0; i < nin; i++) {
			struct diags known = { 0 };
			struct import_stats c;
			check_known(st, &in[i], all, nin, cfg, &known);
			if ((size_t)i == top)
				import_check_backfill(in[i].path, &in[i].batch,
				    import_backfill_from(st), now, &known);
			diags_print(&known, stderr, CSV_MAX_ERRORS);
			diags_free(&known);
			if (done)
				json_array_append_new(done, json_pack("{s:s, s:I, s:I, s:b}",
				    "file", in[i].path, "rows", (json_int_t)in[i].batch.rows,
				    "values", (json_int_t)in[i].batch.nrecs, "dry_run", 1));
			else if (dry_count(st, &in[i].batch, &c) == 0)
				printf("%s: %zu row%s, %zu value%s (dry run, nothing written: "
				    "%zu would be added, %zu replaced, %zu unchanged)\n",
				    in[i].path, c.rows, plural(c.rows), c.values,
				    plural(c.values), c.added, c.replaced, c.unchanged);
			else
				printf("%s: %zu row%s, %zu value%s (dry run, nothing written)\n",
				    in[i].path, in[i].batch.rows, plural(in[i].batch.rows),
				    in[i].batch.nrecs, plural(in[i].batch.nrecs));
		}
		goto out;
	}
	actor = osuser_name();
	before = import_backfill_from(st);
	for (int i = 0; i < nin; i++) {
		struct import_stats s;
		struct diags known = { .also = &in[i].logged };
		/* Against what is stored before this file, files before it
		 * included, and for the headcount the files after it too;
		 * said once it is imported. */
		check_known(st, &in[i], all, nin, cfg, &known);
		if ((size_t)i == top)
			import_check_backfill(in[i].path, &in[i].batch, before, now,
			    &known);
		if (store_import(st, in[i].path, &(struct import_origin){ actor, "cli", NULL },
		    in[i].sha, &in[i].batch, &s) != 0) {
			diags_free(&known);
			fprintf(stderr, "vigie import: %s: cannot write to %s: %s "
			    "(this file was not imported", in[i].path, cfg->database,
			    store_errmsg(st));
			if (i > 0)
				fprintf(stderr, "; the files before it were");
			fprintf(stderr, ")\n");
			ex = EX_IOERR;
			break;
		}
		if (done)
			json_array_append_new(done, json_pack("{s:s, s:I, s:I, s:I, s:I, s:I}",
			    "file", in[i].path, "rows", (json_int_t)s.rows,
			    "values", (json_int_t)s.values, "added", (json_int_t)s.added,
			    "replaced", (json_int_t)s.replaced,
			    "unchanged", (json_int_t)s.unchanged));
		else
			printf("%s: %zu row%s, %zu value%s (%zu added, %zu replaced, %zu unchanged)\n",
			    in[i].path, s.rows, plural(s.rows), s.values, plural(s.values),
			    s.added, s.replaced, s.unchanged);
		fflush(stdout);
		if (store_import_warned(st, s.log_id, &in[i].logged) != 0)
			fprintf(stderr, "vigie import: %s: cannot record its warnings in "
			    "the import log: %s\n", in[i].path, store_errmsg(st));
		diags_print(&known, stderr, CSV_MAX_ERRORS);
		diags_free(&known);
	}
out:
	store_close(st);
	/* What was imported, also when a later file could not be written. */
	if (done)
		cli_print_json(done);
	free(all);
	free(actor);
	inputs_free(in, nin);
	config_free(cfg);
	return ex;
}
