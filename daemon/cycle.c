/* One daemon cycle (include/vigie/cycle.h): this file only orders the
 * phases, so that data flows one way. The inbox and the pull sources go into
 * the store (daemon/ingest/); the rules are evaluated and the lifecycle's
 * events recorded with their notifications in ONE transaction (evaluate.c),
 * so that a crash either records a transition with its notifications or
 * not at all, and a restart re-derives what is missing (the state is a
 * function of the data); what a silence held goes out once the silence is
 * over (release.c); missing data becomes an event of its own; the
 * outbox is delivered last, on committed rows only (daemon/notify/). Also
 * here: the set the daemon runs with (configuration and rules, loaded aside
 * and swapped together) and the system events (a rejected file, stale or
 * fresh data) with their routing. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cycle_impl.h"
#include "vigie/deliver.h"
#include "vigie/fileio.h"
#include "vigie/inbox.h"
#include "vigie/log.h"
#include "vigie/metrics.h"
#include "vigie/route.h"
#include "vigie/sources.h"
#include "vigie/store_alerts.h"
#include "vigie/text.h"
#include "vigie/unit.h"
#include "vigie/wording.h"
#include "vigie/xalloc.h"

/* ---------------------------------------------------------------- sets */

static void hash_rules(const struct ruleset *rs, char out[65])
{
	char *all = NULL;
	size_t n = 0;

	/* Each file contributes its name, a NUL and its bytes: renaming or
	 * editing any file changes the hash, as does adding one. */
	for (size_t i = 0; i < rs->nfiles; i++) {
		size_t len = 0;
		char *buf = read_file(rs->files[i], &len);
		size_t nlen = strlen(rs->files[i]) + 1;
		char *na = realloc(all, n + nlen + len + 1);
		if (!na) {
			free(buf);
			break;
		}
		all = na;
		memcpy(all + n, rs->files[i], nlen);
		n += nlen;
		if (buf)
			memcpy(all + n, buf, len);
		n += buf ? len : 0;
		free(buf);
	}
	sha256_hex(all ? all : "", n, out);
	free(all);
}

struct cycle_set *cycle_set_load(const char *path, struct diags *d)
{
	struct cycle_set *set = calloc(1, sizeof(*set));
	size_t len = 0;
	char *buf;

	if (!set) {
		diags_add(d, path, 0, 0, "out of memory");
		return NULL;
	}
	bool valid;

	set->cfg = config_load_anyway(path, d, &valid);
	if (!set->cfg)
		goto fail;
	if (!valid) {
		/* Its rules' errors too, now rather than after the next fix. */
		struct rule_policy texts = config_rule_texts(set->cfg);
		struct ruleset *rs = ruleset_load(set->cfg->rules, &texts, d);

		if (rs)
			ruleset_free(rs);
		goto fail;
	}
	struct rule_policy policy = config_rule_policy(set->cfg);
	char *err = NULL;

	/* A database the daemon cannot run on (a second name, a folder, no
	 * SQLite file, a newer schema): at start, and at a reload, which
	 * then keeps what runs (a hard link made since the start). */
	if (store_check_path(set->cfg->database, &err) != 0) {
		diags_add(d, set->cfg->file, set->cfg->database_line,
		    set->cfg->database_col, "%s", err);
		free(err);
		goto fail;
	}
	set->rs = ruleset_load(set->cfg->rules, &policy, d);
	if (!set->rs || cycle_retention_check(set->cfg, set->rs, d) != 0)
		goto fail;
	set->rs->carry_over = set->cfg->carry_over;
	buf = read_file(path, &len);
	sha256_hex(buf ? buf : "", buf ? len : 0, set->cfg_hash);
	free(buf);
	hash_rules(set->rs, set->rules_hash);
	return set;
fail:
	cycle_set_free(set);
	return NULL;
}

void cycle_set_free(struct cycle_set *set)
{
	if (!set)
		return;
	if (set->rs)
		ruleset_free(set->rs);
	if (set->cfg)
		config_free(set->cfg);
	free(set);
}

/* ---------------------------------------------------------- system events */

void cycle_rolled_back(struct cyc *c)
{
	c->row.id = 0;
	route_reset(c->rt);
}

