/* `vigie backtest` (SPEC 10): replays the rules period by period over the
 * stored values through the alert lifecycle (rules/lifecycle.c), as the
 * daemon would record them with one evaluation per period, and lists every
 * event between --from and --to, reminders included, with per-rule counts
 * that HR uses to tune thresholds. Changes nothing. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli_eval.h"
#include "vigie/lifecycle.h"
#include "vigie/text.h"
#include "vigie/xalloc.h"

#define JSON_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY | \
    TEXT_JSON_REALS)

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

/* Collects transitions and per-rule counts for printing. */
struct bt_ctx {
	const struct loaded *l;
	int32_t from, to;	/* the periods replayed */
	struct lifecycle_record *v;
	size_t n, cap;
	size_t *alerts;		/* per rule of the view: firing transitions */
	unsigned char *touched;	/* view.n * nunits: unit had a transition */
	size_t *units;		/* per rule: distinct units touched */
};

static void bt_collect(const struct lifecycle_record *t, void *arg)
{
	struct bt_ctx *c = arg;
	size_t k = (size_t)t->rule * c->l->s->nunits + t->unit;

	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 256;
		c->v = xreallocarray(c->v, c->cap, sizeof(*c->v));
	}
	c->v[c->n++] = *t;
	if (t->event == LC_FIRING)
		c->alerts[t->rule]++;
	if (!c->touched[k]) {
		c->touched[k] = 1;
		c->units[t->rule]++;
	}
}

/* How many items the digests would have carried, as their reader counts
 * them: new alerts a month (or week), and a year per 100 teams (the units
 * without children), the unit in which vigie-rules(5) states what the
 * shipped library costs. */
static void print_rate(const struct bt_ctx *c)
{
	const struct series *s = c->l->s;
	bool weeks = s->gran == GRAN_WEEK;
	/* Over the periods that hold data (warn_no_data says the rest): a
	 * --to mistyped a year late must not halve a rule's rate. */
	int32_t from = c->from > s->p0 ? c->from : s->p0;
	int32_t last = s->p0 + (int32_t)s->np - 1, to = c->to < last ? c->to : last;
	int32_t np = to - from + 1;
	size_t total = 0, teams = 0;
	char a[PERIOD_BUFSZ], b[PERIOD_BUFSZ];

	if (np <= 0) {		/* no data at all in it (said): its zero */
		from = c->from;
		to = c->to;
		np = to - from + 1;
	}

	for (size_t i = 0; i < c->l->view.n; i++)
		total += c->alerts[i];
	for (uint32_t u = 0; u < s->nunits; u++)
		teams += s->child_off[u + 1] == s->child_off[u];
	printf("\n%zu alert%s over %d %s%s (%s%s%s): %.1f a %s", total,
	    total == 1 ? "" : "s", np, weeks ? "week" : "month", np == 1 ? "" : "s",
	    period_format(s->gran, from, a), np == 1 ? "" : " to ",
	    np == 1 ? "" : period_format(s->gran, to, b), (double)total / np,
	    weeks ? "week" : "month");
	if (teams)
		printf(", or %.1f per 100 teams a year (%zu team%s; the alerts of the "
		    "units above them counted too)", 100.0 * total / teams *
		    (weeks ? 52.0 : 12.0) / np, teams, teams == 1 ? "" : "s");
	putchar('\n');
}

