/* Who runs the command line (daemon/util/osuser.c): the audit log (SPEC 3)
 * records the operating-system user for every action of the CLI. */
#ifndef VIGIE_OSUSER_H
#define VIGIE_OSUSER_H

#include <stddef.h>

/* The name of the real user running the process (getpwuid of getuid; the
 * number as "uid 1000" when it has no name), into buf. Returns buf. */
char *os_user(char *buf, size_t size);

#endif
