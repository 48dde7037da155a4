package ladder

import (
	"fmt"
	"sort"

	"github.com/qgasim/qgasim/sim/check"
	"github.com/qgasim/qgasim/sim/trace"
	"github.com/qgasim/qgasim/ui/bytefmt"
	"github.com/qgasim/qgasim/ui/model"
)

// Options bound and tune a ladder.
type Options struct {
	// MaxRows bounds the rows kept: the oldest are dropped and counted in
	// Ladder.Omitted. Zero means DefaultMaxRows.
	MaxRows int
	// Instant is the longest a write may take to reach its reader and still
	// be drawn as one arrow from writer to reader; a slower one is drawn in
	// two, into the link when written and out of it when read, so that what
	// happened meanwhile sits between them. Zero means DefaultInstant.
	Instant int64
}

// Defaults for Options.
const (
	DefaultMaxRows = 2000
	DefaultInstant = int64(100e6) // 100 ms: at a person's scale, at once
)

// dirIndex numbers the two directions for the per-direction state.
func dirIndex(dir string) int {
	if dir == trace.A2H {
		return 1
	}
	return 0
}

// writerLane and readerLane are the ends of a direction.
func writerLane(d int) Lane {
	if d == 1 {
		return Agent
	}
	return Host
}

func readerLane(d int) Lane {
	if d == 1 {
		return Host
	}
	return Agent
}

// message is one write on the link: a host write or an agent reply, with
// what became of its bytes.
type message struct {
	d      int
	off, n int64
	t      int64
	slot   int // its write row
	comp   *comp
	req    int   // h2a: the caller it carries; a2h: the request it answers
	inc    int   // a2h: the agent process that wrote it
	aseq   int64 // a2h: the message number within that process
	cmd    string

	delivered, lost, changed int64
	flags                    bytefmt.Flags // writer-side facts: lost, changed, held
	discarded                int64
	discardWhy               string
	accepted                 bool
	takenBy                  int // drawn as one arrow: the caller whose outcome is said at its host end
}

func (m *message) settled() bool { return m.delivered+m.lost >= m.n }

// run is the deliveries of a component to one reader (one host connection,
// one agent process): drawn as one arrow out of the link when the component
// is drawn in two.
type run struct {
	comp   *comp
	slot   int
	reader int // host connection (a2h) or agent process (h2a)
	spans  []trace.Span
	rOff   int64 // first reader-stream offset
	rEnd   int64
	first  int64
	last   int64
	lastSq int64
	reads  int
	bytes  int64
	added  int64
	addBy  string
	// addedBytes are the first bytes a fault added, to show them.
	addedBytes []byte
	flags      bytefmt.Flags // reader-side facts: delivered, discarded, accepted
	state      string        // what the client said right after the bytes came (a client.state)
	why        string        // why the client threw some of them away
	taken      int           // the caller whose outcome is said at this arrow's host end
}

// comp is a component: writes and the deliveries that carried them, linked
// by shared bytes. A component whose writes all arrived at once to one
// reader is drawn as arrows from writer to reader; otherwise each write is
// drawn into the link and each run of deliveries out of it.
type comp struct {
	d         int
	msgs      []*message
	runs      []*run
	closed    bool
	through   bool
	startSlot int
	parser    string // the agent parser's state after the last read (h2a)
}

// slot is a row while the ladder is being built: the row's fixed content
// and, for arrows, the message or run whose facts fill in the rest.
type slot struct {
	row    Row
	hidden bool
	msg    *message // the write row of msg
	run    *run     // the delivery row of run
	taken  *message // an outcome row: the reply it handed over
	takenR *run
	ends   bool // an outcome row: the oracle's verdict goes on it
	id     int
}

// Builder folds trace events into a ladder. The zero value is not ready:
// use NewBuilder.
type Builder struct {
	opts Options
	info model.Info

	slots   []slot
	base    int // id of slots[0]
	omitted int64
	end     int64

	msgs     [2][]*message // by offset; a window, like the rows
	byReply  map[replyKey]*message
	reqCmd   map[int]string
	reqT     map[int]int64
	pendAdd  [2]string
	lastKind string
	lastRun  *run
	lastH2A  *comp
	started  bool
	inc      int
	down     bool
	conn     int
	gone     bool
}

type replyKey struct {
	inc  int
	aseq int64
}

