/* `vigie eval` and `vigie backtest` (SPEC 10): load the configuration, the
 * rules and every stored value, run the engine, and print what it found
 * without changing anything. eval shows the state of every (rule, unit) at
 * one period; backtest replays a range of periods and lists every state
 * change, with per-rule counts that HR uses to tune thresholds. JSON output
 * is streamed one object at a time: a full evaluation can have a million
 * rows, which as one jansson tree would cost gigabytes. */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/cli.h"
#include "vigie/engine.h"
#include "vigie/rules.h"
#include "vigie/series.h"
#include "vigie/unit.h"

#define JSON_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY | \
    JSON_REAL_PRECISION(17))

/* Options shared by both commands. */
struct opts {
	const char *config, *rule, *unit, *at, *from, *to;
	int format;
};

static void eval_usage(FILE *out)
{
	fprintf(out, "usage: vigie eval [-c CONFIG] [--at PERIOD] [--rule ID] "
	    "[--unit GLOB] [--format text|json]\n"
	    "Evaluates every enabled rule for every unit in its scope at PERIOD\n"
	    "(default: the latest period in the database) and prints one row per\n"
	    "rule and unit: value, level and alert state. Changes nothing.\n");
}

static void backtest_usage(FILE *out)
{
	fprintf(out, "usage: vigie backtest [-c CONFIG] --from PERIOD --to PERIOD "
	    "[--rule ID] [--format text|json]\n"
	    "Replays the rules period by period over the stored data and prints\n"
	    "every transition (firing, escalated, deescalated, resolved) between\n"
	    "--from and --to, then per rule the number of alerts and of units\n"
	    "touched. Changes nothing.\n");
}

/* Returns -1 to go on, else the exit code. */
static int parse_opts(int argc, char **argv, bool backtest, struct opts *o)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "at", required_argument, NULL, 'a' },
		{ "rule", required_argument, NULL, 'r' },
		{ "unit", required_argument, NULL, 'u' },
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "format", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = argv[0];
	int c;

	memset(o, 0, sizeof(*o));
	o->format = FMT_TEXT;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":c:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': o->config = optarg; break;
		case 'r': o->rule = optarg; break;
		case 'a':
			if (backtest)
				return cli_usage_error(cmd, "unknown option '--at'");
			o->at = optarg;
			break;
		case 'u':
			if (backtest)
				return cli_usage_error(cmd, "unknown option '--unit'");
			o->unit = optarg;
			break;
		case 'f':
		case 't':
			if (!backtest)
				return cli_usage_error(cmd, "unknown option '%s'",
				    argv[optind - 1]);
			if (c == 'f')
				o->from = optarg;
			else
				o->to = optarg;
			break;
		case 'F':
			o->format = parse_format(optarg);
			if (o->format < 0)
				return cli_usage_error(cmd, "unknown format '%s': "
				    "use text or json", optarg);
			break;
		case 'h':
			(backtest ? backtest_usage : eval_usage)(stdout);
			return 0;
		case ':':
			return cli_usage_error(cmd, "option '%s' needs a value",
			    argv[optind - 1]);
		default:
			return cli_usage_error(cmd, "unknown option '%s'",
			    argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	return -1;
}

static int parse_period_arg(const char *cmd, const char *opt, const char *s,
    enum granularity want, int32_t *p)
{
	enum granularity g;

	if (period_parse(s, strlen(s), &g, p) != 0)
		return cli_usage_error(cmd, "%s '%s' is not a period: use YYYY-MM "
		    "or YYYY-Www", opt, s);
	if (g != want)
		return cli_usage_error(cmd, "%s '%s' is a %s but the database "
		    "holds %ss", opt, s, granularity_name(g), granularity_name(want));
	return 0;
}

/* Everything both commands load. */
struct loaded {
	struct config *cfg;
	struct ruleset *rs;
	struct store *st;
	struct series *s;
	struct ruleset view;	/* rs, or only the --rule rule */
};

