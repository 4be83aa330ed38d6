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
#include <getopt.h>
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
#include "vigie/yaml.h"

#define MAX_SERIES_LEN 100000	/* values per series, repeats included */

struct tseries {
	const char *ind;	/* indicator name (in the document) */
	int32_t id;		/* in the builder */
	double *v;
	size_t n;
};

struct tdata {
	const char *unit;
	int32_t from;
	struct tseries *series;
	size_t nseries;
};

struct texpect {
	const char *rule, *unitpath;	/* unitpath points into alert */
	char *alert;			/* "RULE@UNIT" copy, split at '@' */
	const char *text;		/* the alert as written */
	enum severity severity;		/* SEV_NONE: not checked */
	bool has_value;
	double value;
	const char *summary;		/* or NULL */
	int line, col;
};

struct tcase {
	const char *name;
	int line;
	struct tdata *data;
	size_t ndata;
	bool has_at;
	int32_t at;
	struct texpect *expect;
	size_t nexpect;
};

struct tfile {
	const char *path;
	struct ydoc *doc;
	char **rule_files;
	size_t nrule_files;
	int min_headcount;
	enum granularity gran;
	enum locale loc;
	struct tcase *tests;
	size_t ntests;
};

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p) {
		perror("vigie test");
		exit(EX_OSERR);
	}
	return p;
}

static void tfile_free(struct tfile *f)
{
	for (size_t i = 0; i < f->nrule_files; i++)
		free(f->rule_files[i]);
	free(f->rule_files);
	for (size_t i = 0; i < f->ntests; i++) {
		struct tcase *t = &f->tests[i];
		for (size_t j = 0; j < t->ndata; j++) {
			for (size_t k = 0; k < t->data[j].nseries; k++)
				free(t->data[j].series[k].v);
			free(t->data[j].series);
		}
		free(t->data);
		for (size_t j = 0; j < t->nexpect; j++)
			free(t->expect[j].alert);
		free(t->expect);
	}
	free(f->tests);
	if (f->doc)
		ydoc_free(f->doc);
}

/* Reports keys of a mapping that are not in known, with a suggestion. */
static void check_keys(const struct tfile *f, const struct ynode *m,
    const char *const *known, size_t nknown, const char *what,
    struct diags *d)
{
	for (size_t i = 0; i < m->n; i++) {
		const struct ynode *k = m->keys[i];
		bool ok = false;
		for (size_t j = 0; j < nknown && !ok; j++)
			ok = k->type == Y_SCALAR && !strcmp(k->str, known[j]);
		if (ok)
			continue;
		const char *near = k->type == Y_SCALAR ?
		    closest_word(k->str, known, nknown) : NULL;
		if (near)
			diags_add(d, f->path, k->line, k->col, "unknown key \"%s\" in "
			    "%s; did you mean \"%s\"?", k->type == Y_SCALAR ?
			    k->str : "?", what, near);
		else
			diags_add(d, f->path, k->line, k->col, "unknown key \"%s\" in "
			    "%s", k->type == Y_SCALAR ? k->str : "?", what);
	}
}

static const struct ynode *map_get(const struct ynode *m, const char *key)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->keys[i]->type == Y_SCALAR && !strcmp(m->keys[i]->str, key))
			return m->vals[i];
	return NULL;
}

static bool want_type(const struct tfile *f, const struct ynode *n,
    enum ynode_type t, const char *what, struct diags *d)
{
	static const char *const names[] = { "a string", "a list", "a mapping" };

	if (n->type == t)
		return true;
	diags_add(d, f->path, n->line, n->col, "%s must be %s, not %s", what,
	    names[t], ynode_type_name(n));
	return false;
}

static bool parse_period_node(const struct tfile *f, const struct ynode *n,
    const char *what, int32_t *p, struct diags *d)
{
	enum granularity g;

	if (!want_type(f, n, Y_SCALAR, what, d))
		return false;
	if (period_parse(n->str, n->len, &g, p) != 0) {
		diags_add(d, f->path, n->line, n->col, "%s \"%s\" is not a period "
		    "(YYYY-MM or YYYY-Www)", what, n->str);
		return false;
	}
	if (g != f->gran) {
		diags_add(d, f->path, n->line, n->col, "%s \"%s\" is a %s but the "
		    "file's period is %s", what, n->str, granularity_name(g),
		    granularity_name(f->gran));
		return false;
	}
	return true;
}

