/* The scheduled works council report (SPEC 15; `report: {every, to}` in
 * the configuration), a phase of the cycle (cycle_impl.h). Once the last
 * calendar quarter (or year) is over and the database holds data up to its
 * last period, one transaction records a "report" event for its span, one
 * outbox message per address of the roles in `to`, the span as sent (meta
 * report_last_to) and the export in the audit log: a crash sends nothing
 * or everything, a restart or the next cycle sends nothing more, and the
 * outbox retries each message until it goes. The message records only the
 * span and the format; vigied renders the report when it sends it (the
 * report room, through mail_set_report_renderer), so the outbox never
 * holds figures. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cycle_impl.h"
#include "vigie/log.h"
#include "vigie/store_alerts.h"
#include "vigie/store_audit.h"
#include "vigie/xalloc.h"

#define META_KEY "report_last_to"

/* The last complete calendar quarter (or year) before `now` (UTC), as
 * periods of granularity g: months, or the ISO weeks whose Thursday falls
 * in it (the ISO rule of which month a week belongs to). */
static void last_span(enum report_every every, enum granularity g, time_t now,
    int32_t *from, int32_t *to)
{
	struct tm tm;
	int32_t m0, m1;		/* first and last month, as month periods */
	int64_t d0, d1;

	gmtime_r(&now, &tm);
	if (every == REPORT_YEAR) {
		m0 = (tm.tm_year + 1900 - 1) * 12;
		m1 = m0 + 11;
	} else {
		m1 = (tm.tm_year + 1900) * 12 + tm.tm_mon / 3 * 3 - 1;
		m0 = m1 - 2;
	}
	if (g == GRAN_MONTH) {
		*from = m0;
		*to = m1;
		return;
	}
	d0 = period_first_day(GRAN_MONTH, m0);
	d1 = period_first_day(GRAN_MONTH, m1 + 1) - 1;
	*from = period_of_day(GRAN_WEEK, d0);
	if (period_first_day(GRAN_WEEK, *from) + 3 < d0)
		(*from)++;
	*to = period_of_day(GRAN_WEEK, d1);
	if (period_first_day(GRAN_WEEK, *to) + 3 > d1)
		(*to)--;
}

/* The route of a role that gets the report: the one for the report's unit,
 * or for a report on every unit the one that covers every unit (as system
 * events), else the first. */
static const struct route_config *report_route(const struct role_config *r,
    const char *unit)
{
	if (!r || r->nroutes == 0)
		return NULL;
	if (unit)
		return config_route(r, unit);
	for (size_t i = 0; i < r->nroutes; i++)
		for (size_t k = 0; k < r->routes[i].nscope; k++)
			if (!strcmp(r->routes[i].scope[k], "**"))
				return &r->routes[i];
	return &r->routes[0];
}

static char *labels(const struct report_config *rc)
{
	static const char *const formats[] = { "html", "pdf", "json" };
	json_t *o = json_object();
	char *s;

	json_object_set_new(o, "format", json_string(formats[rc->format]));
	if (rc->unit)
		json_object_set_new(o, "unit", json_string(rc->unit));
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!s)
		xalloc_die();
	return s;
}

/* Records the event, the messages, the marker and the audit line; inside
 * the caller's transaction. Returns the number of messages, or -1. */
static int queue(struct cyc *c, int32_t from, int32_t to, const char *span)
{
	const struct report_config *rc = &c->cfg->report;
	char *lab = labels(rc), key[32], detail[512];
	struct event_in e = {
		.kind = "report", .period = to, .since = from, .value = NAN,
		.threshold = NAN, .title = span, .labels = lab, .decimals = -1,
	};
	int64_t ev = store_event_insert(c->st, &c->row, &e);
	int n = 0, len;

	free(lab);
	if (ev < 0)
		return -1;
	for (size_t i = 0; i < rc->nto; i++) {
		const struct route_config *r = report_route(config_role(c->cfg, rc->to[i]),
		    rc->unit);

		for (size_t k = 0; r && k < r->nemail; k++) {
			int64_t msg = store_message_new(c->st, &c->row, "email", r->email[k],
			    rc->to[i]);
			if (msg < 0 || store_message_add(c->st, msg, ev, false) < 0)
				return -1;
			n++;
		}
	}
	snprintf(key, sizeof(key), "%ld", (long)to);
	len = snprintf(detail, sizeof(detail), "%s by email to", rc->format == REPORT_PDF ?
	    "pdf" : rc->format == REPORT_JSON ? "json" : "html");
	for (size_t i = 0; i < rc->nto && len > 0 && (size_t)len < sizeof(detail); i++)
		len += snprintf(detail + len, sizeof(detail) - (size_t)len, "%s %s",
		    i ? "," : "", rc->to[i]);
	if (store_meta_set(c->st, META_KEY, key) != 0 ||
	    store_audit_add(c->st, "vigied", "daemon", "export", span, detail, c->now) != 0)
		return -1;
	return n;
}

int cycle_report_due(struct cyc *c)
{
	const struct report_config *rc = &c->cfg->report;
	int32_t from, to, latest;
	char *v = NULL, a[PERIOD_BUFSZ], b[PERIOD_BUFSZ], span[64];
	int r, n;

	if (rc->every == REPORT_NEVER)
		return 0;
	last_span(rc->every, c->cfg->period, c->now, &from, &to);
	if ((r = store_meta_get(c->st, META_KEY, &v)) < 0)
		return -1;
	if (r == 0 && atol(v) >= to) {
		free(v);
		return 0;	/* sent already */
	}
	free(v);
	latest = store_latest_period(c->st);
	if (latest < to)
		return 0;	/* the span's last period is not in yet */
	snprintf(span, sizeof(span), "report %s..%s", period_format(c->cfg->period, from, a),
	    period_format(c->cfg->period, to, b));
	if (store_begin(c->st) != 0)
		return -1;
	if ((n = queue(c, from, to, span)) < 0 || store_commit(c->st) != 0) {
		store_rollback(c->st);
		cycle_rolled_back(c);
		return -1;
	}
	if (n == 0)
		log_warnx("works council %s: no email address in the routes of report.to; "
		    "nothing sent", span);
	else
		log_info("works council %s queued for %d address%s", span, n, n > 1 ? "es" : "");
	return 0;
}
