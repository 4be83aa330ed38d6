/* Compiler of the expression language (SPEC 6): a tokenizer and a
 * recursive-descent parser that emits the postfix program of expr_impl.h
 * directly, checking function names, arities and integer-literal arguments
 * on the way. It stops at the first error, which it reports at the offending
 * character as FILE:LINE:COL. Recursion only follows parentheses and calls,
 * whose nesting is capped by EXPR_MAX_DEPTH; chains of operators and unary
 * prefixes are loops, so no input can overflow the C stack. */
#include <ctype.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/expr.h"
#include "vigie/xalloc.h"
#include "expr_impl.h"

#define NAME_MAX_BYTES 64	/* SPEC 2: indicator names */

/* ---- functions ---- */

enum argkind {
	A_BODY,		/* evaluated elsewhere: the op's body, or one of its two */
	A_EXPR,		/* an ordinary operand, evaluated in place */
	A_N,		/* integer literal >= 1 */
	A_K,		/* integer literal >= 0 */
	A_YEARS,	/* integer literal 1 .. 10 */
	A_HALF,		/* integer literal 0 .. 5 */
	A_REF,		/* number literal >= 0 */
	A_WEIGHT,	/* number literal > 0 and <= 1 */
};

struct func {
	const char *name;
	uint8_t op;
	uint8_t min, max;
	uint8_t arg[4];
	const char *what[4];	/* names of the literal arguments, for errors */
};

static const struct func funcs[] = {
	{ "sum", OP_SUM, 2, 3, { A_BODY, A_N, A_K }, { NULL, "window size", "offset" } },
	{ "avg", OP_AVG, 2, 3, { A_BODY, A_N, A_K }, { NULL, "window size", "offset" } },
	{ "min", OP_MIN, 2, 3, { A_BODY, A_N, A_K }, { NULL, "window size", "offset" } },
	{ "max", OP_MAX, 2, 3, { A_BODY, A_N, A_K }, { NULL, "window size", "offset" } },
	{ "count", OP_COUNT, 2, 3, { A_BODY, A_N, A_K }, { NULL, "window size", "offset" } },
	{ "stddev", OP_STDDEV, 2, 3, { A_BODY, A_N, A_K }, { NULL, "window size", "offset" } },
	{ "slope", OP_SLOPE, 2, 3, { A_BODY, A_N, A_K }, { NULL, "window size", "offset" } },
	{ "cusum", OP_CUSUM, 3, 3, { A_BODY, A_N, A_REF }, { NULL, "window size", "reference value" } },
	{ "ewma", OP_EWMA, 3, 3, { A_BODY, A_N, A_WEIGHT }, { NULL, "window size", "weight" } },
	{ "lag", OP_LAG, 2, 2, { A_BODY, A_K }, { NULL, "offset" } },
	{ "delta", OP_DELTA, 2, 2, { A_BODY, A_N }, { NULL, "offset" } },
	{ "pct_change", OP_PCT_CHANGE, 2, 2, { A_BODY, A_N }, { NULL, "offset" } },
	{ "zscore", OP_ZSCORE, 2, 2, { A_BODY, A_N }, { NULL, "window size" } },
	{ "rises", OP_RISES, 2, 2, { A_BODY, A_N }, { NULL, "number of periods" } },
	{ "dispersion", OP_DISPERSION, 3, 4, { A_BODY, A_BODY, A_N, A_K },
	    { NULL, NULL, "window size", "offset" } },
	{ "seasonal_expected", OP_SEAS_EXPECTED, 3, 4, { A_BODY, A_BODY, A_YEARS, A_HALF },
	    { NULL, NULL, "number of years", "half-width" } },
	{ "seasonal_dispersion", OP_SEAS_DISPERSION, 3, 4, { A_BODY, A_BODY, A_YEARS, A_HALF },
	    { NULL, NULL, "number of years", "half-width" } },
	{ "abs", OP_ABS, 1, 1, { A_EXPR }, { NULL } },
	{ "sqrt", OP_SQRT, 1, 1, { A_EXPR }, { NULL } },
	{ "normal_tail", OP_NORMAL, 1, 1, { A_EXPR }, { NULL } },
	{ "coalesce", OP_COALESCE, 2, 2, { A_EXPR, A_EXPR }, { NULL } },
	{ "least", OP_LEAST, 2, 2, { A_EXPR, A_EXPR }, { NULL } },
	{ "greatest", OP_GREATEST, 2, 2, { A_EXPR, A_EXPR }, { NULL } },
	{ "parent", OP_PARENT, 1, 1, { A_BODY }, { NULL } },
	{ "peer_avg", OP_PEER_AVG, 1, 1, { A_BODY }, { NULL } },
	{ "top", OP_TOP, 1, 1, { A_BODY }, { NULL } },
	{ "peer_expected", OP_PEER_EXPECTED, 2, 2, { A_BODY, A_BODY }, { NULL } },
	{ "poisson_tail", OP_POISSON, 2, 2, { A_EXPR, A_EXPR }, { NULL } },
	{ "nbinom_tail", OP_NBINOM, 3, 3, { A_EXPR, A_EXPR, A_EXPR }, { NULL } },
	{ "credible_rate", OP_CREDIBLE, 4, 4, { A_EXPR, A_EXPR, A_EXPR, A_EXPR }, { NULL } },
};
#define NFUNCS (sizeof(funcs) / sizeof(funcs[0]))

/* Functions that measure how values spread or move within their window
 * (SPEC 6, 14): one value never gives them anything. */
static bool spread_of_window(uint8_t op)
{
	return op == OP_STDDEV || op == OP_SLOPE || op == OP_ZSCORE ||
	    op == OP_DISPERSION;
}

/* Functions whose count and exposure are both bodies. */
static bool two_bodies(const struct func *f)
{
	return f->max >= 2 && f->arg[0] == A_BODY && f->arg[1] == A_BODY;
}

static const struct func *func_find(const char *s, size_t len)
{
	for (size_t i = 0; i < NFUNCS; i++)
		if (strlen(funcs[i].name) == len && memcmp(funcs[i].name, s, len) == 0)
			return &funcs[i];
	return NULL;
}

/* Names a spreadsheet (in English or French) gives the functions, which
 * edit distance cannot relate to them. NULL: no function does it. */
