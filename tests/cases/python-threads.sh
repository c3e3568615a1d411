# python3 threading: 4 threads append (name, i) to a shared list 200 times each
# with time.sleep(0) in between; the interleaving and random values replay.
. "$TOP/tests/lib.sh"
cat >"$T/threads.py" <<'PY'
import os, random, threading, time
log = []
def work(name):
    for i in range(200):
        log.append((name, i))
        time.sleep(0)
threads = [threading.Thread(target=work, args=("t%d" % k,)) for k in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
runs = []
for name, i in log:
    if runs and runs[-1][0] == name:
        runs[-1][1] += 1
    else:
        runs.append([name, 1])
ordered = all([i for n, i in log if n == "t%d" % k] == list(range(200)) for k in range(4))
print("entries", len(log), "runs", len(runs), "each thread in order", ordered)
for k in range(0, len(runs), 16):
    print(" ".join("%s*%d" % (n, c) for n, c in runs[k:k + 16]))
print("random", random.random(), random.randint(0, 10**9), os.urandom(4).hex())
PY
nondet /usr/bin/python3 "$T/threads.py"
rr_check --between 'rm "$T/threads.py"' --expect-out '^entries 800 runs [0-9]+ each thread in order True$' -- /usr/bin/python3 "$T/threads.py"
grep -Eq '^random 0\.[0-9]+ [0-9]+ [0-9a-f]{8}$' "$T/rr.rec.out" || fail "$(tail -1 "$T/rr.rec.out")"
