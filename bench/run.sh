#!/bin/bash
# run.sh -- Scribe benchmarks: for each workload, time the program natively,
# under 'scribe record' (with the syscall buffer), under 'scribe replay -q'
# and under 'scribe record' without the buffer (SCRIBE_NO_BUFFER=1), back
# to back, RUNS times (the medians and the spread of the runs are
# reported), then check that record and replay exit like the native run
# and that a replay re-emits exactly the recorded output.  Prints one
# table row per workload, then the "servers" section (the SERVERS, nginx
# and redis, loaded by a client natively and while recorded, alternately,
# SRV_RUNS times, then once without the buffer: median throughputs, then
# replay time and trace size), then the
# "placement cost" section (the PLACEMENT programs, replayed with --stats:
# how many preemptions and asynchronous signals replay had to place, how,
# and how long placing them took), then the "checkpoints" section (the
# CHECKPOINTS programs: how long a checkpoint and a restore of a stopped
# replay take), then the machine and the scribe version.
#
#   bench/run.sh [NAME...]     default: everything in WORKLOADS, SERVERS,
#                              PLACEMENT and CHECKPOINTS (names from any
#                              of the lists)
#
# Environment: SCRIBE (default build/scribe), BENCH_RUNS (override every
# workload's and server's run count, e.g. 1 for a quick smoke run).
#
# Adding a workload: append its name to WORKLOADS and define wl_NAME.  It
# is called once, before any timing, from the repository's top directory,
# and must set CMD (the command, as an array).  It may also set
#   STDIN=FILE       the program's standard input (default /dev/null;
#                    replay always gets /dev/null: it must not read it)
#   RUNS=N           timed runs of each of native/record/replay (default 3)
#   DETERMINISTIC=1  the native and recorded outputs must be identical
#                    (leave 0 for programs that print random values)
#   STDOUT=FILE      where the program's and scribe's stdout go in every
#                    run (default: a file per run, compared afterwards;
#                    with STDOUT set, stdout is not compared)
#   RESET='CMD'      eval'd before every native and record run (e.g. to
#                    delete a database the previous run created)
#   GOAL_RECORD=R    print the goal "record <= R x native" at the end of
#                    the row, with "met" or "MISSED" (informational: a
#                    missed goal is not a failure; the ratio is compared
#                    as printed, rounded to 2 decimals)
#   GOAL_REPLAY=R    the same for replay: "replay <= R x native"
#   REC_OPTS=(...)   options for 'scribe record' (e.g. --chaos=1)
#   FRESH_STORE=1    every recording starts on a fresh, empty object store
#                    (it copies every file the program maps); otherwise the
#                    store of the bench's earlier runs holds them already
# and return non-zero (after printing why) to skip the workload.
# Scratch files go under $OUT (bench/out, git-ignored).
#
# A placement-cost program is added the same way, to PLACEMENT instead of
# WORKLOADS (GOAL_RECORD and GOAL_REPLAY are ignored there: its goal is
# placing each preemption or signal in under PLACE_GOAL_MS; and it has no
# no-buffer recording).

cd "$(dirname "$0")/.." || exit 1
export LC_ALL=C          # '.' in $EPOCHREALTIME, plain sort and printf
TOP=$(pwd)
SCRIBE=${SCRIBE:-$TOP/build/scribe}
OUT=$TOP/bench/out
CC=${CC:-cc}

WORKLOADS=(cpu syscalls devnull sha256 sqlite cp-r make-j2 make-j2-fresh make-self spawn300 configure cpu2 mutex2 racy chaos-racy bigheap bigheap-2g)
PLACEMENT=(spin-count alarm-loop bigheap-place)
CHECKPOINTS=(ckpt-100m)
CKPT_GOAL_MS=20       # goal: a checkpoint, and a restore, of a 100 MiB process in < 20 ms
SERVERS=(nginx redis)
SRV_RUNS=${BENCH_RUNS:-3}   # native and recorded runs of each server (medians)
PLACE_GOAL_MS=100     # goal: each preemption or signal placed in < 100 ms

# ---------------------------------------------------------------- workloads

wl_cpu() {
	$CC -O2 -o "$OUT/cpu" bench/programs/cpu.c || return 1
	CMD=("$OUT/cpu")
	DETERMINISTIC=1
	GOAL_RECORD=1.02 GOAL_REPLAY=1.02
}

wl_syscalls() {
	$CC -O2 -o "$OUT/writes" bench/programs/writes.c || return 1
	CMD=("$OUT/writes" 100000)
	DETERMINISTIC=1
	GOAL_RECORD=3 GOAL_REPLAY=2
}

# dd's own /dev/null while scribe's stdout is /dev/null too (issue 22):
# the program's descriptor is not scribe's output, so its writes are
# buffered like any file's.
wl_devnull() {
	CMD=(dd if=/dev/zero of=/dev/null bs=1 count=100000)
	STDOUT=/dev/null
	GOAL_RECORD=3 GOAL_REPLAY=2
}

wl_sha256() {
	local f=$OUT/random-200M.bin
	if [ "$(stat -c %s "$f" 2>/dev/null)" != 209715200 ]; then
		head -c 200M /dev/urandom >"$f.tmp" && mv "$f.tmp" "$f" || return 1
	fi
	CMD=(sha256sum "$f")
	DETERMINISTIC=1
	RUNS=2       # each record/replay moves 200 MB through the trace
}

wl_sqlite() {
	command -v sqlite3 >/dev/null || { echo "sqlite3 not installed" >&2; return 1; }
	local sql=$OUT/sqlite.sql db=$OUT/tmp/sqlite/bench.db
	mkdir -p "${db%/*}"
	{
		echo "CREATE TABLE t(id INTEGER PRIMARY KEY, a INTEGER, b INTEGER, c TEXT);"
		echo "BEGIN;"
		for ((i = 0; i < 20000; i++)); do
			echo "INSERT INTO t(a, b, c) VALUES(random(), abs(random()) % 1000, hex(randomblob(16)));"
		done
		echo "COMMIT;"
		echo "SELECT count(*), sum(b), min(a), max(a), avg(length(c)) FROM t;"
		echo "SELECT b % 10 AS k, count(*), sum(b) FROM t GROUP BY k ORDER BY k;"
		echo "SELECT count(DISTINCT c) FROM t WHERE a > 0;"
	} >"$sql"
	CMD=(sqlite3 "$db")
	STDIN=$sql
	RESET="rm -f '$db' '$db-journal' '$db-wal' '$db-shm'"
	DETERMINISTIC=0   # random() differs from run to run
	GOAL_RECORD=1.3 GOAL_REPLAY=1.3
}

