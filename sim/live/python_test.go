package live

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim/check"
)

// These tests put a client that qgasim does not contain, written in
// Python 3 with the standard library only (testdata/qgaclient.py), against
// a serve session on a real unix socket.

func python(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("python3"); err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("python3 not found; the live tests run a Python client: apt-get install -y python3")
	}
	t.Skip("python3 not found; the live tests run a Python client: apt-get install -y python3")
	return ""
}

type pyCall struct {
	Call     int    `json:"call"`
	Cmd      string `json:"cmd"`
	TimedOut bool   `json:"timed_out"`
	OK       bool   `json:"ok"`
	Wrong    bool   `json:"wrong"` // another command's reply
	Reply    string `json:"reply"`
}

// servePython serves a scenario file on a fresh unix socket, runs the
// Python client against it and returns its calls and the session's report.
func servePython(t *testing.T, scenario string, args ...string) ([]pyCall, *Report) {
	t.Helper()
	return livePython(t, scenario, nil, args...)
}

// livePython runs the Python client against a session on a fresh unix
// socket: serve, or with ag a proxy to that real agent.
func livePython(t *testing.T, scenario string, ag Upstream, args ...string) ([]pyCall, *Report) {
	t.Helper()
	py := python(t)
	sc, err := scenarios.Load(filepath.Join("testdata", scenario))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := scenarios.Build(sc, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	sock := filepath.Join(dir, "qga.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(cfg, Options{Agent: ag})
	if err != nil {
		t.Fatal(err)
	}
	<-s.Ready()
	go s.Serve(context.Background(), ln)
	cmd := exec.Command(py, append([]string{filepath.Join("testdata", "qgaclient.py"), args[0], sock}, args[1:]...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if _, cerr := s.Close(); cerr != nil {
		t.Fatal(cerr)
	}
	if err != nil {
		t.Fatalf("the Python client: %v\n%s", err, stderr.String())
	}
	var calls []pyCall
	sc2 := bufio.NewScanner(bytes.NewReader(out))
	for sc2.Scan() {
		var c pyCall
		if err := json.Unmarshal(sc2.Bytes(), &c); err != nil {
			t.Fatalf("client output %q: %v", sc2.Text(), err)
		}
		calls = append(calls, c)
	}
	r := s.Report()
	r.Mode, r.Scenario = "serve", sc.Name
	if ag != nil {
		r.Mode = "proxy"
	}
	return calls, r
}

// With guest-sync-delimited the client survives agent restarts and lost
// bytes: every call gets its own answer, and the oracle, which knows the
// client only from its bytes, finds nothing misattributed.
func TestPythonDelimitedSurvives(t *testing.T) {
	calls, rep := servePython(t, "restarts-and-drops.yaml", "delimited", "24", "0.4")
	if len(calls) != 24 {
		t.Fatalf("%d calls", len(calls))
	}
	for _, c := range calls {
		if !c.OK {
			t.Errorf("call %d %s got %q", c.Call, c.Cmd, c.Reply)
		}
	}
	s := rep.Summary
	var text bytes.Buffer
	rep.Text(&text)
	if s.Counts[check.Misattributed] != 0 || s.Counts[check.Correct] < 24 {
		t.Errorf("oracle: %v\n%s", s.Counts, text.String())
	}
	var restarts int
	for _, f := range rep.Faults {
		if strings.HasPrefix(f.Name, "restart-agent") {
			restarts++
		}
	}
	if restarts == 0 || s.SyncsMatched < 24 {
		t.Errorf("%d restarts, %d syncs matched: the scenario did not bite\n%s", restarts, s.SyncsMatched, text.String())
	}
	t.Logf("\n%s", text.String())
}

// A naive client gives up on guest-info after 1 s and sends guest-get-time;
// guest-info's late reply arrives and becomes guest-get-time's answer. The
// client sees a reply of the wrong shape, and serve's report says so.
func TestPythonNaiveStale(t *testing.T) {
	calls, rep := servePython(t, "slow-guest-info.yaml", "naive", "3", "1.0")
	if len(calls) != 3 || !calls[0].TimedOut || calls[1].OK {
		t.Fatalf("calls %+v: want guest-info to time out and guest-get-time to get a wrong reply", calls)
	}
	if !strings.Contains(calls[1].Reply, "version") {
		t.Errorf("guest-get-time got %q, want guest-info's reply", calls[1].Reply)
	}
	var text bytes.Buffer
	rep.Text(&text)
	s := rep.Summary
	if !calls[1].Wrong {
		t.Errorf("the client did not see another command's reply: %+v", calls[1])
	}
	if s.Counts[check.Misattributed] != 1 || s.Requests[0].Verdict != check.Misattributed || s.Requests[0].LaterReq != 2 {
		t.Fatalf("oracle %v:\n%s", s.Counts, text.String())
	}
	if !strings.Contains(text.String(), "MISATTRIBUTED: its reply arrived after request 2 was sent") {
		t.Errorf("the report does not say it:\n%s", text.String())
	}
	t.Logf("\n%s", text.String())
}

// Both at once, as the done-when asks: the Python client through a
// proxy to the real qemu-ga, which the scenario's restart-agent kills
// every second (SIGKILL; started again 300 ms later) while host bytes get
// lost. The delimited client gets every answer right; the oracle finds
// nothing misattributed and no reply still on the way, guest-info's too
// (qemu-ga writes it in two pieces, the first delivered before the line
// ends).
func TestPythonThroughProxyToRealAgent(t *testing.T) {
	bin := qemuGA(t)
	d := newAgentDir(t, false)
	ag := d.managed(t, bin, "", nil)
	calls, rep := livePython(t, "restarts-and-drops.yaml", ag, "delimited", "24", "0.4")
	if len(calls) != 24 {
		t.Fatalf("%d calls", len(calls))
	}
	for _, c := range calls {
		if !c.OK {
			t.Errorf("call %d %s got %q", c.Call, c.Cmd, c.Reply)
		}
	}
	s := rep.Summary
	var text bytes.Buffer
	rep.Text(&text)
	if s.Counts[check.Misattributed] != 0 || s.Counts[check.Unfinished] != 0 || s.Counts[check.Correct] < 24 {
		t.Errorf("oracle: %v\n%s", s.Counts, text.String())
	}
	infos := 0
	for _, r := range s.Requests {
		if r.Cmd == "guest-info" && r.Verdict == check.Correct && r.Delivered == int64(len(r.Reply)) {
			infos++
		}
	}
	restarts := 0
	for _, f := range rep.Faults {
		if strings.HasPrefix(f.Name, "restart-agent") {
			restarts++
		}
	}
	if infos == 0 || restarts == 0 {
		t.Errorf("%d guest-info replies judged whole and correct, %d restarts: the session did not do what it should\n%s", infos, restarts, text.String())
	}
	t.Logf("\n%s", text.String())
}
