/* The model of one report: which units appear, and every figure, point,
 * alert count and follow-up count the writers show. Figures are the
 * engine's (engine_eval on the rule set of the definitions, the same call
 * `vigie eval` makes), never values read from the series. Disclosure
 * control (SPEC 3) decides what appears, from two sources that must both
 * agree: the engine's suppressed flags (the anonymity floor, and whatever
 * the engine suppresses when it reads hidden cells) and the hidden cells
 * of rules/cells.c (the floor, dominance and complementary suppression)
 * for every indicator the report reads. A unit that either calls hidden
 * at any period of the span does not appear at all; a figure of the year
 * before is given only when the unit was visible over that whole span. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include "report_impl.h"
#include "vigie/cells.h"
#include "vigie/engine.h"
#include "vigie/expr.h"
#include "vigie/progress.h"
#include "vigie/xalloc.h"

/* What one build computes, indexed [indicator][unit] or
 * [indicator][unit][period - lo]. */
struct work {
	const struct series *s;
	size_t nd, nu;
	int32_t lo, np;		/* periods lo .. lo + np - 1 were evaluated */
	double *val, *prev, *tv;
	bool *sup, *psup, *tsup;
	bool *vis;		/* [unit][period - lo] */
	int32_t *lb, *tlb;	/* lookback of each indicator and its trend */
	struct cells *cells;	/* the hidden cells of s (SPEC 3) */
};

/* Evaluates the view at period `at` into val/sup[d * nu + u] (stride nu,
 * or with stride for the trends). */
static void eval_at(const struct ruleset *view, const struct series *s,
    const struct cells *cells, int floor, int32_t at, double *val, bool *sup,
    size_t stride, size_t nu)
{
	struct eval_row *rows = NULL;
	size_t n = 0;

	if (engine_eval(view, s, cells, floor, at, &rows, &n) != 0)
		xalloc_die();
	for (size_t i = 0; i < n; i++) {
		size_t k = ((size_t)rows[i].rule * nu + rows[i].unit) * stride;
		val[k] = rows[i].value;
		sup[k] = rows[i].suppressed;
	}
	free(rows);
}

/* True when unit u is visible at every period of a .. b. */
static bool visible(const struct work *w, uint32_t u, int32_t a, int32_t b)
{
	for (int32_t p = a; p <= b; p++) {
		int32_t k = p - w->lo;
		if (k < 0 || k >= w->np || !w->vis[(size_t)u * (size_t)w->np + (size_t)k])
			return false;
	}
	return true;
}

/* vis[u][lo + k]: no indicator's one-period value is suppressed by the
 * engine (psup, of the view `point`, evaluated here) and no cell the
 * report reads (the series indicators inds[0 .. ni-1]) is hidden. */
static void fill_visibility(struct work *w, const struct ruleset *point,
    const int32_t *inds, size_t ni, int floor, int32_t k, double *pv, bool *psup)
{
	eval_at(point, w->s, w->cells, floor, w->lo + k, pv, psup, 1, w->nu);
	for (uint32_t u = 0; u < w->nu; u++) {
		bool v = true;
		for (size_t d = 0; d < w->nd && v; d++)
			v = !psup[d * w->nu + u];
		for (size_t i = 0; i < ni && v; i++)
			v = !cells_hidden(w->cells, u, (uint32_t)inds[i], w->lo + k);
		w->vis[(size_t)u * (size_t)w->np + (size_t)k] = v;
	}
}

static void work_free(struct work *w)
{
	free(w->val);
	free(w->prev);
	free(w->tv);
	free(w->sup);
	free(w->psup);
	free(w->tsup);
	free(w->vis);
	free(w->lb);
	free(w->tlb);
	if (w->cells)
		cells_free(w->cells);
}

