/* The console's escaping functions (daemon/web/html.c, SPEC 14): markup in
 * a title, a unit or a note comes out as text in element content, in an
 * attribute and in a URL; invalid UTF-8 and control characters never reach
 * a page. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "vigie/web_html.h"

/* What fn writes for s. */
static char *out(void (*fn)(FILE *, const char *), const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	fn(f, s);
	fclose(f);
	return buf;
}

static void url_path(FILE *f, const char *s) { html_url(f, s, true); }
static void url_query(FILE *f, const char *s) { html_url(f, s, false); }

static void expect(void (*fn)(FILE *, const char *), const char *in, const char *want)
{
	char *got = out(fn, in);

	cr_expect_str_eq(got, want, "for [%s]", in);
	free(got);
}

Test(html, text_escapes_markup_and_keeps_utf8)
{
	expect(html_text, "<script>alert('x')</script> & \"co\"",
	    "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;");
	expect(html_text, "Absentéisme — 12,6 %", "Absentéisme — 12,6 %");
	expect(html_text, "ligne 1\nligne 2\tfin", "ligne 1\nligne 2\tfin");
	expect(html_text, "", "");
	expect(html_text, NULL, "");
}

Test(html, text_replaces_invalid_utf8_and_drops_control_characters)
{
	expect(html_text, "a\xff" "b", "a\xef\xbf\xbd" "b");
	expect(html_text, "\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd");	/* overlong '/' */
	expect(html_text, "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");	/* surrogate */
	expect(html_text, "\xe2\x82", "\xef\xbf\xbd\xef\xbf\xbd");	/* cut short */
	expect(html_text, "a\x01\x1b[31mb\x7f", "a[31mb");
}

Test(html, attribute_escapes_everything_but_letters_digits_and_three_marks)
{
	expect(html_attr, "\" onmouseover=\"alert(1)", "&#x22;&#x20;onmouseover&#x3D;&#x22;alert&#x28;1&#x29;");
	expect(html_attr, "valdis/nancy", "valdis&#x2F;nancy");
	expect(html_attr, "équipe", "équipe");
	expect(html_attr, "a`b'c<d>e&f", "a&#x60;b&#x27;c&#x3C;d&#x3E;e&#x26;f");
	expect(html_attr, "tok-en_1.x", "tok-en_1.x");
}

Test(html, url_encodes_all_but_unreserved)
{
	expect(url_path, "absenteeism-rate@valdis/nancy/production-nuit",
	    "absenteeism-rate@valdis/nancy/production-nuit");
	expect(url_query, "valdis/nancy", "valdis%2Fnancy");
	expect(url_path, "javascript:alert(1)", "javascript%3Aalert%281%29");
	expect(url_query, "a b&c=d\"<>é", "a%20b%26c%3Dd%22%3C%3E%C3%A9");
	expect(url_path, "//evil.example", "//evil.example");
}