/* Records a system event (about inbox file file, or NULL) and notifies
 * role (when configured), in its own transaction unless one is open
 * (in_tx). */
static int system_event(struct cyc *c, const char *kind, const char *file,
    const char *role, const char *title, const char *summary, bool in_tx)
{
	struct event_in e = {
		.kind = kind, .period = -1, .since = -1, .value = NAN,
		.threshold = NAN, .title = title, .summary = summary, .decimals = -1,
		.file = file,
	};
	int64_t id;

	if (!in_tx && store_begin(c->st) != 0)
		return -1;
	id = store_event_insert(c->st, &c->row, &e);
	if (id < 0 || (role && route_system_event(c->rt, id, role) != 0) ||
	    (!in_tx && store_commit(c->st) != 0)) {
		if (!in_tx) {
			store_rollback(c->st);
			cycle_rolled_back(c);
		}
		return -1;
	}
	return 0;
}

/* An inbox file was rejected: the ops role hears of it, with where to look
 * and nothing quoted from the file (SPEC 8: it may not be what it seems,
 * a link to a secret, say). Its id and label are its name in rejected/
 * (bad.csv.1 for the second bad.csv: two files, two alerts). The notice
 * is queued in the transaction that records the rejection as told
 * (inbox.h): once, even when the daemon is killed around it. */
static int file_rejected(void *arg, const struct inbox_rejection *r)
{
	struct cyc *c = arg;
	bool fr = c->cfg->locale == LOC_FR;
	char title[512], as[1100] = "", where[4096] = "", summary[5120];

	wording_rejected(c->cfg->locale, r->name, title, sizeof(title));
	if (strcmp(r->final, r->name))
		snprintf(as, sizeof(as), fr ? " sous le nom %s" : " as %s", r->final);
	if (r->dir && r->errors)
		snprintf(where, sizeof(where), fr ? " Le fichier est dans %s%s, avec "
		    "ses erreurs dans %s.errors.txt." : " The file is in %s%s, with its "
		    "errors in %s.errors.txt.", r->dir, as, r->final);
	else if (r->dir)
		snprintf(where, sizeof(where), fr ? " Le fichier est dans %s%s ; ses "
		    "erreurs n'ont pas pu y être écrites (voir le journal)." : " The "
		    "file is in %s%s; its errors could not be written there (see the "
		    "journal).", r->dir, as);
	if (r->why)
		snprintf(summary, sizeof(summary), fr ? "Rien n'a été importé : le "
		    "fichier n'a pas été lu (%s).%s" : "Nothing was imported: the file "
		    "was not read (%s).%s", r->why, where);
	else if (r->line > 0)
		snprintf(summary, sizeof(summary), fr ? "Rien n'a été importé : %zu "
		    "erreur%s, la première ligne %d, colonne %d.%s" : "Nothing was "
		    "imported: %zu error%s, the first at line %d, column %d.%s",
		    r->nerrors, r->nerrors == 1 ? "" : "s", r->line, r->col, where);
	else
		snprintf(summary, sizeof(summary), fr ? "Rien n'a été importé : %zu "
		    "erreur%s.%s" : "Nothing was imported: %zu error%s.%s", r->nerrors,
		    r->nerrors == 1 ? "" : "s", where);
	if (store_begin(c->st) != 0 || inbox_rejection_told(c->st) != 0 ||
	    system_event(c, "rejected", r->final, route_system_role(c->cfg,
	    "rejected"), title, summary, true) != 0 || store_commit(c->st) != 0) {
		log_err("cannot record the rejection of %s: %s", r->name,
		    store_errmsg(c->st));
		store_rollback(c->st);
		cycle_rolled_back(c);
		return -1;
	}
	return 0;
}

/* An inbox file imported with warnings: the ops role hears of it as of a
 * rejected one, nothing quoted; the warnings are in the journal and in
 * processed/NAME.warnings.txt. An export that lost a column is imported
 * cleanly, and only a warning says the month cannot be evaluated. The
 * notice is queued in the transaction that records the warnings as told
 * (inbox.h): once, even when the daemon is killed around it. */
