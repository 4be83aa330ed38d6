/* The report room's entry points (include/vigie/report.h): a report
 * rendered from a store for `vigie report`, and the email of a scheduled
 * report, rendered by vigied when the outbox sends it (the message only
 * records the span and the format: the figures are read when it goes, so
 * the outbox never holds health data). */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include "report_impl.h"
#include "vigie/cells.h"
#include "vigie/fileio.h"
#include "vigie/mime.h"
#include "vigie/xalloc.h"

const char *report_format_name(enum report_format f)
{
	return f == REPORT_PDF ? "pdf" : f == REPORT_JSON ? "json" : "html";
}

int report_format_parse(const char *s, enum report_format *f)
{
	static const enum report_format all[] = { REPORT_HTML, REPORT_PDF, REPORT_JSON };

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (!strcmp(s, report_format_name(all[i]))) {
			*f = all[i];
			return 0;
		}
	return -1;
}

char *report_file_name(enum locale loc, enum granularity g, const char *unit,
    int32_t from, int32_t to, enum report_format f)
{
	char a[PERIOD_BUFSZ], b[PERIOD_BUFSZ], *u = xstrdup(unit ? unit : ""), *name;

	/* A unit's path is of [a-z0-9_-] and slashes (SPEC 2): a file name
	 * of its segments. */
	for (char *c = u; *c; c++)
		if (*c == '/')
			*c = '-';
	name = xasprintf("%s-%s%s%s-%s.%s", rw(loc, W_FILE), u, *u ? "-" : "",
	    period_format(g, from, a), period_format(g, to, b), report_format_name(f));
	free(u);
	return name;
}

FILE *report_file(const struct config *cfg, char **err)
{
	char *dir = dir_of(cfg->database);
	FILE *f = unnamed_file(dir);

	if (!f)
		*err = xasprintf("cannot create a temporary file in %s: %s", dir,
		    strerror(errno));
	free(dir);
	return f;
}

/* The document of model m into out. */
static int write_doc(const struct rmodel *m, enum report_format format, FILE *out,
    char **err)
{
	int e;

	if (format == REPORT_PDF)
		return rpdf_render(m, out, err);
	if ((format == REPORT_JSON ? rjson_write(m, out) : rhtml_write(m, out)) == 0 &&
	    fflush(out) == 0)
		return 0;
	e = errno ? errno : EIO;
	*err = xasprintf("cannot write the report: %s", strerror(e));
	return EX_IOERR;
}

int report_render(const struct config *cfg, struct store *st,
    const struct ruleset *rs, const struct report_request *rq, FILE *out, char **err)
{
	struct diags d = { 0 };
	struct rdefs defs;
	struct series *loaded = NULL;
	const struct series *s = rq->series;
	struct rmodel m = { 0 };
	struct rparams p = {
		.gran = cfg->period, .from = rq->from, .to = rq->to, .unit = rq->unit,
		.loc = rq->loc, .floor = cfg->min_headcount,
		.dominance = cfg->dominance, .now = rq->now, .why = rq->why,
	};
	char a[PERIOD_BUFSZ], b[PERIOD_BUFSZ];
	int rc;

	*err = NULL;
	if (rq->why)
		*rq->why = (struct report_why){ .hidden = false, .at = INT32_MIN,
		    .nodata = INT32_MIN };
	if (rq->to < rq->from) {
		*err = xasprintf("the span ends (%s) before it starts (%s)",
		    period_format(cfg->period, rq->to, a), period_format(cfg->period, rq->from, b));
		return EX_USAGE;
	}
	if (rq->to - rq->from + 1 > REPORT_MAX_PERIODS) {
		*err = xasprintf("a report spans at most %d periods", REPORT_MAX_PERIODS);
		return EX_USAGE;
	}
	if (rdefs_load(cfg->report.indicators, &defs, &d) != 0) {
		*err = diags_to_string(&d, 0);
		diags_free(&d);
		return EX_CONFIG;
	}
	if (!s && store_load_series(st, &loaded) != 0) {
		*err = xasprintf("cannot read the values from %s: %s", cfg->database,
		    store_errmsg(st));
		rdefs_free(&defs);
		return EX_IOERR;
	}
	if (!s)
		s = loaded;
	rc = rmodel_build(&m, s, &defs, &p, err);
	if (rc == 0 && rmodel_alerts(&m, st, s, rs, cfg) != 0) {
		*err = xasprintf("cannot read the alerts from %s: %s", cfg->database,
		    store_errmsg(st));
		rc = EX_IOERR;
	}
	if (rc == 0)
		rc = write_doc(&m, rq->format, out, err);
	rmodel_free(&m);
	series_free(loaded);
	rdefs_free(&defs);
	return rc;
}

/* ---- the scheduled report's email ---- */

static int span_of(const struct config *cfg, const struct notice *x, int32_t *from,
    int32_t *to)
{
	enum granularity g1, g2;

	if (!x->since || !x->period ||
	    period_parse(x->since, strlen(x->since), &g1, from) != 0 ||
	    period_parse(x->period, strlen(x->period), &g2, to) != 0 ||
	    g1 != cfg->period || g2 != cfg->period)
		return -1;
	return 0;
}

