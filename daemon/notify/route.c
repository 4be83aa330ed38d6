/* Routing (include/vigie/route.h): events into this cycle's outbox
 * messages, in the cycle's transaction. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/route.h"
#include "vigie/store_followup.h"
#include "vigie/unit.h"
#include "vigie/xalloc.h"

struct outmsg {
	const char *channel, *target;
	int64_t id;
	size_t items;
};

struct route {
	struct store *st;
	const struct config *cfg;
	struct store_cycle *c;
	struct outmsg *msgs;	/* one per channel target */
	size_t nmsgs;
	bool only_new;		/* to targets that do not have the event yet */
	bool catchup;		/* events added as already active (route_catchup) */
	/* route_release: only_new for now, and with told.alert, only to
	 * the targets told of that alert's episode */
	bool release;
	struct owed_alert told;
	size_t created;		/* messages written */
	/* route_except: the rules whose alerts on unit cover the event */
	const struct rule *const *except;
	size_t nexcept;
	const char *unit;	/* of the event route_alert_event routes */
};

struct route *route_new(struct store *st, const struct config *cfg,
    struct store_cycle *c)
{
	struct route *rt = xcalloc(1, sizeof(*rt));

	rt->st = st;
	rt->cfg = cfg;
	rt->c = c;
	return rt;
}

void route_free(struct route *rt)
{
	if (!rt)
		return;
	free(rt->msgs);
	free(rt);
}

void route_reset(struct route *rt)
{
	rt->nmsgs = 0;
}

void route_only_new_targets(struct route *rt)
{
	rt->only_new = true;
}

size_t route_created(const struct route *rt)
{
	return rt->created;
}

/* The message of this cycle for (channel, target), created when needed:
 * one message per target per cycle, a digest of every event of the cycle
 * for it (SPEC 9), but that an email is closed at ROUTE_MAIL_MAX_ITEMS
 * events and another started (route.h says why). Returns its index, or -1. */
static ssize_t message_for(struct route *rt, const char *channel,
    const char *target, const char *role)
{
	int64_t id;

	for (size_t i = rt->nmsgs; i-- > 0; ) {
		if (strcmp(rt->msgs[i].channel, channel) || strcmp(rt->msgs[i].target, target))
			continue;
		if (strcmp(channel, "email") || rt->msgs[i].items < ROUTE_MAIL_MAX_ITEMS)
			return (ssize_t)i;
		break;	/* the newest one is full: start another */
	}
	if ((id = store_message_new(rt->st, rt->c, channel, target, role)) < 0)
		return -1;
	rt->msgs = xreallocarray(rt->msgs, rt->nmsgs + 1, sizeof(*rt->msgs));
	rt->msgs[rt->nmsgs] = (struct outmsg){ channel, target, id, 0 };
	rt->created++;
	return (ssize_t)rt->nmsgs++;
}

/* Adds an event to message i; an event routed twice to one target (two
 * roles, same address) is carried once. */
static int message_add_item(struct route *rt, ssize_t i, int64_t event, bool catchup)
{
	int added;

	if (i < 0 || (added = store_message_add(rt->st, rt->msgs[i].id, event, catchup)) < 0)
		return -1;
	rt->msgs[i].items += (size_t)added;
	if (rt->msgs[i].items == 0) {
		/* An email just opened for an event its full predecessor
		 * already carries: dropped rather than sent empty. */
		if (store_message_delete(rt->st, rt->msgs[i].id) != 0)
			return -1;
		rt->nmsgs--;	/* it is the newest */
		rt->created--;
	}
	return 0;
}

static bool covered(const struct route *rt, const char *channel, const char *target)
{
	for (size_t k = 0; rt->unit && k < rt->nexcept; k++)
		if (route_reaches(rt->cfg, rt->except[k], rt->unit, channel, target))
			return true;
	return false;
}

/* Adds event to the message of (channel, target); with only_new, not when
 * a message to that target already carries it; not to a target that an
 * inhibiting alert reaches (route_except). */
static int route_one(struct route *rt, int64_t event, const char *role,
    const char *channel, const char *target)
{
	int has = rt->only_new || rt->release ?
	    store_message_carries(rt->st, channel, target, event) : 0;

	if (has == 0 && covered(rt, channel, target))
		return 0;
	if (has == 0 && rt->told.alert) {
		int told = store_owed_told(rt->st, &rt->told, channel, target);

		if (told < 0)
			return -1;
		has = !told;	/* never told it was active: nothing ends */
	}
	if (has < 0)
		return -1;
	return has ? 0 : message_add_item(rt, message_for(rt, channel, target, role), event,
	    rt->catchup);
}

void route_release(struct route *rt, bool release, int64_t alert, int64_t episode)
{
	rt->release = release;
	rt->told = (struct owed_alert){ .alert = release ? alert : 0, .episode = episode };
}

void route_as_catchup(struct route *rt, bool catchup)
{
	rt->catchup = catchup;
}

void route_except(struct route *rt, const struct rule *const *by, size_t n)
{
	rt->except = by;
	rt->nexcept = n;
}

