/* A YAML document tree with positions, built from libyaml's event parser.
 * Configuration and rule validators walk it and report FILE:LINE:COLUMN.
 * Columns count characters (as libyaml and editors do), 1-based. Aliases
 * point at the anchored node (no copy); every alias adds the anchored
 * subtree's expanded size to a budget, so a "billion laughs" document is
 * refused after a few thousand events instead of exploding. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>
#include "vigie/yaml.h"
#include "vigie/xalloc.h"

#define YAML_MAX_DEPTH 64
#define YAML_MAX_EXPANDED 200000	/* nodes, aliases expanded */

struct anchor {
	char *name;
	struct ynode *node;
};

struct builder {
	struct ydoc *doc;
	struct diags *d;
	struct ynode *stack[YAML_MAX_DEPTH + 1];
	char *stack_anchor[YAML_MAX_DEPTH + 1];
	bool pending_key[YAML_MAX_DEPTH + 1];	/* a mapping waits for a value */
	int depth;
	struct anchor *anchors;
	size_t nanchors, capanchors;
	size_t expanded;
	size_t *line_start;	/* byte offset of each line */
	size_t nlines;
	size_t dupes;		/* duplicate keys: errors that leave a whole
				 * document (the first value kept), so that
				 * the rest of the file is checked too */
	bool dup_key[YAML_MAX_DEPTH + 1];	/* the pending key is one: its
						 * value stays out of the map */
	const struct ynode *last;	/* the latest scalar: a quoted text that
					 * ends where the parser fails is why */
};

static struct ynode *node_new(struct ydoc *doc, enum ynode_type t,
    const yaml_mark_t *m)
{
	struct ynode *n = calloc(1, sizeof(*n));

	if (!n)
		xalloc_die();
	n->type = t;
	n->line = (int)m->line + 1;
	n->col = (int)m->column + 1;
	n->weight = 1;
	if (doc->nall == doc->capall) {
		doc->capall = doc->capall ? doc->capall * 2 : 64;
		doc->all = xrealloc(doc->all, doc->capall * sizeof(*doc->all));
	}
	doc->all[doc->nall++] = n;
	return n;
}

static void index_lines(struct builder *b)
{
	const char *s = b->doc->buf;
	size_t cap = 64;

	b->line_start = xrealloc(NULL, cap * sizeof(size_t));
	b->line_start[0] = 0;
	b->nlines = 1;
	for (size_t i = 0; i < b->doc->len; i++) {
		if (s[i] != '\n')
			continue;
		if (b->nlines == cap) {
			cap *= 2;
			b->line_start = xrealloc(b->line_start, cap * sizeof(size_t));
		}
		b->line_start[b->nlines++] = i + 1;
	}
}

