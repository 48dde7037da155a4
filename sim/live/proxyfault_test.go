package live

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/check"
	"github.com/qgasim/qgasim/sim/client"
	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/sim/trace"
)

// delimitedCall is the documented client (the "delimited" strategy) over a
// real connection: 0xFF, guest-sync-delimited with a fresh id, skip up to
// the sentinel, check the id, retry each sync after syncTimeout, give up at
// the caller's deadline; then the command and its line.
func delimitedCall(c net.Conn, r *bufio.Reader, cmd string, timeout, syncTimeout time.Duration) (string, error) {
	deadline := time.Now().Add(timeout)
	for {
		if time.Now().After(deadline) {
			return "", errTimedOut
		}
		id := rand.Int64()
		if _, err := fmt.Fprintf(c, "\xff{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":%d}}", id); err != nil {
			return "", err
		}
		c.SetReadDeadline(minTime(deadline, time.Now().Add(syncTimeout)))
		if ok, err := awaitSentinel(r, id); err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue // retry the sync
			}
			return "", err
		} else if !ok {
			continue
		}
		if _, err := fmt.Fprintf(c, "{\"execute\":%q}", cmd); err != nil {
			return "", err
		}
		c.SetReadDeadline(deadline)
		line, err := r.ReadString('\n')
		if err != nil {
			return "", errTimedOut
		}
		return line, nil
	}
}

var errTimedOut = errors.New("timed out")

