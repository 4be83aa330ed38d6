/* Delivery of the outbox. The cycle writes `message` rows (one email to one
 * address, or one POST to one webhook, per cycle) in the same transaction as
 * the transitions; this file reads the due ones back from the store, has
 * send.c send them side by side, and records every attempt. Success is
 * committed as soon as a transfer completes, before anything else runs, so
 * a delivered message is never sent again unless the process dies between
 * the server's answer and that commit; a message sent in parts records each
 * part as it arrives. Retryable failures back off (retry.c); after 48 h a
 * message is marked failed and logged as an error. A failure that only the
 * configuration can fix (a secret, the sender, authentication, an unknown
 * webhook) is held with the fingerprint of that configuration and requeued
 * by the first run that finds it changed, or, within its 48 h, an hour
 * after it failed (the fix may have been made elsewhere), with what waits
 * for the same target; a sender refused by the SMTP server holds every
 * email of the run at once. An email's digest also gets the unchanged
 * alerts its parents' alerts fold into (context.c, SPEC 16), read when it
 * is composed, and, at its end, the alerts open for long that no one has
 * taken in charge (context.c). Alertmanager also gets every
 * active alert that its routing gives it, and the missing-data alert,
 * again at each run (refresh.c): in the POST of its outbox message when one
 * is due, else alone, outside the outbox. A generic or Alertmanager
 * webhook's message goes from the store to a file and from there to its
 * receiver (webhook_file.c).
 * Messages to one address or webhook go in the order they were written, one
 * at a time: a later one starts when the earlier one was delivered, and
 * waits for the next run when it was not (the store keeps that order across
 * runs), so that a retried firing never arrives after its resolution and
 * reopens it in Alertmanager. Different targets go side by side. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "notify_impl.h"
#include "vigie/log.h"
#include "vigie/retry.h"
#include "vigie/store_outbox.h"
#include "vigie/xalloc.h"

struct run {
	struct store *st;
	const struct config *cfg;
	const struct ruleset *rs;	/* for the context of digests and the
					   routing of the refresh, or NULL */
	struct deliver_stats *stats;
	time_t now, t0;
	int rc;
	progress_fn *tick;
	void *tick_arg;
	struct recheck today;	/* today's data, for what an earlier
				   evaluation wrote (recheck.c) */
	int64_t evaluated;	/* store_evaluated_cycle */
	bool smtp_held;		/* the SMTP configuration failed this run */
	struct send_result smtp_res;	/* how */
	struct lane *lanes;	/* one per channel and target met in the run */
	size_t nlanes;
};

/* The messages of one channel and target in a run: one in flight at a
 * time, and none after one that was not delivered. */
enum lane_state { LANE_FREE, LANE_BUSY, LANE_STOPPED };
struct lane {
	const char *channel, *target;	/* the due list's */
	enum lane_state state;
};

static struct lane *lane_find(struct run *r, const char *channel, const char *target)
{
	for (size_t i = 0; i < r->nlanes; i++)
		if (!strcmp(r->lanes[i].channel, channel) && !strcmp(r->lanes[i].target, target))
			return &r->lanes[i];
	return NULL;
}

/* The lane of a message of the due list (whose strings it keeps). */
static struct lane *lane_of(struct run *r, const char *channel, const char *target)
{
	struct lane *l = lane_find(r, channel, target);

	if (l)
		return l;
	r->lanes = xreallocarray(r->lanes, r->nlanes + 1, sizeof(*r->lanes));
	r->lanes[r->nlanes] = (struct lane){ channel, target, LANE_FREE };
	return &r->lanes[r->nlanes++];
}

