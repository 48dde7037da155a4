package check

import (
	"bytes"
	"sort"
	"strconv"
	"strings"

	"github.com/qgasim/qgasim/sim/qjson"
	"github.com/qgasim/qgasim/sim/trace"
)

// More verdicts, for a client the oracle knows only from its bytes (Wire).
const (
	// Lost: the agent answered, but no byte of the reply reached the
	// caller's connection (a fault or the transport dropped it, or it
	// went to a later connection).
	Lost Verdict = "lost"
	// Unanswered: the agent never answered the request.
	Unanswered Verdict = "unanswered"
	// Skipped: the reply arrived late, while a resync the client started
	// afterwards was discarding everything before its sync reply.
	Skipped Verdict = "skipped"
)

// WireVerdicts lists the verdicts of Wire in report order.
var WireVerdicts = []Verdict{Correct, Misattributed, Corrupted, Garbled, Lost, Skipped, Unanswered, Unfinished}

// DefaultGiveUp is how long after a request a later one must come for Wire
// to count it as sent after the client gave up on the first: a client that
// pipelines sends its next request at once, while every real client's
// timeout is seconds long.
const DefaultGiveUp = 500_000_000 // 500 ms

// DefaultWireKeep is how many judged requests Wire keeps for the report
// when its caller gives no bound; the counts cover every request.
const DefaultWireKeep = 10_000

// WireRequest is one request a client sent, as Wire judged it.
type WireRequest struct {
	N      int    // number, from 1, in the order the client sent them
	Conn   int    // the connection it was sent on
	Cmd    string // the command, as the client's bytes name it
	ID     string // its top-level id as JSON text, "" for none
	SyncID string // guest-sync and guest-sync-delimited: arguments.id as JSON text
	Sent   int64  // virtual time of the write that completed it
	// Answered: the agent parsed a message ending in this request's bytes
	// and wrote a reply (NoReply: the command has none, guest-shutdown).
	Answered bool
	NoReply  bool
	AgentCmd string // the command as the agent parsed it
	Inc      int    // the agent process that answered
	Reply    []byte // the reply the agent wrote
	// Delivered, Lost are the reply's bytes that reached the client and
	// that were lost on the way; Changed says a fault altered some.
	Delivered, LostBytes int64
	Changed              bool
	DeliveredTo          int   // the connection the reply's bytes went to
	First, Last          int64 // virtual times its first and last bytes were delivered (-1: none)
	// LaterReq is the request sent after this one, on the same
	// connection and before the reply arrived (0: none).
	LaterReq int
	// SkippedBy is the sync, sent after this request, that the client was
	// still waiting for when this reply arrived (0: none).
	SkippedBy int
	Verdict   Verdict
	Why       string

	off, end int64 // its bytes in the h2a writer stream
	write    int   // the host write that completed it
	rOff, rN int64 // the reply in the a2h writer stream
	whole    bool
	cut      bool // a real agent went away while writing it: no byte could make it whole
}

// WireSummary is what Wire concluded.
type WireSummary struct {
	// Requests are the judged requests, the last Keep of them, in order.
	Requests []WireRequest
	// Total counts every request; Counts every verdict.
	Total  int
	Counts map[Verdict]int
	// Unanswered counts requests the agent never answered (run's "never
	// answered by the agent").
	Unanswered int
	// Dropped counts replies the agent could not write (Illegal seek).
	Dropped int
	// Syncs are the guest-sync and guest-sync-delimited requests; Matched
	// those whose reply reached the client whole with the id sent;
	// Mismatched those whose reply carried another id.
	Syncs, SyncsMatched, SyncsMismatched int
	// Stray counts agent replies to no request of the client (an error
	// for garbage, a reply to bytes a fault added) that reached it.
	Stray int
	// Resyncs are the client's resync episodes: from its first 0xFF or
	// sync until a sync reply with its id reached it whole.
	Resyncs                 []Resync
	MedianResync, MaxResync int64
	resyncDurations         []int64
}

