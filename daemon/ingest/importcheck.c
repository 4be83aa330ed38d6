/* The import warnings that need the database (importcheck.h). The CSV
 * reader stays pure: it keeps, in the batch, where each unit and indicator
 * first appears, and these checks compare the batch with what is stored,
 * before the batch is imported, read only (so --dry-run warns too). They
 * look only at what is new to the database, and compare a new unit only
 * with the stored units under its parent, so a file of 10,000 known units
 * costs one read of the unit paths and binary searches; the headcount
 * check reads one stored series per leaf unit that the file leaves without
 * a headcount at some period, and none for the others. A headcount may
 * come in another file of the same import (`vigie import a.csv hc.csv`,
 * in either order): the headcount check also looks in the batches it is
 * given, so that it warns only about what the whole import leaves
 * missing. */
#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "vigie/csv.h"		/* CSV_KEEP_ERRORS */
#include "vigie/importcheck.h"
#include "vigie/msg.h"
#include "vigie/rules.h"
#include "vigie/xalloc.h"
#include "vigie/yaml.h"		/* closest_word */

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

/* Whether the unit at path (len bytes) exists in v[0..n) (sorted): named,
 * or the ancestor of one named (SPEC 2). */
static bool unit_exists(char *const *v, size_t n, const char *path, size_t len)
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
	return yes;
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

