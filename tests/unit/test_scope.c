/* Who sees what (daemon/web/scope.c, SPEC 14): an account's own scopes, or
 * its role's routes' scopes; globs as in rules (a double star is below a unit, not the unit);
 * rules by their notify list or the default_notify. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/web_scope.h"

static struct config *cfg;
static char dir[64];

static void setup(void)
{
	char path[128];
	struct diags d = { 0 };
	FILE *f;

	snprintf(dir, sizeof(dir), "/tmp/vigie-scope.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/vigie.yaml", dir);
	f = fopen(path, "w");
	fputs("default_notify: [social-worker]\n"
	    "smtp: {url: \"smtp://127.0.0.1\", from: v@x.org}\n"
	    "recipients:\n"
	    "  social-worker:\n"
	    "    - scope: [\"acme/nancy\", \"acme/nancy/**\"]\n"
	    "      email: [a@example.org]\n"
	    "    - scope: \"acme/metz/*\"\n"
	    "      email: [b@example.org]\n"
	    "  hr:\n"
	    "    - email: [drh@example.org]\n"
	    "  ops: []\n", f);
	fclose(f);
	cfg = config_load(path, &d);
	cr_assert_not_null(cfg);
	diags_free(&d);
}

static void teardown(void)
{
	char cmd[96];

	config_free(cfg);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(scope, .init = setup, .fini = teardown);

Test(scope, default_scopes_are_the_role_routes)
{
	struct account a = { .name = "marie", .role = "social-worker" };
	struct viewer v;

	cr_assert_eq(viewer_init(&v, cfg, &a), 0);
	cr_assert_eq(v.nscopes, 3);
	cr_expect(viewer_sees_unit(&v, "acme/nancy"));
	cr_expect(viewer_sees_unit(&v, "acme/nancy/logistique/quai"));
	cr_expect(viewer_sees_unit(&v, "acme/metz/cuisine"));
	cr_expect_not(viewer_sees_unit(&v, "acme/metz"), "acme/metz/* is below acme/metz");
	cr_expect_not(viewer_sees_unit(&v, "acme/metz/cuisine/soir"), "* is one segment");
	cr_expect_not(viewer_sees_unit(&v, "acme"));
	cr_expect_not(viewer_sees_unit(&v, "acme/nancyville"));
	viewer_clear(&v);
	a.role = "hr";
	cr_assert_eq(viewer_init(&v, cfg, &a), 0);
	cr_expect(viewer_sees_unit(&v, "acme"), "a route without scope is **");
	cr_expect(viewer_sees_unit(&v, "other/x"));
	viewer_clear(&v);
	a.role = "ops";
	cr_assert_eq(viewer_init(&v, cfg, &a), 0);
	cr_expect_not(viewer_sees_unit(&v, "acme"), "a role without routes sees nothing");
	viewer_clear(&v);
}

Test(scope, own_scopes_replace_the_role_routes)
{
	char *scopes[] = { "acme/epinal", "acme/epinal/**" };
	struct account a = { .name = "paul", .role = "hr", .scopes = scopes, .nscopes = 2 };
	struct viewer v;

	cr_assert_eq(viewer_init(&v, cfg, &a), 0);
	cr_expect(viewer_sees_unit(&v, "acme/epinal"));
	cr_expect(viewer_sees_unit(&v, "acme/epinal/entretien"));
	cr_expect_not(viewer_sees_unit(&v, "acme"), "not hr's ** any more");
	cr_expect_not(viewer_sees_unit(&v, "acme/nancy"));
	viewer_clear(&v);
}

Test(scope, a_role_no_longer_configured_sees_nothing)
{
	struct account a = { .name = "old", .role = "former-role" };
	struct viewer v;

	cr_expect_eq(viewer_init(&v, cfg, &a), -1);
	cr_expect_not(viewer_sees_unit(&v, "acme"));
	viewer_clear(&v);
}

Test(scope, rules_by_notify_or_default_notify)
{
	char *sw[] = { "social-worker" }, *both[] = { "hr", "social-worker" };
	struct rule confidential = { .id = "c", .notify = sw, .nnotify = 1, .notify_set = true };
	struct rule shared = { .id = "s", .notify = both, .nnotify = 2, .notify_set = true };
	struct rule dflt = { .id = "d" };
	struct account a = { .name = "x", .role = "hr" };
	struct viewer v;

	cr_assert_eq(viewer_init(&v, cfg, &a), 0);
	cr_expect_not(viewer_sees_rule(&v, cfg, &confidential), "HR never sees a social-worker rule");
	cr_expect(viewer_sees_rule(&v, cfg, &shared));
	cr_expect_not(viewer_sees_rule(&v, cfg, &dflt), "default_notify is [social-worker] here");
	viewer_clear(&v);
	a.role = "social-worker";
	cr_assert_eq(viewer_init(&v, cfg, &a), 0);
	cr_expect(viewer_sees_rule(&v, cfg, &confidential));
	cr_expect(viewer_sees_rule(&v, cfg, &dflt));
	viewer_clear(&v);
}
