/* The alert lifecycle (rules/lifecycle.c): every decision of a step from a
 * stored alert and an engine row, the silence predicate, and the backtest's
 * reminders, on hand-made rules and series (pure: no database). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "vigie/lifecycle.h"

#define P0 (2025 * 12)	/* 2025-01 */

static struct ruleset *rules(const char *yaml)
{
	char path[] = "/tmp/vigie-lifecycle-XXXXXX.yaml";
	int fd = mkstemps(path, 5);
	struct diags d = { 0 };
	const char *files[1] = { path };

	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, yaml, strlen(yaml)), (ssize_t)strlen(yaml));
	close(fd);
	struct ruleset *rs = ruleset_load_files(files, 1, NULL, &d);
	unlink(path);
	cr_assert_not_null(rs);
	diags_free(&d);
	return rs;
}

static const char *const repeat2 =
    "rules:\n  - id: r\n    title: t\n    value: x\n"
    "    above: { warning: 2, critical: 5, clear: 1 }\n    repeat_every: 2\n";

static struct eval_row active(enum severity sev, double v, int32_t since)
{
	return (struct eval_row){ .active = true, .severity = sev, .level = sev,
	    .value = v, .threshold = sev == SEV_CRITICAL ? 5 : 2, .since = since };
}

static struct eval_row inactive(double v)
{
	return (struct eval_row){ .value = v, .threshold = NAN, .since = -1 };
}

Test(lifecycle, a_first_active_period_fires_and_is_stored)
{
	struct ruleset *rs = rules(repeat2);
	struct eval_row row = active(SEV_WARNING, 3, P0);
	struct lifecycle_step st;

	lifecycle_step(&rs->rules[0], NULL, &row, P0, &st);
	cr_expect_eq(st.event, LC_FIRING);
	cr_expect(st.changed);
	cr_expect(st.next.active);
	cr_expect_eq(st.next.notified, P0);
	cr_expect_eq(st.next.since, P0);
	cr_expect_eq(st.previous, SEV_NONE);
	/* An alert that never fired is not stored. */
	row = inactive(1);
	lifecycle_step(&rs->rules[0], NULL, &row, P0, &st);
	cr_expect_eq(st.event, LC_NONE);
	cr_expect(!st.changed);
	ruleset_free(rs);
}

/* An active alert carried over without a value says why: for want of data
 * (absent), or hidden by the anonymity floor; a change of reason is a
 * change to store even when nothing else moved. */
Test(lifecycle, an_undefined_value_is_absent_unless_suppressed)
{
	struct ruleset *rs = rules(repeat2);
	struct eval_row row = active(SEV_WARNING, 3, P0);
	struct lifecycle_step st;
	struct alert_state a;

	lifecycle_step(&rs->rules[0], NULL, &row, P0, &st);
	cr_expect(!st.next.absent && !st.absent);
	a = st.next;
	row = active(SEV_WARNING, NAN, P0);
	lifecycle_step(&rs->rules[0], &a, &row, P0 + 1, &st);
	cr_expect(st.next.absent, "missing data is absent");
	cr_expect(st.absent);
	a = st.next;
	row.suppressed = true;
	lifecycle_step(&rs->rules[0], &a, &row, P0 + 1, &st);
	cr_expect(!st.next.absent, "a suppressed value is hidden, not absent");
	cr_expect(st.changed);
	ruleset_free(rs);
}

Test(lifecycle, severity_changes_escalate_and_deescalate_and_reset_reminders)
{
	struct ruleset *rs = rules(repeat2);
	struct alert_state old = { .active = true, .severity = SEV_WARNING, .value = 3,
	    .threshold = 2, .period = P0, .since = P0, .notified = P0 };
	struct eval_row row = active(SEV_CRITICAL, 6, P0);
	struct lifecycle_step st;

	lifecycle_step(&rs->rules[0], &old, &row, P0 + 1, &st);
	cr_expect_eq(st.event, LC_ESCALATED);
	cr_expect_eq(st.previous, SEV_WARNING);
	cr_expect_eq(st.next.notified, P0 + 1);
	old = st.next;
	row = active(SEV_WARNING, 3, P0);
	lifecycle_step(&rs->rules[0], &old, &row, P0 + 2, &st);
	cr_expect_eq(st.event, LC_DEESCALATED);
	cr_expect_eq(st.next.notified, P0 + 2);
	ruleset_free(rs);
}

Test(lifecycle, reminders_come_every_repeat_every_periods_until_acknowledged)
{
	struct ruleset *rs = rules(repeat2);
	struct alert_state old = { .active = true, .severity = SEV_WARNING, .value = 3,
	    .threshold = 2, .period = P0, .since = P0, .notified = P0 };
	struct eval_row row = active(SEV_WARNING, 3, P0);
	struct lifecycle_step st;
	enum lifecycle_event want[] = { LC_NONE, LC_REMINDER, LC_NONE, LC_REMINDER };

	for (int i = 0; i < 4; i++) {
		lifecycle_step(&rs->rules[0], &old, &row, P0 + 1 + i, &st);
		cr_expect_eq(st.event, want[i], "period %d: %d", i + 1, st.event);
		cr_expect(st.changed, "the period moves on");
		old = st.next;
	}
	cr_expect_eq(old.notified, P0 + 4);
	old.acked = true;
	for (int i = 0; i < 4; i++) {
		lifecycle_step(&rs->rules[0], &old, &row, P0 + 5 + i, &st);
		cr_expect_eq(st.event, LC_NONE, "acknowledged: no reminder");
		old = st.next;
	}
	/* The same state at the same period writes nothing. */
	lifecycle_step(&rs->rules[0], &old, &row, old.period, &st);
	cr_expect(!st.changed);
	ruleset_free(rs);
}

