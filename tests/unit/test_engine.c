/* The rules engine: every path of the SPEC 5 state machine on small
 * hand-written series, and a property test that the backward walk used by
 * engine_eval agrees with a literal forward replay of the SPEC on random
 * series and rules (and with engine_backtest's transitions). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "vigie/engine.h"
#include "vigie/rules.h"
#include "vigie/series.h"

#define P0 (2025 * 12)	/* 2025-01 */

static struct ruleset *rules(const char *yaml)
{
	char path[] = "/tmp/vigie-engine-XXXXXX.yaml";
	int fd = mkstemps(path, 5);
	struct diags d = { 0 };
	struct ruleset *rs;
	const char *files[1] = { path };

	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, yaml, strlen(yaml)), (ssize_t)strlen(yaml));
	close(fd);
	rs = ruleset_load_files(files, 1, NULL, &d);
	if (!rs || d.n) {
		char *s = diags_to_string(&d, 0);
		cr_log_error("%s", s);
		free(s);
	}
	unlink(path);
	cr_assert_not_null(rs);
	cr_assert_eq(d.n, 0);
	diags_free(&d);
	return rs;
}

/* series(np, "unit", "indicator", "1 2 _ 4", ..., NULL): values from P0;
 * "_" is missing. */
static struct series *series(int np, ...)
{
	struct series_builder *b = sb_new(GRAN_MONTH, P0, P0 + np - 1);
	va_list ap;
	const char *u, *ind, *vals;

	cr_assert_not_null(b);
	/* Units and indicators first, as the builder wants. */
	int32_t ids[64][2];
	int n = 0;
	va_start(ap, np);
	while ((u = va_arg(ap, const char *))) {
		ind = va_arg(ap, const char *);
		(void)va_arg(ap, const char *);
		cr_assert(n < 64);
		ids[n][0] = sb_unit(b, u);
		ids[n][1] = sb_indicator(b, ind);
		cr_assert(ids[n][0] >= 0 && ids[n][1] >= 0);
		n++;
	}
	va_end(ap);
	n = 0;
	va_start(ap, np);
	while ((u = va_arg(ap, const char *))) {
		ind = va_arg(ap, const char *);
		vals = va_arg(ap, const char *);
		int32_t ui = ids[n][0], ii = ids[n][1];
		n++;
		char *copy = strdup(vals), *save = NULL;
		int32_t p = P0;
		for (char *t = strtok_r(copy, " ", &save); t;
		    t = strtok_r(NULL, " ", &save), p++)
			if (strcmp(t, "_"))
				sb_set(b, (uint32_t)ui, (uint32_t)ii, p, strtod(t, NULL));
		free(copy);
	}
	va_end(ap);
	struct series *s = sb_finish(b);
	cr_assert_not_null(s);
	return s;
}

/* The row of rule `id` for `unit` when evaluating at P0 + i. */
static struct eval_row row_at(const struct ruleset *rs, const struct series *s,
    const char *id, const char *unit, int i)
{
	struct eval_row *rows, r;
	size_t n;
	int32_t u = series_unit(s, unit);

	cr_assert(u >= 0, "unit %s", unit);
	cr_assert_eq(engine_eval(rs, s, NULL, 5, P0 + i, &rows, &n), 0);
	for (size_t k = 0; k < n; k++) {
		if (!strcmp(rs->rules[rows[k].rule].id, id) &&
		    rows[k].unit == (uint32_t)u) {
			r = rows[k];
			free(rows);
			return r;
		}
	}
	free(rows);
	cr_assert_fail("no row for %s@%s", id, unit);
	return r;
}

/* "inactive", or "warning@3" (severity and since as index from P0). */
static const char *state_of(const struct eval_row *r, char *buf, size_t n)
{
	if (!r->active)
		return "inactive";
	snprintf(buf, n, "%s@%d", severity_name(r->severity), r->since - P0);
	return buf;
}

/* Checks the state at each period against a space-separated list. */
static void expect_states(const struct ruleset *rs, const struct series *s,
    const char *id, const char *unit, const char *want)
{
	char *copy = strdup(want), *save = NULL, buf[64];
	int i = 0;

	for (char *t = strtok_r(copy, " ", &save); t;
	    t = strtok_r(NULL, " ", &save), i++) {
		struct eval_row r = row_at(rs, s, id, unit, i);
		cr_expect_str_eq(state_of(&r, buf, sizeof(buf)), t,
		    "%s@%s at period %d: got %s, want %s", id, unit, i,
		    state_of(&r, buf, sizeof(buf)), t);
	}
	free(copy);
}

static void count_firing(const struct transition *t, void *arg)
{
	*(int *)arg += t->kind == TR_FIRING;
}

#define HC "headcount", "20 20 20 20 20 20 20 20"

Test(engine, for_needs_consecutive_crossed_periods)
{
	struct ruleset *rs = rules("rules:\n"
	    "  - {id: r, title: t, value: x, above: {warning: 10, critical: 20}, for: 2}\n");
	struct series *s = series(7, "a", HC, "a", "x", "15 5 15 15 25 5 15", NULL);

	expect_states(rs, s, "r", "a",
	    "inactive inactive inactive warning@3 critical@3 inactive inactive");
	series_free(s);
	ruleset_free(rs);
}

Test(engine, clear_band_keeps_alert_active_at_lowest_severity)
{
	struct ruleset *rs = rules("rules:\n"
	    "  - {id: r, title: t, value: x, above: {warning: 10, critical: 20, clear: 5}}\n");
	struct series *s = series(6, "a", HC, "a", "x", "25 8 12 6 3 8", NULL);

	/* 8 is in the band (5, 10]: still active, level none -> warning. */
	expect_states(rs, s, "r", "a",
	    "critical@0 warning@0 warning@0 warning@0 inactive inactive");
	struct eval_row r = row_at(rs, s, "r", "a", 1);
	cr_expect_eq(r.level, SEV_NONE);
	cr_expect_eq(r.threshold, 10, "threshold of the active severity");
	series_free(s);
	ruleset_free(rs);
}

