# ruby: 4 threads under the GVL (one locked counter, one racy counter whose
# read-modify-write spans a method call, so the timer thread's switches
# can split it), a hash of 20000 strings, a forked child, `date` through
# IO.popen, SecureRandom and the clock.
. "$TOP/tests/lib-app.sh"
need ruby
cat >"$T/threads.rb" <<'RB'
require 'securerandom'
$stdout.sync = true
def slow(x) = (1..50).reduce(x) { |a, _| a } + 1
locked = 0
racy = 0
m = Mutex.new
ths = 4.times.map do |i|
  Thread.new do
    s = 0
    20000.times { |k| s += k * i; m.synchronize { locked += 1 }; racy = slow(racy) }
    [i, s]
  end
end
ths.each { |t| i, s = t.value; puts "thread #{i} sum #{s}" }
puts "locked #{locked} racy #{racy}"
h = {}
20000.times { |i| h["k#{i}"] = i.to_s * 3 }
puts "hash #{h.size} #{h.values.sum(&:size)}"
pid = fork { puts "child #{Process.pid} random #{rand}"; exit! 3 }
Process.wait(pid)
puts "child status #{$?.exitstatus}"
puts "date says #{IO.popen(%w[date +%s.%N], &:read)}"
puts "random #{rand} #{SecureRandom.hex(8)} time #{Time.now.to_f}"
RB
nondet ruby "$T/threads.rb"
app_native -- ruby "$T/threads.rb"
app_record_run ruby -- ruby "$T/threads.rb"
out=$T/ruby.rec.out
grep -q '^locked 80000 racy [0-9]' "$out" || fail "the locked counter is wrong: $(grep locked "$out")"
grep -q '^child status 3$' "$out" || fail "the forked child's status is missing"
app_replay
echo "app ruby: $(grep '^locked' "$out")"