// NewBuilder returns an empty builder.
func NewBuilder(info model.Info, opts Options) *Builder {
	if opts.MaxRows <= 0 {
		opts.MaxRows = DefaultMaxRows
	}
	if opts.Instant <= 0 {
		opts.Instant = DefaultInstant
	}
	return &Builder{opts: opts, info: info, byReply: map[replyKey]*message{}, reqCmd: map[int]string{},
		reqT: map[int]int64{}, inc: 1, gone: true}
}

// Build folds a whole trace and judges it with the oracle's summary.
func Build(info model.Info, events []trace.Event, sum check.Summary, opts Options) *Ladder {
	b := NewBuilder(info, opts)
	for _, ev := range events {
		b.Apply(ev)
	}
	return b.Ladder(sum)
}

func (b *Builder) add(r Row) *slot {
	r.Inc, r.AgentDown, r.HostGone = b.inc, b.down, b.gone
	r.TakenFrom = -1
	if r.Until < r.T {
		r.Until = r.T
	}
	if r.LastSeq < r.Seq {
		r.LastSeq = r.Seq
	}
	b.slots = append(b.slots, slot{row: r, id: b.base + len(b.slots)})
	b.evict()
	return &b.slots[len(b.slots)-1]
}

// slotByID returns the slot with id, or nil once it has been dropped.
func (b *Builder) slotByID(id int) *slot {
	i := id - b.base
	if i < 0 || i >= len(b.slots) {
		return nil
	}
	return &b.slots[i]
}

// evict drops the oldest rows once over the limit, down to three quarters
// of it so that the copy is paid once per many rows, and forgets the
// messages whose rows are gone.
func (b *Builder) evict() {
	if len(b.slots) <= b.opts.MaxRows {
		return
	}
	drop := len(b.slots) - b.opts.MaxRows*3/4
	b.slots = append([]slot(nil), b.slots[drop:]...)
	b.base += drop
	b.omitted += int64(drop)
	for d := range b.msgs {
		k := 0
		for k < len(b.msgs[d]) && b.msgs[d][k].slot < b.base && (b.msgs[d][k].comp == nil || b.msgs[d][k].comp.closed) {
			if m := b.msgs[d][k]; m.d == 1 {
				delete(b.byReply, replyKey{m.inc, m.aseq})
			}
			k++
		}
		b.msgs[d] = append([]*message(nil), b.msgs[d][k:]...)
	}
	if len(b.reqCmd) > 2*b.opts.MaxRows {
		b.reqCmd, b.reqT = map[int]string{}, map[int]int64{}
	}
}

// Apply folds one event, in the order the World emitted them.
func (b *Builder) Apply(ev trace.Event) {
	b.end = ev.T
	defer func() { b.lastKind = ev.Kind }()
	switch ev.Kind {
	case trace.KindStep:
		b.started = true
		b.add(Row{Kind: StepRow, T: ev.T, Seq: ev.Seq, From: Host, To: Agent, Text: fmt.Sprintf("%d · %s", ev.Step, clip(ev.Text, 72))})
	case trace.KindNote:
		for i := len(b.slots) - 1; i >= 0; i-- {
			if s := &b.slots[i]; s.row.Kind == StepRow {
				s.row.Note, s.row.LastSeq = ev.Text, ev.Seq
				if ev.State != "" && ev.State != b.info.Strategy {
					// Written for another client: it may not hold here.
					s.row.Note = "(a note written for " + ev.State + ") " + ev.Text
				}
				break
			}
		}
	case trace.KindIssue:
		b.reqCmd[ev.Req], b.reqT[ev.Req] = ev.Cmd, ev.T
	case trace.KindHostWrite:
		b.write(ev, 0)
	case trace.KindAgentReply:
		if ev.N == 0 {
			b.unwritten(ev)
			return
		}
		b.write(ev, 1)
	case trace.KindDeliver:
		b.deliver(ev)
	case trace.KindAgentParser:
		if c := b.lastH2A; c != nil {
			c.parser = ev.State
		}
	case trace.KindFault:
		b.fault(ev)
	case trace.KindDrop:
		b.lose(dirIndex(ev.Dir), ev.Lost, Lost, ev.Text, ev.Seq)
	case trace.KindHold:
		b.hold(ev)
	case trace.KindAgentRestart:
		b.down = true
		txt := fmt.Sprintf("process %d dies", ev.Inc)
		if ev.Name != "" {
			txt += " (" + ev.Name + ")"
		} else if ev.Text != "" {
			txt += " (" + ev.Text + ")"
		}
		if ev.Until > 0 {
			txt += ", back at " + bytefmt.Time(ev.Until)
		} else {
			txt += " for good"
		}
		s := b.add(Row{Kind: NoteRow, T: ev.T, Seq: ev.Seq, From: Agent, To: Agent, Text: txt, Alarm: true})
		s.row.Death = true
	case trace.KindAgentStart:
		b.inc, b.down = ev.Inc, false
		if b.started || ev.Inc > 1 {
			b.add(Row{Kind: NoteRow, T: ev.T, Seq: ev.Seq, From: Agent, To: Agent,
				Text: fmt.Sprintf("process %d starts: a fresh parser", ev.Inc)})
		}
	case trace.KindAgentEffect:
		b.add(Row{Kind: NoteRow, T: ev.T, Seq: ev.Seq, From: Agent, To: Agent, Text: "guest " + ev.State, Alarm: ev.State != "thawed"})
	case trace.KindClientState:
		b.clientState(ev)
	case trace.KindDiscard:
		b.discard(ev)
	case trace.KindOutcome:
		b.outcome(ev)
	case trace.KindConnect:
		b.conn, b.gone = ev.Conn, false
		if b.started {
			b.add(Row{Kind: NoteRow, T: ev.T, Seq: ev.Seq, From: Host, To: Host, Text: fmt.Sprintf("opens connection %d", ev.Conn)})
		}
	case trace.KindClose:
		b.gone = true
		b.add(Row{Kind: NoteRow, T: ev.T, Seq: ev.Seq, From: Host, To: Host, Text: fmt.Sprintf("connection %d closed: %s", ev.Conn, ev.Text)})
	case trace.KindPort:
		if b.started {
			b.add(Row{Kind: NoteRow, T: ev.T, Seq: ev.Seq, From: Link, To: Link, Text: portText(ev)})
		}
	}
}

