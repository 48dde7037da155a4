package check

// listing keeps a bounded selection of a long sequence for a report: the
// first limit items, the last limit items, and any item the caller asked
// to keep by number. Items are pointers, so that an item may still change
// (a request's outcome comes after its issue) while it is listed.
//
// Memory is 2*limit items plus the kept ones, whatever the length of the
// run; n counts every item that came.
type listing[T any] struct {
	limit int
	head  []*T
	tail  []numbered[T] // a ring of the newest items after the head
	next  int           // where the ring writes next
	kept  []numbered[T]
	keep  map[int]bool // item numbers (from 1) listed whatever limit says
	n     int
}

type numbered[T any] struct {
	no int
	v  *T
}

func newListing[T any](limit int, keep []int) *listing[T] {
	l := &listing[T]{limit: max(limit, 1)}
	if len(keep) > 0 {
		l.keep = make(map[int]bool, len(keep))
		for _, k := range keep {
			l.keep[k] = true
		}
	}
	return l
}

// add lists item number l.n+1.
func (l *listing[T]) add(v *T) {
	l.n++
	it := numbered[T]{l.n, v}
	switch {
	case len(l.head) < l.limit:
		l.head = append(l.head, v)
	case l.keep[l.n]:
		l.kept = append(l.kept, it)
	case len(l.tail) < l.limit:
		l.tail = append(l.tail, it)
	default:
		l.tail[l.next] = it
		l.next = (l.next + 1) % l.limit
	}
}

// items returns the listed items in the order they came, with their
// numbers from 1.
func (l *listing[T]) items() []numbered[T] {
	out := make([]numbered[T], 0, len(l.head)+len(l.tail)+len(l.kept))
	for i, v := range l.head {
		out = append(out, numbered[T]{i + 1, v})
	}
	ring := append(append([]numbered[T](nil), l.tail[l.next:]...), l.tail[:l.next]...)
	kept := l.kept
	for _, it := range ring {
		for len(kept) > 0 && kept[0].no < it.no {
			out = append(out, kept[0])
			kept = kept[1:]
		}
		out = append(out, it)
	}
	return append(out, kept...)
}
