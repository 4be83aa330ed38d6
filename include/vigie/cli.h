/* The `vigie` command line (daemon/cli/, built into its own archive: vigied
 * links none of it): one function per subcommand (cmd_*.c), the command
 * table (vigie.c), one option parser (opts.c) and the printing the commands
 * share (print.c). Exit codes are sysexits. */
#ifndef VIGIE_CLI_H
#define VIGIE_CLI_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <sysexits.h>
#include "vigie/config.h"
#include "vigie/fileio.h"
#include "vigie/period.h"
#include "vigie/store.h"

#ifndef VIGIE_VERSION
#define VIGIE_VERSION "0.1.0"
#endif

/* Each takes argv[0] = the subcommand's name and returns the exit code. */
int cmd_check(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_backtest(int argc, char **argv);
int cmd_test(int argc, char **argv);
int cmd_alerts(int argc, char **argv);
int cmd_ack(int argc, char **argv);
int cmd_silence(int argc, char **argv);
int cmd_silences(int argc, char **argv);
int cmd_unsilence(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_notify_test(int argc, char **argv);
int cmd_retry(int argc, char **argv);
int cmd_audit(int argc, char **argv);

/* Appends an entry to the audit log (SPEC 3): the operating-system user
 * running this command (osuser_name, never --by), via "cli", the action
 * ("ack", "note", "silence", "unsilence", "export"), its object (an alert,
 * a silence, a command) and a detail without personal data (NULL: none).
 * Call it in the transaction of the action. 0, or EX_IOERR after printing
 * the database error. (cmd_audit.c) */
int cli_audit(const char *cmd, struct store *st, const char *action,
    const char *object, const char *detail);
int cmd_delete(int argc, char **argv);
int cmd_rename(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_report(int argc, char **argv);

/* ---- the option parser (opts.c) ---- */

enum out_format { FMT_TEXT = 0, FMT_JSON = 1 };

/* One option of a command, besides the ones every command takes. */
struct cli_opt {
	const char *name;	/* long name, without "--" */
	char shortname;		/* or 0 */
	const char **value;	/* an option with a value: where it goes */
	bool *flag;		/* an option without one: set to true */
};				/* neither: a repeatable option with a value,
				 * collected into cli_args.list */

/* What a command accepts. Every command also takes -c CONFIG, --config
 * CONFIG, --config=CONFIG and -h, --help; those that print data take
 * --format text|json. */
struct cli_spec {
	const char *usage;	/* printed by --help: "usage: vigie CMD ...\n..." */
	const struct cli_opt *opts;	/* ends with { 0 }; NULL: none */
	bool format;		/* --format text|json */
	int maxpos;		/* positional arguments allowed; -1: any number */
};

struct cli_args {
	const char *cmd;	/* argv[0]: the command's name, "status" */
	const char *config;	/* the -c argument, or NULL */
	int format;		/* FMT_TEXT unless --format json */
	char **pos;		/* the positional arguments, in order */
	int npos;
	const char **list;	/* the values of the repeatable option, in
				 * order (vigie user add --scope A --scope B);
				 * the caller frees the array */
	size_t nlist;
};

/* Parses argv[1..] (options and positional arguments in any order; "--"
 * ends the options). Returns -1 to go on, or the exit code: 0 after --help
 * (usage printed on stdout), EX_USAGE after an unknown option, a missing
 * value or an argument too many, said in one format:
 * "vigie CMD: unknown option '--x' (see vigie CMD --help)". Reorders argv. */
int cli_parse(int argc, char **argv, const struct cli_spec *spec,
    struct cli_args *a);
/* Prints "vigie SUBCOMMAND: MESSAGE (see vigie SUBCOMMAND --help)" to
 * stderr and returns EX_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Parses s, the value of option opt ("--at"), as a period. Returns 0 with
 * *g and *p set, or EX_USAGE after saying why, as cli_usage_error does:
 * "--at '2026-W53' is not a period: 2026 has 52 ISO weeks, …". */
int cli_period(const char *cmd, const char *opt, const char *s,
    enum granularity *g, int32_t *p);
/* The same, for a period that must be of granularity want: the database's,
 * which the message names. */
int cli_period_of(const char *cmd, const char *opt, const char *s,
    enum granularity want, int32_t *p);

/* ---- loading and printing (print.c) ---- */

/* Loads the configuration (config_path(arg)); prints every error to stderr
 * and returns NULL, with *ex set to EX_CONFIG (also when the file is
 * missing: 66 is kept for missing data files). */
struct config *cli_load_config(const char *arg, int *ex);
/* Loads the configured rules, with the configuration's carry_over; prints
 * every error, says that the rule set is invalid (as command cmd, "vigie
 * eval") and returns NULL. */
struct ruleset *cli_load_rules(const char *cmd, const struct config *cfg);
/* Opens the configured database; prints the error and returns EX_IOERR or
 * EX_CONFIG on failure, 0 on success. A database that was not there is
 * created; command cmd ("status") then warns that it was, since a command
 * on an empty database looks like one on a healthy one (a mistyped -c).
 * The import (cmd NULL) creates it without a warning: it says what it
 * imported. */
int cli_open_store(const char *cmd, const struct config *cfg, struct store **st);
/* Both, for the command a was parsed for; on failure nothing is left
 * open. Returns 0 or the exit code. */
int cli_open_all(const struct cli_args *a, struct config **cfg, struct store **st);
void cli_close_all(struct config *cfg, struct store *st);
/* Prints "vigie CMD: database error: MESSAGE" and returns EX_IOERR. */
int cli_db_error(const char *cmd, struct store *st);

/* A number for a table: with decimals, or with two significant digits
 * when that rounding would be more than 5 % off (a probability of 0.05 at
 * one decimal is not 0.1, one of 4.1e-10 not 0). Returns buf. */
char *cli_number(char *buf, size_t size, double v, int decimals);
/* An observed or expected figure: with the rule's decimals and nothing
 * else, as digests and the console write it (the same 0.4 everywhere, not
 * 0.44 here and 0,4 in the email). Returns buf. */
char *cli_figure(char *buf, size_t size, double v, int decimals);

/* Prints rows as aligned columns: cells is nrows*ncols strings, row 0 the
 * header. Numbers (cells starting with a digit or '-') align right. */
void print_table(FILE *out, const char *const *cells, size_t nrows, size_t ncols);
/* A table of owned cells, filled row by row. Zero-initialise with ncols. */
struct cli_table {
	char **cells;
	size_t n, ncols;
};
/* Adds a cell (taken, caller does not free). */
void cli_table_add(struct cli_table *t, char *cell);
/* Prints the table (unless out is NULL), then frees it. */
void cli_table_print_free(struct cli_table *t, FILE *out);
/* Prints j on stdout, indented, one value per line, and releases it. */
void cli_print_json(json_t *j);

#endif
