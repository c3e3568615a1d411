#!/bin/bash
# run.sh -- run the test suite: every tests/cases/*.sh, each in its own
# scratch directory with a timeout; cases named *.asan.sh run against the
# AddressSanitizer build.  Ends with "N passed, N failed", followed by
# ", N skipped" when cases skipped; exits non-zero on any failure.
#
# A case that exits 77 skipped (tests/lib.sh: skip, skip_unsupported): it
# is reported as "SKIP NAME: REASON", its reason taken from its last
# "SKIP: " line.  With CI=true, a skip whose reason does not start with
# "unsupported: " (something this machine could run) is a failure.
#
#   tests/run.sh [PATTERN...]          run the cases whose name contains PATTERN
#   tests/run.sh --apps [PATTERN...]   the application cases: all of them
#                                      (tests/cases/app-*.sh and tests/apps/)
#   --no-buffer                        record with SCRIBE_NO_BUFFER=1 (every
#                                      call traced, no preload library)
#   --python                           also the python module's pytest suite
#                                      (python/tests), counted in the summary
#   --both                             each case twice: with the syscall
#                                      buffer, then without ("[no-buffer]")
cd "$(dirname "$0")/.." || exit 1
files=(tests/cases/*.sh)
modes=(buf)
python=0
while [ $# -gt 0 ]; do
	case $1 in
	--apps) files=(tests/cases/app-*.sh tests/apps/*.sh); shift;;
	--no-buffer) modes=(nobuf); shift;;
	--both) modes=(buf nobuf); shift;;
	--python) python=1; shift;;
	*) break;;
	esac
done
TOP=$(pwd)
export TOP
TIMEOUT=${TEST_TIMEOUT:-180}
export TIMEOUT
JOBS=${TEST_JOBS:-2}
mkdir -p build/tests/tmp
cases=()
for f in "${files[@]}"; do
	name=$(basename "$f" .sh)
	if [ $# -gt 0 ]; then
		keep=0
		for p in "$@"; do case $name in *$p*) keep=1;; esac; done
		[ $keep = 1 ] || continue
	fi
	for m in "${modes[@]}"; do cases+=("$m:$f"); done
done

run_case() {
	local mode=${1%%:*} f=${1#*:} name scribe T start rc nobuf=
	name=$(basename "$f" .sh)
	scribe=$TOP/build/scribe
	case $name in *.asan) scribe=$TOP/build/asan/scribe;; esac
	T=$(mktemp -d "$TOP/build/tests/tmp/$name.$mode.XXXX")
	if [ "$mode" = nobuf ]; then
		nobuf=1
		name="$name [no-buffer]"
	fi
	start=$(date +%s%N)
	ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 T=$T SCRIBE=$scribe SCRIBE_NO_BUFFER=$nobuf \
		timeout -k 5 "$TIMEOUT" bash "$f" >"$T/log" 2>&1
	rc=$?
	local ms=$(( ($(date +%s%N) - start) / 1000000 ))
	local secs=$((ms / 1000)).$(( (ms % 1000) / 100 ))
	# One write per case so parallel cases do not interleave.
	if [ $rc = 77 ]; then
		local why
		why=$(grep '^SKIP: ' "$T/log" | tail -1 | sed 's/^SKIP: //')
		if [ -z "$why" ]; then
			rc=1
			echo "exited 77 (skip) without a 'SKIP: reason' line" >>"$T/log"
		elif [ "${CI:-}" = true ] && [ "${why#unsupported: }" = "$why" ]; then
			rc=1
			echo "skipped ($why), but with CI=true every case this machine supports must run" >>"$T/log"
		else
			echo "SKIP $name: $why"
			rm -rf "$T"
			return
		fi
	fi
	if [ $rc = 0 ]; then
		# Application cases report their numbers on lines "app ...".
		local out="PASS $name (${secs}s)" extra
		extra=$(grep '^app ' "$T/log" | sed 's/^/    /')
		[ -z "$extra" ] || out="$out
$extra"
		echo "$out"
		rm -rf "$T"
	else
		if [ $rc = 124 ]; then
			echo "timed out after ${TIMEOUT}s" >>"$T/log"
			# timeout ends when bash dies of its SIGTERM, before its
			# SIGKILL: a hung scribe would outlive the case (and its
			# tracees die with it, PTRACE_O_EXITKILL).
			pkill -KILL -f -- "-o $T/" 2>/dev/null
		fi
		printf 'FAIL %s (%ss)\n%s\n    (scratch kept in %s)\n' "$name" "$secs" \
			"$(sed 's/^/    /' "$T/log" | tail -25)" "$T"
	fi
}
export -f run_case

# Cases ending in .serial.sh measure timing or load the machine: alone.
par=() ser=()
for c in "${cases[@]}"; do
	case $c in *.serial.sh) ser+=("$c");; *) par+=("$c");; esac
done
results=$(mktemp)
{
	printf '%s\n' "${par[@]}" | xargs -r -P "$JOBS" -I{} bash -c 'run_case "$@"' _ {}
	for f in "${ser[@]}"; do run_case "$f"; done
} | tee "$results"
pass=$(grep -c '^PASS ' "$results")
failn=$(grep -c '^FAIL ' "$results")
skipn=$(grep -c '^SKIP ' "$results")
rm -f "$results"
if [ "$python" = 1 ]; then
	# The python module's tests (make test-python): pytest's own counts
	# join the summary.  A python3 without pytest is a failure, not a
	# skip: scripts/deps.sh installs it.
	py=$(for p in python3 /usr/bin/python3; do
		"$p" -c 'import pytest' 2>/dev/null && { echo "$p"; break; }; done)
	if [ -z "$py" ]; then
		echo "FAIL python/tests: no python3 here has pytest (scripts/deps.sh installs python3-pytest)"
		failn=$((failn + 1))
	else
		out=$("$py" -m pytest -q -p no:cacheprovider python/tests 2>&1)
		last=$(echo "$out" | tail -n1)
		echo "$out" | grep -E '^(FAILED|ERROR) ' | sed 's/^/FAIL python: /'
		n() { echo "$last" | grep -oE "[0-9]+ $1" | grep -oE '^[0-9]+' || echo 0; }
		pp=$(n passed) pf=$(( $(n failed) + $(n error) )) ps=$(n skipped)
		echo "python/tests: $last"
		if [ "$pp" = 0 ] && [ "$pf" = 0 ]; then
			echo "FAIL python/tests: pytest ran nothing: $(echo "$out" | tail -n5)"
			pf=1
		fi
		pass=$((pass + pp)) failn=$((failn + pf)) skipn=$((skipn + ps))
	fi
fi
summary="$pass passed, $failn failed"
[ "$skipn" = 0 ] || summary="$summary, $skipn skipped"
echo "$summary"
[ "$failn" = 0 ] && [ "$pass" -gt 0 ]
