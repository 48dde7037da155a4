package lab

import (
	"bytes"
	"crypto/sha256"
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
	// Read returns what arrived on the connection in at most d, stopping
	// early once the bytes contain until (when not nil) or number max (when
	// not 0). Bytes that arrived before are in the socket and count.
	Read(conn string, until []byte, max int, d time.Duration) ([]byte, error)
	Close(conn string) error
	Sleep(d time.Duration)
	Agent(op Op) error
}

// Recv is what one read step of a script received.
type Recv struct {
	Step int    // index of the read step in the script
	Conn string // the connection read
	Data []byte
	// Sum stands for Data in a recording of a long read (see record.go):
	// the SHA-256 of the bytes; Data then holds only their first and last
	// bytes, for the eye, and Len their number.
	Sum *[32]byte
	Len int
}

// same reports whether two reads received the same bytes.
func (r Recv) same(u Recv) bool {
	if r.Conn != u.Conn {
		return false
	}
	if r.Sum == nil && u.Sum == nil {
		return bytes.Equal(r.Data, u.Data)
	}
	if r.Sum != nil && u.Sum != nil {
		return *r.Sum == *u.Sum && r.Len == u.Len
	}
	if r.Sum == nil {
		r, u = u, r
	}
	return r.Len == len(u.Data) && *r.Sum == sha256.Sum256(u.Data)
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
			got, err = t.Read(st.Conn, st.Until, st.Max, st.For)
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
		if !t.Reads[i].same(u.Reads[i]) {
			return false
		}
	}
	return true
}

// size is the number of bytes the read received.
func (r Recv) size() int {
	if r.Sum != nil {
		return r.Len
	}
	return len(r.Data)
}
