# nginx: a master and 2 workers (daemon off) serving static files on
# 127.0.0.1, loaded for 5 s by wrk (2 threads, 16 connections, not
# recorded), then stopped with SIGQUIT; replayed with nginx and wrk gone.
# Every answer must be a real page (2xx): the workers run as nobody, who
# gets 403 for a file in a private directory, and errors are fast to serve.
. "$TOP/tests/lib-app.sh"
need nginx wrk curl
port=$(free_port)
mkdir -p "$T/www" "$T/ng"
head -c 3000 /dev/urandom | base64 >"$T/www/index.html"
# $T comes from mktemp -d (mode 700): let the workers (nobody) reach the page
chmod 755 "$T" "$T/www" && chmod 644 "$T/www/index.html" || fail "cannot make $T/www readable"
cat >"$T/nginx.conf" <<CONF
worker_processes 2;
pid $T/nginx.pid;
error_log $T/error.log;
events { worker_connections 256; }
http {
	access_log $T/access.log;
	client_body_temp_path $T/ng/body;
	proxy_temp_path $T/ng/proxy;
	fastcgi_temp_path $T/ng/fastcgi;
	uwsgi_temp_path $T/ng/uwsgi;
	scgi_temp_path $T/ng/scgi;
	server { listen 127.0.0.1:$port; root $T/www; }
}
CONF
app_record nginx -- nginx -p "$T/ng" -c "$T/nginx.conf" -g 'daemon off;'
wait_port "$port"
timeout 30 wrk -t2 -c16 -d5s "http://127.0.0.1:$port/" >"$T/wrk.out" 2>&1 || fail "wrk failed: $(cat "$T/wrk.out")"
! grep -q 'Non-2xx' "$T/wrk.out" ||
	fail "nginx answered with errors ($(grep -o 'Non-2xx.*' "$T/wrk.out"); every directory above $T must be searchable by nobody): $(tail -n1 "$T/error.log")"
# wrk prints this line only when connections failed.
! grep -q 'Socket errors' "$T/wrk.out" || fail "wrk: $(grep 'Socket errors' "$T/wrk.out")"
serves "$port" "$T/www/index.html"
served=$(awk '$9 == 200' "$T/access.log" | wc -l)
[ "$served" -ge 1000 ] || fail "nginx served only $served pages (status 200): $(cat "$T/wrk.out")"
kill -QUIT "$(cat "$T/nginx.pid")"
app_recorded 30
app_replay
echo "app nginx: $served pages served while recording ($(grep -o '[0-9.]* *$' <<<"$(grep Requests/sec "$T/wrk.out")") req/s)"
