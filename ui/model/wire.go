package model

import (
	"fmt"
	"strings"

	"github.com/qgasim/qgasim/sim/check"
	"github.com/qgasim/qgasim/sim/trace"
)

// A live session (serve, proxy: its trace starts with a session event) has
// a real client, which says nothing about its requests: there are no
// request events to fold. The model then runs the wire oracle (check.Wire,
// the judge of serve's and proxy's report) over the events as they come,
// and makes the request table of what it finds: each request as the
// client's bytes complete it, its reply as the agent writes it and the
// link delivers it, and the verdict once every byte is accounted for. The
// oracle is a pure fold too, so stepping back (folding again) rebuilds the
// same rows.

// WireState is what the oracle knows of a request a real client sent.
type WireState struct {
	Verdict  check.Verdict // "" until judged
	Why      string
	SyncID   string // guest-sync, guest-sync-delimited: the id asked for
	Answered bool   // the agent wrote its reply
	Arriving bool   // part of the reply has reached the client
	LaterReq int    // the request the client had sent when its reply came
}

// wireView is the oracle and what the fold needs around it.
type wireView struct {
	o    *check.Wire
	rows map[int]*Request
	// made: the requests the current event completed (a host write's
	// label); replyTo: the request the current agent reply answers.
	made    []string
	replyTo int
	// replies are the last agent replies that answer a request, by their
	// offsets in the agent's stream, for the story of a byte.
	replies []wireReply
	// total counts the requests found; counts the verdicts given.
	total  int
	counts map[check.Verdict]int
}

// LiveClient reports whether the model follows a live session's real
// client (its requests come from the wire oracle).
func (m *Model) LiveClient() bool { return m.wire != nil }

// startWire begins judging a real client's bytes.
func (m *Model) startWire() {
	w := &wireView{rows: map[int]*Request{}, counts: map[check.Verdict]int{}}
	w.o = check.NewWire(m.limits.Requests)
	w.o.Watch = func(r *check.WireRequest) { m.wireWatch(r) }
	m.wire = w
	m.Client = Client{State: "idle", Why: "a real client: what it does is known from its bytes alone"}
}

// observeWire folds an event into the oracle before the model uses it, so
// that a host write knows the requests it completed and a reply the
// request it answers.
func (m *Model) observeWire(ev trace.Event) {
	w := m.wire
	w.made, w.replyTo = w.made[:0], 0
	w.o.Observe(&ev)
	if ev.Kind == trace.KindEnd {
		m.wireEnd()
	}
	m.wireClient(ev)
}

// wireWatch updates a request's row with what the oracle learned.
func (m *Model) wireWatch(r *check.WireRequest) {
	w := m.wire
	row := w.rows[r.N]
	if row == nil {
		row = &Request{Req: r.N, Cmd: r.Cmd, Issued: r.Sent, Sent: r.Sent, sent: true, Wire: &WireState{SyncID: r.SyncID}}
		w.rows[r.N] = row
		w.total++
		m.addRow(row)
		name := r.Cmd
		if name == "" {
			name = "a request"
		}
		w.made = append(w.made, name+" #"+itoa(r.N))
	}
	ws := row.Wire
	if r.Answered && !ws.Answered {
		ws.Answered = true
		w.replyTo = r.N
	}
	ws.Arriving = r.First >= 0
	ws.LaterReq = r.LaterReq
	if r.Verdict != "" {
		ws.Verdict, ws.Why = r.Verdict, r.Why
		row.Done, row.Outcome, row.Detail = true, string(r.Verdict), r.Why
		w.counts[r.Verdict]++
		row.At = r.Sent
		if r.Last >= 0 {
			row.At = r.Last
		}
		delete(w.rows, r.N)
	}
}

// wireReply is an agent reply that answers a request of the client.
type wireReply struct {
	off, n int64
	req    int
	cmd    string
}

