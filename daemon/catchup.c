/* Alerts already active, sent once to an address that a route now gives
 * them (daemon/cycle_impl.h). A recipient hears of an alert through its
 * transitions; without this, an address put on a route (a colleague taking
 * over a site, a new address for a role) would never hear of what was
 * already active there until it changed, and the shipped rules have no
 * repeat_every. As Alertmanager keys its notification log per receiver,
 * each address (or webhook) is owed the active alerts of its routes: one
 * that a route gives an active alert, by the rule's roles and the first
 * route whose scope matches its unit (route.c, as its transitions go), and
 * that no message not set aside carries an event of the alert's current
 * episode to (store_owed_told: pending, sent or failed, it was told or is
 * being told), gets the alert's latest notifying event in its digest of
 * this cycle, marked as sent for the first time to it; a transition of the
 * same cycle was queued before and counts, so it is never sent twice.
 * What a silence holds stays held (SPEC 9): an alert whose latest event a
 * silence held goes out when released (release.c, which runs first), one
 * a silence covers now waits for the silence to end. An inhibition
 * (inhibited_by) holds an alert for the addresses that the inhibiting
 * alert reaches: they are owed it once that alert ends (so the
 * inhibitors' active alerts are part of the fingerprint). Resolved alerts
 * are not caught up, nor posted to an Alertmanager webhook, which the refresh
 * gives every active alert at each run (refresh.c).
 *
 * It looks only when what decides it changed: the routing (the recipients
 * and each rule's roles), the silences in force or the units' names,
 * whose fingerprint is kept in meta('catchup') in the transaction that
 * queues what it owes, so that what it finds is queued once, also across
 * a crash or a restart; an idle cycle compares a hash. The first cycle of a database (or after an
 * upgrade to this version) records the fingerprint without looking: its
 * alerts went to its routes as they happened. Retention keeps the messages
 * of active alerts (retention.c), so that an address told long ago is not
 * told again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cycle_impl.h"
#include "vigie/log.h"
#include "vigie/retry.h"
#include "vigie/store_outbox.h"
#include "vigie/store_silences.h"
#include "vigie/xalloc.h"

/* Fields separated by a byte no configuration string holds. */
static void put(FILE *f, const char *s)
{
	fputs(s ? s : "", f);
	fputc('\x1f', f);
}

/* Whether some rule of rs has an inhibited_by. */
static bool inhibits_any(const struct ruleset *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		if (rs->rules[i].ninhibited_by)
			return true;
	return false;
}

/* Whether some rule of rs names rule `id` in its inhibited_by. */
static bool inhibits(const struct ruleset *rs, const char *id)
{
	for (size_t i = 0; i < rs->n; i++)
		if (rule_inhibited_by(&rs->rules[i], id))
			return true;
	return false;
}

