/* Who runs a command, for the audit log (include/vigie/cli.h): the
 * operating-system user of the process credentials, not $USER (which anyone
 * sets), and the login user when it differs (sudo, su), from the kernel's
 * audit login uid. */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <unistd.h>
#include "vigie/cli.h"
#include "vigie/xalloc.h"

/* The name of uid, or the number. A new string. */
static char *user_name(uid_t uid)
{
	struct passwd *pw = getpwuid(uid);

	return pw && pw->pw_name && *pw->pw_name ? xstrdup(pw->pw_name) :
	    xasprintf("%lu", (unsigned long)uid);
}

char *cli_actor(void)
{
	uid_t uid = getuid();
	char *me = user_name(uid), *login, *out;
	unsigned long luid;
	FILE *f = fopen("/proc/self/loginuid", "r");
	int n = f ? fscanf(f, "%lu", &luid) : 0;

	if (f)
		fclose(f);
	/* 4294967295: no login uid (a service, a container) */
	if (n != 1 || luid == 4294967295UL || (uid_t)luid == uid)
		return me;
	login = user_name((uid_t)luid);
	out = xasprintf("%s (login %s)", me, login);
	free(login);
	free(me);
	return out;
}
