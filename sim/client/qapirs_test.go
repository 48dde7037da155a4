package client

import (
	"strings"
	"testing"
	"time"

	"github.com/qgasim/qgasim/sim/agent"
)

// vmtest's QgaWrapper::new and qapi-rs's Qga::guest_sync: one guest-sync
// with an id in 1..9999, exactly one line read, then bare commands with
// "arguments":{} and no id.
func TestQapiRSHandshakeThenBareCommands(t *testing.T) {
	h := newHarness("qapi-rs", Options{}, agent.Config{})
	h.issue(0, 1, "guest-ping", "")
	h.issue(time.Second, 2, "guest-get-host-name", "")
	tr := h.run(5 * time.Second)
	checkTranscript(t, "qapi-rs-handshake", tr)
	if n := strings.Count(tr, `guest-sync\",\"arguments\":{\"id\":`); n != 1 {
		t.Errorf("%d handshakes, want 1", n)
	}
	if !strings.Contains(tr, `{\"execute\":\"guest-ping\",\"arguments\":{}}\n`) {
		t.Errorf("commands go out as qapi-rs serializes them:\n%s", tr)
	}
	if h.outcomes[1].Kind != Returned || h.outcomes[2].Kind != Returned {
		t.Errorf("outcomes %+v", h.outcomes)
	}
}

// danobi/vmtest#40: guest-exec-status failed with "Resource temporarily
// unavailable (os error 11)" after the 5 s read timeout; nothing resyncs
// afterwards, so the late reply is the next command's answer.
func TestQapiRSLateReplyIsTheNextAnswer(t *testing.T) {
	h := newHarness("qapi-rs", Options{}, slowInfo)
	h.issue(0, 1, "guest-info", "")
	h.issue(8*time.Second, 2, "guest-ping", "")
	h.run(20 * time.Second)
	if o := h.outcomes[1]; o.Kind != TimedOut || o.Detail != qrEAGAIN {
		t.Errorf("#1: %s %q", o.Kind, o.Detail)
	}
	if o := h.outcomes[2]; !strings.Contains(string(o.Reply), "supported_commands") {
		t.Errorf("#2 (guest-ping) got %q, want guest-info's late reply", o.Reply)
	}
}

// The handshake fails on anything but its own id: sleep 1 s, drop the
// connection, try again on a new one with a new id, until the deadline.
func TestQapiRSHandshakeRetries(t *testing.T) {
	d := newDriver(t, "qapi-rs", Options{SyncTimeout: 10 * time.Second})
	d.issue(0, 1, "guest-ping")
	first := d.lastWrite()
	d.c.Receive(1*ms, []byte("{\"return\": 77}\n")) // not our id
	a := d.c.Take()
	if a.Reopen || len(a.Outcomes) != 0 || !strings.Contains(d.c.Status().Why, "retrying") {
		t.Fatalf("a wrong id: retry after a sleep, not at once: %+v", a)
	}
	if r := d.c.(Reader); r.Reading() {
		t.Fatal("nothing reads while vmtest sleeps between tries")
	}
	d.c.Tick(1001 * ms)
	a = d.c.Take()
	if !a.Reopen {
		t.Fatal("after the sleep: a new connection")
	}
	d.c.Connected(1001 * ms)
	d.take()
	if d.lastWrite() == first {
		t.Fatalf("a new try draws a new id: %q", d.lastWrite())
	}
	d.tick(1001*ms + int64(5*time.Second)) // read timeout
	if !strings.Contains(d.c.Status().Why, qrEAGAIN) {
		t.Fatalf("status %+v", d.c.Status())
	}
	for now := 7 * int64(time.Second); len(d.outs) == 0 && now < int64(30*time.Second); now += int64(time.Second) {
		d.c.Tick(now)
		a := d.c.Take()
		d.outs = append(d.outs, a.Outcomes...)
		if a.Reopen {
			d.c.Connected(now)
			d.take()
		}
	}
	if o := d.outcome(1); o.Kind != Failed || o.Detail != qrTimedOut {
		t.Fatalf("after the handshake deadline: %+v", o)
	}
	d.issue(31*int64(time.Second), 2, "guest-ping")
	if o := d.outcome(2); o.Detail != qrTimedOut {
		t.Fatalf("a call after vmtest gave up: %+v", o)
	}
}

// With the id fixed (qapi-rs's examples and the first draft of
// danobi/vmtest#27 used the stream's address, the same on every try), the
// reply to an earlier try's sync passes the next try's check: the fresh
// reply is then the first command's answer.
func TestQapiRSFixedIDAcceptsAStaleSyncReply(t *testing.T) {
	d := newDriver(t, "qapi-rs", Options{SyncID: 4242})
	d.issue(0, 1, "guest-exec")
	d.tick(int64(5 * time.Second))   // try 1 times out
	d.c.Tick(int64(6 * time.Second)) // the sleep ends
	if a := d.c.Take(); !a.Reopen {
		t.Fatal("no new connection after the sleep")
	}
	d.c.Connected(int64(6 * time.Second))
	d.take()
	if !strings.Contains(d.lastWrite(), `"id":4242`) {
		t.Fatalf("the fixed id: %q", d.lastWrite())
	}
	// Try 1's reply, held for the next connection, comes first: accepted.
	d.recv(int64(6*time.Second)+1, "{\"return\": 4242}\n")
	if !strings.Contains(d.lastWrite(), "guest-exec") {
		t.Fatalf("the stale reply should pass the handshake; wrote %q", d.lastWrite())
	}
	d.recv(int64(6*time.Second)+2, "{\"return\": 4242}\n")
	if o := d.outcome(1); o.Kind != Returned || string(o.Reply) != `{"return": 4242}` {
		t.Fatalf("guest-exec's answer: %+v", o)
	}
}

// serde_json's words for lines qapi-rs cannot decode.
func TestQapiRSDecodeErrors(t *testing.T) {
	for line, want := range map[string]string{
		"garbage":             "expected value at line 1 column 1",
		"\xff{\"return\": 1}": "expected value at line 1 column 1",
		`{"return": 1}{}`:     "trailing characters at line 1 column 14",
		`{"QMP": {}}`:         "data did not match any variant of untagged enum Response",
		`{"return": {}}`:      "",
	} {
		if got := qrDecodeError([]byte(line)); got != want {
			t.Errorf("%q: %q, want %q", line, got, want)
		}
	}
}