# cp -r of a generated tree: 200 directories of 100 files of 0-4 KiB of
# pseudo-random bytes each (20,000 files, ~41 MB), written once under
# $OUT/tree by programs/mktree.c (delete $OUT/tree.generated to
# regenerate).  The tree and its copy live on a tmpfs (BENCH_TMPFS, default
# /dev/shm): the tree is copied there first (untimed; the directory goes
# when the script exits) and RESET deletes the copy.  Not on this VM's disk:
# after 20,000 files are deleted there (ext4 without a journal), creating
# as many takes 4-13 s instead of 0.7 s for minutes, the inode allocator
# checking each recently freed inode it meets, so the time would depend on
# what earlier runs deleted: that measures the kernel, not scribe.
TREE_VERSION=1
wl_cp-r() {
	local src=$OUT/tree tmpfs=${BENCH_TMPFS:-/dev/shm}
	if [ "$(stat -f -c %T "$tmpfs" 2>/dev/null)" != tmpfs ]; then
		echo "$tmpfs is not a tmpfs (set BENCH_TMPFS to one)" >&2; return 1
	fi
	if [ "$(cat "$src.generated" 2>/dev/null)" != $TREE_VERSION ]; then
		$CC -O2 -o "$OUT/mktree" bench/programs/mktree.c || return 1
		rm -rf "$src" "$src.generated" && "$OUT/mktree" "$src" 200 100 4096 || return 1
		echo $TREE_VERSION >"$src.generated"
	fi
	[ -n "$TMPFS_DIR" ] || TMPFS_DIR=$(mktemp -d "$tmpfs/scribe-bench.XXXXXX") || return 1
	rm -rf "$TMPFS_DIR/tree" && cp -r "$src" "$TMPFS_DIR/tree" || return 1
	CMD=(cp -r "$TMPFS_DIR/tree" "$TMPFS_DIR/copy")
	RESET="rm -rf '$TMPFS_DIR/copy'"
	DETERMINISTIC=1
	RUNS=5       # short runs: a few more for a steadier median
	GOAL_RECORD=1.5 GOAL_REPLAY=0.8
}

# make -j2 building a generated project: 40 small C files and main.c
# (under $OUT/proj, generated once; delete it to regenerate), compiled by
# gcc and linked, then the program is run.  Every run starts from a clean
# tree: RESET deletes the objects and the program.
PROJ_VERSION=1
gen_proj() {
	local d=$OUT/proj i calls=
	[ "$(cat "$d/.generated" 2>/dev/null)" = $PROJ_VERSION ] && return 0
	rm -rf "$d" && mkdir -p "$d" || return 1
	cat >"$d/common.h" <<'EOF'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
struct pt { int a, b; };
static inline int mix(int s, int k) { return s * 31 + (k ^ (s >> 3)); }
EOF
	for ((i = 1; i <= 40; i++)); do
		cat >"$d/f$i.c" <<EOF
#include "common.h"
static int table$i[16];
static int helper$i(int x)
{
	int s = $i;
	for (int k = 0; k < x; k++)
		s = mix(s, k * $i);
	return s;
}
int f$i(int x)
{
	struct pt p = { x, $i };
	char buf[32];
	for (int k = 0; k < 16; k++)
		table$i[k] = helper$i(k + x % 7);
	snprintf(buf, sizeof buf, "%d", table$i[x & 15]);
	return helper$i(x % 97) + p.a * p.b + (int)strlen(buf) + $((i * i));
}
EOF
		calls="$calls	s += f$i($i);
"
	done
	{
		echo '#include "common.h"'
		for ((i = 1; i <= 40; i++)); do echo "int f$i(int);"; done
		echo 'int main(void)'
		echo '{'
		echo '	long s = 0;'
		printf '%s' "$calls"
		echo '	printf("sum %ld\n", s);'
		echo '	return 0;'
		echo '}'
	} >"$d/main.c"
	{
		printf 'OBJS = main.o'
		for ((i = 1; i <= 40; i++)); do printf ' f%d.o' $i; done
		echo
		printf 'all: prog\n\t./prog\n'
		printf 'prog: $(OBJS)\n\tgcc -o prog $(OBJS)\n'
		printf '%%.o: %%.c common.h\n\tgcc -O2 -c -o $@ $<\n'
	} >"$d/Makefile"
	echo $PROJ_VERSION >"$d/.generated"
}

wl_make-j2() {
	command -v make >/dev/null && command -v gcc >/dev/null ||
		{ echo "make or gcc not installed" >&2; return 1; }
	gen_proj || { echo "cannot generate $OUT/proj" >&2; return 1; }
	CMD=(make -C "$OUT/proj" -j2)
	RESET="rm -f '$OUT/proj/'*.o '$OUT/proj/prog'"
	DETERMINISTIC=1   # make starts the jobs in a fixed order
	GOAL_RECORD=1.3
}

# The same build, each recording on an empty object store: the very first
# recording on a machine, which copies gcc's programs and libraries.
wl_make-j2-fresh() {
	wl_make-j2 || return 1
	FRESH_STORE=1
	GOAL_RECORD=1.5
}

# make -j2 building scribe itself, as tests/cases/app-make.serial.sh does:
# the committed sources (git archive HEAD src Makefile), extracted once per
# commit under $OUT/self; RESET deletes its build tree.
wl_make-self() {
	local d=$OUT/self head
	command -v make >/dev/null && command -v gcc >/dev/null && command -v git >/dev/null ||
		{ echo "make, gcc or git not installed" >&2; return 1; }
	head=$(git rev-parse HEAD) || return 1
	if [ "$(cat "$d/.commit" 2>/dev/null)" != "$head" ]; then
		rm -rf "$d" && mkdir -p "$d" || return 1
		git archive HEAD src Makefile | tar -x -C "$d" || return 1
		echo "$head" >"$d/.commit"
	fi
	CMD=(make -C "$d" -j2 build/scribe)
	RESET="rm -rf '$d/build'"
	# not DETERMINISTIC: the first two compiles race for the object
	# directories, so make prints them in either order, natively too
	# (replay must still print what the recording printed)
	GOAL_RECORD=1.3 GOAL_REPLAY=1.3
}

# Process start-up (issue 22): a shell starting 300 short processes, each
# an exec of a dynamic program that does nothing: what every process of a
# build or a script pays before its own work.
wl_spawn300() {
	CMD=(bash -c 'for i in $(seq 300); do /bin/true; done')
	DETERMINISTIC=1
	GOAL_RECORD=1.5 GOAL_REPLAY=1.2
}

