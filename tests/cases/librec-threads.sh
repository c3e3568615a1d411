# libscribe's recording sessions, three sessions at once in one process
# (tests/tools/librec-client.c, linked to build/libscribe.so with only
# include/scribe.h): a recording of libtrace_rand (random bytes, so every
# run prints something else) on one thread while two other threads
# replay an older trace of it, each with its own output callback.  Each
# replay must end with status 0 and hand its callback exactly what the
# older recording printed; the recording must end with status 0, and a
# replay of it afterwards must print exactly what it printed.
. "$TOP/tests/lib.sh"
cl=$B/librec-client
[ -x "$cl" ] || fail "$cl is missing (make test-programs)"
echo "line-of-the-file" >"$T/in.txt"
nondet "$B/libtrace_rand" "$T/in.txt"
rr_check --expect-out '^random [0-9a-f]{16}$' -- "$B/libtrace_rand" "$T/in.txt"

timeout -k 5 120 "$cl" "$T/new" "$T/rr" "$T/rr.rec.out" "$B/libtrace_rand" "$T/in.txt" \
	>"$T/cl.out" 2>"$T/cl.err"; st=$?
cat "$T/cl.out"
[ "$st" = 0 ] || fail "librec-client exited $st: $(grep -v '^ok' "$T/cl.out") $(cat "$T/cl.err")"
[ "$(grep -c '^ok ' "$T/cl.out")" = 8 ] || fail "not every check ran: $(cat "$T/cl.out")"
grep -Eq '^random [0-9a-f]{16}$' "$T/new.out" || fail "the recording printed: $(cat "$T/new.out")"
! cmp -s "$T/new.out" "$T/rr.rec.out" || fail "two recordings printed the same: the test proves nothing"
# the new trace is a complete one that the CLI replays too
"$SCRIBE" replay "$T/new" </dev/null >"$T/cli.out" 2>"$T/cli.err" ||
	fail "scribe replay of the new trace: $(cat "$T/cli.err")"
cmp -s "$T/cli.out" "$T/new.out" || fail "scribe replay printed: $(cat "$T/cli.out")"
no_strays "$B/libtrace_rand"
