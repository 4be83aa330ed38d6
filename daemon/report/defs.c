/* The report's indicators (etc/report.yaml, built in; or the file of
 * report.indicators): each an expression of the rule language over the
 * span, written with N (periods in the span) and Y (periods in a year),
 * with its title, meaning, unit, decimals and national reference. Parsed
 * like every YAML file Vigie reads (every error at its FILE:LINE:COL,
 * unknown keys with a suggestion), and compiled by the rule language's own
 * compiler into a rule set the engine evaluates: the figures of the report
 * are the engine's, exactly those `vigie eval` prints for a rule with the
 * same value. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report_impl.h"
#include "vigie/cycle.h"
#include "vigie/expr.h"
#include "vigie/log.h"
#include "vigie/xalloc.h"
#include "vigie/yaml.h"

#define MAX_INDICATORS 32
#define MAX_DECIMALS 6

struct ld {
	struct diags *d;
	const char *file;
	const struct ydoc *doc;
	size_t before;
	struct rdefs *out;
};

static void err(struct ld *l, const struct ynode *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void err(struct ld *l, const struct ynode *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diags_vadd(l->d, l->file, n ? n->line : 0, n ? n->col : 0, fmt, ap);
	va_end(ap);
}

/* A one-line string, or NULL after an error. */
static char *string(struct ld *l, const struct ynode *n, const char *what)
{
	if (n->type != Y_SCALAR || yscalar_is_null(n) || n->len == 0) {
		err(l, n, "%s must be a non-empty string, not %s", what,
		    n->type == Y_SCALAR ? "an empty value" : ynode_type_name(n));
		return NULL;
	}
	if (strlen(n->str) != n->len || strpbrk(n->str, "\r\n\t")) {
		err(l, n, "%s must be one line of text", what);
		return NULL;
	}
	return xstrdup(n->str);
}

/* A text in French and English: "text" (both) or { fr: ..., en: ... }. */
static void texts(struct ld *l, const struct ynode *n, const char *what,
    char *out[NLOC])
{
	static const char *const keys[NLOC] = { "fr", "en" };

	if (n->type != Y_MAP) {
		out[0] = string(l, n, what);
		out[1] = out[0] ? xstrdup(out[0]) : NULL;
		return;
	}
	ymap_check_keys(l->d, l->file, n, keys, NLOC, what);
	for (size_t i = 0; i < n->n; i++)
		for (int k = 0; k < NLOC; k++)
			if (n->keys[i]->type == Y_SCALAR && !strcmp(n->keys[i]->str, keys[k]) &&
			    !out[k])
				out[k] = string(l, n->vals[i], what);
	if (!out[0] && !out[1])
		err(l, n, "%s needs a text in fr or en", what);
}

char *rdef_expand(const char *src, int n, int y)
{
	size_t len = strlen(src), cap = len * 4 + 16, k = 0;
	char *out = xmalloc(cap);

	for (size_t i = 0; i < len; i++) {
		char c = src[i];
		bool alone = (c == 'N' || c == 'Y') &&
		    (i == 0 || !(isalnum((unsigned char)src[i - 1]) || src[i - 1] == '_' ||
		    src[i - 1] == '.')) &&
		    !(isalnum((unsigned char)src[i + 1]) || src[i + 1] == '_' || src[i + 1] == '.');

		if (alone)
			k += (size_t)snprintf(out + k, cap - k, "%d", c == 'N' ? n : y);
		else
			out[k++] = c;
	}
	out[k] = '\0';
	return out;
}

/* The capitals of an expression must be N or Y standing alone: anything
 * else is a typo that the rule language would report less clearly.
 * Returns the offset of the first bad one, or -1. */
static long bad_capital(const char *s)
{
	bool comment = false;

	for (size_t i = 0; s[i]; i++) {
		if (s[i] == '#')
			comment = true;
		else if (s[i] == '\n')
			comment = false;
		if (comment || !isupper((unsigned char)s[i]))
			continue;
		if ((s[i] != 'N' && s[i] != 'Y') ||
		    (i > 0 && (isalnum((unsigned char)s[i - 1]) || s[i - 1] == '_')) ||
		    isalnum((unsigned char)s[i + 1]) || s[i + 1] == '_')
			return (long)i;
	}
	return -1;
}

