package model

import (
	"github.com/qgasim/qgasim/sim/qjson"
	"github.com/qgasim/qgasim/sim/trace"
)

// The parser strip: the agent's JSON lexer after each byte of its current
// read, so that a person can step through a read byte by byte and see a
// fragment held in the parser, the 0xFF or the error that flushes it, and
// the lexer's recovery.
//
// The trace says what the agent read (link.deliver to the agent) but only
// the parser's state after a whole read (agent.parser). The model keeps a
// parser of its own, the same QEMU lexer and streamer (sim/qjson), fed the
// same bytes one at a time from a new process on: qemu-ga never resets its
// parser between clients, only a new process starts a new one. It works on
// a recorded trace as well as on a running World. Commands the guest runs
// through the agent itself (a freeze by a fault) are fed only while the
// parser is idle and leave it idle, so the copy does not need them.

// ParserByte is the parser after one byte of a read.
type ParserByte struct {
	B       byte
	Lex     qjson.LexState // the lexer's state after the byte
	Brace   int            // open braces of the message being built
	Bracket int
	Pending int // bytes held for the message: queued tokens and the token in progress
	// Ended is set when the byte ended a message: its error text
	// ("JSON parse error, stray '...'"), or the command it asked for.
	Ended  bool
	Err    string
	Cmd    string
	Fresh  bool // a message started at this byte (the parser held nothing before it)
	Idle   bool // the parser holds nothing after the byte
	Offset int64
}

// ParserRead is the agent's current read, byte by byte.
type ParserRead struct {
	T   int64
	Seq int64 // the link.deliver event of the read
	Inc int   // the agent process
	Off int64 // the read's first byte in the agent's stream (reader offset)
	N   int64 // bytes in the read
	// Skipped bytes at the read's start have no ParserByte (a read larger
	// than the strip keeps: Limits.StreamBytes/64, at least 4 KiB).
	Skipped int64
	Bytes   []ParserByte
	// Before is the parser before the read's first byte: what it held then
	// (the fragment a dead client left) and in which state.
	Before ParserByte
	Held   []byte // the bytes held before the read (their last HeldMax), the fragment
	HeldN  int64  // how many bytes were held before the read
}

// HeldAt is what the parser holds after byte i of the read: the bytes of
// the unfinished message (their last HeldMax) and how many there are.
func (r ParserRead) HeldAt(i int) ([]byte, int64) {
	held, n := append([]byte(nil), r.Held...), r.HeldN
	if r.Skipped > 0 {
		// The strip does not keep the read's first bytes: count from the
		// first one it keeps.
		held, n = nil, 0
	}
	for k := 0; k <= i && k < len(r.Bytes); k++ {
		b := r.Bytes[k]
		if b.Ended || b.Idle || b.Lex == qjson.InRecovery {
			held, n = held[:0], 0
			continue
		}
		if len(held) == HeldMax {
			held = append(held[:0], held[1:]...)
		}
		held = append(held, b.B)
		n++
	}
	return held, n
}

// HeldMax is how many of the bytes a parser holds the model keeps to show.
const HeldMax = 256

// shadowParser follows the agent's parser.
type shadowParser struct {
	p     *qjson.Parser
	inc   int
	held  []byte // the last HeldMax bytes of the message being built
	heldN int64
	read  ParserRead
	keep  int // bytes of a read kept as ParserBytes
	ended struct {
		err, cmd string
		ok       bool
	}
	emit func(qjson.Message)
}

func newShadow(keep int) *shadowParser {
	s := &shadowParser{p: qjson.NewParser(), keep: keep}
	s.emit = func(m qjson.Message) {
		s.ended.ok = true
		s.ended.err, s.ended.cmd = m.Err, ""
		if !m.IsError() && m.Value.Kind == qjson.Object && m.Value.O != nil {
			if v, ok := m.Value.O.Get("execute"); ok && v.Kind == qjson.String {
				s.ended.cmd = v.S
			}
		}
	}
	return s
}

// state is the parser as a ParserByte (without the byte).
func (s *shadowParser) state() ParserByte {
	st := s.p.State()
	return ParserByte{Lex: st.Lex, Brace: st.Brace, Bracket: st.Bracket, Pending: st.Pending, Idle: s.p.Idle()}
}

// restart is a new agent process: a new parser.
func (s *shadowParser) restart(inc int) {
	s.p, s.inc = qjson.NewParser(), inc
	s.held, s.heldN, s.read = s.held[:0], 0, ParserRead{}
}

// feed lexes one read, byte by byte, and records the strip.
func (s *shadowParser) feed(ev trace.Event) {
	r := ParserRead{T: ev.T, Seq: ev.Seq, Inc: ev.Inc, Off: ev.Off, N: int64(len(ev.Bytes)),
		Before: s.state(), Held: append([]byte(nil), s.held...), HeldN: s.heldN}
	if over := len(ev.Bytes) - s.keep; over > 0 {
		r.Skipped = int64(over)
	}
	r.Bytes = make([]ParserByte, 0, min(len(ev.Bytes), s.keep))
	one := make([]byte, 1)
	for i, b := range ev.Bytes {
		heldBefore := s.p.State().Pending
		s.ended.ok = false
		one[0] = b
		s.p.Feed(one, s.emit)
		pb := s.state()
		pb.B, pb.Offset = b, ev.Off+int64(i)
		pb.Fresh = heldBefore == 0 && pb.Pending > 0
		if s.ended.ok {
			pb.Ended, pb.Err, pb.Cmd = true, s.ended.err, s.ended.cmd
		}
		// What the parser holds: the bytes since the message began. A byte
		// that ends a message, or one the lexer skips in recovery, leaves
		// nothing held.
		switch {
		case pb.Ended || pb.Idle || pb.Lex == qjson.InRecovery:
			s.held, s.heldN = s.held[:0], 0
		default:
			if len(s.held) == HeldMax {
				copy(s.held, s.held[1:])
				s.held = s.held[:HeldMax-1]
			}
			s.held = append(s.held, b)
			s.heldN++
		}
		if int64(i) >= r.Skipped {
			r.Bytes = append(r.Bytes, pb)
		}
	}
	s.read = r
}

// Parser is the parser strip of the agent's last read (ok false before the
// first read of the current process).
func (m *Model) Parser() (ParserRead, bool) {
	if m.shadow == nil || m.shadow.read.Seq == 0 {
		return ParserRead{}, false
	}
	return m.shadow.read, true
}

// ParserNow is the parser as the model's copy has it now, and the bytes it
// holds (their last HeldMax) and how many.
func (m *Model) ParserNow() (ParserByte, []byte, int64) {
	if m.shadow == nil {
		return ParserByte{Lex: qjson.InStart, Idle: true}, nil, 0
	}
	return m.shadow.state(), m.shadow.held, m.shadow.heldN
}

// parserEvent feeds the model's parser: reads by the agent, a new process.
func (m *Model) parserEvent(ev trace.Event) {
	if m.shadow == nil {
		keep := int(max(4096, m.limits.StreamBytes/64))
		m.shadow = newShadow(keep)
	}
	switch {
	case ev.Kind == trace.KindDeliver && ev.Dir == trace.H2A:
		if ev.Inc != 0 && ev.Inc != m.shadow.inc && m.shadow.inc != 0 {
			m.shadow.restart(ev.Inc)
		}
		if m.shadow.inc == 0 {
			m.shadow.inc = ev.Inc
		}
		m.shadow.feed(ev)
	case ev.Kind == trace.KindAgentStart:
		if ev.Inc != m.shadow.inc {
			m.shadow.restart(ev.Inc)
		}
	}
}
