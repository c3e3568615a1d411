# lib-httpd.sh -- Apache httpd for tests/apps/httpd-*.sh: a minimal
# configuration serving one static page on 127.0.0.1 from the case's
# scratch directory, loaded by ab -n 5000 -c 8 (not recorded) once natively
# and once recorded, then stopped with SIGTERM; the recording is replayed
# with the server and ab gone.
. "$TOP/tests/lib-app.sh"
need apache2 ab

# httpd_conf MPM PORT LINES: $T/httpd.conf for mod_mpm_MPM, with the MPM's
# settings LINES.  It runs as www-data (Apache will not serve as root).
httpd_conf() {
	local m=/usr/lib/apache2/modules
	{
		cat <<CONF
ServerRoot $T
DefaultRuntimeDir $T
PidFile $T/httpd.pid
LoadModule mpm_$1_module $m/mod_mpm_$1.so
LoadModule authz_core_module $m/mod_authz_core.so
LoadModule dir_module $m/mod_dir.so
Listen 127.0.0.1:$2
ServerName localhost
User www-data
Group www-data
ErrorLog $T/error.log
DocumentRoot $T/www
DirectoryIndex index.html
<Directory $T/www>
Require all granted
</Directory>
CONF
		printf '%s\n' "$3"
	} >"$T/httpd.conf"
}

# httpd_load PORT OUT: ab against the server; every request must succeed.
httpd_load() {
	timeout 120 ab -q -n 5000 -c 8 "http://127.0.0.1:$1/" >"$2" 2>&1 || fail "ab failed: $(tail -3 "$2")"
	grep -q '^Complete requests: *5000$' "$2" || fail "not all requests completed: $(cat "$2")"
	grep -q '^Failed requests: *0$' "$2" || fail "requests failed: $(grep Failed "$2")"
}

# httpd_stop: SIGTERM to the server's parent (not its recorder).
httpd_stop() {
	local pid
	pid=$(cat "$T/httpd.pid" 2>/dev/null) || fail "the server wrote no pid file"
	kill -TERM "$pid"
}

rps() { sed -n 's/^Requests per second: *\([0-9.]*\).*/\1/p' "$1"; }

# httpd_case NAME MPM LINES: the native run, the recorded one and the
# replay, serving one page of 4 KiB.
httpd_case() {
	local name=$1 port pid i
	mkdir -p "$T/www"
	chmod 755 "$T" "$T/www"
	head -c 3000 /dev/urandom | base64 >"$T/www/index.html"
	chmod 644 "$T/www/index.html"
	port=$(free_port)
	httpd_conf "$2" "$port" "$3"
	# In a session of its own, native and recorded: prefork's parent
	# SIGTERMs its whole process group as it shuts down.
	setsid -w apache2 -DFOREGROUND -f "$T/httpd.conf" </dev/null >"$T/native.out" 2>&1 &
	pid=$!
	wait_native "$port" "$pid"
	httpd_load "$port" "$T/ab-native.out"
	httpd_stop
	for ((i = 0; i < 300; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	wait "$pid" || fail "native apache2 exited $?: $(tail -3 "$T/error.log")"
	rm -f "$T/httpd.pid"
	port=$(free_port)
	httpd_conf "$2" "$port" "$3"
	app_record "$name" -- setsid -w apache2 -DFOREGROUND -f "$T/httpd.conf"
	wait_port "$port"
	httpd_load "$port" "$T/ab.out"
	httpd_stop
	app_recorded 60
	app_replay
	local n r
	n=$(rps "$T/ab-native.out") r=$(rps "$T/ab.out")
	echo "app $name: $r req/s while recording, $n native ($(awk -v a="$r" -v b="$n" 'BEGIN { printf "%.1f", 100 * a / b }')%)"
}

# wait_native PORT PID: the native server accepts on PORT.
wait_native() {
	local i
	for ((i = 0; i < 300; i++)); do
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		kill -0 "$2" 2>/dev/null || fail "native apache2 ended: $(cat "$T/native.out" "$T/error.log" 2>/dev/null | tail -3)"
		sleep 0.1
	done
	fail "native apache2 does not listen on 127.0.0.1:$1"
}
