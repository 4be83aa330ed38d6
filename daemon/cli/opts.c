/* The one option parser of the `vigie` subcommands (include/vigie/cli.h).
 * Written out rather than getopt_long: getopt prints its own messages and
 * would need per-command tables of integers; here a command names its
 * options and where their values go, and every command reports problems
 * the same way. Positional arguments and options mix freely, as GNU
 * commands allow ("vigie ack ALERT --by NAME"). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "vigie/cli.h"
#include "vigie/xalloc.h"

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

/* s is no period: why, and the period it may stand for (a date, a month
 * written otherwise; period_hint), of granularity *want or, unknown,
 * of both. */
static int not_a_period(const char *cmd, const char *opt, const char *s,
    const enum granularity *want)
{
	char why[128], month[PERIOD_BUFSZ], week[PERIOD_BUFSZ], hint[128] = "";
	bool sheet;
	const char *m = !want || *want == GRAN_MONTH ? period_hint(s, strlen(s),
	    GRAN_MONTH, month, &sheet) : NULL;
	const char *w = !want || *want == GRAN_WEEK ? period_hint(s, strlen(s),
	    GRAN_WEEK, week, &sheet) : NULL;

	if (m || w) {
		/* Said when it is in the future: data cannot be there yet. */
		const char *first = m ? m : w;
		enum granularity fg = m ? GRAN_MONTH : GRAN_WEEK;
		char now[PERIOD_BUFSZ], later[PERIOD_BUFSZ + 32] = "";
		int32_t cur = period_current(fg, (int64_t)time(NULL)), fp;

		if (!(m && w) && period_parse(first, strlen(first), &fg, &fp) == 0 &&
		    fp > cur)
			snprintf(later, sizeof(later), ", after the current period %s",
			    period_format(fg, cur, now));
		snprintf(hint, sizeof(hint), " (did you mean %s%s%s%s?)", first,
		    m && w ? ", or the week " : "", m && w ? w : "", later);
	}
	return cli_usage_error(cmd, "%s '%s' is not a period: %s%s", opt, s,
	    period_why_not(s, strlen(s), why, sizeof(why), false) ?
	    why : "use YYYY-MM or YYYY-Www", hint);
}

int cli_period(const char *cmd, const char *opt, const char *s,
    enum granularity *g, int32_t *p)
{
	if (period_parse(s, strlen(s), g, p) == 0)
		return 0;
	return not_a_period(cmd, opt, s, NULL);
}

int cli_period_of(const char *cmd, const char *opt, const char *s,
    enum granularity want, int32_t *p)
{
	enum granularity g;

	if (period_parse(s, strlen(s), &g, p) != 0)
		return not_a_period(cmd, opt, s, &want);
	if (g != want)
		return cli_usage_error(cmd, "%s '%s' is a %s but the database "
		    "holds %ss", opt, s, granularity_name(g), granularity_name(want));
	return 0;
}

/* The command's option named by arg ("--name", or "-x"), or NULL. */
static const struct cli_opt *find(const struct cli_spec *spec, const char *name,
    size_t len, char shortname)
{
	for (const struct cli_opt *o = spec->opts; o && o->name; o++)
		if (shortname ? o->shortname == shortname :
		    strlen(o->name) == len && !strncmp(o->name, name, len))
			return o;
	return NULL;
}

int cli_parse(int argc, char **argv, const struct cli_spec *spec,
    struct cli_args *a)
{
	const char *cmd = argv[0];
	int w = 1;
	bool options = true;

	*a = (struct cli_args){ .cmd = cmd, .format = FMT_TEXT };
	for (int i = 1; i < argc; i++) {
		char *arg = argv[i];
		const char *name, *value = NULL;
		size_t len;
		char shortname = 0;

		if (!options || arg[0] != '-' || !arg[1]) {
			if (spec->maxpos >= 0 && w - 1 >= spec->maxpos)
				return cli_usage_error(cmd, "unexpected argument '%s'", arg);
			argv[w++] = arg;
			continue;
		}
		if (!strcmp(arg, "--")) {
			options = false;
			continue;
		}
		if (arg[1] == '-') {
			/* --name or --name=value */
			name = arg + 2;
			len = strcspn(name, "=");
			if (name[len] == '=')
				value = name + len + 1;
		} else {
			/* -x, or -xVALUE for an option that takes one */
			name = arg + 1;
			len = 1;
			shortname = arg[1];
			if (arg[2])
				value = arg + 2;
		}
		const struct cli_opt *o = find(spec, name, len, shortname);
		bool is_config = shortname ? shortname == 'c' : len == 6 && !strncmp(name, "config", 6);
		bool is_help = shortname ? shortname == 'h' : len == 4 && !strncmp(name, "help", 4);
		bool is_format = !shortname && spec->format && len == 6 && !strncmp(name, "format", 6);
		bool takes = is_config || is_format || (o && (o->value || !o->flag));

		if (!o && !is_config && !is_help && !is_format)
			return cli_usage_error(cmd, "unknown option '%.*s'",
			    (int)(name - arg + len), arg);
		if (!takes && value)
			return cli_usage_error(cmd, shortname ? "unknown option '%s'" :
			    "option '%s' takes no value", arg);
		if (takes && !value) {
			if (i + 1 >= argc)
				return cli_usage_error(cmd, "option '%s' needs a value", arg);
			value = argv[++i];
		}
		if (is_help) {
			fputs(spec->usage, stdout);
			return 0;
		} else if (is_config) {
			/* Not the default file in disguise (ssh -F '' refuses too). */
			if (!*value)
				return cli_usage_error(cmd, "-c needs a configuration "
				    "file, not an empty name");
			a->config = value;
		} else if (is_format) {
			if (!strcmp(value, "text"))
				a->format = FMT_TEXT;
			else if (!strcmp(value, "json"))
				a->format = FMT_JSON;
			else
				return cli_usage_error(cmd, "unknown format '%s': use text "
				    "or json", value);
		} else if (o->value) {
			*o->value = value;
		} else if (o->flag) {
			*o->flag = true;
		} else {
			a->list = xreallocarray(a->list, a->nlist + 1, sizeof(*a->list));
			a->list[a->nlist++] = value;
		}
	}
	a->pos = argv + 1;
	a->npos = w - 1;
	return -1;
}
