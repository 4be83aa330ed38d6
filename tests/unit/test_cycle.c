/* The daemon's cycle against a real SQLite file in a temporary folder:
 * inbox ingestion, transitions, routing, silences, reminders, missing data
 * and the status line. */
#define _XOPEN_SOURCE 700
#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "vigie/cycle.h"
#include "vigie/fileio.h"
#include "vigie/route.h"
#include "vigie/store_outbox.h"
#include "vigie/wording.h"
#include "testdb.h"

static char dir[64];
static struct cycle_set *set;
static struct store *st;

static void put(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	cr_assert(f, "%s", path);
	fputs(text, f);
	fclose(f);
	/* Written a while ago: the inbox leaves a file changed during the
	 * last 2 seconds for the next cycle. */
	struct timespec ts[2] = { { time(NULL) - 10, 0 }, { time(NULL) - 10, 0 } };
	utimensat(AT_FDCWD, path, ts, 0);
}

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb; (void)flag; (void)ftw;
	return remove(p);
}

/* Writes vigie.yaml (with `extra` appended) and one rule file, loads them
 * and opens the store. */
static void setup_with(const char *extra, const char *rules)
{
	char cfg[2048], path[128];
	struct diags d = { 0 };
	char *err = NULL;

	snprintf(dir, sizeof(dir), "/tmp/vigie-cycle.XXXXXX");
	cr_assert(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/rules.d", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/inbox", dir);
	mkdir(path, 0700);
	/* Nothing listens on port 9: the messages stay pending. */
	snprintf(cfg, sizeof(cfg), "database: %s/vigie.db\nrules: rules.d\ninbox: inbox\n"
	    "locale: en\nsmtp: {url: \"smtp://127.0.0.1:9\", from: v@x.org, timeout: 1s}\n%s",
	    dir, extra);
	put("vigie.yaml", cfg);
	put("rules.d/r.yaml", rules);
	snprintf(path, sizeof(path), "%s/vigie.yaml", dir);
	set = cycle_set_load(path, &d);
	if (!set)
		diags_print(&d, stderr, 0);
	diags_free(&d);
	cr_assert(set);
	cr_assert_eq(store_open(set->cfg->database, set->cfg->period, &st, &err), 0, "%s", err);
}

static const char *const conflicts_rule =
    "rules:\n"
    "  - id: conflicts-high\n"
    "    title: Many conflicts\n"
    "    value: conflicts\n"
    "    above: { warning: 2, critical: 5 }\n"
    "    repeat_every: 1\n"
    "    summary: \"{{value}} conflicts in {{unit}} since {{since}}\"\n"
    "    labels: { team: rps }\n"
    "    notify: [social-worker, hr]\n";

static const char *const recipients =
    "recipients:\n"
    "  social-worker:\n"
    "    - scope: \"acme/a\"\n"
    "      email: [a@example.org]\n"
    "    - email: [sw@example.org]\n"
    "  hr:\n"
    "    - email: [sw@example.org, hr@example.org]\n"
    "  ops:\n"
    "    - email: [ops@example.org]\n";

static void setup_default(void)
{
	setup_with(recipients, conflicts_rule);
}