/* Records one attempt and its outcome, in its own transaction. */
static void record(struct run *r, struct xfer *x)
{
	time_t cur = r->now + (time(NULL) - r->t0);
	const struct send_result *res = &x->res;
	int bad;

	if (res->ok) {
		bad = store_outbox_record(r->st, x->msg_id, cur, OUTBOX_SENT, res->status,
		    NULL, 0);
		r->stats->sent++;
		log_info("notification %lld sent by %s to %s", (long long)x->msg_id,
		    x->channel, x->target);
	} else if (res->config) {
		char fp[65];

		send_fingerprint(r->cfg, x->channel, x->target, fp);
		bad = store_outbox_record_config(r->st, x->msg_id, cur, res->status,
		    res->error, fp, cur + RETRY_MAX_S);
		r->stats->failed++;
		log_err("notification %lld by %s to %s failed, held until the configuration "
		    "changes (or vigie retry), tried again in an hour: %s", (long long)x->msg_id,
		    x->channel, x->target, res->error);
	} else if (res->retryable && !retry_gives_up(x->created_at, cur)) {
		int64_t next = retry_next(x->attempts + 1, res->retry_after,
		    x->created_at, cur);

		bad = store_outbox_record(r->st, x->msg_id, cur, OUTBOX_RETRY, res->status,
		    res->error, next);
		r->stats->retried++;
		log_warnx("notification %lld by %s to %s not delivered, retry in %lld s: %s",
		    (long long)x->msg_id, x->channel, x->target, (long long)(next - cur),
		    res->error);
	} else {
		bad = store_outbox_record(r->st, x->msg_id, cur, OUTBOX_FAILED, res->status,
		    res->error, 0);
		r->stats->failed++;
		if (res->retryable)
			log_err("notification %lld by %s to %s failed: still undelivered 48 h "
			    "after it was created, giving up: %s", (long long)x->msg_id,
			    x->channel, x->target, res->error);
		else
			log_err("notification %lld by %s to %s failed: %s", (long long)x->msg_id,
			    x->channel, x->target, res->error);
	}
	if (bad) {
		log_err("cannot record delivery of notification %lld: %s",
		    (long long)x->msg_id, store_errmsg(r->st));
		r->rc = -1;
	}
}

/* A part of a message arrived: recorded at once, so that a retry resumes
 * after it. */
static void on_part(struct xfer *x, void *arg)
{
	struct run *r = arg;

	if (x->msg_id && store_outbox_progress(r->st, x->msg_id, (int)x->part) != 0) {
		log_err("cannot record part %zu of notification %lld: %s", x->part,
		    (long long)x->msg_id, store_errmsg(r->st));
		r->rc = -1;
	}
}

/* Messages held for a configuration reason go back in the queue when the
 * configuration of their channel is no longer the one they failed with,
 * and, within their 48 hours, an hour after they last failed: the fix may
 * have been made on the server. */
static void requeue_held(struct run *r)
{
	struct outbox_held *v = NULL;
	size_t n = 0;
	int k;

	if (store_outbox_held(r->st, &v, &n) != 0) {
		log_err("cannot read the notifications held: %s", store_errmsg(r->st));
		r->rc = -1;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		char fp[65];

		send_fingerprint(r->cfg, v[i].channel, v[i].target, fp);
		if (!strcmp(fp, v[i].fingerprint))
			continue;
		if ((k = store_outbox_requeue_held(r->st, v[i].channel, v[i].target, fp,
		    r->now)) < 0) {
			log_err("cannot requeue notifications to %s: %s", v[i].target,
			    store_errmsg(r->st));
			r->rc = -1;
		} else if (k > 0) {
			log_info("%d notification%s by %s to %s requeued: its configuration "
			    "changed", k, k > 1 ? "s" : "", v[i].channel, v[i].target);
		}
	}
	store_outbox_held_free(v, n);
	if ((k = store_outbox_probe_held(r->st, r->now, RETRY_GIVE_UP_S)) < 0) {
		log_err("cannot requeue the notifications held: %s", store_errmsg(r->st));
		r->rc = -1;
	} else if (k > 0) {
		log_info("%d notification%s held for a configuration reason tried again: an "
		    "hour has passed, or a newer one to the same target is due", k,
		    k > 1 ? "s" : "");
	}
}