Test(lifecycle, resolving_keeps_the_resolving_value_and_a_new_episode_clears_the_ack)
{
	struct ruleset *rs = rules(repeat2);
	struct alert_state old = { .active = true, .severity = SEV_CRITICAL, .value = 6,
	    .threshold = 5, .period = P0 + 3, .since = P0, .notified = P0 + 3, .acked = true };
	struct eval_row row = inactive(0.5);
	struct lifecycle_step st;

	lifecycle_step(&rs->rules[0], &old, &row, P0 + 4, &st);
	cr_expect_eq(st.event, LC_RESOLVED);
	cr_expect_eq(st.value, 0.5);
	cr_expect_eq(st.threshold, 1, "the clear threshold");
	cr_expect_eq(st.since, P0);
	cr_expect_eq(st.previous, SEV_CRITICAL);
	cr_expect(!st.next.active);
	cr_expect(!lifecycle_can_ack(&st.next));
	old = st.next;
	row = active(SEV_WARNING, 3, P0 + 6);
	lifecycle_step(&rs->rules[0], &old, &row, P0 + 6, &st);
	cr_expect_eq(st.event, LC_FIRING);
	cr_expect(st.clear_ack);
	cr_expect(!st.next.acked);
	cr_expect(lifecycle_can_ack(&st.next));
	ruleset_free(rs);
}

Test(lifecycle, an_orphan_is_resolved_without_value)
{
	struct alert_state old = { .active = true, .severity = SEV_WARNING, .value = 3,
	    .threshold = 2, .period = P0, .since = P0 - 2, .notified = P0 };
	struct lifecycle_step st;

	lifecycle_orphan(&old, P0 + 1, &st);
	cr_expect_eq(st.event, LC_RESOLVED);
	cr_expect(isnan(st.value) && isnan(st.threshold));
	cr_expect_eq(st.since, P0 - 2);
	cr_expect(st.changed && !st.next.active);
}

Test(lifecycle, a_rule_that_leaves_retires_its_alert_silently_and_keeps_it)
{
	struct alert_state old = { .active = true, .severity = SEV_WARNING, .value = 3,
	    .threshold = 2, .period = P0, .since = P0 - 2, .notified = P0,
	    .acked = true };
	struct lifecycle_step st;

	lifecycle_retire(&old, &st);
	cr_expect_eq(st.event, LC_NONE, "no notification");
	cr_expect(st.changed);
	cr_expect(!st.next.active && st.next.retired);
	cr_expect_eq(st.next.severity, SEV_WARNING, "kept for its return");
	cr_expect_eq(st.next.since, P0 - 2);
	cr_expect(st.next.acked);
	cr_expect(lifecycle_was_active(&st.next));
	/* Retired already: nothing changes. */
	struct alert_state again = st.next;
	lifecycle_retire(&again, &st);
	cr_expect(!st.changed);
}

Test(lifecycle, a_retired_alert_resumes_with_its_acknowledgement_and_notifies_only_changes)
{
	struct ruleset *rs = rules(repeat2);
	struct alert_state retired = { .active = false, .retired = true,
	    .severity = SEV_WARNING, .value = 3, .threshold = 2, .period = P0,
	    .since = P0 - 2, .notified = P0 - 2, .acked = true };
	struct eval_row row = active(SEV_WARNING, 3, P0 - 2);
	struct lifecycle_step st;

	/* Back unchanged, four periods later: no firing, and no reminder at
	 * the return although repeat_every has passed (and it is acked). */
	lifecycle_step(&rs->rules[0], &retired, &row, P0 + 2, &st);
	cr_expect_eq(st.event, LC_NONE);
	cr_expect(st.changed);
	cr_expect(st.next.active && !st.next.retired);
	cr_expect(st.next.acked, "the acknowledgement is kept");
	cr_expect(!st.clear_ack);
	cr_expect_eq(st.next.notified, P0 - 2);
	/* Not acknowledged: still no reminder at the return. */
	retired.acked = false;
	lifecycle_step(&rs->rules[0], &retired, &row, P0 + 2, &st);
	cr_expect_eq(st.event, LC_NONE);
	/* Back more severe: escalated, acknowledgement kept. */
	retired.acked = true;
	row = active(SEV_CRITICAL, 7, P0 - 2);
	lifecycle_step(&rs->rules[0], &retired, &row, P0 + 2, &st);
	cr_expect_eq(st.event, LC_ESCALATED);
	cr_expect_eq(st.previous, SEV_WARNING);
	cr_expect(st.next.acked && !st.next.retired);
	/* Back and no longer crossing: resolved. */
	row = inactive(1);
	lifecycle_step(&rs->rules[0], &retired, &row, P0 + 2, &st);
	cr_expect_eq(st.event, LC_RESOLVED);
	cr_expect_eq(st.previous, SEV_WARNING);
	cr_expect(!st.next.active && !st.next.retired);
	/* Retired while inactive, back inactive: nothing to say, no longer
	 * retired. */
	struct alert_state quiet = { .retired = true, .severity = SEV_NONE,
	    .value = NAN, .threshold = NAN, .period = P0, .since = -1, .notified = -1 };
	lifecycle_step(&rs->rules[0], &quiet, &row, P0 + 2, &st);
	cr_expect_eq(st.event, LC_NONE);
	cr_expect(st.changed && !st.next.retired);
	/* ... and back active: a new episode fires. */
	row = active(SEV_WARNING, 3, P0 + 2);
	lifecycle_step(&rs->rules[0], &quiet, &row, P0 + 2, &st);
	cr_expect_eq(st.event, LC_FIRING);
	ruleset_free(rs);
}

