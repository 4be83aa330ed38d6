/* The rule test files of `vigie test` (SPEC 11, daemon/cli/testfile.h): a
 * YAML document naming rule files and listing tests, each with small series
 * per unit written as "10 12 _ 30x3", a period, and the alerts expected.
 * Every problem is reported at its FILE:LINE:COL, as in rule files, and
 * parsing goes on so that one run shows them all. */
#include <errno.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testfile.h"
#include "vigie/cells.h"
#include "vigie/unit.h"
#include "vigie/xalloc.h"

#define MAX_SERIES_LEN 100000	/* values per series, repeats included */

void testfile_free(struct tfile *f)
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
		char why[128], buf[PERIOD_BUFSZ];
		bool sheet;
		/* A date or a month written otherwise: the period of the
		 * file's granularity it stands for, as vigie import says. */
		const char *hint = period_hint(n->str, n->len, f->gran, buf, &sheet);

		diags_add(d, f->path, n->line, n->col, "%s \"%s\" is not a period: "
		    "%s%s%s%s", what, n->str, period_why_not(n->str, n->len, why,
		    sizeof(why), false) ? why : "use YYYY-MM or YYYY-Www",
		    hint ? " (did you mean " : "", hint ? hint : "", hint ? "?)" : "");
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
		ts->v = xreallocarray(ts->v, cap, sizeof(*ts->v));
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
	ymap_check_keys(d, f->path, n, keys, 3, "a data entry");
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
	td->from_ok = parse_period_node(f, from, "from", &td->from, d);
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
		ts->line = k->line;
		ts->col = k->col;
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
	ymap_check_keys(d, f->path, n, keys, 4, "an expected alert");
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
			te->alert = xstrdup(a->str);
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

/* A unit's indicator given twice for one period, by two data entries: one
 * would silently win, where an import refuses the duplicate (SPEC 4). */
static void check_overlaps(struct tfile *f, const struct tcase *t, struct diags *d)
{
	for (size_t j = 1; j < t->ndata; j++) {
		const struct tdata *b = &t->data[j];

		for (size_t i = 0; i < j && b->unit && b->from_ok; i++) {
			const struct tdata *a = &t->data[i];

			if (!a->unit || !a->from_ok || strcmp(a->unit, b->unit))
				continue;
			for (size_t y = 0; y < b->nseries; y++)
				for (size_t x = 0; x < a->nseries; x++) {
					const struct tseries *sa = &a->series[x], *sb = &b->series[y];
					int32_t lo = a->from > b->from ? a->from : b->from;
					char p[PERIOD_BUFSZ];

					if (strcmp(sa->ind, sb->ind) || sa->n == 0 || sb->n == 0 ||
					    lo > a->from + (int32_t)sa->n - 1 ||
					    lo > b->from + (int32_t)sb->n - 1)
						continue;
					diags_add(d, f->path, sb->line, sb->col, "%s of %s at %s is "
					    "given twice (first at line %d): give each period once",
					    sb->ind, b->unit, period_format(f->gran, lo, p), sa->line);
				}
		}
	}
}

static void parse_test(struct tfile *f, const struct ynode *n, struct tcase *t,
    struct diags *d)
{
	static const char *const keys[] = { "name", "data", "at", "expect" };
	const struct ynode *name, *data, *at, *expect;

	t->line = n->line;
	if (!want_type(f, n, Y_MAP, "a test", d))
		return;
	ymap_check_keys(d, f->path, n, keys, 4, "a test");
	name = map_get(n, "name");
	data = map_get(n, "data");
	at = map_get(n, "at");
	expect = map_get(n, "expect");
	/* Said, and the rest checked all the same: one run shows all. */
	if (!name || !data || !expect)
		diags_add(d, f->path, n->line, n->col, "a test needs name, data and "
		    "expect (expect: [] when nothing may be active)");
	if (name && want_type(f, name, Y_SCALAR, "name", d))
		t->name = name->str;
	if (data && want_type(f, data, Y_SEQ, "data", d)) {
		if (data->n == 0)
			diags_add(d, f->path, data->line, data->col, "data needs at "
			    "least one entry");
		t->data = xcalloc(data->n, sizeof(*t->data));
		t->ndata = data->n;
		for (size_t i = 0; i < data->n; i++)
			parse_data(f, data->items[i], &t->data[i], d);
		check_overlaps(f, t, d);
	}
	if (at)
		t->has_at = parse_period_node(f, at, "at", &t->at, d);
	if (expect && want_type(f, expect, Y_SEQ, "expect", d)) {
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

/* Resolves a rule file name against the test file's folder (named as
 * given when that is the current folder: "r.yaml", not "./r.yaml"). */
static char *resolve(const char *testfile, const char *name)
{
	char *copy, *out;

	if (name[0] == '/' || !strchr(testfile, '/'))
		return xstrdup(name);
	copy = xstrdup(testfile);
	out = xasprintf("%s/%s", dirname(copy), name);
	free(copy);
	return out;
}

void testfile_parse(struct tfile *f, struct diags *d)
{
	static const char *const keys[] = {
		"rule_files", "min_headcount", "period", "locale", "tests",
		"dominance",
	};
	const struct ynode *root, *rf, *mh, *per, *loc, *tests, *dom;

	f->min_headcount = 5;
	f->dominance = CELLS_DOMINANCE_DEFAULT;
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
	ymap_check_keys(d, f->path, root, keys, 6, "a test file");
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
	if ((dom = map_get(root, "dominance"))) {
		double v;
		if (dom->type != Y_SCALAR || yscalar_double(dom, &v) != 0 ||
		    v < 0.5 || v > 0.95)
			diags_add(d, f->path, dom->line, dom->col, "dominance must "
			    "be a number from 0.5 to 0.95");
		else
			f->dominance = v;
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
			f->rule_files[f->nrule_files++] = resolve(f->path, e->str);
		}
		if (n == 0)
			diags_add(d, f->path, rf->line, rf->col, "rule_files is empty");
		f->rule_files_ok = n > 0 && f->nrule_files == n;
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

