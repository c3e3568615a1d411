# execveat(AT_FDCWD, "/bin/echo", ...) in one child, fexecve() of an fd opened
# on /usr/bin/env in another, with a random variable as its only environment.
. "$TOP/tests/lib.sh"
nondet "$B/execveat"
rr_check --expect-out '^SCRIBE_RANDOM=[0-9a-f]{16}$' -- "$B/execveat"
printf '%s\n' 'echo run by execveat' 'execveat: waitpid matched 1, exited with 0' \
	"$(sed -n 3p "$T/rr.rec.out")" 'fexecve: waitpid matched 1, exited with 0' >"$T/want"
cmp -s "$T/want" "$T/rr.rec.out" || fail "$(cat "$T/rr.rec.out")"
no_strays "$B/execveat"