/* Byte offset of a libyaml mark (line, character column). */
static size_t mark_offset(const struct builder *b, const yaml_mark_t *m)
{
	size_t off, col = m->column;
	const unsigned char *s = (const unsigned char *)b->doc->buf;

	if (m->line >= b->nlines)
		return b->doc->len;
	off = b->line_start[m->line];
	if (m->line == 0 && b->doc->len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
		off = 3;
	while (col > 0 && off < b->doc->len && s[off] != '\n') {
		off++;
		while (off < b->doc->len && (s[off] & 0xC0) == 0x80)
			off++;
		col--;
	}
	return off;
}

static struct srcpos pos_at(const struct ydoc *doc, size_t off);

static void add_child(struct builder *b, struct ynode *child)
{
	struct ynode *parent = b->depth ? b->stack[b->depth - 1] : NULL;

	if (!parent) {
		b->doc->root = child;
		return;
	}
	parent->weight += child->weight;
	if (parent->type == Y_SEQ) {
		parent->items = xrealloc(parent->items, (parent->n + 1) * sizeof(*parent->items));
		parent->items[parent->n++] = child;
		return;
	}
	/* A mapping: keys and values alternate; a pending key sits in keys[n]. */
	if (b->pending_key[b->depth - 1]) {
		b->pending_key[b->depth - 1] = false;
		if (b->dup_key[b->depth - 1]) {
			b->dup_key[b->depth - 1] = false;
			return;	/* a duplicate's: the first is the map's */
		}
		parent->vals[parent->n++] = child;
		return;
	}
	b->pending_key[b->depth - 1] = true;
	parent->keys = xrealloc(parent->keys, (parent->n + 2) * sizeof(*parent->keys));
	parent->vals = xrealloc(parent->vals, (parent->n + 2) * sizeof(*parent->vals));
	parent->keys[parent->n] = child;
	parent->vals[parent->n] = NULL;
	if (child->type != Y_SCALAR) {
		yaml_mark_t m = { 0, (size_t)child->line - 1, (size_t)child->col - 1 };
		size_t at = mark_offset(b, &m), n;
		int col = child->col;
		const char *t;

		while (at > 0 && at <= b->doc->len && b->doc->buf[at - 1] == '{')
			at--, col--;	/* the key is the inner mapping of {{ */
		t = b->doc->buf + at;

		/* A text that begins with a placeholder, unquoted: "{" opens a
		 * YAML mapping ({{value}} a mapping in a mapping). */
		if (child->type == Y_MAP && at < b->doc->len && *t == '{' &&
		    (n = strcspn(t, "\r\n")) < 60 && !memchr(t, '"', n))
			diags_add(b->d, b->doc->file, child->line, col, "a text that "
			    "starts with \"{\" must be quoted: write \"%.*s\"; unquoted, "
			    "\"{\" starts a YAML mapping", (int)n, t);
		else if (child->type == Y_MAP && at < b->doc->len && *t == '{')
			diags_add(b->d, b->doc->file, child->line, col, "a text that "
			    "starts with \"{\" must be quoted, as in summary: \"{{value}} "
			    "...\"; unquoted, \"{\" starts a YAML mapping");
		else
			diags_add(b->d, b->doc->file, child->line, child->col,
			    "mapping keys must be plain strings");
		return;
	}
	for (size_t i = 0; i < parent->n; i++) {
		if (parent->keys[i]->len == child->len &&
		    !memcmp(parent->keys[i]->str, child->str, child->len)) {
			diags_add(b->d, b->doc->file, child->line, child->col,
			    "duplicate key \"%s\" (first at line %d)", child->str,
			    parent->keys[i]->line);
			b->dupes++;
			b->dup_key[b->depth - 1] = true;
			return;
		}
	}
}

static void remember_anchor(struct builder *b, const yaml_char_t *name,
    struct ynode *n)
{
	if (!name)
		return;
	if (b->nanchors == b->capanchors) {
		b->capanchors = b->capanchors ? b->capanchors * 2 : 8;
		b->anchors = xrealloc(b->anchors, b->capanchors * sizeof(*b->anchors));
	}
	b->anchors[b->nanchors].name = strdup((const char *)name);
	if (!b->anchors[b->nanchors].name)
		xalloc_die();
	b->anchors[b->nanchors++].node = n;
}

static struct ynode *find_anchor(struct builder *b, const char *name)
{
	/* The latest definition wins, as YAML says. */
	for (size_t i = b->nanchors; i-- > 0; )
		if (!strcmp(b->anchors[i].name, name))
			return b->anchors[i].node;
	return NULL;
}

static enum yscalar_style style_of(yaml_scalar_style_t s)
{
	switch (s) {
	case YAML_SINGLE_QUOTED_SCALAR_STYLE: return YS_SINGLE;
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return YS_DOUBLE;
	case YAML_LITERAL_SCALAR_STYLE: return YS_LITERAL;
	case YAML_FOLDED_SCALAR_STYLE: return YS_FOLDED;
	default: return YS_PLAIN;
	}
}

/* Returns 0 to go on, -1 to stop (an error was added). */
static int on_event(struct builder *b, yaml_event_t *ev)
{
	struct ynode *n;

	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		n = node_new(b->doc, Y_SCALAR, &ev->start_mark);
		n->len = ev->data.scalar.length;
		n->str = xrealloc(NULL, n->len + 1);
		memcpy(n->str, ev->data.scalar.value, n->len);
		n->str[n->len] = '\0';
		n->style = style_of(ev->data.scalar.style);
		n->start = mark_offset(b, &ev->start_mark);
		n->end = mark_offset(b, &ev->end_mark);
		remember_anchor(b, ev->data.scalar.anchor, n);
		add_child(b, n);
		b->last = n;
		break;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (b->depth >= YAML_MAX_DEPTH) {
			diags_add(b->d, b->doc->file, (int)ev->start_mark.line + 1,
			    (int)ev->start_mark.column + 1,
			    "nesting deeper than %d levels", YAML_MAX_DEPTH);
			return -1;
		}
		n = node_new(b->doc, ev->type == YAML_SEQUENCE_START_EVENT ? Y_SEQ : Y_MAP,
		    &ev->start_mark);
		b->stack[b->depth] = n;
		b->stack_anchor[b->depth] = NULL;
		b->pending_key[b->depth] = false;
		{
			const yaml_char_t *a = ev->type == YAML_SEQUENCE_START_EVENT ?
			    ev->data.sequence_start.anchor : ev->data.mapping_start.anchor;
			if (a) {
				b->stack_anchor[b->depth] = strdup((const char *)a);
				if (!b->stack_anchor[b->depth])
					xalloc_die();
			}
		}
		b->depth++;
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		n = b->stack[--b->depth];
		if (b->stack_anchor[b->depth]) {
			remember_anchor(b, (yaml_char_t *)b->stack_anchor[b->depth], n);
			free(b->stack_anchor[b->depth]);
			b->stack_anchor[b->depth] = NULL;
		}
		add_child(b, n);
		break;
	case YAML_ALIAS_EVENT:
		n = find_anchor(b, (const char *)ev->data.alias.anchor);
		if (!n) {
			diags_add(b->d, b->doc->file, (int)ev->start_mark.line + 1,
			    (int)ev->start_mark.column + 1,
			    "alias \"*%s\" names no anchor defined before it",
			    (const char *)ev->data.alias.anchor);
			return -1;
		}
		b->expanded += n->weight;
		if (b->expanded > YAML_MAX_EXPANDED) {
			diags_add(b->d, b->doc->file, (int)ev->start_mark.line + 1,
			    (int)ev->start_mark.column + 1,
			    "aliases expand to more than %d nodes; refusing the document "
			    "(an alias bomb?)", YAML_MAX_EXPANDED);
			return -1;
		}
		add_child(b, n);
		break;
	case YAML_DOCUMENT_START_EVENT:
		if (b->doc->root) {
			diags_add(b->d, b->doc->file, (int)ev->start_mark.line + 1,
			    (int)ev->start_mark.column + 1,
			    "only one YAML document is allowed per file");
			return -1;
		}
		break;
	default:
		break;
	}
	return 0;
}

