/* The report as JSON, for scripts (shape in vigie(1)): the same units and
 * figures as the HTML and PDF, with their precision and no more (the
 * model's figures, rounded where it decides: a rate per employee of a
 * small unit is a whole number here too, or its decimal would help find
 * the count of people the HTML keeps), each figure's decimals beside it,
 * null where a figure is undefined or withheld, and each indicator's
 * expression as evaluated so that a script can check any figure against
 * `vigie eval` rounded to those decimals. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report_impl.h"
#include "vigie/progress.h"
#include "vigie/text.h"

static json_t *num(double x)
{
	return isfinite(x) ? json_real(x) : json_null();
}

static json_t *period(const struct rmodel *m, int32_t p)
{
	char b[PERIOD_BUFSZ];

	return json_string(period_format(m->gran, p, b));
}

static json_t *indicators(const struct rmodel *m)
{
	json_t *a = json_array();

	for (size_t d = 0; d < m->defs->n; d++) {
		const struct rdef *r = &m->defs->v[d];
		json_t *o = json_object(), *ref = json_null();

		json_object_set_new(o, "id", json_string(r->id));
		json_object_set_new(o, "title", json_string(rdef_text(r->title, m->loc)));
		json_object_set_new(o, "meaning", json_string(rdef_text(r->meaning, m->loc)));
		json_object_set_new(o, "unit", r->unit ? json_string(r->unit) : json_null());
		json_object_set_new(o, "decimals", json_integer(r->decimals));
		json_object_set_new(o, "expression", json_string(m->expr[d]));
		json_object_set_new(o, "trend_expression", json_string(m->trend_expr[d]));
		if (r->has_ref) {
			ref = json_object();
			json_object_set_new(ref, "value", num(m->ref[d]));
			json_object_set_new(ref, "year", r->ref_year ?
			    json_integer(r->ref_year) : json_null());
			json_object_set_new(ref, "source", json_string(rdef_text(r->source, m->loc)));
			json_object_set_new(ref, "kind", json_string(r->ref_legal ? "legal" :
			    "national"));
		}
		json_object_set_new(o, "reference", ref);
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *points(const double *v, int n)
{
	json_t *a = json_array();

	for (int i = 0; i < n; i++)
		json_array_append_new(a, num(v[i]));
	return a;
}

/* The alerts of one kind (a: u->alerts or u->ongoing) by theme. */
static json_t *by_theme(const struct rmodel *m, const size_t *a, size_t *w,
    size_t *c)
{
	json_t *th = json_array();

	*w = *c = 0;
	for (size_t t = 0; t < m->nthemes; t++) {
		size_t tw = a[2 * t], tc = a[2 * t + 1];
		json_t *e;

		*w += tw;
		*c += tc;
		if (!tw && !tc)
			continue;
		e = json_object();
		json_object_set_new(e, "theme", *m->themes[t] ? json_string(m->themes[t]) :
		    json_null());
		json_object_set_new(e, "title", json_string(rtheme_title(m->themes[t], m->loc)));
		json_object_set_new(e, "warning", json_integer((json_int_t)tw));
		json_object_set_new(e, "critical", json_integer((json_int_t)tc));
		json_array_append_new(th, e);
	}
	return th;
}

/* "warning", "critical" and "by_theme": the alerts that fired in the span;
 * "ongoing", the same keys for those that fired before it and were still
 * active when it began (added beside them, so that the first keep their
 * meaning). */
static json_t *alerts(const struct rmodel *m, const struct runit *u)
{
	json_t *o = json_object(), *on = json_object(), *th;
	size_t w, c;

	th = by_theme(m, u->alerts, &w, &c);
	json_object_set_new(o, "warning", json_integer((json_int_t)w));
	json_object_set_new(o, "critical", json_integer((json_int_t)c));
	json_object_set_new(o, "by_theme", th);
	th = by_theme(m, u->ongoing, &w, &c);
	json_object_set_new(on, "warning", json_integer((json_int_t)w));
	json_object_set_new(on, "critical", json_integer((json_int_t)c));
	json_object_set_new(on, "by_theme", th);
	json_object_set_new(o, "ongoing", on);
	json_object_set_new(o, "rules", json_integer((json_int_t)u->rules));
	json_object_set_new(o, "rules_without_history",
	    json_integer((json_int_t)u->rules_nohist));
	return o;
}

static json_t *followup(const struct runit *u)
{
	json_t *o = json_object(), *c = json_object();

	json_object_set_new(o, "taken", json_integer((json_int_t)u->taken));
	for (int k = 1; k < OUTCOME_COUNT; k++)
		json_object_set_new(c, outcome_name((enum outcome)k),
		    json_integer((json_int_t)u->closed[k]));
	json_object_set_new(o, "closed", c);
	json_object_set_new(o, "notified", json_integer((json_int_t)u->notified));
	json_object_set_new(o, "notified_before",
	    json_integer((json_int_t)u->notified_before));
	return o;
}

