/* STUB: to be implemented. */
#include <stdio.h>
#include "vigie/cli.h"

int cmd_test(int argc, char **argv)
{
	(void)argc;
	fprintf(stderr, "vigie %s: not implemented yet\n", argv[0]);
	return EX_SOFTWARE;
}
