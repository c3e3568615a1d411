# memcached with 4 worker threads on 127.0.0.1: memcslap (not recorded)
# loads 2000 keys and gets them back 8000 times from 4 connections, then
# SIGTERM.
. "$TOP/tests/lib-app.sh"
need memcached memcslap
port=$(free_port)
app_record memcached -- memcached -u root -t 4 -l 127.0.0.1 -p "$port" -U 0
wait_port "$port"
timeout 60 memcslap --servers="127.0.0.1:$port" --concurrency=4 --execute-number=2000 --test=get \
	>"$T/slap.out" 2>&1 || fail "memcslap failed: $(tail -3 "$T/slap.out")"
stats=$(timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port; printf 'stats\r\nquit\r\n' >&3; cat <&3")
hits=$(sed -n 's/^STAT get_hits \([0-9]*\).*/\1/p' <<<"$stats")
[ "${hits:-0}" -ge 8000 ] || fail "only ${hits:-0} get hits: $stats"
pkill -TERM -f -- "memcached -u root -t 4 -l 127.0.0.1 -p $port" # not its recorder
app_recorded 30
app_replay
echo "app memcached: $hits get hits, $(sed -n 's/^STAT cmd_set \([0-9]*\).*/\1/p' <<<"$stats") sets"
