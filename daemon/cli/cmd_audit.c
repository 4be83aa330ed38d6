/* `vigie audit [--since DATE]` (SPEC 3, 10): prints the audit log, oldest
 * first; and cli_audit, which every command that acts on alerts or exports
 * data calls to write its entry, with the operating-system user running it
 * (daemon/util/osuser.c) as the actor: --by stays a display name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "vigie/cli.h"
#include "vigie/osuser.h"
#include "vigie/store_audit.h"
#include "vigie/text.h"
#include "vigie/xalloc.h"

int cli_audit(const char *cmd, struct store *st, const char *action,
    const char *object, const char *detail)
{
	char *actor = osuser_name();
	int rc = store_audit_add(st, actor, "cli", action, object, detail,
	    time(NULL));

	free(actor);
	return rc == 0 ? 0 : cli_db_error(cmd, st);
}

/* "2026-01-31" (00:00 UTC) or "2026-01-31T10:00:00Z". 0 or -1. */
static int parse_since(const char *s, int64_t *out)
{
	struct tm tm = { 0 };
	int n = 0, len = (int)strlen(s);

	if (sscanf(s, "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
	    &n) != 3 || n != 10)
		return -1;
	if (len > 10 && (sscanf(s + 10, "T%2d:%2d:%2dZ%n", &tm.tm_hour,
	    &tm.tm_min, &tm.tm_sec, &n) != 3 || n != len - 10))
		return -1;
	if (tm.tm_year < 1970 || tm.tm_mon < 1 || tm.tm_mon > 12 ||
	    tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
	    tm.tm_min > 59 || tm.tm_sec > 60)
		return -1;
	int day = tm.tm_mday, mon = tm.tm_mon;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*out = (int64_t)timegm(&tm);
	/* 2026-02-31 would roll over into March: not a date */
	return tm.tm_mday == day && tm.tm_mon == mon - 1 ? 0 : -1;
}

static json_t *text_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

int cmd_audit(int argc, char **argv)
{
	const char *since = NULL;
	const struct cli_opt opts[] = { { "since", 0, &since, NULL }, { 0 } };
	const struct cli_spec spec = {
		"usage: vigie audit [-c CONFIG] [--since DATE] [--format text|json]\n"
		"Prints the audit log, oldest first: every acknowledgement, note,\n"
		"silence, export and login to the console, with its time, who (the\n"
		"console user, or the operating-system user of the command line)\n"
		"and what. DATE is YYYY-MM-DD (UTC) or YYYY-MM-DDTHH:MM:SSZ.\n",
		opts, true, 0,
	};
	struct cli_args a;
	struct config *cfg;
	struct store *st;
	struct audit_entry *v = NULL;
	size_t n = 0;
	int64_t from = 0;
	char tb[ISO8601_BUFSZ];
	int ex;

	if ((ex = cli_parse(argc, argv, &spec, &a)) >= 0)
		return ex;
	if (since && parse_since(since, &from) != 0)
		return cli_usage_error(argv[0], "--since '%s' is not a date: use "
		    "YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ", since);
	if ((ex = cli_open_all(&a, &cfg, &st)))
		return ex;
	if (store_audit_list(st, from, &v, &n) != 0) {
		ex = cli_db_error(argv[0], st);
		goto out;
	}
	if (a.format == FMT_JSON) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++) {
			json_t *o = json_object();
			json_object_set_new(o, "at", json_string(text_iso8601(v[i].at, tb)));
			json_object_set_new(o, "actor", json_string(v[i].actor));
			json_object_set_new(o, "via", json_string(v[i].via));
			json_object_set_new(o, "action", json_string(v[i].action));
			json_object_set_new(o, "object", text_or_null(v[i].object));
			json_object_set_new(o, "detail", text_or_null(v[i].detail));
			json_array_append_new(arr, o);
		}
		cli_print_json(arr);
		goto out;
	}
	if (n == 0) {
		printf("no audit entries\n");
		goto out;
	}
	struct cli_table t = { .ncols = 6 };
	const char *hdr[] = { "TIME", "ACTOR", "VIA", "ACTION", "OBJECT", "DETAIL" };
	for (size_t i = 0; i < t.ncols; i++)
		cli_table_add(&t, xstrdup(hdr[i]));
	for (size_t i = 0; i < n; i++) {
		cli_table_add(&t, xstrdup(text_iso8601(v[i].at, tb)));
		cli_table_add(&t, xstrdup(v[i].actor));
		cli_table_add(&t, xstrdup(v[i].via));
		cli_table_add(&t, xstrdup(v[i].action));
		cli_table_add(&t, xstrdup(v[i].object ? v[i].object : "-"));
		cli_table_add(&t, xstrdup(v[i].detail ? v[i].detail : "-"));
	}
	cli_table_print_free(&t, stdout);
out:
	store_audit_free(v, n);
	cli_close_all(cfg, st);
	return ex;
}
