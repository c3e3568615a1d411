# Ctrl-Z and fg on `scribe record`: the terminal sends SIGTSTP to scribe
# and to the program (one process group), later SIGCONT to both.  scribe
# stops; the program, computing ("busy"), takes its SIGTSTP into a signal
# stop that waits for scribe, or, sleeping, is interrupted in its call.
# When scribe goes on, the SIGCONT has been sent already; the kernel
# forgets a stop signal dequeued before a SIGCONT (JOBCTL_STOP_DEQUEUED),
# so passing it on does not stop the program for good, and a stop held
# by scribe (record_jobctl.c) is dropped by scribe itself.  The recording
# must go on to its end and replay the same.  A small python driver plays
# the shell: scribe gets its own process group in the driver's session
# (the kernel drops SIGTSTP sent to an orphaned group, so setsid would
# not do).
. "$TOP/tests/lib.sh"
tag=tstp-scribe-$$-$RANDOM
for mode in busy sleep; do
	python3 - "$SCRIBE" "$T/$mode" "$B/ticker" "$tag" "$mode" >"$T/$mode.drv" 2>&1 <<'PY'
import os, signal, subprocess, sys, time
scribe, trace, ticker, tag, mode = sys.argv[1:]
out = open(trace + ".out", "w")
p = subprocess.Popen([scribe, "record", "-q", "-o", trace, "--", ticker, "40", tag, mode],
                     stdout=out, stderr=open(trace + ".err", "w"), stdin=subprocess.DEVNULL,
                     process_group=0)
time.sleep(0.5)
os.killpg(p.pid, signal.SIGTSTP)
_, st = os.waitpid(p.pid, os.WUNTRACED)
print("stopped" if os.WIFSTOPPED(st) else "not stopped")
time.sleep(0.3)
os.killpg(p.pid, signal.SIGCONT)
try:
    print("exit", p.wait(timeout=20))
except subprocess.TimeoutExpired:
    print("hung")
    os.killpg(p.pid, signal.SIGKILL)
PY
	grep -qx stopped "$T/$mode.drv" || fail "$mode: scribe did not stop on SIGTSTP: $(cat "$T/$mode.drv")"
	grep -qx 'exit 0' "$T/$mode.drv" ||
		fail "$mode: the recording did not end after SIGCONT: $(cat "$T/$mode.drv" "$T/$mode.err")"
	grep -q '^done$' "$T/$mode.out" || fail "$mode: the program did not finish: $(tail -2 "$T/$mode.out")"
	"$SCRIBE" replay "$T/$mode" >"$T/$mode.rep" 2>"$T/$mode.rep.err" </dev/null ||
		fail "$mode: replay failed: $(cat "$T/$mode.rep.err")"
	cmp -s "$T/$mode.out" "$T/$mode.rep" || fail "$mode: replay printed other lines"
done
no_strays "$tag"
