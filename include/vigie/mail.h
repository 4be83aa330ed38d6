/* Rendering a digest email (SPEC 9): the text and HTML bodies of a digest
 * and the whole RFC 5322 message, multipart/alternative with a text part
 * then an HTML part, both UTF-8 and quoted-printable (mime.h), CRLF line
 * ends, lines of at most 76 chars. */
#ifndef VIGIE_MAIL_H
#define VIGIE_MAIL_H

#include <stddef.h>
#include <time.h>
#include "vigie/config.h"
#include "vigie/notice.h"
#include "vigie/rules.h"	/* enum locale */

struct mail_envelope {
	const char *from_name;	/* the sender's display name, or NULL */
	const char *from_addr;	/* the sender's address */
	const char *to;		/* one address */
	const char *uid;	/* Message-ID left part */
	time_t date;
	const char *web_url;	/* web.url: each alert links to its console
				 * page; NULL: no link */
};

/* The whole message, ready for SMTP DATA. Returns a new buffer (caller
 * frees), its length in *len. */
char *mail_render(const struct notice *v, size_t n, enum locale loc,
    const struct mail_envelope *env, size_t *len);
/* The plain text and HTML bodies ("\n" line ends, before encoding). Caller
 * frees. */
char *mail_text(const struct notice *v, size_t n, enum locale loc);
char *mail_html(const struct notice *v, size_t n, enum locale loc);

/* A scheduled report (a message carrying one event of kind "report", SPEC
 * 15) is rendered when it is sent, by the report room above this one: the
 * program that links it (vigied) registers its renderer. It returns the
 * whole message as mail_render does, or NULL with a one-line reason in err
 * (the attempt fails and is retried). */
/* The size of a message past which a report's email is said too large
 * before it goes (a warning in the log): Postfix's default
 * message_size_limit, 10 MB, the smallest limit in common use (route.h
 * keeps digests under it). */
#define MAIL_SIZE_COMMON_LIMIT 10240000
typedef char *(*mail_report_fn)(const struct config *cfg, const struct notice *x,
    const struct mail_envelope *env, size_t *len, char *err, size_t errsize);
void mail_set_report_renderer(mail_report_fn fn);
/* The message of the report notice x through the registered renderer, or
 * NULL with the reason in err (also when none is registered). */
char *mail_render_report(const struct config *cfg, const struct notice *x,
    const struct mail_envelope *env, size_t *len, char *err, size_t errsize);

#endif