// write starts a message: an arrow from its writer into the link, which
// becomes an arrow to the reader if it arrives at once.
func (b *Builder) write(ev trace.Event, d int) {
	m := &message{d: d, off: ev.Off, n: ev.N, t: ev.T}
	r := Row{Kind: ArrowRow, T: ev.T, Seq: ev.Seq, From: writerLane(d), To: Link, Dir: ev.Dir, Bytes: ev.N}
	if d == 0 {
		m.req = ev.Req
		r.Text, r.Req = b.hostLabel(ev), ev.Req
		r.Sentinel = hasFF(ev.Bytes)
	} else {
		m.inc, m.aseq, m.cmd = ev.Inc, ev.ASeq, ev.Cmd
		if o := ev.Origin; o != nil && o.Status == "write" {
			m.req = o.Req
		}
		r.Text, r.Req = b.replyLabel(ev), m.req
		r.Sentinel = ev.State == "delimited" || hasFF(ev.Bytes)
		b.byReply[replyKey{m.inc, m.aseq}] = m
	}
	s := b.add(r)
	s.msg, m.slot = m, s.id
	b.msgs[d] = append(b.msgs[d], m)
}

// unwritten is an agent message that wrote no reply.
func (b *Builder) unwritten(ev trace.Event) {
	what := ev.Cmd
	if what == "" {
		what = "a bad message"
	}
	if o := ev.Origin; o != nil && o.Status == "write" && o.Req > 0 {
		what += fmt.Sprintf(" (#%d)", o.Req)
	}
	if ev.State == "dropped" {
		b.add(Row{Kind: NoteRow, T: ev.T, Seq: ev.Seq, From: Agent, To: Agent, Alarm: true,
			Text: "✗ the reply to " + what + " is dropped: " + trimPrefix(ev.Text, "reply dropped: ")})
		return
	}
	b.add(Row{Kind: NoteRow, T: ev.T, Seq: ev.Seq, From: Agent, To: Agent, Text: "handles " + what + ": no reply"})
}

// find returns the messages of direction d that overlap [off, off+n).
func (b *Builder) find(d int, off, n int64, f func(m *message, from, to int64)) {
	ms := b.msgs[d]
	i := sort.Search(len(ms), func(i int) bool { return ms[i].off+ms[i].n > off })
	for ; i < len(ms) && ms[i].off < off+n; i++ {
		m := ms[i]
		f(m, max(off, m.off), min(off+n, m.off+m.n))
	}
}

