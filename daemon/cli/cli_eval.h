/* Private to daemon/cli/: what `vigie eval` (cmd_eval.c) and `vigie
 * backtest` (cmd_backtest.c) share: their options, the configuration,
 * rules and series they load, and the string arena their tables print
 * from. (The names are those the functions had when both commands were one
 * file; only these two files include this header.) */
#ifndef VIGIE_CLI_EVAL_H
#define VIGIE_CLI_EVAL_H

#include <stdbool.h>
#include <stddef.h>
#include "vigie/cells.h"
#include "vigie/cli.h"
#include "vigie/rules.h"
#include "vigie/series.h"

/* Options shared by both commands. */
struct opts {
	const char *config, *rule, *unit, *at, *from, *to;
	const char *rules;	/* --rules: a draft file or folder instead of the configuration's */
	bool firing;		/* eval --firing: the rows with a level or an active state */
	int format;
};

/* Parses the options of eval (backtest false) or backtest into o. Returns
 * -1 to go on, else the exit code. */
int parse_opts(int argc, char **argv, bool backtest, struct opts *o);
/* Everything both commands load. */
struct loaded {
	struct config *cfg;
	struct ruleset *rs;
	struct store *st;
	struct series *s;
	struct cells *cells;	/* of s (SPEC 3): what no output may show */
	struct ruleset view;	/* rs, or only the --rule rule */
};

/* Loads configuration and rules (and the --rule view) into l. Returns 0 or
 * an exit code; loaded_free frees what was loaded either way. */
int load_all(const char *cmd, const struct opts *o, struct loaded *l);
/* Writes the audit entry of an export (SPEC 3) by command cmd ("eval",
 * "backtest"): its options and how many rows leave. 0 or an exit code. */
int audit_export(const char *cmd, const struct loaded *l, const struct opts *o,
    size_t rows);
/* Opens the store (for command cmd, cli_open_store) and loads the series
 * and its cells. 0 or an exit code. */
int load_data(const char *cmd, struct loaded *l);
void loaded_free(struct loaded *l);
/* When l's data holds no value at all (a new database, every value
 * deleted): says so on stderr, that there is nothing to `doing`
 * ("evaluate", "replay"), and returns true; stdout keeps its format. */
bool warn_no_data_yet(const char *cmd, const struct loaded *l, const char *doing);
/* True when a rule of the view states what it expects: eval and backtest
 * then show it in a column of their text output. */
bool view_has_expected(const struct loaded *l);

/* Appends a NUL-terminated copy of s to an arena of strings; the arena
 * stores offsets so that it can move while growing. */
struct arena {
	char *buf;
	size_t n, cap;
};

/* Appends s to the arena; returns its offset. */
size_t arena_add(struct arena *a, const char *s);
/* Prints an arena-backed table (offsets in cells[]) with print_table. */
void print_arena_table(struct arena *a, size_t *cells, size_t nrows, size_t ncols);
/* A value as tables show it: "hidden", "-" for undefined, else the number
 * with the rule's decimals. */
const char *value_text(char *buf, size_t size, const struct rule *r,
    double x, bool hidden);
/* The same for an observed or expected figure, written as digests write
 * it (cli_figure). */
const char *figure_text(char *buf, size_t size, const struct rule *r,
    double x, bool hidden);

#endif