static void print_backtest_text(const struct bt_ctx *c)
{
	static const char *const head[] = {
		"PERIOD", "RULE", "UNIT", "EVENT", "SEVERITY", "SCORE", "OBSERVED", "EXPECTED",
	};
	static const char *const head2[] = { "RULE", "ALERTS", "UNITS" };
	const struct loaded *l = c->l;
	struct arena a = { 0 };
	size_t *cells, nc = view_has_expected(l) ? 8 : 6;
	char pbuf[PERIOD_BUFSZ], vbuf[64];

	if (c->n) {
		cells = xcalloc((c->n + 1) * nc, sizeof(*cells));
		for (size_t i = 0; i < nc; i++)
			cells[i] = arena_add(&a, head[i]);
		for (size_t i = 0; i < c->n; i++) {
			const struct lifecycle_record *t = &c->v[i];
			const struct rule *r = &l->view.rules[t->rule];
			const char *sev = severity_name(t->to);
			size_t *row = cells + (i + 1) * nc;

			row[0] = arena_add(&a, period_format(l->s->gran, t->period, pbuf));
			row[1] = arena_add(&a, r->id);
			row[2] = arena_add(&a, l->s->units[t->unit]);
			row[3] = arena_add(&a, lifecycle_event_name(t->event));
			row[4] = arena_add(&a, sev ? sev : "-");
			row[5] = arena_add(&a, t->missing ? "data missing" :
			    value_text(vbuf, sizeof(vbuf), r, t->value,
			    isnan(t->value)));
			if (nc == 8) {
				row[6] = arena_add(&a, t->missing ? "-" :
				    figure_text(vbuf, sizeof(vbuf), r, t->observed,
				    isnan(t->value)));
				row[7] = arena_add(&a, t->missing ? "-" :
				    figure_text(vbuf, sizeof(vbuf), r, t->expected,
				    isnan(t->value)));
			}
		}
		print_arena_table(&a, cells, c->n + 1, nc);
		free(cells);
		fputc('\n', stdout);
		a.n = 0;
	}
	cells = xcalloc((l->view.n + 1) * 3, sizeof(*cells));
	size_t nr = 0;
	for (size_t i = 0; i < 3; i++)
		cells[i] = arena_add(&a, head2[i]);
	for (size_t i = 0; i < l->view.n; i++) {
		if (!rule_runs_on(&l->view.rules[i], l->s->gran))
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
	print_rate(c);
}

static void print_backtest_json(const struct bt_ctx *c)
{
	const struct loaded *l = c->l;
	char pbuf[PERIOD_BUFSZ];

	fputs("{\"transitions\":[", stdout);
	for (size_t i = 0; i < c->n; i++) {
		const struct lifecycle_record *t = &c->v[i];
		json_t *o = json_object();

		json_object_set_new(o, "period", json_string(
		    period_format(l->s->gran, t->period, pbuf)));
		json_object_set_new(o, "rule", json_string(l->view.rules[t->rule].id));
		json_object_set_new(o, "unit", json_string(l->s->units[t->unit]));
		json_object_set_new(o, "event", json_string(lifecycle_event_name(t->event)));
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
		if (!rule_runs_on(&l->view.rules[i], l->s->gran))
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

/* A span without data replays nothing: "0 alerts" would read as rules
 * that never fire. Said once, on stderr (stdout keeps its format). */
static void warn_no_data(const char *cmd, const struct loaded *l, int32_t from,
    int32_t to)
{
	char a[PERIOD_BUFSZ], b[PERIOD_BUFSZ], c[PERIOD_BUFSZ], d[PERIOD_BUFSZ];
	const struct series *s = l->s;
	int32_t last = s->p0 + (int32_t)s->np - 1;

	if (warn_no_data_yet(cmd, l, "replay"))
		return;
	if (to < s->p0 || from > last)
		fprintf(stderr, "vigie %s: warning: no data stored from %s to %s (the "
		    "data spans %s to %s): nothing to replay\n", cmd,
		    period_format(s->gran, from, a), period_format(s->gran, to, b),
		    period_format(s->gran, s->p0, c), period_format(s->gran, last, d));
	else if (from < s->p0 || to > last)
		fprintf(stderr, "vigie %s: warning: the data spans %s to %s: the periods "
		    "of %s to %s outside it replay nothing, and the rates count those "
		    "with data only\n", cmd, period_format(s->gran, s->p0, c),
		    period_format(s->gran, last, d), period_format(s->gran, from, a),
		    period_format(s->gran, to, b));
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
	if (!ex && !(ex = cli_period_of(cmd, "--from", o.from, l.cfg->period,
	    &from)) && !(ex = cli_period_of(cmd, "--to", o.to, l.cfg->period,
	    &to)) && from > to)
		ex = cli_usage_error(cmd, "--from %s is after --to %s", o.from, o.to);
	if (!ex)
		ex = load_data(cmd, &l);
	if (ex) {
		loaded_free(&l);
		return ex;
	}
	warn_no_data(cmd, &l, from, to);
	memset(&c, 0, sizeof(c));
	c.l = &l;
	c.from = from;
	c.to = to;
	c.alerts = xcalloc(l.view.n + 1, sizeof(*c.alerts));
	c.units = xcalloc(l.view.n + 1, sizeof(*c.units));
	c.touched = xcalloc(l.view.n * l.s->nunits + 1, 1);
	if (lifecycle_backtest(&l.view, l.s, l.cells, l.cfg->min_headcount, from,
	    to, bt_collect, &c) != 0)
		xalloc_die();
	/* No export leaves without its entry in the audit log. */
	if ((ex = audit_export(cmd, &l, &o, c.n))) {
		;
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
	return ex;	/* vigie.c checks that the output was written */
}