/* The format and unit the schedule recorded in the event's labels. */
static void labels_of(const struct notice *x, enum report_format *f, char **unit)
{
	json_t *j = x->labels ? json_loads(x->labels, 0, NULL) : NULL;
	const char *s;

	*unit = NULL;
	if (!j)
		return;
	if ((s = json_string_value(json_object_get(j, "format"))))
		report_format_parse(s, f);
	if ((s = json_string_value(json_object_get(j, "unit"))))
		*unit = xstrdup(s);
	json_decref(j);
}

static const char *mime_type(enum report_format f)
{
	return f == REPORT_PDF ? "application/pdf" : f == REPORT_JSON ?
	    "application/json; charset=UTF-8" : "text/html; charset=UTF-8";
}

char *report_mail(const struct config *cfg, const struct notice *x,
    const struct mail_envelope *env, size_t *len, char *err, size_t errsize)
{
	struct report_request rq = { .format = REPORT_PDF, .loc = cfg->locale,
	    .now = env->date };
	struct diags d = { 0 };
	struct ruleset *rs;
	struct store *st = NULL;
	char *unit = NULL, *why = NULL, *msg = NULL, *text, *hdr;
	char span[160], *name, *subject, to[320], num[32];
	char boundary[64];
	unsigned char rnd[8];
	const char *doc = NULL;
	size_t doclen = 0;
	FILE *f, *out = NULL;
	int ok = 0;

	if (span_of(cfg, x, &rq.from, &rq.to) != 0) {
		snprintf(err, errsize, "the report event has no span of %ss",
		    granularity_name(cfg->period));
		return NULL;
	}
	labels_of(x, &rq.format, &unit);
	rq.unit = unit;
	struct rule_policy texts = config_rule_texts(cfg);

	if (!(rs = ruleset_load(cfg->rules, &texts, &d))) {
		snprintf(err, errsize, "the rules in %s do not load (vigie check)", cfg->rules);
		diags_free(&d);
		free(unit);
		return NULL;
	}
	rs->carry_over = cfg->carry_over;
	if (store_open(cfg->database, cfg->period, &st, &why) != 0) {
		snprintf(err, errsize, "cannot open %s: %s", cfg->database, why ? why : "?");
		free(why);
	} else if (!(out = report_file(cfg, &why)) ||
	    report_render(cfg, st, rs, &rq, out, &why) != 0) {
		snprintf(err, errsize, "%s", why ? why : "the report could not be rendered");
		free(why);
	} else if (!(doc = file_map(out, &doclen))) {
		snprintf(err, errsize, "cannot read the report back: %s", strerror(errno));
	} else {
		ok = 1;
	}
	if (st)
		store_close(st);
	ruleset_free(rs);
	if (!ok) {
		if (out)
			fclose(out);
		free(unit);
		return NULL;
	}

	rspan(span, sizeof(span), cfg->period, rq.from, rq.to, rq.loc);
	name = report_file_name(rq.loc, cfg->period, rq.unit, rq.from, rq.to, rq.format);
	/* Several reports, one a company (vigie.yaml(5)): each says whose. */
	subject = rq.unit ? rtext(rq.loc, W_MAIL_SUBJECT_UNIT, span, rq.unit, NULL) :
	    rtext(rq.loc, W_MAIL_SUBJECT, span, NULL, NULL);
	snprintf(num, sizeof(num), "%d", cfg->min_headcount);
	text = rtext(rq.loc, W_MAIL_BODY, name, span, num);
	arc4random_buf(rnd, sizeof(rnd));
	snprintf(boundary, sizeof(boundary), "=_vigie_%02x%02x%02x%02x%02x%02x%02x%02x",
	    rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
	if (!(f = open_memstream(&msg, len)))
		xalloc_die();
	mime_put_from(f, env->from_name, env->from_addr ? env->from_addr : "vigie@localhost");
	fprintf(f, "To: %s\r\n", mime_addr_spec(env->to, to, sizeof(to)));
	hdr = mime_header_encoded("Subject", subject);
	fputs(hdr, f);
	free(hdr);
	mime_put_date(f, env->date);
	mime_put_message_id(f, env->uid, env->from_addr);
	fputs("MIME-Version: 1.0\r\nAuto-Submitted: auto-generated\r\n"
	    "X-Auto-Response-Suppress: All\r\n", f);
	fprintf(f, "Content-Type: multipart/mixed;\r\n boundary=\"%s\"\r\n\r\n", boundary);
	fputs("This is a multi-part message in MIME format.\r\n", f);
	mime_put_part(f, boundary, "text/plain", text);
	mime_put_attachment(f, boundary, mime_type(rq.format), name, doc, doclen);
	fprintf(f, "--%s--\r\n", boundary);
	if (fclose(f) != 0)
		xalloc_die();
	free(text);
	free(subject);
	free(name);
	free(unit);
	file_unmap(doc, doclen);
	fclose(out);
	return msg;
}
