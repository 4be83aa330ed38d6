/* Warnings on an accepted import file that need the database (SPEC 1, 2,
 * 3): what the pure CSV reader cannot tell. They never reject the file
 * nor change an exit status (SPEC 4 lists the errors), but for
 * import_check_renamed's, an error. (daemon/ingest/) */
#ifndef VIGIE_IMPORTCHECK_H
#define VIGIE_IMPORTCHECK_H

#include "vigie/batch.h"
#include "vigie/diag.h"
#include "vigie/store.h"

/* Adds to w (its kind set to "warning"), at the places the batch b read
 * from `file` keeps, the warnings about b against what st has stored
 * before b is imported (st NULL: no database yet):
 *   an indicator new to the database, not in the recommended vocabulary
 *   and close to a known name (a misspelt header);
 *   a unit new to the database whose path is a small edit away from a
 *   stored unit's under the same parent (a misspelt unit);
 *   a leaf unit of the file with values at a period and no headcount
 *   there, neither in the file nor stored (hidden, SPEC 3), the first
 *   CSV_KEEP_ERRORS kept and the rest counted in w->more;
 *   an indicator that units of the file had the period before its latest
 *   (when no later period is stored) and have neither in the file nor
 *   stored there;
 *   import_check_late's, import_check_dominated's and
 *   import_check_uncover's (at the floor and dominance given).
 * Those that compare a value of the file with a stored one (the late
 * change of a small team, a size ten times the period before, a file
 * that repeats the period before) leave out the stored cells blind hides
 * (NULL: none), or count them changed: what the reader is told never
 * depends on a value it may not see (SPEC 3). Returns the number of
 * warnings added. */
size_t import_check(struct store *st, const char *file,
    struct import_batch *b, int min_headcount, double dominance,
    const struct import_blind *blind, struct diags *w);
/* import_check in two, for an import of several files (a command's, a
 * pass over the inbox): the name checks, before b is imported; and the
 * checks of values (the headcount, the month's indicators), which also
 * count as there a value, or a unit under a leaf of b, that one of
 * with[0..nwith) brings (b itself among them is skipped), so that a file
 * whose headcount comes in another file of the same import is not warned
 * about. It may run after b is imported:
 * b's own values are then stored, which changes nothing. */
/* Before b is imported: a unit with a parent, under the anonymity floor
 * (a headcount below min_headcount, in b or stored) at a period that a
 * cycle has evaluated (the last cycle's or before), whose values there b
 * changes (adds, or replaces with others): its parent's figures of that
 * period move by as much, and give it away to whoever compares them
 * (SPEC 3); a value of a cell blind hides counts as a change, equal or
 * not. One warning per unit, at its first cell, naming the earliest
 * such period; the first CSV_KEEP_ERRORS kept and the rest counted in
 * w->more. A unit kept under the floor at such a period (series.h,
 * below) counts as under it whatever headcount b gives it, and b's
 * headcount that would lift it is said, once per unit. Returns the number
 * of units warned about. (importlate.c) */
size_t import_check_late(struct store *st, const char *file,
    const struct import_batch *b, int min_headcount,
    const struct import_blind *blind, struct diags *w);
/* Before b is imported, at the periods a cycle has evaluated (the last
 * cycle's or before): whether b changes which units are hidden beside a
 * team under the anonymity floor (a new team, a corrected headcount), so
 * that one hidden until now would be shown (moves.h, change_uncovers_all,
 * at the configuration's floor and dominance): beside the figures shown
 * before, its figures would give the small team's away. Every such cell is
 * added to b's keep, which store_import writes with the values: it stays
 * hidden (SPEC 3 against time). One warning, naming the first such unit
 * and period, at b's first cell of that period under its parent. Returns
 * the number of warnings added (0 or 1). (uncover.c) */
size_t import_check_uncover(struct store *st, const char *file,
    struct import_batch *b, int min_headcount, double dominance,
    struct diags *w);
/* Before b is imported, at the periods a cycle has evaluated (the last
 * cycle's or before), about dominance (SPEC 3: a value of X whose X_max
 * is over dominance times it is one person's, hidden):
 *   a unit with a parent, at or over the floor, whose value of X b changes
 *   (adds, or replaces with another; a value blind hides counts changed)
 *   where it is dominated before or after b: its parent's figures of that
 *   period move by as much, and give it away (one warning per unit, at its
 *   first cell, naming the earliest such period);
 *   a cell dominated before b (or kept so, series.h) that b would no
 *   longer dominate: its X_max's cell is added to b's keep, which
 *   store_import writes with the values, so that it stays hidden, and
 *   the first one whose values b changes is said.
 * With blind (the console's reader, blind.h), no stored X_max is looked at
 * for the first, and the second is not said (the cells are kept all the
 * same): what the reader is told never depends on a value they may not
 * see. Before import_check_uncover, which counts b's keep. The first
 * CSV_KEEP_ERRORS warnings kept and the rest counted in w->more. Returns
 * the number of warnings added. (importdominated.c) */
size_t import_check_dominated(struct store *st, const char *file,
    struct import_batch *b, int min_headcount, double dominance,
    const struct import_blind *blind, struct diags *w);
