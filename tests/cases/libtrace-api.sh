# libscribe's C API from a separate program (tests/tools/libtrace-cat.c,
# linked to build/libscribe.so with only include/scribe.h): it reads the
# trace of a nondeterministic program, finds the getrandom and the write
# that printed its bytes, and agrees with scribe dump on the events.
. "$TOP/tests/lib.sh"
cat=$B/libtrace-cat
[ -x "$cat" ] || fail "$cat is missing (make test-programs)"
echo "line-of-the-file" >"$T/in.txt"
nondet "$B/libtrace_rand" "$T/in.txt"
rr_check --expect-out '^random [0-9a-f]{16}$' -- "$B/libtrace_rand" "$T/in.txt"
tr=$T/rr
hex=$(sed -n 's/^random //p' "$tr.rec.out")
"$cat" info "$tr" >"$T/info" || fail "libtrace-cat info failed"
grep -qx "api=2" "$T/info" && grep -qx 'complete=1' "$T/info" ||
	fail "info: $(cat "$T/info")"
"$cat" list "$tr" >"$T/all" || fail "libtrace-cat list failed"
# global indexes are 0, 1, 2... in order
awk '$1 != NR - 1 { exit 1 }' "$T/all" || fail "global indexes are not 0..N-1"
grep -Eq " syscall getrandom 8 $hex\$" "$T/all" || fail "no getrandom returning $hex"
line=$(printf 'random %s\n' "$hex" | od -An -tx1 | tr -d ' \n')
grep -Eq " syscall write 24 $line\$" "$T/all" || fail "no write of the random line"
# kind and tid filters
"$cat" list "$tr" exit >"$T/exits"
[ "$(wc -l <"$T/exits")" = 1 ] || fail "exit filter: $(cat "$T/exits")"
tid=$(awk '{ print $4; exit }' "$T/all")
[ "$("$cat" list "$tr" all "$tid" | wc -l)" = "$(wc -l <"$T/all")" ] || fail "tid filter"
[ "$("$cat" list "$tr" all 1 | wc -l)" = 0 ] || fail "tid filter lets others through"
# the same events as dump: each dump line is an event that is not a buffered call
"$SCRIBE" dump "$tr" >"$T/dump" || fail "dump failed"
want=$(grep -c '^ *[0-9]* \[' "$T/dump")
have=$(awk '$2 ~ /\.0$/' "$T/all" | wc -l)
[ "$want" = "$have" ] || fail "dump has $want events, the API $have"
# errors: one message, status 125, no crash
err=$("$cat" list "$T/nothing" 2>&1); st=$?
[ "$st" = 125 ] && echo "$err" | grep -q 'libtrace-cat: .*no header file' ||
	fail "missing trace: status $st, '$err'"
