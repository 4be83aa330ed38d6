/* The words of notifications (include/vigie/wording.h), French or English,
 * shared by the mail and webhook renderers and the console: what each
 * severity and event is called, the order of a digest, its subject line,
 * what is said beside an alert's figures, and the texts of the system
 * events (missing data, a rejected file, a test message). */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/typo.h"
#include "vigie/wording.h"
#include "vigie/xalloc.h"

static int sev_rank(const char *sev)
{
	if (sev && !strcmp(sev, "critical"))
		return 2;
	if (sev && !strcmp(sev, "warning"))
		return 1;
	return 0;
}

/* The severity a notice stands for: none once resolved. */
int wording_rank(const struct notice *v)
{
	if (!strcmp(v->kind, "resolved") || !strcmp(v->kind, "fresh"))
		return 0;
	if (!v->rule)
		return !strcmp(v->kind, "test") ? 0 : 1;
	return sev_rank(v->severity);
}

const char *wording_severity(const char *sev, enum locale loc)
{
	int r = sev_rank(sev);

	if (loc == LOC_EN)
		return r == 2 ? "critical" : r == 1 ? "warning" : "-";
	return r == 2 ? "critique" : r == 1 ? "vigilance" : "-";
}

const char *wording_summary(const struct notice *x)
{
	return x->rule && (!x->has_value || x->hidden) ? NULL : x->summary;
}

const char *wording_gap(bool nodata, bool hidden, bool beside_value, enum locale loc)
{
	if (nodata)
		return WORD(loc, "pas de données", "no data");
	if (hidden)
		return WORD(loc, "masquée", "hidden");
	return beside_value ? WORD(loc, "masquée ou non calculée", "hidden or not computed") :
	    WORD(loc, "non calculée", "not computed");
}

const char *wording_outcome(enum outcome o, enum locale loc)
{
	switch (o) {
	case OUTCOME_ACTION_TAKEN: return WORD(loc, "action menée", "action taken");
	case OUTCOME_FALSE_ALARM: return WORD(loc, "fausse alerte", "false alarm");
	case OUTCOME_NO_ACTION_NEEDED: return WORD(loc, "aucune action nécessaire",
	    "no action needed");
	default: return "-";
	}
}

const char *wording_held_label(enum locale loc)
{
	return loc == LOC_EN ? "Still active" : "Alerte maintenue";
}

char *wording_held(enum locale loc, const char *sev, bool below, bool score,
    const char *value, const char *threshold, const char *clear)
{
	const char *s = wording_severity(sev, loc);

	if (score)
		return xasprintf(loc == LOC_EN ? "the gap between observed and expected, "
		    "weighed against the unit's usual ups and downs, no longer reaches the "
		    "%s level, but is not yet back to normal; the alert ends when it "
		    "is (clear level)" : "l'écart entre l'observé et l'attendu, rapporté aux "
		    "variations habituelles de l'unité, n'atteint plus le niveau d'une alerte "
		    "de %s sans être redevenu ordinaire" TYPO_NNBSP "; l'alerte prend fin "
		    "quand il le sera (seuil de fin)", s);
	if (below)
		return xasprintf(loc == LOC_EN ? "the rule's value (%s) is no longer below "
		    "the %s threshold (%s); the alert ends when it rises to %s or more "
		    "(clear level)" : "la valeur de la règle (%s) n'est plus sous le seuil "
		    "de %s (%s)" TYPO_NNBSP "; l'alerte prend fin quand elle remonte à %s ou "
		    "plus (seuil de fin)", value, s, threshold, clear);
	return xasprintf(loc == LOC_EN ? "the rule's value (%s) no longer reaches the %s "
	    "threshold (%s); the alert ends when it falls to %s or less (clear level)" :
	    "la valeur de la règle (%s) n'atteint plus le seuil de %s (%s)" TYPO_NNBSP
	    "; l'alerte prend fin quand elle redescend à %s ou moins (seuil de fin)",
	    value, s, threshold, clear);
}

bool wording_moved_first(bool resolved, size_t nmoved, double observed, double expected)
{
	return !resolved && nmoved && !isnan(observed) && !isnan(expected) &&
	    !(observed > expected);
}

