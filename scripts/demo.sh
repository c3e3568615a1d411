#!/bin/sh
# demo.sh -- install what is missing, build scribe, and show it working:
# record a program that prints the time, random numbers and pids (different
# on every run), then replay the recording twice and compare.
set -e
cd "$(dirname "$0")/.."
scripts/deps.sh
make -s all build/demo
SCRIBE=build/scribe
export SCRIBE_DIR="$PWD/build/demo-traces"
rm -rf "$SCRIBE_DIR"
out=build/demo-out
mkdir -p $out

echo "== two native runs differ:"
build/demo >$out/native1
build/demo >$out/native2
diff $out/native1 $out/native2 | sed 's/^/   /' || true

echo
echo "== scribe record build/demo"
$SCRIBE record build/demo | tee $out/rec
echo
echo "== scribe replay (twice)"
$SCRIBE replay >$out/rep1
$SCRIBE replay | tee $out/rep2
echo
if cmp -s $out/rec $out/rep1 && cmp -s $out/rec $out/rep2; then
	echo "== both replays printed exactly what the recording printed"
else
	echo "== MISMATCH between record and replay" >&2
	exit 1
fi
echo
$SCRIBE info | head -12
echo
echo "Try: $SCRIBE dump | less     (every event of the recording)"
echo "     SCRIBE_DIR=$SCRIBE_DIR $SCRIBE ls"
