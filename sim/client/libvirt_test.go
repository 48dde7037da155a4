package client

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// lvDriver drives the libvirt strategy by hand, playing the agent's side.
type lvDriver struct {
	t      *testing.T
	c      Client
	writes []string
	outs   []Outcome
}

// newDriver connects a strategy and drives it by hand (any strategy: the
// driver only records writes and outcomes).
func newDriver(t *testing.T, strategy string, opts Options) *lvDriver {
	t.Helper()
	c, err := New(strategy, opts, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	d := &lvDriver{t: t, c: c}
	c.Connected(0)
	d.take()
	return d
}

func newLV(t *testing.T) *lvDriver { return newDriver(t, "libvirt", Options{}) }

func (d *lvDriver) take() {
	a := d.c.Take()
	for _, w := range a.Writes {
		d.writes = append(d.writes, string(w.Data))
	}
	d.outs = append(d.outs, a.Outcomes...)
}

func (d *lvDriver) issue(now int64, seq int, cmd string) {
	d.c.Issue(now, Request{Seq: seq, Execute: cmd})
	d.take()
}

func (d *lvDriver) recv(now int64, s string) {
	d.c.Receive(now, []byte(s))
	d.take()
}

func (d *lvDriver) tick(now int64) {
	d.c.Tick(now)
	d.take()
}

func (d *lvDriver) lastWrite() string { return d.writes[len(d.writes)-1] }

func (d *lvDriver) outcome(seq int) Outcome {
	for _, o := range d.outs {
		if o.Seq == seq {
			return o
		}
	}
	d.t.Fatalf("no outcome for #%d (outcomes %+v)", seq, d.outs)
	return Outcome{}
}

const ms = int64(time.Millisecond)

// docs/libvirt.md, 0.2: the exact sync bytes, with the ms clock as id and no 0xFF.
func TestLibvirtLabSyncBytes(t *testing.T) {
	d := newLV(t)
	d.issue(1500*ms, 1, "guest-ping")
	want := `{"execute":"guest-sync", "arguments":{"id":1764000001500}}` + "\n"
	if d.lastWrite() != want || len(want) != 59 {
		t.Fatalf("sync %q (%d bytes), want %q (59 bytes)", d.lastWrite(), len(d.lastWrite()), want)
	}
	d.recv(1501*ms, "{\"return\": 1764000001500}\n")
	if d.lastWrite() != "{\"execute\":\"guest-ping\"}\n" {
		t.Fatalf("command %q", d.lastWrite())
	}
}

// 0.4: a sync timeout fails the call after 5 s with no second sync, and the
// command's own timeout does not change it.
func TestLibvirtLabSyncTimeout(t *testing.T) {
	d := newLV(t)
	d.c.Issue(0, Request{Seq: 1, Execute: "guest-ping", Timeout: 10 * time.Second})
	d.take()
	d.tick(5000 * ms)
	if o := d.outcome(1); o.Kind != TimedOut || o.Detail != lvNotAvailable {
		t.Fatalf("%+v", o)
	}
	if len(d.writes) != 1 {
		t.Fatalf("writes %q: want only the one sync", d.writes)
	}
}

// 0.5: during a sync, a non-integer return, an error, a wrong id (-7 read as
// 2^64-7), an event and a greeting are ignored; the matching id is taken.
func TestLibvirtLabIgnoredDuringSync(t *testing.T) {
	d := newLV(t)
	d.issue(0, 1, "guest-ping")
	d.recv(1*ms, "{\"return\": {}}\n{\"return\": 1.5}\n{\"return\": \"abc\"}\n{\"error\": {\"class\": \"GenericError\", \"desc\": \"x\"}}\n")
	d.recv(2*ms, "{\"return\": 43}\n{\"return\": -7}\n{\"event\": \"X\"}\n{\"QMP\": {}}\n")
	if len(d.writes) != 1 || len(d.outs) != 0 {
		t.Fatalf("still syncing expected; writes %q outcomes %+v", d.writes, d.outs)
	}
	d.recv(3*ms, "{\"return\": 1764000000000}\n")
	if d.lastWrite() != "{\"execute\":\"guest-ping\"}\n" {
		t.Fatalf("after the match libvirt should send the command, wrote %q", d.lastWrite())
	}
}

// 0.6: garbage during the first sync sends a second sync with a new id,
// unless the matching reply came in the same read; garbage during the second
// sync is fatal; parseable junk is fatal even during the first.
func TestLibvirtLabGarbageDuringSync(t *testing.T) {
	d := newLV(t)
	d.issue(0, 1, "guest-ping")
	d.recv(7*ms, "garbage\n")
	if len(d.writes) != 2 || !strings.Contains(d.lastWrite(), `"id":1764000000007`) {
		t.Fatalf("want a second sync with a new id, writes %q", d.writes)
	}
	d.recv(8*ms, "more garbage\n")
	if o := d.outcome(1); o.Kind != Failed || !strings.Contains(o.Detail, "cannot parse json more garbage") {
		t.Fatalf("garbage on the second sync: %+v", o)
	}
	if d.c.Status().State != Poisoned {
		t.Fatalf("state %v, want poisoned", d.c.Status().State)
	}

	d = newLV(t)
	d.issue(0, 1, "guest-ping")
	d.recv(1*ms, "garbage\n{\"return\": 1764000000000}\n")
	if len(d.writes) != 2 || d.lastWrite() != "{\"execute\":\"guest-ping\"}\n" {
		t.Fatalf("E11: the match in the same read is accepted, writes %q", d.writes)
	}

	for _, junk := range []string{"[1,2]\n", "{\"foo\": 1}\n"} {
		d = newLV(t)
		d.issue(0, 1, "guest-ping")
		d.recv(1*ms, junk)
		if o := d.outcome(1); o.Kind != Failed {
			t.Fatalf("%q during the first sync: %+v, want fatal", junk, o)
		}
	}
}

// 0.7: no check during an ordinary command: in one read the last line wins;
// across reads the first wins and the real reply is dropped as delayed.
func TestLibvirtLabNoCheckDuringCommand(t *testing.T) {
	d := newLV(t)
	d.issue(0, 1, "guest-ping")
	d.recv(1*ms, "{\"return\": 1764000000000}\n")
	d.recv(2*ms, "{\"return\": {}}\n")
	d.issue(10*ms, 2, "guest-ping")
	d.recv(11*ms, "{\"return\": 999}\n{\"return\": {}}\n")
	if got := string(d.outcome(2).Reply); got != `{"return": {}}` {
		t.Fatalf("one read: got %q, want the last line", got)
	}
	d.issue(20*ms, 3, "guest-ping")
	d.recv(21*ms, "{\"return\": 999}\n")
	d.recv(22*ms, "{\"return\": {}}\n")
	if got := string(d.outcome(3).Reply); got != `{"return": 999}` {
		t.Fatalf("two reads: got %q, want the first line", got)
	}
	// 0.8: with no command pending the real reply was dropped; nothing is
	// left for the next call, which goes out bare (still in sync).
	d.issue(30*ms, 4, "guest-ping")
	if d.lastWrite() != "{\"execute\":\"guest-ping\"}\n" {
		t.Fatalf("no sync expected while in sync, wrote %q", d.lastWrite())
	}
}

// 0.12 and 0.11: the port closes with a command in flight, then calls fail
// at once until the port opens, and the first call after syncs.
func TestLibvirtLabPortEvents(t *testing.T) {
	d := newLV(t)
	pw := d.c.(PortWatcher)
	d.issue(0, 1, "guest-ping")
	pw.PortChanged(100*ms, false)
	a := d.c.Take()
	d.outs = append(d.outs, a.Outcomes...)
	if !a.Close {
		t.Fatal("libvirt should close its socket on open:false")
	}
	if o := d.outcome(1); o.Detail != lvDisappeared {
		t.Fatalf("%+v", o)
	}
	d.issue(200*ms, 2, "guest-ping")
	if o := d.outcome(2); o.Detail != lvNotConnected {
		t.Fatalf("%+v", o)
	}
	pw.PortChanged(1100*ms, true)
	if a := d.c.Take(); !a.Reopen {
		t.Fatal("libvirt should open a new socket on open:true")
	}
	d.c.Connected(1100 * ms)
	d.take()
	pw.PortChanged(1200*ms, true) // an open while connected changes nothing
	if a := d.c.Take(); a.Reopen || a.Close {
		t.Fatal("an open:true while connected must do nothing")
	}
	d.issue(1300*ms, 3, "guest-ping")
	if !strings.Contains(d.lastWrite(), "guest-sync") {
		t.Fatalf("a new socket is not in sync: wrote %q", d.lastWrite())
	}
}

// 0.15: --async fails at once with nothing written and clears in-sync.
func TestLibvirtLabAsync(t *testing.T) {
	d := newLV(t)
	d.issue(0, 1, "guest-ping")
	d.recv(1*ms, "{\"return\": 1764000000000}\n")
	d.recv(2*ms, "{\"return\": {}}\n")
	n := len(d.writes)
	d.c.Issue(10*ms, Request{Seq: 2, Execute: "guest-ping", Timeout: Async})
	d.take()
	if o := d.outcome(2); o.Kind != TimedOut || o.Detail != lvNotAvailable {
		t.Fatalf("%+v", o)
	}
	if len(d.writes) != n {
		t.Fatalf("--async wrote %q", d.writes[n:])
	}
	d.issue(20*ms, 3, "guest-ping")
	if !strings.Contains(d.lastWrite(), "guest-sync") {
		t.Fatalf("after --async the next call syncs; wrote %q", d.lastWrite())
	}
}

// X1: for an agent error reply the caller sees libvirt's own text, with the
// command's name, not the raw JSON; an error reply does not clear in-sync.
func TestLibvirtLabAgentErrorText(t *testing.T) {
	d := newLV(t)
	d.issue(0, 1, "no-such-command")
	d.recv(1*ms, "{\"return\": 1764000000000}\n")
	d.recv(2*ms, "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command no-such-command has not been found\"}}\n")
	o := d.outcome(1)
	want := "internal error: unable to execute QEMU agent command 'no-such-command': The command no-such-command has not been found"
	if o.Kind != ErrorReply || o.Detail != want {
		t.Fatalf("X1: %s %q, want error %q", o.Kind, o.Detail, want)
	}
	d.issue(10*ms, 2, "guest-sync")
	d.recv(11*ms, "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Parameter 'id' is missing\"}}\n")
	if got := d.outcome(2).Detail; got != "internal error: unable to execute QEMU agent command 'guest-sync': Parameter 'id' is missing" {
		t.Fatalf("X1 guest-sync: %q", got)
	}
	if d.lastWrite() != "{\"execute\":\"guest-sync\"}\n" {
		t.Fatalf("an error reply must not clear in-sync: wrote %q", d.lastWrite())
	}
	// Without a desc libvirt words the class itself (qemuAgentStringifyErrorClass).
	if got := lvAgentError("guest-ping", []byte(`{"error": {"class": "CommandDisabled"}}`)); got != "internal error: unable to execute QEMU agent command 'guest-ping': The command has been disabled for this instance" {
		t.Fatalf("class text: %q", got)
	}
}

// E3, E10 and X1: the parse errors libvirt's yajl reports.
func TestLibvirtLabParseErrorTexts(t *testing.T) {
	for line, want := range map[string]string{
		"garbage":               "internal error: cannot parse json garbage: lexical error: invalid char in json text.",
		"":                      "internal error: cannot parse json : parse error: premature EOF",
		"not json":              "internal error: cannot parse json not json: lexical error: invalid string in json text.",
		`{"return": {}`:         `internal error: cannot parse json {"return": {}: parse error: premature EOF`,
		`{"return": 1}{"a": 2}`: `internal error: cannot parse json {"return": 1}{"a": 2}: parse error: trailing garbage`,
	} {
		if got := lvParseError([]byte(line)); got != want {
			t.Errorf("%q: %q, want %q", line, got, want)
		}
	}
	d := newLV(t)
	d.issue(0, 1, "guest-ping")
	d.recv(1*ms, "{\"return\": 1764000000000}\n")
	d.recv(2*ms, "garbage\n")
	if o := d.outcome(1); o.Kind != Failed || o.Detail != "internal error: cannot parse json garbage: lexical error: invalid char in json text." {
		t.Fatalf("E3: %s %q", o.Kind, o.Detail)
	}
}