Test(engine, missing_data_neither_fires_nor_resolves)
{
	struct ruleset *rs = rules("rules:\n"
	    "  - {id: r, title: t, value: x, above: {warning: 10, critical: 20}, for: 2}\n");
	struct series *s = series(8, "a", HC, "a", "x", "25 25 _ _ 3 15 _ 15", NULL);

	expect_states(rs, s, "r", "a",
	    "inactive critical@1 critical@1 critical@1 inactive inactive inactive inactive");
	struct eval_row r = row_at(rs, s, "r", "a", 2);
	cr_expect(isnan(r.value));
	cr_expect_eq(r.level, SEV_NONE);
	series_free(s);
	ruleset_free(rs);
}

Test(engine, data_after_the_last_period_carries_the_state_over)
{
	struct ruleset *rs = rules("rules:\n"
	    "  - {id: r, title: t, value: x, above: {warning: 10}}\n");
	struct series *s = series(2, "a", HC, "a", "x", "5 15", NULL);

	struct eval_row r = row_at(rs, s, "r", "a", 5);
	cr_expect(r.active);
	cr_expect_eq(r.since, P0 + 1);
	r = row_at(rs, s, "r", "a", -3);
	cr_expect(!r.active);
	series_free(s);
	ruleset_free(rs);
}

Test(engine, a_window_does_not_fire_before_it_is_full)
{
	/* departures-wave in the demo's first month: a 3-month sum over one
	 * month of data was 3 departures out of a mean headcount of 20 */
	struct ruleset *rs = rules("rules:\n"
	    "  - {id: r, title: t, value: \"100 * sum(x, 3) / avg(headcount, 3)\", "
	    "above: {warning: 6}}\n");
	struct series *s = series(4, "a", HC, "a", "x", "3 0 0 0", NULL);

	expect_states(rs, s, "r", "a", "inactive inactive warning@2 inactive");
	cr_expect(isnan(row_at(rs, s, "r", "a", 1).value));
	cr_expect_eq(row_at(rs, s, "r", "a", 2).value, 15);
	series_free(s);
	ruleset_free(rs);
}

Test(engine, carry_over_resolves_after_that_many_undefined_periods)
{
	struct ruleset *rs = rules("rules:\n"
	    "  - {id: r, title: t, value: x, above: {warning: 10, critical: 20}, "
	    "carry_over: 2}\n"
	    "  - {id: zero, title: t, value: x, above: {warning: 10, critical: 20}, "
	    "carry_over: 0}\n"
	    "  - {id: dflt, title: t, value: x, above: {warning: 10, critical: 20}}\n");
	struct series *s = series(8, "a", HC, "a", "x", "25 _ _ _ 25 _ 5 _", NULL);

	expect_states(rs, s, "r", "a", "critical@0 critical@0 critical@0 inactive "
	    "critical@4 critical@4 inactive inactive");
	expect_states(rs, s, "zero", "a", "critical@0 inactive inactive inactive "
	    "critical@4 inactive inactive inactive");
	/* the rule set's carry_over (6, or the configuration's) */
	expect_states(rs, s, "dflt", "a", "critical@0 critical@0 critical@0 "
	    "critical@0 critical@0 critical@0 inactive inactive");
	rs->carry_over = 1;
	expect_states(rs, s, "dflt", "a", "critical@0 critical@0 inactive inactive "
	    "critical@4 critical@4 inactive inactive");
	/* the rows say why they are inactive: missing data after an alert */
	cr_expect(row_at(rs, s, "r", "a", 3).missing);
	cr_expect(!row_at(rs, s, "r", "a", 2).missing);
	cr_expect(!row_at(rs, s, "r", "a", 4).missing);
	/* resolved by a value inside clear, then missing: not for missing data */
	cr_expect(!row_at(rs, s, "zero", "a", 7).missing);
	cr_expect(row_at(rs, s, "zero", "a", 5).missing);
	series_free(s);
	ruleset_free(rs);
}

/* The period whose value decided the state (what the daemon records an
 * event at when the latest value is undefined), and engine_row giving the
 * row engine_eval gives. */
Test(engine, basis_is_the_period_that_decided_the_state)
{
	struct ruleset *rs = rules("rules:\n"
	    "  - {id: r, title: t, value: x, above: {warning: 10, clear: 5}, "
	    "carry_over: 2}\n");
	struct series *s = series(8, "a", HC, "a", "x", "25 12 3 8 _ 25 _ _", NULL);
	/* active: the latest defined value; inactive: the latest inside clear
	 * (8 is in the band, and holds nothing once resolved); past
	 * carry_over, resolved for missing data: none */
	const int want[] = { 0, 1, 2, 2, 2, 5, 5, 5, -1 };

	for (int i = 0; i < 9; i++) {
		struct eval_row r = row_at(rs, s, "r", "a", i), o;

		cr_expect_eq(r.basis, want[i] < 0 ? -1 : P0 + want[i], "at %d: %d", i,
		    r.basis - P0);
		cr_assert_eq(engine_row(rs, s, NULL, 5, 0, (uint32_t)series_unit(s, "a"),
		    P0 + i, &o), 0);
		cr_expect_eq(o.basis, r.basis);
		cr_expect_eq(o.active, r.active);
		cr_expect_eq(o.severity, r.severity);
		cr_expect(o.value == r.value || (isnan(o.value) && isnan(r.value)));
	}
	/* a unit outside the rule's scope (none here: an index past the units) */
	struct eval_row o;
	cr_expect_eq(engine_row(rs, s, NULL, 5, 0, 99, P0, &o), -1);
	series_free(s);
	ruleset_free(rs);
}

