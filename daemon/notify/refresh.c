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
 * (refresh_merge): one POST per webhook per cycle (SPEC 9), not the
 * transitions and then the same alerts again. */
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

/* Whether active alert a goes to webhook `hook`: the routing of its
 * transitions (route.c). */
static bool refresh_reaches(const struct config *cfg, const struct ruleset *rs,
    const struct notice *a, const char *hook)
{
	const struct rule *rule;

	if (!a->rule)	/* vigie-stale-data */
		return route_system_reaches(cfg, route_missing_data_role(cfg), "webhook", hook);
	rule = rs ? ruleset_find(rs, a->rule) : NULL;
	return rule && a->unit && route_reaches(cfg, rule, a->unit, "webhook", hook);
}

void refresh_load(struct store *st, const struct config *cfg, const struct ruleset *rs,
    struct refresh *rf)
{
	struct notice *v = NULL;
	struct silence *sil = NULL;
	size_t n = 0, nsil = 0, keep = 0;
	bool any = false;

	for (size_t i = 0; i < cfg->nwebhooks; i++)
		any |= cfg->webhooks[i].format == WH_ALERTMANAGER;
	if (!any)
		return;
	if (store_active_notices(st, &v, &n) != 0 ||
	    store_silences_load(st, &sil, &nsil) != 0) {
		log_err("cannot read active alerts: %s", store_errmsg(st));
		notices_free(v, n);
		return;
	}
	/* A silence holds every notification of the alerts it covers, this
	 * one too (SPEC 9): they stay out of Alertmanager. */
	for (size_t i = 0; i < n; i++) {
		if (v[i].rule && v[i].unit &&
		    lifecycle_silenced(sil, nsil, v[i].rule, v[i].unit, v[i].pindex))
			notice_clear(&v[i]);
		else
			v[keep++] = v[i];
	}
	store_silences_free(sil, nsil);
	if (keep == 0) {
		free(v);
		return;
	}
	rf->v = v;
	rf->n = keep;
	rf->hooks = xcalloc(cfg->nwebhooks, sizeof(*rf->hooks));
	for (size_t i = 0; i < cfg->nwebhooks; i++) {
		struct refresh_hook *h = &rf->hooks[i];

		if (cfg->webhooks[i].format != WH_ALERTMANAGER)
			continue;
		for (size_t k = 0; k < keep; k++) {
			if (!refresh_reaches(cfg, rs, &v[k], cfg->webhooks[i].name))
				continue;
			h->idx = xreallocarray(h->idx, h->n + 1, sizeof(*h->idx));
			h->idx[h->n++] = k;
		}
		h->due = h->n > 0;
	}
}

void refresh_free(struct refresh *rf, size_t nhooks)
{
	notices_free(rf->v, rf->n);
	for (size_t i = 0; rf->hooks && i < nhooks; i++)
		free(rf->hooks[i].idx);
	free(rf->hooks);
}

ssize_t refresh_pending(const struct config *cfg, const struct refresh *rf,
    const char *channel, const char *name)
{
	if (!rf->hooks || strcmp(channel, "webhook"))
		return -1;
	for (size_t i = 0; i < cfg->nwebhooks; i++)
		if (rf->hooks[i].due && !strcmp(cfg->webhooks[i].name, name))
			return (ssize_t)i;
	return -1;
}

/* The order in which a message notice m "already says" what the refresh
 * says of active alert a when they compare equal: the same system event,
 * or the same alert at the same severity. */
static int said_cmp(const void *pa, const void *pb)
{
	const struct notice *a = *(const struct notice *const *)pa;
	const struct notice *b = *(const struct notice *const *)pb;
	int c;

	if ((c = (a->rule != NULL) - (b->rule != NULL)) != 0)
		return c;
	if (!a->rule)
		return strcmp(a->kind, b->kind);
	if ((c = strcmp(a->rule, b->rule)) != 0 || (c = strcmp(a->unit, b->unit)) != 0)
		return c;
	return strcmp(a->severity, b->severity);
}

/* Whether said_cmp can compare x: a system event, or an alert with its
 * unit and severity. */
static bool comparable(const struct notice *x)
{
	return !x->rule || (x->unit && x->severity);
}

/* The message's notices are sorted (pointers to them) and looked up, not
 * compared pair by pair: a first cycle at 10,000 teams has 175,000 of
 * them and as many active alerts, and pair by pair took hours. */
void refresh_merge(const struct refresh *rf, size_t hook, struct notice **v,
    size_t *n)
{
	const struct refresh_hook *h = &rf->hooks[hook];
	size_t own = *n, k = *n, nsaid = 0;
	const struct notice **said;

	*v = xreallocarray(*v, own + h->n, sizeof(**v));
	said = xreallocarray(NULL, own + 1, sizeof(*said));
	for (size_t j = 0; j < own; j++) {
		const struct notice *m = &(*v)[j];

		if (strcmp(m->kind, "resolved") && strcmp(m->kind, "fresh") && comparable(m))
			said[nsaid++] = m;
	}
	qsort(said, nsaid, sizeof(*said), said_cmp);
	for (size_t i = 0; i < h->n; i++) {
		const struct notice *a = &rf->v[h->idx[i]];

		if (!comparable(a) || !bsearch(&a, said, nsaid, sizeof(*said), said_cmp))
			(*v)[k++] = *a;
	}
	free(said);
	*n = k;
}

struct xfer *refresh_alone(const struct config *cfg, struct secrets *sec,
    const struct refresh *rf, size_t i, time_t now, progress_fn *tick, void *tick_arg)
{
	const struct webhook_config *w = &cfg->webhooks[i];
	const struct refresh_hook *h = &rf->hooks[i];
	struct notice *v = xreallocarray(NULL, h->n, sizeof(*v));	/* shallow */
	struct xfer *x;
	char uid[96];

	for (size_t k = 0; k < h->n; k++)
		v[k] = rf->v[h->idx[k]];
	snprintf(uid, sizeof(uid), "refresh-%lld-%zu", (long long)now, i);
	x = send_prepare(cfg, sec, "webhook", w->name, uid, v, h->n, NULL, 0,
	    tick, tick_arg);
	free(v);
	if (x->t.h)
		return x;
	log_warnx("alertmanager refresh of %s failed: %s", w->name, x->res.error);
	send_free(x);
	return NULL;
}

