package link

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/qgasim/qgasim/sim/trace"
)

// Every transport, through random connects, closes, agent starts and
// deaths, writes and reads: every byte either side writes is read once,
// named lost once by a transport.drop, or still in the link. A new
// transport added to the list is checked with no change here.
func TestEveryTransportAccountsForEveryByte(t *testing.T) {
	for _, tr := range AllTransports() {
		for s := uint64(1); s <= 60; s++ {
			accountRun(t, tr, s)
		}
	}
}

func accountRun(t *testing.T, tr Transport, s uint64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(s, 77))
	seen := [2]map[int64]string{{}, {}}
	mark := func(d Dir, src []int64, how string) {
		for _, o := range src {
			if o < 0 {
				continue
			}
			if was, ok := seen[d][o]; ok {
				t.Fatalf("%s seed %d: %s byte %d %s, and already %s", tr.Name(), s, d, o, how, was)
			}
			seen[d][o] = how
		}
	}
	emit := func(e trace.Event) {
		if e.Kind != trace.KindDrop {
			return
		}
		d, _ := ParseDir(e.Dir)
		var src []int64
		for _, sp := range e.Lost {
			for k := int64(0); k < sp.N; k++ {
				src = append(src, sp.Off+k)
			}
		}
		mark(d, src, "lost ("+e.Text+")")
	}
	r := func(n uint64) *rand.PCG { return rand.NewPCG(s, n) }
	l, err := New(Both(tr.Name(), Params{Capacity: 1 + rng.IntN(400)}), r(1), r(2), r(3), emit)
	if err != nil {
		t.Fatalf("%s seed %d: %v", tr.Name(), s, err)
	}
	now := int64(0)
	for i := 0; i < 200; i++ {
		now += rng.Int64N(int64(2 * time.Millisecond))
		switch rng.IntN(9) {
		case 0:
			if !l.HostOpen() && (!tr.AgentListens() || l.AgentOpen()) {
				l.HostConnect(now)
			}
		case 1:
			l.HostClose(now)
		case 2:
			if !l.AgentOpen() {
				l.AgentStart(now)
			}
		case 3:
			if l.AgentOpen() {
				l.AgentDie(now)
			}
		case 4, 5:
			l.HostWrite(now, make([]byte, 1+rng.IntN(60)))
		case 6:
			if l.AgentOpen() {
				l.AgentWrite(now, make([]byte, 1+rng.IntN(300)))
			}
		case 7:
			if l.CanAgentRead() {
				_, _, src := l.Dir(H2A).Read(now, 0)
				mark(H2A, perByte(src), "read by the agent")
			}
		case 8:
			if l.CanHostRead() {
				_, _, src := l.Dir(A2H).Read(now, 0)
				mark(A2H, perByte(src), "read by the host")
			}
		}
		l.Pump(now)
	}
	for _, d := range []Dir{H2A, A2H} {
		x := l.Dir(d)
		for _, sp := range x.Pending() {
			for k := int64(0); k < sp.N; k++ {
				mark(d, []int64{sp.Off + k}, "still in the link")
			}
		}
		for o := int64(0); o < x.Written(); o++ {
			if _, ok := seen[d][o]; !ok {
				t.Fatalf("%s seed %d: %s byte %d was written and is neither read, lost nor in the link", tr.Name(), s, d, o)
			}
		}
	}
}

// The names of the transports are the scenario format's: the default
// first, each found by its name, an unknown one refused with the list.
func TestTransportTable(t *testing.T) {
	if got := Transports; len(got) != 3 || got[0] != VirtioSerial || got[1] != ISASerial || got[2] != UnixSocket {
		t.Fatalf("transports %v", got)
	}
	for _, name := range Transports {
		if tr, ok := LookupTransport(name); !ok || tr.Name() != name || tr.Doc() == "" {
			t.Fatalf("%s: lookup %v %v", name, tr, ok)
		}
	}
	if tr, ok := LookupTransport(""); !ok || tr.Name() != VirtioSerial {
		t.Fatalf("the default transport is %v", tr)
	}
	err := Config{Transport: "vsock"}.Validate()
	if err == nil || err.Error() != `link: unknown transport "vsock" (valid: virtio-serial, isa-serial, unix-socket)` {
		t.Fatalf("unknown transport: %v", err)
	}
}

// perByte is the writer offset of each byte that spans describe.
func perByte(spans []trace.Span) []int64 {
	var out []int64
	for _, sp := range spans {
		for k := int64(0); k < sp.N; k++ {
			if sp.Off < 0 {
				out = append(out, -1)
			} else {
				out = append(out, sp.Off+k)
			}
		}
	}
	return out
}
