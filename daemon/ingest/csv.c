/* CSV indicator files (SPEC 4), parsed in one pass over the buffer without a
 * malloc per field: a record reader splits RFC 4180 fields (decoding quoted
 * ones into a scratch buffer reused from row to row), the header picks the
 * wide or long form, and each row becomes import records with interned unit
 * and indicator indices. Every problem is reported as FILE:LINE:COLUMN and
 * parsing goes on, so one run shows all of them. Duplicates are found at the
 * end (csv_checks.c) by sorting the records by (unit, indicator, period); on
 * success the records are left in that order, which is the store's key order. A value
 * of a companion X_max greater than its X in the same file (one person's
 * share above the total: a column mix-up) is a warning, not an error
 * (SPEC 4 does not list it): the file is imported as it is.
 *
 * Positions: lines count '\n' from 1 (CRLF is one line end); columns count
 * UTF-8 characters from 1 at the start of the line, the BOM excluded, so they
 * match what an editor shows. A field's column is that of its first
 * character (the opening quote of a quoted field); a bad character in a unit
 * path is reported at its own column. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "vigie/csv.h"
#include "vigie/msg.h"
#include "vigie/progress.h"
#include "vigie/text.h"
#include "vigie/unit.h"
#include "vigie/xalloc.h"

#include "csv_impl.h"

/* The column of p on the line starting at line_start, counted on from the
 * last place asked when it is on the same line and not behind p: a file
 * of one long line with errors all along it is read once, not once an
 * error. */
int csv_col_at(struct parser *ps, const char *line_start, const char *p)
{
	if (line_start != ps->col_ls || p < ps->col_p) {
		ps->col_ls = ps->col_p = line_start;
		ps->col_n = 1;
	}
	for (const char *c = ps->col_p; c < p; c++)
		ps->col_n += ((unsigned char)*c & 0xC0) != 0x80;
	ps->col_p = p;
	return ps->col_n;
}

static void verr(struct parser *ps, int line, const char *line_start,
    const char *at, const char *fmt, va_list ap)
{
	char *msg = NULL;

	if (ps->stop)
		return;
	/* A file of garbage keeps its first errors and counts the rest
	 * (SPEC 4: at most 20 printed, then a count): not a message each. */
	if (ps->nerr++ >= CSV_KEEP_ERRORS) {
		ps->d->more++;
		return;
	}
	if (vasprintf(&msg, fmt, ap) < 0)
		xalloc_die();
	diags_add(ps->d, ps->name, line, csv_col_at(ps, line_start, at), "%s", msg);
	free(msg);
}

static void __attribute__((format(printf, 5, 6)))
err_at_(struct parser *ps, int line, const char *line_start, const char *at,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr(ps, line, line_start, at, fmt, ap);
	va_end(ap);
}

#define WHOLE SIZE_MAX	/* blame a whole field: its first character */
#define ELIDED "\xe2\x80\xa6"	/* "…", for a value not quoted (diags.no_values) */

/* Error at byte k of field f's content (following line breaks inside it),
 * or at the field's first character when k is WHOLE. */
static void __attribute__((format(printf, 4, 5)))
err_field_(struct parser *ps, const struct field *f, size_t k, const char *fmt, ...)
{
	const char *at = k == WHOLE ? f->raw : f->raw + (f->quoted ? 1 : 0) + k;
	const char *ls = f->line_start;
	int line = f->line;
	va_list ap;

	if (at > f->rend)
		at = f->rend;
	for (const char *c = f->raw; c < at; c++)
		if (*c == '\n') {
			line++;
			ls = c + 1;
		}
	va_start(ap, fmt);
	verr(ps, line, ls, at, fmt, ap);
	va_end(ap);
}

/* An error at a place, or in a field, in the language of the parser's
 * diagnostics (msg.h). */
#define FR(ps) ((ps)->d->fr)
#define err_at(ps, line, line_start, at, fmt, ...) (MSG_KEY(fmt), err_at_((ps), \
	(line), (line_start), (at), msg_tr(FR(ps), fmt), ##__VA_ARGS__))
#define err_field(ps, f, k, fmt, ...) (MSG_KEY(fmt), err_field_((ps), (f), (k), \
	msg_tr(FR(ps), fmt), ##__VA_ARGS__))

/* ---- records ---- */

static void push_field(struct parser *ps, const struct field *f)
{
	if (ps->nf == ps->fcap) {
		ps->fcap = ps->fcap ? ps->fcap * 2 : 16;
		ps->f = xreallocarray(ps->f, ps->fcap, sizeof(*ps->f));
	}
	ps->f[ps->nf++] = *f;
}

static void scratch_add(struct parser *ps, const char *s, size_t n)
{
	if (ps->slen + n > ps->scap) {
		size_t cap = ps->scap ? ps->scap : 256;
		while (cap < ps->slen + n)
			cap *= 2;
		ps->scratch = xrealloc(ps->scratch, cap);
		ps->scap = cap;
	}
	memcpy(ps->scratch + ps->slen, s, n);
	ps->slen += n;
}

/* Counts line ends in [a, b) and moves the line start past the last one. */
static void skip_lines(struct parser *ps, const char *a, const char *b)
{
	const char *nl;

	while (a < b && (nl = memchr(a, '\n', (size_t)(b - a))) != NULL) {
		ps->line++;
		ps->line_start = nl + 1;
		a = nl + 1;
	}
}

/* A CR that ends a line (before LF or at the end of the file). */
static bool line_cr(const struct parser *ps, const char *q)
{
	return *q == '\r' && (q + 1 == ps->end || q[1] == '\n');
}