static void on_done(struct xfer *x, void *arg)
{
	struct run *r = arg;
	struct lane *l = x->msg_id ? lane_find(r, x->channel, x->target) : NULL;

	if (l)
		l->state = x->res.ok ? LANE_FREE : LANE_STOPPED;

	/* Abandoned because we are asked to stop: not an attempt. The claim
	 * goes, the message stays as it was, due for the next run. */
	if (x->res.abandoned) {
		if (!x->msg_id) {
			log_debug("alertmanager refresh of %s abandoned: stopping", x->target);
		} else if (store_outbox_release(r->st, x->msg_id) != 0) {
			log_err("cannot release the claim on notification %lld: %s",
			    (long long)x->msg_id, store_errmsg(r->st));
			r->rc = -1;
		} else {
			log_info("notification %lld by %s to %s abandoned: stopping; it is "
			    "attempted at the next run", (long long)x->msg_id, x->channel,
			    x->target);
		}
		return;
	}
	/* A refused sender, session or login is the same for every email of
	 * the run: the others are held without asking the server again. */
	if (x->is_mail && !x->res.ok && x->res.config && !r->smtp_held) {
		r->smtp_held = true;
		r->smtp_res = x->res;
	}
	if (x->msg_id)
		record(r, x);
	else if (!x->res.ok)
		log_warnx("alertmanager refresh of %s failed: %s", x->target, x->res.error);
}

/* The data a message (NULL: the active alerts) is to be checked against,
 * or NULL when the evaluation that wrote it saw today's. */
static struct recheck *stale(struct run *r, const struct outbox_due *d)
{
	if (r->evaluated > 0 && (!d || d->cycle >= r->evaluated))
		return NULL;
	return &r->today;
}

/* Who took an alert in charge is said to the roles that see the alert
 * in the console, as its pages say it to them (vigie-web(8)): those its
 * rule notifies today; never a note. */
static void followed_by(const struct run *r, struct notice *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct rule *ru = r->rs && v[i].rule ? ruleset_find(r->rs, v[i].rule) : NULL;

		if (v[i].taken_by && !(ru && v[i].role &&
		    config_rule_notifies(r->cfg, ru, v[i].role))) {
			free(v[i].taken_by);
			v[i].taken_by = NULL;
		}
	}
}

struct feed {
	struct run *r;
	struct secrets *sec;
	struct outbox_due *due;
	size_t ndue;
	bool *taken;		/* per due message: started, or left for later */
	struct refresh rf;	/* lone refreshes go once the outbox is done */
};

/* The first due message that may start now: the oldest not taken of a
 * lane with nothing in flight. A lane stopped by a failure leaves the rest
 * of its messages for the next run. NULL when none may, for now; else
 * the message, with its lane in *lp. */
static const struct outbox_due *feed_pick(struct feed *f, struct lane **lp)
{
	for (size_t i = 0; i < f->ndue; i++) {
		struct lane *l;

		if (f->taken[i])
			continue;
		l = lane_of(f->r, f->due[i].channel, f->due[i].target);
		if (l->state == LANE_BUSY)
			continue;	/* later messages of this lane wait behind it */
		f->taken[i] = true;
		if (l->state == LANE_STOPPED)
			continue;
		*lp = l;
		return &f->due[i];
	}
	return NULL;
}

static struct xfer *feed_next(void *arg)
{
	struct feed *f = arg;
	const struct outbox_due *d;
	struct lane *l;