/* Indicator name read at pos, unless an earlier indicator read it. */
static void note_use(struct rdefs *out, const char *name, struct srcpos pos)
{
	for (size_t i = 0; i < out->nuses; i++)
		if (!strcmp(out->uses[i].name, name))
			return;
	out->uses = xreallocarray(out->uses, out->nuses + 1, sizeof(*out->uses));
	out->uses[out->nuses++] = (struct rdef_use){ xstrdup(name), pos.line, pos.col };
}

/* Compiles the value with N = 2 and Y = 3 (one character each, so that the
 * file positions of every other character stay right) to report its
 * errors where they are, and notes the indicators it reads. */
static void check_value(struct ld *l, const struct ynode *v, const char *src)
{
	static const char *const secret[] = { "social_worker_contacts",
	    "medical_visits_on_request" };
	struct srcpos *pos = xcalloc(v->len + 1, sizeof(*pos));
	struct names nm = { 0 };
	struct expr *e;
	long bad = bad_capital(src);
	char *probe;

	ydoc_scalar_positions(l->doc, v, pos);
	if (bad >= 0) {
		diags_add(l->d, l->file, pos[bad].line, pos[bad].col, "only N (the periods "
		    "of the span) and Y (the periods of a year) may be written in capitals "
		    "in a report indicator; indicator names are lowercase");
		free(pos);
		return;
	}
	probe = rdef_expand(src, 2, 3);
	e = expr_compile(probe, strlen(probe), l->file, pos, &nm, l->d, NULL);
	if (e && expr_uses_hierarchy(e))
		err(l, v, "a report indicator is computed unit by unit: parent() and "
		    "peer_avg() are not allowed");
	/* The report goes to HR and the works council (SPEC 3). */
	for (size_t i = 0; e && i < sizeof(secret) / sizeof(secret[0]); i++)
		if (names_find(&nm, secret[i], strlen(secret[i])) >= 0)
			err(l, v, "a report indicator may not read %s: it is covered by "
			    "secrecy, and the report goes to HR and the works council",
			    secret[i]);
	for (size_t i = 0; e && i < nm.n; i++)
		note_use(l->out, nm.v[i], pos[expr_first_use(src, v->len, nm.v[i], nm.len[i])]);
	expr_free(e);
	names_free(&nm);
	free(probe);
	free(pos);
}

static void load_reference(struct ld *l, const struct ynode *n, struct rdef *r)
{
	static const char *const keys[] = { "value", "year", "source", "publisher",
	    "kind" };
	long long y;

	if (n->type != Y_MAP) {
		err(l, n, "reference must be a mapping (value, year, source, publisher, "
		    "kind), not %s",
		    ynode_type_name(n));
		return;
	}
	ymap_check_keys(l->d, l->file, n, keys, sizeof(keys) / sizeof(keys[0]),
	    "reference");
	for (size_t i = 0; i < n->n; i++) {
		const char *k = n->keys[i]->type == Y_SCALAR ? n->keys[i]->str : "";
		const struct ynode *v = n->vals[i];

		if (!strcmp(k, "value")) {
			if (yscalar_double(v, &r->ref) != 0)
				err(l, v, "reference.value must be a number");
			else
				r->has_ref = true;
		} else if (!strcmp(k, "year")) {
			if (yscalar_int(v, &y) != 0 || y < 1900 || y > 2999)
				err(l, v, "reference.year must be a year such as 2023");
			else
				r->ref_year = (int)y;
		} else if (!strcmp(k, "source")) {
			texts(l, v, "reference.source", r->source);
		} else if (!strcmp(k, "publisher")) {
			texts(l, v, "reference.publisher", r->publisher);
		} else if (!strcmp(k, "kind")) {
			if (v->type == Y_SCALAR && !strcmp(v->str, "legal"))
				r->ref_legal = true;
			else if (v->type != Y_SCALAR || strcmp(v->str, "national"))
				err(l, v, "reference.kind must be national (a figure measured "
				    "across the country, the default) or legal (a threshold "
				    "set by law)");
		}
	}
	if (!r->has_ref)
		err(l, n, "reference needs a value");
	if (!r->source[0] && !r->source[1])
		err(l, n, "reference needs a source: who published the value");
}

