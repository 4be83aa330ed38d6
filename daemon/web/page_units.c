/* The list of the units a user may see, to reach one that has no alert
 * (its history, a note): the units of the data under the user's scopes,
 * those of the active alerts the user sees, and those whose alerts the
 * user sees all resolved and whose values are gone (their pages still
 * hold their history and notes), as links to their pages,
 * in one section per site (a path's first two segments, the report's
 * level), nested as the hierarchy goes. It shows no figure at all, not
 * even a count (SPEC 3): a unit below the anonymity floor is listed by its
 * name, as its page and its parent's sub-units list it. A unit with an
 * active alert says so, with its worst severity, filtered as the alerts
 * page filters (the unit in scope, the rule notifying the user's role: the
 * social service's rules are not HR's). Each scope is looked up as a range
 * of sorted paths (the literal segments before its first wildcard), so a
 * page costs the units of the user's scopes, not every unit and alert of
 * the company. */
#include <stdlib.h>
#include <string.h>
#include "vigie/typo.h"
#include "vigie/unit.h"
#include "vigie/web_html.h"
#include "vigie/wording.h"
#include "vigie/xalloc.h"
#include "web_impl.h"

struct listed {
	const char *path;
	enum severity sev;	/* of an active alert the user sees, or SEV_NONE */
};

/* Paths in the hierarchy's order: '/' before any character of a segment,
 * so that "a/b/c" comes before "a/b-c" and a unit's descendants follow it. */
static int cmp_listed(const void *a, const void *b)
{
	const unsigned char *x = (const void *)((const struct listed *)a)->path;
	const unsigned char *y = (const void *)((const struct listed *)b)->path;

	for (; *x && *x == *y; x++, y++)
		;
	return (*x == '/' ? 1 : *x) - (*y == '/' ? 1 : *y);
}

/* The length of the path of the site of unit p: its first two segments. */
static size_t site_len(const char *p)
{
	const char *s = strchr(p, '/');

	s = s ? strchr(s + 1, '/') : NULL;
	return s ? (size_t)(s - p) : strlen(p);
}

static bool is_ancestor(const char *a, const char *p)
{
	size_t n = strlen(a);

	return !strncmp(a, p, n) && p[n] == '/';
}

static void item(struct req *r, const struct listed *u)
{
	FILE *f = r->out;

	fputs("<li><a href=\"/units/", f);
	html_url(f, u->path, true);
	fputs("\">", f);
	html_text(f, u->path);
	fputs("</a>", f);
	if (u->sev != SEV_NONE) {
		fputs(WORD(r->loc, " — alerte active" TYPO_NNBSP ": ", " — active alert: "), f);
		put_severity(r, u->sev);
	}
}

/* The units of v[0..n), of one site, as nested lists. */
static void site_list(struct req *r, const struct listed *v, size_t n)
{
	const char *open[UNIT_MAX_SEGMENTS];
	bool nested[UNIT_MAX_SEGMENTS];
	size_t depth = 0;
	FILE *f = r->out;

	fputs("<ul class=\"units\">\n", f);
	/* Each unit opened is a descendant of the one below it, and a path
	 * has 16 segments at most: the bound only guards the arrays. */
	for (size_t i = 0; i < n; i++) {
		while (depth && (!is_ancestor(open[depth - 1], v[i].path) ||
		    depth == UNIT_MAX_SEGMENTS))
			fputs(nested[--depth] ? "</ul></li>\n" : "</li>\n", f);
		if (depth && !nested[depth - 1]) {
			fputs("\n<ul>\n", f);
			nested[depth - 1] = true;
		}
		item(r, &v[i]);
		open[depth] = v[i].path;
		nested[depth++] = false;
	}
	while (depth)
		fputs(nested[--depth] ? "</ul></li>\n" : "</li>\n", f);
	fputs("</ul>\n", f);
}

/* The resolved alerts whose unit has no value in dataset d, for one
 * cycle's alerts: one block (freed with free), kept in d's memo. */
struct gone {
	size_t n;
	struct gone_alert {
		const char *unit, *rule;
	} v[];
};

static struct gone *gone_load(struct req *r, const struct dataset *d)
{
	struct console_alert *a;
	struct gone *g;
	size_t n, k = 0, bytes = 0;
	char *p;

	if (store_console_resolved(r->st, &a, &n) != 0)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!d->s || series_unit(d->s, a[i].unit) < 0) {
			bytes += strlen(a[i].unit) + strlen(a[i].rule) + 2;
			k++;
		}
	g = xmalloc(sizeof(*g) + k * sizeof(g->v[0]) + bytes);
	p = (char *)&g->v[k];
	g->n = 0;
	for (size_t i = 0; i < n; i++) {
		size_t lu = strlen(a[i].unit) + 1, lr = strlen(a[i].rule) + 1;

		if (d->s && series_unit(d->s, a[i].unit) >= 0)
			continue;
		g->v[g->n].unit = memcpy(p, a[i].unit, lu);
		g->v[g->n++].rule = memcpy(p + lu, a[i].rule, lr);
		p += lu + lr;
	}
	console_alerts_free(a, n);
	return g;
}

/* The length of glob's literal part, the segments before its first
 * wildcard with their '/'; the whole glob and its NUL when it has none
 * (then only that path matches). */