/* Reads one record into ps->f. Returns false at the end of the input. */
static bool read_record(struct parser *ps)
{
	const char *p = ps->p, *end = ps->end;
	const char delim = ps->delim;

	if (p >= end || ps->stop)
		return false;
	ps->nf = 0;
	ps->slen = 0;
	for (;;) {
		struct field f = { .raw = p, .line = ps->line,
			.line_start = ps->line_start, .soff = SIZE_MAX };
		if (p < end && *p == '"') {
			const char *seg = p + 1, *q = p + 1, *c;
			bool copied = false;
			f.quoted = true;
			for (;;) {
				c = memchr(q, '"', (size_t)(end - q));
				if (!c) {
					err_at(ps, f.line, f.line_start, f.raw,
					    "unterminated quoted field: the closing '\"' is missing");
					ps->stop = true;
					ps->p = end;
					return false;
				}
				skip_lines(ps, q, c);
				if (c + 1 < end && c[1] == '"') {
					if (!copied)
						f.soff = ps->slen;
					scratch_add(ps, seg, (size_t)(c + 1 - seg));
					copied = true;
					q = seg = c + 2;
					continue;
				}
				break;
			}
			if (copied) {
				scratch_add(ps, seg, (size_t)(c - seg));
				f.len = ps->slen - f.soff;
			} else {
				f.s = p + 1;
				f.len = (size_t)(c - (p + 1));
			}
			p = c + 1;
			if (p < end && *p != delim && *p != '\n' && !line_cr(ps, p)) {
				err_at(ps, ps->line, ps->line_start, p,
				    "unexpected character after a closing quote "
				    "(a '\"' inside a quoted field is written '\"\"')");
				while (p < end && *p != delim && *p != '\n')
					p++;
			}
			f.rend = p;
			if (p < end && line_cr(ps, p))
				p++;
		} else {
			const char *q = p;
			while (q < end && *q != delim && *q != '\n')
				q++;
			f.s = p;
			f.len = (size_t)(q - p);
			if (f.len && line_cr(ps, q - 1))
				f.len--;
			f.rend = p + f.len;
			p = q;
		}
		push_field(ps, &f);
		if ((ps->nf & 0xFFFF) == 0)
			progress_tick();	/* a row of a million fields */
		if (p >= end)
			break;
		if (*p == delim) {
			p++;
			continue;
		}
		/* *p == '\n' */
		p++;
		ps->line++;
		ps->line_start = p;
		break;
	}
	ps->p = p;
	for (size_t i = 0; i < ps->nf; i++)
		if (ps->f[i].soff != SIZE_MAX)
			ps->f[i].s = ps->scratch + ps->f[i].soff;
	return true;
}

/* Blank lines and rows of empty cells (";;;" that spreadsheets leave at the
 * end) carry nothing: skipped. */
static bool blank_record(const struct parser *ps)
{
	for (size_t i = 0; i < ps->nf; i++)
		if (ps->f[i].len || ps->f[i].quoted)
			return false;
	return true;
}

/* The first of ',' ';' tab outside quotes on the header line. */
static char detect_delim(const char *p, const char *end)
{
	bool q = false;

	for (; p < end; p++) {
		if (*p == '"')
			q = !q;
		else if (!q && (*p == ',' || *p == ';' || *p == '\t'))
			return *p;
		else if (!q && *p == '\n')
			break;
	}
	return ',';
}

int csv_row_at(const char *buf, size_t len, int line, int col, size_t *field)
{
	const char *p = buf, *end = buf + len;
	bool q = false;
	int l = 1, c = 1, row = 1;

	if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
		p += 3;
	char delim = detect_delim(p, end);
	*field = 0;
	/* A quoted cell may hold line breaks: the spreadsheet's row and the
	 * field go on across them, and only a break outside quotes ends a
	 * row. */
	for (; p < end && !(l == line && c == col); p++) {
		if (*p == '\n') {
			if (l == line)
				break;
			l++;
			if (!q) {
				row++;
				*field = 0;
			}
			continue;
		}
		if (*p == '"')
			q = !q;
		else if (!q && *p == delim)
			++*field;
		if (l == line)
			c += ((unsigned char)*p & 0xC0) != 0x80;
	}
	return l == line && c == col ? row : 0;
}

bool csv_cell_name(const char *buf, size_t len, int line, int col, char *out,
    size_t size)
{
	size_t field;
	int row = csv_row_at(buf, len, line, col, &field);
	char cell[16];

	return row && snprintf(out, size, "%s%d", csv_col_letters(field, cell), row) < (int)size;
}

const char *csv_col_letters(size_t field, char out[16])
{
	/* A spreadsheet's letters: A to Z, then AA, AB... */
	char letters[16];
	size_t n = 0;

	for (size_t k = field + 1; k > 0 && n < sizeof(letters) - 1; k /= 26)
		letters[n++] = (char)('A' + --k % 26);
	for (size_t i = 0; i < n; i++)
		out[i] = letters[n - 1 - i];
	out[n] = '\0';
	return out;
}

/* ---- values ---- */

enum numres { NUM_OK, NUM_BAD, NUM_NEGATIVE, NUM_NONFINITE };

static const double pow10_tab[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
	1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16 };

static bool is_word(const char *s, size_t len, const char *w)
{
	return strlen(w) == len && strncasecmp(s, w, len) == 0;
}

/* Accepts digits with at most one decimal separator ('.', or ',' when
 * comma_ok) and an optional exponent; nothing else (no '+', no hex, no
 * spaces, no inf/nan). */
static enum numres parse_number(const char *s, size_t len, bool comma_ok, double *out)
{
	size_t i = 0, nd = 0, frac = 0;
	bool neg = false, point = false, expo = false;
	uint64_t m = 0;

