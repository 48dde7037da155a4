package sweep

import (
	"os"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// A sweep's live heap is small (its table, its window of batches, the
// Worlds running: a few megabytes) and every run allocates and drops half
// a megabyte or more, so at Go's default target (GOGC=100, a collection
// when the heap has doubled, never below 4 MB) a collection runs every few
// runs, and while it runs every pointer write pays a barrier. A sweep
// therefore lets the heap grow to gcFloor, or to gcPercent more than what
// is live when that is more, before a collection: the heap's peak is the
// same for any number of seeds, and a fault-heavy run takes about a tenth
// less CPU than at a fixed GOGC=400 (docs/benchmarks.md).
const (
	gcPercent = 400      // the least target a sweep runs with
	gcFloor   = 64 << 20 // the heap a sweep lets grow before a collection
	// goMinHeap is the runtime's own floor at GOGC=100; it scales with
	// the target (16 MB at 400), so the target stops where it reaches
	// gcFloor.
	goMinHeap = 4 << 20
)

// gcPercentFor is the target (GOGC) that collects at gcFloor with live
// bytes live, never less than gcPercent, and never more than the one
// whose scaled minimum heap passes gcFloor.
func gcPercentFor(live uint64) int {
	live = max(live, 1)
	p := int(min(gcFloor/live, 1<<20))*100 - 100
	return min(max(gcPercent, p), gcFloor/goMinHeap*100-100)
}

var gcTune struct {
	sync.Mutex
	users int // sweeps running
	old   int // the target before the first
	set   int // the target set now
}

// tuneGC raises the collector's target while a sweep runs (unless GOGC is
// set); the returned function puts it back when the last sweep running
// ends.
func tuneGC() (restore func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	gcTune.Lock()
	if gcTune.users == 0 {
		gcTune.set = gcPercentFor(liveHeap())
		gcTune.old = debug.SetGCPercent(gcTune.set)
	}
	gcTune.users++
	gcTune.Unlock()
	return func() {
		gcTune.Lock()
		gcTune.users--
		if gcTune.users == 0 {
			debug.SetGCPercent(gcTune.old)
		}
		gcTune.Unlock()
	}
}

// retuneGC follows the live heap as the sweep goes (after each batch): the
// target moves when the one gcPercentFor gives differs by more than a
// quarter.
func retuneGC() {
	gcTune.Lock()
	defer gcTune.Unlock()
	if gcTune.users == 0 {
		return
	}
	p := gcPercentFor(liveHeap())
	if p*4 < gcTune.set*3 || p*4 > gcTune.set*5 {
		gcTune.set = p
		debug.SetGCPercent(p)
	}
}

// liveHeap is the heap the last collection found live (0 before the first).
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}
