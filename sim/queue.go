package sim

import "slices"

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

// queue holds the items waiting, in (t, seq) order.
//
// Most items are due at once (a reader woken for bytes ready now, a step
// after an outcome): those wait in a FIFO, in the order they came, and
// skip any sorting. pop takes the smaller of the FIFO's first item and the
// timed one's, so the order is the same (t, seq) order.
//
// The timed items are rarely more than ten: they wait in an array sorted
// latest first, so that pop takes the last, and a push walks back from
// the end (a new item is most often a reader's wake-up, due before the
// others). Past smallTimed items (a trigger piling up actions) the array,
// reversed, becomes a binary min-heap until it empties, so that no
// pattern of pushes costs more than log n each. Hand written:
// container/heap would box every item in an interface.
//
// The sorted array and the heap hold only times, sequence numbers and slot
// numbers, no pointers: moving entries needs none of the garbage
// collector's write barriers, which cost more than the move while a
// collection runs. The items wait in slots.
type queue struct {
	timed []qent // sorted latest first, or a heap (big)
	big   bool
	slots []item
	free  []int32 // slots not in use

	fifo     []item // items due at one time, in seq order
	fifoHead int    // fifo[fifoHead:] wait
}

// smallTimed is how many timed items the sorted array holds before it
// turns into a heap.
const smallTimed = 32

// qent is a timed entry: when, in which order, and the item's slot.
type qent struct {
	t, seq int64
	slot   int32
}

func (a *qent) before(b *qent) bool { return a.t < b.t || a.t == b.t && a.seq < b.seq }

// before: item a runs before entry b.
func (a *item) before(b *qent) bool { return a.t < b.t || a.t == b.t && a.seq < b.seq }

func (q *queue) less(i, j int) bool { return q.timed[i].before(&q.timed[j]) }

// len is the number of items waiting.
func (q *queue) len() int { return len(q.timed) + len(q.fifo) - q.fifoHead }

// first is the first timed entry (there is one).
func (q *queue) first() *qent {
	if q.big {
		return &q.timed[0]
	}
	return &q.timed[len(q.timed)-1]
}

// next is the time of the first item (len() > 0).
func (q *queue) next() int64 {
	if q.fifoHead < len(q.fifo) {
		if t := q.fifo[q.fifoHead].t; len(q.timed) == 0 || t <= q.first().t {
			return t
		}
	}
	return q.first().t
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
	q.pushTimed(it)
}

func (q *queue) pushTimed(it item) {
	var slot int32
	if n := len(q.free); n > 0 {
		slot = q.free[n-1]
		q.free = q.free[:n-1]
		q.slots[slot] = it
	} else {
		slot = int32(len(q.slots))
		q.slots = append(q.slots, it)
	}
	e := qent{t: it.t, seq: it.seq, slot: slot}
	if !q.big && len(q.timed) >= smallTimed {
		slices.Reverse(q.timed)
		q.big = true
	}
	if q.big {
		q.pushHeap(e)
		return
	}
	h := append(q.timed, e)
	i := len(h) - 1
	for i > 0 && h[i-1].before(&e) {
		i--
	}
	if i < len(h)-1 {
		copy(h[i+1:], h[i:len(h)-1])
		h[i] = e
	}
	q.timed = h
}

func (q *queue) pushHeap(e qent) {
	q.timed = append(q.timed, e)
	h := q.timed
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
		if len(q.timed) == 0 || f.before(q.first()) {
			it := *f
			*f = item{} // the array keeps no closure alive
			q.fifoHead++
			return it
		}
	}
	var slot int32
	if q.big {
		slot = q.popHeap()
		q.big = len(q.timed) > 0
	} else {
		n := len(q.timed) - 1
		slot = q.timed[n].slot
		q.timed = q.timed[:n]
	}
	it := q.slots[slot]
	q.slots[slot] = item{}
	q.free = append(q.free, slot)
	return it
}

// popHeap takes the heap's first entry and returns its slot.
func (q *queue) popHeap() int32 {
	h := q.timed
	top := h[0]
	n := len(h) - 1
	h[0] = h[n]
	h = h[:n]
	q.timed = h
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
	return top.slot
}

// at schedules fn at virtual time t (never before now).
func (w *World) at(t int64, fn func()) {
	if t < w.now {
		t = w.now
	}
	w.qseq++
	w.q.push(item{t: t, seq: w.qseq, fn: fn}, w.now)
}
