/* The rules engine: for each enabled rule and each unit in its scope, the
 * value v(p) (undefined where suppressed, where the guard fails or the
 * expression is undefined), its level, and the alert state machine of SPEC 5
 * (for, hysteresis band, carry-over on missing data for at most carry_over
 * periods), and what the rule observed against what it expected where it
 * states that. `engine_eval` does not
 * replay history: the state at P is found by walking backwards to the first
 * period that determines it (a crossed period makes the alert active, a
 * defined value inside the clear threshold makes it inactive; undefined
 * values and values in the hysteresis band defer to the period before), so a
 * typical (rule, unit) costs a handful of evaluations instead of the whole
 * series. `engine_backtest` replays forward, period by period; the unit
 * tests check that both agree on random series. */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/cells.h"
#include "vigie/engine.h"
#include "vigie/progress.h"
#include "vigie/unit.h"

/* What every walk of one rule shares. */
struct rule_ctx {
	const struct rule *r;
	uint32_t index;		/* in the rule set */
	struct eval_env env;
	enum severity lowest;	/* lowest configured severity */
	int carry;		/* carry_over: the rule's, else the rule set's */
	const uint8_t *supp;	/* [unit * np + p - p0]: suppressed, or NULL */
};

/* Per-thread cache of v(p) for the (rule, unit) being walked: an entry is
 * valid when its stamp equals the current generation, so moving to the next
 * unit costs one increment instead of clearing the array. The memos keep the
 * values of window bodies of the rule's expressions for the same unit:
 * v(p-1) reads most of what v(p) already computed. */
struct walk {
	const struct rule_ctx *rc;
	const struct series *s;
	uint32_t u;
	double *vc;
	uint8_t *sc;		/* per period: v suppressed (SPEC 3) */
	uint32_t *stamp;
	uint32_t gen;
	struct expr_memo **memo;	/* per rule: value's, when's; made on
					 * first use */
	size_t nrules;
	bool *made;		/* per rule: memos made (they may be NULL) */
	struct expr_memo *mvalue, *mwhen;	/* the rule's; NULL: without */
};

const char *transition_name(enum transition_kind k)
{
	switch (k) {
	case TR_FIRING: return "firing";
	case TR_ESCALATED: return "escalated";
	case TR_DEESCALATED: return "deescalated";
	case TR_RESOLVED: return "resolved";
	}
	return "?";
}

static double threshold_of(const struct rule *r, enum severity sev)
{
	if (sev == SEV_CRITICAL && r->has_critical)
		return r->critical;
	if (sev == SEV_WARNING && r->has_warning)
		return r->warning;
	return NAN;
}

static enum severity level_of(const struct rule *r, double x)
{
	if (isnan(x))
		return SEV_NONE;
	if (r->below) {
		if (r->has_critical && x < r->critical)
			return SEV_CRITICAL;
		if (r->has_warning && x < r->warning)
			return SEV_WARNING;
	} else {
		if (r->has_critical && x > r->critical)
			return SEV_CRITICAL;
		if (r->has_warning && x > r->warning)
			return SEV_WARNING;
	}
	return SEV_NONE;
}

/* True when a defined value keeps an active alert active (hysteresis). */
static bool beyond_clear(const struct rule *r, double x)
{
	return r->below ? x < r->clear : x > r->clear;
}

/* The cells of one engine call: the caller's, at the configuration's
 * floor, and those at the floors that rules raise (SPEC 5: a rule's
 * min_headcount is its anonymity floor, and SPEC 3 holds it against
 * subtraction too). A caller that evaluates many times over the same data
 * computes them once with engine_cells_prepare; otherwise they are computed
 * here, once per call and floor, and shared by the rules that use it. The
 * shipped rules raise none: they cost nothing there. */
struct cells_set {
	const struct cells *base;
	const struct series *s;
	struct cells **v;
	size_t n;
};

static const struct cells *cells_at_floor(struct cells_set *cs, int floor)
{
	const struct cells *known;
	struct cells *c, **v;

	if (!cs->base)
		return NULL;
	if ((known = cells_at(cs->base, floor)))
		return known;
	for (size_t i = 0; i < cs->n; i++)
		if (cs->v[i]->floor == floor)
			return cs->v[i];
	if (!(v = realloc(cs->v, (cs->n + 1) * sizeof(*v))))
		return NULL;
	cs->v = v;
	if (!(c = cells_new(cs->s, floor, cs->base->dominance)))
		return NULL;
	return cs->v[cs->n++] = c;
}

