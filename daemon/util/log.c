/* Logging like a daemon (include/vigie/log.h). Under systemd the service's
 * stderr is a journal stream, but a stream loses structure: we send
 * entries with sd_journal_sendv instead, with the alert's rule and unit as
 * fields so that `journalctl VIGIE_RULE=...` finds them. Elsewhere (a
 * pipe to a supervisor, a test) lines go to stderr with the "<N>" priority
 * prefix that systemd and syslog understand; on a terminal, where a person
 * reads them, without it. Callers never pass secrets or notes. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>
#include <systemd/sd-journal.h>
#include "vigie/diag.h"
#include "vigie/log.h"

static char log_ident[64] = "vigied";
static bool log_verbose;
static bool log_journal;
static bool log_prefix;

void log_init(const char *ident, bool verbose)
{
	snprintf(log_ident, sizeof(log_ident), "%s", ident ? ident : "vigied");
	log_verbose = verbose;
	/* sd_journal_send() silently drops entries when journald is not
	 * running (a container that sets INVOCATION_ID): then stderr. */
	log_journal = (getenv("JOURNAL_STREAM") != NULL ||
	    getenv("INVOCATION_ID") != NULL) &&
	    access("/run/systemd/journal/socket", W_OK) == 0;
	log_prefix = !isatty(STDERR_FILENO);
}

/* Builds "NAME=VALUE" into a new string, or NULL when value is NULL. */
static char *field(const char *name, const char *value)
{
	char *s = NULL;

	if (!value)
		return NULL;
	if (asprintf(&s, "%s=%s", name, value) < 0)
		return NULL;
	return s;
}

static void emit(int prio, const char *rule, const char *unit,
    const char *event, const char *msg)
{
	if (prio == LOG_DEBUG && !log_verbose)
		return;
	if (!log_journal) {
		/* One line per entry: a message with newlines (diagnostics
		 * lists) stays readable because each line gets the prefix. */
		const char *p = msg;
		char pri[8] = "";

		if (log_prefix)
			snprintf(pri, sizeof(pri), "<%d>", prio);
		do {
			const char *nl = strchr(p, '\n');
			int len = nl ? (int)(nl - p) : (int)strlen(p);
			if (len > 0 || !nl)
				fprintf(stderr, "%s%s: %.*s\n", pri, log_ident, len, p);
			p = nl ? nl + 1 : NULL;
		} while (p && *p);
		return;
	}

	char *alert = NULL;
	if (rule && unit && asprintf(&alert, "%s@%s", rule, unit) < 0)
		alert = NULL;
	char *f[8] = {
		field("MESSAGE", msg),
		NULL,
		field("SYSLOG_IDENTIFIER", log_ident),
		field("VIGIE_RULE", rule),
		field("VIGIE_UNIT", unit),
		field("VIGIE_ALERT", alert),
		field("VIGIE_EVENT", event),
		NULL,
	};
	if (asprintf(&f[1], "PRIORITY=%d", prio) < 0)
		f[1] = NULL;
	struct iovec iov[8];
	int n = 0;
	for (int i = 0; i < 7; i++)
		if (f[i])
			iov[n++] = (struct iovec){ f[i], strlen(f[i]) };
	if (n == 0 || sd_journal_sendv(iov, n) < 0)
		fprintf(stderr, "<%d>%s: %s\n", prio, log_ident, msg);
	for (int i = 0; i < 7; i++)
		free(f[i]);
	free(alert);
}

void log_msg(int prio, const char *fmt, ...)
{
	va_list ap;
	char *msg = NULL;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	emit(prio, NULL, NULL, NULL, msg ? msg : fmt);
	free(msg);
}

void log_alert(int prio, const char *rule, const char *unit, const char *event,
    const char *fmt, ...)
{
	va_list ap;
	char *msg = NULL;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	emit(prio, rule, unit, event, msg ? msg : fmt);
	free(msg);
}

void log_diag_lines(int prio, const struct diags *d, size_t max)
{
	char *text, *save = NULL;

	if (!d->n && !d->more)
		return;
	text = diags_to_string(d, max);
	for (char *line = strtok_r(text, "\n", &save); line;
	    line = strtok_r(NULL, "\n", &save))
		log_msg(prio, "%s", line);
	free(text);
}
