package client

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// A strategy behind its lock sees one caller at a time: the second waits,
// is let in on a timer at the time the first ended, and one that waits
// longer than the lock allows fails with the lock's text, unwritten.
func TestLockQueuesCallers(t *testing.T) {
	c, _ := New("libvirt", Options{}, nil)
	c.Connected(0)
	c.Take()
	c.Issue(0, Request{Seq: 1, Execute: "guest-ping"})
	c.Issue(1, Request{Seq: 2, Execute: "guest-get-time"})
	a := c.Take()
	if len(a.Writes) != 1 || a.Writes[0].Seq != 0 {
		t.Fatalf("first caller's sync only, got %+v", a.Writes)
	}
	if s := c.Status(); s.Why == "" || !strings.Contains(s.Why, "1 caller(s) wait for the agent job") {
		t.Fatalf("status %q", s.Why)
	}
	// The sync's reply, then the ping's: the first caller is done at 3.
	id := string(a.Writes[0].Data[len(`{"execute":"guest-sync", "arguments":{"id":`) : len(a.Writes[0].Data)-3])
	c.Receive(2, []byte(`{"return": `+id+"}\n"))
	c.Take()
	c.Receive(3, []byte("{\"return\": {}}\n"))
	if a := c.Take(); len(a.Outcomes) != 1 || a.Outcomes[0].Seq != 1 {
		t.Fatalf("first outcome %+v", a.Outcomes)
	}
	if at, ok := c.NextTimer(); !ok || at != 3 {
		t.Fatalf("the second caller is let in at %d %v, want 3", at, ok)
	}
	c.Tick(3)
	if a := c.Take(); len(a.Writes) != 1 || a.Writes[0].Seq != 2 {
		t.Fatalf("the second caller runs bare (in sync): %+v", a.Writes)
	}

	// A holder that never ends: the next caller gives up after 30 s.
	c, _ = New("libvirt", Options{}, nil)
	c.Connected(0)
	c.Issue(0, Request{Seq: 1, Execute: "guest-get-time", Timeout: -1})
	c.Issue(0, Request{Seq: 2, Execute: "guest-ping"})
	c.Take()
	at, ok := c.NextTimer()
	if !ok || at != int64(5*time.Second) {
		t.Fatalf("next timer %d (the first caller's sync)", at)
	}
	c.Tick(int64(30 * time.Second))
	a = c.Take()
	var gaveUp *Outcome
	for i := range a.Outcomes {
		if a.Outcomes[i].Seq == 2 {
			gaveUp = &a.Outcomes[i]
		}
	}
	if gaveUp == nil || gaveUp.Kind != Failed || gaveUp.Detail != lvJobTimeout {
		t.Fatalf("the waiting caller after 30 s: %+v", a.Outcomes)
	}
}

// The lock is a Reader and a PortWatcher exactly where its strategy is one,
// and says what the strategy retains, whatever it read.
func TestLockPassesTheStrategysOwn(t *testing.T) {
	for name, mk := range strategies {
		inner := mk(withDefaults(Options{}), rand.New(rand.NewPCG(1, 2)))
		c := withLock(inner, lockOf(name))
		_, innerReads := inner.(Reader)
		_, lockReads := c.(Reader)
		_, innerPorts := inner.(PortWatcher)
		_, lockPorts := c.(PortWatcher)
		if innerReads != lockReads || innerPorts != lockPorts {
			t.Errorf("%s: Reader %v PortWatcher %v behind its lock, %v %v bare", name, lockReads, lockPorts, innerReads, innerPorts)
		}
		c.Connected(0)
		c.Issue(0, Request{Seq: 1, Execute: "guest-info"})
		for _, data := range []string{"{\"return\": 1}\n{\"ret", "urn\xff\": {}}\n{", "\"return\": {}}\n"} {
			c.Receive(1, []byte(data))
			c.Take()
			if r, ok := c.(Reader); ok && r.Reading() != inner.(Reader).Reading() {
				t.Errorf("%s: Reading %v behind its lock", name, r.Reading())
			}
			want := int64(0)
			if r, ok := inner.(Retainer); ok {
				want = r.Retained()
			}
			if got := c.(Retainer).Retained(); got != want {
				t.Errorf("%s: Retained %d behind its lock, %d bare", name, got, want)
			}
		}
	}
}