int engine_cells_prepare(const struct ruleset *rs, struct cells *cells,
    int min_headcount)
{
	for (size_t i = 0; cells && i < rs->n; i++)
		if (rs->rules[i].min_headcount > min_headcount &&
		    cells_raise(cells, rs->rules[i].min_headcount) != 0)
			return -1;
	return 0;
}

static void cells_set_free(struct cells_set *cs)
{
	for (size_t i = 0; i < cs->n; i++)
		cells_free(cs->v[i]);
	free(cs->v);
}

/* -1 when the cells of the rule's floor cannot be computed (ENOMEM): the
 * rule is then not evaluated rather than read with fewer cells hidden. */
static int ctx_init(struct rule_ctx *rc, const struct ruleset *rs,
    const struct series *s, struct cells_set *cs, const int32_t *indmap,
    int32_t headcount, int min_headcount, uint32_t index)
{
	const struct rule *r = &rs->rules[index];

	rc->r = r;
	rc->index = index;
	rc->env.s = s;
	rc->env.indmap = indmap;
	rc->env.headcount = headcount;
	rc->env.floor = r->min_headcount > min_headcount ?
	    r->min_headcount : min_headcount;
	rc->env.cells = cells_at_floor(cs, (int)rc->env.floor);
	rc->lowest = r->has_warning ? SEV_WARNING : SEV_CRITICAL;
	rc->carry = r->carry_over >= 0 ? r->carry_over : rs->carry_over;
	rc->supp = NULL;
	return cs->base && !rc->env.cells ? -1 : 0;
}

/* Suppression depends only on the floor, and rules share a few floors:
 * computed once per floor, it is a byte read instead of a strided read of
 * the headcount series for every (rule, unit, period) visited. */
struct floor_map {
	double floor;
	uint8_t *supp;
};

static uint8_t *make_supp(const struct series *s, const int32_t *indmap,
    int32_t headcount, double floor)
{
	size_t np = (size_t)s->np;
	uint8_t *m = malloc(s->nunits * np + 1);
	struct eval_env env = { s, indmap, headcount, floor, NULL };

	if (!m)
		return NULL;
	for (uint32_t u = 0; u < s->nunits; u++)
		for (size_t i = 0; i < np; i++)
			m[u * np + i] = eval_suppressed(&env, u, s->p0 + (int32_t)i);
	return m;
}

/* Maps the rule set's indicator names to series indices; caller frees. */
static int32_t *make_indmap(const struct ruleset *rs, const struct series *s)
{
	int32_t *m = malloc((rs->names.n ? rs->names.n : 1) * sizeof(*m));

	if (!m)
		return NULL;
	for (size_t i = 0; i < rs->names.n; i++)
		m[i] = series_indicator(s, rs->names.v[i]);
	return m;
}

static void walk_fini(struct walk *w)
{
	free(w->vc);
	free(w->sc);
	free(w->stamp);
	for (size_t i = 0; w->memo && i < 2 * w->nrules; i++)
		expr_memo_free(w->memo[i]);
	free(w->memo);
	free(w->made);
}

static int walk_init(struct walk *w, const struct series *s, size_t nrules)
{
	size_t n = s->np > 0 ? (size_t)s->np : 1;

	memset(w, 0, sizeof(*w));
	w->s = s;
	w->nrules = nrules;
	w->vc = malloc(n * sizeof(*w->vc));
	w->sc = malloc(n * sizeof(*w->sc));
	w->stamp = calloc(n, sizeof(*w->stamp));
	w->memo = calloc(2 * nrules + 1, sizeof(*w->memo));
	w->made = calloc(nrules + 1, sizeof(*w->made));
	if (!w->vc || !w->sc || !w->stamp || !w->memo || !w->made) {
		walk_fini(w);
		return -1;
	}
	return 0;
}

/* Memos are made once per rule and thread (a few slots of np values each);
 * without memory the evaluation goes on without them, only slower. */
