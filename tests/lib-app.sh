# lib-app.sh -- helpers for the application cases (tests/cases/app-*.sh and
# tests/apps/*.sh): a real server, database or tool is recorded, under a
# bounded load from clients that are not recorded, then replayed with the
# server and its clients gone.  The replay must end with the recorded exit
# status, report no divergence (which also proves every byte the program
# wrote or sent matched: replay checks each against the recording's hash)
# and print the same stdout and stderr.  Each case prints one line:
#   app NAME: events E, trace S, record R s, replay P s
# (followed by ", native N s, record Rx, replay Px" when the case timed a
# native run with app_native).
#
# Servers listen on 127.0.0.1 on a free port; every wait is bounded; on any
# exit the recorder is killed (its tracees die with it) and so is anything
# left running whose command line names the case's scratch directory.
. "$TOP/tests/lib.sh"

APP_RECORDER=
trap app_cleanup EXIT

app_cleanup() {
	[ -n "$APP_RECORDER" ] && kill -KILL "$APP_RECORDER" 2>/dev/null
	pkill -KILL -f -- "$T/" 2>/dev/null
	return 0
}

# need CMD...: each command must exist; an app that is not installed fails
# the case loudly (make test-apps installs them: scripts/deps.sh --apps).
need() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 ||
			fail "$c is not installed (scripts/deps.sh --apps installs the applications)"
	done
}

# free_port: a TCP port nobody listens on at 127.0.0.1.
free_port() {
	local p hex
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 30000))
		hex=$(printf ':%04X ' "$p")
		grep -qi "$hex" /proc/net/tcp /proc/net/tcp6 2>/dev/null || { echo "$p"; return 0; }
	done
	fail "no free port found"
}

# wait_port PORT [SECONDS]: wait until something accepts on 127.0.0.1:PORT.
wait_port() {
	local i
	for ((i = 0; i < ${2:-30} * 10; i++)); do
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		kill -0 "$APP_RECORDER" 2>/dev/null || { cat "$T/$APP_NAME.rec.err" >&2; fail "the recording ended before port $1 opened"; }
		sleep 0.1
	done
	fail "nothing listens on 127.0.0.1:$1 after ${2:-30} s"
}

# serves PORT FILE: a GET of / on 127.0.0.1:PORT answers 2xx with FILE's
# bytes (the server's output compared with what it was to serve).
serves() {
	timeout 20 curl -sf -o "$T/page" "http://127.0.0.1:$1/" || fail "curl could not fetch the page"
	cmp -s "$T/page" "$2" || fail "the page served is not $2"
}

# app_record NAME [--cwd DIR] -- CMD...: start recording CMD in the
# background into $T/NAME (outputs $T/NAME.rec.out and .rec.err).
app_record() {
	APP_NAME=$1; shift
	local cwd=$T
	[ "$1" = --cwd ] && { cwd=$2; shift 2; }
	[ "$1" = -- ] && shift
	APP_T0=$(date +%s%N)
	(cd "$cwd" && exec "$SCRIBE" record -q -o "$T/$APP_NAME" -- "$@" \
		</dev/null >"$T/$APP_NAME.rec.out" 2>"$T/$APP_NAME.rec.err") &
	APP_RECORDER=$!
}

# app_recorded [SECONDS] [STATUS]: wait for the recording to end (it must
# within SECONDS, default 60) with STATUS (default 0).
app_recorded() {
	local limit=${1:-60} want=${2:-0} i st
	for ((i = 0; i < limit * 10; i++)); do
		kill -0 "$APP_RECORDER" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$APP_RECORDER" 2>/dev/null && fail "$APP_NAME still runs ${limit} s after it was told to stop"
	wait "$APP_RECORDER"; st=$?
	APP_RECORDER=
	APP_STATUS=$st
	APP_REC_NS=$(( $(date +%s%N) - APP_T0 ))
	[ "$st" = "$want" ] || { tail -20 "$T/$APP_NAME.rec.err" >&2; fail "record of $APP_NAME exited $st, expected $want"; }
}

