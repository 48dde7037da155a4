package live

import (
	"bufio"
	"bytes"
	"errors"
	"net"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/agent"
	"github.com/qgasim/qgasim/sim/check"
	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/sim/trace"
)

func at(d time.Duration) *time.Duration { return &d }

// roundTrip writes a request and reads one line, with a timeout.
func roundTrip(t *testing.T, c net.Conn, r *bufio.Reader, req string, timeout time.Duration) (string, error) {
	t.Helper()
	if _, err := c.Write([]byte(req)); err != nil {
		return "", err
	}
	c.SetReadDeadline(time.Now().Add(timeout))
	line, err := r.ReadString('\n')
	return line, err
}

func TestServeRoundTrip(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var tr bytes.Buffer
		s, err := New(sim.Config{Seed: 1}, Options{Trace: &tr})
		if err != nil {
			t.Fatal(err)
		}
		c, err := s.Dial()
		if err != nil {
			t.Fatal(err)
		}
		r := bufio.NewReader(c)
		start := time.Now()
		line, err := roundTrip(t, c, r, `{"execute":"guest-sync","arguments":{"id":42}}`, time.Second)
		if err != nil || line != "{\"return\": 42}\n" {
			t.Fatalf("got %q, %v", line, err)
		}
		// The link's latency (virtio-serial: about 0.2 ms each way, plus
		// jitter) is spent in (fake) wall time.
		if d := time.Since(start); d < 400*time.Microsecond || d > 2*time.Millisecond {
			t.Errorf("round trip took %v", d)
		}
		c.Close()
		sum, err := s.Close()
		if err != nil {
			t.Fatal(err)
		}
		if sum.Total != 1 || sum.Counts[check.Correct] != 1 || sum.SyncsMatched != 1 {
			t.Errorf("summary %+v", sum)
		}
		evs := readTrace(t, &tr)
		if err := sim.CheckAccounting(evs); err != nil {
			t.Errorf("trace accounting: %v", err)
		}
		if evs[len(evs)-1].Kind != trace.KindEnd {
			t.Errorf("the trace does not end with the end events")
		}
	})
}

// virtio-serial: a reply written while no client is connected goes to the
// next one; the oracle sees the first request's reply reach connection 2.
func TestServeStaleReplyNextClient(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s, err := New(sim.Config{Seed: 1, Agent: agent.Config{Latency: map[string]time.Duration{"guest-info": time.Second}}}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		c1, _ := s.Dial()
		c1.Write([]byte(`{"execute":"guest-info"}`))
		time.Sleep(100 * time.Millisecond)
		c1.Close()
		time.Sleep(2 * time.Second)
		c2, _ := s.Dial()
		r := bufio.NewReader(c2)
		line, err := roundTrip(t, c2, r, `{"execute":"guest-ping"}`, time.Second)
		if err != nil || !strings.Contains(line, "supported_commands") {
			t.Fatalf("the next client got %.60q, %v", line, err)
		}
		c2.Close()
		sum, _ := s.Close()
		if sum.Requests[0].Verdict != check.Lost || sum.Requests[0].DeliveredTo != 2 {
			t.Errorf("request 1: %+v", sum.Requests[0])
		}
	})
}

// A restart-agent fault on the reply's "return" cuts the reply mid-line;
// the client's read times out as it would in virtual time.
func TestServeRestartMidReply(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := sim.Config{Seed: 1, Faults: []fault.Spec{{Kind: "restart-agent", Params: fault.Params{"down": fault.Dur(2 * time.Second)},
			Trigger: fault.Trigger{On: []byte(`"return"`), Max: 1}}}}
		s, err := New(cfg, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		c, _ := s.Dial()
		r := bufio.NewReader(c)
		line, err := roundTrip(t, c, r, `{"execute":"guest-sync","arguments":{"id":1}}`, time.Second)
		if err == nil {
			t.Fatalf("a whole line %q through a restart", line)
		}
		time.Sleep(2 * time.Second)
		// A delimited client: the 0xFF, then lines up to the sentinel are
		// skipped (the partial line of the cut reply, the error the 0xFF
		// draws from an idle parser).
		c.Write([]byte("\xff" + `{"execute":"guest-sync-delimited","arguments":{"id":2}}`))
		c.SetReadDeadline(time.Now().Add(time.Second))
		for {
			line, err = r.ReadString('\n')
			if err != nil {
				t.Fatalf("after the restart: %q, %v", line, err)
			}
			if i := strings.IndexByte(line, 0xFF); i >= 0 {
				line = line[i+1:]
				break
			}
		}
		if line != "{\"return\": 2}\n" {
			t.Fatalf("the sync after the restart got %q", line)
		}
		c.Close()
		sum, _ := s.Close()
		if sum.Counts[check.Garbled] != 1 {
			t.Errorf("counts %v", sum.Counts)
		}
	})
}