static void walk_start(struct walk *w, const struct rule_ctx *rc, uint32_t u)
{
	const struct rule *r = rc->r;
	struct expr_memo **m = &w->memo[2 * rc->index];

	w->rc = rc;
	w->u = u;
	if (++w->gen == 0) {
		memset(w->stamp, 0, (size_t)(w->s->np > 0 ? w->s->np : 1) *
		    sizeof(*w->stamp));
		w->gen = 1;
	}
	if (!w->made[rc->index]) {
		m[0] = r->value ? expr_memo_new(r->value, w->s->np) : NULL;
		m[1] = r->when ? expr_memo_new(r->when, w->s->np) : NULL;
		w->made[rc->index] = true;
	}
	w->mvalue = m[0];
	w->mwhen = m[1];
	if (w->mvalue)
		expr_memo_reset(w->mvalue, u);
	if (w->mwhen)
		expr_memo_reset(w->mwhen, u);
}

/* v(p) and whether it is suppressed (SPEC 3): the unit is below the rule's
 * floor, or the guard or the value read a hidden cell. A guard that fails
 * without reading one leaves the value unread, and not suppressed. Returned
 * by value (two registers): an address taken here would cost a stack
 * canary on each of the millions of calls. */
struct vs {
	double v;
	bool supp;
};

/* v(p) of SPEC 5 without the scope check (callers only walk units in scope).
 * mvalue and mwhen are memos of unit u for the rule's expressions, or NULL. */
static struct vs compute_v(const struct rule_ctx *rc, uint32_t u, int32_t p,
    struct expr_memo *mvalue, struct expr_memo *mwhen)
{
	const struct rule *r = rc->r;
	double x;
	bool hidden;

	if (rc->supp ? rc->supp[(size_t)u * (size_t)rc->env.s->np +
	    (size_t)(p - rc->env.s->p0)] : eval_suppressed(&rc->env, u, p))
		return (struct vs){ NAN, true };
	if (r->when) {
		x = expr_eval_memo(r->when, &rc->env, mwhen, u, p, &hidden);
		if (hidden)
			return (struct vs){ NAN, true };
		if (isnan(x) || x == 0)
			return (struct vs){ NAN, false };
	}
	x = expr_eval_memo(r->value, &rc->env, mvalue, u, p, &hidden);
	if (hidden)
		return (struct vs){ NAN, true };
	return (struct vs){ isfinite(x) ? x : NAN, false };
}

/* What the rule saw and what it compared with at p, where v(p) = x: the
 * rule's observed (else x) and expected, evaluated only where x is defined,
 * so that nothing shows where the value does not, and undefined where they
 * would read a hidden cell (SPEC 3). */
static void compare_at(const struct rule_ctx *rc, uint32_t u, int32_t p,
    double x, double *observed, double *expected)
{
	const struct rule *r = rc->r;
	bool hidden = false;

	*observed = *expected = NAN;
	if (isnan(x))
		return;
	if (r->observed) {
		*observed = expr_eval(r->observed, &rc->env, u, p, &hidden);
		if (hidden)
			*observed = NAN;
	} else {
		*observed = x;
	}
	if (r->expected) {
		*expected = expr_eval(r->expected, &rc->env, u, p, &hidden);
		if (hidden)
			*expected = NAN;
	}
}

/* Outside the series every unit's headcount is undefined, so every unit is
 * suppressed there: v is undefined without evaluating anything. */
static double walk_v(struct walk *w, int32_t p)
{
	int32_t i = p - w->s->p0;

	if (i < 0 || i >= w->s->np)
		return NAN;
	if (w->stamp[i] != w->gen) {
		struct vs r = compute_v(w->rc, w->u, p, w->mvalue, w->mwhen);
		w->vc[i] = r.v;
		w->sc[i] = r.supp;
		w->stamp[i] = w->gen;
	}
	return w->vc[i];
}

/* Whether v(p) is suppressed; periods outside the series are (no unit has
 * a headcount there). */
static bool walk_suppressed(struct walk *w, int32_t p)
{
	int32_t i = p - w->s->p0;

	if (i < 0 || i >= w->s->np)
		return eval_suppressed(&w->rc->env, w->u, p);
	walk_v(w, p);
	return w->sc[i];
}

/* crossed(p): level not none at each of p-for+1 .. p. */
static bool walk_crossed(struct walk *w, int32_t p)
{
	const struct rule *r = w->rc->r;

	for (int k = 0; k < r->for_n; k++)
		if (level_of(r, walk_v(w, p - k)) == SEV_NONE)
			return false;
	return true;
}

