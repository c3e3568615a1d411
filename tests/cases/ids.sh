# Process ids: getpid, getppid, gettid, getuid, geteuid, pgrp, sid replay as recorded.
. "$TOP/tests/lib.sh"
nondet "$B/ids"
rr_check --expect-out '^pid [0-9]+$' -- "$B/ids"
