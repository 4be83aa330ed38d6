/* Whole-file reads and atomic writes (temporary file, fsync, rename), for
 * the CLI and the daemon. */
#ifndef VIGIE_FILEIO_H
#define VIGIE_FILEIO_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* Reads a whole file; returns a new buffer (NUL-terminated, caller frees)
 * or NULL with errno set. */
char *read_file(const char *path, size_t *len);
/* Reads fd to its end, at most max bytes (0: no limit; more fails with
 * EFBIG), feeding the watchdog (progress.h) on the way. Returns a new
 * buffer (NUL-terminated, caller frees) or NULL with errno set. */
char *read_fd(int fd, size_t max, size_t *len);
/* read_fd on path opened read-only. */
char *read_file_max(const char *path, size_t max, size_t *len);
/* The absolute folder of path (".", "/" or what comes before its last
 * slash, resolved), so that paths resolved from it stay right whatever the
 * working folder becomes; as written if it cannot be resolved. Caller
 * frees. */
char *dir_of(const char *path);
/* Replaces path with text[0..len) so that a reader sees the old file or the
 * new one, never half of one. Returns 0, or -1 with errno set. */
int write_file_atomic(const char *path, const char *text, size_t len, mode_t mode);
/* A new file open for reading and writing, with no name, in dir (O_TMPFILE,
 * mode 0600; where the file system has none, one named, then unlinked at
 * once): no other process sees it, and it is gone with its last
 * descriptor, however the process ends. NULL with errno set. The daemon's
 * large bodies and reports are made in the database's folder, its own:
 * on disk, not in the tmpfs of a PrivateTmp. */
FILE *unnamed_file(const char *dir);
/* The bytes of the regular file f (flushed first), mapped read-only: *len
 * of them ("" for an empty file), so that a large file is read without
 * being copied into memory. NULL with errno set if it cannot be. Release
 * with file_unmap. */
const char *file_map(FILE *f, size_t *len);
void file_unmap(const char *p, size_t len);

#endif
