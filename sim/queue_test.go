package sim

import (
	"math/rand/v2"
	"sort"
	"testing"
)

// The queue gives items in (t, seq) order, whatever the pushes and pops
// between, and hands back each item's own payload. Pushes come as the World
// makes them: never before the time of the last item popped (now), and
// often at it (those take the FIFO).
func TestQueueOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var q queue
	var want []item
	seq, now := int64(0), int64(0)
	for n := 0; n < 20000; n++ {
		if r.IntN(3) > 0 || q.len() == 0 {
			seq++
			k := &wake{tok: seq}
			at := now
			if r.IntN(2) == 0 {
				at += int64(r.IntN(50))
			}
			it := item{t: at, seq: seq, wake: k, tok: seq}
			q.push(it, now)
			want = append(want, it)
			continue
		}
		sort.Slice(want, func(i, j int) bool {
			return want[i].t < want[j].t || want[i].t == want[j].t && want[i].seq < want[j].seq
		})
		if q.next() != want[0].t {
			t.Fatalf("pop %d: next says %d, want %d", n, q.next(), want[0].t)
		}
		got := q.pop()
		now = got.t
		if got.t != want[0].t || got.seq != want[0].seq || got.wake != want[0].wake || got.tok != got.seq {
			t.Fatalf("pop %d: got (t %d, seq %d), want (t %d, seq %d)", n, got.t, got.seq, want[0].t, want[0].seq)
		}
		want = want[1:]
		if q.len() != len(want) {
			t.Fatalf("pop %d: %d left, want %d", n, q.len(), len(want))
		}
	}
}
