package sim

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/qgasim/qgasim/sim/agent"
	"github.com/qgasim/qgasim/sim/check"
	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/sim/trace"
)

// realHost is what a live driver does for a real client: it records what
// the World delivers.
type realHost struct {
	got    []byte
	closed []string
}

func (h *realHost) cfg() *ExternalHost {
	return &ExternalHost{
		Deliver: func(_ int64, b []byte) { h.got = append(h.got, b...) },
		Closed:  func(_ int64, why string) { h.closed = append(h.closed, why) },
	}
}

func newLive(t *testing.T, cfg Config) *World {
	t.Helper()
	w, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

const ms = int64(time.Millisecond)

func TestExternalHostRoundTrip(t *testing.T) {
	for _, tr := range []string{"virtio-serial", "isa-serial", "unix-socket"} {
		h := &realHost{}
		w := newLive(t, Config{Seed: 1, Transport: tr, Host: h.cfg()})
		w.RunUntil(ms)
		if err := w.HostConnect(); err != nil {
			t.Fatalf("%s: %v", tr, err)
		}
		w.HostWrite([]byte(`{"execute":"guest-sync","arguments":{"id":7}}`))
		w.RunUntil(50 * ms)
		if string(h.got) != "{\"return\": 7}\n" {
			t.Errorf("%s: the client got %q", tr, h.got)
		}
		w.HostClose("client closed")
		w.Stop()
		if err := CheckAccounting(w.Trace()); err != nil {
			t.Errorf("%s: %v", tr, err)
		}
	}
}

// virtio-serial holds a reply written with no client and hands it to the
// next one; isa-serial loses it.
func TestExternalHostStaleReply(t *testing.T) {
	for _, tc := range []struct {
		tr   string
		want string
	}{{"virtio-serial", "{\"return\": 1}\n{\"return\": {}}\n"}, {"isa-serial", "{\"return\": {}}\n"}} {
		h := &realHost{}
		w := newLive(t, Config{Seed: 1, Transport: tc.tr, Agent: agent.Config{Latency: map[string]time.Duration{"guest-sync": 100 * time.Millisecond}},
			Host: h.cfg()})
		if err := w.HostConnect(); err != nil {
			t.Fatal(err)
		}
		w.HostWrite([]byte(`{"execute":"guest-sync","arguments":{"id":1}}`))
		w.RunUntil(10 * ms)
		w.HostClose("client gave up")
		w.RunUntil(500 * ms)
		if err := w.HostConnect(); err != nil {
			t.Fatal(err)
		}
		w.HostWrite([]byte(`{"execute":"guest-ping"}`))
		w.RunUntil(700 * ms)
		if string(h.got) != tc.want {
			t.Errorf("%s: the second client got %q, want %q", tc.tr, h.got, tc.want)
		}
	}
}

// On a unix socket the agent's exit closes the real client's connection,
// and a connect while no agent listens is refused.
func TestExternalHostUnixRestart(t *testing.T) {
	h := &realHost{}
	w := newLive(t, Config{Seed: 1, Transport: "unix-socket", Host: h.cfg(),
		Faults: []fault.Spec{{Kind: "restart-agent", Params: fault.Params{"down": fault.Dur(1 * time.Second)}, Trigger: fault.Trigger{At: at(10 * time.Millisecond)}}}})
	w.RunUntil(0) // the agent starts listening at time 0
	if err := w.HostConnect(); err != nil {
		t.Fatal(err)
	}
	w.RunUntil(20 * ms)
	if len(h.closed) != 1 || w.HostOpen() {
		t.Fatalf("closed %q, open %v", h.closed, w.HostOpen())
	}
	if err := w.HostConnect(); !errors.Is(err, ErrRefused) {
		t.Fatalf("connect while the agent is down: %v", err)
	}
	w.RunUntil(1100 * ms)
	if err := w.HostConnect(); err != nil {
		t.Fatalf("connect after the restart: %v", err)
	}
}

// While the real client does not read, the link keeps the bytes; with the
// a2h capacity full, the agent is held and stops reading.
func TestExternalHostBackpressure(t *testing.T) {
	h := &realHost{}
	w := newLive(t, Config{Seed: 1, Host: h.cfg()})
	if err := w.HostConnect(); err != nil {
		t.Fatal(err)
	}
	w.SetHostReading(false)
	w.HostWrite([]byte(`{"execute":"guest-ping"}`))
	w.RunUntil(50 * ms)
	if len(h.got) != 0 {
		t.Fatalf("delivered %q while the client could not take it", h.got)
	}
	w.SetHostReading(true)
	w.RunUntil(51 * ms)
	if string(h.got) != "{\"return\": {}}\n" {
		t.Fatalf("after reading resumed: %q", h.got)
	}
}

// fakeAgent stands for a real qemu-ga: the simulated core answering what
// the World delivers, written back later by the test.
type fakeAgent struct {
	core    *agent.Agent
	out     []byte
	actions []ProcessAction
}

func (f *fakeAgent) cfg() *ExternalAgent {
	return &ExternalAgent{
		Deliver: func(now int64, b []byte) {
			for _, r := range f.core.Feed(now, b) {
				f.out = append(f.out, r.Bytes...)
			}
		},
		Process: func(_ int64, act ProcessAction) { f.actions = append(f.actions, act) },
	}
}

func (f *fakeAgent) flush(w *World, chunk int) {
	for len(f.out) > 0 {
		n := min(chunk, len(f.out))
		w.AgentWrite(f.out[:n])
		f.out = f.out[n:]
	}
}

func TestExternalAgentShadow(t *testing.T) {
	h := &realHost{}
	fa := &fakeAgent{core: agent.New(agent.Config{}, nil)}
	w := newLive(t, Config{Seed: 1, Host: h.cfg(), ExternalAgent: fa.cfg()})
	if err := w.AgentConnect(true); err != nil {
		t.Fatal(err)
	}
	if err := w.HostConnect(); err != nil {
		t.Fatal(err)
	}
	w.HostWrite([]byte("\xff{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":5}}{\"execute\":\"guest-pi"))
	w.RunUntil(5 * ms)
	w.HostWrite([]byte(`ng"}`))
	w.RunUntil(10 * ms)
	fa.flush(w, 7) // in odd pieces, as a socket may hand them over
	w.RunUntil(20 * ms)
	want := "{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, stray '\\uFFFD'\"}}\n\xff{\"return\": 5}\n{\"return\": {}}\n"
	if string(h.got) != want {
		t.Fatalf("the client got %q, want %q", h.got, want)
	}
	w.Stop()
	var replies []trace.Event
	for _, ev := range w.Trace() {
		if ev.Kind == trace.KindAgentReply {
			replies = append(replies, ev)
		}
	}
	if len(replies) != 3 {
		t.Fatalf("%d agent.reply events, want 3:\n%s", len(replies), dump(w.Trace()))
	}
	if replies[1].Cmd != "guest-sync-delimited" || replies[1].State != "real delimited" || replies[2].Cmd != "guest-ping" ||
		replies[0].Class != "GenericError" {
		t.Errorf("replies %+v", replies)
	}
	for _, r := range replies {
		if r.Origin == nil || r.Origin.Status != "write" || r.Origin.Conn != 1 {
			t.Errorf("reply %d origin %+v", r.ASeq, r.Origin)
		}
	}
	if err := CheckAccounting(w.Trace()); err != nil {
		t.Fatal(err)
	}
}

