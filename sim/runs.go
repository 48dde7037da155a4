package sim

import "sort"

// srcRun says that the n bytes of a reader's stream from offset at came from
// the writer's stream from offset src (src < 0: bytes no writer wrote, -1
// added by a fault, -2 fed by the World itself).
type srcRun struct{ at, src, n int64 }

// runs maps a reader's stream back to the writer's, run by run (not byte by
// byte: a run is one span of a delivery).
type runs struct {
	list []srcRun
	end  int64 // the reader's offset after the last run
}

func (r *runs) reset() { r.list, r.end = r.list[:0], 0 }

// add appends bytes read, given their writer offsets per span.
func (r *runs) add(src int64, n int64) {
	if n <= 0 {
		return
	}
	if k := len(r.list); k > 0 {
		last := &r.list[k-1]
		if (src >= 0 && last.src >= 0 && last.src+last.n == src) || (src < 0 && last.src == src) {
			last.n += n
			r.end += n
			return
		}
	}
	r.list = append(r.list, srcRun{at: r.end, src: src, n: n})
	r.end += n
}

// srcOf returns the writer offset of reader byte i (negative for added or
// internal bytes), and false when i was never read.
func (r *runs) srcOf(i int64) (int64, bool) {
	if i < 0 || i >= r.end {
		return 0, false
	}
	k := sort.Search(len(r.list), func(k int) bool { return r.list[k].at+r.list[k].n > i })
	x := r.list[k]
	if x.src < 0 {
		return x.src, true
	}
	return x.src + (i - x.at), true
}
