# lighttpd: one process serving static files on 127.0.0.1, loaded by
# ab -n 5000 -c 8 (not recorded), then SIGTERM.  Every answer must be a
# 2xx of the page's length (ab counts the others), and the page fetched
# with curl must be the file's bytes.
. "$TOP/tests/lib-app.sh"
need lighttpd ab curl
port=$(free_port)
mkdir -p "$T/www"
head -c 3000 /dev/urandom | base64 >"$T/www/index.html"
cat >"$T/lighttpd.conf" <<CONF
server.document-root = "$T/www"
server.bind = "127.0.0.1"
server.port = $port
server.errorlog = "$T/error.log"
index-file.names = ( "index.html" )
CONF
app_record lighttpd -- lighttpd -D -f "$T/lighttpd.conf"
wait_port "$port"
timeout 60 ab -q -n 5000 -c 8 "http://127.0.0.1:$port/" >"$T/ab.out" 2>&1 || fail "ab failed: $(tail -3 "$T/ab.out")"
grep -q '^Complete requests: *5000$' "$T/ab.out" || fail "not all requests completed: $(cat "$T/ab.out")"
grep -q '^Failed requests: *0$' "$T/ab.out" || fail "requests failed: $(grep Failed "$T/ab.out")"
# ab prints this line only when some answers were not 2xx.
! grep -q '^Non-2xx responses:' "$T/ab.out" || fail "answers other than 2xx: $(grep '^Non-2xx' "$T/ab.out")"
grep -q "^Document Length: *$(stat -c %s "$T/www/index.html") bytes\$" "$T/ab.out" ||
	fail "the page's length is not the file's: $(grep '^Document Length' "$T/ab.out")"
serves "$port" "$T/www/index.html"
pkill -TERM -f -- "lighttpd -D -f $T/lighttpd.conf" # the server, not its recorder
app_recorded 30
app_replay
echo "app lighttpd: $(sed -n 's/^Requests per second: *\([0-9.]*\).*/\1/p' "$T/ab.out") req/s while recording"
