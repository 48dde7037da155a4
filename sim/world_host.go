package sim

import (
	"sort"
	"time"

	"github.com/qgasim/qgasim/sim/client"
	"github.com/qgasim/qgasim/sim/link"
	"github.com/qgasim/qgasim/sim/trace"
	"github.com/qgasim/qgasim/sim/vtime"
)

// hostOpen opens a new host connection (a unix socket waits for a
// listening agent).
func (w *World) hostOpen() {
	w.hostWant = true
	if w.link.HostOpen() {
		return
	}
	if w.link.Transport().AgentListens() && !w.proc.Up() {
		return
	}
	w.conn++
	w.link.HostConnect(w.now)
	w.emit(trace.Event{Kind: trace.KindConnect, Conn: w.conn})
	if w.cl != nil {
		w.cl.Connected(w.now)
		w.drain()
	}
}

// hostClose closes the host connection; tell says whether the client learns
// it from the channel (it did not close it itself).
func (w *World) hostClose(why string, tell bool) {
	w.hostWant = false
	if !w.link.HostOpen() {
		return
	}
	w.link.HostClose(w.now)
	w.hostReads.void()
	w.emit(trace.Event{Kind: trace.KindClose, Conn: w.conn, Text: why})
	switch {
	case tell && w.cl != nil:
		w.cl.Closed(w.now, why)
		w.drain()
	case tell && w.xh.Closed != nil:
		w.xh.Closed(w.now, why)
	}
}

// hostRead is one read of the host client.
func (w *World) hostRead() {
	if !w.link.HostOpen() || w.hostHold || w.now < w.readHoldUntil || !w.clientReads() {
		return
	}
	off, data, spans := w.link.Dir(link.A2H).Read(w.now, 0)
	if len(data) == 0 {
		return
	}
	if w.unread.deliver {
		w.skip()
	} else {
		ev := w.event(trace.KindDeliver)
		ev.Dir, ev.Off, ev.N, ev.Bytes, ev.Src, ev.Conn = "a2h", off, int64(len(data)), data, spans, w.conn
		w.send(ev)
	}
	if w.xh != nil {
		w.deliverHost(data)
		return
	}
	w.attr.addRecv(data, spans)
	w.cl.Receive(w.now, data)
	w.drain()
	if r := w.clCaps.retainer; r != nil && w.attr.recvTrimDue() {
		w.attr.trimRecv(w.recvBase+r.Retained(), w.a2hLow)
	}
}

// a2hLow is the lowest a2h writer offset a reply may still be asked about:
// that of a received byte the client still holds (from recvLow on), of a
// byte on its way, or of the next one written.
func (w *World) a2hLow(recvLow int64) int64 {
	a2h := w.link.Dir(link.A2H)
	low := a2h.Written()
	if s, ok := w.attr.recvSrc.lowestSrc(recvLow); ok {
		low = min(low, s)
	}
	if s, ok := a2h.FirstPending(); ok {
		low = min(low, s)
	}
	return low
}

// clientReads reports whether the host client reads the channel; one that
// stopped (libvirt with an error set) leaves the agent's bytes in it.
func (w *World) clientReads() bool {
	r := w.clCaps.reader
	return r == nil || r.Reading()
}

// hostWrite is one write() on the channel. Parts, if any, are attributed
// one by one: an agent message completed by a part belongs to that part.
func (w *World) hostWrite(data []byte, seq int, what string, parts ...client.Part) {
	h2a := w.link.Dir(link.H2A)
	off := h2a.Written()
	if len(parts) == 0 {
		parts = []client.Part{{N: len(data), Seq: seq, What: what}}
	}
	at := off
	for _, p := range parts {
		w.attr.addWrite(writeRec{off: at, n: int64(p.N), req: p.Seq, conn: w.conn, what: p.What})
		at += int64(p.N)
	}
	ev := w.event(trace.KindHostWrite)
	ev.Dir, ev.Off, ev.N, ev.Bytes, ev.Req, ev.Conn, ev.Text = "h2a", off, int64(len(data)), data, seq, w.conn, what
	w.send(ev)
	w.link.HostWriteShared(w.now, data)
	// A client far ahead of the agent (pipelining, a real program in live
	// mode) must not grow the records: the trim looks when they doubled.
	w.attr.trimWrites(w.h2aLow)
}

