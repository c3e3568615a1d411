#!/bin/bash
# debug.sh -- the gdb-on-a-replay rows of issue 19, apart from run.sh's
# workload table (each row is a gdb session, not a program run):
#   stepi        ms per `stepi` (goal < 5 ms)
#   reverse      reverse-continue across a CPU-bound spin vs the forward
#                run over it, both timed inside gdb (goal <= 3x)
#   start-up     `scribe debug` on a big trace to gdb's first prompt
#                (goal < 2 s; the trace is BENCH_DEBUG_MB MiB, default 256)
# Environment: SCRIBE (default build/scribe), BENCH_DEBUG_ROUNDS (the
# spin's rounds, default 300000000, about 1 s), BENCH_DEBUG_MB.
set -u
cd "$(dirname "$0")/.." || exit 1
SCRIBE=${SCRIBE:-$PWD/build/scribe}
B=$PWD/build/tests
command -v gdb >/dev/null || { echo "debug.sh: gdb is not installed"; exit 0; }
OUT=$(mktemp -d "${TMPDIR:-/tmp}/scribe-bench-debug.XXXXXX")
trap 'rm -rf "$OUT"' EXIT
ROUNDS=${BENCH_DEBUG_ROUNDS:-300000000}
MB=${BENCH_DEBUG_MB:-256}

gdbrun() {    # TRACE SCRIPT: gdb's output
	timeout -k 5 600 "$SCRIBE" debug "$1" -- -batch -nx -x "$2" </dev/null 2>&1
}

"$SCRIBE" record -o "$OUT/spin" -- "$B/gdb_spin" "$ROUNDS" >/dev/null 2>&1 ||
	{ echo "debug.sh: cannot record gdb_spin"; exit 1; }

# stepi: 200 steps inside spin vs none
cat >"$OUT/step.gdb" <<'GDB'
set pagination off
break spin
continue
python import time; t0 = time.time()
stepi 200
python print("STEPI %.3f" % ((time.time() - t0) * 1000 / 200))
GDB
ms=$(gdbrun "$OUT/spin" "$OUT/step.gdb" | awk '/^STEPI/ {print $2}')
printf '%-10s %8s ms a step            goal < 5 ms: %s\n' stepi "${ms:-?}" \
	"$(awk -v m="${ms:-99}" 'BEGIN { print (m < 5 ? "met" : "MISSED") }')"

# reverse-continue over the spin: from after it back to its entry
cat >"$OUT/rev.gdb" <<'GDB'
set pagination off
break spin
continue
python import time; t0 = time.time()
finish
python fwd = time.time() - t0; t0 = time.time()
reverse-continue
python rev = time.time() - t0; print("REV %.2f %.2f %.2f" % (fwd, rev, rev / fwd))
GDB
read -r f r x < <(gdbrun "$OUT/spin" "$OUT/rev.gdb" | awk '/^REV/ {print $2, $3, $4}')
printf '%-10s forward %s s, reverse-continue %s s: %sx    goal <= 3x: %s\n' reverse \
	"${f:-?}" "${r:-?}" "${x:-?}" "$(awk -v m="${x:-99}" 'BEGIN { print (m <= 3 ? "met" : "MISSED") }')"

# start-up on a big trace: a cat of MB MiB of random data (its reads)
head -c "${MB}M" /dev/urandom >"$OUT/big.bin"
"$SCRIBE" record -o "$OUT/big" -- cat "$OUT/big.bin" >/dev/null 2>&1 ||
	{ echo "debug.sh: cannot record cat"; exit 1; }
rm -f "$OUT/big.bin"
size=$(du -sm "$OUT/big" | awk '{print $1}')
printf 'info registers rip\n' >"$OUT/start.gdb"
t0=$(date +%s.%N)
gdbrun "$OUT/big" "$OUT/start.gdb" | grep -q '^rip' || echo "debug.sh: no prompt on the big trace"
t1=$(date +%s.%N)
s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
printf '%-10s %s s to the first prompt, trace %s MiB   goal < 2 s: %s\n' start-up "$s" "$size" \
	"$(awk -v m="$s" 'BEGIN { print (m < 2 ? "met" : "MISSED") }')"
