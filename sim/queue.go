package sim

// item is one scheduled action. Items run in (t, seq) order: ties break by
// the order they were scheduled in, the same way every run.
type item struct {
	t, seq int64
	fn     func()
	// A reader's wake-up runs only while it is still the pending one.
	wake *wake
	tok  int64
}

// queue is a binary min-heap of items (hand-written: container/heap would
// box every item in an interface). The heap itself holds only times,
// sequence numbers and slot numbers, no pointers: sifting moves entries
// without the garbage collector's write barriers, which cost more than
// the sift itself while a collection runs. The items wait in slots.
type queue struct {
	heap  []qent
	slots []item
	free  []int32 // slots not in use
}

// qent is a heap entry: when, in which order, and the item's slot.
type qent struct {
	t, seq int64
	slot   int32
}

func (q *queue) less(i, j int) bool {
	h := q.heap
	if h[i].t != h[j].t {
		return h[i].t < h[j].t
	}
	return h[i].seq < h[j].seq
}

// len is the number of items waiting.
func (q *queue) len() int { return len(q.heap) }

// next is the time of the first item (len() > 0).
func (q *queue) next() int64 { return q.heap[0].t }

func (q *queue) push(it item) {
	var slot int32
	if n := len(q.free); n > 0 {
		slot = q.free[n-1]
		q.free = q.free[:n-1]
		q.slots[slot] = it
	} else {
		slot = int32(len(q.slots))
		q.slots = append(q.slots, it)
	}
	q.heap = append(q.heap, qent{t: it.t, seq: it.seq, slot: slot})
	h := q.heap
	for i := len(h) - 1; i > 0; {
		p := (i - 1) / 2
		if !q.less(i, p) {
			break
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
}

func (q *queue) pop() item {
	h := q.heap
	top := h[0]
	n := len(h) - 1
	h[0] = h[n]
	h = h[:n]
	q.heap = h
	for i := 0; ; {
		l := 2*i + 1
		if l >= n {
			break
		}
		m := l
		if r := l + 1; r < n && q.less(r, l) {
			m = r
		}
		if !q.less(m, i) {
			break
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
	it := q.slots[top.slot]
	q.slots[top.slot] = item{}
	q.free = append(q.free, top.slot)
	return it
}

// at schedules fn at virtual time t (never before now).
func (w *World) at(t int64, fn func()) {
	if t < w.now {
		t = w.now
	}
	w.qseq++
	w.q.push(item{t: t, seq: w.qseq, fn: fn})
}