// A restart-agent fault on a real agent asks the caller to act; what the
// old process writes afterwards never enters the link.
func TestExternalAgentRestart(t *testing.T) {
	h := &realHost{}
	fa := &fakeAgent{core: agent.New(agent.Config{}, nil)}
	w := newLive(t, Config{Seed: 1, Host: h.cfg(), ExternalAgent: fa.cfg(),
		Faults: []fault.Spec{{Kind: "restart-agent", Params: fault.Params{"down": fault.Dur(200 * time.Millisecond)}, Trigger: fault.Trigger{On: []byte(`"return"`), Max: 1}}}})
	w.AgentConnect(true)
	w.HostConnect()
	w.HostWrite([]byte(`{"execute":"guest-sync","arguments":{"id":1}}`))
	w.RunUntil(5 * ms)
	fa.flush(w, 1<<20)
	w.RunUntil(6 * ms)
	if len(fa.actions) != 1 || fa.actions[0].Kind != "restart" || fa.actions[0].Down != 200*ms {
		t.Fatalf("process actions %+v", fa.actions)
	}
	if string(h.got) != `{"return"` {
		t.Fatalf("the client got %q: the rest of the reply must die with the agent", h.got)
	}
	w.AgentWrite([]byte("late\n"))
	w.RunUntil(206 * ms)
	fa.core = agent.New(agent.Config{}, nil)
	w.AgentConnect(true)
	w.HostWrite([]byte(`{"execute":"guest-ping"}`))
	w.RunUntil(210 * ms)
	fa.flush(w, 1<<20)
	w.RunUntil(220 * ms)
	w.Stop()
	if !strings.HasSuffix(string(h.got), "{\"return\": {}}\n") {
		t.Fatalf("after the restart the client got %q", h.got)
	}
	tr := dump(w.Trace())
	if !strings.Contains(tr, "never entered the link") || !strings.Contains(tr, "inc=2") {
		t.Errorf("trace:\n%s", tr)
	}
	if err := CheckAccounting(w.Trace()); err != nil {
		t.Fatal(err)
	}
}