struct state {
	bool active;
	enum severity severity;
	int32_t since;
	int32_t basis;		/* the period whose value decided the state
				 * (eval_row's basis); -1 none */
	bool missing;		/* inactive because an active alert's value has
				 * been undefined for more than carry_over
				 * periods up to P (SPEC 5) */
};

/* The alert state at P, by walking backwards to the first determining
 * period q; between q and P there are only undefined periods (carry-over)
 * and values in the hysteresis band, so an alert active at q stays active
 * with the severity of the last defined value (or the lowest configured
 * one when that value's level is none). A run of more than carry_over
 * undefined periods on the way determines too: the alert is inactive at
 * its end, and stays so through the band values after it. Periods after
 * the series are undefined, like those before it. */
static struct state walk_state(struct walk *w, int32_t P)
{
	const struct rule *r = w->rc->r;
	int64_t carry = w->rc->carry;
	struct state st = { false, SEV_NONE, -1, -1, false };
	int32_t p0 = w->s->p0, plast = w->s->p0 + w->s->np - 1;
	int32_t p = P < plast ? P : plast, q = -1, last_def = -1;
	int64_t run = P > plast ? (int64_t)P - plast : 0;
	bool found = false;

	if (run > carry)
		goto lapsed;
	for (; p >= p0; p--) {
		double x = walk_v(w, p);
		if (isnan(x)) {
			if (++run > carry)
				goto lapsed;
			continue;
		}
		run = 0;
		if (!found) {
			found = true;
			last_def = p;
		}
		if (walk_crossed(w, p)) {
			q = p;
			break;
		}
		if (!beyond_clear(r, x)) {
			st.basis = p;	/* inactive from here on */
			return st;
		}
	}
	if (q < 0 || p < p0)
		return st;
	st.active = true;
	st.basis = last_def;
	st.severity = level_of(r, walk_v(w, last_def));
	if (st.severity == SEV_NONE)
		st.severity = w->rc->lowest;
	/* The episode began at the oldest crossed period reachable through
	 * active periods: keep walking until a value inside the clear
	 * threshold or a lapse (inactive), or the start of the series. */
	int32_t e = q;
	run = 0;
	for (p = q - 1; p >= p0; p--) {
		double x = walk_v(w, p);
		if (isnan(x)) {
			if (++run > carry)
				break;
			continue;
		}
		run = 0;
		if (walk_crossed(w, p))
			e = p;
		else if (!beyond_clear(r, x))
			break;
	}
	st.since = e;
	return st;
lapsed:
	/* Inactive. When the lapse is the run of undefined periods that ends
	 * at P, the alert resolved for missing data if it was active at the
	 * last defined period before the run (whose state walks no further
	 * than this: its value is defined). */
	if (!found) {
		for (p = p < plast ? p : plast; p >= p0 && isnan(walk_v(w, p)); p--)
			;
		if (p >= p0)
			st.missing = walk_state(w, p).active;
	}
	return st;
}

static void fill_row(struct walk *w, int32_t at, struct eval_row *row)
{
	const struct rule_ctx *rc = w->rc;
	struct state st = walk_state(w, at);
	double x = walk_v(w, at);

	row->rule = rc->index;
	row->unit = w->u;
	row->period = at;
	row->value = x;
	row->level = level_of(rc->r, x);
	row->active = st.active;
	row->severity = st.active ? st.severity : SEV_NONE;
	row->threshold = threshold_of(rc->r,
	    st.active ? st.severity : row->level);
	row->since = st.active ? st.since : -1;
	row->basis = st.basis;
	row->suppressed = walk_suppressed(w, at);
	row->nodata = rc->env.headcount < 0 ||
	    isnan(series_get(w->s, w->u, (uint32_t)rc->env.headcount, at));
	row->missing = st.missing;
	row->off = false;
	if (isnan(x) && !row->suppressed && rc->r->when) {
		bool hidden = false;
		double g = expr_eval(rc->r->when, &rc->env, w->u, at, &hidden);
		row->off = !hidden && g == 0;
	}
	compare_at(rc, w->u, at, x, &row->observed, &row->expected);
}

