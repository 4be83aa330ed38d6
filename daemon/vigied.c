/* STUB: the daemon's main; to be implemented. */
#include <stdio.h>
#include <string.h>
#include "vigie/cli.h"

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--version")) {
		printf("vigied %s\n", VIGIE_VERSION);
		return 0;
	}
	fprintf(stderr, "vigied: not implemented yet\n");
	return EX_SOFTWARE;
}