Test(engine, carry_over_counts_the_periods_after_the_data)
{
	struct ruleset *rs = rules("rules:\n"
	    "  - {id: r, title: t, value: x, above: {warning: 10}, carry_over: 3}\n");
	struct series *s = series(2, "a", HC, "a", "x", "5 15", NULL);

	cr_expect(row_at(rs, s, "r", "a", 4).active);
	struct eval_row r = row_at(rs, s, "r", "a", 5);
	cr_expect(!r.active);
	cr_expect(r.missing);
	/* a unit never active has nothing to resolve */
	cr_expect(!row_at(rs, s, "r", "a", -3).missing);
	series_free(s);
	ruleset_free(rs);
}

struct tr_log {
	char buf[1024];
};

static void log_tr(const struct transition *t, void *arg)
{
	struct tr_log *l = arg;
	size_t n = strlen(l->buf);
	const char *to = severity_name(t->to);

	snprintf(l->buf + n, sizeof(l->buf) - n, "%s%d:%s:%s:%g",
	    n ? " " : "", t->period - P0, transition_name(t->kind),
	    to ? to : "-", t->value);
}

Test(engine, backtest_reports_escalation_deescalation_and_resolving_value)
{
	struct ruleset *rs = rules("rules:\n"
	    "  - {id: r, title: t, value: x, above: {warning: 10, critical: 20}}\n");
	struct series *s = series(6, "a", HC, "a", "x", "15 25 15 _ 3 12", NULL);
	struct tr_log l = { "" };

	cr_assert_eq(engine_backtest(rs, s, NULL, 5, P0, P0 + 5, log_tr, &l), 0);
	cr_expect_str_eq(l.buf, "0:firing:warning:15 1:escalated:critical:25 "
	    "2:deescalated:warning:15 4:resolved:-:3 5:firing:warning:12");
	/* Only the window is reported, though the replay starts earlier. */
	l.buf[0] = '\0';
	cr_assert_eq(engine_backtest(rs, s, NULL, 5, P0 + 2, P0 + 4, log_tr, &l), 0);
	cr_expect_str_eq(l.buf, "2:deescalated:warning:15 4:resolved:-:3");
	series_free(s);
	ruleset_free(rs);
}

static void log_missing(const struct transition *t, void *arg)
{
	struct tr_log *l = arg;
	size_t n = strlen(l->buf);

	snprintf(l->buf + n, sizeof(l->buf) - n, "%s%d:%s%s", n ? " " : "",
	    t->period - P0, transition_name(t->kind), t->missing ? ":missing" : "");
}

Test(engine, backtest_resolves_for_missing_data_after_carry_over)
{
	struct ruleset *rs = rules("rules:\n"
	    "  - {id: r, title: t, value: x, above: {warning: 10}, carry_over: 2}\n");
	struct series *s = series(8, "a", HC, "a", "x", "15 _ _ _ 15 3 _ _", NULL);
	struct tr_log l = { "" };

	cr_assert_eq(engine_backtest(rs, s, NULL, 5, P0, P0 + 7, log_tr, &l), 0);
	cr_expect_str_eq(l.buf, "0:firing:warning:15 3:resolved:-:nan "
	    "4:firing:warning:15 5:resolved:-:3");
	l.buf[0] = '\0';
	cr_assert_eq(engine_backtest(rs, s, NULL, 5, P0, P0 + 7, log_missing, &l), 0);
	cr_expect_str_eq(l.buf, "0:firing 3:resolved:missing 4:firing 5:resolved");
	/* past the series: an active alert resolves when carry_over runs
	 * out, and nothing after */
	l.buf[0] = '\0';
	cr_assert_eq(engine_backtest(rs, s, NULL, 5, P0 + 4, P0 + 400, log_missing, &l), 0);
	cr_expect_str_eq(l.buf, "4:firing 5:resolved");
	struct series *s2 = series(2, "a", HC, "a", "x", "15 15", NULL);
	l.buf[0] = '\0';
	cr_assert_eq(engine_backtest(rs, s2, NULL, 5, P0, P0 + 400, log_missing, &l), 0);
	cr_expect_str_eq(l.buf, "0:firing 4:resolved:missing");
	series_free(s2);
	series_free(s);
	ruleset_free(rs);
}

static void log_expected(const struct transition *t, void *arg)
{
	struct tr_log *l = arg;
	size_t n = strlen(l->buf);

	snprintf(l->buf + n, sizeof(l->buf) - n, "%s%d:%g/%g", n ? " " : "",
	    t->period - P0, t->observed, t->expected);
}

Test(engine, observed_and_expected_come_with_the_value)
{
	struct ruleset *rs = rules("rules:\n"
	    "  - {id: r, title: t, value: x / y, above: {warning: 2}, "
	    "observed: x, expected: 2 * y}\n"
	    "  - {id: plain, title: t, value: x / y, above: {warning: 2}}\n");
	struct series *s = series(4, "a", "headcount", "20 20 3 20",
	    "a", "x", "10 4 30 _", "a", "y", "2 2 5 2", NULL);
	struct engine_point pt[5];
	struct tr_log l = { "" };

	struct eval_row r = row_at(rs, s, "r", "a", 0);
	cr_expect_eq(r.value, 5);
	cr_expect_eq(r.observed, 10);
	cr_expect_eq(r.expected, 4);
	r = row_at(rs, s, "plain", "a", 0);
	cr_expect_eq(r.observed, 5, "observed defaults to the value");
	cr_expect(isnan(r.expected));
	/* nothing where the value is undefined or hidden */
	r = row_at(rs, s, "r", "a", 2);
	cr_expect(r.suppressed && isnan(r.observed) && isnan(r.expected));
	r = row_at(rs, s, "r", "a", 3);
	cr_expect(isnan(r.observed) && isnan(r.expected));
	cr_assert_eq(engine_backtest(rs, s, NULL, 5, P0, P0 + 3, log_expected, &l), 0);
	/* period, then rule: the resolving value has them too */
	cr_expect_str_eq(l.buf, "0:10/4 0:5/nan 1:4/4 1:2/nan");
	engine_points(rs, s, NULL, 5, 0, 0, P0 + 3, 5, pt);
	cr_expect(isnan(pt[0].value) && isnan(pt[0].expected));
	cr_expect(pt[1].value == 5 && pt[1].observed == 10 && pt[1].expected == 4);
	cr_expect(pt[2].value == 2 && pt[2].observed == 4 && pt[2].expected == 4);
	cr_expect(isnan(pt[3].value) && isnan(pt[3].observed));
	cr_expect(isnan(pt[4].value) && isnan(pt[4].expected));
	/* why a point has no value: before the data, no data; under the
	 * floor, hidden; x undefined, neither */
	cr_expect(pt[0].nodata && !pt[0].hidden);
	cr_expect(pt[3].hidden && !pt[3].nodata);
	cr_expect(!pt[4].hidden && !pt[4].nodata && !pt[1].nodata);
	series_free(s);
	ruleset_free(rs);
}