/* Evaluates everything the model needs. */
static void evaluate(struct work *w, const struct ruleset *rs, const struct rmodel *m,
    const struct rparams *p)
{
	struct ruleset span = *rs, trend = *rs, point = *rs;
	int32_t maxlb = 0, *inds;
	size_t nd = w->nd, nu = w->nu, ni = 0;
	double *pv;
	bool *psup;

	if (!(w->cells = cells_new(w->s, p->floor, p->dominance)) ||
	    engine_cells_prepare(rs, w->cells, p->floor) != 0)
		xalloc_die();
	span.n = nd;
	trend.rules = rs->rules + nd;
	trend.n = nd;
	point.rules = rs->rules + 2 * nd;
	point.n = nd;
	w->lb = xcalloc(nd + 1, sizeof(*w->lb));
	w->tlb = xcalloc(nd + 1, sizeof(*w->tlb));
	for (size_t d = 0; d < nd; d++) {
		w->lb[d] = expr_lookback(rs->rules[d].value);
		w->tlb[d] = expr_lookback(rs->rules[nd + d].value);
		maxlb = w->lb[d] > maxlb ? w->lb[d] : maxlb;
		maxlb = w->tlb[d] > maxlb ? w->tlb[d] : maxlb;
	}
	w->val = xcalloc(nd * nu + 1, sizeof(double));
	w->prev = xcalloc(nd * nu + 1, sizeof(double));
	w->sup = xcalloc(nd * nu + 1, sizeof(bool));
	w->psup = xcalloc(nd * nu + 1, sizeof(bool));
	eval_at(&span, w->s, w->cells, p->floor, m->to, w->val, w->sup, 1, nu);
	eval_at(&span, w->s, w->cells, p->floor, m->to - m->y, w->prev, w->psup, 1, nu);
	w->lo = m->from - m->y - maxlb;
	w->np = m->to - w->lo + 1;
	w->tv = xcalloc(nd * nu * (size_t)w->np + 1, sizeof(double));
	w->tsup = xcalloc(nd * nu * (size_t)w->np + 1, sizeof(bool));
	w->vis = xcalloc(nu * (size_t)w->np + 1, sizeof(bool));
	inds = xcalloc(rs->names.n + 1, sizeof(*inds));
	for (size_t i = 0; i < rs->names.n; i++) {
		int32_t x = series_indicator(w->s, rs->names.v[i]);
		if (x >= 0)
			inds[ni++] = x;
	}
	pv = xcalloc(nd * nu + 1, sizeof(*pv));
	psup = xcalloc(nd * nu + 1, sizeof(*psup));
	for (int32_t k = 0; k < w->np; k++) {
		eval_at(&trend, w->s, w->cells, p->floor, w->lo + k, w->tv + k, w->tsup + k,
		    (size_t)w->np, nu);
		fill_visibility(w, &point, inds, ni, p->floor, k, pv, psup);
	}
	free(inds);
	free(pv);
	free(psup);
}

/* The first period of what the span figures read. */
static int32_t span_start(const struct work *w, const struct rmodel *m)
{
	int32_t a = m->from;

	for (size_t d = 0; d < w->nd; d++)
		if (m->to - w->lb[d] < a)
			a = m->to - w->lb[d];
	return a;
}

static bool unit_shown(const struct work *w, const struct rmodel *m, uint32_t u)
{
	if (!visible(w, u, span_start(w, m), m->to))
		return false;
	for (size_t d = 0; d < w->nd; d++)
		if (w->sup[d * w->nu + u])
			return false;
	return true;
}

/* The first period unit u (not shown) lacks data in what the span's
 * figures read, when that is the only reason it is not shown: at every
 * period it is not visible it has no data at all. INT32_MIN otherwise (a
 * unit below the floor or withheld at some period is only counted, never
 * named: SPEC 3). */
static int32_t missing_from(const struct work *w, const struct rmodel *m, uint32_t u)
{
	int32_t first = INT32_MIN;

	for (int32_t q = span_start(w, m); q <= m->to; q++) {
		if (visible(w, u, q, q))
			continue;
		if (series_has_data(w->s, u, q))
			return INT32_MIN;
		if (first == INT32_MIN)
			first = q;
	}
	return first;
}

/* Why unit u, asked for by --unit, has no report: the first period the
 * span's figures read where it is hidden, never the reason. That its own
 * headcount is under the floor, or that it reaches the floor and is only
 * withheld with a smaller team, would tell a hidden cell's band: the
 * site's headcount minus its visible teams gives the pair's total, and with
 * 6, "under 5" and "5 or more" leave one person (SPEC 3). But a unit left
 * out only for want of data is told so, as the report on its site names
 * it (missing_from: never one hidden at a period where it has data). */
