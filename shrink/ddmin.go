package shrink

// ddmin finds a small subset of n items for which the candidate still
// fails the same way (delta debugging, after Zeller and Hildebrandt,
// "Simplifying and Isolating Failure-Inducing Input", 2002): it tries
// removing the whole set, then each half, each quarter... down to each
// item, keeping every removal that still fails. build makes the candidate
// of a subset (sorted indices). The result is 1-minimal: removing any one
// item of it loses the failure. Several removals are tried at once (the
// tester's jobs); the first that fails, in order, is kept, so the result
// does not depend on how many run at once.
func (s *shrinker) ddmin(n int, build func(keep []int) cand) []int {
	cur := allIdx(n)
	if n == 0 {
		return cur
	}
	if s.t.holds(build(nil)) {
		return nil
	}
	for size := max(len(cur)/2, 1); ; size = max(size/2, 1) {
		for i := 0; i < len(cur) && s.t.ctx.Err() == nil; {
			// The next removals of size items, from i on.
			var cands []cand
			var starts []int
			for j := i; j < len(cur) && len(cands) < s.t.jobs; j += size {
				end := min(j+size, len(cur))
				if end-j == len(cur) {
					break // removing everything was tried first
				}
				keep := append(append([]int(nil), cur[:j]...), cur[end:]...)
				cands = append(cands, build(keep))
				starts = append(starts, j)
			}
			if len(cands) == 0 {
				break
			}
			k := s.t.first(cands)
			if k < 0 {
				i = starts[len(starts)-1] + size
				continue
			}
			j := starts[k]
			cur = append(cur[:j:j], cur[min(j+size, len(cur)):]...)
			i = j
		}
		if size == 1 || s.t.ctx.Err() != nil {
			break
		}
	}
	return cur
}

// complement is s without the items of c (both sorted).
func complement(s, c []int) []int {
	out := make([]int, 0, len(s)-len(c))
	j := 0
	for _, x := range s {
		if j < len(c) && c[j] == x {
			j++
			continue
		}
		out = append(out, x)
	}
	return out
}