# app_record_run NAME [--cwd DIR] [--status N] -- CMD...: record a program
# that ends by itself (a tool, not a server).
app_record_run() {
	local name=$1 status=0 cwd=$T; shift
	while [ $# -gt 0 ]; do
		case $1 in
		--cwd) cwd=$2; shift 2;;
		--status) status=$2; shift 2;;
		--) shift; break;;
		*) break;;
		esac
	done
	app_record "$name" --cwd "$cwd" -- "$@"
	app_recorded "${APP_LIMIT:-600}" "$status"
}

# app_native [--cwd DIR] -- CMD...: run CMD once natively, as the case
# then records it, and keep its time for app_replay's ratios.
app_native() {
	local cwd=$T t0
	[ "$1" = --cwd ] && { cwd=$2; shift 2; }
	[ "$1" = -- ] && shift
	t0=$(date +%s%N)
	(cd "$cwd" && exec "$@" </dev/null >/dev/null 2>&1)
	APP_NATIVE_NS=$(( $(date +%s%N) - t0 ))
}

# Lines scribe itself printed (warnings) and the program's own lines.
split_scribe() { grep '^scribe: ' "$1" >"$1.scribe"; grep -v '^scribe: ' "$1" >"$1.prog"; }

# app_replay: replay the recording with nothing of it running, compare,
# and print the case's statistics line.
app_replay() {
	local tr=$T/$APP_NAME st t0 ns
	split_scribe "$tr.rec.err"
	if grep -Eq 'not supported|not known|cannot copy' "$tr.rec.err.scribe"; then
		cat "$tr.rec.err.scribe" >&2
		fail "recording $APP_NAME met calls scribe cannot replay faithfully"
	fi
	t0=$(date +%s%N)
	timeout -k 5 "${APP_LIMIT:-600}" "$SCRIBE" replay "$tr" </dev/null >"$tr.rep.out" 2>"$tr.rep.err"
	st=$?
	ns=$(( $(date +%s%N) - t0 ))
	split_scribe "$tr.rep.err"
	if [ -s "$tr.rep.err.scribe" ]; then
		cat "$tr.rep.err.scribe" >&2
		fail "replay of $APP_NAME failed (exit $st)"
	fi
	[ "$st" = "$APP_STATUS" ] || fail "replay of $APP_NAME exited $st, the recording $APP_STATUS"
	cmp -s "$tr.rec.out" "$tr.rep.out" || { diff "$tr.rec.out" "$tr.rep.out" | head -20 >&2; fail "stdout of $APP_NAME differs between record and replay"; }
	cmp -s "$tr.rec.err.prog" "$tr.rep.err.prog" || { diff "$tr.rec.err.prog" "$tr.rep.err.prog" | head -20 >&2; fail "stderr of $APP_NAME differs between record and replay"; }
	local events size
	events=$("$SCRIBE" info --events "$tr") || fail "scribe info failed on the trace of $APP_NAME"
	[ "$events" -gt 0 ] || fail "the trace of $APP_NAME has no events"
	# The trace's own files, not the objects in the store (docs/design.md
	# section 2), which hold each program and library once per machine.
	size=$(find "$tr" -type f -printf '%s\n' | awk '{ s += $1 } END { printf "%.1fM", s / 1048576 }')
	local native=
	[ -n "${APP_NATIVE_NS:-}" ] && native=$(printf ', native %s s, record %sx, replay %sx' \
		"$(secs "$APP_NATIVE_NS")" "$(ratio "$APP_REC_NS")" "$(ratio "$ns")")
	APP_NATIVE_NS=
	printf 'app %s: events %s, trace %s, record %s s, replay %s s%s\n' "$APP_NAME" "$events" "$size" \
		"$(secs "$APP_REC_NS")" "$(secs "$ns")" "$native"
}

ratio() { awk -v a="$1" -v b="$APP_NATIVE_NS" 'BEGIN { printf "%.1f", a / b }'; }
secs() { printf '%d.%02d' $(($1 / 1000000000)) $(($1 % 1000000000 / 10000000)); }
