/* Who runs this process, for the audit log (SPEC 3): the operating-system
 * user of the process's credentials, never a name given on the command
 * line. */
#ifndef VIGIE_OSUSER_H
#define VIGIE_OSUSER_H

/* "alice"; "root (login alice)" when the login user (/proc/self/loginuid,
 * kept across sudo and su) is another one; "uid 1234" for a user without a
 * name. Returns a new string; caller frees. */
char *osuser_name(void);

#endif
