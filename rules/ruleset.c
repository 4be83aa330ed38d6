/* Loading and validating rule files (SPEC 5). Each file is parsed into a
 * YAML tree (rules/yaml.c), then every rule is checked key by key; every
 * problem is recorded as FILE:LINE:COLUMN at the node it concerns and the
 * loader keeps going, so one run of `vigie check` shows all of them. A set
 * with any error is discarded as a whole: the daemon swaps in a new rule set
 * only when it is complete and valid. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <search.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include "vigie/rules.h"
#include "vigie/unit.h"
#include "vigie/yaml.h"
#include "vigie/xalloc.h"

static const char *const rule_keys[] = {
	"id", "title", "value", "above", "below", "for", "when", "scope",
	"min_headcount", "notify", "summary", "guidance", "labels",
	"repeat_every", "decimals", "enabled", "carry_over", "observed",
	"expected", "measure", "components", "compare", "inhibited_by",
	"period",
};
#define NRULE_KEYS (sizeof(rule_keys) / sizeof(rule_keys[0]))

static const char *const threshold_keys[] = { "warning", "critical", "clear" };

/* Words people write for keys, which edit distance cannot relate to the
 * key: other words for thresholds, and the French of HR and of the console
 * (« vigilance », « critique », « seuil de fin »), accented or not. The
 * suggestion points at the usual form. */
struct synonym {
	const char *word, *key;
};
static const struct synonym rule_synonyms[] = {
	{ "threshold", "above" }, { "thresholds", "above" },
	{ "treshold", "above" }, { "tresholds", "above" },
	{ "seuil", "above" }, { "seuils", "above" },
	{ "name", "id" }, { "description", "guidance" },
	{ "message", "summary" }, { "condition", "when" },
	{ "unit", "scope" }, { "units", "scope" },
	{ "disabled", "enabled" },
	{ "nom", "id" }, { "identifiant", "id" },
	{ "titre", "title" }, { "libellé", "title" }, { "libelle", "title" },
	{ "valeur", "value" }, { "formule", "value" },
	{ "au-dessus", "above" }, { "dessus", "above" },
	{ "au-dessous", "below" }, { "dessous", "below" },
	{ "en-dessous", "below" }, { "sous", "below" },
	{ "pendant", "for" }, { "durée", "for" }, { "duree", "for" },
	{ "quand", "when" }, { "si", "when" }, { "lorsque", "when" },
	{ "portée", "scope" }, { "portee", "scope" },
	{ "périmètre", "scope" }, { "perimetre", "scope" },
	{ "effectif_min", "min_headcount" },
	{ "effectif_minimum", "min_headcount" },
	{ "destinataires", "notify" }, { "destinataire", "notify" },
	{ "notifier", "notify" }, { "prévenir", "notify" },
	{ "prevenir", "notify" },
	{ "résumé", "summary" }, { "resume", "summary" },
	{ "conseils", "guidance" }, { "conseil", "guidance" },
	{ "consignes", "guidance" }, { "consigne", "guidance" },
	{ "étiquettes", "labels" }, { "etiquettes", "labels" },
	{ "répéter", "repeat_every" }, { "repeter", "repeat_every" },
	{ "décimales", "decimals" }, { "actif", "enabled" },
	{ "active", "enabled" }, { "observé", "observed" },
	{ "observe", "observed" }, { "attendu", "expected" },
	{ "composantes", "components" }, { "comparer", "compare" },
	{ "période", "period" }, { "periode", "period" },
	{ "granularity", "period" }, { "granularité", "period" },
	{ "inhibit", "inhibited_by" }, { "inhibited-by", "inhibited_by" },
	{ "inhibit_by", "inhibited_by" }, { "inhibitors", "inhibited_by" },
	{ "couverte_par", "inhibited_by" }, { "inhibée_par", "inhibited_by" },
	{ "inhibee_par", "inhibited_by" },
	{ NULL, NULL },
};
static const struct synonym threshold_synonyms[] = {
	{ "warn", "warning" }, { "alert", "warning" }, { "alerte", "warning" },
	{ "crit", "critical" }, { "critique", "critical" },
	{ "resolve", "clear" }, { "recover", "clear" },
	{ "vigilance", "warning" }, { "avertissement", "warning" },
	{ "attention", "warning" }, { "fin", "clear" }, { "retour", "clear" },
	{ "levée", "clear" }, { "levee", "clear" }, { NULL, NULL },
};

struct loader {
	struct ruleset *rs;
	struct diags *d;
	struct ydoc *doc;	/* file being read */
	const char *file;
	size_t cap;		/* of rs->rules */
	struct hsearch_data ids;	/* id -> index in rs->rules */
	bool too_many;
	enum locale loc;	/* whose text of { fr:, en: } the rules keep */
};

static void verr_at(struct loader *ld, int line, int col, const char *fmt,
    va_list ap)
{
	char *msg = NULL;

	if (vasprintf(&msg, fmt, ap) < 0)
		xalloc_die();
	diags_add(ld->d, ld->file, line, col, "%s", msg);
	free(msg);
}