// Wire is the oracle for a client it does not know (a real program in live
// mode): a fold over the trace (Observe, one event at a time) that judges
// each request from the bytes alone. It parses the client's writes as the
// agent's parser does to find its requests, maps each to the agent's reply
// through the reply's origin, and follows the reply's bytes to the client:
// whole, cut, dropped, changed, or arrived after the client had sent a
// later request (a client that gave up may have handed it to the wrong
// caller; a request sent within GiveUp of the earlier one is taken for
// pipelining and not counted). A request with a top-level id whose reply echoes it can be
// matched by a careful client, and a late reply that arrives while a later
// sync is pending is skipped by a resyncing client; neither is counted as
// misattributed.
//
// Memory is bounded by its keep parameter and by what is in flight, never
// by the length of the session.
type Wire struct {
	keep int
	// GiveUp: a later request counts only when it was sent at least this
	// long (virtual ns) after the request (DefaultGiveUp).
	GiveUp int64
	// Watch, when set, is told each time Wire learns something about a
	// request, as it happens: sent (no verdict yet), answered by the
	// agent, the first byte of its reply delivered, judged (Verdict set).
	// A view of a live session follows the requests with it. The request
	// is Wire's own: read it during the call, never keep it.
	Watch func(r *WireRequest)

	conn      int // the open connection, 0 for none
	parsers   map[int]*wparse
	reqs      []*WireRequest // requests not judged yet, by h2a offset
	replies   []*WireRequest // answered requests whose reply is still on the way, by a2h offset
	stray     []strayReply   // replies to no request, still on the way
	lastSent  map[int]*WireRequest
	pendSync  map[int][]*WireRequest // per connection: syncs sent whose reply has not arrived
	n         int
	nWrite    int
	fates     []fate // what a2h bytes past known met (see remember)
	known     int64  // the a2h offset past the last reply the agent wrote
	resync    *Resync
	resyncReq int // the first sync of the open episode

	sum WireSummary
}

type wparse struct {
	p    *qjson.Parser
	off  int64 // h2a writer offset of the next byte fed
	last int64 // writer offset just after the last message
}

type strayReply struct {
	off, n int64
	seen   bool
}

// NewWire returns an oracle that keeps the last keep judged requests (0:
// DefaultWireKeep).
func NewWire(keep int) *Wire {
	if keep <= 0 {
		keep = DefaultWireKeep
	}
	return &Wire{keep: keep, GiveUp: DefaultGiveUp, parsers: map[int]*wparse{}, lastSent: map[int]*WireRequest{}, pendSync: map[int][]*WireRequest{},
		sum: WireSummary{Counts: map[Verdict]int{}}}
}

// Observe folds one event in.
func (o *Wire) Observe(ev *trace.Event) {
	switch ev.Kind {
	case trace.KindConnect:
		o.conn = ev.Conn
	case trace.KindClose:
		delete(o.parsers, ev.Conn)
		delete(o.pendSync, ev.Conn)
		delete(o.lastSent, ev.Conn)
		if o.conn == ev.Conn {
			o.conn = 0
		}
	case trace.KindHostWrite:
		o.hostWrite(ev)
	case trace.KindAgentReply:
		o.agentReply(ev)
	case trace.KindDeliver:
		if ev.Dir == trace.A2H {
			o.deliver(ev)
		}
	case trace.KindFault:
		if ev.Dir == trace.A2H {
			o.lose(ev.Lost, ev.T)
			o.change(ev.Changed, ev.T)
		}
	case trace.KindDrop:
		if ev.Dir == trace.A2H {
			o.lose(ev.Lost, ev.T)
		}
	}
}