static const struct { const char *word, *func; } func_aliases[] = {
	{ "average", "avg" }, { "mean", "avg" }, { "moyenne", "avg" },
	{ "moy", "avg" }, { "somme", "sum" }, { "total", "sum" },
	{ "nb", "count" }, { "nombre", "count" }, { "maximum", "max" },
	{ "minimum", "min" }, { "stdev", "stddev" }, { "ecart_type", "stddev" },
	{ "ecartype", "stddev" }, { "racine", "sqrt" }, { "if", NULL },
	{ "si", NULL },
};
#define NALIASES (sizeof(func_aliases) / sizeof(func_aliases[0]))
#define NO_IF "there is no if(): a rule's condition goes under \"when:\""

/* The alias entry of a lower-case word, or NULL. */
static const char *const *func_alias(const char *word)
{
	for (size_t i = 0; i < NALIASES; i++)
		if (!strcmp(func_aliases[i].word, word))
			return &func_aliases[i].func;
	return NULL;
}

/* ---- tokens ---- */

enum tok {
	T_EOF, T_ERR, T_NUM, T_IDENT, T_LP, T_RP, T_COMMA,
	T_PLUS, T_MINUS, T_STAR, T_SLASH,
	T_LT, T_LE, T_GT, T_GE, T_EQ, T_NE,
	T_AND, T_OR, T_NOT,
};

struct token {
	uint8_t kind;
	bool intlit;		/* T_NUM written with digits only */
	uint32_t off, len;
	double num;
};

struct parser {
	const char *src;
	size_t len;
	const char *file;
	const struct srcpos *pos;
	struct names *nm;
	struct diags *d;
	struct diags *w;	/* warnings, or NULL */
	locale_t cloc;		/* numbers are read with '.' whatever the locale */

	struct token *t;
	size_t nt, i;		/* tokens, current */
	uint32_t lexerr_off;	/* the T_ERR token's message, reported when reached */
	char lexerr[200];

	struct op *code;
	size_t ncode, capcode;
	int depth;
	bool hier;
	bool failed;
};

static void report(struct parser *ps, uint32_t off, const char *msg)
{
	int line = 1, col = (int)off + 1;

	if (ps->failed)
		return;
	ps->failed = true;
	if (ps->pos) {
		line = ps->pos[off].line;
		col = ps->pos[off].col;
	}
	diags_add(ps->d, ps->file, line, col, "%s", msg);
}

/* A warning at token ti: the expression is valid but cannot do what its
 * writer meant. */
static void __attribute__((format(printf, 3, 4)))
tokwarn(struct parser *ps, size_t ti, const char *fmt, ...)
{
	uint32_t off = ps->t[ti].off;
	va_list ap;

	if (!ps->w)
		return;
	va_start(ap, fmt);
	diags_vadd(ps->w, ps->file, ps->pos ? ps->pos[off].line : 1,
	    ps->pos ? ps->pos[off].col : (int)off + 1, fmt, ap);
	va_end(ap);
}

/* An error at token ti; when ti is the tokenizer's error token, that error
 * is the one to report, since it is what the reader must fix first. */
