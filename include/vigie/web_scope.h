/* Who sees what in the console (daemon/web/scope.c, SPEC 14): a user sees
 * the units of their scopes — their account's globs, or when it has none
 * the scopes of their role's routes — and, on those units, the rules that
 * notify their role. Everything else answers 404 Not Found, never 403, so
 * that a unit or an alert outside the scope is not even confirmed. */
#ifndef VIGIE_WEB_SCOPE_H
#define VIGIE_WEB_SCOPE_H

#include <stdbool.h>
#include <stddef.h>
#include "vigie/config.h"
#include "vigie/rules.h"
#include "vigie/store_accounts.h"

struct viewer {
	const char *name, *role;
	const char **scopes;	/* globs (pointers into the account or the
				 * configuration) */
	size_t nscopes;
};

/* Fills v for account a under configuration cfg. Returns 0, or -1 when the
 * account's role is not a role of recipients: (then it sees nothing and may
 * not log in). Free with viewer_clear. */
int viewer_init(struct viewer *v, const struct config *cfg,
    const struct account *a);
void viewer_clear(struct viewer *v);
/* Whether unit is under one of the viewer's scopes (unit_glob_match). */
bool viewer_sees_unit(const struct viewer *v, const char *unit);
/* Whether rule r notifies the viewer's role: its notify list, or the
 * configuration's default_notify for a rule without one. */
bool viewer_sees_rule(const struct viewer *v, const struct config *cfg,
    const struct rule *r);

#endif
