package check

import (
	"math/bits"
	"sort"
)

// exactSamples is how many durations are kept as they are; past it the
// median comes from a histogram whose buckets are 1/512 of their value
// wide (a median within 0.2 %), so that memory stays the same however
// many episodes a run has.
const exactSamples = 1 << 14

// durations gives the median and the maximum of a stream of durations.
type durations struct {
	exact []int64
	hist  map[int]int64 // bucket -> count, once exact overflowed
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
		d.hist = map[int]int64{}
		for _, x := range d.exact {
			d.hist[bucketOf(x)]++
		}
		d.exact = nil
	}
	d.hist[bucketOf(v)]++
}

// median is the element of rank n/2 (from 0) in sorted order; approx says
// it is a histogram bucket's middle rather than a sample.
func (d *durations) median() (m int64, approx bool) {
	if d.n == 0 {
		return 0, false
	}
	if d.hist == nil {
		s := append([]int64(nil), d.exact...)
		sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
		return s[len(s)/2], false
	}
	keys := make([]int, 0, len(d.hist))
	for k := range d.hist {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	rank := d.n / 2
	for _, k := range keys {
		if rank < d.hist[k] {
			lo, width := bucketRange(k)
			return min(lo+width/2, d.max), true
		}
		rank -= d.hist[k]
	}
	return d.max, true
}

const subBits = 10 // values below 1<<subBits have a bucket each

// bucketOf maps v >= 0 to a log-linear bucket: exact below 1024, then 512
// buckets per power of two.
func bucketOf(v int64) int {
	if v < 1<<subBits {
		return int(max(v, 0))
	}
	e := bits.Len64(uint64(v)) - subBits // v>>e is in [512, 1024)
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