// hostWrite parses the client's bytes for requests.
func (o *Wire) hostWrite(ev *trace.Event) {
	o.nWrite++
	c := ev.Conn
	ps := o.parsers[c]
	if ps == nil {
		ps = &wparse{p: qjson.NewParser(), off: ev.Off, last: ev.Off}
		o.parsers[c] = ps
	}
	if ps.off != ev.Off {
		// Bytes of this connection we did not see (cannot happen in a
		// trace): start over.
		ps.p, ps.off, ps.last = qjson.NewParser(), ev.Off, ev.Off
	}
	if bytes.IndexByte(ev.Bytes, 0xFF) >= 0 {
		o.startResync(ev.T, 0)
	}
	base, sent := ps.off, ev.T // the callback keeps no pointer to ev
	ps.p.Feed(ev.Bytes, func(m qjson.Message) {
		end := base + ps.p.Offset()
		start := ps.last
		ps.last = end
		if m.IsError() || m.Value.Kind != qjson.Object {
			return
		}
		d := m.Value.O
		x, ok := d.Get("execute")
		if !ok || x.Kind != qjson.String {
			return
		}
		o.n++
		r := &WireRequest{N: o.n, Conn: c, Cmd: x.S, Sent: sent, off: start, end: end, write: o.nWrite, First: -1, Last: -1}
		if id, ok := d.Get("id"); ok {
			r.ID = string(qjson.Append(nil, id))
		}
		if r.Cmd == "guest-sync" || r.Cmd == "guest-sync-delimited" {
			if a, ok := d.Get("arguments"); ok && a.Kind == qjson.Object {
				if id, ok := a.O.Get("id"); ok {
					r.SyncID = string(qjson.Append(nil, id))
				}
			}
			o.sum.Syncs++
			o.pendSync[c] = append(o.pendSync[c], r)
			o.startResync(sent, r.N)
		}
		o.lastSent[c] = r
		o.reqs = append(o.reqs, r)
		o.sum.Total++
		o.watch(r)
	})
	ps.off += int64(len(ev.Bytes))
	// A client that never gets answers must not grow this without end.
	if len(o.reqs) > 4*o.keep {
		old := o.reqs[0]
		o.reqs = o.reqs[1:]
		o.judgeUnanswered(old, "still not answered when the oracle had to let it go")
	}
}

func (o *Wire) startResync(t int64, req int) {
	if o.resync == nil {
		o.resync = &Resync{From: t, To: -1}
		o.resyncReq = req
		return
	}
	if o.resyncReq == 0 {
		o.resyncReq = req
	}
}

// agentReply maps the agent's message to the request whose bytes ended it.
func (o *Wire) agentReply(ev *trace.Event) {
	if ev.State == "dropped" {
		o.sum.Dropped++
	}
	var r *WireRequest
	if ev.Origin != nil && ev.Origin.Status == "write" {
		off := ev.Origin.Off
		k := sort.Search(len(o.reqs), func(k int) bool { return o.reqs[k].end > off })
		if k < len(o.reqs) && o.reqs[k].off <= off {
			r = o.reqs[k]
		}
	}
	if r == nil || r.Answered {
		if ev.N > 0 {
			o.stray = append(o.stray, strayReply{off: ev.Off, n: ev.N})
			o.knownReply(ev.Off, ev.N)
		}
		return
	}
	r.Answered, r.AgentCmd, r.Inc = true, ev.Cmd, ev.Inc
	if ev.N == 0 {
		o.remove(r)
		if ev.State == "dropped" {
			r.Verdict, r.Why = Lost, "the agent could not write its reply: "+ev.Text
		} else {
			r.NoReply = true
			r.Verdict, r.Why = Correct, "the command has no reply ("+ev.Cmd+")"
		}
		o.done(r)
		return
	}
	r.Reply = append([]byte(nil), ev.Bytes...)
	r.rOff, r.rN = ev.Off, ev.N
	r.cut = strings.HasSuffix(ev.State, " cut")
	o.watch(r)
	k := sort.Search(len(o.replies), func(k int) bool { return o.replies[k].rOff > r.rOff })
	o.replies = append(o.replies, nil)
	copy(o.replies[k+1:], o.replies[k:])
	o.replies[k] = r
	o.knownReply(r.rOff, r.rN)
}

// each calls f for every reply on the way that overlaps a span of a2h
// writer offsets, with the overlap's length.
func (o *Wire) each(sp trace.Span, f func(r *WireRequest, n int64)) {
	if sp.Off < 0 {
		return
	}
	k := sort.Search(len(o.replies), func(k int) bool { return o.replies[k].rOff+o.replies[k].rN > sp.Off })
	for ; k < len(o.replies) && o.replies[k].rOff < sp.Off+sp.N; k++ {
		r := o.replies[k]
		lo, hi := max(sp.Off, r.rOff), min(sp.Off+sp.N, r.rOff+r.rN)
		if hi > lo {
			f(r, hi-lo)
		}
	}
}

func (o *Wire) deliver(ev *trace.Event) {
	for _, sp := range ev.Src {
		o.remember(fate{t: ev.T, conn: ev.Conn, sp: sp, kind: fateDelivered})
	}
	o.delivered(ev.T, ev.Conn, ev.Src)
}

