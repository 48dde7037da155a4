package heappeak

import "testing"

var keep [][]byte

// The peak sees a structure held for the length of the work, and not one
// that is dropped as it goes.
func TestPeakSeesWhatIsKept(t *testing.T) {
	held := Peak(func() {
		for range 64 {
			keep = append(keep, make([]byte, 1<<20))
		}
	})
	keep = nil
	dropped := Peak(func() {
		for range 64 {
			keep = [][]byte{make([]byte, 1<<20)}
		}
	})
	keep = nil
	if held < 60<<20 {
		t.Errorf("64 MiB kept: peak %d MiB", held>>20)
	}
	if dropped > 16<<20 {
		t.Errorf("1 MiB at a time: peak %d MiB", dropped>>20)
	}
}