static void verr_at_pos(struct loader *ld, int line, int col,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void verr_at_pos(struct loader *ld, int line, int col,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr_at(ld, line, col, fmt, ap);
	va_end(ap);
}

static void err(struct loader *ld, const struct ynode *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void err(struct loader *ld, const struct ynode *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr_at(ld, n->line, n->col, fmt, ap);
	va_end(ap);
}

/* File positions of every byte of a scalar; caller frees. */
static struct srcpos *positions(struct loader *ld, const struct ynode *n)
{
	struct srcpos *pos = calloc(n->len + 1, sizeof(*pos));

	if (!pos)
		xalloc_die();
	ydoc_scalar_positions(ld->doc, n, pos);
	return pos;
}

/* A diagnostic into d at byte off of scalar n. */
static void vat_byte(struct loader *ld, struct diags *d, const struct ynode *n,
    size_t off, const char *fmt, va_list ap)
{
	struct srcpos *pos = positions(ld, n);

	if (off > n->len)
		off = n->len;
	diags_vadd(d, ld->file, pos[off].line, pos[off].col, fmt, ap);
	free(pos);
}

/* An error at byte off of scalar n. */
static void err_byte(struct loader *ld, const struct ynode *n, size_t off,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void err_byte(struct loader *ld, const struct ynode *n, size_t off,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vat_byte(ld, ld->d, n, off, fmt, ap);
	va_end(ap);
}

/* A warning at byte off of scalar n: the file loads, but that part of it
 * will not do what it seems to say. */
static void warn_byte(struct loader *ld, const struct ynode *n, size_t off,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void warn_byte(struct loader *ld, const struct ynode *n, size_t off,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vat_byte(ld, &ld->rs->warnings, n, off, fmt, ap);
	va_end(ap);
}

/* How a value is shown in "found ..." messages: quoted and cut short. */
static const char *found(const struct ynode *n, char *buf, size_t size)
{
	if (n->type != Y_SCALAR)
		return ynode_type_name(n);
	if (yscalar_is_null(n))
		return "nothing";
	if (n->len > 40) {
		int cut = 37;

		/* Cut on a character boundary, not inside a UTF-8 sequence. */
		while (cut > 0 && ((unsigned char)n->str[cut] & 0xC0) == 0x80)
			cut--;
		snprintf(buf, size, "\"%.*s...\"", cut, n->str);
	}
	else
		snprintf(buf, size, "\"%s\"", n->str);
	return buf;
}

/* Index of the first character of s not matching [a-z0-9][a-z0-9_-]*, or
 * len when it all does (and is not empty). */
static size_t bad_name_char(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    (i > 0 && (c == '_' || c == '-'));
		if (!ok)
			return i;
	}
	return len;
}

static size_t bad_label_char(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    c == '_' || (i > 0 && c >= '0' && c <= '9');
		if (!ok)
			return i;
	}
	return len;
}

/* Reports an unknown key, suggesting a synonym's key when the word is one
 * (ykey_unknown suggests the closest key otherwise). */
static void unknown_key(struct loader *ld, const struct ynode *k,
    const char *const *cands, size_t n, const struct synonym *syn)
{
	const char *sugg = NULL;

	for (; syn && syn->word && !sugg; syn++)
		if (!strcasecmp(k->str, syn->word))
			sugg = syn->key;
	ykey_unknown(ld->d, ld->file, k, cands, n, sugg, NULL);
}

/* yaml.c already refuses duplicate and non-scalar keys; this guards the
 * string comparisons below should that ever change. */
static bool key_ok(struct loader *ld, const struct ynode *m, size_t i)
{
	const struct ynode *k = m->keys[i];

	if (k->type != Y_SCALAR) {
		err(ld, k, "a key must be a plain word, found %s", ynode_type_name(k));
		return false;
	}
	return true;
}

/* A string value (title, guidance, summary); NULL after an error. */
static char *get_string(struct loader *ld, const char *key,
    const struct ynode *v)
{
	char buf[64];

	if (v->type != Y_SCALAR) {
		err(ld, v, "\"%s\" must be a string, found %s", key, found(v, buf, sizeof(buf)));
		return NULL;
	}
	if (yscalar_is_null(v) || v->len == 0) {
		err(ld, v, "\"%s\" must not be empty", key);
		return NULL;
	}
	if (strlen(v->str) != v->len) {
		err(ld, v, "\"%s\" must not contain a NUL character", key);
		return NULL;
	}
	return xstrdup(v->str);
}

/* The languages of a text readers see, in enum locale order. */
static const char *const lang_keys[] = { "fr", "en" };
#define NLANG 2

/* The language a key written for fr or en means: en-GB, english, anglais;
 * NULL when none. */
static const char *lang_hint(const char *key)
{
	if (!strncasecmp(key, "en", 2) || !strcasecmp(key, "anglais"))
		return "en";
	if (!strncasecmp(key, "fr", 2))
		return "fr";
	return NULL;
}

/* Whether every key of mapping v is a language: the { fr:, en: } form. */
static bool lang_map(const struct ynode *v)
{
	if (v->type != Y_MAP || v->n == 0)
		return false;
	for (size_t i = 0; i < v->n; i++) {
		const struct ynode *k = v->keys[i];

		if (k->type != Y_SCALAR || (strcmp(k->str, lang_keys[LOC_FR]) &&
		    strcmp(k->str, lang_keys[LOC_EN])))
			return false;
	}
	return true;
}

/* A text readers see: a string, the same in every language, or a mapping
 * { fr: "...", en: "..." } where a language left out reads the other's.
 * Sets t[LOC_FR] and t[LOC_EN] to the node of each language's text (the
 * same node for a string; NULL for a language not written); what (the
 * key, "guidance for role \"hr\"") names it in errors. Each text is the
 * caller's to check. False after an error. */
static bool text_nodes(struct loader *ld, const char *what,
    const struct ynode *v, const struct ynode *t[NLANG])
{
	bool ok = true;

	t[LOC_FR] = t[LOC_EN] = NULL;
	if (v->type != Y_MAP) {
		t[LOC_FR] = t[LOC_EN] = v;
		return true;
	}
	for (size_t i = 0; i < v->n; i++) {
		const struct ynode *k = v->keys[i];
		int l;

		if (!key_ok(ld, v, i)) {
			ok = false;
			continue;
		}
		for (l = 0; l < NLANG && strcmp(k->str, lang_keys[l]); l++)
			;
		if (l < NLANG) {
			t[l] = v->vals[i];
			continue;
		}
		ykey_unknown(ld->d, ld->file, k, lang_keys, NLANG,
		    lang_hint(k->str), what);
		ok = false;
	}
	if (v->n == 0) {
		err(ld, v, "%s must not be an empty mapping: write its text in fr, "
		    "en or both, as in { fr: \"...\", en: \"...\" }", what);
		ok = false;
	}
	if (ok && !t[ld->loc])
		diags_add(&ld->rs->warnings, ld->file, v->line, v->col, "%s has no "
		    "\"%s\" text: under locale %s (vigie.yaml) readers see its \"%s\" "
		    "text", what, lang_keys[ld->loc], lang_keys[ld->loc],
		    lang_keys[!ld->loc]);
	return ok;
}

/* Of the texts t of each language, the one the rule keeps: the loader's
 * locale's, else the other's. */
static const struct ynode *text_kept(const struct loader *ld,
    const struct ynode *const t[NLANG])
{
	return t[ld->loc] ? t[ld->loc] : t[!ld->loc];
}

/* Each language's text once: a string stands for both. */
static bool text_first(const struct ynode *const t[NLANG], int l)
{
	return t[l] && !(l == LOC_EN && t[LOC_EN] == t[LOC_FR]);
}

static void check_no_placeholder(struct loader *ld, const char *key,
    const struct ynode *v);

#define TEXT_ONE_LINE 1		/* measure */
#define TEXT_NO_PLACEHOLDER 2	/* title: warn of {{...}} */

/* title, measure: a text (text_nodes) whose every language is a string
 * get_string takes; the locale's, or NULL after an error. */
static char *get_text(struct loader *ld, const char *key,
    const struct ynode *v, int flags)
{
	const struct ynode *t[NLANG], *kept;
	char what[64], *out = NULL;
	bool ok = true;

	snprintf(what, sizeof(what), "\"%s\"", key);
	if (v->type == Y_SEQ) {
		err(ld, v, "\"%s\" must be a string, or its text in each language "
		    "as in { fr: \"...\", en: \"...\" }, found a list", key);
		return NULL;
	}
	if (!text_nodes(ld, what, v, t))
		return NULL;
	kept = text_kept(ld, t);
	for (int l = 0; l < NLANG; l++) {
		char *s;

		if (!text_first(t, l))
			continue;
		if (!(s = get_string(ld, key, t[l]))) {
			ok = false;
			continue;
		}
		if ((flags & TEXT_ONE_LINE) && strpbrk(s, "\r\n")) {
			err(ld, t[l], "\"%s\" must be one line of text", key);
			free(s);
			ok = false;
			continue;
		}
		if (flags & TEXT_NO_PLACEHOLDER)
			check_no_placeholder(ld, key, t[l]);
		if (t[l] == kept)
			out = s;
		else
			free(s);
	}
	if (!ok) {
		free(out);
		return NULL;
	}
	return out;
}

/* An integer in [min, max]; false after an error. */
static bool get_int(struct loader *ld, const char *key, const struct ynode *v,
    long long min, long long max, int *out)
{
	char buf[64];
	long long x;

	if (v->type == Y_SCALAR && yscalar_int(v, &x) == 0 && x >= min && x <= max) {
		*out = (int)x;
		return true;
	}
	if (max == INT_MAX)
		err(ld, v, "\"%s\" must be an integer of at least %lld, found %s",
		    key, min, found(v, buf, sizeof(buf)));
	else
		err(ld, v, "\"%s\" must be an integer from %lld to %lld, found %s",
		    key, min, max, found(v, buf, sizeof(buf)));
	return false;
}

/* period: the granularity the rule's windows and texts are written for
 * (vigie-rules(5)): "month" or "week"; the usual other spellings are told
 * which one they mean. */
static void get_period(struct loader *ld, struct rule *r, const struct ynode *v)
{
	static const struct { const char *word; enum granularity g; } near[] = {
		{ "months", GRAN_MONTH }, { "monthly", GRAN_MONTH },
		{ "mois", GRAN_MONTH }, { "mensuel", GRAN_MONTH },
		{ "mensuelle", GRAN_MONTH }, { "weeks", GRAN_WEEK },
		{ "weekly", GRAN_WEEK }, { "semaine", GRAN_WEEK },
		{ "semaines", GRAN_WEEK }, { "hebdomadaire", GRAN_WEEK },
	};
	char buf[64];

	if (v->type == Y_SCALAR && !yscalar_is_null(v)) {
		for (int g = GRAN_MONTH; g <= GRAN_WEEK; g++)
			if (!strcmp(v->str, granularity_name((enum granularity)g))) {
				r->period_set = true;
				r->period = (enum granularity)g;
				r->period_line = v->line;
				r->period_col = v->col;
				return;
			}
		for (size_t i = 0; i < sizeof(near) / sizeof(near[0]); i++)
			if (!strcasecmp(v->str, near[i].word)) {
				err(ld, v, "\"period\" must be month or week, found "
				    "%s; did you mean \"%s\"?", found(v, buf,
				    sizeof(buf)), granularity_name(near[i].g));
				return;
			}
	}
	err(ld, v, "\"period\" must be month or week (the granularity the "
	    "rule's windows and texts are written for), found %s",
	    found(v, buf, sizeof(buf)));
}

static bool word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

size_t expr_first_use(const char *src, size_t len, const char *name, size_t nlen)
{
	bool comment = false;

	for (size_t k = 0; k + nlen <= len; k++) {
		char c = src[k];

		if (comment || c == '#') {
			comment = c != '\n';
			continue;
		}
		if ((k == 0 || !word_char(src[k - 1])) && !memcmp(src + k, name, nlen) &&
		    (k + nlen == len || !word_char(src[k + nlen])))
			return k;
	}
	return 0;
}

/* Records where name i, new in v's expression, is first read. */
static void note_first_use(struct loader *ld, const struct ynode *v,
    const struct srcpos *pos, size_t i)
{
	struct ruleset *rs = ld->rs;
	size_t at = expr_first_use(v->str, v->len, rs->names.v[i], rs->names.len[i]);

	rs->name_use = xrealloc(rs->name_use, rs->names.n * sizeof(*rs->name_use));
	rs->name_use[i] = (struct name_use){ rs->nfiles ? rs->nfiles - 1 : 0,
	    pos ? pos[at].line : 1, pos ? pos[at].col : (int)at + 1 };
}

static struct expr *get_expr(struct loader *ld, const char *key,
    const struct ynode *v)
{
	char buf[64];
	struct srcpos *pos;
	struct expr *e;

	if (v->type != Y_SCALAR) {
		err(ld, v, "\"%s\" must be an expression, found %s", key,
		    found(v, buf, sizeof(buf)));
		return NULL;
	}
	if (yscalar_is_null(v)) {
		err(ld, v, "\"%s\" must not be empty", key);
		return NULL;
	}
	pos = positions(ld, v);
	size_t before = ld->rs->names.n;
	e = expr_compile(v->str, v->len, ld->file, pos, &ld->rs->names, ld->d,
	    &ld->rs->warnings);
	for (size_t i = before; i < ld->rs->names.n; i++)
		note_first_use(ld, v, pos, i);
	free(pos);
	return e;
}

/* A threshold outside what the value can be (expr_range) is a warning: it
 * is never crossed, or crossed whenever the value is defined, which fires
 * on every unit at every period; a clear level crossed whenever the value
 * is defined keeps an alert active for ever. A percentage written where
 * the value is a probability (below: { warning: 5 } for 5 %) is the usual
 * cause. */
static void check_reachable(struct loader *ld, const struct rule *r,
    const struct ynode *th, const char *what)
{
	double lo, hi;
	char range[96];

	expr_range(r->value, &lo, &hi);
	if (th->type != Y_MAP || (isinf(lo) && isinf(hi)))
		return;
	if (isinf(lo))
		snprintf(range, sizeof(range), "at most %g", hi);
	else if (isinf(hi))
		snprintf(range, sizeof(range), "at least %g", lo);
	else
		snprintf(range, sizeof(range), "between %g and %g", lo, hi);
	for (size_t i = 0; i < th->n; i++) {
		const struct ynode *k = th->keys[i];
		bool clear;
		double t;
		char hint[96] = "";

		if (k->type != Y_SCALAR)
			continue;
		clear = !strcmp(k->str, "clear");
		if (!clear && strcmp(k->str, "warning") && strcmp(k->str, "critical"))
			continue;
		t = clear ? r->clear : !strcmp(k->str, "warning") ? r->warning :
		    r->critical;
		if (lo >= 0 && hi <= 1 && t > 1)
			snprintf(hint, sizeof(hint), "; a probability is written as "
			    "a fraction: %g %% is %g", t, t / 100);
		if (clear) {
			if (r->below ? t > hi : t < lo)
				diags_add(&ld->rs->warnings, ld->file,
				    th->vals[i]->line, th->vals[i]->col, "%s: its "
				    "value is always %s, so %s %g whenever it is "
				    "defined: with \"clear: %g\" an alert would never "
				    "resolve%s", what, range, r->below ? "below" :
				    "above", t, t, hint);
			continue;
		}
		if (r->below ? t <= lo : t >= hi)
			diags_add(&ld->rs->warnings, ld->file, th->vals[i]->line,
			    th->vals[i]->col, "%s: its value is always %s, never "
			    "%s %g: \"%s: %g\" can never fire%s", what, range,
			    r->below ? "below" : "above", t, k->str, t, hint);
		else if (r->below ? t > hi : t < lo)
			diags_add(&ld->rs->warnings, ld->file, th->vals[i]->line,
			    th->vals[i]->col, "%s: its value is always %s, so %s %g "
			    "whenever it is defined: \"%s: %g\" would fire on every "
			    "unit with data, every period%s", what, range,
			    r->below ? "below" : "above", t, k->str, t, hint);
	}
}

/* "15,5": digits, one comma, digits (a French spreadsheet's number). */
static bool decimal_comma(const char *s)
{
	size_t a = strspn(s, "0123456789");

	return a > 0 && s[a] == ',' && s[a + 1] && strspn(s + a + 1, "0123456789") ==
	    strlen(s + a + 1);
}

/* The number a threshold's text spells once read as a plain scalar with
 * no trailing "%" (and the spaces before it); false when it spells none. */
static bool number_in(const struct ynode *v, bool *percent, double *x)
{
	struct ynode plain = *v;
	char text[64];
	size_t n = v->len;

	*percent = n > 0 && v->str[n - 1] == '%';
	if (*percent)
		while (--n > 0 && v->str[n - 1] == ' ')
			;
	if (n >= sizeof(text))
		return false;
	memcpy(text, v->str, n);
	text[n] = '\0';
	plain.str = text;
	plain.len = n;
	plain.style = YS_PLAIN;
	return yscalar_double(&plain, x) == 0;
}

/* A threshold that is not a number: a spreadsheet's "150%", or a number in
 * quotes, which YAML reads as text. */
static void threshold_not_a_number(struct loader *ld, const struct ynode *k,
    const struct ynode *v)
{
	char buf[64];
	bool percent;
	double x;

	if (v->type == Y_SCALAR && !yscalar_is_null(v) && number_in(v, &percent, &x)) {
		if (percent) {
			err(ld, v, "\"%s\" must be a number, found %s: write it on the "
			    "scale of the rule's value, without %%: %g for a ratio, %g "
			    "if the value is already a percentage", k->str,
			    found(v, buf, sizeof(buf)), x / 100, x);
			return;
		}
		if (v->style == YS_SINGLE || v->style == YS_DOUBLE) {
			err(ld, v, "\"%s\" must be a number: %s is quoted text; write "
			    "%s without quotes", k->str, found(v, buf, sizeof(buf)),
			    v->str);
			return;
		}
	}
	err(ld, v, "\"%s\" must be a number, found %s", k->str,
	    found(v, buf, sizeof(buf)));
}

static void get_thresholds(struct loader *ld, struct rule *r, const char *key,
    const struct ynode *v)
{
	const struct ynode *nodes[3] = { NULL, NULL, NULL };
	double x[3] = { 0, 0, 0 };
	bool ok[3] = { false, false, false };
	char buf[64];

	r->below = !strcmp(key, "below");
	if (v->type != Y_MAP) {
		err(ld, v, "\"%s\" must be a mapping of \"warning\", \"critical\" "
		    "and \"clear\", found %s", key, found(v, buf, sizeof(buf)));
		return;
	}
	for (size_t i = 0; i < v->n; i++) {
		const struct ynode *k = v->keys[i], *val = v->vals[i];
		size_t t;

		if (!key_ok(ld, v, i))
			continue;
		for (t = 0; t < 3; t++)
			if (!strcmp(k->str, threshold_keys[t]))
				break;
		if (t == 3 && i > 0 && k->len > 0 && strspn(k->str, "0123456789") == k->len &&
		    v->vals[i - 1]->type == Y_SCALAR && v->keys[i - 1]->type == Y_SCALAR) {
			/* { warning: 15,5 } is "warning: 15" and a key "5". */
			err(ld, k, "a decimal comma: \"%s: %s,%s\" reads as two entries; "
			    "write %s.%s", v->keys[i - 1]->str, v->vals[i - 1]->str, k->str,
			    v->vals[i - 1]->str, k->str);
			continue;
		}
		if (t == 3) {
			unknown_key(ld, k, threshold_keys, 3, threshold_synonyms);
			continue;
		}
		nodes[t] = val;
		if (val->type == Y_SCALAR && yscalar_double(val, &x[t]) != 0 &&
		    decimal_comma(val->str)) {
			/* The block form's "warning: 15,5" is one string. */
			err(ld, val, "a decimal comma: \"%s: %s\"; write %.*s.%s", k->str,
			    val->str, (int)strcspn(val->str, ","), val->str,
			    strchr(val->str, ',') + 1);
			continue;
		}
		if (val->type != Y_SCALAR || yscalar_double(val, &x[t]) != 0) {
			threshold_not_a_number(ld, k, val);
			continue;
		}
		ok[t] = true;
	}
	if (!nodes[0] && !nodes[1]) {
		err(ld, v, "\"%s\" needs \"warning\" or \"critical\"", key);
		return;
	}
	r->has_warning = ok[0];
	r->has_critical = ok[1];
	r->warning = x[0];
	r->critical = x[1];
	if ((nodes[0] && !ok[0]) || (nodes[1] && !ok[1]) || (nodes[2] && !ok[2]))
		return;	/* already reported; order checks would only add noise */
	if (ok[0] && ok[1] && !r->below && !(x[1] > x[0]))
		err(ld, nodes[1], "with \"above\", \"critical\" (%g) must be greater "
		    "than \"warning\" (%g)", x[1], x[0]);
	if (ok[0] && ok[1] && r->below && !(x[1] < x[0]))
		err(ld, nodes[1], "with \"below\", \"critical\" (%g) must be less "
		    "than \"warning\" (%g)", x[1], x[0]);
	/* With above the lowest threshold is warning when present; with below
	 * the highest one is. */
	double edge = ok[0] ? x[0] : x[1];
	if (!ok[2])
		r->clear = edge;
	else if (!r->below && x[2] > edge)
		err(ld, nodes[2], "with \"above\", \"clear\" (%g) must not exceed "
		    "the lowest threshold (%g)", x[2], edge);
	else if (r->below && x[2] < edge)
		err(ld, nodes[2], "with \"below\", \"clear\" (%g) must not be below "
		    "the highest threshold (%g)", x[2], edge);
	else
		r->clear = x[2];
}

static void get_scope(struct loader *ld, struct rule *r, const struct ynode *v)
{
	const struct ynode *one[1] = { v };
	const struct ynode *const *items = one;
	size_t n = 1;
	char buf[64];

	if (v->type == Y_SEQ) {
		if (v->n == 0) {
			err(ld, v, "\"scope\" must not be an empty list");
			return;
		}
		items = (const struct ynode *const *)v->items;
		n = v->n;
	} else if (v->type != Y_SCALAR) {
		err(ld, v, "\"scope\" must be a unit glob or a list of them, found %s",
		    found(v, buf, sizeof(buf)));
		return;
	}
	char **globs = calloc(n, sizeof(*globs));
	struct srcpos *at_ = calloc(n, sizeof(*at_));
	size_t ng = 0;
	if (!globs || !at_)
		xalloc_die();
	for (size_t i = 0; i < n; i++) {
		const struct ynode *g = items[i];
		const char *msg;
		size_t at;

		if (g->type != Y_SCALAR || yscalar_is_null(g)) {
			err(ld, g, "\"scope\" must be a unit glob or a list of them, "
			    "found %s", found(g, buf, sizeof(buf)));
			continue;
		}
		if (strlen(g->str) != g->len) {
			err(ld, g, "invalid unit glob: it contains a NUL character");
			continue;
		}
		if ((msg = unit_glob_check(g->str, &at))) {
			char *hint = unit_hint(g->str, g->len, true);
			err_byte(ld, g, at, "invalid scope \"%s\": %s%s%s%s", g->str,
			    msg, hint ? "; did you mean \"" : "", hint ? hint : "",
			    hint ? "\"?" : "");
			free(hint);
			continue;
		}
		at_[ng] = (struct srcpos){ g->line, g->col };
		globs[ng++] = xstrdup(g->str);
	}
	for (size_t i = 0; i < r->nscope; i++)
		free(r->scope[i]);
	free(r->scope);
	free(r->scope_at);
	r->scope = globs;
	r->scope_at = at_;
	r->nscope = ng;
}

static void get_notify(struct loader *ld, struct rule *r, const struct ynode *v)
{
	char buf[64];

	r->notify_set = true;
	r->notify_line = v->line;
	r->notify_col = v->col;
	if (v->type != Y_SEQ) {
		err(ld, v, "\"notify\" must be a list of roles such as "
		    "[social-worker, hr], found %s", found(v, buf, sizeof(buf)));
		return;
	}
	r->notify = calloc(v->n ? v->n : 1, sizeof(*r->notify));
	if (!r->notify)
		xalloc_die();
	for (size_t i = 0; i < v->n; i++) {
		const struct ynode *it = v->items[i];
		size_t at;

		if (it->type != Y_SCALAR || yscalar_is_null(it)) {
			err(ld, it, "a role in \"notify\" must be a name, found %s",
			    found(it, buf, sizeof(buf)));
			continue;
		}
		if ((at = bad_name_char(it->str, it->len)) < it->len || it->len == 0) {
			err_byte(ld, it, at, "invalid role name \"%s\" (use a-z, 0-9, "
			    "\"_\" and \"-\", starting with a letter or digit)", it->str);
			continue;
		}
		r->notify[r->nnotify++] = xstrdup(it->str);
	}
	if (v->n == 0)
		diags_add(&ld->rs->warnings, ld->file, v->line, v->col, "\"notify\" "
		    "names no role: the rule's alerts reach no one (no email or "
		    "webhook, no console user, not the works council's report) "
		    "and only vigie alerts lists them; name a role, or set "
		    "\"enabled: false\" to stop the rule");
}

/* inhibited_by: a list of rule ids, checked against the whole rule set
 * once every file is read (rules/inhibit.c). */
static void get_inhibited_by(struct loader *ld, struct rule *r, const struct ynode *v)
{
	char buf[64];

	if (v->type != Y_SEQ) {
		err(ld, v, "\"inhibited_by\" must be a list of rule ids such as "
		    "[burnout, conflicts], found %s", found(v, buf, sizeof(buf)));
		return;
	}
	r->inhibited_by = xcalloc(v->n ? v->n : 1, sizeof(*r->inhibited_by));
	r->inhibited_by_at = xcalloc(v->n ? v->n : 1, sizeof(*r->inhibited_by_at));
	for (size_t i = 0; i < v->n; i++) {
		const struct ynode *it = v->items[i];
		size_t at;

		if (it->type != Y_SCALAR || yscalar_is_null(it) || it->len == 0) {
			err(ld, it, "a rule in \"inhibited_by\" must be a rule id, found %s",
			    found(it, buf, sizeof(buf)));
			continue;
		}
		if ((at = bad_name_char(it->str, it->len)) < it->len) {
			err_byte(ld, it, at, "invalid rule id \"%s\" in \"inhibited_by\" "
			    "(use a-z, 0-9, \"_\" and \"-\", starting with a letter or "
			    "digit)", it->str);
			continue;
		}
		r->inhibited_by_at[r->ninhibited_by] = (struct srcpos){ it->line, it->col };
		r->inhibited_by[r->ninhibited_by++] = xstrdup(it->str);
	}
}

/* {{value}} in a title or a guidance: only the summary is a template, so
 * readers would see the braces. A warning: such a text was valid, and a
 * rule file that loaded must still load. */
static void check_no_placeholder(struct loader *ld, const char *key,
    const struct ynode *v)
{
	size_t start, end;

	if (v->type != Y_SCALAR || !template_first_placeholder(v->str, v->len,
	    &start, &end))
		return;
	warn_byte(ld, v, start, "%.*s in \"%s\" is shown as written: "
	    "placeholders are replaced only in \"summary\"",
	    (int)(end - start > 40 ? 40 : end - start), v->str + start, key);
}

/* One role's guidance (role NULL: every role's), each language's text
 * checked; the locale's, or NULL after an error. */
static char *guidance_text(struct loader *ld, const char *role,
    const struct ynode *v)
{
	const struct ynode *t[NLANG], *kept;
	char what[160], buf[64], *out = NULL;
	bool ok = true;

	if (role)
		snprintf(what, sizeof(what), "the guidance for role \"%s\"", role);
	else
		snprintf(what, sizeof(what), "\"guidance\"");
	if (!text_nodes(ld, what, v, t))
		return NULL;
	kept = text_kept(ld, t);
	for (int l = 0; l < NLANG; l++) {
		const struct ynode *val = t[l];

		if (!text_first(t, l))
			continue;
		if (val->type != Y_SCALAR) {
			err(ld, val, "%s must be a string, found %s", what,
			    found(val, buf, sizeof(buf)));
			ok = false;
		} else if (yscalar_is_null(val) || val->len == 0) {
			err(ld, val, "%s must not be empty", what);
			ok = false;
		} else if (strlen(val->str) != val->len) {
			err(ld, val, "%s must not contain a NUL character", what);
			ok = false;
		} else {
			check_no_placeholder(ld, "guidance", val);
			if (val == kept)
				out = xstrdup(val->str);
		}
	}
	if (!ok) {
		free(out);
		return NULL;
	}
	return out;
}

/* guidance: a text for every role (a string, or { fr: ..., en: ... }), or
 * a mapping from role names to texts where "default" is the text for the
 * roles not listed. A mapping whose keys are all languages is the text
 * for every role. Role names are not checked against the configuration:
 * roles are configuration, and a rule file is valid whatever recipients a
 * deployment defines. */
static void get_guidance(struct loader *ld, struct rule *r, const struct ynode *v)
{
	char buf[64];

	if (v->type == Y_SCALAR || lang_map(v)) {
		r->guidance = guidance_text(ld, NULL, v);
		return;
	}
	if (v->type != Y_MAP) {
		err(ld, v, "\"guidance\" must be a string or a mapping of role names "
		    "to texts such as { social-worker: \"...\", hr: \"...\" }, "
		    "found %s", found(v, buf, sizeof(buf)));
		return;
	}
	if (v->n == 0) {
		err(ld, v, "\"guidance\" must not be an empty mapping: give a text "
		    "for at least one role, or a string for every role");
		return;
	}
	r->guidance_roles = calloc(v->n, sizeof(*r->guidance_roles));
	if (!r->guidance_roles)
		xalloc_die();
	for (size_t i = 0; i < v->n; i++) {
		const struct ynode *k = v->keys[i], *val = v->vals[i];
		size_t at;
		char *text;

		if (!key_ok(ld, v, i))
			continue;
		if ((at = bad_name_char(k->str, k->len)) < k->len || k->len == 0) {
			err_byte(ld, k, at, "invalid role name \"%s\" in \"guidance\" "
			    "(use a-z, 0-9, \"_\" and \"-\", starting with a letter or "
			    "digit)", k->str);
			continue;
		}
		if (val->type == Y_SEQ) {
			err(ld, val, "the guidance for role \"%s\" must be a string, "
			    "found %s", k->str, found(val, buf, sizeof(buf)));
			continue;
		}
		if (!(text = guidance_text(ld, k->str, val)))
			continue;
		if (!strcmp(k->str, "default")) {
			free(r->guidance);
			r->guidance = text;
			continue;
		}
		r->guidance_roles[r->nguidance_roles] = (struct role_text){
			xstrdup(k->str), text, k->line, k->col };
		r->nguidance_roles++;
	}
}

/* components, compare: a mapping of labels (the words readers see) to
 * expressions, in file order. An entry's expression may also be written
 * under "value" beside the label in a language, "fr" or "en": the key is
 * the label of a language not written. */
#define RULE_TERMS_MAX 16

/* Whether s[0..len) is a label: one line, not empty. */
static bool label_ok(const struct ynode *n)
{
	return n->type == Y_SCALAR && n->len > 0 && strlen(n->str) == n->len &&
	    !strpbrk(n->str, "\r\n");
}

/* The expression of an entry, and its label in each language into t (the
 * key where the entry does not write it); NULL after an error. */
static const struct ynode *term_entry(struct loader *ld, const char *key,
    const char *what, const struct ynode *v, const struct ynode *t[NLANG])
{
	static const char *const term_keys[] = { "value", "fr", "en" };
	const struct ynode *e = NULL;
	bool ok = true;

	if (v->type != Y_MAP)
		return v;
	for (size_t i = 0; i < v->n; i++) {
		const struct ynode *k = v->keys[i], *val = v->vals[i];

		if (!key_ok(ld, v, i)) {
			ok = false;
		} else if (!strcmp(k->str, "value")) {
			e = val;
		} else if (!strcmp(k->str, "fr") || !strcmp(k->str, "en")) {
			if (label_ok(val)) {
				t[strcmp(k->str, "fr") ? LOC_EN : LOC_FR] = val;
				continue;
			}
			err(ld, val, "a label of \"%s\" must be one line of text", key);
			ok = false;
		} else {
			ykey_unknown(ld->d, ld->file, k, term_keys, 3,
			    lang_hint(k->str), what);
			ok = false;
		}
	}
	if (!e && ok)
		err(ld, v, "%s: write its expression under \"value\", beside its "
		    "label in each language (fr, en)", what);
	return ok ? e : NULL;
}

static void get_terms(struct loader *ld, const char *key, const struct ynode *v,
    struct rule_term **out, size_t *nout)
{
	char buf[64];

	if (v->type != Y_MAP || v->n == 0) {
		err(ld, v, "\"%s\" must be a mapping of labels to expressions, such as "
		    "{ \"conflits et réclamations\": nbinom_tail(...) }, found %s", key,
		    v->type == Y_MAP ? "an empty mapping" : found(v, buf, sizeof(buf)));
		return;
	}
	if (v->n > RULE_TERMS_MAX) {
		err(ld, v, "\"%s\" has %zu entries: at most %d", key, v->n, RULE_TERMS_MAX);
		return;
	}
	*out = xcalloc(v->n, sizeof(**out));
	for (size_t i = 0; i < v->n; i++) {
		const struct ynode *k = v->keys[i], *t[NLANG], *ev;
		struct expr *e;

		if (!key_ok(ld, v, i))
			continue;
		if (!label_ok(k)) {
			err(ld, k, "a label of \"%s\" must be one line of text", key);
			continue;
		}
		char *what = xasprintf("%s: %s", key, k->str);	/* "compare: b" */

		t[LOC_FR] = t[LOC_EN] = NULL;
		ev = term_entry(ld, key, what, v->vals[i], t);
		e = ev ? get_expr(ld, what, ev) : NULL;
		free(what);
		if (!e)
			continue;
		for (int l = 0; l < NLANG; l++)
			if (!t[l])
				t[l] = k;
		(*out)[*nout].label = xstrdup(text_kept(ld, t)->str);
		(*out)[*nout].e = e;
		(*nout)++;
	}
}

static void terms_free(struct rule_term *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].label);
		expr_free(v[i].e);
	}
	free(v);
}

