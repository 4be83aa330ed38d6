/* What an Alertmanager message already says (refresh.c): the refresh
 * riding in its POST adds an active alert unless one of the message's
 * notices says it, the same alert still on at the same severity, or the
 * same system event; in one POST Alertmanager keeps the last word. The
 * real Alertmanager is in tests/integration/t_notify_alertmanager.sh and
 * t_notify_am_current.sh. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../daemon/notify/notify_impl.h"

static struct notice notice(const char *kind, const char *rule, const char *unit,
    const char *severity)
{
	return (struct notice){ .kind = (char *)kind, .rule = (char *)rule,
	    .unit = (char *)unit, .severity = (char *)severity };
}

static bool has(struct said *s, const char *kind, const char *rule, const char *unit,
    const char *severity)
{
	struct notice x = notice(kind, rule, unit, severity);

	return said_has(s, &x);
}

static void add(struct said *s, const char *kind, const char *rule, const char *unit,
    const char *severity)
{
	struct notice x = notice(kind, rule, unit, severity);

	said_add(s, &x);
}

Test(refresh, an_alert_the_message_says_at_its_severity_is_said)
{
	struct said s = { 0 };
	struct notice m[] = {
		notice("escalated", "conflicts", "acme/a", "critical"),
		notice("firing", "conflicts", "acme/b", "warning"),
		notice("resolved", "burnout", "acme/a", "warning"),	/* says nothing on */
		notice("stale", NULL, NULL, NULL),			/* vigie-stale-data */
		notice("firing", "r", NULL, "warning"),			/* no unit: nothing */
	};

	cr_assert_not(has(&s, "firing", "conflicts", "acme/a", "critical"));	/* none yet */
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		said_add(&s, &m[i]);
	cr_assert(has(&s, "firing", "conflicts", "acme/a", "critical"));
	/* escalated since the message: the refresh has the last word */
	cr_assert_not(has(&s, "firing", "conflicts", "acme/b", "critical"));
	cr_assert_not(has(&s, "firing", "burnout", "acme/a", "warning"));
	cr_assert(has(&s, "stale", NULL, NULL, NULL));
	cr_assert_not(has(&s, "firing", "r", NULL, "warning"));
	cr_assert_not(has(&s, "firing", "conflicts", "acme", "critical"));
	said_free(&s);
}

/* A message of thousands is looked up, and adding after a lookup is seen. */
Test(refresh, many_notices_said_in_any_order)
{
	enum { N = 3000 };
	struct said s = { 0 };
	char unit[32];

	for (size_t i = 0; i < N; i++) {
		size_t j = N - 1 - i;

		snprintf(unit, sizeof(unit), "acme/t%04zu", j);
		add(&s, "firing", "r", unit, j % 2 ? "critical" : "warning");
	}
	for (size_t i = 0; i < N; i++) {
		snprintf(unit, sizeof(unit), "acme/t%04zu", i);
		cr_assert_eq(has(&s, "firing", "r", unit, "warning"),
		    i % 2 == 0, "%s", unit);
	}
	add(&s, "firing", "r", "acme/t0001", "warning");
	cr_assert(has(&s, "firing", "r", "acme/t0001", "warning"));
	said_free(&s);
}