static int file_warned(void *arg, const struct inbox_warned *w)
{
	struct cyc *c = arg;
	bool fr = c->cfg->locale == LOC_FR;
	const char *role = route_system_role(c->cfg, "warned");
	char title[512], where[1024] = "", page[600] = "", summary[2048];

	wording_warned(c->cfg->locale, w->name, title, sizeof(title));
	/* Told to a role that may import from the console: where it reads
	 * them too (the server's path is the operator's). */
	if (c->cfg->web && c->cfg->web->url && config_may_import(c->cfg, role))
		snprintf(page, sizeof(page), fr ? ", et sur la page d'import de la "
		    "console : %s/import" : ", and on the console's import page: "
		    "%s/import", c->cfg->web->url);
	if (w->path)
		snprintf(where, sizeof(where), fr ? " Ils sont dans %s%s." : " They "
		    "are in %s%s.", w->path, page);
	snprintf(summary, sizeof(summary), fr ? "Le fichier est importé, avec %zu "
	    "avertissement%s, le premier ligne %d, colonne %d : à lire avant le "
	    "prochain export.%s" : "The file is imported, with %zu warning%s, the "
	    "first at line %d, column %d: read them before the next export.%s",
	    w->nwarnings, w->nwarnings == 1 ? "" : "s", w->line, w->col, where);
	if (store_begin(c->st) != 0 || inbox_told(c->st, w) != 0 ||
	    system_event(c, "warned", w->name, role, title, summary, true) != 0 || store_commit(c->st) != 0) {
		log_err("cannot record the warnings of %s: %s", w->name,
		    store_errmsg(c->st));
		store_rollback(c->st);
		cycle_rolled_back(c);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------- missing data */

/* The last import, or when nothing was ever imported, the first cycle that
 * looked (meta "watched_since", written then): an inbox path mistyped at
 * installation is missing data too. 0, or -1. */
static int last_data(struct cyc *c, int64_t *last)
{
	char *v = NULL, buf[32];
	int r;

	if ((*last = store_last_import_time(c->st)) > 0)
		return 0;
	if ((r = store_meta_get(c->st, "watched_since", &v)) < 0)
		return -1;
	if (r == 0) {
		*last = strtoll(v, NULL, 10);
		free(v);
		return 0;
	}
	*last = c->now;
	snprintf(buf, sizeof(buf), "%lld", (long long)c->now);
	return store_meta_set(c->st, "watched_since", buf);
}

static int stale_check(struct cyc *c)
{
	int64_t last;
	bool stale;
	char *v = NULL, when[ISO8601_BUFSZ], title[256], summary[768], *url = NULL;
	bool was;
	int r;
	const char *role;

	if (last_data(c, &last) != 0)
		return -1;
	stale = c->now - last > c->cfg->stale_after_s;
	if ((r = store_meta_get(c->st, "stale", &v)) < 0)
		return -1;
	was = r == 0 && !strcmp(v, "1");
	free(v);
	if (stale == was)
		return 0;
	role = route_system_role(c->cfg, stale ? "stale" : "fresh");
	text_iso8601(last, when);
	/* Told to a role that may import from the console: where. */
	if (stale && c->cfg->web && c->cfg->web->url && config_may_import(c->cfg, role))
		url = xasprintf("%s/import", c->cfg->web->url);
	wording_stale(c->cfg->locale, stale, when, c->cfg->stale_after_s, url, title,
	    sizeof(title), summary, sizeof(summary));
	free(url);
	if (store_begin(c->st) != 0)
		return -1;
	if (system_event(c, stale ? "stale" : "fresh", NULL, role, title, summary,
	    true) != 0 ||
	    store_meta_set(c->st, "stale", stale ? "1" : "0") != 0 ||
	    store_commit(c->st) != 0) {
		store_rollback(c->st);
		cycle_rolled_back(c);
		return -1;
	}
	if (stale) {
		char db[DURATION_BUFSZ];

		log_warnx("no data imported since %s (stale_after: %s); %s notified",
		    when, text_duration(c->cfg->stale_after_s, db), role);
	}
	else
		log_info("data received again (last import %s)", when);
	return 0;
}

/* ---------------------------------------------------------------- cycle */

void cycle_state_forget_renamed(struct cycle_state *cs)
{
	for (size_t i = 0; i < cs->nrenamed; i++)
		free(cs->renamed[i]);
	free(cs->renamed);
	cs->renamed = NULL;
	cs->nrenamed = 0;
}

/* Whether the process is asked to stop (tick answers true; progress.h):
 * then the cycle ends after the step under way, each having committed or
 * rolled back its own transaction, and the rest is left to the next run
 * (SPEC 8: finish the current transaction, exit). Said once in the log. */
static bool stopping(progress_fn *tick, void *tick_arg, struct cycle_report *rep)
{
	if (!rep->stopped && tick && tick(tick_arg)) {
		rep->stopped = true;
		log_info("stopping: the rest of this cycle is left for the next run");
	}
	return rep->stopped;
}

/* The inbox step: imports, rejections (with their notice to ops), the
 * files left for later; forgets the renamed names. 0 or -1. */
static int ingest(struct cyc *c, struct cycle_state *cs, struct cycle_report *rep)
{
	struct inbox_report ir = { 0 };
	struct inbox_config ic = { .dir = c->cfg->inbox,
	    .max_size = c->cfg->max_import_size, .renamed = cs->renamed,
	    .nrenamed = cs->nrenamed, .fr = c->cfg->locale == LOC_FR,
	    .min_headcount = c->cfg->min_headcount, .dominance = c->cfg->dominance,
	    .retention_data = c->cfg->retention.data, .rejected = file_rejected,
	    .warned = file_warned, .arg = c };
	int rc = c->cfg->inbox && inbox_ingest(c->st, &ic, &ir) != 0 ? -1 : 0;

	rep->imported = ir.imported;
	rep->rejected = ir.rejected;
	rep->deferred = ir.deferred;
	cycle_state_forget_renamed(cs);
	return rc;
}

int cycle_ingest(struct store *st, const struct cycle_set *set,
    struct cycle_state *cs, time_t now, struct cycle_report *rep)
{
	struct cyc c = {
		.st = st, .cfg = set->cfg, .rs = set->rs, .set = set, .now = now,
		.row = { .now = now },
	};
	struct timespec t0, t1;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	*rep = (struct cycle_report){ .period = -1 };
	c.rt = route_new(st, c.cfg, &c.row);
	rc = ingest(&c, cs, rep);
	route_free(c.rt);
	if (c.row.id) {		/* a rejection wrote its cycle row */
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (store_cycle_duration(st, &c.row, (t1.tv_sec - t0.tv_sec) * 1000 +
		    (t1.tv_nsec - t0.tv_nsec) / 1000000) != 0)
			log_err("cannot record the cycle duration: %s", store_errmsg(st));
	}
	return rc;
}

/* deliver_pending logs each database error with its own reason as it
 * happens; by the time it returns, the handle's last message is that of a
 * later statement that worked ("not an error"), so it is not quoted. */
#define DELIVERY_INCOMPLETE "delivery incomplete after the database errors " \
	"above; what they stopped is attempted again at the next cycle"

int cycle_run(struct store *st, const struct cycle_set *set,
    struct cycle_state *cs, bool force, time_t now,
    progress_fn *tick, void *tick_arg, struct cycle_report *rep)
{
	struct cyc c = {
		.st = st, .cfg = set->cfg, .rs = set->rs, .set = set, .now = now,
		.row = { .now = now },
	};
	struct deliver_stats ds = { 0 };
	struct alert_counts cnt;
	struct timespec t0, t1;
	int rc = 0, pulled = 0, due = 0;
	bool early = false;
	int64_t changes = store_changes(st);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	*rep = (struct cycle_report){ .period = -1 };
	c.rt = route_new(st, c.cfg, &c.row);
	if (ingest(&c, cs, rep) != 0)
		rc = -1;
	/* HTTP sources may keep the cycle waiting up to their timeout: what is
	 * already pending goes out first, whatever they do (SPEC 8). */
	if (!stopping(tick, tick_arg, rep) && (due = sources_due(st, c.cfg, now)) > 0) {
		early = true;
		if (deliver_pending(st, c.cfg, c.rs, force, now, tick, tick_arg, &ds) != 0) {
			log_err("%s", DELIVERY_INCOMPLETE);
			rc = -1;
		}
	} else if (due < 0) {
		rc = -1;
	}
	if (!stopping(tick, tick_arg, rep) &&
	    sources_pull(st, c.cfg, now, tick, tick_arg, &pulled) != 0) {
		log_err("pull sources: database error: %s", store_errmsg(st));
		rc = -1;
	}
	rep->imported += pulled;
	if (!stopping(tick, tick_arg, rep)) {
		if (cycle_evaluate(&c, cs, rep) != 0)
			rc = -1;
		if (cycle_release(&c) != 0)
			rc = -1;
		if (cycle_catchup(&c, cs) != 0)
			rc = -1;
		if (stale_check(&c) != 0) {
			log_err("cannot record the missing-data state: %s", store_errmsg(st));
			rc = -1;
		}
		if (cycle_purge(&c, cs) != 0)
			rc = -1;
		if (cycle_report_due(&c) != 0) {
			log_err("cannot queue the works council report: %s", store_errmsg(st));
			rc = -1;
		}
	}
	{
		/* The duration covers ingestion and evaluation, not delivery:
		 * the row is complete before any network wait. A cycle that
		 * wrote nothing updates the one idle row (`vigie status`). */
		clock_gettime(CLOCK_MONOTONIC, &t1);
		long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
		if (store_cycle_duration(st, &c.row, ms) != 0) {
			log_err("cannot record the cycle duration: %s", store_errmsg(st));
			rc = -1;
		}
	}
	route_free(c.rt);
	/* After an early delivery, `force` has had its effect: what failed
	 * then waits for its backoff, and only this cycle's new messages are
	 * due. */
	if (!stopping(tick, tick_arg, rep) &&
	    deliver_pending(st, c.cfg, c.rs, force && !early, now, tick, tick_arg, &ds) != 0) {
		log_err("%s", DELIVERY_INCOMPLETE);
		rc = -1;
	}
	/* SQLite copies its log into the file only past 1000 pages, or when
	 * its last connection closes, which the console's may never do: a
	 * copy of vigie.db alone (cp, rsync, a backup tool) would miss
	 * everything since. Failing is harmless: the log keeps it all. */
	if (store_changes(st) != changes && store_checkpoint(st) != 0)
		log_debug("checkpoint: %s", store_errmsg(st));

	for (size_t i = 0; i < set->rs->n; i++)
		rep->rules += rule_runs_on(&set->rs->rules[i], set->cfg->period);
	rep->period = store_latest_period(st);
	rep->last_import = store_last_import_time(st);
	rep->reload_failed_at = cs->reload_failed_at;
	/* A cycle that fails still writes the metrics file (node_exporter's
	 * mtime says the daemon lives): when the last one succeeded is said
	 * apart, from the database's last cycle after a start or a reload. */
	if (rc == 0 && !rep->stopped) {
		cs->succeeded_at = now;
	} else if (!cs->succeeded_at) {
		struct cycle_row last;

		if (store_last_cycle(st, &last) == 0)
			cs->succeeded_at = last.started_at;
	}
	rep->ok = rc == 0;
	rep->succeeded_at = cs->succeeded_at;
	if (!rep->evaluated)
		rep->units = cs->units;
	if (store_alert_counts(st, &cnt) == 0) {
		rep->active = cnt.active;
		rep->critical = cnt.critical;
		rep->pending = cnt.pending;
		rep->failed = cnt.failed;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	rep->duration_s = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (c.cfg->metrics_file && metrics_write(c.cfg->metrics_file, rep) != 0)
		log_err("cannot write the metrics file %s: %s", c.cfg->metrics_file,
		    strerror(errno));
	return rc;
}

void cycle_status_line(const struct cycle_report *r, enum granularity g,
    char *buf, size_t size)
{
	char pb[PERIOD_BUFSZ];

	int n = snprintf(buf, size, "%s: %zu units, %zu rules, %zu active (%zu critical), "
	    "%zu pending", r->period >= 0 ? period_format(g, r->period, pb) : "no data",
	    r->units, r->rules, r->active, r->critical, r->pending);

	if (r->failed && n > 0 && (size_t)n < size)
		n += snprintf(buf + n, size - (size_t)n, ", %zu failed", r->failed);
	if (*r->history && n > 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, ", %s", r->history);
}
