/* The `vigie` command line: one function per subcommand (daemon/cli/cmd_*.c)
 * and the helpers they share (daemon/cli/cli.c). Exit codes are sysexits. */
#ifndef VIGIE_CLI_H
#define VIGIE_CLI_H

#include <stdbool.h>
#include <sysexits.h>
#include "vigie/config.h"
#include "vigie/fileio.h"
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

enum out_format { FMT_TEXT = 0, FMT_JSON = 1 };
/* Parses "text" or "json"; -1 otherwise. */
int parse_format(const char *s);

/* Loads the configuration (config_path(arg)); prints every error to stderr
 * and returns NULL, with *ex set to EX_CONFIG (also when the file is
 * missing: 66 is kept for missing data files). */
struct config *cli_load_config(const char *arg, int *ex);
/* Opens the configured database; prints the error and returns EX_IOERR or
 * EX_CONFIG on failure, 0 on success. */
int cli_open_store(const struct config *cfg, struct store **st);
/* Prints "vigie SUBCOMMAND: MESSAGE" to stderr and returns EX_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Prints rows as aligned columns: cells is nrows*ncols strings, row 0 the
 * header. Numbers (cells starting with a digit or '-') align right. */
void print_table(FILE *out, const char *const *cells, size_t nrows, size_t ncols);

#endif
