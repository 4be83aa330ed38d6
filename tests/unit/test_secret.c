/* Secrets (daemon/util/secret.c): files readable by group or others are
 * refused, without their content in the message; systemd credentials are
 * read from $CREDENTIALS_DIRECTORY; one trailing newline is stripped. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vigie/secret.h"

Test(secret, refuses_a_file_readable_by_group_or_others)
{
	char *s = NULL, *err = NULL;
	char path[] = "/tmp/vigie-secret-XXXXXX";
	int fd = mkstemp(path);

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "hunter2\n", 8), 8);
	close(fd);
	chmod(path, 0640);
	cr_assert_eq(secret_read(path, NULL, &s, &err), -1);
	cr_assert_null(s);
	cr_assert_not_null(strstr(err, "readable by group or others (mode 0640); run chmod 600"), "%s", err);
	cr_assert_null(strstr(err, "hunter2"));
	free(err);
	chmod(path, 0600);
	cr_assert_eq(secret_read(path, NULL, &s, &err), 0);
	cr_assert_str_eq(s, "hunter2", "one trailing newline is stripped");
	secret_free(s);
	unlink(path);
}

Test(secret, reads_a_systemd_credential)
{
	char d[] = "/tmp/vigie-cred-XXXXXX", p[128], *s = NULL, *err = NULL;
	FILE *f;

	cr_assert_not_null(mkdtemp(d));
	snprintf(p, sizeof(p), "%s/smtp-password", d);
	f = fopen(p, "w");
	fputs("s3cret\n\n", f);
	fclose(f);
	chmod(p, 0400);
	setenv("CREDENTIALS_DIRECTORY", d, 1);
	cr_assert_eq(secret_read(NULL, "smtp-password", &s, &err), 0, "%s", err ? err : "");
	cr_assert_str_eq(s, "s3cret\n", "only one newline is stripped");
	secret_free(s);
	cr_assert_eq(secret_read(NULL, "missing", &s, &err), -1);
	cr_assert_not_null(strstr(err, "/missing"));
	free(err);
	unsetenv("CREDENTIALS_DIRECTORY");
	cr_assert_eq(secret_read(NULL, "smtp-password", &s, &err), -1);
	cr_assert_not_null(strstr(err, "CREDENTIALS_DIRECTORY is not set"));
	free(err);
	unlink(p);
	rmdir(d);
}
