/* Alertmanager's /api/v2/alerts (daemon/notify/webhook_impl.h): an array of
 * alerts identified by their labels. The alert name is the rule (or
 * wh_system_name's for the daemon's own events), with the unit, the
 * severity, source="vigie", the configured instance (so that two
 * installations never merge) and the rule's labels; an inbox file's alert
 * has a label file, its name. The console's page of the alert is its
 * generatorURL (Alertmanager's "Source") and its annotation url.
 * An active alert ends am_ttl_s from now unless sent again, which refresh.c
 * does at every cycle; an alert that ended in Vigie ends now. Minimal
 * detail keeps the labels, the title and the period, and drops the value,
 * the summary and the guidance. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "webhook_impl.h"
#include "vigie/text.h"
#include "vigie/wording.h"
#include "vigie/xalloc.h"

/* Alertmanager refuses label names outside [a-zA-Z_][a-zA-Z0-9_]*. */
static char *label_name(const char *k)
{
	char *s = xstrdup(k);

	for (char *p = s; *p; p++)
		if (!(isalnum((unsigned char)*p) || *p == '_') || (p == s && isdigit((unsigned char)*p)))
			*p = '_';
	return s;
}

static json_t *am_alert(const struct webhook_render *r, const struct notice *x,
    const char *severity, time_t ends_at)
{
	json_t *labels = json_object(), *ann = json_object(), *rl = wh_labels(x), *a, *val;
	bool full = r->detail == DETAIL_FULL;
	const char *k, *name;
	char ts[32], *link;

	/* System events get names of their own; "fresh" resolves "stale". */
	name = x->rule ? x->rule : wh_system_name(x);
	json_object_foreach(rl, k, val) {
		char *ln;

		if (!json_is_string(val))
			continue;
		ln = label_name(k);
		json_object_set(labels, ln, val);
		free(ln);
	}
	json_decref(rl);
	json_object_set_new(labels, "alertname", json_string(name));
	if (x->unit)
		json_object_set_new(labels, "unit", wh_str(x->unit));
	/* Two rejected files are two alerts, not one the second replaces. */
	if (!x->rule && x->file)
		json_object_set_new(labels, "file", wh_str(x->file));
	if (x->rule && severity)
		json_object_set_new(labels, "severity", wh_str(severity));
	json_object_set_new(labels, "source", json_string("vigie"));
	if (r->instance)
		json_object_set_new(labels, "instance", wh_str(r->instance));
	if (full && wording_summary(x))
		json_object_set_new(ann, "summary", wh_str(wording_summary(x)));
	if (full && x->guidance)
		json_object_set_new(ann, "guidance", wh_str(x->guidance));
	if (x->title)
		json_object_set_new(ann, "title", wh_str(x->title));
	if (x->period)
		json_object_set_new(ann, "period", wh_str(x->period));
	if (full && x->rule) {
		char vb[64];

		if (x->has_value)
			format_number(vb, sizeof(vb), x->value, x->decimals < 0 ? 1 : x->decimals, LOC_EN);
		json_object_set_new(ann, "value", json_string(x->has_value ? vb :
		    x->absent ? "missing" : "hidden"));
		/* What a reader compares (SPEC 16), beside the rule's value. */
		if (x->has_value && x->has_observed) {
			format_number(vb, sizeof(vb), x->observed, 1, LOC_EN);
			json_object_set_new(ann, "observed", json_string(vb));
		}
		if (x->has_value && x->has_expected) {
			format_number(vb, sizeof(vb), x->expected, 1, LOC_EN);
			json_object_set_new(ann, "expected", json_string(vb));
		}
	}
	link = wh_link(r, x);
	if (link)
		json_object_set_new(ann, "url", json_string(link));
	a = json_pack("{s:o, s:o}", "labels", labels, "annotations", ann);
	/* Alertmanager's "Source" link, as Prometheus fills it. */
	if (link)
		json_object_set_new(a, "generatorURL", json_string(link));
	free(link);
	if (x->at > 0 && x->at <= r->now)
		json_object_set_new(a, "startsAt", json_string(text_iso8601(x->at, ts)));
	json_object_set_new(a, "endsAt", json_string(text_iso8601(ends_at, ts)));
	return a;
}

void wh_am_add(const struct webhook_render *r, const struct notice *x, bool *first, FILE *f)
{
	time_t now = r->now, until = now + (r->am_ttl_s > 0 ? r->am_ttl_s : 3 * 3600);

	if (!wh_resolved(x)) {
		/* The severity is a label, so a changed severity is another
		 * Alertmanager alert: end the previous one. */
		if (x->rule && x->prev_severity && x->severity &&
		    strcmp(x->prev_severity, x->severity))
			wh_put(am_alert(r, x, x->prev_severity, now), first, f);
		/* A test shows for five minutes, then ends. */
		wh_put(am_alert(r, x, x->severity, !strcmp(x->kind, "test") ? now + 300 : until),
		    first, f);
		return;
	}
	/* Resolved: end whichever severity was sent last. */
	if (x->prev_severity)
		wh_put(am_alert(r, x, x->prev_severity, now), first, f);
	if (!x->prev_severity || (x->severity && strcmp(x->severity, x->prev_severity)))
		wh_put(am_alert(r, x, x->severity, now), first, f);
}