# A real autoconf ./configure (issue 22): a small package generated once
# under $OUT/conf (configure.ac below; autoconf and autoheader make the
# script, untimed), with checks for the compiler, 24 headers, 24 functions,
# types and sizes: some 80 checks, each a shell, sed, gcc (cc1, as, ld)
# and often the test program.  Every run starts without the previous
# run's results (RESET).
CONF_VERSION=2
gen_conf() {
	local d=$OUT/conf
	[ "$(cat "$d/.generated" 2>/dev/null)" = $CONF_VERSION ] && return 0
	rm -rf "$d" && mkdir -p "$d" || return 1
	cat >"$d/configure.ac" <<'EOF'
AC_INIT([scribe-bench], [1.0])
AC_CONFIG_HEADERS([config.h])
AC_PROG_CC
AC_PROG_CPP
AC_PROG_LN_S
AC_C_CONST
AC_C_INLINE
AC_C_BIGENDIAN
AC_CHECK_HEADERS([stdio.h stdlib.h string.h strings.h unistd.h fcntl.h errno.h limits.h \
  stdint.h inttypes.h sys/types.h sys/stat.h sys/time.h sys/socket.h sys/mman.h sys/wait.h \
  netinet/in.h arpa/inet.h netdb.h pthread.h dlfcn.h locale.h wchar.h termios.h])
AC_CHECK_FUNCS([malloc realloc memcpy memmove strdup strndup strerror strtol strtoull \
  snprintf vsnprintf getline mmap munmap fork pipe dup2 getcwd gettimeofday clock_gettime \
  setlocale nanosleep sigaction poll])
AC_TYPE_SIZE_T
AC_TYPE_SSIZE_T
AC_TYPE_PID_T
AC_TYPE_OFF_T
AC_TYPE_UINT64_T
AC_CHECK_SIZEOF([int])
AC_CHECK_SIZEOF([long])
AC_CHECK_SIZEOF([void *])
AC_CHECK_LIB([m], [cos])
AC_OUTPUT
EOF
	(cd "$d" && autoconf && autoheader) || return 1
	echo $CONF_VERSION >"$d/.generated"
}

wl_configure() {
	command -v autoconf >/dev/null && command -v gcc >/dev/null ||
		{ echo "autoconf or gcc not installed (scripts/deps.sh)" >&2; return 1; }
	gen_conf || { echo "cannot generate $OUT/conf" >&2; return 1; }
	CMD=(sh -c "cd '$OUT/conf' && exec ./configure")
	RESET="rm -rf '$OUT/conf/config.log' '$OUT/conf/config.status' '$OUT/conf/config.h' '$OUT/conf/autom4te.cache'"
	DETERMINISTIC=1   # the checks and their answers, in order
	GOAL_RECORD=1.5
}

wl_cpu2() {
	$CC -O2 -o "$OUT/cpu2" bench/programs/cpu2.c || return 1
	CMD=("$OUT/cpu2")
	DETERMINISTIC=1
	GOAL_RECORD=1.1
}

wl_mutex2() {
	$CC -O2 -pthread -o "$OUT/mutex2" bench/programs/mutex2.c || return 1
	CMD=("$OUT/mutex2")
	DETERMINISTIC=1   # the shared update is a sum: same total every run
}

wl_racy() {
	$CC -O2 -pthread -o "$OUT/racy" bench/programs/racy.c || return 1
	CMD=("$OUT/racy")
	DETERMINISTIC=0   # lost updates differ from run to run
}

# The same racy program recorded in chaos mode (record --chaos, issue 21):
# short random slices, each ending in a preemption with its signature.
wl_chaos-racy() {
	$CC -O2 -pthread -o "$OUT/racy" bench/programs/racy.c || return 1
	CMD=("$OUT/racy")
	REC_OPTS=(--chaos=1)
	DETERMINISTIC=0
	GOAL_RECORD=3
}

# Two threads computing without syscalls in a process with a big heap
# (issue 22): each preemption snapshot holds the pages its slice wrote,
# not the heap (core/dirty.h), so the cost stays flat as the heap grows.
# Two threads that take turns on one domain cannot beat 2x on 2 CPUs.
bigheap_build() {
	$CC -O1 -pthread -Itests/programs -o "$OUT/bigheap" tests/programs/bigheap.c
}

wl_bigheap() {
	bigheap_build || return 1
	CMD=("$OUT/bigheap" 400 300000000)
	GOAL_RECORD=2.2 GOAL_REPLAY=2.2
}

wl_bigheap-2g() {
	bigheap_build || return 1
	CMD=("$OUT/bigheap" 2048 300000000)
	RUNS=2
	GOAL_RECORD=2.2 GOAL_REPLAY=2.2
}

# placement-cost programs (PLACEMENT)

wl_spin-count() {
	$CC -O2 -pthread -o "$OUT/spin-count" bench/programs/spin-count.c || return 1
	CMD=("$OUT/spin-count")
	DETERMINISTIC=0   # the count depends on the CPU speed
}

wl_bigheap-place() {
	bigheap_build || return 1
	CMD=("$OUT/bigheap" 400 300000000)
}

wl_alarm-loop() {
	$CC -O2 -o "$OUT/alarm-loop" bench/programs/alarm-loop.c || return 1
	CMD=("$OUT/alarm-loop")
	DETERMINISTIC=0   # where the signals land differs from run to run
}

# ---------------------------------------------------------------- servers
#
# A server in SERVERS is benchmarked by srv_bench (below) from three
# functions: NAME_setup (called once: sets SRV_CMD, the server's command,
# and SRV_PORT, where it listens; may set SRV_RESET, eval'd before each
# start, and SRV_GOAL=P, the goal "recorded throughput >= P% of native",
# checked for each metric), NAME_load FILE (loads the running server with
# a client that is not recorded; writes "VALUE METRIC" lines to FILE) and
# NAME_stop (tells it to exit, with status 0).  They run in the server's
# subshell, with tests/lib-app.sh sourced: T is the server's scratch
# directory.  Every server also has the goal "replay wall time < record
# wall time" (of the whole recording: start, load, stop).