static void __attribute__((format(printf, 3, 4)))
tokerr(struct parser *ps, size_t ti, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (ps->t[ti].kind == T_ERR) {
		report(ps, ps->lexerr_off, ps->lexerr);
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	report(ps, ps->t[ti].off, msg);
}

/* Quoted text of a token for messages, shortened when long. */
static const char *tok_text(const struct parser *ps, size_t ti, char *buf,
    size_t size)
{
	const struct token *t = &ps->t[ti];

	if (t->kind == T_EOF)
		snprintf(buf, size, "the end of the expression");
	else if (t->len > 40)
		snprintf(buf, size, "\"%.*s...\"", 40, ps->src + t->off);
	else
		snprintf(buf, size, "\"%.*s\"", (int)t->len, ps->src + t->off);
	return buf;
}

static void lexerr(struct parser *ps, uint32_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void lexerr(struct parser *ps, uint32_t off, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ps->lexerr, sizeof(ps->lexerr), fmt, ap);
	va_end(ap);
	ps->lexerr_off = off;
	ps->t[ps->nt++] = (struct token){ .kind = T_ERR, .off = off, .len = 1 };
}

static bool is_word(int c)
{
	return isascii(c) && (isalnum(c) || c == '_');
}

/* Describes an unknown byte: itself when printable, the whole UTF-8
 * sequence it starts when valid, \xNN otherwise. */
static void describe_char(const struct parser *ps, size_t i, char *buf,
    size_t size)
{
	unsigned char c = (unsigned char)ps->src[i];
	size_t n = c >= 0xf0 && c < 0xf8 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 1;

	if (c >= 0x20 && c < 0x7f) {
		snprintf(buf, size, "%c", c);
		return;
	}
	if (n > 1 && i + n <= ps->len) {
		bool ok = true;
		for (size_t j = 1; j < n; j++)
			if (((unsigned char)ps->src[i + j] & 0xc0) != 0x80)
				ok = false;
		if (ok) {
			snprintf(buf, size, "%.*s", (int)n, ps->src + i);
			return;
		}
	}
	snprintf(buf, size, "\\x%02x", c);
}

static void lex_number(struct parser *ps, size_t *ip)
{
	const char *s = ps->src;
	size_t i = *ip, start = i, len = ps->len;
	bool intlit = true, bad = s[i] == '.';
	char *copy;
	double v;

	while (i < len && isdigit((unsigned char)s[i]))
		i++;
	if (i < len && s[i] == '.') {
		intlit = false;
		i++;
		if (i == len || !isdigit((unsigned char)s[i]))
			bad = true;
		while (i < len && isdigit((unsigned char)s[i]))
			i++;
	}
	if (!bad && i < len && (s[i] == 'e' || s[i] == 'E')) {
		size_t j = i + 1;
		if (j < len && (s[j] == '+' || s[j] == '-'))
			j++;
		if (j < len && isdigit((unsigned char)s[j])) {
			intlit = false;
			i = j;
			while (i < len && isdigit((unsigned char)s[i]))
				i++;
		}
	}
	if (bad || (i < len && (is_word(s[i]) || s[i] == '.'))) {
		while (i < len && (is_word(s[i]) || s[i] == '.'))
			i++;
		if (s[start] == '.')
			lexerr(ps, (uint32_t)start, "malformed number \"%.*s\" (write a "
			    "digit before the point: \"0%.*s\")", (int)(i - start),
			    s + start, (int)(i - start), s + start);
		else
			lexerr(ps, (uint32_t)start, "malformed number \"%.*s\"",
			    (int)(i - start > 40 ? 40 : i - start), s + start);
		*ip = len;
		return;
	}
	copy = strndup(s + start, i - start);
	if (!copy)
		xalloc_die();
	v = strtod_l(copy, NULL, ps->cloc);
	free(copy);
	if (!isfinite(v)) {
		lexerr(ps, (uint32_t)start, "number \"%.*s\" is too large",
		    (int)(i - start > 40 ? 40 : i - start), s + start);
		*ip = len;
		return;
	}
	ps->t[ps->nt++] = (struct token){ .kind = T_NUM, .intlit = intlit,
	    .off = (uint32_t)start, .len = (uint32_t)(i - start), .num = v };
	*ip = i;
}

/* The signs of a word processor or a maths lesson, for the operators an
 * expression spells in ASCII. Returns the hint, or "". */
static const char *lookalike(const char *what)
{
	static const struct { const char *sign, *hint; } signs[] = {
		{ "≥", " (write \">=\")" },
		{ "≤", " (write \"<=\")" },
		{ "≠", " (write \"!=\")" },
	};

	for (size_t i = 0; i < sizeof(signs) / sizeof(signs[0]); i++)
		if (!strcmp(what, signs[i].sign))
			return signs[i].hint;
	return "";
}

/* A word with an upper-case letter or a leading underscore: say what the
 * lower-case spelling would have been. */
static void lex_bad_word(struct parser *ps, size_t start, size_t end)
{
	const char *s = ps->src + start;
	size_t n = end - start, j = end;
	char low[NAME_MAX_BYTES + 1];

	if (s[0] == '_') {
		lexerr(ps, (uint32_t)start, "indicator names start with a "
		    "lower-case letter: \"%.*s\"", (int)(n > 40 ? 40 : n), s);
		return;
	}
	if (n > NAME_MAX_BYTES) {
		lexerr(ps, (uint32_t)start, "indicator names are lower case and "
		    "at most %d bytes", NAME_MAX_BYTES);
		return;
	}
	for (size_t i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)s[i]);
	low[n] = 0;
	while (j < ps->len && strchr(" \t\r\n\f\v", ps->src[j]))
		j++;
	const char *const *alias = j < ps->len && ps->src[j] == '(' ?
	    func_alias(low) : NULL;

	if (!strcmp(low, "and") || !strcmp(low, "or") || !strcmp(low, "not"))
		lexerr(ps, (uint32_t)start, "operators are lower case: write "
		    "\"%s\" instead of \"%.*s\"", low, (int)n, s);
	else if (!strcmp(low, "et") || !strcmp(low, "ou"))
		lexerr(ps, (uint32_t)start, "unknown operator \"%.*s\" (write "
		    "\"%s\")", (int)n, s, *low == 'e' ? "and" : "or");
	else if (alias && *alias)	/* SOMME(...), as a spreadsheet writes it */
		lexerr(ps, (uint32_t)start, "unknown function \"%.*s\" (did you "
		    "mean \"%s\"?)", (int)n, s, *alias);
	else if (alias)
		lexerr(ps, (uint32_t)start, "unknown function \"%.*s\" (" NO_IF ")",
		    (int)n, s);
	else if (j < ps->len && ps->src[j] == '(' && func_find(low, n))
		lexerr(ps, (uint32_t)start, "function names are lower case: write "
		    "\"%s\" instead of \"%.*s\"", low, (int)n, s);
	else
		lexerr(ps, (uint32_t)start, "indicator names are lower case: "
		    "write \"%s\" instead of \"%.*s\"", low, (int)n, s);
}

static void lex_word(struct parser *ps, size_t *ip)
{
	const char *s = ps->src;
	size_t i = *ip, start = i;
	bool upper = false;
	uint8_t kind = T_IDENT;

	while (i < ps->len && is_word(s[i])) {
		if (isupper((unsigned char)s[i]))
			upper = true;
		i++;
	}
	if (upper || s[start] == '_') {
		lex_bad_word(ps, start, i);
		*ip = ps->len;
		return;
	}
	if (i - start == 3 && !memcmp(s + start, "and", 3))
		kind = T_AND;
	else if (i - start == 2 && !memcmp(s + start, "or", 2))
		kind = T_OR;
	else if (i - start == 3 && !memcmp(s + start, "not", 3))
		kind = T_NOT;
	ps->t[ps->nt++] = (struct token){ .kind = kind, .off = (uint32_t)start,
	    .len = (uint32_t)(i - start) };
	*ip = i;
}

/* The offset of the function name whose "(" is still open among the
 * tokens read so far; false outside a call. */
static bool open_call(const struct parser *ps, uint32_t *name)
{
	size_t depth = 0;

	for (size_t j = ps->nt; j-- > 0; ) {
		if (ps->t[j].kind == T_RP)
			depth++;
		else if (ps->t[j].kind == T_LP && depth > 0)
			depth--;
		else if (ps->t[j].kind == T_LP) {
			if (j == 0 || ps->t[j - 1].kind != T_IDENT)
				return false;
			*name = ps->t[j - 1].off;
			return true;
		}
	}
	return false;
}

/* A spreadsheet separates arguments with ";" (Excel in French:
 * SOMME(A1;A2)). Inside a call, the hint writes that call with ",", when
 * it holds on one short line. */
static void lex_semicolon(struct parser *ps, size_t i)
{
	const char *s = ps->src;
	uint32_t start = 0;
	size_t end = i, depth = 0;
	char call[64];

	if (open_call(ps, &start) && !memchr(s + start, '\n', i - start)) {
		for (; end < ps->len && s[end] != '\n' && s[end] != '#'; end++) {
			if (s[end] == '(')
				depth++;
			else if (s[end] == ')' && depth == 0)
				break;
			else if (s[end] == ')')
				depth--;
		}
	}
	if (end < ps->len && s[end] == ')' && end + 1 - start <= sizeof(call)) {
		size_t n = end + 1 - start;

		for (size_t k = 0; k < n; k++)
			call[k] = s[start + k] == ';' ? ',' : s[start + k];
		lexerr(ps, (uint32_t)i, "unknown character \";\" (arguments are "
		    "separated by \",\": write %.*s)", (int)n, call);
		return;
	}
	lexerr(ps, (uint32_t)i, "unknown character \";\" (arguments are "
	    "separated by \",\", as in sum(x, 3))");
}