/* Parses "10 12 _ 30x3 _x2": numbers, "_" for missing, xN repeats. */
static bool parse_series(const struct tfile *f, const struct ynode *n,
    struct tseries *ts, struct diags *d)
{
	struct srcpos *pos = xcalloc(n->len + 1, sizeof(*pos));
	size_t cap = 16, i = 0;
	bool ok = true;

	ydoc_scalar_positions(f->doc, n, pos);
	ts->v = xcalloc(cap, sizeof(*ts->v));
	ts->n = 0;
	while (ok) {
		while (i < n->len && (n->str[i] == ' ' || n->str[i] == '\t'))
			i++;
		if (i >= n->len)
			break;
		size_t start = i, x = 0;
		while (i < n->len && n->str[i] != ' ' && n->str[i] != '\t') {
			if (n->str[i] == 'x')
				x = i;
			i++;
		}
		size_t vend = x ? x : i;
		long long reps = 1;
		double v;
		char tok[64];

		if (x) {
			char *end;
			errno = 0;
			size_t rl = i - x - 1;
			if (rl == 0 || rl >= sizeof(tok)) {
				reps = -1;
			} else {
				memcpy(tok, n->str + x + 1, rl);
				tok[rl] = '\0';
				reps = strtoll(tok, &end, 10);
				if (*end || errno || tok[0] == '-' || tok[0] == '+')
					reps = -1;
			}
			if (reps < 1 || reps > MAX_SERIES_LEN) {
				diags_add(d, f->path, pos[x].line, pos[x].col, "a repeat "
				    "is written VALUExN with N a whole number from 1 to %d",
				    MAX_SERIES_LEN);
				ok = false;
				break;
			}
		}
		size_t vl = vend - start;
		if (vl == 1 && n->str[start] == '_') {
			v = SERIES_UNDEF;
		} else {
			bool chars = vl > 0 && vl < sizeof(tok);
			for (size_t k = start; k < vend && chars; k++)
				chars = strchr("0123456789.eE+-", n->str[k]) != NULL;
			char *end = NULL;
			if (chars) {
				memcpy(tok, n->str + start, vl);
				tok[vl] = '\0';
				v = strtod(tok, &end);
			}
			if (!chars || *end || !isfinite(v) || v < 0) {
				diags_add(d, f->path, pos[start].line, pos[start].col,
				    "\"%.*s\" is not a value: write a non-negative number, "
				    "_ for a missing value, or VALUExN to repeat one",
				    (int)(i - start), n->str + start);
				ok = false;
				break;
			}
		}
		if (ts->n + (size_t)reps > MAX_SERIES_LEN) {
			diags_add(d, f->path, pos[start].line, pos[start].col,
			    "a series is limited to %d values", MAX_SERIES_LEN);
			ok = false;
			break;
		}
		while (ts->n + (size_t)reps > cap)
			cap *= 2;
		double *nv = realloc(ts->v, cap * sizeof(*nv));
		if (!nv) {
			perror("vigie test");
			exit(EX_OSERR);
		}
		ts->v = nv;
		for (long long k = 0; k < reps; k++)
			ts->v[ts->n++] = v;
	}
	if (ok && ts->n == 0) {
		diags_add(d, f->path, n->line, n->col, "a series needs at least one "
		    "value (_ for missing)");
		ok = false;
	}
	free(pos);
	return ok;
}

static bool indicator_name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 64 || !(s[0] >= 'a' && s[0] <= 'z'))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '_'))
			return false;
	return true;
}

static void parse_data(struct tfile *f, const struct ynode *n, struct tdata *td,
    struct diags *d)
{
	static const char *const keys[] = { "unit", "from", "values" };
	const struct ynode *u, *from, *vals;
	size_t errpos;
	const char *msg;

	if (!want_type(f, n, Y_MAP, "a data entry", d))
		return;
	check_keys(f, n, keys, 3, "a data entry", d);
	u = map_get(n, "unit");
	from = map_get(n, "from");
	vals = map_get(n, "values");
	if (!u || !from || !vals) {
		diags_add(d, f->path, n->line, n->col, "a data entry needs unit, "
		    "from and values");
		return;
	}
	if (want_type(f, u, Y_SCALAR, "unit", d)) {
		if ((msg = unit_path_check(u->str, u->len, &errpos)))
			diags_add(d, f->path, u->line, u->col, "unit \"%s\": %s",
			    u->str, msg);
		else
			td->unit = u->str;
	}
	parse_period_node(f, from, "from", &td->from, d);
	if (!want_type(f, vals, Y_MAP, "values", d))
		return;
	td->series = xcalloc(vals->n, sizeof(*td->series));
	for (size_t i = 0; i < vals->n; i++) {
		const struct ynode *k = vals->keys[i], *v = vals->vals[i];
		if (k->type != Y_SCALAR || !indicator_name_ok(k->str)) {
			diags_add(d, f->path, k->line, k->col, "\"%s\" is not an "
			    "indicator name ([a-z][a-z0-9_]*, at most 64 bytes)",
			    k->type == Y_SCALAR ? k->str : "?");
			continue;
		}
		if (!want_type(f, v, Y_SCALAR, "a series", d))
			continue;
		struct tseries *ts = &td->series[td->nseries];
		ts->ind = k->str;
		if (parse_series(f, v, ts, d))
			td->nseries++;
		else
			free(ts->v);
	}
}

