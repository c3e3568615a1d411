#!/bin/bash
# fuzz.sh -- fuzz everything that reads a trace; fail on any crash or hang.
#
#   tests/fuzz.sh [--mutate-only] [SECONDS]      (default 60 seconds)
#
# 1. Records a few small programs (echo, date, python3, ls, a shell
#    pipeline, the test program clock) with build/scribe and seeds
#    build/fuzz/corpus from the traces: header files (mode byte 0), event
#    streams as recorded and uncompressed with `trace-tool unpack` (mode 1),
#    and single events (mode 2).
# 2. Runs the libFuzzer target build/fuzz/fuzz-trace (tests/tools/
#    fuzz-trace.c) for SECONDS, in fork mode so that it goes on after a
#    finding: -timeout=10 (an input running longer is a hang) and
#    -rss_limit_mb=2048.  Findings are kept in build/fuzz/artifacts/ and
#    re-run once each to print their sanitizer report.
# 3. Whole-program mutation pass, for SECONDS/2 (all of SECONDS with
#    --mutate-only, which skips step 2 and needs no clang build): copies of
#    the recorded traces are damaged by tests/tools/mutate-trace.py (bytes
#    flipped in events.N and header, with and without repaired checksums;
#    chunk fields set to edge values; events deleted, duplicated, moved or
#    altered; streams truncated; objects deleted or damaged, in the
#    traces, which are packed, and in objects.list), then
#    build/asan/scribe dump, info and replay run on each under `timeout 20`.
#    Each must exit 0 or 125, print a "scribe: " line whenever it exits
#    non-zero, and print no sanitizer report.  Failing traces are kept in
#    build/fuzz/artifacts/mutant-N/ with a note saying what was done.
#    One exception: a replay still running after 20s while scribe waits
#    and the program runs in user space without system calls is the
#    program looping on data a checksum-repairing mutation gave it (replay
#    cannot tell that from a long computation); it is counted apart, not
#    as a hang, and kept in build/fuzz/artifacts/spin-N/.  On the
#    unmutated traces it is a hang like any other.
#
# Environment: FUZZ_OUT (default build/fuzz) holds corpus/, artifacts/ and
# scratch space; SCRIBE_REC and SCRIBE_ASAN override the two scribe builds.
#
# Ends with "fuzz: N executions, N crashes, N hangs"; exits 1 on any crash
# or hang, 2 if something needed is missing.
set -u
cd "$(dirname "$0")/.." || exit 2
TOP=$(pwd)

mutate_only=0
if [ "${1:-}" = --mutate-only ]; then
	mutate_only=1
	shift
fi
SECONDS_TOTAL=${1:-60}
case $SECONDS_TOTAL in
''|*[!0-9]*) echo "usage: tests/fuzz.sh [--mutate-only] [SECONDS]" >&2; exit 2;;
esac

FUZZER=$TOP/build/fuzz/fuzz-trace
FUZZ=${FUZZ_OUT:-$TOP/build/fuzz}    # corpus/, artifacts/, scratch
SCRIBE_REC=${SCRIBE_REC:-$TOP/build/scribe}
SCRIBE_ASAN=${SCRIBE_ASAN:-$TOP/build/asan/scribe}
TOOL=$TOP/build/tests/trace-tool
MUTATE="python3 $TOP/tests/tools/mutate-trace.py"
ART=$FUZZ/artifacts
MAX_KEPT=20                  # mutation-pass reproducers kept per run,
MAX_SAME=2                   # ... and per distinct finding

need() { [ -x "$1" ] || { echo "fuzz: $1 is missing ($2)" >&2; exit 2; }; }
need "$SCRIBE_REC" "run 'make'"
if [ ! -x "$SCRIBE_ASAN" ] && [ "$SCRIBE_ASAN" = "$TOP/build/asan/scribe" ]; then
	# `make fuzz` does not build it: do it here.
	echo "fuzz: building $SCRIBE_ASAN (make asan)"
	make -s -C "$TOP" asan >/dev/null || exit 2
fi
need "$SCRIBE_ASAN" "run 'make asan'"
need "$TOOL" "run 'make build/tests/trace-tool'"
[ $mutate_only = 1 ] || need "$FUZZER" "run 'make build/fuzz/fuzz-trace'"
command -v python3 >/dev/null || { echo "fuzz: python3 is needed" >&2; exit 2; }

mkdir -p "$FUZZ/corpus" "$FUZZ/tmp"
# Keep the previous run's findings one run longer.
if [ -d "$ART" ] && [ -n "$(ls -A "$ART")" ]; then
	rm -rf "$ART.prev"
	mv "$ART" "$ART.prev"
