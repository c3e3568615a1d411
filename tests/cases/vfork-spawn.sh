# /bin/date +%N started five times by posix_spawn (clone with
# CLONE_VM|CLONE_VFORK), then five times by a raw vfork()+execve, its output
# read through a pipe each time.
. "$TOP/tests/lib.sh"
for mode in spawn vfork; do
	nondet "$B/vfork_spawn" $mode
	rr_check --name $mode -- "$B/vfork_spawn" $mode
	[ "$(grep -Ec '^[a-z_]+ [0-4]: date printed [0-9]{9}$' "$T/$mode.rec.out")" = 5 ] || fail "$(cat "$T/$mode.rec.out")"
	[ "$(grep -Ec '^[a-z_]+ [0-4]: waitpid matched 1, exited with 0$' "$T/$mode.rec.out")" = 5 ] || fail "$(cat "$T/$mode.rec.out")"
done
grep -q '^posix_spawn 4: ' "$T/spawn.rec.out" || fail "$(cat "$T/spawn.rec.out")"
grep -q '^vfork 4: ' "$T/vfork.rec.out" || fail "$(cat "$T/vfork.rec.out")"
no_strays "$B/vfork_spawn"
