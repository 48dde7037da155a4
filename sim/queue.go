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
// box every item in an interface).
type queue []item

func (q queue) less(i, j int) bool {
	if q[i].t != q[j].t {
		return q[i].t < q[j].t
	}
	return q[i].seq < q[j].seq
}

func (q *queue) push(it item) {
	*q = append(*q, it)
	h := *q
	for i := len(h) - 1; i > 0; {
		p := (i - 1) / 2
		if !h.less(i, p) {
			break
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
}

func (q *queue) pop() item {
	h := *q
	top := h[0]
	n := len(h) - 1
	h[0] = h[n]
	h[n] = item{}
	h = h[:n]
	for i := 0; ; {
		l := 2*i + 1
		if l >= n {
			break
		}
		m := l
		if r := l + 1; r < n && h.less(r, l) {
			m = r
		}
		if !h.less(m, i) {
			break
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
	*q = h
	return top
}

// at schedules fn at virtual time t (never before now).
func (w *World) at(t int64, fn func()) {
	if t < w.now {
		t = w.now
	}
	w.qseq++
	w.q.push(item{t: t, seq: w.qseq, fn: fn})
}