/* Shared by the evaluation threads. The work is cut into chunks of units
 * in path order, and a thread evaluates every rule for one unit before the
 * next unit: the unit's values (12 indicators x 60 months, a few KiB) then
 * stay in the cache for the hundred rules, where walking rule by rule read
 * them from memory a hundred times. Rows stay ordered by rule then unit
 * path: each (chunk, rule) has a precomputed first row, so the output needs
 * no lock. */
#define EVAL_CHUNK 64

struct eval_job {
	const struct ruleset *rs;
	const struct series *s;
	const struct rule_ctx *ctx;	/* per rule */
	int32_t at;
	const uint8_t *scope;	/* [k * rs->n + rule]: unit sorted[k] in scope */
	const size_t *first;	/* [chunk * rs->n + rule]: its first row */
	size_t nchunks;
	struct eval_row *rows;
	pthread_mutex_t lock;
	size_t next;
	int failed;
};

static void *eval_worker(void *arg)
{
	struct eval_job *job = arg;
	const struct series *s = job->s;
	size_t nr = job->rs->n;
	size_t *row = malloc((nr + 1) * sizeof(*row));
	struct walk w;

	if (!row || walk_init(&w, s, nr) != 0) {
		free(row);
		pthread_mutex_lock(&job->lock);
		job->failed = 1;
		pthread_mutex_unlock(&job->lock);
		return NULL;
	}
	for (;;) {
		size_t c;

		pthread_mutex_lock(&job->lock);
		c = job->next++;
		pthread_mutex_unlock(&job->lock);
		if (c >= job->nchunks)
			break;
		progress_tick();	/* the watchdog, on long evaluations */
		memcpy(row, job->first + c * nr, nr * sizeof(*row));
		uint32_t kend = (uint32_t)((c + 1) * EVAL_CHUNK < s->nunits ?
		    (c + 1) * EVAL_CHUNK : s->nunits);
		for (uint32_t k = (uint32_t)(c * EVAL_CHUNK); k < kend; k++) {
			uint32_t u = s->sorted[k];
			const uint8_t *in = job->scope + (size_t)k * nr;
			for (size_t i = 0; i < nr; i++) {
				if (!in[i])
					continue;
				walk_start(&w, &job->ctx[i], u);
				fill_row(&w, job->at, &job->rows[row[i]++]);
			}
		}
	}
	walk_fini(&w);
	free(row);
	return NULL;
}

/* Below this many (rule, unit) pairs a second thread costs more than it
 * saves. */
#define ENGINE_THREAD_MIN 20000

static int engine_threads(size_t total)
{
	const char *e = getenv("VIGIE_ENGINE_THREADS");
	int n = 2;

	if (e && *e) {
		n = atoi(e);
		if (n < 1)
			n = 1;
		if (n > 16)
			n = 16;
	} else if (total < ENGINE_THREAD_MIN) {
		n = 1;
	}
	return n;
}

int engine_eval(const struct ruleset *rs, const struct series *s,
    const struct cells *cells, int min_headcount, int32_t at,
    struct eval_row **rows, size_t *nrows)
{
	struct eval_job job;
	struct cells_set cs = { cells, s, NULL, 0 };
	size_t *offset, *first, nr = rs->n, nchunks, total;
	uint8_t *scope;
	struct rule_ctx *ctx;
	int32_t *indmap;
	int nthreads, rc = 0;

