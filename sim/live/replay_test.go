package live

import (
	"bufio"
	"bytes"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/agent"
	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/sim/trace"
)

// A serve session's trace replays with no difference: the same simulated
// agent, the same host bytes at the same virtual times, the same faults
// (a restart that cuts a reply on its "return", a lost host byte, a
// stall), the same answers.
func TestReplayServeTrace(t *testing.T) {
	every := 900 * time.Millisecond
	stallAt := 2 * time.Second
	cfg := sim.Config{Seed: 3, Agent: agent.Config{Latency: map[string]time.Duration{"guest-info": 50 * time.Millisecond}},
		Faults: []fault.Spec{
			{Kind: "restart-agent", Params: fault.Params{"down": fault.Dur(200 * time.Millisecond)}, Trigger: fault.Trigger{On: []byte(`"return"`), Max: 2}},
			{Kind: "drop", Dir: "h2a", Trigger: fault.Trigger{At: &every, Max: 1}},
			{Kind: "stall", Dir: "a2h", Params: fault.Params{"for": fault.Dur(300 * time.Millisecond)}, Trigger: fault.Trigger{At: &stallAt}},
		}}
	var tr bytes.Buffer
	synctest.Test(t, func(t *testing.T) {
		s, err := New(cfg, Options{Trace: &tr, Session: &trace.Session{Mode: "serve", Scenario: "test"}})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		for conn := range 2 {
			c, _ := s.Dial()
			r := bufio.NewReader(c)
			for i := range 8 {
				cmd := []string{`{"execute":"guest-info"}`, `{"execute":"guest-sync","arguments":{"id":` + string(rune('1'+i)) + `}}`,
					"\xff{\"execute\":\"guest-ping\"}", `{"execute":"nope"}`}[i%4]
				c.Write([]byte(cmd))
				c.SetReadDeadline(time.Now().Add(150 * time.Millisecond))
				r.ReadString('\n')
				time.Sleep(time.Duration(100+50*conn) * time.Millisecond)
			}
			c.Close()
			time.Sleep(100 * time.Millisecond)
		}
	})
	evs := readTrace(t, &tr)
	rec := readRecording(t, evs)
	if rec.Session == nil || rec.Session.Mode != "serve" || rec.Session.Seed != 3 {
		t.Fatalf("session %+v", rec.Session)
	}
	kinds := map[string]int{}
	for _, f := range rec.Firings {
		kinds[f.Kind]++
	}
	if kinds["restart-agent"] != 2 || kinds["drop"] != 1 || kinds["stall"] == 0 {
		t.Fatalf("firings %v", kinds)
	}
	res, err := Replay(cfg, rec, cfg.Faults)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Replayed) != len(rec.Messages) || len(rec.Messages) < 12 {
		t.Errorf("%d messages recorded, %d replayed", len(rec.Messages), len(res.Replayed))
	}
	for _, d := range res.Differences {
		t.Error(d.What())
	}
	if t.Failed() {
		dumpReplay(t, rec, res)
	}
	if err := sim.CheckAccounting(res.Events); err != nil {
		t.Error(err)
	}
}

// A difference is found and said: the replay's agent answers otherwise.
func TestReplayFindsDifferences(t *testing.T) {
	rec := &Recording{Host: []HostAction{{T: 0, Kind: "connect"}, {T: 1e6, Kind: "write", Bytes: []byte(`{"execute":"guest-ping"}{"execute":"guest-sync","arguments":{"id":4}}`)}},
		Messages: []Message{{T: 2e6, Cmd: "guest-ping", OriginOff: 23, Reply: []byte("{\"return\": {}}\n")},
			{T: 2e6, Cmd: "guest-sync", OriginOff: 68, Reply: []byte("{\"return\": 5}\n")}},
		End: 1e9}
	res, err := Replay(sim.Config{Seed: 1}, rec, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Differences) != 1 || res.Differences[0].OriginOff != 68 {
		t.Fatalf("differences %+v", res.Differences)
	}
	want := `message ending at host byte 68 (guest-sync): recorded {"return": 5}\x0a, simulated {"return": 4}\x0a`
	if got := res.Differences[0].What(); got != want {
		t.Errorf("what:\n%s\nwant\n%s", got, want)
	}
	long := Difference{OriginOff: 5, Replayed: &Message{Cmd: "guest-info", Reply: bytes.Repeat([]byte("x"), 3000)}}
	if got := long.What(); len(got) > 300 || !strings.HasSuffix(got, "xxx... (2840 bytes more)") {
		t.Errorf("a long reply's difference: %d bytes, ends %q", len(got), got[max(0, len(got)-40):])
	}
}

// readTrace reads back a session's JSONL trace.
func readTrace(t *testing.T, tr *bytes.Buffer) []trace.Event {
	t.Helper()
	evs, err := trace.ReadAll(tr)
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

// readRecording is the recording of a session's trace.
func readRecording(t *testing.T, evs []trace.Event) *Recording {
	t.Helper()
	rec, err := ReadRecording(evs)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func dumpReplay(t *testing.T, rec *Recording, res *ReplayResult) {
	for _, f := range rec.Firings {
		t.Logf("firing %+v", f)
	}
	for _, f := range res.Faults {
		t.Logf("fault %+v %+v", f, f.Trigger)
	}
	for _, m := range rec.Messages {
		t.Logf("rec  %d inc%d %d %s %q", m.T, m.Inc, m.OriginOff, m.Cmd, m.Reply)
	}
	for _, m := range res.Replayed {
		t.Logf("rep  %d inc%d %d %s %q", m.T, m.Inc, m.OriginOff, m.Cmd, m.Reply)
	}
}