static json_t *unit(const struct rmodel *m, const struct runit *u)
{
	static const char *const levels[] = {
		[RL_COMPANY] = "company", [RL_SITE] = "site", [RL_DEPT] = "department",
		[RL_TEAM] = "team",
	};
	json_t *o = json_object(), *figs = json_array();

	json_object_set_new(o, "unit", json_string(u->path));
	json_object_set_new(o, "level", json_string(levels[u->level]));
	json_object_set_new(o, "company", json_string(u->company));
	for (size_t d = 0; d < m->defs->n; d++) {
		const struct rfig *f = &u->fig[d];
		json_t *g = json_object();

		json_object_set_new(g, "indicator", json_string(m->defs->v[d].id));
		json_object_set_new(g, "decimals", json_integer(f->dec));
		json_object_set_new(g, "value", num(f->value));
		json_object_set_new(g, "year_earlier", num(f->prev));
		json_object_set_new(g, "company", num(f->company));
		json_object_set_new(g, "company_decimals", json_integer(f->company_dec));
		json_object_set_new(g, "trend", points(f->trend, m->n));
		json_object_set_new(g, "trend_year_earlier", points(f->trend_prev, m->n));
		json_array_append_new(figs, g);
	}
	json_object_set_new(o, "figures", figs);
	if (m->alerts_read) {
		json_object_set_new(o, "alerts", alerts(m, u));
		json_object_set_new(o, "followup", followup(u));
	}
	return o;
}

/* 15 significant digits, not the 17 of the other commands' JSON
 * (TEXT_JSON_REALS): every number here is a decimal of at most 6 decimals
 * as the HTML prints it, which 15 digits write back as printed ("15.8",
 * not "15.800000000000001", the same double), up to 10^9 with 6 decimals
 * and 10^15 whole (a rate, a headcount or a count of hours is far less). */
#define FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))

/* One unit of the array "units", as json_dumpf would write it there (two
 * levels down: four more spaces on every line; a JSON string holds no raw
 * newline). One unit at a time: the tree of 10,000 teams' figures and
 * trends is never in memory whole. */
static int put_unit(const struct rmodel *m, const struct runit *u, FILE *f)
{
	json_t *j = unit(m, u);
	char *s = json_dumps(j, FLAGS);

	json_decref(j);
	if (!s)
		return -1;
	fputs("    ", f);
	for (const char *p = s; *p; p++) {
		fputc(*p, f);
		if (*p == '\n')
			fputs("    ", f);
	}
	free(s);
	return 0;
}

int rjson_write(const struct rmodel *m, FILE *f)
{
	json_t *o = json_object(), *ye = json_object(), *ps = json_array(), *us = json_array();
	char iso[ISO8601_BUFSZ], *doc;
	size_t n;
	int rc = 0;

	json_object_set_new(o, "version", json_integer(1));
	json_object_set_new(o, "generated_at", json_string(text_iso8601(m->now, iso)));
	json_object_set_new(o, "locale", json_string(m->loc == LOC_EN ? "en" : "fr"));
	json_object_set_new(o, "granularity", json_string(granularity_name(m->gran)));
	json_object_set_new(o, "from", period(m, m->from));
	json_object_set_new(o, "to", period(m, m->to));
	json_object_set_new(ye, "from", period(m, m->from - m->y));
	json_object_set_new(ye, "to", period(m, m->to - m->y));
	json_object_set_new(o, "year_earlier", ye);
	for (int32_t p = m->from; p <= m->to; p++)
		json_array_append_new(ps, period(m, p));
	json_object_set_new(o, "periods", ps);
	json_object_set_new(o, "min_headcount", json_integer(m->floor));
	json_object_set_new(o, "hidden_units", json_integer((json_int_t)m->hidden));
	json_t *miss = json_array();
	for (size_t i = 0; i < m->nmissing; i++) {
		json_t *e = json_object();
		json_object_set_new(e, "unit", json_string(m->missing[i]));
		json_object_set_new(e, "first_missing", period(m, m->missing_at[i]));
		json_array_append_new(miss, e);
	}
	json_object_set_new(o, "missing_data_units", miss);
	if (m->alerts_read) {
		json_t *fw = json_object();
		json_object_set_new(fw, "from", json_string(text_iso8601(m->t0, iso)));
		json_object_set_new(fw, "to", json_string(text_iso8601(m->t1, iso)));
		json_object_set_new(o, "followup_window", fw);
	}
	json_object_set_new(o, "indicators", indicators(m));
	json_object_set_new(o, "units", us);
	/* The document without its units, which come last: "...\"units\": []\n}" */
	doc = json_dumps(o, FLAGS);
	json_decref(o);
	if (!doc)
		return -1;
	n = strlen(doc);
	if (m->nunits == 0 || n < 4 || strcmp(doc + n - 4, "[]\n}") != 0) {
		fputs(doc, f);
	} else {
		fwrite(doc, 1, n - 3, f);	/* up to its "[" */
		for (size_t i = 0; rc == 0 && i < m->nunits; i++) {
			fputs(i ? ",\n" : "\n", f);
			rc = put_unit(m, &m->units[i], f);
			progress_yield();	/* the watchdog and the inbox */
		}
		fputs("\n  ]\n}", f);
	}
	fputc('\n', f);
	free(doc);
	return rc == 0 && !ferror(f) ? 0 : -1;
}
