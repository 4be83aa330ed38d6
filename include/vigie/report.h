/* The works council report (SPEC 15, daemon/report/): for a span of
 * periods, each report indicator (etc/report.yaml, expressions of the rule
 * language evaluated by the engine) for the company, its sites and its
 * teams, against the same span a year earlier, the company and a national
 * reference, with trend charts, the alerts by theme and severity and the
 * follow-up counts; written as one self-contained HTML file, a PDF (cairo)
 * or JSON. Disclosure control (SPEC 3) decides which units appear: one that
 * is hidden at any period of the span appears nowhere. The room sits beside
 * the CLI: vigie report calls it, and vigied renders the scheduled report
 * through it when the email goes out. */
#ifndef VIGIE_REPORT_H
#define VIGIE_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "vigie/config.h"
#include "vigie/mail.h"
#include "vigie/notice.h"
#include "vigie/rules.h"
#include "vigie/store.h"

#define REPORT_MAX_PERIODS 260	/* longest span: five years of weeks */

/* Why a report on a unit was refused by disclosure control, for a caller
 * that words the refusal itself (the web console): hidden is set when the
 * unit is hidden over the span (EX_DATAERR), at then the span's first
 * period where it is, or INT32_MIN when none is named (hidden_why). */
struct report_why {
	bool hidden;
	int32_t at;
	int32_t nodata;		/* no unit visible: the span's first period
				 * without any unit's data, when there is one;
				 * the unit hidden only for want of data: its
				 * first period without (INT32_MIN otherwise) */
};

/* What to report on. */
struct report_request {
	int32_t from, to;	/* periods of the store's granularity */
	const char *unit;	/* NULL: every company; else that unit and below */
	enum report_format format;
	enum locale loc;
	int64_t now;		/* the time of the export, printed in it */
	struct report_why *why;	/* NULL, or filled when the report is refused */
	/* The values to report on (the console's, so that the report is made
	 * of what its pages show, without a second copy); NULL: read from
	 * the store. */
	const struct series *series;
};

/* "html", "pdf", "json"; and back (0, or -1 for an unknown name). */
const char *report_format_name(enum report_format f);
int report_format_parse(const char *s, enum report_format *f);

/* The report's file name for that unit (NULL: the whole company), span
 * and format in loc: "rapport-cse-2026-01-2026-12.pdf",
 * "rapport-cse-valdis-nancy-2026-01-2026-12.pdf",
 * "works-council-report-...". The
 * attachment of a scheduled report and the console's download bear it.
 * Caller frees. */
char *report_file_name(enum locale loc, enum granularity g, const char *unit,
    int32_t from, int32_t to, enum report_format f);

/* Reads the indicators file of cfg (report.indicators; none: the built-in
 * one, always valid), adding its errors to d with their file:line:col:
 * 0, or -1. vigie check, vigied --check and every load of the
 * configuration call it, so that an error shows there rather than when the
 * report is made or its email goes out. */
int report_indicators_check(const struct config *cfg, struct diags *d);
/* Every warning of a configuration and its rules (cycle_warnings), then
 * those of its report indicators file (none for the built-in one), as of
 * rule files: an indicator it reads that is neither in the recommended
 * vocabulary nor in the database, at its file:line:col with the closest
 * known name. Prints to out, else logs. */
void report_warnings(const struct config *cfg, const struct ruleset *rs, FILE *out);
/* True when a rule's alerts, and their follow-up, are counted in the
 * report that HR and the works council read: it notifies some role not
 * bound by secrecy (confidential_roles, SPEC 3). (model.c) */
bool report_counts_rule(const struct rule *r, const struct config *cfg);

/* The file a report is made in: unnamed, in the folder of cfg's database
 * (unnamed_file: the service's own disk, gone with its last descriptor).
 * NULL with a new message in *err (caller frees). */
FILE *report_file(const struct config *cfg, char **err);

/* Renders the report on the data of st, with cfg (floor, granularity,
 * the indicators file) and rs (the rules: the alerts' themes; may be
 * NULL), into out: an empty regular file open for reading and writing
 * (tmpfile(3)), which the PDF is read back from to be completed, and
 * which keeps a report of 10,000 teams (some 300 MB) out of memory.
 * Returns 0, out flushed and holding the document from its first byte;
 * or a sysexits code and a new message in *err (caller frees; several
 * lines for an invalid indicators file): EX_USAGE (the span or the unit
 * does not fit the data), EX_DATAERR (the unit is hidden, or no unit is
 * visible over the span), EX_CONFIG (invalid indicators file), EX_IOERR
 * (the database, or out cannot be written), EX_NOINPUT (the PDF font is
 * not installed). */
int report_render(const struct config *cfg, struct store *st,
    const struct ruleset *rs, const struct report_request *rq, FILE *out, char **err);

/* The email of a scheduled report (an outbox message carrying one event of
 * kind "report": since..period is the span, labels {"format", "unit"}),
 * rendered when it is sent: a multipart/mixed message with a short text
 * and the report attached. Opens the database and the rules of cfg itself.
 * Returns the whole message (caller frees, *len bytes), or NULL with a
 * one-line reason in err. The renderer vigied registers with
 * mail_set_report_renderer. */
char *report_mail(const struct config *cfg, const struct notice *x,
    const struct mail_envelope *env, size_t *len, char *err, size_t errsize);

#endif
