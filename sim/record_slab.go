package sim

// recordSlab hands out pointers to new values from arrays of slabSize: one
// allocation for many small records (an agent reply's origin, an outcome's
// reply reference) that events point to. A value is never handed out twice
// and never changed by the slab after it is handed out: whoever holds the
// pointer (a kept trace) sees it as it was made. An array lives as long as
// any of its values is referred to.
//
// Arrays start small and double up to slabSize, so that a short run (a
// sweep of a few requests a seed) does not pay for a large one.
type recordSlab[T any] struct {
	rest []T
	size int // of the last array
}

const slabSize = 64

// new returns a pointer to a copy of v.
func (s *recordSlab[T]) new(v T) *T {
	if len(s.rest) == 0 {
		s.size = min(max(2*s.size, 4), slabSize)
		s.rest = make([]T, s.size)
	}
	p := &s.rest[0]
	*p = v
	s.rest = s.rest[1:]
	return p
}
