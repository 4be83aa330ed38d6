/* Cell suppression (SPEC 3): the worked examples of the issue that found
 * the differencing attacks, dominance, companions, and a property test on
 * thousands of random companies: no group of hidden cells below the floor
 * (or dominated) can be isolated by any linear combination of the
 * published values and the roll-up equations. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/cells.h"
#include "vigie/moves.h"
#include "vigie/series.h"
#include "linsys.h"

#define MAXU LINSYS_MAX

#define P 24300	/* 2025-01 */

static struct series *S;
static struct cells *C;

static void cells_reset(void)
{
	cells_free(C);
	series_free(S);
	C = NULL;
	S = NULL;
}

TestSuite(cells, .fini = cells_reset);

/* A one-period series from "unit:indicator=value,..." leaf lines. */
static void build(const char *const *leaves, size_t n)
{
	struct series_builder *b = sb_new(GRAN_MONTH, P, P);
	static struct { int32_t u, x; double v; } set[128 * 8];
	size_t nset = 0;

	/* units and indicators first: the builder takes no new ones after sb_set */
	for (size_t i = 0; i < n; i++) {
		char buf[256], *save = NULL;
		snprintf(buf, sizeof(buf), "%s", leaves[i]);
		int32_t u = sb_unit(b, strtok_r(buf, ":", &save));
		for (char *kv = strtok_r(NULL, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
			char *eq = strchr(kv, '=');
			*eq = '\0';
			cr_assert_lt(nset, sizeof(set) / sizeof(set[0]));
			set[nset].u = u;
			set[nset].x = sb_indicator(b, kv);
			set[nset++].v = atof(eq + 1);
		}
	}
	for (size_t i = 0; i < nset; i++)
		cr_assert_eq(sb_set(b, (uint32_t)set[i].u, (uint32_t)set[i].x, P, set[i].v), 0);
	S = sb_finish(b);
	cr_assert_not_null(S);
	C = cells_new(S, 5, 0.85);
	cr_assert_not_null(C);
}

static bool hidden(const char *unit, const char *ind)
{
	int32_t u = series_unit(S, unit), x = series_indicator(S, ind);

	cr_assert_geq(u, 0, "no unit %s", unit);
	cr_assert_geq(x, 0, "no indicator %s", ind);
	return cells_hidden(C, (uint32_t)u, (uint32_t)x, P);
}

Test(cells, a_site_minus_its_only_visible_team_gives_nothing_away)
{
	/* The attack: site 3 + 20 people shows 29 days, the team of
	 * 20 shows 12, so the team of 3 had 17. Now the team of 20 is hidden. */
	const char *d[] = {
		"acme/site/small:headcount=3,absence_days=17",
		"acme/site/big:headcount=20,absence_days=12",
	};
	build(d, 2);
	cr_assert(hidden("acme/site/small", "absence_days"));
	cr_assert(hidden("acme/site/big", "absence_days"), "complementary suppression");
	cr_assert(hidden("acme/site/big", "headcount"), "headcount is a cell too");
	cr_assert_not(hidden("acme/site", "absence_days"));
	cr_assert_not(hidden("acme", "absence_days"));
}

Test(cells, the_smallest_visible_sibling_joins_the_hidden_team)
{
	/* The demo's Epinal site: a team of 3 among four visible teams. */
	const char *d[] = {
		"valdis/epinal/entretien:headcount=3,harassment_reports=1",
		"valdis/epinal/a:headcount=12,harassment_reports=0",
		"valdis/epinal/b:headcount=6,harassment_reports=0",
		"valdis/epinal/c:headcount=6,harassment_reports=0",
		"valdis/epinal/d:headcount=30,harassment_reports=0",
	};
	build(d, 5);
	cr_assert(hidden("valdis/epinal/entretien", "harassment_reports"));
	/* b and c tie at 6: name order picks b, and 3 + 6 reaches the floor */
	cr_assert(hidden("valdis/epinal/b", "harassment_reports"));
	cr_assert_not(hidden("valdis/epinal/c", "harassment_reports"));
	cr_assert_not(hidden("valdis/epinal/a", "harassment_reports"));
	cr_assert_not(hidden("valdis/epinal/d", "harassment_reports"));
	cr_assert_not(hidden("valdis/epinal", "harassment_reports"));
}

Test(cells, a_team_whose_indicator_is_missing_is_not_a_complement)
{
	/* Only the small team exports conflicts: the site's value is the
	 * team's, so the site's cell must be hidden. */
	const char *d[] = {
		"acme/site/small:headcount=3,conflicts=2",
		"acme/site/big:headcount=20,absence_days=4",
	};
	build(d, 2);
	cr_assert(hidden("acme/site/small", "conflicts"));
	cr_assert(hidden("acme/site", "conflicts"));
	cr_assert(hidden("acme", "conflicts"), "and the level above, for the same reason");
	cr_assert_not(hidden("acme/site/big", "absence_days"), "other indicators are not touched");
	cr_assert_not(hidden("acme/site", "absence_days"));
}

Test(cells, joining_a_group_hides_the_whole_subtree)
{
	/* The department that joins the hidden team would be given away by
	 * the sum of its own teams. */
	const char *d[] = {
		"acme/site/tiny:headcount=2,absence_days=5",
		"acme/site/dept/x:headcount=6,absence_days=3",
		"acme/site/dept/y:headcount=7,absence_days=4",
		"acme/site/z:headcount=40,absence_days=30",
	};
	build(d, 4);
	cr_assert(hidden("acme/site/tiny", "absence_days"));
	cr_assert(hidden("acme/site/dept", "absence_days"));
	cr_assert(hidden("acme/site/dept/x", "absence_days"));
	cr_assert(hidden("acme/site/dept/y", "absence_days"));
	cr_assert_not(hidden("acme/site/z", "absence_days"));
	cr_assert_not(hidden("acme/site", "absence_days"));
}

Test(cells, a_dominated_cell_is_hidden_and_the_group_must_not_be_dominated)
{
	/* b: one person has 9.5 of 10 days. Alone it would still describe that
	 * person, so a joins; 9.5 of 20 no longer dominates. */
	const char *d[] = {
		"acme/s/a:headcount=10,absence_days=10,absence_days_max=2",
		"acme/s/b:headcount=10,absence_days=10,absence_days_max=9.5",
		"acme/s/c:headcount=30,absence_days=40,absence_days_max=5",
	};
	build(d, 3);
	cr_assert(hidden("acme/s/b", "absence_days"));
	cr_assert(hidden("acme/s/a", "absence_days"));
	cr_assert_not(hidden("acme/s/c", "absence_days"));
	cr_assert_not(hidden("acme/s", "absence_days"));
	cr_assert_not(hidden("acme/s/b", "headcount"));
	/* the companion rolls up as a maximum, and is never shown */
	int32_t s = series_unit(S, "acme/s"), m = series_indicator(S, "absence_days_max");
	cr_assert_float_eq(series_get(S, (uint32_t)s, (uint32_t)m, P), 9.5, 1e-12);
	cr_assert(hidden("acme/s", "absence_days_max"));
	cr_assert(hidden("acme/s/c", "absence_days_max"));
}

Test(cells, dominance_follows_the_configured_ratio)
{
	cr_assert(cells_dominated(10, 8.6, 0.85));
	cr_assert_not(cells_dominated(10, 8.5, 0.85));
	cr_assert_not(cells_dominated(10, NAN, 0.85));
	cr_assert_not(cells_dominated(0, 0, 0.85));
}

Test(cells, a_unit_without_headcount_is_below_the_floor)
{
	const char *d[] = {
		"acme/a:absence_days=4",
		"acme/b:headcount=50,absence_days=9",
		"acme/c:headcount=50,absence_days=9",
	};
	build(d, 3);
	cr_assert(hidden("acme/a", "absence_days"));
	cr_assert(hidden("acme/b", "absence_days"));	/* first of equal headcounts */
	cr_assert_not(hidden("acme/c", "absence_days"));
}

Test(cells, a_site_total_beside_its_teams_hides_its_own_staff)
{
	/* The site exports its total, 53 people, beside its two teams' 50:
	 * the 3 people attached to the site itself had 1 - 0 - 0 = 1 report.
	 * They are a hidden group, so the smaller team joins it. */
	const char *d[] = {
		"co/s5:headcount=53,harassment_reports=1",
		"co/s5/t1:headcount=20,harassment_reports=0",
		"co/s5/t2:headcount=30,harassment_reports=0",
	};
	build(d, 3);
	cr_assert(hidden("co/s5/t1", "harassment_reports"));
	cr_assert_not(hidden("co/s5/t2", "harassment_reports"));
	cr_assert_not(hidden("co/s5", "harassment_reports"));
	cr_assert(hidden("co/s5/t1", "headcount"), "53 - 30 - 20 counts them too");
	cr_assert_not(hidden("co/s5/t2", "headcount"));
}

Test(cells, a_site_total_that_is_the_sum_of_its_teams_hides_nothing)
{
	/* A subtotal row: no one outside the teams, nothing to give away. */
	const char *d[] = {
		"co/s5:headcount=50,harassment_reports=0",
		"co/s5/t1:headcount=20,harassment_reports=0",
		"co/s5/t2:headcount=30,harassment_reports=0",
	};
	build(d, 3);
	cr_assert_not(hidden("co/s5/t1", "harassment_reports"));
	cr_assert_not(hidden("co/s5/t2", "harassment_reports"));
	cr_assert_not(hidden("co/s5/t1", "headcount"));
}

Test(cells, a_site_value_without_its_headcount_counts_no_one_behind_the_difference)
{
	/* The site's 4 conflicts against its teams' 3: no headcount says who
	 * had the fourth, so the group counts 0 people (SPEC 3) and the
	 * smaller team joins it. */
	const char *d[] = {
		"co/s:conflicts=4",
		"co/s/t1:headcount=20,conflicts=1",
		"co/s/t2:headcount=30,conflicts=2",
	};
	build(d, 3);
	cr_assert(hidden("co/s/t1", "conflicts"));
	cr_assert_not(hidden("co/s/t2", "conflicts"));
	cr_assert_not(hidden("co/s", "conflicts"));
}

Test(cells, a_site_total_whose_most_absent_employee_is_of_its_own_staff)
{
	/* The site exports 200 days, its most absent employee 90, beside
	 * two teams of 55 whose most absent had 5: 200 - 55 - 55 gives the
	 * 90 days of its own 10 people, all one person's. The smaller team
	 * (name order) joins them: 90 of 145 no longer dominates. */
	const char *d[] = {
		"co/s:headcount=40,absence_days=200,absence_days_max=90",
		"co/s/a:headcount=15,absence_days=55,absence_days_max=5",
		"co/s/b:headcount=15,absence_days=55,absence_days_max=5",
		"co/u:headcount=20,absence_days=30,absence_days_max=4",
	};
	build(d, 4);
	cr_assert(hidden("co/s/a", "absence_days"));
	cr_assert_not(hidden("co/s/b", "absence_days"));
	cr_assert_not(hidden("co/s", "absence_days"));
	cr_assert_not(hidden("co/s/a", "headcount"), "10 people: not a headcount matter");
}

Test(cells, a_site_total_whose_own_staff_had_no_absence_hides_nothing)
{
	/* 6 people of its own with 0 days: the site's most absent employee
	 * (10 days) is in a team, and 0 days are no one's. */
	const char *d[] = {
		"co/s:headcount=46,absence_days=40,absence_days_max=10",
		"co/s/a:headcount=20,absence_days=20,absence_days_max=10",
		"co/s/b:headcount=20,absence_days=20,absence_days_max=5",
	};
	build(d, 3);
	cr_assert_not(hidden("co/s/a", "absence_days"));
	cr_assert_not(hidden("co/s/b", "absence_days"));
}

Test(cells, a_site_whose_own_staff_and_teams_stay_below_the_floor_is_hidden)
{
	const char *d[] = {
		"co/s:headcount=4,conflicts=2",
		"co/s/t1:headcount=3,conflicts=1",
		"co/r:headcount=40,conflicts=1",
	};
	build(d, 3);
	cr_assert(hidden("co/s/t1", "conflicts"));
	cr_assert(hidden("co/s", "conflicts"));
	cr_assert(hidden("co/r", "conflicts"), "and one level up, its sibling joins it");
}

/* ---- property: random companies ---- */

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

/* Leaves of a random company: 1-4 sites, 0-3 departments, 1-5 teams each;
 * headcounts skewed small (a third below the floor), some missing values.
 * A third of the sites also export their own total: their teams' and 1 to
 * 8 people of their own (a site's staff in no team). */
static size_t random_company(char leaves[][160], size_t max)
{
	size_t n = 0;
	uint32_t sites = 1 + rnd(4);

	for (uint32_t s = 0; s < sites; s++) {
		uint32_t depts = rnd(4);
		double sh = 0, sx = 0, sc = 0;
		size_t first = n;
		for (uint32_t d = 0; d <= depts && n < max; d++) {
			uint32_t teams = 1 + rnd(5);
			for (uint32_t t = 0; t < teams && n < max; t++) {
				uint32_t h = rnd(3) == 0 ? 1 + rnd(6) : 5 + rnd(40);
				uint32_t x = rnd(30), xm = x ? rnd(x + 1) : 0;
				int len = d == depts
				    ? snprintf(leaves[n], 160, "co/s%u/t%u:", s, t)
				    : snprintf(leaves[n], 160, "co/s%u/d%u/t%u:", s, d, t);
				if (rnd(20))
					len += snprintf(leaves[n] + len, 160 - (size_t)len, "headcount=%u,", h);
				if (rnd(8))
					len += snprintf(leaves[n] + len, 160 - (size_t)len,
					    "absence_days=%u,absence_days_max=%u,", x, xm);
				len += snprintf(leaves[n] + len, 160 - (size_t)len, "conflicts=%u", rnd(3));
				n++;
			}
		}
		if (rnd(3) == 0 && n < max) {
			/* the teams' sums, read back from their lines */
			for (size_t k = first; k < n; k++) {
				const char *v;
				if ((v = strstr(leaves[k], "headcount=")))
					sh += atof(v + 10);
				if ((v = strstr(leaves[k], "absence_days=")))
					sx += atof(v + 13);
				sc += atof(strstr(leaves[k], "conflicts=") + 10);
			}
			/* and now and then its most absent employee, who may
			 * be one of its own staff */
			uint32_t own = rnd(10);
			int len = snprintf(leaves[n], 160, "co/s%u:headcount=%g,absence_days=%g,"
			    "conflicts=%g", s, sh + 1 + rnd(8), sx + own, sc + rnd(2));
			if (rnd(2))
				snprintf(leaves[n] + len, 160 - (size_t)len, ",absence_days_max=%u",
				    own ? own - rnd(2) : 0);
			n++;
		}
	}
	return n;
}

/* The people behind x at u as an adversary counts them: a unit's
 * headcount when it has a value of its own or no child with one, else
 * its children's (those with a value of x). */
static double people_behind(uint32_t u, uint32_t x, int32_t hc)
{
	double h = hc >= 0 ? series_get(S, u, (uint32_t)hc, P) : NAN, sum = 0;
	bool any = false;

	if (!series_own(S, u, x, 0))
		for (uint32_t k = S->child_off[u]; k < S->child_off[u + 1]; k++) {
			uint32_t c = S->child_idx[k];
			if (isnan(series_get(S, c, x, P)))
				continue;
			any = true;
			sum += people_behind(c, x, hc);
		}
	return any ? sum : isnan(h) ? 0 : h;
}

static bool ancestor(uint32_t a, uint32_t d)
{
	for (int32_t u = S->parent[d]; u >= 0; u = S->parent[u])
		if ((uint32_t)u == a)
			return true;
	return false;
}

static void check_indicator(const char *name, int company)
{
	int32_t x = series_indicator(S, name), hc = series_indicator(S, "headcount");
	int32_t xm = series_indicator(S, "absence_days_max");
	static struct linsys sys;
	int unit_of[MAXU];

	if (x < 0)
		return;
	memset(&sys, 0, sizeof(sys));
	for (uint32_t u = 0; u < S->nunits; u++) {
		sys.unk[u] = -1;
		if (!isnan(series_get(S, u, (uint32_t)x, P)) && cells_hidden(C, u, (uint32_t)x, P)) {
			unit_of[sys.nunk] = (int)u;
			sys.unk[u] = sys.nunk++;
		}
	}
	/* A unit with a value of its own beside its children's: its own staff
	 * (the value minus the children's) are never published, an unknown
	 * of their own (unit_of: -1 - u). */
	int rest[MAXU];
	for (uint32_t u = 0; u < S->nunits; u++) {
		rest[u] = -1;
		if (S->child_off[u + 1] > S->child_off[u] && series_own(S, u, (uint32_t)x, 0)) {
			cr_assert_lt(sys.nunk, LINSYS_MAX);
			unit_of[sys.nunk] = -1 - (int)u;
			rest[u] = sys.nunk++;
		}
	}
	for (uint32_t u = 0; u < S->nunits; u++) {
		if (S->child_off[u + 1] == S->child_off[u] || isnan(series_get(S, u, (uint32_t)x, P)))
			continue;
		double v[MAXU] = { 0 };
		if (sys.unk[u] >= 0)
			v[sys.unk[u]] = 1;
		if (rest[u] >= 0)
			v[rest[u]] = -1;
		for (uint32_t k = S->child_off[u]; k < S->child_off[u + 1]; k++) {
			uint32_t c = S->child_idx[k];
			if (sys.unk[c] >= 0)
				v[sys.unk[c]] -= 1;
		}
		linsys_add_row(&sys, v);
	}
	/* Every derivable single hidden cell or pair of disjoint hidden cells
	 * must be a group of at least the floor and not dominated. */
	for (int i = 0; i < sys.nunk; i++)
		for (int j = i; j < sys.nunk; j++) {
			uint32_t a = (uint32_t)(unit_of[i] < 0 ? -1 - unit_of[i] : unit_of[i]);
			uint32_t b = (uint32_t)(unit_of[j] < 0 ? -1 - unit_of[j] : unit_of[j]);
			if (i != j && (ancestor(a, b) || ancestor(b, a)))
				continue;
			int set[2] = { i, j };
			if (!linsys_derivable(&sys, set, i == j ? 1 : 2))
				continue;
			double h = 0, sum = 0, mx = NAN;
			for (int k = 0; k < (i == j ? 1 : 2); k++) {
				if (unit_of[set[k]] < 0) {
					/* a site's own staff: its people beyond its
					 * children's, its value beyond theirs */
					uint32_t u = (uint32_t)(-1 - unit_of[set[k]]);
					double kids = 0, kidsum = 0;
					for (uint32_t c = S->child_off[u]; c < S->child_off[u + 1]; c++) {
						uint32_t ch = S->child_idx[c];
						if (isnan(series_get(S, ch, (uint32_t)x, P)))
							continue;
						kids += people_behind(ch, (uint32_t)x, hc);
						kidsum += series_get(S, ch, (uint32_t)x, P);
					}
					double hv = hc >= 0 ? series_get(S, u, (uint32_t)hc, P) : NAN;
					h += fmax(0, (isnan(hv) ? 0 : hv) - kids);
					sum += series_get(S, u, (uint32_t)x, P) - kidsum;
					/* the site's most absent employee may be one
					 * of its own staff */
					if (xm >= 0 && strcmp(name, "absence_days") == 0 &&
					    series_own(S, u, (uint32_t)xm, 0)) {
						double m = series_get(S, u, (uint32_t)xm, P);
						if (!isnan(m) && (isnan(mx) || m > mx))
							mx = m;
					}
					continue;
				}
				uint32_t u = (uint32_t)unit_of[set[k]];
				double hv = hc >= 0 ? series_get(S, u, (uint32_t)hc, P) : NAN;
				h += isnan(hv) ? 0 : hv;
				sum += series_get(S, u, (uint32_t)x, P);
				if (xm >= 0 && strcmp(name, "absence_days") == 0) {
					double m = series_get(S, u, (uint32_t)xm, P);
					if (!isnan(m) && (isnan(mx) || m > mx))
						mx = m;
				}
			}
			cr_assert_geq(h, 5, "company %d, %s: the hidden group {%s, %s} "
			    "(%g people) can be derived", company, name,
			    S->units[a], S->units[b], h);
			cr_assert_not(cells_dominated(sum, mx, 0.85),
			    "company %d, %s: a dominated hidden group {%s, %s} can be derived",
			    company, name, S->units[a], S->units[b]);
		}
}

Test(cells, no_hidden_group_below_the_floor_can_be_derived_in_random_companies)
{
	static char leaves[MAXU / 2][160];
	const char *ptr[MAXU / 2];

	for (int company = 0; company < 3000; company++) {
		size_t n = random_company(leaves, MAXU / 2 - 8);
		for (size_t i = 0; i < n; i++)
			ptr[i] = leaves[i];
		build(ptr, n);
		cr_assert_leq(S->nunits, MAXU);
		/* the row flags say which rows have a hidden period */
		for (size_t r = 0; r < (size_t)S->nunits * S->nind; r++)
			cr_assert_eq(C->row[r], C->hidden[r], "row flag %zu", r);
		check_indicator("absence_days", company);
		check_indicator("headcount", company);
		check_indicator("conflicts", company);
		cells_reset();
	}
}

/* A rule's own floor (SPEC 3, 5): cells_raise computes the cells at that
 * floor once, into the chain that cells_at reads; they are those of
 * cells_new at that floor. */
Test(cells, a_raised_floor_is_computed_once_and_found_again)
{
	const char *d[] = {
		"acme/site/a:headcount=7,absence_days=4",
		"acme/site/b:headcount=30,absence_days=12",
		"acme/site/c:headcount=40,absence_days=9",
	};
	build(d, 3);
	int32_t a = series_unit(S, "acme/site/a"), x = series_indicator(S, "absence_days");

	cr_assert_eq(cells_at(C, 5), C);
	cr_assert_eq(cells_at(C, 3), C, "a lower floor reads the base cells");
	cr_assert_null(cells_at(C, 10), "not computed yet");
	cr_assert_eq(cells_raise(C, 10), 0);
	const struct cells *ten = cells_at(C, 10);
	cr_assert_not_null(ten);
	cr_assert_eq(ten->floor, 10);
	cr_assert_eq(cells_raise(C, 10), 0);
	cr_assert_eq(cells_at(C, 10), ten, "raised once");
	cr_assert_null(ten->raised);
	cr_assert_eq(cells_raise(C, 8), 0);
	cr_assert_eq(cells_at(C, 8)->floor, 8);
	cr_assert_eq(cells_at(C, 10), ten);

	cr_assert_not(cells_hidden(C, (uint32_t)a, (uint32_t)x, P), "7 people: above 5");
	cr_assert(cells_hidden(ten, (uint32_t)a, (uint32_t)x, P), "7 people: below 10");
	struct cells *fresh = cells_new(S, 10, 0.85);
	size_t n = (size_t)S->nunits * S->nind * (size_t)S->np;
	cr_assert_eq(memcmp(fresh->hidden, ten->hidden, n), 0, "as cells_new at 10");
	cells_free(fresh);
}

/* Renames and merges that would give a hidden figure away (vigie/moves.h):
 * the demo's Epinal site, entretien (3 people) hidden and b with it. */
Test(cells, a_move_or_merge_that_would_show_a_hidden_figure_is_found)
{
	const char *d[] = {
		"valdis/epinal/entretien:headcount=3,harassment_reports=1",
		"valdis/epinal/a:headcount=12,harassment_reports=0",
		"valdis/epinal/b:headcount=6,harassment_reports=0",
		"valdis/epinal/c:headcount=6,harassment_reports=0",
		"valdis/nancy/x:headcount=20,harassment_reports=2",
	};
	struct reveal r;

	build(d, 5);
	/* Within its parent, renamed alone: no sum changes. */
	cr_assert_not(move_reveals(S, C, "valdis/epinal/entretien", "valdis/epinal/menage",
	    false, &r));
	/* Merged into a, shown: a's figures plus the hidden ones. */
	cr_assert(move_reveals(S, C, "valdis/epinal/entretien", "valdis/epinal/a", true, &r));
	cr_assert_str_eq(r.unit, "valdis/epinal/entretien");
	cr_assert_eq(r.how, REVEAL_MERGED);
	cr_assert_eq(r.period, P);
	/* a merged into entretien: the same sum, entretien's the hidden one. */
	cr_assert(move_reveals(S, C, "valdis/epinal/a", "valdis/epinal/entretien", true, &r));
	cr_assert_str_eq(r.unit, "valdis/epinal/entretien");
	/* Two shown teams merged, or a merge where the new path has no value. */
	cr_assert_not(move_reveals(S, C, "valdis/epinal/a", "valdis/epinal/c", true, &r));
	cr_assert_not(move_reveals(S, C, "valdis/epinal/entretien", "valdis/epinal/new",
	    true, &r));
	/* Moved to Nancy: both sites' figures would change by its value. */
	cr_assert(move_reveals(S, C, "valdis/epinal/entretien", "valdis/nancy/entretien",
	    false, &r));
	cr_assert_str_eq(r.unit, "valdis/epinal/entretien");
	cr_assert_eq(r.how, REVEAL_MOVED);
	cr_assert(move_reveals(S, C, "valdis/epinal/b", "valdis/nancy/b", false, &r),
	    "a complement is hidden too");
	/* A shown team, or the whole site (shown), moves without giving away. */
	cr_assert_not(move_reveals(S, C, "valdis/epinal/a", "valdis/nancy/a", false, &r));
	cr_assert_not(move_reveals(S, C, "valdis/epinal", "valdis/vosges/epinal", false, &r));
	cr_assert_not(move_reveals(S, C, "nowhere", "valdis/x", true, &r));
}

/* A visible team moved into a site becomes the smallest there: the hidden
 * companion of its team of 3 is picked anew, and the one hidden before
 * would be shown (move_unhides). */
Test(cells, a_move_that_shows_a_companion_hidden_before_is_found)
{
	const char *before[] = {
		"valdis/epinal/entretien:headcount=3,harassment_reports=1",
		"valdis/epinal/a:headcount=12,harassment_reports=0",
		"valdis/epinal/b:headcount=6,harassment_reports=0",
		"valdis/nancy/x:headcount=5,harassment_reports=0",
		"valdis/nancy/y:headcount=20,harassment_reports=2",
	};
	const char *after[] = {
		"valdis/epinal/entretien:headcount=3,harassment_reports=1",
		"valdis/epinal/a:headcount=12,harassment_reports=0",
		"valdis/epinal/b:headcount=6,harassment_reports=0",
		"valdis/epinal/x:headcount=5,harassment_reports=0",
		"valdis/nancy/y:headcount=20,harassment_reports=2",
	};
	struct series *s1;
	struct cells *c1;
	struct reveal r;

	build(before, 5);
	s1 = S;
	c1 = C;
	S = NULL;
	C = NULL;
	cr_assert(cells_hidden(c1, (uint32_t)series_unit(s1, "valdis/epinal/b"),
	    (uint32_t)series_indicator(s1, "harassment_reports"), P), "b hides entretien");
	cr_assert_not(move_reveals(s1, c1, "valdis/nancy/x", "valdis/epinal/x", false, &r),
	    "x is shown: moving it changes sums by figures shown");
	build(after, 5);
	cr_assert(hidden("valdis/epinal/x", "harassment_reports"), "x hides entretien now");
	cr_assert_not(hidden("valdis/epinal/b", "harassment_reports"));
	cr_assert(move_unhides(s1, c1, S, C, "valdis/nancy/x", "valdis/epinal/x", &r));
	cr_assert_str_eq(r.unit, "valdis/epinal/b");
	cr_assert_eq(r.how, REVEAL_SHOWN);
	/* Within Nancy, nothing hidden before is shown after. */
	cr_assert_not(move_unhides(s1, c1, s1, c1, "valdis/nancy/x", "valdis/nancy/z", &r));
	cells_free(c1);
	series_free(s1);
}

/* The auditor's site: a team of 4 hidden with the smallest other, b (6).
 * An import or a removal at that month changes which one is hidden beside
 * it, or takes b's figures out of the site's: compared with what was shown
 * before, that gives a's away (change_uncovers). */
static void hide_with(const char *const *before, size_t nb, const char *const *after,
    size_t na, bool want, const char *unit, int how, const char *why)
{
	struct series *s1;
	struct cells *c1;
	struct reveal r;

	build(before, nb);
	s1 = S;
	c1 = C;
	S = NULL;
	C = NULL;
	build(after, na);
	cr_assert_eq(change_uncovers(s1, c1, S, C, P, P, &r), want, "%s", why);
	if (want) {
		cr_assert_str_eq(r.unit, unit, "%s", why);
		cr_assert_eq((int)r.how, how, "%s", why);
		cr_assert_eq(r.period, P);
	}
	cells_free(c1);
	series_free(s1);
}

Test(cells, a_change_that_shows_or_removes_a_companion_is_found)
{
	const char *month[] = {
		"co/s/a:headcount=4,absence_days=71", "co/s/b:headcount=6,absence_days=13",
		"co/s/c:headcount=20,absence_days=209", "co/s/d:headcount=25,absence_days=309",
		"co/t/x:headcount=30,absence_days=409",
	};
	const char *newteam[] = {
		"co/s/a:headcount=4,absence_days=71", "co/s/b:headcount=6,absence_days=13",
		"co/s/c:headcount=20,absence_days=209", "co/s/d:headcount=25,absence_days=309",
		"co/t/x:headcount=30,absence_days=409", "co/s/n:headcount=5,absence_days=0",
	};
	const char *smaller_c[] = {
		"co/s/a:headcount=4,absence_days=71", "co/s/b:headcount=6,absence_days=13",
		"co/s/c:headcount=5,absence_days=209", "co/s/d:headcount=25,absence_days=309",
		"co/t/x:headcount=30,absence_days=409",
	};
	const char *without_b[] = {
		"co/s/a:headcount=4,absence_days=71", "co/s/c:headcount=20,absence_days=209",
		"co/s/d:headcount=25,absence_days=309", "co/t/x:headcount=30,absence_days=409",
	};
	const char *without_ab[] = {
		"co/s/c:headcount=20,absence_days=209", "co/s/d:headcount=25,absence_days=309",
		"co/t/x:headcount=30,absence_days=409",
	};
	const char *a_grown[] = {
		"co/s/a:headcount=8,absence_days=71", "co/s/b:headcount=6,absence_days=13",
		"co/s/c:headcount=20,absence_days=209", "co/s/d:headcount=25,absence_days=309",
		"co/t/x:headcount=30,absence_days=409",
	};
	const char *b_corrected[] = {
		"co/s/a:headcount=4,absence_days=71", "co/s/b:headcount=6,absence_days=20",
		"co/s/c:headcount=20,absence_days=209", "co/s/d:headcount=25,absence_days=309",
		"co/t/x:headcount=30,absence_days=409",
	};

	hide_with(month, 5, newteam, 6, true, "co/s/b", REVEAL_SHOWN,
	    "a new team of 5 hides a in b's place");
	hide_with(month, 5, smaller_c, 5, true, "co/s/b", REVEAL_SHOWN,
	    "c, corrected to 5, hides a in b's place");
	hide_with(month, 5, without_b, 4, true, "co/s/b", REVEAL_REMOVED,
	    "b removed: the site's figure moves by b's");
	hide_with(month, 5, without_ab, 3, false, NULL, 0,
	    "a and b removed together: their sum was the site's minus its shown teams");
	hide_with(month, 5, a_grown, 5, false, NULL, 0,
	    "a corrected to 8 is shown, and nothing is hidden any more");
	hide_with(month, 5, b_corrected, 5, false, NULL, 0,
	    "b's value changed, still hidden: the site moves by the change only");
	hide_with(month, 5, month, 5, false, NULL, 0, "nothing changes");
	/* The auditor's second site: two small teams hidden together (3 and
	 * 4: seven people), no companion needed. b's headcount corrected to
	 * 14 shows b, and hides a with c: beside what was shown, a's figure
	 * is the site's minus d, c (shown before) and b (shown now). */
	const char *pair[] = {
		"co/s/a:headcount=3,absence_days=9", "co/s/b:headcount=4,absence_days=1",
		"co/s/c:headcount=10,absence_days=11", "co/s/d:headcount=25,absence_days=22",
	};
	const char *pair_b14[] = {
		"co/s/a:headcount=3,absence_days=9", "co/s/b:headcount=14,absence_days=1",
		"co/s/c:headcount=10,absence_days=11", "co/s/d:headcount=25,absence_days=22",
	};
	hide_with(pair, 4, pair_b14, 4, true, "co/s/b", REVEAL_SHOWN,
	    "b, one of two small teams, corrected: a hidden with c");
}

/* A cell kept hidden from an earlier state of the data (series.h, kept)
 * is hidden with its subtree, and its parent protects it as a hidden
 * child: after the auditor's late file, b stays hidden beside a, and the
 * new team need not be, as a and b are 10 people; b's own teams, whose sum
 * is b's figure, are hidden with it. */
Test(cells, a_kept_cell_stays_hidden_with_its_subtree)
{
	const char *late[] = {
		"co/s/a:headcount=4,absence_days=71", "co/s/b/x:headcount=3,absence_days=6",
		"co/s/b/y:headcount=3,absence_days=7", "co/s/c:headcount=20,absence_days=209",
		"co/s/d:headcount=25,absence_days=309", "co/s/n:headcount=5,absence_days=0",
	};
	int32_t b, x;

	build(late, 6);
	cr_assert(hidden("co/s/n", "absence_days"), "without the kept cell, n hides a");
	b = series_unit(S, "co/s/b");
	x = series_indicator(S, "absence_days");
	cr_assert_eq(series_keep(S, (uint32_t)b, (uint32_t)x, 0), 0);
	cr_assert_eq(series_keep(S, (uint32_t)b, (uint32_t)x, 5), 0, "out of range: ignored");
	cells_free(C);
	C = cells_new(S, 5, 0.85);
	cr_assert_not_null(C);
	cr_assert(hidden("co/s/b", "absence_days"));
	cr_assert(hidden("co/s/b/y", "absence_days"), "b's teams would add up to it");
	cr_assert_not(hidden("co/s/n", "absence_days"), "a and b are 10 people");
	cr_assert_not(hidden("co/s/b", "headcount"), "other indicators of b as before");
	cr_assert_not(hidden("co/s", "absence_days"));
}

/* A unit kept under the floor (series.h, below) is hidden whatever its
 * headcount, and its group needs a companion as if it had no one: the
 * small team whose headcount was "corrected" from 3 to 29 after its
 * month's figures were shown stays hidden, and so does the smallest
 * other team beside it, so the site minus its shown teams is two teams'. */
Test(cells, a_unit_kept_below_the_floor_stays_hidden_with_a_companion)
{
	const char *raised[] = {
		"co/s/a:headcount=29,absence_days=3", "co/s/b:headcount=35,absence_days=41",
		"co/s/c:headcount=43,absence_days=48", "co/s/d:headcount=46,absence_days=47",
	};
	int32_t a;

	build(raised, 4);
	cr_assert_not(hidden("co/s/a", "absence_days"), "29 people: shown");
	cr_assert_not(hidden("co/s/b", "absence_days"));
	a = series_unit(S, "co/s/a");
	cr_assert_eq(series_keep_below(S, (uint32_t)a, 0), 0);
	cr_assert_eq(series_keep_below(S, (uint32_t)a, 7), 0, "out of range: ignored");
	cr_assert(series_kept_below(S, (uint32_t)a, 0));
	cells_free(C);
	C = cells_new(S, 5, 0.85);
	cr_assert_not_null(C);
	cr_assert(hidden("co/s/a", "absence_days"), "kept under the floor");
	cr_assert(hidden("co/s/a", "headcount"), "its headcount too");
	cr_assert(hidden("co/s/b", "absence_days"), "the smallest other team with it");
	cr_assert_not(hidden("co/s/c", "absence_days"), "b's 35 people suffice");
	cr_assert_not(hidden("co/s", "absence_days"));
}
