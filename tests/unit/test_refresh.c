/* The Alertmanager refresh riding in a message's POST (refresh.c): an
 * active alert is added after the message's own notices unless one of them
 * already says it, the same alert still on at the same severity; in one
 * POST Alertmanager keeps the last word. The real Alertmanager is in
 * tests/integration/t_notify_alertmanager.sh and t_notify_am_current.sh. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../daemon/notify/notify_impl.h"

static struct notice notice(const char *kind, const char *rule, const char *unit,
    const char *severity)
{
	return (struct notice){ .kind = strdup(kind), .rule = rule ? strdup(rule) : NULL,
	    .unit = unit ? strdup(unit) : NULL, .severity = severity ? strdup(severity) : NULL };
}

/* A refresh of n active alerts, all for webhook 0. */
static struct refresh refresh_of(struct notice *v, size_t n)
{
	struct refresh rf = { .v = v, .n = n, .hooks = calloc(1, sizeof(*rf.hooks)) };

	rf.hooks[0].idx = calloc(n, sizeof(size_t));
	for (size_t i = 0; i < n; i++)
		rf.hooks[0].idx[i] = i;
	rf.hooks[0].n = n;
	rf.hooks[0].due = true;
	return rf;
}

static void merge(struct refresh *rf, struct notice **v, size_t *n)
{
	size_t own = *n;

	refresh_merge(rf, 0, v, n);
	cr_assert_geq(*n, own);
}

Test(refresh, an_alert_the_message_says_at_its_severity_is_not_sent_twice)
{
	struct notice *active = malloc(4 * sizeof(*active));
	struct notice *v = malloc(4 * sizeof(*v));
	struct refresh rf;
	size_t n = 4;

	active[0] = notice("firing", "conflicts", "acme/a", "critical");
	active[1] = notice("firing", "conflicts", "acme/b", "critical");	/* escalated since */
	active[2] = notice("firing", "burnout", "acme/a", "warning");
	active[3] = notice("stale", NULL, NULL, NULL);		/* vigie-stale-data */
	rf = refresh_of(active, 4);
	v[0] = notice("escalated", "conflicts", "acme/a", "critical");	/* says active[0] */
	v[1] = notice("firing", "conflicts", "acme/b", "warning");	/* older severity */
	v[2] = notice("resolved", "burnout", "acme/a", "warning");	/* ends, says nothing */
	v[3] = notice("stale", NULL, NULL, NULL);			/* says active[3] */
	merge(&rf, &v, &n);
	cr_assert_eq(n, 6);
	cr_assert_str_eq(v[4].unit, "acme/b");
	cr_assert_str_eq(v[4].severity, "critical");
	cr_assert_str_eq(v[5].rule, "burnout");
	notices_free(v, 4);	/* the appended ones are the refresh's */
	refresh_free(&rf, 1);
}

/* Order is the refresh's, and a message of thousands is looked up, not
 * scanned for each alert (the order of the lookup must not matter). */
Test(refresh, many_alerts_are_added_in_the_refresh_order)
{
	enum { N = 3000 };
	struct notice *active = malloc(N * sizeof(*active));
	struct notice *v = malloc(N * sizeof(*v));
	struct refresh rf;
	size_t n = N, k = 0;
	char unit[32];

	for (size_t i = 0; i < N; i++) {
		snprintf(unit, sizeof(unit), "acme/t%04zu", i);
		active[i] = notice("firing", "r", unit, "warning");
		/* the message says every other alert, in reverse order */
		snprintf(unit, sizeof(unit), "acme/t%04zu", N - 1 - i);
		v[i] = notice("firing", "r", unit, (N - 1 - i) % 2 ? "critical" : "warning");
	}
	rf = refresh_of(active, N);
	merge(&rf, &v, &n);
	cr_assert_eq(n, N + N / 2);
	for (size_t i = 1; i < N; i += 2, k++) {
		snprintf(unit, sizeof(unit), "acme/t%04zu", i);
		cr_assert_str_eq(v[N + k].unit, unit);
	}
	notices_free(v, N);
	refresh_free(&rf, 1);
}