static void loaded_free(struct loaded *l)
{
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
static int load_all(const char *cmd, const struct opts *o, struct loaded *l)
{
	struct diags d = { 0 };
	int ex = 0;

	memset(l, 0, sizeof(*l));
	l->cfg = cli_load_config(o->config, &ex);
	if (!l->cfg)
		return ex;
	l->rs = ruleset_load(l->cfg->rules, &d);
	if (!l->rs) {
		diags_print(&d, stderr, 0);
		fprintf(stderr, "vigie %s: the rule set is invalid; fix the errors "
		    "above (vigie check lists them too)\n", cmd);
		diags_free(&d);
		return EX_CONFIG;
	}
	diags_free(&d);
	l->rs->carry_over = l->cfg->carry_over;
	l->view = *l->rs;
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
	}
	return 0;
}

static int load_data(struct loaded *l)
{
	int ex = cli_open_store(l->cfg, &l->st);

	if (ex)
		return ex;
	if (store_load_series(l->st, &l->s) != 0) {
		fprintf(stderr, "vigie: cannot read the values from %s: %s\n",
		    l->cfg->database, store_errmsg(l->st));
		return EX_IOERR;
	}
	return 0;
}

/* Appends a NUL-terminated copy of s to an arena of strings; the arena
 * stores offsets so that it can move while growing. */
struct arena {
	char *buf;
	size_t n, cap;
};

static size_t arena_add(struct arena *a, const char *s)
{
	size_t len = strlen(s) + 1, at = a->n;

	if (a->cap - a->n < len) {
		size_t cap = a->cap ? a->cap : 4096;
		while (cap - a->n < len)
			cap *= 2;
		char *nb = realloc(a->buf, cap);
		if (!nb) {
			perror("vigie");
			exit(EX_OSERR);
		}
		a->buf = nb;
		a->cap = cap;
	}
	memcpy(a->buf + a->n, s, len);
	a->n += len;
	return at;
}

/* Prints an arena-backed table (offsets in cells[]) with print_table. */
static void print_arena_table(struct arena *a, size_t *cells, size_t nrows,
    size_t ncols)
{
	const char **p = malloc((nrows * ncols + 1) * sizeof(*p));

	if (!p) {
		perror("vigie");
		exit(EX_OSERR);
	}
	for (size_t i = 0; i < nrows * ncols; i++)
		p[i] = a->buf + cells[i];
	print_table(stdout, p, nrows, ncols);
	free(p);
}

static const char *value_text(char *buf, size_t size, const struct rule *r,
    double x, bool hidden)
{
	if (hidden)
		return "hidden";
	if (isnan(x))
		return "-";
	return format_number(buf, size, x, r->decimals, LOC_EN);
}

/* True when a rule of the view states what it expects: eval and backtest
 * then show it in a column of their text output. */