/* The start of the line that holds byte at. */
static size_t line_start_of(const struct ydoc *doc, size_t at)
{
	size_t start = at < doc->len ? at : doc->len;

	while (start > 0 && doc->buf[start - 1] != '\n')
		start--;
	return start;
}

/* A scope glob written bare, as scope: ** or a path of stars: an unquoted
 * value that starts with "*" is a YAML alias (a reference to an anchor
 * &name), which a glob is not. */
static bool alias_hint(const struct builder *b, const yaml_parser_t *p,
    char *buf, size_t size)
{
	size_t at, n;

	if (!p->context || strcmp(p->context, "while scanning an alias"))
		return false;
	at = mark_offset(b, &p->context_mark);
	if (at >= b->doc->len || b->doc->buf[at] != '*')
		return false;
	n = strcspn(b->doc->buf + at, " \t\r\n,]}\"'\\");
	if (n > 40)
		snprintf(buf, size, " (a value that starts with \"*\" must be "
		    "quoted, as in scope: \"*/*/*\"; unquoted, \"*\" starts a YAML "
		    "alias)");
	else
		snprintf(buf, size, " (a value that starts with \"*\" must be "
		    "quoted: write \"%.*s\"; unquoted, \"*\" starts a YAML alias)",
		    (int)n, b->doc->buf + at);
	return true;
}