fi
mkdir -p "$ART"
# Scratch space inside build/ so mutants can hard-link files/ entries and
# kept reproducers are cheap to copy.
W=$(mktemp -d "$FUZZ/tmp/run.XXXX")
trap 'rm -rf "$W"' EXIT

# The fuzzer keeps ASan's defaults (leaks are findings there); scribe runs
# as in tests/run.sh: a leak at exit is not a bug.
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
SCRIBE_ASAN_OPTIONS=detect_leaks=0:abort_on_error=1

# ---- 1. record and seed ------------------------------------------------
export SCRIBE_DIR=$W/scribe       # the recordings' object store
clock_prog=$TOP/build/tests/clock
# Command lines, as shell words; the last one makes a process tree (one
# event stream per memory domain).
progs=("/bin/echo hello fuzz" "date" "/usr/bin/python3 -c 'print(1)'" "ls /"
       "/bin/sh -c '/bin/echo a | /bin/cat; /bin/ls / >/dev/null'")
[ -x "$clock_prog" ] && progs+=("'$clock_prog'")
bases=()
argv=()
i=0
for p in "${progs[@]}"; do
	i=$((i + 1))
	tr=$W/base/t$i
	mkdir -p "$W/base"
	eval "argv=($p)"
	# Packed: the mutants' objects are their own (objects/), not the store's.
	if ! "$SCRIBE_REC" record -q --copy-files -o "$tr" -- "${argv[@]}" >/dev/null 2>"$W/rec.err" </dev/null; then
		echo "fuzz: recording '$p' failed:" >&2
		cat "$W/rec.err" >&2
		exit 2
	fi
	bases+=("$tr")
	name=seed-t$i
	{ printf '\000'; cat "$tr/header"; } >"$FUZZ/corpus/$name-header"
	{ printf '\001'; cat "$tr/events.0"; } >"$FUZZ/corpus/$name-events"
	# The same stream uncompressed: mutations then hit the decoders.
	cp -r "$tr" "$tr.raw"
	for ev in "$tr.raw"/events.*; do
		"$TOOL" unpack "$tr.raw" "${ev##*.}" || exit 2
	done
	bases+=("$tr.raw")
	if [ "$(stat -c %s "$tr.raw/events.0")" -le 65536 ]; then
		{ printf '\001'; cat "$tr.raw/events.0"; } >"$FUZZ/corpus/$name-raw"
	fi
	$MUTATE events "$tr.raw/events.0" "$FUZZ/corpus" "$name-ev" 100 || exit 2
done
echo "fuzz: seeded $FUZZ/corpus from ${#progs[@]} recordings ($(ls "$FUZZ/corpus" | wc -l) inputs)"

execs=0 crashes=0 hangs=0

# ---- 2. libFuzzer -------------------------------------------------------
# First line in src/ of a sanitizer report: where the finding is.
where() {
	grep -E '^ +#[0-9]+ 0x[0-9a-f]+ in [A-Za-z_][A-Za-z0-9_]* (/[^ ]*/)?(src|tests)/[a-z_]+/[A-Za-z0-9_.-]+\.c:' "$1" |
		grep -m1 -vE ' in (xmalloc|xcalloc|xrealloc|xstrdup|xasprintf) ' |
		sed -E 's/^ +#[0-9]+ 0x[0-9a-f]+ in //; s@ [^ ]*/((src|tests)/[^ ]*)@ \1@'
}

if [ $mutate_only = 0 ]; then
	echo "fuzz: running $FUZZER for ${SECONDS_TOTAL}s"
	env -u ASAN_OPTIONS "$FUZZER" "$FUZZ/corpus" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
		-max_total_time="$SECONDS_TOTAL" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$ART/" -print_final_stats=1 >"$W/libfuzzer.log" 2>&1
	rc=$?
	cp "$W/libfuzzer.log" "$FUZZ/libfuzzer.log"
	last=$(grep -E '^#[0-9]+: cov: ' "$W/libfuzzer.log" | tail -1)
	if [ -z "$last" ]; then
		echo "fuzz: libFuzzer did not run (exit $rc); log: $FUZZ/libfuzzer.log" >&2
		tail -20 "$W/libfuzzer.log" >&2
		exit 2
	fi
	n=$(echo "$last" | sed -E 's/^#([0-9]+):.*/\1/')
	counts=$(echo "$last" | sed -E 's@.*oom/timeout/crash: ([0-9]+)/([0-9]+)/([0-9]+).*@\1 \2 \3@')
	read -r f_oom f_timeout f_crash <<<"$counts"
	execs=$((execs + n))
	crashes=$((crashes + f_crash + f_oom))
	hangs=$((hangs + f_timeout))
	echo "fuzz: libFuzzer: $n executions, $f_crash crashes, $f_oom out-of-memory, $f_timeout hangs"
	# Re-run each finding once for its report; list the distinct places.
	for a in "$ART"/crash-* "$ART"/leak-* "$ART"/oom-* "$ART"/timeout-* "$ART"/slow-unit-*; do
		[ -f "$a" ] || continue
		env -u ASAN_OPTIONS timeout -k 5 60 "$FUZZER" -timeout=10 -rss_limit_mb=2048 "$a" >"$a.log" 2>&1
		w=$(where "$a.log")
		s=$(grep -m1 -E '^SUMMARY: ' "$a.log" | sed -E 's/^SUMMARY: //; s/[0-9]+ byte\(s\) leaked in [0-9]+ allocation\(s\)\./memory leak/; s/ in *$//')
		echo "${s:-no report (see $a.log)} @ ${w:-?}|$a" >>"$W/findings"
	done
	if [ -f "$W/findings" ]; then
		echo "fuzz: libFuzzer findings (distinct places; reproduce with $FUZZER FILE):"
		sort -t'|' -k1,1 -u "$W/findings" | sed -E 's/^(.*)\|(.*)$/  \1\n      e.g. \2/'
	fi