func TestExternalConfig(t *testing.T) {
	_, err := New(Config{Host: &ExternalHost{Deliver: func(int64, []byte) {}}, ExternalAgent: &ExternalAgent{Deliver: func(int64, []byte) {}},
		Faults: []fault.Spec{{Kind: "freeze", Trigger: fault.Trigger{At: at(0)}}}})
	if err == nil || !strings.Contains(err.Error(), "needs the simulated agent") {
		t.Fatalf("freeze with a real agent: %v", err)
	}
	_, err = New(Config{Host: &ExternalHost{Deliver: func(int64, []byte) {}}, Steps: []Step{send("guest-ping", "")}})
	if err == nil {
		t.Fatal("steps with a real host were accepted")
	}
}

// A live World forgets the host writes no origin can name any more: its
// memory does not grow with the session.
func TestExternalHostMemoryBounded(t *testing.T) {
	h := &realHost{}
	w := newLive(t, Config{Seed: 1, Transport: "unix-socket", Host: h.cfg()})
	w.RunUntil(0)
	if err := w.HostConnect(); err != nil {
		t.Fatal(err)
	}
	for i := range 20_000 {
		w.HostWrite([]byte(`{"execute":"guest-ping"}`))
		w.RunUntil(int64(i) * ms / 10)
	}
	w.RunUntil(10_000 * ms)
	if n := len(w.attr.writes); n > 64 {
		t.Errorf("%d host writes kept", n)
	}
	if len(w.attr.replies) != 0 || len(w.attr.a2h.data) != 0 {
		t.Errorf("%d replies and %d agent bytes kept for a client that has no outcomes", len(w.attr.replies), len(w.attr.a2h.data))
	}
	if n := len(w.sp.in.list); n > 2 {
		t.Errorf("%d runs of the agent's reads kept", n)
	}
	if got := bytes.Count(h.got, []byte("\n")); got != 20_000 {
		t.Errorf("%d replies delivered", got)
	}
}

// A real agent killed in the middle of a reply line it writes in pieces
// did answer: the part it wrote is an agent.reply marked cut, and the wire
// oracle finds the part that reached the client garbled, not unanswered.
func TestExternalAgentKilledMidLine(t *testing.T) {
	h := &realHost{}
	fa := &fakeAgent{core: agent.New(agent.Config{}, nil)}
	at := int64(250)
	w := newLive(t, Config{Seed: 1, Host: h.cfg(), ExternalAgent: fa.cfg(),
		Faults: []fault.Spec{{Kind: "restart-agent", Params: fault.Params{"down": fault.Dur(200 * time.Millisecond)}, Trigger: fault.Trigger{AfterBytes: &at, Max: 1}}}})
	w.AgentConnect(true)
	w.HostConnect()
	w.HostWrite([]byte(`{"execute":"guest-info"}`))
	w.RunUntil(5 * ms)
	w.AgentWrite(fa.out[:1000]) // the kill is at byte 250 of this piece
	w.RunUntil(10 * ms)
	w.Stop()
	if len(h.got) != 251 {
		t.Fatalf("the client got %d bytes, want the 251 before the kill", len(h.got))
	}
	var cut []trace.Event
	o := check.NewWire(10)
	for _, ev := range w.Trace() {
		o.Observe(&ev)
		if ev.Kind == trace.KindAgentReply {
			cut = append(cut, ev)
		}
	}
	if len(cut) != 1 || cut[0].State != "real cut" || cut[0].N != 1000 || cut[0].Cmd != "guest-info" {
		t.Fatalf("agent.reply events %+v", cut)
	}
	s := o.Summary()
	if len(s.Requests) != 1 || s.Requests[0].Verdict != check.Garbled || s.Unanswered != 0 {
		t.Fatalf("the oracle: %+v", s.Requests)
	}
	if err := CheckAccounting(w.Trace()); err != nil {
		t.Fatal(err)
	}
}
