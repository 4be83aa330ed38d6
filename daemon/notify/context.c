/* What a digest shows beside its events. Context (SPEC 16): a parent's
 * alert whose rule is active on a descendant is shown inside the
 * descendant's block, also when the descendant's alert did not change and
 * is not an event of this digest.
 * For such a parent, an email gets the descendant's alert as a context
 * notice (notice.h): its latest notifying event, read from the store, that
 * digest.c shows only to host the parent and counts nowhere. Only what this
 * address may see: an alert the rule routes to it (route.c) and that no
 * silence holds, neither its latest event (not released) nor a silence
 * covering it now. Webhooks and Alertmanager are not digests: they never
 * get context. And, at its end, the alerts open for long that no one has
 * taken in charge (unowned_add): with no reminder (repeat_every 0, the
 * shipped rules'), an alert notified once would otherwise never be heard
 * of again by whoever relies on email. Only the digests Vigie sends
 * anyway carry them, never an email of its own, and only those the
 * address would be sent, by the routing of their notifications. */
#include <stdlib.h>
#include <string.h>
#include "notify_impl.h"
#include "vigie/lifecycle.h"
#include "vigie/route.h"
#include "vigie/store_outbox.h"
#include "vigie/store_silences.h"
#include "vigie/wording.h"
#include "vigie/xalloc.h"

/* Whether a notice of v[0..n) but k is active with p's rule on a
 * descendant of p's unit: the digest can fold p already. */
static bool folds(const struct notice *v, size_t n, size_t k)
{
	for (size_t j = 0; j < n; j++)
		if (j != k && digest_can_host(&v[j], &v[k]))
			return true;
	return false;
}

int context_add(struct store *st, const struct config *cfg, const struct ruleset *rs,
    int64_t msg, const char *address, struct notice **v, size_t *n)
{
	struct silence *sil = NULL;
	size_t own = *n, nsil = 0;
	bool sil_read = false;
	int rc = 0;

	for (size_t i = 0; i < own && rc == 0; i++) {
		const struct rule *r;
		struct notice *c = NULL;
		size_t nc = 0, pick;

		if (!(*v)[i].rule || !(*v)[i].unit || !strcmp((*v)[i].kind, "resolved") ||
		    (*v)[i].context || folds(*v, *n, i) ||
		    !rs || !(r = ruleset_find(rs, (*v)[i].rule)))
			continue;
		if (store_context_notices(st, msg, (*v)[i].rule, (*v)[i].unit, &c, &nc) != 0) {
			rc = -1;
			break;
		}
		if (nc && !sil_read) {
			sil_read = true;
			if (store_silences_load(st, &sil, &nsil) != 0) {
				notices_free(c, nc);
				rc = -1;
				break;
			}
		}
		/* The deepest the address gets, that can host (its value is
		 * not hidden) and no silence covers now (at the parent's
		 * period, the digest's). */
		for (pick = 0; pick < nc; pick++)
			if (digest_can_host(&c[pick], &(*v)[i]) &&
			    route_reaches(cfg, r, c[pick].unit, "email", address) &&
			    !lifecycle_silenced(sil, nsil, r->id, c[pick].unit, (*v)[i].pindex))
				break;
		if (pick < nc) {
			*v = xreallocarray(*v, *n + 1, sizeof(**v));
			(*v)[(*n)++] = c[pick];
			memset(&c[pick], 0, sizeof(c[pick]));
		}
		notices_free(c, nc);
	}
	store_silences_free(sil, nsil);
	return rc;
}

/* What unowned_add keeps of the alerts the store gives, one at a time. */
struct unowned {
	struct store *st;
	const struct config *cfg;
	const struct ruleset *rs;
	const char *address;
	struct silence *sil;
	size_t nsil;
	struct notice **v;
	size_t *n, own;
};

/* Whether v[0..n) has a notice of rule@unit. */
static bool carries(const struct notice *v, size_t n, const char *rule, const char *unit)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].rule && v[i].unit && !strcmp(v[i].rule, rule) && !strcmp(v[i].unit, unit))
			return true;
	return false;
}

/* x, when its notifications go to the address, unless a silence or an
 * inhibition holds them now, and not again when the digest shows it: what
 * a line says of it. */
static void unowned_keep(const struct notice *x, void *arg)
{
	struct unowned *u = arg;
	const struct rule *r = ruleset_find(u->rs, x->rule);
	struct notice *y;

	if (!r || !route_reaches(u->cfg, r, x->unit, "email", u->address) ||
	    lifecycle_silenced(u->sil, u->nsil, r->id, x->unit, x->pindex) ||
	    covered_for(u->st, u->cfg, u->rs, r, x->unit, "email", u->address) ||
	    carries(*u->v, u->own, x->rule, x->unit))
		return;
	*u->v = xreallocarray(*u->v, *u->n + 1, sizeof(**u->v));
	y = &(*u->v)[(*u->n)++];
	*y = (struct notice){ .kind = xstrdup(x->kind), .rule = xstrdup(x->rule),
	    .unit = xstrdup(x->unit), .period = x->period ? xstrdup(x->period) : NULL,
	    .since = x->since ? xstrdup(x->since) : NULL, .pindex = x->pindex,
	    .severity = x->severity ? xstrdup(x->severity) : NULL,
	    .title = x->title ? xstrdup(x->title) : NULL, .at = x->at, .unowned = true };
}

int unowned_add(struct store *st, const struct config *cfg, const struct ruleset *rs,
    int64_t msg, const char *address, struct notice **v, size_t *n)
{
	struct unowned u = { st, cfg, rs, address, NULL, 0, v, n, *n };
	int rc;

	/* A scheduled report is an email of its own (smtp.c), not a digest. */
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*v)[i].kind, "report"))
			return 0;
	if (!rs)
		return 0;
	/* Once per data period: a correction's digest minutes after the
	 * month's does not repeat the month's list. */
	if ((rc = store_unowned_told(st, msg)) != 0)
		return rc < 0 ? -1 : 0;
	if (store_silences_load(st, &u.sil, &u.nsil) != 0)
		return -1;
	rc = store_unowned_each(st, msg, NOTICE_UNOWNED_PERIODS, unowned_keep, &u);
	store_silences_free(u.sil, u.nsil);
	return rc;
}
