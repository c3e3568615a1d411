# python3: a threaded http.server on 127.0.0.1 that also runs a subprocess
# and prints random and time values; 201 requests from curl (not
# recorded; the last one's page must be the file), then SIGINT; replayed
# with python and curl gone.
. "$TOP/tests/lib-app.sh"
need python3 curl
port=$(free_port)
mkdir -p "$T/www"
head -c 2000 /dev/urandom | base64 >"$T/www/index.html"
cat >"$T/server.py" <<PY
import functools, http.server, random, subprocess, sys, time
print("random", random.random(), "time", time.time(), flush=True)
print("date says", subprocess.run(["date", "+%s.%N"], capture_output=True, text=True).stdout.strip(), flush=True)
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory="$T/www")
server = http.server.ThreadingHTTPServer(("127.0.0.1", $port), handler)
try:
    server.serve_forever()
except KeyboardInterrupt:
    print("interrupted after", time.time(), flush=True)
server.server_close()
PY
app_record python -- python3 "$T/server.py"
wait_port "$port"
for ((i = 0; i < 200; i++)); do
	curl -sf -m 10 -o /dev/null "http://127.0.0.1:$port/" || fail "request $i failed"
done
serves "$port" "$T/www/index.html"
# Only python: scribe record's own command line names server.py too, and
# scribe passes a SIGINT on to the program (a second KeyboardInterrupt).
pkill -INT -f -- "^[^ ]*python3[^ ]* $T/server.py"
app_recorded 30
n=$(grep -c '"GET / HTTP/1.1" 200' "$T/python.rec.err")
[ "$n" = 201 ] || fail "the server logged $n requests answered 200, not 201"
grep -q '^interrupted after' "$T/python.rec.out" || fail "no clean SIGINT: $(cat "$T/python.rec.out")"
app_replay
