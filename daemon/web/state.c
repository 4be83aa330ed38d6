/* The console's shared state (web_impl.h): snapshots taken by reference and
 * replaced whole. Alerts are reloaded as soon as their generation moves (a
 * user who just took an alert in charge sees it on the next page); the
 * series, which takes a second or two at 10,000 teams, is reloaded by one
 * request while the others keep the previous one. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <systemd/sd-daemon.h>
#include "vigie/log.h"
#include "vigie/web_chart.h"
#include "vigie/xalloc.h"
#include "web_impl.h"

/* ---- configuration and rules ---- */

static unsigned serials;

static int cmp_rule_id(const void *a, const void *b, void *ctx)
{
	const struct ruleset *rs = ctx;

	return strcmp(rs->rules[*(const uint32_t *)a].id,
	    rs->rules[*(const uint32_t *)b].id);
}

int web_cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void site_free(struct site *s)
{
	if (!s)
		return;
	/* A site that did not load has its rules, and no axes yet. */
	for (size_t i = 0; s->axis && i < s->rs->n; i++)
		free(s->axis[i]);
	free(s->axis);
	free(s->theme);
	free(s->themes);
	free(s->by_id);
	for (size_t i = 0; i < s->nrules_left; i++)
		free(s->rules_left[i]);
	free(s->rules_left);
	ruleset_free(s->rs);
	config_free(s->cfg);
	free(s);
}

struct site *site_load(const char *path, bool lenient)
{
	struct diags d = { 0 };
	struct site *s = xcalloc(1, sizeof(*s));
	char buf[64], **left = NULL;
	size_t nleft = 0;
	bool valid = false;

	/* An invalid configuration still names its rules: their errors are
	 * reported too, so that one round of fixes is enough. A valid one's
	 * roles are checked against the rules as the daemon checks them: a
	 * rule that tells a confidential indicator to HR is refused here too
	 * (SPEC 3), not shown on HR's pages. */
	if ((s->cfg = config_load_anyway(path, &d, &valid))) {
		struct rule_policy policy = config_rule_policy(s->cfg);
		struct rule_policy texts = config_rule_texts(s->cfg);

		/* At start, a rule file with errors (HR's draft in the folder)
		 * does not keep the console from those who follow alerts: it
		 * starts with the others, and says so; a reload keeps the
		 * rules it had instead. */
		s->rs = valid && lenient ? ruleset_load_valid(s->cfg->rules, &policy, &d,
		    &left, &nleft) : ruleset_load(s->cfg->rules, valid ? &policy : &texts, &d);
	}
	if (valid && s->rs && nleft) {
		diags_print(&d, stderr, 0);
		for (size_t i = 0; i < nleft; i++)
			log_err("%s has errors (above), or gives a rule id another file "
			    "gives: the console starts without its rules, whose alerts it "
			    "does not show (it says so on its pages); fix it and reload "
			    "(SIGHUP)", left[i]);
		s->rules_left = left;
		s->nrules_left = nleft;
	}
	if (!valid || !s->rs) {
		diags_print(&d, stderr, 0);
		diags_free(&d);
		site_free(s);
		return NULL;
	}
	diags_free(&d);
	s->rs->carry_over = s->cfg->carry_over;
	s->axis = xcalloc(s->rs->n + 1, sizeof(*s->axis));
	s->theme = xcalloc(s->rs->n + 1, sizeof(*s->theme));
	s->themes = xcalloc(s->rs->n + 1, sizeof(*s->themes));
	s->by_id = xcalloc(s->rs->n + 1, sizeof(*s->by_id));
	for (size_t i = 0; i < s->rs->n; i++) {
		const struct rule *r = &s->rs->rules[i];
		chart_axis_unit(r, buf, sizeof(buf));
		s->axis[i] = xstrdup(buf);
		for (size_t j = 0; j < r->nlabels; j++)
			if (!strcmp(r->labels[j].key, "theme"))
				s->theme[i] = r->labels[j].value;
		if (s->theme[i]) {
			size_t k = 0;
			while (k < s->nthemes && strcmp(s->themes[k], s->theme[i]))
				k++;
			if (k == s->nthemes)
				s->themes[s->nthemes++] = s->theme[i];
		}
		s->by_id[i] = (uint32_t)i;
	}
	qsort(s->themes, s->nthemes, sizeof(*s->themes), web_cmp_str);
	qsort_r(s->by_id, s->rs->n, sizeof(*s->by_id), cmp_rule_id, s->rs);
	s->serial = __atomic_add_fetch(&serials, 1, __ATOMIC_RELAXED);
	s->refs = 1;
	return s;
}

