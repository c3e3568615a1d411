# go-live (issue 18): an fd go-live cannot rebuild yet (a pipe) is named in
# one "scribe:" line and nothing goes live (status 125, the program
# killed); with --force the program goes live with that fd closed (a
# write to it fails with EBADF) and exits with its own status.
. "$TOP/tests/lib.sh"
cat >"$T/pipe.py" <<'PY'
import os, sys, time
os.closerange(3, 1024)
r, w = os.pipe()
os.dup2(w, 9); os.close(w)
for i in range(20):
    print(i, flush=True)
    if i == 15:
        try:
            os.write(9, b"x"); print("pipe ok", flush=True)
        except OSError as e:
            print("pipe", e.errno, flush=True)
sys.exit(3)
PY
py=/usr/bin/python3
[ -x $py ] || skip_unsupported "no /usr/bin/python3"
"$SCRIBE" record -q -o "$T/tr" -- $py "$T/pipe.py" >"$T/rec.out" 2>&1
[ $? = 3 ] || fail "record exited $?: $(cat "$T/rec.out")"
grep -qx 'pipe ok' "$T/rec.out" || fail "recorded: $(cat "$T/rec.out")"
dump_trace "$T/tr"
n=$(grep -E '^ +[0-9]+ .*write\(1, "10' "$T/tr.dump" | awk '{print $1; exit}')
[ -n "$n" ] || fail "no traced write of line 10"
expect_status 125 '^scribe: cannot go live: fd 3 of process [0-9]+ \(pipe .*\), fd 9 of process [0-9]+ \(pipe .*\) cannot be rebuilt' \
	"$SCRIBE" replay --go-live-at "$n" "$T/tr"
[ "$(grep -c '^scribe:' <("$SCRIBE" replay --go-live-at "$n" "$T/tr" 2>&1 >/dev/null))" = 1 ] ||
	fail "more than one line refusing to go live"
"$SCRIBE" replay --go-live-at "$n" --force "$T/tr" >"$T/live.out" 2>"$T/live.err"
st=$?
[ $st = 3 ] || fail "--force: exited $st, expected the program's 3: $(cat "$T/live.err")"
grep -Eq '^scribe: going live with fd 3 of process [0-9]+ \(pipe .*\), fd 9 of process [0-9]+ \(pipe .*\) closed; the live processes do not have their recorded pids' "$T/live.err" ||
	fail "--force did not say what stays closed: $(cat "$T/live.err")"
grep -qx 'pipe 9' "$T/live.out" || fail "the forced-closed fd was not closed live (EBADF): $(cat "$T/live.out")"
[ "$(grep -c -E '^[0-9]+$' "$T/live.out")" = 20 ] || fail "live output: $(cat "$T/live.out")"
