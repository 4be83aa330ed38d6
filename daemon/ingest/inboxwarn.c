/* The warnings of the inbox's imported files (inbox_impl.h): told at the
 * end of the pass, as a later file of the pass may bring a headcount or an
 * indicator one of them lacks; each file's warnings go beside it in
 * processed/ (NAME.warnings.txt, as rejected/ has NAME.errors.txt), to the
 * journal (how many, not what), and to the caller, which queues the notice
 * to ops. They were recorded with the import itself, marked untold
 * (store_import_untold), and the mark is cleared in the transaction that
 * queues the notice: a daemon killed between its import's commit and the
 * end of its pass tells them at its next pass, from the import log, once
 * (SPEC 13). The file written then is the import log's text: in the
 * console's language, the first STORE_WARNINGS_KEPT warnings. The file
 * that brings the pass's latest period is told, at the end of the pass,
 * when that is a history taken a month at a time (importcheck.h,
 * import_check_backfill): the pass's files are one import. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "importcheck_impl.h"
#include "inbox_impl.h"
#include "vigie/fileio.h"
#include "vigie/importcheck.h"
#include "vigie/log.h"
#include "vigie/text.h"
#include "vigie/xalloc.h"

char *inbox_path(const char *a, const char *b, const char *c)
{
	return c ? xasprintf("%s/%s/%s", a, b, c) : xasprintf("%s/%s", a, b);
}

int inbox_write_beside(const char *dir, const char *name, const char *suffix,
    const char *text)
{
	char *base = xasprintf("%s.%s", name, suffix);
	char *path = inbox_path(dir, base, NULL), *shown = text_escape(base);
	int rc = write_file_atomic(path, text, strlen(text), 0640);

	if (rc != 0)
		log_err("cannot write %s in %s: %s", shown, dir, strerror(errno));
	free(shown);
	free(path);
	free(base);
	return rc;
}

void inbox_pending_add(struct pending *p, const struct diags *d)
{
	char *t, *was = p->text;

	if (!d->n && !d->more)
		return;
	t = diags_to_string(d, CSV_MAX_ERRORS);
	p->text = xasprintf("%s%s", was ? was : "", t);
	free(was);
	free(t);
	if (!p->n && d->n) {
		p->line = d->v[0].line;
		p->col = d->v[0].col;
	}
	p->n += d->n + d->more;
}

int inbox_told(struct store *st, const struct inbox_warned *w)
{
	return store_import_told(st, w->log_id, w->logged);
}

/* Clears p's mark, recording w as its warnings; the error logged. */
static int told(struct ctx *c, const struct pending *p, const struct diags *w)
{
	if (store_import_told(c->st, p->log_id, w) == 0)
		return 0;
	log_err("%s: cannot record its warnings as told: %s", p->shown,
	    store_errmsg(c->st));
	return -1;
}

/* Writes p's warnings beside the file in processed/, says them in the
 * journal and tells the caller, which clears their mark with its notice
 * (inbox_told). 0, or -1 (they stay marked: told at the next pass). */
static int warned_file(struct ctx *c, const struct pending *p)
{
	char *procdir = inbox_path(c->cfg->dir, "processed", NULL), *shown = NULL;
	struct inbox_warned w = { .name = p->shown, .nwarnings = p->n,
		.line = p->line, .col = p->col, .log_id = p->log_id,
		.logged = &p->logged };
	int rc;

	if (p->final && inbox_write_beside(procdir, p->final, "warnings.txt",
	    p->text) == 0) {
		char *path = xasprintf("%s/%s.warnings.txt", procdir, p->final);
		w.path = shown = text_escape(path);
		free(path);
	}
	/* The journal says how many, not what: a warning names a unit and
	 * what is odd in its figures (a part above its whole, a team under
	 * the anonymity floor), which is HR's to read, not the operators'
	 * (SPEC 3: logs). */
	log_warnx("%s: imported with %zu warning%s, the first at line %d, column "
	    "%d; they are %s%s", p->shown, p->n, p->n == 1 ? "" : "s", p->line,
	    p->col, w.path ? "in " : "on the console's import page", w.path ? w.path : "");
	/* A history sent a month at a time is the importer's to hear of (the
	 * console's import log): told to ops, it was one email per month of
	 * a trickle, about months already evaluated. */
	rc = c->cfg->warned && p->n > p->backfill ? c->cfg->warned(c->cfg->arg, &w) :
	    told(c, p, &p->logged);
	free(shown);
	free(procdir);
	return rc;
}

