/* Benchmark data: N teams x M months x K indicators in the long CSV form
 * (SPEC 4), one company, sites of 100 teams, sorted by unit, period,
 * indicator like an HR export. Deterministic.
 * usage: gen UNITS MONTHS INDICATORS > file.csv */
#include <stdio.h>
#include <stdlib.h>

static const char *const names[] = { "headcount", "workable_days",
	"absence_days", "absence_episodes", "short_absences", "departures",
	"resignations", "hours_worked", "overtime_hours", "work_accidents",
	"accident_days_lost", "conflicts", "grievances", "disciplinary_actions",
	"violence_incidents", "harassment_reports", "medical_visits_on_request",
	"social_worker_contacts" };

int main(int argc, char **argv)
{
	long units = argc > 1 ? atol(argv[1]) : 10000;
	long months = argc > 2 ? atol(argv[2]) : 60;
	long inds = argc > 3 ? atol(argv[3]) : 12;
	unsigned long x = 88172645463325252UL;
	static char obuf[1 << 20];

	if (units < 1 || months < 1 || inds < 1 || inds > 18) {
		fputs("usage: gen UNITS MONTHS INDICATORS(1-18)\n", stderr);
		return 64;
	}
	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	fputs("unit,period,indicator,value\n", stdout);
	for (long u = 0; u < units; u++)
		for (long m = 0; m < months; m++) {
			long y = 2020 + m / 12, mo = m % 12 + 1;
			for (long k = 0; k < inds; k++) {
				x ^= x << 13;	/* xorshift */
				x ^= x >> 7;
				x ^= x << 17;
				unsigned long r = x % 100000;
				if (k % 3 == 2)
					printf("acme/site%03ld/team%05ld,%04ld-%02ld,%s,%lu.%02lu\n",
					    u / 100, u, y, mo, names[k], r / 100, r % 100);
				else
					printf("acme/site%03ld/team%05ld,%04ld-%02ld,%s,%lu\n",
					    u / 100, u, y, mo, names[k], r % 500);
			}
		}
	return fflush(stdout) == 0 ? 0 : 74;
}
