/* `vigie retry [--failed] [--since DATE]` (SPEC 10): puts notifications back
 * in the outbox after the cause of their failure was fixed. Those held for
 * a configuration reason are requeued by the daemon itself when their
 * channel's configuration changes; this command is for a fix made elsewhere
 * (the mail relay now accepts the sender, the receiver is repaired), and
 * with --failed for every failed notification. Pending ones become due at
 * once. The vigied that holds the database is woken (SIGUSR1: a cycle now,
 * which sends them, as postqueue -f does), when this user may signal it and
 * it takes the signal; else the output says when they go and how to send
 * them now. One whose recipient left
 * the configuration goes to today's recipients instead (readdress.c). The
 * action is recorded in the audit log under the operating-system user who
 * ran it. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "vigie/cli.h"
#include "vigie/osuser.h"
#include "vigie/retry.h"
#include "vigie/store_audit.h"
#include "vigie/store_outbox.h"
#include "vigie/text.h"
#include "vigie/xalloc.h"

/* Whether process pid blocks SIGUSR1: a vigied that reads it (its
 * signalfd), not a vigied --once (which ignores it) nor an older vigied,
 * which it would kill. */
static bool takes_usr1(long pid)
{
	char path[64], line[256];
	unsigned long long blk = 0;
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/status", pid);
	if (!(f = fopen(path, "re")))
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "SigBlk: %llx", &blk) == 1;
	fclose(f);
	return found && (blk >> (SIGUSR1 - 1) & 1);
}

/* Wakes the vigied that holds the database: its cycle sends what is due
 * now. Returns whether it was woken; else prints, in text, why not and
 * what to do. */
static bool wake_daemon(const char *database, bool text)
{
	long pid = store_lock_holder(database);
	int e = 0;

	if (pid > 0 && takes_usr1(pid)) {
		if (kill((pid_t)pid, SIGUSR1) == 0) {
			if (text)
				printf("vigied (pid %ld) sends them now\n", pid);
			return true;
		}
		e = errno;
	}
	if (!text)
		return false;
	if (e == EPERM)
		printf("vigied (pid %ld) runs as another user, whom this one cannot wake: "
		    "it sends them at its next cycle (systemctl reload vigied, or vigie "
		    "retry as root: now)\n", pid);
	else if (pid > 0 && !e)
		printf("the process that holds the database (pid %ld, a vigied --once, or a "
		    "vigied older than this vigie) sends them at its next run "
		    "(systemctl reload vigied: now)\n", pid);
	else if (pid == 0)
		printf("no vigied runs on %s: they are sent when it starts, or at the "
		    "next vigied --once\n", database);
	else
		printf("vigied sends them at its next cycle (systemctl reload vigied to "
		    "start one now)%s%s\n", e ? ": " : "", e ? strerror(e) : "");
	return false;
}

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
		"Alerts whose recipient is no longer in the configuration go to the\n"
		"recipients it gives them today.\n"
		"The vigied running on the database is woken (SIGUSR1): it sends them\n"
		"now; else they go at its next cycle (systemctl reload vigied: now).\n",
		opts, true, 0,
	};
	struct cli_args a;
	struct config *cfg;
	struct store *st;
	struct outbox_retried r;
	struct readdressed m = { 0 };
	struct ruleset *rs = NULL;
	struct diags d = { 0 };
	int64_t since = 0, now = (int64_t)time(NULL);
	char *who = NULL, *detail = NULL;
	size_t total;
	bool woken = false;
	int ex;

	if ((ex = cli_parse(argc, argv, &spec, &a)) >= 0)
		return ex;
	if (since_arg && text_parse_date(since_arg, &since) != 0)
		return cli_usage_error(argv[0], "--since '%s' is not a date (YYYY-MM-DD or "
		    "YYYY-MM-DDTHH:MM:SSZ)", since_arg);
	if ((ex = cli_open_all(&a, &cfg, &st)))
		return ex;
	who = osuser_name();
	/* Readdressing routes through the rules' roles: without a valid rule
	 * set, every notification keeps its target. */
	struct rule_policy texts = config_rule_texts(cfg);

	if (!(rs = ruleset_load(cfg->rules, &texts, &d)))
		fprintf(stderr, "vigie %s: the rule set is invalid (vigie check lists the errors): "
		    "notifications keep their recipients\n", argv[0]);
	diags_free(&d);
	if (store_begin(st) != 0 ||
	    (rs && retry_readdress(st, cfg, rs, failed, since, now, &m) != 0) ||
	    store_outbox_retry(st, failed, since, now, &r) != 0)
		goto dberr;
	total = r.held + r.failed + r.pending;
	detail = xasprintf("%zu requeued (%zu held for a configuration reason, %zu failed, "
	    "%zu pending made due), %zu readdressed in %zu new%s%s%s", total, r.held,
	    r.failed, r.pending, m.set_aside, m.created, failed ? ", --failed" : "",
	    since_arg ? ", --since " : "", since_arg ? since_arg : "");
	if (store_audit_add(st, who, "cli", "retry", NULL, detail, now) != 0 ||
	    store_commit(st) != 0)
		goto dberr;
	if ((r.held + r.failed + r.pending > 0 || m.created > 0) && a.format == FMT_JSON)
		woken = wake_daemon(cfg->database, false);
	if (a.format == FMT_JSON) {
		json_t *j = json_object();

		json_object_set_new(j, "held", json_integer((json_int_t)r.held));
		json_object_set_new(j, "failed", json_integer((json_int_t)r.failed));
		json_object_set_new(j, "pending", json_integer((json_int_t)r.pending));
		json_object_set_new(j, "readdressed", json_integer((json_int_t)m.set_aside));
		json_object_set_new(j, "new", json_integer((json_int_t)m.created));
		json_object_set_new(j, "woken", json_boolean(woken));
		cli_print_json(j);
		goto out;
	}
	if (m.set_aside)
		printf("readdressed %zu notification%s whose recipient is no longer in the "
		    "configuration: %zu new notification%s to today's recipients\n",
		    m.set_aside, m.set_aside > 1 ? "s" : "", m.created, m.created > 1 ? "s" : "");
	if (total > 0)
		printf("requeued %zu notification%s: %zu held for a configuration reason, "
		    "%zu failed, %zu pending made due now\n", total, total > 1 ? "s" : "",
		    r.held, r.failed, r.pending);
	else if (m.set_aside == 0)
		printf("nothing to requeue%s\n", failed ? "" :
		    " (--failed also requeues the notifications that failed for good)");
	if (total > 0 || m.created > 0)
		wake_daemon(cfg->database, true);
	goto out;
dberr:
	ex = cli_db_error(argv[0], st);
	store_rollback(st);
out:
	if (rs)
		ruleset_free(rs);
	free(who);
	free(detail);
	cli_close_all(cfg, st);
	return ex;
}
