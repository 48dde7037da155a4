package sweep

import "github.com/qgasim/qgasim/internal/loghist"

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

// scale gives a bucket to each value below 2048, then 1024 per power of two.
const scale loghist.Scale = 11

func (h *histogram) add(v int64) {
	if h.buckets == nil {
		h.buckets = map[int]uint64{}
	}
	h.buckets[scale.Bucket(v)]++
	h.n++
}

// median is the middle of the bucket that holds the value of rank n/2
// (from 0) in sorted order, within 0.1 %; 0 when empty.
func (h *histogram) median() int64 {
	return scale.Median(h.buckets, h.n)
}