/* French typography puts a space before a colon ("Absences courtes :
 * doublement"): in a plain value, that ": " reads as a second key on the
 * line. The hint quotes the value back in double quotes when it is short
 * and holds no quote of its own. */
static bool colon_hint(const struct builder *b, const yaml_parser_t *p,
    size_t at, char *buf, size_t size)
{
	const char *s = b->doc->buf;
	size_t k = line_start_of(b->doc, at), c, v, end;

	if (!p->problem || !strstr(p->problem, "mapping values are not allowed") ||
	    at >= b->doc->len || s[at] != ':')
		return false;
	k += strspn(s + k, " ");
	if (s[k] == '-' && s[k + 1] == ' ')
		k += 2 + strspn(s + k + 2, " ");
	for (c = k; c < at && !(s[c] == ':' && s[c + 1] == ' '); c++)
		;
	if (c == at)
		return false;	/* the key's own colon: not inside a value */
	v = c + 1 + strspn(s + c + 1, " ");
	for (end = v; s[end] && s[end] != '\n' && s[end] != '\r' &&
	    !(s[end] == '#' && s[end - 1] == ' '); end++)
		;
	while (end > v && s[end - 1] == ' ')
		end--;
	if (c - k > 40 || end - v > 60 || memchr(s + v, '"', end - v) ||
	    memchr(s + v, '\\', end - v))
		snprintf(buf, size, " (a text with \": \" in it must be put in "
		    "double quotes, as in title: \"Absences courtes : doublement\")");
	else
		snprintf(buf, size, " (a text with \": \" in it must be put in "
		    "double quotes: %.*s: \"%.*s\")", (int)(c - k), s + k,
		    (int)(end - v), s + v);
	return true;
}

/* What to write for a quote inside a text in double quotes: \" , or the
 * French quotes, which YAML takes as any letter. Not single quotes: French
 * texts have apostrophes (l', d', qu'), which end a text in single quotes. */
#define DQ_INSIDE "for a quote inside the text, write \\\" or use « », which " \
	"need no backslash"

/* Inside single quotes an apostrophe is written twice: word is the user's
 * own (l''équipe) when the text around the apostrophe is short. */
static void sq_inside(char *buf, size_t size, const char *before, int nb,
    const char *after, int na)
{
	if (nb > 0 && na > 0 && nb + na < 40)
		snprintf(buf, size, "inside single quotes, write an apostrophe "
		    "twice (%.*s''%.*s), or put the text in double quotes", nb,
		    before, na, after);
	else
		snprintf(buf, size, "inside single quotes, write an apostrophe "
		    "twice (l''équipe), or put the text in double quotes");
}

/* A quote too many or one missing: the text in quotes ends at a quote
 * inside it ("soit "deux fois" plus", 'de l'équipe'), or runs on to the
 * next quote in the file, lines below, where the parser fails; or to the
 * end of the file. Either way the place to fix is where the quote opened. */
static bool quote_hint(const struct builder *b, const yaml_parser_t *p,
    size_t at, char *buf, size_t size)
{
	const struct ynode *q = b->last;
	const char *s = b->doc->buf;
	struct srcpos end;
	char how[200];

	if (p->context && !strcmp(p->context, "while scanning a quoted scalar")) {
		bool dq = s[mark_offset(b, &p->context_mark)] == '"';

		if (!dq)
			sq_inside(how, sizeof(how), NULL, 0, NULL, 0);
		snprintf(buf, size, " (the %s quote at line %d, column %d is never "
		    "closed: close it at the end of its text; %s)", dq ? "double" :
		    "single", (int)p->context_mark.line + 1,
		    (int)p->context_mark.column + 1, dq ? DQ_INSIDE : how);
		return true;
	}
	if (!q || (q->style != YS_DOUBLE && q->style != YS_SINGLE) ||
	    q->end > at || q->end + strspn(s + q->end, " \t") != at)
		return false;
	end = pos_at(b->doc, q->end - 1);
	if (q->style == YS_DOUBLE)
		snprintf(how, sizeof(how), DQ_INSIDE);
	else {
		/* The word around the apostrophe: l' before it, équipe after. */
		size_t a = q->end - 1, w = a, n;

		while (w > q->start + 1 && !strchr(" \t\n'", s[w - 1]))
			w--;
		n = strcspn(s + q->end, " \t\r\n'\",}]#");
		sq_inside(how, sizeof(how), s + w, (int)(a - w), s + q->end, (int)n);
	}
	if (end.line == q->line)
		snprintf(buf, size, " (the text in %s quotes at line %d, column %d "
		    "ends at the %s at column %d: %s)", q->style == YS_DOUBLE ?
		    "double" : "single", q->line, q->col, q->style == YS_DOUBLE ?
		    "quote" : "apostrophe", end.col, how);
	else
		snprintf(buf, size, " (the %s quote at line %d, column %d is not "
		    "closed on its line, so the text runs on to the %s at line %d, "
		    "column %d: close it on line %d; %s)", q->style == YS_DOUBLE ?
		    "double" : "single", q->line, q->col, q->style == YS_DOUBLE ?
		    "quote" : "apostrophe", end.line, end.col, q->line, how);
	return true;
}

