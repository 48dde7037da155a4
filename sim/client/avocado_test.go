package client

import (
	"strings"
	"testing"
	"time"

	"github.com/qgasim/qgasim/sim/agent"
)

// avocado-vt's QemuAgent (virttest/guest_agent.py): guest-sync with an id in
// 1000..9999 before the first command, json.dumps's spacing, the first
// return or error as the answer.
func TestAvocadoSyncThenCommands(t *testing.T) {
	h := newHarness("avocado-vt", Options{}, agent.Config{})
	h.issue(0, 1, "guest-ping", "")
	h.issue(time.Second, 2, "guest-nope", `{"x":1}`)
	tr := h.run(5 * time.Second)
	checkTranscript(t, "avocado-sync", tr)
	if !strings.Contains(tr, `{\"execute\": \"guest-sync\", \"arguments\": {\"id\": `) {
		t.Errorf("the sync as json.dumps writes it:\n%s", tr)
	}
	if h.outcomes[1].Kind != Returned {
		t.Errorf("#1: %+v", h.outcomes[1])
	}
	want := "Virt Agent command 'guest-nope' failed    (arguments: {'x': 1},    error message: {'class': 'CommandNotFound', 'desc': 'The command guest-nope has not been found'})"
	if o := h.outcomes[2]; o.Kind != ErrorReply || o.Detail != want {
		t.Errorf("#2: %s %q\nwant %q", o.Kind, o.Detail, want)
	}
}

// cmd_raw drains what waits before it writes, so a late reply that arrived
// in between is thrown away; a late reply that arrives after the write is
// taken, unchecked.
func TestAvocadoDrainsBeforeSending(t *testing.T) {
	d := newDriver(t, "avocado-vt", Options{})
	d.issue(0, 1, "guest-ping")
	id := strings.TrimSuffix(strings.SplitAfter(d.lastWrite(), `"id": `)[1], "}}\n")
	d.recv(1*ms, "{\"return\": "+id+"}\n")
	d.recv(2*ms, "{\"return\": {}}\n")
	if o := d.outcome(1); o.Kind != Returned {
		t.Fatalf("#1: %+v", o)
	}
	d.recv(3*ms, "{\"return\": \"stale\"}\n")
	d.issue(10*ms, 2, "guest-ping")
	a := d.c.Take()
	_ = a
	d.recv(11*ms, "{\"return\": {}}\n")
	if o := d.outcome(2); string(o.Reply) != `{"return": {}}` {
		t.Fatalf("the stale line waiting before the write should have been drained: %+v", o)
	}
	d.issue(20*ms, 3, "guest-ping")
	d.recv(21*ms, "{\"return\": \"late\"}\n{\"return\": {}}\n")
	if o := d.outcome(3); string(o.Reply) != `{"return": "late"}` {
		t.Fatalf("the first return after the write is the answer, the rest of the read is lost: %+v", o)
	}
}

// _read_objects strips a leading 0xFF from a line, and skips lines that do
// not decode, after waiting up to 5 s for them to complete. Its test for a
// complete read decodes each line as it stands, so a 0xFF-prefixed reply
// (guest-sync-delimited's) costs those 5 s too.
func TestAvocadoStripsFFAndSkipsBrokenLines(t *testing.T) {
	d := newDriver(t, "avocado-vt", Options{})
	d.issue(0, 1, "guest-ping")
	id := strings.TrimSuffix(strings.SplitAfter(d.lastWrite(), `"id": `)[1], "}}\n")
	d.recv(1*ms, "\xff{\"return\": "+id+"}\n")
	if strings.Contains(d.lastWrite(), "guest-ping") {
		t.Fatal("a 0xFF-prefixed line does not decode as it stands: the read waits")
	}
	d.tick(1*ms + int64(avocadoReadObjects))
	if !strings.Contains(d.lastWrite(), "guest-ping") {
		t.Fatalf("after 5 s the 0xFF is stripped and the sync reply accepted; wrote %q", d.lastWrite())
	}
	at := 1*ms + int64(avocadoReadObjects)
	d.recv(at+1, "garbage\n")
	if len(d.outs) != 0 {
		t.Fatalf("a broken line: the read waits for more, %+v", d.outs)
	}
	d.recv(at+2, "{\"return\": {}}\n")
	if len(d.outs) != 0 {
		t.Fatalf("the broken line never decodes: the read still waits, %+v", d.outs)
	}
	d.tick(at + 1 + int64(avocadoReadObjects))
	if d.outcome(1).Kind != Returned {
		t.Fatalf("%+v", d.outs)
	}
	d.issue(10*ms, 2, "guest-ping")
	d.recv(11*ms, "{\"retu")
	d.tick(11*ms + int64(avocadoReadObjects))
	if len(d.outs) != 1 {
		t.Fatalf("a partial line is skipped after 5 s, no answer: %+v", d.outs)
	}
	d.tick(10*ms + int64(20*time.Second))
	if o := d.outcome(2); o.Kind != TimedOut || !strings.HasPrefix(o.Detail, "cmd returned None") {
		t.Fatalf("#2: %+v", o)
	}
}

// _sync gives up at once on an error reply, and after 80 s without its id.
func TestAvocadoSyncGivesUp(t *testing.T) {
	d := newDriver(t, "avocado-vt", Options{})
	d.issue(0, 1, "guest-ping")
	d.recv(1*ms, "{\"error\": {\"class\": \"GenericError\", \"desc\": \"x\"}}\n")
	if o := d.outcome(1); o.Kind != Failed || o.Detail != "Get an error message when waiting for sync with qemu guest agent, check the debug log for the future message, detail: '{'class': 'GenericError', 'desc': 'x'}'" {
		t.Fatalf("%+v", o)
	}
	d.issue(2*ms, 2, "guest-ping")
	d.recv(3*ms, "{\"return\": 1}\n")
	d.tick(2*ms + int64(80*time.Second))
	if o := d.outcome(2); o.Kind != TimedOut || o.Detail != "Could not sync with guest agent in vm 'avocado-vt-vm1'" {
		t.Fatalf("%+v", o)
	}
	d.c.Closed(int64(81*time.Second), "agent exited")
	d.issue(int64(82*time.Second), 3, "guest-ping")
	if o := d.outcome(3); o.Detail != `Could not send data: b'{"execute": "guest-ping"}\n'    ([Errno 32] Broken pipe)` {
		t.Fatalf("%+v", o)
	}
}
