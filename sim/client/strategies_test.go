package client

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/qgasim/qgasim/sim/agent"
)

// slowInfo is a guest whose guest-info takes 7 s: longer than any client waits.
var slowInfo = agent.Config{Latency: map[string]time.Duration{"guest-info": 7 * time.Second}}

func TestNoneHandsLateReplyToNextCaller(t *testing.T) {
	h := newHarness("none", Options{}, slowInfo)
	h.issue(0, 1, "guest-info", "")
	h.issue(8*time.Second, 2, "guest-ping", "")
	tr := h.run(20 * time.Second)
	checkTranscript(t, "none-late-reply", tr)
	if h.outcomes[1].Kind != TimedOut {
		t.Errorf("#1: %v, want timed out", h.outcomes[1].Kind)
	}
	if got := string(h.outcomes[2].Reply); !strings.Contains(got, "supported_commands") {
		t.Errorf("#2 (guest-ping) got %q, want guest-info's late reply: the naive client misattributes it", got)
	}
}

func TestLibvirtSyncsOnlyWhenNotInSync(t *testing.T) {
	h := newHarness("libvirt", Options{}, slowInfo)
	h.issue(0, 1, "guest-ping", "")
	h.issue(1*time.Second, 2, "guest-get-host-name", "")
	h.issue(2*time.Second, 3, "guest-info", "")
	h.issue(10*time.Second, 4, "guest-ping", "")
	tr := h.run(30 * time.Second)
	checkTranscript(t, "libvirt-sync-after-timeout", tr)
	if n := strings.Count(tr, `guest-sync\", \"arguments`); n != 2 {
		t.Errorf("libvirt sent %d syncs, want 2 (new connection, and after the timeout)", n)
	}
	if h.outcomes[3].Kind != TimedOut || h.outcomes[3].Detail != lvNotAvailable {
		t.Errorf("#3: %+v", h.outcomes[3])
	}
	if got := string(h.outcomes[4].Reply); got != `{"return": {}}` {
		t.Errorf("#4 got %q: the late guest-info reply should have been skipped inside the sync", got)
	}
}

func TestLibvirtEmptyLinePoisons(t *testing.T) {
	h := newHarness("libvirt", Options{}, agent.Config{})
	h.issue(0, 1, "guest-ping", "")
	h.at(1*time.Second, func(h *harness) { h.logf("agent>   \"\\n\" (injected)"); h.c.Receive(h.now, []byte("\n")) })
	h.issue(2*time.Second, 2, "guest-ping", "")
	h.at(3*time.Second, func(h *harness) {
		h.logf("port     closes and opens")
		h.c.Closed(h.now, "port closed")
		h.c.Connected(h.now)
	})
	h.issue(4*time.Second, 3, "guest-ping", "")
	tr := h.run(10 * time.Second)
	checkTranscript(t, "libvirt-empty-line-poisons", tr)
	if h.outcomes[2].Kind != Failed || h.outcomes[2].Detail != lvPoisoned {
		t.Errorf("#2 after an empty line: %+v, want %q", h.outcomes[2], lvPoisoned)
	}
	if h.outcomes[3].Kind != Returned {
		t.Errorf("#3 after the port closed and opened: %+v, want returned", h.outcomes[3])
	}
}

func TestPythonDiesOnIDLessErrorReply(t *testing.T) {
	h := newHarness("python-qga", Options{}, agent.Config{})
	h.issue(0, 1, "guest-get-host-name", "")
	// Another client's 0xFF, as on a shared channel: the agent answers it
	// with an error reply that has no id.
	h.at(1*time.Second, func(h *harness) { h.logf("other>   \"\\xff\""); h.inbox = append(h.inbox, 0xFF) })
	h.issue(2*time.Second, 2, "guest-get-host-name", "")
	tr := h.run(10 * time.Second)
	checkTranscript(t, "python-dies-on-idless-reply", tr)
	if h.outcomes[1].Kind != Returned {
		t.Errorf("#1: %+v", h.outcomes[1])
	}
	if !strings.Contains(h.c.Status().Why, "without an ID") {
		t.Errorf("status %+v: the id-less reply should have ended the session", h.c.Status())
	}
	if h.outcomes[2].Kind != Failed || h.outcomes[2].Detail != pyStateError {
		t.Errorf("#2: %+v, want a call on an ended session", h.outcomes[2])
	}
}

