# go-live (issue 18): a Python program prints a counter, time.time() and
# random.random() and writes each line to a log file; replay goes live at
# the 50th line's write.  Then: the lines before it are the recording's,
# the ones after carry new (live) times, the log file goes on at the
# recorded offset (its first 50 lines are the recording's, the next ones
# the live run's), the exit status is the program's, and the live process
# is untraced (TracerPid 0, no seccomp filter: the program reads
# /proc/self/status, and the test reads /proc/PID/status from outside).
. "$TOP/tests/lib.sh"
cat >"$T/counter.py" <<'PY'
import os, random, sys, time
os.closerange(3, 1024)          # only the fds this program makes
log = open(sys.argv[1], "w")
for i in range(100):
    line = "%d %.6f %.6f" % (i, time.time(), random.random())
    print(line, flush=True)
    log.write(line + "\n"); log.flush()
    if i == 70:
        st = dict(l.split(":", 1) for l in open("/proc/self/status"))
        print("pid %d tracer %s seccomp %s" % (os.getpid(), st["TracerPid"].strip(),
              st["Seccomp"].strip()), flush=True)
    if i == 75:
        open(sys.argv[1] + ".pid", "w").write(str(os.getpid()))
        time.sleep(0.5)         # the test looks at /proc/PID/status now
    time.sleep(0.01)
sys.exit(7)
PY
py=/usr/bin/python3
[ -x $py ] || skip_unsupported "no /usr/bin/python3"
"$SCRIBE" record -q -o "$T/tr" -- $py "$T/counter.py" "$T/log" >"$T/rec.out" 2>"$T/rec.err"
[ $? = 7 ] || fail "record exited $?, expected the program's 7: $(cat "$T/rec.err")"
cp "$T/log" "$T/log.rec"
dump_trace "$T/tr"
n=$(grep -E '^ +[0-9]+ .*write\(1, "50 ' "$T/tr.dump" | awk '{print $1; exit}')
[ -n "$n" ] || fail "no traced write of line 50 in the trace: $(grep -c . "$T/tr.dump") lines"
rm -f "$T/log.pid"
"$SCRIBE" replay --go-live-at "$n" "$T/tr" >"$T/live.out" 2>"$T/live.err" &
scribe_pid=$!
trap 'kill -9 $scribe_pid 2>/dev/null' EXIT
for _ in $(seq 100); do [ -s "$T/log.pid" ] && break; sleep 0.1; done
[ -s "$T/log.pid" ] || fail "the live program never reached line 75: $(cat "$T/live.err")"
pid=$(cat "$T/log.pid")
outside=$(grep -E '^(TracerPid|Seccomp):' /proc/$pid/status | tr -s '\t ' ' ')
wait $scribe_pid
st=$?
trap - EXIT
[ $st = 7 ] || fail "scribe replay --go-live-at exited $st, expected the program's 7: $(cat "$T/live.err")"
# one line, that pids changed (no pid namespace yet), and nothing else
[ "$(cat "$T/live.err")" = "scribe: the live processes do not have their recorded pids (no pid namespace yet)" ] ||
	fail "unexpected messages going live: $(cat "$T/live.err")"
grep -qx 'TracerPid: 0' <<<"$outside" || fail "the live process is traced: $outside"
grep -qx 'Seccomp: 0' <<<"$outside" || fail "the live process has a seccomp filter: $outside"
grep -Eq '^pid [0-9]+ tracer 0 seccomp 0$' "$T/live.out" ||
	fail "the program did not see itself untraced: $(grep '^pid' "$T/live.out")"
# lines 0-50 (50's write is the call made live) are the recording's
cmp -s <(head -51 "$T/rec.out") <(head -51 "$T/live.out") ||
	fail "the replayed lines differ: $(diff <(head -51 "$T/rec.out") <(head -51 "$T/live.out") | head -5)"
# the next ones are live: new times, a continuing counter
for i in 51 60 99; do
	r=$(grep "^$i " "$T/rec.out") l=$(grep "^$i " "$T/live.out")
	[ -n "$l" ] || fail "no live line $i"
	[ "${r#* }" != "${l#* }" ] || fail "line $i is the recording's, not live: $l"
	lt=$(cut -d' ' -f2 <<<"$l") rt=$(cut -d' ' -f2 <<<"$r")
	awk -v a="$lt" -v b="$rt" 'BEGIN { exit !(a > b) }' || fail "line $i's time $lt is not after the recording's $rt"
done
# the log: 100 lines, 0-49 the recording's, 50-99 the live run's
[ "$(grep -c . "$T/log")" = 100 ] || fail "the log has $(grep -c . "$T/log") lines, expected 100 (wrong offset?)"
cmp -s <(head -50 "$T/log.rec") <(head -50 "$T/log") || fail "the log's first 50 lines changed"
cmp -s <(tail -n 50 "$T/log") <(grep -E '^[0-9]+ ' "$T/live.out" | sed -n '51,100p') ||
	fail "the log's live lines are not the live output: $(diff <(tail -n 50 "$T/log") <(grep -E '^[0-9]+ ' "$T/live.out" | sed -n '51,100p') | head -4)"
echo "went live at event $n"
