package scenarios

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/qgasim/qgasim/sim/trace"
)

const head = "version: 1\nname: t\n"

// mustFail parses src and checks that every wanted text is among the
// problems, each at its line:column.
func mustFail(t *testing.T, src string, want ...string) Problems {
	t.Helper()
	_, err := Parse("t.yaml", []byte(src))
	if err == nil {
		sc, _ := Parse("t.yaml", []byte(src))
		if _, err = Build(sc, nil); err == nil {
			t.Fatalf("no problem in:\n%s", src)
		}
	}
	ps, ok := err.(Problems)
	if !ok {
		t.Fatalf("%T %v", err, err)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("no %q in:\n%v", w, err)
		}
	}
	return ps
}

// Oversized input, /dev/zero and deep nesting are refused before the YAML
// parser sees them, with a position.
func TestInputLimits(t *testing.T) {
	big := make([]byte, MaxFileSize+1)
	for i := range big {
		big[i] = '#'
	}
	mustFail(t, string(big), "t.yaml:1:8388609: the file is larger than 8388608 bytes")
	if _, err := os.Stat("/dev/zero"); err == nil {
		_, err := Load("/dev/zero")
		if err == nil || !strings.Contains(err.Error(), "/dev/zero:1:8388609: the file is larger") {
			t.Errorf("/dev/zero: %v", err)
		}
	}
	mustFail(t, strings.Repeat("[", 20000), "t.yaml:1:65: mappings and lists nest deeper than 64 levels here")
	var b strings.Builder
	for i := 0; i < 100; i++ {
		b.WriteString(strings.Repeat("  ", i) + "a:\n")
	}
	mustFail(t, b.String(), "t.yaml:65:130: mappings and lists nest deeper than 64 levels")
	mustFail(t, head+"steps:\n"+strings.Repeat("- ", 70)+"x\n", "t.yaml:4:", "nest deeper")
	// A literal block's text is one token: deep indentation in it is text.
	deep := head + "description: |\n"
	for i := 0; i < 100; i++ {
		deep += "  " + strings.Repeat(" ", i) + "[[[[ - a:\n"
	}
	if _, err := Parse("t.yaml", []byte(deep+"steps: [{sleep: 1s}]\n")); err != nil {
		t.Errorf("indented text refused: %v", err)
	}
	mustFail(t, head+"note: \x1b[2J\n", "t.yaml:3:7: the file holds the control character U+001B")
	mustFail(t, head+"name2: \xff\n", "t.yaml:3:8: the file is not UTF-8")
}

// A rejected input costs little memory: the refusal comes before the
// parser, which needs hundreds of bytes a token and more with nesting.
func TestRejectedInputHeap(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, bytes.Repeat([]byte("- 1\n"), MaxFileSize/4+1), 0o644); err != nil {
		t.Fatal(err)
	}
	nest := filepath.Join(dir, "nest.yaml")
	if err := os.WriteFile(nest, bytes.Repeat([]byte("["), 20000), 0o644); err != nil {
		t.Fatal(err)
	}
	tokens := filepath.Join(dir, "tokens.yaml")
	if err := os.WriteFile(tokens, []byte("["+strings.Repeat("1,", MaxTokens)+"1]"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/dev/zero", big, nest, tokens} {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := Load(path)
		runtime.ReadMemStats(&after)
		if err == nil {
			t.Errorf("%s: loaded", path)
		}
		t.Logf("%s: %d MB allocated, heap %d MB", path, (after.TotalAlloc-before.TotalAlloc)>>20, after.HeapInuse>>20)
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 256<<20 {
			t.Errorf("%s: %d MB allocated to refuse it, want at most 256", path, alloc>>20)
		}
	}
}

// A file just under the token limit that is refused only after the YAML
// library parsed it costs at most 256 MB too: MaxTokens is set from what
// the parser needs a token.
func TestRejectedAfterParsingHeap(t *testing.T) {
	step := "  - raw: \"{\\\"execute\\\":\\\"guest-ping\\\"}\"\n"
	all := []byte(head + "steps:\n" + strings.Repeat(step, MaxTokens/2))
	// Keep the whole steps before the place where the count passes the
	// limit (less a margin for the last key).
	at := countTokens(all, MaxTokens-20)
	if at < 0 {
		t.Fatal("the steps do not reach the token limit")
	}
	data := append(all[:bytes.LastIndexByte(all[:at], '\n')+1], "bogus: 1\n"...)
	if countTokens(data, MaxTokens) >= 0 {
		t.Fatal("the test file is over the token limit")
	}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := Parse("t.yaml", data)
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), `unknown key "bogus"`) {
		t.Fatalf("want the unknown key refused after parsing, got %v", err)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("%d bytes, %d MB allocated to refuse it", len(data), alloc>>20)
	if alloc > 256<<20 {
		t.Errorf("%d MB allocated to refuse a file under the token limit, want at most 256: lower MaxTokens", alloc>>20)
	}
}