Test(engine, below_rules_mirror_thresholds_and_clear)
{
	struct ruleset *rs = rules("rules:\n"
	    "  - {id: r, title: t, value: x, below: {warning: 10, critical: 5, clear: 12}}\n");
	struct series *s = series(6, "a", HC, "a", "x", "20 8 3 11 13 9", NULL);

	expect_states(rs, s, "r", "a",
	    "inactive warning@1 critical@1 warning@1 inactive warning@5");
	cr_expect_eq(row_at(rs, s, "r", "a", 2).threshold, 5);
	series_free(s);
	ruleset_free(rs);
}

Test(engine, a_missing_warning_or_critical_never_matches)
{
	struct ruleset *rs = rules("rules:\n"
	    "  - {id: conly, title: t, value: x, above: {critical: 20}}\n"
	    "  - {id: wonly, title: t, value: x, above: {warning: 10}}\n");
	struct series *s = series(4, "a", HC, "a", "x", "15 25 15 100", NULL);

	expect_states(rs, s, "conly", "a", "inactive critical@1 inactive critical@3");
	expect_states(rs, s, "wonly", "a", "warning@0 warning@0 warning@0 warning@0");
	cr_expect_eq(row_at(rs, s, "wonly", "a", 3).level, SEV_WARNING);
	series_free(s);
	ruleset_free(rs);
}

static size_t count_rows(const struct ruleset *rs, const struct series *s,
    char *units, size_t size)
{
	struct eval_row *rows;
	size_t n;

	cr_assert_eq(engine_eval(rs, s, NULL, 5, P0, &rows, &n), 0);
	units[0] = '\0';
	for (size_t k = 0; k < n; k++) {
		size_t len = strlen(units);
		snprintf(units + len, size - len, "%s%s:%s", len ? " " : "",
		    rs->rules[rows[k].rule].id, s->units[rows[k].unit]);
	}
	free(rows);
	return n;
}

Test(engine, rows_follow_rule_order_then_unit_path_and_respect_scope)
{
	struct ruleset *rs = rules("rules:\n"
	    "  - {id: all, title: t, value: x, above: {warning: 10}}\n"
	    "  - {id: sub, title: t, value: x, above: {warning: 10}, scope: \"acme/**\"}\n"
	    "  - {id: one, title: t, value: x, above: {warning: 10}, scope: [\"*/b\", zeta]}\n"
	    "  - {id: off, title: t, value: x, above: {warning: 10}, enabled: false}\n");
	struct series *s = series(1, "zeta", "x", "1", "acme/b", "x", "1",
	    "acme/a/z", "x", "1", NULL);
	char buf[512];

	cr_expect_eq(count_rows(rs, s, buf, sizeof(buf)), 10);
	cr_expect_str_eq(buf, "all:acme all:acme/a all:acme/a/z all:acme/b "
	    "all:zeta sub:acme/a sub:acme/a/z sub:acme/b one:acme/b one:zeta");
	series_free(s);
	ruleset_free(rs);
}

/* What charts, digests and history read of one rule at one unit: nothing
 * where the rule's scope does not hold the unit, as in the walk above. */
Test(engine, one_unit_reads_respect_the_rule_scope)
{
	struct ruleset *rs = rules("rules:\n"
	    "  - {id: sub, title: t, value: x, above: {warning: 10}, scope: \"acme/**\",\n"
	    "     components: {big: x > 1}}\n");
	struct series *s = series(2, "zeta", HC, "zeta", "x", "3 4",
	    "acme/b", HC, "acme/b", "x", "5 6", NULL);
	uint32_t in = (uint32_t)series_unit(s, "acme/b");
	uint32_t out = (uint32_t)series_unit(s, "zeta");
	struct engine_point pt[2];
	double h[2], c[1];

	engine_points(rs, s, NULL, 5, 0, in, P0 + 1, 2, pt);
	cr_expect(pt[0].value == 5 && pt[1].value == 6 && pt[1].observed == 6);
	engine_points(rs, s, NULL, 5, 0, out, P0 + 1, 2, pt);
	cr_expect(isnan(pt[0].value) && isnan(pt[1].value) && isnan(pt[1].observed));
	engine_history(rs, s, NULL, 5, 0, in, P0 + 1, 2, h);
	cr_expect(h[0] == 5 && h[1] == 6);
	engine_history(rs, s, NULL, 5, 0, out, P0 + 1, 2, h);
	cr_expect(isnan(h[0]) && isnan(h[1]));
	engine_terms(rs, s, NULL, 5, 0, in, P0 + 1, c, NULL);
	cr_expect_eq(c[0], 1);
	engine_terms(rs, s, NULL, 5, 0, out, P0 + 1, c, NULL);
	cr_expect(isnan(c[0]));
	/* a rule or unit that does not exist reads as nothing too */
	engine_history(rs, s, NULL, 5, 1, in, P0 + 1, 2, h);
	cr_expect(isnan(h[0]) && isnan(h[1]));
	engine_points(rs, s, NULL, 5, 0, (uint32_t)s->nunits, P0 + 1, 2, pt);
	cr_expect(isnan(pt[0].value) && isnan(pt[1].value));
	series_free(s);
	ruleset_free(rs);
}

