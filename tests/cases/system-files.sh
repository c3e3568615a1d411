# Mapped files a package installed (under /usr, /lib...) are hard links in
# the trace, not copies, and replay checks their bytes: a library changed in
# place after the recording stops the replay with one clear error (status
# 125), while a --copy-files recording of the same program still replays.
# Replay runs the program with the system's interpreter when it is the
# recorded one, and otherwise makes the image that loads the trace's copy:
# a program whose interpreter is deleted after the recording still replays.
# Links need the trace on the library's filesystem: that trace is made in
# the library's directory; one made on another filesystem (/dev/shm) must
# copy the library instead (without a second filesystem the case checks
# the rest, then skips as unsupported).
. "$TOP/tests/lib.sh"
CC=${CC:-cc}
d=$(mktemp -d /usr/local/lib/scribe-test.XXXXXX) || fail "cannot create a directory in /usr/local/lib"
other=
trap 'rm -rf "$d" ${other:+"$other"}' EXIT
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

L=$d/t    # the linked trace, on the library's filesystem
mkdir "$L" || fail "cannot make $L"
prog=$T/prog
T=$L rr_check --expect-out '^42 ' -- "$prog"
! ls "$L/rr/files" | grep -q '\.x$' || fail "the recording wrote an image for replay"
n=$(find "$L/rr/files" -type f -samefile "$d/libst.so" | wc -l)
[ "$n" = 1 ] || fail "the library is not a link in the trace: $(ls -li "$L/rr/files")"
"$SCRIBE" info "$L/rr" | grep -q 'linked to system files' ||
	fail "scribe info does not count the linked files: $("$SCRIBE" info "$L/rr" | grep size)"
ls "$L/rr/files" | grep -q '\.x$' && fail "replay made an image though the system's interpreter is the recorded one"

cross_skip="no filesystem other than the library's at /dev/shm"
if [ -d /dev/shm ] && [ "$(stat -c %d /dev/shm)" != "$(stat -c %d "$d")" ]; then
	other=$(mktemp -d /dev/shm/scribe-test.XXXXXX) || fail "cannot create a directory in /dev/shm"
	T=$other rr_check --name cross --expect-out '^42 ' -- "$prog"
	n=$(find "$other/cross/files" -type f -samefile "$d/libst.so" | wc -l)
	[ "$n" = 0 ] || fail "a link across filesystems"
	cross_skip=
fi

"$SCRIBE" record -q --copy-files -o "$T/copy" -- "$T/prog" >"$T/copy.rec.out" 2>&1 ||
	fail "record --copy-files failed: $(cat "$T/copy.rec.out")"
[ -z "$(find "$T/copy/files" -type f -links +1)" ] || fail "--copy-files left links: $(ls -li "$T/copy/files")"

# Changed in place (same inode): the linked trace must refuse, clearly.
echo >>"$d/libst.so"
expect_status 125 'has changed since it was recorded' "$SCRIBE" replay -q "$L/rr"
"$SCRIBE" replay "$T/copy" >"$T/copy.rep.out" 2>&1 || fail "the --copy-files trace does not replay"
cmp -s "$T/copy.rec.out" "$T/copy.rep.out" || fail "the --copy-files replay printed other output"

# An interpreter of the program's own, gone by replay time.
cp /lib64/ld-linux-x86-64.so.2 "$T/my-ld.so" || fail "no /lib64/ld-linux-x86-64.so.2"
$CC -o "$T/prog2" "$T/main.c" -L"$d" -lst -Wl,-rpath,"$d" -Wl,--dynamic-linker="$T/my-ld.so" ||
	fail "cannot build the program with its own interpreter"
rr_check --name own --expect-out '^42 ' --between 'rm "$T/my-ld.so"' -- "$T/prog2"
[ "$(ls "$T/own/files" | grep -c '\.x$')" = 1 ] || fail "replay did not make the image that loads the trace's interpreter"
[ -z "$cross_skip" ] || skip_unsupported "$cross_skip"
