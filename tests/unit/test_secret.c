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

/* The reference libraries of Standard Webhooks decode "whsec_" + base64,
 * padded or not; a key under 16 bytes is refused, and so is a secret
 * without its prefix (SPEC 9). */
Test(secret, webhook_keys_decode_padded_or_not_and_are_at_least_16_bytes)
{
	unsigned char k1[SECRET_KEY_MAX], k2[SECRET_KEY_MAX];
	size_t n1, n2;

	/* base64("vigie-unpadded-key!!"): 20 bytes, one "=" of padding */
	cr_assert_null(secret_webhook_key("whsec_dmlnaWUtdW5wYWRkZWQta2V5ISE=", k1, sizeof(k1), &n1));
	cr_assert_null(secret_webhook_key("whsec_dmlnaWUtdW5wYWRkZWQta2V5ISE", k2, sizeof(k2), &n2));
	cr_assert_eq(n1, 20);
	cr_assert_eq(n2, 20);
	cr_assert_eq(memcmp(k1, "vigie-unpadded-key!!", 20), 0);
	cr_assert_eq(memcmp(k1, k2, 20), 0);
	/* 15 bytes: too short; 16: enough */
	cr_assert_str_eq(secret_webhook_key("whsec_MTIzNDU2Nzg5MDEyMzQ1", k1, sizeof(k1), &n1),
	    "the key is shorter than 16 bytes (make one with: printf 'whsec_%s' "
	    "\"$(head -c 32 /dev/urandom | base64)\")");
	cr_assert_eq(n1, 0);
	cr_assert_null(secret_webhook_key("whsec_MTIzNDU2Nzg5MDEyMzQ1Ng", k1, sizeof(k1), &n1));
	cr_assert_eq(n1, 16);
	/* not base64: a foreign character, a lone sixth bit, padding inside */
	cr_assert_not_null(secret_webhook_key("whsec_MTIzNDU2Nzg5*DEyMzQ1Ng", k1, sizeof(k1), &n1));
	cr_assert_not_null(secret_webhook_key("whsec_MTIzNDU2Nzg5MDEyMzQ1NgABC", k1, sizeof(k1), &n1));
	cr_assert_not_null(secret_webhook_key("whsec_MTIz=DU2Nzg5MDEyMzQ1Ng", k1, sizeof(k1), &n1));
	cr_assert_not_null(secret_webhook_key("whsec_MTIzNDU2Nzg5MDEyMzQ1N===", k1, sizeof(k1), &n1));
	cr_assert_not_null(secret_webhook_key("whsec_", k1, sizeof(k1), &n1));
	/* SPEC 9: "whsec_" + base64; a bare key is refused for what it lacks */
	cr_assert_str_eq(secret_webhook_key("dmlnaWUtdW5wYWRkZWQta2V5ISE", k1, sizeof(k1), &n1),
	    "the secret does not start with \"whsec_\": write whsec_ then the key in base64 "
	    "(make one with: printf 'whsec_%s' \"$(head -c 32 /dev/urandom | base64)\")");
	cr_assert_eq(n1, 0);
	cr_assert_not_null(secret_webhook_key("WHSEC_dmlnaWUtdW5wYWRkZWQta2V5ISE", k1, sizeof(k1), &n1));
}

Test(secret, validate_checks_the_content_and_leaves_what_it_cannot_read)
{
	char d[] = "/tmp/vigie-val-XXXXXX", p[128], *err = NULL;
	FILE *f;

	cr_assert_not_null(mkdtemp(d));
	snprintf(p, sizeof(p), "%s/token", d);
	f = fopen(p, "w");
	fputs("abc def\n", f);
	fclose(f);
	chmod(p, 0600);
	cr_assert_eq(secret_validate(p, NULL, SECRET_TOKEN, &err), -1);
	cr_assert_str_eq(err, "the token contains a space, a control character or a line "
	    "break (the file must hold the token alone)");
	cr_assert_null(strstr(err, "abc"));
	free(err);
	cr_assert_eq(secret_validate(p, NULL, SECRET_PASSWORD, &err), 0);
	cr_assert_eq(secret_validate(p, NULL, SECRET_WEBHOOK, &err), -1);
	free(err);
	snprintf(p, sizeof(p), "%s/missing", d);
	cr_assert_eq(secret_validate(p, NULL, SECRET_TOKEN, &err), 1);
	cr_assert_not_null(strstr(err, "No such file or directory"), "%s", err);
	free(err);
	unsetenv("CREDENTIALS_DIRECTORY");
	cr_assert_eq(secret_validate(NULL, "cred", SECRET_TOKEN, &err), 1);
	cr_assert_not_null(strstr(err, "CREDENTIALS_DIRECTORY is not set"), "%s", err);
	free(err);
	snprintf(p, sizeof(p), "%s/token", d);
	unlink(p);
	rmdir(d);
}