Test(engine, when_guard_makes_the_value_undefined_and_carries_state)
{
	struct ruleset *rs = rules("rules:\n"
	    "  - {id: r, title: t, value: x, when: y > 0, above: {warning: 10}}\n");
	struct series *s = series(4, "a", HC, "a", "x", "15 3 3 3",
	    "a", "y", "1 0 _ 1", NULL);

	expect_states(rs, s, "r", "a", "warning@0 warning@0 warning@0 inactive");
	cr_expect(isnan(row_at(rs, s, "r", "a", 1).value));
	series_free(s);
	ruleset_free(rs);
}

Test(engine, anonymity_floor_hides_values_and_carries_alerts_over)
{
	struct ruleset *rs = rules("rules:\n"
	    "  - {id: r, title: t, value: x, above: {warning: 10}}\n"
	    "  - {id: strict, title: t, value: x, above: {warning: 10}, min_headcount: 10}\n");
	struct series *s = series(4, "a", "headcount", "8 4 4 8",
	    "a", "x", "15 3 3 3", NULL);

	/* Configured floor 5: headcount 4 suppresses, 8 does not. */
	expect_states(rs, s, "r", "a", "warning@0 warning@0 warning@0 inactive");
	struct eval_row r = row_at(rs, s, "r", "a", 1);
	cr_expect(r.suppressed);
	cr_expect(isnan(r.value));
	cr_expect(!row_at(rs, s, "r", "a", 0).suppressed);
	/* The rule's own floor of 10 suppresses every period. */
	expect_states(rs, s, "strict", "a", "inactive inactive inactive inactive");
	cr_expect(row_at(rs, s, "strict", "a", 0).suppressed);
	series_free(s);
	ruleset_free(rs);
}

/* SPEC 3 through time: what an event recorded is shown while today's data
 * gives it as outputs print it. A probability prints 0.0 at one decimal
 * before and after a revision; its counts and the JSON value do not. */
Test(engine, recorded_values_are_compared_as_printed_with_their_counts)
{
	struct ruleset *rs = rules("rules:\n"
	    "  - {id: r, title: t, value: 1 / (1000 * x), observed: x, expected: 1,\n"
	    "     below: {warning: 0.001}, decimals: 1}\n");
	struct series *then = series(1, "a", HC, "a", "x", "6", NULL);
	struct series *today = series(1, "a", HC, "a", "x", "3", NULL);
	struct engine_point rec = { 1 / 6000.0, 6, 1, false, false }, now;
	struct engine_point bare = { 1 / 6000.0, NAN, NAN, false, false };
	struct engine_point none = { NAN, 6, 1, false, false };

	cr_expect_eq(engine_recorded(rs, then, NULL, 5, "r", "a", P0, &rec, 1, &now),
	    RECORDED_SHOWN);
	cr_expect_eq(now.observed, 6);
	cr_expect_eq(engine_recorded(rs, today, NULL, 5, "r", "a", P0, &rec, 1, &now),
	    RECORDED_REVISED, "6 conflicts then, 3 now: both print 0.0");
	cr_expect(now.observed == 3 && now.expected == 1);
	cr_expect_eq(engine_recorded(rs, today, NULL, 5, "r", "a", P0, &bare, 1, &now),
	    RECORDED_REVISED, "the value alone differs beyond its decimals");
	cr_expect_eq(engine_recorded(rs, today, NULL, 5, "r", "a", P0, &none, 1, &now),
	    RECORDED_SHOWN, "nothing was shown");
	series_free(then);
	series_free(today);
	ruleset_free(rs);

	/* The same value, other counts: each count is checked. */
	rs = rules("rules:\n"
	    "  - {id: q, title: t, value: y, observed: x, expected: z,\n"
	    "     above: {warning: 2}, decimals: 1}\n");
	today = series(1, "a", HC, "a", "x", "3", "a", "y", "1", "a", "z", "2", NULL);
	rec = (struct engine_point){ 1, 6, 2, false, false };
	cr_expect_eq(engine_recorded(rs, today, NULL, 5, "q", "a", P0, &rec, 1, &now),
	    RECORDED_REVISED, "observed 6 then, 3 now");
	rec = (struct engine_point){ 1, 3, 5, false, false };
	cr_expect_eq(engine_recorded(rs, today, NULL, 5, "q", "a", P0, &rec, 1, &now),
	    RECORDED_REVISED, "expected 5 then, 2 now");
	rec = (struct engine_point){ 1, 3, 2, false, false };
	cr_expect_eq(engine_recorded(rs, today, NULL, 5, "q", "a", P0, &rec, 1, &now),
	    RECORDED_SHOWN);
	series_free(today);
	ruleset_free(rs);
}

Test(engine, history_gives_values_with_holes_where_hidden)
{
	struct ruleset *rs = rules("rules:\n"
	    "  - {id: r, title: t, value: x * 2, above: {warning: 10}}\n");
	struct series *s = series(3, "a", "headcount", "8 4 8",
	    "a", "x", "1 2 3", NULL);
	double out[5];

	engine_history(rs, s, NULL, 5, 0, (uint32_t)series_unit(s, "a"), P0 + 3, 5, out);
	cr_expect(isnan(out[0]));
	cr_expect_eq(out[1], 2);
	cr_expect(isnan(out[2]), "suppressed");
	cr_expect_eq(out[3], 6);
	cr_expect(isnan(out[4]), "after the data");
	series_free(s);
	ruleset_free(rs);
}

/* --- property test: backward walk == literal forward replay ---------- */

static unsigned rnd_state = 12345;

static unsigned rnd(unsigned n)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (rnd_state >> 16) % n;
}

struct ref_state {
	bool active;
	enum severity sev;
	int32_t since;
};

static enum severity ref_level(const struct rule *r, double x)
{
	if (isnan(x))
		return SEV_NONE;
	if (r->has_critical && (r->below ? x < r->critical : x > r->critical))
		return SEV_CRITICAL;
	if (r->has_warning && (r->below ? x < r->warning : x > r->warning))
		return SEV_WARNING;
	return SEV_NONE;
}

