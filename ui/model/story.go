package model

import (
	"fmt"

	"github.com/qgasim/qgasim/sim/trace"
	"github.com/qgasim/qgasim/ui/bytefmt"
)

// Story tells what happened to byte i of segment seg of stream s, one line
// a fact: which write it belonged to, what happened to it on the way, who
// consumed it. It answers the question a click on a byte asks.
func (m *Model) Story(s *Stream, seg *Segment, i int) []string {
	if seg == nil || i < 0 || i >= len(seg.Bytes) {
		return nil
	}
	b := seg.Bytes[i]
	out := []string{fmt.Sprintf("byte 0x%s %q: %s", bytefmt.Hex(b), string(bytefmt.Text(b)), seg.Class(i))}
	if seg.Kind == SegAdded {
		out = append(out, fmt.Sprintf("no one wrote it: %s, delivered at %s", seg.Label, bytefmt.Time(seg.T)))
		return out
	}
	off := seg.Off + int64(i)
	who := "the host"
	if s.Dir == trace.A2H {
		who = fmt.Sprintf("agent process %d", seg.Inc)
	}
	out = append(out, fmt.Sprintf("written at %s by %s: %s, byte %d of %d (offset %d of %s)",
		bytefmt.Time(seg.T), who, seg.Label, i+1, len(seg.Bytes), off, s.Dir))
	if s.Dir == trace.H2A && seg.Req > 0 {
		out = append(out, fmt.Sprintf("it carries request #%d on connection %d", seg.Req, seg.Conn))
	}
	f := seg.Flags[i]
	switch {
	case f&bytefmt.FLost != 0:
		out = append(out, "it was lost on the way: never delivered")
	case f&bytefmt.FDelivered != 0:
		line := "delivered"
		if d, r := s.deliveryOf(off); d != nil {
			line += fmt.Sprintf(" at %s, as byte %d the reader read", bytefmt.Time(d.T), r)
			if s.Dir == trace.H2A && d.Inc > 0 {
				line += fmt.Sprintf(" (agent process %d)", d.Inc)
			}
		}
		out = append(out, line)
	case f&bytefmt.FHeld != 0:
		out = append(out, "held by the transport: no reader yet")
	default:
		out = append(out, "still on the wire")
	}
	if f&bytefmt.FChanged != 0 {
		if v, ok := seg.NewVal[i]; ok {
			out = append(out, fmt.Sprintf("a fault changed it to 0x%s on the way", bytefmt.Hex(v)))
		} else {
			out = append(out, "a fault changed it on the way")
		}
	}
	if s.Dir == trace.H2A {
		if r := m.consumer(off); r != "" {
			out = append(out, r)
		}
	} else if m.wire != nil {
		out = append(out, m.wireStory(off)...)
	} else {
		switch {
		case f&bytefmt.FAccepted != 0:
			for _, rq := range m.Requests {
				if rq.Reply != nil && rq.Reply.Inc == seg.Inc && rq.Reply.ASeq == seg.ASeq {
					out = append(out, fmt.Sprintf("the client handed it to caller #%d (%s) at %s: %s",
						rq.Req, rq.Cmd, bytefmt.Time(rq.At), rq.Verdict()))
					break
				}
			}
		case f&bytefmt.FDiscarded != 0:
			out = append(out, "the client threw it away while resyncing")
		case f&bytefmt.FDelivered != 0 && seg.OriginReq == 0 && !seg.OriginNone:
			out = append(out, "it answers the client's own bytes (a sync, a 0xFF): no caller gets it")
		}
		if seg.OriginReq > 0 {
			out = append(out, fmt.Sprintf("the agent wrote it answering request #%d", seg.OriginReq))
		} else if seg.OriginNone {
			out = append(out, "the agent wrote it answering bytes no host wrote (a fault's, or an injection)")
		}
	}
	return out
}

// consumer names the agent message a host byte ended up in: the first
// message completed by a byte at or after it. Messages are kept in a window
// like everything else.
func (m *Model) consumer(off int64) string {
	for _, msg := range m.messages {
		if msg.originOff >= off && msg.originOK {
			cmd := msg.cmd
			if cmd == "" {
				cmd = "a message that was not a request"
			}
			line := fmt.Sprintf("the agent (process %d) read it as part of message %d, %s, handled at %s", msg.inc, msg.aseq, cmd, bytefmt.Time(msg.t))
			if msg.class != "" {
				line += " -> " + msg.class
			}
			return line
		}
	}
	return "no agent message has ended with it yet"
}