/* A row of the import log whose warnings a daemon killed before the end
 * of its pass did not tell, as a pending file of this pass. */
static void from_row(struct pending *p, struct store_import_row *x)
{
	struct diags t = { .kind = "warning" };

	*p = (struct pending){ .shown = text_escape(x->source),
	    .final = *x->untold ? xstrdup(x->untold) : NULL, .n = (size_t)x->nwarnings,
	    .logged = x->warnings, .log_id = x->id };
	x->warnings = (struct diags){ 0 };
	for (size_t i = 0; i < p->logged.n; i++)
		diags_add(&t, p->shown, p->logged.v[i].line, p->logged.v[i].col,
		    "%s", p->logged.v[i].msg);
	t.more = p->logged.more;
	p->text = diags_to_string(&t, CSV_MAX_ERRORS);
	if (t.n) {
		p->line = t.v[0].line;
		p->col = t.v[0].col;
	}
	diags_free(&t);
}

static void pending_free(struct pending *p)
{
	diags_free(&p->logged);
	import_batch_free(&p->b);
	free(p->shown);
	free(p->final);
	free(p->text);
}

/* Tells p: its warnings, or, when a later file of the pass brought what
 * they said was missing, none (the import log's are cleared). */
static int tell_one(struct ctx *c, struct pending *p)
{
	if (p->b.nrecs) {
		struct diags hc = { .also = &p->logged };

		import_check_values(c->st, p->shown, &p->b, NULL, 0, NULL, &hc);
		inbox_pending_add(p, &hc);
		diags_free(&hc);
	}
	return p->n ? warned_file(c, p) : told(c, p, &p->logged);
}

void inbox_tell(struct ctx *c)
{
	struct store_import_row *v = NULL;
	size_t n = 0;

	if (c->top < c->npend) {
		/* The pass moved the latest period to one long ended: said
		 * of the file that brought it, the others of the pass being
		 * one import with it. */
		struct pending *p = &c->pend[c->top];
		struct diags bf = { .also = &p->logged };
		enum granularity g = store_granularity(c->st);

		p->backfill = importcheck_backfill_at(p->shown, g, c->top_period,
		    c->top_at, c->backfill_from, period_current(g,
		    c->now_ns / 1000000000LL), &bf);
		inbox_pending_add(p, &bf);
		diags_free(&bf);
	}
	for (size_t i = 0; i < c->npend; i++)
		if (tell_one(c, &c->pend[i]) != 0)
			log_err("%s: its warnings are told again at the next cycle",
			    c->pend[i].shown);
	/* Those of a pass that did not end (a daemon killed, the machine
	 * stopped), but not those just tried. */
	if (store_import_untold_rows(c->st, &v, &n) != 0)
		log_err("cannot read the import log: %s", store_errmsg(c->st));
	for (size_t i = 0; i < n; i++) {
		struct pending p;
		bool mine = false;

		for (size_t k = 0; k < c->npend && !mine; k++)
			mine = c->pend[k].log_id == v[i].id;
		if (mine)
			continue;
		from_row(&p, &v[i]);
		log_info("%s: its warnings were not told when it was imported (the "
		    "daemon stopped before the end of that pass): told now", p.shown);
		if ((p.n ? warned_file(c, &p) : told(c, &p, &p.logged)) != 0)
			log_err("%s: its warnings are told again at the next cycle",
			    p.shown);
		pending_free(&p);
	}
	store_import_rows_free(v, n);
	for (size_t i = 0; i < c->npend; i++)
		pending_free(&c->pend[i]);
	free(c->pend);
	c->pend = NULL;
	c->npend = 0;
}
