# Replay writes nothing into the trace: a trace (and store) on a read-only
# mount replays; a packed trace of another user, readable by the replaying
# user, replays; a SIGKILLed replay leaves nothing in the trace, and the
# next replay removes the scratch directory it left (under
# $XDG_RUNTIME_DIR/scribe, or /dev/shm/scribe-UID).
. "$TOP/tests/lib.sh"
command -v unshare >/dev/null && command -v setpriv >/dev/null || fail "no unshare or setpriv (util-linux)"
export XDG_RUNTIME_DIR=$T/xdg
mkdir -p "$XDG_RUNTIME_DIR"
rr_check --name t --expect-out "^sum " -- "$B/store_shared_spin" "$T/shared.bin" 2
snap() { (cd "$1" && find . -printf '%p %i %s %n %m %T@\n' | sort); }
before=$(snap "$T/t")

# Read-only bind mounts of the trace and the store, in a mount namespace
# of the replay's own (nothing to unmount if this case fails).
mkdir -p "$SCRIBE_DIR"
out=$(unshare -m bash -c 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" &&
	mount --bind "$2" "$2" && mount -o remount,bind,ro "$2" &&
	! touch "$1/x" 2>/dev/null && exec "$3" replay "$1"' _ "$T/t" "$SCRIBE_DIR" "$SCRIBE" 2>&1) ||
	fail "the read-only trace does not replay: $out"
[ "$out" = "$(cat "$T/t.rec.out")" ] || fail "the read-only trace replayed other output: $out"

# Another user's packed trace, readable by all.
pub=$(mktemp -d /dev/shm/store-readonly.XXXXXX) || fail "mktemp"
trap 'rm -rf "$pub"' EXIT
cp -r "$T/t" "$pub/t"
"$SCRIBE" pack -q "$pub/t" || fail "pack failed"
chmod 755 "$pub"
chmod -R a+rX "$pub/t"
mkdir "$pub/xdg" && chown nobody "$pub/xdg"
out=$(cd / && setpriv --reuid=nobody --regid=nogroup --clear-groups \
	env HOME=/nonexistent SCRIBE_DIR=/nonexistent/scribe XDG_RUNTIME_DIR="$pub/xdg" \
	"$SCRIBE" replay "$pub/t" 2>&1) || fail "user nobody cannot replay root's packed trace: $out"
[ "$out" = "$(cat "$T/t.rec.out")" ] || fail "nobody's replay printed other output: $out"

# SIGKILL a replay once it made its scratch copy of the shared file.
"$SCRIBE" record -q -o "$T/k" -- "$B/store_shared_spin" "$T/shared2.bin" 15 >"$T/k.out" 2>&1 ||
	fail "record failed: $(cat "$T/k.out")"
before_k=$(snap "$T/k")
"$SCRIBE" replay -q "$T/k" &
rp=$!
for i in $(seq 200); do
	ls "$XDG_RUNTIME_DIR"/scribe/replay-$rp-*/obj-* >/dev/null 2>&1 && break
	sleep 0.05
done
ls "$XDG_RUNTIME_DIR"/scribe/replay-$rp-*/obj-* >/dev/null 2>&1 || { kill -9 $rp; fail "the replay made no scratch copy: $(ls -R "$XDG_RUNTIME_DIR")"; }
kill -9 $rp
wait $rp 2>/dev/null
no_strays "$B/store_shared_spin"
ls -d "$XDG_RUNTIME_DIR"/scribe/replay-$rp-* >/dev/null 2>&1 || fail "the killed replay's scratch is gone already (killed too late?)"
[ "$(snap "$T/k")" = "$before_k" ] || fail "the killed replay changed the trace: $(diff <(echo "$before_k") <(snap "$T/k"))"
"$SCRIBE" replay -q "$T/t" || fail "the next replay failed"
[ -z "$(ls -A "$XDG_RUNTIME_DIR/scribe")" ] || fail "the killed replay's scratch was not removed: $(ls -A "$XDG_RUNTIME_DIR/scribe")"
[ "$(snap "$T/t")" = "$before" ] || fail "replays changed the trace: $(diff <(echo "$before") <(snap "$T/t"))"
