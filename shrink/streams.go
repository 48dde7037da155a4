package shrink

import (
	"bytes"
	"sort"

	"github.com/qgasim/qgasim/sim/trace"
)

// streams is what a run's trace says of the bytes of each direction: what
// the writer wrote, when, what the reader got for each byte, and where a
// fault added bytes.
type streams struct {
	writes map[string][]write        // by direction, in offset order
	got    map[string]map[int64]byte // delivered value of a writer byte
	added  map[string]map[int64]int  // bytes added right after a writer byte
}

type write struct {
	t    int64
	off  int64
	data []byte
}

func newStreams(events []trace.Event) *streams {
	s := &streams{writes: map[string][]write{}, got: map[string]map[int64]byte{}, added: map[string]map[int64]int{}}
	for _, ev := range events {
		switch ev.Kind {
		case trace.KindHostWrite, trace.KindAgentReply:
			if ev.N > 0 && int64(len(ev.Bytes)) == ev.N {
				s.writes[ev.Dir] = append(s.writes[ev.Dir], write{t: ev.T, off: ev.Off, data: ev.Bytes})
			}
		case trace.KindDeliver:
			got, added := s.got[ev.Dir], s.added[ev.Dir]
			if got == nil {
				got, added = map[int64]byte{}, map[int64]int{}
				s.got[ev.Dir], s.added[ev.Dir] = got, added
			}
			i, last := 0, int64(-1)
			for _, sp := range ev.Src {
				for k := int64(0); k < sp.N && i < len(ev.Bytes); k++ {
					if sp.Off < 0 {
						if last >= 0 {
							added[last]++
						}
					} else {
						got[sp.Off+k] = ev.Bytes[i]
						last = sp.Off + k
					}
					i++
				}
			}
		}
	}
	return s
}

// at is the write that holds writer byte o.
func (s *streams) at(dir string, o int64) (write, bool) {
	ws := s.writes[dir]
	i := sort.Search(len(ws), func(i int) bool { return ws[i].off+int64(len(ws[i].data)) > o })
	if i < len(ws) && ws[i].off <= o {
		return ws[i], true
	}
	return write{}, false
}

func (s *streams) byteAt(dir string, o int64) (byte, bool) {
	w, ok := s.at(dir, o)
	if !ok {
		return 0, false
	}
	return w.data[o-w.off], true
}

// writeStart is the offset of the first byte of the write that holds o.
func (s *streams) writeStart(dir string, o int64) (int64, bool) {
	w, ok := s.at(dir, o)
	return w.off, ok
}

// maxPattern bounds the bytes a pattern names.
const maxPattern = 512

// pattern is the bytes written up to writer byte o (included) that tell
// it apart from every other byte written at time t in that direction: a
// trigger `on` them, in a window at t, fires at o and nowhere else.
// (A match may begin in bytes written earlier.)
func (s *streams) pattern(dir string, o, t int64) ([]byte, bool) {
	// The bytes written at t, up to o.
	ws := s.writes[dir]
	i := sort.Search(len(ws), func(i int) bool { return ws[i].off+int64(len(ws[i].data)) > o })
	if i == len(ws) || ws[i].off > o || ws[i].t != t {
		return nil, false
	}
	first := i
	for first > 0 && ws[first-1].t == t && ws[first-1].off+int64(len(ws[first-1].data)) == ws[first].off {
		first--
	}
	last := i
	for last+1 < len(ws) && ws[last+1].t == t && ws[last].off+int64(len(ws[last].data)) == ws[last+1].off {
		last++
	}
	var region []byte // every byte written at t
	for j := first; j <= last; j++ {
		region = append(region, ws[j].data...)
	}
	self := int(o - ws[first].off) // o's place in region
	// A match may begin in bytes written before t: they come first, and
	// a match that ends in them does not count (it ends before t).
	var before []byte
	for j := first - 1; j >= 0 && len(before) < maxPattern; j-- {
		before = append(append([]byte(nil), ws[j].data...), before...)
	}
	if len(before) > maxPattern {
		before = before[len(before)-maxPattern:]
	}
	all := append(before, region...)
	self += len(before)
	// The shortest run of bytes ending at o that ends nowhere else in the
	// bytes written at t: a trigger on it fires at o, or, if the bytes
	// have changed, not at all.
	for n := 1; n <= self+1 && n <= maxPattern; n++ {
		pat := all[self+1-n : self+1]
		unique := true
		for end := len(before); end < len(all); end++ {
			if end != self && end+1 >= n && bytes.Equal(all[end+1-n:end+1], pat) {
				unique = false
				break
			}
		}
		if unique {
			return append([]byte(nil), pat...), true
		}
	}
	return nil, false
}

// maxSlack is how far a firing fixed to bytes may move in time and still
// meet them: a shrink removes faults and steps, and what comes after moves.
const maxSlack = int64(2e9)

// window is the time around t in which pat, written in direction dir up
// to writer byte o, occurs only there: from just after the write that
// holds its previous occurrence (or t - maxSlack) to the write of its next
// one (or t + maxSlack). A trigger on pat in that window, fired once,
// meets those bytes even if they come a little earlier or later.
func (s *streams) window(dir string, pat []byte, o, t int64) (from, until int64) {
	from, until = max(t-maxSlack, 0), t+maxSlack
	ws := s.writes[dir]
	i := sort.Search(len(ws), func(i int) bool { return ws[i].off+int64(len(ws[i].data)) > o })
	if i == len(ws) {
		return t, t + 1
	}
	// Occurrences are looked for in the bytes of the writes in the time
	// range, joined: a pattern may span writes.
	lo, hi := i, i
	for lo > 0 && ws[lo-1].t >= from {
		lo--
	}
	for hi+1 < len(ws) && ws[hi+1].t <= until {
		hi++
	}
	var stream []byte
	var starts []int // where each write begins in stream
	for j := lo; j <= hi; j++ {
		starts = append(starts, len(stream))
		stream = append(stream, ws[j].data...)
	}
	writeOf := func(end int) int { // the write that holds stream[end]
		k := sort.Search(len(starts), func(k int) bool { return starts[k] > end }) - 1
		return lo + k
	}
	self := starts[i-lo] + int(o-ws[i].off)
	for k := 0; k+len(pat) <= len(stream); {
		j := bytes.Index(stream[k:], pat)
		if j < 0 {
			break
		}
		end := k + j + len(pat) - 1
		k += j + 1
		if end == self {
			continue
		}
		w := ws[writeOf(end)]
		switch {
		case end < self && w.t >= from:
			from = w.t + 1
		case end > self && w.t < until:
			until = w.t
		}
	}
	if from > t {
		from = t // an earlier occurrence at the same time: fixed to t
	}
	if until <= t {
		until = t + 1
	}
	return from, until
}

// mask is the bits a fault flipped in writer byte o, from what the
// reader got.
func (s *streams) mask(dir string, o int64) (byte, bool) {
	w, ok := s.byteAt(dir, o)
	if !ok {
		return 0, false
	}
	g, ok := s.got[dir][o]
	if !ok || g == w {
		return 0, false
	}
	return g ^ w, true
}

// copied are the writer bytes written at time t after which the reader
// got bytes a fault added, up to n of them (one per added byte).
func (s *streams) copied(dir string, t int64, n int) []int64 {
	var out []int64
	for _, w := range s.writes[dir] {
		if w.t != t {
			continue
		}
		for o := w.off; o < w.off+int64(len(w.data)) && len(out) < n; o++ {
			for k := 0; k < s.added[dir][o] && len(out) < n; k++ {
				out = append(out, o)
			}
		}
	}
	return out
}
