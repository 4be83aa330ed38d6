/* Typography of what people read (daemon/util/typo.c): numbers, counts,
 * odds, periods and prose as emails, chat messages and the works council
 * report show them, French by default, English with locale: en. French
 * wants a narrow no-break space (U+202F) before ; : ! ? % and », after «,
 * and between groups of thousands (35 711); a no-break space (U+00A0)
 * keeps a number with the word after it and a month with its year; plurals
 * agree (« 1 signalement », « 3 signalements »); months are written out in
 * prose (« octobre 2026 »). One module, so that every output agrees. */
#ifndef VIGIE_TYPO_H
#define VIGIE_TYPO_H

#include <stdbool.h>
#include <stddef.h>
#include "vigie/rules.h"	/* enum locale */

#define TYPO_NNBSP "\xe2\x80\xaf"	/* U+202F narrow no-break space */
#define TYPO_NBSP "\xc2\xa0"		/* U+00A0 no-break space */
#define TYPO_MINUS "\xe2\x88\x92"	/* U+2212 minus sign */
#define TYPO_BUFSZ 64

/* x with at most `decimals` digits after the mark (trailing zeros dropped,
 * as format_number does), the locale's decimal mark, groups of three digits
 * from 10 000 on (U+202F in French, "," in English) and a true minus sign.
 * Into buf (TYPO_BUFSZ is enough); returns buf. */
char *typo_number(char *buf, size_t size, double x, int decimals, enum locale loc);
/* The same, but with as many more decimals as a nonzero x needs to keep
 * two significant digits (0,0049 rather than 0): for thresholds and rule
 * values that are small by nature. Returns buf. */
char *typo_number_sig(char *buf, size_t size, double x, int decimals, enum locale loc);
/* The word for n: one or many (French: singular below 2, « 1,5 jour »;
 * English: singular for exactly 1). Static: one of its arguments. */
const char *typo_plural(double n, const char *one, const char *many, enum locale loc);
/* "3 signalements": n (integer digits) with a no-break space and the
 * agreeing word. Into buf; returns buf. */
char *typo_count(char *buf, size_t size, long n, const char *one, const char *many,
    enum locale loc);
/* A period ("2026-10", "2026-W07") in prose: « octobre 2026 », "October
 * 2026", « semaine 7 de 2026 », "week 7 of 2026"; abbreviated: « oct.
 * 2026 », "Oct 2026", « sem. 7 2026 ». Month and year are joined by a
 * no-break space. Anything else is copied as it is. Into buf; returns buf. */
char *typo_period(char *buf, size_t size, const char *period, bool abbreviated,
    enum locale loc);
/* French « de » before words (a period's, say): "d'" before a vowel
 * (« d'octobre 2026 »), "de " otherwise. Static. */
const char *typo_de(const char *words);
/* Prose (a summary, guidance, a title) with the locale's typography: in
 * French the space (or no-break space) before ; : ! ? % » and after «
 * becomes U+202F, and the space between a number and the word after it
 * U+00A0; in both languages a run of five digits or more that stands alone
 * is grouped by thousands, and a hyphen before a number that starts it is
 * a minus sign. Nothing else changes: URLs, unit paths and identifiers keep
 * their bytes. Returns a new string (NULL: ""); caller frees. */
char *typo_prose(const char *s, enum locale loc);

#endif
