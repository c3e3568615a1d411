# git: init, add, commit twice, log, gc and count-objects on a new
# repository of random files (commit ids depend on contents and times).
. "$TOP/tests/lib-app.sh"
need git
cat >"$T/git.sh" <<'SH'
set -e
cd "$1"
git init -q repo && cd repo
git config user.email scribe@example.com && git config user.name Scribe
for i in $(seq 1 40); do head -c 300 /dev/urandom | base64 >"f$i.txt"; done
git add . && git commit -qm first
for i in $(seq 1 10); do echo "more $RANDOM" >>"f$i.txt"; done
git commit -qam second
git log --format='%H %an %ad %s'
git gc -q
git count-objects -v
git fsck --no-progress && echo fsck ok
SH
app_record_run git -- bash "$T/git.sh" "$T"
grep -q 'Scribe .* first$' "$T/git.rec.out" || fail "no first commit: $(cat "$T/git.rec.out")"
grep -qx 'in-pack: 54' "$T/git.rec.out" || fail "gc did not pack 54 objects (40+10 blobs, 2 trees, 2 commits): $(cat "$T/git.rec.out")"
grep -qx 'fsck ok' "$T/git.rec.out" || fail "fsck failed"
rm -rf "$T/repo"
app_replay