static void get_labels(struct loader *ld, struct rule *r, const struct ynode *v)
{
	char buf[64];

	if (v->type != Y_MAP) {
		err(ld, v, "\"labels\" must be a mapping of names to strings, found %s",
		    found(v, buf, sizeof(buf)));
		return;
	}
	r->labels = calloc(v->n ? v->n : 1, sizeof(*r->labels));
	if (!r->labels)
		xalloc_die();
	for (size_t i = 0; i < v->n; i++) {
		const struct ynode *k = v->keys[i], *val = v->vals[i];
		size_t at;

		if (!key_ok(ld, v, i))
			continue;
		if ((at = bad_label_char(k->str, k->len)) < k->len || k->len == 0) {
			err_byte(ld, k, at, "invalid label name \"%s\" (use letters, "
			    "digits and \"_\", not starting with a digit)", k->str);
			continue;
		}
		if (val->type != Y_SCALAR || strlen(val->str) != val->len) {
			err(ld, val, "label \"%s\" must be a string, found %s", k->str,
			    found(val, buf, sizeof(buf)));
			continue;
		}
		r->labels[r->nlabels].key = xstrdup(k->str);
		r->labels[r->nlabels].value = xstrdup(yscalar_is_null(val) ? "" : val->str);
		r->nlabels++;
	}
}