const char *wording_resolved_values(bool score, enum locale loc)
{
	return score ? WORD(loc, "valeurs à la résolution", "when it resolved") :
	    WORD(loc, "valeur qui l'a résolue", "the value that resolved it");
}

const char *wording_figures_note(bool resolved, size_t nmoved, double observed,
    double expected, enum locale loc)
{
	if (isnan(observed) || isnan(expected))
		return NULL;
	/* The first months of a lasting rise now in the unit's own
	 * reference, say: "24 against 2,8: resolved" reads as the end of
	 * the situation. A smaller gap is ordinary by itself. */
	if (resolved)
		return observed > 2 * expected ? WORD(loc, "la règle met fin à l'alerte, "
		    "mais l'observé reste plus de deux fois l'attendu" TYPO_NNBSP ": si la "
		    "hausse dure, elle reste à suivre", "the rule ends the alert, but the "
		    "observed is still more than twice the expected: if the rise lasts, "
		    "keep following it") : NULL;
	/* An alert titled after what it observed, that observed at or below
	 * normal: fired by the other indicators it combines, not by this. */
	if (wording_moved_first(resolved, nmoved, observed, expected))
		return WORD(loc, "pas au-dessus de l'attendu" TYPO_NNBSP ": l'alerte vient "
		    "des indicateurs qui ont bougé", "not above the expected: the alert "
		    "comes from the indicators that moved");
	return NULL;
}

const char *wording_event(const char *kind, enum locale loc)
{
	static const char *const w[][3] = {
		{ "firing", "nouvelle alerte", "new alert" },
		{ "escalated", "aggravation", "escalated" },
		{ "deescalated", "amélioration", "improved" },
		{ "resolved", "résolue", "resolved" },
		{ "reminder", "rappel", "reminder" },
		{ "stale", "données manquantes", "missing data" },
		{ "fresh", "données de retour", "data is back" },
		{ "rejected", "fichier rejeté", "file rejected" },
		{ "warned", "fichier à vérifier", "file to check" },
		{ "test", "message de test", "test message" },
	};

	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		if (!strcmp(kind, w[i][0]))
			return w[i][loc == LOC_EN ? 2 : 1];
	return kind;
}

/* Display order: units by their most severe notice, then name; inside a
 * unit, most severe first, then rule. */
static int cmp_order(const void *a, const void *b)
{
	const struct notice_order *x = a, *y = b;
	const char *ux = x->v->unit ? x->v->unit : "", *uy = y->v->unit ? y->v->unit : "";
	int c;

	if (x->unit_rank != y->unit_rank)
		return y->unit_rank - x->unit_rank;
	if ((c = strcmp(ux, uy)) != 0)
		return c;
	return wording_cmp_in_unit(x->v, y->v);
}

int wording_cmp_in_unit(const struct notice *a, const struct notice *b)
{
	int c;

	if (wording_rank(a) != wording_rank(b))
		return wording_rank(b) - wording_rank(a);
	c = strcmp(a->rule ? a->rule : "", b->rule ? b->rule : "");
	if (c)
		return c;
	return a < b ? -1 : a > b;
}

struct notice_order *wording_order(const struct notice *v, size_t n)
{
	struct notice_order *o = xcalloc(n, sizeof(*o));

	for (size_t i = 0; i < n; i++) {
		o[i].v = &v[i];
		for (size_t j = 0; j < n; j++) {
			const char *a = v[i].unit ? v[i].unit : "", *b = v[j].unit ? v[j].unit : "";

			if (!strcmp(a, b) && wording_rank(&v[j]) > o[i].unit_rank)
				o[i].unit_rank = wording_rank(&v[j]);
		}
	}
	qsort(o, n, sizeof(*o), cmp_order);
	return o;
}

