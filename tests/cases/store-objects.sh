# The object store (src/core/store.h): a recording keeps each file it maps
# as a private copy in $SCRIBE_DIR/objects, named by its hash, never a link:
# no file of the trace or the store shares an inode with a file outside it
# (here: the setuid program su, mapped, and bash and libc, executed), objects are mode 0600 or 0700
# (executed) with no setuid/setgid bits, and the same content recorded
# twice is stored once (the second recording adds and rewrites nothing).
# A trace of format version 1 (files/) is refused with a clear error, and
# a stream file copied over another is caught by its stream number.
. "$TOP/tests/lib.sh"
store=$SCRIBE_DIR/objects
su=$(command -v su) || fail "no su"
[ -u "$su" ] || fail "$su is not setuid: the case proves nothing"
rr_check --status 0 --name su --expect-out "^$su: " -- "$B/store_mapfile" "$su"
rr_check --name sh -- bash -c 'date +%N; echo | cat'
list() { find "$T/su" "$T/sh" "$store" -type f | sort; }
[ "$(list | wc -l)" -gt 10 ] || fail "too few files in the traces and the store: $(list)"
# No inode shared with a file outside: every file has one name, and none
# is one of the system's.
multi=$(find "$T/su" "$T/sh" "$store" -type f -links +1)
[ -z "$multi" ] || fail "files with several names: $(ls -li $multi)"
for f in "$su" "$(readlink -f "$(command -v bash)")" $(ldd "$(command -v bash)" | grep -o '/[^ ]*libc.so[^ ]*'); do
	[ -z "$(find "$T/su" "$T/sh" "$store" -samefile "$f")" ] || fail "$f is linked into the trace or the store"
done
found=
for o in "$store"/[0-9a-f]*; do
	cmp -s "$o" "$su" && found=$o
	mode=$(stat -c %a "$o")
	case $mode in 600|700) ;; *) fail "object $o has mode $mode";; esac
	[ "$(stat -c %u "$o")" = "$(id -u)" ] || fail "object $o is not owned by the recording user"
done
[ -n "$found" ] || fail "no object holds the bytes of $su"
[ "$(stat -c %a "$found")" = 600 ] || fail "the mapped $su is stored with mode $(stat -c %a "$found")"
found=
for o in "$store"/[0-9a-f]*; do cmp -s "$o" "$(readlink -f "$(command -v bash)")" && found=$o; done
[ -n "$found" ] && [ "$(stat -c %a "$found")" = 700 ] || fail "the executed bash is not stored with mode 700: $found"
[ -z "$(find "$store" -perm /6000)" ] || fail "setuid or setgid objects: $(find "$store" -perm /6000)"
[ -z "$(find "$T/su" "$T/sh" -name files)" ] || fail "a trace has a files/ directory"
# Every object a trace names is in the store.
for h in $(cat "$T/su/objects.list" "$T/sh/objects.list"); do
	[ -f "$store/$h" ] || fail "object $h is listed but not in the store"
done
# The same programs again: nothing added, nothing rewritten.
before=$(ls -li --time-style=full-iso "$store" | grep -v '\.verified')
rr_check --name sh2 -- bash -c 'date +%N; echo | cat'
after=$(ls -li --time-style=full-iso "$store" | grep -v '\.verified')
[ "$before" = "$after" ] || fail "a second recording of the same program changed the store: $(diff <(echo "$before") <(echo "$after"))"
cmp -s <(sort "$T/sh/objects.list") <(sort "$T/sh2/objects.list") || fail "two recordings of one program list other objects"

# A trace of format version 1 (scribe 0.4.0): refused, saying why.
cp -r "$T/sh" "$T/v1"
"$B/trace-tool" set-version "$T/v1" 1 || fail "trace-tool set-version failed"
expect_status 125 'format version 1 .*files/' "$SCRIBE" replay "$T/v1"

# events.1 copied over events.0: caught by the stream number it carries.
n=$(ls "$T/sh"/events.* | wc -l)
[ "$n" -ge 2 ] || fail "the trace of a pipeline has $n streams"
cp -r "$T/sh" "$T/swapped"
cp "$T/swapped/events.1" "$T/swapped/events.0"
expect_status 125 'events.0 holds the event stream of memory domain 1, not 0' "$SCRIBE" replay "$T/swapped"
expect_status 125 'events.0 holds the event stream of memory domain 1, not 0' "$SCRIBE" info "$T/swapped"
