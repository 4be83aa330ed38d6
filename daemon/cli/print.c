/* What the `vigie` subcommands share besides their options
 * (include/vigie/cli.h): configuration and store opening with user-facing
 * errors, aligned text tables and indented JSON. */
#include <limits.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "vigie/cli.h"
#include "vigie/rules.h"
#include "vigie/text.h"
#include "vigie/xalloc.h"

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

struct ruleset *cli_load_rules(const char *cmd, const struct config *cfg)
{
	struct diags d = { 0 };
	struct rule_policy texts = config_rule_texts(cfg);
	struct ruleset *rs = ruleset_load(cfg->rules, &texts, &d);

	if (!rs) {
		diags_print(&d, stderr, 0);
		fprintf(stderr, "%s: the rule set is invalid; fix the errors above "
		    "(vigie check lists them too)\n", cmd);
	} else
		rs->carry_over = cfg->carry_over;
	diags_free(&d);
	return rs;
}

int cli_open_store(const char *cmd, const struct config *cfg, struct store **st)
{
	char *err = NULL, up[PATH_MAX + 64];

	int rc = store_open(cfg->database, cfg->period, st, &err);

	if (rc == STORE_ERUNNING) {
		/* An older vigied still runs: the upgrade is its restart's. */
		fprintf(stderr, "vigie: %s: restart vigied, which upgrades it, then run "
		    "vigie again\n", err);
		free(err);
		return EX_TEMPFAIL;
	}
	if (rc != 0) {
		fprintf(stderr, "vigie: %s\n", err ? err : "cannot open the database");
		free(err);
		return rc == STORE_EMISMATCH ? EX_CONFIG : EX_IOERR;
	}
	/* The first command after an upgrade migrates the database: said as
	 * the daemon says it, since its log will not. */
	if (store_migrated_from(*st) > 0 && store_upgraded(*st, up, sizeof(up)))
		fprintf(stderr, "vigie: %s\n", up);
	/* A creation is said by the import, which says what it imported;
	 * any other command's on an empty database would look like one on a
	 * healthy one, for a mistyped -c. */
	if (cmd && store_migrated_from(*st) == 0)
		fprintf(stderr, "vigie %s: warning: there was no database at %s: an "
		    "empty one was created (vigied creates it when it first starts; is "
		    "this the configuration it runs with?)\n", cmd, cfg->database);
	return 0;
}

int cli_open_all(const struct cli_args *a, struct config **cfg, struct store **st)
{
	int ex = 0;

	*st = NULL;
	*cfg = cli_load_config(a->config, &ex);
	if (!*cfg)
		return ex;
	ex = cli_open_store(a->cmd, *cfg, st);
	if (ex) {
		config_free(*cfg);
		*cfg = NULL;
	}
	return ex;
}

void cli_close_all(struct config *cfg, struct store *st)
{
	if (st)
		store_close(st);
	if (cfg)
		config_free(cfg);
}

int cli_db_error(const char *cmd, struct store *st)
{
	fprintf(stderr, "vigie %s: database error: %s\n", cmd, store_errmsg(st));
	return EX_IOERR;
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

char *cli_number(char *buf, size_t size, double v, int decimals)
{
	format_number(buf, size, v, decimals, LOC_EN);
	if (v != 0 && isfinite(v) && fabs(strtod(buf, NULL) - v) > 0.05 * fabs(v))
		snprintf(buf, size, "%.2g", v);
	return buf;
}

char *cli_figure(char *buf, size_t size, double v, int decimals)
{
	return format_number(buf, size, v, figure_decimals(v, decimals), LOC_EN);
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

void cli_table_add(struct cli_table *t, char *cell)
{
	t->cells = xreallocarray(t->cells, t->n + 1, sizeof(*t->cells));
	t->cells[t->n++] = cell;
}

void cli_table_print_free(struct cli_table *t, FILE *out)
{
	/* A row with a cell too few would shift every row after it. */
	if (t->ncols && t->n % t->ncols)
		abort();
	if (out && t->ncols && t->n >= t->ncols)
		print_table(out, (const char *const *)t->cells, t->n / t->ncols, t->ncols);
	for (size_t i = 0; i < t->n; i++)
		free(t->cells[i]);
	free(t->cells);
	t->cells = NULL;
	t->n = 0;
}

void cli_print_json(json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
	    TEXT_JSON_REALS | JSON_ENCODE_ANY);

	if (!s)
		xalloc_die();	/* jansson fails only for want of memory */
	printf("%s\n", s);
	free(s);
	json_decref(j);
}
