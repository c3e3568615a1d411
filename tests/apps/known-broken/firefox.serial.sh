# Firefox ESR, headless, with its sandbox (content processes install
# seccomp filters of their own): --screenshot of a local page.
. "$TOP/tests/lib-desktop.sh"
need firefox-esr
mkdir -p "$T/web" "$T/home-native" "$T/home"
cat >"$T/web/index.html" <<'HTML'
<!DOCTYPE html><html><head><title>scribe page</title></head><body><h1>Scribe</h1>
<p id="p">static</p><script>document.getElementById('p').textContent = 'script ran: ' + (6 * 7);</script>
</body></html>
HTML
HOME=$T/home-native desk_native -- firefox-esr --headless --screenshot "$T/native.png" "file://$T/web/index.html"
[ -s "$T/native.png" ] || fail "native firefox made no screenshot: $(tail -3 "$T/native.out")"
HOME=$T/home APP_LIMIT=${APP_LIMIT:-180} app_record_run firefox -- firefox-esr --headless \
	--screenshot "$T/shot.png" "file://$T/web/index.html"
[ -s "$T/shot.png" ] || fail "the recording made no screenshot"
cmp -s "$T/native.png" "$T/shot.png" || fail "the recorded screenshot differs from the native one"
rm -rf "$T/web" "$T/home" "$T/shot.png"
desk_replay
