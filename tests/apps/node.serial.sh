# node: 3 worker threads share a SharedArrayBuffer: each adds 1 to one
# Int32 slot with a plain read and write (racy) and to another with
# Atomics.add, 3000000 times, then posts its view to the main thread;
# the main thread also reads a file through libuv's thread pool, hashes
# random bytes with crypto and prints the clocks.
. "$TOP/tests/lib-app.sh"
need node
head -c 100000 /dev/urandom >"$T/data.bin"
cat >"$T/workers.js" <<'JS'
const { Worker, isMainThread, parentPort, workerData } = require('worker_threads');
const crypto = require('crypto');
const fs = require('fs');
const N = 3, ITERS = 3000000;
if (isMainThread) {
  const a = new Int32Array(new SharedArrayBuffer(8));
  let done = 0;
  for (let i = 0; i < N; i++) {
    const w = new Worker(__filename, { workerData: { sab: a.buffer, i } });
    w.on('message', (m) => {
      console.log(`worker ${m.i} done: racy ${m.racy} atomic ${m.atomic}`);
      if (++done === N)
        console.log(`shared: racy ${a[0]} atomic ${Atomics.load(a, 1)} of ${N * ITERS}`);
    });
  }
  fs.readFile(process.argv[2], (err, buf) => {
    if (err) throw err;
    const h = crypto.createHash('sha256').update(buf).update(crypto.randomBytes(16));
    console.log(`file ${buf.length} bytes, salted sha256 ${h.digest('hex')}`);
  });
  console.log(`random ${Math.random()} time ${Date.now()} hrtime ${process.hrtime.bigint()}`);
} else {
  const a = new Int32Array(workerData.sab);
  for (let k = 0; k < ITERS; k++) { a[0] = a[0] + 1; Atomics.add(a, 1, 1); }
  parentPort.postMessage({ i: workerData.i, racy: a[0], atomic: Atomics.load(a, 1) });
}
JS
nondet node "$T/workers.js" "$T/data.bin"
app_native -- node "$T/workers.js" "$T/data.bin"
app_record_run node -- node "$T/workers.js" "$T/data.bin"
out=$T/node.rec.out
grep -q '^shared: racy [0-9]* atomic 9000000 of 9000000$' "$out" || fail "Atomics.add lost updates: $(cat "$out")"
[ "$(grep -c '^worker [0-2] done' "$out")" = 3 ] || fail "not 3 workers reported"
rm "$T/data.bin"
app_replay
echo "app node: $(grep '^shared' "$out")"
