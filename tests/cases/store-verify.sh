# Replay checks every object against its hash before its first use: a
# flipped byte in an object (the program's own library, or the preload
# library's copy) or a missing one stops it with one line naming the
# object and the trace, status 125.  The check is cached by the file's
# identity in the replaying user's store: a second replay hashes no object
# again.  (It may hash the system's ld.so again, to learn whether it is the
# recorded one: on a machine where older scribes hard-link it into their
# traces, its ctime moves.)
. "$TOP/tests/lib.sh"
store=$SCRIBE_DIR/objects
rr_check --name t -- bash -c 'date +%N; echo | cat'
cache=$store/.verified
[ -s "$cache" ] || fail "the first replay left no verification cache"
n1=$(stat -c %s "$cache")
"$SCRIBE" replay -q "$T/t" || fail "second replay failed"
# The entries it added (64 bytes: hash, dev, ino, ...): none of an object.
again=$(od -An -tu8 -v -w64 -j"$n1" "$cache" | awk '{ print $3 }')
for o in "$store"/[0-9a-f]*; do
	! grep -qx "$(stat -c %i "$o")" <<<"$again" || fail "the second replay hashed $o again"
done

# flip OBJECT OFFSET: invert one byte in place (the inode stays).
flip() {
	local b
	b=$(od -An -tu1 -j"$2" -N1 "$1" | tr -d ' ')
	printf "$(printf '\\%03o' $((255 - b)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
libc=$(ldd "$(command -v bash)" | grep -o '/[^ ]*libc.so[^ ]*')
for f in "$libc" "$TOP/build/libscribe-preload.so"; do
	[ -f "$f" ] || continue
	h=
	for o in "$store"/[0-9a-f]*; do cmp -s "$o" "$f" && h=$(basename "$o"); done
	if [ -z "$h" ]; then
		[ "$f" = "$libc" ] && fail "libc is not in the store"
		continue       # no preload library in a --no-buffer trace
	fi
	cp "$store/$h" "$T/saved"
	flip "$store/$h" 4096
	expect_status 125 "object $h of the trace $T/t is damaged: $store/$h" "$SCRIBE" replay "$T/t"
	cat "$T/saved" >"$store/$h"
	"$SCRIBE" replay -q "$T/t" || fail "replay failed after $f's object was put back"
	mv "$store/$h" "$T/saved"
	expect_status 125 "object $h of the trace $T/t is missing: $store/$h" "$SCRIBE" replay "$T/t"
	mv "$T/saved" "$store/$h"
done
"$SCRIBE" replay -q "$T/t" || fail "the trace does not replay at the end"

# A damaged object a MAP_SHARED mapping copies into replay's scratch
# directory (4096 zero bytes: the file as the program mapped it): the
# same line, and the scratch directory is removed.
export XDG_RUNTIME_DIR=$T/xdg
mkdir -p "$XDG_RUNTIME_DIR"
rr_check --name sh --expect-out '^sum ' -- "$B/store_shared_spin" "$T/shared.bin" 1
head -c 4096 /dev/zero >"$T/zero"
h=
for o in "$store"/[0-9a-f]*; do cmp -s "$o" "$T/zero" && h=$(basename "$o"); done
[ -n "$h" ] || fail "no object holds the shared file as it was mapped"
flip "$store/$h" 100
expect_status 125 "object $h of the trace $T/sh is damaged" timeout -k 5 60 "$SCRIBE" replay "$T/sh"
[ -z "$(ls -A "$XDG_RUNTIME_DIR/scribe")" ] || fail "the failed replay left its scratch directory: $(ls -A "$XDG_RUNTIME_DIR/scribe")"