/* An expression key's text (value, when), checked, or NULL after its
 * error. */
static char *expression(struct ld *l, const struct ynode *v, const char *key,
    const char *example)
{
	if (v->type != Y_SCALAR || yscalar_is_null(v) || v->len == 0 ||
	    strlen(v->str) != v->len) {
		err(l, v, "%s must be an expression such as %s", key, example);
		return NULL;
	}
	check_value(l, v, v->str);
	return xstrdup(v->str);
}

static void load_one(struct ld *l, const struct ynode *n, struct rdefs *out)
{
	static const char *const keys[] = { "id", "title", "meaning", "value", "when",
	    "unit", "decimals", "per_employee", "reference" };
	struct rdef *r;
	long long dec;

	if (n->type != Y_MAP) {
		err(l, n, "an indicator must be a mapping (id, title, value...), not %s",
		    ynode_type_name(n));
		return;
	}
	r = &out->v[out->n++];
	r->decimals = 1;
	r->line = n->line;
	r->col = n->col;
	ymap_check_keys(l->d, l->file, n, keys, sizeof(keys) / sizeof(keys[0]),
	    "an indicator");
	for (size_t i = 0; i < n->n; i++) {
		const char *k = n->keys[i]->type == Y_SCALAR ? n->keys[i]->str : "";
		const struct ynode *v = n->vals[i];

		if (!strcmp(k, "id")) {
			if ((r->id = string(l, v, "id"))) {
				bool ok = islower((unsigned char)r->id[0]);
				for (const char *c = r->id; *c; c++)
					ok &= islower((unsigned char)*c) || isdigit((unsigned char)*c) ||
					    *c == '-' || *c == '_';
				if (!ok || strlen(r->id) > 64)
					err(l, v, "id must be a name such as absenteeism: lowercase "
					    "letters, digits, '-' and '_', at most 64 bytes");
				for (size_t j = 0; ok && j + 1 < out->n; j++)
					if (out->v[j].id && !strcmp(out->v[j].id, r->id))
						err(l, v, "duplicate indicator id \"%s\"", r->id);
			}
		} else if (!strcmp(k, "title")) {
			texts(l, v, "title", r->title);
		} else if (!strcmp(k, "meaning")) {
			texts(l, v, "meaning", r->meaning);
		} else if (!strcmp(k, "value")) {
			if ((r->value = expression(l, v, "value",
			    "100 * sum(absence_days, N) / sum(workable_days, N)"))) {
				r->line = v->line;
				r->col = v->col;
			}
		} else if (!strcmp(k, "when")) {
			r->when = expression(l, v, "when", "sum(work_accidents, N) >= 3");
		} else if (!strcmp(k, "unit")) {
			r->unit = string(l, v, "unit");
		} else if (!strcmp(k, "decimals")) {
			if (yscalar_int(v, &dec) != 0 || dec < 0 || dec > MAX_DECIMALS)
				err(l, v, "decimals must be a whole number from 0 to %d",
				    MAX_DECIMALS);
			else
				r->decimals = (int)dec;
		} else if (!strcmp(k, "per_employee")) {
			long long per;

			if (v->type == Y_SCALAR && (!strcmp(v->str, "true") ||
			    !strcmp(v->str, "false")))
				r->per_employee = strcmp(v->str, "true") ? 0 : 100;
			else if (yscalar_int(v, &per) == 0 && per >= 10 && per <= 100000)
				r->per_employee = (int)per;
			else
				err(l, v, "per_employee must be true (a rate per 100 "
				    "employees), false, or the employees the rate is "
				    "per (1000 for a rate per 1,000)");
		} else if (!strcmp(k, "reference")) {
			load_reference(l, v, r);
		}
	}
	if (!r->id)
		err(l, n, "an indicator needs an id");
	if (!r->title[0] && !r->title[1])
		err(l, n, "indicator%s%s needs a title", r->id ? " " : "", r->id ? r->id : "");
	if (!r->value)
		err(l, n, "indicator%s%s needs a value", r->id ? " " : "", r->id ? r->id : "");
}

