# SIGSEGV on a NULL write, handler siglongjmps out (three times): si_addr, si_code,
# faulting RIP replay as recorded.
. "$TOP/tests/lib.sh"
nondet "$B/segv_jmp"
rr_check --expect-out '^round 2: recovered signo 11 si_addr \(nil\) si_code 1 ' -- "$B/segv_jmp"
