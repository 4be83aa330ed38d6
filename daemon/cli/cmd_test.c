/* `vigie test FILE...` (SPEC 11): rule unit tests. A test file names rule
 * files and lists tests; each test gives small series per unit, a period to
 * evaluate at, and the exact set of alerts expected to be active there. The
 * series go through the same builder as the database's values (roll-up
 * included) and the same engine as the daemon, so a passing test means the
 * daemon would alert the same way. The units checked are those a test names
 * (in its data or its expectations): ancestors that exist only through
 * roll-up are checked when an expectation names them. Problems in a test
 * file are reported as FILE:LINE:COL like rule files; failures print a
 * readable diff. */
#include <errno.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "vigie/cli.h"
#include "vigie/engine.h"
#include "vigie/rules.h"
#include "vigie/series.h"
#include "vigie/unit.h"
#include "vigie/xalloc.h"

#include "testfile.h"

/* Builds the test's series: its period range is the union of its data. */
static struct series *build_series(const struct tfile *f, const struct tcase *t)
{
	struct series_builder *b;
	int32_t lo = INT32_MAX, hi = INT32_MIN;

	for (size_t i = 0; i < t->ndata; i++)
		for (size_t k = 0; k < t->data[i].nseries; k++) {
			int32_t from = t->data[i].from;
			int32_t last = from + (int32_t)t->data[i].series[k].n - 1;
			if (from < lo)
				lo = from;
			if (last > hi)
				hi = last;
		}
	if (lo > hi)
		lo = hi = t->has_at ? t->at : 0;
	b = sb_new(f->gran, lo, hi);
	if (!b)
		return NULL;
	/* Every unit and indicator is declared before the first value. */
	int32_t *units = xcalloc(t->ndata, sizeof(*units));
	for (size_t i = 0; i < t->ndata; i++) {
		units[i] = sb_unit(b, t->data[i].unit);
		for (size_t k = 0; k < t->data[i].nseries; k++)
			t->data[i].series[k].id = sb_indicator(b,
			    t->data[i].series[k].ind);
	}
	for (size_t i = 0; i < t->ndata; i++)
		for (size_t k = 0; k < t->data[i].nseries; k++) {
			const struct tseries *ts = &t->data[i].series[k];
			int32_t ind = ts->id;
			for (size_t j = 0; j < ts->n; j++)
				if (!isnan(ts->v[j]) && units[i] >= 0 && ind >= 0)
					sb_set(b, (uint32_t)units[i], (uint32_t)ind,
					    t->data[i].from + (int32_t)j, ts->v[j]);
		}
	free(units);
	return sb_finish(b);
}

static bool near_equal(double got, double want)
{
	double diff = fabs(got - want);
	double scale = fmax(fabs(got), fabs(want));

	return diff <= 1e-6 * scale || diff <= 1e-12;
}

static const char *sev_text(enum severity s)
{
	const char *n = severity_name(s);

	return n ? n : "none";
}

static char *render(const struct tfile *f, const struct ruleset *rs,
    const struct series *s, const struct eval_row *row)
{
	char pbuf[PERIOD_BUFSZ], sbuf[PERIOD_BUFSZ];
	struct template_vars tv = {
		.unit = s->units[row->unit],
		.period = period_format(s->gran, row->period, pbuf),
		.since = row->since >= 0 ? period_format(s->gran, row->since, sbuf) : "",
		.severity = row->severity,
		.value = row->suppressed ? NAN : row->value,
		.threshold = row->threshold,
		/* as the daemon's messages: missing data, not a hidden value,
		 * where the unit sent nothing (rules/lifecycle.c) */
		.absent = isnan(row->value) && (!row->suppressed || row->nodata),
		.has_expected = true,
		.observed = row->suppressed ? NAN : row->observed,
		.expected = row->suppressed ? NAN : row->expected,
	};

	return rule_render_summary(&rs->rules[row->rule], &tv, f->loc);
}

/* Whether the active alert rows[k], on a unit the test does not name, has
 * its rule active on a named descendant too. */