/* What libyaml's words mean for someone who edits a rule file by hand: a
 * tab, a quote missing or one too many, an indentation that breaks the
 * structure. at: the problem's byte offset; buf holds the hint when it
 * names a place or quotes the text. */
static const char *yaml_hint(const struct builder *b, const yaml_parser_t *p,
    size_t at, char *buf, size_t size)
{
	const struct ydoc *doc = b->doc;

	/* A byte that is not UTF-8: an accent of a file saved as Windows'
	 * "ANSI" (Windows-1252, Latin-1), Notepad's choice before 2019. */
	if (p->error == YAML_READER_ERROR && p->problem &&
	    strstr(p->problem, "UTF-8"))
		return " (the file is not UTF-8: it was saved in another encoding, "
		    "as Windows' \"ANSI\"; save it again as UTF-8, in Notepad with "
		    "File > Save As > Encoding: UTF-8)";
	for (size_t i = line_start_of(doc, at); i < doc->len &&
	    (doc->buf[i] == ' ' || doc->buf[i] == '\t'); i++)
		if (doc->buf[i] == '\t')
			return " (a tab: YAML indents with spaces only)";
	if (at < doc->len && doc->buf[at] == '\t')
		return " (a tab: YAML indents with spaces only)";
	if (alias_hint(b, p, buf, size) || quote_hint(b, p, at, buf, size) ||
	    colon_hint(b, p, at, buf, size))
		return buf;
	if (p->problem && (strstr(p->problem, "did not find expected") ||
	    strstr(p->problem, "mapping values are not allowed")))
		return " (check the indentation here: keys of the same level start "
		    "in the same column, and each item of a list starts with \"- \" "
		    "in the same column)";
	return "";
}

/* Where a reader error is. libyaml names the byte after an accent that is
 * not UTF-8 ("invalid trailing UTF-8 octet": the é of Latin-1 announces a
 * sequence the next letter does not continue); the letter is the é. */
static size_t reader_offset(const yaml_parser_t *p, const struct ydoc *doc)
{
	const unsigned char *s = (const unsigned char *)doc->buf;
	size_t off = p->problem_offset < doc->len ? p->problem_offset : doc->len;

	if (!p->problem || !strstr(p->problem, "trailing UTF-8"))
		return off;
	while (off > 0 && (s[off - 1] & 0xC0) == 0x80)
		off--;
	return off > 0 && s[off - 1] >= 0xC0 ? off - 1 : p->problem_offset;
}

struct ydoc *ydoc_parse(const char *file, const char *buf, size_t len,
    struct diags *d)
{
	struct ydoc *doc;
	struct builder b = { 0 };
	yaml_parser_t parser;
	yaml_event_t ev;
	size_t nerr = d->n;
	int done = 0;

	if (len > YAML_MAX_BYTES) {
		diags_add(d, file, 0, 0, "file is larger than %u bytes; refusing it",
		    YAML_MAX_BYTES);
		return NULL;
	}
	doc = calloc(1, sizeof(*doc));
	if (!doc)
		xalloc_die();
	doc->file = strdup(file);
	doc->buf = xrealloc(NULL, len + 1);
	memcpy(doc->buf, buf, len);
	doc->buf[len] = '\0';
	doc->len = len;
	b.doc = doc;
	b.d = d;
	index_lines(&b);

