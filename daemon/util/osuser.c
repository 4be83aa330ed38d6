/* The operating-system user behind a command (include/vigie/osuser.h). The
 * real user id, not the effective one nor $USER or $LOGNAME, which the user
 * sets at will: the audit log records who ran the command, as the system
 * knows them. */
#include <pwd.h>
#include <stdlib.h>
#include <unistd.h>
#include "vigie/osuser.h"
#include "vigie/xalloc.h"

char *osuser_name(void)
{
	uid_t uid = getuid();
	struct passwd pw, *res = NULL;
	char buf[4096];

	if (getpwuid_r(uid, &pw, buf, sizeof(buf), &res) == 0 && res && res->pw_name &&
	    *res->pw_name)
		return xstrdup(res->pw_name);
	return xasprintf("uid %lu", (unsigned long)uid);
}
