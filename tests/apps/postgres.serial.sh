# PostgreSQL 15: initdb (not recorded), then postgres (postmaster, its
# auxiliary processes and a backend per connection, in shared memory:
# anonymous MAP_SHARED, a SysV segment, POSIX dynamic shared memory) on
# 127.0.0.1, loaded by pgbench -i and pgbench -c 2 -t 500 (not recorded),
# then pg_ctl stop.  PostgreSQL refuses to run as root: it runs as the
# postgres user (runuser, recorded too).
. "$TOP/tests/lib-app.sh"
bin=$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null)
[ -n "$bin" ] || fail "PostgreSQL 15 is not installed (scripts/deps.sh --apps)"
need runuser
id postgres >/dev/null 2>&1 || fail "no postgres user"
port=$(free_port)
chown postgres "$T"
chmod 755 "$T"
runuser -u postgres -- "$bin/initdb" -D "$T/data" -A trust -U postgres >"$T/initdb.log" 2>&1 ||
	fail "initdb failed: $(tail -3 "$T/initdb.log")"
app_record postgres -- runuser -u postgres -- "$bin/postgres" -D "$T/data" -k "$T" \
	-h 127.0.0.1 -p "$port"
wait_port "$port" 60
# The port opens while the server still replays its WAL ("the database
# system is starting up"): wait until it takes connections.
for _ in $(seq 600); do
	"$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres && break
	sleep 0.1
done
"$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres || fail "postgres never became ready"
pgb() { timeout 300 "$bin/pgbench" -h 127.0.0.1 -p "$port" -U postgres "$@" postgres; }
pgb -i >"$T/init.out" 2>&1 || fail "pgbench -i failed: $(tail -3 "$T/init.out")"
pgb -c 2 -t 500 >"$T/bench.out" 2>&1 || fail "pgbench failed: $(tail -3 "$T/bench.out")"
grep -q '^number of transactions actually processed: 1000/1000$' "$T/bench.out" ||
	fail "pgbench did not complete: $(cat "$T/bench.out")"
runuser -u postgres -- "$bin/pg_ctl" -D "$T/data" stop -m fast >"$T/stop.out" 2>&1 || fail "pg_ctl stop failed"
app_recorded 60
app_replay
echo "app postgres: $(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$T/bench.out") tps while recording"