/* Before b is imported, the one error here (it rejects the file, whole,
 * as the CSV reader's do, exit 65): a unit of b at a path that `vigie
 * rename` gave another (store_renamed_path: followed through later
 * renames, a merge as a rename), unless a later rename brought a unit of
 * today there (a swap, a rename undone). Imported, the old path would be
 * a unit again beside the new one, and the units above both would count
 * the team twice for any period both have, whichever comes first (the
 * headcount of its site, and whatever a comparison of their figures
 * before and after gives away, SPEC 3). One error per unit, at its first
 * cell, added to e. Returns the number of errors added (0: st NULL, no
 * renames, or unreadable). */
size_t import_check_renamed(struct store *st, const char *file,
    const struct import_batch *b, struct diags *e);
size_t import_check_names(struct store *st, const char *file,
    const struct import_batch *b, struct diags *w);
size_t import_check_values(struct store *st, const char *file,
    const struct import_batch *b, const struct import_batch *const *with,
    size_t nwith, const struct import_blind *blind, struct diags *w);

/* A history imported a period at a time (importbackfill.c): b, the file
 * of an import that brings its latest period (import_backfill_file), moves
 * the database's latest period forward from before, one a cycle has
 * evaluated (import_backfill_from), to one that ended more than a quarter
 * (3 months, 13 weeks) before now (period_current): each such import is
 * notified on its own, as new, and the same periods in one import would
 * give one digest of the alerts still open (vigied(8)). One warning, at
 * b's first indicator, saying to import the periods that remain at once.
 * Not for a normal period's file, nor for a correction of an older period
 * (the latest does not move), nor when before is -1. Returns 0 or 1. */
size_t import_check_backfill(const char *file, const struct import_batch *b,
    int32_t before, int32_t now, struct diags *w);
/* Before b is imported: b's periods that retention.data (keep periods,
 * counted back from the latest with data, SPEC 3) deletes at the next
 * cycle, the latest being the one the import leaves (stored, b's, or one
 * of with[0..nwith)'s). One warning, at b's first indicator, with how many
 * and the first and last of them: retention.data counts periods, 60 weeks
 * on a weekly database. Returns 0 or 1. (importretention.c) */
size_t import_check_retention(struct store *st, const char *file,
    const struct import_batch *b, const struct import_batch *const *with,
    size_t nwith, int keep, struct diags *w);
/* Read before the import (st NULL: no database): the latest period stored
 * when a cycle has evaluated it, else -1 (nothing stored, or an import no
 * cycle has evaluated yet, which this one joins). */
int32_t import_backfill_from(struct store *st);
/* The index of the file of with[0..n) that brings the import's latest
 * period (the first that does), or n when none has a value. */
size_t import_backfill_file(const struct import_batch *const *with, size_t n);

/* Before a removal of period's values (store_delete_matching's keep,
 * ctx and indicator; keep NULL: every unit's, which gives nothing away):
 * the units it would give away at a period a cycle has evaluated (the
 * last cycle's or before). The units with a value it takes (of indicator,
 * or any but a headcount), grouped under the nearest unit above them that
 * keeps a value, whose figures move by the group's sum: the members of
 * the groups under min_headcount people (their stored headcounts at
 * period, none counting 0, as SPEC 3's hidden group). 0 with their paths
 * in a new sorted array (free with store_names_free; NULL, 0: none), or
 * -1. (deletelate.c) */
int delete_check_late(struct store *st, int32_t period,
    bool (*keep)(const char *unit, const void *ctx), const void *ctx,
    const char *indicator, int min_headcount, char ***units, size_t *nunits);

/* Before the same removal: a unit hidden beside a team under the
 * anonymity floor at period (evaluated) whose figures the removal would
 * show (*removed false: the companion is picked anew) or take out of its
 * parent's (*removed true), which, beside the figures shown before, gives
 * the small team's away (change_uncovers). 0 with the first such unit in
 * *unit and the team whose figures it gives in *beside (new strings;
 * NULL: none), or -1. (uncover.c) */
int delete_check_uncover(struct store *st, int32_t period,
    bool (*keep)(const char *unit, const void *ctx), const void *ctx,
    const char *indicator, int min_headcount, double dominance, char **unit,
    char **beside, bool *removed);

/* Why a cell is hidden (SPEC 3): its unit under the anonymity floor, its
 * value one person's (dominance), or beside such a unit (complementary
 * suppression). */
enum hidden_why { HIDDEN_FLOOR, HIDDEN_DOMINATED, HIDDEN_BESIDE };
/* A hidden cell that a removal would give away (delete_check_hidden). */
struct hidden_given {
	char *unit, *indicator;	/* NULL: none */
	enum hidden_why why;
	char *beside;		/* a sibling hidden before and after, whose
				 * figure follows by subtraction (one hidden
				 * for itself first), or NULL */
	enum hidden_why beside_why;
};
/* Before the same removal: the first cell hidden at period (evaluated:
 * the last cycle's or before; any period when stored, as the console
 * shows them) with a value, of any indicator but a headcount and the
 * companions (X_max, never shown), that the removal
 * takes whole (its unit keeps no value of it) while its parent keeps one:
 * its parent's figures move by it, which gives it away to whoever compares
 * them before and after; unless the removal takes every hidden unit under
 * a parent shown (their sum was known). 0 with it in *g (NULL unit: none;
 * free with hidden_given_free), or -1. (deletehidden.c) */
int delete_check_hidden(struct store *st, int32_t period,
    bool (*keep)(const char *unit, const void *ctx), const void *ctx,
    const char *indicator, int min_headcount, double dominance, bool stored,
    struct hidden_given *g);
void hidden_given_free(struct hidden_given *g);

#endif
