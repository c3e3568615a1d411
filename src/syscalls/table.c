/* table.c -- the syscall table (see table.h for what a row means).
 *
 * Sizes are the x86-64 kernel ABI: struct stat 144, statx 256, statfs 120,
 * timespec/timeval 16, rusage 144, tms 32, utsname 390, sysinfo 112,
 * rlimit 16, itimerval/itimerspec 32, siginfo 128, epoll_event 12,
 * pollfd 8, timex 208.
 *
 * Some rows keep memory the kernel only reads as if it wrote it (the same
 * bytes, so replay writing them back changes nothing): bind's and
 * connect's address, epoll_ctl's event, timerfd_settime's new value,
 * signalfd's mask, openat2's how.  The recorded fd tables need them
 * (syscalls/fdtab.h) and the trace keeps nothing else of them. */
#include "syscalls/table.h"

#include <stdio.h>
#include <sys/syscall.h>

#include "core/util.h"
#include "syscalls/names.h"

#define ROW(nr, nm, na, ar, fl, ...) \
	[nr] = { .name = nm, .nargs = na, .args = ar, .flags = fl, __VA_ARGS__ }
#define OUT(...)     .out = { __VA_ARGS__ }
#define RET(a)       { O_RET, a, 0, 0 }
#define RETMAX(a, l) { O_RETMAX, a, l, 0 }
#define FIX(a, sz)   { O_FIX, a, 0, sz }
#define ARG(a, l)    { O_ARG, a, l, 0 }
#define PLEN(a, l)   { O_PLEN, a, l, 0 }
#define RETMUL(a, s) { O_RETMUL, a, 0, s }
#define ARGMUL(a, l, s) { O_ARGMUL, a, l, s }
#define FDSET(a)     { O_FDSET, a, 0, 0 }
#define FN(f)        .fn = f
#define IN(k, a, l)  .in_kind = k, .in_arg = a, .in_aux = l

#define E  SC_EMU
#define X  SC_REEXEC
#define B  (SC_EMU | SC_BLOCK)
#define NF (SC_EMU | SC_NEWFD)
/* Opening a FIFO waits for its other end, which may be opened by a sibling
 * of the same domain: the opener must let the domain go meanwhile. */
#define OPEN (SC_EMU | SC_NEWFD | SC_BLOCK)

