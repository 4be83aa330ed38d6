/* Helpers shared by the `vigie` subcommands: configuration and store
 * opening with user-facing errors, file reading, aligned tables. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "vigie/cli.h"

int parse_format(const char *s)
{
	if (!strcmp(s, "text"))
		return FMT_TEXT;
	if (!strcmp(s, "json"))
		return FMT_JSON;
	return -1;
}

struct config *cli_load_config(const char *arg, int *ex)
{
	const char *path = config_path(arg);
	struct diags d = { 0 };
	struct config *c;
	struct stat sb;

	if (stat(path, &sb) != 0) {
		fprintf(stderr, "vigie: cannot read configuration %s: %s "
		    "(use -c CONFIG or set VIGIE_CONFIG)\n", path, strerror(errno));
		*ex = EX_CONFIG;	/* as vigied: a configuration problem */
		return NULL;
	}
	c = config_load(path, &d);
	if (!c) {
		diags_print(&d, stderr, 0);
		*ex = EX_CONFIG;
	}
	diags_free(&d);
	return c;
}

int cli_open_store(const struct config *cfg, struct store **st)
{
	char *err = NULL;

	int rc = store_open(cfg->database, cfg->period, st, &err);

	if (rc != 0) {
		fprintf(stderr, "vigie: %s\n", err ? err : "cannot open the database");
		free(err);
		return rc == STORE_EMISMATCH ? EX_CONFIG : EX_IOERR;
	}
	return 0;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "vigie %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see vigie %s --help)\n", cmd);
	return EX_USAGE;
}

static size_t utf8_width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
	return w;
}

static int numeric(const char *s)
{
	return (s[0] >= '0' && s[0] <= '9') ||
	    (s[0] == '-' && s[1] >= '0' && s[1] <= '9');
}

void print_table(FILE *out, const char *const *cells, size_t nrows, size_t ncols)
{
	size_t width[ncols ? ncols : 1];

	for (size_t c = 0; c < ncols; c++) {
		width[c] = 0;
		for (size_t r = 0; r < nrows; r++) {
			size_t w = utf8_width(cells[r * ncols + c] ? cells[r * ncols + c] : "");
			if (w > width[c])
				width[c] = w;
		}
	}
	for (size_t r = 0; r < nrows; r++) {
		for (size_t c = 0; c < ncols; c++) {
			const char *s = cells[r * ncols + c] ? cells[r * ncols + c] : "";
			size_t pad = width[c] - utf8_width(s);
			int last = c + 1 == ncols;
			if (r > 0 && numeric(s))
				fprintf(out, "%*s%s", (int)pad, "", s);
			else
				fprintf(out, "%s%*s", s, last ? 0 : (int)pad, "");
			if (!last)
				fputs("  ", out);
		}
		fputc('\n', out);
	}
}
