/* Secrets (SMTP passwords, webhook keys, bearer tokens, basic auth) read from a file or
 * a systemd credential ($CREDENTIALS_DIRECTORY/NAME), refusing files that
 * group or others may read. Secret text never reaches a log. */
#ifndef VIGIE_SECRET_H
#define VIGIE_SECRET_H

#include <stddef.h>

#define SECRET_MAX_BYTES 65536

/* Reads the secret from file, or when file is NULL from the credential
 * name. Strips one trailing newline (LF or CRLF). Returns 0 and a new string
 * in *out (caller frees with secret_free), or -1 and a new message in *err
 * (caller frees) that names the file but not its content. */
int secret_read(const char *file, const char *credential, char **out,
    char **err);
/* Wipes and frees a secret (NULL is fine). */
void secret_free(char *s);

/* What a secret is for, and so what its content must be. */
enum secret_kind {
	SECRET_PASSWORD,	/* SMTP: one line */
	SECRET_TOKEN,		/* a bearer token: printable, no spaces */
	SECRET_WEBHOOK,		/* Standard Webhooks: "whsec_" + base64 key */
	SECRET_BASIC,		/* HTTP basic auth: "user:password", one line */
};
#define SECRET_KEY_MIN 16	/* bytes of a webhook key, at least */
#define SECRET_KEY_MAX 512	/* and at most */
/* Why s cannot be a secret of that kind, or NULL when it can. The reason
 * is static and never quotes s. */
const char *secret_check(enum secret_kind kind, const char *s);
/* The key of a webhook secret: "whsec_" (required) then standard base64,
 * padded or not (as the Standard Webhooks reference libraries accept it),
 * of SECRET_KEY_MIN to SECRET_KEY_MAX bytes. Writes it into key (size
 * bytes) and its length into *len; returns NULL, or a static reason (and
 * *len 0). */
const char *secret_webhook_key(const char *secret, unsigned char *key, size_t size,
    size_t *len);
/* Reads the secret (as secret_read) and checks it for kind: 0 when valid;
 * 1 when this process cannot get at it (missing file, permission, no
 * $CREDENTIALS_DIRECTORY), so that it can only be checked by the process
 * that uses it; -1 when it is invalid. With 1 and -1, a new message in
 * *err (caller frees) that never quotes the secret. */
int secret_validate(const char *file, const char *credential,
    enum secret_kind kind, char **err);

#endif