bool route_covered(const struct config *cfg, const struct rule *r, const char *unit,
    const struct rule *const *by, size_t n)
{
	size_t nroles;
	char *const *roles = config_rule_roles(cfg, r, &nroles);
	struct route rt = { .cfg = cfg, .except = by, .nexcept = n, .unit = unit };

	for (size_t i = 0; i < nroles; i++) {
		const struct route_config *rc = route_of_role(cfg, roles[i], unit);

		for (size_t k = 0; rc && k < rc->nemail; k++)
			if (!covered(&rt, "email", rc->email[k]))
				return false;
		for (size_t k = 0; rc && k < rc->nwebhook; k++)
			if (!covered(&rt, "webhook", rc->webhook[k]))
				return false;
	}
	return true;
}

int route_catchup(struct route *rt, int64_t event, const char *role,
    const char *channel, const char *target)
{
	return message_add_item(rt, message_for(rt, channel, target, role), event, true);
}

/* mail: the route's email addresses too, not only its webhooks. */
static int route_to(struct route *rt, int64_t event, const char *role,
    const struct route_config *r, bool mail)
{
	if (!r)
		return 0;
	for (size_t i = 0; mail && i < r->nemail; i++)
		if (route_one(rt, event, role, "email", r->email[i]) != 0)
			return -1;
	for (size_t i = 0; i < r->nwebhook; i++)
		if (route_one(rt, event, role, "webhook", r->webhook[i]) != 0)
			return -1;
	return 0;
}

int route_alert_event(struct route *rt, int64_t event, const struct rule *r,
    const char *unit)
{
	size_t nroles;
	char *const *roles = config_rule_roles(rt->cfg, r, &nroles);
	/* An improvement of an alert its readers closed is no email: they
	 * said it needs nothing more (webhooks keep every change). */
	int unmailed = store_event_unmailed(rt->st, event);
	int rc = 0;

	if (unmailed < 0)
		return -1;
	rt->unit = unit;
	for (size_t i = 0; i < nroles && rc == 0; i++) {
		const struct role_config *role = config_role(rt->cfg, roles[i]);
		if (role && route_to(rt, event, roles[i], config_route(role, unit),
		    !unmailed) != 0)
			rc = -1;
	}
	rt->unit = NULL;
	return rc;
}

const struct route_config *route_of_role(const struct config *cfg, const char *role,
    const char *unit)
{
	return config_route(config_role(cfg, role), unit);
}

/* Whether route rc gives channel target. */
static bool route_has(const struct route_config *rc, const char *channel,
    const char *target)
{
	char **v = !strcmp(channel, "email") ? rc->email : rc->webhook;
	size_t n = !strcmp(channel, "email") ? rc->nemail : rc->nwebhook;

	for (size_t k = 0; k < n; k++)
		if (!strcmp(v[k], target))
			return true;
	return false;
}

bool route_reaches(const struct config *cfg, const struct rule *r,
    const char *unit, const char *channel, const char *target)
{
	size_t nroles;
	char *const *roles = config_rule_roles(cfg, r, &nroles);

	for (size_t i = 0; i < nroles; i++) {
		const struct role_config *role = config_role(cfg, roles[i]);
		const struct route_config *rc = role ? config_route(role, unit) : NULL;

		if (rc && route_has(rc, channel, target))
			return true;
	}
	return false;
}

/* The route of a system event: the role's first that covers every unit,
 * else its first; NULL when the role is not configured. */
static const struct route_config *system_route(const struct config *cfg,
    const char *rolename)
{
	const struct role_config *role = config_role(cfg, rolename);

	if (!role || role->nroutes == 0)
		return NULL;
	for (size_t i = 0; i < role->nroutes; i++)
		for (size_t k = 0; k < role->routes[i].nscope; k++)
			if (!strcmp(role->routes[i].scope[k], "**"))
				return &role->routes[i];
	return &role->routes[0];
}

int route_system_event(struct route *rt, int64_t event, const char *rolename)
{
	return route_to(rt, event, rolename, system_route(rt->cfg, rolename), true);
}

bool route_system_reaches(const struct config *cfg, const char *rolename,
    const char *channel, const char *target)
{
	const struct route_config *rc = system_route(cfg, rolename);

	return rc && route_has(rc, channel, target);
}

const char *route_missing_data_role(const struct config *cfg)
{
	return config_role(cfg, "ops") ? "ops" : "hr";
}

const char *route_system_role(const struct config *cfg, const char *kind)
{
	if (!strcmp(kind, "rejected") || !strcmp(kind, "warned"))
		return config_role(cfg, "ops") ? "ops" : NULL;
	if (!strcmp(kind, "stale") || !strcmp(kind, "fresh"))
		return route_missing_data_role(cfg);
	return NULL;
}

size_t route_undefined_roles(const struct config *cfg, const struct ruleset *rs,
    struct diags *w)
{
	size_t before = w->n;

