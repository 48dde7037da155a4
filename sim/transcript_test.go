package sim

import (
	"flag"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qgasim/qgasim/internal/golden"
	"github.com/qgasim/qgasim/sim/agent"
	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/sim/link"
	"github.com/qgasim/qgasim/sim/trace"
)

var update = flag.Bool("update", false, "rewrite testdata/transcripts/*.txt from the current behaviour")

func at(d time.Duration) *time.Duration { return &d }

func raw(s string) Step { return Step{Raw: &Raw{Bytes: []byte(s)}} }

func note(s string) Step { return Step{Note: s} }

var (
	disconnect = Step{Disconnect: true}
	reconnect  = Step{Reconnect: true}
)

// transcripts shows each transport and each fault at work: the config, then
// every event (bytes in, what the link and the agent did, bytes out), then
// the bytes each side finally got.
var transcripts = []struct {
	name string
	cfg  Config
}{
	{"virtio-reply-held-for-next-client", Config{Transport: "virtio-serial", Steps: []Step{
		note("a request, and the host leaves before the reply"), raw(`{"execute":"guest-sync","arguments":{"id":1}}`), disconnect,
		sleep(time.Second), reconnect, note("the next client gets the stale reply first"), send("guest-ping", "")}}},
	{"isa-reply-lost-without-host", Config{Transport: "isa-serial", Steps: []Step{
		raw(`{"execute":"guest-sync","arguments":{"id":1}}`), sleep(5 * time.Millisecond), disconnect,
		sleep(time.Second), reconnect, send("guest-ping", "")}}},
	{"unix-reply-dropped-client-left", Config{Transport: "unix-socket", Steps: []Step{
		raw(`{"execute":"guest-sync","arguments":{"id":1}}`), disconnect, sleep(time.Second), reconnect, send("guest-ping", "")}}},
	{"unix-agent-restart-ends-connection", Config{Transport: "unix-socket",
		Faults: []fault.Spec{{Kind: "restart-agent", Params: fault.Params{"down": fault.Dur(time.Second)}, Trigger: fault.Trigger{At: at(5 * time.Millisecond)}}},
		Steps: []Step{send("guest-ping", ""), sleep(100 * time.Millisecond), note("the program reconnects while the agent is down: the connect waits"),
			reconnect, sleep(2 * time.Second), send("guest-ping", "")}}},
	{"glib-illegal-seek-h1", h1Config("virtio-serial")},
	{"isa-host-writes-and-closes", Config{Transport: "isa-serial", Steps: []Step{
		note("only about 8 bytes reach the UART"), raw(`{"execute":"guest-sync","arguments":{"id":1}}`), disconnect,
		sleep(100 * time.Millisecond), reconnect, send("guest-ping", "")}}},
	{"isa-input-flushed-at-agent-start", Config{Transport: "isa-serial", Seed: 2,
		Faults: []fault.Spec{{Kind: "restart-agent", Params: fault.Params{"down": fault.Dur(100 * time.Millisecond)}, Trigger: fault.Trigger{At: at(time.Millisecond)}}},
		Steps:  []Step{sleep(2 * time.Millisecond), raw(`{"execute":"guest-sync","arguments":{"id":432}}`), sleep(200 * time.Millisecond), send("guest-ping", "")}}},
	{"virtio-new-agent-mid-request", Config{Transport: "virtio-serial",
		Faults: []fault.Spec{{Kind: "restart-agent", Params: fault.Params{"down": fault.Dur(100 * time.Millisecond)}, Trigger: fault.Trigger{At: at(5 * time.Millisecond)}}},
		Steps:  []Step{raw(`{"execute":"guest-sync",`), sleep(10 * time.Millisecond), raw(`"arguments":{"id":421}}`), sleep(200 * time.Millisecond), raw(`{"execute":"guest-ping"}`), sleep(10 * time.Millisecond)}}},
	{"virtio-half-read-reply-tail", Config{Transport: "virtio-serial", Link: link.Config{A2H: link.Params{Capacity: 64}},
		Faults: []fault.Spec{{Kind: "stall", Dir: "a2h", Params: fault.Params{"for": fault.Dur(50 * time.Millisecond)}, Trigger: fault.Trigger{At: at(0)}}},
		Steps:  []Step{raw(`{"execute":"guest-get-osinfo"}`), sleep(10 * time.Millisecond), disconnect, sleep(100 * time.Millisecond), reconnect, send("guest-ping", "")}}},
	{"drop-0xff", Config{Faults: []fault.Spec{{Kind: "drop", Trigger: fault.Trigger{On: []byte{0xff}}}},
		Steps: []Step{raw("\xff"), send("guest-sync-delimited", `{"id":5}`)}}},
	{"burst-loss", Config{Seed: 3, Faults: []fault.Spec{{Kind: "burst", Dir: "a2h", Params: fault.Params{"r": fault.Num(0.3)}, Trigger: fault.Trigger{On: []byte(`"return"`)}}},
		Steps: []Step{send("guest-sync", `{"id":1}`), send("guest-sync", `{"id":2}`)}}},
	{"corrupt-return", Config{Seed: 4, Faults: []fault.Spec{{Kind: "corrupt", Dir: "a2h", Params: fault.Params{"bits": fault.Int(2)}, Trigger: fault.Trigger{On: []byte(`"return"`), Max: 1}}},
		Steps: []Step{send("guest-sync", `{"id":1}`), send("guest-sync", `{"id":2}`)}}},
	{"duplicate-newline", Config{Faults: []fault.Spec{{Kind: "duplicate", Dir: "a2h", Trigger: fault.Trigger{On: []byte("\n"), Max: 1}}},
		Steps: []Step{send("guest-sync", `{"id":1}`), send("guest-ping", "")}}},
	{"truncate-reply", Config{Faults: []fault.Spec{{Kind: "truncate", Params: fault.Params{"after": fault.Int(6)}, Trigger: fault.Trigger{At: at(0), Max: 1}}},
		Steps: []Step{send("guest-sync", `{"id":1}`), send("guest-ping", "")}}},
	{"stall-h2a", Config{Faults: []fault.Spec{{Kind: "stall", Params: fault.Params{"for": fault.Dur(300 * time.Millisecond)}, Trigger: fault.Trigger{At: at(0)}}},
		Steps: []Step{send("guest-ping", "")}}},
	{"delay-spike", Config{Faults: []fault.Spec{{Kind: "delay", Dir: "a2h", Params: fault.Params{"d": fault.Dur(2 * time.Second)}, Trigger: fault.Trigger{AfterBytes: new(int64), Max: 1}}},
		Steps: []Step{send("guest-sync", `{"id":1}`), send("guest-sync", `{"id":2}`)}}},
	{"rechunk-reads", Config{Seed: 5, Faults: []fault.Spec{{Kind: "rechunk", Dir: "a2h", Params: fault.Params{"max": fault.Int(4)}}},
		Steps: []Step{send("guest-sync", `{"id":12345}`)}}},
	{"inject-0xff-a2h", Config{Faults: []fault.Spec{{Kind: "inject", Dir: "a2h", Trigger: fault.Trigger{On: []byte(`"return"`), Max: 1}}},
		Steps: []Step{send("guest-sync", `{"id":1}`)}}},
	{"restart-agent-mid-reply", Config{Faults: []fault.Spec{{Kind: "restart-agent", Dir: "a2h", Params: fault.Params{"down": fault.Dur(50 * time.Millisecond)}, Trigger: fault.Trigger{On: []byte(`"return"`), Max: 1}}},
		Steps: []Step{send("guest-sync", `{"id":1}`), sleep(100 * time.Millisecond), send("guest-sync", `{"id":2}`)}}},
	{"reboot-clears-freeze", Config{
		Faults: []fault.Spec{{Kind: "reboot", Params: fault.Params{"down": fault.Dur(time.Second)}, Trigger: fault.Trigger{At: at(10 * time.Millisecond)}}},
		Steps:  []Step{send("guest-fsfreeze-freeze", ""), sleep(20 * time.Millisecond), send("guest-fsfreeze-status", ""), sleep(2 * time.Second), send("guest-fsfreeze-status", "")}}},
	{"reconnect-host", Config{Faults: []fault.Spec{{Kind: "reconnect-host", Params: fault.Params{"down": fault.Dur(10 * time.Millisecond)}, Trigger: fault.Trigger{At: at(100 * time.Microsecond)}}},
		Steps: []Step{send("guest-sync", `{"id":1}`), sleep(20 * time.Millisecond), send("guest-ping", "")}}},
	{"freeze-then-thaw", Config{Faults: []fault.Spec{{Kind: "freeze", Params: fault.Params{"for": fault.Dur(time.Second)}, Trigger: fault.Trigger{At: at(time.Millisecond)}}},
		Steps: []Step{sleep(10 * time.Millisecond), send("guest-get-time", ""), send("guest-ping", ""), sleep(2 * time.Second), send("guest-fsfreeze-status", "")}}},
}

