/* scratch.c -- replay's scratch directory (copies of shared objects, exec
 * images), kept out of the trace so that a read-only trace replays and a
 * killed replay leaves nothing in it.
 *
 * Each replay flocks its directory while it runs: a directory whose lock
 * anyone can take belongs to a replay that died, whatever its PID became
 * since.  A directory is created under a name the cleaners skip and
 * renamed once locked, so no cleaner takes one being born; a name in use
 * (a replay of the same PID in another PID namespace) is never taken
 * over: the next one is used. */
#include "core/scratch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/util.h"

/* A directory of ours that no one else can write: /dev/shm is shared. */
static int private_dir(const char *path)
{
	if (mkdir(path, 0700) < 0 && errno != EEXIST) {
		err_set("cannot create the replay scratch directory %s: %s", path,
		        strerror(errno));
		return -1;
	}
	struct stat st;
	if (lstat(path, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 022)) {
		err_set("%s, where replay keeps its scratch files, is not a private directory "
		        "of this user", path);
		return -1;
	}
	return 0;
}

static bool usable(const char *dir, bool own)
{
	struct stat st;
	return dir && dir[0] == '/' && stat(dir, &st) == 0 && S_ISDIR(st.st_mode) &&
	       access(dir, W_OK | X_OK) == 0 && (!own || st.st_uid == geteuid());
}

/* $XDG_RUNTIME_DIR/scribe, else /dev/shm/scribe-UID (/tmp's without it).
 * Not another user's runtime directory (sudo -E keeps the variable). */
static char *scratch_base(void)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	if (usable(xdg, true))
		return xasprintf("%s/scribe", xdg);
	return xasprintf("%s/scribe-%u", usable("/dev/shm", false) ? "/dev/shm" : "/tmp",
	                 (unsigned)geteuid());
}

/* Remove the files of a (flat) directory, then the directory. */
static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	for (struct dirent *e; d && (e = readdir(d));)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlinkat(dirfd(d), e->d_name, 0);
	if (d)
		closedir(d);
	rmdir(dir);
}

/* Directories of dead replays; ".new-" ones are a minute's grace. */
static void clean_dead(const char *base)
{
	DIR *d = opendir(base);
	for (struct dirent *e; d && (e = readdir(d));) {
		bool born = !strncmp(e->d_name, ".new-", 5);
		if (strncmp(e->d_name, "replay-", 7) && !born)
			continue;
		char *p = xasprintf("%s/%s", base, e->d_name);
		struct stat st;
		int fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
		if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0 && fstat(fd, &st) == 0 &&
		    (!born || (uint64_t)st.st_mtime + 60 < now_ns() / 1000000000))
			remove_dir(p);
		if (fd >= 0)
			close(fd);
		free(p);
	}
	if (d)
		closedir(d);
}

/* Make, lock and name BASE/replay-PID-N; 1 when the name is taken (by a
 * live replay: of another PID namespace, say). */
static int make_locked(const char *base, unsigned n, char **dir, int *lockfd)
{
	char *tmp = xasprintf("%s/.new-%d-%u", base, getpid(), n);
	*dir = xasprintf("%s/replay-%d-%u", base, getpid(), n);
	int fd = -1, rc = 1;
	if (mkdir(tmp, 0700) < 0) {
		if (errno != EEXIST) {
			err_set("cannot create a replay scratch directory in %s: %s", base,
			        strerror(errno));
			rc = -1;
		}
		goto out;
	}
	fd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0 && flock(fd, LOCK_EX) == 0 &&
	    renameat2(AT_FDCWD, tmp, AT_FDCWD, *dir, RENAME_NOREPLACE) == 0) {
		*lockfd = fd;
		fd = -1;
		rc = 0;
	} else if (errno != EEXIST) {
		err_set("cannot set up the replay scratch directory %s: %s", *dir, strerror(errno));
		rc = -1;
	}
	if (rc != 0)
		rmdir(tmp);
out:
	if (fd >= 0)
		close(fd);
	if (rc != 0) {
		free(*dir);
		*dir = NULL;
	}
	free(tmp);
	return rc;
}

char *scratch_create(int *lockfd)
{
	char *base = scratch_base();
	char *dir = NULL;
	if (private_dir(base) == 0) {
		clean_dead(base);
		/* Not mkdtemp: it reads the clock through the vDSO, which traps
		 * in a tracer (cpu.h). */
		int rc = 1;
		for (unsigned n = 0; rc == 1 && n < 1000; n++)
			rc = make_locked(base, n, &dir, lockfd);
		if (rc == 1)
			err_set("no free replay scratch directory name in %s", base);
	}
	free(base);
	return dir;
}

void scratch_remove(const char *dir, int lockfd)
{
	if (!dir)
		return;
	remove_dir(dir);
	if (lockfd >= 0)
		close(lockfd);
}