func (b *Builder) deliver(ev trace.Event) {
	d := dirIndex(ev.Dir)
	reader := ev.Inc
	if d == 1 {
		reader = ev.Conn
	}
	var c *comp
	var touched []*message
	for _, sp := range ev.Src {
		if sp.Off < 0 {
			continue
		}
		b.find(d, sp.Off, sp.N, func(m *message, from, to int64) {
			m.delivered += to - from
			touched = append(touched, m)
			c = b.join(c, m)
		})
	}
	if c == nil {
		// Only bytes no message of ours holds (added by a fault, or written
		// before the window): a component of their own.
		c = &comp{d: d, startSlot: b.base + len(b.slots)}
	}
	rn := c.runFor(reader)
	if rn == nil || rn != c.runs[len(c.runs)-1] {
		s := b.add(Row{Kind: ArrowRow, T: ev.T, Seq: ev.Seq, From: Link, To: readerLane(d), Dir: ev.Dir})
		rn = &run{comp: c, slot: s.id, reader: reader, rOff: ev.Off, first: ev.T}
		s.run = rn
		c.runs = append(c.runs, rn)
	}
	rn.last, rn.lastSq = ev.T, ev.Seq
	rn.reads++
	rn.bytes += ev.N
	rn.rEnd = ev.Off + ev.N
	rn.flags |= bytefmt.FDelivered
	k := int64(0)
	for _, sp := range ev.Src {
		if sp.Off < 0 {
			if room := smallReply - len(rn.addedBytes); room > 0 && k < int64(len(ev.Bytes)) {
				rn.addedBytes = append(rn.addedBytes, ev.Bytes[k:min(k+sp.N, k+int64(room), int64(len(ev.Bytes)))]...)
			}
			k += sp.N
			rn.added += sp.N
			rn.flags |= bytefmt.FAdded
			if b.pendAdd[d] != "" {
				rn.addBy = b.pendAdd[d]
			}
			continue
		}
		k += sp.N
		rn.spans = appendSpan(rn.spans, sp)
	}
	if d == 0 {
		b.lastH2A = c
	}
	b.lastRun = rn
	b.settle(c, ev.T)
}

// runFor returns the component's run to reader if it is the latest.
func (c *comp) runFor(reader int) *run {
	if n := len(c.runs); n > 0 && c.runs[n-1].reader == reader {
		return c.runs[n-1]
	}
	return nil
}

func appendSpan(ss []trace.Span, sp trace.Span) []trace.Span {
	if n := len(ss); n > 0 && ss[n-1].Off+ss[n-1].N == sp.Off {
		ss[n-1].N += sp.N
		return ss
	}
	return append(ss, sp)
}

// join puts m into component c (merging two components when m already
// has one) and returns the result.
func (b *Builder) join(c *comp, m *message) *comp {
	switch {
	case m.comp == nil && c == nil:
		c = &comp{d: m.d, msgs: []*message{m}, startSlot: m.slot}
		m.comp = c
	case m.comp == nil:
		c.msgs = append(c.msgs, m)
		m.comp = c
		c.startSlot = min(c.startSlot, m.slot)
	case c == nil, c == m.comp:
		c = m.comp
	default:
		o := m.comp
		for _, x := range o.msgs {
			x.comp = c
		}
		for _, r := range o.runs {
			r.comp = c
		}
		c.msgs = append(c.msgs, o.msgs...)
		c.runs = append(o.runs, c.runs...)
		c.startSlot = min(c.startSlot, o.startSlot)
	}
	return c
}

// settle closes a component once every byte of its writes has arrived or
// is lost, and decides how to draw it.
func (b *Builder) settle(c *comp, now int64) {
	if c.closed || len(c.msgs) == 0 {
		return
	}
	for _, m := range c.msgs {
		if !m.settled() {
			return
		}
	}
	c.closed = true
	if len(c.runs) != 1 {
		return
	}
	first := c.msgs[0].t
	for _, m := range c.msgs {
		first = min(first, m.t)
	}
	if c.runs[0].last-first > b.opts.Instant {
		return
	}
	if len(c.msgs) > 1 && b.foreignSince(c) {
		return
	}
	c.through = true
	if s := b.slotByID(c.runs[0].slot); s != nil {
		s.hidden = true
	}
}

