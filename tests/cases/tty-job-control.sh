# With a terminal, scribe hands the program's process group the
# terminal's foreground, as a shell does: Ctrl-C (the tty's \x03) goes to
# the program, which dies of SIGINT, and scribe dies of it too for the
# shell to see; Ctrl-Z (\x1a) stops the program, and scribe stops the
# same way, so the shell sees its job stopped and gets the terminal back;
# `fg` continues both and the program runs to its end.  Both recordings
# replay like the originals.  A python driver plays the shell on a pty:
# session leader, job in a process group of its own, tcsetpgrp, waitpid
# with WUNTRACED.
. "$TOP/tests/lib.sh"
tag=tty-job-control-$$-$RANDOM
[ -x "$B/ticker" ] || fail "$B/ticker is missing (make test-programs)"
drive() {
	timeout -k 5 60 python3 - "$SCRIBE" "$B/ticker" "$tag" "$@" <<'PY'
import os, pty, signal, sys, time, termios, fcntl, select
scribe, ticker, tag, mode, trace = sys.argv[1:6]
master, slave = pty.openpty()
out = open(trace + ".tty", "wb")
def pump(secs, until=None):
    end = time.time() + secs
    seen = b""
    while time.time() < end:
        r, _, _ = select.select([master], [], [], 0.05)
        if r:
            try:
                d = os.read(master, 4096)
            except OSError:
                return seen
            out.write(d); out.flush(); seen += d
            if until and until in seen:
                return seen
    return seen
status_r, status_w = os.pipe()
shell = os.fork()
if shell == 0:
    os.close(master); os.close(status_r)
    os.setsid()
    fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
    signal.signal(signal.SIGTTOU, signal.SIG_IGN)
    signal.signal(signal.SIGTSTP, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    job = os.fork()
    if job == 0:
        os.setpgid(0, 0)
        for s in (signal.SIGTTOU, signal.SIGTSTP, signal.SIGINT):
            signal.signal(s, signal.SIG_DFL)
        for fd in (0, 1, 2):
            os.dup2(slave, fd)
        os.execv(scribe, [scribe, "record", "-q", "-o", trace, "--", ticker, "30", tag])
    os.setpgid(job, job)
    os.tcsetpgrp(slave, job)
    while True:
        _, st = os.waitpid(job, os.WUNTRACED)
        if os.WIFSTOPPED(st):
            os.tcsetpgrp(slave, os.getpgrp())
            os.write(status_w, b"stopped %d\n" % os.WSTOPSIG(st))
            time.sleep(0.5)
            os.tcsetpgrp(slave, job)          # fg
            os.killpg(job, signal.SIGCONT)
            continue
        msg = b"exit %d\n" % os.WEXITSTATUS(st) if os.WIFEXITED(st) else b"signal %d\n" % os.WTERMSIG(st)
        os.write(status_w, msg)
        os._exit(0)
os.close(slave); os.close(status_w)
pump(20, b"tick 3 ")
os.write(master, b"\x03" if mode == "intr" else b"\x1a")
pump(1)
res = b""
end = time.time() + 30
while time.time() < end and not res.endswith(b"\n") or (res.startswith(b"stopped") and res.count(b"\n") < 2):
    pump(0.2)
    r, _, _ = select.select([status_r], [], [], 0.1)
    if r:
        res += os.read(status_r, 100)
    if time.time() >= end:
        break
pump(0.5)
os.waitpid(shell, 0)
print(res.decode().strip().replace("\n", ", "))
PY
}
r=$(drive intr "$T/intr") || fail "intr: the driver failed: $r"
[ "$r" = "signal 2" ] || fail "intr: the job ended with '$r', expected 'signal 2' (died of SIGINT)"
grep -q 'tick 3 ' "$T/intr.tty" || fail "intr: no ticks on the terminal"
"$SCRIBE" replay "$T/intr" >"$T/intr.rep" 2>"$T/intr.rep.err" </dev/null
ps=$?
[ "$ps" = 130 ] || fail "intr: replay exited $ps, expected 130: $(cat "$T/intr.rep.err")"
n=$(grep -c '^tick' "$T/intr.rep")
[ "$n" -ge 4 ] && [ "$n" -lt 30 ] || fail "intr: the replay printed $n ticks"

r=$(drive susp "$T/susp") || fail "susp: the driver failed: $r"
[ "$r" = "stopped 20, exit 0" ] || fail "susp: the job went '$r', expected 'stopped 20, exit 0'"
tr -d '\r' <"$T/susp.tty" | grep -q '^done$' || fail "susp: the program did not finish after fg"
"$SCRIBE" replay "$T/susp" >"$T/susp.rep" 2>"$T/susp.rep.err" </dev/null ||
	fail "susp: replay failed: $(cat "$T/susp.rep.err")"
[ "$(grep -c '^tick' "$T/susp.rep")" = 30 ] || fail "susp: the replay printed $(grep -c '^tick' "$T/susp.rep") ticks"
no_strays "$tag"