/* Whether some unit of v[0..n) (sorted) is under path. */
static bool has_descendant(char *const *v, size_t n, const char *path)
{
	char *key = xasprintf("%s/", path);
	size_t i = lower_bound(v, n, key);
	bool yes = i < n && !strncmp(v[i], key, strlen(key));

	free(key);
	return yes;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_period(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return (x > y) - (x < y);
}

static struct batch_place place_of(const struct batch_place *at, size_t i)
{
	return at ? at[i] : (struct batch_place){ 1, 1 };
}

/* A new indicator close to a known one that is not itself known. */
static size_t check_indicators(const char *file, const struct import_batch *b,
    char *const *stored, size_t nstored, struct diags *w)
{
	size_t nknown, said = 0;
	const char **known = vocabulary_known(stored, nstored, &nknown);

	for (size_t k = 0; k < b->ninds; k++) {
		const char *name = b->inds[k], *near;
		struct batch_place at = place_of(b->ind_at, k);
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
		if (!near || !typo_of(name, near))
			continue;
		diags_add_tr(w, file, at.line, at.col, "\"%s\" is a new indicator, not "
		    "in the recommended vocabulary (did you mean \"%s\"?)", name, near);
		said++;
	}
	free(known);
	return said;
}

/* A new unit whose first new segment is a small edit away from a stored
 * sibling's: the unit the file meant, with that segment corrected, is
 * suggested. Only new units are compared, and only with the children of
 * their deepest stored ancestor. */
static size_t check_units(const char *file, const struct import_batch *b,
    char *const *stored, size_t nstored, struct diags *w)
{
	size_t said = 0;

	if (!nstored)
		return 0;	/* a first import: everything is new */
	for (size_t u = 0; u < b->nunits; u++) {
		const char *path = b->units[u], *seg = path, *end, *near;
		char **sib = NULL, *word = NULL;
		size_t nsib = 0;
		struct batch_place at = place_of(b->unit_at, u);

		if (unit_exists(stored, nstored, path, strlen(path)))
			continue;
		/* The first segment that makes the path new. */
		for (;;) {
			end = strchr(seg, '/');
			if (!end || !unit_exists(stored, nstored, path, (size_t)(end - path)))
				break;
			seg = end + 1;
		}
		end = end ? end : seg + strlen(seg);
		word = xstrndup(seg, (size_t)(end - seg));
		children(stored, nstored, path, seg > path ? (size_t)(seg - path - 1) : 0,
		    &sib, &nsib);
		near = closest_word(word, (const char *const *)sib, nsib);
		if (near && typo_of(word, near)) {
			diags_add_tr(w, file, at.line, at.col, "\"%s\" is a new unit, not in "
			    "the database (did you mean \"%.*s%s%s\"?)", path,
			    (int)(seg - path), path, near, end);
			said++;
		}
		free(word);
		store_names_free(sib, nsib);
	}
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
			struct batch_place at = place_of(b->unit_at, u);
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

/* Another batch of the same import (import_check_headcount's `with`): its
 * unit indices by name, to look a unit up and to find units under it. */
struct other {
	const struct import_batch *b;
	uint32_t *order;	/* unit indices sorted by path */
	int64_t hc;		/* headcount's indicator index, or -1 */
};

static int cmp_unit_idx(const void *x, const void *y, void *ctx)
{
	char *const *units = ctx;

	return strcmp(units[*(const uint32_t *)x], units[*(const uint32_t *)y]);
}

/* The first of o's units, in path order, not before key. */
static size_t other_lower(const struct other *o, const char *key)
{
	size_t lo = 0, hi = o->b->nunits;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(o->b->units[o->order[mid]], key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool other_has_descendant(const struct other *o, const char *path)
{
	char *key = xasprintf("%s/", path);
	size_t i = other_lower(o, key);
	bool yes = i < o->b->nunits &&
	    !strncmp(o->b->units[o->order[i]], key, strlen(key));

	free(key);
	return yes;
}

/* Whether o brings a headcount for unit at period. Its records are in key
 * order (unit, indicator, period: csv.h), so one binary search finds it. */
static bool other_headcount(const struct other *o, const char *unit, int32_t period)
{
	const struct import_record *r = o->b->recs;
	size_t i = other_lower(o, unit), lo = 0, hi = o->b->nrecs;

	if (o->hc < 0 || i == o->b->nunits || strcmp(o->b->units[o->order[i]], unit))
		return false;
	uint32_t u = o->order[i], hc = (uint32_t)o->hc;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r[mid].unit < u || (r[mid].unit == u && (r[mid].ind < hc ||
		    (r[mid].ind == hc && r[mid].period < period))))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < o->b->nrecs && r[lo].unit == u && r[lo].ind == hc &&
	    r[lo].period == period;
}

static struct other *others_new(const struct import_batch *b,
    const struct import_batch *const *with, size_t nwith, size_t *n)
{
	struct other *o = xcalloc(nwith ? nwith : 1, sizeof(*o));

	*n = 0;
	for (size_t i = 0; i < nwith; i++) {
		const struct import_batch *x = with[i];
		struct other *t = &o[*n];
		if (x == b || !x->nrecs)
			continue;
		t->b = x;
		t->order = xcalloc(x->nunits ? x->nunits : 1, sizeof(*t->order));
		for (size_t k = 0; k < x->nunits; k++)
			t->order[k] = (uint32_t)k;
		qsort_r(t->order, x->nunits, sizeof(*t->order), cmp_unit_idx, x->units);
		t->hc = -1;
		for (size_t k = 0; k < x->ninds; k++)
			if (!strcmp(x->inds[k], "headcount"))
				t->hc = (int64_t)k;
		(*n)++;
	}
	return o;
}

static void others_free(struct other *o, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(o[i].order);
	free(o);
}

/* A leaf unit of the file with values at a period and no headcount there,
 * neither in the file, nor in the other files of the same import, nor
 * stored: hidden at that period (SPEC 3), and maybe a sibling with it. The
 * file's records are grouped by unit (csv.h). */
static size_t check_headcount(struct store *st, const char *file,
    const struct import_batch *b, char *const *stored, size_t nstored,
    const struct other *oth, size_t noth, struct diags *w)
{
	int64_t hc = -1;
	char **mine = xcalloc(b->nunits ? b->nunits : 1, sizeof(*mine));
	int32_t *vp = NULL, *hp = NULL;
	size_t cap = 0, said = 0;

	for (size_t k = 0; k < b->ninds; k++)
		if (!strcmp(b->inds[k], "headcount"))
			hc = (int64_t)k;
	memcpy(mine, b->units, b->nunits * sizeof(*mine));
	qsort(mine, b->nunits, sizeof(*mine), cmp_str);
	for (size_t i = 0, j; i < b->nrecs; i = j) {
		uint32_t u = b->recs[i].unit;
		const char *unit = b->units[u];
		size_t nv = 0, nh = 0;
		bool parent = false;

		for (j = i; j < b->nrecs && b->recs[j].unit == u; j++)
			;
		/* A parent's headcount is its children's sum (SPEC 2). */
		parent = has_descendant(mine, b->nunits, unit) ||
		    has_descendant(stored, nstored, unit);
		for (size_t o = 0; o < noth && !parent; o++)
			parent = other_has_descendant(&oth[o], unit);
		if (parent)
			continue;
		if (j - i > cap) {
			cap = j - i;
			vp = xreallocarray(vp, cap, sizeof(*vp));
			hp = xreallocarray(hp, cap, sizeof(*hp));
		}
		for (size_t r = i; r < j; r++)
			if ((int64_t)b->recs[r].ind == hc)
				hp[nh++] = b->recs[r].period;
			else
				vp[nv++] = b->recs[r].period;
		qsort(vp, nv, sizeof(*vp), cmp_period);
		qsort(hp, nh, sizeof(*hp), cmp_period);
		/* The stored headcount, read once for the unit when needed. */
		int32_t p0 = 0;
		double *hv = NULL;
		size_t nhv = 0;
		bool read = false;
		for (size_t k = 0; k < nv; k++) {
			struct batch_place at = place_of(b->unit_at, u);
			char per[PERIOD_BUFSZ];
			int64_t off;
			bool there = false;

			if ((k && vp[k] == vp[k - 1]) ||
			    bsearch(&vp[k], hp, nh, sizeof(*hp), cmp_period))
				continue;
			for (size_t o = 0; o < noth && !there; o++)
				there = other_headcount(&oth[o], unit, vp[k]);
			if (there)
				continue;
			if (st && !read) {
				read = true;
				if (store_series_get(st, unit, "headcount", &p0, &hv, &nhv) < 0)
					nhv = 0;
			}
			off = (int64_t)vp[k] - p0;
			if (off >= 0 && (uint64_t)off < nhv && !isnan(hv[off]))
				continue;
			said++;
			if (w->n >= CSV_KEEP_ERRORS) {
				w->more++;
				continue;
			}
			period_format(b->gran, vp[k], per);
			if (b->gran == GRAN_WEEK)
				diags_add_tr(w, file, at.line, at.col, "%s has no headcount "
				    "for %s, neither in this file nor stored: its figures "
				    "for that week are hidden (SPEC 3), and may hide a "
				    "sibling with them, until one is imported", unit, per);
			else
				diags_add_tr(w, file, at.line, at.col, "%s has no headcount "
				    "for %s, neither in this file nor stored: its figures "
				    "for that month are hidden (SPEC 3), and may hide a "
				    "sibling with them, until one is imported", unit, per);
		}
		free(hv);
	}
	free(vp);
	free(hp);
	free(mine);
	return said;
}

/* What is stored (st NULL, or unreadable: nothing). */
static int stored_names(struct store *st, char ***inds, size_t *ninds,
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
	if (stored_names(st, &inds, &ninds, &units, &nunits) != 0)
		return 0;
	said = check_totals(file, b, w);
	said += check_indicators(file, b, inds, ninds, w);
	said += check_units(file, b, units, nunits, w);
	store_names_free(inds, ninds);
	store_names_free(units, nunits);
	return said;
}

size_t import_check_headcount(struct store *st, const char *file,
    const struct import_batch *b, const struct import_batch *const *with,
    size_t nwith, struct diags *w)
{
	char **inds, **units;
	size_t ninds, nunits, noth, said;
	struct other *oth;

	w->kind = "warning";
	if (stored_names(st, &inds, &ninds, &units, &nunits) != 0)
		return 0;
	oth = others_new(b, with, nwith, &noth);
	said = check_headcount(st, file, b, units, nunits, oth, noth, w);
	others_free(oth, noth);
	store_names_free(inds, ninds);
	store_names_free(units, nunits);
	return said;
}

size_t import_check(struct store *st, const char *file,
    const struct import_batch *b, struct diags *w)
{
	return import_check_names(st, file, b, w) +
	    import_check_headcount(st, file, b, NULL, 0, w);
}