nginx_setup() {
	need nginx wrk
	SRV_PORT=$(free_port)
	SRV_GOAL=80
	mkdir -p "$T/www" "$T/ng" || fail "cannot create $T/www"
	head -c 3000 /dev/urandom | base64 >"$T/www/index.html"
	# the workers run as nobody: whatever the umask, let them read the page
	chmod 755 "$T" "$T/www" && chmod 644 "$T/www/index.html" || fail "cannot make $T/www readable"
	local tmp
	{
		echo "worker_processes 2; pid $T/nginx.pid; error_log $T/error.log;"
		echo "events { worker_connections 256; }"
		echo "http { access_log $T/access.log;"
		for tmp in client_body proxy fastcgi uwsgi scgi; do
			echo "	${tmp}_temp_path $T/ng/$tmp;"
		done
		echo "	server { listen 127.0.0.1:$SRV_PORT; root $T/www; } }"
	} >"$T/nginx.conf"
	SRV_CMD=(nginx -p "$T/ng" -c "$T/nginx.conf" -g 'daemon off;')
}

nginx_load() {
	timeout --foreground 30 wrk -t2 -c16 -d5s "http://127.0.0.1:$SRV_PORT/" >"$T/wrk.out" 2>&1 ||
		fail "wrk failed: $(tail -n1 "$T/wrk.out")"
	# errors are fast to serve: they would inflate requests/s (the workers
	# run as nobody, who gets 403 where a directory above $T is private)
	! grep -q 'Non-2xx' "$T/wrk.out" ||
		fail "nginx answered with errors ($(grep -o 'Non-2xx.*' "$T/wrk.out"); see $T/error.log)"
	awk '/^Requests\/sec:/ { print $2, "req/s" }' "$T/wrk.out" >"$1"
}

nginx_stop() { kill -QUIT "$(cat "$T/nginx.pid")"; }

# Persistence on: a snapshot after every 1000 changes in a second (BGSAVE
# forks a child that writes it) and one more at SHUTDOWN, as in the
# app-redis test.  SRV_RESET deletes the previous run's snapshot, which
# the next start would load.
redis_setup() {
	need redis-server redis-cli redis-benchmark
	SRV_PORT=$(free_port)
	SRV_GOAL=75
	SRV_CMD=(redis-server --port "$SRV_PORT" --bind 127.0.0.1 --dir "$T" \
		--save "1 1000" --appendonly no --daemonize no --loglevel notice)
	SRV_RESET="rm -f '$T/dump.rdb'"
}

redis_load() {
	timeout --foreground 120 redis-benchmark -h 127.0.0.1 -p "$SRV_PORT" -n 20000 -q -t get,set \
		>"$T/bench.out" 2>&1 || fail "redis-benchmark failed: $(tail -c 300 "$T/bench.out")"
	# progress lines end in \r; results: "SET: 95238.10 requests per second, ..."
	tr '\r' '\n' <"$T/bench.out" | awk '/requests per second/ { sub(":", "", $1); print $2, $1, "ops/s" }' >"$1"
}

redis_stop() { timeout --foreground 20 redis-cli -h 127.0.0.1 -p "$SRV_PORT" shutdown >/dev/null 2>&1; }

# ---------------------------------------------------------------- helpers