static void teardown(void)
{
	if (st)
		store_close(st);
	cycle_set_free(set);
	st = NULL;
	set = NULL;
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static long long q1(const char *sql)
{
	return tdb_int(set->cfg->database, sql);
}

static char *qs(const char *sql)
{
	return tdb_text(set->cfg->database, sql);
}

static void expect_str(const char *sql, const char *want)
{
	char *got = qs(sql);

	cr_expect_str_eq(got ? got : "(null)", want, "%s\n  got:  %s\n  want: %s", sql,
	    got ? got : "(null)", want);
	free(got);
}

static void run(struct cycle_state *cs, time_t now)
{
	struct cycle_report rep;

	cr_assert_eq(cycle_run(st, set, cs, false, now, NULL, NULL, &rep), 0);
}

static const char *const jan =
    "unit,period,headcount,conflicts\nacme/a,2026-01,10,6\nacme/b,2026-01,8,3\n";

Test(cycle, records_transitions_once_and_writes_nothing_when_unchanged,
    .init = setup_default, .fini = teardown)
{
	struct cycle_state cs = { 0 }, cs2 = { 0 };

	put("inbox/jan.csv", jan);
	run(&cs, 1000);
	cr_expect_eq(q1("SELECT count(*) FROM event"), 3);
	cr_expect_eq(q1("SELECT count(*) FROM cycle"), 1);
	run(&cs, 1001);			/* same process, nothing changed */
	int64_t changes = store_changes(st);
	run(&cs2, 1002);		/* a new process: evaluates, changes nothing */
	/* but the time of the last cycle, on the one idle row */
	cr_expect_eq(store_changes(st), changes + 1);
	cr_expect_eq(q1("SELECT count(*) FROM event"), 3);
	cr_expect_eq(q1("SELECT count(*) FROM cycle"), 2);
	cr_expect_eq(q1("SELECT started_at FROM cycle WHERE idle = 1"), 1002);
	struct stat sb;
	cr_expect_eq(stat("/nonexistent", &sb), -1);
	char path[128];
	snprintf(path, sizeof(path), "%s/inbox/processed/jan.csv", dir);
	cr_expect_eq(stat(path, &sb), 0, "jan.csv not moved to processed/");
}

Test(cycle, event_rows_carry_everything_delivery_needs, .init = setup_default,
    .fini = teardown)
{
	struct cycle_state cs = { 0 };

	put("inbox/jan.csv", jan);
	run(&cs, 1000);
	expect_str("SELECT kind || '|' || rule || '|' || unit || '|' || severity || '|' ||"
	    " value || '|' || threshold || '|' || since || '|' || title || '|' || summary"
	    " || '|' || labels || '|' || decimals || '|' || silenced FROM event WHERE unit = 'acme/b'",
	    "firing|conflicts-high|acme/b|warning|3.0|2.0|24312|Many conflicts|"
	    "3 conflicts in acme/b since 2026-01|{\"team\":\"rps\"}|1|0");
	/* a rule without observed: its value is what it saw, against its
	 * threshold; clear defaults to the lowest threshold */
	expect_str("SELECT (observed IS NULL) || '|' || (expected IS NULL) || '|' || clear ||"
	    " '|' || held || '|' || (points IS NOT NULL) FROM event WHERE unit = 'acme/b'",
	    "1|1|2.0|0|1");
	char *h = qs("SELECT history FROM event WHERE unit = 'acme/b'");
	cr_assert(h);
	cr_expect(strstr(h, "[\"2025-02\", null]") == h + 1, "%s", h);
	cr_expect(strstr(h, "[\"2026-01\", 3.0]]"), "%s", h);
	free(h);
}

/* A first cycle over many teams: a webhook gets one message carrying every
 * event once, however many (SPEC 9); an address gets them in emails of
 * ROUTE_MAIL_MAX_ITEMS, every event carried exactly once. */
static void setup_one_address(void)
{
	setup_with("webhooks:\n  hook:\n    url: http://127.0.0.1:9/\n"
	    "recipients:\n  social-worker:\n    - email: [sw@example.org]\n"
	    "      webhook: [hook]\n",
	    "rules:\n  - id: c\n    title: C\n    value: conflicts\n"
	    "    above: { warning: 2 }\n    notify: [social-worker]\n    scope: \"acme/*\"\n");
}

Test(cycle, a_huge_cycle_is_one_post_and_emails_of_the_mail_bound,
    .init = setup_one_address, .fini = teardown)
{
	struct cycle_state cs = { 0 };
	size_t n = 2 * ROUTE_MAIL_MAX_ITEMS + 1, len = 0, cap = 64 + 40 * n;
	char *csv = malloc(cap);

	cr_assert(csv);
	len += (size_t)snprintf(csv, cap, "unit,period,headcount,conflicts\n");
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(csv + len, cap - len, "acme/t%zu,2026-01,10,6\n", i);
	put("inbox/many.csv", csv);
	free(csv);
	run(&cs, 1000);
	cr_expect_eq(q1("SELECT count(*) FROM event WHERE kind = 'firing'"), (long long)n);
	cr_expect_eq(q1("SELECT count(*) FROM message WHERE target = 'hook'"), 1);
	cr_expect_eq(q1("SELECT count(DISTINCT i.event) FROM message_item i"
	    " JOIN message m ON m.id = i.message WHERE m.target = 'hook'"), (long long)n);
	cr_expect_eq(q1("SELECT count(*) FROM message WHERE target = 'sw@example.org'"), 3);
	cr_expect_eq(q1("SELECT max(c) FROM (SELECT count(*) AS c FROM message_item i"
	    " JOIN message m ON m.id = i.message WHERE m.target = 'sw@example.org'"
	    " GROUP BY message)"), ROUTE_MAIL_MAX_ITEMS);
	cr_expect_eq(q1("SELECT count(DISTINCT i.event) FROM message_item i"
	    " JOIN message m ON m.id = i.message WHERE m.target = 'sw@example.org'"),
	    (long long)n);
	cr_expect_eq(q1("SELECT count(*) FROM message_item"), 2 * (long long)n);
	cr_expect_eq(q1("SELECT count(DISTINCT uid) FROM message"), 4);
}

Test(cycle, one_message_per_target_and_first_matching_route_per_role,
    .init = setup_default, .fini = teardown)
{
	struct cycle_state cs = { 0 };

	put("inbox/jan.csv", jan);
	run(&cs, 1000);
	/* acme/a: social-worker -> a@ (first route), hr -> sw@, hr@;
	 * acme and acme/b: social-worker -> sw@ (second route), hr -> sw@, hr@. */
	expect_str("SELECT group_concat(target, ' ') FROM (SELECT target FROM message"
	    " ORDER BY target)", "a@example.org hr@example.org sw@example.org");
	expect_str("SELECT group_concat(n, ' ') FROM (SELECT m.target || '=' || count(*) AS n"
	    " FROM message m JOIN message_item i ON i.message = m.id GROUP BY m.id"
	    " ORDER BY m.target)", "a@example.org=1 hr@example.org=3 sw@example.org=3");
	cr_expect_eq(q1("SELECT count(*) FROM message WHERE created_at = 1000 AND"
	    " cycle = 1 AND role != '' AND uid LIKE 'msg_%' AND length(uid) = 28"), 3);
	cr_expect_eq(q1("SELECT count(DISTINCT uid) FROM message"), 3);
}

Test(cycle, silenced_alerts_change_state_without_messages, .init = setup_default,
    .fini = teardown)
{
	struct cycle_state cs = { 0 };

	put("inbox/jan.csv", jan);
	tdb_exec(set->cfg->database, "INSERT INTO silence(rule, unit_glob,"
	    " until_period, reason, created_at) VALUES('*', 'acme/*', 24312, 'r', 1)");
	run(&cs, 1000);
	cr_expect_eq(q1("SELECT count(*) FROM alert WHERE active"), 3);
	cr_expect_eq(q1("SELECT count(*) FROM event WHERE silenced"), 2);
	cr_expect_eq(q1("SELECT count(*) FROM message_item i JOIN event e ON e.id = i.event"
	    " WHERE e.silenced"), 0);
	cr_expect_eq(q1("SELECT count(*) FROM message_item"), 2);	/* acme: sw@, hr@ */
}

Test(cycle, a_removed_silence_releases_what_it_held_once, .init = setup_default,
    .fini = teardown)
{
	struct cycle_state cs = { 0 };

	put("inbox/jan.csv", jan);
	tdb_exec(set->cfg->database, "INSERT INTO silence(rule, unit_glob,"
	    " until_period, reason, created_at) VALUES('*', 'acme/*', 24312, 'r', 1)");
	run(&cs, 1000);
	long long messages = q1("SELECT count(*) FROM message");
	tdb_exec(set->cfg->database, "UPDATE silence SET removed_at = 1500");
	/* Nothing to evaluate: the data did not change. */
	run(&cs, 2000);
	expect_str("SELECT group_concat(unit, ' ') FROM (SELECT unit FROM event"
	    " WHERE silenced AND released_at = 2000 ORDER BY unit)", "acme/a acme/b");
	/* acme/a to a@, sw@, hr@; acme/b to sw@, hr@, in this cycle's messages. */
	cr_expect_eq(q1("SELECT count(*) FROM message_item i JOIN event e ON e.id = i.event"
	    " JOIN message m ON m.id = i.message WHERE e.silenced AND m.created_at = 2000"), 5);
	cr_expect_eq(q1("SELECT count(*) FROM message"), messages + 3);
	/* A further cycle releases nothing again (it may retry what failed
	 * to reach the test's SMTP address, which nobody listens on). */
	long long items = q1("SELECT count(*) FROM message_item");
	run(&cs, 3000);
	cr_expect_eq(q1("SELECT count(*) FROM message"), messages + 3);
	cr_expect_eq(q1("SELECT count(*) FROM message_item"), items);
	cr_expect_eq(q1("SELECT count(*) FROM event WHERE released_at IS NOT NULL"), 2);
	cr_expect_eq(q1("SELECT count(*) FROM message_item i JOIN event e ON e.id = i.event"
	    " WHERE e.silenced"), 5);
}

Test(cycle, reminders_follow_repeat_every_and_stop_once_acknowledged,
    .init = setup_default, .fini = teardown)
{
	struct cycle_state cs = { 0 };

	put("inbox/jan.csv", jan);
	run(&cs, 1000);
	tdb_exec(set->cfg->database, "UPDATE alert SET acked_by = 'marie'"
	    " WHERE unit = 'acme/a'");
	put("inbox/feb.csv", "unit,period,headcount,conflicts\nacme/a,2026-02,10,6\n"
	    "acme/b,2026-02,8,0\n");
	run(&cs, 2000);
	expect_str("SELECT group_concat(kind || ' ' || unit, ', ') FROM (SELECT * FROM event"
	    " WHERE at = 2000 ORDER BY unit)", "reminder acme, resolved acme/b");
	/* The resolved event carries the value that resolved it. */
	cr_expect_eq(q1("SELECT value FROM event WHERE kind = 'resolved'"), 0);
	/* A new episode clears the acknowledgement. */
	put("inbox/mar.csv", "unit,period,headcount,conflicts\nacme/a,2026-03,10,0\n");
	run(&cs, 3000);
	put("inbox/apr.csv", "unit,period,headcount,conflicts\nacme/a,2026-04,10,9\n");
	run(&cs, 4000);
	expect_str("SELECT kind || ' ' || coalesce(acked_by, '-') FROM event e JOIN alert a"
	    " ON a.id = e.alert WHERE e.at = 4000 AND e.unit = 'acme/a'", "firing -");
}

/* A resolved notice's {{severity}} is the severity the alert had, as
 * Alertmanager keeps an alert's labels when it resolves; {{threshold}} is
 * the level that cleared it. */
static void setup_severity_summary(void)
{
	setup_with(recipients, "rules:\n  - id: c\n    title: C\n    value: conflicts\n"
	    "    above: { warning: 2, critical: 5, clear: 1 }\n    notify: [hr]\n"
	    "    summary: \"{{severity}}: {{value}} (threshold {{threshold}})\"\n");
}

Test(cycle, a_resolved_summary_names_the_severity_it_had,
    .init = setup_severity_summary, .fini = teardown)
{
	struct cycle_state cs = { 0 };

	put("inbox/jan.csv", "unit,period,headcount,conflicts\nacme/a,2026-01,10,6\n");
	run(&cs, 1000);
	put("inbox/feb.csv", "unit,period,headcount,conflicts\nacme/a,2026-02,10,0\n");
	run(&cs, 2000);
	expect_str("SELECT group_concat(kind || ' ' || summary, ', ') FROM (SELECT * FROM event"
	    " WHERE unit = 'acme/a' ORDER BY id)",
	    "firing critical: 6 (threshold 5), resolved critical: 0 (threshold 1)");
}

Test(cycle, rejected_file_is_moved_with_its_errors_and_reported_to_ops,
    .init = setup_default, .fini = teardown)
{
	struct cycle_state cs = { 0 };
	char path[128];
	size_t len;

	put("inbox/bad.csv", "unit,period,headcount,conflicts\nacme/a,2026-01,10,-1\n");
	put("inbox/.hidden.csv", jan);
	run(&cs, 1000);
	snprintf(path, sizeof(path), "%s/inbox/rejected/bad.csv.errors.txt", dir);
	char *text = read_file(path, &len);
	cr_assert(text, "no errors file");
	cr_expect(!strncmp(text, "bad.csv:2:", 10), "%s", text);
	free(text);
	snprintf(path, sizeof(path), "%s/inbox/rejected/bad.csv", dir);
	cr_expect_eq(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "%s/inbox/.hidden.csv", dir);
	cr_expect_eq(access(path, F_OK), 0, "dot-files are not taken");
	cr_expect_eq(q1("SELECT count(*) FROM import_log"), 0);
	expect_str("SELECT e.kind || ' ' || m.target || ' ' || m.role FROM event e"
	    " JOIN message_item i ON i.event = e.id JOIN message m ON m.id = i.message",
	    "rejected ops@example.org ops");
	/* A second file of the same name does not overwrite the first. */
	put("inbox/bad.csv", "nonsense\n");
	run(&cs, 2000);
	snprintf(path, sizeof(path), "%s/inbox/rejected/bad.csv.1.errors.txt", dir);
	cr_expect_eq(access(path, F_OK), 0);
}

Test(cycle, missing_data_notifies_once_then_when_data_arrives, .init = setup_default,
    .fini = teardown)
{
	struct cycle_state cs = { 0 };
	time_t t0 = time(NULL);

	put("inbox/jan.csv", jan);
	run(&cs, t0);
	long stale = set->cfg->stale_after_s;
	run(&cs, t0 + stale + 10);
	run(&cs, t0 + stale + 20);
	cr_expect_eq(q1("SELECT count(*) FROM event WHERE kind = 'stale'"), 1);
	expect_str("SELECT m.target FROM event e JOIN message_item i ON i.event = e.id"
	    " JOIN message m ON m.id = i.message WHERE e.kind = 'stale'", "ops@example.org");
	char *summary = qs("SELECT summary FROM event WHERE kind = 'stale'");
	cr_assert(summary);
	cr_expect(strstr(summary, "(more than 45 days).") != NULL, "%s", summary);
	free(summary);
	put("inbox/feb.csv", "unit,period,headcount,conflicts\nacme/a,2026-02,10,6\n");
	run(&cs, t0 + 5);	/* the import is stamped with the real clock */
	cr_expect_eq(q1("SELECT count(*) FROM event WHERE kind = 'fresh'"), 1);
}

/* Without ops, HR is told of missing data; with the console, where to
 * import the month's file. */
static void setup_hr_console(void)
{
	setup_with("recipients:\n  hr:\n    - email: [hr@example.org]\n"
	    "web: {url: \"https://vigie.example.org/\"}\n", conflicts_rule);
}

Test(cycle, missing_data_tells_hr_where_to_import, .init = setup_hr_console,
    .fini = teardown)
{
	struct cycle_state cs = { 0 };
	time_t t0 = time(NULL);

	put("inbox/jan.csv", jan);
	run(&cs, t0);
	run(&cs, t0 + set->cfg->stale_after_s + 10);
	char *got = qs("SELECT m.target || ' ' || e.summary FROM event e JOIN message_item i"
	    " ON i.event = e.id JOIN message m ON m.id = i.message WHERE e.kind = 'stale'");
	const char *tail = " (more than 45 days). The month's file can also be imported "
	    "from the console: https://vigie.example.org/import";

	cr_assert(got);
	cr_expect(!strncmp(got, "hr@example.org No data imported since ", 38), "%s", got);
	cr_expect(strlen(got) > strlen(tail) &&
	    !strcmp(got + strlen(got) - strlen(tail), tail), "%s", got);
	free(got);
}

/* stale_after in words: singular for 1 (« plus de 1 minute »). */
Test(cycle, missing_data_says_its_delay_in_words)
{
	static const struct { long s; enum locale loc; const char *want; } v[] = {
		{ 60, LOC_FR, "(plus de 1 minute)." }, { 120, LOC_FR, "(plus de 2 minutes)." },
		{ 1, LOC_FR, "(plus de 1 seconde)." }, { 3600, LOC_FR, "(plus de 1 heure)." },
		{ 86400, LOC_FR, "(plus de 1 jour)." }, { 90, LOC_EN, "(more than 90 seconds)." },
		{ 60, LOC_EN, "(more than 1 minute)." }, { 86400, LOC_EN, "(more than 1 day)." },
		{ 3 * 86400, LOC_EN, "(more than 3 days)." },
	};
	char title[256], summary[768];

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		wording_stale(v[i].loc, true, "2026-12-07T19:08:45Z", v[i].s, NULL, title,
		    sizeof(title), summary, sizeof(summary));
		cr_expect(strstr(summary, v[i].want) != NULL, "%ld: %s", v[i].s, summary);
	}
}