/* "15%" or "a / b %": a spreadsheet's percent sign. A number written
 * before it is on one of two scales, and only the writer knows which. */
static void lex_percent(struct parser *ps, size_t i)
{
	const struct token *t = ps->nt ? &ps->t[ps->nt - 1] : NULL;
	size_t gap = t ? i - (t->off + t->len) : 0;

	if (t && t->kind == T_NUM && gap <= 1 && t->len <= 20) {
		lexerr(ps, (uint32_t)i, "unknown character \"%%\" (write numbers "
		    "without %%: %.*s against a percentage such as 100 * a / b or "
		    "pct_change(), %g against a ratio a / b)", (int)t->len,
		    ps->src + t->off, t->num / 100);
		return;
	}
	lexerr(ps, (uint32_t)i, "unknown character \"%%\" (for a percentage, "
	    "write 100 * a / b; or compare the ratio a / b with a fraction: 0.15 "
	    "for 15%%)");
}

/* Splits the whole source into tokens, ending with T_EOF. A bad character
 * ends the list with a T_ERR token (then T_EOF) whose message is reported
 * when the parser gets that far: errors come out in source order. */
static void lex(struct parser *ps)
{
	const char *s = ps->src;
	size_t i = 0, len = ps->len;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		uint8_t kind;
		size_t n = 1;
		char what[16];

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
		    c == '\v') {
			i++;
			continue;
		}
		if (c == '#') {
			while (i < len && s[i] != '\n')
				i++;
			continue;
		}
		if (isdigit(c) || (c == '.' && i + 1 < len &&
		    isdigit((unsigned char)s[i + 1]))) {
			lex_number(ps, &i);
			continue;
		}
		if (isascii(c) && (isalpha(c) || c == '_')) {
			lex_word(ps, &i);
			continue;
		}
		switch (c) {
		case '(': kind = T_LP; break;
		case ')': kind = T_RP; break;
		case ',': kind = T_COMMA; break;
		case '+': kind = T_PLUS; break;
		case '-': kind = T_MINUS; break;
		case '*': kind = T_STAR; break;
		case '/': kind = T_SLASH; break;
		case '<':
			kind = T_LT;
			if (i + 1 < len && s[i + 1] == '=')
				kind = T_LE, n = 2;
			if (i + 1 < len && s[i + 1] == '>') {
				/* a spreadsheet's "not equal" */
				lexerr(ps, (uint32_t)i, "unknown operator \"<>\" (write "
				    "\"!=\" for \"not equal\")");
				i = len;
				continue;
			}
			break;
		case '>':
			kind = T_GT;
			if (i + 1 < len && s[i + 1] == '=')
				kind = T_GE, n = 2;
			break;
		case '=':
			if (i + 1 < len && s[i + 1] == '=') {
				kind = T_EQ, n = 2;
				break;
			}
			lexerr(ps, (uint32_t)i, "unknown operator \"=\" (write \"==\" "
			    "to compare)");
			i = len;
			continue;
		case '!':
			if (i + 1 < len && s[i + 1] == '=') {
				kind = T_NE, n = 2;
				break;
			}
			lexerr(ps, (uint32_t)i, "unknown operator \"!\" (write \"not\", "
			    "or \"!=\" to compare)");
			i = len;
			continue;
		case '&':
			lexerr(ps, (uint32_t)i, "unknown operator \"%s\" (write \"and\")",
			    i + 1 < len && s[i + 1] == '&' ? "&&" : "&");
			i = len;
			continue;
		case ';':
			lex_semicolon(ps, i);
			i = len;
			continue;
		case '%':
			lex_percent(ps, i);
			i = len;
			continue;
		case '|':
			lexerr(ps, (uint32_t)i, "unknown operator \"%s\" (write \"or\")",
			    i + 1 < len && s[i + 1] == '|' ? "||" : "|");
			i = len;
			continue;
		default:
			describe_char(ps, i, what, sizeof(what));
			lexerr(ps, (uint32_t)i, "unknown character \"%s\"%s", what,
			    lookalike(what));
			i = len;
			continue;
		}
		ps->t[ps->nt++] = (struct token){ .kind = kind, .off = (uint32_t)i,
		    .len = (uint32_t)n };
		i += n;
	}
	ps->t[ps->nt++] = (struct token){ .kind = T_EOF, .off = (uint32_t)len };
}

/* ---- code emission ---- */

static size_t emit(struct parser *ps, uint8_t code)
{
	if (ps->ncode == ps->capcode) {
		size_t cap = ps->capcode ? ps->capcode * 2 : 32;
		struct op *v = realloc(ps->code, cap * sizeof(*v));
		if (!v)
			xalloc_die();
		ps->code = v;
		ps->capcode = cap;
	}
	ps->code[ps->ncode] = (struct op){ .code = code };
	return ps->ncode++;
}

static int32_t reach(const struct op *code, uint32_t from, uint32_t to,
    enum granularity g);

/* ---- parser: each level returns 0 or more, -1 after an error (how far
 * back the expression reads is reach()'s, once its code is whole) ---- */

static int32_t parse_or(struct parser *ps);

static uint8_t cur(const struct parser *ps)
{
	return ps->t[ps->i].kind;
}

static int32_t max32(int32_t a, int32_t b)
{
	return a > b ? a : b;
}

static bool enter(struct parser *ps)
{
	if (++ps->depth > EXPR_MAX_DEPTH) {
		tokerr(ps, ps->i, "the expression nests too deeply (at most %d "
		    "levels of parentheses and function calls)", EXPR_MAX_DEPTH);
		return false;
	}
	return true;
}

/* A token the grammar cannot take where it stands, as French or a French
 * spreadsheet writes it: "et", "ou", a decimal comma (1,5: digits, a comma,
 * digits, no space). Returns the hint, or NULL. */
static const char *unexpected_hint(const struct parser *ps, size_t ti,
    char *buf, size_t size)
{
	const struct token *t = &ps->t[ti];
	const char *s = ps->src + t->off;

	if (t->kind == T_IDENT && t->len == 2 && (!memcmp(s, "et", 2) ||
	    !memcmp(s, "ou", 2))) {
		snprintf(buf, size, " (write \"%s\")", *s == 'e' ? "and" : "or");
		return buf;
	}
	if (t->kind == T_COMMA && ti > 0 && t[-1].kind == T_NUM &&
	    t[-1].intlit && t[1].kind == T_NUM && t[1].intlit &&
	    t[-1].off + t[-1].len == t->off && t[1].off == t->off + 1) {
		snprintf(buf, size, " (a decimal comma? write %.*s.%.*s)",
		    (int)t[-1].len, ps->src + t[-1].off, (int)t[1].len,
		    ps->src + t[1].off);
		return buf;
	}
	return NULL;
}

