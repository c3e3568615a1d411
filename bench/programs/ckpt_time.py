"""ckpt_time.py TRACE RUNS: replay TRACE (ckpt_steps heap MIB) to its 5th
write, then time RUNS checkpoints and RUNS restores of it through the
Python module (ctypes: a few microseconds of the times).  Prints
"CHECKPOINT_MS RESTORE_MS" (medians) and checks that the program still
ends as recorded after the last restore."""

import statistics
import sys
import time

import scribe


def main():
    t = scribe.open(sys.argv[1])
    runs = int(sys.argv[2])
    w = [e for e in t.events(kinds="syscall") if e.name == "write"][5]
    cks, rss = [], []
    with t.replay(output=lambda fd, d: None) as r:
        r.run_until(event=w)
        for _ in range(runs):
            t0 = time.perf_counter()
            ck = r.checkpoint()
            cks.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            r.restore(ck)
            rss.append(time.perf_counter() - t0)
            ck.free()
        if r.run() != 0:
            sys.exit("ckpt_time: the restored replay did not end as recorded")
    print("%.2f %.2f" % (statistics.median(cks) * 1e3, statistics.median(rss) * 1e3))


main()
