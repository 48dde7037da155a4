package main

import (
	"bufio"
	"bytes"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim/live"
	"github.com/qgasim/qgasim/sim/trace"
)

func qemuGAPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"qemu-ga", "/usr/sbin/qemu-ga", "/usr/bin/qemu-ga"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("qemu-ga not found; replay's test records a real session: apt-get install -y qemu-guest-agent")
	}
	t.Skip("qemu-ga not found; replay's test records a real session: apt-get install -y qemu-guest-agent")
	return ""
}

// A proxy session with the real qemu-ga (restarted once by a fault) is
// recorded; replay finds 0 differences against the simulated agent;
// --save writes a scenario that run plays back with the same answers.
func TestReplayRealSession(t *testing.T) {
	bin := qemuGAPath(t)
	dir := t.TempDir()
	state := filepath.Join(dir, "state")
	if err := os.Mkdir(state, 0o700); err != nil {
		t.Fatal(err)
	}
	scen := filepath.Join(dir, "restart.yaml")
	if err := os.WriteFile(scen, []byte(`version: 1
name: restart-at-one-second
faults:
  - kind: restart-agent
    down: 200ms
    trigger: {at: 1s}
`), 0o600); err != nil {
		t.Fatal(err)
	}
	agentSock, listen := filepath.Join(dir, "qga.sock"), filepath.Join(dir, "p.sock")
	tracePath := filepath.Join(dir, "session.jsonl")
	var out, errOut bytes.Buffer
	done := make(chan int)
	go func() {
		done <- run([]string{"proxy", scen, "--listen", "unix:" + listen, "--connect", "unix:" + agentSock,
			"--agent-cmd", bin + " -m unix-listen -p " + agentSock + " -t " + state, "--duration", "2500ms", "--trace", tracePath}, &out, &errOut)
	}()
	var c net.Conn
	var err error
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if c, err = net.Dial("unix", listen); err == nil || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		t.Fatalf("connect: %v\n%s", err, errOut.String())
	}
	r := bufio.NewReader(c)
	start := time.Now()
	send := func(at time.Duration, req string, lines int) {
		time.Sleep(time.Until(start.Add(at)))
		c.Write([]byte(req))
		c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
		for range lines {
			if _, err := r.ReadString('\n'); err != nil {
				t.Errorf("at %v: %v", at, err)
			}
		}
	}
	send(100*time.Millisecond, `{"execute":"guest-sync","arguments":{"id":11}}`, 1)
	send(200*time.Millisecond, "\xff"+`{"execute":"guest-sync-delimited","arguments":{"id":12}}`, 2)
	send(300*time.Millisecond, `{"execute":"guest-info"}{"execute":"guest-ping"}`, 2)
	send(400*time.Millisecond, `{"execute":"nope"}{"exec`, 1)
	send(500*time.Millisecond, `ute":"guest-ping"}`+"\n", 1)
	send(600*time.Millisecond, `{"execute":"guest-sync"}[1,2]`, 2)
	// The agent is killed at 1 s and back some 200 ms later.
	send(1600*time.Millisecond, "\xff"+`{"execute":"guest-sync-delimited","arguments":{"id":13}}`, 2)
	send(1700*time.Millisecond, `{"execute":"guest-ping","id":"x"}`, 1)
	c.Close()
	if code := <-done; code != 0 {
		t.Fatalf("proxy exited %d:\n%s\n%s", code, out.String(), errOut.String())
	}
	liveOracle := oracleLine(out.String())

	out.Reset()
	if code := run([]string{"replay", tracePath}, &out, &errOut); code != 0 {
		t.Fatalf("replay exited %d:\n%s\n%s", code, out.String(), errOut.String())
	}
	if !strings.Contains(out.String(), "0 differences") || !strings.Contains(out.String(), "1 fault firings, 12 messages recorded") {
		t.Fatalf("replay:\n%s", out.String())
	}

	repro := filepath.Join(dir, "repro.yaml")
	if code := run([]string{"replay", tracePath, "--save", repro}, &out, &errOut); code != 0 {
		t.Fatalf("replay --save exited %d: %s", code, errOut.String())
	}
	out.Reset()
	if code := run([]string{"run", repro}, &out, &errOut); code != 0 {
		t.Fatalf("run of the saved scenario exited %d:\n%s\n%s", code, out.String(), errOut.String())
	}
	// Its report judges the raw steps' requests as the proxy's judged the
	// client's, with the same verdicts.
	if !strings.Contains(out.String(), "requests (the raw steps' bytes, judged from the bytes alone") ||
		oracleLine(out.String()) != liveOracle || !strings.Contains(liveOracle, "correct") {
		t.Errorf("the saved scenario's report says %q, the proxy's said %q:\n%s", oracleLine(out.String()), liveOracle, out.String())
	}
	// The saved scenario, run, answers every message as the real agent did.
	sc, err := scenarios.Load(repro)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := scenarios.Build(sc, nil)
	if err != nil {
		t.Fatal(err)
	}
	ran, err := scenarios.Execute(sc, cfg)
	if err != nil {
		t.Fatal(err)
	}
	recorded, err := readRecordingFile(tracePath)
	if err != nil {
		t.Fatal(err)
	}
	played, err := live.ReadRecording(ran.Events)
	if err != nil {
		t.Fatal(err)
	}
	if diffs := live.Compare(recorded.Messages, played.Messages); len(diffs) > 0 || len(played.Messages) != 12 {
		for _, d := range diffs {
			t.Error(d.What())
		}
		src, _ := os.ReadFile(repro)
		t.Fatalf("%d messages played\n%s", len(played.Messages), src)
	}
	restarts := 0
	for _, ev := range ran.Events {
		if ev.Kind == trace.KindAgentRestart {
			restarts++
		}
	}
	if testing.Verbose() {
		src, _ := os.ReadFile(repro)
		t.Logf("replay:\n%s\nsaved:\n%s", out.String(), src)
	}
	if restarts != 1 {
		t.Errorf("%d restarts in the saved scenario's run", restarts)
	}
}

// oracleLine is a report's "oracle: ..." line.
func oracleLine(report string) string {
	for _, l := range strings.Split(report, "\n") {
		if strings.HasPrefix(l, "oracle: ") {
			return l
		}
	}
	return ""
}
