/* Context for a digest (SPEC 16): a parent's alert whose rule is active on
 * a descendant is shown inside the descendant's block, also when the
 * descendant's alert did not change and is not an event of this digest.
 * For such a parent, an email gets the descendant's alert as a context
 * notice (notice.h): its latest notifying event, read from the store, that
 * digest.c shows only to host the parent and counts nowhere. Only what this
 * address may see: an alert the rule routes to it (route.c) and that no
 * silence holds, neither its latest event (not released) nor a silence
 * covering it now. Webhooks and Alertmanager are not digests: they never
 * get context. */
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
