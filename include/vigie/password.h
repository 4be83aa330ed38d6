/* Passwords of the console's accounts (SPEC 14), hashed with yescrypt
 * through the system's crypt(3) (libxcrypt): the default of Debian's
 * /etc/shadow, already on every machine, memory-hard like Argon2id, and its
 * "$y$" strings carry their own parameters, so a later cost raise still
 * verifies the old hashes. Used by `vigie user` and by vigie-web. */
#ifndef VIGIE_PASSWORD_H
#define VIGIE_PASSWORD_H

#include <stdbool.h>

#define PASSWORD_MIN_CHARS 12	/* characters (UTF-8 code points) */
#define PASSWORD_MAX_BYTES 1024

enum password_problem {
	PASSWORD_OK, PASSWORD_TOO_SHORT, PASSWORD_TOO_LONG, PASSWORD_CONTROL
};
/* What makes pw unacceptable (the rules of password_check), for a caller
 * that words it in its own language (the console). */
enum password_problem password_problem(const char *pw);
/* NULL when pw is acceptable (PASSWORD_MIN_CHARS characters at least,
 * PASSWORD_MAX_BYTES bytes at most, no control character), else a static
 * message saying what to change. */
const char *password_check(const char *pw);
/* A new "$y$..." hash of pw with a fresh random salt (caller frees), or
 * NULL when crypt(3) fails. */
char *password_hash(const char *pw);
/* Whether pw matches hash; the hashes are compared in constant time, and a
 * malformed hash never matches. */
bool password_verify(const char *pw, const char *hash);
/* Takes as long as a password_verify against a real hash and matches
 * nothing: a login for an unknown account costs the same as a wrong
 * password, so timing does not tell which accounts exist. */
void password_verify_dummy(const char *pw);

#endif
