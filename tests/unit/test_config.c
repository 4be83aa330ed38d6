/* The configuration loader (SPEC 7-9): defaults, every error class with its
 * exact FILE:LINE:COLUMN, relative paths, durations, sizes, routing. */
#include <criterion/criterion.h>
#include <sys/stat.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "vigie/config.h"
#include "vigie/yaml.h"

/* Each Criterion test runs in its own process: one folder per process. */
static char tmpdir[64];

static const char *tmp_path(const char *name)
{
	static char path[PATH_MAX];

	if (!tmpdir[0]) {
		snprintf(tmpdir, sizeof(tmpdir), "/tmp/vigie-config-XXXXXX");
		cr_assert_not_null(mkdtemp(tmpdir));
	}
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	return path;
}

static void cleanup_tmp(void)
{
	if (tmpdir[0]) {
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		cr_assert_eq(system(cmd), 0);
	}
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f, "%s", path);
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
}

/* Loads text written to vigie.yaml in the test's folder. Errors come back
 * in *errs with the folder left out, so they read "vigie.yaml:L:C: ...". */
static struct config *load_text(const char *text, char **errs)
{
	char *path = strdup(tmp_path("vigie.yaml")), *s, *o;
	struct diags d = { 0 };
	struct config *c;
	size_t dl = strlen(tmpdir) + 1;

	write_file(path, text);
	c = config_load(path, &d);
	s = diags_to_string(&d, 0);
	/* drop every "TMPDIR/" */
	for (o = s; (o = strstr(o, tmpdir)); )
		memmove(o, o + dl, strlen(o + dl) + 1);
	if (errs)
		*errs = s;
	else
		free(s);
	diags_free(&d);
	free(path);
	return c;
}

static void expect_error(const char *text, const char *want)
{
	char *errs;
	struct config *c = load_text(text, &errs);

	cr_expect_null(c, "accepted:\n%s", text);
	cr_expect_str_eq(errs, want);
	config_free(c);
	free(errs);
}

static struct config *expect_ok(const char *text)
{
	char *errs;
	struct config *c = load_text(text, &errs);

	cr_assert_not_null(c, "refused:\n%s\n%s", text, errs);
	cr_assert_str_empty(errs);
	free(errs);
	return c;
}

TestSuite(config, .fini = cleanup_tmp);

Test(config, empty_file_gives_every_default)
{
	const char *texts[] = { "", "# only a comment\n\n", "---\n", "~\n" };

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct config *c = expect_ok(texts[i]);
		cr_expect_str_eq(c->database, "/var/lib/vigie/vigie.db");
		cr_expect_str_eq(c->rules, "/etc/vigie/rules.d");
		cr_expect_null(c->inbox);
		cr_expect_eq(c->interval_s, 3600);
		cr_expect_eq(c->period, GRAN_MONTH);
		cr_expect_eq(c->min_headcount, 5);
		cr_expect_eq(c->locale, LOC_FR);
		cr_assert_eq(c->ndefault_notify, 2);
		cr_expect_str_eq(c->default_notify[0], "social-worker");
		cr_expect_str_eq(c->default_notify[1], "hr");
		cr_expect_eq(c->stale_after_s, 45L * 86400);
		cr_expect_null(c->metrics_file);
		cr_expect_null(c->smtp);
		cr_expect_eq(c->nwebhooks + c->nroles + c->nsources, 0);
		config_free(c);
	}
}

Test(config, just_database_and_rules_is_valid)
{
	struct config *c = expect_ok("database: /srv/v.db\nrules: /srv/rules\n");

	cr_expect_str_eq(c->database, "/srv/v.db");
	cr_expect_str_eq(c->rules, "/srv/rules");
	config_free(c);
}

/* Who imports from the console: web.import_roles, [hr] by default, also
 * without a web: section (vigie-web runs on its defaults); [] nobody. */
Test(config, import_roles_default_to_hr)
{
	struct config *c = expect_ok("database: /srv/v.db\n");

	cr_expect(config_may_import(c, "hr"));
	cr_expect(!config_may_import(c, "social-worker"));
	config_free(c);
	c = expect_ok("web: {listen: 127.0.0.1:8080}\n");
	cr_expect(config_may_import(c, "hr"));
	cr_expect(!config_may_import(c, "ops"));
	config_free(c);
	c = expect_ok("web: {import_roles: []}\n");
	cr_expect(!config_may_import(c, "hr"));
	config_free(c);
	c = expect_ok("recipients: {ops: [{webhook: [w]}]}\nwebhooks: {w: {url: \"https://x.example/\"}}\n"
	    "web: {import_roles: [ops]}\n");
	cr_expect(config_may_import(c, "ops"));
	cr_expect(!config_may_import(c, "hr"));
	config_free(c);
}

Test(config, reads_every_key_of_a_full_file)
{
	struct diags d = { 0 };
	struct config *c = config_load("tests/data/config/full.yaml", &d);
	char *dir = realpath("tests/data/config", NULL), want[PATH_MAX];

	cr_assert_not_null(c, "%s", diags_to_string(&d, 0));
	snprintf(want, sizeof(want), "%s/data/vigie.db", dir);
	cr_expect_str_eq(c->database, want);
	snprintf(want, sizeof(want), "%s/rules.d", dir);
	cr_expect_str_eq(c->rules, want);
	snprintf(want, sizeof(want), "%s/inbox", dir);
	cr_expect_str_eq(c->inbox, want);
	cr_expect_eq(c->interval_s, 900);
	cr_expect_eq(c->period, GRAN_WEEK);
	cr_expect_eq(c->min_headcount, 8);
	cr_expect_eq(c->locale, LOC_EN);
	cr_assert_eq(c->ndefault_notify, 1);
	cr_expect_str_eq(c->default_notify[0], "social-worker");
	cr_expect_eq(c->stale_after_s, 2 * 86400);
	cr_expect_str_eq(c->metrics_file, "/var/lib/node_exporter/vigie.prom");

	cr_assert_not_null(c->smtp);
	cr_expect_str_eq(c->smtp->url, "smtp://127.0.0.1:2525");
	cr_expect_eq(c->smtp->starttls, STARTTLS_NONE);
	cr_expect_str_eq(c->smtp->username, "vigie");
	cr_expect_str_eq(c->smtp->password_credential, "smtp-password");
	cr_expect_null(c->smtp->password_file);
	cr_expect_str_eq(c->smtp->from, "vigie@example.org");
	cr_expect_eq(c->smtp->timeout_ms, 10000);

	cr_assert_eq(c->nwebhooks, 2);
	const struct webhook_config *w = config_webhook(c, "alertmanager");
	cr_assert_not_null(w);
	cr_expect_eq(w->format, WH_ALERTMANAGER);
	cr_expect_eq(w->timeout_ms, 5000);
	snprintf(want, sizeof(want), "%s/secrets/am.key", dir);
	cr_expect_str_eq(w->secret_file, want);
	w = config_webhook(c, "hr-chat");
	cr_assert_not_null(w);
	cr_expect_eq(w->format, WH_SLACK);
	cr_expect_eq(w->timeout_ms, 30000);
	cr_expect_null(config_webhook(c, "nope"));

	cr_assert_eq(c->nroles, 3);
	const struct role_config *r = config_role(c, "hr");
	cr_assert_not_null(r);
	cr_assert_eq(r->nroutes, 1);
	cr_assert_eq(r->routes[0].nscope, 1);
	cr_expect_str_eq(r->routes[0].scope[0], "**");
	cr_expect_str_eq(r->routes[0].email[0], "drh@example.org");
	cr_expect_str_eq(r->routes[0].webhook[0], "hr-chat");

	cr_assert_eq(c->nsources, 2);
	const struct source_config *s = &c->sources[0];
	cr_expect_str_eq(s->name, "sirh");
	cr_expect_eq(s->type, SRC_HTTP);
	cr_expect_eq(s->every_s, 86400);
	cr_expect_eq(s->timeout_ms, 20000);
	cr_expect_eq(s->max_size, 1LL << 30);
	snprintf(want, sizeof(want), "%s/sirh.token", dir);
	cr_expect_str_eq(s->token_file, want);
	cr_expect_str_eq(s->ca_file, "/etc/ssl/private-ca.pem");
	s = &c->sources[1];
	cr_expect_eq(s->type, SRC_SQLITE);
	cr_expect_eq(s->every_s, 0);
	cr_expect_eq(s->timeout_ms, 30000);
	cr_expect_eq(s->max_size, 64LL << 20);
	snprintf(want, sizeof(want), "%s/warehouse.db", dir);
	cr_expect_str_eq(s->path, want);
	cr_expect_str_eq(s->query, "SELECT unit, period, indicator, value\nFROM rps_monthly\n");
	config_free(c);
	diags_free(&d);
	free(dir);
}

