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
//
// The queue grows to thousands here; TestQueueOrderSmall keeps it near
// the size where its sorted array turns into a heap and back.
func TestQueueOrder(t *testing.T) {
	checkQueueOrder(t, 20000, func(r *rand.Rand, _, _ int) bool { return r.IntN(3) > 0 })
}

func TestQueueOrderSmall(t *testing.T) {
	sizes := []int{3, smallTimed - 2, smallTimed + 5, 0, smallTimed, 2 * smallTimed, 1, smallTimed + 1}
	checkQueueOrder(t, 40000, func(r *rand.Rand, n, waiting int) bool {
		// Every 1,000 operations another size to hover around.
		return waiting < sizes[n/1000%len(sizes)]+r.IntN(3)-1
	})
}

// checkQueueOrder makes ops pushes and pops, a push when push says so,
// and checks every pop against a sorted list.
func checkQueueOrder(t *testing.T, ops int, push func(r *rand.Rand, n, waiting int) bool) {
	t.Helper()
	r := rand.New(rand.NewPCG(3, 4))
	var q queue
	var want []item
	seq, now := int64(0), int64(0)
	for n := 0; n < ops; n++ {
		if push(r, n, q.len()) || q.len() == 0 {
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
