# sqlite3: random() and datetime('now') in an in-memory database.
. "$TOP/tests/lib.sh"
q="select random(), datetime('now')"
nondet /usr/bin/sqlite3 :memory: "$q"
rr_check --expect-out '^-?[0-9]+\|[0-9]{4}-[0-9]{2}-[0-9]{2} ' -- /usr/bin/sqlite3 :memory: "$q"
