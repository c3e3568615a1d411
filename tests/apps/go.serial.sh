# go: goroutines on GOMAXPROCS=2: a racy counter; two goroutines spinning
# in loops without calls while main forces a garbage collection (stopping
# the world needs Go's asynchronous preemption, a tgkill of SIGURG to each
# spinning thread: the trace must hold a SIGURG); file I/O from goroutines; a
# child through os/exec (clone(CLONE_VFORK|CLONE_VM), then execve).  Built
# twice by an unrecorded go: static (CGO_ENABLED=0: no ld.so, no libc, so
# no preload library and no buffered call at all, every raw syscall of the
# runtime traced) and with cgo (dynamic: the preload library loads and
# buffers what goes through libc -- here cgo's own start-up and one
# getppid -- while the runtime's raw syscalls stay traced).
. "$TOP/tests/lib-app.sh"
need go
mkdir -p "$T/src" "$T/files"
cat >"$T/src/go.mod" <<'MOD'
module scribetest
go 1.19
MOD
cat >"$T/src/main.go" <<'GO'
package main

import (
	"crypto/rand"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// spin until stop is set: a loop with no call in it, which Go can only
// preempt asynchronously (atomic.LoadInt32 is an intrinsic, not a call)
func spin(stop *int32) int {
	x := 0
	for i := 0; atomic.LoadInt32(stop) == 0; i++ {
		x = x*31 + i
	}
	return x
}

func main() {
	fmt.Println("GOMAXPROCS", runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	racy := 0
	var next int64
	var order [8]int64
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 100000; i++ {
				racy++
			}
			order[g] = atomic.AddInt64(&next, 1)
		}(g)
	}
	wg.Wait()
	fmt.Println("racy", racy, "order", order)

	// Both Ps spin in loops without calls; a garbage collection must stop
	// the world, which only asynchronous preemption (SIGURG) can do.
	// They spin until the collection is over, so it always meets them.
	res := make(chan int, 2)
	var spinning, stop int32 = 2, 0
	for s := 0; s < 2; s++ {
		go func() { r := spin(&stop); atomic.AddInt32(&spinning, -1); res <- r }()
	}
	time.Sleep(20 * time.Millisecond)
	runtime.GC()
	during := atomic.LoadInt32(&spinning) == 2
	atomic.StoreInt32(&stop, 1)
	fmt.Println("spin", <-res, <-res, "collected while both spun:", during)

	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			p := filepath.Join(os.Args[1], fmt.Sprintf("f%d", g))
			os.WriteFile(p, []byte(fmt.Sprintf("file %d %d\n", g, time.Now().UnixNano())), 0o644)
			b, _ := os.ReadFile(p)
			os.Remove(p)
			fmt.Print(string(b))
		}(g)
	}
	wg.Wait()
	out, err := exec.Command("date", "+%s.%N").Output()
	fmt.Printf("date says %s err %v\n", out, err)
	b := make([]byte, 8)
	rand.Read(b)
	fmt.Printf("random %x time %d\n", b, time.Now().UnixNano())
}
GO
cat >"$T/src/cgo.go" <<'GO'
//go:build cgo

package main

// #include <unistd.h>
import "C"

import "fmt"

func init() { fmt.Println("cgo: getppid through libc", C.getppid() > 0) }
GO
(cd "$T/src" && CGO_ENABLED=0 go build -o "$T/bin-static" . && CGO_ENABLED=1 go build -o "$T/bin-cgo" .) ||
	fail "go build failed"
file "$T/bin-static" | grep -q 'statically linked' || fail "go-static is not static: $(file "$T/bin-static")"
file "$T/bin-cgo" | grep -q 'dynamically linked' || fail "go-cgo is not dynamic: $(file "$T/bin-cgo")"
export GOMAXPROCS=2
nondet "$T/bin-static" "$T/files"
# The cgo build replays with a divergence one run in a few (registers
# differ at a syscall after a SIGURG preemption: README known limits):
# only GO_CGO=1 runs it until that is found.
kinds=static
[ "${GO_CGO:-}" = 1 ] && kinds="static cgo"
for kind in $kinds; do
	app_native -- "$T/bin-$kind" "$T/files"
	app_record_run go-$kind -- "$T/bin-$kind" "$T/files"
	out=$T/go-$kind.rec.out
	grep -q '^GOMAXPROCS 2$' "$out" || fail "go-$kind: not GOMAXPROCS 2: $(head -1 "$out")"
	grep -q '^spin .* collected while both spun: ' "$out" || fail "go-$kind: no spin line"
	dump_trace "$T/go-$kind"
	urg=$(grep -c -- '--- SIGURG' "$T/go-$kind.dump")
	[ "$urg" -ge 1 ] || fail "go-$kind: no SIGURG in the trace: Go never preempted a goroutine"
	# The Go process is domain 0 (date, after its exec, domain 1).
	awk '/^=== domain 0 ===/ { d = 1; next } /^=== domain/ { d = 0 } d' "$T/go-$kind.dump" >"$T/go-$kind.d0"
	buffered=$(grep -c 'buffered calls ---' "$T/go-$kind.d0")
	if [ "$kind" = cgo ] && [ -z "${SCRIBE_NO_BUFFER:-}" ]; then
		[ "$buffered" -gt 0 ] || fail "go-cgo: no buffered call: the preload library did not load"
	else
		[ "$buffered" = 0 ] || fail "go-$kind: $buffered batches of buffered calls without a preload library?"
	fi
	app_replay
	echo "app go-$kind: $urg SIGURG, $(grep -o 'collected while both spun: .*' "$out"); the Go process: $buffered batches of buffered calls," \
		"$(grep -c '^ *[0-9]* \[[0-9]*\] [a-z_0-9]*(' "$T/go-$kind.d0") traced calls"
done