	*rows = NULL;
	*nrows = 0;
	nchunks = (s->nunits + EVAL_CHUNK - 1) / EVAL_CHUNK;
	offset = calloc(nr + 1, sizeof(*offset));
	indmap = make_indmap(rs, s);
	scope = malloc((size_t)s->nunits * nr + 1);
	first = malloc((nchunks * nr + 1) * sizeof(*first));
	ctx = malloc((nr + 1) * sizeof(*ctx));
	if (!offset || !indmap || !scope || !first || !ctx) {
		rc = -1;
		goto out;
	}
	/* Count first so that the rows are allocated once and exactly: at
	 * a million rows a doubling array would briefly need twice that. */
	for (uint32_t k = 0; k < s->nunits; k++)
		for (size_t i = 0; i < nr; i++) {
			uint8_t in = rule_runs_on(&rs->rules[i], s->gran) &&
			    rule_in_scope(&rs->rules[i], s->units[s->sorted[k]]);
			scope[(size_t)k * nr + i] = in;
			offset[i + 1] += in;
		}
	for (size_t i = 0; i < nr; i++)
		offset[i + 1] += offset[i];
	total = offset[nr];
	for (size_t i = 0; i < nr; i++) {
		size_t at_row = offset[i];
		for (size_t c = 0; c < nchunks; c++) {
			first[c * nr + i] = at_row;
			for (size_t k = c * EVAL_CHUNK; k < (c + 1) * EVAL_CHUNK &&
			    k < s->nunits; k++)
				at_row += scope[k * nr + i];
		}
	}
	memset(&job, 0, sizeof(job));
	job.rs = rs;
	job.s = s;
	job.ctx = ctx;
	job.at = at;
	job.scope = scope;
	job.first = first;
	job.nchunks = nchunks;
	job.rows = malloc((total ? total : 1) * sizeof(*job.rows));
	if (!job.rows) {
		rc = -1;
		goto out;
	}
	int32_t headcount = series_indicator(s, "headcount");
	for (size_t i = 0; i < nr; i++)
		if (ctx_init(&ctx[i], rs, s, &cs, indmap, headcount, min_headcount,
		    (uint32_t)i) != 0) {
			free(job.rows);
			rc = -1;
			goto out;
		}
	/* One suppression map per distinct floor of the rules evaluated. */
	struct floor_map floors[8];
	size_t nfloors = 0;
	for (size_t i = 0; i < nr && s->np > 0; i++) {
		double fl = ctx[i].env.floor;
		bool seen = false;
		if (offset[i] == offset[i + 1])
			continue;
		for (size_t f = 0; f < nfloors; f++)
			seen |= floors[f].floor == fl;
		if (seen || nfloors == sizeof(floors) / sizeof(floors[0]))
			continue;
		floors[nfloors].floor = fl;
		floors[nfloors].supp = make_supp(s, indmap, headcount, fl);
		if (floors[nfloors].supp)
			nfloors++;
	}
	for (size_t i = 0; i < nr; i++)
		for (size_t f = 0; f < nfloors; f++)
			if (floors[f].floor == ctx[i].env.floor)
				ctx[i].supp = floors[f].supp;
	pthread_mutex_init(&job.lock, NULL);
	nthreads = engine_threads(total);
	pthread_t tid[16];
	int started = 0;
	for (int t = 1; t < nthreads; t++) {
		if (pthread_create(&tid[started], NULL, eval_worker, &job) != 0)
			break;
		started++;
	}
	eval_worker(&job);
	for (int t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	pthread_mutex_destroy(&job.lock);
	for (size_t f = 0; f < nfloors; f++)
		free(floors[f].supp);
	if (job.failed) {
		free(job.rows);
		rc = -1;
	} else {
		*rows = job.rows;
		*nrows = total;
	}
out:
	cells_set_free(&cs);
	free(ctx);
	free(first);
	free(scope);
	free(offset);
	free(indmap);
	return rc;
}

struct tr_list {
	struct transition *v;
	size_t n, cap;
	const uint32_t *rank;	/* unit index -> position in path order */
};

static int tr_push(struct tr_list *l, const struct transition *t)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct transition *v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *t;
	return 0;
}

/* qsort has no context argument; backtests do not run concurrently within
 * one process, and the rank table is only read while sorting. */
static const uint32_t *sort_rank;

static int tr_cmp(const void *a, const void *b)
{
	const struct transition *x = a, *y = b;

	if (x->period != y->period)
		return x->period < y->period ? -1 : 1;
	if (x->rule != y->rule)
		return x->rule < y->rule ? -1 : 1;
	if (sort_rank[x->unit] != sort_rank[y->unit])
		return sort_rank[x->unit] < sort_rank[y->unit] ? -1 : 1;
	return 0;
}

/* Forward replay of one (rule, unit) from the series' first period to `to`,
 * exactly as SPEC 5 states it; transitions inside from..to are kept. Past
 * the series' last period values are undefined: an active alert goes on
 * until its carry_over runs out. */