static char *hidden_why(const struct work *w, const struct rmodel *m,
    const struct rparams *p, uint32_t u)
{
	char b[PERIOD_BUFSZ], *where = NULL, *msg;
	int32_t gap = missing_from(w, m, u);

	if (p->why)
		*p->why = (struct report_why){ .hidden = true, .at = INT32_MIN,
		    .nodata = gap };
	if (gap != INT32_MIN)
		return xasprintf("no report for %s: it has no data for %s, the span's first "
		    "period without any (vigie import its file), and a unit "
		    "without data at a period of the span appears in no report", p->unit,
		    period_format(m->gran, gap, b));
	for (int32_t q = span_start(w, m); q <= m->to && !where; q++)
		if (!visible(w, u, q, q)) {
			if (p->why)
				p->why->at = q;
			where = xasprintf("it is hidden in %s, the span's first period "
			    "where it is", period_format(m->gran, q, b));
		}
	msg = xasprintf("no report for %s: %s (SPEC 3: a headcount unknown or under "
	    "the floor of %d, figures withheld with a smaller team's, or a figure "
	    "mostly one person's; which is not said, as it would tell a team's "
	    "size), and a unit hidden at any period of the span appears in no "
	    "report%s%s%s", p->unit, where ? where : "some of its figures over the "
	    "span are hidden", p->floor, where ? ": a span without " : "", where ? b : "",
	    where ? " may show it" : "");
	free(where);
	return msg;
}

static bool in_scope(const char *unit, const char *path);

/* The span's first period where no unit of the scope has data, or
 * INT32_MIN: why no unit is visible, when it is that. */
static int32_t first_empty(const struct work *w, const struct rmodel *m, const char *unit)
{
	for (int32_t q = span_start(w, m); q <= m->to; q++) {
		bool any = false;
		for (uint32_t u = 0; u < w->nu && !any; u++)
			any = in_scope(unit, w->s->units[u]) && series_has_data(w->s, u, q);
		if (!any)
			return q;
	}
	return INT32_MIN;
}

static uint32_t top_of(const struct series *s, uint32_t u)
{
	while (s->parent[u] >= 0)
		u = (uint32_t)s->parent[u];
	return u;
}

static bool in_scope(const char *unit, const char *path)
{
	size_t n;

	if (!unit)
		return true;
	n = strlen(unit);
	return !strncmp(path, unit, n) && (path[n] == '\0' || path[n] == '/');
}

/* The average headcount of unit u over a .. b, NAN when unknown at some
 * period: only how precisely its rates are printed depends on it. */
static double avg_headcount(const struct series *s, uint32_t u, int32_t a, int32_t b)
{
	int32_t hc = series_indicator(s, "headcount");
	double sum = 0;

	if (hc < 0)
		return NAN;
	for (int32_t p = a; p <= b; p++)
		sum += series_get(s, u, (uint32_t)hc, p);
	return sum / (b - a + 1);
}

/* The point of indicator d's trend for unit u at period p: its value
 * over the rolling year that ends at p, where the unit is visible over
 * all of it and the engine does not suppress it (a window dominated). */
static double trend_point(const struct work *w, uint32_t u, size_t d, int32_t p)
{
	size_t k = (d * w->nu + u) * (size_t)w->np + (size_t)(p - w->lo);

	return visible(w, u, p - w->tlb[d], p) && !w->tsup[k] ? w->tv[k] : NAN;
}

/* How many decimals a figure of indicator r of a unit of `heads`
 * employees (its average over the span; NAN: unknown) is shown with: the
 * indicator's, but none for a rate per employee of a unit of fewer
 * employees than it is per, where one person weighs more than a point and
 * a decimal would only help find the count of people. The one place that
 * decides it: every writer shows the figures rounded here, the JSON as
 * the HTML and the PDF, their charts too (a curve drawn at its exact
 * height would give the decimal back). */
static int shown_decimals(const struct rdef *r, double heads)
{
	return r->per_employee && heads < r->per_employee ? 0 : r->decimals;
}

/* x as the writers print it with dec decimals, read back: a writer that
 * prints it with dec decimals writes the same digits as from x, and the
 * JSON's number is that one. NAN for no figure (an infinite one too, the
 * dash of the tables), 0 for a -0 that rounding left. */
static double as_shown(double x, int dec)
{
	char b[512];

	if (!isfinite(x))
		return NAN;
	snprintf(b, sizeof(b), "%.*f", dec, x);
	x = strtod(b, NULL);
	return x == 0 ? 0 : x;
}

