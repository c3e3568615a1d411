# exit(3) from a thread while the others are blocked in read() on a pipe and in
# pthread_cond_wait, and one computes: the whole process ends with status 3
# right after the exiting thread printed a monotonic time.
. "$TOP/tests/lib.sh"
nondet --status 3 "$B/exit_group_thread"
rr_check --status 3 --expect-out '^exiting thread: monotonic [0-9]+\.[0-9]{9}, computer started 1$' -- "$B/exit_group_thread"
[ "$(wc -l <"$T/rr.rec.out")" = 1 ] || fail "more than the exiting thread printed: $(cat "$T/rr.rec.out")"
no_strays "$B/exit_group_thread"
