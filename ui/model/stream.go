package model

import (
	"sort"

	"github.com/qgasim/qgasim/sim/trace"
	"github.com/qgasim/qgasim/ui/bytefmt"
)

// SegKind is what a segment of a byte pane is.
type SegKind uint8

// Segment kinds.
const (
	SegWrite  SegKind = iota + 1 // one write on the channel: the host's, or an agent reply
	SegAdded                     // bytes a fault added, at the point they were delivered
	SegMarker                    // a line of text: a fault, a restart, a connect, a close
)

// Segment is one unit of a byte pane: a write with its bytes and what
// happened to each, or a marker line.
type Segment struct {
	Kind   SegKind
	T, Seq int64  // when it was written (or happened), and the event
	Label  string // the write's label, or the marker's text
	Glyph  rune   // a marker's symbol: '✗' fault, 'R' restart, '+' connect, '-' close, '=' hold

	Off   int64           // writer-stream offset of Bytes[0]; -1 for added bytes
	Bytes []byte          // as written
	Flags []bytefmt.Flags // one per byte
	// NewVal holds the delivered value of bytes a fault changed, by index.
	NewVal map[int]byte

	Req        int   // host write: the caller request carried (0: the client's own bytes)
	Conn       int   // host write: the connection
	Inc        int   // agent reply: the agent process
	ASeq       int64 // agent reply: the message number
	Cmd        string
	OriginReq  int  // agent reply: the request whose bytes completed the message
	OriginNone bool // agent reply: completed by bytes no host wrote
}

// Class is the class of byte i.
func (s *Segment) Class(i int) bytefmt.Class { return bytefmt.ClassOf(s.Flags[i], s.Bytes[i]) }

// delivery is one link.deliver, kept for the story of a byte and to map the
// host's received offsets back to the agent's written ones.
type delivery struct {
	T, Seq int64
	ROff   int64 // reader-stream offset of the first byte
	N      int64
	Src    []trace.Span
	Inc    int
	Conn   int
}

// Stream is one direction of the link as the panes show it.
type Stream struct {
	Dir  string
	Segs []*Segment

	writes   []*Segment // the SegWrite segments, by offset, for lookups
	kept     int64      // bytes held in Segs
	delivers []delivery
	limits   Limits

	// Totals over the whole run.
	Written, Delivered, Lost, Changed, Added int64
	// Evicted counts the segments dropped from the front of the window.
	Evicted int64
}

func newStream(dir string, l Limits) *Stream { return &Stream{Dir: dir, limits: l} }

func (s *Stream) add(seg *Segment) {
	s.Segs = append(s.Segs, seg)
	s.kept += int64(len(seg.Bytes))
	if seg.Kind == SegWrite {
		s.writes = append(s.writes, seg)
	}
	s.evict()
}

// evict drops the oldest segments once the window is over its limits,
// down to three quarters of them so that the copy is paid once per many
// adds; the newest segment always stays, however big.
func (s *Stream) evict() {
	if s.kept <= s.limits.StreamBytes && len(s.Segs) <= s.limits.StreamSegments {
		return
	}
	maxBytes, maxSegs := s.limits.StreamBytes*3/4, s.limits.StreamSegments*3/4
	drop := 0
	kept := s.kept
	for drop < len(s.Segs)-1 && (kept > maxBytes || len(s.Segs)-drop > maxSegs) {
		kept -= int64(len(s.Segs[drop].Bytes))
		drop++
	}
	if drop == 0 {
		return
	}
	w := 0
	for w < len(s.writes) && s.writes[w].Seq <= s.Segs[drop-1].Seq && s.writes[w] != s.Segs[drop] {
		w++
	}
	// Copy rather than reslice so that the old backing arrays can go.
	s.Segs = append([]*Segment(nil), s.Segs[drop:]...)
	s.writes = append([]*Segment(nil), s.writes[w:]...)
	s.kept = kept
	s.Evicted += int64(drop)
}

func (s *Stream) addDelivery(d delivery) {
	s.delivers = append(s.delivers, d)
	if n := len(s.delivers); n > 2*s.limits.Deliveries {
		s.delivers = append([]delivery(nil), s.delivers[n-s.limits.Deliveries:]...)
	}
}

// locate finds the byte at writer offset off: its segment and index.
func (s *Stream) locate(off int64) (*Segment, int) {
	i := sort.Search(len(s.writes), func(i int) bool {
		w := s.writes[i]
		return w.Off+int64(len(w.Bytes)) > off
	})
	if i < len(s.writes) && s.writes[i].Off <= off {
		return s.writes[i], int(off - s.writes[i].Off)
	}
	return nil, 0
}

// mark sets flags on every kept byte of the spans (offset -1 is skipped:
// added bytes are their own segments).
func (s *Stream) mark(spans []trace.Span, f bytefmt.Flags) {
	for _, sp := range spans {
		if sp.Off < 0 {
			continue
		}
		for o := sp.Off; o < sp.Off+sp.N; {
			seg, i := s.locate(o)
			if seg == nil {
				o++
				continue
			}
			for ; i < len(seg.Bytes) && o < sp.Off+sp.N; i, o = i+1, o+1 {
				seg.Flags[i] |= f
			}
		}
	}
}

// readerToWriter maps an offset in the reader's stream to the writer-stream
// offset it came from: -1 for a byte a fault added, and ok false when the
// delivery is no longer kept.
func (s *Stream) readerToWriter(r int64) (w int64, d *delivery, ok bool) {
	i := sort.Search(len(s.delivers), func(i int) bool { return s.delivers[i].ROff+s.delivers[i].N > r })
	if i == len(s.delivers) || s.delivers[i].ROff > r {
		return 0, nil, false
	}
	d = &s.delivers[i]
	k := r - d.ROff
	for _, sp := range d.Src {
		if k < sp.N {
			if sp.Off < 0 {
				return -1, d, true
			}
			return sp.Off + k, d, true
		}
		k -= sp.N
	}
	return 0, nil, false
}

// deliveryOf finds the kept delivery that carried writer offset w.
func (s *Stream) deliveryOf(w int64) (*delivery, int64) {
	for i := len(s.delivers) - 1; i >= 0; i-- {
		d := &s.delivers[i]
		r := d.ROff
		for _, sp := range d.Src {
			if sp.Off >= 0 && w >= sp.Off && w < sp.Off+sp.N {
				return d, r + (w - sp.Off)
			}
			r += sp.N
		}
	}
	return nil, 0
}

// reply finds a kept agent reply segment.
func (s *Stream) reply(inc int, aseq int64) *Segment {
	for i := len(s.writes) - 1; i >= 0; i-- {
		if w := s.writes[i]; w.Inc == inc && w.ASeq == aseq {
			return w
		}
	}
	return nil
}