// h1Config is the lab's H1: while the agent is busy (the lab stopped it
// with SIGSTOP; here a guest-info that takes 2 s) three chunks of
// guest-sync reach its port (18, 80 and 10 requests, 0.7 s apart); then it
// reads them all at once and GLib's refills overshoot its 4096-byte read.
func h1Config(transport string) Config {
	chunk := func(from, n int) Step {
		var b []byte
		for id := from; id < from+n; id++ {
			b = append(b, `{"execute":"guest-sync","arguments":{"id":`+itoa(id)+`}}`...)
		}
		return Step{Raw: &Raw{Bytes: b}}
	}
	return Config{Transport: transport, Agent: agent.Config{Latency: map[string]time.Duration{"guest-info": 2 * time.Second}},
		Steps: []Step{raw(`{"execute":"guest-info"}`), sleep(10 * time.Millisecond), chunk(500, 18), sleep(700 * time.Millisecond),
			chunk(600, 80), sleep(700 * time.Millisecond), chunk(700, 10), sleep(time.Second)}}
}

func TestTranscripts(t *testing.T) {
	for _, tc := range transcripts {
		t.Run(tc.name, func(t *testing.T) {
			w := run(t, tc.cfg)
			got := transcript(tc.cfg, w)
			if err := CheckAccounting(w.Trace()); err != nil {
				t.Errorf("seed %d: accounting: %v", tc.cfg.Seed, err)
			}
			path := filepath.Join("testdata", "transcripts", tc.name+".txt")
			want, match, err := golden.Check(path, got, *update)
			if err != nil {
				t.Fatalf("seed %d: %v", tc.cfg.Seed, err)
			}
			if !match {
				t.Errorf("seed %d: transcript %s differs (run with -update to accept):\n%s", tc.cfg.Seed, path, diffLines(want, got))
			}
		})
	}
}

