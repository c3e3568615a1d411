# Real setuid programs and one with file capabilities, recorded as root,
# replay as recorded (before, replay stopped at event 0: "memory layout
# differs", as their exec had been laid out at random).
. "$TOP/tests/lib.sh"
[ "$(id -u)" = 0 ] || fail "this case records setuid programs as root: run it as root"
for p in su passwd sudo ping; do
	command -v $p >/dev/null || fail "no $p here: scripts/deps.sh installs it"
done
[ -u "$(command -v su)" ] || fail "su is not setuid here"
rr_check --name su --expect-out 'Usage' -- su --help
rr_check --name passwd --expect-out 'Usage' -- passwd --help
rr_check --name sudo --expect-out '^Sudo version' -- sudo -V
rr_check --name ping --expect-out '1 packets transmitted, 1 received' -- ping -c1 127.0.0.1
# What a setuid program execs inherits its randomization (the kernel
# cleared ADDR_NO_RANDOMIZE in its personality): replay moves those
# programs' mappings too.
rr_check --name sudo-exec --expect-out '^main 0x' -- sudo "$B/setuid_layout"
rr_check --name su-exec --expect-out '^main 0x' -- su root -c "$B/setuid_layout"
for n in sudo-exec su-exec; do
	! grep -q '^main 0x5555555' "$T/$n.rec.out" || fail "$n: the program was not laid out at random: $(cat "$T/$n.rec.out")"
done