/* One language's summary template, checked; NULL after an error. */
static char *summary_text(struct loader *ld, const struct ynode *v)
{
	struct srcpos *pos;
	const char *name;
	char *s = get_string(ld, "summary", v);

	if (!s)
		return NULL;
	pos = positions(ld, v);
	if (template_check(v->str, v->len, ld->file, pos, ld->d) != 0) {
		free(s);
		s = NULL;
	}
	/* {unit}: a placeholder with one brace each side is plain text. */
	for (size_t off = 0; (name = template_single_brace(v->str, v->len, &off));
	    off++)
		diags_add(&ld->rs->warnings, ld->file, pos[off].line, pos[off].col,
		    "placeholders take double braces: write {{%s}}, not {%s}",
		    name, name);
	free(pos);
	return s;
}

/* summary: a text (text_nodes) whose every language is a template; t gets
 * each language's node whose template is valid, for check_needs_expected. */
static void get_summary(struct loader *ld, struct rule *r, const struct ynode *v,
    const struct ynode *t[NLANG])
{
	const struct ynode *kept;

	if (v->type == Y_SEQ) {
		err(ld, v, "\"summary\" must be a string, or its text in each "
		    "language as in { fr: \"...\", en: \"...\" }, found a list");
		return;
	}
	if (!text_nodes(ld, "\"summary\"", v, t)) {
		t[LOC_FR] = t[LOC_EN] = NULL;
		return;
	}
	kept = text_kept(ld, t);
	for (int l = 0; l < NLANG; l++) {
		char *s;

		if (!text_first(t, l))
			continue;
		if (!(s = summary_text(ld, t[l]))) {
			if (t[!l] == t[l])
				t[!l] = NULL;
			t[l] = NULL;
			continue;
		}
		if (t[l] == kept)
			r->summary = s;
		else
			free(s);
	}
}