now_us() { local t=$EPOCHREALTIME; echo $(( 10#${t/./} )); }

# median of the arguments (microseconds); the mean of the middle two
# when there is an even number of them
median() {
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 }
		END { if (NR % 2) print v[(NR + 1) / 2]
		      else printf "%d\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# spread of the arguments (microseconds): (max - min) / median, as a
# percentage; "-" for a single run
spread() {
	[ $# -gt 1 ] || { echo -; return; }
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 }
		END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		      if (m <= 0) { print "-"; exit }
		      x = 100 * (v[NR] - v[1]) / m
		      printf (x < 10 ? "%.1f%%\n" : "%.0f%%\n"), x }'
}

secs()  { awk -v u="$1" 'BEGIN { printf "%.3f", u / 1e6 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }'; }
human() { numfmt --to=iec-i --suffix=B --format='%.1f' "$1"; }

# trace_bytes DIR: the event streams plus a packed trace's objects/ (not
# the objects in the store, one copy per machine of each file recordings
# map, as rr's published sizes leave out the system files it links)
trace_bytes() {
	local n=0 s
	for s in "$1"/events.* ; do [ -f "$s" ] && n=$((n + $(stat -c %s "$s"))); done
	[ -d "$1/objects" ] && n=$((n + $(find "$1/objects" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')))
	echo $n
}

# fresh_store NAME: for a FRESH_STORE workload, an empty store NAME for
# the next recording (the command prefix that selects it, in FRESH); else
# nothing.  The buffered and unbuffered recordings have one each: the
# last buffered trace replays once more after the runs, from its store.
fresh_store() {
	FRESH=()
	[ "$FRESH_STORE" = 1 ] || return 0
	rm -rf "$W/fresh-$1"
	FRESH=(env SCRIBE_DIR="$W/fresh-$1")
}

# first line scribe itself printed (its errors start with "scribe:"),
# else the last line of the file
err_line() {
	local l
	l=$(grep -m1 '^scribe:' "$1")
	[ -n "$l" ] || l=$(tail -n1 "$1")
	echo "${l:-(no message)}"
}

ROW_FMT='%-10s %8s %6s %8s %6s %6s %8s %6s %6s %7s %9s %10s %8s  %s\n'
SRV_FMT='%-6s %-10s %8s %8s %6s %6s %8s %8s %8s %10s  %s\n'
CK_FMT='%-10s %9s %10s %10s  %s\n'
PL_FMT='%-10s %9s %9s %7s %9s %7s %7s %7s %6s %6s %6s %9s %9s %9s  %s\n'
WARNINGS=()
RUN_COUNTS=()      # "NAME N" for the footer
PL_COUNTS=()       # the same for the placement-cost section

warn() { WARNINGS+=("$1: $2"); printf '%-10s WARNING: %s\n' "$1" "$2"; }

# row FMT ARGS...: printf without the trailing blanks of an empty last column
row() { printf "$@" | sed 's/ *$//'; }

# goal_col RECORD_US REPLAY_US NATIVE_US: the goals column of a table row,
# from GOAL_RECORD and GOAL_REPLAY; each ratio is compared as printed
# (rounded to 2 decimals), so that the verdict agrees with the row
goal_col() {
	[ -n "$GOAL_RECORD$GOAL_REPLAY" ] || return 0
	awk -v r="$1" -v p="$2" -v n="$3" -v gr="$GOAL_RECORD" -v gp="$GOAL_REPLAY" '
	function check(what, t, g) {
		return sprintf("%s <= %sx %s", what, g,
			(n > 0 && sprintf("%.2f", t / n) + 0 <= g + 0) ? "met" : "MISSED")
	}
	BEGIN {
		s = ""
		if (gr != "") s = check("record", r, gr)
		if (gp != "") s = s (s == "" ? "" : ", ") check("replay", p, gp)
		print s
	}'
}

# parse_stats FILE: the --stats lines of a replay's stderr, as
# "PREEMPTIONS SIGNALS FIXED SNAPSHOTS MIB MEDIAN_MS WORST_MS" (the last
# two are "-" when nothing was placed); fails when the lines are missing
parse_stats() {
	awk '
	/^scribe: [0-9]+ preemptions? and [0-9]+ asynchronous signals? placed by signature/ {
		p = $2; a = $5
		line = $0
		sub(/.*\(/, "", line)                  # "F spin fixed points, S snapshots, X MiB restored)"
		split(line, f, /[ ,]+/)
		fx = f[1]; sn = f[5]; mib = f[7]; seen = 1
	}
	/^scribe: placing them took [0-9.]+ ms median, [0-9.]+ ms worst/ { med = $5; worst = $8 }
	END {
		if (!seen) exit 1
		print p, a, fx, sn, mib, (med == "" ? "-" : med), (worst == "" ? "-" : worst)
	}' "$1"
}

# run_workload NAME [placement]: time it, check it, print its row (in the
# placement section: replays with --stats, and a placement-cost row)
run_workload() {
	local name=$1 mode=${2:-table} i rs ps ns bs t0 tr= st
	local -a nat=() rec=() rep=() nob=() stats=() repopt=()
	CMD=() STDIN=/dev/null STDOUT= RUNS=3 DETERMINISTIC=0 RESET=: GOAL_RECORD= GOAL_REPLAY= FRESH_STORE=
	REC_OPTS=()
	[ "$mode" = table ] || repopt=(--stats)
	if ! declare -F "wl_$name" >/dev/null; then
		warn "$name" "no such workload (no function wl_$name)"; return
	fi
	if ! "wl_$name" >"$W/$name.setup" 2>&1 || [ ${#CMD[@]} = 0 ]; then
		warn "$name" "setup failed: $(err_line "$W/$name.setup")"; return
	fi
	[ -z "$BENCH_RUNS" ] || RUNS=$BENCH_RUNS
	local base=$W/$name
	for ((i = 1; i <= RUNS; i++)); do
		# native
		eval "$RESET"
		t0=$(now_us)
		"${CMD[@]}" <"$STDIN" >"${STDOUT:-$base.nat.out}" 2>"$base.nat.err"
		ns=$?
		nat+=($(( $(now_us) - t0 )))

		# record (the previous run's trace is removed first: the
		# 200 MB workload would otherwise pile up traces)
		eval "$RESET"
		[ -z "$tr" ] || rm -rf "$tr"
		tr=$SCRIBE_DIR/$name-$i
		fresh_store rec
		t0=$(now_us)
		"${FRESH[@]}" "$SCRIBE" record -q "${REC_OPTS[@]}" -o "$tr" -- "${CMD[@]}" <"$STDIN" >"${STDOUT:-$base.rec.out}" 2>"$base.rec.err"
		rs=$?
		rec+=($(( $(now_us) - t0 )))
		if [ $rs != $ns ]; then
			warn "$name" "record exited $rs, native $ns: $(err_line "$base.rec.err")"; return
		fi

		# replay, quiet (with --stats in the placement section)
		t0=$(now_us)
		"$SCRIBE" replay -q "${repopt[@]}" "$tr" </dev/null >"$base.rep.out" 2>"$base.rep.err"
		ps=$?
		rep+=($(( $(now_us) - t0 )))
		if [ $ps != $rs ]; then
			warn "$name" "replay -q ${repopt[*]}${repopt:+ }exited $ps, record $rs: $(err_line "$base.rep.err")"; return
		fi
		if [ -s "$base.rep.out" ]; then
			warn "$name" "replay -q wrote to stdout: $(head -n1 "$base.rep.out")"
		fi
		if [ "$mode" != table ]; then
			if ! st=$(parse_stats "$base.rep.err"); then
				warn "$name" "replay --stats printed no placement line: $(err_line "$base.rep.err")"; return
			fi
			stats+=("$st")
			cp "$base.rep.err" "$base.stats.$i"
		fi

		# record without the syscall buffer (table only), for the
		# no-buf column; its trace is not kept
		[ "$mode" = table ] || continue
		eval "$RESET"
		rm -rf "$tr.nobuf"
		fresh_store nobuf
		t0=$(now_us)
		SCRIBE_NO_BUFFER=1 "${FRESH[@]}" "$SCRIBE" record -q "${REC_OPTS[@]}" -o "$tr.nobuf" -- "${CMD[@]}" \
			<"$STDIN" >"${STDOUT:-$base.nobuf.out}" 2>"$base.nobuf.err"
		bs=$?
		nob+=($(( $(now_us) - t0 )))
		rm -rf "$tr.nobuf"
		if [ $bs != $ns ]; then
			warn "$name" "record (no buffer) exited $bs, native $ns: $(err_line "$base.nobuf.err")"; return
		fi
	done

	# One untimed replay that re-emits the output, to compare with what
	# the last recording printed.
	"$SCRIBE" replay "$tr" </dev/null >"${STDOUT:-$base.rep2.out}" 2>"$base.rep2.err"
	ps=$?
	if [ $ps != $rs ]; then
		warn "$name" "replay exited $ps, record $rs: $(err_line "$base.rep2.err")"
	elif [ -z "$STDOUT" ] && ! cmp -s "$base.rec.out" "$base.rep2.out"; then
		warn "$name" "replay stdout differs from the recording's (see $base.rec.out, $base.rep2.out)"
	elif ! cmp -s <(grep -v '^scribe:' "$base.rec.err") <(grep -v '^scribe:' "$base.rep2.err"); then
		warn "$name" "replay stderr differs from the recording's (see $base.rec.err, $base.rep2.err)"
	fi
	if [ -n "$STDOUT" ]; then
		:   # nothing kept to compare
	elif [ "$DETERMINISTIC" = 1 ] && ! cmp -s "$base.nat.out" "$base.rec.out"; then
		warn "$name" "recorded stdout differs from native (see $base.nat.out, $base.rec.out)"
	elif [ "$DETERMINISTIC" = 1 ] && [ "$mode" = table ] && ! cmp -s "$base.nat.out" "$base.nobuf.out"; then
		warn "$name" "stdout recorded without the buffer differs from native (see $base.nat.out, $base.nobuf.out)"
	fi
	if grep -q '^scribe:' "$base.rec.err" "$base.rep2.err" "$base.nobuf.err" 2>/dev/null; then
		warn "$name" "scribe said: $(grep -h -m1 '^scribe:' "$base.rec.err" "$base.rep2.err" \
			"$base.nobuf.err" 2>/dev/null | head -n1)"
	fi

	local mn mr mp mb bytes events
	mn=$(median "${nat[@]}") mr=$(median "${rec[@]}") mp=$(median "${rep[@]}")
	events=$("$SCRIBE" info --events "$tr" 2>/dev/null) || events='?'
	if [ "$mode" = table ]; then
		mb=$(median "${nob[@]}")
		bytes=$(trace_bytes "$tr")
		row "$ROW_FMT" "$name" "$(secs "$mn")" "$(spread "${nat[@]}")" \
			"$(secs "$mr")" "$(ratio "$mr" "$mn")" "$(spread "${rec[@]}")" \
			"$(secs "$mp")" "$(ratio "$mp" "$mn")" "$(spread "${rep[@]}")" \
			"$(ratio "$mb" "$mn")" "$(human "$bytes")" \
			"$(human "$(awk -v b="$bytes" -v u="$mn" 'BEGIN { printf "%d", (u > 0 ? b * 1e6 / u : 0) }')")/s" \
			"$events" "$(goal_col "$mr" "$mp" "$mn")"
		RUN_COUNTS+=("$name $RUNS")
	else
		# counts: the last recording's; placing times: median of the
		# replays' medians, worst of their worsts
		local p a fx sn mib med worst goal
		read -r p a fx sn mib med worst <<<"${stats[-1]}"
		med=$(printf '%s\n' "${stats[@]}" | awk '$6 != "-" { print $6 }' | sort -g |
			awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2];
				else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
		worst=$(printf '%s\n' "${stats[@]}" | awk '$7 != "-" { if (!n++ || $7 + 0 > w + 0) w = $7 }
			END { print n ? w : "-" }')
		if [ "$worst" = - ]; then
			goal="nothing placed"
		else
			goal=$(awk -v w="$worst" -v g="$PLACE_GOAL_MS" 'BEGIN { print (w < g) ? "met" : "MISSED" }')
		fi
		row "$PL_FMT" "$name" "$(secs "$mn")" "$(secs "$mr")" "$(ratio "$mr" "$mn")" \
			"$(secs "$mp")" "$(ratio "$mp" "$mn")" "$events" "$p" "$a" "$fx" "$sn" \
			"${mib}MiB" "$med" "$worst" "$goal"
		PL_COUNTS+=("$name $RUNS")
	fi
	rm -rf "$tr"
}

# srv_start NAME MODE: start SRV_CMD in the background, natively or under
# 'scribe record' (app_record), and wait until it listens.  A native server
# is started the way app_record starts a recording (APP_NAME, APP_RECORDER,
# outputs $T/NAME.rec.*), so that wait_port and app_recorded work on it
# alike; setsid gives it a process group of its own, which srv_cleanup
# kills with it (nginx's workers outlive a killed master).
srv_start() {
	eval "$SRV_RESET"
	case $2 in
	native)
		APP_NAME=$1.native APP_T0=$(date +%s%N)
		(cd "$T" && exec setsid "${SRV_CMD[@]}" \
			</dev/null >"$T/$APP_NAME.rec.out" 2>"$T/$APP_NAME.rec.err") &
		APP_RECORDER=$! SRV_NATIVE=$!;;
	record)
		app_record "$1" -- "${SRV_CMD[@]}";;
	nobuf)
		SCRIBE_NO_BUFFER=1 app_record "$1.nobuf" -- "${SRV_CMD[@]}";;
	esac
	wait_port "$SRV_PORT"
}

# srv_fail MSG: fail() in a server's subshell: the phase, the message and
# the server's own last error line.  lib-app.sh's messages speak of the
# recording; a native server is waited for by the same functions.
srv_fail() {
	local m=$1 e=${APP_NAME:+$T/$APP_NAME.rec.err}
	[ "$PHASE" != native ] || m=${m/the recording/the server} m=${m/record of /}
	[ "$PHASE" != replay ] && [ -s "$e" ] && m="$m (stderr: $(err_line "$e"))"
	echo "FAIL: $PHASE: $m" >&2
	exit 1
}

srv_cleanup() {
	[ -z "$SRV_NATIVE" ] || kill -KILL -- "-$SRV_NATIVE" 2>/dev/null
	app_cleanup
}

# srv_warn MSG: a warning that does not stop the server's benchmark; the
# subshell passes it to WARNINGS through $W/NAME.srv.warn
srv_warn() { warn "$SRV_NAME" "$1"; echo "$1" >>"$W/$SRV_NAME.srv.warn"; }

# srv_bench NAME: run the server natively, under 'scribe record' and
# under 'scribe record' without the syscall buffer (SCRIBE_NO_BUFFER=1),
# each time under the same load, then time 'scribe replay -q' of the
# (buffered) recording, with the server and its clients gone, and print
# the server's rows.  Runs in run_server's subshell: fail() ends it.
srv_bench() {
	local name=$1 nat rec nob metric bytes t0 st rep_ns rec_ns rec_st walls goal replay_goal
	SRV_NAME=$name PHASE=setup SRV_RESET=: SRV_GOAL=
	"${name}_setup"
	# native and recorded alternately, SRV_RUNS times (single runs of a
	# 2-CPU VM under load vary by 20 points), then once without the buffer
	local i phases=()
	for ((i = 1; i <= SRV_RUNS; i++)); do phases+=("native $i" "record $i"); done
	phases+=("nobuf 1")
	for PHASE in "${phases[@]}"; do
		i=${PHASE#* } PHASE=${PHASE% *}
		[ "$PHASE" != record ] || rm -rf "$T/$name"    # the last one is kept
		srv_start "$name" "$PHASE"
		"${name}_load" "$T/$PHASE.$i.metrics"
		"${name}_stop"
		app_recorded 30 0
		SRV_NATIVE=
		[ -s "$T/$PHASE.$i.metrics" ] || fail "the client reported no results (see $T)"
		if [ "$PHASE" = record ]; then
			rec_ns=$APP_REC_NS rec_st=$APP_STATUS
		elif [ "$PHASE" = nobuf ]; then
			rm -rf "$T/$name.nobuf"     # its trace is not replayed
		fi
	done

	PHASE=replay
	t0=$(date +%s%N)
	timeout --foreground -k 5 300 "$SCRIBE" replay -q "$T/$name" \
		</dev/null >"$T/$name.rep.out" 2>"$T/$name.rep.err"
	st=$?
	rep_ns=$(( $(date +%s%N) - t0 ))
	[ "$st" = "$rec_st" ] ||
		fail "replay -q exited $st, record $rec_st: $(err_line "$T/$name.rep.err")"
	[ ! -s "$T/$name.rep.out" ] || srv_warn "replay -q wrote to stdout: $(head -n1 "$T/$name.rep.out")"
	if grep -q '^scribe:' "$T/$name.rec.err" "$T/$name.nobuf.rec.err" "$T/$name.rep.err"; then
		srv_warn "scribe said: $(grep -h -m1 '^scribe:' "$T/$name.rec.err" "$T/$name.nobuf.rec.err" \
			"$T/$name.rep.err" | head -n1)"
	fi

	# one row per metric; the recording's walls and trace, and the goal
	# "replay < record", on the first (secs is lib-app.sh's here:
	# nanoseconds)
	bytes=$(trace_bytes "$T/$name")
	walls=("$(secs "$rec_ns")" "$(secs "$rep_ns")" "$(human "$bytes")"
		"$(human "$(awk -v b="$bytes" -v n="$rec_ns" 'BEGIN { printf "%d", b * 1e9 / n }')")/s")
	replay_goal="replay < record $( [ "$rep_ns" -lt "$rec_ns" ] && echo met || echo MISSED)"
	while read -r _ metric; do
		nat=$(srv_median "$metric" "$T"/native.*.metrics)
		rec=$(srv_median "$metric" "$T"/record.*.metrics)
		nob=$(srv_median "$metric" "$T"/nobuf.*.metrics)
		goal=
		[ -z "$SRV_GOAL" ] || goal=$(awk -v a="${rec:-0}" -v b="$nat" -v g="$SRV_GOAL" 'BEGIN {
			printf "recorded >= %s%% %s", g, (b > 0 && sprintf("%.1f", 100 * a / b) + 0 >= g + 0) ? "met" : "MISSED" }')
		[ -z "$replay_goal" ] || goal="${goal}${goal:+, }$replay_goal"
		row "$SRV_FMT" "$name" "$metric" "$(printf '%.0f' "$nat")" "$(printf '%.0f' "${rec:-0}")" \
			"$(pct "${rec:-0}" "$nat")" "$(pct "${nob:-0}" "$nat")" "${walls[@]}" "$goal"
		walls=("" "" "" "") replay_goal=
	done <"$T/native.1.metrics"
}

# srv_median METRIC FILE...: the median of METRIC's values in the files
srv_median() {
	local m=$1; shift
	awk -v m="$m" '{ v = $1; $1 = "" } substr($0, 2) == m { print v }' "$@" | sort -g |
		awk '{ a[NR] = $1 } END { if (NR) print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# pct A B: A / B as a percentage
pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f%%", 100 * a / b; else print "-" }'; }

# run_server NAME: srv_bench in a subshell that sources tests/lib-app.sh,
# so that the server is started, waited for and stopped as the application
# tests do it (need, free_port, wait_port, app_record, app_recorded).  Its
# fail() ends only the subshell, and becomes a WARNING here; its EXIT trap
# kills whatever of the server still runs (the recorder, whose tracees die
# with it, or a native server's process group), also on Ctrl-C.
run_server() {
	local name=$1 st msg
	if ! declare -F "${name}_setup" >/dev/null; then
		warn "$name" "no such server (no function ${name}_setup)"; return
	fi
	rm -f "$W/$name.srv.warn"
	(
		T=$W/$name.srv PHASE=setup SRV_NATIVE=
		rm -rf "$T" && mkdir -p "$T" || exit 1
		. "$TOP/tests/lib-app.sh"
		fail() { srv_fail "$*"; }
		trap srv_cleanup EXIT
		trap 'exit 130' INT TERM
		srv_bench "$name"
	) 2>"$W/$name.srv.log"
	st=$?
	[ $st != 130 ] || exit 130
	if [ -f "$W/$name.srv.warn" ]; then
		while read -r msg; do WARNINGS+=("$name: $msg"); done <"$W/$name.srv.warn"
	fi
	if [ $st != 0 ]; then
		msg=$(sed -n 's/^FAIL: //p' "$W/$name.srv.log" | tail -n1)
		warn "$name" "${msg:-exited $st (see $W/$name.srv.log)}"
	fi
	rm -rf "$W/$name.srv/$name" "$W/$name.srv/$name.nobuf" "$W/$name.srv/traces"   # the traces
}

# ---------------------------------------------------------------- checkpoints

# A checkpoint program: ck_NAME sets CMD (a single-threaded program whose
# 5th write the replay stops at) and HEAP (what the row says of it).
ck_ckpt-100m() {
	$CC -O1 -o "$OUT/ckpt_steps" tests/programs/ckpt_steps.c || return 1
	CMD=("$OUT/ckpt_steps" heap 100) HEAP="100 MiB"
}

# run_checkpoint NAME: record it, then time checkpoints and restores of
# its replay through the python module (bench/programs/ckpt_time.py)
run_checkpoint() {
	local name=$1 CMD=() HEAP= py out
	if ! declare -F "ck_$name" >/dev/null; then
		warn "$name" "no such checkpoint program (no function ck_$name)"; return
	fi
	"ck_$name" || { warn "$name" "cannot build it"; return; }
	py=$(for p in python3 /usr/bin/python3; do
		"$p" -c 'import ctypes' 2>/dev/null && { echo "$p"; break; }; done)
	if ! "$SCRIBE" record -q -o "$W/$name.trace" -- "${CMD[@]}" </dev/null >/dev/null \
		2>"$W/$name.rec.err"; then
		warn "$name" "record failed: $(err_line "$W/$name.rec.err")"; return
	fi
	if ! out=$(PYTHONPATH=$TOP/python "$py" bench/programs/ckpt_time.py "$W/$name.trace" \
		"${BENCH_RUNS:-9}" 2>"$W/$name.ck.err"); then
		warn "$name" "$(err_line "$W/$name.ck.err")"; return
	fi
	set -- $out
	row "$CK_FMT" "$name" "$HEAP" "$1" "$2" "$(awk -v c="$1" -v r="$2" -v g="$CKPT_GOAL_MS" \
		'BEGIN { printf "both < %d ms %s", g, (c + 0 < g && r + 0 < g) ? "met" : "MISSED" }')"
	rm -rf "$W/$name.trace"
}

# ---------------------------------------------------------------- main

[ -x "$SCRIBE" ] || { echo "run.sh: $SCRIBE not built (run make)" >&2; exit 1; }
mkdir -p "$OUT"
W=$OUT/run                        # per-run outputs, kept for inspection
rm -rf "$W" "$OUT/tmp"
mkdir -p "$W" "$OUT/tmp"
export SCRIBE_DIR=$OUT/tmp/traces # keep traces out of the user's ~/.local
mkdir -p "$SCRIBE_DIR"

# 'record' is with the syscall buffer (the no-buf runs set SCRIBE_NO_BUFFER
# themselves), so its library must be found next to $SCRIBE
unset SCRIBE_NO_BUFFER
"$SCRIBE" record -q -o "$OUT/tmp/preload-check" -- true </dev/null >/dev/null 2>"$W/preload-check.err"
if grep -q 'libscribe-preload.so not found' "$W/preload-check.err"; then
	echo "run.sh: $(err_line "$W/preload-check.err")" >&2
	echo "run.sh: copy build/libscribe-preload.so next to $SCRIBE" >&2
	exit 1
fi
rm -rf "$OUT/tmp/preload-check"

# Names on the command line go to the section whose list holds them
# (unknown names to the table, which reports them).  Ctrl-C or a TERM ends
# the run once the program or server section that runs has cleaned up.
if [ $# -gt 0 ]; then
	all_pl=" ${PLACEMENT[*]} " all_srv=" ${SERVERS[*]} " all_ck=" ${CHECKPOINTS[*]} "
	WORKLOADS=() PLACEMENT=() SERVERS=() CHECKPOINTS=()
	for w in "$@"; do
		if [[ $all_pl == *" $w "* ]]; then PLACEMENT+=("$w")
		elif [[ $all_ck == *" $w "* ]]; then CHECKPOINTS+=("$w")
		elif [[ $all_srv == *" $w "* ]]; then SERVERS+=("$w")
		else WORKLOADS+=("$w"); fi
	done
fi
TMPFS_DIR=                        # cp-r's directory on a tmpfs
trap 'exit 130' INT TERM
trap '[ -z "$TMPFS_DIR" ] || rm -rf "$TMPFS_DIR"' EXIT

if [ ${#WORKLOADS[@]} -gt 0 ]; then
	row "$ROW_FMT" workload native spread record ratio spread replay ratio spread no-buf \
		trace "trace/s" events goals
	row "$ROW_FMT" -------- ------ ------ ------ ----- ------ ------ ----- ------ ------ \
		----- ------- ------ -----
	for w in "${WORKLOADS[@]}"; do
		run_workload "$w"
	done
	echo
	runs=$(printf '%s, ' "${RUN_COUNTS[@]}"); runs=${runs%, }
	echo "times: seconds, median of each workload's runs (${runs:-none}); ratio = time / native"
	echo "record: with the syscall buffer; no-buf: median of as many records without it"
	echo "  (SCRIBE_NO_BUFFER=1), as a ratio to native"
	echo "spread: (slowest - fastest) / median of the runs' times"
	echo "trace: events stream bytes + a packed trace's objects, not the store's (of the buffered recording); trace/s: per"
	echo "  second of native run"
	echo "goals: ratio to native, as printed, at most the goal (a missed goal is not a failure)"
fi

if [ ${#SERVERS[@]} -gt 0 ]; then
	[ ${#WORKLOADS[@]} = 0 ] || echo
	echo "servers ($SRV_RUNS runs each, alternately, native and under scribe record; one under"
	echo "scribe record without the syscall buffer; then replay -q of the last buffered recording)"
	echo
	row "$SRV_FMT" server metric native recorded ratio no-buf "record s" "replay s" trace "trace/s" goals
	row "$SRV_FMT" ------ ------ ------ -------- ----- ------ -------- -------- ----- ------- -----
	for w in "${SERVERS[@]}"; do
		run_server "$w"
	done
	echo
	echo "native, recorded: the client's throughput against the native and the recorded server,"
	echo "  median of the runs; ratio = recorded / native; no-buf: the same without the buffer"
	echo "record s: wall time of the recording (start, load, stop), replay s: of replay -q;"
	echo "  trace: events stream bytes + a packed trace's objects, not the store's; trace/s: per second of recording"
	echo "goals: recorded throughput (as printed) at least the given share of native, and"
	echo "  replay faster than the recording"
fi

if [ ${#PLACEMENT[@]} -gt 0 ]; then
	[ ${#WORKLOADS[@]} = 0 ] && [ ${#SERVERS[@]} = 0 ] || echo
	echo "placement cost (replay -q --stats; goal: under $PLACE_GOAL_MS ms to place each preemption or signal)"
	echo
	row "$PL_FMT" program native record ratio replay ratio events preempt async fixed snaps restored \
		"place med" "place max" goal
	row "$PL_FMT" ------- ------ ------ ----- ------ ----- ------ ------- ----- ----- ----- -------- \
		--------- --------- ----
	for w in "${PLACEMENT[@]}"; do
		run_workload "$w" placement
	done
	echo
	runs=$(printf '%s, ' "${PL_COUNTS[@]}"); runs=${runs%, }
	echo "times: seconds, median of each program's runs (${runs:-none}); ratio = time / native"
	echo "preempt, async: preemptions and asynchronous signals recorded (and placed by replay),"
	echo "  in the last recording; fixed, snaps: how replay placed them (spin fixed points,"
	echo "  snapshots), restored: memory restored from snapshots"
	echo "place med, place max: ms to place one, median of the replays' medians and worst of"
	echo "  their worsts (from the --stats lines)"
fi

if [ ${#CHECKPOINTS[@]} -gt 0 ]; then
	[ ${#WORKLOADS[@]} = 0 ] && [ ${#SERVERS[@]} = 0 ] && [ ${#PLACEMENT[@]} = 0 ] || echo
	echo "checkpoints of a stopped replay (libscribe; goal: under $CKPT_GOAL_MS ms each)"
	echo
	row "$CK_FMT" program heap checkpoint restore goal
	row "$CK_FMT" ------- ---- ---------- ------- ----
	for w in "${CHECKPOINTS[@]}"; do
		run_checkpoint "$w"
	done
	echo
	echo "checkpoint, restore: ms, median of ${BENCH_RUNS:-9} of each (through the python module),"
	echo "  the replay stopped at the program's 5th write"
fi

echo
model=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
echo "machine: $(nproc) CPUs, ${model:-unknown CPU}, $(uname -sr)"
echo "scribe:  $("$SCRIBE" --version 2>&1 | head -n1)"

rm -rf "$OUT/tmp"
if [ ${#WARNINGS[@]} -gt 0 ]; then
	echo
	echo "${#WARNINGS[@]} warning(s):"
	printf '  %s\n' "${WARNINGS[@]}"
	exit 1
fi
exit 0