	if (len && s[0] == '-') {
		neg = true;
		i = 1;
	}
	for (; i < len; i++) {
		char c = s[i];
		if (c >= '0' && c <= '9') {
			if (nd < 19)
				m = m * 10 + (uint64_t)(c - '0');
			nd++;
			frac += point;
		} else if ((c == '.' || (c == ',' && comma_ok)) && !point) {
			point = true;
		} else {
			break;
		}
	}
	if (nd == 0) {
		size_t k = len && (s[0] == '-' || s[0] == '+');
		if (is_word(s + k, len - k, "inf") || is_word(s + k, len - k, "infinity") ||
		    is_word(s + k, len - k, "nan"))
			return NUM_NONFINITE;
		return NUM_BAD;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		size_t k = i + 1, ed = 0;
		if (k < len && (s[k] == '+' || s[k] == '-'))
			k++;
		while (k < len && s[k] >= '0' && s[k] <= '9') {
			k++;
			ed++;
		}
		if (!ed)
			return NUM_BAD;
		expo = true;
		i = k;
	}
	if (i != len)
		return NUM_BAD;
	double v;
	if (!expo && nd <= 15) {
		/* Exact: m < 2^53 and 10^frac are doubles, one rounding. */
		v = (double)m / pow10_tab[frac];
	} else {
		char tmp[NUM_MAX_BYTES + 1];
		if (len > NUM_MAX_BYTES)
			return NUM_BAD;
		memcpy(tmp, s, len);
		tmp[len] = '\0';
		for (size_t k = 0; k < len; k++)
			if (tmp[k] == ',')
				tmp[k] = '.';	/* the process runs in the C locale */
		errno = 0;
		v = strtod(tmp, NULL);
		if (!isfinite(v) || (errno == ERANGE && fabs(v) > 1))
			return NUM_NONFINITE;
	}
	if (neg && v != 0)
		return NUM_NEGATIVE;
	*out = neg ? 0.0 : v;
	return NUM_OK;
}

/* s[0..len) without its spaces, no-break spaces and narrow no-break spaces
 * between digits into out (size bytes): a spreadsheet's thousands
 * separators, "3 791,75". False when there were none, when one is not
 * between two digits, or when the rest does not fit. */
static bool without_separators(const char *s, size_t len, char *out, size_t size)
{
	size_t n = 0;
	bool any = false;

	for (size_t i = 0; i < len; i++) {
		size_t k = s[i] == ' ' ? 1 : i + 1 < len && !memcmp(s + i, "\xc2\xa0", 2) ? 2 :
		    i + 2 < len && !memcmp(s + i, "\xe2\x80\xaf", 3) ? 3 : 0;
		if (k) {
			if (i == 0 || !isdigit((unsigned char)s[i - 1]) || i + k >= len ||
			    !isdigit((unsigned char)s[i + k]))
				return false;
			any = true;
			i += k - 1;
			continue;
		}
		if (n + 1 >= size)
			return false;
		out[n++] = s[i];
	}
	out[n] = '\0';
	return any && n > 0;
}

/* A cell that is not UTF-8: the file is most likely a French Excel's "CSV
 * (séparateur : point-virgule)". */
#define NOT_UTF8 "the file is not UTF-8 (Excel's \"CSV (séparateur : " \
	"point-virgule)\" writes Windows-1252): save it as \"CSV UTF-8\""

/* What to do with a cell that stands for no value or for a formula's
 * failure ("n/a", "-", "#DIV/0!"), or NULL: SPEC 4 reads only an empty
 * cell as no value (a missing row in the long form), and a dash may be a
 * zero. */
static const char *no_value_advice(const char *s, size_t len, bool long_form, bool fr)
{
	static const char *const words[] = { "na", "n/a", "n.a.", "nd", "n/d",
		"n.d.", "nc", "n/c", "n.c.", "null", "none", "?" };
	bool word = false;

	if (len > 1 && s[0] == '#')
		return long_form ? MSG(fr, "a spreadsheet's error: correct the "
		    "formula, or leave the row out for no value") : MSG(fr, "a "
		    "spreadsheet's error: correct the formula, or leave the cell "
		    "empty for no value");
	if ((len == 1 && s[0] == '-') || (len == 3 && (!memcmp(s, "\xe2\x80\x93", 3) ||
	    !memcmp(s, "\xe2\x80\x94", 3))))
		return long_form ? MSG(fr, "for no value, leave the row out; for "
		    "zero, write 0") : MSG(fr, "for no value, leave the cell empty; "
		    "for zero, write 0");
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		word |= strlen(words[i]) == len && !strncasecmp(s, words[i], len);
	if (!word)
		return NULL;
	return long_form ? MSG(fr, "for no value, leave the row out")
	    : MSG(fr, "for no value, leave the cell empty");
}

/* Parses a value cell; false after reporting the error. col: the header
 * of the cell's column in the wide form, named in the message (a position
 * counted in characters does not tell an HR user which spreadsheet column
 * to fix); NULL in the long form, whose value column is "value", as the
 * message says already. */
static bool value_field(struct parser *ps, const struct field *f, const char *col,
    double *v)
{
	bool comma_ok = ps->delim != ',';
	enum numres r = parse_number(f->s, f->len, comma_ok, v);

	if (r == NUM_OK)
		return true;
	char ex[TEXT_EXCERPT_BUFSZ], in[IND_MAX_BYTES + 32] = "";
	if (col)
		msg_snprintf(FR(ps), in, sizeof(in), " in column \"%s\"", col);
	/* A value is a figure of a unit, perhaps of a hidden cell: not quoted
	 * where the message may reach the journal (diags.no_values). */
	if (ps->d->no_values)
		snprintf(ex, sizeof(ex), "%s", ELIDED);
	else
		text_excerpt(f->s, f->len, ex);
	switch (r) {
	case NUM_OK:
		break;
	case NUM_NEGATIVE:
		err_field(ps, f, WHOLE, "negative value %s%s: indicator values are "
		    "counts or amounts, never negative", ex, in);
		return false;
	case NUM_NONFINITE:
		err_field(ps, f, WHOLE, "value \"%s\"%s is not a finite number", ex, in);
		return false;
	case NUM_BAD:
		break;
	}
	char bare[64];
	const char *advice = no_value_advice(f->s, f->len, col == NULL, FR(ps));
	double x;
	if (advice)
		err_field(ps, f, WHOLE, "bad value \"%s\"%s: %s", ex, in, advice);
	else if (without_separators(f->s, f->len, bare, sizeof(bare)) &&
	    parse_number(bare, strlen(bare), comma_ok, &x) == NUM_OK)
		err_field(ps, f, WHOLE, "bad value \"%s\"%s: thousands separators are "
		    "not read; write %s (in the spreadsheet, a number format without "
		    "separators)", ex, in, ps->d->no_values ? ELIDED : bare);
	else if (!text_utf8_valid(f->s, f->len))
		/* "1 234,5" with Windows-1252's no-break space */
		err_field(ps, f, WHOLE, "bad value \"%s\"%s: " NOT_UTF8, ex, in);
	else if (!comma_ok && memchr(f->s, ',', f->len))
		err_field(ps, f, WHOLE, "bad value \"%s\"%s: a decimal comma is only "
		    "accepted when the delimiter is ';' or tab; use a decimal point", ex,
		    in);
	else
		err_field(ps, f, WHOLE, "bad value \"%s\"%s: expected a non-negative "
		    "number such as 12 or %s", ex, in, comma_ok ? "12,5" : "12.5");
	return false;
}