/* Closes an argument list or a parenthesis: the current token must be ")". */
static bool expect_rp(struct parser *ps, const char *alt)
{
	char b[64], h[80];
	const char *hint;

	if (cur(ps) == T_RP) {
		ps->i++;
		return true;
	}
	if (cur(ps) == T_EOF)
		tokerr(ps, ps->i, "missing \")\"");
	else if ((hint = unexpected_hint(ps, ps->i, h, sizeof(h))))
		tokerr(ps, ps->i, "unexpected %s%s", tok_text(ps, ps->i, b,
		    sizeof(b)), hint);
	else
		tokerr(ps, ps->i, "unexpected %s (expected %s)",
		    tok_text(ps, ps->i, b, sizeof(b)), alt);
	return false;
}

/* A literal argument: an integer (window size, offset, years, half-width)
 * or a number (the reference value of cusum, the weight of ewma). */
static bool parse_litarg(struct parser *ps, const struct func *f, int argi,
    double *out)
{
	const struct token *t = &ps->t[ps->i];
	uint8_t next = ps->t[ps->i + (t->kind != T_EOF)].kind, kind = f->arg[argi];
	bool integer = kind != A_REF && kind != A_WEIGHT;
	int lo = kind == A_N || kind == A_YEARS ? 1 : 0;
	int hi = kind == A_YEARS ? 10 : kind == A_HALF ? 5 : EXPR_MAX_PERIODS;

	/* "3 + 1" is not a literal; "3 x" is, followed by a syntax error */
	bool more = next == T_LP || (next >= T_PLUS && next <= T_OR);
	bool lit = t->kind == T_NUM && !more && (t->intlit || !integer);

	if (lit && kind == A_REF) {
		*out = t->num;
		ps->i++;
		return true;
	}
	if (lit && kind == A_WEIGHT && t->num > 0 && t->num <= 1) {
		*out = t->num;
		ps->i++;
		return true;
	}
	if (lit && integer && t->num >= lo && t->num <= hi) {
		*out = t->num;
		ps->i++;
		return true;
	}
	if (t->kind == T_RP)	/* "sum(x, 3,)" */
		tokerr(ps, ps->i, "expected the %s of %s() after \",\" (or no \",\")",
		    f->what[argi], f->name);
	else if (kind == A_REF)
		tokerr(ps, ps->i, "the %s of %s() must be a number literal >= 0",
		    f->what[argi], f->name);
	else if (kind == A_WEIGHT)
		tokerr(ps, ps->i, "the %s of %s() must be a number literal above 0 "
		    "and at most 1", f->what[argi], f->name);
	else if (lit && t->num > hi && hi == EXPR_MAX_PERIODS)
		tokerr(ps, ps->i, "the %s of %s() must be at most %d",
		    f->what[argi], f->name, hi);
	else if (hi != EXPR_MAX_PERIODS)
		tokerr(ps, ps->i, "the %s of %s() must be an integer literal from "
		    "%d to %d", f->what[argi], f->name, lo, hi);
	else if ((f->op == OP_MAX || f->op == OP_MIN) && !lit)
		/* MAX(a, b) in a spreadsheet: the greater of two values */
		tokerr(ps, ps->i, "the %s of %s() must be an integer literal >= %d "
		    "(for the %s of two values, write %s(a, b))", f->what[argi],
		    f->name, lo, f->op == OP_MAX ? "greater" : "lesser",
		    f->op == OP_MAX ? "greatest" : "least");
	else
		tokerr(ps, ps->i, "the %s of %s() must be an integer literal >= %d",
		    f->what[argi], f->name, lo);
	return false;
}

/* The alias word closest to word, or NULL. */
static const char *closest_alias(const char *word)
{
	const char *words[NALIASES];
	size_t n = 0;

	for (size_t i = 0; i < NALIASES; i++)
		if (func_aliases[i].func)
			words[n++] = func_aliases[i].word;
	return closest_word(word, words, n);
}

/* An unknown function: the close name, the one a spreadsheet's name
 * stands for, or the list. */
static void unknown_function(struct parser *ps, size_t name)
{
	const struct token *nt = &ps->t[name];
	char word[NAME_MAX_BYTES + 1], known[400];
	const char *names[NFUNCS], *near;
	const char *const *alias;
	size_t n = 0;

	for (size_t i = 0; i < NFUNCS; i++)
		names[i] = funcs[i].name;
	snprintf(word, sizeof(word), "%.*s", (int)nt->len, ps->src + nt->off);
	if ((alias = func_alias(word)) && !*alias) {
		tokerr(ps, name, "unknown function \"%s\" (" NO_IF ")", word);
		return;
	}
	near = alias ? *alias : closest_word(word, names, NFUNCS);
	if (!near && (near = closest_alias(word)))
		near = *func_alias(near);	/* "avrage": average, so avg */
	/* The first word of a function's name: "poisson" for
	 * poisson_tail, when only one begins so. */
	if (!near) {
		size_t len = strlen(word), k = 0;
		const char *only = NULL;

		for (size_t i = 0; i < NFUNCS; i++)
			if (!strncmp(names[i], word, len) && names[i][len] == '_') {
				only = names[i];
				k++;
			}
		near = k == 1 ? only : NULL;
	}
	if (near) {
		tokerr(ps, name, "unknown function \"%s\" (did you mean \"%s\"?)",
		    word, near);
		return;
	}
	for (size_t i = 0; i < NFUNCS && n < sizeof(known); i++)
		n += (size_t)snprintf(known + n, sizeof(known) - n, "%s%s",
		    i ? ", " : "", names[i]);
	tokerr(ps, name, "unknown function \"%s\" (known functions: %s)", word,
	    known);
}

/* "0,5" (digits, a comma, digits, no space) among the arguments of a
 * call, tokens [from, to), not inside a nested call: a French
 * spreadsheet's 0.5, which makes one argument too many. Returns the hint
 * in buf, or "". */
