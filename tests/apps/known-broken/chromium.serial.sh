# Chromium, headless and sandboxed (as a user without privileges, so its
# zygote makes user and pid namespaces and its processes install seccomp
# filters of their own): --dump-dom of a local page whose script changes
# the DOM.  Some 30 processes and 170 threads.
. "$TOP/tests/lib-desktop.sh"
need chromium runuser
mkdir -p "$T/web" "$T/home-native" "$T/home"
chmod 755 "$T" "$T/web"
cat >"$T/web/index.html" <<'HTML'
<!DOCTYPE html><html><head><title>scribe page</title></head><body><h1>Scribe</h1>
<p id="p">static</p><ul id="l"></ul>
<script>
document.getElementById('p').textContent = 'script ran: ' + (6 * 7);
for (let i = 0; i < 20; i++) { const li = document.createElement('li'); li.textContent = 'item ' + i * i; document.getElementById('l').appendChild(li); }
</script></body></html>
HTML
chmod 644 "$T/web/index.html"
chown nobody "$T/home-native" "$T/home"
desk_native -- runuser -u nobody -- env HOME="$T/home-native" \
	chromium --headless --dump-dom "file://$T/web/index.html"
grep -q 'script ran: 42' "$T/native.out" || fail "native chromium did not run the page's script: $(tail -3 "$T/native.out")"
APP_LIMIT=${APP_LIMIT:-180} app_record_run chromium -- runuser -u nobody -- env HOME="$T/home" \
	chromium --headless --dump-dom "file://$T/web/index.html"
grep -q 'item 361' "$T/chromium.rec.out" || fail "the recording did not dump the page's DOM"
rm -rf "$T/web" "$T/home"
desk_replay