/* {{expected}} and {{ratio}} need the rule's expected: without it they
 * could only ever say "unknown". */
static void check_needs_expected(struct loader *ld, const struct rule *r,
    const struct ynode *v)
{
	struct srcpos *pos = positions(ld, v);
	size_t off;
	const char *name;

	if ((name = template_needs_expected(v->str, v->len, &off)))
		verr_at_pos(ld, pos[off].line, pos[off].col, "the summary of rule "
		    "\"%s\" uses {{%s}} but the rule has no \"expected\"",
		    r->id ? r->id : "?", name);
	free(pos);
}

static void rule_clear(struct rule *r)
{
	free(r->id);
	free(r->title);
	free(r->summary);
	free(r->guidance);
	for (size_t i = 0; i < r->nguidance_roles; i++) {
		free(r->guidance_roles[i].role);
		free(r->guidance_roles[i].text);
	}
	free(r->guidance_roles);
	expr_free(r->value);
	expr_free(r->when);
	expr_free(r->observed);
	expr_free(r->expected);
	free(r->measure);
	terms_free(r->components, r->ncomponents);
	terms_free(r->compare, r->ncompare);
	for (size_t i = 0; i < r->nscope; i++)
		free(r->scope[i]);
	free(r->scope);
	free(r->scope_at);
	for (size_t i = 0; i < r->nnotify; i++)
		free(r->notify[i]);
	free(r->notify);
	for (size_t i = 0; i < r->ninhibited_by; i++)
		free(r->inhibited_by[i]);
	free(r->inhibited_by);
	free(r->inhibited_by_at);
	for (size_t i = 0; i < r->nlabels; i++) {
		free(r->labels[i].key);
		free(r->labels[i].value);
	}
	free(r->labels);
	free(r->file);
}

