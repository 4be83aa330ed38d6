/* The silence commands (SPEC 10): `vigie silence`, `silences` and
 * `unsilence`. A silence holds the notifications of the alerts it covers up
 * to and including a period; the alerts still change state and are
 * recorded (rules/lifecycle.c says which alerts a silence holds). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "vigie/cli.h"
#include "vigie/lifecycle.h"
#include "vigie/osuser.h"
#include "vigie/rules.h"
#include "vigie/store_silences.h"
#include "vigie/text.h"
#include "vigie/unit.h"
#include "vigie/xalloc.h"
#include "vigie/yaml.h"		/* closest_word */

static bool valid_rule_id(const char *s)
{
	if (!strcmp(s, "*"))
		return true;
	if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '_' || *s == '-'))
			return false;
	return true;
}

/* A silence that matches nothing is legitimate (amtool creates one too: the
 * rule or the unit may come later), but a typo in --rule or --unit would
 * hold nothing without a word: say so on stderr. Nothing is said about
 * rules when the rule set cannot be loaded (vigie check tells why). */
static void warn_unmatched(const struct config *cfg, struct store *st,
    const char *rule, const char *unit)
{
	if (strcmp(rule, "*")) {
		struct diags d = { 0 };
		struct rule_policy texts = config_rule_texts(cfg);
		struct ruleset *rs = ruleset_load(cfg->rules, &texts, &d);

		diags_free(&d);
		if (rs && !ruleset_find(rs, rule)) {
			const char **ids = xcalloc(rs->n + 1, sizeof(*ids));
			for (size_t i = 0; i < rs->n; i++)
				ids[i] = rs->rules[i].id;
			const char *near = closest_word(rule, ids, rs->n);
			fprintf(stderr, "vigie silence: warning: no rule \"%s\" in %s%s%s%s; "
			    "this silence holds nothing until there is one\n", rule,
			    cfg->rules, near ? " (did you mean \"" : "", near ? near : "",
			    near ? "\"?)" : "");
			free(ids);
		}
		if (rs)
			ruleset_free(rs);
	}
	char **inds, **units;
	size_t ninds, nunits;
	if (store_names(st, &inds, &ninds, &units, &nunits) != 0) {
		store_names_free(inds, ninds);
		store_names_free(units, nunits);
		return;		/* the silence is made; only the warning is lost */
	}
	/* The stored paths and their ancestors, which roll them up (SPEC 2);
	 * an ancestor comes once per descendant, which matters to neither use. */
	char **known = NULL;
	size_t nknown = 0;
	for (size_t u = 0; u < nunits; u++)
		for (size_t len = 1; units[u][len - 1]; len++)
			if (units[u][len] == '/' || !units[u][len]) {
				known = xreallocarray(known, nknown + 1, sizeof(*known));
				known[nknown++] = xstrndup(units[u], len);
			}
	bool any = false;
	for (size_t u = 0; u < nknown && !any; u++)
		any = unit_glob_match(unit, known[u]);
	if (!any) {
		/* a plain path may be a typo of a known one; a glob, not */
		const char *near = strchr(unit, '*') ? NULL :
		    closest_word(unit, (const char *const *)known, nknown);
		fprintf(stderr, "vigie silence: warning: no unit in the database "
		    "matches \"%s\"%s%s%s\n", unit, near ? " (did you mean \"" : "",
		    near ? near : "", near ? "\"?)" : "");
	}
	store_names_free(known, nknown);
	store_names_free(inds, ninds);
	store_names_free(units, nunits);
}

