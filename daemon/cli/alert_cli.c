/* What the alert commands share (alert_cli.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/lifecycle.h"
#include "vigie/store_alerts.h"
#include "vigie/xalloc.h"
#include "alert_cli.h"

json_t *json_text_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *json_real_or_null(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

json_t *json_period_or_null(int32_t p, enum granularity g)
{
	char pb[PERIOD_BUFSZ];

	return p < 0 ? json_null() : json_string(period_format(g, p, pb));
}

/* Text cells: a number with the rule's decimals, "-" for none; a value or
 * threshold as cli_number, an observed or expected figure as digests. */
char *cell_num(double v, int decimals, char *(*fmt)(char *, size_t, double, int))
{
	char buf[64];

	return xstrdup(isnan(v) ? "-" : fmt(buf, sizeof(buf), v, decimals));
}

char *cell_period(int32_t p, enum granularity g)
{
	char pb[PERIOD_BUFSZ];

	return xstrdup(p < 0 ? "-" : period_format(g, p, pb));
}

char *cell_text(const char *s)
{
	return xstrdup(s && *s ? s : "-");
}

char *cell_sev(enum severity s)
{
	return cell_text(severity_name(s));
}

/* The one argument of ack and history: an alert's name, RULE@UNIT, or a
 * usage error (exit 64, as unsilence's malformed id). */
int alert_arg(const char *cmd, const struct cli_args *a)
{
	char *rule, *unit;

	if (a->npos != 1)
		return cli_usage_error(cmd, "which alert? give RULE@UNIT");
	if (lifecycle_split_id(a->pos[0], &rule, &unit) != 0)
		return cli_usage_error(cmd, "%s is not an alert: give RULE@UNIT, as "
		    "vigie alerts --all lists them", a->pos[0]);
	free(rule);
	free(unit);
	return 0;
}

/* Finds the alert id: 0 (aid and state set), -1, or 1 absent, said on
 * stderr for cmd, with its name of today when vigie rename moved it. */
int find_alert(const char *cmd, struct store *st, const char *id,
    int64_t *aid, struct alert_state *state)
{
	char *rule = NULL, *unit = NULL, *to = NULL;
	int r = lifecycle_split_id(id, &rule, &unit) != 0 ? 1 :
	    store_alert_find(st, rule, unit, aid, state);

	if (r == 1 && rule && store_alert_moved(st, rule, unit, &to) == 0)
		fprintf(stderr, "%s: %s: no such alert: its unit was renamed, it is %s@%s "
		    "now\n", cmd, id, rule, to);
	else if (r == 1)
		fprintf(stderr, "%s: %s: no such alert (see vigie alerts --all)\n", cmd, id);
	free(rule);
	free(unit);
	free(to);
	return r;
}

/* A role name must be one of recipients when the configuration has any. */
int check_role(const char *cmd, const struct config *cfg,
    const char *role)
{
	if (!*role)
		return cli_usage_error(cmd, "--role must name a role");
	if (cfg->nroles && !config_role(cfg, role) &&
	    strcmp(role, CLI_NOTE_ROLE) != 0)
		return cli_usage_error(cmd, "no role '%s' in recipients of %s",
		    role, cfg->file);
	return 0;
}