static bool seen_from_above(const struct series *s, const struct eval_row *rows,
    size_t nrows, size_t k, const bool *named)
{
	for (size_t j = 0; j < nrows; j++) {
		if (!rows[j].active || rows[j].rule != rows[k].rule ||
		    !named[rows[j].unit])
			continue;
		for (int32_t u = s->parent[rows[j].unit]; u >= 0; u = s->parent[u])
			if ((uint32_t)u == rows[k].unit)
				return true;
	}
	return false;
}

/* Why an expected alert of rule r on unit u (the test's unit path, -1 when
 * no data names it) is not active at the evaluated period: what the rule
 * saw there, in words, into buf. */
static const char *why_missing(const struct ruleset *rs, const struct rule *r,
    const struct series *s, int32_t u, const char *unitpath,
    const struct eval_row *rows, size_t nrows, char *buf, size_t size)
{
	char pb[PERIOD_BUFSZ];

	if (!r)
		return "";
	if (u < 0)
		return " (no data names this unit)";
	if (!rule_in_scope(r, unitpath)) {
		snprintf(buf, size, " (outside the rule's scope \"%s\"%s)", r->scope[0],
		    r->nscope > 1 ? " and its other globs" : "");
		return buf;
	}
	for (size_t k = 0; k < nrows; k++) {
		const struct eval_row *w = &rows[k];
		if (rs->rules + w->rule != r || w->unit != (uint32_t)u)
			continue;
		period_format(s->gran, w->period, pb);
		if (w->suppressed && w->nodata)
			snprintf(buf, size, " (value missing: no headcount at %s)", pb);
		else if (w->suppressed)
			snprintf(buf, size, " (value hidden at %s: below the anonymity "
			    "floor, or hidden with a smaller sibling)", pb);
		else if (isnan(w->value))
			snprintf(buf, size, " (value undefined at %s)", pb);
		else
			snprintf(buf, size, " (value %.10g at %s: no threshold crossed)",
			    w->value, pb);
		return buf;
	}
	return "";
}