// delivered follows the bytes of spans to the client on conn at t.
func (o *Wire) delivered(t int64, conn int, spans []trace.Span) {
	var finished []*WireRequest
	for _, sp := range spans {
		o.strays(sp, true)
		o.each(sp, func(r *WireRequest, n int64) {
			first := r.First < 0
			if first {
				r.First, r.DeliveredTo = t, conn
				o.arrive(r, conn, t)
			}
			r.Delivered += n
			r.Last = t
			if r.Delivered+r.LostBytes >= r.rN {
				finished = append(finished, r)
			} else if first {
				o.watch(r)
			}
		})
	}
	for _, r := range finished {
		o.settle(r)
	}
}

// A real agent's reply (proxy) is known only when its line ends: the
// agent.reply event comes after its first bytes were written, and they may
// have been delivered, lost or changed on the way already. So what happens
// to a2h bytes past the last reply known is kept (fates, bounded), and
// played into a reply when it becomes known. The simulated agent's replies
// are known before their bytes move: nothing is kept for them.
type fate struct {
	t    int64
	conn int
	sp   trace.Span
	kind int
}

const (
	fateDelivered = iota
	fateLost
	fateChanged
)

// maxFates bounds the fates kept for replies not known yet (a real agent
// that writes without ever ending a line).
const maxFates = 4096

// remember keeps the part of a fate past the last known reply.
func (o *Wire) remember(f fate) {
	if f.sp.Off < 0 || f.sp.Off+f.sp.N <= o.known {
		return
	}
	if f.sp.Off < o.known {
		f.sp = trace.Span{Off: o.known, N: f.sp.Off + f.sp.N - o.known}
	}
	if len(o.fates) >= maxFates {
		o.fates = cut(o.fates, 0)
	}
	o.fates = append(o.fates, f)
}

// knownReply says a reply at [off, off+n) of the a2h stream is known: the fates
// its bytes met before are played into it, and forgotten.
func (o *Wire) knownReply(off, n int64) {
	end := off + n
	keep := o.fates[:0]
	for _, f := range o.fates {
		if f.sp.Off < end && f.sp.Off+f.sp.N > off {
			one := []trace.Span{f.sp}
			switch f.kind {
			case fateDelivered:
				o.delivered(f.t, f.conn, one)
			case fateLost:
				o.lost(one)
			case fateChanged:
				o.changed(one)
			}
		}
		if f.sp.Off+f.sp.N > end {
			keep = append(keep, f)
		}
	}
	clear(o.fates[len(keep):])
	o.fates = keep
	o.known = max(o.known, end)
}

// strays follows replies to no request: one that reaches the client is
// counted once.
func (o *Wire) strays(sp trace.Span, delivered bool) {
	keep := o.stray[:0]
	for _, s := range o.stray {
		if sp.Off >= 0 && sp.Off < s.off+s.n && s.off < sp.Off+sp.N {
			if delivered && !s.seen {
				s.seen = true
				o.sum.Stray++
			}
			if sp.Off+sp.N >= s.off+s.n {
				continue // its last byte is accounted for
			}
		}
		keep = append(keep, s)
	}
	o.stray = keep
}

// arrive is the first byte of a reply reaching a client: had the client
// sent a later request by then, long enough after this one that it had
// likely given up on it?
func (o *Wire) arrive(r *WireRequest, conn int, t int64) {
	if conn != r.Conn {
		return
	}
	last := o.lastSent[conn]
	if last == nil || last.N <= r.N || last.write == r.write || last.Sent-r.Sent < o.GiveUp {
		// Nothing was sent after it, or only in the same write (a sync and
		// its command written together, as Proxmox does), or soon after
		// (pipelining).
		return
	}
	if last.Sent <= t {
		r.LaterReq = last.N
	}
	for _, q := range o.reqs {
		// (A fate played in late, for a real agent's reply, arrived at t:
		// a request sent after t does not count.)
		if q.N > r.N && q.Conn == conn && q.write != r.write && q.Sent-r.Sent >= o.GiveUp && q.Sent <= t {
			r.LaterReq = q.N
			break
		}
	}
	if r.LaterReq == 0 {
		return
	}
	for _, s := range o.pendSync[conn] {
		if s.N > r.N && s.First < 0 {
			r.SkippedBy = s.N
			break
		}
	}
}

func (o *Wire) lose(spans []trace.Span, t int64) {
	for _, sp := range spans {
		o.remember(fate{t: t, sp: sp, kind: fateLost})
	}
	o.lost(spans)
}

