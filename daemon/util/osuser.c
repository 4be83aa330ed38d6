/* The operating-system user behind a CLI action, for the audit log
 * (include/vigie/osuser.h). The real uid, not $USER: an environment
 * variable is whatever the caller sets, and sudo keeps the real user in
 * SUDO_USER only, which is as easy to set; the uid is what the kernel
 * says. */
#include <pwd.h>
#include <stdio.h>
#include <unistd.h>
#include "vigie/osuser.h"

char *os_user(char *buf, size_t size)
{
	uid_t uid = getuid();
	struct passwd pw, *res = NULL;
	char tmp[1024];

	if (getpwuid_r(uid, &pw, tmp, sizeof(tmp), &res) == 0 && res && res->pw_name &&
	    *res->pw_name)
		snprintf(buf, size, "%s", res->pw_name);
	else
		snprintf(buf, size, "uid %u", (unsigned)uid);
	return buf;
}
