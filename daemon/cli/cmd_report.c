/* `vigie report` (SPEC 15): the works council report for a span of
 * periods, as HTML (default), PDF or JSON, to a file (-o) or the standard
 * output. The report room (daemon/report/) builds it; this file parses the
 * options, loads the configuration, the rules (for the alerts' themes) and
 * the store, records the export in the audit log (SPEC 3) before anything
 * is written, and writes the file atomically (mode 0600: the report holds
 * aggregated health data), so a failed run leaves no half file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "vigie/cli.h"
#include "vigie/fileio.h"
#include "vigie/osuser.h"
#include "vigie/period.h"
#include "vigie/report.h"
#include "vigie/store_audit.h"
#include "vigie/unit.h"
#include "vigie/xalloc.h"

/* Writes the document in the temporary file doc to path ("-" or NULL: the
 * standard output, whose errors vigie.c reports once the command has
 * returned). 0 or EX_IOERR. */
static int write_out(const char *path, FILE *doc)
{
	size_t len;
	const char *buf = file_map(doc, &len);
	int ex = 0;

	if (!buf) {
		fprintf(stderr, "vigie report: cannot read the report back: %s\n",
		    strerror(errno));
		return EX_IOERR;
	}
	if (!path || !strcmp(path, "-")) {
		fwrite(buf, 1, len, stdout);
	} else if (write_file_atomic(path, buf, len, 0600) != 0) {
		fprintf(stderr, "vigie report: cannot write %s: %s\n", path, strerror(errno));
		ex = EX_IOERR;
	}
	file_unmap(buf, len);
	return ex;
}

/* --from or --to (end): a period of the database's granularity, or a
 * month, a quarter (YYYY-Qn) or a year (YYYY) taken as the periods it
 * spans, on weekly data the ISO weeks whose Thursday falls in it, as
 * report: every: quarter does (vigie.yaml(5)): the works council counts
 * in quarters and years. */
static int report_bound(const char *opt, const char *s, enum granularity g,
    bool end, int32_t *p)
{
	enum granularity pg;
	int32_t m0, m1, from, to;

	if (period_parse(s, strlen(s), &pg, p) == 0 && pg == g)
		return 0;
	if (period_span_parse(s, strlen(s), &m0, &m1) == 0) {
		period_months_span(g, m0, m1, &from, &to);
		*p = end ? to : from;
		return 0;
	}
	return cli_period_of("report", opt, s, g, p);
}

int cmd_report(int argc, char **argv)
{
	const char *from = NULL, *to = NULL, *unit = NULL, *format = NULL, *output = NULL;
	const struct cli_opt opts[] = {
		{ "from", 0, &from, NULL }, { "to", 0, &to, NULL },
		{ "unit", 0, &unit, NULL }, { "format", 0, &format, NULL },
		{ "output", 'o', &output, NULL }, { 0 },
	};
	const struct cli_spec spec = {
		"usage: vigie report [-c CONFIG] --from PERIOD --to PERIOD [--unit UNIT]\n"
		"                    [--format html|pdf|json] [-o FILE]\n"
		"Writes the works council report for the span: for the company, each\n"
		"site and each team visible over the whole span, every report indicator\n"
		"against the same span a year earlier, the company and a national\n"
		"reference, with trend charts; the alerts by theme and severity and\n"
		"their follow-up. No unit below the anonymity floor at any period of the\n"
		"span appears. HTML by default, to the standard output unless -o FILE.\n"
		"PERIOD: one of the database (YYYY-MM or YYYY-Www), or a month, a quarter\n"
		"(YYYY-Qn) or a year (YYYY): on weekly data, the ISO weeks whose Thursday\n"
		"falls in it.\n",
		opts, false, 0,
	};
	struct report_request rq = { .format = REPORT_HTML, .now = time(NULL) };
	struct cli_args a;
	struct config *cfg = NULL;
	struct store *st = NULL;
	struct ruleset *rs;
	char *err = NULL, *object, *detail, pa[PERIOD_BUFSZ], pb[PERIOD_BUFSZ];
	FILE *doc;
	size_t pos;
	int ex;

	if ((ex = cli_parse(argc, argv, &spec, &a)) >= 0)
		return ex;
	if (!from || !to)
		return cli_usage_error("report", "--from and --to are required");
	if (format && report_format_parse(format, &rq.format) != 0)
		return cli_usage_error("report", "unknown format '%s': use html, pdf or json",
		    format);
	if (unit && unit_path_check(unit, strlen(unit), &pos))
		return cli_usage_error("report", "--unit '%s' is not a unit path: %s at "
		    "byte %zu", unit, unit_path_check(unit, strlen(unit), &pos), pos + 1);
	if (rq.format == REPORT_PDF && (!output || !strcmp(output, "-")) &&
	    isatty(STDOUT_FILENO))
		return cli_usage_error("report", "not writing a PDF to a terminal: use -o FILE");
	/* -o is written aside and renamed over: that would replace a link,
	 * a FIFO or a device (/dev/stdout) rather than write through it. */
	struct stat sb;
	if (output && strcmp(output, "-") && lstat(output, &sb) == 0 &&
	    !S_ISREG(sb.st_mode)) {
		fprintf(stderr, "vigie report: not writing over %s: not a regular file "
		    "(-o - writes to the standard output)\n", output);
		return EX_IOERR;
	}
	if ((ex = cli_open_all(&a, &cfg, &st)))
		return ex;
	rq.loc = cfg->locale;
	rq.unit = unit;
	if ((ex = report_bound("--from", from, cfg->period, false, &rq.from)) ||
	    (ex = report_bound("--to", to, cfg->period, true, &rq.to))) {
		cli_close_all(cfg, st);
		return ex;
	}
	if (!(rs = cli_load_rules("vigie report", cfg))) {
		cli_close_all(cfg, st);
		return EX_CONFIG;
	}
	/* Written aside first, in the database's folder: the audit line
	 * comes before the file, and a report of 10,000 teams is not held
	 * in memory. */
	doc = report_file(cfg, &err);
	ex = doc ? report_render(cfg, st, rs, &rq, doc, &err) : EX_IOERR;
	ruleset_free(rs);
	if (ex) {
		fprintf(stderr, "vigie report: %s%s", err && *err ? err : "failed",
		    err && *err && err[strlen(err) - 1] == '\n' ? "" : "\n");
		free(err);
		if (doc)
			fclose(doc);
		cli_close_all(cfg, st);
		return ex;
	}
	/* No export leaves without its line in the audit log. */
	object = xasprintf("report %s..%s", period_format(cfg->period, rq.from, pa),
	    period_format(cfg->period, rq.to, pb));
	detail = xasprintf("%s, %s%s, to %s", report_format_name(rq.format),
	    unit ? "unit " : "every unit", unit ? unit : "",
	    output && strcmp(output, "-") ? output : "standard output");
	if ((ex = cli_audit("report", st, "export", object, detail)) == 0)
		ex = write_out(output, doc);
	free(object);
	free(detail);
	fclose(doc);
	cli_close_all(cfg, st);
	return ex;
}
