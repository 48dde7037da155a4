package link

import (
	"math/rand/v2"
	"testing"
	"time"
)

// nextReadyScan is NextReady worked out from the flight, as it was before
// the link kept it: the reference for the kept one.
func nextReadyScan(d *Direction) (int64, bool) {
	if len(d.flight) == 0 {
		return 0, false
	}
	s := &d.flight[0]
	t := s.readyAt(0)
	if s.bt > 0 && d.p.ReadTrigger > 1 {
		if len(s.data) >= d.p.ReadTrigger {
			t = s.readyAt(d.p.ReadTrigger - 1)
		} else {
			t = s.readyAt(len(s.data)-1) + 4*s.bt
		}
	}
	return max(t, d.stall), true
}

// The ready time the link keeps is the one a scan of the flight gives,
// through writes, reads of every kind, stalls, closes, deaths and
// reconnects, with and without a baud rate, read trigger and capacity.
func TestNextReadyKeptAsScanned(t *testing.T) {
	params := []Params{
		{Capacity: -1},
		{Capacity: 64, Latency: time.Millisecond, Jitter: time.Millisecond},
		{Baud: 115200, ReadTrigger: 8, Capacity: 100},
		{Baud: 9600, ReadTrigger: 1, ReadMax: 5, DropWhenFull: true, Capacity: 50},
	}
	for _, tr := range []string{"virtio-serial", "isa-serial", "unix-socket"} {
		for pi, p := range params {
			r := rand.New(rand.NewPCG(seed, uint64(pi)))
			l, _ := newLink(t, Both(tr, p))
			l.HostConnect(0)
			l.AgentStart(0)
			now := int64(0)
			for step := 0; step < 4000; step++ {
				now += int64(r.IntN(int(time.Millisecond)))
				switch op := r.IntN(20); {
				case op < 6:
					w := make([]byte, 1+r.IntN(40))
					if r.IntN(2) == 0 {
						l.AgentWriteShared(now, w)
					} else {
						l.HostWrite(now, w)
					}
				case op < 14:
					d := l.Dir(Dir(r.IntN(2)))
					if r.IntN(2) == 0 {
						d.Read(now, r.IntN(20))
					} else {
						d.ReadPiece(now, r.IntN(20))
					}
				case op == 14:
					l.Dir(Dir(r.IntN(2))).Stall(now + int64(r.IntN(int(5*time.Millisecond))))
				case op == 15:
					l.HostClose(now)
					l.HostConnect(now)
				case op == 16:
					l.AgentDie(now)
					l.AgentStart(now)
				default:
					l.Pump(now)
				}
				for _, d := range []*Direction{l.Dir(H2A), l.Dir(A2H)} {
					gt, gok := d.NextReady()
					wt, wok := nextReadyScan(d)
					if gt != wt || gok != wok {
						t.Fatalf("seed %d %s params %d step %d %s: NextReady %d %v, scan %d %v", seed, tr, pi, step, d.Dir(), gt, gok, wt, wok)
					}
				}
			}
		}
	}
}