	if (!yaml_parser_initialize(&parser))
		xalloc_die();
	yaml_parser_set_input_string(&parser, (const unsigned char *)doc->buf, len);
	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			const yaml_mark_t *m = parser.problem ? &parser.problem_mark
			    : &parser.mark;
			struct srcpos p = { (int)m->line + 1, (int)m->column + 1 };
			char hint[400];
			/* The reader (bad UTF-8, a control character) gives a byte
			 * offset, not a mark. */
			if (parser.error == YAML_READER_ERROR)
				p = pos_at(doc, reader_offset(&parser, doc));
			diags_add(d, file, p.line, p.col,
			    "invalid YAML: %s%s%s%s", parser.problem ? parser.problem
			    : "syntax error", parser.context ? " " : "",
			    parser.context ? parser.context : "",
			    yaml_hint(&b, &parser, mark_offset(&b, m), hint,
			    sizeof(hint)));
			break;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		int r = on_event(&b, &ev);
		yaml_event_delete(&ev);
		if (r < 0)
			break;
	}
	yaml_parser_delete(&parser);
	for (int i = 0; i < b.depth; i++)
		free(b.stack_anchor[i]);
	for (size_t i = 0; i < b.nanchors; i++)
		free(b.anchors[i].name);
	free(b.anchors);
	free(b.line_start);
	if (d->n - b.dupes > nerr) {
		ydoc_free(doc);
		return NULL;
	}
	return doc;
}

