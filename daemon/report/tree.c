/* The report's units as a tree: the order they come in (each unit
 * followed by the units under it), what each is called by its place
 * (company, site, department, team) and by its path under its site, and
 * where the contents and the bookmarks nest it. A company of 4 levels
 * (company, sites, departments, teams) reads as one of 3: a department is
 * no « Équipe », and two teams of the same name in two departments of a
 * site have two labels. */
#include <stdlib.h>
#include <string.h>
#include "report_impl.h"
#include "vigie/xalloc.h"

int rpath_cmp(const char *a, const char *b)
{
	/* '/' below every character a segment may hold ([A-Za-z0-9._-]) */
	for (; *a && *a == *b; a++, b++)
		;
	int x = *a == '/' ? 1 : (unsigned char)*a, y = *b == '/' ? 1 : (unsigned char)*b;

	return (x > y) - (x < y);
}

static int cmp_runit(const void *a, const void *b)
{
	return rpath_cmp(((const struct runit *)a)->path, ((const struct runit *)b)->path);
}

/* Whether the unit of path a is under the unit of path b. */
static bool under(const char *a, const char *b)
{
	size_t n = strlen(b);

	return !strncmp(a, b, n) && a[n] == '/';
}

void rmodel_tree(struct rmodel *m)
{
	size_t *stack, n = 0;	/* the ancestors of the unit, shown */

	qsort(m->units, m->nunits, sizeof(*m->units), cmp_runit);
	stack = xcalloc(m->nunits + 1, sizeof(*stack));
	for (size_t i = 0; i < m->nunits; i++) {
		struct runit *u = &m->units[i];

		while (n && !under(u->path, m->units[stack[n - 1]].path))
			n--;
		u->up = n ? stack[n - 1] : RUNIT_TOP;
		u->depth = (int)n;
		stack[n++] = i;
	}
	free(stack);
}

size_t runit_alerts(const struct rmodel *m, const struct runit *u, bool critical)
{
	size_t n = 0;

	for (size_t t = 0; u->alerts && t < m->nthemes; t++)
		n += u->alerts[2 * t + critical] + u->ongoing[2 * t + critical];
	return n;
}

const char *rlevel_name(enum rlevel l, enum locale loc)
{
	static const char *const names[][2] = {
		[RL_COMPANY] = { "Entreprise", "Company" }, [RL_SITE] = { "Site", "Site" },
		[RL_DEPT] = { "Service", "Department" }, [RL_TEAM] = { "Équipe", "Team" },
	};

	return names[l][loc == LOC_EN];
}

const char *runit_short(const struct runit *u)
{
	const char *p = u->path, *s1 = strchr(p, '/'), *s2 = s1 ? strchr(s1 + 1, '/') : NULL;

	/* a company: its path; a site: below the company; below: below the
	 * site */
	return s2 ? s2 + 1 : s1 ? s1 + 1 : p;
}
