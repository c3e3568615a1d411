# Under the AddressSanitizer/UBSan build of scribe, a copy of python.sh:
# python3: random.random, time.time, os.getpid and os.urandom replay as recorded.
. "$TOP/tests/lib.sh"
py='import random,time,os; print(random.random(), time.time(), os.getpid(), os.urandom(8).hex())'
nondet /usr/bin/python3 -c "$py"
rr_check --expect-out '^0\.[0-9]+ [0-9.]+ [0-9]+ [0-9a-f]{16}$' -- /usr/bin/python3 -c "$py"
