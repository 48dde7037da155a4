package sim

// slab hands out small pieces of memory from bigger blocks, for what the
// agent process makes per reply and others may keep (a reply's bytes, its
// origin: the trace, the link and the oracle may hold on to them). A block
// is never reused: a full one is left to the garbage collector, and so to
// whoever still refers to a piece of it; pieces are never written again
// once handed out. One allocation serves a block's worth of replies
// instead of one each, and memory stays what the pieces still referred to
// hold, plus one block.
//
// Blocks start at a sixteenth of n and double up to n, so that a short run
// does not pay for a large one.
type slab[T any] struct {
	block []T
	n     int // elements in a full-size block (at least one)
	next  int // elements in the next block
}

func newSlab[T any](n int) slab[T] { return slab[T]{n: n, next: max(n/16, 1)} }

// copy returns a copy of b in the slab, with no room to append into; an
// empty b gives nil, as append([]T(nil), b...) does.
func (s *slab[T]) copy(b []T) []T {
	if len(b) == 0 {
		return nil
	}
	if cap(s.block)-len(s.block) < len(b) {
		s.block = make([]T, 0, max(s.next, len(b)))
		s.next = min(2*s.next, s.n)
	}
	start := len(s.block)
	s.block = append(s.block, b...)
	return s.block[start:len(s.block):len(s.block)]
}
