/* sys_procs: process calls no other test makes.
 *   - the scheduler's view: sched_getscheduler, sched_getparam,
 *     sched_get_priority_max/min, sched_rr_get_interval, sched_getattr;
 *   - getpriority/setpriority: the program raises its own nice value;
 *   - capget, and capset dropping CAP_NET_RAW in a forked child;
 *   - in a forked child: setgroups, setresgid/setresuid to nobody (65534),
 *     getresuid/getresgid/getgroups, setfsuid/setfsgid, and setuid back
 *     to root refused;
 *   - chroot in a forked child into DIR/root-PID (DIR is argv[1], default
 *     /tmp), where it reads a file the parent put there;
 *   - io_setup (answered ENOSYS under scribe, so libaio users fall back to
 *     plain I/O);
 *   - getrusage(RUSAGE_CHILDREN) and times() once the children, which burn
 *     some CPU, are gone.
 * Children report through a pipe; the parent prints every result, errno
 * by name, and the interesting fields of what the kernel wrote.  Pids,
 * CPU times and a random number differ from run to run. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

#define NOBODY 65534

/* The kernel's struct sched_attr (glibc 2.36 has no wrapper). */
struct sched_attr_k {
	uint32_t size, sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime, sched_deadline, sched_period;
	uint32_t util_min, util_max;
};

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* Children append their report to this pipe; the parent prints it. */
static int report[2];

static void say(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n > 0 && write(report[1], line, (size_t)n) != n)
		_exit(2);
}

