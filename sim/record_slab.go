package sim

// recordSlab hands out pointers to new values from arrays of slabSize: one
// allocation for many small records (an agent reply's origin, an outcome's
// reply reference) that events point to. A value is never handed out twice
// and never changed by the slab after it is handed out: whoever holds the
// pointer (a kept trace) sees it as it was made. An array lives as long as
// any of its values is referred to.
type recordSlab[T any] struct{ rest []T }

const slabSize = 64

// new returns a pointer to a copy of v.
func (s *recordSlab[T]) new(v T) *T {
	if len(s.rest) == 0 {
		s.rest = make([]T, slabSize)
	}
	p := &s.rest[0]
	*p = v
	s.rest = s.rest[1:]
	return p
}
