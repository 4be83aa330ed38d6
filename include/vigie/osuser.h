/* Who runs this process (daemon/util/osuser.c): the operating-system user
 * of the process's credentials, for the audit log of CLI actions (SPEC 3),
 * never a name the user typed. */
#ifndef VIGIE_OSUSER_H
#define VIGIE_OSUSER_H

/* The login name of the real user id (getpwuid(getuid())), or "uid N"
 * when it has none. A new string; caller frees. */
char *osuser_name(void);

#endif
