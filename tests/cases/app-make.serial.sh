# make -j2 building scribe itself (this project's sources, from git) with
# gcc; the build tree is deleted before replay.
. "$TOP/tests/lib-app.sh"
need make gcc git
mkdir -p "$T/src"
git -C "$TOP" archive HEAD src include Makefile | tar -x -C "$T/src" || fail "cannot export the sources"
app_record_run make --cwd "$T/src" -- make -j2 build/scribe
[ -x "$T/src/build/scribe" ] || fail "the build made no binary"
"$T/src/build/scribe" --version | grep -q '^scribe ' || fail "the built scribe does not run"
rm -rf "$T/src/build"
app_replay
