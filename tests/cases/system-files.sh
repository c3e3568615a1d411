# Mapped files a package installed (under /usr, /lib...) are private
# copies in the object store, never links: a library changed in place
# after the recording does not change the trace, which still replays; a
# --copy-files recording is packed.  Replay runs the program with the
# system's interpreter when it is the recorded one, and otherwise makes the
# image that loads the trace's copy (in its scratch directory, not in the
# trace): a program whose interpreter is deleted after the recording still
# replays.
. "$TOP/tests/lib.sh"
CC=${CC:-cc}
d=$(mktemp -d /usr/local/lib/scribe-test.XXXXXX) || fail "cannot create a directory in /usr/local/lib"
trap 'rm -rf "$d"' EXIT
chmod 755 "$d"
echo 'int lib_value(void) { return 42; }' >"$T/lib.c"
$CC -shared -fPIC -o "$d/libst.so" "$T/lib.c" || fail "cannot build the library"
chmod 644 "$d/libst.so"
cat >"$T/main.c" <<'EOF'
#include <stdio.h>
#include <time.h>
int lib_value(void);
int main(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	printf("%d %ld\n", lib_value(), ts.tv_nsec);
	return 0;
}
EOF
$CC -o "$T/prog" "$T/main.c" -L"$d" -lst -Wl,-rpath,"$d" || fail "cannot build the program"
nondet "$T/prog"

export XDG_RUNTIME_DIR=$T/xdg     # replay's scratch, where this case sees it
mkdir -p "$XDG_RUNTIME_DIR"
rr_check --expect-out '^42 ' -- "$T/prog"
store=$SCRIBE_DIR/objects
[ -z "$(find "$T/rr" "$store" -samefile "$d/libst.so")" ] ||
	fail "the trace or the store shares the library's inode: $(ls -li "$store")"
[ -z "$(find "$T/rr" "$store" -type f -links +1)" ] || fail "links in the trace or the store: $(ls -li "$store")"
! find "$T/rr" "$store" | grep -q '\.x$' || fail "the recording or the replay wrote an image into the trace or the store"
[ -z "$(ls -A "$XDG_RUNTIME_DIR/scribe")" ] || fail "replay left scratch files: $(ls -A "$XDG_RUNTIME_DIR/scribe")"

"$SCRIBE" record -q --copy-files -o "$T/copy" -- "$T/prog" >"$T/copy.rec.out" 2>&1 ||
	fail "record --copy-files failed: $(cat "$T/copy.rec.out")"
"$SCRIBE" info "$T/copy" | grep -q '^objects: .*packed in the trace' || fail "a --copy-files trace is not packed: $("$SCRIBE" info "$T/copy")"
[ -z "$(find "$T/copy" -type f -links +1)" ] || fail "--copy-files left links: $(ls -li "$T/copy/objects")"

# Changed in place (same inode): the traces hold their own copies.
echo >>"$d/libst.so"
"$SCRIBE" replay "$T/rr" >"$T/rr.rep2.out" 2>&1 || fail "the trace does not replay after the library changed: $(cat "$T/rr.rep2.out")"
cmp -s "$T/rr.rec.out" "$T/rr.rep2.out" || fail "the replay after the library changed printed other output"
"$SCRIBE" replay "$T/copy" >"$T/copy.rep.out" 2>&1 || fail "the --copy-files trace does not replay"
cmp -s "$T/copy.rec.out" "$T/copy.rep.out" || fail "the --copy-files replay printed other output"

# An interpreter of the program's own, gone by replay time.
cp /lib64/ld-linux-x86-64.so.2 "$T/my-ld.so" || fail "no /lib64/ld-linux-x86-64.so.2"
$CC -o "$T/prog2" "$T/main.c" -L"$d" -lst -Wl,-rpath,"$d" -Wl,--dynamic-linker="$T/my-ld.so" ||
	fail "cannot build the program with its own interpreter"
rr_check --name own --expect-out '^42 ' --between 'rm "$T/my-ld.so"' -- "$T/prog2"
! find "$T/own" "$store" | grep -q '\.x$' || fail "replay wrote the image that loads the trace's interpreter into the trace or the store"
[ -z "$(ls -A "$XDG_RUNTIME_DIR/scribe")" ] || fail "replay left its image behind: $(ls -A "$XDG_RUNTIME_DIR/scribe")"
