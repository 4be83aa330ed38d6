/* `vigie eval` and `vigie backtest` (SPEC 10): load the configuration, the
 * rules and every stored value, run the engine, and print what it found
 * without changing anything. eval shows the state of every (rule, unit) at
 * one period; backtest replays a range of periods and lists every state
 * change, with per-rule counts that HR uses to tune thresholds. JSON output
 * is streamed one object at a time: a full evaluation can have a million
 * rows, which as one jansson tree would cost gigabytes. This file holds
 * eval and what both commands share (cli_eval.h); backtest is in
 * cmd_backtest.c. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli_eval.h"
#include "vigie/cli.h"
#include "vigie/cycle.h"
#include "vigie/engine.h"
#include "vigie/rules.h"
#include "vigie/series.h"
#include "vigie/unit.h"
#include "vigie/xalloc.h"

/* Parses the options of eval (backtest false) or backtest into o. Returns
 * -1 to go on, else the exit code. */
int parse_opts(int argc, char **argv, bool backtest, struct opts *o)
{
	const struct cli_opt eval_opts[] = {
		{ "at", 0, &o->at, NULL }, { "rule", 0, &o->rule, NULL },
		{ "unit", 0, &o->unit, NULL }, { "rules", 0, &o->rules, NULL },
		{ "firing", 0, NULL, &o->firing }, { 0 },
	};
	const struct cli_opt backtest_opts[] = {
		{ "from", 0, &o->from, NULL }, { "to", 0, &o->to, NULL },
		{ "rule", 0, &o->rule, NULL }, { "rules", 0, &o->rules, NULL }, { 0 },
	};
	const struct cli_spec eval_spec = {
		"usage: vigie eval [-c CONFIG] [--at PERIOD] [--rule ID] "
		"[--unit GLOB] [--firing] [--rules PATH] [--format text|json]\n"
		"Evaluates every enabled rule for every unit in its scope at PERIOD\n"
		"(default: the latest period in the database) and prints one row per\n"
		"rule and unit: value, level and alert state. Changes nothing.\n"
		"--firing prints only the rows with a level or an active alert.\n"
		"--rules reads the rules of PATH (a file or a folder, such as a draft)\n"
		"instead of the configuration's rules.\n",
		eval_opts, true, 0,
	};
	const struct cli_spec backtest_spec = {
		"usage: vigie backtest [-c CONFIG] --from PERIOD --to PERIOD "
		"[--rule ID] [--rules PATH] [--format text|json]\n"
		"Replays the rules period by period over the stored data and prints\n"
		"every event (firing, escalated, deescalated, resolved, and the\n"
		"reminders of repeat_every) between --from and --to, as the daemon\n"
		"would record them evaluating each period, then per rule the number\n"
		"of alerts and of units touched. Changes nothing.\n"
		"--rules reads the rules of PATH (a file or a folder, such as a draft)\n"
		"instead of the configuration's rules.\n",
		backtest_opts, true, 0,
	};
	struct cli_args a;
	int ex;

	memset(o, 0, sizeof(*o));
	ex = cli_parse(argc, argv, backtest ? &backtest_spec : &eval_spec, &a);
	o->config = a.config;
	o->format = a.format;
	return ex;
}

void loaded_free(struct loaded *l)
{
	cells_free(l->cells);
	if (l->s)
		series_free(l->s);
	if (l->st)
		store_close(l->st);
	if (l->rs)
		ruleset_free(l->rs);
	if (l->cfg)
		config_free(l->cfg);
}

