/* The import warnings that need the database (importcheck.h): the names
 * here, the values in importvalues.c. The CSV reader stays pure: it
 * keeps, in the batch, where each unit and indicator first appears, and
 * these checks compare the batch with what is stored, before the batch is
 * imported, read only (so --dry-run warns too). They look only at what
 * is new to the database, and compare a new unit only with the stored
 * units under its parent, so a file of 10,000 known units costs one read
 * of the unit paths and binary searches. */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "vigie/importcheck.h"
#include "vigie/msg.h"
#include "vigie/rules.h"
#include "vigie/store.h"
#include "vigie/unit.h"
#include "vigie/xalloc.h"
#include "vigie/yaml.h"		/* closest_word */
#include "importcheck_impl.h"

static bool among(const char *s, char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

static bool separator(char c)
{
	return c == '_' || c == '-' || c == '.';
}

/* The next word of s at *i (words are separated by _ - .): its start and
 * length, *i moved past it; false at the end. */
static bool next_word(const char *s, size_t *i, const char **w, size_t *len)
{
	while (s[*i] && separator(s[*i]))
		(*i)++;
	if (!s[*i])
		return false;
	*w = s + *i;
	while (s[*i] && !separator(s[*i]))
		(*i)++;
	*len = (size_t)(s + *i - *w);
	return true;
}

/* The length of w without its trailing digits. */
static size_t stem(const char *w, size_t len)
{
	while (len && isdigit((unsigned char)w[len - 1]))
		len--;
	return len;
}

/* Whether a, close to b by edit distance (closest_word), looks like a
 * typing mistake for it rather than a name of its own: both at least 4
 * characters, and not a word added or removed (absence_days_max beside
 * absence_days) nor a different number or letter in the one word where
 * they differ (team-1 and team-2, equipe-a and equipe-b, x1 and x2). */
static bool typo_of(const char *a, const char *b)
{
	size_t ia = 0, ib = 0, la, lb, diff = 0;
	const char *wa, *wb, *da = NULL, *db = NULL;
	size_t dla = 0, dlb = 0;
	bool ga, gb;

	if (strlen(a) < 4 || strlen(b) < 4)
		return false;
	for (;;) {
		ga = next_word(a, &ia, &wa, &la);
		gb = next_word(b, &ib, &wb, &lb);
		if (!ga || !gb)
			break;
		if (la != lb || memcmp(wa, wb, la) != 0) {
			diff++;
			da = wa, dla = la, db = wb, dlb = lb;
		}
	}
	if (ga != gb) {
		/* Words differ in number: a typo only when the separators alone
		 * differ (overtimehours for overtime_hours). */
		size_t i = 0, j = 0;
		for (;;) {
			while (a[i] && separator(a[i]))
				i++;
			while (b[j] && separator(b[j]))
				j++;
			if (!a[i] || !b[j] || a[i] != b[j])
				return !a[i] && !b[j];
			i++, j++;
		}
	}
	if (diff != 1)
		return diff > 1;
	if (dla <= 2 && dlb <= 2)
		return false;
	return stem(da, dla) != stem(db, dlb) || memcmp(da, db, stem(da, dla)) != 0;
}

/* The first of v[0..n) (sorted) not before key. */
static size_t lower_bound(char *const *v, size_t n, const char *key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(v[mid], key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The index of a unit of v[0..n) (sorted) that is the unit at path (len
 * bytes) or under it (SPEC 2: an ancestor of a named unit exists), or n. */
static size_t unit_index(char *const *v, size_t n, const char *path, size_t len)
{
	char *key = xstrndup(path, len);
	size_t i = lower_bound(v, n, key);
	bool yes = i < n && !strncmp(v[i], path, len) &&
	    (v[i][len] == '\0' || v[i][len] == '/');

	/* "acme/a" sorts before "acme/a-b" and "acme/a/x" after it: look on
	 * past siblings that extend the name. */
	while (!yes && i < n && !strncmp(v[i], path, len) && v[i][len] != '\0' &&
	    (unsigned char)v[i][len] < '/')
		yes = ++i < n && !strncmp(v[i], path, len) && v[i][len] == '/';
	free(key);
	return yes ? i : n;
}

static bool unit_exists(char *const *v, size_t n, const char *path, size_t len)
{
	return unit_index(v, n, path, len) < n;
}

/* The distinct children of the unit `parent` (plen bytes; 0: the top) among
 * the stored units v[0..n): new strings appended to *c. */
static void children(char *const *v, size_t n, const char *parent, size_t plen,
    char ***c, size_t *nc)
{
	char *key = plen ? xasprintf("%.*s/", (int)plen, parent) : xstrdup("");
	size_t from = plen ? plen + 1 : 0, cap = 0;

	*c = NULL;
	*nc = 0;
	for (size_t i = lower_bound(v, n, key); i < n &&
	    !strncmp(v[i], key, from); i++) {
		const char *slash = strchr(v[i] + from, '/');
		size_t len = slash ? (size_t)(slash - v[i]) : strlen(v[i]);
		if (*nc && strlen((*c)[*nc - 1]) == len - from &&
		    !strncmp((*c)[*nc - 1], v[i] + from, len - from))
			continue;	/* its descendants follow it */
		if (*nc == cap) {
			cap = cap ? cap * 2 : 16;
			*c = xreallocarray(*c, cap, sizeof(**c));
		}
		(*c)[(*nc)++] = xstrndup(v[i] + from, len - from);
	}
	free(key);
}

bool importcheck_has_descendant(char *const *v, size_t n, const char *path)
{
	char *key = xasprintf("%s/", path);
	size_t i = lower_bound(v, n, key);
	bool yes = i < n && !strncmp(v[i], key, strlen(key));

	free(key);
	return yes;
}

int importcheck_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int importcheck_cmp_period(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return (x > y) - (x < y);
}

size_t importcheck_unit_end(const struct import_batch *b, size_t i)
{
	size_t j = i;

	while (j < b->nrecs && b->recs[j].unit == b->recs[i].unit)
		j++;
	return j;
}

struct batch_place importcheck_place(const struct batch_place *at, size_t i)
{
	return at ? at[i] : (struct batch_place){ 1, 1 };
}

/* Whether indicator k has one value, not zero, for every unit of b, and
 * at least UNITS_SAME units: a site's code, a postcode, a constant pasted
 * down a column, which a count of events or people is not. */
#define UNITS_SAME 3
static bool constant(const struct import_batch *b, size_t k)
{
	size_t units = 0;
	uint32_t last = UINT32_MAX;
	double v = 0;

	for (size_t i = 0; i < b->nrecs; i++) {
		const struct import_record *r = &b->recs[i];
		if (r->ind != k)
			continue;
		if (units == 0)
			v = r->value;
		if (r->value != v || v == 0)
			return false;
		units += r->unit != last;
		last = r->unit;
	}
	return units >= UNITS_SAME && units == b->nunits;
}

/* A new indicator close to a known one that is not itself known, or one
 * that holds the same value for every unit. */
static size_t check_indicators(const char *file, const struct import_batch *b,
    char *const *stored, size_t nstored, struct diags *w)
{
	size_t nknown, said = 0;
	const char **known = vocabulary_known(stored, nstored, &nknown);

	for (size_t k = 0; k < b->ninds; k++) {
		const char *name = b->inds[k], *near;
		struct batch_place at = importcheck_place(b->ind_at, k);
		if (among(name, (char *const *)known, nknown))
			continue;
		if ((near = vocabulary_french(name)) && !among(near, b->inds, b->ninds)) {
			/* The shipped rules read the English name only. */
			diags_add_tr(w, file, at.line, at.col, "\"%s\" is a new indicator, "
			    "not in the recommended vocabulary, whose name for it is "
			    "\"%s\": the shipped rules read that one", name, near);
			said++;
			continue;
		}
		near = closest_word(name, known, nknown);
		if (near && typo_of(name, near)) {
			diags_add_tr(w, file, at.line, at.col, "\"%s\" is a new indicator, "
			    "not in the recommended vocabulary (did you mean \"%s\"?)",
			    name, near);
			said++;
		} else if (constant(b, k)) {
			diags_add_tr(w, file, at.line, at.col, "\"%s\" is a new indicator, "
			    "not in the recommended vocabulary, with the same value for "
			    "every unit of the file: a code or a label rather than a count? "
			    "Vigie would store it, add it up over each unit's teams and "
			    "offer it to the rules; if it is not an indicator, leave the "
			    "column out of the export", name);
			said++;
		}
	}
	free(known);
	return said;
}

/* The stored units v[0..n), each as its path in lower case, a NUL, and
 * the path as stored, sorted: a path that differs from a stored one only
 * in case is found by one binary search. */
static char **folded_units(char *const *v, size_t n)
{
	char **f = xcalloc(n ? n : 1, sizeof(*f));

	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(v[i]);
		f[i] = xmalloc(2 * len + 2);
		for (size_t k = 0; k <= len; k++)
			f[i][k] = (char)tolower((unsigned char)v[i][k]);
		memcpy(f[i] + len + 1, v[i], len + 1);
	}
	qsort(f, n, sizeof(*f), importcheck_cmp_str);
	return f;
}

/* The stored spelling of path when a stored unit (or the ancestor of one)
 * differs from it in case only, in a new string; else NULL. */
static char *stored_case(char *const *folded, size_t n, const char *path)
{
	size_t len = strlen(path), i;
	char *low = xstrdup(path), *spelt = NULL;

	for (size_t k = 0; k < len; k++)
		low[k] = (char)tolower((unsigned char)low[k]);
	if ((i = unit_index(folded, n, low, len)) < n)
		spelt = xstrndup(folded[i] + strlen(folded[i]) + 1, len);
	free(low);
	return spelt;
}

/* path with each new segment that is a small edit away from a stored
 * sibling's (under the path corrected so far) replaced by it, in a new
 * string; NULL when none is. */
static char *typos_fixed(char *const *stored, size_t nstored, const char *path)
{
	char *fix = xstrdup(""), *next;
	bool changed = false, known = true;

	for (const char *seg = path, *end; *seg; seg = *end ? end + 1 : end) {
		end = strchr(seg, '/');
		end = end ? end : seg + strlen(seg);
		size_t plen = strlen(fix);
		next = xasprintf("%s%s%.*s", fix, plen ? "/" : "", (int)(end - seg), seg);
		if (known && !unit_exists(stored, nstored, next, strlen(next))) {
			char **sib, *word = xstrndup(seg, (size_t)(end - seg));
			size_t nsib;
			const char *near;

			children(stored, nstored, fix, plen, &sib, &nsib);
			near = closest_word(word, (const char *const *)sib, nsib);
			if (near && typo_of(word, near)) {
				free(next);
				next = xasprintf("%s%s%s", fix, plen ? "/" : "", near);
				changed = true;
			} else {
				known = false;	/* a new unit from here down */
			}
			free(word);
			store_names_free(sib, nsib);
		}
		free(fix);
		fix = next;
	}
	if (!changed) {
		free(fix);
		return NULL;
	}
	return fix;
}

/* A new unit (a renamed unit's old path is refused before:
 * import_check_renamed) that differs from a stored one in case only (an export that changed its spelling), or whose new
 * segments are each a small edit away from a stored sibling's: the unit
 * the file meant is suggested, whole. Only new units are compared, each
 * segment only with the children of the path corrected above it. */
static size_t check_units(const char *file, const struct import_batch *b,
    char *const *stored, size_t nstored, struct diags *w)
{
	size_t said = 0;
	char **folded = NULL;

	if (!nstored)
		return 0;	/* a first import: everything is new */
	for (size_t u = 0; u < b->nunits; u++) {
		const char *path = b->units[u];
		struct batch_place at = importcheck_place(b->unit_at, u);
		char *meant;

		if (unit_exists(stored, nstored, path, strlen(path)))
			continue;
		if (!folded)
			folded = folded_units(stored, nstored);
		if ((meant = stored_case(folded, nstored, path))) {
			char per[PERIOD_BUFSZ];
			period_format(b->gran, b->pmax, per);
			diags_add_tr(w, file, at.line, at.col, "\"%s\" is a new unit, not in "
			    "the database, that differs from \"%s\" in case only: unit paths "
			    "are case-sensitive, so it is a unit of its own, without that "
			    "one's history; write it as stored (once imported, vigie delete "
			    "--period %s --unit %s takes it out)", path, meant, per, path);
			said++;
		} else if ((meant = typos_fixed(stored, nstored, path))) {
			diags_add_tr(w, file, at.line, at.col, "\"%s\" is a new unit, not in "
			    "the database (did you mean \"%s\"?)", path, meant);
			said++;
		}
		free(meant);
	}
	store_names_free(folded, folded ? nstored : 0);
	return said;
}

/* A unit whose last segment names a spreadsheet's total row ("Total",
 * "acme/nancy/Sous-total"): a valid path, so imported, but Vigie adds a
 * unit's teams up itself, and such a unit would be evaluated, and alert,
 * as a team of its own. */
static size_t check_totals(const char *file, const struct import_batch *b,
    struct diags *w)
{
	static const char *const names[] = { "total", "totaux", "totals",
		"sous-total", "sous_total", "soustotal", "subtotal", "sub-total",
		"grand-total", "grand_total", "total-general", "total_general",
		"ensemble", "somme", "sum" };
	size_t said = 0;

	for (size_t u = 0; u < b->nunits; u++) {
		const char *path = b->units[u], *seg = strrchr(path, '/');

		seg = seg ? seg + 1 : path;
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			if (strcasecmp(seg, names[i]))
				continue;
			struct batch_place at = importcheck_place(b->unit_at, u);
			diags_add_tr(w, file, at.line, at.col, "\"%s\" looks like a "
			    "spreadsheet's total row: Vigie adds a unit's teams up itself, "
			    "and this one would be a team of its own, with its own alerts; "
			    "leave the row out", path);
			said++;
			break;
		}
	}
	return said;
}

int importcheck_stored_names(struct store *st, char ***inds, size_t *ninds,
    char ***units, size_t *nunits)
{
	*inds = *units = NULL;
	*ninds = *nunits = 0;
	if (st && store_names(st, inds, ninds, units, nunits) != 0) {
		store_names_free(*inds, *ninds);
		store_names_free(*units, *nunits);
		*inds = *units = NULL;
		*ninds = *nunits = 0;
		return -1;	/* the import will say what is wrong */
	}
	return 0;
}

size_t import_check_names(struct store *st, const char *file,
    const struct import_batch *b, struct diags *w)
{
	char **inds, **units;
	size_t ninds, nunits, said;

	w->kind = "warning";
	if (importcheck_stored_names(st, &inds, &ninds, &units, &nunits) != 0)
		return 0;
	said = check_totals(file, b, w);
	said += check_indicators(file, b, inds, ninds, w);
	said += check_units(file, b, units, nunits, w);
	said += importcheck_reorganised(st, file, b, units, nunits, w);
	store_names_free(inds, ninds);
	store_names_free(units, nunits);
	return said;
}

size_t import_check(struct store *st, const char *file,
    struct import_batch *b, int min_headcount, double dominance,
    const struct import_blind *blind, struct diags *w)
{
	size_t n = import_check_names(st, file, b, w);

	n += import_check_late(st, file, b, min_headcount, blind, w);
	n += import_check_dominated(st, file, b, min_headcount, dominance, blind, w);
	n += import_check_uncover(st, file, b, min_headcount, dominance, w);
	return n + import_check_values(st, file, b, NULL, 0, blind, w);
}