/* Runs one test; prints its result. Returns true when it passed. */
static bool run_test(const struct tfile *f, const struct ruleset *rs,
    const struct tcase *t)
{
	struct series *s = build_series(f, t);
	struct cells *cells = NULL;
	struct eval_row *rows = NULL;
	size_t nrows = 0;
	char *out = NULL;
	size_t outlen = 0;
	FILE *o;
	bool pass = true;

	if (!s || !(o = open_memstream(&out, &outlen)))
		xalloc_die();
	/* The test's series is hidden cell by cell as the daemon's would be. */
	cells = cells_new(s, f->min_headcount, f->dominance);
	int32_t at = t->has_at ? t->at : s->p0 + s->np - 1;
	if (!cells || engine_eval(rs, s, cells, f->min_headcount, at, &rows,
	    &nrows) != 0)
		xalloc_die();
	bool *matched = xcalloc(nrows, sizeof(*matched));
	for (size_t i = 0; i < t->nexpect; i++) {
		const struct texpect *e = &t->expect[i];
		const struct rule *r = ruleset_find(rs, e->rule);
		int32_t u = series_unit(s, e->unitpath);
		const struct eval_row *row = NULL;
		for (size_t k = 0; r && u >= 0 && k < nrows && !row; k++)
			if (rows[k].active && rs->rules + rows[k].rule == r &&
			    rows[k].unit == (uint32_t)u) {
				row = &rows[k];
				matched[k] = true;
			}
		if (!row) {
			char why[200];
			fprintf(o, "    - missing:  %s%s%s%s\n", e->text,
			    e->severity ? " " : "",
			    e->severity ? sev_text(e->severity) : "",
			    why_missing(rs, r, s, u, e->unitpath, rows, nrows, why,
			    sizeof(why)));
			pass = false;
			continue;
		}
		if (e->severity && e->severity != row->severity) {
			fprintf(o, "    ~ different: %s severity %s, expected %s\n",
			    e->text, sev_text(row->severity), sev_text(e->severity));
			pass = false;
		}
		if (e->has_value && row->suppressed && row->nodata) {
			char pb[PERIOD_BUFSZ];
			fprintf(o, "    ~ different: %s value missing (no headcount "
			    "at %s), expected %.10g\n", e->text,
			    period_format(s->gran, at, pb), e->value);
			pass = false;
		} else if (e->has_value && (row->suppressed || isnan(row->value))) {
			fprintf(o, "    ~ different: %s value %s, expected %.10g\n",
			    e->text, row->suppressed ? "hidden (below the anonymity "
			    "floor)" : "undefined", e->value);
			pass = false;
		} else if (e->has_value && !near_equal(row->value, e->value)) {
			fprintf(o, "    ~ different: %s value %.10g, expected %.10g\n",
			    e->text, row->value, e->value);
			pass = false;
		}
		if (e->summary) {
			char *got = render(f, rs, s, row);
			if (!got)
				xalloc_die();
			if (strcmp(got, e->summary)) {
				fprintf(o, "    ~ different: %s summary\n"
				    "        got:      \"%s\"\n"
				    "        expected: \"%s\"\n", e->text, got, e->summary);
				pass = false;
			}
			free(got);
		}
	}
	/* Ancestors exist through their descendants' roll-up, so the SPEC's
	 * one-team example would also alert on "acme": the alert of a unit
	 * that the test does not name (in its data or its expectations) is
	 * that of a named descendant seen from above when the same rule is
	 * active there, and is not counted. Any other active alert is
	 * unexpected, so that "expect: []" means that nothing is active. */
	bool *checked = xcalloc(s->nunits, sizeof(*checked));
	for (size_t i = 0; i < t->ndata; i++) {
		int32_t u = series_unit(s, t->data[i].unit);
		if (u >= 0)
			checked[u] = true;
	}
	for (size_t i = 0; i < t->nexpect; i++) {
		int32_t u = series_unit(s, t->expect[i].unitpath);
		if (u >= 0)
			checked[u] = true;
	}
	for (size_t k = 0; k < nrows; k++) {
		const struct eval_row *row = &rows[k];
		char vbuf[64];
		if (!row->active || matched[k] ||
		    (!checked[row->unit] && seen_from_above(s, rows, nrows, k, checked)))
			continue;
		if (row->suppressed || isnan(row->value))
			snprintf(vbuf, sizeof(vbuf), "value %s", !row->suppressed ?
			    "undefined" : row->nodata ? "missing" : "hidden");
		else
			snprintf(vbuf, sizeof(vbuf), "value %.10g", row->value);
		fprintf(o, "    + unexpected: %s@%s %s (%s)\n",
		    rs->rules[row->rule].id, s->units[row->unit],
		    sev_text(row->severity), vbuf);
		pass = false;
	}
	/* "expect: []" passes whatever the data hold when no rule reads
	 * them, on their unit or rolled up: a test of the wrong unit, or of a
	 * scope that leaves it out. */
	bool read = false;
	for (size_t k = 0; k < nrows && !read; k++)
		for (size_t i = 0; i < t->ndata && !read; i++)
			read = unit_is_under(t->data[i].unit, s->units[rows[k].unit]);
	if (pass && t->nexpect == 0 && t->ndata && !read)
		fprintf(stderr, "vigie test: warning: %s:%d: no rule's scope holds %s: "
		    "\"expect: []\" passes whatever its data hold\n", f->path, t->line,
		    t->data[0].unit);
	free(checked);
	fclose(o);
	char pbuf[PERIOD_BUFSZ];
	if (pass)
		printf("PASS  %s:%d: %s\n", f->path, t->line, t->name);
	else
		printf("FAIL  %s:%d: %s (at %s)\n%s", f->path, t->line, t->name,
		    period_format(s->gran, at, pbuf), out);
	free(out);
	free(matched);
	free(rows);
	cells_free(cells);
	series_free(s);
	return pass;
}

/* Runs one file; adds to the counters. Returns false on a file error.
 * One run reports every error: the test file's in line and column order,
 * the rules its expected alerts name included, then its rule files'. */