func (o *Wire) lost(spans []trace.Span) {
	var finished []*WireRequest
	for _, sp := range spans {
		o.strays(sp, false)
		o.each(sp, func(r *WireRequest, n int64) {
			r.LostBytes += n
			if r.Delivered+r.LostBytes >= r.rN {
				finished = append(finished, r)
			}
		})
	}
	for _, r := range finished {
		o.settle(r)
	}
}

func (o *Wire) change(spans []trace.Span, t int64) {
	for _, sp := range spans {
		o.remember(fate{t: t, sp: sp, kind: fateChanged})
	}
	o.changed(spans)
}

func (o *Wire) changed(spans []trace.Span) {
	for _, sp := range spans {
		o.each(sp, func(r *WireRequest, _ int64) { r.Changed = true })
	}
}

// settle judges a request whose reply's every byte is accounted for.
func (o *Wire) settle(r *WireRequest) {
	if r.Verdict != "" {
		return
	}
	for i, q := range o.replies {
		if q == r {
			o.replies = cut(o.replies, i)
			break
		}
	}
	o.remove(r)
	r.whole = r.LostBytes == 0 && !r.cut
	switch {
	case r.Delivered == 0:
		r.Verdict, r.Why = Lost, "the agent answered, and no byte of the reply reached the client"
	case r.DeliveredTo != r.Conn:
		r.Verdict, r.Why = Lost, "its reply reached connection "+strconv.Itoa(r.DeliveredTo)+
			", a later client, which may have taken it for its own"
	case r.cut && r.LostBytes == 0:
		r.Verdict, r.Why = Garbled, "only part of its reply reached the client (the agent went away while writing it): a line reader splices the rest with the next reply"
	case !r.whole:
		r.Verdict, r.Why = Garbled, "only part of its reply reached the client: a line reader splices the rest with the next reply"
	case r.Changed:
		r.Verdict, r.Why = Corrupted, "its reply reached the client with bytes a fault changed"
	case r.LaterReq != 0:
		o.late(r)
	default:
		r.Verdict, r.Why = Correct, "its reply reached the client whole, before it sent anything else"
	}
	o.syncArrived(r)
	o.done(r)
}

// late judges a reply that arrived after the client had sent a later
// request.
func (o *Wire) late(r *WireRequest) {
	later := "request " + strconv.Itoa(r.LaterReq)
	if r.ID != "" && bytes.Contains(r.Reply, []byte(`"id": `+r.ID)) {
		r.Verdict, r.Why = Correct, "its reply arrived after "+later+" was sent, and carries the request's id "+r.ID+" to match it by"
		return
	}
	if r.SkippedBy != 0 {
		r.Verdict, r.Why = Skipped, "its reply arrived after "+later+" was sent, while the client waited for the reply to its sync (request "+
			strconv.Itoa(r.SkippedBy)+"): a resyncing client throws it away"
		return
	}
	r.Verdict, r.Why = Misattributed, "its reply arrived after "+later+
		" was sent: a stale reply, which a client that gave up on it may have handed to the wrong caller"
}

// syncArrived checks a sync's reply and ends a resync episode.
func (o *Wire) syncArrived(r *WireRequest) {
	if r.SyncID == "" {
		return
	}
	ps := o.pendSync[r.Conn]
	for i, s := range ps {
		if s == r {
			o.pendSync[r.Conn] = cut(ps, i)
			break
		}
	}
	if r.DeliveredTo != r.Conn || !r.whole {
		return
	}
	body := bytes.TrimPrefix(bytes.TrimSpace(r.Reply), []byte{0xFF})
	want := []byte(`{"return": ` + r.SyncID)
	if bytes.HasPrefix(body, want) && len(body) > len(want) && (body[len(want)] == '}' || body[len(want)] == ',') {
		o.sum.SyncsMatched++
		if o.resync != nil && r.N >= o.resyncReq && o.resyncReq != 0 {
			o.resync.To = r.Last
			o.endResync()
		}
	} else {
		o.sum.SyncsMismatched++
	}
}

