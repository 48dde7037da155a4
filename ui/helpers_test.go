package ui

import (
	"flag"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"

	goldenfile "github.com/qgasim/qgasim/internal/golden"
	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/agent"
	"github.com/qgasim/qgasim/sim/client"
	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/ui/model"
)

var update = flag.Bool("update", false, "rewrite the golden screen files in testdata")

const testSeed = 42

// staleConfig is the sketch's scenario: a naive client gives up on a slow
// guest-info after 5 s, and the late reply goes to the next caller.
func staleConfig(strategy string) (sim.Config, model.Info) {
	cfg := sim.Config{
		Seed:      testSeed,
		Duration:  30 * time.Second,
		Transport: "virtio-serial",
		Agent:     agent.Config{Latency: map[string]time.Duration{"guest-info": 7 * time.Second}},
		Client:    client.Spec{Strategy: strategy, Options: client.Options{Timeout: 5 * time.Second}},
		Steps: []sim.Step{
			{Send: &sim.Send{Execute: "guest-info"}, Note: "The guest needs 7 s; the client gives up after 5 s."},
			{Sleep: &sim.Sleep{D: 6 * time.Second}},
			{Send: &sim.Send{Execute: "guest-get-time"}, Note: "The late guest-info reply is in the channel now. Whose answer will it become?"},
		},
	}
	info := model.Info{Scenario: "stale-reply-after-timeout", Seed: testSeed, Transport: "virtio-serial", Strategy: strategy,
		Description: "On virtio-serial a reply is never lost: if the host client has given up waiting, the agent's reply\nwaits in the channel and reaches whoever reads next."}
	return cfg, info
}

// restartConfig is the restart-mid-reply lesson: the agent dies 250 bytes
// into the a2h stream, in the middle of guest-info's reply, and the
// delimited client resyncs past the cut reply.
func restartConfig() (sim.Config, model.Info) {
	after := int64(250)
	cfg, _ := staleConfig("delimited")
	cfg.Agent = agent.Config{}
	cfg.Faults = []fault.Spec{{Kind: "restart-agent", Dir: "a2h", Params: fault.Params{"down": fault.Dur(2 * time.Second)},
		Trigger: fault.Trigger{AfterBytes: &after, Max: 1}}}
	cfg.Steps = []sim.Step{
		{Send: &sim.Send{Execute: "guest-info"}, Note: "The agent starts its long reply and is killed 250 bytes into the stream."},
		{Send: &sim.Send{Execute: "guest-ping"}, Note: "A new agent is up. The client resyncs past the truncated reply."},
	}
	info := model.Info{Scenario: "restart-mid-reply", Seed: testSeed, Transport: "virtio-serial", Strategy: "delimited",
		Description: "The agent dies while it writes a reply."}
	return cfg, info
}

func newTestUI(t *testing.T, strategy string) *UI {
	t.Helper()
	cfg, info := staleConfig(strategy)
	u, err := New(Options{Config: cfg, Info: info})
	if err != nil {
		t.Fatalf("seed %d: %v", testSeed, err)
	}
	return u
}

// screenText draws the UI on a simulation screen w x h and returns its
// text, one line per row, trailing spaces cut.
func screenText(t *testing.T, u *UI, w, h int) string {
	t.Helper()
	return drawText(t, u.Root(), w, h)
}

// drawText draws a root primitive on a simulation screen.
func drawText(t *testing.T, root *Root, w, h int) string {
	t.Helper()
	s := tcell.NewSimulationScreen("UTF-8")
	if err := s.Init(); err != nil {
		t.Fatal(err)
	}
	defer s.Fini()
	s.SetSize(w, h)
	root.SetRect(0, 0, w, h)
	root.Draw(s)
	s.Show()
	return contents(s)
}

func contents(s tcell.SimulationScreen) string {
	cells, w, h := s.GetContents()
	var b strings.Builder
	for y := 0; y < h; y++ {
		var line []rune
		for x := 0; x < w; x++ {
			c := cells[y*w+x]
			if len(c.Runes) == 0 {
				line = append(line, ' ')
			} else {
				line = append(line, c.Runes[0])
			}
		}
		b.WriteString(strings.TrimRight(string(line), " "))
		b.WriteByte('\n')
	}
	return b.String()
}

// golden compares got with testdata/name.golden (rewritten with -update).
func golden(t *testing.T, name, got string) {
	t.Helper()
	want, match, err := goldenfile.Check(filepath.Join("testdata", name+".golden"), got, *update)
	if err != nil {
		t.Fatal(err)
	}
	if !match {
		t.Errorf("seed %d: screen %s differs from the golden file (go test ./ui -update rewrites it)\n--- got\n%s--- want\n%s", testSeed, name, got, want)
	}
}

func key(r rune) *tcell.EventKey { return tcell.NewEventKey(tcell.KeyRune, r, tcell.ModNone) }

func press(u *UI, keys string) {
	for _, r := range keys {
		u.HandleKey(key(r))
	}
}
