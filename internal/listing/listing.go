// Package listing keeps a bounded selection of a long sequence for a
// report: its first items, its last items, and the items a caller asked for
// by number. A report of a run of any length lists what a reader looks at
// (how it began, how it ended, what an expectation names) and counts the
// rest, in memory that does not grow with the run.
package listing

// List keeps the first Limit items, the last Limit items, and the items
// whose numbers were given to New, of a sequence numbered from 1. Items are
// pointers, so that an item may still change (a request's outcome comes
// after its issue) while it is listed.
type List[T any] struct {
	limit int
	head  []*T
	tail  []Item[T] // a ring of the newest items after the head
	next  int       // where the ring writes next
	kept  []Item[T]
	keep  map[int]bool
	n     int
}

// Item is a listed item and its number in the sequence, from 1.
type Item[T any] struct {
	No int
	V  *T
}

// New returns a List that keeps limit items from each end (at least one)
// and the items numbered keep.
func New[T any](limit int, keep ...int) *List[T] {
	l := &List[T]{limit: max(limit, 1)}
	if len(keep) > 0 {
		l.keep = make(map[int]bool, len(keep))
		for _, k := range keep {
			l.keep[k] = true
		}
	}
	return l
}

// Add lists the next item (number Len()+1) if it is kept, and counts it.
func (l *List[T]) Add(v *T) {
	l.n++
	it := Item[T]{l.n, v}
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

// Len is the number of items added.
func (l *List[T]) Len() int { return l.n }

// Items returns the listed items in the order they came.
func (l *List[T]) Items() []Item[T] {
	out := make([]Item[T], 0, len(l.head)+len(l.tail)+len(l.kept))
	for i, v := range l.head {
		out = append(out, Item[T]{i + 1, v})
	}
	ring := append(append([]Item[T](nil), l.tail[l.next:]...), l.tail[:l.next]...)
	kept := l.kept
	for _, it := range ring {
		for len(kept) > 0 && kept[0].No < it.No {
			out = append(out, kept[0])
			kept = kept[1:]
		}
		out = append(out, it)
	}
	return append(out, kept...)
}
