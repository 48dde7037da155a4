package link

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/qgasim/qgasim/sim/trace"
)

const seed = 9

func newLink(t *testing.T, cfg Config) (*Link, *[]trace.Event) {
	t.Helper()
	var evs []trace.Event
	r := func(n uint64) *rand.PCG { return rand.NewPCG(seed, n) }
	l, err := New(cfg, r(1), r(2), r(3), func(e trace.Event) { evs = append(evs, e) })
	if err != nil {
		t.Fatalf("seed %d: %v", seed, err)
	}
	return l, &evs
}

func fixed(tr string, p Params) Config {
	p.Jitter = -1
	return Both(tr, p)
}

func TestLatencyAndBaud(t *testing.T) {
	l, _ := newLink(t, fixed(ISASerial, Params{Latency: time.Millisecond, ReadTrigger: -1}))
	l.HostConnect(0)
	l.AgentStart(0)
	l.HostWrite(0, []byte("0123456789"))
	h := l.Dir(H2A)
	bt := int64(10 * time.Second / 115200)
	if r, ok := h.NextReady(); !ok || r != int64(time.Millisecond)+bt {
		t.Fatalf("seed %d: first byte ready at %d, want %d", seed, r, int64(time.Millisecond)+bt)
	}
	_, got, src := h.Read(int64(time.Millisecond)+3*bt, 0)
	if string(got) != "012" || len(src) != 1 || src[0] != (trace.Span{Off: 0, N: 3}) {
		t.Fatalf("seed %d: read %q %v", seed, got, src)
	}
	_, got, _ = h.Read(int64(time.Second), 4)
	if string(got) != "3456" {
		t.Fatalf("seed %d: ReadMax-limited read %q", seed, got)
	}
	if h.ReadOffset() != 7 || h.InFlight() != 3 {
		t.Fatalf("seed %d: offsets %d %d", seed, h.ReadOffset(), h.InFlight())
	}
}

func TestVirtioHoldsAgentBytesWithoutHost(t *testing.T) {
	l, evs := newLink(t, fixed(VirtioSerial, Params{}))
	l.AgentStart(0)
	l.AgentWrite(0, []byte(`{"return": 1}`+"\n"))
	a := l.Dir(A2H)
	if a.Held() != 14 || a.InFlight() != 0 || (*evs)[0].Kind != trace.KindHold {
		t.Fatalf("seed %d: held %d in flight %d, events %+v", seed, a.Held(), a.InFlight(), *evs)
	}
	l.HostConnect(10)
	if a.Held() != 0 || a.InFlight() != 14 {
		t.Fatalf("seed %d: after connect held %d in flight %d", seed, a.Held(), a.InFlight())
	}
}

func TestISAAndUnixLoseAgentBytesWithoutHost(t *testing.T) {
	for _, tr := range []string{ISASerial, UnixSocket} {
		l, evs := newLink(t, fixed(tr, Params{}))
		l.AgentStart(0)
		l.AgentWrite(0, []byte("abc"))
		if len(*evs) != 1 || (*evs)[0].Kind != trace.KindDrop || trace.Total((*evs)[0].Lost) != 3 {
			t.Fatalf("seed %d %s: events %+v", seed, tr, *evs)
		}
	}
}

func TestVirtioHostCloseKeepsTheHeldTail(t *testing.T) {
	l, evs := newLink(t, fixed(VirtioSerial, Params{Capacity: 4}))
	l.HostConnect(0)
	l.AgentStart(0)
	l.AgentWrite(0, []byte("0123456789"))
	var hold trace.Event
	for _, e := range *evs {
		if e.Kind == trace.KindHold {
			hold = e
		}
	}
	if hold.Off != 4 || hold.N != 6 {
		t.Fatalf("seed %d: the hold names writer bytes %d+%d, want the tail 4+6", seed, hold.Off, hold.N)
	}
	l.HostClose(1)
	a := l.Dir(A2H)
	last := (*evs)[len(*evs)-1]
	if last.Kind != trace.KindDrop || len(last.Lost) != 1 || last.Lost[0] != (trace.Span{Off: 0, N: 4}) {
		t.Fatalf("seed %d: %+v", seed, last)
	}
	l.HostConnect(2)
	_, got, _ := a.Read(int64(time.Second), 0)
	if string(got) != "4567" {
		t.Fatalf("seed %d: next client read %q", seed, got)
	}
	l.Pump(int64(time.Second))
	_, got, _ = a.Read(int64(2*time.Second), 0)
	if string(got) != "89" {
		t.Fatalf("seed %d: then %q", seed, got)
	}
}

func TestAgentDeathLosesBytesInsideTheGuest(t *testing.T) {
	l, evs := newLink(t, fixed(VirtioSerial, Params{Latency: time.Millisecond}))
	l.HostConnect(0)
	l.AgentStart(0)
	l.HostWrite(0, []byte("inside"))
	l.HostWrite(int64(time.Millisecond), []byte("queued"))
	l.AgentWrite(0, nil)
	l.Dir(A2H).hold(0, piece{data: []byte("tail"), src: []trace.Span{{Off: 0, N: 4}}}, "test")
	l.AgentDie(int64(time.Millisecond))
	var lost int64
	for _, e := range *evs {
		if e.Kind == trace.KindDrop {
			lost += trace.Total(e.Lost)
		}
	}
	if lost != 10 || l.Dir(H2A).InFlight() != 6 || l.Dir(A2H).Held() != 0 {
		t.Fatalf("seed %d: lost %d, in flight %d, held %d", seed, lost, l.Dir(H2A).InFlight(), l.Dir(A2H).Held())
	}
}

