/* Routing asked of one target (daemon/notify/route.c, SPEC 9): what the
 * Alertmanager refresh and the digests' context rely on. A rule's notify
 * roles, or default_notify, each through its first route whose scope
 * matches the unit; system events through the route covering every unit. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include "vigie/route.h"

static struct config *cfg;
static char dir[64];

static struct config *load(const char *yaml)
{
	char path[128];
	struct diags d = { 0 };
	struct config *c;
	FILE *f;

	snprintf(path, sizeof(path), "%s/vigie.yaml", dir);
	cr_assert_not_null(f = fopen(path, "w"));
	fputs(yaml, f);
	fclose(f);
	c = config_load(path, &d);
	cr_assert_not_null(c);
	diags_free(&d);
	return c;
}

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/vigie-route.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	cfg = load("default_notify: [hr]\n"
	    "smtp: {url: \"smtp://127.0.0.1\", from: v@x.org}\n"
	    "webhooks:\n"
	    "  am: {url: \"http://127.0.0.1:9/\", format: alertmanager}\n"
	    "  chat: {url: \"http://127.0.0.1:9/\", format: slack}\n"
	    "recipients:\n"
	    "  social-worker:\n"
	    "    - email: [sw@example.org]\n"
	    "  hr:\n"
	    "    - scope: \"acme/b\"\n"
	    "      webhook: [chat]\n"
	    "    - email: [hr@example.org]\n"
	    "  ops:\n"
	    "    - scope: \"acme/b\"\n"
	    "      webhook: [am]\n"
	    "    - email: [ops@example.org]\n");
}

static void teardown(void)
{
	char cmd[96];

	config_free(cfg);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(route, .init = setup, .fini = teardown);

Test(route, a_webhook_hears_only_of_the_rules_and_units_routed_to_it)
{
	char *sw[] = { "social-worker" }, *hr_ops[] = { "hr", "ops" };
	struct rule confidential = { .id = "c", .notify = sw, .nnotify = 1, .notify_set = true };
	struct rule shared = { .id = "s", .notify = hr_ops, .nnotify = 2, .notify_set = true };
	struct rule dflt = { .id = "d" };

	cr_expect_not(route_reaches(cfg, &confidential, "acme/b", "webhook", "am"),
	    "social-worker routes to an email only");
	cr_expect(route_reaches(cfg, &confidential, "acme/b", "email", "sw@example.org"));
	cr_expect(route_reaches(cfg, &shared, "acme/b", "webhook", "am"));
	cr_expect_not(route_reaches(cfg, &shared, "acme/a", "webhook", "am"),
	    "ops' first route matching acme/a is the email");
	cr_expect(route_reaches(cfg, &shared, "acme/a", "email", "ops@example.org"));
	cr_expect_not(route_reaches(cfg, &shared, "acme/b", "email", "ops@example.org"),
	    "only the first matching route counts");
	cr_expect(route_reaches(cfg, &dflt, "acme/b", "webhook", "chat"), "default_notify: hr");
	cr_expect_not(route_reaches(cfg, &dflt, "acme/b", "webhook", "am"));
	cr_expect_not(route_reaches(cfg, &dflt, "acme/a", "webhook", "chat"));
}

Test(route, missing_data_goes_to_the_route_covering_every_unit)
{
	struct config *no_ops;

	cr_expect_str_eq(route_missing_data_role(cfg), "ops");
	cr_expect_not(route_system_reaches(cfg, "ops", "webhook", "am"),
	    "am is ops' route for acme/b only");
	cr_expect(route_system_reaches(cfg, "ops", "email", "ops@example.org"));
	cr_expect_not(route_system_reaches(cfg, "nobody", "email", "ops@example.org"));
	no_ops = load("smtp: {url: \"smtp://127.0.0.1\", from: v@x.org}\n"
	    "webhooks:\n"
	    "  am: {url: \"http://127.0.0.1:9/\", format: alertmanager}\n"
	    "recipients:\n"
	    "  hr:\n"
	    "    - scope: \"acme/**\"\n"
	    "      webhook: [am]\n");
	cr_expect_str_eq(route_missing_data_role(no_ops), "hr");
	cr_expect(route_system_reaches(no_ops, "hr", "webhook", "am"),
	    "no route covers every unit: the first");
	config_free(no_ops);
}
