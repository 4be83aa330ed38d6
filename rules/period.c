/* Months and ISO weeks as consecutive integers; see include/vigie/period.h. */
#include <stdio.h>
#include <time.h>
#include "vigie/msg.h"
#include "vigie/period.h"

/* Days from 0001-01-01 (proleptic Gregorian, day 0 a Monday) to y-m-d. */
static long days_from_civil(long y, int m, int d)
{
	static const int before[] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
	long py = y - 1;
	long days = py * 365 + py / 4 - py / 100 + py / 400 + before[m - 1] + d - 1;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (leap && m > 2)
		days++;
	return days;
}

/* Day number of the Monday of ISO week 1 of year y. */
static long iso_week1_monday(long y)
{
	long jan4 = days_from_civil(y, 1, 4);

	return jan4 - jan4 % 7;	/* day 0 is a Monday */
}

static int iso_weeks_in_year(long y)
{
	return (int)((iso_week1_monday(y + 1) - iso_week1_monday(y)) / 7);
}

static int digits(const char *s, size_t n, int *out)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int period_parse(const char *s, size_t len, enum granularity *gran, int32_t *p)
{
	int y, n;

	if (len < 7 || s[4] != '-' || digits(s, 4, &y) != 0 || y < 1000)
		return -1;
	if (len == 7 && digits(s + 5, 2, &n) == 0) {
		if (n < 1 || n > 12)
			return -1;
		*gran = GRAN_MONTH;
		*p = y * 12 + n - 1;
		return 0;
	}
	if (len == 8 && s[5] == 'W' && digits(s + 6, 2, &n) == 0) {
		if (n < 1 || n > iso_weeks_in_year(y))
			return -1;
		*gran = GRAN_WEEK;
		*p = (int32_t)(iso_week1_monday(y) / 7 + n - 1);
		return 0;
	}
	return -1;
}

const char *period_why_not(const char *s, size_t len, char *buf, size_t size,
    bool fr)
{
	int y, w;
	char last[PERIOD_BUFSZ];

	int weeks;

	if (len != 8 || s[4] != '-' || s[5] != 'W' || digits(s, 4, &y) != 0 ||
	    y < 1000 || digits(s + 6, 2, &w) != 0 ||
	    w <= (weeks = iso_weeks_in_year(y)))
		return NULL;
	msg_snprintf(fr, buf, size, "%d has %d ISO weeks, its last is %s (the "
	    "days after it are in %d-W01)", y, weeks, period_format(GRAN_WEEK,
	    (int32_t)(iso_week1_monday(y) / 7 + weeks - 1), last), y + 1);
	return buf;
}

int period_span_parse(const char *s, size_t len, int32_t *m0, int32_t *m1)
{
	int y, n;

	if (len < 4 || digits(s, 4, &y) != 0 || y < 1000)
		return -1;
	if (len == 4) {
		*m0 = y * 12;
		*m1 = *m0 + 11;
		return 0;
	}
	if (len == 7 && s[4] == '-' && (s[5] == 'Q' || s[5] == 'q') &&
	    s[6] >= '1' && s[6] <= '4') {
		*m0 = y * 12 + (s[6] - '1') * 3;
		*m1 = *m0 + 2;
		return 0;
	}
	if (len == 7 && s[4] == '-' && digits(s + 5, 2, &n) == 0 && n >= 1 &&
	    n <= 12) {
		*m0 = *m1 = y * 12 + n - 1;
		return 0;
	}
	return -1;
}

void period_months_span(enum granularity g, int32_t m0, int32_t m1,
    int32_t *from, int32_t *to)
{
	int64_t d0, d1;

	if (g == GRAN_MONTH) {
		*from = m0;
		*to = m1;
		return;
	}
	d0 = period_first_day(GRAN_MONTH, m0);
	d1 = period_first_day(GRAN_MONTH, m1 + 1) - 1;
	*from = period_of_day(GRAN_WEEK, d0);
	if (period_first_day(GRAN_WEEK, *from) + 3 < d0)
		(*from)++;
	*to = period_of_day(GRAN_WEEK, d1);
	if (period_first_day(GRAN_WEEK, *to) + 3 > d1)
		(*to)--;
}

char *period_format(enum granularity g, int32_t p, char *buf)
{
	if (g == GRAN_MONTH) {
		snprintf(buf, PERIOD_BUFSZ, "%04d-%02d", (int)(p / 12) % 100000, (int)(p % 12) + 1);
		return buf;
	}
	/* The ISO year of a week is the year of its Thursday. */
	long thursday = (long)p * 7 + 3;
	long y = thursday / 366 + 1;
	while (days_from_civil(y + 1, 1, 1) <= thursday)
		y++;
	int w = (int)(p - iso_week1_monday(y) / 7) + 1;
	snprintf(buf, PERIOD_BUFSZ, "%04d-W%02d", (int)(y % 100000), w % 100);
	return buf;
}

const char *granularity_name(enum granularity g)
{
	return g == GRAN_WEEK ? "week" : "month";
}

/* 1970-01-01 in the day numbers above. */
#define EPOCH_DAY 719162L

int64_t period_start(enum granularity g, int32_t p)
{
	long day = g == GRAN_WEEK ? (long)p * 7 :
	    days_from_civil(p / 12, p % 12 + 1, 1);

	return (int64_t)(day - EPOCH_DAY) * 86400;
}

int32_t period_of_time(enum granularity g, int64_t t)
{
	int64_t day = (t >= 0 ? t / 86400 : -((-t + 86399) / 86400)) + EPOCH_DAY;
	int32_t p;

	if (g == GRAN_WEEK)
		return (int32_t)(day / 7);
	/* the month whose first day is the last one at or before day */
	p = (int32_t)((day * 400 / 146097 + 3) * 12);
	while (p > 0 && days_from_civil(p / 12, p % 12 + 1, 1) > day)
		p--;
	return p;
}

int32_t period_of_date(enum granularity g, int y, int m, int d)
{
	if (g == GRAN_MONTH)
		return y * 12 + m - 1;
	return (int32_t)(days_from_civil(y, m, d) / 7);	/* weeks start on day 0 */
}

int32_t period_current(enum granularity g, int64_t now)
{
	time_t t = (time_t)now;
	struct tm u, l;
	int32_t a, b;

	if (!gmtime_r(&t, &u))
		return INT32_MAX;
	a = period_of_date(g, u.tm_year + 1900, u.tm_mon + 1, u.tm_mday);
	if (!localtime_r(&t, &l))
		return a;
	b = period_of_date(g, l.tm_year + 1900, l.tm_mon + 1, l.tm_mday);
	return a > b ? a : b;
}

/* The same boundaries counted in days from 1970-01-01 (the report's
 * spans). */
int64_t period_first_day(enum granularity g, int32_t p)
{
	return period_start(g, p) / 86400;
}

int32_t period_of_day(enum granularity g, int64_t d)
{
	return period_of_time(g, d * 86400);
}