func (o *Wire) endResync() {
	e := *o.resync
	o.resync, o.resyncReq = nil, 0
	d := e.To - e.From
	o.sum.MaxResync = max(o.sum.MaxResync, d)
	o.sum.resyncDurations = append(o.sum.resyncDurations, d)
	if len(o.sum.resyncDurations) >= 2*o.keep {
		// Bounded memory over a session of any length: keep every other
		// duration in order, which leaves the median where it was (to
		// within a rank) and halves what is kept; the episodes after it
		// then weigh twice as much as the thinned ones, an approximation
		// a long session's median can live with (the worst is exact).
		ds := o.sum.resyncDurations
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		n := 0
		for i := 0; i < len(ds); i += 2 {
			ds[n] = ds[i]
			n++
		}
		o.sum.resyncDurations = ds[:n]
	}
	if len(o.sum.Resyncs) < o.keep {
		o.sum.Resyncs = append(o.sum.Resyncs, e)
	}
}

func (o *Wire) remove(r *WireRequest) {
	k := sort.Search(len(o.reqs), func(k int) bool { return o.reqs[k].N >= r.N })
	if k < len(o.reqs) && o.reqs[k] == r {
		o.reqs = cut(o.reqs, k)
	}
}

// cut removes element i. Requests end mostly in the order they came, so
// the first element is the common case: reslicing it off costs nothing,
// where moving a long tail of pointers down would cost a write barrier each
// (a pipelining client keeps thousands in flight).
func cut[T any](s []T, i int) []T {
	if i == 0 {
		var zero T
		s[0] = zero
		return s[1:]
	}
	return append(s[:i], s[i+1:]...)
}

func (o *Wire) judgeUnanswered(r *WireRequest, why string) {
	r.Verdict, r.Why = Unanswered, why
	o.sum.Unanswered++
	o.done(r)
}

func (o *Wire) watch(r *WireRequest) {
	if o.Watch != nil {
		o.Watch(r)
	}
}

// Resyncing reports whether a resync episode is open: the client sent a
// 0xFF or a sync, and no sync reply with its id has reached it whole yet.
func (o *Wire) Resyncing() bool { return o.resync != nil }

// done records a judged request.
func (o *Wire) done(r *WireRequest) {
	o.watch(r)
	o.sum.Counts[r.Verdict]++
	if len(o.sum.Requests) >= o.keep {
		// Keep the newest: drop the oldest half at once, so that this
		// costs little per request.
		n := copy(o.sum.Requests, o.sum.Requests[len(o.sum.Requests)-o.keep/2:])
		clear(o.sum.Requests[n:])
		o.sum.Requests = o.sum.Requests[:n]
	}
	o.sum.Requests = append(o.sum.Requests, *r)
}

// Summary judges what is still open (unanswered, or its reply still on the
// way) and returns the whole judgement, requests in the order sent. The
// oracle can go on observing afterwards.
func (o *Wire) Summary() WireSummary {
	s := o.sum
	s.Counts = map[Verdict]int{}
	for k, v := range o.sum.Counts {
		s.Counts[k] = v
	}
	reqs := append([]WireRequest(nil), o.sum.Requests...)
	add := func(r WireRequest) {
		s.Counts[r.Verdict]++
		reqs = append(reqs, r)
	}
	for _, p := range o.reqs {
		r := *p
		switch {
		case !r.Answered:
			r.Verdict, r.Why = Unanswered, "the agent never answered it"
			s.Unanswered++
		default:
			r.Verdict, r.Why = Unfinished, "its reply was still on the way when the session ended"
		}
		add(r)
	}
	for _, p := range o.replies {
		if p.Verdict == "" && !containsReq(o.reqs, p) {
			r := *p
			r.Verdict, r.Why = Unfinished, "its reply was still on the way when the session ended"
			add(r)
		}
	}
	sort.SliceStable(reqs, func(i, j int) bool { return reqs[i].N < reqs[j].N })
	if len(reqs) > o.keep {
		reqs = reqs[len(reqs)-o.keep:]
	}
	s.Requests = reqs
	s.Resyncs = append([]Resync(nil), o.sum.Resyncs...)
	if o.resync != nil {
		s.Resyncs = append(s.Resyncs, *o.resync)
	}
	d := append([]int64(nil), o.sum.resyncDurations...)
	if len(d) > 0 {
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
		s.MedianResync = d[len(d)/2]
	}
	s.resyncDurations = nil
	return s
}

func containsReq(list []*WireRequest, r *WireRequest) bool {
	for _, q := range list {
		if q == r {
			return true
		}
	}
	return false
}