static const char *decimal_comma(const struct parser *ps, size_t from,
    size_t to, char *buf, size_t size)
{
	int depth = 0;

	for (size_t j = from; j < to; j++) {
		const struct token *t = &ps->t[j];

		depth += t->kind == T_LP ? 1 : t->kind == T_RP ? -1 : 0;
		if (depth == 0 && t->kind == T_COMMA && j > from && j + 1 < to &&
		    t[-1].kind == T_NUM && t[-1].intlit && t[1].kind == T_NUM &&
		    t[1].intlit && t[-1].off + t[-1].len == t->off &&
		    t[1].off == t->off + 1) {
			const char *a = ps->src + t[-1].off, *b = ps->src + t[1].off;

			snprintf(buf, size, " (a decimal comma? \"%.*s,%.*s\" reads as "
			    "two arguments; write %.*s.%.*s)", (int)t[-1].len, a,
			    (int)t[1].len, b, (int)t[-1].len, a, (int)t[1].len, b);
			return buf;
		}
	}
	return "";
}

static int32_t parse_call(struct parser *ps)
{
	size_t name = ps->i, h = 0;
	const struct token *nt = &ps->t[name];
	const struct func *f = func_find(ps->src + nt->off, nt->len);
	int32_t lb = 0, r;
	double lits[4] = { 0, 0, 0, 0 };
	size_t ntok = 0;	/* the window size's token */
	int nargs = 0;
	bool two;

	if (!f) {
		unknown_function(ps, name);
		return -1;
	}
	if (!enter(ps))
		return -1;
	two = two_bodies(f);
	ps->i += 2;	/* name ( */
	if (f->arg[0] == A_BODY)
		h = emit(ps, f->op);
	if (cur(ps) != T_RP) {
		for (;;) {
			uint8_t kind = nargs < f->max ? f->arg[nargs] : A_EXPR;

			if (kind != A_BODY && kind != A_EXPR) {
				if (kind == A_N)
					ntok = ps->i;
				if (!parse_litarg(ps, f, nargs, &lits[nargs]))
					return -1;
			} else {
				/* each body of a two-body function is an OP_ARG
				 * followed by its ops */
				size_t arg = two && kind == A_BODY ? emit(ps, OP_ARG) : 0;

				if ((r = parse_or(ps)) < 0)
					return -1;
				lb = max32(lb, r);
				if (arg)
					ps->code[arg].len = (uint32_t)(ps->ncode - arg - 1);
				if (kind == A_BODY)
					ps->code[h].len = (uint32_t)(ps->ncode - h - 1);
			}
			nargs++;
			if (cur(ps) != T_COMMA)
				break;
			ps->i++;
		}
	}
	if (!expect_rp(ps, "\",\" or \")\""))
		return -1;
	if (nargs < f->min || nargs > f->max) {
		char want[32], hint[128];

		if (f->min == f->max)
			snprintf(want, sizeof(want), "%d argument%s", f->min,
			    f->min == 1 ? "" : "s");
		else
			snprintf(want, sizeof(want), "%d or %d arguments", f->min,
			    f->max);
		tokerr(ps, name, "%s() takes %s, got %d%s", f->name, want, nargs,
		    decimal_comma(ps, name + 2, ps->i - 1, hint, sizeof(hint)));
		return -1;
	}
	ps->depth--;
	if (ntok && ps->t[ntok].num == 1 && spread_of_window(f->op))
		tokwarn(ps, ntok, "%s() over a window of 1 period is undefined at "
		    "every period (it needs 2 values or more); use a window of 2 "
		    "periods or more", f->name);
	if (f->arg[0] != A_BODY) {
		emit(ps, f->op);
		return lb;
	}
	struct op *o = &ps->code[h];

	/* The operands; how far back they make it read is reach()'s. */
	switch (f->op) {
	case OP_LAG:
		o->k = (int32_t)lits[1];
		break;
	case OP_DELTA: case OP_PCT_CHANGE: case OP_ZSCORE: case OP_RISES:
		o->n = (int32_t)lits[1];
		break;
	case OP_CUSUM: case OP_EWMA:
		o->n = (int32_t)lits[1];
		o->c = lits[2];
		break;
	case OP_DISPERSION:
		o->n = (int32_t)lits[2];
		o->k = (int32_t)lits[3];
		break;
	case OP_SEAS_EXPECTED: case OP_SEAS_DISPERSION:
		o->n = (int32_t)lits[2];
		o->k = nargs == 4 ? (int32_t)lits[3] : -1;
		break;
	case OP_PARENT: case OP_PEER_AVG: case OP_TOP: case OP_PEER_EXPECTED:
		ps->hier = true;
		break;
	default:	/* windows */
		o->n = (int32_t)lits[1];
		o->k = (int32_t)lits[2];
		break;
	}
	return lb;
}

static int32_t parse_primary(struct parser *ps)
{
	const struct token *t = &ps->t[ps->i];
	char b[64];
	int32_t r;
	size_t o;

	switch (t->kind) {
	case T_NUM:
		o = emit(ps, OP_CONST);
		ps->code[o].c = t->num;
		ps->i++;
		return 0;
	case T_IDENT:
		if (ps->t[ps->i + 1].kind == T_LP)
			return parse_call(ps);
		if (t->len > NAME_MAX_BYTES) {
			tokerr(ps, ps->i, "indicator names are at most %d bytes",
			    NAME_MAX_BYTES);
			return -1;
		}
		/* X_max is the largest contribution of one employee to X
		 * (SPEC 3, dominance): every one of its cells is hidden, so a
		 * rule reading it could never show anything. */
		if (t->len > 4 && memcmp(ps->src + t->off + t->len - 4, "_max",
		    4) == 0) {
			tokerr(ps, ps->i, "%.*s is the dominance companion of %.*s "
			    "(what one employee contributes, always hidden): rules "
			    "cannot read it; use %.*s", (int)t->len, ps->src + t->off,
			    (int)t->len - 4, ps->src + t->off, (int)t->len - 4,
			    ps->src + t->off);
			return -1;
		}
		o = emit(ps, OP_IND);
		ps->code[o].n = (int32_t)names_intern(ps->nm, ps->src + t->off, t->len);
		ps->i++;
		return 0;
	case T_LP:
		if (!enter(ps))
			return -1;
		ps->i++;
		if ((r = parse_or(ps)) < 0 || !expect_rp(ps, "\")\""))
			return -1;
		ps->depth--;
		return r;
	case T_NOT:
		tokerr(ps, ps->i, "\"not\" must be put in parentheses here: "
		    "write \"(not ...)\"");
		return -1;
	default:
		if (ps->i == 0)
			tokerr(ps, ps->i, "expected an expression");
		else
			tokerr(ps, ps->i, "expected an expression after %s",
			    tok_text(ps, ps->i - 1, b, sizeof(b)));
		return -1;
	}
}

