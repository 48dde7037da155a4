package sim

// item is one scheduled action. Items run in (t, seq) order: ties break by
// the order they were scheduled in, the same way every run.
type item struct {
	t, seq int64
	fn     func()
	// A reader's wake-up runs only while it is still the pending one.
	// tok is its token, or (wake nil) one the action reads itself (the
	// client's timer: World.itemTok).
	wake *wake
	tok  int64
}

// queue is a binary min-heap of items (hand-written: container/heap would
// box every item in an interface). The heap itself holds only times,
// sequence numbers and slot numbers, no pointers: sifting moves entries
// without the garbage collector's write barriers, which cost more than
// the sift itself while a collection runs. The items wait in slots.
//
// Most items are due at once (a reader woken for bytes ready now, a step
// after an outcome): those wait in a FIFO beside the heap, in the order
// they came, and skip the sifting. pop takes the smaller of the FIFO's
// first item and the heap's, so the order is the same (t, seq) order.
type queue struct {
	heap  []qent
	slots []item
	free  []int32 // slots not in use

	fifo     []item // items due at one time, in seq order
	fifoHead int    // fifo[fifoHead:] wait
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
func (q *queue) len() int { return len(q.heap) + len(q.fifo) - q.fifoHead }

// next is the time of the first item (len() > 0).
func (q *queue) next() int64 {
	if q.fifoHead < len(q.fifo) {
		if t := q.fifo[q.fifoHead].t; len(q.heap) == 0 || t <= q.heap[0].t {
			return t
		}
	}
	return q.heap[0].t
}

// push adds an item; now is the current time (no item is due before it).
// An item due now, with seq above every waiting one's, joins the FIFO
// when the FIFO holds items of that time only.
func (q *queue) push(it item, now int64) {
	if it.t == now && (q.fifoHead == len(q.fifo) || q.fifo[len(q.fifo)-1].t == now && q.fifo[len(q.fifo)-1].seq < it.seq) {
		if q.fifoHead == len(q.fifo) {
			q.fifo, q.fifoHead = q.fifo[:0], 0
		}
		q.fifo = append(q.fifo, it)
		return
	}
	q.pushHeap(it)
}

func (q *queue) pushHeap(it item) {
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
	if q.fifoHead < len(q.fifo) {
		f := &q.fifo[q.fifoHead]
		if len(q.heap) == 0 || f.t < q.heap[0].t || f.t == q.heap[0].t && f.seq < q.heap[0].seq {
			it := *f
			*f = item{} // the array keeps no closure alive
			q.fifoHead++
			return it
		}
	}
	return q.popHeap()
}

func (q *queue) popHeap() item {
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
	w.q.push(item{t: t, seq: w.qseq, fn: fn}, w.now)
}