/* SPEC 5, item 3, written as literally as possible (the rule set's
 * carry_over is the default, 6). */
static void ref_replay(const struct rule *r, const double *v, int np,
    struct ref_state *out)
{
	struct ref_state st = { false, SEV_NONE, -1 };
	int carry = r->carry_over >= 0 ? r->carry_over : 6, undefined = 0;

	for (int p = 0; p < np; p++) {
		undefined = isnan(v[p]) ? undefined + 1 : 0;
		if (undefined > carry)
			st = (struct ref_state){ false, SEV_NONE, -1 };
		if (!isnan(v[p])) {
			bool crossed = true;
			for (int q = p - r->for_n + 1; q <= p; q++)
				if (q < 0 || ref_level(r, v[q]) == SEV_NONE)
					crossed = false;
			bool beyond = r->below ? v[p] < r->clear : v[p] > r->clear;
			if (crossed) {
				if (!st.active)
					st.since = p;
				st.active = true;
				st.sev = ref_level(r, v[p]);
			} else if (st.active && beyond) {
				st.sev = ref_level(r, v[p]);
				if (st.sev == SEV_NONE)
					st.sev = r->has_warning ? SEV_WARNING : SEV_CRITICAL;
			} else {
				st = (struct ref_state){ false, SEV_NONE, -1 };
			}
		}
		out[p] = st;
	}
}

static void random_rules(char *buf, size_t size, int n)
{
	static const char *const carry[] = { "", "", "    carry_over: 0\n",
	    "    carry_over: 1\n", "    carry_over: 3\n" };
	static const char *const values[] = {
		"x", "x", "x / headcount * 10", "sum(x, 2)", "avg(x, 3, 1)",
		"coalesce(x, 7)",
		/* bodies kept in the memos, shared or not */
		"10 * avg(x / headcount, 2) / avg(x / headcount, 4, 1)",
		"10 + 5 * zscore(x + y, 3)",
		"10 + slope(coalesce(x, 1) * 2, 3)",
		"x - parent(sum(x + 1, 2)) + sum(x + 1, 2)",
		/* the statistics of issue 13 */
		"cusum(x / 3 - 3, 4, 0.5) * 3",
		"ewma(x, 3, 0.4)",
		"20 * nbinom_tail(x, 1 + avg(x, 3, 1), dispersion(x, headcount, 4, 1))",
		"20 * credible_rate(sum(x, 2), sum(headcount, 2), top(x / headcount), 10)",
		"seasonal_expected(x + 1, headcount, 1, 0) - peer_expected(x, headcount)",
	};
	size_t len = (size_t)snprintf(buf, size, "rules:\n");

	for (int i = 0; i < n; i++) {
		int w = 5 + (int)rnd(10), c = w + 1 + (int)rnd(10);
		bool below = rnd(3) == 0;
		int kind = (int)rnd(3);	/* 0 both, 1 warning only, 2 critical only */
		char th[128];
		int lo = kind == 2 ? c : w;
		int clear = below ? lo + (int)rnd(4) : lo - (int)rnd(4);

		if (below) {
			/* Mirror: critical below warning. */
			int cb = w, wb = c;
			lo = kind == 2 ? cb : wb;
			clear = lo + (int)rnd(4);
			if (kind == 0)
				snprintf(th, sizeof(th), "warning: %d, critical: %d, clear: %d",
				    wb, cb, clear);
			else if (kind == 1)
				snprintf(th, sizeof(th), "warning: %d, clear: %d", wb, clear);
			else
				snprintf(th, sizeof(th), "critical: %d, clear: %d", cb, clear);
		} else if (kind == 0) {
			snprintf(th, sizeof(th), "warning: %d, critical: %d, clear: %d",
			    w, c, clear);
		} else if (kind == 1) {
			snprintf(th, sizeof(th), "warning: %d, clear: %d", w, clear);
		} else {
			snprintf(th, sizeof(th), "critical: %d, clear: %d", c, clear);
		}
		len += (size_t)snprintf(buf + len, size - len,
		    "  - id: r%d\n    title: t\n    value: %s\n    %s: {%s}\n"
		    "    for: %d\n%s%s%s",
		    i, values[rnd(15)], below ? "below" : "above", th,
		    1 + (int)rnd(3), rnd(4) == 0 ? "    when: y > 0\n" : "",
		    rnd(5) == 0 ? "    min_headcount: 9\n" : "",
		    carry[rnd(5)]);
		cr_assert(len < size);
	}
}

static void random_series_text(char *buf, size_t size, int np, int lo, int hi,
    int missing)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int p = 0; p < np; p++) {
		if ((int)rnd(100) < missing)
			len += (size_t)snprintf(buf + len, size - len, "%s_", p ? " " : "");
		else
			len += (size_t)snprintf(buf + len, size - len, "%s%d", p ? " " : "",
			    lo + (int)rnd((unsigned)(hi - lo + 1)));
	}
}

struct bt_state {
	const struct ruleset *rs;
	const struct series *s;
	struct ref_state *st;	/* [rule][unit][period] replayed from transitions */
	int np;
};

static void bt_apply(const struct transition *t, void *arg)
{
	struct bt_state *b = arg;
	size_t base = ((size_t)t->rule * b->s->nunits + t->unit) * (size_t)b->np;

	for (int p = t->period - P0; p < b->np; p++) {
		struct ref_state *x = &b->st[base + (size_t)p];
		x->active = t->kind != TR_RESOLVED;
		x->sev = t->to;
		x->since = x->active ? t->since - P0 : -1;
	}
}

