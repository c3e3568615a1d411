# Under the AddressSanitizer/UBSan build of scribe, a copy of alarm-restart.sh:
# A read on an empty pipe interrupted by alarm(1) with SA_RESTART: the handler writes
# a byte into the pipe, the restarted read returns it.
. "$TOP/tests/lib.sh"
nondet "$B/alarm_read" restart
rr_check --expect-out "^data 'R'$" -- "$B/alarm_read" restart
