# Under the AddressSanitizer/UBSan build of scribe, a copy of sigmap-order.sh and
# sigmap-mapwrite.sh: held, nested and re-sent signals; writes into a file mapped shared.
. "$TOP/tests/lib.sh"
"$B/sigmap_order" >"$T/native.out" 2>&1 || fail "native run failed: $(cat "$T/native.out")"
rr_check --expect-out '^done 30 rounds$' -- "$B/sigmap_order"
diff "$T/native.out" "$T/rr.rec.out" >"$T/diff" ||
	fail "the recorded run's handlers differ from the native run's: $(head -6 "$T/diff")"
mkdir -p "$T/d"
nondet "$B/sigmap_mapwrite" "$T/d"
rr_check --name mw --expect-out "^after the child: 'child [0-9]+' 'seek\+write'$" -- "$B/sigmap_mapwrite" "$T/d"
out=$T/mw.rec.out want "^after write: 'write [0-9]+'$" "^after pwrite: 'pwrite [0-9]+'$" \
	"^after writev: 'vec-pwrite [0-9]+' pwritev: 'vec-pwrite [0-9]+'$" "^after the early child: 'early [0-9]+'$"
