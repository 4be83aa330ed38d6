/* Secrets (SMTP passwords, webhook keys, bearer tokens) read from a file or
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

#endif
