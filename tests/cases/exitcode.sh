# Exit codes 0, 1 and 42 replay as recorded.
. "$TOP/tests/lib.sh"
rr_check --status 0 --name e0 --expect-out '^exiting with 0$' -- "$B/exitcode" 0
rr_check --status 1 --name e1 --expect-out '^exiting with 1$' -- "$B/exitcode" 1
rr_check --status 42 --name e42 --expect-out '^exiting with 42$' -- "$B/exitcode" 42
