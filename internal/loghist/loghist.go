package loghist

import (
	"math/bits"
	"sort"
)

// Scale is the number of bits below which every value has a bucket of
// its own; past it a power of two has 1<<(Scale-1) buckets. It must be
// at least 2.
type Scale uint

// Bucket maps v to its bucket; negative values count as 0.
func (s Scale) Bucket(v int64) int {
	if v < 1<<s {
		return int(max(v, 0))
	}
	e := bits.Len64(uint64(v)) - int(s) // v>>e is in [1<<(s-1), 1<<s)
	return 1<<s + (e-1)<<(s-1) + int(uint64(v)>>e) - 1<<(s-1)
}

// Range is the lowest value of bucket k and its width.
func (s Scale) Range(k int) (lo, width int64) {
	if k < 1<<s {
		return int64(k), 1
	}
	k -= 1 << s
	e := k>>(s-1) + 1
	m := int64(k&(1<<(s-1)-1) + 1<<(s-1))
	return m << e, 1 << e
}

// Median is the middle of the bucket that holds the value of rank n/2
// (from 0) in sorted order, where counts holds n values in all; 0 when n
// is 0 (or when the counts add up to less than n).
func (s Scale) Median(counts map[int]uint64, n uint64) int64 {
	if n == 0 {
		return 0
	}
	keys := make([]int, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	rank := n / 2
	for _, k := range keys {
		if rank < counts[k] {
			lo, width := s.Range(k)
			return lo + width/2
		}
		rank -= counts[k]
	}
	return 0
}
