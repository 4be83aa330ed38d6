/* What renaming or merging stored units would give away (SPEC 3,
 * rules/moves.c). Figures already shown (in the emails' history, the works
 * council's reports, the console) are not taken back: a change of the
 * stored data that alters a shown figure by a hidden cell's value tells
 * that value to whoever compares the figures before and after. */
#ifndef VIGIE_MOVES_H
#define VIGIE_MOVES_H

#include <stdbool.h>
#include <stdint.h>
#include "vigie/cells.h"
#include "vigie/rules.h"
#include "vigie/series.h"

struct reveal {
	const char *unit;	/* whose hidden cell (a path of the series
				 * before the rename) */
	const char *indicator;
	int32_t period;
	enum {
		REVEAL_MOVED,	/* carried from one parent to another */
		REVEAL_MERGED,	/* summed with a figure of the new path */
		REVEAL_SHOWN,	/* shown after the rename: the units hidden
				 * beside it to protect a smaller one change */
		REVEAL_REMOVED,	/* removed: its parent's figure moves by it */
	} how;
	const char *beside;	/* change_uncovers (or NULL): the sibling
				 * hidden before and after whose figure it
				 * gives away, a team under the floor when
				 * one is (a path of the series before) */
};

/* True, with *r the first such cell, when giving `from` and the units under
 * it the path `to` (merge: their values added to those already at the new
 * paths, store_rename_units' RENAME_SUM) would change a figure by the value
 * of a cell hidden in c:
 * - a move under another parent: a hidden roll-up cell of from with a
 *   value, by which its old and new ancestors' figures would change;
 * - a merge: a period where a unit at or under from and its new path both
 *   have a value of an indicator, one of the two hidden (the sum beside
 *   the shown one gives the hidden one away).
 * Companion indicators (X_max), never shown, are not looked at. A rename
 * within one parent, without a merge, changes no sum. */
bool move_reveals(const struct series *s, const struct cells *c, const char *from,
    const char *to, bool merge, struct reveal *r);
/* True, with *r the first such cell, when a cell hidden in c1 (of series
 * s1, before the rename of from to `to`) with a value is shown in c2 (of
 * s2, after it) with a value, under its new path: complementary
 * suppression (cells.h) picks its companions anew after a move, and a cell
 * it no longer needs to hide, once shown, would give away what it hid. */
bool move_unhides(const struct series *s1, const struct cells *c1,
    const struct series *s2, const struct cells *c2, const char *from,
    const char *to, struct reveal *r);
/* True, with *r the first such cell, when a change of the stored values
 * that is not written yet (an import or a removal at periods already
 * evaluated; s1 before it, s2 after, with their cells c1 and c2) would
 * give a hidden figure away: a cell of a period p0 .. p1 hidden in c1 with
 * a value that s2 shows with a value (REVEAL_SHOWN: complementary
 * suppression picks another, or a small team's headcount was corrected
 * while another small team hidden with it stays hidden) or holds no more,
 * for a unit at the floor there (REVEAL_REMOVED: its parent's figure moves
 * by it; a small team's own removal is warned about as such), while a
 * sibling's cell of the same indicator stays hidden with a value: with
 * the figures shown before, it gives that one's away. */
bool change_uncovers(const struct series *s1, const struct cells *c1,
    const struct series *s2, const struct cells *c2, int32_t p0, int32_t p1,
    struct reveal *r);
/* Every such cell, in *v (the caller frees the array; its names are s1's):
 * their number. */
size_t change_uncovers_all(const struct series *s1, const struct cells *c1,
    const struct series *s2, const struct cells *c2, int32_t p0, int32_t p1,
    struct reveal **v);
/* The cells of c's chain at the strictest floor of rs's rules (a rule's own
 * min_headcount hides more of what it shows), as engine_cells_prepare
 * raised them; c itself when rs is NULL or none is higher. */
const struct cells *moves_cells(const struct cells *c, const struct ruleset *rs);

#endif
