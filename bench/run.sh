#!/bin/bash
# run.sh -- Scribe benchmarks: for each workload, time the program natively,
# under 'scribe record' and under 'scribe replay -q', back to back, RUNS
# times (the median is reported), then check that record and replay exit
# like the native run and that a replay re-emits exactly the recorded
# output.  Prints one table row per workload, then the machine and the
# scribe version.
#
#   bench/run.sh [WORKLOAD...]     default: every workload in WORKLOADS
#
# Environment: SCRIBE (default build/scribe), BENCH_RUNS (override every
# workload's run count, e.g. 1 for a quick smoke run).
#
# Adding a workload: append its name to WORKLOADS and define wl_NAME.  It
# is called once, before any timing, from the repository's top directory,
# and must set CMD (the command, as an array).  It may also set
#   STDIN=FILE       the program's standard input (default /dev/null;
#                    replay always gets /dev/null: it must not read it)
#   RUNS=N           timed runs of each of native/record/replay (default 3)
#   DETERMINISTIC=1  the native and recorded outputs must be identical
#                    (leave 0 for programs that print random values)
#   RESET='CMD'      eval'd before every native and record run (e.g. to
#                    delete a database the previous run created)
# and return non-zero (after printing why) to skip the workload.
# Scratch files go under $OUT (bench/out, git-ignored).

cd "$(dirname "$0")/.." || exit 1
export LC_ALL=C          # '.' in $EPOCHREALTIME, plain sort and printf
TOP=$(pwd)
SCRIBE=${SCRIBE:-$TOP/build/scribe}
OUT=$TOP/bench/out
CC=${CC:-cc}

WORKLOADS=(cpu syscalls sha256 sqlite)

# ---------------------------------------------------------------- workloads

wl_cpu() {
	$CC -O2 -o "$OUT/cpu" bench/programs/cpu.c || return 1
	CMD=("$OUT/cpu")
	DETERMINISTIC=1
}

wl_syscalls() {
	$CC -O2 -o "$OUT/writes" bench/programs/writes.c || return 1
	CMD=("$OUT/writes" 100000)
	DETERMINISTIC=1
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
}

# ---------------------------------------------------------------- helpers