const struct sysdesc sys_table[SYS_MAX] = {
	/* ---- file I/O -------------------------------------------------- */
	ROW(0,   "read",      3, "fou", B, OUT(RET(1))),
	ROW(1,   "write",     3, "fbu", B, IN(I_BUF, 1, 2)),
	ROW(2,   "open",      3, "sOm", OPEN | SC_LATE),
	ROW(3,   "close",     1, "f",   E | SC_LATE),
	ROW(4,   "stat",      2, "so",  E, OUT(FIX(1, 144))),
	ROW(5,   "fstat",     2, "fo",  E, OUT(FIX(1, 144))),
	ROW(6,   "lstat",     2, "so",  E, OUT(FIX(1, 144))),
	ROW(7,   "poll",      3, "oui", B, OUT(ARGMUL(0, 1, 8))),
	ROW(8,   "lseek",     3, "fiw", E),
	ROW(16,  "ioctl",     3, "fIx", B, FN(sys_out_ioctl)),
	ROW(17,  "pread64",   4, "foui", B, OUT(RET(1))),
	ROW(18,  "pwrite64",  4, "fbui", B, IN(I_BUF, 1, 2)),
	ROW(19,  "readv",     3, "fou", B, FN(sys_out_readv)),
	ROW(20,  "writev",    3, "fbu", B, IN(I_IOV, 1, 2)),
	ROW(21,  "access",    2, "si",  E | SC_LATE),
	ROW(22,  "pipe",      1, "o",   NF, OUT(FIX(0, 8))),
	ROW(23,  "select",    5, "ioooo", B, OUT(FDSET(1), FDSET(2), FDSET(3), FIX(4, 16))),
	ROW(32,  "dup",       1, "f",   NF),
	ROW(33,  "dup2",      2, "ff",  NF),
	ROW(40,  "sendfile",  4, "ffou", B, OUT(FIX(2, 8)), IN(I_KERNEL, 0, 0)),
	ROW(72,  "fcntl",     3, "fFx", B, FN(sys_out_fcntl)),
	ROW(73,  "flock",     2, "fi",  B),
	ROW(74,  "fsync",     1, "f",   E),
	ROW(75,  "fdatasync", 1, "f",   E),
	ROW(76,  "truncate",  2, "si",  E),
	ROW(77,  "ftruncate", 2, "fi",  E),
	ROW(78,  "getdents",  3, "fou", E, OUT(RET(1))),
	ROW(79,  "getcwd",    2, "ou",  E, OUT(RET(0))),
	ROW(80,  "chdir",     1, "s",   E),
	ROW(81,  "fchdir",    1, "f",   E),
	ROW(82,  "rename",    2, "ss",  E),
	ROW(83,  "mkdir",     2, "sm",  E),
	ROW(84,  "rmdir",     1, "s",   E),
	ROW(85,  "creat",     2, "sm",  OPEN),
	ROW(86,  "link",      2, "ss",  E),
	ROW(87,  "unlink",    1, "s",   E),
	ROW(88,  "symlink",   2, "ss",  E),
	ROW(89,  "readlink",  3, "sou", E, OUT(RET(1))),
	ROW(90,  "chmod",     2, "sm",  E),
	ROW(91,  "fchmod",    2, "fm",  E),
	ROW(92,  "chown",     3, "sii", E),
	ROW(93,  "fchown",    3, "fii", E),
	ROW(94,  "lchown",    3, "sii", E),
	ROW(95,  "umask",     1, "m",   E),
	ROW(132, "utime",     2, "sb",  E),
	ROW(133, "mknod",     3, "smx", E),
	ROW(137, "statfs",    2, "so",  E, OUT(FIX(1, 120))),
	ROW(138, "fstatfs",   2, "fo",  E, OUT(FIX(1, 120))),
	ROW(161, "chroot",    1, "s",   E),
	ROW(162, "sync",      0, "",    E),
	ROW(187, "readahead", 3, "fiu", E),
	ROW(188, "setxattr",  5, "ssbui", E),
	ROW(189, "lsetxattr", 5, "ssbui", E),
	ROW(190, "fsetxattr", 5, "fsbui", E),
	ROW(191, "getxattr",  4, "ssou", E, OUT(RET(2))),
	ROW(192, "lgetxattr", 4, "ssou", E, OUT(RET(2))),
	ROW(193, "fgetxattr", 4, "fsou", E, OUT(RET(2))),
	ROW(194, "listxattr", 3, "sou", E, OUT(RET(1))),
	ROW(195, "llistxattr", 3, "sou", E, OUT(RET(1))),
	ROW(196, "flistxattr", 3, "fou", E, OUT(RET(1))),
	ROW(197, "removexattr", 2, "ss", E),
	ROW(198, "lremovexattr", 2, "ss", E),
	ROW(199, "fremovexattr", 2, "fs", E),
	ROW(217, "getdents64", 3, "fou", E, OUT(RET(1))),
	ROW(221, "fadvise64", 4, "fiui", E),
	ROW(235, "utimes",    2, "sb",  E),
	ROW(253, "inotify_init", 0, "", NF),
	ROW(254, "inotify_add_watch", 3, "fsx", E),
	ROW(255, "inotify_rm_watch", 2, "fi", E),
	ROW(257, "openat",    4, "DsOm", OPEN | SC_LATE),
	ROW(258, "mkdirat",   3, "Dsm", E),
	ROW(259, "mknodat",   4, "Dsmx", E),
	ROW(260, "fchownat",  5, "DsiiA", E),
	ROW(261, "futimesat", 3, "Dsb", E),
	ROW(262, "newfstatat", 4, "DsoA", E, OUT(FIX(2, 144))),
	ROW(263, "unlinkat",  3, "DsA", E),
	ROW(264, "renameat",  4, "DsDs", E),
	ROW(265, "linkat",    5, "DsDsA", E),
	ROW(266, "symlinkat", 3, "sDs", E),
	ROW(267, "readlinkat", 4, "Dsou", E, OUT(RET(2))),
	ROW(268, "fchmodat",  3, "Dsm", E),
	ROW(269, "faccessat", 3, "Dsi", E | SC_LATE),
	ROW(270, "pselect6",  6, "iooooo", B | SC_SIGMASK, OUT(FDSET(1), FDSET(2), FDSET(3), FIX(4, 16))),
	ROW(271, "ppoll",     5, "ouobu", B | SC_SIGMASK, OUT(ARGMUL(0, 1, 8), FIX(2, 16))),
	ROW(275, "splice",    6, "fofoux", B, OUT(FIX(1, 8), FIX(3, 8)), IN(I_KERNEL, 2, 0)),
	ROW(278, "vmsplice",  4, "fbux",  B, IN(I_IOV, 1, 2)),
	ROW(276, "tee",       4, "ffux", B, IN(I_KERNEL, 1, 0)),
	ROW(277, "sync_file_range", 4, "fiii", E),
	ROW(280, "utimensat", 4, "DsbA", E),
	ROW(285, "fallocate", 4, "fiii", E),
	ROW(292, "dup3",      3, "ffO", NF),
	ROW(293, "pipe2",     2, "oO",  NF, OUT(FIX(0, 8))),
	ROW(294, "inotify_init1", 1, "O", NF),
	ROW(295, "preadv",    5, "fouii", B, FN(sys_out_readv)),
	ROW(296, "pwritev",   5, "fbuii", B, IN(I_IOV, 1, 2)),
	ROW(306, "syncfs",    1, "f",   E),
	ROW(316, "renameat2", 5, "DsDsx", E),
	ROW(326, "copy_file_range", 6, "fofoux", B, OUT(FIX(1, 8), FIX(3, 8)), IN(I_KERNEL, 2, 0)),
	ROW(327, "preadv2",   6, "fouiix", B, FN(sys_out_readv)),
	ROW(328, "pwritev2",  6, "fbuiix", B, IN(I_IOV, 1, 2)),
	ROW(332, "statx",     5, "DsAxo", E, OUT(FIX(4, 256))),
	ROW(437, "openat2",   4, "Dsbu", OPEN, OUT(ARG(2, 3))),
	ROW(439, "faccessat2", 4, "DsiA", E | SC_LATE),
	ROW(452, "fchmodat2", 4, "DsmA", E),

	/* ---- memory: executed again on replay ------------------------- */
	ROW(9,   "mmap",      6, "xuPMfx", SC_MMAP | SC_LATE),
	ROW(10,  "mprotect",  3, "xuP", X | SC_LATE),
	ROW(11,  "munmap",    2, "xu",  X | SC_LATE),
	ROW(12,  "brk",       1, "x",   X | SC_LATE),
	ROW(25,  "mremap",    5, "xuuxx", SC_MMAP),
	ROW(26,  "msync",     3, "xux", E),
	ROW(27,  "mincore",   3, "xuo", E, FN(sys_out_mincore)),
	ROW(28,  "madvise",   3, "xui", X),
	ROW(149, "mlock",     2, "xu",  E),
	ROW(150, "munlock",   2, "xu",  E),
	ROW(151, "mlockall",  1, "x",   E),
	ROW(152, "munlockall", 0, "",   E),
	ROW(325, "mlock2",    3, "xux", E),
	ROW(329, "pkey_mprotect", 4, "xuPi", X),
	ROW(330, "pkey_alloc", 2, "xx",   E),
	ROW(331, "pkey_free", 1, "i",     E),
	ROW(462, "mseal",     3, "xux",   X),   /* changes what munmap/mprotect do */
	ROW(237, "mbind",     6, "xuixux", E),
	ROW(238, "set_mempolicy", 3, "ibu", E),
	ROW(239, "get_mempolicy", 5, "ooxxx", E, OUT(FIX(0, 4))),
	/* SysV shared memory: shmat maps the trace's copy of the segment,
	 * shared by all its attachments (record_syscall.c), shmdt unmaps it. */
	ROW(30,  "shmat",     3, "ixx",   SC_MMAP),
	ROW(67,  "shmdt",     1, "x",     SC_MMAP),

	/* ---- SysV IPC objects: only the kernel's answers matter -------- */
	ROW(29,  "shmget",    3, "xux",   E),
	ROW(31,  "shmctl",    3, "iio",   E, FN(sys_out_shmctl)),
	ROW(64,  "semget",    3, "xix",   E),
	ROW(65,  "semop",     3, "ibu",   B),
	ROW(66,  "semctl",    4, "iiix",  E, FN(sys_out_semctl)),
	ROW(220, "semtimedop", 4, "ibub", B),
	ROW(68,  "msgget",    2, "xx",    E),
	ROW(69,  "msgsnd",    4, "ibux",  B),
	ROW(70,  "msgrcv",    5, "ioiix", B, FN(sys_out_msgrcv)),
	ROW(71,  "msgctl",    3, "iio",   E, FN(sys_out_msgctl)),
	ROW(451, "cachestat", 4, "fboi",  E, OUT(FIX(2, 32))),

	/* ---- time ------------------------------------------------------ */
	ROW(35,  "nanosleep", 2, "bo",  B, OUT(FIX(1, 16))),
	ROW(36,  "getitimer", 2, "io",  E, OUT(FIX(1, 32))),
	ROW(37,  "alarm",     1, "u",   E),
	ROW(38,  "setitimer", 3, "ibo", E, OUT(FIX(2, 32))),
	ROW(96,  "gettimeofday", 2, "oo", E, OUT(FIX(0, 16), FIX(1, 8))),
	ROW(100, "times",     1, "o",   E, OUT(FIX(0, 32))),
	ROW(159, "adjtimex",  1, "o",   E, OUT(FIX(0, 208))),
	ROW(201, "time",      1, "o",   E, OUT(FIX(0, 8))),
	ROW(222, "timer_create", 3, "cbo", E, OUT(FIX(2, 4))),
	ROW(223, "timer_settime", 4, "ixbo", E, OUT(FIX(3, 32))),
	ROW(224, "timer_gettime", 2, "io", E, OUT(FIX(1, 32))),
	ROW(225, "timer_getoverrun", 1, "i", E),
	ROW(226, "timer_delete", 1, "i", E),
	ROW(227, "clock_settime", 2, "cb", E),
	ROW(228, "clock_gettime", 2, "co", E, OUT(FIX(1, 16))),
	ROW(229, "clock_getres", 2, "co", E, OUT(FIX(1, 16))),
	ROW(230, "clock_nanosleep", 4, "cxbo", B, OUT(FIX(3, 16))),
	ROW(283, "timerfd_create", 2, "cx", NF),
	ROW(286, "timerfd_settime", 4, "fxbo", E, OUT(FIX(3, 32), FIX(2, 32))),
	ROW(287, "timerfd_gettime", 2, "fo", E, OUT(FIX(1, 32))),
	ROW(305, "clock_adjtime", 2, "co", E, OUT(FIX(1, 208))),

	/* ---- identity, limits, randomness ---------------------------- */
	ROW(39,  "getpid",    0, "",    E),
	ROW(63,  "uname",     1, "o",   E, OUT(FIX(0, 390))),
	ROW(97,  "getrlimit", 2, "io",  E, OUT(FIX(1, 16))),
	ROW(98,  "getrusage", 2, "do",  E, OUT(FIX(1, 144))),
	ROW(99,  "sysinfo",   1, "o",   E, OUT(FIX(0, 112))),
	ROW(102, "getuid",    0, "",    E),
	ROW(104, "getgid",    0, "",    E),
	ROW(105, "setuid",    1, "i",   E),
	ROW(106, "setgid",    1, "i",   E),
	ROW(107, "geteuid",   0, "",    E),
	ROW(108, "getegid",   0, "",    E),
	ROW(110, "getppid",   0, "",    E),
	ROW(111, "getpgrp",   0, "",    E),
	ROW(113, "setreuid",  2, "ii",  E),
	ROW(114, "setregid",  2, "ii",  E),
	ROW(115, "getgroups", 2, "io",  E, OUT(RETMUL(1, 4))),
	ROW(116, "setgroups", 2, "ib",  E),
	ROW(117, "setresuid", 3, "iii", E),
	ROW(118, "getresuid", 3, "ooo", E, OUT(FIX(0, 4), FIX(1, 4), FIX(2, 4))),
	ROW(119, "setresgid", 3, "iii", E),
	ROW(120, "getresgid", 3, "ooo", E, OUT(FIX(0, 4), FIX(1, 4), FIX(2, 4))),
	ROW(121, "getpgid",   1, "d",   E),
	ROW(122, "setfsuid",  1, "i",   E),
	ROW(123, "setfsgid",  1, "i",   E),
	ROW(124, "getsid",    1, "d",   E),
	ROW(125, "capget",    2, "oo",  E, OUT(FIX(0, 8), FIX(1, 24))),
	ROW(126, "capset",    2, "bb",  E),
	ROW(140, "getpriority", 2, "id", E),
	ROW(141, "setpriority", 3, "idi", E),
	ROW(142, "sched_setparam", 2, "ib", E),
	ROW(143, "sched_getparam", 2, "io", E, OUT(FIX(1, 4))),
	ROW(144, "sched_setscheduler", 3, "iib", E),
	ROW(145, "sched_getscheduler", 1, "i", E),
	ROW(146, "sched_get_priority_max", 1, "i", E),
	ROW(147, "sched_get_priority_min", 1, "i", E),
	ROW(148, "sched_rr_get_interval", 2, "io", E, OUT(FIX(1, 16))),
	ROW(160, "setrlimit", 2, "ib",  E),
	ROW(170, "sethostname", 2, "bu", E),
	ROW(186, "gettid",    0, "",    E),
	/* Not enforced: scribe pins tasks to the CPU of their tracer thread. */
	ROW(203, "sched_setaffinity", 3, "dub", SC_NOOP),
	ROW(204, "sched_getaffinity", 3, "duo", E, OUT(RET(2))),
	ROW(251, "ioprio_set", 3, "iii", E),
	ROW(252, "ioprio_get", 2, "ii",  E),
	ROW(302, "prlimit64", 4, "dibo", E, OUT(FIX(3, 16))),
	ROW(309, "getcpu",    3, "oox", E, OUT(FIX(0, 4), FIX(1, 4))),
	ROW(318, "getrandom", 3, "oux", B, OUT(RET(0))),
	ROW(24,  "sched_yield", 0, "",  B),
	ROW(314, "sched_setattr", 3, "ibx", E),
	ROW(315, "sched_getattr", 4, "ioux", E, OUT(ARG(1, 2))),
	ROW(312, "kcmp",      5, "iiixx", E),
	ROW(310, "process_vm_readv", 6, "iouxux", B, FN(sys_out_readv)),
	ROW(311, "process_vm_writev", 6, "ibuxux", B),
	ROW(444, "landlock_create_ruleset", 3, "bux", E),
	ROW(445, "landlock_add_rule", 4, "fibx", E),
	ROW(446, "landlock_restrict_self", 2, "fx", E),

	/* ---- signals --------------------------------------------------- */
	ROW(13,  "rt_sigaction", 4, "Sbou", X),
	ROW(14,  "rt_sigprocmask", 4, "Hbou", X),
	ROW(15,  "rt_sigreturn", 0, "", X),
	ROW(34,  "pause",     0, "",    B),
	ROW(62,  "kill",      2, "dS",  E),
	ROW(127, "rt_sigpending", 2, "ou", E, OUT(ARG(0, 1))),
	ROW(128, "rt_sigtimedwait", 4, "bobu", B, OUT(FIX(1, 128))),
	ROW(129, "rt_sigqueueinfo", 3, "dSb", E),
	ROW(130, "rt_sigsuspend", 2, "bu", SC_REEXEC | SC_BLOCK | SC_SIGMASK),
	ROW(131, "sigaltstack", 2, "bo", X),
	ROW(200, "tkill",     2, "dS",  E),
	ROW(234, "tgkill",    3, "ddS", E),
	ROW(282, "signalfd",  3, "fbu", NF, OUT(FIX(1, 8))),
	ROW(289, "signalfd4", 4, "fbuO", NF, OUT(FIX(1, 8))),
	ROW(297, "rt_tgsigqueueinfo", 4, "ddSb", E),
	ROW(219, "restart_syscall", 0, "", B),

	/* ---- polling and events --------------------------------------- */
	ROW(213, "epoll_create", 1, "i", NF),
	ROW(232, "epoll_wait", 4, "foii", B, OUT(RETMUL(1, 12))),
	ROW(233, "epoll_ctl", 4, "fifb", E, OUT(FIX(3, 12))),
	ROW(281, "epoll_pwait", 6, "foiixu", B | SC_SIGMASK, OUT(RETMUL(1, 12))),
	ROW(284, "eventfd",   1, "u",   NF),
	ROW(290, "eventfd2",  2, "ux",  NF),
	ROW(291, "epoll_create1", 1, "O", NF),
	ROW(441, "epoll_pwait2", 6, "foibxu", B | SC_SIGMASK, OUT(RETMUL(1, 12))),

	/* ---- sockets --------------------------------------------------- */
	ROW(41,  "socket",    3, "aii", NF),
	ROW(42,  "connect",   3, "fbu", B, OUT(ARG(1, 2))),
	ROW(43,  "accept",    3, "foo", B | SC_NEWFD, OUT(PLEN(1, 2), FIX(2, 4))),
	ROW(44,  "sendto",    6, "fbuxbu", B, IN(I_BUF, 1, 2)),
	/* With MSG_TRUNC a datagram socket returns the datagram's real
	 * length, which may exceed the buffer: only args[2] bytes are written. */
	ROW(45,  "recvfrom",  6, "fouxoo", B, OUT(RETMAX(1, 2), PLEN(4, 5), FIX(5, 4))),
	ROW(46,  "sendmsg",   3, "fbx", B, IN(I_MSG, 1, 0)),
	ROW(47,  "recvmsg",   3, "fox", B, FN(sys_out_recvmsg)),
	ROW(48,  "shutdown",  2, "fi",  E),
	ROW(49,  "bind",      3, "fbu", E, OUT(ARG(1, 2))),
	ROW(50,  "listen",    2, "fi",  E),
	ROW(51,  "getsockname", 3, "foo", E, OUT(PLEN(1, 2), FIX(2, 4))),
	ROW(52,  "getpeername", 3, "foo", E, OUT(PLEN(1, 2), FIX(2, 4))),
	ROW(53,  "socketpair", 4, "aiio", NF, OUT(FIX(3, 8))),
	ROW(54,  "setsockopt", 5, "fiibu", E),
	ROW(55,  "getsockopt", 5, "fiioo", E, OUT(PLEN(3, 4), FIX(4, 4))),
	ROW(288, "accept4",   4, "foox", B | SC_NEWFD, OUT(PLEN(1, 2), FIX(2, 4))),
	/* The kernel writes what is left of the timeout back to args[4]. */
	ROW(299, "recvmmsg",  5, "foxxo", B, OUT(FIX(4, 16)), FN(sys_out_recvmmsg)),
	ROW(307, "sendmmsg",  4, "fbux", B, FN(sys_out_sendmmsg)),

	/* ---- processes and threads ------------------------------------- */
	ROW(56,  "clone",     5, "Cxoox", SC_FORK),
	ROW(57,  "fork",      0, "",    SC_FORK),
	ROW(58,  "vfork",     0, "",    SC_FORK | SC_BLOCK),
	ROW(59,  "execve",    3, "sxx", SC_EXEC),
	ROW(60,  "exit",      1, "i",   SC_EXIT),
	ROW(61,  "wait4",     4, "doxo", B, OUT(FIX(1, 4), FIX(3, 144))),
	ROW(109, "setpgid",   2, "dd",  E),
	ROW(112, "setsid",    0, "",    E),
	ROW(135, "personality", 1, "x", X),
	ROW(157, "prctl",     5, "ixxxx", E, FN(sys_out_prctl)),
	ROW(158, "arch_prctl", 2, "xx", X | SC_LATE),
	ROW(101, "ptrace",    4, "iixx", SC_EPERM),
	ROW(202, "futex",     6, "xUixxi", B, FN(sys_out_futex)),
	ROW(449, "futex_waitv", 5, "xuxxc", B),
	ROW(218, "set_tid_address", 1, "x", SC_FIXRET | SC_LATE),
	ROW(231, "exit_group", 1, "i",  SC_EXIT),
	ROW(247, "waitid",    5, "idoio", B, OUT(FIX(2, 128), FIX(4, 144))),
	ROW(273, "set_robust_list", 2, "xu", X | SC_LATE),
	ROW(274, "get_robust_list", 3, "ioo", E, OUT(FIX(1, 8), FIX(2, 8))),
	ROW(317, "seccomp",   3, "iib", X),
	ROW(322, "execveat",  5, "DsxxA", SC_EXEC),
	ROW(334, "rseq",      4, "xuix", SC_ENOSYS),
	ROW(425, "io_uring_setup", 2, "uo", SC_ENOSYS),
	ROW(426, "io_uring_enter", 6, "fuuxxu", SC_ENOSYS),
	ROW(427, "io_uring_register", 4, "fuxu", SC_ENOSYS),
	/* Kernel AIO completes behind the program's back: ENOSYS, so libaio
	 * users (MariaDB, PostgreSQL's io_method) fall back to plain I/O. */
	ROW(206, "io_setup",  2, "uo",    SC_ENOSYS),
	ROW(207, "io_destroy", 1, "x",    SC_ENOSYS),
	ROW(208, "io_getevents", 5, "xiioo", SC_ENOSYS),
	ROW(209, "io_submit", 3, "xio",   SC_ENOSYS),
	ROW(210, "io_cancel", 3, "xoo",   SC_ENOSYS),
	ROW(333, "io_pgetevents", 6, "xiiooo", SC_ENOSYS),
	/* fanotify watches the whole file system from outside the program:
	 * refused, as an unprivileged program would be. */
	ROW(300, "fanotify_init", 2, "xx", SC_EPERM),
	ROW(301, "fanotify_mark", 5, "fxxDs", E),
	ROW(248, "add_key",   5, "xxbui", E),
	ROW(249, "request_key", 4, "xxxi", E),
	ROW(250, "keyctl",    5, "ixxxx", E, FN(sys_out_keyctl)),
	ROW(435, "clone3",    2, "bu",  SC_FORK),
	ROW(319, "memfd_create", 2, "sx", NF),
	ROW(434, "pidfd_open", 2, "ix", NF),
	ROW(424, "pidfd_send_signal", 4, "fSbx", E),
	ROW(438, "pidfd_getfd", 3, "ffx", NF),
	ROW(436, "close_range", 3, "uux", E),
	ROW(165, "mount",     5, "sssxb", E),
	ROW(166, "umount2",   2, "sx",  E),
	ROW(272, "unshare",   1, "C",   E),
	ROW(324, "membarrier", 3, "iii", E),
};

#define SB(nr, nm, na, ar) [nr - SB_SYS_BASE - 1] = { .name = nm, .nargs = na, .args = ar, \
                                                     .flags = SC_EMU | SC_SCRIBE }
const struct sysdesc sys_scribe_table[SB_SYS_LAST - SB_SYS_BASE] = {
	SB(SB_SYS_REGISTER, "scribe_buffer", 1, "x"),
	SB(SB_SYS_FLUSH,    "scribe_flush",  0, ""),
	SB(SB_SYS_SYNC,     "scribe_sync",   0, ""),
	SB(SB_SYS_DIVERGE,  "scribe_diverged", 0, ""),
};

const char *sys_name(long nr)
{
	static __thread char buf[32];
	if (nr > SB_SYS_BASE && nr <= SB_SYS_LAST)
		return sys_scribe_table[nr - SB_SYS_BASE - 1].name;
	if (nr >= 0 && nr < (long)ARRAY_SIZE(sys_names) && sys_names[nr])
		return sys_names[nr];
	snprintf(buf, sizeof(buf), "syscall_%ld", nr);
	return buf;
}