static void check_id(struct loader *ld, struct rule *r, const struct ynode *v)
{
	char buf[64];
	size_t at;

	if (v->type != Y_SCALAR || yscalar_is_null(v) || v->len == 0) {
		err(ld, v, "\"id\" must be a name such as absenteeism-rate, found %s",
		    found(v, buf, sizeof(buf)));
		return;
	}
	if ((at = bad_name_char(v->str, v->len)) < v->len) {
		err_byte(ld, v, at, "invalid rule id \"%s\" (use a-z, 0-9, \"_\" and "
		    "\"-\", starting with a letter or digit)", v->str);
		return;
	}
	r->id = xstrdup(v->str);
}

/* Records the id, or reports where it was first defined. */
static void register_id(struct loader *ld, size_t idx, const struct ynode *v)
{
	struct rule *r = &ld->rs->rules[idx];
	ENTRY e = { r->id, (void *)(uintptr_t)idx }, *found_e = NULL;

	if (!hsearch_r(e, ENTER, &found_e, &ld->ids))
		xalloc_die();
	if ((uintptr_t)found_e->data != idx) {
		const struct rule *first = &ld->rs->rules[(uintptr_t)found_e->data];
		err(ld, v, "duplicate rule id \"%s\" (first defined at %s:%d:%d)",
		    r->id, first->file, first->line, first->col);
	}
}

/* The threshold key that key spells, whatever its case, or stands for
 * (vigilance, critique, fin), or NULL. */
static const char *threshold_key(const char *key)
{
	for (size_t t = 0; t < 3; t++)
		if (!strcasecmp(key, threshold_keys[t]))
			return threshold_keys[t];
	for (const struct synonym *syn = threshold_synonyms; syn->word; syn++)
		if (!strcasecmp(key, syn->word))
			return syn->key;
	return NULL;
}

/* "warning: 5" beside "above:" rather than under it, or with "above:"
 * left out: a key of the thresholds' mapping, not of the rule. */
static void misplaced_threshold(struct loader *ld, const struct ynode *k,
    const struct ynode *v)
{
	bool quote = v->type == Y_SCALAR && !yscalar_is_null(v) && v->len <= 20 &&
	    strlen(v->str) == v->len;

	const char *t = threshold_key(k->str);
	char as[48] = "";

	if (strcasecmp(k->str, t))	/* vigilance: 5 */
		snprintf(as, sizeof(as), ", written \"%s\"", t);
	err(ld, k, "\"%s\" is a threshold%s: it belongs under \"above:\" or "
	    "\"below:\", indented one level more, as in above: { %s: %s }",
	    k->str, as, t, quote ? v->str : "...");
}