static char *subject_of(const struct notice *v, size_t n, enum locale loc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct notice_order *o;
	int top = 0;

	if (!f)
		xalloc_die();
	fputs("[Vigie] ", f);
	if (n == 0) {
		fputs(WORD(loc, "aucune alerte", "no alert"), f);
		if (fclose(f) != 0)
			xalloc_die();
		return buf;
	}
	o = wording_order(v, n);
	if (n == 1 && !strcmp(v[0].kind, "test")) {
		fprintf(f, "TEST — %s", v[0].title ? v[0].title : "");
	} else if (n == 1) {
		const struct notice *x = &v[0];
		/* Good news is said as such, not as a severity; a worse alert
		 * as worse, with its severity: « critique » alone reads as a
		 * new alert, of one its readers already have. */
		bool worse = x->rule && !strcmp(x->kind, "escalated");
		const char *what = (!strcmp(x->kind, "resolved") ||
		    !strcmp(x->kind, "deescalated") || !x->rule || worse)
		    ? wording_event(x->kind, loc) : wording_severity(x->severity, loc);

		/* A system event's title says what it is (« Fichier rejeté :
		 * bad.csv »): not twice. */
		if (!x->rule && x->title)
			fputs(x->title, f);
		else {
			fputs(what, f);
			if (worse)
				fprintf(f, " (%s)", wording_severity(x->severity, loc));
			fprintf(f, "%s %s", WORD(loc, " :", ":"), x->title ? x->title : x->kind);
		}
		if (x->unit)
			fprintf(f, " — %s", x->unit);
	} else {
		size_t shown = 0;
		bool more = false;

		size_t resolved = 0, good = 0;
		int changes[DG_NCHANGES] = { 0 };

		for (size_t i = 0; i < n; i++) {
			enum digest_change c = digest_change_of(&v[i]);

			if (wording_rank(&v[i]) > top)
				top = wording_rank(&v[i]);
			resolved += c == DG_RESOLVED;
			good += c == DG_RESOLVED || c == DG_BETTER;
			changes[c]++;
		}
		/* Good news only: said as that, not as a count of anything,
		 * nor under a severity that would read as a warning. */
		if (good == n && resolved < n) {
			char *line = digest_changes_line(changes, loc);

			fputs(line, f);
			free(line);
			top = 0;
		} else {
			/* Only alerts already active, first sent here (a route
			 * newly gives them to this address): not news. */
			fprintf(f, "%zu %s", n, resolved == n ? WORD(loc, "alertes résolues",
			    "alerts resolved") : changes[DG_SINCE] + changes[DG_HELD] == (int)n ? WORD(loc,
			    "alertes déjà en cours", "existing alerts") :
			    WORD(loc, "notifications", "notifications"));
		}
		if (top)
			fprintf(f, "%s %s", WORD(loc, " :", ":"),
			    wording_severity(top == 2 ? "critical" : "warning", loc));
		/* The distinct units, most severe first, at most three. */
		for (size_t i = 0; i < n; i++) {
			bool seen = false;

			if (!o[i].v->unit)
				continue;
			for (size_t j = 0; j < i; j++)
				if (o[j].v->unit && !strcmp(o[j].v->unit, o[i].v->unit))
					seen = true;
			if (seen)
				continue;
			if (shown == 3) {
				more = true;
				break;
			}
			fprintf(f, "%s%s", shown ? ", " : " — ", o[i].v->unit);
			shown++;
		}
		if (more)
			fputs(", …", f);
	}
	free(o);
	if (fclose(f) != 0)
		xalloc_die();
	/* French typography, as in the digest it heads (typo.h). */
	if (loc != LOC_EN) {
		char *t = typo_prose(buf, loc);

		free(buf);
		buf = t;
	}
	return buf;
}

char *wording_subject(const struct notice *v, size_t n, enum locale loc)
{
	/* A context notice is not news, nor an alert an alert of the
	 * message covers (notice.h): shallow copies of the others. */
	struct notice *own = xcalloc(n ? n : 1, sizeof(*own));
	size_t k = 0;
	char *s;

	for (size_t i = 0; i < n; i++)
		if (!v[i].context && !v[i].covered_by)
			own[k++] = v[i];
	s = subject_of(own, k, loc);
	free(own);
	return s;
}

void wording_rejected(enum locale loc, const char *name, char *title, size_t size)
{
	snprintf(title, size, WORD(loc, "Fichier rejeté : %s", "File rejected: %s"), name);
}