static int replay(struct walk *w, int32_t from, int32_t to, struct tr_list *l)
{
	const struct rule *r = w->rc->r;
	int32_t p0 = w->s->p0, plast = w->s->p0 + w->s->np - 1;
	bool active = false;
	enum severity sev = SEV_NONE;
	int32_t since = -1;
	int run = 0;
	int64_t undef = 0;

	for (int32_t p = p0; p <= to && (p <= plast || active); p++) {
		double x = walk_v(w, p);
		enum severity lv = level_of(r, x);
		bool now, missing = false;
		enum severity nsev;

		run = lv != SEV_NONE ? run + 1 : 0;
		undef = isnan(x) ? undef + 1 : 0;
		if (isnan(x)) {
			/* carried over, until carry_over runs out */
			if (!active || undef <= w->rc->carry)
				continue;
			now = false;
			nsev = SEV_NONE;
			missing = true;
		} else if (run >= r->for_n) {
			now = true;
			nsev = lv;
		} else if (active && beyond_clear(r, x)) {
			now = true;
			nsev = lv != SEV_NONE ? lv : w->rc->lowest;
		} else {
			now = false;
			nsev = SEV_NONE;
		}
		if (now == active && nsev == sev)
			continue;
		struct transition t = {
			.rule = w->rc->index, .unit = w->u, .period = p,
			.from = sev, .to = nsev, .value = x, .missing = missing,
		};
		if (!active) {
			t.kind = TR_FIRING;
			since = p;
		} else if (!now) {
			t.kind = TR_RESOLVED;
		} else {
			t.kind = nsev > sev ? TR_ESCALATED : TR_DEESCALATED;
		}
		t.threshold = threshold_of(r, now ? nsev : sev);
		t.since = since;
		if (p >= from) {
			compare_at(w->rc, w->u, p, x, &t.observed, &t.expected);
			if (tr_push(l, &t) != 0)
				return -1;
		}
		active = now;
		sev = nsev;
		if (!active)
			since = -1;
	}
	return 0;
}

int engine_backtest(const struct ruleset *rs, const struct series *s,
    const struct cells *cells, int min_headcount, int32_t from, int32_t to,
    void (*cb)(const struct transition *t, void *arg), void *arg)
{
	struct tr_list l = { 0 };
	struct cells_set cs = { cells, s, NULL, 0 };
	struct walk w;
	uint32_t *rank;
	int32_t *indmap;
	int rc = 0;

	if (s->np <= 0 || s->nunits == 0)
		return 0;
	indmap = make_indmap(rs, s);
	rank = malloc(s->nunits * sizeof(*rank));
	if (!indmap || !rank || walk_init(&w, s, rs->n) != 0) {
		free(indmap);
		free(rank);
		return -1;
	}
	for (uint32_t k = 0; k < s->nunits; k++)
		rank[s->sorted[k]] = k;
	int32_t headcount = series_indicator(s, "headcount");
	for (size_t i = 0; i < rs->n && rc == 0; i++) {
		struct rule_ctx ctx;
		if (!rule_runs_on(&rs->rules[i], s->gran))
			continue;
		if ((rc = ctx_init(&ctx, rs, s, &cs, indmap, headcount,
		    min_headcount, (uint32_t)i)) != 0)
			break;
		for (uint32_t k = 0; k < s->nunits && rc == 0; k++) {
			uint32_t u = s->sorted[k];
			if (!rule_in_scope(ctx.r, s->units[u]))
				continue;
			walk_start(&w, &ctx, u);
			rc = replay(&w, from, to, &l);
		}
	}
	if (rc == 0) {
		sort_rank = rank;
		if (l.n)	/* qsort(NULL, 0) is undefined */
			qsort(l.v, l.n, sizeof(*l.v), tr_cmp);
		sort_rank = NULL;
		for (size_t i = 0; i < l.n; i++)
			cb(&l.v[i], arg);
	}
	free(l.v);
	walk_fini(&w);
	cells_set_free(&cs);
	free(rank);
	free(indmap);
	return rc;
}

/* One rule read at one unit, for the callers that show a few of its values
 * rather than walk the rule set. */
struct one_rule {
	struct rule_ctx ctx;
	struct cells_set cs;
	int32_t *indmap;
};

static void one_rule_close(struct one_rule *o)
{
	cells_set_free(&o->cs);
	free(o->indmap);
}

/* 0 when the rule and the unit exist, the rule's scope holds the unit and
 * its context is made (one_rule_close frees it); -1 otherwise, nothing to
 * free. */