static void parse_expect(struct tfile *f, const struct ynode *n,
    struct texpect *te, struct diags *d)
{
	static const char *const keys[] = { "alert", "severity", "value", "summary" };
	const struct ynode *a, *sev, *val, *sum;
	size_t errpos;

	te->line = n->line;
	te->col = n->col;
	if (!want_type(f, n, Y_MAP, "an expected alert", d))
		return;
	check_keys(f, n, keys, 4, "an expected alert", d);
	if (!(a = map_get(n, "alert"))) {
		diags_add(d, f->path, n->line, n->col, "an expected alert needs "
		    "alert: RULE@UNIT");
		return;
	}
	if (want_type(f, a, Y_SCALAR, "alert", d)) {
		char *at = strchr(a->str, '@');
		if (!at || at == a->str || unit_path_check(at + 1, strlen(at + 1),
		    &errpos)) {
			diags_add(d, f->path, a->line, a->col, "alert \"%s\" must be "
			    "RULE@UNIT, e.g. absenteeism-rate@acme/nancy", a->str);
		} else {
			te->alert = strdup(a->str);
			if (!te->alert) {
				perror("vigie test");
				exit(EX_OSERR);
			}
			te->alert[at - a->str] = '\0';
			te->rule = te->alert;
			te->unitpath = te->alert + (at - a->str) + 1;
			te->text = a->str;
			te->line = a->line;
			te->col = a->col;
		}
	}
	if ((sev = map_get(n, "severity")) &&
	    want_type(f, sev, Y_SCALAR, "severity", d)) {
		if (!strcmp(sev->str, "warning"))
			te->severity = SEV_WARNING;
		else if (!strcmp(sev->str, "critical"))
			te->severity = SEV_CRITICAL;
		else
			diags_add(d, f->path, sev->line, sev->col, "severity must be "
			    "warning or critical, not \"%s\"", sev->str);
	}
	if ((val = map_get(n, "value"))) {
		if (val->type != Y_SCALAR || yscalar_double(val, &te->value) != 0)
			diags_add(d, f->path, val->line, val->col, "value must be a "
			    "number");
		else
			te->has_value = true;
	}
	if ((sum = map_get(n, "summary")) &&
	    want_type(f, sum, Y_SCALAR, "summary", d))
		te->summary = sum->str;
}

static void parse_test(struct tfile *f, const struct ynode *n, struct tcase *t,
    struct diags *d)
{
	static const char *const keys[] = { "name", "data", "at", "expect" };
	const struct ynode *name, *data, *at, *expect;

	t->line = n->line;
	if (!want_type(f, n, Y_MAP, "a test", d))
		return;
	check_keys(f, n, keys, 4, "a test", d);
	name = map_get(n, "name");
	data = map_get(n, "data");
	at = map_get(n, "at");
	expect = map_get(n, "expect");
	if (!name || !data || !expect) {
		diags_add(d, f->path, n->line, n->col, "a test needs name, data and "
		    "expect (expect: [] when nothing may be active)");
		return;
	}
	if (want_type(f, name, Y_SCALAR, "name", d))
		t->name = name->str;
	if (want_type(f, data, Y_SEQ, "data", d)) {
		if (data->n == 0)
			diags_add(d, f->path, data->line, data->col, "data needs at "
			    "least one entry");
		t->data = xcalloc(data->n, sizeof(*t->data));
		t->ndata = data->n;
		for (size_t i = 0; i < data->n; i++)
			parse_data(f, data->items[i], &t->data[i], d);
	}
	if (at)
		t->has_at = parse_period_node(f, at, "at", &t->at, d);
	if (want_type(f, expect, Y_SEQ, "expect", d)) {
		t->expect = xcalloc(expect->n, sizeof(*t->expect));
		t->nexpect = expect->n;
		for (size_t i = 0; i < expect->n; i++) {
			parse_expect(f, expect->items[i], &t->expect[i], d);
			for (size_t j = 0; j < i; j++)
				if (t->expect[i].text && t->expect[j].text &&
				    !strcmp(t->expect[i].text, t->expect[j].text))
					diags_add(d, f->path, t->expect[i].line,
					    t->expect[i].col, "alert \"%s\" is expected "
					    "twice", t->expect[i].text);
		}
	}
}