/* The figures of unit u (shown). */
static void fill_unit(const struct work *w, const struct rmodel *m, uint32_t u,
    bool company_shown, uint32_t comp, struct runit *ru)
{
	const struct series *s = w->s;
	size_t nd = w->nd, nu = w->nu;
	bool prev_ok = visible(w, u, span_start(w, m) - m->y, m->to - m->y);

	ru->path = xstrdup(s->units[u]);
	/* by its place: below a site, a unit with units under it (in the
	 * data, shown or not: the same word in every report) is a department */
	ru->level = s->depth[u] == 0 ? RL_COMPANY : s->depth[u] == 1 ? RL_SITE :
	    s->child_off[u + 1] > s->child_off[u] ? RL_DEPT : RL_TEAM;
	ru->company = xstrdup(s->units[comp]);
	ru->heads = avg_headcount(s, u, m->from, m->to);
	ru->company_heads = avg_headcount(s, comp, m->from, m->to);
	ru->fig = xcalloc(nd + 1, sizeof(*ru->fig));
	/* data, not visibility: a period it is hidden at is not told */
	ru->lacks = INT32_MIN;
	for (int32_t q = m->to; q > m->from - m->y && ru->lacks == INT32_MIN; q--)
		if (!series_has_data(s, u, q))
			ru->lacks = q;
	ru->first = series_first(s, u);
	for (size_t d = 0; d < nd; d++) {
		struct rfig *f = &ru->fig[d];
		size_t k = d * nu + u;
		int dec = shown_decimals(&m->defs->v[d], ru->heads);

		f->dec = dec;
		f->company_dec = shown_decimals(&m->defs->v[d], ru->company_heads);
		f->value = as_shown(w->val[k], dec);
		f->prev = prev_ok && !w->psup[k] ? as_shown(w->prev[k], dec) : NAN;
		f->company = company_shown ? as_shown(w->val[d * nu + comp], f->company_dec) :
		    NAN;
		f->trend = xcalloc((size_t)m->n, sizeof(double));
		f->trend_prev = xcalloc((size_t)m->n, sizeof(double));
		for (int i = 0; i < m->n; i++) {
			int32_t p = m->from + i;

			f->trend[i] = as_shown(trend_point(w, u, d, p), dec);
			f->trend_prev[i] = prev_ok ? as_shown(trend_point(w, u, d, p - m->y), dec) :
			    NAN;
		}
	}
}

