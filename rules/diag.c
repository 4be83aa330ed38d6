/* Diagnostics with a place; see include/vigie/diag.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/diag.h"
#include "vigie/msg.h"
#include "vigie/xalloc.h"

void diags_add(struct diags *d, const char *file, int line, int col,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diags_vadd(d, file, line, col, fmt, ap);
	va_end(ap);
}

void diags_add_msg(struct diags *d, const char *file, int line, int col,
    const char *en, ...)
{
	va_list ap;

	for (struct diags *x = d; x; x = x == d ? d->also : NULL) {
		va_start(ap, en);
		diags_vadd(x, file, line, col, msg_tr(x->fr, en), ap);
		va_end(ap);
	}
}

void diags_more(struct diags *d, size_t k)
{
	d->more += k;
	if (d->also)
		d->also->more += k;
}

void diags_vadd(struct diags *d, const char *file, int line, int col,
    const char *fmt, va_list ap)
{
	char *msg = NULL;

	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 8;
		struct diag *v = realloc(d->v, cap * sizeof(*v));
		if (!v)
			xalloc_die();
		d->v = v;
		d->cap = cap;
	}
	if (vasprintf(&msg, fmt, ap) < 0)
		xalloc_die();
	d->v[d->n].file = strdup(file ? file : "-");
	if (!d->v[d->n].file)
		xalloc_die();
	d->v[d->n].line = line;
	d->v[d->n].col = col;
	d->v[d->n].msg = msg;
	d->n++;
}

struct seqdiag {
	struct diag d;
	size_t seq;
};

static int cmp_diag(const void *a, const void *b)
{
	const struct seqdiag *x = a, *y = b;

	if (x->d.line != y->d.line)
		return x->d.line < y->d.line ? -1 : 1;
	if (x->d.col != y->d.col)
		return x->d.col < y->d.col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void diags_sort(struct diags *d, size_t from)
{
	size_t n = from < d->n ? d->n - from : 0;
	struct seqdiag *v;

	if (n < 2)
		return;
	if (!(v = calloc(n, sizeof(*v))))
		xalloc_die();
	for (size_t i = 0; i < n; i++)
		v[i] = (struct seqdiag){ d->v[from + i], i };
	qsort(v, n, sizeof(*v), cmp_diag);
	for (size_t i = 0; i < n; i++)
		d->v[from + i] = v[i].d;
	free(v);
}

static void print_one(FILE *out, const struct diag *g, const char *kind)
{
	if (g->line > 0 && g->col > 0)
		fprintf(out, "%s:%d:%d: %s: %s\n", g->file, g->line, g->col, kind, g->msg);
	else if (g->line > 0)
		fprintf(out, "%s:%d: %s: %s\n", g->file, g->line, kind, g->msg);
	else
		fprintf(out, "%s: %s: %s\n", g->file, kind, g->msg);
}

void diags_print(const struct diags *d, FILE *out, size_t max)
{
	size_t n = max && d->n > max ? max : d->n, rest = d->n - n + d->more;
	const char *kind = d->kind ? d->kind : "error";

	for (size_t i = 0; i < n; i++)
		print_one(out, &d->v[i], kind);
	if (rest && d->n)
		fprintf(out, "%s: %zu more %s%s not shown\n", d->v[n < d->n ? n : 0].file,
		    rest, kind, rest == 1 ? "" : "s");
}

char *diags_to_string(const struct diags *d, size_t max)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		xalloc_die();
	diags_print(d, f, max);
	fclose(f);
	return buf;
}

void diags_free(struct diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].file);
		free(d->v[i].msg);
	}
	free(d->v);
	d->more = 0;
	d->v = NULL;	/* kind is kept: d is reused for the same */
	d->n = d->cap = 0;
}