/* Loads configuration, rules, store and series. Returns 0 or an exit code. */
int load_all(const char *cmd, const struct opts *o, struct loaded *l)
{
	int ex = 0;

	memset(l, 0, sizeof(*l));
	l->cfg = cli_load_config(o->config, &ex);
	if (!l->cfg)
		return ex;
	/* A draft is tried on the stored data before it joins the rules
	 * folder, where a broken file would stop the daemon's next start. */
	if (o->rules) {
		free(l->cfg->rules);
		l->cfg->rules = xstrdup(o->rules);
	}
	char *who = xasprintf("vigie %s", cmd);

	l->rs = cli_load_rules(who, l->cfg);
	free(who);
	if (!l->rs)
		return EX_CONFIG;
	/* A draft's warnings, as vigie check says them: one that reads an
	 * indicator the database lacks would answer "0 alerts" as a quiet
	 * rule would. */
	if (o->rules) {
		struct rule_policy policy = config_rule_policy(l->cfg);
		struct diags w = { .kind = "warning" };

		cycle_rules_warnings(l->rs, &o->rules, 1, &policy, l->cfg, &w);
		diags_print(&w, stderr, 0);
		diags_free(&w);
	}
	l->view = *l->rs;
	enum granularity g = l->cfg->period;
	if (o->rule) {
		const struct rule *r = ruleset_find(l->rs, o->rule);
		if (!r) {
			return cli_usage_error(cmd, "no rule with id '%s' in %s",
			    o->rule, l->cfg->rules);
		}
		/* A one-rule view: rule indices in the output refer to it. */
		l->view.rules = (struct rule *)r;
		l->view.n = 1;
		if (!r->enabled)
			fprintf(stderr, "vigie %s: rule '%s' is disabled "
			    "(enabled: false); nothing to evaluate\n", cmd, o->rule);
		else if (rule_other_period(r, g))
			fprintf(stderr, "vigie %s: rule '%s' is written for %ss "
			    "(period: %s), and this database holds %ss: it is not "
			    "evaluated; nothing to evaluate\n", cmd, o->rule,
			    granularity_name(r->period), granularity_name(r->period),
			    granularity_name(g));
		return 0;
	}
	/* The rules written for the other granularity are left out, as
	 * the daemon leaves them out; said once, not in every row. */
	size_t other = ruleset_count_other_period(l->rs, g);
	if (other)
		fprintf(stderr, "vigie %s: %zu rule%s written for %ss (period: "
		    "%s) left out: this database holds %ss (vigie check says "
		    "which)\n", cmd, other, other == 1 ? "" : "s",
		    granularity_name(g == GRAN_WEEK ? GRAN_MONTH : GRAN_WEEK),
		    granularity_name(g == GRAN_WEEK ? GRAN_MONTH : GRAN_WEEK),
		    granularity_name(g));
	return 0;
}

int load_data(const char *cmd, struct loaded *l)
{
	int ex = cli_open_store(cmd, l->cfg, &l->st);

	if (ex)
		return ex;
	if (store_load_series(l->st, &l->s) != 0) {
		fprintf(stderr, "vigie: cannot read the values from %s: %s\n",
		    l->cfg->database, store_errmsg(l->st));
		return EX_IOERR;
	}
	l->cells = cells_new(l->s, l->cfg->min_headcount, l->cfg->dominance);
	if (!l->cells || engine_cells_prepare(l->rs, l->cells, l->cfg->min_headcount) != 0)
		xalloc_die();
	return 0;
}

int audit_export(const char *cmd, const struct loaded *l, const struct opts *o,
    size_t rows)
{
	char detail[1024];
	int n = 0;

#define ADD(...) do { if (n >= 0 && (size_t)n < sizeof(detail)) \
	n += snprintf(detail + n, sizeof(detail) - (size_t)n, __VA_ARGS__); } while (0)
	if (o->at)
		ADD("--at %s ", o->at);
	if (o->from)
		ADD("--from %s --to %s ", o->from, o->to);
	if (o->rule)
		ADD("--rule %s ", o->rule);
	if (o->unit)
		ADD("--unit %s ", o->unit);
	if (o->firing)
		ADD("--firing ");
	if (o->rules)
		ADD("--rules %s ", o->rules);
	ADD("--format %s: %zu rows", o->format == FMT_JSON ? "json" : "text", rows);
#undef ADD
	return cli_audit(cmd, l->st, "export", cmd, detail);
}

size_t arena_add(struct arena *a, const char *s)
{
	size_t len = strlen(s) + 1, at = a->n;

	if (a->cap - a->n < len) {
		size_t cap = a->cap ? a->cap : 4096;
		while (cap - a->n < len)
			cap *= 2;
		a->buf = xrealloc(a->buf, cap);
		a->cap = cap;
	}
	memcpy(a->buf + a->n, s, len);
	a->n += len;
	return at;
}

/* Prints an arena-backed table (offsets in cells[]) with print_table. */
void print_arena_table(struct arena *a, size_t *cells, size_t nrows,
    size_t ncols)
{
	const char **p = xcalloc(nrows * ncols + 1, sizeof(*p));

	for (size_t i = 0; i < nrows * ncols; i++)
		p[i] = a->buf + cells[i];
	print_table(stdout, p, nrows, ncols);
	free(p);
}