// Durations whose sum with a moment of the run cannot be represented are
// refused where they are written, instead of wrapping to "now".
func TestCheckedTimes(t *testing.T) {
	mustFail(t, head+"duration: 2h\nsteps:\n  - sleep: 1h\n  - sleep: 2562047h\n  - send: guest-ping\n",
		"t.yaml:6:12: steps[1].sleep: 2562047h after 1h of sleeps goes past the last virtual time")
	mustFail(t, head+"duration: 100000h\nclient: {timeout: 2562000h}\nsteps: [{send: guest-ping, timeout: 2562000h}]\n",
		"t.yaml:4:19: client.timeout: 2562000h after the run's duration of 100000h goes past the last virtual time",
		"t.yaml:5:37: steps[0].timeout: 2562000h after")
	mustFail(t, head+"duration: 1000000h\nagent: {latency: {guest-info: 2000000h}}\nlink: {latency: 2000000h}\n"+
		"faults:\n  - {kind: stall, for: 2000000h, trigger: {at: 2000000h}}\n  - {kind: delay, d: 2000000h}\n  - {kind: reboot, down: 2000000h, trigger: {every: 2000000h}}\n",
		"t.yaml:4:31: agent.latency.guest-info", "t.yaml:5:17: link.latency", "t.yaml:7:24: faults[0].for",
		"t.yaml:7:48: faults[0].trigger.at", "t.yaml:8:22: faults[1].d", "t.yaml:9:26: faults[2].down", "t.yaml:9:53: faults[2].trigger.every")
	mustFail(t, head+"duration: 3000000h\n", "t.yaml:3:11: duration: 3000000h is too long (at most 2562047h47m16.854775807s)")
}

// Numbers as YAML users write them, and messages that say what is wrong.
func TestNumberForms(t *testing.T) {
	for _, p := range []string{"1e-3", "1E-3", "0.001", ".001", "1"} {
		sc, err := Parse("t.yaml", []byte(head+"faults: [{kind: drop, p: "+p+", trigger: {probability: "+p+"}}]\n"))
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if got := sc.Faults[0].Params["p"].Num; got != sc.Faults[0].Trigger.Probability || got <= 0 {
			t.Errorf("%s: p %v, probability %v", p, got, sc.Faults[0].Trigger.Probability)
		}
	}
	mustFail(t, head+"faults:\n  - {kind: drop, p: .nan, trigger: {probability: .inf}}\n  - {kind: corrupt, p: 1.5, bits: 9, trigger: {probability: -1e-3}}\n",
		"t.yaml:4:21: faults[0].p: must be finite, not NaN",
		"t.yaml:4:50: faults[0].trigger.probability: must be finite, not +Inf",
		"t.yaml:5:24: faults[1].p: 1.5 is out of range 0..1",
		"t.yaml:5:35: faults[1].bits: 9 is out of range 1..8",
		"t.yaml:5:61: faults[1].trigger.probability: -0.001 is out of range 0..1")
	mustFail(t, head+"faults: [{kind: drop, n: 1.5}]\n", "faults[0].n must be an integer, not 1.5")
	if sc, err := Parse("t.yaml", []byte(head+"faults: [{kind: drop, n: 1e3}]\n")); err != nil || sc.Faults[0].Params["n"].Int != 1000 {
		t.Errorf("n: 1e3: %v", err)
	}
}

// Every problem of a file in one pass, each at its own node: structural
// problems and fault parameters together.
func TestEveryProblemAtOnce(t *testing.T) {
	ps := mustFail(t, head+"transport: virtio\nfaults:\n  - kind: drop\n    p: 2\n    n: 0\n    q: 1\nsteps:\n  - send: \" \"\n",
		"t.yaml:3:12: transport: unknown value",
		"t.yaml:6:8: faults[0].p: 2 is out of range 0..1",
		"t.yaml:7:8: faults[0].n: 0 is out of range 1..1073741824",
		"t.yaml:8:5: faults[0]: unknown key \"q\"",
		"t.yaml:10:11: steps[0].send needs a command name")
	if len(ps) != 5 {
		t.Errorf("%d problems:\n%v", len(ps), ps)
	}
	mustFail(t, head+"faults: [{kind: restart-agent}]\n", "t.yaml:3:11: faults[0]: restart-agent needs a trigger")
}