static int32_t parse_unary(struct parser *ps)
{
	size_t neg = 0;
	int32_t r;

	while (cur(ps) == T_MINUS) {
		ps->i++;
		neg++;
	}
	if ((r = parse_primary(ps)) < 0)
		return -1;
	while (neg--)
		emit(ps, OP_NEG);
	return r;
}

static int32_t parse_mul(struct parser *ps)
{
	int32_t l = parse_unary(ps), r;

	while (l >= 0 && (cur(ps) == T_STAR || cur(ps) == T_SLASH)) {
		uint8_t op = cur(ps) == T_STAR ? OP_MUL : OP_DIV;
		ps->i++;
		if ((r = parse_unary(ps)) < 0)
			return -1;
		emit(ps, op);
		l = max32(l, r);
	}
	return l;
}

static int32_t parse_add(struct parser *ps)
{
	int32_t l = parse_mul(ps), r;

	while (l >= 0 && (cur(ps) == T_PLUS || cur(ps) == T_MINUS)) {
		uint8_t op = cur(ps) == T_PLUS ? OP_ADD : OP_SUB;
		ps->i++;
		if ((r = parse_mul(ps)) < 0)
			return -1;
		emit(ps, op);
		l = max32(l, r);
	}
	return l;
}

static uint8_t cmp_op(uint8_t tok)
{
	switch (tok) {
	case T_LT: return OP_LT;
	case T_LE: return OP_LE;
	case T_GT: return OP_GT;
	case T_GE: return OP_GE;
	case T_EQ: return OP_EQ;
	case T_NE: return OP_NE;
	default: return 0;
	}
}

static int32_t parse_cmp(struct parser *ps)
{
	int32_t l = parse_add(ps), r;
	uint8_t op;

	if (l < 0 || !(op = cmp_op(cur(ps))))
		return l;
	ps->i++;
	if ((r = parse_add(ps)) < 0)
		return -1;
	emit(ps, op);
	if (cmp_op(cur(ps))) {
		tokerr(ps, ps->i, "comparisons cannot be chained: combine them "
		    "with \"and\" (a < b and b < c)");
		return -1;
	}
	return max32(l, r);
}

static int32_t parse_not(struct parser *ps)
{
	size_t n = 0;
	int32_t r;

	while (cur(ps) == T_NOT) {
		ps->i++;
		n++;
	}
	if ((r = parse_cmp(ps)) < 0)
		return -1;
	while (n--)
		emit(ps, OP_NOT);
	return r;
}

static int32_t parse_and(struct parser *ps)
{
	int32_t l = parse_not(ps), r;

	while (l >= 0 && cur(ps) == T_AND) {
		ps->i++;
		if ((r = parse_not(ps)) < 0)
			return -1;
		emit(ps, OP_AND);
		l = max32(l, r);
	}
	return l;
}

static int32_t parse_or(struct parser *ps)
{
	int32_t l = parse_and(ps), r;

	while (l >= 0 && cur(ps) == T_OR) {
		ps->i++;
		if ((r = parse_and(ps)) < 0)
			return -1;
		emit(ps, OP_OR);
		l = max32(l, r);
	}
	return l;
}

static bool two_body_op(uint8_t code)
{
	return code == OP_DISPERSION || code == OP_SEAS_EXPECTED ||
	    code == OP_SEAS_DISPERSION || code == OP_PEER_EXPECTED;
}

/* Stack slots the program needs. A body runs on the stack right above the
 * values already there and leaves one value, the result of its header, so
 * reading the program as straight postfix (headers push nothing) gives the
 * exact peak. */
static uint32_t stack_need(const struct op *code, size_t n)
{
	uint32_t sp = 0, peak = 0;

	for (size_t i = 0; i < n; i++) {
		switch (code[i].code) {
		case OP_CONST: case OP_IND:
			sp++;
			break;
		case OP_NEG: case OP_NOT: case OP_ABS: case OP_SQRT:
		case OP_NORMAL:
			break;
		case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV:
		case OP_LT: case OP_LE: case OP_GT: case OP_GE: case OP_EQ: case OP_NE:
		case OP_AND: case OP_OR: case OP_COALESCE: case OP_POISSON:
		case OP_LEAST: case OP_GREATEST:
			sp--;
			break;
		case OP_NBINOM:
			sp -= 2;
			break;
		case OP_CREDIBLE:
			sp -= 3;
			break;
		case OP_ARG:
			/* The first body of a function follows its header; the
			 * second runs where the first ran, whose value is not
			 * kept. */
			if (!two_body_op(code[i - 1].code))
				sp--;
			break;
		default:	/* headers */
			break;
		}
		if (sp > peak)
			peak = sp;
	}
	return peak;
}

/* Same ops, slots aside (they follow from the ops), constants bit for bit. */
static bool same_ops(const struct op *a, const struct op *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i].code != b[i].code || a[i].len != b[i].len ||
		    a[i].n != b[i].n || a[i].k != b[i].k ||
		    memcmp(&a[i].c, &b[i].c, sizeof(a[i].c)) != 0)
			return false;
	return true;
}

/* Gives every window and point function whose body is more than one
 * indicator or number a memo slot (expr_eval_memo); bodies that are the same
 * ops, such as the two in avg(x / h, 3) / avg(x / h, 12, 3), share one since
 * they have the same value at every period; so does each body of a function
 * with two (its OP_ARG). Functions that read other units (parent(),
 * peer_avg()...) get none. Returns the number of slots. */
static uint32_t assign_slots(struct op *code, size_t n)
{
	uint32_t nslots = 0;

	for (size_t i = 0; i < n; i++) {
		struct op *o = &code[i];
		bool memo = (o->code >= OP_SUM && o->code <= OP_RISES) ||
		    o->code == OP_ARG;
		if (!memo || o->len == 0 ||
		    (o->len == 1 && (code[i + 1].code == OP_IND ||
		    code[i + 1].code == OP_CONST)))
			continue;
		for (size_t j = 0; j < i && !o->slot; j++)
			if (code[j].slot && code[j].len == o->len &&
			    same_ops(&code[j + 1], &code[i + 1], o->len))
				o->slot = code[j].slot;
		if (!o->slot && nslots < UINT16_MAX)
			o->slot = (uint16_t)++nslots;
	}
	return nslots;
}