static int one_rule_open(struct one_rule *o, const struct ruleset *rs,
    const struct series *s, const struct cells *cells, int min_headcount,
    uint32_t rule, uint32_t unit)
{
	if (rule >= rs->n || unit >= s->nunits || s->np <= 0 ||
	    !rule_in_scope(&rs->rules[rule], s->units[unit]))
		return -1;
	o->cs = (struct cells_set){ cells, s, NULL, 0 };
	if (!(o->indmap = make_indmap(rs, s)))
		return -1;
	if (ctx_init(&o->ctx, rs, s, &o->cs, o->indmap,
	    series_indicator(s, "headcount"), min_headcount, rule) != 0) {
		one_rule_close(o);
		return -1;
	}
	return 0;
}

int engine_row(const struct ruleset *rs, const struct series *s,
    const struct cells *cells, int min_headcount, uint32_t rule,
    uint32_t unit, int32_t at, struct eval_row *row)
{
	struct one_rule o;
	struct walk w;
	int rc = -1;

	if (one_rule_open(&o, rs, s, cells, min_headcount, rule, unit) != 0)
		return -1;
	if (walk_init(&w, s, rs->n) == 0) {
		walk_start(&w, &o.ctx, unit);
		fill_row(&w, at, row);
		walk_fini(&w);
		rc = 0;
	}
	one_rule_close(&o);
	return rc;
}

void engine_points(const struct ruleset *rs, const struct series *s,
    const struct cells *cells, int min_headcount, uint32_t rule,
    uint32_t unit, int32_t at, int n, struct engine_point *out)
{
	struct one_rule o;

	for (int i = 0; i < n; i++)
		out[i] = (struct engine_point){ NAN, NAN, NAN, false, false };
	if (one_rule_open(&o, rs, s, cells, min_headcount, rule, unit) != 0)
		return;
	for (int i = 0; i < n; i++) {
		int32_t p = at - n + 1 + i;

		/* As eval_row's nodata: outside the series too. */
		out[i].nodata = o.ctx.env.headcount < 0 ||
		    isnan(series_get(s, unit, (uint32_t)o.ctx.env.headcount, p));
		if (p < s->p0 || p >= s->p0 + s->np)
			continue;
		struct vs r = compute_v(&o.ctx, unit, p, NULL, NULL);

		out[i].value = r.v;
		out[i].hidden = r.supp;
		compare_at(&o.ctx, unit, p, out[i].value, &out[i].observed,
		    &out[i].expected);
	}
	one_rule_close(&o);
}

static void terms_at(const struct rule_ctx *rc, uint32_t u, int32_t p,
    const struct rule_term *t, size_t n, double *out)
{
	for (size_t i = 0; out && i < n; i++) {
		bool hidden = false;
		double x = expr_eval(t[i].e, &rc->env, u, p, &hidden);

		out[i] = isfinite(x) && !hidden ? x : NAN;
	}
}

void engine_terms(const struct ruleset *rs, const struct series *s,
    const struct cells *cells, int min_headcount, uint32_t rule,
    uint32_t unit, int32_t at, double *components, double *compare)
{
	const struct rule *r = rule < rs->n ? &rs->rules[rule] : NULL;
	struct one_rule o;

	if (!r)
		return;
	for (size_t i = 0; components && i < r->ncomponents; i++)
		components[i] = NAN;
	for (size_t i = 0; compare && i < r->ncompare; i++)
		compare[i] = NAN;
	if (at < s->p0 || at >= s->p0 + s->np ||
	    one_rule_open(&o, rs, s, cells, min_headcount, rule, unit) != 0)
		return;
	if (!isnan(compute_v(&o.ctx, unit, at, NULL, NULL).v)) {
		terms_at(&o.ctx, unit, at, r->components, r->ncomponents, components);
		terms_at(&o.ctx, unit, at, r->compare, r->ncompare, compare);
	}
	one_rule_close(&o);
}

void engine_history(const struct ruleset *rs, const struct series *s,
    const struct cells *cells, int min_headcount, uint32_t rule,
    uint32_t unit, int32_t at, int n, double *out)
{
	struct one_rule o;

	for (int i = 0; i < n; i++)
		out[i] = NAN;
	if (one_rule_open(&o, rs, s, cells, min_headcount, rule, unit) != 0)
		return;
	for (int i = 0; i < n; i++) {
		int32_t p = at - n + 1 + i;
		if (p >= s->p0 && p < s->p0 + s->np)
			out[i] = compute_v(&o.ctx, unit, p, NULL, NULL).v;
	}
	one_rule_close(&o);
}