// drain carries out what the client asked for.
func (w *World) drain() {
	for {
		// A swapping client hands its actions over in w.acts and takes
		// back the arrays of the last ones. A drain begun while another
		// one works through w.acts (from an event sink that called back
		// into the World) takes the actions into a value of its own; a
		// reopen's drain comes after the actions are done with.
		nested := w.draining
		acts := &w.acts
		if nested {
			acts = new(client.Actions)
		}
		if s := w.clCaps.swapper; s != nil && !nested {
			s.Swap(acts)
		} else {
			*acts = w.cl.Take()
		}
		w.draining = true
		if acts.Changed {
			w.emitClientState()
		}
		for _, wr := range acts.Writes {
			w.hostWrite(wr.Data, wr.Seq, wr.What, wr.Parts...)
		}
		if w.unread.discard {
			w.skipN(len(acts.Discarded))
		} else {
			for _, d := range acts.Discarded {
				d.From, d.To = d.From+w.recvBase, d.To+w.recvBase
				ev := w.event(trace.KindDiscard)
				ev.Dir, ev.Off, ev.N, ev.Conn, ev.Text = "a2h", d.From, d.To-d.From, w.conn, d.Why
				ev.Src = w.attr.recvSpans(d.From, d.To)
				w.send(ev)
			}
		}
		for _, o := range acts.Outcomes {
			if o.ReplyTo > o.ReplyFrom || len(o.Reply) > 0 {
				o.ReplyFrom, o.ReplyTo = o.ReplyFrom+w.recvBase, o.ReplyTo+w.recvBase
			}
			w.outcome(o)
		}
		w.draining = nested
		reopen, close := acts.Reopen, acts.Close
		if w.clCaps.swapper == nil {
			if r := w.clCaps.recycler; r != nil {
				r.Recycle(*acts)
			}
			*acts = client.Actions{} // the client owns those arrays now
		}
		switch {
		case reopen:
			w.hostClose("client reopens the channel", false)
			w.hostOpen()
			continue
		case close:
			w.hostClose("client closed the channel", false)
		}
		return
	}
}

func (w *World) emitClientState() {
	st := w.cl.Status()
	ev := w.event(trace.KindClientState)
	ev.State, ev.Text = st.State.String(), st.Why
	w.send(ev)
}

// outcome records the end of a caller's request and wakes the program if it
// waits for it.
func (w *World) outcome(o client.Outcome) {
	ev := w.event(trace.KindOutcome)
	ev.Req, ev.Outcome, ev.Bytes, ev.Text = o.Seq, o.Kind.String(), o.Reply, o.Detail
	ev.Reply = w.attr.replyRef(o)
	if len(o.Reply) > 0 || o.ReplyTo > o.ReplyFrom {
		ev.Off, ev.N = o.ReplyFrom, o.ReplyTo-o.ReplyFrom
	}
	w.send(ev)
	delete(w.open, o.Seq)
	if w.waitReq == o.Seq && w.waitReq != 0 {
		w.waitReq = 0
		w.at(w.now, w.stepsFn)
	}
	if w.waitAll && len(w.open) == 0 {
		w.waitAll = false
		w.at(w.now, w.stepsFn)
	}
}

// restartClient is the host program's process restarting with the channel
// kept (a restart-client step): its waiting callers lose it, its connection
// closes without the client being told (it is gone), and a fresh client of
// the same strategy, with a random stream of its own, opens the channel
// after down.
func (w *World) restartClient(down time.Duration) {
	seqs := make([]int, 0, len(w.open))
	for seq := range w.open {
		seqs = append(seqs, seq)
	}
	sort.Ints(seqs)
	for _, seq := range seqs {
		w.outcome(client.Outcome{Seq: seq, Kind: client.Failed,
			Detail: "the host program restarted: the caller lost its connection to it"})
	}
	w.hostClose("the host program exited (restart)", false)
	// The new client counts what it receives from 0; the World's offsets
	// go on over the whole run.
	w.recvBase = w.attr.recvSrc.end
	w.clients++
	// New checked the strategy when it built the first client: this one
	// cannot fail.
	if cl, err := w.cfg.Client.New(w.stream("client/" + itoa(w.clients+1))); err == nil {
		w.setClient(cl)
	}
	w.timer.void()
	w.emitClientState()
	w.at(vtime.Add(w.now, down), w.hostOpen)
}
