/* What a digest shows of the alerts an inhibition covers (inhibited_by,
 * rules/inhibit.c). While an alert of rule B is active on a unit, the
 * alert of a rule inhibited by B on that unit is held for whoever B's
 * alert reaches (evaluate.c, route.c): in an email that carries an event
 * of B's alert, it is shown as one line of B's signal, « Aussi en alerte :
 * TITRE (observé …, attendu …) », as it stands (its latest notifying
 * event, today's figures: recheck_restate), counted nowhere. Only what the
 * address may see: an alert its rule routes to it and that no silence
 * holds. Webhooks are not digests: they get no such line. */
#include <stdlib.h>
#include <string.h>
#include "notify_impl.h"
#include "vigie/lifecycle.h"
#include "vigie/route.h"
#include "vigie/store_alerts.h"
#include "vigie/store_outbox.h"
#include "vigie/store_silences.h"
#include "vigie/xalloc.h"

bool covered_for(struct store *st, const struct config *cfg, const struct ruleset *rs,
    const struct rule *r, const char *unit, const char *channel, const char *target)
{
	const struct rule **by;
	size_t nby;
	bool yes = false;

	if (!r->ninhibited_by)
		return false;
	by = xcalloc(r->ninhibited_by, sizeof(*by));
	nby = rule_inhibitors(rs, r, unit, store_alert_active, st, by);
	for (size_t k = 0; k < nby && !yes; k++)
		yes = route_reaches(cfg, by[k], unit, channel, target);
	free(by);
	return yes;
}

/* Whether v[0..n) has a notice of rule@unit. */
static bool has(const struct notice *v, size_t n, const char *rule, const char *unit)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].rule && v[i].unit && !strcmp(v[i].rule, rule) && !strcmp(v[i].unit, unit))
			return true;
	return false;
}

int covered_add(struct store *st, const struct config *cfg, const struct ruleset *rs,
    int64_t msg, const char *address, struct notice **v, size_t *n)
{
	struct silence *sil = NULL;
	size_t own = *n, nsil = 0;
	bool sil_read = false;
	int rc = 0;

	for (size_t i = 0; rs && i < own && rc == 0; i++) {
		const struct notice *x = &(*v)[i];

		if (!x->rule || !x->unit || !strcmp(x->kind, "resolved") || x->context ||
		    x->unowned || x->covered_by)
			continue;
		for (size_t k = 0; k < rs->n && rc == 0; k++) {
			const struct rule *r = &rs->rules[k];
			struct notice *c = NULL;
			size_t nc = 0;

			if (!rule_runs_on(r, cfg->period) || !rule_inhibited_by(r, (*v)[i].rule) ||
			    has(*v, *n, r->id, (*v)[i].unit) ||
			    !route_reaches(cfg, r, (*v)[i].unit, "email", address))
				continue;
			if (!sil_read && store_silences_load(st, &sil, &nsil) != 0) {
				rc = -1;
				break;
			}
			sil_read = true;
			if (lifecycle_silenced(sil, nsil, r->id, (*v)[i].unit, (*v)[i].pindex))
				continue;
			if (store_covered_notices(st, msg, r->id, (*v)[i].unit, (*v)[i].rule,
			    &c, &nc) != 0) {
				rc = -1;
				break;
			}
			if (nc) {
				*v = xreallocarray(*v, *n + 1, sizeof(**v));
				(*v)[(*n)++] = c[0];
				memset(&c[0], 0, sizeof(c[0]));
			}
			notices_free(c, nc);
		}
	}
	store_silences_free(sil, nsil);
	return rc;
}