// foreignSince reports whether a row that is not part of c, and not an
// arrow the other way, was added since c's first write: then drawing c's
// writes as arrows that arrive at once would hide the order of events.
func (b *Builder) foreignSince(c *comp) bool {
	mine := map[int]bool{}
	for _, m := range c.msgs {
		mine[m.slot] = true
	}
	for _, r := range c.runs {
		mine[r.slot] = true
	}
	for id := c.startSlot; id < b.base+len(b.slots); id++ {
		s := b.slotByID(id)
		if s == nil || s.hidden || mine[id] {
			continue
		}
		if s.row.Kind == ArrowRow && s.row.Dir != c.dirName() {
			continue
		}
		return true
	}
	return false
}

func (c *comp) dirName() string {
	if c.d == 1 {
		return trace.A2H
	}
	return trace.H2A
}

// lose records bytes removed from direction d's writer stream.
func (b *Builder) lose(d int, spans []trace.Span, kind MarkKind, why string, seq int64) {
	for _, sp := range spans {
		if sp.Off < 0 {
			continue
		}
		b.find(d, sp.Off, sp.N, func(m *message, from, to int64) {
			k := kind
			if k == Lost && to == m.off+m.n && from > m.off && m.delivered > 0 {
				k = Cut
			}
			m.lost += to - from
			m.flags |= bytefmt.FLost
			if s := b.slotByID(m.slot); s != nil {
				s.row.Marks = addMark(s.row.Marks, Mark{Kind: k, N: to - from, Text: why, Seq: seq})
				s.row.LastSeq = max(s.row.LastSeq, seq)
			}
			if m.comp == nil {
				m.comp = &comp{d: d, msgs: []*message{m}, startSlot: m.slot}
			}
			b.settle(m.comp, 0)
		})
	}
}

// addMark adds a mark, folding it into one of the same kind and reason.
func addMark(ms []Mark, mk Mark) []Mark {
	for i := range ms {
		if ms[i].Kind == mk.Kind && ms[i].Text == mk.Text {
			ms[i].N += mk.N
			return ms
		}
	}
	return append(ms, mk)
}

func (b *Builder) fault(ev trace.Event) {
	d := dirIndex(ev.Dir)
	name := ev.Name
	if name == "" {
		name = ev.Fault
	}
	touched := false
	if len(ev.Lost) > 0 {
		kind := Lost
		switch ev.Fault {
		case "truncate", "restart-agent", "reboot":
			kind = Cut
		}
		b.lose(d, ev.Lost, kind, name, ev.Seq)
		touched = true
	}
	for _, sp := range ev.Changed {
		b.find(d, sp.Off, sp.N, func(m *message, from, to int64) {
			m.changed += to - from
			m.flags |= bytefmt.FChanged
			if s := b.slotByID(m.slot); s != nil {
				s.row.Marks = addMark(s.row.Marks, Mark{Kind: Corrupted, N: to - from, Text: name, Seq: ev.Seq})
			}
		})
		touched = true
	}
	if ev.Added > 0 {
		b.pendAdd[d] = name
		touched = true
	}
	if touched {
		return
	}
	switch ev.Fault {
	case "restart-agent", "reboot":
		return // the agent.restart row that follows says it, with the name
	}
	lane := Link
	switch ev.Fault {
	case "reconnect-host":
		lane = Host
	case "freeze", "thaw":
		lane = Agent
	}
	txt := "⚡ " + name
	if ev.Text != "" {
		txt += ": " + ev.Text
	}
	b.add(Row{Kind: NoteRow, T: ev.T, Seq: ev.Seq, From: lane, To: lane, Text: txt, Alarm: true})
}

func (b *Builder) hold(ev trace.Event) {
	d := dirIndex(ev.Dir)
	b.find(d, ev.Off, ev.N, func(m *message, from, to int64) {
		m.flags |= bytefmt.FHeld
		if s := b.slotByID(m.slot); s != nil {
			s.row.Marks = addMark(s.row.Marks, Mark{Kind: Held, N: to - from, Text: ev.Text, Seq: ev.Seq})
		}
	})
}

func (b *Builder) clientState(ev trace.Event) {
	if ev.State == "poisoned" {
		b.add(Row{Kind: NoteRow, T: ev.T, Seq: ev.Seq, From: Host, To: Host, Alarm: true,
			Text: "✗ the client is poisoned: " + model.Why(ev.State, ev.Text)})
		return
	}
	// What the client says right after bytes reached it is what it made
	// of them ("sentinel seen", "3220 bytes wait unread").
	if b.lastKind == trace.KindDeliver && b.lastRun != nil && b.lastRun.state == "" && b.lastRun.last == ev.T {
		why := model.Why(ev.State, ev.Text)
		switch {
		case ev.State == "idle" && why != "":
			b.lastRun.state = why
		case why != "":
			b.lastRun.state = ev.State + ": " + why
		default:
			b.lastRun.state = ev.State
		}
	}
}