static size_t glob_literal(const char *g)
{
	size_t seg = 0;

	for (size_t i = 0; ; i++) {
		if (g[i] != '/' && g[i] != '\0')
			continue;
		if (g[seg] == '*')
			return seg;
		if (!g[i])
			return i + 1;
		seg = i + 1;
	}
}

/* The paths of a sorted set, by index. */
typedef const char *(*path_at)(const void *set, size_t i);

static const char *data_path(const void *set, size_t i)
{
	const struct series *s = set;

	return s->units[s->sorted[i]];
}

static const char *alert_path(const void *set, size_t i)
{
	return ((const struct console_alert *)set)[i].unit;
}

static const char *gone_path(const void *set, size_t i)
{
	return ((const struct gone *)set)->v[i].unit;
}

/* The first index of the sorted set whose path starts with key[0..len). */
static size_t first_at(const void *set, size_t n, path_at at, const char *key,
    size_t len)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strncmp(at(set, mid), key, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct found {
	struct listed *v;
	size_t n, cap;
};

static void add(struct found *f, const char *path, enum severity sev)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 64;
		f->v = xreallocarray(f->v, f->cap, sizeof(*f->v));
	}
	f->v[f->n++] = (struct listed){ path, sev };
}

/* What scope g holds of the data, of the active alerts and of the units
 * of resolved alerts only. */
static void scope_units(struct req *r, const char *g, const struct dataset *d,
    const struct alertset *as, const struct gone *gone, struct found *f)
{
	size_t len = glob_literal(g), n, i;

	n = d->s ? d->s->nunits : 0;
	for (i = first_at(d->s, n, data_path, g, len); i < n &&
	    !strncmp(data_path(d->s, i), g, len); i++)
		if (unit_glob_match(g, data_path(d->s, i)))
			add(f, data_path(d->s, i), SEV_NONE);
	for (i = first_at(as->v, as->n, alert_path, g, len); i < as->n &&
	    !strncmp(as->v[i].unit, g, len); i++)
		if (unit_glob_match(g, as->v[i].unit) &&
		    sees_alert(r, as->v[i].rule, as->v[i].unit))
			add(f, as->v[i].unit, as->v[i].severity);
	n = gone ? gone->n : 0;
	for (i = first_at(gone, n, gone_path, g, len); i < n &&
	    !strncmp(gone->v[i].unit, g, len); i++)
		if (unit_glob_match(g, gone->v[i].unit) &&
		    sees_alert(r, gone->v[i].rule, gone->v[i].unit))
			add(f, gone->v[i].unit, SEV_NONE);
}

void page_units(struct req *r)
{
	struct alertset *as = alerts_ref(r);
	struct dataset *d = as ? data_ref(r) : NULL;
	struct gone *gone = NULL, *mine = NULL;
	struct found fd = { 0 };
	struct listed *v;
	size_t m = 0, k = 0;
	FILE *f = r->out;
	char key[32];

	if (!d) {
		page_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL);
		alerts_unref(r->w, as);
		return;
	}
	/* Read once per cycle's alerts and dataset, not per page. */
	snprintf(key, sizeof(key), "%lld", (long long)as->gen.cycle);
	if (!(gone = memo_get(&d->units, key)) && (mine = gone_load(r, d)) &&
	    (gone = memo_put(&d->units, key, mine)) == mine)
		mine = NULL;	/* the memo's now */
	if (!gone)
		gone = mine;	/* the memo is full: this page's own */
	for (size_t i = 0; i < r->who.nscopes; i++)
		scope_units(r, r->who.scopes[i], d, as, gone, &fd);
	v = fd.v;
	if (fd.n)
		qsort(v, fd.n, sizeof(*v), cmp_listed);
	/* One entry a unit, with the worst severity of its alerts. */
	for (size_t i = 0; i < fd.n; i++) {
		if (m && !strcmp(v[m - 1].path, v[i].path)) {
			if (v[i].sev > v[m - 1].sev)
				v[m - 1].sev = v[i].sev;
		} else {
			v[m++] = v[i];
		}
	}

	page_begin(r, WORD(r->loc, "Mes unités", "My units"));
	fprintf(f, "<h1>%s</h1>\n<p class=\"summary\">%s</p>\n", WORD(r->loc, "Mes unités",
	    "My units"), m ? WORD(r->loc, "Les unités de votre périmètre, par site, avec ou "
	    "sans alerte active. La page d'une unité donne ses signaux, son historique et ses "
	    "notes.", "The units of your scope, by site, with or without an active alert. A "
	    "unit's page gives its signals, its history and its notes.") :
	    WORD(r->loc, "Aucune unité dans votre périmètre.", "No unit in your scope."));
	for (size_t i = 0, j; i < m; i = j, k++) {
		size_t len = site_len(v[i].path);
		char *site = xstrndup(v[i].path, len);

		for (j = i; j < m && site_len(v[j].path) == len &&
		    !strncmp(v[j].path, site, len); j++)
			;
		fprintf(f, "<section aria-labelledby=\"site%zu\">\n<h2 id=\"site%zu\">", k, k);
		html_text(f, site);
		fputs("</h2>\n", f);
		site_list(r, v + i, j - i);
		fputs("</section>\n", f);
		free(site);
	}
	page_end(r);
	free(v);
	free(mine);
	data_unref(r->w, d);
	alerts_unref(r->w, as);
}