/* Work of one evaluation, counted in ops run, nested bodies multiplied by
 * the periods their function reads: nested windows multiply, so
 * sum(sum(x, 5000), 5000) would run 25 million ops per unit and period. */
static double eval_cost(const struct op *code, size_t from, size_t to)
{
	double cost = 0;

	for (size_t i = from; i < to; i++) {
		const struct op *o = &code[i];
		double times = 1;

		cost += 1;
		switch (o->code) {
		case OP_SUM: case OP_AVG: case OP_MIN: case OP_MAX: case OP_COUNT:
			times = o->n;
			break;
		case OP_STDDEV: case OP_SLOPE: case OP_DISPERSION:
			times = 2.0 * o->n;
			break;
		case OP_CUSUM: case OP_EWMA:
			times = o->n;
			break;
		case OP_SEAS_EXPECTED: case OP_SEAS_DISPERSION:
			/* the reference periods and the current one */
			times = o->n * (2.0 * (o->k >= 0 ? o->k : 3) + 1) + 1;
			break;
		case OP_ZSCORE:
			times = 2.0 * o->n + 1;
			break;
		case OP_RISES:
			times = o->n + 1.0;
			break;
		case OP_DELTA: case OP_PCT_CHANGE:
			times = 2;
			break;
		default:
			break;
		}
		if (o->code >= OP_SUM && o->len > 0) {
			cost += times * eval_cost(code, i + 1, i + 1 + o->len);
			i += o->len;
		}
	}
	return cost;
}

struct expr *expr_compile(const char *src, size_t len, const char *file,
    const struct srcpos *pos, struct names *nm, struct diags *d,
    struct diags *w)
{
	struct parser ps = { .src = src, .len = len, .file = file, .pos = pos,
	    .nm = nm, .d = d, .w = w };
	struct expr *e = NULL;
	int32_t lb;

	if (len > EXPR_MAX_BYTES) {
		diags_add(d, file, pos ? pos[0].line : 1, pos ? pos[0].col : 1,
		    "the expression is too long (%zu bytes, at most %d)", len,
		    EXPR_MAX_BYTES);
		return NULL;
	}
	ps.cloc = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	ps.t = malloc((len + 3) * sizeof(*ps.t));
	if (!ps.cloc || !ps.t)
		xalloc_die();
	lex(&ps);
	lb = parse_or(&ps);
	if (lb >= 0 && cur(&ps) != T_EOF) {
		char b[64], h[80];
		const char *hint = unexpected_hint(&ps, ps.i, h, sizeof(h));

		tokerr(&ps, ps.i, "unexpected %s%s", tok_text(&ps, ps.i, b, sizeof(b)),
		    hint ? hint : "");
		lb = -1;
	}
	if (lb >= 0 && stack_need(ps.code, ps.ncode) > EXPR_STACK) {
		report(&ps, 0, "the expression is too complex");
		lb = -1;
	}
	if (lb >= 0 && eval_cost(ps.code, 0, ps.ncode) > EXPR_MAX_COST) {
		report(&ps, 0, "nested windows read too many periods (more than 200000 "
		    "values per evaluation): use smaller windows or fewer levels of nesting");
		lb = -1;
	}
	if (lb >= 0) {
		e = malloc(sizeof(*e));
		if (!e)
			xalloc_die();
		e->code = ps.code;
		e->ncode = (uint32_t)ps.ncode;
		e->maxstack = stack_need(ps.code, ps.ncode);
		/* a year is 12 months or 52 weeks, and the default half-width
		 * of weeks (3) covers that of months: weeks bound both */
		e->lookback = reach(ps.code, 0, (uint32_t)ps.ncode, GRAN_WEEK);
		e->nslots = assign_slots(ps.code, ps.ncode);
		e->hier = ps.hier;
		ps.code = NULL;
	}
	free(ps.code);
	free(ps.t);
	freelocale(ps.cloc);
	return e;
}

void expr_free(struct expr *e)
{
	if (!e)
		return;
	free(e->code);
	free(e);
}

bool expr_uses_hierarchy(const struct expr *e)
{
	return e->hier;
}

int32_t expr_lookback(const struct expr *e)
{
	return e->lookback;
}

/* The lookback of code[from..to) at granularity g: how many periods before
 * the one evaluated it reads, a seasonal function's year and default
 * half-width as seasonal_periods (expr_eval.c) takes them. At GRAN_WEEK, a
 * bound for both granularities: the parser's (expr_lookback). */
static int32_t reach(const struct op *code, uint32_t from, uint32_t to,
    enum granularity g)
{
	int32_t lb = 0;

	for (uint32_t i = from; i < to; ) {
		const struct op *o = &code[i];
		int32_t in, r;

		if (o->code < OP_SUM) {		/* no body */
			i++;
			continue;
		}
		in = reach(code, i + 1, i + 1 + o->len, g);
		switch (o->code) {
		case OP_LAG:
			r = in + o->k;
			break;
		case OP_DELTA: case OP_PCT_CHANGE: case OP_ZSCORE: case OP_RISES:
			r = in + o->n;
			break;
		case OP_CUSUM: case OP_EWMA:
			r = in + o->n - 1;
			break;
		case OP_SEAS_EXPECTED: case OP_SEAS_DISPERSION:
			r = in + o->n * period_per_year(g) + (o->k >= 0 ? o->k :
			    g == GRAN_WEEK ? 3 : 1);
			break;
		case OP_PARENT: case OP_PEER_AVG: case OP_TOP:
		case OP_PEER_EXPECTED: case OP_ARG:
			r = in;
			break;
		default:	/* windows, dispersion */
			r = in + o->n - 1 + o->k;
			break;
		}
		lb = max32(lb, r);
		i += 1 + o->len;
	}
	return lb;
}

int32_t expr_lookback_in(const struct expr *e, enum granularity g)
{
	return reach(e->code, 0, e->ncode, g);
}

bool expr_reads(const struct expr *e, int32_t name)
{
	for (uint32_t i = 0; e && i < e->ncode; i++)
		if (e->code[i].code == OP_IND && e->code[i].n == name)
			return true;
	return false;
}
