package sweep

import (
	"os"
	"runtime/debug"
	"sync"
)

// gcPercent is the garbage collector's target (GOGC) a sweep runs with
// unless the environment sets GOGC. A sweep's live heap is small (its
// table, its window of batches, the Worlds running: about a megabyte) and
// every run allocates and drops megabytes, so at Go's default of 100 a
// collection runs every run or two, and while it runs every pointer write
// pays a barrier. At 400 collections come four times less often and a
// fault-heavy run takes about a tenth less CPU; the heap's peak grows by a
// few megabytes, the same for any number of seeds.
const gcPercent = 400

var gcTune struct {
	sync.Mutex
	users int // sweeps running
	old   int // the target before the first
}

// tuneGC raises the collector's target while a sweep runs; the returned
// function puts it back when the last sweep running ends.
func tuneGC() (restore func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	gcTune.Lock()
	if gcTune.users == 0 {
		gcTune.old = debug.SetGCPercent(gcPercent)
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
