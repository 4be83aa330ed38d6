/* What an evaluation leaves for `vigie status` (daemon/cycle_impl.h): the
 * rules that cannot judge some unit at the latest period, for want of
 * history (rules/history.c, the meta "history") or because what they read
 * there is hidden (rules/hidden.c, the meta "hidden"), each as JSON with
 * the line status prints, and the rules that cannot judge anywhere because
 * an indicator they need was never imported (the meta "unimported"). A
 * silence of the rules there says nothing. */
#include <jansson.h>
#include "cycle_impl.h"
#include "vigie/hidden.h"
#include "vigie/history.h"
#include "vigie/rules.h"
#include "vigie/xalloc.h"

static char *dump(json_t *o)
{
	char *out = json_dumps(o, JSON_PRESERVE_ORDER | JSON_COMPACT);

	if (!out)
		xalloc_die();
	json_decref(o);
	return out;
}

char *cycle_history_meta(const struct cyc *c, const struct series *s,
    const uint8_t *m, char *say, size_t size)
{
	struct history_short h;
	json_t *o = json_object(), *a = json_array();
	char pb[PERIOD_BUFSZ];

	history_short_find(c->rs, s, m, NULL, NULL, c->cfg->retention.data, &h);
	history_short_say(&h, s, c->cfg->retention.data, say, size);
	for (size_t i = 0; i < h.n; i++) {
		json_t *x = json_object();

		json_object_set_new(x, "rule", json_string(c->rs->rules[h.rule[i]].id));
		json_object_set_new(x, "units", json_integer((json_int_t)h.at[i]));
		json_object_set_new(x, "by", h.ready[i] == HISTORY_NEVER ? json_null() :
		    json_string(period_format(s->gran, h.ready[i], pb)));
		json_object_set_new(x, "reads", json_integer(rule_periods(
		    &c->rs->rules[h.rule[i]], s->gran)));
		json_array_append_new(a, x);
	}
	json_object_set_new(o, "rules", json_integer((json_int_t)h.rules));
	json_object_set_new(o, "units", json_integer((json_int_t)h.units));
	json_object_set_new(o, "lacking_units", json_integer((json_int_t)h.nunit));
	/* The line's total, added after the others: as hidden's units. */
	json_object_set_new(o, "applying_units", json_integer((json_int_t)h.applying));
	json_object_set_new(o, "text", json_string(say));
	json_object_set_new(o, "lacking", a);
	history_short_free(&h);
	return dump(o);
}

char *cycle_hidden_meta(const struct cyc *c, const struct series *s,
    const uint8_t *m)
{
	struct hidden_count h;
	json_t *o = json_object(), *a = json_array();
	char say[512];

	hidden_count_find(c->rs, s, m, NULL, NULL, &h);
	hidden_count_say(&h, c->rs, say, sizeof(say));
	for (size_t i = 0; i < h.n; i++) {
		json_t *x = json_object();

		json_object_set_new(x, "rule", json_string(c->rs->rules[h.rule[i]].id));
		json_object_set_new(x, "units", json_integer((json_int_t)h.at[i]));
		json_object_set_new(x, "of", json_integer((json_int_t)h.of[i]));
		json_array_append_new(a, x);
	}
	json_object_set_new(o, "units", json_integer((json_int_t)h.units));
	json_object_set_new(o, "hidden_units", json_integer((json_int_t)h.nunit));
	json_object_set_new(o, "text", json_string(say));
	json_object_set_new(o, "rules", a);
	hidden_count_free(&h);
	return dump(o);
}

char *cycle_unimported_meta(const struct cyc *c, const struct series *s)
{
	const struct ruleset *rs = c->rs;
	json_t *a = json_array();

	/* No import yet: every rule would be said, and nothing is wrong. */
	for (size_t i = 0; s->nind && i < rs->names.n; i++) {
		json_t *r = NULL;

		if (series_indicator(s, rs->names.v[i]) >= 0)
			continue;
		for (size_t k = 0; k < rs->n; k++) {
			if (!rs->rules[k].enabled || !rule_needs(&rs->rules[k], (int32_t)i))
				continue;
			if (!r)
				r = json_array();
			json_array_append_new(r, json_string(rs->rules[k].id));
		}
		if (r) {
			json_t *x = json_object();

			json_object_set_new(x, "indicator", json_string(rs->names.v[i]));
			json_object_set_new(x, "rules", r);
			json_array_append_new(a, x);
		}
	}
	return dump(a);
}
