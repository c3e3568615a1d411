# libscribe exports the scribe_* API and nothing else, from the shared
# library and from the archive, and declares each export in scribe.h; its
# soname is versioned and it needs only zstd, xxhash and libc.
. "$TOP/tests/lib.sh"
so=$TOP/build/libscribe.so
a=$TOP/build/libscribe.a
[ -e "$so" ] && [ -e "$a" ] || fail "build/libscribe.so or .a is missing (make)"
nm -D --defined-only "$so" | awk '$2 ~ /^[TDBRVW]$/ { print $3 }' | sed 's/@.*//' |
	sort -u >"$T/so"
[ -s "$T/so" ] || fail "no exported symbols"
if grep -v '^scribe_' "$T/so"; then fail "libscribe.so exports symbols other than scribe_*"; fi
nm -g --defined-only "$a" | awk 'NF == 3 { print $3 }' | sort -u >"$T/a"
if grep -v '^scribe_' "$T/a"; then fail "libscribe.a has global symbols other than scribe_*"; fi
cmp -s "$T/so" "$T/a" || fail "the archive and the shared library export different symbols"
while read -r s; do
	grep -q "\b$s(" "$TOP/include/scribe.h" || fail "$s is exported but not in scribe.h"
done <"$T/so"
grep -q 'scribe_trace_next_v' "$T/so" || fail "scribe_trace_next_v is not exported"
readelf -d "$so" | grep -q 'SONAME.*\[libscribe\.so\.0\]' || fail "soname is not libscribe.so.0"
readelf -d "$so" | sed -n 's/.*NEEDED.*\[\(.*\)\]/\1/p' | sort >"$T/needed"
if grep -Ev '^(libzstd\.so\.1|libxxhash\.so\.0|libc\.so\.6|ld-linux-x86-64\.so\.2)$' "$T/needed"; then
	fail "libscribe.so needs more than zstd, xxhash and libc"
fi
# a program linking the archive statically sees the API too
cat >"$T/v.c" <<'C'
#include <stdio.h>
#include "scribe.h"
int main(void) { printf("%d %s\n", scribe_api_version(), scribe_version()); return 0; }
C
cc -std=c11 -I"$TOP/include" -o "$T/v" "$T/v.c" "$a" -lzstd -lxxhash -pthread ||
	fail "cannot link a program with libscribe.a"
"$T/v" | grep -Eqx '[1-9][0-9]* [0-9]+\.[0-9]+\.[0-9]+' || fail "static version: $("$T/v")"