fi

# ---- 3. whole-program mutation pass ------------------------------------
if [ $mutate_only = 1 ]; then
	budget=$SECONDS_TOTAL
else
	budget=$(( SECONDS_TOTAL / 2 ))
	[ $budget -ge 5 ] || budget=5
fi
echo "fuzz: whole-program mutation pass for ${budget}s with $SCRIBE_ASAN"

kept=0
m_runs=0 m_crash=0 m_hang=0 m_spin=0
# check TRACE NOTE CMD: run build/asan/scribe CMD TRACE, judge the outcome.
# descendants PID: every process below PID.
descendants() {
	local c
	for c in $(pgrep -P "$1"); do
		echo "$c"
		descendants "$c"
	done
}
# spinning PID: scribe (PID) waits for its tracees while one of them runs in
# user space.  A mutation that repairs checksums can hand the program data
# it never saw (a damaged .pyc, say) on which it loops without a system
# call: replay cannot tell that from a long computation, so that is not
# counted as a scribe hang (but is reported and kept).
spinning() {
	local pid=$1 d k
	for k in 1 2; do
		[ "$(cat "/proc/$pid/wchan" 2>/dev/null)" = do_wait ] || return 1
		local spin=0
		for d in $(descendants "$pid"); do
			[ "$(cut -d' ' -f1 "/proc/$d/syscall" 2>/dev/null)" = running ] &&
				[ "$(sed -E 's/^.*\) (.).*/\1/' "/proc/$d/stat" 2>/dev/null)" = R ] && spin=1
		done
		[ $spin = 1 ] || return 1
		sleep 0.5
	done
	return 0
}
# run_replay TRACE: build/asan/scribe replay TRACE with a 20 s deadline;
# sets st (exit status, or "hang" / "spin").
run_replay() {
	ASAN_OPTIONS=$SCRIBE_ASAN_OPTIONS "$SCRIBE_ASAN" replay "$1" </dev/null >"$W/out" 2>"$W/err" &
	local pid=$! n=0 procs
	while [ "$(sed -E 's/^.*\) (.).*/\1/' "/proc/$pid/stat" 2>/dev/null)" != Z ] &&
	      [ -e "/proc/$pid" ] && [ $n -lt 400 ]; do
		sleep 0.05
		n=$((n + 1))
	done
	if [ $n -ge 400 ] && [ -e "/proc/$pid" ]; then
		if spinning "$pid"; then st=spin; else st=hang; fi
		procs=$(descendants "$pid")
		kill -TERM "$pid" 2>/dev/null
		for n in 1 2 3 4 5 6 7 8 9 10; do
			[ -e "/proc/$pid" ] || break
			[ "$(sed -E 's/^.*\) (.).*/\1/' "/proc/$pid/stat" 2>/dev/null)" != Z ] || break
			sleep 0.5
		done
		# shellcheck disable=SC2086   # one pid per word
		kill -KILL "$pid" $procs 2>/dev/null
		wait "$pid" 2>/dev/null
		return
	fi
	wait "$pid"
	st=$?
}