now_us() { local t=$EPOCHREALTIME; echo $(( 10#${t/./} )); }

# median of the arguments (microseconds); the mean of the middle two
# when there is an even number of them
median() {
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 }
		END { if (NR % 2) print v[(NR + 1) / 2]
		      else printf "%d\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

secs()  { awk -v u="$1" 'BEGIN { printf "%.3f", u / 1e6 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }'; }
human() { numfmt --to=iec-i --suffix=B --format='%.1f' "$1"; }

# trace_bytes DIR: the event streams plus the saved files
trace_bytes() {
	local n=0 s
	for s in "$1"/events.* ; do [ -f "$s" ] && n=$((n + $(stat -c %s "$s"))); done
	[ -d "$1/files" ] && n=$((n + $(find "$1/files" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')))
	echo $n
}

# first line scribe itself printed (its errors start with "scribe:"),
# else the last line of the file
err_line() {
	local l
	l=$(grep -m1 '^scribe:' "$1")
	[ -n "$l" ] || l=$(tail -n1 "$1")
	echo "${l:-(no message)}"
}

ROW_FMT='%-10s %9s %9s %7s %9s %7s %10s %11s %9s\n'
WARNINGS=()
RUN_COUNTS=()      # "NAME N" for the footer

warn() { WARNINGS+=("$1: $2"); printf '%-10s WARNING: %s\n' "$1" "$2"; }

# run_workload NAME: time it, check it, print its row
run_workload() {
	local name=$1 i rs ps ns t0 tr=
	local -a nat=() rec=() rep=()
	CMD=() STDIN=/dev/null RUNS=3 DETERMINISTIC=0 RESET=:
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
		"${CMD[@]}" <"$STDIN" >"$base.nat.out" 2>"$base.nat.err"
		ns=$?
		nat+=($(( $(now_us) - t0 )))

		# record (the previous run's trace is removed first: the
		# 200 MB workload would otherwise pile up traces)
		eval "$RESET"
		[ -z "$tr" ] || rm -rf "$tr"
		tr=$SCRIBE_DIR/$name-$i
		t0=$(now_us)
		"$SCRIBE" record -q -o "$tr" -- "${CMD[@]}" <"$STDIN" >"$base.rec.out" 2>"$base.rec.err"
		rs=$?
		rec+=($(( $(now_us) - t0 )))
		if [ $rs != $ns ]; then
			warn "$name" "record exited $rs, native $ns: $(err_line "$base.rec.err")"; return
		fi

		# replay, quiet
		t0=$(now_us)
		"$SCRIBE" replay -q "$tr" </dev/null >"$base.rep.out" 2>"$base.rep.err"
		ps=$?
		rep+=($(( $(now_us) - t0 )))
		if [ $ps != $rs ]; then
			warn "$name" "replay -q exited $ps, record $rs: $(err_line "$base.rep.err")"; return
		fi
		if [ -s "$base.rep.out" ]; then
			warn "$name" "replay -q wrote to stdout: $(head -n1 "$base.rep.out")"
		fi
	done

	# One untimed replay that re-emits the output, to compare with what
	# the last recording printed.
	"$SCRIBE" replay "$tr" </dev/null >"$base.rep2.out" 2>"$base.rep2.err"
	ps=$?
	if [ $ps != $rs ]; then
		warn "$name" "replay exited $ps, record $rs: $(err_line "$base.rep2.err")"
	elif ! cmp -s "$base.rec.out" "$base.rep2.out"; then
		warn "$name" "replay stdout differs from the recording's (see $base.rec.out, $base.rep2.out)"
	elif ! cmp -s <(grep -v '^scribe:' "$base.rec.err") <(grep -v '^scribe:' "$base.rep2.err"); then
		warn "$name" "replay stderr differs from the recording's (see $base.rec.err, $base.rep2.err)"
	fi
	if [ "$DETERMINISTIC" = 1 ] && ! cmp -s "$base.nat.out" "$base.rec.out"; then
		warn "$name" "recorded stdout differs from native (see $base.nat.out, $base.rec.out)"
	fi
	if grep -q '^scribe:' "$base.rec.err" "$base.rep2.err"; then
		warn "$name" "scribe said: $(grep -h -m1 '^scribe:' "$base.rec.err" "$base.rep2.err" | head -n1)"
	fi

	local mn mr mp bytes events
	mn=$(median "${nat[@]}") mr=$(median "${rec[@]}") mp=$(median "${rep[@]}")
	bytes=$(trace_bytes "$tr")
	events=$("$SCRIBE" info --events "$tr" 2>/dev/null) || events='?'
	printf "$ROW_FMT" "$name" "$(secs "$mn")" "$(secs "$mr")" "$(ratio "$mr" "$mn")" \
		"$(secs "$mp")" "$(ratio "$mp" "$mn")" "$(human "$bytes")" \
		"$(human "$(awk -v b="$bytes" -v u="$mn" 'BEGIN { printf "%d", (u > 0 ? b * 1e6 / u : 0) }')")/s" \
		"$events"
	rm -rf "$tr"
	RUN_COUNTS+=("$name $RUNS")
}

# ---------------------------------------------------------------- main

[ -x "$SCRIBE" ] || { echo "run.sh: $SCRIBE not built (run make)" >&2; exit 1; }
mkdir -p "$OUT"
W=$OUT/run                        # per-run outputs, kept for inspection
rm -rf "$W" "$OUT/tmp"
mkdir -p "$W" "$OUT/tmp"
export SCRIBE_DIR=$OUT/tmp/traces # keep traces out of the user's ~/.local
mkdir -p "$SCRIBE_DIR"

[ $# = 0 ] || WORKLOADS=("$@")

printf "$ROW_FMT" workload native record ratio replay ratio trace "trace/s" events
printf "$ROW_FMT" -------- ------ ------ ----- ------ ----- ----- ------- ------
for w in "${WORKLOADS[@]}"; do
	run_workload "$w"
done

echo
runs=$(printf '%s, ' "${RUN_COUNTS[@]}"); runs=${runs%, }
echo "times: seconds, median of each workload's runs (${runs:-none}); ratio = time / native"
echo "trace: events stream bytes + files/ bytes; trace/s: per second of native run"
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
