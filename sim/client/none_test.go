package client

import (
	"bytes"
	"testing"
)

// cloudpods' client reads replies with a bufio.Scanner of the default size:
// a line that does not fit in 64 KiB stops it with "token too long", and
// every later call fails at once (digitalocean/go-qemu#159 shows the same
// limit in go-qemu's QMP reader). A line of exactly 64 KiB with its newline
// still fits.
func TestNoneMaxLine(t *testing.T) {
	fits := append(bytes.Repeat([]byte("x"), DefaultMaxLine-len(`{"return": ""}`)-1), '\n')
	fits = append(append([]byte(`{"return": "`), fits[:len(fits)-1]...), []byte("\"}\n")...)
	if len(fits) != DefaultMaxLine {
		t.Fatalf("test line is %d bytes", len(fits))
	}
	c, _ := New("none", Options{}, nil)
	c.Connected(0)
	c.Issue(0, Request{Seq: 1, Execute: "guest-file-read"})
	c.Receive(1, fits)
	if a := c.Take(); len(a.Outcomes) != 1 || a.Outcomes[0].Kind != Returned {
		t.Fatalf("a 64 KiB line: %+v", a.Outcomes)
	}

	c.Issue(2, Request{Seq: 2, Execute: "guest-file-read"})
	c.Receive(3, bytes.Repeat([]byte("y"), DefaultMaxLine))
	a := c.Take()
	if len(a.Outcomes) != 1 || a.Outcomes[0].Kind != Failed || a.Outcomes[0].Detail != noneTooLong {
		t.Fatalf("a longer line: %+v", a.Outcomes)
	}
	if r, ok := c.(Reader); !ok || r.Reading() {
		t.Fatal("a failed Scanner reads nothing more")
	}
	c.Issue(4, Request{Seq: 3, Execute: "guest-ping"})
	if a := c.Take(); len(a.Outcomes) != 1 || a.Outcomes[0].Detail != noneTooLong {
		t.Fatalf("a call after the failure: %+v", a.Outcomes)
	}
	c.Connected(5)
	c.Issue(5, Request{Seq: 4, Execute: "guest-ping"})
	c.Receive(6, []byte("{\"return\": {}}\n"))
	if a := c.Take(); len(a.Outcomes) != 1 || a.Outcomes[0].Kind != Returned {
		t.Fatalf("a new connection has a new Scanner: %+v", a.Outcomes)
	}

	big, _ := New("none", Options{MaxLine: 1 << 20}, nil)
	big.Connected(0)
	big.Issue(0, Request{Seq: 1, Execute: "guest-file-read"})
	big.Receive(1, append(bytes.Repeat([]byte("z"), 200_000), '\n'))
	if a := big.Take(); len(a.Outcomes) != 1 || a.Outcomes[0].Kind != Failed || a.Outcomes[0].Detail == noneTooLong {
		t.Fatalf("max-line 1 MiB: a 200 kB line is read (and is no JSON): %+v", a.Outcomes)
	}
}

// cloudpods' execCmd: an error reply becomes monitor.Error's "<class>:
// <desc>"; a line that is no JSON object fails the call with the decoder's
// error.
func TestNoneCallerTexts(t *testing.T) {
	c, _ := New("none", Options{}, nil)
	c.Connected(0)
	c.Issue(0, Request{Seq: 1, Execute: "guest-nope"})
	c.Receive(1, []byte("{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command guest-nope has not been found\"}}\n"))
	if a := c.Take(); a.Outcomes[0].Kind != ErrorReply || a.Outcomes[0].Detail != "CommandNotFound: The command guest-nope has not been found" {
		t.Fatalf("%+v", a.Outcomes)
	}
	c.Issue(2, Request{Seq: 2, Execute: "guest-ping"})
	c.Receive(3, []byte("garbage\n"))
	if a := c.Take(); a.Outcomes[0].Kind != Failed || a.Outcomes[0].Detail != "unmarshal qga res: invalid character 'g' looking for beginning of value" {
		t.Fatalf("%+v", a.Outcomes)
	}
}

// The status after a caller's line: "handed" even when more lines wait;
// "N bytes wait unread" only when a line comes with no caller waiting.
func TestNoneStatusAfterALine(t *testing.T) {
	c, _ := New("none", Options{}, nil)
	c.Connected(0)
	c.Issue(0, Request{Seq: 1, Execute: "guest-ping"})
	c.Receive(1, []byte("{\"return\": {}}\n{\"return\": 2}\n"))
	c.Take()
	if s := c.Status(); s.State != Idle || s.Why != "handed the next line to the caller" {
		t.Fatalf("after the line: %+v", s)
	}
	c.Receive(2, []byte("{\"return\": 3}\n"))
	if s := c.Status(); s.Why != "28 bytes wait unread for the next caller" {
		t.Fatalf("a line for no caller: %+v", s)
	}
}
