/* SPEC 1's recommended vocabulary, and the warning for an indicator that
 * nothing sends: a rule reading "short_absence" where the files carry
 * "short_absences" is undefined at every period, so it never fires and
 * nothing says why. Any name is allowed (SPEC 1), so this is a warning,
 * and a name an import has stored is known whatever it is. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/rules.h"
#include "vigie/xalloc.h"
#include "vigie/yaml.h"		/* closest_word */

static const char *const vocabulary[] = {
	"headcount", "workable_days", "absence_days", "absence_episodes",
	"short_absences", "departures", "resignations", "hours_worked",
	"overtime_hours", "work_accidents", "accident_days_lost", "conflicts",
	"grievances", "disciplinary_actions", "violence_incidents",
	"harassment_reports", "medical_visits_on_request",
	"social_worker_contacts",
};
#define NVOCABULARY (sizeof(vocabulary) / sizeof(vocabulary[0]))

/* What a French HR export calls them: the words, lower case and without
 * accents as indicator names are, most payroll and HR systems use. */
static const char *const french[][2] = {
	{ "effectif", "headcount" }, { "effectifs", "headcount" },
	{ "jours_ouvres", "workable_days" }, { "jours_theoriques", "workable_days" },
	{ "jours_absence", "absence_days" }, { "jours_d_absence", "absence_days" },
	{ "arrets", "absence_episodes" }, { "arrets_maladie", "absence_episodes" },
	{ "absences_courtes", "short_absences" }, { "arrets_courts", "short_absences" },
	{ "departs", "departures" }, { "sorties", "departures" },
	{ "demissions", "resignations" },
	{ "heures_travaillees", "hours_worked" },
	{ "heures_supplementaires", "overtime_hours" }, { "heures_sup", "overtime_hours" },
	{ "accidents_travail", "work_accidents" },
	{ "accidents_du_travail", "work_accidents" },
	{ "jours_perdus", "accident_days_lost" },
	{ "conflits", "conflicts" }, { "reclamations", "grievances" },
	{ "sanctions", "disciplinary_actions" },
	{ "violences", "violence_incidents" },
	{ "harcelement", "harassment_reports" },
	{ "signalements_harcelement", "harassment_reports" },
	{ "visites_medicales", "medical_visits_on_request" },
	{ "contacts_service_social", "social_worker_contacts" },
};

const char *vocabulary_french(const char *name)
{
	for (size_t i = 0; i < sizeof(french) / sizeof(french[0]); i++)
		if (!strcmp(french[i][0], name))
			return french[i][1];
	return NULL;
}

const char **vocabulary_known(char *const *stored, size_t nstored, size_t *n)
{
	const char **known = xcalloc(NVOCABULARY + nstored, sizeof(*known));

	memcpy(known, vocabulary, sizeof(vocabulary));
	for (size_t i = 0; i < nstored; i++)
		known[NVOCABULARY + i] = stored[i];
	*n = NVOCABULARY + nstored;
	return known;
}

static bool listed(const char *name, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], name))
			return true;
	return false;
}

bool vocabulary_check_name(const char *name, const char *const *known,
    size_t nknown, const char *file, int line, int col, struct diags *w)
{
	const char *near;
	char hint[140] = "";

	if (listed(name, known, nknown))
		return false;
	near = closest_word(name, known, nknown);
	if (near)
		snprintf(hint, sizeof(hint), " (did you mean \"%s\"?)", near);
	diags_add(w, file, line, col, "the indicator \"%s\" is neither in the "
	    "recommended vocabulary nor in the database: what reads it stays "
	    "undefined until an import stores it%s", name, hint);
	return true;
}

size_t ruleset_check_indicators(const struct ruleset *rs,
    char *const *stored, size_t nstored, struct diags *w)
{
	size_t nknown, said = 0;
	const char **known = vocabulary_known(stored, nstored, &nknown);

	for (size_t i = 0; i < rs->names.n; i++) {
		const struct name_use *u = rs->name_use ? &rs->name_use[i] : NULL;

		said += vocabulary_check_name(rs->names.v[i], known, nknown,
		    u && u->file < rs->nfiles ? rs->files[u->file] : "",
		    u ? u->line : 1, u ? u->col : 1, w);
	}
	free(known);
	return said;
}

bool rule_needs(const struct rule *r, int32_t name)
{
	return expr_needs(r->value, name) || expr_needs(r->when, name);
}

size_t ruleset_check_unimported(const struct ruleset *rs,
    char *const *stored, size_t nstored, struct diags *w)
{
	bool *absent;
	size_t said = 0;

	if (!nstored)
		return 0;
	absent = xcalloc(rs->names.n + 1, sizeof(*absent));
	for (size_t i = 0; i < rs->names.n; i++)
		absent[i] = listed(rs->names.v[i], vocabulary, NVOCABULARY) &&
		    !listed(rs->names.v[i], (const char *const *)stored, nstored);
	for (size_t k = 0; k < rs->n; k++) {
		const struct rule *r = &rs->rules[k];
		char list[512];
		size_t len = 0, n = 0, last = 0;

		list[0] = '\0';
		for (size_t i = 0; r->enabled && i < rs->names.n; i++)
			if (absent[i] && rule_needs(r, (int32_t)i))
				n++, last = i;
		/* "a, b and c" */
		for (size_t i = 0, j = 0; n && i < rs->names.n; i++)
			if (absent[i] && rule_needs(r, (int32_t)i))
				buf_addf(list, sizeof(list), &len, "%s%s", j++ == 0 ? "" :
				    i == last ? " and " : ", ", rs->names.v[i]);
		if (!n)
			continue;
		diags_add(w, r->file, r->line, r->col, "rule \"%s\" reads %s, which no "
		    "import has brought: it is undefined everywhere and never fires "
		    "(import the column%s, or disable the rule)", r->id, list,
		    n == 1 ? "" : "s");
		said++;
	}
	free(absent);
	return said;
}