static void load_rule(struct loader *ld, const struct ynode *m)
{
	const struct ynode *idnode = NULL, *thresholds = NULL, *expected = NULL;
	const struct ynode *levels = NULL;	/* the value of thresholds */
	const struct ynode *summary[NLANG] = { NULL, NULL };
	struct rule *r;
	char buf[64];
	size_t idx;

	if (m->type != Y_MAP) {
		err(ld, m, "a rule must be a mapping (id:, title:, value:, ...), "
		    "found %s", found(m, buf, sizeof(buf)));
		return;
	}
	if (ld->rs->n == RULESET_MAX_RULES) {
		err(ld, m, "too many rules: a rule set holds at most %d",
		    RULESET_MAX_RULES);
		ld->too_many = true;
		return;
	}
	if (ld->rs->n == ld->cap) {
		ld->cap = ld->cap ? ld->cap * 2 : 16;
		r = realloc(ld->rs->rules, ld->cap * sizeof(*r));
		if (!r)
			xalloc_die();
		ld->rs->rules = r;
	}
	idx = ld->rs->n++;
	r = &ld->rs->rules[idx];
	memset(r, 0, sizeof(*r));
	r->for_n = 1;
	r->decimals = 1;
	r->enabled = true;
	r->carry_over = -1;
	r->file = xstrdup(ld->file);
	r->line = m->line;
	r->col = m->col;
	r->scope = calloc(1, sizeof(*r->scope));
	if (!r->scope)
		xalloc_die();
	r->scope[0] = xstrdup("**");
	r->nscope = 1;

	bool seen_title = false, seen_value = false;
	for (size_t i = 0; i < m->n; i++) {
		const struct ynode *k = m->keys[i], *v = m->vals[i];
		const char *key;

		if (!key_ok(ld, m, i))
			continue;
		key = k->str;
		if (!strcmp(key, "id")) {
			idnode = v;
			check_id(ld, r, v);
			if (r->id)
				register_id(ld, idx, v);
		} else if (!strcmp(key, "title")) {
			seen_title = true;
			r->title = get_text(ld, key, v, TEXT_NO_PLACEHOLDER);
		} else if (!strcmp(key, "value")) {
			seen_value = true;
			r->value = get_expr(ld, key, v);
		} else if (!strcmp(key, "above") || !strcmp(key, "below")) {
			if (thresholds) {
				err(ld, k, "a rule takes \"above\" or \"below\", not both "
				    "(the other is at line %d, column %d)",
				    thresholds->line, thresholds->col);
				continue;
			}
			thresholds = k;
			levels = v;
			get_thresholds(ld, r, key, v);
		} else if (!strcmp(key, "for")) {
			get_int(ld, key, v, 1, INT_MAX, &r->for_n);
		} else if (!strcmp(key, "when")) {
			r->when = get_expr(ld, key, v);
		} else if (!strcmp(key, "observed")) {
			r->observed = get_expr(ld, key, v);
		} else if (!strcmp(key, "expected")) {
			expected = v;
			r->expected = get_expr(ld, key, v);
		} else if (!strcmp(key, "measure")) {
			r->measure = get_text(ld, key, v, TEXT_ONE_LINE);
		} else if (!strcmp(key, "components")) {
			get_terms(ld, key, v, &r->components, &r->ncomponents);
		} else if (!strcmp(key, "compare")) {
			get_terms(ld, key, v, &r->compare, &r->ncompare);
		} else if (!strcmp(key, "carry_over")) {
			get_int(ld, key, v, 0, INT_MAX, &r->carry_over);
		} else if (!strcmp(key, "scope")) {
			get_scope(ld, r, v);
		} else if (!strcmp(key, "min_headcount")) {
			get_int(ld, key, v, 3, INT_MAX, &r->min_headcount);
			r->min_headcount_line = v->line;
			r->min_headcount_col = v->col;
		} else if (!strcmp(key, "notify")) {
			get_notify(ld, r, v);
		} else if (!strcmp(key, "inhibited_by")) {
			get_inhibited_by(ld, r, v);
		} else if (!strcmp(key, "summary")) {
			get_summary(ld, r, v, summary);
		} else if (!strcmp(key, "guidance")) {
			get_guidance(ld, r, v);
		} else if (!strcmp(key, "labels")) {
			get_labels(ld, r, v);
		} else if (!strcmp(key, "repeat_every")) {
			get_int(ld, key, v, 0, INT_MAX, &r->repeat_every);
		} else if (!strcmp(key, "decimals")) {
			get_int(ld, key, v, 0, 10, &r->decimals);
		} else if (!strcmp(key, "period")) {
			get_period(ld, r, v);
		} else if (!strcmp(key, "enabled")) {
			bool b;
			if (v->type == Y_SCALAR && yscalar_bool(v, &b) == 0)
				r->enabled = b;
			else
				err(ld, v, "\"enabled\" must be true or false, found %s",
				    found(v, buf, sizeof(buf)));
		} else if (threshold_key(key)) {
			misplaced_threshold(ld, k, v);
		} else {
			unknown_key(ld, k, rule_keys, NRULE_KEYS, rule_synonyms);
		}
	}

	/* Name the rule in messages about it when its id is known. */
	char what[160];
	if (r->id)
		snprintf(what, sizeof(what), "rule \"%s\"", r->id);
	else
		snprintf(what, sizeof(what), "rule");
	if (!idnode)
		err(ld, m, "%s is missing the required key \"id\"", what);
	if (!seen_title)
		err(ld, m, "%s is missing the required key \"title\"", what);
	if (!seen_value)
		err(ld, m, "%s is missing the required key \"value\"", what);
	if (!thresholds)
		err(ld, m, "%s needs thresholds: \"above\" or \"below\" with "
		    "\"warning\" and/or \"critical\"", what);
	for (int l = 0; l < NLANG && !expected; l++)
		if (text_first(summary, l))
			check_needs_expected(ld, r, summary[l]);
	if (r->value && levels)
		check_reachable(ld, r, levels, what);
}

static void load_file(struct loader *ld, const char *file)
{
	const struct ynode *root, *rules = NULL;
	char buf[64];

	ld->file = file;
	ld->doc = ydoc_load(file, ld->d);
	if (!ld->doc)
		return;
	root = ld->doc->root;
	if (!root) {
		diags_add(ld->d, file, 1, 1, "empty rule file: expected \"rules:\" "
		    "followed by a list of rules");
		goto out;
	}
	if (root->type != Y_MAP) {
		err(ld, root, "a rule file must be a mapping with the key \"rules\", "
		    "found %s", found(root, buf, sizeof(buf)));
		goto out;
	}
	for (size_t i = 0; i < root->n; i++) {
		static const char *const top[] = { "rules" };
		if (!key_ok(ld, root, i))
			continue;
		if (!strcmp(root->keys[i]->str, "rules"))
			rules = root->vals[i];
		else
			unknown_key(ld, root->keys[i], top, 1, NULL);
	}
	if (!rules) {
		err(ld, root, "missing key \"rules\" (a list of rules)");
		goto out;
	}
	if (rules->type == Y_SCALAR && yscalar_is_null(rules))
		goto out;	/* "rules:" with nothing yet: no rules */
	if (rules->type != Y_SEQ) {
		err(ld, rules, "\"rules\" must be a list of rules, found %s",
		    found(rules, buf, sizeof(buf)));
		goto out;
	}
	for (size_t i = 0; i < rules->n && !ld->too_many; i++)
		load_rule(ld, rules->items[i]);
out:
	ydoc_free(ld->doc);
	ld->doc = NULL;
}

int32_t rule_lookback(const struct rule *r)
{
	int32_t lb = expr_lookback(r->value);

	if (r->when && expr_lookback(r->when) > lb)
		lb = expr_lookback(r->when);
	return lb;
}

int32_t rule_periods(const struct rule *r, enum granularity g)
{
	int32_t lb = expr_lookback_in(r->value, g);

	if (r->when && expr_lookback_in(r->when, g) > lb)
		lb = expr_lookback_in(r->when, g);
	return lb + r->for_n;
}

char *const *rule_roles(const struct rule *r, char *const *dflt, size_t ndflt,
    size_t *n)
{
	*n = r->notify_set ? r->nnotify : ndflt;
	return r->notify_set ? r->notify : dflt;
}

void ruleset_free(struct ruleset *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->n; i++)
		rule_clear(&rs->rules[i]);
	free(rs->rules);
	names_free(&rs->names);
	free(rs->name_use);
	for (size_t i = 0; i < rs->nfiles; i++)
		free(rs->files[i]);
	free(rs->files);
	diags_free(&rs->warnings);
	free(rs);
}

struct ruleset *ruleset_load_files(const char *const *files, size_t n,
    const struct rule_policy *policy, struct diags *d)
{
	struct loader ld = { 0 };
	size_t before = d->n;

	ld.d = d;
	ld.loc = policy ? policy->locale : LOC_FR;
	ld.rs = calloc(1, sizeof(*ld.rs));
	if (!ld.rs || !hcreate_r(RULESET_MAX_RULES * 2, &ld.ids))
		xalloc_die();
	ld.rs->carry_over = 6;	/* SPEC 5 */
	ld.rs->warnings.kind = "warning";
	ld.rs->files = calloc(n ? n : 1, sizeof(*ld.rs->files));
	if (!ld.rs->files)
		xalloc_die();
	for (size_t i = 0; i < n && !ld.too_many; i++) {
		ld.rs->files[ld.rs->nfiles++] = xstrdup(files[i]);
		load_file(&ld, files[i]);
	}
	hdestroy_r(&ld.ids);
	/* The rules that parsed, also when others did not: every error at once. */
	if (policy && policy->check_roles)
		ruleset_check_confidential(ld.rs, policy->confidential_roles,
		    policy->nconfidential_roles, policy->default_notify,
		    policy->ndefault_notify, d);
	if (d->n > before) {
		ruleset_free(ld.rs);
		return NULL;
	}
	return ld.rs;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Appends path's files to *v: the *.yaml of a folder in name order, or the
 * path itself. An unreadable folder is an error. */
static void expand(const char *path, char ***v, size_t *n, size_t *cap,
    struct diags *d)
{
	struct stat sb;
	DIR *dir;
	struct dirent *de;
	size_t first = *n;

	if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		/* Files, and missing paths: ydoc_load says what is wrong. */
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 16;
			if (!(*v = realloc(*v, *cap * sizeof(**v))))
				xalloc_die();
		}
		(*v)[(*n)++] = xstrdup(path);
		return;
	}
	if (!(dir = opendir(path))) {
		diags_add(d, path, 0, 0, "cannot read the rules folder: %s",
		    strerror(errno));
		return;
	}
	size_t plen = strlen(path);
	bool slash = plen > 0 && path[plen - 1] == '/';
	while ((de = readdir(dir))) {
		size_t l = strlen(de->d_name);
		char *full;

		if (de->d_name[0] == '.' || l < 6 || strcmp(de->d_name + l - 5, ".yaml"))
			continue;
		if (asprintf(&full, "%s%s%s", path, slash ? "" : "/", de->d_name) < 0)
			xalloc_die();
		if (stat(full, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			free(full);
			continue;
		}
		/* A FIFO or a device among the rule files would hang or
		 * flood a check and a reload: an error, not read. */
		if (stat(full, &sb) == 0 && !S_ISREG(sb.st_mode)) {
			diags_add(d, full, 0, 0, "cannot read: not a regular file");
			free(full);
			continue;
		}
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 16;
			if (!(*v = realloc(*v, *cap * sizeof(**v))))
				xalloc_die();
		}
		(*v)[(*n)++] = full;
	}
	closedir(dir);
	if (*n > first)
		qsort(*v + first, *n - first, sizeof(**v), cmp_str);
}

