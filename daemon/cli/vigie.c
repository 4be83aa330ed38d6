/* vigie: the command line for HR, social workers and ops. One table of
 * subcommands (add a line and a daemon/cli/cmd_NAME.c to add one); each
 * parses its own arguments with the one parser of opts.c. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "vigie/cli.h"
#include "vigie/version.h"
#include "vigie/xalloc.h"

static int cmd_help(int argc, char **argv);

static const struct command {
	const char *name, *args, *help;
	int (*fn)(int, char **);
} commands[] = {
	{ "check", "[RULEFILE...]", "validate configuration and rules", cmd_check },
	{ "import", "[--dry-run] FILE...", "import indicator CSV files", cmd_import },
	{ "eval", "[--at P] [--rule ID] [--unit GLOB] [--firing] [--rules PATH]", "evaluate rules now, change nothing", cmd_eval },
	{ "backtest", "--from P --to P [--rule ID] [--rules PATH]", "replay rules over past periods", cmd_backtest },
	{ "test", "FILE...", "run rule unit tests", cmd_test },
	{ "alerts", "[--all]", "list active alerts", cmd_alerts },
	{ "ack", "ALERT --by NAME [--note TEXT] [--role ROLE]", "acknowledge an alert", cmd_ack },
	{ "silence", "--rule ID --unit GLOB --until P --reason TEXT", "mute notifications", cmd_silence },
	{ "silences", "[--all]", "list silences", cmd_silences },
	{ "unsilence", "SID", "remove a silence", cmd_unsilence },
	{ "history", "ALERT [--role ROLE]", "transitions, acknowledgements and notifications of an alert", cmd_history },
	{ "status", "[--check]", "last cycle, data coverage, outbox; --check: a health check", cmd_status },
	{ "notify-test", "ROLE [--unit UNIT]", "send a test message to a role", cmd_notify_test },
	{ "retry", "[--failed] [--since DATE]", "requeue failed notifications", cmd_retry },
	{ "audit", "[--since DATE]", "the audit log: who acknowledged, noted, silenced, exported", cmd_audit },
	{ "delete", "--period P [--unit GLOB] [--indicator X]", "remove stored values", cmd_delete },
	{ "rename", "FROM TO [--merge]", "give a unit and its history a new path", cmd_rename },
	{ "user", "add|passwd|del|list ...", "web console accounts", cmd_user },
	{ "report", "--from P --to P [--unit U] [--format html|pdf|json] [-o FILE]",
	    "the works council report", cmd_report },
	{ "help", "[COMMAND]", "this list, or the usage of one command", cmd_help },
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	int w = 0;

	fprintf(out, "usage: vigie [-c CONFIG] COMMAND [ARGS...]\n"
	    "       vigie --help | --version\n\ncommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		if ((int)strlen(commands[i].args) > w)
			w = (int)strlen(commands[i].args);
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-12s %-*s %s\n", commands[i].name, w,
		    commands[i].args, commands[i].help);
	fprintf(out, "\nEvery command takes -c CONFIG (or --config CONFIG; default "
	    "$VIGIE_CONFIG or " CONFIG_DEFAULT_PATH "), --help, and where it prints "
	    "data --format text|json.\nSee vigie(1).\n");
}

static const struct command *find(const char *name)
{
	for (size_t k = 0; k < NCOMMANDS; k++)
		if (!strcmp(name, commands[k].name))
			return &commands[k];
	return NULL;
}

/* SPEC 10: output that could not be written (a full disk, a closed pipe)
 * is an I/O error, not a success. One check for every command, once it has
 * returned (output_written). stdio keeps only an error flag, not why: a
 * large fwrite that fails leaves fflush nothing to write and errno long
 * gone. So stdout writes through out_write, which keeps the first error. */
static int out_errno;

static ssize_t out_write(void *cookie, const char *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = write(STDOUT_FILENO, buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (!out_errno)
				out_errno = n < 0 ? errno : EIO;
			break;	/* a short count: stdio sets the error flag */
		}
		done += (size_t)n;
	}
	return (ssize_t)done;
}