/* Run fn in a forked child; print what it said and how it ended. */
static void in_child(const char *name, void (*fn)(void))
{
	fflush(stdout);
	pid_t p = fork();
	if (p < 0)
		die("fork");
	if (p == 0) {
		close(report[0]);
		fn();
		_exit(0);
	}
	close(report[1]);
	char buf[4096];
	size_t len = 0;
	ssize_t n;
	while (len < sizeof buf - 1 && (n = read(report[0], buf + len, sizeof buf - 1 - len)) > 0)
		len += n;
	buf[len] = 0;
	int st;
	waitpid(p, &st, 0);
	printf("%s%s child exited %d\n", buf, name, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	close(report[0]);
	if (pipe(report))
		die("pipe");
}

/* Spin some 20 ms of CPU without a syscall (a syscall per step would
 * make the recording slow on a loaded machine), so children's times show. */
static void burn(void)
{
	for (volatile long i = 0; i < 20000000; i++)
		;
}

static void scheduler(void)
{
	struct sched_param sp = { .sched_priority = -1 };
	printf("sched_getscheduler: %s\n", res(sched_getscheduler(0)));
	int r = sched_getparam(0, &sp);
	printf("sched_getparam: %s priority %d\n", res(r), sp.sched_priority);
	printf("sched_get_priority_max FIFO: %s RR: %s OTHER: %s\n",
	       res(sched_get_priority_max(SCHED_FIFO)), res(sched_get_priority_max(SCHED_RR)),
	       res(sched_get_priority_max(SCHED_OTHER)));
	printf("sched_get_priority_min FIFO: %s OTHER: %s bad policy: %s\n",
	       res(sched_get_priority_min(SCHED_FIFO)), res(sched_get_priority_min(SCHED_OTHER)),
	       res(sched_get_priority_min(12345)));
	struct timespec ts = { -1, -1 };
	r = sched_rr_get_interval(0, &ts);
	printf("sched_rr_get_interval: %s interval set %s\n", res(r),
	       ts.tv_sec >= 0 && ts.tv_nsec >= 0 ? "yes" : "no");
	printf("sched_getparam no such pid: %s\n", res(sched_getparam(0x3fffffff, &sp)));
}

static void print_attr(const char *when)
{
	struct sched_attr_k a;
	memset(&a, 0xff, sizeof a);
	long r = syscall(SYS_sched_getattr, 0, &a, sizeof a, 0);
	printf("sched_getattr %s: %s size %u policy %u nice %d priority %u\n", when, res(r),
	       a.size, a.sched_policy, a.sched_nice, a.sched_priority);
}

static void nice_value(void)
{
	print_attr("before");
	errno = 0;
	int before = getpriority(PRIO_PROCESS, 0);
	printf("getpriority: %d errno %s\n", before, errno ? strerrorname_np(errno) : "0");
	int up = before < 19 ? before + 1 : 19;
	printf("setpriority %d: %s\n", up, res(setpriority(PRIO_PROCESS, 0, up)));
	printf("getpriority after: %d (raised: %s)\n", getpriority(PRIO_PROCESS, 0),
	       getpriority(PRIO_PROCESS, 0) == up ? "yes" : "no");
	print_attr("after");
	printf("setpriority bad which: %s\n", res(setpriority(12345, 0, up)));
}

static int capget_v3(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	memset(d, 0, 2 * sizeof *d);
	return (int)syscall(SYS_capget, &h, d);
}

static void caps(void)
{
	struct __user_cap_data_struct d[2];
	int r = capget_v3(d);
	printf("capget: %s effective %08x%08x permitted %08x%08x\n", res(r), d[1].effective,
	       d[0].effective, d[1].permitted, d[0].permitted);
	struct __user_cap_header_struct h = { 0x12345678, 0 };
	r = (int)syscall(SYS_capget, &h, NULL);
	printf("capget bad version, no data: %s kernel wants %#x\n", res(r), h.version);
	h.version = 0x12345678;
	r = (int)syscall(SYS_capget, &h, d);
	printf("capget bad version: %s kernel wants %#x\n", res(r), h.version);
}

static void drop_net_raw(void)
{
	struct __user_cap_data_struct d[2];
	capget_v3(d);
	unsigned bit = 1u << CAP_NET_RAW;
	int before = (d[0].effective & bit) != 0;
	d[0].effective &= ~bit;
	d[0].permitted &= ~bit;
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	int r = (int)syscall(SYS_capset, &h, d);
	capget_v3(d);
	say("capset: %s CAP_NET_RAW before %d after %d\n", res(r), before,
	    (d[0].effective & bit) != 0);
	d[0].permitted |= bit;
	say("capset regain: %s\n", res(syscall(SYS_capset, &h, d)));
	burn();
}

static void become_nobody(void)
{
	gid_t g = NOBODY, list[4];
	say("setgroups: %s\n", res(setgroups(1, &g)));
	int n = getgroups(4, list);
	say("getgroups: %s first %d\n", res(n), n > 0 ? (int)list[0] : -1);
	say("setresgid: %s\n", res(setresgid(NOBODY, NOBODY, NOBODY)));
	say("setfsuid to nobody: previous %d\n", setfsuid(NOBODY));
	say("setfsuid query: previous %d\n", setfsuid(-1));
	say("setresuid: %s\n", res(setresuid(NOBODY, NOBODY, NOBODY)));
	uid_t r, e, s;
	gid_t rg, eg, sg;
	int a = getresuid(&r, &e, &s), b = getresgid(&rg, &eg, &sg);
	say("getresuid: %s %d %d %d\n", res(a), (int)r, (int)e, (int)s);
	say("getresgid: %s %d %d %d\n", res(b), (int)rg, (int)eg, (int)sg);
	say("setfsgid query: previous %d\n", setfsgid(-1));
	say("setuid root again: %s\n", res(setuid(0)));
	say("setgroups as nobody: %s\n", res(setgroups(0, NULL)));
	say("nobody pid %d\n", (int)getpid());
	burn();
}

static char root[4096];

static void jail(void)
{
	struct stat outside, inside;
	stat(root, &outside);
	int r = chroot(root);
	say("chroot: %s\n", res(r));
	say("chdir /: %s\n", res(chdir("/")));
	stat("/", &inside);
	say("chroot: / is the directory %s (inode %llu)\n",
	    inside.st_ino == outside.st_ino ? "yes" : "no", (unsigned long long)inside.st_ino);
	char buf[64] = "", cwd[64] = "";
	int fd = open("/marker", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = 0;
	say("chroot: /marker says '%s', getcwd '%s'\n", buf, getcwd(cwd, sizeof cwd) ? cwd : "?");
	say("chroot: the old root is out of sight: %s\n", res(access(root, F_OK)));
	burn();
}

static void chrooted(const char *dir, unsigned token)
{
	snprintf(root, sizeof root, "%s/root-%d", dir, (int)getpid());
	char marker[4200];
	snprintf(marker, sizeof marker, "%s/marker", root);
	if (mkdir(root, 0755))
		die(root);
	FILE *f = fopen(marker, "w");
	if (!f || fprintf(f, "token %08x", token) < 0 || fclose(f))
		die(marker);
	in_child("chroot", jail);
	unlink(marker);
	rmdir(root);
}

static void aio(void)
{
	unsigned long ctx = 0;
	long r = syscall(SYS_io_setup, 8, &ctx);
	printf("io_setup: %s\n", res(r));
	if (r == 0)
		syscall(SYS_io_destroy, ctx);
}

static void children_usage(void)
{
	struct rusage ru;
	int r = getrusage(RUSAGE_CHILDREN, &ru);
	long ms = ru.ru_utime.tv_sec * 1000 + ru.ru_utime.tv_usec / 1000 +
	          ru.ru_stime.tv_sec * 1000 + ru.ru_stime.tv_usec / 1000;
	printf("getrusage children: %s cpu %ld.%06ld+%ld.%06ld s (some: %s) maxrss>0 %s\n",
	       res(r), (long)ru.ru_utime.tv_sec, (long)ru.ru_utime.tv_usec, (long)ru.ru_stime.tv_sec,
	       (long)ru.ru_stime.tv_usec, ms > 0 ? "yes" : "no", ru.ru_maxrss > 0 ? "yes" : "no");
	r = getrusage(RUSAGE_SELF, &ru);
	printf("getrusage self: %s maxrss>0 %s\n", res(r), ru.ru_maxrss > 0 ? "yes" : "no");
	struct tms t;
	clock_t now = times(&t);
	printf("times: elapsed %lld children user %ld system %ld ticks (some: %s)\n",
	       (long long)now, (long)t.tms_cutime, (long)t.tms_cstime,
	       t.tms_cutime + t.tms_cstime > 0 ? "yes" : "no");
	printf("getrusage bad who: %s\n", res(getrusage(12345, &ru)));
}

int main(int argc, char **argv)
{
	unsigned token;
	if (getrandom(&token, sizeof token, 0) != sizeof token || pipe(report))
		die("setup");
	printf("pid %d token %08x\n", (int)getpid(), token);
	scheduler();
	nice_value();
	caps();
	in_child("capset", drop_net_raw);
	in_child("nobody", become_nobody);
	chrooted(argc > 1 ? argv[1] : "/tmp", token);
	aio();
	children_usage();
	return 0;
}
