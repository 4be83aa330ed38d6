/* `vigie retry [--failed] [--since DATE]` (SPEC 10): puts notifications back
 * in the outbox after the cause of their failure was fixed. Those held for
 * a configuration reason are requeued by the daemon itself when their
 * channel's configuration changes; this command is for a fix made elsewhere
 * (the mail relay now accepts the sender, the receiver is repaired), and
 * with --failed for every failed notification. Pending ones become due at
 * once. The daemon sends them at its next cycle. The action is recorded in
 * the audit log under the operating-system user who ran it. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "vigie/cli.h"
#include "vigie/osuser.h"
#include "vigie/store_audit.h"
#include "vigie/store_outbox.h"
#include "vigie/text.h"
#include "vigie/xalloc.h"

int cmd_retry(int argc, char **argv)
{
	const char *since_arg = NULL;
	bool failed = false;
	const struct cli_opt opts[] = {
		{ "failed", 0, NULL, &failed }, { "since", 0, &since_arg, NULL }, { 0 },
	};
	const struct cli_spec spec = {
		"usage: vigie retry [-c CONFIG] [--failed] [--since DATE] [--format text|json]\n"
		"Requeues the notifications held for a configuration reason (a secret,\n"
		"the sender, authentication, an unknown webhook) and makes pending ones\n"
		"due now; with --failed, every failed notification too. --since DATE\n"
		"(YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, UTC) keeps to those created since.\n"
		"vigied sends them at its next cycle (systemctl reload vigied: now).\n",
		opts, true, 0,
	};
	struct cli_args a;
	struct config *cfg;
	struct store *st;
	struct outbox_retried r;
	int64_t since = 0, now = (int64_t)time(NULL);
	char *who = NULL, *detail = NULL;
	size_t total;
	int ex;

	if ((ex = cli_parse(argc, argv, &spec, &a)) >= 0)
		return ex;
	if (since_arg && text_parse_date(since_arg, &since) != 0)
		return cli_usage_error(argv[0], "--since '%s' is not a date (YYYY-MM-DD or "
		    "YYYY-MM-DDTHH:MM:SSZ)", since_arg);
	if ((ex = cli_open_all(a.config, &cfg, &st)))
		return ex;
	who = osuser_name();
	if (store_begin(st) != 0 || store_outbox_retry(st, failed, since, now, &r) != 0)
		goto dberr;
	total = r.held + r.failed + r.pending;
	detail = xasprintf("%zu requeued (%zu held for a configuration reason, %zu failed, "
	    "%zu pending made due)%s%s%s", total, r.held, r.failed, r.pending,
	    failed ? ", --failed" : "", since_arg ? ", --since " : "", since_arg ? since_arg : "");
	if (store_audit_add(st, who, "cli", "retry", NULL, detail, now) != 0 ||
	    store_commit(st) != 0)
		goto dberr;
	if (a.format == FMT_JSON) {
		json_t *j = json_object();

		json_object_set_new(j, "held", json_integer((json_int_t)r.held));
		json_object_set_new(j, "failed", json_integer((json_int_t)r.failed));
		json_object_set_new(j, "pending", json_integer((json_int_t)r.pending));
		cli_print_json(j);
	} else if (total == 0) {
		printf("nothing to requeue%s\n", failed ? "" :
		    " (--failed also requeues the notifications that failed for good)");
	} else {
		printf("requeued %zu notification%s: %zu held for a configuration reason, "
		    "%zu failed, %zu pending made due now\n"
		    "vigied sends them at its next cycle (systemctl reload vigied to start one "
		    "now)\n", total, total > 1 ? "s" : "", r.held, r.failed, r.pending);
	}
	goto out;
dberr:
	ex = cli_db_error(argv[0], st);
	store_rollback(st);
out:
	free(who);
	free(detail);
	cli_close_all(cfg, st);
	return ex;
}
