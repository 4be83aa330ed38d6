/* Internet message encodings for email (daemon/notify/mime.c): RFC 2047
 * headers, quoted-printable bodies, addresses, the Date and From headers
 * and a multipart part. Anything that reaches a header is stripped of
 * control characters. */
#ifndef VIGIE_MIME_H
#define VIGIE_MIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

/* A copy of s (NULL: "") with control characters as spaces (keeping "\n"
 * and tabs when multiline) and invalid UTF-8 as U+FFFD. Caller frees. */
char *mime_clean(const char *s, bool multiline);
/* "Name: value" with the value as RFC 2047 Q encoded-words of at most 75
 * chars, folded so that no line exceeds 76 chars, CRLF-terminated. Control
 * characters become spaces, invalid UTF-8 becomes U+FFFD. Caller frees. */
char *mime_header_encoded(const char *name, const char *value);
/* Quoted-printable of text ("\n" or "\r\n" line ends), with CRLF line ends
 * and soft breaks keeping lines at most 76 chars. Caller frees. */
char *mime_qp(const char *text, size_t len, size_t *outlen);
/* The address part of "Name <addr>" (or the whole string), into buf. */
const char *mime_addr_spec(const char *from, char *buf, size_t size);
/* "Date: ..." (RFC 5322, UTC), "From: ..." (name: the display name, or
 * NULL; as atoms, a quoted string, or RFC 2047 encoded-words when it is
 * not ASCII), and one quoted-printable part of a multipart body, written
 * to f. */
void mime_put_date(FILE *f, time_t t);
void mime_put_from(FILE *f, const char *name, const char *addr);
void mime_put_part(FILE *f, const char *boundary, const char *type, const char *body);
/* An attachment part of a multipart/mixed body: data[0..len) in base64
 * (lines of 76 chars), with its type and file name (RFC 2231 encoded when
 * it is not plain ASCII), written to f. */
void mime_put_attachment(FILE *f, const char *boundary, const char *type,
    const char *filename, const void *data, size_t len);
/* "Message-ID: <UID@DOMAIN>" with DOMAIN the domain of from and UID with
 * spaces, '<', '>' and '@' as '_', written to f. */
void mime_put_message_id(FILE *f, const char *uid, const char *from);

#endif
