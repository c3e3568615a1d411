# The namespaces of Chromium's sandbox, made by a user without privileges
# (runuser -u nobody): a user and pid namespace with a uid map, a pid
# namespace in it, and an exec there.  Replay runs as root and makes no
# namespaces (the uid map is a file write it does not make, so the second
# clone would fail for want of capabilities); the exec'd image's loader
# stub, whose owner is set by the tid the task itself sees, must buffer in
# record and replay alike.
. "$TOP/tests/lib.sh"
chmod 755 "$B" "$B/ns_sandbox"
nondet runuser -u nobody -- "$B/ns_sandbox"
rr_check --status 0 -- runuser -u nobody -- "$B/ns_sandbox"
want '^outer: uid [1-9]' '^middle: pid 1, uid 0$' '^inner: pid 1, uid 0, random [0-9a-f]{8}$' \
	'^middle: inner exited 7$' '^outer: middle exited 0$'
