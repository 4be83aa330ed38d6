/* What the console's user may not see of the stored values, for what an
 * import tells them (batch.h, import_blind; blind.c): the cells hidden by
 * disclosure control in the console's series (below the floor, hidden
 * beside a small team, dominated, kept hidden: SPEC 3), and the
 * confidential indicators unless the user's role is among
 * confidential_roles. Private to daemon/web/. */
#ifndef VIGIE_WEB_BLIND_H
#define VIGIE_WEB_BLIND_H

#include <stdbool.h>
#include "vigie/batch.h"

struct req;
struct dataset;
struct web;

struct blind {
	struct import_blind bl;
	struct dataset *d;	/* NULL: unreadable, every stored cell hidden */
	bool trusted;		/* the role may read confidential indicators */
	struct web *w;
};
/* Takes a reference on the console's series; blind_end releases it. */
void blind_begin(struct req *r, struct blind *b);
void blind_end(struct blind *b);

#endif