int cmd_silence(int argc, char **argv)
{
	const char *rule = NULL, *unit = NULL, *untilarg = NULL, *reason = NULL, *by = NULL;
	const struct cli_opt opts[] = {
		{ "rule", 0, &rule, NULL }, { "unit", 0, &unit, NULL },
		{ "until", 0, &untilarg, NULL }, { "reason", 0, &reason, NULL },
		{ "by", 0, &by, NULL }, { 0 },
	};
	const struct cli_spec spec = {
		"usage: vigie silence [-c CONFIG] --rule ID --unit GLOB --until PERIOD "
		"--reason TEXT [--by NAME]\n"
		"Holds the notifications of rule ID (or * for every rule) for units\n"
		"matching GLOB up to and including PERIOD. Alerts still change state\n"
		"and are recorded. Prints the new silence's id.\n",
		opts, false, 0,
	};
	struct cli_args a;
	struct config *cfg;
	struct store *st;
	enum granularity g;
	int32_t until;
	int64_t id;
	size_t errpos;
	const char *msg;
	int ex;

	if ((ex = cli_parse(argc, argv, &spec, &a)) >= 0)
		return ex;
	if (!rule || !unit || !untilarg || !reason)
		return cli_usage_error(argv[0], "--rule, --unit, --until and --reason "
		    "are all required");
	if (!valid_rule_id(rule))
		return cli_usage_error(argv[0], "'%s' is not a rule id (or * for every "
		    "rule)", rule);
	if ((msg = unit_glob_check(unit, &errpos)))
		return cli_usage_error(argv[0], "--unit '%s': %s at byte %zu", unit,
		    msg, errpos + 1);
	if ((ex = cli_period(argv[0], "--until", untilarg, &g, &until)))
		return ex;
	if (!*reason)
		return cli_usage_error(argv[0], "--reason must say why");
	if ((ex = cli_open_all(&a, &cfg, &st)))
		return ex;
	if (g != store_granularity(st)) {
		ex = cli_usage_error(argv[0], "--until '%s' is a %s, but this database "
		    "holds %ss", untilarg, granularity_name(g),
		    granularity_name(store_granularity(st)));
		goto out;
	}
	/* --by is the name shown; without it, the operating-system user */
	char *me = by ? NULL : osuser_name(), *object = NULL, *detail = NULL;
	if (store_begin(st) != 0 || store_silence_add(st, rule, unit, until, reason,
	    by ? by : me, time(NULL), &id) != 0) {
		ex = cli_db_error(argv[0], st);
	} else {
		object = xasprintf("silence %lld", (long long)id);
		detail = xasprintf("rule %s, unit %s, until %s", rule, unit, untilarg);
		if (!(ex = cli_audit(argv[0], st, "silence", object, detail)) &&
		    store_commit(st) != 0)
			ex = cli_db_error(argv[0], st);
	}
	free(me);
	free(object);
	free(detail);
	if (ex) {
		store_rollback(st);
		goto out;
	}
	printf("%lld\n", (long long)id);
	warn_unmatched(cfg, st, rule, unit);
	if (store_latest_period(st) > until)
		fprintf(stderr, "vigie silence: note: %s is before the latest period "
		    "in the database; this silence holds nothing\n", untilarg);
out:
	cli_close_all(cfg, st);
	return ex;
}

