# Piped stdin: 100000 random bytes are read during recording; replay gets /dev/null
# on stdin, so the data must come from the trace.
. "$TOP/tests/lib.sh"
nondet bash -c 'head -c 100000 /dev/urandom | "$0"' "$B/stdin_sum"
head -c 100000 /dev/urandom >"$T/in"
rr_check --stdin "$T/in" --expect-out '^length 100000 ' -- "$B/stdin_sum"
