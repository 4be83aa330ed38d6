/* Periods: calendar months "YYYY-MM" or ISO weeks "YYYY-Www", as integers
 * that follow each other (p + 1 is the next period). */
#ifndef VIGIE_PERIOD_H
#define VIGIE_PERIOD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum granularity { GRAN_MONTH = 0, GRAN_WEEK = 1 };

#define PERIOD_BUFSZ 16

/* Parses s[0..len) as a month or a week. Returns 0 and sets *gran and *p,
 * or -1 (not a valid period of either kind). Month index: year*12 + month-1.
 * Week index: number of weeks from the Monday 0001-01-01 (proleptic Gregorian)
 * to the Monday of that ISO week. */
int period_parse(const char *s, size_t len, enum granularity *gran, int32_t *p);
/* Why s[0..len), which period_parse refused, is not a period, when its
 * shape alone would not tell: a week past its year's last, 53 of a year
 * that has 52 ("2025 has 52 ISO weeks, its last is 2025-W52 (the days
 * after it are in 2026-W01)"), 54 of one that has 53.
 * Writes it into buf, in French when fr (msg.h), and returns buf, or
 * returns NULL. */
const char *period_why_not(const char *s, size_t len, char *buf, size_t size,
    bool fr);
/* The period of granularity g that s[0..len), which period_parse refused,
 * stands for when a spreadsheet or a hand wrote it otherwise: a date
 * (2026-10-01, 01/10/2026: its month, or its ISO week), a month and year
 * (10/2026, 2026/10, 202610, oct-26, octobre 2026), a week typed
 * otherwise (2026-W5, 2026w48, the French 2026-S48 or S48 2026: a week of
 * that year, not a month's). Writes it into buf
 * (PERIOD_BUFSZ bytes) and returns buf, setting *spreadsheet for a date
 * or a month's name (what a spreadsheet makes of a month), or returns
 * NULL: no such form, or a day and month that could be either
 * (03/10/2026). */
const char *period_hint(const char *s, size_t len, enum granularity g, char *buf,
    bool *spreadsheet);
/* A span of months written as a month "YYYY-MM", a quarter "YYYY-Qn" (q
 * too) or a year "YYYY": 0 with its first and last months (month periods)
 * in *m0 and *m1, or -1. */
int period_span_parse(const char *s, size_t len, int32_t *m0, int32_t *m1);
/* The periods of g that months m0..m1 (month periods) span: themselves,
 * or the ISO weeks whose Thursday falls in them (ISO's rule of which month
 * a week belongs to), in *from and *to. */
void period_months_span(enum granularity g, int32_t m0, int32_t m1,
    int32_t *from, int32_t *to);
/* Writes the period's text into buf (PERIOD_BUFSZ bytes); returns buf. */
char *period_format(enum granularity g, int32_t p, char *buf);
const char *granularity_name(enum granularity g);	/* "month" or "week" */
/* The periods of a year: 12 months, 52 weeks. */
static inline int32_t period_per_year(enum granularity g)
{
	return g == GRAN_WEEK ? 52 : 12;
}
/* Unix time of the first second (UTC) of period p. */
int64_t period_start(enum granularity g, int32_t p);
/* The period that holds unix time t (UTC). */
int32_t period_of_time(enum granularity g, int64_t t);
/* The period of g that contains the date y-m-d (proleptic Gregorian). */
int32_t period_of_date(enum granularity g, int y, int m, int d);
/* The current period at unix time now: the later of its UTC and local
 * dates, so that data for the month that just began somewhere is never
 * "in the future" (SPEC 4). */
int32_t period_current(enum granularity g, int64_t now);
/* Days from 1970-01-01 to the first day of period p (a month's first day,
 * a week's Monday), and the period holding day d (days from 1970-01-01):
 * its month, or its ISO week. */
int64_t period_first_day(enum granularity g, int32_t p);
int32_t period_of_day(enum granularity g, int64_t d);

#endif