Test(lifecycle, silences_hold_notifications_by_rule_glob_and_period)
{
	struct silence v[] = {
		{ .id = 1, .rule = "r", .unit_glob = "acme/**", .until = P0 + 2 },
		{ .id = 2, .rule = "*", .unit_glob = "other", .until = P0, .removed = true },
	};

	cr_expect(lifecycle_silenced(v, 2, "r", "acme/a", P0 + 2));
	cr_expect(!lifecycle_silenced(v, 2, "r", "acme/a", P0 + 3), "expired");
	cr_expect(!lifecycle_silenced(v, 2, "q", "acme/a", P0));
	cr_expect(!lifecycle_silenced(v, 2, "r", "acme", P0), "** needs a segment");
	cr_expect(!lifecycle_silenced(v, 2, "r", "other", P0), "removed");
	cr_expect_str_eq(lifecycle_silence_state(&v[0], P0 + 2), "active");
	cr_expect_str_eq(lifecycle_silence_state(&v[0], P0 + 3), "expired");
	cr_expect_str_eq(lifecycle_silence_state(&v[1], P0), "removed");
	cr_expect(lifecycle_notifies(LC_REMINDER, false));
	cr_expect(!lifecycle_notifies(LC_FIRING, true));
	cr_expect(!lifecycle_notifies(LC_NONE, false));
}

Test(lifecycle, alert_ids_split_at_the_first_at_sign)
{
	char *r, *u;

	cr_assert_eq(lifecycle_split_id("rate@acme/a", &r, &u), 0);
	cr_expect_str_eq(r, "rate");
	cr_expect_str_eq(u, "acme/a");
	free(r);
	free(u);
	cr_expect_eq(lifecycle_split_id("@acme", &r, &u), -1);
	cr_expect_eq(lifecycle_split_id("rate@", &r, &u), -1);
	cr_expect_eq(lifecycle_split_id("rate", &r, &u), -1);
}

struct got {
	char text[1024];
	size_t n;
};

static void collect(const struct lifecycle_record *e, void *arg)
{
	struct got *g = arg;
	char buf[64];

	snprintf(buf, sizeof(buf), "%s%s %d %s %g", g->n ? ", " : "",
	    lifecycle_event_name(e->event), e->period - P0, severity_name(e->to) ?
	    severity_name(e->to) : "-", e->value);
	strncat(g->text, buf, sizeof(g->text) - strlen(g->text) - 1);
	g->n++;
}

/* Six active periods with repeat_every: 2 remind at +2 after the firing and
 * +2 after the escalation; a backtest that starts later still reminds. */
Test(lifecycle, backtest_gives_the_reminders_the_daemon_would)
{
	struct ruleset *rs = rules(repeat2);
	struct series_builder *b = sb_new(GRAN_MONTH, P0, P0 + 7);
	double x[] = { 0, 3, 3, 3, 6, 6, 6, 0 };
	struct got g = { 0 };

	int32_t u = sb_unit(b, "t"), ix = sb_indicator(b, "x"), ih = sb_indicator(b, "headcount");
	for (int p = 0; p < 8; p++) {
		sb_set(b, (uint32_t)u, (uint32_t)ix, P0 + p, x[p]);
		sb_set(b, (uint32_t)u, (uint32_t)ih, P0 + p, 10);
	}
	struct series *s = sb_finish(b);
	cr_assert_eq(lifecycle_backtest(rs, s, NULL, 5, P0, P0 + 7, collect, &g), 0);
	cr_expect_str_eq(g.text, "firing 1 warning 3, reminder 3 warning 3, escalated 4 "
	    "critical 6, reminder 6 critical 6, resolved 7 - 0");
	memset(&g, 0, sizeof(g));
	cr_assert_eq(lifecycle_backtest(rs, s, NULL, 5, P0 + 5, P0 + 6, collect, &g), 0);
	cr_expect_str_eq(g.text, "reminder 6 critical 6");
	series_free(s);
	ruleset_free(rs);
}
