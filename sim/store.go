package sim

import (
	"unsafe"

	"github.com/qgasim/qgasim/sim/trace"
)

// store keeps the events of a run without a single pointer: fixed-size
// records whose strings, bytes and spans live in append-only arenas. The
// garbage collector neither scans nor write-barriers it, which makes a
// kept trace cheap (a trace.Event holds 15 pointers). Events are rebuilt on
// demand; their strings, Bytes and spans point into the arenas, which never
// move or change what they hold.
type store struct {
	recs  [][]rec
	n     int
	bytes arena[byte]
	spans arena[trace.Span]
	flat  []trace.Event // Trace's view, extended as events come
}

const recBlock = 512

// ref is a run of an arena: chunk index, offset, length (length 0: none).
type ref struct{ chunk, off, n uint32 }

type rec struct {
	t, seq, off, n, added, until, aseq        int64
	conn, inc, req, step                      int32
	kind, dir, bytes, fault, name, cmd, class ref
	state, outcome, text, src, lost, changed  ref
	hasOrigin, hasReply                       bool
	oStatus, oWhat                            ref
	oReq, oConn                               int32
	oOff                                      int64
	rStatus, rCmd                             ref
	rInc, rOrigReq, rOrigConn                 int32
	rASeq                                     int64
}

// arena is append-only storage in chunks that are never reallocated.
type arena[T any] struct{ chunks [][]T }

// arenaChunk is the size of an arena chunk in bytes.
const arenaChunk = 64 << 10

func (a *arena[T]) put(v []T) ref {
	if len(v) == 0 {
		return ref{}
	}
	k := len(a.chunks) - 1
	if k < 0 || cap(a.chunks[k])-len(a.chunks[k]) < len(v) {
		var zero T
		per := max(1, arenaChunk/int(unsafe.Sizeof(zero)))
		a.chunks = append(a.chunks, make([]T, 0, max(per, len(v))))
		k++
	}
	off := len(a.chunks[k])
	a.chunks[k] = append(a.chunks[k], v...)
	return ref{chunk: uint32(k), off: uint32(off), n: uint32(len(v))}
}

func (a *arena[T]) get(r ref) []T {
	if r.n == 0 {
		return nil
	}
	return a.chunks[r.chunk][r.off : r.off+r.n : r.off+r.n]
}

func (s *store) str(v string) ref {
	if v == "" {
		return ref{}
	}
	return s.bytes.put(unsafe.Slice(unsafe.StringData(v), len(v)))
}

func (s *store) getStr(r ref) string {
	b := s.bytes.get(r)
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// add keeps one event.
func (s *store) add(e *trace.Event) {
	k := len(s.recs) - 1
	if k < 0 || len(s.recs[k]) == cap(s.recs[k]) {
		s.recs = append(s.recs, make([]rec, 0, recBlock))
		k++
	}
	r := rec{
		t: e.T, seq: e.Seq, off: e.Off, n: e.N, added: e.Added, until: e.Until, aseq: e.ASeq,
		conn: int32(e.Conn), inc: int32(e.Inc), req: int32(e.Req), step: int32(e.Step),
		kind: s.str(e.Kind), dir: s.str(e.Dir), bytes: s.bytes.put(e.Bytes), fault: s.str(e.Fault),
		name: s.str(e.Name), cmd: s.str(e.Cmd), class: s.str(e.Class), state: s.str(e.State),
		outcome: s.str(e.Outcome), text: s.str(e.Text),
		src: s.spans.put(e.Src), lost: s.spans.put(e.Lost), changed: s.spans.put(e.Changed),
	}
	if o := e.Origin; o != nil {
		r.hasOrigin, r.oStatus, r.oWhat, r.oReq, r.oConn, r.oOff = true, s.str(o.Status), s.str(o.What), int32(o.Req), int32(o.Conn), o.Off
	}
	if p := e.Reply; p != nil {
		r.hasReply, r.rStatus, r.rCmd, r.rInc, r.rASeq = true, s.str(p.Status), s.str(p.Cmd), int32(p.Inc), p.ASeq
		r.rOrigReq, r.rOrigConn = int32(p.OriginReq), int32(p.OriginConn)
	}
	s.recs[k] = append(s.recs[k], r)
	s.n++
}

// event rebuilds event i.
func (s *store) event(i int) trace.Event {
	r := &s.recs[i/recBlock][i%recBlock]
	e := trace.Event{
		T: r.t, Seq: r.seq, Off: r.off, N: r.n, Added: r.added, Until: r.until, ASeq: r.aseq,
		Conn: int(r.conn), Inc: int(r.inc), Req: int(r.req), Step: int(r.step),
		Kind: s.getStr(r.kind), Dir: s.getStr(r.dir), Bytes: s.bytes.get(r.bytes), Fault: s.getStr(r.fault),
		Name: s.getStr(r.name), Cmd: s.getStr(r.cmd), Class: s.getStr(r.class), State: s.getStr(r.state),
		Outcome: s.getStr(r.outcome), Text: s.getStr(r.text),
		Src: s.spans.get(r.src), Lost: s.spans.get(r.lost), Changed: s.spans.get(r.changed),
	}
	if r.hasOrigin {
		e.Origin = &trace.Origin{Status: s.getStr(r.oStatus), What: s.getStr(r.oWhat), Req: int(r.oReq), Conn: int(r.oConn), Off: r.oOff}
	}
	if r.hasReply {
		e.Reply = &trace.ReplyRef{Status: s.getStr(r.rStatus), Cmd: s.getStr(r.rCmd), Inc: int(r.rInc), ASeq: r.rASeq,
			OriginReq: int(r.rOrigReq), OriginConn: int(r.rOrigConn)}
	}
	return e
}

// all returns every event, rebuilding only those added since the last call.
func (s *store) all() []trace.Event {
	for i := len(s.flat); i < s.n; i++ {
		s.flat = append(s.flat, s.event(i))
	}
	return s.flat
}