const char *value_text(char *buf, size_t size, const struct rule *r,
    double x, bool hidden)
{
	if (hidden)
		return "hidden";
	if (isnan(x))
		return "-";
	return cli_number(buf, size, x, r->decimals);
}

const char *figure_text(char *buf, size_t size, const struct rule *r,
    double x, bool hidden)
{
	if (hidden)
		return "hidden";
	if (isnan(x))
		return "-";
	return cli_figure(buf, size, x, r->decimals);
}

/* What eval shows for a value of row: "missing" where it is undefined
 * because the unit has no headcount at that period (nothing imported
 * there, or the period is outside the data), which gives nothing away;
 * "hidden" only where disclosure control suppresses it (SPEC 3). */
static const char *row_value_text(char *buf, size_t size, const struct rule *r,
    double x, const struct eval_row *row, bool figure)
{
	if (row->suppressed && row->nodata)
		return "missing";
	return (figure ? figure_text : value_text)(buf, size, r, x, row->suppressed);
}

bool view_has_expected(const struct loaded *l)
{
	for (size_t i = 0; i < l->view.n; i++)
		if (l->view.rules[i].expected)
			return true;
	return false;
}

static void print_eval_text(const struct loaded *l, const struct eval_row *rows,
    const size_t *keep, size_t n)
{
	static const char *const head[] = {
		"RULE", "UNIT", "PERIOD", "SCORE", "OBSERVED", "EXPECTED", "LEVEL", "STATE",
	};
	bool ex = view_has_expected(l);
	size_t nc = ex ? 8 : 6;
	struct arena a = { 0 };
	size_t *cells = xcalloc((n + 1) * nc, sizeof(*cells));
	char pbuf[PERIOD_BUFSZ], vbuf[64], sbuf[64];

	for (size_t c = 0, h = 0; c < nc; c++, h++) {
		if (!ex && h == 4)
			h += 2;
		cells[c] = arena_add(&a, head[h]);
	}
	for (size_t i = 0; i < n; i++) {
		const struct eval_row *row = &rows[keep[i]];
		const struct rule *r = &l->view.rules[row->rule];
		size_t *c = cells + (i + 1) * nc;
		const char *lv = severity_name(row->suppressed ? SEV_NONE : row->level);

		c[0] = arena_add(&a, r->id);
		c[1] = arena_add(&a, l->s->units[row->unit]);
		c[2] = arena_add(&a, period_format(l->s->gran, row->period, pbuf));
		c[3] = arena_add(&a, row_value_text(vbuf, sizeof(vbuf), r,
		    row->value, row, false));
		if (ex) {
			c[4] = arena_add(&a, row_value_text(vbuf, sizeof(vbuf), r,
			    row->observed, row, true));
			c[5] = arena_add(&a, row_value_text(vbuf, sizeof(vbuf), r,
			    row->expected, row, true));
		}
		c[nc - 2] = arena_add(&a, lv ? lv : "-");
		if (row->active) {
			snprintf(sbuf, sizeof(sbuf), "%s since %s",
			    severity_name(row->severity),
			    period_format(l->s->gran, row->since, pbuf));
			c[nc - 1] = arena_add(&a, sbuf);
		} else if (row->missing) {
			c[nc - 1] = arena_add(&a, "- (data missing)");
		} else {
			c[nc - 1] = arena_add(&a, "-");
		}
	}
	print_arena_table(&a, cells, n + 1, nc);
	free(cells);
	free(a.buf);
}

/* A row of JSON is assembled in a local buffer and written with one
 * fwrite: at a million rows, a dozen stdio calls per row cost more than
 * the evaluation itself. */
struct line {
	char buf[1024];
	size_t n;
};

static void put(struct line *l, const char *s, size_t n)
{
	if (n > sizeof(l->buf) - l->n)
		n = sizeof(l->buf) - l->n;
	memcpy(l->buf + l->n, s, n);
	l->n += n;
}

#define PUTS(l, lit) put((l), (lit), sizeof(lit) - 1)

/* Appends s as a JSON string. Rule ids and unit paths are validated to
 * plain ASCII without quotes, but escaping costs little and keeps the
 * output valid whatever the loaders accept tomorrow. */
