/* Scopes and roles (include/vigie/web_scope.h). The default scopes follow
 * the configuration of the day: a route added for the role widens what its
 * users without scopes of their own see, at the next reload. */
#include <stdlib.h>
#include <string.h>
#include "vigie/unit.h"
#include "vigie/web_scope.h"
#include "vigie/xalloc.h"

static void push(struct viewer *v, const char *g)
{
	for (size_t i = 0; i < v->nscopes; i++)
		if (!strcmp(v->scopes[i], g))
			return;
	v->scopes = xreallocarray(v->scopes, v->nscopes + 1, sizeof(*v->scopes));
	v->scopes[v->nscopes++] = g;
}

int viewer_init(struct viewer *v, const struct config *cfg,
    const struct account *a)
{
	const struct role_config *r = config_role(cfg, a->role);

	memset(v, 0, sizeof(*v));
	v->name = a->name;
	v->role = a->role;
	if (!r)
		return -1;
	if (a->nscopes) {
		for (size_t i = 0; i < a->nscopes; i++)
			push(v, a->scopes[i]);
		return 0;
	}
	v->scopes = config_role_scopes(r, &v->nscopes);
	return 0;
}

void viewer_clear(struct viewer *v)
{
	free(v->scopes);
	memset(v, 0, sizeof(*v));
}

bool viewer_sees_unit(const struct viewer *v, const char *unit)
{
	for (size_t i = 0; i < v->nscopes; i++)
		if (unit_glob_match(v->scopes[i], unit))
			return true;
	return false;
}

bool viewer_sees_rule(const struct viewer *v, const struct config *cfg,
    const struct rule *r)
{
	return config_rule_notifies(cfg, r, v->role);
}