int rdefs_parse(const char *file, const char *buf, size_t len,
    struct rdefs *out, struct diags *d)
{
	static const char *const top[] = { "indicators" };
	struct ld l = { .d = d, .file = file, .before = d->n, .out = out };
	const struct ynode *list = NULL;
	struct ydoc *doc;

	memset(out, 0, sizeof(*out));
	out->file = xstrdup(file);
	if (!(doc = ydoc_parse(file, buf, len, d))) {
		rdefs_free(out);
		return -1;
	}
	l.doc = doc;
	if (!doc->root || doc->root->type != Y_MAP) {
		err(&l, doc->root, "a report indicators file is a mapping with one key, "
		    "indicators: a list");
	} else {
		ymap_check_keys(d, file, doc->root, top, 1, NULL);
		for (size_t i = 0; i < doc->root->n; i++)
			if (doc->root->keys[i]->type == Y_SCALAR &&
			    !strcmp(doc->root->keys[i]->str, "indicators"))
				list = doc->root->vals[i];
		if (!list || list->type != Y_SEQ || list->n == 0)
			err(&l, list ? list : doc->root, "indicators must be a list of at "
			    "least one indicator");
		else if (list->n > MAX_INDICATORS)
			err(&l, list, "at most %d indicators fit in a report", MAX_INDICATORS);
		else {
			out->v = xcalloc(list->n, sizeof(*out->v));
			for (size_t i = 0; i < list->n; i++)
				load_one(&l, list->items[i], out);
		}
	}
	ydoc_free(doc);
	if (d->n > l.before) {
		rdefs_free(out);
		return -1;
	}
	return 0;
}

int rdefs_load(const char *path, struct rdefs *out, struct diags *d)
{
	size_t len = 0;
	char *buf;
	int rc;

	if (!path)
		return rdefs_parse(REPORT_BUILTIN_NAME, report_builtin_yaml,
		    report_builtin_yaml_len, out, d);
	memset(out, 0, sizeof(*out));
	struct diags why = { 0 };
	/* As a rule file is read: a regular file of at most 4 MiB. */
	if (!(buf = ydoc_read(path, &len, &why))) {
		diags_add(d, path, 0, 0, "cannot read the report indicators: %s",
		    why.n ? why.v[0].msg : "?");
		diags_free(&why);
		return -1;
	}
	rc = rdefs_parse(path, buf, len, out, d);
	free(buf);
	return rc;
}

int report_indicators_check(const struct config *cfg, struct diags *d)
{
	struct rdefs defs;

	if (!cfg->report.indicators)
		return 0;
	if (rdefs_load(cfg->report.indicators, &defs, d) != 0)
		return -1;
	rdefs_free(&defs);
	return 0;
}

void report_warnings(const struct config *cfg, const struct ruleset *rs, FILE *out)
{
	struct diags w = { .kind = "warning" }, ignored = { 0 };
	struct rdefs defs;
	const char **known;
	char **stored = NULL;
	size_t nknown, nstored = 0;

	cycle_warnings(cfg, rs, out);
	/* The built-in file reads the vocabulary only; the errors of the
	 * configuration's are report_indicators_check's. */
	if (!cfg->report.indicators || rdefs_load(cfg->report.indicators, &defs,
	    &ignored) != 0) {
		diags_free(&ignored);
		return;
	}
	if (cfg->database)
		store_indicator_names(cfg->database, &stored, &nstored);
	known = vocabulary_known(stored, nstored, &nknown);
	for (size_t i = 0; i < defs.nuses; i++)
		vocabulary_check_name(defs.uses[i].name, known, nknown, defs.file,
		    defs.uses[i].line, defs.uses[i].col, &w);
	free(known);
	store_names_free(stored, nstored);
	rdefs_free(&defs);
	if (out)
		diags_print(&w, out, 0);
	else
		log_diag_lines(LOG_WARNING, &w, 0);
	diags_free(&w);
}

