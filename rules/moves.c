/* What renaming or merging stored units would give away (vigie/moves.h). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/moves.h"
#include "vigie/unit.h"
#include "vigie/xalloc.h"

/* The length of path's parent ("acme/a" -> 4; "acme" -> 0). */
static size_t parent_len(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? (size_t)(slash - path) : 0;
}

/* The first period where (u, ind) has a value and is hidden in c; when t
 * >= 0, where (u, ind) and (t, ind) both have one, one of them hidden:
 * *who is the hidden one. */
static bool hidden_value(const struct series *s, const struct cells *c, uint32_t u,
    int32_t t, uint32_t ind, int32_t *period, uint32_t *who)
{
	for (int32_t p = s->p0; p < s->p0 + s->np; p++) {
		if (isnan(series_get(s, u, ind, p)))
			continue;
		if (t >= 0 && isnan(series_get(s, (uint32_t)t, ind, p)))
			continue;
		*period = p;
		*who = u;
		if (cells_hidden(c, u, ind, p))
			return true;
		*who = (uint32_t)t;
		if (t >= 0 && cells_hidden(c, (uint32_t)t, ind, p))
			return true;
	}
	return false;
}

bool move_reveals(const struct series *s, const struct cells *c, const char *from,
    const char *to, bool merge, struct reveal *r)
{
	int32_t top = series_unit(s, from), p;
	uint32_t who;
	size_t from_len = strlen(from);
	bool moves = parent_len(from) != parent_len(to) ||
	    strncmp(from, to, parent_len(from)) != 0;

	if (top < 0)
		return false;
	for (uint32_t ind = 0; moves && ind < s->nind; ind++)
		if (!c->is_companion[ind] &&
		    hidden_value(s, c, (uint32_t)top, -1, ind, &p, &who)) {
			*r = (struct reveal){ s->units[who], s->inds[ind], p, REVEAL_MOVED, NULL };
			return true;
		}
	if (!merge)
		return false;
	for (uint32_t u = 0; u < s->nunits; u++) {
		const char *path = s->units[u];
		char target[UNIT_MAX_BYTES + 1];
		int32_t t;
		int n;

		if (!unit_is_under(path, from))
			continue;
		n = snprintf(target, sizeof(target), "%s%s", to, path + from_len);
		if (n < 0 || (size_t)n >= sizeof(target) || (t = series_unit(s, target)) < 0)
			continue;
		for (uint32_t ind = 0; ind < s->nind; ind++)
			if (!c->is_companion[ind] &&
			    hidden_value(s, c, u, t, ind, &p, &who)) {
				*r = (struct reveal){ s->units[who], s->inds[ind], p,
				    REVEAL_MERGED, NULL };
				return true;
			}
	}
	return false;
}

bool move_unhides(const struct series *s1, const struct cells *c1,
    const struct series *s2, const struct cells *c2, const char *from,
    const char *to, struct reveal *r)
{
	size_t from_len = strlen(from);

	for (uint32_t u = 0; u < s1->nunits; u++) {
		const char *path = s1->units[u];
		char moved[UNIT_MAX_BYTES + 1];
		int32_t u2;
		int n = unit_is_under(path, from) ? snprintf(moved, sizeof(moved),
		    "%s%s", to, path + from_len) : snprintf(moved, sizeof(moved), "%s", path);

		if (n < 0 || (size_t)n >= sizeof(moved) || (u2 = series_unit(s2, moved)) < 0)
			continue;
		for (uint32_t ind = 0; ind < s1->nind; ind++) {
			int32_t i2;

			if (c1->is_companion[ind] || !c1->row[(size_t)u * s1->nind + ind] ||
			    (i2 = series_indicator(s2, s1->inds[ind])) < 0)
				continue;
			for (int32_t p = s1->p0; p < s1->p0 + s1->np; p++)
				if (cells_hidden(c1, u, ind, p) && !isnan(series_get(s1, u, ind, p)) &&
				    !isnan(series_get(s2, (uint32_t)u2, (uint32_t)i2, p)) &&
				    !cells_hidden(c2, (uint32_t)u2, (uint32_t)i2, p)) {
					*r = (struct reveal){ path, s1->inds[ind], p, REVEAL_SHOWN, NULL };
					return true;
				}
		}
	}
	return false;
}

