# SIGTERM, SIGINT or SIGHUP sent to `scribe record` ends the recording
# within 2 s in every state of a program that ignores them: computing,
# blocked in a call, stopped in a group-stop nobody ends, 17 threads
# blocked, exec'ing itself over and over.  scribe passes the signal on,
# waits a second, then kills the program and exits 125 with one line; the
# trace replays up to that point and ends with "the recording was
# interrupted".  (A run over 2 s is run again once: on this 2-CPU machine
# shared with others a whole process can wait that long for a CPU -- its
# signal handler ran 1.7 s after the kill once.  A hang fails both.)
. "$TOP/tests/lib.sh"
tag=record-interrupt-$$-$RANDOM
prog=$B/interrupt_me
[ -x "$prog" ] || fail "$prog is missing (make test-programs)"
# interrupt MODE SIG: one run; returns 2 if it only took too long.
interrupt() {
	local mode=$1 sig=$2 name=$1-$2 rec i start ms rs ps
	rm -rf "$T/$name" "$T/$name.out"   # a retry must not see the last "ready"
	"$SCRIBE" record -q -o "$T/$name" -- "$prog" "$mode" "$tag" \
		>"$T/$name.out" 2>"$T/$name.err" </dev/null &
	rec=$!
	for i in $(seq 300); do grep -q ready "$T/$name.out" && break; sleep 0.1; done
	grep -q ready "$T/$name.out" || { kill -KILL $rec; fail "$name: the program never started"; }
	sleep 0.3
	start=$(date +%s%N)
	kill -$sig $rec
	# Poll rather than wait: a recording that hangs must fail here.
	for i in $(seq 100); do kill -0 $rec 2>/dev/null || break; sleep 0.05; done
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	if kill -0 $rec 2>/dev/null; then
		kill -KILL $rec
		fail "$name: scribe record still runs 5 s after SIG$sig"
	fi
	wait $rec
	rs=$?
	[ "$rs" = 125 ] || fail "$name: scribe record exited $rs, expected 125: $(cat "$T/$name.err")"
	[ "$(grep -c '^scribe: ' "$T/$name.err")" = 1 ] && grep -q "^scribe: SIG$sig: " "$T/$name.err" ||
		fail "$name: stderr: $(cat "$T/$name.err")"
	timeout -k 1 60 "$SCRIBE" replay "$T/$name" >"$T/$name.rep" 2>"$T/$name.rep.err" </dev/null
	ps=$?
	[ "$ps" = 125 ] && grep -q '^scribe: trace ends early at event [0-9]*: the recording was interrupted$' \
		"$T/$name.rep.err" || fail "$name: replay exited $ps: $(cat "$T/$name.rep.err")"
	cmp -s "$T/$name.out" "$T/$name.rep" || fail "$name: replay printed other lines than the recording"
	echo "$name: ended in $ms ms"
	[ "$ms" -le 2000 ] || return 2
}

n=0
for mode in busy sleep stop threads exec; do
	for sig in TERM INT HUP; do
		interrupt $mode $sig || interrupt $mode $sig ||
			fail "$mode-$sig: the recording took over 2 s to end after SIG$sig, twice"
		n=$((n + 1))
	done
done
[ "$n" = 15 ] || fail "only $n runs"
no_strays "$tag"