	/* None at all: a deployment without notifications (the console, the
	 * report), not a role forgotten. */
	for (size_t i = 0; cfg->nroles > 0 && i < rs->n; i++) {
		const struct rule *r = &rs->rules[i];
		size_t nto;
		char *const *to = config_rule_roles(cfg, r, &nto);

		for (size_t k = 0; k < nto; k++) {
			size_t others = 0, m;

			if (config_role(cfg, to[k]))
				continue;
			for (m = 0; m < i && !config_rule_notifies(cfg, &rs->rules[m], to[k]); m++)
				;
			if (m < i)
				continue;	/* said at the first rule */
			for (m = i + 1; m < rs->n; m++)
				others += config_rule_notifies(cfg, &rs->rules[m], to[k]);
			const char *plural = others == 1 ? "" : "s";
			char more[80] = "";

			if (!r->notify_set && others)
				snprintf(more, sizeof(more), " (by default_notify; so do %zu "
				    "other rule%s)", others, plural);
			else if (!r->notify_set)
				snprintf(more, sizeof(more), " (by default_notify)");
			else if (others)
				snprintf(more, sizeof(more), " (so do %zu other rule%s)",
				    others, plural);
			diags_add(w, r->file, r->notify_set ? r->notify_line : r->line,
			    r->notify_set ? r->notify_col : r->col,
			    "rule \"%s\" notifies \"%s\"%s, a role that recipients: does "
			    "not define: no one in that role is told", r->id, to[k], more);
		}
	}
	return w->n - before;
}

/* Whether route rc has the glob that takes every unit. */
static bool takes_all(const struct route_config *rc)
{
	for (size_t g = 0; g < rc->nscope; g++)
		if (!strcmp(rc->scope[g], "**"))
			return true;
	return false;
}

/* Whether route rc matches unit. */
static bool route_matches(const struct route_config *rc, const char *unit)
{
	for (size_t g = 0; g < rc->nscope; g++)
		if (unit_glob_match(rc->scope[g], unit))
			return true;
	return false;
}

/* The route of role before route j that is first for every unit route j
 * matches (SPEC 9: the first route whose scope matches wins), or -1 when
 * route j is first for one of them or matches none: an earlier route
 * with "**", else the first route of the first of units that j matches,
 * when j is first for none. */
static long shadowing_route(const struct role_config *role, size_t j,
    char *const *units, size_t n)
{
	long by = -1;
	bool matched = false;

	for (size_t i = 0; i < j; i++)
		if (takes_all(&role->routes[i]))
			return (long)i;
	for (size_t u = 0; u < n; u++) {
		if (!route_matches(&role->routes[j], units[u]))
			continue;
		matched = true;
		const struct route_config *first = config_route(role, units[u]);
		if (first == &role->routes[j])
			return -1;
		if (by < 0)
			by = first - role->routes;
	}
	return matched ? by : -1;
}

static void say_shadowed(const struct config *cfg, const struct role_config *role,
    size_t j, size_t i, struct diags *w)
{
	const struct route_config *rc = &role->routes[j];
	const struct route_config *first = &role->routes[i];
	char *scopes = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&scopes, &len);

	if (!f)
		xalloc_die();
	for (size_t g = 0; g < first->nscope; g++)
		fprintf(f, "%s\"%s\"", g ? ", " : "", first->scope[g]);
	if (fclose(f) != 0)
		xalloc_die();
	diags_add(w, cfg->file, rc->scope_at ? rc->scope_at[0].line : 0,
	    rc->scope_at ? rc->scope_at[0].col : 0, "recipients: %s: route %zu "
	    "takes no alert: route %zu (scope %s) comes before it for every unit "
	    "it matches, and the first route whose scope matches wins; put the "
	    "wider route after the narrower", role->name, j + 1, i + 1, scopes);
	free(scopes);
}

size_t route_check_scopes(const struct config *cfg, char *const *units,
    size_t n, struct diags *w)
{
	size_t said = 0;

	for (size_t i = 0; i < cfg->nroles; i++) {
		const struct role_config *role = &cfg->roles[i];

		for (size_t j = 0; j < role->nroutes; j++) {
			const struct route_config *rc = &role->routes[j];
			long by = shadowing_route(role, j, units, n);

			if (by >= 0) {
				say_shadowed(cfg, role, j, (size_t)by, w);
				said++;
				continue;
			}

			for (size_t g = 0; n && rc->scope_at && g < rc->nscope; g++) {
				char hint[300], more[320] = "";

				if (unit_glob_reaches(rc->scope[g], units, n, hint,
				    sizeof(hint)))
					continue;
				if (*hint)
					snprintf(more, sizeof(more), " (did you mean "
					    "\"%s\"?)", hint);
				diags_add(w, cfg->file, rc->scope_at[g].line,
				    rc->scope_at[g].col, "recipients: %s: the scope "
				    "\"%s\" matches none of the %zu units in the "
				    "database%s: no alert is routed through it",
				    role->name, rc->scope[g], n, more);
				said++;
			}
		}
	}
	return said;
}