static bool valid_indicator(const char *s, size_t len)
{
	if (len == 0 || len > IND_MAX_BYTES || !(s[0] >= 'a' && s[0] <= 'z'))
		return false;
	for (size_t i = 1; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

/* The column a French header names ("Unité", "Période"...), or NULL:
 * lower case, accents of e dropped. */
static const char *french_column(const char *s, size_t len)
{
	static const char *const names[][2] = {
		{ "unite", "unit" }, { "periode", "period" }, { "mois", "period" },
		{ "indicateur", "indicator" }, { "valeur", "value" },
	};
	char w[16];
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (n + 1 >= sizeof(w))
			return NULL;
		if (c == 0xC3 && i + 1 < len && s[i + 1] && strchr("\xA8\xA9\xAA\x88\x89\x8A",
		    s[i + 1])) {
			w[n++] = 'e';	/* è é ê È É Ê */
			i++;
		} else {
			w[n++] = (char)tolower(c);
		}
	}
	w[n] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(w, names[i][0]))
			return names[i][1];
	return NULL;
}

/* Field f without the spaces around it: f->s[*a..*b). */
static void field_trim(const struct field *f, size_t *a, size_t *b)
{
	*a = 0;
	*b = f->len;
	while (*a < *b && f->s[*a] == ' ')
		(*a)++;
	while (*b > *a && f->s[*b - 1] == ' ')
		(*b)--;
}

/* Field f, without the spaces around it, is want. */
static bool trimmed_is(const struct field *f, const char *want)
{
	size_t a, b, n = strlen(want);

	field_trim(f, &a, &b);
	return b - a == n && !memcmp(f->s + a, want, n);
}

static void bad_indicator(struct parser *ps, const struct field *f)
{
	char ex[TEXT_EXCERPT_BUFSZ];
	char lower[IND_MAX_BYTES + 1];
	const char *en = french_column(f->s, f->len);
	size_t a, b;	/* the name without spaces around it */

	field_trim(f, &a, &b);
	for (size_t i = 0; i < f->len && i < IND_MAX_BYTES; i++)
		lower[i] = (char)tolower((unsigned char)f->s[i]);
	lower[f->len < IND_MAX_BYTES ? f->len : IND_MAX_BYTES] = '\0';
	if (f->len == 0)
		err_field(ps, f, WHOLE, "empty indicator name");
	else if ((a > 0 || b < f->len) && b - a <= IND_MAX_BYTES &&
	    valid_indicator(f->s + a, b - a))	/* "unit; period": a space after ; */
		err_field(ps, f, WHOLE, "bad name \"%s\": a space around the name; "
		    "write \"%.*s\"", text_excerpt(f->s, f->len, ex), (int)(b - a), f->s + a);
	else if (en)	/* "Unité": the column is named in English */
		err_field(ps, f, WHOLE, "bad name \"%s\": columns are named in "
		    "English: write %s", text_excerpt(f->s, f->len, ex), en);
	else if (valid_indicator(lower, f->len))	/* "Unit", "Absence_Days" */
		err_field(ps, f, WHOLE, "bad name \"%s\": names are lower "
		    "case (\"%s\")", text_excerpt(f->s, f->len, ex), lower);
	else
		err_field(ps, f, WHOLE, "bad indicator name \"%s\": use a-z, 0-9 and _, "
		    "starting with a letter, at most %d bytes",
		    text_excerpt(f->s, f->len, ex), IND_MAX_BYTES);
}

/* What a file that is no CSV text is, said with how to save it as one, or
 * NULL: UTF-16, with its byte order mark or without (every other byte of
 * an ASCII header is zero), as Excel's "Unicode Text" saves it; a workbook
 * sent as it is, a zip archive (.xlsx, .ods) or the older OLE file (.xls). */
