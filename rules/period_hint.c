/* The period a spreadsheet's rewriting of one stands for (period.h):
 * "2026-10" typed in a cell comes back as the date 01/10/2026, as oct-26
 * or as octobre 2026; HR may also write 10/2026 or 2026/10. A week is
 * typed without its zero (2026-W5), its dash or its capital (2026w48), or
 * as French HR software writes it, S for semaine (2026-S48, S48 2026). */
#include <stdio.h>
#include <string.h>
#include "vigie/period.h"

#define TOKENS 3

struct token {
	const char *s;
	size_t len;
	bool digits;
	int value;		/* digits: the number */
};

/* Splits s into at most TOKENS runs of digits or of letters (UTF-8 bytes
 * count as letters), separated by runs of "-/. ,"; -1 when anything else
 * is there or there are more. */
static int split(const char *s, size_t len, struct token *t)
{
	int n = 0;

	for (size_t i = 0; i < len; ) {
		unsigned char c = (unsigned char)s[i];
		size_t j = i;

		if (strchr("-/. ,", c) && c) {
			i++;
			continue;
		}
		if (n == TOKENS)
			return -1;
		t[n] = (struct token){ s + i, 0, c >= '0' && c <= '9', 0 };
		while (j < len) {
			unsigned char d = (unsigned char)s[j];
			bool digit = d >= '0' && d <= '9';
			bool letter = (d | 0x20) >= 'a' && (d | 0x20) <= 'z';
			if (t[n].digits ? !digit : !(letter || d >= 0x80))
				break;
			if (digit && t[n].value < 100000000)
				t[n].value = t[n].value * 10 + (d - '0');
			j++;
		}
		if (j == i)
			return -1;
		t[n++].len = j - i;
		i = j;
	}
	return n;
}

/* The month a French or English name, whole or cut after 3 letters or
 * more, stands for: "oct", "févr", "juil", "September"; 0 if none or more
 * than one ("jui"). */
static int month_name(const struct token *t)
{
	static const char *const names[] = {
		"janvier", "january", "février", "fevrier", "february", "mars",
		"march", "avril", "april", "mai", "may", "juin", "june", "juillet",
		"july", "août", "aout", "august", "septembre", "september",
		"octobre", "october", "novembre", "november", "décembre",
		"decembre", "december",
	};
	static const int months[] = { 1, 1, 2, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7,
		7, 8, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 12 };
	char low[16];
	int found = 0;

	if (t->len < 3 || t->len >= sizeof(low))
		return 0;
	for (size_t i = 0; i < t->len; i++)
		low[i] = (char)(t->s[i] >= 'A' && t->s[i] <= 'Z' ? t->s[i] | 0x20 : t->s[i]);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strlen(names[i]) >= t->len && memcmp(names[i], low, t->len) == 0) {
			if (found && found != months[i])
				return 0;
			found = months[i];
		}
	}
	return found;
}

static int year_of(const struct token *t)
{
	if (!t->digits)
		return 0;
	if (t->len == 2)
		return 2000 + t->value;
	return t->len == 4 && t->value >= 1000 ? t->value : 0;
}

/* Day and month of a date written with both as numbers before the year:
 * the one over 12 is the day; otherwise one of them must be 1, as in a
 * month turned into its first day (01/10/2026 in French, 10/1/2026 in
 * English), else it is not known. A second number written 01 after
 * another (05/01/2026) is not known either: the 5th of January to a French
 * reader, whose Excel writes May's first day 01/05/2026, the 1st of May to
 * an English one. */
static bool day_month(const struct token *a, const struct token *b, int *d, int *m)
{
	if (a->value > 12 || (b->value <= 12 && a->value == 1)) {
		*d = a->value, *m = b->value;
		return true;
	}
	if (b->value > 12 || (b->value == 1 && b->len == 1)) {
		*d = b->value, *m = a->value;
		return true;
	}
	return false;
}

static bool valid(int y, int m, int d)
{
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return y >= 1000 && y <= 9999 && m >= 1 && m <= 12 && d >= 0 &&
	    d <= (m == 2 && !leap ? 28 : days[m - 1]);
}

