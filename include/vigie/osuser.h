/* Who runs this process, for the audit log (SPEC 3): the operating-system
 * user of the process's credentials, never a name given on the command
 * line. */
#ifndef VIGIE_OSUSER_H
#define VIGIE_OSUSER_H

#include <sys/types.h>

/* "alice"; "root (login alice)" when the login user (/proc/self/loginuid,
 * kept across sudo and su) is another one; "uid 1234" for a user without a
 * name. Returns a new string; caller frees. */
char *osuser_name(void);
/* The name of uid (the owner of a file dropped in the inbox), or "uid N".
 * Returns a new string. */
char *osuser_uid_name(uid_t uid);

#endif
