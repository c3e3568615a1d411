# A read on an empty pipe interrupted by alarm(1) without SA_RESTART: EINTR.
. "$TOP/tests/lib.sh"
nondet "$B/alarm_read"
rr_check --expect-out '^mode eintr read -1 errno 4 ' -- "$B/alarm_read"