void wording_warned(enum locale loc, const char *name, char *title, size_t size)
{
	snprintf(title, size, WORD(loc, "Fichier importé, à vérifier : %s",
	    "File imported, to check: %s"), name);
}

void wording_stale(enum locale loc, bool stale, const char *since, long after_s,
    const char *import_url, char *title, size_t tsize, char *summary, size_t ssize)
{
	/* stale_after in the largest unit that writes it exactly, singular
	 * for 1 (« plus de 1 minute »). */
	static const struct { long s; const char *fr, *en, *fr1, *en1; } units[] = {
		{ 86400, "jours", "days", "jour", "day" },
		{ 3600, "heures", "hours", "heure", "hour" },
		{ 60, "minutes", "minutes", "minute", "minute" },
		{ 1, "secondes", "seconds", "seconde", "second" },
	};
	size_t k = 0;
	long count;

	while (k + 1 < sizeof(units) / sizeof(units[0]) && after_s % units[k].s)
		k++;
	count = after_s / units[k].s;
	if (stale) {
		snprintf(title, tsize, "%s", WORD(loc, "Données manquantes", "Missing data"));
		snprintf(summary, ssize, WORD(loc, "Aucune donnée importée depuis %s (plus de %ld %s).%s%s",
		    "No data imported since %s (more than %ld %s).%s%s"), since, count,
		    count == 1 ? WORD(loc, units[k].fr1, units[k].en1) :
		    WORD(loc, units[k].fr, units[k].en),
		    import_url ? WORD(loc, " Le fichier du mois s'importe aussi depuis la "
		    "console" TYPO_NNBSP ": ", " The month's file can also be imported "
		    "from the console: ") : "", import_url ? import_url : "");
	} else {
		snprintf(title, tsize, "%s", WORD(loc, "Données de nouveau reçues",
		    "Data received again"));
		snprintf(summary, ssize, WORD(loc, "Des données ont de nouveau été importées (%s).",
		    "Data was imported again (%s)."), since);
	}
}

struct words_of {
	const char *id, *fr, *en;
};

static const char *label_of(const struct words_of *v, size_t n, const char *id,
    enum locale loc)
{
	for (size_t i = 0; id && i < n; i++)
		if (!strcmp(id, v[i].id))
			return WORD(loc, v[i].fr, v[i].en);
	return id;
}

/* The themes of the shipped rule library (etc/rules.d). */
static const struct words_of themes[] = {
	{ "absences", "Absences", "Absences" },
	{ "mouvements", "Mouvements du personnel", "Staff movements" },
	{ "accidents", "Accidents du travail", "Work accidents" },
	{ "climat", "Climat social", "Social climate" },
	{ "charge", "Charge de travail", "Workload" },
	{ "sante", "Santé", "Health" },
	{ "signaux-faibles", "Signaux faibles", "Weak signals" },
	{ "", "Autres", "Other" },
};
#define NTHEMES (sizeof(themes) / sizeof(themes[0]))

const char *wording_theme(const char *id, enum locale loc)
{
	return label_of(themes, NTHEMES, id, loc);
}

size_t wording_theme_ids(const char **ids, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < NTHEMES && n < max; i++)
		if (*themes[i].id)
			ids[n++] = themes[i].id;
	return n;
}

const char *wording_role(const char *id, enum locale loc)
{
	/* The roles of the shipped configuration (etc/vigie.yaml). */
	static const struct words_of roles[] = {
		{ "social-worker", "service social", "social service" },
		{ "hr", "RH", "HR" },
		{ "ops", "exploitation", "operations" },
	};

	return label_of(roles, sizeof(roles) / sizeof(roles[0]), id, loc);
}

void wording_test(enum locale loc, const char *role, char *title, size_t size,
    const char **summary)
{
	snprintf(title, size, WORD(loc, "Message de test pour le rôle %s",
	    "Test message for role %s"), role);
	*summary = WORD(loc, "Envoyé par « vigie notify-test » pour vérifier ce canal. "
	    "Ce n'est pas une alerte ; aucune action n'est attendue.",
	    "Sent by \"vigie notify-test\" to check this channel. It is not an "
	    "alert; nothing needs to be done.");
}