// The static half of the event budget: a time trigger that would reach it.
func TestStaticEventBudget(t *testing.T) {
	mustFail(t, head+"duration: 600s\nfaults:\n  - kind: drop\n    trigger: {every: 1ns}\n",
		"t.yaml:6:22: faults[0] (drop): its trigger every 1ns over the run's 10m fires about 600,000,000,000 times",
		"more than the event budget of 100,000,000")
	mustFail(t, head+"duration: 1000000000000000000ns\nfaults:\n  - kind: restart-agent\n    name: killer\n    trigger: {every: 1s}\n",
		"faults[0] (restart-agent killer): its trigger every 1s", "about 3,000,000,000 events")
	// max-count bounds it; a budget of the scenario's own raises it.
	for _, ok := range []string{"    trigger: {every: 1ns, max-count: 5}\n", "    trigger: {every: 1ms}\nmax-events: 1000000000\n"} {
		sc, err := Parse("t.yaml", []byte(head+"duration: 600s\nfaults:\n  - kind: drop\n"+ok))
		if err == nil {
			_, err = Build(sc, nil)
		}
		if err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	sc, _ := Parse("t.yaml", []byte(head+"duration: 600s\nfaults:\n  - kind: drop\n    trigger: {every: 1us}\n"))
	if _, err := Build(sc, nil); err == nil {
		t.Error("every 1us over 600 s passes")
	}
	sc.MaxEvents = 1e12 // a command line's --max-events
	if _, err := Build(sc, nil); err != nil {
		t.Errorf("a raised budget: %v", err)
	}
}

// Loading is linear in the size of the file: double-quoted byte strings
// are read from the text as written without rereading the file.
func TestDoubleQuotedBytesOnOneLine(t *testing.T) {
	var b strings.Builder
	b.WriteString(head + "steps: [")
	for i := 0; i < 2000; i++ {
		b.WriteString(`{raw: "\xff\n"}, {raw: "é\x41"}, `)
	}
	b.WriteString("{sleep: 1s}]\n")
	sc, err := Parse("t.yaml", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Steps) != 4001 || string(sc.Steps[0].Raw.Bytes) != "\xff\n" || string(sc.Steps[3999].Raw.Bytes) != "éA" {
		t.Errorf("%d steps, %q", len(sc.Steps), sc.Steps[3999].Raw.Bytes)
	}
}

// One byte grammar everywhere: a step's raw and inject's bytes read the
// same text the same way, once.
func TestOneByteGrammar(t *testing.T) {
	for text, want := range map[string]string{
		`'\xff'`: "\xff", `'\\xff'`: `\xff`, `"\xff"`: "\xff", `"\\xff"`: `\xff`, `[255]`: "\xff", `'a''b'`: "a'b",
	} {
		sc, err := Parse("t.yaml", []byte(head+"faults: [{kind: inject, bytes: "+text+", trigger: {on: "+text+"}}]\nsteps: [{raw: "+text+"}]\n"+
			"agent: {files: {/f: "+text+"}}\n"))
		if err != nil {
			t.Errorf("%s: %v", text, err)
			continue
		}
		got := []string{string(sc.Steps[0].Raw.Bytes), string(sc.Faults[0].Params["bytes"].Bytes), string(sc.Faults[0].Trigger.On), string(sc.Agent.Files["/f"])}
		for _, g := range got {
			if g != want {
				t.Errorf("%s: got %q, want %q (raw, bytes, on, file)", text, got, trace.Quote([]byte(want)))
				break
			}
		}
	}
}

func runYAML(t *testing.T, src string) *Run {
	t.Helper()
	sc, err := Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return execute(t, sc)
}

// execute runs sc at its file's seed, keeping every event.
func execute(t *testing.T, sc *Scenario) *Run {
	t.Helper()
	cfg, err := Build(sc, nil)
	if err != nil {
		t.Fatal(err)
	}
	run, err := Execute(sc, cfg)
	if err != nil {
		t.Fatalf("seed %d: %v", cfg.Seed, err)
	}
	return run
}

// A continuous fault acts only inside its trigger's window: a drop with p
// 0.5 from 70 s drops nothing in a 3-second run.
func TestWindowOfContinuousFault(t *testing.T) {
	run := runYAML(t, head+"duration: 3s\nfaults:\n  - {kind: drop, p: 0.5, trigger: {from: 70s}}\n  - {kind: corrupt, direction: to-host, p: 0.5, trigger: {until: 1ns}}\n"+
		"steps: [{send: guest-ping}, {send: guest-info}]\n")
	for _, ev := range run.Events {
		if ev.Kind == trace.KindFault {
			t.Errorf("seed %d: a fault fired outside its window: %+v", run.Config.Seed, ev)
		}
	}
	if run.Summary.Counts["correct"] != 2 {
		t.Errorf("seed %d: %v", run.Config.Seed, run.Summary.Counts)
	}
}

// A restart that finds the agent down has no effect, and says so: the
// kills the trace reports are the restarts that happened.
func TestKillOfADeadAgent(t *testing.T) {
	run := runYAML(t, head+"duration: 20s\nfaults:\n  - {kind: restart-agent, direction: to-agent, down: 2s, trigger: {probability: 1.0}}\n"+
		"steps:\n  - send: guest-ping\n  - raw: '"+strings.Repeat(`{\"execute\":\"guest-ping\"}`, 10)+"'\n  - sleep: 1s\n  - send: guest-info\n")
	kills, noEffect, restarts := 0, 0, 0
	for _, ev := range run.Events {
		switch {
		case ev.Kind == trace.KindFault && ev.Text == "agent killed":
			kills++
		case ev.Kind == trace.KindFault && ev.Text == "no effect: the agent is already down":
			noEffect++
		case ev.Kind == trace.KindAgentRestart && ev.Fault == "restart-agent":
			restarts++
		}
	}
	if kills != restarts || restarts == 0 || noEffect == 0 {
		t.Errorf("seed %d: %d kills, %d restarts, %d firings with no effect", run.Config.Seed, kills, restarts, noEffect)
	}
}
