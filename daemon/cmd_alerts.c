/* STUB: to be implemented. */
#include <stdio.h>
#include "vigie/cli.h"

int cmd_alerts(int argc, char **argv)
{
	(void)argc;
	fprintf(stderr, "vigie %s: not implemented yet\n", argv[0]);
	return EX_SOFTWARE;
}

int cmd_ack(int argc, char **argv)
{
	(void)argc;
	fprintf(stderr, "vigie %s: not implemented yet\n", argv[0]);
	return EX_SOFTWARE;
}

int cmd_silence(int argc, char **argv)
{
	(void)argc;
	fprintf(stderr, "vigie %s: not implemented yet\n", argv[0]);
	return EX_SOFTWARE;
}

int cmd_silences(int argc, char **argv)
{
	(void)argc;
	fprintf(stderr, "vigie %s: not implemented yet\n", argv[0]);
	return EX_SOFTWARE;
}

int cmd_unsilence(int argc, char **argv)
{
	(void)argc;
	fprintf(stderr, "vigie %s: not implemented yet\n", argv[0]);
	return EX_SOFTWARE;
}

int cmd_history(int argc, char **argv)
{
	(void)argc;
	fprintf(stderr, "vigie %s: not implemented yet\n", argv[0]);
	return EX_SOFTWARE;
}

int cmd_status(int argc, char **argv)
{
	(void)argc;
	fprintf(stderr, "vigie %s: not implemented yet\n", argv[0]);
	return EX_SOFTWARE;
}
