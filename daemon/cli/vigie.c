/* vigie: the command line for HR, social workers and ops. Dispatches to one
 * function per subcommand (daemon/cli/cmd_*.c). */
#include <stdio.h>
#include <string.h>
#include "vigie/cli.h"

static const struct command {
	const char *name, *args, *help;
	int (*fn)(int, char **);
} commands[] = {
	{ "check", "[RULEFILE...]", "validate configuration and rules", cmd_check },
	{ "import", "[--dry-run] FILE...", "import indicator CSV files", cmd_import },
	{ "eval", "[--at P] [--rule ID] [--unit GLOB]", "evaluate rules now, change nothing", cmd_eval },
	{ "backtest", "--from P --to P [--rule ID]", "replay rules over past periods", cmd_backtest },
	{ "test", "FILE...", "run rule unit tests", cmd_test },
	{ "alerts", "[--all]", "list active alerts", cmd_alerts },
	{ "ack", "ALERT --by NAME [--note TEXT]", "acknowledge an alert", cmd_ack },
	{ "silence", "--rule ID --unit GLOB --until P --reason TEXT", "mute notifications", cmd_silence },
	{ "silences", "", "list silences", cmd_silences },
	{ "unsilence", "SID", "remove a silence", cmd_unsilence },
	{ "history", "ALERT", "transitions, acknowledgements and notifications of an alert", cmd_history },
	{ "status", "", "last cycle, data coverage, outbox", cmd_status },
	{ "notify-test", "ROLE [--unit UNIT]", "send a test message to a role", cmd_notify_test },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: vigie [-c CONFIG] COMMAND [ARGS...]\n"
	    "       vigie --help | --version\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-12s %-48s %s\n", commands[i].name,
		    commands[i].args, commands[i].help);
	fprintf(out, "\nEvery command takes -c CONFIG (default $VIGIE_CONFIG or "
	    CONFIG_DEFAULT_PATH "), --help, and where it prints data "
	    "--format text|json.\nSee vigie(1).\n");
}

int main(int argc, char **argv)
{
	const char *config = NULL;
	int i = 1;

	/* A leading -c CONFIG applies to the subcommand. */
	while (i < argc && argv[i][0] == '-') {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(argv[i], "--version")) {
			printf("vigie %s\n", VIGIE_VERSION);
			return 0;
		}
		if (!strcmp(argv[i], "-c") && i + 1 < argc) {
			config = argv[i + 1];
			i += 2;
			continue;
		}
		fprintf(stderr, "vigie: unknown option '%s'\n", argv[i]);
		usage(stderr);
		return EX_USAGE;
	}
	if (i >= argc) {
		usage(stderr);
		return EX_USAGE;
	}
	for (size_t k = 0; k < sizeof(commands) / sizeof(commands[0]); k++) {
		if (strcmp(argv[i], commands[k].name))
			continue;
		if (config) {
			/* Re-insert as "-c CONFIG" after the subcommand name. */
			char *nargv[argc + 2];
			int n = 0;
			nargv[n++] = argv[i];
			nargv[n++] = (char *)"-c";
			nargv[n++] = (char *)config;
			for (int j = i + 1; j < argc; j++)
				nargv[n++] = argv[j];
			nargv[n] = NULL;
			return commands[k].fn(n, nargv);
		}
		return commands[k].fn(argc - i, argv + i);
	}
	fprintf(stderr, "vigie: unknown command '%s' (see vigie --help)\n", argv[i]);
	return EX_USAGE;
}
