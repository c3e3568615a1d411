# Command-line misuse fails with exit 125, one "scribe: " line saying what
# is wrong and the usage on stderr (nothing on stdout); --help of scribe
# and of every command exits 0 with the usage on stdout (nothing on
# stderr); --version exits 0.  Nothing is recorded or created on the way.
# Every check runs and the failures are listed together.
. "$TOP/tests/lib.sh"
sc() { timeout -k 5 60 "$SCRIBE" "$@" </dev/null; }
bad=0
check() { ( "$@" ) || bad=$((bad + 1)); }

# misuse PATTERN ARGS...: `scribe ARGS` exits 125, stdout empty, stderr
# has exactly one "scribe: " line, matching PATTERN, and shows the usage
# (or says where to find it).  Failures quote stderr's first line only.
misuse() {
	local pat=$1; shift
	local st first
	sc "$@" >"$T/mis.out" 2>"$T/mis.err"; st=$?
	first="$(head -1 "$T/mis.err") [$(wc -l <"$T/mis.err") lines]"
	[ "$st" = 125 ] || fail "'scribe $*' exited $st, expected 125 (stderr: $first)"
	! grep -Eq 'Segmentation|Aborted|AddressSanitizer|runtime error' "$T/mis.err" || fail "'scribe $*' crashed: $(cat "$T/mis.err")"
	[ ! -s "$T/mis.out" ] || fail "'scribe $*' printed on stdout: $(head -1 "$T/mis.out")"
	[ "$(grep -c '^scribe: ' "$T/mis.err")" = 1 ] || fail "'scribe $*': not exactly one 'scribe:' line (stderr: $first)"
	grep -Eq "$pat" "$T/mis.err" || fail "'scribe $*': stderr does not match /$pat/ (stderr: $first)"
	grep -q '^Usage: scribe' "$T/mis.err" || grep -q "scribe .*--help" "$T/mis.err" ||
		fail "'scribe $*' shows neither the usage nor where to find it (stderr: $first)"
}

check misuse '^scribe: .*(command|usage|Usage)' 
check misuse "^scribe: unknown command 'bogus'" bogus
check misuse "^scribe: unknown command '--bogus'" --bogus
check misuse '^scribe: record: no program given' record
check misuse '^scribe: record: no program given' record -q --
check misuse '^scribe: .*(too many|argument|usage|Usage)' replay a b
check misuse '^scribe: .*(too many|argument|usage|Usage)' dump a b
check misuse '^scribe: .*(too many|argument|usage|Usage)' info a b
check misuse '^scribe: .*(too many|argument|usage|Usage)' ls a
check misuse "^scribe: .*(invalid|unrecognized|unknown) option.*Z" record -Z /bin/true
check misuse "^scribe: .*(requires|needs|missing).*argument|^scribe: .*-o" record -o
check misuse "^scribe: .*(invalid|unrecognized|unknown) option.*bogus" replay --bogus
check misuse "^scribe: .*(invalid|unrecognized|unknown) option.*x" dump -x
check misuse "^scribe: .*(invalid|unrecognized|unknown) option.*bogus" info --bogus
check misuse "^scribe: .*(invalid|unrecognized|unknown) option.*bogus" ls --bogus
check misuse '^scribe: .*(too many|argument|usage|Usage)' pack a b
check misuse '^scribe: .*(too many|argument|usage|Usage)' gc a
check misuse "^scribe: .*(invalid|unrecognized|unknown) option.*bogus" pack --bogus
check misuse "^scribe: .*(invalid|unrecognized|unknown) option.*bogus" gc --bogus
check misuse '^scribe: .*(one NAME|argument|usage|Usage)' bookmark a b
check misuse "^scribe: .*(invalid|unrecognized|unknown) option.*bogus" bookmark --bogus
check misuse "^scribe: .*(requires|needs|missing).*argument|^scribe: .*-t" bookmark -t

# help CMD...: exit 0, usage on stdout, nothing on stderr.
help() {
	local out err st want=$1; shift
	out=$(sc "$@" 2>"$T/help.err"); st=$?
	err=$(cat "$T/help.err")
	[ "$st" = 0 ] || fail "'scribe $*' exited $st (stderr: $err)"
	[ -z "$err" ] || fail "'scribe $*' printed on stderr: $err"
	[ -n "$out" ] || fail "'scribe $*' printed nothing"
	# (not `echo | head -1 | grep`: under lib.sh's pipefail, head's early
	# exit can kill echo with SIGPIPE and fail the pipeline)
	local first=${out%%$'\n'*}
	grep -q "^Usage: $want" <<<"$first" || fail "'scribe $*' does not start with 'Usage: $want': $first"
	[ "$(echo "$out" | wc -l)" -ge 3 ] || fail "'scribe $*' printed only: $out"
}
check help 'scribe COMMAND' --help
check help 'scribe COMMAND' -h
check help 'scribe COMMAND' help
for c in record replay dump info ls pack gc bookmark debug; do
	check help "scribe $c" $c --help
	check help "scribe $c" $c -h
done

ver() {
	local out st
	out=$(sc --version 2>"$T/ver.err"); st=$?
	[ "$st" = 0 ] || fail "'scribe --version' exited $st"
	echo "$out" | grep -Eqx 'scribe [0-9]+\.[0-9]+(\.[0-9]+)?.*' || fail "'scribe --version' printed '$out'"
	[ ! -s "$T/ver.err" ] || fail "'scribe --version' printed on stderr: $(cat "$T/ver.err")"
	local mk
	mk=$(sed -n 's/^VERSION *:= *//p' "$TOP/Makefile")
	[ -z "$mk" ] || [ "$out" = "scribe $mk" ] || fail "'scribe --version' says '$out', the Makefile says $mk"
}
check ver

[ ! -e "$SCRIBE_DIR" ] || fail "usage errors or --help created \$SCRIBE_DIR: $(ls -A "$SCRIBE_DIR")"
[ "$bad" = 0 ] || fail "$bad usage check(s) failed (listed above)"