// awaitSentinel skips to the next 0xFF and reads the sync reply after it.
func awaitSentinel(r *bufio.Reader, id int64) (bool, error) {
	for {
		if _, err := r.ReadBytes(0xFF); err != nil {
			return false, err
		}
		line, err := r.ReadString('\n')
		if err != nil {
			return false, err
		}
		if strings.TrimSpace(line) == fmt.Sprintf(`{"return": %d}`, id) {
			return true, nil
		}
	}
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// A fault that drops the agent's 0xFF (on: 0xff) makes a delimited client
// time out: through the proxy, against the real qemu-ga, in wall time, as
// the World says it does in virtual time.
func TestProxySentinelDropped(t *testing.T) {
	bin := qemuGA(t)
	const timeout, syncTimeout = 900 * time.Millisecond, 300 * time.Millisecond
	faults := []fault.Spec{{Kind: "drop", Dir: "a2h", Trigger: fault.Trigger{On: []byte{0xFF}}}}

	// Virtual time: the simulated agent and the delimited strategy.
	cfg := sim.Config{Seed: 1, Transport: "unix-socket", Faults: faults,
		Steps:  []sim.Step{{Send: &sim.Send{Execute: "guest-ping", Timeout: timeout}}},
		Client: client.Spec{Strategy: "delimited", Options: client.Options{SyncTimeout: syncTimeout}}}
	w, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	w.Run()
	var vOutcome trace.Event
	for _, ev := range w.Trace() {
		if ev.Kind == trace.KindOutcome {
			vOutcome = ev
		}
	}
	if vOutcome.Outcome != "timed out" {
		t.Fatalf("in virtual time the delimited client got %q, want a timeout", vOutcome.Outcome)
	}

	// Wall time: the real agent behind the proxy, a real client.
	d := newAgentDir(t, false)
	ag := d.managed(t, bin, "", os.Stderr)
	var tr bytes.Buffer
	s, ln := proxySessionOpts(t, ag, Options{Trace: &tr}, func(c *sim.Config) { c.Transport = "unix-socket"; c.Faults = faults })
	c, err := net.Dial("unix", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = delimitedCall(c, bufio.NewReader(c), "guest-ping", timeout, syncTimeout)
	took := time.Since(start)
	c.Close()
	if !errors.Is(err, errTimedOut) {
		t.Fatalf("through the proxy: %v, want a timeout", err)
	}
	if d := took - time.Duration(vOutcome.T); d < -50*time.Millisecond || d > 200*time.Millisecond {
		t.Errorf("timed out after %v; in virtual time after %v", took, time.Duration(vOutcome.T))
	}
	if _, err := s.Close(); err != nil {
		t.Fatal(err)
	}
	evs := readTrace(t, &tr)
	fired := 0
	for _, ev := range evs {
		if ev.Kind == trace.KindFault && ev.Fault == "drop" {
			fired++
		}
	}
	if fired < 2 {
		t.Errorf("the drop fault fired %d times on the real agent's bytes", fired)
	}
	if err := sim.CheckAccounting(evs); err != nil {
		t.Errorf("accounting: %v", err)
	}
}

// restart-agent on the real agent's "return": the managed qemu-ga is killed
// mid-reply and a new process answers after the down time.
func TestProxyRestartMidReply(t *testing.T) {
	bin := qemuGA(t)
	d := newAgentDir(t, false)
	ag := d.managed(t, bin, "", os.Stderr)
	var tr bytes.Buffer
	faults := []fault.Spec{{Kind: "restart-agent", Params: fault.Params{"down": fault.Dur(300 * time.Millisecond)}, Trigger: fault.Trigger{On: []byte(`"return"`), Max: 1}}}
	s, ln := proxySessionOpts(t, ag, Options{Trace: &tr}, func(c *sim.Config) { c.Faults = faults })
	c, err := net.Dial("unix", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	c.Write([]byte(`{"execute":"guest-sync","arguments":{"id":1}}`))
	c.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	if line, err := r.ReadString('\n'); err == nil || line != `{"return"` {
		t.Fatalf("before the kill the client got %q, %v; want the cut reply", line, err)
	}
	time.Sleep(400 * time.Millisecond)
	line, err := delimitedCall(c, r, "guest-ping", 2*time.Second, 300*time.Millisecond)
	if err != nil || line != "{\"return\": {}}\n" {
		t.Fatalf("after the restart: %q, %v", line, err)
	}
	c.Close()
	s.Close()
	evs := readTrace(t, &tr)
	var starts []string
	for _, ev := range evs {
		if ev.Kind == trace.KindAgentStart {
			starts = append(starts, ev.Text)
		}
	}
	if len(starts) != 2 || starts[1] != "a new agent process" {
		t.Errorf("agent starts %q", starts)
	}
	if err := sim.CheckAccounting(evs); err != nil {
		t.Errorf("accounting: %v", err)
	}
}

// pause-agent and stop-agent on the real agent: the managed qemu-ga gets
// SIGSTOP (a request waits, the connection stays up), SIGCONT (the reply
// comes), then SIGTERM: an idle agent exits, its connection closes, and a
// new process answers after the fault's down time.
func TestProxyPauseContinueStop(t *testing.T) {
	bin := qemuGA(t)
	d := newAgentDir(t, false)
	ag := d.managed(t, bin, "", os.Stderr)
	var tr bytes.Buffer
	ms := func(n int) *time.Duration { d := time.Duration(n) * time.Millisecond; return &d }
	faults := []fault.Spec{
		{Kind: "pause-agent", Params: fault.Params{"for": fault.Dur(600 * time.Millisecond)}, Trigger: fault.Trigger{At: ms(200), Max: 1}},
		{Kind: "stop-agent", Params: fault.Params{"down": fault.Dur(300 * time.Millisecond)}, Trigger: fault.Trigger{At: ms(1200), Max: 1}},
	}
	s, ln := proxySessionOpts(t, ag, Options{Trace: &tr}, func(c *sim.Config) { c.Faults = faults })
	c, err := net.Dial("unix", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	time.Sleep(400 * time.Millisecond) // into the pause
	c.Write([]byte(`{"execute":"guest-sync","arguments":{"id":7}}`))
	c.SetReadDeadline(time.Now().Add(250 * time.Millisecond))
	if line, err := r.ReadString('\n'); err == nil {
		t.Fatalf("the paused agent answered %q", line)
	}
	c.SetReadDeadline(time.Now().Add(time.Second))
	if line, err := r.ReadString('\n'); err != nil || line != "{\"return\": 7}\n" {
		t.Fatalf("after SIGCONT: %q, %v", line, err)
	}
	time.Sleep(1200 * time.Millisecond) // past the SIGTERM and the down time
	line, err := delimitedCall(c, r, "guest-ping", 2*time.Second, 300*time.Millisecond)
	if err != nil || line != "{\"return\": {}}\n" {
		t.Fatalf("after the stop: %q, %v", line, err)
	}
	c.Close()
	s.Close()
	evs := readTrace(t, &tr)
	var starts []string
	deaths := 0
	for _, ev := range evs {
		switch ev.Kind {
		case trace.KindAgentStart:
			starts = append(starts, ev.Text)
		case trace.KindAgentRestart:
			deaths++
		}
	}
	if deaths != 1 || len(starts) != 2 || starts[1] != "a new agent process" {
		t.Errorf("agent deaths %d, starts %q: want the SIGTERM exit and a new process", deaths, starts)
	}
	if err := sim.CheckAccounting(evs); err != nil {
		t.Errorf("accounting: %v", err)
	}
}

// A restart that kills the real agent in the middle of a long reply (qemu-ga
// writes guest-info's 3 KB in pieces of 2047 bytes, so the kill comes before
// the line's end): the agent did answer, part of it reached the client, and
// the report says so, as serve's does for the same fault; the trace replays
// against the simulated agent with no difference (the recorded reply is the
// start of the simulated one).
func TestProxyRestartCutsLongReply(t *testing.T) {
	bin := qemuGA(t)
	d := newAgentDir(t, false)
	ag := d.managed(t, bin, "", os.Stderr)
	var tr bytes.Buffer
	at := int64(250)
	faults := []fault.Spec{{Kind: "restart-agent", Params: fault.Params{"down": fault.Dur(300 * time.Millisecond)},
		Trigger: fault.Trigger{AfterBytes: &at, Max: 1}}}
	cfg := func(c *sim.Config) { c.Faults = faults }
	s, ln := proxySessionOpts(t, ag, Options{Trace: &tr, Session: &trace.Session{Mode: "proxy", Scenario: "test"}}, cfg)
	c, err := net.Dial("unix", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Write([]byte(`{"execute":"guest-info"}`))
	c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	got, _ := io.ReadAll(c)
	if len(got) != 251 || bytes.IndexByte(got, '\n') >= 0 {
		t.Fatalf("the client got %d bytes %.40q...; want the first 251 of the reply, no newline", len(got), got)
	}
	c.Close()
	time.Sleep(50 * time.Millisecond)
	sum, err := s.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Requests) != 1 || sum.Requests[0].Verdict != check.Garbled || !sum.Requests[0].Answered || sum.Unanswered != 0 {
		t.Fatalf("the oracle: %+v", sum.Requests)
	}
	evs := readTrace(t, &tr)
	rec := readRecording(t, evs)
	// The proxy may read the agent's two writes at once (the whole line,
	// cut by the link) or the first alone (the line cut by the kill).
	if len(rec.Messages) != 1 {
		t.Fatalf("%d messages recorded, want 1", len(rec.Messages))
	}
	if m := rec.Messages[0]; m.Cut != (len(m.Reply) < 3000) || m.Cmd != "guest-info" {
		t.Fatalf("recorded %s, %d bytes, cut %v", m.Cmd, len(m.Reply), m.Cut)
	}
	var rc sim.Config
	cfg(&rc)
	rc.Seed = 1
	res, err := Replay(rc, rec, faults)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range res.Differences {
		t.Error(d.What())
	}
	if err := sim.CheckAccounting(evs); err != nil {
		t.Errorf("accounting: %v", err)
	}
}

// A real agent that dies by itself (no fault) is started again, and the
// report lists its exit with the faults: a crash must not go unseen.
func TestProxyAgentDiesByItself(t *testing.T) {
	bin := qemuGA(t)
	d := newAgentDir(t, false)
	ag := d.managed(t, bin, "", os.Stderr)
	s, ln := proxySessionOpts(t, ag, Options{}, nil)
	first := ag.PID()
	if err := syscall.Kill(first, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	c, err := net.Dial("unix", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	line, err := delimitedCall(c, bufio.NewReader(c), "guest-ping", 5*time.Second, 300*time.Millisecond)
	if err != nil || line != "{\"return\": {}}\n" {
		t.Fatalf("after the crash: %q, %v", line, err)
	}
	if ag.PID() == first || ag.PID() == 0 {
		t.Errorf("agent pid %d, was %d: not started again", ag.PID(), first)
	}
	c.Close()
	if _, err := s.Close(); err != nil {
		t.Fatal(err)
	}
	rep := s.Report()
	var exits []string
	for _, f := range rep.Faults {
		if f.Name == SelfExit {
			exits = append(exits, f.Text)
		}
	}
	if len(exits) != 1 || !strings.Contains(exits[0], "by itself") {
		t.Errorf("the report's exits: %q (faults %+v)", exits, rep.Faults)
	}
}
