/* The pages of a unit renamed or moved (renamed.h). An email sent before
 * `vigie rename` links to /alerts/RULE@OLD-PATH or /units/OLD-PATH; the
 * console answers them with a redirect to the page of today, as vigie
 * history names the alert, but only once the user's scopes cover the new
 * path: a user who may not see it gets the 404 of a page out of scope, and
 * does not learn the new name. 307, not 301 or 308: a browser may keep a
 * permanent redirect, and an old path may hold a unit again (a later
 * rename gives it to another team), whose page it would then not reach;
 * what the console answers also depends on who asks (vigie-web(8)). */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "vigie/log.h"
#include "vigie/store_alerts.h"
#include "vigie/typo.h"
#include "vigie/unit.h"
#include "vigie/web_html.h"
#include "vigie/wording.h"
#include "vigie/xalloc.h"
#include "web_impl.h"
#include "renamed.h"

/* A temporary redirect to path (already encoded) with the request's
 * query. */
static void moved_to(struct req *r, const char *path)
{
	char *q = request_query(r);

	free(r->location);
	r->location = xasprintf("%s%s", path, q);
	r->status = MHD_HTTP_TEMPORARY_REDIRECT;
	free(q);
}

/* The path the renames gave unit (followed through the later ones), or
 * NULL: none did, or they cannot be read (logged). */
static char *path_today(struct req *r, const char *unit)
{
	struct store_rename *v = NULL;
	size_t n = 0;
	int64_t at;
	char *to = NULL;

	if (store_renames(r->st, &v, &n) != 0)
		log_err("cannot read the renames: %s", store_errmsg(r->st));
	else
		to = store_renamed_path(v, n, unit, false, &at);
	store_renames_free(v, n);
	return to;
}

bool renamed_alert(struct req *r, const char *id)
{
	char *rule, *unit, *to = NULL, *path = NULL;
	struct alert_state state;
	struct console_alert a;
	int64_t aid;
	size_t len = 0;
	bool done = false;

	if (lifecycle_split_id(id, &rule, &unit) != 0)
		return false;
	/* An alert of that name, even out of the user's scopes, is its own;
	 * else the one vigie history names (store_alert_moved). */
	if (store_alert_find(r->st, rule, unit, &aid, &state) == 1 &&
	    store_alert_moved(r->st, rule, unit, &to) == 0 && sees_alert(r, rule, to) &&
	    store_console_alert(r->st, rule, to, &a) == 0) {
		FILE *f = open_memstream(&path, &len);

		if (!f)
			xalloc_die();
		alert_link(f, rule, to);
		if (fclose(f) != 0)
			xalloc_die();
		moved_to(r, path);
		console_alert_clear(&a);
		done = true;
	}
	free(path);
	free(to);
	free(rule);
	free(unit);
	return done;
}

bool renamed_unit(struct req *r, const char *unit)
{
	struct dataset *d = data_ref(r);
	char *to = NULL;
	bool done = false;

	if (d && d->s && series_unit(d->s, unit) < 0 && (to = path_today(r, unit)) &&
	    viewer_sees_unit(&r->who, to) && series_unit(d->s, to) >= 0) {
		char *path = url_encode(to, true), *page = xasprintf("/units/%s", path);

		moved_to(r, page);
		free(page);
		free(path);
		done = true;
	}
	free(to);
	data_unref(r->w, d);
	return done;
}

/* « le 7 décembre 2026 », « on 7 December 2026 »: the day of t, local. */
static void put_day(struct req *r, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char ym[16], month[64];

	if (!localtime_r(&tt, &tm) || !strftime(ym, sizeof(ym), "%Y-%m", &tm))
		return;
	typo_period(month, sizeof(month), ym, false, r->loc);
	fprintf(r->out, WORD(r->loc, ", le %d%s %s", ", on %d%s %s"), tm.tm_mday,
	    r->loc == LOC_EN || tm.tm_mday != 1 ? "" : "er", month);
}

void put_alert_renames(struct req *r, const struct console_alert *a)
{
	struct store_rename *v = NULL;
	size_t n = 0, nline = 0, *line = NULL;
	char **path = NULL, *first = NULL;
	int64_t since = 0;

	if (store_alert_first(r->st, a->id, &first, &since) < 0 ||
	    store_renames(r->st, &v, &n) != 0)
		log_err("cannot read the renames: %s", store_errmsg(r->st));
	/* From the name of its first event, the renames since that moved it,
	 * oldest first (a merge's other team, renamed onto its unit, did not). */
	path = xcalloc(n + 1, sizeof(*path));
	path[0] = first;
	line = xcalloc(n + 1, sizeof(*line));
	for (size_t i = n; first && i-- > 0; ) {
		const char *cur = path[nline];

		if (v[i].at < since || !unit_is_under(cur, v[i].from))
			continue;
		line[nline] = i;
		path[nline + 1] = xasprintf("%s%s", v[i].to, cur + strlen(v[i].from));
		nline++;
	}
	/* Said only when they lead to its name of today. */
	for (size_t k = nline; k-- > 0 && !strcmp(path[nline], a->unit); ) {
		fprintf(r->out, "<p class=\"renamed\">%s", WORD(r->loc, "Unité renommée"
		    TYPO_NNBSP ": ", "Unit renamed: "));
		html_text(r->out, path[k]);
		fputs(" → ", r->out);
		html_text(r->out, path[k + 1]);
		put_day(r, v[line[k]].at);
		fputs("</p>\n", r->out);
	}
	for (size_t k = 0; k <= nline; k++)
		free(path[k]);
	free(path);
	free(line);
	store_renames_free(v, n);
}