static void put_json_string(struct line *l, const char *s)
{
	char esc[8];

	PUTS(l, "\"");
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			put(l, esc, 2);
		} else if (c < 0x20) {
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			put(l, esc, 6);
		} else {
			put(l, p, 1);
		}
	}
	PUTS(l, "\"");
}

/* Writes a double exactly as jansson does with TEXT_JSON_REALS (17 digits)
 * ("%.17g", ".0" when it would read as an integer, exponent without '+'
 * and leading zeros), without building a jansson value per row. */
static void put_json_real(struct line *l, double x)
{
	char buf[64];
	int n = snprintf(buf, sizeof(buf), "%.17g", x);
	char *e = strchr(buf, 'e');

	if (n <= 0)
		return;
	if (!e) {
		put(l, buf, (size_t)n);
		if (!strchr(buf, '.'))
			PUTS(l, ".0");
		return;
	}
	/* jansson drops the exponent's '+' and leading zeros: 1e-05 -> 1e-5. */
	char *d = e + 1, *src = e + 1;
	if (*src == '-')
		*d++ = *src++;
	else if (*src == '+')
		src++;
	while (*src == '0' && src[1])
		src++;
	memmove(d, src, strlen(src) + 1);
	put(l, buf, strlen(buf));
}

static void put_sev(struct line *l, const char *name)
{
	if (!name)
		PUTS(l, "null");
	else if (*name == 'w')
		PUTS(l, "\"warning\"");
	else
		PUTS(l, "\"critical\"");
}

static void print_eval_json(const struct loaded *l, const struct eval_row *rows,
    const size_t *keep, size_t n)
{
	char pbuf[PERIOD_BUFSZ];
	size_t plen = 0;
	int32_t pcur = 0;
	FILE *out = stdout;
	struct line ln;

	fputc('[', out);
	for (size_t i = 0; i < n; i++) {
		const struct eval_row *row = &rows[keep[i]];
		const struct rule *r = &l->view.rules[row->rule];
		bool show = !row->suppressed && !isnan(row->value);

		ln.n = 0;
		if (i)
			PUTS(&ln, ",");
		PUTS(&ln, "\n{\"rule\":");
		put_json_string(&ln, r->id);
		PUTS(&ln, ",\"unit\":");
		put_json_string(&ln, l->s->units[row->unit]);
		PUTS(&ln, ",\"period\":\"");
		/* every row has the same period: formatted once */
		if (!plen || row->period != pcur) {
			period_format(l->s->gran, row->period, pbuf);
			plen = strlen(pbuf);
			pcur = row->period;
		}
		put(&ln, pbuf, plen);
		PUTS(&ln, "\",\"value\":");
		if (show)
			put_json_real(&ln, row->value);
		else
			PUTS(&ln, "null");
		PUTS(&ln, ",\"level\":");
		put_sev(&ln, row->suppressed ? NULL : severity_name(row->level));
		if (row->active)
			PUTS(&ln, ",\"active\":true,\"severity\":");
		else
			PUTS(&ln, ",\"active\":false,\"severity\":");
		put_sev(&ln, row->active ? severity_name(row->severity) : NULL);
		if (row->suppressed)
			PUTS(&ln, ",\"suppressed\":true}");
		else
			PUTS(&ln, ",\"suppressed\":false}");
		fwrite_unlocked(ln.buf, 1, ln.n, out);
	}
	fputs(n ? "\n]\n" : "]\n", out);
}

bool warn_no_data_yet(const char *cmd, const struct loaded *l, const char *doing)
{
	if (l->s->np > 0 && l->s->nunits > 0)
		return false;
	fprintf(stderr, "vigie %s: warning: no data stored yet: nothing to %s (vigie "
	    "import FILE stores some)\n", cmd, doing);
	return true;
}

/* --at names a period where no unit has any value: every row will say
 * "missing"; say why once, on stderr (stdout keeps its format). */
static void warn_no_data(const char *cmd, const struct series *s, int32_t at)
{
	char pb[PERIOD_BUFSZ], eb[PERIOD_BUFSZ];
	int32_t last = s->p0 + s->np - 1;

	for (uint32_t u = 0; u < s->nunits; u++)
		if (series_has_data(s, u, at))
			return;
	period_format(s->gran, at, pb);
	if (at > last)
		fprintf(stderr, "vigie %s: warning: no data stored for %s (last: %s)\n",
		    cmd, pb, period_format(s->gran, last, eb));
	else if (at < s->p0)
		fprintf(stderr, "vigie %s: warning: no data stored for %s (first: %s)\n",
		    cmd, pb, period_format(s->gran, s->p0, eb));
	else
		fprintf(stderr, "vigie %s: warning: no data stored for %s\n", cmd, pb);
}

