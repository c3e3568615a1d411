# A file mapped MAP_SHARED shows, on replay as when recording, what write(2)
# and pwrite(2) put in it after it was mapped: the same process through
# its descriptor and through another, a child forked before the mapping
# (another memory domain: its write joins it to the mapper's group) and
# one forked after it, neither of which maps it (issue 16: replay answered
# those writes from the trace and the mapping kept the old bytes).
. "$TOP/tests/lib.sh"
mkdir -p "$T/d"
nondet "$B/sigmap_mapwrite" "$T/d"
rr_check --expect-out "^after the child: 'child [0-9]+' 'seek\+write'$" -- "$B/sigmap_mapwrite" "$T/d"
want "^after write: 'write [0-9]+'$" "^after pwrite: 'pwrite [0-9]+'$" \
	"^after writev: 'vec-pwrite [0-9]+' pwritev: 'vec-pwrite [0-9]+'$" "^after the early child: 'early [0-9]+'$"