/* Resolves a rule file name against the test file's folder. */
static char *resolve(const char *testfile, const char *name)
{
	char *copy, *dir, *out = NULL;

	if (name[0] == '/')
		return strdup(name);
	copy = strdup(testfile);
	if (!copy)
		return NULL;
	dir = dirname(copy);
	if (asprintf(&out, "%s/%s", dir, name) < 0)
		out = NULL;
	free(copy);
	return out;
}

static void parse_file(struct tfile *f, struct diags *d)
{
	static const char *const keys[] = {
		"rule_files", "min_headcount", "period", "locale", "tests",
	};
	const struct ynode *root, *rf, *mh, *per, *loc, *tests;

	f->min_headcount = 5;
	f->gran = GRAN_MONTH;
	f->loc = LOC_FR;
	f->doc = ydoc_load(f->path, d);
	if (!f->doc)
		return;
	root = f->doc->root;
	if (!root) {
		diags_add(d, f->path, 1, 1, "empty test file: it needs rule_files "
		    "and tests");
		return;
	}
	if (!want_type(f, root, Y_MAP, "a test file", d))
		return;
	check_keys(f, root, keys, 5, "a test file", d);
	if ((per = map_get(root, "period")) &&
	    want_type(f, per, Y_SCALAR, "period", d)) {
		if (!strcmp(per->str, "week"))
			f->gran = GRAN_WEEK;
		else if (strcmp(per->str, "month"))
			diags_add(d, f->path, per->line, per->col, "period must be "
			    "month or week, not \"%s\"", per->str);
	}
	if ((loc = map_get(root, "locale")) &&
	    want_type(f, loc, Y_SCALAR, "locale", d)) {
		if (!strcmp(loc->str, "en"))
			f->loc = LOC_EN;
		else if (strcmp(loc->str, "fr"))
			diags_add(d, f->path, loc->line, loc->col, "locale must be "
			    "fr or en, not \"%s\"", loc->str);
	}
	if ((mh = map_get(root, "min_headcount"))) {
		long long v;
		if (mh->type != Y_SCALAR || yscalar_int(mh, &v) != 0 || v < 3 ||
		    v > 1000000)
			diags_add(d, f->path, mh->line, mh->col, "min_headcount must "
			    "be a whole number, at least 3");
		else
			f->min_headcount = (int)v;
	}
	rf = map_get(root, "rule_files");
	if (!rf) {
		diags_add(d, f->path, root->line, root->col, "rule_files is "
		    "required: the rule files to test, relative to this file");
	} else if (rf->type == Y_SCALAR || rf->type == Y_SEQ) {
		size_t n = rf->type == Y_SCALAR ? 1 : rf->n;
		f->rule_files = xcalloc(n, sizeof(*f->rule_files));
		for (size_t i = 0; i < n; i++) {
			const struct ynode *e = rf->type == Y_SCALAR ? rf : rf->items[i];
			if (!want_type(f, e, Y_SCALAR, "a rule file", d))
				continue;
			f->rule_files[f->nrule_files] = resolve(f->path, e->str);
			if (!f->rule_files[f->nrule_files]) {
				perror("vigie test");
				exit(EX_OSERR);
			}
			f->nrule_files++;
		}
		if (n == 0)
			diags_add(d, f->path, rf->line, rf->col, "rule_files is empty");
	} else {
		want_type(f, rf, Y_SEQ, "rule_files", d);
	}
	tests = map_get(root, "tests");
	if (!tests) {
		diags_add(d, f->path, root->line, root->col, "tests is required");
	} else if (want_type(f, tests, Y_SEQ, "tests", d)) {
		f->tests = xcalloc(tests->n, sizeof(*f->tests));
		f->ntests = tests->n;
		for (size_t i = 0; i < tests->n; i++)
			parse_test(f, tests->items[i], &f->tests[i], d);
	}
}

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
		.has_expected = true,
		.observed = row->suppressed ? NAN : row->observed,
		.expected = row->suppressed ? NAN : row->expected,
	};

	return rule_render_summary(&rs->rules[row->rule], &tv, f->loc);
}