// qemu.qmp's _on_message: a reply nobody waits for is dropped, even without
// an id; only an ERROR reply without an id ends the session. The first id
// is __qmp#00000 (_get_exec_id counts from 0).
func TestPythonDropsIDLessReturnButNotIDLessError(t *testing.T) {
	c, _ := New("python-qga", Options{}, rand.New(rand.NewPCG(1, 2)))
	c.Connected(0)
	c.Issue(0, Request{Seq: 1, Execute: "guest-ping"})
	a := c.Take()
	if got := string(a.Writes[0].Data); got != `{"execute":"guest-ping","id":"__qmp#00000"}` {
		t.Fatalf("first request %q", got)
	}
	c.Receive(1, []byte("{\"return\": {}}\n"))
	a = c.Take()
	if len(a.Outcomes) != 0 || len(a.Discarded) != 1 || a.Discarded[0].Why != "Unknown ID 'None', message dropped." || a.Close {
		t.Fatalf("an id-less return: %+v", a)
	}
	c.Receive(2, []byte("{\"return\": {}, \"id\": \"__qmp#00000\"}\n"))
	if a = c.Take(); len(a.Outcomes) != 1 || a.Outcomes[0].Kind != Returned {
		t.Fatalf("its own reply: %+v", a.Outcomes)
	}
	c.Receive(3, []byte("{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, stray '\\uFFFD'\"}}\n"))
	if a = c.Take(); !a.Close || c.Status().State != Poisoned {
		t.Fatalf("an id-less error must end the session and close the socket: %+v", a)
	}
}

func TestDelimitedSkipsLateReply(t *testing.T) {
	h := newHarness("delimited", Options{Timeout: 5 * time.Second}, slowInfo)
	h.issue(0, 1, "guest-info", "")
	h.issue(6*time.Second, 2, "guest-ping", "")
	tr := h.run(30 * time.Second)
	checkTranscript(t, "delimited-skips-late-reply", tr)
	if h.outcomes[1].Kind != TimedOut {
		t.Errorf("#1: %+v", h.outcomes[1])
	}
	if got := string(h.outcomes[2].Reply); got != `{"return": {}}` {
		t.Errorf("#2 got %q, want guest-ping's own reply", got)
	}
}

func TestProxmoxRejectsStalePairWithLargerID(t *testing.T) {
	h := newHarness("proxmox", Options{PID: 1200}, agent.Config{})
	// A complete delimited pair left by an earlier Proxmox process whose PID
	// (9999) was larger: its id is not lower than ours, so it is no "stale" skip.
	h.at(0, func(h *harness) {
		h.replies = append(h.replies, timedBytes{at: 1, data: []byte("\xff{\"return\": 999901}\n{\"return\": {}}\n")})
	})
	h.issue(0, 1, "guest-get-host-name", "")
	tr := h.run(10 * time.Second)
	checkTranscript(t, "proxmox-stale-pair", tr)
	if o := h.outcomes[1]; o.Kind != Failed || !strings.Contains(o.Detail, "got wrong command id '999901'") {
		t.Errorf("#1: %+v, want a wrong-command-id failure", o)
	}
}

func TestUnknownStrategy(t *testing.T) {
	_, err := New("bogus", Options{}, nil)
	if err == nil || !strings.Contains(err.Error(), "delimited, libvirt, none, proxmox, python-qga") {
		t.Fatalf("error %v should list the valid names", err)
	}
}
