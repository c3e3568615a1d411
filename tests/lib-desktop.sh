# lib-desktop.sh -- helpers for the tool-like applications of
# tests/apps/ (mpv, libreoffice, chromium, firefox): each runs once
# natively, for the time the ratios are taken against, then is recorded
# (app_record_run) and replayed (app_replay).
. "$TOP/tests/lib-app.sh"

# desk_native [--cwd DIR] -- CMD...: run CMD natively (stdin /dev/null,
# output to $T/native.out); it must exit 0.  Sets DESK_NATIVE_NS.
desk_native() {
	local cwd=$T t0 st
	[ "$1" = --cwd ] && { cwd=$2; shift 2; }
	[ "$1" = -- ] && shift
	t0=$(date +%s%N)
	(cd "$cwd" && exec timeout -k 5 "${APP_LIMIT:-600}" "$@" </dev/null >"$T/native.out" 2>&1)
	st=$?
	DESK_NATIVE_NS=$(( $(date +%s%N) - t0 ))
	[ "$st" = 0 ] || { tail -5 "$T/native.out" >&2; fail "native $1 exited $st"; }
}

# desk_replay: app_replay, then a line with the native time and the
# recording's and replay's ratios to it.
desk_replay() {
	app_replay >"$T/replay.line"
	cat "$T/replay.line"
	local rep
	rep=$(sed -n 's/.*, replay \([0-9.]*\) s$/\1/p' "$T/replay.line")
	awk -v n="$DESK_NATIVE_NS" -v r="$APP_REC_NS" -v p="$rep" -v name="$APP_NAME" 'BEGIN {
		printf "app %s: native %.2f s, record %.2fx, replay %.2fx native\n", name, n / 1e9, r / n, p * 1e9 / n }'
}