/* Whether t is the letter of a week: W, or S (semaine), either case. */
static bool week_letter(const struct token *t)
{
	return !t->digits && t->len == 1 && strchr("WwSs", t->s[0]);
}

/* A week written with a year and W or S around its number, in either
 * order: the week of that year, when the year has it (no hint for a week
 * past the year's last; 2026-W54 is told why by period_why_not). */
static const char *week_hint(const struct token *t, int n, char *buf)
{
	const struct token *yt, *wt;
	char canon[PERIOD_BUFSZ];
	enum granularity g;
	int32_t p;

	if (n != 3)
		return NULL;
	if (t[0].digits && t[0].len == 4 && week_letter(&t[1]) && t[2].digits)
		yt = &t[0], wt = &t[2];				/* 2026-S48 */
	else if (week_letter(&t[0]) && t[1].digits && t[2].digits &&
	    t[2].len == 4)
		yt = &t[2], wt = &t[1];				/* S48 2026 */
	else
		return NULL;
	if (wt->len > 3 || wt->value < 1 || wt->value > 99 || yt->value < 1000)
		return NULL;
	snprintf(canon, sizeof(canon), "%04d-W%02d", yt->value, wt->value);
	if (period_parse(canon, strlen(canon), &g, &p) != 0)
		return NULL;
	return period_format(GRAN_WEEK, p, buf);
}

const char *period_hint(const char *s, size_t len, enum granularity g, char *buf,
    bool *spreadsheet)
{
	struct token t[TOKENS];
	int n = split(s, len, t), y = 0, m = 0, d = 0;	/* d 0: a month */

	if (n == 3 && (week_letter(&t[0]) || week_letter(&t[1]))) {
		/* a week, never a month's: "2026-S5" on a monthly database
		 * is no May */
		if (g != GRAN_WEEK)
			return NULL;
		*spreadsheet = false;
		return week_hint(t, n, buf);
	}
	if (n == 1 && t[0].digits && (t[0].len == 6 || t[0].len == 8)) {
		y = t[0].value / (t[0].len == 6 ? 100 : 10000);
		m = t[0].len == 6 ? t[0].value % 100 : t[0].value / 100 % 100;
		d = t[0].len == 6 ? 0 : t[0].value % 100;
		if (t[0].len == 8 && d == 0)
			return NULL;
	} else if (n == 2 && !t[0].digits && t[1].digits) {
		m = month_name(&t[0]), y = year_of(&t[1]);		/* oct-26 */
	} else if (n == 2 && t[0].digits && t[1].digits && t[0].len == 4 &&
	    t[1].len <= 2) {
		y = t[0].value, m = t[1].value;				/* 2026/10 */
	} else if (n == 2 && t[0].digits && t[1].digits && t[0].len <= 2 &&
	    t[1].len == 4) {
		m = t[0].value, y = t[1].value;				/* 10/2026 */
	} else if (n == 3 && t[0].digits && t[1].digits && t[2].digits &&
	    t[0].len == 4 && t[1].len <= 2 && t[2].len <= 2) {
		y = t[0].value, m = t[1].value, d = t[2].value;		/* 2026-10-01 */
	} else if (n == 3 && t[0].digits && t[1].digits && t[2].digits &&
	    t[0].len <= 2 && t[1].len <= 2) {
		if (!(y = year_of(&t[2])) || !day_month(&t[0], &t[1], &d, &m))
			return NULL;					/* 01/10/2026 */
	} else if (n == 3 && t[0].digits && !t[1].digits && t[0].len <= 2) {
		d = t[0].value, m = month_name(&t[1]), y = year_of(&t[2]); /* 1-oct-26 */
	} else {
		return NULL;
	}
	if (d == 0 && g == GRAN_WEEK)
		return NULL;		/* a month is not a week */
	if (!valid(y, m, d) || (d == 0 && n == 3))
		return NULL;
	*spreadsheet = d != 0 || !t[0].digits;	/* a date, or a month's name */
	return period_format(g, d ? period_of_date(g, y, m, d) : y * 12 + m - 1, buf);
}
