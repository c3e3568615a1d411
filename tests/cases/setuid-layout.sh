# Setuid (to root and to nobody) and setgid programs recorded as root: the kernel turns address
# randomization back on for such an exec (it clears ADDR_NO_RANDOMIZE),
# so two native runs put everything elsewhere; the replay, which execs the
# trace's plain copy, moves every mapping to its recorded place and shows
# the same ids, AT_SECURE, addresses and brk (tests/programs/setuid_layout.c).
. "$TOP/tests/lib.sh"
[ "$(id -u)" = 0 ] || fail "this case records setuid programs as root: run it as root"
u=$T/setuid_layout_u g=$T/setuid_layout_g n=$T/setuid_layout_n
cp "$B/setuid_layout" "$u" && chmod 4755 "$u" || fail "cannot make a setuid copy"
cp "$B/setuid_layout" "$n" && chown nobody "$n" && chmod 4755 "$n" || fail "cannot make a setuid-nobody copy"
cp "$B/setuid_layout" "$g" && chgrp nogroup "$g" && chmod 2755 "$g" || fail "cannot make a setgid copy"
[ -u "$u" ] && [ -g "$g" ] || fail "the copies lost their setuid/setgid bits (a nosuid mount?)"
nondet "$u"
nondet "$g"
rr_check --name suid -- "$u"
out=$T/suid.rec.out want '^uid 0 euid 0 gid 0 egid 0$' '^secure 0$' '^brk 0x[0-9a-f]+ -> 0x[0-9a-f]+'
rr_check --name sgid -- "$g"
out=$T/sgid.rec.out want '^uid 0 euid 0 gid 0 egid 65534$' '^secure 1$'
# setuid to another user: the ids change, AT_SECURE is 1.
rr_check --name snobody -- "$n"
out=$T/snobody.rec.out want '^uid 0 euid 65534 gid 0 egid 0$' '^secure 1$'
# Not the address a run without randomization gets: the layout was random.
! grep -q '^main 0x5555555' "$T/suid.rec.out" || fail "the setuid program was not laid out at random: $(cat "$T/suid.rec.out")"