/* Runs one test; prints its result. Returns true when it passed. */
static bool run_test(const struct tfile *f, const struct ruleset *rs,
    const struct tcase *t)
{
	struct series *s = build_series(f, t);
	struct eval_row *rows = NULL;
	size_t nrows = 0;
	char *out = NULL;
	size_t outlen = 0;
	FILE *o;
	bool pass = true;

	if (!s || !(o = open_memstream(&out, &outlen))) {
		perror("vigie test");
		exit(EX_OSERR);
	}
	int32_t at = t->has_at ? t->at : s->p0 + s->np - 1;
	if (engine_eval(rs, s, f->min_headcount, at, &rows, &nrows) != 0) {
		perror("vigie test");
		exit(EX_OSERR);
	}
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
			fprintf(o, "    - missing:  %s%s%s\n", e->text,
			    e->severity ? " " : "",
			    e->severity ? sev_text(e->severity) : "");
			pass = false;
			continue;
		}
		if (e->severity && e->severity != row->severity) {
			fprintf(o, "    ~ different: %s severity %s, expected %s\n",
			    e->text, sev_text(row->severity), sev_text(e->severity));
			pass = false;
		}
		if (e->has_value && (row->suppressed || isnan(row->value))) {
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
			if (!got) {
				perror("vigie test");
				exit(EX_OSERR);
			}
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
	 * one-team example would also alert on "acme". Only the units a test
	 * talks about (its data and its expectations) are checked. */
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
		if (!row->active || matched[k] || !checked[row->unit])
			continue;
		if (row->suppressed || isnan(row->value))
			snprintf(vbuf, sizeof(vbuf), "value %s", row->suppressed ?
			    "hidden" : "undefined");
		else
			snprintf(vbuf, sizeof(vbuf), "value %.10g", row->value);
		fprintf(o, "    + unexpected: %s@%s %s (%s)\n",
		    rs->rules[row->rule].id, s->units[row->unit],
		    sev_text(row->severity), vbuf);
		pass = false;
	}
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
	series_free(s);
	return pass;
}

/* Runs one file; adds to the counters. Returns false on a file error. */
static bool run_file(const char *path, size_t *passed, size_t *failed)
{
	struct tfile f = { .path = path };
	struct diags d = { 0 };
	struct ruleset *rs = NULL;
	bool ok = true;

	parse_file(&f, &d);
	if (!d.n && f.nrule_files) {
		rs = ruleset_load_files((const char *const *)f.rule_files,
		    f.nrule_files, &d);
		/* Expected alerts must name rules that exist. */
		for (size_t i = 0; rs && i < f.ntests; i++)
			for (size_t j = 0; j < f.tests[i].nexpect; j++) {
				const struct texpect *e = &f.tests[i].expect[j];
				if (e->rule && !ruleset_find(rs, e->rule))
					diags_add(&d, path, e->line, e->col, "no rule "
					    "\"%s\" in the rule files", e->rule);
			}
	}
	if (d.n) {
		diags_print(&d, stderr, 0);
		fprintf(stderr, "%s: the test file could not be run; fix the "
		    "errors above\n", path);
		ok = false;
	} else {
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
	tfile_free(&f);
	return ok;
}

int cmd_test(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = argv[0];
	size_t passed = 0, failed = 0, bad = 0;
	struct stat sb;
	int c;

	optind = 0;
	opterr = 0;
	/* -c is accepted like every subcommand's, but a test file is
	 * self-contained: it names its rule files and its floor. */
	while ((c = getopt_long(argc, argv, ":c:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			break;
		case 'h':
			printf("usage: vigie test FILE...\n"
			    "Runs rule unit tests (see vigie(1), \"vigie test\"): "
			    "for each test, builds\nthe series it gives, evaluates "
			    "the rules at its period and compares the\nactive "
			    "alerts with the expected ones. Exit 0 when all pass, "
			    "1 otherwise.\n");
			return 0;
		case ':':
			return cli_usage_error(cmd, "option '%s' needs a value",
			    argv[optind - 1]);
		default:
			return cli_usage_error(cmd, "unknown option '%s'",
			    argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error(cmd, "name at least one test file");
	for (int i = optind; i < argc; i++) {
		if (stat(argv[i], &sb) != 0) {
			fprintf(stderr, "vigie test: cannot read %s: %s\n", argv[i],
			    strerror(errno));
			return EX_NOINPUT;
		}
	}
	for (int i = optind; i < argc; i++)
		if (!run_file(argv[i], &passed, &failed))
			bad++;
	printf("%zu passed, %zu failed", passed, failed);
	if (bad)
		printf(", %zu file%s with errors", bad, bad > 1 ? "s" : "");
	printf("\n");
	fflush(stdout);
	return failed || bad ? 1 : 0;
}
