/* One daemon cycle (include/vigie/cycle.h). Data flows one way: inbox files
 * and pull sources go into the store; when the data generation, the rule
 * files or the configuration differ from what the last evaluation saw (or
 * at the first cycle of the process), the rules are evaluated at the latest
 * period and the result is compared with the stored alert rows. The
 * transitions, the updated alert rows, the outbox messages they cause and
 * the inputs' fingerprints are written in ONE transaction, so that a crash
 * either records a transition with its notifications or not at all, and a
 * restart re-derives what is missing (the state is a function of the data).
 * An evaluation that changes nothing writes nothing. Delivery runs last, on
 * committed rows only. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vigie/alertdb.h"
#include "vigie/cli.h"
#include "vigie/csv.h"
#include "vigie/cycle.h"
#include "vigie/fileio.h"
#include "vigie/deliver.h"
#include "vigie/engine.h"
#include "vigie/log.h"
#include "vigie/sources.h"
#include "vigie/unit.h"

#define HISTORY_PERIODS 12

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
	set->cfg = config_load(path, d);
	if (!set->cfg)
		goto fail;
	set->rs = ruleset_load(set->cfg->rules, d);
	if (!set->rs)
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

/* ------------------------------------------------------- the cycle state */

struct outmsg {
	const char *channel, *target;
	int64_t id;
	size_t items;
};

struct cyc {
	struct store *st;
	sqlite3 *db;
	const struct config *cfg;
	const struct ruleset *rs;
	const struct cycle_set *set;
	time_t now;
	int64_t cycle_id;	/* 0 until a transaction of this cycle inserts it */
	struct outmsg *msgs;	/* this cycle's outbox, one per channel target */
	size_t nmsgs;
};

