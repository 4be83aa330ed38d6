/* `vigie notify-test ROLE [--unit UNIT]` (SPEC 9): sends a clearly marked
 * test message through every channel of the role (with --unit, of the route
 * that unit's alerts take), right now and outside the outbox, and prints
 * one line per channel and target, so that ops can check SMTP credentials,
 * TLS and webhook URLs before an alert depends on them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/cli.h"
#include "vigie/deliver.h"
#include "vigie/unit.h"
#include "vigie/wording.h"
#include "vigie/xalloc.h"
#include "vigie/yaml.h"

/* True when an earlier route (first .. r-1) or an earlier entry of route r
 * already names this target. */
static bool seen_before(const struct role_config *role, size_t first, size_t r,
    const char *channel, const char *target)
{
	for (size_t k = first; k <= r; k++) {
		const struct route_config *rt = &role->routes[k];
		bool mail = !strcmp(channel, "email");
		char **v = mail ? rt->email : rt->webhook;
		size_t n = mail ? rt->nemail : rt->nwebhook;
		for (size_t i = 0; i < n; i++) {
			if (v[i] == target)
				return false;	/* reached this very entry */
			if (!strcmp(v[i], target))
				return true;
		}
	}
	return false;
}

/* Sends one test; prints its line, or adds its object to out (--format
 * json). 0, or -1 when it failed. */
static int send_one(const struct config *cfg, const char *channel, const char *target,
    const struct notice *x, json_t *out)
{
	struct send_result res;
	unsigned char rnd[8];
	char uid[64];

	arc4random_buf(rnd, sizeof(rnd));
	snprintf(uid, sizeof(uid), "test-%02x%02x%02x%02x%02x%02x%02x%02x", rnd[0], rnd[1],
	    rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
	int rc = deliver_send_now(cfg, channel, target, uid, x, 1, &res) == 0 ? 0 : -1;

	if (out) {
		json_array_append_new(out, json_pack("{s:s, s:s, s:b, s:o}", "channel",
		    channel, "target", target, "ok", rc == 0,
		    "error", rc == 0 ? json_null() : json_string(res.error)));
		return rc;
	}
	if (rc == 0)
		printf("%s %s: ok\n", channel, target);
	else
		printf("%s %s: failed: %s\n", channel, target, res.error);
	fflush(stdout);
	return rc;
}

int cmd_notify_test(int argc, char **argv)
{
	const char *unit = NULL, *role_name;
	const struct cli_opt opts[] = { { "unit", 'u', &unit, NULL }, { 0 } };
	const struct cli_spec spec = {
		"usage: vigie notify-test [-c CONFIG] ROLE [--unit UNIT] [--format text|json]\n"
		"Sends a test message through every email address and webhook of the\n"
		"role (with --unit, of the route that UNIT's alerts take) and prints\n"
		"each result (JSON: an array of {channel, target, ok, error}).\n"
		"Exit 69 if any failed.\n",
		opts, true, 1,
	};
	struct cli_args a;
	const struct role_config *role;
	const struct route_config *route;
	struct config *cfg;
	struct notice x;
	char title[256];
	const char *summary;
	int ex = 0, failed = 0;

	if ((ex = cli_parse(argc, argv, &spec, &a)) >= 0)
		return ex;
	ex = 0;
	if (a.npos != 1)
		return cli_usage_error(argv[0], "a ROLE is required");
	role_name = a.pos[0];
	if (unit) {
		size_t pos;
		const char *why = unit_path_check(unit, strlen(unit), &pos);

		if (why)
			return cli_usage_error(argv[0], "--unit %s: %s at byte %zu", unit, why,
			    pos + 1);
	}
	cfg = cli_load_config(a.config, &ex);
	if (!cfg)
		return ex;
	role = config_role(cfg, role_name);
	if (!role) {
		const char **names = xcalloc(cfg->nroles + 1, sizeof(*names));
		const char *near;

		for (size_t i = 0; i < cfg->nroles; i++)
			names[i] = cfg->roles[i].name;
		near = closest_word(role_name, names, cfg->nroles);
		fprintf(stderr, "vigie notify-test: unknown role \"%s\"", role_name);
		if (near)
			fprintf(stderr, " (did you mean \"%s\"?)", near);
		fprintf(stderr, ": the roles are the keys of recipients: in %s",
		    cfg->file ? cfg->file : "the configuration");
		for (size_t i = 0; i < cfg->nroles; i++)
			fprintf(stderr, "%s%s", i ? ", " : " (", names[i]);
		fprintf(stderr, "%s\n", cfg->nroles ? ")" : ", which has none");
		free(names);
		config_free(cfg);
		return EX_USAGE;
	}
	route = unit ? config_route(role, unit) : role->nroutes ? &role->routes[0] : NULL;
	if (unit && !route) {
		fprintf(stderr, "vigie notify-test: no route of role \"%s\" matches unit %s "
		    "(add a route without scope, or one whose scope matches)\n", role_name,
		    unit ? unit : "-");
		config_free(cfg);
		return EX_CONFIG;
	}
	/* Without --unit: every route of the role, each target once. */
	size_t first = unit ? (size_t)(route - role->routes) : 0;
	size_t last = unit ? first + 1 : role->nroutes;
	size_t targets = 0;
	for (size_t r = first; r < last; r++)
		targets += role->routes[r].nemail + role->routes[r].nwebhook;
	if (targets == 0) {
		fprintf(stderr, "vigie notify-test: role \"%s\" has no email address and "
		    "no webhook%s\n", role_name, unit ? " for that unit" : "");
		config_free(cfg);
		return EX_CONFIG;
	}

	memset(&x, 0, sizeof(x));
	x.kind = (char *)"test";
	x.unit = (char *)unit;
	x.title = title;
	wording_test(cfg->locale, role_name, title, sizeof(title), &summary);
	x.summary = (char *)summary;
	x.decimals = 1;
	x.at = time(NULL);
	json_t *out = a.format == FMT_JSON ? json_array() : NULL;
	for (size_t r = first; r < last; r++) {
		const struct route_config *rt = &role->routes[r];
		for (size_t i = 0; i < rt->nemail; i++)
			if (!seen_before(role, first, r, "email", rt->email[i]))
				failed += send_one(cfg, "email", rt->email[i], &x, out) != 0;
		for (size_t i = 0; i < rt->nwebhook; i++)
			if (!seen_before(role, first, r, "webhook", rt->webhook[i]))
				failed += send_one(cfg, "webhook", rt->webhook[i], &x, out) != 0;
	}
	if (out)
		cli_print_json(out);
	config_free(cfg);
	return failed ? EX_UNAVAILABLE : 0;
}
