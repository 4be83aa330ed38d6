/* Inhibition between rules (include/vigie/rules.h, inhibited_by): the
 * rule-set checks that `vigie check` and a reload make once every file is
 * read (an id that names no rule, its own rule, or a cycle), and the one
 * predicate the daemon, delivery and the console ask: which of a rule's
 * inhibitors have an active alert on a unit. Whether an alert is active is
 * the caller's to say (the evaluation's rows, or the store): this file
 * reads nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include "vigie/rules.h"
#include "vigie/xalloc.h"
#include "vigie/yaml.h"

bool rule_inhibited_by(const struct rule *r, const char *by)
{
	for (size_t i = 0; i < r->ninhibited_by; i++)
		if (!strcmp(r->inhibited_by[i], by))
			return true;
	return false;
}

size_t rule_inhibitors(const struct ruleset *rs, const struct rule *r,
    const char *unit, rule_active_fn *active, void *arg, const struct rule **out)
{
	size_t k = 0;

	for (size_t i = 0; i < r->ninhibited_by; i++) {
		const struct rule *by = ruleset_find(rs, r->inhibited_by[i]);

		if (by && by->enabled && active(by->id, unit, arg))
			out[k++] = by;
	}
	return k;
}

static ssize_t index_of(const struct ruleset *rs, const char *id)
{
	for (size_t i = 0; i < rs->n; i++)
		if (!strcmp(rs->rules[i].id, id))
			return (ssize_t)i;
	return -1;
}

/* Depth-first walk of "inhibited by" from rule i; state: 0 unseen, 1 on
 * the path, 2 done. path[0..depth) the rules walked to i. Reports each
 * edge that leads back onto the path, once, at that edge's id. */
static size_t walk(const struct ruleset *rs, size_t i, unsigned char *state,
    size_t *path, size_t depth, struct diags *d)
{
	const struct rule *r = &rs->rules[i];
	size_t errs = 0;

	state[i] = 1;
	path[depth++] = i;
	for (size_t k = 0; k < r->ninhibited_by; k++) {
		ssize_t j = index_of(rs, r->inhibited_by[k]);

		if (j < 0 || (size_t)j == i)
			continue;	/* said by ruleset_check_inhibit */
		if (state[j] == 0) {
			errs += walk(rs, (size_t)j, state, path, depth, d);
		} else if (state[j] == 1) {
			char *buf = NULL;
			size_t len = 0, from = 0;
			FILE *f = open_memstream(&buf, &len);

			if (!f)
				xalloc_die();
			while (path[from] != (size_t)j)
				from++;
			/* i by j, which is by the rules walked from j to i */
			fprintf(f, "\"%s\" is inhibited by \"%s\"", r->id, rs->rules[j].id);
			for (size_t p = from + 1; p < depth; p++)
				fprintf(f, ", which is inhibited by \"%s\"",
				    rs->rules[path[p]].id);
			if (fclose(f) != 0)
				xalloc_die();
			diags_add(d, r->file, r->inhibited_by_at[k].line,
			    r->inhibited_by_at[k].col, "a cycle of inhibitions: %s; "
			    "each would hold the other's notifications while both "
			    "are active (remove one of these inhibitions)", buf);
			free(buf);
			errs++;
		}
	}
	state[i] = 2;
	return errs;
}

size_t ruleset_check_inhibit(const struct ruleset *rs, struct diags *d)
{
	const char **ids = xcalloc(rs->n ? rs->n : 1, sizeof(*ids));
	unsigned char *state = xcalloc(rs->n ? rs->n : 1, 1);
	size_t *path = xcalloc(rs->n ? rs->n : 1, sizeof(*path));
	size_t errs = 0;

	for (size_t i = 0; i < rs->n; i++)
		ids[i] = rs->rules[i].id;
	for (size_t i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->rules[i];

		for (size_t k = 0; k < r->ninhibited_by; k++) {
			const char *id = r->inhibited_by[k];
			const char *hint;

			if (!strcmp(id, r->id)) {
				diags_add(d, r->file, r->inhibited_by_at[k].line,
				    r->inhibited_by_at[k].col, "rule \"%s\" cannot be "
				    "inhibited by itself: its notifications would never "
				    "be sent", id);
				errs++;
			} else if (index_of(rs, id) < 0) {
				hint = closest_word(id, ids, rs->n);
				if (hint && !strcmp(hint, r->id))
					hint = NULL;	/* itself: said apart */
				diags_add(d, r->file, r->inhibited_by_at[k].line,
				    r->inhibited_by_at[k].col, "rule \"%s\" is inhibited "
				    "by \"%s\", which is no rule of the rule set%s%s%s",
				    r->id, id, hint ? " (did you mean \"" : "",
				    hint ? hint : "", hint ? "\"?)" : "");
				errs++;
			} else {
				for (size_t m = 0; m < k; m++)
					if (!strcmp(r->inhibited_by[m], id)) {
						diags_add(d, r->file, r->inhibited_by_at[k].line,
						    r->inhibited_by_at[k].col, "\"%s\" is "
						    "already in \"inhibited_by\"", id);
						errs++;
						break;
					}
			}
		}
	}
	for (size_t i = 0; i < rs->n; i++)
		if (state[i] == 0)
			errs += walk(rs, i, state, path, 0, d);
	free(path);
	free(state);
	free(ids);
	return errs;
}