size_t ruleset_check_folder(const char *path, struct diags *w)
{
	struct stat sb;
	DIR *dir;
	struct dirent *de;
	size_t said = 0;

	if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode) || !(dir = opendir(path)))
		return 0;
	size_t plen = strlen(path);
	bool slash = plen > 0 && path[plen - 1] == '/';
	while ((de = readdir(dir))) {
		const char *name = de->d_name;
		size_t l = strlen(name), stem;
		/* Notepad saves r.yaml as r.yaml.txt, and Windows hides the
		 * .txt: the file looks right in the Explorer. */
		bool txt = l > 4 && !strcasecmp(name + l - 4, ".txt");
		size_t e = txt ? l - 4 : l;	/* the end of .yml or .yaml */

		if (name[0] == '.')
			continue;
		if (e >= 5 && !strncasecmp(name + e - 4, ".yml", 4))
			stem = e - 4;
		else if (e >= 6 && !strncasecmp(name + e - 5, ".yaml", 5))
			stem = e - 5;
		else
			continue;
		if (!txt && !strcmp(name + stem, ".yaml"))
			continue;	/* a rule file, read */
		char *full;
		if (asprintf(&full, "%s%s%s", path, slash ? "" : "/", name) < 0)
			xalloc_die();
		if (txt)
			diags_add(w, full, 0, 0, "not read: only the files named *.yaml "
			    "of a rules folder are rule files, and this name ends in "
			    "%s, which Windows hides (rename it to %.*s.yaml)",
			    name + l - 4, (int)stem, name);
		else
			diags_add(w, full, 0, 0, "not read: only the files named *.yaml "
			    "of a rules folder are rule files (rename it to end in "
			    ".yaml)");
		free(full);
		said++;
	}
	closedir(dir);
	return said;
}

struct ruleset *ruleset_load_paths(const char *const *paths, size_t n,
    const struct rule_policy *policy, struct diags *d)
{
	char **files = NULL;
	size_t nf = 0, cap = 0, before = d->n;
	struct ruleset *rs = NULL;

	for (size_t i = 0; i < n; i++)
		expand(paths[i], &files, &nf, &cap, d);
	/* A file named twice (a.yaml and ./a.yaml, or a file and its folder)
	 * is read once, rather than clashing with its own ids. */
	size_t kept = 0;
	for (size_t i = 0; i < nf; i++) {
		struct stat si, sj;
		bool dup = false;

		bool known = stat(files[i], &si) == 0;

		for (size_t j = 0; known && j < kept && !dup; j++)
			if (stat(files[j], &sj) == 0 && si.st_dev == sj.st_dev &&
			    si.st_ino == sj.st_ino)
				dup = true;
		if (dup)
			free(files[i]);
		else
			files[kept++] = files[i];
	}
	nf = kept;
	/* Still read the files after a folder error, to report everything. */
	rs = ruleset_load_files((const char *const *)files, nf, policy, d);
	/* Between rules of any file: a whole rule set's, not one file's
	 * (vigie test and ruleset_load_valid read files alone). */
	if (rs)
		ruleset_check_inhibit(rs, d);
	if (rs && d->n > before) {
		ruleset_free(rs);
		rs = NULL;
	}
	for (size_t i = 0; i < nf; i++)
		free(files[i]);
	free(files);
	return rs;
}

struct ruleset *ruleset_load(const char *path, const struct rule_policy *policy,
    struct diags *d)
{
	/* None: an invalid configuration's (its own error says why), whose
	 * rules are still loaded for their errors. */
	if (!path)
		return NULL;
	return ruleset_load_paths(&path, 1, policy, d);
}

/* Moves files[k] to *left. */
static void leave_out(char **files, size_t k, char ***left, size_t *nleft)
{
	*left = xreallocarray(*left, *nleft + 1, sizeof(**left));
	(*left)[(*nleft)++] = files[k];
	files[k] = NULL;
}

struct ruleset *ruleset_load_valid(const char *path, const struct rule_policy *policy,
    struct diags *d, char ***left, size_t *nleft)
{
	size_t nf = 0, cap = 0, kept = 0;
	struct ruleset *rs = ruleset_load(path, policy, d), **one;
	char **files = NULL;
	struct diags skip = { 0 };

	*left = NULL;
	*nleft = 0;
	if (rs || !path)
		return rs;
	expand(path, &files, &nf, &cap, &skip);
	/* Each file alone: one with an error of its own is left out. An id
	 * two files give is the error of neither alone, and which of them
	 * the daemon runs (a draft's, or the library's it would replace) is
	 * not known here: both are left out, so that no alert is shown
	 * under another rule's title and value. */
	one = xcalloc(nf ? nf : 1, sizeof(*one));
	for (size_t i = 0; i < nf; i++) {
		struct diags e = { 0 };

		one[i] = ruleset_load_files((const char *const *)&files[i], 1, policy, &e);
		diags_free(&e);
	}
	for (size_t i = 0; i < nf; i++) {
		bool clash = false;

		for (size_t j = 0; one[i] && j < nf && !clash; j++)
			for (size_t r = 0; j != i && one[j] && r < one[i]->n && !clash; r++)
				clash = ruleset_find(one[j], one[i]->rules[r].id) != NULL;
		if (!one[i] || clash)
			leave_out(files, i, left, nleft);
	}
	for (size_t i = 0; i < nf; i++) {
		if (one[i])
			ruleset_free(one[i]);
		if (files[i])
			files[kept++] = files[i];
	}
	free(one);
	/* What is left loads together, but for an error between files
	 * (none is known besides the ids): then nothing. */
	if (kept)
		rs = ruleset_load_files((const char *const *)files, kept, policy, &skip);
	for (size_t i = 0; i < kept; i++)
		free(files[i]);
	free(files);
	diags_free(&skip);
	return rs;
}

const struct rule *ruleset_find(const struct ruleset *rs, const char *id)
{
	for (size_t i = 0; i < rs->n; i++)
		if (!strcmp(rs->rules[i].id, id))
			return &rs->rules[i];
	return NULL;
}

size_t ruleset_check_scopes(const struct ruleset *rs, char *const *units,
    size_t n, struct diags *w)
{
	size_t said = 0;

	for (size_t i = 0; n && i < rs->n; i++) {
		const struct rule *r = &rs->rules[i];

		for (size_t g = 0; r->scope_at && g < r->nscope; g++) {
			char hint[300], more[320] = "";

			if (unit_glob_reaches(r->scope[g], units, n, hint, sizeof(hint)))
				continue;
			if (*hint)
				snprintf(more, sizeof(more), " (did you mean \"%s\"?)", hint);
			diags_add(w, r->file, r->scope_at[g].line, r->scope_at[g].col,
			    "rule \"%s\": the scope \"%s\" matches none of the %zu "
			    "units in the database%s: no unit is watched through it",
			    r->id, r->scope[g], n, more);
			said++;
		}
	}
	return said;
}

bool rule_in_scope(const struct rule *r, const char *unit)
{
	for (size_t i = 0; i < r->nscope; i++)
		if (unit_glob_match(r->scope[i], unit))
			return true;
	return false;
}

const char *rule_guidance(const struct rule *r, const char *role)
{
	if (role)
		for (size_t i = 0; i < r->nguidance_roles; i++)
			if (!strcmp(r->guidance_roles[i].role, role))
				return r->guidance_roles[i].text;
	return r->guidance;
}