// Backpressure: a client that writes and never reads fills the a2h queue;
// the link stops delivering, the agent is held, and nothing is lost. (On a
// unix socket: on virtio-serial, more than 4 KiB waiting makes GLib drop
// replies with "Illegal seek", as the lab measured.)
func TestServeBackpressure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s, err := New(sim.Config{Seed: 1, Transport: "unix-socket"}, Options{QueueBytes: 4096, InFlight: 8192})
		if err != nil {
			t.Fatal(err)
		}
		c, _ := s.Dial()
		req := []byte(`{"execute":"guest-info"}`)
		done := make(chan int)
		go func() {
			n := 0
			c.SetWriteDeadline(time.Now().Add(5 * time.Second))
			for {
				if _, err := c.Write(req); err != nil {
					break
				}
				n++
			}
			done <- n
		}()
		n := <-done
		// net.Pipe has no buffer: the writer blocked once the session
		// stopped reading, well before 5 s of requests.
		if n > 2000 {
			t.Errorf("the client wrote %d requests without anyone reading", n)
		}
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		got := 0
		r := bufio.NewReader(c)
		for got < n {
			if _, err := r.ReadString('\n'); err != nil {
				break
			}
			got++
		}
		if got < n-1 {
			t.Errorf("wrote %d requests, read %d replies", n, got)
		}
		c.Close()
		s.Close()
	})
}

// The events a Sink gets are its own: a player that keeps them (the live
// TUI) sees each host write's bytes as written, although the reader reads
// the next write into the same buffer.
func TestSinkEventsAreCopies(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var tr bytes.Buffer
		var kept []trace.Event
		s, err := New(sim.Config{Seed: 1}, Options{Trace: &tr, Sink: func(ev trace.Event) { kept = append(kept, ev) }})
		if err != nil {
			t.Fatal(err)
		}
		c, err := s.Dial()
		if err != nil {
			t.Fatal(err)
		}
		r := bufio.NewReader(c)
		for _, req := range []string{`{"execute":"guest-info"}`, `{"execute":"guest-ping"}`, `{"execute":"guest-sync","arguments":{"id":1}}`} {
			if _, err := roundTrip(t, c, r, req, time.Second); err != nil {
				t.Fatal(err)
			}
		}
		c.Close()
		if _, err := s.Close(); err != nil {
			t.Fatal(err)
		}
		evs := readTrace(t, &tr)
		if len(evs) != len(kept) {
			t.Fatalf("%d events in the trace, %d kept", len(evs), len(kept))
		}
		writes := 0
		for i, ev := range kept {
			if !bytes.Equal(ev.Bytes, evs[i].Bytes) {
				t.Errorf("event %d (%s): kept %q, the trace says %q", ev.Seq, ev.Kind, ev.Bytes, evs[i].Bytes)
			}
			if ev.Kind == trace.KindHostWrite {
				writes++
			}
		}
		if writes != 3 {
			t.Errorf("%d host writes, want 3", writes)
		}
	})
}

// failingWriter takes a few writes, then fails.
type failingWriter struct{ left int }

func (f *failingWriter) Write(p []byte) (int, error) {
	if f.left <= 0 {
		return 0, errors.New("disk full")
	}
	f.left--
	return len(p), nil
}

// The trace is written off the requests' path, but completely: Close
// returns once every event is written (the trace ends with the end
// events), and a trace that cannot be written is an error of Close, while
// the session itself goes on.
func TestTraceWriterCompleteAndErrors(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var tr bytes.Buffer
		s, err := New(sim.Config{Seed: 1}, Options{Trace: &tr})
		if err != nil {
			t.Fatal(err)
		}
		c, _ := s.Dial()
		r := bufio.NewReader(c)
		for i := range 100 {
			if _, err := roundTrip(t, c, r, `{"execute":"guest-ping"}`, time.Second); err != nil {
				t.Fatalf("request %d: %v", i, err)
			}
		}
		c.Close()
		if _, err := s.Close(); err != nil {
			t.Fatal(err)
		}
		evs := readTrace(t, &tr)
		if evs[len(evs)-1].Kind != trace.KindEnd {
			t.Errorf("the trace does not end with the end events")
		}
		if err := sim.CheckAccounting(evs); err != nil {
			t.Error(err)
		}

		s, err = New(sim.Config{Seed: 1}, Options{Trace: &failingWriter{left: 1}})
		if err != nil {
			t.Fatal(err)
		}
		c, _ = s.Dial()
		r = bufio.NewReader(c)
		for i := range 3000 { // more than the writer's buffer holds
			if _, err := roundTrip(t, c, r, `{"execute":"guest-ping"}`, time.Second); err != nil {
				t.Fatalf("request %d: the session stopped with its trace: %v", i, err)
			}
		}
		c.Close()
		sum, err := s.Close()
		if err == nil || !strings.Contains(err.Error(), "live: trace: disk full") {
			t.Errorf("Close: %v, want the trace's error", err)
		}
		if sum.Total != 3000 {
			t.Errorf("the oracle judged %d requests, want 3000", sum.Total)
		}
	})
}
