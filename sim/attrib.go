package sim

import (
	"bytes"
	"sort"
	"time"

	"github.com/qgasim/qgasim/sim/client"
	"github.com/qgasim/qgasim/sim/link"
	"github.com/qgasim/qgasim/sim/trace"
)

// DefaultRebootDown is how long a guest-shutdown mode=reboot keeps the
// agent down (the lab's guest answered 5 s after boot).
const DefaultRebootDown = 5 * time.Second

// writeRec is one host write: its range of the h2a writer stream.
type writeRec struct {
	off, n int64
	req    int
	conn   int
	what   string
}

// replyRec is one agent reply: its range of the a2h writer stream.
type replyRec struct {
	off, n     int64
	inc        int
	aseq       int64
	originReq  int
	originConn int
	cmd        string
}

// byteLog is a stream's bytes from offset base on.
type byteLog struct {
	base int64
	data []byte
}

func (l *byteLog) end() int64        { return l.base + int64(len(l.data)) }
func (l *byteLog) append(b []byte)   { l.data = append(l.data, b...) }
func (l *byteLog) kept(i int64) bool { return i >= l.base && i < l.end() }
func (l *byteLog) at(i int64) byte   { return l.data[i-l.base] }

// forget drops the bytes below offset low.
func (l *byteLog) forget(low int64) {
	low = min(low, l.end())
	if low > l.base {
		l.data = dropFront(l.data, int(low-l.base))
		l.base = low
	}
}

// attribution is what the World remembers to say whose bytes an agent
// message and a caller's reply were: the host writes by h2a offset, the
// agent replies by a2h offset, the a2h bytes as written, and what the
// client received with where each byte came from.
//
// It keeps only what a later question can ask about, so that its size
// follows the bytes in flight and not the length of the run: host writes
// the agent has read past (an origin is asked about when the agent reads
// the byte that ends a message), received bytes the client no longer holds
// (client.Retainer), and replies and a2h bytes behind both.
type attribution struct {
	refs    recordSlab[trace.ReplyRef] // the outcomes' reply references
	writes  []writeRec                 // by h2a offset
	replies []replyRec                 // by a2h offset
	a2h     byteLog                    // the agent's a2h stream as written
	recv    byteLog                    // everything the client received
	recvSrc runs                       // a2h offsets of the received bytes, -1 added
	// spanArena is where the run lists of discard events come from.
	spanArena link.SpanArena

	// keepAll turns forgetting off, eager makes it forget at every chance
	// (not only when the records doubled): tests run all three ways and
	// compare the traces.
	keepAll, eager bool
	// missed counts questions about something already forgotten: a bug,
	// which tests check never happens.
	missed int
	// writesForgotten is the h2a offset below which writes were forgotten.
	writesForgotten int64
	// the sizes after the last trim: the next one waits until they doubled
	writesAt, recvAt int
}

func (a *attribution) addWrite(r writeRec) { a.writes = append(a.writes, r) }

// addReply records a reply; addA2H the agent's bytes as written (for the
// simulated agent, the reply's; a real agent's writes may hold several).
func (a *attribution) addReply(r replyRec) { a.replies = append(a.replies, r) }
func (a *attribution) addA2H(b []byte)     { a.a2h.append(b) }

func (a *attribution) addRecv(data []byte, spans []trace.Span) {
	a.recv.append(data)
	for _, sp := range spans {
		a.recvSrc.add(sp.Off, sp.N)
	}
}

// recvSpans returns the a2h offsets of received bytes [from, to).
func (a *attribution) recvSpans(from, to int64) []trace.Span {
	if from < a.recvSrc.start && to > from {
		a.missed++
	}
	return a.recvSrc.spans(&a.spanArena, from, to)
}

// writeAt returns the host write that holds h2a offset s.
func (a *attribution) writeAt(s int64) (writeRec, bool) {
	if s < a.writesForgotten {
		a.missed++
	}
	k := sort.Search(len(a.writes), func(k int) bool { return a.writes[k].off+a.writes[k].n > s })
	if k == len(a.writes) || a.writes[k].off > s {
		return writeRec{}, false
	}
	return a.writes[k], true
}

