package loghist

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"
)

// TestBucketsTileTheValues: for each scale, every value lies in the range
// of its bucket, consecutive values never go to an earlier bucket, a
// bucket starts where the previous one ends, and a bucket past 1<<s is
// narrower than 1/(1<<(s-1)) of its values.
func TestBucketsTileTheValues(t *testing.T) {
	for _, s := range []Scale{2, 10, 11} {
		var probes []int64
		for e := 0; e < 63; e++ {
			for _, d := range []int64{-1, 0, 1} {
				if v := int64(1)<<e + d; v >= 0 {
					probes = append(probes, v)
				}
			}
		}
		probes = append(probes, math.MaxInt64, math.MaxInt64-1)
		for _, v := range probes {
			k := s.Bucket(v)
			lo, w := s.Range(k)
			if v < lo || v-lo >= w {
				t.Fatalf("scale %d: %d in bucket %d = [%d, +%d)", s, v, k, lo, w)
			}
			if v >= 1<<s && w<<(s-1) > v {
				t.Fatalf("scale %d: %d in a bucket %d wide", s, v, w)
			}
			if k > 0 {
				plo, pw := s.Range(k - 1)
				if plo+pw != lo {
					t.Fatalf("scale %d: bucket %d ends at %d, bucket %d starts at %d", s, k-1, plo+pw, k, lo)
				}
			}
			if v > 0 && s.Bucket(v-1) > k {
				t.Fatalf("scale %d: %d goes to bucket %d, %d to %d", s, v-1, s.Bucket(v-1), v, k)
			}
		}
		if s.Bucket(-5) != 0 {
			t.Fatalf("scale %d: a negative value goes to bucket %d", s, s.Bucket(-5))
		}
	}
}

// TestBucketNumbers pins the numbering, on which reported medians depend.
func TestBucketNumbers(t *testing.T) {
	for _, c := range []struct {
		s    Scale
		v    int64
		want int
	}{
		{10, 1023, 1023}, {10, 1024, 1024}, {10, 2047, 1535}, {10, 2048, 1536},
		{11, 2047, 2047}, {11, 2048, 2048}, {11, 4096, 3072},
	} {
		if got := c.s.Bucket(c.v); got != c.want {
			t.Errorf("scale %d: Bucket(%d) = %d, want %d", c.s, c.v, got, c.want)
		}
	}
}

// TestMedian: the median of the counts is within a bucket's width of the
// exact median, and 0 with no values.
func TestMedian(t *testing.T) {
	const s Scale = 10
	if m := s.Median(nil, 0); m != 0 {
		t.Fatalf("empty median %d", m)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	counts := map[int]uint64{}
	var vals []int64
	for i := 0; i < 5001; i++ {
		v := rng.Int64N(1e9)
		vals = append(vals, v)
		counts[s.Bucket(v)]++
	}
	sort.Slice(vals, func(i, j int) bool { return vals[i] < vals[j] })
	exact := vals[len(vals)/2]
	lo, w := s.Range(s.Bucket(exact))
	if got := s.Median(counts, uint64(len(vals))); got != lo+w/2 {
		t.Fatalf("median %d, want the middle of [%d, +%d) around %d", got, lo, w, exact)
	}
	if got := s.Median(map[int]uint64{3: 1}, 1); got != 3 {
		t.Fatalf("median of one exact value %d", got)
	}
}