Test(cycle, status_line_summarises_the_cycle)
{
	struct cycle_report rep = { .period = 24317, .units = 42, .rules = 17,
	    .active = 3, .critical = 1 };
	char buf[256];

	cycle_status_line(&rep, GRAN_MONTH, buf, sizeof(buf));
	cr_expect_str_eq(buf, "2026-06: 42 units, 17 rules, 3 active (1 critical), 0 pending");
	/* A calm line with rules that cannot judge yet says so. */
	rep.failed = 2;
	snprintf(rep.history, sizeof(rep.history), "10 rules cannot judge 6 of the 25 units "
	    "the rules apply to yet for lack of history (valdis/toul and 5 under it; by 2028-12 at the latest)");
	cycle_status_line(&rep, GRAN_MONTH, buf, sizeof(buf));
	cr_expect_str_eq(buf, "2026-06: 42 units, 17 rules, 3 active (1 critical), 0 pending, "
	    "2 failed, 10 rules cannot judge 6 of the 25 units the rules apply to yet "
	    "for lack of history "
	    "(valdis/toul and 5 under it; by 2028-12 at the latest)");
}

/* What a digest shows is recorded with the event (SPEC 16): observed,
 * expected, clear, the measure, the components that moved, comparisons,
 * the last periods with their expected values, hysteresis, and the
 * guidance per role; a message reads back its role's guidance and the
 * other roles that got the event. */
