# sqlite3 on a file database in WAL mode (it maps the -shm index file
# shared): 10,000 inserts of random data, an index, selects and the time;
# the database is deleted before replay.
. "$TOP/tests/lib-app.sh"
need sqlite3
{
	echo "PRAGMA journal_mode=WAL;"
	echo "CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c INTEGER);"
	echo "BEGIN;"
	for ((i = 1; i <= 10000; i++)); do
		echo "INSERT INTO t(b, c) VALUES(hex(randomblob(8)), random());"
	done
	echo "COMMIT;"
	echo "CREATE INDEX tb ON t(b);"
	echo "SELECT count(*), sum(a) FROM t;"
	echo "SELECT b FROM t ORDER BY b LIMIT 3;"
	echo "SELECT count(*) FROM t WHERE c > 0;"
	echo "PRAGMA wal_checkpoint;"
	echo "SELECT datetime('now'), random();"
} >"$T/script.sql"
app_record_run sqlite -- sh -c "sqlite3 '$T/db' <'$T/script.sql'"
grep -qx 'wal' "$T/sqlite.rec.out" || fail "not in WAL mode: $(head -3 "$T/sqlite.rec.out")"
grep -qx '10000|50005000' "$T/sqlite.rec.out" || fail "inserts missing: $(cat "$T/sqlite.rec.out")"
# The dump must show a MAP_SHARED mmap of the descriptor an openat of
# db-shm returned (traced calls print flags by name and descriptors in
# decimal, buffered ones both in hex).
dump_trace "$T/sqlite"
awk -v shm="$T/db-shm" '
	/openat\(/ && match($0, /\) = [0-9]+/) {
		fd = substr($0, RSTART + 4, RLENGTH - 4)
		is_shm[fd] = index($0, "\"" shm "\"") > 0
		is_shm[sprintf("0x%x", fd)] = is_shm[fd]
	}
	/mmap\(/ {
		split(substr($0, index($0, "mmap(") + 5), a, /, |\)/)
		if ((a[4] ~ /MAP_SHARED/ || a[4] ~ /^0x[0-9a-f]*[13579bdf]$/) && is_shm[a[5]]) found = 1
	}
	END { exit !found }' "$T/sqlite.dump" ||
	fail "no mmap of db-shm with MAP_SHARED in the trace: $(grep -E 'db-shm|mmap\(.*(MAP_SHARED|, 5, )' "$T/sqlite.dump" | head -5)"
rm -f "$T/db" "$T/db-wal" "$T/db-shm"
app_replay
