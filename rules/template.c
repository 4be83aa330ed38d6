/* Summary templates and number formatting (SPEC 5). A template is text with
 * {{name}} placeholders (spaces inside the braces are allowed: {{ value }});
 * template_check validates one at load time, so rendering never meets an
 * unknown name, and format_number writes values the way messages show them.
 * Both walk templates with the same scanner so they cannot disagree. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/rules.h"
#include "vigie/xalloc.h"

static const char *const placeholders[] = {
	"rule", "title", "unit", "period", "severity", "value", "threshold", "since",
	"observed", "expected", "ratio",
};
#define NPLACEHOLDERS (sizeof(placeholders) / sizeof(placeholders[0]))

/* Raw names in both locales: scripts and mail filters match on them, and a
 * translated word would make the same rule read differently per site. */
const char *severity_name(enum severity s)
{
	switch (s) {
	case SEV_WARNING:
		return "warning";
	case SEV_CRITICAL:
		return "critical";
	default:
		return NULL;
	}
}

int figure_decimals(double x, int decimals)
{
	double a = fabs(x);

	if (decimals < 0)
		decimals = 0;
	while (isfinite(a) && a > 0 && decimals < FIGURE_DECIMALS_MAX &&
	    a < 0.5 * pow(10, -decimals))
		decimals++;
	return decimals;
}

char *format_number(char *buf, size_t size, double x, int decimals,
    enum locale loc)
{
	char *dot;
	size_t n;

	if (!size)
		return buf;
	if (decimals < 0)
		decimals = 0;
	if (decimals > 20)
		decimals = 20;
	snprintf(buf, size, "%.*f", decimals, x);
	dot = strchr(buf, '.');
	if (dot) {
		n = strlen(buf);
		while (n > 0 && buf[n - 1] == '0')
			buf[--n] = '\0';
		if (n > 0 && buf[n - 1] == '.')
			buf[--n] = '\0';
	}
	if (loc == LOC_FR && (dot = strchr(buf, '.')))
		*dot = ',';
	return buf;
}

/* One piece of a template: literal text, or a placeholder whose name is
 * name[0..nlen) (spaces trimmed), or an unterminated "{{". */
enum piece_kind { P_TEXT, P_PLACEHOLDER, P_UNTERMINATED };
struct piece {
	enum piece_kind kind;
	size_t start, end;	/* the piece's bytes in the template */
	size_t name, nlen;	/* placeholders: offset and length of the name */
};

/* Reads the piece starting at off (off < len). */
static struct piece next_piece(const char *s, size_t len, size_t off)
{
	struct piece p = { P_TEXT, off, off, 0, 0 };
	const char *open = NULL, *close;
	size_t i;

	for (i = off; i + 1 < len; i++) {
		if (s[i] == '{' && s[i + 1] == '{') {
			open = s + i;
			break;
		}
	}
	if (!open) {
		p.end = len;
		return p;
	}
	if (open > s + off) {
		p.end = (size_t)(open - s);
		return p;
	}
	close = memmem(s + off + 2, len - off - 2, "}}", 2);
	if (!close) {
		p.kind = P_UNTERMINATED;
		p.end = len;
		return p;
	}
	p.kind = P_PLACEHOLDER;
	p.end = (size_t)(close - s) + 2;
	p.name = off + 2;
	p.nlen = (size_t)(close - s) - p.name;
	while (p.nlen && s[p.name] == ' ') {
		p.name++;
		p.nlen--;
	}
	while (p.nlen && s[p.name + p.nlen - 1] == ' ')
		p.nlen--;
	return p;
}

static int placeholder_index(const char *name, size_t len)
{
	for (size_t i = 0; i < NPLACEHOLDERS; i++)
		if (strlen(placeholders[i]) == len && !memcmp(placeholders[i], name, len))
			return (int)i;
	return -1;
}

int template_check(const char *s, size_t len, const char *file,
    const struct srcpos *pos, struct diags *d)
{
	int errors = 0;

	for (size_t off = 0; off < len; ) {
		struct piece p = next_piece(s, len, off);
		int line = pos ? pos[p.start].line : 1;
		int col = pos ? pos[p.start].col : (int)p.start + 1;

		if (p.kind == P_UNTERMINATED) {
			diags_add(d, file, line, col, "unterminated placeholder in "
			    "\"summary\": \"{{\" without \"}}\"");
			errors++;
		} else if (p.kind == P_PLACEHOLDER &&
		    placeholder_index(s + p.name, p.nlen) < 0) {
			char *name = strndup(s + p.name, p.nlen);
			const char *sugg;

			if (!name)
				xalloc_die();
			sugg = closest_word(name, placeholders, NPLACEHOLDERS);
			if (sugg)
				diags_add(d, file, line, col, "unknown placeholder "
				    "\"{{%s}}\" in \"summary\" (did you mean \"{{%s}}\"?)",
				    name, sugg);
			else
				diags_add(d, file, line, col, "unknown placeholder "
				    "\"{{%s}}\" in \"summary\" (known: {{rule}}, {{title}}, "
				    "{{unit}}, {{period}}, {{severity}}, {{value}}, "
				    "{{threshold}}, {{since}}, {{observed}}, {{expected}}, "
				    "{{ratio}})", name);
			free(name);
			errors++;
		}
		off = p.end;
	}
	return errors;
}

bool template_first_placeholder(const char *s, size_t len, size_t *start,
    size_t *end)
{
	for (size_t o = 0; o < len; ) {
		struct piece p = next_piece(s, len, o);

		if (p.kind == P_PLACEHOLDER) {
			*start = p.start;
			*end = p.end;
			return true;
		}
		o = p.end;
	}
	return false;
}

