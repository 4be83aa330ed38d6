/* Today's view of what alerts recorded (today.h). An alert's row and its
 * events keep the value of the cycle that wrote them; the data may have
 * changed since (a corrected headcount, a deleted month, a higher floor),
 * and a running daemon sees it only at its next cycle. `vigie alerts` and
 * `vigie history` read the data themselves, as the console does, so that
 * they never show a value where today's data hides it (SPEC 3). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "today.h"
#include "vigie/cli.h"
#include "vigie/xalloc.h"

int today_load(const char *cmd, const struct config *cfg, struct store *st,
    bool strict, struct today *t)
{
	char who[64];

	*t = (struct today){ .floor = cfg->min_headcount };
	snprintf(who, sizeof(who), "vigie %s", cmd);
	if (strict && !(t->rs = cli_load_rules(who, cfg)))
		return EX_CONFIG;
	if (!strict) {
		struct diags d = { 0 };
		struct rule_policy texts = config_rule_texts(cfg);

		t->rs = ruleset_load_valid(cfg->rules, &texts, &d, &t->left, &t->nleft);
		diags_free(&d);
	}
	if (store_load_series(st, &t->s) != 0) {
		int ex = cli_db_error(cmd, st);

		today_free(t);
		return ex;
	}
	if (t->s && (!(t->cells = cells_new(t->s, cfg->min_headcount, cfg->dominance)) ||
	    (t->rs && engine_cells_prepare(t->rs, t->cells, cfg->min_headcount) != 0)))
		xalloc_die();
	return 0;
}

void today_free(struct today *t)
{
	cells_free(t->cells);
	series_free(t->s);
	if (t->rs)
		ruleset_free(t->rs);
	for (size_t i = 0; i < t->nleft; i++)
		free(t->left[i]);
	free(t->left);
	*t = (struct today){ 0 };
}

enum recorded today_recorded(const struct today *t, const char *rule,
    const char *unit, int32_t period, const struct engine_point *rec,
    int decimals, struct engine_point *now)
{
	*now = (struct engine_point){ NAN, NAN, NAN, false, false };
	if (period < 0)
		return RECORDED_SHOWN;
	return engine_recorded(t->rs, t->s, t->cells, t->floor, rule, unit, period,
	    rec, decimals, now);
}

enum today_show today_alert_value(const struct today *t, const char *rule,
    const char *unit, int32_t period, double stored, int decimals,
    struct engine_point *now)
{
	const struct rule *r;
	int32_t u;

	*now = (struct engine_point){ NAN, NAN, NAN, false, false };
	if (!t->rs)
		return TODAY_UNCHECKED;
	u = t->s && period >= 0 ? series_unit(t->s, unit) : -1;
	if (u < 0 || !series_has_data(t->s, (uint32_t)u, period))
		return TODAY_MISSING;
	if (!(r = ruleset_find(t->rs, rule)) && t->nleft)
		return TODAY_UNCHECKED;	/* perhaps a rule of a file left out */
	if (!r) {
		/* Retired: the value it recorded, while today's data allows. */
		struct engine_point rec = { stored, NAN, NAN, false, false }, cur;

		switch (engine_recorded(t->rs, t->s, t->cells, t->floor, rule, unit,
		    period, &rec, decimals, &cur)) {
		case RECORDED_HIDDEN:
			return TODAY_HIDDEN;
		case RECORDED_REVISED:
			return TODAY_MISSING;
		case RECORDED_SHOWN:
			break;
		}
		now->value = stored;
		return isnan(stored) ? TODAY_MISSING : TODAY_VALUE;
	}
	engine_points(t->rs, t->s, t->cells, t->floor, (uint32_t)(r - t->rs->rules),
	    (uint32_t)u, period, 1, now);
	if (now->hidden)	/* and every figure of the point is NAN */
		return TODAY_HIDDEN;
	return isnan(now->value) ? TODAY_MISSING : TODAY_VALUE;
}

char *today_threshold(const struct today *t, const char *rule, double thr,
    int decimals)
{
	const struct rule *r = t->rs ? ruleset_find(t->rs, rule) : NULL;
	char buf[64];

	if (isnan(thr))
		return xstrdup("-");
	cli_number(buf, sizeof(buf), thr, decimals);
	return r ? xasprintf("%s%s", r->below ? "<" : ">", buf) : xstrdup(buf);
}