Test(config, reports_every_error_of_a_file_in_reading_order)
{
	struct diags d = { 0 };
	struct config *c = config_load("tests/data/config/errors.yaml", &d);
	char *got = diags_to_string(&d, 0), want[8192];
	FILE *f = fopen("tests/data/config/errors.expected", "r");
	size_t n;

	cr_assert_null(c);
	cr_assert_not_null(f);
	n = fread(want, 1, sizeof(want) - 1, f);
	want[n] = '\0';
	fclose(f);
	cr_expect_str_eq(got, want);
	free(got);
	diags_free(&d);
}

Test(config, unknown_keys_name_their_place_and_suggest)
{
	expect_error("databse: x.db\n",
	    "vigie.yaml:1:1: error: unknown key \"databse\" (did you mean \"database\"?)\n");
	expect_error("rules: r\nfoo: 1\n", "vigie.yaml:2:1: error: unknown key \"foo\" (known keys: "
	    "database, rules, inbox, interval, period, min_headcount, locale, default_notify, "
	    "stale_after, metrics_file, smtp, webhooks, recipients, sources, carry_over, "
	    "dominance, confidential_roles, retention, max_import_size, web, report)\n");
	expect_error("smtp:\n  ur: smtp://127.0.0.1\n  from: a@b.org\n",
	    "vigie.yaml:2:3: error: unknown key \"ur\" in smtp (did you mean \"url\"?)\n"
	    "vigie.yaml:2:3: error: smtp.url is required (smtp://HOST:PORT or smtps://HOST:PORT)\n");
	expect_error("sources:\n  - name: a\n    type: http\n    url: http://h/\n    evry: 1h\n",
	    "vigie.yaml:5:5: error: unknown key \"evry\" in source (did you mean \"every\"?)\n");
	expect_error("database: a\ndatabase: b\n",
	    "vigie.yaml:2:1: error: duplicate key \"database\" (first at line 1)\n");
}

/* The hint after libyaml's words fits a configuration file as well as a
 * rule file: it speaks of keys, not of rules. */
Test(config, broken_indentation_points_at_the_line_and_says_how_to_fix_it)
{
	expect_error("smtp:\n  url: smtp://127.0.0.1\n from: a@b.org\n",
	    "vigie.yaml:3:2: error: invalid YAML: did not find expected key while parsing "
	    "a block mapping (check the indentation here: keys of the same level start in the same "
	    "column, and each item of a list starts with \"- \" in the same column)\n");
}

Test(config, wrong_types_say_what_was_expected)
{
	expect_error("interval: [1]\n",
	    "vigie.yaml:1:11: error: interval must be a duration like 30s, 15m, 1h or 2d\n");
	expect_error("database: [a]\n",
	    "vigie.yaml:1:11: error: database must be a string, not a list\n");
	expect_error("rules: {a: 1}\n",
	    "vigie.yaml:1:8: error: rules must be a string, not a mapping\n");
	expect_error("- database: x\n",
	    "vigie.yaml:1:1: error: the configuration must be a mapping, not a list\n");
	expect_error("default_notify: hr\n",
	    "vigie.yaml:1:17: error: default_notify must be a list, not a string\n");
	expect_error("sources: {name: x}\n",
	    "vigie.yaml:1:10: error: sources must be a list, not a mapping\n");
	expect_error("recipients:\n  hr: {email: a@b.org}\n",
	    "vigie.yaml:2:7: error: role \"hr\" must be a list of routes (- scope: ..., "
	    "email: [...], webhook: [...]), not a mapping\n");
	expect_error("min_headcount: five\n",
	    "vigie.yaml:1:16: error: min_headcount must be a whole number, at least 3\n");
	expect_error("database: \"a\\nb\"\n",
	    "vigie.yaml:1:11: error: database must not contain control characters (line breaks, tabs)\n");
}

Test(config, enumerations_and_the_anonymity_floor)
{
	expect_error("period: year\n", "vigie.yaml:1:9: error: period must be month or week\n");
	expect_error("locale: de\n", "vigie.yaml:1:9: error: locale must be fr or en\n");
	expect_error("min_headcount: 2\n",
	    "vigie.yaml:1:16: error: min_headcount must be at least 3: the anonymity floor cannot go lower\n");
	struct config *c = expect_ok("min_headcount: 3\nperiod: week\nlocale: en\n");
	cr_expect_eq(c->min_headcount, 3);
	config_free(c);
}