int cmd_silences(int argc, char **argv)
{
	bool all = false;
	const struct cli_opt opts[] = { { "all", 0, NULL, &all }, { 0 } };
	const struct cli_spec spec = {
		"usage: vigie silences [-c CONFIG] [--all] [--format text|json]\n"
		"Lists the silences in force (with --all, expired and removed ones too).\n",
		opts, true, 0,
	};
	struct cli_args a;
	struct config *cfg;
	struct store *st;
	struct silence_row *v = NULL;
	bool *shown = NULL;
	size_t n = 0;
	enum granularity g;
	int32_t latest;
	char pb[PERIOD_BUFSZ], tb[ISO8601_BUFSZ];
	int ex;

	if ((ex = cli_parse(argc, argv, &spec, &a)) >= 0)
		return ex;
	if ((ex = cli_open_all(&a, &cfg, &st)))
		return ex;
	g = store_granularity(st);
	latest = store_latest_period(st);
	if (store_silences_list(st, &v, &n) != 0) {
		ex = cli_db_error(argv[0], st);
		goto out;
	}
	/* Without --all, those in force: what the lifecycle calls active. */
	size_t nshown = 0;
	shown = xcalloc(n, sizeof(*shown));
	for (size_t i = 0; i < n; i++) {
		shown[i] = all || !strcmp(lifecycle_silence_state(&v[i].s, latest), "active");
		nshown += shown[i];
	}
	if (a.format == FMT_JSON) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++) {
			const struct silence_row *r = &v[i];
			if (!shown[i])
				continue;
			json_t *s = json_object();
			json_object_set_new(s, "id", json_integer(r->s.id));
			json_object_set_new(s, "rule", json_string(r->s.rule));
			json_object_set_new(s, "unit", json_string(r->s.unit_glob));
			json_object_set_new(s, "until", json_string(period_format(g, r->s.until, pb)));
			json_object_set_new(s, "reason", json_string(r->reason));
			json_object_set_new(s, "by", r->author ? json_string(r->author) : json_null());
			json_object_set_new(s, "created_at", json_string(text_iso8601(r->created_at, tb)));
			json_object_set_new(s, "removed_at", r->s.removed ?
			    json_string(text_iso8601(r->removed_at, tb)) : json_null());
			json_object_set_new(s, "state", json_string(
			    lifecycle_silence_state(&r->s, latest)));
			json_array_append_new(arr, s);
		}
		cli_print_json(arr);
		goto out;
	}
	if (nshown == 0) {
		printf("no silences\n");
		goto out;
	}
	struct cli_table t = { .ncols = 8 };
	const char *hdr[] = { "ID", "RULE", "UNIT", "UNTIL", "STATE", "BY", "CREATED",
	    "REASON" };
	for (size_t i = 0; i < t.ncols; i++)
		cli_table_add(&t, xstrdup(hdr[i]));
	for (size_t i = 0; i < n; i++) {
		const struct silence_row *r = &v[i];
		if (!shown[i])
			continue;
		cli_table_add(&t, xasprintf("%lld", (long long)r->s.id));
		cli_table_add(&t, xstrdup(r->s.rule));
		cli_table_add(&t, xstrdup(r->s.unit_glob));
		cli_table_add(&t, xstrdup(period_format(g, r->s.until, pb)));
		cli_table_add(&t, xstrdup(lifecycle_silence_state(&r->s, latest)));
		cli_table_add(&t, xstrdup(r->author && *r->author ? r->author : "-"));
		cli_table_add(&t, xstrdup(text_iso8601(r->created_at, tb)));
		cli_table_add(&t, xstrdup(*r->reason ? r->reason : "-"));
	}
	cli_table_print_free(&t, stdout);
out:
	free(shown);
	store_silences_list_free(v, n);
	cli_close_all(cfg, st);
	return ex;
}

int cmd_unsilence(int argc, char **argv)
{
	const struct cli_spec spec = {
		"usage: vigie unsilence [-c CONFIG] SID\nRemoves the silence SID.\n",
		NULL, false, 1,
	};
	struct cli_args a;
	struct config *cfg;
	struct store *st;
	char *end;
	long long sid;
	int ex, r;

	if ((ex = cli_parse(argc, argv, &spec, &a)) >= 0)
		return ex;
	if (a.npos != 1)
		return cli_usage_error(argv[0], "which silence? give its id (see vigie silences)");
	/* Digits only, and no silence id past LLONG_MAX: strtoll would take
	 * " 5" or "+5" and saturate a longer number to another id. */
	errno = 0;
	sid = strtoll(a.pos[0], &end, 10);
	if (!isdigit((unsigned char)a.pos[0][0]) || *end || errno == ERANGE || sid <= 0)
		return cli_usage_error(argv[0], "'%s' is not a silence id", a.pos[0]);
	if ((ex = cli_open_all(&a, &cfg, &st)))
		return ex;
	char object[48];
	snprintf(object, sizeof(object), "silence %lld", sid);
	if (store_begin(st) != 0) {
		ex = cli_db_error(argv[0], st);
		goto out;
	}
	r = store_silence_remove(st, sid, time(NULL));
	if (r == 1 && (ex = cli_audit(argv[0], st, "unsilence", object, NULL)))
		r = -2;
	if (r != 1 || store_commit(st) != 0) {
		store_rollback(st);
		if (r == 1)
			r = -1;
	}
	if (r == -1) {
		ex = cli_db_error(argv[0], st);
	} else if (r == 0) {
		fprintf(stderr, "vigie unsilence: no silence %lld in force (see vigie "
		    "silences --all)\n", sid);
		ex = EX_DATAERR;
	} else if (r == 1) {
		printf("removed silence %lld\n", sid);
	}
out:
	cli_close_all(cfg, st);
	return ex;
}
