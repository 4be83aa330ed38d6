/* The operating-system user behind a command (include/vigie/osuser.h): the
 * real uid's name from the password database, and the login uid that the
 * kernel keeps for the session (pam_loginuid) when it differs, so that an
 * entry written through sudo names the person who logged in. Environment
 * variables (USER, SUDO_USER) are not read: anyone can set them. */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "vigie/osuser.h"
#include "vigie/xalloc.h"

char *osuser_uid_name(uid_t uid)
{
	struct passwd pw, *res = NULL;
	char buf[4096];

	if (getpwuid_r(uid, &pw, buf, sizeof(buf), &res) == 0 && res &&
	    res->pw_name && *res->pw_name)
		return xstrdup(res->pw_name);
	return xasprintf("uid %lu", (unsigned long)uid);
}

/* The login uid of the session, or -1 when unset (4294967295) or unknown. */
static long login_uid(void)
{
	FILE *f = fopen("/proc/self/loginuid", "r");
	unsigned long v;
	long r = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%lu", &v) == 1 && v != 4294967295UL)
		r = (long)v;
	fclose(f);
	return r;
}

char *osuser_name(void)
{
	uid_t uid = getuid();
	long lu = login_uid();
	char *me = osuser_uid_name(uid), *who, *out;

	if (lu < 0 || (uid_t)lu == uid)
		return me;
	who = osuser_uid_name((uid_t)lu);
	out = xasprintf("%s (login %s)", me, who);
	free(me);
	free(who);
	return out;
}