func TestISAFlushAtAgentStart(t *testing.T) {
	tails := map[int]int{}
	for s := uint64(0); s < 200; s++ {
		var evs []trace.Event
		r := func(n uint64) *rand.PCG { return rand.NewPCG(s, n) }
		l, _ := New(fixed(ISASerial, Params{}), r(1), r(2), r(3), func(e trace.Event) { evs = append(evs, e) })
		l.HostConnect(0)
		l.HostWrite(0, []byte(`{"execute":"guest-sync","arguments":{"id":432}}`))
		l.AgentStart(1)
		tails[l.Dir(H2A).InFlight()]++
	}
	if tails[0] < 100 || tails[0] > 180 || tails[6] != 0 {
		t.Fatalf("tails by length over 200 seeds: %v (want about 7 in 10 empty, 1-5 bytes otherwise)", tails)
	}
}

func TestISAHostCloseKeepsEightBytes(t *testing.T) {
	l, _ := newLink(t, fixed(ISASerial, Params{}))
	l.HostConnect(0)
	l.AgentStart(0)
	l.HostWrite(0, []byte(`{"execute":"guest-sync","arguments":{"id":1}}`))
	l.HostClose(0)
	_, got, _ := l.Dir(H2A).Read(int64(time.Second), 0)
	if string(got) != `{"execut` {
		t.Fatalf("seed %d: the agent got %q", seed, got)
	}
}

func TestCapacityDropWhenFull(t *testing.T) {
	l, evs := newLink(t, fixed(UnixSocket, Params{Capacity: 3, DropWhenFull: true}))
	l.HostConnect(0)
	l.AgentStart(0)
	l.HostWrite(0, []byte("abcdef"))
	if l.Dir(H2A).InFlight() != 3 || len(*evs) != 1 || (*evs)[0].Lost[0] != (trace.Span{Off: 3, N: 3}) {
		t.Fatalf("seed %d: in flight %d, events %+v", seed, l.Dir(H2A).InFlight(), *evs)
	}
}

// Bytes the UART already handed to the open tty stay when the host closes
// (docs/lab.md B2); only those still in QEMU are cut to about 8.
func TestISAHostCloseKeepsWhatTheGuestHas(t *testing.T) {
	l, _ := newLink(t, fixed(ISASerial, Params{}))
	l.HostConnect(0)
	l.AgentStart(0)
	req := `{"execute":"guest-sync","arguments":{"id":211}}`
	l.HostWrite(0, []byte(req))
	l.HostClose(int64(time.Second)) // the agent was paused: all 47 bytes wait in the tty
	_, got, _ := l.Dir(H2A).Read(int64(2*time.Second), 0)
	if string(got) != req {
		t.Fatalf("seed %d: the agent got %q", seed, got)
	}
}

// With no host QEMU drops the guest's output: an isa-serial host close
// also drops what the agent still had to write (docs/lab.md B3).
func TestISAHostCloseDropsHeldOutput(t *testing.T) {
	l, _ := newLink(t, fixed(ISASerial, Params{}))
	l.HostConnect(0)
	l.AgentStart(0)
	l.AgentWrite(0, make([]byte, 1000))
	if l.Dir(A2H).Held() == 0 {
		t.Fatalf("seed %d: nothing held behind the 278-byte buffer", seed)
	}
	l.HostClose(1)
	l.HostConnect(2)
	if l.Dir(A2H).Held() != 0 || l.Dir(A2H).InFlight() != 0 {
		t.Fatalf("seed %d: held %d, in flight %d after the close", seed, l.Dir(A2H).Held(), l.Dir(A2H).InFlight())
	}
}

// docs/lab.md, D2 (isa-serial, agent down, host closes before the
// restart): the bytes of the closed connection are lost and the next
// connection works normally, in every run. The flush-tail race applies only
// to bytes still streaming in from a connection that is open.
func TestISAFlushTailNeverFromAClosedConnection(t *testing.T) {
	for s := uint64(0); s < 200; s++ {
		r := func(n uint64) *rand.PCG { return rand.NewPCG(s, n) }
		l, _ := New(fixed(ISASerial, Params{}), r(1), r(2), r(3), func(trace.Event) {})
		l.AgentStart(0)
		l.AgentDie(1)
		l.HostConnect(2)
		l.HostWrite(2, []byte(`{"execute":"guest-sync","arguments":{"id":411}}`))
		l.HostClose(int64(time.Second))
		l.AgentStart(int64(2 * time.Second))
		if n := l.Dir(H2A).InFlight(); n != 0 {
			t.Fatalf("seed %d: %d bytes of the closed connection reach the new agent (lab D2: none)", s, n)
		}
		// A new connection that wrote while the agent was down may still
		// leave a tail, but only of its own bytes.
		l.AgentDie(int64(3 * time.Second))
		l.HostConnect(int64(3 * time.Second))
		l.HostWrite(int64(3*time.Second), []byte("{}"))
		l.HostClose(int64(4 * time.Second))
		l.HostConnect(int64(4 * time.Second))
		l.HostWrite(int64(4*time.Second), []byte(`{"id":1}}`))
		l.AgentStart(int64(5 * time.Second))
		for _, sp := range l.Dir(H2A).Pending() {
			if sp.Off < 47+2 {
				t.Fatalf("seed %d: a tail byte from a closed connection (offset %d) survived the flush", s, sp.Off)
			}
		}
	}
}
