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
	exts  [][]ext
	nExt  int
	n     int
	bytes arena[byte]
	spans arena[trace.Span]
	flat  []trace.Event // Trace's view, extended as events come
}

const recBlock = 512

// ref is a run of an arena: chunk index, offset, length (length 0: none).
type ref struct{ chunk, off, n uint32 }

// rec is one event's common fields; the fields most events leave empty
// live in an ext, so that a rec stays small (memory is the cost here).
type rec struct {
	t, seq, off, n, until       int64
	conn, inc, req, step        int32
	kind, dir, bytes, text, src ref
	ext                         int32 // index+1 into store.exts, 0 for none
}

type ext struct {
	added, aseq                             int64
	fault, name, cmd, class, state, outcome ref
	lost, changed                           ref
	hasOrigin, hasReply                     bool
	oStatus, oWhat                          ref
	oReq, oConn                             int32
	oOff                                    int64
	rStatus, rCmd                           ref
	rInc, rOrigReq, rOrigConn               int32
	rASeq                                   int64
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
	// Fill the record in place: a rec is large, copying it costs.
	b := s.recs[k]
	b = b[:len(b)+1]
	s.recs[k] = b
	r := &b[len(b)-1]
	r.t, r.seq, r.off, r.n, r.until = e.T, e.Seq, e.Off, e.N, e.Until
	r.conn, r.inc, r.req, r.step = int32(e.Conn), int32(e.Inc), int32(e.Req), int32(e.Step)
	r.kind, r.dir, r.bytes, r.text = s.str(e.Kind), s.str(e.Dir), s.bytes.put(e.Bytes), s.str(e.Text)
	r.src = s.spans.put(e.Src)
	if e.Added == 0 && e.ASeq == 0 && e.Fault == "" && e.Name == "" && e.Cmd == "" && e.Class == "" && e.State == "" &&
		e.Outcome == "" && len(e.Lost) == 0 && len(e.Changed) == 0 && e.Origin == nil && e.Reply == nil {
		s.n++
		return
	}
	j := len(s.exts) - 1
	if j < 0 || len(s.exts[j]) == cap(s.exts[j]) {
		s.exts = append(s.exts, make([]ext, 0, recBlock))
		j++
	}
	s.exts[j] = s.exts[j][:len(s.exts[j])+1]
	x := &s.exts[j][len(s.exts[j])-1]
	s.nExt++
	r.ext = int32(s.nExt)
	x.added, x.aseq = e.Added, e.ASeq
	x.fault, x.name, x.cmd, x.class = s.str(e.Fault), s.str(e.Name), s.str(e.Cmd), s.str(e.Class)
	x.state, x.outcome = s.str(e.State), s.str(e.Outcome)
	x.lost, x.changed = s.spans.put(e.Lost), s.spans.put(e.Changed)
	if o := e.Origin; o != nil {
		x.hasOrigin, x.oStatus, x.oWhat, x.oReq, x.oConn, x.oOff = true, s.str(o.Status), s.str(o.What), int32(o.Req), int32(o.Conn), o.Off
	}
	if p := e.Reply; p != nil {
		x.hasReply, x.rStatus, x.rCmd, x.rInc, x.rASeq = true, s.str(p.Status), s.str(p.Cmd), int32(p.Inc), p.ASeq
		x.rOrigReq, x.rOrigConn = int32(p.OriginReq), int32(p.OriginConn)
	}
	s.n++
}

// event rebuilds event i.
func (s *store) event(i int) trace.Event {
	r := &s.recs[i/recBlock][i%recBlock]
	e := trace.Event{
		T: r.t, Seq: r.seq, Off: r.off, N: r.n, Until: r.until,
		Conn: int(r.conn), Inc: int(r.inc), Req: int(r.req), Step: int(r.step),
		Kind: s.getStr(r.kind), Dir: s.getStr(r.dir), Bytes: s.bytes.get(r.bytes), Text: s.getStr(r.text),
		Src: s.spans.get(r.src),
	}
	if r.ext == 0 {
		return e
	}
	x := &s.exts[(r.ext-1)/recBlock][(r.ext-1)%recBlock]
	e.Added, e.ASeq = x.added, x.aseq
	e.Fault, e.Name, e.Cmd, e.Class = s.getStr(x.fault), s.getStr(x.name), s.getStr(x.cmd), s.getStr(x.class)
	e.State, e.Outcome = s.getStr(x.state), s.getStr(x.outcome)
	e.Lost, e.Changed = s.spans.get(x.lost), s.spans.get(x.changed)
	if x.hasOrigin {
		e.Origin = &trace.Origin{Status: s.getStr(x.oStatus), What: s.getStr(x.oWhat), Req: int(x.oReq), Conn: int(x.oConn), Off: x.oOff}
	}
	if x.hasReply {
		e.Reply = &trace.ReplyRef{Status: s.getStr(x.rStatus), Cmd: s.getStr(x.rCmd), Inc: int(x.rInc), ASeq: x.rASeq,
			OriginReq: int(x.rOrigReq), OriginConn: int(x.rOrigConn)}
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