/* The sibling of u (a child of q in s1) whose cell of ind is hidden with a
 * value at p in c1, and in c2 (of s2) too: what q's figure minus its shown
 * children gives once u's is known; one under the floor in s1 when there
 * is one (the team the change gives away), else the first; -1 if none. */
static int64_t other_stays_hidden(const struct series *s1, const struct cells *c1,
    const struct series *s2, const struct cells *c2, int32_t q, uint32_t u,
    uint32_t ind, uint32_t ind2, int32_t p)
{
	int64_t found = -1;

	for (uint32_t k = s1->child_off[q]; k < s1->child_off[q + 1]; k++) {
		uint32_t v = s1->child_idx[k];
		int32_t v2;
		double h;

		if (v == u || !cells_hidden(c1, v, ind, p) || isnan(series_get(s1, v, ind, p)) ||
		    (v2 = series_unit(s2, s1->units[v])) < 0 ||
		    !cells_hidden(c2, (uint32_t)v2, ind2, p) ||
		    isnan(series_get(s2, (uint32_t)v2, ind2, p)))
			continue;
		h = c1->headcount < 0 ? NAN : series_get(s1, v, (uint32_t)c1->headcount, p);
		if (isnan(h) || h < c1->floor || series_kept_below(s1, v, p - s1->p0))
			return v;
		if (found < 0)
			found = v;
	}
	return found;
}

/* The cells change_uncovers looks for, appended to *v (grown) until max of
 * them are found; their number. */
static size_t uncovered(const struct series *s1, const struct cells *c1,
    const struct series *s2, const struct cells *c2, int32_t p0, int32_t p1,
    struct reveal **v, size_t max)
{
	size_t n = 0;

	for (uint32_t u = 0; u < s1->nunits && n < max; u++) {
		int32_t u2 = series_unit(s2, s1->units[u]), q = s1->parent[u];

		if (q < 0)
			continue;
		for (uint32_t ind = 0; ind < s1->nind && n < max; ind++) {
			int32_t i2 = series_indicator(s2, s1->inds[ind]);

			if (c1->is_companion[ind] || !c1->row[(size_t)u * s1->nind + ind] ||
			    i2 < 0)
				continue;
			for (int32_t p = p0; p <= p1 && n < max; p++) {
				double h = c1->headcount < 0 ? NAN :
				    series_get(s1, u, (uint32_t)c1->headcount, p);
				bool gone = u2 < 0 ||
				    isnan(series_get(s2, (uint32_t)u2, (uint32_t)i2, p));

				/* A small team shown after the change (its headcount
				 * corrected) gives away the one hidden with it as
				 * much as a companion does; its removal is warned
				 * about as a small team's (importcheck.h). */
				int64_t by;

				if (!cells_hidden(c1, u, ind, p) || isnan(series_get(s1, u, ind, p)) ||
				    (gone && (isnan(h) || h < c1->floor)) ||
				    (!gone && cells_hidden(c2, (uint32_t)u2, (uint32_t)i2, p)) ||
				    (by = other_stays_hidden(s1, c1, s2, c2, q, u, ind,
				    (uint32_t)i2, p)) < 0)
					continue;
				*v = xreallocarray(*v, n + 1, sizeof(**v));
				(*v)[n++] = (struct reveal){ s1->units[u], s1->inds[ind], p,
				    gone ? REVEAL_REMOVED : REVEAL_SHOWN, s1->units[by] };
			}
		}
	}
	return n;
}

bool change_uncovers(const struct series *s1, const struct cells *c1,
    const struct series *s2, const struct cells *c2, int32_t p0, int32_t p1,
    struct reveal *r)
{
	struct reveal *v = NULL;
	bool found = uncovered(s1, c1, s2, c2, p0, p1, &v, 1) == 1;

	if (found)
		*r = v[0];
	free(v);
	return found;
}

size_t change_uncovers_all(const struct series *s1, const struct cells *c1,
    const struct series *s2, const struct cells *c2, int32_t p0, int32_t p1,
    struct reveal **v)
{
	*v = NULL;
	return uncovered(s1, c1, s2, c2, p0, p1, v, SIZE_MAX);
}

const struct cells *moves_cells(const struct cells *c, const struct ruleset *rs)
{
	const struct cells *at;
	int floor = c->floor;

	for (size_t i = 0; rs && i < rs->n; i++)
		if (rs->rules[i].min_headcount > floor)
			floor = rs->rules[i].min_headcount;
	at = cells_at(c, floor);
	return at ? at : c;
}