bool rdefs_has_ref(const struct rdefs *defs, bool legal)
{
	for (size_t i = 0; i < defs->n; i++)
		if (defs->v[i].has_ref && defs->v[i].ref_legal == legal)
			return true;
	return false;
}

void rdefs_free(struct rdefs *defs)
{
	for (size_t i = 0; i < defs->n; i++) {
		struct rdef *r = &defs->v[i];

		free(r->id);
		free(r->unit);
		free(r->value);
		free(r->when);
		for (int k = 0; k < NLOC; k++) {
			free(r->title[k]);
			free(r->meaning[k]);
			free(r->source[k]);
			free(r->publisher[k]);
		}
	}
	for (size_t i = 0; i < defs->nuses; i++)
		free(defs->uses[i].name);
	free(defs->uses);
	free(defs->v);
	free(defs->file);
	memset(defs, 0, sizeof(*defs));
}

/* One rule of the report's rule set: every unit, no threshold, so that
 * the engine gives the value and whether it is suppressed, nothing else. */
static int make_rule(struct ruleset *rs, const struct rdefs *defs, size_t i,
    int n, int y, const char *suffix, struct diags *d)
{
	const struct rdef *def = &defs->v[i];
	struct rule *r = &rs->rules[rs->n++];
	char *src = rdef_expand(def->value, n, y);

	r->id = xasprintf("%s%s", def->id, suffix);
	r->title = xstrdup(rdef_text((char *const *)def->title, LOC_FR));
	r->value = expr_compile(src, strlen(src), defs->file, NULL, &rs->names, d, NULL);
	if (!r->value) {
		/* Valid with N = 2, refused with this span: say which. */
		diags_add(d, defs->file, def->line, def->col, "indicator %s cannot be "
		    "computed over %d periods: %s", def->id, n, src);
	}
	free(src);
	if (r->value && def->when) {
		src = rdef_expand(def->when, n, y);
		if (!(r->when = expr_compile(src, strlen(src), defs->file, NULL, &rs->names,
		    d, NULL)))
			diags_add(d, defs->file, def->line, def->col, "indicator %s: its "
			    "when cannot be computed over %d periods: %s", def->id, n, src);
		free(src);
	}
	r->scope = xcalloc(1, sizeof(*r->scope));
	r->scope[0] = xstrdup("**");
	r->nscope = 1;
	r->for_n = 1;
	r->clear = NAN;
	r->warning = r->critical = NAN;
	r->decimals = def->decimals;
	r->enabled = true;
	r->carry_over = 0;
	r->file = xstrdup(defs->file);
	r->line = def->line;
	r->col = def->col;
	return r->value && (!def->when || r->when) ? 0 : -1;
}

struct ruleset *rdefs_ruleset(const struct rdefs *defs, int n, int y,
    struct diags *d)
{
	struct ruleset *rs = xcalloc(1, sizeof(*rs));
	int bad = 0;

	rs->rules = xcalloc(3 * defs->n + 1, sizeof(*rs->rules));
	for (size_t i = 0; i < defs->n; i++)
		bad |= make_rule(rs, defs, i, n, y, "", d);
	for (size_t i = 0; i < defs->n; i++)
		bad |= make_rule(rs, defs, i, y, y, "@year", d);
	for (size_t i = 0; i < defs->n; i++)
		bad |= make_rule(rs, defs, i, 1, y, "@1", d);
	if (bad) {
		rdefs_ruleset_free(rs);
		return NULL;
	}
	return rs;
}

void rdefs_ruleset_free(struct ruleset *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->n; i++) {
		struct rule *r = &rs->rules[i];

		free(r->id);
		free(r->title);
		expr_free(r->value);
		expr_free(r->when);
		for (size_t k = 0; k < r->nscope; k++)
			free(r->scope[k]);
		free(r->scope);
		free(r->file);
	}
	free(rs->rules);
	names_free(&rs->names);
	free(rs);
}