// replyRef maps the bytes a caller got (offsets in everything the client
// received) to the agent reply they came from.
func (a *attribution) replyRef(o client.Outcome) *trace.ReplyRef {
	from, to := o.ReplyFrom, o.ReplyTo
	if to <= from || from < 0 || to > a.recvSrc.end {
		if len(o.Reply) > 0 || o.Kind == client.Returned || o.Kind == client.ErrorReply {
			return a.refs.new(trace.ReplyRef{Status: "none"})
		}
		return nil
	}
	if !a.recvSrc.kept(from) || !a.recv.kept(from) {
		a.missed++
	}
	var got *replyRec
	mixed, changed := false, false
	byte1 := func(i, s int64) {
		if s < 0 {
			changed = true
			return
		}
		if !a.a2h.kept(s) {
			a.missed++
			return
		}
		if a.recv.at(i) != a.a2h.at(s) {
			changed = true
		}
		if got != nil && s >= got.off && s < got.off+got.n {
			return
		}
		k := sort.Search(len(a.replies), func(k int) bool { return a.replies[k].off+a.replies[k].n > s })
		if k == len(a.replies) {
			return
		}
		if got != nil {
			mixed = true
		}
		got = &a.replies[k]
	}
	// Run by run: a line of a few kilobytes is one or two runs, each
	// compared with what was written and matched to its replies at once
	// rather than byte by byte.
	for i := from; i < to; {
		if !a.recvSrc.kept(i) {
			byte1(i, 0) // as srcOf says for a byte forgotten
			i++
			continue
		}
		x := a.recvSrc.list[a.recvSrc.find(i)]
		end := min(to, x.at+x.n)
		if x.src < 0 {
			changed = true // bytes no writer wrote
			i = end
			continue
		}
		// Writer offsets [lo, hi) of reader bytes [i, end); the part the
		// a2h log no longer holds is missed, byte by byte as before.
		lo, hi := x.src+(i-x.at), x.src+(end-x.at)
		keptLo, keptHi := max(lo, a.a2h.base), min(hi, a.a2h.end())
		if keptHi <= keptLo {
			a.missed += int(hi - lo)
			i = end
			continue
		}
		a.missed += int(keptLo-lo) + int(hi-keptHi)
		ri := i + (keptLo - lo)
		if !bytes.Equal(a.recv.data[ri-a.recv.base:ri-a.recv.base+(keptHi-keptLo)], a.a2h.data[keptLo-a.a2h.base:keptHi-a.a2h.base]) {
			changed = true
		}
		// The replies these offsets fall in, in order.
		for s := keptLo; s < keptHi; {
			if got != nil && s >= got.off && s < got.off+got.n {
				s = got.off + got.n
				continue
			}
			k := sort.Search(len(a.replies), func(k int) bool { return a.replies[k].off+a.replies[k].n > s })
			if k == len(a.replies) {
				break
			}
			if got != nil {
				mixed = true
			}
			got = &a.replies[k]
			if s+1 < min(keptHi, got.off) {
				// Bytes before the reply they were matched to (a
				// reply forgotten): the next one counts as another.
				mixed = true
			}
			s = max(s+1, got.off+got.n)
		}
		i = end
	}
	switch {
	case got == nil:
		return a.refs.new(trace.ReplyRef{Status: "none"})
	case mixed:
		return a.refs.new(trace.ReplyRef{Status: "mixed"})
	}
	ref := a.refs.new(trace.ReplyRef{Status: "reply", Inc: got.inc, ASeq: got.aseq, OriginReq: got.originReq, OriginConn: got.originConn, Cmd: got.cmd})
	if changed {
		ref.Status = "corrupted"
	}
	return ref
}

// trimWrites forgets the host writes wholly below h2a offset low (nothing
// the agent reads from now on comes from them). It runs when the writes
// kept have doubled since the last trim, so its cost is spread thin.
func (a *attribution) trimWrites(low func() int64) {
	if a.keepAll || (!a.eager && len(a.writes) < 2*a.writesAt+32) {
		return
	}
	lo := low()
	k := sort.Search(len(a.writes), func(k int) bool { return a.writes[k].off+a.writes[k].n > lo })
	if k > 0 {
		a.writesForgotten = a.writes[k-1].off + a.writes[k-1].n
	}
	a.writes = dropFront(a.writes, k)
	a.writesAt = len(a.writes)
}

// recvTrimDue reports whether trimRecv is due: the received bytes kept
// have doubled since the last trim (or eager). The World asks it before
// it asks the client what it retains, at every read.
func (a *attribution) recvTrimDue() bool {
	return !a.keepAll && (a.eager || len(a.recv.data) >= 2*a.recvAt+4096)
}

// trimRecv forgets the received bytes below recvLow (the client will not
// name them again), and the replies and a2h bytes below a2hLow (no kept
// received byte and no byte still on its way comes from them). It runs
// when recvTrimDue.
func (a *attribution) trimRecv(recvLow int64, a2hLow func(recvLow int64) int64) {
	a.recv.forget(recvLow)
	a.recvSrc.forget(recvLow)
	lo := a2hLow(recvLow)
	a.a2h.forget(lo)
	k := sort.Search(len(a.replies), func(k int) bool { return a.replies[k].off+a.replies[k].n > lo })
	a.replies = dropFront(a.replies, k)
	a.recvAt = len(a.recv.data)
}

// origin maps the h2a writer offset of the byte that ended an agent
// message (ok false: no byte the process read) to the host write that
// carried it. It is asked when the agent reads that byte (the process
// keeps the answer with the reply until it writes it), so the writes kept
// need only reach back to the bytes the agent has still to read.
func (w *World) origin(s int64, ok bool) *trace.Origin {
	if !ok {
		return w.origins.new(trace.Origin{Status: "none", Off: -1})
	}
	if s < 0 {
		return w.origins.new(trace.Origin{Status: "none", Off: s})
	}
	wr, ok := w.attr.writeAt(s)
	if !ok {
		return w.origins.new(trace.Origin{Status: "none", Off: s})
	}
	return w.origins.new(trace.Origin{Status: "write", Req: wr.req, Conn: wr.conn, Off: s, What: wr.what})
}

// h2aLow is the lowest h2a writer offset an origin may still be asked
// about: the last byte the agent read (a message may end there, seen only
// at the next read), the bytes it has still to read (GLib's buffer, the
// link's flight and held bytes; the link keeps the writer's order) and the
// next byte written.
func (w *World) h2aLow() int64 {
	h2a := w.link.Dir(link.H2A)
	low := h2a.Written()
	for _, f := range []func() (int64, bool){w.proc.LastRead, w.proc.FirstBuffered, h2a.FirstPending} {
		if s, ok := f(); ok {
			low = min(low, s)
		}
	}
	return low
}