static const char *const detail_rule =
    "rules:\n"
    "  - id: conflicts-high\n"
    "    title: Many conflicts\n"
    "    value: conflicts\n"
    "    observed: conflicts\n"
    "    expected: headcount / 10\n"
    "    measure: conflits du mois\n"
    "    above: { warning: 4, clear: 2 }\n"
    "    components: { conflits: conflicts > 3, autre: conflicts > 100 }\n"
    "    compare: { entreprise: conflicts * 2 }\n"
    "    repeat_every: 1\n"
    "    guidance: { social-worker: \"SW text\", hr: \"HR text\" }\n"
    "    notify: [social-worker, hr]\n";

static void setup_detail(void)
{
	setup_with(recipients, detail_rule);
}

static struct notice *notices_of(const char *role, size_t *n)
{
	char sql[256];
	struct notice *v = NULL;
	long long msg;

	snprintf(sql, sizeof(sql), "SELECT max(id) FROM message WHERE role = '%s'"
	    " AND target = '%s'", role, !strcmp(role, "hr") ? "hr@example.org" : "a@example.org");
	msg = q1(sql);
	cr_assert_eq(store_outbox_notices(st, msg, &v, n), 0);
	return v;
}

Test(cycle, events_record_what_digests_show, .init = setup_detail, .fini = teardown)
{
	struct cycle_state cs = { 0 };
	struct notice *v;
	size_t n;

	put("inbox/jan.csv", "unit,period,headcount,conflicts\nacme/a,2026-01,10,6\n");
	run(&cs, 1000);
	expect_str("SELECT observed || '|' || expected || '|' || clear || '|' || held || '|' ||"
	    " measure || '|' || terms FROM event WHERE unit = 'acme/a'",
	    "6.0|1.0|2.0|0|conflits du mois|{\"components\":[[\"conflits\",1.0],"
	    "[\"autre\",0.0]],\"compare\":[[\"entreprise\",12.0]]}");
	expect_str("SELECT guidance_roles FROM event WHERE unit = 'acme/a'",
	    "{\"social-worker\":\"SW text\",\"hr\":\"HR text\"}");
	v = notices_of("hr", &n);
	cr_assert_eq(n, 2);	/* acme rolls acme/a up */
	struct notice *x = !strcmp(v[0].unit, "acme/a") ? &v[0] : &v[1];
	cr_expect_str_eq(x->unit, "acme/a");
	cr_expect_str_eq(x->guidance, "HR text");
	cr_expect_str_eq(x->also, "social-worker");
	cr_expect(x->has_observed && x->observed == 6 && x->has_expected &&
	    x->expected == 1 && !x->held);
	cr_expect_eq(x->ncomponents, 2);
	cr_expect_str_eq(x->components[0].label, "conflits");
	cr_expect(x->has_points && x->nhistory == 12);
	cr_expect(x->history[11].has_expected && x->history[11].expected == 1);
	/* before the data: no data, which the sixth element says */
	cr_expect(x->history[0].nodata && !x->history[0].hidden && !x->history[11].nodata);
	notices_free(v, n);
	/* A row recorded before nodata has five elements: read as before. */
	tdb_exec(set->cfg->database, "UPDATE event SET points = '[[\"2025-12\",null,null,null,1],"
	    "[\"2026-01\",6.0,6.0,1.0,0]]' WHERE unit = 'acme/a'");
	v = notices_of("hr", &n);
	x = !strcmp(v[0].unit, "acme/a") ? &v[0] : &v[1];
	cr_assert_eq(x->nhistory, 2);
	cr_expect(x->history[0].hidden && !x->history[0].nodata && !x->history[0].defined);
	cr_expect(x->history[1].defined && x->history[1].value == 6 && !x->history[1].nodata);
	notices_free(v, n);
	v = notices_of("social-worker", &n);
	cr_assert_eq(n, 1);
	cr_expect_str_eq(v[0].guidance, "SW text");
	cr_expect_str_eq(v[0].also, "hr");
	notices_free(v, n);
	/* February: 3, under the threshold but above clear: held, and says so */
	put("inbox/feb.csv", "unit,period,headcount,conflicts\nacme/a,2026-02,10,3\n");
	run(&cs, 2000);
	expect_str("SELECT kind || '|' || held || '|' || value FROM event WHERE unit = 'acme/a'"
	    " ORDER BY id DESC LIMIT 1", "reminder|1|3.0");
}
