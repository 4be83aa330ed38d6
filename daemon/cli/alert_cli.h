/* What `vigie alerts`, `ack` and `history` share (cmd_alerts.c,
 * cmd_history.c): their table cells and JSON values, and the RULE@UNIT
 * argument they take (alert_cli.c). */
#ifndef VIGIE_CLI_ALERT_CLI_H
#define VIGIE_CLI_ALERT_CLI_H

#include <jansson.h>
#include <stdint.h>
#include "vigie/cli.h"
#include "vigie/config.h"
#include "vigie/period.h"
#include "vigie/rules.h"
#include "vigie/store.h"
#include "vigie/store_alerts.h"

/* The role notes are written in when --role is not given: vigie ack is
 * the social workers' command (README, "Following alerts"). */
#define CLI_NOTE_ROLE "social-worker"

json_t *json_text_or_null(const char *s);
json_t *json_real_or_null(double v);
json_t *json_period_or_null(int32_t p, enum granularity g);

/* Text cells: a number with the rule's decimals, "-" for none; a value or
 * threshold as cli_number, an observed or expected figure as digests. */
char *cell_num(double v, int decimals, char *(*fmt)(char *, size_t, double, int));
#define cell_real(v, d) cell_num(v, d, cli_number)
#define cell_figure(v, d) cell_num(v, d, cli_figure)
char *cell_period(int32_t p, enum granularity g);
char *cell_text(const char *s);
char *cell_sev(enum severity s);

/* The one argument of ack and history: 0, or a usage error's exit code. */
int alert_arg(const char *cmd, const struct cli_args *a);
/* Finds the alert id: 0 (aid and state set), -1, or 1 absent, said on
 * stderr for cmd, with its name of today when vigie rename moved it. */
int find_alert(const char *cmd, struct store *st, const char *id,
    int64_t *aid, struct alert_state *state);
/* A role name must be one of recipients when the configuration has any:
 * 0, or a usage error's exit code. */
int check_role(const char *cmd, const struct config *cfg, const char *role);

#endif
