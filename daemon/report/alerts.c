/* The alerts of a report and their follow-up: the alert episodes of the
 * span by theme and highest severity, as a replay of the rules on the data
 * finds them (engine_backtest: SPEC 5, the state is a function of the
 * data), and the counts of the follow-up the store recorded for the
 * span's alerts. The rules that notify only roles bound by secrecy are
 * left out of both (SPEC 3). */
#include <stdlib.h>
#include <string.h>
#include "report_impl.h"
#include "vigie/cells.h"
#include "vigie/engine.h"
#include "vigie/progress.h"
#include "vigie/store_followup.h"
#include "vigie/xalloc.h"

bool report_counts_rule(const struct rule *r, const struct config *cfg)
{
	/* The roles bound by secrecy: confidential_roles (SPEC 3), by
	 * default the social service. */
	size_t n;
	char *const *roles = config_rule_roles(cfg, r, &n);

	for (size_t i = 0; i < n; i++) {
		bool bound = false;
		for (size_t k = 0; k < cfg->nconfidential_roles; k++)
			bound |= !strcmp(roles[i], cfg->confidential_roles[k]);
		if (!bound)
			return true;
	}
	return false;
}

static const char *theme_of(const struct rule *r)
{
	for (size_t i = 0; r && i < r->nlabels; i++)
		if (!strcmp(r->labels[i].key, "theme"))
			return r->labels[i].value;
	return "";
}

static size_t theme_index(struct rmodel *m, const char *t)
{
	for (size_t i = 0; i < m->nthemes; i++)
		if (!strcmp(m->themes[i], t))
			return i;
	m->themes = xreallocarray(m->themes, m->nthemes + 1, sizeof(*m->themes));
	m->themes[m->nthemes] = xstrdup(t);
	return m->nthemes++;
}

static int cmp_unit(const void *key, const void *elem)
{
	return strcmp(key, ((const struct runit *)elem)->path);
}

/* Adds one alert episode of theme t and severity sev to the unit of path
 * and to each of its ancestors that appear. */
static void count_episode(struct rmodel *m, const char *path, size_t t,
    enum severity sev)
{
	char *p = xstrdup(path);

	for (;;) {
		struct runit *ru = bsearch(p, m->units, m->nunits, sizeof(*m->units), cmp_unit);
		char *slash;

		if (ru)
			ru->alerts[2 * t + (sev == SEV_CRITICAL)]++;
		if (!(slash = strrchr(p, '/')))
			break;
		*slash = '\0';
	}
	free(p);
}

/* Alert episodes as a replay of the rules sees them (engine_backtest):
 * per rule and unit, the highest severity of the episode open, SEV_NONE
 * when none. An episode counts once, in the span when it fired in it. */
struct episodes {
	struct rmodel *m;
	const struct series *s;
	uint8_t *open;		/* [rule * nunits + unit] */
	size_t *theme;		/* per rule; SIZE_MAX: not counted */
};

static void episode_step(const struct transition *t, void *arg)
{
	struct episodes *ep = arg;
	uint8_t *o = &ep->open[(size_t)t->rule * ep->s->nunits + t->unit];

	if (ep->theme[t->rule] == SIZE_MAX)
		return;
	if (t->kind == TR_FIRING) {
		*o = (uint8_t)t->to;
	} else if (t->kind == TR_ESCALATED && *o != SEV_NONE && t->to > *o) {
		*o = (uint8_t)t->to;
	} else if (t->kind == TR_RESOLVED && *o != SEV_NONE) {
		count_episode(ep->m, ep->s->units[t->unit], ep->theme[t->rule], *o);
		*o = SEV_NONE;
	}
}

int rmodel_alerts(struct rmodel *m, struct store *st, const struct series *s,
    const struct ruleset *rs, const struct config *cfg)
{
	struct cells *cells = NULL;
	int rc = 0;

	/* Themes in the order of the rule files, rules without one last. */
	for (size_t i = 0; rs && i < rs->n; i++)
		if (*theme_of(&rs->rules[i]))
			theme_index(m, theme_of(&rs->rules[i]));
	theme_index(m, "");
	for (size_t i = 0; i < m->nunits; i++)
		m->units[i].alerts = xcalloc(2 * m->nthemes, sizeof(size_t));
	/* The alerts that fired in the span are those of the data, as a
	 * backtest gives them (SPEC 5: the state is a function of the data),
	 * not the events the daemon happened to record: a year of history
	 * imported at once would have all its alerts in its last month. */
	if (rs && s && s->nunits) {
		struct episodes ep = { m, s,
		    xcalloc(rs->n * s->nunits, 1), xcalloc(rs->n, sizeof(size_t)) };

		/* A rule that notifies only roles bound by secrecy is not
		 * counted. */
		for (size_t r = 0; r < rs->n; r++)
			ep.theme[r] = report_counts_rule(&rs->rules[r], cfg) ?
			    theme_index(m, theme_of(&rs->rules[r])) : SIZE_MAX;
		if (!(cells = cells_new(s, cfg->min_headcount, cfg->dominance)) ||
		    engine_cells_prepare(rs, cells, cfg->min_headcount) != 0 ||
		    engine_backtest(rs, s, cells, cfg->min_headcount, m->from, m->to,
		    episode_step, &ep) != 0)
			xalloc_die();
		for (size_t r = 0; r < rs->n; r++)
			for (uint32_t u = 0; u < s->nunits; u++)
				if (ep.open[r * s->nunits + u] != SEV_NONE)
					count_episode(m, s->units[u], ep.theme[r],
					    ep.open[r * s->nunits + u]);
		free(ep.open);
		free(ep.theme);
		cells_free(cells);
	}
	/* The follow-up of the same alerts: those of rules the report counts
	 * (not those bound by secrecy, not those of retired rules). */
	const char **counted = xcalloc(rs ? rs->n + 1 : 1, sizeof(*counted));
	size_t ncounted = 0;

	for (size_t r = 0; rs && r < rs->n; r++)
		if (report_counts_rule(&rs->rules[r], cfg))
			counted[ncounted++] = rs->rules[r].id;
	for (size_t i = 0; i < m->nunits && rc == 0; i++) {
		struct followup_counts c;

		if (store_followup_counts(st, m->units[i].path, m->from, m->to,
		    m->t1, counted, ncounted, &c) != 0) {
			rc = -1;
			break;
		}
		progress_yield();
		m->units[i].taken = c.taken;
		memcpy(m->units[i].closed, c.closed, sizeof(c.closed));
	}
	free(counted);
	/* A reorganisation recorded since the year before began: every
	 * figure, that year's included, is of the units as they are now,
	 * and a report made before it gave others. */
	struct store_rename *rn = NULL;
	size_t nrn = 0;
	int64_t since = period_first_day(m->gran, m->from - m->y) * 86400;

	if (rc == 0 && store_renames(st, &rn, &nrn) == 0)
		for (size_t i = 0; i < nrn; i++)
			m->renamed += rn[i].at >= since;
	store_renames_free(rn, nrn);
	m->alerts_read = rc == 0;
	return rc;
}
