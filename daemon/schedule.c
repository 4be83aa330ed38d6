/* The scheduled works council reports (SPEC 15; `report: {every, to}` in
 * the configuration, or a list of them, one a unit), a phase of the cycle
 * (cycle_impl.h). For each, once the last calendar quarter (or year) is
 * over and the database holds data up to its last period, one transaction
 * records a "report" event for its span, one outbox message per address
 * of the roles in `to`, the span as sent (meta report_last_to for the
 * report on every unit, report_last_to:UNIT for a unit's: two reports of
 * one span never take each other's marker) and the export in the audit
 * log: a crash sends nothing or everything, a restart or the next cycle
 * sends nothing more, and the outbox retries each message until it goes.
 * The message records only the span, the unit and the format; vigied
 * renders the report when it sends it (the report room, through
 * mail_set_report_renderer), so the outbox never holds figures. */
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

#define META_KEY "report_last_to"	/* and ":UNIT" for a unit's */

/* The last complete calendar quarter (or year) before `now` (UTC), as
 * periods of granularity g: months, or the ISO weeks whose Thursday falls
 * in it (the ISO rule of which month a week belongs to). */
static void last_span(enum report_every every, enum granularity g, time_t now,
    int32_t *from, int32_t *to)
{
	struct tm tm;
	int32_t m0, m1;		/* first and last month, as month periods */

	gmtime_r(&now, &tm);
	if (every == REPORT_YEAR) {
		m0 = (tm.tm_year + 1900 - 1) * 12;
		m1 = m0 + 11;
	} else {
		m1 = (tm.tm_year + 1900) * 12 + tm.tm_mon / 3 * 3 - 1;
		m0 = m1 - 2;
	}
	period_months_span(g, m0, m1, from, to);
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

static char *labels(const struct report_schedule *rc)
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

/* The key of the report's marker (the last period of the span it sent).
 * Caller frees. */
static char *marker_key(const struct report_schedule *rc)
{
	return rc->unit ? xasprintf("%s:%s", META_KEY, rc->unit) : xstrdup(META_KEY);
}

/* Records the event, the messages, the marker and the audit line; inside
 * the caller's transaction. Returns the number of messages, or -1. */
static int queue(struct cyc *c, const struct report_schedule *rc, int32_t from,
    int32_t to, const char *span)
{
	char *lab = labels(rc), *mk, key[32], detail[512];
	struct event_in e = {
		.kind = "report", .period = to, .since = from, .value = NAN,
		.threshold = NAN, .title = span, .labels = lab, .decimals = -1,
	};
	int64_t ev = store_event_insert(c->st, &c->row, &e);
	int n = 0, len, rc_meta;

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
	len = snprintf(detail, sizeof(detail), "%s%s%s by email to", rc->format == REPORT_PDF ?
	    "pdf" : rc->format == REPORT_JSON ? "json" : "html", rc->unit ? " of unit " : "",
	    rc->unit ? rc->unit : "");
	for (size_t i = 0; i < rc->nto && len > 0 && (size_t)len < sizeof(detail); i++)
		len += snprintf(detail + len, sizeof(detail) - (size_t)len, "%s %s",
		    i ? "," : "", rc->to[i]);
	mk = marker_key(rc);
	rc_meta = store_meta_set(c->st, mk, key);
	free(mk);
	if (rc_meta != 0 ||
	    store_audit_add(c->st, "vigied", "daemon", "export", span, detail, c->now) != 0)
		return -1;
	return n;
}

/* The last period of the span the report sent, or INT32_MIN for none;
 * -1 on a database error. A database of the days of one report keeps
 * its marker under META_KEY whatever its unit: while the configuration
 * schedules one report, that marker is its own, and is copied under the
 * unit's key, so that a list written later does not send it again. */
static int sent_to(struct cyc *c, const struct report_schedule *rc, int32_t *last)
{
	char *mk = marker_key(rc), *v = NULL;
	int r = store_meta_get(c->st, mk, &v);

	if (r == 1 && rc->unit && c->cfg->report.nsched == 1) {
		r = store_meta_get(c->st, META_KEY, &v);
		if (r == 0 && store_meta_set(c->st, mk, v) != 0)
			r = -1;
	}
	free(mk);
	*last = r == 0 ? (int32_t)atol(v) : INT32_MIN;
	free(v);
	return r < 0 ? -1 : 0;
}

static int due(struct cyc *c, const struct report_schedule *rc, int32_t latest)
{
	int32_t from, to, last;
	char a[PERIOD_BUFSZ], b[PERIOD_BUFSZ], span[64];
	int n;

	last_span(rc->every, c->cfg->period, c->now, &from, &to);
	if (sent_to(c, rc, &last) != 0)
		return -1;
	if (last != INT32_MIN && last >= to)
		return 0;	/* sent already */
	if (latest < to)
		return 0;	/* the span's last period is not in yet */
	snprintf(span, sizeof(span), "report %s..%s", period_format(c->cfg->period, from, a),
	    period_format(c->cfg->period, to, b));
	if (store_begin(c->st) != 0)
		return -1;
	if ((n = queue(c, rc, from, to, span)) < 0 || store_commit(c->st) != 0) {
		store_rollback(c->st);
		cycle_rolled_back(c);
		return -1;
	}
	if (n == 0)
		log_warnx("works council %s%s%s: no email address in the routes of report.to; "
		    "nothing sent", span, rc->unit ? " of " : "", rc->unit ? rc->unit : "");
	else
		log_info("works council %s%s%s queued for %d address%s", span,
		    rc->unit ? " of " : "", rc->unit ? rc->unit : "", n, n > 1 ? "es" : "");
	return 0;
}

int cycle_report_due(struct cyc *c)
{
	const struct report_config *rc = &c->cfg->report;
	int32_t latest;
	int rv = 0;

	if (rc->nsched == 0)
		return 0;
	latest = store_latest_period(c->st);
	/* Each on its own: one that cannot be queued does not keep the
	 * others from going. */
	for (size_t i = 0; i < rc->nsched; i++)
		if (due(c, &rc->sched[i], latest) != 0)
			rv = -1;
	return rv;
}
