package check

import (
	"slices"

	"github.com/qgasim/qgasim/internal/loghist"
)

// exactSamples is how many durations are kept as they are; past it the
// median comes from a histogram whose buckets are 1/512 of their value
// wide (a median within 0.2 %), so that memory stays the same however
// many episodes a run has.
const exactSamples = 1 << 14

// scale cuts the histogram's durations into buckets 1/512 of their value
// wide.
const scale loghist.Scale = 10

// durations gives the median and the maximum of a stream of durations.
type durations struct {
	exact []int64
	hist  map[int]uint64 // scale bucket -> count, once exact overflowed
	n     int64
	max   int64
}

func (d *durations) add(v int64) {
	d.n++
	d.max = max(d.max, v)
	if d.hist == nil && len(d.exact) < exactSamples {
		d.exact = append(d.exact, v)
		return
	}
	if d.hist == nil {
		d.hist = map[int]uint64{}
		for _, x := range d.exact {
			d.hist[scale.Bucket(x)]++
		}
		d.exact = nil
	}
	d.hist[scale.Bucket(v)]++
}

// median is the element of rank n/2 (from 0) in sorted order; approx says
// it is a histogram bucket's middle rather than a sample.
func (d *durations) median() (m int64, approx bool) {
	if d.n == 0 {
		return 0, false
	}
	if d.hist == nil {
		s := slices.Clone(d.exact)
		slices.Sort(s)
		return s[len(s)/2], false
	}
	return min(scale.Median(d.hist, uint64(d.n)), d.max), true
}