check() {
	local tr=$1 note=$2 cmd=$3 st bad=
	local out=$W/out err=$W/err
	if [ "$cmd" = replay ]; then
		run_replay "$tr"
	else
		ASAN_OPTIONS=$SCRIBE_ASAN_OPTIONS timeout -k 5 20 "$SCRIBE_ASAN" "$cmd" "$tr" \
			</dev/null >"$out" 2>"$err"
		st=$?
		{ [ $st = 124 ] || [ $st = 137 ]; } && st=hang
	fi
	# An unmutated trace must never leave the program spinning.
	[ "$st" = spin ] && [ "$strict" = 1 ] && st=hang
	m_runs=$((m_runs + 1))
	if [ "$st" = spin ]; then
		m_spin=$((m_spin + 1))
		if [ "$m_spin" -le 3 ]; then
			local keep=$ART/spin-$m_spin
			rm -rf "$keep"
			mkdir -p "$keep"
			cp -a "$tr" "$keep/trace"
			{
				echo "the replayed program ran for 20s in user space without a system call"
				echo "reproduce: $SCRIBE_ASAN replay $keep/trace"
				echo "mutations applied to a recording of: $note"
			} >"$keep/NOTE"
			echo "fuzz: note: replay of a mutant left the program spinning without system calls -- kept in $keep"
		fi
		return 0
	elif [ "$st" = hang ]; then
		bad="hang: '$cmd' did not finish in 20s"
		m_hang=$((m_hang + 1))
	elif grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:|UndefinedBehaviorSanitizer' "$err"; then
		bad="crash: sanitizer report from '$cmd' (exit $st)"
		m_crash=$((m_crash + 1))
	elif [ $st != 0 ] && [ $st != 125 ]; then
		bad="crash: '$cmd' exited $st"
		[ $st -gt 128 ] && bad="crash: '$cmd' died of signal $((st - 128))"
		m_crash=$((m_crash + 1))
	elif [ $st != 0 ] && ! grep -q '^scribe: ' "$err"; then
		bad="crash: '$cmd' exited $st without a 'scribe: ' message"
		m_crash=$((m_crash + 1))
	fi
	[ -n "$bad" ] || return 0
	local w sig
	w=$(where "$err")
	sig="${bad%% (exit*} @ ${w:-$(grep -m1 -E 'runtime error|ERROR|^scribe: ' "$err" | cut -c1-120)}"
	echo "$sig" >>"$W/mfindings"
	if [ $kept -lt $MAX_KEPT ] && [ "$(grep -cxF "$sig" "$W/mfindings")" -le $MAX_SAME ]; then
		kept=$((kept + 1))
		local keep=$ART/mutant-$kept
		rm -rf "$keep"
		mkdir -p "$keep"
		cp -a "$tr" "$keep/trace"
		{
			echo "$bad"
			echo "reproduce: $SCRIBE_ASAN $cmd $keep/trace"
			echo "mutations applied to a recording of: $note"
			echo "--- stderr (first 60 lines)"
			head -60 "$err"
		} >"$keep/NOTE"
		echo "fuzz: $bad -- kept in $keep"
	fi
}

# Each base trace unmutated first: the baseline must pass too.
strict=1
for b in "${bases[@]}"; do
	for cmd in dump info replay; do
		check "$b" "$(basename "$b") (unmutated)" $cmd
	done
done
# A few fixed edge cases on every run, so that what they catch is caught
# every time, not by luck.
edge_kinds=(empty-chunk drop-last output-order)
for kind in "${edge_kinds[@]}"; do
	for b in "${bases[0]}" "${bases[1]}"; do
		m=$W/edge
		rm -rf "$m"
		desc=$($MUTATE mutate --seed 1 --count 1 --kind "$kind" "$b" "$m" 2>&1) || {
			echo "fuzz: mutate-trace.py failed: $desc" >&2
			exit 2
		}
		for cmd in dump info replay; do
			check "$m" "$(basename "$b") (mutate-trace.py --kind $kind --seed 1):
$desc" $cmd
		done
	done
done
rm -rf "$W/edge"
strict=0
start=$(date +%s)
k=0
while [ $(( $(date +%s) - start )) -lt "$budget" ]; do
	k=$((k + 1))
	b=${bases[RANDOM % ${#bases[@]}]}
	m=$W/mutant
	rm -rf "$m"
	seed=$RANDOM$RANDOM
	desc=$($MUTATE mutate --seed "$seed" "$b" "$m" 2>&1) || {
		echo "fuzz: mutate-trace.py failed: $desc" >&2
		exit 2
	}
	note="$(basename "$b") (mutate-trace.py seed $seed):
$desc"
	for cmd in dump info replay; do
		check "$m" "$note" $cmd
	done
done
rm -rf "$W/mutant"
echo "fuzz: mutation pass: $k mutants, $m_runs runs, $m_crash crashes, $m_hang hangs" \
	"($m_spin replays left the program spinning in user space on checksum-repaired data)"
if [ -f "$W/mfindings" ]; then
	echo "fuzz: mutation-pass findings (distinct):"
	sort "$W/mfindings" | uniq -c | sed 's/^/  /'
fi
execs=$((execs + m_runs))
crashes=$((crashes + m_crash))
hangs=$((hangs + m_hang))

echo "fuzz: $execs executions, $crashes crashes, $hangs hangs"
[ $crashes = 0 ] && [ $hangs = 0 ]
