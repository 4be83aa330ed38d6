/* The refresh of Alertmanager webhooks (notify_impl.h), read by the
 * outbox delivery (deliver.c).
 *
 * Alertmanager forgets an alert that is not sent again before its endsAt,
 * and the outbox sends an alert only when it changes. So every run also
 * posts each active alert, and vigie-stale-data while data is missing, to
 * the Alertmanager webhooks its transitions go to, with endsAt three
 * intervals ahead. Which ones is the routing of the cycle (route.c), asked
 * of each webhook: a rule's roles (or the default ones), the first route
 * whose scope matches the unit; for vigie-stale-data, the missing-data
 * role's route covering every unit. A webhook outside them never hears of
 * the alert (SPEC 9), nor of a confidential indicator's (SPEC 3); an alert
 * whose rule left the rule set, which no routing gives, neither. A missed
 * cycle or two does not resolve anything, and an alert that Vigie resolved
 * while Alertmanager was down ends by itself. This is state
 * synchronisation, idempotent: alone, outside the outbox, a failure is only
 * logged and the next cycle repairs it. When the webhook has an outbox
 * message due in the run, the refresh rides in that message's POST instead
 * (webhook_file.c): one POST per webhook per cycle (SPEC 9), not the
 * transitions and then the same alerts again. Nothing of it is held in
 * memory but the silences and what the message already says: the active
 * alerts are read from the store one at a time, as they are written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "notify_impl.h"
#include "vigie/lifecycle.h"
#include "vigie/log.h"
#include "vigie/route.h"
#include "vigie/store_alerts.h"
#include "vigie/store_silences.h"
#include "vigie/xalloc.h"

void refresh_load(struct store *st, const struct config *cfg, const struct ruleset *rs,
    struct refresh *rf)
{
	bool any = false;

	*rf = (struct refresh){ .cfg = cfg, .rs = rs, .st = st };
	for (size_t i = 0; i < cfg->nwebhooks; i++)
		any |= cfg->webhooks[i].format == WH_ALERTMANAGER;
	if (!any)
		return;
	if (store_silences_load(st, &rf->sil, &rf->nsil) != 0) {
		log_err("cannot read the silences: %s; Alertmanager is not refreshed",
		    store_errmsg(st));
		return;
	}
	rf->due = xcalloc(cfg->nwebhooks, sizeof(*rf->due));
	for (size_t i = 0; i < cfg->nwebhooks; i++)
		rf->due[i] = cfg->webhooks[i].format == WH_ALERTMANAGER;
}

void refresh_free(struct refresh *rf)
{
	store_silences_free(rf->sil, rf->nsil);
	free(rf->due);
}

ssize_t refresh_pending(const struct refresh *rf, const char *channel, const char *name)
{
	if (!rf->due || strcmp(channel, "webhook"))
		return -1;
	for (size_t i = 0; i < rf->cfg->nwebhooks; i++)
		if (rf->due[i] && !strcmp(rf->cfg->webhooks[i].name, name))
			return (ssize_t)i;
	return -1;
}

bool refresh_wants(const struct refresh *rf, size_t hook, const struct notice *a)
{
	const char *name = rf->cfg->webhooks[hook].name;
	const struct rule *rule;

	if (!a->rule)	/* vigie-stale-data */
		return route_system_reaches(rf->cfg, route_missing_data_role(rf->cfg),
		    "webhook", name);
	/* A silence holds every notification of the alerts it covers, this
	 * one too (SPEC 9): they stay out of Alertmanager. */
	if (!a->unit || lifecycle_silenced(rf->sil, rf->nsil, a->rule, a->unit, a->pindex))
		return false;
	rule = rf->rs ? ruleset_find(rf->rs, a->rule) : NULL;
	if (!rule || !route_reaches(rf->cfg, rule, a->unit, "webhook", name))
		return false;
	/* An inhibition (inhibited_by) holds it for the receivers of the
	 * alert that covers it: not sent apart while that one is active. */
	if (rule->ninhibited_by) {
		const struct rule **by = xcalloc(rule->ninhibited_by, sizeof(*by));
		size_t nby = rule_inhibitors(rf->rs, rule, a->unit, store_alert_active,
		    rf->st, by);
		bool covered = false;

		for (size_t k = 0; k < nby && !covered; k++)
			covered = route_reaches(rf->cfg, by[k], a->unit, "webhook", name);
		free(by);
		return !covered;
	}
	return true;
}

/* ---- what a message already says ------------------------------------- */

/* A notice's key: "\x01rule\x1funit\x1fseverity" for an alert,
 * "\x02kind" for a system event; NULL when it says nothing of an alert
 * still on (a resolution, data back) or lacks a unit or a severity. */
static char *said_key(const struct notice *x, bool as_message)
{
	if (as_message && (!strcmp(x->kind, "resolved") || !strcmp(x->kind, "fresh")))
		return NULL;
	if (!x->rule)
		return xasprintf("\x02%s", x->kind);
	if (!x->unit || !x->severity)
		return NULL;
	return xasprintf("\x01%s\x1f%s\x1f%s", x->rule, x->unit, x->severity);
}

static int key_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void said_add(struct said *s, const struct notice *m)
{
	char *k = said_key(m, true);

	if (!k)
		return;
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->keys = xreallocarray(s->keys, s->cap, sizeof(*s->keys));
	}
	s->keys[s->n++] = k;
	s->sorted = false;
}

/* Looked up in the sorted keys, not compared one by one: a first cycle at
 * 10,000 teams has 175,000 of them and as many active alerts, and pair by
 * pair took more than 15 minutes. */
bool said_has(struct said *s, const struct notice *a)
{
	char *k = said_key(a, false);
	bool found;

	if (!k)
		return false;
	if (!s->sorted && s->n)
		qsort(s->keys, s->n, sizeof(*s->keys), key_cmp);
	s->sorted = true;
	found = s->n && bsearch(&k, s->keys, s->n, sizeof(*s->keys), key_cmp);
	free(k);
	return found;
}

void said_free(struct said *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->keys[i]);
	free(s->keys);
	*s = (struct said){ 0 };
}

/* ---- alone ----------------------------------------------------------- */

struct xfer *refresh_alone(struct store *st, struct secrets *sec, const struct refresh *rf,
    size_t i, time_t now, struct recheck *rc, progress_fn *tick, void *tick_arg)
{
	const struct webhook_config *w = &rf->cfg->webhooks[i];
	struct webhook_render r = webhook_render_of(w, rf->cfg, time(NULL));
	struct xfer *x;
	size_t count = 0;
	char uid[96], why[200];
	FILE *body = webhook_file(st, rf->cfg->database, &r, 0, rf, (ssize_t)i, rc,
	    &count, why, sizeof(why));

	if (!body) {
		log_warnx("alertmanager refresh of %s failed: %s", w->name, why);
		return NULL;
	}
	if (count == 0) {	/* nothing active goes to it */
		fclose(body);
		return NULL;
	}
	snprintf(uid, sizeof(uid), "refresh-%lld-%zu", (long long)now, i);
	x = send_prepare(rf->cfg, sec, "webhook", w->name, uid, NULL, 0, body, 0,
	    tick, tick_arg);
	if (x->t.h)
		return x;
	log_warnx("alertmanager refresh of %s failed: %s", w->name, x->res.error);
	send_free(x);
	return NULL;
}