static void property_round(int np)
{
	static char yaml[65536];
	char xs[4][1024], hs[4][1024], ys[1024];

	random_rules(yaml, sizeof(yaml), 12);
	struct ruleset *rs = rules(yaml);
	for (int i = 0; i < 4; i++) {
		random_series_text(xs[i], sizeof(xs[i]), np, 0, 30, 15);
		random_series_text(hs[i], sizeof(hs[i]), np, 3, 12, 5);
	}
	random_series_text(ys, sizeof(ys), np, 0, 3, 10);
	struct series *s = series(np, "c/a", "x", xs[0], "c/a", "headcount", hs[0],
	    "c/b", "x", xs[1], "c/b", "headcount", hs[1],
	    "d", "x", xs[2], "d", "headcount", hs[2], "c/a", "y", ys,
	    "d", "y", ys, NULL);
	double *v = calloc((size_t)np, sizeof(*v));
	struct ref_state *ref = calloc((size_t)np, sizeof(*ref));
	struct bt_state bt = { rs, s, calloc(rs->n * s->nunits * (size_t)np,
	    sizeof(struct ref_state)), np };

	for (size_t i = 0; i < rs->n * s->nunits * (size_t)np; i++)
		bt.st[i].since = -1;
	cr_assert_eq(engine_backtest(rs, s, NULL, 5, P0, P0 + np - 1, bt_apply, &bt), 0);
	for (int p = 0; p < np; p++) {
		struct eval_row *rows;
		size_t n;
		cr_assert_eq(engine_eval(rs, s, NULL, 5, P0 + p, &rows, &n), 0);
		cr_assert_eq(n, rs->n * s->nunits);
		for (size_t k = 0; k < n; k++) {
			const struct rule *r = &rs->rules[rows[k].rule];
			engine_history(rs, s, NULL, 5, rows[k].rule, rows[k].unit,
			    P0 + np - 1, np, v);
			ref_replay(r, v, np, ref);
			const struct ref_state *b = &bt.st[((size_t)rows[k].rule *
			    s->nunits + rows[k].unit) * (size_t)np + (size_t)p];
			cr_assert_eq(rows[k].active, ref[p].active,
			    "%s@%s at %d: active %d, replay says %d\n%s",
			    r->id, s->units[rows[k].unit], p, rows[k].active,
			    ref[p].active, yaml);
			cr_assert_eq(rows[k].severity, ref[p].active ? ref[p].sev : SEV_NONE,
			    "%s@%s at %d", r->id, s->units[rows[k].unit], p);
			cr_assert_eq(rows[k].since, ref[p].active ? P0 + ref[p].since : -1,
			    "%s@%s at %d: since", r->id, s->units[rows[k].unit], p);
			cr_assert_eq(b->active, ref[p].active, "backtest %s@%s at %d",
			    r->id, s->units[rows[k].unit], p);
			cr_assert_eq(b->sev, ref[p].active ? ref[p].sev : SEV_NONE);
			cr_assert_eq(b->since, ref[p].since);
			if (isnan(v[p]))
				cr_assert(isnan(rows[k].value));
			else
				cr_assert_eq(rows[k].value, v[p]);
		}
		free(rows);
	}
	free(bt.st);
	free(v);
	free(ref);
	series_free(s);
	ruleset_free(rs);
}

Test(engine, backward_walk_equals_forward_replay_on_random_series)
{
	for (int round = 0; round < 60; round++)
		property_round(6 + (int)rnd(20));
}

static bool same_row(const struct eval_row *a, const struct eval_row *b)
{
	return a->rule == b->rule && a->unit == b->unit && a->period == b->period &&
	    a->level == b->level && a->active == b->active &&
	    a->severity == b->severity && a->since == b->since &&
	    a->suppressed == b->suppressed &&
	    memcmp(&a->value, &b->value, sizeof(double)) == 0 &&
	    memcmp(&a->threshold, &b->threshold, sizeof(double)) == 0;
}

/* Random rules over 48 sites of 10 teams (528 units: 9 chunks of 64 units
 * each thread takes from a shared counter, so every thread gets work): two
 * and four threads give exactly the rows of one, in the same order. */
Test(engine, two_threads_give_the_same_rows_as_one)
{
	enum { NPER = 14, NSITE = 48, NTEAM = 10 };
	static char yaml[65536];

	for (int round = 0; round < 3; round++) {
		struct series_builder *b = sb_new(GRAN_MONTH, P0, P0 + NPER - 1);
		random_rules(yaml, sizeof(yaml), 12);
		struct ruleset *rs = rules(yaml);
		int32_t ix = sb_indicator(b, "x"), iy = sb_indicator(b, "y");
		int32_t ih = sb_indicator(b, "headcount");
		for (int si = 0; si < NSITE; si++)
			for (int t = 0; t < NTEAM; t++) {
				char path[32];
				snprintf(path, sizeof(path), "c/s%d/t%d", si, t);
				cr_assert(sb_unit(b, path) >= 0);
			}
		for (uint32_t u = 0; u < 2 + NSITE * (NTEAM + 1); u++)
			for (int p = 0; p < NPER; p++) {
				if (rnd(10) == 0)
					continue;
				sb_set(b, u, (uint32_t)ix, P0 + p, (double)rnd(30));
				sb_set(b, u, (uint32_t)iy, P0 + p, (double)rnd(4));
				sb_set(b, u, (uint32_t)ih, P0 + p, (double)(3 + rnd(10)));
			}
		struct series *s = sb_finish(b);
		cr_assert_not_null(s);
		cr_assert_gt(s->nunits, 8 * 64, "too few units for several chunks");
		struct eval_row *one, *many;
		size_t n1, n2;
		setenv("VIGIE_ENGINE_THREADS", "1", 1);
		cr_assert_eq(engine_eval(rs, s, NULL, 5, P0 + NPER - 1, &one, &n1), 0);
		for (int threads = 2; threads <= 4; threads += 2) {
			char tn[16];
			snprintf(tn, sizeof(tn), "%d", threads);
			setenv("VIGIE_ENGINE_THREADS", tn, 1);
			cr_assert_eq(engine_eval(rs, s, NULL, 5, P0 + NPER - 1, &many, &n2), 0);
			cr_assert_eq(n2, n1);
			for (size_t k = 0; k < n1; k++)
				cr_assert(same_row(&one[k], &many[k]), "%d threads: row %zu "
				    "(%s@%s) differs from one thread's", threads, k,
				    rs->rules[one[k].rule].id, s->units[one[k].unit]);
			free(many);
		}
		unsetenv("VIGIE_ENGINE_THREADS");
		free(one);
		series_free(s);
		ruleset_free(rs);
	}
}