static bool view_has_expected(const struct loaded *l)
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
		"RULE", "UNIT", "PERIOD", "VALUE", "EXPECTED", "LEVEL", "STATE",
	};
	bool ex = view_has_expected(l);
	size_t nc = ex ? 7 : 6;
	struct arena a = { 0 };
	size_t *cells = malloc((n + 1) * nc * sizeof(*cells));
	char pbuf[PERIOD_BUFSZ], vbuf[64], sbuf[64];

	if (!cells) {
		perror("vigie");
		exit(EX_OSERR);
	}
	for (size_t c = 0, h = 0; c < nc; c++, h++) {
		if (!ex && h == 4)
			h++;
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
		c[3] = arena_add(&a, value_text(vbuf, sizeof(vbuf), r, row->value,
		    row->suppressed));
		if (ex)
			c[4] = arena_add(&a, value_text(vbuf, sizeof(vbuf), r,
			    row->expected, row->suppressed));
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

static json_t *json_sev(enum severity s)
{
	const char *n = severity_name(s);

	return n ? json_string(n) : json_null();
}

/* Writes one JSON value compactly; jansson formats the reals. */
static void dump_json(json_t *j, FILE *out)
{
	json_dumpf(j, out, JSON_FLAGS);
	json_decref(j);
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

/* Writes a double exactly as jansson does with JSON_REAL_PRECISION(17)
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
	if (o.at && (ex = parse_period_arg(cmd, "--at", o.at, l.cfg->period, &at))) {
		loaded_free(&l);
		return ex;
	}
	ex = load_data(&l);
	if (ex) {
		loaded_free(&l);
		return ex;
	}
	if (l.s->np > 0 && l.s->nunits > 0) {
		if (!o.at)
			at = l.s->p0 + l.s->np - 1;
		if (engine_eval(&l.view, l.s, l.cfg->min_headcount, at, &rows,
		    &nrows) != 0) {
			fprintf(stderr, "vigie %s: out of memory\n", cmd);
			loaded_free(&l);
			return EX_OSERR;
		}
	}
	keep = malloc((nrows ? nrows : 1) * sizeof(*keep));
	if (!keep) {
		free(rows);
		loaded_free(&l);
		return EX_OSERR;
	}
	for (size_t i = 0; i < nrows; i++)
		if (!o.unit || unit_glob_match(o.unit, l.s->units[rows[i].unit]))
			keep[nkeep++] = i;
	if (o.format == FMT_JSON)
		print_eval_json(&l, rows, keep, nkeep);
	else if (nkeep)
		print_eval_text(&l, rows, keep, nkeep);
	free(keep);
	free(rows);
	loaded_free(&l);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("vigie eval: writing the output");
		return EX_IOERR;
	}
	return 0;
}

/* Collects transitions and per-rule counts for printing. */
struct bt_ctx {
	const struct loaded *l;
	struct transition *v;
	size_t n, cap;
	size_t *alerts;		/* per rule of the view: firing transitions */
	unsigned char *touched;	/* view.n * nunits: unit had a transition */
	size_t *units;		/* per rule: distinct units touched */
	int oom;
};

static void bt_collect(const struct transition *t, void *arg)
{
	struct bt_ctx *c = arg;
	size_t k = (size_t)t->rule * c->l->s->nunits + t->unit;

	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;
		struct transition *v = realloc(c->v, cap * sizeof(*v));
		if (!v) {
			c->oom = 1;
			return;
		}
		c->v = v;
		c->cap = cap;
	}
	c->v[c->n++] = *t;
	if (t->kind == TR_FIRING)
		c->alerts[t->rule]++;
	if (!c->touched[k]) {
		c->touched[k] = 1;
		c->units[t->rule]++;
	}
}

static void print_backtest_text(const struct bt_ctx *c)
{
	static const char *const head[] = {
		"PERIOD", "RULE", "UNIT", "EVENT", "SEVERITY", "VALUE", "EXPECTED",
	};
	static const char *const head2[] = { "RULE", "ALERTS", "UNITS" };
	const struct loaded *l = c->l;
	struct arena a = { 0 };
	size_t *cells, nc = view_has_expected(l) ? 7 : 6;
	char pbuf[PERIOD_BUFSZ], vbuf[64];

	if (c->n) {
		cells = malloc((c->n + 1) * nc * sizeof(*cells));
		if (!cells) {
			perror("vigie");
			exit(EX_OSERR);
		}
		for (size_t i = 0; i < nc; i++)
			cells[i] = arena_add(&a, head[i]);
		for (size_t i = 0; i < c->n; i++) {
			const struct transition *t = &c->v[i];
			const struct rule *r = &l->view.rules[t->rule];
			const char *sev = severity_name(t->to);
			size_t *row = cells + (i + 1) * nc;

			row[0] = arena_add(&a, period_format(l->s->gran, t->period, pbuf));
			row[1] = arena_add(&a, r->id);
			row[2] = arena_add(&a, l->s->units[t->unit]);
			row[3] = arena_add(&a, transition_name(t->kind));
			row[4] = arena_add(&a, sev ? sev : "-");
			row[5] = arena_add(&a, t->missing ? "data missing" :
			    value_text(vbuf, sizeof(vbuf), r, t->value,
			    isnan(t->value)));
			if (nc == 7)
				row[6] = arena_add(&a, t->missing ? "-" :
				    value_text(vbuf, sizeof(vbuf), r, t->expected,
				    isnan(t->value)));
		}
		print_arena_table(&a, cells, c->n + 1, nc);
		free(cells);
		fputc('\n', stdout);
		a.n = 0;
	}
	cells = malloc((l->view.n + 1) * 3 * sizeof(*cells));
	if (!cells) {
		perror("vigie");
		exit(EX_OSERR);
	}
	size_t nr = 0;
	for (size_t i = 0; i < 3; i++)
		cells[i] = arena_add(&a, head2[i]);
	for (size_t i = 0; i < l->view.n; i++) {
		if (!l->view.rules[i].enabled)
			continue;
		size_t *row = cells + (++nr) * 3;
		row[0] = arena_add(&a, l->view.rules[i].id);
		snprintf(vbuf, sizeof(vbuf), "%zu", c->alerts[i]);
		row[1] = arena_add(&a, vbuf);
		snprintf(vbuf, sizeof(vbuf), "%zu", c->units[i]);
		row[2] = arena_add(&a, vbuf);
	}
	if (nr)
		print_arena_table(&a, cells, nr + 1, 3);
	free(cells);
	free(a.buf);
}

static void print_backtest_json(const struct bt_ctx *c)
{
	const struct loaded *l = c->l;
	char pbuf[PERIOD_BUFSZ];

	fputs("{\"transitions\":[", stdout);
	for (size_t i = 0; i < c->n; i++) {
		const struct transition *t = &c->v[i];
		json_t *o = json_object();

		json_object_set_new(o, "period", json_string(
		    period_format(l->s->gran, t->period, pbuf)));
		json_object_set_new(o, "rule", json_string(l->view.rules[t->rule].id));
		json_object_set_new(o, "unit", json_string(l->s->units[t->unit]));
		json_object_set_new(o, "event", json_string(transition_name(t->kind)));
		json_object_set_new(o, "severity", json_sev(t->to));
		json_object_set_new(o, "previous", json_sev(t->from));
		json_object_set_new(o, "value", isnan(t->value) ? json_null() :
		    json_real(t->value));
		/* Only for rules that state what they expect: the other
		 * objects keep their shape. */
		if (l->view.rules[t->rule].expected) {
			json_object_set_new(o, "observed", isnan(t->observed) ?
			    json_null() : json_real(t->observed));
			json_object_set_new(o, "expected", isnan(t->expected) ?
			    json_null() : json_real(t->expected));
		}
		fputs(i ? ",\n" : "\n", stdout);
		dump_json(o, stdout);
	}
	fputs(c->n ? "\n],\"rules\":[" : "],\"rules\":[", stdout);
	size_t nr = 0;
	for (size_t i = 0; i < l->view.n; i++) {
		if (!l->view.rules[i].enabled)
			continue;
		json_t *o = json_object();
		json_object_set_new(o, "rule", json_string(l->view.rules[i].id));
		json_object_set_new(o, "alerts", json_integer((json_int_t)c->alerts[i]));
		json_object_set_new(o, "units", json_integer((json_int_t)c->units[i]));
		fputs(nr++ ? ",\n" : "\n", stdout);
		dump_json(o, stdout);
	}
	fputs(nr ? "\n]}\n" : "]}\n", stdout);
}

int cmd_backtest(int argc, char **argv)
{
	const char *cmd = argv[0];
	struct opts o;
	struct loaded l;
	struct bt_ctx c;
	int32_t from, to;
	int ex;

	ex = parse_opts(argc, argv, true, &o);
	if (ex >= 0)
		return ex;
	if (!o.from || !o.to)
		return cli_usage_error(cmd, "--from PERIOD and --to PERIOD are "
		    "required");
	ex = load_all(cmd, &o, &l);
	if (!ex && !(ex = parse_period_arg(cmd, "--from", o.from, l.cfg->period,
	    &from)) && !(ex = parse_period_arg(cmd, "--to", o.to, l.cfg->period,
	    &to)) && from > to)
		ex = cli_usage_error(cmd, "--from %s is after --to %s", o.from, o.to);
	if (!ex)
		ex = load_data(&l);
	if (ex) {
		loaded_free(&l);
		return ex;
	}
	memset(&c, 0, sizeof(c));
	c.l = &l;
	c.alerts = calloc(l.view.n + 1, sizeof(*c.alerts));
	c.units = calloc(l.view.n + 1, sizeof(*c.units));
	c.touched = calloc(l.view.n * l.s->nunits + 1, 1);
	if (!c.alerts || !c.units || !c.touched ||
	    engine_backtest(&l.view, l.s, l.cfg->min_headcount, from, to,
	    bt_collect, &c) != 0 || c.oom) {
		fprintf(stderr, "vigie %s: out of memory\n", cmd);
		ex = EX_OSERR;
	} else if (o.format == FMT_JSON) {
		print_backtest_json(&c);
	} else {
		print_backtest_text(&c);
	}
	free(c.v);
	free(c.alerts);
	free(c.units);
	free(c.touched);
	loaded_free(&l);
	if (!ex && (fflush(stdout) != 0 || ferror(stdout))) {
		perror("vigie backtest: writing the output");
		return EX_IOERR;
	}
	return ex;
}