	while ((d = feed_pick(f, &l)) != NULL) {
		struct notice *v = NULL;
		size_t n = 0, count;
		const struct webhook_config *w;
		FILE *body = NULL;
		char why[200];
		struct xfer *x;
		ssize_t am = -1;
		int claimed;

		/* Claimed first, in its own transaction: two processes never
		 * send the same message (SPEC 8). */
		claimed = store_outbox_claim(f->r->st, d->id, f->r->now +
		    (time(NULL) - f->r->t0), OUTBOX_CLAIM_LEASE_S);
		if (claimed == 0)
			continue;	/* sent meanwhile, or being sent elsewhere */
		if (claimed < 0) {
			log_err("cannot claim notification %lld: %s; it is attempted at "
			    "the next cycle", (long long)d->id, store_errmsg(f->r->st));
			f->r->rc = -1;
			continue;
		}
		if (f->r->smtp_held && !strcmp(d->channel, "email")) {
			struct xfer held = { .msg_id = d->id, .attempts = d->attempts,
			    .created_at = (time_t)d->created_at, .target = d->target,
			    .channel = "email", .is_mail = true, .res = f->r->smtp_res };

			record(f->r, &held);
			l->state = LANE_STOPPED;
			continue;
		}
		/* A generic or Alertmanager webhook's message (with, for
		 * Alertmanager, its refresh) goes from the store to a file and
		 * from there to the receiver, never whole in memory
		 * (webhook_file.c); the others are rendered from their notices. */
		w = !strcmp(d->channel, "webhook") ? config_webhook(f->r->cfg, d->target) : NULL;
		if (w && webhook_streamed(w->format)) {
			struct webhook_render rr = webhook_render_of(w, f->r->cfg, time(NULL));
			struct xfer failed = { .msg_id = d->id, .attempts = d->attempts,
			    .created_at = (time_t)d->created_at, .target = d->target,
			    .channel = "webhook" };

			am = refresh_pending(&f->rf, d->channel, d->target);
			/* A full disk: an attempt that failed, retried later. */
			if (!(body = webhook_file(f->r->st, f->r->cfg->database, &rr, d->id,
			    &f->rf, am, stale(f->r, d), &count, why, sizeof(why)))) {
				send_fail(&failed.res, true, "%s", why);
				record(f->r, &failed);
				l->state = LANE_STOPPED;
				continue;
			}
		} else if (store_outbox_notices(f->r->st, d->id, &v, &n) != 0) {
			log_err("cannot read notification %lld: %s", (long long)d->id,
			    store_errmsg(f->r->st));
			f->r->rc = -1;
			l->state = LANE_STOPPED;
			continue;
		}
		followed_by(f->r, v, n);
		/* A digest also shows the unchanged alerts that host its
		 * parents' (SPEC 16; context.c); a failure to read them costs
		 * the folding, not the message. */
		if (!strcmp(d->channel, "email") && context_add(f->r->st, f->r->cfg, f->r->rs,
		    d->id, d->target, &v, &n) != 0)
			log_err("cannot read the alerts that notification %lld folds into: %s",
			    (long long)d->id, store_errmsg(f->r->st));
		/* And the alerts its alerts cover (inhibited_by; covered.c),
		 * one line each: a failure costs those lines. */
		if (!strcmp(d->channel, "email") && covered_add(f->r->st, f->r->cfg, f->r->rs,
		    d->id, d->target, &v, &n) != 0)
			log_err("cannot read the alerts that notification %lld covers: %s",
			    (long long)d->id, store_errmsg(f->r->st));
		/* An alert shown as it stands whose latest event is older
		 * than its period: its figures of now, from today's data. */
		for (size_t i = 0; i < n; i++)
			recheck_restate(&f->r->today, &v[i]);
		for (size_t i = 0; i < n && stale(f->r, d); i++)
			if (recheck_notice(stale(f->r, d), &v[i])) {
				free(v[i].summary);
				v[i].summary = NULL;
			}
		/* Then the alerts nobody took in charge (context.c): as they
		 * are now, with no figure to check. A failure to read them
		 * costs that list, not the message. */
		if (!strcmp(d->channel, "email") && unowned_add(f->r->st, f->r->cfg, f->r->rs,
		    d->id, d->target, &v, &n) != 0)
			log_err("cannot read the alerts without follow-up for notification %lld: %s",
			    (long long)d->id, store_errmsg(f->r->st));
		x = send_prepare(f->r->cfg, f->sec, d->channel, d->target, d->uid, v, n, body,
		    (size_t)d->parts_sent, f->r->tick, f->r->tick_arg);
		notices_free(v, n);
		/* The refresh goes with this POST; if nothing is posted, alone. */
		if (am >= 0 && x->t.h)
			f->rf.due[am] = false;
		x->msg_id = d->id;
		x->attempts = d->attempts;
		x->created_at = (time_t)d->created_at;
		x->on_part = on_part;
		x->on_part_arg = f->r;
		if (x->t.h) {
			l->state = LANE_BUSY;
			return x;
		}
		/* Cannot even be prepared: recorded now, the others go on. */
		record(f->r, x);
		send_free(x);
		l->state = LANE_STOPPED;
	}
	/* Messages wait behind one in flight: asked again when it is done. */
	for (size_t i = 0; i < f->ndue; i++)
		if (!f->taken[i])
			return NULL;
	while (f->rf.due && f->rf.next < f->r->cfg->nwebhooks) {
		size_t i = f->rf.next++;
		struct xfer *x;

		if (f->rf.due[i] && (x = refresh_alone(f->r->st, f->sec, &f->rf, i, f->r->now,
		    stale(f->r, NULL), f->r->tick, f->r->tick_arg)))
			return x;
	}
	return NULL;
}