func transcript(cfg Config, w *World) string {
	var b strings.Builder
	tr := cfg.Transport
	if tr == "" {
		tr = "virtio-serial"
	}
	b.WriteString("# transport " + tr + ", seed " + itoa(int(cfg.Seed)) + "\n")
	for _, f := range cfg.Faults {
		b.WriteString("# fault " + f.Kind + " " + f.Dir + "\n")
	}
	var in, out []byte
	for _, e := range w.Trace() {
		if e.Kind == trace.KindAgentParser || e.Kind == trace.KindClientState {
			continue
		}
		b.WriteString(trace.Format(e))
		b.WriteByte('\n')
		if e.Kind == trace.KindDeliver {
			if e.Dir == "h2a" {
				in = append(in, e.Bytes...)
			} else {
				out = append(out, e.Bytes...)
			}
		}
	}
	b.WriteString("# the agent read:   \"" + trace.Quote(in) + "\"\n")
	b.WriteString("# the host received: \"" + trace.Quote(out) + "\"\n")
	return b.String()
}

func diffLines(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var a, b string
		if i < len(wl) {
			a = wl[i]
		}
		if i < len(gl) {
			b = gl[i]
		}
		if a != b {
			return "line " + itoa(i+1) + ":\nwant: " + a + "\n got: " + b
		}
	}
	return ""
}
