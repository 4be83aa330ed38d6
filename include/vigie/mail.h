/* Rendering a digest email (SPEC 9): RFC 5322 headers with an RFC 2047
 * subject, multipart/alternative with a text part then an HTML part, both
 * UTF-8 and quoted-printable, CRLF line ends, lines of at most 76 chars.
 * Anything that reaches a header is stripped of control characters. */
#ifndef VIGIE_MAIL_H
#define VIGIE_MAIL_H

#include <stddef.h>
#include <time.h>
#include "vigie/notice.h"
#include "vigie/rules.h"	/* enum locale */

struct mail_envelope {
	const char *from;	/* "Name <addr>" or "addr" */
	const char *to;		/* one address */
	const char *uid;	/* Message-ID left part */
	time_t date;
};

/* The whole message, ready for SMTP DATA. Returns a new buffer (caller
 * frees), its length in *len. */
char *mail_render(const struct notice *v, size_t n, enum locale loc,
    const struct mail_envelope *env, size_t *len);
/* The subject in plain UTF-8 (before encoding). Caller frees. */
char *mail_subject(const struct notice *v, size_t n, enum locale loc);
/* The plain text and HTML bodies ("\n" line ends, before encoding). Caller
 * frees. */
char *mail_text(const struct notice *v, size_t n, enum locale loc);
char *mail_html(const struct notice *v, size_t n, enum locale loc);
/* "Name: value" with the value as RFC 2047 Q encoded-words of at most 75
 * chars, folded so that no line exceeds 76 chars, CRLF-terminated. Control
 * characters become spaces, invalid UTF-8 becomes U+FFFD. Caller frees. */
char *mail_header_encoded(const char *name, const char *value);
/* Quoted-printable of text ("\n" or "\r\n" line ends), with CRLF line ends
 * and soft breaks keeping lines at most 76 chars. Caller frees. */
char *mail_qp(const char *text, size_t len, size_t *outlen);
/* The address part of "Name <addr>" (or the whole string), into buf. */
const char *mail_addr_spec(const char *from, char *buf, size_t size);

/* Words for messages, in the locale: "critique"/"vigilance" (fr) or
 * "critical"/"warning" (en), "-" otherwise; and the event's name ("nouvelle
 * alerte", "résolue"...; the kind itself when unknown). Static strings. */
const char *mail_severity_word(const char *sev, enum locale loc);
const char *mail_event_word(const char *kind, enum locale loc);

#endif