Test(config, durations_take_a_unit)
{
	cr_expect_eq(parse_duration("30s"), 30);
	cr_expect_eq(parse_duration("15m"), 900);
	cr_expect_eq(parse_duration("1h"), 3600);
	cr_expect_eq(parse_duration("2d"), 172800);
	cr_expect_eq(parse_duration("0s"), 0);
	const char *bad[] = { "10", "1w", "-1h", "1.5h", "", "h", "1h ", " 1h", "1hh",
	    "1H", "99999999999999999999s", "9223372036854775807d" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_expect_eq(parse_duration(bad[i]), -1, "\"%s\"", bad[i]);
	expect_error("stale_after: 10\n",
	    "vigie.yaml:1:14: error: stale_after must be a duration like 30s, 15m, 1h or 2d\n");
	expect_error("interval: 0s\n", "vigie.yaml:1:11: error: interval must be at least 1s\n");
	struct config *c = expect_ok("interval: 30s\nstale_after: 2d\n");
	cr_expect_eq(c->interval_s, 30);
	cr_expect_eq(c->stale_after_s, 172800);
	config_free(c);
}

Test(config, sizes_take_an_optional_binary_suffix)
{
	cr_expect_eq(parse_size("1000"), 1000);
	cr_expect_eq(parse_size("512K"), 512 * 1024);
	cr_expect_eq(parse_size("64M"), 64LL << 20);
	cr_expect_eq(parse_size("64MB"), 64LL << 20);
	cr_expect_eq(parse_size("1G"), 1LL << 30);
	const char *bad[] = { "", "M", "-1M", "1.5M", "1T", "1 M", "99999999999999999999",
	    "9999999999999G" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_expect_eq(parse_size(bad[i]), -1, "\"%s\"", bad[i]);
	expect_error("sources:\n  - name: a\n    type: http\n    url: http://h/\n    max_size: 1T\n",
	    "vigie.yaml:5:15: error: max_size must be a size like 512K, 64M or 1G\n");
	expect_error("sources:\n  - name: a\n    type: http\n    url: http://h/\n    max_size: 0\n",
	    "vigie.yaml:5:15: error: max_size must be a size like 512K, 64M or 1G\n");
}

Test(config, relative_paths_start_at_the_file_folder)
{
	struct config *c = expect_ok(
	    "database: db/vigie.db\nrules: rules.d\ninbox: ./in\nmetrics_file: m.prom\n"
	    "smtp: {url: 'smtp://localhost', from: v@x.org, username: v, password_file: pw, ca_file: ca.pem}\n"
	    "sources:\n  - {name: w, type: sqlite, path: w.db, query: SELECT 1}\n");
	char *dir = realpath(tmpdir, NULL), want[PATH_MAX];
	const struct { const char *got, *rel; } cases[] = {
		{ c->database, "db/vigie.db" }, { c->rules, "rules.d" }, { c->inbox, "./in" },
		{ c->metrics_file, "m.prom" }, { c->smtp->password_file, "pw" },
		{ c->smtp->ca_file, "ca.pem" }, { c->sources[0].path, "w.db" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(want, sizeof(want), "%s/%s", dir, cases[i].rel);
		cr_expect_str_eq(cases[i].got, want);
	}
	config_free(c);
	free(dir);
}

Test(config, path_comes_from_argument_then_environment_then_default)
{
	unsetenv("VIGIE_CONFIG");
	cr_expect_str_eq(config_path(NULL), "/etc/vigie/vigie.yaml");
	cr_expect_str_eq(config_path("x.yaml"), "x.yaml");
	setenv("VIGIE_CONFIG", "/srv/vigie.yaml", 1);
	cr_expect_str_eq(config_path(NULL), "/srv/vigie.yaml");
	cr_expect_str_eq(config_path("x.yaml"), "x.yaml");
	setenv("VIGIE_CONFIG", "", 1);
	cr_expect_str_eq(config_path(NULL), "/etc/vigie/vigie.yaml");
}

Test(config, missing_and_oversized_files_are_errors)
{
	struct diags d = { 0 };
	char *s;
	const char *path = tmp_path("big.yaml");
	FILE *f;

	cr_expect_null(config_load("/nonexistent/vigie.yaml", &d));
	s = diags_to_string(&d, 0);
	cr_expect_str_eq(s, "/nonexistent/vigie.yaml: error: cannot open: No such file or directory\n");
	free(s);
	diags_free(&d);

	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("database: x\n", f);
	for (size_t i = 0; i < (YAML_MAX_BYTES / 64) + 1; i++)
		fprintf(f, "# %61s\n", "padding");
	fclose(f);
	cr_expect_null(config_load(path, &d));
	cr_assert_eq(d.n, 1);
	cr_expect(strstr(d.v[0].msg, "larger than") != NULL, "%s", d.v[0].msg);
	diags_free(&d);
}

Test(config, starttls_none_only_for_a_loopback_host)
{
	const char *ok[] = { "smtp://127.0.0.1:25", "smtp://127.9.8.7", "smtp://[::1]:2525",
	    "smtp://localhost:25", "smtp://LOCALHOST" };
	const char *bad[] = { "smtp://10.0.0.1:25", "smtp://mail.example.org",
	    "smtp://128.0.0.1", "smtp://[::2]:25", "smtp://localhost.example.org" };
	char text[256], want[512];

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		snprintf(text, sizeof(text), "smtp:\n  url: %s\n  starttls: none\n  from: v@x.org\n", ok[i]);
		struct config *c = expect_ok(text);
		cr_expect_eq(c->smtp->starttls, STARTTLS_NONE);
		config_free(c);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *h = strstr(bad[i], "//") + 2;
		char host[64];
		size_t l;
		if (*h == '[')
			l = strcspn(++h, "]");
		else
			l = strcspn(h, ":");
		snprintf(host, sizeof(host), "%.*s", (int)l, h);
		snprintf(text, sizeof(text), "smtp:\n  url: %s\n  starttls: none\n  from: v@x.org\n", bad[i]);
		snprintf(want, sizeof(want), "vigie.yaml:3:13: error: starttls: none is only allowed "
		    "for a loopback host (127.0.0.0/8, ::1, localhost), not \"%s\": use starttls: "
		    "required\n", host);
		expect_error(text, want);
	}
	struct config *c = expect_ok("smtp:\n  url: smtps://mail.example.org:465\n  from: v@x.org\n");
	cr_expect_eq(c->smtp->starttls, STARTTLS_REQUIRED);
	cr_expect_eq(c->smtp->timeout_ms, 30000);
	config_free(c);
}

Test(config, smtp_keys_are_checked)
{
	expect_error("smtp:\n  url: http://127.0.0.1\n  from: v@x.org\n",
	    "vigie.yaml:2:8: error: smtp.url must start with smtp:// or smtps://\n");
	expect_error("smtp:\n  url: smtp://u:p@127.0.0.1\n  from: v@x.org\n",
	    "vigie.yaml:2:8: error: smtp.url must not contain a user name or password\n");
	expect_error("smtp:\n  url: smtp://127.0.0.1:99999\n  from: v@x.org\n",
	    "vigie.yaml:2:8: error: smtp.url has an invalid port\n");
	expect_error("smtp:\n  url: smtp://127.0.0.1\n",
	    "vigie.yaml:2:3: error: smtp.from is required: the sender address of alert emails\n");
	expect_error("smtp:\n  url: smtp://127.0.0.1\n  from: \"Vigie, RPS <v@x.org>\"\n",
	    "vigie.yaml:3:15: error: smtp.from \"Vigie, RPS <v@x.org>\": a display name with "
	    ", ; : @ ( ) [ ] \\ or \" must be quoted, as in \"Vigie, RPS\" <vigie@example.org>\n");
	expect_error("smtp:\n  url: smtp://127.0.0.1\n  from: \"Vigie <v x@x.org>\"\n",
	    "vigie.yaml:3:18: error: smtp.from \"Vigie <v x@x.org>\": not an email address like "
	    "name@example.org (no spaces, quotes, <>, commas or line breaks)\n");
	expect_error("smtp:\n  url: smtp://127.0.0.1\n  from: \"Vigie <v@x.org> x\"\n",
	    "vigie.yaml:3:26: error: smtp.from \"Vigie <v@x.org> x\": not a mailbox like "
	    "vigie@example.org or Vigie RPS <vigie@example.org>\n");
	expect_error("smtp:\n  url: smtp://127.0.0.1\n  from: '\"Vigie <v@x.org>'\n",
	    "vigie.yaml:3:10: error: smtp.from \"\"Vigie <v@x.org>\": the quoted display name "
	    "must end with its closing quote just before <address>\n");
	expect_error("smtp:\n  url: smtp://127.0.0.1\n  from: v@x.org\n  starttls: maybe\n",
	    "vigie.yaml:4:13: error: smtp.starttls must be required or none\n");
	expect_error("smtp:\n  url: smtp://127.0.0.1\n  from: v@x.org\n  password_file: a\n"
	    "  password_credential: b\n",
	    "vigie.yaml:5:24: error: set smtp.password_file or smtp.password_credential, not both\n");
	expect_error("smtp:\n  url: smtp://127.0.0.1\n  from: v@x.org\n  password_credential: ../x\n",
	    "vigie.yaml:4:24: error: smtp.password_credential must be a credential name (a file "
	    "name under $CREDENTIALS_DIRECTORY, no '/')\n");
	expect_error("smtp:\n  url: smtp://127.0.0.1\n  from: v@x.org\n  timeout: 1.5h\n",
	    "vigie.yaml:4:12: error: smtp.timeout must be a duration like 30s, 15m, 1h or 2d\n");
	/* Half a login: libcurl would log in with neither. */
	expect_error("smtp:\n  url: smtp://127.0.0.1\n  from: v@x.org\n  username: v\n",
	    "vigie.yaml:4:13: error: smtp.username needs smtp.password_file or "
	    "smtp.password_credential: without a password no login is made\n");
	expect_error("smtp:\n  url: smtp://127.0.0.1\n  from: v@x.org\n  password_credential: pw\n",
	    "vigie.yaml:4:24: error: smtp.password_credential needs smtp.username: without "
	    "it no login is made\n");
}

Test(config, smtp_from_takes_a_display_name_and_keeps_the_bare_address)
{
	struct config *c = expect_ok("smtp:\n  url: smtp://127.0.0.1\n"
	    "  from: Vigie RPS <vigie@example.org>\n");

	cr_expect_str_eq(c->smtp->from_addr, "vigie@example.org");
	cr_expect_str_eq(c->smtp->from_name, "Vigie RPS");
	config_free(c);
	c = expect_ok("smtp:\n  url: smtp://127.0.0.1\n"
	    "  from: '\"Vigie, \\\"RPS\\\"\" <vigie@example.org>'\n");
	cr_expect_str_eq(c->smtp->from_name, "Vigie, \"RPS\"");
	config_free(c);
	c = expect_ok("smtp:\n  url: smtp://127.0.0.1\n  from: Vigie Santé <v@x.org>\n");
	cr_expect_str_eq(c->smtp->from_name, "Vigie Santé");
	cr_expect_str_eq(c->smtp->from_addr, "v@x.org");
	config_free(c);
	c = expect_ok("smtp:\n  url: smtp://127.0.0.1\n  from: v@x.org\n");
	cr_expect_null(c->smtp->from_name);
	cr_expect_str_eq(c->smtp->from_addr, "v@x.org");
	config_free(c);
}

Test(config, recipients_check_scopes_addresses_and_webhooks)
{
	expect_error("recipients:\n  hr:\n    - email: [\"a@b.org\\r\\nBcc: x@y.org\"]\n",
	    "vigie.yaml:3:15: error: email must not contain control characters (line breaks, tabs)\n");
	expect_error("recipients:\n  hr:\n    - email: [drh]\n",
	    "vigie.yaml:3:15: error: email \"drh\": not an email address like name@example.org\n");
	expect_error("recipients:\n  hr:\n    - email: [\"<a@b.org>\"]\n",
	    "vigie.yaml:3:16: error: email \"<a@b.org>\": not an email address like name@example.org "
	    "(no spaces, quotes, <>, commas or line breaks)\n");
	expect_error("recipients:\n  hr:\n    - scope: [acme, \"acme/**/x\", \"a b\"]\n",
	    "vigie.yaml:3:36: error: scope \"a b\": invalid character in unit glob\n");
	expect_error("recipients:\n  hr:\n    - webhook: [chat]\n",
	    "vigie.yaml:3:17: error: unknown webhook \"chat\": define it under webhooks:\n");
	expect_error("webhooks:\n  chat: {url: \"https://x/\"}\n  chat2: {url: \"ftp://x/\"}\n",
	    "vigie.yaml:3:16: error: url must be an http:// or https:// URL\n");
	expect_error("webhooks:\n  chat: {format: teams}\n",
	    "vigie.yaml:2:3: error: webhook \"chat\" needs a url\n");
	expect_error("webhooks:\n  chat: {url: \"https://x/\", secret_file: a, secret_credential: b}\n",
	    "vigie.yaml:2:64: error: set secret_file or secret_credential, not both\n");
}

/* SPEC 7: only what a feature uses is required, and what it uses is. */
Test(config, email_routes_need_an_smtp_section)
{
	expect_error("recipients:\n  hr:\n    - email: [drh@example.org]\n"
	    "  ops:\n    - webhook: [chat]\n      email: ops@example.org\n"
	    "webhooks:\n  chat: {url: \"https://x/\"}\n",
	    "vigie.yaml:3:7: error: email needs an smtp: section to send with: add one "
	    "with url: and from: (see vigie.yaml(5)), or route this role elsewhere\n"
	    "vigie.yaml:6:7: error: email needs an smtp: section to send with: add one "
	    "with url: and from: (see vigie.yaml(5)), or route this role elsewhere\n");
	/* An empty smtp: is no section either. */
	expect_error("smtp:\nrecipients:\n  hr:\n    - email: [drh@example.org]\n",
	    "vigie.yaml:4:7: error: email needs an smtp: section to send with: add one "
	    "with url: and from: (see vigie.yaml(5)), or route this role elsewhere\n");
	/* A broken smtp: section says what is wrong with it, once. */
	expect_error("smtp: yes\nrecipients:\n  hr:\n    - email: [drh@example.org]\n",
	    "vigie.yaml:1:7: error: smtp must be a mapping, not a string\n");
	config_free(expect_ok("smtp:\n  url: smtp://127.0.0.1\n  from: v@x.org\n"
	    "recipients:\n  hr:\n    - email: [drh@example.org]\n"));
	/* Webhooks alone need no smtp:, nor does a role without routes. */
	config_free(expect_ok("webhooks:\n  chat: {url: \"https://x/\"}\n"
	    "recipients:\n  hr:\n    - webhook: [chat]\n  ops:\n"));
}

Test(config, any_role_name_is_allowed_in_default_notify)
{
	struct config *c = expect_ok("default_notify: [ops, direction]\n"
	    "smtp: {url: \"smtp://127.0.0.1\", from: v@x.org}\n"
	    "recipients:\n  ops:\n    - email: o@x.org\n");

	cr_assert_eq(c->ndefault_notify, 2);
	cr_expect_str_eq(c->default_notify[1], "direction");
	cr_expect_null(config_role(c, "direction"));
	cr_expect_not_null(config_role(c, "ops"));
	cr_expect_null(config_route(config_role(c, "direction"), "acme"));
	config_free(c);
	c = expect_ok("default_notify: []\n");
	cr_expect_eq(c->ndefault_notify, 0);
	/* valid, and said: no one would see the rules that rely on it */
	char *w = diags_to_string(&c->warnings, 0);
	cr_expect(strstr(w, ":1:17: warning: default_notify names no role: the "
	    "alerts of rules without their own notify reach no one") != NULL, "%s", w);
	free(w);
	config_free(c);
	c = expect_ok("default_notify: [hr]\n");
	cr_expect_eq(c->warnings.n, 0);
	config_free(c);
}

Test(config, the_first_route_whose_scope_matches_wins)
{
	struct config *c = expect_ok(
	    "smtp: {url: \"smtp://127.0.0.1\", from: v@x.org}\n"
	    "recipients:\n"
	    "  social-worker:\n"
	    "    - scope: \"acme/nancy/**\"\n"
	    "      email: [nancy@example.org]\n"
	    "    - scope: [acme/metz, \"acme/metz/*\"]\n"
	    "      email: [metz@example.org]\n"
	    "    - email: [all@example.org]\n"
	    "  hr:\n"
	    "    - scope: acme/lyon\n"
	    "      email: drh-lyon@example.org\n");
	const struct role_config *sw = config_role(c, "social-worker"), *hr = config_role(c, "hr");
	const struct { const char *unit, *want; } cases[] = {
		{ "acme/nancy/logistics", "nancy@example.org" },
		{ "acme/nancy/logistics/night", "nancy@example.org" },
		{ "acme/nancy", "all@example.org" },	/* ** needs one segment more */
		{ "acme/metz", "metz@example.org" },
		{ "acme/metz/it", "metz@example.org" },
		{ "acme/metz/it/ops", "all@example.org" },
		{ "acme", "all@example.org" },
	};

	cr_assert_not_null(sw);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct route_config *r = config_route(sw, cases[i].unit);
		cr_assert_not_null(r, "%s", cases[i].unit);
		cr_expect_str_eq(r->email[0], cases[i].want, "%s", cases[i].unit);
	}
	cr_expect_not_null(config_route(hr, "acme/lyon"));
	cr_expect_null(config_route(hr, "acme/paris"));
	config_free(c);
}

Test(config, sources_are_checked_per_type)
{
	expect_error("sources:\n  - type: http\n    url: http://h/\n",
	    "vigie.yaml:2:5: error: a source needs a name ([a-z0-9_-]+)\n");
	expect_error("sources:\n  - name: a\n    url: http://h/\n",
	    "vigie.yaml:2:5: error: source \"a\" needs a type: http or sqlite\n");
	expect_error("sources:\n  - name: a\n    type: sqlite\n    query: SELECT 1\n",
	    "vigie.yaml:2:5: error: an sqlite source needs a path\n");
	expect_error("sources:\n  - name: a\n    type: sqlite\n    path: a.db\n",
	    "vigie.yaml:2:5: error: an sqlite source needs a query (SELECT unit, period, indicator, value FROM ...)\n");
	expect_error("sources:\n  - name: a\n    type: sqlite\n    path: a.db\n    query: q\n    url: http://h/\n",
	    "vigie.yaml:6:5: error: key \"url\" is for http sources, this one is type sqlite\n");
	expect_error("sources:\n  - {name: a, type: http, url: \"http://h/\", token_file: t, token_credential: c}\n",
	    "vigie.yaml:2:78: error: set token_file or token_credential, not both\n");
	expect_error("sources:\n  - {name: a, type: http, url: \"http://h/\", every: 1w}\n",
	    "vigie.yaml:2:52: error: every must be a duration like 30s, 15m, 1h or 2d\n");
	expect_error("sources:\n  - {name: a.b, type: http, url: \"http://h/\"}\n",
	    "vigie.yaml:2:12: error: source name \"a.b\" must match [a-z0-9_-]+\n");
	expect_error("sources:\n  - {name: a, type: http, url: \"http://h/\"}\n"
	    "  - {name: a, type: http, url: \"http://h/\"}\n",
	    "vigie.yaml:3:12: error: duplicate source name \"a\" (first at line 2)\n");
	/* A token goes in clear over plain http: loopback only, as for
	 * webhooks. */
	write_file(tmp_path("t"), "tok\n");
	cr_assert_eq(chmod(tmp_path("t"), 0600), 0);
	expect_error("sources:\n  - {name: a, type: http, url: \"http://sirh.example.org/x\", "
	    "token_file: t}\n",
	    "vigie.yaml:2:32: error: token_file: plain http:// to \"sirh.example.org\" would "
	    "send it in clear: use an https:// url (plain http:// is only allowed for a "
	    "loopback host: 127.0.0.0/8, ::1, localhost)\n");
	config_free(expect_ok("sources:\n  - {name: a, type: http, url: \"http://localhost:81/x\", "
	    "token_file: t}\n  - {name: b, type: http, url: \"http://sirh.example.org/x\"}\n"));
}

Test(config, null_values_mean_the_default)
{
	struct config *c = expect_ok("database:\ninbox: ~\ninterval:\nsmtp:\nsources:\n");

	cr_expect_str_eq(c->database, "/var/lib/vigie/vigie.db");
	cr_expect_null(c->inbox);
	cr_expect_eq(c->interval_s, 3600);
	cr_expect_null(c->smtp);
	config_free(c);
}

Test(config, the_shipped_configuration_is_valid_in_the_source_tree)
{
	struct diags d = { 0 };
	struct config *c = config_load("etc/vigie.yaml", &d);
	char *want = realpath("etc/rules.d", NULL);

	cr_assert_not_null(c, "%s", diags_to_string(&d, 0));
	cr_expect_str_eq(c->rules, want);
	cr_expect(strstr(c->database, "/etc/../build/vigie.db") != NULL, "%s", c->database);
	config_free(c);
	free(want);
}

Test(config, webhook_detail_defaults_by_format_and_instance_for_alertmanager)
{
	struct config *c = expect_ok("webhooks:\n"
	    "  g: {url: https://x.example.org/g}\n"
	    "  s: {url: https://x.example.org/s, format: slack}\n"
	    "  m: {url: https://x.example.org/m, format: mattermost}\n"
	    "  t: {url: https://x.example.org/t, format: teams, detail: full}\n"
	    "  a: {url: http://127.0.0.1:9093, format: alertmanager}\n"
	    "  b: {url: http://127.0.0.1:9093, format: alertmanager, instance: rps-prod}\n");
	char host[256] = "";

	gethostname(host, sizeof(host));
	cr_expect_eq(config_webhook(c, "g")->detail, DETAIL_FULL);
	cr_expect_eq(config_webhook(c, "s")->detail, DETAIL_MINIMAL);
	cr_expect_eq(config_webhook(c, "m")->detail, DETAIL_MINIMAL);
	cr_expect_eq(config_webhook(c, "m")->format, WH_MATTERMOST);
	cr_expect_eq(config_webhook(c, "t")->detail, DETAIL_FULL);
	cr_expect_eq(config_webhook(c, "a")->detail, DETAIL_MINIMAL);
	cr_expect_str_eq(config_webhook(c, "a")->instance, host);
	cr_expect_str_eq(config_webhook(c, "b")->instance, "rps-prod");
	cr_expect_null(config_webhook(c, "s")->instance);
	config_free(c);
	expect_error("webhooks:\n  s: {url: https://x.example.org/s, detail: some}\n",
	    "vigie.yaml:2:45: error: detail must be full or minimal\n");
	expect_error("webhooks:\n  s: {url: https://x.example.org/s, format: slack, instance: a}\n",
	    "vigie.yaml:2:62: error: instance is a label of format: alertmanager only\n");
}

Test(config, malformed_webhook_secrets_are_refused_at_load_without_their_text)
{
	const char *text =
	    "webhooks:\n"
	    "  hook:\n"
	    "    url: https://example.org/h\n"
	    "    secret_file: hook.secret\n";

	write_file(tmp_path("hook.secret"), "whsec_c2VjcmV0*c2VjcmV0\n");
	cr_assert_eq(chmod(tmp_path("hook.secret"), 0600), 0);
	expect_error(text, "vigie.yaml:4:18: error: webhook \"hook\" secret_file: the secret is "
	    "not \"whsec_\" followed by base64 (Standard Webhooks)\n");
	write_file(tmp_path("hook.secret"), "whsec_c2hvcnQta2V5\n");
	expect_error(text, "vigie.yaml:4:18: error: webhook \"hook\" secret_file: the key is "
	    "shorter than 16 bytes (make one with: printf 'whsec_%s' \"$(head -c 32 "
	    "/dev/urandom | base64)\")\n");
	/* Without the prefix (SPEC 9): a valid base64 key, or a word that
	 * would decode to a short one, is refused for what it lacks. */
	write_file(tmp_path("hook.secret"), "dmlnaWUtdW5wYWRkZWQta2V5ISE=\n");
	expect_error(text, "vigie.yaml:4:18: error: webhook \"hook\" secret_file: the secret "
	    "does not start with \"whsec_\": write whsec_ then the key in base64 (make one "
	    "with: printf 'whsec_%s' \"$(head -c 32 /dev/urandom | base64)\")\n");
	write_file(tmp_path("hook.secret"), "nothwsec\n");
	expect_error(text, "vigie.yaml:4:18: error: webhook \"hook\" secret_file: the secret "
	    "does not start with \"whsec_\": write whsec_ then the key in base64 (make one "
	    "with: printf 'whsec_%s' \"$(head -c 32 /dev/urandom | base64)\")\n");
	/* unpadded, as the reference libraries accept it */
	write_file(tmp_path("hook.secret"), "whsec_dmlnaWUtdW5wYWRkZWQta2V5ISE\n");
	config_free(expect_ok(text));
}

/* A webhook logs in with a bearer token or basic auth (SPEC 9): one kind,
 * checked at load without its text, never sent in clear off loopback. */
Test(config, webhook_credentials_are_one_kind_checked_at_load_and_never_in_clear)
{
	const char *text =
	    "webhooks:\n"
	    "  hook:\n"
	    "    url: https://example.org/h\n"
	    "    basic_auth_file: hook.auth\n";
	const struct webhook_config *w;
	struct config *c;

	write_file(tmp_path("hook.auth"), "ops:pa:ss w\xc3\xb6rd\n");
	cr_assert_eq(chmod(tmp_path("hook.auth"), 0600), 0);
	c = expect_ok(text);
	w = config_webhook(c, "hook");
	cr_expect_eq(w->auth, AUTH_BASIC);
	cr_expect_str_eq(w->auth_file, tmp_path("hook.auth"));
	cr_expect_null(w->auth_credential);
	config_free(c);
	write_file(tmp_path("hook.auth"), "ops-secret-word\n");
	expect_error(text, "vigie.yaml:4:22: error: webhook \"hook\" basic_auth_file: the file "
	    "must hold user:password (there is no colon)\n");
	write_file(tmp_path("hook.auth"), ":ops-secret-word\n");
	expect_error(text, "vigie.yaml:4:22: error: webhook \"hook\" basic_auth_file: the file "
	    "must hold user:password (the user name before the colon is empty)\n");
	write_file(tmp_path("hook.auth"), "ops:one\ntwo\n");
	expect_error(text, "vigie.yaml:4:22: error: webhook \"hook\" basic_auth_file: the file "
	    "must hold user:password alone, on one line (it holds a line break or a "
	    "control character)\n");
	write_file(tmp_path("hook.token"), "Bearer tok\n");
	cr_assert_eq(chmod(tmp_path("hook.token"), 0600), 0);
	expect_error("webhooks:\n  hook: {url: \"https://x/\", token_file: hook.token}\n",
	    "vigie.yaml:2:41: error: webhook \"hook\" token_file: the token contains a space, "
	    "a control character or a line break (the file must hold the token alone)\n");
	expect_error("webhooks:\n  hook: {url: \"https://x/\", token_file: a, "
	    "basic_auth_credential: b}\n",
	    "vigie.yaml:2:67: error: set token_file or basic_auth_credential, not both\n");
	expect_error("webhooks:\n  hook: {url: \"https://x/\", token_credential: a/b}\n",
	    "vigie.yaml:2:47: error: token_credential must be a credential name (a file name "
	    "under $CREDENTIALS_DIRECTORY, no '/')\n");
	/* Plain http only to loopback: elsewhere the token would be read on
	 * the way. */
	write_file(tmp_path("hook.token"), "tok\n");
	expect_error("webhooks:\n  hook: {url: \"http://am.example.org:9093\", "
	    "format: alertmanager, token_file: hook.token}\n",
	    "vigie.yaml:2:15: error: webhook \"hook\" token_file: plain http:// to "
	    "\"am.example.org\" would send it in clear: use an https:// url (plain http:// "
	    "is only allowed for a loopback host: 127.0.0.0/8, ::1, localhost)\n");
	config_free(expect_ok("webhooks:\n  hook: {url: \"http://[::1]:9093\", "
	    "token_file: hook.token}\n"));
	c = expect_ok("webhooks:\n  hook: {url: \"http://127.0.0.2:9093\", "
	    "token_file: hook.token}\n");
	cr_expect_eq(config_webhook(c, "hook")->auth, AUTH_BEARER);
	config_free(c);
}

Test(config, secret_files_readable_by_others_are_refused_at_load)
{
	const char *text =
	    "webhooks:\n"
	    "  hook:\n"
	    "    url: https://example.org/h\n"
	    "    secret_file: hook.secret\n";

	write_file(tmp_path("hook.secret"), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n");
	cr_assert_eq(chmod(tmp_path("hook.secret"), 0644), 0);
	expect_error(text, "vigie.yaml:4:18: error: secret_file hook.secret is readable by "
	    "group or others (mode 0644): run chmod 600 on it\n");
	cr_assert_eq(chmod(tmp_path("hook.secret"), 0600), 0);
	config_free(expect_ok(text));
}

/* A secret this user cannot read is the daemon's to check: said as a
 * warning, not refused; a folder named as the secret is an error, not a
 * file "readable by others". */
Test(config, secrets_this_user_cannot_read_are_warnings)
{
	const char *text =
	    "webhooks:\n"
	    "  hook:\n"
	    "    url: https://example.org/h\n"
	    "    secret_file: missing.secret\n"
	    "  other:\n"
	    "    url: https://example.org/o\n"
	    "    secret_credential: hook\n";
	struct config *c;
	char *w;

	unsetenv("CREDENTIALS_DIRECTORY");
	c = expect_ok(text);
	w = diags_to_string(&c->warnings, 0);
	cr_assert_not_null(strstr(w, "vigie.yaml:4:18: warning: webhook \"hook\" secret_file: "
	    "cannot read secret "), "%s", w);
	cr_assert_not_null(strstr(w, "missing.secret: No such file or directory; not "
	    "checked: the daemon checks it when it uses it\n"), "%s", w);
	cr_assert_not_null(strstr(w, "vigie.yaml:7:24: warning: webhook \"other\" "
	    "secret_credential: credential \"hook\": CREDENTIALS_DIRECTORY is not set"), "%s", w);
	free(w);
	config_free(c);
	cr_assert_eq(mkdir(tmp_path("dir.secret"), 0755), 0);
	expect_error("webhooks:\n  hook:\n    url: https://example.org/h\n"
	    "    secret_file: dir.secret\n",
	    "vigie.yaml:4:18: error: webhook \"hook\" secret_file: secret dir.secret is "
	    "not a regular file\n");
	rmdir(tmp_path("dir.secret"));
}

/* web: (SPEC 14) */
Test(config, web_section_defaults_and_values)
{
	struct config *c = expect_ok("web: {}\n");

	cr_assert_not_null(c->web);
	cr_expect_str_eq(c->web->listen, "127.0.0.1:8080");
	cr_expect_eq(c->web->session_ttl_s, 8 * 3600, "session_ttl defaults to 8h");
	cr_expect_null(c->web->url);
	cr_expect_null(c->web->tls_cert_file);
	cr_expect_null(c->web->trusted_user_header);
	config_free(c);
	c = expect_ok("database: /srv/v.db\n");
	cr_expect_null(c->web, "no web: section, no console settings");
	config_free(c);
	c = expect_ok("web:\n  listen: /run/vigie/web.sock\n  url: https://vigie.example.org/\n"
	    "  session_ttl: 30m\n  trusted_user_header: X-Remote-User\n");
	cr_expect_str_eq(c->web->listen, "/run/vigie/web.sock");
	cr_expect_str_eq(c->web->url, "https://vigie.example.org", "trailing '/' dropped");
	cr_expect_eq(c->web->session_ttl_s, 1800);
	cr_expect_str_eq(c->web->trusted_user_header, "X-Remote-User");
	config_free(c);
	/* Any address with TLS; loopback in every spelling without. */
	write_file(tmp_path("key.pem"), "k");
	chmod(tmp_path("key.pem"), 0600);
	c = expect_ok("web:\n  listen: 0.0.0.0:8443\n  tls_cert_file: cert.pem\n"
	    "  tls_key_file: key.pem\n");
	cr_expect_str_eq(c->web->tls_cert_file, tmp_path("cert.pem"), "relative to the file");
	config_free(c);
	config_free(expect_ok("web: { listen: \"[::1]:8080\" }\n"));
	config_free(expect_ok("web: { listen: \"localhost:8080\" }\n"));
	config_free(expect_ok("web: { listen: \"127.0.0.2:80\" }\n"));
}

Test(config, web_plain_listener_must_be_loopback_or_a_unix_socket)
{
	expect_error("web:\n  listen: 0.0.0.0:8080\n", "vigie.yaml:2:11: error: web.listen "
	    "0.0.0.0:8080 is not a loopback address: without TLS passwords and session "
	    "cookies would cross the network in clear; set web.tls_cert_file and "
	    "web.tls_key_file, or listen on 127.0.0.1 or a unix socket behind a reverse "
	    "proxy\n");
	expect_error("web:\n  listen: \"[2001:db8::1]:8080\"\n", "vigie.yaml:2:11: error: "
	    "web.listen [2001:db8::1]:8080 is not a loopback address: without TLS passwords "
	    "and session cookies would cross the network in clear; set web.tls_cert_file "
	    "and web.tls_key_file, or listen on 127.0.0.1 or a unix socket behind a reverse "
	    "proxy\n");
}

Test(config, web_errors_name_their_place)
{
	expect_error("web:\n  listen: 8080\n", "vigie.yaml:2:11: error: web.listen \"8080\" "
	    "must be HOST:PORT (127.0.0.1:8080, [::1]:8080) or the absolute path of a unix "
	    "socket\n");
	expect_error("web:\n  listen: 127.0.0.1:99999\n", "vigie.yaml:2:11: error: web.listen "
	    "\"127.0.0.1:99999\" must be HOST:PORT (127.0.0.1:8080, [::1]:8080) or the absolute "
	    "path of a unix socket\n");
	expect_error("web:\n  tls_cert_file: c.pem\n", "vigie.yaml:2:18: error: set both "
	    "web.tls_cert_file and web.tls_key_file, or neither\n");
	expect_error("web:\n  session_ttl: 8 hours\n", "vigie.yaml:2:16: error: "
	    "web.session_ttl must be a duration like 30s, 15m, 1h or 2d\n");
	expect_error("web:\n  session_ttl: 31d\n", "vigie.yaml:2:16: error: "
	    "web.session_ttl must be at most 30d\n");
	expect_error("web:\n  url: ftp://x\n", "vigie.yaml:2:8: error: web.url must be an "
	    "http:// or https:// URL\n");
	expect_error("web:\n  trusted_user_header: \"X-User: admin\"\n", "vigie.yaml:2:24: "
	    "error: web.trusted_user_header \"X-User: admin\" must be a header name (letters, "
	    "digits and '-', like X-Remote-User)\n");
	expect_error("web:\n  listn: 127.0.0.1:8080\n", "vigie.yaml:2:3: error: unknown key "
	    "\"listn\" in web (did you mean \"listen\"?)\n");
}

Test(config, alert_url_under_web_url)
{
	char *u = config_alert_url("https://vigie.example.org", "conflicts", "acme/metz/cuisine");

	cr_expect_str_eq(u, "https://vigie.example.org/alerts/conflicts@acme/metz/cuisine");
	free(u);
	cr_expect_null(config_alert_url(NULL, "conflicts", "acme"));
}

/* What a reload cannot change (vigied and vigie-web refuse it alike): the
 * database and its granularity; anything else may change. */
Test(config, a_reload_refuses_another_database_or_period)
{
	struct config *a = expect_ok("database: /srv/a.db\nrules: r\n");
	struct config *b = expect_ok("database: /srv/b.db\nrules: r\n");
	struct config *w = expect_ok("database: /srv/a.db\nrules: r\nperiod: week\n");
	struct config *i = expect_ok("database: /srv/a.db\nrules: r\ninterval: 5m\n");
	char *why;

	cr_assert_str_eq(why = config_reload_refused(a, b), "database: changed from "
	    "/srv/a.db to /srv/b.db; restart to change the database (vigied and "
	    "vigie-web, which keep the one they opened)");
	free(why);
	cr_assert_str_eq(why = config_reload_refused(a, w), "period: changed from "
	    "month to week; restart to change the period (vigied and vigie-web, "
	    "whose database holds one)");
	free(why);
	cr_assert_null(config_reload_refused(a, i));
	config_free(a);
	config_free(b);
	config_free(w);
	config_free(i);
}

/* report: one mapping as always, or a list of them, one report a unit
 * (vigie.yaml(5), probe scale F3). */
#define REPORT_HEAD "smtp: {url: \"smtp://127.0.0.1:2525\", from: v@example.org}\n" \
	"recipients:\n  hr: [{email: [drh@example.org]}]\n  cse: [{email: [cse@example.org]}]\n"

Test(config, report_is_one_mapping_as_before)
{
	struct config *c = expect_ok(REPORT_HEAD "report:\n  every: quarter\n  to: [hr]\n");

	cr_assert_eq(c->report.nsched, 1);
	cr_expect_eq(c->report.sched[0].every, REPORT_QUARTER);
	cr_expect_eq(c->report.sched[0].format, REPORT_PDF);
	cr_expect_null(c->report.sched[0].unit);
	cr_assert_eq(c->report.sched[0].nto, 1);
	cr_expect_str_eq(c->report.sched[0].to[0], "hr");
	config_free(c);
	/* indicators alone schedule nothing */
	c = expect_ok(REPORT_HEAD "report: {indicators: r.yaml}\n");
	cr_expect_eq(c->report.nsched, 0);
	cr_expect_not_null(strstr(c->report.indicators, "/r.yaml"));
	config_free(c);
}

Test(config, report_takes_a_list_of_reports_each_with_its_unit)
{
	struct config *c = expect_ok(REPORT_HEAD "report:\n"
	    "  - {every: quarter, to: [hr], unit: alpha}\n"
	    "  - every: year\n    to: [hr, cse]\n    unit: beta\n    format: html\n"
	    "    indicators: r.yaml\n"
	    "  - {every: year, to: cse}\n");

	cr_assert_eq(c->report.nsched, 3);
	cr_expect_str_eq(c->report.sched[0].unit, "alpha");
	cr_expect_eq(c->report.sched[0].every, REPORT_QUARTER);
	cr_expect_eq(c->report.sched[0].format, REPORT_PDF);
	cr_expect_str_eq(c->report.sched[1].unit, "beta");
	cr_expect_eq(c->report.sched[1].every, REPORT_YEAR);
	cr_expect_eq(c->report.sched[1].format, REPORT_HTML);
	cr_assert_eq(c->report.sched[1].nto, 2);
	cr_expect_str_eq(c->report.sched[1].to[1], "cse");
	cr_expect_null(c->report.sched[2].unit);
	cr_expect_not_null(strstr(c->report.indicators, "/r.yaml"));
	config_free(c);
}

Test(config, report_list_errors_have_their_place)
{
	expect_error(REPORT_HEAD "report: quarter\n",
	    "vigie.yaml:5:9: error: report must be a mapping, or a list of mappings (one "
	    "report a unit), not a string\n");
	expect_error(REPORT_HEAD "report:\n  - {every: quarter, to: [hr], unit: alpha}\n"
	    "  - beta\n",
	    "vigie.yaml:7:5: error: each report of the list must be a mapping (every, to, "
	    "format, unit), not a string\n");
	expect_error(REPORT_HEAD "report:\n  - {every: quarter, to: [hr], unit: alpha}\n"
	    "  - every: year\n    unit: beta\n",
	    "vigie.yaml:7:12: error: report.every needs report.to: the roles that receive "
	    "the report, such as [hr]\n");
	expect_error(REPORT_HEAD "report:\n  - {every: quarter, to: [hr], unit: alpha}\n"
	    "  - {every: year, to: [ops], unit: beta, evry: x}\n",
	    "vigie.yaml:7:24: error: report.to: role \"ops\" is not in recipients\n"
	    "vigie.yaml:7:42: error: unknown key \"evry\" in report (did you mean \"every\"?)\n");
	expect_error(REPORT_HEAD "report:\n  - {every: quarter, to: [hr], unit: alpha}\n"
	    "  - {every: year, to: [cse], unit: beta}\n"
	    "  - {every: year, to: [cse], unit: alpha}\n",
	    "vigie.yaml:8:5: error: report: a second report of alpha (the first at line 6): "
	    "one report a unit; give it every role in its to\n");
	expect_error(REPORT_HEAD "report:\n  - {every: quarter, to: [hr]}\n"
	    "  - {every: year, to: [cse]}\n",
	    "vigie.yaml:7:5: error: report: a second report of every unit (the first at "
	    "line 6): one report a unit; give it every role in its to\n");
	expect_error(REPORT_HEAD "report:\n  - {every: quarter, to: [hr], indicators: a.yaml}\n"
	    "  - {every: year, to: [cse], unit: b, indicators: b.yaml}\n",
	    "vigie.yaml:7:51: error: report.indicators is set already at line 6: every "
	    "report has the same indicators, set them once\n");
}
