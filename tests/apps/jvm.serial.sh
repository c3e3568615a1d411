# the JVM: javac compiles a program (recorded; its class file must be the
# one an unrecorded javac makes), then java runs it: a fixed thread pool
# of 4 adding to an unsynchronized (volatile, so not hoisted out of the
# loop) counter and to an AtomicLong, futures, Random and the clocks.
. "$TOP/tests/lib-app.sh"
need javac java
mkdir -p "$T/src" "$T/native" "$T/rec"
cat >"$T/src/Racy.java" <<'JAVA'
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.AtomicLong;

public class Racy {
    static volatile int racy = 0;
    public static void main(String[] args) throws Exception {
        int threads = 4, iters = Integer.parseInt(args[0]);
        AtomicLong atomic = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Long>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            final int id = t;
            fs.add(pool.submit(() -> {
                long s = 0;
                for (int i = 0; i < iters; i++) { racy++; atomic.incrementAndGet(); s += (long) i * id; }
                return s;
            }));
        }
        for (int t = 0; t < threads; t++) System.out.println("task " + t + " sum " + fs.get(t).get());
        pool.shutdown();
        if (!pool.awaitTermination(10, TimeUnit.SECONDS)) System.out.println("pool did not end");
        System.out.println("racy " + racy + " atomic " + atomic.get() + " of " + threads * iters);
        System.out.println("random " + new Random().nextLong() + " nanos " + System.nanoTime() +
                           " time " + System.currentTimeMillis());
    }
}
JAVA
# javac: recorded, its output compared with an unrecorded javac's.
app_native -- javac -d "$T/native" "$T/src/Racy.java"
APP_LIMIT=150 app_record_run javac -- javac -d "$T/rec" "$T/src/Racy.java"
cmp -s "$T/native/Racy.class" "$T/rec/Racy.class" || fail "the recorded javac made another class file"
rm -r "$T/rec"
app_replay
[ -e "$T/rec" ] && fail "the replay of javac wrote files"
# java: the thread pool.
nondet java -cp "$T/native" Racy 1000000
app_native -- java -cp "$T/native" Racy 1000000
APP_LIMIT=100 app_record_run java -- java -cp "$T/native" Racy 1000000
out=$T/java.rec.out
grep -q '^racy [0-9]* atomic 4000000 of 4000000$' "$out" || fail "AtomicLong lost updates: $(cat "$out")"
app_replay
echo "app java: $(grep '^racy' "$out")"
