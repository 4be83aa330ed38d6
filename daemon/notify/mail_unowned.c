/* The closing list of a digest (mail_impl.h, notice.h): the alerts open
 * for long that no one has taken in charge, its heading, its lines (a
 * site's alert and those of its teams for the same rule on one line, as
 * the blocks fold them), what stands for the lines past the tenth, and how
 * to take an alert off it. Both parts (mail_text.c, mail_html.c) write
 * the same phrases. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "mail_impl.h"
#include "vigie/mime.h"
#include "vigie/period.h"
#include "vigie/typo.h"
#include "vigie/wording.h"
#include "vigie/xalloc.h"

#define NBSP TYPO_NBSP

char *mail_unowned_heading(const struct notice *u, size_t nu, enum locale loc)
{
	enum granularity g = GRAN_MONTH;
	int32_t p;
	char cb[TYPO_BUFSZ * 2];

	/* The periods of the store: its alerts' (weeks or months). */
	if (nu && u[0].since)
		(void)period_parse(u[0].since, strlen(u[0].since), &g, &p);
	typo_count(cb, sizeof(cb), (long)nu, WORD(loc, "alerte ouverte", "alert"),
	    WORD(loc, "alertes ouvertes", "alerts"), loc);
	return xasprintf(WORD(loc, "%s sans prise en charge depuis plus de %d" NBSP "%s",
	    "%s open for more than %d" NBSP "%s that no one has acknowledged"), cb,
	    NOTICE_UNOWNED_PERIODS, g == GRAN_WEEK ? WORD(loc, "semaines", "weeks") :
	    WORD(loc, "mois", "months"));
}

char *mail_unowned_line(const struct notice *x, enum locale loc)
{
	char sb[TYPO_BUFSZ];
	char *t = mail_prose(x->title ? x->title : x->rule, loc, false), *s;

	typo_period(sb, sizeof(sb), x->since, false, loc);
	s = xasprintf(WORD(loc, "%s, depuis %s", "%s, since %s"), t, sb);
	free(t);
	return s;
}

char *mail_unowned_more(size_t k, enum locale loc)
{
	char cb[TYPO_BUFSZ * 2];

	typo_count(cb, sizeof(cb), (long)k, WORD(loc, "autre", "more"),
	    WORD(loc, "autres", "more"), loc);
	return xasprintf(WORD(loc, "… et %s", "… and %s"), cb);
}

const char *mail_unowned_hint(enum locale loc, const char *web)
{
	if (!web)
		return WORD(loc, "Pour retirer une alerte de cette liste, prenez-la en charge "
		    "(vigie ack).", "To take an alert off this list, acknowledge it (vigie ack).");
	return WORD(loc, "Pour retirer une alerte de cette liste, prenez-la en charge "
	    "dans la console.", "To take an alert off this list, acknowledge it in the console.");
}

/* Whether unit a is a strict ancestor of unit b. */
static bool above(const char *a, const char *b)
{
	size_t n = strlen(a);

	return !strncmp(a, b, n) && b[n] == '/';
}

/* The highest alert of u[0..nu) of x's rule at x's unit or above it. */
static size_t root_of(const struct notice *u, size_t nu, size_t i)
{
	size_t r = i;

	for (size_t j = 0; j < nu; j++)
		if (!strcmp(u[j].rule, u[i].rule) && above(u[j].unit, u[r].unit))
			r = j;
	return r;
}

size_t mail_unowned_lines(const struct notice *u, size_t nu, enum locale loc,
    struct unowned_line **out)
{
	size_t *root = xcalloc(nu + 1, sizeof(*root)), n = 0;
	struct unowned_line *l = xcalloc(nu + 1, sizeof(*l));

	for (size_t i = 0; i < nu; i++)
		root[i] = root_of(u, nu, i);
	for (size_t i = 0; i < nu; i++) {
		size_t r = root[i], k = 0, shown = 0;
		char *units = NULL;
		int rank = 0;
		bool seen = false;

		/* a line per group, where its first alert comes (the oldest) */
		for (size_t j = 0; j < i && !seen; j++)
			seen = root[j] == r;
		if (seen)
			continue;
		for (size_t j = 0; j < nu; j++)
			k += root[j] == r && j != r;
		/* the alerts below the root in list order, then the root */
		for (size_t j = 0; j < nu; j++) {
			char *c, *t;

			if (root[j] != r)
				continue;
			if (wording_rank(&u[j]) > rank)
				rank = wording_rank(&u[j]);
			if (j == r)
				continue;
			c = mime_clean(u[j].unit, false);
			t = xasprintf("%s%s%s", units ? units : "", !units ? "" :
			    ++shown < k ? ", " : WORD(loc, " et ", " and "), c);
			free(units);
			free(c);
			units = t;
		}
		if (units) {
			char *c = mime_clean(u[r].unit, false);
			/* a site: the first two segments of a path */
			const char *slash = strchr(u[r].unit, '/');
			bool site = slash && !strchr(slash + 1, '/');
			char *t = xasprintf(WORD(loc, "%s et %s%s", "%s and %s%s"), units,
			    site ? WORD(loc, "le site ", "site ") : "", c);

			free(units);
			free(c);
			units = t;
		} else {
			units = mime_clean(u[r].unit, false);
		}
		l[n++] = (struct unowned_line){ .first = i, .link = r, .units = units,
		    .rank = rank, .alerts = k + 1 };
	}
	free(root);
	*out = l;
	return n;
}

void mail_unowned_lines_free(struct unowned_line *l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(l[i].units);
	free(l);
}