/* Writes to f the active alerts of the rules that inhibit others. 0 or -1. */
static int inhibitors_active(struct cyc *c, FILE *f)
{
	struct alert_listing *v = NULL;
	size_t n = 0;

	fprintf(f, "inhibitors\x1e");
	if (!inhibits_any(c->rs))
		return 0;
	if (store_alerts_list(c->st, false, &v, &n) != 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (inhibits(c->rs, v[i].rule)) {
			put(f, v[i].rule);
			put(f, v[i].unit);
		}
	store_alerts_list_free(v, n);
	return 0;
}

/* The fingerprint of what decides who is owed what: every role's routes,
 * each rule's roles, the Alertmanager webhooks (not caught up), the
 * silences in force, the active alerts of the rules an inhibited_by
 * names, and the units' renames (vigie rename moves a team's alerts,
 * perhaps under another site's route). */
static int fingerprint(struct cyc *c, char out[65])
{
	char *buf = NULL, *sil = NULL;
	struct store_rename *ren;
	size_t len = 0, nren;
	FILE *f;

	if (store_renames(c->st, &ren, &nren) != 0)
		return -1;
	if (store_silences_in_force(c->st, &sil) != 0) {
		store_renames_free(ren, nren);
		return -1;
	}
	if (!(f = open_memstream(&buf, &len)))
		xalloc_die();
	for (size_t i = 0; i < c->cfg->nroles; i++) {
		const struct role_config *role = &c->cfg->roles[i];

		fprintf(f, "role\x1e");
		put(f, role->name);
		for (size_t j = 0; j < role->nroutes; j++) {
			const struct route_config *rc = &role->routes[j];

			fprintf(f, "route\x1e");
			for (size_t k = 0; k < rc->nscope; k++)
				put(f, rc->scope[k]);
			fprintf(f, "email\x1e");
			for (size_t k = 0; k < rc->nemail; k++)
				put(f, rc->email[k]);
			fprintf(f, "webhook\x1e");
			for (size_t k = 0; k < rc->nwebhook; k++)
				put(f, rc->webhook[k]);
		}
	}
	for (size_t i = 0; i < c->cfg->nwebhooks; i++)
		if (c->cfg->webhooks[i].format == WH_ALERTMANAGER)
			put(f, c->cfg->webhooks[i].name);
	for (size_t i = 0; i < c->rs->n; i++) {
		const struct rule *r = &c->rs->rules[i];
		size_t nroles;
		char *const *roles = config_rule_roles(c->cfg, r, &nroles);

		fprintf(f, "rule\x1e%d\x1e", (int)rule_runs_on(r, c->cfg->period));
		put(f, r->id);
		for (size_t k = 0; k < nroles; k++)
			put(f, roles[k]);
		fprintf(f, "inhibited_by\x1e");
		for (size_t k = 0; k < r->ninhibited_by; k++)
			put(f, r->inhibited_by[k]);
	}
	if (inhibitors_active(c, f) != 0) {
		fclose(f);
		free(buf);
		free(sil);
		store_renames_free(ren, nren);
		return -1;
	}
	fprintf(f, "silences\x1e");
	put(f, sil);
	free(sil);
	fprintf(f, "renames\x1e");
	for (size_t i = 0; i < nren; i++) {
		put(f, ren[i].from);
		put(f, ren[i].to);
		fprintf(f, "%lld\x1f", (long long)ren[i].at);
	}
	store_renames_free(ren, nren);
	if (fclose(f) != 0)
		xalloc_die();
	sha256_hex(buf, len, out);
	free(buf);
	return 0;
}

struct scan {
	struct cyc *c;
	struct silence *sil;
	size_t nsil;
	size_t alerts, items;	/* alerts owed to one target or more; items queued */
	const struct rule **by;	/* the alert's active inhibitors */
	size_t nby;
};

/* Queues alert a to (channel, target) of role unless it was told, or an
 * active alert of by[0..nby) covers it there (inhibited_by). */
static int owe_one(struct scan *s, const struct owed_alert *a, const char *role,
    const char *channel, const char *target, bool *owed)
{
	int told;

	for (size_t k = 0; k < s->nby; k++)
		if (route_reaches(s->c->cfg, s->by[k], a->unit, channel, target))
			return 0;
	told = store_owed_told(s->c->st, a, channel, target);

	if (told < 0)
		return -1;
	if (told)
		return 0;
	if (route_catchup(s->c->rt, a->event, role, channel, target) != 0)
		return -1;
	s->items++;
	*owed = true;
	return 0;
}

static int owe(const struct owed_alert *a, void *arg)
{
	struct scan *s = arg;
	const struct config *cfg = s->c->cfg;
	const struct rule *r = ruleset_find(s->c->rs, a->rule);
	size_t nroles;
	char *const *roles;
	bool owed = false;
	int rv = 0;

	/* A retired or disabled rule's alert is no one's to hear of, nor
	 * one of a rule written for the other granularity (period:). */
	if (!r || !rule_runs_on(r, cfg->period) || a->held ||
	    lifecycle_silenced(s->sil, s->nsil, a->rule, a->unit, a->period))
		return 0;
	roles = config_rule_roles(cfg, r, &nroles);
	s->by = r->ninhibited_by ? xcalloc(r->ninhibited_by, sizeof(*s->by)) : NULL;
	s->nby = s->by ? rule_inhibitors(s->c->rs, r, a->unit, store_alert_active,
	    s->c->st, s->by) : 0;
	for (size_t i = 0; i < nroles && rv == 0; i++) {
		const struct route_config *rc = route_of_role(cfg, roles[i], a->unit);

		for (size_t k = 0; rc && k < rc->nemail && rv == 0; k++)
			rv = owe_one(s, a, roles[i], "email", rc->email[k], &owed);
		for (size_t k = 0; rc && k < rc->nwebhook && rv == 0; k++) {
			const struct webhook_config *w = config_webhook(cfg, rc->webhook[k]);

			if (!w || w->format != WH_ALERTMANAGER)
				rv = owe_one(s, a, roles[i], "webhook", rc->webhook[k], &owed);
		}
	}
	free(s->by);
	s->by = NULL;
	s->nby = 0;
	s->alerts += owed;
	return rv;
}

int cycle_catchup(struct cyc *c, struct cycle_state *cs)
{
	char key[65], *was = NULL;
	struct scan s = { .c = c };
	int found;

	if (fingerprint(c, key) != 0)
		goto failed;
	if (!strcmp(cs->caught_up, key))
		return 0;
	if ((found = store_meta_get(c->st, "catchup", &was)) < 0)
		goto failed;
	if (found == 0 && !strcmp(was, key)) {
		free(was);
		memcpy(cs->caught_up, key, sizeof(cs->caught_up));
		return 0;
	}
	/* What is still pending for an address that left the configuration
	 * goes first to today's recipients, as the transition it is (and
	 * then counts as told). */
	if (found == 0 && retry_readdress_pending(c->st, c->cfg, c->rs, c->now) != 0)
		goto failed;
	if (store_begin(c->st) != 0)
		goto failed;
	if (found == 0 && (store_silences_load(c->st, &s.sil, &s.nsil) != 0 ||
	    store_owed_each(c->st, owe, &s) != 0))
		goto rollback;
	if (store_meta_set(c->st, "catchup", key) != 0 || store_commit(c->st) != 0)
		goto rollback;
	memcpy(cs->caught_up, key, sizeof(cs->caught_up));
	if (s.items)
		log_info("%zu alert%s already active sent for the first time to an "
		    "address or webhook that a route now gives %s (%zu notification%s)", s.alerts,
		    s.alerts > 1 ? "s" : "", s.alerts > 1 ? "them" : "it", s.items,
		    s.items > 1 ? "s" : "");
	free(was);
	store_silences_free(s.sil, s.nsil);
	return 0;
rollback:
	store_rollback(c->st);
	cycle_rolled_back(c);
failed:
	log_err("cannot send the alerts already active to the addresses that a route "
	    "now gives them: %s", store_errmsg(c->st));
	free(was);
	store_silences_free(s.sil, s.nsil);
	return -1;
}