/* Warns that --unit glob matched none of the units of rows (an empty
 * answer to a mistyped glob would read as "nothing to say"), naming one. */
static void warn_no_unit(const char *cmd, const char *glob,
    const struct series *s, const struct eval_row *rows, size_t n)
{
	bool *seen = xcalloc(s->nunits ? s->nunits : 1, sizeof(*seen));
	size_t count = 0;
	const char *ex = s->units[rows[n - 1].unit], *slash = strrchr(ex, '/');

	for (size_t i = 0; i < n; i++)
		if (!seen[rows[i].unit]) {
			seen[rows[i].unit] = true;
			count++;
		}
	free(seen);
	fprintf(stderr, "vigie %s: warning: --unit '%s' matches none of the %zu "
	    "units evaluated, such as '%s' (a glob names whole paths; '%.*s/**' "
	    "names the units under %.*s)\n", cmd, glob, count, ex,
	    (int)(slash ? slash - ex : (ptrdiff_t)strlen(ex)), ex,
	    (int)(slash ? slash - ex : (ptrdiff_t)strlen(ex)), ex);
}

int cmd_eval(int argc, char **argv)
{
	const char *cmd = argv[0];
	struct opts o;
	struct loaded l;
	struct eval_row *rows = NULL;
	size_t nrows = 0, *keep = NULL, nkeep = 0;
	int32_t at = -1;
	int ex;
	size_t errpos;

	ex = parse_opts(argc, argv, false, &o);
	if (ex >= 0)
		return ex;
	if (o.unit && unit_glob_check(o.unit, &errpos))
		return cli_usage_error(cmd, "--unit '%s' is not a unit glob: %s "
		    "at byte %zu", o.unit, unit_glob_check(o.unit, &errpos),
		    errpos + 1);
	ex = load_all(cmd, &o, &l);
	if (ex) {
		loaded_free(&l);
		return ex;
	}
	if (o.at && (ex = cli_period_of(cmd, "--at", o.at, l.cfg->period, &at))) {
		loaded_free(&l);
		return ex;
	}
	ex = load_data(cmd, &l);
	if (ex) {
		loaded_free(&l);
		return ex;
	}
	if (!warn_no_data_yet(cmd, &l, "evaluate")) {
		if (!o.at)
			at = l.s->p0 + l.s->np - 1;
		else
			warn_no_data(cmd, l.s, at);
		if (engine_eval(&l.view, l.s, l.cells, l.cfg->min_headcount, at,
		    &rows, &nrows) != 0)
			xalloc_die();
	}
	keep = xcalloc(nrows, sizeof(*keep));
	for (size_t i = 0; i < nrows; i++)
		if (!o.unit || unit_glob_match(o.unit, l.s->units[rows[i].unit]))
			keep[nkeep++] = i;
	if (o.unit && nrows && !nkeep)
		warn_no_unit(cmd, o.unit, l.s, rows, nrows);
	if (o.firing) {
		/* What the data says would alert now: a level at the period
		 * (a hidden row has none), or an alert the data keeps active
		 * (it may have fallen under its threshold, not yet under its
		 * clear one). Nothing firing is the empty answer. */
		size_t k = 0;

		for (size_t i = 0; i < nkeep; i++) {
			const struct eval_row *row = &rows[keep[i]];

			if ((!row->suppressed && row->level != SEV_NONE) || row->active)
				keep[k++] = keep[i];
		}
		nkeep = k;
	}
	/* No export leaves without its entry in the audit log. */
	if ((ex = audit_export(cmd, &l, &o, nkeep))) {
		free(keep);
		free(rows);
		loaded_free(&l);
		return ex;
	}
	if (o.format == FMT_JSON)
		print_eval_json(&l, rows, keep, nkeep);
	else if (nkeep)
		print_eval_text(&l, rows, keep, nkeep);
	free(keep);
	free(rows);
	loaded_free(&l);
	return 0;	/* vigie.c checks that the output was written */
}
