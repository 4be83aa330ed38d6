/* The fixture of the suites whose tests write files: each test runs in its
 * own temporary folder /tmp/vigie-TAG.XXXXXX (Criterion forks per test), so
 * file names in messages are short and exact; the folder is removed after.
 * TMPDIR_SUITE(suite, "tag") declares the suite. */
#ifndef VIGIE_TEST_TMPDIR_H
#define VIGIE_TEST_TMPDIR_H

#include <criterion/criterion.h>
#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmpdir[64];

static inline void tmpdir_enter(const char *tag)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/vigie-%s.XXXXXX", tag);
	cr_assert_not_null(mkdtemp(tmpdir));
	cr_assert_eq(chdir(tmpdir), 0);
}

static inline int tmpdir_rm_one(const char *p, const struct stat *sb, int flag,
    struct FTW *f)
{
	(void)sb;
	(void)flag;
	(void)f;
	return remove(p);
}

static inline void tmpdir_leave(void)
{
	if (chdir("/") == 0)
		nftw(tmpdir, tmpdir_rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

#define TMPDIR_SUITE(suite, tag) \
	static void suite##_enter(void) { tmpdir_enter(tag); } \
	TestSuite(suite, .init = suite##_enter, .fini = tmpdir_leave)

/* Writes text to the file name of the current folder. */
static inline void write_file(const char *name, const char *text)
{
	FILE *f = fopen(name, "w");

	cr_assert_not_null(f, "%s", name);
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
}

#endif
