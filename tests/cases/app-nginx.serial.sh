# nginx: a master and 2 workers (daemon off) serving static files on
# 127.0.0.1, loaded for 5 s by wrk (2 threads, 16 connections, not
# recorded), then stopped with SIGQUIT; replayed with nginx and wrk gone.
. "$TOP/tests/lib-app.sh"
need nginx wrk
port=$(free_port)
mkdir -p "$T/www" "$T/ng"
head -c 3000 /dev/urandom | base64 >"$T/www/index.html"
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
served=$(wc -l <"$T/access.log")
[ "$served" -ge 1000 ] || fail "nginx served only $served requests: $(cat "$T/wrk.out")"
kill -QUIT "$(cat "$T/nginx.pid")"
app_recorded 30
app_replay
echo "app nginx: $served requests served while recording ($(grep -o '[0-9.]* *$' <<<"$(grep Requests/sec "$T/wrk.out")") req/s)"