static bool run_file(const char *path, size_t *passed, size_t *failed)
{
	struct tfile f = { .path = path };
	struct diags d = { 0 }, rd = { 0 };
	struct ruleset *rs = NULL;
	bool unchecked = false, ok = true;

	testfile_parse(&f, &d);
	/* The rule files load even when the test file has errors, so that
	 * one round of fixes is enough. */
	/* The test file's locale is the rules' texts' (rule_policy). */
	struct rule_policy texts = { .locale = f.loc };

	if (f.nrule_files)
		rs = ruleset_load_files((const char *const *)f.rule_files,
		    f.nrule_files, &texts, &rd);
	/* A rule written for the other granularity would not be evaluated
	 * on the test's data: every expectation of it would fail, and an
	 * expect: [] pass, for that reason alone (period:, vigie-rules(5)). */
	for (size_t i = 0; rs && i < rs->n; i++) {
		const struct rule *r = &rs->rules[i];
		if (r->enabled && rule_other_period(r, f.gran))
			diags_add(&rd, r->file, r->period_line, r->period_col,
			    "rule \"%s\" is written for %ss (period: %s) and the "
			    "data of %s is in %ss: it would not be evaluated; "
			    "test it in a file with period: %s", r->id,
			    granularity_name(r->period),
			    granularity_name(r->period), path,
			    granularity_name(f.gran), granularity_name(r->period));
	}
	/* Expected alerts must name rules that exist. A rule set that did
	 * not load, or lacks a file, would make them look missing: those
	 * are not checked, and the run says so. */
	for (size_t i = 0; i < f.ntests; i++)
		for (size_t j = 0; j < f.tests[i].nexpect; j++) {
			const struct texpect *e = &f.tests[i].expect[j];
			if (!e->rule)
				continue;
			if (!rs || !f.rule_files_ok)
				unchecked = true;
			else if (!ruleset_find(rs, e->rule))
				diags_add(&d, path, e->line, e->col, "no rule "
				    "\"%s\" in the rule files", e->rule);
		}
	diags_sort(&d, 0);
	if (d.n || rd.n || !rs) {
		diags_print(&d, stderr, 0);
		diags_print(&rd, stderr, 0);
		if (unchecked)
			fprintf(stderr, "%s: the rules named in expect were not "
			    "checked; they will be once every rule file loads\n",
			    path);
		fprintf(stderr, "%s: the test file could not be run; fix the "
		    "errors above\n", path);
		ok = false;
	} else {
		/* what vigie check would warn about, which may be why a test
		 * fails (a window of one period, a threshold never crossed) */
		diags_print(&rs->warnings, stderr, 0);
		for (size_t i = 0; i < f.ntests; i++) {
			if (run_test(&f, rs, &f.tests[i]))
				(*passed)++;
			else
				(*failed)++;
		}
	}
	if (rs)
		ruleset_free(rs);
	diags_free(&d);
	diags_free(&rd);
	testfile_free(&f);
	return ok;
}

int cmd_test(int argc, char **argv)
{
	/* -c is accepted like every subcommand's, but a test file is
	 * self-contained: it names its rule files and its floor. */
	const struct cli_spec spec = {
		"usage: vigie test [-c CONFIG] FILE...\n"
		"Runs rule unit tests (see vigie(1), \"vigie test\"): for each test,\n"
		"builds the series it gives, evaluates the rules at its period and\n"
		"compares the active alerts with the expected ones. Exit 0 when all\n"
		"pass, 1 otherwise.\n",
		NULL, false, -1,
	};
	const char *cmd = argv[0];
	size_t passed = 0, failed = 0, bad = 0;
	struct cli_args a;
	struct stat sb;
	int ex;

	if ((ex = cli_parse(argc, argv, &spec, &a)) >= 0)
		return ex;
	if (a.npos == 0)
		return cli_usage_error(cmd, "name at least one test file");
	for (int i = 0; i < a.npos; i++) {
		if (stat(a.pos[i], &sb) != 0) {
			fprintf(stderr, "vigie test: cannot read %s: %s\n", a.pos[i],
			    strerror(errno));
			return EX_NOINPUT;
		}
	}
	for (int i = 0; i < a.npos; i++)
		if (!run_file(a.pos[i], &passed, &failed))
			bad++;
	printf("%zu passed, %zu failed", passed, failed);
	if (bad)
		printf(", %zu file%s with errors", bad, bad > 1 ? "s" : "");
	printf("\n");
	return failed || bad ? 1 : 0;
}