const struct rule *site_rule(const struct site *s, const char *id, uint32_t *idx)
{
	size_t lo = 0, hi = s->rs->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(s->rs->rules[s->by_id[mid]].id, id);
		if (c == 0) {
			if (idx)
				*idx = s->by_id[mid];
			return &s->rs->rules[s->by_id[mid]];
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

struct site *site_ref(struct web *w)
{
	struct site *s;

	pthread_mutex_lock(&w->lock);
	s = w->site;
	s->refs++;
	pthread_mutex_unlock(&w->lock);
	return s;
}

void site_unref(struct web *w, struct site *s)
{
	bool last;

	if (!s)
		return;
	pthread_mutex_lock(&w->lock);
	last = --s->refs == 0;
	pthread_mutex_unlock(&w->lock);
	if (last)
		site_free(s);
}

/* ---- the series ---- */

static void dataset_free(struct dataset *d)
{
	if (!d)
		return;
	cells_free(d->cells);
	if (d->s)
		series_free(d->s);
	memo_free(&d->charts);
	memo_free(&d->units);
	memo_free(&d->history);
	free(d);
}

void data_unref(struct web *w, struct dataset *d)
{
	bool last;

	if (!d)
		return;
	pthread_mutex_lock(&w->lock);
	last = --d->refs == 0;
	pthread_mutex_unlock(&w->lock);
	if (last)
		dataset_free(d);
}

/* Takes a reference on the current snapshot if it is of generation gen
 * (any when gen < 0) and its cells of configuration cfg's floor and
 * dominance (a reload of the configuration that changes them must not
 * leave shown what they now hide, SPEC 3); NULL otherwise. */
static struct dataset *data_current(struct web *w, int64_t gen,
    const struct config *cfg)
{
	struct dataset *d;

	pthread_mutex_lock(&w->lock);
	d = w->data;
	if (d && (gen < 0 || d->gen == gen) && d->floor == cfg->min_headcount &&
	    d->dominance == cfg->dominance)
		d->refs++;
	else
		d = NULL;
	pthread_mutex_unlock(&w->lock);
	return d;
}

struct dataset *data_ref(struct req *r)
{
	struct web *w = r->w;
	int64_t gen = store_data_generation(r->st);
	struct dataset *d, *old;

	if ((d = data_current(w, gen, r->site->cfg)))
		return d;
	/* Someone else is reloading: keep reading the previous snapshot. */
	if (pthread_mutex_trylock(&w->reload) != 0) {
		if ((d = data_current(w, -1, r->site->cfg)))
			return d;
		pthread_mutex_lock(&w->reload);
	}
	if ((d = data_current(w, gen, r->site->cfg))) {
		pthread_mutex_unlock(&w->reload);
		return d;
	}
	d = xcalloc(1, sizeof(*d));
	d->gen = gen;
	d->floor = r->site->cfg->min_headcount;
	d->dominance = r->site->cfg->dominance;
	memo_init(&d->charts, 16384, free);
	memo_init(&d->units, 16, free);
	memo_init(&d->history, 16, free);
	/* The floors the rules raise are computed with the dataset (a rule
	 * that a later reload brings with a floor of its own has its cells
	 * computed per request until the next dataset). */
	if (store_load_series(r->st, &d->s) != 0 || (d->s && (!(d->cells =
	    cells_new(d->s, r->site->cfg->min_headcount, r->site->cfg->dominance)) ||
	    engine_cells_prepare(r->site->rs, d->cells, r->site->cfg->min_headcount) != 0))) {
		log_err("cannot read the values: %s", d->s ? "out of memory" :
		    store_errmsg(r->st));
		if (d->s)
			series_free(d->s);
		memo_free(&d->charts);
		memo_free(&d->units);
		memo_free(&d->history);
		free(d);
		pthread_mutex_unlock(&w->reload);
		return data_current(w, -1, r->site->cfg);
	}
	d->refs = 2;	/* the state's and the caller's */
	pthread_mutex_lock(&w->lock);
	old = w->data;
	w->data = d;
	pthread_mutex_unlock(&w->lock);
	pthread_mutex_unlock(&w->reload);
	data_unref(w, old);
	return d;
}

/* ---- the active alerts, and the resolved ones without an outcome ---- */

static void unrecorded_unref(struct web *w, struct unrecorded *u)
{
	bool last;

	if (!u)
		return;
	pthread_mutex_lock(&w->lock);
	last = --u->refs == 0;
	pthread_mutex_unlock(&w->lock);
	if (last) {
		console_alerts_free(u->v, u->n);
		free(u);
	}
}

static void alertset_free(struct web *w, struct alertset *a)
{
	if (!a)
		return;
	console_alerts_free(a->v, a->n);
	memo_free(&a->views);
	unrecorded_unref(w, a->u);
	free(a);
}

void alerts_unref(struct web *w, struct alertset *a)
{
	bool last;

	if (!a)
		return;
	pthread_mutex_lock(&w->lock);
	last = --a->refs == 0;
	pthread_mutex_unlock(&w->lock);
	if (last)
		alertset_free(w, a);
}

/* The resolved alerts without an outcome for a snapshot of generation g:
 * prev's (a reference taken, of the previous snapshot event_of_prev) when
 * no cycle wrote since and no event since concerns an alert that is not
 * active (a take in charge of an active alert leaves them as they were),
 * else read again (at most WEB_UNRECORDED_MAX, which bounds the memory:
 * resolved alerts are kept retention.alerts periods). prev is given
 * back. NULL when the store cannot be read. */
static struct unrecorded *unrecorded_get(struct req *r, struct unrecorded *prev,
    int64_t event_of_prev)
{
	struct unrecorded *u;

	if (prev && store_console_resolved_followed(r->st, event_of_prev) == 0)
		return prev;
	unrecorded_unref(r->w, prev);
	u = xcalloc(1, sizeof(*u));
	if (store_console_unrecorded(r->st, WEB_UNRECORDED_MAX, &u->v, &u->n,
	    &u->more) != 0) {
		log_err("cannot read the resolved alerts: %s", store_errmsg(r->st));
		free(u);
		return NULL;
	}
	u->refs = 1;
	return u;
}

struct alertset *alerts_ref(struct req *r)
{
	struct web *w = r->w;
	struct console_generation g;
	struct alertset *a, *old;
	struct unrecorded *prev = NULL;
	int64_t prev_event = 0;

	if (store_console_generation(r->st, &g) != 0) {
		log_err("cannot read the alerts: %s", store_errmsg(r->st));
		return NULL;
	}
	pthread_mutex_lock(&w->lock);
	a = w->alerts;
	if (a && a->gen.cycle == g.cycle && a->gen.event == g.event) {
		a->refs++;
		pthread_mutex_unlock(&w->lock);
		return a;
	}
	if (a && a->gen.cycle == g.cycle && a->gen.event <= g.event) {
		prev = a->u;
		prev->refs++;
		prev_event = a->gen.event;
	}
	pthread_mutex_unlock(&w->lock);
	a = xcalloc(1, sizeof(*a));
	a->gen = g;
	memo_init(&a->views, 64, alert_view_free);
	if (store_console_alerts(r->st, NULL, &a->v, &a->n) != 0) {
		log_err("cannot read the alerts: %s", store_errmsg(r->st));
		unrecorded_unref(w, prev);
		alertset_free(w, a);
		return NULL;
	}
	if (!(a->u = unrecorded_get(r, prev, prev_event))) {
		alertset_free(w, a);
		return NULL;
	}
	a->refs = 2;
	pthread_mutex_lock(&w->lock);
	old = w->alerts;
	/* Two requests may have read at once: keep the newer. */
	if (old && (old->gen.cycle > g.cycle || (old->gen.cycle == g.cycle &&
	    old->gen.event >= g.event))) {
		pthread_mutex_unlock(&w->lock);
		a->refs = 1;
		return a;	/* the caller's only: freed by its unref */
	}
	w->alerts = a;
	pthread_mutex_unlock(&w->lock);
	alerts_unref(w, old);
	return a;
}

/* ---- store connections ---- */

int pool_open(struct web *w, const struct config *cfg, char **err)
{
	for (size_t i = 0; i < WEB_THREADS; i++) {
		int rc = store_open(cfg->database, cfg->period, &w->pool[i], err);
		if (rc != 0) {
			pool_close(w);
			return rc;
		}
	}
	w->nfree = WEB_THREADS;
	/* The first connection migrated it, if it was old: said as vigied
	 * says it, when the console restarts before the daemon. */
	char up[PATH_MAX + 64];
	if (store_upgraded(w->pool[0], up, sizeof(up)))
		log_info("%s", up);
	return 0;
}

void pool_close(struct web *w)
{
	for (size_t i = 0; i < WEB_THREADS; i++) {
		store_close(w->pool[i]);
		w->pool[i] = NULL;
	}
	w->nfree = 0;
}

struct store *pool_get(struct web *w)
{
	struct store *st;

	pthread_mutex_lock(&w->pool_lock);
	while (w->nfree == 0)
		pthread_cond_wait(&w->pool_cond, &w->pool_lock);
	st = w->pool[--w->nfree];
	pthread_mutex_unlock(&w->pool_lock);
	return st;
}

void pool_put(struct web *w, struct store *st)
{
	pthread_mutex_lock(&w->pool_lock);
	w->pool[w->nfree++] = st;
	pthread_cond_signal(&w->pool_cond);
	pthread_mutex_unlock(&w->pool_lock);
}

bool pool_still_ours(struct web *w, struct store *st)
{
	char *err = NULL;

	if (atomic_load(&w->fatal))
		return false;
	if (store_check_file(st, &err) == 0)
		return true;
	if (atomic_exchange(&w->fatal, EX_IOERR) == 0) {
		log_err("%s: vigie-web stops, or what it writes would be lost; stop "
		    "vigied too, restore the database with both stopped (README, "
		    "Backups), and start them again",
		    err ? err : "the database file changed");
		sd_notify(0, "STATUS=stopped: the database file was deleted or replaced");
	}
	free(err);
	return false;
}

void state_free(struct web *w)
{
	site_unref(w, w->site);
	data_unref(w, w->data);
	alerts_unref(w, w->alerts);
	w->site = NULL;
	w->data = NULL;
	w->alerts = NULL;
}