static const char *not_csv(const char *buf, size_t len, bool fr)
{
	if ((len >= 2 && (!memcmp(buf, "\xFF\xFE", 2) || !memcmp(buf, "\xFE\xFF", 2))) ||
	    (len >= 4 && ((buf[0] && !buf[1] && buf[2] && !buf[3]) ||
	    (!buf[0] && buf[1] && !buf[2] && buf[3]))))
		return MSG(fr, "the file is UTF-16 (as Excel's \"Unicode Text\" saves "
		    "it), not UTF-8: save it as \"CSV UTF-8\"");
	if (len >= 4 && !memcmp(buf, "PK\x03\x04", 4))
		return MSG(fr, "the file is a spreadsheet workbook (.xlsx or .ods), "
		    "not CSV text: save the sheet as \"CSV UTF-8\" (Excel: File > "
		    "Save As; LibreOffice: File > Save As > Text CSV)");
	if (len >= 8 && !memcmp(buf, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
		return MSG(fr, "the file is an Excel 97-2003 workbook (.xls), not CSV "
		    "text: save the sheet as \"CSV UTF-8\" (File > Save As)");
	/* Lines ended by CR alone, and none by LF: one line for the reader. */
	const char *cr = memchr(buf, '\r', len);
	if (cr && cr + 1 < buf + len && !memchr(buf, '\n', len))
		return MSG(fr, "the lines of the file end with a carriage return "
		    "alone (CR), as Excel for Mac's \"CSV (Macintosh)\" saves them, "
		    "not with LF or CRLF: save it as \"CSV UTF-8\"");
	return NULL;
}

/* Keeps where name k of a names list was first seen: its first cell. */
static void keep_place(struct parser *ps, struct batch_place **at, size_t *cap,
    size_t k, const struct field *f)
{
	if (k >= *cap) {
		*cap = *cap ? *cap * 2 : 64;
		if (*cap <= k)
			*cap = k + 1;
		*at = xreallocarray(*at, *cap, sizeof(**at));
	}
	(*at)[k] = (struct batch_place){ f->line, csv_col_at(ps, f->line_start, f->raw) };
}

/* The unit's index, or -1 after reporting the error. */
static int32_t unit_field(struct parser *ps, const struct field *f)
{
	size_t pos;
	const char *why;

	if (ps->last_unit_idx >= 0 && f->len == ps->last_unit_len &&
	    memcmp(f->s, ps->last_unit, f->len) == 0)
		return ps->last_unit_idx;
	why = unit_path_check(f->s, f->len, &pos);
	if (why) {
		char ex[TEXT_EXCERPT_BUFSZ];
		if (f->len == 0)
			err_field(ps, f, WHOLE, "empty unit");
		else if (!text_utf8_valid(f->s, f->len))
			err_field(ps, f, pos, "bad unit \"%s\": " NOT_UTF8,
			    text_excerpt(f->s, f->len, ex));
		else {
			char *hint = unit_hint(f->s, f->len, false);
			if (hint)
				err_field(ps, f, pos, "bad unit \"%s\": %s; did you mean "
				    "\"%s\"?", text_excerpt(f->s, f->len, ex),
				    msg_tr(FR(ps), why), hint);
			else
				err_field(ps, f, pos, "bad unit \"%s\": %s",
				    text_excerpt(f->s, f->len, ex), msg_tr(FR(ps), why));
			free(hint);
		}
		return -1;
	}
	size_t before = ps->units.n;
	ps->last_unit_idx = (int32_t)names_intern(&ps->units, f->s, f->len);
	if (ps->units.n != before)
		keep_place(ps, &ps->uat, &ps->uatcap, (size_t)ps->last_unit_idx, f);
	memcpy(ps->last_unit, f->s, f->len);
	ps->last_unit_len = f->len;
	return ps->last_unit_idx;
}

/* Parses the period cell; false after reporting the error. */
static bool period_field(struct parser *ps, const struct field *f, int32_t *p)
{
	enum granularity g;
	char ex[TEXT_EXCERPT_BUFSZ], now[PERIOD_BUFSZ], why[128],
	    hint[PERIOD_BUFSZ] = "";

	if (ps->last_period_ok && f->len == ps->last_period_len &&
	    memcmp(f->s, ps->last_period, f->len) == 0) {
		*p = ps->last_period_val;
		return true;
	}
	if (period_parse(f->s, f->len, &g, p) != 0) {
		if (period_why_not(f->s, f->len, why, sizeof(why), FR(ps))) {
			err_field(ps, f, WHOLE, "bad period \"%s\": %s",
			    text_excerpt(f->s, f->len, ex), why);
			return false;
		}
		bool sheet = false;
		char meant[2 * PERIOD_BUFSZ + 64] = "";
		enum granularity hg;
		int32_t hp;
		if (period_hint(f->s, f->len, ps->gran, hint, &sheet) &&
		    period_parse(hint, strlen(hint), &hg, &hp) == 0 && hp > ps->latest)
			/* Taken, it would be the next error (SPEC 4). */
			msg_snprintf(FR(ps), meant, sizeof(meant), "; did you mean %s "
			    "(after the current period %s)?", hint,
			    period_format(ps->gran, ps->latest, now));
		else if (*hint)
			msg_snprintf(FR(ps), meant, sizeof(meant), "; did you mean %s?",
			    hint);
		err_field(ps, f, WHOLE, "bad period \"%s\": expected %s%s%s",
		    text_excerpt(f->s, f->len, ex), ps->gran == GRAN_WEEK ?
		    MSG(FR(ps), "an ISO week YYYY-Www (2025-W03)") : MSG(FR(ps),
		    "a month YYYY-MM (2025-01)"), meant, sheet ? MSG(FR(ps), " (a "
		    "spreadsheet writes periods as dates unless the column is "
		    "formatted as text)") : "");
		return false;
	}
	if (g != ps->gran) {
		if (g == GRAN_WEEK)
			err_field(ps, f, WHOLE, "period %s is a week but this database "
			    "holds months", text_excerpt(f->s, f->len, ex));
		else
			err_field(ps, f, WHOLE, "period %s is a month but this database "
			    "holds weeks", text_excerpt(f->s, f->len, ex));
		return false;
	}
	if (*p > ps->latest) {
		/* A mistyped year would become "the latest period", where no
		 * unit has data, and silence every rule (SPEC 4). */
		err_field(ps, f, WHOLE, "period %s is after the current period %s: "
		    "data cannot come from the future (a mistyped year, or this "
		    "machine's clock behind?)",
		    text_excerpt(f->s, f->len, ex), period_format(ps->gran,
		    ps->latest, now));
		return false;
	}
	ps->last_period_ok = true;
	ps->last_period_val = *p;
	memcpy(ps->last_period, f->s, f->len);	/* f->len is 7 or 8 */
	ps->last_period_len = f->len;
	return true;
}

static int32_t indicator_field(struct parser *ps, const struct field *f)
{
	if (ps->last_ind_idx >= 0 && f->len == ps->last_ind_len &&
	    memcmp(f->s, ps->last_ind, f->len) == 0)
		return ps->last_ind_idx;
	if (!valid_indicator(f->s, f->len)) {
		bad_indicator(ps, f);
		return -1;
	}
	size_t before = ps->inds.n;
	ps->last_ind_idx = (int32_t)names_intern(&ps->inds, f->s, f->len);
	if (ps->inds.n != before)
		keep_place(ps, &ps->iat, &ps->iatcap, (size_t)ps->last_ind_idx, f);
	memcpy(ps->last_ind, f->s, f->len);
	ps->last_ind_len = f->len;
	return ps->last_ind_idx;
}

/* blame: where a duplicate is reported; cell: the value's own cell. */
static void add_record(struct parser *ps, uint32_t u, uint32_t ind, int32_t p,
    double v, const char *blame, const char *cell)
{
	struct import_batch *b = ps->b;

	if (b->nrecs == ps->reccap) {
		ps->reccap = ps->reccap ? ps->reccap * 2 : 4096;
		b->recs = xreallocarray(b->recs, ps->reccap, sizeof(*b->recs));
		ps->roff = xreallocarray(ps->roff, ps->reccap, sizeof(*ps->roff));
		if (ps->longform)
			ps->coff = xreallocarray(ps->coff, ps->reccap, sizeof(*ps->coff));
	}
	b->recs[b->nrecs] = (struct import_record){ u, ind, p, v };
	if (ps->longform)
		ps->coff[b->nrecs] = (size_t)(cell - ps->buf);
	ps->roff[b->nrecs++] = (size_t)(blame - ps->buf);
}

/* ---- rows ---- */

static bool digits(const struct field *f)
{
	if (f->quoted || f->len == 0)
		return false;
	for (size_t i = 0; i < f->len; i++)
		if (f->s[i] < '0' || f->s[i] > '9')
			return false;
	return true;
}

/* Whether two numbers of the row follow each other, as "12,5" unquoted in
 * a file separated by commas gives. */
static bool comma_split(const struct parser *ps)
{
	for (size_t i = 2; i + 1 < ps->nf; i++)
		if (digits(&ps->f[i]) && digits(&ps->f[i + 1]))
			return true;
	return false;
}

/* Checks the field count; false after reporting a ragged row. */
static bool row_width(struct parser *ps, size_t want)
{
	if (ps->nf == want)
		return true;
	if (ps->nf > want) {
		const struct field *f = &ps->f[want];
		if (ps->delim == ',' && comma_split(ps))
			err_at(ps, f->line, f->line_start, f->raw, "row has %zu fields "
			    "but the header has %zu: a decimal comma in a file separated "
			    "by commas makes two values of one (write 12.5, or quote "
			    "\"12,5\", or save the file with ; as the separator)",
			    ps->nf, want);
		else
			err_at(ps, f->line, f->line_start, f->raw,
			    "row has %zu fields but the header has %zu", ps->nf, want);
	} else {
		const struct field *f = &ps->f[ps->nf - 1];
		const char *ls = f->line_start;
		int line = f->line;
		for (const char *c = f->raw; c < f->rend; c++)
			if (*c == '\n') {
				line++;
				ls = c + 1;
			}
		err_at(ps, line, ls, f->rend,
		    "row has %zu field%s but the header has %zu", ps->nf,
		    ps->nf == 1 ? "" : "s", want);
	}
	return false;
}

struct header {
	bool longform;
	size_t ncols;
	size_t ucol, pcol;
	int32_t *ind;		/* wide: per column, indicator index or -1 */
};

static bool field_is(const struct field *f, const char *s)
{
	return f->len == strlen(s) && memcmp(f->s, s, f->len) == 0;
}

static bool read_header(struct parser *ps, struct header *h)
{
	size_t nerr = ps->nerr;
	bool has_unit = false, has_period = false, has_ind = false, has_val = false;

	bool got;

	while ((got = read_record(ps)) && blank_record(ps))
		;
	if (!got) {
		if (!ps->stop)
			err_at(ps, 1, ps->body, ps->body, "empty file: expected a header "
			    "line such as unit,period,absence_days or "
			    "unit,period,indicator,value");
		return false;
	}
	/* A title above the header (a report's layout): one cell, the rest
	 * of the line empty; each would be an error of its own. */
	bool title = ps->nf >= 1 && ps->f[0].len > 0 && !field_is(&ps->f[0], "unit");
	for (size_t i = 1; i < ps->nf && title; i++)
		title = ps->f[i].len == 0;
	if (title) {
		char ex[TEXT_EXCERPT_BUFSZ];
		err_field(ps, &ps->f[0], WHOLE, "the first line is a title (%s), not the "
		    "header: delete the lines above the header line, which starts with "
		    "unit,period", text_excerpt(ps->f[0].s, ps->f[0].len, ex));
		return false;
	}
	/* A period in the second column: the export left its header out, and
	 * each name of the first row would be an error of its own. */
	enum granularity g;
	int32_t p;
	if (ps->nf >= 2 && period_parse(ps->f[1].s, ps->f[1].len, &g, &p) == 0) {
		char ex[TEXT_EXCERPT_BUFSZ];
		err_field(ps, &ps->f[0], WHOLE, "the first line is a row of data (its "
		    "second column is a period, %s), not the header: add a first line "
		    "that names the columns, such as unit,period,headcount,absence_days "
		    "(wide form) or unit,period,indicator,value (long form)",
		    text_excerpt(ps->f[1].s, ps->f[1].len, ex));
		return false;
	}
	h->ncols = ps->nf;
	h->ind = xcalloc(ps->nf, sizeof(*h->ind));
	/* Duplicates through the hashes of the names (a header of a million
	 * columns is checked in one pass): an indicator interned twice, unit
	 * or period seen again, or a bad name seen again; each name's first
	 * column is kept, counted as the fields come, in order. */
	struct names bad = { 0 };
	int *first = xcalloc(ps->nf, sizeof(*first)), *badfirst = NULL;
	int ufirst = 0, pfirst = 0, dupof;
	for (size_t i = 0; i < ps->nf; i++) {
		const struct field *f = &ps->f[i];
		h->ind[i] = -1;
		dupof = 0;
		if ((i & 0xFFF) == 0xFFF)
			progress_tick();
		if (field_is(f, "unit")) {
			if (!(dupof = has_unit ? ufirst : 0)) {
				h->ucol = i;
				has_unit = true;
				ufirst = (int)i + 1;
			}
		} else if (field_is(f, "period")) {
			if (!(dupof = has_period ? pfirst : 0)) {
				h->pcol = i;
				has_period = true;
				pfirst = (int)i + 1;
			}
		} else if (f->len == 0 && i + 1 == ps->nf && i > 0) {
			err_field(ps, f, WHOLE, "empty column name: the header ends "
			    "with a separator; remove it, and the one at the end of "
			    "every row");
		} else if (f->len == 0) {
			err_field(ps, f, WHOLE, "empty column name: name the column "
			    "after its indicator, or delete it");
		} else if (!valid_indicator(f->s, f->len)) {
			size_t before = bad.n;
			uint32_t k = names_intern(&bad, f->s, f->len);
			if (bad.n == before) {
				dupof = badfirst[k];
			} else {
				badfirst = xreallocarray(badfirst, bad.n, sizeof(*badfirst));
				badfirst[k] = (int)i + 1;
				bad_indicator(ps, f);
			}
		} else {
			size_t before = ps->inds.n;
			uint32_t k = names_intern(&ps->inds, f->s, f->len);
			if (ps->inds.n == before) {
				dupof = first[k];
			} else {
				first[k] = (int)i + 1;
				keep_place(ps, &ps->iat, &ps->iatcap, k, f);
				has_ind |= field_is(f, "indicator");
				has_val |= field_is(f, "value");
				h->ind[i] = (int32_t)k;
			}
		}
		if (dupof) {
			char ex[TEXT_EXCERPT_BUFSZ];
			char letters[16];
			err_field(ps, f, WHOLE, "duplicate column \"%s\" (first in column %s)",
			    text_excerpt(f->s, f->len, ex), csv_col_letters((size_t)dupof - 1,
			    letters));
		}
	}
	names_free(&bad);
	free(badfirst);
	free(first);
	const struct field *f0 = &ps->f[0];
#define FORMS "expected unit,period,INDICATOR... (wide form) or " \
	"unit,period,indicator,value (long form)"
	if (!has_unit || !has_period) {
		const char *want = has_unit ? "period" : "unit";
		char ex[TEXT_EXCERPT_BUFSZ], aka[TEXT_EXCERPT_BUFSZ + 64] = "";

		for (size_t i = 0; i < ps->nf && !*aka; i++) {
			const struct field *f = &ps->f[i];
			const char *en = french_column(f->s, f->len);

			/* "Période", or " period" (a space after the separator) */
			if ((en && !strcmp(en, want)) || trimmed_is(f, want))
				msg_snprintf(FR(ps), aka, sizeof(aka), " (is \"%s\" that "
				    "column? write %s)", text_excerpt(ps->f[i].s,
				    ps->f[i].len, ex), want);
		}
		err_at(ps, f0->line, f0->line_start, f0->raw, "the header has no \"%s\" "
		    "column%s: " FORMS, want, aka);
	} else if (h->ucol != 0 || h->pcol != 1) {
		char a[TEXT_EXCERPT_BUFSZ], b[TEXT_EXCERPT_BUFSZ];
		err_at(ps, f0->line, f0->line_start, f0->raw, "the header must start "
		    "with unit,period, not %s,%s (move those two columns first, or "
		    "delete the columns before them): " FORMS,
		    text_excerpt(ps->f[0].s, ps->f[0].len, a),
		    text_excerpt(ps->f[1].s, ps->f[1].len, b));
	} else if (ps->nf < 3) {
		err_at(ps, f0->line, f0->line_start, f0->raw, "the header has no "
		    "indicator column: " FORMS);
	} else if (has_ind && has_val) {
		h->longform = ps->nf == 4 && h->ucol == 0 && h->pcol == 1 &&
		    field_is(&ps->f[2], "indicator") && field_is(&ps->f[3], "value");
		if (!h->longform)
			err_at(ps, f0->line, f0->line_start, f0->raw, "a long form header "
			    "is exactly unit,period,indicator,value");
	}
#undef FORMS
	if (h->longform) {
		/* The two names are columns, not indicators. */
		names_free(&ps->inds);
	}
	return ps->nerr == nerr;
}

static void wide_row(struct parser *ps, const struct header *h)
{
	int32_t u, p = 0;
	bool pok;
	double v;

	if (!row_width(ps, h->ncols))
		return;
	u = unit_field(ps, &ps->f[h->ucol]);
	pok = period_field(ps, &ps->f[h->pcol], &p);
	if (ps->nrows == ps->rowcap) {
		ps->rowcap = ps->rowcap ? ps->rowcap * 2 : 1024;
		ps->rows = xreallocarray(ps->rows, ps->rowcap, sizeof(*ps->rows));
	}
	ps->rows[ps->nrows] = (struct row_recs){ ps->b->nrecs,
		(size_t)(ps->f[h->ucol].raw - ps->buf) };
	for (size_t i = 0; i < h->ncols; i++) {
		const struct field *f = &ps->f[i];
		if (h->ind[i] < 0 || f->len == 0)
			continue;
		if (value_field(ps, f, ps->inds.v[h->ind[i]], &v) && u >= 0 && pok)
			add_record(ps, (uint32_t)u, (uint32_t)h->ind[i], p, v, f->raw,
			    f->raw);
	}
	if (ps->b->nrecs > ps->rows[ps->nrows].rec)
		ps->nrows++;
}

static void long_row(struct parser *ps)
{
	int32_t u, ind, p = 0;
	bool pok, vok = false;
	double v = 0;

	if (!row_width(ps, 4))
		return;
	u = unit_field(ps, &ps->f[0]);
	pok = period_field(ps, &ps->f[1], &p);
	ind = indicator_field(ps, &ps->f[2]);
	if (ps->f[3].len == 0)
		err_field(ps, &ps->f[3], WHOLE, "empty value (leave the row out when "
		    "there is no value)");
	else
		vok = value_field(ps, &ps->f[3], NULL, &v);
	if (u >= 0 && pok && ind >= 0 && vok)
		add_record(ps, (uint32_t)u, (uint32_t)ind, p, v, ps->f[0].raw,
		    ps->f[3].raw);
}

/* ---- duplicates ---- */

static int cmp_rec(const void *a, const void *b, void *ctx)
{
	const struct import_record *r = ctx;
	uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;

	if (r[i].ind != r[j].ind)
		return r[i].ind < r[j].ind ? -1 : 1;
	if (r[i].period != r[j].period)
		return r[i].period < r[j].period ? -1 : 1;
	return i < j ? -1 : i > j;
}

/* Record order by (unit, indicator, period, file order): a counting sort on
 * the unit, then a small sort inside each unit. Returns a new array. */
static uint32_t *sort_records(const struct import_batch *b)
{
	uint32_t *perm = xcalloc(b->nrecs, sizeof(*perm));
	size_t *start = xcalloc(b->nunits + 1, sizeof(*start));

	for (size_t i = 0; i < b->nrecs; i++)
		start[b->recs[i].unit + 1]++;
	for (size_t u = 0; u < b->nunits; u++)
		start[u + 1] += start[u];
	for (size_t i = 0; i < b->nrecs; i++)
		perm[start[b->recs[i].unit]++] = (uint32_t)i;
	for (size_t u = 0, lo = 0; u < b->nunits; u++) {
		size_t hi = start[u];
		qsort_r(perm + lo, hi - lo, sizeof(*perm), cmp_rec, b->recs);
		lo = hi;
	}
	free(start);
	return perm;
}

int csv_parse(const char *name, const char *buf, size_t len,
    enum granularity g, int32_t latest, struct import_batch *b, struct diags *d)
{
	return csv_parse_warn(name, buf, len, g, latest, b, d, NULL);
}

int csv_parse_warn(const char *name, const char *buf, size_t len,
    enum granularity g, int32_t latest, struct import_batch *b, struct diags *d,
    struct diags *w)
{
	struct parser ps = { .name = name, .buf = buf, .end = buf + len,
		.line = 1, .gran = g, .latest = latest, .d = d, .b = b,
		.last_unit_idx = -1, .last_ind_idx = -1 };
	struct header h = { 0 };
	const char *what;
	size_t from = d->n;
	int32_t *base = NULL;

	memset(b, 0, sizeof(*b));
	b->gran = g;
	if (w)
		w->kind = "warning";
	ps.body = buf;
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		ps.body = buf + 3;
	ps.p = ps.line_start = ps.body;
	ps.delim = detect_delim(ps.body, ps.end);

	if ((what = not_csv(buf, len, d->fr)))
		err_at_(&ps, 1, ps.body, ps.body, "%s", what);
	else if (read_header(&ps, &h)) {
		ps.longform = h.longform;
		while (read_record(&ps)) {
			if (blank_record(&ps))
				continue;
			if ((++b->rows & 0xFFF) == 0)
				progress_tick();
			if (h.longform)
				long_row(&ps);
			else
				wide_row(&ps, &h);
		}
		if (w)
			base = csv_companion_bases(&ps.inds);
		names_take(&ps.units, &b->units, &b->nunits);
		names_take(&ps.inds, &b->inds, &b->ninds);
		b->unit_at = ps.uat;
		b->ind_at = ps.iat;
		ps.uat = ps.iat = NULL;
		if (!ps.stop && b->nrecs) {
			uint32_t *perm;
			progress_tick();
			perm = sort_records(b);
			progress_tick();
			/* Duplicates are found last: put them in line order. */
			if (csv_report_duplicates(&ps, perm))
				diags_sort(d, from);
			if (ps.nerr == 0) {
				if (w) {
					progress_tick();
					csv_warn_companions(&ps, perm, base, w);
				}
				/* Leave the records in key order for the store. */
				struct import_record *sorted = xcalloc(b->nrecs, sizeof(*sorted));
				b->pmin = b->pmax = b->recs[0].period;
				for (size_t i = 0; i < b->nrecs; i++) {
					sorted[i] = b->recs[perm[i]];
					if (sorted[i].period < b->pmin)
						b->pmin = sorted[i].period;
					if (sorted[i].period > b->pmax)
						b->pmax = sorted[i].period;
				}
				free(b->recs);
				b->recs = sorted;
				csv_drop_unused_indicators(b);
			}
			free(perm);
		}
	}
	/* A header and no row: an extraction that failed, most likely, which
	 * imports nothing; not an error of SPEC 4. */
	if (w && !ps.nerr && !ps.stop && h.ind && !b->rows)
		diags_add_tr(w, name, 1, 1, "the file has a header and no row of "
		    "data: nothing to import (an extraction that failed?)");
	free(h.ind);
	free(ps.f);
	free(ps.scratch);
	free(ps.roff);
	free(ps.rows);
	free(ps.coff);
	free(ps.uat);
	free(ps.iat);
	free(base);
	names_free(&ps.units);
	names_free(&ps.inds);
	if (ps.nerr) {
		import_batch_free(b);
		return -1;
	}
	return 0;
}
