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
#include "vigie/expr.h"
#include "vigie/history.h"
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
	return rpath_cmp(key, ((const struct runit *)elem)->path);	/* their order */
}

/* Adds one alert episode of theme t and severity sev to the unit of path
 * and to each of its ancestors that appear: to its alerts, or to its
 * ongoing ones when it fired before the span. */
static void count_episode(struct rmodel *m, const char *path, size_t t,
    enum severity sev, bool before)
{
	char *p = xstrdup(path);

	for (;;) {
		struct runit *ru = bsearch(p, m->units, m->nunits, sizeof(*m->units), cmp_unit);
		char *slash;

		if (ru)
			(before ? ru->ongoing : ru->alerts)[2 * t + (sev == SEV_CRITICAL)]++;
		if (!(slash = strrchr(p, '/')))
			break;
		*slash = '\0';
	}
	free(p);
}

/* Alert episodes as a replay of the rules sees them (engine_backtest, from
 * the data's first period): per rule and unit, the severity of the
 * episode open (SEV_NONE when none), the highest it reached in the span,
 * and whether it fired before the span. An episode counts once: in the
 * span's alerts when it fired in it, among the ongoing ones when it fired
 * before and was still active at the span's first period (one resolved
 * there was active at none of the span's periods). */
struct episodes {
	struct rmodel *m;
	const struct series *s;
	size_t nk;		/* rules * units */
	uint8_t *cur, *peak, *before;	/* [rule * nunits + unit] */
	size_t *theme;		/* per rule; SIZE_MAX: not counted */
	bool in_span;		/* the replay has reached the span */
};

/* The replay reaches the span: the episodes open then are ongoing. */
static void enter_span(struct episodes *ep)
{
	if (ep->in_span)
		return;
	ep->in_span = true;
	for (size_t k = 0; k < ep->nk; k++) {
		ep->peak[k] = ep->cur[k];
		ep->before[k] = ep->cur[k] != SEV_NONE;
	}
}

static void episode_step(const struct transition *t, void *arg)
{
	struct episodes *ep = arg;
	size_t k = (size_t)t->rule * ep->s->nunits + t->unit;

	if (ep->theme[t->rule] == SIZE_MAX)
		return;
	/* A transition at a period gives the state at that period: one at
	 * the span's first period replaces the severity the episode had
	 * before the span, which the span never saw. */
	bool first = t->period == ep->m->from;

	if (t->period >= ep->m->from)
		enter_span(ep);
	if (t->kind == TR_RESOLVED) {
		/* active up to the period before: in the span unless the
		 * span begins at the resolution (the console no longer
		 * lists the alert for that period) */
		if (ep->in_span && !first && ep->cur[k] != SEV_NONE)
			count_episode(ep->m, ep->s->units[t->unit], ep->theme[t->rule],
			    ep->peak[k], ep->before[k]);
		ep->cur[k] = ep->peak[k] = SEV_NONE;
		return;
	}
	if (t->kind == TR_FIRING)
		ep->before[k] = ep->peak[k] = SEV_NONE;
	ep->cur[k] = (uint8_t)t->to;
	if (ep->in_span && (first || t->to > ep->peak[k]))
		ep->peak[k] = (uint8_t)t->to;
}

/* The titles of the rules each theme groups (theme[r]: rule r's, SIZE_MAX
 * when not counted), in the order of the rule files, each title once:
 * what the method page's glossary lists. */
static void theme_titles(struct rmodel *m, const struct ruleset *rs,
    const size_t *theme)
{
	m->theme_rules = xcalloc(m->nthemes + 1, sizeof(*m->theme_rules));
	for (size_t r = 0; r < rs->n; r++) {
		const char *title = rs->rules[r].title;
		char **t, *old;

		if (theme[r] == SIZE_MAX || !rs->rules[r].enabled)
			continue;
		t = &m->theme_rules[theme[r]];
		old = *t;
		if (!old) {
			*t = xstrdup(title);
			continue;
		}
		/* each title once: a rule and its variants share one */
		size_t n = strlen(title);
		bool seen = false;
		for (const char *p = old; !seen && (p = strstr(p, title)); p += n)
			seen = (p == old || !strncmp(p - 2, ", ", 2)) &&
			    (p[n] == '\0' || !strncmp(p + n, ", ", 2));
		if (!seen) {
			*t = xasprintf("%s, %s", old, title);
			free(old);
		}
	}
}

