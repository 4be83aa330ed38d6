/* Logging like a daemon: to the journal with structured fields under
 * systemd (JOURNAL_STREAM or INVOCATION_ID set), else to stderr with "<N>"
 * priority prefixes. Secrets are never passed here. */
#ifndef VIGIE_LOG_H
#define VIGIE_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <syslog.h>

void log_init(const char *ident, bool verbose);
void log_msg(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* With journal fields VIGIE_RULE, VIGIE_UNIT, VIGIE_ALERT, VIGIE_EVENT (any
 * may be NULL). */
void log_alert(int prio, const char *rule, const char *unit, const char *event,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

struct diags;
/* Logs at prio the lines diags_print(d, ..., max) would print, one entry
 * each (warnings of a file read by the daemon). */
void log_diag_lines(int prio, const struct diags *d, size_t max);

#define log_err(...)	log_msg(LOG_ERR, __VA_ARGS__)
#define log_warnx(...)	log_msg(LOG_WARNING, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
