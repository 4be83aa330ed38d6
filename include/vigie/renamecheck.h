/* A rename checked against SPEC 3 (daemon/renamecheck.c): `vigie rename`
 * and the console's rename form both rename through it. */
#ifndef VIGIE_RENAMECHECK_H
#define VIGIE_RENAMECHECK_H

#include "vigie/config.h"
#include "vigie/moves.h"
#include "vigie/rules.h"
#include "vigie/store.h"

/* Renames from to `to` in the caller's transaction (store_begin: the
 * caller commits, or rolls back a count or a refusal), as
 * store_rename_units does with how (RENAME_DRY_RUN aside: the rename is
 * made so that its data can be checked, and the caller rolls it back), and
 * checks that it gives no hidden figure away: s1 and c1 are the data
 * before it (NULL when there is none) and rs the rule set whose floors
 * count (NULL: the configuration's alone). Returns store_rename_units'
 * 0, 1 or -1, or 2 with *rv (whose strings are s1's) when the rename
 * would give a hidden figure away (move_reveals, move_unhides). */
int rename_checked(struct store *st, const struct config *cfg,
    const struct ruleset *rs, const struct series *s1, const struct cells *c1,
    const char *from, const char *to, const struct import_origin *by,
    unsigned how, struct rename_stats *s, struct reveal *rv);

#endif
