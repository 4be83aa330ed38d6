/* The HTML report's contents and its index of the units with alerts. The
 * contents nest the units as the tree is (an <ol> in each unit's <li> that
 * has units under it shown), each named by its place and its path under
 * its site (runit_short); the index lists, after them, the units whose
 * alert box is not empty, with that box's totals. */
#include <stdio.h>
#include "report_impl.h"

static const char *const cls[] = {
	[RL_COMPANY] = "company", [RL_SITE] = "site", [RL_DEPT] = "department",
	[RL_TEAM] = "team",
};

void rhtml_toc(const struct rmodel *m, FILE *f)
{
	fprintf(f, "<section id=\"contents\">\n<h2>%s</h2>\n<ol class=\"toc\">\n",
	    rw(m->loc, W_CONTENTS));
	if (m->alerts_read)
		fprintf(f, "<li><a href=\"#alerts-index\">%s</a></li>\n", rw(m->loc, W_INDEX));
	for (size_t i = 0; i < m->nunits; i++) {
		const struct runit *u = &m->units[i];
		int next = i + 1 < m->nunits ? m->units[i + 1].depth : 0;

		fprintf(f, "<li class=\"%s\"><a href=\"#u%zu\">%s ", cls[u->level], i,
		    rlevel_name(u->level, m->loc));
		rhtml_esc(f, runit_short(u));
		fputs("</a>", f);
		if (next > u->depth) {	/* its first unit under it: tree order */
			fputs("\n<ol>\n", f);
			continue;
		}
		fputs("</li>\n", f);
		for (int d = u->depth; d > next; d--)
			fputs("</ol></li>\n", f);
	}
	fprintf(f, "<li><a href=\"#method\">%s</a></li>\n</ol>\n</section>\n",
	    rw(m->loc, W_METHOD));
}

void rhtml_index(const struct rmodel *m, FILE *f)
{
	size_t n = 0;

	if (!m->alerts_read)
		return;
	fprintf(f, "<section id=\"alerts-index\">\n<h2>%s</h2>\n", rw(m->loc, W_INDEX));
	for (size_t i = 0; i < m->nunits; i++) {
		const struct runit *u = &m->units[i];
		size_t w = runit_alerts(m, u, false), c = runit_alerts(m, u, true);

		if (!w && !c)
			continue;
		if (!n++)
			fprintf(f, "<p>%s</p>\n<div class=\"wide\"><table>\n<thead><tr>"
			    "<th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
			    "<th scope=\"col\" class=\"num\">%s</th></tr></thead>\n<tbody>\n",
			    rw(m->loc, W_INDEX_TEXT), rw(m->loc, W_UNIT), rw(m->loc, W_WARNING),
			    rw(m->loc, W_CRITICAL));
		fprintf(f, "<tr><th scope=\"row\"><a href=\"#u%zu\">%s ", i,
		    rlevel_name(u->level, m->loc));
		rhtml_esc(f, u->path);
		fprintf(f, "</a></th><td class=\"num\">%zu</td><td class=\"num\">%zu</td></tr>\n",
		    w, c);
	}
	if (n)
		fputs("</tbody>\n</table></div>\n", f);
	else
		fprintf(f, "<p>%s</p>\n", rw(m->loc, W_INDEX_NONE));
	fputs("</section>\n", f);
}