/* Many units: the work is cut into chunks of units evaluated rule after
 * rule; rows must still come rule by rule in unit path order, each with the
 * value engine_history computes without memos, whatever the threads. */
Test(engine, chunked_evaluation_keeps_rule_then_path_order)
{
	enum { NPER = 9, NTEAM = 150 };
	struct series_builder *b = sb_new(GRAN_MONTH, P0, P0 + NPER - 1);
	struct ruleset *rs = rules("rules:\n"
	    "  - id: teams\n    title: t\n    scope: \"*/*\"\n"
	    "    value: avg(x / headcount, 2) / avg(x / headcount, 4, 1)\n"
	    "    above: { warning: 1.2, clear: 1 }\n    for: 2\n"
	    "  - id: off\n    title: t\n    enabled: false\n    value: x\n"
	    "    above: { warning: 1 }\n"
	    "  - id: all\n    title: t\n"
	    "    value: 10 + zscore(x + 1, 3) - parent(sum(x + 1, 2))\n"
	    "    below: { critical: 0, clear: 2 }\n"
	    "    when: x > 2\n");
	struct eval_row *one, *two;
	size_t n1, n2;
	double h[1];

	cr_assert_not_null(b);
	int32_t ix = sb_indicator(b, "x"), ih = sb_indicator(b, "headcount");
	for (int t = 0; t < NTEAM; t++) {
		char path[32];
		snprintf(path, sizeof(path), "d%d/t%d", t % 7, t);
		int32_t u = sb_unit(b, path);
		cr_assert(u >= 0);
	}
	for (uint32_t u = 0; u < NTEAM + 7; u++)
		for (int p = 0; p < NPER; p++) {
			if (rnd(8) == 0)
				continue;
			sb_set(b, u, (uint32_t)ix, P0 + p, (double)rnd(20));
			sb_set(b, u, (uint32_t)ih, P0 + p, (double)(3 + rnd(10)));
		}
	struct series *s = sb_finish(b);
	cr_assert_not_null(s);

	setenv("VIGIE_ENGINE_THREADS", "1", 1);
	cr_assert_eq(engine_eval(rs, s, NULL, 5, P0 + NPER - 1, &one, &n1), 0);
	setenv("VIGIE_ENGINE_THREADS", "2", 1);
	cr_assert_eq(engine_eval(rs, s, NULL, 5, P0 + NPER - 1, &two, &n2), 0);
	unsetenv("VIGIE_ENGINE_THREADS");
	cr_assert_eq(n1, NTEAM + (NTEAM + 7));
	cr_assert_eq(n2, n1);
	for (size_t k = 0; k < n1; k++) {
		const struct eval_row *r = &one[k], *q = &two[k];
		cr_assert_eq(r->rule, k < NTEAM ? 0u : 2u, "row %zu", k);
		if (k && one[k - 1].rule == r->rule)
			cr_assert_lt(strcmp(s->units[one[k - 1].unit],
			    s->units[r->unit]), 0, "row %zu out of path order", k);
		cr_assert(r->rule == q->rule && r->unit == q->unit &&
		    r->active == q->active && r->severity == q->severity &&
		    r->since == q->since && r->level == q->level &&
		    r->suppressed == q->suppressed, "row %zu differs", k);
		cr_assert(memcmp(&r->value, &q->value, sizeof(double)) == 0);
		engine_history(rs, s, NULL, 5, r->rule, r->unit, P0 + NPER - 1, 1, h);
		cr_assert(memcmp(&r->value, &h[0], sizeof(double)) == 0 ||
		    (isnan(r->value) && isnan(h[0])), "row %zu: %.17g, history "
		    "%.17g", k, r->value, h[0]);
	}
	free(one);
	free(two);
	series_free(s);
	ruleset_free(rs);
}

/* A rule written for months (period: month) is not evaluated on weekly
 * data: no row, where a rule that states no period or weeks is. */
Test(engine, a_rule_of_the_other_period_is_not_evaluated)
{
	struct ruleset *rs = rules("rules:\n"
	    "  - {id: m, title: t, value: x, above: {warning: 10}, period: month}\n"
	    "  - {id: w, title: t, value: x, above: {warning: 10}, period: week}\n"
	    "  - {id: any, title: t, value: x, above: {warning: 10}}\n");
	int32_t p0 = period_of_date(GRAN_WEEK, 2026, 3, 4);
	struct series_builder *b = sb_new(GRAN_WEEK, p0, p0 + 2);
	struct eval_row *rows;
	size_t n;
	int fired = 0;

	cr_assert_not_null(b);
	int32_t u = sb_unit(b, "a"), h = sb_indicator(b, "headcount"),
	    x = sb_indicator(b, "x");
	for (int32_t p = p0; p <= p0 + 2; p++) {
		sb_set(b, (uint32_t)u, (uint32_t)h, p, 20);
		sb_set(b, (uint32_t)u, (uint32_t)x, p, 50);
	}
	struct series *s = sb_finish(b);
	cr_assert_not_null(s);
	cr_assert_eq(engine_eval(rs, s, NULL, 5, p0 + 2, &rows, &n), 0);
	cr_assert_eq(n, 2, "the weekly rule and the one of any period");
	for (size_t k = 0; k < n; k++) {
		cr_expect_str_neq(rs->rules[rows[k].rule].id, "m");
		cr_expect(rows[k].active);
	}
	free(rows);
	cr_assert_eq(engine_backtest(rs, s, NULL, 5, p0, p0 + 2, count_firing,
	    &fired), 0);
	cr_expect_eq(fired, 2, "the monthly rule never fires on weeks");
	series_free(s);
	ruleset_free(rs);
}
