# redis-server with persistence on (save points, and a BGSAVE, which forks
# a child that writes the snapshot) on 127.0.0.1, loaded by
# redis-benchmark -n 20000 -q (not recorded), then SHUTDOWN (which saves
# again); replayed with redis and its clients gone.  No command may get an
# error reply (redis-benchmark counts them as done: the server's
# total_error_replies must stay 0), every benchmark must report, and a
# SET must answer OK and its value come back from a GET.
. "$TOP/tests/lib-app.sh"
need redis-server redis-cli redis-benchmark
port=$(free_port)
cli() { timeout 20 redis-cli -h 127.0.0.1 -p "$port" "$@"; }
app_record redis -- redis-server --port "$port" --bind 127.0.0.1 --dir "$T" \
	--save "1 1000" --appendonly no --daemonize no --loglevel notice
wait_port "$port"
timeout 300 redis-benchmark -h 127.0.0.1 -p "$port" -n 20000 -q >"$T/bench.out" 2>&1 ||
	fail "redis-benchmark failed: $(tail -c 300 "$T/bench.out")"
# Progress lines end in \r: keep the results.
tr '\r' '\n' <"$T/bench.out" | grep 'requests per second' >"$T/results"
grep -q '^ *SET: .* requests per second' "$T/results" || fail "no SET results: $(cat "$T/results")"
! grep -q 'Error from server' "$T/bench.out" || fail "redis-benchmark got error replies: $(grep -m3 'Error from server' "$T/bench.out")"
nb=$(wc -l <"$T/results")
[ "$nb" -ge 15 ] || fail "only $nb benchmarks reported: $(cat "$T/results")"
errs=$(cli info stats | tr -d '\r' | sed -n 's/^total_error_replies://p')
[ "$errs" = 0 ] || fail "redis answered ${errs:-?} commands with an error: $(cli info errorstats | tr -d '\r')"
val=$RANDOM-$$
reply=$(cli set scribe-key "$val")
[ "$reply" = OK ] || fail "SET answered '$reply'"
reply=$(cli get scribe-key)
[ "$reply" = "$val" ] || fail "GET answered '$reply', SET stored '$val'"
# A save point may have started a background save already (a slow
# recording crosses more of them): wait for it, then ask for ours.
bgsave_done() {
	for _ in $(seq 100); do
		cli info persistence | grep -q '^rdb_bgsave_in_progress:0' && return 0
		sleep 0.1
	done
	return 1
}
bgsave_done || fail "a background save never finished"
reply=$(cli bgsave)
[ "$reply" = "Background saving started" ] || fail "BGSAVE did not start: $reply"
bgsave_done || fail "BGSAVE never finished"
cli info persistence | grep -q '^rdb_last_bgsave_status:ok' || fail "BGSAVE failed"
cli shutdown >/dev/null 2>&1
app_recorded 30
[ -s "$T/dump.rdb" ] || fail "redis wrote no snapshot"
grep -q 'Background saving terminated with success' "$T/redis.rec.out" ||
	fail "the log does not show the forked save: $(tail -5 "$T/redis.rec.out")"
app_replay
echo "app redis: $(wc -l <"$T/results") benchmarks, SET $(sed -n 's/^ *SET: \([0-9.]*\) requests per second.*/\1/p' "$T/results") req/s while recording"
