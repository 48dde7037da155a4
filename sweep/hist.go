package sweep

import (
	"math/bits"
	"sort"
)

// histogram counts durations (ns) in log-linear buckets: one bucket per
// nanosecond below 2048, then 1024 buckets per power of two, so that a
// bucket is less than 0.1 % of its values wide. Its memory is bounded by
// the number of buckets in use (at most 64 x 1024), however many values
// it counts, and two histograms add up: the median of a sweep's shards
// is the median of the whole.
type histogram struct {
	n       uint64
	buckets map[int]uint64
}

const subBits = 11 // values below 1<<subBits have a bucket each

func (h *histogram) add(v int64) {
	if h.buckets == nil {
		h.buckets = map[int]uint64{}
	}
	h.buckets[bucketOf(v)]++
	h.n++
}

// median is the middle of the bucket that holds the value of rank n/2
// (from 0) in sorted order, within 0.1 %; 0 when empty.
func (h *histogram) median() int64 {
	if h.n == 0 {
		return 0
	}
	keys := make([]int, 0, len(h.buckets))
	for k := range h.buckets {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	rank := h.n / 2
	for _, k := range keys {
		if rank < h.buckets[k] {
			lo, width := bucketRange(k)
			return lo + width/2
		}
		rank -= h.buckets[k]
	}
	return 0 // not reached: the counts add up to n
}

// bucketOf maps v to its bucket; negative values count as 0.
func bucketOf(v int64) int {
	if v < 1<<subBits {
		return int(max(v, 0))
	}
	e := bits.Len64(uint64(v)) - subBits // v>>e is in [1<<(subBits-1), 1<<subBits)
	return 1<<subBits + (e-1)<<(subBits-1) + int(uint64(v)>>e) - 1<<(subBits-1)
}

// bucketRange is the lowest value of bucket k and its width.
func bucketRange(k int) (lo, width int64) {
	if k < 1<<subBits {
		return int64(k), 1
	}
	k -= 1 << subBits
	e := k>>(subBits-1) + 1
	m := int64(k&(1<<(subBits-1)-1) + 1<<(subBits-1))
	return m << e, 1 << e
}
