#!/bin/bash
# golive.sh -- how long going live takes (issue 18: under 100 ms for a
# process with 100 open fds).  Records a Python program that opens 100
# files and writes to each between sleeps, then, RUNS times (default 5),
# replays it to its third sleep and times scribe_replay_go_live (through
# the Python module); the live program must end with its own status.
# Prints the median and the worst, and the goal.
#
#   bench/golive.sh            (SCRIBE: default build/scribe; RUNS)
cd "$(dirname "$0")/.." || exit 1
TOP=$(pwd)
SCRIBE=${SCRIBE:-$TOP/build/scribe}
OUT=$TOP/bench/out/golive
RUNS=${RUNS:-5}
rm -rf "$OUT" && mkdir -p "$OUT/files" || exit 1
cat >"$OUT/fds100.py" <<'PY'
import os, sys, time
os.closerange(3, 1024)
fs = [open(os.path.join(sys.argv[1], "f%d" % i), "w") for i in range(100)]
for i in range(5):
    for f in fs:
        f.write("x%d\n" % i); f.flush()
    time.sleep(0.01)
sys.exit(4)
PY
# (without the syscall buffer: the fd model has every file's flags then)
SCRIBE_NO_BUFFER=1 "$SCRIBE" record -q -o "$OUT/tr" -- /usr/bin/python3 "$OUT/fds100.py" "$OUT/files"
[ $? = 4 ] || { echo "golive bench: the recording failed" >&2; exit 1; }
cat >"$OUT/time.py" <<'PY'
import os, sys, time
import scribe
trace, runs = scribe.open(sys.argv[1]), int(sys.argv[2])
times = []
for _ in range(runs):
    n = [0]
    def third(stop):
        n[0] += 1
        return n[0] == 3
    with trace.replay() as r:
        r.run_until(syscall="clock_nanosleep", predicate=third)
        nfd = len(r.fds(r.tasks()[0].tid))
        t0 = time.perf_counter()
        pid = r.go_live()
        times.append((time.perf_counter() - t0) * 1000)
    _, st = os.waitpid(pid, 0)
    if not os.WIFEXITED(st) or os.WEXITSTATUS(st) != 4:
        sys.exit("golive bench: the live program ended with status %#x, not 4" % st)
times.sort()
med = times[len(times) // 2]
print("go-live, %d fds: %.1f ms median, %.1f ms worst (%d runs); goal < 100 ms %s"
      % (nfd, med, times[-1], runs, "met" if med < 100 else "MISSED"))
PY
PYTHONPATH=$TOP/python /usr/bin/python3 "$OUT/time.py" "$OUT/tr" "$RUNS" </dev/null