// wireReply notes where the reply to a request is in the agent's stream
// (a real agent's replies too, whose bytes are in its write segments).
func (m *Model) wireReply(ev trace.Event) {
	w := m.wire
	if w.replyTo == 0 || ev.N == 0 {
		return
	}
	w.replies = append(w.replies, wireReply{off: ev.Off, n: ev.N, req: w.replyTo, cmd: ev.Cmd})
	if n := len(w.replies); n > 2*m.limits.Deliveries {
		w.replies = append([]wireReply(nil), w.replies[n-m.limits.Deliveries:]...)
	}
	if ev.Dir == "" {
		// A real agent's bytes are its write segments: name the replies
		// they hold.
		if seg, _ := m.A2H.locate(ev.Off); seg != nil && seg.Kind == SegWrite {
			name := ev.Cmd + " #" + itoa(w.replyTo)
			if strings.HasPrefix(seg.Label, "the real agent wrote") && !strings.Contains(seg.Label, ": ") {
				seg.Label += ": the reply to " + name
			} else {
				seg.Label += ", " + name
			}
		}
	}
}

// wireStory is what the oracle says of an agent byte: the request its reply
// answers, and that request's verdict so far.
func (m *Model) wireStory(off int64) []string {
	w := m.wire
	for k := len(w.replies) - 1; k >= 0; k-- {
		r := w.replies[k]
		if off < r.off || off >= r.off+r.n {
			continue
		}
		out := []string{fmt.Sprintf("the agent wrote it answering request #%d (%s)", r.req, r.cmd)}
		for _, row := range m.Requests {
			if row.Req == r.req && row.Wire != nil {
				line := "request #" + itoa(r.req) + ": " + row.Verdict()
				if row.Wire.Why != "" {
					line += ": " + row.Wire.Why
				}
				out = append(out, line)
				break
			}
		}
		return out
	}
	return []string{"it answers no request of the client that the view still knows (an error for a 0xFF or for garbage, a reply to bytes a fault added)"}
}

// wireEnd: the session is over; what is still open gets the report's
// verdict (unanswered, or its reply still on the way).
func (m *Model) wireEnd() {
	if len(m.wire.rows) == 0 {
		return
	}
	for _, r := range m.wire.o.Summary().Requests {
		row := m.wire.rows[r.N]
		if row == nil || r.Verdict == "" {
			continue
		}
		row.Wire.Verdict, row.Wire.Why = r.Verdict, r.Why
		row.Done, row.Outcome, row.Detail, row.At = true, string(r.Verdict), r.Why, m.Now
		m.wire.counts[r.Verdict]++
		delete(m.wire.rows, r.N)
	}
}

// wireClient is the client pane of a real client: how many requests wait
// for their replies, whether it is resyncing, and the tally so far.
func (m *Model) wireClient(ev trace.Event) {
	waiting := len(m.wire.rows)
	switch {
	case m.wire.o.Resyncing():
		m.Client.State = "resyncing"
	case waiting == 1:
		m.Client.State = "waiting for 1 reply"
	case waiting > 1:
		m.Client.State = "waiting for " + itoa(waiting) + " replies"
	default:
		m.Client.State = "idle"
	}
	if ev.Kind == trace.KindConnect || ev.Kind == trace.KindClose {
		m.Client.Since = ev.T
	}
	m.Client.Why = m.wireTally()
}

// wireTally is the oracle's counts so far in the report's words: "5 sent:
// 4 correct, 1 misattributed".
func (m *Model) wireTally() string {
	w := m.wire
	if w.total == 0 {
		return "a real client: what it does is known from its bytes alone; no request yet"
	}
	var parts []string
	for _, v := range check.WireVerdicts {
		if n := w.counts[v]; n > 0 {
			parts = append(parts, itoa(n)+" "+string(v))
		}
	}
	txt := itoa(w.total) + " sent"
	if len(parts) > 0 {
		txt += ": " + strings.Join(parts, ", ")
	}
	return txt
}

// wireVerdict is the table's word for a live request.
func (r *Request) wireVerdict() string {
	ws := r.Wire
	if ws.Verdict == "" {
		switch {
		case ws.Arriving:
			return "reply arriving"
		case ws.Answered:
			return "answered, in the link"
		}
		return "waiting"
	}
	switch ws.Verdict {
	case check.Correct:
		return "ok"
	case check.Misattributed:
		return "MISATTRIBUTED (came after #" + itoa(ws.LaterReq) + ")"
	case check.Skipped:
		return "late, skipped by a resync"
	}
	return strings.ToUpper(string(ws.Verdict))
}

// wireWrong: the verdicts a user should notice.
func (r *Request) wireWrong() bool {
	switch r.Wire.Verdict {
	case check.Misattributed, check.Corrupted, check.Garbled, check.Lost, check.Unanswered:
		return true
	}
	return false
}
