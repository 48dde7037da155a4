package sim

import "container/heap"

// item is one scheduled action. Items run in (t, seq) order: ties break by
// the order they were scheduled in, the same way every run.
type item struct {
	t, seq int64
	fn     func()
}

type queue []item

func (q queue) Len() int { return len(q) }
func (q queue) Less(i, j int) bool {
	if q[i].t != q[j].t {
		return q[i].t < q[j].t
	}
	return q[i].seq < q[j].seq
}
func (q queue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *queue) Push(x any)   { *q = append(*q, x.(item)) }
func (q *queue) Pop() any {
	old := *q
	it := old[len(old)-1]
	old[len(old)-1] = item{}
	*q = old[:len(old)-1]
	return it
}

// at schedules fn at virtual time t (never before now).
func (w *World) at(t int64, fn func()) {
	if t < w.now {
		t = w.now
	}
	w.qseq++
	heap.Push(&w.q, item{t: t, seq: w.qseq, fn: fn})
}
