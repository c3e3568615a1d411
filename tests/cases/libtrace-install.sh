# make install (DESTDIR, PREFIX) installs libscribe, its header, scribe.pc
# and the python module, usable as installed: a C program built with
# pkg-config's flags reads a trace, and the installed module imports and
# reads it under every python3 this machine has.
. "$TOP/tests/lib.sh"
root=$T/root
make -s -C "$TOP" install DESTDIR="$root" PREFIX=/usr/local \
	PYTHON_DIR=/usr/local/lib/python3/dist-packages >"$T/make.out" 2>&1 ||
	{ cat "$T/make.out" >&2; fail "make install failed"; }
p=$root/usr/local
for f in lib/libscribe.so.0 lib/libscribe.so lib/libscribe.a include/scribe.h \
	lib/pkgconfig/scribe.pc lib/python3/dist-packages/scribe/__init__.py bin/scribe; do
	[ -e "$p/$f" ] || fail "make install did not install $f"
done
rr_check -- "$B/libtrace_rand" /etc/hostname
export PKG_CONFIG_PATH=$p/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$root
grep -qx 'Version: [0-9.]*' "$p/lib/pkgconfig/scribe.pc" || fail "scribe.pc has no version"
flags=$(pkg-config --cflags --libs scribe) || fail "pkg-config does not know scribe"
cat >"$T/n.c" <<'C'
#include <stdio.h>
#include <scribe.h>
int main(int argc, char **argv)
{
	struct scribe_event ev[8];
	scribe_trace *tr = NULL;
	long total = 0;
	int n;
	if (argc != 2 || scribe_trace_open(argv[1], NULL, &tr) < 0)
		return fprintf(stderr, "%s\n", scribe_trace_error(tr)), 125;
	while ((n = scribe_trace_next(tr, ev, 8)) > 0)
		total += n;
	printf("%ld\n", total);
	scribe_trace_close(tr);
	return n < 0 ? 125 : 0;
}
C
# shellcheck disable=SC2086
cc -std=c11 -Wall -Werror -o "$T/n" "$T/n.c" $flags || fail "cannot build with pkg-config's flags"
n=$(LD_LIBRARY_PATH=$p/lib "$T/n" "$T/rr") || fail "the installed library cannot read the trace"
[ "$n" -gt 10 ] || fail "the installed library read $n events"
pys=$( { command -v python3; ls /usr/bin/python3 /root/.pyenv/versions/3.*/bin/python3 2>/dev/null; } |
	sort -u)
[ -n "$pys" ] || fail "no python3"
for py in $pys; do
	out=$(SCRIBE_LIB=$p/lib/libscribe.so.0 PYTHONPATH=$p/lib/python3/dist-packages "$py" -c '
import sys, scribe
t = scribe.open(sys.argv[1])
assert scribe.__file__.startswith(sys.argv[2]), scribe.__file__
print(sum(1 for e in t.events()))' "$T/rr" "$p") || fail "$py: the installed module does not work"
	[ "$out" = "$n" ] || fail "$py read $out events, the C program $n"
done