static void bind_text(sqlite3_stmt *q, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(q, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(q, i);
}

static void bind_real(sqlite3_stmt *q, int i, double v)
{
	if (isnan(v))
		sqlite3_bind_null(q, i);
	else
		sqlite3_bind_double(q, i, v);
}

static void bind_period(sqlite3_stmt *q, int i, int32_t p)
{
	if (p < 0)
		sqlite3_bind_null(q, i);
	else
		sqlite3_bind_int(q, i, p);
}

/* Runs a prepared statement to completion and finalizes it. */
static int step_done(sqlite3_stmt *q)
{
	int rc = sqlite3_step(q);

	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int ensure_cycle_row(struct cyc *c)
{
	sqlite3_stmt *q;

	if (c->cycle_id)
		return 0;
	if (sqlite3_prepare_v2(c->db, "INSERT INTO cycle(started_at, finished_at, period)"
	    " VALUES(?, ?, ?)", -1, &q, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(q, 1, c->now);
	sqlite3_bind_int64(q, 2, c->now);
	bind_period(q, 3, store_latest_period(c->st));
	if (step_done(q) != 0)
		return -1;
	c->cycle_id = sqlite3_last_insert_rowid(c->db);
	return 0;
}

/* ------------------------------------------------------------- routing */

/* The outbox message of this cycle for (channel, target), created when
 * needed: one message per target per cycle (a digest), except that a digest
 * is closed at CYCLE_MESSAGE_MAX_ITEMS events and a new one started, so that
 * a first cycle over years of history for thousands of teams cannot build
 * a mail or a POST body of hundreds of megabytes. Returns its index. */
static ssize_t message_for(struct cyc *c, const char *channel,
    const char *target, const char *role)
{
	char uid[ALERTDB_UID_LEN + 1];
	sqlite3_stmt *q;

	for (size_t i = c->nmsgs; i-- > 0; ) {
		if (strcmp(c->msgs[i].channel, channel) || strcmp(c->msgs[i].target, target))
			continue;
		if (c->msgs[i].items < CYCLE_MESSAGE_MAX_ITEMS)
			return (ssize_t)i;
		break;	/* the newest one is full: start another */
	}
	if (ensure_cycle_row(c) != 0 || alertdb_new_uid(uid) != 0)
		return -1;
	struct outmsg *nm = realloc(c->msgs, (c->nmsgs + 1) * sizeof(*nm));
	if (!nm)
		return -1;
	c->msgs = nm;
	if (sqlite3_prepare_v2(c->db, "INSERT INTO message(created_at, cycle, channel,"
	    " target, role, status, next_at, uid) VALUES(?, ?, ?, ?, ?, 'pending', ?, ?)",
	    -1, &q, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(q, 1, c->now);
	sqlite3_bind_int64(q, 2, c->cycle_id);
	bind_text(q, 3, channel);
	bind_text(q, 4, target);
	bind_text(q, 5, role);
	sqlite3_bind_int64(q, 6, c->now);
	bind_text(q, 7, uid);
	if (step_done(q) != 0)
		return -1;
	c->msgs[c->nmsgs] = (struct outmsg){ channel, target,
	    sqlite3_last_insert_rowid(c->db), 0 };
	return (ssize_t)c->nmsgs++;
}

/* Adds an event to message i; an event routed twice to one target (two
 * roles, same address) is carried once. */
static int message_add_item(struct cyc *c, ssize_t i, int64_t event)
{
	sqlite3_stmt *q;

	if (i < 0)
		return -1;
	if (sqlite3_prepare_v2(c->db, "INSERT OR IGNORE INTO message_item(message, event)"
	    " VALUES(?, ?)", -1, &q, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(q, 1, c->msgs[i].id);
	sqlite3_bind_int64(q, 2, event);
	if (sqlite3_step(q) != SQLITE_DONE) {
		sqlite3_finalize(q);
		return -1;
	}
	int added = sqlite3_changes(c->db);
	sqlite3_finalize(q);
	c->msgs[i].items += (size_t)added;
	if (c->msgs[i].items == 0) {
		/* A message just opened for an event its full predecessor
		 * already carries: drop it rather than send it empty. */
		if (sqlite3_prepare_v2(c->db, "DELETE FROM message WHERE id = ?", -1,
		    &q, NULL) != SQLITE_OK)
			return -1;
		sqlite3_bind_int64(q, 1, c->msgs[i].id);
		if (step_done(q) != 0)
			return -1;
		c->nmsgs--;	/* it is the newest */
	}
	return 0;
}

static int route_to(struct cyc *c, int64_t event, const char *role,
    const struct route_config *rt)
{
	if (!rt)
		return 0;
	for (size_t i = 0; i < rt->nemail; i++)
		if (message_add_item(c, message_for(c, "email", rt->email[i], role), event) != 0)
			return -1;
	for (size_t i = 0; i < rt->nwebhook; i++)
		if (message_add_item(c, message_for(c, "webhook", rt->webhook[i], role), event) != 0)
			return -1;
	return 0;
}

/* SPEC 9: for each role, the first route whose scope matches the unit. */
static int route_alert_event(struct cyc *c, int64_t event, const struct rule *r,
    const char *unit)
{
	char **roles = r->notify_set ? r->notify : c->cfg->default_notify;
	size_t nroles = r->notify_set ? r->nnotify : c->cfg->ndefault_notify;

	for (size_t i = 0; i < nroles; i++) {
		const struct role_config *role = config_role(c->cfg, roles[i]);
		if (role && route_to(c, event, roles[i], config_route(role, unit)) != 0)
			return -1;
	}
	return 0;
}

/* System events (stale, fresh, rejected) concern no unit: the role's first
 * route that covers every unit, else its first route. */
static int route_system_event(struct cyc *c, int64_t event, const char *rolename)
{
	const struct role_config *role = config_role(c->cfg, rolename);
	const struct route_config *pick = NULL;

	if (!role || role->nroutes == 0)
		return 0;
	for (size_t i = 0; i < role->nroutes && !pick; i++)
		for (size_t k = 0; k < role->routes[i].nscope; k++)
			if (!strcmp(role->routes[i].scope[k], "**"))
				pick = &role->routes[i];
	return route_to(c, event, rolename, pick ? pick : &role->routes[0]);
}

/* -------------------------------------------------------------- events */

struct event_in {
	int64_t alert;		/* 0: system event */
	const char *kind, *rule, *unit;
	int32_t period, since;	/* -1: NULL */
	enum severity sev, prev;
	double value, threshold;
	const char *title, *summary, *guidance, *labels, *history;
	int decimals;		/* -1: NULL */
	bool silenced;
};

static int64_t event_insert(struct cyc *c, const struct event_in *e)
{
	sqlite3_stmt *q;

	if (ensure_cycle_row(c) != 0)
		return -1;
	if (sqlite3_prepare_v2(c->db, "INSERT INTO event(at, alert, kind, rule, unit,"
	    " period, severity, prev_severity, value, threshold, since, title, summary,"
	    " guidance, labels, history, decimals, silenced)"
	    " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", -1, &q, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(q, 1, c->now);
	if (e->alert)
		sqlite3_bind_int64(q, 2, e->alert);
	else
		sqlite3_bind_null(q, 2);
	bind_text(q, 3, e->kind);
	bind_text(q, 4, e->rule);
	bind_text(q, 5, e->unit);
	bind_period(q, 6, e->period);
	bind_text(q, 7, severity_name(e->sev));
	bind_text(q, 8, severity_name(e->prev));
	bind_real(q, 9, e->value);
	bind_real(q, 10, e->threshold);
	bind_period(q, 11, e->since);
	bind_text(q, 12, e->title);
	bind_text(q, 13, e->summary);
	bind_text(q, 14, e->guidance);
	bind_text(q, 15, e->labels);
	bind_text(q, 16, e->history);
	if (e->decimals >= 0)
		sqlite3_bind_int(q, 17, e->decimals);
	else
		sqlite3_bind_null(q, 17);
	sqlite3_bind_int(q, 18, e->silenced);
	if (step_done(q) != 0)
		return -1;
	return sqlite3_last_insert_rowid(c->db);
}

/* Records a system event and notifies role (when configured), in its own
 * transaction unless one is open (in_tx). */
static int system_event(struct cyc *c, const char *kind, const char *role,
    const char *title, const char *summary, bool in_tx)
{
	struct event_in e = {
		.kind = kind, .period = -1, .since = -1, .value = NAN,
		.threshold = NAN, .title = title, .summary = summary, .decimals = -1,
	};
	int64_t id;

	if (!in_tx && store_begin(c->st) != 0)
		return -1;
	id = event_insert(c, &e);
	if (id < 0 || (role && route_system_event(c, id, role) != 0)) {
		if (!in_tx) {
			store_rollback(c->st);
			c->cycle_id = 0;
			c->nmsgs = 0;
		}
		return -1;
	}
	if (!in_tx && store_commit(c->st) != 0) {
		store_rollback(c->st);
		c->cycle_id = 0;
		c->nmsgs = 0;
		return -1;
	}
	return 0;
}

/* --------------------------------------------------------------- inbox */

static char *path_join3(const char *a, const char *b, const char *c)
{
	char *s = NULL;
	int r = c ? asprintf(&s, "%s/%s/%s", a, b, c) : asprintf(&s, "%s/%s", a, b);

	if (r < 0)
		return NULL;
	return s;
}

/* Moves src into folder dir under name, or name.1, name.2... when taken:
 * never overwrites. *final (caller frees) is the name used. */
static int move_noreplace(const char *src, const char *dir, const char *name,
    char **final)
{
	*final = NULL;
	for (int i = 0; i < 1000; i++) {
		char *fname = NULL, *dst;
		if ((i ? asprintf(&fname, "%s.%d", name, i) : asprintf(&fname, "%s", name)) < 0)
			return -1;
		dst = path_join3(dir, fname, NULL);
		if (!dst) {
			free(fname);
			return -1;
		}
		int rc = renameat2(AT_FDCWD, src, AT_FDCWD, dst, RENAME_NOREPLACE);
		if (rc != 0 && (errno == EINVAL || errno == ENOSYS)) {
			/* A file system without RENAME_NOREPLACE: check, then
			 * rename (only this daemon writes there). */
			if (access(dst, F_OK) == 0) {
				errno = EEXIST;
			} else {
				rc = rename(src, dst);
			}
		}
		free(dst);
		if (rc == 0) {
			*final = fname;
			return 0;
		}
		free(fname);
		if (errno != EEXIST)
			return -1;
	}
	errno = EEXIST;
	return -1;
}

/* True when the newest import is this very file: the daemon was stopped
 * after committing it and before moving it away. */
static int already_imported(struct cyc *c, const char *name, const char *sha)
{
	sqlite3_stmt *q;
	int found = 0;

	if (sqlite3_prepare_v2(c->db, "SELECT source, sha256 FROM import_log"
	    " ORDER BY id DESC LIMIT 1", -1, &q, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(q) == SQLITE_ROW)
		found = !strcmp((const char *)sqlite3_column_text(q, 0), name) &&
		    !strcmp((const char *)sqlite3_column_text(q, 1), sha);
	sqlite3_finalize(q);
	return found;
}

static void reject_file(struct cyc *c, const char *path, const char *name,
    const struct diags *d, struct cycle_report *rep)
{
	char *rejdir = path_join3(c->cfg->inbox, "rejected", NULL);
	char *final = NULL, *errname = NULL, *errpath = NULL, *text;
	char title[512];

	text = d->n ? diags_to_string(d, CSV_MAX_ERRORS) : strdup("unknown error\n");
	rep->rejected++;
	if (!rejdir || move_noreplace(path, rejdir, name, &final) != 0) {
		log_err("%s: rejected, but cannot move it to %s: %s", path,
		    rejdir ? rejdir : "rejected/", strerror(errno));
	} else {
		if (asprintf(&errname, "%s.errors.txt", final) >= 0)
			errpath = path_join3(rejdir, errname, NULL);
		if (!errpath || write_file_atomic(errpath, text ? text : "", text ? strlen(text) : 0, 0640) != 0)
			log_err("cannot write %s: %s", errpath ? errpath : "errors file",
			    strerror(errno));
		log_err("%s rejected, nothing imported; moved to %s/%s with the errors "
		    "in %s:\n%s", name, rejdir, final, errname ? errname : "?",
		    text ? text : "");
	}
	snprintf(title, sizeof(title), c->cfg->locale == LOC_FR ?
	    "Fichier rejeté : %s" : "File rejected: %s", name);
	if (system_event(c, "rejected", config_role(c->cfg, "ops") ? "ops" : NULL,
	    title, text, false) != 0)
		log_err("cannot record the rejection of %s: %s", name, store_errmsg(c->st));
	free(text);
	free(errpath);
	free(errname);
	free(final);
	free(rejdir);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Imports one inbox file. Returns -1 only on a database error (the file
 * then stays in the inbox for the next cycle). */
static int ingest_one(struct cyc *c, const char *name, struct cycle_report *rep)
{
	char *path = path_join3(c->cfg->inbox, name, NULL);
	char *procdir = path_join3(c->cfg->inbox, "processed", NULL);
	char *buf = NULL, *final = NULL, sha[65];
	size_t len = 0;
	struct import_batch b = { 0 };
	struct diags d = { 0 };
	struct import_stats stats = { 0 };
	struct stat sb;
	int rc = 0, dup;

	if (!path || !procdir || stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
		goto out;
	buf = read_file(path, &len);
	if (!buf) {
		if (errno != ENOENT)
			log_err("cannot read %s: %s", path, strerror(errno));
		goto out;
	}
	sha256_hex(buf, len, sha);
	dup = already_imported(c, name, sha);
	if (dup < 0) {
		rc = -1;
		goto out;
	}
	if (!dup) {
		if (csv_parse(name, buf, len, store_granularity(c->st), &b, &d) != 0) {
			reject_file(c, path, name, &d, rep);
			goto out;
		}
		if (store_import(c->st, name, sha, &b, &stats) != 0) {
			log_err("cannot import %s: %s; it stays in the inbox and is "
			    "retried at the next cycle", path, store_errmsg(c->st));
			rc = -1;
			goto out;
		}
		log_info("imported %s: %zu rows, %zu values (%zu new, %zu replaced, "
		    "%zu unchanged)", name, stats.rows, stats.values, stats.added,
		    stats.replaced, stats.unchanged);
		rep->imported++;
	}
	if (move_noreplace(path, procdir, name, &final) != 0)
		log_err("imported %s but cannot move it to %s: %s", path, procdir,
		    strerror(errno));
out:
	import_batch_free(&b);
	diags_free(&d);
	free(final);
	free(buf);
	free(procdir);
	free(path);
	return rc;
}

static int inbox_ingest(struct cyc *c, struct cycle_report *rep)
{
	const char *inbox = c->cfg->inbox;
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	DIR *dir;
	int rc = 0;

	for (int i = 0; i < 2; i++) {
		char *sub = path_join3(inbox, i ? "rejected" : "processed", NULL);
		if (sub && mkdir(sub, 0750) != 0 && errno != EEXIST)
			log_err("cannot create %s: %s", sub, strerror(errno));
		free(sub);
	}
	dir = opendir(inbox);
	if (!dir) {
		log_err("cannot read the inbox %s: %s", inbox, strerror(errno));
		return 0;
	}
	while ((de = readdir(dir))) {
		size_t len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len < 5 || strcmp(de->d_name + len - 4, ".csv"))
			continue;
		char **nn = realloc(names, (n + 1) * sizeof(*nn));
		if (!nn)
			break;
		names = nn;
		if ((names[n] = strdup(de->d_name)))
			n++;
	}
	closedir(dir);
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n; i++) {
		if (rc == 0 && ingest_one(c, names[i], rep) != 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

/* ----------------------------------------------------------- evaluation */

struct stored {
	int64_t id;
	char *rule, *unit;
	bool active, acked, seen;
	enum severity sev;
	double value, threshold;
	int32_t period, since, notified;	/* -1 when NULL */
};

static int cmp_stored(const void *a, const void *b)
{
	const struct stored *x = a, *y = b;
	int r = strcmp(x->rule, y->rule);

	return r ? r : strcmp(x->unit, y->unit);
}

static enum severity sev_parse(const unsigned char *s)
{
	if (!s)
		return SEV_NONE;
	if (!strcmp((const char *)s, "critical"))
		return SEV_CRITICAL;
	if (!strcmp((const char *)s, "warning"))
		return SEV_WARNING;
	return SEV_NONE;
}

static double col_real(sqlite3_stmt *q, int i)
{
	return sqlite3_column_type(q, i) == SQLITE_NULL ? NAN : sqlite3_column_double(q, i);
}

static int32_t col_period(sqlite3_stmt *q, int i)
{
	return sqlite3_column_type(q, i) == SQLITE_NULL ? -1 : sqlite3_column_int(q, i);
}

static void stored_free(struct stored *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].rule);
		free(v[i].unit);
	}
	free(v);
}

static int stored_load(struct cyc *c, struct stored **out, size_t *nout)
{
	sqlite3_stmt *q;
	struct stored *v = NULL;
	size_t n = 0;
	int rc;

	if (sqlite3_prepare_v2(c->db, "SELECT id, rule, unit, active, severity, value,"
	    " threshold, period, since, notified_period, acked_by FROM alert", -1, &q,
	    NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct stored *nv = realloc(v, (n + 1) * sizeof(*nv));
		if (!nv)
			break;
		v = nv;
		v[n] = (struct stored){
			.id = sqlite3_column_int64(q, 0),
			.rule = strdup((const char *)sqlite3_column_text(q, 1)),
			.unit = strdup((const char *)sqlite3_column_text(q, 2)),
			.active = sqlite3_column_int(q, 3) != 0,
			.sev = sev_parse(sqlite3_column_text(q, 4)),
			.value = col_real(q, 5),
			.threshold = col_real(q, 6),
			.period = col_period(q, 7),
			.since = col_period(q, 8),
			.notified = col_period(q, 9),
			.acked = sqlite3_column_type(q, 10) != SQLITE_NULL,
		};
		n++;
		if (!v[n - 1].rule || !v[n - 1].unit)
			break;
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE) {
		stored_free(v, n);
		return -1;
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_stored);
	*out = v;
	*nout = n;
	return 0;
}

static bool same_real(double a, double b)
{
	return (isnan(a) && isnan(b)) || a == b;
}

static char *labels_json(const struct rule *r)
{
	json_t *o = json_object();
	char *s;

	for (size_t i = 0; i < r->nlabels; i++)
		json_object_set_new(o, r->labels[i].key, json_string(r->labels[i].value));
	s = json_dumps(o, JSON_PRESERVE_ORDER | JSON_COMPACT);
	json_decref(o);
	return s;
}

static char *history_json(const struct cyc *c, const struct series *s,
    uint32_t rule, uint32_t unit, int32_t at)
{
	double h[HISTORY_PERIODS];
	json_t *a = json_array();
	char pb[PERIOD_BUFSZ], *out;

	engine_history(c->rs, s, c->cfg->min_headcount, rule, unit, at,
	    HISTORY_PERIODS, h);
	for (int i = 0; i < HISTORY_PERIODS; i++) {
		json_t *pair = json_array();
		json_array_append_new(pair, json_string(period_format(s->gran,
		    at - HISTORY_PERIODS + 1 + i, pb)));
		json_array_append_new(pair, isnan(h[i]) ? json_null() : json_real(h[i]));
		json_array_append_new(a, pair);
	}
	out = json_dumps(a, JSON_REAL_PRECISION(15));
	json_decref(a);
	return out;
}

/* Everything known about one transition before it is recorded. */
struct trans {
	const char *kind;
	const struct rule *r;	/* NULL when the rule left the rule set */
	uint32_t ri, ui;	/* rule and unit indices (with r) */
	const char *rule, *unit;
	int64_t alert;
	enum severity sev, prev;
	double value, threshold;
	int32_t since;
};

static int record_transition(struct cyc *c, const struct series *s, int32_t at,
    const struct silence_set *sil, const struct trans *t)
{
	char pb[PERIOD_BUFSZ], sb[PERIOD_BUFSZ];
	char *summary = NULL, *labels = NULL, *history = NULL;
	bool silenced = alertdb_silenced(sil, t->rule, t->unit);
	int64_t ev;
	int rc = 0;

	period_format(s->gran, at, pb);
	if (t->r) {
		struct template_vars tv = {
			.unit = t->unit,
			.period = pb,
			.since = t->since >= 0 ? period_format(s->gran, t->since, sb) : NULL,
			.severity = t->sev,
			.value = t->value,
			.threshold = t->threshold,
		};
		if (!tv.since)
			tv.since = tv.period;
		summary = rule_render_summary(t->r, &tv, c->cfg->locale);
		labels = labels_json(t->r);
		history = history_json(c, s, t->ri, t->ui, at);
	}
	struct event_in e = {
		.alert = t->alert, .kind = t->kind, .rule = t->rule, .unit = t->unit,
		.period = at, .since = t->since, .sev = t->sev, .prev = t->prev,
		.value = t->value, .threshold = t->threshold,
		.title = t->r ? t->r->title : NULL, .summary = summary,
		.guidance = t->r ? t->r->guidance : NULL, .labels = labels,
		.history = history, .decimals = t->r ? t->r->decimals : -1,
		.silenced = silenced,
	};
	ev = event_insert(c, &e);
	if (ev < 0)
		rc = -1;
	else if (!silenced && t->r && route_alert_event(c, ev, t->r, t->unit) != 0)
		rc = -1;
	if (rc == 0)
		log_alert(!strcmp(t->kind, "resolved") ? LOG_NOTICE : LOG_WARNING,
		    t->rule, t->unit, t->kind, "%s@%s %s%s%s at %s%s", t->rule, t->unit,
		    t->kind, t->sev ? " " : "", t->sev ? severity_name(t->sev) : "",
		    pb,
		    silenced ? " (silenced)" : "");
	free(summary);
	free(labels);
	free(history);
	return rc;
}

/* The new content of one alert row. */
struct alert_row {
	bool active;
	enum severity sev;
	double value, threshold;
	int32_t period, since, notified;
	bool clear_ack;
};

static int alert_write(struct cyc *c, const char *rule, const char *unit,
    int64_t id, const struct alert_row *a, int64_t *newid)
{
	sqlite3_stmt *q;

	if (ensure_cycle_row(c) != 0)
		return -1;
	if (id == 0) {
		if (sqlite3_prepare_v2(c->db, "INSERT INTO alert(active, severity, value,"
		    " threshold, period, since, notified_period, updated_at, rule, unit)"
		    " VALUES(?,?,?,?,?,?,?,?,?,?)", -1, &q, NULL) != SQLITE_OK)
			return -1;
	} else if (sqlite3_prepare_v2(c->db, "UPDATE alert SET active = ?, severity = ?,"
	    " value = ?, threshold = ?, period = ?, since = ?, notified_period = ?,"
	    " updated_at = ?, acked_by = CASE WHEN ?9 THEN NULL ELSE acked_by END,"
	    " acked_at = CASE WHEN ?9 THEN NULL ELSE acked_at END,"
	    " ack_note = CASE WHEN ?9 THEN NULL ELSE ack_note END WHERE id = ?10",
	    -1, &q, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int(q, 1, a->active);
	bind_text(q, 2, severity_name(a->sev));
	bind_real(q, 3, a->value);
	bind_real(q, 4, a->threshold);
	bind_period(q, 5, a->period);
	bind_period(q, 6, a->since);
	bind_period(q, 7, a->notified);
	sqlite3_bind_int64(q, 8, c->now);
	if (id == 0) {
		bind_text(q, 9, rule);
		bind_text(q, 10, unit);
	} else {
		sqlite3_bind_int(q, 9, a->clear_ack);
		sqlite3_bind_int64(q, 10, id);
	}
	if (step_done(q) != 0)
		return -1;
	if (newid)
		*newid = id ? id : sqlite3_last_insert_rowid(c->db);
	return 0;
}

static bool row_differs(const struct stored *o, const struct alert_row *a)
{
	return o->active != a->active || o->sev != a->sev ||
	    !same_real(o->value, a->value) || !same_real(o->threshold, a->threshold) ||
	    o->period != a->period || o->since != a->since ||
	    o->notified != a->notified || a->clear_ack;
}

/* Compares one evaluation row with its stored alert; records what changed. */
static int diff_row(struct cyc *c, const struct series *s, int32_t at,
    const struct silence_set *sil, struct stored *old, size_t nold,
    const struct eval_row *row, int *nevents, bool *wrote)
{
	const struct rule *r = &c->rs->rules[row->rule];
	const char *unit = s->units[row->unit];
	struct stored key = { .rule = r->id, .unit = (char *)unit };
	struct stored *o = nold ? bsearch(&key, old, nold, sizeof(*old), cmp_stored) : NULL;
	bool was = o && o->active;
	enum severity prev = was ? o->sev : SEV_NONE;
	const char *kind = NULL;
	struct alert_row a;

	if (o)
		o->seen = true;
	if (!row->active && !was)
		return 0;	/* inactive rows are only stored once they fired */
	if (row->active) {
		a = (struct alert_row){
			.active = true, .sev = row->severity, .value = row->value,
			.threshold = row->threshold, .period = at, .since = row->since,
			.notified = was ? o->notified : at, .clear_ack = false,
		};
		if (!was) {
			kind = "firing";
			/* A new episode: the previous acknowledgement was for
			 * the previous episode. */
			a.clear_ack = o && o->acked;
		} else if (row->severity > prev) {
			kind = "escalated";
		} else if (row->severity < prev) {
			kind = "deescalated";
		} else if (r->repeat_every > 0 && !o->acked &&
		    (o->notified < 0 || at - o->notified >= r->repeat_every)) {
			kind = "reminder";
		}
		if (kind)
			a.notified = at;
	} else {
		kind = "resolved";
		a = (struct alert_row){
			.active = false, .sev = SEV_NONE, .value = row->value,
			.threshold = r->clear, .period = at, .since = o->since,
			.notified = o->notified,
		};
	}
	int64_t id = o ? o->id : 0;
	if (!o || row_differs(o, &a)) {
		if (alert_write(c, r->id, unit, id, &a, &id) != 0)
			return -1;
		*wrote = true;
	}
	if (!kind)
		return 0;
	struct trans t = {
		.kind = kind, .r = r, .ri = row->rule, .ui = row->unit,
		.rule = r->id, .unit = unit, .alert = id,
		.sev = row->active ? row->severity : SEV_NONE, .prev = prev,
		.value = row->value,
		.threshold = row->active ? row->threshold : r->clear,
		.since = row->active ? row->since : o->since,
	};
	if (record_transition(c, s, at, sil, &t) != 0)
		return -1;
	(*nevents)++;
	*wrote = true;
	return 0;
}

/* An active alert that the evaluation no longer produces (its rule was
 * removed or disabled, or the unit left its scope) is resolved. */
static int resolve_orphan(struct cyc *c, const struct series *s, int32_t at,
    const struct silence_set *sil, const struct stored *o, int *nevents)
{
	const struct rule *r = ruleset_find(c->rs, o->rule);
	int32_t ui = s ? series_unit(s, o->unit) : -1;
	struct alert_row a = {
		.active = false, .sev = SEV_NONE, .value = NAN, .threshold = NAN,
		.period = at, .since = o->since, .notified = o->notified,
	};
	int64_t id = o->id;

	if (alert_write(c, o->rule, o->unit, o->id, &a, &id) != 0)
		return -1;
	struct trans t = {
		.kind = "resolved", .rule = o->rule, .unit = o->unit, .alert = o->id,
		.sev = SEV_NONE, .prev = o->sev, .value = NAN, .threshold = NAN,
		.since = o->since,
	};
	if (r && ui >= 0) {
		t.r = r;
		t.ri = (uint32_t)(r - c->rs->rules);
		t.ui = (uint32_t)ui;
	}
	if (record_transition(c, s, at, sil, &t) != 0)
		return -1;
	(*nevents)++;
	return 0;
}

static int meta_differs(struct store *st, const char *key, const char *want)
{
	char *v = NULL;
	int r = store_meta_get(st, key, &v);
	int differs;

	if (r < 0)
		return -1;
	differs = r == 1 || strcmp(v, want) != 0;
	free(v);
	return differs;
}

static int evaluate(struct cyc *c, struct cycle_state *cs, struct cycle_report *rep)
{
	char gen[32];
	int dg, dr, dc;
	struct series *s = NULL;
	struct eval_row *rows = NULL;
	size_t nrows = 0, nold = 0;
	struct stored *old = NULL;
	struct silence_set sil = { 0 };
	int32_t at;
	int nevents = 0, rc = -1;
	bool wrote = false;

	snprintf(gen, sizeof(gen), "%lld", (long long)store_data_generation(c->st));
	dg = meta_differs(c->st, "last_eval_gen", gen);
	dr = meta_differs(c->st, "last_eval_rules", c->set->rules_hash);
	dc = meta_differs(c->st, "last_eval_config", c->set->cfg_hash);
	if (dg < 0 || dr < 0 || dc < 0)
		return -1;
	if (cs->evaluated && !dg && !dr && !dc) {
		rep->units = cs->units;
		return 0;	/* nothing changed: a no-op that writes nothing */
	}

	/* The evaluation is pure and may take a while: it runs before the
	 * write transaction, which then only compares and records. */
	if (store_load_series(c->st, &s) != 0) {
		log_err("cannot load the indicator series: %s", store_errmsg(c->st));
		return -1;
	}
	at = s->np > 0 ? s->p0 + s->np - 1 : -1;
	if (at >= 0 && engine_eval(c->rs, s, c->cfg->min_headcount, at, &rows, &nrows) != 0) {
		log_err("evaluation failed: out of memory");
		series_free(s);
		return -1;
	}
	rep->evaluated = true;
	rep->units = s->nunits;

	if (store_begin(c->st) != 0)
		goto out;
	if (stored_load(c, &old, &nold) != 0 ||
	    alertdb_silences_load(c->st, at, &sil) != 0)
		goto rollback;
	if (at >= 0) {
		for (size_t i = 0; i < nrows; i++)
			if (diff_row(c, s, at, &sil, old, nold, &rows[i], &nevents, &wrote) != 0)
				goto rollback;
		for (size_t i = 0; i < nold; i++)
			if (old[i].active && !old[i].seen) {
				if (resolve_orphan(c, s, at, &sil, &old[i], &nevents) != 0)
					goto rollback;
				wrote = true;
			}
	}
	if (dg && store_meta_set(c->st, "last_eval_gen", gen) != 0)
		goto rollback;
	if (dr && store_meta_set(c->st, "last_eval_rules", c->set->rules_hash) != 0)
		goto rollback;
	if (dc && store_meta_set(c->st, "last_eval_config", c->set->cfg_hash) != 0)
		goto rollback;
	if (!wrote && !dg && !dr && !dc) {
		/* Same inputs, same states: leave the database untouched. */
		store_rollback(c->st);
		rc = 0;
		goto out;
	}
	if (ensure_cycle_row(c) != 0)
		goto rollback;
	{
		sqlite3_stmt *q;
		if (sqlite3_prepare_v2(c->db, "UPDATE cycle SET period = ?, evaluated = 1,"
		    " transitions = transitions + ?, finished_at = ? WHERE id = ?", -1, &q,
		    NULL) != SQLITE_OK)
			goto rollback;
		bind_period(q, 1, at);
		sqlite3_bind_int(q, 2, nevents);
		sqlite3_bind_int64(q, 3, time(NULL));
		sqlite3_bind_int64(q, 4, c->cycle_id);
		if (step_done(q) != 0)
			goto rollback;
	}
	if (store_commit(c->st) != 0)
		goto rollback;
	rep->wrote = true;
	rep->transitions = nevents;
	rc = 0;
	goto out;
rollback:
	log_err("cannot record the evaluation: %s", store_errmsg(c->st));
	store_rollback(c->st);
	c->cycle_id = 0;
	c->nmsgs = 0;
out:
	if (rc == 0) {
		cs->evaluated = true;
		cs->units = s->nunits;
		cs->period = at;
	}
	alertdb_silences_free(&sil);
	stored_free(old, nold);
	free(rows);
	series_free(s);
	return rc;
}

/* ------------------------------------------------------- missing data */

static int stale_check(struct cyc *c)
{
	int64_t last = store_last_import_time(c->st);
	bool stale = last > 0 && c->now - last > c->cfg->stale_after_s;
	char *v = NULL, when[32], title[256], summary[512];
	bool was;
	int r = store_meta_get(c->st, "stale", &v);
	const char *role;

	if (r < 0)
		return -1;
	was = r == 0 && !strcmp(v, "1");
	free(v);
	if (stale == was)
		return 0;
	role = config_role(c->cfg, "ops") ? "ops" : "hr";
	alertdb_iso8601(last, when, sizeof(when));
	/* stale_after in the largest unit that writes it exactly. */
	static const struct { long s; const char *fr, *en; } units[] = {
		{ 86400, "jours", "days" }, { 3600, "heures", "hours" },
		{ 60, "minutes", "minutes" }, { 1, "secondes", "seconds" },
	};
	long after = c->cfg->stale_after_s;
	size_t k = 0;
	while (k + 1 < sizeof(units) / sizeof(units[0]) && after % units[k].s)
		k++;
	if (c->cfg->locale == LOC_FR) {
		snprintf(title, sizeof(title), stale ? "Données manquantes" :
		    "Données de nouveau reçues");
		snprintf(summary, sizeof(summary), stale ?
		    "Aucune donnée importée depuis %s (plus de %ld %s)." :
		    "Des données ont de nouveau été importées (%s).", when,
		    after / units[k].s, units[k].fr);
	} else {
		snprintf(title, sizeof(title), stale ? "Missing data" : "Data received again");
		snprintf(summary, sizeof(summary), stale ?
		    "No data imported since %s (more than %ld %s)." :
		    "Data was imported again (%s).", when, after / units[k].s, units[k].en);
	}
	if (store_begin(c->st) != 0)
		return -1;
	if (system_event(c, stale ? "stale" : "fresh", role, title, summary, true) != 0 ||
	    store_meta_set(c->st, "stale", stale ? "1" : "0") != 0 ||
	    store_commit(c->st) != 0) {
		store_rollback(c->st);
		c->cycle_id = 0;
		c->nmsgs = 0;
		return -1;
	}
	if (stale)
		log_warnx("no data imported since %s (stale_after: %ld s); %s notified",
		    when, c->cfg->stale_after_s, role);
	else
		log_info("data received again (last import %s)", when);
	return 0;
}

/* ---------------------------------------------------------------- cycle */

int cycle_run(struct store *st, const struct cycle_set *set,
    struct cycle_state *cs, bool force, time_t now,
    void (*tick)(void *), void *tick_arg, struct cycle_report *rep)
{
	struct cyc c = {
		.st = st, .db = store_db(st), .cfg = set->cfg, .rs = set->rs,
		.set = set, .now = now,
	};
	struct deliver_stats ds = { 0 };
	struct alertdb_counts cnt;
	struct timespec t0, t1;
	int rc = 0, pulled = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	*rep = (struct cycle_report){ .period = -1 };
	if (c.cfg->inbox && inbox_ingest(&c, rep) != 0)
		rc = -1;
	if (sources_pull(st, c.cfg, now, &pulled) != 0) {
		log_err("pull sources: database error: %s", store_errmsg(st));
		rc = -1;
	}
	rep->imported += pulled;
	if (evaluate(&c, cs, rep) != 0)
		rc = -1;
	if (stale_check(&c) != 0) {
		log_err("cannot record the missing-data state: %s", store_errmsg(st));
		rc = -1;
	}
	if (c.cycle_id) {
		/* The duration covers ingestion and evaluation, not delivery:
		 * the row is complete before any network wait. */
		sqlite3_stmt *q;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
		if (sqlite3_prepare_v2(c.db, "UPDATE cycle SET duration_ms = ? WHERE id = ?",
		    -1, &q, NULL) == SQLITE_OK) {
			sqlite3_bind_int64(q, 1, ms);
			sqlite3_bind_int64(q, 2, c.cycle_id);
			if (step_done(q) != 0)
				log_err("cannot record the cycle duration: %s", store_errmsg(st));
		}
	}
	free(c.msgs);
	if (deliver_pending(st, c.cfg, force, now, tick, tick_arg, &ds) != 0) {
		log_err("delivery: database error: %s", store_errmsg(st));
		rc = -1;
	}

	for (size_t i = 0; i < set->rs->n; i++)
		rep->rules += set->rs->rules[i].enabled;
	rep->period = store_latest_period(st);
	rep->last_import = store_last_import_time(st);
	if (!rep->evaluated)
		rep->units = cs->units;
	if (alertdb_counts(st, &cnt) == 0) {
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
		snprintf(buf + n, size - (size_t)n, ", %zu failed", r->failed);
}
