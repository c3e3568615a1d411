# perl: forks 4 children (4 memory domains, recorded and replayed in
# parallel) that compute, print 200 lines each straight to the shared
# stdout and send a result back through a pipe; runs `date` through
# backticks; the parent reaps them in whatever order they end.
. "$TOP/tests/lib-app.sh"
need perl
cat >"$T/fork.pl" <<'PL'
use strict; use warnings; use Time::HiRes qw(time);
$| = 1;
my %kid;
for my $i (1..4) {
    pipe(my $r, my $w) or die "pipe: $!";
    my $pid = fork() // die "fork: $!";
    if ($pid == 0) {
        close $r;
        srand();
        my $s = 0;
        for my $k (1..200) { $s += $k * $i; $s += $_ for 1..200; print "child $i line $k\n" }
        print $w "child $i sum $s rand ", int(rand(1e9)), "\n";
        close $w;
        exit $i;
    }
    close $w;
    $kid{$pid} = [$i, $r];
}
print "date says ", `date +%s.%N`;
while ((my $pid = wait()) > 0) {
    my ($i, $r) = @{$kid{$pid}};
    print "reaped child $i status ", $? >> 8, ": ", scalar <$r>;
}
printf "pid %d rand %d time %.6f\n", $$, int(rand(1e9)), time;
PL
nondet perl "$T/fork.pl"
app_native -- perl "$T/fork.pl"
app_record_run perl-fork -- perl "$T/fork.pl"
out=$T/perl-fork.rec.out
[ "$(grep -c '^reaped child [1-4] status [1-4]: child [1-4] sum' "$out")" = 4 ] ||
	fail "not 4 children reaped with their status: $(grep reaped "$out")"
[ "$(grep -c '^child [1-4] line' "$out")" = 800 ] || fail "not 800 lines from the children"
[ "$("$SCRIBE" info "$T/perl-fork" | sed -n 's/^tasks: *//p')" = "6 in 6 memory domains" ] ||
	fail "expected 6 processes in 6 domains: $("$SCRIBE" info "$T/perl-fork" | grep tasks)"
app_replay