/* For each unit shown, the rules the report counts whose alerts its box
 * counts: those that apply, at the span's last period, to it or to a
 * unit under it (in its scope, and not turned off by their when guard
 * there: conflicts on a site of 300 people is not a rule short of
 * history, it is a rule for smaller units; the company, in no rule's
 * scope of its own, has its units'), and those of them that could be
 * computed at none of these units then for want of history
 * (rules/history.c, as `vigie status` and the console count them). An
 * alert table of such a unit is calm because nothing could be measured,
 * which its page says: the company's, the first the works council reads,
 * too. */

static void count_history(struct rmodel *m, const struct series *s,
    const struct ruleset *rs, const struct cells *cells, int floor,
    const size_t *theme)
{
	struct eval_row *rows = NULL;
	size_t n = 0;
	uint8_t *h = xcalloc(m->nunits * rs->n + 1, 1);	/* [unit * rules + rule] */

	if (engine_eval(rs, s, cells, floor, m->to, &rows, &n) != 0)
		xalloc_die();
	for (size_t i = 0; i < n; i++) {
		const struct eval_row *r = &rows[i];
		uint8_t f = (uint8_t)rule_history_row(rs, s, r);
		char *p, *slash;

		if (theme[r->rule] == SIZE_MAX || !f)
			continue;
		/* to the unit and each of its ancestors shown */
		p = xstrdup(s->units[r->unit]);
		for (;;) {
			struct runit *ru = bsearch(p, m->units, m->nunits,
			    sizeof(*m->units), cmp_unit);
			if (ru)
				h[(size_t)(ru - m->units) * rs->n + r->rule] |= f;
			if (!(slash = strrchr(p, '/')))
				break;
			*slash = '\0';
		}
		free(p);
	}
	for (size_t u = 0; u < m->nunits; u++)
		for (size_t k = 0; k < rs->n; k++) {
			uint8_t f = h[u * rs->n + k];
			m->units[u].rules += (f & RH_APPLIES) != 0;
			m->units[u].rules_nohist += rule_history_short(f);
		}
	free(h);
	free(rows);
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
	for (size_t i = 0; i < m->nunits; i++) {
		m->units[i].alerts = xcalloc(2 * m->nthemes, sizeof(size_t));
		m->units[i].ongoing = xcalloc(2 * m->nthemes, sizeof(size_t));
	}
	/* The alerts that fired in the span are those of the data, as a
	 * backtest gives them (SPEC 5: the state is a function of the data),
	 * not the events the daemon happened to record: a year of history
	 * imported at once would have all its alerts in its last month. */
	if (rs && s && s->nunits) {
		size_t nk = rs->n * s->nunits;
		struct episodes ep = { m, s, nk, xcalloc(nk + 1, 1), xcalloc(nk + 1, 1),
		    xcalloc(nk + 1, 1), xcalloc(rs->n, sizeof(size_t)), false };

		/* A rule that notifies only roles bound by secrecy is not
		 * counted. */
		for (size_t r = 0; r < rs->n; r++)
			ep.theme[r] = report_counts_rule(&rs->rules[r], cfg) ?
			    theme_index(m, theme_of(&rs->rules[r])) : SIZE_MAX;
		theme_titles(m, rs, ep.theme);
		if (!(cells = cells_new(s, cfg->min_headcount, cfg->dominance)) ||
		    engine_cells_prepare(rs, cells, cfg->min_headcount) != 0 ||
		    engine_backtest(rs, s, cells, cfg->min_headcount, s->p0, m->to,
		    episode_step, &ep) != 0)
			xalloc_die();
		enter_span(&ep);
		count_history(m, s, rs, cells, cfg->min_headcount, ep.theme);
		for (size_t r = 0; r < rs->n; r++)
			for (uint32_t u = 0; u < s->nunits; u++) {
				size_t k = r * s->nunits + u;
				if (ep.theme[r] != SIZE_MAX && ep.cur[k] != SEV_NONE)
					count_episode(m, s->units[u], ep.theme[r], ep.peak[k],
					    ep.before[k]);
			}
		free(ep.cur);
		free(ep.peak);
		free(ep.before);
		free(ep.theme);
		cells_free(cells);
	}
	/* The follow-up of the alerts the daemon notified for a period of the
	 * span (how many: its base, which the writers give), of the rules the
	 * report counts (not those bound by secrecy, not those of retired
	 * rules), and of those notified before it and still active at its
	 * first period, the ongoing ones as received (a second base): taken
	 * in charge before the span, an ongoing alert is followed, not left
	 * alone, and the box counts what it says it counts. */
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
		m->units[i].notified = c.fired;
		m->units[i].notified_before = c.before;
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
