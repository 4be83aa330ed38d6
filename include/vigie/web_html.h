/* Writing the console's HTML (daemon/web/html.c): one escaping function per
 * output context, so that a rule title, a unit name, a note or a summary
 * with markup in it is shown as text and never runs. Every byte that comes
 * from data or a user reaches a page through one of them. Invalid UTF-8 is
 * written as U+FFFD, control characters other than tab and line feed are
 * dropped. */
#ifndef VIGIE_WEB_HTML_H
#define VIGIE_WEB_HTML_H

#include <stdbool.h>
#include <stdio.h>

/* Element content: & < > " ' as character references. */
void html_text(FILE *f, const char *s);
/* A double-quoted attribute value: everything but letters, digits, '-',
 * '_', '.' and non-ASCII characters as &#xHH; (OWASP's rule for attributes,
 * which also keeps unquoted ones safe, with the three characters tokens and
 * names are made of). */
void html_attr(FILE *f, const char *s);
/* A URL component: every byte but A-Z a-z 0-9 - . _ ~ percent-encoded, and
 * with path true also '/' and '@' kept (unit paths, RULE@UNIT). The result
 * holds nothing an attribute must escape. */
void html_url(FILE *f, const char *s, bool path);
/* The same, of the n bytes at s (a form field's part, NUL bytes too). */
void html_url_n(FILE *f, const char *s, size_t n, bool path);

#endif