static void out_open(void)
{
	FILE *f = fopencookie(NULL, "w", (cookie_io_functions_t){ .write = out_write });

	if (!f)
		return;		/* plain stdout: the check below still holds */
	setvbuf(f, NULL, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF, BUFSIZ);
	stdout = f;
}

/* A command that failed for another reason keeps its own exit status. */
static int output_written(const struct command *c, int ex)
{
	int e = 0;

	if (fflush(stdout) != 0)
		e = out_errno ? out_errno : errno;
	else if (ferror(stdout))
		e = out_errno ? out_errno : EIO;
	if (!e)
		return ex;
	fprintf(stderr, "vigie%s%s: writing the output: %s\n", c ? " " : "",
	    c ? c->name : "", strerror(e));
	return ex ? ex : EX_IOERR;
}

/* `vigie help [COMMAND]`: the list, or what `vigie COMMAND --help` says. */
static int cmd_help(int argc, char **argv)
{
	const struct cli_spec spec = {
		"usage: vigie help [COMMAND]\n"
		"Lists the commands, or shows the usage of COMMAND.\n", NULL, false, 1,
	};
	const struct command *c;
	struct cli_args a;
	int ex;

	if ((ex = cli_parse(argc, argv, &spec, &a)) >= 0)
		return ex;
	if (a.npos == 0) {
		usage(stdout);
		return 0;
	}
	if (!(c = find(a.pos[0]))) {
		fprintf(stderr, "vigie: unknown command '%s' (see vigie --help)\n", a.pos[0]);
		return EX_USAGE;
	}
	char *hargv[] = { (char *)c->name, (char *)"--help", NULL };
	return c->fn(2, hargv);
}

/* Runs the command line; *cmd is the command once it is known. */
static int run(int argc, char **argv, const struct command **cmd)
{
	const char *config = NULL;
	const struct command *c;
	int i = 1;

	/* A -c CONFIG before the command applies to it. */
	while (i < argc && argv[i][0] == '-') {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(a, "--version")) {
			printf("vigie %s\n", vigie_version_long);
			return 0;
		}
		if (!strcmp(a, "-c") || !strcmp(a, "--config")) {
			if (i + 1 >= argc) {
				/* the words of opts.c after the command */
				fprintf(stderr, "vigie: option '%s' needs a value "
				    "(see vigie --help)\n", a);
				return EX_USAGE;
			}
			config = argv[i + 1];
			i += 2;
			continue;
		}
		if (!strncmp(a, "--config=", 9) || (!strncmp(a, "-c", 2) && a[2])) {
			config = a + (a[1] == '-' ? 9 : 2);
			i++;
			continue;
		}
		fprintf(stderr, "vigie: unknown option '%s' (see vigie --help)\n", a);
		return EX_USAGE;
	}
	if (i >= argc) {
		usage(stderr);
		return EX_USAGE;
	}
	if (!(c = find(argv[i]))) {
		fprintf(stderr, "vigie: unknown command '%s' (see vigie --help)\n", argv[i]);
		return EX_USAGE;
	}
	*cmd = c;
	if (config) {
		/* Re-insert as "--config=CONFIG" after the command's name. */
		char *nargv[argc + 2], *opt = xasprintf("--config=%s", config);
		int n = 0, ex;
		nargv[n++] = argv[i];
		nargv[n++] = opt;
		for (int j = i + 1; j < argc; j++)
			nargv[n++] = argv[j];
		nargv[n] = NULL;
		ex = c->fn(n, nargv);
		free(opt);
		return ex;
	}
	return c->fn(argc - i, argv + i);
}

int main(int argc, char **argv)
{
	const struct command *c = NULL;
	int ex;

	/* A file size limit (ulimit -f) reached: a write error, said and
	 * rolled back like a full disk, not a kill. */
	signal(SIGXFSZ, SIG_IGN);
	out_open();
	ex = run(argc, argv, &c);

	return output_written(c, ex);
}