func (b *Builder) discard(ev trace.Event) {
	for _, sp := range ev.Src {
		if sp.Off < 0 {
			continue
		}
		b.find(1, sp.Off, sp.N, func(m *message, from, to int64) {
			m.discarded += to - from
			if m.discardWhy == "" {
				m.discardWhy = ev.Text
			}
			if m.comp == nil {
				return
			}
			for _, r := range m.comp.runs {
				if overlaps(r.spans, from, to) {
					r.flags |= bytefmt.FDiscarded
					if r.why == "" {
						r.why = ev.Text
					}
				}
			}
		})
	}
}

func overlaps(ss []trace.Span, from, to int64) bool {
	for _, s := range ss {
		if s.Off < to && from < s.Off+s.N {
			return true
		}
	}
	return false
}

func (b *Builder) outcome(ev trace.Event) {
	cmd := b.reqCmd[ev.Req]
	who := fmt.Sprintf("#%d %s", ev.Req, cmd)
	r := Row{Kind: NoteRow, T: ev.T, Seq: ev.Seq, From: Host, To: Host, Req: ev.Req}
	switch ev.Outcome {
	case "timed out", "failed":
		r.Alarm = true
		r.Text = who + " " + ev.Outcome
		if t, ok := b.reqT[ev.Req]; ok && ev.Outcome == "timed out" {
			r.Text += " after " + bytefmt.Duration(ev.T-t)
		}
		if ev.Text != "" {
			r.Text += ": " + ev.Text
		}
		b.add(r).ends = true
		return
	}
	rr := ev.Reply
	var m *message
	if rr != nil && (rr.Status == "reply" || rr.Status == "corrupted") {
		m = b.byReply[replyKey{rr.Inc, rr.ASeq}]
	}
	var rn *run
	if m != nil {
		m.accepted = true
		m.flags |= bytefmt.FAccepted
		if m.comp != nil {
			for _, x := range m.comp.runs {
				if x.rOff < ev.Off+ev.N && ev.Off < x.rEnd && overlaps(x.spans, m.off, m.off+m.n) {
					x.flags |= bytefmt.FAccepted
					rn = x
				}
			}
		}
	}
	own := rr != nil && rr.Status == "reply" && rr.OriginReq == ev.Req
	if own && m != nil && m.comp != nil && m.comp.closed && b.lastVisible(m, rn) {
		// Its own reply, just arrived: say so at the arrow's host end.
		if m.comp.through {
			m.takenBy = ev.Req
		} else if rn != nil {
			rn.taken = ev.Req
		}
		b.slotByID(headSlot(m, rn)).row.LastSeq = ev.Seq
		return
	}
	r.Style = Double
	switch {
	case own:
		r.Text = who + " gets its reply"
	case m != nil:
		r.Text = who + " gets the " + shortReplyName(m)
	case rr == nil || rr.Status == "none":
		if ev.N == 0 {
			r.Text = who + ": success without a reply"
		} else {
			r.Text = who + " gets a line no agent wrote"
		}
	case rr.Status == "mixed":
		r.Text = who + " gets a line spliced from several replies"
	default:
		r.Text = who + " gets a reply no longer drawn"
	}
	s := b.add(r)
	s.taken, s.takenR, s.ends = m, rn, true
}

// headSlot is the row whose head is at the host for a reply's bytes.
func headSlot(m *message, rn *run) int {
	if m.comp != nil && m.comp.through {
		return m.slot
	}
	if rn != nil {
		return rn.slot
	}
	return m.slot
}

// lastVisible reports whether the row that brought m to the host is the
// last row drawn at the host, so an outcome can be said at its end: only
// notes of the agent or the link (the guest froze) may follow it.
func (b *Builder) lastVisible(m *message, rn *run) bool {
	head := headSlot(m, rn)
	for id := b.base + len(b.slots) - 1; id > head; id-- {
		if s := b.slotByID(id); s != nil && !s.hidden && (s.row.Kind != NoteRow || s.row.From == Host) {
			return false
		}
	}
	return b.slotByID(head) != nil
}
