# MariaDB: mariadb-install-db (not recorded), then mariadbd (many threads;
# its native AIO gets ENOSYS and falls back) on 127.0.0.1, loaded by
# mariadb-slap with 4 clients (not recorded), then shutdown.
. "$TOP/tests/lib-app.sh"
need mariadbd mariadb-install-db mariadb-admin mariadb-slap runuser
id mysql >/dev/null 2>&1 || fail "no mysql user"
port=$(free_port)
chown mysql "$T"
chmod 755 "$T"
mariadb-install-db --no-defaults --datadir="$T/data" --user=mysql \
	--auth-root-authentication-method=normal >"$T/install.log" 2>&1 ||
	fail "mariadb-install-db failed: $(tail -3 "$T/install.log")"
app_record mariadb -- runuser -u mysql -- mariadbd --no-defaults --datadir="$T/data" \
	--socket="$T/sock" --port="$port" --bind-address=127.0.0.1 \
	--innodb-buffer-pool-size=64M --log-error="$T/error.log"
wait_port "$port" 60
my() { timeout 120 "$1" --no-defaults -uroot --socket="$T/sock" "${@:2}"; }
my mariadb-slap --concurrency=4 --iterations=2 --number-of-queries=400 --auto-generate-sql \
	>"$T/slap.out" 2>&1 || fail "mariadb-slap failed: $(tail -3 "$T/slap.out")"
grep -q 'Number of clients running queries: 4' "$T/slap.out" || fail "no slap results: $(cat "$T/slap.out")"
my mariadb-admin shutdown || fail "shutdown failed"
app_recorded 60
grep -q 'native AIO failed\|falling back' "$T/error.log" || fail "native AIO did not fall back: $(grep -i aio "$T/error.log")"
app_replay
echo "app mariadb: $(sed -n 's/.*Average number of seconds to run all queries: \([0-9.]*\).*/\1/p' "$T/slap.out") s per slap iteration while recording"
