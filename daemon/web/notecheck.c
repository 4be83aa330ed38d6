/* The words of a note that name a person or speak of health (web_impl.h,
 * note_sensitive): notes hold what was done and what comes next, never a
 * name nor a health detail (README, "Notes"), since every user of the role
 * reads them. A slip is caught before it is saved, as a question, not a
 * refusal: the user reads the note again, and saves it as it is if the
 * word is meant otherwise. */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include "web_impl.h"

/* Lower case, French; a word, or the start of one (its stem). */
static const struct { const char *w; bool stem; } words[] = {
	{ "mme", false }, { "mlle", false }, { "monsieur", false },
	{ "madame", false }, { "mademoiselle", false },
	{ "malade", false }, { "maladie", false }, { "arrêt maladie", false },
	{ "arrêt de travail", false }, { "dépression", false }, { "dépressi", true },
	{ "burn-out", false }, { "burnout", false }, { "cancer", false },
	{ "enceinte", false }, { "grossesse", false }, { "hospitalis", true },
	{ "hôpital", false }, { "psychiatr", true }, { "suicid", true },
	{ "médicament", true }, { "diagnostic", true }, { "thérapie", false },
	{ "handicap", true },
};

static bool letter(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* Whether s (at a word's start) begins with w, ASCII letters in either
 * case, and ends there unless w is a stem. */
static bool word_at(const char *s, const char *w, bool stem)
{
	size_t i = 0;

	for (; w[i]; i++) {
		unsigned char a = (unsigned char)s[i], b = (unsigned char)w[i];
		if (a >= 'A' && a <= 'Z')
			a = (unsigned char)(a - 'A' + 'a');
		if (!s[i] || a != b)
			return false;
	}
	return stem || !letter((unsigned char)s[i]);
}

const char *note_sensitive(const char *text)
{
	for (const char *s = text; *s; s++) {
		if (s > text && letter((unsigned char)s[-1]))
			continue;	/* not a word's start */
		/* "M. Dupont": a civility before a name. */
		if (s[0] == 'M' && s[1] == '.' && s[2] == ' ' && s[3] >= 'A' && s[3] <= 'Z')
			return "M.";
		for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++)
			if (word_at(s, words[k].w, words[k].stem))
				return words[k].w;
	}
	return NULL;
}