const char *template_single_brace(const char *s, size_t len, size_t *off)
{
	for (size_t o = 0; o < len; ) {
		struct piece p = next_piece(s, len, o);

		for (size_t i = p.start > *off ? p.start : *off;
		    p.kind == P_TEXT && i < p.end; i++) {
			const char *close;
			size_t name = i + 1, nlen;
			int k;

			if (s[i] != '{' || !(close = memchr(s + i, '}', p.end - i)))
				continue;
			nlen = (size_t)(close - s) - name;
			while (nlen && s[name] == ' ')
				name++, nlen--;
			while (nlen && s[name + nlen - 1] == ' ')
				nlen--;
			if ((k = placeholder_index(s + name, nlen)) >= 0) {
				*off = i;
				return placeholders[k];
			}
		}
		o = p.end;
	}
	return NULL;
}

const char *template_needs_expected(const char *s, size_t len, size_t *off)
{
	for (size_t o = 0; o < len; ) {
		struct piece p = next_piece(s, len, o);
		int k = p.kind == P_PLACEHOLDER ? placeholder_index(s + p.name, p.nlen) : -1;

		if (k == 9 || k == 10) {
			*off = p.start;
			return placeholders[k];
		}
		o = p.end;
	}
	return NULL;
}

static const char default_fr[] =
    "{{title}} : {{value}} (seuil {{threshold}}) — {{unit}}, {{period}}";
static const char default_en[] =
    "{{title}}: {{value}} (threshold {{threshold}}) — {{unit}}, {{period}}";
/* A rule that states what it observes (and expects) is said in those
 * terms, never by its score (SPEC 16). */
static const char observed_fr[] =
    "{{title}} : {{observed}} observé, {{expected}} attendu — {{unit}}, {{period}}";
static const char observed_en[] =
    "{{title}}: {{observed}} observed, {{expected}} expected — {{unit}}, {{period}}";
static const char observed_only_fr[] = "{{title}} : {{observed}} observé — {{unit}}, {{period}}";
static const char observed_only_en[] = "{{title}}: {{observed}} observed — {{unit}}, {{period}}";

static const char *default_summary(const struct rule *r, enum locale loc)
{
	bool fr = loc == LOC_FR;

	if (r->expected)
		return fr ? observed_fr : observed_en;
	if (r->observed)
		return fr ? observed_only_fr : observed_only_en;
	return fr ? default_fr : default_en;
}

/* A number, or why there is none: missing data for an alert resolved by
 * carry_over or whose value is undefined for want of data, else hidden by
 * the anonymity floor. */
static void put_number(FILE *out, double x, int decimals, enum locale loc,
    bool missing)
{
	char buf[64];

	if (isnan(x) && missing)
		fputs(loc == LOC_FR ? "données manquantes" : "missing data", out);
	else if (isnan(x))
		fputs(loc == LOC_FR ? "valeur masquée" : "hidden value", out);
	else
		fputs(format_number(buf, sizeof(buf), x, decimals, loc), out);
}

/* observed, expected, ratio: when the value itself is hidden or missing,
 * they say so the same way; otherwise an undefined one (too little history
 * for the baseline) is "not available". */
static void put_compared(FILE *out, double x, const struct rule *r,
    const struct template_vars *tv, enum locale loc)
{
	if (isnan(x) && !isnan(tv->value))
		fputs(loc == LOC_FR ? "n.d." : "n/a", out);
	else
		put_number(out, x, figure_decimals(x, r->decimals), loc,
		    tv->missing || tv->absent);
}

static void put_str(FILE *out, const char *s)
{
	if (s)
		fputs(s, out);
}

char *rule_render_summary(const struct rule *r, const struct template_vars *tv,
    enum locale loc)
{
	const char *t = r->summary ? r->summary : default_summary(r, loc);
	size_t len = strlen(t);
	char *buf = NULL;
	size_t blen = 0;
	FILE *out = open_memstream(&buf, &blen);
	/* Without has_expected the caller does not know them: observed is
	 * still the value when the rule has no observed of its own. */
	double observed = tv->has_expected ? tv->observed :
	    r->observed ? NAN : tv->value;
	double expected = tv->has_expected ? tv->expected : NAN;

	if (!out)
		xalloc_die();
	for (size_t off = 0; off < len; ) {
		struct piece p = next_piece(t, len, off);
		int k = p.kind == P_PLACEHOLDER ? placeholder_index(t + p.name, p.nlen) : -1;

		switch (k) {
		case 0:
			put_str(out, r->id);
			break;
		case 1:
			put_str(out, r->title);
			break;
		case 2:
			put_str(out, tv->unit);
			break;
		case 3:
			put_str(out, tv->period);
			break;
		case 4:
			put_str(out, severity_name(tv->severity));
			break;
		case 5:
			put_number(out, tv->value, r->decimals, loc, tv->missing || tv->absent);
			break;
		case 6:
			put_number(out, tv->threshold, r->decimals, loc, false);
			break;
		case 7:
			put_str(out, tv->since);
			break;
		case 8:
			put_compared(out, observed, r, tv, loc);
			break;
		case 9:
			put_compared(out, expected, r, tv, loc);
			break;
		case 10:
			put_compared(out, isnan(observed) || isnan(expected) ||
			    expected == 0 || !isfinite(observed / expected) ? NAN :
			    observed / expected, r, tv, loc);
			break;
		default:
			/* Text, or a template that was never checked: as written. */
			fwrite(t + p.start, 1, p.end - p.start, out);
			break;
		}
		off = p.end;
	}
	if (fclose(out) != 0)
		xalloc_die();
	return buf;
}
