// Package loghist is the bucket arithmetic of a log-linear histogram of
// non-negative integers (durations in nanoseconds): every value below
// 1<<Scale has a bucket of its own, and past that each power of two is cut
// into 1<<(Scale-1) buckets of equal width, so that a bucket is less than
// 1/(1<<(Scale-1)) of its values wide. A histogram kept as counts per
// bucket has a memory bounded by the buckets in use (fewer than
// 1<<Scale + 64<<(Scale-1) for int64 values), however many values it
// counts, and two such histograms of the same Scale add up bucket by
// bucket.
//
// The counts themselves stay with the caller (the oracle's resync times,
// a sweep's table), which decide how exact they need to be: the Scale is
// theirs to choose, and a given Scale always gives the same buckets, so a
// median reported by one is reproducible.
package loghist