int deliver_pending(struct store *st, const struct config *cfg,
    const struct ruleset *rs, bool force, time_t now, progress_fn *tick,
    void *tick_arg, struct deliver_stats *stats)
{
	struct run r = { .st = st, .cfg = cfg, .rs = rs, .stats = stats, .now = now,
	    .t0 = time(NULL), .rc = 0, .tick = tick, .tick_arg = tick_arg };
	struct feed f = { .r = &r };
	struct secrets sec;
	int64_t pending, back;

	*stats = (struct deliver_stats){ 0 };
	recheck_init(&r.today, st, cfg, rs);
	if ((r.evaluated = store_evaluated_cycle(st)) < 0) {
		log_err("cannot read the last evaluation: %s", store_errmsg(st));
		r.evaluated = 0;	/* every message checked */
	}
	if ((back = store_outbox_clock(st, now)) < 0)
		log_err("cannot read the outbox's clock: %s", store_errmsg(st));
	else if (back > 0)
		log_warnx("the clock went back by %" PRId64 " s since the last delivery: "
		    "the next tries of the notifications waiting are moved back by as much",
		    back);
	secrets_init(&sec, cfg);
	f.sec = &sec;
	requeue_held(&r);
	if (retry_readdress_pending(st, cfg, rs, now) != 0)
		r.rc = -1;
	if (store_outbox_due(st, force, now, &f.due, &f.ndue) != 0) {
		log_err("cannot read the outbox: %s", store_errmsg(st));
		r.rc = -1;
		goto out;
	}
	refresh_load(st, cfg, rs, &f.rf);
	f.taken = xcalloc(f.ndue + 1, sizeof(*f.taken));
	send_run(feed_next, &f, tick, tick_arg, on_done, &r);
	free(f.taken);
	free(r.lanes);
	recheck_free(&r.today);
	refresh_free(&f.rf);
	store_outbox_due_free(f.due, f.ndue);
	if ((pending = store_outbox_pending(st)) >= 0)
		stats->pending = (int)pending;
out:
	secrets_free(&sec, cfg);
	return r.rc;
}

static struct xfer *one_next(void *arg)
{
	struct xfer **x = arg, *r = *x;

	*x = NULL;
	return r;
}

static void on_done_now(struct xfer *x, void *arg)
{
	*(struct send_result *)arg = x->res;
}

int deliver_send_now(const struct config *cfg, const char *channel,
    const char *target, const char *uid, const struct notice *v, size_t n,
    struct send_result *res)
{
	struct secrets sec;
	struct xfer *x;

	secrets_init(&sec, cfg);
	x = send_prepare(cfg, &sec, channel, target, uid, v, n, NULL, 0, NULL, NULL);
	if (x->t.h)
		send_run(one_next, &x, NULL, NULL, on_done_now, res);
	else {
		*res = x->res;
		send_free(x);
	}
	secrets_free(&sec, cfg);
	return res->ok ? 0 : -1;
}
