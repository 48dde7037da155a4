package lab

import (
	"bytes"
	"fmt"
	"strings"
	"time"
)

// Target is what a script is played against: the real guest (Real) or the
// simulator (Sim). Read returns the bytes that arrived on the connection
// during the read; the time it takes is wall time for the real guest and
// virtual time for the simulator.
type Target interface {
	Connect(conn string) error
	Write(conn string, data []byte) error
	Read(conn string, until []byte, d time.Duration) ([]byte, error)
	Close(conn string) error
	Sleep(d time.Duration)
	Agent(op Op) error
}

// Recv is what one read step of a script received.
type Recv struct {
	Step int    // index of the read step in the script
	Conn string // the connection read
	Data []byte
}

// Transcript is what the host received in one play of a script: one Recv
// per read step, in order.
type Transcript struct {
	Script string
	Reads  []Recv
}

// Play runs the script against the target and records every read. It stops
// at the first step that fails.
func Play(t Target, s Script) (Transcript, error) {
	tr := Transcript{Script: s.Name}
	for i, st := range s.Steps {
		var err error
		switch st.Op {
		case OpConnect:
			err = t.Connect(st.Conn)
		case OpWrite:
			err = t.Write(st.Conn, st.Data)
		case OpRead:
			var got []byte
			got, err = t.Read(st.Conn, st.Until, st.For)
			tr.Reads = append(tr.Reads, Recv{Step: i, Conn: st.Conn, Data: got})
		case OpClose:
			err = t.Close(st.Conn)
		case OpSleep:
			t.Sleep(st.For)
		default:
			err = t.Agent(st.Op)
		}
		if err != nil {
			return tr, fmt.Errorf("%s step %d (%s): %w", s.Name, i+1, st, err)
		}
	}
	return tr, nil
}

// Conn is everything connection c received, over all its reads.
func (t Transcript) Conn(c string) []byte {
	var b []byte
	for _, r := range t.Reads {
		if r.Conn == c {
			b = append(b, r.Data...)
		}
	}
	return b
}

// String shows the transcript one read per line.
func (t Transcript) String() string {
	var sb strings.Builder
	for _, r := range t.Reads {
		fmt.Fprintf(&sb, "  step %d %s RECV %s\n", r.Step+1, r.Conn, Quote(r.Data))
	}
	return sb.String()
}

// Equal reports whether two transcripts received the same bytes in the same
// reads.
func (t Transcript) Equal(u Transcript) bool {
	if len(t.Reads) != len(u.Reads) {
		return false
	}
	for i := range t.Reads {
		if t.Reads[i].Conn != u.Reads[i].Conn || !bytes.Equal(t.Reads[i].Data, u.Reads[i].Data) {
			return false
		}
	}
	return true
}