int rmodel_build(struct rmodel *m, const struct series *s,
    const struct rdefs *defs, const struct rparams *p, char **err)
{
	struct diags d = { 0 };
	struct ruleset *rs;
	struct work w = { .s = s, .nd = defs->n, .nu = s->nunits };
	bool *shown;
	char a[PERIOD_BUFSZ], b[PERIOD_BUFSZ];
	int32_t first = s->p0, last = s->p0 + s->np - 1;

	memset(m, 0, sizeof(*m));
	m->defs = defs;
	m->gran = p->gran;
	m->from = p->from;
	m->to = p->to;
	m->n = p->to - p->from + 1;
	m->y = period_per_year(p->gran);
	m->loc = p->loc;
	m->floor = p->floor;
	m->now = p->now;
	m->t0 = period_first_day(p->gran, p->from) * 86400;
	m->t1 = p->now + 1;
	/* No span lies within an empty database: the usage error of a span
	 * outside the data, as vigie(1) says. */
	if (s->np <= 0 || s->nunits == 0) {
		*err = xasprintf("the database holds no data yet (vigie import)");
		return EX_USAGE;
	}
	if (p->from < first || p->to > last) {
		*err = xasprintf("the database holds data from %s to %s: the span must lie "
		    "within it", period_format(p->gran, first, a),
		    period_format(p->gran, last, b));
		return EX_USAGE;
	}
	if (p->unit && series_unit(s, p->unit) < 0) {
		*err = xasprintf("no unit %s in the database (vigie status lists the units "
		    "that send data)", p->unit);
		return EX_USAGE;
	}
	if (!(rs = rdefs_ruleset(defs, m->n, m->y, &d))) {
		*err = diags_to_string(&d, 0);
		diags_free(&d);
		return EX_CONFIG;
	}
	m->expr = xcalloc(defs->n + 1, sizeof(*m->expr));
	m->trend_expr = xcalloc(defs->n + 1, sizeof(*m->trend_expr));
	m->ref = xcalloc(defs->n + 1, sizeof(*m->ref));
	for (size_t i = 0; i < defs->n; i++) {
		m->expr[i] = rdef_expand(defs->v[i].value, m->n, m->y);
		m->trend_expr[i] = rdef_expand(defs->v[i].value, m->y, m->y);
		m->ref[i] = defs->v[i].has_ref ? as_shown(defs->v[i].ref, defs->v[i].decimals) :
		    NAN;
	}
	evaluate(&w, rs, m, p);
	rdefs_ruleset_free(rs);

	shown = xcalloc(s->nunits + 1, sizeof(*shown));
	for (uint32_t u = 0; u < s->nunits; u++)
		shown[u] = unit_shown(&w, m, u);
	if (p->unit && !shown[series_unit(s, p->unit)]) {
		*err = hidden_why(&w, m, p, (uint32_t)series_unit(s, p->unit));
		free(shown);
		work_free(&w);
		return EX_DATAERR;
	}
	m->units = xcalloc(s->nunits + 1, sizeof(*m->units));
	for (uint32_t k = 0; k < s->nunits; k++) {
		uint32_t u = s->sorted[k], comp = top_of(s, u);

		if (!in_scope(p->unit, s->units[u]))
			continue;
		if (!shown[u]) {
			int32_t at = missing_from(&w, m, u);

			m->hidden++;
			if (at != INT32_MIN) {
				m->missing = xreallocarray(m->missing, m->nmissing + 1,
				    sizeof(*m->missing));
				m->missing_at = xreallocarray(m->missing_at, m->nmissing + 1,
				    sizeof(*m->missing_at));
				m->missing[m->nmissing] = xstrdup(s->units[u]);
				m->missing_at[m->nmissing++] = at;
			}
			continue;
		}
		fill_unit(&w, m, u, shown[comp], comp, &m->units[m->nunits++]);
		progress_yield();	/* the watchdog and the inbox */
	}
	free(shown);
	if (m->nunits == 0) {
		int32_t q = first_empty(&w, m, p->unit);

		work_free(&w);
		if (p->why)
			p->why->nodata = q;
		if (q != INT32_MIN) {
			*err = xasprintf("no unit is visible over the whole span: the database "
			    "holds no data for %s, the span's first period without any (vigie "
			    "import its file)", period_format(p->gran, q, a));
			return EX_DATAERR;
		}
		*err = xasprintf("no unit is visible over the whole span: every unit lacks "
		    "data or is below the anonymity floor at some period of it");
		return EX_DATAERR;
	}
	work_free(&w);
	rmodel_tree(m);
	return 0;
}

bool rmodel_top(const struct rmodel *m, size_t i)
{
	return m->units[i].up == RUNIT_TOP;
}

bool runit_has_prev(const struct rmodel *m, const struct runit *u)
{
	for (size_t d = 0; d < m->defs->n; d++)
		for (int i = 0; i < m->n; i++)
			if (isfinite(u->fig[d].trend_prev[i]))
				return true;
	return false;
}

void rmodel_free(struct rmodel *m)
{
	for (size_t i = 0; i < m->nunits; i++) {
		struct runit *u = &m->units[i];
		for (size_t d = 0; u->fig && d < m->defs->n; d++) {
			free(u->fig[d].trend);
			free(u->fig[d].trend_prev);
		}
		free(u->fig);
		free(u->path);
		free(u->company);
		free(u->alerts);
		free(u->ongoing);
	}
	free(m->units);
	for (size_t i = 0; i < m->nmissing; i++)
		free(m->missing[i]);
	free(m->missing);
	free(m->missing_at);
	for (size_t i = 0; m->defs && i < m->defs->n; i++) {
		free(m->expr ? m->expr[i] : NULL);
		free(m->trend_expr ? m->trend_expr[i] : NULL);
	}
	free(m->expr);
	free(m->trend_expr);
	free(m->ref);
	for (size_t i = 0; i < m->nthemes; i++) {
		free(m->themes[i]);
		free(m->theme_rules ? m->theme_rules[i] : NULL);
	}
	free(m->theme_rules);
	free(m->themes);
	memset(m, 0, sizeof(*m));
}
