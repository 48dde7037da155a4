package heappeak

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"time"
)

const liveObjects = "/memory/classes/heap/objects:bytes"

// Peak runs work and returns the largest live heap sampled while it ran,
// less the heap in use before it began.
func Peak(work func()) uint64 {
	old := debug.SetGCPercent(10)
	defer debug.SetGCPercent(old)
	runtime.GC()
	base := sample()
	var (
		peak uint64
		wg   sync.WaitGroup
		done = make(chan struct{})
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(100 * time.Microsecond)
		defer tick.Stop()
		for {
			peak = max(peak, sample())
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	work()
	close(done)
	wg.Wait()
	peak = max(peak, sample())
	if peak < base {
		return 0
	}
	return peak - base
}

func sample() uint64 {
	s := []metrics.Sample{{Name: liveObjects}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}
