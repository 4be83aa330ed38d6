/* Private to daemon/cli/: a rule test file of `vigie test` (SPEC 11) as
 * parsed by testfile.c and run by cmd_test.c. */
#ifndef VIGIE_TESTFILE_H
#define VIGIE_TESTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vigie/diag.h"
#include "vigie/period.h"
#include "vigie/rules.h"
#include "vigie/yaml.h"

struct tseries {
	const char *ind;	/* indicator name (in the document) */
	int32_t id;		/* in the builder */
	double *v;
	size_t n;
	int line, col;		/* of its name */
};

struct tdata {
	const char *unit;
	int32_t from;
	bool from_ok;
	struct tseries *series;
	size_t nseries;
};

struct texpect {
	const char *rule, *unitpath;	/* unitpath points into alert */
	char *alert;			/* "RULE@UNIT" copy, split at '@' */
	const char *text;		/* the alert as written */
	enum severity severity;		/* SEV_NONE: not checked */
	bool has_value;
	double value;
	const char *summary;		/* or NULL */
	int line, col;
};

struct tcase {
	const char *name;
	int line;
	struct tdata *data;
	size_t ndata;
	bool has_at;
	int32_t at;
	struct texpect *expect;
	size_t nexpect;
};

struct tfile {
	const char *path;
	struct ydoc *doc;
	char **rule_files;
	size_t nrule_files;
	bool rule_files_ok;	/* rule_files named at least one file, and
				 * every entry is in rule_files */
	int min_headcount;
	double dominance;	/* default 0.85 (SPEC 3) */
	enum granularity gran;
	enum locale loc;
	struct tcase *tests;
	size_t ntests;
};

/* Parses the file at f->path (set it, zero the rest) into f, adding every
 * problem to d as FILE:LINE:COL. */
void testfile_parse(struct tfile *f, struct diags *d);
void testfile_free(struct tfile *f);

#endif
