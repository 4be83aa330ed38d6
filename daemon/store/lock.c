/* One daemon per database (include/vigie/store.h, SPEC 8): an exclusive
 * flock(2) on the file PATH.lock beside the database. flock, not fcntl:
 * SQLite's own POSIX locks on the database are per process and per inode,
 * and a second descriptor on the database itself would drop them when
 * closed; the lock file is a different inode, and a flock lives exactly as
 * long as its descriptor (it ends with the process, also after SIGKILL).
 * The holder writes its pid into the file, so that the one refused can say
 * which process to look at. The lock is beside the file the path names,
 * symbolic links resolved (as SQLite names its journal): two paths to one
 * database share one lock. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>
#include "store_impl.h"
#include "vigie/progress.h"

/* The pid written in the lock file, or 0. */
static long holder_pid(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

int store_lock(const char *db_path, long wait_ms, char **err)
{
	char *real = realpath(db_path, NULL);	/* NULL: not created yet */
	char *path = db_msg("%s.lock", real ? real : db_path), pid[32];
	struct timespec t0, t;
	int fd, n;

	free(real);
	*err = NULL;
	if (!path) {
		*err = db_msg("out of memory");
		return -1;
	}
	fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600);
	if (fd < 0) {
		*err = db_msg("cannot open the lock file %s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		long waited;

		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK) {
			*err = db_msg("cannot lock %s: %s", path, strerror(errno));
			goto fail;
		}
		clock_gettime(CLOCK_MONOTONIC, &t);
		waited = (t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000;
		if (waited >= wait_ms) {
			long holder = holder_pid(fd);
			if (holder > 0)
				*err = db_msg("another vigied (pid %ld) is running on the "
				    "database %s (it holds %s)", holder, db_path, path);
			else
				*err = db_msg("another vigied is running on the database %s "
				    "(it holds %s)", db_path, path);
			close(fd);
			free(path);
			return STORE_LOCK_BUSY;
		}
		/* Asked to stop (SIGTERM: progress.h) while waiting: there is
		 * nothing to finish. */
		if (progress_tick()) {
			*err = db_msg("asked to stop while waiting for the lock %s", path);
			close(fd);
			free(path);
			return STORE_LOCK_STOPPED;
		}
		usleep(100 * 1000);
	}
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
		/* The pid is only for messages: the lock holds without it. */
	}
	free(path);
	return fd;
fail:
	close(fd);
	free(path);
	return -1;
}

/* Without the kernel's table of locks (systemd's ProcSubset=pid, as the
 * shipped units have, hides /proc/locks): the pid the holder wrote in the
 * lock file, when a process of that pid runs and is a vigied. 0 when none
 * runs with that pid (the pid of a daemon that stopped), -1 when that
 * cannot be known. */
static long holder_by_pid(const char *path)
{
	char comm[32] = "", p[64];
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	long pid;
	FILE *f;

	if (fd < 0)
		return -1;
	pid = holder_pid(fd);	/* another descriptor: the holder's flock stays */
	close(fd);
	if (pid <= 0)
		return 0;
	snprintf(p, sizeof(p), "/proc/%ld/comm", pid);
	if (!(f = fopen(p, "re")))
		return errno == ENOENT ? 0 : -1;
	if (!fgets(comm, sizeof(comm), f))
		comm[0] = '\0';
	fclose(f);
	return strcmp(comm, "vigied\n") == 0 ? pid : 0;
}

long store_lock_holder(const char *db_path)
{
	char *real = realpath(db_path, NULL);
	char *path = db_msg("%s.lock", real ? real : db_path), line[256];
	struct stat sb;
	long pid = 0;
	FILE *f;

	free(real);
	if (!path || stat(path, &sb) != 0) {
		free(path);
		return 0;	/* no daemon ever ran on it */
	}
	/* The kernel's table of locks, read rather than trying the lock: a
	 * try would hold it for an instant, and a daemon starting then
	 * would find it taken and exit. */
	if (!(f = fopen("/proc/locks", "re"))) {
		pid = holder_by_pid(path);
		free(path);
		return pid;
	}
	free(path);
	while (!pid && fgets(line, sizeof(line), f)) {
		unsigned maj, min;
		unsigned long long ino;
		long p;

		if (sscanf(line, "%*[^:]: FLOCK %*s WRITE %ld %x:%x:%llu", &p, &maj, &min,
		    &ino) == 4 && maj == major(sb.st_dev) && min == minor(sb.st_dev) &&
		    ino == (unsigned long long)sb.st_ino && p > 0)
			pid = p;
	}
	fclose(f);
	return pid;
}

long db_lock_other(const char *db_path)
{
	long pid = store_lock_holder(db_path);

	return pid > 0 && pid != (long)getpid() ? pid : 0;
}
