/* The words of a note that name a person or speak of one person's health
 * (web_impl.h, note_sensitive): notes hold what was done and what comes
 * next, never a name nor a health detail (README, "Notes"), since every
 * user of the role reads them. A slip is caught before it is saved, as a
 * question, not a refusal: the user reads the note again, and saves it as
 * it is if the words mean something else there. The cues are a person's,
 * not a team's: a civility or a verb of meeting before a name, a person's
 * leave or treatment; the collective words of the job (« diagnostic RPS »,
 * « référente handicap », « burn-out collectif », « maladie
 * professionnelle ») are not asked about, or the question would be ticked
 * without being read. */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/xalloc.h"
#include "web_impl.h"

/* Words before a name, French and English (the notes are written in
 * either, whatever the locale): the civilities, then the two words after
 * which a name and a surname are asked for (not « avec Nancy »), then the
 * verbs of meeting someone. */
#define CIVILITIES 20
#define TWO_NAMES (CIVILITIES + 2)
static const char *const before_name[] = {
	"m.", "m", "mr", "mr.", "mme", "mme.", "mlle", "mlle.", "dr", "dr.",
	"monsieur", "madame", "mademoiselle",
	"mrs", "mrs.", "ms", "ms.", "miss", "mister", "madam",
	"avec", "with",
	"vu", "vue", "reçu", "reçue", "appel de",
	"met", "saw", "seen", "called", "call from", "phoned", "spoke to",
	"spoke with", "talked to", "talked with",
};

/* Whether low (lower case) starts with a civility and a space. */
static bool civility_at(const char *low)
{
	for (size_t k = 0; k < CIVILITIES; k++) {
		size_t n = strlen(before_name[k]);
		if (!strncmp(low, before_name[k], n) && low[n] == ' ')
			return true;
	}
	return false;
}

/* A person's health or leave, lower case; a stem ends with '*'. The
 * collective words of the job stay out, in English too (« burnout
 * prevention », « sickness absence rate »). */
static const char *const health[] = {
	"en arrêt", "arrêt maladie", "malade", "dépressi*", "antidépress*",
	"anxiolytique*", "épuisé", "épuisée", "en pleurs", "enceinte",
	"grossesse", "cancer", "hospitalis*", "psychiatr*", "suicidaire*",
	"tentative de suicide",
	/* typed without accents, as on a phone */
	"en arret", "arret maladie", "depressi*", "antidepress*", "epuise",
	"epuisee",
	/* English */
	"sick leave", "off sick", "sick note", "signed off", "on leave", "ill",
	"depressed", "antidepressant*", "exhausted", "burnt out", "burned out",
	"in tears", "pregnan*", "miscarriage", "chemo*", "hospitali*",
	"hospital", "suicid*", "panic attack*", "diagnosed", "gp",
	"sick",		/* after its phrases, which say more */
};

/* Capitalised words of the workplace, not a name after « avec » or
 * « with » (« with Occupational Health », « avec Ressources Humaines »). */
static const char *const not_names[] = {
	"Occupational", "Health", "Human", "Resources", "Ressources", "Humaines",
	"Médecine", "Service", "Social", "Works", "Council", "Safety",
};

static bool letter(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* text in lower case, ASCII and the Latin-1 letters of UTF-8 (« É », « À »),
 * byte for byte: offsets are the same as text's. */
static char *lowered(const char *text)
{
	char *s = xstrdup(text);

	for (unsigned char *p = (unsigned char *)s; *p; p++) {
		if (*p >= 'A' && *p <= 'Z')
			*p = (unsigned char)(*p - 'A' + 'a');
		else if (p[0] == 0xc3 && p[1] >= 0x80 && p[1] <= 0x9e && p[1] != 0x97)
			p[1] = (unsigned char)(p[1] + 0x20), p++;
	}
	return s;
}

/* The length of w (its '*' aside) when low, at a word's start, begins with
 * it and, but for a stem, ends there; else 0. */
static size_t word_at(const char *low, const char *w)
{
	size_t n = strlen(w);
	bool stem = n && w[n - 1] == '*';

	n -= stem;
	if (strncmp(low, w, n) || (!stem && letter((unsigned char)low[n])))
		return 0;
	return n;
}

/* Whether s starts a name: a capital (ASCII or Latin-1) followed by a
 * lower-case letter (« Martin », « Élodie »; not « RH », « CODIR »), or a
 * capital and a full stop (« D. »). */
static bool name_at(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t cap = (*u >= 'A' && *u <= 'Z') ? 1 :
	    (u[0] == 0xc3 && u[1] >= 0x80 && u[1] <= 0x9e) ? 2 : 0;

	if (!cap)
		return false;
	u += cap;
	return (*u >= 'a' && *u <= 'z') || (u[0] == 0xc3 && u[1] >= 0xa0) || *u == '.';
}

/* Whether s starts one of the n words w, as a whole word. */
static bool one_of(const char *s, const char *const *w, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		size_t len = strlen(w[k]);
		if (!strncmp(s, w[k], len) && !letter((unsigned char)s[len]))
			return true;
	}
	return false;
}

/* Whether s starts an English day or month, capitalised as names are
 * (« met Tuesday », « saw March's figures »), or a word of the workplace
 * (not_names): no one's name. */
static bool no_name_at(const char *s)
{
	static const char *const days[] = {
		"Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
		"Saturday", "Sunday", "January", "February", "March", "April",
		"May", "June", "July", "August", "September", "October",
		"November", "December",
	};

	return one_of(s, days, sizeof(days) / sizeof(*days)) ||
	    one_of(s, not_names, sizeof(not_names) / sizeof(*not_names));
}

bool note_sensitive(const char *text, size_t *at, size_t *len)
{
	char *low = lowered(text);
	bool found = false;

	for (size_t i = 0; text[i] && !found; i++) {
		if (i && letter((unsigned char)text[i - 1]))
			continue;	/* not a word's start */
		for (size_t k = 0; k < sizeof(before_name) / sizeof(*before_name) && !found; k++) {
			size_t n = word_at(low + i, before_name[k]);
			/* « avec Mme Martin »: said from the civility on. After
			 * « avec » or « with », a name and a surname (« avec Julie
			 * Lefèvre », « with Kevin D. »), not a site (« avec Nancy »). */
			const char *sp = n && text[i + n] == ' ' ? strchr(text + i + n + 1, ' ') : NULL;
			if (n && text[i + n] == ' ' && name_at(text + i + n + 1) &&
			    !no_name_at(text + i + n + 1) &&
			    !(k >= CIVILITIES && civility_at(low + i + n + 1)) &&
			    (k < CIVILITIES || k >= TWO_NAMES || (sp && name_at(sp + 1)))) {
				const char *e = text + i + n + 1;
				while (*e && *e != ' ' && *e != ',' && *e != ';')
					e++;
				*at = i, *len = (size_t)(e - text) - i, found = true;
			}
		}
		for (size_t k = 0; k < sizeof(health) / sizeof(*health) && !found; k++) {
			size_t n = word_at(low + i, health[k]);
			if (n) {
				while (letter((unsigned char)text[i + n]))
					n++;	/* the whole word, as written */
				*at = i, *len = n, found = true;
			}
		}
	}
	free(low);
	return found;
}