char *ydoc_read(const char *file, size_t *len, struct diags *d)
{
	/* Not blocking in open(); a file, or a pipe or a device named on
	 * purpose (-c <(...), /dev/stdin), read up to the bound. A folder's
	 * entries are regular files only (ruleset.c). */
	int fd = open(file, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	struct stat sb;
	char *buf;
	size_t n = 0;

	if (fd < 0) {
		diags_add(d, file, 0, 0, "cannot open: %s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &sb) != 0 || !(S_ISREG(sb.st_mode) || S_ISFIFO(sb.st_mode) ||
	    S_ISCHR(sb.st_mode))) {
		diags_add(d, file, 0, 0, "cannot read: not a file");
		close(fd);
		return NULL;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	buf = xrealloc(NULL, YAML_MAX_BYTES + 2);
	/* One byte past the limit: ydoc_parse refuses what is larger. */
	while (n < YAML_MAX_BYTES + 1) {
		ssize_t r = read(fd, buf + n, YAML_MAX_BYTES + 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			diags_add(d, file, 0, 0, "cannot read: %s", strerror(errno));
			close(fd);
			free(buf);
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	*len = n;
	return buf;
}

struct ydoc *ydoc_load(const char *file, struct diags *d)
{
	size_t n;
	char *buf = ydoc_read(file, &n, d);
	struct ydoc *doc;

	if (!buf)
		return NULL;
	doc = ydoc_parse(file, buf, n, d);
	free(buf);
	return doc;
}

void ydoc_free(struct ydoc *doc)
{
	if (!doc)
		return;
	for (size_t i = 0; i < doc->nall; i++) {
		free(doc->all[i]->str);
		free(doc->all[i]->items);
		free(doc->all[i]->keys);
		free(doc->all[i]->vals);
		free(doc->all[i]);
	}
	free(doc->all);
	free(doc->buf);
	free(doc->file);
	free(doc);
}

/* Line and character column (1-based) of a byte offset. */
static struct srcpos pos_at(const struct ydoc *doc, size_t off)
{
	struct srcpos p = { 1, 1 };
	size_t ls = 0;
	const unsigned char *s = (const unsigned char *)doc->buf;

	for (size_t i = 0; i < off && i < doc->len; i++) {
		if (s[i] == '\n') {
			p.line++;
			ls = i + 1;
		}
	}
	if (ls == 0 && doc->len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
		ls = 3;
	for (size_t i = ls; i < off && i < doc->len; i++)
		if ((s[i] & 0xC0) != 0x80)
			p.col++;
	return p;
}

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static size_t escape_len(const char *s, size_t avail)
{
	size_t n = 2;

	if (avail < 2)
		return avail;
	switch (s[1]) {
	case 'x': n = 4; break;
	case 'u': n = 6; break;
	case 'U': n = 10; break;
	default: break;
	}
	return n < avail ? n : avail;
}

/* Aligns the scalar's value with its source bytes; returns -1 when the two
 * cannot be matched (then the caller falls back to the node's position). */
static int align(const struct ydoc *doc, const struct ynode *n, size_t *off)
{
	const char *raw = doc->buf;
	size_t r = n->start, end = n->end < doc->len ? n->end : doc->len;
	int escaped_prev = 0;

	/* The node's properties first: an anchor (&a) or a tag (!t, !!str),
	 * each followed by blanks. */
	while (r < end && (raw[r] == '&' || raw[r] == '!')) {
		while (r < end && !is_ws(raw[r]) && raw[r] != '\n')
			r++;
		while (r < end && is_ws(raw[r]))
			r++;
	}
	if (n->style == YS_SINGLE || n->style == YS_DOUBLE)
		r++;
	else if (n->style == YS_LITERAL || n->style == YS_FOLDED) {
		while (r < end && raw[r] != '\n')
			r++;
	}
	for (size_t i = 0; i < n->len; i++) {
		char c = n->str[i];
		if (((unsigned char)c & 0xC0) == 0x80 && escaped_prev) {
			off[i] = off[i - 1];
			continue;
		}
		escaped_prev = 0;
		for (;;) {
			if (r >= end)
				return -1;
			if (n->style == YS_DOUBLE && raw[r] == '\\') {
				if (r + 1 < end && (raw[r + 1] == '\n' || raw[r + 1] == '\r')) {
					r += 2;
					while (r < end && is_ws(raw[r]))
						r++;
					continue;
				}
				off[i] = r;
				r += escape_len(raw + r, end - r);
				escaped_prev = 1;
				break;
			}
			if (n->style == YS_SINGLE && raw[r] == '\'' && r + 1 < end &&
			    raw[r + 1] == '\'' && c == '\'') {
				off[i] = r;
				r += 2;
				break;
			}
			if (raw[r] == c) {
				off[i] = r++;
				break;
			}
			if (is_ws(raw[r])) {
				if (c == ' ' || c == '\n') {
					/* A folded line break: the value has one
					 * space or newline for a run of blanks. */
					off[i] = r;
					while (r < end && is_ws(raw[r]))
						r++;
					break;
				}
				r++;
				continue;
			}
			return -1;
		}
	}
	off[n->len] = r;
	return 0;
}

void ydoc_scalar_positions(const struct ydoc *doc, const struct ynode *n,
    struct srcpos *pos)
{
	size_t *off = xrealloc(NULL, (n->len + 1) * sizeof(*off));

	if (n->type == Y_SCALAR && align(doc, n, off) == 0) {
		/* Offsets only grow: convert in one pass. */
		struct srcpos p = pos_at(doc, off[0]);
		size_t at = off[0];
		const unsigned char *s = (const unsigned char *)doc->buf;
		for (size_t i = 0; i <= n->len; i++) {
			for (; at < off[i]; at++) {
				if (s[at] == '\n') {
					p.line++;
					p.col = 1;
				} else if ((s[at] & 0xC0) != 0x80)
					p.col++;
			}
			pos[i] = p;
		}
	} else {
		for (size_t i = 0; i <= n->len; i++)
			pos[i] = (struct srcpos){ n->line, n->col };
	}
	free(off);
}

const char *ynode_type_name(const struct ynode *n)
{
	if (!n)
		return "nothing";
	switch (n->type) {
	case Y_SEQ: return "a list";
	case Y_MAP: return "a mapping";
	default: return yscalar_is_null(n) ? "empty" : "a string";
	}
}

bool yscalar_is_null(const struct ynode *n)
{
	if (n->type != Y_SCALAR || n->style != YS_PLAIN)
		return false;
	return n->len == 0 || !strcmp(n->str, "~") || !strcmp(n->str, "null") ||
	    !strcmp(n->str, "Null") || !strcmp(n->str, "NULL");
}

int yscalar_bool(const struct ynode *n, bool *out)
{
	static const char *const t[] = { "true", "True", "TRUE" };
	static const char *const f[] = { "false", "False", "FALSE" };

	if (n->type != Y_SCALAR || n->style != YS_PLAIN)
		return -1;
	for (int i = 0; i < 3; i++) {
		if (!strcmp(n->str, t[i])) {
			*out = true;
			return 0;
		}
		if (!strcmp(n->str, f[i])) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

int yscalar_double(const struct ynode *n, double *out)
{
	char *end;
	const char *s = n->str;
	size_t i = 0;

	if (n->type != Y_SCALAR || n->style != YS_PLAIN || n->len == 0)
		return -1;
	/* Decimal numbers only: no hex, inf or nan spellings. */
	if (s[i] == '-' || s[i] == '+')
		i++;
	if (!((s[i] >= '0' && s[i] <= '9') || (s[i] == '.' && s[i + 1] >= '0' && s[i + 1] <= '9')))
		return -1;
	for (; s[i]; i++)
		if (!strchr("0123456789.eE+-", s[i]))
			return -1;
	errno = 0;
	double v = strtod(s, &end);
	if (*end || errno == ERANGE || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

int yscalar_int(const struct ynode *n, long long *out)
{
	char *end;
	const char *s = n->str;

	if (n->type != Y_SCALAR || n->style != YS_PLAIN || n->len == 0)
		return -1;
	for (size_t i = (s[0] == '-' || s[0] == '+'); s[i]; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (*end || errno == ERANGE || end == s)
		return -1;
	*out = v;
	return 0;
}

/* Edits from a to b: insertions, deletions, substitutions, and swaps of
 * two neighbouring letters ("unti" is one from "unit"; the optimal string
 * alignment distance). */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t d[64][64];

	if (la >= 63 || lb >= 63)
		return (size_t)-1;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);

			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[la][lb];
}

const char *closest_word(const char *word, const char *const *cands, size_t n)
{
	/* One edit in a word of up to 4 letters (two would make "foo" a
	 * "top"), two up to 8, a third of it beyond. */
	size_t len = strlen(word), best = (size_t)-1;
	size_t limit = len <= 4 ? 1 : len <= 8 ? 2 : len / 3;
	const char *found = NULL;

	for (size_t i = 0; i < n; i++) {
		size_t dist = edit_distance(word, cands[i]);
		if (dist <= limit && dist < best) {
			best = dist;
			found = cands[i];
		}
	}
	return found;
}

void ykey_unknown(struct diags *d, const char *file, const struct ynode *k,
    const char *const *known, size_t n, const char *hint, const char *where)
{
	const char *key = k->type == Y_SCALAR ? k->str : "?";
	const char *sugg = hint ? hint : closest_word(key, known, n);
	char *list = NULL;
	size_t len = 0;
	FILE *f;

	if (sugg) {
		diags_add(d, file, k->line, k->col, "unknown key \"%s\"%s%s (did you "
		    "mean \"%s\"?)", key, where ? " in " : "", where ? where : "", sugg);
		return;
	}
	if (!(f = open_memstream(&list, &len)))
		xalloc_die();
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? ", " : "", known[i]);
	fclose(f);
	diags_add(d, file, k->line, k->col, "unknown key \"%s\"%s%s (known keys: %s)",
	    key, where ? " in " : "", where ? where : "", list);
	free(list);
}

size_t ymap_check_keys(struct diags *d, const char *file, const struct ynode *m,
    const char *const *known, size_t n, const char *where)
{
	size_t bad = 0;

	for (size_t i = 0; m->type == Y_MAP && i < m->n; i++) {
		const struct ynode *k = m->keys[i];
		size_t j = 0;

		while (j < n && !(k->type == Y_SCALAR && !strcmp(k->str, known[j])))
			j++;
		if (j == n) {
			ykey_unknown(d, file, k, known, n, NULL, where);
			bad++;
		}
	}
	return bad;
}
